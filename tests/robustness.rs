//! Bad input: every malformed, hostile or huge file a cache may hold.
//!
//! Each test builds a folder in a tempdir holding one bad input and one good document
//! (`tests/fixtures/bad/good.txt`), scans it, and checks three things: the scan finishes, the bad
//! file is either read correctly or reported with a clear reason, and the good document is read
//! with its exact text. Small inputs are committed under `tests/fixtures/bad/`; large ones (10 MB
//! line, 20 MB e-mail, 100,000 files, nesting 10,000 deep) are generated here at test time.
//! The 300 MB file is in `scripts/big_file_test.sh`, not here.
//!
//! None of these tests need the sample cache.
#![allow(clippy::unwrap_used)] // Helpers of integration tests unwrap like the tests do.

mod common;

use std::path::Path;

use common::{document as doc, ids, scan};
use doctriage::Cache;
use doctriage::ingest::{self, ScanOptions};

const GOOD_TEXT: &str = "This good record is read whatever else the folder holds.\n";

/// The bytes of `tests/fixtures/bad/<name>`.
fn fixture_bytes(name: &str) -> Vec<u8> {
    common::fixture_bytes(&format!("bad/{name}"))
}

/// A tempdir holding the good document and the given files (relative paths, bytes).
fn folder_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "good.txt", fixture_bytes("good.txt"));
    for (rel, bytes) in files {
        common::write(dir.path(), rel, bytes);
    }
    dir
}

/// A tempdir holding the good document and copies of these fixtures.
fn folder_with_fixtures(names: &[&str]) -> tempfile::TempDir {
    let files: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (*n, fixture_bytes(n))).collect();
    folder_with(&files)
}

fn scan_limited(dir: &Path, max: u64) -> Cache {
    let opts = ScanOptions {
        max_document_bytes: max,
        ..ScanOptions::default()
    };
    ingest::scan_with(dir, &opts, &|_| {}).unwrap_or_else(|e| panic!("scan failed: {e}"))
}

/// The good document is there with its exact text and header.
fn assert_good(cache: &Cache) {
    let good = cache
        .document("good.txt")
        .unwrap_or_else(|| panic!("good.txt not read; errors: {:?}", cache.errors));
    assert_eq!(good.text, GOOD_TEXT);
    assert_eq!(good.title, "Good record");
    assert_eq!(good.date.as_deref(), Some("2019-03-14"));
    assert_eq!(good.sender.as_deref(), Some("Test sender"));
    assert!(good.warnings.is_empty(), "{:?}", good.warnings);
    assert!(
        cache.errors.iter().all(|e| e.path != "good.txt"),
        "{:?}",
        cache.errors
    );
}

/// The reason a file was reported (exactly one report for it).
fn reason<'a>(cache: &'a Cache, path: &str) -> &'a str {
    let hits: Vec<_> = cache.errors.iter().filter(|e| e.path == path).collect();
    assert_eq!(
        hits.len(),
        1,
        "expected one report for {path}, got {:?}; documents: {:?}",
        cache.errors,
        ids(cache)
    );
    &hits[0].error
}

fn not_reported(cache: &Cache, path: &str) {
    assert!(
        cache.errors.iter().all(|e| e.path != path),
        "{path} reported: {:?}",
        cache.errors
    );
}

// ------------------------------------------------------------------ JSON

#[test]
fn truncated_json_is_reported_as_invalid_json() {
    let dir = folder_with_fixtures(&["truncated.json"]);
    let cache = scan(dir.path());
    let r = reason(&cache, "truncated.json");
    assert!(r.starts_with("invalid JSON: EOF while parsing"), "{r}");
    assert!(cache.document("trunc-1").is_none());
    assert_good(&cache);
}

#[test]
fn json_with_a_number_for_text_is_reported() {
    let dir = folder_with_fixtures(&["text_number.json"]);
    let cache = scan(dir.path());
    assert_eq!(
        reason(&cache, "text_number.json"),
        "field `text` must be a string"
    );
    assert_good(&cache);
}

#[test]
fn json_array_keeps_good_records_and_reports_bad_ones() {
    let dir = folder_with_fixtures(&["wrong_shape_array.json"]);
    let cache = scan(dir.path());
    assert_eq!(doc(&cache, "ok-1").text, "A fine record inside an array.");
    let reports: Vec<&str> = cache
        .errors
        .iter()
        .filter(|e| e.path == "wrong_shape_array.json")
        .map(|e| e.error.as_str())
        .collect();
    assert_eq!(
        reports,
        [
            "record 2: expected a JSON object",
            "record 3: field `text` must be a string"
        ]
    );
    assert_good(&cache);
}

#[test]
fn json_scalar_is_reported() {
    let dir = folder_with_fixtures(&["scalar.json"]);
    let cache = scan(dir.path());
    assert_eq!(
        reason(&cache, "scalar.json"),
        "expected a JSON object or an array of objects"
    );
    assert_good(&cache);
}

fn nested(depth: usize, inner: &str) -> String {
    let mut s = String::with_capacity(depth * 2 + inner.len());
    s.extend(std::iter::repeat_n('[', depth));
    s.push_str(inner);
    s.extend(std::iter::repeat_n(']', depth));
    s
}

#[test]
fn json_nested_ten_thousand_deep_is_reported_not_overflowing_the_stack() {
    let top = nested(10_000, "1");
    let in_text = format!(
        "{{\"id\": \"deep\", \"text\": {}}}",
        nested(10_000, "\"x\"")
    );
    let objects = format!(
        "{}{}",
        "{\"a\":".repeat(10_000),
        "1".to_owned() + &"}".repeat(10_000)
    );
    let jsonl = format!("{{\"id\": \"line-1\", \"text\": \"first line\"}}\n{top}\n");
    let dir = folder_with(&[
        ("deep_array.json", top.into_bytes()),
        ("deep_text.json", in_text.into_bytes()),
        ("deep_objects.json", objects.into_bytes()),
        ("deep.jsonl", jsonl.into_bytes()),
    ]);
    let cache = scan(dir.path());
    for path in ["deep_array.json", "deep_text.json", "deep_objects.json"] {
        let r = reason(&cache, path);
        assert!(
            r.starts_with("invalid JSON: recursion limit exceeded"),
            "{path}: {r}"
        );
    }
    let r = reason(&cache, "deep.jsonl");
    assert!(
        r.starts_with("line 2: invalid JSON: recursion limit exceeded"),
        "{r}"
    );
    assert_eq!(doc(&cache, "line-1").text, "first line");
    assert_good(&cache);
    // The per-file parser (no I/O) gives the same answer.
    let err = ingest::parse_file("x.json", nested(10_000, "1").as_bytes()).unwrap_err();
    assert!(err.contains("recursion limit exceeded"), "{err}");
}

#[test]
fn jsonl_bad_lines_are_reported_and_good_lines_kept() {
    let dir = folder_with_fixtures(&["bad_lines.jsonl"]);
    let cache = scan(dir.path());
    assert_eq!(doc(&cache, "jl-1").text, "First line record.");
    assert_eq!(doc(&cache, "jl-4").text, "Fourth line record.");
    let reports: Vec<&str> = cache
        .errors
        .iter()
        .filter(|e| e.path == "bad_lines.jsonl")
        .map(|e| e.error.as_str())
        .collect();
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert!(
        reports[0].starts_with("line 2: invalid JSON:"),
        "{reports:?}"
    );
    assert_eq!(reports[1], "line 3: expected a JSON object");
    assert_good(&cache);
}

// ------------------------------------------------------------------ empty, binary, encodings

#[test]
fn empty_files_are_reported() {
    let dir = folder_with_fixtures(&[
        "empty.txt",
        "empty.json",
        "empty.eml",
        "empty.jsonl",
        "empty.md",
    ]);
    let cache = scan(dir.path());
    assert_eq!(reason(&cache, "empty.txt"), "empty file");
    assert_eq!(reason(&cache, "empty.json"), "empty file");
    assert_eq!(reason(&cache, "empty.jsonl"), "empty file");
    assert_eq!(reason(&cache, "empty.md"), "empty file");
    assert_eq!(reason(&cache, "empty.eml"), "not an e-mail message");
    assert_eq!(cache.documents.len(), 1, "{:?}", ids(&cache));
    assert_good(&cache);
}

#[test]
fn binary_data_named_txt_is_reported() {
    let dir = folder_with_fixtures(&["binary.txt", "control_chars.txt"]);
    let cache = scan(dir.path());
    assert_eq!(reason(&cache, "binary.txt"), "binary data, not text");
    assert_eq!(reason(&cache, "control_chars.txt"), "binary data, not text");
    assert_good(&cache);
}

#[test]
fn nul_bytes_make_a_file_binary() {
    let dir = folder_with_fixtures(&["nul_bytes.txt"]);
    let cache = scan(dir.path());
    assert_eq!(reason(&cache, "nul_bytes.txt"), "binary data, not text");
    assert_good(&cache);
}

#[test]
fn nul_bytes_after_the_first_8_kib_are_kept_as_text() {
    let mut bytes = "A long letter. ".repeat(1000).into_bytes();
    bytes.extend_from_slice(b"\x00tail after a NUL\n");
    let dir = folder_with(&[("late_nul.txt", bytes.clone())]);
    let cache = scan(dir.path());
    not_reported(&cache, "late_nul.txt");
    let d = doc(&cache, "late_nul.txt");
    assert_eq!(d.text.as_bytes(), &bytes[..]);
    assert_good(&cache);
}

#[test]
fn invalid_utf8_is_decoded_as_the_detected_legacy_encoding() {
    let dir = folder_with_fixtures(&["invalid_utf8.txt"]);
    let cache = scan(dir.path());
    not_reported(&cache, "invalid_utf8.txt");
    let d = doc(&cache, "invalid_utf8.txt");
    assert_eq!(d.encoding, "windows-1252");
    assert!(
        d.text
            .starts_with("Carta de la Dirección General a la fábrica de Málaga, año 2019."),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("Señor director: le comunicamos la recepción del pedido.")
    );
    assert!(!d.text.contains('\u{FFFD}'));
    assert_good(&cache);
}

#[test]
fn mixed_encodings_are_read_as_one_encoding_without_failing() {
    let dir = folder_with_fixtures(&["mixed_encoding.txt"]);
    let cache = scan(dir.path());
    not_reported(&cache, "mixed_encoding.txt");
    let d = doc(&cache, "mixed_encoding.txt");
    // One file, one encoding: the part in the other encoding shows as mojibake, never lost.
    assert_ne!(d.encoding, "UTF-8");
    assert_eq!(d.text.lines().count(), 2, "{:?}", d.text);
    assert!(
        d.text.contains("Поставка оборудования в Баку согласована."),
        "{:?} {}",
        d.encoding,
        d.text
    );
    assert_good(&cache);
}

// ------------------------------------------------------------------ size

#[test]
fn a_ten_megabyte_single_line_is_read_whole() {
    let line: String = "Поставка ".repeat(10 * 1024 * 1024 / "Поставка ".len());
    let dir = folder_with(&[("one_line.txt", line.clone().into_bytes())]);
    let cache = scan(dir.path());
    not_reported(&cache, "one_line.txt");
    let d = doc(&cache, "one_line.txt");
    assert_eq!(d.text.len(), line.len());
    assert!(d.text == line);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert!(d.title.chars().count() <= 120);
    assert_good(&cache);
}

#[test]
fn a_document_over_the_size_limit_is_truncated_with_a_visible_warning() {
    const MIB: u64 = 1024 * 1024;
    let body = "Line of a very long report about artillery sights.\n".repeat(5_000_000 / 51);
    let json = format!(
        "{{\"id\": \"big-json\", \"text\": \"{}\"}}",
        "x".repeat(5_000_000)
    );
    let dir = folder_with(&[
        ("big.txt", body.clone().into_bytes()),
        ("big.json", json.into_bytes()),
    ]);
    let cache = scan_limited(dir.path(), MIB);
    not_reported(&cache, "big.txt");
    let d = doc(&cache, "big.txt");
    assert!(d.text.len() as u64 <= MIB, "{}", d.text.len());
    assert!(body.starts_with(&d.text));
    assert_eq!(d.file_size, body.len() as u64);
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(
        d.warnings[0].starts_with("truncated at 1 MiB of 4.8 MiB"),
        "warning should say where the file was cut: {:?}",
        d.warnings
    );
    assert!(d.duplicate_of.is_none());
    // A JSON record cut at the limit no longer parses: reported, with the truncation named.
    let r = reason(&cache, "big.json");
    assert!(r.starts_with("invalid JSON"), "{r}");
    assert!(r.contains("truncated at 1 MiB of 4.8 MiB"), "{r}");
    assert_good(&cache);
    // The default limit (64 MiB) reads the same file whole.
    let whole = scan(dir.path());
    assert_eq!(doc(&whole, "big.txt").text, body);
    assert!(doc(&whole, "big.txt").warnings.is_empty());
}

#[test]
fn default_size_limit_is_64_mib() {
    assert_eq!(ScanOptions::default().max_document_bytes, 64 * 1024 * 1024);
}

// ------------------------------------------------------------------ e-mail

#[test]
fn email_with_broken_mime_boundaries_is_read_or_reported() {
    let dir = folder_with_fixtures(&["broken_mime.eml", "headers_only.eml", "not_email.eml"]);
    let cache = scan(dir.path());
    not_reported(&cache, "broken_mime.eml");
    let d = doc(&cache, "broken_mime.eml");
    assert_eq!(d.kind, "email");
    assert_eq!(d.title, "Broken boundaries");
    assert_eq!(d.sender.as_deref(), Some("Sender <sender@mail.example>"));
    assert!(
        d.text
            .contains("The body of a message whose boundaries do not match."),
        "{:?}",
        d.text
    );
    let h = doc(&cache, "headers_only.eml");
    assert_eq!(h.title, "No body");
    assert_eq!(reason(&cache, "not_email.eml"), "not an e-mail message");
    assert_good(&cache);
}

/// Base64 of `n` bytes, in 76-column lines.
fn base64_lines(n: usize) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(n * 4 / 3 + n / 57 * 2 + 8);
    let mut col = 0;
    let mut state: u32 = 12345;
    for _ in 0..n.div_ceil(3) {
        for _ in 0..4 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            out.push(char::from(ALPHABET[(state >> 16) as usize % 64]));
        }
        col += 4;
        if col == 76 {
            out.push_str("\r\n");
            col = 0;
        }
    }
    out
}

#[test]
fn email_with_a_huge_base64_part_and_broken_boundaries() {
    let b64 = base64_lines(15 * 1024 * 1024); // about 20 MB of base64
    // The declared boundary is never closed, a second part uses a boundary never declared,
    // and the base64 part runs to the end of the file.
    let mail = format!(
        "From: Big Sender <big@mail.example>\r\nTo: r@mail.example\r\nSubject: Huge attachment\r\n\
         Date: Wed, 16 Jun 2021 09:00:00 +0300\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"OUTER\"\r\n\r\n\
         --OUTER\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attached scan.\r\n\
         --UNDECLARED\r\nContent-Type: text/plain\r\n\r\nStray part.\r\n\
         --OUTER\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"scan.pdf\"\r\n\r\n{b64}"
    );
    assert!(mail.len() > 19_000_000);
    let dir = folder_with(&[("huge.eml", mail.into_bytes())]);
    let cache = scan(dir.path());
    not_reported(&cache, "huge.eml");
    let d = doc(&cache, "huge.eml");
    assert_eq!(d.title, "Huge attachment");
    assert!(
        d.text.contains("See the attached scan."),
        "{:?}",
        &d.text.chars().take(300).collect::<String>()
    );
    // The attachment is named, its bytes are not turned into body text.
    assert!(
        d.attachments.iter().any(|a| a == "scan.pdf"),
        "{:?}",
        d.attachments
    );
    assert!(
        d.text.len() < 1_000_000,
        "the base64 part leaked into the body ({} bytes)",
        d.text.len()
    );
    assert_good(&cache);
}

// ------------------------------------------------------------------ file system

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = folder_with(&[]);
    let root = dir.path();
    symlink("b.txt", root.join("a.txt")).unwrap();
    symlink("a.txt", root.join("b.txt")).unwrap();
    symlink(".", root.join("self_dir")).unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    symlink("..", root.join("sub/parent")).unwrap();
    let cache = scan(root);
    assert_eq!(reason(&cache, "a.txt"), "symlink loop, not followed");
    assert_eq!(reason(&cache, "b.txt"), "symlink loop, not followed");
    assert_eq!(
        reason(&cache, "self_dir"),
        "symlink to a folder, not followed"
    );
    assert_eq!(
        reason(&cache, "sub/parent"),
        "symlink to a folder, not followed"
    );
    assert_eq!(cache.documents.len(), 1, "{:?}", ids(&cache));
    assert_good(&cache);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "OUTSIDE SECRET TEXT\n").unwrap();
    let dir = folder_with(&[]);
    let root = dir.path();
    symlink(outside.path().join("secret.txt"), root.join("secret.txt")).unwrap();
    symlink(outside.path(), root.join("outside_dir")).unwrap();
    symlink("/etc/passwd", root.join("passwd.txt")).unwrap();
    symlink("/dev/zero", root.join("zero.txt")).unwrap();
    symlink(
        "../../../../../../../../etc/hostname",
        root.join("relative.txt"),
    )
    .unwrap();
    std::fs::create_dir(root.join("in")).unwrap();
    symlink("../good.txt", root.join("in/inside_link.txt")).unwrap();
    let cache = scan(root);
    for path in [
        "secret.txt",
        "outside_dir",
        "passwd.txt",
        "zero.txt",
        "relative.txt",
    ] {
        assert_eq!(
            reason(&cache, path),
            "symlink points outside the cache",
            "{path}"
        );
    }
    // A link that stays inside the root is read, as a duplicate of its target.
    let inside = doc(&cache, "in/inside_link.txt");
    assert_eq!(inside.text, GOOD_TEXT);
    assert_eq!(inside.duplicate_of.as_deref(), Some("good.txt"));
    assert!(
        cache
            .documents
            .iter()
            .all(|d| !d.text.contains("OUTSIDE SECRET") && !d.text.contains("root:"))
    );
    assert_good(&cache);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_reported_not_opened() {
    let dir = folder_with(&[]);
    let fifo = dir.path().join("pipe.txt");
    if !common::require_tool("mkfifo") {
        return;
    }
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}: {made}", fifo.display());
    std::os::unix::fs::symlink("pipe.txt", dir.path().join("pipe_link.txt")).unwrap();
    // Opening a FIFO for reading would block forever; the scan must finish.
    let cache = scan(dir.path());
    assert_eq!(
        reason(&cache, "pipe.txt"),
        "not a regular file (device, pipe or socket)"
    );
    assert_eq!(
        reason(&cache, "pipe_link.txt"),
        "symlink to something that is not a regular file"
    );
    assert_good(&cache);
}

/// Whether `chmod 000` really stops reads here (it does not for root, whom CI runs as).
#[cfg(unix)]
fn unreadable_really(path: &Path) -> bool {
    std::fs::read(path).is_err()
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_as_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with(&[("locked.txt", b"Locked record text.\n".to_vec())]);
    let locked = dir.path().join("locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let really = unreadable_really(&locked);
    let cache = scan(dir.path());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    if really {
        assert_eq!(reason(&cache, "locked.txt"), "permission denied");
    } else {
        // Running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reads, so the
        // file is simply read; all we can check is that the scan completes.
        eprintln!(
            "chmod 000 does not stop reads for this user (root?): only checking the scan completes"
        );
        assert_eq!(doc(&cache, "locked.txt").text, "Locked record text.\n");
    }
    assert_good(&cache);
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported_and_the_rest_scanned() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with(&[("closed/inner.txt", b"Inner record.\n".to_vec())]);
    let closed = dir.path().join("closed");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let really = std::fs::read_dir(&closed).is_err();
    let cache = scan(dir.path());
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    if really {
        assert_eq!(reason(&cache, "closed"), "permission denied");
    } else {
        eprintln!(
            "chmod 000 does not stop reads for this user (root?): only checking the scan completes"
        );
        assert_eq!(doc(&cache, "closed/inner.txt").text, "Inner record.\n");
    }
    assert_good(&cache);
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read_with_a_warning() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = folder_with(&[]);
    let name = OsStr::from_bytes(b"carta_\xe9t\xe9.txt");
    std::fs::write(
        dir.path().join(name),
        "A letter with a Latin-1 file name.\n",
    )
    .unwrap();
    let cache = scan(dir.path());
    let d = doc(&cache, "carta_\u{FFFD}t\u{FFFD}.txt");
    assert_eq!(d.text, "A letter with a Latin-1 file name.\n");
    assert_eq!(
        d.warnings,
        ["file name is not valid UTF-8; shown with replacement characters"]
    );
    assert!(cache.errors.is_empty(), "{:?}", cache.errors);
    assert_good(&cache);
}

#[cfg(unix)]
#[test]
fn two_non_utf8_names_that_look_alike_are_both_accounted_for() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = folder_with(&[]);
    std::fs::write(dir.path().join(OsStr::from_bytes(b"n\xe9.txt")), "First.\n").unwrap();
    std::fs::write(
        dir.path().join(OsStr::from_bytes(b"n\xe8.txt")),
        "Second.\n",
    )
    .unwrap();
    let cache = scan(dir.path());
    // Both names read as `n�.txt`: one is read, the other reported, none silently lost.
    let read = cache
        .documents
        .iter()
        .filter(|d| d.path == "n\u{FFFD}.txt")
        .count();
    let reported = cache
        .errors
        .iter()
        .filter(|e| e.path == "n\u{FFFD}.txt")
        .count();
    assert_eq!(read + reported, 2, "{:?} {:?}", ids(&cache), cache.errors);
    assert!(read >= 1);
    assert_good(&cache);
}

#[test]
fn a_hundred_thousand_files_in_one_folder_are_all_read() {
    const N: usize = 100_000;
    let dir = folder_with(&[]);
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..N {
        std::fs::write(
            many.join(format!("r{i:06}.txt")),
            format!("Record number {i}.\n"),
        )
        .unwrap();
    }
    let cache = scan(dir.path());
    assert!(
        cache.errors.is_empty(),
        "{:?}",
        &cache.errors[..cache.errors.len().min(5)]
    );
    assert_eq!(cache.documents.len(), N + 1);
    for i in [0, 1, 4_242, 77_777, N - 1] {
        assert_eq!(
            doc(&cache, &format!("many/r{i:06}.txt")).text,
            format!("Record number {i}.\n")
        );
    }
    assert!(cache.documents.iter().all(|d| d.duplicate_of.is_none()));
    assert_good(&cache);
}

// ------------------------------------------------------------------ text headers

#[test]
fn unterminated_front_matter_is_read_as_text() {
    let dir = folder_with_fixtures(&["unterminated_front_matter.md"]);
    let cache = scan(dir.path());
    not_reported(&cache, "unterminated_front_matter.md");
    let d = doc(&cache, "unterminated_front_matter.md");
    assert!(
        d.text.contains("whose front matter is never closed"),
        "{:?}",
        d.text
    );
    assert_good(&cache);
}

// ------------------------------------------------------------------ fuzz regressions

/// Every input in `tests/fixtures/bad/fuzz/<target>/` once crashed a fuzz target; each must
/// now go through the same checks the target makes without panicking. The folder is committed
/// with at least one input: without it this test would check nothing.
#[test]
fn fuzz_regressions_do_not_panic() {
    let base = common::fixture("bad/fuzz");
    let targets = std::fs::read_dir(&base)
        .unwrap_or_else(|e| panic!("the fuzz regressions folder {}: {e}", base.display()));
    let mut inputs = 0;
    for target in targets {
        let target = target.unwrap();
        let name = target.file_name().to_string_lossy().into_owned();
        assert!(
            target.file_type().unwrap().is_dir(),
            "{name} in {} is not a target's folder",
            base.display()
        );
        for input in std::fs::read_dir(target.path()).unwrap() {
            let input = input.unwrap();
            let bytes = std::fs::read(input.path()).unwrap();
            let shown = format!("{name}/{}", input.file_name().to_string_lossy());
            let outcome = std::panic::catch_unwind(|| run_fuzz_check(&name, &bytes));
            assert!(outcome.is_ok(), "fuzz regression {shown} panics again");
            inputs += 1;
        }
    }
    assert!(
        inputs >= 1,
        "no fuzz regression inputs under {}",
        base.display()
    );
}

/// The checks of the fuzz targets (`fuzz/checks.rs`, shared with `fuzz/fuzz_targets/*.rs`).
mod fuzz_checks {
    include!("../fuzz/checks.rs");
}

fn run_fuzz_check(target: &str, bytes: &[u8]) {
    fuzz_checks::check(target, bytes);
}

/// A multipart message nested `depth` times, with the text at the bottom.
fn nested_multipart(depth: usize) -> String {
    let mut mail = String::from(
        "From: deep@mail.example\r\nSubject: Deep nesting\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n",
    );
    for i in 1..=depth {
        mail.push_str(&format!(
            "--b{}\r\nContent-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n",
            i - 1
        ));
    }
    mail.push_str(&format!(
        "--b{depth}\r\nContent-Type: text/plain\r\n\r\nThe innermost text.\r\n"
    ));
    for i in (0..=depth).rev() {
        mail.push_str(&format!("--b{i}--\r\n"));
    }
    mail
}

/// A message attached (message/rfc822) inside a message, `depth` times.
fn nested_rfc822(depth: usize) -> String {
    let mut mail = String::new();
    for _ in 0..depth {
        mail.push_str(
            "From: outer@mail.example\r\nSubject: Forwarded\r\nMIME-Version: 1.0\r\n\
             Content-Type: message/rfc822\r\n\r\n",
        );
    }
    mail.push_str("From: inner@mail.example\r\nSubject: Inner\r\n\r\nThe innermost text.\r\n");
    mail
}

#[test]
fn deeply_nested_mime_does_not_overflow_the_stack() {
    let dir = folder_with(&[
        ("deep_multipart.eml", nested_multipart(5_000).into_bytes()),
        ("deep_rfc822.eml", nested_rfc822(5_000).into_bytes()),
    ]);
    let cache = scan(dir.path());
    for path in ["deep_multipart.eml", "deep_rfc822.eml"] {
        // Read (mail-parser stops nesting at its own limit) or reported; never a crash.
        let read = cache.documents.iter().any(|d| d.path == path);
        let reported = cache.errors.iter().any(|e| e.path == path);
        assert!(read ^ reported, "{path}: read {read}, reported {reported}");
    }
    assert_eq!(doc(&cache, "deep_multipart.eml").title, "Deep nesting");
    assert_good(&cache);
}

/// The committed seed corpus of every fuzz target passes that target's checks (so the fuzz
/// checks themselves run in every `cargo test`).
#[test]
fn fuzz_seed_corpus_passes_the_fuzz_checks() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut seeds = 0;
    for target in std::fs::read_dir(&base).unwrap().flatten() {
        let name = target.file_name().to_string_lossy().into_owned();
        for input in std::fs::read_dir(target.path()).unwrap().flatten() {
            if !input.file_name().to_string_lossy().starts_with("seed_") {
                continue;
            }
            let bytes = std::fs::read(input.path()).unwrap();
            let shown = format!("{name}/{}", input.file_name().to_string_lossy());
            let outcome = std::panic::catch_unwind(|| run_fuzz_check(&name, &bytes));
            assert!(outcome.is_ok(), "seed {shown} fails the fuzz checks");
            seeds += 1;
        }
    }
    assert!(seeds >= 30, "only {seeds} seeds");
}
