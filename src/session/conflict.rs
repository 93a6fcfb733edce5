//! Conflicts a merge of sessions leaves for the analyst: the same field changed to two different
//! values on two sides. The field keeps its base value (the ledger and the exports use it, and
//! say so in their warnings) until a [`super::Command::ResolveConflict`] or an edit of the field
//! clears the conflict.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{DocReview, Link, Session, SessionError, set_field};

/// A field changed differently on two sides of a merge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The value both sides started from (the value the field keeps meanwhile).
    pub base: Value,
    /// Our side's value and who set it.
    pub ours: Side,
    /// Their side's value and who set it.
    pub theirs: Side,
}

/// One side of a [`Conflict`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    /// The value on this side.
    pub value: Value,
    /// The analyst who set it (the side's session analyst when no change was recorded).
    #[serde(default)]
    pub by: String,
    /// When it was set, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
}

/// How a conflict is resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// Our side's value.
    Ours,
    /// Their side's value.
    Theirs,
    /// The base value (what both started from).
    Base,
    /// Another value, as the session file writes the field.
    Value(Value),
}

impl Choice {
    /// The value chosen in a conflict.
    pub fn pick<'a>(&'a self, c: &'a Conflict) -> &'a Value {
        match self {
            Self::Ours => &c.ours.value,
            Self::Theirs => &c.theirs.value,
            Self::Base => &c.base,
            Self::Value(v) => v,
        }
    }
}

impl std::str::FromStr for Choice {
    type Err = String;
    /// `ours`, `theirs`, `base`, or a value: JSON if it parses as JSON, else the text itself.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim() {
            "ours" => Self::Ours,
            "theirs" => Self::Theirs,
            "base" => Self::Base,
            other => Self::Value(
                serde_json::from_str(other).unwrap_or_else(|_| Value::from(other.to_owned())),
            ),
        })
    }
}

/// One conflict of a session, as listed for the analyst.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConflictEntry<'a> {
    /// The document (`None` for the entity merges).
    pub doc: Option<&'a str>,
    /// The field (`status`, `date`, `notes`, `link:ID`; for entity merges, the first name).
    pub field: &'a str,
    /// Both values and the base.
    pub conflict: &'a Conflict,
}

/// The field name of a link's conflict.
pub fn link_field(id: &str) -> String {
    format!("link:{id}")
}

impl Session {
    /// Every conflict left by a merge: documents by id, then the entity merges.
    pub fn conflicts(&self) -> Vec<ConflictEntry<'_>> {
        let mut out: Vec<ConflictEntry<'_>> = self
            .documents
            .iter()
            .flat_map(|(doc, r)| {
                r.conflicts
                    .iter()
                    .map(move |(field, conflict)| ConflictEntry {
                        doc: Some(doc.as_str()),
                        field,
                        conflict,
                    })
            })
            .collect();
        out.extend(
            self.alias_conflicts
                .iter()
                .map(|(field, conflict)| ConflictEntry {
                    doc: None,
                    field,
                    conflict,
                }),
        );
        out
    }

    /// The entity-merge conflicts (by the first name involved).
    pub fn alias_conflicts(&self) -> &BTreeMap<String, Conflict> {
        &self.alias_conflicts
    }
}

/// Resolves a conflict of a document's field: the field takes the chosen value.
pub(super) fn resolve_in_review(
    review: &mut DocReview,
    doc: &str,
    field: &str,
    choice: &Choice,
) -> Result<(), SessionError> {
    let conflict = review.conflicts.remove(field).ok_or_else(|| {
        SessionError::Command(format!("no conflict on the field {field} of {doc}"))
    })?;
    let value = choice.pick(&conflict).clone();
    if let Some(id) = field.strip_prefix("link:") {
        let pos = review.links.iter().position(|l| l.id == id);
        if value.is_null() {
            if let Some(i) = pos {
                review.links.remove(i);
            }
            return Ok(());
        }
        let mut link: Link = serde_json::from_value(value).map_err(|e| {
            SessionError::Command(format!("not a link for the conflict {field} of {doc}: {e}"))
        })?;
        id.clone_into(&mut link.id);
        match pos {
            Some(i) => review.links[i] = link,
            None => review.links.push(link),
        }
        return Ok(());
    }
    set_field(review, field, &value)
}

/// Resolves a conflict of the entity merges: the names involved take the chosen merges.
pub(super) fn resolve_aliases(
    session: &mut Session,
    key: &str,
    choice: &Choice,
) -> Result<(), SessionError> {
    let conflict = session.alias_conflicts.remove(key).ok_or_else(|| {
        SessionError::Command(format!("no conflict on the entity merges of {key}"))
    })?;
    let chosen: BTreeMap<String, Option<String>> =
        serde_json::from_value(choice.pick(&conflict).clone()).map_err(|e| {
            SessionError::Command(format!("not a set of entity merges for {key}: {e}"))
        })?;
    for side in [&conflict.base, &conflict.ours.value, &conflict.theirs.value] {
        if let Some(names) = side.as_object() {
            for name in names.keys() {
                session.aliases.remove(name);
            }
        }
    }
    for (from, into) in chosen {
        if let Some(into) = into {
            session.aliases.insert(from, into);
        }
    }
    if has_cycle(&session.aliases) {
        return Err(SessionError::Command(format!(
            "those entity merges of {key} would go round in a circle"
        )));
    }
    Ok(())
}

/// True when following the merges from some name comes back to it.
pub(super) fn has_cycle(aliases: &BTreeMap<String, String>) -> bool {
    aliases
        .keys()
        .any(|start| cycle_from(aliases, start).is_some())
}

/// The names of the circle reached from `start`, if following its merges goes round one.
pub(super) fn cycle_from(aliases: &BTreeMap<String, String>, start: &str) -> Option<Vec<String>> {
    let mut seen: Vec<&str> = vec![start];
    let mut current = start;
    while let Some(next) = aliases.get(current).map(String::as_str) {
        if let Some(i) = seen.iter().position(|s| *s == next) {
            let mut names: Vec<String> = seen[i..].iter().map(|s| (*s).to_owned()).collect();
            names.sort();
            return Some(names);
        }
        seen.push(next);
        current = next;
    }
    None
}
