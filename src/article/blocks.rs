//! The blocks of an article: paragraphs, list items and block quotes, line by line, without
//! headings and rules; and the title (a leading `# ` line).

use super::{is_space, normalize_whitespace};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    Blank,
    /// A heading or a horizontal rule: never text.
    Skip,
    /// A list item whose text starts at the given index.
    Item(usize),
    /// A block-quote line whose text starts at the given index.
    Quote(usize),
    /// Ordinary text starting at the given index.
    Text(usize),
}

fn first_non_space(chars: &[char], from: usize, to: usize) -> usize {
    (from..to).find(|&i| !is_space(chars[i])).unwrap_or(to)
}

/// Number of `#` of a Markdown heading line starting at `fs` (1 to 6, followed by a space or
/// the end of the line), if it is one.
fn heading_level(chars: &[char], fs: usize, le: usize) -> Option<usize> {
    let hashes = (fs..le).take_while(|&i| chars[i] == '#').count();
    let after = fs + hashes;
    ((1..=6).contains(&hashes) && (after == le || is_space(chars[after]))).then_some(hashes)
}

fn classify_line(chars: &[char], ls: usize, le: usize) -> Line {
    let fs = first_non_space(chars, ls, le);
    if fs == le {
        return Line::Blank;
    }
    if heading_level(chars, fs, le).is_some() {
        return Line::Skip;
    }
    let c = chars[fs];
    // Horizontal rules and setext underlines: `---`, `***`, `___`, `===`.
    if matches!(c, '-' | '*' | '_' | '=') {
        let marks = (fs..le).filter(|&i| !is_space(chars[i])).count();
        if marks >= 3 && (fs..le).all(|i| is_space(chars[i]) || chars[i] == c) {
            return Line::Skip;
        }
    }
    if c == '>' {
        let mut i = fs;
        while i < le && (chars[i] == '>' || is_space(chars[i])) {
            i += 1;
        }
        return if i == le { Line::Blank } else { Line::Quote(i) };
    }
    if matches!(c, '-' | '*' | '+' | '•') && fs + 1 < le && is_space(chars[fs + 1]) {
        let content = first_non_space(chars, fs + 1, le);
        return if content == le {
            Line::Blank
        } else {
            Line::Item(content)
        };
    }
    let digits = (fs..le).take_while(|&i| chars[i].is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let m = fs + digits;
        if m + 1 < le && matches!(chars[m], '.' | ')') && is_space(chars[m + 1]) {
            let content = first_non_space(chars, m + 1, le);
            return if content == le {
                Line::Blank
            } else {
                Line::Item(content)
            };
        }
    }
    Line::Text(fs)
}

/// The `char` spans of the blocks of the text: paragraphs, list items and quotes (the text of
/// each, without its list or first quote marker).
pub(super) fn blocks(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // (start, end, is a quote)
    let mut cur: Option<(usize, usize, bool)> = None;
    let mut ls = 0;
    loop {
        let le = chars[ls..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| ls + p);
        match classify_line(chars, ls, le) {
            Line::Blank | Line::Skip => {
                if let Some((s, e, _)) = cur.take() {
                    out.push((s, e));
                }
            }
            Line::Item(start) => {
                if let Some((s, e, _)) = cur.take() {
                    out.push((s, e));
                }
                cur = Some((start, le, false));
            }
            Line::Quote(start) => match cur {
                Some((s, _, true)) => cur = Some((s, le, true)),
                other => {
                    if let Some((s, e, _)) = other {
                        out.push((s, e));
                    }
                    cur = Some((start, le, true));
                }
            },
            Line::Text(start) => match cur {
                Some((s, _, q)) => cur = Some((s, le, q)),
                None => cur = Some((start, le, false)),
            },
        }
        if le >= chars.len() {
            break;
        }
        ls = le + 1;
    }
    if let Some((s, e, _)) = cur {
        out.push((s, e));
    }
    out
}

/// The text of a `# ` heading on the first non-blank line, if any.
pub(super) fn title_of(chars: &[char]) -> Option<String> {
    let mut ls = 0;
    while ls < chars.len() {
        let le = chars[ls..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| ls + p);
        let fs = first_non_space(chars, ls, le);
        if fs < le {
            if heading_level(chars, fs, le) != Some(1) {
                return None;
            }
            let title: String = chars[fs + 1..le].iter().collect();
            let title = title.trim().trim_end_matches('#').trim();
            return (!title.is_empty()).then(|| normalize_whitespace(title));
        }
        ls = le + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Line {
        let chars: Vec<char> = s.chars().collect();
        classify_line(&chars, 0, chars.len())
    }

    #[test]
    fn lines_are_classified_by_their_markdown_marker() {
        assert!(matches!(line("   "), Line::Blank));
        assert!(matches!(line("## Background"), Line::Skip));
        assert!(matches!(line("---"), Line::Skip));
        assert!(matches!(line("* * *"), Line::Skip));
        assert!(matches!(line("- item"), Line::Item(2)));
        assert!(matches!(line("12. item"), Line::Item(4)));
        assert!(matches!(line("3) item"), Line::Item(3)));
        assert!(matches!(line("> > quoted"), Line::Quote(4)));
        assert!(matches!(line(">"), Line::Blank));
        assert!(matches!(line("-"), Line::Text(0)));
        assert!(matches!(line("#hashtag"), Line::Text(0)));
        assert!(matches!(line("1234. A year"), Line::Text(0)));
        assert!(matches!(line("  text"), Line::Text(2)));
    }

    #[test]
    fn blocks_end_at_blank_lines_headings_and_items() {
        let text = "First line\nsame block.\n\n## Head\n- one\n- two\n> quote\n> more";
        let chars: Vec<char> = text.chars().collect();
        let got: Vec<String> = blocks(&chars)
            .into_iter()
            .map(|(s, e)| chars[s..e].iter().collect())
            .collect();
        assert_eq!(
            got,
            ["First line\nsame block.", "one", "two", "quote\n> more"]
        );
    }

    #[test]
    fn the_title_is_a_level_one_heading_on_the_first_line() {
        let title = |s: &str| title_of(&s.chars().collect::<Vec<_>>());
        assert_eq!(
            title("\n  # The  Groza deal ##\nText."),
            Some("The Groza deal".into())
        );
        assert_eq!(title("## Not a title\nText."), None);
        assert_eq!(title("Text first.\n# Late heading"), None);
        assert_eq!(title("#\nText."), None);
    }
}
