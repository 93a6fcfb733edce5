//! The path dialog: every file action (open cache, open session, save as, export) asks for its
//! path in a text field with completion, so it works where no file dialog can open (Linux
//! without an XDG desktop portal, where `rfd` answers exactly like Cancel) and in tests.
//! "Browse…" still offers the system dialog.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Color32, Key, RichText};

/// What the path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathAction {
    /// A cache folder to open.
    OpenCache,
    /// A session file to open.
    OpenSession,
    /// Where to save the session.
    SaveSession,
    /// Where to write the findings.
    ExportFindings,
    /// Where to save a picture of an evidence view.
    SaveViewPng,
}

impl PathAction {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::OpenCache => "Open cache folder",
            Self::OpenSession => "Open session",
            Self::SaveSession => "Save session as",
            Self::ExportFindings => "Export findings",
            Self::SaveViewPng => "Save view as PNG",
        }
    }

    /// The label of the button that carries out the action.
    pub fn button(self) -> &'static str {
        match self {
            Self::OpenCache | Self::OpenSession => "Open",
            Self::SaveSession => "Save",
            Self::ExportFindings => "Export",
            Self::SaveViewPng => "Save",
        }
    }

    /// One line that says what to type.
    pub fn help(self) -> &'static str {
        match self {
            Self::OpenCache => {
                "The folder of leaked records to review (it is only read, never written)."
            }
            Self::OpenSession => {
                "A doctriage session file (.json); its cache folder is opened with it."
            }
            Self::SaveSession => "Where to save the session (.json), outside the cache folder.",
            Self::ExportFindings => {
                "Where to write the findings, outside the cache folder: .json findings, .md memo, .csv table, .ftm.jsonl FollowTheMoney, .w3c.jsonld Web Annotations, .timeline.json TimelineJS."
            }
            Self::SaveViewPng => {
                "Where to save the picture of the view (.png), outside the cache folder."
            }
        }
    }

    fn dirs_only(self) -> bool {
        self == Self::OpenCache
    }
}

/// The message shown when the system has no file dialog.
pub const NO_DIALOG_MESSAGE: &str =
    "No file dialog available on this system (no desktop portal); type or paste the path instead";

/// How many completions the dropdown shows.
pub const MAX_COMPLETIONS: usize = 20;

/// The state of an open path dialog.
#[derive(Clone, Debug)]
pub struct PathBar {
    /// What the path is for.
    pub action: PathAction,
    /// The path typed so far.
    pub text: String,
    /// A message under the field (an error of the last attempt, or the no-dialog notice).
    pub message: Option<String>,
    /// Close the window after a successful save.
    pub then_quit: bool,
    /// Export: the format chosen in the dialog (`None`: the one the file name's extension gives).
    pub format: Option<crate::export::Format>,
    completion_for: Option<String>,
    completions: Vec<String>,
    focus_pending: bool,
}

/// What the dialog asks the window to do this frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathBarOutcome {
    /// Nothing.
    Nothing,
    /// Carry out the action with this path.
    Submit(PathBuf),
    /// Close the dialog.
    Cancel,
}

impl PathBar {
    /// A dialog for `action`, pre-filled with `initial`.
    pub fn new(action: PathAction, initial: String) -> Self {
        Self {
            action,
            text: initial,
            message: None,
            then_quit: false,
            format: None,
            completion_for: None,
            completions: Vec::new(),
            focus_pending: true,
        }
    }

    /// Export: the format the findings will be written in — the one chosen, else the one the
    /// file name's extension gives (JSON for an extension no format has).
    pub fn export_format(&self) -> crate::export::Format {
        self.format
            .unwrap_or_else(|| crate::export::Format::for_path(Path::new(self.text.trim())))
    }

    /// The completions for the current text (recomputed only when the text changed).
    pub fn completions(&mut self) -> &[String] {
        if self.completion_for.as_deref() != Some(self.text.as_str()) {
            self.completions = completions(&self.text, self.action.dirs_only());
            self.completion_for = Some(self.text.clone());
        }
        &self.completions
    }

    /// Tab: extends the text to the longest common prefix of the matching names.
    pub fn complete(&mut self) {
        let all = completions(&self.text, self.action.dirs_only());
        if let Some(prefix) = common_prefix(&all)
            && prefix.len() > self.text.len()
        {
            self.text = prefix;
        }
    }
}

/// The id of the path field.
pub fn path_field_id() -> egui::Id {
    egui::Id::unique("doctriage-path-field")
}

fn expand_home(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf())
    {
        return format!("{}/{rest}", home.display());
    }
    text.to_owned()
}

/// The entries of the typed folder that start with the typed name, as full paths (folders end
/// with `/`), sorted; hidden names only when the typed name starts with a dot.
pub fn completions(text: &str, dirs_only: bool) -> Vec<String> {
    let (dir_part, prefix) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        PathBuf::from(expand_home(dir_part))
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let lower = prefix.to_lowercase();
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            if name.starts_with('.') && !prefix.starts_with('.') {
                return None;
            }
            if !name.starts_with(prefix) && !name.to_lowercase().starts_with(&lower) {
                return None;
            }
            let is_dir = std::fs::metadata(e.path())
                .map(|m| m.is_dir())
                .unwrap_or(false);
            if dirs_only && !is_dir {
                return None;
            }
            Some(format!("{dir_part}{name}{}", if is_dir { "/" } else { "" }))
        })
        .collect();
    out.sort();
    out
}

/// The longest common prefix of some strings (on char boundaries).
pub fn common_prefix(items: &[String]) -> Option<String> {
    let first = items.first()?;
    let mut end = first.len();
    for s in &items[1..] {
        end = first
            .char_indices()
            .zip(s.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    Some(first[..end].to_owned())
}

/// Opens the system file dialog for `action`. `Err(NO_DIALOG_MESSAGE)` when it answered at once
/// with nothing (no dialog on this system), `Ok(None)` when the analyst cancelled.
pub fn browse(action: PathAction, start: &Path) -> Result<Option<PathBuf>, String> {
    let started = Instant::now();
    let mut dialog = rfd::FileDialog::new();
    if start.is_dir() {
        dialog = dialog.set_directory(start);
    }
    let picked = match action {
        PathAction::OpenCache => dialog.set_title("Open cache folder").pick_folder(),
        PathAction::OpenSession => dialog
            .set_title("Open session")
            .add_filter("doctriage session", &["json"])
            .pick_file(),
        PathAction::SaveSession => dialog
            .set_title("Save session as")
            .set_file_name("session.json")
            .save_file(),
        PathAction::ExportFindings => dialog
            .set_title("Export findings")
            .set_file_name("findings.json")
            .save_file(),
        PathAction::SaveViewPng => dialog
            .set_title("Save view as PNG")
            .add_filter("PNG image", &["png"])
            .set_file_name("view.png")
            .save_file(),
    };
    match picked {
        Some(p) => Ok(Some(p)),
        None if started.elapsed() < Duration::from_millis(300) => Err(NO_DIALOG_MESSAGE.to_owned()),
        None => Ok(None),
    }
}

/// Shows the dialog; returns what the analyst asked for.
pub fn path_bar_ui(ctx: &egui::Context, bar: &mut PathBar, start_dir: &Path) -> PathBarOutcome {
    let mut outcome = PathBarOutcome::Nothing;
    let mut open = true;
    egui::Window::new(bar.action.title())
        .id(egui::Id::unique("doctriage-path-bar"))
        // In front of every other window (the evidence views ask for a PNG's path from theirs).
        .order(egui::Order::Foreground)
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(680.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 90.0])
        .show(ctx, |ui| {
            ui.label(bar.action.help());
            ui.add_space(4.0);
            tab_completion(ui, bar);
            if let Some(submitted) = path_field_ui(ui, bar) {
                outcome = submitted;
            }
            completions_ui(ui, bar);
            if bar.action == PathAction::ExportFindings {
                format_ui(ui, bar);
            }
            if let Some(msg) = &bar.message {
                ui.add_space(4.0);
                ui.label(RichText::new(msg).color(Color32::from_rgb(0xd0, 0x40, 0x40)));
            }
            ui.add_space(6.0);
            if let Some(chosen) = ui.horizontal(|ui| buttons_ui(ui, bar, start_dir)).inner {
                outcome = chosen;
            }
        });
    if !open || (ctx.input(|i| i.key_pressed(Key::Escape)) && outcome == PathBarOutcome::Nothing) {
        outcome = PathBarOutcome::Cancel;
    }
    outcome
}

/// Export: the format to write, one button each; the one the extension gives is chosen until
/// the analyst picks another.
fn format_ui(ui: &mut egui::Ui, bar: &mut PathBar) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Format:");
        let current = bar.export_format();
        ui.label_inputs_by(label.id, |ui| {
            for f in crate::export::Format::ALL {
                let name = format!("Format {}", f.as_str());
                if ui
                    .add(egui::Button::new(f.as_str()).selected(f == current))
                    .on_hover_text(format!("Write the findings as {}", f.as_str()))
                    .accessible_name(name)
                    .clicked()
                {
                    bar.format = Some(f);
                }
            }
        });
    });
}

/// Tab in the path field completes the text and puts the cursor at its end (the field keeps the
/// focus: `lock_focus`).
fn tab_completion(ui: &mut egui::Ui, bar: &mut PathBar) {
    let field_focused = ui.memory(|m| m.has_focus(path_field_id()));
    if !(field_focused && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Tab))) {
        return;
    }
    bar.complete();
    if let Some(mut state) = egui::text_edit::TextEditState::load(ui.ctx(), path_field_id()) {
        let end = egui::text::CCursor::new(bar.text.chars().count());
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::one(end)));
        state.store(ui.ctx(), path_field_id());
    }
}

/// The path field; Enter in it submits a non-empty path.
fn path_field_ui(ui: &mut egui::Ui, bar: &mut PathBar) -> Option<PathBarOutcome> {
    let resp = ui
        .horizontal(|ui| {
            let label = ui.label("Path:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut bar.text)
                    .id(path_field_id())
                    .lock_focus(true)
                    .hint_text("/path/to/…")
                    .desired_width(560.0),
            );
            r.labelled_by(label.id)
        })
        .inner;
    if bar.focus_pending {
        resp.request_focus();
        bar.focus_pending = false;
    }
    (resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && !bar.text.trim().is_empty())
        .then(|| PathBarOutcome::Submit(PathBuf::from(expand_home(bar.text.trim()))))
}

/// The name a completion shows: its last component (a folder with its `/`).
fn completion_name(item: &str) -> String {
    let name = item.rsplit_once('/').map_or(item, |(_, n)| n);
    if name.is_empty() {
        item.trim_end_matches('/')
            .rsplit('/')
            .next()
            .map(|n| format!("{n}/"))
            .unwrap_or_default()
    } else {
        name.to_owned()
    }
}

/// The completions under the field (none when the text is the only one); a click takes one.
fn completions_ui(ui: &mut egui::Ui, bar: &mut PathBar) {
    let items: Vec<String> = bar
        .completions()
        .iter()
        .take(MAX_COMPLETIONS + 1)
        .cloned()
        .collect();
    let exact = items.len() == 1 && items[0] == bar.text;
    if items.is_empty() || exact {
        return;
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        egui::ScrollArea::vertical()
            .id_salt("path-completions")
            .max_height(220.0)
            .show(ui, |ui| {
                for item in items.iter().take(MAX_COMPLETIONS) {
                    if ui
                        .add(egui::Button::new(completion_name(item)).frame(false))
                        .on_hover_text(item.as_str())
                        .clicked()
                    {
                        bar.text = item.clone();
                        bar.focus_pending = true;
                    }
                }
                if items.len() > MAX_COMPLETIONS {
                    ui.label(
                        RichText::new("… more: type more letters, or Tab to complete")
                            .weak()
                            .small(),
                    );
                }
            });
    });
}

/// The action's button, "Browse…" (the system dialog) and "Cancel".
fn buttons_ui(ui: &mut egui::Ui, bar: &mut PathBar, start_dir: &Path) -> Option<PathBarOutcome> {
    let mut outcome = None;
    if ui.button(bar.action.button()).clicked() && !bar.text.trim().is_empty() {
        outcome = Some(PathBarOutcome::Submit(PathBuf::from(expand_home(
            bar.text.trim(),
        ))));
    }
    if ui
        .button("Browse…")
        .on_hover_text("Open the system file dialog")
        .clicked()
    {
        let typed = PathBuf::from(expand_home(bar.text.trim()));
        let start = if typed.is_dir() {
            typed
        } else {
            start_dir.to_path_buf()
        };
        match browse(bar.action, &start) {
            Ok(Some(p)) => {
                bar.text = p.display().to_string();
                outcome = Some(PathBarOutcome::Submit(p));
            }
            Ok(None) => {}
            Err(msg) => bar.message = Some(msg),
        }
    }
    if ui.button("Cancel").clicked() {
        outcome = Some(PathBarOutcome::Cancel);
    }
    outcome
}
