//! Undo and redo over a session: [`Editor`].

use std::collections::BTreeMap;

use chrono::Utc;

use super::{Command, Conflict, DocReview, Session, SessionError, Stamp, apply_as};
use crate::model::Cache;

/// A session with undo and redo: every edit goes through [`Editor::apply`].
#[derive(Clone, Debug)]
pub struct Editor {
    session: Session,
    undo: Vec<Step>,
    redo: Vec<Step>,
    revision: u64,
    saved_revision: u64,
    id: u64,
    last_docs: Vec<String>,
    last_aliases: bool,
    analyst: String,
}

/// Gives every [`Editor`] its own [`Editor::id`].
static NEXT_EDITOR_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[derive(Clone, Debug)]
struct Step {
    cmd: Command,
    before: Vec<(String, Option<DocReview>)>,
    aliases_before: Option<Aliases>,
}

/// The entity merges and their conflicts, as a step saw them.
type Aliases = (BTreeMap<String, String>, BTreeMap<String, Conflict>);

/// How many steps undo remembers.
pub const UNDO_LIMIT: usize = 1000;

impl Editor {
    /// Starts editing a session (considered saved).
    pub fn new(session: Session) -> Self {
        let analyst = session.analyst.clone();
        Self {
            analyst,
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

    /// Who signs the edits: the name every change records (see [`Editor::set_analyst`]).
    pub fn analyst(&self) -> &str {
        &self.analyst
    }

    /// Signs the next edits with this name (the session's analyst until set).
    pub fn set_analyst(&mut self, name: &str) {
        name.trim().clone_into(&mut self.analyst);
    }

    /// The session being edited (changed only through [`Editor::apply`], undo and redo).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Records the article's hash in a session started before its cache was read (what
    /// [`Session::new`] records for a session started over a read cache); no edit, no undo step.
    pub fn adopt_article(&mut self, article_sha256: &str) {
        if self.session.article_sha256.is_none() {
            self.session.article_sha256 = Some(article_sha256.to_owned());
        }
    }

    /// Records that the session as of `revision` was written to a file whose folder gives
    /// `cache_ref` as the way to its cache.
    pub fn saved_as(&mut self, cache_ref: String, revision: u64) {
        self.session.cache = cache_ref;
        self.mark_saved(revision);
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

    /// Applies a command as one undo step, signed by [`Editor::analyst`], and clears the redo
    /// list; returns whether it changed the session. A command that changes nothing (a link already there, a tag already given,
    /// the status the document has) is not recorded: no undo step, the same revision, nothing
    /// new to save. A refused command changes nothing either and returns its error.
    pub fn apply(&mut self, cache: &Cache, cmd: Command) -> Result<bool, SessionError> {
        let step = self.snapshot(cmd);
        let modified = self.session.modified;
        let stamp = Stamp::now(&self.analyst);
        apply_as(&mut self.session, cache, &step.cmd, &stamp)?;
        if !self.changed_since(&step) {
            self.session.modified = modified;
            return Ok(false);
        }
        self.record_change(&step);
        self.undo.push(step);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
        Ok(true)
    }

    /// Whether the session differs from what `step` saw before its command: a review it
    /// touched, or the aliases.
    fn changed_since(&self, step: &Step) -> bool {
        let reviews = step
            .before
            .iter()
            .any(|(doc, before)| self.session.documents.get(doc) != before.as_ref());
        let aliases = step
            .aliases_before
            .as_ref()
            .is_some_and(|(a, c)| *a != self.session.aliases || *c != self.session.alias_conflicts);
        reviews || aliases
    }

    fn snapshot(&self, cmd: Command) -> Step {
        let mut docs = Vec::new();
        cmd.touched_docs(&mut docs);
        let before = docs
            .into_iter()
            .map(|d| (d.clone(), self.session.documents.get(&d).cloned()))
            .collect();
        let aliases_before = cmd.touches_aliases().then(|| {
            (
                self.session.aliases.clone(),
                self.session.alias_conflicts.clone(),
            )
        });
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
        if let Some((a, c)) = &step.aliases_before {
            self.session.aliases = a.clone();
            self.session.alias_conflicts = c.clone();
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
