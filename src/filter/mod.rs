//! The document filter: free text over title and body (case- and script-insensitive), and facets
//! (kind, container, status, sender, equipment, tag, date range, linked, has suggestions, duplicate), each
//! value with its count; and the sort order of the list.
//!
//! Everything here is plain functions over the cache and the session
//! ([`text_mask`](crate::filter::text_mask), [`evaluate`](crate::filter::evaluate),
//! [`sort_indices`](crate::filter::sort_indices),
//! [`facet_display`](crate::filter::facet_display)), so the command line and tests can call them
//! without a window. The window's filter bar (`crate::gui::filter`) draws a
//! [`Filter`](crate::filter::Filter) and calls these only when the filter, the sort, the session
//! or the data change.

mod counts;
mod evaluate;
mod facets;
#[cfg(test)]
mod fixture;
mod sort;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::fold::fold;
use crate::model::{Cache, Document, PartialDate, Suggestions};
use crate::session::{DocReview, Session, Status};

pub use evaluate::{evaluate, evaluate_with};
pub use facets::{MAX_FACET_VALUES, facet_display};
pub use sort::sort_indices;

/// What the filter needs of each document, computed once when it is loaded (no copy of its
/// text: the free text runs on the search index).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// The stated metadata date, parsed (partial dates allowed).
    pub meta_date: Option<PartialDate>,
}

/// Computes a document's [`DocMeta`].
pub fn doc_meta(doc: &Document) -> DocMeta {
    DocMeta {
        meta_date: doc.date.as_deref().and_then(crate::extract::parse_date),
    }
}

/// A document's title and text folded, as the free-text fallback matches them.
fn folded_haystack(doc: &Document) -> String {
    let mut haystack = String::with_capacity(doc.title.len() + doc.text.len() + 1);
    haystack.push_str(&doc.title);
    haystack.push('\n');
    haystack.push_str(&doc.text);
    fold(&haystack)
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
    /// What holds the document (any of): `loose file`, `zip`, `mailbox`, `e-mail`, … (see
    /// [`crate::ingest::container_format`]).
    pub containers: BTreeSet<String>,
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
            !self.containers.is_empty(),
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
    /// Document id.
    Id,
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
    /// Per container format (what holds the document).
    pub containers: BTreeMap<String, usize>,
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
in:archive/bundle.zip — inside a container at any depth; parent:… — directly in it
equipment:groza  tag:urgent  status:key (unreviewed, relevant, irrelevant, key)
date:2019  date:2019-03  date:2019..2020  date:2019-03..  date:..2020-06-30
Cyrillic ↔ Latin folding is on; Exact turns it off.";

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

/// Which documents match the free text by substring of their folded title and text (`None`
/// when the text is empty: all match): the fallback while the search index is not ready, or
/// for a query it cannot run. Each document is folded as it is matched (in parallel), so the
/// list never holds a second copy of the text.
pub fn text_mask(documents: &[Document], text: &str) -> Option<Vec<bool>> {
    use rayon::prelude::*;
    let terms = query_terms(text);
    if terms.is_empty() {
        return None;
    }
    Some(
        documents
            .par_iter()
            .map(|d| {
                let haystack = folded_haystack(d);
                terms.iter().all(|t| haystack.contains(t.as_str()))
            })
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

#[cfg(test)]
mod tests {
    use super::fixture::{doc, fixture};
    use super::*;
    use crate::session::Command;

    #[test]
    fn the_haystack_folds_title_and_text_and_doc_meta_parses_the_stated_date() {
        let f = fixture();
        let folded = folded_haystack(&f.cache.documents[0]);
        assert!(folded.contains("delivery of the radar"), "{folded}");
        assert!(
            folded.contains("groza"),
            "Cyrillic folds to Latin: {folded}"
        );
        assert!(
            !folded.contains('\n'),
            "title and text are one folded haystack"
        );
        let a = &f.metas[0];
        assert_eq!(a.meta_date, PartialDate::ymd(2019, 3, 4));
        assert_eq!(f.metas[1].meta_date, Some(PartialDate::y(2020)));
        assert_eq!(f.metas[2].meta_date, None);

        let mut d = doc("x", "letter", "T", "body");
        d.date = Some("03/2019".into());
        assert_eq!(doc_meta(&d).meta_date, PartialDate::ym(2019, 3));
        d.date = Some("sometime".into());
        assert_eq!(doc_meta(&d).meta_date, None);
    }

    #[test]
    fn text_mask_matches_every_term_across_scripts_and_case() {
        let f = fixture();
        assert_eq!(
            text_mask(&f.cache.documents, ""),
            None,
            "no text: everything matches"
        );
        assert_eq!(text_mask(&f.cache.documents, "   "), None);
        let groza = Some(vec![true, false, true, false]);
        assert_eq!(text_mask(&f.cache.documents, "groza"), groza);
        assert_eq!(
            text_mask(&f.cache.documents, "ГРОЗА"),
            groza,
            "Cyrillic query, any case"
        );
        assert_eq!(
            text_mask(&f.cache.documents, "GROZA radar"),
            groza,
            "all words"
        );
        assert_eq!(
            text_mask(&f.cache.documents, "groza otpravlen"),
            Some(vec![true, false, false, false])
        );
        assert_eq!(
            text_mask(&f.cache.documents, "elka"),
            Some(vec![false, false, false, true]),
            "ё folds to e"
        );
        assert_eq!(
            text_mask(&f.cache.documents, "groza -memo"),
            groza,
            "a negated word is no term to match"
        );
        assert_eq!(
            text_mask(&f.cache.documents, "Groza-S"),
            Some(vec![false; 4]),
            "a hyphenated word is one phrase, not two words"
        );
    }

    #[test]
    fn query_terms_are_folded_text_terms() {
        assert_eq!(
            query_terms("Гроза \"Export  Passport\""),
            ["groza", "export passport"]
        );
        assert_eq!(query_terms("Groza-S"), ["groza s"]);
        assert!(query_terms("sender:saea -memo").is_empty());
    }

    #[test]
    fn filter_says_what_is_active_and_what_depends_on_the_session() {
        let mut filter = Filter::default();
        assert!(filter.is_empty());
        assert_eq!(filter.active_facets(), 0);
        assert!(!filter.depends_on_session());

        filter.text = "groza".into();
        assert!(!filter.is_empty());
        assert_eq!(filter.active_facets(), 0, "the text is no facet");
        assert!(!filter.depends_on_session());
        filter.text = "groza status:key".into();
        assert!(filter.depends_on_session(), "status: reads the review");

        let only = |f: fn(&mut Filter)| {
            let mut filter = Filter::default();
            f(&mut filter);
            (filter.active_facets(), filter.depends_on_session())
        };
        assert_eq!(
            only(|f| {
                f.kinds.insert("memo".into());
            }),
            (1, false)
        );
        assert_eq!(
            only(|f| {
                f.statuses.insert(Status::Key);
            }),
            (1, true)
        );
        assert_eq!(
            only(|f| {
                f.senders.insert("SAEA".into());
            }),
            (1, true)
        );
        assert_eq!(
            only(|f| {
                f.equipment.insert("Groza".into());
            }),
            (1, true)
        );
        assert_eq!(
            only(|f| {
                f.tags.insert("urgent".into());
            }),
            (1, true)
        );
        assert_eq!(only(|f| f.date_to = "2020".into()), (1, true));
        assert_eq!(only(|f| f.linked = Some(false)), (1, true));
        assert_eq!(only(|f| f.has_suggestions = Some(true)), (1, false));
        assert_eq!(only(|f| f.duplicate = Some(true)), (1, false));
        assert_eq!(only(|f| f.exact = true), (0, false));

        filter.date_from = "2019".into();
        filter.date_to = "2019-03".into();
        filter.duplicate = Some(false);
        assert_eq!(filter.active_facets(), 2, "a date range is one facet");
    }

    #[test]
    fn date_range_spans_partial_dates_and_names_a_bad_bound() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        let mut filter = Filter {
            date_from: " 2019 ".into(),
            date_to: "2020-02".into(),
            ..Filter::default()
        };
        assert_eq!(
            filter.date_range(),
            Ok((day(2019, 1, 1), day(2020, 2, 29))),
            "from the first day of 2019 to the last day of February 2020"
        );
        filter.date_from.clear();
        assert_eq!(filter.date_range(), Ok((None, day(2020, 2, 29))));
        filter.date_to = "2020-13".into();
        let err = filter.date_range().unwrap_err();
        assert!(err.starts_with("To:") && err.contains("2020-13"), "{err}");
    }

    #[test]
    fn sort_keys_that_depend_on_the_session() {
        let session_keys: Vec<SortKey> = [
            SortKey::Path,
            SortKey::Status,
            SortKey::Kind,
            SortKey::Date,
            SortKey::Sender,
            SortKey::Title,
            SortKey::Tags,
            SortKey::Links,
        ]
        .into_iter()
        .filter(|k| k.depends_on_session())
        .collect();
        assert_eq!(
            session_keys,
            [
                SortKey::Status,
                SortKey::Date,
                SortKey::Sender,
                SortKey::Tags,
                SortKey::Links
            ]
        );
    }

    #[test]
    fn senders_and_equipment_are_stated_accepted_and_suggested_after_merges() {
        let mut f = fixture();
        let docs = &f.cache.documents;
        assert_eq!(doc_senders(&docs[0], &f.session), ["SAEA"]);
        assert_eq!(doc_senders(&docs[1], &f.session), ["Min. of Defence"]);
        assert!(
            doc_senders(&docs[3], &f.session).is_empty(),
            "a blank stated sender is none"
        );
        assert_eq!(
            doc_equipment(&docs[1], &f.session, f.suggestions.get("b.txt")),
            ["Groza", "Groza-S"],
            "accepted first, then suggested"
        );
        assert!(doc_equipment(&docs[0], &f.session, None).is_empty());

        f.apply(Command::MergeEntity {
            from: "Min. of Defence".into(),
            into: "Ministry of Defence".into(),
        });
        f.apply(Command::MergeEntity {
            from: "Groza".into(),
            into: "Groza-S".into(),
        });
        let docs = &f.cache.documents;
        assert_eq!(doc_senders(&docs[1], &f.session), ["Ministry of Defence"]);
        assert_eq!(
            doc_equipment(&docs[1], &f.session, f.suggestions.get("b.txt")),
            ["Groza-S"],
            "a merged name and a suggestion of it are one value"
        );
    }

    #[test]
    fn the_accepted_date_and_sender_win_over_the_stated_ones() {
        let f = fixture();
        let (b, review) = (&f.cache.documents[1], f.session.review("b.txt"));
        assert_eq!(
            effective_date(review, f.metas.get(1)),
            PartialDate::ym(2018, 5)
        );
        assert_eq!(
            effective_date(None, f.metas.get(1)),
            Some(PartialDate::y(2020))
        );
        assert_eq!(effective_date(None, None), None);
        assert_eq!(display_sender(b, review), Some("Min. of Defence"));
        let a = &f.cache.documents[0];
        assert_eq!(display_sender(a, f.session.review("a.txt")), Some("SAEA"));
        assert_eq!(display_sender(&f.cache.documents[2], None), None);
    }
}
