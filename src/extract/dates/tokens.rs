//! The token stream of a text (words, numbers and punctuation, with byte and char offsets) and
//! what a word means to the date patterns.

use crate::fold::fold_word;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Num,
    Punct(char),
}

/// A run of letters or of digits, or one punctuation char.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    /// Byte range in the text (start inclusive, end exclusive).
    pub(super) b0: usize,
    pub(super) b1: usize,
    /// Char range in the text (start inclusive, end exclusive).
    pub(super) c0: usize,
    pub(super) c1: usize,
}

/// What a word means to the date patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum W {
    Month(u32),
    Weekday,
    /// `de`, `del`, `of`.
    Link,
    /// `st`, `nd`, `rd`, `th`, `er`, `re`, `go` (`1-го`).
    Ordinal,
    /// `года`, `год`, `году`, `г`, `гг`.
    YearWord,
    /// Abbreviations `г`/`гг` (may take a dot).
    YearAbbr,
    /// Azerbaijani ordinal suffix `ci`/`cı`/`cu`/`cü`.
    AzSuffix,
    /// Azerbaijani `il` (year) and its inflections.
    AzYear,
    /// `T` between date and time.
    T,
    /// A time-zone name.
    Zone,
    /// `no`, `nr`, `nº`, `RFC`, `ISO`, `ГОСТ`, `tel` ...: a number marker.
    NumberMark,
    Other,
}

/// What a word means (folded: `Марта` is `marta`, March).
pub(super) fn classify(word: &str) -> W {
    let mut buf = [0u8; 32];
    let Some(w) = fold_word(word, &mut buf) else {
        return W::Other;
    };
    let month = match w {
        "january" | "jan" | "enero" | "janvier" | "yanvar" | "yanvarya" | "yanvare" => 1,
        "february" | "feb" | "febrero" | "fevrier" | "fevral" | "fevralya" | "fevrale" => 2,
        "march" | "mar" | "marzo" | "mars" | "mart" | "marta" | "marte" => 3,
        "april" | "apr" | "abril" | "avril" | "aprel" | "aprelya" | "aprele" => 4,
        "may" | "mayo" | "mai" | "maya" | "mae" => 5,
        "june" | "jun" | "junio" | "juin" | "iyun" | "iyunya" | "iyune" => 6,
        "july" | "jul" | "julio" | "juillet" | "iyul" | "iyulya" | "iyule" => 7,
        "august" | "aug" | "agosto" | "aout" | "avqust" | "avgust" | "avgusta" | "avguste" => 8,
        "september" | "sep" | "sept" | "septiembre" | "setiembre" | "septembre" | "sentyabr"
        | "sentyabrya" | "sentyabre" => 9,
        "october" | "oct" | "octubre" | "octobre" | "oktyabr" | "oktyabrya" | "oktyabre" => 10,
        "november" | "nov" | "noviembre" | "novembre" | "noyabr" | "noyabrya" | "noyabre" => 11,
        "december" | "dec" | "diciembre" | "decembre" | "dekabr" | "dekabrya" | "dekabre" => 12,
        _ => 0,
    };
    if month != 0 {
        return W::Month(month);
    }
    match w {
        "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun" | "monday" | "tuesday"
        | "wednesday" | "thursday" | "friday" | "saturday" | "sunday" => W::Weekday,
        "de" | "del" | "of" => W::Link,
        "st" | "nd" | "rd" | "th" | "er" | "re" | "go" => W::Ordinal,
        "goda" | "god" | "godu" => W::YearWord,
        "g" | "gg" => W::YearAbbr,
        "ci" | "cu" => W::AzSuffix,
        "il" | "ilde" | "ili" | "ilin" | "iller" | "illerde" | "illerin" | "illeri" => W::AzYear,
        "t" => W::T,
        "gmt" | "utc" | "ut" | "z" | "msk" | "azt" | "est" | "edt" | "cst" | "cdt" | "mst"
        | "mdt" | "pst" | "pdt" | "cet" | "cest" => W::Zone,
        "no" | "nr" | "n" | "num" | "nomer" | "rfc" | "iso" | "gost" | "stanag" | "din" | "tel"
        | "fax" => W::NumberMark,
        _ => W::Other,
    }
}

/// The tokens of `text`, in order (whitespace separates them and is not a token).
pub(super) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 4);
    for (ci, (bi, c)) in text.char_indices().enumerate() {
        let kind = if c.is_ascii_digit() {
            Some(Kind::Num)
        } else if c.is_alphabetic() {
            Some(Kind::Word)
        } else if c.is_whitespace() {
            None
        } else {
            Some(Kind::Punct(c))
        };
        if let Some(kind) = kind {
            let b1 = bi + c.len_utf8();
            match toks.last_mut() {
                Some(t) if t.c1 == ci && t.kind == kind && !matches!(kind, Kind::Punct(_)) => {
                    t.b1 = b1;
                    t.c1 = ci + 1;
                }
                _ => toks.push(Tok {
                    kind,
                    b0: bi,
                    b1,
                    c0: ci,
                    c1: ci + 1,
                }),
            }
        }
    }
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_byte_and_char_offsets() {
        let text = "«15» окт. 2020";
        let toks = tokenize(text);
        let kinds: Vec<Kind> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Punct('«'),
                Kind::Num,
                Kind::Punct('»'),
                Kind::Word,
                Kind::Punct('.'),
                Kind::Num
            ]
        );
        let word = toks[3];
        assert_eq!((word.c0, word.c1), (5, 8));
        assert_eq!(&text[word.b0..word.b1], "окт");
        assert_eq!(&text[toks[5].b0..toks[5].b1], "2020");
    }

    #[test]
    fn punctuation_is_one_token_per_char_and_words_split_from_numbers() {
        let toks = tokenize("1st--x");
        let kinds: Vec<Kind> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Num,
                Kind::Word,
                Kind::Punct('-'),
                Kind::Punct('-'),
                Kind::Word
            ]
        );
    }

    #[test]
    fn words_are_classified_after_folding() {
        assert_eq!(classify("Марта"), W::Month(3));
        assert_eq!(classify("AOÛT"), W::Month(8));
        assert_eq!(classify("septiembre"), W::Month(9));
        assert_eq!(classify("Thu"), W::Weekday);
        assert_eq!(classify("года"), W::YearWord);
        assert_eq!(classify("г"), W::YearAbbr);
        assert_eq!(classify("cü"), W::AzSuffix);
        assert_eq!(classify("ГОСТ"), W::NumberMark);
        assert_eq!(classify("shipment"), W::Other);
    }
}
