//! The window, driven through egui_kittest on the CPU: the review flow of an analyst (filter,
//! open, accept a suggestion, set a status, quote and link, undo/redo, save and export through
//! the path dialog), a test per step; parity with the command line, the keyboard, bad input, and
//! an image snapshot.
//!
//! Sessions and exports go to a temporary folder; the sample cache is only read. Every session
//! path is new, so no autosave of another run is offered for recovery, and the simulated clock
//! (1/60 s per frame) stays far below the 30 s autosave period, so nothing is written into the
//! user's data folder (checked at the end of each test).

mod common;

use std::path::{Path, PathBuf};

use common::gui::{click, click_at, harness_builder, select_in_viewer};
use common::{char_span, link, s, statement_with};
use doctriage::PartialDate;
use doctriage::gui::App;
use doctriage::gui::commands::{OTHER_KEYS, UiCommand};
use doctriage::session::{self, Command, Relation, Session, Status};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use egui_kittest::{Harness, SnapshotOptions};

/// The record the review flow works on.
const NOTE: &str = "notes/note_2020_09_14_groza_agreement.txt";
const NOTE_TITLE: &str = "Note No. 02-11/2290 agreeing the purchase of Groza-S stations";

/// The evidence quoted from it (occurs once in its text).
const QUOTE: &str = "four (4) Groza-S mobile counter-drone electronic-warfare stations";

type Window = Harness<'static, App>;

/// The window on a cache folder, loaded, with the app's fonts from the first frame.
fn window(cache: PathBuf, session: Option<PathBuf>) -> Window {
    let mut h =
        harness_builder().build_eframe(move |_cc| App::new_blocking_for_tests(cache, session));
    h.run();
    h
}

/// The sample cache, named relative to the package root (the working directory of `cargo test`),
/// so that the status bar's "Loaded N documents from …" does not depend on where the repository
/// is checked out (the snapshot shows it).
fn sample_cache() -> PathBuf {
    let rel = PathBuf::from("sample_cache");
    let abs = doctriage::sample_cache_dir();
    if std::fs::canonicalize(&rel).ok() == std::fs::canonicalize(&abs).ok() {
        rel
    } else {
        abs
    }
}

fn press(h: &mut Window, key: Key) {
    h.key_press(key);
    h.run();
}

fn press_with(h: &mut Window, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

/// Types into a labelled text field (focus first, as a click would).
fn type_into(h: &mut Window, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    assert!(
        h.get_by_label(label).is_focused(),
        "{label} did not take the focus"
    );
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Clicks the list row with this title, on its title text.
fn click_row(h: &mut Window, title: &str) {
    let at = title_text_centre(h, title);
    click_at(h, at);
}

/// The centre of the visible part of a list row's title text (the leftmost label with the title
/// is the row's: the viewer's heading may repeat it); the title column clips long titles.
fn title_text_centre(h: &Window, title: &str) -> egui::Pos2 {
    let label = h
        .query_all_by_label(title)
        .map(|n| n.rect())
        .min_by(|a, b| a.min.x.total_cmp(&b.min.x))
        .unwrap_or_else(|| panic!("no row titled {title}"));
    let column_end = h.get_by_label("Sort by id").rect().min.x;
    let right = label.max.x.min(column_end - 8.0);
    egui::pos2((label.min.x + right) / 2.0, label.center().y)
}

/// Opens a File menu item that asks for a path, replaces the path, and submits it.
fn through_path_bar(h: &mut Window, menu_item: &str, path: &Path, button: Option<&str>) {
    click(h, "File");
    click(h, menu_item);
    assert!(
        h.state().path_bar().is_some(),
        "{menu_item} opened no path dialog"
    );
    assert!(
        h.get_by_label("Path:").is_focused(),
        "the path field has no focus"
    );
    // Select what is pre-filled and type over it.
    press_with(h, Modifiers::COMMAND, Key::A);
    h.get_by_label("Path:").type_text(s(path));
    h.run();
    assert_eq!(h.get_by_label("Path:").value().as_deref(), Some(s(path)));
    match button {
        Some(b) => click(h, b),
        None => press(h, Key::Enter),
    }
}

/// Runs the window until a save it started has been written and taken in (at most 10 s).
fn settle_save(h: &mut Window) {
    settle(h, |app| !app.is_saving(), "the save");
}

/// Steps the window until `done` (at most 10 s): background work is taken in by the window's
/// own frames, not by the test.
fn settle(h: &mut Window, done: impl Fn(&App) -> bool, what: &str) {
    for _ in 0..2000 {
        if done(h.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    panic!("{what} did not finish in 10 s");
}

/// Nothing was autosaved into the user's data folder by this test.
fn assert_no_autosave(h: &Window) {
    if let Some(p) = h.state().autosave_path() {
        assert!(!p.exists(), "the test wrote an autosave: {}", p.display());
    }
}

/// Some visible node has exactly this label (or text).
fn visible(h: &Window, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// Some visible node's label (or text) contains this.
fn visible_containing(h: &Window, part: &str) -> bool {
    h.query_all_by_label_contains(part).next().is_some()
}

/// "N of M documents" under the filter.
fn shown_count(h: &Window) -> (usize, usize) {
    let label = h
        .query_all_by_label_contains(" documents")
        .filter_map(|n| n.value())
        .find(|v| v.contains(" of ") && v.ends_with(" documents"))
        .expect("the list count");
    let mut words = label.split_whitespace();
    let shown = words.next().and_then(|w| w.parse().ok()).expect("shown");
    let total = words.nth(1).and_then(|w| w.parse().ok()).expect("total");
    (shown, total)
}

// ----- the review flow, a test per step -----
//
// An analyst filters the list (1), opens the note (2), accepts its suggested date (3), marks it
// relevant (4), links a quote to a statement (5), undoes and redoes the link (6), saves (7) and
// exports (8). Each test starts from a new window and makes what the earlier steps made through
// the window with the same commands (`open_note`, `apply_steps_3_to_5`), so a failure names the
// step that broke; step 5 checks that its link is the one the later steps are given.

/// A window on the sample cache, its session to be saved in `tmp`.
fn review_window(tmp: &tempfile::TempDir) -> Window {
    window(sample_cache(), Some(tmp.path().join("session.json")))
}

/// Opens the note without the list (step 2 opens it by a click on its row).
fn open_note(h: &mut Window) {
    assert!(h.state_mut().select_document(NOTE), "{NOTE} is not listed");
    h.run();
    assert_eq!(h.state().current_document_id(), Some(NOTE));
}

/// What steps 3 to 5 make through the window, as the commands they apply: the suggested date,
/// the status relevant, and the quote linked in support of the Groza-S statement.
fn apply_steps_3_to_5(h: &mut Window) {
    let cache = h.state().cache().clone();
    for cmd in [
        Command::SetDate {
            doc: NOTE.into(),
            date: PartialDate::parse_iso("2020-09-14"),
        },
        Command::SetStatus {
            doc: NOTE.into(),
            status: Status::Relevant,
        },
        link(&cache, NOTE, "Groza-S", Relation::Supports, QUOTE),
    ] {
        h.state_mut()
            .apply_edit(cmd.clone())
            .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    h.run();
}

/// The note's links in the window's session.
fn note_links(h: &Window) -> Vec<session::Link> {
    h.state()
        .session()
        .review(NOTE)
        .map(|r| r.links.clone())
        .unwrap_or_default()
}

#[test]
fn review_flow_1_a_filter_narrows_the_list_to_the_records_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    let total = h.state().cache().documents.len();
    assert!(total >= 40, "{total} documents");
    assert_eq!(shown_count(&h), (total, total));

    // Filter by an equipment name: the list shrinks to the records naming it.
    type_into(&mut h, "Filter:", "Groza");
    assert_eq!(h.state().filter_text(), "Groza");
    let (shown, all) = shown_count(&h);
    assert_eq!(all, total);
    assert!(shown > 3 && shown < total, "{shown} of {total}");
    let ids = h.state_mut().visible_document_ids();
    assert_eq!(ids.len(), shown);
    assert!(ids.iter().any(|id| id == NOTE));

    // Escape leaves the field and keeps the filter.
    press(&mut h, Key::Escape);
    assert!(!h.get_by_label("Filter:").is_focused());
    assert_eq!(h.state().filter_text(), "Groza");
    assert_eq!(shown_count(&h), (shown, total));
    assert_no_autosave(&h);
}

#[test]
fn review_flow_2_a_click_on_its_row_opens_the_record() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    h.state_mut().set_filter_text("Groza");
    h.run();
    assert_ne!(h.state().current_document_id(), Some(NOTE));

    click_row(&mut h, NOTE_TITLE);
    assert_eq!(h.state().current_document_id(), Some(NOTE));
    assert!(visible(&h, "Coding"));
    assert_no_autosave(&h);
}

#[test]
fn review_flow_3_a_click_on_a_suggestion_chip_accepts_the_date() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    open_note(&mut h);
    let date_of = |h: &Window| {
        h.state()
            .session()
            .review(NOTE)
            .and_then(|r| r.date)
            .map(|d| d.to_string())
    };
    assert_eq!(date_of(&h), None);

    let sugg = h.state_mut().suggestions_for(NOTE);
    let date = sugg.dates.first().expect("a date suggestion").value.clone();
    assert_eq!(date, "2020-09-14");
    click(&mut h, &format!("Accept date {date}"));
    assert_eq!(date_of(&h).as_deref(), Some("2020-09-14"));
    assert_no_autosave(&h);
}

#[test]
fn review_flow_4_key_2_marks_the_open_record_relevant() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    open_note(&mut h);
    assert_eq!(h.state().session().status(NOTE), Status::Unreviewed);

    // "2" marks it relevant (no text field has the cursor).
    press(&mut h, Key::Num2);
    assert_eq!(h.state().session().status(NOTE), Status::Relevant);
    assert_no_autosave(&h);
}

#[test]
fn review_flow_5_a_quote_selected_in_the_viewer_is_linked_to_a_statement() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    open_note(&mut h);
    let cache = h.state().cache().clone();
    let doc = cache.document(NOTE).unwrap().clone();

    // Select the statement about Groza-S, select the quote in the viewer, pin it, link.
    let st = statement_with(&cache, "Groza-S");
    let st_button = format!("Statement {}", st.id);
    h.get_by_label(&st_button).scroll_to_me();
    h.run();
    click(&mut h, &st_button);
    assert_eq!(h.state().selected_statement(), Some(st.id.as_str()));
    let (start, end) = char_span(&doc.text, QUOTE);
    select_in_viewer(&mut h, start, end);
    let sel = h.state().viewer_selection().cloned().expect("a selection");
    assert_eq!((sel.doc.as_str(), sel.start, sel.end), (NOTE, start, end));
    assert!(visible(
        &h,
        &format!("Selection: chars {start}–{end} ({} chars)", end - start)
    ));
    // The viewer's selection tools and the link form both offer it.
    assert_eq!(h.query_all_by_label("Use selection as quote").count(), 2);
    h.query_all_by_label("Use selection as quote")
        .next()
        .unwrap()
        .click();
    h.run();
    assert!(
        visible(&h, &format!("“{QUOTE}”")),
        "the pinned quote is shown"
    );
    assert_eq!(h.state().link_relation(), Relation::Supports);
    assert!(note_links(&h).is_empty());
    click(&mut h, "Link current document");
    let links = note_links(&h);
    assert_eq!(links.len(), 1);
    assert!(visible(&h, "Links of this document (1)"));

    // The link names the statement and quotes the selection at its char offsets: the command
    // that steps 6 to 8 apply in its place.
    let made = &links[0];
    assert_eq!(made.statement, st.id);
    assert_eq!(made.statement_text, st.text);
    assert_eq!(made.relation, Relation::Supports);
    let q = made.quote.as_ref().expect("the link has a quote");
    assert_eq!((q.start, q.end), (start, end));
    assert_eq!(q.text, QUOTE);
    let Command::Link { link: expected, .. } =
        link(&cache, NOTE, "Groza-S", Relation::Supports, QUOTE)
    else {
        unreachable!("link() builds a Link command")
    };
    assert!(made.same_evidence(&expected), "{made:?} / {expected:?}");
    assert_eq!(made.id, session::link_id(NOTE, made));
    assert_no_autosave(&h);
}

#[test]
fn review_flow_6_undo_takes_the_link_away_and_redo_brings_it_back() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    open_note(&mut h);
    apply_steps_3_to_5(&mut h);
    assert_eq!(note_links(&h).len(), 1);
    assert!(visible(&h, "Links of this document (1)"));

    press_with(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(note_links(&h).is_empty());
    assert!(visible(&h, "Links of this document (0)"));
    assert_eq!(h.state().session().status(NOTE), Status::Relevant);
    press_with(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(note_links(&h).len(), 1);
    assert!(visible(&h, "Links of this document (1)"));
    assert_no_autosave(&h);
}

#[test]
fn review_flow_7_save_as_through_the_path_dialog_writes_the_review() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    open_note(&mut h);
    apply_steps_3_to_5(&mut h);
    assert!(h.state().is_dirty());
    let st = statement_with(h.state().cache(), "Groza-S");
    let doc = h.state().cache().document(NOTE).unwrap().clone();
    let (start, end) = char_span(&doc.text, QUOTE);

    let saved = tmp.path().join("review").join("saved.json");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    through_path_bar(&mut h, "Save session as…", &saved, None);
    assert!(
        h.state().path_bar().is_none(),
        "{:?}",
        h.state().last_error()
    );
    // The file is written on a worker thread; the window takes in the outcome as it runs.
    settle_save(&mut h);
    assert_eq!(h.state().session_path(), Some(saved.as_path()));
    assert!(!h.state().is_dirty());

    // The file: the window's review, whole.
    let session = Session::load(&saved).unwrap();
    assert_eq!(session.reviews(), h.state().session().reviews());
    let review = session.review(NOTE).expect("the note is in the session");
    assert_eq!(review.status, Status::Relevant);
    assert_eq!(
        review.date.map(|d| d.to_string()).as_deref(),
        Some("2020-09-14")
    );
    assert_eq!(review.links.len(), 1);
    let link = &review.links[0];
    assert_eq!(link.statement, st.id);
    assert_eq!(link.statement_text, st.text);
    assert_eq!(link.relation, Relation::Supports);
    let q = link.quote.as_ref().expect("the link has a quote");
    assert_eq!((q.start, q.end), (start, end));
    assert_eq!(q.text, QUOTE);
    assert_eq!(
        session::quote_at(&doc.text, q.start, q.end).as_deref(),
        Some(q.text.as_str())
    );
    assert_eq!(
        session.cache_root(&saved).canonicalize().unwrap(),
        doctriage::sample_cache_dir().canonicalize().unwrap()
    );
    assert_no_autosave(&h);
}

#[test]
fn review_flow_8_export_through_the_path_dialog_writes_the_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    open_note(&mut h);
    apply_steps_3_to_5(&mut h);
    let st = statement_with(h.state().cache(), "Groza-S");
    let doc = h.state().cache().document(NOTE).unwrap().clone();
    let (start, end) = char_span(&doc.text, QUOTE);

    let findings = tmp.path().join("findings.json");
    through_path_bar(&mut h, "Export findings…", &findings, Some("Export"));
    assert!(
        h.state().path_bar().is_none(),
        "{:?}",
        h.state().last_error()
    );
    // Written on a worker thread; the status bar says so once the window has taken it in.
    settle(&mut h, |app| !app.is_exporting(), "the export");
    h.run();
    assert!(visible_containing(&h, "Exported findings as json (1/"));

    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&findings).unwrap()).unwrap();
    let row = v["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == st.id.as_str())
        .expect("the statement in the findings");
    assert_eq!(row["status"], "supported");
    let ev = row["evidence"].as_array().unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["document"], NOTE);
    assert_eq!(ev[0]["relation"], "supports");
    assert_eq!(ev[0]["quote"], QUOTE);
    assert_eq!(ev[0]["start"], start);
    assert_eq!(ev[0]["end"], end);
    let d = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == NOTE)
        .expect("the note in the findings");
    assert_eq!(d["status"], "relevant");
    assert_eq!(d["date"], "2020-09-14");
    assert_no_autosave(&h);
}

/// A session's reviews without who made each change and when.
fn unsigned(s: &Session) -> Vec<(String, session::DocReview)> {
    s.reviews()
        .iter()
        .map(|(id, r)| {
            let mut r = r.clone();
            r.history.clear();
            for l in &mut r.links {
                l.by.clear();
                l.at = None;
            }
            (id.clone(), r)
        })
        .collect()
}

#[test]
fn gui_and_cli_make_the_same_session() {
    let tmp = tempfile::tempdir().unwrap();
    let session_path = tmp.path().join("gui.json");
    let mut h = window(sample_cache(), Some(session_path.clone()));
    let cache = h.state().cache().clone();
    let doc = cache.document(NOTE).unwrap().clone();
    let st = statement_with(&cache, "Groza-S");
    let (start, end) = char_span(&doc.text, QUOTE);

    // The window: open the note, A (accept suggestions), 2 (relevant), a tag typed in the coding
    // panel, then the statement, the quote selected in the viewer, and L.
    type_into(&mut h, "Filter:", "Groza");
    press(&mut h, Key::Escape);
    click_row(&mut h, NOTE_TITLE);
    press(&mut h, Key::A);
    press(&mut h, Key::Num2);
    h.get_by_role_and_label(Role::TextInput, "Tags").focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Tags")
        .type_text("groza-agreement");
    h.run();
    press(&mut h, Key::Enter);
    press(&mut h, Key::Escape);
    let st_button = format!("Statement {}", st.id);
    h.get_by_label(&st_button).scroll_to_me();
    h.run();
    click(&mut h, &st_button);
    select_in_viewer(&mut h, start, end);
    // The document text has the focus: plain keys still work there.
    press(&mut h, Key::L);
    let gui = h.state().session().clone();
    let review = gui.review(NOTE).expect("the note was reviewed");
    assert_eq!(review.links.len(), 1, "{review:?}");
    assert_eq!(review.tags, ["groza-agreement"]);
    assert!(
        review.equipment.iter().any(|e| e == "Groza-S"),
        "{review:?}"
    );

    // The command line: the same actions as `doctriage tag` and `doctriage link` build them.
    let cli_cache = common::scan(&common::sample());
    let cli_path = tmp.path().join("cli.json");
    let mut cli = Session::new(&cli_cache.root, Some(&cli_path), "", &cli_cache);
    let tag = doctriage::cli::TagArgs {
        session: cli_path.clone(),
        doc: NOTE.into(),
        status: Some(Status::Relevant),
        date: None,
        sender: vec![],
        recipient: vec![],
        equipment: vec![],
        tag: vec!["groza-agreement".into()],
        note: None,
        accept_suggestions: true,
    };
    let cmd = doctriage::cli::tag_command(&tag, &cli_cache, &cli).unwrap();
    session::apply(&mut cli, &cli_cache, &cmd).unwrap();
    let link = doctriage::cli::LinkArgs {
        session: cli_path.clone(),
        doc: NOTE.into(),
        statement: st.id.clone(),
        relation: Relation::Supports,
        quote: Some(QUOTE.into()),
        note: None,
    };
    let cmd = doctriage::cli::link_command(&link, &cli_cache).unwrap();
    session::apply(&mut cli, &cli_cache, &cmd).unwrap();

    // The same reviews, apart from who made each change and when.
    assert_eq!(unsigned(&gui), unsigned(&cli));
    assert_eq!(gui.aliases(), cli.aliases());
    assert_eq!(gui.article_sha256, cli.article_sha256);
    assert_no_autosave(&h);
}

#[test]
fn keyboard_navigation_and_shortcuts() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = window(sample_cache(), Some(tmp.path().join("keys.json")));
    let total = h.state().cache().documents.len();

    // A facet narrows the list: Facets, then Kind "diplomatic note".
    click(&mut h, "Facets");
    let chip = h
        .query_all_by_label_contains("diplomatic note (")
        .next()
        .and_then(|n| n.value().or_else(|| n.accesskit_node().label()))
        .expect("the diplomatic note facet");
    click(&mut h, &chip);
    let list = h.state_mut().visible_document_ids();
    assert!(
        list.len() >= 3 && list.len() < total,
        "{} of {total}",
        list.len()
    );
    assert_eq!(shown_count(&h), (list.len(), total));
    assert!(visible(&h, "Facets (1 active)"));
    let first = h.state().current_document_id().map(str::to_owned);
    assert!(
        first.as_ref().is_none_or(|id| !list.contains(id)),
        "the first document is not a note"
    );

    // J and K walk the filtered list.
    press(&mut h, Key::J);
    assert_eq!(h.state().current_document_id(), Some(list[0].as_str()));
    press(&mut h, Key::J);
    assert_eq!(h.state().current_document_id(), Some(list[1].as_str()));
    press(&mut h, Key::J);
    assert_eq!(h.state().current_document_id(), Some(list[2].as_str()));
    press(&mut h, Key::K);
    assert_eq!(h.state().current_document_id(), Some(list[1].as_str()));
    let id = list[1].clone();

    // 1-4 set the status.
    for (key, status) in [
        (Key::Num4, Status::Key),
        (Key::Num3, Status::Irrelevant),
        (Key::Num2, Status::Relevant),
        (Key::Num1, Status::Unreviewed),
    ] {
        press(&mut h, key);
        assert_eq!(h.state().session().status(&id), status, "{key:?}");
    }

    // A accepts the suggestions: what accept_suggestions builds for this document.
    let sugg = h.state_mut().suggestions_for(&id);
    assert!(!sugg.is_empty(), "{id} has suggestions");
    let doc = h.state().cache().document(&id).unwrap().clone();
    let mut expected = h.state().session().clone();
    let cmd = session::accept_suggestions(&doc, &sugg, expected.review(&id));
    session::apply(&mut expected, h.state().cache(), &cmd).unwrap();
    press(&mut h, Key::A);
    // The same edit (the clock may tick between the two: the stamps are left out).
    assert_eq!(unsigned(h.state().session()), unsigned(&expected));
    assert!(h.state().session().review(&id).is_some());

    // "/" puts the cursor in the filter; there, letters are text, not shortcuts.
    press(&mut h, Key::Slash);
    assert!(h.get_by_label("Filter:").is_focused());
    h.get_by_label("Filter:").type_text("j");
    press(&mut h, Key::J);
    assert_eq!(h.state().filter_text(), "j");
    assert_eq!(
        h.state().current_document_id(),
        Some(id.as_str()),
        "J moved while typing"
    );
    press(&mut h, Key::Escape);
    assert!(!h.get_by_label("Filter:").is_focused());

    // F1 lists every shortcut.
    assert!(!visible(&h, "Keyboard shortcuts"));
    press(&mut h, Key::F1);
    assert!(h.state().path_bar().is_none());
    assert!(visible(&h, "Keyboard shortcuts"), "no shortcuts window");
    for cmd in UiCommand::with_shortcuts() {
        let keys = cmd.shortcut_text(&h.ctx);
        assert!(!keys.is_empty(), "{cmd:?}");
        assert!(visible(&h, &keys), "{keys} is not listed");
        let what = format!("{} — {}", cmd.label(), cmd.tooltip());
        assert!(visible(&h, &what), "{what} is not listed");
    }
    for k in OTHER_KEYS {
        assert!(visible(&h, k.keys), "{} is not listed", k.keys);
        assert!(visible(&h, k.what), "{} is not listed", k.what);
    }
    assert_no_autosave(&h);
}

#[test]
fn bad_input_gets_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let mut h = window(sample_cache(), Some(tmp.path().join("bad.json")));

    // An empty folder, opened through File → Open cache folder….
    through_path_bar(&mut h, "Open cache folder…", &empty, Some("Open"));
    for _ in 0..100 {
        if !h.state().is_loading() {
            break;
        }
        h.run();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.state_mut().wait_for_load();
    h.run();
    assert_eq!(h.state().cache_dir(), empty.as_path());
    assert!(h.state().cache().documents.is_empty());
    let msg = format!("No documents found in {}", empty.display());
    assert!(
        h.query_all_by_label(&msg).count() >= 1,
        "no visible {msg:?}"
    );
    assert_eq!(h.state().last_error(), Some(msg.as_str()));
    assert!(visible(&h, "0 of 0 documents"));

    // A corrupt session file: a visible error, the file untouched, the session not replaced.
    let corrupt = tmp.path().join("corrupt.json");
    let bytes = b"{\"schema\": \"doctriage-session/1\", \"documents\": [1, 2,".to_vec();
    std::fs::write(&corrupt, &bytes).unwrap();
    through_path_bar(&mut h, "Open session…", &corrupt, Some("Open"));
    assert!(
        h.state().path_bar().is_some(),
        "the dialog stays open on an error"
    );
    let shown = h
        .query_all_by_label_contains("not a readable session")
        .count();
    assert!(shown >= 1, "no visible error; log: {:?}", h.state().log());
    assert!(
        h.state()
            .last_error()
            .is_some_and(|e| e.contains(s(&corrupt)))
    );
    press(&mut h, Key::Escape);
    assert!(h.state().path_bar().is_none());
    assert_eq!(std::fs::read(&corrupt).unwrap(), bytes);
    assert_ne!(h.state().session_path(), Some(corrupt.as_path()));

    // The same file given at start: reported, never overwritten (Ctrl+S asks for a path). The
    // cache is a small copy (the article and one letter): with no session file the autosave is
    // keyed by the cache folder, and one of the sample cache left by another run would be
    // offered first (a modal).
    let mini = tmp.path().join("mini");
    std::fs::create_dir(&mini).unwrap();
    let sample = doctriage::sample_cache_dir();
    std::fs::copy(sample.join("article.md"), mini.join("article.md")).unwrap();
    std::fs::copy(sample.join(NOTE), mini.join("note.txt")).unwrap();
    let mut h2 = window(mini.clone(), Some(corrupt.clone()));
    assert!(h2.state().recovery_offer().is_none());
    assert_eq!(h2.state().cache().documents.len(), 1);
    assert!(
        h2.state()
            .last_error()
            .is_some_and(|e| e.contains("not a readable session"))
    );
    assert!(
        h2.query_all_by_label_contains("not a readable session")
            .count()
            >= 1,
        "not in the status bar"
    );
    click(&mut h2, "View");
    click(&mut h2, "Errors and warnings");
    assert!(visible(&h2, "This session's messages (2)"));
    assert!(
        h2.query_all_by_label_contains("not a readable session")
            .count()
            >= 2,
        "not in the errors window"
    );
    assert_eq!(h2.state().session_path(), None);
    press(&mut h2, Key::Num2);
    assert!(h2.state().is_dirty());
    press_with(&mut h2, Modifiers::COMMAND, Key::S);
    assert!(h2.state().path_bar().is_some(), "Save asks where");
    press(&mut h2, Key::Escape);
    assert_eq!(std::fs::read(&corrupt).unwrap(), bytes);
    assert_no_autosave(&h);
    assert_no_autosave(&h2);
}

#[test]
fn main_window_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = window(sample_cache(), Some(tmp.path().join("snapshot.json")));
    // The scans are OCR'd (and indexed) before the picture: no progress in the status bar.
    h.state_mut().wait_for_ocr();
    h.state_mut().take_index();
    h.run();
    let cache = h.state().cache().clone();
    type_into(&mut h, "Filter:", "Groza");
    press(&mut h, Key::Escape);
    click_row(&mut h, NOTE_TITLE);
    let st = statement_with(&cache, "Groza-S");
    let st_button = format!("Statement {}", st.id);
    h.get_by_label(&st_button).scroll_to_me();
    h.run();
    click(&mut h, &st_button);
    h.remove_cursor();
    h.run();
    assert_eq!(h.state().current_document_id(), Some(NOTE));
    // No clock in the picture: nothing autosaved, no times in the status bar.
    assert!(!h.state().is_dirty());
    h.snapshot_options(
        "main_window",
        &SnapshotOptions::new().threshold(0.6).max_failed_pixels(16),
    );
    assert_no_autosave(&h);
}

/// The evidence views are reachable from the window (V): a matrix cell opens its record at the
/// quote, the coverage list selects a statement.
#[test]
fn evidence_views_open_the_clicked_record() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = sample_cache();
    let cache = common::scan(&cache_dir);
    let contra = "notes/contradicting_note_2021_11_03_groza_withdrawn.txt";
    let quote_text = "The Groza-S order was withdrawn and no stations were delivered";
    let st = statement_with(&cache, "Groza-S");
    let path = dir.path().join("review.json");
    let mut sess = Session::new(&cache_dir, Some(&path), "t", &cache);
    let contradicts = link(&cache, contra, "Groza-S", Relation::Contradicts, quote_text);
    session::apply(&mut sess, &cache, &contradicts).unwrap();
    sess.save(&path).unwrap();

    let mut h = window(cache_dir, Some(path));
    h.state_mut().wait_for_load();
    h.run();
    press(&mut h, Key::V);
    assert!(visible(&h, "Evidence matrix"), "V opens the evidence views");
    click(&mut h, "Evidence matrix");
    click(
        &mut h,
        &format!("{} × {contra}: contradicts (1 contradicts)", st.id),
    );
    assert_eq!(h.state().current_document_id(), Some(contra));
    assert!(visible_containing(&h, "Note"), "the record is shown");
    click(&mut h, "Coverage");
    assert!(visible_containing(&h, "unsupported"));
    assert_no_autosave(&h);
}

/// The filter bar and `doctriage search` are one engine: the same query (in its language, folded
/// or exact) finds the same records in the window and on the command line.
#[test]
fn the_filter_bar_and_the_search_command_find_the_same_records() {
    let home = tempfile::tempdir().unwrap();
    let mut app = App::new_blocking_for_tests(sample_cache(), None);
    // The scans' text comes from OCR after loading, and the index follows it.
    app.wait_for_ocr();
    app.take_index();
    assert!(app.search_index_ready(), "{:?}", app.last_error());
    let mut sizes = Vec::new();
    for (query, exact) in [
        ("groza", false),
        ("groza", true),
        ("гроза", false),
        ("\"export passport\"", false),
        ("kind:invoice OR kind:export_passport", false),
        ("modern*", false),
        ("grozza~", false),
        ("date:2019..2020 -kind:letter", false),
        ("(sight OR rangefinder) NOT groza", false),
    ] {
        let mut filter = app.filter().clone();
        filter.text = query.to_owned();
        filter.exact = exact;
        app.set_filter(filter);
        let mut window = app.visible_document_ids();
        window.sort();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_doctriage"));
        cmd.args([
            "search",
            s(&sample_cache()),
            query,
            "--json",
            "--limit",
            "100000",
        ])
        .env("XDG_CACHE_HOME", home.path());
        if exact {
            cmd.arg("--exact");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut cli: Vec<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["doc_id"].as_str().unwrap().to_owned())
            .collect();
        cli.sort();
        assert_eq!(json["total"].as_u64(), Some(cli.len() as u64));
        assert_eq!(window, cli, "{query} (exact: {exact})");
        sizes.push((query, exact, window.len()));
    }
    // Real answers, not empty ones; folding finds the Cyrillic spelling that exact matching does not.
    assert!(sizes.iter().all(|(_, _, n)| *n > 0), "{sizes:?}");
    let n = |q: &str, e: bool| sizes.iter().find(|x| x.0 == q && x.1 == e).unwrap().2;
    assert!(n("groza", false) > n("groza", true), "{sizes:?}");
    assert!(n("grozza~", false) >= n("groza", false), "{sizes:?}");
}

/// Review fields in the filter bar follow the session as it is edited, undone and redone.
#[test]
fn the_filter_bar_follows_the_review() {
    let mut app = App::new_blocking_for_tests(sample_cache(), None);
    assert!(app.search_index_ready());
    app.set_filter_text("status:key");
    assert!(app.visible_document_ids().is_empty());
    app.apply_edit(session::Command::SetStatus {
        doc: NOTE.into(),
        status: Status::Key,
    })
    .unwrap();
    assert_eq!(app.visible_document_ids(), vec![NOTE.to_owned()]);
    app.set_filter_text("status:key groza");
    assert_eq!(app.visible_document_ids(), vec![NOTE.to_owned()]);
    app.set_filter_text("status:key -groza");
    assert!(app.visible_document_ids().is_empty());
    app.set_filter_text("status:key");
    app.trigger(UiCommand::Undo);
    app.run_pending();
    assert!(app.visible_document_ids().is_empty());
    app.trigger(UiCommand::Redo);
    app.run_pending();
    assert_eq!(app.visible_document_ids(), vec![NOTE.to_owned()]);
    // A query that cannot mean anything says so and matches its plain words meanwhile.
    app.set_filter_text("date:2019-13 groza");
    let shown = app.visible_document_ids();
    assert!(!shown.is_empty());
    assert!(
        app.engine_note_text().is_some_and(|t| t.contains("date")),
        "{:?}",
        app.engine_note_text()
    );
}

/// A long record appears at once (its first paragraphs in the first frame) and is laid out a
/// block of paragraphs per frame until the whole text is in the viewer.
#[test]
fn a_long_record_is_laid_out_a_block_of_paragraphs_per_frame() {
    use doctriage::gui::viewer::{LAYOUT_STEP_BYTES, paragraph_end};
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..120)
        .map(|i| {
            format!(
                "Paragraph {i}. SYNTHETIC SAMPLE: the delivery schedule of the artillery aiming \
                 equipment was agreed with the buyer's representatives in Minsk.\n"
            )
        })
        .collect();
    assert!(text.len() > 4 * LAYOUT_STEP_BYTES);
    std::fs::write(dir.path().join("long.txt"), &text).unwrap();
    std::fs::write(
        dir.path().join("a_short.txt"),
        "SYNTHETIC SAMPLE: a short note.\n",
    )
    .unwrap();
    let cache = dir.path().to_path_buf();
    let mut h = window(cache, None);
    assert_eq!(h.state().current_document_id(), Some("a_short.txt"));
    assert!(h.state_mut().select_document("long.txt"));
    let full = h.state().current_document().unwrap().text.clone();
    let shown = |h: &Window| {
        h.get_by_label("Document text")
            .value()
            .unwrap_or_default()
            .to_string()
    };
    h.step();
    let first = shown(&h);
    assert_eq!(first.len(), paragraph_end(&full, LAYOUT_STEP_BYTES));
    assert!(full.starts_with(&first) && first.ends_with('\n'));
    h.step();
    let second = shown(&h);
    assert!(second.len() > first.len() && full.starts_with(&second));
    h.run();
    assert_eq!(shown(&h), full);
}

// ----- a day of review (issue 12) -----

#[test]
fn a_click_on_the_title_text_of_a_row_opens_the_record() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    h.state_mut().set_filter_text("Groza");
    h.run();
    assert_ne!(h.state().current_document_id(), Some(NOTE));

    let before = h.state().current_document_id().map(str::to_owned);
    let at = title_text_centre(&h, NOTE_TITLE);
    click_at(&mut h, at);
    assert_eq!(
        h.state().current_document_id(),
        Some(NOTE),
        "was {before:?}"
    );
    assert!(visible(&h, "Coding"));
    assert_no_autosave(&h);
}

/// The last message of the window's log.
fn last_log(h: &Window) -> String {
    h.state()
        .log()
        .last()
        .map(|e| e.text.clone())
        .unwrap_or_default()
}

/// The note open, the Groza-S statement selected and the quote selected in the viewer.
fn ready_to_link(h: &mut Window) -> String {
    open_note(h);
    let cache = h.state().cache().clone();
    let doc = cache.document(NOTE).expect("the note").clone();
    let st = statement_with(&cache, "Groza-S");
    h.state_mut().select_statement(&st.id);
    h.run();
    let (start, end) = char_span(&doc.text, QUOTE);
    select_in_viewer(h, start, end);
    st.id
}

#[test]
fn a_second_identical_link_is_not_an_undo_step() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    let sid = ready_to_link(&mut h);
    press(&mut h, Key::L);
    assert_eq!(note_links(&h).len(), 1);
    let revision = h.state().editor().revision();

    // The same link again changes nothing: not recorded, and the log says so.
    select_in_viewer(&mut h, 0, 0);
    let (start, end) = char_span(
        &h.state().cache().document(NOTE).expect("the note").text,
        QUOTE,
    );
    select_in_viewer(&mut h, start, end);
    press(&mut h, Key::L);
    assert_eq!(note_links(&h).len(), 1);
    assert_eq!(h.state().editor().revision(), revision);
    let said = last_log(&h);
    assert!(said.starts_with("Nothing changed"), "the log says {said:?}");
    assert!(!said.contains(&format!("Linked {NOTE} to {sid}")), "{said}");

    // One Ctrl+Z takes the link away.
    press_with(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(note_links(&h).is_empty());
    assert_no_autosave(&h);
}

#[test]
fn after_a_link_the_relation_is_supports_again_and_the_log_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = review_window(&tmp);
    let sid = ready_to_link(&mut h);
    h.state_mut().set_link_relation(Relation::Contradicts);
    h.run();
    press(&mut h, Key::L);
    let links = note_links(&h);
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].relation, Relation::Contradicts);
    assert_eq!(
        last_log(&h),
        format!("Linked {NOTE} to {sid} (contradicts)")
    );
    assert_eq!(h.state().link_relation(), Relation::Supports);
    assert_no_autosave(&h);
}

/// Metadata that can expose a source (here a scan's EXIF camera serial and GPS position) is
/// shown in the record details marked as sensitive; the rest is shown plainly.
#[test]
fn sensitive_metadata_is_marked_in_the_record_details() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scans")).unwrap();
    std::fs::copy(
        common::fixture("images/exif_gps.jpg"),
        dir.path().join("scans/photo.jpg"),
    )
    .unwrap();
    let mut h = window(dir.path().to_path_buf(), None);
    h.state_mut().wait_for_load();
    h.run();
    assert!(h.state_mut().select_document("scans/photo.jpg"));
    h.run();
    assert!(
        visible(&h, "SN-000123 (invented)"),
        "the serial number is shown"
    );
    let marks = h.query_all_by_label("sensitive").count();
    assert!(
        marks >= 4,
        "camera, serial, artist, software and GPS are marked: {marks}"
    );
    assert!(
        visible_containing(&h, "1200 × 200 px"),
        "the image size is shown"
    );
}
