//! Suggested tags: dates, senders and equipment, each with where it came from.
//!
//! Dates come from the record's metadata/header and from the body text ([`find_dates`]);
//! senders from the metadata and from gazetteer organisations in the letterhead or signature;
//! equipment from gazetteer equipment anywhere in the text. Text candidates carry the exact
//! quote and its char offsets.
mod dates;

pub use dates::{DateHit, find_dates, parse_date};

use crate::gazetteer::{Folded, Matcher};
use crate::model::{Candidate, Document, Gazetteer, GazetteerEntry, Origin, Suggestions};

/// Non-empty lines at the top of a text that count as its letterhead.
pub const LETTERHEAD_LINES: usize = 5;
/// Non-empty lines at the bottom of a text that count as its signature.
pub const SIGNATURE_LINES: usize = 8;

/// Builds suggestions; compile it once per cache (it holds the gazetteer matchers).
#[derive(Clone, Debug, Default)]
pub struct Extractor {
    equipment: Matcher,
    organisations: Matcher,
    organisation_entries: Vec<GazetteerEntry>,
}

fn text_candidate(value: String, quote_from: &[char], start: usize, end: usize) -> Candidate {
    let quote: String = quote_from
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .collect();
    Candidate {
        value,
        origin: Origin::Text,
        quote: Some(quote),
        start: Some(start),
        end: Some(end),
        page: None,
    }
}

fn push_unique(list: &mut Vec<Candidate>, c: Candidate) {
    if !list.iter().any(|x| x.value == c.value) {
        list.push(c);
    }
}

/// Char ranges of the letterhead (first [`LETTERHEAD_LINES`] non-empty lines) and the
/// signature (last [`SIGNATURE_LINES`] non-empty lines).
/// A candidate from the record's metadata (no quote in the text).
fn meta_candidate(value: String, origin: Origin) -> Candidate {
    Candidate {
        value,
        origin,
        quote: None,
        start: None,
        end: None,
        page: None,
    }
}

/// Words that open an address line: `To the Director`, `Кому:`, `Attn.`, `Alıcı:`.
const ADDRESS_MARKERS: &[&str] = &[
    "to",
    "attn",
    "attention",
    "кому",
    "адресат",
    "получатель",
    "alıcı",
    "kimə",
];

/// The address block of the letterhead (char ranges): a line that opens with an address word,
/// and the line after it (`To the Director General` / `Optoval Instruments JSC`).
fn address_block(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        let n = line.chars().count();
        if !line.trim().is_empty() {
            lines.push((pos, pos + n, line));
        }
        pos += n + 1;
        if lines.len() >= LETTERHEAD_LINES {
            break;
        }
    }
    let mut out = Vec::new();
    for (i, (a, b, line)) in lines.iter().enumerate() {
        let first = line
            .split(|c: char| c.is_whitespace() || c == ':' || c == '.' || c == ',')
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        if ADDRESS_MARKERS.contains(&first.as_str()) {
            out.push((*a, *b));
            if let Some((na, nb, _)) = lines.get(i + 1) {
                out.push((*na, *nb));
            }
        }
    }
    out
}

fn letterhead_and_signature(text: &str) -> [(usize, usize); 2] {
    let mut lines = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        let n = line.chars().count();
        if !line.trim().is_empty() {
            lines.push((pos, pos + n));
        }
        pos += n + 1;
    }
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return [(0, 0), (0, 0)];
    };
    let head_end = lines
        .get(LETTERHEAD_LINES.min(lines.len()) - 1)
        .map_or(first.1, |l| l.1);
    let sig_start = lines
        .get(lines.len().saturating_sub(SIGNATURE_LINES))
        .map_or(last.0, |l| l.0);
    [(first.0, head_end), (sig_start, last.1)]
}

impl Extractor {
    /// Compiles the gazetteer's equipment and organisation names.
    pub fn new(g: &Gazetteer) -> Self {
        Self {
            equipment: Matcher::new(&g.equipment),
            organisations: Matcher::new(&g.organisations),
            organisation_entries: g.organisations.clone(),
        }
    }

    /// The canonical organisation for a sender as written: an exact (folded) name or alias
    /// match, else the single organisation the value mentions (`SAEA, Minsk`), else `None`.
    pub fn canonical_organisation(&self, sender: &str) -> Option<String> {
        if let Some(name) = crate::gazetteer::canonical(&self.organisation_entries, sender) {
            return Some(name);
        }
        let hits = self.organisations.find(sender);
        let first = hits.first()?;
        hits.iter()
            .all(|h| h.entry == first.entry)
            .then(|| first.name.clone())
    }

    /// Suggestions for one document: metadata/header values first, then text findings.
    pub fn suggest(&self, doc: &Document) -> Suggestions {
        let mut out = Suggestions::default();
        let meta_origin = doc.meta_origin.unwrap_or(Origin::Metadata);
        let chars: Vec<char> = doc.text.chars().collect();

        // Dates.
        if let Some(d) = doc.date.as_deref().and_then(parse_date) {
            out.dates.push(Candidate {
                value: d.to_string(),
                origin: meta_origin,
                quote: None,
                start: None,
                end: None,
                page: None,
            });
        }
        for h in find_dates(&doc.text) {
            push_unique(
                &mut out.dates,
                text_candidate(h.date.to_string(), &chars, h.start, h.end),
            );
        }

        let needs_text = !self.organisations.is_empty() || !self.equipment.is_empty();
        let folded = needs_text.then(|| Folded::new(&doc.text));

        // Senders and recipients.
        let stated_recipient = doc
            .recipient
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|r| {
                self.canonical_organisation(r)
                    .unwrap_or_else(|| r.to_string())
            });
        if let Some(sender) = doc
            .sender
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let value = self
                .canonical_organisation(sender)
                .unwrap_or_else(|| sender.to_string());
            out.senders.push(meta_candidate(value, meta_origin));
        }
        if let Some(value) = &stated_recipient {
            out.recipients
                .push(meta_candidate(value.clone(), meta_origin));
        }
        if let Some(f) = &folded
            && !self.organisations.is_empty()
        {
            let regions = letterhead_and_signature(&doc.text);
            let addressed = address_block(&doc.text);
            for h in self.organisations.find_folded(f) {
                if !regions.iter().any(|&(a, b)| h.start >= a && h.end <= b) {
                    continue;
                }
                let to_recipient = stated_recipient.as_deref() == Some(h.name.as_str())
                    || addressed.iter().any(|&(a, b)| h.start >= a && h.end <= b);
                let list = if to_recipient {
                    &mut out.recipients
                } else {
                    &mut out.senders
                };
                push_unique(list, text_candidate(h.name, &chars, h.start, h.end));
            }
        }

        // Equipment.
        if let Some(f) = &folded {
            for h in self.equipment.find_folded(f) {
                push_unique(
                    &mut out.equipment,
                    text_candidate(h.name, &chars, h.start, h.end),
                );
            }
        }
        if !doc.pages.is_empty() {
            mark_pages(&mut out, &chars);
        }
        out
    }
}

/// Gives each text candidate of a paged document its page (one more than the form feeds
/// before its quote).
fn mark_pages(out: &mut Suggestions, chars: &[char]) {
    let breaks: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '\u{c}')
        .map(|(i, _)| i)
        .collect();
    for c in out
        .dates
        .iter_mut()
        .chain(&mut out.senders)
        .chain(&mut out.recipients)
        .chain(&mut out.equipment)
    {
        if let Some(start) = c.start {
            c.page = Some(1 + breaks.partition_point(|&b| b < start));
        }
    }
}

/// Suggestions for one document (builds an [`Extractor`]; prefer one `Extractor` per cache).
pub fn suggest(doc: &Document, gazetteer: &Gazetteer) -> Suggestions {
    Extractor::new(gazetteer).suggest(doc)
}
