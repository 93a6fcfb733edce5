//! Moving through a review by keyboard: a status key that goes on to the next document (save &
//! next), the next unreviewed document, the statements one by one, the relation of the next
//! link, and Enter in the filter.

use crate::session::{Command, Relation, Status};

use super::App;

impl App {
    /// Sets the current document's status; with "next document after a status key" on, the next
    /// document of the list opens (also when the status was already set: the key confirms it).
    pub(crate) fn set_status_and_maybe_advance(&mut self, status: Status) {
        let Some(doc) = self.current.clone() else {
            self.info("Select a document first");
            return;
        };
        self.flush_buffers();
        if self.apply_edit(Command::SetStatus { doc, status }).is_ok()
            && self.prefs.advance_after_status
        {
            self.step(true);
        }
    }

    /// Opens the next document of the list that is unreviewed, after the current one and
    /// wrapping around to the top.
    pub(crate) fn next_unreviewed(&mut self) {
        self.flush_buffers();
        self.ensure_view(f64::INFINITY);
        let list = &self.view.indices;
        let start = self
            .current_idx
            .and_then(|c| list.iter().position(|&i| i == c))
            .map_or(0, |p| p + 1);
        let session = self.ws.session();
        let docs = &self.ws.cache().documents;
        let found = (0..list.len())
            .map(|k| list[(start + k) % list.len()])
            .find(|&i| {
                docs.get(i)
                    .is_some_and(|d| session.status(&d.id) == Status::Unreviewed)
                    && Some(i) != self.current_idx
            });
        match found {
            Some(i) => self.set_current(i),
            None => self.info("Every other document of the list is reviewed"),
        }
    }

    /// Selects the next (or previous) statement of the article; the first (or last) when none is.
    pub(crate) fn step_statement(&mut self, forward: bool) {
        let ids: Vec<String> = self
            .ws
            .cache()
            .article
            .as_ref()
            .map(|(_, a)| a.statements.iter().map(|s| s.id.clone()).collect())
            .unwrap_or_default();
        if ids.is_empty() {
            self.info("The cache has no article, so no statements");
            return;
        }
        let pos = self
            .statements
            .selected
            .as_ref()
            .and_then(|sel| ids.iter().position(|id| id == sel));
        let next = match pos {
            None if forward => 0,
            None => ids.len() - 1,
            Some(p) if forward => (p + 1).min(ids.len() - 1),
            Some(p) => p.saturating_sub(1),
        };
        self.statements.select(ids[next].clone());
    }

    /// The relation of the next link: supports → contradicts → context → supports.
    pub(crate) fn cycle_relation(&mut self) {
        self.saved.relation = match self.saved.relation {
            Relation::Supports => Relation::Contradicts,
            Relation::Contradicts => Relation::Context,
            Relation::Context => Relation::Supports,
        };
        self.info(format!("The next link: {}", self.saved.relation));
    }

    /// Enter in the filter: the first document of the list opens.
    pub(crate) fn open_first_of_list(&mut self) {
        self.ensure_view(f64::INFINITY);
        match self.view.indices.first() {
            Some(&i) => self.set_current(i),
            None => self.info("No document matches the filter"),
        }
    }
}
