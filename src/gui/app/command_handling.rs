//! Applying what the frame asked for: the panels' [`Action`]s, the window commands
//! ([`UiCommand`], from menus, buttons and keys) and the session edits ([`Command`]), which go
//! through the workspace. The keyboard is read here too.

use egui::Key;

use crate::session::{self, Command, Quote, Relation};

use super::super::coding::Focus;
use super::super::commands::UiCommand;
use super::super::panel::Action;
use super::super::path_bar::PathAction;
use super::App;

impl App {
    /// Applies what a panel asked for: window state at once, commands and edits at the end of
    /// the frame.
    pub(crate) fn take_actions(&mut self, actions: Vec<Action>) {
        if !actions.is_empty() {
            self.shared = None;
        }
        for action in actions {
            match action {
                Action::Ui(_) | Action::Edit(_) => self.pending.push(action),
                Action::Sort(key, ascending) => {
                    self.saved.sort = key;
                    self.saved.ascending = ascending;
                }
                Action::SetFilter(filter) => {
                    self.saved.filter = filter;
                    self.filter_edited_at = Some(self.frame_time);
                    self.ensure_view(self.frame_time);
                }
                Action::SetFacetsOpen(open) => self.saved.facets_open = open,
                Action::SetRelation(r) => self.saved.relation = r,
                Action::SelectStatement(id) => self.statements.select(id),
                Action::Hover(span) => self.hover_span = Some(span),
                Action::Select(selection) => self.viewer.set_selection(selection),
                Action::DismissNotices => self.notices.clear(),
                Action::ClearQuote => self.statements.quote = None,
                Action::OpenFirstInList => self.open_first_of_list(),
                Action::CancelOcr => self.cancel_ocr(),
            }
        }
    }

    /// Carries out the frame's commands, once, at its end.
    pub(crate) fn run_commands(&mut self, ctx: Option<&egui::Context>) {
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return;
        }
        for p in pending {
            match p {
                Action::Edit(cmd) => {
                    let _ = self.apply_edit(cmd);
                }
                Action::Ui(cmd) => self.run_ui_command(cmd, ctx),
                other => self.take_actions(vec![other]),
            }
        }
        if let Some(ctx) = ctx {
            ctx.request_repaint();
        }
    }

    /// Applies one edit now, as the window does: true when it changed the session (an edit that
    /// changes nothing is not recorded, and the log says so); the error message if it was
    /// refused.
    pub fn apply_edit(&mut self, cmd: Command) -> Result<bool, String> {
        let label = cmd.label();
        let changed = self.apply_quietly(cmd)?;
        if !changed {
            self.info(format!("Nothing changed: {label}"));
        }
        Ok(changed)
    }

    /// Applies one edit; true when it changed the session, the error message (logged) if it was
    /// refused.
    fn apply_quietly(&mut self, cmd: Command) -> Result<bool, String> {
        self.ws.apply(cmd).map_err(|e| {
            let msg = e.to_string();
            self.error(msg.clone());
            msg
        })
    }

    fn run_ui_command(&mut self, cmd: UiCommand, ctx: Option<&egui::Context>) {
        match cmd {
            UiCommand::OpenCache => self.open_path_bar(PathAction::OpenCache),
            UiCommand::OpenSession => self.open_path_bar(PathAction::OpenSession),
            UiCommand::Save => self.save(),
            UiCommand::SaveAs => {
                self.flush_buffers();
                self.open_path_bar(PathAction::SaveSession);
            }
            UiCommand::ExportFindings => {
                self.flush_buffers();
                self.open_path_bar(PathAction::ExportFindings);
            }
            UiCommand::Quit => self.quit(ctx),
            UiCommand::Undo => {
                self.flush_buffers();
                match self.ws.undo() {
                    Some(label) => self.info(format!("Undid: {label}")),
                    None => self.info("Nothing to undo"),
                }
            }
            UiCommand::Redo => match self.ws.redo() {
                Some(label) => self.info(format!("Redid: {label}")),
                None => self.info("Nothing to redo"),
            },
            UiCommand::ToggleTheme => self.saved.dark = !self.saved.dark,
            UiCommand::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
            UiCommand::ShowViews => self.show_views = !self.show_views,
            UiCommand::ShowErrors => self.show_errors = true,
            UiCommand::NextDocument => {
                self.flush_buffers();
                self.step(true);
            }
            UiCommand::PreviousDocument => {
                self.flush_buffers();
                self.step(false);
            }
            UiCommand::SetStatus(status) => self.set_status_and_maybe_advance(status),
            UiCommand::NextUnreviewed => self.next_unreviewed(),
            UiCommand::NextStatement => self.step_statement(true),
            UiCommand::PreviousStatement => self.step_statement(false),
            UiCommand::CycleRelation => self.cycle_relation(),
            UiCommand::FocusDate => self.coding.request_focus(Focus::Date),
            UiCommand::FocusTags => self.coding.request_focus(Focus::Tags),
            UiCommand::ToggleAdvanceAfterStatus => {
                self.prefs.advance_after_status = !self.prefs.advance_after_status;
                self.save_prefs();
            }
            UiCommand::ShowPreferences => self.show_preferences = true,
            UiCommand::OpenRecent(path) => {
                let _ = self.submit_path(PathAction::OpenSession, &path);
            }
            UiCommand::ToggleRawMarkdown => self.saved.raw_markdown = !self.saved.raw_markdown,
            UiCommand::ShowConflicts => self.show_conflicts = true,
            UiCommand::AcceptSuggestions => self.accept_suggestions(),
            UiCommand::LinkToStatement => self.link_current(),
            UiCommand::FocusNotes => self.coding.request_focus(Focus::Notes),
            UiCommand::FocusFilter => self.filter_bar.request_focus(),
            UiCommand::CancelLoading => {
                if let Some(l) = &self.jobs.loader {
                    l.cancel();
                }
            }
            UiCommand::OpenDocument { id, span } => self.open_document(&id, span),
            UiCommand::UseSelectionAsQuote => match self.selected_quote() {
                Some((id, q)) => self.statements.quote = Some((id, q)),
                None => self.info("Select some text of the document first"),
            },
            UiCommand::AddSelectionToNotes => match self.selected_quote() {
                Some((id, q)) => {
                    self.flush_buffers();
                    let note = format!("“{}” (chars {}–{})", q.text.trim(), q.start, q.end);
                    let _ = self.apply_edit(Command::AppendNote { doc: id, note });
                }
                None => self.info("Select some text of the document first"),
            },
        }
    }

    fn quit(&mut self, ctx: Option<&egui::Context>) {
        self.flush_buffers();
        // A save being written decides whether anything is left unsaved.
        self.wait_for_save();
        if self.ws.is_dirty() && !self.allow_close {
            self.quit_dialog = true;
        } else {
            self.allow_close = true;
            if let Some(ctx) = ctx {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn accept_suggestions(&mut self) {
        let Some(id) = self.current.clone() else {
            return;
        };
        let empty = self.ws.suggestions_for(&id).is_none_or(|s| s.is_empty());
        if empty {
            self.info(format!("No suggestions for {id}"));
            return;
        }
        match self.ws.accept_suggestions_command(&id) {
            Ok(cmd) => {
                let _ = self.apply_edit(cmd);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn open_document(&mut self, id: &str, span: Option<(usize, usize)>) {
        self.flush_buffers();
        if self.select_document(id) {
            if let Some((s, e)) = span {
                self.viewer.show_span(id, s, e);
            }
        } else {
            self.error(format!("No document {id} in this cache"));
        }
    }

    /// Shows the document at `idx` of the cache (the list scrolls to it).
    pub(crate) fn set_current(&mut self, idx: usize) {
        let Some(doc) = self.ws.cache().documents.get(idx) else {
            return;
        };
        let id = doc.id.clone();
        if self.current.as_deref() != Some(id.as_str()) {
            self.viewer.document_changed();
            // A pinned quote of another document is dropped when that document is left.
            if self
                .statements
                .quote
                .as_ref()
                .is_some_and(|(d, _)| *d != id)
            {
                self.statements.quote = None;
            }
        }
        self.ws.suggestions_for(&id);
        self.current = Some(id);
        self.current_idx = Some(idx);
        self.list.scroll_to_current();
    }

    pub(crate) fn step(&mut self, forward: bool) {
        self.ensure_view(f64::INFINITY);
        let list = &self.view.indices;
        if list.is_empty() {
            return;
        }
        let pos = self
            .current_idx
            .and_then(|c| list.iter().position(|&i| i == c));
        let next = match pos {
            None => 0,
            Some(p) if forward => (p + 1).min(list.len() - 1),
            Some(p) => p.saturating_sub(1),
        };
        if let Some(&idx) = list.get(next) {
            self.set_current(idx);
        }
    }

    /// The quote the next link uses: the pinned one, else the viewer selection (current document only).
    pub(crate) fn link_quote(&self) -> Option<Quote> {
        let doc = self.current_document()?;
        if let Some((d, q)) = &self.statements.quote
            && *d == doc.id
        {
            return Some(q.clone());
        }
        self.selected_quote().map(|(_, q)| q)
    }

    /// The viewer's non-empty selection in the current document, as an exact quote.
    fn selected_quote(&self) -> Option<(String, Quote)> {
        let doc = self.current_document()?;
        let s = self
            .viewer
            .selection()
            .filter(|s| s.doc == doc.id && s.end > s.start)?;
        // The quote is what the analyst meant: no invisible whitespace at its ends.
        let (start, end) = session::trim_span(&doc.text, s.start, s.end)?;
        let text = session::quote_at(&doc.text, start, end)?;
        Some((doc.id.clone(), Quote::new(text, start, end)))
    }

    fn link_current(&mut self) {
        let Some(doc) = self.current_document() else {
            self.info("Select a document first");
            return;
        };
        let doc_id = doc.id.clone();
        let Some(sid) = self.statements.selected.clone() else {
            self.info("Select a statement first (in the Statements panel)");
            return;
        };
        let note = self.statements.note.trim().to_owned();
        let relation = self.saved.relation;
        let cmd = match session::link_command(
            self.ws.cache(),
            &doc_id,
            &sid,
            relation,
            self.link_quote(),
            (!note.is_empty()).then_some(note),
        ) {
            Ok(cmd) => cmd,
            Err(e) => {
                self.error(e.to_string());
                return;
            }
        };
        match self.apply_quietly(cmd) {
            Ok(true) => {
                // The form starts again from its defaults: the next link supports unless told.
                self.statements.note.clear();
                self.statements.quote = None;
                self.saved.relation = Relation::Supports;
                self.info(format!("Linked {doc_id} to {sid} ({relation})"));
            }
            Ok(false) => self.info(format!(
                "Nothing changed: {doc_id} is already linked to {sid} ({relation}) with this quote"
            )),
            Err(_) => {}
        }
    }

    /// Applies the coding panel's text buffers (notes) that were edited but not yet applied.
    pub(crate) fn flush_buffers(&mut self) {
        if let Some(cmd) = self.coding.unapplied_notes(self.ws.session()) {
            let _ = self.apply_edit(cmd);
        }
    }

    /// Reads the keyboard: every shortcut of [`UiCommand::with_shortcuts`].
    pub(crate) fn handle_keys(&mut self, ctx: &egui::Context) {
        let focused = ctx.memory(|m| m.focused());
        let viewer = self.viewer.text_id();
        // The document text is a read-only field: the plain keys still work when it has focus.
        let typing = ctx.text_edit_focused() && focused != viewer;
        let modal_open = self.quit_dialog
            || self.recovery.is_some()
            || self.path_bar.is_some()
            || self.ask_analyst.is_some();
        for cmd in UiCommand::with_shortcuts() {
            if modal_open && cmd != UiCommand::ShowShortcuts {
                continue;
            }
            // Plain keys type text; Ctrl+Z/Ctrl+Shift+Z undo the typing in a text field.
            let text_key = cmd.is_plain_key() || matches!(cmd, UiCommand::Undo | UiCommand::Redo);
            if text_key && typing {
                continue;
            }
            let arrows_ok = focused.is_none();
            let mut hit = cmd
                .shortcut()
                .is_some_and(|s| ctx.input_mut(|i| i.consume_shortcut(&s)));
            if let Some(alt) = cmd.alternate_shortcut() {
                let is_arrow = matches!(alt.logical_key, Key::ArrowDown | Key::ArrowUp);
                if (!is_arrow || arrows_ok) && ctx.input_mut(|i| i.consume_shortcut(&alt)) {
                    hit = true;
                }
            }
            if hit {
                self.pending.push(Action::Ui(cmd));
            }
        }
    }
}
