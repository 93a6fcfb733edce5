//! The document filter: free text over title and body (case- and script-insensitive), and facets
//! (kind, status, sender, equipment, tag, date range, linked, has suggestions, duplicate), each
//! value with its count; and the sort order of the list.
//!
//! Everything here is plain functions over the cache and the session ([`text_mask`],
//! [`evaluate`], [`sort_indices`], [`facet_display`]), so the command line and tests can call
//! them without a window. The window's filter bar (`crate::gui::filter`) draws a [`Filter`] and
//! calls these only when the filter, the sort, the session or the data change.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::fold::fold;
use crate::model::{Cache, Document, PartialDate, Suggestions};
use crate::session::{DocReview, Session, Status};

/// What the filter needs of each document, computed once when it is loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// `fold(title + "\n" + text)`: the haystack of the free-text filter.
    pub folded: String,
    /// The stated metadata date, parsed (partial dates allowed).
    pub meta_date: Option<PartialDate>,
}

/// Computes a document's [`DocMeta`].
pub fn doc_meta(doc: &Document) -> DocMeta {
    let mut haystack = String::with_capacity(doc.title.len() + doc.text.len() + 1);
    haystack.push_str(&doc.title);
    haystack.push('\n');
    haystack.push_str(&doc.text);
    DocMeta {
        folded: fold(&haystack),
        meta_date: doc.date.as_deref().and_then(crate::extract::parse_date),
    }
}

/// A tri-state facet: no constraint, only yes, only no.
pub type Tri = Option<bool>;

/// The filter the analyst set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// The query of the filter bar, in the language of `doctriage search` (words, phrases,
    /// AND / OR / NOT, prefix and fuzzy words, field filters), run on the search index.
    pub text: String,
    /// Exact matching: no Cyrillic ↔ Latin or diacritic folding (still case-insensitive).
    pub exact: bool,
    /// Kinds (any of).
    pub kinds: BTreeSet<String>,
    /// Statuses (any of).
    pub statuses: BTreeSet<Status>,
    /// Senders (any of): stated sender or accepted senders.
    pub senders: BTreeSet<String>,
    /// Equipment (any of): accepted or suggested.
    pub equipment: BTreeSet<String>,
    /// Tags (any of).
    pub tags: BTreeSet<String>,
    /// Earliest date, `YYYY[-MM[-DD]]` (empty: no bound).
    pub date_from: String,
    /// Latest date, `YYYY[-MM[-DD]]` (empty: no bound).
    pub date_to: String,
    /// Linked to a statement (yes) or not (no).
    pub linked: Tri,
    /// Has suggestions (yes) or none (no).
    pub has_suggestions: Tri,
    /// Is a duplicate of another file (yes) or not (no).
    pub duplicate: Tri,
}

impl Filter {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Number of facets with a constraint (the free text not counted).
    pub fn active_facets(&self) -> usize {
        [
            !self.kinds.is_empty(),
            !self.statuses.is_empty(),
            !self.senders.is_empty(),
            !self.equipment.is_empty(),
            !self.tags.is_empty(),
            !self.date_from.trim().is_empty() || !self.date_to.trim().is_empty(),
            self.linked.is_some(),
            self.has_suggestions.is_some(),
            self.duplicate.is_some(),
        ]
        .into_iter()
        .filter(|b| *b)
        .count()
    }

    /// True when which documents pass depends on the session (status, accepted values, links,
    /// accepted dates); a free-text, kind, suggestion or duplicate filter does not.
    pub fn depends_on_session(&self) -> bool {
        crate::search::query_uses_review(&self.text)
            || !self.statuses.is_empty()
            || !self.senders.is_empty()
            || !self.equipment.is_empty()
            || !self.tags.is_empty()
            || !self.date_from.trim().is_empty()
            || !self.date_to.trim().is_empty()
            || self.linked.is_some()
    }

    /// The parsed date range bounds (first day, last day), or the message for a bad bound.
    pub fn date_range(
        &self,
    ) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), String> {
        let parse = |s: &str, what: &str| -> Result<Option<PartialDate>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            PartialDate::parse_iso(s)
                .map(Some)
                .ok_or_else(|| format!("{what}: not a date (YYYY, YYYY-MM or YYYY-MM-DD): {s}"))
        };
        let from = parse(&self.date_from, "From")?.map(|d| d.span().0);
        let to = parse(&self.date_to, "To")?.map(|d| d.span().1);
        Ok((from, to))
    }
}

/// The column the list is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortKey {
    /// Cache order (path, then record).
    #[default]
    Path,
    /// Review status.
    Status,
    /// Kind.
    Kind,
    /// Accepted date, else the stated date.
    Date,
    /// First accepted sender, else the stated sender.
    Sender,
    /// Title.
    Title,
    /// Tags.
    Tags,
    /// Number of links.
    Links,
}

impl SortKey {
    /// True when the order depends on the session (status, accepted date or sender, tags, links).
    pub fn depends_on_session(self) -> bool {
        matches!(
            self,
            Self::Status | Self::Date | Self::Sender | Self::Tags | Self::Links
        )
    }
}

/// The data a filter runs over.
#[derive(Clone, Copy)]
pub struct FilterInput<'a> {
    /// The cache.
    pub cache: &'a Cache,
    /// The session.
    pub session: &'a Session,
    /// One [`DocMeta`] per document, in cache order.
    pub metas: &'a [DocMeta],
    /// Suggestions computed so far, by document id.
    pub suggestions: &'a HashMap<String, Suggestions>,
}

/// Counts per facet value, over the documents that pass every *other* facet (the usual drill-down).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetCounts {
    /// Per kind.
    pub kinds: BTreeMap<String, usize>,
    /// Per status.
    pub statuses: BTreeMap<Status, usize>,
    /// Per sender.
    pub senders: BTreeMap<String, usize>,
    /// Per equipment.
    pub equipment: BTreeMap<String, usize>,
    /// Per tag.
    pub tags: BTreeMap<String, usize>,
    /// (linked, unlinked).
    pub linked: (usize, usize),
    /// (with suggestions, without).
    pub has_suggestions: (usize, usize),
    /// (duplicates, originals).
    pub duplicate: (usize, usize),
}

const F_TEXT: u16 = 1;
const F_KIND: u16 = 1 << 1;
const F_STATUS: u16 = 1 << 2;
const F_SENDER: u16 = 1 << 3;
const F_EQUIPMENT: u16 = 1 << 4;
const F_TAG: u16 = 1 << 5;
const F_DATE: u16 = 1 << 6;
const F_LINKED: u16 = 1 << 7;
const F_SUGGEST: u16 = 1 << 8;
const F_DUP: u16 = 1 << 9;

/// The folded words and phrases of a filter query that match title or text (see
/// [`crate::search::query_text_terms`]; each folded on its own, so `Groza-S` stays one phrase
/// `groza s`): what the viewer highlights, and what the list matches by substring while the
/// search index is not ready.
pub fn query_terms(text: &str) -> Vec<String> {
    crate::search::query_text_terms(text)
        .iter()
        .map(|t| fold(t))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Which documents match the free text (`None` when the text is empty: all match).
pub fn text_mask(metas: &[DocMeta], text: &str) -> Option<Vec<bool>> {
    let terms = query_terms(text);
    if terms.is_empty() {
        return None;
    }
    Some(
        metas
            .iter()
            .map(|m| terms.iter().all(|t| m.folded.contains(t.as_str())))
            .collect(),
    )
}

/// The accepted date of a document, else its stated date.
pub fn effective_date(review: Option<&DocReview>, meta: Option<&DocMeta>) -> Option<PartialDate> {
    review
        .and_then(|r| r.date)
        .or_else(|| meta.and_then(|m| m.meta_date))
}

/// The senders a document is filtered by: its stated sender and the accepted ones (canonical).
pub fn doc_senders(doc: &Document, session: &Session) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(s) = doc
        .sender
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        out.push(s.to_owned());
    }
    if let Some(r) = session.review(&doc.id) {
        for s in &r.senders {
            let c = session.canonical(s).to_owned();
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// The equipment a document is filtered by: accepted (canonical) and suggested.
pub fn doc_equipment(
    doc: &Document,
    session: &Session,
    suggestions: Option<&Suggestions>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(r) = session.review(&doc.id) {
        for s in &r.equipment {
            let c = session.canonical(s).to_owned();
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    for c in suggestions
        .map(|s| s.equipment.as_slice())
        .unwrap_or_default()
    {
        if !out.contains(&c.value) {
            out.push(c.value.clone());
        }
    }
    out
}

/// The sender shown in the list: the first accepted sender, else the stated one.
pub fn display_sender<'a>(doc: &'a Document, review: Option<&'a DocReview>) -> Option<&'a str> {
    review
        .and_then(|r| r.senders.first().map(String::as_str))
        .or(doc.sender.as_deref())
}

fn tri_ok(want: Tri, have: bool) -> bool {
    want.is_none_or(|w| w == have)
}

/// Filters the documents: returns the matching indices (cache order) and the facet counts.
///
/// `mask` is the result of [`text_mask`] for `filter.text` (pass it in so the window can keep
/// it while only the session changes). A bad date bound is ignored (the filter bar shows it).
pub fn evaluate(
    input: FilterInput<'_>,
    filter: &Filter,
    mask: Option<&[bool]>,
) -> (Vec<usize>, FacetCounts) {
    evaluate_with(input, filter, mask, true)
}

/// [`evaluate`], counting the facet values only when `with_counts` (counting every sender of a
/// big cache costs more than filtering it; the window counts only while the facets are shown).
pub fn evaluate_with(
    input: FilterInput<'_>,
    filter: &Filter,
    mask: Option<&[bool]>,
    with_counts: bool,
) -> (Vec<usize>, FacetCounts) {
    let FilterInput {
        cache,
        session,
        metas,
        suggestions,
    } = input;
    let (from, to) = filter.date_range().unwrap_or((None, None));
    let mut indices = Vec::new();
    // Counted by reference while scanning; owned once at the end.
    let mut kinds: HashMap<&str, usize> = HashMap::new();
    let mut statuses: BTreeMap<Status, usize> = BTreeMap::new();
    let mut senders_n: HashMap<&str, usize> = HashMap::new();
    let mut equipment_n: HashMap<&str, usize> = HashMap::new();
    let mut tags_n: HashMap<&str, usize> = HashMap::new();
    let mut counts = FacetCounts::default();
    let mut senders: Vec<&str> = Vec::new();
    let mut equipment: Vec<&str> = Vec::new();
    // Look up only what the filter (or the counting) asks for: at 100,000 documents each
    // lookup per document costs milliseconds.
    let need_senders = with_counts || !filter.senders.is_empty();
    let need_equipment = with_counts || !filter.equipment.is_empty();
    let need_review = need_senders
        || need_equipment
        || !filter.statuses.is_empty()
        || !filter.tags.is_empty()
        || from.is_some()
        || to.is_some()
        || filter.linked.is_some();
    let need_sugg = need_equipment || filter.has_suggestions.is_some();
    for (i, doc) in cache.documents.iter().enumerate() {
        let text_fails = mask.is_some_and(|m| !m.get(i).copied().unwrap_or(false));
        if text_fails && !with_counts {
            continue;
        }
        let review = if need_review {
            session.review(&doc.id)
        } else {
            None
        };
        let meta = metas.get(i);
        let status = review.map(|r| r.status).unwrap_or_default();
        let sugg = if need_sugg {
            suggestions.get(&doc.id)
        } else {
            None
        };
        senders.clear();
        if need_senders {
            if let Some(s) = doc
                .sender
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                senders.push(s);
            }
            for s in review.map(|r| r.senders.as_slice()).unwrap_or_default() {
                let c = session.canonical(s);
                if !senders.contains(&c) {
                    senders.push(c);
                }
            }
        }
        equipment.clear();
        if need_equipment {
            for s in review.map(|r| r.equipment.as_slice()).unwrap_or_default() {
                let c = session.canonical(s);
                if !equipment.contains(&c) {
                    equipment.push(c);
                }
            }
            for c in sugg.map(|s| s.equipment.as_slice()).unwrap_or_default() {
                if !equipment.contains(&c.value.as_str()) {
                    equipment.push(&c.value);
                }
            }
        }
        let tags: &[String] = review.map(|r| r.tags.as_slice()).unwrap_or_default();
        let linked = review.is_some_and(|r| !r.links.is_empty());
        let has_sugg = sugg.is_some_and(|s| !s.is_empty());
        let dup = doc.duplicate_of.is_some();

        let mut fails = 0u16;
        if text_fails {
            fails |= F_TEXT;
        }
        if !filter.kinds.is_empty() && !filter.kinds.contains(&doc.kind) {
            fails |= F_KIND;
        }
        if !filter.statuses.is_empty() && !filter.statuses.contains(&status) {
            fails |= F_STATUS;
        }
        if !filter.senders.is_empty() && !senders.iter().any(|s| filter.senders.contains(*s)) {
            fails |= F_SENDER;
        }
        if !filter.equipment.is_empty() && !equipment.iter().any(|s| filter.equipment.contains(*s))
        {
            fails |= F_EQUIPMENT;
        }
        if !filter.tags.is_empty() && !tags.iter().any(|s| filter.tags.contains(s)) {
            fails |= F_TAG;
        }
        if from.is_some() || to.is_some() {
            let ok = effective_date(review, meta).is_some_and(|d| {
                let (first, last) = d.span();
                from.is_none_or(|f| last >= f) && to.is_none_or(|t| first <= t)
            });
            if !ok {
                fails |= F_DATE;
            }
        }
        if !tri_ok(filter.linked, linked) {
            fails |= F_LINKED;
        }
        if !tri_ok(filter.has_suggestions, has_sugg) {
            fails |= F_SUGGEST;
        }
        if !tri_ok(filter.duplicate, dup) {
            fails |= F_DUP;
        }
        if fails == 0 {
            indices.push(i);
        }
        if !with_counts {
            continue;
        }
        // Count this document for facet F when it passes every facet other than F.
        let counts_for = |f: u16| fails & !f == 0;
        if counts_for(F_KIND) {
            *kinds.entry(doc.kind.as_str()).or_default() += 1;
        }
        if counts_for(F_STATUS) {
            *statuses.entry(status).or_default() += 1;
        }
        if counts_for(F_SENDER) {
            for s in &senders {
                *senders_n.entry(s).or_default() += 1;
            }
        }
        if counts_for(F_EQUIPMENT) {
            for s in &equipment {
                *equipment_n.entry(s).or_default() += 1;
            }
        }
        if counts_for(F_TAG) {
            for s in tags {
                *tags_n.entry(s.as_str()).or_default() += 1;
            }
        }
        let bump =
            |pair: &mut (usize, usize), yes: bool| if yes { pair.0 += 1 } else { pair.1 += 1 };
        if counts_for(F_LINKED) {
            bump(&mut counts.linked, linked);
        }
        if counts_for(F_SUGGEST) {
            bump(&mut counts.has_suggestions, has_sugg);
        }
        if counts_for(F_DUP) {
            bump(&mut counts.duplicate, dup);
        }
    }
    let owned = |m: HashMap<&str, usize>| -> BTreeMap<String, usize> {
        m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    };
    counts.kinds = owned(kinds);
    counts.statuses = statuses;
    counts.senders = owned(senders_n);
    counts.equipment = owned(equipment_n);
    counts.tags = owned(tags_n);
    (indices, counts)
}

/// Sorts filtered indices by a column (stable: ties keep cache order).
pub fn sort_indices(indices: &mut [usize], input: FilterInput<'_>, key: SortKey, ascending: bool) {
    let FilterInput {
        cache,
        session,
        metas,
        ..
    } = input;
    let docs = &cache.documents;
    let review = |i: usize| docs.get(i).and_then(|d| session.review(&d.id));
    match key {
        SortKey::Path => indices.sort_unstable(),
        SortKey::Status => {
            indices.sort_by_key(|&i| (review(i).map(|r| r.status).unwrap_or_default(), i))
        }
        SortKey::Kind => indices.sort_by_cached_key(|&i| (docs.get(i).map(|d| d.kind.clone()), i)),
        SortKey::Date => indices.sort_by_cached_key(|&i| {
            let d = effective_date(review(i), metas.get(i));
            // Undated documents last.
            (d.is_none(), d, i)
        }),
        SortKey::Sender => indices.sort_by_cached_key(|&i| {
            let s = docs
                .get(i)
                .and_then(|d| display_sender(d, review(i)))
                .map(fold);
            (s.is_none(), s, i)
        }),
        SortKey::Title => indices.sort_by_cached_key(|&i| (docs.get(i).map(|d| fold(&d.title)), i)),
        SortKey::Tags => indices.sort_by_cached_key(|&i| {
            let t = review(i).map(|r| r.tags.join(",")).unwrap_or_default();
            (t.is_empty(), t, i)
        }),
        SortKey::Links => indices.sort_by_key(|&i| (review(i).map_or(0, |r| r.links.len()), i)),
    }
    if !ascending {
        indices.reverse();
    }
}

/// What the filter bar says about the search engine under the query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum EngineNote {
    /// The index answers the query; nothing to say.
    #[default]
    Ready,
    /// The index is being built: plain words match as substrings until it is ready.
    Building(String),
    /// The query cannot mean anything (a malformed date, an unknown status).
    QueryError(String),
    /// The index could not be opened or built: plain words match as substrings.
    Unavailable(String),
}

/// The query syntax, as the filter field's tooltip shows it.
pub const QUERY_HELP: &str = "\
groza minsk — both words, in title, text, sender or recipient
\"export passport\" — the phrase
groza OR гроза, NOT memo, -memo, (a OR b) c — boolean operators
modern* — words starting with modern; grozza~ — within one edit
sender:saea  recipient:\"ministry of defence\"  kind:invoice  title:…  text:…  path:letters
equipment:groza  tag:urgent  status:key (unreviewed, relevant, irrelevant, key)
date:2019  date:2019-03  date:2019..2020  date:2019-03..  date:..2020-06-30
Cyrillic ↔ Latin folding is on; Exact turns it off.";

/// How many values a facet shows (the most frequent; selected values always show).
pub const MAX_FACET_VALUES: usize = 40;

/// The values a facet shows: the selected ones, then the most frequent, at most [`MAX_FACET_VALUES`]
/// in all (ties by name), in name order; and how many were left out.
pub fn facet_display<T: Ord + Clone>(
    set: &BTreeSet<T>,
    values: &BTreeMap<T, usize>,
) -> (Vec<(T, usize)>, usize) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let room = MAX_FACET_VALUES.saturating_sub(set.len());
    // A min-heap of the `room` most frequent unselected values.
    let mut heap: BinaryHeap<Reverse<(usize, Reverse<&T>)>> = BinaryHeap::new();
    for (k, &n) in values {
        if set.contains(k) {
            continue;
        }
        heap.push(Reverse((n, Reverse(k))));
        if heap.len() > room {
            heap.pop();
        }
    }
    let mut shown: Vec<(T, usize)> = heap
        .into_iter()
        .map(|Reverse((n, Reverse(k)))| (k.clone(), n))
        .collect();
    for v in set {
        shown.push((v.clone(), values.get(v).copied().unwrap_or(0)));
    }
    shown.sort_by(|a, b| a.0.cmp(&b.0));
    let hidden =
        values.len() + set.iter().filter(|v| !values.contains_key(*v)).count() - shown.len();
    (shown, hidden)
}
