//! Image files (PNG, JPEG, TIFF with its pages, WebP, BMP) as paged documents: a scan is one
//! document with one page per image (a multi-page TIFF has several). Their text comes from OCR
//! ([`crate::ocr`]); until then every page is [`PageSource::Pending`] and the text is the empty
//! pages joined by form feeds.

use super::records::Parsed;
use crate::model::{Document, Page, PageSource};
use crate::ocr::raster::{self, ImageKind};

/// Extensions read as images.
pub const EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp"];

/// An image file as a document of pending pages; a file that is not a readable image is an
/// error with the reason.
pub(crate) fn parse_image(bytes: &[u8], base: &Document) -> Parsed {
    let fail = |e: String| Parsed {
        errors: vec![e],
        ..Parsed::default()
    };
    if bytes.is_empty() {
        return fail("empty file".into());
    }
    if ImageKind::sniff(bytes).is_none() {
        return fail("not an image file (its bytes are no PNG, JPEG, TIFF, WebP or BMP)".into());
    }
    let (kind, sizes) = match raster::image_pages(bytes, super::pdf::MAX_PAGES) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut doc = base.clone();
    doc.encoding = format!("{} image", kind.name());
    doc.title = super::records::file_name(&doc.path).to_owned();
    doc.pages = sizes
        .iter()
        .map(|_| Page::new(PageSource::Pending))
        .collect();
    doc.text = "\u{c}".repeat(sizes.len().saturating_sub(1));
    let big: Vec<String> = sizes
        .iter()
        .enumerate()
        .filter(|(_, (w, h))| u64::from(*w) * u64::from(*h) > raster::MAX_PIXELS)
        .map(|(i, (w, h))| format!("page {}: {w} × {h} px", i + 1))
        .collect();
    if !big.is_empty() {
        doc.warnings.push(format!(
            "larger than {} megapixels, downscaled for OCR and display ({})",
            raster::MAX_PIXELS / 1_000_000,
            big.join(", ")
        ));
    }
    if let Some((w, h)) = sizes.first() {
        doc.extra
            .insert("image size".into(), format!("{w} × {h} px"));
    }
    if kind == ImageKind::Tiff && sizes.len() > 1 {
        doc.extra
            .insert("image pages".into(), sizes.len().to_string());
    }
    for (key, value) in super::exif::metadata(bytes) {
        doc.extra.insert(key.to_owned(), value);
    }
    Parsed {
        documents: vec![doc],
        ..Parsed::default()
    }
}
