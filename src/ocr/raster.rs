//! Page images: PDF pages rendered by poppler's `pdftoppm`, image files decoded in process
//! (PNG, JPEG, TIFF with its pages, WebP, BMP), always to 8-bit grey, and written as PGM files
//! into a private temporary folder outside the cache for tesseract.
//!
//! A page above [`MAX_PIXELS`] is downscaled (with a warning), and decoding refuses images whose
//! buffers would pass [`MAX_DECODE_BYTES`], so a 30,000 × 30,000 image costs bounded memory.

use std::io::Cursor;
use std::path::Path;

use crate::tool::{TOOL_TIMEOUT, ToolError, run_tool};

/// Pages above this many pixels are downscaled for OCR and display.
pub const MAX_PIXELS: u64 = 100_000_000;
/// Most memory one image decode may allocate.
pub const MAX_DECODE_BYTES: u64 = 1 << 30;
/// The resolution PDF pages are rendered at for OCR (boxes in findings are in this space).
pub const OCR_DPI: u32 = 300;

/// An 8-bit grey page image.
#[derive(Clone, PartialEq, Eq)]
pub struct GrayImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major pixels, one byte each (0 black, 255 white).
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for GrayImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GrayImage({} × {})", self.width, self.height)
    }
}

impl GrayImage {
    /// The image as a binary PGM (P5) file.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    /// Reads a binary PGM (P5, 8-bit) as `pdftoppm -gray` writes it.
    pub fn from_pgm(bytes: &[u8]) -> Result<Self, String> {
        let (width, height, at) = pgm_header(bytes)?;
        let n = width as usize * height as usize;
        let pixels = bytes.get(at..at + n).ok_or("a truncated PGM")?.to_vec();
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// The image downscaled (keeping its aspect) so that its longer side is at most `max_side`.
    pub fn fit(&self, max_side: u32) -> GrayImage {
        let long = self.width.max(self.height);
        if long <= max_side || long == 0 {
            return self.clone();
        }
        let scale = f64::from(max_side) / f64::from(long);
        self.scaled(scale)
    }

    /// The image resized by `scale` (box filter when shrinking).
    fn scaled(&self, scale: f64) -> GrayImage {
        let Some(buf) = image::GrayImage::from_raw(self.width, self.height, self.pixels.clone())
        else {
            return self.clone();
        };
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a positive size no bigger than the original"
        )]
        let (w, h) = (
            ((f64::from(self.width) * scale).round() as u32).max(1),
            ((f64::from(self.height) * scale).round() as u32).max(1),
        );
        let small = image::imageops::thumbnail(&buf, w, h);
        GrayImage {
            width: w,
            height: h,
            pixels: small.into_raw(),
        }
    }
}

/// A binary 8-bit PGM's width, height and where its pixels start.
fn pgm_header(bytes: &[u8]) -> Result<(u32, u32, usize), String> {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes.get(at) == Some(&b'#') {
            while at < bytes.len() && bytes[at] != b'\n' {
                at += 1;
            }
            continue;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if start == at {
            return Err("a truncated PGM header".into());
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    let num = |i: usize| fields[i].parse::<u32>().map_err(|_| "a bad PGM header");
    if fields[0] != "P5" || num(3)? != 255 {
        return Err("not an 8-bit binary PGM".into());
    }
    Ok((num(1)?, num(2)?, at + 1))
}

/// The pixel size of a PGM file, from its header alone.
pub fn pgm_size(path: &Path) -> Option<(u32, u32)> {
    use std::io::Read as _;
    let mut head = [0_u8; 128];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    pgm_header(&head[..n]).ok().map(|(w, h, _)| (w, h))
}

/// The image formats read as paged documents, by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// TIFF (little- or big-endian, classic or BigTIFF), possibly with several pages.
    Tiff,
    /// WebP.
    Webp,
    /// Windows bitmap.
    Bmp,
}

impl ImageKind {
    /// The format of these bytes, if they are one of ours.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"II*\0")
            || bytes.starts_with(b"MM\0*")
            || bytes.starts_with(b"II+\0")
            || bytes.starts_with(b"MM\0+")
        {
            Some(Self::Tiff)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if bytes.starts_with(b"BM") {
            Some(Self::Bmp)
        } else {
            None
        }
    }

    /// Its name as the viewer shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Tiff => "TIFF",
            Self::Webp => "WebP",
            Self::Bmp => "BMP",
        }
    }

    fn format(self) -> image::ImageFormat {
        match self {
            Self::Png => image::ImageFormat::Png,
            Self::Jpeg => image::ImageFormat::Jpeg,
            Self::Tiff => image::ImageFormat::Tiff,
            Self::Webp => image::ImageFormat::WebP,
            Self::Bmp => image::ImageFormat::Bmp,
        }
    }
}

/// The pixel size of each page of an image file (a TIFF may have several), at most `max_pages`
/// of them; without decoding the pixels.
pub fn image_pages(bytes: &[u8], max_pages: usize) -> Result<(ImageKind, Vec<(u32, u32)>), String> {
    let kind = ImageKind::sniff(bytes).ok_or("not an image file (unknown signature)")?;
    if kind == ImageKind::Tiff {
        let mut dec = tiff::decoder::Decoder::new(Cursor::new(bytes))
            .map_err(|e| format!("not a readable TIFF: {e}"))?;
        let mut sizes = vec![
            dec.dimensions()
                .map_err(|e| format!("a bad TIFF page: {e}"))?,
        ];
        while dec.more_images() && sizes.len() < max_pages {
            if dec.next_image().is_err() {
                break;
            }
            match dec.dimensions() {
                Ok(d) => sizes.push(d),
                Err(_) => break,
            }
        }
        return Ok((kind, sizes));
    }
    let reader = image::ImageReader::with_format(Cursor::new(bytes), kind.format());
    let size = reader
        .into_dimensions()
        .map_err(|e| format!("not a readable {} image: {e}", kind.name()))?;
    Ok((kind, vec![size]))
}

/// Decodes page `page` (0-based) of an image file to grey, downscaled above [`MAX_PIXELS`]
/// (the second value says so).
pub fn decode_image_page(bytes: &[u8], page: usize) -> Result<(GrayImage, bool), String> {
    let kind = ImageKind::sniff(bytes).ok_or("not an image file (unknown signature)")?;
    let patched;
    let input: &[u8] = if kind == ImageKind::Tiff && page > 0 {
        patched = tiff_starting_at(bytes, page)?;
        &patched
    } else {
        bytes
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(input), kind.format());
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => format!(
            "the image is too large to decode in {} MiB",
            MAX_DECODE_BYTES >> 20
        ),
        e => format!("not a readable {} image: {e}", kind.name()),
    })?;
    let gray = img.into_luma8();
    let out = GrayImage {
        width: gray.width(),
        height: gray.height(),
        pixels: gray.into_raw(),
    };
    let pixels = u64::from(out.width) * u64::from(out.height);
    if pixels > MAX_PIXELS {
        #[expect(clippy::cast_precision_loss, reason = "a ratio of pixel counts")]
        let scale = (MAX_PIXELS as f64 / pixels as f64).sqrt();
        Ok((out.scaled(scale), true))
    } else {
        Ok((out, false))
    }
}

/// The TIFF's bytes with its header pointing at page `page`'s directory, so that a decoder that
/// reads the first page reads that one.
fn tiff_starting_at(bytes: &[u8], page: usize) -> Result<Vec<u8>, String> {
    let mut dec = tiff::decoder::Decoder::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable TIFF: {e}"))?;
    dec.seek_to_image(page)
        .map_err(|e| format!("the TIFF has no page {}: {e}", page + 1))?;
    let ptr = dec.ifd_pointer().ok_or("the TIFF page has no directory")?.0;
    let mut out = bytes.to_vec();
    let little = out.starts_with(b"II");
    let big_tiff = out.get(2..4) == Some(if little { &[43, 0] } else { &[0, 43] });
    if big_tiff {
        let b = if little {
            ptr.to_le_bytes()
        } else {
            ptr.to_be_bytes()
        };
        out.get_mut(8..16)
            .ok_or("a truncated TIFF")?
            .copy_from_slice(&b);
    } else {
        let p = u32::try_from(ptr).map_err(|_| "a bad TIFF offset")?;
        let b = if little {
            p.to_le_bytes()
        } else {
            p.to_be_bytes()
        };
        out.get_mut(4..8)
            .ok_or("a truncated TIFF")?
            .copy_from_slice(&b);
    }
    Ok(out)
}

/// The size of page `page` (1-based) of a PDF in points (`pdfinfo -f N -l N`).
pub fn pdf_page_size(bytes: &[u8], page: usize) -> Option<(f64, f64)> {
    let n = page.to_string();
    let out = run_tool("pdfinfo", &["-f", &n, "-l", &n, "-"], bytes, TOOL_TIMEOUT).ok()?;
    let text = String::from_utf8_lossy(&out);
    text.lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
        .find_map(|l| {
            let rest = l.split_once("size:")?.1;
            let mut nums = rest
                .split_whitespace()
                .filter_map(|w| w.parse::<f64>().ok());
            Some((nums.next()?, nums.next()?))
        })
}

/// The resolution at which a page of `size` points stays under [`MAX_PIXELS`], at most `dpi`.
pub fn dpi_for(size: (f64, f64), dpi: u32) -> u32 {
    let (w, h) = (size.0 / 72.0, size.1 / 72.0);
    let area = (w * h).max(1e-6);
    #[expect(clippy::cast_precision_loss, reason = "a pixel budget")]
    let most = (MAX_PIXELS as f64 / area).sqrt();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a small positive resolution"
    )]
    let most = most.floor().clamp(1.0, f64::from(u32::MAX)) as u32;
    dpi.min(most).max(1)
}

/// Renders page `page` (1-based) of a PDF to a grey PGM file at `path` (`pdftoppm`, the PDF on
/// its standard input).
pub fn render_pdf_page(bytes: &[u8], page: usize, dpi: u32, path: &Path) -> Result<(), ToolError> {
    let prefix = path.with_extension("");
    let prefix = prefix.to_string_lossy();
    let (p, r) = (page.to_string(), dpi.to_string());
    run_tool(
        "pdftoppm",
        &[
            "-r",
            &r,
            "-gray",
            "-f",
            &p,
            "-l",
            &p,
            "-singlefile",
            "-",
            &prefix,
        ],
        bytes,
        TOOL_TIMEOUT,
    )?;
    let written = Path::new(prefix.as_ref()).with_extension("pgm");
    if written != path {
        std::fs::rename(&written, path)
            .map_err(|e| ToolError::Failed("pdftoppm", e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgm_round_trips_and_bad_headers_are_refused() {
        let img = GrayImage {
            width: 3,
            height: 2,
            pixels: vec![0, 10, 20, 30, 40, 255],
        };
        assert_eq!(GrayImage::from_pgm(&img.to_pgm()), Ok(img.clone()));
        assert!(GrayImage::from_pgm(b"P5\n3 2\n255\n\x00").is_err());
        assert!(GrayImage::from_pgm(b"P6\n1 1\n255\n\x00\x00\x00").is_err());
        assert!(GrayImage::from_pgm(b"").is_err());
        let small = GrayImage {
            width: 400,
            height: 200,
            pixels: vec![128; 80_000],
        }
        .fit(100);
        assert_eq!((small.width, small.height), (100, 50));
    }

    #[test]
    fn signatures_name_the_format() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageKind::Png)
        );
        assert_eq!(ImageKind::sniff(b"II*\0...."), Some(ImageKind::Tiff));
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"hello, not an image"), None);
        assert!(image_pages(b"hello", 10).is_err());
    }

    #[test]
    fn a_tiff_page_is_decoded_by_pointing_the_header_at_it() {
        let mut bytes = Vec::new();
        {
            let mut enc = tiff::encoder::TiffEncoder::new(Cursor::new(&mut bytes)).unwrap();
            enc.write_image::<tiff::encoder::colortype::Gray8>(2, 1, &[1, 2])
                .unwrap();
            enc.write_image::<tiff::encoder::colortype::Gray8>(3, 1, &[7, 8, 9])
                .unwrap();
        }
        let (kind, sizes) = image_pages(&bytes, 10).unwrap();
        assert_eq!((kind, sizes), (ImageKind::Tiff, vec![(2, 1), (3, 1)]));
        let (first, _) = decode_image_page(&bytes, 0).unwrap();
        assert_eq!(first.pixels, [1, 2]);
        let (second, scaled) = decode_image_page(&bytes, 1).unwrap();
        assert_eq!((second.pixels, scaled), (vec![7, 8, 9], false));
        assert!(decode_image_page(&bytes, 2).is_err());
    }

    #[test]
    fn big_pages_get_a_lower_resolution() {
        assert_eq!(dpi_for((595.0, 842.0), 300), 300, "A4");
        let poster = dpi_for((72.0 * 100.0, 72.0 * 100.0), 300);
        assert_eq!(poster, 100, "a 100 × 100 inch page");
    }
}
