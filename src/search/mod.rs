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
//! | `equipment:groza` | canonical equipment names found in the text, or tagged by the analyst |
//! | `tag:urgent`, `status:key` | the analyst's tags and status (`unreviewed`, `relevant`, `irrelevant`, `key`) |
//! | `date:2019`, `date:2019-03`, `date:2019..2020`, `date:2019-03..`, `date:..2020-06-30` | the record's date lies within the range (a record dated only `2019` does not match `date:2019-03`) |
//! | `sender:(saea OR bsw)` | a field applies to a whole group |
//!
//! Folding (Cyrillic ↔ Latin, case, diacritics) is on by default; [`SearchOptions::exact`] turns
//! transliteration and diacritic folding off (matching stays case-insensitive).

mod analyzer;
mod facets;
mod query;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, EmptyQuery, EmptyScorer,
    EnableScoring, Explanation, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value as _,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    BitSet, DocId, Index, IndexWriter, ReloadPolicy, Searcher, SegmentReader, TantivyDocument,
    Term as TTerm,
};

use crate::extract::Extractor;
use crate::model::{Cache, Document, PartialDate};
use crate::session::{DocReview, Session};
use facets::{Analyzers, Facets, IdSet};
use query::{DateRange, Node, QField, Term};

/// Version of the index layout; a different version in an index folder forces a rebuild.
pub const INDEX_SCHEMA_VERSION: &str = "doctriage.search/1";

const VERSION_FILE: &str = "VERSION";
const MANIFEST_FILE: &str = "manifest.json";
/// Most indexed words a prefix or fuzzy word is expanded to for highlighting.
const MAX_EXPANSIONS: usize = 256;
/// Snippet length in chars.
const SNIPPET_CHARS: usize = 180;
/// Most writer memory for a build (split between the indexing threads).
const WRITER_HEAP: usize = 192 * 1024 * 1024;
/// Least writer memory per indexing thread.
const MIN_HEAP_PER_THREAD: usize = 20 * 1024 * 1024;
/// Documents prepared (extraction + analysis input) per parallel batch.
const BATCH: usize = 512;

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

/// Progress reporting and cancelling of [`SearchIndex::open_or_build_with`].
#[derive(Default)]
pub struct BuildProgress<'a> {
    /// Called after each batch with (documents indexed so far, documents to index).
    pub report: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Set to `true` to stop the build between batches.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for BuildProgress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildProgress")
            .field("cancel", &self.cancel)
            .finish_non_exhaustive()
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_owned(),
        source,
    }
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

/// What [`SearchIndex::open_or_build`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BuildStats {
    /// Documents whose (id, sha256) were already indexed.
    pub reused: usize,
    /// Documents (re-)indexed now: new, or changed since they were indexed.
    pub indexed: usize,
    /// Documents deleted from the index because they are no longer in the cache.
    pub removed: usize,
    /// The index was rebuilt from nothing (new, another schema version or gazetteer, or damaged).
    pub rebuilt: bool,
}

/// The manifest kept beside the index: what it holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    schema: String,
    /// Changes on every commit; the index's commit payload must name the same generation.
    generation: u64,
    /// Fingerprint of the gazetteer the equipment names came from.
    gazetteer: String,
    /// `(id, sha256)` of every indexed document.
    documents: Vec<(String, String)>,
}

#[derive(Clone, Copy, Debug)]
struct Fields {
    id: Field,
    sha256: Field,
    path: Field,
    kind: Field,
    title: Field,
    title_x: Field,
    text: Field,
    text_x: Field,
    sender: Field,
    sender_x: Field,
    recipient: Field,
    recipient_x: Field,
    equipment: Field,
    equipment_x: Field,
    date_first: Field,
    date_last: Field,
    /// 1 when every indexed value of the record is ASCII: its exact tokens equal its folded
    /// tokens, so the `*_exact` fields are left empty and exact queries read the folded ones.
    ascii: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str, stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        sha256: b.add_text_field("sha256", STRING | STORED),
        path: b.add_text_field("path", text(analyzer::FOLDED, false)),
        kind: b.add_text_field("kind", text(analyzer::FOLDED, false)),
        title: b.add_text_field("title", text(analyzer::FOLDED, true)),
        title_x: b.add_text_field("title_exact", text(analyzer::EXACT, false)),
        text: b.add_text_field("text", text(analyzer::FOLDED, true)),
        text_x: b.add_text_field("text_exact", text(analyzer::EXACT, false)),
        sender: b.add_text_field("sender", text(analyzer::FOLDED, false)),
        sender_x: b.add_text_field("sender_exact", text(analyzer::EXACT, false)),
        recipient: b.add_text_field("recipient", text(analyzer::FOLDED, false)),
        recipient_x: b.add_text_field("recipient_exact", text(analyzer::EXACT, false)),
        equipment: b.add_text_field("equipment", text(analyzer::FOLDED, false)),
        equipment_x: b.add_text_field("equipment_exact", text(analyzer::EXACT, false)),
        date_first: b.add_i64_field("date_first", INDEXED | FAST),
        date_last: b.add_i64_field("date_last", INDEXED | FAST),
        ascii: b.add_u64_field("ascii", INDEXED),
    };
    (b.build(), f)
}

fn day_number(d: chrono::NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d))
}

/// Where the index of a cache is kept: `<user cache dir>/doctriage/index/<sha256 of the canonical
/// cache path>`, never inside the cache folder (falls back to the system temporary folder when
/// the user cache dir is unknown or would be inside the cache).
pub fn default_index_dir(cache_root: &Path) -> PathBuf {
    let root = canonical(cache_root);
    let key = crate::sha256_hex(root.to_string_lossy().as_bytes());
    let base = directories::ProjectDirs::from("", "", "doctriage")
        .map(|d| d.cache_dir().join("index"))
        .filter(|d| !canonical(d).starts_with(&root))
        .unwrap_or_else(|| std::env::temp_dir().join("doctriage-index"));
    base.join(key)
}

/// True when the matches of `query` depend on the analyst's review (`status:`, `tag:`, or a
/// `sender:`, `recipient:`, `equipment:` or `date:` filter, which also match the analyst's
/// values). A query that does not parse is answered `false`.
pub fn query_uses_review(query: &str) -> bool {
    query::parse(query).is_ok_and(|n| n.uses_review())
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

/// The canonical form of a path that may not exist yet (its nearest existing ancestor is resolved).
fn canonical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(c, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return abs,
        }
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

fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(analyzer::FOLDED, analyzer::folded());
    index
        .tokenizers()
        .register(analyzer::EXACT, analyzer::exact());
}

fn gazetteer_fingerprint(cache: &Cache) -> String {
    crate::sha256_hex(
        serde_json::to_string(&cache.gazetteer)
            .unwrap_or_default()
            .as_bytes(),
    )
}

/// Reads the manifest and checks it against the index folder; `None` when a rebuild is needed.
fn reusable(dir: &Path, gazetteer: &str) -> Option<(Index, Manifest)> {
    let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok()?;
    if version.trim() != INDEX_SCHEMA_VERSION {
        return None;
    }
    let bytes = std::fs::read(dir.join(MANIFEST_FILE)).ok()?;
    let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
    if manifest.schema != INDEX_SCHEMA_VERSION || manifest.gazetteer != gazetteer {
        return None;
    }
    let index = Index::open_in_dir(dir).ok()?;
    let payload = index.load_metas().ok()?.payload?;
    (payload == manifest.generation.to_string()).then_some((index, manifest))
}

/// Empties an index folder, refusing a folder that is not ours.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    let entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .filter_map(Result::ok)
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    if !dir.join(VERSION_FILE).is_file() {
        return Err(SearchError::NotAnIndex(dir.to_owned()));
    }
    for e in entries {
        let p = e.path();
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.map_err(io_err(&p))?;
    }
    Ok(())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SearchError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io_err(path))
}

fn new_generation(previous: u64) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    now.max(previous.saturating_add(1))
}

impl SearchIndex {
    /// Opens the index of `cache` kept in `index_dir`, bringing it up to date: documents whose
    /// (id, sha256) are unchanged are kept, changed ones re-indexed, removed ones deleted. `tags`
    /// is the session whose review `status:`, `tag:` (and the analyst's values) filter on.
    pub fn open_or_build(
        cache: &Cache,
        tags: Option<&Session>,
        index_dir: &Path,
    ) -> Result<(SearchIndex, BuildStats), SearchError> {
        Self::open_or_build_with(cache, tags, index_dir, &BuildProgress::default())
    }

    /// [`SearchIndex::open_or_build`] reporting progress and honouring a cancel flag (for a
    /// worker thread under a progress bar). A cancelled build commits nothing: the index on disk
    /// stays as it was and the next open resumes from it.
    pub fn open_or_build_with(
        cache: &Cache,
        tags: Option<&Session>,
        index_dir: &Path,
        progress: &BuildProgress<'_>,
    ) -> Result<(SearchIndex, BuildStats), SearchError> {
        let root = canonical(&cache.root);
        if canonical(index_dir).starts_with(&root) {
            return Err(SearchError::InsideCache(index_dir.to_owned()));
        }
        std::fs::create_dir_all(index_dir).map_err(io_err(index_dir))?;
        let gazetteer = gazetteer_fingerprint(cache);
        let (schema, fields) = schema();
        let mut stats = BuildStats::default();

        let (index, old) = match reusable(index_dir, &gazetteer) {
            Some((index, manifest)) if index.schema() == schema => (index, Some(manifest)),
            _ => {
                wipe(index_dir)?;
                std::fs::write(
                    index_dir.join(VERSION_FILE),
                    format!("{INDEX_SCHEMA_VERSION}\n"),
                )
                .map_err(io_err(index_dir))?;
                stats.rebuilt = true;
                (Index::create_in_dir(index_dir, schema)?, None)
            }
        };
        register_tokenizers(&index);

        // What changed since the manifest.
        let old_map: HashMap<&str, &str> = old
            .as_ref()
            .map(|m| {
                m.documents
                    .iter()
                    .map(|(i, s)| (i.as_str(), s.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let current: HashSet<&str> = cache.documents.iter().map(|d| d.id.as_str()).collect();
        let mut to_index: Vec<&Document> = Vec::new();
        for d in &cache.documents {
            match old_map.get(d.id.as_str()) {
                Some(s) if *s == d.sha256 => stats.reused += 1,
                _ => to_index.push(d),
            }
        }
        let gone: Vec<&str> = old_map
            .keys()
            .copied()
            .filter(|id| !current.contains(id))
            .collect();
        stats.removed += gone.len();
        stats.indexed = to_index.len();

        if !to_index.is_empty() || !gone.is_empty() || old.is_none() {
            // Memory follows the input: about as much as the text to index, within bounds
            // (tantivy needs at least 15 MB per indexing thread).
            let bytes: usize = to_index.iter().map(|d| d.text.len() + d.title.len()).sum();
            let threads = if to_index.len() > 2000 { 2 } else { 1 };
            let heap = bytes.clamp(threads * MIN_HEAP_PER_THREAD, WRITER_HEAP);
            let writer: IndexWriter = index.writer_with_num_threads(threads, heap)?;
            if old.is_some() {
                // Delete before adding, so an interrupted earlier update never leaves duplicates.
                for id in gone
                    .iter()
                    .copied()
                    .chain(to_index.iter().map(|d| d.id.as_str()))
                {
                    writer.delete_term(TTerm::from_field_text(fields.id, id));
                }
            }
            let prep = Prep::new(&cache.gazetteer, &to_index);
            let mut done = 0;
            for chunk in to_index.chunks(BATCH) {
                if progress
                    .cancel
                    .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
                {
                    return Err(SearchError::Cancelled);
                }
                let docs: Vec<TantivyDocument> = chunk
                    .par_iter()
                    .map(|d| prep.document(&fields, d))
                    .collect();
                for doc in docs {
                    writer.add_document(doc)?;
                }
                done += chunk.len();
                if let Some(report) = progress.report {
                    report(done, to_index.len());
                }
            }
            let manifest = Manifest {
                schema: INDEX_SCHEMA_VERSION.to_owned(),
                generation: new_generation(old.as_ref().map_or(0, |m| m.generation)),
                gazetteer,
                documents: cache
                    .documents
                    .iter()
                    .map(|d| (d.id.clone(), d.sha256.clone()))
                    .collect(),
            };
            let json = serde_json::to_vec(&manifest).map_err(|e| SearchError::Io {
                path: index_dir.join(MANIFEST_FILE),
                source: std::io::Error::other(e),
            })?;
            // The manifest is written first; the commit's payload names its generation, so a
            // crash between the two is detected on the next open (and forces a rebuild).
            write_atomic(&index_dir.join(MANIFEST_FILE), &json)?;
            let mut writer = writer;
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&manifest.generation.to_string());
            commit.commit()?;
            writer.wait_merging_threads()?;
        }

        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let ids = id_table(&searcher)?;
        let addr = live_addresses(&searcher, &ids);
        let analyzers = Analyzers::new();
        let facets = Facets::from_session(&analyzers, tags, &|id| addr.get(id).copied());
        Ok((
            SearchIndex {
                searcher,
                fields,
                analyzers,
                ids,
                addr,
                facets,
                dir: index_dir.to_owned(),
            },
            stats,
        ))
    }

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

    /// Runs a query: the total number of matches and the best `opts.limit` hits with snippets.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults, SearchError> {
        let node = query::parse(query).map_err(SearchError::Query)?;
        let mut hl = Highlight::default();
        let q = self.compile(&node, opts.exact, false, &mut hl);
        let limit = opts.limit.max(1);
        let (total, top) = self
            .searcher
            .search(&*q, &(Count, TopDocs::with_limit(limit).order_by_score()))?;
        let mut hits = Vec::new();
        if opts.limit == 0 || top.is_empty() {
            return Ok(SearchResults { total, hits });
        }
        let text_field = if opts.exact {
            self.fields.text_x
        } else {
            self.fields.text
        };
        let analyzer = self.analyzers.get(opts.exact).clone();
        // Rarer words weigh more in choosing the passage; prefixes and fuzzy words count as the
        // indexed words they stand for.
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        for t in &hl.terms {
            let df = self
                .searcher
                .doc_freq(&TTerm::from_field_text(self.fields.text, t))
                .unwrap_or(0);
            terms.insert(t.clone(), 1.0 / (1.0 + df as f32));
        }
        let expansion_fields: &[Field] = if opts.exact {
            &[self.fields.text, self.fields.text_x]
        } else {
            &[self.fields.text]
        };
        for t in self.expand(expansion_fields, &hl) {
            terms.entry(t).or_insert(0.5);
        }
        for (score, addr) in top {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let text = doc
                .get_first(self.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let doc_id = self.id_of(addr).unwrap_or_default();
            let (snippet, highlights, snippet_start) =
                make_snippet(text, &terms, &analyzer, text_field);
            hits.push(Hit {
                doc_id,
                score,
                snippet,
                highlights,
                snippet_start,
            });
        }
        Ok(SearchResults { total, hits })
    }

    /// The indexed words the query's prefixes and fuzzy words stand for (at most
    /// [`MAX_EXPANSIONS`] of them), read from the term dictionaries of `fields`.
    fn expand(&self, fields: &[Field], hl: &Highlight) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let queries = |field: Field| {
            let prefixes = hl.prefixes.iter().map(move |p| {
                FuzzyTermQuery::new_prefix(TTerm::from_field_text(field, p), 0, true)
            });
            let fuzzy = hl
                .fuzzy
                .iter()
                .map(move |(w, d)| FuzzyTermQuery::new(TTerm::from_field_text(field, w), *d, true));
            prefixes.chain(fuzzy)
        };
        for &field in fields {
            for q in queries(field) {
                for seg in self.searcher.segment_readers() {
                    let (Ok(dfa), Ok(inv)) = (q.automaton(), seg.inverted_index(field)) else {
                        continue;
                    };
                    let Ok(mut stream) = inv.terms().search(dfa).into_stream() else {
                        continue;
                    };
                    while out.len() < MAX_EXPANSIONS && stream.advance() {
                        out.insert(String::from_utf8_lossy(stream.key()).into_owned());
                    }
                }
            }
        }
        out
    }

    /// The ids of every matching document (no ranking, no snippets): the window's filter.
    pub fn matching_ids(
        &self,
        query: &str,
        opts: &SearchOptions,
    ) -> Result<HashSet<String>, SearchError> {
        let node = query::parse(query).map_err(SearchError::Query)?;
        let mut hl = Highlight::default();
        let q = self.compile(&node, opts.exact, false, &mut hl);
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
        let node = query::parse(query).map_err(SearchError::Query)?;
        let mut hl = Highlight::default();
        let q = self.compile(&node, opts.exact, false, &mut hl);
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

    /// Compiles a syntax tree into a tantivy query. `negated` tells leaves under a `NOT`, whose
    /// words are not highlighted.
    fn compile(
        &self,
        node: &Node,
        exact: bool,
        negated: bool,
        hl: &mut Highlight,
    ) -> Box<dyn Query> {
        match node {
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for n in items {
                    match n {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.compile(inner, exact, !negated, hl)))
                        }
                        _ => clauses.push((Occur::Must, self.compile(n, exact, negated, hl))),
                    }
                }
                must_with_all(clauses)
            }
            Node::Or(items) => {
                let clauses = items
                    .iter()
                    .map(|n| (Occur::Should, self.compile(n, exact, negated, hl)))
                    .collect();
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => must_with_all(vec![(
                Occur::MustNot,
                self.compile(inner, exact, !negated, hl),
            )]),
            Node::Leaf(field, term) => self.leaf(*field, term, exact, negated, hl),
        }
    }

    fn leaf(
        &self,
        field: Option<QField>,
        term: &Term,
        exact: bool,
        negated: bool,
        hl: &mut Highlight,
    ) -> Box<dyn Query> {
        let f = &self.fields;
        // (folded field, its exact twin, boost)
        let fields: Vec<(Field, Option<Field>, f32)> = match field {
            // Folded matching also finds the gazetteer's canonical equipment names of aliases
            // found in the text; exact matching looks at the record's own words only.
            None if exact => vec![
                (f.title, Some(f.title_x), 2.0),
                (f.text, Some(f.text_x), 1.0),
                (f.sender, Some(f.sender_x), 1.5),
                (f.recipient, Some(f.recipient_x), 1.5),
            ],
            None => vec![
                (f.title, None, 2.0),
                (f.text, None, 1.0),
                (f.sender, None, 1.5),
                (f.recipient, None, 1.5),
                (f.equipment, None, 1.5),
            ],
            Some(QField::Title) => vec![(f.title, Some(f.title_x), 1.0)],
            Some(QField::Text) => vec![(f.text, Some(f.text_x), 1.0)],
            Some(QField::Path) => vec![(f.path, None, 1.0)],
            Some(QField::Kind) => vec![(f.kind, None, 1.0)],
            Some(QField::Sender) => vec![(f.sender, Some(f.sender_x), 1.0)],
            Some(QField::Recipient) => vec![(f.recipient, Some(f.recipient_x), 1.0)],
            Some(QField::Equipment) => vec![(f.equipment, Some(f.equipment_x), 1.0)],
            Some(QField::Tag | QField::Status | QField::Date) => Vec::new(),
        };
        if !negated && matches!(field, None | Some(QField::Text)) {
            hl.add(self.analyzers.get(exact), term);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Term::Date(r) = term {
            clauses.push((Occur::Should, self.date_query(r)));
        } else if matches!(term, Term::All) && field.is_none() {
            return Box::new(AllQuery);
        } else {
            for (folded, twin, boost) in fields {
                let q = match twin {
                    Some(twin) if exact => self.exact_query(folded, twin, term),
                    _ => term_query(folded, &self.analyzers.folded, term),
                };
                if let Some(q) = q {
                    let q: Box<dyn Query> = if boost == 1.0 {
                        q
                    } else {
                        Box::new(BoostQuery::new(q, boost))
                    };
                    clauses.push((Occur::Should, q));
                }
            }
        }
        if let Some(field) = field
            && let Some(set) = self.facets.select(&self.analyzers, field, term, exact)
        {
            clauses.push((Occur::Should, self.id_set_query(set)));
        }
        match clauses.len() {
            0 => Box::new(EmptyQuery),
            1 => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        }
    }

    /// Exact matching of one field: the exact twin of records that have non-ASCII values, the
    /// folded field (identical for them) of all-ASCII records.
    fn exact_query(&self, folded: Field, twin: Field, term: &Term) -> Option<Box<dyn Query>> {
        let an = &self.analyzers.exact;
        let in_twin = term_query(twin, an, term);
        let in_folded = term_query(folded, an, term).map(|q| {
            let ascii: Box<dyn Query> = Box::new(TermQuery::new(
                TTerm::from_field_u64(self.fields.ascii, 1),
                IndexRecordOption::Basic,
            ));
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, q),
                (Occur::Must, ascii),
            ])) as Box<dyn Query>
        });
        match (in_twin, in_folded) {
            (Some(a), Some(b)) => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, a),
                (Occur::Should, b),
            ]))),
            (a, b) => a.or(b),
        }
    }

    fn date_query(&self, r: &DateRange) -> Box<dyn Query> {
        let first = r.first.map_or(i64::MIN, day_number);
        let last = r.last.map_or(i64::MAX, day_number);
        let f = &self.fields;
        // The record's span [date_first, date_last] lies within [first, last].
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(TTerm::from_field_i64(f.date_first, first)),
                    Bound::Included(TTerm::from_field_i64(f.date_first, i64::MAX)),
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(TTerm::from_field_i64(f.date_last, i64::MIN)),
                    Bound::Included(TTerm::from_field_i64(f.date_last, last)),
                )),
            ),
        ]))
    }

    /// The documents of a session filter, as a bit set per segment.
    fn id_set_query(&self, set: IdSet) -> Box<dyn Query> {
        let readers = self.searcher.segment_readers();
        let mut sets: Vec<BitSet> = readers
            .iter()
            .map(|r| BitSet::with_max_value(r.max_doc()))
            .collect();
        for &(seg, doc) in &set.docs {
            if let Some(bits) = sets.get_mut(seg as usize) {
                bits.insert(doc);
            }
        }
        if set.complement {
            for (bits, r) in sets.iter_mut().zip(readers) {
                let mut all = BitSet::with_max_value_and_full(r.max_doc());
                for doc in 0..r.max_doc() {
                    if bits.contains(doc) {
                        all.remove(doc);
                    }
                }
                *bits = all;
            }
        }
        let by_segment = readers.iter().map(|r| r.segment_id()).zip(sets).collect();
        Box::new(DocSetQuery {
            sets: Arc::new(by_segment),
        })
    }
}

/// A conjunction; when it has no positive clause, everything is its positive part.
fn must_with_all(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The query for one term on one analysed field; `None` when the term has no tokens.
fn term_query(field: Field, analyzer: &TextAnalyzer, term: &Term) -> Option<Box<dyn Query>> {
    let terms = |s: &str| -> Vec<TTerm> {
        analyzer::tokens(analyzer, s)
            .iter()
            .map(|t| TTerm::from_field_text(field, t))
            .collect()
    };
    let single =
        |t: TTerm| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) };
    match term {
        Term::Word(s) | Term::Phrase(s) => {
            let mut ts = terms(s);
            match ts.len() {
                0 => None,
                1 => Some(single(ts.remove(0))),
                _ => Some(Box::new(PhraseQuery::new(ts))),
            }
        }
        Term::Prefix(s) => {
            let mut ts = terms(s);
            match ts.len() {
                0 => None,
                1 => Some(Box::new(FuzzyTermQuery::new_prefix(ts.remove(0), 0, true))),
                _ => Some(Box::new(PhrasePrefixQuery::new(ts))),
            }
        }
        Term::Fuzzy(s, d) => {
            let ts = terms(s);
            match ts.len() {
                0 => None,
                _ => Some(must_with_all(
                    ts.into_iter()
                        .map(|t| {
                            (
                                Occur::Must,
                                Box::new(FuzzyTermQuery::new(t, *d, true)) as Box<dyn Query>,
                            )
                        })
                        .collect(),
                )),
            }
        }
        Term::All => Some(Box::new(AllQuery)),
        Term::Date(_) => None,
    }
}

/// The words to highlight in snippets: exact tokens, and prefixes / fuzzy words expanded per hit.
#[derive(Default)]
struct Highlight {
    terms: Vec<String>,
    prefixes: Vec<String>,
    fuzzy: Vec<(String, u8)>,
}

impl Highlight {
    fn add(&mut self, analyzer: &TextAnalyzer, term: &Term) {
        match term {
            Term::Word(s) | Term::Phrase(s) => self.terms.extend(analyzer::tokens(analyzer, s)),
            Term::Prefix(s) => {
                let mut t = analyzer::tokens(analyzer, s);
                if let Some(last) = t.pop() {
                    self.prefixes.push(last);
                }
                self.terms.extend(t);
            }
            Term::Fuzzy(s, d) => self
                .fuzzy
                .extend(analyzer::tokens(analyzer, s).into_iter().map(|t| (t, *d))),
            Term::Date(_) | Term::All => {}
        }
    }
}

/// The snippet of `text` for a hit: (snippet, highlight char ranges, char offset of the snippet).
fn make_snippet(
    text: &str,
    terms: &BTreeMap<String, f32>,
    analyzer: &TextAnalyzer,
    field: Field,
) -> (String, Vec<(usize, usize)>, usize) {
    let generator = SnippetGenerator::new(terms.clone(), analyzer.clone(), field, SNIPPET_CHARS);
    let snippet = generator.snippet(text);
    let fragment = snippet.fragment();
    if fragment.is_empty() {
        // Nothing of the text matched (the query hit the title, sender, a tag…): the opening lines.
        let s: String = text
            .chars()
            .take(SNIPPET_CHARS)
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        return (s.trim_end().to_owned(), Vec::new(), 0);
    }
    let start_byte = snippet.fragment_range().start;
    let start = text.get(..start_byte).map_or(0, |s| s.chars().count());
    let chars_to = |b: usize| fragment.get(..b).map_or(0, |s| s.chars().count());
    let highlights = snippet
        .highlighted()
        .iter()
        .map(|r| (chars_to(r.start), chars_to(r.end)))
        .collect();
    let shown = fragment
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    (shown, highlights, start)
}

/// (segment ord, doc) of every live document, by id.
fn live_addresses(searcher: &Searcher, ids: &[Vec<Arc<str>>]) -> HashMap<Arc<str>, (u32, DocId)> {
    let mut out = HashMap::with_capacity(searcher.num_docs() as usize);
    for (seg, (reader, ids)) in searcher.segment_readers().iter().zip(ids).enumerate() {
        let alive = reader.alive_bitset();
        for (doc, id) in (0..).zip(ids) {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                out.insert(id.clone(), (seg as u32, doc));
            }
        }
    }
    out
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

/// A fixed set of documents per segment (a session filter), every one scoring `boost`.
#[derive(Clone)]
struct DocSetQuery {
    sets: Arc<HashMap<SegmentId, BitSet>>,
}

impl std::fmt::Debug for DocSetQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: u32 = self.sets.values().map(BitSet::len).map(|l| l as u32).sum();
        write!(f, "DocSetQuery({n} documents)")
    }
}

impl Query for DocSetQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for DocSetQuery {
    fn scorer(&self, reader: &SegmentReader, boost: f32) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.sets.get(&reader.segment_id()) {
            Some(bits) => Box::new(ConstScorer::new(BitSetDocSet::from(bits.clone()), boost)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let hit = self
            .sets
            .get(&reader.segment_id())
            .is_some_and(|b| b.contains(doc));
        if hit {
            Ok(Explanation::new("session filter", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not in the session filter"
            )))
        }
    }
}

/// The document id of every (segment, doc) of a searcher, from the `id` fast field.
fn id_table(searcher: &Searcher) -> Result<Vec<Vec<Arc<str>>>, SearchError> {
    let mut out = Vec::new();
    for seg in searcher.segment_readers() {
        let max = seg.max_doc();
        let mut ids: Vec<Arc<str>> = Vec::with_capacity(max as usize);
        if let Some(col) = seg.fast_fields().str("id")? {
            let mut by_ord: Vec<Arc<str>> = Vec::with_capacity(col.num_terms());
            let mut stream = col.dictionary().stream().map_err(|e| SearchError::Io {
                path: PathBuf::new(),
                source: e,
            })?;
            while stream.advance() {
                by_ord.push(Arc::from(String::from_utf8_lossy(stream.key()).as_ref()));
            }
            let empty: Arc<str> = Arc::from("");
            for doc in 0..max {
                let id = col
                    .term_ords(doc)
                    .next()
                    .and_then(|o| by_ord.get(o as usize))
                    .unwrap_or(&empty);
                ids.push(id.clone());
            }
        }
        out.push(ids);
    }
    Ok(out)
}

/// What the index derives from a record beside its own text: canonical equipment names
/// (gazetteer names and aliases matched on folded words, as the suggestions do), the canonical
/// organisation of its sender, and its date (the metadata's, else the first date in the text).
struct Prep {
    /// Canonical organisation of each distinct sender (senders repeat: computed once each).
    organisations: HashMap<String, Option<String>>,
    equipment: analyzer::EntityMatcher,
    equipment_names: Vec<String>,
}

impl Prep {
    fn new(g: &crate::model::Gazetteer, docs: &[&Document]) -> Self {
        let extractor = Extractor::new(g);
        let distinct: HashSet<&str> = docs
            .iter()
            .filter_map(|d| d.sender.as_deref())
            .map(str::trim)
            .collect();
        let organisations = distinct
            .into_iter()
            .map(|s| (s.to_owned(), extractor.canonical_organisation(s)))
            .collect();
        Self {
            organisations,
            equipment: analyzer::EntityMatcher::new(&g.equipment),
            equipment_names: g.equipment.iter().map(|e| e.name.clone()).collect(),
        }
    }

    fn date(d: &Document) -> Option<PartialDate> {
        d.date
            .as_deref()
            .and_then(crate::extract::parse_date)
            .or_else(|| crate::extract::find_dates(&d.text).first().map(|h| h.date))
    }

    /// The index document of a cache document.
    fn document(&self, f: &Fields, d: &Document) -> TantivyDocument {
        let mut senders: Vec<String> = Vec::new();
        if let Some(s) = d.sender.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            senders.push(s.to_owned());
            if let Some(Some(c)) = self.organisations.get(s)
                && c != s
            {
                senders.push(c.clone());
            }
        }
        let equipment: Vec<&str> = self
            .equipment
            .find(&d.text)
            .into_iter()
            .chain(self.equipment.find(&d.title))
            .filter_map(|i| self.equipment_names.get(i).map(String::as_str))
            .collect();
        let ascii = d.title.is_ascii()
            && d.text.is_ascii()
            && senders.iter().all(|s| s.is_ascii())
            && d.recipient.as_deref().is_none_or(str::is_ascii)
            && equipment.iter().all(|s| s.is_ascii());

        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.sha256, &d.sha256);
        doc.add_text(f.path, &d.path);
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.text, &d.text);
        for v in &senders {
            doc.add_text(f.sender, v);
        }
        if let Some(r) = &d.recipient {
            doc.add_text(f.recipient, r);
        }
        for v in &equipment {
            doc.add_text(f.equipment, v);
        }
        if ascii {
            doc.add_u64(f.ascii, 1);
        } else {
            doc.add_text(f.title_x, &d.title);
            doc.add_text(f.text_x, &d.text);
            for v in &senders {
                doc.add_text(f.sender_x, v);
            }
            if let Some(r) = &d.recipient {
                doc.add_text(f.recipient_x, r);
            }
            for v in &equipment {
                doc.add_text(f.equipment_x, v);
            }
        }
        if let Some(date) = Self::date(d) {
            let (a, b) = date.span();
            doc.add_i64(f.date_first, day_number(a));
            doc.add_i64(f.date_last, day_number(b));
        }
        doc
    }
}
