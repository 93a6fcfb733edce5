//! The folder state of the last scan, beside the file manifest: every folder's modification
//! time, when the scan started, and the digest of what it read ([`Cache::digest`]). With it a
//! search can tell, without listing or reading the cache, that no file was added, removed or
//! renamed since (a folder's time changes then), and check the files of its hits one by one
//! ([`unchanged_since`]: a file written since has a later change time).
//!
//! What this cannot see: a file rewritten in place (same name) since the last scan that is not
//! among a search's hits; it is found by its new words from the next open or scan on.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::manifest::{FileStat, RACY_NS};
use crate::model::Cache;

/// Version of the folder state's layout.
pub const FOLDERS_SCHEMA: &str = "doctriage.folders/1";
const FILE_NAME: &str = "folders.json";

/// The folder state of the last complete scan of a cache.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FolderState {
    schema: String,
    /// The reader (as the file manifest names it).
    reader: String,
    /// When the scan started (ns since the Unix epoch).
    pub started_ns: i64,
    /// [`Cache::digest`] of what it read.
    pub digest: String,
    /// Every folder (`""`: the root) and its modification time (ns).
    folders: Vec<(String, i64)>,
    /// A folder changed within the racy window of its stat: not to be trusted.
    racy: bool,
}

/// Where the folder state of the manifest at `manifest` is kept.
fn path_beside(manifest: &Path) -> PathBuf {
    manifest.with_file_name(FILE_NAME)
}

/// Saves the folder state of a finished scan beside its manifest (best effort: without it a
/// search reads the cache).
pub(super) fn save(
    manifest: &Path,
    reader: String,
    started_ns: i64,
    folders: Vec<(String, i64)>,
    cache: &Cache,
) {
    let racy = folders
        .iter()
        .any(|(_, mtime)| mtime.saturating_add(RACY_NS) >= started_ns);
    let state = FolderState {
        schema: FOLDERS_SCHEMA.to_owned(),
        reader,
        started_ns,
        digest: cache.digest(),
        folders,
        racy,
    };
    let path = path_beside(manifest);
    match serde_json::to_vec(&state) {
        Ok(bytes) if crate::fsutil::write_replace(&path, &bytes).is_ok() => {}
        _ => {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The folder state of the last scan of `root` when no folder changed since (and it was
/// written by this reader with these options); `None` otherwise.
pub fn unchanged_folders(root: &Path, opts: &super::ScanOptions) -> Option<FolderState> {
    let manifest = opts.manifest.as_deref()?;
    let bytes = std::fs::read(path_beside(manifest)).ok()?;
    let state: FolderState = serde_json::from_slice(&bytes).ok()?;
    if state.schema != FOLDERS_SCHEMA
        || state.racy
        || state.reader != super::manifest::fingerprint(opts)
    {
        return None;
    }
    let same = state.folders.iter().all(|(rel, mtime)| {
        std::fs::symlink_metadata(root.join(rel))
            .is_ok_and(|m| m.is_dir() && FileStat::of(&m).mtime_ns == *mtime)
    });
    same.then_some(state)
}

/// True when the file that holds the document at `doc_path` (a member's outermost container, a
/// mailbox's message's mailbox) is unchanged since `started_ns`: its modification and change
/// times both before it, outside the racy window. Also for the cache's `gazetteer.json`.
pub fn unchanged_since(root: &Path, doc_path: &str, started_ns: i64) -> bool {
    let outer = super::container::split_member_path(doc_path)
        .first()
        .map(|part| super::container::split_mailbox_record(part).0)
        .unwrap_or(doc_path);
    std::fs::metadata(root.join(outer)).is_ok_and(|m| {
        let stat = FileStat::of(&m);
        stat.mtime_ns.saturating_add(RACY_NS) < started_ns
            && stat.ctime_ns.saturating_add(RACY_NS) < started_ns
    })
}
