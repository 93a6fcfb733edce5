//! A lock file beside a session, so two doctriage processes never edit one session at once.
//!
//! [`SessionLock::acquire`] creates `<session>.lock` (for `review.json`: `review.json.lock`)
//! exclusively (it fails if the file exists), holding the owner's pid, host name and start time as
//! JSON; the file appears with its whole content at once (written to a temporary file, then
//! hard-linked to its name), so no one ever reads a half-written lock. If the file is already
//! there and its pid is alive, the lock is refused with [`LockError::Held`]; a lock left by a
//! process that no longer runs (a crash, a kill) is stale and taken over. Dropping the
//! [`SessionLock`] removes the file.
//!
//! Liveness is checked through `/proc/<pid>` (Linux). Where `/proc` does not exist, a lock file is
//! considered held unless it is unreadable as a lock. A lock written on another machine (a session
//! on a shared drive) is always considered held, since its pid cannot be checked from here. The lock guards against a second doctriage
//! on the same machine; it is advisory and says nothing about other programs editing the file.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fsutil::pid_alive;

/// What a lock file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// Process id of the owner.
    pub pid: u32,
    /// Host name of the owner's machine (empty when unknown).
    #[serde(default)]
    pub host: String,
    /// When the lock was taken (RFC 3339, UTC).
    #[serde(default)]
    pub since: String,
}

/// Why a session could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds the lock (or a process on another machine, which cannot be
    /// checked from here: its host is named).
    #[error(
        "session is open in another doctriage (pid {pid}{}): {}",
        host.as_deref().map(|h| format!(" on the machine {h}; if doctriage is no longer running there, take the lock over with --take-over-lock")).unwrap_or_default(),
        path.display()
    )]
    Held {
        /// The owner's process id.
        pid: u32,
        /// The owner's machine, when it is another one.
        host: Option<String>,
        /// The session file.
        path: PathBuf,
    },
    /// The lock file could not be created, read or replaced.
    #[error("cannot lock the session ({source}): {}", path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// An exclusive claim on a session file; the lock file is removed on drop.
#[derive(Debug)]
pub struct SessionLock {
    lock_path: PathBuf,
    session_path: PathBuf,
}

/// How many times a stale or vanishing lock file is retried before giving up (each retry means
/// the lock was released or found stale in between, so this is reached only under heavy churn).
const ATTEMPTS: usize = 64;

impl SessionLock {
    /// Locks `session_path` by creating `<session_path>.lock` beside it.
    ///
    /// A lock held by a live process gives [`LockError::Held`]; a stale one (dead pid, or a file
    /// that is not a lock at all) is replaced.
    pub fn acquire(session_path: &Path) -> Result<SessionLock, LockError> {
        let lock_path = lock_path(session_path);
        let io = |source| LockError::Io {
            path: lock_path.clone(),
            source,
        };
        let info = LockInfo {
            pid: std::process::id(),
            host: hostname(),
            since: crate::session::rfc3339(chrono::Utc::now()),
        };
        let body = serde_json::to_string(&info).unwrap_or_default() + "\n";
        let mut last_err = None;
        for _ in 0..ATTEMPTS {
            match create_complete(&lock_path, body.as_bytes()) {
                Ok(()) => {
                    return Ok(SessionLock {
                        lock_path,
                        session_path: session_path.to_owned(),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = match read_settled(&lock_path) {
                        // Removed between our attempt and the read: try again.
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                        Err(e) => return Err(io(e)),
                        Ok(bytes) => bytes,
                    };
                    if let Some(owner) = parse_lock(&stale)
                        && (owner.pid == std::process::id()
                            || pid_alive(owner.pid)
                            || is_other_host(&owner.host, &info.host))
                    {
                        let other = is_other_host(&owner.host, &info.host);
                        return Err(LockError::Held {
                            pid: owner.pid,
                            host: other.then_some(owner.host),
                            path: session_path.to_owned(),
                        });
                    }
                    // Dead owner, or not a lock file at all.
                    if let Some(pid) = take_over_stale(&lock_path, &stale).map_err(io)? {
                        return Err(LockError::Held {
                            pid,
                            host: None,
                            path: session_path.to_owned(),
                        });
                    }
                }
                Err(e) => {
                    last_err = Some(e);
                    break;
                }
            }
        }
        Err(io(last_err.unwrap_or_else(|| {
            std::io::Error::other("the lock file keeps changing")
        })))
    }

    /// Takes over the lock of a session left by a doctriage on another machine (which cannot be
    /// checked from here), as the analyst asked: its lock file is removed, then the lock is
    /// acquired. A lock held by a live process of this machine is still refused.
    pub fn take_over(session_path: &Path) -> Result<SessionLock, LockError> {
        let lock_path = lock_path(session_path);
        if let Ok(Some(owner)) = read_lock(&lock_path)
            && is_other_host(&owner.host, &hostname())
        {
            match std::fs::remove_file(&lock_path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(LockError::Io {
                        path: lock_path,
                        source,
                    });
                }
            }
        }
        Self::acquire(session_path)
    }

    /// The lock file (`<session>.lock`).
    pub fn lock_path(&self) -> &Path {
        &self.lock_path
    }

    /// The session file this lock guards.
    pub fn session_path(&self) -> &Path {
        &self.session_path
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // Remove only our own lock: a lock file someone else took over after a wrong staleness
        // judgement is left alone.
        if let Ok(Some(owner)) = read_lock(&self.lock_path)
            && owner.pid != std::process::id()
        {
            return;
        }
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// The lock file of a session: the session's file name with `.lock` appended, in the same folder.
pub fn lock_path(session_path: &Path) -> PathBuf {
    let mut name = session_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "session".into());
    name.push(".lock");
    session_path.with_file_name(name)
}

/// Who holds the lock of a session, if a live process does (or one on another machine).
pub fn holder(session_path: &Path) -> Option<LockInfo> {
    let host = hostname();
    read_lock(&lock_path(session_path))
        .ok()
        .flatten()
        .filter(|o| pid_alive(o.pid) || is_other_host(&o.host, &host))
}

/// Creates the lock file with its whole content at once, failing with `AlreadyExists` when it is
/// there: the content goes to a temporary file that is then hard-linked to the lock's name, so the
/// lock file never exists half-written. Where hard links are not supported, falls back to
/// `create_new` and a write (a reader may then briefly see an empty file; see [`read_settled`]).
fn create_complete(lock_path: &Path, body: &[u8]) -> std::io::Result<()> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp = lock_path.as_os_str().to_os_string();
    tmp.push(format!(".new-{}-{n}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(body)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let linked = std::fs::hard_link(&tmp, lock_path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            // No hard links here (some network or FAT file systems).
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(lock_path)?;
            let written = file.write_all(body).and_then(|()| file.sync_all());
            if let Err(e) = written {
                drop(file);
                let _ = std::fs::remove_file(lock_path);
                return Err(e);
            }
            Ok(())
        }
    }
}

/// Reads a lock file; when it does not parse, waits briefly and reads again, so a lock that is
/// being written (the no-hard-link fallback) is not mistaken for a torn one.
fn read_settled(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = std::fs::read(path)?;
    for _ in 0..5 {
        if parse_lock(&bytes).is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        bytes = std::fs::read(path)?;
    }
    Ok(bytes)
}

/// Reads a lock file: `Ok(None)` when it exists but is not a lock (empty, torn, other content).
fn read_lock(path: &Path) -> std::io::Result<Option<LockInfo>> {
    Ok(parse_lock(&std::fs::read(path)?))
}

fn parse_lock(bytes: &[u8]) -> Option<LockInfo> {
    serde_json::from_slice::<LockInfo>(bytes).ok()
}

/// Removes a stale lock whose bytes were `stale`. The file is first moved aside under a name of
/// our own, so that when two processes take over the same stale lock, the slower one cannot
/// delete the fresh lock the faster one just made: if what was moved aside is not the stale lock,
/// it is put back and its owner returned (the caller reports the session as held).
fn take_over_stale(lock_path: &Path, stale: &[u8]) -> std::io::Result<Option<u32>> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut aside = lock_path.as_os_str().to_os_string();
    aside.push(format!(".stale-{}-{n}", std::process::id()));
    let aside = PathBuf::from(aside);
    match std::fs::rename(lock_path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    }
    let moved = std::fs::read(&aside)?;
    if moved != stale
        && let Some(owner) = parse_lock(&moved)
        && pid_alive(owner.pid)
    {
        // Someone else's fresh lock: put it back (unless yet another one appeared meanwhile).
        let _ = std::fs::hard_link(&aside, lock_path);
        let _ = std::fs::remove_file(&aside);
        return Ok(Some(owner.pid));
    }
    std::fs::remove_file(&aside)?;
    Ok(None)
}

/// True when a lock names another machine: its pid cannot be checked from here, so it is never
/// judged stale (delete the `.lock` file by hand if that machine's doctriage is gone).
fn is_other_host(lock_host: &str, our_host: &str) -> bool {
    !lock_host.is_empty() && !our_host.is_empty() && lock_host != our_host
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}
