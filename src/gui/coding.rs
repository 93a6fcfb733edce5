//! The coding panel: status, date, senders, recipients, equipment and tags of the current
//! document, its suggestions (one click accepts one; hovering shows where it came from and
//! highlights it in the viewer), its notes and its links. Every change is a session command.

use egui::{Color32, Key, RichText, Ui};

use crate::fold::fold;
use crate::model::{Candidate, PartialDate};
use crate::session::{Command, DocReview, Field, Status};

use super::app::{App, Pending, command_button};
use super::commands::UiCommand;
use super::list::status_glyph;
use super::viewer::{Highlight, candidate_origin};

/// "Dates", "Senders", "Equipment": the label of a row of suggestions.
fn plural(title: &str) -> String {
    if title == "Equipment" {
        title.to_owned()
    } else {
        format!("{title}s")
    }
}

/// Suggestion chips shown per kind before "N more…".
const MAX_CHIPS: usize = 8;

const FIELDS: [(Field, &str, &str); 4] = [
    (Field::Sender, "Senders", "sender"),
    (Field::Recipient, "Recipients", "recipient"),
    (Field::Equipment, "Equipment", "equipment"),
    (Field::Tag, "Tags", "tag"),
];

fn field_index(field: Field) -> usize {
    match field {
        Field::Sender => 0,
        Field::Recipient => 1,
        Field::Equipment => 2,
        Field::Tag => 3,
    }
}

/// The id of the notes box (N focuses it).
pub fn notes_id() -> egui::Id {
    egui::Id::unique("doctriage-notes")
}

/// The id of the date field.
pub fn date_id() -> egui::Id {
    egui::Id::unique("doctriage-date")
}

fn add_id(field: Field) -> egui::Id {
    egui::Id::unique(("doctriage-add", field_index(field)))
}

/// The completion pool of each field: gazetteer names and the values used in the session.
fn rebuild_pools(app: &mut App) {
    let key = (app.editor.revision(), app.data_gen);
    if app.coding.pool_key == Some(key) {
        return;
    }
    let g = &app.cache.gazetteer;
    let orgs: Vec<String> = g.organisations.iter().map(|e| e.name.clone()).collect();
    let equipment: Vec<String> = g.equipment.iter().map(|e| e.name.clone()).collect();
    let mut pools = [orgs.clone(), orgs, equipment, Vec::new()];
    for r in app.editor.session.documents.values() {
        for (field, _, _) in FIELDS {
            let pool = &mut pools[field_index(field)];
            pool.extend(r.list(field).iter().cloned());
            if matches!(field, Field::Sender | Field::Recipient) {
                // Senders and recipients are the same kind of name.
                let other = if field == Field::Sender {
                    Field::Recipient
                } else {
                    Field::Sender
                };
                pool.extend(r.list(other).iter().cloned());
            }
        }
    }
    for p in &mut pools {
        p.sort();
        p.dedup();
    }
    app.coding.pools = pools;
    app.coding.pool_key = Some(key);
}

/// Values of `pool` matching the typed text (folded, anywhere), not already present, at most `max`.
pub fn matching(pool: &[String], typed: &str, present: &[String], max: usize) -> Vec<String> {
    let t = fold(typed);
    if t.is_empty() {
        return Vec::new();
    }
    let mut starts: Vec<String> = Vec::new();
    let mut contains: Vec<String> = Vec::new();
    for v in pool {
        if present.contains(v) {
            continue;
        }
        let f = fold(v);
        if f.starts_with(&t) {
            starts.push(v.clone());
        } else if f.contains(&t) {
            contains.push(v.clone());
        }
    }
    starts.extend(contains);
    starts.truncate(max);
    starts
}

fn sync_buffers(app: &mut App, ui: &Ui, doc_id: &str, review: Option<&DocReview>) {
    let key = (doc_id.to_owned(), app.editor.revision());
    if app.coding.synced.as_ref() == Some(&key) {
        return;
    }
    let doc_changed = app.coding.synced.as_ref().is_none_or(|(d, _)| d != doc_id);
    let (date_focused, notes_focused) =
        ui.memory(|m| (m.has_focus(date_id()), m.has_focus(notes_id())));
    if !date_focused || doc_changed {
        app.coding.date_text = review
            .and_then(|r| r.date)
            .map(|d| d.to_string())
            .unwrap_or_default();
        app.coding.date_doc = doc_id.to_owned();
        app.coding.date_error = None;
    }
    if !notes_focused || doc_changed {
        app.coding.notes_text = review.map(|r| r.notes.clone()).unwrap_or_default();
        app.coding.notes_doc = doc_id.to_owned();
    }
    if doc_changed {
        for t in &mut app.coding.add_text {
            t.clear();
        }
    }
    app.coding.synced = Some(key);
}

/// A row's label, in a fixed-width column so the rows line up.
fn row_label(ui: &mut Ui, text: &str) -> egui::Response {
    ui.allocate_ui_with_layout(
        egui::vec2(78.0, 20.0),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(78.0);
            ui.label(RichText::new(text).strong())
        },
    )
    .inner
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong());
}

/// A chip with a remove button; returns true when × was clicked.
fn removable_chip(ui: &mut Ui, text: &str, fill: Color32, remove_name: String) -> bool {
    // A chip is one unit: start a new row when it does not fit in what is left of this one.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let text_width = ui
        .fonts_mut(|f| f.layout_no_wrap(text.to_owned(), font, Color32::WHITE))
        .size()
        .x;
    let needed = text_width + 36.0;
    if ui.available_size_before_wrap().x < needed && ui.cursor().min.x > ui.max_rect().min.x + 1.0 {
        ui.end_row();
    }
    let max_text = (ui.available_size_before_wrap().x - 36.0).max(40.0);
    let mut clicked = false;
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            if text_width <= max_text {
                ui.add(egui::Label::new(text).extend());
            } else {
                ui.set_max_width(max_text + 24.0);
                ui.add(egui::Label::new(text).truncate())
                    .on_hover_text(text);
            }
            let resp = ui
                .add(egui::Button::new("×").small().frame(false))
                .on_hover_text(remove_name.clone())
                .accessible_name(remove_name);
            clicked = resp.clicked();
        });
    clicked
}

fn chip_fill(field: Field, ui: &Ui) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match field {
        Field::Sender | Field::Recipient => Highlight::Sender.color(dark),
        Field::Equipment => Highlight::Equipment.color(dark),
        Field::Tag => ui
            .visuals()
            .faint_bg_color
            .gamma_multiply(if dark { 2.0 } else { 0.9 }),
    }
}

fn suggestion_row(
    app: &mut App,
    ui: &mut Ui,
    title: &str,
    cands: &[Candidate],
    kind: Highlight,
    accepted: &dyn Fn(&Candidate) -> bool,
    make: &dyn Fn(&Candidate) -> Option<Command>,
) {
    if cands.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    let more_id = egui::Id::unique(("doctriage-sugg-more", title));
    let show_all = ui.data(|d| d.get_temp::<bool>(more_id)).unwrap_or(false);
    let limit = if show_all { usize::MAX } else { MAX_CHIPS };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{}:", plural(title))).weak());
        for c in cands.iter().take(limit) {
            let done = accepted(c);
            let text = if done {
                c.value.clone()
            } else {
                format!("+ {}", c.value)
            };
            let button = egui::Button::new(RichText::new(text).color(if dark {
                Color32::WHITE
            } else {
                Color32::BLACK
            }))
            .fill(kind.color(dark))
            .selected(done);
            let name = format!("Accept {} {}", title.to_lowercase(), c.value);
            let resp = ui
                .add(button)
                .on_hover_text(format!(
                    "{}{}",
                    candidate_origin(c),
                    if done {
                        "\n(already accepted)"
                    } else {
                        "\nClick to accept"
                    }
                ))
                .accessible_name(name);
            if resp.hovered()
                && let (Some(a), Some(b)) = (c.start, c.end)
            {
                app.hover_span = Some((a, b));
            }
            if resp.clicked()
                && !done
                && let Some(cmd) = make(c)
            {
                app.pending.push(Pending::Edit(cmd));
            }
        }
        if cands.len() > MAX_CHIPS {
            let text = if show_all {
                "fewer".to_owned()
            } else {
                format!("{} more…", cands.len() - MAX_CHIPS)
            };
            let name = if show_all {
                format!("Show fewer {} suggestions", title.to_lowercase())
            } else {
                format!("Show all {} suggestions", title.to_lowercase())
            };
            if ui
                .add(egui::Button::new(text).small())
                .accessible_name(name)
                .clicked()
            {
                ui.data_mut(|d| d.insert_temp(more_id, !show_all));
            }
        }
    });
}

/// The coding panel.
pub fn coding_panel_ui(app: &mut App, ui: &mut Ui) {
    let Some(idx) = app.current_idx else {
        ui.add_space(20.0);
        ui.label(RichText::new("No document selected.").weak());
        return;
    };
    let cache = app.cache.clone();
    let Some(doc) = cache.documents.get(idx) else {
        return;
    };
    let review = app.editor.session.review(&doc.id).cloned();
    sync_buffers(app, ui, &doc.id, review.as_ref());
    rebuild_pools(app);
    let dark = ui.visuals().dark_mode;
    let status = review.as_ref().map(|r| r.status).unwrap_or_default();

    egui::ScrollArea::vertical()
        .id_salt("coding-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Coding");
                ui.label(RichText::new(&doc.id).monospace().weak());
            });

            // ---- status ----
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
                        app.pending.push(Pending::Ui(cmd));
                    }
                }
            });

            // ---- date ----
            ui.horizontal_wrapped(|ui| {
                let label = row_label(ui, "Date:");
                let resp = ui
                    .add(
                        egui::TextEdit::singleline(&mut app.coding.date_text)
                            .id(date_id())
                            .hint_text("YYYY[-MM[-DD]]")
                            .desired_width(130.0),
                    )
                    .labelled_by(label.id);
                if resp.lost_focus() {
                    let text = app.coding.date_text.trim().to_owned();
                    let target = app.coding.date_doc.clone();
                    let current = app.editor.session.review(&target).and_then(|r| r.date);
                    if text.is_empty() {
                        app.coding.date_error = None;
                        if current.is_some() {
                            app.pending.push(Pending::Edit(Command::SetDate {
                                doc: target,
                                date: None,
                            }));
                        }
                    } else {
                        match PartialDate::parse_iso(&text) {
                            Some(d) => {
                                app.coding.date_error = None;
                                if current != Some(d) {
                                    app.pending.push(Pending::Edit(Command::SetDate {
                                        doc: target,
                                        date: Some(d),
                                    }));
                                }
                            }
                            None => {
                                app.coding.date_error = Some(format!(
                                    "Not a date: {text} (use YYYY, YYYY-MM or YYYY-MM-DD)"
                                ));
                            }
                        }
                    }
                }
                if review.as_ref().and_then(|r| r.date).is_some()
                    && ui
                        .button("Clear date")
                        .on_hover_text("Remove the accepted date")
                        .clicked()
                {
                    app.pending.push(Pending::Edit(Command::SetDate {
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
            if let Some(err) = &app.coding.date_error {
                ui.colored_label(Color32::from_rgb(0xe0, 0x4a, 0x4a), err);
            }

            // ---- suggestions ----
            let sugg = app.ensure_suggestions(&doc.id).cloned().unwrap_or_default();
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new("Suggestions").strong());
                if sugg.is_empty() {
                    ui.label(RichText::new("none for this document").weak());
                } else {
                    command_button(ui, &UiCommand::AcceptSuggestions, true, &mut app.pending);
                }
            });
            let r = review.clone();
            let id = doc.id.clone();
            let date_set = r.as_ref().and_then(|r| r.date);
            suggestion_row(
                app,
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
            let senders: Vec<String> = r.as_ref().map(|r| r.senders.clone()).unwrap_or_default();
            suggestion_row(
                app,
                ui,
                "Sender",
                &sugg.senders,
                Highlight::Sender,
                &|c| senders.contains(&c.value),
                &|c| {
                    Some(Command::Add {
                        doc: id.clone(),
                        field: Field::Sender,
                        value: c.value.clone(),
                    })
                },
            );
            let equipment: Vec<String> =
                r.as_ref().map(|r| r.equipment.clone()).unwrap_or_default();
            suggestion_row(
                app,
                ui,
                "Equipment",
                &sugg.equipment,
                Highlight::Equipment,
                &|c| equipment.contains(&c.value),
                &|c| {
                    Some(Command::Add {
                        doc: id.clone(),
                        field: Field::Equipment,
                        value: c.value.clone(),
                    })
                },
            );

            // ---- multi-valued fields ----
            ui.add_space(6.0);
            for (field, title, singular) in FIELDS {
                let values: Vec<String> = review
                    .as_ref()
                    .map(|r| r.list(field).to_vec())
                    .unwrap_or_default();
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
                                app.pending.push(Pending::Edit(Command::Remove {
                                    doc: doc.id.clone(),
                                    field,
                                    value: v.clone(),
                                }));
                            }
                        }
                        ui.add(
                            egui::TextEdit::singleline(&mut app.coding.add_text[fi])
                                .id(add_id(field))
                                .hint_text(format!("add {singular}…"))
                                .desired_width(170.0),
                        )
                        .labelled_by(label.id)
                    })
                    .inner;
                if app.coding.refocus_add == Some(fi) {
                    resp.request_focus();
                    app.coding.refocus_add = None;
                }
                let typed = app.coding.add_text[fi].trim().to_owned();
                if resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && !typed.is_empty()
                {
                    app.pending.push(Pending::Edit(Command::Add {
                        doc: doc.id.clone(),
                        field,
                        value: typed.clone(),
                    }));
                    app.coding.add_text[fi].clear();
                    app.coding.refocus_add = Some(fi);
                } else if !typed.is_empty() {
                    let options = matching(&app.coding.pools[fi], &typed, &values, 8);
                    if !options.is_empty() {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(RichText::new("known:").weak().small());
                            for o in options {
                                let resp = ui
                                    .add(egui::Button::new(RichText::new(&o).small()).small())
                                    .on_hover_text(format!("Add {singular} {o}"))
                                    .accessible_name(format!("Add {singular} {o}"));
                                if resp.clicked() {
                                    app.pending.push(Pending::Edit(Command::Add {
                                        doc: doc.id.clone(),
                                        field,
                                        value: o,
                                    }));
                                    app.coding.add_text[fi].clear();
                                }
                            }
                        });
                    }
                }
            }

            // ---- notes ----
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
            let focus_notes = std::mem::take(&mut app.focus_notes);
            if focus_notes {
                ui.memory_mut(|m| m.request_focus(notes_id()));
            }
            let resp = ui
                .add(
                    egui::TextEdit::multiline(&mut app.coding.notes_text)
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
                let target = app.coding.notes_doc.clone();
                let current = app
                    .editor
                    .session
                    .review(&target)
                    .map(|r| r.notes.clone())
                    .unwrap_or_default();
                if current != app.coding.notes_text && !target.is_empty() {
                    app.pending.push(Pending::Edit(Command::SetNotes {
                        doc: target,
                        notes: app.coding.notes_text.clone(),
                    }));
                }
            }

            // ---- links ----
            let links = review.as_ref().map(|r| r.links.clone()).unwrap_or_default();
            section(ui, &format!("Links of this document ({})", links.len()));
            if links.is_empty() {
                ui.label(RichText::new("none — select a statement below and press L").weak());
            }
            for (i, l) in links.iter().enumerate() {
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
                                egui::Label::new(
                                    RichText::new(format!("“{short}{more}”")).italics(),
                                )
                                .sense(egui::Sense::click()),
                            )
                            .on_hover_text(format!(
                                "chars {}–{}; click to show it",
                                q.start, q.end
                            ));
                        if resp.clicked() {
                            app.pending.push(Pending::Ui(UiCommand::OpenDocument {
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
                        app.pending.push(Pending::Edit(Command::Unlink {
                            doc: doc.id.clone(),
                            index: i,
                        }));
                    }
                });
            }
        });
}
