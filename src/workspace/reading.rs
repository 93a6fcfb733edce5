//! Reading a cache as the command line does: the scan, then OCR of the pages that have no text
//! (unless it is turned off), with progress on standard error.

use std::path::Path;

use crate::ingest;
use crate::model::Cache;
use crate::ocr::{self, LanguageSetting, OcrEvent, OcrOptions};

use super::WorkspaceError;

/// How a cache is read.
#[derive(Clone, Debug)]
pub struct Reading {
    /// OCR the pages that have no text (`--no-ocr` turns it off).
    pub ocr: bool,
    /// The OCR languages (`--ocr-lang`; default: chosen per page).
    pub languages: LanguageSetting,
    /// Report OCR progress on standard error, one line per page.
    pub progress: bool,
    /// Read and hash every file again, even when the file manifest says it is unchanged
    /// (`doctriage verify`).
    pub reread: bool,
}

impl Default for Reading {
    fn default() -> Self {
        Self {
            ocr: true,
            languages: LanguageSetting::Auto,
            progress: false,
            reread: false,
        }
    }
}

impl Reading {
    /// Reading without OCR: pages without text stay pending.
    pub fn without_ocr() -> Self {
        Self {
            ocr: false,
            ..Self::default()
        }
    }
}

/// The Debian packages of OCR: tesseract and the languages that serve this domain.
pub fn install_line() -> String {
    let mut pkgs = vec!["tesseract-ocr".to_owned()];
    pkgs.extend(
        ocr::langs::RECOMMENDED
            .iter()
            .filter(|(l, _)| *l != "eng")
            .map(|(l, _)| ocr::langs::package_of(l)),
    );
    pkgs.join(" ")
}

/// Scans a cache folder and OCRs what needs it; the second value holds what the analyst should
/// be told (OCR unavailable, pages that failed).
pub fn read_cache(dir: &Path, reading: &Reading) -> Result<(Cache, Vec<String>), WorkspaceError> {
    let opts = ingest::ScanOptions {
        reread: reading.reread,
        ..ingest::ScanOptions::with_manifest(dir)
    };
    let mut cache = ingest::scan_with(dir, &opts, &|_| {})?;
    let mut notes: Vec<String> = cache.scan.manifest_note.iter().cloned().collect();
    let pending: usize = cache
        .documents
        .iter()
        .map(|d| d.pending_pages().len())
        .sum();
    if pending == 0 {
        return Ok((cache, notes));
    }
    if !reading.ocr {
        notes.push(format!(
            "OCR turned off (--no-ocr): {pending} page(s) without text stay pending"
        ));
        return Ok((cache, notes));
    }
    let opts = OcrOptions {
        languages: reading.languages.clone(),
        ..OcrOptions::default()
    };
    let progress = |e: OcrEvent| {
        if let OcrEvent::Page {
            doc,
            page,
            done,
            total,
            cached,
        } = e
        {
            // Pages from the OCR cache are not news: only pages read now are reported.
            if !cached {
                eprintln!("doctriage: OCR {done}/{total}: {doc} page {page}");
            }
        }
    };
    let quiet = |_: OcrEvent| {};
    let on_event: &(dyn Fn(OcrEvent) + Sync) = if reading.progress { &progress } else { &quiet };
    match ocr::complete_cache(&mut cache, &opts, on_event) {
        Ok(report) => {
            if let Ok(engine) = ocr::Engine::detect()
                && report.read > 0
                && !engine.missing_recommended().is_empty()
            {
                let pkgs: Vec<String> = engine
                    .missing_recommended()
                    .iter()
                    .map(|l| ocr::langs::package_of(l))
                    .collect();
                notes.push(format!(
                    "OCR languages not installed, pages in them are read less well: apt-get install {}",
                    pkgs.join(" ")
                ));
            }
            if reading.progress && report.read > 0 {
                eprintln!(
                    "doctriage: OCR read {} page(s), {} from the OCR cache: {}",
                    report.read,
                    report.cached,
                    opts.cache_dir.display()
                );
            }
            if report.failed > 0 {
                notes.push(format!(
                    "OCR failed on {} of {} page(s) (the documents' warnings say why)",
                    report.failed, report.pages
                ));
            }
        }
        Err(ocr::OcrError::Languages(e)) => return Err(WorkspaceError::Ocr(e)),
        Err(e) => notes.push(format!(
            "OCR unavailable ({e}): {pending} page(s) without text stay pending; to read them: apt-get install {}",
            install_line()
        )),
    }
    Ok((cache, notes))
}
