//! File ▸ Open cache folder…, Open session…, Save, Save as…, Export findings…, Save view as
//! PNG, and the autosave recovery: the window's side of the workspace's use cases (the path
//! dialog, the log, the autosave file).

use std::path::{Path, PathBuf};

use crate::export::Format;
use crate::session::Session;
use crate::workspace::{same_dir, session_file};

use super::super::autosave;
use super::super::loader;
use super::super::path_bar::{PathAction, PathBar};
use super::App;

impl App {
    /// Opens the path dialog for an action (as the File menu does).
    pub fn open_path_bar(&mut self, action: PathAction) {
        let cache_dir = self.ws.cache_dir().to_path_buf();
        let abs_cache = std::path::absolute(&cache_dir).unwrap_or(cache_dir);
        let beside_cache = abs_cache
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let session_path = self.ws.session_path().map(Path::to_path_buf);
        // Where the analyst's own files go: beside the session, else beside the last session,
        // else the documents folder — never the current folder, never inside the cache.
        let out_dir = session_path
            .as_deref()
            .or_else(|| self.prefs.recent_sessions.first().map(PathBuf::as_path))
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .or_else(documents_dir)
            .filter(|d| !d.starts_with(&abs_cache))
            .unwrap_or_else(|| beside_cache.clone());
        let cache_name = abs_cache
            .file_name()
            .map_or_else(|| "cache".to_owned(), |n| n.to_string_lossy().into_owned());
        let initial = match action {
            PathAction::OpenCache => format!("{}/", abs_cache.display()),
            PathAction::OpenSession => match &session_path {
                Some(p) => p.display().to_string(),
                None => format!("{}/", beside_cache.display()),
            },
            PathAction::SaveSession => match &session_path {
                Some(p) => p.display().to_string(),
                None => format!("{}/{cache_name}.doctriage.json", out_dir.display()),
            },
            PathAction::ExportFindings => {
                format!("{}/{cache_name}-findings.json", out_dir.display())
            }
            PathAction::SaveViewPng => format!(
                "{}/{cache_name}-{}",
                out_dir.display(),
                self.saved.views.kind.png_file_name()
            ),
        };
        self.path_bar = Some(PathBar::new(action, initial));
    }

    /// Carries out a path action at once (what the path dialog's button does). On success the
    /// dialog closes; on error the message is returned, shown in the dialog and logged.
    pub fn submit_path(&mut self, action: PathAction, path: &Path) -> Result<(), String> {
        self.flush_buffers();
        let result = match action {
            PathAction::OpenCache => self.open_cache(path),
            PathAction::OpenSession => self.open_session(path),
            PathAction::SaveSession => self.save_to(path),
            PathAction::ExportFindings => self.export_to(path),
            PathAction::SaveViewPng => self.save_view_png(path),
        };
        match &result {
            Ok(()) => {
                let quit = self.path_bar.as_ref().is_some_and(|b| b.then_quit);
                self.path_bar = None;
                if quit
                    && action == PathAction::SaveSession
                    && let Some(job) = self.jobs.saving.as_mut()
                {
                    // The window closes once the file is written (and stays open if it fails).
                    job.then_close = true;
                }
            }
            Err(e) => {
                self.error(e.clone());
                if let Some(bar) = self.path_bar.as_mut() {
                    bar.message = Some(e.clone());
                }
            }
        }
        result
    }

    pub(crate) fn autosave_file(
        &self,
        session_path: Option<&Path>,
        cache_dir: &Path,
    ) -> Option<PathBuf> {
        let dir = self.autosave_path.as_deref().and_then(Path::parent)?;
        Some(autosave::autosave_path_in(dir, session_path, cache_dir))
    }

    /// Points the autosave at a session file (or, without one, the cache folder) and offers
    /// an autosave of it that is newer than the file.
    fn retarget_autosave(&mut self, session_path: Option<&Path>, cache_dir: &Path) {
        self.autosave_path = self.autosave_file(session_path, cache_dir);
        self.recovery = self
            .autosave_path
            .as_deref()
            .and_then(|p| autosave::recovery_offer(p, session_path));
    }

    fn open_cache(&mut self, dir: &Path) -> Result<(), String> {
        if !dir.is_dir() {
            return Err(format!("Not a folder: {}", dir.display()));
        }
        self.stash_unsaved();
        self.start_loading(dir);
        self.ws.new_session();
        self.verify_after_load = false;
        self.statements = Default::default();
        self.retarget_autosave(None, dir);
        self.info(format!("Opening {}", dir.display()));
        Ok(())
    }

    fn open_session(&mut self, path: &Path) -> Result<(), String> {
        // A session that cannot be read, or is open elsewhere, is reported; nothing changes here.
        if !path.exists()
            && let Err(e) = Session::load(path)
        {
            return Err(e.to_string());
        }
        let file = session_file::open(path, self.ws.cache_dir()).map_err(|e| e.to_string())?;
        self.stash_unsaved();
        let root = file.cache_root(self.ws.cache_dir());
        let same_cache = self.loaded && same_dir(&root, self.ws.cache_dir());
        if !same_cache {
            self.start_loading(&root);
        }
        self.ws.adopt_session_file(file);
        self.statements = Default::default();
        self.conflicts_offered = false;
        self.retarget_autosave(Some(path), &root);
        if same_cache {
            self.show_verification();
        } else {
            self.verify_after_load = true;
        }
        self.info(format!("Opened session {}", path.display()));
        self.remember_session(path);
        Ok(())
    }

    /// Before the session is replaced: unsaved edits go to the autosave (offered on reopening).
    fn stash_unsaved(&mut self) {
        self.wait_for_save();
        if self.ws.is_dirty() && !self.discarded {
            match self.autosave_now() {
                Ok(p) => self.info(format!(
                    "Unsaved edits of the previous session were autosaved to {}",
                    p.display()
                )),
                Err(e) => self.error(format!("Unsaved edits could not be autosaved: {e}")),
            }
        }
    }

    pub(crate) fn save_to(&mut self, path: &Path) -> Result<(), String> {
        // One write at a time: a second Save waits for the first.
        self.wait_for_save();
        // The snapshot is taken here; serialising and writing it happen on `doctriage-save`.
        let snapshot = self.ws.prepare_save(path).map_err(|e| e.to_string())?;
        self.start_save(snapshot)?;
        self.remember_session(path);
        Ok(())
    }

    fn export_to(&mut self, path: &Path) -> Result<(), String> {
        // The format chosen in the dialog, else the one the extension gives.
        let format = self
            .path_bar
            .as_ref()
            .filter(|b| b.action == PathAction::ExportFindings)
            .and_then(|b| b.format)
            .unwrap_or_else(|| Format::for_path(path));
        let request = self
            .ws
            .prepare_export(path, format)
            .map_err(|e| e.to_string())?;
        // One export at a time; the snapshot is cheap (the reviews are shared, not copied).
        self.wait_for_export();
        let job = loader::start_export(request, self.jobs.waker.clone())
            .map_err(|e| format!("Cannot start exporting {}: {e}", path.display()))?;
        self.jobs.exporting = Some(job);
        Ok(())
    }

    fn save_view_png(&mut self, path: &Path) -> Result<(), String> {
        crate::session::check_outside_cache(self.ws.cache_dir(), path)
            .map_err(|e| e.to_string())?;
        let ctx = self.egui_ctx.clone().ok_or("The window is not shown yet")?;
        if !self.show_views || super::super::views::last_view_rect(&self.saved.views).is_none() {
            return Err("Open the evidence views first".into());
        }
        self.jobs.png = Some(super::super::views::capture::ViewCapture::start(
            &ctx,
            path.to_path_buf(),
        ));
        Ok(())
    }

    /// Save: to the session's file, or (without one) through the path dialog.
    pub(crate) fn save(&mut self) {
        self.flush_buffers();
        match self.ws.session_path().map(Path::to_path_buf) {
            Some(p) => {
                if let Err(e) = self.save_to(&p) {
                    self.error(e);
                }
            }
            None => self.open_path_bar(PathAction::SaveSession),
        }
    }

    /// Recovers the autosave offered at start (as the recovery dialog's "Recover" does).
    pub fn recover_autosave(&mut self) -> Result<(), String> {
        let offer = self.recovery.take().ok_or("no autosave to recover")?;
        match Session::load(&offer.path) {
            Ok(s) => {
                self.ws.recover(s);
                self.info(format!("Recovered the autosave of {}", offer.when));
                Ok(())
            }
            Err(e) => {
                let msg = format!("Cannot recover the autosave: {e}");
                self.error(msg.clone());
                Err(msg)
            }
        }
    }

    /// Discards the autosave offered at start (the file is deleted).
    pub fn discard_autosave(&mut self) {
        if let Some(offer) = self.recovery.take() {
            let _ = std::fs::remove_file(&offer.path);
        }
    }

    /// Compares the session with the cache and shows what differs (log and banner).
    pub(crate) fn show_verification(&mut self) {
        let messages = self.ws.verify();
        for m in &messages {
            self.warn(m.clone());
        }
        self.notices = messages;
    }
}

/// The user's documents folder (else the home folder), if the platform names one.
fn documents_dir() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(
        dirs.document_dir()
            .map_or_else(|| dirs.home_dir().to_path_buf(), Path::to_path_buf),
    )
}
