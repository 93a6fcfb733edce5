//! Splitting the article into statements.
//!
//! The article is plain text or light Markdown. A `# ` line at the very top is the title; other
//! heading lines (`## ...`), horizontal rules and blank lines are never part of a statement and
//! always end one. A list item (`- `, `* `, `+ `, `1. `) starts a new statement; a block quote's
//! `>` markers are not part of the text.
//!
//! Inside a block, a sentence ends at `.`, `?`, `!`, `…` or `...` (with any closing quotes or
//! brackets right after it, so `."`, `.”` and `.»` end after the quote) when whitespace follows
//! and the next character is an upper-case letter, a digit, or an opening quote, `(`, `[`, `¿`
//! or `¡`. A period followed by a lower-case letter, by another punctuation mark such as `-`, or
//! by no whitespace at all (`3.5`, `1.000.000`, `U.S.`) never ends a sentence.
//!
//! A single period after a known abbreviation is treated by kind:
//! - titles and fixed abbreviations never end a sentence: `Sr.`, `Sra.`, `Dr.`, `Dra.`, `Mr.`,
//!   `Mrs.`, `Ms.`, `Prof.`, `vs.`, `e.g.`, `i.e.`, `p. ej.`, `т.е.`, `т. е.`, `т.к.`, `им.`,
//!   `ул.`, and `г.` when it is not after a number (`г. Минск`, the city);
//! - number abbreviations do not end a sentence before a digit: `No. 42`, `Jan. 5`, `p. 7`,
//!   `2022 г. 15 ...`, `гг.`;
//! - initials and acronyms (`A. Lukashenko`, `А. Г. Лукашенко`, `U.S.`, `U.N.`, `EE. UU.`,
//!   `Inc.`, `Ltd.`) end a sentence only before a common sentence-opening word (`The`, `El`,
//!   `В`, ...) or an opening quote;
//! - everything else (`etc.`, `и т.д.`, `др.`) ends a sentence only before a capital, like any
//!   word.
//!
//! Every offset is in `char`s (Unicode scalar values), start inclusive, end exclusive.

mod abbreviations;
mod blocks;
mod sentences;

use crate::model::{Article, Statement};
use blocks::{blocks, title_of};
use sentences::split_block;

/// Splits an article into a title (a leading `# ` line) and statements `S1`, `S2`, ...
///
/// `statements[i]` is the sentence `split_sentences(text)[i]` with its whitespace runs collapsed
/// to one space (and block-quote `>` markers dropped), so [`statement_spans`] gives each
/// statement's place in the text.
pub fn parse_article(text: &str, sha256: String) -> Article {
    let chars: Vec<char> = text.chars().collect();
    let statements = split_sentences(text)
        .into_iter()
        .enumerate()
        .map(|(i, (s, e))| Statement {
            id: format!("S{}", i + 1),
            text: span_text(&chars, s, e),
        })
        .collect();
    Article {
        title: title_of(&chars),
        statements,
        sha256,
        text: text.to_owned(),
    }
}

/// The `char` spans (start inclusive, end exclusive) of each sentence of `text`, in order,
/// trimmed of surrounding whitespace. Headings, rules and list/quote markers are left out, and a
/// fragment without any letter or digit (only punctuation) is not a sentence.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (bs, be) in blocks(&chars) {
        split_block(&chars, bs, be, &mut out);
    }
    out
}

/// The `char` span of each statement of `article` in `article.text` (same order and length as
/// `article.statements` for an article made by [`parse_article`]).
pub fn statement_spans(article: &Article) -> Vec<(usize, usize)> {
    split_sentences(&article.text)
}

/// The statement whose text equals `text` once whitespace runs are collapsed to one space and
/// both are trimmed.
pub fn statement_by_text<'a>(article: &'a Article, text: &str) -> Option<&'a Statement> {
    let wanted = normalize_whitespace(text);
    article
        .statements
        .iter()
        .find(|s| normalize_whitespace(&s.text) == wanted)
}

/// The statement with this id (`S1`, `S2`, ...).
pub fn statement_by_id<'a>(article: &'a Article, id: &str) -> Option<&'a Statement> {
    article.statements.iter().find(|s| s.id == id.trim())
}

/// Collapses every run of whitespace (including newlines) to one space and trims both ends.
pub fn normalize_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_space(c) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Character classes

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Closing quotes and brackets that stay with the sentence they follow (`."`, `?»`, `.)`), and
/// Markdown emphasis markers (`.**`).
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '“' | '’' | '»' | '›' | ')' | ']' | '*' | '_'
    )
}

/// Characters that may open a sentence before its first letter.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '‹' | '„' | '‚' | '(' | '[' | '¿' | '¡'
    )
}

/// An upper-case letter, or a letter of a script without case.
fn is_capital(c: char) -> bool {
    c.is_alphabetic() && !c.is_lowercase()
}

// ---------------------------------------------------------------------------------------------
// Statement text

/// The sentence `chars[s..e]` with whitespace collapsed and block-quote markers at line starts
/// dropped.
fn span_text(chars: &[char], s: usize, e: usize) -> String {
    let mut raw = String::new();
    let mut line_start = false;
    for &c in &chars[s..e] {
        if c == '\n' {
            line_start = true;
            raw.push(c);
            continue;
        }
        if line_start {
            if is_space(c) {
                raw.push(c);
                continue;
            }
            if c == '>' {
                raw.push(' ');
                continue;
            }
            line_start = false;
        }
        raw.push(c);
    }
    normalize_whitespace(&raw)
}
