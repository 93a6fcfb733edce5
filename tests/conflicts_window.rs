//! A session a merge left with a conflict opens with the Conflicts window: the field side by
//! side with who set each value, and a choice that is an ordinary undoable edit.

mod common;

use doctriage::gui::App;
use doctriage::session::{self, Command, Session, Status};
use egui_kittest::kittest::Queryable as _;

const LETTER: &str = "letters/letter_2018_06_05.txt";

fn status_by(analyst: &str, base: &Session, cache: &doctriage::Cache, status: Status) -> Session {
    let mut s = base.clone();
    s.analyst = analyst.to_owned();
    let cmd = Command::SetStatus {
        doc: LETTER.into(),
        status,
    };
    session::apply(&mut s, cache, &cmd).expect("a status");
    s
}

#[test]
fn a_merged_sessions_conflict_is_chosen_in_the_window_and_undone() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = common::scan(&common::sample());
    let path = tmp.path().join("merged.doctriage.json");
    let base = Session::new(&cache.root, Some(&path), "Base", &cache);
    let ours = status_by("Ana", &base, &cache, Status::Key);
    let theirs = status_by("Ben", &base, &cache, Status::Irrelevant);
    let merged = session::merge(&base, &ours, &theirs, "Ana").expect("a merge");
    assert_eq!(merged.conflicts, 1);
    merged.session.save(&path).expect("saved");

    let p = path.clone();
    let mut h = common::gui::harness_builder().build_eframe(move |_cc| {
        App::new_blocking_for_tests(doctriage::sample_cache_dir(), Some(p))
    });
    h.run();
    assert!(
        h.query_by_label("Conflicts").is_some(),
        "the window opens by itself"
    );
    for said in ["key", "irrelevant", "by Ana", "by Ben"] {
        assert!(
            h.query_all_by_label_contains(said).next().is_some(),
            "the window does not show {said:?}"
        );
    }
    // Until chosen, the field keeps the value both sides started from.
    assert_eq!(h.state().session().status(LETTER), Status::Unreviewed);
    common::gui::click(&mut h, "Take theirs");
    assert_eq!(h.state().session().status(LETTER), Status::Irrelevant);
    assert!(h.state().session().conflicts().is_empty());
    assert!(
        h.query_all_by_label_contains("No conflicts")
            .next()
            .is_some()
    );
    // An ordinary edit: undo brings the conflict back.
    h.state_mut()
        .trigger(doctriage::gui::commands::UiCommand::Undo);
    h.run();
    assert_eq!(h.state().session().conflicts().len(), 1);
}
