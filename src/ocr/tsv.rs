//! Tesseract's TSV output read into a page's text with the box and confidence of every word.
//!
//! The text is built from the words themselves (one space between the words of a line, a line
//! break between lines, a blank line between paragraphs), so every word knows its char range in
//! the page text and a quote can be boxed on the page image.

use crate::model::OcrWord;

/// A page read from TSV: its text and words (char offsets into the text).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TsvPage {
    /// The page text.
    pub text: String,
    /// Its words, in reading order.
    pub words: Vec<OcrWord>,
}

impl TsvPage {
    /// Mean word confidence (0–100), weighted by the words' lengths; `None` without words.
    pub fn confidence(&self) -> Option<f32> {
        mean_confidence(&self.words)
    }
}

/// Mean word confidence (0–100), weighted by the words' lengths; `None` without words.
pub fn mean_confidence(words: &[OcrWord]) -> Option<f32> {
    let mut sum = 0.0_f64;
    let mut weight = 0.0_f64;
    for w in words {
        let n = f64::from(w.end.saturating_sub(w.start).max(1));
        sum += f64::from(w.conf) * n;
        weight += n;
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a confidence between 0 and 100"
    )]
    (weight > 0.0).then(|| (sum / weight) as f32)
}

/// Parses tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height,
/// confidence, text). Rows that are not words, and empty words, are skipped; a form feed or
/// other control character in a word is dropped (a page text never holds a page break).
pub fn parse(tsv: &str) -> TsvPage {
    let mut page = TsvPage::default();
    let mut chars = 0_u32;
    let mut last: Option<(u32, u32, u32, u32)> = None;
    for line in tsv.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<i64>().unwrap_or(0);
        let text: String = cols[11..]
            .join(" ")
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let at = (
            clamp_u32(num(1)),
            clamp_u32(num(2)),
            clamp_u32(num(3)),
            clamp_u32(num(4)),
        );
        if let Some(prev) = last {
            let sep = if (prev.0, prev.1, prev.2) != (at.0, at.1, at.2) {
                "\n\n"
            } else if prev.3 != at.3 {
                "\n"
            } else {
                " "
            };
            page.text.push_str(sep);
            chars += u32::try_from(sep.chars().count()).unwrap_or(0);
        }
        last = Some(at);
        let n = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
        let conf = cols[10]
            .trim()
            .parse::<f32>()
            .unwrap_or(0.0)
            .clamp(0.0, 100.0);
        page.words.push(OcrWord {
            start: chars,
            end: chars + n,
            x: clamp_u32(num(6)),
            y: clamp_u32(num(7)),
            w: clamp_u32(num(8)),
            h: clamp_u32(num(9)),
            conf,
        });
        page.text.push_str(text);
        chars += n;
    }
    page
}

fn clamp_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t2480\t1200\t-1\t
4\t1\t1\t1\t1\t0\t154\t169\t1183\t41\t-1\t
5\t1\t1\t1\t1\t1\t154\t171\t146\t29\t96.5\tПисьмо
5\t1\t1\t1\t1\t2\t314\t178\t20\t22\t90\tо
5\t1\t1\t1\t2\t1\t154\t226\t278\t39\t80\tГроза-С
5\t1\t1\t1\t2\t2\t154\t226\t278\t39\t95\t 
5\t1\t2\t1\t1\t1\t154\t400\t100\t39\t50\t2020
";

    #[test]
    fn words_make_lines_and_paragraphs_and_know_their_offsets() {
        let page = parse(TSV);
        assert_eq!(page.text, "Письмо о\nГроза-С\n\n2020");
        let words: Vec<String> = page
            .words
            .iter()
            .map(|w| {
                page.text
                    .chars()
                    .skip(w.start as usize)
                    .take((w.end - w.start) as usize)
                    .collect()
            })
            .collect();
        assert_eq!(words, ["Письмо", "о", "Гроза-С", "2020"]);
        assert_eq!(
            (
                page.words[2].x,
                page.words[2].y,
                page.words[2].w,
                page.words[2].h
            ),
            (154, 226, 278, 39)
        );
        let c = page.confidence().unwrap();
        // (96.5×6 + 90×1 + 80×7 + 50×4) / 18
        assert!((c - 79.39).abs() < 0.01, "{c}");
        assert_eq!(parse("").confidence(), None);
    }
}
