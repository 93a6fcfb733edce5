//! What the window derives from the workspace: the list (filtered, sorted, with facet counts),
//! the filter bar's query mask and the claim ledger with the reviewed count. Each is stored with
//! the [`Revisions`] it was computed from ([`crate::workspace::revisions`]) and recomputed here,
//! in one place, when they differ — whatever changed the session or the documents.

use crate::session::{self, Status};
use crate::workspace::{Derived, Revisions, SessionStamp};

use super::super::filter::{self, EngineNote, FacetCounts, Filter, FilterInput, SortKey};
use super::App;
use super::state::LedgerEntry;

/// Caches above this size filter the free text 0.2 s after the last keystroke, not on every one.
const DEBOUNCE_ABOVE_DOCS: usize = 20_000;

/// What the list was computed for.
#[derive(Clone, PartialEq)]
struct ViewKey {
    filter: Filter,
    sort: SortKey,
    ascending: bool,
    revisions: Revisions,
    with_counts: bool,
    indexed: bool,
}

/// What the query mask was computed for: the query, exact or folded, the documents, whether the
/// index answered it, and (for a query on review fields) the session state.
#[derive(Clone, PartialEq)]
struct MaskKey {
    text: String,
    exact: bool,
    documents: u64,
    indexed: bool,
    review: Option<SessionStamp>,
}

/// The list view: filtered and sorted indices and facet counts.
#[derive(Default)]
pub(crate) struct ListView {
    key: Option<ViewKey>,
    pub(crate) indices: Vec<usize>,
    pub(crate) counts: FacetCounts,
    mask: Derived<MaskKey, Option<Vec<bool>>>,
    sugg_refreshed_at: f64,
    pub(crate) counts_wanted: bool,
    /// Why the current query means nothing.
    pub(crate) query_error: Option<String>,
    /// What is wrong with the current query that still runs (an unknown field or id, an
    /// unbalanced parenthesis or quote).
    pub(crate) query_problems: Vec<String>,
}

/// The claim ledger and the number of documents reviewed.
#[derive(Default)]
pub(crate) struct Ledger {
    pub(crate) rows: Vec<LedgerEntry>,
    pub(crate) reviewed: usize,
}

impl App {
    /// Brings the list up to the filter, the sort and the workspace's revisions. `now` is the
    /// frame time (infinite when the caller needs the list as it is now: no debounce, no
    /// throttling).
    pub(crate) fn ensure_view(&mut self, now: f64) {
        let key = ViewKey {
            filter: self.saved.filter.clone(),
            sort: self.saved.sort,
            ascending: self.saved.ascending,
            revisions: self.ws.revisions(),
            with_counts: self.saved.facets_open || self.view.counts_wanted,
            indexed: self.ws.search().is_ready(),
        };
        if self.view.key.as_ref() == Some(&key) || self.view_can_wait(&key, now) {
            return;
        }
        if self.resort_only(&key) {
            self.view.key = Some(key);
            return;
        }
        // Big caches without their index yet: wait for a pause in typing before scanning every
        // text again (the index answers in about a millisecond).
        if let Some(t) = self.filter_edited_at
            && !key.indexed
            && self.ws.cache().documents.len() > DEBOUNCE_ABOVE_DOCS
            && now - t < 0.2
        {
            return;
        }
        self.filter_edited_at = None;
        self.ensure_mask(&key);
        let input = FilterInput {
            cache: self.ws.cache(),
            session: self.ws.session(),
            metas: &self.metas,
            suggestions: self.ws.suggestions(),
        };
        let (mut indices, counts) = filter::evaluate_with(
            input,
            &key.filter,
            self.view.mask.value().as_deref(),
            key.with_counts,
        );
        filter::sort_indices(&mut indices, input, key.sort, key.ascending);
        self.view.indices = indices;
        self.view.counts = counts;
        self.view.key = Some(key);
    }

    /// New suggestions alone (the background worker) refresh the counts at most every 2 s.
    fn view_can_wait(&mut self, key: &ViewKey, now: f64) -> bool {
        if let Some(old) = &self.view.key
            && self.jobs.suggest_worker.is_some()
            && now.is_finite()
            && (ViewKey {
                revisions: Revisions {
                    suggestions: key.revisions.suggestions,
                    ..old.revisions
                },
                ..old.clone()
            }) == *key
            && (0.0..2.0).contains(&(now - self.view.sugg_refreshed_at))
        {
            return true;
        }
        if now.is_finite() {
            self.view.sugg_refreshed_at = now;
        }
        false
    }

    /// An edit alone changes the list only through the filter's session facets or the sort:
    /// then the list is re-sorted (if the sort depends on the session) and true returned.
    fn resort_only(&mut self, key: &ViewKey) -> bool {
        let Some(old) = &self.view.key else {
            return false;
        };
        let same_but_session = (ViewKey {
            revisions: Revisions {
                session: key.revisions.session,
                ..old.revisions
            },
            ..old.clone()
        }) == *key;
        if !same_but_session || key.filter.depends_on_session() || key.with_counts {
            return false;
        }
        if key.sort.depends_on_session() {
            let input = FilterInput {
                cache: self.ws.cache(),
                session: self.ws.session(),
                metas: &self.metas,
                suggestions: self.ws.suggestions(),
            };
            filter::sort_indices(&mut self.view.indices, input, key.sort, key.ascending);
        }
        true
    }

    /// Which documents the filter bar's query matches (`None`: an empty query, all match): the
    /// search index answers it once ready; until then (or without an index, or for a query that
    /// means nothing) its plain words match as folded substrings.
    fn ensure_mask(&mut self, key: &ViewKey) {
        let text = &key.filter.text;
        let review = (key.indexed && crate::search::query_uses_review(text))
            .then(|| self.ws.session_stamp());
        let mask_key = MaskKey {
            text: text.clone(),
            exact: key.filter.exact,
            documents: key.revisions.documents,
            indexed: key.indexed,
            review,
        };
        if self.view.mask.is_fresh(&mask_key) {
            return;
        }
        self.view.query_error = None;
        self.view.query_problems = match self.ws.search().index() {
            Some(index) => index.query_notes(text),
            None => crate::search::query_problems(text),
        };
        let mask = if text.trim().is_empty() {
            None
        } else {
            match self.ws.query_mask(text, key.filter.exact) {
                Some(Ok(mask)) => Some(mask),
                Some(Err(e)) => match filter::text_mask(&self.ws.cache().documents, text) {
                    Some(mask) => {
                        self.view.query_error =
                            Some(format!("{e} (plain words are matched instead)"));
                        Some(mask)
                    }
                    // No plain word to fall back on: a query that means nothing matches nothing
                    // (showing every document would look like a filter that matched them all).
                    None => {
                        self.view.query_error = Some(format!("{e} (nothing matches)"));
                        Some(vec![false; self.metas.len()])
                    }
                },
                None => filter::text_mask(&self.ws.cache().documents, text),
            }
        };
        self.view.mask.set(mask_key, mask);
    }

    /// What the filter bar says about the engine under its query.
    pub(crate) fn engine_note(&self) -> EngineNote {
        if let Some(e) = &self.view.query_error {
            return EngineNote::QueryError(e.clone());
        }
        if self.saved.filter.text.trim().is_empty() || self.ws.search().is_ready() {
            return EngineNote::Ready;
        }
        if let Some(u) = &self.jobs.index_unavailable {
            return EngineNote::Unavailable(u.clone());
        }
        let progress = self
            .jobs
            .index_worker
            .as_ref()
            .map_or_else(|| "loading".to_owned(), |w| w.progress_text());
        EngineNote::Building(format!(
            "{progress}: until it is ready, plain words match as substrings"
        ))
    }

    /// Brings the claim ledger and the reviewed count up to the session and the documents.
    pub(crate) fn ensure_ledger(&mut self) {
        let r = self.ws.revisions();
        // While loading, the documents are not all there yet: every review counts.
        let loading = self.jobs.loader.is_some();
        let key = (r.session, r.documents, loading);
        let ws = &self.ws;
        self.ledger
            .get_or_update(key, || compute_ledger(ws, loading));
    }
}

fn compute_ledger(ws: &crate::workspace::Workspace, loading: bool) -> Ledger {
    let session = ws.session();
    let cache = ws.cache();
    let rows = session::ledger(session, cache)
        .into_iter()
        .map(|row| LedgerEntry {
            id: row.id.to_owned(),
            text: row.text.to_owned(),
            status: row.status,
            evidence: row
                .evidence
                .iter()
                .map(|e| {
                    let index = session
                        .review(e.doc)
                        .and_then(|r| r.links.iter().position(|l| l == e.link))
                        .unwrap_or_default();
                    (e.doc.to_owned(), index, e.link.clone())
                })
                .collect(),
        })
        .collect();
    let reviewed = session
        .reviews()
        .iter()
        .filter(|(id, r)| {
            r.status != Status::Unreviewed && (loading || cache.position(id).is_some())
        })
        .count();
    Ledger { rows, reviewed }
}
