//! The egui_kittest harness the window and view tests drive, on the CPU.

use egui::accesskit::{self, Role};
use egui::{Modifiers, Pos2};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use egui_kittest::{Harness, HarnessBuilder};

/// The window size the app opens with (see `gui::run`).
pub const SIZE: [f32; 2] = [1600.0, 1000.0];

/// Simulated time per frame: the 30 s autosave period is 1800 frames away.
pub const STEP_DT: f32 = 1.0 / 60.0;

/// A harness at the window's size and frame time, with the app's fonts from the first frame and
/// no cursor drawn (image snapshots do not depend on where the pointer was last).
pub fn harness_builder<State>() -> HarnessBuilder<State> {
    Harness::builder()
        .with_size(SIZE)
        .with_step_dt(STEP_DT)
        .with_max_steps(60)
        .with_render_cursor(false)
        .with_context_setup(doctriage::gui::install_fonts)
}

/// Clicks the node with this label, then runs the frames that follow.
pub fn click<State>(h: &mut Harness<'_, State>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// A primary-button click at a point (the pointer moves there first), then the frames that follow.
pub fn click_at<State>(h: &mut Harness<'_, State>, pos: Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
}

/// Selects chars `start..end` of the document text as a drag does: the text gets the focus, then
/// an AccessKit `SetTextSelection` over its text runs.
pub fn select_in_viewer<State>(h: &mut Harness<'_, State>, start: usize, end: usize) {
    h.get_by_label("Document text").focus();
    h.run();
    let event = {
        let viewer = h.get_by_label("Document text");
        let node = viewer.accesskit_node();
        let (target_node, target_tree) = node.locate();
        let runs: Vec<(accesskit::NodeId, usize)> = node
            .children()
            .filter(|c| c.role() == Role::TextRun)
            .map(|c| (c.locate().0, c.value().unwrap_or_default().chars().count()))
            .collect();
        assert!(!runs.is_empty(), "the document text has no text runs");
        let position = |c: usize| {
            let mut offset = 0;
            for &(id, len) in &runs {
                if c < offset + len {
                    return accesskit::TextPosition {
                        node: id,
                        character_index: c - offset,
                    };
                }
                offset += len;
            }
            let &(id, len) = runs.last().expect("runs");
            accesskit::TextPosition {
                node: id,
                character_index: len,
            }
        };
        egui::Event::AccessKitActionRequest(accesskit::ActionRequest {
            action: accesskit::Action::SetTextSelection,
            target_node,
            target_tree,
            data: Some(accesskit::ActionData::SetTextSelection(
                accesskit::TextSelection {
                    anchor: position(start),
                    focus: position(end),
                },
            )),
        })
    };
    h.event(event);
    h.run();
}
