//! The timeline view: its settings bar, the summary line, and the plot of the marks, with the
//! hover card and the click that opens a document. The marks are recomputed when the session,
//! the cache or the settings change, and every [`REFRESH_SECS`] (suggestions arrive late).

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use egui::{Color32, Pos2, RichText, Stroke, Ui};
use egui_plot::{
    GridMark, MarkerShape, Plot, PlotPoints, PlotTransform, PlotUi, Points, Polygon, Span,
};

use super::axis::{date_grid, date_label, day_number, lane_y};
use super::{
    DateSource, LaneMode, Mark, TimelineSettings, claimed_period, date_in_text, lanes,
    timeline_marks,
};
use crate::gui::views::{ViewAction, ViewsState, short, weak};
use crate::model::{Cache, Suggestions};
use crate::session::{Session, Status};

/// What the marks were computed from: when it changes, they are computed again.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    modified: DateTime<Utc>,
    reviews: usize,
    aliases: usize,
    documents: usize,
    root: PathBuf,
    settings: TimelineSettings,
}

impl Key {
    fn of(session: &Session, cache: &Cache, settings: &TimelineSettings) -> Self {
        Self {
            modified: session.modified,
            reviews: session.reviews().len(),
            aliases: session.aliases().len(),
            documents: cache.documents.len(),
            root: cache.root.clone(),
            settings: settings.clone(),
        }
    }
}

/// The timeline's data and what the last frame drew (not saved).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TimelineFrame {
    key: Option<Key>,
    computed_at: f64,
    pub(super) marks: Vec<Mark>,
    lanes: Vec<String>,
    lane_of: Vec<usize>,
    period: Option<(NaiveDate, NaiveDate)>,
    refit: bool,
    /// Screen centre of each mark inside the plot, by mark index.
    pub(super) positions: Vec<(usize, Pos2)>,
}

/// Suggestions can arrive in the background: recompute at least this often (seconds).
const REFRESH_SECS: f64 = 2.0;

/// Half the height of a span, in lanes.
const SPAN_HALF: f64 = 0.28;

fn mark_color(outside_period: bool, dark: bool) -> Color32 {
    match (outside_period, dark) {
        (true, true) => Color32::from_rgb(0xff, 0xa0, 0x30),
        (true, false) => Color32::from_rgb(0xd0, 0x62, 0x00),
        (false, true) => Color32::from_rgb(0x8a, 0xb4, 0xf8),
        (false, false) => Color32::from_rgb(0x1f, 0x4e, 0x9c),
    }
}

fn period_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(0x4c, 0xc3, 0x6a, 40)
    } else {
        Color32::from_rgba_unmultiplied(0x1e, 0x8a, 0x3c, 36)
    }
}

fn source_label(s: DateSource) -> &'static str {
    match s {
        DateSource::Accepted => "accepted date",
        DateSource::Stated => "date as the record states it (not accepted yet)",
        DateSource::Suggested => "date suggested from the text (not accepted yet)",
    }
}

fn refresh(
    f: &mut TimelineFrame,
    key: Key,
    now: f64,
    session: &Session,
    cache: &Cache,
    suggestions: &dyn Fn(&str) -> Option<Suggestions>,
) {
    let changed = f.key.as_ref() != Some(&key);
    if !changed && now - f.computed_at < REFRESH_SECS && now >= f.computed_at {
        return;
    }
    let mut marks = timeline_marks(session, cache, key.settings.lanes, suggestions);
    if key.settings.only_relevant {
        marks.retain(|m| matches!(session.status(&m.doc), Status::Relevant | Status::Key));
    }
    let lanes = lanes(&marks);
    let index: std::collections::HashMap<&str, usize> = lanes
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let lane_of = marks
        .iter()
        .map(|m| index.get(m.lane.as_str()).copied().unwrap_or(0))
        .collect();
    drop(index);
    // Show everything again when the settings, the cache or the number of lanes change.
    f.refit |= f.lanes.len() != lanes.len()
        || (changed
            && f.key
                .as_ref()
                .is_none_or(|k| k.settings != key.settings || k.root != key.root));
    f.marks = marks;
    f.lanes = lanes;
    f.lane_of = lane_of;
    f.period = claimed_period(cache);
    f.computed_at = now;
    f.key = Some(key);
}

/// The timeline view.
pub(crate) fn timeline_ui(
    ui: &mut Ui,
    state: &mut ViewsState,
    session: &Session,
    cache: &Cache,
    suggestions: &dyn Fn(&str) -> Option<Suggestions>,
    actions: &mut Vec<ViewAction>,
) {
    let dark = ui.visuals().dark_mode;
    let fit = ui
        .horizontal_wrapped(|ui| settings_ui(ui, &mut state.timeline))
        .inner;
    let key = Key::of(session, cache, &state.timeline);
    let now = ui.input(|i| i.time);
    let f = &mut state.frame.timeline;
    refresh(f, key, now, session, cache, suggestions);
    f.refit |= fit;
    ui.horizontal_wrapped(|ui| summary_ui(ui, f, dark));
    if f.marks.is_empty() {
        f.positions.clear();
        weak(ui, "No dated documents to show.");
        return;
    }
    let plot = plot_of(f, ui.available_height());
    let (marks, lane_of, period) = (&f.marks, &f.lane_of, f.period);
    let resp = plot.show(ui, |plot_ui| {
        if let Some((a, b)) = period {
            plot_ui.span(
                Span::new("Claimed period", day_number(a)..=day_number(b) + 1.0)
                    .fill(period_color(dark))
                    .border_width(0.0),
            );
        }
        // Spans (partial dates) first, dots on top.
        spans_ui(plot_ui, marks, lane_of, dark);
        dots_ui(plot_ui, marks, lane_of, dark);
    });
    let geometry = MarkGeometry::of(&resp.transform, marks, lane_of);
    let hovered = resp
        .response
        .hover_pos()
        .and_then(|p| geometry.hit(marks, p));
    if let Some(m) = hovered.and_then(|i| marks.get(i)) {
        mark_hover_ui(ui, &resp.response, m, cache, dark, actions);
    }
    f.positions = geometry.inside;
}

/// The lanes switch, "Relevant and key only" and "Fit". True when "Fit" was clicked.
fn settings_ui(ui: &mut Ui, settings: &mut TimelineSettings) -> bool {
    let label = ui.label("Lanes:");
    ui.label_inputs_by(label.id, |ui| {
        for mode in LaneMode::ALL {
            ui.selectable_value(&mut settings.lanes, mode, mode.label());
        }
    });
    ui.checkbox(&mut settings.only_relevant, "Relevant and key only");
    ui.button("Fit")
        .on_hover_text("Show every mark (double-click on the timeline does the same)")
        .clicked()
}

/// The claimed period, how many documents are dated and how many lie outside it, and the key.
fn summary_ui(ui: &mut Ui, f: &TimelineFrame, dark: bool) {
    match f.period {
        Some((a, b)) => {
            ui.label(RichText::new("■").color(period_color(dark).gamma_multiply(4.0)));
            ui.label(format!("claimed period {a} – {b}"));
        }
        None => weak(
            ui,
            "no period claimed (no dates in the article's statements)",
        ),
    }
    let outside = f
        .marks
        .iter()
        .filter(|m| m.outside_period)
        .map(|m| &m.doc)
        .collect::<BTreeSet<_>>()
        .len();
    let docs = f
        .marks
        .iter()
        .map(|m| &m.doc)
        .collect::<BTreeSet<_>>()
        .len();
    ui.label(format!("{docs} dated documents"));
    if outside > 0 {
        ui.label(
            RichText::new(format!("● {outside} outside the period")).color(mark_color(true, dark)),
        );
    }
    weak(
        ui,
        "hollow: date not accepted yet · bar: month or year only",
    );
}

/// The plot: date axis, one named row per lane, the claimed period in view; reset to show
/// everything when a refit is due.
fn plot_of(f: &mut TimelineFrame, available_height: f32) -> Plot<'static> {
    let n = f.lanes.len();
    let lane_names = f.lanes.clone();
    let mut plot = Plot::new("doctriage-timeline")
        .height(available_height.max(160.0))
        .show_x(false)
        .show_y(false)
        .show_crosshair(false)
        .label_formatter(|_| None)
        .allow_boxed_zoom(false)
        .x_grid_spacer(date_grid)
        .x_axis_formatter(date_label)
        .y_grid_spacer(move |input| {
            (0..n)
                .map(lane_y)
                .filter(|y| (input.bounds.0 - 1.0..=input.bounds.1 + 1.0).contains(y))
                .map(|value| GridMark {
                    value,
                    step_size: 1.0,
                })
                .collect()
        })
        .y_axis_formatter(move |mark, _| {
            let i = -mark.value.round();
            if (mark.value + i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            lane_names
                .get(i as usize)
                .map(|s| short(s, 34))
                .unwrap_or_default()
        })
        .y_axis_min_width(240.0)
        .include_y(0.6)
        .include_y(lane_y(n.saturating_sub(1)) - 0.6);
    if let Some((a, b)) = f.period {
        plot = plot
            .include_x(day_number(a) - 30.0)
            .include_x(day_number(b) + 31.0);
    }
    if std::mem::take(&mut f.refit) {
        plot = plot.reset();
    }
    plot
}

/// Partial dates: a bar over the month or year, filled when the date is accepted.
fn spans_ui(plot_ui: &mut PlotUi<'_>, marks: &[Mark], lane_of: &[usize], dark: bool) {
    for (i, m) in marks.iter().enumerate().filter(|(_, m)| m.partial) {
        let y = lane_y(lane_of.get(i).copied().unwrap_or(0));
        let (x0, x1) = (day_number(m.start), day_number(m.end) + 1.0);
        let color = mark_color(m.outside_period, dark);
        let fill = if m.source == DateSource::Accepted {
            color.gamma_multiply(0.55)
        } else {
            color.gamma_multiply(0.12)
        };
        let pts = vec![
            [x0, y - SPAN_HALF],
            [x1, y - SPAN_HALF],
            [x1, y + SPAN_HALF],
            [x0, y + SPAN_HALF],
        ];
        plot_ui.polygon(
            Polygon::new(m.doc.clone(), PlotPoints::new(pts))
                .fill_color(fill)
                .stroke(Stroke::new(1.5, color))
                .allow_hover(false),
        );
    }
}

/// Full dates: a dot, filled when the date is accepted, in the warning colour outside the period.
fn dots_ui(plot_ui: &mut PlotUi<'_>, marks: &[Mark], lane_of: &[usize], dark: bool) {
    for outside in [false, true] {
        for accepted in [true, false] {
            let pts: Vec<[f64; 2]> = marks
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    !m.partial
                        && m.outside_period == outside
                        && (m.source == DateSource::Accepted) == accepted
                })
                .map(|(i, m)| {
                    [
                        day_number(m.start) + 0.5,
                        lane_y(lane_of.get(i).copied().unwrap_or(0)),
                    ]
                })
                .collect();
            if pts.is_empty() {
                continue;
            }
            plot_ui.points(
                Points::new(
                    if outside {
                        "outside the claimed period"
                    } else {
                        "documents"
                    },
                    PlotPoints::new(pts),
                )
                .shape(MarkerShape::Circle)
                .radius(5.0)
                .filled(accepted)
                .color(mark_color(outside, dark))
                .allow_hover(false),
            );
        }
    }
}

/// Where each mark is on screen.
struct MarkGeometry {
    /// Per mark: left and right edge, and centre (points).
    extent: Vec<(f32, f32, Pos2)>,
    /// The centres inside the plot's frame, by mark index.
    inside: Vec<(usize, Pos2)>,
    /// Half the height of a span (points).
    half_px: f32,
}

impl MarkGeometry {
    fn of(t: &PlotTransform, marks: &[Mark], lane_of: &[usize]) -> Self {
        let frame = *t.frame();
        let mut inside = Vec::new();
        let mut extent = Vec::with_capacity(marks.len());
        for (i, m) in marks.iter().enumerate() {
            let y = t.position_from_point_y(lane_y(lane_of.get(i).copied().unwrap_or(0)));
            let x0 = t.position_from_point_x(day_number(m.start));
            let x1 = t.position_from_point_x(day_number(m.end) + 1.0);
            let centre = Pos2::new((x0 + x1) / 2.0, y);
            if frame.contains(centre) {
                inside.push((i, centre));
            }
            extent.push((x0, x1, centre));
        }
        Self {
            extent,
            inside,
            half_px: (SPAN_HALF * t.dpos_dvalue_y().abs()) as f32,
        }
    }

    /// The mark under the pointer: the nearest dot within 8 points, else the narrowest span.
    fn hit(&self, marks: &[Mark], p: Pos2) -> Option<usize> {
        let dot = marks
            .iter()
            .zip(&self.extent)
            .enumerate()
            .filter(|(_, (m, _))| !m.partial)
            .map(|(i, (_, g))| (i, g.2.distance(p)))
            .filter(|(_, d)| *d <= 8.0)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        dot.map(|(i, _)| i).or_else(|| {
            marks
                .iter()
                .zip(&self.extent)
                .enumerate()
                .filter(|(_, (m, g))| {
                    m.partial
                        && p.x >= g.0 - 3.0
                        && p.x <= g.1 + 3.0
                        && (p.y - g.2.y).abs() <= self.half_px + 3.0
                })
                .min_by(|a, b| ((a.1).1.1 - (a.1).1.0).total_cmp(&((b.1).1.1 - (b.1).1.0)))
                .map(|(i, _)| i)
        })
    }
}

/// The hovered mark's card (title, date, lane, where the date came from); a click opens the
/// document at the place its text writes the date.
fn mark_hover_ui(
    ui: &Ui,
    plot: &egui::Response,
    m: &Mark,
    cache: &Cache,
    dark: bool,
    actions: &mut Vec<ViewAction>,
) {
    ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    let response = plot.clone().on_hover_ui_at_pointer(|ui| {
        ui.label(RichText::new(&m.title).strong());
        ui.label(format!("{} · {}", m.date, m.doc));
        ui.label(RichText::new(format!("{} · {}", m.lane, source_label(m.source))).weak());
        if m.outside_period {
            ui.label(
                RichText::new("outside the article's claimed period").color(mark_color(true, dark)),
            );
        }
    });
    if response.clicked() {
        let quote = m
            .quote
            .or_else(|| cache.document(&m.doc).and_then(|d| date_in_text(d, m.date)));
        actions.push(ViewAction::OpenDocument {
            doc: m.doc.clone(),
            quote,
        });
    }
}
