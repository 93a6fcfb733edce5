//! Archives, mailboxes, e-mails and office files read from the committed fixtures of
//! `tests/fixtures/containers/` (see its README for every phrase asserted here) and from the
//! sample cache: every member a document of its own with its text, its parent, its own SHA-256
//! and its container's; the limits against hostile archives; members found by search, quoted,
//! exported; and the cache left as it was.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{document, s};
use doctriage::ingest::Limits;
use doctriage::{Cache, Document, PageSource, sha256_hex};
use mail_parser::MimeHeaders;
use serde_json::Value;

/// The container fixtures (README left out) copied into `dir`.
fn copy_fixtures(dir: &Path) {
    for e in std::fs::read_dir(common::fixture("containers")).expect("the fixtures") {
        let path = e.expect("an entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if name != "README.md" {
            common::write(dir, &name, std::fs::read(&path).expect("a fixture"));
        }
    }
}

/// A cache of copies of every container fixture, scanned as the command line scans it.
fn fixtures_cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_fixtures(dir.path());
    let cache = common::scan(dir.path());
    (dir, cache)
}

fn containers(name: &str) -> Vec<u8> {
    common::fixture_bytes(&format!("containers/{name}"))
}

/// A zip member's bytes, read with the zip crate.
fn zip_member(zip: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let mut file = archive.by_name(name).expect("the member");
    let mut out = Vec::new();
    file.read_to_end(&mut out).expect("the member's bytes");
    out
}

/// A tar member's bytes, read with the tar crate.
fn tar_member(tar: &[u8], name: &str) -> Vec<u8> {
    let mut archive = tar::Archive::new(tar);
    for entry in archive.entries().expect("a tar") {
        let mut entry = entry.expect("an entry");
        if entry.path().expect("a path").to_str() == Some(name) {
            let mut out = Vec::new();
            entry.read_to_end(&mut out).expect("the member's bytes");
            return out;
        }
    }
    panic!("no tar member {name}");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

/// An e-mail attachment's decoded bytes, read with mail-parser.
fn mail_attachment(eml: &[u8], name: &str) -> Vec<u8> {
    let message = mail_parser::MessageParser::default()
        .parse(eml)
        .expect("an e-mail");
    let part = message
        .attachments()
        .find(|p| p.attachment_name() == Some(name))
        .unwrap_or_else(|| panic!("no attachment {name}"));
    part.contents().to_vec()
}

/// The member's bytes as the product reads them again from its container.
fn reread(root: &Path, doc: &Document) -> Vec<u8> {
    doctriage::ingest::document_bytes(root, doc, &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", doc.id))
}

/// A member's document: its path, phrase, parent and both hashes.
#[track_caller]
fn check_member(
    root: &Path,
    cache: &Cache,
    id: &str,
    parent: &str,
    outer: &str,
    bytes: &[u8],
    phrase: &str,
) {
    let doc = document(cache, id);
    assert!(doc.text.contains(phrase), "{id}: {:?}", doc.text);
    assert_eq!(doc.parent.as_deref(), Some(parent), "{id}: parent");
    assert_eq!(
        doc.container_sha256.as_deref(),
        Some(sha256_hex(&containers(outer)).as_str()),
        "{id}: container_sha256 is the hash of {outer}"
    );
    assert_eq!(
        doc.sha256,
        sha256_hex(bytes),
        "{id}: sha256 of its own bytes"
    );
    assert_eq!(doc.file_size, bytes.len() as u64, "{id}: size");
    assert!(
        reread(root, doc) == bytes,
        "{id}: read again from its container"
    );
}

/// A file of the cache as received: no parent, its own hash, the kind given.
#[track_caller]
fn check_outer(cache: &Cache, name: &str, kind: &str) {
    let doc = document(cache, name);
    assert_eq!(doc.path, name);
    assert_eq!(doc.kind, kind, "{name}: kind");
    assert_eq!(doc.parent, None, "{name}: parent");
    assert_eq!(doc.container_sha256, None, "{name}: container_sha256");
    assert_eq!(doc.sha256, sha256_hex(&containers(name)), "{name}: sha256");
}

#[test]
fn every_zip_member_is_a_document_with_its_text_parent_and_hashes() {
    let (dir, cache) = fixtures_cache();
    let root = dir.path();

    // zip
    let plain = containers("plain.zip");
    check_outer(&cache, "plain.zip", "archive");
    let a = zip_member(&plain, "a.txt");
    assert_eq!(a, b"Zip member text alpha\n");
    check_member(
        root,
        &cache,
        "plain.zip!/a.txt",
        "plain.zip",
        "plain.zip",
        &a,
        "Zip member text alpha",
    );
    // A JSON member keeps the record's own id; its path names the member.
    let json = zip_member(&plain, "sub/b.json");
    check_member(
        root,
        &cache,
        "zip-json-1",
        "plain.zip",
        "plain.zip",
        &json,
        "Zip member json beta",
    );
    assert_eq!(document(&cache, "zip-json-1").path, "plain.zip!/sub/b.json");
    assert_eq!(document(&cache, "zip-json-1").kind, "letter");
    // The directory entry is no document; the container lists its members.
    assert!(!common::ids(&cache).iter().any(|id| id.contains("empty")));
    assert_eq!(document(&cache, "plain.zip").extra["members"], "3");

    // a zip in a zip
    let nested = containers("nested.zip");
    let inner = zip_member(&nested, "inner.zip");
    check_outer(&cache, "nested.zip", "archive");
    check_member(
        root,
        &cache,
        "nested.zip!/inner.zip",
        "nested.zip",
        "nested.zip",
        &inner,
        "deep.txt",
    );
    assert_eq!(document(&cache, "nested.zip!/inner.zip").kind, "archive");
    check_member(
        root,
        &cache,
        "nested.zip!/inner.zip!/deep.txt",
        "nested.zip!/inner.zip",
        "nested.zip",
        &zip_member(&inner, "deep.txt"),
        "nested text epsilon",
    );
}

#[test]
fn tar_tar_gz_and_tgz_members_are_documents_with_the_hash_of_their_own_outer_file() {
    let (dir, cache) = fixtures_cache();
    let root = dir.path();
    for name in ["bundle.tar", "bundle.tar.gz", "bundle.tgz"] {
        let raw = containers(name);
        let tar = if name == "bundle.tar" {
            raw
        } else {
            gunzip(&raw)
        };
        check_outer(&cache, name, "archive");
        let a = tar_member(&tar, "a.txt");
        assert_eq!(a, b"Tar member text zeta\n");
        check_member(
            root,
            &cache,
            &format!("{name}!/a.txt"),
            name,
            name,
            &a,
            "Tar member text zeta",
        );
        check_member(
            root,
            &cache,
            &format!("{name}!/dir/b.md"),
            name,
            name,
            &tar_member(&tar, "dir/b.md"),
            "Tar member markdown text zeta two.",
        );
        assert_eq!(
            document(&cache, &format!("{name}!/dir/b.md")).title,
            "Tar markdown"
        );
        assert!(
            cache.document(&format!("{name}!/dir")).is_none(),
            "a directory entry is no document"
        );
    }
    assert_eq!(
        containers("bundle.tar.gz"),
        containers("bundle.tgz"),
        "the fixtures are identical"
    );
}

#[test]
fn an_e_mail_s_attachments_the_zip_inside_one_and_a_forwarded_message_are_documents() {
    let (dir, cache) = fixtures_cache();
    let root = dir.path();
    let eml = containers("with_attachments.eml");
    check_outer(&cache, "with_attachments.eml", "email");
    let mail = document(&cache, "with_attachments.eml");
    assert_eq!(mail.title, "Fixture with attachments");
    assert_eq!(mail.text, "Mail body eta\r\n");
    assert_eq!(mail.extra["message-id"], "attachments.1@fixture.example");
    let notes = mail_attachment(&eml, "notes.txt");
    assert_eq!(notes, b"Attachment text theta\r\n");
    check_member(
        root,
        &cache,
        "with_attachments.eml!/notes.txt",
        "with_attachments.eml",
        "with_attachments.eml",
        &notes,
        "Attachment text theta",
    );
    let docs = mail_attachment(&eml, "docs.zip");
    check_member(
        root,
        &cache,
        "with_attachments.eml!/docs.zip",
        "with_attachments.eml",
        "with_attachments.eml",
        &docs,
        "inner.txt",
    );
    check_member(
        root,
        &cache,
        "with_attachments.eml!/docs.zip!/inner.txt",
        "with_attachments.eml!/docs.zip",
        "with_attachments.eml",
        &zip_member(&docs, "inner.txt"),
        "attached zip text iota",
    );
    let forwarded = document(&cache, "with_attachments.eml!/forwarded.eml");
    assert_eq!(forwarded.kind, "email");
    assert_eq!(forwarded.title, "Forwarded kappa");
    assert_eq!(forwarded.extra["message-id"], "forwarded.1@fixture.example");
    let fwd_bytes = reread(root, forwarded);
    assert!(String::from_utf8_lossy(&fwd_bytes).contains("Subject: Forwarded kappa"));
    check_member(
        root,
        &cache,
        "with_attachments.eml!/forwarded.eml",
        "with_attachments.eml",
        "with_attachments.eml",
        &fwd_bytes,
        "Forwarded body kappa",
    );
    assert!(
        eml.windows(fwd_bytes.len())
            .any(|w| w == fwd_bytes.as_slice()),
        "the forwarded message's bytes are those inside the e-mail"
    );
}

#[test]
fn an_mbox_gives_three_messages_unquoted_with_their_thread_headers() {
    let (dir, cache) = fixtures_cache();
    let mbox = containers("thread.mbox");
    check_outer(&cache, "thread.mbox", "mailbox");
    assert_eq!(document(&cache, "thread.mbox").extra["messages"], "3");
    let messages: Vec<&Document> = cache
        .documents
        .iter()
        .filter(|d| d.parent.as_deref() == Some("thread.mbox"))
        .collect();
    assert_eq!(
        messages.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["thread.mbox#1", "thread.mbox#2", "thread.mbox#3"]
    );
    let bodies = ["Mbox first body", "Mbox second body", "Mbox third body"];
    for (i, (doc, body)) in messages.iter().zip(bodies).enumerate() {
        assert_eq!(doc.path, "thread.mbox");
        assert_eq!(doc.record, Some(i + 1));
        assert_eq!(doc.kind, "email");
        assert!(doc.text.starts_with(body), "{}: {:?}", doc.id, doc.text);
        assert_eq!(
            doc.extra["message-id"],
            format!("thread.{}@fixture.example", i + 1)
        );
        assert_eq!(
            doc.container_sha256.as_deref(),
            Some(sha256_hex(&mbox).as_str())
        );
        let bytes = reread(dir.path(), doc);
        assert_eq!(doc.sha256, sha256_hex(&bytes), "{}", doc.id);
        // Its bytes are the message as stored in the mailbox, `>From ` lines unquoted.
        let stored = String::from_utf8(bytes)
            .expect("UTF-8")
            .replace("\nFrom ", "\n>From ");
        assert!(
            mbox.windows(stored.len()).any(|w| w == stored.as_bytes()),
            "{}: its bytes are a slice of the mailbox",
            doc.id
        );
    }
    assert_eq!(messages[0].title, "Thread start");
    assert!(!messages[0].extra.contains_key("in-reply-to"));
    assert!(!messages[0].extra.contains_key("references"));
    // `>From` is unquoted in the text.
    assert!(
        messages[1]
            .text
            .contains("\nFrom here on the line was quoted in the mbox.\n"),
        "{:?}",
        messages[1].text
    );
    assert!(!messages[1].text.contains(">From"));
    assert_eq!(messages[1].extra["in-reply-to"], "thread.1@fixture.example");
    assert_eq!(messages[1].extra["references"], "thread.1@fixture.example");
    assert!(!messages[2].extra.contains_key("in-reply-to"));
    assert_eq!(
        messages[2].extra["references"],
        "thread.1@fixture.example thread.2@fixture.example"
    );
    // The mailbox lists its messages.
    let listing = &document(&cache, "thread.mbox").text;
    assert!(listing.contains("#2\t") && listing.contains("Re: Thread start"));
}

#[test]
fn office_files_and_html_give_their_body_header_footer_cells_sheets_and_metadata() {
    let (_dir, cache) = fixtures_cache();

    let docx = document(&cache, "letter.docx");
    for phrase in [
        "DOCX heading",
        "DOCX body xi",
        "DOCX last paragraph",
        "DOCX header omicron",
        "DOCX footer pi",
        "DOCX cell rho\tDOCX cell B1\nDOCX cell A2\tDOCX cell B2",
    ] {
        assert!(
            docx.text.contains(phrase),
            "docx lacks {phrase:?}: {:?}",
            docx.text
        );
    }
    assert_eq!(docx.extra["office author"], "Fixture Author");
    assert_eq!(docx.extra["office created"], "2022-06-10T12:00:00Z");
    assert_eq!(docx.sha256, sha256_hex(&containers("letter.docx")));
    assert_eq!(docx.parent, None);

    let odt = document(&cache, "letter.odt");
    for phrase in [
        "ODT heading",
        "ODT body lambda",
        "ODT second paragraph lambda-two",
        "ODT cell A1\tODT cell B1\nODT cell A2\tODT cell B2",
        "ODT header mu",
        "ODT footer mu-two",
    ] {
        assert!(
            odt.text.contains(phrase),
            "odt lacks {phrase:?}: {:?}",
            odt.text
        );
    }
    assert_eq!(odt.extra["office author"], "Fixture Author");

    // Workbooks: one document, a page per sheet (labelled), pages joined by form feeds.
    for (name, labels, text) in [
        (
            "sheet.ods",
            &["Data"][..],
            "ODS header\tNumber\nODS cell nu\t42",
        ),
        (
            "sheet.xlsx",
            &["First", "Second"][..],
            "XLSX cell sigma\t1\u{c}XLSX cell tau\t2",
        ),
        (
            "sheet.xls",
            &["Old"][..],
            "XLS cell upsilon\t3\nXLS second row",
        ),
    ] {
        let doc = document(&cache, name);
        assert_eq!(doc.text, text, "{name}");
        assert_eq!(doc.pages.len(), labels.len(), "{name}: pages");
        assert!(doc.pages.iter().all(|p| p.source == PageSource::Sheet));
        let got: Vec<_> = doc.pages.iter().map(|p| p.label.as_deref()).collect();
        let want: Vec<_> = labels.iter().map(|l| Some(*l)).collect();
        assert_eq!(got, want, "{name}: sheet labels");
        assert_eq!(doc.extra["workbook sheets"], labels.len().to_string());
        assert_eq!(doc.text_source(), "file");
        assert_eq!(doc.sha256, sha256_hex(&containers(name)));
    }
    let xlsx = document(&cache, "sheet.xlsx");
    assert_eq!(xlsx.page_at(17), Some(1));
    assert_eq!(xlsx.page_at(18), Some(2));

    let html = document(&cache, "page.html");
    assert_eq!(html.title, "HTML title phi");
    for phrase in [
        "HTML heading",
        "HTML body chi",
        "Second paragraph & an entity: café.",
    ] {
        assert!(
            html.text.contains(phrase),
            "html lacks {phrase:?}: {:?}",
            html.text
        );
    }
    for hidden in ["HTML script must not show", "HTML style must not show"] {
        assert!(!html.text.contains(hidden), "html shows {hidden:?}");
    }
}

#[test]
fn unreadable_members_damaged_archives_and_deep_nesting_are_reported_with_their_paths() {
    let (_dir, cache) = fixtures_cache();
    let errors: Vec<(&str, &str)> = cache
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.error.as_str()))
        .collect();
    let error_of = |path: &str| {
        errors
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, e)| *e)
            .unwrap_or_else(|| panic!("no error for {path}: {errors:?}"))
    };
    assert_eq!(
        errors.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        [
            "badcrc.zip!/crc.txt",
            "corrupt.zip",
            "nested12.zip!/level1.zip!/level2.zip!/level3.zip!/level4.zip!/level5.zip!/level6.zip",
            "plain.zip!/c.bin",
        ],
        "{errors:?}"
    );
    for (_, e) in &errors {
        assert!(!e.contains('\n'), "one line: {e:?}");
    }

    // An unsupported member.
    assert_eq!(error_of("plain.zip!/c.bin"), "unsupported file type (.bin)");
    assert!(cache.document("plain.zip!/c.bin").is_none());

    // A damaged zip: one error for the file, no document.
    assert!(
        error_of("corrupt.zip").starts_with("not a readable zip archive"),
        "{errors:?}"
    );
    assert!(
        !common::ids(&cache)
            .iter()
            .any(|id| id.starts_with("corrupt.zip"))
    );

    // A CRC mismatch: the member is reported, the container says so.
    assert!(
        error_of("badcrc.zip!/crc.txt").contains("checksum"),
        "{errors:?}"
    );
    assert!(cache.document("badcrc.zip!/crc.txt").is_none());
    let badcrc = document(&cache, "badcrc.zip");
    assert!(
        badcrc.text.starts_with("crc.txt\tnot read: "),
        "{:?}",
        badcrc.text
    );
    assert!(!badcrc.warnings.is_empty());

    // Twelve nested zips: six levels opened, the seventh refused, nothing below.
    let depth = "nested12.zip!/level1.zip!/level2.zip!/level3.zip!/level4.zip!/level5.zip";
    assert_eq!(document(&cache, depth).kind, "archive");
    assert_eq!(
        error_of(&format!("{depth}!/level6.zip")),
        "nested deeper than 6 containers: not opened"
    );
    assert!(document(&cache, depth).text.contains("level6.zip"));
    let nested: Vec<&str> = common::ids(&cache)
        .into_iter()
        .filter(|id| id.starts_with("nested12.zip"))
        .collect();
    assert_eq!(nested.len(), 6, "{nested:?}");
    assert!(!nested.iter().any(|id| id.contains("level6.zip")));
    assert!(
        !cache
            .documents
            .iter()
            .any(|d| d.text.contains("bottom text"))
    );

    // The same limit through parse_file_with, one level lower.
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    let (docs, errs) =
        doctriage::ingest::parse_file_with("nested12.zip", &containers("nested12.zip"), &limits);
    assert_eq!(docs.len(), 3);
    assert_eq!(
        errs.iter()
            .map(|e| (e.path.as_str(), e.error.as_str()))
            .collect::<Vec<_>>(),
        [(
            "nested12.zip!/level1.zip!/level2.zip!/level3.zip",
            "nested deeper than 3 containers: not opened"
        )]
    );
}

#[test]
fn traversal_names_are_escaped_warned_about_and_nothing_is_written_outside() {
    let outer = tempfile::tempdir().expect("tempdir");
    let cache_dir = outer.path().join("a").join("cache");
    common::write(&cache_dir, "traversal.zip", containers("traversal.zip"));
    let escaped_targets = [
        outer.path().join("evil.txt"),
        outer.path().join("a").join("evil.txt"),
        Path::new("/abs/path.txt").to_owned(),
    ];
    for t in &escaped_targets {
        assert!(!t.exists(), "{} exists before the scan", t.display());
    }
    let before = common::snapshot(outer.path());
    let cache = common::scan(&cache_dir);
    common::stdout_ok(&["--no-ocr", "scan", "--json", s(&cache_dir)]);
    common::assert_unchanged(&before, &common::snapshot(outer.path()), "scan");
    for t in &escaped_targets {
        assert!(!t.exists(), "{} was written", t.display());
    }
    let zip = containers("traversal.zip");
    for (id, raw, phrase) in [
        (
            "traversal.zip!/%2E%2E/%2E%2E/evil.txt",
            "../../evil.txt",
            "traversal text gamma",
        ),
        (
            "traversal.zip!/%2Fabs/path.txt",
            "/abs/path.txt",
            "absolute text delta",
        ),
    ] {
        let doc = document(&cache, id);
        assert_eq!(doc.path, id);
        assert_eq!(doc.parent.as_deref(), Some("traversal.zip"));
        assert!(doc.text.contains(phrase));
        assert_eq!(doc.sha256, sha256_hex(&zip_member(&zip, raw)));
    }
    assert_eq!(
        document(&cache, "traversal.zip").warnings,
        [
            "member %2E%2E/%2E%2E/evil.txt has a name that leaves its folder (.. or an absolute path): shown escaped, never used on the disk",
            "member %2Fabs/path.txt has a name that leaves its folder (.. or an absolute path): shown escaped, never used on the disk",
        ]
    );
    assert_eq!(
        doctriage::ingest::escape_member_name("../../evil.txt"),
        ("%2E%2E/%2E%2E/evil.txt".to_owned(), true)
    );
}

/// The peak resident memory of `doctriage ARGS` in KiB (`VmHWM`, read while it runs), and its
/// output.
fn run_measured(args: &[&str]) -> (u64, std::process::Output) {
    // Output to files, so the child never blocks on a full pipe while it is watched.
    let out_dir = tempfile::tempdir().expect("tempdir");
    let (out_path, err_path) = (out_dir.path().join("out"), out_dir.path().join("err"));
    let mut child = Command::new(common::BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("create"))
        .stderr(std::fs::File::create(&err_path).expect("create"))
        .spawn()
        .expect("doctriage runs");
    let status_file = format!("/proc/{}/status", child.id());
    let start = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "scan hangs");
        std::thread::sleep(Duration::from_millis(2));
    };
    let output = std::process::Output {
        status,
        stdout: std::fs::read(&out_path).expect("stdout"),
        stderr: std::fs::read(&err_path).expect("stderr"),
    };
    (peak, output)
}

/// Writes a zip of `(name, size)` zero-filled deflated members and one small text member.
fn zero_zip(path: &Path, members: &[(&str, usize)]) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    let chunk = vec![0u8; 1024 * 1024];
    for (name, size) in members {
        zip.start_file(*name, options).expect("a member");
        for _ in 0..size / chunk.len() {
            zip.write_all(&chunk).expect("write");
        }
    }
    zip.start_file("note.txt", options).expect("a member");
    zip.write_all(b"Bomb neighbour text\n").expect("write");
    zip.finish().expect("finish");
}

/// Sets the uncompressed size that a zip's local and central headers state for `name`.
fn lie_about_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let (size_at, name_at) = match &zip[i..i + 4] {
            b"PK\x03\x04" => (22, 30),
            b"PK\x01\x02" => (24, 46),
            _ => continue,
        };
        if zip[i + name_at..].starts_with(name.as_bytes()) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "the local and the central header of {name}");
}

#[test]
fn deflate_bombs_are_refused_for_size_and_ratio_with_bounded_memory() {
    const MIB: usize = 1024 * 1024;
    let dir = tempfile::tempdir().expect("tempdir");
    // 300 MiB of zeros (over the member limit), 50 MiB (under it, but about 1000:1).
    zero_zip(
        &dir.path().join("bomb.zip"),
        &[("zeros.txt", 300 * MIB), ("ratio.txt", 50 * MIB)],
    );
    // 300 MiB of zeros whose headers say 1000 bytes.
    let liar = dir.path().join("liar.zip");
    zero_zip(&liar, &[("zeros.txt", 300 * MIB)]);
    let mut bytes = std::fs::read(&liar).unwrap();
    lie_about_size(&mut bytes, "zeros.txt", 1000);
    std::fs::write(&liar, bytes).unwrap();
    for name in ["bomb.zip", "liar.zip"] {
        let size = std::fs::metadata(dir.path().join(name)).unwrap().len();
        assert!(size < 2 * MIB as u64, "{name} is small: {size} bytes");
    }

    let (peak_kib, out) = run_measured(&["--no-ocr", "scan", "--json", s(dir.path())]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let errors: Vec<(&str, &str)> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["error"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        [
            "bomb.zip!/ratio.txt",
            "bomb.zip!/zeros.txt",
            "liar.zip!/zeros.txt"
        ],
        "{errors:?}"
    );
    assert!(
        errors[0].1.starts_with("compression ratio ")
            && errors[0]
                .1
                .ends_with(":1 is over the limit of 100:1 (a zip bomb?)"),
        "a ratio reason: {}",
        errors[0].1
    );
    assert_eq!(
        errors[1].1,
        "300 MiB uncompressed, over the limit of 64 MiB per member"
    );
    // The lie is found while reading, not after inflating all of it.
    assert!(errors[2].1.contains("larger than"), "{}", errors[2].1);
    let ids: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "bomb.zip",
            "bomb.zip!/note.txt",
            "liar.zip",
            "liar.zip!/note.txt"
        ]
    );
    eprintln!("peak memory of the scan: {} MiB", peak_kib / 1024);
    assert!(
        peak_kib > 0 && peak_kib < 200 * 1024,
        "peak memory {} MiB",
        peak_kib / 1024
    );

    // The container's own text says what was not read, and why.
    let cache = common::scan(dir.path());
    let text = &document(&cache, "bomb.zip").text;
    for (name, reason) in [
        ("zeros.txt", "per member"),
        ("ratio.txt", "compression ratio"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{name}\tnot read: ")) && l.contains(reason)),
            "{name}: {text:?}"
        );
    }
}

/// `doctriage ARGS --json` (after the arguments) parsed.
fn json_of(args: &[&str]) -> Value {
    let out = common::stdout_ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

const PDF: &str = "emails/attachment_2022_06_10_passport_0042.eml!/export_passport_0042.pdf";
const EML: &str = "emails/attachment_2022_06_10_passport_0042.eml";
const QUOTE: &str = "Consignment EP-2022-0042 cleared for air transport";

#[test]
fn scan_json_of_the_sample_cache_names_every_member_s_parent_and_container_hash() {
    let sample = common::sample();
    let v = json_of(&["--no-ocr", "scan", "--json", s(&sample)]);
    let docs = v["documents"].as_array().expect("documents");
    let by_id = |id: &str| {
        docs.iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let sha_of = |rel: &str| sha256_hex(&std::fs::read(sample.join(rel)).expect("a file"));
    let zip = "archive/bundle_2020_10.zip";
    let mbox = "mail/export_desk.mbox";
    for (id, parent, outer) in [
        (format!("{zip}!/README.txt"), zip, zip),
        (
            format!("{zip}!/letters/letter_2020_10_20_groza_delivery.docx"),
            zip,
            zip,
        ),
        (format!("{zip}!/tables/shipments_2020.xlsx"), zip, zip),
        (PDF.to_owned(), EML, EML),
        (format!("{mbox}#1"), mbox, mbox),
        (format!("{mbox}#2"), mbox, mbox),
        (format!("{mbox}#3"), mbox, mbox),
        (format!("{mbox}#4"), mbox, mbox),
        (
            format!("{mbox}#2!/schedule.txt"),
            &format!("{mbox}#2"),
            mbox,
        ),
    ] {
        let d = by_id(&id);
        assert_eq!(d["parent"], parent, "{id}");
        assert_eq!(d["container_sha256"], sha_of(outer), "{id}");
    }
    for (id, kind) in [(zip, "archive"), (EML, "email"), (mbox, "mailbox")] {
        let d = by_id(id);
        assert_eq!(d["kind"], kind, "{id}");
        assert_eq!(d["parent"], Value::Null, "{id}");
        assert_eq!(d["container_sha256"], Value::Null, "{id}");
        assert_eq!(d["sha256"], sha_of(id), "{id}");
    }
    assert_eq!(by_id(&format!("{mbox}#3"))["path"], mbox);
    assert_eq!(
        by_id(&format!("{zip}!/tables/shipments_2020.xlsx"))["pages"],
        2
    );
    assert_eq!(by_id(PDF)["pages"], 1);
    assert_eq!(by_id(PDF)["text_source"], "pdf_text");
    // Every parent named is a document of the same output.
    for d in docs {
        if let Some(p) = d["parent"].as_str() {
            by_id(p);
        }
    }
    assert_eq!(v["errors"], serde_json::json!([]));
}

#[test]
fn search_reaches_attachments_and_in_keeps_to_one_archive() {
    let sample = common::sample();
    let hits = |query: &str| -> Vec<String> {
        json_of(&["--no-ocr", "search", "--json", s(&sample), query])["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["doc_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(hits("\"cleared for air transport\""), [PDF]);
    let zip = "archive/bundle_2020_10.zip";
    let in_zip = hits(&format!("in:{zip} groza"));
    assert!(
        in_zip.contains(&format!(
            "{zip}!/letters/letter_2020_10_20_groza_delivery.docx"
        )),
        "{in_zip:?}"
    );
    assert!(
        in_zip.iter().all(|id| id.starts_with(&format!("{zip}!/"))),
        "only members of the archive: {in_zip:?}"
    );
    // Loose files match groza too, which in: left out.
    let all = hits("groza");
    assert!(all.iter().any(|id| !id.contains('!')), "{all:?}");
    assert_eq!(hits(&format!("parent:{EML}")), [PDF]);
    // The text output names the member too.
    let text = common::stdout_ok(&[
        "--no-ocr",
        "search",
        s(&sample),
        "\"cleared for air transport\"",
    ]);
    assert!(text.starts_with(PDF), "{text}");
}

/// A session over the sample cache where the PDF attached to an e-mail is linked, with a
/// quote, to the statement about Minsk: (its folder, the session, the statement's id).
fn linked_session() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let sample = common::sample();
    let dir = tempfile::tempdir().expect("tempdir");
    let session = dir.path().join("session.json");
    common::stdout_ok(&[
        "--no-ocr",
        "--analyst",
        "tester",
        "session",
        "new",
        "--cache",
        s(&sample),
        "--out",
        s(&session),
    ]);
    let statements = json_of(&["statements", "--json", s(&sample.join("article.md"))]);
    let st = statements["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|st| st["text"].as_str().is_some_and(|t| t.contains("Minsk")))
        .expect("a statement about Minsk")["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    common::stdout_ok(&[
        "--no-ocr",
        "--analyst",
        "tester",
        "link",
        s(&session),
        PDF,
        &st,
        "--relation",
        "supports",
        "--quote",
        QUOTE,
    ]);
    (dir, session, st)
}

#[test]
fn a_quote_inside_an_e_mail_attachment_is_exported_with_its_hash_parent_and_container_hash() {
    let (dir, session, st) = linked_session();
    let sample = common::sample();
    let eml_bytes = std::fs::read(sample.join(EML)).expect("the e-mail");
    let pdf_bytes = mail_attachment(&eml_bytes, "export_passport_0042.pdf");
    let findings = dir.path().join("findings.json");
    common::stdout_ok(&[
        "--no-ocr",
        "export",
        s(&session),
        "--out",
        s(&findings),
        "--format",
        "json",
    ]);
    let f: Value = serde_json::from_slice(&std::fs::read(&findings).unwrap()).unwrap();
    assert_eq!(f["schema"], "doctriage.findings/4");
    let statement = f["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == st.as_str())
        .expect("the statement");
    assert_eq!(statement["status"], "supported");
    let evidence = statement["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1);
    let e = &evidence[0];
    assert!(pdf_bytes.starts_with(b"%PDF"));
    assert_eq!(e["document"], PDF);
    assert_eq!(e["sha256"], sha256_hex(&pdf_bytes));
    assert_eq!(e["container_sha256"], sha256_hex(&eml_bytes));
    assert_eq!(e["parent"], EML);
    assert_eq!(e["page"], 1);
    assert_eq!(e["quote"], QUOTE);
    assert_eq!(e["relation"], "supports");
    // The offsets are those of the quote in the member's text.
    let cache = doctriage::ingest::scan(&sample).expect("the sample scans");
    let (start, end) = common::char_span(&document(&cache, PDF).text, QUOTE);
    assert_eq!(
        (e["start"].as_u64(), e["end"].as_u64()),
        (Some(start as u64), Some(end as u64))
    );
    common::validate_against_schema("findings.schema.json", &findings);
    assert_eq!(e["by"], "tester");
}

#[test]
fn the_csv_export_of_a_reviewed_attachment_names_its_parent_and_container_hash() {
    let (dir, session, _) = linked_session();
    let eml_bytes = std::fs::read(common::sample().join(EML)).expect("the e-mail");
    common::stdout_ok(&[
        "--no-ocr",
        "--analyst",
        "tester",
        "tag",
        s(&session),
        PDF,
        "--status",
        "relevant",
    ]);
    let csv_path = dir.path().join("findings.csv");
    common::stdout_ok(&[
        "--no-ocr",
        "export",
        s(&session),
        "--out",
        s(&csv_path),
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_path(&csv_path).expect("a CSV");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {headers:?}"))
    };
    let (id, parent, outer) = (column("id"), column("parent"), column("container_sha256"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let row = rows
        .iter()
        .find(|r| &r[id] == PDF)
        .unwrap_or_else(|| panic!("no row for the PDF: {rows:?}"));
    assert_eq!(&row[parent], EML);
    assert_eq!(&row[outer], sha256_hex(&eml_bytes));
}

#[test]
fn the_ftm_export_of_a_quoted_attachment_names_its_email_as_parent_and_validates() {
    let (dir, session, _) = linked_session();
    let sample = common::sample();
    let eml_bytes = std::fs::read(sample.join(EML)).expect("the e-mail");
    let pdf_bytes = mail_attachment(&eml_bytes, "export_passport_0042.pdf");
    // FtM: the PDF's entity names the Email entity of the same stream as its parent.
    let ftm = dir.path().join("findings.ftm.jsonl");
    common::stdout_ok(&[
        "--no-ocr",
        "export",
        s(&session),
        "--out",
        s(&ftm),
        "--format",
        "ftm",
    ]);
    let entities: Vec<Value> = std::fs::read_to_string(&ftm)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("an entity per line"))
        .collect();
    let by_hash = |hash: &str| {
        entities
            .iter()
            .find(|e| e["properties"]["contentHash"][0] == hash)
            .unwrap_or_else(|| panic!("no entity with contentHash {hash}"))
    };
    let pdf_entity = by_hash(&sha256_hex(&pdf_bytes));
    let email_entity = by_hash(&sha256_hex(&eml_bytes));
    assert_eq!(email_entity["schema"], "Email");
    assert_eq!(
        email_entity["properties"]["fileName"][0],
        "attachment_2022_06_10_passport_0042.eml"
    );
    assert_eq!(pdf_entity["properties"]["parent"][0], email_entity["id"]);
    assert_eq!(
        pdf_entity["properties"]["fileName"][0],
        "export_passport_0042.pdf"
    );
    if common::require_tool("ftm") {
        let checked = dir.path().join("checked.ftm.jsonl");
        let status = Command::new("ftm")
            .args(["validate", "-i", s(&ftm), "-o", s(&checked)])
            .status()
            .expect("ftm runs");
        assert!(status.success(), "ftm validate failed");
        let kept = std::fs::read_to_string(&checked).unwrap();
        assert_eq!(
            kept.lines().count(),
            entities.len(),
            "ftm kept every entity"
        );
        assert!(kept.contains("\"Email\""));
    }
}

#[test]
fn a_mime_message_without_envelope_headers_is_read_and_plain_words_are_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(
        dir.path(),
        "part.eml",
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\np=C3=A4iv=C3=A4=C3=A4, a MIME part saved alone\r\n",
    );
    common::write(
        dir.path(),
        "words.eml",
        "just some words, no headers at all\n",
    );
    let cache = common::scan(dir.path());
    let part = document(&cache, "part.eml");
    assert_eq!(part.kind, "email");
    assert_eq!(part.text.trim_end(), "päivää, a MIME part saved alone");
    assert_eq!(
        cache
            .errors
            .iter()
            .map(|e| (e.path.as_str(), e.error.as_str()))
            .collect::<Vec<_>>(),
        [("words.eml", "not an e-mail message")]
    );
}

#[test]
fn scanning_containers_leaves_every_file_of_the_cache_as_it_was() {
    let outer = tempfile::tempdir().expect("tempdir");
    let cache_dir = outer.path().join("cache");
    copy_fixtures(&cache_dir);
    // A copy of the sample's attachment too: a PDF unpacked in memory.
    common::write(
        &cache_dir,
        "mail/passport.eml",
        std::fs::read(common::sample().join(EML)).unwrap(),
    );
    let before = common::snapshot(outer.path());

    let cache = common::scan(&cache_dir);
    assert!(
        cache
            .document("mail/passport.eml!/export_passport_0042.pdf")
            .is_some()
    );
    for doc in cache.documents.iter().filter(|d| d.parent.is_some()) {
        reread(&cache_dir, doc);
    }
    common::assert_unchanged(&before, &common::snapshot(outer.path()), "library scan");

    common::stdout_ok(&["--no-ocr", "scan", "--json", s(&cache_dir)]);
    common::stdout_ok(&["--no-ocr", "search", s(&cache_dir), "in:plain.zip alpha"]);
    common::stdout_ok(&[
        "--no-ocr",
        "text",
        s(&cache_dir),
        "with_attachments.eml!/docs.zip!/inner.txt",
    ]);
    common::assert_unchanged(&before, &common::snapshot(outer.path()), "command line");
}
