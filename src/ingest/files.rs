//! The files of one scan: each stat'ed, taken from the previous file manifest when unchanged
//! (see [`super::manifest`]), else read; the scan's report and the new manifest as they come.

use rayon::prelude::*;

use super::read::{FileResult, read_and_parse};
use super::{ScanOptions, listing, manifest};

/// The files of a scan: each taken from the previous manifest when its stat is unchanged, else
/// read; and the new manifest written as they come.
pub(super) struct Files {
    previous: Option<manifest::Previous>,
    writer: Option<manifest::Writer>,
    report: crate::model::ScanReport,
}

/// One listed file's outcome within a chunk.
struct Outcome {
    result: FileResult,
    line: Option<String>,
    read: bool,
    /// The previous manifest held this file.
    known: bool,
    /// Its SHA-256 differs from the manifest's.
    changed: bool,
    /// Its stat is the one the manifest holds.
    same_stat: bool,
}

impl Files {
    pub(super) fn open(opts: &ScanOptions, total: usize) -> Self {
        let previous = opts
            .manifest
            .as_deref()
            .and_then(|p| manifest::Previous::load(p, opts));
        let writer = opts
            .manifest
            .clone()
            .map(|p| manifest::Writer::new(p, opts, previous.is_some()));
        Self {
            previous,
            writer,
            report: crate::model::ScanReport {
                files: total,
                ..crate::model::ScanReport::default()
            },
        }
    }

    /// Reads a chunk of listed files in parallel (each stat'ed first; an unchanged one taken
    /// from the manifest), in listing order.
    pub(super) fn read_chunk(
        &mut self,
        chunk: &[listing::Listed],
        opts: &ScanOptions,
    ) -> Vec<FileResult> {
        let stored: Vec<Option<manifest::Stored>> = chunk
            .iter()
            .map(|item| self.previous.as_mut().and_then(|p| p.take(&item.rel)))
            .collect();
        let keep = self.writer.is_some();
        let previous = self.previous.as_ref();
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .zip(stored)
            .map(|(item, stored)| one_file(item, stored, previous, opts, keep))
            .collect();
        let mut results = Vec::with_capacity(outcomes.len());
        for (item, outcome) in chunk.iter().zip(outcomes) {
            if outcome.read {
                self.report.read.push(item.rel.clone());
            } else {
                self.report.reused += 1;
            }
            if outcome.changed {
                self.report.changed.push(item.rel.clone());
                if outcome.same_stat {
                    self.report.changed_unseen.push(item.rel.clone());
                }
            }
            if !outcome.known && self.previous.is_some() {
                self.report.added.push(item.rel.clone());
            }
            if let Some(writer) = self.writer.as_mut() {
                match &outcome.line {
                    Some(line) => writer.push(line),
                    None if !outcome.read => writer.keep(&item.rel),
                    None => {}
                }
            }
            results.push(outcome.result);
        }
        results
    }

    /// The scan's report; the new manifest saved when anything changed.
    pub(super) fn finish(mut self) -> crate::model::ScanReport {
        self.report.compared = self.previous.is_some();
        self.report.removed = self
            .previous
            .take()
            .map(manifest::Previous::remaining)
            .unwrap_or_default();
        let changed = !self.report.read.is_empty() || !self.report.removed.is_empty();
        if let Some(writer) = self.writer.take() {
            self.report.manifest_note = writer.finish(changed);
        }
        self.report
    }

    pub(super) fn abandon(mut self) {
        if let Some(writer) = self.writer.take() {
            writer.abandon();
        }
    }
}

/// One listed file: stat'ed, then taken from its stored entry when unchanged, else read.
fn one_file(
    item: &listing::Listed,
    stored: Option<manifest::Stored>,
    previous: Option<&manifest::Previous>,
    opts: &ScanOptions,
    keep: bool,
) -> Outcome {
    let seen_ns = manifest::ns_since_epoch(std::time::SystemTime::now());
    let stat = std::fs::metadata(&item.abs)
        .ok()
        .map(|m| manifest::FileStat::of(&m));
    let known = stored.is_some();
    let mut before = None;
    if let Some(stored) = stored {
        let same = stat.as_ref() == Some(stored.stat());
        let stored = match (stat, previous) {
            (Some(stat), Some(previous)) if !opts.reread => {
                match manifest::reuse(previous, stored, stat) {
                    manifest::Reuse::Taken(result) => {
                        return Outcome {
                            result,
                            line: None,
                            read: false,
                            known,
                            changed: false,
                            same_stat: true,
                        };
                    }
                    manifest::Reuse::Read(stored) => stored,
                }
            }
            _ => stored,
        };
        before = Some((stored.sha256().map(str::to_owned), same));
    }
    let result = read_and_parse(item, opts);
    let (changed, same_stat) = match before {
        Some((sha, same)) => (sha != manifest::file_sha256(&result), same),
        None => (false, false),
    };
    let line = match stat {
        Some(stat) if keep => Some(manifest::line(&item.rel, stat, seen_ns, &result)),
        _ => None,
    };
    Outcome {
        result,
        line,
        read: true,
        known,
        changed,
        same_stat,
    }
}
