//! The timeline: every dated document on a date axis, one lane per sender or per equipment.
//!
//! A document's date is, in this order: the date the analyst accepted (the session's review);
//! else the date its metadata or header states, parsed with [`crate::extract::parse_date`]; else
//! its first suggested date (found in the text). A click opens the document at the place its
//! text writes the date, if it does. Marks whose date was not accepted are drawn
//! hollow. A partial date is drawn as a span over its month or year; a full date as a dot.
//!
//! The article's claimed period ([`claimed_period`]: the earliest to the latest date its
//! statements name) is shaded; a document whose date lies wholly outside it is drawn in a warning
//! colour. Click a mark to open the document (at the date's quote when the date was found in the
//! text); hover it for its title and date; drag to pan, Ctrl+scroll (or pinch) to zoom, scroll to
//! move, double-click or "Fit" to show everything (egui_plot).

use std::collections::BTreeSet;
use std::ops::RangeInclusive;
use std::path::PathBuf;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use egui::{Color32, Pos2, RichText, Stroke, Ui};
use egui_plot::{GridInput, GridMark, MarkerShape, Plot, PlotPoints, Points, Polygon, Span};
use serde::{Deserialize, Serialize};

use super::{ViewAction, ViewsState, short, weak};
use crate::extract;
use crate::model::{Cache, Document, PartialDate, Suggestions};
use crate::session::{Session, Status};

/// What the timeline's lanes are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaneMode {
    /// One lane per sender.
    #[default]
    Sender,
    /// One lane per piece of equipment.
    Equipment,
}

impl LaneMode {
    /// Both modes.
    pub const ALL: [Self; 2] = [Self::Sender, Self::Equipment];

    /// The switch's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sender => "Senders",
            Self::Equipment => "Equipment",
        }
    }

    /// The lane of documents that name none.
    pub fn none_lane(self) -> &'static str {
        match self {
            Self::Sender => "(no sender)",
            Self::Equipment => "(no equipment)",
        }
    }
}

/// Where a mark's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The date the analyst accepted.
    Accepted,
    /// The date the record's metadata or header states.
    Stated,
    /// The first date suggested from the text.
    Suggested,
}

/// The timeline's settings (saved).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineSettings {
    /// Lanes per sender or per equipment.
    pub lanes: LaneMode,
    /// Only documents marked relevant or key.
    pub only_relevant: bool,
}

/// One document in one lane of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Document id.
    pub doc: String,
    /// Document title.
    pub title: String,
    /// The lane (a canonical sender or equipment name, or the "none" lane).
    pub lane: String,
    /// The date, possibly partial.
    pub date: PartialDate,
    /// First day the date covers.
    pub start: NaiveDate,
    /// Last day the date covers (= `start` for a full date).
    pub end: NaiveDate,
    /// A year or a month rather than a day.
    pub partial: bool,
    /// The date lies wholly outside the article's claimed period.
    pub outside_period: bool,
    /// Where the date came from.
    pub source: DateSource,
    /// Where the date is written in the text (chars), when a suggestion of the same value found
    /// it there (see also [`date_in_text`]).
    pub quote: Option<(usize, usize)>,
}

/// The period the article claims: the first day of the earliest date to the last day of the
/// latest date found in its statements ([`extract::find_dates`]); a bare year counts as the
/// whole year. None without an article or dates in it.
pub fn claimed_period(cache: &Cache) -> Option<(NaiveDate, NaiveDate)> {
    let (_, article) = cache.article.as_ref()?;
    let spans = article
        .statements
        .iter()
        .flat_map(|s| extract::find_dates(&s.text))
        .map(|hit| hit.date.span());
    spans.fold(None, |acc, (a, b)| match acc {
        None => Some((a, b)),
        Some((lo, hi)) => Some((lo.min(a), hi.max(b))),
    })
}

/// A document's date on the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocDate {
    /// The date, possibly partial.
    pub date: PartialDate,
    /// Where it came from.
    pub source: DateSource,
    /// Where the text writes it (chars): the first date suggestion of the same value with offsets.
    pub quote: Option<(usize, usize)>,
}

/// A document's date for the timeline, where it came from, and where it is written in the text.
/// See the module doc for the order of the sources.
pub fn document_date(
    doc: &Document,
    session: &Session,
    suggestions: Option<&Suggestions>,
) -> Option<DocDate> {
    let (date, source) = if let Some(d) = session.review(&doc.id).and_then(|r| r.date) {
        (d, DateSource::Accepted)
    } else if let Some(d) = doc.date.as_deref().and_then(extract::parse_date) {
        (d, DateSource::Stated)
    } else {
        let d = suggestions?
            .dates
            .iter()
            .find_map(|c| PartialDate::parse_iso(&c.value))?;
        (d, DateSource::Suggested)
    };
    let value = date.to_string();
    let quote = suggestions.and_then(|s| {
        s.dates
            .iter()
            .filter(|c| c.value == value)
            .find_map(|c| Some((c.start?, c.end?)))
    });
    Some(DocDate {
        date,
        source,
        quote,
    })
}

/// Where a document's text first writes this date (chars), if it does ([`extract::find_dates`]).
/// The suggestions leave out a text date equal to the stated one; a click on a mark uses this.
pub fn date_in_text(doc: &Document, date: PartialDate) -> Option<(usize, usize)> {
    extract::find_dates(&doc.text)
        .into_iter()
        .find(|h| h.date == date)
        .map(|h| (h.start, h.end))
}

/// The lanes a document goes in: the names the analyst tagged (after merges); else those its
/// record states or suggests (the stated sender, the suggested equipment); else the "none" lane.
fn document_lanes(
    doc: &Document,
    session: &Session,
    suggestions: Option<&Suggestions>,
    mode: LaneMode,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: &str| {
        let name = session.canonical(name.trim()).to_owned();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    };
    let review = session.review(&doc.id);
    match mode {
        LaneMode::Sender => {
            let tagged = review.map(|r| r.senders.as_slice()).unwrap_or_default();
            if !tagged.is_empty() {
                tagged.iter().for_each(|n| push(n));
            } else if let Some(c) = suggestions.and_then(|s| {
                s.senders
                    .iter()
                    .find(|c| c.origin != crate::model::Origin::Text)
            }) {
                push(&c.value);
            } else if let Some(s) = &doc.sender {
                push(s);
            }
        }
        LaneMode::Equipment => {
            let tagged = review.map(|r| r.equipment.as_slice()).unwrap_or_default();
            if !tagged.is_empty() {
                tagged.iter().for_each(|n| push(n));
            } else if let Some(s) = suggestions {
                s.equipment.iter().for_each(|c| push(&c.value));
            }
        }
    }
    if out.is_empty() {
        out.push(mode.none_lane().to_owned());
    }
    out
}

/// Every dated document of the cache as marks, one per lane it goes in, sorted by date then id.
pub fn timeline_marks(
    session: &Session,
    cache: &Cache,
    lane_mode: LaneMode,
    suggestions: &dyn Fn(&str) -> Option<Suggestions>,
) -> Vec<Mark> {
    let period = claimed_period(cache);
    let mut marks = Vec::new();
    for doc in &cache.documents {
        let sugg = suggestions(&doc.id);
        let Some(DocDate {
            date,
            source,
            quote,
        }) = document_date(doc, session, sugg.as_ref())
        else {
            continue;
        };
        let (start, end) = date.span();
        let outside_period = period.is_some_and(|(lo, hi)| end < lo || start > hi);
        for lane in document_lanes(doc, session, sugg.as_ref(), lane_mode) {
            marks.push(Mark {
                doc: doc.id.clone(),
                title: doc.title.clone(),
                lane,
                date,
                start,
                end,
                partial: date.day.is_none(),
                outside_period,
                source,
                quote,
            });
        }
    }
    marks.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then_with(|| a.doc.cmp(&b.doc))
            .then_with(|| a.lane.cmp(&b.lane))
    });
    marks
}

/// The lanes of some marks, top to bottom: names in alphabetical order (ignoring case), the
/// "none" lanes last.
pub fn lanes(marks: &[Mark]) -> Vec<String> {
    let names: BTreeSet<&str> = marks.iter().map(|m| m.lane.as_str()).collect();
    let mut out: Vec<String> = names.into_iter().map(str::to_owned).collect();
    let is_none = |s: &str| LaneMode::ALL.iter().any(|m| m.none_lane() == s);
    out.sort_by(|a, b| {
        is_none(a)
            .cmp(&is_none(b))
            .then_with(|| a.to_lowercase().cmp(&b.to_lowercase()))
    });
    out
}

#[derive(Clone, Debug, PartialEq)]
struct Key {
    modified: DateTime<Utc>,
    reviews: usize,
    aliases: usize,
    documents: usize,
    root: PathBuf,
    settings: TimelineSettings,
}

/// The timeline's data and what the last frame drew (not saved).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TimelineFrame {
    key: Option<Key>,
    computed_at: f64,
    marks: Vec<Mark>,
    lanes: Vec<String>,
    lane_of: Vec<usize>,
    period: Option<(NaiveDate, NaiveDate)>,
    refit: bool,
    /// Screen centre of each mark inside the plot, by mark index.
    positions: Vec<(usize, Pos2)>,
}

/// Suggestions can arrive in the background: recompute at least this often (seconds).
const REFRESH_SECS: f64 = 2.0;

/// Where the last frame drew a mark of this document (its centre, in points), if it was inside
/// the plot. For tests and automation: a click there opens the document.
pub fn timeline_mark_pos(state: &ViewsState, doc: &str) -> Option<Pos2> {
    let f = &state.frame.timeline;
    f.positions
        .iter()
        .find(|(i, _)| f.marks.get(*i).is_some_and(|m| m.doc == doc))
        .map(|(_, p)| *p)
}

/// The marks the timeline shows (after its settings), as last computed.
pub fn shown_marks(state: &ViewsState) -> &[Mark] {
    &state.frame.timeline.marks
}

fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

fn date_of(x: f64) -> Option<NaiveDate> {
    if !x.is_finite() || x.abs() > 3.0e6 {
        return None;
    }
    NaiveDate::from_num_days_from_ce_opt(x.round() as i32)
}

/// Grid lines at years, months (when fewer than ~12 years show) and days (fewer than ~6 months).
fn date_grid(input: GridInput) -> Vec<GridMark> {
    let (a, b) = input.bounds;
    let (Some(first), Some(last)) = (date_of(a.floor()), date_of(b.ceil())) else {
        return Vec::new();
    };
    let span = b - a;
    let mut out = Vec::new();
    let years = (last.year() - first.year()).max(1);
    let year_step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|s| years / s <= 60)
        .unwrap_or(1000);
    let mut y = first.year() - first.year().rem_euclid(year_step);
    while y <= last.year() {
        if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
            out.push(GridMark {
                value: day_number(d),
                step_size: 365.0 * f64::from(year_step),
            });
        }
        y += year_step;
    }
    if span < 365.0 * 12.0 {
        let mut d = NaiveDate::from_ymd_opt(first.year(), first.month(), 1);
        while let Some(m) = d.filter(|m| *m <= last) {
            if m.month() != 1 {
                out.push(GridMark {
                    value: day_number(m),
                    step_size: 30.0,
                });
            }
            d = m.checked_add_months(chrono::Months::new(1));
        }
    }
    out.retain(|m| m.value >= a && m.value <= b);
    if span < 183.0 {
        let mut d = Some(first);
        while let Some(day) = d.filter(|x| *x <= last) {
            if day.day() != 1 {
                out.push(GridMark {
                    value: day_number(day),
                    step_size: 1.0,
                });
            }
            d = day.succ_opt();
        }
    }
    out
}

fn date_label(mark: GridMark, _range: &RangeInclusive<f64>) -> String {
    let Some(d) = date_of(mark.value) else {
        return String::new();
    };
    if mark.step_size >= 365.0 {
        format!("{}", d.year())
    } else if mark.step_size >= 28.0 {
        d.format("%Y-%m").to_string()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

fn lane_y(lane: usize) -> f64 {
    -(lane as f64)
}

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
    let mut fit = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Lanes:");
        ui.label_inputs_by(label.id, |ui| {
            for mode in LaneMode::ALL {
                ui.selectable_value(&mut state.timeline.lanes, mode, mode.label());
            }
        });
        ui.checkbox(&mut state.timeline.only_relevant, "Relevant and key only");
        if ui
            .button("Fit")
            .on_hover_text("Show every mark (double-click on the timeline does the same)")
            .clicked()
        {
            fit = true;
        }
    });
    let key = Key {
        modified: session.modified,
        reviews: session.reviews().len(),
        aliases: session.aliases().len(),
        documents: cache.documents.len(),
        root: cache.root.clone(),
        settings: state.timeline.clone(),
    };
    let now = ui.input(|i| i.time);
    let f = &mut state.frame.timeline;
    refresh(f, key, now, session, cache, suggestions);
    f.refit |= fit;
    ui.horizontal_wrapped(|ui| {
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
                RichText::new(format!("● {outside} outside the period"))
                    .color(mark_color(true, dark)),
            );
        }
        weak(
            ui,
            "hollow: date not accepted yet · bar: month or year only",
        );
    });
    if f.marks.is_empty() {
        f.positions.clear();
        weak(ui, "No dated documents to show.");
        return;
    }
    let n = f.lanes.len();
    let lane_names = f.lanes.clone();
    let mut plot = Plot::new("doctriage-timeline")
        .height(ui.available_height().max(160.0))
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
    let marks = &f.marks;
    let lane_of = &f.lane_of;
    let period = f.period;
    let resp = plot.show(ui, |plot_ui| {
        if let Some((a, b)) = period {
            plot_ui.span(
                Span::new("Claimed period", day_number(a)..=day_number(b) + 1.0)
                    .fill(period_color(dark))
                    .border_width(0.0),
            );
        }
        // Spans (partial dates) first, dots on top.
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
    });
    // Where each mark is on screen, and which one the pointer is on.
    let t = &resp.transform;
    let frame = *t.frame();
    let half_px = (SPAN_HALF * t.dpos_dvalue_y().abs()) as f32;
    let mut positions = Vec::new();
    let mut geometry = Vec::with_capacity(marks.len());
    for (i, m) in marks.iter().enumerate() {
        let y = t.position_from_point_y(lane_y(lane_of.get(i).copied().unwrap_or(0)));
        let x0 = t.position_from_point_x(day_number(m.start));
        let x1 = t.position_from_point_x(day_number(m.end) + 1.0);
        let centre = Pos2::new((x0 + x1) / 2.0, y);
        if frame.contains(centre) {
            positions.push((i, centre));
        }
        geometry.push((x0, x1, centre));
    }
    let hovered = resp.response.hover_pos().and_then(|p| {
        let dot = marks
            .iter()
            .zip(&geometry)
            .enumerate()
            .filter(|(_, (m, _))| !m.partial)
            .map(|(i, (_, g))| (i, g.2.distance(p)))
            .filter(|(_, d)| *d <= 8.0)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        dot.map(|(i, _)| i).or_else(|| {
            marks
                .iter()
                .zip(&geometry)
                .enumerate()
                .filter(|(_, (m, g))| {
                    m.partial
                        && p.x >= g.0 - 3.0
                        && p.x <= g.1 + 3.0
                        && (p.y - g.2.y).abs() <= half_px + 3.0
                })
                .min_by(|a, b| ((a.1).1.1 - (a.1).1.0).total_cmp(&((b.1).1.1 - (b.1).1.0)))
                .map(|(i, _)| i)
        })
    });
    if let Some(m) = hovered.and_then(|i| marks.get(i)) {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        let response = resp.response.clone().on_hover_ui_at_pointer(|ui| {
            ui.label(RichText::new(&m.title).strong());
            ui.label(format!("{} · {}", m.date, m.doc));
            ui.label(RichText::new(format!("{} · {}", m.lane, source_label(m.source))).weak());
            if m.outside_period {
                ui.label(
                    RichText::new("outside the article's claimed period")
                        .color(mark_color(true, dark)),
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
    f.positions = positions;
}
