//! Real files no one here wrote, fetched by `scripts/fetch_real_files.sh` (their licences do
//! not let us commit them; `scripts/test.sh` fetches them before the tests): OCRmyPDF's test
//! scans with their ground truth, pypdf's encrypted PDFs, and a Russian TeX manual whose fonts
//! map Cyrillic to Latin-1. Read with no language configured, as an analyst would first open
//! them.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use doctriage::PageSource;

/// The folder the fetch script fills; `None` (after a note, or a failure on CI) when it is not
/// there.
fn real_files() -> Option<PathBuf> {
    let dir = std::env::var_os("DOCTRIAGE_REAL_FILES")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("target").join("real-files"));
    if dir.join(".complete").is_file() {
        Some(dir)
    } else {
        common::skip_unless_ci(&format!(
            "the real files are not fetched (run scripts/fetch_real_files.sh): {}",
            dir.display()
        ));
        None
    }
}

/// A cache of copies of some fetched files (`sub/name`), read as the command line reads it.
fn read(real: &Path, files: &[&str]) -> (tempfile::TempDir, doctriage::Cache) {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in files {
        let name = Path::new(f).file_name().expect("a name").to_string_lossy();
        common::write(
            dir.path(),
            &name,
            std::fs::read(real.join(f)).expect("a fetched file"),
        );
    }
    let cache = common::scan(dir.path());
    (dir, cache)
}

/// Lower-cased `\w+` tokens.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The share of `truth`'s tokens found in `text` (multiset intersection over `truth`'s count).
fn recall(text: &str, truth: &str) -> f64 {
    let mut have: HashMap<String, usize> = HashMap::new();
    for t in tokens(text) {
        *have.entry(t).or_default() += 1;
    }
    let truth = tokens(truth);
    let mut hit = 0;
    for t in &truth {
        if let Some(n) = have.get_mut(t)
            && *n > 0
        {
            *n -= 1;
            hit += 1;
        }
    }
    hit as f64 / truth.len().max(1) as f64
}

#[test]
fn ocrmypdf_scans_are_read_with_a_word_recall_of_at_least_0_9() {
    if !(common::require_tool("tesseract") && common::require_tool("pdftotext")) {
        return;
    }
    let Some(real) = real_files() else { return };
    let truth = std::fs::read_to_string(real.join("ocrmypdf/linn.txt")).expect("linn.txt");
    let (_dir, cache) = read(
        &real,
        &[
            "ocrmypdf/linn.pdf",
            "ocrmypdf/skew.pdf",
            "ocrmypdf/rotated_skew.pdf",
        ],
    );
    for id in ["linn.pdf", "skew.pdf", "rotated_skew.pdf"] {
        let doc = common::document(&cache, id);
        assert_eq!(doc.text_source(), "ocr", "{id}: {:?}", doc.warnings);
        let r = recall(&doc.text, &truth);
        let langs = doc.pages[0].ocr.as_ref().map(|o| o.languages.clone());
        eprintln!("{id}: recall {r:.3} with {langs:?}");
        assert!(
            r >= 0.9,
            "{id}: recall {r:.3} with {langs:?}:\n{}",
            doc.text
        );
        assert_eq!(langs.as_deref(), Some("eng"), "{id}: English is chosen");
    }
}

#[test]
fn a_russian_tex_manual_comes_out_as_cyrillic_and_text_layers_agree_with_pdftotext() {
    if !(common::require_tool("tesseract") && common::require_tool("pdftotext")) {
        return;
    }
    let Some(real) = real_files() else { return };
    let (dir, cache) = read(&real, &["texlive/lshortru.pdf"]);
    let doc = common::document(&cache, "lshortru.pdf");
    assert_eq!(doc.pages.len(), 153);
    assert!(doc.pending_pages().is_empty(), "{:?}", doc.warnings);
    assert!(
        doc.text.contains("ОГЛАВЛЕНИЕ"),
        "the table of contents is Cyrillic"
    );
    assert!(
        doc.text.contains("Не очень краткое"),
        "the title page is Cyrillic"
    );
    let pages: Vec<&str> = doc.text.split('\u{c}').collect();
    let cyrillic = |t: &str| {
        t.chars()
            .filter(|c| ('\u{400}'..='\u{4ff}').contains(c))
            .count()
    };
    let latin1 = |t: &str| {
        t.chars()
            .filter(|c| ('\u{c0}'..='\u{ff}').contains(c))
            .count()
    };
    let russian_pages = pages.iter().filter(|p| cyrillic(p) > 200).count();
    assert!(
        russian_pages > 120,
        "{russian_pages} pages of Russian of 153"
    );
    let left: Vec<usize> = (0..pages.len())
        .filter(|&i| latin1(pages[i]) > 50)
        .map(|i| i + 1)
        .collect();
    assert!(
        left.is_empty(),
        "pages still in Latin-1 look-alikes: {left:?}"
    );

    // Pages read from the text layer (not repaired, not OCR'd) are pdftotext's words.
    let file = dir.path().join("lshortru.pdf");
    let mut checked = 0;
    for (i, page) in doc.pages.iter().enumerate() {
        if page.source != PageSource::PdfText {
            continue;
        }
        let n = (i + 1).to_string();
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", "-f", &n, "-l", &n])
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext");
        let theirs = String::from_utf8_lossy(&out.stdout);
        if tokens(&theirs).len() < 20 {
            continue;
        }
        let r = recall(pages[i], &theirs);
        assert!(r >= 0.97, "page {n}: {r:.3} of pdftotext's words");
        checked += 1;
    }
    // Most pages are repaired (Latin-1 look-alikes), so only a few are the text layer as is.
    assert!(checked >= 3, "{checked} text-layer pages compared");
}

#[test]
fn pdfs_needing_a_user_password_are_named_encrypted_and_owner_only_ones_open() {
    if !common::require_tool("pdftotext") {
        return;
    }
    let Some(real) = real_files() else { return };
    let (_dir, cache) = read(
        &real,
        &[
            "pypdf/r2-user-password.pdf",
            "pypdf/r4-aes-user-password.pdf",
            "pypdf/r6-both-passwords.pdf",
            "pypdf/r2-owner-password.pdf",
            "pypdf/r6-owner-password.pdf",
            "pypdf/unencrypted.pdf",
            "ocrmypdf/invalid.pdf",
        ],
    );
    let error = |name: &str| {
        cache
            .errors
            .iter()
            .find(|e| e.path == name)
            .map(|e| e.error.clone())
    };
    for name in [
        "r2-user-password.pdf",
        "r4-aes-user-password.pdf",
        "r6-both-passwords.pdf",
    ] {
        assert_eq!(
            error(name).as_deref(),
            Some("encrypted: a user password is needed to read it"),
            "{name}"
        );
    }
    for name in ["r2-owner-password.pdf", "r6-owner-password.pdf"] {
        let doc = common::document(&cache, name);
        assert!(!doc.text.trim().is_empty(), "{name} opens");
        assert!(
            doc.warnings
                .iter()
                .any(|w| w.contains("owner password only")),
            "{name}: {:?}",
            doc.warnings
        );
    }
    assert!(
        common::document(&cache, "unencrypted.pdf")
            .warnings
            .is_empty()
    );
    let invalid = error("invalid.pdf").expect("invalid.pdf is an error");
    assert!(
        invalid.starts_with("pdftotext could not read it: "),
        "{invalid}"
    );
}

#[test]
fn a_scan_with_a_text_page_and_a_type3_font_without_unicode_get_ocr_where_needed() {
    if !(common::require_tool("tesseract") && common::require_tool("pdftotext")) {
        return;
    }
    let Some(real) = real_files() else { return };
    let (_dir, cache) = read(
        &real,
        &[
            "ocrmypdf/multipage.pdf",
            "ocrmypdf/type3_font_nomapping.pdf",
        ],
    );
    let multi = common::document(&cache, "multipage.pdf");
    assert_eq!(multi.pages.len(), 6);
    assert_eq!(multi.text_source(), "mixed", "{:?}", multi.warnings);
    assert!(multi.pending_pages().is_empty());
    let type3 = common::document(&cache, "type3_font_nomapping.pdf");
    assert_eq!(type3.text_source(), "ocr", "{:?}", type3.warnings);
    // Its text layer is two control characters; the page shows the two letters "ua".
    assert_eq!(type3.text.trim(), "ua");
}
