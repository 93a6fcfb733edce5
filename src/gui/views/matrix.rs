//! The evidence matrix: the article's statements (rows) against the documents that bear on them
//! (columns), or against their senders, or their equipment. A cell is coloured by how the links
//! in it bear on the statement: supports green, contradicts red, context blue; when they differ,
//! contradicts wins over supports, which wins over context. The number is how many links the cell
//! holds. Click a cell to open its document (in the sender and equipment modes: the first such
//! document, in cache order) at the quote of its first link of the winning relation.
//!
//! Only links the claim ledger counts are shown ([`crate::session::ledger`]: links made against
//! an edited statement count for nothing).

use std::collections::BTreeMap;

use egui::{Color32, RichText, Sense, Ui, vec2};
use serde::{Deserialize, Serialize};

use super::{ViewAction, claim_color, relation_color, short, weak};
use crate::model::Cache;
use crate::session::{self, ClaimStatus, Relation, Session};

/// What the matrix's columns are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatrixMode {
    /// One column per linked document.
    #[default]
    Documents,
    /// One column per sender of the linked documents.
    Senders,
    /// One column per piece of equipment of the linked documents.
    Equipment,
}

impl MatrixMode {
    /// Every mode.
    pub const ALL: [Self; 3] = [Self::Documents, Self::Senders, Self::Equipment];

    /// The switch's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Documents => "Documents",
            Self::Senders => "Senders",
            Self::Equipment => "Equipment",
        }
    }
}

/// The matrix's settings (saved).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatrixSettings {
    /// What the columns are.
    pub mode: MatrixMode,
}

/// A row: a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    /// Statement id.
    pub id: String,
    /// Statement text.
    pub text: String,
    /// Its standing in the ledger.
    pub status: ClaimStatus,
}

/// A column: a document id, a sender or a piece of equipment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixColumn {
    /// The document id or the canonical name.
    pub key: String,
    /// What hovering the header shows (the document's title, or the number of documents).
    pub hover: String,
}

/// A non-empty cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixCell {
    /// Links that support the statement.
    pub supports: usize,
    /// Links that contradict it.
    pub contradicts: usize,
    /// Links that give context.
    pub context: usize,
    /// The cell's colour: contradicts if any, else supports if any, else context.
    pub relation: Relation,
    /// The document a click opens: the first (in cache order) with a link of `relation`.
    pub doc: String,
    /// The quote of that link (chars), if it has one.
    pub quote: Option<(usize, usize)>,
}

impl MatrixCell {
    /// Number of links in the cell.
    pub fn count(&self) -> usize {
        self.supports + self.contradicts + self.context
    }

    /// True when the links bear on the statement in more than one way.
    pub fn is_mixed(&self) -> bool {
        [self.supports, self.contradicts, self.context]
            .iter()
            .filter(|n| **n > 0)
            .count()
            > 1
    }
}

/// The matrix of one mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matrix {
    /// Statements, in article order.
    pub rows: Vec<MatrixRow>,
    /// Columns: documents in cache order, or names in alphabetical order ("none" last).
    pub columns: Vec<MatrixColumn>,
    /// The non-empty cells by (row, column) index.
    pub cells: BTreeMap<(usize, usize), MatrixCell>,
}

impl Matrix {
    /// The cell of a statement (by id) and a column (by key), if it holds links.
    pub fn cell(&self, statement: &str, column: &str) -> Option<&MatrixCell> {
        let r = self.rows.iter().position(|r| r.id == statement)?;
        let c = self.columns.iter().position(|c| c.key == column)?;
        self.cells.get(&(r, c))
    }
}

/// The relation a cell shows for these counts: contradicts wins, then supports, then context.
pub fn dominant_relation(supports: usize, contradicts: usize, context: usize) -> Option<Relation> {
    if contradicts > 0 {
        Some(Relation::Contradicts)
    } else if supports > 0 {
        Some(Relation::Supports)
    } else if context > 0 {
        Some(Relation::Context)
    } else {
        None
    }
}

const NO_SENDER: &str = "(no sender)";
const NO_EQUIPMENT: &str = "(no equipment)";

/// The matrix of the session's links in one mode.
pub fn matrix_cells(session: &Session, cache: &Cache, mode: MatrixMode) -> Matrix {
    let ledger = session::ledger(session, cache);
    let position = |doc: &str| cache.position(doc).unwrap_or(usize::MAX);
    let links = row_links(&ledger, &position);
    let column_docs = column_documents(session, mode, &links);
    let keys = column_order(column_docs.keys().cloned().collect(), mode, &position);
    let columns = keys
        .iter()
        .map(|k| MatrixColumn {
            key: k.clone(),
            hover: column_hover(k, mode, cache, &column_docs),
        })
        .collect();
    let cells = cells_of(session, mode, &links, &keys);
    Matrix {
        rows: ledger
            .iter()
            .map(|r| MatrixRow {
                id: r.id.to_owned(),
                text: r.text.to_owned(),
                status: r.status,
            })
            .collect(),
        columns,
        cells,
    }
}

/// A link of the ledger: (row, document, relation, quote span).
type RowLink<'a> = (usize, &'a str, Relation, Option<(usize, usize)>);

/// Every link the ledger counts, in cache order of its document, then link order.
fn row_links<'a>(
    ledger: &[session::LedgerRow<'a>],
    position: &dyn Fn(&str) -> usize,
) -> Vec<RowLink<'a>> {
    let mut links: Vec<RowLink<'a>> = ledger
        .iter()
        .enumerate()
        .flat_map(|(ri, row)| {
            row.evidence.iter().map(move |e| {
                (
                    ri,
                    e.doc,
                    e.link.relation,
                    e.link.quote.as_ref().map(|q| (q.start, q.end)),
                )
            })
        })
        .collect();
    links.sort_by_key(|(_, doc, _, _)| position(doc));
    links
}

/// The column keys of a document: its id, or its senders or equipment (canonical; the "none"
/// column when it has none).
fn column_keys(session: &Session, mode: MatrixMode, doc: &str) -> Vec<String> {
    let review = session.review(doc);
    let (names, none) = match mode {
        MatrixMode::Documents => return vec![doc.to_owned()],
        MatrixMode::Senders => (
            review.map(|r| r.senders.as_slice()).unwrap_or_default(),
            NO_SENDER,
        ),
        MatrixMode::Equipment => (
            review.map(|r| r.equipment.as_slice()).unwrap_or_default(),
            NO_EQUIPMENT,
        ),
    };
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let c = session.canonical(n).to_owned();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        out.push(none.to_owned());
    }
    out
}

/// The columns and the linked documents in each.
fn column_documents(
    session: &Session,
    mode: MatrixMode,
    links: &[RowLink<'_>],
) -> BTreeMap<String, Vec<String>> {
    let mut column_docs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, doc, _, _) in links {
        for k in column_keys(session, mode, doc) {
            let docs = column_docs.entry(k).or_default();
            if !docs.iter().any(|d| d == doc) {
                docs.push((*doc).to_owned());
            }
        }
    }
    column_docs
}

/// Documents in cache order; names in alphabetical order (ignoring case), "none" last.
fn column_order(
    mut keys: Vec<String>,
    mode: MatrixMode,
    position: &dyn Fn(&str) -> usize,
) -> Vec<String> {
    match mode {
        MatrixMode::Documents => keys.sort_by_key(|k| position(k)),
        _ => keys.sort_by(|a, b| {
            let none = |s: &str| s == NO_SENDER || s == NO_EQUIPMENT;
            none(a)
                .cmp(&none(b))
                .then_with(|| a.to_lowercase().cmp(&b.to_lowercase()))
        }),
    }
    keys
}

/// A column header's hover: the document's id and title, or the name and its number of documents.
fn column_hover(
    key: &str,
    mode: MatrixMode,
    cache: &Cache,
    column_docs: &BTreeMap<String, Vec<String>>,
) -> String {
    match mode {
        MatrixMode::Documents => match cache.document(key) {
            Some(d) => format!("{key}\n{}", d.title),
            None => key.to_owned(),
        },
        _ => {
            let n = column_docs.get(key).map_or(0, Vec::len);
            format!(
                "{key}\n{n} linked document{}",
                if n == 1 { "" } else { "s" }
            )
        }
    }
}

/// The index of a relation in per-cell arrays.
fn slot(r: Relation) -> usize {
    match r {
        Relation::Supports => 0,
        Relation::Contradicts => 1,
        Relation::Context => 2,
    }
}

/// The non-empty cells: counts per relation, and the first link of the winning relation.
fn cells_of(
    session: &Session,
    mode: MatrixMode,
    links: &[RowLink<'_>],
    keys: &[String],
) -> BTreeMap<(usize, usize), MatrixCell> {
    let col_index: BTreeMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // Counts and the first link of each relation, per cell.
    type First<'a> = [Option<(&'a str, Option<(usize, usize)>)>; 3];
    let mut acc: BTreeMap<(usize, usize), ([usize; 3], First<'_>)> = BTreeMap::new();
    for (ri, doc, relation, quote) in links {
        for k in column_keys(session, mode, doc) {
            let Some(&ci) = col_index.get(k.as_str()) else {
                continue;
            };
            let (counts, first) = acc.entry((*ri, ci)).or_default();
            counts[slot(*relation)] += 1;
            first[slot(*relation)].get_or_insert((doc, *quote));
        }
    }
    acc.into_iter()
        .filter_map(|(at, (c, first))| {
            let relation = dominant_relation(c[0], c[1], c[2])?;
            let (doc, quote) = first[slot(relation)]?;
            Some((
                at,
                MatrixCell {
                    supports: c[0],
                    contradicts: c[1],
                    context: c[2],
                    relation,
                    doc: doc.to_owned(),
                    quote,
                },
            ))
        })
        .collect()
}

/// The text of a cell's hover and accessible name.
pub fn cell_description(row: &MatrixRow, column: &MatrixColumn, cell: &MatrixCell) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (cell.supports, "supports"),
        (cell.contradicts, "contradicts"),
        (cell.context, "context"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    format!(
        "{} × {}: {} ({})",
        row.id,
        column.key,
        cell.relation,
        parts.join(", ")
    )
}

const CELL: [f32; 2] = [34.0, 22.0];

/// The text of a column header: a document's file name (its folders are in the hover), or the name.
fn header_text(key: &str, mode: MatrixMode) -> String {
    let name = match mode {
        MatrixMode::Documents => key.rsplit('/').next().unwrap_or(key),
        _ => key,
    };
    short(name, 24)
}

fn header_galley(ui: &Ui, key: &str, mode: MatrixMode) -> std::sync::Arc<egui::Galley> {
    let font = egui::TextStyle::Small.resolve(ui.style());
    ui.painter()
        .layout_no_wrap(header_text(key, mode), font, ui.visuals().text_color())
}

/// A column header: the text turned upright (read bottom to top), the full name on hover.
fn column_header(ui: &mut Ui, col: &MatrixColumn, height: f32, mode: MatrixMode) {
    let galley = header_galley(ui, &col.key, mode);
    let (rect, resp) = ui.allocate_exact_size(vec2(CELL[0], height), Sense::hover());
    let h = galley.size().y;
    let pos = egui::pos2(rect.center().x - h / 2.0, rect.bottom() - 2.0);
    let color = ui.visuals().text_color();
    ui.painter().add(
        egui::epaint::TextShape::new(pos, galley, color).with_angle(-std::f32::consts::FRAC_PI_2),
    );
    let name = col.key.clone();
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, &name));
    resp.on_hover_text(&col.hover);
}

/// The matrix view.
pub(crate) fn matrix_ui(
    ui: &mut Ui,
    settings: &mut MatrixSettings,
    session: &Session,
    cache: &Cache,
    actions: &mut Vec<ViewAction>,
) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| legend_ui(ui, &mut settings.mode, dark));
    if cache.article.is_none() {
        weak(ui, "No article in this cache: no statements to check.");
        return;
    }
    let m = matrix_cells(session, cache, settings.mode);
    if m.columns.is_empty() {
        weak(
            ui,
            "No evidence links yet: link documents to statements to fill the matrix.",
        );
        return;
    }
    let area = egui::ScrollArea::both()
        .id_salt("doctriage-matrix-scroll")
        .auto_shrink([false, false]);
    super::capture::view_scroll_area(ui, area, |ui| {
        grid_ui(ui, &m, settings.mode, dark, actions);
    });
}

/// The columns switch and the colour key.
fn legend_ui(ui: &mut Ui, mode: &mut MatrixMode, dark: bool) {
    let label = ui.label("Columns:");
    ui.label_inputs_by(label.id, |ui| {
        for m in MatrixMode::ALL {
            ui.selectable_value(mode, m, m.label());
        }
    });
    ui.separator();
    for r in Relation::ALL {
        ui.label(RichText::new("■").color(relation_color(r, dark)));
        ui.label(r.as_str());
    }
    weak(ui, "· mixed: contradicts wins · number: links");
}

/// The grid: a header row of upright column names, then one row per statement.
fn grid_ui(ui: &mut Ui, m: &Matrix, mode: MatrixMode, dark: bool, actions: &mut Vec<ViewAction>) {
    let header_height = m
        .columns
        .iter()
        .map(|c| header_galley(ui, &c.key, mode).size().x + 8.0)
        .fold(40.0_f32, f32::max);
    egui::Grid::new("doctriage-matrix")
        .num_columns(m.columns.len() + 1)
        .spacing(vec2(3.0, 3.0))
        .min_col_width(CELL[0])
        .max_col_width(260.0)
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.add_space(header_height - 20.0);
                ui.label(RichText::new("Statement").strong());
            });
            for col in &m.columns {
                column_header(ui, col, header_height, mode);
            }
            ui.end_row();
            for (ri, row) in m.rows.iter().enumerate() {
                ui.horizontal(|ui| row_header_ui(ui, row, dark, actions));
                for (ci, col) in m.columns.iter().enumerate() {
                    match m.cells.get(&(ri, ci)) {
                        Some(cell) => cell_ui(ui, row, col, cell, dark, actions),
                        None => {
                            ui.allocate_exact_size(CELL.into(), Sense::hover());
                        }
                    }
                }
                ui.end_row();
            }
        });
}

/// A row's header: the statement's id (a click selects it) and the start of its text.
fn row_header_ui(ui: &mut Ui, row: &MatrixRow, dark: bool, actions: &mut Vec<ViewAction>) {
    let name = format!("Select statement {}", row.id);
    if ui
        .add(
            egui::Button::new(
                RichText::new(&row.id)
                    .strong()
                    .color(claim_color(row.status, dark)),
            )
            .frame(false),
        )
        .on_hover_text(format!("{} — {}", row.status.as_str(), row.text))
        .accessible_name(name)
        .clicked()
    {
        actions.push(ViewAction::SelectStatement(row.id.clone()));
    }
    ui.add(egui::Label::new(short(&row.text, 40)).truncate())
        .on_hover_text(&row.text);
}

/// Black or white, whichever reads on `c`.
fn text_on(c: Color32) -> Color32 {
    if c.r() as u32 + c.g() as u32 + c.b() as u32 > 420 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// A non-empty cell: its number of links on the winning relation's colour; a click opens it.
fn cell_ui(
    ui: &mut Ui,
    row: &MatrixRow,
    col: &MatrixColumn,
    cell: &MatrixCell,
    dark: bool,
    actions: &mut Vec<ViewAction>,
) {
    let color = relation_color(cell.relation, dark);
    let desc = cell_description(row, col, cell);
    let mut text = RichText::new(cell.count().to_string()).color(text_on(color));
    if cell.is_mixed() {
        text = text.strong();
    }
    let resp = ui
        .add(egui::Button::new(text).fill(color).min_size(CELL.into()))
        .on_hover_text(format!("{desc}\nclick to open {}", cell.doc))
        .accessible_name(desc);
    if resp.clicked() {
        actions.push(ViewAction::OpenDocument {
            doc: cell.doc.clone(),
            quote: cell.quote,
        });
    }
}
