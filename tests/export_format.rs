//! Export… lets the analyst choose the format in the dialog (the extension's format is the
//! default, JSON for an extension no format has) and says which format was written.

mod common;

use doctriage::gui::App;
use doctriage::gui::commands::UiCommand;
use doctriage::gui::path_bar::PathAction;

fn window() -> egui_kittest::Harness<'static, App> {
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    h
}

fn export(h: &mut egui_kittest::Harness<'static, App>, path: &std::path::Path, pick: Option<&str>) {
    h.state_mut().trigger(UiCommand::ExportFindings);
    h.run();
    let bar = h.state_mut().path_bar_mut().expect("the export dialog");
    bar.text = common::s(path).to_owned();
    h.run();
    if let Some(format) = pick {
        common::gui::click(h, &format!("Format {format}"));
    }
    h.state_mut()
        .submit_path(PathAction::ExportFindings, path)
        .expect("export");
    h.state_mut().wait_for_export();
}

#[test]
fn the_format_chosen_in_the_dialog_is_written_whatever_the_extension() {
    let mut h = window();
    let dir = tempfile::tempdir().unwrap();
    let memo = dir.path().join("memo.txt");
    export(&mut h, &memo, Some("md"));
    let text = std::fs::read_to_string(&memo).unwrap();
    assert!(
        text.starts_with("# "),
        "a Markdown memo: {}",
        &text[..80.min(text.len())]
    );
    let said = h
        .state()
        .log()
        .last()
        .map(|e| e.text.clone())
        .unwrap_or_default();
    assert!(said.starts_with("Exported findings as md"), "{said}");
}

#[test]
fn an_unknown_extension_defaults_to_json_and_says_so() {
    let mut h = window();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("findings.txt");
    export(&mut h, &out, None);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("doctriage.findings/"), "JSON findings");
    let said = h
        .state()
        .log()
        .last()
        .map(|e| e.text.clone())
        .unwrap_or_default();
    assert!(said.starts_with("Exported findings as json"), "{said}");
}

/// The memo of a session kept far from its cache names the cache by its folder, not by the
/// `../../…` path the session file holds.
#[test]
fn the_memo_names_the_cache_by_its_folder_when_the_session_is_far_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a").join("b");
    std::fs::create_dir_all(&deep).unwrap();
    let session = deep.join("far.doctriage.json");
    let mut h = common::gui::harness_builder().build_eframe(move |_cc| {
        App::new_blocking_for_tests(doctriage::sample_cache_dir(), Some(session))
    });
    h.run();
    let memo = dir.path().join("memo.md");
    export(&mut h, &memo, None);
    let text = std::fs::read_to_string(&memo).unwrap();
    assert!(text.contains("- **Cache:** `sample_cache`"), "{text}");
    assert!(!text.contains("../"), "the memo prints a relative path");
}
