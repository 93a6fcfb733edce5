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
