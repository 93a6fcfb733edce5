//! Indexed full-text search over a cache, with a small query language.
//!
//! The index (tantivy) lives OUTSIDE the cache folder, under the user's cache directory
//! ([`default_index_dir`]), and is keyed by file hashes: a manifest of `id → sha256` is compared
//! with the cache on every open, so an unchanged cache reopens without re-indexing, a changed file
//! re-indexes only its records, and removed records are deleted. A schema version file (and the
//! gazetteer's fingerprint, since equipment names come from it) forces a full rebuild.
//!
//! # Fields
//!
//! Text fields are analysed with the `folded` analyzer (words; lower case, Cyrillic → Latin and
//! diacritics removed as [`crate::fold::fold`] does: `Гроза` = `groza` = `GROZA`). Records with
//! any non-ASCII letter are also indexed with the `exact` analyzer (words, lower case only) in
//! `*_exact` twins; for all-ASCII records both analyzers give the same words, so exact queries
//! ([`SearchOptions::exact`]) read their folded fields. `equipment` holds the gazetteer's canonical
//! names whose name or alias occurs in the title or text (whole words, folded, as the suggestions
//! match them); `sender` also holds the sender's canonical organisation; `date` holds the span
//! (first and last day) of the record's date (its metadata date, else the first date in the text),
//! so partial dates (`2019`, `2019-03`) filter correctly.
//!
//! The review (`status:`, `tag:`, and the analyst's own `sender:`, `recipient:`, `equipment:`,
//! `date:` values) is NOT in the index: it changes with every keystroke of the analyst. It is kept
//! in memory ([`SearchIndex::update_review`], [`SearchIndex::set_session`]) and each session filter
//! becomes a set of document ids combined with the indexed part of the query, so `OR`, `NOT` and
//! parentheses work across both. `sender:`, `recipient:`, `equipment:` and `date:` match the
//! record's own value OR the analyst's value.
//!
//! # Query syntax
//!
//! | syntax | meaning |
//! |---|---|
//! | `groza minsk` | both words (default AND), in title, text, sender, recipient (or canonical equipment name, unless exact) |
//! | `"export passport"` | the phrase |
//! | `groza AND minsk`, `groza OR гроза`, `NOT memo`, `-memo` | boolean operators (upper-case `AND`/`OR`/`NOT`) |
//! | `(a OR b) c` | grouping; `OR` binds tighter than `AND`: `a b OR c` is `a AND (b OR c)` |
//! | `modern*` | words starting with `modern` |
//! | `grozza~`, `grozza~2` | words within 1 (default) or 2 edits |
//! | `sender:saea`, `recipient:"ministry of defence"` | the record's (or the analyst's) sender / recipient |
//! | `kind:invoice`, `title:groza`, `text:groza`, `path:letters` | the record's kind, title, text, file path |
//! | `parent:mail/x.eml`, `in:archive/bundle.zip` | members directly in a container, or inside it at any depth |
//! | `id:dn-2022-003`, `id:letters/*` | the document id, exact (as the list shows it) or by prefix; a bare word that is an id finds its document too |
//! | `equipment:groza` | canonical equipment names found in the text, or tagged by the analyst |
//! | `tag:urgent`, `status:key` | the analyst's tags and status (`unreviewed`, `relevant`, `irrelevant`, `key`) |
//! | `date:2019`, `date:2019-03`, `date:2019..2020`, `date:2019-03..`, `date:..2020-06-30` | the record's date lies within the range (a record dated only `2019` does not match `date:2019-03`) |
//! | `sender:(saea OR bsw)` | a field applies to a whole group |
//!
//! Folding (Cyrillic ↔ Latin, case, diacritics) is on by default; [`SearchOptions::exact`] turns
//! transliteration and diacritic folding off (matching stays case-insensitive).
//!
//! # Files
//!
//! `query.rs` parses the query language; `compile.rs` turns its tree into a tantivy query;
//! `schema.rs` says what the index holds and how a record becomes an index document;
//! `store.rs` keeps the index folder and its manifest up to date; `facets.rs` holds the review
//! in memory; `snippets.rs` makes the hits' passages; `analyzer.rs` the folding tokenizer.

mod analyzer;
mod compile;
mod facets;
mod query;
mod schema;
mod snippets;
mod store;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::{DocId, Searcher, SegmentReader};

use crate::session::{DocReview, Session};
use facets::{Analyzers, Facets};
use schema::Fields;
pub use store::{BuildProgress, BuildStats, INDEX_SCHEMA_VERSION, default_index_dir};

/// Why the index could not be built or a query not run.
#[derive(thiserror::Error, Debug)]
pub enum SearchError {
    /// The query cannot mean anything (a malformed date, an unknown status).
    #[error("bad query: {0}")]
    Query(String),
    /// The index folder would be inside the cache folder, which is never written.
    #[error("refusing to keep the search index inside the cache folder: {}", .0.display())]
    InsideCache(PathBuf),
    /// The index folder holds files that are not a doctriage index; nothing is deleted.
    #[error("the folder holds files that are not a doctriage search index: {}", .0.display())]
    NotAnIndex(PathBuf),
    /// Reading or writing the index folder failed.
    #[error("cannot use the search index folder ({source}): {}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The search engine failed.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The cancel flag was set during a build; nothing was committed.
    #[error("indexing cancelled")]
    Cancelled,
}

/// How to run a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchOptions {
    /// Exact matching: no Cyrillic ↔ Latin transliteration, no diacritic folding (still case-insensitive).
    pub exact: bool,
    /// At most this many hits (with snippets) are returned; [`SearchResults::total`] counts all.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            exact: false,
            limit: 50,
        }
    }
}

/// One matching document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// The document's id.
    pub doc_id: String,
    /// Its path in the cache (a member's: `<container>!/<member>`).
    pub path: String,
    /// Its title.
    pub title: String,
    /// Relevance (BM25; higher is better).
    pub score: f32,
    /// A passage of the document's text around the best matches (whitespace shown as spaces).
    pub snippet: String,
    /// Matched words in `snippet`: char ranges (start inclusive, end exclusive).
    pub highlights: Vec<(usize, usize)>,
    /// Char offset of the snippet's first char in the document's text (add it to a highlight to
    /// get document offsets).
    pub snippet_start: usize,
}

/// The answer to a query.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// The best `limit` of them, best first.
    pub hits: Vec<Hit>,
}

/// Where each indexed document stands in an order of document ids (segment → document →
/// position, `u32::MAX` for none): see [`SearchIndex::positions`].
#[derive(Clone, Debug, Default)]
pub struct Positions {
    table: Vec<Vec<u32>>,
}

/// True when the matches of `query` depend on the analyst's review (`status:`, `tag:`, or a
/// `sender:`, `recipient:`, `equipment:` or `date:` filter, which also match the analyst's
/// values). A query that does not parse is answered `false`.
pub fn query_uses_review(query: &str) -> bool {
    query::parse(query).is_ok_and(|n| n.uses_review())
}

/// What is wrong with a query that still runs (it parses leniently, so the filter bar never
/// fails while the analyst types): an unknown field, unbalanced parentheses, an unclosed quote.
pub fn query_problems(query: &str) -> Vec<String> {
    query::problems(query)
}

/// The words and phrases of `query` that match a record's title or text (not negated), for
/// highlighting: `groza "export passport" -memo sender:x modern*` gives `groza`,
/// `export passport`, `modern`. A query that does not parse gives its plain words (no
/// `field:value`, operator or `-word`).
pub fn query_text_terms(query: &str) -> Vec<String> {
    match query::parse(query) {
        Ok(node) => {
            let mut out = Vec::new();
            node.text_terms(false, &mut out);
            out
        }
        Err(_) => query
            .split_whitespace()
            .filter(|w| !w.contains(':') && !w.starts_with('-'))
            .filter(|w| !matches!(*w, "AND" | "OR" | "NOT"))
            .map(|w| {
                let w = w.split('~').next().unwrap_or_default();
                w.trim_matches(|c: char| matches!(c, '"' | '(' | ')' | '*'))
                    .to_owned()
            })
            .filter(|w| !w.is_empty())
            .collect(),
    }
}

/// A full-text index over one cache, plus the session's review in memory.
pub struct SearchIndex {
    searcher: Searcher,
    fields: Fields,
    analyzers: Analyzers,
    /// Document id of every (segment, doc) of the searcher.
    ids: Vec<Vec<Arc<str>>>,
    /// (segment ord, doc) of every live document, by id.
    addr: HashMap<Arc<str>, (u32, DocId)>,
    facets: Facets,
    dir: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("documents", &self.num_docs())
            .finish()
    }
}

impl SearchIndex {
    /// The folder the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of indexed documents.
    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Replaces the review data (`status:`, `tag:`, the analyst's values) with a session's.
    pub fn set_session(&mut self, session: Option<&Session>) {
        let addr = &self.addr;
        self.facets = Facets::from_session(&self.analyzers, session, &|id| addr.get(id).copied());
    }

    /// Updates one document's review data after an edit (`None`: the review was removed).
    /// Merged entity names are not followed here; call [`SearchIndex::set_session`] after a merge.
    pub fn update_review(&mut self, doc_id: &str, review: Option<&DocReview>) {
        let addr = self.addr.get(doc_id).copied();
        self.facets
            .update(&self.analyzers, doc_id, review, None, addr);
    }

    /// The `id:` values of `query` that name no indexed document (a prefix `id:x*` that no id
    /// starts with included), for the filter bar to say so.
    pub fn unknown_ids(&self, query: &str) -> Vec<String> {
        let Ok(node) = query::parse(query) else {
            return Vec::new();
        };
        let mut values = Vec::new();
        query::id_values(&node, &mut values);
        values
            .into_iter()
            .filter(|v| match v.strip_suffix('*') {
                Some(p) => !self.addr.keys().any(|id| id.starts_with(p)),
                None => !self.addr.contains_key(v.as_str()),
            })
            .collect()
    }

    /// What the analyst should know about a query that still runs: [`query_problems`] and the
    /// `id:` values no document has.
    pub fn query_notes(&self, query: &str) -> Vec<String> {
        let mut notes = query_problems(query);
        for id in self.unknown_ids(query) {
            notes.push(match id.strip_suffix('*') {
                Some(p) => format!("no document id starts with {p}"),
                None => format!("no document has the id {id}"),
            });
        }
        notes
    }

    /// Runs a query: the total number of matches and the best `opts.limit` hits with snippets.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults, SearchError> {
        let (q, hl) = self.parse_and_compile(query, opts.exact)?;
        let limit = opts.limit.max(1);
        let (total, top) = self
            .searcher
            .search(&*q, &(Count, TopDocs::with_limit(limit).order_by_score()))?;
        if opts.limit == 0 || top.is_empty() {
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
            });
        }
        let hits = self.hits(top, &hl, opts.exact)?;
        Ok(SearchResults { total, hits })
    }

    /// The ids of every matching document (no ranking, no snippets): the window's filter.
    pub fn matching_ids(
        &self,
        query: &str,
        opts: &SearchOptions,
    ) -> Result<HashSet<String>, SearchError> {
        let (q, _) = self.parse_and_compile(query, opts.exact)?;
        let found = self.searcher.search(&*q, &DocsCollector)?;
        let mut out = HashSet::with_capacity(found.iter().map(|(_, d)| d.len()).sum());
        for (seg, docs) in found {
            if let Some(ids) = self.ids.get(seg as usize) {
                out.extend(
                    docs.into_iter()
                        .filter_map(|d| ids.get(d as usize))
                        .map(|id| id.to_string()),
                );
            }
        }
        Ok(out)
    }

    /// Where each indexed document stands in `order` (for example the cache's documents), for
    /// [`SearchIndex::matching_mask`]. Build it once per index and order.
    pub fn positions<'a>(&self, order: impl IntoIterator<Item = &'a str>) -> Positions {
        let mut table: Vec<Vec<u32>> = self.ids.iter().map(|s| vec![u32::MAX; s.len()]).collect();
        for (i, id) in order.into_iter().enumerate() {
            if let (Some(&(seg, doc)), Ok(i)) = (self.addr.get(id), u32::try_from(i))
                && let Some(slot) = table
                    .get_mut(seg as usize)
                    .and_then(|s| s.get_mut(doc as usize))
            {
                *slot = i;
            }
        }
        Positions { table }
    }

    /// Which documents of an order match (`mask[i]` for the i-th of the order given to
    /// [`SearchIndex::positions`]): [`SearchIndex::matching_ids`] without building strings,
    /// for the window's list of 100,000 documents.
    pub fn matching_mask(
        &self,
        query: &str,
        opts: &SearchOptions,
        positions: &Positions,
        len: usize,
    ) -> Result<Vec<bool>, SearchError> {
        let (q, _) = self.parse_and_compile(query, opts.exact)?;
        let found = self.searcher.search(&*q, &DocsCollector)?;
        let mut mask = vec![false; len];
        for (seg, docs) in found {
            let Some(table) = positions.table.get(seg as usize) else {
                continue;
            };
            for d in docs {
                if let Some(slot) = table
                    .get(d as usize)
                    .and_then(|&p| mask.get_mut(p as usize))
                {
                    *slot = true;
                }
            }
        }
        Ok(mask)
    }

    fn id_of(&self, a: tantivy::DocAddress) -> Option<String> {
        self.ids
            .get(a.segment_ord as usize)?
            .get(a.doc_id as usize)
            .map(|s| s.to_string())
    }
}

/// Collects every matching document, per segment, without scores.
struct DocsCollector;

/// [`DocsCollector`] of one segment.
struct SegmentDocs(u32, Vec<DocId>);

impl Collector for DocsCollector {
    type Fruit = Vec<(u32, Vec<DocId>)>;
    type Child = SegmentDocs;

    fn for_segment(&self, segment: u32, _: &SegmentReader) -> tantivy::Result<SegmentDocs> {
        Ok(SegmentDocs(segment, Vec::new()))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(u32, Vec<DocId>)>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentDocs {
    type Fruit = (u32, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _: f32) {
        self.1.push(doc);
    }

    fn harvest(self) -> (u32, Vec<DocId>) {
        (self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_terms_of_a_query_leave_out_fields_and_negations() {
        assert_eq!(
            query_text_terms(r#"groza "export passport" -memo sender:x modern*"#),
            ["groza", "export passport", "modern"]
        );
    }

    #[test]
    fn text_terms_of_a_malformed_query_are_its_plain_words() {
        // An unknown status does not parse.
        let q = "groza~2 (minsk status:nonsense AND -memo \"open*";
        assert!(query::parse(q).is_err());
        assert_eq!(query_text_terms(q), ["groza", "minsk", "open"]);
    }

    #[test]
    fn review_filters_are_told_apart() {
        assert!(query_uses_review("groza status:key"));
        assert!(query_uses_review("NOT tag:urgent"));
        assert!(query_uses_review("sender:saea"));
        assert!(!query_uses_review("groza kind:invoice"));
        assert!(!query_uses_review("status:nonsense"));
    }
}
