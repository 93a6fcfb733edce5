//! The review flow by keyboard in the window: U (next unreviewed), [ and ] (statements), R (the
//! relation), D and T (date and tag fields), a status key that goes on to the next document,
//! zoom, the Id column, and the analyst's name asked once and kept with File ▸ Open recent in the
//! machine's preferences (here a temporary file).

mod common;

use doctriage::gui::App;
use doctriage::gui::path_bar::PathAction;
use doctriage::prefs::{self, Preferences};
use doctriage::session::{Relation, Status};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

type Window = Harness<'static, App>;

fn window() -> Window {
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    h
}

fn press(h: &mut Window, key: Key) {
    h.key_press(key);
    h.run();
}

fn current(h: &Window) -> String {
    h.state()
        .current_document_id()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn u_goes_to_the_next_unreviewed_document_of_the_list() {
    let mut h = window();
    let list = h.state_mut().visible_document_ids();
    // The window opens on the first document of the list.
    assert_eq!(current(&h), list[0]);
    // The next two are reviewed: U skips them.
    for id in &list[1..3] {
        h.state_mut()
            .apply_edit(doctriage::Command::SetStatus {
                doc: id.clone(),
                status: Status::Relevant,
            })
            .unwrap();
    }
    press(&mut h, Key::U);
    assert_eq!(current(&h), list[3]);
}

#[test]
fn brackets_choose_the_statement_and_r_cycles_the_relation() {
    let mut h = window();
    assert_eq!(h.state().selected_statement(), None);
    press(&mut h, Key::CloseBracket);
    assert_eq!(h.state().selected_statement(), Some("S1"));
    press(&mut h, Key::CloseBracket);
    press(&mut h, Key::CloseBracket);
    assert_eq!(h.state().selected_statement(), Some("S3"));
    press(&mut h, Key::OpenBracket);
    assert_eq!(h.state().selected_statement(), Some("S2"));

    assert_eq!(h.state().link_relation(), Relation::Supports);
    for want in [Relation::Contradicts, Relation::Context, Relation::Supports] {
        press(&mut h, Key::R);
        assert_eq!(h.state().link_relation(), want);
    }
}

#[test]
fn d_and_t_put_the_cursor_in_the_date_and_tag_fields() {
    let mut h = window();
    press(&mut h, Key::J);
    let id = current(&h);
    press(&mut h, Key::D);
    h.get_by_label("Date:").type_text("2019-03");
    press(&mut h, Key::Enter);
    assert_eq!(
        h.state()
            .session()
            .review(&id)
            .and_then(|r| r.date)
            .map(|d| d.to_string()),
        Some("2019-03".into())
    );
    press(&mut h, Key::T);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Tags")
        .type_text("to-check");
    press(&mut h, Key::Enter);
    press(&mut h, Key::Escape);
    assert_eq!(h.state().session().review(&id).unwrap().tags, ["to-check"]);
    // Out of the field, keys are shortcuts again.
    press(&mut h, Key::J);
    assert_ne!(current(&h), id);
}

#[test]
fn with_save_and_next_a_status_key_opens_the_next_document() {
    let mut h = window();
    let list = h.state_mut().visible_document_ids();
    assert_eq!(current(&h), list[0]);
    // Without the option the document stays.
    press(&mut h, Key::Num2);
    assert_eq!(current(&h), list[0]);
    common::gui::click(&mut h, "Review");
    common::gui::click(&mut h, "Next document after a status key");
    assert!(h.state().preferences().advance_after_status);
    press(&mut h, Key::Num3);
    assert_eq!(h.state().session().status(&list[0]), Status::Irrelevant);
    assert_eq!(current(&h), list[1]);
    press(&mut h, Key::Num4);
    assert_eq!(h.state().session().status(&list[1]), Status::Key);
    assert_eq!(current(&h), list[2]);
}

#[test]
fn ctrl_plus_and_minus_zoom_every_pane_and_the_zoom_is_kept() {
    let mut h = window();
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run();
    assert!(h.ctx.zoom_factor() > 1.05, "{}", h.ctx.zoom_factor());
    assert!((h.state().saved_state().zoom - h.ctx.zoom_factor()).abs() < 1e-6);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run();
    assert!(h.ctx.zoom_factor() < 1.0, "{}", h.ctx.zoom_factor());
}

#[test]
fn the_id_column_sorts_the_list_by_id() {
    let mut h = window();
    common::gui::click(&mut h, "Sort by id");
    let list = h.state_mut().visible_document_ids();
    let mut sorted = list.clone();
    sorted.sort();
    assert_eq!(list, sorted);
    assert_ne!(
        list.first().map(String::as_str),
        Some("letters/letter_2018_06_05.txt")
    );
}

#[test]
fn the_analysts_name_is_asked_once_and_kept_with_the_recent_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let prefs_path = tmp.path().join("config").join(prefs::PREFS_FILE);
    let session = tmp.path().join("mine.doctriage.json");
    let p = prefs_path.clone();
    let mut h = common::gui::harness_builder().build_eframe(move |_cc| {
        let mut app = App::new_blocking_for_tests(doctriage::sample_cache_dir(), None);
        app.set_preferences(Preferences::default(), Some(p));
        app
    });
    h.run();
    assert!(h.state().asks_for_analyst());
    assert!(h.query_by_label("Who is reviewing?").is_some());
    // While it asks, review keys do nothing.
    let first = current(&h);
    press(&mut h, Key::J);
    press(&mut h, Key::Num4);
    assert_eq!(current(&h), first);
    assert!(h.state().session().reviews().is_empty());
    h.get_by_label("Your name:").type_text("Ana Petrova");
    press(&mut h, Key::Enter);
    assert!(!h.state().asks_for_analyst());
    assert!(h.query_by_label("Who is reviewing?").is_none());
    assert_eq!(prefs::load_from(&prefs_path).analyst, "Ana Petrova");
    // The name signs what the analyst changes from now on.
    assert_eq!(h.state().workspace().analyst(), "Ana Petrova");
    let id = current(&h);
    press(&mut h, Key::Num2);
    let review = h.state().session().review(&id).expect("reviewed").clone();
    assert_eq!(
        doctriage::session::last_change(&review, "status").map(|c| c.by.as_str()),
        Some("Ana Petrova")
    );

    // A session saved goes first in File ▸ Open recent, in the same file.
    h.state_mut()
        .submit_path(PathAction::SaveSession, &session)
        .expect("save");
    h.state_mut().wait_for_save();
    let kept = prefs::load_from(&prefs_path);
    assert_eq!(
        kept.recent_sessions
            .first()
            .map(|p| p.ends_with("mine.doctriage.json")),
        Some(true),
        "{kept:?}"
    );
    common::gui::click(&mut h, "File");
    common::gui::click(&mut h, "Open recent");
    assert!(
        h.query_all_by_label_contains("mine.doctriage.json")
            .next()
            .is_some()
    );

    // With a name set, the next window does not ask.
    let p = prefs_path.clone();
    let mut again = common::gui::harness_builder().build_eframe(move |_cc| {
        let mut app = App::new_blocking_for_tests(doctriage::sample_cache_dir(), None);
        app.set_preferences(prefs::load_from(&p), Some(p));
        app
    });
    again.run();
    assert!(!again.state().asks_for_analyst());
}

#[test]
fn not_now_closes_the_question_for_this_run() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join(prefs::PREFS_FILE);
    let mut h = common::gui::harness_builder().build_eframe(move |_cc| {
        let mut app = App::new_blocking_for_tests(doctriage::sample_cache_dir(), None);
        app.set_preferences(Preferences::default(), Some(p));
        app
    });
    h.run();
    assert!(h.state().asks_for_analyst());
    common::gui::click(&mut h, "Not now");
    assert!(!h.state().asks_for_analyst());
    assert!(h.query_by_label("Who is reviewing?").is_none());
}
