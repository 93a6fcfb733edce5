//! A quote taken from a selection that starts or ends on whitespace is trimmed to its first and
//! last visible character, its offsets follow, and the link form shows it exactly as stored.

mod common;

use doctriage::gui::App;
use doctriage::gui::commands::UiCommand;
use egui_kittest::kittest::Queryable as _;

const NOTE: &str = "notes/note_2020_09_14_groza_agreement.txt";
const QUOTE: &str = "four (4) Groza-S mobile counter-drone electronic-warfare stations";

#[test]
fn a_selection_with_spaces_around_quotes_only_the_words() {
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    let text = common::document(h.state().cache(), NOTE).text.clone();
    let (start, end) = common::char_span(&text, QUOTE);
    let statement = common::statement_with(h.state().cache(), "Groza").id;
    let app = h.state_mut();
    assert!(app.select_document(NOTE));
    // The drag starts on the space before "four" and ends on the space after "stations".
    app.set_viewer_selection(start - 1, end + 1);
    app.trigger(UiCommand::UseSelectionAsQuote);
    app.run_pending();
    app.select_statement(&statement);
    h.run();
    assert!(
        h.query_by_label(&format!("“{QUOTE}”")).is_some(),
        "the form shows the quote as stored"
    );
    let app = h.state_mut();
    app.trigger(UiCommand::LinkToStatement);
    app.run_pending();
    let link = app.session().review(NOTE).unwrap().links[0].clone();
    let quote = link.quote.unwrap();
    assert_eq!(quote.text, QUOTE);
    assert_eq!((quote.start, quote.end), (start, end));
}

/// The screen point at the middle of char `c` of the document text (its text runs say where).
fn char_point(h: &egui_kittest::Harness<'_, App>, c: usize) -> egui::Pos2 {
    use egui::accesskit::Role;
    use egui_kittest::kittest::NodeT as _;
    let viewer = h.get_by_label("Document text");
    let mut offset = 0;
    for run in viewer
        .accesskit_node()
        .children()
        .filter(|n| n.role() == Role::TextRun)
    {
        let len = run.value().unwrap_or_default().chars().count();
        if c < offset + len {
            let data = run.data();
            let i = c - offset;
            let x = data.character_positions().map_or(0.0, |p| p[i]);
            let w = data.character_widths().map_or(0.0, |w| w[i]);
            let b = run.raw_bounds().expect("a text run has bounds");
            return egui::pos2(b.x0 as f32 + x + w / 2.0, ((b.y0 + b.y1) / 2.0) as f32);
        }
        offset += len;
    }
    panic!("char {c} is not laid out");
}

/// A mouse drag from char `from` to char `to` of the document text, in small steps.
fn drag(
    h: &mut egui_kittest::Harness<'_, App>,
    from: usize,
    to: usize,
    modifiers: egui::Modifiers,
) {
    let (a, b) = (char_point(h, from), char_point(h, to));
    h.event(egui::Event::ModifiersChanged(modifiers));
    h.event(egui::Event::PointerMoved(a));
    h.run();
    h.event(egui::Event::PointerButton {
        pos: a,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    h.run();
    for k in 1..=8 {
        h.event(egui::Event::PointerMoved(a + (b - a) * (k as f32 / 8.0)));
        h.run();
    }
    h.event(egui::Event::PointerButton {
        pos: b,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.run();
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.run();
}

#[test]
fn a_drag_snaps_to_whole_words_and_alt_keeps_the_characters() {
    const LETTER: &str = "letters/letter_2019_03_14.txt";
    const WORDS: &str = "artillery aiming equipment";
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    assert!(h.state_mut().select_document(LETTER));
    h.run();
    let text = common::document(h.state().cache(), LETTER).text.clone();
    let (start, end) = common::char_span(&text, WORDS);
    // From inside "artillery" ("rtillery") to inside "equipment" ("equipme").
    drag(&mut h, start + 1, end - 3, egui::Modifiers::NONE);
    let sel = h.state().viewer_selection().cloned().expect("a selection");
    assert_eq!(
        common::chars(&text, sel.start, sel.end),
        WORDS,
        "the drag did not snap to whole words"
    );
    // With Alt, the characters dragged over.
    drag(&mut h, start + 1, end - 3, egui::Modifiers::ALT);
    let sel = h.state().viewer_selection().cloned().expect("a selection");
    assert!(
        sel.start == start + 1 && (end - 4..=end - 2).contains(&sel.end),
        "{:?}",
        common::chars(&text, sel.start, sel.end)
    );
    // Shift+→ moves the end of the selection a character on (the document stays: no shortcut).
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run();
    let moved = h.state().viewer_selection().cloned().expect("a selection");
    assert_eq!((moved.start, moved.end), (sel.start, sel.end + 1));
    assert_eq!(h.state().current_document_id(), Some(LETTER));
    // Alt+Shift+← moves the other end: the start, a character back ("artillery" whole again).
    h.key_press_modifiers(
        egui::Modifiers::ALT | egui::Modifiers::SHIFT,
        egui::Key::ArrowLeft,
    );
    h.run();
    let both = h.state().viewer_selection().cloned().expect("a selection");
    assert_eq!((both.start, both.end), (sel.start - 1, sel.end + 1));
    assert_eq!(both.start, start);
}

#[test]
fn a_double_click_selects_a_word() {
    const LETTER: &str = "letters/letter_2019_03_14.txt";
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    assert!(h.state_mut().select_document(LETTER));
    h.run();
    let text = common::document(h.state().cache(), LETTER).text.clone();
    let (start, _) = common::char_span(&text, "artillery aiming equipment");
    // Inside "aiming".
    let at = char_point(&h, start + 12);
    h.event(egui::Event::PointerMoved(at));
    h.run();
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton {
                pos: at,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        h.step();
    }
    h.run();
    let sel = h.state().viewer_selection().cloned().expect("a selection");
    assert_eq!(common::chars(&text, sel.start, sel.end), "aiming");
}
