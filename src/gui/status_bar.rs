//! The status bar: review progress, statements supported, loading progress (with Cancel), OCR
//! progress (with Cancel) and engines, autosave state, and the last error (click it to see every error and warning).

use egui::{Color32, RichText, Ui};

use crate::session::ClaimStatus;

use super::app::{Level, command_button, level_color};
use super::commands::UiCommand;
use super::panel::{Action, Panel, PanelCtx};

/// The status bar (it keeps no state of its own).
#[derive(Default)]
pub struct StatusBar;

impl Panel for StatusBar {
    fn ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui) -> Vec<Action> {
        let mut out = Vec::new();
        ui.horizontal(|ui| {
            review_ui(ctx, ui);
            progress_ui(ctx, ui, &mut out);
            ocr_ui(ctx, ui, &mut out);
            unreadable_ui(ctx, ui, &mut out);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                save_state_ui(ctx, ui);
                last_message_ui(ctx, ui, &mut out);
            });
        });
        out
    }
}

fn review_ui(ctx: &PanelCtx<'_>, ui: &mut Ui) {
    let total = ctx.cache().documents.len();
    ui.label(format!("Reviewed {} / {total} documents", ctx.reviewed));
    ui.separator();
    let supported = ctx
        .ledger
        .iter()
        .filter(|r| r.status == ClaimStatus::Supported)
        .count();
    ui.label(format!(
        "Supported {supported} / {} statements",
        ctx.ledger.len()
    ));
}

fn progress_ui(ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
    if let Some((done, total)) = ctx.progress.files {
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
        command_button(ui, &UiCommand::CancelLoading, true, out);
    } else if ctx.progress.suggesting {
        ui.separator();
        ui.label(
            RichText::new(format!(
                "computing suggestions… {}",
                ctx.ws.suggestions().len()
            ))
            .weak(),
        );
    }
    if let Some((text, dir)) = &ctx.progress.indexing {
        ui.separator();
        ui.label(RichText::new(format!("{text}…")).weak())
            .on_hover_text(format!("Search index: {}", dir.display()));
    }
}

/// OCR of the pages without text: its progress with Cancel, then what it did; the engines
/// found (or what to install) in its tooltip, and in plain view when tesseract is missing.
fn ocr_ui(ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
    let Some(status) = ctx.progress.ocr else {
        return;
    };
    let engines = status.engines.as_ref().map_or_else(
        || "Looking for the OCR engine…".to_owned(),
        |e| e.describe(),
    );
    let dark = ui.visuals().dark_mode;
    if status.running {
        ui.separator();
        let (done, total) = status.pages;
        let frac = if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        };
        ui.add(
            egui::ProgressBar::new(frac)
                .desired_width(170.0)
                .text(format!("OCR {done} / {total} pages")),
        )
        .on_hover_text(&engines);
        let cancel = ui
            .add_enabled(!status.cancelled, egui::Button::new("Cancel OCR"))
            .on_hover_text("Stop reading pages (the pages read so far are kept)");
        if cancel.clicked() {
            out.push(Action::CancelOcr);
        }
    } else if let Some(msg) = &status.failed {
        ui.separator();
        ui.label(RichText::new(msg).color(level_color(Level::Warning, dark)))
            .on_hover_text(&engines);
    } else if status.pending > 0 {
        ui.separator();
        ui.label(RichText::new(waiting(status.pending)).color(level_color(Level::Warning, dark)))
            .on_hover_text(&engines);
    } else if let Some(report) = &status.report {
        ui.separator();
        ui.label(RichText::new(format!("OCR: {}", pages(report.pages))).weak())
            .on_hover_text(&engines);
    }
}

/// "1 page", "3 pages".
fn pages(n: usize) -> String {
    if n == 1 {
        "1 page read".to_owned()
    } else {
        format!("{n} pages read")
    }
}

/// "1 page waits for OCR", "3 pages wait for OCR".
pub fn waiting(n: usize) -> String {
    if n == 1 {
        "1 page waits for OCR".to_owned()
    } else {
        format!("{n} pages wait for OCR")
    }
}

fn unreadable_ui(ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
    let errors = &ctx.cache().errors;
    if errors.is_empty() {
        return;
    }
    ui.separator();
    let dark = ui.visuals().dark_mode;
    let resp = ui
        .add(
            egui::Label::new(
                RichText::new(format!("{} unreadable files", errors.len()))
                    .color(level_color(Level::Warning, dark)),
            )
            .sense(egui::Sense::click()),
        )
        .on_hover_text("Click to list them");
    if resp.clicked() {
        out.push(Action::Ui(UiCommand::ShowErrors));
    }
}

fn save_state_ui(ctx: &PanelCtx<'_>, ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    let dirty = ctx.ws.is_dirty();
    let save_state = match (ctx.ws.session_path(), dirty) {
        _ if ctx.progress.saving => RichText::new("saving…").weak(),
        (_, true) => RichText::new("● unsaved changes").color(level_color(Level::Warning, dark)),
        (Some(_), false) => RichText::new("saved").weak(),
        (None, false) => RichText::new("no changes").weak(),
    };
    ui.label(save_state);
    let (status, failed) = ctx.progress.autosave;
    if !status.is_empty() {
        ui.separator();
        let color = if failed {
            Color32::from_rgb(0xe0, 0x4a, 0x4a)
        } else {
            ui.visuals().weak_text_color()
        };
        ui.label(RichText::new(status).color(color));
    }
}

fn last_message_ui(ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
    let last_problem = ctx.log.iter().rev().find(|e| e.level != Level::Info);
    let Some(entry) = last_problem.or(ctx.log.last()) else {
        return;
    };
    ui.separator();
    let color = level_color(entry.level, ui.visuals().dark_mode);
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
        out.push(Action::Ui(UiCommand::ShowErrors));
    }
}
