//! Where the index is kept and how it is kept up to date: the index folder outside the cache, the
//! manifest of `(id, sha256)` beside it, the incremental build, and the tables read back from an
//! open index.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::{DocId, Index, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term as TTerm};

use super::facets::{Analyzers, Facets};
use super::schema::{Fields, Prep, register_tokenizers, schema};
use super::{SearchError, SearchIndex};
use crate::fsutil::canonical;
use crate::model::{Cache, Document, Gazetteer};
use crate::session::Session;

/// Version of the index layout; a different version in an index folder forces a rebuild.
pub const INDEX_SCHEMA_VERSION: &str = "doctriage.search/3";

const VERSION_FILE: &str = "VERSION";
const MANIFEST_FILE: &str = "manifest.json";
/// The advisory lock of [`IndexLock`], inside the index folder.
const LOCK_FILE: &str = "doctriage-index.lock";
/// Most writer memory for a build (split between the indexing threads).
const WRITER_HEAP: usize = 192 * 1024 * 1024;
/// Least writer memory per indexing thread.
const MIN_HEAP_PER_THREAD: usize = 20 * 1024 * 1024;
/// Documents prepared (extraction + analysis input) per parallel batch.
const BATCH: usize = 512;

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

/// Where the index of a cache is kept: `<user cache dir>/doctriage/index/<sha256 of the canonical
/// cache path>`, never inside the cache folder (see [`crate::fsutil::state_dir`]).
pub fn default_index_dir(cache_root: &Path) -> PathBuf {
    crate::fsutil::state_dir(cache_root, "index")
}

fn gazetteer_fingerprint(cache: &Cache) -> String {
    cache.gazetteer_fingerprint()
}

/// An exclusive advisory lock on an index folder, held while it is opened, updated and read
/// (wiping the folder leaves the lock file). Released on drop, also when the process dies.
struct IndexLock(#[expect(dead_code, reason = "held for its lock")] std::fs::File);

impl IndexLock {
    fn acquire(dir: &Path) -> Result<Self, SearchError> {
        let path = dir.join(LOCK_FILE);
        // Never leave a lock file in a folder of someone else's (another process's lock file
        // is the only stranger an index folder may hold before its VERSION is written).
        if !dir.join(VERSION_FILE).exists()
            && std::fs::read_dir(dir)
                .map_err(io_err(dir))?
                .filter_map(Result::ok)
                .any(|e| e.file_name() != LOCK_FILE)
        {
            return Err(SearchError::NotAnIndex(dir.to_owned()));
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err(&path))?;
        file.lock().map_err(io_err(&path))?;
        Ok(Self(file))
    }
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
    let (generation, _) = split_payload(&payload);
    (generation == manifest.generation.to_string()).then_some((index, manifest))
}

/// Empties an index folder, refusing a folder that is not ours.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    let entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != LOCK_FILE)
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

fn new_generation(previous: u64) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    now.max(previous.saturating_add(1))
}

impl Manifest {
    /// The manifest of the cache's documents as they are now indexed.
    fn of(cache: &Cache, gazetteer: String, previous_generation: u64) -> Self {
        Self {
            schema: INDEX_SCHEMA_VERSION.to_owned(),
            generation: new_generation(previous_generation),
            gazetteer,
            documents: cache
                .documents
                .iter()
                .map(|d| (d.id.clone(), index_key(d)))
                .collect(),
        }
    }
}

/// What the index holds of a document: its file's SHA-256, and for a paged document where each
/// page's text came from (a page OCR'd since, or OCR'd by another engine, is indexed again).
fn index_key(d: &Document) -> String {
    if d.pages.is_empty() {
        return d.sha256.clone();
    }
    let mut key = d.sha256.clone();
    key.push(':');
    for p in &d.pages {
        key.push(match p.source {
            crate::model::PageSource::PdfText => 't',
            crate::model::PageSource::PdfTextRepaired => 'r',
            crate::model::PageSource::Ocr => 'o',
            crate::model::PageSource::Pending => 'p',
            crate::model::PageSource::Sheet => 's',
        });
    }
    if let Some(o) = d.pages.iter().find_map(|p| p.ocr.as_ref()) {
        key.push(':');
        key.push_str(&o.engine);
    }
    key
}

/// What changed in the cache since the manifest was written.
#[derive(Debug)]
struct Changes<'a> {
    /// Documents new or changed since they were indexed.
    to_index: Vec<&'a Document>,
    /// Ids that are indexed but no longer in the cache.
    gone: Vec<&'a str>,
    /// Number of documents whose (id, sha256) are already indexed.
    reused: usize,
}

impl<'a> Changes<'a> {
    /// Compares the cache's documents with the manifest (`None`: nothing indexed yet).
    fn between(old: Option<&'a Manifest>, documents: &'a [Document]) -> Self {
        let old_map: HashMap<&str, &str> = old
            .map(|m| {
                m.documents
                    .iter()
                    .map(|(i, s)| (i.as_str(), s.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let current: HashSet<&str> = documents.iter().map(|d| d.id.as_str()).collect();
        let mut reused = 0;
        let mut to_index: Vec<&Document> = Vec::new();
        for d in documents {
            match old_map.get(d.id.as_str()) {
                Some(s) if *s == index_key(d) => reused += 1,
                _ => to_index.push(d),
            }
        }
        let gone: Vec<&str> = old_map
            .keys()
            .copied()
            .filter(|id| !current.contains(id))
            .collect();
        Self {
            to_index,
            gone,
            reused,
        }
    }

    fn is_empty(&self) -> bool {
        self.to_index.is_empty() && self.gone.is_empty()
    }
}

/// The index in `dir` when it can be reused, else a new empty one (the folder wiped and
/// stamped with [`INDEX_SCHEMA_VERSION`]); with the manifest of a reused index.
fn open_or_create(
    dir: &Path,
    gazetteer: &str,
    schema: tantivy::schema::Schema,
) -> Result<(Index, Option<Manifest>), SearchError> {
    match reusable(dir, gazetteer) {
        Some((index, manifest)) if index.schema() == schema => Ok((index, Some(manifest))),
        _ => {
            wipe(dir)?;
            std::fs::write(dir.join(VERSION_FILE), format!("{INDEX_SCHEMA_VERSION}\n"))
                .map_err(io_err(dir))?;
            Ok((Index::create_in_dir(dir, schema)?, None))
        }
    }
}

/// A writer whose memory follows the input: about as much as the text to index, within bounds
/// (tantivy needs at least 15 MB per indexing thread).
fn new_writer(index: &Index, to_index: &[&Document]) -> Result<IndexWriter, SearchError> {
    let bytes: usize = to_index.iter().map(|d| d.text.len() + d.title.len()).sum();
    let threads = if to_index.len() > 2000 { 2 } else { 1 };
    let heap = bytes.clamp(threads * MIN_HEAP_PER_THREAD, WRITER_HEAP);
    Ok(index.writer_with_num_threads(threads, heap)?)
}

/// Deletes the removed and the changed documents; done before adding, so an interrupted earlier
/// update never leaves duplicates.
fn delete_stale(writer: &IndexWriter, fields: &Fields, changes: &Changes<'_>) {
    for id in changes
        .gone
        .iter()
        .copied()
        .chain(changes.to_index.iter().map(|d| d.id.as_str()))
    {
        writer.delete_term(TTerm::from_field_text(fields.id, id));
    }
}

/// Adds the documents to index, prepared in parallel batches, reporting progress after each
/// batch and stopping (with [`SearchError::Cancelled`]) when the cancel flag is set.
fn add_documents(
    writer: &IndexWriter,
    fields: &Fields,
    gazetteer: &Gazetteer,
    to_index: &[&Document],
    progress: &BuildProgress<'_>,
) -> Result<(), SearchError> {
    let prep = Prep::new(gazetteer, to_index);
    let mut done = 0;
    for chunk in to_index.chunks(BATCH) {
        if progress
            .cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
        {
            return Err(SearchError::Cancelled);
        }
        let docs: Vec<TantivyDocument> =
            chunk.par_iter().map(|d| prep.document(fields, d)).collect();
        for doc in docs {
            writer.add_document(doc)?;
        }
        done += chunk.len();
        if let Some(report) = progress.report {
            report(done, to_index.len());
        }
    }
    Ok(())
}

/// A commit's payload: the manifest's generation, and the digest of the cache it was built from
/// ([`Cache::digest`]).
fn split_payload(payload: &str) -> (&str, &str) {
    payload.split_once(' ').unwrap_or((payload, ""))
}

/// Writes the manifest, then commits the index with a payload naming the manifest's generation
/// (a crash between the two is detected on the next open, and forces a rebuild) and the digest
/// of the cache (so that a search can tell, without reading the cache, that the index is its).
fn commit(
    mut writer: IndexWriter,
    manifest: &Manifest,
    digest: &str,
    dir: &Path,
) -> Result<(), SearchError> {
    let json = serde_json::to_vec(manifest).map_err(|e| SearchError::Io {
        path: dir.join(MANIFEST_FILE),
        source: std::io::Error::other(e),
    })?;
    crate::fsutil::write_atomic(&dir.join(MANIFEST_FILE), &json).map_err(|e| SearchError::Io {
        path: e.path,
        source: e.source,
    })?;
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&format!("{} {digest}", manifest.generation));
    commit.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
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
        // Another doctriage (the window, a second command) may be updating the same index: its
        // commit deletes the segment files this process would be about to open. One process at a
        // time opens, updates and reads an index folder; once open, a reader keeps its files.
        let _lock = IndexLock::acquire(index_dir)?;
        let gazetteer = gazetteer_fingerprint(cache);
        let (schema, fields) = schema();
        let (index, old) = open_or_create(index_dir, &gazetteer, schema)?;
        register_tokenizers(&index);

        let changes = Changes::between(old.as_ref(), &cache.documents);
        let stats = BuildStats {
            reused: changes.reused,
            indexed: changes.to_index.len(),
            removed: changes.gone.len(),
            rebuilt: old.is_none(),
        };
        if !changes.is_empty() || old.is_none() {
            let writer = new_writer(&index, &changes.to_index)?;
            if old.is_some() {
                delete_stale(&writer, &fields, &changes);
            }
            add_documents(
                &writer,
                &fields,
                &cache.gazetteer,
                &changes.to_index,
                progress,
            )?;
            let previous = old.as_ref().map_or(0, |m| m.generation);
            let manifest = Manifest::of(cache, gazetteer, previous);
            commit(writer, &manifest, &cache.digest(), index_dir)?;
        }
        Ok((Self::read(&index, fields, tags, index_dir)?, stats))
    }

    /// Opens the index in `index_dir` only when it was built from a cache whose
    /// [`Cache::digest`] is `digest` (and by this schema): what a search does without reading
    /// the cache. `None` when it was not, or cannot be opened.
    pub fn open_built_from(
        index_dir: &Path,
        digest: &str,
        tags: Option<&Session>,
    ) -> Option<SearchIndex> {
        let version = std::fs::read_to_string(index_dir.join(VERSION_FILE)).ok()?;
        if version.trim() != INDEX_SCHEMA_VERSION {
            return None;
        }
        let _lock = IndexLock::acquire(index_dir).ok()?;
        let index = Index::open_in_dir(index_dir).ok()?;
        let payload = index.load_metas().ok()?.payload?;
        if split_payload(&payload).1 != digest {
            return None;
        }
        register_tokenizers(&index);
        let (_, fields) = schema();
        Self::read(&index, fields, tags, index_dir).ok()
    }

    /// The searchable view of an up-to-date index, with the review of `tags` in memory.
    fn read(
        index: &Index,
        fields: Fields,
        tags: Option<&Session>,
        dir: &Path,
    ) -> Result<SearchIndex, SearchError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let ids = id_table(&searcher)?;
        let addr = live_addresses(&searcher, &ids);
        let analyzers = Analyzers::new();
        let facets = Facets::from_session(&analyzers, tags, &|id| addr.get(id).copied());
        Ok(SearchIndex {
            searcher,
            fields,
            analyzers,
            ids,
            addr,
            facets,
            dir: dir.to_owned(),
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, sha256: &str) -> Document {
        Document {
            id: id.to_owned(),
            sha256: sha256.to_owned(),
            ..Document::default()
        }
    }

    fn manifest(documents: &[(&str, &str)]) -> Manifest {
        Manifest {
            documents: documents
                .iter()
                .map(|(i, s)| ((*i).to_owned(), (*s).to_owned()))
                .collect(),
            ..Manifest::default()
        }
    }

    #[test]
    fn changes_keep_unchanged_reindex_changed_and_new_and_drop_removed() {
        let old = manifest(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let docs = [doc("a", "1"), doc("b", "20"), doc("d", "4")];
        let changes = Changes::between(Some(&old), &docs);
        assert_eq!(changes.reused, 1);
        let ids: Vec<&str> = changes.to_index.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["b", "d"]);
        assert_eq!(changes.gone, ["c"]);
        assert!(!changes.is_empty());
    }

    #[test]
    fn changes_without_a_manifest_index_everything() {
        let docs = [doc("a", "1"), doc("b", "2")];
        let changes = Changes::between(None, &docs);
        assert_eq!(changes.reused, 0);
        assert_eq!(changes.to_index.len(), 2);
        assert!(changes.gone.is_empty());
        let same = manifest(&[("a", "1"), ("b", "2")]);
        assert!(Changes::between(Some(&same), &docs).is_empty());
    }

    #[test]
    fn generations_always_grow() {
        let now = new_generation(0);
        assert!(now > 0);
        assert_eq!(new_generation(u64::MAX - 1), u64::MAX);
        assert!(new_generation(now) > now);
    }

    #[test]
    fn canonical_resolves_the_existing_part_of_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        let missing = dir.path().join("not").join("yet");
        assert_eq!(canonical(&missing), real.join("not").join("yet"));
        assert_eq!(canonical(dir.path()), real);
    }

    #[test]
    fn wipe_empties_an_index_folder_and_refuses_any_other() {
        let dir = tempfile::tempdir().unwrap();
        wipe(dir.path()).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(wipe(dir.path()), Err(SearchError::NotAnIndex(_))));
        assert!(dir.path().join("notes.txt").is_file());

        std::fs::write(dir.path().join(VERSION_FILE), INDEX_SCHEMA_VERSION).unwrap();
        std::fs::create_dir(dir.path().join("segment")).unwrap();
        wipe(dir.path()).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn the_default_index_folder_is_outside_the_cache() {
        let cache = tempfile::tempdir().unwrap();
        let dir = default_index_dir(cache.path());
        assert!(!canonical(&dir).starts_with(canonical(cache.path())));
        assert_eq!(dir, default_index_dir(cache.path()));
    }
}
