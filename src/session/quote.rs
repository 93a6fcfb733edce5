//! Quotes: the exact text between two offsets of a document, and finding a pasted quote in it.

use super::Quote;

/// The text between two char offsets, if they are inside the text.
pub fn quote_at(text: &str, start: usize, end: usize) -> Option<String> {
    if start > end {
        return None;
    }
    let mut it = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let s = it.nth(start)?;
    let e = if end == start {
        s
    } else {
        it.nth(end - start - 1)?
    };
    Some(text[s..e].to_owned())
}

/// A span of chars shrunk to its first and last non-whitespace char (a drag that starts on the
/// space before a word quotes the word, not the space); `None` when only whitespace is left.
pub fn trim_span(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let chars: Vec<char> = text
        .chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let first = chars.iter().position(|c| !c.is_whitespace())?;
    let last = chars.iter().rposition(|c| !c.is_whitespace())?;
    Some((start + first, start + last + 1))
}

/// A span of chars widened to whole words: a start inside a word moves back to the word's first
/// char, an end inside a word forward past its last (a drag that starts on "rtillery" quotes
/// "artillery"), then trimmed as [`trim_span`] does. Hyphens and apostrophes between letters
/// are inside a word (`Groza-S`, `l'armée`). `None` when only whitespace is left.
pub fn snap_to_words(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let (start, end) = trim_span(text, start, end)?;
    // Only the chars around the span are needed: a word is short.
    let from = start.saturating_sub(64);
    let window: Vec<char> = text.chars().skip(from).take(end - from + 64).collect();
    let at = |i: usize| window.get(i.wrapping_sub(from)).copied();
    let inside = |i: usize| -> bool {
        match at(i) {
            Some(c) if c.is_alphanumeric() => true,
            Some('-' | '\'' | '’') => {
                i > 0
                    && at(i - 1).is_some_and(char::is_alphanumeric)
                    && at(i + 1).is_some_and(char::is_alphanumeric)
            }
            _ => false,
        }
    };
    let mut a = start;
    while a > from && inside(a) && inside(a - 1) {
        a -= 1;
    }
    let mut b = end;
    while b > a && inside(b - 1) && inside(b) {
        b += 1;
    }
    Some((a, b))
}

/// Finds a quote in a document's text: the occurrence nearest to `near` (chars), else the first.
/// Whitespace differences (a quote pasted across a line break) are tolerated.
pub fn locate_quote(text: &str, quote: &str, near: Option<usize>) -> Option<Quote> {
    let quote = quote.trim();
    if quote.is_empty() {
        return None;
    }
    let mut spans: Vec<(usize, usize)> = text
        .match_indices(quote)
        .map(|(bs, m)| (bs, bs + m.len()))
        .collect();
    if spans.is_empty() {
        // Tolerate whitespace runs (a quote pasted across a line break): match word by word.
        let words: Vec<&str> = quote.split_whitespace().collect();
        for (bs, _) in text.match_indices(words[0]) {
            let mut pos = bs + words[0].len();
            let mut ok = true;
            for w in &words[1..] {
                let rest = &text[pos..];
                let trimmed = rest.trim_start();
                if trimmed.len() == rest.len() || !trimmed.starts_with(w) {
                    ok = false;
                    break;
                }
                pos += rest.len() - trimmed.len() + w.len();
            }
            if ok {
                spans.push((bs, pos));
            }
        }
    }
    let char_index = |byte: usize| text[..byte].chars().count();
    let (bs, be) = match near {
        Some(n) => spans
            .into_iter()
            .min_by_key(|&(bs, _)| char_index(bs).abs_diff(n))?,
        None => spans.into_iter().next()?,
    };
    let start = char_index(bs);
    Some(Quote::new(
        &text[bs..be],
        start,
        start + text[bs..be].chars().count(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapped(text: &str, part: &str, cut_start: usize, cut_end: usize) -> String {
        let start = text[..text.find(part).unwrap()].chars().count() + cut_start;
        let end = start + part.chars().count() - cut_start - cut_end;
        let (a, b) = snap_to_words(text, start, end).unwrap();
        text.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn a_drag_snaps_to_whole_words() {
        let text = "order of state-of-the-art artillery aiming equipment (Гроза-С), l'armée.";
        // Starting inside "order", ending inside "equipment".
        assert_eq!(
            snapped(text, "order of state", 2, 0),
            "order of state-of-the-art"
        );
        assert_eq!(
            snapped(text, "artillery aiming equipment", 1, 3),
            "artillery aiming equipment"
        );
        // Cyrillic, a hyphen inside the word, punctuation selected stays.
        assert_eq!(snapped(text, "Гроза-С)", 2, 0), "Гроза-С)");
        assert_eq!(snapped(text, "l'armée", 3, 1), "l'armée");
        // Whole words and spaces around: only trimmed.
        assert_eq!(snapped(text, " aiming ", 0, 0), "aiming");
        assert_eq!(snap_to_words(text, 5, 6), None);
    }

    #[test]
    fn trim_span_drops_whitespace_at_both_ends_in_chars() {
        let text = "Звонок:  \n advanced stations\t ";
        let start = 7; // the first space after the colon
        let end = text.chars().count();
        let (a, b) = trim_span(text, start, end).unwrap();
        assert_eq!(quote_at(text, a, b).unwrap(), "advanced stations");
        assert_eq!((a, b), (11, 28));
        assert_eq!(trim_span(text, 7, 11), None, "only whitespace");
        assert_eq!(trim_span("abc", 0, 3), Some((0, 3)));
    }
}
