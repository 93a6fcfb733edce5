//! Where a quote is on its page image: the boxes of the OCR words it covers.

use crate::model::{Document, OcrPage, OcrWord};

/// A quote's place on a page image: its page (1-based), the words' boxes and their union, in
/// pixels of the page image OCR read (`width` × `height`).
#[derive(Clone, Debug, PartialEq)]
pub struct QuoteBoxes {
    /// The page, 1-based.
    pub page: usize,
    /// The box of each word the quote covers, `[x, y, w, h]`.
    pub words: Vec<[u32; 4]>,
    /// The union of the word boxes, `[x, y, w, h]`.
    pub union: [u32; 4],
    /// Width of the page image the boxes are in.
    pub width: u32,
    /// Height of the page image.
    pub height: u32,
    /// Resolution of the page image (`None`: an image file's own pixels).
    pub dpi: Option<u32>,
}

impl QuoteBoxes {
    /// The union box in the pixel space of the page rendered at `dpi` (findings use 300 dpi,
    /// the OCR raster); an image file's boxes stay in its own pixels.
    pub fn union_at(&self, dpi: u32) -> [u32; 4] {
        match self.dpi {
            Some(own) if own != dpi && own > 0 => {
                let k = f64::from(dpi) / f64::from(own);
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "pixel coordinates"
                )]
                self.union.map(|v| (f64::from(v) * k).round() as u32)
            }
            _ => self.union,
        }
    }
}

/// The page and OCR boxes of the chars `start..end` (offsets into the document's text); `None`
/// when the quote is not on an OCR'd page or covers no word.
pub fn quote_boxes(doc: &Document, start: usize, end: usize) -> Option<QuoteBoxes> {
    let ranges = doc.page_ranges();
    let (index, &(page_start, page_end)) = ranges
        .iter()
        .enumerate()
        .find(|(_, (a, b))| start >= *a && start <= *b)?;
    let ocr: &OcrPage = doc.pages.get(index)?.ocr.as_deref()?;
    let (a, b) = (
        start - page_start,
        end.min(page_end).saturating_sub(page_start),
    );
    let words: Vec<[u32; 4]> = ocr
        .words
        .iter()
        .filter(|w| overlaps(w, a, b))
        .map(|w| [w.x, w.y, w.w, w.h])
        .collect();
    let union = union(&words)?;
    Some(QuoteBoxes {
        page: index + 1,
        words,
        union,
        width: ocr.width,
        height: ocr.height,
        dpi: ocr.dpi,
    })
}

fn overlaps(w: &OcrWord, a: usize, b: usize) -> bool {
    let (ws, we) = (w.start as usize, w.end as usize);
    ws < b.max(a + 1) && we > a
}

/// The smallest box holding all of `boxes`.
pub fn union(boxes: &[[u32; 4]]) -> Option<[u32; 4]> {
    let first = boxes.first()?;
    let (mut x0, mut y0, mut x1, mut y1) =
        (first[0], first[1], first[0] + first[2], first[1] + first[3]);
    for b in &boxes[1..] {
        x0 = x0.min(b[0]);
        y0 = y0.min(b[1]);
        x1 = x1.max(b[0] + b[2]);
        y1 = y1.max(b[1] + b[3]);
    }
    Some([x0, y0, x1 - x0, y1 - y0])
}

/// The char range (offsets into the document's text) of the OCR words of page `page`
/// (1-based) whose boxes meet the rectangle `[x, y, w, h]` (page image pixels): what a drag
/// over the page image selects.
pub fn range_in_rect(doc: &Document, page: usize, rect: [u32; 4]) -> Option<(usize, usize)> {
    let ranges = doc.page_ranges();
    let &(page_start, _) = ranges.get(page.checked_sub(1)?)?;
    let ocr = doc.pages.get(page - 1)?.ocr.as_deref()?;
    let [rx, ry, rw, rh] = rect;
    let hit: Vec<&OcrWord> = ocr
        .words
        .iter()
        .filter(|w| w.x < rx + rw && w.x + w.w > rx && w.y < ry + rh && w.y + w.h > ry)
        .collect();
    let start = hit.iter().map(|w| w.start).min()?;
    let end = hit.iter().map(|w| w.end).max()?;
    Some((page_start + start as usize, page_start + end as usize))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Page, PageSource};

    fn scanned() -> Document {
        // Page 1: a text layer; page 2: "Groza-S 2021" read by OCR.
        let word = |start, end, x| OcrWord {
            start,
            end,
            x,
            y: 100,
            w: 50,
            h: 20,
            conf: 90.0,
        };
        Document {
            text: "first\u{c}Groza-S 2021".into(),
            pages: vec![
                Page::new(PageSource::PdfText),
                Page {
                    source: PageSource::Ocr,
                    ocr: Some(Arc::new(OcrPage {
                        width: 1000,
                        height: 1400,
                        dpi: Some(150),
                        words: vec![word(0, 7, 10), word(8, 12, 80)],
                        ..OcrPage::default()
                    })),
                    label: None,
                },
            ],
            ..Document::default()
        }
    }

    #[test]
    fn a_quote_is_boxed_by_its_words_on_its_page() {
        let doc = scanned();
        let q = quote_boxes(&doc, 6, 18).unwrap();
        assert_eq!(q.page, 2);
        assert_eq!(q.words, [[10, 100, 50, 20], [80, 100, 50, 20]]);
        assert_eq!(q.union, [10, 100, 120, 20]);
        assert_eq!(q.union_at(300), [20, 200, 240, 40], "in the 300 dpi space");
        let one = quote_boxes(&doc, 14, 18).unwrap();
        assert_eq!(one.words, [[80, 100, 50, 20]]);
        assert_eq!(
            quote_boxes(&doc, 0, 5),
            None,
            "a text-layer page has no OCR boxes"
        );
    }

    #[test]
    fn a_rectangle_on_the_page_selects_the_words_under_it() {
        let doc = scanned();
        assert_eq!(range_in_rect(&doc, 2, [0, 90, 70, 40]), Some((6, 13)));
        assert_eq!(range_in_rect(&doc, 2, [0, 90, 200, 40]), Some((6, 18)));
        assert_eq!(range_in_rect(&doc, 2, [0, 500, 200, 40]), None);
        assert_eq!(range_in_rect(&doc, 1, [0, 0, 999, 999]), None);
    }
}
