//! The viewer's text and its highlights: parts of long records, the highlight kinds and spans
//! (suggestions, filter hits, linked quotes, the focus), and their layout job.

use egui::FontId;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, Stroke};

use crate::fold::fold_with_map;
use crate::model::{Origin, Suggestions};
use crate::session::DocReview;

use super::super::filter::query_terms;
/// A long record is shown in parts of this many characters (with Previous/Next part buttons), so
/// the text field stays fast; offsets stay exact (each part knows where it starts).
pub const PAGE_CHARS: usize = 20_000;

/// A newly shown part is laid out this many bytes (to the end of a paragraph) at a time, one step
/// per frame: the first frame shows the top of the text at once, and egui's galley cache keeps
/// the paragraphs already laid out, so no frame lays out a whole long record.
pub const LAYOUT_STEP_BYTES: usize = 4096;

/// The end of the paragraph at or after byte `at` (just past its `\n`), or the text's end.
pub fn paragraph_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let from = (at..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[from..].find('\n').map_or(text.len(), |i| from + i + 1)
}

/// The first `cut` bytes of a layout job (`cut` on a char boundary), its sections clipped.
pub fn truncate_job(job: &LayoutJob, cut: usize) -> LayoutJob {
    let mut out = job.clone();
    out.text.truncate(cut);
    out.sections.retain(|s| s.byte_range.start.0 < cut);
    for s in &mut out.sections {
        s.byte_range.end.0 = s.byte_range.end.0.min(cut);
    }
    out
}

/// Kinds of highlight, lowest priority first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Highlight {
    /// A quote linked to a statement.
    Linked = 0,
    /// A suggested date.
    Date = 1,
    /// A suggested sender.
    Sender = 2,
    /// Suggested equipment.
    Equipment = 3,
    /// A hit of the free-text filter.
    FilterHit = 4,
    /// The span in focus (hovered suggestion, opened evidence, the quote to link).
    Focus = 5,
}

impl Highlight {
    /// Every kind, for the legend.
    pub const ALL: [Self; 6] = [
        Self::Date,
        Self::Sender,
        Self::Equipment,
        Self::FilterHit,
        Self::Linked,
        Self::Focus,
    ];

    /// The legend's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Linked => "linked quote",
            Self::Date => "date",
            Self::Sender => "sender",
            Self::Equipment => "equipment",
            Self::FilterHit => "filter hit",
            Self::Focus => "in focus",
        }
    }

    /// The background colour.
    pub fn color(self, dark: bool) -> Color32 {
        let (l, d) = match self {
            Self::Linked => ((0xe6, 0xd4, 0xfa), (0x4a, 0x33, 0x6a)),
            Self::Date => ((0xc8, 0xe1, 0xff), (0x1c, 0x44, 0x70)),
            Self::Sender => ((0xc9, 0xef, 0xc9), (0x1f, 0x55, 0x2c)),
            Self::Equipment => ((0xff, 0xdc, 0xb4), (0x6e, 0x44, 0x14)),
            Self::FilterHit => ((0xff, 0xf0, 0x7a), (0x6a, 0x5f, 0x0a)),
            Self::Focus => ((0xff, 0x9a, 0x3c), (0x9a, 0x3c, 0x00)),
        };
        let (r, g, b) = if dark { d } else { l };
        Color32::from_rgb(r, g, b)
    }

    /// The text colour on this highlight: near white on the dark theme's deep colours, near
    /// black on the light theme's pale ones (a contrast of at least 4.5:1, WCAG AA).
    pub fn text_color(self, dark: bool) -> Color32 {
        if dark {
            Color32::from_gray(0xf4)
        } else {
            Color32::from_gray(0x10)
        }
    }
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    fn luminance(c: Color32) -> f32 {
        let lin = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A highlighted span (chars, end exclusive).
pub type Span = (usize, usize, Highlight);

/// The spans of the text where the filter's terms occur (case- and script-insensitive).
pub fn filter_hits(text: &str, filter_text: &str) -> Vec<(usize, usize)> {
    let terms = query_terms(filter_text);
    if terms.is_empty() {
        return Vec::new();
    }
    let (folded, map) = fold_with_map(text);
    // The map is per char of the folded text; the matches are in bytes.
    let char_of_byte: Option<Vec<usize>> = (!folded.is_ascii()).then(|| {
        let mut v = vec![0; folded.len() + 1];
        let mut n = 0;
        for (b, c) in folded.char_indices() {
            for slot in v.iter_mut().skip(b).take(c.len_utf8()) {
                *slot = n;
            }
            n += 1;
        }
        if let Some(last) = v.last_mut() {
            *last = n;
        }
        v
    });
    let to_char = |b: usize| {
        char_of_byte
            .as_ref()
            .map_or(b, |v| v.get(b).copied().unwrap_or(0))
    };
    // As the search index does: a term matches whole words (`roza` is not in `Groza`), and a
    // prefix query (`groz*`) or a fuzzy one (`grozza~`) the start of one.
    let whole_words = !filter_text.contains(['*', '~']);
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = Vec::new();
    for term in &terms {
        for (b, m) in folded.match_indices(term.as_str()) {
            let before = folded[..b].chars().next_back();
            let after = folded[b + m.len()..].chars().next();
            if is_word(before) || (whole_words && is_word(after)) {
                continue;
            }
            let (first, last) = (to_char(b), to_char(b + m.len() - 1));
            if let (Some(&s), Some(&e)) = (map.get(first), map.get(last)) {
                out.push((s, e + 1));
            }
        }
    }
    out
}

/// Every highlight of a part of a document (chars `range`, whose text is `part`): suggestions,
/// filter hits, linked quotes and the focus span, as spans relative to the part's start.
pub fn highlight_spans(
    suggestions: Option<&Suggestions>,
    review: Option<&DocReview>,
    filter_text: &str,
    focus: Option<(usize, usize)>,
    range: std::ops::Range<usize>,
    part: &str,
) -> Vec<Span> {
    let mut spans = Vec::new();
    if let Some(s) = suggestions {
        for (cands, kind) in [
            (&s.dates, Highlight::Date),
            (&s.senders, Highlight::Sender),
            (&s.recipients, Highlight::Sender),
            (&s.equipment, Highlight::Equipment),
        ] {
            for c in cands {
                if let (Some(a), Some(b)) = (c.start, c.end) {
                    spans.push((a, b, kind));
                }
            }
        }
    }
    if let Some(r) = review {
        for l in &r.links {
            if let Some(q) = &l.quote {
                spans.push((q.start, q.end, Highlight::Linked));
            }
        }
    }
    if let Some((a, b)) = focus {
        spans.push((a, b.max(a + 1), Highlight::Focus));
    }
    // Into the part's coordinates, clipped to it.
    let mut out: Vec<Span> = spans
        .into_iter()
        .filter(|(a, b, _)| a < b && *b > range.start && *a < range.end)
        .map(|(a, b, k)| {
            (
                a.max(range.start) - range.start,
                b.min(range.end) - range.start,
                k,
            )
        })
        .collect();
    for (a, b) in filter_hits(part, filter_text) {
        out.push((a, b, Highlight::FilterHit));
    }
    out
}

/// The byte offsets where the parts of a text start (every [`PAGE_CHARS`] chars), and its length.
pub fn page_starts(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    for (n, (b, _)) in text.char_indices().enumerate() {
        if n > 0 && n % PAGE_CHARS == 0 {
            out.push(b);
        }
    }
    out.push(text.len());
    out
}

/// Splits the text into runs of one highlight (the highest of the spans covering it), as
/// (start char, end char, highlight or none).
pub fn segments(n_chars: usize, spans: &[Span]) -> Vec<(usize, usize, Option<Highlight>)> {
    let mut events: Vec<(usize, i32, usize)> = Vec::with_capacity(spans.len() * 2);
    for &(a, b, k) in spans {
        let (a, b) = (a.min(n_chars), b.min(n_chars));
        if a < b {
            events.push((a, 1, k as usize));
            events.push((b, -1, k as usize));
        }
    }
    events.sort_unstable();
    let mut counts = [0i32; 6];
    let mut out = Vec::new();
    let mut pos = 0;
    let top = |counts: &[i32; 6]| -> Option<Highlight> {
        (0..6).rev().find(|&k| counts[k] > 0).map(|k| match k {
            0 => Highlight::Linked,
            1 => Highlight::Date,
            2 => Highlight::Sender,
            3 => Highlight::Equipment,
            4 => Highlight::FilterHit,
            _ => Highlight::Focus,
        })
    };
    let mut i = 0;
    while i < events.len() {
        let at = events[i].0;
        if at > pos {
            out.push((pos, at, top(&counts)));
            pos = at;
        }
        while i < events.len() && events[i].0 == at {
            let k = events[i].2;
            counts[k] += events[i].1;
            i += 1;
        }
    }
    if pos < n_chars {
        out.push((pos, n_chars, top(&counts)));
    }
    out
}

/// The layout job of a text with its highlights.
pub fn build_job(
    text: &str,
    spans: &[Span],
    font: FontId,
    text_color: Color32,
    dark: bool,
) -> LayoutJob {
    let n = text.chars().count();
    let segs = segments(n, spans);
    // Char offsets of the segment boundaries to byte offsets, in one pass.
    let mut bytes = Vec::with_capacity(segs.len() + 1);
    let mut it = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let mut at_char = 0;
    let mut cur = it.next().unwrap_or(0);
    for &(start, _, _) in &segs {
        while at_char < start {
            cur = it.next().unwrap_or(text.len());
            at_char += 1;
        }
        bytes.push(cur);
    }
    bytes.push(text.len());
    let mut job = LayoutJob::default();
    for (k, &(_, _, hl)) in segs.iter().enumerate() {
        let (a, b) = (bytes[k], bytes[k + 1]);
        let mut format = TextFormat {
            font_id: font.clone(),
            color: text_color,
            ..TextFormat::default()
        };
        if let Some(h) = hl {
            format.background = h.color(dark);
            format.color = h.text_color(dark);
            if h == Highlight::Focus {
                format.underline =
                    Stroke::new(2.0, if dark { Color32::WHITE } else { Color32::BLACK });
                format.color = if dark { Color32::WHITE } else { Color32::BLACK };
            }
        }
        job.append(&text[a..b], 0.0, format);
    }
    job
}

fn origin_text(o: Origin) -> &'static str {
    match o {
        Origin::Metadata => "record metadata",
        Origin::Header => "header",
        Origin::Text => "text",
    }
}

/// A one-line description of a suggestion's origin (for tooltips).
pub fn candidate_origin(c: &crate::model::Candidate) -> String {
    match (&c.quote, c.start, c.end) {
        (Some(q), Some(a), Some(b)) => {
            format!("from the {}, chars {a}–{b}: “{q}”", origin_text(c.origin))
        }
        _ => format!("from the {}", origin_text(c.origin)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighted_text_is_readable_in_both_themes() {
        for dark in [false, true] {
            for h in Highlight::ALL {
                let ratio = contrast_ratio(h.text_color(dark), h.color(dark));
                assert!(ratio >= 4.5, "{h:?} dark={dark}: {ratio:.2}");
            }
        }
    }

    #[test]
    fn filter_hits_are_whole_words_as_the_index_matches_them() {
        let text = "Four Groza-S stations; ГРОЗА-С too.";
        assert!(filter_hits(text, "roza").is_empty(), "roza is not in Groza");
        assert_eq!(filter_hits(text, "groza").len(), 2, "Latin and Cyrillic");
        assert_eq!(filter_hits(text, "groz*").len(), 2, "a prefix query");
        assert!(filter_hits(text, "station").is_empty());
        assert_eq!(filter_hits(text, "stations"), vec![(13, 21)]);
    }
}
