//! Reading a cache folder (never writing it).
//!
//! [`scan_with`] lists the folder first (hidden names skipped, symlinks checked), then parses the
//! files in parallel chunks, reporting progress as [`ScanEvent`]s so a window can fill while
//! loading. Every file is opened read-only; nothing is ever created inside the cache.
//! [`parse_file`] is the per-file parser without any file I/O (a PDF's bytes go to poppler's
//! tools on their standard input).

mod container;
mod decode;
mod email;
mod exif;
mod files;
mod folders;
mod image;
mod listing;
mod manifest;
mod msg;
mod office;
pub mod pdf;
mod read;
mod records;
mod unpack;
mod workbook;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub use container::{
    Limits, MEMBER_SEPARATOR, container_format, containers_of, escape_member_name, member_path,
    split_mailbox_record,
};
pub use decode::{decode, looks_binary};
pub use email::html_to_text;
pub use folders::{FOLDERS_SCHEMA, FolderState, unchanged_folders, unchanged_since};
pub use manifest::{FileStat, MANIFEST_SCHEMA, RACY_NS, default_manifest_path};
pub use unpack::document_bytes;

use crate::model::{Cache, Document, ScanError};
use listing::list;
use read::{FileResult, read_article, read_gazetteer};
use records::{Parsed, base_document};

/// How many files are parsed between two progress events (and cancel checks).
const CHUNK: usize = 256;

/// Options of a scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Files bigger than this are read only up to it and marked truncated (default 64 MiB).
    pub max_document_bytes: u64,
    /// Set to `true` to stop the scan between chunks; the scan then returns [`IngestError::Cancelled`].
    pub cancel: Option<Arc<AtomicBool>>,
    /// What one archive, mailbox or e-mail may unpack (a container file itself is read up to
    /// its `max_total_bytes`).
    pub limits: Limits,
    /// The file manifest to take unchanged files from and to save (see
    /// [`default_manifest_path`]); `None` reads every file and saves nothing.
    pub manifest: Option<PathBuf>,
    /// Read every file even when its stat is unchanged, comparing its SHA-256 with the
    /// manifest's (`doctriage verify`); the manifest is saved again.
    pub reread: bool,
}

impl ScanOptions {
    /// The default options with the cache's file manifest (reopening reads only what changed).
    pub fn with_manifest(root: &Path) -> Self {
        Self {
            manifest: Some(default_manifest_path(root)),
            ..Self::default()
        }
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            max_document_bytes: 64 * 1024 * 1024,
            cancel: None,
            limits: Limits::default(),
            manifest: None,
            reread: false,
        }
    }
}

/// Progress of a scan. A batch's documents may be taken by the listener (a window that lists
/// them as they come); the cache the scan returns then holds only those not taken, and the
/// listener puts its own in cache order with [`cache_order_key`].
#[derive(Debug)]
pub enum ScanEvent<'a> {
    /// The folder has been listed: this many document files will be parsed.
    Listed {
        /// Number of document files to parse.
        files: usize,
    },
    /// A chunk of files has been parsed.
    Batch {
        /// Documents of this chunk (final: duplicates already flagged, duplicate ids removed).
        documents: &'a mut Vec<Document>,
        /// Files of this chunk reported instead of read.
        errors: &'a [ScanError],
        /// Files parsed so far.
        done: usize,
        /// Files to parse in all.
        total: usize,
    },
}

/// Why a scan could not produce a cache at all.
#[derive(thiserror::Error, Debug)]
pub enum IngestError {
    /// The path is not a folder (or does not exist).
    #[error("not a folder: {}", .0.display())]
    NotADirectory(PathBuf),
    /// The folder itself could not be read.
    #[error("cannot read the folder ({source}): {}", path.display())]
    Io {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The cancel flag was set.
    #[error("scan cancelled")]
    Cancelled,
}

/// Scans a cache folder with default options and no progress reporting.
pub fn scan(root: &Path) -> Result<Cache, IngestError> {
    scan_with(root, &ScanOptions::default(), &|_| {})
}

/// Extensions read as documents (or as containers of documents).
const SUPPORTED: &[&str] = &[
    "json", "jsonl", "txt", "md", "eml", "pdf", "png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp",
    "zip", "tar", "tgz", "gz", "mbox", "msg", "docx", "odt", "xlsx", "xlsm", "xlsb", "xls", "ods",
    "html", "htm",
];

/// Parses one file's bytes (no I/O). Returns its documents, or the reason the file yields none.
///
/// When some records of a multi-record file parse and others do not, the good records are
/// returned; [`parse_file_detailed`] also gives the per-record reasons.
pub fn parse_file(rel_path: &str, bytes: &[u8]) -> Result<Vec<Document>, String> {
    let (documents, errors) = parse_file_detailed(rel_path, bytes);
    if documents.is_empty() {
        Err(if errors.is_empty() {
            "no records".to_owned()
        } else {
            errors.join("; ")
        })
    } else {
        Ok(documents)
    }
}

/// Parses one file's bytes (no I/O): the documents it yields and one-line reasons for the
/// records (or the whole file) it could not read; a reason about a member of a container
/// starts with the member's path.
pub fn parse_file_detailed(rel_path: &str, bytes: &[u8]) -> (Vec<Document>, Vec<String>) {
    let (documents, errors) = parse_file_with(rel_path, bytes, &Limits::default());
    let reasons = errors
        .into_iter()
        .map(|e| {
            if e.path == rel_path {
                e.error
            } else {
                format!("{}: {}", e.path, e.error)
            }
        })
        .collect();
    (documents, reasons)
}

/// Parses one file's bytes (no I/O) within the container limits: its documents, members at
/// every depth included, and what could not be read, each with the path of the file or member.
pub fn parse_file_with(
    rel_path: &str,
    bytes: &[u8],
    limits: &Limits,
) -> (Vec<Document>, Vec<ScanError>) {
    let ext = extension(rel_path);
    if !SUPPORTED.contains(&ext.as_str()) {
        let error = ScanError {
            path: rel_path.to_owned(),
            error: unsupported(&ext),
        };
        return (Vec::new(), vec![error]);
    }
    unpack::unpack(rel_path, bytes, limits)
}

/// Parses the bytes of one file or member that holds no members (its SHA-256 given).
pub(crate) fn parse_single(
    rel_path: &str,
    bytes: &[u8],
    sha: &str,
    ext: &str,
) -> (Vec<Document>, Vec<String>) {
    if !SUPPORTED.contains(&ext) {
        return (Vec::new(), vec![unsupported(ext)]);
    }
    let parsed = if image::EXTENSIONS.contains(&ext) {
        image::parse_image(bytes, &base_document(rel_path, bytes, "image", sha))
    } else if ext == "pdf" {
        pdf::parse_pdf(bytes, &base_document(rel_path, bytes, "PDF", sha))
    } else if OFFICE.contains(&ext) {
        office_document(rel_path, bytes, sha, ext)
    } else if bytes.is_empty() {
        Parsed {
            documents: Vec::new(),
            errors: vec!["empty file".to_owned()],
            ..Parsed::default()
        }
    } else {
        match decode::decode_text(bytes) {
            Err(e) => Parsed {
                documents: Vec::new(),
                errors: vec![e],
                ..Parsed::default()
            },
            Ok((text, encoding)) => {
                let base = base_document(rel_path, bytes, encoding, sha);
                match ext {
                    "json" => records::parse_json(&text, &base),
                    "jsonl" => records::parse_jsonl(&text, &base),
                    "html" | "htm" => html_document(&text, &base),
                    _ => records::parse_text(&text, &base, ext == "md"),
                }
            }
        }
    };
    let mut documents = parsed.documents;
    if NAMELESS_KINDS.contains(&ext) {
        // A PDF, a scan or an office file states no kind: its file name often does
        // (`invoice_…`, `…passport…`).
        for d in documents.iter_mut().filter(|d| d.kind == "other") {
            if let Some(kind) = kind_from_name(rel_path) {
                kind.clone_into(&mut d.kind);
            }
        }
    }
    (documents, parsed.errors)
}

/// Word-processing files and workbooks.
const OFFICE: &[&str] = &["docx", "odt", "xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Formats whose files state no kind (it is taken from the file name).
const NAMELESS_KINDS: &[&str] = &[
    "pdf", "png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "docx", "odt", "xlsx", "xlsm",
    "xlsb", "xls", "ods", "html", "htm",
];

/// An HTML file reduced to text, titled by its `<title>`.
fn html_document(html: &str, base: &Document) -> Parsed {
    let mut doc = base.clone();
    doc.text = html_to_text(html);
    let lower = html.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|start| {
        let open_end = start + lower[start..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        Some(html_to_text(html.get(open_end..close)?))
    });
    doc.title = title
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| records::derived_title(&doc.text, &doc.path, false));
    Parsed {
        documents: vec![doc],
        ..Parsed::default()
    }
}

/// A DOCX or ODT file (its XML reduced to text), or a workbook (its sheets as pages).
fn office_document(rel_path: &str, bytes: &[u8], sha: &str, ext: &str) -> Parsed {
    const PART: u64 = 64 * 1024 * 1024;
    const TOTAL: u64 = 256 * 1024 * 1024;
    let mut doc = base_document(rel_path, bytes, "UTF-8", sha);
    let result = match ext {
        "docx" | "odt" => {
            let read = if ext == "docx" {
                office::docx_text(bytes, PART, TOTAL)
            } else {
                office::odt_text(bytes, PART, TOTAL)
            };
            read.map(|t| {
                doc.text = t.text;
                doc.date = t.created;
                if doc.date.is_some() {
                    doc.meta_origin = Some(crate::model::Origin::Metadata);
                }
                doc.extra.extend(t.metadata);
                doc.warnings.extend(t.warnings);
                t.title
            })
        }
        _ => workbook::workbook_text(bytes, ext, TOTAL).map(|w| {
            let texts: Vec<String> = w.sheets.iter().map(|s| s.text.clone()).collect();
            doc.text = texts.join("\u{c}");
            doc.pages = w
                .sheets
                .into_iter()
                .map(|s| crate::model::Page {
                    source: crate::model::PageSource::Sheet,
                    ocr: None,
                    label: Some(s.name),
                })
                .collect();
            doc.extra.extend(w.metadata);
            doc.warnings.extend(w.warnings);
            // A table's first row is its header, no title: the file's name says more.
            Some(records::file_name(rel_path).to_owned())
        }),
    };
    match result {
        Err(e) => Parsed {
            documents: Vec::new(),
            errors: vec![e],
            ..Parsed::default()
        },
        Ok(title) => {
            doc.title = title
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| records::derived_title(&doc.text, &doc.path, false));
            Parsed {
                documents: vec![doc],
                ..Parsed::default()
            }
        }
    }
}

/// The kind a file name names, if it names one (`letter`, `invoice`, `passport`, `note`, ...).
fn kind_from_name(rel_path: &str) -> Option<&'static str> {
    let name = records::file_name(rel_path).to_lowercase();
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    Some(if has(&["passport", "passports"]) {
        "export_passport"
    } else if has(&["invoice", "invoices", "factura", "bill"]) {
        "invoice"
    } else if has(&["letter", "letters", "письмо"]) {
        "letter"
    } else if has(&["diplomatic", "cable", "verbale"]) {
        // Not "note" alone: a delivery note is no diplomatic note.
        "diplomatic_note"
    } else if has(&["contract", "contrato"]) {
        "contract"
    } else if has(&["memo"]) {
        "memo"
    } else if has(&["customs", "declaration"]) {
        "customs_declaration"
    } else {
        return None;
    })
}

/// Lower-case extension of a `/`-separated path (empty when none).
fn extension(rel_path: &str) -> String {
    let name = records::file_name(rel_path);
    match name.rfind('.') {
        Some(i) if i > 0 => name[i + 1..].to_lowercase(),
        _ => String::new(),
    }
}

/// Why a file of this extension is not read.
fn unsupported(ext: &str) -> String {
    if ext.is_empty() {
        "unsupported file type (no extension)".to_owned()
    } else {
        format!("unsupported file type (.{ext})")
    }
}

/// Scans a cache folder: lists it, parses its files in parallel chunks and reports progress.
pub fn scan_with(
    root: &Path,
    opts: &ScanOptions,
    on_event: &(dyn Fn(ScanEvent<'_>) + Sync),
) -> Result<Cache, IngestError> {
    let cancelled = || {
        opts.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    };
    let canonical_root = canonical_folder(root)?;
    if cancelled() {
        return Err(IngestError::Cancelled);
    }
    let started_ns = manifest::ns_since_epoch(std::time::SystemTime::now());
    let mut listing = list(root, &canonical_root)?;
    listing.documents.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.articles.sort_by(|a, b| a.rel.cmp(&b.rel));

    let mut cache = Cache {
        root: root.to_owned(),
        gazetteer: crate::gazetteer::builtin(),
        ..Cache::default()
    };
    let mut early_errors = std::mem::take(&mut listing.errors);
    read_article(&listing.articles, opts, &mut cache, &mut early_errors);
    if let Some(gaz) = &listing.gazetteer {
        read_gazetteer(gaz, opts, &mut cache, &mut early_errors);
    }

    let total = listing.documents.len();
    on_event(ScanEvent::Listed { files: total });
    if !early_errors.is_empty() {
        on_event(ScanEvent::Batch {
            documents: &mut Vec::new(),
            errors: &early_errors,
            done: 0,
            total,
        });
        cache.errors.extend(early_errors);
    }

    let mut files = files::Files::open(opts, total);
    let mut admission = Admission::default();
    let mut done = 0;
    for chunk in listing.documents.chunks(CHUNK) {
        if cancelled() {
            files.abandon();
            return Err(IngestError::Cancelled);
        }
        let results = files.read_chunk(chunk, opts);
        let (mut documents, errors) = admission.admit(results);
        done += chunk.len();
        on_event(ScanEvent::Batch {
            documents: &mut documents,
            errors: &errors,
            done,
            total,
        });
        cache.documents.extend(documents);
        cache.errors.extend(errors);
    }
    if cancelled() {
        files.abandon();
        return Err(IngestError::Cancelled);
    }
    cache.scan = files.finish();
    // Cache order is a tree: each container, then its members (a mailbox's messages in number
    // order, each followed by its attachments).
    cache.documents.sort_by_cached_key(cache_order_key);
    cache.errors.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(path) = &opts.manifest
        && cache.scan.manifest_note.is_none()
    {
        let folders = std::mem::take(&mut listing.folders);
        folders::save(
            path,
            manifest::fingerprint(opts),
            started_ns,
            folders,
            &cache,
        );
    }
    Ok(cache)
}

/// Where a document sorts in cache order: each part of its path (the file, then each member)
/// with the record number that part names, a mailbox's message by its number.
pub fn cache_order_key(doc: &Document) -> Vec<(String, usize)> {
    let mut key: Vec<(String, usize)> = container::split_member_path(&doc.path)
        .into_iter()
        .map(|part| {
            let (file, n) = container::split_mailbox_record(part);
            (file.to_owned(), n.and_then(|n| n.parse().ok()).unwrap_or(0))
        })
        .collect();
    if let (Some(record), Some(last)) = (doc.record, key.last_mut())
        && last.1 == 0
    {
        last.1 = record;
    }
    key
}

/// The canonical path of the folder to scan; an error when it is not a readable folder.
fn canonical_folder(root: &Path) -> Result<PathBuf, IngestError> {
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(IngestError::NotADirectory(root.to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(IngestError::NotADirectory(root.to_owned()));
        }
        Err(source) => {
            return Err(IngestError::Io {
                path: root.to_owned(),
                source,
            });
        }
    }
    std::fs::canonicalize(root).map_err(|source| IngestError::Io {
        path: root.to_owned(),
        source,
    })
}

/// Which parsed documents join the cache, across the chunks of a scan: a document whose id was
/// already seen is reported instead, and a whole file with the same bytes (SHA-256 and size)
/// as an earlier one is flagged as its duplicate.
#[derive(Default)]
struct Admission {
    /// Path of the document that first had each id.
    seen_ids: HashMap<String, String>,
    /// Id of the first whole, untruncated file with these bytes.
    first_by_bytes: HashMap<(String, u64), String>,
}

impl Admission {
    /// The documents of one chunk that join the cache, and the chunk's errors.
    fn admit(&mut self, results: Vec<FileResult>) -> (Vec<Document>, Vec<ScanError>) {
        let mut documents = Vec::new();
        let mut errors = Vec::new();
        for result in results {
            errors.extend(result.errors);
            for mut doc in result.documents {
                if let Some(first_path) = self.seen_ids.get(&doc.id) {
                    errors.push(ScanError {
                        path: doc.path.clone(),
                        error: format!("duplicate id {} (first in {first_path})", doc.id),
                    });
                    continue;
                }
                self.seen_ids.insert(doc.id.clone(), doc.path.clone());
                if doc.record.is_none() && !result.truncated {
                    let key = (doc.sha256.clone(), doc.file_size);
                    match self.first_by_bytes.get(&key) {
                        Some(first) => doc.duplicate_of = Some(first.clone()),
                        None => {
                            self.first_by_bytes.insert(key, doc.id.clone());
                        }
                    }
                }
                documents.push(doc);
            }
        }
        (documents, errors)
    }
}

/// A one-line reason for an I/O error.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::NotFound => "file not found (removed during the scan?)".to_owned(),
        _ => format!("cannot read: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scans_file_name_gives_its_kind() {
        assert_eq!(
            kind_from_name("scans/export_passport_2021_0035.tif"),
            Some("export_passport")
        );
        assert_eq!(
            kind_from_name("scans/scan_invoice_2019_07_02.pdf"),
            Some("invoice")
        );
        assert_eq!(
            kind_from_name("x/note_verbale_2020_06_03.pdf"),
            Some("diplomatic_note")
        );
        assert_eq!(
            kind_from_name("x/delivery_note_scan.png"),
            None,
            "not every note is diplomatic"
        );
        assert_eq!(
            kind_from_name("x/scan_2020_03_16_letter_ru.png"),
            Some("letter")
        );
        assert_eq!(kind_from_name("x/notebook.png"), None, "whole words only");
        assert_eq!(kind_from_name("x/IMG_0042.JPG"), None);
    }

    fn doc(id: &str, path: &str, sha256: &str, record: Option<usize>) -> Document {
        Document {
            id: id.to_owned(),
            path: path.to_owned(),
            sha256: sha256.to_owned(),
            file_size: 10,
            record,
            ..Document::default()
        }
    }

    fn file(documents: Vec<Document>, truncated: bool) -> FileResult {
        FileResult {
            documents,
            errors: Vec::new(),
            truncated,
        }
    }

    #[test]
    fn a_repeated_id_is_reported_across_chunks_and_left_out() {
        let mut admission = Admission::default();
        let (docs, errors) =
            admission.admit(vec![file(vec![doc("a", "one.txt", "1", None)], false)]);
        assert_eq!(docs.len(), 1);
        assert!(errors.is_empty());
        let (docs, errors) =
            admission.admit(vec![file(vec![doc("a", "two.txt", "2", None)], false)]);
        assert!(docs.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "two.txt");
        assert_eq!(errors[0].error, "duplicate id a (first in one.txt)");
    }

    #[test]
    fn whole_files_with_the_same_bytes_point_to_the_first() {
        let mut admission = Admission::default();
        let (docs, _) = admission.admit(vec![
            file(vec![doc("a", "a.txt", "same", None)], false),
            file(vec![doc("b", "b.txt", "same", None)], false),
            // Records of a multi-record file and truncated files are never duplicates.
            file(vec![doc("c#1", "c.jsonl", "same", Some(1))], false),
            file(vec![doc("d", "d.txt", "same", None)], true),
        ]);
        let dup: Vec<Option<&str>> = docs.iter().map(|d| d.duplicate_of.as_deref()).collect();
        assert_eq!(dup, [None, Some("a"), None, None]);
    }

    #[test]
    fn extensions_are_lower_case_and_need_a_name_before_the_dot() {
        assert_eq!(extension("letters/Memo.TXT"), "txt");
        assert_eq!(extension("letters/.hidden"), "");
        assert_eq!(extension("archive.tar.gz"), "gz");
        assert_eq!(extension("README"), "");
        assert_eq!(unsupported(""), "unsupported file type (no extension)");
        assert_eq!(unsupported("pdf"), "unsupported file type (.pdf)");
    }
}
