//! The session file: its schema, loading and saving it, how it names its cache, and the check of
//! a loaded session against the cache.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::{Session, SessionError};
use crate::model::Cache;

/// The `schema` string written in every session file.
pub const SESSION_SCHEMA: &str = "doctriage.session/3";

/// The schema of the first session files, still read (and saved as [`SESSION_SCHEMA`]).
pub const SESSION_SCHEMA_V1: &str = "doctriage.session/1";

/// The schema before OCR (no OCR languages, no OCR provenance of quotes), still read (and
/// saved as [`SESSION_SCHEMA`]).
pub const SESSION_SCHEMA_V2: &str = "doctriage.session/2";

impl Session {
    /// Parses a session from JSON text (a `doctriage.session/1` or `/2` one is brought up to
    /// date).
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let mut session: Self = serde_json::from_str(text)?;
        session.migrate();
        Ok(session)
    }

    /// The session file's text: deterministic, line-stable JSON (documents sorted by id, one
    /// field per line, no time that changes on every edit).
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        let value = serde_json::to_value(self).unwrap_or_default();
        super::json::to_text(&value)
    }

    /// Brings a session read from a file up to date: a `/1` or `/2` session becomes a `/3` one
    /// (`/1` links get their ids; `/2` has nothing `/3` lacks), and `modified`, which the file does not hold, is the time of the
    /// latest change recorded (else the creation time).
    fn migrate(&mut self) {
        if self.schema == SESSION_SCHEMA_V1 || self.schema == SESSION_SCHEMA_V2 {
            SESSION_SCHEMA.clone_into(&mut self.schema);
        }
        let mut latest = self.created;
        let ids: Vec<String> = self.documents.keys().cloned().collect();
        for id in ids {
            let Some(review) = self.documents.get_mut(&id) else {
                continue;
            };
            for link in &mut review.links {
                if link.id.is_empty() {
                    link.id = super::link_id(&id, link);
                }
                latest = latest.max(link.at.unwrap_or(latest));
            }
            for change in review.history.values().flatten() {
                latest = latest.max(change.at);
            }
        }
        if self.modified < latest {
            self.modified = latest;
        }
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
        let mut session: Self = serde_json::from_str(&text).map_err(|e| SessionError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        if ![SESSION_SCHEMA, SESSION_SCHEMA_V2, SESSION_SCHEMA_V1]
            .contains(&session.schema.as_str())
        {
            return Err(SessionError::Corrupt {
                path: path.to_owned(),
                reason: format!(
                    "unsupported schema {:?} (expected {SESSION_SCHEMA:?})",
                    session.schema
                ),
            });
        }
        session.migrate();
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
                // A document whose pages still wait for OCR has no full text yet: its quotes are
                // checked once it is read.
                if let (Some(q), Some(doc)) = (&link.quote, cache.document(id))
                    && doc.pending_pages().is_empty()
                    && super::quote_at(&doc.text, q.start, q.end).as_deref()
                        != Some(q.text.as_str())
                {
                    v.moved_quotes.push(MovedQuote::of(id, &link.id, q, doc));
                }
            }
        }
        v.conflicts = self
            .conflicts()
            .iter()
            .map(|c| {
                let what = match c.doc {
                    Some(doc) => format!("{} of {doc}", c.field),
                    None => format!("the entity merges of {}", c.field),
                };
                format!(
                    "{what} is in conflict ({} by {} / {} by {}); the base value {} is used until it is resolved",
                    c.conflict.ours.value,
                    c.conflict.ours.by,
                    c.conflict.theirs.value,
                    c.conflict.theirs.by,
                    c.conflict.base
                )
            })
            .collect();
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
    /// Fields a merge left in conflict, one line each (their base value is used meanwhile).
    pub conflicts: Vec<String>,
    /// Quotes no longer at their offsets (another OCR, an edited file): where each is now, if
    /// its exact text is still in the document.
    pub moved_quotes: Vec<MovedQuote>,
}

/// A link's quote that is no longer at its offsets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MovedQuote {
    /// The document.
    pub doc: String,
    /// The link.
    pub link: String,
    /// The offsets the quote was taken at.
    pub was: (usize, usize),
    /// Where its exact text is now (the occurrence nearest the old offsets), if anywhere.
    pub now: Option<(usize, usize)>,
    /// Who read the page when the quote was taken, and who read it now, when they differ.
    pub ocr_change: Option<(String, String)>,
}

impl MovedQuote {
    fn of(doc_id: &str, link: &str, q: &super::Quote, doc: &crate::model::Document) -> Self {
        let n = q.end.saturating_sub(q.start);
        let chars: Vec<char> = doc.text.chars().collect();
        let needle: Vec<char> = q.text.chars().collect();
        let now = (!needle.is_empty())
            .then(|| {
                chars
                    .windows(needle.len())
                    .enumerate()
                    .filter(|(_, w)| *w == needle.as_slice())
                    .map(|(i, _)| i)
                    .min_by_key(|&i| i.abs_diff(q.start))
            })
            .flatten()
            .map(|i| (i, i + n));
        let reader = |o: &super::QuoteOcr| format!("{} ({})", o.engine, o.languages);
        let read_now = doc
            .page_at(now.map_or(q.start, |(s, _)| s))
            .and_then(|p| doc.pages.get(p - 1))
            .and_then(|p| p.ocr.as_ref())
            .map(|o| format!("{} ({})", o.engine, o.languages));
        let ocr_change = match (q.ocr.as_ref().map(reader), read_now) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            (Some(a), None) => Some((a, "no OCR".into())),
            _ => None,
        };
        Self {
            doc: doc_id.to_owned(),
            link: link.to_owned(),
            was: (q.start, q.end),
            now,
            ocr_change,
        }
    }
}

impl Verification {
    /// True when the session matches the cache.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.outside_root.is_empty()
            && self.stale_links.is_empty()
            && !self.article_changed
            && self.conflicts.is_empty()
            && self.moved_quotes.is_empty()
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
        for m in &self.moved_quotes {
            let why = m
                .ocr_change
                .as_ref()
                .map_or_else(String::new, |(then, now)| {
                    format!(" (read by {then} when quoted, by {now} now)")
                });
            out.push(match m.now {
                Some((a, b)) => format!(
                    "a quote moved from chars {}–{} to {a}–{b}{why}: link {} of {}",
                    m.was.0, m.was.1, m.link, m.doc
                ),
                None => format!(
                    "a quote no longer matches the text (chars {}–{}){why}: link {} of {}",
                    m.was.0, m.was.1, m.link, m.doc
                ),
            });
        }
        if self.article_changed {
            out.push("the article changed since the session was made".to_owned());
        }
        out.extend(self.conflicts.iter().cloned());
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
