//! The statements panel: the article's statements with their standing (the claim ledger), the
//! evidence of the selected one (click a row to open the record at its quote), and the form
//! that links the current document to the selected statement.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, RichText, Sense, Ui};

use crate::session::{ClaimStatus, Command, Link, Quote, Relation};

use super::app::{LedgerEntry, command_button};
use super::commands::UiCommand;
use super::panel::{Action, Panel, PanelCtx};

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

/// The statements panel's own state: the statement selected, the link form's note and the
/// quote pinned for the next link.
#[derive(Default)]
pub struct StatementsPanel {
    /// The statement selected.
    pub selected: Option<String>,
    scroll_to_selected: bool,
    /// The link form's note.
    pub note: String,
    /// The quote pinned for the next link (document id, quote).
    pub quote: Option<(String, Quote)>,
}

impl StatementsPanel {
    /// Selects a statement (scrolling to it when it was not selected).
    pub fn select(&mut self, id: String) {
        self.scroll_to_selected = self.selected.as_deref() != Some(id.as_str());
        self.selected = Some(id);
    }

    /// The link form: relation, quote, note, and the button.
    fn link_form_ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
        ui.add_space(4.0);
        let doc = ctx.current_document().map(|d| d.id.clone());
        let statement = self.selected.clone();
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Link").strong());
            ui.label(
                RichText::new(doc.clone().unwrap_or_else(|| "(no document)".into())).monospace(),
            );
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
        relation_ui(ctx, ui, out);
        ui.horizontal_wrapped(|ui| {
            ui.label("Quote:");
            match &ctx.link_quote {
                Some(q) => {
                    // Exactly as it will be stored, every character (a line break shows as one).
                    egui::ScrollArea::vertical()
                        .id_salt("link-quote-preview")
                        .max_height(72.0)
                        .show(ui, |ui| {
                            ui.label(RichText::new(format!("“{}”", q.text)).italics())
                                .on_hover_text(format!("chars {}–{}", q.start, q.end));
                        });
                    if self.quote.is_some() && ui.button("Clear quote").clicked() {
                        out.push(Action::ClearQuote);
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
                egui::TextEdit::singleline(&mut self.note)
                    .hint_text("optional")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let enabled = doc.is_some() && statement.is_some();
            command_button(ui, &UiCommand::LinkToStatement, enabled, out);
            if self.quote.is_none() {
                command_button(
                    ui,
                    &UiCommand::UseSelectionAsQuote,
                    ctx.selection.is_some(),
                    out,
                );
            }
        });
    }
}

/// The relation the next link gets.
fn relation_ui(ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let label = ui.label("Relation:");
        ui.label_inputs_by(label.id, |ui| {
            for r in Relation::ALL {
                let color = relation_color(r, ui.visuals().dark_mode);
                let on = ctx.saved.relation == r;
                let resp = ui
                    .add(
                        egui::Button::new(RichText::new(relation_label(r)).color(color))
                            .selected(on),
                    )
                    .accessible_name(relation_label(r));
                if resp.clicked() {
                    out.push(Action::SetRelation(r));
                }
            }
        });
    });
}

/// The heading: how many statements are supported and contested.
fn header_ui(ctx: &PanelCtx<'_>, ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    let count = |status| ctx.ledger.iter().filter(|r| r.status == status).count();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Statements");
        ui.label(
            RichText::new(format!("{} supported", count(ClaimStatus::Supported)))
                .color(claim_color(ClaimStatus::Supported, dark)),
        );
        ui.label(
            RichText::new(format!("{} contested", count(ClaimStatus::Contested)))
                .color(claim_color(ClaimStatus::Contested, dark)),
        );
        ui.label(RichText::new(format!("{} in all", ctx.ledger.len())).weak());
    });
}

impl Panel for StatementsPanel {
    fn ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui) -> Vec<Action> {
        let mut out = Vec::new();
        // Fill the panel even while there is little to show (the panel keeps the size it had).
        ui.set_min_height(ui.available_height());
        header_ui(ctx, ui);
        if ctx.cache().article.is_none() {
            ui.label(
                RichText::new(
                    "No article in this cache (article.md at its root): nothing to link to.",
                )
                .weak(),
            );
            return out;
        }
        let mut select: Option<String> = None;
        ledger_strip_ui(ctx, ui, self.selected.as_deref(), &mut select);
        egui::Panel::bottom("doctriage-link-form")
            .show(ui, |ui| self.link_form_ui(ctx, ui, &mut out));
        let scroll_to_selected = std::mem::take(&mut self.scroll_to_selected);
        egui::ScrollArea::vertical()
            .id_salt("statements-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let width = ui.available_width();
                for row in ctx.ledger {
                    let selected = self.selected.as_deref() == Some(row.id.as_str());
                    let frame = statement_ui(ui, row, selected, width, &mut select, &mut out);
                    if selected && scroll_to_selected {
                        ui.scroll_to_rect(frame.rect, Some(egui::Align::TOP));
                    }
                }
            });
        if let Some(id) = select {
            self.select(id);
        }
        out
    }
}

/// The ledger at a glance, always in view: a chip per statement in the colour of its standing
/// (a click selects it; hovering shows its text), above the list that scrolls.
fn ledger_strip_ui(
    ctx: &PanelCtx<'_>,
    ui: &mut Ui,
    selected: Option<&str>,
    select: &mut Option<String>,
) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 3.0;
        ui.spacing_mut().button_padding = egui::vec2(4.0, 1.0);
        for row in ctx.ledger {
            let color = claim_color(row.status, dark);
            let on = selected == Some(row.id.as_str());
            let text = RichText::new(&row.id).strong().color(if on {
                ui.visuals().strong_text_color()
            } else {
                color
            });
            let resp = ui
                .add(
                    egui::Button::new(text)
                        .selected(on)
                        .stroke(egui::Stroke::new(1.5, color))
                        .min_size(egui::vec2(26.0, 0.0)),
                )
                .on_hover_text(format!(
                    "{} — {}, {} evidence\n{}",
                    row.id,
                    row.status.as_str(),
                    row.evidence.len(),
                    row.text
                ))
                .accessible_name(format!("Select {}", row.id));
            if resp.clicked() {
                *select = Some(row.id.clone());
            }
        }
    });
}

/// One statement: its id, standing, evidence count and text; selected, its evidence too.
fn statement_ui(
    ui: &mut Ui,
    row: &LedgerEntry,
    selected: bool,
    width: f32,
    select: &mut Option<String>,
    out: &mut Vec<Action>,
) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let color = claim_color(row.status, dark);
    let frame_fill = if selected {
        ui.visuals().selection.bg_fill.gamma_multiply(0.35)
    } else {
        Color32::TRANSPARENT
    };
    egui::Frame::new()
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
                let text_resp = statement_text_ui(ui, &row.text);
                if id_resp.clicked() || text_resp.clicked() {
                    *select = Some(row.id.clone());
                }
            });
            if selected {
                if row.evidence.is_empty() {
                    ui.label(
                        RichText::new("No evidence yet: open a record and press L to link it.")
                            .weak(),
                    );
                }
                for (doc, index, link) in &row.evidence {
                    evidence_ui(ui, &row.id, doc, *index, link, out);
                }
            }
        })
        .response
}

/// A statement's text, wrapped, all of it (selected or not: the ledger is read at a glance).
fn statement_text_ui(ui: &mut Ui, text: &str) -> egui::Response {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mut job = LayoutJob::single_section(
        text.to_owned(),
        TextFormat {
            font_id: font,
            color: ui.visuals().text_color(),
            ..TextFormat::default()
        },
    );
    job.wrap = TextWrapping {
        max_width: ui.available_width(),
        max_rows: usize::MAX,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    ui.add(egui::Label::new(galley).sense(Sense::click()))
}

/// One piece of evidence of the selected statement: open it at its quote, or remove the link.
fn evidence_ui(
    ui: &mut Ui,
    statement: &str,
    doc: &str,
    _index: usize,
    link: &Link,
    out: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    let span = link.quote.as_ref().map(|q| (q.start, q.end));
    let open = || {
        Action::Ui(UiCommand::OpenDocument {
            id: doc.to_owned(),
            span,
        })
    };
    ui.add_space(2.0);
    ui.horizontal(|ui| {
        ui.add_space(44.0);
        ui.label(
            RichText::new(link.relation.as_str())
                .color(relation_color(link.relation, dark))
                .strong(),
        );
        let room = (ui.available_width() - 72.0).max(60.0);
        let resp = ui
            .allocate_ui(egui::vec2(room, 18.0), |ui| {
                ui.add(
                    egui::Button::new(RichText::new(doc).monospace())
                        .frame(false)
                        .truncate(),
                )
            })
            .inner
            .on_hover_text(format!("Open {doc} at the quote"))
            .accessible_name(format!("Open evidence {doc} for {statement}"));
        if resp.clicked() {
            out.push(open());
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let name = format!("Remove link {doc} to {statement}");
            if ui
                .add(egui::Button::new("Remove").small())
                .on_hover_text(name.clone())
                .accessible_name(name)
                .clicked()
            {
                out.push(Action::Edit(Command::Unlink {
                    doc: doc.to_owned(),
                    link: link.id.clone(),
                }));
            }
        });
    });
    let mut detail = String::new();
    if let Some(q) = &link.quote {
        let flat = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
        detail.push_str(&format!("“{}”", short(&flat, 160)));
    }
    if let Some(n) = &link.note {
        if !detail.is_empty() {
            detail.push_str("  ");
        }
        detail.push_str(&format!("— {n}"));
    }
    if detail.is_empty() {
        return;
    }
    ui.horizontal(|ui| {
        ui.add_space(44.0);
        let r = ui
            .add(
                egui::Label::new(RichText::new(detail).italics().weak())
                    .wrap()
                    .sense(Sense::click()),
            )
            .on_hover_text("Click to open the record at the quote");
        if r.clicked() {
            out.push(open());
        }
    });
}
