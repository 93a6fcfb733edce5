//! Integration tests of reading a cache folder: formats, encodings, ids, duplicates, errors,
//! symlinks, limits, cancellation and progress events.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::{assert_unchanged, document as doc, snapshot};
use doctriage::ingest::{self, IngestError, ScanEvent, ScanOptions};
use doctriage::{Cache, Document, Origin};

/// The fixture cache: every format, encoding and kind of bad file a scan meets.
fn fixture_root() -> PathBuf {
    common::fixture("ingest/cache")
}

fn fixture() -> Cache {
    common::scan(&fixture_root())
}

fn errors_of<'a>(cache: &'a Cache, path: &str) -> Vec<&'a str> {
    cache
        .errors
        .iter()
        .filter(|e| e.path == path)
        .map(|e| e.error.as_str())
        .collect()
}

#[test]
fn json_object_fields_extra_and_metadata_origin() {
    let cache = fixture();
    let d = doc(&cache, "NOTE-7");
    assert_eq!(d.path, "records/note.json");
    assert_eq!(d.record, None);
    assert_eq!(d.kind, "diplomatic_note");
    assert_eq!(d.title, "Note on deliveries");
    assert_eq!(d.date.as_deref(), Some("2019-03-14"));
    assert_eq!(d.sender.as_deref(), Some("Embassy of Belarus in Baku"));
    assert_eq!(d.recipient.as_deref(), Some("MFA Azerbaijan"));
    assert_eq!(d.language.as_deref(), Some("ru"));
    assert_eq!(
        d.reference.as_deref(),
        Some("12345"),
        "a number is stringified"
    );
    assert_eq!(d.text, "The Embassy presents its compliments.");
    assert_eq!(d.meta_origin, Some(Origin::Metadata));
    assert_eq!(
        d.extra.get("classification").map(String::as_str),
        Some("secret")
    );
    assert_eq!(d.extra.get("pages").map(String::as_str), Some("3"));
    assert_eq!(
        d.extra.get("tags").map(String::as_str),
        Some(r#"["a","b"]"#)
    );
    assert_eq!(d.encoding, "UTF-8");
    let bytes = std::fs::read(fixture_root().join("records/note.json")).expect("fixture");
    assert_eq!(d.sha256, doctriage::sha256_hex(&bytes));
    assert_eq!(d.file_size, bytes.len() as u64);
}

#[test]
fn unknown_kind_kept_and_default_other_without_metadata() {
    let cache = fixture();
    let d = doc(&cache, "records/unknown_kind.json");
    assert_eq!(d.kind, "shipping manifest");
    assert_eq!(d.meta_origin, None);
    assert_eq!(
        d.title, "Crates of spare parts.",
        "title falls back to the first line"
    );
    let third = doc(&cache, "records/batch.json#3");
    assert_eq!(third.kind, "other");
}

#[test]
fn json_array_ids_and_record_numbers() {
    let cache = fixture();
    let first = doc(&cache, "INV-1");
    assert_eq!(
        (first.path.as_str(), first.record),
        ("records/batch.json", Some(1))
    );
    let second = doc(&cache, "records/batch.json#2");
    assert_eq!(second.record, Some(2));
    assert_eq!(second.text, "Invoice two.");
    assert_eq!(second.kind, "invoice");
    assert_eq!(
        doc(&cache, "records/batch.json#3").text,
        "Third record, no kind."
    );
    assert!(first.duplicate_of.is_none() && second.duplicate_of.is_none());
}

#[test]
fn jsonl_bad_lines_reported_others_kept() {
    let cache = fixture();
    let feed: Vec<&Document> = cache
        .documents
        .iter()
        .filter(|d| d.path == "records/feed.jsonl")
        .collect();
    let ids: Vec<&str> = feed.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        ["FEED-A", "records/feed.jsonl#2", "records/feed.jsonl#5"]
    );
    assert_eq!(doc(&cache, "records/feed.jsonl#2").text, "Second memo.");
    let errors = errors_of(&cache, "records/feed.jsonl");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("line 4: invalid JSON"), "{errors:?}");
    assert_eq!(errors[1], "line 5: field `text` must be a string");
}

#[test]
fn txt_with_key_value_header() {
    let cache = fixture();
    let d = doc(&cache, "letters/header.txt");
    assert_eq!(d.title, "Delivery of R-934B");
    assert_eq!(d.date.as_deref(), Some("14.03.2019"));
    assert_eq!(d.sender.as_deref(), Some("JSC Beltechexport"));
    assert_eq!(
        d.recipient.as_deref(),
        Some("Ministry of Defence Industry of Azerbaijan")
    );
    assert_eq!(d.kind, "letter");
    assert_eq!(d.reference.as_deref(), Some("BTE-19/114"));
    assert_eq!(d.language.as_deref(), Some("ru"));
    assert_eq!(d.meta_origin, Some(Origin::Header));
    assert_eq!(d.text, "Dear colleagues,\nwe confirm the shipment.\n");
}

#[test]
fn txt_without_header_is_all_body() {
    let cache = fixture();
    // A block with one unrecognised key is not a header.
    let d = doc(&cache, "letters/plain.txt");
    assert_eq!(d.date, None);
    assert_eq!(d.meta_origin, None);
    assert_eq!(d.kind, "other");
    assert_eq!(
        d.text,
        "Subject: not a recognised key\nDate: 2019-01-01\n\nBody continues here.\n"
    );
    assert_eq!(d.title, "Subject: not a recognised key");
    let d2 = doc(&cache, "letters/plain2.txt");
    assert_eq!(d2.title, "Minsk, 2 April 2020");
    assert!(d2.text.starts_with("Minsk, 2 April 2020\n"));
}

#[test]
fn md_with_front_matter() {
    let cache = fixture();
    let d = doc(&cache, "letters/front.md");
    assert_eq!(d.title, "Export passport 7/2020");
    assert_eq!(d.date.as_deref(), Some("2020-07-01"));
    assert_eq!(
        d.sender.as_deref(),
        Some("State Authority for Military Industry")
    );
    assert_eq!(d.kind, "export_passport");
    assert_eq!(
        d.extra.get("security").map(String::as_str),
        Some("confidential")
    );
    assert_eq!(d.meta_origin, Some(Origin::Header));
    assert_eq!(d.text, "# Heading\n\nPassport body text.\n");
}

#[test]
fn eml_plain() {
    let cache = fixture();
    let d = doc(&cache, "mail/plain.eml");
    assert_eq!(d.kind, "email");
    assert_eq!(d.title, "Shipment schedule");
    assert_eq!(
        d.sender.as_deref(),
        Some("Ivan Petrov <ivan.petrov@example.by>")
    );
    assert_eq!(d.recipient.as_deref(), Some("orders@example.az"));
    assert_eq!(d.date.as_deref(), Some("Thu, 14 Mar 2019 10:12:00 +0300"));
    assert_eq!(d.meta_origin, Some(Origin::Metadata));
    assert!(
        d.text.contains("The shipment leaves Minsk on 20 March."),
        "{:?}",
        d.text
    );
    assert!(d.attachments.is_empty());
}

#[test]
fn eml_multipart_quoted_printable() {
    let cache = fixture();
    let d = doc(&cache, "mail/multipart_qp.eml");
    assert_eq!(d.title, "Поставка", "RFC 2047 subject decoded");
    assert_eq!(d.sender.as_deref(), Some("Olga K. <olga@example.by>"));
    assert_eq!(
        d.recipient.as_deref(),
        Some("Buyer <buyer@example.az>, second@example.az")
    );
    assert!(d.text.contains("Crème of the crop"), "{:?}", d.text);
    assert!(
        d.text.contains("with a soft break"),
        "soft line break joined: {:?}",
        d.text
    );
    assert!(
        !d.text.contains("HTML version"),
        "the text/plain alternative is used"
    );
}

#[test]
fn eml_html_only_base64() {
    let cache = fixture();
    let d = doc(&cache, "mail/html_only.eml");
    assert_eq!(d.sender.as_deref(), Some("noreply@example.az"));
    assert_eq!(d.recipient.as_deref(), Some("Sales <sales@example.by>"));
    assert_eq!(
        d.text,
        "Dear partner,\n\nContract & annex №5 signed.\nDelivery in May."
    );
}

#[test]
fn eml_with_attachment() {
    let cache = fixture();
    let d = doc(&cache, "mail/attachment.eml");
    assert_eq!(d.attachments, ["invoice_55.pdf"]);
    assert!(d.text.contains("Please find the invoice attached."));
    assert!(!d.text.contains("PDF"));
    assert_eq!(d.date.as_deref(), Some("Wed, 10 Jun 2020 08:30:00 +0300"));
}

#[test]
fn encodings_detected_and_decoded() {
    let cache = fixture();
    let expected = "Письмо о поставке оборудования. Государственный военно-промышленный комитет";
    for (path, encoding) in [
        ("encodings/cp1251.txt", "windows-1251"),
        ("encodings/koi8r.txt", "KOI8-R"),
        ("encodings/utf16le.txt", "UTF-16LE"),
        ("encodings/utf16be.txt", "UTF-16BE"),
        ("encodings/utf8bom.txt", "UTF-8"),
    ] {
        let d = doc(&cache, path);
        assert_eq!(d.encoding, encoding, "{path}");
        assert!(d.text.starts_with(expected), "{path}: {:?}", d.text);
        assert!(!d.text.starts_with('\u{feff}'), "{path}: BOM stripped");
    }
    let w = doc(&cache, "encodings/cp1252.txt");
    assert_eq!(w.encoding, "windows-1252");
    assert!(
        w.text
            .starts_with("Le ministère a confirmé la livraison à Bakou. Señor García"),
        "{:?}",
        w.text
    );
    let j = doc(&cache, "U16");
    assert_eq!(
        (j.encoding.as_str(), j.text.as_str()),
        ("UTF-16LE", "Привет из UTF-16")
    );
}

#[test]
fn decode_function_names_encodings() {
    assert_eq!(ingest::decode(b"plain"), ("plain".to_owned(), "UTF-8"));
    assert_eq!(
        ingest::decode(b"\xEF\xBB\xBFbom"),
        ("bom".to_owned(), "UTF-8")
    );
    assert_eq!(
        ingest::decode(b"\xFF\xFEa\x00b\x00"),
        ("ab".to_owned(), "UTF-16LE")
    );
    assert_eq!(
        ingest::decode(b"\xFE\xFF\x00a\x00b"),
        ("ab".to_owned(), "UTF-16BE")
    );
}

#[test]
fn duplicates_flagged_by_bytes() {
    let cache = fixture();
    assert_eq!(doc(&cache, "letters/dup_a.txt").duplicate_of, None);
    assert_eq!(
        doc(&cache, "letters/dup_b.txt").duplicate_of.as_deref(),
        Some("letters/dup_a.txt")
    );
    let flagged: Vec<&str> = cache
        .documents
        .iter()
        .filter(|d| d.duplicate_of.is_some())
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(flagged, ["letters/dup_b.txt"]);
}

#[test]
fn duplicate_id_across_files_reported() {
    let cache = fixture();
    assert_eq!(doc(&cache, "NOTE-7").path, "records/note.json");
    assert!(
        !cache
            .documents
            .iter()
            .any(|d| d.path == "records/zz_dupid.json")
    );
    assert_eq!(
        errors_of(&cache, "records/zz_dupid.json"),
        ["duplicate id NOTE-7 (first in records/note.json)"]
    );
}

#[test]
fn bad_files_reported_scan_goes_on() {
    let cache = fixture();
    // A PDF poppler cannot read (or, without poppler, cannot be read at all) says why.
    let pdf = errors_of(&cache, "misc/scan.pdf");
    assert!(
        pdf.len() == 1
            && (pdf[0].starts_with("pdftotext could not read it:")
                || pdf[0] == "pdftotext is not installed (Debian package poppler-utils)"),
        "{pdf:?}"
    );
    assert_eq!(
        errors_of(&cache, "misc/blob.txt"),
        ["binary data, not text"]
    );
    assert_eq!(
        errors_of(&cache, "misc/empty.eml"),
        ["not an e-mail message"]
    );
    assert_eq!(
        errors_of(&cache, "misc/garbled.eml"),
        ["not an e-mail message"]
    );
    assert_eq!(
        errors_of(&cache, "records/number_text.json"),
        ["field `text` must be a string"]
    );
    let truncated = errors_of(&cache, "records/truncated.json");
    assert!(
        truncated.len() == 1 && truncated[0].starts_with("invalid JSON: EOF while parsing"),
        "{truncated:?}"
    );
    let deep = errors_of(&cache, "records/deep.json");
    assert!(
        deep.len() == 1 && deep[0].contains("recursion limit"),
        "{deep:?}"
    );
    for e in &cache.errors {
        assert!(!e.error.contains('\n'), "one-line reasons: {e:?}");
    }
    let mut sorted = cache.errors.clone();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(sorted, cache.errors, "errors sorted by path");
    // The e-mail's attachment is read as a member: its bytes are no PDF, and the member says so.
    let member = errors_of(&cache, "mail/attachment.eml!/invoice_55.pdf");
    assert!(
        member.len() == 1 && member[0].starts_with("pdftotext could not read it"),
        "{member:?}"
    );
    assert_eq!(cache.documents.len(), 25);
    assert_eq!(cache.errors.len(), 11, "{:#?}", cache.errors);
}

#[test]
fn article_and_gazetteer_are_not_documents_hidden_skipped() {
    let cache = fixture();
    let (path, article) = cache.article.as_ref().expect("article found");
    assert_eq!(path, "article.md");
    let bytes = std::fs::read(fixture_root().join("article.md")).expect("fixture");
    assert_eq!(article.sha256, doctriage::sha256_hex(&bytes));
    assert!(article.text.contains("Belarús suministró"));
    assert!(
        cache
            .gazetteer
            .equipment
            .iter()
            .any(|e| e.name == "Test Jammer X")
    );
    assert!(
        cache
            .gazetteer
            .organisations
            .iter()
            .any(|e| e.name == "Fixture Trading LLC")
    );
    for d in &cache.documents {
        assert!(
            d.path != "article.md" && d.path != "gazetteer.json",
            "{}",
            d.path
        );
        assert!(
            !d.path.split('/').any(|part| part.starts_with('.')),
            "hidden read: {}",
            d.path
        );
    }
    assert!(!cache.errors.iter().any(|e| e.path.contains(".hidden")));
}

#[test]
fn documents_sorted_by_path_then_record() {
    let cache = fixture();
    let keys: Vec<(String, Option<usize>)> = cache
        .documents
        .iter()
        .map(|d| (d.path.clone(), d.record))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn cache_folder_unchanged_after_scan() {
    let root = fixture_root();
    let before = snapshot(&root);
    let _ = fixture();
    assert_unchanged(&before, &snapshot(&root), "after a scan");
}

#[test]
fn batch_events_sum_to_document_count() {
    let listed = Mutex::new(None);
    let docs = Mutex::new(0usize);
    let errors = Mutex::new(0usize);
    let last_done = Mutex::new((0usize, 0usize));
    let on_event = |event: ScanEvent| match event {
        ScanEvent::Listed { files } => *listed.lock().expect("lock") = Some(files),
        ScanEvent::Batch {
            documents,
            errors: errs,
            done,
            total,
        } => {
            assert!(listed.lock().expect("lock").is_some(), "Listed comes first");
            *docs.lock().expect("lock") += documents.len();
            *errors.lock().expect("lock") += errs.len();
            *last_done.lock().expect("lock") = (done, total);
        }
    };
    let cache =
        ingest::scan_with(&fixture_root(), &ScanOptions::default(), &on_event).expect("scan");
    assert_eq!(*docs.lock().expect("lock"), cache.documents.len());
    assert_eq!(*errors.lock().expect("lock"), cache.errors.len());
    let files = listed.lock().expect("lock").expect("listed");
    assert_eq!(*last_done.lock().expect("lock"), (files, files));
}

#[test]
fn many_files_come_in_several_batches() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..600 {
        std::fs::write(
            dir.path().join(format!("n{i:04}.txt")),
            format!("note number {i}\n"),
        )
        .expect("write");
    }
    let batches = Mutex::new(Vec::new());
    let cache = ingest::scan_with(dir.path(), &ScanOptions::default(), &|e| {
        if let ScanEvent::Batch {
            documents, done, ..
        } = e
        {
            batches.lock().expect("lock").push((documents.len(), done));
        }
    })
    .expect("scan");
    let batches = batches.into_inner().expect("lock");
    assert!(batches.len() >= 3, "{batches:?}");
    assert_eq!(batches.iter().map(|b| b.0).sum::<usize>(), 600);
    assert_eq!(cache.documents.len(), 600);
    assert_eq!(cache.documents[0].id, "n0000.txt");
    assert_eq!(cache.documents[599].text, "note number 599\n");
}

#[test]
fn cancel_flag_returns_cancelled() {
    let flag = Arc::new(AtomicBool::new(true));
    let opts = ScanOptions {
        cancel: Some(flag.clone()),
        ..ScanOptions::default()
    };
    assert!(matches!(
        ingest::scan_with(&fixture_root(), &opts, &|_| {}),
        Err(IngestError::Cancelled)
    ));
    // Cancelled while running: set on the first event.
    flag.store(false, Ordering::SeqCst);
    let result = ingest::scan_with(&fixture_root(), &opts, &|_| {
        flag.store(true, Ordering::SeqCst)
    });
    assert!(matches!(result, Err(IngestError::Cancelled)));
}

#[test]
fn not_a_folder() {
    let file = fixture_root().join("records/note.json");
    let err = ingest::scan(&file).expect_err("a file is not a folder");
    assert!(matches!(err, IngestError::NotADirectory(_)));
    assert_eq!(err.to_string(), format!("not a folder: {}", file.display()));
    assert!(matches!(
        ingest::scan(Path::new("/nonexistent/doctriage")),
        Err(IngestError::NotADirectory(_))
    ));
}

#[cfg(unix)]
#[test]
fn symlinks_inside_read_outside_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "outside text\n").expect("write");
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("real.txt"), "inside text\n").expect("write");
    std::fs::create_dir(root.join("sub")).expect("mkdir");
    symlink(root.join("real.txt"), root.join("link_in.txt")).expect("symlink");
    symlink(outside.path().join("secret.txt"), root.join("link_out.txt")).expect("symlink");
    symlink(outside.path(), root.join("link_out_dir")).expect("symlink");
    symlink(root, root.join("sub/loop_dir")).expect("symlink");
    symlink(root.join("self.txt"), root.join("self.txt")).expect("symlink");
    symlink(root.join("missing.txt"), root.join("broken.txt")).expect("symlink");
    let before = snapshot(root);
    let cache = ingest::scan(root).expect("scan");
    assert_unchanged(&before, &snapshot(root), "nothing written");
    let ids: Vec<&str> = cache.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["link_in.txt", "real.txt"]);
    assert_eq!(doc(&cache, "link_in.txt").text, "inside text\n");
    assert_eq!(
        doc(&cache, "real.txt").duplicate_of.as_deref(),
        Some("link_in.txt")
    );
    assert_eq!(
        errors_of(&cache, "link_out.txt"),
        ["symlink points outside the cache"]
    );
    assert_eq!(
        errors_of(&cache, "link_out_dir"),
        ["symlink points outside the cache"]
    );
    assert_eq!(
        errors_of(&cache, "sub/loop_dir"),
        ["symlink to a folder, not followed"]
    );
    assert_eq!(
        errors_of(&cache, "self.txt"),
        ["symlink loop, not followed"]
    );
    assert_eq!(errors_of(&cache, "broken.txt"), ["broken symlink"]);
    assert!(!cache.documents.iter().any(|d| d.text.contains("outside")));
}

#[cfg(unix)]
#[test]
fn unreadable_file_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let locked = dir.path().join("locked.txt");
    std::fs::write(&locked, "locked text\n").expect("write");
    std::fs::write(dir.path().join("open.txt"), "open text\n").expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let really_locked = std::fs::read(&locked).is_err(); // root reads anyway
    let cache = ingest::scan(dir.path()).expect("scan");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).expect("chmod back");
    assert!(cache.document("open.txt").is_some());
    if really_locked {
        assert_eq!(errors_of(&cache, "locked.txt"), ["permission denied"]);
        assert!(cache.document("locked.txt").is_none());
    } else {
        assert!(
            cache.document("locked.txt").is_some(),
            "running as root: the file is readable"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_name_read_with_lossy_path() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.txt");
    std::fs::write(dir.path().join(name), "name is latin-1\n").expect("write");
    let cache = ingest::scan(dir.path()).expect("scan");
    assert_eq!(cache.documents.len(), 1);
    let d = &cache.documents[0];
    assert_eq!(d.path, "caf\u{FFFD}.txt");
    assert_eq!(d.text, "name is latin-1\n");
    assert!(
        d.warnings.iter().any(|w| w.contains("not valid UTF-8")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn big_file_truncated_with_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "x".repeat(3000);
    std::fs::write(dir.path().join("big.txt"), &body).expect("write");
    std::fs::write(
        dir.path().join("big.json"),
        format!(r#"{{"text":"{body}"}}"#),
    )
    .expect("write");
    let opts = ScanOptions {
        max_document_bytes: 1024,
        ..ScanOptions::default()
    };
    let cache = ingest::scan_with(dir.path(), &opts, &|_| {}).expect("scan");
    let d = doc(&cache, "big.txt");
    assert_eq!(d.text.len(), 1024);
    assert_eq!(d.file_size, 3000);
    assert_eq!(d.sha256, doctriage::sha256_hex(&body.as_bytes()[..1024]));
    assert_eq!(d.warnings.len(), 1);
    assert!(
        d.warnings[0].starts_with("truncated at 1 KiB of 2.9 KiB"),
        "{:?}",
        d.warnings
    );
    assert!(d.warnings[0].contains("SHA-256"));
    let errs = errors_of(&cache, "big.json");
    assert!(
        errs.len() == 1 && errs[0].contains("truncated at 1 KiB"),
        "{errs:?}"
    );
}

#[test]
fn parse_file_without_io() {
    let docs = ingest::parse_file("a/b.json", br#"[{"text":"one"},{"text":"two","id":"X"}]"#)
        .expect("parses");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "a/b.json#1");
    assert_eq!(docs[0].path, "a/b.json");
    assert_eq!(docs[1].id, "X");
    assert_eq!(docs[1].record, Some(2));
    assert_eq!(docs[0].encoding, "UTF-8");
    assert!(
        ingest::parse_file("x.json", br#"{"id":"A"}"#)
            .expect_err("no text")
            .contains("missing field `text`")
    );
    assert!(
        ingest::parse_file("x.doc", b"hello")
            .expect_err("unsupported")
            .contains("unsupported file type (.doc)")
    );
    assert_eq!(
        ingest::parse_file("x.txt", b"").expect_err("empty"),
        "empty file"
    );
    // Nothing panics on odd inputs.
    for bytes in [
        &b"\xFF\xFE\x00"[..],
        b"---\n",
        b"---\n---\n",
        b"Title:",
        b"\r\n\r\n",
        b"{",
        b"[[[]]]",
        b"\xC3",
    ] {
        for name in ["f.json", "f.jsonl", "f.txt", "f.md", "f.eml"] {
            let _ = ingest::parse_file(name, bytes);
        }
    }
    let deep = "[".repeat(10_000);
    assert!(ingest::parse_file("deep.json", deep.as_bytes()).is_err());
    let deep_obj = "{\"a\":".repeat(10_000);
    assert!(ingest::parse_file("deep.jsonl", deep_obj.as_bytes()).is_err());
}

#[test]
fn many_bad_lines_are_capped() {
    let mut jsonl = String::from("{\"text\":\"good\"}\n");
    for _ in 0..500 {
        jsonl.push_str("not json\n");
    }
    let (docs, errors) = ingest::parse_file_detailed("big.jsonl", jsonl.as_bytes());
    assert_eq!(docs.len(), 1);
    assert_eq!(errors.len(), 51);
    assert_eq!(
        errors[0],
        "line 2: invalid JSON: expected ident at column 2"
    );
    assert_eq!(errors[50], "... and 450 more bad records");
    // Entities far from any `;` do not make decoding slow or wrong.
    let html = format!("<p>{}x;</p>", "&".repeat(20_000));
    assert_eq!(ingest::html_to_text(&html).len(), 20_002);
}

#[test]
fn html_reduced_to_text() {
    let text = ingest::html_to_text(
        "<p>One &lt;two&gt;</p><!-- gone --><p>Three<br/>Four &#x41;</p><style>x{}</style>",
    );
    assert_eq!(text, "One <two>\n\nThree\nFour A");
}

#[test]
fn scan_sample_cache() {
    let cache = ingest::scan(&doctriage::sample_cache_dir()).expect("sample cache scans");
    assert!(
        cache.documents.len() >= 40,
        "{} documents",
        cache.documents.len()
    );
    assert!(cache.errors.is_empty(), "{:#?}", cache.errors);
    assert!(cache.article.is_some());
}

#[test]
fn readme_at_the_root_is_documentation_not_a_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# About this cache\n\nWhat the files are.\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("sub/README.md"),
        "A readme found among the records.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("letter.txt"), "Title: A letter\n\nBody.\n").unwrap();
    let cache = doctriage::ingest::scan(dir.path()).unwrap();
    let paths: Vec<&str> = cache.documents.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["letter.txt", "sub/README.md"]);
    assert!(cache.errors.is_empty(), "{:?}", cache.errors);
}
