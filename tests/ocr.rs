//! OCR of scans and of PDF pages without a text layer (tesseract): the sample cache's scanned
//! records come out with their text, dates and equipment suggested with their page, the OCR
//! cache makes a second run read nothing, and a quote on an OCR'd page 2 reaches the findings
//! (page and box), the W3C export (`page=2`, `xywh=`) and the FtM export (`Page`).

mod common;

use doctriage::PageSource;
use doctriage::ocr::{self, LanguageSetting, OcrOptions};
use doctriage::session::{self, Relation, Session};
use doctriage::workspace::{Reading, read_cache};

const LETTER_RU: &str = "scans/scan_2020_03_16_letter_ru.png";
const PASSPORT: &str = "scans/export_passport_2021_0035.tif";
const NOTE_AZ: &str = "scans/scan_2021_09_08_note_az.png";
const INVOICE: &str = "scans/scan_invoice_2019_07_02.pdf";
const LETTER_PDF: &str = "scans/letter_2020_12_01_ru_en.pdf";

fn tools() -> bool {
    common::require_tool("tesseract") && common::require_tool("pdftotext")
}

/// A cache folder holding copies of some sample scans (and the article).
fn scans_cache(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for rel in names {
        common::write(
            dir.path(),
            rel,
            std::fs::read(common::sample().join(rel)).expect("a sample scan"),
        );
    }
    common::write(
        dir.path(),
        "article.md",
        std::fs::read(common::sample().join("article.md")).expect("article"),
    );
    dir
}

#[test]
fn the_sample_scans_are_read_in_their_languages_with_suggestions_on_their_page() {
    if !tools() {
        return;
    }
    let cache = common::scan(&common::sample());
    let sources = |id: &str| -> Vec<PageSource> {
        common::document(&cache, id)
            .pages
            .iter()
            .map(|p| p.source)
            .collect()
    };
    assert_eq!(sources(LETTER_RU), [PageSource::Ocr]);
    assert_eq!(sources(PASSPORT), [PageSource::Ocr, PageSource::Ocr]);
    assert_eq!(sources(INVOICE), [PageSource::Ocr]);
    assert_eq!(
        sources(LETTER_PDF),
        [PageSource::PdfText, PageSource::PdfText],
        "a text layer needs no OCR"
    );

    let langs = |id: &str| {
        common::document(&cache, id).pages[0]
            .ocr
            .as_ref()
            .map(|o| o.languages.clone())
            .unwrap_or_default()
    };
    assert!(langs(LETTER_RU).starts_with("rus"), "{}", langs(LETTER_RU));
    assert_eq!(
        langs(NOTE_AZ),
        "aze",
        "the Azerbaijani note is read as Azerbaijani"
    );
    assert_eq!(langs(INVOICE), "eng");

    let ru = common::document(&cache, LETTER_RU);
    assert!(ru.text.contains("SYNTHETIC SAMPLE"), "{}", ru.text);
    assert!(ru.text.contains("«Гроза-С»"), "{}", ru.text);
    assert!(ru.ocr_confidence().unwrap_or(0.0) > 80.0);
    let az = common::document(&cache, NOTE_AZ);
    assert!(
        az.text.contains("Azərbaycan") || az.text.contains("AZƏRBAYCAN"),
        "{}",
        az.text
    );

    let extractor = doctriage::extract::Extractor::new(&cache.gazetteer);
    let passport = common::document(&cache, PASSPORT);
    let s = extractor.suggest(passport);
    let shipped = s
        .dates
        .iter()
        .find(|c| c.value == "2021-05-14")
        .expect("the date of shipment is suggested");
    assert_eq!(shipped.page, Some(2), "{shipped:?}");
    assert_eq!(shipped.quote.as_deref(), Some("14 May 2021"));
    let groza = s
        .equipment
        .iter()
        .find(|c| c.value == "Groza-S")
        .expect("Groza-S is suggested");
    assert_eq!(
        groza.page,
        Some(passport.page_at(groza.start.unwrap_or(0)).unwrap_or(0))
    );
    let ru_s = extractor.suggest(ru);
    assert!(
        ru_s.dates
            .iter()
            .any(|c| c.value == "2020-03-16" && c.page == Some(1)),
        "{:?}",
        ru_s.dates
    );
    assert!(ru_s.equipment.iter().any(|c| c.value == "Groza-S"));
    let inv = extractor.suggest(common::document(&cache, INVOICE));
    assert!(
        inv.dates
            .iter()
            .any(|c| c.value == "2019-07-02" && c.page == Some(1))
    );
    assert!(
        inv.equipment
            .iter()
            .any(|c| c.value == "OV-7M panoramic artillery sight")
    );
}

#[test]
fn a_second_run_reads_nothing_and_an_interrupted_one_keeps_its_pages() {
    if !tools() {
        return;
    }
    let dir = scans_cache(&[PASSPORT, LETTER_RU]);
    let ocr_cache = tempfile::tempdir().expect("tempdir");
    let opts = OcrOptions {
        cache_dir: ocr_cache.path().to_owned(),
        ..OcrOptions::default()
    };
    let before = common::snapshot(dir.path());

    // Cancelled before it starts: nothing read, the pages stay pending.
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut cache = doctriage::ingest::scan(dir.path()).expect("scan");
    let report = ocr::complete_cache(
        &mut cache,
        &OcrOptions {
            cancel: Some(cancel),
            ..opts.clone()
        },
        &|_| {},
    )
    .expect("ocr");
    assert!(report.cancelled && report.read == 0, "{report:?}");
    assert_eq!(common::document(&cache, PASSPORT).text_source(), "pending");

    let mut cache = doctriage::ingest::scan(dir.path()).expect("scan");
    let first = ocr::complete_cache(&mut cache, &opts, &|_| {}).expect("ocr");
    assert_eq!(
        (first.pages, first.read, first.cached),
        (3, 3, 0),
        "{first:?}"
    );
    let text = common::document(&cache, PASSPORT).text.clone();

    let mut again = doctriage::ingest::scan(dir.path()).expect("scan");
    let second = ocr::complete_cache(&mut again, &opts, &|_| {}).expect("ocr");
    assert_eq!((second.read, second.cached), (0, 3), "{second:?}");
    assert_eq!(common::document(&again, PASSPORT).text, text);

    // Other languages are other results.
    let mut fixed = doctriage::ingest::scan(dir.path()).expect("scan");
    let eng = OcrOptions {
        languages: LanguageSetting::parse("eng").expect("eng"),
        ..opts.clone()
    };
    let third = ocr::complete_cache(&mut fixed, &eng, &|_| {}).expect("ocr");
    assert_eq!(third.read, 3, "{third:?}");
    assert_eq!(
        common::document(&fixed, LETTER_RU).pages[0]
            .ocr
            .as_ref()
            .map(|o| o.languages.as_str()),
        Some("eng")
    );
    // A language that is not installed is refused with the package to install.
    let missing = OcrOptions {
        languages: LanguageSetting::parse("xyz").expect("a code"),
        ..opts
    };
    let err = ocr::complete_cache(&mut fixed, &missing, &|_| {}).expect_err("not installed");
    assert!(err.to_string().contains("tesseract-ocr-xyz"), "{err}");

    // The cache folder is as it was: no page image, no result was written in it.
    common::assert_unchanged(
        &before,
        &common::snapshot(dir.path()),
        "the cache folder after OCR",
    );
}

#[test]
fn no_ocr_leaves_scans_pending_and_says_so() {
    if !tools() {
        return;
    }
    let dir = scans_cache(&[NOTE_AZ]);
    let (cache, notes) = read_cache(dir.path(), &Reading::without_ocr()).expect("read");
    assert_eq!(common::document(&cache, NOTE_AZ).text_source(), "pending");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("--no-ocr") && n.contains("1 page")),
        "{notes:?}"
    );
    let out = common::run_ok(&["scan", common::s(dir.path()), "--json", "--no-ocr"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["documents"][0]["text_source"], "pending");
    assert_eq!(
        v["documents"][0]["page_sources"],
        serde_json::json!(["pending"])
    );
    let out = common::run_ok(&["scan", common::s(dir.path()), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["documents"][0]["text_source"], "ocr");
    assert_eq!(
        v["documents"][0]["ocr_languages"],
        serde_json::json!(["aze"])
    );
    assert!(v["documents"][0]["ocr_confidence"].as_f64().unwrap_or(0.0) > 80.0);
}

#[test]
fn a_quote_on_an_ocr_page_two_reaches_findings_w3c_and_ftm_with_its_box() {
    use doctriage::export::{self, Format};
    if !tools() {
        return;
    }
    let dir = scans_cache(&[PASSPORT]);
    let cache = common::scan(dir.path());
    let doc = common::document(&cache, PASSPORT);
    let quote = "14 May 2021";
    let (start, end) = common::char_span(&doc.text, quote);
    assert_eq!(doc.page_at(start), Some(2));
    let mut s = Session::new(&cache.root, None, "A", &cache);
    let cmd = session::link_command(
        &cache,
        PASSPORT,
        "S3",
        Relation::Supports,
        Some(session::Quote::new(quote, start, end)),
        None,
    )
    .expect("a link");
    session::apply(&mut s, &cache, &cmd).expect("linked");
    let at = chrono::Utc::now();

    let json: serde_json::Value =
        serde_json::from_str(&export::render(Format::Json, &s, &cache, at)).expect("findings");
    assert_eq!(json["schema"], "doctriage.findings/4");
    let ev = json["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .flat_map(|st| st["evidence"].as_array().cloned().unwrap_or_default())
        .find(|e| e["document"] == PASSPORT)
        .expect("the evidence");
    assert_eq!(ev["page"], 2, "{ev}");
    let [x, y, w, h] = [0, 1, 2, 3].map(|i| ev["box"][i].as_u64().expect("a box"));
    let [pw, ph] = [0, 1].map(|i| ev["page_size"][i].as_u64().expect("a page size"));
    let ocr_page = doc.pages[1].ocr.as_ref().expect("OCR'd");
    assert_eq!(
        (pw, ph),
        (u64::from(ocr_page.width), u64::from(ocr_page.height))
    );
    assert!(w > 0 && h > 0 && x + w <= pw && y + h <= ph, "{ev}");
    assert!(w > h, "a box around three words is wider than tall: {ev}");
    assert_eq!(ev["ocr"]["languages"], "eng");
    assert!(
        ev["ocr"]["engine"]
            .as_str()
            .unwrap_or("")
            .starts_with("tesseract")
    );

    let w3c = export::render(Format::W3c, &s, &cache, at);
    assert!(w3c.contains(r#""value": "page=2""#), "{w3c}");
    assert!(
        w3c.contains(&format!(r#""value": "xywh=pixel:{x},{y},{w},{h}""#)),
        "{w3c}"
    );

    let ftm = export::render(Format::Ftm, &s, &cache, at);
    let pages: Vec<serde_json::Value> = ftm
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .filter(|e: &serde_json::Value| e["schema"] == "Page")
        .collect();
    assert_eq!(pages.len(), 2, "{ftm}");
    assert!(
        pages.iter().any(|p| p["properties"]["index"][0] == "2"
            && p["properties"]["bodyText"][0]
                .as_str()
                .unwrap_or("")
                .contains(quote)),
        "{pages:?}"
    );
}

#[test]
fn images_that_are_not_images_are_reported_and_others_stay_readable() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(
        dir.path(),
        "scans/fake.png",
        "this is a text file named .png",
    );
    common::write(dir.path(), "scans/empty.tif", "");
    let mut png = std::fs::read(common::sample().join(NOTE_AZ)).expect("png");
    png.truncate(png.len() / 3);
    common::write(dir.path(), "scans/truncated.png", png);
    let cache = doctriage::ingest::scan(dir.path()).expect("scan");
    let reason = |name: &str| {
        cache
            .errors
            .iter()
            .find(|e| e.path == format!("scans/{name}"))
            .map(|e| e.error.clone())
            .unwrap_or_default()
    };
    assert!(
        reason("fake.png").contains("not an image file"),
        "{:?}",
        cache.errors
    );
    assert!(
        reason("empty.tif").contains("empty file"),
        "{:?}",
        cache.errors
    );
    // A truncated PNG still has its header: it is listed, and its OCR says what went wrong.
    if !common::require_tool("tesseract") {
        return;
    }
    let mut cache = cache;
    let ocr_cache = tempfile::tempdir().expect("tempdir");
    let report = ocr::complete_cache(
        &mut cache,
        &OcrOptions {
            cache_dir: ocr_cache.path().to_owned(),
            ..OcrOptions::default()
        },
        &|_| {},
    )
    .expect("ocr");
    assert_eq!(report.failed, 1, "{report:?}");
    let doc = common::document(&cache, "scans/truncated.png");
    assert_eq!(doc.text_source(), "pending");
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("page 1: OCR failed")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn the_ocr_languages_are_saved_with_the_session_and_a_quote_read_otherwise_is_flagged() {
    use doctriage::{Command, Workspace};
    if !tools() {
        return;
    }
    let dir = scans_cache(&[LETTER_RU]);
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("review.doctriage.json");
    let mut ws = Workspace::create_session(dir.path(), &path, "A", false).expect("session");
    assert_eq!(ws.ocr_languages(), LanguageSetting::Auto);
    let quote = "оптических блоков для станций";
    let doc = ws.document(LETTER_RU).expect("the letter").clone();
    assert_eq!(doc.text_source(), "ocr");
    let (start, end) = common::char_span(&doc.text, quote);
    let cmd = session::link_command(
        ws.cache(),
        LETTER_RU,
        "S5",
        Relation::Supports,
        Some(session::Quote::new(quote, start, end)),
        None,
    )
    .expect("a link");
    ws.apply(cmd).expect("linked");
    ws.apply(Command::SetOcrLanguages {
        languages: LanguageSetting::parse("eng").expect("eng"),
    })
    .expect("set");
    ws.save().expect("saved");
    drop(ws);

    let text = std::fs::read_to_string(&path).expect("the session file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(json["schema"], "doctriage.session/3");
    assert_eq!(json["ocr_languages"], "eng");
    let q = &json["documents"][LETTER_RU]["links"][0]["quote"];
    assert!(
        q["ocr"]["languages"]
            .as_str()
            .unwrap_or("")
            .starts_with("rus"),
        "{q}"
    );
    assert!(
        q["ocr"]["engine"]
            .as_str()
            .unwrap_or("")
            .starts_with("tesseract"),
        "{q}"
    );
    common::validate_against_schema("session.schema.json", &path);

    // Reopened, the letter is read with English only, as the session says: the Russian quote
    // is not in that text, and the analyst is told who read it then and now.
    let mut ws = Workspace::open_session(&path).expect("reopened");
    assert_eq!(
        ws.ocr_languages(),
        LanguageSetting::Fixed(vec!["eng".into()])
    );
    let letter = ws.document(LETTER_RU).expect("the letter");
    assert_eq!(
        letter.pages[0].ocr.as_ref().map(|o| o.languages.as_str()),
        Some("eng")
    );
    let warnings = ws.take_warnings();
    let flagged = warnings
        .iter()
        .find(|w| w.contains("no longer matches") || w.contains("moved"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(
        flagged.contains("(rus") && flagged.contains("(eng) now"),
        "{flagged}"
    );
}

#[test]
fn a_quote_whose_text_moved_is_moved_to_it_as_one_undoable_step() {
    use doctriage::Workspace;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(
        dir.path(),
        "article.md",
        std::fs::read(common::sample().join("article.md")).expect("article"),
    );
    let letter = "letters/a.txt";
    common::write(dir.path(), letter, "The Groza-S stations were delivered.\n");
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("review.doctriage.json");
    let mut ws = Workspace::create_session(dir.path(), &path, "A", false).expect("session");
    let quote = "Groza-S stations";
    let (start, end) = common::char_span(&ws.document(letter).expect("doc").text, quote);
    let cmd = session::link_command(
        ws.cache(),
        letter,
        "S5",
        Relation::Supports,
        Some(session::Quote::new(quote, start, end)),
        None,
    )
    .expect("a link");
    ws.apply(cmd).expect("linked");
    ws.save().expect("saved");
    drop(ws);

    // The file gains a line above the quote (a re-export of the same letter, say).
    common::write(
        dir.path(),
        letter,
        "SYNTHETIC SAMPLE\nThe Groza-S stations were delivered.\n",
    );
    let mut ws = Workspace::open_session(&path).expect("reopened");
    let warnings = ws.take_warnings();
    assert!(
        warnings.iter().any(|w| w.contains(&format!(
            "a quote moved from chars {start}–{end} to {}–{}",
            start + 17,
            end + 17
        ))),
        "{warnings:?}"
    );
    let link = &ws.session().review(letter).expect("review").links[0];
    let q = link.quote.as_ref().expect("quote");
    assert_eq!((q.start, q.end), (start + 17, end + 17));
    assert!(ws.is_dirty());
    assert_eq!(ws.undo().as_deref(), Some("Move 1 quote(s) to their text"));
    let q = ws.session().review(letter).expect("review").links[0]
        .quote
        .clone()
        .expect("quote");
    assert_eq!((q.start, q.end), (start, end));
}

#[test]
fn metadata_that_can_expose_a_source_is_marked_and_left_out_of_exports_unless_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(
        dir.path(),
        "scans/photo.jpg",
        common::fixture_bytes("images/exif_gps.jpg"),
    );
    common::write(
        dir.path(),
        "article.md",
        std::fs::read(common::sample().join("article.md")).expect("article"),
    );
    let cache = doctriage::ingest::scan(dir.path()).expect("scan");
    let doc = common::document(&cache, "scans/photo.jpg");
    let get = |k: &str| doc.extra.get(k).cloned().unwrap_or_default();
    assert_eq!(get("exif camera"), "Examplecam (invented) EX-1");
    assert_eq!(get("exif camera serial"), "SN-000123 (invented)");
    assert!(
        get("exif gps").contains("53") && get("exif gps").contains('N'),
        "{doc:?}"
    );
    for k in [
        "exif camera",
        "exif camera serial",
        "exif gps",
        "exif artist",
        "exif software",
    ] {
        assert!(doctriage::model::is_sensitive_metadata(k, &get(k)), "{k}");
    }
    assert!(!doctriage::model::is_sensitive_metadata(
        "image size",
        &get("image size")
    ));

    let out = tempfile::tempdir().expect("tempdir");
    let session = out.path().join("s.doctriage.json");
    let (s, d) = (common::s(&session), common::s(dir.path()));
    let no_ocr = "--no-ocr";
    common::run_ok(&["session", "new", "--cache", d, "--out", s, no_ocr]);
    common::run_ok(&["tag", s, "scans/photo.jpg", "--status", "key", no_ocr]);
    let plain = out.path().join("plain.json");
    let full = out.path().join("full.json");
    common::run_ok(&["export", s, "--out", common::s(&plain), no_ocr]);
    common::run_ok(&[
        "export",
        s,
        "--out",
        common::s(&full),
        "--include-sensitive-metadata",
        no_ocr,
    ]);
    let read = |p: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("findings")).expect("json")
    };
    let plain = read(&plain);
    let doc = &plain["documents"][0];
    assert!(doc["metadata"].get("exif gps").is_none(), "{doc}");
    assert!(doc["metadata"].get("image size").is_some(), "{doc}");
    let withheld: Vec<&str> = doc["metadata_withheld"]
        .as_array()
        .expect("withheld")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(withheld.contains(&"exif gps") && withheld.contains(&"exif camera serial"));
    assert!(!plain.to_string().contains("SN-000123"), "{plain}");
    let full = read(&full);
    assert_eq!(
        full["documents"][0]["metadata"]["exif camera serial"],
        "SN-000123 (invented)"
    );
    assert!(full["documents"][0].get("metadata_withheld").is_none());
    common::validate_against_schema("findings.schema.json", &out.path().join("full.json"));
}

/// The lines of README's "A quote on a scanned page", run as written: the evidence they give is
/// the JSON README shows.
#[test]
fn readmes_quote_on_a_scanned_page_gives_the_evidence_it_shows() {
    if !tools() {
        return;
    }
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let section = readme
        .split("### A quote on a scanned page")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the section");
    let block = |fence: &str| {
        section
            .split(fence)
            .nth(1)
            .and_then(|s| s.split("```").next())
            .expect("a block")
            .to_owned()
    };
    let out = tempfile::tempdir().expect("tempdir");
    let session = out.path().join("review.json");
    let findings = out.path().join("findings.json");
    let sample = common::sample();
    common::run_ok(&[
        "session",
        "new",
        "--cache",
        common::s(&sample),
        "--out",
        common::s(&session),
    ]);
    let console = block("```console\n");
    // Each command with the output lines README shows under it.
    let mut steps: Vec<(String, Vec<String>)> = Vec::new();
    for line in console.lines() {
        match line.strip_prefix("$ doctriage ") {
            Some(cmd) => steps.push((cmd.to_owned(), Vec::new())),
            None => {
                if let Some(last) = steps.last_mut() {
                    last.1.push(line.to_owned());
                }
            }
        }
    }
    assert_eq!(steps.len(), 4, "{console}");
    for (cmd, shown) in steps {
        let (cmd, grep) = match cmd.split_once(" | grep ") {
            Some((c, g)) => (c.to_owned(), Some(g.to_owned())),
            None => (cmd, None),
        };
        let args = split_args(
            &cmd.replace("/tmp/review.json", common::s(&session))
                .replace("/tmp/findings.json", common::s(&findings))
                .replace("sample_cache", common::s(&sample)),
        );
        let stdout = common::stdout_ok(&args);
        if let Some(g) = grep {
            let hits: Vec<&str> = stdout.lines().filter(|l| l.contains(g.as_str())).collect();
            assert_eq!(hits, shown, "{cmd}");
        }
    }
    let shown: serde_json::Value =
        serde_json::from_str(&block("```json\n")).expect("README's JSON");
    let got: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&findings).expect("findings")).expect("json");
    let evidence = got["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .flat_map(|s| s["evidence"].as_array().cloned().unwrap_or_default())
        .find(|e| e["document"] == shown["document"])
        .expect("the scan's evidence");
    for (k, v) in shown.as_object().expect("an object") {
        assert_eq!(
            &evidence[k], v,
            "{k}: README shows {v}, the export gives {}",
            evidence[k]
        );
    }
}

/// Splits a command line on spaces, keeping "quoted words" together.
fn split_args(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A scan inside an archive inside an e-mail is OCR'd like a loose one: its bytes are unpacked
/// again in memory for tesseract, and the cache folder is left as it was.
#[test]
fn a_scan_in_a_zip_attached_to_an_e_mail_is_read_by_ocr() {
    use std::io::Write as _;
    if !tools() {
        return;
    }
    let png = std::fs::read(common::sample().join(NOTE_AZ)).expect("a sample scan");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("scans/note.png", zip::write::SimpleFileOptions::default())
        .expect("zip entry");
    zip.write_all(&png).expect("zip write");
    let zip = zip.finish().expect("zip").into_inner();
    let b64 = base64_lines(&zip);
    let eml = format!(
        "From: Desk <desk@example.org>\r\nTo: Archive <archive@example.org>\r\n\
         Subject: Scans\r\nMessage-ID: <scans@example.org>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
         Content-Type: text/plain\r\n\r\nThe scans are attached.\r\n--b\r\n\
         Content-Type: application/zip; name=\"scans.zip\"\r\n\
         Content-Disposition: attachment; filename=\"scans.zip\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{b64}--b--\r\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    common::write(dir.path(), "mail/scans.eml", eml);
    let before = common::snapshot(dir.path());
    // An OCR cache of its own: the page must be read from the member's bytes, not found again.
    let ocr_cache = tempfile::tempdir().expect("tempdir");
    let opts = OcrOptions {
        cache_dir: ocr_cache.path().to_owned(),
        ..OcrOptions::default()
    };
    let mut cache = doctriage::ingest::scan(dir.path()).expect("scan");
    let report = ocr::complete_cache(&mut cache, &opts, &|_| {}).expect("ocr");
    assert_eq!((report.pages, report.read), (1, 1), "{report:?}");
    let id = "mail/scans.eml!/scans.zip!/scans/note.png";
    let doc = common::document(&cache, id);
    assert_eq!(doc.parent.as_deref(), Some("mail/scans.eml!/scans.zip"));
    assert_eq!(doc.text_source(), "ocr");
    assert!(doc.text.contains("SYNTHETIC SAMPLE"), "{}", doc.text);
    assert_eq!(doc.sha256, doctriage::sha256_hex(&png));
    common::assert_unchanged(
        &before,
        &common::snapshot(dir.path()),
        "the cache folder after OCR of a member",
    );
}

/// Base64 in lines of 76 characters, each ending with CRLF.
fn base64_lines(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    let mut line = 0;
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        line += 4;
        if line == 76 {
            out.push_str("\r\n");
            line = 0;
        }
    }
    out.push_str("\r\n");
    out
}
