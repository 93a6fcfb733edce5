//! The file manifest: a reopened cache stats its files and reads only what changed; a changed
//! file is read and indexed again, a removed one dropped, an edit that keeps the size and the
//! modification time is caught by the racy-file rule (or by `doctriage verify`), and the
//! manifest never lands in the cache.
#![allow(clippy::unwrap_used)] // Helpers of integration tests unwrap like the tests do.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use doctriage::ingest::{self, ScanOptions};
use doctriage::search::{SearchIndex, SearchOptions};
use doctriage::{Cache, Document};

/// Scans `root` with the manifest at `manifest`.
fn scan(root: &Path, manifest: &Path) -> Cache {
    let opts = ScanOptions {
        manifest: Some(manifest.to_owned()),
        ..ScanOptions::default()
    };
    ingest::scan_with(root, &opts, &|_| {}).unwrap()
}

/// Sets a file's modification time (an hour back puts it out of the racy window).
fn set_mtime(path: &Path, t: SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(t).unwrap();
}

fn an_hour_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600)
}

/// A cache of loose files, a multi-record file and an archive, every file an hour old.
fn cache_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cache");
    common::write(
        &root,
        "letters/a.txt",
        "Title: A\n\nGroza-S stations for Baku.\n",
    );
    common::write(&root, "letters/b.txt", "Title: B\n\nNothing here yet.\n");
    common::write(
        &root,
        "records/batch.jsonl",
        "{\"id\":\"r1\",\"title\":\"One\",\"text\":\"first record\"}\n{\"id\":\"r2\",\"title\":\"Two\",\"text\":\"second quetzal record\"}\n",
    );
    std::fs::copy(
        common::sample().join("archive/bundle_2020_10.zip"),
        root.join("bundle.zip"),
    )
    .unwrap();
    for rel in [
        "letters/a.txt",
        "letters/b.txt",
        "records/batch.jsonl",
        "bundle.zip",
    ] {
        set_mtime(&root.join(rel), an_hour_ago());
    }
    (dir, root)
}

fn ids(cache: &Cache) -> Vec<&str> {
    cache.documents.iter().map(|d| d.id.as_str()).collect()
}

fn doc<'a>(cache: &'a Cache, id: &str) -> &'a Document {
    cache.document(id).unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn an_unchanged_cache_is_reopened_without_reading_a_file() {
    let (dir, root) = cache_folder();
    let manifest = dir.path().join("state/manifest.jsonl");
    let first = scan(&root, &manifest);
    assert_eq!(first.scan.files, 4);
    assert_eq!(first.scan.read.len(), 4, "a first scan reads every file");
    assert!(!first.scan.compared);
    assert!(manifest.is_file());
    let written = std::fs::metadata(&manifest).unwrap().modified().unwrap();

    let again = scan(&root, &manifest);
    assert!(again.scan.compared);
    assert_eq!(
        again.scan.read,
        Vec::<String>::new(),
        "nothing is read again"
    );
    assert_eq!(again.scan.reused, 4);
    // The same documents as read, members and records included (duplicates recomputed).
    assert_eq!(again.documents, first.documents);
    assert!(ids(&again).iter().any(|id| id.starts_with("bundle.zip!/")));
    assert!(ids(&again).contains(&"r2"));
    assert_eq!(
        std::fs::metadata(&manifest).unwrap().modified().unwrap(),
        written,
        "an unchanged scan does not write the manifest again"
    );
    assert_eq!(
        again.scan.summary().unwrap(),
        "4 of 4 files unchanged since the last scan (not read again); 0 read (0 changed, 0 new), 0 removed"
    );
}

#[test]
fn a_changed_file_is_read_and_indexed_again_and_a_removed_one_dropped() {
    let (dir, root) = cache_folder();
    let manifest = dir.path().join("state/manifest.jsonl");
    let index_dir = dir.path().join("index");
    let first = scan(&root, &manifest);
    let (index, stats) = SearchIndex::open_or_build(&first, None, &index_dir).unwrap();
    assert!(stats.rebuilt);
    let before = index.search("quetzal", &SearchOptions::default()).unwrap();
    assert_eq!(before.hits[0].doc_id, "r2");
    drop(index);

    common::write(
        &root,
        "letters/b.txt",
        "Title: B\n\nA polonez launcher went to Baku in 2020.\n",
    );
    set_mtime(&root.join("letters/b.txt"), an_hour_ago());
    std::fs::remove_file(root.join("records/batch.jsonl")).unwrap();
    common::write(&root, "letters/c.txt", "Title: C\n\nA new letter.\n");

    let second = scan(&root, &manifest);
    assert_eq!(second.scan.read, ["letters/b.txt", "letters/c.txt"]);
    assert_eq!(second.scan.changed, ["letters/b.txt"]);
    assert_eq!(second.scan.added, ["letters/c.txt"]);
    assert_eq!(second.scan.removed, ["records/batch.jsonl"]);
    assert_eq!(second.scan.reused, 2);
    assert!(doc(&second, "letters/b.txt").text.contains("polonez"));
    assert!(
        second.document("r1").is_none(),
        "a removed file's records are gone"
    );
    assert_ne!(
        doc(&second, "letters/b.txt").sha256,
        doc(&first, "letters/b.txt").sha256
    );
    // The new manifest holds the files taken unchanged too (copied from the previous one).
    let third = scan(&root, &manifest);
    assert_eq!(third.scan.read, ["letters/c.txt"], "only the racy new file");
    assert_eq!(third.documents, second.documents);

    let (index, stats) = SearchIndex::open_or_build(&second, None, &index_dir).unwrap();
    assert!(!stats.rebuilt);
    assert_eq!((stats.indexed, stats.removed), (2, 2), "{stats:?}");
    let hits = index.search("polonez", &SearchOptions::default()).unwrap();
    let found: Vec<&str> = hits.hits.iter().map(|h| h.doc_id.as_str()).collect();
    assert_eq!(found, ["letters/b.txt"]);
    let gone = index.search("quetzal", &SearchOptions::default()).unwrap();
    assert_eq!(
        gone.total, 0,
        "the removed file's records are out of the index"
    );
}

#[test]
fn an_edit_keeping_size_and_mtime_is_caught_by_the_racy_rule() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cache");
    let manifest = dir.path().join("manifest.jsonl");
    // Written now: within the racy window of the scan that reads it.
    common::write(&root, "a.txt", "Title: A\n\nGroza for Baku.\n");
    let mtime = std::fs::metadata(root.join("a.txt"))
        .unwrap()
        .modified()
        .unwrap();
    let first = scan(&root, &manifest);
    assert_eq!(first.scan.read, ["a.txt"]);

    // The same size, and the modification time put back: only the racy rule can tell.
    common::write(&root, "a.txt", "Title: A\n\nGroza for Kiev.\n");
    set_mtime(&root.join("a.txt"), mtime);
    let second = scan(&root, &manifest);
    assert_eq!(second.scan.read, ["a.txt"], "a racy file is read again");
    assert_eq!(second.scan.changed, ["a.txt"]);
    assert!(doc(&second, "a.txt").text.contains("Kiev"));
}

#[test]
fn a_racy_file_is_read_again_until_its_entry_is_settled() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cache");
    let manifest = dir.path().join("manifest.jsonl");
    common::write(&root, "new.txt", "Title: N\n\nJust written.\n");
    common::write(&root, "old.txt", "Title: O\n\nWritten long ago.\n");
    set_mtime(&root.join("old.txt"), an_hour_ago());
    scan(&root, &manifest);
    let second = scan(&root, &manifest);
    assert_eq!(second.scan.read, ["new.txt"], "only the racy file");
    assert_eq!(second.scan.changed, Vec::<String>::new());
    // Once its time is well before the scan that stat'ed it, it is trusted.
    set_mtime(&root.join("new.txt"), an_hour_ago());
    let third = scan(&root, &manifest);
    assert_eq!(third.scan.read, ["new.txt"], "its stat changed");
    let fourth = scan(&root, &manifest);
    assert_eq!(fourth.scan.read, Vec::<String>::new());
}

#[test]
fn a_damaged_or_foreign_manifest_reads_everything_and_is_replaced() {
    let (dir, root) = cache_folder();
    let manifest = dir.path().join("manifest.jsonl");
    let first = scan(&root, &manifest);
    let text = std::fs::read_to_string(&manifest).unwrap();
    // One entry's line cut short: that file alone is read again.
    let lines: Vec<&str> = text.lines().collect();
    let damaged_line = lines
        .iter()
        .position(|l| l.starts_with("{\"path\":\"letters/a.txt\""))
        .unwrap();
    let mut damaged: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let half = damaged[damaged_line].len() / 2;
    damaged[damaged_line].truncate(half);
    std::fs::write(&manifest, damaged.join("\n")).unwrap();
    let second = scan(&root, &manifest);
    assert_eq!(second.scan.read, ["letters/a.txt"]);
    assert_eq!(second.documents, first.documents);

    // Other scan limits: another reader's manifest, every file read.
    let opts = ScanOptions {
        manifest: Some(manifest.clone()),
        max_document_bytes: 1 << 20,
        ..ScanOptions::default()
    };
    let other = ingest::scan_with(&root, &opts, &|_| {}).unwrap();
    assert_eq!(other.scan.read.len(), 4);
    assert!(!other.scan.compared);

    // Not a manifest at all.
    std::fs::write(&manifest, b"\x00\xffgarbage").unwrap();
    let third = scan(&root, &manifest);
    assert_eq!(third.scan.read.len(), 4);
    assert_eq!(third.documents, first.documents);
}

#[test]
fn the_manifest_is_kept_outside_the_cache_and_the_cache_is_untouched() {
    let (_dir, root) = cache_folder();
    let path = ingest::default_manifest_path(&root);
    assert!(!doctriage::fsutil::canonical(&path).starts_with(doctriage::fsutil::canonical(&root)));
    let before = common::snapshot(&root);
    let opts = ScanOptions::with_manifest(&root);
    ingest::scan_with(&root, &opts, &|_| {}).unwrap();
    ingest::scan_with(&root, &opts, &|_| {}).unwrap();
    common::assert_unchanged(
        &before,
        &common::snapshot(&root),
        "two scans with the manifest",
    );
    assert!(path.is_file());
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

/// `doctriage verify` with its own user cache folder (so the manifest is this test's).
fn verify(root: &Path, state: &Path, extra: &[&str]) -> (i32, String) {
    let out = common::doctriage()
        .env("XDG_CACHE_HOME", state)
        .args(["verify", "--no-ocr"])
        .args(extra)
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn verify_hashes_every_file_and_names_what_changed_since_the_last_scan() {
    let (dir, root) = cache_folder();
    let state = dir.path().join("user-cache");
    let (code, out) = verify(&root, &state, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("4 files hashed; no earlier scan"), "{out}");

    let (code, out) = verify(&root, &state, &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.trim(),
        "4 files hashed: 0 changed (0 with the same size and times), 0 new, 0 removed since the last scan"
    );

    common::write(
        &root,
        "letters/a.txt",
        "Title: A\n\nGroza-S stations for Kiev.\n",
    );
    set_mtime(&root.join("letters/a.txt"), an_hour_ago());
    std::fs::remove_file(root.join("letters/b.txt")).unwrap();
    let (code, out) = verify(&root, &state, &[]);
    assert_eq!(code, 3, "{out}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "changed: letters/a.txt",
            "removed: letters/b.txt",
            "3 files hashed: 1 changed (0 with the same size and times), 0 new, 1 removed since the last scan",
        ]
    );
}

#[test]
fn verify_with_a_session_names_the_tagged_documents_that_changed() {
    let (dir, root) = cache_folder();
    let state = dir.path().join("user-cache");
    let session = dir.path().join("s.json");
    let mut ws = doctriage::Workspace::create_session(&root, &session, "tester", false).unwrap();
    ws.apply(doctriage::Command::SetStatus {
        doc: "letters/a.txt".into(),
        status: doctriage::Status::Relevant,
    })
    .unwrap();
    ws.save().unwrap();
    drop(ws);
    let (code, out) = verify(&root, &state, &["--session", common::s(&session)]);
    assert_eq!(code, 0, "{out}");
    common::write(
        &root,
        "letters/a.txt",
        "Title: A\n\nSomething else entirely.\n",
    );
    let (code, out) = verify(&root, &state, &["--session", common::s(&session)]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("changed: letters/a.txt"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("session: ") && l.contains("letters/a.txt")),
        "{out}"
    );
}

/// Waits out the racy window: files and folders written before are trusted by the next scan
/// (a change time cannot be set back, so only waiting settles a file just written).
fn settle() {
    std::thread::sleep(Duration::from_nanos(ingest::RACY_NS as u64) + Duration::from_millis(100));
}

/// `doctriage search --json` with its own user cache folder.
fn search(root: &Path, state: &Path, query: &str) -> serde_json::Value {
    let out = common::doctriage()
        .env("XDG_CACHE_HOME", state)
        .args(["search", "--no-ocr", "--json"])
        .arg(root)
        .arg(query)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The hits among the loose letters (the archive has its own).
fn hit_ids(answer: &serde_json::Value) -> Vec<&str> {
    let mut ids: Vec<&str> = answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap())
        .filter(|id| id.starts_with("letters/"))
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_search_of_an_unchanged_cache_reads_only_the_index_and_reads_the_cache_when_it_changed() {
    let (dir, root) = cache_folder();
    let state = dir.path().join("user-cache");
    settle();
    let first = search(&root, &state, "groza");
    assert_eq!(first["cache_read"], true, "no index yet: the cache is read");
    assert_eq!(hit_ids(&first), ["letters/a.txt"]);
    let a = first["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["doc_id"] == "letters/a.txt")
        .unwrap();
    assert_eq!(
        (&a["path"], &a["title"]),
        (&"letters/a.txt".into(), &"A".into())
    );

    let second = search(&root, &state, "groza");
    assert_eq!(second["cache_read"], false, "{second}");
    assert_eq!(second["hits"], first["hits"]);
    assert_eq!(second["index"]["reused"], 8);

    // A new file changes its folder's time: the cache is read, the new file found.
    common::write(&root, "letters/c.txt", "Title: C\n\nMore groza sets.\n");
    let third = search(&root, &state, "groza");
    assert_eq!(third["cache_read"], true);
    assert_eq!(hit_ids(&third), ["letters/a.txt", "letters/c.txt"]);

    // A hit's file rewritten in place (its folder unchanged): caught by the hit's check.
    settle();
    assert_eq!(search(&root, &state, "groza")["cache_read"], true);
    assert_eq!(search(&root, &state, "groza")["cache_read"], false);
    common::write(
        &root,
        "letters/a.txt",
        "Title: A\n\nNothing of the kind any more.\n",
    );
    let rewritten = search(&root, &state, "groza");
    assert_eq!(rewritten["cache_read"], true, "{rewritten}");
    assert_eq!(hit_ids(&rewritten), ["letters/c.txt"]);

    // A removed file: its folder's time changes.
    std::fs::remove_file(root.join("letters/c.txt")).unwrap();
    let removed = search(&root, &state, "groza");
    assert_eq!(removed["cache_read"], true);
    assert_eq!(hit_ids(&removed), Vec::<&str>::new());
}
