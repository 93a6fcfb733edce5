//! Every edit of a session is a [`Command`] value, applied by [`apply`].

use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::conflict::{resolve_aliases, resolve_in_review};
use super::{
    Choice, DocReview, Field, Link, Session, SessionError, Stamp, Status, link_field, link_id,
    quote_at,
};
use crate::model::{Cache, Candidate, Document, Origin, PartialDate, Suggestions};

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
    /// Remove a document's link, named by its stable id ([`Link::id`]).
    Unlink {
        /// Document id.
        doc: String,
        /// The link's id.
        link: String,
    },
    /// Resolve a conflict a merge left: the field takes the chosen value (an ordinary edit,
    /// undone like any other).
    ResolveConflict {
        /// The document (`None` for a conflict of the entity merges).
        doc: Option<String>,
        /// The field in conflict (`status`, `date`, `notes`, `link:ID`; for entity merges the
        /// first name involved).
        field: String,
        /// Which value it takes.
        choice: Choice,
    },
    /// Merge one spelling of an entity into a canonical name.
    MergeEntity {
        /// The spelling.
        from: String,
        /// The canonical name.
        into: String,
    },
    /// Move a link's quote to where its exact text now is (the text of its page changed: another
    /// OCR); the link keeps its id.
    MoveQuote {
        /// Document id.
        doc: String,
        /// The link's id.
        link: String,
        /// The new start offset.
        start: usize,
        /// The new end offset.
        end: usize,
    },
    /// Set the OCR languages of this cache (`auto`: chosen per page; else a tesseract list
    /// such as `rus+eng`).
    SetOcrLanguages {
        /// The setting.
        languages: crate::ocr::LanguageSetting,
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
            Self::MoveQuote { .. } => "Move a quote to its text".into(),
            Self::ResolveConflict { field, .. } => format!("Resolve conflict on {field}"),
            Self::MergeEntity { from, into } => format!("Merge {from} into {into}"),
            Self::SetOcrLanguages { languages } => format!("Set the OCR languages to {languages}"),
            Self::Batch { label, .. } => label.clone(),
        }
    }

    /// Adds the documents whose review the command changes to `out` (each once).
    pub(super) fn touched_docs(&self, out: &mut Vec<String>) {
        match self {
            Self::SetStatus { doc, .. }
            | Self::SetDate { doc, .. }
            | Self::Add { doc, .. }
            | Self::Remove { doc, .. }
            | Self::SetNotes { doc, .. }
            | Self::AppendNote { doc, .. }
            | Self::Link { doc, .. }
            | Self::Unlink { doc, .. }
            | Self::MoveQuote { doc, .. }
            | Self::ResolveConflict { doc: Some(doc), .. } => {
                if !out.contains(doc) {
                    out.push(doc.clone());
                }
            }
            Self::MergeEntity { .. }
            | Self::ResolveConflict { doc: None, .. }
            | Self::SetOcrLanguages { .. } => {}
            Self::Batch { commands, .. } => commands.iter().for_each(|c| c.touched_docs(out)),
        }
    }

    /// True when the command changes the entity merges.
    pub(super) fn touches_aliases(&self) -> bool {
        match self {
            Self::MergeEntity { .. } | Self::ResolveConflict { doc: None, .. } => true,
            Self::Batch { commands, .. } => commands.iter().any(Self::touches_aliases),
            _ => false,
        }
    }
}

/// Applies one command to a session as its analyst, now: [`apply_as`] with the session's analyst.
pub fn apply(session: &mut Session, cache: &Cache, cmd: &Command) -> Result<(), SessionError> {
    let stamp = Stamp::now(&session.analyst);
    apply_as(session, cache, cmd, &stamp)
}

/// Applies one command to a session, checking it against the cache (the document exists, the quote
/// is at its offsets, the statement exists). On error the session is unchanged.
///
/// Every field the command changes records who changed it from what to what, and when (the
/// `stamp`), in its review's history; every new link records who made it and when.
///
/// Only what the command touches is copied beforehand (its documents' reviews, and the entity
/// merges for a merge), so an edit costs the same in a session of ten or of 100,000 reviews.
pub fn apply_as(
    session: &mut Session,
    cache: &Cache,
    cmd: &Command,
    stamp: &Stamp,
) -> Result<(), SessionError> {
    let mut docs = Vec::new();
    cmd.touched_docs(&mut docs);
    let before: Vec<(String, Option<DocReview>)> = docs
        .into_iter()
        .map(|d| {
            let r = session.documents.get(&d).cloned();
            (d, r)
        })
        .collect();
    let aliases_before = cmd
        .touches_aliases()
        .then(|| (session.aliases.clone(), session.alias_conflicts.clone()));
    if let Err(e) = apply_inner(session, cache, cmd) {
        for (doc, review) in before {
            match review {
                Some(r) => session.documents.insert(doc, r),
                None => session.documents.remove(&doc),
            };
        }
        if let Some((a, c)) = aliases_before {
            session.aliases = a;
            session.alias_conflicts = c;
        }
        return Err(e);
    }
    for (doc, review) in &before {
        if let Some(after) = session.documents.get_mut(doc) {
            super::history::record(review.as_ref(), after, stamp);
        }
        // Reviews that went back to nothing are dropped, so an undone edit leaves no trace.
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
        Command::SetStatus { doc, status } => {
            let r = review_mut(session, cache, doc)?;
            r.conflicts.remove("status");
            r.status = *status;
        }
        Command::SetDate { doc, date } => {
            let r = review_mut(session, cache, doc)?;
            r.conflicts.remove("date");
            r.date = *date;
        }
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
        Command::SetNotes { doc, notes } => {
            let r = review_mut(session, cache, doc)?;
            r.conflicts.remove("notes");
            r.notes.clone_from(notes);
        }
        Command::AppendNote { doc, note } => {
            let r = review_mut(session, cache, doc)?;
            r.conflicts.remove("notes");
            if !r.notes.is_empty() {
                r.notes.push_str("\n\n");
            }
            r.notes.push_str(note.trim());
        }
        Command::Link { doc, link } => apply_link(session, cache, doc, link)?,
        Command::Unlink { doc, link } => {
            let r = review_mut(session, cache, doc)?;
            let Some(i) = r.links.iter().position(|l| l.id == *link) else {
                return Err(err(format!("{doc} has no link {link}")));
            };
            r.conflicts.remove(&link_field(link));
            r.links.remove(i);
        }
        Command::MoveQuote {
            doc,
            link,
            start,
            end,
        } => move_quote(session, cache, doc, link, (*start, *end))?,
        Command::ResolveConflict { doc, field, choice } => match doc {
            Some(doc) => {
                let r = review_mut(session, cache, doc)?;
                resolve_in_review(r, doc, field, choice)?;
            }
            None => resolve_aliases(session, field, choice)?,
        },
        Command::MergeEntity { from, into } => {
            let (from, into) = (from.trim(), into.trim());
            if from.is_empty() || into.is_empty() || from == into {
                return Err(err("merge needs two different names"));
            }
            if session.canonical(into) == from {
                return Err(err(format!("{into} is already merged into {from}")));
            }
            session.aliases.insert(from.to_owned(), into.to_owned());
            // Merging a name again settles any conflict of a merge of sessions over it.
            session.alias_conflicts.retain(|_, c| {
                ![&c.base, &c.ours.value, &c.theirs.value]
                    .iter()
                    .any(|v| v.get(from).is_some() || v.get(into).is_some())
            });
        }
        Command::SetOcrLanguages { languages } => {
            session.ocr_languages = match languages {
                crate::ocr::LanguageSetting::Auto => None,
                fixed => Some(fixed.key()),
            };
        }
        Command::Batch { commands, .. } => {
            for c in commands {
                apply_inner(session, cache, c)?;
            }
        }
    }
    Ok(())
}
/// Moves a link's quote to `start..end`, where its exact text is now (its OCR provenance follows
/// the page it is on now).
fn move_quote(
    session: &mut Session,
    cache: &Cache,
    doc: &str,
    link: &str,
    (start, end): (usize, usize),
) -> Result<(), SessionError> {
    let document = cache
        .document(doc)
        .ok_or_else(|| err(format!("no such document: {doc}")))?;
    let r = review_mut(session, cache, doc)?;
    let Some(l) = r.links.iter_mut().find(|l| l.id == link) else {
        return Err(err(format!("{doc} has no link {link}")));
    };
    let Some(q) = l.quote.as_mut() else {
        return Err(err(format!("link {link} of {doc} has no quote")));
    };
    if quote_at(&document.text, start, end).as_deref() != Some(q.text.as_str()) {
        return Err(err(format!(
            "the quote is not at offsets {start}..{end} of {doc}"
        )));
    }
    q.start = start;
    q.end = end;
    q.ocr = document
        .page_at(start)
        .and_then(|p| document.pages.get(p - 1))
        .and_then(|p| p.ocr.as_ref())
        .map(|o| super::QuoteOcr {
            engine: o.engine.clone(),
            languages: o.languages.clone(),
        });
    Ok(())
}

/// Links a document to a statement (the link named by its stable id; a link already there
/// changes nothing).
fn apply_link(
    session: &mut Session,
    cache: &Cache,
    doc: &str,
    link: &Link,
) -> Result<(), SessionError> {
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
    let id = link_id(doc, link);
    // A quote on an OCR'd page records who read the page, and how.
    let quote = link.quote.clone().map(|mut q| {
        if q.ocr.is_none()
            && let Some(ocr) = document
                .page_at(q.start)
                .and_then(|p| document.pages.get(p - 1))
                .and_then(|p| p.ocr.as_ref())
        {
            q.ocr = Some(super::QuoteOcr {
                engine: ocr.engine.clone(),
                languages: ocr.languages.clone(),
            });
        }
        q
    });
    let r = review_mut(session, cache, doc)?;
    if !r.links.iter().any(|l| l.id == id) {
        r.conflicts.remove(&link_field(&id));
        r.links.push(Link {
            id,
            by: String::new(),
            at: None,
            quote,
            ..link.clone()
        });
    }
    Ok(())
}

/// The command that links a document to a statement of the article (found by id, whatever its
/// case): the link carries the statement's text, so a later edit of the article is detected.
pub fn link_command(
    cache: &Cache,
    doc: &str,
    statement: &str,
    relation: super::Relation,
    quote: Option<super::Quote>,
    note: Option<String>,
) -> Result<Command, SessionError> {
    let doc = cache
        .document(doc)
        .ok_or_else(|| SessionError::Command(format!("no document {doc} in the cache")))?;
    let statement = cache
        .article
        .as_ref()
        .and_then(|(_, a)| {
            a.statements
                .iter()
                .find(|s| s.id.eq_ignore_ascii_case(statement))
        })
        .ok_or_else(|| SessionError::Command(format!("no statement {statement} in the article")))?;
    Ok(Command::Link {
        doc: doc.id.clone(),
        link: Link {
            statement: statement.id.clone(),
            statement_text: statement.text.clone(),
            relation,
            quote,
            note,
            ..Link::default()
        },
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
