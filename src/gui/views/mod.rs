//! The evidence views: the timeline, the evidence matrix, the entities and the coverage of the
//! article's statements. Core data in (the [`Session`], the [`Cache`], the suggestions), actions
//! out ([`ViewAction`]): the views never change the session themselves; a merge of two spellings
//! is a [`Command::MergeEntity`] the app applies (and its Undo reverts).
//!
//! Each view computes its data in plain functions without egui ([`timeline::timeline_marks`],
//! [`matrix::matrix_cells`], [`entities::entity_counts`], [`entities::entity_edges`],
//! [`coverage::coverage_rows`]) and draws it in a `*_ui` function.
//!
//! Hooking into the app: keep a [`ViewsState`] (it is serialisable: the view and its settings
//! can go in the saved preferences), call [`views_ui`] in a panel or window every frame, and carry
//! out each returned [`ViewAction`]:
//! - [`ViewAction::OpenDocument`]: select the document and scroll/flash the quote, if any;
//! - [`ViewAction::Apply`]: apply the command through the session editor (one undo step);
//! - [`ViewAction::SelectStatement`]: select the statement in the statements panel;
//! - [`ViewAction::SavePng`]: ask for a path, then call [`request_png`] with
//!   [`last_view_rect`] and poll the returned [`PngJob`] on later frames (or crop a screenshot
//!   yourself with [`save_png`]).

pub mod capture;
pub mod coverage;
pub mod entities;
pub mod matrix;
pub mod timeline;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::{Color32, ColorImage, Rect, RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::model::{Cache, Suggestions};
use crate::session::{ClaimStatus, Command, Relation, Session};

/// Which evidence view is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    /// Dated documents on a date axis, one lane per sender or equipment.
    #[default]
    Timeline,
    /// Statements × documents (or senders, or equipment), coloured by relation.
    Matrix,
    /// Senders, recipients, equipment, who sent what to whom, and the merge form.
    Entities,
    /// Statements ordered by what the reporting still lacks.
    Coverage,
}

impl ViewKind {
    /// Every view, in the order of the tabs.
    pub const ALL: [Self; 4] = [Self::Timeline, Self::Matrix, Self::Entities, Self::Coverage];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Timeline => "Timeline",
            Self::Matrix => "Evidence matrix",
            Self::Entities => "Entities",
            Self::Coverage => "Coverage",
        }
    }

    /// A file name for a PNG of this view (`doctriage-timeline.png`, ...).
    pub fn png_file_name(self) -> &'static str {
        match self {
            Self::Timeline => "doctriage-timeline.png",
            Self::Matrix => "doctriage-evidence-matrix.png",
            Self::Entities => "doctriage-entities.png",
            Self::Coverage => "doctriage-coverage.png",
        }
    }
}

/// What a view asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewAction {
    /// Open a document in the viewer, at a quote (chars, start inclusive, end exclusive) if any.
    OpenDocument {
        /// Document id.
        doc: String,
        /// The span to scroll to and highlight.
        quote: Option<(usize, usize)>,
    },
    /// Apply an edit of the session (as one undo step).
    Apply(Command),
    /// Select a statement (by id) in the statements panel.
    SelectStatement(String),
    /// Save the shown view as a PNG: ask for a path, then [`request_png`] with [`last_view_rect`].
    SavePng(ViewKind),
}

/// The state of the views: which one is shown and the settings of each (saved between runs),
/// plus what the last frame drew (not saved).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewsState {
    /// The view shown.
    pub kind: ViewKind,
    /// Timeline settings.
    pub timeline: timeline::TimelineSettings,
    /// Matrix settings.
    pub matrix: matrix::MatrixSettings,
    /// Entities settings and the merge form.
    pub entities: entities::EntitiesSettings,
    #[serde(skip)]
    pub(crate) frame: FrameData,
}

/// What the last frame drew: the view's rect and the timeline's data and mark positions.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FrameData {
    pub(crate) view_rect: Option<Rect>,
    pub(crate) timeline: timeline::TimelineFrame,
}

/// The screen rect (points) of the view drawn by the last call of [`views_ui`], if any.
pub fn last_view_rect(state: &ViewsState) -> Option<Rect> {
    state.frame.view_rect
}

/// The views: tabs, the "Save view as PNG…" button, and the chosen view below. Returns what the
/// user asked for this frame.
///
/// `suggestions` gives a document's suggestions when they are known (the timeline falls back on
/// them for undated documents, see [`timeline::document_date`]).
pub fn views_ui(
    ui: &mut Ui,
    state: &mut ViewsState,
    session: &Session,
    cache: &Cache,
    suggestions: &dyn Fn(&str) -> Option<Suggestions>,
) -> Vec<ViewAction> {
    let mut actions = Vec::new();
    capture::clear_scroll_frame(ui.ctx());
    ui.horizontal(|ui| {
        let label = ui.label("View:");
        ui.label_inputs_by(label.id, |ui| {
            for kind in ViewKind::ALL {
                if ui
                    .selectable_label(state.kind == kind, kind.label())
                    .clicked()
                {
                    state.kind = kind;
                }
            }
        });
        ui.separator();
        if ui
            .button("Save view as PNG…")
            .on_hover_text(
                "Write an image of the whole view (also what is scrolled out of sight) to a file",
            )
            .clicked()
        {
            actions.push(ViewAction::SavePng(state.kind));
        }
    });
    ui.separator();
    let inner = ui.scope(|ui| match state.kind {
        ViewKind::Timeline => {
            timeline::timeline_ui(ui, state, session, cache, suggestions, &mut actions)
        }
        ViewKind::Matrix => matrix::matrix_ui(ui, &mut state.matrix, session, cache, &mut actions),
        ViewKind::Entities => {
            entities::entities_ui(ui, &mut state.entities, session, cache, &mut actions)
        }
        ViewKind::Coverage => coverage::coverage_ui(ui, session, cache, &mut actions),
    });
    state.frame.view_rect = Some(inner.response.rect);
    actions
}

/// The colour of a relation (supports green, contradicts red, context blue).
pub fn relation_color(relation: Relation, dark: bool) -> Color32 {
    match (relation, dark) {
        (Relation::Supports, true) => Color32::from_rgb(0x4c, 0xc3, 0x6a),
        (Relation::Supports, false) => Color32::from_rgb(0x1e, 0x8a, 0x3c),
        (Relation::Contradicts, true) => Color32::from_rgb(0xf0, 0x5a, 0x5a),
        (Relation::Contradicts, false) => Color32::from_rgb(0xc8, 0x28, 0x28),
        (Relation::Context, true) => Color32::from_rgb(0x7a, 0xa7, 0xe0),
        (Relation::Context, false) => Color32::from_rgb(0x2a, 0x5c, 0xa8),
    }
}

/// The colour of a statement's standing (supported green, contested red, unsupported grey).
pub fn claim_color(status: ClaimStatus, dark: bool) -> Color32 {
    match status {
        ClaimStatus::Supported => relation_color(Relation::Supports, dark),
        ClaimStatus::Contested => relation_color(Relation::Contradicts, dark),
        ClaimStatus::Unsupported => Color32::from_gray(if dark { 150 } else { 120 }),
    }
}

/// At most `n` characters of `text`, with `…` when cut.
pub(crate) fn short(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        s.push('…');
    }
    s
}

/// A weak line of text (an empty view's explanation).
pub(crate) fn weak(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).weak());
}

/// Crops a screenshot to `rect` (points) and writes it as a PNG (8-bit RGBA, written atomically).
///
/// `pixels_per_point` is the scale the screenshot was taken at; the rect is clipped to the image.
pub fn save_png(
    image: &ColorImage,
    rect: Rect,
    pixels_per_point: f32,
    path: &Path,
) -> Result<(), String> {
    let bytes = png_bytes(image, rect, pixels_per_point)?;
    crate::fsutil::write_atomic(path, &bytes).map_err(|e| format!("cannot write the image: {e}"))
}

/// The PNG encoding of `image` cropped to `rect` (points).
pub fn png_bytes(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Result<Vec<u8>, String> {
    let [w, h] = image.size;
    if !(pixels_per_point.is_finite() && pixels_per_point > 0.0 && rect.is_finite()) {
        return Err("nothing to save: the view has no size".into());
    }
    let clamp = |v: f32, max: usize| (v * pixels_per_point).round().clamp(0.0, max as f32) as usize;
    let (x0, x1) = (clamp(rect.min.x, w), clamp(rect.max.x, w));
    let (y0, y1) = (clamp(rect.min.y, h), clamp(rect.max.y, h));
    if x1 <= x0 || y1 <= y0 || image.pixels.len() < w * h {
        return Err("nothing to save: the view is not on the screenshot".into());
    }
    let mut data = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        for px in &image.pixels[y * w + x0..y * w + x1] {
            data.extend_from_slice(&px.to_srgba_unmultiplied());
        }
    }
    let mut out = Vec::new();
    {
        let (cw, ch) = (u32::try_from(x1 - x0), u32::try_from(y1 - y0));
        let (Ok(cw), Ok(ch)) = (cw, ch) else {
            return Err("the image is too large".into());
        };
        let mut encoder = png::Encoder::new(&mut out, cw, ch);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| format!("cannot encode the image: {e}"))?;
        writer
            .write_image_data(&data)
            .map_err(|e| format!("cannot encode the image: {e}"))?;
        writer
            .finish()
            .map_err(|e| format!("cannot encode the image: {e}"))?;
    }
    Ok(out)
}

/// A PNG being saved: the screenshot arrives after the next frame is painted.
#[derive(Clone, Debug, Default)]
pub struct PngJob {
    result: Arc<Mutex<Option<Result<PathBuf, String>>>>,
}

impl PngJob {
    /// The outcome once the screenshot was taken and written (taken once: later calls give None).
    pub fn poll(&self) -> Option<Result<PathBuf, String>> {
        self.result.lock().ok().and_then(|mut r| r.take())
    }
}

/// Asks the integration for a screenshot of the next frame and writes `rect` (points, usually
/// [`last_view_rect`]) of it to `path` as a PNG. Poll the returned job on later frames.
pub fn request_png(ctx: &egui::Context, rect: Rect, path: PathBuf) -> PngJob {
    let job = PngJob::default();
    let slot = Arc::clone(&job.result);
    let ppp = ctx.pixels_per_point();
    let repaint = ctx.clone();
    ctx.request_screenshot(move |image| {
        let outcome = save_png(&image, rect, ppp, &path).map(|()| path);
        if let Ok(mut r) = slot.lock() {
            *r = Some(outcome);
        }
        repaint.request_repaint();
    });
    job
}
