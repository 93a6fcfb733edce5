//! Exports: the findings of a review, in the formats other tools read: findings JSON, a Markdown
//! memo, CSV, FollowTheMoney entities (Aleph), W3C Web Annotations and a TimelineJS3 timeline.
//!
//! One file per format (`findings` for the JSON and the [`Findings`] the other formats are built
//! from, `markdown`, `csv_rows`, `ftm`, `w3c`, `timelinejs`); [`Format`] names them and [`render`]
//! picks one. A new format is a new file here, a [`Format`] variant and a line of [`render`].
//!
//! Every format is a pure function of the session and the cache (plus the time the export is made,
//! which only `json`, `md` and `timelinejs` show): the same review gives the same bytes. Ids in the
//! `ftm` and `w3c` outputs are hashes of namespace strings, never random.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::model::{Cache, Document};
use crate::session::{DocReview, Session};

mod csv_rows;
mod findings;
mod ftm;
mod markdown;
mod timelinejs;
mod w3c;

pub use csv_rows::CSV_COLUMNS;
pub use findings::{
    ArticleSummary, CacheSummary, DocumentFinding, Entities, EntityFinding, EvidenceFinding,
    ExportOptions, FINDINGS_SCHEMA, Findings, OcrProvenance, StatementFinding, TimelineEntry, Tool,
    findings, findings_json, findings_with,
};
pub use ftm::ftm_language;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `doctriage.findings/1` JSON (see [`findings()`]).
    Json,
    /// A findings memo in Markdown, for an editor.
    Md,
    /// One CSV row per reviewed document (RFC 4180, UTF-8, CRLF).
    Csv,
    /// FollowTheMoney entities as JSON lines, for `alephclient write-entities`.
    Ftm,
    /// A W3C Web Annotation collection (JSON-LD).
    W3c,
    /// TimelineJS3 JSON.
    TimelineJs,
}

impl Format {
    /// Every format, in the order the command line lists them.
    pub const ALL: [Self; 6] = [
        Self::Json,
        Self::Md,
        Self::Csv,
        Self::Ftm,
        Self::W3c,
        Self::TimelineJs,
    ];

    /// The name used on the command line (`json`, `md`, `csv`, `ftm`, `w3c`, `timelinejs`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Md => "md",
            Self::Csv => "csv",
            Self::Ftm => "ftm",
            Self::W3c => "w3c",
            Self::TimelineJs => "timelinejs",
        }
    }

    /// The file extension (without the leading dot) an export in this format is given.
    pub fn extension(&self) -> &str {
        match self {
            Self::Json => "json",
            Self::Md => "md",
            Self::Csv => "csv",
            Self::Ftm => "ftm.jsonl",
            Self::W3c => "w3c.jsonld",
            Self::TimelineJs => "timeline.json",
        }
    }

    /// The format a file name asks for: its longest matching extension (`x.timeline.json` is
    /// TimelineJS, `x.json` findings), also `.jsonl`/`.ftm` for FtM and `.jsonld` for W3C;
    /// findings JSON otherwise.
    pub fn for_path(path: &std::path::Path) -> Self {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let mut by_length = Self::ALL;
        by_length.sort_by_key(|f| std::cmp::Reverse(f.extension().len()));
        if let Some(f) = by_length
            .into_iter()
            .find(|f| name.ends_with(&format!(".{}", f.extension())))
        {
            return f;
        }
        match name.rsplit('.').next() {
            Some("jsonl" | "ftm") => Self::Ftm,
            Some("jsonld") => Self::W3c,
            Some("markdown") => Self::Md,
            _ => Self::Json,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(Format::as_str).collect();
                format!("unknown format ({}): {s}", names.join(", "))
            })
    }
}

/// Renders a session over its cache in a format. `generated_at` is the only input besides the
/// session and the cache; rendering twice with the same time gives the same bytes.
pub fn render(
    format: Format,
    session: &Session,
    cache: &Cache,
    generated_at: DateTime<Utc>,
) -> String {
    render_with(
        format,
        session,
        cache,
        generated_at,
        ExportOptions::default(),
    )
}

/// [`render`] with what `options` allows beyond the review (the findings JSON holds the
/// records' metadata; the other formats never hold the sensitive part).
pub fn render_with(
    format: Format,
    session: &Session,
    cache: &Cache,
    generated_at: DateTime<Utc>,
    options: ExportOptions,
) -> String {
    render_checked(format, session, cache, generated_at, options, &[])
}

/// [`render_with`], the findings JSON and the Markdown memo also warning of `changed`: the
/// documents whose files no longer have the bytes the scan saw, found when the export read them
/// again ([`crate::workspace::ExportRequest::write`]).
pub fn render_checked(
    format: Format,
    session: &Session,
    cache: &Cache,
    generated_at: DateTime<Utc>,
    options: ExportOptions,
    changed: &[String],
) -> String {
    match format {
        Format::Json => {
            let mut f = findings_with(session, cache, generated_at, options);
            f.warnings.extend(changed.iter().cloned());
            findings_json(&f)
        }
        Format::Md => markdown::render(session, cache, generated_at, changed),
        Format::Csv => csv_rows::render(session, cache, generated_at),
        Format::Ftm => ftm::render(session, cache),
        Format::W3c => w3c::render(session, cache),
        Format::TimelineJs => timelinejs::render(session, cache, generated_at),
    }
}

/// Lower-case hex SHA-256 of a namespace string: the stable id of an exported object.
pub(crate) fn stable_hex(namespace: &str) -> String {
    crate::sha256_hex(namespace.as_bytes())
}

/// A UUID-formatted stable hash of a namespace string (`xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx`):
/// the first 16 bytes of its SHA-256, marked as an RFC 9562 version-8 (custom) UUID.
pub(crate) fn stable_uuid(namespace: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(namespace.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The namespace string of a document: its file's hash and its id.
pub(crate) fn doc_namespace(doc: &Document) -> String {
    format!("{}:{}", doc.sha256, doc.id)
}

/// Documents of the cache (in cache order) with any review at all (tags, notes or links even
/// without a status).
pub(crate) fn touched<'a>(
    session: &'a Session,
    cache: &'a Cache,
) -> Vec<(&'a Document, &'a DocReview)> {
    cache
        .documents
        .iter()
        .filter_map(|d| session.review(&d.id).map(|r| (d, r)))
        .collect()
}

/// Canonical names (after the analyst's merges), first occurrence kept, duplicates dropped.
pub(crate) fn canonical_list(session: &Session, names: &[String]) -> Vec<String> {
    session.canonical_list(names)
}

/// The article's title, else `Findings`.
pub(crate) fn title(cache: &Cache) -> String {
    cache
        .article
        .as_ref()
        .and_then(|(_, a)| a.title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "Findings".to_owned())
}

/// The cache as a reader of a memo names it: its folder's name (`sample_cache`), not the path
/// the session file uses to reach it (`../../work/…/sample_cache`).
pub(crate) fn cache_name(cache: &Cache) -> String {
    let root = std::fs::canonicalize(&cache.root).unwrap_or_else(|_| cache.root.clone());
    root.file_name().map_or_else(
        || root.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Up to `n` chars of `text` before char offset `start` and after char offset `end`.
pub(crate) fn context_around(text: &str, start: usize, end: usize, n: usize) -> (String, String) {
    let chars: Vec<char> = text.chars().collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let prefix: String = chars[start.saturating_sub(n)..start].iter().collect();
    let suffix: String = chars[end..(end + n).min(chars.len())].iter().collect();
    (prefix, suffix)
}

/// The last path component of a `/`-separated path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
