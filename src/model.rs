//! Core data types shared by ingest, extraction, sessions and exports.
//!
//! Nothing here knows about a window: the GUI and the command line both build on these values.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The document kinds the input formats name. An unknown kind is kept as written.
pub const KNOWN_KINDS: &[&str] = &[
    "letter",
    "invoice",
    "export_passport",
    "diplomatic_note",
    "email",
    "contract",
    "memo",
    "customs_declaration",
    "other",
];

/// Where a value came from: the record's own metadata (JSON fields, e-mail headers),
/// a `Key: Value` header or front matter of a text file, or the body text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Structured metadata of the record (JSON fields, e-mail headers).
    Metadata,
    /// A `Key: Value` header block or front matter of a text file.
    Header,
    /// Found in the body text; the candidate carries a quote and offsets.
    Text,
}

/// One record of the cache, as read from disk. Never modified by a review.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The record's `id`, else its path relative to the root (with `#N` for the Nth record of a multi-record file).
    pub id: String,
    /// Path relative to the cache root, `/`-separated.
    pub path: String,
    /// Position of the record inside a multi-record file (1-based), if any.
    pub record: Option<usize>,
    /// Lower-case kind: one of [`KNOWN_KINDS`] or the unknown kind as written.
    pub kind: String,
    /// Title (JSON `title`, header `Title`, e-mail `Subject`), else derived from the first line.
    pub title: String,
    /// The date as the record's metadata or header states it, verbatim.
    pub date: Option<String>,
    /// Where `date`, `sender` and `recipient` came from: [`Origin::Metadata`] or [`Origin::Header`].
    pub meta_origin: Option<Origin>,
    /// Sender as the record's metadata or header states it.
    pub sender: Option<String>,
    /// Recipient as the record's metadata or header states it.
    pub recipient: Option<String>,
    /// Language as stated (ISO code or name), if any.
    pub language: Option<String>,
    /// Reference number as stated, if any.
    pub reference: Option<String>,
    /// Body text (decoded, never rewritten apart from decoding). Offsets count `char`s of this string.
    pub text: String,
    /// Any other metadata field, kept as text and shown to the analyst.
    pub extra: BTreeMap<String, String>,
    /// Names of e-mail attachments.
    pub attachments: Vec<String>,
    /// The encoding the file was decoded from (`UTF-8`, `UTF-16LE`, `windows-1251`, ...).
    pub encoding: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub file_size: u64,
    /// Id of the first document whose file has the same bytes, if this is a duplicate.
    pub duplicate_of: Option<String>,
    /// Visible warnings about this document (for example: truncated at the size limit).
    pub warnings: Vec<String>,
    /// For a paged document (a PDF, an image): its pages, in order, with where each page's text
    /// came from. Its text is the pages' texts joined with a form feed (U+000C). Empty for other
    /// records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<Page>,
    /// For a member of a container (an archive's member, an e-mail's attachment, a mailbox's
    /// message): the id of the container's document. Its id and path are then
    /// `<container path>!/<member path>` (see [`crate::ingest::member_path`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For a member: lower-case hex SHA-256 of the file in the cache that holds it, as received
    /// (the outermost container), so a quote can be proven from that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_sha256: Option<String>,
}

/// Metadata keys that can expose a source — who made the file, with what, where: shown marked as
/// sensitive and left out of exports unless asked for (`--include-sensitive-metadata`).
pub const SENSITIVE_METADATA: &[&str] = &[
    "pdf author",
    "pdf creator",
    "pdf producer",
    "exif gps",
    "exif camera",
    "exif camera serial",
    "exif lens serial",
    "exif owner",
    "exif artist",
    "exif software",
    "office author",
    "office last modified by",
    "office company",
];

/// True for a metadata key of [`SENSITIVE_METADATA`], and for any value that holds an absolute
/// path (a user's folder names it).
pub fn is_sensitive_metadata(key: &str, value: &str) -> bool {
    SENSITIVE_METADATA.contains(&key)
        || value.starts_with('/')
        || value.starts_with("~/")
        || value.get(1..3) == Some(":\\")
}

/// One page of a paged document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Where its text came from.
    pub source: PageSource,
    /// For an OCR'd page: the engine, languages, word boxes and confidences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<std::sync::Arc<OcrPage>>,
    /// A name for the page where it has one: a workbook's sheet name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Page {
    /// A page whose text came from `source` (not OCR).
    pub fn new(source: PageSource) -> Self {
        Self {
            source,
            ocr: None,
            label: None,
        }
    }
}

/// What OCR read on a page: who read it, how, and where each word is on the page image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OcrPage {
    /// The engine and its version (`tesseract 5.3.0`).
    pub engine: String,
    /// The tesseract languages that read the page (`rus`, `eng`).
    pub languages: String,
    /// Width of the page image OCR read, in pixels.
    pub width: u32,
    /// Height of the page image OCR read, in pixels.
    pub height: u32,
    /// Its resolution (PDF pages: the render's; images: `None`, their own pixels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpi: Option<u32>,
    /// Mean word confidence, 0–100 (weighted by word length).
    pub confidence: f32,
    /// The words, with char offsets into the page's text.
    pub words: Vec<OcrWord>,
}

/// One OCR word: its char range in the page's text, its box on the page image and its
/// confidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OcrWord {
    /// First char of the word in the page's text.
    pub start: u32,
    /// One past its last char.
    pub end: u32,
    /// Left edge, in pixels of the page image.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
    /// Tesseract's confidence, 0–100.
    pub conf: f32,
}

/// The 1-based page of a char offset in a paged document's text: one more than the form feeds
/// (U+000C) before it.
pub fn page_of(text: &str, char_offset: usize) -> usize {
    1 + text
        .chars()
        .take(char_offset)
        .filter(|&c| c == '\u{c}')
        .count()
}

/// Where the text of one page of a paged document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageSource {
    /// The PDF's text layer (`pdftotext`).
    PdfText,
    /// The text layer, Cyrillic in a Latin-1 font encoding read again as Windows-1251.
    PdfTextRepaired,
    /// Read by OCR (tesseract).
    Ocr,
    /// No usable text: the page needs OCR, which has not run (yet).
    Pending,
    /// A workbook's sheet: its cells as text, a row per line.
    Sheet,
}

impl Document {
    /// The 1-based page of a char offset, for a paged document (its pages are joined by form
    /// feeds); `None` for other records.
    pub fn page_at(&self, char_offset: usize) -> Option<usize> {
        (!self.pages.is_empty()).then(|| page_of(&self.text, char_offset))
    }

    /// How the document's text was obtained, as `scan --json` says it: `file` (a text record),
    /// `pdf_text` (every page from the text layer), `ocr` (every page by OCR), `mixed` (some of
    /// each), `pending` (some page still needs OCR).
    pub fn text_source(&self) -> &'static str {
        let has = |s: PageSource| self.pages.iter().any(|p| p.source == s);
        if self.pages.is_empty() || self.pages.iter().all(|p| p.source == PageSource::Sheet) {
            "file"
        } else if has(PageSource::Pending) {
            "pending"
        } else if !has(PageSource::Ocr) {
            "pdf_text"
        } else if self.pages.iter().all(|p| p.source == PageSource::Ocr) {
            "ocr"
        } else {
            "mixed"
        }
    }

    /// Mean OCR confidence over the OCR'd pages (weighted by their words' lengths), if any.
    pub fn ocr_confidence(&self) -> Option<f32> {
        let words: Vec<OcrWord> = self
            .pages
            .iter()
            .filter_map(|p| p.ocr.as_ref())
            .flat_map(|o| o.words.iter().copied())
            .collect();
        crate::ocr::tsv::mean_confidence(&words)
    }

    /// The 1-based numbers of the pages that still need OCR.
    pub fn pending_pages(&self) -> Vec<usize> {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.source == PageSource::Pending)
            .map(|(i, _)| i + 1)
            .collect()
    }

    /// The char range of each page in the text (form feeds between them excluded); empty for a
    /// record without pages.
    pub fn page_ranges(&self) -> Vec<(usize, usize)> {
        if self.pages.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(self.pages.len());
        let mut start = 0;
        let mut at = 0;
        for c in self.text.chars() {
            if c == '\u{c}' {
                out.push((start, at));
                start = at + 1;
            }
            at += 1;
        }
        out.push((start, at));
        out
    }

    /// Number of Unicode scalar values in the text (the unit of every offset).
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }
}

/// A file that could not be read as a document, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanError {
    /// Path relative to the cache root (lossy UTF-8 when the name is not UTF-8).
    pub path: String,
    /// One-line human-readable reason.
    pub error: String,
}

/// A gazetteer entry: a canonical name and the other spellings that mean it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GazetteerEntry {
    /// Canonical name, used as a suggestion's `value`.
    pub name: String,
    /// Other spellings (Cyrillic, abbreviations, translations).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Free-form category (`counter-drone EW`, `artillery sight`, `state agency`, ...).
    #[serde(default)]
    pub category: Option<String>,
}

/// The word list suggestions draw on: equipment and organisations with aliases.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gazetteer {
    /// Equipment names.
    #[serde(default)]
    pub equipment: Vec<GazetteerEntry>,
    /// Organisations (agencies, firms, ministries, embassies).
    #[serde(default)]
    pub organisations: Vec<GazetteerEntry>,
}

/// A statement of the article: one sentence with a short id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// `S1`, `S2`, ... in order.
    pub id: String,
    /// The sentence, trimmed.
    pub text: String,
}

/// The article under review, split into statements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The leading `# ` line, if any.
    pub title: Option<String>,
    /// The sentences, in order.
    pub statements: Vec<Statement>,
    /// Lower-case hex SHA-256 of the article file's bytes.
    pub sha256: String,
    /// The full decoded text.
    pub text: String,
}

/// A loaded cache: its documents, what could not be read, its article and gazetteer.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    /// The folder that was scanned (never written).
    pub root: PathBuf,
    /// Documents in a stable order (sorted by path, then record).
    pub documents: Vec<Document>,
    /// Files reported instead of read.
    pub errors: Vec<ScanError>,
    /// The article (`article.*` at the root), if any, and its path relative to the root.
    pub article: Option<(String, Article)>,
    /// The built-in gazetteer merged with the cache's `gazetteer.json`.
    pub gazetteer: Gazetteer,
    /// Finds documents by id; built on first use (leave it at its default).
    pub lookup: IdLookup,
    /// What the scan read and what it took from the file manifest.
    pub scan: ScanReport,
}

/// What a scan read, and what it took unchanged from the file manifest of the previous scan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Document files listed.
    pub files: usize,
    /// Files read (new, changed, or read again), in cache order of their paths.
    pub read: Vec<String>,
    /// A previous scan's manifest was there to compare with.
    pub compared: bool,
    /// Of `read`: files the manifest held with another SHA-256 (changed since the last scan).
    pub changed: Vec<String>,
    /// Of `changed`: files whose size, times and inode had not changed (seen only because every
    /// file was read again, as `doctriage verify` does, or because the file was racy).
    pub changed_unseen: Vec<String>,
    /// Of `read`: files the manifest did not hold (new since the last scan).
    pub added: Vec<String>,
    /// Files taken from the manifest without being read (their stat unchanged).
    pub reused: usize,
    /// Files the manifest held that are gone (removed or renamed).
    pub removed: Vec<String>,
    /// Why the manifest could not be saved, if so.
    pub manifest_note: Option<String>,
}

impl ScanReport {
    /// What the scan took from the manifest, in one line (none on a first scan).
    pub fn summary(&self) -> Option<String> {
        self.compared.then(|| {
            format!(
                "{} of {} files unchanged since the last scan (not read again); {} read ({} changed, {} new), {} removed",
                self.reused,
                self.files,
                self.read.len(),
                self.changed.len(),
                self.added.len(),
                self.removed.len()
            )
        })
    }
}

impl Cache {
    /// Fingerprint of the gazetteer (the built-in one merged with the cache's).
    pub fn gazetteer_fingerprint(&self) -> String {
        crate::sha256_hex(
            serde_json::to_string(&self.gazetteer)
                .unwrap_or_default()
                .as_bytes(),
        )
    }

    /// Fingerprint of what the cache holds as the search index sees it: the gazetteer, and each
    /// document's id and SHA-256 in cache order. Equal digests: the same documents.
    pub fn digest(&self) -> String {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(self.gazetteer_fingerprint().as_bytes());
        for d in &self.documents {
            h.update(b"\n");
            h.update(d.id.as_bytes());
            h.update(b"\0");
            h.update(d.sha256.as_bytes());
        }
        format!("{:x}", h.finalize())
    }

    /// Index of the document with this id.
    ///
    /// A table of ids makes this constant time (it is built on the first call, and again after
    /// documents were added); the answer is always checked against `documents`, so a table made
    /// before the documents changed can slow a lookup down but never make it wrong.
    pub fn position(&self, id: &str) -> Option<usize> {
        if let Some(i) = self.lookup.find(&self.documents, id)
            && self.documents.get(i).is_some_and(|d| d.id == id)
        {
            return Some(i);
        }
        self.documents.iter().position(|d| d.id == id)
    }

    /// The document with this id.
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.position(id).and_then(|i| self.documents.get(i))
    }
}

/// The id → position table of a [`Cache`]: at 100,000 documents a linear search per lookup made
/// an export (one lookup per reviewed document) take minutes.
#[derive(Default)]
pub struct IdLookup(std::sync::RwLock<Option<(usize, std::collections::HashMap<String, usize>)>>);

impl IdLookup {
    /// The position recorded for `id`, (re)building the table when the number of documents
    /// changed since it was built.
    fn find(&self, documents: &[Document], id: &str) -> Option<usize> {
        if let Ok(guard) = self.0.read()
            && let Some((n, table)) = guard.as_ref()
            && *n == documents.len()
        {
            return table.get(id).copied();
        }
        // The first document of an id wins, as a linear search finds it.
        let mut table = std::collections::HashMap::with_capacity(documents.len());
        for (i, d) in documents.iter().enumerate() {
            table.entry(d.id.clone()).or_insert(i);
        }
        let found = table.get(id).copied();
        if let Ok(mut guard) = self.0.write() {
            *guard = Some((documents.len(), table));
        }
        found
    }
}

impl Clone for IdLookup {
    /// A copy starts without a table (it is rebuilt on first use).
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for IdLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdLookup")
    }
}

/// A date that may be partial: a year, a month of a year, or a full day. Never invented into a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year, e.g. 2019.
    pub year: i32,
    /// Month 1-12, if known.
    pub month: Option<u32>,
    /// Day 1-31, if known (only with a month).
    pub day: Option<u32>,
}

impl PartialDate {
    /// A full day, checked against the calendar.
    pub fn ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        chrono::NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Self {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// A month of a year.
    pub fn ym(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self {
            year,
            month: Some(month),
            day: None,
        })
    }

    /// A year alone.
    pub fn y(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        if !(1000..=9999).contains(&year) {
            return None;
        }
        let month = match parts.next() {
            None => return Some(Self::y(year)),
            Some(m) => m.parse::<u32>().ok()?,
        };
        match parts.next() {
            None => Self::ym(year, month),
            Some(d) => {
                let day = d.parse::<u32>().ok()?;
                if parts.next().is_some() {
                    return None;
                }
                Self::ymd(year, month, day)
            }
        }
    }

    /// First and last calendar day the date covers.
    pub fn span(&self) -> (chrono::NaiveDate, chrono::NaiveDate) {
        use chrono::NaiveDate;
        let first =
            NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
                .unwrap_or(NaiveDate::MIN);
        let last = match (self.month, self.day) {
            (Some(_), Some(_)) => first,
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(first)
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(first),
        };
        (first, last)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

impl std::str::FromStr for PartialDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_iso(s).ok_or_else(|| format!("not a date (YYYY, YYYY-MM or YYYY-MM-DD): {s}"))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A suggested value with where it came from and, when found in the text, the exact quote and offsets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Normalised value: ISO (partial) date, organisation or canonical equipment name.
    pub value: String,
    /// Where it was found.
    pub origin: Origin,
    /// The exact text of the match, when found in the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Start offset (chars, inclusive) of the quote in the document text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// End offset (chars, exclusive) of the quote in the document text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// For a quote in a paged document (a PDF, a scan): its page, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
}

/// All suggestions for one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestions {
    /// Date candidates, metadata/header first, then in text order.
    pub dates: Vec<Candidate>,
    /// Sender candidates: the stated sender, organisations in the letterhead or signature that
    /// are not addressed.
    pub senders: Vec<Candidate>,
    /// Recipient candidates: the stated recipient, organisations in the address block (`To …`,
    /// `Кому …`) of the letterhead. Never offered as senders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<Candidate>,
    /// Equipment candidates (value = gazetteer canonical name).
    pub equipment: Vec<Candidate>,
}

impl Suggestions {
    /// True when there is nothing to suggest.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
            && self.senders.is_empty()
            && self.recipients.is_empty()
            && self.equipment.is_empty()
    }
}
