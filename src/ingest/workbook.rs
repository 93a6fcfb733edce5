//! Workbooks (XLSX, XLSM, XLSB, XLS, ODS) read through `calamine`: one document whose sheets are
//! pages, each sheet's rows one per line with cells separated by a tab, and what the workbook's
//! properties say.
//!
//! `calamine` has no limits of its own, so a zip-based workbook is checked with the `zip` crate
//! first: the sizes its parts declare (which `zip` holds them to when they are read) and their
//! compression ratios. XLSX and XLSB sheets are streamed cell by cell, so a sheet's memory is
//! that of its cells rather than of the rectangle they span.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::AssertUnwindSafe;

use calamine::{Data, ExcelDateTime, OdsError, Reader, SheetType, SheetVisible, Sheets, XlsError};
use zip::ZipArchive;

/// One sheet of a workbook as text.
#[derive(Debug)]
pub(crate) struct Sheet {
    /// The sheet's name, as the workbook gives it.
    pub name: String,
    /// Rows one per line, cells as text separated by a tab, trailing empty cells dropped, empty
    /// rows kept as empty lines only between non-empty ones (no runs of blank lines).
    pub text: String,
}

/// The sheets of a workbook in order, with its metadata and what could not be read.
#[derive(Debug, Default)]
pub(crate) struct WorkbookText {
    /// The sheets that could be read, in workbook order.
    pub sheets: Vec<Sheet>,
    /// Metadata as (key, value): "workbook sheets", "workbook sheet names", "workbook hidden
    /// sheets", "workbook macros", and the document properties as "office author", "office
    /// created", ...
    pub metadata: Vec<(String, String)>,
    /// Visible warnings (a sheet that could not be read, a sheet's text cut, ...).
    pub warnings: Vec<String>,
}

/// The signature of an OLE compound file: a legacy `.xls`, or an encrypted OOXML workbook.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A part over this many bytes uncompressed must not be compressed more than
/// [`MAX_RATIO`]:1.
const RATIO_FLOOR: u64 = 1 << 20;

/// The highest compression ratio allowed for a part over [`RATIO_FLOOR`].
const MAX_RATIO: u64 = 200;

/// Most cells an ODS sheet may span (rows up to its last used one × columns up to its widest
/// used one). calamine builds the whole rectangle, and an ODS row or cell can say in a few bytes
/// that it repeats a million times: a 500-byte ODS of 99 million repeated cells grew past 6 GB in
/// 19 s, then asked for 3.2 GB more at once (under an 8 GB limit: an abort, not a panic).
const MAX_ODS_CELLS: u64 = 10_000_000;

/// Longest metadata value kept, in characters.
const MAX_VALUE_CHARS: usize = 1000;

/// The format a workbook's bytes turned out to have (not always its extension's).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Binary Office Open XML (`.xlsb`).
    Xlsb,
    /// BIFF in an OLE container (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

/// The sheets of a workbook as text, with its metadata.
///
/// `ext` is the lower-case extension ("xlsx", "xlsm", "xlsb", "xls", "ods"); the bytes decide
/// the format when they disagree with it (a `.xls` that is an XLSX is read as one).
/// `max_uncompressed_bytes`: for the zip-based formats, the sum of the zip's declared
/// uncompressed sizes must not exceed it and no part may have a compression ratio over 200:1
/// when over 1 MiB (checked with the zip crate before calamine reads anything, since calamine
/// has no limits) — otherwise Err with a clear reason. It also bounds the text kept.
pub(crate) fn workbook_text(
    bytes: &[u8],
    ext: &str,
    max_uncompressed_bytes: u64,
) -> Result<WorkbookText, String> {
    let ext = ext.to_ascii_lowercase();
    if !matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        return Err(format!("not a workbook extension: {ext}"));
    }
    let (kind, macros) = if bytes.starts_with(OLE_MAGIC) {
        if contains_utf16(bytes, "EncryptedPackage") {
            return Err("encrypted workbook: not read".to_owned());
        }
        (Kind::Xls, false)
    } else if bytes.starts_with(b"PK") {
        let (kind, macros) = check_zip(bytes, max_uncompressed_bytes)?;
        if kind == Kind::Ods {
            check_ods_span(bytes, max_uncompressed_bytes)?;
        }
        (kind, macros)
    } else {
        return Err(format!(
            "not a {ext} workbook: neither a zip nor an OLE container"
        ));
    };
    // calamine indexes out of bounds on some damaged files (a truncated XLS's last sector):
    // its panic is this file's error, not the scan's.
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        read_book(bytes, kind, macros, max_uncompressed_bytes)
    }))
    .unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(format!(
            "unreadable {kind:?} workbook: the reader failed ({why})"
        ))
    })
}

/// Reads the sheets and properties of a workbook whose format is `kind` (checked before).
fn read_book(
    bytes: &[u8],
    kind: Kind,
    macros: bool,
    max_uncompressed_bytes: u64,
) -> Result<WorkbookText, String> {
    let mut out = WorkbookText::default();
    let mut book = open(bytes, kind)?;
    if macros {
        out.metadata.push((
            "workbook macros".to_owned(),
            "VBA project present".to_owned(),
        ));
    }
    let sheets: Vec<calamine::Sheet> = book.sheets_metadata().to_vec();
    out.metadata
        .push(("workbook sheets".to_owned(), sheets.len().to_string()));
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    if !names.is_empty() {
        out.metadata
            .push(("workbook sheet names".to_owned(), names.join(", ")));
    }
    let hidden: Vec<String> = sheets
        .iter()
        .filter_map(|s| match s.visible {
            SheetVisible::Visible => None,
            SheetVisible::Hidden => Some(s.name.clone()),
            SheetVisible::VeryHidden => Some(format!("{} (very hidden)", s.name)),
        })
        .collect();
    if !hidden.is_empty() {
        out.metadata
            .push(("workbook hidden sheets".to_owned(), hidden.join(", ")));
    }
    properties(&mut book, &mut out.metadata);
    let mut budget = usize::try_from(max_uncompressed_bytes).unwrap_or(usize::MAX);
    let mut tried = 0;
    for sheet in &sheets {
        if matches!(sheet.typ, SheetType::ChartSheet | SheetType::Vba) {
            continue;
        }
        tried += 1;
        match sheet_cells(&mut book, &sheet.name, budget) {
            Ok(cells) => {
                let (text, cut) = cells.text();
                budget = budget.saturating_sub(text.len());
                if cut {
                    out.warnings.push(format!(
                        "sheet {}: text cut at the limit of {max_uncompressed_bytes} bytes",
                        sheet.name
                    ));
                }
                out.sheets.push(Sheet {
                    name: sheet.name.clone(),
                    text,
                });
            }
            Err(e) => out
                .warnings
                .push(format!("sheet {}: not read: {e}", sheet.name)),
        }
    }
    if out.sheets.is_empty() {
        return Err(if tried == 0 {
            "workbook has no sheets".to_owned()
        } else {
            format!("no sheet could be read ({})", out.warnings.join("; "))
        });
    }
    Ok(out)
}

/// Whether `bytes` hold `needle` in UTF-16LE (the stream names of an OLE directory).
fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let needle: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Checks a zip-based workbook's declared sizes and compression ratios, and tells which format
/// its parts make and whether it holds a VBA project.
fn check_zip(bytes: &[u8], max_uncompressed_bytes: u64) -> Result<(Kind, bool), String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("corrupt zip: {e}"))?;
    let mut total: u64 = 0;
    let (mut xlsx, mut xlsb, mut ods, mut macros) = (false, false, false, false);
    for index in 0..zip.len() {
        let file = zip
            .by_index_raw(index)
            .map_err(|e| format!("corrupt zip: {e}"))?;
        let name = String::from_utf8_lossy(file.name_raw()).into_owned();
        if file.encrypted() {
            return Err("encrypted workbook: not read".to_owned());
        }
        let size = file.size();
        total = total.saturating_add(size);
        if total > max_uncompressed_bytes {
            return Err(format!(
                "workbook too large: its parts declare more than {max_uncompressed_bytes} bytes uncompressed; not read"
            ));
        }
        let ratio = size / file.compressed_size().max(1);
        if size > RATIO_FLOOR && ratio > MAX_RATIO {
            return Err(format!(
                "suspected zip bomb: {name} expands {ratio}:1 to {size} bytes; not read"
            ));
        }
        match name.as_str() {
            "xl/workbook.xml" => xlsx = true,
            "xl/workbook.bin" => xlsb = true,
            "content.xml" => ods = true,
            "xl/vbaProject.bin" => macros = true,
            _ => {}
        }
    }
    let kind = if xlsb {
        Kind::Xlsb
    } else if xlsx {
        Kind::Xlsx
    } else if ods {
        Kind::Ods
    } else {
        return Err(
            "not a workbook: the zip has no xl/workbook.xml, xl/workbook.bin or content.xml"
                .to_owned(),
        );
    };
    Ok((kind, macros))
}

/// Checks that no sheet of an ODS spans more than [`MAX_ODS_CELLS`] once its repeated rows and
/// cells are counted (`content.xml` is read within the size already checked).
fn check_ods_span(bytes: &[u8], max_uncompressed_bytes: u64) -> Result<(), String> {
    use quick_xml::events::{BytesStart, Event};
    use std::io::Read;

    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("corrupt zip: {e}"))?;
    let mut xml = Vec::new();
    zip.by_name("content.xml")
        .map_err(|e| format!("corrupt zip: content.xml: {e}"))?
        .take(max_uncompressed_bytes)
        .read_to_end(&mut xml)
        .map_err(|e| format!("corrupt zip: content.xml: {e}"))?;
    let repeat = |e: &BytesStart<'_>, name: &[u8]| {
        e.attributes()
            .with_checks(false)
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)
            .and_then(|a| {
                std::str::from_utf8(&a.value)
                    .ok()?
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .unwrap_or(1)
    };
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    // Per table: rows so far, the end of the last used row, the widest used row; per row: its
    // repeat, the next cell's column, the end of its last used cell.
    let (mut rows, mut used_rows, mut width) = (0u64, 0u64, 0u64);
    let (mut row_repeat, mut col, mut row_width) = (1u64, 0u64, 0u64);
    loop {
        let (e, has_content) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, true),
            Ok(Event::Empty(e)) => (e, false),
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    b"table-row" => {
                        if row_width > 0 {
                            width = width.max(row_width);
                            used_rows = rows.saturating_add(row_repeat);
                        }
                        rows = rows.saturating_add(row_repeat);
                    }
                    b"table" => {
                        let span = used_rows.saturating_mul(width);
                        if span > MAX_ODS_CELLS {
                            return Err(format!(
                                "ODS sheet too large: it spans {span} cells with its repeats (limit {MAX_ODS_CELLS}); not read"
                            ));
                        }
                        (rows, used_rows, width) = (0, 0, 0);
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {
                buf.clear();
                continue;
            }
        };
        match e.local_name().as_ref() {
            b"table-row" => {
                row_repeat = repeat(&e, b"number-rows-repeated");
                (col, row_width) = (0, 0);
                if !has_content {
                    rows = rows.saturating_add(row_repeat);
                }
            }
            b"table-cell" | b"covered-table-cell" => {
                let n = repeat(&e, b"number-columns-repeated");
                let valued = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .any(|a| a.key.local_name().as_ref() == b"value-type");
                col = col.saturating_add(n);
                if has_content || valued {
                    row_width = col;
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// Opens the workbook with calamine's reader for `kind`.
fn open(bytes: &[u8], kind: Kind) -> Result<Sheets<Cursor<&[u8]>>, String> {
    let cursor = Cursor::new(bytes);
    let unreadable = |e: &dyn std::fmt::Display| format!("unreadable {kind:?} workbook: {e}");
    match kind {
        Kind::Xlsx => calamine::Xlsx::new(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e| unreadable(&e)),
        Kind::Xlsb => calamine::Xlsb::new(cursor)
            .map(Sheets::Xlsb)
            .map_err(|e| unreadable(&e)),
        Kind::Xls => calamine::Xls::new(cursor)
            .map(Sheets::Xls)
            .map_err(|e| match e {
                XlsError::Password => "encrypted workbook: not read".to_owned(),
                e => unreadable(&e),
            }),
        Kind::Ods => calamine::Ods::new(cursor)
            .map(Sheets::Ods)
            .map_err(|e| match e {
                OdsError::Password => "encrypted workbook: not read".to_owned(),
                e => unreadable(&e),
            }),
    }
}

/// The workbook's document properties as metadata, keys as for word-processing files.
fn properties(book: &mut Sheets<Cursor<&[u8]>>, metadata: &mut Vec<(String, String)>) {
    let Ok(p) = book.workbook_properties() else {
        return;
    };
    let mut push = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            let value: String = value.trim().chars().take(MAX_VALUE_CHARS).collect();
            if !value.is_empty() {
                metadata.push((key.to_owned(), value));
            }
        }
    };
    push("office title", p.title);
    push("office author", p.creator);
    push("office last modified by", p.last_modified_by);
    push("office created", p.created);
    push("office modified", p.modified);
    push("office subject", p.subject);
    push("office keywords", p.keywords);
    push("office description", p.description);
    push("office category", p.category);
    push("office application", p.application);
    push("office company", p.company);
    push("office manager", p.manager);
    push("office template", p.template);
    let mut custom: Vec<(String, String)> = p.custom_properties.into_iter().collect();
    custom.sort();
    for (name, value) in custom {
        push(
            &format!("office custom {}", name.to_lowercase()),
            Some(value),
        );
    }
}

/// The non-empty cells of a sheet as text, by row, up to a budget of bytes.
struct Cells {
    /// Row → (column, text), in reading order.
    rows: BTreeMap<u32, Vec<(u32, String)>>,
    /// Bytes the sheet's text may take.
    budget: usize,
    /// Bytes of the cells kept (with a separator each).
    bytes: usize,
    /// A cell was left out for the budget.
    cut: bool,
}

impl Cells {
    /// No cells yet; their text may take `budget` bytes.
    fn new(budget: usize) -> Self {
        Self {
            rows: BTreeMap::new(),
            budget,
            bytes: 0,
            cut: false,
        }
    }

    /// Adds a cell (empty ones are left out); `false` once the budget is spent.
    fn add(&mut self, row: u32, col: u32, value: &Data) -> bool {
        let text = cell_text(value);
        if text.is_empty() {
            return !self.cut;
        }
        self.bytes = self.bytes.saturating_add(text.len() + 1);
        if self.bytes > self.budget {
            self.cut = true;
            return false;
        }
        self.rows.entry(row).or_default().push((col, text));
        true
    }

    /// The rows one per line, cells separated by a tab at their column (counted from the
    /// sheet's first used column), one blank line for any gap between rows; cut when it would
    /// pass the budget (then `true`).
    fn text(self) -> (String, bool) {
        let budget = self.budget;
        let first_col = self
            .rows
            .values()
            .flat_map(|cells| cells.iter().map(|(col, _)| *col))
            .min()
            .unwrap_or(0);
        let mut out = String::new();
        let mut last_row: Option<u32> = None;
        for (row, mut cells) in self.rows {
            cells.sort_by_key(|(col, _)| *col);
            let mut line = String::new();
            let mut prev: Option<u32> = None;
            for (col, text) in cells {
                let tabs = match prev {
                    None => col.saturating_sub(first_col),
                    Some(prev) => col.saturating_sub(prev).max(1),
                };
                let tabs = usize::try_from(tabs).unwrap_or(usize::MAX);
                if out.len().saturating_add(line.len()).saturating_add(tabs) > budget {
                    return (out, true);
                }
                line.extend(std::iter::repeat_n('\t', tabs));
                line.push_str(&text);
                prev = Some(col);
            }
            let gap = match last_row {
                None => "",
                Some(last) if row > last.saturating_add(1) => "\n\n",
                Some(_) => "\n",
            };
            if out.len() + gap.len() + line.len() > budget {
                return (out, true);
            }
            out.push_str(gap);
            out.push_str(&line);
            last_row = Some(row);
        }
        (out, self.cut)
    }
}

/// The cells of sheet `name`: XLSX and XLSB streamed cell by cell, XLS and ODS from calamine's
/// range.
fn sheet_cells(
    book: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    budget: usize,
) -> Result<Cells, String> {
    let mut cells = Cells::new(budget);
    match book {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                let (row, col) = cell.get_position();
                if !cells.add(row, col, &Data::from(cell.get_value().clone())) {
                    break;
                }
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                let (row, col) = cell.get_position();
                if !cells.add(row, col, &Data::from(cell.get_value().clone())) {
                    break;
                }
            }
        }
        book @ (Sheets::Xls(_) | Sheets::Ods(_)) => {
            let range = book.worksheet_range(name).map_err(|e| e.to_string())?;
            for (row, col, value) in range.used_cells() {
                let row = u32::try_from(row).unwrap_or(u32::MAX);
                let col = u32::try_from(col).unwrap_or(u32::MAX);
                if !cells.add(row, col, value) {
                    break;
                }
            }
        }
    }
    Ok(cells)
}

/// A cell as text: numbers without a needless `.0` (to Excel's 15 significant digits), dates as
/// ISO 8601, booleans TRUE/FALSE, errors as Excel writes them ("#DIV/0!"); tabs and line breaks
/// inside a cell become spaces so that a row stays one line.
fn cell_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.replace(['\t', '\n', '\r'], " ").trim_end().to_owned(),
        Data::Float(f) => number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(true) => "TRUE".to_owned(),
        Data::Bool(false) => "FALSE".to_owned(),
        Data::DateTime(dt) => date_time(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as Excel shows it in a General cell: 15 significant digits, no trailing zeros.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded == 0.0 {
        return "0".to_owned();
    }
    rounded.to_string()
}

/// An Excel date or time as ISO 8601: a date alone when it has no time of day, a time alone
/// when it has no date, a duration as hours:minutes:seconds.
fn date_time(dt: &ExcelDateTime) -> String {
    let value = dt.as_f64();
    if dt.is_duration() || !value.is_finite() {
        if !value.is_finite() {
            return number(value);
        }
        let seconds = (value * 86_400.0).round() as i64;
        let sign = if seconds < 0 { "-" } else { "" };
        let s = seconds.unsigned_abs();
        return format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let time = if ms > 0 {
        format!("{h:02}:{mi:02}:{s:02}.{ms:03}")
    } else {
        format!("{h:02}:{mi:02}:{s:02}")
    };
    if (0.0..1.0).contains(&value) {
        time
    } else if (h, mi, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{time}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const LIMIT: u64 = 64 << 20;

    fn fixture(name: &str) -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/office/");
        std::fs::read(format!("{dir}{name}")).unwrap()
    }

    fn meta<'a>(t: &'a WorkbookText, key: &str) -> Option<&'a str> {
        t.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A zip with one part of `size` zero bytes, deflated.
    fn zeros_zip(name: &str, size: usize) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/workbook.xml", options).unwrap();
        w.write_all(b"<workbook/>").unwrap();
        w.start_file(name, options).unwrap();
        w.write_all(&vec![0u8; size]).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn xlsx_fixture_sheets_in_order_with_formatted_cells() {
        let t = workbook_text(&fixture("book.xlsx"), "xlsx", LIMIT).unwrap();
        let names: Vec<&str> = t.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Shipments", "Payments"]);
        assert_eq!(
            t.sheets[0].text,
            "Date\tCount\tWeight\tChecked\tRatio\n2020-10-20\t40\t2.5\tTRUE\t#DIV/0!\n\nAfter gap"
        );
        assert_eq!(t.sheets[1].text, "Payee\tAmount\nVendor one\t1");
        assert_eq!(meta(&t, "workbook sheets"), Some("2"));
        assert_eq!(
            meta(&t, "workbook sheet names"),
            Some("Shipments, Payments")
        );
        assert_eq!(meta(&t, "office author"), Some("Fixture Author"));
        assert_eq!(meta(&t, "office title"), Some("Fixture workbook"));
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn ods_and_xls_fixtures() {
        let t = workbook_text(&fixture("book.ods"), "ods", LIMIT).unwrap();
        assert_eq!(t.sheets.len(), 1);
        assert_eq!(t.sheets[0].name, "Data");
        assert_eq!(t.sheets[0].text, "ODS cell iota\tx\n7");
        let t = workbook_text(&fixture("book.xls"), "xls", LIMIT).unwrap();
        assert_eq!(t.sheets.len(), 1);
        assert_eq!(t.sheets[0].name, "Old");
        assert_eq!(t.sheets[0].text, "XLS cell kappa\t3");
        // The bytes decide: an XLSX named .xls is read as an XLSX.
        let t = workbook_text(&fixture("book.xlsx"), "xls", LIMIT).unwrap();
        assert_eq!(t.sheets[0].name, "Shipments");
    }

    #[test]
    fn cell_formatting() {
        assert_eq!(cell_text(&Data::Float(1.0)), "1");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(cell_text(&Data::Float(-0.0)), "0");
        assert_eq!(cell_text(&Data::Float(1e20)), "100000000000000000000");
        assert_eq!(cell_text(&Data::Int(-7)), "-7");
        assert_eq!(cell_text(&Data::Bool(false)), "FALSE");
        assert_eq!(cell_text(&Data::Error(CellErrorType::NA)), "#N/A");
        assert_eq!(cell_text(&Data::String("a\tb\nc".into())), "a b c");
        let dt = |v, t| Data::DateTime(ExcelDateTime::new(v, t, false));
        assert_eq!(
            cell_text(&dt(44124.0, ExcelDateTimeType::DateTime)),
            "2020-10-20"
        );
        assert_eq!(
            cell_text(&dt(44124.5, ExcelDateTimeType::DateTime)),
            "2020-10-20T12:00:00"
        );
        assert_eq!(
            cell_text(&dt(0.75, ExcelDateTimeType::DateTime)),
            "18:00:00"
        );
        assert_eq!(
            cell_text(&dt(1.5, ExcelDateTimeType::TimeDelta)),
            "36:00:00"
        );
        assert_eq!(cell_text(&dt(f64::NAN, ExcelDateTimeType::DateTime)), "NaN");
    }

    #[test]
    fn rows_columns_gaps_and_budget() {
        let mut cells = Cells::new(1000);
        cells.add(5, 3, &Data::String("c".into()));
        cells.add(2, 1, &Data::String("a".into()));
        cells.add(2, 3, &Data::Int(1));
        cells.add(3, 1, &Data::String("b".into()));
        cells.add(3, 2, &Data::Empty);
        assert_eq!(cells.text(), ("a\t\t1\nb\n\n\t\tc".to_owned(), false));
        // The tabs up to a far column count against the budget too.
        let mut wide = Cells::new(100);
        assert!(wide.add(0, 0, &Data::Int(1)));
        assert!(wide.add(0, u32::MAX, &Data::Int(2)));
        assert_eq!(wide.text(), (String::new(), true));
        let mut full = Cells::new(4);
        assert!(full.add(0, 0, &Data::Int(12)));
        assert!(!full.add(1, 0, &Data::Int(34)));
        assert_eq!(full.text(), ("12".to_owned(), true));
    }

    #[test]
    fn declared_sizes_over_the_limit_are_an_error() {
        let bytes = zeros_zip("xl/worksheets/sheet1.xml", 600_000);
        let e = workbook_text(&bytes, "xlsx", 500_000).unwrap_err();
        assert!(e.starts_with("workbook too large"), "{e}");
    }

    #[test]
    fn high_compression_ratio_is_an_error() {
        let bytes = zeros_zip("xl/worksheets/sheet1.xml", 4 << 20);
        let e = workbook_text(&bytes, "xlsx", LIMIT).unwrap_err();
        assert!(
            e.starts_with("suspected zip bomb: xl/worksheets/sheet1.xml"),
            "{e}"
        );
    }

    #[test]
    fn ods_repeats_spanning_too_many_cells_are_an_error() {
        let ods = |rows: u64, cols: u64| {
            let content = format!(
                r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="{rows}"><table:table-cell office:value-type="string" table:number-columns-repeated="{cols}"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
            );
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            for (name, text) in [
                ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                ("content.xml", content.as_str()),
                (
                    "META-INF/manifest.xml",
                    "<manifest:manifest xmlns:manifest=\"m\"/>",
                ),
            ] {
                w.start_file(name, options).unwrap();
                w.write_all(text.as_bytes()).unwrap();
            }
            w.finish().unwrap().into_inner()
        };
        // Empty trailing rows and cells repeated (as LibreOffice writes them) do not count.
        let t = workbook_text(&ods(3, 2), "ods", LIMIT).unwrap();
        assert_eq!(t.sheets[0].text, "x\tx\nx\tx\nx\tx");
        let e = workbook_text(&ods(1_000_000, 16_384), "ods", LIMIT).unwrap_err();
        assert!(
            e.starts_with("ODS sheet too large: it spans 16384000000 cells"),
            "{e}"
        );
    }

    /// A minimal XLSX of one sheet "S" with the given `<sheetData>` content.
    fn xlsx_with(sheet_data: &str) -> Vec<u8> {
        let parts = [
            (
                "[Content_Types].xml",
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
            ),
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
            ),
            (
                "xl/workbook.xml",
                r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
                ),
            ),
        ];
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            w.start_file(name, options).unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn far_apart_xlsx_cells_do_not_build_their_rectangle() {
        // calamine's worksheet_range would allocate 16384 × 1048576 cells for these two.
        let bytes = xlsx_with(
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
        );
        let t = workbook_text(&bytes, "xlsx", LIMIT).unwrap();
        assert_eq!(t.sheets[0].name, "S");
        assert_eq!(t.sheets[0].text, format!("1\n\n{}2", "\t".repeat(16383)));
        // With a smaller budget the far cell's tabs are cut, with a warning.
        let t = workbook_text(&bytes, "xlsx", 10_000).unwrap();
        assert_eq!(t.sheets[0].text, "1");
        assert!(t.warnings[0].contains("text cut"), "{:?}", t.warnings);
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        let random: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for ext in ["xlsx", "xlsm", "xlsb", "xls", "ods"] {
            assert!(workbook_text(&random, ext, LIMIT).is_err(), "{ext}");
            assert!(workbook_text(&[], ext, LIMIT).is_err(), "{ext}");
        }
        let mut caught = false;
        for name in ["book.xlsx", "book.ods", "book.xls"] {
            let bytes = fixture(name);
            let ext = name.rsplit('.').next().unwrap();
            let cut = bytes.len() / 3;
            assert!(
                workbook_text(&bytes[..cut], ext, LIMIT).is_err(),
                "{name} {cut}"
            );
            // Cut anywhere: an error or (an OLE file's last sectors may be padding) the text,
            // never a panic out of here.
            for cut in (1..bytes.len()).step_by(97) {
                if let Err(e) = workbook_text(&bytes[..cut], ext, LIMIT) {
                    caught |= e.contains("the reader failed");
                }
            }
        }
        assert!(caught, "calamine 0.38 panics on some truncated XLS files");
        let mut ole = OLE_MAGIC.to_vec();
        ole.resize(2048, 0);
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            workbook_text(&ole, "xlsx", LIMIT).unwrap_err(),
            "encrypted workbook: not read"
        );
        let not_a_workbook = zeros_zip("other.txt", 10);
        let bytes = {
            // A zip without any workbook part.
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            w.start_file("other.txt", SimpleFileOptions::default())
                .unwrap();
            w.finish().unwrap().into_inner()
        };
        assert!(
            workbook_text(&bytes, "xlsx", LIMIT)
                .unwrap_err()
                .starts_with("not a workbook")
        );
        // xl/workbook.xml present but nothing calamine can use.
        assert!(workbook_text(&not_a_workbook, "xlsx", LIMIT).is_err());
        assert!(workbook_text(&random, "csv", LIMIT).is_err());
    }
}
