//! Coverage: what the reporting still lacks. The article's statements ordered unsupported first,
//! then contested, then supported (article order within each), with how many links of each
//! relation bear on them and the counts per status at the top. Click a row to select the
//! statement.

use std::collections::BTreeSet;

use egui::{RichText, Sense, Ui};

use super::{ViewAction, claim_color, relation_color, weak};
use crate::model::Cache;
use crate::session::{self, ClaimStatus, Relation, Session};

/// A statement with its standing and evidence counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageRow {
    /// Statement id.
    pub id: String,
    /// Statement text.
    pub text: String,
    /// Supported, contested or unsupported.
    pub status: ClaimStatus,
    /// Supporting links.
    pub supports: usize,
    /// Contradicting links.
    pub contradicts: usize,
    /// Context links.
    pub context: usize,
    /// Distinct documents linked.
    pub documents: usize,
}

/// How many statements have each standing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CoverageCounts {
    /// Unsupported statements.
    pub unsupported: usize,
    /// Contested statements.
    pub contested: usize,
    /// Supported statements.
    pub supported: usize,
}

fn rank(status: ClaimStatus) -> u8 {
    match status {
        ClaimStatus::Unsupported => 0,
        ClaimStatus::Contested => 1,
        ClaimStatus::Supported => 2,
    }
}

/// The statements of the ledger, unsupported first, then contested, then supported.
pub fn coverage_rows(session: &Session, cache: &Cache) -> Vec<CoverageRow> {
    let mut rows: Vec<CoverageRow> = session::ledger(session, cache)
        .into_iter()
        .map(|r| {
            let count =
                |rel: Relation| r.evidence.iter().filter(|e| e.link.relation == rel).count();
            CoverageRow {
                id: r.id.to_owned(),
                text: r.text.to_owned(),
                status: r.status,
                supports: count(Relation::Supports),
                contradicts: count(Relation::Contradicts),
                context: count(Relation::Context),
                documents: r
                    .evidence
                    .iter()
                    .map(|e| e.doc)
                    .collect::<BTreeSet<_>>()
                    .len(),
            }
        })
        .collect();
    // A stable sort keeps the article's order within each standing.
    rows.sort_by_key(|r| rank(r.status));
    rows
}

/// The counts per standing of some rows.
pub fn coverage_counts(rows: &[CoverageRow]) -> CoverageCounts {
    let mut c = CoverageCounts::default();
    for r in rows {
        match r.status {
            ClaimStatus::Unsupported => c.unsupported += 1,
            ClaimStatus::Contested => c.contested += 1,
            ClaimStatus::Supported => c.supported += 1,
        }
    }
    c
}

/// What a row says is missing or wrong.
pub fn coverage_note(row: &CoverageRow) -> String {
    match row.status {
        ClaimStatus::Unsupported if row.context > 0 => {
            format!("no supporting record (context only: {})", row.context)
        }
        ClaimStatus::Unsupported => "no record linked".to_owned(),
        ClaimStatus::Contested => {
            format!(
                "{} contradicting, {} supporting",
                row.contradicts, row.supports
            )
        }
        ClaimStatus::Supported => format!(
            "{} supporting link{} in {} document{}",
            row.supports,
            if row.supports == 1 { "" } else { "s" },
            row.documents,
            if row.documents == 1 { "" } else { "s" }
        ),
    }
}

/// The coverage view.
pub(crate) fn coverage_ui(
    ui: &mut Ui,
    session: &Session,
    cache: &Cache,
    actions: &mut Vec<ViewAction>,
) {
    let dark = ui.visuals().dark_mode;
    if cache.article.is_none() {
        weak(ui, "No article in this cache: no statements to check.");
        return;
    }
    let rows = coverage_rows(session, cache);
    let c = coverage_counts(&rows);
    ui.horizontal_wrapped(|ui| {
        for (n, status) in [
            (c.unsupported, ClaimStatus::Unsupported),
            (c.contested, ClaimStatus::Contested),
            (c.supported, ClaimStatus::Supported),
        ] {
            ui.label(
                RichText::new(format!("{n} {}", status.as_str()))
                    .strong()
                    .color(claim_color(status, dark)),
            );
        }
        weak(ui, &format!("of {} statements", rows.len()));
    });
    ui.separator();
    let area = egui::ScrollArea::vertical()
        .id_salt("doctriage-coverage-scroll")
        .auto_shrink([false, false]);
    super::capture::view_scroll_area(ui, area, |ui| {
        egui::Grid::new("doctriage-coverage")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new("Statement").strong());
                ui.label(RichText::new("Standing").strong());
                ui.label(RichText::new("Links").strong())
                    .on_hover_text("supporting, contradicting and context links");
                ui.label(RichText::new("What the records say").strong());
                ui.end_row();
                for row in &rows {
                    let color = claim_color(row.status, dark);
                    let name = format!("Coverage of {}: {}", row.id, row.status.as_str());
                    let id_resp = ui
                        .add(
                            egui::Button::new(RichText::new(&row.id).strong().color(color))
                                .min_size([40.0, 0.0].into()),
                        )
                        .on_hover_text("Select this statement")
                        .accessible_name(name);
                    ui.label(RichText::new(row.status.as_str()).color(color));
                    ui.horizontal(|ui| {
                        for (n, rel) in [
                            (row.supports, Relation::Supports),
                            (row.contradicts, Relation::Contradicts),
                            (row.context, Relation::Context),
                        ] {
                            let text = RichText::new(format!("{n}")).color(if n > 0 {
                                relation_color(rel, dark)
                            } else {
                                ui.visuals().weak_text_color()
                            });
                            ui.label(text)
                                .on_hover_text(format!("{n} {}", rel.as_str()));
                        }
                    });
                    let text_resp = ui
                        .vertical(|ui| {
                            ui.set_max_width(640.0);
                            let t =
                                ui.add(egui::Label::new(&row.text).wrap().sense(Sense::click()));
                            ui.label(RichText::new(coverage_note(row)).small().weak());
                            t
                        })
                        .inner;
                    if id_resp.clicked() || text_resp.clicked() {
                        actions.push(ViewAction::SelectStatement(row.id.clone()));
                    }
                    ui.end_row();
                }
            });
    });
}
