//! The record's title and details above its text.

use egui::{RichText, Ui};

use crate::model::Document;

use super::super::app::{Level, level_color};
use super::super::commands::UiCommand;
use super::super::panel::Action;

fn meta_row(ui: &mut Ui, key: &str, value: impl Into<egui::WidgetText>) {
    ui.label(RichText::new(key).weak());
    ui.add(egui::Label::new(value).wrap());
    ui.end_row();
}

/// The record's title and details (id, path, kind, dates, sender, encoding, hash, warnings).
pub(super) fn details_ui(ui: &mut Ui, doc: &Document, n_chars: usize, out: &mut Vec<Action>) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| {
        ui.heading(&doc.title);
    });
    ui.add_space(2.0);
    egui::CollapsingHeader::new("Record details")
        .id_salt("record-details")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("doc-meta")
                .num_columns(2)
                .spacing([12.0, 3.0])
                .min_col_width(90.0)
                .show(ui, |ui| details_grid_ui(ui, doc, n_chars));
            for w in &doc.warnings {
                ui.colored_label(level_color(Level::Warning, dark), format!("Warning: {w}"));
            }
            if let Some(orig) = &doc.duplicate_of {
                ui.horizontal(|ui| {
                    ui.colored_label(
                        level_color(Level::Warning, dark),
                        format!("Duplicate of {orig} (same file bytes)"),
                    );
                    if ui.button(format!("Open {orig}")).clicked() {
                        out.push(Action::Ui(UiCommand::OpenDocument {
                            id: orig.clone(),
                            span: None,
                        }));
                    }
                });
            }
        });
}

fn details_grid_ui(ui: &mut Ui, doc: &Document, n_chars: usize) {
    let dash = || "—".to_owned();
    meta_row(ui, "Id", RichText::new(&doc.id).monospace());
    let path = match doc.record {
        Some(r) => format!("{} (record {r})", doc.path),
        None => doc.path.clone(),
    };
    meta_row(ui, "Path", RichText::new(path).monospace());
    meta_row(ui, "Kind", doc.kind.replace('_', " "));
    let date = match (
        &doc.date,
        doc.date.as_deref().and_then(crate::extract::parse_date),
    ) {
        (Some(raw), Some(p)) if raw.trim() != p.to_string() => format!("{raw}  ({p})"),
        (Some(raw), _) => raw.clone(),
        (None, _) => dash(),
    };
    meta_row(ui, "Date (stated)", date);
    meta_row(ui, "Sender", doc.sender.clone().unwrap_or_else(dash));
    meta_row(ui, "Recipient", doc.recipient.clone().unwrap_or_else(dash));
    if doc.language.is_some() || doc.reference.is_some() {
        meta_row(ui, "Language", doc.language.clone().unwrap_or_else(dash));
        meta_row(ui, "Reference", doc.reference.clone().unwrap_or_else(dash));
    }
    meta_row(
        ui,
        "Encoding",
        format!(
            "{}  ·  {} bytes  ·  {} chars",
            doc.encoding, doc.file_size, n_chars
        ),
    );
    ui.label(RichText::new("SHA-256").weak());
    let short = doc.sha256.get(..16).unwrap_or(&doc.sha256);
    ui.label(RichText::new(format!("{short}…")).monospace())
        .on_hover_text(&doc.sha256);
    ui.end_row();
    if let Some(outer) = &doc.container_sha256 {
        // The hash of the file as received, that a member's quote can be proven from.
        ui.label(RichText::new("File SHA-256").weak());
        let short = outer.get(..16).unwrap_or(outer);
        ui.label(RichText::new(format!("{short}…")).monospace())
            .on_hover_text(format!(
                "{outer}\nthe file in the cache that holds this member, as received"
            ));
        ui.end_row();
    }
    if !doc.pages.is_empty() {
        let n = doc.pages.len();
        let pages = if n == 1 {
            "1 page".to_owned()
        } else {
            format!("{n} pages")
        };
        let source = doc.text_source().replace('_', " ");
        let text = match doc.ocr_confidence() {
            Some(c) => format!("{source}  ·  {pages}  ·  OCR {c:.0}% confident"),
            None => format!("{source}  ·  {pages}"),
        };
        meta_row(ui, "Text", text);
    }
    for (k, v) in &doc.extra {
        if crate::model::is_sensitive_metadata(k, v) {
            // What can expose a source is shown, marked, and left out of exports unless asked.
            ui.label(RichText::new(k).weak());
            ui.horizontal_wrapped(|ui| {
                ui.add(egui::Label::new(v.as_str()).wrap());
                ui.label(
                    RichText::new("sensitive")
                        .small()
                        .color(ui.visuals().warn_fg_color),
                )
                .on_hover_text(
                    "Metadata that can expose a source: left out of exports unless \
                     export --include-sensitive-metadata",
                );
            });
            ui.end_row();
        } else {
            meta_row(ui, k, v.as_str());
        }
    }
}
