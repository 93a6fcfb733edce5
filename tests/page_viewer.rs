//! The page image of a scanned record in the window: OCR runs in the background after loading
//! (really, with tesseract), the page image shows the selected quote boxed on its words, a
//! rectangle dragged over the image selects the words under it, and a cancelled OCR leaves the
//! record pending and says so.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::gui::{harness_builder, select_in_viewer};
use common::{char_span, chars, fixture};
use doctriage::gui::App;
use doctriage::gui::viewer::BoxKind;
use doctriage::model::PageSource;
use egui::{Modifiers, PointerButton};
use egui_kittest::kittest::Queryable as _;
use egui_kittest::{Harness, SnapshotOptions};

type Window = Harness<'static, App>;

/// The scanned letter every test reads (a PNG: one page, no text layer).
const SCAN: &str = "scan/delivery_note_scan.png";

fn tesseract_installed() -> bool {
    std::process::Command::new("tesseract")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A cache folder with the scanned letter and the sample article.
fn scan_cache(tmp: &Path) -> PathBuf {
    let dir = tmp.join("cache");
    common::write(
        &dir,
        "letters/delivery_note_scan.png",
        std::fs::read(fixture(SCAN)).expect("the scan fixture"),
    );
    common::write(
        &dir,
        "article.md",
        std::fs::read(common::sample().join("article.md")).expect("the sample article"),
    );
    dir
}

fn window(cache: PathBuf, session: PathBuf) -> Window {
    let mut h = harness_builder().build_eframe(move |_cc| {
        App::new_blocking_for_tests_with_own_ocr_cache(cache, Some(session))
    });
    h.run();
    h
}

/// Runs frames until `done` holds (the page image is made on a thread of its own).
fn run_until(h: &mut Window, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.run();
    }
    h.run();
}

fn drag(h: &mut Window, from: egui::Pos2, to: egui::Pos2) {
    h.event(egui::Event::PointerMoved(from));
    h.run();
    h.event(egui::Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.run();
    for k in 1..=6 {
        let t = k as f32 / 6.0;
        h.event(egui::Event::PointerMoved(from + (to - from) * t));
        h.run();
    }
    h.event(egui::Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
}

#[test]
fn a_scanned_page_is_read_by_ocr_and_the_selected_quote_is_boxed_on_its_image() {
    assert!(
        tesseract_installed(),
        "this test needs tesseract (tesseract-ocr)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let cache = scan_cache(tmp.path());
    let mut h = window(cache, tmp.path().join("review.json"));
    {
        let app = h.state();
        let doc = &app.cache().documents[0];
        assert_eq!(doc.pages.len(), 1);
        assert_eq!(doc.pages[0].source, PageSource::Pending, "read before OCR");
        assert!(app.is_ocr_running(), "OCR starts after loading");
    }
    h.state_mut().wait_for_ocr();
    h.run();
    let doc = h.state().cache().documents[0].clone();
    assert_eq!(doc.text_source(), "ocr");
    assert!(doc.text.contains("Groza-S stations"), "{}", doc.text);
    assert!(!h.state().is_ocr_running());
    assert_eq!(h.state().ocr_status().pending, 0);
    assert_eq!(h.state().viewer_ocr_note(), None, "nothing waits any more");
    assert_eq!(
        h.state().current_document_id(),
        Some(doc.id.as_str()),
        "the document shown stays"
    );
    // The suggestions are computed again from the OCR'd text.
    let suggestions = h.state().workspace().suggestions().get(&doc.id).cloned();
    assert!(
        suggestions.is_some_and(|s| !s.dates.is_empty()),
        "the letter's dates are suggested from its new text"
    );

    run_until(&mut h, "the page image", App::page_image_ready);
    assert_eq!(h.state().shown_page(), Some((doc.id.as_str(), 1)));
    let quote = "Groza-S stations";
    let (a, b) = char_span(&doc.text, quote);
    select_in_viewer(&mut h, a, b);
    h.run();
    let boxes = h.state().page_boxes().to_vec();
    let q = boxes
        .iter()
        .find(|bx| bx.kind == BoxKind::Quote)
        .unwrap_or_else(|| panic!("no box for the quote: {boxes:?}"));
    assert_eq!(q.chars, (a, b));
    assert_eq!(q.page, 1);
    // The fixture's line "Four Groza-S stations were delivered" is drawn at x 70, baseline 320
    // (30 pt): the quote's words start after "Four " and sit on that line.
    let [x, y, w, hgt] = q.union;
    assert!((120..260).contains(&x), "x {x}");
    assert!((285..325).contains(&y), "y {y}");
    assert!((200..420).contains(&w), "w {w}");
    assert!((15..50).contains(&hgt), "h {hgt}");
    let image = h.get_by_label("Page image, page 1").rect();
    assert!(image.contains_rect(q.screen.shrink(2.0)), "{image:?} {q:?}");

    // The index follows the OCR'd text: done before the picture (no progress in the status bar).
    h.state_mut().take_index();
    h.remove_cursor();
    h.run();
    h.snapshot_options(
        "page_viewer_boxed_quote",
        &SnapshotOptions::new().threshold(0.6).max_failed_pixels(64),
    );

    // A rectangle dragged over the date line selects its words, as selecting them does.
    let line = char_span(&doc.text, "Baku, 3 March 2021");
    let date_box = doctriage::ocr::boxes::quote_boxes(&doc, line.0, line.1).unwrap();
    let k = image.width() / date_box.width as f32;
    let at = |px: u32, py: u32| image.min + egui::vec2(px as f32 * k, py as f32 * k);
    let [dx, dy, dw, dh] = date_box.union;
    drag(&mut h, at(dx - 10, dy - 6), at(dx + dw + 10, dy + dh + 6));
    let sel = h
        .state()
        .viewer_selection()
        .cloned()
        .expect("the drag selects");
    assert_eq!(
        chars(&doc.text, sel.start, sel.end),
        "Baku, 3 March 2021",
        "the words under the rectangle"
    );
    assert!(
        h.state()
            .page_boxes()
            .iter()
            .any(|bx| bx.kind == BoxKind::Quote && bx.chars == (sel.start, sel.end)),
        "the dragged words are boxed"
    );
}

#[test]
fn with_ocr_cancelled_the_scan_stays_pending_and_the_viewer_says_so() {
    assert!(
        tesseract_installed(),
        "this test needs tesseract (tesseract-ocr)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let cache = scan_cache(tmp.path());
    // More scans (each of other bytes), so OCR cannot be done before Cancel is clicked.
    let scan = image::open(fixture(SCAN)).unwrap().to_luma8();
    for n in 0..7u8 {
        let mut copy = scan.clone();
        copy.put_pixel(u32::from(n), 0, image::Luma([200 - n]));
        copy.save(cache.join(format!("letters/scan_copy_{n}.png")))
            .unwrap();
    }
    let mut h = window(cache, tmp.path().join("review.json"));
    assert!(h.state().is_ocr_running());
    h.get_by_label("Cancel OCR").click();
    h.run();
    h.state_mut().wait_for_ocr();
    h.run();
    let app = h.state();
    assert!(!app.is_ocr_running());
    assert!(app.ocr_status().cancelled);
    let pending: Vec<String> = app
        .cache()
        .documents
        .iter()
        .filter(|d| d.text_source() == "pending")
        .map(|d| d.id.clone())
        .collect();
    assert!(pending.len() > 1, "cancelled before every scan was read");
    let waiting = format!("{} pages wait for OCR", pending.len());
    assert_eq!(
        app.ocr_status().pending,
        pending.len(),
        "one page each waits"
    );
    // The document shown is one still waiting: the viewer says so.
    let first = app.cache().documents[0].clone();
    if first.text_source() != "pending" {
        assert!(h.state_mut().select_document(&pending[0]));
        h.run();
    }
    let note = h
        .state()
        .viewer_ocr_note()
        .expect("the viewer says the page waits");
    assert_eq!(note, "page 1 waits for OCR (OCR was cancelled)");
    assert!(
        h.query_all_by_label_contains("page 1 waits for OCR")
            .next()
            .is_some(),
        "shown in the window"
    );
    assert!(
        h.query_all_by_label_contains(&waiting).next().is_some(),
        "the status bar counts the pages waiting"
    );
}

#[test]
fn page_down_and_page_up_turn_a_pdfs_pages_while_the_viewer_has_the_focus() {
    assert!(
        tesseract_installed(),
        "this test needs tesseract (tesseract-ocr)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cache");
    common::write(
        &dir,
        "letters/two_pages.pdf",
        std::fs::read(fixture("pdf/page_two_without_text.pdf")).unwrap(),
    );
    let mut h = window(dir, tmp.path().join("review.json"));
    h.state_mut().wait_for_ocr();
    h.run();
    let doc = h.state().cache().documents[0].clone();
    assert_eq!(doc.pages.len(), 2);
    assert_eq!(doc.pages[0].source, PageSource::PdfText);
    assert_eq!(
        doc.pages[1].source,
        PageSource::Ocr,
        "page two was read by OCR"
    );
    assert_eq!(h.state().shown_page(), Some((doc.id.as_str(), 1)));
    run_until(&mut h, "the image of page 1", App::page_image_ready);
    h.get_by_label("Document text").focus();
    h.run();
    h.key_press(egui::Key::PageDown);
    // Page 2's image is being made: its spinner repaints, so a few frames, not "until still".
    h.run_steps(2);
    assert_eq!(h.state().shown_page(), Some((doc.id.as_str(), 2)));
    run_until(&mut h, "the image of page 2", App::page_image_ready);
    h.key_press(egui::Key::PageDown);
    h.run();
    assert_eq!(
        h.state().shown_page(),
        Some((doc.id.as_str(), 2)),
        "the last page"
    );
    h.key_press(egui::Key::PageUp);
    h.run();
    assert_eq!(h.state().shown_page(), Some((doc.id.as_str(), 1)));
    h.get_by_label("▶").click();
    h.run();
    assert_eq!(h.state().shown_page(), Some((doc.id.as_str(), 2)));
    assert!(h.query_by_label("page 2 of 2").is_some());
}

/// A session with a quote on a scanned page, opened in the window: the quote is checked once
/// OCR has read its page, not against the empty page it was before (no false "no longer
/// matches").
#[test]
fn a_quote_on_a_scan_is_checked_once_its_page_is_read() {
    use doctriage::Workspace;
    use doctriage::session::{self, Relation};
    if !tesseract_installed() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cache = scan_cache(tmp.path());
    let path = tmp.path().join("review.doctriage.json");
    let quote = "Groza-S stations";
    {
        let mut ws = Workspace::create_session(&cache, &path, "A", false).unwrap();
        let doc = ws.cache().documents[0].clone();
        assert_eq!(doc.text_source(), "ocr");
        let (a, b) = char_span(&doc.text, quote);
        let cmd = session::link_command(
            ws.cache(),
            &doc.id,
            "S5",
            Relation::Supports,
            Some(session::Quote::new(quote, a, b)),
            None,
        )
        .unwrap();
        ws.apply(cmd).unwrap();
        ws.save().unwrap();
    }
    let mut app = App::new_blocking_for_tests(cache, Some(path));
    app.wait_for_ocr();
    let complaints: Vec<&str> = app
        .log()
        .iter()
        .map(|e| e.text.as_str())
        .filter(|t| t.contains("quote"))
        .collect();
    assert!(complaints.is_empty(), "{complaints:?}");
    assert!(!app.is_dirty(), "nothing moved");
}
