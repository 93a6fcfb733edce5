//! The conflicts a merge of two analysts' sessions left (Review ▸ Conflicts): each field side by
//! side — what both started from, each side's value and who set it — and a choice that is an
//! ordinary undoable command ([`Command::ResolveConflict`]). The window opens by itself when a
//! session with conflicts is opened.

use egui::RichText;

use crate::session::{Choice, Command};

use super::super::commands::UiCommand;
use super::super::panel::Action;
use super::App;
use super::state::{Level, level_color};

/// A value as the session file writes it, short.
fn shown(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::Null => "(none)".to_owned(),
        serde_json::Value::String(s) if s.is_empty() => "(empty)".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut short: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        short.push('…');
    }
    short
}

impl App {
    /// Opens the conflicts window once for a session that has conflicts (after it is opened).
    pub(crate) fn offer_conflicts(&mut self) {
        // Looked at once per session state, not every frame (the list walks every review).
        let stamp = self.ws.session_stamp();
        if self.conflicts_offered || self.conflicts_checked == Some(stamp) {
            return;
        }
        self.conflicts_checked = Some(stamp);
        let n = self.ws.session().conflicts().len();
        if n > 0 {
            self.conflicts_offered = true;
            self.show_conflicts = true;
            self.warn(format!(
                "{n} conflict(s) left by a merge: Review ▸ Conflicts; until resolved, the ledger and exports use the value both sides started from"
            ));
        }
    }

    /// The conflicts window.
    pub(crate) fn conflicts_ui(&mut self, ctx: &egui::Context) {
        if !self.show_conflicts {
            return;
        }
        let mut open = true;
        let mut out: Vec<Action> = Vec::new();
        let dark = ctx.global_style().visuals.dark_mode;
        egui::Window::new("Conflicts")
            .open(&mut open)
            .default_width(760.0)
            .show(ctx, |ui| {
                let conflicts = self.ws.session().conflicts();
                if conflicts.is_empty() {
                    ui.label("No conflicts: every field has one value.");
                    return;
                }
                ui.label(
                    RichText::new(format!(
                        "{} field(s) were changed to two different values. Until you choose, the ledger and the exports use the value both sides started from.",
                        conflicts.len()
                    ))
                    .color(level_color(Level::Warning, dark)),
                );
                egui::ScrollArea::vertical().max_height(520.0).show(ui, |ui| {
                    egui::Grid::new("doctriage-conflicts")
                        .num_columns(5)
                        .striped(true)
                        .spacing([10.0, 6.0])
                        .show(ui, |ui| {
                            for heading in ["Document · field", "Started from", "Ours", "Theirs", ""] {
                                ui.label(RichText::new(heading).strong());
                            }
                            ui.end_row();
                            for c in &conflicts {
                                let doc = c.doc.map(str::to_owned);
                                let resolve = |choice: Choice| {
                                    Action::Edit(Command::ResolveConflict {
                                        doc: doc.clone(),
                                        field: c.field.to_owned(),
                                        choice,
                                    })
                                };
                                ui.vertical(|ui| {
                                    match &doc {
                                        Some(id) => {
                                            if ui.link(RichText::new(id).monospace()).clicked() {
                                                out.push(Action::Ui(UiCommand::OpenDocument {
                                                    id: id.clone(),
                                                    span: None,
                                                }));
                                            }
                                        }
                                        None => {
                                            ui.label("entity merges");
                                        }
                                    }
                                    ui.label(RichText::new(c.field).strong());
                                });
                                ui.label(shown(&c.conflict.base));
                                let side = |ui: &mut egui::Ui, s: &crate::session::Side| {
                                    ui.vertical(|ui| {
                                        ui.label(shown(&s.value));
                                        ui.label(RichText::new(format!("by {}", s.by)).weak().small());
                                    });
                                };
                                side(ui, &c.conflict.ours);
                                side(ui, &c.conflict.theirs);
                                ui.vertical(|ui| {
                                    let name = |what: &str| format!("{what} for {} {}", c.doc.unwrap_or("entities"), c.field);
                                    if ui.button("Take ours").on_hover_text(name("Take ours")).clicked() {
                                        out.push(resolve(Choice::Ours));
                                    }
                                    if ui.button("Take theirs").on_hover_text(name("Take theirs")).clicked() {
                                        out.push(resolve(Choice::Theirs));
                                    }
                                    if ui.button("Keep the start").on_hover_text(name("Keep the value both started from")).clicked() {
                                        out.push(resolve(Choice::Base));
                                    }
                                });
                                ui.end_row();
                            }
                        });
                });
            });
        self.show_conflicts = open;
        self.take_actions(out);
    }
}
