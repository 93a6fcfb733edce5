//! OCR while the analyst reviews: once the cache is read, the pages it left without text are
//! read on `doctriage-ocr` ([`super::super::ocr_worker`]); finished documents replace the old
//! ones in batches, their suggestions and filter data are computed again, and the search index
//! is brought up to date when the run ends.

use std::path::PathBuf;

use crate::model::Document;
use crate::ocr::LanguageSetting;

use super::super::filter::doc_meta;
use super::super::ocr_worker::{OcrMsg, OcrStatus, OcrWorker, TESSERACT_MISSING};
use super::super::status_bar::waiting;
use super::App;

/// Finished documents are put in the cache in batches of this many (or after
/// [`BATCH_SECS`]), so a big run does not copy the cache for every document.
const BATCH_DOCS: usize = 64;
/// The longest a finished document waits for its batch, in seconds.
const BATCH_SECS: f64 = 1.5;

/// The window's OCR: the run, how it stands, and the documents waiting to be put in.
#[derive(Default)]
pub(crate) struct OcrJob {
    worker: Option<OcrWorker>,
    /// How it stands (the status bar and the viewer show it).
    pub(crate) status: OcrStatus,
    batch: Vec<Document>,
    /// When the oldest document of the batch arrived (the window's clock).
    batch_since: Option<f64>,
    /// Where results are cached (None: the user's OCR cache); tests use a folder of their own.
    pub(crate) cache_dir: Option<PathBuf>,
    /// `cache_dir` is a test's own folder, deleted with the window.
    pub(crate) owns_cache_dir: bool,
    /// Documents of this run were put in the cache (the search index must take them in).
    replaced_any: bool,
}

impl Drop for OcrJob {
    fn drop(&mut self) {
        if let Some(mut w) = self.worker.take() {
            w.cancel();
            if self.owns_cache_dir {
                let _ = w.wait();
            }
        }
        if self.owns_cache_dir
            && let Some(dir) = &self.cache_dir
        {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl App {
    /// The languages OCR reads pages with: the command line's `--ocr-lang`, else the
    /// session's setting for this cache (chosen per page when neither says).
    pub(crate) fn ocr_languages(&self) -> LanguageSetting {
        match &self.reading.languages {
            LanguageSetting::Auto => self.ws.ocr_languages(),
            fixed => fixed.clone(),
        }
    }

    /// Reads caches as `reading` says (the command line's `--no-ocr`, `--ocr-lang`).
    pub fn set_reading(&mut self, reading: crate::workspace::Reading) {
        self.reading = reading;
    }

    /// Starts reading the loaded cache's pending pages (nothing to do: nothing starts).
    pub(crate) fn start_ocr(&mut self) {
        self.jobs.ocr.worker = None;
        self.jobs.ocr.batch.clear();
        self.jobs.ocr.batch_since = None;
        self.jobs.ocr.replaced_any = false;
        let docs: Vec<Document> = self
            .ws
            .cache()
            .documents
            .iter()
            .filter(|d| !d.pending_pages().is_empty())
            .cloned()
            .collect();
        let pending = docs.iter().map(|d| d.pending_pages().len()).sum();
        let engines = self.jobs.ocr.status.engines.take();
        self.jobs.ocr.status = OcrStatus {
            engines,
            pending,
            ..OcrStatus::default()
        };
        if docs.is_empty() {
            return;
        }
        if !self.reading.ocr {
            let msg = format!("OCR turned off (--no-ocr): {}", waiting(pending));
            self.jobs.ocr.status.failed = Some(msg.clone());
            self.info(msg);
            return;
        }
        match OcrWorker::start(
            self.ws.cache_dir(),
            docs,
            self.ocr_languages(),
            self.jobs.ocr.cache_dir.clone(),
            self.jobs.waker.clone(),
        ) {
            Ok(w) => {
                self.jobs.ocr.worker = Some(w);
                self.jobs.ocr.status.running = true;
                self.jobs.ocr.status.pages = (0, pending);
            }
            Err(e) => {
                let msg = format!("OCR could not be started ({e}): {}", waiting(pending));
                self.jobs.ocr.status.failed = Some(msg.clone());
                self.warn(msg);
            }
        }
    }

    /// Stops the OCR run at its next page; the pages read so far stay in the OCR cache.
    pub fn cancel_ocr(&mut self) {
        if let Some(w) = &self.jobs.ocr.worker {
            w.cancel();
            self.jobs.ocr.status.cancelled = true;
        }
    }

    /// True while OCR runs.
    pub fn is_ocr_running(&self) -> bool {
        self.jobs.ocr.worker.is_some()
    }

    /// How OCR stands.
    pub fn ocr_status(&self) -> &OcrStatus {
        &self.jobs.ocr.status
    }

    /// Waits for the OCR run to end and takes in what it sent.
    pub fn wait_for_ocr(&mut self) {
        if let Some(w) = self.jobs.ocr.worker.as_mut() {
            let msgs = w.wait();
            self.take_ocr_messages(msgs);
        }
        self.flush_ocr_batch();
    }

    /// Takes in what the OCR thread sent (once per frame).
    pub(crate) fn poll_ocr(&mut self) {
        if let Some(w) = &self.jobs.ocr.worker {
            let msgs = w.poll();
            self.take_ocr_messages(msgs);
        }
        let due = self
            .jobs
            .ocr
            .batch_since
            .is_some_and(|t| self.frame_time - t >= BATCH_SECS || self.frame_time < t);
        if due || self.jobs.ocr.batch.len() >= BATCH_DOCS {
            self.flush_ocr_batch();
        }
        if self.jobs.ocr.batch_since.is_some()
            && let Some(ctx) = &self.egui_ctx
        {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(BATCH_SECS));
        }
    }

    fn take_ocr_messages(&mut self, msgs: Vec<OcrMsg>) {
        for msg in msgs {
            match msg {
                OcrMsg::Engines(e) => self.jobs.ocr.status.engines = Some(e),
                OcrMsg::Page(done, total) => self.jobs.ocr.status.pages = (done, total),
                OcrMsg::Document(doc) => {
                    self.jobs.ocr.batch.push(*doc);
                    self.jobs.ocr.batch_since.get_or_insert(self.frame_time);
                }
                OcrMsg::Finished(outcome) => self.ocr_finished(outcome),
            }
        }
    }

    fn ocr_finished(&mut self, outcome: Result<crate::ocr::OcrReport, String>) {
        self.jobs.ocr.worker = None;
        self.jobs.ocr.status.running = false;
        self.flush_ocr_batch();
        let pending = self.jobs.ocr.status.pending;
        match outcome {
            Ok(report) => {
                let n = report.read + report.cached;
                // The same words whether the pages were read now or found in the OCR cache
                // (the analyst gets the same text either way).
                let mut msg = format!("OCR done: {n} page{}", if n == 1 { "" } else { "s" });
                if report.failed > 0 {
                    msg.push_str(&format!(
                        "; {} failed (see the documents' warnings)",
                        report.failed
                    ));
                }
                if report.cancelled {
                    self.warn(format!("OCR cancelled: {msg}; {}", waiting(pending)));
                } else if report.failed > 0 {
                    self.warn(msg);
                } else {
                    self.info(msg);
                }
                self.jobs.ocr.status.report = Some(report);
            }
            Err(e) => {
                let missing = self
                    .jobs
                    .ocr
                    .status
                    .engines
                    .as_ref()
                    .is_some_and(super::super::ocr_worker::Engines::tesseract_missing);
                let msg = if missing {
                    format!("{TESSERACT_MISSING}: {}", waiting(pending))
                } else {
                    format!("OCR could not run ({e}): {}", waiting(pending))
                };
                self.jobs.ocr.status.failed = Some(msg.clone());
                self.warn(msg);
            }
        }
        // The search index takes in the new texts (it only reads what changed), and the
        // session's quotes on the OCR'd pages are checked now that their text is there.
        if std::mem::take(&mut self.jobs.ocr.replaced_any) {
            self.start_index();
            self.check_quotes_after_ocr();
        }
    }

    /// Says which quotes of the session are no longer at their offsets now that their pages are
    /// read, and moves those whose text is elsewhere (one undoable step).
    fn check_quotes_after_ocr(&mut self) {
        for m in self.ws.reanchor_quotes() {
            self.warn(m);
        }
    }

    /// Puts the finished documents in the cache, with their filter data and suggestions
    /// computed again; the document shown and its selection stay.
    fn flush_ocr_batch(&mut self) {
        self.jobs.ocr.batch_since = None;
        let docs = std::mem::take(&mut self.jobs.ocr.batch);
        if docs.is_empty() {
            return;
        }
        let current = self.current.clone();
        let touches_current = current
            .as_deref()
            .is_some_and(|id| docs.iter().any(|d| d.id == id));
        let positions = self.ws.replace_documents(docs);
        self.jobs.ocr.replaced_any |= !positions.is_empty();
        for &at in &positions {
            if let (Some(meta), Some(doc)) =
                (self.metas.get_mut(at), self.ws.cache().documents.get(at))
            {
                *meta = doc_meta(doc);
            }
        }
        self.jobs.ocr.status.pending = self
            .ws
            .cache()
            .documents
            .iter()
            .map(|d| d.pending_pages().len())
            .sum();
        if touches_current && let Some(id) = current {
            self.current_idx = self.ws.cache().position(&id);
            let doc = self.ws.cache().document(&id);
            self.viewer.document_replaced(doc);
            // Its suggestions are read again from the new text at once.
            let _ = self.ws.suggestions_for(&id);
        }
        self.restart_suggestions();
    }

    /// Computes the suggestions the workspace does not hold (dropped for new texts).
    fn restart_suggestions(&mut self) {
        if !self.loaded {
            return;
        }
        self.start_suggestions();
    }
}

impl App {
    /// The boxes the page image of the document shown had in the last frame.
    pub fn page_boxes(&self) -> &[super::super::viewer::DrawnBox] {
        self.viewer.page_view().drawn()
    }

    /// The page (1-based) the viewer's page pane shows, with its document.
    pub fn shown_page(&self) -> Option<(&str, usize)> {
        self.viewer.page_view().page()
    }

    /// True when the image of the page shown is ready to draw.
    pub fn page_image_ready(&self) -> bool {
        self.viewer.page_view().image_ready()
    }

    /// What the viewer says of the document shown's pages waiting for OCR.
    pub fn viewer_ocr_note(&self) -> Option<String> {
        let doc = self.current_document()?;
        super::super::viewer::ocr_note(doc, Some(&self.jobs.ocr.status))
    }
}
