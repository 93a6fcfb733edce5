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
//!
//! This file computes the marks (plain functions over the session and the cache); `axis` maps
//! dates and lanes to plot coordinates, and `draw` caches the marks between frames and draws them.

mod axis;
mod draw;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use egui::Pos2;
use serde::{Deserialize, Serialize};

use super::ViewsState;
use crate::extract;
use crate::model::{Cache, Document, PartialDate, Suggestions};
use crate::session::Session;

pub(crate) use draw::{TimelineFrame, timeline_ui};

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
