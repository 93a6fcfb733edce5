//! Words OCR was unsure of (confidence under [`LOW_CONFIDENCE`]) marked in the viewer's text: a
//! subtle background and a thin underline, the text kept at a contrast of at least 4.5:1.

use egui::text::{ByteIndex, LayoutJob, LayoutSection, TextFormat};
use egui::{Color32, Stroke};

use crate::model::Document;

/// Words under this OCR confidence (0–100) are marked.
pub const LOW_CONFIDENCE: f32 = 60.0;

/// The background of an unsure word that has no other highlight.
pub fn low_confidence_background(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x4a, 0x30, 0x30)
    } else {
        Color32::from_rgb(0xf6, 0xe3, 0xe3)
    }
}

/// The text colour on it.
pub fn low_confidence_text(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(0xf4)
    } else {
        Color32::from_gray(0x10)
    }
}

fn underline_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xff, 0x8a, 0x80)
    } else {
        Color32::from_rgb(0xb0, 0x30, 0x30)
    }
}

/// The chars (relative to `chars.0`) of the OCR words under [`LOW_CONFIDENCE`] in the chars
/// `chars` of a document's text.
pub fn low_confidence_spans(doc: &Document, chars: (usize, usize)) -> Vec<(usize, usize)> {
    if doc.pages.iter().all(|p| p.ocr.is_none()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (page, (start, _)) in doc.pages.iter().zip(doc.page_ranges()) {
        let Some(ocr) = page.ocr.as_deref() else {
            continue;
        };
        for w in ocr.words.iter().filter(|w| w.conf < LOW_CONFIDENCE) {
            let (a, b) = (start + w.start as usize, start + w.end as usize);
            if b > chars.0 && a < chars.1 && a < b {
                out.push((a.max(chars.0) - chars.0, b.min(chars.1) - chars.0));
            }
        }
    }
    out
}

fn mark(format: &mut TextFormat, dark: bool) {
    if format.background == Color32::TRANSPARENT {
        format.background = low_confidence_background(dark);
        format.color = low_confidence_text(dark);
    }
    if format.underline == Stroke::NONE {
        format.underline = Stroke::new(1.0, underline_color(dark));
    }
}

/// Marks the chars `spans` of a layout job's text as unsure.
pub fn mark_low_confidence(job: &mut LayoutJob, spans: &[(usize, usize)], dark: bool) {
    if spans.is_empty() {
        return;
    }
    let text = &job.text;
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let last = offsets.len() - 1;
    let mut ranges: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(a, b)| (offsets[a.min(last)], offsets[b.min(last)]))
        .filter(|(a, b)| a < b)
        .collect();
    ranges.sort_unstable();
    let mut out = Vec::with_capacity(job.sections.len() + ranges.len() * 2);
    for sec in job.sections.drain(..) {
        let (s, e) = (sec.byte_range.start.0, sec.byte_range.end.0);
        let mut cuts = vec![s, e];
        for &(a, b) in &ranges {
            cuts.extend([a, b].into_iter().filter(|&c| c > s && c < e));
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (x, y) = (w[0], w[1]);
            let mut format = sec.format.clone();
            if ranges.iter().any(|&(a, b)| a <= x && y <= b) {
                mark(&mut format, dark);
            }
            out.push(LayoutSection {
                leading_space: if x == s { sec.leading_space } else { 0.0 },
                byte_range: ByteIndex(x)..ByteIndex(y),
                format,
            });
        }
    }
    job.sections = out;
}

#[cfg(test)]
mod tests {
    use super::super::text::contrast_ratio;
    use super::*;

    #[test]
    fn unsure_words_stay_readable_in_both_themes() {
        for dark in [false, true] {
            let ratio = contrast_ratio(low_confidence_text(dark), low_confidence_background(dark));
            assert!(ratio >= 4.5, "dark={dark}: {ratio:.2}");
        }
    }

    #[test]
    fn only_the_unsure_chars_are_marked() {
        let mut job = LayoutJob::default();
        job.append("Гроза 2021 ok", 0.0, TextFormat::default());
        mark_low_confidence(&mut job, &[(6, 10)], false);
        let marked: Vec<&str> = job
            .sections
            .iter()
            .filter(|s| s.format.background != Color32::TRANSPARENT)
            .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect();
        assert_eq!(marked, ["2021"]);
        assert_eq!(job.sections.len(), 3);
    }
}
