//! The window's background work: reading the cache, the suggestions of every document, the
//! search index, Save, Export… and the autosave. Each runs on a named thread
//! ([`super::super::loader`]); the window polls them once per frame in `eframe::App::logic`
//! (so they go on while the window is minimised) and hands their results to the workspace.

use crate::model::Document;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::model::Cache;
use crate::search::SearchError;
use crate::workspace::SaveSnapshot;

use super::super::autosave::{self, Autosaver};
use super::super::commands::UiCommand;
use super::super::filter::{self, DocMeta};
use super::super::loader::{IndexWorker, Job, LoadMsg, Loader, SaveJob, SuggestWorker, Waker};
use super::super::panel::Action;
use super::App;
use super::state::now_hms;

/// The running background work and where it reports.
pub(crate) struct Jobs {
    /// Wakes the window when something arrives.
    pub(crate) waker: Waker,
    /// Reading the cache.
    pub(crate) loader: Option<Loader>,
    /// (files read, files in all) while reading.
    pub(crate) progress: Option<(usize, usize)>,
    /// Computing every document's suggestions.
    pub(crate) suggest_worker: Option<SuggestWorker>,
    /// Opening or building the search index.
    pub(crate) index_worker: Option<IndexWorker>,
    /// Why there is no index (the filter then matches plain words as substrings).
    pub(crate) index_unavailable: Option<String>,
    /// Where indexes are kept (None: [`crate::search::default_index_dir`]).
    pub(crate) index_root: Option<PathBuf>,
    /// `index_root` is a test's own folder, deleted with the window.
    pub(crate) owns_index_root: bool,
    /// The session being written.
    pub(crate) saving: Option<SaveJob>,
    /// Findings being written.
    pub(crate) exporting: Option<Job<String>>,
    /// The autosave.
    pub(crate) autosaver: Autosaver,
    /// OCR of the pages the cache left without text.
    pub(crate) ocr: super::ocr::OcrJob,
    /// Saving the evidence view as a PNG.
    /// A whole-view PNG being made, a tile per frame.
    pub(crate) png: Option<super::super::views::capture::ViewCapture>,
    /// The capture ended last frame: its offset is dropped this frame.
    pub(crate) png_cleanup: bool,
}

impl Default for Jobs {
    fn default() -> Self {
        Self {
            waker: Arc::new(Mutex::new(None)),
            loader: None,
            progress: None,
            suggest_worker: None,
            index_worker: None,
            index_unavailable: None,
            index_root: None,
            owns_index_root: false,
            saving: None,
            exporting: None,
            autosaver: Autosaver::default(),
            ocr: super::ocr::OcrJob::default(),
            png: None,
            png_cleanup: false,
        }
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        if let Some(w) = self.index_worker.take() {
            w.cancel();
            let _ = w.join();
        }
        if self.owns_index_root
            && let Some(root) = &self.index_root
        {
            let _ = std::fs::remove_dir_all(root);
        }
    }
}

impl App {
    /// Starts reading a cache folder on `doctriage-scan` (the documents stream in).
    pub(crate) fn start_loading(&mut self, dir: &Path) {
        self.jobs.loader = None;
        self.jobs.suggest_worker = None;
        self.jobs.index_worker = None;
        self.jobs.index_unavailable = None;
        self.ws.begin_reading(dir);
        // No documents yet: this stops the OCR of the cache shown before.
        self.start_ocr();
        self.metas.clear();
        self.loaded = false;
        self.load_failed = None;
        self.jobs.progress = Some((0, 0));
        self.current = None;
        self.current_idx = None;
        self.viewer.document_changed();
        self.statements.quote = None;
        match Loader::start(dir, self.jobs.waker.clone()) {
            Ok(l) => self.jobs.loader = Some(l),
            Err(e) => {
                self.jobs.progress = None;
                let msg = format!("Cannot start reading the cache: {e}: {}", dir.display());
                self.load_failed = Some(msg.clone());
                self.error(msg);
            }
        }
    }

    pub(crate) fn take_load_messages(&mut self, msgs: Vec<LoadMsg>) {
        for msg in msgs {
            match msg {
                LoadMsg::Listed(total) => self.jobs.progress = Some((0, total)),
                LoadMsg::Batch {
                    documents,
                    metas,
                    errors,
                    done,
                    total,
                } => {
                    self.jobs.progress = Some((done, total));
                    self.ws.add_documents(documents, errors);
                    self.metas.extend(metas);
                    if !self.show_when_read()
                        && self.current.is_none()
                        && !self.ws.cache().documents.is_empty()
                    {
                        self.set_current(0);
                    }
                }
                LoadMsg::Done(cache) => self.finish_loading(*cache),
                LoadMsg::Failed { message, cancelled } => {
                    self.jobs.loader = None;
                    self.jobs.progress = None;
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

    fn finish_loading(&mut self, mut cache: Cache) {
        self.jobs.loader = None;
        self.jobs.progress = None;
        self.loaded = true;
        self.realign_metas(&mut cache);
        let unreadable = cache.errors.len();
        let n = cache.documents.len();
        self.ws.set_cache(cache);
        let current = self.current.clone();
        self.current_idx = current.and_then(|id| self.ws.cache().position(&id));
        if !self.show_when_read() && self.current_idx.is_none() && n > 0 {
            self.set_current(0);
        }
        self.report_loaded(n, unreadable);
        if self.verify_after_load {
            self.verify_after_load = false;
            self.show_verification();
        }
        self.start_suggestions();
        self.start_index();
        self.start_ocr();
    }

    /// Starts computing the suggestions the workspace does not hold yet, on `doctriage-suggest`
    /// (a worker already running is replaced).
    pub(crate) fn start_suggestions(&mut self) {
        self.jobs.suggest_worker = None;
        match SuggestWorker::start(
            self.ws.cache_arc().clone(),
            self.ws.suggestions(),
            self.jobs.waker.clone(),
        ) {
            Ok(w) => self.jobs.suggest_worker = Some(w),
            Err(e) => self.warn(format!("Suggestions for the facets are not computed: {e}")),
        }
    }

    /// The final cache is the documents the window took as they came, put in cache order with
    /// their metas (the scan's own cache holds only the ones not taken).
    fn realign_metas(&mut self, cache: &mut Cache) {
        let streamed = self.ws.take_documents();
        let metas = std::mem::take(&mut self.metas);
        let mut pairs: Vec<(Document, DocMeta)> = streamed
            .into_iter()
            .zip(metas)
            .chain(std::mem::take(&mut cache.documents).into_iter().map(|d| {
                let meta = filter::doc_meta(&d);
                (d, meta)
            }))
            .collect();
        pairs.sort_by_cached_key(|(d, _)| crate::ingest::cache_order_key(d));
        (cache.documents, self.metas) = pairs.into_iter().unzip();
    }

    fn report_loaded(&mut self, n: usize, unreadable: usize) {
        let dir = self.ws.cache_dir().display().to_string();
        if n == 0 {
            self.error(format!("No documents found in {dir}"));
        } else {
            self.info(format!("Loaded {n} documents from {dir}"));
        }
        let scan = &self.ws.cache().scan;
        let changes: Vec<String> = scan
            .changed
            .iter()
            .map(|p| format!("Changed since the last open: {p}"))
            .chain(
                scan.removed
                    .iter()
                    .map(|p| format!("Gone since the last open: {p}")),
            )
            .take(20)
            .collect();
        let summary = scan.summary();
        let note = scan.manifest_note.clone();
        if let Some(line) = summary {
            self.info(line);
        }
        for line in changes {
            self.warn(line);
        }
        if let Some(note) = note {
            self.warn(note);
        }
        if unreadable > 0 {
            self.warn(format!(
                "{unreadable} files could not be read (see Errors and warnings)"
            ));
        }
        if self.ws.cache().article.is_none() {
            self.warn(
                "No article in this cache (article.md at its root): statements cannot be linked",
            );
        }
    }

    /// Takes in what the background work sent (once per frame, and while minimised).
    pub(crate) fn poll_background(&mut self) {
        if let Some(loader) = &self.jobs.loader {
            let msgs = loader.poll();
            self.take_load_messages(msgs);
        }
        if let Some(worker) = &self.jobs.suggest_worker {
            let batch = worker.poll();
            let finished = worker.finished();
            self.ws.add_suggestions(batch);
            if finished && let Some(mut w) = self.jobs.suggest_worker.take() {
                let rest = w.wait();
                self.ws.add_suggestions(rest);
            }
        }
        self.poll_ocr();
        if let Some(err) = self.jobs.autosaver.poll() {
            self.error(err);
        }
        if self
            .jobs
            .index_worker
            .as_ref()
            .is_some_and(IndexWorker::is_finished)
        {
            self.take_index();
        }
        if self.jobs.saving.as_ref().is_some_and(SaveJob::is_finished) {
            self.wait_for_save();
        }
        if self.jobs.exporting.as_ref().is_some_and(Job::is_finished) {
            self.wait_for_export();
        }
        for w in self.ws.take_warnings() {
            self.warn(w);
        }
    }

    /// Starts opening (or building) the search index of the loaded cache on a worker thread.
    pub(super) fn start_index(&mut self) {
        self.jobs.index_worker = None;
        self.jobs.index_unavailable = None;
        if self.ws.cache().documents.is_empty() {
            return;
        }
        let default = crate::search::default_index_dir(self.ws.cache_dir());
        let dir = match (&self.jobs.index_root, default.file_name()) {
            (Some(root), Some(name)) => root.join(name),
            _ => default,
        };
        match IndexWorker::start(self.ws.cache_arc().clone(), dir, self.jobs.waker.clone()) {
            Ok(w) => self.jobs.index_worker = Some(w),
            Err(e) => {
                self.jobs.index_unavailable = Some(format!(
                    "The search index could not be started ({e}); plain words are matched"
                ))
            }
        }
    }

    /// Takes the finished index worker's result (blocking until it is done).
    pub fn take_index(&mut self) {
        let Some(worker) = self.jobs.index_worker.take() else {
            return;
        };
        match worker.join() {
            Ok(index) => self.ws.set_search_index(index),
            Err(SearchError::Cancelled) => {}
            Err(e) => {
                let msg = format!("Search index unavailable ({e}); the filter matches plain words");
                self.jobs.index_unavailable = Some(msg.clone());
                self.warn(msg);
            }
        }
    }

    /// Starts writing a save snapshot on `doctriage-save` (one write at a time).
    pub(crate) fn start_save(&mut self, snapshot: SaveSnapshot) -> Result<(), String> {
        self.wait_for_save();
        let path = snapshot.path.clone();
        let job = SaveJob::start(snapshot, self.jobs.waker.clone())
            .map_err(|e| format!("Cannot start saving {}: {e}", path.display()))?;
        self.jobs.saving = Some(job);
        Ok(())
    }

    /// Takes in the outcome of the running save (Save writes on a worker thread), waiting for
    /// it if it has not finished.
    pub fn wait_for_save(&mut self) {
        let Some(job) = self.jobs.saving.take() else {
            return;
        };
        let (path, then_close) = (job.path.clone(), job.then_close);
        match job.join() {
            Ok(receipt) => {
                if self.ws.saved(receipt) {
                    // The session has a new file: the autosave of its old one (or of the
                    // never-saved session) holds a state from before this save; never offer it.
                    self.jobs.autosaver.wait();
                    if let Some(old) = self.autosave_path.take() {
                        let _ = std::fs::remove_file(old);
                    }
                    self.autosave_path = self.autosave_file(Some(&path), self.ws.cache_dir());
                }
                self.info(format!("Saved {}", path.display()));
                if then_close {
                    self.allow_close = true;
                    self.pending.push(Action::Ui(UiCommand::Quit));
                }
            }
            Err(e) => self.error(format!("Could not save {}: {e}", path.display())),
        }
    }

    /// Waits for a running export (Export writes on a worker thread) and takes in its outcome.
    pub fn wait_for_export(&mut self) {
        if let Some(job) = self.jobs.exporting.take() {
            match job.join() {
                Ok(msg) => self.info(msg),
                Err(e) => self.error(format!("Could not export the findings: {e}")),
            }
        }
    }

    /// Starts an autosave every 30 s while there are unsaved edits (`now`: seconds of the
    /// window's clock).
    pub(crate) fn autosave_tick(&mut self, now: f64) -> bool {
        let revision = self.ws.editor().revision();
        if !self.ws.is_dirty() || self.jobs.autosaver.saved_revision == Some(revision) {
            return false;
        }
        if let Some(path) = self.autosave_path.clone()
            && now - self.jobs.autosaver.last_attempt >= autosave::AUTOSAVE_SECS
            && !self.jobs.autosaver.is_running()
        {
            self.jobs
                .autosaver
                .start(path, self.ws.session().clone(), revision, now);
        }
        true
    }

    /// Writes the autosave now (blocking). Returns its path.
    pub fn autosave_now(&mut self) -> Result<PathBuf, String> {
        let path = self
            .autosave_path
            .clone()
            .ok_or("no data folder for autosaves on this system")?;
        self.jobs.autosaver.wait();
        autosave::write_now(&path, self.ws.session())?;
        self.jobs.autosaver.saved_revision = Some(self.ws.editor().revision());
        self.jobs.autosaver.status = format!("autosaved {}", now_hms());
        Ok(path)
    }
}
