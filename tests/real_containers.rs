//! Real mail and office files no one here wrote, fetched by `scripts/fetch_real_files.sh` into
//! `containers/<kind>/` (msg_parser's Outlook messages, mail-parser's e-mails, perceval's
//! mailboxes, python-docx's and odfpy's test documents, readxl's workbooks): each one read on
//! its own as a scan reads it, and what it gives checked against what the file holds.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use doctriage::ingest::{Limits, parse_file_with};
use doctriage::{Document, PageSource, ScanError};

/// The folder the fetch script fills; `None` (after a note, or a failure on CI) when it is not
/// there.
fn real_files() -> Option<PathBuf> {
    let dir = std::env::var_os("DOCTRIAGE_REAL_FILES")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("target").join("real-files"));
    if dir.join(".complete").is_file() && dir.join("containers").is_dir() {
        Some(dir.join("containers"))
    } else {
        common::skip_unless_ci(&format!(
            "the real files are not fetched (run scripts/fetch_real_files.sh): {}",
            dir.display()
        ));
        None
    }
}

/// What one file gave.
struct Read1 {
    documents: Vec<Document>,
    errors: Vec<ScanError>,
}

impl Read1 {
    /// The document of the file itself (not of a member or a mailbox's message).
    fn outer(&self, name: &str) -> Option<&Document> {
        self.documents
            .iter()
            .find(|d| d.id == name && d.parent.is_none())
    }

    fn doc(&self, id: &str) -> &Document {
        self.documents
            .iter()
            .find(|d| d.id == id)
            .unwrap_or_else(|| {
                panic!(
                    "no {id}: {:?}; errors {:?}",
                    self.documents.iter().map(|d| &d.id).collect::<Vec<_>>(),
                    self.errors
                )
            })
    }

    fn error(&self, path: &str) -> &str {
        self.errors
            .iter()
            .find(|e| e.path == path)
            .map(|e| e.error.as_str())
            .unwrap_or_else(|| panic!("no error for {path}: {:?}", self.errors))
    }
}

/// Every file of `containers/<kind>/`, parsed one by one (a panic is caught and fails the test
/// naming the file); each must give a document or a reported error.
fn read_kind(real: &Path, kind: &str) -> BTreeMap<String, Read1> {
    let dir = real.join(kind);
    let mut out = BTreeMap::new();
    let mut panicked = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = e.expect("an entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).expect("a fetched file");
        match catch_unwind(AssertUnwindSafe(|| {
            parse_file_with(&name, &bytes, &Limits::default())
        })) {
            Ok((documents, errors)) => {
                assert!(
                    !documents.is_empty() || !errors.is_empty(),
                    "{kind}/{name}: neither a document nor an error"
                );
                for e in &errors {
                    assert!(
                        !e.error.is_empty() && !e.error.contains('\n'),
                        "{kind}/{name}: {e:?}"
                    );
                    assert!(e.path.starts_with(&name), "{kind}/{name}: {e:?}");
                }
                for d in &documents {
                    assert!(d.path.starts_with(&name), "{kind}/{name}: {}", d.id);
                    if let Some(p) = &d.parent {
                        assert!(
                            documents.iter().any(|q| &q.id == p),
                            "{kind}/{name}: {}'s parent {p} is no document",
                            d.id
                        );
                        assert_eq!(
                            d.container_sha256.as_deref(),
                            Some(doctriage::sha256_hex(&bytes).as_str()),
                            "{kind}/{name}: {}",
                            d.id
                        );
                    }
                }
                out.insert(name, Read1 { documents, errors });
            }
            Err(_) => panicked.push(name),
        }
    }
    assert!(panicked.is_empty(), "{kind}: panicked on {panicked:?}");
    assert!(!out.is_empty(), "{kind}: no files in {}", dir.display());
    out
}

/// The share of `files` whose own document has a non-empty text; the others are printed.
fn with_text(kind: &str, files: &BTreeMap<String, Read1>, counted: &[&String]) -> f64 {
    let mut without = Vec::new();
    for name in counted {
        let read = &files[*name];
        if read.outer(name).is_none_or(|d| d.text.trim().is_empty()) {
            without.push(format!(
                "{name} ({})",
                read.errors
                    .iter()
                    .map(|e| format!("{}: {}", e.path, e.error))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    if !without.is_empty() {
        eprintln!("{kind}: no text from {without:?}");
    }
    1.0 - without.len() as f64 / counted.len().max(1) as f64
}

/// The text of the XML parts of an office zip whose names start with one of `prefixes`, tags
/// stripped (enough to know whether a file holds any text at all).
fn xml_text(path: &Path, prefixes: &[&str]) -> String {
    let file = std::fs::File::open(path).expect("a fetched file");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("a part");
        let part = f.name().expect("a part name").into_owned();
        if !prefixes.iter().any(|p| part.starts_with(p)) || !part.ends_with(".xml") {
            continue;
        }
        let mut xml = String::new();
        if f.read_to_string(&mut xml).is_err() {
            continue;
        }
        let mut in_tag = false;
        for c in xml.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
    }
    out
}

#[test]
fn real_docx_files_give_their_paragraphs_runs_tables_headers_and_footers() {
    let Some(real) = real_files() else { return };
    let files = read_kind(&real, "docx");
    assert!(files.len() >= 40, "{} docx files", files.len());
    // The files whose document, header or footer parts hold any text (python-docx has many
    // empty test documents: blank, styles only, a table of empty cells).
    let carrying: Vec<&String> = files
        .keys()
        .filter(|name| {
            let text = xml_text(
                &real.join("docx").join(name),
                &["word/document", "word/header", "word/footer"],
            );
            !text.trim().is_empty()
        })
        .collect();
    assert!(carrying.len() >= 25, "{carrying:?}");
    let share = with_text("docx", &files, &carrying);
    assert!(
        share >= 0.8,
        "docx: {share:.2} of the files with text give text"
    );
    for (name, read) in &files {
        assert!(read.errors.is_empty(), "{name}: {:?}", read.errors);
        assert!(read.outer(name).is_some(), "{name}: no document");
    }

    let doc = files["test.docx"].doc("test.docx");
    assert!(doc.text.contains("python-docx was here!"), "{:?}", doc.text);
    assert!(
        doc.text.contains("python-docx was here too!"),
        "{:?}",
        doc.text
    );
    assert_eq!(doc.title, "python-docx was here!");

    // Header and footer of a section; a footer split over two runs ("Footer for section ", "1").
    let hf = files["hdr-header-footer.docx"].doc("hdr-header-footer.docx");
    for phrase in [
        "section with header",
        "section without header of its own.",
        "Header for section-1",
        "Footer for section 1",
    ] {
        assert!(hf.text.contains(phrase), "{phrase:?} in {:?}", hf.text);
    }
    // "Base Parag" + "raph." are two runs of one paragraph.
    let styles = files["sty-known-styles.docx"].doc("sty-known-styles.docx");
    for phrase in [
        "Normal Paragraph.",
        "Base Paragraph.",
        "Citation Paragraph.",
    ] {
        assert!(
            styles.text.contains(phrase),
            "{phrase:?} in {:?}",
            styles.text
        );
    }
    // No text at all: an empty document, no error.
    assert_eq!(
        files["doc-default.docx"]
            .doc("doc-default.docx")
            .text
            .trim(),
        ""
    );
}

#[test]
fn real_odt_files_give_their_text_tables_headers_and_footers() {
    let Some(real) = real_files() else { return };
    let files = read_kind(&real, "odt");
    let names: Vec<&String> = files.keys().collect();
    let share = with_text("odt", &files, &names);
    assert!(share >= 0.8, "odt: {share:.2}");
    for (name, read) in &files {
        assert!(read.errors.is_empty(), "{name}: {:?}", read.errors);
        let text = xml_text(&real.join("odt").join(name), &["content.xml"]);
        let doc = read.outer(name).expect("a document");
        // Every word of the body's first text is in the document's text.
        if let Some(first) = text
            .split_whitespace()
            .find(|w| w.chars().all(char::is_alphabetic) && w.len() > 3)
        {
            assert!(
                doc.text.contains(first),
                "{name}: {first:?} not in {:?}",
                &doc.text[..doc.text.len().min(300)]
            );
        }
    }
    assert_eq!(
        files["simpletable.odt"].doc("simpletable.odt").text,
        "Cell 1\tCell 2\nCell 3 (bold)\tCell 4 (italic)"
    );
    let hf = files["headerfooter.odt"].doc("headerfooter.odt");
    assert!(hf.text.starts_with("Lorem ipsum"), "{:?}", hf.text);
    assert!(hf.text.contains("--- Header ---\nHeader"), "{:?}", hf.text);
    assert!(hf.text.contains("--- Footer ---\nFooter"), "{:?}", hf.text);
    let poem = files["serious_poem.odt"].doc("serious_poem.odt");
    assert!(!poem.text.trim().is_empty());
}

#[test]
fn real_workbooks_give_a_page_per_sheet_and_xls_and_xlsx_of_one_workbook_agree() {
    let Some(real) = real_files() else { return };
    let xlsx = read_kind(&real, "xlsx");
    let xls = read_kind(&real, "xls");
    let ods = read_kind(&real, "ods");
    for (kind, files) in [("xlsx", &xlsx), ("xls", &xls)] {
        let names: Vec<&String> = files.keys().collect();
        let share = with_text(kind, files, &names);
        assert!(share >= 0.8, "{kind}: {share:.2}");
        for (name, read) in files.iter() {
            assert!(read.errors.is_empty(), "{name}: {:?}", read.errors);
            let doc = read.outer(name).expect("a document");
            assert!(!doc.pages.is_empty(), "{name}");
            assert!(
                doc.pages
                    .iter()
                    .all(|p| p.source == PageSource::Sheet && p.label.is_some())
            );
            assert_eq!(
                doc.page_ranges().len(),
                doc.pages.len(),
                "{name}: a page per sheet"
            );
            // A sheet is a page, or a warning says why it is not: none is lost in silence.
            let refused = doc
                .warnings
                .iter()
                .filter(|w| w.starts_with("sheet ") && w.contains(": not read: "))
                .count();
            assert_eq!(
                doc.extra["workbook sheets"],
                (doc.pages.len() + refused).to_string(),
                "{name}: {:?}",
                doc.warnings
            );
        }
    }
    // readxl ships the same workbooks in both formats: the same sheets and the same cells.
    for stem in ["clippy", "deaths", "geometry", "type-me"] {
        let a = xlsx[&format!("{stem}.xlsx")].doc(&format!("{stem}.xlsx"));
        let b = xls[&format!("{stem}.xls")].doc(&format!("{stem}.xls"));
        let labels = |d: &Document| d.pages.iter().map(|p| p.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(a), labels(b), "{stem}: sheets");
        assert_eq!(a.text, b.text, "{stem}: cells");
    }
    // datasets.xlsx (writexl) stores the quakes sheet's numbers with a leading space
    // (`<v> 41</v>`); calamine refuses the sheet, which the .xls copy gives whole.
    let datasets = xlsx["datasets.xlsx"].doc("datasets.xlsx");
    if datasets.pages.len() < 4 {
        eprintln!("datasets.xlsx: {:?}", datasets.warnings);
        assert!(
            datasets
                .warnings
                .iter()
                .any(|w| w.starts_with("sheet quakes: not read: ")),
            "{:?}",
            datasets.warnings
        );
    }
    assert_eq!(xls["datasets.xls"].doc("datasets.xls").pages.len(), 4);
    assert_eq!(
        xlsx["geometry.xlsx"].doc("geometry.xlsx").text,
        "B3\tC3\tD3\nB4\tC4\tD4\nB5\tC5\tD5\nB6\tC6\tD6"
    );
    let clippy = xlsx["clippy.xlsx"].doc("clippy.xlsx");
    assert_eq!(clippy.pages.len(), 2);

    // ODS: odfpy's sheets; one written by KSpread is refused with a reason.
    assert_eq!(
        ods["chinese_spreadsheet.ods"]
            .doc("chinese_spreadsheet.ods")
            .text,
        "test\ttest\ttest"
    );
    let pyth = ods["pythagoras.ods"].doc("pythagoras.ods");
    assert_eq!(pyth.pages.len(), 3);
    assert!(pyth.text.starts_with("3\n4\n5"), "{:?}", pyth.text);
    assert!(
        ods["pythagoras-kspread.ods"]
            .error("pythagoras-kspread.ods")
            .starts_with("unreadable Ods workbook"),
    );
    assert_eq!(ods["empty.ods"].doc("empty.ods").text, "");
}

#[test]
fn real_outlook_messages_give_subject_body_and_attachments() {
    let Some(real) = real_files() else { return };
    let files = read_kind(&real, "msg");
    let names: Vec<&String> = files.keys().collect();
    let share = with_text("msg", &files, &names);
    assert!(share >= 0.8, "msg: {share:.2}");

    let title = |name: &str| files[name].doc(name).title.clone();
    assert_eq!(title("test_email_4.msg"), "test");
    assert_eq!(title("test_email.msg"), "Test Email");
    assert_eq!(title("unicode.msg"), "Test for TIF files");
    assert_eq!(
        title("test_email_3.msg"),
        "Welcome to your new Outlook.com account"
    );
    for name in ["test_email_4.msg", "unicode.msg", "attachment.msg"] {
        assert_eq!(files[name].doc(name).kind, "email", "{name}");
    }
    assert!(
        files["test_email_4.msg"]
            .doc("test_email_4.msg")
            .text
            .contains("Sent with ProtonMail")
    );
    assert!(
        files["unicode.msg"]
            .doc("unicode.msg")
            .text
            .starts_with("This is a test email to experiment with the MS Outlook MSG Extractor")
    );
    // Attachments are members; an embedded message is an e-mail of its own.
    let unicode = &files["unicode.msg"];
    for member in ["import OleFileIO.tif", "raised value error.tif"] {
        let d = unicode.doc(&format!("unicode.msg!/{member}"));
        assert_eq!(d.parent.as_deref(), Some("unicode.msg"));
    }
    // msg_parser's test_email_1 and _2 mark a PNG "embedded message" (attach method 5, MIME
    // type message/rfc822): it stays the picture it is.
    for name in ["test_email_1.msg", "test_email_2.msg"] {
        let read = &files[name];
        assert!(read.errors.is_empty(), "{name}: {:?}", read.errors);
        let png = read.doc(&format!("{name}!/devices.png"));
        assert_eq!(png.parent.as_deref(), Some(name));
        assert_eq!(png.file_size, 94183);
        assert_eq!(read.doc(name).attachments.len(), 11);
    }
    let inner = files["test_email.msg"].doc("test_email.msg!/Test Email.msg");
    assert_eq!(inner.kind, "email");
    assert_eq!(inner.parent.as_deref(), Some("test_email.msg"));
    assert_eq!(
        files["attachment.msg"].error("attachment.msg!/loan_proposal.doc"),
        "unsupported file type (.doc)"
    );
    assert!(
        files["bad_outlook.msg"]
            .error("bad_outlook.msg")
            .starts_with("not an Outlook message")
    );
}

#[test]
fn real_e_mails_give_their_text_and_attachments() {
    let Some(real) = real_files() else { return };
    let files = read_kind(&real, "eml");
    // mail-parser's malformed-* files are broken on purpose: a document or an error is enough.
    let counted: Vec<&String> = files
        .keys()
        .filter(|n| !n.starts_with("malformed"))
        .collect();
    let share = with_text("eml", &files, &counted);
    assert!(share >= 0.8, "eml: {share:.2}");

    let doc = |name: &str| files[name].doc(name);
    assert!(
        doc("rfc-005.eml")
            .text
            .starts_with("This is implicitly typed plain US-ASCII text.")
    );
    assert_eq!(doc("rfc-000.eml").title, "A multipart example");
    // Quoted-printable UTF-8 in a message that has no envelope headers.
    assert!(
        doc("thirdparty-002.eml").text.contains("päivää"),
        "{:?}",
        doc("thirdparty-002.eml").text
    );
    assert!(
        doc("thirdparty-003.eml")
            .text
            .contains("Move black king to queen's bishop")
    );
    // A forwarded message is an e-mail member with its own attachment.
    let fwd = files["rfc-002.eml"].doc("rfc-002.eml!/Map of Argentina with Description.eml");
    assert_eq!(fwd.kind, "email");
    assert_eq!(fwd.parent.as_deref(), Some("rfc-002.eml"));
    // An absolute attachment name is escaped.
    assert!(
        files["rfc-001.eml"]
            .errors
            .iter()
            .any(|e| e.path == "rfc-001.eml!/%2Fu/nsb/writing/rfcs/RFC-MIME.ps")
    );
    assert!(
        doc("rfc-001.eml")
            .warnings
            .iter()
            .any(|w| w.contains("%2Fu/nsb/writing/rfcs/RFC-MIME.ps"))
    );
}

#[test]
fn real_mailboxes_give_every_message_python_s_mailbox_module_finds() {
    let Some(real) = real_files() else { return };
    let files = read_kind(&real, "mbox");
    // Counted with Python's `mailbox.mbox`.
    let expected = [
        ("mbox_complex.mbox", 2),
        ("mbox_iso8859_encoding.mbox", 1),
        ("mbox_multipart.mbox", 2),
        ("mbox_no_fields.mbox", 6),
        ("mbox_single.mbox", 1),
        ("mbox_unixfrom_encoding.mbox", 1),
        ("mbox_unknown_encoding.mbox", 1),
        ("pipermail_2015_november.mbox", 4),
        ("pipermail_2016_april.mbox", 3),
        ("pipermail_2016_march.mbox", 1),
    ];
    assert_eq!(files.len(), expected.len());
    for (name, n) in expected {
        let read = &files[name];
        let mailbox = read.outer(name).expect("the mailbox");
        assert_eq!(mailbox.kind, "mailbox", "{name}");
        let messages: Vec<&Document> = read
            .documents
            .iter()
            .filter(|d| d.parent.as_deref() == Some(name))
            .collect();
        assert_eq!(messages.len(), n, "{name}");
        for (i, m) in messages.iter().enumerate() {
            assert_eq!(m.id, format!("{name}#{}", i + 1));
            assert_eq!(m.record, Some(i + 1));
            assert_eq!(m.path, name);
            assert_eq!(m.kind, "email");
            assert!(!m.text.trim().is_empty(), "{}: no text", m.id);
        }
        assert_eq!(mailbox.extra["messages"], n.to_string(), "{name}");
    }
    let single = files["mbox_single.mbox"].doc("mbox_single.mbox#1");
    assert!(
        single
            .text
            .contains("A message in English, with a signature with a different encoding."),
        "{:?}",
        single.text
    );
}
