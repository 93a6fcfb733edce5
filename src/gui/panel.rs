//! What every panel of the window gets and gives back.
//!
//! A panel (the document list, the viewer, the coding panel, the statements, the status bar,
//! the filter bar) is a struct that owns its own UI state and draws itself with
//! `fn ui(&mut self, ctx: &PanelCtx, ui: &mut egui::Ui) -> Vec<Action>`: [`PanelCtx`] is a
//! read-only view of what it draws, and the [`Action`]s say what the analyst asked for. The app
//! applies them (`gui::app::command_handling`); no panel can change anything else.

use std::path::Path;

use super::filter::{DocMeta, EngineNote, FacetCounts, Filter, SortKey};
use crate::model::{Cache, Document, Suggestions};
use crate::session::{Command, Quote, Relation, Session};
use crate::workspace::{Revisions, Workspace};

use super::app::{LedgerEntry, LogEntry, SavedState, TextSelection};
use super::commands::UiCommand;

/// A panel of the window: owns its UI state, draws from a read-only context, answers what the
/// analyst asked for.
pub trait Panel: Default {
    /// Draws the panel.
    fn ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut egui::Ui) -> Vec<Action>;
}

/// Something a panel asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A window action (also what menus and keys trigger), carried out at the end of the frame.
    Ui(UiCommand),
    /// An edit of the session, applied at the end of the frame.
    Edit(Command),
    /// Sort the list by this column.
    Sort(SortKey, bool),
    /// A new filter (the filter bar was edited).
    SetFilter(Filter),
    /// Open or close the facet area.
    SetFacetsOpen(bool),
    /// The relation the next link gets.
    SetRelation(Relation),
    /// Select a statement of the article.
    SelectStatement(String),
    /// Highlight (and scroll to) this span of the current document while hovered.
    Hover((usize, usize)),
    /// The viewer's selection changed.
    Select(Option<TextSelection>),
    /// Dismiss the session check's warnings.
    DismissNotices,
    /// Drop the quote pinned for the next link.
    ClearQuote,
    /// Open the first document of the list (Enter in the filter).
    OpenFirstInList,
    /// Stop the OCR run (the pages read so far stay read).
    CancelOcr,
}

/// How far reading the cache and the background work are.
#[derive(Clone, Debug, Default)]
pub struct Progress<'a> {
    /// The cache is being read.
    pub reading: bool,
    /// (files read, files in all) while reading.
    pub files: Option<(usize, usize)>,
    /// Why the cache could not be read.
    pub failed: Option<&'a str>,
    /// Suggestions are being computed for every document.
    pub suggesting: bool,
    /// The search index being opened or built: what it says, and its folder.
    pub indexing: Option<(String, &'a Path)>,
    /// A save is being written.
    pub saving: bool,
    /// The autosave's state ("autosaved 12:03:11") and whether it failed.
    pub autosave: (&'a str, bool),
    /// How OCR of the pages without text stands.
    pub ocr: Option<&'a super::ocr_worker::OcrStatus>,
}

/// The read-only view a panel draws from.
pub struct PanelCtx<'a> {
    /// The open review.
    pub ws: &'a Workspace,
    /// The window's preferences (filter, sort, relation, theme).
    pub saved: &'a SavedState,
    /// The list: indices into the cache's documents, filtered and sorted.
    pub list: &'a [usize],
    /// The facet counts of the filter.
    pub counts: &'a FacetCounts,
    /// Filter data per document (cache order).
    pub metas: &'a [DocMeta],
    /// The document shown (index into the cache's documents).
    pub current: Option<usize>,
    /// The claim ledger.
    pub ledger: &'a [LedgerEntry],
    /// Documents reviewed.
    pub reviewed: usize,
    /// The viewer's selection.
    pub selection: Option<&'a TextSelection>,
    /// The quote the next link uses (pinned, else the selection).
    pub link_quote: Option<Quote>,
    /// The span hovered in the coding panel.
    pub hover_span: Option<(usize, usize)>,
    /// Background work.
    pub progress: Progress<'a>,
    /// The window's messages.
    pub log: &'a [LogEntry],
    /// The session check's warnings, until dismissed.
    pub notices: &'a [String],
    /// What the filter bar says about the engine under its query.
    pub engine: EngineNote,
    /// What is wrong with the filter query (it still runs).
    pub query_problems: &'a [String],
}

impl PanelCtx<'_> {
    /// The cache.
    pub fn cache(&self) -> &Cache {
        self.ws.cache()
    }

    /// The session.
    pub fn session(&self) -> &Session {
        self.ws.session()
    }

    /// The revisions the panel's cached layout depends on.
    pub fn revisions(&self) -> Revisions {
        self.ws.revisions()
    }

    /// The document shown.
    pub fn current_document(&self) -> Option<&Document> {
        self.current.and_then(|i| self.cache().documents.get(i))
    }

    /// The suggestions of a document, if computed (the current one always is).
    pub fn suggestions(&self, id: &str) -> Option<&Suggestions> {
        self.ws.suggestions().get(id)
    }
}
