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
