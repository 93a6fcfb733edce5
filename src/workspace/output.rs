//! Saving the session and exporting findings: the checks run on the caller's thread, the
//! writing can run on any thread (the window writes on `doctriage-save` and `doctriage-export`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::export::Format;
use crate::model::Cache;
use crate::session::{self, ClaimStatus, Session};

use super::revisions::SessionStamp;
use super::session_file::same_file;
use super::{Workspace, WorkspaceError};

/// The session as of one state, ready to be written to a file.
#[derive(Clone, Debug)]
pub struct SaveSnapshot {
    /// The file to write.
    pub path: PathBuf,
    session: Session,
    stamp: SessionStamp,
}

/// What a written [`SaveSnapshot`] tells the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedReceipt {
    /// The file written.
    pub path: PathBuf,
    cache_ref: String,
    stamp: SessionStamp,
}

impl SaveSnapshot {
    /// Writes the file atomically (the previous version kept as `FILE.bak`).
    pub fn write(self) -> Result<SavedReceipt, WorkspaceError> {
        self.session.save(&self.path)?;
        Ok(SavedReceipt {
            path: self.path,
            cache_ref: self.session.cache,
            stamp: self.stamp,
        })
    }
}

/// Findings of a session, ready to be rendered and written to a file.
pub struct ExportRequest {
    /// The file to write.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// What it may hold beyond the review (sensitive metadata).
    pub options: crate::export::ExportOptions,
    session: Session,
    cache: Arc<Cache>,
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// The file written.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Statements of the article.
    pub statements: usize,
    /// Statements supported by evidence.
    pub supported: usize,
    /// Statements contested by evidence.
    pub contested: usize,
    /// Documents reviewed.
    pub reviewed: usize,
    /// The exported documents whose files no longer have the bytes the scan saw (read again
    /// at export time), one warning each; the findings JSON and the memo carry them too.
    pub changed: Vec<String>,
}

impl ExportRequest {
    /// Renders the findings and writes the file atomically.
    pub fn write(self) -> Result<ExportSummary, WorkspaceError> {
        let now = now_seconds();
        let findings = crate::export::findings(&self.session, &self.cache, now);
        let changed = reverify(&self.session, &self.cache);
        let text = crate::export::render_checked(
            self.format,
            &self.session,
            &self.cache,
            now,
            self.options,
            &changed,
        );
        crate::fsutil::write_atomic(&self.path, text.as_bytes())?;
        let count = |status| {
            findings
                .statements
                .iter()
                .filter(|s| s.status == status)
                .count()
        };
        Ok(ExportSummary {
            format: self.format,
            statements: findings.statements.len(),
            supported: count(ClaimStatus::Supported),
            contested: count(ClaimStatus::Contested),
            reviewed: findings.cache.reviewed,
            path: self.path,
            changed,
        })
    }
}

/// Reads again the bytes of every document an export names (each file once) and says which no
/// longer have the SHA-256 the scan saw: the findings must not vouch for bytes that changed.
fn reverify(session: &Session, cache: &crate::model::Cache) -> Vec<String> {
    use rayon::prelude::*;
    let limits = crate::ingest::Limits::default();
    let mut seen = std::collections::HashSet::new();
    // Records of one file share its bytes: the file is read once.
    let docs: Vec<&crate::model::Document> = crate::export::touched(session, cache)
        .into_iter()
        .map(|(d, _)| d)
        .filter(|d| seen.insert((d.path.clone(), d.record.filter(|_| d.parent.is_some()))))
        .collect();
    let mut changed: Vec<String> = docs
        .par_iter()
        .filter_map(|d| {
            crate::ingest::document_bytes(&cache.root, d, &limits)
                .err()
                .map(|why| {
                    format!(
                        "{}: read again at export, {why}; this export names the SHA-256 the scan saw",
                        d.id
                    )
                })
        })
        .collect();
    changed.sort();
    changed
}

/// Now, to the second (the findings' `generated_at` has no fractions, and every format of one
/// export carries the same time).
fn now_seconds() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::parse_from_rfc3339(&session::rfc3339(now)).map_or(now, |t| t.to_utc())
}

/// A file to write outside the cache: never a folder, never inside the evidence.
fn check_target(cache_dir: &Path, path: &Path) -> Result<(), WorkspaceError> {
    session::check_outside_cache(cache_dir, path)?;
    if path.is_dir() {
        return Err(WorkspaceError::IsAFolder(path.to_path_buf()));
    }
    Ok(())
}

impl Workspace {
    /// Checks a save to `path` (outside the cache, a file, lockable: the lock is taken) and
    /// takes the snapshot to write.
    pub fn prepare_save(&mut self, path: &Path) -> Result<SaveSnapshot, WorkspaceError> {
        check_target(&self.cache_dir, path)?;
        self.lock_for(path)?;
        let mut session = self.editor.session().clone();
        session.cache = session::cache_reference(&self.cache_dir, Some(path));
        Ok(SaveSnapshot {
            path: path.to_path_buf(),
            session,
            stamp: self.session_stamp(),
        })
    }

    /// Takes in a written snapshot: the session as of it is saved, and its file is the
    /// session's file. True when the session's file changed (a Save as…).
    pub fn saved(&mut self, receipt: SavedReceipt) -> bool {
        if receipt.stamp.editor == self.editor.id() {
            self.editor
                .saved_as(receipt.cache_ref, receipt.stamp.revision);
        }
        let moved = self.session_path.as_deref() != Some(receipt.path.as_path());
        if moved {
            self.session_path = Some(receipt.path);
        }
        moved
    }

    /// Saves to `path` now (the command line): prepare, write, take in.
    pub fn save_as(&mut self, path: &Path) -> Result<(), WorkspaceError> {
        let receipt = self.prepare_save(path)?.write()?;
        self.saved(receipt);
        Ok(())
    }

    /// Saves to the session's file now; a session without one is an error.
    pub fn save(&mut self) -> Result<(), WorkspaceError> {
        let path = self
            .session_path
            .clone()
            .ok_or(WorkspaceError::NoSessionFile)?;
        self.save_as(&path)
    }

    /// Checks an export to `path` (outside the cache, a file, not the session file) and takes
    /// the snapshot to render.
    pub fn prepare_export(
        &self,
        path: &Path,
        format: Format,
    ) -> Result<ExportRequest, WorkspaceError> {
        if self
            .session_path
            .as_deref()
            .is_some_and(|s| same_file(s, path))
        {
            return Err(WorkspaceError::IsTheSessionFile(path.to_path_buf()));
        }
        check_target(&self.cache_dir, path)?;
        Ok(ExportRequest {
            path: path.to_path_buf(),
            format,
            options: crate::export::ExportOptions::default(),
            session: self.editor.session().clone(),
            cache: self.cache.clone(),
        })
    }

    /// Exports the findings to `path` now (the command line).
    pub fn export(&self, path: &Path, format: Format) -> Result<ExportSummary, WorkspaceError> {
        self.prepare_export(path, format)?.write()
    }

    /// [`Workspace::export`] with what `options` allows beyond the review.
    pub fn export_with(
        &self,
        path: &Path,
        format: Format,
        options: crate::export::ExportOptions,
    ) -> Result<ExportSummary, WorkspaceError> {
        let mut request = self.prepare_export(path, format)?;
        request.options = options;
        request.write()
    }
}
