//! Scanning the token stream: the questions the date patterns ask about tokens (touching, on one
//! line, a day, a month, a year) and which patterns are tried at a token.

use super::YEARS;
use super::tokens::{Kind, Tok, W, classify, tokenize};
use crate::model::PartialDate;

/// A text and its tokens.
pub(super) struct Scan<'t> {
    text: &'t str,
    toks: Vec<Tok>,
}

/// How a pattern attempt ended.
pub(super) enum Found {
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

impl<'t> Scan<'t> {
    /// The token stream of `text`.
    pub(super) fn new(text: &'t str) -> Self {
        Self {
            text,
            toks: tokenize(text),
        }
    }

    /// Number of tokens.
    pub(super) fn len(&self) -> usize {
        self.toks.len()
    }
}

impl Scan<'_> {
    pub(super) fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    pub(super) fn kind(&self, i: usize) -> Option<Kind> {
        self.tok(i).map(|t| t.kind)
    }

    pub(super) fn is_punct(&self, i: usize, c: char) -> bool {
        self.kind(i) == Some(Kind::Punct(c))
    }

    pub(super) fn is_alnum(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(Kind::Word | Kind::Num))
    }

    /// Tokens `a` and `b` touch (no whitespace between).
    pub(super) fn adj(&self, a: usize, b: usize) -> bool {
        match (self.tok(a), self.tok(b)) {
            (Some(x), Some(y)) => x.c1 == y.c0,
            _ => false,
        }
    }

    /// Tokens `a..=b` all touch.
    pub(super) fn glued(&self, a: usize, b: usize) -> bool {
        (a..b).all(|k| self.adj(k, k + 1))
    }

    /// The whitespace between tokens `a` and `a + 1` has no line break.
    pub(super) fn same_line(&self, a: usize) -> bool {
        match (self.tok(a), self.tok(a + 1)) {
            (Some(x), Some(y)) => !self.text.get(x.b1..y.b0).is_some_and(|g| g.contains('\n')),
            _ => false,
        }
    }

    pub(super) fn str(&self, i: usize) -> &str {
        self.tok(i)
            .and_then(|t| self.text.get(t.b0..t.b1))
            .unwrap_or("")
    }

    /// A number token: its value and digit count.
    pub(super) fn num(&self, i: usize) -> Option<(u32, usize)> {
        if self.kind(i) != Some(Kind::Num) {
            return None;
        }
        let s = self.str(i);
        if s.len() > 9 {
            return Some((u32::MAX, s.len()));
        }
        s.parse().ok().map(|v| (v, s.len()))
    }

    pub(super) fn day(&self, i: usize) -> Option<u32> {
        self.num(i)
            .filter(|&(v, n)| n <= 2 && (1..=31).contains(&v))
            .map(|x| x.0)
    }

    pub(super) fn small(&self, i: usize) -> Option<u32> {
        self.num(i).filter(|&(_, n)| n <= 2).map(|x| x.0)
    }

    pub(super) fn year(&self, i: usize) -> Option<u32> {
        self.num(i)
            .filter(|&(v, n)| n == 4 && YEARS.contains(&v))
            .map(|x| x.0)
    }

    pub(super) fn word(&self, i: usize) -> W {
        if self.kind(i) == Some(Kind::Word) && self.str(i).len() <= 40 {
            classify(self.str(i))
        } else {
            W::Other
        }
    }

    pub(super) fn month(&self, i: usize) -> Option<u32> {
        match self.word(i) {
            W::Month(m) => Some(m),
            _ => None,
        }
    }

    /// The token before `i` does not glue the match to a longer number, word or reference.
    pub(super) fn ok_before(&self, i: usize, strict: bool) -> bool {
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
    pub(super) fn ok_after(&self, k: usize) -> bool {
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
    pub(super) fn year_suffix(&self, y: usize) -> usize {
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
    pub(super) fn time_suffix(&self, last: usize) -> usize {
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

    /// The date (or the shape of a non-date) starting at token `i`, trying the patterns that
    /// can start with that kind of token.
    pub(super) fn at(&self, i: usize) -> Option<Found> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_touch_or_stand_apart_on_one_line_or_two() {
        let scan = Scan::new("14.03 2019\nX");
        assert_eq!(scan.len(), 5);
        assert!(scan.glued(0, 2));
        assert!(!scan.adj(2, 3));
        assert!(scan.same_line(2));
        assert!(!scan.same_line(3));
        assert_eq!(scan.day(0), Some(14));
        assert_eq!(scan.small(2), Some(3));
        assert_eq!(scan.year(3), Some(2019));
        assert_eq!(scan.year(0), None);
    }

    #[test]
    fn a_match_is_not_glued_to_a_reference_or_a_longer_number() {
        let scan = Scan::new("SAEA/2019/114 and 12.2019.5");
        // `2019` after `SAEA/`, and before `/114`.
        assert!(!scan.ok_before(2, true));
        assert!(!scan.ok_after(2));
        // `2019` after `12.` (strict) and before `.5`.
        assert!(!scan.ok_before(8, true));
        assert!(!scan.ok_after(8));
        assert!(scan.ok_before(0, true));
    }

    #[test]
    fn year_and_time_suffixes_extend_a_date() {
        let scan = Scan::new("2022 г. then 2021-ci il");
        assert_eq!(scan.year_suffix(0), 2);
        assert_eq!(scan.year_suffix(4), 7);
        let scan = Scan::new("2019 10:12:00 +0300 end");
        assert_eq!(scan.time_suffix(0), 7);
        let scan = Scan::new("2019 10 apples");
        assert_eq!(scan.time_suffix(0), 0);
    }
}
