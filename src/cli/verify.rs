//! `doctriage verify`: every file of a cache read and hashed again, compared with the file
//! manifest of the last scan, and a session's tags and quotes checked against what it read.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use super::{Global, print_json, print_warnings};
use crate::model::ScanReport;
use crate::session::Session;
use crate::workspace::{Reading, Workspace};

/// Runs `doctriage verify DIR [--session FILE]`: exit status 3 when anything changed (1 is a
/// failure, as for every command).
pub(super) fn verify(
    dir: &Path,
    session: Option<&Path>,
    as_json: bool,
    global: Global<'_>,
) -> anyhow::Result<ExitCode> {
    let reading = Reading {
        reread: true,
        ..global.reading.clone()
    };
    let mut ws = Workspace::open_cache_reading(dir, &reading)?;
    print_warnings(&mut ws);
    let session_changes = match session {
        Some(path) => {
            ws.read_session(Session::load(path)?);
            ws.verify()
        }
        None => Vec::new(),
    };
    let report = &ws.cache().scan;
    let files_changed =
        !(report.changed.is_empty() && report.added.is_empty() && report.removed.is_empty());
    if as_json {
        print_json(&json!({
            "files": report.files,
            "compared_with_last_scan": report.compared,
            "changed": report.changed,
            "changed_with_same_stat": report.changed_unseen,
            "new": report.added,
            "removed": report.removed,
            "session": session_changes,
        }))?;
    } else {
        let mut out = std::io::stdout().lock();
        for path in &report.changed {
            if report.changed_unseen.contains(path) {
                writeln!(out, "changed (same size and times): {path}")?;
            } else {
                writeln!(out, "changed: {path}")?;
            }
        }
        for path in &report.added {
            writeln!(out, "new: {path}")?;
        }
        for path in &report.removed {
            writeln!(out, "removed: {path}")?;
        }
        for line in &session_changes {
            writeln!(out, "session: {line}")?;
        }
        writeln!(
            out,
            "{}",
            summary(report, session.map(|_| session_changes.len()))
        )?;
    }
    Ok(if files_changed || !session_changes.is_empty() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// The last line of `verify`.
fn summary(report: &ScanReport, session_changes: Option<usize>) -> String {
    let files = if report.compared {
        format!(
            "{} files hashed: {} changed ({} with the same size and times), {} new, {} removed since the last scan",
            report.files,
            report.changed.len(),
            report.changed_unseen.len(),
            report.added.len(),
            report.removed.len()
        )
    } else {
        format!(
            "{} files hashed; no earlier scan of this folder on this machine to compare with (kept for the next verify)",
            report.files
        )
    };
    match session_changes {
        Some(n) => format!("{files}; session: {n} change(s) under its tags and quotes"),
        None => files,
    }
}
