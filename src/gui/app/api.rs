//! What tests (and anyone driving the window without a mouse) can ask of it and tell it.

use std::path::Path;

use crate::model::{Cache, Document, ScanError, Suggestions};
use crate::session::{Command, Editor, Relation, Session};
use crate::workspace::Workspace;

use super::super::autosave::RecoveryOffer;
use super::super::commands::UiCommand;
use super::super::filter::{FacetCounts, Filter, SortKey};
use super::super::panel::Action;
use super::super::path_bar::PathBar;
use super::App;
use super::state::{LedgerEntry, Level, LogEntry, SavedState, TextSelection};

impl App {
    /// The open review.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The loaded (or loading) cache.
    pub fn cache(&self) -> &Cache {
        self.ws.cache()
    }

    /// The cache folder.
    pub fn cache_dir(&self) -> &Path {
        self.ws.cache_dir()
    }

    /// The session being edited.
    pub fn session(&self) -> &Session {
        self.ws.session()
    }

    /// The session editor (undo/redo, revision, dirty flag).
    pub fn editor(&self) -> &Editor {
        self.ws.editor()
    }

    /// The session file, if the session has one.
    pub fn session_path(&self) -> Option<&Path> {
        self.ws.session_path()
    }

    /// True when the session has edits not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.ws.is_dirty()
    }

    /// True while the cache is being scanned.
    pub fn is_loading(&self) -> bool {
        self.jobs.loader.is_some()
    }

    /// True while a save is being written.
    pub fn is_saving(&self) -> bool {
        self.jobs.saving.is_some()
    }

    /// True while a whole-view PNG is being made (a tile per frame).
    pub fn is_saving_view_png(&self) -> bool {
        self.jobs.png.is_some()
    }

    /// True while findings are being exported.
    pub fn is_exporting(&self) -> bool {
        self.jobs.exporting.is_some()
    }

    /// The spans (chars) of the shown document that the viewer highlights as filter hits.
    pub fn viewer_filter_hits(&self) -> Vec<(usize, usize)> {
        self.current_document()
            .map(|d| super::super::viewer::filter_hits(&d.text, &self.saved.filter.text))
            .unwrap_or_default()
    }

    /// The id of the document shown in the viewer.
    pub fn current_document_id(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// The document shown in the viewer.
    pub fn current_document(&self) -> Option<&Document> {
        self.current_idx
            .and_then(|i| self.ws.cache().documents.get(i))
    }

    /// Shows the document `id` as soon as it has been read (`doctriage open --doc ID`).
    pub fn open_at_start(&mut self, id: String) {
        self.open_when_read = Some(id);
        self.show_when_read();
    }

    /// Shows the document asked for at start once it has been read (false while it has not).
    pub(crate) fn show_when_read(&mut self) -> bool {
        let Some(id) = self.open_when_read.clone() else {
            return false;
        };
        if self.ws.cache().position(&id).is_none() {
            if self.loaded {
                self.open_when_read = None;
                self.warn(format!("No document {id} in this cache"));
            }
            return false;
        }
        self.open_when_read = None;
        self.select_document(&id)
    }

    /// Selects a document by id (as a click on its row does). False when there is no such document.
    pub fn select_document(&mut self, id: &str) -> bool {
        match self.ws.cache().position(id) {
            Some(i) => {
                self.set_current(i);
                true
            }
            None => false,
        }
    }

    /// The filter.
    pub fn filter(&self) -> &Filter {
        &self.saved.filter
    }

    /// The free text of the filter.
    pub fn filter_text(&self) -> &str {
        &self.saved.filter.text
    }

    /// Sets the free text of the filter and refilters now.
    pub fn set_filter_text(&mut self, text: &str) {
        self.saved.filter.text = text.to_owned();
        self.filter_edited_at = None;
        self.ensure_view(f64::INFINITY);
    }

    /// Replaces the whole filter and refilters now.
    pub fn set_filter(&mut self, filter: Filter) {
        self.saved.filter = filter;
        self.filter_edited_at = None;
        self.ensure_view(f64::INFINITY);
    }

    /// Sets the sort of the list.
    pub fn set_sort(&mut self, key: SortKey, ascending: bool) {
        self.saved.sort = key;
        self.saved.ascending = ascending;
        self.ensure_view(f64::INFINITY);
    }

    /// The ids of the documents of the list, filtered and sorted, in order.
    pub fn visible_document_ids(&mut self) -> Vec<String> {
        self.ensure_view(f64::INFINITY);
        let docs = &self.ws.cache().documents;
        self.view
            .indices
            .iter()
            .filter_map(|&i| docs.get(i))
            .map(|d| d.id.clone())
            .collect()
    }

    /// The facet counts of the current filter.
    pub fn facet_counts(&mut self) -> FacetCounts {
        self.view.counts_wanted = true;
        self.ensure_view(f64::INFINITY);
        self.view.counts.clone()
    }

    /// The saved preferences.
    pub fn saved_state(&self) -> &SavedState {
        &self.saved
    }

    /// The window's log: every info, warning and error of this run, oldest first.
    pub fn log(&self) -> &[LogEntry] {
        self.log.entries()
    }

    /// The last error logged, if any.
    pub fn last_error(&self) -> Option<&str> {
        self.log
            .entries()
            .iter()
            .rev()
            .find(|e| e.level == Level::Error)
            .map(|e| e.text.as_str())
    }

    /// The files of the cache that could not be read.
    pub fn scan_errors(&self) -> &[ScanError] {
        &self.ws.cache().errors
    }

    /// The suggestions of a document (computed now if needed).
    pub fn suggestions_for(&mut self, id: &str) -> Suggestions {
        self.ws.suggestions_for(id).cloned().unwrap_or_default()
    }

    /// The autosave offered for recovery at start, if any.
    pub fn recovery_offer(&self) -> Option<&RecoveryOffer> {
        self.recovery.as_ref()
    }

    /// Where this session is autosaved.
    pub fn autosave_path(&self) -> Option<&Path> {
        self.autosave_path.as_deref()
    }

    /// The open path dialog, if any.
    pub fn path_bar(&self) -> Option<&PathBar> {
        self.path_bar.as_ref()
    }

    /// The open path dialog, to type into.
    pub fn path_bar_mut(&mut self) -> Option<&mut PathBar> {
        self.path_bar.as_mut()
    }

    /// The text selected in the viewer.
    pub fn viewer_selection(&self) -> Option<&TextSelection> {
        self.viewer.selection()
    }

    /// Sets the viewer selection (chars of the current document), as a mouse selection does.
    pub fn set_viewer_selection(&mut self, start: usize, end: usize) {
        let selection = self.current.clone().map(|doc| TextSelection {
            doc,
            start: start.min(end),
            end: start.max(end),
        });
        self.viewer.set_selection(selection);
    }

    /// The statement selected in the statements panel.
    pub fn selected_statement(&self) -> Option<&str> {
        self.statements.selected.as_deref()
    }

    /// Selects a statement (as a click on it does).
    pub fn select_statement(&mut self, id: &str) {
        self.statements.selected = Some(id.to_owned());
    }

    /// The relation the next link gets.
    pub fn link_relation(&self) -> Relation {
        self.saved.relation
    }

    /// Sets the relation the next link gets.
    pub fn set_link_relation(&mut self, relation: Relation) {
        self.saved.relation = relation;
    }

    /// The claim ledger as the statements panel shows it.
    pub fn ledger(&mut self) -> &[LedgerEntry] {
        self.ensure_ledger();
        &self.ledger.value().rows
    }

    /// The number of documents reviewed, as the status bar shows it.
    pub fn reviewed_count(&mut self) -> usize {
        self.ensure_ledger();
        self.ledger.value().reviewed
    }

    /// Queues a window action (carried out at the end of the next frame, or by [`App::run_pending`]).
    pub fn trigger(&mut self, cmd: UiCommand) {
        self.pending.push(Action::Ui(cmd));
    }

    /// Queues an edit of the session (applied at the end of the next frame, or by [`App::run_pending`]).
    pub fn queue_edit(&mut self, cmd: Command) {
        self.pending.push(Action::Edit(cmd));
    }

    /// Carries out everything queued, without a frame (for tests; the frame does the same).
    pub fn run_pending(&mut self) {
        self.run_commands(None);
    }

    /// Warnings shown above the viewer until dismissed (the session check after opening a session).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// What the filter bar says under the query about the engine (building the index, a query
    /// that means nothing, no index), if anything.
    pub fn engine_note_text(&self) -> Option<String> {
        use super::super::filter::EngineNote;
        match self.engine_note() {
            EngineNote::Ready => None,
            EngineNote::Building(t) | EngineNote::QueryError(t) | EngineNote::Unavailable(t) => {
                Some(t)
            }
        }
    }

    /// True once the filter bar's query runs on the search index.
    pub fn search_index_ready(&self) -> bool {
        self.ws.search().is_ready()
    }

    /// The window title: cache folder, session file or "unsaved session", and ● for unsaved edits.
    pub fn window_title(&self) -> String {
        let session = self
            .ws
            .session_path()
            .map_or_else(|| "unsaved session".to_owned(), |p| p.display().to_string());
        let mark = if self.ws.is_dirty() { " ●" } else { "" };
        format!(
            "doctriage — {} — {session}{mark}",
            self.ws.cache_dir().display()
        )
    }
}
