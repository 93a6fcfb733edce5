//! Markdown records shown rendered without changing a character: headings larger, `**strong**`
//! bold-coloured, `*emphasis*` in italics, `` `code` `` in monospace, quotes and list marks set
//! apart, and the syntax marks themselves faint. The text stays the record's text, so every
//! offset, quote and selection is the same as in the raw view (View ▸ Show Markdown as written).

use std::ops::Range;

use egui::text::{ByteIndex, LayoutJob, LayoutSection};
use egui::{Color32, FontId};

/// How a byte range of a Markdown text is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MdStyle {
    /// Syntax (`#`, `**`, `>`, a link's address): faint.
    Mark,
    /// A heading's text, level 1-6.
    Heading(u8),
    /// `**strong**` or `__strong__`.
    Strong,
    /// `*emphasis*` or `_emphasis_`.
    Emphasis,
    /// `` `code` ``.
    Code,
    /// A `>` quotation's text.
    Quote,
    /// A list item's bullet or number.
    Bullet,
    /// A link's text.
    Link,
}

/// The styled byte ranges of a Markdown text, in order, not overlapping.
pub fn markdown_styles(text: &str) -> Vec<(Range<usize>, MdStyle)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        line_styles(line, at, &mut out);
        at += line.len();
    }
    out
}

fn line_styles(line: &str, at: usize, out: &mut Vec<(Range<usize>, MdStyle)>) {
    let body = line.trim_end_matches(['\n', '\r']);
    let indent = body.len() - body.trim_start().len();
    let trimmed = &body[indent..];
    let start = at + indent;
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
        out.push((start..start + hashes + 1, MdStyle::Mark));
        let level = u8::try_from(hashes).unwrap_or(6);
        out.push((start + hashes + 1..at + body.len(), MdStyle::Heading(level)));
        return;
    }
    let first = trimmed.chars().next();
    let rule = matches!(first, Some('-' | '*' | '_'))
        && trimmed.chars().all(|c| Some(c) == first || c == ' ')
        && trimmed.chars().filter(|&c| Some(c) == first).count() >= 3;
    if rule {
        out.push((start..at + body.len(), MdStyle::Mark));
        return;
    }
    if let Some(rest) = trimmed.strip_prefix('>') {
        out.push((start..start + 1, MdStyle::Mark));
        let from = start + 1 + (rest.len() - rest.trim_start().len());
        out.push((from..at + body.len(), MdStyle::Quote));
        return;
    }
    let bullet = list_mark(trimmed);
    if bullet > 0 {
        out.push((start..start + bullet, MdStyle::Bullet));
    }
    inline_styles(&trimmed[bullet..], start + bullet, out);
}

/// The length of a list item's mark (`- `, `* `, `+ `, `12. `), 0 when the line is not one.
fn list_mark(s: &str) -> usize {
    if s.starts_with("- ") || s.starts_with("* ") || s.starts_with("+ ") {
        return 2;
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && s[digits..].starts_with(". ") {
        return digits + 2;
    }
    0
}

/// `**strong**`, `*emphasis*`, `` `code` ``, `[text](address)` within a line.
fn inline_styles(s: &str, at: usize, out: &mut Vec<(Range<usize>, MdStyle)>) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let found = match b[i] {
            b'`' => delimited(s, i, "`").map(|end| (1, end, MdStyle::Code)),
            b'*' | b'_' if s[i..].starts_with("**") || s[i..].starts_with("__") => {
                delimited(s, i, &s[i..i + 2]).map(|end| (2, end, MdStyle::Strong))
            }
            b'*' | b'_' if opens_emphasis(s, i) => {
                delimited(s, i, &s[i..i + 1]).map(|end| (1, end, MdStyle::Emphasis))
            }
            b'[' => link(s, i),
            _ => None,
        };
        match found {
            Some((mark, end, MdStyle::Link)) => {
                // `[` text `](address)`: the brackets and the address are marks.
                out.push((at + i..at + i + 1, MdStyle::Mark));
                out.push((at + i + 1..at + mark, MdStyle::Link));
                out.push((at + mark..at + end, MdStyle::Mark));
                i = end;
            }
            Some((mark, end, style)) => {
                out.push((at + i..at + i + mark, MdStyle::Mark));
                out.push((at + i + mark..at + end - mark, style));
                out.push((at + end - mark..at + end, MdStyle::Mark));
                i = end;
            }
            None => i += s[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
}

/// A single `*` or `_` opens emphasis when a word starts after it and no letter is before it
/// (`snake_case` is not emphasis).
fn opens_emphasis(s: &str, i: usize) -> bool {
    let before = s[..i].chars().next_back();
    let after = s[i + 1..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_some_and(|c| !c.is_whitespace())
}

/// The end (exclusive, after the closing delimiter) of a span opened by `delim` at `i`, on the
/// same line, with something inside.
fn delimited(s: &str, i: usize, delim: &str) -> Option<usize> {
    let inner = i + delim.len();
    let close = s.get(inner..)?.find(delim)?;
    (close > 0).then_some(inner + close + delim.len())
}

/// `[text](address)` at `i`: (offset of `]`, end) with the style Link.
fn link(s: &str, i: usize) -> Option<(usize, usize, MdStyle)> {
    let close = i + s[i..].find("](")?;
    let end = close + s[close..].find(')')? + 1;
    (close > i + 1).then_some((close, end, MdStyle::Link))
}

/// Restyles a laid-out text by its Markdown: sections are cut where a style starts or ends, and
/// take the style's font, colour or slant; backgrounds (the highlights) are kept.
pub fn apply_markdown(job: &mut LayoutJob, styles: &[(Range<usize>, MdStyle)], dark: bool) {
    if styles.is_empty() {
        return;
    }
    let sections = std::mem::take(&mut job.sections);
    let mut k = 0;
    for section in sections {
        let range = section.byte_range.start.0..section.byte_range.end.0;
        let mut pos = range.start;
        while pos < range.end {
            while k < styles.len() && styles[k].0.end <= pos {
                k += 1;
            }
            let (end, style) = match styles.get(k) {
                Some((r, st)) if r.start <= pos => (r.end.min(range.end), Some(*st)),
                Some((r, _)) => (r.start.min(range.end), None),
                None => (range.end, None),
            };
            let mut format = section.format.clone();
            if let Some(st) = style {
                restyle(&mut format, st, dark);
            }
            job.sections.push(LayoutSection {
                leading_space: if pos == range.start {
                    section.leading_space
                } else {
                    0.0
                },
                byte_range: ByteIndex(pos)..ByteIndex(end),
                format,
            });
            pos = end;
        }
    }
}

fn restyle(format: &mut egui::TextFormat, style: MdStyle, dark: bool) {
    let size = format.font_id.size;
    let strong = if dark { Color32::WHITE } else { Color32::BLACK };
    match style {
        MdStyle::Mark => format.color = format.color.gamma_multiply(0.45),
        MdStyle::Heading(level) => {
            let scale = match level {
                1 => 1.5,
                2 => 1.3,
                3 => 1.15,
                _ => 1.05,
            };
            format.font_id = FontId::proportional(size * scale);
            format.color = strong;
        }
        MdStyle::Strong => format.color = strong,
        MdStyle::Emphasis => format.italics = true,
        MdStyle::Code => format.font_id = FontId::monospace(size * 0.92),
        MdStyle::Quote => {
            format.italics = true;
            format.color = format.color.gamma_multiply(0.8);
        }
        MdStyle::Bullet => format.color = strong,
        MdStyle::Link => {
            format.color = if dark {
                Color32::from_rgb(0x8a, 0xb8, 0xff)
            } else {
                Color32::from_rgb(0x1a, 0x55, 0xb0)
            };
            format.underline = egui::Stroke::new(1.0, format.color);
        }
    }
}

/// True for a record written in Markdown (a `.md` or `.markdown` file).
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let file = lower.split('#').next().unwrap_or(&lower);
    file.ends_with(".md") || file.ends_with(".markdown")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(text: &str) -> Vec<(&str, MdStyle)> {
        markdown_styles(text)
            .into_iter()
            .map(|(r, st)| (&text[r], st))
            .collect()
    }

    #[test]
    fn headings_emphasis_code_quotes_lists_and_links() {
        let text = "# Note on Гроза-С\n\nThe **Groza-S** order, *withdrawn*, see `ref 12` and snake_case.\n> quoted line\n- item one\n12. item\n[the cable](cables/x.txt)\n---\n";
        assert_eq!(
            styled(text),
            [
                ("# ", MdStyle::Mark),
                ("Note on Гроза-С", MdStyle::Heading(1)),
                ("**", MdStyle::Mark),
                ("Groza-S", MdStyle::Strong),
                ("**", MdStyle::Mark),
                ("*", MdStyle::Mark),
                ("withdrawn", MdStyle::Emphasis),
                ("*", MdStyle::Mark),
                ("`", MdStyle::Mark),
                ("ref 12", MdStyle::Code),
                ("`", MdStyle::Mark),
                (">", MdStyle::Mark),
                ("quoted line", MdStyle::Quote),
                ("- ", MdStyle::Bullet),
                ("12. ", MdStyle::Bullet),
                ("[", MdStyle::Mark),
                ("the cable", MdStyle::Link),
                ("](cables/x.txt)", MdStyle::Mark),
                ("---", MdStyle::Mark),
            ]
        );
    }

    #[test]
    fn restyling_keeps_every_byte_and_the_highlights() {
        let text = "## Title\nA **bold** word.\n";
        let mut job = LayoutJob::default();
        let plain = egui::TextFormat::default();
        let marked = egui::TextFormat {
            background: Color32::YELLOW,
            ..egui::TextFormat::default()
        };
        // A highlight (a filter hit) on the strong word: restyled, it keeps its background.
        job.append(&text[..13], 0.0, plain.clone());
        job.append(&text[13..17], 0.0, marked);
        job.append(&text[17..], 0.0, plain);
        apply_markdown(&mut job, &markdown_styles(text), false);
        assert_eq!(job.text, text);
        let mut pos = 0;
        for s in &job.sections {
            assert_eq!(s.byte_range.start.0, pos);
            pos = s.byte_range.end.0;
        }
        assert_eq!(pos, text.len());
        let bold = job
            .sections
            .iter()
            .find(|s| &text[s.byte_range.start.0..s.byte_range.end.0] == "bold")
            .expect("the strong word is its own section");
        assert_eq!(bold.format.color, Color32::BLACK);
        let heading = &job.sections[1];
        assert_eq!(
            &text[heading.byte_range.start.0..heading.byte_range.end.0],
            "Title"
        );
        assert!(heading.format.font_id.size > 14.0 * 1.2);
        // The highlight background stays where it was.
        assert!(
            job.sections
                .iter()
                .filter(|s| s.format.background == Color32::YELLOW)
                .map(|s| s.byte_range.end.0 - s.byte_range.start.0)
                .sum::<usize>()
                == 4
        );
    }

    #[test]
    fn markdown_records_by_name() {
        assert!(is_markdown("notes/note.md"));
        assert!(is_markdown("notes/NOTE.Markdown"));
        assert!(!is_markdown("notes/note.txt"));
        assert!(!is_markdown("records/x.jsonl#2"));
    }
}
