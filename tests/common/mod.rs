//! Helpers shared by the integration tests (`mod common;` in a file under `tests/`).
//!
//! What is here: where the fixtures and the sample cache are, writing and snapshotting folders,
//! running the `doctriage` binary, finding a statement of the article and a quote in a text,
//! looking documents up in a scanned cache, tests that need an outside tool (`require_tool`),
//! scenario tests in named steps (`step`), and the egui_kittest harness (`common::gui`).
//!
//! Helpers that check are `#[track_caller]`: a failure points at the test's line.
//!
//! Every file under `tests/` is a crate of its own and uses only some of these helpers; the
//! others would warn as dead code there, hence the `allow` below. A helper no crate uses at all
//! is not caught by it: remove helpers with the last test that calls them.
#![allow(dead_code)]

pub mod gui;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

use doctriage::session::{Command as Edit, Link, Quote, Relation};
use doctriage::{Cache, Document, Statement};

// ------------------------------------------------------------------ files

/// The package root (`CARGO_MANIFEST_DIR`).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A committed fixture: `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The bytes of `tests/fixtures/<rel>`.
#[track_caller]
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let path = fixture(rel);
    match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => panic!("fixture {}: {e}", path.display()),
    }
}

/// The text of `tests/fixtures/<rel>`.
#[track_caller]
pub fn fixture_text(rel: &str) -> String {
    let path = fixture(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("fixture {}: {e}", path.display()),
    }
}

/// The bundled sample cache (`sample_cache/`), which tests only read.
pub fn sample() -> PathBuf {
    doctriage::sample_cache_dir()
}

/// A path as `&str`, for command lines and messages (test paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

// ------------------------------------------------------------------ folders

/// Writes `root/rel`, making the folders on the way.
#[track_caller]
pub fn write(root: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(rel);
    if let Some(parent) = path.parent()
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        panic!("create {}: {e}", parent.display());
    }
    if let Err(e) = std::fs::write(&path, contents) {
        panic!("write {}: {e}", path.display());
    }
}

/// One entry of a folder [`snapshot`].
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    /// A file's bytes (empty for anything else).
    pub bytes: Vec<u8>,
    pub mtime: Option<SystemTime>,
    /// Unix permission bits (0 elsewhere).
    pub mode: u32,
}

#[derive(Debug, PartialEq)]
pub enum EntryKind {
    Dir,
    File,
    /// A symlink (never followed) and where it points.
    Symlink(PathBuf),
    /// A pipe, socket or device.
    Other,
}

/// Everything under `root` (hidden entries too, symlinks not followed), by path relative to it
/// (the root itself is `""`), to check that something left the folder alone.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    fn entry(path: &Path) -> Entry {
        let meta = std::fs::symlink_metadata(path)
            .unwrap_or_else(|e| panic!("metadata of {}: {e}", path.display()));
        let ft = meta.file_type();
        let kind = if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else if ft.is_symlink() {
            EntryKind::Symlink(std::fs::read_link(path).unwrap_or_default())
        } else {
            EntryKind::Other
        };
        let bytes = if kind == EntryKind::File {
            // A file the test made unreadable counts as empty.
            std::fs::read(path).unwrap_or_default()
        } else {
            Vec::new()
        };
        #[cfg(unix)]
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
        #[cfg(not(unix))]
        let mode = 0;
        Entry {
            kind,
            bytes,
            mtime: meta.modified().ok(),
            mode,
        }
    }
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
        for e in entries {
            let path = e
                .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
                .path();
            let this = entry(&path);
            let is_dir = this.kind == EntryKind::Dir;
            let rel = path.strip_prefix(root).expect("under the root").to_owned();
            out.insert(rel, this);
            if is_dir {
                walk(root, &path, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    out.insert(PathBuf::new(), entry(root));
    walk(root, root, &mut out);
    out
}

/// Two snapshots of a folder are the same; the message names what changed and how.
#[track_caller]
pub fn assert_unchanged(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
    what: &str,
) {
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "{what}: files added {added:?}, removed {removed:?}"
    );
    for (path, entry) in before {
        let now = &after[path];
        let path = path.display();
        assert_eq!(entry.kind, now.kind, "{what}: {path} changed kind");
        assert!(entry.bytes == now.bytes, "{what}: {path} changed bytes");
        assert_eq!(entry.mtime, now.mtime, "{what}: {path} changed mtime");
        assert_eq!(entry.mode, now.mode, "{what}: {path} changed permissions");
    }
}

// ------------------------------------------------------------------ the binary

/// The `doctriage` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_doctriage");

/// A command running the binary, with no input.
pub fn doctriage() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs `doctriage ARGS` to the end; its exit status is the caller's to check.
#[track_caller]
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    match doctriage().args(args).output() {
        Ok(out) => out,
        Err(e) => panic!("run {BIN}: {e}"),
    }
}

/// Runs `doctriage ARGS` and checks that it succeeded (its output is in the message if not).
#[track_caller]
pub fn run_ok<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "doctriage {:?} failed ({}): {}{}",
        args.iter().map(AsRef::as_ref).collect::<Vec<&OsStr>>(),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `doctriage ARGS`, checks that it succeeded, and returns its standard output.
#[track_caller]
pub fn stdout_ok<S: AsRef<OsStr>>(args: &[S]) -> String {
    String::from_utf8(run_ok(args).stdout).expect("doctriage writes UTF-8")
}

// ------------------------------------------------------------------ the article and quotes

/// The statement of the cache's article whose text contains `needle`.
#[track_caller]
pub fn statement_with(cache: &Cache, needle: &str) -> Statement {
    let (_, article) = cache.article.as_ref().expect("the cache has an article");
    match article
        .statements
        .iter()
        .find(|st| st.text.contains(needle))
    {
        Some(st) => st.clone(),
        None => panic!("no statement contains {needle:?}"),
    }
}

/// `(start, end)` in chars of the only occurrence of `quote` in `text`.
#[track_caller]
pub fn char_span(text: &str, quote: &str) -> (usize, usize) {
    assert_eq!(
        text.matches(quote).count(),
        1,
        "{quote:?} must occur exactly once"
    );
    let byte = text.find(quote).expect("the quote is in the text");
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

/// Chars `start..end` of `text` (offsets count chars, as quotes do).
#[track_caller]
pub fn chars(text: &str, start: usize, end: usize) -> String {
    assert!(start <= end, "chars {start}..{end} end before they start");
    text.chars().skip(start).take(end - start).collect()
}

/// The command linking `doc` to the statement containing `needle`, quoting the only occurrence
/// of `quote` in the document.
#[track_caller]
pub fn link(cache: &Cache, doc: &str, needle: &str, relation: Relation, quote: &str) -> Edit {
    let st = statement_with(cache, needle);
    let (start, end) = char_span(&document(cache, doc).text, quote);
    Edit::Link {
        doc: doc.into(),
        link: Link {
            statement: st.id,
            statement_text: st.text,
            relation,
            quote: Some(Quote::new(quote, start, end)),
            note: None,
            ..Link::default()
        },
    }
}

// ------------------------------------------------------------------ scanned caches

/// Scans a cache folder; a failed scan fails the test, naming the folder.
#[track_caller]
pub fn scan(dir: &Path) -> Cache {
    // As the command line reads it: pages without text are OCR'd (from the run's OCR cache).
    match doctriage::workspace::read_cache(dir, &doctriage::workspace::Reading::default()) {
        Ok((cache, _)) => cache,
        Err(e) => panic!("scan of {} failed: {e}", dir.display()),
    }
}

/// The ids of the documents read, in the cache's order.
pub fn ids(cache: &Cache) -> Vec<&str> {
    cache.documents.iter().map(|d| d.id.as_str()).collect()
}

/// The document with this id; if there is none, the message lists what was read and reported.
#[track_caller]
pub fn document<'a>(cache: &'a Cache, id: &str) -> &'a Document {
    match cache.document(id) {
        Some(doc) => doc,
        None => panic!(
            "no document {id}; have {:?}; errors {:?}",
            ids(cache),
            cache.errors
        ),
    }
}

// ------------------------------------------------------------------ outside tools

/// Whether this is a CI run: the `CI` variable is set (as CI services set it), to any value.
pub fn on_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// A check that cannot run here. On CI that fails the test; elsewhere it is said on stderr and
/// the caller skips the check (the rest of its test has run or still runs).
#[track_caller]
pub fn skip_unless_ci(why: &str) {
    assert!(
        !on_ci(),
        "{why}, and CI is set: on CI this check must run (see .ci/run)"
    );
    eprintln!("{why}: check SKIPPED (it runs on CI, where this is a failure)");
}

/// Whether an outside tool a test needs is installed: `strace`, `ftm` (followthemoney),
/// `jsonschema` (the Python module), `mkfifo`, `pdftotext` (poppler-utils) or `tesseract`. `scripts/test.sh` installs them, so on CI a missing
/// one fails the test; elsewhere the test says so on stderr and skips the check.
#[track_caller]
pub fn require_tool(tool: &str) -> bool {
    let probe: &[&str] = match tool {
        "strace" => &["strace", "-V"],
        "ftm" => &["ftm", "--help"],
        "jsonschema" => &["python3", "-c", "import jsonschema"],
        "mkfifo" => &["mkfifo", "--version"],
        "pdftotext" => &["pdftotext", "-v"],
        "tesseract" => &["tesseract", "--list-langs"],
        other => panic!("require_tool does not know how to look for {other:?}"),
    };
    let found = Command::new(probe[0])
        .args(&probe[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        skip_unless_ci(&format!("{tool} is not installed"));
    }
    found
}

/// Checks a JSON file against a schema of `assets/` (`findings.schema.json`,
/// `session.schema.json`) with Python's `jsonschema` (installed on CI; elsewhere the check is
/// skipped with a note).
#[track_caller]
pub fn validate_against_schema(schema: &str, file: &Path) {
    if !require_tool("jsonschema") {
        return;
    }
    let schema = root().join("assets").join(schema);
    let script = "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))";
    let out = Command::new("python3")
        .args(["-c", script, s(&schema), s(file)])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{} against {}: {}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

// ------------------------------------------------------------------ scenario tests

/// Runs one named step of a scenario test whose steps share an expensive setup. A failure inside
/// says which step broke: the step's own panic (with its line) is printed first, then
/// `step "…" broke: …` with the same message, at the test's line.
#[track_caller]
pub fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(a panic without a message)");
            panic!("step {name:?} broke: {msg}");
        }
    }
}
