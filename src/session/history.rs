//! Who changed what, when: the [`Stamp`] every edit carries, the bounded history of each review
//! field ([`Change`]), and the stable identity of a link ([`link_id`]).
//!
//! The stamp is put on in one place, [`super::apply_as`]: it compares each review the command
//! touched before and after, and records a change for every field whose value differs. Undo
//! restores the reviews as they were, history and stamps included.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{DocReview, Link, SessionError, Status};
use crate::model::PartialDate;

/// How many changes of one field a review remembers (the oldest are dropped).
pub const HISTORY_LIMIT: usize = 20;

/// The review fields that carry a value and a history, by their name in the session file.
pub const REVIEW_FIELDS: [&str; 7] = [
    "status",
    "date",
    "senders",
    "recipients",
    "equipment",
    "tags",
    "notes",
];

/// Who makes an edit, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The analyst's name.
    pub by: String,
    /// The time of the edit (UTC).
    pub at: DateTime<Utc>,
}

impl Stamp {
    /// An edit by `by`, now (to the second, as the file writes it).
    pub fn now(by: &str) -> Self {
        let now = Utc::now();
        let at = DateTime::parse_from_rfc3339(&super::rfc3339(now)).map_or(now, |t| t.to_utc());
        Self {
            by: by.to_owned(),
            at,
        }
    }
}

/// One change of a review field: who changed it from what to what, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The analyst.
    pub by: String,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// The value before (as in the session file).
    pub from: Value,
    /// The value after.
    pub to: Value,
}

/// The stable identity of a link: a SHA-256 prefix of its document, statement, relation and
/// quote offsets. Merging and unlinking name a link by it, never by its place in a list.
pub fn link_id(doc: &str, link: &Link) -> String {
    let (start, end) = link.quote.as_ref().map_or((None, None), |q| {
        (Some(q.start.to_string()), Some(q.end.to_string()))
    });
    let key = format!(
        "{doc}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        link.statement,
        link.relation,
        start.unwrap_or_default(),
        end.unwrap_or_default()
    );
    crate::sha256_hex(key.as_bytes())[..16].to_owned()
}

/// The value of a review field as the session file writes it (`null` for no date).
pub fn field_value(review: &DocReview, field: &str) -> Value {
    let list = |l: &[String]| Value::from(l.to_vec());
    match field {
        "status" => Value::from(review.status.as_str()),
        "date" => review
            .date
            .map_or(Value::Null, |d| Value::from(d.to_string())),
        "senders" => list(&review.senders),
        "recipients" => list(&review.recipients),
        "equipment" => list(&review.equipment),
        "tags" => list(&review.tags),
        "notes" => Value::from(review.notes.clone()),
        "links" => Value::from(
            review
                .links
                .iter()
                .map(|l| l.id.clone())
                .collect::<Vec<_>>(),
        ),
        _ => Value::Null,
    }
}

/// Sets a review field from a value as the session file writes it; refused when the value does
/// not fit the field.
pub fn set_field(review: &mut DocReview, field: &str, value: &Value) -> Result<(), SessionError> {
    let bad = || SessionError::Command(format!("{value} is not a value of the field {field}"));
    let list = |v: &Value| -> Result<Vec<String>, SessionError> {
        serde_json::from_value::<Vec<String>>(v.clone()).map_err(|_| bad())
    };
    match field {
        "status" => {
            review.status = value
                .as_str()
                .and_then(|s| s.parse::<Status>().ok())
                .ok_or_else(bad)?;
        }
        "date" => {
            review.date = match value {
                Value::Null => None,
                Value::String(s) if s.is_empty() => None,
                Value::String(s) => Some(s.parse::<PartialDate>().map_err(|_| bad())?),
                _ => return Err(bad()),
            };
        }
        "senders" => review.senders = list(value)?,
        "recipients" => review.recipients = list(value)?,
        "equipment" => review.equipment = list(value)?,
        "tags" => review.tags = list(value)?,
        "notes" => review.notes = value.as_str().ok_or_else(bad)?.to_owned(),
        _ => {
            return Err(SessionError::Command(format!(
                "{field} is not a field of a review"
            )));
        }
    }
    Ok(())
}

/// Records in `after` what changed since `before` (a review that did not exist is an empty
/// one): a [`Change`] per field whose value differs, and who made each new link and when.
pub(super) fn record(before: Option<&DocReview>, after: &mut DocReview, stamp: &Stamp) {
    let empty = DocReview::default();
    let before = before.unwrap_or(&empty);
    for field in REVIEW_FIELDS.into_iter().chain(["links"]) {
        let (from, to) = (field_value(before, field), field_value(after, field));
        if from != to {
            push_change(
                after,
                field,
                Change {
                    by: stamp.by.clone(),
                    at: stamp.at,
                    from,
                    to,
                },
            );
        }
    }
    for link in &mut after.links {
        if !before.links.iter().any(|l| l.id == link.id) {
            link.by.clone_from(&stamp.by);
            link.at = Some(stamp.at);
        }
    }
}

/// Appends a change to a field's history, keeping the last [`HISTORY_LIMIT`].
pub(super) fn push_change(review: &mut DocReview, field: &str, change: Change) {
    let history = review.history.entry(field.to_owned()).or_default();
    history.push(change);
    if history.len() > HISTORY_LIMIT {
        let extra = history.len() - HISTORY_LIMIT;
        history.drain(..extra);
    }
}

/// The last change of a field: who set its value, and when (`None` for a field never changed
/// since changes were recorded).
pub fn last_change<'a>(review: &'a DocReview, field: &str) -> Option<&'a Change> {
    review.history.get(field).and_then(|h| h.last())
}
