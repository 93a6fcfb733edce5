//! The document viewer: the record's metadata, then its text as a read-only, selectable text
//! field with highlights (suggested dates, senders, equipment, filter hits, linked quotes, and
//! the span in focus), and the selection tools ("Use selection as quote", "Add selection to notes").

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, Stroke, Ui};

use crate::fold::fold_with_map;
use crate::model::{Origin, Suggestions};
use crate::session::DocReview;

use crate::model::Document;
use crate::workspace::Revisions;

use super::app::{Level, TextSelection, command_button, level_color};
use super::commands::UiCommand;
use super::filter::query_terms;
use super::panel::{Action, Panel, PanelCtx};

/// A long record is shown in parts of this many characters (with Previous/Next part buttons), so
/// the text field stays fast; offsets stay exact (each part knows where it starts).
pub const PAGE_CHARS: usize = 20_000;

/// A newly shown part is laid out this many bytes (to the end of a paragraph) at a time, one step
/// per frame: the first frame shows the top of the text at once, and egui's galley cache keeps
/// the paragraphs already laid out, so no frame lays out a whole long record.
pub const LAYOUT_STEP_BYTES: usize = 4096;

/// The end of the paragraph at or after byte `at` (just past its `\n`), or the text's end.
pub fn paragraph_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let from = (at..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[from..].find('\n').map_or(text.len(), |i| from + i + 1)
}

/// The first `cut` bytes of a layout job (`cut` on a char boundary), its sections clipped.
pub fn truncate_job(job: &LayoutJob, cut: usize) -> LayoutJob {
    let mut out = job.clone();
    out.text.truncate(cut);
    out.sections.retain(|s| s.byte_range.start.0 < cut);
    for s in &mut out.sections {
        s.byte_range.end.0 = s.byte_range.end.0.min(cut);
    }
    out
}

/// Kinds of highlight, lowest priority first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Highlight {
    /// A quote linked to a statement.
    Linked = 0,
    /// A suggested date.
    Date = 1,
    /// A suggested sender.
    Sender = 2,
    /// Suggested equipment.
    Equipment = 3,
    /// A hit of the free-text filter.
    FilterHit = 4,
    /// The span in focus (hovered suggestion, opened evidence, the quote to link).
    Focus = 5,
}

impl Highlight {
    /// Every kind, for the legend.
    pub const ALL: [Self; 6] = [
        Self::Date,
        Self::Sender,
        Self::Equipment,
        Self::FilterHit,
        Self::Linked,
        Self::Focus,
    ];

    /// The legend's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Linked => "linked quote",
            Self::Date => "date",
            Self::Sender => "sender",
            Self::Equipment => "equipment",
            Self::FilterHit => "filter hit",
            Self::Focus => "in focus",
        }
    }

    /// The background colour.
    pub fn color(self, dark: bool) -> Color32 {
        let (l, d) = match self {
            Self::Linked => ((0xe6, 0xd4, 0xfa), (0x4a, 0x33, 0x6a)),
            Self::Date => ((0xc8, 0xe1, 0xff), (0x1c, 0x44, 0x70)),
            Self::Sender => ((0xc9, 0xef, 0xc9), (0x1f, 0x55, 0x2c)),
            Self::Equipment => ((0xff, 0xdc, 0xb4), (0x6e, 0x44, 0x14)),
            Self::FilterHit => ((0xff, 0xf0, 0x7a), (0x6a, 0x5f, 0x0a)),
            Self::Focus => ((0xff, 0x9a, 0x3c), (0xd0, 0x6a, 0x10)),
        };
        let (r, g, b) = if dark { d } else { l };
        Color32::from_rgb(r, g, b)
    }
}

/// A highlighted span (chars, end exclusive).
pub type Span = (usize, usize, Highlight);

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
}

#[derive(Clone, PartialEq)]
struct JobKey {
    doc: String,
    page: usize,
    filter: String,
    focus: Option<(usize, usize)>,
    revisions: Revisions,
    dark: bool,
}

/// The spans of the text where the filter's terms occur (case- and script-insensitive).
pub fn filter_hits(text: &str, filter_text: &str) -> Vec<(usize, usize)> {
    let terms = query_terms(filter_text);
    if terms.is_empty() {
        return Vec::new();
    }
    let (folded, map) = fold_with_map(text);
    // The map is per char of the folded text; the matches are in bytes.
    let char_of_byte: Option<Vec<usize>> = (!folded.is_ascii()).then(|| {
        let mut v = vec![0; folded.len() + 1];
        let mut n = 0;
        for (b, c) in folded.char_indices() {
            for slot in v.iter_mut().skip(b).take(c.len_utf8()) {
                *slot = n;
            }
            n += 1;
        }
        if let Some(last) = v.last_mut() {
            *last = n;
        }
        v
    });
    let to_char = |b: usize| {
        char_of_byte
            .as_ref()
            .map_or(b, |v| v.get(b).copied().unwrap_or(0))
    };
    let mut out = Vec::new();
    for term in &terms {
        for (b, m) in folded.match_indices(term.as_str()) {
            let (first, last) = (to_char(b), to_char(b + m.len() - 1));
            if let (Some(&s), Some(&e)) = (map.get(first), map.get(last)) {
                out.push((s, e + 1));
            }
        }
    }
    out
}

/// Every highlight of a part of a document (chars `range`, whose text is `part`): suggestions,
/// filter hits, linked quotes and the focus span, as spans relative to the part's start.
pub fn highlight_spans(
    suggestions: Option<&Suggestions>,
    review: Option<&DocReview>,
    filter_text: &str,
    focus: Option<(usize, usize)>,
    range: std::ops::Range<usize>,
    part: &str,
) -> Vec<Span> {
    let mut spans = Vec::new();
    if let Some(s) = suggestions {
        for (cands, kind) in [
            (&s.dates, Highlight::Date),
            (&s.senders, Highlight::Sender),
            (&s.equipment, Highlight::Equipment),
        ] {
            for c in cands {
                if let (Some(a), Some(b)) = (c.start, c.end) {
                    spans.push((a, b, kind));
                }
            }
        }
    }
    if let Some(r) = review {
        for l in &r.links {
            if let Some(q) = &l.quote {
                spans.push((q.start, q.end, Highlight::Linked));
            }
        }
    }
    if let Some((a, b)) = focus {
        spans.push((a, b.max(a + 1), Highlight::Focus));
    }
    // Into the part's coordinates, clipped to it.
    let mut out: Vec<Span> = spans
        .into_iter()
        .filter(|(a, b, _)| a < b && *b > range.start && *a < range.end)
        .map(|(a, b, k)| {
            (
                a.max(range.start) - range.start,
                b.min(range.end) - range.start,
                k,
            )
        })
        .collect();
    for (a, b) in filter_hits(part, filter_text) {
        out.push((a, b, Highlight::FilterHit));
    }
    out
}

/// The byte offsets where the parts of a text start (every [`PAGE_CHARS`] chars), and its length.
pub fn page_starts(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    for (n, (b, _)) in text.char_indices().enumerate() {
        if n > 0 && n % PAGE_CHARS == 0 {
            out.push(b);
        }
    }
    out.push(text.len());
    out
}

/// Splits the text into runs of one highlight (the highest of the spans covering it), as
/// (start char, end char, highlight or none).
pub fn segments(n_chars: usize, spans: &[Span]) -> Vec<(usize, usize, Option<Highlight>)> {
    let mut events: Vec<(usize, i32, usize)> = Vec::with_capacity(spans.len() * 2);
    for &(a, b, k) in spans {
        let (a, b) = (a.min(n_chars), b.min(n_chars));
        if a < b {
            events.push((a, 1, k as usize));
            events.push((b, -1, k as usize));
        }
    }
    events.sort_unstable();
    let mut counts = [0i32; 6];
    let mut out = Vec::new();
    let mut pos = 0;
    let top = |counts: &[i32; 6]| -> Option<Highlight> {
        (0..6).rev().find(|&k| counts[k] > 0).map(|k| match k {
            0 => Highlight::Linked,
            1 => Highlight::Date,
            2 => Highlight::Sender,
            3 => Highlight::Equipment,
            4 => Highlight::FilterHit,
            _ => Highlight::Focus,
        })
    };
    let mut i = 0;
    while i < events.len() {
        let at = events[i].0;
        if at > pos {
            out.push((pos, at, top(&counts)));
            pos = at;
        }
        while i < events.len() && events[i].0 == at {
            let k = events[i].2;
            counts[k] += events[i].1;
            i += 1;
        }
    }
    if pos < n_chars {
        out.push((pos, n_chars, top(&counts)));
    }
    out
}

/// The layout job of a text with its highlights.
pub fn build_job(
    text: &str,
    spans: &[Span],
    font: FontId,
    text_color: Color32,
    dark: bool,
) -> LayoutJob {
    let n = text.chars().count();
    let segs = segments(n, spans);
    // Char offsets of the segment boundaries to byte offsets, in one pass.
    let mut bytes = Vec::with_capacity(segs.len() + 1);
    let mut it = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let mut at_char = 0;
    let mut cur = it.next().unwrap_or(0);
    for &(start, _, _) in &segs {
        while at_char < start {
            cur = it.next().unwrap_or(text.len());
            at_char += 1;
        }
        bytes.push(cur);
    }
    bytes.push(text.len());
    let mut job = LayoutJob::default();
    for (k, &(_, _, hl)) in segs.iter().enumerate() {
        let (a, b) = (bytes[k], bytes[k + 1]);
        let mut format = TextFormat {
            font_id: font.clone(),
            color: text_color,
            ..TextFormat::default()
        };
        if let Some(h) = hl {
            format.background = h.color(dark);
            if h == Highlight::Focus {
                format.underline =
                    Stroke::new(2.0, if dark { Color32::WHITE } else { Color32::BLACK });
                format.color = if dark { Color32::WHITE } else { Color32::BLACK };
            }
        }
        job.append(&text[a..b], 0.0, format);
    }
    job
}

fn meta_row(ui: &mut Ui, key: &str, value: impl Into<egui::WidgetText>) {
    ui.label(RichText::new(key).weak());
    ui.add(egui::Label::new(value).wrap());
    ui.end_row();
}

fn origin_text(o: Origin) -> &'static str {
    match o {
        Origin::Metadata => "record metadata",
        Origin::Header => "header",
        Origin::Text => "text",
    }
}

/// A one-line description of a suggestion's origin (for tooltips).
pub fn candidate_origin(c: &crate::model::Candidate) -> String {
    match (&c.quote, c.start, c.end) {
        (Some(q), Some(a), Some(b)) => {
            format!("from the {}, chars {a}–{b}: “{q}”", origin_text(c.origin))
        }
        _ => format!("from the {}", origin_text(c.origin)),
    }
}

/// The viewer: owns its layout cache, the selection, and the span to scroll to and flash.
#[derive(Default)]
pub struct Viewer {
    cache: ViewerCache,
    selection: Option<TextSelection>,
    scroll_to: Option<(String, usize, usize)>,
    flash: Option<(String, usize, usize)>,
    last_hover_span: Option<(usize, usize)>,
}

impl Viewer {
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
            ui.spinner();
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

/// The record's title and details (id, path, kind, dates, sender, encoding, hash, warnings).
fn details_ui(ui: &mut Ui, doc: &Document, n_chars: usize, out: &mut Vec<Action>) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| {
        ui.heading(&doc.title);
    });
    ui.add_space(2.0);
    egui::CollapsingHeader::new("Record details")
        .id_salt("record-details")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("doc-meta")
                .num_columns(2)
                .spacing([12.0, 3.0])
                .min_col_width(90.0)
                .show(ui, |ui| details_grid_ui(ui, doc, n_chars));
            for w in &doc.warnings {
                ui.colored_label(level_color(Level::Warning, dark), format!("Warning: {w}"));
            }
            if let Some(orig) = &doc.duplicate_of {
                ui.horizontal(|ui| {
                    ui.colored_label(
                        level_color(Level::Warning, dark),
                        format!("Duplicate of {orig} (same file bytes)"),
                    );
                    if ui.button(format!("Open {orig}")).clicked() {
                        out.push(Action::Ui(UiCommand::OpenDocument {
                            id: orig.clone(),
                            span: None,
                        }));
                    }
                });
            }
        });
}

fn details_grid_ui(ui: &mut Ui, doc: &Document, n_chars: usize) {
    let dash = || "—".to_owned();
    meta_row(ui, "Id", RichText::new(&doc.id).monospace());
    let path = match doc.record {
        Some(r) => format!("{} (record {r})", doc.path),
        None => doc.path.clone(),
    };
    meta_row(ui, "Path", RichText::new(path).monospace());
    meta_row(ui, "Kind", doc.kind.replace('_', " "));
    let date = match (
        &doc.date,
        doc.date.as_deref().and_then(crate::extract::parse_date),
    ) {
        (Some(raw), Some(p)) if raw.trim() != p.to_string() => format!("{raw}  ({p})"),
        (Some(raw), _) => raw.clone(),
        (None, _) => dash(),
    };
    meta_row(ui, "Date (stated)", date);
    meta_row(ui, "Sender", doc.sender.clone().unwrap_or_else(dash));
    meta_row(ui, "Recipient", doc.recipient.clone().unwrap_or_else(dash));
    if doc.language.is_some() || doc.reference.is_some() {
        meta_row(ui, "Language", doc.language.clone().unwrap_or_else(dash));
        meta_row(ui, "Reference", doc.reference.clone().unwrap_or_else(dash));
    }
    meta_row(
        ui,
        "Encoding",
        format!(
            "{}  ·  {} bytes  ·  {} chars",
            doc.encoding, doc.file_size, n_chars
        ),
    );
    ui.label(RichText::new("SHA-256").weak());
    let short = doc.sha256.get(..16).unwrap_or(&doc.sha256);
    ui.label(RichText::new(format!("{short}…")).monospace())
        .on_hover_text(&doc.sha256);
    ui.end_row();
    for (k, v) in &doc.extra {
        meta_row(ui, k, v.as_str());
    }
    if !doc.attachments.is_empty() {
        meta_row(ui, "Attachments", doc.attachments.join(", "));
    }
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
    ui.horizontal_wrapped(|ui| {
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
        let part = self.part_ui(ui, doc, n_chars, scroll_target.as_ref().map(|t| t.1));
        self.prepare_job(ctx, ui, doc, &part);
        if doc.text.trim().is_empty() {
            ui.label(
                RichText::new("(this record has no body text)")
                    .weak()
                    .italics(),
            );
        }
        if let Some(sel) = self.text_ui(ui, doc, &part, scroll_target.map(|t| t.1)) {
            out.push(Action::Select(sel));
        }
        out
    }
}

impl Viewer {
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
        self.cache.job = Some(build_job(text, &spans, viewer_font(), color, dark));
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
                    new_selection = Some((r.end.0 > r.start.0).then(|| TextSelection {
                        doc: doc.id.clone(),
                        start: c0 + r.start.0,
                        end: c0 + r.end.0,
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
