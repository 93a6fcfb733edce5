//! Sentences inside a block: where a terminator group (`.`, `?!`, `."`) ends a sentence.

use super::abbreviations::{Abbr, abbreviation, starter_word};
use super::{is_capital, is_closer, is_opener, is_space, is_terminator};

/// Appends the sentences of the block `chars[bs..be]` to `out`.
pub(super) fn split_block(chars: &[char], bs: usize, be: usize, out: &mut Vec<(usize, usize)>) {
    let mut start = bs;
    let mut i = bs;
    while i < be {
        if is_terminator(chars[i]) {
            let mut j = i;
            while j < be && (is_terminator(chars[j]) || is_closer(chars[j])) {
                j += 1;
            }
            if is_boundary(chars, bs, be, i, j) {
                push_span(chars, start, j, out);
                start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_span(chars, start, be, out);
}

/// Whether `chars[i]` is a block-quote `>` marker: only spaces between it and the line start.
fn is_quote_marker(chars: &[char], i: usize) -> bool {
    if chars[i] != '>' {
        return false;
    }
    let mut r = i;
    while r > 0 && chars[r - 1] != '\n' {
        if i - r > 64 || !(is_space(chars[r - 1]) || chars[r - 1] == '>') {
            return false;
        }
        r -= 1;
    }
    true
}

/// The first index in `from..to` that is neither whitespace nor a block-quote marker.
fn next_content(chars: &[char], from: usize, to: usize) -> usize {
    (from..to)
        .find(|&i| !is_space(chars[i]) && !is_quote_marker(chars, i))
        .unwrap_or(to)
}

fn push_span(chars: &[char], s: usize, mut e: usize, out: &mut Vec<(usize, usize)>) {
    let s = next_content(chars, s, e);
    while e > s && is_space(chars[e - 1]) {
        e -= 1;
    }
    if chars[s..e].iter().any(|c| c.is_alphanumeric()) {
        out.push((s, e));
    }
}

/// Whether the terminator group `chars[rs..j]` (terminators, then closing quotes) ends a sentence.
fn is_boundary(chars: &[char], bs: usize, be: usize, rs: usize, j: usize) -> bool {
    if j >= be {
        return true;
    }
    if !is_space(chars[j]) {
        return false;
    }
    let k = next_content(chars, j, be);
    if k >= be {
        return true;
    }
    // What opens the next sentence.
    let mut m = k;
    let mut opener = false;
    let mut inverted = false;
    while m < be && (is_opener(chars[m]) || matches!(chars[m], '*' | '_')) {
        if matches!(chars[m], '¿' | '¡') {
            inverted = true;
        }
        if is_opener(chars[m]) {
            opener = true;
        }
        m += 1;
    }
    let next = chars.get(m).copied().filter(|_| m < be);
    let starts = inverted
        || next.is_some_and(|c| is_capital(c) || c.is_ascii_digit())
        || (opener && !next.is_some_and(char::is_lowercase));
    if !starts {
        return false;
    }
    // Only a lone period can belong to an abbreviation.
    if !(chars[rs] == '.' && j == rs + 1) {
        return true;
    }
    match abbreviation(chars, bs, rs) {
        Abbr::Word => true,
        Abbr::Fixed => false,
        Abbr::Number => !chars[k].is_ascii_digit(),
        Abbr::Initial => inverted || opener || starter_word(chars, k, be),
    }
}
