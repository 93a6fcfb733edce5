//! OCR while the analyst reviews: the pages a loaded cache left without text are read on the
//! thread `doctriage-ocr` (which runs `ocr::run` and its own page workers), and each document
//! whose pages are all done comes back to the window with its new text.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::model::Document;
use crate::ocr::{self, Engine, OcrEvent, OcrOptions, OcrReport};
use crate::tool::ToolError;

use super::loader::Waker;

/// What the OCR thread sends.
pub enum OcrMsg {
    /// The engines found on this machine.
    Engines(Engines),
    /// A page is done: (pages done, pages in all).
    Page(usize, usize),
    /// A document whose pages are all done, with its new text.
    Document(Box<Document>),
    /// The run ended (cancelled or not), or could not run.
    Finished(Result<OcrReport, String>),
}

/// The engines the window reads pages with: poppler (PDF text layers and page images) and
/// tesseract (OCR).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Engines {
    /// Poppler's `pdftotext` is installed.
    pub poppler: bool,
    /// Tesseract's status line (version, languages, what is not installed), or why there is
    /// no tesseract.
    pub tesseract: Option<Result<String, String>>,
}

impl Engines {
    /// Asks the machine (runs `pdftotext -v` and `tesseract --version`, once per process).
    pub fn detect() -> Self {
        let poppler = !matches!(
            crate::tool::run_tool("pdftotext", &["-v"], b"", Duration::from_secs(10)),
            Err(ToolError::Missing(_))
        );
        let tesseract = Some(
            Engine::detect()
                .as_ref()
                .map(Engine::describe)
                .map_err(ToString::to_string),
        );
        Self { poppler, tesseract }
    }

    /// True when tesseract was looked for and is not installed.
    pub fn tesseract_missing(&self) -> bool {
        matches!(self.tesseract, Some(Err(_)))
    }

    /// One line for the status bar's tooltip: every engine, found or what to install.
    pub fn describe(&self) -> String {
        let poppler = if self.poppler {
            "poppler's pdftotext (PDF text layers) and pdftoppm (page images)".to_owned()
        } else {
            "pdftotext not installed (apt-get install poppler-utils): PDFs cannot be read"
                .to_owned()
        };
        let tesseract = match &self.tesseract {
            Some(Ok(line)) => format!("OCR: {line}"),
            Some(Err(_)) => format!("OCR: {TESSERACT_MISSING}"),
            None => "OCR: looking for tesseract…".to_owned(),
        };
        format!("{poppler}\n{tesseract}")
    }
}

/// What the window says when there is no tesseract.
pub const TESSERACT_MISSING: &str =
    "tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-rus …)";

/// How the window's OCR stands, for the status bar and the viewer.
#[derive(Clone, Debug, Default)]
pub struct OcrStatus {
    /// The engines found (None until the OCR thread asked).
    pub engines: Option<Engines>,
    /// OCR is running.
    pub running: bool,
    /// (pages done, pages in all) of the run.
    pub pages: (usize, usize),
    /// Pages of the cache still waiting for OCR.
    pub pending: usize,
    /// The analyst cancelled the run.
    pub cancelled: bool,
    /// Why OCR could not run (no tesseract, languages not installed).
    pub failed: Option<String>,
    /// The last run's report.
    pub report: Option<OcrReport>,
}

/// A running OCR of a cache's pending pages.
pub struct OcrWorker {
    rx: Receiver<OcrMsg>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl OcrWorker {
    /// Starts reading the pending pages of `docs` (documents of the cache at `root`) on the
    /// thread `doctriage-ocr`, with results cached in `cache_dir` (None: the user's OCR cache,
    /// [`ocr::default_cache_dir`]).
    pub fn start(
        root: &Path,
        docs: Vec<Document>,
        languages: ocr::LanguageSetting,
        cache_dir: Option<std::path::PathBuf>,
        waker: Waker,
    ) -> std::io::Result<Self> {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let mut opts = OcrOptions {
            languages,
            cancel: Some(cancel.clone()),
            ..OcrOptions::default()
        };
        if let Some(dir) = cache_dir {
            opts.cache_dir = dir;
        }
        let root = root.to_path_buf();
        let handle = std::thread::Builder::new()
            .name("doctriage-ocr".into())
            .spawn(move || {
                let send = |msg: OcrMsg| {
                    let _ = tx.send(msg);
                    super::loader::wake(&waker);
                };
                send(OcrMsg::Engines(Engines::detect()));
                let events = Mutex::new(tx.clone());
                let on_event = |event: OcrEvent| {
                    let msg = match event {
                        OcrEvent::Page { done, total, .. } => OcrMsg::Page(done, total),
                        OcrEvent::Document(doc) => OcrMsg::Document(doc),
                    };
                    if let Ok(tx) = events.lock() {
                        let _ = tx.send(msg);
                    }
                    super::loader::wake(&waker);
                };
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    ocr::run(&root, &docs, &opts, &on_event)
                }));
                let outcome = match run {
                    Ok(Ok((_, report))) => Ok(report),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(_) => Err("the OCR thread stopped on an internal error".to_owned()),
                };
                send(OcrMsg::Finished(outcome));
            })?;
        Ok(Self {
            rx,
            cancel,
            handle: Some(handle),
        })
    }

    /// Asks the run to stop between pages (finished pages stay in the OCR cache).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Everything that arrived since the last call.
    pub fn poll(&self) -> Vec<OcrMsg> {
        self.rx.try_iter().collect()
    }

    /// Waits for the run to end and returns everything it sent since the last poll.
    pub fn wait(&mut self) -> Vec<OcrMsg> {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.poll()
    }
}

impl Drop for OcrWorker {
    fn drop(&mut self) {
        // A replaced run stops at its next page; nobody waits for it.
        self.cancel();
    }
}
