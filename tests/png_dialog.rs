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

/// An evidence matrix wider than its window (every document linked) is saved whole: the PNG is
/// as wide as the matrix's content, not the part on screen, and its right end is drawn.
#[test]
fn save_view_as_png_holds_the_whole_view_not_only_the_visible_part() {
    use doctriage::session::{Relation, link_command};
    use egui::Modifiers;

    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::gui::harness_builder()
        .with_max_steps(200)
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    let cache = h.state().cache().clone();
    let statement = common::statement_with(&cache, "Groza-S").id;
    for doc in &cache.documents {
        let cmd = link_command(&cache, &doc.id, &statement, Relation::Supports, None, None)
            .expect("a link");
        h.state_mut().apply_edit(cmd).expect("linked");
    }
    h.key_press(Key::V);
    h.run();
    common::gui::click(&mut h, "Evidence matrix");
    let frame =
        doctriage::gui::views::capture::last_scroll_frame(&h.ctx).expect("the matrix scrolls");
    assert!(
        frame.content_size.x > frame.inner_rect.width() * 1.5,
        "the test needs a matrix wider than its window: {frame:?}"
    );
    let view = doctriage::gui::views::last_view_rect(&h.state().saved_state().views).expect("view");

    let path = tmp.path().join("matrix.png");
    common::gui::click(&mut h, "Save view as PNG…");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label("Path:").type_text(path.to_str().unwrap());
    h.run();
    h.key_press(Key::Enter);
    h.run();
    for _ in 0..200 {
        if !h.state().is_saving_view_png() {
            break;
        }
        h.step();
    }
    assert!(!h.state().is_saving_view_png(), "the PNG was not finished");
    assert!(path.is_file(), "{:?}", h.state().last_error());

    let decoder = png::Decoder::new(std::io::Cursor::new(std::fs::read(&path).unwrap()));
    let mut reader = decoder.read_info().expect("a PNG");
    let (w, hgt) = (reader.info().width as f32, reader.info().height as f32);
    assert!(
        w >= view.width() + frame.content_size.x - frame.inner_rect.width() - 2.0,
        "{w} px wide: the view is {} on screen, its content {}",
        view.width(),
        frame.content_size.x
    );
    assert!(hgt >= view.height() - 2.0, "{hgt}");
    // The right end of the matrix (out of sight on screen) is drawn, not left blank.
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).expect("pixels");
    let row_bytes = info.line_size;
    let right = (info.width as usize * 9) / 10;
    let mut colours = std::collections::BTreeSet::new();
    for y in 0..info.height as usize {
        for x in right..info.width as usize {
            colours.insert(buf[y * row_bytes + x * 4..][..4].to_vec());
        }
    }
    let drawn = colours.len() >= 3;
    assert!(drawn, "the right end of the matrix is blank");
}
