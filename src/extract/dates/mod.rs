//! Date recognition over a small token stream (words, numbers, punctuation with char offsets).
//!
//! Every date form contains a number, so patterns are only tried at numbers, at opening quotes
//! (`«15» октября`), at month names followed closely by a number, and at weekdays (RFC 2822).
//! Words are folded ([`crate::fold`]) only when a pattern needs to know what they are.

mod patterns;
mod scan;
mod tokens;

use crate::model::PartialDate;
use scan::{Found, Scan};

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

/// Every date in `text`, in text order, without overlaps. Offsets are chars.
pub fn find_dates(text: &str) -> Vec<DateHit> {
    let scan = Scan::new(text);
    let mut hits = Vec::new();
    let mut i = 0;
    while i < scan.len() {
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
