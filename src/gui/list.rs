//! The document list: a virtualised table (only the visible rows are laid out), sortable by
//! clicking a column header; clicking a row opens the document. In cache order it is a tree:
//! an archive's, a mailbox's or an e-mail's members are indented under it, and a container's
//! ▾ / ▸ folds them away.

use std::collections::HashSet;

use egui::{Color32, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::session::Status;

use super::commands::UiCommand;
use super::filter::{SortKey, display_sender, effective_date};
use super::panel::{Action, Panel, PanelCtx};

/// Height of a list row.
pub const ROW_HEIGHT: f32 = 22.0;

/// The glyph and colour of a status.
pub fn status_glyph(status: Status, dark: bool) -> (&'static str, Color32) {
    match status {
        Status::Unreviewed => (
            "○",
            if dark {
                Color32::from_gray(150)
            } else {
                Color32::from_gray(120)
            },
        ),
        Status::Relevant => (
            "●",
            if dark {
                Color32::from_rgb(0x5a, 0xa9, 0xf0)
            } else {
                Color32::from_rgb(0x1f, 0x6f, 0xc0)
            },
        ),
        Status::Irrelevant => (
            "×",
            if dark {
                Color32::from_gray(120)
            } else {
                Color32::from_gray(140)
            },
        ),
        Status::Key => (
            "◆",
            if dark {
                Color32::from_rgb(0xf0, 0xb4, 0x2a)
            } else {
                Color32::from_rgb(0xc0, 0x7a, 0x00)
            },
        ),
    }
}

/// The colour of a tag chip (stable per tag).
pub fn tag_color(tag: &str, dark: bool) -> Color32 {
    let h = tag
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let hue = (h % 360) as f32 / 360.0;
    let (s, v) = if dark { (0.45, 0.45) } else { (0.30, 0.95) };
    egui::ecolor::Hsva::new(hue, s, v, 1.0).into()
}

/// A small coloured label.
pub fn chip(ui: &mut Ui, text: &str, fill: Color32) {
    let color = if ui.visuals().dark_mode {
        Color32::WHITE
    } else {
        Color32::BLACK
    };
    ui.add(
        egui::Label::new(
            RichText::new(format!(" {text} "))
                .small()
                .color(color)
                .background_color(fill),
        )
        .extend(),
    );
}

fn header_button(ui: &mut Ui, app_sort: &mut (SortKey, bool), key: SortKey, title: &str) -> bool {
    let (cur, asc) = *app_sort;
    let arrow = if cur == key {
        if asc { " ▲" } else { " ▼" }
    } else {
        ""
    };
    let resp = ui
        .add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
        .on_hover_text(format!("Sort by {}", title.to_lowercase()))
        .accessible_name(format!("Sort by {}", title.to_lowercase()));
    if resp.clicked() {
        *app_sort = if cur == key { (key, !asc) } else { (key, true) };
        return true;
    }
    false
}

/// The document list (the filter bar is drawn above it): owns whether it must scroll to the
/// document shown, and which containers are folded.
#[derive(Default)]
pub struct DocumentList {
    scroll_to_current: bool,
    /// Ids of the containers whose members are folded away.
    folded: HashSet<String>,
    /// Ids of the documents that have members, for the cache of this many documents.
    containers: (usize, HashSet<String>),
    /// While some container is folded, the rows shown: the list without the members of folded
    /// containers, made from this list at this fold generation.
    rows: ((Vec<usize>, u64), Vec<usize>),
    /// Bumped whenever `folded` changes.
    fold_generation: u64,
}

impl DocumentList {
    /// Scrolls the list to the document shown, at the next frame.
    pub fn scroll_to_current(&mut self) {
        self.scroll_to_current = true;
    }

    /// Folds or unfolds a container's members.
    fn toggle(&mut self, id: &str) {
        if !self.folded.remove(id) {
            self.folded.insert(id.to_owned());
        }
        self.fold_generation += 1;
    }

    /// Recomputes which documents have members when the cache grew.
    fn refresh_containers(&mut self, ctx: &PanelCtx<'_>) {
        let docs = &ctx.cache().documents;
        if self.containers.0 != docs.len() {
            let parents = docs.iter().filter_map(|d| d.parent.clone()).collect();
            self.containers = (docs.len(), parents);
        }
    }

    /// Computes the list's rows without the members of folded containers, when the list (its
    /// content: a sort reorders it in place) or the folds changed.
    fn refresh_rows(&mut self, ctx: &PanelCtx<'_>) {
        let (made_from, generation) = &self.rows.0;
        if *generation == self.fold_generation && made_from.as_slice() == ctx.list {
            return;
        }
        let docs = &ctx.cache().documents;
        let rows = ctx
            .list
            .iter()
            .copied()
            .filter(|&i| docs.get(i).is_none_or(|d| !folded_away(d, &self.folded)))
            .collect();
        self.rows = ((ctx.list.to_vec(), self.fold_generation), rows);
    }
}

/// True when one of the document's containers is folded.
fn folded_away(doc: &crate::model::Document, folded: &HashSet<String>) -> bool {
    doc.parent.as_ref().is_some_and(|p| folded.contains(p))
        || crate::ingest::containers_of(&doc.path)
            .iter()
            .any(|c| folded.contains(*c))
}

/// How many containers a document is inside.
fn depth(doc: &crate::model::Document) -> usize {
    crate::ingest::containers_of(&doc.path)
        .len()
        .max(usize::from(doc.parent.is_some()))
}

impl Panel for DocumentList {
    fn ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui) -> Vec<Action> {
        let mut out = Vec::new();
        if ctx.cache().documents.is_empty() {
            empty_list_ui(ctx, ui);
            return out;
        }
        if ctx.list.is_empty() {
            ui.add_space(12.0);
            ui.label(RichText::new("No document matches the filter.").weak());
            return out;
        }
        if let Some(c) = ctx.current
            && !ctx.list.contains(&c)
        {
            ui.label(
                RichText::new("The open document is hidden by the filter.")
                    .weak()
                    .small(),
            );
        }
        self.refresh_containers(ctx);
        let scroll = std::mem::take(&mut self.scroll_to_current);
        // Folds apply in cache order only, where the tree (and its toggles) is drawn.
        let folding = ctx.saved.sort == SortKey::Path && !self.folded.is_empty();
        if folding {
            self.refresh_rows(ctx);
        }
        let rows: &[usize] = if folding { &self.rows.1 } else { ctx.list };
        let scroll_row = if scroll {
            ctx.current.and_then(|c| rows.iter().position(|&i| i == c))
        } else {
            None
        };
        let tree = Tree {
            // Indented only in cache order, where members follow their container.
            on: ctx.saved.sort == SortKey::Path,
            containers: &self.containers.1,
            folded: &self.folded,
        };
        let mut toggled = None;
        table_ui(ctx, ui, rows, &tree, scroll_row, &mut toggled, &mut out);
        if let Some(id) = toggled {
            self.toggle(&id);
        }
        out
    }
}

/// How the list draws its tree.
struct Tree<'a> {
    on: bool,
    containers: &'a HashSet<String>,
    folded: &'a HashSet<String>,
}

/// What the list says while there is no document.
fn empty_list_ui(ctx: &PanelCtx<'_>, ui: &mut Ui) {
    ui.add_space(20.0);
    let dir = ctx.ws.cache_dir().display();
    if ctx.progress.reading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Reading {dir} …"));
        });
    } else if let Some(msg) = ctx.progress.failed {
        ui.colored_label(Color32::from_rgb(0xe0, 0x4a, 0x4a), msg);
    } else {
        ui.colored_label(
            Color32::from_rgb(0xe0, 0x4a, 0x4a),
            format!("No documents found in {dir}"),
        );
    }
}

/// The virtualised table of the list.
fn table_ui(
    ctx: &PanelCtx<'_>,
    ui: &mut Ui,
    indices: &[usize],
    tree: &Tree<'_>,
    scroll_row: Option<usize>,
    toggled: &mut Option<String>,
    out: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    let mut sort = (ctx.saved.sort, ctx.saved.ascending);
    let mut sort_changed = false;
    let mut clicked: Option<String> = None;
    let current = ctx.current;
    // The cells' labels only show text: a click anywhere on a row, its text included, is the
    // row's (a selectable label would take it), and the whole row highlights on hover.
    ui.style_mut().interaction.selectable_labels = false;
    let mut table = TableBuilder::new(ui)
        .id_salt("doc-table")
        .striped(true)
        .sense(Sense::click())
        .resizable(true)
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(26.0))
        .column(Column::initial(66.0).at_least(44.0).clip(true))
        .column(Column::initial(80.0).at_least(60.0).clip(true))
        .column(Column::initial(100.0).at_least(60.0).clip(true))
        .column(Column::remainder().at_least(110.0).clip(true))
        .column(Column::initial(94.0).at_least(44.0).clip(true))
        .column(Column::initial(64.0).at_least(36.0).clip(true))
        .column(Column::exact(36.0));
    if let Some(row) = scroll_row {
        table = table.scroll_to_row(row, None);
    }
    table
        .header(24.0, |mut header| {
            for (key, title) in [
                (SortKey::Status, "St"),
                (SortKey::Kind, "Kind"),
                (SortKey::Date, "Date"),
                (SortKey::Sender, "Sender"),
                (SortKey::Title, "Title"),
                (SortKey::Id, "Id"),
                (SortKey::Tags, "Tags"),
                (SortKey::Links, "Links"),
            ] {
                header.col(|ui| {
                    sort_changed |= header_button(ui, &mut sort, key, title);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, indices.len(), |mut row| {
                let Some(&i) = indices.get(row.index()) else {
                    return;
                };
                match row_ui(ctx, &mut row, i, current == Some(i), dark, tree) {
                    RowClick::Row => {
                        if let Some(doc) = ctx.cache().documents.get(i) {
                            clicked = Some(doc.id.clone());
                        }
                    }
                    RowClick::Fold(id) => *toggled = Some(id),
                    RowClick::None => {}
                }
            });
        });
    if sort_changed {
        out.push(Action::Sort(sort.0, sort.1));
    }
    if let Some(id) = clicked {
        out.push(Action::Ui(UiCommand::OpenDocument { id, span: None }));
    }
}

/// What a click on a row did.
enum RowClick {
    None,
    /// The row was clicked: open its document.
    Row,
    /// The container's fold toggle was clicked.
    Fold(String),
}

/// One row of the table, and what a click on it did.
fn row_ui(
    ctx: &PanelCtx<'_>,
    row: &mut egui_extras::TableRow<'_, '_>,
    i: usize,
    selected: bool,
    dark: bool,
    tree: &Tree<'_>,
) -> RowClick {
    let Some(doc) = ctx.cache().documents.get(i) else {
        return RowClick::None;
    };
    let mut fold = None;
    let review = ctx.session().review(&doc.id);
    row.set_selected(selected);
    let status = review.map(|r| r.status).unwrap_or_default();
    row.col(|ui| {
        let (glyph, color) = status_glyph(status, dark);
        ui.label(RichText::new(glyph).color(color).strong())
            .on_hover_text(status.as_str());
    });
    row.col(|ui| {
        ui.label(RichText::new(doc.kind.replace('_', " ")).small());
    });
    row.col(|ui| {
        let accepted = review.and_then(|r| r.date);
        match effective_date(review, ctx.metas.get(i)) {
            Some(d) if accepted.is_some() => {
                ui.label(RichText::new(d.to_string()).monospace().strong())
                    .on_hover_text("accepted date");
            }
            Some(d) => {
                ui.label(RichText::new(d.to_string()).monospace())
                    .on_hover_text("stated date");
            }
            None => {
                if let Some(raw) = &doc.date {
                    ui.label(RichText::new(raw).weak())
                        .on_hover_text("stated date (not parsed)");
                }
            }
        }
    });
    row.col(|ui| {
        if let Some(s) = display_sender(doc, review) {
            ui.label(s);
        }
    });
    row.col(|ui| {
        if tree.on {
            fold = tree_prefix_ui(ui, doc, tree);
        }
        let mut text = RichText::new(&doc.title);
        if doc.duplicate_of.is_some() {
            text = text.italics().weak();
        }
        ui.add(egui::Label::new(text).show_tooltip_when_elided(false))
            .on_hover_text(format!("{}\n{}", doc.title, doc.id));
    });
    row.col(|ui| {
        ui.add(
            egui::Label::new(RichText::new(&doc.id).monospace().small().weak())
                .show_tooltip_when_elided(false),
        )
        .on_hover_text(&doc.id);
    });
    row.col(|ui| {
        if let Some(r) = review {
            ui.spacing_mut().item_spacing.x = 3.0;
            for t in &r.tags {
                chip(ui, t, tag_color(t, dark));
            }
        }
    });
    row.col(|ui| {
        let n = review.map_or(0, |r| r.links.len());
        if n > 0 {
            ui.label(RichText::new(n.to_string()).strong());
        }
    });
    match fold {
        Some(id) => RowClick::Fold(id),
        None if row.response().clicked() => RowClick::Row,
        None => RowClick::None,
    }
}

/// A member's indent and a container's fold toggle; the container's id when it was clicked.
fn tree_prefix_ui(ui: &mut Ui, doc: &crate::model::Document, tree: &Tree<'_>) -> Option<String> {
    let depth = depth(doc);
    if depth > 0 {
        ui.add_space(14.0 * depth as f32);
    }
    if !tree.containers.contains(&doc.id) {
        return None;
    }
    let folded = tree.folded.contains(&doc.id);
    let (glyph, what) = if folded {
        ("▸", "Show its members")
    } else {
        ("▾", "Fold its members away")
    };
    let toggle = ui
        .add(egui::Button::new(RichText::new(glyph).strong()).frame(false))
        .on_hover_text(what)
        .accessible_name(format!("{what}: {}", doc.id));
    toggle.clicked().then(|| doc.id.clone())
}
