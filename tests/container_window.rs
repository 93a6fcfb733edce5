//! Containers in the window: the list is a tree whose containers fold their members away, and the
//! viewer of a mailbox's message lists its thread and links to its attachment and its mailbox.

mod common;

use doctriage::gui::App;
use egui_kittest::kittest::Queryable as _;

type Window = egui_kittest::Harness<'static, App>;

fn sample_window() -> Window {
    let root = doctriage::sample_cache_dir();
    let mut h = common::gui::harness_builder()
        .build_eframe(move |_cc| App::new_blocking_for_tests(root, None));
    h.run_steps(4);
    h
}

fn shows(h: &Window, part: &str) -> bool {
    h.query_all_by_label_contains(part).next().is_some()
}

/// Rows of the list that name a document of the mailbox (its id column).
fn mailbox_rows(h: &Window) -> usize {
    h.query_all_by_label_contains("Your order of printer paper")
        .count()
}

#[test]
fn a_folded_mailbox_hides_its_messages_until_unfolded() {
    let mut h = sample_window();
    assert_eq!(mailbox_rows(&h), 1, "the fourth message is listed");
    common::gui::click(&mut h, "Fold its members away: mail/export_desk.mbox");
    h.run_steps(2);
    assert_eq!(mailbox_rows(&h), 0, "folded away");
    assert!(shows(&h, "export_desk.mbox"), "the mailbox itself stays");
    // Sorted by another column there is no tree: nothing is folded away (by title, descending,
    // "Your order of printer paper" is among the first rows).
    common::gui::click(&mut h, "Sort by title");
    h.run_steps(2);
    common::gui::click(&mut h, "Sort by title");
    h.run_steps(2);
    assert_eq!(mailbox_rows(&h), 1, "no tree, no fold");
}

#[test]
fn a_folded_container_opens_again() {
    let mut h = sample_window();
    common::gui::click(&mut h, "Fold its members away: mail/export_desk.mbox");
    h.run_steps(2);
    assert_eq!(mailbox_rows(&h), 0);
    common::gui::click(&mut h, "Show its members: mail/export_desk.mbox");
    h.run_steps(2);
    assert_eq!(mailbox_rows(&h), 1);
}

#[test]
fn a_message_shows_its_thread_attachment_and_mailbox() {
    let mut h = sample_window();
    assert!(h.state_mut().select_document("mail/export_desk.mbox#2"));
    h.run_steps(2);
    assert!(
        shows(&h, "Thread (3 messages)"),
        "messages 1, 2 and 3 reply to each other"
    );
    assert!(
        !shows(&h, "· Your order of printer paper"),
        "the unrelated message is not in the thread"
    );
    assert_eq!(
        h.query_all_by_label_contains("→ ").count(),
        1,
        "this message is marked"
    );
    common::gui::click(&mut h, "schedule.txt");
    assert_eq!(
        h.state().current_document_id(),
        Some("mail/export_desk.mbox#2!/schedule.txt")
    );
    h.run_steps(2);
    // Its container is the message; the message's is the mailbox.
    let parent = "Re: Groza-S stations 1-2: shipment by air in May 2021 (mail/export_desk.mbox#2)";
    common::gui::click(&mut h, parent);
    assert_eq!(
        h.state().current_document_id(),
        Some("mail/export_desk.mbox#2")
    );
    h.run_steps(2);
    common::gui::click(&mut h, "export_desk.mbox (mail/export_desk.mbox)");
    assert_eq!(
        h.state().current_document_id(),
        Some("mail/export_desk.mbox")
    );
}
