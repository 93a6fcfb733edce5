//! Reading the listed files (opened read-only, at most the size limit): documents parsed without
//! ever panicking the scan, the article, and the cache's gazetteer merged into the built-in one.

use std::fs::File;
use std::io::Read as _;
use std::panic::AssertUnwindSafe;
use std::path::Path;

use super::container::human;
use super::listing::Listed;
use super::{SUPPORTED, ScanOptions, decode, extension, io_reason, parse_file_with, unsupported};
use crate::model::{Cache, Document, Gazetteer, GazetteerEntry, ScanError};

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

/// What one file produced during a scan (as the file manifest keeps it).
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct FileResult {
    pub(super) documents: Vec<Document>,
    pub(super) errors: Vec<ScanError>,
    /// The file was read only up to the size limit.
    pub(super) truncated: bool,
}

/// Reads and parses one listed file; never panics the scan.
pub(super) fn read_and_parse(item: &Listed, opts: &ScanOptions) -> FileResult {
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
    // An archive or a mailbox is read whole, up to what it may unpack.
    let max = if super::unpack::holds_members(&ext) {
        opts.max_document_bytes.max(opts.limits.max_total_bytes)
    } else {
        opts.max_document_bytes
    };
    let read = match read_limited(&item.abs, max) {
        Ok(r) => r,
        Err(e) => return report(io_reason(&e)),
    };
    let parsed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        parse_file_with(&item.rel, &read.bytes, &opts.limits)
    }));
    let Ok((mut documents, reasons)) = parsed else {
        return report("internal error while parsing this file".to_owned());
    };
    let truncated = read.truncated();
    let limit_note = truncated.then(|| {
        format!(
            "truncated at {} of {}; the SHA-256 covers only the part read",
            human(read.bytes.len() as u64),
            human(read.size)
        )
    });
    for doc in documents.iter_mut().filter(|d| d.parent.is_none()) {
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
        .map(|e| ScanError {
            error: match &limit_note {
                Some(_) if e.path == item.rel => {
                    format!("{} (file {})", e.error, human_truncation(&read))
                }
                _ => e.error,
            },
            path: e.path,
        })
        .collect();
    FileResult {
        documents,
        errors,
        truncated,
    }
}

/// `truncated at 64 MiB of 80 MiB`.
fn human_truncation(read: &Read) -> String {
    format!(
        "truncated at {} of {}",
        human(read.bytes.len() as u64),
        human(read.size)
    )
}

/// Reads the article (`article.md`/`.txt` at the root); a second candidate is reported.
pub(super) fn read_article(
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
pub(super) fn read_gazetteer(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> GazetteerEntry {
        GazetteerEntry {
            name: name.to_owned(),
            aliases: Vec::new(),
            category: None,
        }
    }

    #[test]
    fn sizes_read_as_bytes_kib_or_mib() {
        assert_eq!(human(0), "0 bytes");
        assert_eq!(human(1023), "1023 bytes");
        assert_eq!(human(1024), "1 KiB");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(64 * 1024 * 1024), "64 MiB");
    }

    #[test]
    fn the_cache_gazetteer_adds_only_new_names() {
        let mut base = Gazetteer {
            equipment: vec![entry("Groza-S")],
            organisations: vec![entry("SAEA")],
        };
        let extra = Gazetteer {
            equipment: vec![entry(" groza-s "), entry("Luch"), entry("  ")],
            organisations: vec![entry("BSW")],
        };
        merge_gazetteer(&mut base, extra);
        let names = |v: &[GazetteerEntry]| v.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&base.equipment), ["Groza-S", "Luch"]);
        assert_eq!(names(&base.organisations), ["SAEA", "BSW"]);
    }

    #[test]
    fn reads_stop_at_the_limit_and_keep_the_full_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "0123456789").unwrap();
        let read = read_limited(&path, 4).unwrap();
        assert_eq!(read.bytes, b"0123");
        assert_eq!(read.size, 10);
        assert!(read.truncated());
        assert_eq!(human_truncation(&read), "truncated at 4 bytes of 10 bytes");
        assert!(!read_limited(&path, 10).unwrap().truncated());
    }
}
