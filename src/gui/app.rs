//! The window's state and its frame: [`App`] keeps the saved preferences ([`SavedState`]) apart
//! from the per-run state, draws the panels, and drains the frame's commands once at its end
//! ([`App::run_commands`]). Every edit of the session is a [`session::Command`] applied through
//! [`Editor::apply`]; the window only builds them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::Local;
use egui::{Color32, Key, RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::extract::Extractor;
use crate::model::{Cache, Document, ScanError, Suggestions};
use crate::search::{SearchError, SearchIndex, SearchOptions};
use crate::session::{self, ClaimStatus, Command, Editor, Link, Quote, Relation, Session, Status};

use super::autosave::{self, Autosaver, RecoveryOffer};
use super::commands::UiCommand;
use super::filter::{self, DocMeta, FacetCounts, Filter, FilterInput, SortKey};
use super::loader::{IndexWorker, Job, LoadMsg, Loader, SaveJob, SuggestWorker, Waker};
use super::path_bar::{PathAction, PathBar, PathBarOutcome};

/// The eframe storage key of [`SavedState`].
pub const STORAGE_KEY: &str = "doctriage-window";

/// Caches above this size filter the free text 0.2 s after the last keystroke, not on every one.
const DEBOUNCE_ABOVE_DOCS: usize = 20_000;

/// Preferences kept between runs (eframe persistence): theme, filter, sort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedState {
    /// Dark theme.
    pub dark: bool,
    /// The list filter.
    pub filter: Filter,
    /// The list's sort column.
    pub sort: SortKey,
    /// Ascending sort.
    pub ascending: bool,
    /// The facet area is open.
    pub facets_open: bool,
    /// The relation last chosen for links.
    pub relation: Relation,
    /// The evidence views' settings.
    pub views: super::views::ViewsState,
}

impl Default for SavedState {
    fn default() -> Self {
        Self {
            dark: false,
            filter: Filter::default(),
            sort: SortKey::Path,
            ascending: true,
            facets_open: false,
            relation: Relation::Supports,
            views: super::views::ViewsState::default(),
        }
    }
}

/// How serious a logged message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Something done.
    Info,
    /// Something to check.
    Warning,
    /// Something that failed.
    Error,
}

/// One line of the window's log (shown in the status bar and the errors window).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Local time, `HH:MM:SS`.
    pub time: String,
    /// Info, warning or error.
    pub level: Level,
    /// The message.
    pub text: String,
}

/// Something the frame asks for, applied at its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// A window action.
    Ui(UiCommand),
    /// An edit of the session.
    Edit(Command),
}

/// The text selected in the viewer (chars).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSelection {
    /// Document id.
    pub doc: String,
    /// Start (inclusive).
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

/// One statement of the ledger, owned (recomputed when the session changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Statement id.
    pub id: String,
    /// Statement text.
    pub text: String,
    /// Supported, contested or unsupported.
    pub status: ClaimStatus,
    /// (document id, index of the link in the document's links, the link).
    pub evidence: Vec<(String, usize, Link)>,
}

/// Cached list view: filtered and sorted indices and facet counts.
#[derive(Default)]
pub(crate) struct ListView {
    key: Option<ViewKey>,
    pub(crate) indices: Vec<usize>,
    pub(crate) counts: FacetCounts,
    mask_key: Option<MaskKey>,
    mask: Option<Vec<bool>>,
    sugg_refreshed_at: f64,
    counts_wanted: bool,
}

/// What the list's query mask was computed for: the query, exact or folded, the cache, whether
/// the index answered it, and (for a query on review fields) the session state.
#[derive(Clone, PartialEq)]
struct MaskKey {
    text: String,
    exact: bool,
    data_gen: u64,
    indexed: bool,
    review: Option<(u64, u64)>,
}

/// The search index behind the filter bar (the engine of `doctriage search`).
#[derive(Default)]
pub(crate) struct SearchState {
    /// Opening or building the index of the loaded cache.
    pub(crate) worker: Option<IndexWorker>,
    /// The index, once ready.
    pub(crate) index: Option<SearchIndex>,
    /// Why there is no index (the filter then matches plain words as substrings).
    pub(crate) unavailable: Option<String>,
    /// Why the current query means nothing.
    pub(crate) query_error: Option<String>,
    /// Where each indexed document stands in the cache's list (for the data generation).
    pub(crate) positions: Option<(u64, crate::search::Positions)>,
    /// The session state (editor id, revision) whose review the index holds.
    pub(crate) synced: Option<(u64, u64)>,
    /// Where indexes are kept (None: [`crate::search::default_index_dir`]).
    pub(crate) root: Option<PathBuf>,
    /// `root` is a test's own folder, deleted with the window.
    pub(crate) owns_root: bool,
}

impl SearchState {
    /// Forgets the index of the previous cache (a running build is cancelled); where indexes
    /// are kept stays.
    fn clear(&mut self) {
        self.worker = None;
        self.index = None;
        self.unavailable = None;
        self.query_error = None;
        self.positions = None;
        self.synced = None;
    }
}

impl Drop for SearchState {
    fn drop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.cancel();
            let _ = w.join();
        }
        self.index = None;
        if self.owns_root
            && let Some(root) = &self.root
        {
            let _ = std::fs::remove_dir_all(root);
        }
    }
}

#[derive(Clone, PartialEq)]
struct ViewKey {
    filter: Filter,
    sort: SortKey,
    ascending: bool,
    editor: u64,
    revision: u64,
    data_gen: u64,
    sugg_gen: u64,
    with_counts: bool,
    indexed: bool,
}

/// Buffers of the coding panel's text fields.
#[derive(Default)]
pub(crate) struct CodingState {
    pub(crate) synced: Option<(String, u64)>,
    pub(crate) date_text: String,
    pub(crate) date_doc: String,
    pub(crate) date_error: Option<String>,
    pub(crate) notes_text: String,
    pub(crate) notes_doc: String,
    pub(crate) add_text: [String; 4],
    pub(crate) refocus_add: Option<usize>,
    pub(crate) pool_key: Option<(u64, u64)>,
    pub(crate) pools: [Vec<String>; 4],
}

/// State of the statements panel.
#[derive(Default)]
pub(crate) struct StatementsState {
    pub(crate) selected: Option<String>,
    pub(crate) scroll_to_selected: bool,
    pub(crate) note: String,
    pub(crate) quote: Option<(String, Quote)>,
}

/// The window.
pub struct App {
    pub(crate) saved: SavedState,
    pub(crate) cache_dir: PathBuf,
    pub(crate) cache: Arc<Cache>,
    pub(crate) metas: Vec<DocMeta>,
    pub(crate) data_gen: u64,
    pub(crate) loader: Option<Loader>,
    pub(crate) progress: Option<(usize, usize)>,
    pub(crate) loaded: bool,
    pub(crate) load_failed: Option<String>,
    pub(crate) waker: Waker,
    pub(crate) extractor: Extractor,
    pub(crate) suggestions: HashMap<String, Suggestions>,
    pub(crate) suggest_worker: Option<SuggestWorker>,
    pub(crate) sugg_gen: u64,
    pub(crate) editor: Editor,
    pub(crate) session_path: Option<PathBuf>,
    pub(crate) verify_after_load: bool,
    pub(crate) current: Option<String>,
    pub(crate) current_idx: Option<usize>,
    pub(crate) view: ListView,
    pub(crate) filter_edited_at: Option<f64>,
    pub(crate) scroll_list_to_current: bool,
    pub(crate) pending: Vec<Pending>,
    pub(crate) log: Vec<LogEntry>,
    pub(crate) path_bar: Option<PathBar>,
    pub(crate) autosaver: Autosaver,
    pub(crate) autosave_path: Option<PathBuf>,
    pub(crate) recovery: Option<RecoveryOffer>,
    pub(crate) quit_dialog: bool,
    pub(crate) allow_close: bool,
    pub(crate) discarded: bool,
    pub(crate) show_shortcuts: bool,
    pub(crate) show_errors: bool,
    pub(crate) show_views: bool,
    pub(crate) png_job: Option<super::views::PngJob>,
    pub(crate) ctx: Option<egui::Context>,
    pub(crate) session_lock: Option<crate::lock::SessionLock>,
    pub(crate) selection: Option<TextSelection>,
    pub(crate) scroll_to: Option<(String, usize, usize)>,
    pub(crate) flash: Option<(String, usize, usize)>,
    pub(crate) hover_span: Option<(usize, usize)>,
    pub(crate) last_hover_span: Option<(usize, usize)>,
    pub(crate) focus_notes: bool,
    pub(crate) focus_filter: bool,
    pub(crate) coding: CodingState,
    pub(crate) statements: StatementsState,
    pub(crate) ledger_key: Option<(u64, u64)>,
    pub(crate) ledger: Vec<LedgerEntry>,
    pub(crate) reviewed: usize,
    pub(crate) viewer_cache: super::viewer::ViewerCache,
    pub(crate) style_applied: Option<bool>,
    pub(crate) fonts_installed: bool,
    pub(crate) title: String,
    pub(crate) notices: Vec<String>,
    pub(crate) doc_index: (u64, HashMap<String, usize>),
    pub(crate) saving: Option<SaveJob>,
    pub(crate) exporting: Option<Job<String>>,
    pub(crate) search: SearchState,
}

/// A search-index folder of its own for each window a test makes (`<temp>/doctriage-test-index-
/// <pid>-<n>`, deleted with the window), so parallel tests never share an index writer.
fn test_index_root() -> PathBuf {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("doctriage-test-index-{}-{n}", std::process::id()))
}

fn now_hms() -> String {
    Local::now().format("%H:%M:%S").to_string()
}

fn analyst_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}

fn empty_cache(root: &Path) -> Cache {
    Cache {
        root: root.to_path_buf(),
        gazetteer: crate::gazetteer::builtin(),
        ..Cache::default()
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(a) == canon(b)
}

impl App {
    /// Opens the window state on a cache folder and, optionally, a session file. The scan starts
    /// at once on a background thread; `storage` gives the saved preferences (None in tests).
    ///
    /// A session file that exists is loaded (its cache folder wins over `cache_dir`); one that
    /// does not exist is created on the first save; one that cannot be read is reported and never
    /// overwritten (the window then edits a new, unsaved session).
    pub fn new(
        cache_dir: PathBuf,
        session: Option<PathBuf>,
        storage: Option<&dyn eframe::Storage>,
    ) -> Self {
        Self::new_with_autosave_dir(cache_dir, session, storage, autosave::autosave_dir())
    }

    /// [`App::new`] with autosaves in `autosave_dir` (None: no autosave, no recovery offer).
    pub fn new_with_autosave_dir(
        cache_dir: PathBuf,
        session: Option<PathBuf>,
        storage: Option<&dyn eframe::Storage>,
        autosave_dir: Option<PathBuf>,
    ) -> Self {
        let saved: SavedState = storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default();
        let mut log = Vec::new();
        let mut cache_dir = cache_dir;
        let mut session_path = None;
        let mut loaded_session = None;
        let mut session_lock = None;
        if let Some(path) = session {
            // Another doctriage with this session open holds its lock: open nothing over it.
            // A session kept inside the cache is only read: no lock file beside the evidence.
            let inside_cache = session::check_outside_cache(&cache_dir, &path).is_err();
            let locked = if inside_cache {
                Ok(())
            } else {
                match crate::lock::SessionLock::acquire(&path) {
                    Ok(lock) => {
                        session_lock = Some(lock);
                        Ok(())
                    }
                    Err(e @ crate::lock::LockError::Held { .. }) => Err(e.to_string()),
                    // A folder where no lock can be written (read-only media) does not stop reading.
                    Err(_) => Ok(()),
                }
            };
            if let Err(e) = locked {
                log.push(LogEntry {
                    time: now_hms(),
                    level: Level::Error,
                    text: format!("{e}; editing a new unsaved session instead"),
                });
            } else if path.exists() {
                match Session::load(&path) {
                    Ok(s) => {
                        cache_dir = s.cache_root(&path);
                        loaded_session = Some(s);
                        session_path = Some(path);
                    }
                    Err(e) => log.push(LogEntry {
                        time: now_hms(),
                        level: Level::Error,
                        text: e.to_string(),
                    }),
                }
            } else {
                session_path = Some(path);
            }
        }
        let verify_after_load = loaded_session.is_some();
        let session = loaded_session.unwrap_or_else(|| {
            Session::new(
                &cache_dir,
                session_path.as_deref(),
                &analyst_name(),
                &Cache::default(),
            )
        });
        let cache = empty_cache(&cache_dir);
        let extractor = Extractor::new(&cache.gazetteer);
        let autosave_path = autosave_dir
            .as_deref()
            .map(|d| autosave::autosave_path_in(d, session_path.as_deref(), &cache_dir));
        let recovery = autosave_path
            .as_deref()
            .and_then(|p| autosave::recovery_offer(p, session_path.as_deref()));
        let mut app = Self {
            saved,
            cache_dir: cache_dir.clone(),
            cache: Arc::new(cache),
            metas: Vec::new(),
            data_gen: 0,
            loader: None,
            progress: None,
            loaded: false,
            load_failed: None,
            waker: Arc::new(Mutex::new(None)),
            extractor,
            suggestions: HashMap::new(),
            suggest_worker: None,
            sugg_gen: 0,
            editor: Editor::new(session),
            session_path,
            verify_after_load,
            current: None,
            current_idx: None,
            view: ListView::default(),
            filter_edited_at: None,
            scroll_list_to_current: false,
            pending: Vec::new(),
            log,
            path_bar: None,
            autosaver: Autosaver::default(),
            autosave_path,
            recovery,
            quit_dialog: false,
            allow_close: false,
            discarded: false,
            show_shortcuts: false,
            show_errors: false,
            show_views: false,
            png_job: None,
            ctx: None,
            session_lock,
            selection: None,
            scroll_to: None,
            flash: None,
            hover_span: None,
            last_hover_span: None,
            focus_notes: false,
            focus_filter: false,
            coding: CodingState::default(),
            statements: StatementsState::default(),
            ledger_key: None,
            ledger: Vec::new(),
            reviewed: 0,
            viewer_cache: Default::default(),
            saving: None,
            exporting: None,
            search: SearchState::default(),
            style_applied: None,
            fonts_installed: false,
            title: String::new(),
            notices: Vec::new(),
            doc_index: (u64::MAX, HashMap::new()),
        };
        app.start_loading(&cache_dir);
        app
    }

    /// [`App::new`] followed by [`App::wait_for_load`]: a loaded window state for tests.
    ///
    /// Its autosaves go to a folder of this test process (`<temp>/doctriage-test-autosave-<pid>`),
    /// so the analyst's own autosaves never show up as a recovery offer in a test; use
    /// [`App::new_with_autosave_dir`] and [`App::wait_for_load`] to test recovery.
    pub fn new_blocking_for_tests(cache_dir: PathBuf, session: Option<PathBuf>) -> Self {
        let dir =
            std::env::temp_dir().join(format!("doctriage-test-autosave-{}", std::process::id()));
        let mut app = Self::new_with_autosave_dir(cache_dir, session, None, Some(dir));
        app.search.root = Some(test_index_root());
        app.search.owns_root = true;
        app.wait_for_load();
        app
    }

    /// Waits for the scan, the suggestion worker and the search index to finish and takes in
    /// what they sent.
    pub fn wait_for_load(&mut self) {
        if let Some(loader) = self.loader.as_mut() {
            let msgs = loader.wait();
            self.take_load_messages(msgs);
        }
        if let Some(worker) = self.suggest_worker.as_mut() {
            let batch = worker.wait();
            self.take_suggestions(batch);
            self.suggest_worker = None;
        }
        self.take_index();
        self.ensure_view(f64::INFINITY);
        self.ensure_ledger();
    }

    // ----- public queries, for tests and the panels -----

    /// The loaded (or loading) cache.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The cache folder.
    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    /// The session being edited.
    pub fn session(&self) -> &Session {
        &self.editor.session
    }

    /// The session editor (undo/redo, revision, dirty flag).
    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    /// The session file, if the session has one.
    pub fn session_path(&self) -> Option<&Path> {
        self.session_path.as_deref()
    }

    /// True when the session has edits not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.editor.is_dirty()
    }

    /// True while the cache is being scanned.
    pub fn is_loading(&self) -> bool {
        self.loader.is_some()
    }

    /// The id of the document shown in the viewer.
    pub fn current_document_id(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// The document shown in the viewer.
    pub fn current_document(&self) -> Option<&Document> {
        self.current_idx.and_then(|i| self.cache.documents.get(i))
    }

    /// Selects a document by id (as a click on its row does). False when there is no such document.
    pub fn select_document(&mut self, id: &str) -> bool {
        match self.position(id) {
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
        self.view
            .indices
            .iter()
            .filter_map(|&i| self.cache.documents.get(i))
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
        &self.log
    }

    /// The last error logged, if any.
    pub fn last_error(&self) -> Option<&str> {
        self.log
            .iter()
            .rev()
            .find(|e| e.level == Level::Error)
            .map(|e| e.text.as_str())
    }

    /// The files of the cache that could not be read.
    pub fn scan_errors(&self) -> &[ScanError] {
        &self.cache.errors
    }

    /// The suggestions of a document (computed now if needed).
    pub fn suggestions_for(&mut self, id: &str) -> Suggestions {
        self.ensure_suggestions(id).cloned().unwrap_or_default()
    }

    /// The autosave offered for recovery at start, if any.
    pub fn recovery_offer(&self) -> Option<&RecoveryOffer> {
        self.recovery.as_ref()
    }

    fn autosave_file(&self, session_path: Option<&Path>, cache_dir: &Path) -> Option<PathBuf> {
        let dir = self.autosave_path.as_deref().and_then(Path::parent)?;
        Some(autosave::autosave_path_in(dir, session_path, cache_dir))
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

    /// Opens the path dialog for an action (as the File menu does).
    pub fn open_path_bar(&mut self, action: PathAction) {
        let abs_cache =
            std::path::absolute(&self.cache_dir).unwrap_or_else(|_| self.cache_dir.clone());
        let beside_cache = abs_cache
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let session_dir = self
            .session_path
            .as_ref()
            .and_then(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty());
        let out_dir = session_dir
            .map(Path::to_path_buf)
            .unwrap_or(beside_cache.clone());
        let cache_name = abs_cache
            .file_name()
            .map_or_else(|| "cache".to_owned(), |n| n.to_string_lossy().into_owned());
        let initial = match action {
            PathAction::OpenCache => format!("{}/", abs_cache.display()),
            PathAction::OpenSession => match &self.session_path {
                Some(p) => p.display().to_string(),
                None => format!("{}/", beside_cache.display()),
            },
            PathAction::SaveSession => match &self.session_path {
                Some(p) => p.display().to_string(),
                None => format!("{}/{cache_name}-session.json", beside_cache.display()),
            },
            PathAction::ExportFindings => {
                format!("{}/{cache_name}-findings.json", out_dir.display())
            }
            PathAction::SaveViewPng => format!(
                "{}/{cache_name}-{}",
                out_dir.display(),
                self.saved.views.kind.png_file_name()
            ),
        };
        self.path_bar = Some(PathBar::new(action, initial));
    }

    /// Carries out a path action at once (what the path dialog's button does). On success the
    /// dialog closes; on error the message is returned, shown in the dialog and logged.
    pub fn submit_path(&mut self, action: PathAction, path: &Path) -> Result<(), String> {
        self.flush_buffers();
        let result = match action {
            PathAction::OpenCache => self.open_cache(path),
            PathAction::OpenSession => self.open_session(path),
            PathAction::SaveSession => self.save_to(path),
            PathAction::ExportFindings => self.export_to(path),
            PathAction::SaveViewPng => self.save_view_png(path),
        };
        match &result {
            Ok(()) => {
                let quit = self.path_bar.as_ref().is_some_and(|b| b.then_quit);
                self.path_bar = None;
                if quit
                    && action == PathAction::SaveSession
                    && let Some(job) = self.saving.as_mut()
                {
                    // The window closes once the file is written (and stays open if it fails).
                    job.then_close = true;
                }
            }
            Err(e) => {
                self.error(e.clone());
                if let Some(bar) = self.path_bar.as_mut() {
                    bar.message = Some(e.clone());
                }
            }
        }
        result
    }

    /// The text selected in the viewer.
    pub fn viewer_selection(&self) -> Option<&TextSelection> {
        self.selection.as_ref()
    }

    /// Sets the viewer selection (chars of the current document), as a mouse selection does.
    pub fn set_viewer_selection(&mut self, start: usize, end: usize) {
        self.selection = self.current.clone().map(|doc| TextSelection {
            doc,
            start: start.min(end),
            end: start.max(end),
        });
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
        &self.ledger
    }

    /// Queues a window action (carried out at the end of the next frame, or by [`App::run_pending`]).
    pub fn trigger(&mut self, cmd: UiCommand) {
        self.pending.push(Pending::Ui(cmd));
    }

    /// Queues an edit of the session (applied at the end of the next frame, or by [`App::run_pending`]).
    pub fn queue_edit(&mut self, cmd: Command) {
        self.pending.push(Pending::Edit(cmd));
    }

    /// Carries out everything queued, without a frame (for tests; the frame does the same).
    pub fn run_pending(&mut self) {
        self.run_commands(None);
    }

    /// Applies one edit now, as the window does; returns the error message if it was refused.
    pub fn apply_edit(&mut self, cmd: Command) -> Result<(), String> {
        match self.editor.apply(&self.cache, cmd) {
            Ok(()) => {
                self.sync_search_review();
                Ok(())
            }
            Err(e) => {
                let msg = e.to_string();
                self.error(msg.clone());
                Err(msg)
            }
        }
    }

    /// Writes the autosave now (blocking). Returns its path.
    pub fn autosave_now(&mut self) -> Result<PathBuf, String> {
        let path = self
            .autosave_path
            .clone()
            .ok_or("no data folder for autosaves on this system")?;
        self.autosaver.wait();
        autosave::write_now(&path, &self.editor.session)?;
        self.autosaver.saved_revision = Some(self.editor.revision());
        self.autosaver.status = format!("autosaved {}", now_hms());
        Ok(path)
    }

    /// Recovers the autosave offered at start (as the recovery dialog's "Recover" does).
    pub fn recover_autosave(&mut self) -> Result<(), String> {
        let offer = self.recovery.take().ok_or("no autosave to recover")?;
        match Session::load(&offer.path) {
            Ok(s) => {
                self.editor = Editor::new(s);
                // The recovered edits are not in the session file yet.
                self.editor.mark_saved(u64::MAX);
                self.coding.synced = None;
                self.info(format!("Recovered the autosave of {}", offer.when));
                Ok(())
            }
            Err(e) => {
                let msg = format!("Cannot recover the autosave: {e}");
                self.error(msg.clone());
                Err(msg)
            }
        }
    }

    /// Discards the autosave offered at start (the file is deleted).
    pub fn discard_autosave(&mut self) {
        if let Some(offer) = self.recovery.take() {
            let _ = std::fs::remove_file(&offer.path);
        }
    }

    /// The window title: cache folder, session file or "unsaved session", and ● for unsaved edits.
    pub fn window_title(&self) -> String {
        let session = self
            .session_path
            .as_ref()
            .map_or_else(|| "unsaved session".to_owned(), |p| p.display().to_string());
        let mark = if self.editor.is_dirty() { " ●" } else { "" };
        format!("doctriage — {} — {session}{mark}", self.cache_dir.display())
    }

    // ----- logging -----

    pub(crate) fn push_log(&mut self, level: Level, text: String) {
        self.log.push(LogEntry {
            time: now_hms(),
            level,
            text,
        });
    }

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.push_log(Level::Error, text.into());
    }

    pub(crate) fn warn(&mut self, text: impl Into<String>) {
        self.push_log(Level::Warning, text.into());
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.push_log(Level::Info, text.into());
    }

    // ----- loading -----

    fn start_loading(&mut self, dir: &Path) {
        self.loader = None;
        self.suggest_worker = None;
        self.search.clear();
        self.cache_dir = dir.to_path_buf();
        self.cache = Arc::new(empty_cache(dir));
        self.extractor = Extractor::new(&self.cache.gazetteer);
        self.metas.clear();
        self.suggestions.clear();
        self.data_gen += 1;
        self.sugg_gen += 1;
        self.loaded = false;
        self.load_failed = None;
        self.progress = Some((0, 0));
        self.current = None;
        self.current_idx = None;
        self.selection = None;
        self.statements.quote = None;
        match Loader::start(dir, self.waker.clone()) {
            Ok(l) => self.loader = Some(l),
            Err(e) => {
                self.progress = None;
                let msg = format!("Cannot start reading the cache: {e}: {}", dir.display());
                self.load_failed = Some(msg.clone());
                self.error(msg);
            }
        }
    }

    fn take_load_messages(&mut self, msgs: Vec<LoadMsg>) {
        for msg in msgs {
            match msg {
                LoadMsg::Listed(total) => self.progress = Some((0, total)),
                LoadMsg::Batch {
                    documents,
                    metas,
                    errors,
                    done,
                    total,
                } => {
                    self.progress = Some((done, total));
                    let cache = Arc::make_mut(&mut self.cache);
                    cache.documents.extend(documents);
                    cache.errors.extend(errors);
                    self.metas.extend(metas);
                    self.data_gen += 1;
                    if self.current.is_none() && !self.cache.documents.is_empty() {
                        self.set_current(0);
                    }
                }
                LoadMsg::Done(cache) => self.finish_loading(*cache),
                LoadMsg::Failed { message, cancelled } => {
                    self.loader = None;
                    self.progress = None;
                    if cancelled {
                        self.warn(format!("{message} (the documents read so far stay listed)"));
                    } else {
                        self.load_failed = Some(message.clone());
                        self.error(message);
                    }
                }
            }
        }
    }

    fn finish_loading(&mut self, cache: Cache) {
        self.loader = None;
        self.progress = None;
        self.loaded = true;
        // The final cache may order documents differently from the stream: carry the metas over.
        let same_order = cache.documents.len() == self.cache.documents.len()
            && cache
                .documents
                .iter()
                .zip(&self.cache.documents)
                .all(|(a, b)| a.id == b.id);
        if !same_order {
            let mut old: HashMap<String, DocMeta> = self
                .cache
                .documents
                .iter()
                .map(|d| d.id.clone())
                .zip(std::mem::take(&mut self.metas))
                .collect();
            self.metas = cache
                .documents
                .iter()
                .map(|d| old.remove(&d.id).unwrap_or_else(|| filter::doc_meta(d)))
                .collect();
        }
        let unreadable = cache.errors.len();
        let n = cache.documents.len();
        self.cache = Arc::new(cache);
        self.extractor = Extractor::new(&self.cache.gazetteer);
        self.suggestions.clear();
        self.data_gen += 1;
        self.sugg_gen += 1;
        if self.editor.session.article_sha256.is_none()
            && let Some((_, a)) = &self.cache.article
        {
            // What Session::new records for a session started on a loaded cache.
            self.editor.session.article_sha256 = Some(a.sha256.clone());
        }
        let current = self.current.clone();
        self.current_idx = current.and_then(|id| self.position(&id));
        if self.current_idx.is_none() && n > 0 {
            self.set_current(0);
        }
        if n == 0 {
            self.error(format!(
                "No documents found in {}",
                self.cache_dir.display()
            ));
        } else {
            self.info(format!(
                "Loaded {n} documents from {}",
                self.cache_dir.display()
            ));
        }
        if unreadable > 0 {
            self.warn(format!(
                "{unreadable} files could not be read (see Errors and warnings)"
            ));
        }
        if self.cache.article.is_none() {
            self.warn(
                "No article in this cache (article.md at its root): statements cannot be linked",
            );
        }
        if self.verify_after_load {
            self.verify_after_load = false;
            self.show_verification();
        }
        match SuggestWorker::start(self.cache.clone(), &self.suggestions, self.waker.clone()) {
            Ok(w) => self.suggest_worker = Some(w),
            Err(e) => self.warn(format!("Suggestions for the facets are not computed: {e}")),
        }
        self.start_index();
    }

    fn take_suggestions(&mut self, batch: Vec<(String, Suggestions)>) {
        if batch.is_empty() {
            return;
        }
        for (id, s) in batch {
            self.suggestions.entry(id).or_insert(s);
        }
        self.sugg_gen += 1;
    }

    fn poll_background(&mut self) {
        if let Some(loader) = &self.loader {
            let msgs = loader.poll();
            self.take_load_messages(msgs);
        }
        if let Some(worker) = &self.suggest_worker {
            let batch = worker.poll();
            let finished = worker.finished();
            self.take_suggestions(batch);
            if finished && let Some(mut w) = self.suggest_worker.take() {
                let rest = w.wait();
                self.take_suggestions(rest);
            }
        }
        if let Some(err) = self.autosaver.poll() {
            self.error(err);
        }
        if self
            .search
            .worker
            .as_ref()
            .is_some_and(IndexWorker::is_finished)
        {
            self.take_index();
        }
        if self.saving.as_ref().is_some_and(SaveJob::is_finished) {
            self.wait_for_save();
        }
        if self.exporting.as_ref().is_some_and(Job::is_finished) {
            self.wait_for_export();
        }
    }

    /// The suggestions of a document, computed now with the cache's extractor if needed.
    pub(crate) fn ensure_suggestions(&mut self, id: &str) -> Option<&Suggestions> {
        if !self.suggestions.contains_key(id) {
            let idx = self.position(id)?;
            let doc = self.cache.documents.get(idx)?;
            let s = self.extractor.suggest(doc);
            self.suggestions.insert(id.to_owned(), s);
        }
        self.suggestions.get(id)
    }

    // ----- derived data -----

    /// The index of a document by id (a map rebuilt when the documents change).
    pub(crate) fn position(&mut self, id: &str) -> Option<usize> {
        if self.doc_index.0 != self.data_gen {
            let map = self
                .cache
                .documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.clone(), i))
                .collect();
            self.doc_index = (self.data_gen, map);
        }
        self.doc_index.1.get(id).copied()
    }

    pub(crate) fn ensure_view(&mut self, now: f64) {
        let key = ViewKey {
            filter: self.saved.filter.clone(),
            sort: self.saved.sort,
            ascending: self.saved.ascending,
            editor: self.editor.id(),
            revision: self.editor.revision(),
            data_gen: self.data_gen,
            sugg_gen: self.sugg_gen,
            with_counts: self.saved.facets_open || self.view.counts_wanted,
            indexed: self.search.index.is_some(),
        };
        if self.view.key.as_ref() == Some(&key) {
            return;
        }
        // New suggestions alone (the background worker) refresh the counts at most every 2 s.
        // (`now` is infinite when the caller needs the list as it is now.)
        if let Some(old) = &self.view.key
            && self.suggest_worker.is_some()
            && now.is_finite()
            && (ViewKey {
                sugg_gen: key.sugg_gen,
                ..old.clone()
            }) == key
            && (0.0..2.0).contains(&(now - self.view.sugg_refreshed_at))
        {
            return;
        }
        if now.is_finite() {
            self.view.sugg_refreshed_at = now;
        }
        // An edit alone changes the list only through the filter's session facets or the sort.
        if let Some(old) = &self.view.key
            && (ViewKey {
                revision: key.revision,
                ..old.clone()
            }) == key
            && !key.filter.depends_on_session()
            && !key.with_counts
        {
            if key.sort.depends_on_session() {
                let input = FilterInput {
                    cache: &self.cache,
                    session: &self.editor.session,
                    metas: &self.metas,
                    suggestions: &self.suggestions,
                };
                filter::sort_indices(&mut self.view.indices, input, key.sort, key.ascending);
            }
            self.view.key = Some(key);
            return;
        }
        // Big caches without their index yet: wait for a pause in typing before scanning every
        // text again (the index answers in about a millisecond).
        if let Some(t) = self.filter_edited_at
            && !key.indexed
            && self.cache.documents.len() > DEBOUNCE_ABOVE_DOCS
            && now - t < 0.2
        {
            return;
        }
        self.filter_edited_at = None;
        let review = (key.indexed && crate::search::query_uses_review(&key.filter.text))
            .then(|| (self.editor.id(), self.editor.revision()));
        let mask_key = MaskKey {
            text: key.filter.text.clone(),
            exact: key.filter.exact,
            data_gen: self.data_gen,
            indexed: key.indexed,
            review,
        };
        if self.view.mask_key.as_ref() != Some(&mask_key) {
            self.view.mask = self.query_mask(&key.filter.text, key.filter.exact);
            self.view.mask_key = Some(mask_key);
        }
        let input = FilterInput {
            cache: &self.cache,
            session: &self.editor.session,
            metas: &self.metas,
            suggestions: &self.suggestions,
        };
        let (mut indices, counts) = filter::evaluate_with(
            input,
            &key.filter,
            self.view.mask.as_deref(),
            key.with_counts,
        );
        filter::sort_indices(&mut indices, input, key.sort, key.ascending);
        self.view.indices = indices;
        self.view.counts = counts;
        self.view.key = Some(key);
    }

    /// Which documents the filter bar's query matches (`None`: an empty query, all match): the
    /// search index answers it once ready; until then (or without an index, or for a query that
    /// means nothing) its plain words match as folded substrings.
    fn query_mask(&mut self, text: &str, exact: bool) -> Option<Vec<bool>> {
        self.search.query_error = None;
        if text.trim().is_empty() {
            return None;
        }
        self.sync_search_review();
        if let Some(index) = &self.search.index {
            let stale = self
                .search
                .positions
                .as_ref()
                .is_none_or(|(g, _)| *g != self.data_gen);
            if stale {
                let order = self.cache.documents.iter().map(|d| d.id.as_str());
                self.search.positions = Some((self.data_gen, index.positions(order)));
            }
            if let Some((_, positions)) = &self.search.positions {
                let opts = SearchOptions { exact, limit: 0 };
                let n = self.cache.documents.len();
                match index.matching_mask(text, &opts, positions, n) {
                    Ok(mask) => return Some(mask),
                    Err(e) => {
                        self.search.query_error =
                            Some(format!("{e} (plain words are matched instead)"));
                    }
                }
            }
        }
        filter::text_mask(&self.metas, text)
    }

    /// Brings the index's copy of the review (`status:`, `tag:`, the analyst's values) up to the
    /// session: one edit updates its documents; anything else reloads the whole session.
    pub(crate) fn sync_search_review(&mut self) {
        let Some(index) = self.search.index.as_mut() else {
            return;
        };
        let now = (self.editor.id(), self.editor.revision());
        if self.search.synced == Some(now) {
            return;
        }
        let (docs, aliases) = self.editor.last_change();
        match self.search.synced {
            Some((id, rev)) if id == now.0 && rev + 1 == now.1 && !aliases => {
                for d in docs {
                    index.update_review(d, self.editor.session.review(d));
                }
            }
            _ => index.set_session(Some(&self.editor.session)),
        }
        self.search.synced = Some(now);
    }

    /// Starts opening (or building) the search index of the loaded cache on a worker thread.
    fn start_index(&mut self) {
        self.search.clear();
        if self.cache.documents.is_empty() {
            return;
        }
        let default = crate::search::default_index_dir(&self.cache_dir);
        let dir = match (&self.search.root, default.file_name()) {
            (Some(root), Some(name)) => root.join(name),
            _ => default,
        };
        match IndexWorker::start(self.cache.clone(), dir, self.waker.clone()) {
            Ok(w) => self.search.worker = Some(w),
            Err(e) => {
                self.search.unavailable = Some(format!(
                    "The search index could not be started ({e}); plain words are matched"
                ))
            }
        }
    }

    /// Takes the finished index worker's result (blocking until it is done).
    fn take_index(&mut self) {
        let Some(worker) = self.search.worker.take() else {
            return;
        };
        match worker.join() {
            Ok(index) => {
                self.search.index = Some(index);
                self.search.positions = None;
                self.search.synced = None;
                self.sync_search_review();
            }
            Err(SearchError::Cancelled) => {}
            Err(e) => {
                let msg = format!("Search index unavailable ({e}); the filter matches plain words");
                self.search.unavailable = Some(msg.clone());
                self.warn(msg);
            }
        }
    }

    /// What the filter bar says about the engine under its query.
    pub(crate) fn engine_note(&self) -> filter::EngineNote {
        if let Some(e) = &self.search.query_error {
            return filter::EngineNote::QueryError(e.clone());
        }
        if self.saved.filter.text.trim().is_empty() || self.search.index.is_some() {
            return filter::EngineNote::Ready;
        }
        if let Some(u) = &self.search.unavailable {
            return filter::EngineNote::Unavailable(u.clone());
        }
        let progress = self
            .search
            .worker
            .as_ref()
            .map_or_else(|| "loading".to_owned(), IndexWorker::progress_text);
        filter::EngineNote::Building(format!(
            "{progress}: until it is ready, plain words match as substrings"
        ))
    }

    /// What the filter bar says under the query about the engine (building the index, a query
    /// that means nothing, no index), if anything.
    pub fn engine_note_text(&self) -> Option<String> {
        match self.engine_note() {
            filter::EngineNote::Ready => None,
            filter::EngineNote::Building(t)
            | filter::EngineNote::QueryError(t)
            | filter::EngineNote::Unavailable(t) => Some(t),
        }
    }

    /// True once the filter bar's query runs on the search index.
    pub fn search_index_ready(&self) -> bool {
        self.search.index.is_some()
    }

    pub(crate) fn ensure_ledger(&mut self) {
        let key = (self.editor.revision(), self.data_gen);
        if self.ledger_key == Some(key) {
            return;
        }
        let session = &self.editor.session;
        self.ledger = session::ledger(session, &self.cache)
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
        // While loading, the documents are not all there yet: count every review.
        let loading = self.loader.is_some();
        if !loading {
            let _ = self.position("");
        }
        let session = &self.editor.session;
        let index = &self.doc_index.1;
        self.reviewed = session
            .documents
            .iter()
            .filter(|(id, r)| {
                r.status != Status::Unreviewed && (loading || index.contains_key(id.as_str()))
            })
            .count();
        self.ledger_key = Some(key);
    }

    // ----- selection -----

    pub(crate) fn set_current(&mut self, idx: usize) {
        let Some(doc) = self.cache.documents.get(idx) else {
            return;
        };
        if self.current.as_deref() != Some(doc.id.as_str()) {
            self.selection = None;
            self.flash = None;
        }
        self.current = Some(doc.id.clone());
        self.current_idx = Some(idx);
        self.scroll_list_to_current = true;
    }

    fn step(&mut self, forward: bool) {
        self.ensure_view(f64::INFINITY);
        let list = &self.view.indices;
        if list.is_empty() {
            return;
        }
        let pos = self
            .current_idx
            .and_then(|c| list.iter().position(|&i| i == c));
        let next = match pos {
            None => 0,
            Some(p) if forward => (p + 1).min(list.len() - 1),
            Some(p) => p.saturating_sub(1),
        };
        if let Some(&idx) = list.get(next) {
            self.set_current(idx);
        }
    }

    /// The quote the next link uses: the pinned one, else the viewer selection (current document only).
    pub(crate) fn link_quote(&self) -> Option<Quote> {
        let doc = self.current_document()?;
        if let Some((d, q)) = &self.statements.quote
            && *d == doc.id
        {
            return Some(q.clone());
        }
        self.selected_quote().map(|(_, q)| q)
    }

    /// Applies the coding panel's text buffers (notes, date) that were edited but not yet applied.
    pub(crate) fn flush_buffers(&mut self) {
        let notes_doc = self.coding.notes_doc.clone();
        if !notes_doc.is_empty()
            && self
                .coding
                .synced
                .as_ref()
                .is_some_and(|(d, _)| *d == notes_doc)
        {
            let current = self
                .editor
                .session
                .review(&notes_doc)
                .map(|r| r.notes.clone())
                .unwrap_or_default();
            if current != self.coding.notes_text {
                let cmd = Command::SetNotes {
                    doc: notes_doc,
                    notes: self.coding.notes_text.clone(),
                };
                let _ = self.apply_edit(cmd);
            }
        }
    }

    /// Compares the session with the cache and shows what differs (log and banner).
    fn show_verification(&mut self) {
        let messages = self.editor.session.verify(&self.cache).messages();
        for m in &messages {
            self.warn(m.clone());
        }
        self.notices = messages;
    }

    /// Warnings shown above the viewer until dismissed (the session check after opening a session).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    // ----- file actions -----

    fn open_cache(&mut self, dir: &Path) -> Result<(), String> {
        if !dir.is_dir() {
            return Err(format!("Not a folder: {}", dir.display()));
        }
        self.stash_unsaved();
        let session = Session::new(dir, None, &analyst_name(), &Cache::default());
        self.editor = Editor::new(session);
        self.session_path = None;
        self.verify_after_load = false;
        self.coding.synced = None;
        self.statements = StatementsState::default();
        self.start_loading(dir);
        self.autosave_path = self.autosave_file(None, dir);
        self.recovery = self
            .autosave_path
            .as_deref()
            .and_then(|p| autosave::recovery_offer(p, None));
        self.info(format!("Opening {}", dir.display()));
        Ok(())
    }

    fn open_session(&mut self, path: &Path) -> Result<(), String> {
        // A session that cannot be read is reported and left untouched; nothing changes here.
        let s = Session::load(path).map_err(|e| e.to_string())?;
        self.lock_session(path)?;
        self.stash_unsaved();
        let root = s.cache_root(path);
        self.editor = Editor::new(s);
        self.session_path = Some(path.to_path_buf());
        self.coding.synced = None;
        self.statements = StatementsState::default();
        self.autosave_path = self.autosave_file(Some(path), &root);
        self.recovery = self
            .autosave_path
            .as_deref()
            .and_then(|p| autosave::recovery_offer(p, Some(path)));
        if self.loaded && same_dir(&root, &self.cache_dir) {
            self.show_verification();
        } else {
            self.verify_after_load = true;
            self.start_loading(&root);
        }
        self.info(format!("Opened session {}", path.display()));
        Ok(())
    }

    /// Before the session is replaced: unsaved edits go to the autosave (offered on reopening).
    fn stash_unsaved(&mut self) {
        self.wait_for_save();
        if self.editor.is_dirty() && !self.discarded {
            match self.autosave_now() {
                Ok(p) => self.info(format!(
                    "Unsaved edits of the previous session were autosaved to {}",
                    p.display()
                )),
                Err(e) => self.error(format!("Unsaved edits could not be autosaved: {e}")),
            }
        }
    }

    fn save_to(&mut self, path: &Path) -> Result<(), String> {
        session::check_outside_cache(&self.cache_dir, path).map_err(|e| e.to_string())?;
        if path.is_dir() {
            return Err(format!(
                "That is a folder; give a file name: {}",
                path.display()
            ));
        }
        self.lock_session(path)?;
        // One write at a time: a second Save waits for the first.
        self.wait_for_save();
        // The snapshot is taken here; serialising and writing it happen on `doctriage-save`.
        let mut copy = self.editor.session.clone();
        copy.cache = session::cache_reference(&self.cache_dir, Some(path));
        let job = SaveJob::start(
            path.to_path_buf(),
            copy,
            (self.editor.id(), self.editor.revision()),
            self.waker.clone(),
        )
        .map_err(|e| format!("Cannot start saving {}: {e}", path.display()))?;
        self.saving = Some(job);
        Ok(())
    }

    /// Takes in the outcome of the running save (Save writes on a worker thread), waiting for
    /// it if it has not finished.
    pub fn wait_for_save(&mut self) {
        let Some(job) = self.saving.take() else {
            return;
        };
        let (path, revision, cache_ref, editor, then_close) = (
            job.path.clone(),
            job.revision,
            job.cache_ref.clone(),
            job.editor,
            job.then_close,
        );
        match job.join() {
            Ok(()) => {
                if self.editor.id() == editor {
                    self.editor.session.cache = cache_ref;
                    self.editor.mark_saved(revision);
                }
                if self.session_path.as_deref() != Some(path.as_path()) {
                    self.autosave_path = self.autosave_file(Some(&path), &self.cache_dir);
                    self.session_path = Some(path.clone());
                }
                self.info(format!("Saved {}", path.display()));
                if then_close {
                    self.allow_close = true;
                    self.pending.push(Pending::Ui(UiCommand::Quit));
                }
            }
            Err(e) => self.error(format!("Could not save {}: {e}", path.display())),
        }
    }

    /// True while a save is being written.
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    fn export_to(&mut self, path: &Path) -> Result<(), String> {
        session::check_outside_cache(&self.cache_dir, path).map_err(|e| e.to_string())?;
        if path.is_dir() {
            return Err(format!(
                "That is a folder; give a file name: {}",
                path.display()
            ));
        }
        if self
            .session_path
            .as_deref()
            .is_some_and(|s| same_file(s, path))
        {
            return Err(format!(
                "That is the session file; choose another name: {}",
                path.display()
            ));
        }
        // One export at a time; the snapshot is cheap (the reviews are shared, not copied).
        self.wait_for_export();
        let job = super::loader::start_export(
            path.to_path_buf(),
            self.editor.session.clone(),
            self.cache.clone(),
            self.waker.clone(),
        )
        .map_err(|e| format!("Cannot start exporting {}: {e}", path.display()))?;
        self.exporting = Some(job);
        Ok(())
    }

    /// Waits for a running export (Export writes on a worker thread) and takes in its outcome.
    pub fn wait_for_export(&mut self) {
        if let Some(job) = self.exporting.take() {
            match job.join() {
                Ok(msg) => self.info(msg),
                Err(e) => self.error(format!("Could not export the findings: {e}")),
            }
        }
    }

    /// True while findings are being exported.
    pub fn is_exporting(&self) -> bool {
        self.exporting.is_some()
    }

    /// Takes the lock of a session file (kept while it is this window's session); a session open
    /// in another doctriage is refused rather than clobbered.
    fn lock_session(&mut self, path: &Path) -> Result<(), String> {
        if self
            .session_lock
            .as_ref()
            .is_some_and(|l| same_file(l.session_path(), path) || l.session_path() == path)
        {
            return Ok(());
        }
        // A session kept inside the cache is only read: no lock file is written beside the evidence.
        if session::check_outside_cache(&self.cache_dir, path).is_err() {
            return Ok(());
        }
        match crate::lock::SessionLock::acquire(path) {
            Ok(lock) => {
                self.session_lock = Some(lock);
                Ok(())
            }
            Err(e @ crate::lock::LockError::Held { .. }) => Err(e.to_string()),
            Err(e) => {
                self.warn(format!("{e} (continuing without a lock)"));
                Ok(())
            }
        }
    }

    fn save_view_png(&mut self, path: &Path) -> Result<(), String> {
        session::check_outside_cache(&self.cache_dir, path).map_err(|e| e.to_string())?;
        let ctx = self.ctx.clone().ok_or("The window is not shown yet")?;
        let rect = super::views::last_view_rect(&self.saved.views)
            .ok_or("Open the evidence views first")?;
        self.png_job = Some(super::views::request_png(&ctx, rect, path.to_path_buf()));
        Ok(())
    }

    /// The evidence views (View ▸ Evidence views, V), in a window of their own.
    fn views_window_ui(&mut self, ctx: &egui::Context) {
        self.ctx = Some(ctx.clone());
        if let Some(job) = &self.png_job
            && let Some(result) = job.poll()
        {
            self.png_job = None;
            match result {
                Ok(p) => self.info(format!("Saved the view as {}", p.display())),
                Err(e) => self.error(format!("The view could not be saved: {e}")),
            }
        }
        if !self.show_views {
            return;
        }
        let mut open = true;
        let mut actions = Vec::new();
        egui::Window::new("Evidence views")
            .open(&mut open)
            .default_size([1100.0, 640.0])
            .resizable(true)
            .show(ctx, |ui| {
                let suggestions = &self.suggestions;
                let lookup = |id: &str| suggestions.get(id).cloned();
                actions = super::views::views_ui(
                    ui,
                    &mut self.saved.views,
                    &self.editor.session,
                    &self.cache,
                    &lookup,
                );
            });
        self.show_views = open;
        for action in actions {
            match action {
                super::views::ViewAction::OpenDocument { doc, quote } => {
                    self.pending.push(Pending::Ui(UiCommand::OpenDocument {
                        id: doc,
                        span: quote,
                    }));
                }
                super::views::ViewAction::Apply(cmd) => self.pending.push(Pending::Edit(cmd)),
                super::views::ViewAction::SelectStatement(id) => {
                    self.statements.selected = Some(id)
                }
                super::views::ViewAction::SavePng(_) => self.open_path_bar(PathAction::SaveViewPng),
            }
        }
    }

    fn save(&mut self) {
        self.flush_buffers();
        match self.session_path.clone() {
            Some(p) => {
                if let Err(e) = self.save_to(&p) {
                    self.error(e);
                }
            }
            None => self.open_path_bar(PathAction::SaveSession),
        }
    }

    // ----- the frame -----

    /// Carries out the frame's commands, once, at its end.
    pub(crate) fn run_commands(&mut self, ctx: Option<&egui::Context>) {
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return;
        }
        for p in pending {
            match p {
                Pending::Edit(cmd) => {
                    let _ = self.apply_edit(cmd);
                }
                Pending::Ui(cmd) => self.run_ui_command(cmd, ctx),
            }
        }
        if let Some(ctx) = ctx {
            ctx.request_repaint();
        }
    }

    fn run_ui_command(&mut self, cmd: UiCommand, ctx: Option<&egui::Context>) {
        let doc_id = self.current.clone();
        match cmd {
            UiCommand::OpenCache => self.open_path_bar(PathAction::OpenCache),
            UiCommand::OpenSession => self.open_path_bar(PathAction::OpenSession),
            UiCommand::Save => self.save(),
            UiCommand::SaveAs => {
                self.flush_buffers();
                self.open_path_bar(PathAction::SaveSession);
            }
            UiCommand::ExportFindings => {
                self.flush_buffers();
                self.open_path_bar(PathAction::ExportFindings);
            }
            UiCommand::Quit => {
                self.flush_buffers();
                // A save being written decides whether anything is left unsaved.
                self.wait_for_save();
                if self.editor.is_dirty() && !self.allow_close {
                    self.quit_dialog = true;
                } else {
                    self.allow_close = true;
                    if let Some(ctx) = ctx {
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
            }
            UiCommand::Undo => {
                self.flush_buffers();
                match self.editor.undo() {
                    Some(label) => self.info(format!("Undid: {label}")),
                    None => self.info("Nothing to undo"),
                }
                self.sync_search_review();
                self.coding.synced = None;
            }
            UiCommand::Redo => {
                match self.editor.redo() {
                    Some(label) => self.info(format!("Redid: {label}")),
                    None => self.info("Nothing to redo"),
                }
                self.sync_search_review();
                self.coding.synced = None;
            }
            UiCommand::ToggleTheme => self.saved.dark = !self.saved.dark,
            UiCommand::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
            UiCommand::ShowViews => self.show_views = !self.show_views,
            UiCommand::ShowErrors => self.show_errors = true,
            UiCommand::NextDocument => {
                self.flush_buffers();
                self.step(true);
            }
            UiCommand::PreviousDocument => {
                self.flush_buffers();
                self.step(false);
            }
            UiCommand::SetStatus(status) => {
                if let Some(doc) = doc_id {
                    let _ = self.apply_edit(Command::SetStatus { doc, status });
                }
            }
            UiCommand::AcceptSuggestions => {
                if let Some(id) = doc_id {
                    let s = self.ensure_suggestions(&id).cloned().unwrap_or_default();
                    if s.is_empty() {
                        self.info(format!("No suggestions for {id}"));
                    } else if let Some(doc) = self.cache.document(&id) {
                        let cmd =
                            session::accept_suggestions(doc, &s, self.editor.session.review(&id));
                        let _ = self.apply_edit(cmd);
                    }
                }
            }
            UiCommand::LinkToStatement => self.link_current(),
            UiCommand::FocusNotes => self.focus_notes = true,
            UiCommand::FocusFilter => self.focus_filter = true,
            UiCommand::CancelLoading => {
                if let Some(l) = &self.loader {
                    l.cancel();
                }
            }
            UiCommand::OpenDocument { id, span } => {
                self.flush_buffers();
                if self.select_document(&id) {
                    if let Some((s, e)) = span {
                        self.scroll_to = Some((id.clone(), s, e));
                        self.flash = Some((id, s, e));
                    }
                } else {
                    self.error(format!("No document {id} in this cache"));
                }
            }
            UiCommand::UseSelectionAsQuote => match self.selected_quote() {
                Some((id, q)) => self.statements.quote = Some((id, q)),
                None => self.info("Select some text of the document first"),
            },
            UiCommand::AddSelectionToNotes => match self.selected_quote() {
                Some((id, q)) => {
                    self.flush_buffers();
                    let note = format!("“{}” (chars {}–{})", q.text.trim(), q.start, q.end);
                    let _ = self.apply_edit(Command::AppendNote { doc: id, note });
                    self.coding.synced = None;
                }
                None => self.info("Select some text of the document first"),
            },
        }
    }

    /// The viewer's non-empty selection in the current document, as an exact quote.
    fn selected_quote(&self) -> Option<(String, Quote)> {
        let doc = self.current_document()?;
        let s = self
            .selection
            .as_ref()
            .filter(|s| s.doc == doc.id && s.end > s.start)?;
        let text = session::quote_at(&doc.text, s.start, s.end)?;
        Some((
            doc.id.clone(),
            Quote {
                text,
                start: s.start,
                end: s.end,
            },
        ))
    }

    fn link_current(&mut self) {
        let Some(doc) = self.current_document() else {
            self.info("Select a document first");
            return;
        };
        let doc_id = doc.id.clone();
        let Some(sid) = self.statements.selected.clone() else {
            self.info("Select a statement first (in the Statements panel)");
            return;
        };
        let Some(statement) = self
            .cache
            .article
            .as_ref()
            .and_then(|(_, a)| a.statements.iter().find(|s| s.id == sid))
            .cloned()
        else {
            self.error(format!("No statement {sid} in the article"));
            return;
        };
        let note = self.statements.note.trim().to_owned();
        let link = Link {
            statement: statement.id,
            statement_text: statement.text,
            relation: self.saved.relation,
            quote: self.link_quote(),
            note: (!note.is_empty()).then_some(note),
        };
        if self
            .apply_edit(Command::Link {
                doc: doc_id.clone(),
                link,
            })
            .is_ok()
        {
            self.statements.note.clear();
            self.statements.quote = None;
            self.info(format!("Linked {doc_id} to {sid}"));
        }
    }

    fn handle_keys(&mut self, ctx: &egui::Context) {
        let focused = ctx.memory(|m| m.focused());
        let viewer = self.viewer_cache.text_id;
        // The document text is a read-only field: the plain keys still work when it has focus.
        let typing = ctx.text_edit_focused() && focused != viewer;
        let modal_open = self.quit_dialog || self.recovery.is_some() || self.path_bar.is_some();
        for cmd in UiCommand::with_shortcuts() {
            if modal_open && cmd != UiCommand::ShowShortcuts {
                continue;
            }
            // Plain keys type text; Ctrl+Z/Ctrl+Shift+Z undo the typing in a text field.
            let text_key = cmd.is_plain_key() || matches!(cmd, UiCommand::Undo | UiCommand::Redo);
            if text_key && typing {
                continue;
            }
            let arrows_ok = focused.is_none();
            let mut hit = cmd
                .shortcut()
                .is_some_and(|s| ctx.input_mut(|i| i.consume_shortcut(&s)));
            if let Some(alt) = cmd.alternate_shortcut() {
                let is_arrow = matches!(alt.logical_key, Key::ArrowDown | Key::ArrowUp);
                if (!is_arrow || arrows_ok) && ctx.input_mut(|i| i.consume_shortcut(&alt)) {
                    hit = true;
                }
            }
            if hit {
                self.pending.push(Pending::Ui(cmd));
            }
        }
    }

    fn frame_begin(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            super::install_fonts(ctx);
            self.fonts_installed = true;
        }
        if let Ok(mut w) = self.waker.lock()
            && w.is_none()
        {
            *w = Some(ctx.clone());
        }
        if self.style_applied != Some(self.saved.dark) {
            super::apply_style(ctx, self.saved.dark);
            self.style_applied = Some(self.saved.dark);
        }
        self.poll_background();
        let now = ctx.input(|i| i.time);
        self.ensure_view(now);
        if self.filter_edited_at.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(220));
        }
        self.ensure_ledger();
        self.hover_span = None;
        // Autosave every 30 s while there are unsaved edits.
        let revision = self.editor.revision();
        if self.editor.is_dirty() && self.autosaver.saved_revision != Some(revision) {
            if let Some(path) = self.autosave_path.clone()
                && now - self.autosaver.last_attempt >= autosave::AUTOSAVE_SECS
                && !self.autosaver.is_running()
            {
                self.autosaver
                    .start(path, self.editor.session.clone(), revision, now);
            }
            ctx.request_repaint_after(std::time::Duration::from_secs(5));
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            self.flush_buffers();
            self.wait_for_save();
            if self.editor.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.quit_dialog = true;
            }
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for cmd in [UiCommand::OpenCache, UiCommand::OpenSession] {
                    menu_item(ui, &cmd, true, &mut self.pending);
                }
                ui.separator();
                for cmd in [UiCommand::Save, UiCommand::SaveAs] {
                    menu_item(ui, &cmd, true, &mut self.pending);
                }
                ui.separator();
                menu_item(
                    ui,
                    &UiCommand::ExportFindings,
                    self.loaded,
                    &mut self.pending,
                );
                ui.separator();
                menu_item(ui, &UiCommand::Quit, true, &mut self.pending);
            });
            ui.menu_button("Edit", |ui| {
                let undo = self.editor.undo_label();
                let redo = self.editor.redo_label();
                menu_item_labelled(
                    ui,
                    &UiCommand::Undo,
                    undo.map(|l| format!("Undo: {l}")),
                    &mut self.pending,
                );
                menu_item_labelled(
                    ui,
                    &UiCommand::Redo,
                    redo.map(|l| format!("Redo: {l}")),
                    &mut self.pending,
                );
            });
            ui.menu_button("View", |ui| {
                let theme = if self.saved.dark {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                if ui
                    .button(theme)
                    .on_hover_text(UiCommand::ToggleTheme.tooltip())
                    .clicked()
                {
                    self.pending.push(Pending::Ui(UiCommand::ToggleTheme));
                }
                menu_item(ui, &UiCommand::ShowShortcuts, true, &mut self.pending);
                menu_item(ui, &UiCommand::ShowErrors, true, &mut self.pending);
                menu_item(ui, &UiCommand::ShowViews, true, &mut self.pending);
            });
            ui.add_space(16.0);
            if let Some((path, a)) = &self.cache.article {
                let title = a.title.clone().unwrap_or_else(|| path.clone());
                ui.label(
                    RichText::new(format!(
                        "Article: {title} ({} statements)",
                        a.statements.len()
                    ))
                    .weak(),
                );
            }
        });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        if let Some(bar) = self.path_bar.as_mut() {
            let start = self
                .cache_dir
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            match super::path_bar::path_bar_ui(ctx, bar, &start) {
                PathBarOutcome::Nothing => {}
                PathBarOutcome::Cancel => self.path_bar = None,
                PathBarOutcome::Submit(p) => {
                    let action = bar.action;
                    let _ = self.submit_path(action, &p);
                }
            }
        }
        if self.show_shortcuts {
            let mut open = true;
            egui::Window::new("Keyboard shortcuts").open(&mut open).collapsible(false).default_width(520.0).show(
                ctx,
                |ui| {
                    ui.label("Plain keys work when no text field has the cursor (Escape leaves a field).");
                    ui.add_space(6.0);
                    egui::Grid::new("shortcuts-grid").num_columns(2).striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
                        for cmd in UiCommand::with_shortcuts() {
                            ui.label(RichText::new(cmd.shortcut_text(ctx)).monospace().strong());
                            ui.label(format!("{} — {}", cmd.label(), cmd.tooltip()));
                            ui.end_row();
                        }
                        for k in super::commands::OTHER_KEYS {
                            ui.label(RichText::new(k.keys).monospace().strong());
                            ui.label(k.what);
                            ui.end_row();
                        }
                    });
                },
            );
            if !open {
                self.show_shortcuts = false;
            }
        }
        if self.show_errors {
            let mut open = true;
            egui::Window::new("Errors and warnings")
                .open(&mut open)
                .default_size([760.0, 480.0])
                .show(ctx, |ui| {
                    egui::ScrollArea::vertical()
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            ui.heading(format!("Unreadable files ({})", self.cache.errors.len()));
                            if self.cache.errors.is_empty() {
                                ui.label(RichText::new("none").weak());
                            }
                            egui::Grid::new("scan-errors")
                                .num_columns(2)
                                .striped(true)
                                .show(ui, |ui| {
                                    for e in &self.cache.errors {
                                        ui.label(RichText::new(&e.path).monospace());
                                        ui.label(&e.error);
                                        ui.end_row();
                                    }
                                });
                            ui.add_space(10.0);
                            ui.heading(format!("This session's messages ({})", self.log.len()));
                            for e in self.log.iter().rev() {
                                let color = level_color(e.level, ui.visuals().dark_mode);
                                ui.horizontal_wrapped(|ui| {
                                    ui.label(RichText::new(&e.time).monospace().weak());
                                    ui.label(RichText::new(&e.text).color(color));
                                });
                            }
                        });
                });
            if !open {
                self.show_errors = false;
            }
        }
        if self.quit_dialog {
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("doctriage-quit")).show(ctx, |ui| {
                ui.set_max_width(460.0);
                ui.heading("Unsaved changes");
                ui.label("The session has changes that are not saved. Save them before quitting?");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        choice = Some(0);
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Quit without saving (the autosave is deleted)")
                        .clicked()
                    {
                        choice = Some(1);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(2);
                    }
                });
            });
            match choice {
                Some(0) => {
                    self.quit_dialog = false;
                    match self.session_path.clone() {
                        Some(p) => match self.save_to(&p) {
                            Ok(()) => {
                                if let Some(job) = self.saving.as_mut() {
                                    job.then_close = true;
                                }
                            }
                            Err(e) => self.error(e),
                        },
                        None => {
                            self.open_path_bar(PathAction::SaveSession);
                            if let Some(bar) = self.path_bar.as_mut() {
                                bar.then_quit = true;
                            }
                        }
                    }
                }
                Some(1) => {
                    self.quit_dialog = false;
                    self.discarded = true;
                    self.allow_close = true;
                    if let Some(p) = &self.autosave_path {
                        self.autosaver.wait();
                        let _ = std::fs::remove_file(p);
                    }
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(_) => self.quit_dialog = false,
                None => {}
            }
        }
        if let Some(offer) = self.recovery.clone() {
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("doctriage-recover")).show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading("Recover autosaved session?");
                ui.label(format!("Recover autosaved session from {}?", offer.when));
                ui.label(
                    RichText::new(offer.path.display().to_string())
                        .weak()
                        .small(),
                );
                ui.label("It is newer than the session file (or the session was never saved).");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Recover").clicked() {
                        choice = Some(true);
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Delete the autosave and keep the session file")
                        .clicked()
                    {
                        choice = Some(false);
                    }
                });
            });
            match choice {
                Some(true) => {
                    let _ = self.recover_autosave();
                }
                Some(false) => self.discard_autosave(),
                None => {}
            }
        }
    }

    /// One frame of the window (what `eframe::App::ui` calls).
    pub fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.frame_begin(&ctx);
        self.handle_keys(&ctx);
        egui::Panel::top("doctriage-menu").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("doctriage-status")
            .show(ui, |ui| super::status_bar::status_bar_ui(self, ui));
        egui::Panel::left("doctriage-list")
            .resizable(true)
            .default_size(600.0)
            .size_range(360.0..=1100.0)
            .show(ui, |ui| {
                let total = self.cache.documents.len();
                let shown = self.view.indices.len();
                if self.focus_filter {
                    ui.memory_mut(|m| m.request_focus(filter::filter_field_id()));
                    self.focus_filter = false;
                }
                let engine = self.engine_note();
                let out = filter::filter_bar_ui(
                    ui,
                    &mut self.saved.filter,
                    &self.view.counts,
                    shown,
                    total,
                    &mut self.saved.facets_open,
                    &engine,
                );
                if out.changed {
                    self.filter_edited_at = Some(ctx.input(|i| i.time));
                    self.ensure_view(ctx.input(|i| i.time));
                }
                super::list::document_list_ui(self, ui);
            });
        egui::Panel::right("doctriage-side")
            .resizable(true)
            .default_size(480.0)
            .size_range(380.0..=640.0)
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                egui::Panel::bottom("doctriage-statements")
                    .resizable(true)
                    .default_size(410.0)
                    .size_range(200.0..=800.0)
                    .show(ui, |ui| super::statements::statements_ui(self, ui));
                egui::CentralPanel::default()
                    .show(ui, |ui| super::coding::coding_panel_ui(self, ui));
            });
        egui::CentralPanel::default().show(ui, |ui| super::viewer::viewer_ui(self, ui));
        self.views_window_ui(&ctx);
        self.dialogs_ui(&ctx);
        self.run_commands(Some(&ctx));
    }
}

/// The colour of a log level.
pub(crate) fn level_color(level: Level, dark: bool) -> Color32 {
    match (level, dark) {
        (Level::Error, _) => Color32::from_rgb(0xe0, 0x4a, 0x4a),
        (Level::Warning, true) => Color32::from_rgb(0xe8, 0xb0, 0x40),
        (Level::Warning, false) => Color32::from_rgb(0xa8, 0x6a, 0x00),
        (Level::Info, true) => Color32::from_gray(190),
        (Level::Info, false) => Color32::from_gray(70),
    }
}

/// A button for a command: its label, its shortcut at the right, its tooltip; queues it when clicked.
pub(crate) fn command_button(
    ui: &mut Ui,
    cmd: &UiCommand,
    enabled: bool,
    pending: &mut Vec<Pending>,
) -> bool {
    let keys = cmd.shortcut_text(ui.ctx());
    let mut button = egui::Button::new(cmd.label());
    if !keys.is_empty() {
        button = button.shortcut_text(keys);
    }
    let resp = ui
        .add_enabled(enabled, button)
        .on_hover_text(cmd.tooltip())
        .accessible_name(cmd.label());
    let clicked = resp.clicked();
    if clicked {
        pending.push(Pending::Ui(cmd.clone()));
    }
    clicked
}

fn menu_item(ui: &mut Ui, cmd: &UiCommand, enabled: bool, pending: &mut Vec<Pending>) {
    command_button(ui, cmd, enabled, pending);
}

fn menu_item_labelled(
    ui: &mut Ui,
    cmd: &UiCommand,
    label: Option<String>,
    pending: &mut Vec<Pending>,
) {
    let keys = cmd.shortcut_text(ui.ctx());
    let enabled = label.is_some();
    let text = label.unwrap_or_else(|| cmd.label());
    let button = egui::Button::new(text).shortcut_text(keys);
    let resp = ui
        .add_enabled(enabled, button)
        .on_hover_text(cmd.tooltip())
        .accessible_name(cmd.label());
    if resp.clicked() {
        pending.push(Pending::Ui(cmd.clone()));
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.saved);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.flush_buffers();
        self.wait_for_save();
        self.wait_for_export();
        if let Some(l) = &self.loader {
            l.cancel();
        }
        // Nothing lost: unsaved edits (not explicitly discarded) go to the autosave.
        if self.editor.is_dirty() && !self.discarded && self.autosave_path.is_some() {
            let _ = self.autosave_now();
        }
    }
}

/// True when two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
