//! The windows and questions over the main layout: the path dialog, the keyboard shortcuts,
//! the errors and warnings, the quit question, the autosave recovery question and the evidence
//! views.

use std::path::Path;

use egui::RichText;

use super::super::commands::{OTHER_KEYS, UiCommand};
use super::super::panel::Action;
use super::super::path_bar::{self, PathAction, PathBarOutcome};
use super::super::views::{self, ViewAction};
use super::App;
use super::state::level_color;

/// The answers of the quit question.
enum QuitChoice {
    Save,
    Discard,
    Cancel,
}

impl App {
    pub(crate) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        self.path_bar_ui(ctx);
        if self.show_shortcuts {
            self.shortcuts_ui(ctx);
        }
        if self.show_errors {
            self.errors_ui(ctx);
        }
        if self.quit_dialog {
            self.quit_dialog_ui(ctx);
        }
        self.recovery_dialog_ui(ctx);
    }

    fn path_bar_ui(&mut self, ctx: &egui::Context) {
        let Some(bar) = self.path_bar.as_mut() else {
            return;
        };
        let start = self
            .ws
            .cache_dir()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        match path_bar::path_bar_ui(ctx, bar, &start) {
            PathBarOutcome::Nothing => {}
            PathBarOutcome::Cancel => self.path_bar = None,
            PathBarOutcome::Submit(p) => {
                let action = bar.action;
                let _ = self.submit_path(action, &p);
            }
        }
    }

    fn shortcuts_ui(&mut self, ctx: &egui::Context) {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label(
                    "Plain keys work when no text field has the cursor (Escape leaves a field).",
                );
                ui.add_space(6.0);
                egui::Grid::new("shortcuts-grid")
                    .num_columns(2)
                    .striped(true)
                    .spacing([16.0, 6.0])
                    .show(ui, |ui| {
                        for cmd in UiCommand::with_shortcuts() {
                            ui.label(RichText::new(cmd.shortcut_text(ctx)).monospace().strong());
                            ui.label(format!("{} — {}", cmd.label(), cmd.tooltip()));
                            ui.end_row();
                        }
                        for k in OTHER_KEYS {
                            ui.label(RichText::new(k.keys).monospace().strong());
                            ui.label(k.what);
                            ui.end_row();
                        }
                    });
            });
        if !open {
            self.show_shortcuts = false;
        }
    }

    fn errors_ui(&mut self, ctx: &egui::Context) {
        let mut open = true;
        let errors = &self.ws.cache().errors;
        let log = self.log.entries();
        egui::Window::new("Errors and warnings")
            .open(&mut open)
            .default_size([760.0, 480.0])
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        ui.heading(format!("Unreadable files ({})", errors.len()));
                        if errors.is_empty() {
                            ui.label(RichText::new("none").weak());
                        }
                        egui::Grid::new("scan-errors")
                            .num_columns(2)
                            .striped(true)
                            .show(ui, |ui| {
                                for e in errors {
                                    ui.label(RichText::new(&e.path).monospace());
                                    ui.label(&e.error);
                                    ui.end_row();
                                }
                            });
                        ui.add_space(10.0);
                        ui.heading(format!("This session's messages ({})", log.len()));
                        for e in log.iter().rev() {
                            let color = level_color(e.level, ui.visuals().dark_mode);
                            ui.horizontal_wrapped(|ui| {
                                ui.label(RichText::new(&e.time).monospace().weak());
                                ui.label(RichText::new(&e.text).color(color));
                            });
                        }
                    });
            });
        if !open {
            self.show_errors = false;
        }
    }

    fn quit_dialog_ui(&mut self, ctx: &egui::Context) {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("doctriage-quit")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("Unsaved changes");
            ui.label("The session has changes that are not saved. Save them before quitting?");
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(QuitChoice::Save);
                }
                if ui
                    .button("Discard")
                    .on_hover_text("Quit without saving (the autosave is deleted)")
                    .clicked()
                {
                    choice = Some(QuitChoice::Discard);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(QuitChoice::Cancel);
                }
            });
        });
        match choice {
            Some(QuitChoice::Save) => {
                self.quit_dialog = false;
                self.save_then_quit();
            }
            Some(QuitChoice::Discard) => {
                self.quit_dialog = false;
                self.discarded = true;
                self.allow_close = true;
                if let Some(p) = &self.autosave_path {
                    self.jobs.autosaver.wait();
                    let _ = std::fs::remove_file(p);
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(QuitChoice::Cancel) => self.quit_dialog = false,
            None => {}
        }
    }

    /// Save from the quit question: the window closes once the file is written.
    fn save_then_quit(&mut self) {
        match self.ws.session_path().map(Path::to_path_buf) {
            Some(p) => match self.save_to(&p) {
                Ok(()) => {
                    if let Some(job) = self.jobs.saving.as_mut() {
                        job.then_close = true;
                    }
                }
                Err(e) => self.error(e),
            },
            None => {
                self.open_path_bar(PathAction::SaveSession);
                if let Some(bar) = self.path_bar.as_mut() {
                    bar.then_quit = true;
                }
            }
        }
    }

    fn recovery_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(offer) = self.recovery.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("doctriage-recover")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading("Recover autosaved session?");
            ui.label(format!("Recover autosaved session from {}?", offer.when));
            ui.label(
                RichText::new(offer.path.display().to_string())
                    .weak()
                    .small(),
            );
            ui.label("It is newer than the session file (or the session was never saved).");
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Recover").clicked() {
                    choice = Some(true);
                }
                if ui
                    .button("Discard")
                    .on_hover_text("Delete the autosave and keep the session file")
                    .clicked()
                {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => {
                let _ = self.recover_autosave();
            }
            Some(false) => self.discard_autosave(),
            None => {}
        }
    }

    /// The evidence views (View ▸ Evidence views, V), in a window of their own.
    pub(crate) fn views_window_ui(&mut self, ctx: &egui::Context) {
        self.egui_ctx = Some(ctx.clone());
        if std::mem::take(&mut self.jobs.png_cleanup) {
            views::capture::ViewCapture::finish(ctx);
        }
        if !self.show_views && self.jobs.png.take().is_some() {
            views::capture::ViewCapture::finish(ctx);
            self.error("The view could not be saved: the evidence views were closed");
        }
        let result = self.jobs.png.as_mut().and_then(|c| c.before_draw(ctx));
        if let Some(result) = result {
            self.jobs.png = None;
            self.jobs.png_cleanup = true;
            match result {
                Ok(p) => self.info(format!("Saved the view as {}", p.display())),
                Err(e) => self.error(format!("The view could not be saved: {e}")),
            }
        }
        if !self.show_views {
            return;
        }
        let mut open = true;
        let mut actions = Vec::new();
        egui::Window::new("Evidence views")
            .open(&mut open)
            .default_size([1100.0, 640.0])
            .resizable(true)
            .show(ctx, |ui| {
                let suggestions = self.ws.suggestions();
                let lookup = |id: &str| suggestions.get(id).cloned();
                actions = views::views_ui(
                    ui,
                    &mut self.saved.views,
                    self.ws.session(),
                    self.ws.cache(),
                    &lookup,
                );
            });
        self.show_views = open;
        if let Some(capture) = self.jobs.png.as_mut() {
            capture.after_draw(ctx, views::last_view_rect(&self.saved.views));
        }
        for action in actions {
            match action {
                ViewAction::OpenDocument { doc, quote } => {
                    self.pending.push(Action::Ui(UiCommand::OpenDocument {
                        id: doc,
                        span: quote,
                    }));
                }
                ViewAction::Apply(cmd) => self.pending.push(Action::Edit(cmd)),
                ViewAction::SelectStatement(id) => self.statements.select(id),
                ViewAction::SavePng(_) => self.open_path_bar(PathAction::SaveViewPng),
            }
        }
    }
}
