//! The search index of an open review, kept in step with the session.

use crate::model::Cache;
use crate::search::{Positions, SearchError, SearchIndex, SearchOptions};
use crate::session::Editor;

use super::revisions::{Derived, SessionStamp};

/// The search index (once opened) and what it was last brought up to: the session state whose
/// review it holds, and the cache order its answers are mapped to.
#[derive(Default)]
pub struct SearchHandle {
    index: Option<SearchIndex>,
    review: Option<SessionStamp>,
    positions: Derived<u64, Option<Positions>>,
}

impl SearchHandle {
    /// A handle on an index just opened (its review not yet synced).
    pub fn with_index(index: SearchIndex) -> Self {
        Self {
            index: Some(index),
            ..Self::default()
        }
    }

    /// The index, once opened.
    pub fn index(&self) -> Option<&SearchIndex> {
        self.index.as_ref()
    }

    /// True once queries run on the index.
    pub fn is_ready(&self) -> bool {
        self.index.is_some()
    }

    /// Brings the index's copy of the review (`status:`, `tag:`, the analyst's values) up to the
    /// session: one edit updates its documents; anything else reloads the whole session.
    pub fn sync_review(&mut self, editor: &Editor) {
        let Some(index) = self.index.as_mut() else {
            return;
        };
        let now = SessionStamp {
            editor: editor.id(),
            revision: editor.revision(),
        };
        if self.review == Some(now) {
            return;
        }
        let (docs, aliases) = editor.last_change();
        match self.review {
            Some(before) if now.follows(before) && !aliases => {
                for d in docs {
                    index.update_review(d, editor.session().review(d));
                }
            }
            _ => index.set_session(Some(editor.session())),
        }
        self.review = Some(now);
    }

    /// Which documents of `cache` (in its order, as of revision `documents`) a query matches;
    /// `None` without an index.
    pub fn mask(
        &mut self,
        cache: &Cache,
        documents: u64,
        query: &str,
        exact: bool,
    ) -> Option<Result<Vec<bool>, SearchError>> {
        let index = self.index.as_ref()?;
        let positions = self.positions.get_or_update(documents, || {
            Some(index.positions(cache.documents.iter().map(|d| d.id.as_str())))
        });
        let positions = positions.as_ref()?;
        let opts = SearchOptions { exact, limit: 0 };
        Some(index.matching_mask(query, &opts, positions, cache.documents.len()))
    }
}

/// A search answered from the index alone, without listing or reading the cache.
#[derive(Debug)]
pub struct SearchWithoutScan {
    /// The index it ran on (for the query's notes).
    pub index: SearchIndex,
    /// The answer.
    pub results: crate::search::SearchResults,
}

/// Runs a search on the index of `dir` without reading the cache, when nothing says the cache
/// changed since the scan the index was built from: no folder's time changed (no file added,
/// removed or renamed), the cache's `gazetteer.json` and the file of every hit returned are
/// untouched since that scan began. `None` when any of this does not hold (the caller reads the
/// cache, which brings the index up to date). An answer from a query that does not parse is an
/// error, as on the full path.
pub fn search_without_scan(
    dir: &std::path::Path,
    query: &str,
    opts: &SearchOptions,
    session: Option<&crate::session::Session>,
) -> Option<Result<SearchWithoutScan, SearchError>> {
    use crate::ingest;
    let scan = ingest::ScanOptions::with_manifest(dir);
    let state = ingest::unchanged_folders(dir, &scan)?;
    let gazetteer = dir.join("gazetteer.json");
    if std::fs::symlink_metadata(&gazetteer).is_ok()
        && !ingest::unchanged_since(dir, "gazetteer.json", state.started_ns)
    {
        return None;
    }
    let index_dir = crate::search::default_index_dir(dir);
    let index = SearchIndex::open_built_from(&index_dir, &state.digest, session)?;
    let results = match index.search(query, opts) {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    results
        .hits
        .iter()
        .all(|hit| ingest::unchanged_since(dir, &hit.path, state.started_ns))
        .then_some(Ok(SearchWithoutScan { index, results }))
}
