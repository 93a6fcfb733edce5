//! The file manifest: what a scan learned from each file of a cache, kept outside the cache (beside
//! the search index, see [`default_manifest_path`]) so that reopening an unchanged cache stats its
//! files and reads nothing else, as git's index does.
//!
//! Each file's entry holds its size, modification and change times (ns), inode and device, its
//! SHA-256, and what parsing it gave (its documents, its errors). On the next scan a file whose
//! stat is the same is taken from the manifest; a changed or new file is read; a removed one is
//! dropped. Guarded cases:
//! - **Racy files**: a file modified within [`RACY_NS`] of the moment it was stat'ed may change
//!   again inside the same timestamp tick without its stat changing; its entry is marked racy
//!   and it is read again next time (git's "racily clean" rule).
//! - **Transient failures**: a file whose reading failed for a reason that can go away (a tool not
//!   installed, a tool stopped at its time limit) is read again next time.
//! - **Another reader**: the manifest names the doctriage version and build (the program file's
//!   size and time), the scan's limits and which poppler tools are on the `PATH`; any
//!   difference reads every file again.
//!
//! The file is JSON lines: a header, then one line per file, `<entry JSON>\t<parse JSON>` (JSON
//! never holds a raw tab). A scan reads the entries (where each parse lies, not the parses),
//! then each unchanged file's parse on its own, in parallel; the new manifest gets the lines of
//! the files read now, then the unchanged files' lines copied from the previous one.
//! A line that does not parse only means that file is read again. The file is replaced by a
//! rename (never written in place), and only when something changed.
//!
//! A stat cannot see an edit that keeps size, times and inode (a clock set back, a file system
//! without change times): `doctriage verify` hashes every file again, and every export re-reads
//! the files it names.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::ScanOptions;
use super::read::FileResult;

/// Version of the manifest's layout; a manifest of another version is ignored.
pub const MANIFEST_SCHEMA: &str = "doctriage.files/1";
const FILE_NAME: &str = "manifest.jsonl";
/// A file whose modification time is this close to (or after) the moment it was stat'ed is racy.
pub const RACY_NS: i64 = 2_000_000_000;

/// Where the manifest of a cache folder is kept: `<user cache dir>/doctriage/files/<key>/`, beside
/// the search index and never inside the cache.
pub fn default_manifest_path(cache_root: &Path) -> PathBuf {
    crate::fsutil::state_dir(cache_root, "files").join(FILE_NAME)
}

/// What a file's metadata says, as far as it tells whether the file changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns since the Unix epoch.
    pub mtime_ns: i64,
    /// Status change time, ns since the Unix epoch (0 where the platform has none).
    pub ctime_ns: i64,
    /// Inode number (0 where the platform has none).
    pub inode: u64,
    /// Device number (0 where the platform has none).
    pub device: u64,
}

impl FileStat {
    /// The stat of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Self {
                size: meta.size(),
                mtime_ns: meta.mtime().saturating_mul(1_000_000_000) + meta.mtime_nsec(),
                ctime_ns: meta.ctime().saturating_mul(1_000_000_000) + meta.ctime_nsec(),
                inode: meta.ino(),
                device: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            Self {
                size: meta.len(),
                mtime_ns: meta.modified().map_or(0, ns_since_epoch),
                ctime_ns: 0,
                inode: 0,
                device: 0,
            }
        }
    }
}

/// Nanoseconds since the Unix epoch (negative before it).
pub fn ns_since_epoch(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    schema: String,
    /// What else the parse of a file depends on (see [`fingerprint`]).
    reader: String,
}

/// One file's entry (before the tab).
#[derive(Serialize, Deserialize)]
struct Entry {
    path: String,
    stat: FileStat,
    /// SHA-256 of the file's bytes as read (`None` when it yielded no document).
    sha256: Option<String>,
    /// Read again next time: racy, or failed for a reason that can go away.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reread: bool,
}

/// What the file's reading depends on besides its bytes.
pub(super) fn fingerprint(opts: &ScanOptions) -> String {
    let tools: Vec<&str> = ["pdftotext", "pdfinfo"]
        .into_iter()
        .filter(|t| crate::tool::on_path(t))
        .collect();
    // The program itself (a rebuilt binary may parse differently under the same version).
    let program = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| FileStat::of(&m))
        .map_or_else(
            |_| "unknown".to_owned(),
            |s| format!("{}@{}", s.size, s.mtime_ns),
        );
    format!(
        "doctriage {} ({program}); max {} bytes; {:?}; tools {}",
        env!("CARGO_PKG_VERSION"),
        opts.max_document_bytes,
        opts.limits,
        tools.join(",")
    )
}

/// A previous manifest: each file's entry, and where its parse lies in the manifest file (read
/// only for the files taken from it, each on its own, so the manifest is never held whole).
pub(super) struct Previous {
    file: std::fs::File,
    entries: HashMap<String, Stored>,
}

/// A file's entry in the previous manifest, and where its parse (after the tab) lies.
pub(super) struct Stored {
    entry: Entry,
    offset: u64,
    len: usize,
}

impl Previous {
    /// The manifest at `path` when it was written by this reader; none otherwise.
    pub(super) fn load(path: &Path, opts: &ScanOptions) -> Option<Self> {
        use std::io::BufRead as _;
        let file = std::fs::File::open(path).ok()?;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file.try_clone().ok()?);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).ok()?;
        let header: Header = serde_json::from_slice(line.trim_ascii_end()).ok()?;
        if header.schema != MANIFEST_SCHEMA || header.reader != fingerprint(opts) {
            return None;
        }
        let mut offset = line.len() as u64;
        let mut entries = HashMap::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let body = line.strip_suffix(b"\n").unwrap_or(&line);
                    if let Some(tab) = body.iter().position(|&b| b == b'\t')
                        && let Ok(entry) = serde_json::from_slice::<Entry>(&body[..tab])
                    {
                        let stored = Stored {
                            offset: offset + tab as u64 + 1,
                            len: body.len() - tab - 1,
                            entry,
                        };
                        entries.insert(stored.entry.path.clone(), stored);
                    }
                    offset += n as u64;
                }
            }
        }
        Some(Self { file, entries })
    }

    /// The stored entry of a file, if the manifest has one.
    pub(super) fn take(&mut self, path: &str) -> Option<Stored> {
        self.entries.remove(path)
    }

    /// The paths of the files the manifest holds and the scan did not take (removed files).
    pub(super) fn remaining(self) -> Vec<String> {
        let mut paths: Vec<String> = self.entries.into_keys().collect();
        paths.sort();
        paths
    }

    /// A stored parse, read from the manifest file.
    fn parse(&self, stored: &Stored) -> Option<FileResult> {
        let mut bytes = vec![0; stored.len];
        read_at(&self.file, &mut bytes, stored.offset).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// Reads `buf.len()` bytes at `offset` (from any thread: the file's position is not used).
#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt as _;
    file.read_exact_at(buf, offset)
}

/// Reads `buf.len()` bytes at `offset` (from any thread: the file's position is not used).
#[cfg(windows)]
fn read_at(file: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt as _;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

impl Stored {
    /// The stat the file had.
    pub(super) fn stat(&self) -> &FileStat {
        &self.entry.stat
    }

    /// The SHA-256 the file had.
    pub(super) fn sha256(&self) -> Option<&str> {
        self.entry.sha256.as_deref()
    }
}

/// What a stored entry gives a file whose stat is `stat`.
pub(super) enum Reuse {
    /// The stored parse: the file is unchanged.
    Taken(FileResult),
    /// The file must be read; the stored entry tells a changed file from a new one.
    Read(Stored),
}

/// The stored parse taken back when the file's stat is unchanged and it is not to be read again.
pub(super) fn reuse(previous: &Previous, stored: Stored, stat: FileStat) -> Reuse {
    if stored.entry.reread || stored.entry.stat != stat {
        return Reuse::Read(stored);
    }
    match previous.parse(&stored) {
        Some(result) => Reuse::Taken(result),
        None => Reuse::Read(stored),
    }
}

/// One file's line of the new manifest (without its newline); `seen_ns` is when it was stat'ed.
pub(super) fn line(path: &str, stat: FileStat, seen_ns: i64, result: &FileResult) -> String {
    let transient = result
        .errors
        .iter()
        .any(|e| crate::tool::is_transient_failure(&e.error));
    let entry = Entry {
        path: path.to_owned(),
        stat,
        sha256: file_sha256(result),
        reread: transient || stat.mtime_ns.saturating_add(RACY_NS) >= seen_ns,
    };
    let head = serde_json::to_string(&entry).unwrap_or_default();
    let parse = serde_json::to_string(result).unwrap_or_default();
    format!("{head}\t{parse}")
}

/// The SHA-256 of a file's bytes as its documents give it (the file's own document).
pub(super) fn file_sha256(result: &FileResult) -> Option<String> {
    result
        .documents
        .iter()
        .find(|d| d.parent.is_none())
        .map(|d| d.sha256.clone())
}

/// The new manifest, written to a temporary file beside it only once something differs from the
/// previous one, then renamed over it.
pub(super) struct Writer {
    path: PathBuf,
    reader: String,
    /// The files taken unchanged: their lines are copied from the previous manifest (still in
    /// place) when the new one is finished, so they are never held in memory.
    held: std::collections::HashSet<String>,
    out: Option<(std::io::BufWriter<std::fs::File>, PathBuf)>,
    error: Option<String>,
}

impl Writer {
    pub(super) fn new(path: PathBuf, opts: &ScanOptions, had_previous: bool) -> Self {
        let mut w = Self {
            path,
            reader: fingerprint(opts),
            held: std::collections::HashSet::new(),
            out: None,
            error: None,
        };
        if !had_previous {
            w.start();
        }
        w
    }

    /// Adds the line of a file read now.
    pub(super) fn push(&mut self, line: &str) {
        if self.out.is_none() && self.error.is_none() {
            self.start();
        }
        if let Some((out, _)) = &mut self.out
            && let Err(e) = out
                .write_all(line.as_bytes())
                .and_then(|()| out.write_all(b"\n"))
        {
            self.fail(&e);
        }
    }

    /// Keeps the previous manifest's line of a file taken unchanged.
    pub(super) fn keep(&mut self, path: &str) {
        if self.error.is_none() {
            self.held.insert(path.to_owned());
        }
    }

    fn start(&mut self) {
        let result = (|| {
            let dir = self.path.parent().unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir)?;
            // One temporary per scan: two scans of one process (two windows, parallel tests)
            // never write the same one; the last rename wins.
            static SCANS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = SCANS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let tmp = dir.join(format!(".{FILE_NAME}.tmp-{}-{n}", std::process::id()));
            let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            let header = Header {
                schema: MANIFEST_SCHEMA.to_owned(),
                reader: self.reader.clone(),
            };
            writeln!(
                out,
                "{}",
                serde_json::to_string(&header).unwrap_or_default()
            )?;
            Ok::<_, std::io::Error>((out, tmp))
        })();
        match result {
            Ok(out) => self.out = Some(out),
            Err(e) => self.fail(&e),
        }
    }

    fn fail(&mut self, e: &std::io::Error) {
        self.held.clear();
        if let Some((_, tmp)) = self.out.take() {
            let _ = std::fs::remove_file(tmp);
        }
        self.error = Some(format!(
            "the file manifest was not saved ({e}): {}; the next open reads every file again",
            self.path.display()
        ));
    }

    /// Ends the manifest: renamed over the previous one when anything changed (`changed` also
    /// counts removed files). Returns why it could not be saved, if so.
    pub(super) fn finish(mut self, changed: bool) -> Option<String> {
        if changed && self.out.is_none() && self.error.is_none() {
            self.start();
        }
        if let Some((mut out, tmp)) = self.out.take() {
            let held = std::mem::take(&mut self.held);
            let done = copy_lines(&self.path, &held, &mut out)
                .and_then(|()| {
                    out.into_inner()
                        .map_err(std::io::IntoInnerError::into_error)
                })
                .and_then(|_| std::fs::rename(&tmp, &self.path));
            if let Err(e) = done {
                let _ = std::fs::remove_file(&tmp);
                self.fail(&e);
            }
        }
        self.error
    }

    /// Drops the new manifest unwritten (a cancelled scan).
    pub(super) fn abandon(mut self) {
        if let Some((_, tmp)) = self.out.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Copies the lines of the files `paths` from the manifest at `from` to `out`.
fn copy_lines(
    from: &Path,
    paths: &std::collections::HashSet<String>,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    use std::io::BufRead as _;
    if paths.is_empty() {
        return Ok(());
    }
    let file = std::fs::File::open(from)?;
    for line in std::io::BufReader::with_capacity(1 << 20, file)
        .lines()
        .skip(1)
    {
        let line = line?;
        let Some(tab) = line.find('\t') else { continue };
        let Ok(entry) = serde_json::from_str::<Entry>(&line[..tab]) else {
            continue;
        };
        if paths.contains(&entry.path) {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
