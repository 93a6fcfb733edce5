//! The panes keep their size: a filter with no hits does not shrink the list pane, and a record
//! with a long id does not widen the coding panel.

mod common;

use doctriage::gui::App;
use egui_kittest::kittest::Queryable as _;

fn window() -> egui_kittest::Harness<'static, App> {
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    h
}

#[test]
fn a_filter_with_no_hits_keeps_the_list_pane_wide() {
    let mut h = window();
    let before = h.get_by_label("Filter:").rect().width();
    h.state_mut().set_filter_text("zzzznothingmatchesthis");
    h.run();
    assert!(h.state_mut().visible_document_ids().is_empty());
    let after = h.get_by_label("Filter:").rect().width();
    assert!(
        (before - after).abs() < 1.0,
        "filter field {before} → {after}"
    );
}

#[test]
fn a_long_id_does_not_widen_the_coding_panel() {
    let mut h = window();
    let short = "letters/letter_2018_06_05.txt";
    assert!(h.state_mut().select_document(short));
    h.run();
    let before = h.get_by_label("Notes").rect().width();
    let long = h
        .state()
        .cache()
        .documents
        .iter()
        .map(|d| d.id.clone())
        .max_by_key(|id| id.chars().count())
        .unwrap();
    assert!(h.state_mut().select_document(&long));
    h.run();
    let after = h.get_by_label("Notes").rect().width();
    assert!(
        (before - after).abs() < 1.0,
        "notes box {before} → {after} ({long})"
    );
}

#[test]
fn the_viewer_text_stays_put_when_a_selection_starts() {
    let mut h = window();
    let doc = "notes/note_2020_09_14_groza_agreement.txt";
    assert!(h.state_mut().select_document(doc));
    h.run();
    let before = h.get_by_label("Document text").rect();
    h.state_mut().set_viewer_selection(10, 40);
    h.run();
    let after = h.get_by_label("Document text").rect();
    assert!(
        (before.min.y - after.min.y).abs() < 0.5,
        "the text moved from y {} to {}",
        before.min.y,
        after.min.y
    );
}
