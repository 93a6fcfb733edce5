//! The coding panel's widgets: field rows, chips, suggestion rows, and the completion of names.

use egui::{Color32, RichText, Ui};

use crate::fold::fold;
use crate::model::Candidate;
use crate::session::{Command, Field};

use super::super::panel::{Action, PanelCtx};
use super::super::viewer::{Highlight, candidate_origin};

/// "Dates", "Senders", "Equipment": the label of a row of suggestions.
pub(super) fn plural(title: &str) -> String {
    if title == "Equipment" {
        title.to_owned()
    } else {
        format!("{title}s")
    }
}

/// Suggestion chips shown per kind before "N more…".
pub(super) const MAX_CHIPS: usize = 8;

pub(super) const FIELDS: [(Field, &str, &str); 4] = [
    (Field::Sender, "Senders", "sender"),
    (Field::Recipient, "Recipients", "recipient"),
    (Field::Equipment, "Equipment", "equipment"),
    (Field::Tag, "Tags", "tag"),
];

pub(super) fn field_index(field: Field) -> usize {
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

pub(super) fn add_id(field: Field) -> egui::Id {
    egui::Id::unique(("doctriage-add", field_index(field)))
}

/// The completion pool of each field: gazetteer names and the values used in the session.
pub(super) fn completion_pools(ctx: &PanelCtx<'_>) -> [Vec<String>; 4] {
    let g = &ctx.cache().gazetteer;
    let orgs: Vec<String> = g.organisations.iter().map(|e| e.name.clone()).collect();
    let equipment: Vec<String> = g.equipment.iter().map(|e| e.name.clone()).collect();
    let mut pools = [orgs.clone(), orgs, equipment, Vec::new()];
    for r in ctx.session().reviews().values() {
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
    pools
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

/// A row's label, in a fixed-width column so the rows line up.
pub(super) fn row_label(ui: &mut Ui, text: &str) -> egui::Response {
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

pub(super) fn section(ui: &mut Ui, title: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong());
}

/// A chip with a remove button; returns true when × was clicked.
pub(super) fn removable_chip(ui: &mut Ui, text: &str, fill: Color32, remove_name: String) -> bool {
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

pub(super) fn chip_fill(field: Field, ui: &Ui) -> Color32 {
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

pub(super) fn suggestion_row(
    out: &mut Vec<Action>,
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
                out.push(Action::Hover((a, b)));
            }
            if resp.clicked()
                && !done
                && let Some(cmd) = make(c)
            {
                out.push(Action::Edit(cmd));
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
