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

use crate::model::{Article, Statement};

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
// Blocks: paragraphs, list items and quotes, without headings and rules

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

fn blocks(chars: &[char]) -> Vec<(usize, usize)> {
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

// ---------------------------------------------------------------------------------------------
// Sentences inside a block

fn split_block(chars: &[char], bs: usize, be: usize, out: &mut Vec<(usize, usize)>) {
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

/// How a period after a word behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abbr {
    /// An ordinary word (or `etc.`, `и т.д.`): ends before a capital.
    Word,
    /// A title or fixed abbreviation: never ends a sentence.
    Fixed,
    /// Precedes numbers: does not end before a digit.
    Number,
    /// An initial or an acronym: ends only before a sentence-opening word or an opening quote.
    Initial,
}

/// Never end a sentence (compared with the lower-cased word before the period).
const FIXED_WORDS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "messrs",
    "dr",
    "dra",
    "drs",
    "dres",
    "sr",
    "sra",
    "srta",
    "sres",
    "sras",
    "prof",
    "profa",
    "profs",
    "gen",
    "gral",
    "col",
    "cnel",
    "lt",
    "capt",
    "sgt",
    "cmdr",
    "adm",
    "rev",
    "hon",
    "st",
    "mt",
    "ft",
    "vs",
    "cf",
    "approx",
    "aprox",
    "ud",
    "uds",
    "lic",
    "ing",
    "arq",
    "sto",
    "sta",
    "excmo",
    "excma",
    "ej",
    "им",
    "ул",
    "пл",
    "пер",
    "просп",
    "тов",
    "напр",
    "см",
    "ср",
    "акад",
    "проф",
    "св",
    "гр",
];

/// Never end a sentence (compared with the lower-cased dotted chain before the period, spaces
/// removed: `p. ej` is `p.ej`).
const FIXED_DOTTED: &[&str] = &["e.g", "i.e", "p.ej", "т.е", "т.к", "т.н", "т.ч", "т.о"];

/// Ordinary words although they look like acronyms.
const WORD_DOTTED: &[&str] = &["т.д", "т.п", "и.т.д", "и.т.п", "и.др"];

/// Abbreviations that precede a number.
const NUMBER_WORDS: &[&str] = &[
    "no", "nos", "nº", "núm", "num", "nr", "art", "arts", "p", "pp", "pág", "págs", "pag", "vol",
    "vols", "fig", "figs", "ch", "cap", "sec", "secc", "tel", "ed", "стр", "ст", "п", "пп", "ч",
    "т", "рис", "табл", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "ene", "abr", "ago", "dic", "янв", "фев", "февр", "апр", "авг", "сент", "окт",
    "нояб", "дек",
];

/// Company suffixes and acronym halves that behave like initials.
const INITIAL_WORDS: &[&str] = &[
    "inc", "ltd", "corp", "co", "jr", "bros", "llc", "plc", "cía", "ee", "uu",
];

/// Words that commonly open a sentence (case-sensitive): after an initial or an acronym, one of
/// these means the period did end the sentence.
const STARTERS: &[&str] = &[
    // English
    "The",
    "A",
    "An",
    "In",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "However",
    "Meanwhile",
    "On",
    "At",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "For",
    "From",
    "To",
    "With",
    "By",
    "According",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Some",
    "Many",
    "Most",
    "Now",
    "Then",
    "Also",
    "Still",
    "Although",
    "Despite",
    "Such",
    "Other",
    "Officials",
    "What",
    "Why",
    "How",
    "Who",
    // Spanish
    "El",
    "La",
    "Los",
    "Las",
    "Lo",
    "Un",
    "Una",
    "Unos",
    "Unas",
    "En",
    "Sin",
    "Pero",
    "Según",
    "Además",
    "Por",
    "Para",
    "Con",
    "Este",
    "Esta",
    "Estos",
    "Estas",
    "Ese",
    "Esa",
    "Eso",
    "Es",
    "Se",
    "Su",
    "Sus",
    "Ahora",
    "Así",
    "Aunque",
    "Tras",
    "Desde",
    "Cuando",
    "Mientras",
    "Y",
    "Al",
    "Del",
    "No",
    "También",
    "Otro",
    "Otra",
    // Russian
    "В",
    "Во",
    "На",
    "Это",
    "Он",
    "Она",
    "Оно",
    "Они",
    "Мы",
    "Я",
    "Но",
    "По",
    "При",
    "Как",
    "Однако",
    "Также",
    "Кроме",
    "После",
    "До",
    "С",
    "Со",
    "Для",
    "Его",
    "Её",
    "Ее",
    "Их",
    "Там",
    "Так",
    "И",
    "А",
    "Эти",
    "Этот",
    "Эта",
    "Это",
    "Тем",
    "Поэтому",
    "Когда",
    "Если",
    "Не",
];

/// Whether the word starting at `k` is a common sentence opener (and not itself an initial).
fn starter_word(chars: &[char], k: usize, be: usize) -> bool {
    let end = (k..be).find(|&i| !chars[i].is_alphabetic()).unwrap_or(be);
    if end == k || (end < be && chars[end] == '.') {
        return false;
    }
    let word: String = chars[k..end].iter().collect();
    STARTERS.contains(&word.as_str())
}

/// `entry` is `chain` or a '.'-separated suffix of it.
fn dotted_suffix(chain: &str, entry: &str) -> bool {
    chain == entry
        || chain
            .strip_suffix(entry)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Classifies the word before the period at `p`.
fn abbreviation(chars: &[char], bs: usize, p: usize) -> Abbr {
    const LIMIT: usize = 24;
    // The letters right before the period.
    let mut ws = p;
    while ws > bs && chars[ws - 1].is_alphabetic() {
        ws -= 1;
    }
    if ws == p {
        return Abbr::Word;
    }
    // The token: letters and periods without spaces (`U.S`, `т.е`), bounded.
    let mut ts = p;
    while ts > bs && p - ts < LIMIT && (chars[ts - 1].is_alphabetic() || chars[ts - 1] == '.') {
        ts -= 1;
    }
    while ts < p && chars[ts] == '.' {
        ts += 1;
    }
    // The chain: the token plus earlier `x.` tokens separated by spaces (`p. ej` -> `p.ej`).
    let mut chain_rev: Vec<char> = Vec::new();
    let mut q = p;
    while q > bs && chain_rev.len() < LIMIT {
        let c = chars[q - 1];
        if c.is_alphabetic() || c == '.' {
            chain_rev.extend(c.to_lowercase());
            q -= 1;
        } else if is_space(c) && chain_rev.last().is_some_and(|l| l.is_alphabetic()) {
            let mut r = q - 1;
            while r > bs && is_space(chars[r - 1]) {
                r -= 1;
            }
            if r > bs && chars[r - 1] == '.' {
                q = r;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    let chain: String = chain_rev.iter().rev().collect();
    let chain = chain.trim_start_matches('.');
    let word: String = chars[ws..p].iter().collect::<String>().to_lowercase();
    let token_orig: String = chars[ts..p].iter().collect();
    let token = token_orig.to_lowercase();
    let dotted = token.contains('.');

    if FIXED_DOTTED.iter().any(|e| dotted_suffix(chain, e)) {
        return Abbr::Fixed;
    }
    if dotted && WORD_DOTTED.iter().any(|e| dotted_suffix(&token, e)) {
        return Abbr::Word;
    }
    if !dotted {
        if word == "г" || word == "гг" {
            // After a number it is the year (`2022 г.`), otherwise the city (`г. Минск`).
            let mut r = ws;
            while r > bs && is_space(chars[r - 1]) {
                r -= 1;
            }
            let after_number = r > bs && chars[r - 1].is_ascii_digit();
            return if after_number {
                Abbr::Number
            } else {
                Abbr::Fixed
            };
        }
        if FIXED_WORDS.contains(&word.as_str()) {
            return Abbr::Fixed;
        }
        if NUMBER_WORDS.contains(&word.as_str()) {
            return Abbr::Number;
        }
        if INITIAL_WORDS.contains(&word.as_str()) {
            return Abbr::Initial;
        }
        // A single capital letter standing alone: an initial (`A. Lukashenko`), not `Groza-S.`.
        let mut letters = token_orig.chars();
        if let (Some(c), None) = (letters.next(), letters.next()) {
            let before_ok = ts == bs || {
                let b = chars[ts - 1];
                is_space(b) || is_opener(b)
            };
            if is_capital(c) && before_ok {
                return Abbr::Initial;
            }
        }
        return Abbr::Word;
    }
    // Dotted acronym: two or more parts of one or two letters (`U.S`, `U.N`, `A.G`, `p.m`).
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() >= 2 && parts.iter().all(|s| (1..=2).contains(&s.chars().count())) {
        return Abbr::Initial;
    }
    Abbr::Word
}

// ---------------------------------------------------------------------------------------------
// Statement text and title

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

/// The text of a `# ` heading on the first non-blank line, if any.
fn title_of(chars: &[char]) -> Option<String> {
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
