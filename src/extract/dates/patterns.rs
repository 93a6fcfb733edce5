//! The date patterns, each tried at one token: numeric (`14.03.2019`, `2019-03-14`, `2019-03`),
//! written (`14 March 2019`, `March 14, 2019`, `марта 2020 года`) and bare years.

use super::YEARS;
use super::scan::{Found, Scan};
use super::tokens::{Kind, W};
use crate::model::PartialDate;

impl Scan<'_> {
    /// `D sep M sep YYYY` (day first; `.`, `/` or `-`), with an optional `г.` / `года`.
    pub(super) fn numeric_dmy(&self, i: usize) -> Option<Found> {
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
    pub(super) fn numeric_ymd(&self, i: usize) -> Option<Found> {
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
    pub(super) fn numeric_ym(&self, i: usize) -> Option<Found> {
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
    pub(super) fn day_month_year(&self, i: usize, mut j: usize) -> Option<Found> {
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
    pub(super) fn month_first(&self, i: usize) -> Option<Found> {
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
    pub(super) fn bare_year(&self, i: usize) -> Option<Found> {
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
}
