//! The status bar: review progress, statements supported, loading progress (with Cancel),
//! autosave state, and the last error (click it to see every error and warning).

use egui::{Color32, RichText, Ui};

use crate::session::ClaimStatus;

use super::app::{App, Level, Pending, command_button, level_color};
use super::commands::UiCommand;

/// The status bar.
pub fn status_bar_ui(app: &mut App, ui: &mut Ui) {
    app.ensure_ledger();
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        let total = app.cache.documents.len();
        ui.label(format!("Reviewed {} / {total} documents", app.reviewed));
        ui.separator();
        let supported = app
            .ledger
            .iter()
            .filter(|r| r.status == ClaimStatus::Supported)
            .count();
        ui.label(format!(
            "Supported {supported} / {} statements",
            app.ledger.len()
        ));
        if let Some((done, total)) = app.progress {
            ui.separator();
            let frac = if total == 0 {
                0.0
            } else {
                done as f32 / total as f32
            };
            let text = if total == 0 {
                "Listing files…".to_owned()
            } else {
                format!("Reading {done} / {total} files")
            };
            ui.add(egui::ProgressBar::new(frac).desired_width(220.0).text(text));
            command_button(ui, &UiCommand::CancelLoading, true, &mut app.pending);
        } else if app.suggest_worker.is_some() {
            ui.separator();
            ui.label(
                RichText::new(format!("computing suggestions… {}", app.suggestions.len())).weak(),
            );
        }
        if let Some(w) = &app.search.worker {
            ui.separator();
            ui.label(RichText::new(format!("{}…", w.progress_text())).weak())
                .on_hover_text(format!("Search index: {}", w.dir.display()));
        }
        if !app.cache.errors.is_empty() {
            ui.separator();
            let resp = ui
                .add(
                    egui::Label::new(
                        RichText::new(format!("{} unreadable files", app.cache.errors.len()))
                            .color(level_color(Level::Warning, dark)),
                    )
                    .sense(egui::Sense::click()),
                )
                .on_hover_text("Click to list them");
            if resp.clicked() {
                app.pending.push(Pending::Ui(UiCommand::ShowErrors));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let dirty = app.editor.is_dirty();
            let save_state = match (&app.session_path, dirty) {
                _ if app.is_saving() => RichText::new("saving…").weak(),
                (_, true) => {
                    RichText::new("● unsaved changes").color(level_color(Level::Warning, dark))
                }
                (Some(_), false) => RichText::new("saved").weak(),
                (None, false) => RichText::new("no changes").weak(),
            };
            ui.label(save_state);
            if !app.autosaver.status.is_empty() {
                ui.separator();
                let color = if app.autosaver.failed {
                    Color32::from_rgb(0xe0, 0x4a, 0x4a)
                } else {
                    ui.visuals().weak_text_color()
                };
                ui.label(RichText::new(&app.autosaver.status).color(color));
            }
            let last_problem = app
                .log
                .iter()
                .rev()
                .find(|e| e.level != Level::Info)
                .cloned();
            let last = app.log.last().cloned();
            if let Some(entry) = last_problem.or(last) {
                ui.separator();
                let color = level_color(entry.level, dark);
                let text = if entry.text.chars().count() > 110 {
                    format!("{}…", entry.text.chars().take(110).collect::<String>())
                } else {
                    entry.text.clone()
                };
                let resp = ui
                    .add(
                        egui::Label::new(RichText::new(text).color(color))
                            .sense(egui::Sense::click())
                            .truncate(),
                    )
                    .on_hover_text(format!("{}\nClick to see every message", entry.text));
                if resp.clicked() {
                    app.pending.push(Pending::Ui(UiCommand::ShowErrors));
                }
            }
        });
    });
}
