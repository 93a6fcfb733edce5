//! Moving the start of the document text's selection by keyboard (the end moves as in any text
//! field).

use egui::Ui;
use egui::text::CCursor;

/// Alt+Shift+← / → move the start of the selection in the document text (Shift+← / → move its
/// end, as in any text field). The keys are taken before the text field sees them.
pub(super) fn move_selection_start(ui: &Ui, text_id: egui::Id, n_chars: usize) {
    if !ui.memory(|m| m.has_focus(text_id)) {
        return;
    }
    let mods = egui::Modifiers::ALT | egui::Modifiers::SHIFT;
    let step: isize = ui.input_mut(|i| {
        if i.consume_key(mods, egui::Key::ArrowLeft) {
            -1
        } else if i.consume_key(mods, egui::Key::ArrowRight) {
            1
        } else {
            0
        }
    });
    if step == 0 {
        return;
    }
    let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), text_id) else {
        return;
    };
    let Some(range) = state.cursor.char_range() else {
        return;
    };
    let r = range.as_sorted_char_range();
    let (start, end) = (r.start.0, r.end.0);
    let start = start.saturating_add_signed(step).min(end).min(n_chars);
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::two(
            CCursor::new(start),
            CCursor::new(end),
        )));
    state.store(ui.ctx(), text_id);
}
