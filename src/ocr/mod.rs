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
pub mod tsv;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

pub use langs::LanguageSetting;
use raster::ImageKind;
pub use store::PageResult;

use crate::model::{Cache, Document, OcrPage, Page, PageSource};
use crate::tool::{ToolError, run_tool_with};

/// How long tesseract may take over one page.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(180);

/// The OCR engine found on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Engine {
    /// Its name and version, as results record it (`tesseract 5.3.0`).
    pub version: String,
    /// The installed languages (`eng`, `rus`, ..., `osd`).
    pub languages: Vec<String>,
}

impl Engine {
    /// The tesseract on the `PATH`, asked once per process.
    pub fn detect() -> Result<Engine, ToolError> {
        static ENGINE: OnceLock<Result<Engine, ToolError>> = OnceLock::new();
        ENGINE.get_or_init(Self::probe).clone()
    }

    fn probe() -> Result<Engine, ToolError> {
        let env = [("OMP_THREAD_LIMIT", "1")];
        let out = run_tool_with(
            "tesseract",
            &["--version"],
            &env,
            b"",
            Duration::from_secs(20),
        )?;
        let text = String::from_utf8_lossy(&out);
        let version = text
            .lines()
            .next()
            .map(str::trim)
            .filter(|l| l.starts_with("tesseract"))
            .unwrap_or("tesseract (unknown version)")
            .to_owned();
        let out = run_tool_with(
            "tesseract",
            &["--list-langs"],
            &env,
            b"",
            Duration::from_secs(20),
        )?;
        let languages = String::from_utf8_lossy(&out)
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Engine { version, languages })
    }

    /// True when `lang` is installed.
    pub fn has(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l == lang)
    }

    /// The recommended languages ([`langs::RECOMMENDED`]) that are not installed.
    pub fn missing_recommended(&self) -> Vec<&'static str> {
        langs::RECOMMENDED
            .iter()
            .map(|(code, _)| *code)
            .filter(|c| !self.has(c))
            .collect()
    }

    /// One line for a status bar: the engine and its languages, and what is missing.
    pub fn describe(&self) -> String {
        let langs: Vec<&str> = self
            .languages
            .iter()
            .map(String::as_str)
            .filter(|l| *l != "osd")
            .collect();
        let mut s = format!("{} ({})", self.version, langs.join(", "));
        let missing = self.missing_recommended();
        if !missing.is_empty() {
            let pkgs: Vec<String> = missing.iter().map(|l| langs::package_of(l)).collect();
            s.push_str(&format!("; not installed: {}", pkgs.join(" ")));
        }
        s
    }

    /// Checks a fixed language list against the installed languages.
    pub fn check(&self, setting: &LanguageSetting) -> Result<(), String> {
        if let LanguageSetting::Fixed(list) = setting {
            let missing: Vec<&String> = list.iter().filter(|l| !self.has(l)).collect();
            if !missing.is_empty() {
                let pkgs: Vec<String> = missing.iter().map(|l| langs::package_of(l)).collect();
                return Err(format!(
                    "OCR language not installed: {} (Debian: apt-get install {})",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    pkgs.join(" ")
                ));
            }
        }
        Ok(())
    }
}

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
#[expect(
    clippy::too_many_lines,
    reason = "one run: its jobs, the page workers and their results, read in one place"
)]
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
            {
                let mut c = counts
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                match (&result, cached) {
                    (Err(_), _) => c.failed += 1,
                    (Ok(_), true) => c.cached += 1,
                    (Ok(_), false) => c.read += 1,
                }
            }
            results[job.doc]
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(job.page, result);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            on_event(OcrEvent::Page {
                doc: doc.id.clone(),
                page: job.page,
                done: n,
                total,
                cached,
            });
            if remaining[job.doc].fetch_sub(1, Ordering::AcqRel) == 1 {
                let pages = std::mem::take(
                    &mut *results[job.doc]
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner),
                );
                let updated = with_ocr(doc, &pages);
                on_event(OcrEvent::Document(Box::new(updated.clone())));
                *out[job.doc]
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(updated);
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

/// A document file's bytes, or why they could not be read.
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
            let path = self.root.join(&doc.path);
            let r = std::fs::read(&path)
                .map_err(|e| format!("cannot read the file again ({e})"))
                .and_then(|b| {
                    if crate::sha256_hex(&b) == doc.sha256 {
                        Ok(b)
                    } else {
                        Err("the file changed since it was scanned (rescan the cache)".into())
                    }
                });
            Arc::new(r)
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
    let dpi = if let Some(kind) = ImageKind::sniff(bytes) {
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
        None
    } else {
        let sizes = raster::pdf_page_sizes(bytes, job.page).unwrap_or_default();
        let dpi = sizes
            .get(job.page - 1)
            .map_or(raster::OCR_DPI, |s| raster::dpi_for(*s, raster::OCR_DPI));
        if dpi < raster::OCR_DPI {
            warnings.push(format!(
                "page {}: a large page, rendered at {dpi} dpi for OCR",
                job.page
            ));
        }
        raster::render_pdf_page(bytes, job.page, dpi, &image).map_err(|e| e.to_string())?;
        Some(dpi)
    };
    let r = recognise(engine, setting, &image, dpi);
    let _ = std::fs::remove_file(&image);
    let (page, languages, size, mut more) = r?;
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

/// A recognised page, the languages that read it, the image size and warnings.
type Recognised = (tsv::TsvPage, String, (u32, u32), Vec<String>);

/// Reads a page image with the languages of `setting` (chosen per page for [`LanguageSetting::Auto`]).
fn recognise(
    engine: &Engine,
    setting: &LanguageSetting,
    image: &Path,
    dpi: Option<u32>,
) -> Result<Recognised, String> {
    let size = std::fs::read(image)
        .ok()
        .and_then(|b| {
            raster::GrayImage::from_pgm(&b)
                .ok()
                .map(|i| (i.width, i.height))
        })
        .unwrap_or((0, 0));
    let mut warnings = Vec::new();
    let langs = match setting {
        LanguageSetting::Fixed(list) => list.join("+"),
        LanguageSetting::Auto => {
            let script = detect_script(engine, image, dpi);
            match script
                .as_ref()
                .and_then(|s| langs::for_script(s, &engine.languages))
            {
                Some(l) => l,
                None => {
                    if let Some(langs::Script::Other(name)) = &script {
                        warnings.push(format!(
                            "no OCR language installed for the {name} script: read as English"
                        ));
                    }
                    "eng".to_owned()
                }
            }
        }
    };
    let mut page = tesseract_tsv(image, &langs, dpi)?;
    let mut used = langs;
    if *setting == LanguageSetting::Auto && used == "eng" {
        let guess = langs::latin_language(&page.text);
        if guess != "eng" && engine.has(guess) {
            let other = tesseract_tsv(image, guess, dpi)?;
            if other.confidence().unwrap_or(0.0) > page.confidence().unwrap_or(0.0) {
                page = other;
                used = guess.to_owned();
            }
        }
    }
    Ok((page, used, size, warnings))
}

/// The page's script: tesseract's orientation and script detection, else the letters of a quick
/// read with one language of each main script.
fn detect_script(engine: &Engine, image: &Path, dpi: Option<u32>) -> Option<langs::Script> {
    let path = image.to_string_lossy();
    let dpi_s = dpi.map(|d| d.to_string());
    let mut args = vec![path.as_ref(), "stdout", "--psm", "0", "-l", "osd"];
    if let Some(d) = &dpi_s {
        args.extend(["--dpi", d]);
    }
    if engine.has("osd")
        && let Ok(out) = run_tool_with(
            "tesseract",
            &args,
            &[("OMP_THREAD_LIMIT", "1")],
            b"",
            PAGE_TIMEOUT,
        )
        && let Some(script) = langs::parse_osd(&String::from_utf8_lossy(&out))
    {
        return Some(script);
    }
    let probe = tesseract_tsv(image, &langs::probe_languages(&engine.languages), dpi).ok()?;
    langs::script_of_text(&probe.text)
}

/// Runs `tesseract IMAGE stdout --psm 1 -l LANGS tsv` on one of our own page images.
fn tesseract_tsv(image: &Path, langs: &str, dpi: Option<u32>) -> Result<tsv::TsvPage, String> {
    let path = image.to_string_lossy();
    let dpi_s = dpi.map(|d| d.to_string());
    let mut args = vec![path.as_ref(), "stdout", "--psm", "1", "-l", langs];
    if let Some(d) = &dpi_s {
        args.extend(["--dpi", d]);
    }
    args.push("tsv");
    let out = run_tool_with(
        "tesseract",
        &args,
        &[("OMP_THREAD_LIMIT", "1")],
        b"",
        PAGE_TIMEOUT,
    )
    .map_err(|e| e.to_string())?;
    Ok(tsv::parse(&String::from_utf8_lossy(&out)))
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
