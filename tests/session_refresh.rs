//! Every way the session of the window changes — an edit, undo and redo, opening a session
//! file, recovering an autosave — refreshes what is derived from it: the reviewed count and the
//! claim ledger of the status bar and the statements panel. And the autosave keeps running when
//! the window only gets `logic` (minimised), not `ui`.
//!
//! The sample cache is only read; sessions and autosaves go to temporary folders.

mod common;

use std::path::{Path, PathBuf};

use doctriage::gui::App;
use doctriage::gui::commands::UiCommand;
use doctriage::gui::path_bar::PathAction;
use doctriage::session::{ClaimStatus, Command, Link, Relation, Status};
use doctriage::workspace::Workspace;
use egui_kittest::kittest::Queryable as _;

/// Two records of the sample cache and the statement linked in these tests.
const LETTER: &str = "letters/letter_2018_06_05.txt";
const NOTE: &str = "notes/note_2020_09_14_groza_agreement.txt";

fn edits(ws: &Workspace) -> Vec<Command> {
    let statement = ws
        .cache()
        .article
        .as_ref()
        .map(|(_, a)| a.statements[0].clone())
        .expect("the sample cache has an article");
    vec![
        Command::SetStatus {
            doc: LETTER.into(),
            status: Status::Relevant,
        },
        Command::SetStatus {
            doc: NOTE.into(),
            status: Status::Key,
        },
        Command::Link {
            doc: NOTE.into(),
            link: Link {
                statement: statement.id,
                statement_text: statement.text,
                relation: Relation::Supports,
                quote: None,
                note: None,
                ..Link::default()
            },
        },
    ]
}

fn supported(app: &mut App) -> usize {
    app.ledger()
        .iter()
        .filter(|r| r.status == ClaimStatus::Supported)
        .count()
}

/// The window (drawn) over the state `app`, for reading the status bar as the analyst sees it.
fn status_bar_text(app: App) -> (App, bool, bool) {
    let mut h = common::gui::harness_builder()
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), app);
    h.run();
    let total = h.state().cache().documents.len();
    let reviewed_2 = h
        .query_by_label(&format!("Reviewed 2 / {total} documents"))
        .is_some();
    let supported_1 = h.query_by_label("1 supported").is_some();
    (h.into_state(), reviewed_2, supported_1)
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn loaded(session: Option<PathBuf>, autosaves: &Path) -> App {
    let mut app = App::new_with_autosave_dir(
        common::sample(),
        session,
        None,
        Some(autosaves.to_path_buf()),
    );
    app.wait_for_load();
    app
}

#[test]
fn recovering_an_autosave_refreshes_the_reviewed_count_and_the_ledger() {
    let dir = temp();
    let autosaves = dir.path().join("autosave");
    let session = dir.path().join("review.json");
    {
        let mut first = loaded(Some(session.clone()), &autosaves);
        for cmd in edits(first.workspace()) {
            first.apply_edit(cmd).expect("edit");
        }
        assert_eq!(first.reviewed_count(), 2);
        first.autosave_now().expect("autosave");
    }
    let mut app = loaded(Some(session), &autosaves);
    assert!(app.recovery_offer().is_some(), "the autosave is offered");
    assert_eq!(app.reviewed_count(), 0);
    assert_eq!(supported(&mut app), 0);
    app.recover_autosave().expect("recover");
    assert_eq!(app.reviewed_count(), 2, "reviewed count after Recover");
    assert_eq!(supported(&mut app), 1, "ledger after Recover");
    let (_, reviewed_2, supported_1) = status_bar_text(app);
    assert!(
        reviewed_2,
        "the status bar says Reviewed 2 / N after Recover"
    );
    assert!(
        supported_1,
        "the statements header says 1 supported after Recover"
    );
}

#[test]
fn opening_a_session_file_refreshes_the_reviewed_count_and_the_ledger() {
    let dir = temp();
    let path = dir.path().join("team.json");
    let mut ws =
        Workspace::create_session(&common::sample(), &path, "ana", false).expect("session");
    for cmd in edits(&ws) {
        ws.apply(cmd).expect("edit");
    }
    ws.save().expect("save");
    drop(ws);
    let mut app = loaded(None, &dir.path().join("autosave"));
    assert_eq!(app.reviewed_count(), 0);
    app.submit_path(PathAction::OpenSession, &path)
        .expect("open session");
    assert_eq!(app.session_path(), Some(path.as_path()));
    assert_eq!(app.reviewed_count(), 2, "reviewed count after Open session");
    assert_eq!(supported(&mut app), 1, "ledger after Open session");
    let (_, reviewed_2, supported_1) = status_bar_text(app);
    assert!(reviewed_2 && supported_1);
}

#[test]
fn undo_and_redo_refresh_the_reviewed_count_and_the_ledger() {
    let dir = temp();
    let mut app = loaded(None, &dir.path().join("autosave"));
    for cmd in edits(app.workspace()) {
        app.apply_edit(cmd).expect("edit");
    }
    assert_eq!((app.reviewed_count(), supported(&mut app)), (2, 1));
    app.trigger(UiCommand::Undo);
    app.run_pending();
    assert_eq!(
        (app.reviewed_count(), supported(&mut app)),
        (2, 0),
        "undo the link"
    );
    app.trigger(UiCommand::Undo);
    app.run_pending();
    assert_eq!(
        (app.reviewed_count(), supported(&mut app)),
        (1, 0),
        "undo a status"
    );
    app.trigger(UiCommand::Redo);
    app.trigger(UiCommand::Redo);
    app.run_pending();
    assert_eq!(
        (app.reviewed_count(), supported(&mut app)),
        (2, 1),
        "redo both"
    );
}

#[test]
fn the_autosave_runs_while_the_window_is_minimised() {
    let dir = temp();
    let mut app = loaded(
        Some(dir.path().join("s.json")),
        &dir.path().join("autosave"),
    );
    let path = app.autosave_path().expect("autosave path").to_path_buf();
    let cmd = edits(app.workspace()).remove(0);
    app.apply_edit(cmd).expect("edit");
    // Minimised, eframe calls `logic` and not `ui`: run passes with `logic` alone, the clock
    // passing the 30 s autosave period.
    let ctx = egui::Context::default();
    for t in [0.0, 10.0, 31.0] {
        ctx.begin_pass(egui::RawInput {
            time: Some(t),
            ..Default::default()
        });
        app.logic_step(&ctx);
        ctx.end_pass().textures_delta.clear();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !path.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(path.exists(), "no autosave at {}", path.display());
    let saved = doctriage::session::Session::load(&path).expect("the autosave loads");
    assert_eq!(saved.status(LETTER), Status::Relevant);
}
