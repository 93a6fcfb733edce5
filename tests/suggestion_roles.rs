//! Senders and recipients are suggested apart: an organisation in the address block of a letter
//! (`To the Director General` / `Optoval Instruments JSC`) or the stated recipient is offered as a
//! recipient, never as a sender, so Accept all (A) never files a recipient as a sender.

mod common;

use doctriage::gui::App;
use egui::Key;
use egui_kittest::kittest::Queryable as _;

const LETTER: &str = "letters/letter_2019_03_14.txt";
const OPTOVAL: &str = "Optoval Instruments JSC (fictional)";

#[test]
fn the_addressee_of_a_letter_is_a_recipient_not_a_sender() {
    let cache = common::scan(&common::sample());
    let doc = common::document(&cache, LETTER);
    let s = doctriage::extract::Extractor::new(&cache.gazetteer).suggest(doc);
    let values = |c: &[doctriage::Candidate]| c.iter().map(|c| c.value.clone()).collect::<Vec<_>>();
    assert!(
        !values(&s.senders).contains(&OPTOVAL.to_owned()),
        "{:?}",
        s.senders
    );
    assert!(
        values(&s.recipients).contains(&OPTOVAL.to_owned()),
        "{:?}",
        s.recipients
    );
    assert!(values(&s.senders).contains(&"State arms-export agency".to_owned()));
}

#[test]
fn the_window_offers_the_addressee_as_a_recipient_and_accept_all_files_no_recipient_as_sender() {
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    assert!(h.state_mut().select_document(LETTER));
    h.run();
    assert!(
        h.query_by_label(&format!("Accept recipient {OPTOVAL}"))
            .is_some(),
        "a recipient chip for the addressee"
    );
    assert!(
        h.query_by_label(&format!("Accept sender {OPTOVAL}"))
            .is_none(),
        "no sender chip for the addressee"
    );
    h.key_press(Key::A);
    h.run();
    let review = h
        .state()
        .session()
        .review(LETTER)
        .cloned()
        .unwrap_or_default();
    assert!(
        review
            .senders
            .contains(&"State arms-export agency".to_owned()),
        "{:?}",
        review.senders
    );
    assert!(
        !review.senders.contains(&OPTOVAL.to_owned()),
        "{:?}",
        review.senders
    );
    // The recipient chip files it where it belongs.
    h.get_by_label(&format!("Accept recipient {OPTOVAL}"))
        .click();
    h.run();
    let review = h
        .state()
        .session()
        .review(LETTER)
        .cloned()
        .unwrap_or_default();
    assert_eq!(review.recipients, [OPTOVAL]);
}
