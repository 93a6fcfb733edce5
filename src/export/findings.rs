//! Findings JSON: the deliverable of a review, as `doctriage.findings/4`, and the [`Findings`] the
//! Markdown, CSV and TimelineJS exports are built from.
//!
//! The same session and cache give the same bytes apart from `generated_at`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Cache, Document};
use crate::session::{self, ClaimStatus, DocReview, Relation, Session, Status};

/// The `schema` string of the findings file.
pub const FINDINGS_SCHEMA: &str = "doctriage.findings/4";

/// The findings of a review.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Findings {
    /// Always [`FINDINGS_SCHEMA`].
    pub schema: &'static str,
    /// When the file was made (RFC 3339, UTC).
    pub generated_at: String,
    /// The program that made it.
    pub tool: Tool,
    /// The cache reviewed.
    pub cache: CacheSummary,
    /// The article checked.
    pub article: ArticleSummary,
    /// The claim ledger.
    pub statements: Vec<StatementFinding>,
    /// Every document that is not unreviewed, in cache order.
    pub documents: Vec<DocumentFinding>,
    /// Dated reviewed documents, sorted by date.
    pub timeline: Vec<TimelineEntry>,
    /// Senders, recipients and equipment with the documents that name them.
    pub entities: Entities,
    /// Problems found comparing the session with the cache (changed, missing documents; stale links).
    pub warnings: Vec<String>,
}

/// Name and version of the program.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tool {
    /// `doctriage`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

/// The cache: where it is and how far the review went.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CacheSummary {
    /// The cache folder as the session refers to it.
    pub root: String,
    /// Number of documents in the cache.
    pub documents: usize,
    /// Number of documents not unreviewed.
    pub reviewed: usize,
}

/// The article: title and hash.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleSummary {
    /// Its title, if it has one.
    pub title: Option<String>,
    /// Path relative to the cache root.
    pub path: Option<String>,
    /// SHA-256 of its bytes.
    pub sha256: Option<String>,
}

/// A statement of the article with its status and evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatementFinding {
    /// `S1`, ...
    pub id: String,
    /// The sentence.
    pub text: String,
    /// `supported`, `contested` or `unsupported`.
    pub status: ClaimStatus,
    /// The links that bear on it.
    pub evidence: Vec<EvidenceFinding>,
}

/// One link as evidence, with provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceFinding {
    /// Document id.
    pub document: String,
    /// SHA-256 of the document's file (a member's own bytes, for a member of a container).
    pub sha256: String,
    /// For a member of a container (an attachment, an archive's member, a mailbox's message):
    /// its container's document id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For a member: SHA-256 of the file in the cache that holds it, as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_sha256: Option<String>,
    /// `supports`, `contradicts` or `context`.
    pub relation: Relation,
    /// The exact quote, if any.
    pub quote: Option<String>,
    /// Start offset of the quote (chars, inclusive).
    pub start: Option<usize>,
    /// End offset of the quote (chars, exclusive).
    pub end: Option<usize>,
    /// The page (1-based) the quote starts on, in a paged document (a PDF, a scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// The page's name where it has one: a workbook's sheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_label: Option<String>,
    /// Where the quote is on its page, `[x, y, w, h]`: in pixels of the page rendered at 300 dpi
    /// (the OCR raster) for a PDF, in the image's own pixels for a scan. Known for OCR'd pages.
    #[serde(rename = "box", skip_serializing_if = "Option::is_none")]
    pub quote_box: Option<[u32; 4]>,
    /// The size of the page in that pixel space, `[width, height]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<[u32; 2]>,
    /// For a quote read by OCR: the engine and the languages of its page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrProvenance>,
    /// The analyst's note on the link.
    pub note: Option<String>,
    /// The analyst who made the link.
    pub by: String,
}

/// Who read an OCR'd quote's page, and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OcrProvenance {
    /// The engine and its version (`tesseract 5.3.0`).
    pub engine: String,
    /// The tesseract languages that read the page.
    pub languages: String,
}

/// Where a quote is on its page image, in the findings' pixel space (300 dpi for PDF pages).
pub(crate) fn quote_place(
    doc: &Document,
    start: usize,
    end: usize,
) -> Option<([u32; 4], [u32; 2], OcrProvenance)> {
    let q = crate::ocr::boxes::quote_boxes(doc, start, end)?;
    let dpi = crate::ocr::raster::OCR_DPI;
    let bbox = q.union_at(dpi);
    let scale = |v: u32| match q.dpi {
        Some(own) if own > 0 && own != dpi => {
            u32::try_from(u64::from(v) * u64::from(dpi) / u64::from(own)).unwrap_or(u32::MAX)
        }
        _ => v,
    };
    let ocr = doc.pages.get(q.page - 1)?.ocr.as_deref()?;
    Some((
        bbox,
        [scale(q.width), scale(q.height)],
        OcrProvenance {
            engine: ocr.engine.clone(),
            languages: ocr.languages.clone(),
        },
    ))
}

/// A reviewed document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentFinding {
    /// Document id.
    pub id: String,
    /// Path relative to the cache root.
    pub path: String,
    /// SHA-256 of the file (a member's own bytes, for a member of a container).
    pub sha256: String,
    /// For a member of a container: its container's document id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For a member: SHA-256 of the file in the cache that holds it, as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_sha256: Option<String>,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Review status.
    pub status: Status,
    /// Accepted date (ISO, possibly partial).
    pub date: Option<String>,
    /// Senders (canonical names).
    pub senders: Vec<String>,
    /// Recipients (canonical names).
    pub recipients: Vec<String>,
    /// Equipment (canonical names).
    pub equipment: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Notes.
    pub notes: String,
    /// Statements this document is linked to.
    pub statements: Vec<String>,
    /// The analyst who set its status (the last one to change it).
    pub by: String,
    /// The file changed since the document was tagged.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub changed_since_tagged: bool,
    /// The record's other metadata (PDF producer, image size, EXIF, …); what can expose a
    /// source only when asked for ([`ExportOptions::include_sensitive_metadata`]).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// The keys of the sensitive metadata left out, so a reader knows there is more.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metadata_withheld: Vec<String>,
}

/// What an export may hold beyond the review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Metadata that can expose a source (PDF author and producer, EXIF camera, serial numbers
    /// and GPS, absolute paths): left out unless this is set.
    pub include_sensitive_metadata: bool,
}

/// A dated document on the timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// ISO date, possibly partial.
    pub date: String,
    /// Document id.
    pub document: String,
    /// Title.
    pub title: String,
}

/// An entity and the documents that name it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityFinding {
    /// Canonical name (after the analyst's merges).
    pub name: String,
    /// Document ids.
    pub documents: Vec<String>,
}

/// Entities of the reviewed documents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entities {
    /// Senders.
    pub senders: Vec<EntityFinding>,
    /// Recipients.
    pub recipients: Vec<EntityFinding>,
    /// Equipment.
    pub equipment: Vec<EntityFinding>,
}

/// Builds the findings of a session over its cache.
pub fn findings(session: &Session, cache: &Cache, generated_at: DateTime<Utc>) -> Findings {
    findings_with(session, cache, generated_at, ExportOptions::default())
}

/// [`findings`] with what `options` allows beyond the review.
pub fn findings_with(
    session: &Session,
    cache: &Cache,
    generated_at: DateTime<Utc>,
    options: ExportOptions,
) -> Findings {
    let mut documents = Vec::new();
    let mut timeline = Vec::new();
    let mut entities = EntityIndex::default();
    for doc in &cache.documents {
        let Some(review) = session
            .review(&doc.id)
            .filter(|r| r.status != Status::Unreviewed)
        else {
            continue;
        };
        let f = document_finding(session, doc, review, options);
        entities.add(&doc.id, &f);
        if let Some(date) = review.date {
            timeline.push((
                date,
                TimelineEntry {
                    date: date.to_string(),
                    document: doc.id.clone(),
                    title: doc.title.clone(),
                },
            ));
        }
        documents.push(f);
    }
    timeline.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.document.cmp(&b.1.document)));
    Findings {
        schema: FINDINGS_SCHEMA,
        generated_at: session::rfc3339(generated_at),
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        cache: CacheSummary {
            root: session.cache.clone(),
            documents: cache.documents.len(),
            reviewed: documents.len(),
        },
        article: ArticleSummary {
            title: cache.article.as_ref().and_then(|(_, a)| a.title.clone()),
            path: cache.article.as_ref().map(|(p, _)| p.clone()),
            sha256: cache.article.as_ref().map(|(_, a)| a.sha256.clone()),
        },
        statements: statement_findings(session, cache),
        documents,
        timeline: timeline.into_iter().map(|(_, e)| e).collect(),
        entities: entities.into_entities(),
        warnings: session.verify(cache).messages(),
    }
}

/// The claim ledger with the provenance of each piece of evidence.
fn statement_findings(session: &Session, cache: &Cache) -> Vec<StatementFinding> {
    let by_id: BTreeMap<&str, &Document> =
        cache.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let sha_of = |id: &str| by_id.get(id).map(|d| d.sha256.clone()).unwrap_or_default();
    session::ledger(session, cache)
        .into_iter()
        .map(|row| StatementFinding {
            id: row.id.to_owned(),
            text: row.text.to_owned(),
            status: row.status,
            evidence: row
                .evidence
                .iter()
                .map(|e| {
                    let doc = by_id.get(e.doc).copied();
                    let quote = e.link.quote.as_ref();
                    let place = quote
                        .zip(doc)
                        .and_then(|(q, d)| quote_place(d, q.start, q.end));
                    let page = quote.zip(doc).and_then(|(q, d)| d.page_at(q.start));
                    EvidenceFinding {
                        document: e.doc.to_owned(),
                        sha256: sha_of(e.doc),
                        parent: doc.and_then(|d| d.parent.clone()),
                        container_sha256: doc.and_then(|d| d.container_sha256.clone()),
                        relation: e.link.relation,
                        quote: quote.map(|q| q.text.clone()),
                        start: quote.map(|q| q.start),
                        end: quote.map(|q| q.end),
                        page,
                        page_label: doc
                            .zip(page)
                            .and_then(|(d, p)| d.pages.get(p - 1)?.label.clone()),
                        quote_box: place.as_ref().map(|p| p.0),
                        page_size: place.as_ref().map(|p| p.1),
                        ocr: place.map(|p| p.2),
                        note: e.link.note.clone(),
                        by: signed(&e.link.by, session),
                    }
                })
                .collect(),
        })
        .collect()
}

/// A reviewed document as the findings show it: names after the analyst's merges.
fn document_finding(
    session: &Session,
    doc: &Document,
    review: &DocReview,
    options: ExportOptions,
) -> DocumentFinding {
    let canon = |names: &[String]| session.canonical_list(names);
    let (mut metadata, mut metadata_withheld) = (BTreeMap::new(), Vec::new());
    for (k, v) in &doc.extra {
        if crate::model::is_sensitive_metadata(k, v) && !options.include_sensitive_metadata {
            metadata_withheld.push(k.clone());
        } else {
            metadata.insert(k.clone(), v.clone());
        }
    }
    DocumentFinding {
        id: doc.id.clone(),
        path: doc.path.clone(),
        sha256: doc.sha256.clone(),
        parent: doc.parent.clone(),
        container_sha256: doc.container_sha256.clone(),
        kind: doc.kind.clone(),
        title: doc.title.clone(),
        status: review.status,
        date: review.date.map(|d| d.to_string()),
        senders: canon(&review.senders),
        recipients: canon(&review.recipients),
        equipment: canon(&review.equipment),
        tags: review.tags.clone(),
        notes: review.notes.clone(),
        statements: review.links.iter().fold(Vec::new(), |mut acc, l| {
            if !acc.contains(&l.statement) {
                acc.push(l.statement.clone());
            }
            acc
        }),
        changed_since_tagged: review.sha256 != doc.sha256,
        by: reviewer(session, review),
        metadata,
        metadata_withheld,
    }
}

/// Who reviewed a document: the last to set its status, else the last to change any field,
/// else the session's analyst (a session from before changes were signed).
fn reviewer(session: &Session, review: &DocReview) -> String {
    let last = session::last_change(review, "status").or_else(|| {
        review
            .history
            .values()
            .filter_map(|h| h.last())
            .max_by_key(|c| c.at)
    });
    signed(last.map_or("", |c| c.by.as_str()), session)
}

/// A name, or the session's analyst when none was recorded.
fn signed(by: &str, session: &Session) -> String {
    if by.is_empty() {
        session.analyst.clone()
    } else {
        by.to_owned()
    }
}

/// Senders, recipients and equipment, each name with the documents that name it (sorted by name).
#[derive(Default)]
struct EntityIndex {
    senders: BTreeMap<String, Vec<String>>,
    recipients: BTreeMap<String, Vec<String>>,
    equipment: BTreeMap<String, Vec<String>>,
}

impl EntityIndex {
    fn add(&mut self, doc: &str, f: &DocumentFinding) {
        for (map, names) in [
            (&mut self.senders, &f.senders),
            (&mut self.recipients, &f.recipients),
            (&mut self.equipment, &f.equipment),
        ] {
            for n in names {
                map.entry(n.clone()).or_default().push(doc.to_owned());
            }
        }
    }

    fn into_entities(self) -> Entities {
        let entity_list = |m: BTreeMap<String, Vec<String>>| -> Vec<EntityFinding> {
            m.into_iter()
                .map(|(name, documents)| EntityFinding { name, documents })
                .collect()
        };
        Entities {
            senders: entity_list(self.senders),
            recipients: entity_list(self.recipients),
            equipment: entity_list(self.equipment),
        }
    }
}

/// Pretty JSON of findings, ending with a newline.
pub fn findings_json(findings: &Findings) -> String {
    // Plain data with string keys: serialisation cannot fail.
    serde_json::to_string_pretty(findings).unwrap_or_default() + "\n"
}
