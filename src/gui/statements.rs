//! The statements panel: the article's statements with their standing (the claim ledger), the
//! evidence of the selected one (click a row to open the record at its quote), and the form
//! that links the current document to the selected statement.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, RichText, Sense, Ui};

use crate::session::{ClaimStatus, Command, Relation};

use super::app::{App, Pending, command_button};
use super::commands::UiCommand;

/// The colour of a statement's standing.
pub fn claim_color(status: ClaimStatus, dark: bool) -> Color32 {
    match (status, dark) {
        (ClaimStatus::Supported, true) => Color32::from_rgb(0x4c, 0xc3, 0x6a),
        (ClaimStatus::Supported, false) => Color32::from_rgb(0x1e, 0x8a, 0x3c),
        (ClaimStatus::Contested, true) => Color32::from_rgb(0xf0, 0x5a, 0x5a),
        (ClaimStatus::Contested, false) => Color32::from_rgb(0xc8, 0x28, 0x28),
        (ClaimStatus::Unsupported, true) => Color32::from_gray(140),
        (ClaimStatus::Unsupported, false) => Color32::from_gray(130),
    }
}

/// The colour of a link's relation.
pub fn relation_color(relation: Relation, dark: bool) -> Color32 {
    match relation {
        Relation::Supports => claim_color(ClaimStatus::Supported, dark),
        Relation::Contradicts => claim_color(ClaimStatus::Contested, dark),
        Relation::Context => {
            if dark {
                Color32::from_rgb(0x7a, 0xa7, 0xe0)
            } else {
                Color32::from_rgb(0x2a, 0x5c, 0xa8)
            }
        }
    }
}

fn relation_label(r: Relation) -> &'static str {
    match r {
        Relation::Supports => "Supports",
        Relation::Contradicts => "Contradicts",
        Relation::Context => "Context",
    }
}

fn short(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        s.push('…');
    }
    s
}

/// The link form: relation, quote, note, and the button.
fn link_form_ui(app: &mut App, ui: &mut Ui) {
    ui.add_space(4.0);
    let doc = app.current_document().map(|d| d.id.clone());
    let statement = app.statements.selected.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Link").strong());
        ui.label(RichText::new(doc.clone().unwrap_or_else(|| "(no document)".into())).monospace());
        ui.label("to");
        ui.label(
            RichText::new(
                statement
                    .clone()
                    .unwrap_or_else(|| "(select a statement)".into()),
            )
            .strong(),
        );
    });
    ui.horizontal(|ui| {
        let label = ui.label("Relation:");
        ui.label_inputs_by(label.id, |ui| {
            for r in Relation::ALL {
                let color = relation_color(r, ui.visuals().dark_mode);
                let on = app.saved.relation == r;
                let resp = ui
                    .add(
                        egui::Button::new(RichText::new(relation_label(r)).color(color))
                            .selected(on),
                    )
                    .accessible_name(relation_label(r));
                if resp.clicked() {
                    app.saved.relation = r;
                }
            }
        });
    });
    let quote = app.link_quote();
    ui.horizontal_wrapped(|ui| {
        ui.label("Quote:");
        match &quote {
            Some(q) => {
                let flat = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
                ui.label(RichText::new(format!("“{}”", short(&flat, 140))).italics())
                    .on_hover_text(format!("chars {}–{}", q.start, q.end));
                if app.statements.quote.is_some() && ui.button("Clear quote").clicked() {
                    app.statements.quote = None;
                }
            }
            None => {
                ui.label(RichText::new("none (select text in the viewer to quote it)").weak());
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Link note:");
        ui.add(
            egui::TextEdit::singleline(&mut app.statements.note)
                .hint_text("optional")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let enabled = doc.is_some() && statement.is_some();
        command_button(ui, &UiCommand::LinkToStatement, enabled, &mut app.pending);
        if app.statements.quote.is_none() {
            command_button(
                ui,
                &UiCommand::UseSelectionAsQuote,
                app.viewer_selection().is_some(),
                &mut app.pending,
            );
        }
    });
}

/// The statements panel.
pub fn statements_ui(app: &mut App, ui: &mut Ui) {
    app.ensure_ledger();
    // Fill the panel even while there is little to show (the panel keeps the size it had).
    ui.set_min_height(ui.available_height());
    let dark = ui.visuals().dark_mode;
    let supported = app
        .ledger
        .iter()
        .filter(|r| r.status == ClaimStatus::Supported)
        .count();
    let contested = app
        .ledger
        .iter()
        .filter(|r| r.status == ClaimStatus::Contested)
        .count();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Statements");
        ui.label(
            RichText::new(format!("{supported} supported"))
                .color(claim_color(ClaimStatus::Supported, dark)),
        );
        ui.label(
            RichText::new(format!("{contested} contested"))
                .color(claim_color(ClaimStatus::Contested, dark)),
        );
        ui.label(RichText::new(format!("{} in all", app.ledger.len())).weak());
    });
    if app.cache.article.is_none() {
        ui.label(
            RichText::new("No article in this cache (article.md at its root): nothing to link to.")
                .weak(),
        );
        return;
    }
    egui::Panel::bottom("doctriage-link-form").show(ui, |ui| link_form_ui(app, ui));
    let ledger = app.ledger.clone();
    let scroll_to_selected = std::mem::take(&mut app.statements.scroll_to_selected);
    let mut open: Option<UiCommand> = None;
    let mut edit: Option<Command> = None;
    let mut select: Option<String> = None;
    egui::ScrollArea::vertical()
        .id_salt("statements-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width();
            for row in &ledger {
                let selected = app.statements.selected.as_deref() == Some(row.id.as_str());
                let color = claim_color(row.status, dark);
                let frame_fill = if selected {
                    ui.visuals().selection.bg_fill.gamma_multiply(0.35)
                } else {
                    Color32::TRANSPARENT
                };
                let frame = egui::Frame::new()
                    .fill(frame_fill)
                    .corner_radius(4.0)
                    .inner_margin(egui::Margin::symmetric(4, 3))
                    .show(ui, |ui| {
                        ui.set_width(width - 10.0);
                        ui.horizontal_top(|ui| {
                            let id_resp = ui
                                .add(
                                    egui::Button::new(RichText::new(&row.id).strong())
                                        .selected(selected)
                                        .min_size([40.0, 0.0].into()),
                                )
                                .on_hover_text(format!(
                                    "{} — {} evidence",
                                    row.status.as_str(),
                                    row.evidence.len()
                                ))
                                .accessible_name(format!("Statement {}", row.id));
                            ui.label(RichText::new("●").color(color))
                                .on_hover_text(row.status.as_str());
                            ui.label(
                                RichText::new(format!("{}", row.evidence.len()))
                                    .strong()
                                    .color(color),
                            )
                            .on_hover_text("evidence links");
                            let font = egui::TextStyle::Body.resolve(ui.style());
                            let mut job = LayoutJob::single_section(
                                row.text.clone(),
                                TextFormat {
                                    font_id: font,
                                    color: ui.visuals().text_color(),
                                    ..TextFormat::default()
                                },
                            );
                            job.wrap = TextWrapping {
                                max_width: ui.available_width(),
                                max_rows: if selected { usize::MAX } else { 2 },
                                break_anywhere: false,
                                overflow_character: Some('…'),
                            };
                            let galley = ui.fonts_mut(|f| f.layout_job(job));
                            let text_resp = ui.add(egui::Label::new(galley).sense(Sense::click()));
                            if id_resp.clicked() || text_resp.clicked() {
                                select = Some(row.id.clone());
                            }
                        });
                        if selected {
                            if row.evidence.is_empty() {
                                ui.label(
                                    RichText::new(
                                        "No evidence yet: open a record and press L to link it.",
                                    )
                                    .weak(),
                                );
                            }
                            for (doc, index, link) in &row.evidence {
                                let span = link.quote.as_ref().map(|q| (q.start, q.end));
                                ui.add_space(2.0);
                                ui.horizontal(|ui| {
                                    ui.add_space(44.0);
                                    ui.label(
                                        RichText::new(link.relation.as_str())
                                            .color(relation_color(link.relation, dark))
                                            .strong(),
                                    );
                                    let room = (ui.available_width() - 72.0).max(60.0);
                                    let resp =
                                        ui.allocate_ui(egui::vec2(room, 18.0), |ui| {
                                            ui.add(
                                                egui::Button::new(RichText::new(doc).monospace())
                                                    .frame(false)
                                                    .truncate(),
                                            )
                                        })
                                        .inner
                                        .on_hover_text(format!("Open {doc} at the quote"))
                                        .accessible_name(
                                            format!("Open evidence {doc} for {}", row.id),
                                        );
                                    if resp.clicked() {
                                        open = Some(UiCommand::OpenDocument {
                                            id: doc.clone(),
                                            span,
                                        });
                                    }
                                    ui.with_layout(
                                        egui::Layout::right_to_left(egui::Align::Center),
                                        |ui| {
                                            let name = format!("Remove link {doc} to {}", row.id);
                                            if ui
                                                .add(egui::Button::new("Remove").small())
                                                .on_hover_text(name.clone())
                                                .accessible_name(name)
                                                .clicked()
                                            {
                                                edit = Some(Command::Unlink {
                                                    doc: doc.clone(),
                                                    index: *index,
                                                });
                                            }
                                        },
                                    );
                                });
                                let mut detail = String::new();
                                if let Some(q) = &link.quote {
                                    let flat =
                                        q.text.split_whitespace().collect::<Vec<_>>().join(" ");
                                    detail.push_str(&format!("“{}”", short(&flat, 160)));
                                }
                                if let Some(n) = &link.note {
                                    if !detail.is_empty() {
                                        detail.push_str("  ");
                                    }
                                    detail.push_str(&format!("— {n}"));
                                }
                                if !detail.is_empty() {
                                    ui.horizontal(|ui| {
                                        ui.add_space(44.0);
                                        let r = ui
                                            .add(
                                                egui::Label::new(
                                                    RichText::new(detail).italics().weak(),
                                                )
                                                .wrap()
                                                .sense(Sense::click()),
                                            )
                                            .on_hover_text("Click to open the record at the quote");
                                        if r.clicked() {
                                            open = Some(UiCommand::OpenDocument {
                                                id: doc.clone(),
                                                span,
                                            });
                                        }
                                    });
                                }
                            }
                        }
                    });
                if selected && scroll_to_selected {
                    ui.scroll_to_rect(frame.response.rect, Some(egui::Align::TOP));
                }
            }
        });
    if let Some(id) = select {
        app.statements.scroll_to_selected = app.statements.selected.as_deref() != Some(id.as_str());
        app.statements.selected = Some(id);
    }
    if let Some(cmd) = open {
        app.pending.push(Pending::Ui(cmd));
    }
    if let Some(cmd) = edit {
        app.pending.push(Pending::Edit(cmd));
    }
}
