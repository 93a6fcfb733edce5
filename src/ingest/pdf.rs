//! PDF records: the text layer, page by page, through poppler's `pdftotext` (Debian
//! `poppler-utils`), and the title and date through `pdfinfo -isodates`.
//!
//! The file's bytes go to the tool on its standard input — never a path, never a temporary copy —
//! and each run has a timeout. The document's text is its pages' texts joined with a form feed
//! (U+000C), so every offset, quote, highlight and search works on it as on any record, and a
//! char offset's page is the number of form feeds before it ([`page_of`]).
//!
//! Each page's text layer is scored ([`PageQuality`]): a page of control characters, U+FFFD or
//! private-use code points has no usable text and is named in the document's warnings (it needs
//! OCR). A known trap of real files — Russian PDFs whose fonts map Cyrillic to Latin-1
//! (`ÎÃËÀÂËÅÍÈÅ` for `ОГЛАВЛЕНИЕ`) — is detected and repaired by re-reading the Latin-1 as
//! Windows-1251 ([`repair_cp1251`]), which takes no time where OCR would take minutes.

use std::time::Duration;
#[cfg(test)]
use std::time::Instant;

use super::records::Parsed;
use crate::model::{Document, Origin, Page, PageSource};

/// What separates two pages in a paged document's text.
pub const PAGE_BREAK: char = '\u{c}';

/// At most this many pages of a PDF are read (the rest is named in a warning).
pub const MAX_PAGES: usize = 2000;

/// How long one poppler run may take before it is stopped.
pub const TOOL_TIMEOUT: Duration = crate::tool::TOOL_TIMEOUT;

pub use crate::tool::{ToolError, run_tool};

/// `pdftotext`'s output split into pages (it ends every page with a form feed).
pub fn split_pages(out: &str) -> Vec<String> {
    let mut pages: Vec<String> = out.split(PAGE_BREAK).map(str::to_owned).collect();
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

pub use crate::model::page_of;

/// The char range of each page in the joined text (form feeds between them excluded).
pub fn page_ranges(pages: &[String]) -> Vec<(usize, usize)> {
    let mut at = 0;
    pages
        .iter()
        .map(|p| {
            let n = p.chars().count();
            let r = (at, at + n);
            at += n + 1;
            r
        })
        .collect()
}

/// How usable a page's text layer is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageQuality {
    /// Chars that are not whitespace.
    pub visible: usize,
    /// Letters among them.
    pub letters: usize,
    /// Control characters, U+FFFD and private-use code points: text no one can read.
    pub garbage: usize,
    /// Letters in U+00C0–U+00FF (accented Latin-1).
    pub latin1_letters: usize,
    /// Cyrillic letters.
    pub cyrillic: usize,
    /// Words of three letters or more made only of U+00C0–U+00FF letters (`ÎÃËÀÂËÅÍÈÅ`), which
    /// no Latin-script language writes but a Cyrillic font with a Latin-1 encoding gives.
    pub latin1_words: usize,
}

impl PageQuality {
    /// Scores a page's text.
    pub fn of(text: &str) -> Self {
        let mut q = Self::default();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            q.visible += 1;
            let code = u32::from(c);
            if c.is_control() || c == '\u{fffd}' || (0xE000..=0xF8FF).contains(&code) {
                q.garbage += 1;
            } else if c.is_alphabetic() {
                q.letters += 1;
                if (0xC0..=0xFF).contains(&code) {
                    q.latin1_letters += 1;
                }
                if ('\u{400}'..='\u{52f}').contains(&c) {
                    q.cyrillic += 1;
                }
            }
        }
        q.latin1_words = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| {
                w.chars().count() >= 3 && w.chars().all(|c| ('\u{c0}'..='\u{ff}').contains(&c))
            })
            .count();
        q
    }

    /// True when the page has readable text: some letters, little garbage.
    pub fn readable(&self) -> bool {
        self.visible > 0 && self.garbage * 50 < self.visible && self.letters * 3 >= self.visible
    }

    /// True for the Latin-1 trap: mostly accented Latin-1 letters and no Cyrillic at all, as a
    /// Cyrillic font with a Latin-1 encoding gives (`ÎÃËÀÂËÅÍÈÅ`).
    pub fn looks_like_latin1_cyrillic(&self) -> bool {
        // Mostly such letters, or (a page of Russian prose among ASCII commands and English
        // names) a few words made only of them.
        self.cyrillic == 0
            && self.letters >= 8
            && (self.latin1_letters * 2 >= self.letters || self.latin1_words >= 3)
    }
}

/// Re-reads text whose code points U+0080–U+00FF are Windows-1251 bytes taken for Latin-1
/// (ASCII and anything above U+00FF stay as they are: a ligature or a dash of the English text
/// around); `None` when that gives no Cyrillic or leaves most of those letters as they were.
pub fn repair_cp1251(text: &str) -> Option<String> {
    let before = PageQuality::of(text);
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) if b >= 0x80 => {
                let byte = [b];
                let (decoded, _, _) = encoding_rs::WINDOWS_1251.decode(&byte);
                out.push_str(&decoded);
            }
            _ => out.push(c),
        }
    }
    let after = PageQuality::of(&out);
    (before.latin1_letters > 0
        && after.cyrillic > before.cyrillic
        && after.latin1_letters * 10 <= before.latin1_letters)
        .then_some(out)
}

/// A PDF's text layer and metadata as a document; pages without usable text are named in its
/// warnings. A PDF poppler cannot read is an error with poppler's reason.
pub(crate) fn parse_pdf(bytes: &[u8], base: &Document) -> Parsed {
    let fail = |e: ToolError| Parsed {
        errors: vec![e.to_string()],
        ..Parsed::default()
    };
    if !bytes.starts_with(b"%PDF-")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Parsed {
            errors: vec!["not a PDF file (no %PDF- header)".to_owned()],
            ..Parsed::default()
        };
    }
    let info = run_tool("pdfinfo", &["-isodates", "-"], bytes, TOOL_TIMEOUT)
        .map(|out| String::from_utf8_lossy(&out).into_owned());
    if let Err(ToolError::Failed(_, reason)) = &info
        && reason.to_lowercase().contains("incorrect password")
    {
        return fail(ToolError::Encrypted);
    }
    let last = MAX_PAGES.to_string();
    let out = match run_tool(
        "pdftotext",
        &["-enc", "UTF-8", "-l", &last, "-", "-"],
        bytes,
        TOOL_TIMEOUT,
    ) {
        Ok(out) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) => return fail(e),
    };
    let mut doc = base.clone();
    let mut pages = split_pages(&out);
    let mut repaired = Vec::new();
    for (i, page) in pages.iter_mut().enumerate() {
        let q = PageQuality::of(page);
        let source = if q.looks_like_latin1_cyrillic()
            && let Some(fixed) = repair_cp1251(page)
        {
            *page = fixed;
            repaired.push(i + 1);
            PageSource::PdfTextRepaired
        } else if q.readable() {
            PageSource::PdfText
        } else {
            PageSource::Pending
        };
        doc.pages.push(Page::new(source));
    }
    if !repaired.is_empty() {
        doc.warnings.push(format!(
            "the text layer of {} was Cyrillic in a Latin-1 font encoding, read again as Windows-1251",
            page_list(&repaired)
        ));
    }
    let stated_pages = info.as_deref().ok().and_then(|i| {
        i.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse::<usize>().ok())
    });
    if let Some(n) = stated_pages.filter(|&n| n > MAX_PAGES) {
        doc.warnings.push(format!(
            "only the first {MAX_PAGES} of {n} pages were read (pages {}–{n} were left out)",
            MAX_PAGES + 1
        ));
    }
    doc.text = pages.join(&PAGE_BREAK.to_string());
    doc.encoding = "PDF text layer (pdftotext)".into();
    if let Ok(info) = info {
        apply_info(&mut doc, &info);
    }
    if doc.title.is_empty() {
        doc.title = super::records::file_name(&doc.path).to_owned();
    }
    Parsed {
        documents: vec![doc],
        ..Parsed::default()
    }
}

/// `pdfinfo -isodates` fields: Title becomes the title, CreationDate the date (origin metadata);
/// Author and Producer are kept as metadata of their own.
fn apply_info(doc: &mut Document, info: &str) {
    for line in info.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "Title" => doc.title = value.to_owned(),
            "CreationDate" => {
                doc.date = Some(value.get(..10).unwrap_or(value).to_owned());
                doc.meta_origin = Some(Origin::Metadata);
            }
            "Author" => {
                doc.extra.insert("pdf author".into(), value.to_owned());
            }
            "Producer" => {
                doc.extra.insert("pdf producer".into(), value.to_owned());
            }
            "Creator" => {
                doc.extra.insert("pdf creator".into(), value.to_owned());
            }
            "Encrypted" if value.starts_with("yes") => {
                doc.warnings
                    .push("encrypted (an owner password only: its text could be read)".into());
            }
            _ => {}
        }
    }
}

/// "page 3" or "pages 2, 5, 7".
fn page_list(pages: &[usize]) -> String {
    let list: Vec<String> = pages.iter().map(ToString::to_string).collect();
    if pages.len() == 1 {
        format!("page {}", list[0])
    } else {
        format!("pages {}", list.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_on_form_feeds_and_offsets_find_their_page() {
        let out = "first page\n\u{c}second\n\u{c}";
        let pages = split_pages(out);
        assert_eq!(pages, ["first page\n", "second\n"]);
        let text = pages.join("\u{c}");
        let ranges = page_ranges(&pages);
        assert_eq!(ranges, [(0, 11), (12, 19)]);
        let second = text.find("second").unwrap();
        assert_eq!(page_of(&text, second), 2);
        assert_eq!(page_of(&text, 3), 1);
        // A one-page output without a trailing form feed is one page.
        assert_eq!(split_pages("only"), ["only"]);
    }

    #[test]
    fn the_quality_score_tells_text_from_garbage() {
        assert!(PageQuality::of("Order of Groza-S stations, 14 March 2019.").readable());
        assert!(PageQuality::of("Заказ станций «Гроза-С» от 14 марта 2019 г.").readable());
        assert!(!PageQuality::of("   \n  ").readable(), "an empty page");
        assert!(!PageQuality::of("\u{fffd}\u{fffd}\u{e001}\u{e002}\u{1}ab").readable());
        assert!(
            !PageQuality::of("12 34 56 -- .. 78 90 ||").readable(),
            "no letters"
        );
    }

    #[test]
    fn latin1_mapped_cyrillic_is_detected_and_read_again_as_windows_1251() {
        let trap = "ÎÃËÀÂËÅÍÈÅ\nÂâåäåíèå â ñèñòåìó";
        let q = PageQuality::of(trap);
        assert!(q.looks_like_latin1_cyrillic(), "{q:?}");
        assert_eq!(
            repair_cp1251(trap).as_deref(),
            Some("ОГЛАВЛЕНИЕ\nВведение в систему")
        );
        // French or Azerbaijani text is not the trap, and real Cyrillic is left alone.
        assert!(
            !PageQuality::of("Le délégué a signé la note à Bakou.").looks_like_latin1_cyrillic()
        );
        assert!(!PageQuality::of("Ümumi məlumat: 2018–2022-ci illər").looks_like_latin1_cyrillic());
        assert!(
            !PageQuality::of("Él está aquí; à côté de l'été, où était ça ? Ñandú")
                .looks_like_latin1_cyrillic(),
            "accented words always mix in ASCII letters"
        );
        // A page of LaTeX commands and English with Russian prose among them (lshortru.pdf).
        let mixed = "\\documentclass{article} \\usepackage[russian]{babel}\nÍå î÷åíü êðàòêîå ââåäåíèå â LaTeX2e version 4.20";
        assert!(PageQuality::of(mixed).looks_like_latin1_cyrillic());
        assert_eq!(
            repair_cp1251(mixed).as_deref(),
            Some(
                "\\documentclass{article} \\usepackage[russian]{babel}\nНе очень краткое введение в LaTeX2e version 4.20"
            )
        );
        assert_eq!(repair_cp1251("Гроза"), None);
    }

    #[test]
    fn a_tool_that_hangs_is_stopped_at_its_timeout() {
        let started = Instant::now();
        let r = run_tool("sleep", &["10"], b"", Duration::from_millis(200));
        assert_eq!(r, Err(ToolError::Timeout("sleep", 0)));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            run_tool("doctriage-no-such-tool", &[], b"", TOOL_TIMEOUT),
            Err(ToolError::Missing("doctriage-no-such-tool"))
        );
        // Standard input reaches the tool and its output comes back.
        assert_eq!(
            run_tool("cat", &[], b"bytes in", TOOL_TIMEOUT).as_deref(),
            Ok(&b"bytes in"[..])
        );
    }

    #[test]
    fn page_lists_read_as_english() {
        assert_eq!(page_list(&[3]), "page 3");
        assert_eq!(page_list(&[2, 5]), "pages 2, 5");
    }
}
