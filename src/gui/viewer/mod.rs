//! The document viewer: the record's metadata, then its text as a read-only, selectable text
//! field with highlights (suggested dates, senders, equipment, filter hits, linked quotes, and
//! the span in focus), and the selection tools ("Use selection as quote", "Add selection to notes").

use egui::text::{CCursor, LayoutJob};
use egui::{Color32, FontId, RichText, Stroke, Ui};

mod attachments;
mod details;
mod low_confidence;
mod markdown;
mod page_image;
mod page_view;
mod selection;
mod text;

use attachments::{AttachmentLinks, attachment_records, attachments_ui};
use details::details_ui;
use selection::move_selection_start;

pub use markdown::{MdStyle, apply_markdown, is_markdown, markdown_styles};
pub use page_view::{BoxKind, DrawnBox, PageView, ocr_note};

pub use text::{
    Highlight, LAYOUT_STEP_BYTES, PAGE_CHARS, Span, build_job, candidate_origin, contrast_ratio,
    filter_hits, highlight_spans, page_starts, paragraph_end, segments, truncate_job,
};

use crate::model::Document;
use crate::workspace::Revisions;

use super::app::{Level, TextSelection, command_button, level_color};
use super::commands::UiCommand;
use super::panel::{Action, Panel, PanelCtx};

/// What the viewer keeps between frames.
#[derive(Default)]
pub struct ViewerCache {
    /// The id of the text field of the document shown (the key handler lets plain keys through it).
    pub text_id: Option<egui::Id>,
    key: Option<JobKey>,
    job: Option<LayoutJob>,
    counted: Option<(String, usize)>,
    pages: Option<(String, Vec<usize>)>,
    page: usize,
    /// (document, part) shown and how many of its bytes are laid out so far.
    grown: Option<((String, usize), usize)>,
    /// The document's attachments, each with the record of the same file name if the cache has one.
    attachments: Option<(String, AttachmentLinks)>,
}

#[derive(Clone, PartialEq)]
struct JobKey {
    doc: String,
    page: usize,
    filter: String,
    focus: Option<(usize, usize)>,
    revisions: Revisions,
    dark: bool,
    markdown: bool,
}

/// The viewer: owns its layout cache, the selection, and the span to scroll to and flash.
#[derive(Default)]
pub struct Viewer {
    cache: ViewerCache,
    selection: Option<TextSelection>,
    scroll_to: Option<(String, usize, usize)>,
    flash: Option<(String, usize, usize)>,
    last_hover_span: Option<(usize, usize)>,
    /// The page image of a paged document.
    pages: PageView,
}

impl Viewer {
    /// The page pane (the page shown, the boxes drawn on it).
    pub fn page_view(&self) -> &PageView {
        &self.pages
    }

    /// The text selected.
    pub fn selection(&self) -> Option<&TextSelection> {
        self.selection.as_ref()
    }

    /// Sets (or clears) the selection.
    pub fn set_selection(&mut self, selection: Option<TextSelection>) {
        self.selection = selection;
    }

    /// The id of the text field of the document shown (plain keys work through it).
    pub fn text_id(&self) -> Option<egui::Id> {
        self.cache.text_id
    }

    /// Scrolls to a span of a document and highlights it (opened evidence, a link's quote).
    pub fn show_span(&mut self, doc: &str, start: usize, end: usize) {
        self.scroll_to = Some((doc.to_owned(), start, end));
        self.flash = Some((doc.to_owned(), start, end));
    }

    /// Another document is shown: its selection and highlight go.
    pub fn document_changed(&mut self) {
        self.selection = None;
        self.flash = None;
    }

    /// The document shown got a new text (its pages were OCR'd): what was laid out goes, and
    /// the selection stays if it still covers the same text.
    pub fn document_replaced(&mut self, doc: Option<&Document>) {
        self.cache.counted = None;
        self.cache.pages = None;
        self.cache.grown = None;
        self.cache.key = None;
        let n = doc.map_or(0, Document::chars);
        if self.selection.as_ref().is_some_and(|s| s.end > n) {
            self.selection = None;
        }
    }
}

/// The session check's warnings, above the viewer, until dismissed.
fn notices_ui(ctx: &PanelCtx<'_>, ui: &mut Ui, out: &mut Vec<Action>) {
    if ctx.notices.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    let color = level_color(Level::Warning, dark);
    egui::Frame::new()
        .stroke(Stroke::new(1.0, color))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::same(6))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("Session check: {} warning(s)", ctx.notices.len()))
                        .color(color)
                        .strong(),
                );
                if ui.button("Dismiss").clicked() {
                    out.push(Action::DismissNotices);
                }
            });
            egui::ScrollArea::vertical()
                .id_salt("notices")
                .max_height(90.0)
                .show(ui, |ui| {
                    for n in ctx.notices {
                        ui.label(RichText::new(n).color(color));
                    }
                });
        });
    ui.add_space(4.0);
}

/// What the viewer says while no document is shown.
fn placeholder_ui(ctx: &PanelCtx<'_>, ui: &mut Ui) {
    ui.add_space(40.0);
    let dir = ctx.ws.cache_dir().display();
    ui.vertical_centered(|ui| {
        if ctx.progress.reading {
            // No spinner: it would repaint every frame and take a core from the reading (the
            // status bar counts the files read).
            ui.label(format!("Reading {dir} …"));
        } else if let Some(msg) = ctx.progress.failed {
            ui.colored_label(Color32::from_rgb(0xe0, 0x4a, 0x4a), msg);
        } else if ctx.cache().documents.is_empty() {
            ui.colored_label(
                Color32::from_rgb(0xe0, 0x4a, 0x4a),
                format!("No documents found in {dir}"),
            );
            ui.label("Open another folder with File → Open cache folder…");
        } else {
            ui.label("Select a document in the list (J/K or ↓/↑ to move).");
        }
    });
}

/// The highlight legend and the selection tools.
fn tools_ui(ui: &mut Ui, sel: Option<&TextSelection>, out: &mut Vec<Action>) {
    let dark = ui.visuals().dark_mode;
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        ui.label(RichText::new("Highlights:").weak().small());
        for h in Highlight::ALL {
            super::list::chip(ui, h.name(), h.color(dark));
        }
    });
    // The line and the buttons keep their places whether or not text is selected, so the text
    // below never moves when a selection starts.
    match sel {
        Some(s) => ui.label(format!(
            "Selection: chars {}–{} ({} chars)",
            s.start,
            s.end,
            s.end - s.start
        )),
        None => {
            ui.label(RichText::new("Select text to quote it or to add it to the notes.").weak())
        }
    };
    ui.horizontal(|ui| {
        for cmd in [
            UiCommand::UseSelectionAsQuote,
            UiCommand::AddSelectionToNotes,
        ] {
            command_button(ui, &cmd, sel.is_some(), out);
        }
    });
    ui.separator();
}

/// The part of a long record on show: its byte and char ranges.
struct Part {
    page: usize,
    bytes: (usize, usize),
    chars: (usize, usize),
}

impl Panel for Viewer {
    fn ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui) -> Vec<Action> {
        let mut out = Vec::new();
        notices_ui(ctx, ui, &mut out);
        let Some(doc) = ctx.current_document() else {
            placeholder_ui(ctx, ui);
            return out;
        };
        // Counting the chars of a big record every frame would be slow: once per document.
        if self
            .cache
            .counted
            .as_ref()
            .is_none_or(|(id, _)| *id != doc.id)
        {
            self.cache.counted = Some((doc.id.clone(), doc.chars()));
        }
        let n_chars = self.cache.counted.as_ref().map_or(0, |(_, n)| *n);
        details_ui(ui, doc, n_chars, &mut out);
        if self
            .cache
            .attachments
            .as_ref()
            .is_none_or(|(id, _)| *id != doc.id)
        {
            self.cache.attachments = Some((doc.id.clone(), attachment_records(ctx, doc)));
        }
        if let Some((_, attachments)) = &self.cache.attachments {
            attachments_ui(ui, attachments, &mut out);
        }
        let sel = self
            .selection
            .as_ref()
            .filter(|s| s.doc == doc.id && s.end > s.start);
        tools_ui(ui, sel, &mut out);
        // A hovered suggestion scrolls into view once, when the hover starts.
        if ctx.hover_span.is_some()
            && ctx.hover_span != self.last_hover_span
            && let Some((a, b)) = ctx.hover_span
        {
            self.scroll_to = Some((doc.id.clone(), a, b));
        }
        self.last_hover_span = ctx.hover_span;
        let scroll_target = self.scroll_to.clone().filter(|s| s.0 == doc.id);
        if doc.pages.is_empty() {
            self.text_column_ui(ctx, ui, doc, n_chars, scroll_target, &mut out);
        } else {
            self.paged_ui(ctx, ui, doc, n_chars, scroll_target, &mut out);
        }
        out
    }
}

impl Viewer {
    /// The record's text (a part of it, for a long one) with its highlights.
    fn text_column_ui(
        &mut self,
        ctx: &PanelCtx<'_>,
        ui: &mut Ui,
        doc: &Document,
        n_chars: usize,
        target: Option<(String, usize, usize)>,
        out: &mut Vec<Action>,
    ) {
        let part = self.part_ui(ui, doc, n_chars, target.as_ref().map(|t| t.1));
        self.prepare_job(ctx, ui, doc, &part);
        if let Some(note) = ocr_note(doc, ctx.progress.ocr) {
            let dark = ui.visuals().dark_mode;
            ui.label(RichText::new(note).color(level_color(Level::Warning, dark)));
        } else if doc.text.trim().is_empty() {
            ui.label(
                RichText::new("(this record has no body text)")
                    .weak()
                    .italics(),
            );
        }
        if let Some(sel) = self.text_ui(ui, doc, &part, target.map(|t| t.1)) {
            out.push(Action::Select(sel));
        }
    }

    /// Which part of a long record is shown (Previous/Next part; a scroll target picks its part).
    fn part_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        n_chars: usize,
        target: Option<usize>,
    ) -> Part {
        if self
            .cache
            .pages
            .as_ref()
            .is_none_or(|(id, _)| *id != doc.id)
        {
            self.cache.pages = Some((doc.id.clone(), page_starts(&doc.text)));
            self.cache.page = 0;
        }
        let starts = self
            .cache
            .pages
            .as_ref()
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| vec![0, doc.text.len()]);
        let n_pages = starts.len().saturating_sub(1).max(1);
        if let Some(a) = target {
            self.cache.page = (a / PAGE_CHARS).min(n_pages - 1);
        }
        let page = self.cache.page.min(n_pages - 1);
        let bytes = (
            starts.get(page).copied().unwrap_or(0),
            starts.get(page + 1).copied().unwrap_or(doc.text.len()),
        );
        let c0 = page * PAGE_CHARS;
        let c1 = if page + 1 == n_pages {
            n_chars
        } else {
            c0 + PAGE_CHARS
        };
        if n_pages > 1 {
            let dark = ui.visuals().dark_mode;
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!(
                        "Part {} of {n_pages} (chars {c0}–{c1} of {n_chars})",
                        page + 1
                    ))
                    .color(level_color(Level::Warning, dark)),
                );
                if ui
                    .add_enabled(page > 0, egui::Button::new("Previous part"))
                    .clicked()
                {
                    self.cache.page = page - 1;
                }
                if ui
                    .add_enabled(page + 1 < n_pages, egui::Button::new("Next part"))
                    .clicked()
                {
                    self.cache.page = page + 1;
                }
            });
        }
        Part {
            page,
            bytes,
            chars: (c0, c1),
        }
    }

    /// The highlighted layout of the part, rebuilt when what it shows changed.
    fn prepare_job(&mut self, ctx: &PanelCtx<'_>, ui: &Ui, doc: &Document, part: &Part) {
        let dark = ui.visuals().dark_mode;
        let focus = ctx
            .hover_span
            .or_else(|| {
                self.flash
                    .as_ref()
                    .filter(|f| f.0 == doc.id)
                    .map(|f| (f.1, f.2))
            })
            .or_else(|| ctx.link_quote.as_ref().map(|q| (q.start, q.end)));
        let key = JobKey {
            doc: doc.id.clone(),
            page: part.page,
            filter: ctx.saved.filter.text.clone(),
            focus,
            revisions: ctx.revisions(),
            dark,
            markdown: is_markdown(&doc.path) && !ctx.saved.raw_markdown,
        };
        if self.cache.key.as_ref() == Some(&key) && self.cache.job.is_some() {
            return;
        }
        let text = &doc.text[part.bytes.0..part.bytes.1];
        let spans = highlight_spans(
            ctx.suggestions(&doc.id),
            ctx.session().review(&doc.id),
            &key.filter,
            focus,
            part.chars.0..part.chars.1,
            text,
        );
        let color = ui.visuals().text_color();
        let mut job = build_job(text, &spans, viewer_font(), color, dark);
        if key.markdown {
            apply_markdown(&mut job, &markdown_styles(text), dark);
        }
        let unsure = low_confidence::low_confidence_spans(doc, part.chars);
        low_confidence::mark_low_confidence(&mut job, &unsure, dark);
        self.cache.job = Some(job);
        self.cache.key = Some(key);
    }

    /// The text of the part, selectable, laid out a paragraph block per frame; answers the new
    /// selection when it changed.
    fn text_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        part: &Part,
        target: Option<usize>,
    ) -> Option<Option<TextSelection>> {
        let text = &doc.text[part.bytes.0..part.bytes.1];
        let c0 = part.chars.0;
        let laid = self.grow_layout(ui, doc, part, target.is_some());
        let job = match &self.cache.job {
            Some(j) if laid < text.len() => truncate_job(j, laid),
            Some(j) => j.clone(),
            None => LayoutJob::default(),
        };
        let shown_text = &text[..laid];
        let text_id = egui::Id::unique(("doctriage-viewer-text", &doc.id, part.page));
        self.cache.text_id = Some(text_id);
        let mut new_selection: Option<Option<TextSelection>> = None;
        egui::ScrollArea::vertical()
            .id_salt(("viewer-scroll", &doc.id, part.page))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let max_width = ui.available_width();
                let mut shown: &str = shown_text;
                let mut layouter = |ui: &Ui, _buf: &dyn egui::TextBuffer, wrap_width: f32| {
                    let mut j = job.clone();
                    j.wrap.max_width = wrap_width.min(max_width);
                    ui.fonts_mut(|f| f.layout_job(j))
                };
                move_selection_start(ui, text_id, shown_text.chars().count());
                let field = egui::TextEdit::multiline(&mut shown)
                    .id(text_id)
                    .font(viewer_font())
                    .frame(egui::Frame::NONE)
                    .desired_width(max_width)
                    .layouter(&mut layouter)
                    .show(ui);
                let resp = field
                    .response
                    .response
                    .clone()
                    .accessible_name("Document text");
                if resp.has_focus()
                    && let Some(range) = field.cursor_range
                {
                    let r = range.as_sorted_char_range();
                    let (mut a, mut b) = (r.start.0, r.end.0);
                    // A drag snaps to whole words when it ends (Alt keeps it to the chars).
                    if resp.drag_stopped()
                        && b > a
                        && !ui.input(|i| i.modifiers.alt)
                        && let Some((sa, sb)) = crate::session::snap_to_words(shown_text, a, b)
                        && (sa, sb) != (a, b)
                    {
                        (a, b) = (sa, sb);
                        let mut state = field.state.clone();
                        state
                            .cursor
                            .set_char_range(Some(egui::text::CCursorRange::two(
                                CCursor::new(a),
                                CCursor::new(b),
                            )));
                        state.store(ui.ctx(), text_id);
                    }
                    new_selection = Some((b > a).then(|| TextSelection {
                        doc: doc.id.clone(),
                        start: c0 + a,
                        end: c0 + b,
                    }));
                }
                if let Some(a) = target {
                    let at = a.saturating_sub(c0);
                    let rect = field
                        .galley
                        .pos_from_cursor(CCursor::new(at))
                        .translate(field.galley_pos.to_vec2());
                    ui.scroll_to_rect(rect.expand(24.0), Some(egui::Align::Center));
                }
            });
        if target.is_some() {
            self.scroll_to = None;
        }
        new_selection
    }

    /// How many bytes of the part are laid out this frame: a newly shown part grows a paragraph
    /// block per frame (all of it at once when jumping to a quote, which may lie anywhere).
    fn grow_layout(&mut self, ui: &Ui, doc: &Document, part: &Part, jumping: bool) -> usize {
        let text = &doc.text[part.bytes.0..part.bytes.1];
        let grow_key = (doc.id.clone(), part.page);
        let laid = match &self.cache.grown {
            Some((k, n)) if *k == grow_key => *n,
            _ => LAYOUT_STEP_BYTES,
        };
        let laid = if jumping {
            text.len()
        } else {
            paragraph_end(text, laid)
        };
        if laid < text.len() {
            ui.ctx().request_repaint();
            self.cache.grown = Some((grow_key, laid + LAYOUT_STEP_BYTES));
        } else {
            self.cache.grown = Some((grow_key, text.len()));
        }
        laid
    }
}

/// The font of the document text.
fn viewer_font() -> FontId {
    FontId::proportional(15.0)
}
