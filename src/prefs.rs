//! The machine's preferences: the analyst's name, the sessions opened lately, how the review flows.
//!
//! One small JSON file in the user's configuration folder (`$DOCTRIAGE_CONFIG_DIR` if set, else
//! `<config dir>/doctriage`), read by the window and by the command line, so that a name set once
//! in the window signs the CLI's edits too. Never inside a cache. A missing or unreadable file is
//! the defaults: preferences are never a reason to refuse to start.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The name of the preferences file in the configuration folder.
pub const PREFS_FILE: &str = "preferences.json";

/// How many sessions File ▸ Open recent remembers.
pub const RECENT_MAX: usize = 10;

/// What the analyst set once on this machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// The analyst's name, stamped on what they change (empty: not set yet).
    pub analyst: String,
    /// Session files opened or saved lately, newest first.
    pub recent_sessions: Vec<PathBuf>,
    /// Reopen the last session when the window starts without one.
    pub reopen_last_session: bool,
    /// After a status key (1-4), go on to the next document ("save & next").
    pub advance_after_status: bool,
}

impl Preferences {
    /// The analyst's name, trimmed, if one is set.
    pub fn analyst(&self) -> Option<&str> {
        Some(self.analyst.trim()).filter(|n| !n.is_empty())
    }

    /// Puts `path` first in the recent sessions (once), keeping at most [`RECENT_MAX`].
    pub fn remember_session(&mut self, path: &Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_sessions.retain(|p| p != &path);
        self.recent_sessions.insert(0, path);
        self.recent_sessions.truncate(RECENT_MAX);
    }
}

/// The configuration folder: `$DOCTRIAGE_CONFIG_DIR` if set, else the platform's.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCTRIAGE_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "doctriage").map(|d| d.config_dir().to_path_buf())
}

/// The preferences file, if the machine has a configuration folder.
pub fn prefs_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join(PREFS_FILE))
}

/// Reads the preferences; defaults when there is no file or it cannot be read.
pub fn load() -> Preferences {
    prefs_path().map_or_else(Preferences::default, |p| load_from(&p))
}

/// Reads preferences from `path`; defaults when it is missing or not a preferences file.
pub fn load_from(path: &Path) -> Preferences {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Writes the preferences atomically.
pub fn save(prefs: &Preferences) -> std::io::Result<PathBuf> {
    let path = prefs_path().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "this machine has no configuration folder",
        )
    })?;
    save_to(prefs, &path)?;
    Ok(path)
}

/// Writes the preferences to `path` atomically, creating its folder.
pub fn save_to(prefs: &Preferences, path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut bytes = serde_json::to_vec_pretty(prefs).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    crate::fsutil::write_atomic(path, &bytes).map_err(|e| e.source)
}

/// The analyst's name this machine signs with, when nothing more specific is given:
/// `$DOCTRIAGE_ANALYST`, else the name set in the window's preferences.
pub fn machine_analyst() -> Option<String> {
    std::env::var("DOCTRIAGE_ANALYST")
        .ok()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| load().analyst().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_recent_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join(PREFS_FILE);
        let mut prefs = Preferences {
            analyst: "  Ana Petrova ".into(),
            ..Preferences::default()
        };
        for i in 0..12 {
            prefs.remember_session(&dir.path().join(format!("s{i}.doctriage.json")));
        }
        prefs.remember_session(&dir.path().join("s5.doctriage.json"));
        assert_eq!(prefs.analyst(), Some("Ana Petrova"));
        assert_eq!(prefs.recent_sessions.len(), RECENT_MAX);
        assert!(prefs.recent_sessions[0].ends_with("s5.doctriage.json"));
        assert_eq!(
            prefs
                .recent_sessions
                .iter()
                .filter(|p| p.ends_with("s5.doctriage.json"))
                .count(),
            1
        );
        save_to(&prefs, &path).expect("save");
        assert_eq!(load_from(&path), prefs);
    }

    #[test]
    fn unreadable_file_is_the_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(PREFS_FILE);
        std::fs::write(&path, b"{not json").expect("write");
        assert_eq!(load_from(&path), Preferences::default());
        assert_eq!(
            load_from(&dir.path().join("none.json")),
            Preferences::default()
        );
    }
}
