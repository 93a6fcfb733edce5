//! No stale autosave is offered: after Save session as…, the autosave of the never-saved session
//! is gone (the next start offers nothing), and a window refused by the session lock offers none.

mod common;

use doctriage::gui::App;
use doctriage::gui::autosave::autosave_path_in;
use doctriage::gui::path_bar::PathAction;
use doctriage::session::{Command, Status};
use egui_kittest::kittest::Queryable as _;

const LETTER: &str = "letters/letter_2018_06_05.txt";

fn loaded(session: Option<std::path::PathBuf>, autosaves: &std::path::Path) -> App {
    let mut app = App::new_with_autosave_dir(
        doctriage::sample_cache_dir(),
        session,
        None,
        Some(autosaves.to_path_buf()),
    );
    app.wait_for_load();
    app
}

fn tag(app: &mut App) {
    let cmd = Command::SetStatus {
        doc: LETTER.into(),
        status: Status::Key,
    };
    assert_eq!(app.apply_edit(cmd), Ok(true));
}

/// The window of a plain start, as the analyst sees it: true when it offers a recovery.
fn window_offers_recovery(
    session: Option<std::path::PathBuf>,
    autosaves: &std::path::Path,
) -> bool {
    let autosaves = autosaves.to_path_buf();
    let mut h = common::gui::harness_builder().build_eframe(move |_cc| loaded(session, &autosaves));
    h.run();
    let offered = h.query_by_label("Recover").is_some();
    assert_eq!(offered, h.state().recovery_offer().is_some());
    offered
}

#[test]
fn after_save_as_the_never_saved_sessions_autosave_is_not_offered_again() {
    let dir = tempfile::tempdir().unwrap();
    let autosaves = dir.path().join("autosave");
    let session = dir.path().join("review.json");
    {
        let mut app = loaded(None, &autosaves);
        tag(&mut app);
        let unsaved = app.autosave_now().expect("autosave");
        assert!(unsaved.exists());
        app.submit_path(PathAction::SaveSession, &session)
            .expect("save as");
        app.wait_for_save();
        assert!(!app.is_dirty());
        assert!(
            !unsaved.exists(),
            "the never-saved session's autosave stays"
        );
    }
    assert!(
        !window_offers_recovery(None, &autosaves),
        "a plain start offers the state from before the save"
    );
}

#[test]
fn a_window_refused_by_the_session_lock_offers_no_autosave() {
    let dir = tempfile::tempdir().unwrap();
    let autosaves = dir.path().join("autosave");
    let session = dir.path().join("review.json");
    let mut first = loaded(Some(session.clone()), &autosaves);
    tag(&mut first);
    first
        .submit_path(PathAction::SaveSession, &session)
        .expect("save");
    first.wait_for_save();
    // An autosave of the cache's unsaved session is lying around from another day.
    let stray = autosave_path_in(&autosaves, None, &doctriage::sample_cache_dir());
    std::fs::create_dir_all(&autosaves).unwrap();
    std::fs::write(&stray, first.session().to_json()).unwrap();
    let second = loaded(Some(session.clone()), &autosaves);
    assert!(
        second
            .last_error()
            .is_some_and(|e| e.contains("another doctriage")),
        "{:?}",
        second.last_error()
    );
    drop(second);
    assert!(
        !window_offers_recovery(Some(session), &autosaves),
        "a window refused by the lock offers another window's autosave"
    );
    drop(first);
}
