//! The application layer: one open review and the use cases both front ends call.
//!
//! A [`Workspace`] owns the cache, the session being edited (through its [`Editor`]), the
//! session file and its lock, the suggestions computed so far and the search index. The command
//! line and the window do what a user asks through it — open a cache, open or create a session
//! (one lock and load policy, [`session_file`]), apply a command, save, export, verify — so each
//! flow exists once. Nothing here names egui: the window runs the slow parts (reading the cache,
//! building the index, writing files) on its own threads and hands the results back in.
//!
//! Everything the window derives from the workspace is keyed by [`Workspace::revisions`]
//! ([`revisions`]): an edit, an undo, a session opened or recovered, documents read or
//! suggestions computed each change them, and nothing else needs to be invalidated by hand.

mod ocr;
mod output;
pub mod reading;
pub mod revisions;
mod search;
pub mod session_file;
pub mod team;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::extract::Extractor;
use crate::ingest::IngestError;
use crate::lock::{LockError, SessionLock};
use crate::model::{Cache, Document, ScanError, Suggestions};
use crate::search::SearchError;
use crate::session::{self, Command, Editor, Session, SessionError};

pub use output::{ExportRequest, ExportSummary, SaveSnapshot, SavedReceipt};
pub use reading::{Reading, read_cache};
pub use revisions::{Derived, Revisions, SessionStamp, next_revision};
pub use search::{SearchHandle, SearchWithoutScan, search_without_scan};
pub use session_file::{SessionFile, same_dir, same_file};
pub use team::{MergeInputs, merge_files, resolve_analyst, write_merged};

/// Why a use case could not be carried out. Each is reported once, by the front end.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// Loading, saving or editing the session failed.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The session is open in another doctriage.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The cache could not be read.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] crate::fsutil::WriteError),
    /// The search index could not be opened, built or asked.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A file name was wanted and a folder given.
    #[error("that is a folder; give a file name: {}", .0.display())]
    IsAFolder(PathBuf),
    /// The findings would replace the session file.
    #[error("refusing to replace the session with its findings: {}", .0.display())]
    IsTheSessionFile(PathBuf),
    /// `session new` over an existing file without `--force`.
    #[error("a session file is already there (use --force to replace it): {}", .0.display())]
    SessionExists(PathBuf),
    /// Save without a file: the session was never saved (give it one with save-as).
    #[error("the session has no file yet: save it as a file first")]
    NoSessionFile,
    /// A document id that the cache does not hold.
    #[error("no document {0} in this cache")]
    NoDocument(String),
    /// Two sessions that cannot be merged.
    #[error(transparent)]
    Merge(#[from] session::MergeError),
    /// OCR was asked for in a way that cannot work (languages not installed).
    #[error("{0}")]
    Ocr(String),
}

/// The analyst's name for a new session: the login name.
pub fn login_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}

/// A cache with no documents yet (while the window reads it).
fn empty_cache(root: &Path) -> Cache {
    Cache {
        root: root.to_path_buf(),
        gazetteer: crate::gazetteer::builtin(),
        ..Cache::default()
    }
}

/// One open review: a cache, the session over it, its file and lock, suggestions, search index.
pub struct Workspace {
    cache_dir: PathBuf,
    cache: Arc<Cache>,
    documents_rev: u64,
    editor: Editor,
    session_path: Option<PathBuf>,
    lock: Option<SessionLock>,
    extractor: Extractor,
    suggestions: HashMap<String, Suggestions>,
    suggestions_rev: u64,
    search: SearchHandle,
    warnings: Vec<String>,
    analyst: Option<String>,
}

impl Workspace {
    /// A workspace over `cache_dir` whose documents are not read yet, with a new unsaved
    /// session. The window reads the cache on a thread and hands it in
    /// ([`Workspace::add_documents`], [`Workspace::set_cache`]).
    pub fn unread(cache_dir: &Path) -> Self {
        let cache = empty_cache(cache_dir);
        let extractor = Extractor::new(&cache.gazetteer);
        let session = Session::new(
            cache_dir,
            None,
            &resolve_analyst(None, None),
            &Cache::default(),
        );
        let mut editor = Editor::new(session);
        editor.set_analyst(&resolve_analyst(None, None));
        Self {
            analyst: None,
            cache_dir: cache_dir.to_path_buf(),
            cache: Arc::new(cache),
            documents_rev: next_revision(),
            editor,
            session_path: None,
            lock: None,
            extractor,
            suggestions: HashMap::new(),
            suggestions_rev: next_revision(),
            search: SearchHandle::default(),
            warnings: Vec::new(),
        }
    }

    /// Reads a cache folder now (the command line), OCR included, with a new unsaved session
    /// over it.
    pub fn open_cache(dir: &Path) -> Result<Self, WorkspaceError> {
        Self::open_cache_reading(dir, &Reading::default())
    }

    /// [`Workspace::open_cache`] reading the cache as `reading` says (OCR or not, languages,
    /// progress); what the analyst should be told is in [`Workspace::take_warnings`].
    pub fn open_cache_reading(dir: &Path, reading: &Reading) -> Result<Self, WorkspaceError> {
        let mut ws = Self::unread(dir);
        let (cache, notes) = read_cache(dir, reading)?;
        ws.set_cache(cache);
        ws.warnings.extend(notes);
        Ok(ws)
    }

    /// Opens a session file and reads its cache now (the command line); what changed in the
    /// cache since the session was tagged is in [`Workspace::take_warnings`].
    pub fn open_session(path: &Path) -> Result<Self, WorkspaceError> {
        Self::open_session_with(path, false)
    }

    /// [`Workspace::open_session`], taking over a lock left by a doctriage on another machine
    /// when `take_over_lock`.
    pub fn open_session_with(path: &Path, take_over_lock: bool) -> Result<Self, WorkspaceError> {
        Self::open_session_reading(path, take_over_lock, &Reading::default())
    }

    /// [`Workspace::open_session_with`] reading the cache as `reading` says.
    pub fn open_session_reading(
        path: &Path,
        take_over_lock: bool,
        reading: &Reading,
    ) -> Result<Self, WorkspaceError> {
        if !path.exists() {
            // A session to edit from the command line must exist: the error names the file.
            Session::load(path)?;
        }
        let file = session_file::open_with(path, Path::new("."), take_over_lock)?;
        let root = file.cache_root(Path::new("."));
        let mut ws = Self::unread(&root);
        ws.adopt_session_file(file);
        // The cache's OCR languages are the session's, unless the command line names others.
        let reading = match reading.languages {
            crate::ocr::LanguageSetting::Auto => Reading {
                languages: ws.ocr_languages(),
                ..reading.clone()
            },
            _ => reading.clone(),
        };
        let (cache, notes) = read_cache(&root, &reading)?;
        ws.set_cache(cache);
        ws.warnings.extend(notes);
        // The verification names the quotes that moved too (said before they are moved).
        let messages = ws.verify();
        ws.warnings.extend(messages);
        let _ = ws.reanchor_quotes();
        Ok(ws)
    }

    /// Creates a session file over a cache folder (read now) and writes it.
    pub fn create_session(
        cache_dir: &Path,
        out: &Path,
        analyst: &str,
        force: bool,
    ) -> Result<Self, WorkspaceError> {
        if out.exists() && !force {
            return Err(WorkspaceError::SessionExists(out.to_path_buf()));
        }
        session::check_outside_cache(cache_dir, out)?;
        let (cache, notes) = read_cache(cache_dir, &Reading::default())?;
        let mut ws = Self::unread(cache_dir);
        let analyst = resolve_analyst(Some(analyst), None);
        ws.editor = Editor::new(Session::new(cache_dir, Some(out), &analyst, &cache));
        ws.set_cache(cache);
        ws.warnings.extend(notes);
        ws.save_as(out)?;
        Ok(ws)
    }

    // ----- what the front ends read -----

    /// The cache (documents read so far, while the window reads it).
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The cache, shared with the threads that need it.
    pub fn cache_arc(&self) -> &Arc<Cache> {
        &self.cache
    }

    /// The cache folder.
    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    /// The session being edited.
    pub fn session(&self) -> &Session {
        self.editor.session()
    }

    /// The session's editor (undo and redo labels, revision, dirty flag).
    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    /// The session file, if the session has one.
    pub fn session_path(&self) -> Option<&Path> {
        self.session_path.as_deref()
    }

    /// True when the session has edits not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.editor.is_dirty()
    }

    /// The revisions of the documents, the suggestions and the session.
    pub fn revisions(&self) -> Revisions {
        Revisions {
            documents: self.documents_rev,
            suggestions: self.suggestions_rev,
            session: self.session_stamp(),
        }
    }

    /// The state of the session (editor and revision).
    pub fn session_stamp(&self) -> SessionStamp {
        SessionStamp {
            editor: self.editor.id(),
            revision: self.editor.revision(),
        }
    }

    /// Warnings gathered since the last call (a lock that could not be written, a cache that
    /// changed since the session was tagged), for the front end to show once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// The document of an id.
    pub fn document(&self, id: &str) -> Result<&Document, WorkspaceError> {
        self.cache
            .document(id)
            .ok_or_else(|| WorkspaceError::NoDocument(id.to_owned()))
    }

    // ----- the cache -----

    /// Starts over on a cache folder not read yet: no documents, suggestions or index. The
    /// session stays (see [`Workspace::new_session`]).
    pub fn begin_reading(&mut self, dir: &Path) {
        self.cache_dir = dir.to_path_buf();
        self.cache = Arc::new(empty_cache(dir));
        self.extractor = Extractor::new(&self.cache.gazetteer);
        self.documents_rev = next_revision();
        self.clear_suggestions();
        self.search = SearchHandle::default();
    }

    /// Documents (and unreadable files) read so far, while the cache streams in.
    pub fn add_documents(&mut self, documents: Vec<Document>, errors: Vec<ScanError>) {
        let cache = Arc::make_mut(&mut self.cache);
        cache.documents.extend(documents);
        cache.errors.extend(errors);
        self.documents_rev = next_revision();
    }

    /// Takes the documents read so far (streamed in with [`Workspace::add_documents`]), to be
    /// given back in the whole cache ([`Workspace::set_cache`]).
    pub fn take_documents(&mut self) -> Vec<Document> {
        self.documents_rev = next_revision();
        std::mem::take(&mut Arc::make_mut(&mut self.cache).documents)
    }

    /// The whole cache, read. A session started before its article was known records the
    /// article's hash now (as a session created over the read cache does).
    pub fn set_cache(&mut self, cache: Cache) {
        self.cache = Arc::new(cache);
        self.extractor = Extractor::new(&self.cache.gazetteer);
        self.documents_rev = next_revision();
        self.clear_suggestions();
        self.search = SearchHandle::default();
        if let Some((_, a)) = &self.cache.article {
            self.editor.adopt_article(&a.sha256);
        }
    }

    // ----- the session -----

    /// Replaces the session with a new unsaved one over the cache folder.
    pub fn new_session(&mut self) {
        let session = Session::new(
            &self.cache_dir,
            None,
            &self.signing_name(None),
            &Cache::default(),
        );
        self.editor = Editor::new(session);
        self.session_path = None;
        self.lock = None;
        self.after_session_replaced();
    }

    /// Makes an opened session file the one edited: its session (or, for a file not written
    /// yet, a new one that will be written there) and its lock.
    pub fn adopt_session_file(&mut self, file: SessionFile) {
        self.warnings.extend(file.warnings);
        let session = file.session.unwrap_or_else(|| {
            Session::new(
                &self.cache_dir,
                Some(&file.path),
                &self.signing_name(None),
                &self.cache,
            )
        });
        self.editor = Editor::new(session);
        self.session_path = Some(file.path);
        self.lock = file.lock;
        self.after_session_replaced();
    }

    /// Shows a session that is only read (its review filters a search): no file, no lock.
    pub fn read_session(&mut self, session: Session) {
        self.editor = Editor::new(session);
        self.session_path = None;
        self.lock = None;
        self.after_session_replaced();
    }

    /// Edits a recovered autosave in place of the session; its edits are not in the session
    /// file yet, so the session is unsaved.
    pub fn recover(&mut self, session: Session) {
        self.editor = Editor::new(session);
        self.editor.mark_saved(u64::MAX);
        self.after_session_replaced();
    }

    fn after_session_replaced(&mut self) {
        let name = self.signing_name(Some(self.editor.session()));
        self.editor.set_analyst(&name);
        self.search.sync_review(&self.editor);
    }

    /// The name that signs edits: the one set with [`Workspace::set_analyst`], else
    /// [`resolve_analyst`] for the session.
    fn signing_name(&self, session: Option<&Session>) -> String {
        self.analyst
            .clone()
            .unwrap_or_else(|| resolve_analyst(None, session))
    }

    /// Signs every following edit with this name (the window's preference, a command's
    /// `--analyst`), whatever session is opened next; an empty name goes back to
    /// [`resolve_analyst`].
    pub fn set_analyst(&mut self, name: &str) {
        let name = name.trim();
        self.analyst = (!name.is_empty()).then(|| name.to_owned());
        let name = self.signing_name(Some(self.editor.session()));
        self.editor.set_analyst(&name);
    }

    /// The name that signs the next edit.
    pub fn analyst(&self) -> &str {
        self.editor.analyst()
    }

    /// Applies one edit as an undo step; true when it changed the session. A command that
    /// changes nothing (a duplicate link, a tag already there, the same status) is not recorded:
    /// no undo step, no new revision, nothing to save.
    pub fn apply(&mut self, cmd: Command) -> Result<bool, WorkspaceError> {
        let changed = self.editor.apply(&self.cache, cmd)?;
        if changed {
            self.search.sync_review(&self.editor);
        }
        Ok(changed)
    }

    /// Undoes the last edit; its label, or None when there is nothing to undo.
    pub fn undo(&mut self) -> Option<String> {
        let label = self.editor.undo();
        self.search.sync_review(&self.editor);
        label
    }

    /// Redoes the last undone edit; its label, or None.
    pub fn redo(&mut self) -> Option<String> {
        let label = self.editor.redo();
        self.search.sync_review(&self.editor);
        label
    }

    /// Compares the session with the cache: one line per change since it was tagged.
    pub fn verify(&self) -> Vec<String> {
        self.editor.session().verify(&self.cache).messages()
    }

    /// The lock of a session file about to be written (kept while it is this session's file);
    /// refused when another doctriage holds it.
    fn lock_for(&mut self, path: &Path) -> Result<(), WorkspaceError> {
        if self
            .lock
            .as_ref()
            .is_some_and(|l| l.session_path() == path || same_file(l.session_path(), path))
        {
            return Ok(());
        }
        match session_file::lock(&self.cache_dir, path)? {
            session_file::Locked::Yes(l) => self.lock = Some(l),
            session_file::Locked::NotNeeded => {}
            session_file::Locked::Unavailable(w) => self.warnings.push(w),
        }
        Ok(())
    }

    // ----- suggestions -----

    /// The suggestions of a document, computed now if needed.
    pub fn suggestions_for(&mut self, id: &str) -> Option<&Suggestions> {
        if !self.suggestions.contains_key(id) {
            let doc = self.cache.document(id)?;
            let s = self.extractor.suggest(doc);
            self.suggestions.insert(id.to_owned(), s);
            self.suggestions_rev = next_revision();
        }
        self.suggestions.get(id)
    }

    /// The suggestions computed so far.
    pub fn suggestions(&self) -> &HashMap<String, Suggestions> {
        &self.suggestions
    }

    /// Suggestions computed elsewhere (the window's worker thread).
    pub fn add_suggestions(&mut self, batch: Vec<(String, Suggestions)>) {
        if batch.is_empty() {
            return;
        }
        for (id, s) in batch {
            self.suggestions.entry(id).or_insert(s);
        }
        self.suggestions_rev = next_revision();
    }

    fn clear_suggestions(&mut self) {
        self.suggestions.clear();
        self.suggestions_rev = next_revision();
    }

    /// The command that accepts a document's suggestions (first date, senders, equipment).
    pub fn accept_suggestions_command(&mut self, id: &str) -> Result<Command, WorkspaceError> {
        let s = self.suggestions_for(id).cloned().unwrap_or_default();
        let doc = self.document(id)?;
        Ok(session::accept_suggestions(
            doc,
            &s,
            self.editor.session().review(id),
        ))
    }

    // ----- search -----

    /// The search index, once opened.
    pub fn search(&self) -> &SearchHandle {
        &self.search
    }

    /// Takes in an index opened on another thread and brings its copy of the review up to the
    /// session.
    pub fn set_search_index(&mut self, index: crate::search::SearchIndex) {
        self.search = SearchHandle::with_index(index);
        self.search.sync_review(&self.editor);
    }

    /// Opens (or builds) the search index now, in the index folder of the cache, with the
    /// session's review (the command line).
    pub fn open_search_index(&mut self) -> Result<crate::search::BuildStats, WorkspaceError> {
        let dir = crate::search::default_index_dir(&self.cache.root);
        let (index, stats) = crate::search::SearchIndex::open_or_build(
            &self.cache,
            Some(self.editor.session()),
            &dir,
        )?;
        self.set_search_index(index);
        Ok(stats)
    }

    /// Which documents of the cache (in its order) a query matches: `None` without an index.
    pub fn query_mask(
        &mut self,
        query: &str,
        exact: bool,
    ) -> Option<Result<Vec<bool>, SearchError>> {
        self.search.sync_review(&self.editor);
        self.search
            .mask(&self.cache, self.documents_rev, query, exact)
    }
}
