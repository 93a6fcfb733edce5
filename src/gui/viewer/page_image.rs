//! The page images of paged documents for the viewer: PDF pages rendered by `pdftoppm` at
//! [`DISPLAY_DPI`] into a private temporary folder outside the cache, image files decoded in
//! process, both on the thread `doctriage-page`, downscaled to fit a texture and kept in a small
//! in-memory cache of textures. The cache folder is only read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::ocr::raster::{self, GrayImage, ImageKind};

/// The resolution PDF pages are shown at.
pub const DISPLAY_DPI: u32 = 110;
/// The longest side of a page texture, in pixels.
const MAX_SIDE: u32 = 2048;
/// How many page textures are kept.
const KEEP: usize = 8;

/// A page: (document id, 1-based page).
pub type PageKey = (String, usize);

/// A page image ready to draw.
pub struct PageTexture {
    /// The texture.
    pub texture: egui::TextureHandle,
    /// Its size in pixels.
    pub size: [u32; 2],
}

struct Request {
    key: PageKey,
    root: PathBuf,
    /// The document (its path, parent and hash say where its bytes are).
    doc: crate::model::Document,
}

struct Worker {
    tx: Sender<Request>,
    rx: Receiver<(PageKey, Result<GrayImage, String>)>,
}

/// The page images shown and being made.
#[derive(Default)]
pub struct PageImages {
    worker: Option<Worker>,
    /// Most recently used last.
    textures: Vec<(PageKey, PageTexture)>,
    requested: HashSet<PageKey>,
    failed: Vec<(PageKey, String)>,
}

/// What there is to show of a page.
pub enum PageState<'a> {
    /// The image.
    Ready(&'a PageTexture),
    /// Being made.
    Loading,
    /// It could not be made (why).
    Failed(String),
}

impl PageImages {
    /// The image of a page of a document (file `path` relative to `root`), asked for from the
    /// worker if it is not there yet.
    pub fn get(
        &mut self,
        ctx: &egui::Context,
        root: &Path,
        doc: &crate::model::Document,
        page: usize,
    ) -> PageState<'_> {
        self.take_done(ctx);
        let key: PageKey = (doc.id.clone(), page);
        if let Some((_, why)) = self.failed.iter().find(|(k, _)| *k == key) {
            return PageState::Failed(why.clone());
        }
        if let Some(i) = self.textures.iter().position(|(k, _)| *k == key) {
            let entry = self.textures.remove(i);
            self.textures.push(entry);
            return self
                .textures
                .last()
                .map_or(PageState::Loading, |(_, t)| PageState::Ready(t));
        }
        if !self.requested.contains(&key) {
            let request = Request {
                key: key.clone(),
                root: root.to_path_buf(),
                doc: crate::model::Document {
                    id: doc.id.clone(),
                    path: doc.path.clone(),
                    record: doc.record,
                    parent: doc.parent.clone(),
                    sha256: doc.sha256.clone(),
                    ..crate::model::Document::default()
                },
            };
            match self.worker(ctx) {
                Ok(w) if w.tx.send(request).is_ok() => {
                    self.requested.insert(key);
                }
                Ok(_) => {
                    self.worker = None;
                    self.failed
                        .push((key, "the page image thread stopped".to_owned()));
                }
                Err(e) => self
                    .failed
                    .push((key, format!("cannot start the page image thread: {e}"))),
            }
        }
        PageState::Loading
    }

    /// True when the page's image is ready.
    pub fn is_ready(&self, key: &PageKey) -> bool {
        self.textures.iter().any(|(k, _)| k == key)
    }

    fn worker(&mut self, ctx: &egui::Context) -> std::io::Result<&Worker> {
        if self.worker.is_none() {
            self.worker = Some(start_worker(ctx.clone())?);
        }
        self.worker
            .as_ref()
            .ok_or_else(|| std::io::Error::other("no page image thread"))
    }

    fn take_done(&mut self, ctx: &egui::Context) {
        let Some(w) = &self.worker else { return };
        let done: Vec<_> = w.rx.try_iter().collect();
        for (key, result) in done {
            self.requested.remove(&key);
            match result {
                Ok(img) => {
                    let image = egui::ColorImage::from_gray(
                        [img.width as usize, img.height as usize],
                        &img.pixels,
                    );
                    let texture = ctx.load_texture(
                        format!("page-{}-{}", key.0, key.1),
                        image,
                        egui::TextureOptions::LINEAR,
                    );
                    self.textures.push((
                        key,
                        PageTexture {
                            texture,
                            size: [img.width, img.height],
                        },
                    ));
                    if self.textures.len() > KEEP {
                        self.textures.remove(0);
                    }
                }
                Err(why) => self.failed.push((key, why)),
            }
        }
    }
}

fn start_worker(ctx: egui::Context) -> std::io::Result<Worker> {
    let (tx, requests) = channel::<Request>();
    let (done, rx) = channel();
    std::thread::Builder::new()
        .name("doctriage-page".into())
        .spawn(move || {
            let temp = tempfile::Builder::new()
                .prefix("doctriage-page-")
                .tempdir()
                .map_err(|e| format!("no private temporary folder for page images ({e})"));
            for req in requests {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    render(&req, temp.as_ref().map(tempfile::TempDir::path))
                }))
                .unwrap_or_else(|_| Err("internal error while making the page image".into()));
                if done.send((req.key, result)).is_err() {
                    return;
                }
                ctx.request_repaint();
            }
        })?;
    Ok(Worker { tx, rx })
}

/// The page's image, fit to a texture.
fn render(req: &Request, temp: Result<&Path, &String>) -> Result<GrayImage, String> {
    // A member (an attachment's PDF) is unpacked from its file again, in memory.
    let bytes =
        crate::ingest::document_bytes(&req.root, &req.doc, &crate::ingest::Limits::default())?;
    let page = req.key.1;
    let img = if ImageKind::sniff(&bytes).is_some() {
        raster::decode_image_page(&bytes, page.saturating_sub(1))?.0
    } else {
        let temp = temp.map_err(Clone::clone)?;
        if crate::fsutil::canonical(temp).starts_with(crate::fsutil::canonical(&req.root)) {
            return Err("the temporary folder is inside the cache folder".into());
        }
        let out = temp.join(format!("page-{page}.pgm"));
        raster::render_pdf_page(&bytes, page, DISPLAY_DPI, &out).map_err(|e| e.to_string())?;
        let pgm = std::fs::read(&out).map_err(|e| format!("cannot read the page image ({e})"));
        let _ = std::fs::remove_file(&out);
        GrayImage::from_pgm(&pgm?)?
    };
    Ok(img.fit(MAX_SIDE))
}
