//! The filter bar in the window: a query that cannot mean anything says so, and matches its plain
//! words, or nothing when it has none — never every document.

mod common;

use doctriage::gui::App;
use egui_kittest::kittest::Queryable as _;

fn window() -> egui_kittest::Harness<'static, App> {
    let mut h = common::gui::harness_builder()
        .build_eframe(|_cc| App::new_blocking_for_tests(doctriage::sample_cache_dir(), None));
    h.run();
    h
}

fn type_query(h: &mut egui_kittest::Harness<'static, App>, query: &str) {
    h.get_by_label("Filter:").focus();
    h.run();
    h.get_by_label("Filter:").type_text(query);
    h.run();
}

#[test]
fn a_bad_query_without_plain_words_matches_nothing_and_says_so() {
    let mut h = window();
    let total = h.state().cache().documents.len();
    assert!(h.state().search_index_ready());
    type_query(&mut h, "date:2019..20x");
    assert_eq!(h.state().filter_text(), "date:2019..20x");
    assert!(
        h.query_by_label(&format!("0 of {total} documents"))
            .is_some(),
        "the list counts no hit"
    );
    let note = h.state().engine_note_text().unwrap_or_default();
    assert!(note.contains("nothing matches"), "{note}");
    assert!(h.state_mut().visible_document_ids().is_empty());
}

#[test]
fn a_bad_query_with_plain_words_matches_those_words() {
    let mut h = window();
    type_query(&mut h, "date:2019..20x groza");
    let shown = h.state_mut().visible_document_ids();
    assert!(!shown.is_empty());
    assert!(shown.len() < h.state().cache().documents.len());
    let note = h.state().engine_note_text().unwrap_or_default();
    assert!(note.contains("plain words are matched instead"), "{note}");
}

#[test]
fn the_bar_names_an_unknown_field_an_open_parenthesis_and_an_unknown_id() {
    let mut h = window();
    type_query(&mut h, "colour:red (groza id:nothing/here");
    h.run();
    for said in [
        "unknown field colour:",
        "1 “(” not closed",
        "no document has the id nothing/here",
    ] {
        assert!(
            h.query_all_by_label_contains(said).next().is_some(),
            "the bar does not say {said:?}"
        );
    }
    // A query with nothing wrong says nothing.
    h.get_by_label("Filter:").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Filter:").type_text("groza");
    h.run();
    assert!(
        h.query_all_by_label_contains("unknown field")
            .next()
            .is_none()
    );
    assert!(h.query_all_by_label_contains("not closed").next().is_none());
}

#[test]
fn a_pasted_id_finds_its_document_and_enter_opens_it() {
    let mut h = window();
    let total = h.state().cache().documents.len();
    type_query(&mut h, "dn-2022-003");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state_mut().visible_document_ids(), ["dn-2022-003"]);
    assert!(
        h.query_by_label(&format!("1 of {total} documents"))
            .is_some()
    );
    assert_eq!(h.state().current_document_id(), Some("dn-2022-003"));
    // The filter gave the keyboard back: J and K move in the list again.
    assert!(!h.get_by_label("Filter:").is_focused());
}

/// The viewer highlights what the list matches: whole words, so "roza" is not lit inside
/// "Groza" while the list has no hit for it; "groza" is, in Latin and Cyrillic.
#[test]
fn the_viewer_lights_the_words_the_list_matches_not_parts_of_words() {
    let mut h = window();
    let note = "notes/note_2020_09_14_groza_agreement.txt";
    type_query(&mut h, "roza");
    assert!(h.state_mut().visible_document_ids().is_empty());
    assert!(h.state_mut().select_document(note));
    h.run();
    assert_eq!(h.state().viewer_filter_hits(), []);
    h.state_mut().set_filter_text("groza");
    h.run();
    assert!(
        h.state_mut()
            .visible_document_ids()
            .iter()
            .any(|id| id == note)
    );
    let text = common::document(h.state().cache(), note).text.clone();
    let hits = h.state().viewer_filter_hits();
    assert!(!hits.is_empty());
    for (a, b) in hits {
        assert!(
            common::chars(&text, a, b)
                .to_lowercase()
                .starts_with("groza")
        );
    }
}
