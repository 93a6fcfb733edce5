//! The window's state that is not the review: the preferences kept between runs, the log, the
//! viewer's selection and the claim ledger as the panels show it.

use chrono::Local;
use serde::{Deserialize, Serialize};

use crate::session::{ClaimStatus, Link, Relation};

use super::super::filter::{Filter, SortKey};
use super::super::views::ViewsState;

/// The eframe storage key of [`SavedState`].
pub const STORAGE_KEY: &str = "doctriage-window";

/// Preferences kept between runs (eframe persistence): theme, filter, sort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedState {
    /// Dark theme.
    pub dark: bool,
    /// The list filter.
    pub filter: Filter,
    /// The list's sort column.
    pub sort: SortKey,
    /// Ascending sort.
    pub ascending: bool,
    /// The facet area is open.
    pub facets_open: bool,
    /// The relation last chosen for links.
    pub relation: Relation,
    /// The evidence views' settings.
    pub views: ViewsState,
    /// Markdown records shown as written instead of rendered.
    pub raw_markdown: bool,
    /// The zoom of every pane (Ctrl+Plus / Ctrl+Minus).
    pub zoom: f32,
}

impl Default for SavedState {
    fn default() -> Self {
        Self {
            dark: false,
            filter: Filter::default(),
            sort: SortKey::Path,
            ascending: true,
            facets_open: false,
            relation: Relation::Supports,
            views: ViewsState::default(),
            raw_markdown: false,
            zoom: 1.0,
        }
    }
}

/// How serious a logged message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Something done.
    Info,
    /// Something to check.
    Warning,
    /// Something that failed.
    Error,
}

/// One line of the window's log (shown in the status bar and the errors window).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Local time, `HH:MM:SS`.
    pub time: String,
    /// Info, warning or error.
    pub level: Level,
    /// The message.
    pub text: String,
}

/// The window's log: every info, warning and error of this run, oldest first.
#[derive(Default)]
pub struct Log {
    entries: Vec<LogEntry>,
}

impl Log {
    /// Adds a message.
    pub fn push(&mut self, level: Level, text: String) {
        self.entries.push(LogEntry {
            time: now_hms(),
            level,
            text,
        });
    }

    /// Every message, oldest first.
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }
}

/// The local time as `HH:MM:SS`.
pub fn now_hms() -> String {
    Local::now().format("%H:%M:%S").to_string()
}

/// The text selected in the viewer (chars).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSelection {
    /// Document id.
    pub doc: String,
    /// Start (inclusive).
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

/// One statement of the ledger, owned (recomputed when the session changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Statement id.
    pub id: String,
    /// Statement text.
    pub text: String,
    /// Supported, contested or unsupported.
    pub status: ClaimStatus,
    /// (document id, index of the link in the document's links, the link).
    pub evidence: Vec<(String, usize, Link)>,
}

/// The colour of a log level.
pub fn level_color(level: Level, dark: bool) -> egui::Color32 {
    use egui::Color32;
    match (level, dark) {
        (Level::Error, _) => Color32::from_rgb(0xe0, 0x4a, 0x4a),
        (Level::Warning, true) => Color32::from_rgb(0xe8, 0xb0, 0x40),
        (Level::Warning, false) => Color32::from_rgb(0xa8, 0x6a, 0x00),
        (Level::Info, true) => Color32::from_gray(190),
        (Level::Info, false) => Color32::from_gray(70),
    }
}
