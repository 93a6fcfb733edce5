//! The review session: the analyst's tags and evidence links, edited only through [`Command`] values.
//!
//! One function, [`apply`], applies a command to a session; the window and the command line both
//! call it (through [`Editor`] for undo and redo), so the same actions give the same session.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Cache, Candidate, Document, Origin, PartialDate, Suggestions};

/// The `schema` string written in every session file.
pub const SESSION_SCHEMA: &str = "doctriage.session/1";

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
}

/// A link from a document to a statement of the article.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
}

impl DocReview {
    fn new(sha256: &str) -> Self {
        Self {
            sha256: sha256.to_owned(),
            ..Self::default()
        }
    }

    /// True when the review holds nothing but an unreviewed status.
    pub fn is_empty(&self) -> bool {
        self.status == Status::Unreviewed
            && self.date.is_none()
            && self.senders.is_empty()
            && self.recipients.is_empty()
            && self.equipment.is_empty()
            && self.tags.is_empty()
            && self.notes.is_empty()
            && self.links.is_empty()
    }

    fn list_mut(&mut self, field: Field) -> &mut Vec<String> {
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

/// A review session, saved as pretty JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// When the session was last changed.
    pub modified: DateTime<Utc>,
    /// SHA-256 of the article the links were made against.
    #[serde(default)]
    pub article_sha256: Option<String>,
    /// Reviews by document id; documents never touched are absent.
    #[serde(default)]
    ///
    /// A persistent map (`imbl`): cloning the session shares its reviews, so the window's Save
    /// takes a snapshot of 100,000 reviews in constant time and writes it on a worker thread.
    pub documents: imbl::OrdMap<String, DocReview>,
    /// Entity merges: a spelling and the canonical name it stands for.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, String>,
}

impl Session {
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
        }
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

    /// Parses a session from JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Pretty JSON of the session.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Loads a session file. A file that does not parse is reported and left untouched.
    pub fn load(path: &Path) -> Result<Self, SessionError> {
        let bytes = std::fs::read(path).map_err(|source| SessionError::Io {
            path: path.to_owned(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| SessionError::Corrupt {
            path: path.to_owned(),
            reason: "not UTF-8 text".into(),
        })?;
        let session: Self = serde_json::from_str(&text).map_err(|e| SessionError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        if session.schema != SESSION_SCHEMA {
            return Err(SessionError::Corrupt {
                path: path.to_owned(),
                reason: format!(
                    "unsupported schema {:?} (expected {SESSION_SCHEMA:?})",
                    session.schema
                ),
            });
        }
        Ok(session)
    }

    /// Saves atomically: a temporary file beside the target, fsync, rename; the previous version is kept as `FILE.bak`.
    pub fn save(&self, path: &Path) -> Result<(), SessionError> {
        crate::fsutil::write_atomic_with_backup(path, self.to_json().as_bytes()).map_err(|e| {
            SessionError::Io {
                path: e.path,
                source: e.source,
            }
        })
    }

    /// Compares the session with the cache: changed and missing documents, links to statements that no longer exist.
    pub fn verify(&self, cache: &Cache) -> Verification {
        let mut v = Verification::default();
        let statements: BTreeMap<&str, &str> = cache
            .article
            .as_ref()
            .map(|(_, a)| {
                a.statements
                    .iter()
                    .map(|s| (s.id.as_str(), s.text.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        if let (Some(saved), Some((_, article))) = (&self.article_sha256, &cache.article) {
            v.article_changed = *saved != article.sha256;
        }
        for (id, review) in &self.documents {
            match cache.document(id) {
                None if is_unsafe_id(id) => v.outside_root.push(id.clone()),
                None => v.missing.push(id.clone()),
                Some(doc) if doc.sha256 != review.sha256 => v.changed.push(id.clone()),
                Some(_) => {}
            }
            for link in &review.links {
                if statements.get(link.statement.as_str()) != Some(&link.statement_text.as_str()) {
                    v.stale_links.push((id.clone(), link.statement.clone()));
                }
            }
        }
        v
    }
}

/// What [`Session::verify`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Documents whose file bytes changed since they were tagged (flagged, not re-tagged).
    pub changed: Vec<String>,
    /// Tagged ids that are not in the cache (kept aside in the session).
    pub missing: Vec<String>,
    /// Tagged ids that name a path outside the cache root (kept aside, never followed).
    pub outside_root: Vec<String>,
    /// Links whose statement no longer exists with the same text: (document, statement id).
    pub stale_links: Vec<(String, String)>,
    /// The article's bytes changed since the session was made.
    pub article_changed: bool,
}

impl Verification {
    /// True when the session matches the cache.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.outside_root.is_empty()
            && self.stale_links.is_empty()
            && !self.article_changed
    }

    /// One line per problem, for the window and the command line.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for id in &self.changed {
            out.push(format!(
                "document changed since it was tagged (tags kept, check them): {id}"
            ));
        }
        for id in &self.missing {
            out.push(format!(
                "tagged document is not in the cache (kept aside): {id}"
            ));
        }
        for id in &self.outside_root {
            out.push(format!(
                "tagged id points outside the cache (kept aside, not followed): {id}"
            ));
        }
        for (id, st) in &self.stale_links {
            out.push(format!(
                "link to {st} whose statement is no longer in the article: {id}"
            ));
        }
        if self.article_changed {
            out.push("the article changed since the session was made".to_owned());
        }
        out
    }
}

fn is_unsafe_id(id: &str) -> bool {
    let path = Path::new(id.split('#').next().unwrap_or(id));
    path.is_absolute()
        || path
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
}

/// How a session refers to its cache: relative to the session file's folder where possible.
pub fn cache_reference(cache_root: &Path, session_path: Option<&Path>) -> String {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let root = absolute(cache_root);
    if let Some(dir) = session_path.map(absolute).as_deref().and_then(Path::parent)
        && let Some(rel) = relative_path(&root, dir)
    {
        return rel.to_string_lossy().replace('\\', "/");
    }
    root.to_string_lossy().into_owned()
}

fn relative_path(target: &Path, base: &Path) -> Option<PathBuf> {
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
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

/// An edit of a session. Applied by [`apply`]; the window and the command line build the same values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Set a document's status.
    SetStatus {
        /// Document id.
        doc: String,
        /// New status.
        status: Status,
    },
    /// Set or clear a document's date.
    SetDate {
        /// Document id.
        doc: String,
        /// New date.
        date: Option<PartialDate>,
    },
    /// Add a value to a multi-valued field (no effect if present).
    Add {
        /// Document id.
        doc: String,
        /// Which field.
        field: Field,
        /// The value.
        value: String,
    },
    /// Remove a value from a multi-valued field.
    Remove {
        /// Document id.
        doc: String,
        /// Which field.
        field: Field,
        /// The value.
        value: String,
    },
    /// Replace a document's notes.
    SetNotes {
        /// Document id.
        doc: String,
        /// New notes.
        notes: String,
    },
    /// Append a note paragraph to a document's notes.
    AppendNote {
        /// Document id.
        doc: String,
        /// The paragraph.
        note: String,
    },
    /// Link a document to a statement.
    Link {
        /// Document id.
        doc: String,
        /// The link (its quote must match the document's text at its offsets).
        link: Link,
    },
    /// Remove a document's link by position.
    Unlink {
        /// Document id.
        doc: String,
        /// Position in the document's links.
        index: usize,
    },
    /// Merge one spelling of an entity into a canonical name.
    MergeEntity {
        /// The spelling.
        from: String,
        /// The canonical name.
        into: String,
    },
    /// Several commands as one undo step.
    Batch {
        /// What the step is called in the Undo menu.
        label: String,
        /// The commands, applied in order.
        commands: Vec<Command>,
    },
}

impl Command {
    /// A short label for menus and history ("Set status of X").
    pub fn label(&self) -> String {
        match self {
            Self::SetStatus { status, .. } => format!("Set status {status}"),
            Self::SetDate { .. } => "Set date".into(),
            Self::Add { field, value, .. } => format!("Add {field:?} {value}").to_lowercase(),
            Self::Remove { field, value, .. } => format!("Remove {field:?} {value}").to_lowercase(),
            Self::SetNotes { .. } | Self::AppendNote { .. } => "Edit notes".into(),
            Self::Link { link, .. } => format!("Link to {}", link.statement),
            Self::Unlink { .. } => "Remove link".into(),
            Self::MergeEntity { from, into } => format!("Merge {from} into {into}"),
            Self::Batch { label, .. } => label.clone(),
        }
    }

    fn touched_docs(&self, out: &mut Vec<String>) {
        match self {
            Self::SetStatus { doc, .. }
            | Self::SetDate { doc, .. }
            | Self::Add { doc, .. }
            | Self::Remove { doc, .. }
            | Self::SetNotes { doc, .. }
            | Self::AppendNote { doc, .. }
            | Self::Link { doc, .. }
            | Self::Unlink { doc, .. } => {
                if !out.contains(doc) {
                    out.push(doc.clone());
                }
            }
            Self::MergeEntity { .. } => {}
            Self::Batch { commands, .. } => commands.iter().for_each(|c| c.touched_docs(out)),
        }
    }

    fn touches_aliases(&self) -> bool {
        match self {
            Self::MergeEntity { .. } => true,
            Self::Batch { commands, .. } => commands.iter().any(Self::touches_aliases),
            _ => false,
        }
    }
}

/// Applies one command to a session, checking it against the cache (the document exists, the quote
/// is at its offsets, the statement exists). On error the session is unchanged.
///
/// Only what the command touches is copied beforehand (its documents' reviews, and the entity
/// merges for a merge), so an edit costs the same in a session of ten or of 100,000 reviews.
pub fn apply(session: &mut Session, cache: &Cache, cmd: &Command) -> Result<(), SessionError> {
    let mut docs = Vec::new();
    cmd.touched_docs(&mut docs);
    let before: Vec<(String, Option<DocReview>)> = docs
        .into_iter()
        .map(|d| {
            let r = session.documents.get(&d).cloned();
            (d, r)
        })
        .collect();
    let aliases_before = cmd.touches_aliases().then(|| session.aliases.clone());
    if let Err(e) = apply_inner(session, cache, cmd) {
        for (doc, review) in before {
            match review {
                Some(r) => session.documents.insert(doc, r),
                None => session.documents.remove(&doc),
            };
        }
        if let Some(a) = aliases_before {
            session.aliases = a;
        }
        return Err(e);
    }
    // Reviews that went back to nothing are dropped, so an undone edit leaves no trace.
    for (doc, _) in &before {
        if session.documents.get(doc).is_some_and(DocReview::is_empty) {
            session.documents.remove(doc);
        }
    }
    session.modified = Utc::now();
    Ok(())
}

fn err(msg: impl Into<String>) -> SessionError {
    SessionError::Command(msg.into())
}

fn review_mut<'s>(
    session: &'s mut Session,
    cache: &Cache,
    doc: &str,
) -> Result<&'s mut DocReview, SessionError> {
    let d = cache
        .document(doc)
        .ok_or_else(|| err(format!("no such document: {doc}")))?;
    let review = session
        .documents
        .entry(doc.to_owned())
        .or_insert_with(|| DocReview::new(&d.sha256));
    Ok(review)
}

fn apply_inner(session: &mut Session, cache: &Cache, cmd: &Command) -> Result<(), SessionError> {
    match cmd {
        Command::SetStatus { doc, status } => review_mut(session, cache, doc)?.status = *status,
        Command::SetDate { doc, date } => review_mut(session, cache, doc)?.date = *date,
        Command::Add { doc, field, value } => {
            let value = value.trim();
            if value.is_empty() {
                return Err(err("an empty value cannot be added"));
            }
            let list = review_mut(session, cache, doc)?.list_mut(*field);
            if !list.iter().any(|v| v == value) {
                list.push(value.to_owned());
            }
        }
        Command::Remove { doc, field, value } => {
            review_mut(session, cache, doc)?
                .list_mut(*field)
                .retain(|v| v != value);
        }
        Command::SetNotes { doc, notes } => review_mut(session, cache, doc)?.notes = notes.clone(),
        Command::AppendNote { doc, note } => {
            let r = review_mut(session, cache, doc)?;
            if !r.notes.is_empty() {
                r.notes.push_str("\n\n");
            }
            r.notes.push_str(note.trim());
        }
        Command::Link { doc, link } => {
            let document = cache
                .document(doc)
                .ok_or_else(|| err(format!("no such document: {doc}")))?;
            let statement = cache
                .article
                .as_ref()
                .and_then(|(_, a)| a.statements.iter().find(|s| s.id == link.statement))
                .ok_or_else(|| err(format!("no statement {} in the article", link.statement)))?;
            if statement.text != link.statement_text {
                return Err(err(format!(
                    "statement {} has other text in this article",
                    link.statement
                )));
            }
            if let Some(q) = &link.quote
                && quote_at(&document.text, q.start, q.end).as_deref() != Some(q.text.as_str())
            {
                return Err(err(format!(
                    "the quote is not at offsets {}..{} of {doc}",
                    q.start, q.end
                )));
            }
            let r = review_mut(session, cache, doc)?;
            if !r.links.contains(link) {
                r.links.push(link.clone());
            }
        }
        Command::Unlink { doc, index } => {
            let r = review_mut(session, cache, doc)?;
            if *index >= r.links.len() {
                return Err(err(format!("{doc} has no link number {}", index + 1)));
            }
            r.links.remove(*index);
        }
        Command::MergeEntity { from, into } => {
            let (from, into) = (from.trim(), into.trim());
            if from.is_empty() || into.is_empty() || from == into {
                return Err(err("merge needs two different names"));
            }
            if session.canonical(into) == from {
                return Err(err(format!("{into} is already merged into {from}")));
            }
            session.aliases.insert(from.to_owned(), into.to_owned());
        }
        Command::Batch { commands, .. } => {
            for c in commands {
                apply_inner(session, cache, c)?;
            }
        }
    }
    Ok(())
}

/// The text between two char offsets, if they are inside the text.
pub fn quote_at(text: &str, start: usize, end: usize) -> Option<String> {
    if start > end {
        return None;
    }
    let mut it = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let s = it.nth(start)?;
    let e = if end == start {
        s
    } else {
        it.nth(end - start - 1)?
    };
    Some(text[s..e].to_owned())
}

/// Finds a quote in a document's text: the occurrence nearest to `near` (chars), else the first.
/// Whitespace differences (a quote pasted across a line break) are tolerated.
pub fn locate_quote(text: &str, quote: &str, near: Option<usize>) -> Option<Quote> {
    let quote = quote.trim();
    if quote.is_empty() {
        return None;
    }
    let mut spans: Vec<(usize, usize)> = text
        .match_indices(quote)
        .map(|(bs, m)| (bs, bs + m.len()))
        .collect();
    if spans.is_empty() {
        // Tolerate whitespace runs (a quote pasted across a line break): match word by word.
        let words: Vec<&str> = quote.split_whitespace().collect();
        for (bs, _) in text.match_indices(words[0]) {
            let mut pos = bs + words[0].len();
            let mut ok = true;
            for w in &words[1..] {
                let rest = &text[pos..];
                let trimmed = rest.trim_start();
                if trimmed.len() == rest.len() || !trimmed.starts_with(w) {
                    ok = false;
                    break;
                }
                pos += rest.len() - trimmed.len() + w.len();
            }
            if ok {
                spans.push((bs, pos));
            }
        }
    }
    let char_index = |byte: usize| text[..byte].chars().count();
    let (bs, be) = match near {
        Some(n) => spans
            .into_iter()
            .min_by_key(|&(bs, _)| char_index(bs).abs_diff(n))?,
        None => spans.into_iter().next()?,
    };
    let start = char_index(bs);
    Some(Quote {
        text: text[bs..be].to_owned(),
        start,
        end: start + text[bs..be].chars().count(),
    })
}

/// The command that accepts a document's suggestions, as one undo step: the first date candidate
/// (unless a date is set), the sender the record's metadata or header states (else the first found in
/// its letterhead or signature), and every equipment candidate.
pub fn accept_suggestions(
    doc: &Document,
    suggestions: &Suggestions,
    current: Option<&DocReview>,
) -> Command {
    let mut commands = Vec::new();
    if current.and_then(|r| r.date).is_none()
        && let Some(date) = suggestions
            .dates
            .iter()
            .find_map(|c| PartialDate::parse_iso(&c.value))
    {
        commands.push(Command::SetDate {
            doc: doc.id.clone(),
            date: Some(date),
        });
    }
    let stated: Vec<&Candidate> = suggestions
        .senders
        .iter()
        .filter(|c| c.origin != Origin::Text)
        .collect();
    let senders = if stated.is_empty() {
        suggestions.senders.iter().take(1).collect()
    } else {
        stated
    };
    for c in senders {
        commands.push(Command::Add {
            doc: doc.id.clone(),
            field: Field::Sender,
            value: c.value.clone(),
        });
    }
    for c in &suggestions.equipment {
        commands.push(Command::Add {
            doc: doc.id.clone(),
            field: Field::Equipment,
            value: c.value.clone(),
        });
    }
    Command::Batch {
        label: format!("Accept suggestions for {}", doc.id),
        commands,
    }
}

/// The standing of a statement in the claim ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// At least one supporting link and none contradicting.
    Supported,
    /// Any contradicting link.
    Contested,
    /// Neither.
    Unsupported,
}

impl ClaimStatus {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supported => "supported",
            Self::Contested => "contested",
            Self::Unsupported => "unsupported",
        }
    }
}

/// One piece of evidence of the ledger: a document's link to a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence<'a> {
    /// Document id.
    pub doc: &'a str,
    /// The link.
    pub link: &'a Link,
}

/// A statement with its status and evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow<'a> {
    /// Statement id.
    pub id: &'a str,
    /// Statement text.
    pub text: &'a str,
    /// Supported, contested or unsupported.
    pub status: ClaimStatus,
    /// Links to this statement (document order, then link order).
    pub evidence: Vec<Evidence<'a>>,
}

/// The claim ledger: every statement of the article with its status and evidence.
/// Links whose statement text differs from the article's (an edited article) count for nothing.
pub fn ledger<'a>(session: &'a Session, cache: &'a Cache) -> Vec<LedgerRow<'a>> {
    let Some((_, article)) = &cache.article else {
        return Vec::new();
    };
    let mut rows: Vec<LedgerRow<'a>> = article
        .statements
        .iter()
        .map(|s| LedgerRow {
            id: &s.id,
            text: &s.text,
            status: ClaimStatus::Unsupported,
            evidence: Vec::new(),
        })
        .collect();
    let index: BTreeMap<&str, usize> = article
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    for (doc, review) in &session.documents {
        for link in &review.links {
            if let Some(&i) = index.get(link.statement.as_str())
                && rows[i].text == link.statement_text
            {
                rows[i].evidence.push(Evidence { doc, link });
            }
        }
    }
    for row in &mut rows {
        let contradicted = row
            .evidence
            .iter()
            .any(|e| e.link.relation == Relation::Contradicts);
        let supported = row
            .evidence
            .iter()
            .any(|e| e.link.relation == Relation::Supports);
        row.status = if contradicted {
            ClaimStatus::Contested
        } else if supported {
            ClaimStatus::Supported
        } else {
            ClaimStatus::Unsupported
        };
    }
    rows
}

/// A session with undo and redo: every edit goes through [`Editor::apply`].
#[derive(Clone, Debug)]
pub struct Editor {
    /// The session being edited.
    pub session: Session,
    undo: Vec<Step>,
    redo: Vec<Step>,
    revision: u64,
    saved_revision: u64,
    id: u64,
    last_docs: Vec<String>,
    last_aliases: bool,
}

/// Gives every [`Editor`] its own [`Editor::id`].
static NEXT_EDITOR_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[derive(Clone, Debug)]
struct Step {
    cmd: Command,
    before: Vec<(String, Option<DocReview>)>,
    aliases_before: Option<BTreeMap<String, String>>,
}

/// How many steps undo remembers.
pub const UNDO_LIMIT: usize = 1000;

impl Editor {
    /// Starts editing a session (considered saved).
    pub fn new(session: Session) -> Self {
        Self {
            session,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
            saved_revision: 0,
            id: NEXT_EDITOR_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            last_docs: Vec::new(),
            last_aliases: false,
        }
    }

    /// A number no other editor of this process has: `(id, revision)` names one state of one
    /// session, even when a window replaces its editor (whose revision starts again at 0).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// What the last apply, undo or redo changed: the documents whose review it touched, and
    /// whether it changed the entity merges (aliases).
    pub fn last_change(&self) -> (&[String], bool) {
        (&self.last_docs, self.last_aliases)
    }

    fn record_change(&mut self, step: &Step) {
        self.last_docs = step.before.iter().map(|(d, _)| d.clone()).collect();
        self.last_aliases = step.aliases_before.is_some();
    }

    /// Applies a command as one undo step and clears the redo list.
    pub fn apply(&mut self, cache: &Cache, cmd: Command) -> Result<(), SessionError> {
        let step = self.snapshot(cmd);
        apply(&mut self.session, cache, &step.cmd)?;
        self.record_change(&step);
        self.undo.push(step);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
        Ok(())
    }

    fn snapshot(&self, cmd: Command) -> Step {
        let mut docs = Vec::new();
        cmd.touched_docs(&mut docs);
        let before = docs
            .into_iter()
            .map(|d| (d.clone(), self.session.documents.get(&d).cloned()))
            .collect();
        let aliases_before = cmd.touches_aliases().then(|| self.session.aliases.clone());
        Step {
            cmd,
            before,
            aliases_before,
        }
    }

    fn restore(&mut self, step: &Step) {
        for (doc, review) in &step.before {
            match review {
                Some(r) => self.session.documents.insert(doc.clone(), r.clone()),
                None => self.session.documents.remove(doc),
            };
        }
        if let Some(a) = &step.aliases_before {
            self.session.aliases = a.clone();
        }
        self.session.modified = Utc::now();
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.undo.pop()?;
        let redo = self.snapshot(step.cmd.clone());
        self.restore(&step);
        self.record_change(&step);
        let label = step.cmd.label();
        self.redo.push(redo);
        self.revision += 1;
        Some(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let step = self.redo.pop()?;
        let undo = self.snapshot(step.cmd.clone());
        self.restore(&step);
        self.record_change(&step);
        let label = step.cmd.label();
        self.undo.push(undo);
        self.revision += 1;
        Some(label)
    }

    /// Label of the step undo would revert.
    pub fn undo_label(&self) -> Option<String> {
        self.undo.last().map(|s| s.cmd.label())
    }

    /// Label of the step redo would re-apply.
    pub fn redo_label(&self) -> Option<String> {
        self.redo.last().map(|s| s.cmd.label())
    }

    /// A counter that changes on every edit, undo and redo.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// True when there are edits since the last [`Editor::mark_saved`].
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    /// Records that the session as of `revision` is on disk.
    pub fn mark_saved(&mut self, revision: u64) {
        self.saved_revision = revision;
    }
}

/// Formats a time as RFC 3339 with seconds, UTC.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Refuses a path inside the cache folder: the evidence is never written, not even beside it.
pub fn check_outside_cache(cache_root: &Path, path: &Path) -> Result<(), SessionError> {
    let canon = |p: &Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let root = canon(cache_root);
    // The file may not exist yet: resolve its folder.
    let target = match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => canon(dir).join(name),
        _ => canon(path),
    };
    if target.starts_with(&root) {
        return Err(SessionError::Command(format!(
            "refusing to write inside the cache folder (evidence is read-only): {}",
            path.display()
        )));
    }
    Ok(())
}
