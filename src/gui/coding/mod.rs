//! The coding panel: status, date, senders, recipients, equipment and tags of the current
//! document, its suggestions (one click accepts one; hovering shows where it came from and
//! highlights it in the viewer), its notes and its links. Every change is a session command.

use egui::{Color32, Key, RichText, Ui};

mod widgets;

use widgets::{
    FIELDS, add_id, chip_fill, completion_pools, field_index, removable_chip, row_label, section,
    suggestion_row,
};
pub use widgets::{date_id, matching, notes_id};

use crate::model::{Document, PartialDate, Suggestions};
use crate::session::{Command, DocReview, Field, Status};

use super::app::command_button;
use super::commands::UiCommand;
use super::list::status_glyph;
use super::panel::{Action, Panel, PanelCtx};
use super::viewer::Highlight;
use crate::workspace::{Derived, SessionStamp};

/// The coding panel's own state: the text fields being typed in and the completion pools.
#[derive(Default)]
pub struct CodingPanel {
    /// The document and session state the fields were filled from.
    synced: Option<(String, SessionStamp)>,
    date_text: String,
    date_doc: String,
    date_error: Option<String>,
    notes_text: String,
    notes_doc: String,
    add_text: [String; 4],
    refocus_add: Option<usize>,
    pools: Derived<(SessionStamp, u64), [Vec<String>; 4]>,
    focus_notes: bool,
    focus_date: bool,
}

/// A field of the coding panel a key puts the cursor in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The notes box (N).
    Notes,
    /// The date field (D).
    Date,
    /// The add-tag field (T).
    Tags,
}

impl CodingPanel {
    /// Puts the cursor in a field at the next frame (N, D, T).
    pub fn request_focus(&mut self, focus: Focus) {
        match focus {
            Focus::Notes => self.focus_notes = true,
            Focus::Date => self.focus_date = true,
            Focus::Tags => self.refocus_add = Some(field_index(Field::Tag)),
        }
    }

    /// The notes typed but not yet applied (the box still has the cursor), as the edit that
    /// applies them.
    pub fn unapplied_notes(&self, session: &crate::session::Session) -> Option<Command> {
        let doc = &self.notes_doc;
        if doc.is_empty() || self.synced.as_ref().is_none_or(|(d, _)| d != doc) {
            return None;
        }
        let current = session.review(doc).map(|r| r.notes.as_str()).unwrap_or("");
        (current != self.notes_text).then(|| Command::SetNotes {
            doc: doc.clone(),
            notes: self.notes_text.clone(),
        })
    }

    /// Fills the fields from the review when the document or the session changed (a field
    /// being typed in keeps its text while the document stays).
    fn sync_buffers(
        &mut self,
        ctx: &PanelCtx<'_>,
        ui: &Ui,
        doc_id: &str,
        review: Option<&DocReview>,
    ) {
        let key = (doc_id.to_owned(), ctx.revisions().session);
        if self.synced.as_ref() == Some(&key) {
            return;
        }
        let doc_changed = self.synced.as_ref().is_none_or(|(d, _)| d != doc_id);
        let (date_focused, notes_focused) =
            ui.memory(|m| (m.has_focus(date_id()), m.has_focus(notes_id())));
        if !date_focused || doc_changed {
            self.date_text = review
                .and_then(|r| r.date)
                .map(|d| d.to_string())
                .unwrap_or_default();
            self.date_doc = doc_id.to_owned();
            self.date_error = None;
        }
        if !notes_focused || doc_changed {
            self.notes_text = review.map(|r| r.notes.clone()).unwrap_or_default();
            self.notes_doc = doc_id.to_owned();
        }
        if doc_changed {
            for t in &mut self.add_text {
                t.clear();
            }
        }
        self.synced = Some(key);
    }
}

impl Panel for CodingPanel {
    fn ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui) -> Vec<Action> {
        let mut out = Vec::new();
        let Some(doc) = ctx.current_document() else {
            ui.add_space(20.0);
            ui.label(RichText::new("No document selected.").weak());
            return out;
        };
        let review = ctx.session().review(&doc.id);
        self.sync_buffers(ctx, ui, &doc.id, review);
        let r = ctx.revisions();
        self.pools
            .get_or_update((r.session, r.documents), || completion_pools(ctx));
        egui::ScrollArea::vertical()
            .id_salt("coding-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading("Coding");
                    // A long id is cut (whole on hover) rather than widening the panel.
                    ui.add(egui::Label::new(RichText::new(&doc.id).monospace().weak()).truncate())
                        .on_hover_text(&doc.id);
                });
                status_ui(ui, review, &mut out);
                self.date_ui(ctx, ui, doc, review, &mut out);
                suggestions_ui(ctx, ui, doc, review, &mut out);
                ui.add_space(6.0);
                for (field, title, singular) in FIELDS {
                    self.field_ui(ui, doc, review, (field, title, singular), &mut out);
                }
                self.notes_ui(ctx, ui, &mut out);
                links_ui(ui, doc, review, &mut out);
            });
        out
    }
}

/// The status buttons (1–4).
fn status_ui(ui: &mut Ui, review: Option<&DocReview>, out: &mut Vec<Action>) {
    let dark = ui.visuals().dark_mode;
    let status = review.map(|r| r.status).unwrap_or_default();
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 5.0;
        for s in Status::ALL {
            let cmd = UiCommand::SetStatus(s);
            let (glyph, color) = status_glyph(s, dark);
            let keys = cmd.shortcut_text(ui.ctx());
            let button = egui::Button::new((
                RichText::new(glyph).color(color).strong(),
                RichText::new(cmd.label()),
            ))
            .shortcut_text(keys)
            .selected(status == s);
            let resp = ui
                .add(button)
                .on_hover_text(cmd.tooltip_with_shortcut(ui.ctx()))
                .accessible_name(cmd.label());
            if resp.clicked() {
                out.push(Action::Ui(cmd));
            }
        }
    });
}

impl CodingPanel {
    /// The accepted date: typed (applied when the field is left), cleared, and the stated one.
    fn date_ui(
        &mut self,
        ctx: &PanelCtx<'_>,
        ui: &mut Ui,
        doc: &Document,
        review: Option<&DocReview>,
        out: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let label = row_label(ui, "Date:");
            let resp = ui
                .add(
                    egui::TextEdit::singleline(&mut self.date_text)
                        .id(date_id())
                        .hint_text("YYYY[-MM[-DD]]")
                        .desired_width(130.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus_date) {
                resp.request_focus();
                resp.scroll_to_me(None);
            }
            if resp.lost_focus() {
                self.apply_typed_date(ctx, out);
            }
            if review.and_then(|r| r.date).is_some()
                && ui
                    .button("Clear date")
                    .on_hover_text("Remove the accepted date")
                    .clicked()
            {
                out.push(Action::Edit(Command::SetDate {
                    doc: doc.id.clone(),
                    date: None,
                }));
            }
            if let Some(stated) = &doc.date {
                let shown = crate::extract::parse_date(stated)
                    .map_or_else(|| stated.clone(), |d| d.to_string());
                ui.label(RichText::new(format!("stated: {shown}")).weak().small())
                    .on_hover_text(format!("The date as the record states it: {stated}"));
            }
        });
        if let Some(err) = &self.date_error {
            ui.colored_label(Color32::from_rgb(0xe0, 0x4a, 0x4a), err);
        }
    }

    /// The date typed, as an edit (or an error under the field when it is not a date).
    fn apply_typed_date(&mut self, ctx: &PanelCtx<'_>, out: &mut Vec<Action>) {
        let text = self.date_text.trim().to_owned();
        let target = self.date_doc.clone();
        let current = ctx.session().review(&target).and_then(|r| r.date);
        if text.is_empty() {
            self.date_error = None;
            if current.is_some() {
                out.push(Action::Edit(Command::SetDate {
                    doc: target,
                    date: None,
                }));
            }
            return;
        }
        match PartialDate::parse_iso(&text) {
            Some(d) => {
                self.date_error = None;
                if current != Some(d) {
                    out.push(Action::Edit(Command::SetDate {
                        doc: target,
                        date: Some(d),
                    }));
                }
            }
            None => {
                self.date_error = Some(format!(
                    "Not a date: {text} (use YYYY, YYYY-MM or YYYY-MM-DD)"
                ));
            }
        }
    }

    /// One multi-valued field: its chips (× removes), the field to add one, and known values
    /// matching what is typed.
    fn field_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        review: Option<&DocReview>,
        (field, title, singular): (Field, &str, &str),
        out: &mut Vec<Action>,
    ) {
        let dark = ui.visuals().dark_mode;
        let values: Vec<String> = review.map(|r| r.list(field).to_vec()).unwrap_or_default();
        let fi = field_index(field);
        let resp = ui
            .horizontal_wrapped(|ui| {
                let label = row_label(ui, title);
                for v in &values {
                    let fill = if field == Field::Tag {
                        super::list::tag_color(v, dark)
                    } else {
                        chip_fill(field, ui)
                    };
                    if removable_chip(ui, v, fill, format!("Remove {singular} {v}")) {
                        out.push(Action::Edit(Command::Remove {
                            doc: doc.id.clone(),
                            field,
                            value: v.clone(),
                        }));
                    }
                }
                ui.add(
                    egui::TextEdit::singleline(&mut self.add_text[fi])
                        .id(add_id(field))
                        .hint_text(format!("add {singular}…"))
                        .desired_width(170.0),
                )
                .labelled_by(label.id)
            })
            .inner;
        if self.refocus_add == Some(fi) {
            resp.request_focus();
            self.refocus_add = None;
        }
        let typed = self.add_text[fi].trim().to_owned();
        let add = |value: String| {
            Action::Edit(Command::Add {
                doc: doc.id.clone(),
                field,
                value,
            })
        };
        if resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && !typed.is_empty() {
            out.push(add(typed));
            self.add_text[fi].clear();
            self.refocus_add = Some(fi);
            return;
        }
        if typed.is_empty() {
            return;
        }
        let options = matching(&self.pools.value()[fi], &typed, &values, 8);
        if options.is_empty() {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("known:").weak().small());
            for o in options {
                let resp = ui
                    .add(egui::Button::new(RichText::new(&o).small()).small())
                    .on_hover_text(format!("Add {singular} {o}"))
                    .accessible_name(format!("Add {singular} {o}"));
                if resp.clicked() {
                    out.push(add(o));
                    self.add_text[fi].clear();
                }
            }
        });
    }

    /// The notes box (applied when it is left).
    fn notes_ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
        ui.add_space(6.0);
        let label = ui
            .horizontal(|ui| {
                let l = ui.label(RichText::new("Notes").strong());
                ui.label(
                    RichText::new("(applied when you leave the box)")
                        .weak()
                        .small(),
                );
                l
            })
            .inner;
        let focus_notes = std::mem::take(&mut self.focus_notes);
        if focus_notes {
            ui.memory_mut(|m| m.request_focus(notes_id()));
        }
        let resp = ui
            .add(
                egui::TextEdit::multiline(&mut self.notes_text)
                    .id(notes_id())
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("Notes on this document (N)"),
            )
            .labelled_by(label.id);
        if focus_notes {
            resp.scroll_to_me(Some(egui::Align::Center));
        }
        if resp.lost_focus() {
            let target = self.notes_doc.clone();
            let current = ctx
                .session()
                .review(&target)
                .map(|r| r.notes.clone())
                .unwrap_or_default();
            if current != self.notes_text && !target.is_empty() {
                out.push(Action::Edit(Command::SetNotes {
                    doc: target,
                    notes: self.notes_text.clone(),
                }));
            }
        }
    }
}

/// The suggestions of the document: one row per kind, a click accepts one.
fn suggestions_ui(
    ctx: &PanelCtx<'_>,
    ui: &mut Ui,
    doc: &Document,
    review: Option<&DocReview>,
    out: &mut Vec<Action>,
) {
    let empty = Suggestions::default();
    let sugg = ctx.suggestions(&doc.id).unwrap_or(&empty);
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Suggestions").strong());
        if sugg.is_empty() {
            ui.label(RichText::new("none for this document").weak());
        } else {
            command_button(ui, &UiCommand::AcceptSuggestions, true, out);
        }
    });
    let id = doc.id.clone();
    let date_set = review.and_then(|r| r.date);
    suggestion_row(
        out,
        ui,
        "Date",
        &sugg.dates,
        Highlight::Date,
        &|c| date_set.is_some_and(|d| Some(d) == PartialDate::parse_iso(&c.value)),
        &|c| {
            PartialDate::parse_iso(&c.value).map(|d| Command::SetDate {
                doc: id.clone(),
                date: Some(d),
            })
        },
    );
    for (title, cands, kind, field) in [
        ("Sender", &sugg.senders, Highlight::Sender, Field::Sender),
        (
            "Recipient",
            &sugg.recipients,
            Highlight::Sender,
            Field::Recipient,
        ),
        (
            "Equipment",
            &sugg.equipment,
            Highlight::Equipment,
            Field::Equipment,
        ),
    ] {
        let present: Vec<String> = review.map(|r| r.list(field).to_vec()).unwrap_or_default();
        suggestion_row(
            out,
            ui,
            title,
            cands,
            kind,
            &|c| present.contains(&c.value),
            &|c| {
                Some(Command::Add {
                    doc: id.clone(),
                    field,
                    value: c.value.clone(),
                })
            },
        );
    }
}

/// The links of the document (click a quote to show it, × removes the link).
fn links_ui(ui: &mut Ui, doc: &Document, review: Option<&DocReview>, out: &mut Vec<Action>) {
    let dark = ui.visuals().dark_mode;
    let links = review.map(|r| r.links.as_slice()).unwrap_or_default();
    section(ui, &format!("Links of this document ({})", links.len()));
    if links.is_empty() {
        ui.label(RichText::new("none — select a statement below and press L").weak());
    }
    for l in links.iter() {
        ui.horizontal_wrapped(|ui| {
            let rel_color = super::statements::relation_color(l.relation, dark);
            ui.label(RichText::new(&l.statement).strong());
            ui.label(RichText::new(l.relation.as_str()).color(rel_color));
            if let Some(q) = &l.quote {
                let short: String = q.text.chars().take(80).collect();
                let more = if q.text.chars().count() > 80 {
                    "…"
                } else {
                    ""
                };
                let resp = ui
                    .add(
                        egui::Label::new(RichText::new(format!("“{short}{more}”")).italics())
                            .sense(egui::Sense::click()),
                    )
                    .on_hover_text(format!("chars {}–{}; click to show it", q.start, q.end));
                if resp.clicked() {
                    out.push(Action::Ui(UiCommand::OpenDocument {
                        id: doc.id.clone(),
                        span: Some((q.start, q.end)),
                    }));
                }
            }
            if let Some(n) = &l.note {
                ui.label(RichText::new(format!("— {n}")).weak());
            }
            let name = format!("Remove link to {}", l.statement);
            if ui
                .add(egui::Button::new("×").small())
                .on_hover_text(name.clone())
                .accessible_name(name)
                .clicked()
            {
                out.push(Action::Edit(Command::Unlink {
                    doc: doc.id.clone(),
                    link: l.id.clone(),
                }));
            }
        });
    }
}
