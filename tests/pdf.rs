//! PDF records read through poppler's `pdftotext` (from their bytes, on its standard input): a
//! document whose text is its pages joined with form feeds, so quotes and suggestions know
//! their page; the title and date from `pdfinfo`; truncated, fake and encrypted PDFs reported
//! with a reason. The fixtures in `tests/fixtures/pdf/` are written by
//! `scripts/make_pdf_fixtures.py` (synthetic text; the encrypted ones are `two_pages.pdf`
//! encrypted with pypdf).

mod common;

use doctriage::PageSource;
use doctriage::ingest::pdf::{PAGE_BREAK, page_of};

fn cache() -> (tempfile::TempDir, doctriage::Cache) {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "two_pages.pdf",
        "truncated.pdf",
        "not_a_pdf.pdf",
        "encrypted_user.pdf",
        "encrypted_owner_only.pdf",
        "page_two_without_text.pdf",
    ] {
        common::write(
            dir.path(),
            &format!("scans/{name}"),
            common::fixture_bytes(&format!("pdf/{name}")),
        );
    }
    let cache = common::scan(dir.path());
    (dir, cache)
}

#[test]
fn a_text_pdf_is_one_document_with_its_pages_joined_by_form_feeds() {
    if !common::require_tool("pdftotext") {
        return;
    }
    let (_dir, cache) = cache();
    let doc = common::document(&cache, "scans/two_pages.pdf");
    assert_eq!(doc.text.matches(PAGE_BREAK).count(), 1, "{:?}", doc.text);
    assert_eq!(sources(doc), [PageSource::PdfText, PageSource::PdfText]);
    assert_eq!(doc.text_source(), "pdf_text");
    assert_eq!(doc.title, "Order of Groza-S stations");
    assert_eq!(doc.date.as_deref(), Some("2019-03-14"));
    assert_eq!(
        doc.extra.get("pdf author").map(String::as_str),
        Some("State arms-export agency (synthetic)")
    );
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let (start, _) = common::char_span(&doc.text, "OV-7M panoramic artillery sight");
    assert_eq!(page_of(&doc.text, start), 2);
    let (start, _) = common::char_span(&doc.text, "Order of Groza-S stations.");
    assert_eq!(page_of(&doc.text, start), 1);

    // The suggestions find the equipment on its page, with offsets into the joined text.
    let sugg = doctriage::extract::suggest(doc, &cache.gazetteer);
    let page = |name: &str| {
        let c = sugg
            .equipment
            .iter()
            .find(|c| c.value == name)
            .unwrap_or_else(|| panic!("{name} is not suggested: {:?}", sugg.equipment));
        page_of(&doc.text, c.start.expect("a quote"))
    };
    assert_eq!(page("Groza-S"), 1);
    assert_eq!(page("Artillery sight"), 2);
}

#[test]
fn truncated_and_fake_pdfs_are_reported_with_a_reason() {
    if !common::require_tool("pdftotext") {
        return;
    }
    let (_dir, cache) = cache();
    let reason = |path: &str| {
        cache
            .errors
            .iter()
            .find(|e| e.path == path)
            .map(|e| e.error.clone())
            .unwrap_or_else(|| panic!("{path} is not reported"))
    };
    assert_eq!(
        reason("scans/not_a_pdf.pdf"),
        "not a PDF file (no %PDF- header)"
    );
    let truncated = reason("scans/truncated.pdf");
    assert!(
        truncated.starts_with("pdftotext could not read it:"),
        "{truncated}"
    );
    assert_eq!(
        reason("scans/encrypted_user.pdf"),
        "encrypted: a user password is needed to read it"
    );
    // Encrypted with an owner password only: it opens, and says so.
    let owner = common::document(&cache, "scans/encrypted_owner_only.pdf");
    assert!(owner.text.contains("OV-7M panoramic artillery sight"));
    assert!(
        owner
            .warnings
            .iter()
            .any(|w| w.starts_with("encrypted (an owner password only")),
        "{:?}",
        owner.warnings
    );
    assert_eq!(cache.documents.len(), 3);
}

#[test]
fn a_page_without_a_text_layer_is_named_as_needing_ocr_and_then_ocrd() {
    if !common::require_tool("pdftotext") {
        return;
    }
    let (dir, _) = cache();
    let scanned = doctriage::ingest::scan(dir.path()).expect("scan");
    let doc = common::document(&scanned, "scans/page_two_without_text.pdf");
    assert_eq!(sources(doc), [PageSource::PdfText, PageSource::Pending]);
    assert_eq!(doc.text_source(), "pending");
    assert_eq!(doc.pending_pages(), [2]);
    assert!(
        doc.text
            .starts_with("SYNTHETIC SAMPLE - page one has text.")
    );
    // Its state is the page's source (`pending`), not a warning that would outlive the OCR.
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);

    // Read as the command line reads it, page 2 is OCR'd: a grey rectangle, no text, said so.
    if !common::require_tool("tesseract") {
        return;
    }
    let cache = common::scan(dir.path());
    let doc = common::document(&cache, "scans/page_two_without_text.pdf");
    assert_eq!(sources(doc), [PageSource::PdfText, PageSource::Ocr]);
    assert_eq!(doc.text_source(), "mixed");
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.starts_with("page 2: OCR found no text on it")),
        "{:?}",
        doc.warnings
    );
}

fn sources(doc: &doctriage::Document) -> Vec<PageSource> {
    doc.pages.iter().map(|p| p.source).collect()
}

#[test]
fn the_text_command_prints_a_page_and_scan_json_says_where_text_came_from() {
    if !common::require_tool("pdftotext") {
        return;
    }
    let (dir, _cache) = cache();
    let page2 = common::stdout_ok(&[
        "text",
        common::s(dir.path()),
        "scans/two_pages.pdf",
        "--page",
        "2",
    ]);
    assert!(page2.starts_with("Page two of the letter."), "{page2}");
    assert!(!page2.contains("Minsk"));
    let out = common::run(&[
        "text",
        common::s(dir.path()),
        "scans/two_pages.pdf",
        "--page",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has 2 page(s), not a page 3"));

    let scan: serde_json::Value = serde_json::from_str(&common::stdout_ok(&[
        "scan",
        common::s(dir.path()),
        "--json",
    ]))
    .expect("scan --json");
    let doc = scan["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "scans/two_pages.pdf")
        .expect("the PDF in scan --json");
    assert_eq!(doc["pages"], 2);
    assert_eq!(doc["text_source"], "pdf_text");
    assert_eq!(
        doc["page_sources"],
        serde_json::json!(["pdf_text", "pdf_text"])
    );
}

/// A cache with the two-page PDF and a one-statement article, and a session that links a quote
/// on its page 2 to S1.
fn linked_on_page_two() -> (
    tempfile::TempDir,
    doctriage::Cache,
    doctriage::Session,
    (usize, usize),
) {
    use doctriage::session::{self, Relation, Session};
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(
        dir.path(),
        "scans/two_pages.pdf",
        common::fixture_bytes("pdf/two_pages.pdf"),
    );
    common::write(
        dir.path(),
        "article.md",
        "# Test\n\nBelarus supplied artillery sights to Azerbaijan.\n",
    );
    let cache = common::scan(dir.path());
    let doc = "scans/two_pages.pdf";
    let quote = "The OV-7M panoramic artillery sight was delivered";
    let (start, end) = common::char_span(&common::document(&cache, doc).text, quote);
    let mut s = Session::new(&cache.root, None, "A", &cache);
    let cmd = session::link_command(
        &cache,
        doc,
        "S1",
        Relation::Supports,
        Some(session::Quote::new(quote, start, end)),
        None,
    )
    .expect("a link");
    session::apply(&mut s, &cache, &cmd).expect("linked");
    (dir, cache, s, (start, end))
}

#[test]
fn a_quote_on_page_two_carries_its_page_into_findings_memo_and_web_annotations() {
    use doctriage::export::{self, Format};
    if !common::require_tool("pdftotext") {
        return;
    }
    let (_dir, cache, s, (start, end)) = linked_on_page_two();
    let at = chrono::Utc::now();

    let json: serde_json::Value =
        serde_json::from_str(&export::render(Format::Json, &s, &cache, at)).expect("findings");
    let ev = &json["statements"][0]["evidence"][0];
    assert_eq!(ev["page"], 2, "{ev}");
    assert_eq!(ev["start"], start);

    let md = export::render(Format::Md, &s, &cache, at);
    assert!(md.contains(&format!("(p. 2, chars {start}–{end}")), "{md}");

    let w3c: serde_json::Value =
        serde_json::from_str(&export::render(Format::W3c, &s, &cache, at)).expect("w3c");
    let text = w3c.to_string();
    assert!(
        text.contains(r#""type":"FragmentSelector""#) && text.contains(r#""value":"page=2""#),
        "{text}"
    );
}

#[test]
fn the_ftm_export_writes_a_pdf_as_pages_with_a_page_entity_each() {
    use doctriage::export::{self, Format};
    if !common::require_tool("pdftotext") {
        return;
    }
    let (_dir, cache, s, _) = linked_on_page_two();
    let out = export::render(Format::Ftm, &s, &cache, chrono::Utc::now());
    let entities: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let pages = entities
        .iter()
        .find(|e| e["schema"] == "Pages")
        .expect("the PDF is a Pages entity");
    let page: Vec<&serde_json::Value> = entities.iter().filter(|e| e["schema"] == "Page").collect();
    assert_eq!(page.len(), 2);
    for (i, p) in page.iter().enumerate() {
        assert_eq!(p["properties"]["document"][0], pages["id"]);
        assert_eq!(p["properties"]["index"][0], (i + 1).to_string());
    }
    assert!(
        page[1]["properties"]["bodyText"][0]
            .as_str()
            .is_some_and(|t| t.contains("OV-7M"))
    );
    if common::require_tool("ftm") {
        let dir = tempfile::tempdir().expect("tempdir");
        let (inp, outp) = (dir.path().join("in.jsonl"), dir.path().join("out.jsonl"));
        std::fs::write(&inp, &out).expect("write");
        let ok = std::process::Command::new("ftm")
            .args(["validate", "-i"])
            .arg(&inp)
            .arg("-o")
            .arg(&outp)
            .status()
            .expect("ftm runs")
            .success();
        assert!(ok, "ftm validate failed");
        let kept = std::fs::read_to_string(&outp).expect("ftm output");
        assert_eq!(
            kept.lines().count(),
            entities.len(),
            "ftm kept every entity"
        );
        assert!(kept.contains("\"Page\""));
    }
}

/// A PDF of `n` pages, each with one line of text (page numbers), with a correct xref.
fn many_pages(n: usize) -> Vec<u8> {
    let mut objs: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(), // the page tree, once the kids are known
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut kids = Vec::new();
    for i in 1..=n {
        let stream = format!("BT /F1 12 Tf 72 720 Td (Page {i} of the register.) Tj ET");
        objs.push(format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ));
        let content = objs.len();
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>"
        ));
        kids.push(format!("{} 0 R", objs.len()));
    }
    objs[1] = format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" "));
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn a_pdf_of_more_than_two_thousand_pages_is_read_to_page_two_thousand_and_says_so() {
    if !common::require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "register.pdf", many_pages(2003));
    let cache = common::scan(dir.path());
    let doc = common::document(&cache, "register.pdf");
    assert_eq!(doc.pages.len(), 2000);
    assert!(doc.text.contains("Page 2000 of the register."));
    assert!(!doc.text.contains("Page 2001 of"));
    assert_eq!(
        doc.warnings,
        ["only the first 2000 of 2003 pages were read (pages 2001–2003 were left out)"]
    );
}
