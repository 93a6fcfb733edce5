//! Date recognition over a small token stream (words, numbers, punctuation with char offsets).
//!
//! Every date form contains a number, so patterns are only tried at numbers, at opening quotes
//! (`«15» октября`), at month names followed closely by a number, and at weekdays (RFC 2822).
//! Words are folded ([`crate::fold`]) only when a pattern needs to know what they are.
use crate::fold::fold_word;
use crate::model::PartialDate;

/// A date found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateHit {
    /// The date; partial when the text gives only a month or a year.
    pub date: PartialDate,
    /// Start offset (chars, inclusive).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
}

/// Years accepted in body text.
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2099;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    Num,
    Punct(char),
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    b0: usize,
    b1: usize,
    c0: usize,
    c1: usize,
}

/// What a word means to the date patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum W {
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

fn classify(word: &str) -> W {
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

fn tokenize(text: &str) -> Vec<Tok> {
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

struct Scan<'t> {
    text: &'t str,
    toks: Vec<Tok>,
}

/// How a pattern attempt ended.
enum Found {
    /// A date from token `first` to token `last` (inclusive).
    Date(PartialDate, usize, usize),
    /// The shape of a date that is not a calendar date: skip up to this token, report nothing.
    Invalid(usize),
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '«' | '"' | '“' | '„' | '\'' | '‹')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '»' | '"' | '”' | '“' | '\'' | '›')
}

impl Scan<'_> {
    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.tok(i).map(|t| t.kind)
    }

    fn is_punct(&self, i: usize, c: char) -> bool {
        self.kind(i) == Some(Kind::Punct(c))
    }

    fn is_alnum(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(Kind::Word | Kind::Num))
    }

    /// Tokens `a` and `b` touch (no whitespace between).
    fn adj(&self, a: usize, b: usize) -> bool {
        match (self.tok(a), self.tok(b)) {
            (Some(x), Some(y)) => x.c1 == y.c0,
            _ => false,
        }
    }

    /// Tokens `a..=b` all touch.
    fn glued(&self, a: usize, b: usize) -> bool {
        (a..b).all(|k| self.adj(k, k + 1))
    }

    /// The whitespace between tokens `a` and `a + 1` has no line break.
    fn same_line(&self, a: usize) -> bool {
        match (self.tok(a), self.tok(a + 1)) {
            (Some(x), Some(y)) => !self.text.get(x.b1..y.b0).is_some_and(|g| g.contains('\n')),
            _ => false,
        }
    }

    fn str(&self, i: usize) -> &str {
        self.tok(i)
            .and_then(|t| self.text.get(t.b0..t.b1))
            .unwrap_or("")
    }

    /// A number token: its value and digit count.
    fn num(&self, i: usize) -> Option<(u32, usize)> {
        if self.kind(i) != Some(Kind::Num) {
            return None;
        }
        let s = self.str(i);
        if s.len() > 9 {
            return Some((u32::MAX, s.len()));
        }
        s.parse().ok().map(|v| (v, s.len()))
    }

    fn day(&self, i: usize) -> Option<u32> {
        self.num(i)
            .filter(|&(v, n)| n <= 2 && (1..=31).contains(&v))
            .map(|x| x.0)
    }

    fn small(&self, i: usize) -> Option<u32> {
        self.num(i).filter(|&(_, n)| n <= 2).map(|x| x.0)
    }

    fn year(&self, i: usize) -> Option<u32> {
        self.num(i)
            .filter(|&(v, n)| n == 4 && YEARS.contains(&v))
            .map(|x| x.0)
    }

    fn word(&self, i: usize) -> W {
        if self.kind(i) == Some(Kind::Word) && self.str(i).len() <= 40 {
            classify(self.str(i))
        } else {
            W::Other
        }
    }

    fn month(&self, i: usize) -> Option<u32> {
        match self.word(i) {
            W::Month(m) => Some(m),
            _ => None,
        }
    }

    /// The token before `i` does not glue the match to a longer number, word or reference.
    fn ok_before(&self, i: usize, strict: bool) -> bool {
        let Some(p) = i.checked_sub(1) else {
            return true;
        };
        if !self.adj(p, i) {
            return true;
        }
        match self.kind(p) {
            Some(Kind::Word | Kind::Num) | None => false,
            Some(Kind::Punct(c)) => match c {
                '/' | '\\' | '+' | '#' | '№' | '@' | '_' | '$' | '€' | '£' | '₽' | '¥' => {
                    false
                }
                '.' | ',' | ':' | '-' | '–' | '—' => {
                    let glued = p > 0 && self.adj(p - 1, p) && self.is_alnum(p - 1);
                    !glued || (!strict && c != '.' && c != ',' && c != ':')
                }
                _ => true,
            },
        }
    }

    /// The token after `k` does not glue the match to a longer number, word or reference.
    fn ok_after(&self, k: usize) -> bool {
        let n = k + 1;
        if !self.adj(k, n) {
            return true;
        }
        match self.kind(n) {
            Some(Kind::Word | Kind::Num) => false,
            None => true,
            Some(Kind::Punct(c)) => match c {
                '/' | '\\' | '@' | '_' | '%' => false,
                '.' | ',' | ':' | '-' | '–' | '—' => {
                    !(self.adj(n, n + 1) && self.is_alnum(n + 1))
                }
                _ => true,
            },
        }
    }

    /// Optional words after a year: `года`, `г.`, `-ci il`. Returns the last token of the date.
    fn year_suffix(&self, y: usize) -> usize {
        let n = y + 1;
        if self.kind(n) == Some(Kind::Word) && self.same_line(y) {
            match self.word(n) {
                W::YearWord => return n,
                W::YearAbbr => {
                    return if self.is_punct(n + 1, '.') && self.adj(n, n + 1) {
                        n + 1
                    } else {
                        n
                    };
                }
                _ => {}
            }
        }
        if self.is_punct(n, '-')
            && self.adj(y, n)
            && self.adj(n, n + 1)
            && self.word(n + 1) == W::AzSuffix
        {
            if self.word(n + 2) == W::AzYear && !self.adj(n + 1, n + 2) && self.same_line(n + 1) {
                return n + 2;
            }
            return n + 1;
        }
        y
    }

    /// Time and zone after an RFC 2822 date: `10:12:00 +0300`. Returns the last token.
    fn time_suffix(&self, last: usize) -> usize {
        let h = last + 1;
        if self.adj(last, h) || !self.same_line(last) || self.small(h).is_none() {
            return last;
        }
        let mut end = h;
        for _ in 0..2 {
            if !(self.is_punct(end + 1, ':')
                && self.adj(end, end + 1)
                && self.adj(end + 1, end + 2)
                && self.num(end + 2).is_some_and(|(_, n)| n == 2))
            {
                break;
            }
            end += 2;
        }
        if end == h {
            return last;
        }
        let z = end + 1;
        if !self.adj(end, z) && self.same_line(end) {
            if (self.is_punct(z, '+') || self.is_punct(z, '-'))
                && self.adj(z, z + 1)
                && self.num(z + 1).is_some_and(|(_, n)| n == 4)
            {
                return z + 1;
            }
            if self.word(z) == W::Zone {
                return z;
            }
        }
        end
    }

    /// `D sep M sep YYYY` (day first; `.`, `/` or `-`), with an optional `г.` / `года`.
    fn numeric_dmy(&self, i: usize) -> Option<Found> {
        let sep = match self.kind(i + 1) {
            Some(Kind::Punct(c @ ('.' | '/' | '-'))) => c,
            _ => return None,
        };
        if !(self.glued(i, i + 4) && self.is_punct(i + 3, sep)) {
            return None;
        }
        let d = self.small(i)?;
        let m = self.small(i + 2)?;
        let (y, n) = self.num(i + 4)?;
        if n != 4 || !YEARS.contains(&y) || !self.ok_before(i, true) {
            return None;
        }
        let last = self.year_suffix(i + 4);
        if !self.ok_after(last) {
            return None;
        }
        Some(match PartialDate::ymd(y as i32, m, d) {
            Some(date) => Found::Date(date, i, last),
            None => Found::Invalid(last),
        })
    }

    /// `YYYY-MM-DD` (also `YYYY.MM.DD`); a following `T10:12` time is allowed.
    fn numeric_ymd(&self, i: usize) -> Option<Found> {
        let sep = match self.kind(i + 1) {
            Some(Kind::Punct(c @ ('.' | '-'))) => c,
            _ => return None,
        };
        if !(self.glued(i, i + 4) && self.is_punct(i + 3, sep)) {
            return None;
        }
        let y = self.year(i)?;
        let m = self.small(i + 2)?;
        let d = self.small(i + 4)?;
        if !self.ok_before(i, true) {
            return None;
        }
        let last = i + 4;
        let time_follows = self.adj(last, last + 1)
            && self.word(last + 1) == W::T
            && self.adj(last + 1, last + 2)
            && self.kind(last + 2) == Some(Kind::Num);
        if !time_follows && !self.ok_after(last) {
            return None;
        }
        Some(match PartialDate::ymd(y as i32, m, d) {
            Some(date) => Found::Date(date, i, last),
            None => Found::Invalid(last),
        })
    }

    /// `YYYY-MM` with a two-digit month.
    fn numeric_ym(&self, i: usize) -> Option<Found> {
        if !(self.is_punct(i + 1, '-') && self.adj(i, i + 1) && self.adj(i + 1, i + 2)) {
            return None;
        }
        let y = self.year(i)?;
        let m = self.num(i + 2).filter(|&(_, n)| n == 2)?.0;
        if !self.ok_before(i, true) || !self.ok_after(i + 2) {
            return None;
        }
        Some(match PartialDate::ym(y as i32, m) {
            Some(date) => Found::Date(date, i, i + 2),
            None => Found::Invalid(i + 2),
        })
    }

    /// Day, month name, year: `14 March 2019`, `14th of March, 2019`, `14 de marzo de 2019`,
    /// `15 октября 2020 года`, `1er mars 2019`, `12 mart 2021-ci il`, `14-Mar-2019`.
    /// `j` is the first token after the day (after a closing quote, if any).
    fn day_month_year(&self, i: usize, mut j: usize) -> Option<Found> {
        let d = self.day(i)?;
        // Ordinal suffix: 1st, 1er, 1-го.
        if self.adj(j - 1, j) {
            if self.word(j) == W::Ordinal {
                j += 1;
            } else if self.is_punct(j, '-') && self.adj(j, j + 1) && self.word(j + 1) == W::Ordinal
            {
                j += 2;
            }
        }
        let mut dashed = None;
        if let Some(Kind::Punct(c @ ('-' | '/' | '.'))) = self.kind(j)
            && self.adj(j - 1, j)
            && self.adj(j, j + 1)
            && self.month(j + 1).is_some()
        {
            dashed = Some(c);
            j += 1;
        } else if self.is_punct(j, '.') && self.adj(j - 1, j) {
            j += 1; // 14. März
        }
        if dashed.is_none() && self.word(j) == W::Link {
            j += 1;
        }
        let m = self.month(j)?;
        if self.is_punct(j + 1, '.') && self.adj(j, j + 1) && dashed != Some('.') {
            j += 1; // Mar.
        }
        j += 1;
        match dashed {
            Some(c) => {
                if !(self.is_punct(j, c) && self.adj(j - 1, j) && self.adj(j, j + 1)) {
                    return None;
                }
                j += 1;
            }
            None => {
                if self.is_punct(j, ',') {
                    j += 1;
                }
                if self.word(j) == W::Link {
                    j += 1;
                }
            }
        }
        let y = self.year(j)?;
        if !self.ok_before(i, false) {
            return None;
        }
        let last = self.year_suffix(j);
        if !self.ok_after(last) {
            return None;
        }
        Some(match PartialDate::ymd(y as i32, m, d) {
            Some(date) => Found::Date(date, i, last),
            None => Found::Invalid(last),
        })
    }

    /// At a month name: `March 14, 2019` (full) or `March 2019`, `marzo de 2019`,
    /// `октября 2020 года`, `mart 2021` (month of a year).
    fn month_first(&self, i: usize) -> Option<Found> {
        // Cheap shape test before folding the word: a number within the next three tokens.
        if !(1..=3).any(|k| self.kind(i + k) == Some(Kind::Num)) {
            return None;
        }
        let m = self.month(i)?;
        if !self.ok_before(i, false) {
            return None;
        }
        let mut j = i + 1;
        if self.is_punct(j, '.') && self.adj(i, j) {
            j += 1;
        }
        if let Some(d) = self.day(j) {
            let mut k = j + 1;
            if self.adj(j, k) && self.word(k) == W::Ordinal {
                k += 1;
            }
            if self.is_punct(k, ',') {
                k += 1;
            }
            let y = self.year(k)?;
            if self.adj(k - 1, k) && !self.is_punct(k - 1, ',') {
                return None;
            }
            let last = self.year_suffix(k);
            if !self.ok_after(last) {
                return None;
            }
            return Some(match PartialDate::ymd(y as i32, m, d) {
                Some(date) => Found::Date(date, i, last),
                None => Found::Invalid(last),
            });
        }
        if self.is_punct(j, ',') {
            j += 1;
        }
        if self.word(j) == W::Link {
            j += 1;
        }
        let y = self.year(j)?;
        if self.adj(j - 1, j) {
            return None;
        }
        let last = self.year_suffix(j);
        if !self.ok_after(last) {
            return None;
        }
        PartialDate::ym(y as i32, m).map(|date| Found::Date(date, i, last))
    }

    /// A bare year (`2019`, `2019 г.`, `2021-ci il`) that is not part of a longer number,
    /// a reference (`SAEA/2019/114`), a decimal, an amount or a phone number.
    fn bare_year(&self, i: usize) -> Option<Found> {
        let y = self.year(i)?;
        let date = PartialDate::y(y as i32);
        // Year ranges: 2018-2022.
        let range_sep = |p: usize| matches!(self.kind(p), Some(Kind::Punct('-' | '–' | '—')));
        let after_range = i >= 2
            && range_sep(i - 1)
            && self.adj(i - 2, i - 1)
            && self.adj(i - 1, i)
            && self.year(i - 2).is_some();
        let before_range = range_sep(i + 1)
            && self.adj(i, i + 1)
            && self.adj(i + 1, i + 2)
            && self.year(i + 2).is_some()
            && !(self.adj(i + 2, i + 3) && range_sep(i + 3));
        if !after_range && !self.ok_before(i, true) {
            return None;
        }
        let last = self.year_suffix(i);
        if !before_range && !self.ok_after(last) {
            return None;
        }
        // Neighbouring numbers on the same line (phone numbers, tables) and number markers.
        if let Some(p) = i.checked_sub(1)
            && !after_range
            && !self.adj(p, i)
            && self.same_line(p)
        {
            match self.kind(p) {
                Some(Kind::Num) => return None,
                Some(Kind::Punct('№' | '#')) => return None,
                Some(Kind::Word) if self.word(p) == W::NumberMark => return None,
                Some(Kind::Punct('.' | 'º' | '°'))
                    if p > 0 && self.adj(p - 1, p) && self.word(p - 1) == W::NumberMark =>
                {
                    return None;
                }
                _ => {}
            }
        }
        if last == i
            && !before_range
            && !self.adj(i, i + 1)
            && self.same_line(i)
            && self.kind(i + 1) == Some(Kind::Num)
        {
            return None;
        }
        Some(Found::Date(date, i, last))
    }

    fn at(&self, i: usize) -> Option<Found> {
        match self.kind(i)? {
            Kind::Num => {
                let (_, digits) = self.num(i)?;
                if digits == 4 {
                    self.numeric_ymd(i)
                        .or_else(|| self.numeric_ym(i))
                        .or_else(|| self.bare_year(i))
                } else if digits <= 2 {
                    self.numeric_dmy(i)
                        .or_else(|| self.day_month_year(i, i + 1))
                } else {
                    None
                }
            }
            Kind::Punct(c) if is_open_quote(c) => {
                // «15» октября 2020 года
                let close = matches!(self.kind(i + 2), Some(Kind::Punct(q)) if is_close_quote(q));
                if close
                    && self.adj(i, i + 1)
                    && self.adj(i + 1, i + 2)
                    && self.day(i + 1).is_some()
                {
                    match self.day_month_year(i + 1, i + 3)? {
                        Found::Date(d, _, last) => Some(Found::Date(d, i, last)),
                        invalid => Some(invalid),
                    }
                } else {
                    None
                }
            }
            Kind::Word => {
                // Thu, 14 Mar 2019 10:12:00 +0300
                let comma = usize::from(self.is_punct(i + 1, ','));
                if self.kind(i + 1 + comma) == Some(Kind::Num) && self.word(i) == W::Weekday {
                    if let Some(Found::Date(d, _, last)) =
                        self.day_month_year(i + 1 + comma, i + 2 + comma)
                        && d.day.is_some()
                    {
                        return Some(Found::Date(d, i, self.time_suffix(last)));
                    }
                    return None;
                }
                self.month_first(i)
            }
            Kind::Punct(_) => None,
        }
    }
}

/// Every date in `text`, in text order, without overlaps. Offsets are chars.
pub fn find_dates(text: &str) -> Vec<DateHit> {
    let scan = Scan {
        text,
        toks: tokenize(text),
    };
    let mut hits = Vec::new();
    let mut i = 0;
    while i < scan.toks.len() {
        match scan.at(i) {
            Some(Found::Date(date, first, last)) => {
                if let (Some(a), Some(b)) = (scan.tok(first), scan.tok(last)) {
                    hits.push(DateHit {
                        date,
                        start: a.c0,
                        end: b.c1,
                    });
                }
                i = last + 1;
            }
            Some(Found::Invalid(last)) => i = last + 1,
            None => i += 1,
        }
    }
    hits
}

/// Parses a whole metadata or header value: ISO (`2019-03-14`, `2019-03`, `2019`), RFC 3339,
/// RFC 2822 (`Thu, 14 Mar 2019 10:12:00 +0300`, the date as written), dotted (`14.03.2019`),
/// `03/2019`, and every written form [`find_dates`] knows. The first date found wins.
pub fn parse_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if let Some(d) = PartialDate::parse_iso(s) {
        return Some(d);
    }
    // RFC 3339 / ISO date-time: the date part as written.
    if let Some(head) = s.get(..10)
        && s.get(10..)
            .is_some_and(|rest| rest.starts_with(['T', 't', ' ']))
        && let Some(d) = PartialDate::parse_iso(head)
        && d.day.is_some()
    {
        return Some(d);
    }
    // MM/YYYY, MM.YYYY (a four-digit year, as ISO dates have: `6/0020` is no date)
    if let Some((m, y)) = s.split_once(['/', '.'])
        && m.len() <= 2
        && y.len() == 4
        && let (Ok(m), Ok(y)) = (m.parse::<u32>(), y.parse::<i32>())
        && (1000..=9999).contains(&y)
    {
        return PartialDate::ym(y, m);
    }
    find_dates(s).first().map(|h| h.date)
}
