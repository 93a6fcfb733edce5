//! The machine's preferences in the window: the analyst's name (asked once, at the first start),
//! the review flow, reopening the last session, and File ▸ Open recent.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::prefs::{self, Preferences};

use super::super::commands::UiCommand;
use super::super::panel::Action;
use super::App;

impl App {
    /// Takes the machine's preferences, kept in `path` (None: in memory only, as in tests). When
    /// they name no analyst and there is a file to keep the answer in, the window asks for one.
    pub fn set_preferences(&mut self, prefs: Preferences, path: Option<PathBuf>) {
        self.ask_analyst = (path.is_some() && prefs.analyst().is_none()).then(String::new);
        if let Some(name) = prefs.analyst() {
            self.ws.set_analyst(name);
        }
        self.prefs = prefs;
        self.prefs_path = path;
    }

    /// The machine's preferences as the window holds them.
    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    /// True while the start-up question for the analyst's name is shown.
    pub fn asks_for_analyst(&self) -> bool {
        self.ask_analyst.is_some()
    }

    /// Sets the analyst's name (as the start-up question and the preferences do) and keeps it.
    pub fn set_analyst_name(&mut self, name: &str) {
        let name = name.trim();
        if name.is_empty() || self.prefs.analyst() == Some(name) {
            return;
        }
        self.prefs.analyst = name.to_owned();
        self.ask_analyst = None;
        self.ws.set_analyst(name);
        self.save_prefs();
        self.info(format!("Your edits are signed {name}"));
    }

    /// Writes the preferences (nothing in tests); a failure is logged once.
    pub(crate) fn save_prefs(&mut self) {
        let Some(path) = self.prefs_path.clone() else {
            return;
        };
        if let Err(e) = prefs::save_to(&self.prefs, &path) {
            self.error(format!(
                "The preferences could not be saved ({e}): {}",
                path.display()
            ));
        }
    }

    /// Puts a session file first in File ▸ Open recent.
    pub(crate) fn remember_session(&mut self, path: &Path) {
        let before = self.prefs.recent_sessions.clone();
        self.prefs.remember_session(path);
        if self.prefs.recent_sessions != before {
            self.save_prefs();
        }
    }

    /// File ▸ Open recent: the sessions opened or saved lately that are still there.
    pub(crate) fn recent_menu_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Action>) {
        let recent: Vec<&PathBuf> = self
            .prefs
            .recent_sessions
            .iter()
            .filter(|p| p.is_file())
            .collect();
        ui.add_enabled_ui(!recent.is_empty(), |ui| {
            ui.menu_button("Open recent", |ui| {
                for path in recent {
                    let cmd = UiCommand::OpenRecent(path.clone());
                    if ui
                        .button(cmd.label())
                        .on_hover_text(cmd.tooltip())
                        .clicked()
                    {
                        out.push(Action::Ui(cmd));
                    }
                }
            });
        });
    }

    /// The start-up question (once per machine) and the preferences window.
    pub(crate) fn preferences_ui(&mut self, ctx: &egui::Context) {
        if self.ask_analyst.is_some() {
            self.analyst_question_ui(ctx);
        }
        if self.show_preferences {
            self.preferences_window_ui(ctx);
        }
    }

    fn analyst_question_ui(&mut self, ctx: &egui::Context) {
        let Some(mut name) = self.ask_analyst.take() else {
            return;
        };
        let mut answer: Option<bool> = None;
        egui::Window::new("Who is reviewing?")
            .id(egui::Id::unique("doctriage-analyst-question"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .order(egui::Order::Foreground)
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.label(
                "Your name signs what you change in a session (who tagged, linked or noted what, \
                 and when), so a team can merge its sessions. It is kept on this machine and can \
                 be changed in View ▸ Preferences.",
            );
                ui.add_space(6.0);
                let resp = ui
                    .horizontal(|ui| {
                        let label = ui.label("Your name:");
                        ui.add(
                            egui::TextEdit::singleline(&mut name)
                                .hint_text("as your team knows you")
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id)
                    })
                    .inner;
                // The cursor goes to the field once (asked for every frame, the window would
                // ask the system for the keyboard every frame, and input stops).
                let asked = egui::Id::unique("doctriage-analyst-question-focused");
                if !ui
                    .ctx()
                    .data(|d| d.get_temp::<bool>(asked).unwrap_or(false))
                {
                    resp.request_focus();
                    ui.ctx().data_mut(|d| d.insert_temp(asked, true));
                }
                if resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    answer = Some(true);
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            !name.trim().is_empty(),
                            egui::Button::new("Sign with this name"),
                        )
                        .clicked()
                    {
                        answer = Some(true);
                    }
                    if ui.button("Not now").clicked() {
                        answer = Some(false);
                    }
                });
            });
        match answer {
            Some(true) if !name.trim().is_empty() => self.set_analyst_name(&name),
            Some(true) => self.ask_analyst = Some(name),
            Some(false) => self.info("No name set: View ▸ Preferences asks again"),
            None => self.ask_analyst = Some(name),
        }
    }

    fn preferences_window_ui(&mut self, ctx: &egui::Context) {
        let mut open = true;
        let mut prefs = self.prefs.clone();
        egui::Window::new("Preferences")
            .open(&mut open)
            .collapsible(false)
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Your name:");
                    ui.add(egui::TextEdit::singleline(&mut prefs.analyst).desired_width(260.0))
                        .labelled_by(label.id)
                        .on_hover_text("Signs what you change in a session");
                });
                ui.checkbox(
                    &mut prefs.advance_after_status,
                    UiCommand::ToggleAdvanceAfterStatus.label(),
                )
                .on_hover_text(UiCommand::ToggleAdvanceAfterStatus.tooltip());
                ui.checkbox(
                    &mut prefs.reopen_last_session,
                    "Reopen the last session at start",
                )
                .on_hover_text("When the window starts without a session file, open the last one");
                if let Some(path) = &self.prefs_path {
                    ui.label(
                        RichText::new(format!("Kept in {}", path.display()))
                            .weak()
                            .small(),
                    );
                }
            });
        if prefs != self.prefs {
            let renamed = prefs.analyst != self.prefs.analyst;
            self.prefs = prefs;
            // The name is saved once it is typed out (when the window closes), the rest at once.
            if !renamed {
                self.save_prefs();
            }
        }
        if !open {
            self.show_preferences = false;
            self.prefs.analyst = self.prefs.analyst.trim().to_owned();
            let name = self.prefs.analyst.clone();
            self.ws.set_analyst(&name);
            self.save_prefs();
        }
    }
}
