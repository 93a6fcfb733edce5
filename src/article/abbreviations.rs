//! Known abbreviations: whether a period after a word can end a sentence, by the kind of word.

use super::{is_capital, is_opener, is_space};

/// How a period after a word behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Abbr {
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
pub(super) fn starter_word(chars: &[char], k: usize, be: usize) -> bool {
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
pub(super) fn abbreviation(chars: &[char], bs: usize, p: usize) -> Abbr {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The kind of the word before the last period of `s`.
    fn kind(s: &str) -> Abbr {
        let chars: Vec<char> = s.chars().collect();
        let p = chars.iter().rposition(|&c| c == '.').unwrap();
        abbreviation(&chars, 0, p)
    }

    #[test]
    fn words_before_a_period_are_told_apart() {
        assert_eq!(kind("said Dr."), Abbr::Fixed);
        assert_eq!(kind("p. ej."), Abbr::Fixed);
        assert_eq!(kind("т. е."), Abbr::Fixed);
        assert_eq!(kind("No."), Abbr::Number);
        assert_eq!(kind("в 2022 г."), Abbr::Number);
        assert_eq!(kind("в г."), Abbr::Fixed);
        assert_eq!(kind("by A."), Abbr::Initial);
        assert_eq!(kind("the U.S."), Abbr::Initial);
        assert_eq!(kind("Groza-S."), Abbr::Word);
        assert_eq!(kind("и т.д."), Abbr::Word);
        assert_eq!(kind("radios."), Abbr::Word);
        assert_eq!(kind("2019."), Abbr::Word);
    }

    #[test]
    fn dotted_entries_match_whole_parts_only() {
        assert!(dotted_suffix("p.ej", "p.ej"));
        assert!(dotted_suffix("x.p.ej", "p.ej"));
        assert!(!dotted_suffix("xp.ej", "p.ej"));
    }

    #[test]
    fn sentence_openers_are_whole_words_and_not_initials() {
        let starts = |s: &str| starter_word(&s.chars().collect::<Vec<_>>(), 0, s.chars().count());
        assert!(starts("The minister"));
        assert!(!starts("Theory"));
        assert!(!starts("T. Smith"));
    }
}
