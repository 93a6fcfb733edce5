//! Background work: the cache scan (documents stream to the window while a big cache loads),
//! the suggestions of every document (for the "has suggestions" facet), the search index of the
//! filter bar, and writing the session file (Save).
//!
//! All run on named threads and talk to the window through channels; the window polls them
//! once per frame and the threads wake it with `request_repaint`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rayon::prelude::*;

use crate::extract::Extractor;
use crate::ingest::{self, ScanEvent, ScanOptions};
use crate::model::{Cache, Document, ScanError, Suggestions};
use crate::search::{BuildProgress, SearchError, SearchIndex};
use crate::workspace::{ExportRequest, SaveSnapshot, SavedReceipt};

use super::filter::{DocMeta, doc_meta};

/// Who to wake when something arrives (set once the window has a context).
pub type Waker = Arc<Mutex<Option<egui::Context>>>;

pub(crate) fn wake(waker: &Waker) {
    if let Ok(guard) = waker.lock()
        && let Some(ctx) = guard.as_ref()
    {
        ctx.request_repaint();
    }
}

/// Wakes the window within 100 ms: progress of a long read repaints it at most 10 times a
/// second, leaving the cores to the reading.
fn wake_soon(waker: &Waker) {
    if let Ok(guard) = waker.lock()
        && let Some(ctx) = guard.as_ref()
    {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
}

/// What the scan thread sends.
pub enum LoadMsg {
    /// The folder was listed: this many files will be read.
    Listed(usize),
    /// Some documents (with their filter data) and unreadable files.
    Batch {
        /// Documents read.
        documents: Vec<Document>,
        /// Their [`DocMeta`], same order.
        metas: Vec<DocMeta>,
        /// Files that could not be read.
        errors: Vec<ScanError>,
        /// Files read so far.
        done: usize,
        /// Files in all.
        total: usize,
    },
    /// The scan finished: the final cache (with article and gazetteer).
    Done(Box<Cache>),
    /// The scan failed or was cancelled (the message says which).
    Failed {
        /// One line for the window.
        message: String,
        /// True when the analyst cancelled.
        cancelled: bool,
    },
}

/// A running scan.
pub struct Loader {
    rx: Receiver<LoadMsg>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Loader {
    /// Starts scanning `root` on the thread `doctriage-scan`.
    pub fn start(root: &Path, waker: Waker) -> std::io::Result<Self> {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let opts = ScanOptions {
            cancel: Some(cancel.clone()),
            ..ScanOptions::with_manifest(root)
        };
        let thread_root = root.to_path_buf();
        let handle = std::thread::Builder::new()
            .name("doctriage-scan".into())
            .spawn(move || scan_thread(&thread_root, &opts, &tx, &waker))?;
        Ok(Self {
            rx,
            cancel,
            handle: Some(handle),
        })
    }

    /// Asks the scan to stop (it stops between chunks).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Everything that arrived since the last call.
    pub fn poll(&self) -> Vec<LoadMsg> {
        self.rx.try_iter().collect()
    }

    /// Waits for the scan to end and returns everything it sent.
    pub fn wait(&mut self) -> Vec<LoadMsg> {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.rx.try_iter().collect()
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        // A replaced scan stops early; nobody waits for it.
        self.cancel();
    }
}

fn scan_thread(root: &Path, opts: &ScanOptions, tx: &Sender<LoadMsg>, waker: &Waker) {
    let tx_events = Mutex::new(tx.clone());
    let on_event = |event: ScanEvent| {
        let msg = match event {
            ScanEvent::Listed { files } => LoadMsg::Listed(files),
            ScanEvent::Batch {
                documents,
                errors,
                done,
                total,
            } => {
                let metas = documents.par_iter().map(doc_meta).collect();
                // Taken, not copied: the window lists them as they come and keeps them.
                LoadMsg::Batch {
                    documents: std::mem::take(documents),
                    metas,
                    errors: errors.to_vec(),
                    done,
                    total,
                }
            }
        };
        if let Ok(tx) = tx_events.lock() {
            let _ = tx.send(msg);
        }
        wake_soon(waker);
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest::scan_with(root, opts, &on_event)
    }));
    let msg = match result {
        Ok(Ok(cache)) => LoadMsg::Done(Box::new(cache)),
        Ok(Err(ingest::IngestError::Cancelled)) => LoadMsg::Failed {
            message: format!("Loading cancelled: {}", root.display()),
            cancelled: true,
        },
        Ok(Err(e)) => LoadMsg::Failed {
            message: format!("Cannot open the cache: {e}"),
            cancelled: false,
        },
        Err(_) => LoadMsg::Failed {
            message: format!("Internal error while reading the cache: {}", root.display()),
            cancelled: false,
        },
    };
    let _ = tx.send(msg);
    wake(waker);
}

/// Computes the suggestions of every document on the thread `doctriage-suggest`.
pub struct SuggestWorker {
    rx: Receiver<Vec<(String, Suggestions)>>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    done: Arc<AtomicBool>,
}

/// How many documents the suggestion worker sends at once.
const SUGGEST_BATCH: usize = 2000;

impl SuggestWorker {
    /// Starts computing suggestions for the documents of `cache` that are not in `skip`.
    pub fn start(
        cache: Arc<Cache>,
        skip: &HashMap<String, Suggestions>,
        waker: Waker,
    ) -> std::io::Result<Self> {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicBool::new(false));
        let todo: Vec<usize> = cache
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| !skip.contains_key(&d.id))
            .map(|(i, _)| i)
            .collect();
        let (c, d) = (cancel.clone(), done.clone());
        let handle = std::thread::Builder::new()
            .name("doctriage-suggest".into())
            .spawn(move || {
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let extractor = Extractor::new(&cache.gazetteer);
                    for chunk in todo.chunks(SUGGEST_BATCH) {
                        if c.load(Ordering::Relaxed) {
                            return;
                        }
                        let batch: Vec<(String, Suggestions)> = chunk
                            .par_iter()
                            .filter_map(|&i| cache.documents.get(i))
                            .map(|doc| (doc.id.clone(), extractor.suggest(doc)))
                            .collect();
                        if tx.send(batch).is_err() {
                            return;
                        }
                        wake(&waker);
                    }
                }));
                let _ = run;
                d.store(true, Ordering::Relaxed);
                wake(&waker);
            })?;
        Ok(Self {
            rx,
            cancel,
            handle: Some(handle),
            done,
        })
    }

    /// Suggestions that arrived since the last call.
    pub fn poll(&self) -> Vec<(String, Suggestions)> {
        self.rx.try_iter().flatten().collect()
    }

    /// True when every document was done (or the worker stopped).
    pub fn finished(&self) -> bool {
        self.done.load(Ordering::Relaxed)
    }

    /// Waits for the worker and returns what it sent since the last poll.
    pub fn wait(&mut self) -> Vec<(String, Suggestions)> {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.poll()
    }
}

impl Drop for SuggestWorker {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// One piece of work on a named thread that wakes the window when it is done (Save, Export…).
pub struct Job<T> {
    handle: JoinHandle<Result<T, String>>,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a thread named `name`.
    pub fn spawn(
        name: &str,
        waker: Waker,
        work: impl FnOnce() -> Result<T, String> + Send + 'static,
    ) -> std::io::Result<Self> {
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let result = work();
                wake(&waker);
                result
            })?;
        Ok(Self { handle })
    }

    /// True once the work is done (or failed).
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the work and returns its outcome.
    pub fn join(self) -> Result<T, String> {
        self.handle
            .join()
            .unwrap_or_else(|_| Err("internal error on a background thread".into()))
    }
}

/// A session being written to its file on the thread `doctriage-save` (Save, Save as…), so a big
/// session never stalls the window. The window keeps editing meanwhile; the edits made after
/// the snapshot stay unsaved.
pub struct SaveJob {
    job: Job<SavedReceipt>,
    /// The file written.
    pub path: PathBuf,
    /// Close the window once the file is written (Save from the quit question).
    pub then_close: bool,
}

impl SaveJob {
    /// Starts writing a snapshot the workspace prepared.
    pub fn start(snapshot: SaveSnapshot, waker: Waker) -> std::io::Result<Self> {
        let path = snapshot.path.clone();
        let job = Job::spawn("doctriage-save", waker, move || {
            snapshot.write().map_err(|e| e.to_string())
        })?;
        Ok(Self {
            job,
            path,
            then_close: false,
        })
    }

    /// True once the file is written (or writing failed).
    pub fn is_finished(&self) -> bool {
        self.job.is_finished()
    }

    /// Waits for the write and returns its outcome.
    pub fn join(self) -> Result<SavedReceipt, String> {
        self.job.join()
    }
}

/// Progress of an index build: (documents indexed, documents to index).
#[derive(Default)]
pub struct IndexProgress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl IndexProgress {
    /// (documents indexed so far, documents to index); (0, 0) before the first batch.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// Opens (or builds) the search index of a loaded cache on the thread `doctriage-index`, for the
/// filter bar: the same engine and query language as `doctriage search`. Until it is ready the
/// window filters by folded substrings.
pub struct IndexWorker {
    handle: Option<JoinHandle<Result<SearchIndex, SearchError>>>,
    cancel: Arc<AtomicBool>,
    /// How far the build is.
    progress: Arc<IndexProgress>,
    /// The folder the index is kept in.
    pub dir: PathBuf,
}

impl IndexWorker {
    /// Starts opening or building the index of `cache` in `dir` (outside the cache folder).
    pub fn start(cache: Arc<Cache>, dir: PathBuf, waker: Waker) -> std::io::Result<Self> {
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(IndexProgress::default());
        let (c, p, d) = (cancel.clone(), progress.clone(), dir.clone());
        let handle = std::thread::Builder::new()
            .name("doctriage-index".into())
            .spawn(move || {
                let report = |done: usize, total: usize| {
                    p.done.store(done, Ordering::Relaxed);
                    p.total.store(total, Ordering::Relaxed);
                    wake(&waker);
                };
                let build = BuildProgress {
                    report: Some(&report),
                    cancel: Some(&c),
                };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    SearchIndex::open_or_build_with(&cache, None, &d, &build)
                }))
                .unwrap_or_else(|_| {
                    Err(SearchError::Index(tantivy::TantivyError::InternalError(
                        "the indexing thread stopped on an internal error".into(),
                    )))
                });
                wake(&waker);
                result.map(|(index, _stats)| index)
            })?;
        Ok(Self {
            handle: Some(handle),
            cancel,
            progress,
            dir,
        })
    }

    /// How far the build is, for the status bar and the filter bar.
    pub fn progress_text(&self) -> String {
        match self.progress.get() {
            (_, 0) => "opening the search index".to_owned(),
            (done, total) => format!("indexing {done} of {total} documents"),
        }
    }

    /// Asks the build to stop at its next batch (nothing is committed).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// True once the index is ready (or could not be built).
    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Waits for the index.
    pub fn join(mut self) -> Result<SearchIndex, SearchError> {
        match self.handle.take() {
            Some(h) => h.join().unwrap_or(Err(SearchError::Cancelled)),
            None => Err(SearchError::Cancelled),
        }
    }
}

impl Drop for IndexWorker {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Starts writing an export the workspace prepared on the thread `doctriage-export` (Export…:
/// seconds for 100,000 reviewed documents, which the window does not wait for). The job answers
/// the message for the status bar.
pub fn start_export(request: ExportRequest, waker: Waker) -> std::io::Result<Job<String>> {
    Job::spawn("doctriage-export", waker, move || {
        let s = request.write().map_err(|e| e.to_string())?;
        let changed = match s.changed.as_slice() {
            [] => String::new(),
            [one] => format!(" — warning: {one}"),
            [first, rest @ ..] => format!(
                " — warning: {first} (and {} more files changed since the scan; rescan)",
                rest.len()
            ),
        };
        Ok(format!(
            "Exported findings as {} ({}/{} statements supported, {} documents reviewed) to {}{changed}",
            s.format,
            s.supported,
            s.statements,
            s.reviewed,
            s.path.display()
        ))
    })
}
