//! The filter bar: the free-text field, the facet chips with their counts, and the date range.
//!
//! The filter itself ([`Filter`]) and the code that runs it ([`evaluate_with`], [`sort_indices`],
//! [`text_mask`], ...) are in the core, [`crate::filter`]; they are re-exported here so the
//! window's paths `gui::filter::X` keep working.

use std::collections::{BTreeMap, BTreeSet};

use egui::{Color32, RichText, Ui};

pub use crate::filter::{
    DocMeta, EngineNote, FacetCounts, Filter, FilterInput, MAX_FACET_VALUES, QUERY_HELP, SortKey,
    Tri, display_sender, doc_equipment, doc_meta, doc_senders, effective_date, evaluate,
    evaluate_with, facet_display, query_terms, sort_indices, text_mask,
};

/// What the filter bar asks the window to do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterBarOutput {
    /// The filter changed.
    pub changed: bool,
    /// Enter was pressed in the query field.
    pub submitted: bool,
}

/// The id of the free-text filter field (for `/` and tests).
pub fn filter_field_id() -> egui::Id {
    egui::Id::unique("doctriage-filter-text")
}

/// The filter bar: the free-text field, the facet area (collapsible), and the counts.
pub fn filter_bar_ui(
    ui: &mut Ui,
    filter: &mut Filter,
    counts: &FacetCounts,
    shown: usize,
    total: usize,
    facets_open: &mut bool,
    (engine, problems): (&EngineNote, &[String]),
) -> FilterBarOutput {
    let mut out = FilterBarOutput::default();
    ui.horizontal(|ui| query_row_ui(ui, filter, &mut out));
    ui.horizontal(|ui| switches_row_ui(ui, filter, facets_open, (shown, total), &mut out));
    notes_ui(ui, filter, engine);
    for p in problems {
        ui.colored_label(Color32::from_rgb(0xd0, 0x70, 0x20), p);
    }
    if *facets_open {
        egui::ScrollArea::vertical()
            .id_salt("facets")
            .max_height(260.0)
            .show(ui, |ui| {
                facets_ui(ui, filter, counts, &mut out);
            });
        ui.separator();
    }
    out
}

/// The free-text field and "Clear filter".
fn query_row_ui(ui: &mut Ui, filter: &mut Filter, out: &mut FilterBarOutput) {
    let label = ui.label("Filter:");
    let width = (ui.available_width() - 150.0).max(120.0);
    let resp = ui.add(
        egui::TextEdit::singleline(&mut filter.text)
            .id(filter_field_id())
            .hint_text("words, \"phrase\", sender:…, date:2019..2020 (/)")
            .desired_width(width),
    );
    let resp = resp.labelled_by(label.id).on_hover_text(QUERY_HELP);
    if resp.changed() {
        out.changed = true;
    }
    if resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        out.submitted = true;
    }
    if ui
        .add_enabled(!filter.is_empty(), egui::Button::new("Clear filter"))
        .clicked()
    {
        *filter = Filter::default();
        out.changed = true;
    }
}

/// The "Facets" and "Exact" switches and how many documents are shown.
fn switches_row_ui(
    ui: &mut Ui,
    filter: &mut Filter,
    facets_open: &mut bool,
    (shown, total): (usize, usize),
    out: &mut FilterBarOutput,
) {
    let n = filter.active_facets();
    let title = if n == 0 {
        "Facets".to_owned()
    } else {
        format!("Facets ({n} active)")
    };
    if ui
        .add(egui::Button::new(title).selected(*facets_open))
        .clicked()
    {
        *facets_open = !*facets_open;
    }
    if ui
        .add(egui::Button::new("Exact").selected(filter.exact))
        .on_hover_text(
            "Exact matching: no Cyrillic ↔ Latin or diacritic folding (still case-insensitive)",
        )
        .clicked()
    {
        filter.exact = !filter.exact;
        out.changed = true;
    }
    ui.label(RichText::new(format!("{shown} of {total} documents")).weak());
}

/// What the search engine says about the query, and a bad date bound.
fn notes_ui(ui: &mut Ui, filter: &Filter, engine: &EngineNote) {
    match engine {
        EngineNote::Ready => {}
        EngineNote::Building(text) => {
            ui.label(RichText::new(text).weak().small());
        }
        EngineNote::QueryError(text) | EngineNote::Unavailable(text) => {
            ui.colored_label(Color32::from_rgb(0xd0, 0x40, 0x40), text);
        }
    }
    if let Err(msg) = filter.date_range() {
        ui.colored_label(Color32::from_rgb(0xd0, 0x40, 0x40), msg);
    }
}

fn chip_toggle(ui: &mut Ui, on: bool, text: String) -> bool {
    ui.add(
        egui::Button::new(RichText::new(text).small())
            .selected(on)
            .small(),
    )
    .clicked()
}

fn set_facet<T: Ord + Clone>(
    ui: &mut Ui,
    set: &mut BTreeSet<T>,
    values: &BTreeMap<T, usize>,
    name: impl Fn(&T) -> String,
    out: &mut FilterBarOutput,
) {
    let (all, hidden) = facet_display(set, values);
    if all.is_empty() {
        ui.label(RichText::new("none yet").weak().small());
        return;
    }
    for (value, count) in all {
        let on = set.contains(&value);
        if chip_toggle(ui, on, format!("{} ({count})", name(&value))) {
            if on {
                set.remove(&value);
            } else {
                set.insert(value);
            }
            out.changed = true;
        }
    }
    if hidden > 0 {
        ui.label(
            RichText::new(format!(
                "… {hidden} rarer values (narrow the list with the filter)"
            ))
            .weak()
            .small(),
        );
    }
}

fn tri_facet(
    ui: &mut Ui,
    value: &mut Tri,
    (yes, no): (usize, usize),
    labels: (&str, &str),
    out: &mut FilterBarOutput,
) {
    for (want, label, count) in [(Some(true), labels.0, yes), (Some(false), labels.1, no)] {
        let on = *value == want;
        if chip_toggle(ui, on, format!("{label} ({count})")) {
            *value = if on { None } else { want };
            out.changed = true;
        }
    }
}

fn facet_row(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui)) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(4.0, 4.0);
        ui.label(RichText::new(title).strong());
        add(ui);
    });
}

fn facets_ui(ui: &mut Ui, filter: &mut Filter, counts: &FacetCounts, out: &mut FilterBarOutput) {
    facet_row(ui, "Kind", |ui| {
        set_facet(
            ui,
            &mut filter.kinds,
            &counts.kinds,
            |k| k.replace('_', " "),
            out,
        )
    });
    // Only when the cache has members: "loose file" alone says nothing.
    if counts.containers.keys().any(|k| k != "loose file") || !filter.containers.is_empty() {
        facet_row(ui, "In", |ui| {
            set_facet(
                ui,
                &mut filter.containers,
                &counts.containers,
                |k| k.to_owned(),
                out,
            )
        });
    }
    facet_row(ui, "Status", |ui| {
        set_facet(
            ui,
            &mut filter.statuses,
            &counts.statuses,
            |s| s.to_string(),
            out,
        )
    });
    facet_row(ui, "Sender", |ui| {
        set_facet(ui, &mut filter.senders, &counts.senders, Clone::clone, out)
    });
    facet_row(ui, "Equipment", |ui| {
        set_facet(
            ui,
            &mut filter.equipment,
            &counts.equipment,
            Clone::clone,
            out,
        )
    });
    facet_row(ui, "Tag", |ui| {
        set_facet(ui, &mut filter.tags, &counts.tags, Clone::clone, out)
    });
    facet_row(ui, "Date", |ui| {
        let l = ui.label("From");
        let r = ui.add(
            egui::TextEdit::singleline(&mut filter.date_from)
                .hint_text("YYYY[-MM[-DD]]")
                .desired_width(110.0),
        );
        out.changed |= r.labelled_by(l.id).changed();
        let l = ui.label("To");
        let r = ui.add(
            egui::TextEdit::singleline(&mut filter.date_to)
                .hint_text("YYYY[-MM[-DD]]")
                .desired_width(110.0),
        );
        out.changed |= r.labelled_by(l.id).changed();
    });
    facet_row(ui, "Links", |ui| {
        tri_facet(
            ui,
            &mut filter.linked,
            counts.linked,
            ("linked", "unlinked"),
            out,
        )
    });
    facet_row(ui, "Suggestions", |ui| {
        tri_facet(
            ui,
            &mut filter.has_suggestions,
            counts.has_suggestions,
            ("has suggestions", "no suggestions"),
            out,
        );
    });
    facet_row(ui, "Duplicate", |ui| {
        tri_facet(
            ui,
            &mut filter.duplicate,
            counts.duplicate,
            ("duplicate", "original"),
            out,
        )
    });
}
