//! The data of a session: statuses, relations, quotes, links, reviews and the session itself.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Change, Conflict, SESSION_SCHEMA, cache_reference};
use crate::model::{Cache, PartialDate};

/// Review status of a document.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not looked at yet.
    #[default]
    Unreviewed,
    /// Bears on the article.
    Relevant,
    /// Looked at, does not bear on the article.
    Irrelevant,
    /// A key record.
    Key,
}

impl Status {
    /// Every status, in the order of the 1-4 keys.
    pub const ALL: [Self; 4] = [
        Self::Unreviewed,
        Self::Relevant,
        Self::Irrelevant,
        Self::Key,
    ];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreviewed => "unreviewed",
            Self::Relevant => "relevant",
            Self::Irrelevant => "irrelevant",
            Self::Key => "key",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown status (unreviewed, relevant, irrelevant, key): {s}"))
    }
}

/// How a piece of evidence bears on a statement.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The record backs the statement.
    #[default]
    Supports,
    /// The record contradicts the statement.
    Contradicts,
    /// The record gives context.
    Context,
}

impl Relation {
    /// Every relation.
    pub const ALL: [Self; 3] = [Self::Supports, Self::Contradicts, Self::Context];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supports => "supports",
            Self::Contradicts => "contradicts",
            Self::Context => "context",
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Relation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown relation (supports, contradicts, context): {s}"))
    }
}

/// An exact quote of a document's text with its offsets (chars, start inclusive, end exclusive).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quote {
    /// The exact text.
    pub text: String,
    /// Start offset in chars.
    pub start: usize,
    /// End offset in chars.
    pub end: usize,
    /// For a quote on an OCR'd page: the engine and languages that read it (recorded when the
    /// link is made), so a quote opened where the OCR reads otherwise can be explained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<QuoteOcr>,
}

/// The OCR a quote was taken from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuoteOcr {
    /// The engine and its version (`tesseract 5.3.0`).
    pub engine: String,
    /// The tesseract languages of the quote's page.
    pub languages: String,
}

impl Quote {
    /// A quote of `text` at `start..end` (no OCR provenance yet: linking records it).
    pub fn new(text: impl Into<String>, start: usize, end: usize) -> Self {
        Self {
            text: text.into(),
            start,
            end,
            ocr: None,
        }
    }
}

/// A link from a document to a statement of the article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    /// Statement id (`S3`).
    pub statement: String,
    /// The statement's text when the link was made, so an edited article flags the link.
    pub statement_text: String,
    /// How the record bears on the statement.
    pub relation: Relation,
    /// The exact quote that is the evidence, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
    /// The analyst's note on this link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The link's stable identity ([`super::link_id`]), given when the link is made (left
    /// empty in a command: apply fills it in).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Who made the link (filled in by apply).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    /// When the link was made (filled in by apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
}

impl Link {
    /// The same link as evidence: what it says, without who made it and when.
    pub fn same_evidence(&self, other: &Self) -> bool {
        self.statement == other.statement
            && self.statement_text == other.statement_text
            && self.relation == other.relation
            && self.quote == other.quote
            && self.note == other.note
    }
}

/// The analyst's review of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocReview {
    /// SHA-256 of the document's file when it was tagged.
    pub sha256: String,
    /// Review status.
    #[serde(default)]
    pub status: Status,
    /// Accepted date (full or partial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Senders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub senders: Vec<String>,
    /// Recipients.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
    /// Equipment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipment: Vec<String>,
    /// Free tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Free-text notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Evidence links to statements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Who changed each field from what to what, and when: the last
    /// [`super::HISTORY_LIMIT`] changes of each field, oldest first (by field name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub history: BTreeMap<String, Vec<Change>>,
    /// Fields a merge left in conflict (by field name; a link's is `link:ID`): the field keeps
    /// its base value until the analyst resolves it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub conflicts: BTreeMap<String, Conflict>,
}

impl DocReview {
    /// An empty review of a document whose file has this SHA-256.
    pub(super) fn new(sha256: &str) -> Self {
        Self {
            sha256: sha256.to_owned(),
            ..Self::default()
        }
    }

    /// True when the review holds nothing but an unreviewed status (and perhaps its history).
    pub fn is_empty(&self) -> bool {
        self.status == Status::Unreviewed
            && self.date.is_none()
            && self.senders.is_empty()
            && self.recipients.is_empty()
            && self.equipment.is_empty()
            && self.tags.is_empty()
            && self.notes.is_empty()
            && self.links.is_empty()
            && self.conflicts.is_empty()
    }

    /// The values of a multi-valued field, to edit.
    pub(super) fn list_mut(&mut self, field: Field) -> &mut Vec<String> {
        match field {
            Field::Sender => &mut self.senders,
            Field::Recipient => &mut self.recipients,
            Field::Equipment => &mut self.equipment,
            Field::Tag => &mut self.tags,
        }
    }

    /// The values of a multi-valued field.
    pub fn list(&self, field: Field) -> &[String] {
        match field {
            Field::Sender => &self.senders,
            Field::Recipient => &self.recipients,
            Field::Equipment => &self.equipment,
            Field::Tag => &self.tags,
        }
    }
}

/// A multi-valued field of a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Senders.
    Sender,
    /// Recipients.
    Recipient,
    /// Equipment.
    Equipment,
    /// Free tags.
    Tag,
}

/// A review session, saved as line-stable JSON. Two sessions are equal when they would be
/// saved the same: `modified`, which is not saved, is left out.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    /// Always [`SESSION_SCHEMA`].
    pub schema: String,
    /// The cache folder, relative to the session file's folder where possible.
    pub cache: String,
    /// The analyst's name.
    #[serde(default)]
    pub analyst: String,
    /// When the session was created.
    pub created: DateTime<Utc>,
    /// When the session was last changed. Not written to the file (it would touch a line on
    /// every edit): on load it is the time of the latest change recorded, else `created`.
    #[serde(default = "epoch", skip_serializing)]
    pub modified: DateTime<Utc>,
    /// SHA-256 of the article the links were made against.
    #[serde(default)]
    pub article_sha256: Option<String>,
    /// Reviews by document id; documents never touched are absent.
    #[serde(default)]
    ///
    /// A persistent map (`imbl`): cloning the session shares its reviews, so the window's Save
    /// takes a snapshot of 100,000 reviews in constant time and writes it on a worker thread.
    ///
    /// Changed only by [`super::apply`] (a command) and the editor's undo and redo; read with
    /// [`Session::reviews`] and [`Session::review`].
    pub(super) documents: imbl::OrdMap<String, DocReview>,
    /// Entity merges: a spelling and the canonical name it stands for (read with
    /// [`Session::aliases`], changed by commands).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(super) aliases: BTreeMap<String, String>,
    /// Entity merges a merge of sessions left in conflict (two sides merging X into Y and Y into
    /// X), by the first name involved; the names involved keep their base merges meanwhile.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(super) alias_conflicts: BTreeMap<String, Conflict>,
    /// The OCR languages of this cache (`rus+eng`); absent: chosen per page. Changed by
    /// [`super::Command::SetOcrLanguages`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ocr_languages: Option<String>,
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        self.schema == other.schema
            && self.cache == other.cache
            && self.analyst == other.analyst
            && self.created == other.created
            && self.article_sha256 == other.article_sha256
            && self.documents == other.documents
            && self.aliases == other.aliases
            && self.alias_conflicts == other.alias_conflicts
            && self.ocr_languages == other.ocr_languages
    }
}

impl Eq for Session {}

fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

impl Session {
    /// The OCR languages the analyst set for this cache ([`crate::ocr::LanguageSetting::Auto`]
    /// when none: chosen per page).
    pub fn ocr_languages(&self) -> crate::ocr::LanguageSetting {
        self.ocr_languages
            .as_deref()
            .and_then(|l| crate::ocr::LanguageSetting::parse(l).ok())
            .unwrap_or_default()
    }

    /// A new empty session over `cache_root`, to be saved at `session_path`.
    pub fn new(
        cache_root: &Path,
        session_path: Option<&Path>,
        analyst: &str,
        cache: &Cache,
    ) -> Self {
        let now = Utc::now();
        Self {
            schema: SESSION_SCHEMA.to_owned(),
            cache: cache_reference(cache_root, session_path),
            analyst: analyst.to_owned(),
            created: now,
            modified: now,
            article_sha256: cache.article.as_ref().map(|(_, a)| a.sha256.clone()),
            documents: imbl::OrdMap::new(),
            aliases: BTreeMap::new(),
            alias_conflicts: BTreeMap::new(),
            ocr_languages: None,
        }
    }

    /// Every review, by document id (documents never touched are absent).
    pub fn reviews(&self) -> &imbl::OrdMap<String, DocReview> {
        &self.documents
    }

    /// The entity merges: a spelling and the canonical name it stands for.
    pub fn aliases(&self) -> &BTreeMap<String, String> {
        &self.aliases
    }

    /// The review of a document, if it was ever touched.
    pub fn review(&self, doc: &str) -> Option<&DocReview> {
        self.documents.get(doc)
    }

    /// The status of a document (unreviewed when never touched).
    pub fn status(&self, doc: &str) -> Status {
        self.documents
            .get(doc)
            .map(|r| r.status)
            .unwrap_or_default()
    }

    /// The canonical name of an entity after the analyst's merges.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        let mut current = name;
        // Merges never form cycles (apply refuses them); the bound guards hand-edited files.
        for _ in 0..16 {
            match self.aliases.get(current) {
                Some(next) if next != current => current = next,
                _ => break,
            }
        }
        current
    }

    /// Canonical names of a list (after the analyst's merges), first occurrence kept, repeats dropped.
    pub fn canonical_list(&self, names: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in names {
            let c = self.canonical(n).to_owned();
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// The cache folder this session refers to, resolved against the session file's folder.
    pub fn cache_root(&self, session_path: &Path) -> PathBuf {
        let cache = Path::new(&self.cache);
        if cache.is_absolute() {
            cache.to_path_buf()
        } else {
            session_path.parent().unwrap_or(Path::new(".")).join(cache)
        }
    }
}

/// Errors of loading, saving and editing a session.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Reading or writing the file failed.
    #[error("{source}: {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a session this version can read; it is left untouched.
    #[error("not a readable session ({reason}); the file was left untouched: {}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A command could not be applied.
    #[error("{0}")]
    Command(String),
}
