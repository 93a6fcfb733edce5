//! Save view as PNG, the whole view: a view larger than its window (a matrix with many
//! documents, a long entity list) is shown tile by tile — its scroll area moved to each offset,
//! scroll bars hidden — and each frame's screenshot pasted into one image, so the file holds
//! all of the view, not the part that was on screen.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::{Color32, ColorImage, Rect, ScrollArea, Ui, Vec2};

/// A view's scroll area as a frame showed it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScrollFrame {
    /// Where on the screen the content is.
    pub inner_rect: Rect,
    /// The whole content's size.
    pub content_size: Vec2,
    /// The offset it was shown at.
    pub offset: Vec2,
}

fn offset_id() -> egui::Id {
    egui::Id::unique("doctriage-view-capture-offset")
}

fn frame_id() -> egui::Id {
    egui::Id::unique("doctriage-view-scroll-frame")
}

/// Shows a view's scroll area; while the view is captured, at the tile's offset without scroll
/// bars. What it showed is kept for [`last_scroll_frame`].
pub fn view_scroll_area<R>(ui: &mut Ui, area: ScrollArea, add: impl FnOnce(&mut Ui) -> R) -> R {
    let capture: Option<Vec2> = ui.ctx().data(|d| d.get_temp(offset_id()));
    let area = match capture {
        Some(offset) => area
            .scroll_offset(offset)
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysHidden),
        None => area,
    };
    let out = area.show(ui, add);
    let frame = ScrollFrame {
        inner_rect: out.inner_rect,
        content_size: out.content_size,
        offset: out.state.clamped_offset(),
    };
    ui.ctx()
        .data_mut(|d| d.insert_temp::<Option<ScrollFrame>>(frame_id(), Some(frame)));
    out.inner
}

/// Forgets the last frame's scroll area (a view without one leaves none).
pub fn clear_scroll_frame(ctx: &egui::Context) {
    // Not removed but emptied: the temp store removes only values with a default.
    ctx.data_mut(|d| d.insert_temp::<Option<ScrollFrame>>(frame_id(), None));
}

/// The scroll area the last view drawn showed, if it has one.
pub fn last_scroll_frame(ctx: &egui::Context) -> Option<ScrollFrame> {
    ctx.data(|d| d.get_temp::<Option<ScrollFrame>>(frame_id()))
        .flatten()
}

/// The offsets that cover `content` with viewports of `viewport` (the last one flush with the end).
pub fn tile_offsets(content: Vec2, viewport: Vec2) -> Vec<Vec2> {
    let axis = |content: f32, view: f32| -> Vec<f32> {
        let max = (content - view).max(0.0);
        if view <= 1.0 || max <= 0.5 {
            return vec![0.0];
        }
        let mut v: Vec<f32> = Vec::new();
        let mut at = 0.0;
        while at < max {
            v.push(at);
            at += view;
        }
        v.push(max);
        v
    };
    let xs = axis(content.x, viewport.x);
    let ys = axis(content.y, viewport.y);
    ys.iter()
        .flat_map(|&y| xs.iter().map(move |&x| Vec2::new(x, y)))
        .collect()
}

/// A whole-view PNG being made, a tile per frame.
pub struct ViewCapture {
    path: PathBuf,
    tiles: Vec<Vec2>,
    /// The next tile to show.
    next: usize,
    /// A tile shown and its screenshot asked for: (tile, the view's rect, its scroll area).
    waiting: Option<(usize, Rect, Option<ScrollFrame>)>,
    arrived: Arc<Mutex<Option<ColorImage>>>,
    canvas: Option<Canvas>,
    /// Where the analyst had scrolled to (put back at the end).
    restore: Option<Vec2>,
    ppp: f32,
}

struct Canvas {
    image: ColorImage,
    /// The view's top left corner on screen, in points.
    origin: egui::Pos2,
}

impl ViewCapture {
    /// Starts capturing the view last drawn (with its scroll area, if it has one).
    pub fn start(ctx: &egui::Context, path: PathBuf) -> Self {
        let scroll = last_scroll_frame(ctx);
        let tiles = scroll.map_or_else(
            || vec![Vec2::ZERO],
            |f| tile_offsets(f.content_size, f.inner_rect.size()),
        );
        Self {
            path,
            tiles,
            next: 0,
            waiting: None,
            arrived: Arc::default(),
            canvas: None,
            restore: scroll.map(|f| f.offset),
            ppp: ctx.pixels_per_point(),
        }
    }

    /// Before the views are drawn: takes in a tile that arrived and sets the offset of the next.
    /// `Some` once the image is written (or failed).
    pub fn before_draw(&mut self, ctx: &egui::Context) -> Option<Result<PathBuf, String>> {
        if let Some((tile, rect, scroll)) = self.waiting {
            let image = self.arrived.lock().ok().and_then(|mut a| a.take());
            let Some(image) = image else {
                ctx.request_repaint();
                return None;
            };
            self.waiting = None;
            self.paste(tile, rect, scroll, &image);
        }
        if let Some(offset) = self.tiles.get(self.next) {
            ctx.data_mut(|d| d.insert_temp(offset_id(), *offset));
            ctx.request_repaint();
            return None;
        }
        // Every tile is in: the analyst's own offset back, and the file written.
        match self.restore {
            Some(offset) => ctx.data_mut(|d| {
                d.insert_temp(offset_id(), offset);
            }),
            None => Self::finish(ctx),
        }
        Some(self.write())
    }

    /// After the views were drawn: the screenshot of this frame is asked for.
    pub fn after_draw(&mut self, ctx: &egui::Context, view_rect: Option<Rect>) {
        if self.waiting.is_some() || self.next >= self.tiles.len() {
            return;
        }
        let Some(rect) = view_rect else {
            return;
        };
        let slot = Arc::clone(&self.arrived);
        let repaint = ctx.clone();
        ctx.request_screenshot(move |image| {
            if let Ok(mut s) = slot.lock() {
                *s = Some((*image).clone());
            }
            repaint.request_repaint();
        });
        self.waiting = Some((self.next, rect, last_scroll_frame(ctx)));
        self.next += 1;
    }

    /// The offset the capture left for one frame is dropped (called a frame after the end).
    pub fn finish(ctx: &egui::Context) {
        ctx.data_mut(|d| {
            d.remove_temp::<Vec2>(offset_id());
        });
    }

    fn paste(&mut self, tile: usize, rect: Rect, scroll: Option<ScrollFrame>, image: &ColorImage) {
        let ppp = self.ppp;
        if self.canvas.is_none() {
            // The view with its whole content: wider and taller by what did not fit.
            let extra = scroll.map_or(Vec2::ZERO, |f| {
                (f.content_size - f.inner_rect.size()).max(Vec2::ZERO)
            });
            let size = rect.size() + extra;
            let px = |v: f32| (v * ppp).round().max(1.0) as usize;
            let background = image
                .pixels
                .get(px(rect.center().y) * image.size[0] + px(rect.min.x + 2.0))
                .copied()
                .unwrap_or(Color32::WHITE);
            self.canvas = Some(Canvas {
                image: ColorImage::filled([px(size.x), px(size.y)], background),
                origin: rect.min,
            });
        }
        let Some(canvas) = self.canvas.as_mut() else {
            return;
        };
        if tile == 0 {
            blit(
                image,
                rect,
                rect.min - canvas.origin,
                ppp,
                &mut canvas.image,
            );
        }
        if let Some(f) = scroll {
            let at = f.inner_rect.min - canvas.origin + f.offset;
            blit(image, f.inner_rect, at, ppp, &mut canvas.image);
        }
    }

    fn write(&mut self) -> Result<PathBuf, String> {
        let canvas = self
            .canvas
            .take()
            .ok_or("nothing to save: the view was not drawn")?;
        let [w, h] = canvas.image.size;
        let whole = Rect::from_min_size(egui::Pos2::ZERO, Vec2::new(w as f32, h as f32));
        super::save_png(&canvas.image, whole, 1.0, &self.path)?;
        Ok(self.path.clone())
    }
}

/// Copies `src_rect` (points) of a screenshot into `dst` at `at` (points from its corner).
fn blit(src: &ColorImage, src_rect: Rect, at: Vec2, ppp: f32, dst: &mut ColorImage) {
    let px = |v: f32| (v * ppp).round().max(0.0) as usize;
    let [sw, sh] = src.size;
    let [dw, dh] = dst.size;
    let (x0, x1) = (px(src_rect.min.x).min(sw), px(src_rect.max.x).min(sw));
    let (y0, y1) = (px(src_rect.min.y).min(sh), px(src_rect.max.y).min(sh));
    let (dx, dy) = (px(at.x), px(at.y));
    for y in y0..y1 {
        let ty = dy + (y - y0);
        if ty >= dh {
            break;
        }
        for x in x0..x1 {
            let tx = dx + (x - x0);
            if tx >= dw {
                break;
            }
            if let Some(p) = src.pixels.get(y * sw + x) {
                dst.pixels[ty * dw + tx] = *p;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_content_and_end_flush() {
        assert_eq!(
            tile_offsets(Vec2::new(100.0, 50.0), Vec2::new(200.0, 80.0)),
            [Vec2::ZERO]
        );
        let t = tile_offsets(Vec2::new(500.0, 120.0), Vec2::new(200.0, 100.0));
        assert_eq!(
            t,
            [
                Vec2::new(0.0, 0.0),
                Vec2::new(200.0, 0.0),
                Vec2::new(300.0, 0.0),
                Vec2::new(0.0, 20.0),
                Vec2::new(200.0, 20.0),
                Vec2::new(300.0, 20.0),
            ]
        );
    }

    #[test]
    fn blit_copies_the_rect_to_its_place() {
        let mut src = ColorImage::filled([4, 4], Color32::BLACK);
        src.pixels[5] = Color32::RED; // (1, 1)
        let mut dst = ColorImage::filled([6, 6], Color32::WHITE);
        let r = Rect::from_min_max(egui::pos2(1.0, 1.0), egui::pos2(3.0, 3.0));
        blit(&src, r, Vec2::new(3.0, 2.0), 1.0, &mut dst);
        assert_eq!(dst.pixels[2 * 6 + 3], Color32::RED);
        assert_eq!(dst.pixels[2 * 6 + 4], Color32::BLACK);
        assert_eq!(dst.pixels[0], Color32::WHITE);
    }
}
