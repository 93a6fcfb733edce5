//! Files written whole or not at all.
//!
//! [`write_atomic`] is how doctriage writes every file of its own (sessions, exports, view images,
//! autosaves, the search index manifest): the bytes go to a temporary file in the target's folder
//! (`.NAME.tmp-PID`), which is flushed to disk and then renamed over the target, and the folder
//! is flushed too where the platform allows. A reader, or the next start after a crash or a power
//! cut, sees either the previous file or the new one, never a mix.
//!
//! A write killed midway leaves its temporary file behind; the next write of the same name
//! removes the ones whose process is gone ([`pid_alive`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A file could not be written; the target is unchanged.
#[derive(Debug, thiserror::Error)]
#[error("{source}: {}", path.display())]
pub struct WriteError {
    /// The file that was to be written.
    pub path: PathBuf,
    /// The cause.
    pub source: std::io::Error,
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename over
/// the target, fsync of the folder where possible. On error the target is left as it was and the
/// temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write(path, bytes, false, true)
}

/// [`write_atomic`] without flushing to disk: for what doctriage can make again (the scan's
/// folder state). A reader sees the previous file or the new one; after a power cut the file
/// may be empty, which only costs a scan. (A flush here would also force out, on ext4, every
/// file written before it, such as the file manifest.)
pub fn write_replace(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write(path, bytes, false, false)
}

/// [`write_atomic`], keeping the previous version of the file (if there is one) as `FILE.bak`.
/// The backup is replaced only once the new bytes are safely on disk.
pub fn write_atomic_with_backup(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write(path, bytes, true, true)
}

fn write(path: &Path, bytes: &[u8], keep_backup: bool, durable: bool) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    remove_stale_temporaries(&dir, &name);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        drop(file);
        if keep_backup && path.exists() {
            let bak_tmp = dir.join(format!(".{name}.bak.tmp-{}", std::process::id()));
            std::fs::copy(path, &bak_tmp)?;
            std::fs::rename(&bak_tmp, dir.join(format!("{name}.bak")))?;
        }
        std::fs::rename(&tmp, path)?;
        if durable && let Ok(d) = std::fs::File::open(&dir) {
            // Not every platform can fsync a folder; the rename itself is what must be atomic.
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|source| WriteError {
        path: path.to_owned(),
        source,
    })
}

/// Removes temporary files that a write killed midway (by a crash or SIGKILL) left beside `name`:
/// `.NAME.tmp-PID` and `.NAME.bak.tmp-PID` of processes that are no longer alive.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.bak.tmp-")];
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let pid = prefixes
            .iter()
            .find_map(|p| file.strip_prefix(p.as_str()))
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !pid_alive(pid)
        {
            // Best effort: a temporary that cannot be removed is only clutter.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// True when a process with this id runs (Linux: `/proc/<pid>` exists). Without `/proc`, every
/// pid counts as alive, so nothing a running process may still own (a temporary file, a session
/// lock) is ever taken from it.
pub fn pid_alive(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    let proc_root = Path::new("/proc");
    if !proc_root.join("self").exists() {
        return true;
    }
    match std::fs::read_to_string(proc_root.join(pid.to_string()).join("stat")) {
        // A zombie (state Z) has exited; it only waits for its parent to reap it.
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => proc_root.join(pid.to_string()).exists(),
    }
}

/// Where doctriage keeps what it derives from a cache folder (`kind`: `index` for the search
/// index, `files` for the file manifest): `<user cache dir>/doctriage/<kind>/<sha256 of the
/// canonical cache path>`, never inside the cache folder (falls back to the system temporary
/// folder when the user cache dir is unknown or would be inside the cache).
pub fn state_dir(cache_root: &Path, kind: &str) -> PathBuf {
    let root = canonical(cache_root);
    let key = crate::sha256_hex(root.to_string_lossy().as_bytes());
    let base = directories::ProjectDirs::from("", "", "doctriage")
        .map(|d| d.cache_dir().join(kind))
        .filter(|d| !canonical(d).starts_with(&root))
        .unwrap_or_else(|| std::env::temp_dir().join(format!("doctriage-{kind}")));
    base.join(key)
}

/// The canonical form of a path that may not exist yet (its nearest existing ancestor is resolved).
pub fn canonical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(c, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in a folder, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomic(&path, b"{}\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}\n");
    }

    #[test]
    fn replaces_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, b"a much longer previous content").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["out.json"], "no backup without asking");
    }

    #[test]
    fn leaves_no_temporary_file_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(names(dir.path()), ["out.json"]);
    }

    #[test]
    fn keeps_the_previous_version_as_bak_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.json");
        write_atomic_with_backup(&path, b"first").unwrap();
        assert_eq!(names(dir.path()), ["review.json"], "nothing to back up yet");
        write_atomic_with_backup(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(
            std::fs::read(dir.path().join("review.json.bak")).unwrap(),
            b"first"
        );
        assert_eq!(names(dir.path()), ["review.json", "review.json.bak"]);
    }

    #[test]
    fn fails_when_the_folder_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone").join("out.json");
        let err = write_atomic(&path, b"x").unwrap_err();
        assert_eq!(err.path, path);
        assert_eq!(err.source.kind(), std::io::ErrorKind::NotFound);
        assert!(err.to_string().ends_with(&path.display().to_string()));
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn fails_without_touching_the_target_when_it_is_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("taken");
        std::fs::create_dir(&path).unwrap();
        assert!(write_atomic(&path, b"x").is_err());
        assert!(path.is_dir());
        assert_eq!(
            names(dir.path()),
            ["taken"],
            "the temporary file is removed"
        );
    }

    #[test]
    fn removes_temporaries_of_dead_processes_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        // pid 0 is never a process; our own pid is alive.
        let dead = dir.path().join(".out.json.tmp-0");
        let dead_bak = dir.path().join(".out.json.bak.tmp-0");
        let other = dir.path().join(".other.json.tmp-0");
        for p in [&dead, &dead_bak, &other] {
            std::fs::write(p, b"torn").unwrap();
        }
        write_atomic(&path, b"x").unwrap();
        assert!(!dead.exists() && !dead_bak.exists());
        assert!(
            other.exists(),
            "temporaries of other files are not ours to remove"
        );
    }

    #[test]
    fn pid_liveness() {
        assert!(pid_alive(std::process::id()));
        assert!(!pid_alive(0));
    }
}
