//! The window: [`App`] holds the open review ([`Workspace`]), the preferences kept between runs
//! ([`SavedState`]), the background work (`jobs.rs`), what is derived for the panels
//! (`derived.rs`) and the panels themselves, each a component that draws from a read-only
//! [`PanelCtx`] and answers [`Action`]s ([`super::panel`]).
//!
//! Files by concern: `api.rs` (what tests and the panels ask of the window), `jobs.rs`,
//! `derived.rs`, `file_actions.rs`, `command_handling.rs`, `menus.rs`, `dialogs.rs`, `state.rs`.
//! Background results and the autosave are taken in by `eframe::App::logic`, every frame and
//! also while the window is minimised; `eframe::App::ui` draws.

mod api;
pub(crate) mod command_handling;
pub(crate) mod conflicts;
pub(crate) mod derived;
pub(crate) mod dialogs;
pub(crate) mod file_actions;
pub(crate) mod jobs;
pub(crate) mod menus;
pub(crate) mod ocr;
pub(crate) mod preferences;
mod ready;
pub(crate) mod review_flow;
pub mod state;

use std::path::PathBuf;

use egui::Ui;

use crate::workspace::{Derived, SessionStamp, Workspace, session_file};

use super::autosave::{self, RecoveryOffer};
use super::coding::CodingPanel;
use super::filter::DocMeta;
use super::filter_bar::FilterBar;
use super::list::DocumentList;
use super::panel::{Action, Panel, PanelCtx, Progress};
use super::path_bar::PathBar;
use super::statements::StatementsPanel;
use super::status_bar::StatusBar;
use super::viewer::Viewer;

pub(crate) use menus::command_button;
pub use state::{
    LedgerEntry, Level, LogEntry, STORAGE_KEY, SavedState, TextSelection, level_color,
};

use derived::{Ledger, ListView};
use jobs::Jobs;
use state::Log;

/// The window.
pub struct App {
    pub(crate) saved: SavedState,
    /// The machine's preferences (the analyst's name, recent sessions, the review flow).
    pub(crate) prefs: crate::prefs::Preferences,
    /// Where they are kept; None in tests (never written).
    pub(crate) prefs_path: Option<PathBuf>,
    /// The start-up question for the analyst's name: the name being typed (None: not asked).
    pub(crate) ask_analyst: Option<String>,
    pub(crate) show_preferences: bool,
    pub(crate) show_conflicts: bool,
    /// The conflicts window was opened for the session shown (once per session opened).
    pub(crate) conflicts_offered: bool,
    /// The session state whose conflicts were last looked at.
    pub(crate) conflicts_checked: Option<SessionStamp>,
    pub(crate) ws: Workspace,
    pub(crate) jobs: Jobs,
    /// Filter data per document, in the cache's order (computed as documents are read).
    pub(crate) metas: Vec<DocMeta>,
    pub(crate) view: ListView,
    pub(crate) ledger: Derived<(SessionStamp, u64, bool), Ledger>,
    pub(crate) log: Log,
    pub(crate) loaded: bool,
    pub(crate) load_failed: Option<String>,
    pub(crate) verify_after_load: bool,
    /// How the cache is read: OCR or not, its languages (`--no-ocr`, `--ocr-lang`).
    pub(crate) reading: crate::workspace::Reading,
    /// The document to show as soon as it is read (`doctriage open --doc ID`).
    pub(crate) open_when_read: Option<String>,
    pub(crate) current: Option<String>,
    pub(crate) current_idx: Option<usize>,
    pub(crate) filter_edited_at: Option<f64>,
    pub(crate) frame_time: f64,
    pub(crate) pending: Vec<Action>,
    pub(crate) hover_span: Option<(usize, usize)>,
    pub(crate) notices: Vec<String>,
    pub(crate) path_bar: Option<PathBar>,
    pub(crate) autosave_path: Option<PathBuf>,
    pub(crate) recovery: Option<RecoveryOffer>,
    pub(crate) quit_dialog: bool,
    pub(crate) allow_close: bool,
    pub(crate) discarded: bool,
    pub(crate) show_shortcuts: bool,
    pub(crate) show_errors: bool,
    pub(crate) show_views: bool,
    pub(crate) egui_ctx: Option<egui::Context>,
    pub(crate) style_applied: Option<bool>,
    pub(crate) fonts_installed: bool,
    pub(crate) title: String,
    pub(crate) list: DocumentList,
    pub(crate) viewer: Viewer,
    pub(crate) coding: CodingPanel,
    pub(crate) statements: StatementsPanel,
    pub(crate) status_bar: StatusBar,
    pub(crate) filter_bar: FilterBar,
    /// What the panels share this frame (see [`App::frame`]).
    pub(crate) shared: Option<Shared>,
}

/// A search-index folder of its own for each window a test makes (`<temp>/doctriage-test-index-
/// <pid>-<n>`, deleted with the window), so parallel tests never share an index writer.
fn test_index_root() -> PathBuf {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("doctriage-test-index-{}-{n}", std::process::id()))
}

impl App {
    /// Opens the window state on a cache folder and, optionally, a session file. The scan starts
    /// at once on a background thread; `storage` gives the saved preferences (None in tests).
    ///
    /// A session file that exists is loaded (its cache folder wins over `cache_dir`); one that
    /// does not exist is created on the first save; one that cannot be read, or is open in
    /// another doctriage, is reported and never overwritten (the window then edits a new,
    /// unsaved session).
    ///
    /// The machine's preferences are read from the configuration folder; without an analyst's
    /// name in them, the window asks for one.
    pub fn new(
        cache_dir: PathBuf,
        session: Option<PathBuf>,
        storage: Option<&dyn eframe::Storage>,
    ) -> Self {
        let prefs_path = crate::prefs::prefs_path();
        let prefs = prefs_path
            .as_deref()
            .map(crate::prefs::load_from)
            .unwrap_or_default();
        let session = session.or_else(|| crate::prefs::session_to_reopen(&prefs));
        let mut app =
            Self::new_with_autosave_dir(cache_dir, session, storage, autosave::autosave_dir());
        app.set_preferences(prefs, prefs_path);
        app
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
        let mut log = Log::default();
        let opened = session.map(|path| session_file::open(&path, &cache_dir));
        // A session refused (open in another doctriage, unreadable) offers no autosave: the one
        // there is another window's, or of a state this window never had.
        let mut may_recover = true;
        let (cache_dir, file) = match opened {
            Some(Ok(file)) => (file.cache_root(&cache_dir), Some(file)),
            Some(Err(e)) => {
                log.push(
                    Level::Error,
                    format!("{e}; editing a new unsaved session instead"),
                );
                may_recover = false;
                (cache_dir, None)
            }
            None => (cache_dir, None),
        };
        let mut ws = Workspace::unread(&cache_dir);
        let verify_after_load = file.as_ref().is_some_and(|f| f.session.is_some());
        if let Some(file) = file {
            ws.adopt_session_file(file);
        }
        let autosave_path = autosave_dir
            .as_deref()
            .map(|d| autosave::autosave_path_in(d, ws.session_path(), &cache_dir));
        let recovery = autosave_path
            .as_deref()
            .filter(|_| may_recover)
            .and_then(|p| autosave::recovery_offer(p, ws.session_path()));
        let mut app = Self {
            saved,
            prefs: crate::prefs::Preferences::default(),
            prefs_path: None,
            ask_analyst: None,
            show_preferences: false,
            show_conflicts: false,
            conflicts_offered: false,
            conflicts_checked: None,
            ws,
            jobs: Jobs::default(),
            metas: Vec::new(),
            view: ListView::default(),
            ledger: Derived::default(),
            log,
            loaded: false,
            load_failed: None,
            verify_after_load,
            reading: crate::workspace::Reading::default(),
            open_when_read: None,
            current: None,
            current_idx: None,
            filter_edited_at: None,
            frame_time: 0.0,
            pending: Vec::new(),
            hover_span: None,
            notices: Vec::new(),
            path_bar: None,
            autosave_path,
            recovery,
            quit_dialog: false,
            allow_close: false,
            discarded: false,
            show_shortcuts: false,
            show_errors: false,
            show_views: false,
            egui_ctx: None,
            style_applied: None,
            fonts_installed: false,
            title: String::new(),
            list: DocumentList::default(),
            viewer: Viewer::default(),
            coding: CodingPanel::default(),
            statements: StatementsPanel::default(),
            status_bar: StatusBar,
            filter_bar: FilterBar::default(),
            shared: None,
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
        Self::blocking_for_tests(cache_dir, session, false)
    }

    /// [`App::new_blocking_for_tests`] with an OCR cache of the window's own, empty at start
    /// (a test that watches OCR run, or cancels it, needs pages no other test has read).
    pub fn new_blocking_for_tests_with_own_ocr_cache(
        cache_dir: PathBuf,
        session: Option<PathBuf>,
    ) -> Self {
        Self::blocking_for_tests(cache_dir, session, true)
    }

    fn blocking_for_tests(cache_dir: PathBuf, session: Option<PathBuf>, own_ocr: bool) -> Self {
        let dir =
            std::env::temp_dir().join(format!("doctriage-test-autosave-{}", std::process::id()));
        let mut app = Self::new_with_autosave_dir(cache_dir, session, None, Some(dir));
        app.jobs.index_root = Some(test_index_root());
        app.jobs.owns_index_root = true;
        // The run's OCR cache when the test script names one (every window of the run reuses the
        // pages another read), else a folder of this window's own.
        if own_ocr || std::env::var_os("DOCTRIAGE_OCR_CACHE").is_none() {
            app.jobs.ocr.cache_dir = Some(test_index_root().with_extension("ocr"));
            app.jobs.ocr.owns_cache_dir = true;
        }
        app.wait_for_load();
        app
    }

    /// Waits for the scan, the suggestion worker and the search index to finish and takes in
    /// what they sent.
    pub fn wait_for_load(&mut self) {
        if let Some(loader) = self.jobs.loader.as_mut() {
            let msgs = loader.wait();
            self.take_load_messages(msgs);
        }
        if let Some(mut worker) = self.jobs.suggest_worker.take() {
            let batch = worker.wait();
            self.ws.add_suggestions(batch);
        }
        self.take_index();
        self.ensure_view(f64::INFINITY);
        self.ensure_ledger();
    }

    // ----- logging -----

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.log.push(Level::Error, text.into());
    }

    pub(crate) fn warn(&mut self, text: impl Into<String>) {
        self.log.push(Level::Warning, text.into());
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.log.push(Level::Info, text.into());
    }

    // ----- the frame -----

    /// What runs every frame, and also while the window is minimised (eframe calls `logic`
    /// then): background results, derived data, the autosave, the title and the close request.
    pub fn logic_step(&mut self, ctx: &egui::Context) {
        if let Ok(mut w) = self.jobs.waker.lock()
            && w.is_none()
        {
            *w = Some(ctx.clone());
        }
        self.poll_background();
        let now = ctx.input(|i| i.time);
        self.frame_time = now;
        self.ensure_view(now);
        if self.filter_edited_at.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(220));
        }
        self.ensure_ledger();
        if self.autosave_tick(now) {
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
            if self.ws.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.quit_dialog = true;
            }
        }
    }

    fn style_step(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            super::install_fonts(ctx);
            self.fonts_installed = true;
            // The zoom the analyst left the window at (Ctrl+Plus / Ctrl+Minus).
            if (self.saved.zoom - 1.0).abs() > f32::EPSILON {
                ctx.set_zoom_factor(self.saved.zoom.clamp(0.5, 3.0));
            }
        } else {
            self.saved.zoom = ctx.zoom_factor();
        }
        if self.style_applied != Some(self.saved.dark) {
            super::apply_style(ctx, self.saved.dark);
            self.style_applied = Some(self.saved.dark);
        }
    }

    /// What the panels share that lives in one of them or costs a pass over the text (the link
    /// quote): computed once per frame, again only after a panel asked for something.
    fn shared(&self) -> Shared {
        Shared {
            selection: self.viewer.selection().cloned(),
            link_quote: self.link_quote(),
            engine: self.engine_note(),
        }
    }

    /// The read-only view the panels draw from.
    fn panel_ctx<'a>(&'a self, shared: &'a Shared) -> PanelCtx<'a> {
        let progress = Progress {
            reading: self.jobs.loader.is_some(),
            files: self.jobs.progress,
            failed: self.load_failed.as_deref(),
            suggesting: self.jobs.suggest_worker.is_some(),
            indexing: self
                .jobs
                .index_worker
                .as_ref()
                .map(|w| (w.progress_text(), w.dir.as_path())),
            saving: self.jobs.saving.is_some(),
            autosave: (
                self.jobs.autosaver.status.as_str(),
                self.jobs.autosaver.failed,
            ),
            ocr: Some(&self.jobs.ocr.status),
        };
        let ledger = self.ledger.value();
        PanelCtx {
            ws: &self.ws,
            saved: &self.saved,
            list: &self.view.indices,
            counts: &self.view.counts,
            metas: &self.metas,
            current: self.current_idx,
            ledger: &ledger.rows,
            reviewed: ledger.reviewed,
            selection: shared.selection.as_ref(),
            link_quote: shared.link_quote.clone(),
            hover_span: self.hover_span,
            progress,
            log: self.log.entries(),
            notices: &self.notices,
            engine: shared.engine.clone(),
            query_problems: &self.view.query_problems,
        }
    }

    /// Draws one panel: it is taken out of the app while it draws from the read-only context,
    /// and what it asks for is applied after.
    fn show_panel<P: Panel>(&mut self, ui: &mut Ui, slot: fn(&mut App) -> &mut P) {
        let shared = self.shared.take().unwrap_or_else(|| self.shared());
        let mut panel = std::mem::take(slot(self));
        let out = panel.ui(&self.panel_ctx(&shared), ui);
        *slot(self) = panel;
        self.shared = Some(shared);
        // Whatever a panel asks for may change what the next one shares.
        self.take_actions(out);
    }

    /// One frame of the window (what `eframe::App::ui` calls, after `logic`).
    pub fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.shared = None;
        self.style_step(&ctx);
        self.hover_span = None;
        self.handle_keys(&ctx);
        egui::Panel::top("doctriage-menu").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("doctriage-status")
            .show(ui, |ui| self.show_panel(ui, |a| &mut a.status_bar));
        // The record gets the most width: it is what the analyst reads.
        egui::Panel::left("doctriage-list")
            .resizable(true)
            .default_size(580.0)
            .size_range(360.0..=1100.0)
            .show(ui, |ui| {
                // The pane keeps its width whatever the list holds (no hits, short titles).
                ui.set_min_width(ui.available_width());
                self.show_panel(ui, |a| &mut a.filter_bar);
                self.show_panel(ui, |a| &mut a.list);
            });
        egui::Panel::right("doctriage-side")
            .resizable(true)
            .default_size(410.0)
            .size_range(380.0..=640.0)
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                let statements = egui::Panel::bottom("doctriage-statements")
                    .resizable(true)
                    .default_size(470.0)
                    .size_range(200.0..=840.0)
                    .show(ui, |ui| self.show_panel(ui, |a| &mut a.statements));
                splitter_grip(ui, statements.response.rect.center_top());
                egui::CentralPanel::default().show(ui, |ui| self.show_panel(ui, |a| &mut a.coding));
            });
        egui::CentralPanel::default().show(ui, |ui| self.show_panel(ui, |a| &mut a.viewer));
        self.views_window_ui(&ctx);
        self.dialogs_ui(&ctx);
        self.offer_conflicts();
        self.conflicts_ui(&ctx);
        self.preferences_ui(&ctx);
        self.run_commands(Some(&ctx));
    }

    /// Before the process ends: the notes typed, the save and export being written, and (for
    /// unsaved edits not explicitly discarded) the autosave.
    fn on_exit_step(&mut self) {
        self.flush_buffers();
        self.wait_for_save();
        self.wait_for_export();
        if let Some(l) = &self.jobs.loader {
            l.cancel();
        }
        if self.ws.is_dirty() && !self.discarded && self.autosave_path.is_some() {
            let _ = self.autosave_now();
        }
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.logic_step(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
        self.report_ready(ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.saved);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.on_exit_step();
    }
}

/// A grip on a pane's edge, so that the analyst sees it can be dragged.
fn splitter_grip(ui: &Ui, at: egui::Pos2) {
    let stroke = egui::Stroke::new(1.5, ui.visuals().widgets.inactive.fg_stroke.color);
    for dy in [-2.0, 2.0] {
        ui.painter().line_segment(
            [at + egui::vec2(-14.0, dy), at + egui::vec2(14.0, dy)],
            stroke,
        );
    }
}

/// What the panels share that one of them owns, or that is computed for all of them.
pub(crate) struct Shared {
    selection: Option<TextSelection>,
    link_quote: Option<crate::session::Quote>,
    engine: super::filter::EngineNote,
}
