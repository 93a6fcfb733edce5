//! Reading a cache folder (never writing it).
//!
//! [`scan_with`] lists the folder first (hidden names skipped, symlinks checked), then parses the
//! files in parallel chunks, reporting progress as [`ScanEvent`]s so a window can fill while
//! loading. Every file is opened read-only; nothing is ever created inside the cache.
//! [`parse_file`] is the per-file parser without any I/O.

mod decode;
mod email;
mod records;

use std::collections::HashMap;
use std::fs::File;
use std::io::Read as _;
use std::panic::AssertUnwindSafe;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use decode::{decode, looks_binary};
pub use email::html_to_text;

use crate::model::{Cache, Document, Gazetteer, GazetteerEntry, ScanError};
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
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            max_document_bytes: 64 * 1024 * 1024,
            cancel: None,
        }
    }
}

/// Progress of a scan.
#[derive(Clone, Debug)]
pub enum ScanEvent {
    /// The folder has been listed: this many document files will be parsed.
    Listed {
        /// Number of document files to parse.
        files: usize,
    },
    /// A chunk of files has been parsed.
    Batch {
        /// Documents of this chunk (final: duplicates already flagged, duplicate ids removed).
        documents: Vec<Document>,
        /// Files of this chunk reported instead of read.
        errors: Vec<ScanError>,
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

/// Extensions read as documents.
const SUPPORTED: &[&str] = &["json", "jsonl", "txt", "md", "eml"];

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
/// records (or the whole file) it could not read.
pub fn parse_file_detailed(rel_path: &str, bytes: &[u8]) -> (Vec<Document>, Vec<String>) {
    let ext = extension(rel_path);
    if !SUPPORTED.contains(&ext.as_str()) {
        return (Vec::new(), vec![unsupported(&ext)]);
    }
    let sha = crate::sha256_hex(bytes);
    let parsed = if ext == "eml" {
        email::parse_eml(bytes, &base_document(rel_path, bytes, "UTF-8", &sha))
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
                let base = base_document(rel_path, bytes, encoding, &sha);
                match ext.as_str() {
                    "json" => records::parse_json(&text, &base),
                    "jsonl" => records::parse_jsonl(&text, &base),
                    _ => records::parse_text(&text, &base, ext == "md"),
                }
            }
        }
    };
    (parsed.documents, parsed.errors)
}

/// Lower-case extension of a `/`-separated path (empty when none).
fn extension(rel_path: &str) -> String {
    let name = records::file_name(rel_path);
    match name.rfind('.') {
        Some(i) if i > 0 => name[i + 1..].to_lowercase(),
        _ => String::new(),
    }
}

fn unsupported(ext: &str) -> String {
    if ext.is_empty() {
        "unsupported file type (no extension)".to_owned()
    } else {
        format!("unsupported file type (.{ext})")
    }
}

/// A file found by the listing.
struct Listed {
    rel: String,
    abs: PathBuf,
    non_utf8_name: bool,
}

/// What the listing found.
#[derive(Default)]
struct Listing {
    documents: Vec<Listed>,
    articles: Vec<Listed>,
    gazetteer: Option<Listed>,
    errors: Vec<ScanError>,
}

/// Scans a cache folder: lists it, parses its files in parallel chunks and reports progress.
pub fn scan_with(
    root: &Path,
    opts: &ScanOptions,
    on_event: &(dyn Fn(ScanEvent) + Sync),
) -> Result<Cache, IngestError> {
    let cancelled = || {
        opts.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    };
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
    let canonical_root = std::fs::canonicalize(root).map_err(|source| IngestError::Io {
        path: root.to_owned(),
        source,
    })?;
    if cancelled() {
        return Err(IngestError::Cancelled);
    }
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
        cache.errors.extend(early_errors.iter().cloned());
        on_event(ScanEvent::Batch {
            documents: Vec::new(),
            errors: early_errors,
            done: 0,
            total,
        });
    }

    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut first_by_bytes: HashMap<(String, u64), String> = HashMap::new();
    let mut done = 0;
    for chunk in listing.documents.chunks(CHUNK) {
        if cancelled() {
            return Err(IngestError::Cancelled);
        }
        let results: Vec<FileResult> = chunk
            .par_iter()
            .map(|item| read_and_parse(item, opts))
            .collect();
        let mut documents = Vec::new();
        let mut errors = Vec::new();
        for result in results {
            errors.extend(result.errors);
            for mut doc in result.documents {
                if let Some(first_path) = seen_ids.get(&doc.id) {
                    errors.push(ScanError {
                        path: doc.path.clone(),
                        error: format!("duplicate id {} (first in {first_path})", doc.id),
                    });
                    continue;
                }
                seen_ids.insert(doc.id.clone(), doc.path.clone());
                if doc.record.is_none() && !result.truncated {
                    let key = (doc.sha256.clone(), doc.file_size);
                    match first_by_bytes.get(&key) {
                        Some(first) => doc.duplicate_of = Some(first.clone()),
                        None => {
                            first_by_bytes.insert(key, doc.id.clone());
                        }
                    }
                }
                documents.push(doc);
            }
        }
        done += chunk.len();
        cache.documents.extend(documents.iter().cloned());
        cache.errors.extend(errors.iter().cloned());
        on_event(ScanEvent::Batch {
            documents,
            errors,
            done,
            total,
        });
    }
    if cancelled() {
        return Err(IngestError::Cancelled);
    }
    cache
        .documents
        .sort_by(|a, b| a.path.cmp(&b.path).then(a.record.cmp(&b.record)));
    cache.errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(cache)
}

/// `/`-separated path relative to the root (lossy when not UTF-8), and whether it was lossy.
fn relative(root: &Path, path: &Path) -> (String, bool) {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut lossy = false;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => {
                lossy |= s.to_str().is_none();
                Some(s.to_string_lossy().into_owned())
            }
            _ => None,
        })
        .collect();
    (parts.join("/"), lossy)
}

/// A one-line reason for an I/O error.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::NotFound => "file not found (removed during the scan?)".to_owned(),
        _ => format!("cannot read: {e}"),
    }
}

/// Lists the folder: document files, article candidates, the gazetteer, and what is reported.
fn list(root: &Path, canonical_root: &Path) -> Result<Listing, IngestError> {
    let mut listing = Listing::default();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().as_encoded_bytes().starts_with(b"."));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                if e.depth() == 0 {
                    let source = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot list"));
                    return Err(IngestError::Io {
                        path: root.to_owned(),
                        source,
                    });
                }
                let path = e.path().map_or_else(String::new, |p| relative(root, p).0);
                let error = match e.io_error() {
                    Some(io) => io_reason(io),
                    None => e.to_string(),
                };
                listing.errors.push(ScanError { path, error });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let (rel, non_utf8_name) = relative(root, entry.path());
        let report = |error: &str| ScanError {
            path: rel.clone(),
            error: error.to_owned(),
        };
        if file_type.is_symlink() {
            match check_symlink(entry.path(), canonical_root) {
                Ok(()) => {}
                Err(reason) => {
                    listing.errors.push(report(&reason));
                    continue;
                }
            }
        } else if !file_type.is_file() {
            listing
                .errors
                .push(report("not a regular file (device, pipe or socket)"));
            continue;
        }
        let item = Listed {
            rel,
            abs: entry.path().to_owned(),
            non_utf8_name,
        };
        if entry.depth() == 1 {
            let name = item.rel.to_lowercase();
            if name == "gazetteer.json" {
                listing.gazetteer = Some(item);
                continue;
            }
            if matches!(
                name.as_str(),
                "article.md" | "article.txt" | "article.markdown"
            ) {
                listing.articles.push(item);
                continue;
            }
            // The cache's own documentation (as in the sample cache) describes the records; it is not one.
            if matches!(name.as_str(), "readme.md" | "readme.txt") {
                continue;
            }
        }
        listing.documents.push(item);
    }
    Ok(listing)
}

/// `ELOOP`: too many levels of symbolic links.
const ELOOP: i32 = if cfg!(any(target_os = "linux", target_os = "android")) {
    40
} else {
    62
};

/// A symlink may be read when it resolves to a regular file inside the root.
fn check_symlink(path: &Path, canonical_root: &Path) -> Result<(), String> {
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("broken symlink".to_owned());
        }
        Err(e) if e.raw_os_error() == Some(ELOOP) => {
            return Err("symlink loop, not followed".to_owned());
        }
        Err(e) => return Err(format!("cannot resolve symlink: {e}")),
    };
    if !target.starts_with(canonical_root) {
        return Err("symlink points outside the cache".to_owned());
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err("symlink to a folder, not followed".to_owned()),
        Ok(_) => Err("symlink to something that is not a regular file".to_owned()),
        Err(e) => Err(io_reason(&e)),
    }
}

/// Bytes read from a file, and its full size.
struct Read {
    bytes: Vec<u8>,
    size: u64,
}

impl Read {
    fn truncated(&self) -> bool {
        self.size > self.bytes.len() as u64
    }
}

/// Reads at most `max` bytes of a file, opened read-only.
fn read_limited(path: &Path, max: u64) -> std::io::Result<Read> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(max)).unwrap_or(0));
    file.take(max).read_to_end(&mut bytes)?;
    let size = size.max(bytes.len() as u64);
    Ok(Read { bytes, size })
}

/// A size for people: bytes, KiB or MiB.
fn human_size(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let fmt = |value: f64, unit: &str| {
        if value.fract() == 0.0 {
            format!("{value:.0} {unit}")
        } else {
            format!("{value:.1} {unit}")
        }
    };
    if n >= MIB {
        fmt(n as f64 / MIB as f64, "MiB")
    } else if n >= KIB {
        fmt(n as f64 / KIB as f64, "KiB")
    } else {
        format!("{n} bytes")
    }
}

/// What one file produced during a scan.
struct FileResult {
    documents: Vec<Document>,
    errors: Vec<ScanError>,
    truncated: bool,
}

/// Reads and parses one listed file; never panics the scan.
fn read_and_parse(item: &Listed, opts: &ScanOptions) -> FileResult {
    let report = |error: String| FileResult {
        documents: Vec::new(),
        errors: vec![ScanError {
            path: item.rel.clone(),
            error,
        }],
        truncated: false,
    };
    let ext = extension(&item.rel);
    if !SUPPORTED.contains(&ext.as_str()) {
        return report(unsupported(&ext));
    }
    let read = match read_limited(&item.abs, opts.max_document_bytes) {
        Ok(r) => r,
        Err(e) => return report(io_reason(&e)),
    };
    let parsed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        parse_file_detailed(&item.rel, &read.bytes)
    }));
    let Ok((mut documents, reasons)) = parsed else {
        return report("internal error while parsing this file".to_owned());
    };
    let truncated = read.truncated();
    let limit_note = truncated.then(|| {
        format!(
            "truncated at {} of {}; the SHA-256 covers only the part read",
            human_size(read.bytes.len() as u64),
            human_size(read.size)
        )
    });
    for doc in &mut documents {
        doc.file_size = read.size;
        if let Some(note) = &limit_note {
            doc.warnings.push(note.clone());
        }
        if item.non_utf8_name {
            doc.warnings
                .push("file name is not valid UTF-8; shown with replacement characters".to_owned());
        }
    }
    let errors = reasons
        .into_iter()
        .map(|reason| ScanError {
            path: item.rel.clone(),
            error: match &limit_note {
                Some(_) => format!("{reason} (file {})", human_truncation(&read)),
                None => reason,
            },
        })
        .collect();
    FileResult {
        documents,
        errors,
        truncated,
    }
}

fn human_truncation(read: &Read) -> String {
    format!(
        "truncated at {} of {}",
        human_size(read.bytes.len() as u64),
        human_size(read.size)
    )
}

/// Reads the article (`article.md`/`.txt` at the root); a second candidate is reported.
fn read_article(
    candidates: &[Listed],
    opts: &ScanOptions,
    cache: &mut Cache,
    errors: &mut Vec<ScanError>,
) {
    let Some(first) = candidates.first() else {
        return;
    };
    for other in &candidates[1..] {
        errors.push(ScanError {
            path: other.rel.clone(),
            error: format!("another article file; only {} is used", first.rel),
        });
    }
    let read = match read_limited(&first.abs, opts.max_document_bytes) {
        Ok(r) => r,
        Err(e) => {
            errors.push(ScanError {
                path: first.rel.clone(),
                error: io_reason(&e),
            });
            return;
        }
    };
    if read.truncated() {
        errors.push(ScanError {
            path: first.rel.clone(),
            error: format!("article too large ({})", human_truncation(&read)),
        });
        return;
    }
    match decode::decode_text(&read.bytes) {
        Ok((text, _)) => {
            let sha = crate::sha256_hex(&read.bytes);
            let article = crate::article::parse_article(&text, sha);
            cache.article = Some((first.rel.clone(), article));
        }
        Err(e) => errors.push(ScanError {
            path: first.rel.clone(),
            error: format!("article: {e}"),
        }),
    }
}

/// Reads the cache's `gazetteer.json` and merges it into the built-in one.
fn read_gazetteer(
    item: &Listed,
    opts: &ScanOptions,
    cache: &mut Cache,
    errors: &mut Vec<ScanError>,
) {
    let read = match read_limited(&item.abs, opts.max_document_bytes) {
        Ok(r) => r,
        Err(e) => {
            errors.push(ScanError {
                path: item.rel.clone(),
                error: io_reason(&e),
            });
            return;
        }
    };
    let bytes = read
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&read.bytes);
    match serde_json::from_slice::<Gazetteer>(bytes) {
        Ok(extra) => merge_gazetteer(&mut cache.gazetteer, extra),
        Err(e) => errors.push(ScanError {
            path: item.rel.clone(),
            error: format!("invalid gazetteer: {e}"),
        }),
    }
}

/// Appends the entries whose name is not already present (case-insensitive).
fn merge_gazetteer(base: &mut Gazetteer, extra: Gazetteer) {
    fn append(into: &mut Vec<GazetteerEntry>, from: Vec<GazetteerEntry>) {
        for entry in from {
            let name = entry.name.trim().to_lowercase();
            if name.is_empty() || into.iter().any(|e| e.name.trim().to_lowercase() == name) {
                continue;
            }
            into.push(entry);
        }
    }
    append(&mut base.equipment, extra.equipment);
    append(&mut base.organisations, extra.organisations);
}
