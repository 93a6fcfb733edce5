//! OCR of paged documents: the pages a scan left without text ([`PageSource::Pending`]: a PDF
//! page with no usable text layer, every page of an image) are read by the `tesseract` command.
//!
//! Each page is rendered to an 8-bit grey PGM in a private temporary folder outside the cache
//! (PDF pages by `pdftoppm -r 300 -gray`, images decoded in process), and tesseract is given
//! only that file's absolute path — never a path in the cache, never a URL — with
//! `OMP_THREAD_LIMIT=1`, one process per page, pages in parallel on named threads. The
//! languages are chosen per page ([`langs`]) unless the analyst fixed them. Results are cached
//! per page ([`store`]) by the file's SHA-256, the page, the language setting and the engine
//! version, so reopening an OCR'd cache runs no OCR, and an interrupted run keeps its pages.

pub mod boxes;
pub mod langs;
pub mod raster;
pub mod store;
mod tesseract;
pub mod tsv;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub use langs::LanguageSetting;
use raster::ImageKind;
pub use store::PageResult;
pub use tesseract::{Engine, PAGE_TIMEOUT};

use crate::model::{Cache, Document, OcrPage, Page, PageSource};
use crate::tool::ToolError;

/// The OCR cache folder: `$DOCTRIAGE_OCR_CACHE`, else `<user cache dir>/doctriage/ocr`, else a
/// folder in the system temporary folder.
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DOCTRIAGE_OCR_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "doctriage")
        .map(|d| d.cache_dir().join("ocr"))
        .unwrap_or_else(|| std::env::temp_dir().join("doctriage-ocr"))
}

/// How to OCR.
#[derive(Clone, Debug)]
pub struct OcrOptions {
    /// Which languages read the pages.
    pub languages: LanguageSetting,
    /// Where results are cached (outside the cache folder).
    pub cache_dir: PathBuf,
    /// Pages read at once (one tesseract process each).
    pub threads: usize,
    /// Set to `true` to stop between pages; finished pages stay cached.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for OcrOptions {
    fn default() -> Self {
        Self {
            languages: LanguageSetting::Auto,
            cache_dir: default_cache_dir(),
            threads: std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            cancel: None,
        }
    }
}

/// Progress of an OCR run.
#[derive(Clone, Debug)]
pub enum OcrEvent {
    /// A page is done (read now or found in the OCR cache).
    Page {
        /// The document.
        doc: String,
        /// The page (1-based).
        page: usize,
        /// Pages done so far.
        done: usize,
        /// Pages to do in all.
        total: usize,
        /// It came from the OCR cache.
        cached: bool,
    },
    /// Every page of a document is done: the document with its new text.
    Document(Box<Document>),
}

/// What an OCR run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OcrReport {
    /// Pages that needed OCR.
    pub pages: usize,
    /// Pages read by tesseract now.
    pub read: usize,
    /// Pages found in the OCR cache.
    pub cached: usize,
    /// Pages that failed (their documents' warnings say why).
    pub failed: usize,
    /// The run was cancelled before every page was done.
    pub cancelled: bool,
}

impl OcrReport {
    fn count(&mut self, ok: bool, cached: bool) {
        match (ok, cached) {
            (false, _) => self.failed += 1,
            (true, true) => self.cached += 1,
            (true, false) => self.read += 1,
        }
    }
}

/// A mutex's value, also after a panic elsewhere (the data here stays consistent: each write is
/// one assignment).
fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Why OCR could not run at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OcrError {
    /// No tesseract.
    #[error("{0}")]
    Engine(#[from] ToolError),
    /// The analyst's languages are not installed.
    #[error("{0}")]
    Languages(String),
    /// The OCR cache would be inside the cache folder, which is never written.
    #[error("refusing to keep the OCR cache inside the cache folder: {}", .0.display())]
    InsideCache(PathBuf),
}

/// One page to read.
struct Job {
    /// Index of the document in the list given to [`run`].
    doc: usize,
    /// 1-based page.
    page: usize,
}

/// OCRs the pending pages of `docs` (documents of the cache at `root`), reporting each page and
/// each finished document; the documents with their new text come back in the same order.
pub fn run(
    root: &Path,
    docs: &[Document],
    opts: &OcrOptions,
    on_event: &(dyn Fn(OcrEvent) + Sync),
) -> Result<(Vec<Document>, OcrReport), OcrError> {
    let engine = Engine::detect()?;
    engine.check(&opts.languages).map_err(OcrError::Languages)?;
    if crate::fsutil::canonical(&opts.cache_dir).starts_with(crate::fsutil::canonical(root)) {
        return Err(OcrError::InsideCache(opts.cache_dir.clone()));
    }
    let jobs: Vec<Job> = docs
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            d.pending_pages()
                .into_iter()
                .map(move |p| Job { doc: i, page: p })
        })
        .collect();
    let total = jobs.len();
    let mut report = OcrReport {
        pages: total,
        ..OcrReport::default()
    };
    if total == 0 {
        return Ok((docs.to_vec(), report));
    }
    let temp = private_temp(root, &opts.cache_dir);
    let remaining: Vec<AtomicUsize> = docs
        .iter()
        .map(|d| AtomicUsize::new(d.pending_pages().len()))
        .collect();
    let results: Vec<Mutex<BTreeMap<usize, Result<PageResult, String>>>> =
        docs.iter().map(|_| Mutex::new(BTreeMap::new())).collect();
    let sources = SourceBytes::new(root, docs);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let counts = Mutex::new(report.clone());
    let out: Vec<Mutex<Option<Document>>> = docs.iter().map(|_| Mutex::new(None)).collect();
    let cancelled = || {
        opts.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    };
    let worker = || {
        loop {
            if cancelled() {
                break;
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let doc = &docs[job.doc];
            let (result, cached) = page_result(
                &engine,
                opts,
                temp.as_ref().map(tempfile::TempDir::path),
                &sources,
                job,
                doc,
            );
            locked(&counts).count(result.is_ok(), cached);
            locked(&results[job.doc]).insert(job.page, result);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            on_event(OcrEvent::Page {
                doc: doc.id.clone(),
                page: job.page,
                done: n,
                total,
                cached,
            });
            if remaining[job.doc].fetch_sub(1, Ordering::AcqRel) == 1 {
                let pages = std::mem::take(&mut *locked(&results[job.doc]));
                let updated = with_ocr(doc, &pages);
                on_event(OcrEvent::Document(Box::new(updated.clone())));
                *locked(&out[job.doc]) = Some(updated);
                sources.forget(job.doc);
            }
        }
    };
    std::thread::scope(|s| {
        for n in 0..opts.threads.clamp(1, 16).min(total) {
            let _ = std::thread::Builder::new()
                .name(format!("doctriage-ocr-{n}"))
                .spawn_scoped(s, worker);
        }
    });
    report = counts
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    report.cancelled = done.load(Ordering::Relaxed) < total;
    let docs = docs
        .iter()
        .zip(out)
        .map(|(d, o)| {
            o.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .unwrap_or_else(|| d.clone())
        })
        .collect();
    Ok((docs, report))
}

/// OCRs every pending page of a cache in place (the command line's way).
pub fn complete_cache(
    cache: &mut Cache,
    opts: &OcrOptions,
    on_event: &(dyn Fn(OcrEvent) + Sync),
) -> Result<OcrReport, OcrError> {
    // Languages the analyst named must exist, whether or not this cache needs OCR now.
    if matches!(opts.languages, LanguageSetting::Fixed(_)) {
        Engine::detect()?
            .check(&opts.languages)
            .map_err(OcrError::Languages)?;
    }
    let pending: Vec<usize> = cache
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.pending_pages().is_empty())
        .map(|(i, _)| i)
        .collect();
    if pending.is_empty() {
        return Ok(OcrReport::default());
    }
    let docs: Vec<Document> = pending
        .iter()
        .map(|&i| cache.documents[i].clone())
        .collect();
    let (docs, report) = run(&cache.root, &docs, opts, on_event)?;
    for (i, d) in pending.into_iter().zip(docs) {
        cache.documents[i] = d;
    }
    Ok(report)
}

/// A private temporary folder for page images, outside the cache (removed when dropped).
fn private_temp(root: &Path, cache_dir: &Path) -> Option<tempfile::TempDir> {
    let root = crate::fsutil::canonical(root);
    let in_cache = |d: &Path| crate::fsutil::canonical(d).starts_with(&root);
    let base = std::env::temp_dir();
    let base = if in_cache(&base) {
        cache_dir.join("tmp")
    } else {
        base
    };
    std::fs::create_dir_all(&base).ok()?;
    tempfile::Builder::new()
        .prefix("doctriage-ocr-")
        .tempdir_in(base)
        .ok()
}

/// The bytes of the documents' files, read once per file (read-only) and let go when the
/// document is done.
struct SourceBytes<'a> {
    root: &'a Path,
    docs: &'a [Document],
    bytes: Vec<Mutex<Option<FileBytes>>>,
}

/// A file's bytes as read once for all its pages, or why they could not be read.
type FileBytes = Arc<Result<Vec<u8>, String>>;

impl<'a> SourceBytes<'a> {
    fn new(root: &'a Path, docs: &'a [Document]) -> Self {
        Self {
            root,
            docs,
            bytes: docs.iter().map(|_| Mutex::new(None)).collect(),
        }
    }

    fn get(&self, i: usize) -> FileBytes {
        let mut slot = self.bytes[i]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.get_or_insert_with(|| {
            let doc = &self.docs[i];
            // A member (an attachment's PDF) is unpacked from its file again, in memory.
            let limits = crate::ingest::Limits::default();
            Arc::new(crate::ingest::document_bytes(self.root, doc, &limits))
        })
        .clone()
    }

    fn forget(&self, i: usize) {
        *self.bytes[i]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

/// The OCR of one page, from the OCR cache or read now (the bool says it was cached).
fn page_result(
    engine: &Engine,
    opts: &OcrOptions,
    temp: Option<&Path>,
    sources: &SourceBytes<'_>,
    job: &Job,
    doc: &Document,
) -> (Result<PageResult, String>, bool) {
    let key = store::path_of(
        &opts.cache_dir,
        &doc.sha256,
        job.page,
        &opts.languages.key(),
        &engine.version,
    );
    if let Some(r) = store::read(&key) {
        return (Ok(r), true);
    }
    let _lock = store::lock(&key);
    if let Some(r) = store::read(&key) {
        return (Ok(r), true);
    }
    let Some(temp) = temp else {
        return (
            Err("no private temporary folder for the page image".into()),
            false,
        );
    };
    let bytes = sources.get(job.doc);
    let bytes = match bytes.as_ref() {
        Ok(b) => b,
        Err(e) => return (Err(e.clone()), false),
    };
    let r = read_page(engine, &opts.languages, temp, bytes, job);
    if let Ok(r) = &r {
        // A result that cannot be cached is still this run's result.
        let _ = store::write(&key, r);
    }
    (r, false)
}

/// Renders and reads one page.
fn read_page(
    engine: &Engine,
    setting: &LanguageSetting,
    temp: &Path,
    bytes: &[u8],
    job: &Job,
) -> Result<PageResult, String> {
    let image = temp.join(format!("d{}-p{}.pgm", job.doc, job.page));
    let mut warnings = Vec::new();
    let (dpi, size) = if let Some(kind) = ImageKind::sniff(bytes) {
        let (img, scaled) = raster::decode_image_page(bytes, job.page - 1)?;
        if scaled {
            warnings.push(format!(
                "page {}: a {} image over {} megapixels, downscaled to {} × {} for OCR",
                job.page,
                kind.name(),
                raster::MAX_PIXELS / 1_000_000,
                img.width,
                img.height
            ));
        }
        std::fs::write(&image, img.to_pgm())
            .map_err(|e| format!("cannot write the page image: {e}"))?;
        (None, (img.width, img.height))
    } else {
        let dpi = raster::pdf_page_size(bytes, job.page)
            .map_or(raster::OCR_DPI, |s| raster::dpi_for(s, raster::OCR_DPI));
        if dpi < raster::OCR_DPI {
            warnings.push(format!(
                "page {}: a large page, rendered at {dpi} dpi for OCR",
                job.page
            ));
        }
        raster::render_pdf_page(bytes, job.page, dpi, &image).map_err(|e| e.to_string())?;
        (Some(dpi), raster::pgm_size(&image).unwrap_or((0, 0)))
    };
    let r = tesseract::recognise(engine, setting, &image, dpi);
    let _ = std::fs::remove_file(&image);
    let (page, languages, mut more) = r?;
    warnings.append(&mut more);
    let confidence = page.confidence().unwrap_or(0.0);
    if page.text.trim().is_empty() {
        warnings.push(format!(
            "page {}: OCR found no text on it (languages {languages})",
            job.page
        ));
    }
    Ok(PageResult {
        text: page.text,
        ocr: OcrPage {
            engine: engine.version.clone(),
            languages,
            width: size.0,
            height: size.1,
            dpi,
            confidence,
            words: page.words,
        },
        warnings,
    })
}

/// The document with the OCR'd pages' texts in place of their empty ones, the pages marked as
/// OCR'd, and the pages that failed named in its warnings.
pub fn with_ocr(doc: &Document, pages: &BTreeMap<usize, Result<PageResult, String>>) -> Document {
    let mut out = doc.clone();
    let mut texts: Vec<String> = doc
        .text
        .split(crate::ingest::pdf::PAGE_BREAK)
        .map(str::to_owned)
        .collect();
    texts.resize(doc.pages.len().max(1), String::new());
    let mut failed = Vec::new();
    for (&page, result) in pages {
        let Some(slot) = out.pages.get_mut(page - 1) else {
            continue;
        };
        match result {
            Ok(r) => {
                texts[page - 1] = r.text.replace(crate::ingest::pdf::PAGE_BREAK, " ");
                *slot = Page {
                    source: PageSource::Ocr,
                    ocr: Some(Arc::new(r.ocr.clone())),
                    label: None,
                };
                out.warnings.extend(r.warnings.iter().cloned());
            }
            Err(e) => failed.push(format!("page {page}: OCR failed: {e}")),
        }
    }
    out.warnings.extend(failed);
    out.text = texts.join(&crate::ingest::pdf::PAGE_BREAK.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_text_replaces_only_its_page() {
        let doc = Document {
            text: "text layer\u{c}\u{c}last".into(),
            pages: vec![
                Page::new(PageSource::PdfText),
                Page::new(PageSource::Pending),
                Page::new(PageSource::Pending),
            ],
            ..Document::default()
        };
        let mut pages = BTreeMap::new();
        pages.insert(
            2,
            Ok(PageResult {
                text: "Гроза-С\u{c}".into(),
                ocr: OcrPage::default(),
                warnings: vec![],
            }),
        );
        pages.insert(3, Err("tesseract could not read it".into()));
        let out = with_ocr(&doc, &pages);
        assert_eq!(out.text, "text layer\u{c}Гроза-С \u{c}last");
        assert_eq!(out.pages[1].source, PageSource::Ocr);
        assert_eq!(out.pages[2].source, PageSource::Pending);
        assert_eq!(out.text_source(), "pending");
        assert_eq!(
            out.warnings,
            ["page 3: OCR failed: tesseract could not read it"]
        );
        assert_eq!(out.page_ranges(), [(0, 10), (11, 19), (20, 24)]);
    }
}
