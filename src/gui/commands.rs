//! Every action of the window in one enum: its label, tooltip and keyboard shortcut.
//!
//! Menus, buttons, the shortcuts window (F1) and the key handler all read from here, so a
//! label or a key is written once. A frame collects the commands it triggers and drains
//! them once, at its end (see `gui::app::command_handling`).

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::session::Status;

/// Something the analyst asked the window to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UiCommand {
    /// Ask for a cache folder and open it.
    OpenCache,
    /// Ask for a session file and open it (with the cache it refers to).
    OpenSession,
    /// Save the session (asks for a path the first time).
    Save,
    /// Save the session under a new path.
    SaveAs,
    /// Ask for a path and export the findings there.
    ExportFindings,
    /// Close the window (asks first when there are unsaved changes).
    Quit,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Switch between the light and the dark theme.
    ToggleTheme,
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Show every error and warning of this run (including unreadable files).
    ShowErrors,
    /// Show the evidence views: timeline, evidence matrix, entities, coverage.
    ShowViews,
    /// Select the next document of the filtered list.
    NextDocument,
    /// Select the previous document of the filtered list.
    PreviousDocument,
    /// Select the next unreviewed document of the filtered list (wrapping around).
    NextUnreviewed,
    /// Select the next statement of the article.
    NextStatement,
    /// Select the previous statement of the article.
    PreviousStatement,
    /// Cycle the relation of the next link: supports → contradicts → context.
    CycleRelation,
    /// Put the keyboard focus in the date field.
    FocusDate,
    /// Put the keyboard focus in the add-tag field.
    FocusTags,
    /// Go on to the next document after a status key, or stay.
    ToggleAdvanceAfterStatus,
    /// Show the preferences (the analyst's name, the review flow, the start).
    ShowPreferences,
    /// Open a session opened or saved lately.
    OpenRecent(std::path::PathBuf),
    /// Show a Markdown record as written (raw) or rendered.
    ToggleRawMarkdown,
    /// Show the conflicts a merge of sessions left, to resolve them.
    ShowConflicts,
    /// Set the status of the current document.
    SetStatus(Status),
    /// Accept the current document's suggestions.
    AcceptSuggestions,
    /// Link the current document to the selected statement.
    LinkToStatement,
    /// Put the keyboard focus in the notes box.
    FocusNotes,
    /// Put the keyboard focus in the filter field.
    FocusFilter,
    /// Cancel the cache scan that is running.
    CancelLoading,
    /// Open a document by id (and scroll to a span of its text, if given).
    OpenDocument {
        /// Document id.
        id: String,
        /// A span of its text (chars) to scroll to and highlight.
        span: Option<(usize, usize)>,
    },
    /// Use the viewer's text selection as the quote of the next link.
    UseSelectionAsQuote,
    /// Append the viewer's text selection to the current document's notes.
    AddSelectionToNotes,
}

/// How a key is written in the shortcuts window when it has no `KeyboardShortcut`.
pub struct KeyHelp {
    /// The keys, as shown.
    pub keys: &'static str,
    /// What they do.
    pub what: &'static str,
}

const fn key(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, k)
}

const fn ctrl(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, k)
}

const fn ctrl_shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), k)
}

impl UiCommand {
    /// The commands that have a keyboard shortcut, in the order the key handler checks them
    /// (the most specific first: Ctrl+Shift+Z before Ctrl+Z).
    pub fn with_shortcuts() -> Vec<Self> {
        vec![
            Self::Redo,
            Self::Undo,
            Self::Save,
            Self::ShowShortcuts,
            Self::ShowViews,
            Self::NextDocument,
            Self::PreviousDocument,
            Self::NextUnreviewed,
            Self::NextStatement,
            Self::PreviousStatement,
            Self::CycleRelation,
            Self::FocusDate,
            Self::FocusTags,
            Self::SetStatus(Status::Unreviewed),
            Self::SetStatus(Status::Relevant),
            Self::SetStatus(Status::Irrelevant),
            Self::SetStatus(Status::Key),
            Self::AcceptSuggestions,
            Self::LinkToStatement,
            Self::FocusNotes,
            Self::FocusFilter,
        ]
    }

    /// The label shown on menus and buttons.
    pub fn label(&self) -> String {
        match self {
            Self::OpenCache => "Open cache folder…".into(),
            Self::OpenSession => "Open session…".into(),
            Self::Save => "Save session".into(),
            Self::SaveAs => "Save session as…".into(),
            Self::ExportFindings => "Export findings…".into(),
            Self::Quit => "Quit".into(),
            Self::Undo => "Undo".into(),
            Self::Redo => "Redo".into(),
            Self::ToggleTheme => "Toggle light/dark theme".into(),
            Self::ShowShortcuts => "Keyboard shortcuts".into(),
            Self::ShowErrors => "Errors and warnings".into(),
            Self::ShowViews => "Evidence views".into(),
            Self::NextDocument => "Next document".into(),
            Self::PreviousDocument => "Previous document".into(),
            Self::NextUnreviewed => "Next unreviewed document".into(),
            Self::NextStatement => "Next statement".into(),
            Self::PreviousStatement => "Previous statement".into(),
            Self::CycleRelation => "Next relation".into(),
            Self::FocusDate => "Edit date".into(),
            Self::FocusTags => "Add a tag".into(),
            Self::ToggleAdvanceAfterStatus => "Next document after a status key".into(),
            Self::ShowPreferences => "Preferences…".into(),
            Self::OpenRecent(path) => path.display().to_string(),
            Self::ToggleRawMarkdown => "Show Markdown as written".into(),
            Self::ShowConflicts => "Conflicts".into(),
            Self::SetStatus(s) => status_label(*s).into(),
            Self::AcceptSuggestions => "Accept all".into(),
            Self::LinkToStatement => "Link current document".into(),
            Self::FocusNotes => "Edit notes".into(),
            Self::FocusFilter => "Filter".into(),
            Self::CancelLoading => "Cancel".into(),
            Self::OpenDocument { id, .. } => format!("Open {id}"),
            Self::UseSelectionAsQuote => "Use selection as quote".into(),
            Self::AddSelectionToNotes => "Add selection to notes".into(),
        }
    }

    /// What the action does, for tooltips and the shortcuts window.
    pub fn tooltip(&self) -> String {
        match self {
            Self::OpenCache => "Open another cache folder (the folder is only read, never written)".into(),
            Self::OpenSession => "Open a session file and the cache it refers to".into(),
            Self::Save => "Save the session file (the previous version is kept as .bak)".into(),
            Self::SaveAs => "Save the session under a new name (outside the cache folder)".into(),
            Self::ExportFindings => {
                "Write the findings: .json findings, .md memo, .csv table, .ftm.jsonl FollowTheMoney, .w3c.jsonld Web Annotations, .timeline.json TimelineJS (chosen by the file name)"
                    .into()
            }
            Self::Quit => "Close the window (asks first when there are unsaved changes)".into(),
            Self::Undo => "Undo the last edit of the session".into(),
            Self::Redo => "Redo the last undone edit".into(),
            Self::ToggleTheme => "Switch between the light and the dark theme".into(),
            Self::ShowShortcuts => "List every keyboard shortcut".into(),
            Self::ShowErrors => "Show every error and warning, including unreadable files".into(),
            Self::ShowViews => {
                "Timeline, evidence matrix, entities (with merging) and coverage of the statements".into()
            }
            Self::NextDocument => "Select the next document of the filtered list".into(),
            Self::PreviousDocument => "Select the previous document of the filtered list".into(),
            Self::NextUnreviewed => "Select the next unreviewed document of the filtered list".into(),
            Self::NextStatement => "Select the next statement of the article".into(),
            Self::PreviousStatement => "Select the previous statement of the article".into(),
            Self::CycleRelation => "Change the relation of the next link: supports, contradicts, context".into(),
            Self::FocusDate => "Put the cursor in the date field (Enter applies the date)".into(),
            Self::FocusTags => "Put the cursor in the add-tag field (Enter adds, Escape leaves)".into(),
            Self::ToggleAdvanceAfterStatus => {
                "After a status key (1-4), go on to the next document of the list (save & next)".into()
            }
            Self::ShowPreferences => "Your name, the review flow, what opens at start".into(),
            Self::OpenRecent(path) => format!("Open the session {}", path.display()),
            Self::ToggleRawMarkdown => "Show Markdown records as written instead of rendered".into(),
            Self::ShowConflicts => {
                "The fields a merge of two sessions left with two values: choose one".into()
            }
            Self::SetStatus(s) => format!("Mark the current document as {s}"),
            Self::AcceptSuggestions => {
                "Accept this document's suggestions: the first date (unless one is set), the stated sender (else the first one found in the letterhead or signature) and every equipment; recipients are offered apart, never as senders"
                    .into()
            }
            Self::LinkToStatement => {
                "Link the current document to the selected statement, with the chosen relation and the selected quote"
                    .into()
            }
            Self::FocusNotes => "Put the cursor in the notes box".into(),
            Self::FocusFilter => "Put the cursor in the filter field".into(),
            Self::CancelLoading => "Stop reading the cache folder".into(),
            Self::OpenDocument { id, .. } => format!("Open the document {id}"),
            Self::UseSelectionAsQuote => "Use the text selected in the viewer as the quote of the next link".into(),
            Self::AddSelectionToNotes => "Append the text selected in the viewer to the notes, with its offsets".into(),
        }
    }

    /// The keyboard shortcut, if any.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        Some(match self {
            Self::Save => ctrl(Key::S),
            Self::Undo => ctrl(Key::Z),
            Self::Redo => ctrl_shift(Key::Z),
            Self::ShowShortcuts => key(Key::F1),
            Self::NextDocument => key(Key::J),
            Self::PreviousDocument => key(Key::K),
            Self::NextUnreviewed => key(Key::U),
            Self::NextStatement => key(Key::CloseBracket),
            Self::PreviousStatement => key(Key::OpenBracket),
            Self::CycleRelation => key(Key::R),
            Self::FocusDate => key(Key::D),
            Self::FocusTags => key(Key::T),
            Self::SetStatus(Status::Unreviewed) => key(Key::Num1),
            Self::SetStatus(Status::Relevant) => key(Key::Num2),
            Self::SetStatus(Status::Irrelevant) => key(Key::Num3),
            Self::SetStatus(Status::Key) => key(Key::Num4),
            Self::AcceptSuggestions => key(Key::A),
            Self::LinkToStatement => key(Key::L),
            Self::FocusNotes => key(Key::N),
            Self::FocusFilter => key(Key::Slash),
            Self::ShowViews => key(Key::V),
            _ => return None,
        })
    }

    /// A second key for the same action (↓/↑ for next/previous).
    pub fn alternate_shortcut(&self) -> Option<KeyboardShortcut> {
        match self {
            Self::NextDocument => Some(key(Key::ArrowDown)),
            Self::PreviousDocument => Some(key(Key::ArrowUp)),
            Self::Redo => Some(ctrl(Key::Y)),
            _ => None,
        }
    }

    /// True when the shortcut is a plain key that must not fire while a text field has focus.
    pub fn is_plain_key(&self) -> bool {
        self.shortcut()
            .is_some_and(|s| s.modifiers.is_none() && s.logical_key != Key::F1)
    }

    /// The shortcut as text ("Ctrl+S"), for menus and tooltips.
    pub fn shortcut_text(&self, ctx: &egui::Context) -> String {
        let format = |s: &KeyboardShortcut| match s.logical_key {
            Key::Slash => "/".to_owned(),
            Key::ArrowDown => "↓".to_owned(),
            Key::ArrowUp => "↑".to_owned(),
            Key::OpenBracket => "[".to_owned(),
            Key::CloseBracket => "]".to_owned(),
            _ => ctx.format_shortcut(s),
        };
        let mut parts: Vec<String> = Vec::new();
        if let Some(s) = self.shortcut() {
            parts.push(format(&s));
        }
        if let Some(s) = self.alternate_shortcut() {
            parts.push(format(&s));
        }
        parts.join(" / ")
    }

    /// The tooltip with the shortcut appended.
    pub fn tooltip_with_shortcut(&self, ctx: &egui::Context) -> String {
        let keys = self.shortcut_text(ctx);
        if keys.is_empty() {
            self.tooltip()
        } else {
            format!("{} ({keys})", self.tooltip())
        }
    }
}

/// The label of a status with its key: "Relevant".
pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Unreviewed => "Unreviewed",
        Status::Relevant => "Relevant",
        Status::Irrelevant => "Irrelevant",
        Status::Key => "Key",
    }
}

/// Keys that are not commands of their own but are worth listing in the shortcuts window.
pub const OTHER_KEYS: &[KeyHelp] = &[
    KeyHelp {
        keys: "Enter",
        what: "In the filter: open the first document of the list. In the date field: apply the date. In an add field: add the value.",
    },
    KeyHelp {
        keys: "Tab",
        what: "In a path field: complete the common prefix of the matching names.",
    },
    KeyHelp {
        keys: "Escape",
        what: "Leave the text field (the plain-key shortcuts work again).",
    },
    KeyHelp {
        keys: "Ctrl+Plus / Ctrl+Minus / Ctrl+0",
        what: "Zoom every pane in / out / back to 100 %.",
    },
    KeyHelp {
        keys: "Double-click, Shift+arrows, Alt+Shift+←/→",
        what: "In the document text: select a word; move the end of the selection; move its start.",
    },
    KeyHelp {
        keys: "Alt+drag",
        what: "In the document text: select by characters (a drag snaps to whole words).",
    },
    KeyHelp {
        keys: "Click a column header",
        what: "Sort the document list by it; click again to reverse.",
    },
];
