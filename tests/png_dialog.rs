//! Save view as PNG… opens its path dialog in front of the evidence views window: a click on the
//! dialog's path field reaches the field, not the views behind it.

mod common;

use doctriage::gui::App;
use egui::Key;
use egui_kittest::kittest::Queryable as _;

#[test]
fn the_png_path_dialog_is_in_front_of_the_views_window() {
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    h.key_press(Key::V);
    h.run();
    common::gui::click(&mut h, "Save view as PNG…");
    assert!(h.state().path_bar().is_some(), "the path dialog opened");
    // Click the views window once more (as an analyst reading it would), then the path field.
    let views_title = h.get_by_label("Evidence views").rect().center();
    common::gui::click_at(&mut h, views_title);
    let field = h.get_by_label("Path:").rect().center();
    common::gui::click_at(&mut h, field);
    assert!(
        h.get_by_label("Path:").is_focused(),
        "the click on the path field landed behind it"
    );
}
