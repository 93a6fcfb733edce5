//! The page image of a paged document beside (or, when the viewer is narrow, above) its text:
//! page navigation (◀ page N of M ▶, PageUp/PageDown while the viewer has the focus), the
//! image's own zoom (fit width, +/−), the quote, the suggestion's span and the linked quotes
//! boxed from the OCR word boxes, and a rectangle dragged over the image selecting the words
//! under it as selecting them in the text does.

use egui::{Color32, Key, Modifiers, Pos2, Rect, RichText, Sense, Stroke, StrokeKind, Ui, vec2};

use crate::model::{Document, PageSource};
use crate::ocr::boxes::{quote_boxes, range_in_rect};

use super::super::app::{Level, TextSelection, level_color};
use super::super::ocr_worker::OcrStatus;
use super::super::panel::{Action, PanelCtx};
use super::Viewer;
use super::page_image::{PageImages, PageState};

/// Why a box is drawn on the page image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxKind {
    /// The selected quote (or the quote pinned for the next link, or the span opened).
    Quote,
    /// The source span of the suggestion hovered in the coding panel.
    Suggestion,
    /// A quote of the document linked to a statement.
    Linked,
}

/// A box drawn on the page image.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnBox {
    /// Why it is drawn.
    pub kind: BoxKind,
    /// The page, 1-based.
    pub page: usize,
    /// The chars it boxes (offsets into the document's text).
    pub chars: (usize, usize),
    /// The union of its words' boxes in the OCR page image's pixels, `[x, y, w, h]`.
    pub union: [u32; 4],
    /// Where it was drawn on the screen (points).
    pub screen: Rect,
}

/// The page pane's state.
#[derive(Default)]
pub struct PageView {
    doc: Option<String>,
    /// The page shown, 1-based.
    page: usize,
    /// Points per image pixel; None: the image fits the pane's width.
    zoom: Option<f32>,
    drag_from: Option<Pos2>,
    /// Scroll the first quote box into view once the image is there.
    scroll_to_box: bool,
    drawn: Vec<DrawnBox>,
    images: PageImages,
    image_id: Option<egui::Id>,
    /// The scale "fit width" gave in the last frame.
    fit_scale: Option<f32>,
}

impl PageView {
    /// The boxes drawn in the last frame.
    pub fn drawn(&self) -> &[DrawnBox] {
        &self.drawn
    }

    /// The page shown (1-based) of the document shown, if it is paged.
    pub fn page(&self) -> Option<(&str, usize)> {
        self.doc.as_deref().map(|d| (d, self.page))
    }

    /// True when the image of the page shown is ready.
    pub fn image_ready(&self) -> bool {
        self.doc
            .as_ref()
            .is_some_and(|d| self.images.is_ready(&(d.clone(), self.page)))
    }
}

/// The colour of a box.
fn box_color(kind: BoxKind) -> Color32 {
    match kind {
        BoxKind::Quote => Color32::from_rgb(0xe0, 0x5a, 0x00),
        BoxKind::Suggestion => Color32::from_rgb(0x1f, 0x6f, 0xd0),
        BoxKind::Linked => Color32::from_rgb(0x7b, 0x3f, 0xc0),
    }
}

/// What the viewer says of a document's pages still waiting for OCR (None: none waits).
pub fn ocr_note(doc: &Document, status: Option<&OcrStatus>) -> Option<String> {
    let pending = doc.pending_pages();
    let first = *pending.first()?;
    let missing = status.is_some_and(|s| {
        s.engines
            .as_ref()
            .is_some_and(super::super::ocr_worker::Engines::tesseract_missing)
    });
    if missing {
        return Some(
            "needs OCR: tesseract is not installed (apt-get install tesseract-ocr)".into(),
        );
    }
    let pages = if pending.len() == 1 {
        format!("page {first} waits for OCR")
    } else {
        let list: Vec<String> = pending.iter().take(6).map(ToString::to_string).collect();
        let more = if pending.len() > 6 { ", …" } else { "" };
        format!("pages {}{more} wait for OCR", list.join(", "))
    };
    Some(match status {
        Some(s) if s.running => format!("{pages} (reading…)"),
        Some(s) if s.cancelled => format!("{pages} (OCR was cancelled)"),
        Some(s) if s.failed.is_some() => {
            format!("{pages}: {}", s.failed.as_deref().unwrap_or_default())
        }
        _ => pages,
    })
}

/// How a page's text was obtained, for the pane's header.
fn source_text(doc: &Document, page: usize) -> String {
    let Some(p) = doc.pages.get(page - 1) else {
        return String::new();
    };
    match (p.source, p.ocr.as_deref()) {
        (PageSource::Ocr, Some(o)) => {
            format!("OCR ({}, {:.0}% confident)", o.languages, o.confidence)
        }
        (PageSource::Ocr, None) => "OCR".into(),
        (PageSource::PdfText, _) => "text layer".into(),
        (PageSource::PdfTextRepaired, _) => "text layer (cp1251 repaired)".into(),
        (PageSource::Pending, _) => format!("page {page} waits for OCR"),
        (PageSource::Sheet, _) => p
            .label
            .as_ref()
            .map_or_else(|| format!("sheet {page}"), |l| format!("sheet {l}")),
    }
}

impl Viewer {
    /// A paged document: its page image and its text, side by side when there is room.
    pub(super) fn paged_ui(
        &mut self,
        ctx: &PanelCtx<'_>,
        ui: &mut Ui,
        doc: &Document,
        n_chars: usize,
        target: Option<(String, usize, usize)>,
        out: &mut Vec<Action>,
    ) {
        let avail = ui.available_size();
        let layout = egui::Layout::top_down(egui::Align::Min);
        if avail.x >= 900.0 {
            ui.horizontal_top(|ui| {
                let w = (avail.x * 0.5).floor();
                ui.allocate_ui_with_layout(vec2(w, avail.y), layout, |ui| {
                    ui.set_min_size(vec2(w, avail.y));
                    self.page_pane_ui(ctx, ui, doc, target.as_ref(), out);
                });
                ui.separator();
                let rest = ui.available_size();
                ui.allocate_ui_with_layout(rest, layout, |ui| {
                    self.text_column_ui(ctx, ui, doc, n_chars, target.clone(), out);
                });
            });
        } else {
            let h = (avail.y * 0.5).max(220.0).min(avail.y);
            ui.allocate_ui_with_layout(vec2(avail.x, h), layout, |ui| {
                ui.set_min_size(vec2(avail.x, h));
                self.page_pane_ui(ctx, ui, doc, target.as_ref(), out);
            });
            ui.separator();
            self.text_column_ui(ctx, ui, doc, n_chars, target, out);
        }
    }

    fn page_pane_ui(
        &mut self,
        ctx: &PanelCtx<'_>,
        ui: &mut Ui,
        doc: &Document,
        target: Option<&(String, usize, usize)>,
        out: &mut Vec<Action>,
    ) {
        let n_pages = doc.pages.len().max(1);
        let view = &mut self.pages;
        if view.doc.as_deref() != Some(doc.id.as_str()) {
            view.doc = Some(doc.id.clone());
            view.page = 1;
            view.zoom = None;
            view.drag_from = None;
        }
        if let Some((_, a, _)) = target {
            view.page = doc.page_at(*a).unwrap_or(1);
            view.scroll_to_box = true;
        }
        view.page = view.page.clamp(1, n_pages);
        let focused = ui.ctx().memory(|m| m.focused());
        let has_focus =
            focused.is_some() && (focused == self.cache.text_id || focused == view.image_id);
        if has_focus {
            let (up, down) = ui.input_mut(|i| {
                (
                    i.consume_key(Modifiers::NONE, Key::PageUp),
                    i.consume_key(Modifiers::NONE, Key::PageDown),
                )
            });
            if up && view.page > 1 {
                view.page -= 1;
            }
            if down && view.page < n_pages {
                view.page += 1;
            }
        }
        page_header_ui(ui, view, doc, n_pages);
        let dark = ui.visuals().dark_mode;
        if let Some(note) = ocr_note(doc, ctx.progress.ocr)
            && doc
                .pages
                .get(view.page - 1)
                .is_some_and(|p| p.source == PageSource::Pending)
        {
            let page_note = if note.starts_with("needs OCR") {
                note
            } else {
                format!("page {} waits for OCR", view.page)
            };
            ui.label(RichText::new(page_note).color(level_color(Level::Warning, dark)));
        }
        let spans = box_spans(ctx, doc, self.selection.as_ref(), self.flash.as_ref());
        if let Some((a, b)) = view.image_ui(ui, ctx, doc, &spans) {
            out.push(Action::Select(Some(TextSelection {
                doc: doc.id.clone(),
                start: a,
                end: b,
            })));
            self.flash = Some((doc.id.clone(), a, b));
            self.scroll_to = Some((doc.id.clone(), a, b));
        }
    }
}

/// ◀ page N of M ▶, where the page's text came from, and the image's zoom.
fn page_header_ui(ui: &mut Ui, view: &mut PageView, doc: &Document, n_pages: usize) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let prev = ui
            .add_enabled(view.page > 1, egui::Button::new("◀"))
            .on_hover_text("Previous page (PageUp)");
        if prev.clicked() {
            view.page -= 1;
        }
        ui.label(format!("page {} of {n_pages}", view.page));
        let next = ui
            .add_enabled(view.page < n_pages, egui::Button::new("▶"))
            .on_hover_text("Next page (PageDown)");
        if next.clicked() {
            view.page += 1;
        }
        ui.separator();
        if ui
            .selectable_label(view.zoom.is_none(), "Fit width")
            .on_hover_text("The page image fills the pane's width")
            .clicked()
        {
            view.zoom = None;
        }
        let scale = view.zoom.unwrap_or(view.last_fit_scale());
        if ui
            .button("−")
            .on_hover_text("Zoom the page image out")
            .clicked()
        {
            view.zoom = Some((scale / 1.25).max(0.1));
        }
        if ui
            .button("+")
            .on_hover_text("Zoom the page image in")
            .clicked()
        {
            view.zoom = Some((scale * 1.25).min(8.0));
        }
        ui.label(RichText::new(format!("{:.0}%", scale * 100.0)).weak());
        ui.separator();
        ui.label(RichText::new(source_text(doc, view.page)).weak());
    });
}

/// The spans to box: the quote (selection, pinned quote or opened span), the hovered
/// suggestion's span and the document's linked quotes.
fn box_spans(
    ctx: &PanelCtx<'_>,
    doc: &Document,
    selection: Option<&TextSelection>,
    flash: Option<&(String, usize, usize)>,
) -> Vec<(BoxKind, usize, usize)> {
    let mut out = Vec::new();
    if let Some(r) = ctx.session().review(&doc.id) {
        for q in r.links.iter().filter_map(|l| l.quote.as_ref()) {
            out.push((BoxKind::Linked, q.start, q.end));
        }
    }
    if let Some((a, b)) = ctx.hover_span {
        out.push((BoxKind::Suggestion, a, b));
    }
    // The quote the next link uses (pinned, else the selection) is of the document shown.
    let quote = ctx
        .link_quote
        .as_ref()
        .map(|q| (q.start, q.end))
        .or_else(|| {
            selection
                .filter(|s| s.doc == doc.id && s.end > s.start)
                .map(|s| (s.start, s.end))
        })
        .or_else(|| flash.filter(|f| f.0 == doc.id).map(|f| (f.1, f.2)));
    if let Some((a, b)) = quote {
        out.push((BoxKind::Quote, a, b));
    }
    out
}

impl PageView {
    /// The scale "fit width" used last (for +/− from it).
    fn last_fit_scale(&self) -> f32 {
        self.fit_scale.unwrap_or(1.0)
    }

    /// The page image with its boxes; answers the chars of the words under a dragged rectangle.
    fn image_ui(
        &mut self,
        ui: &mut Ui,
        ctx: &PanelCtx<'_>,
        doc: &Document,
        spans: &[(BoxKind, usize, usize)],
    ) -> Option<(usize, usize)> {
        self.drawn.clear();
        let page = self.page;
        let state = self.images.get(ui.ctx(), ctx.ws.cache_dir(), doc, page);
        let (texture_id, size) = match state {
            PageState::Ready(t) => (t.texture.id(), t.size),
            PageState::Loading => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(RichText::new(format!("making the image of page {page}…")).weak());
                });
                return None;
            }
            PageState::Failed(why) => {
                let dark = ui.visuals().dark_mode;
                ui.label(
                    RichText::new(format!("No image of page {page}: {why}"))
                        .color(level_color(Level::Warning, dark)),
                );
                return None;
            }
        };
        let mut picked = None;
        egui::ScrollArea::both()
            .id_salt(("page-scroll", &doc.id, page))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let fit = (ui.available_width() / size[0].max(1) as f32).max(0.05);
                self.fit_scale = Some(fit);
                let scale = self.zoom.unwrap_or(fit);
                let shown = vec2(size[0] as f32, size[1] as f32) * scale;
                let (rect, resp) = ui.allocate_exact_size(shown, Sense::click_and_drag());
                let resp = resp.accessible_name(format!("Page image, page {page}"));
                self.image_id = Some(resp.id);
                let uv = Rect::from_min_max(Pos2::ZERO, egui::pos2(1.0, 1.0));
                ui.painter().image(texture_id, rect, uv, Color32::WHITE);
                self.boxes_ui(ui, doc, rect, spans);
                picked = self.drag_ui(ui, &resp, doc, rect);
            });
        picked
    }

    fn boxes_ui(&mut self, ui: &Ui, doc: &Document, rect: Rect, spans: &[(BoxKind, usize, usize)]) {
        let painter = ui.painter_at(rect);
        let mut first_quote = None;
        for &(kind, a, b) in spans {
            let Some(q) = quote_boxes(doc, a, b).filter(|q| q.page == self.page) else {
                continue;
            };
            let (sx, sy) = (
                rect.width() / q.width.max(1) as f32,
                rect.height() / q.height.max(1) as f32,
            );
            let to_screen = |r: [u32; 4]| {
                Rect::from_min_size(
                    rect.min + vec2(r[0] as f32 * sx, r[1] as f32 * sy),
                    vec2(r[2] as f32 * sx, r[3] as f32 * sy),
                )
                .expand(2.0)
            };
            let color = box_color(kind);
            for w in &q.words {
                painter.rect(
                    to_screen(*w),
                    2.0,
                    color.gamma_multiply(0.18),
                    Stroke::new(1.5, color),
                    StrokeKind::Outside,
                );
            }
            let screen = to_screen(q.union);
            if kind == BoxKind::Quote && first_quote.is_none() {
                first_quote = Some(screen);
            }
            self.drawn.push(DrawnBox {
                kind,
                page: q.page,
                chars: (a, b),
                union: q.union,
                screen,
            });
        }
        if self.scroll_to_box {
            self.scroll_to_box = false;
            if let Some(r) = first_quote.or_else(|| self.drawn.first().map(|d| d.screen)) {
                ui.scroll_to_rect(r.expand(40.0), Some(egui::Align::Center));
            }
        }
    }

    /// A rectangle dragged over the image: drawn while dragging, the words under it answered
    /// when it ends.
    fn drag_ui(
        &mut self,
        ui: &Ui,
        resp: &egui::Response,
        doc: &Document,
        rect: Rect,
    ) -> Option<(usize, usize)> {
        if resp.clicked() || resp.drag_started() {
            resp.request_focus();
        }
        if resp.drag_started() {
            self.drag_from = resp.interact_pointer_pos();
        }
        let from = self.drag_from?;
        let to = resp.interact_pointer_pos().unwrap_or(from);
        let drag = Rect::from_two_pos(from, to).intersect(rect);
        if resp.dragged() {
            ui.painter().rect_stroke(
                drag,
                0.0,
                Stroke::new(1.5, box_color(BoxKind::Quote)),
                StrokeKind::Inside,
            );
        }
        if !resp.drag_stopped() {
            return None;
        }
        self.drag_from = None;
        let ocr = doc.pages.get(self.page - 1)?.ocr.as_deref()?;
        let (kx, ky) = (
            ocr.width as f32 / rect.width().max(1.0),
            ocr.height as f32 / rect.height().max(1.0),
        );
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "pixel coordinates of a rectangle inside the image"
        )]
        let px = |v: f32| v.max(0.0).round() as u32;
        let r = [
            px((drag.min.x - rect.min.x) * kx),
            px((drag.min.y - rect.min.y) * ky),
            px(drag.width() * kx).max(1),
            px(drag.height() * ky).max(1),
        ];
        range_in_rect(doc, self.page, r)
    }
}
