//! The menu bar, and the buttons that trigger a [`UiCommand`] (label, shortcut, tooltip).

use egui::{RichText, Ui};

use super::super::commands::UiCommand;
use super::super::panel::Action;
use super::App;

impl App {
    pub(crate) fn menu_bar_ui(&mut self, ui: &mut Ui) {
        let mut out = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu_ui(ui, &mut out));
            ui.menu_button("Edit", |ui| {
                let undo = self.ws.editor().undo_label();
                let redo = self.ws.editor().redo_label();
                menu_item_labelled(
                    ui,
                    &UiCommand::Undo,
                    undo.map(|l| format!("Undo: {l}")),
                    &mut out,
                );
                menu_item_labelled(
                    ui,
                    &UiCommand::Redo,
                    redo.map(|l| format!("Redo: {l}")),
                    &mut out,
                );
            });
            ui.menu_button("View", |ui| {
                let theme = if self.saved.dark {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                if ui
                    .button(theme)
                    .on_hover_text(UiCommand::ToggleTheme.tooltip())
                    .clicked()
                {
                    out.push(Action::Ui(UiCommand::ToggleTheme));
                }
                for cmd in [
                    UiCommand::ShowShortcuts,
                    UiCommand::ShowErrors,
                    UiCommand::ShowViews,
                ] {
                    command_button(ui, &cmd, true, &mut out);
                }
                let mut raw = self.saved.raw_markdown;
                if ui
                    .checkbox(&mut raw, UiCommand::ToggleRawMarkdown.label())
                    .on_hover_text(UiCommand::ToggleRawMarkdown.tooltip())
                    .clicked()
                {
                    out.push(Action::Ui(UiCommand::ToggleRawMarkdown));
                }
                ui.separator();
                ui.label(RichText::new("Zoom: Ctrl+Plus, Ctrl+Minus, Ctrl+0").weak());
                ui.separator();
                command_button(ui, &UiCommand::ShowPreferences, true, &mut out);
            });
            ui.menu_button("Review", |ui| {
                for cmd in [
                    UiCommand::NextDocument,
                    UiCommand::PreviousDocument,
                    UiCommand::NextUnreviewed,
                    UiCommand::NextStatement,
                    UiCommand::PreviousStatement,
                    UiCommand::CycleRelation,
                    UiCommand::LinkToStatement,
                    UiCommand::ShowConflicts,
                ] {
                    command_button(ui, &cmd, self.loaded, &mut out);
                }
                ui.separator();
                let mut advance = self.prefs.advance_after_status;
                if ui
                    .checkbox(&mut advance, UiCommand::ToggleAdvanceAfterStatus.label())
                    .on_hover_text(UiCommand::ToggleAdvanceAfterStatus.tooltip())
                    .clicked()
                {
                    out.push(Action::Ui(UiCommand::ToggleAdvanceAfterStatus));
                }
            });
            ui.add_space(16.0);
            if let Some((path, a)) = &self.ws.cache().article {
                let title = a.title.clone().unwrap_or_else(|| path.clone());
                ui.label(
                    RichText::new(format!(
                        "Article: {title} ({} statements)",
                        a.statements.len()
                    ))
                    .weak(),
                );
            }
        });
        self.take_actions(out);
    }

    fn file_menu_ui(&self, ui: &mut Ui, out: &mut Vec<Action>) {
        for cmd in [UiCommand::OpenCache, UiCommand::OpenSession] {
            command_button(ui, &cmd, true, out);
        }
        self.recent_menu_ui(ui, out);
        ui.separator();
        for cmd in [UiCommand::Save, UiCommand::SaveAs] {
            command_button(ui, &cmd, true, out);
        }
        ui.separator();
        command_button(ui, &UiCommand::ExportFindings, self.loaded, out);
        ui.separator();
        command_button(ui, &UiCommand::Quit, true, out);
    }
}

/// A button for a command: its label, its shortcut at the right, its tooltip; asks for it when
/// clicked.
pub(crate) fn command_button(
    ui: &mut Ui,
    cmd: &UiCommand,
    enabled: bool,
    out: &mut Vec<Action>,
) -> bool {
    let keys = cmd.shortcut_text(ui.ctx());
    let mut button = egui::Button::new(cmd.label());
    if !keys.is_empty() {
        button = button.shortcut_text(keys);
    }
    let resp = ui
        .add_enabled(enabled, button)
        .on_hover_text(cmd.tooltip())
        .accessible_name(cmd.label());
    let clicked = resp.clicked();
    if clicked {
        out.push(Action::Ui(cmd.clone()));
    }
    clicked
}

/// A menu item whose label says what it would do (Undo: …), disabled without one.
fn menu_item_labelled(ui: &mut Ui, cmd: &UiCommand, label: Option<String>, out: &mut Vec<Action>) {
    let keys = cmd.shortcut_text(ui.ctx());
    let enabled = label.is_some();
    let text = label.unwrap_or_else(|| cmd.label());
    let button = egui::Button::new(text).shortcut_text(keys);
    let resp = ui
        .add_enabled(enabled, button)
        .on_hover_text(cmd.tooltip())
        .accessible_name(cmd.label());
    if resp.clicked() {
        out.push(Action::Ui(cmd.clone()));
    }
}
