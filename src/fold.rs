//! Cyrillic/Latin and case folding with an offset map back to the original text.
//!
//! [`fold`] turns a name into a comparison key: lower case, transliterated to ASCII Latin
//! (through `deunicode`), diacritics removed, hyphens, dashes, underscores, dots and slashes
//! turned into spaces, runs of whitespace collapsed into one space, trimmed.
//!
//! Russian/Belarusian transliteration choices (so that the Latin spellings found in
//! English-language sources match the Cyrillic originals):
//!
//! | Cyrillic | Latin | note |
//! |---|---|---|
//! | ё | e | usually written е anyway |
//! | й | y | `май` → `may`, `Минский` → `minskiy` |
//! | ю / я | yu / ya | `октября` → `oktyabrya` (also matches Azerbaijani `oktyabr`) |
//! | ъ / ь | (dropped) | `ноябрь` → `noyabr` |
//! | х | kh | `Харьков` → `kharkov` |
//! | ж, ц, ч, ш, щ | zh, ts, ch, sh, shch | deunicode's defaults |
//! | ы / э | y / e | |
//! | ґ | g | |
//!
//! Azerbaijani `ə`/`ә` fold to `e`, `ı` and `İ` to `i`; every other letter goes through
//! `deunicode` (`ö` → `o`, `ş` → `s`, `ç` → `c`, ...). Soft hyphens, zero-width characters
//! and combining marks are dropped.

/// What one source character contributes to the folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Nothing (soft hyphen, zero-width characters, combining marks, hard/soft signs).
    Drop,
    /// A separator: becomes (part of) one space.
    Space,
    /// ASCII text, still to be lower-cased and separator-mapped byte by byte.
    Ascii(&'static str),
    /// A character kept as is (already lower case).
    Char(char),
}

/// The contribution of one character (`c` is not ASCII).
fn piece_non_ascii(c: char) -> Piece {
    let special = match c {
        // Hyphens and dashes of every kind.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            return Piece::Space;
        }
        // Invisible characters.
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => return Piece::Drop,
        'ё' | 'Ё' | 'э' | 'Э' | 'ə' | 'Ə' | 'ә' | 'Ә' | 'ǝ' => "e",
        'й' | 'Й' | 'ы' | 'Ы' => "y",
        'ю' | 'Ю' => "yu",
        'я' | 'Я' => "ya",
        'ъ' | 'Ъ' | 'ь' | 'Ь' => return Piece::Drop,
        'х' | 'Х' => "kh",
        'ґ' | 'Ґ' => "g",
        'є' | 'Є' => "ye",
        'ı' | 'İ' => "i",
        _ => {
            if c.is_whitespace() {
                return Piece::Space;
            }
            match deunicode::deunicode_char(c) {
                Some("") => return Piece::Drop,
                Some(s) => s,
                None => {
                    let mut lower = c.to_lowercase();
                    return match (lower.next(), lower.next()) {
                        (Some(l), None) => Piece::Char(l),
                        _ => Piece::Char(c),
                    };
                }
            }
        }
    };
    Piece::Ascii(special)
}

/// True when the character folds to nothing at all (it is part of the word around it).
pub(crate) fn is_dropped(c: char) -> bool {
    !c.is_ascii() && piece_non_ascii(c) == Piece::Drop
}

/// Folded output under construction, with an optional map back to source char indices.
struct Out {
    text: String,
    map: Option<Vec<usize>>,
    /// Source index of the first separator of a pending run of separators.
    pending: Option<usize>,
}

impl Out {
    fn space(&mut self, src: usize) {
        if self.pending.is_none() {
            self.pending = Some(src);
        }
    }

    fn push(&mut self, c: char, src: usize) {
        if let Some(p) = self.pending.take()
            && !self.text.is_empty()
        {
            self.text.push(' ');
            if let Some(m) = self.map.as_mut() {
                m.push(p);
            }
        }
        self.text.push(c);
        if let Some(m) = self.map.as_mut() {
            m.push(src);
        }
    }

    fn ascii_byte(&mut self, b: u8, src: usize) {
        match b {
            b'-' | b'_' | b'.' | b'/' => self.space(src),
            _ if b.is_ascii_whitespace() || b == 0x0B => self.space(src),
            _ => self.push(char::from(b.to_ascii_lowercase()), src),
        }
    }

    fn char(&mut self, c: char, src: usize) {
        if c.is_ascii() {
            // `c` is ASCII, so the cast keeps its value.
            self.ascii_byte(c as u8, src);
            return;
        }
        match piece_non_ascii(c) {
            Piece::Drop => {}
            Piece::Space => self.space(src),
            Piece::Ascii(s) => {
                for b in s.bytes() {
                    self.ascii_byte(b, src);
                }
            }
            Piece::Char(l) => self.push(l, src),
        }
    }
}

fn fold_impl(s: &str, with_map: bool) -> (String, Vec<usize>) {
    let mut out = Out {
        text: String::with_capacity(s.len() + s.len() / 4),
        map: with_map.then(|| Vec::with_capacity(s.len() + 1)),
        pending: None,
    };
    let mut n = 0;
    for (i, c) in s.chars().enumerate() {
        out.char(c, i);
        n = i + 1;
    }
    let mut map = out.map.unwrap_or_default();
    if with_map {
        map.push(n);
    }
    (out.text, map)
}

/// Folds a name or a text for comparison: lower case, Cyrillic → Latin, diacritics removed,
/// hyphens/dashes/underscores/dots/slashes → space, whitespace runs → one space, trimmed.
///
/// `fold("Гроза-С") == fold("GROZA S") == "groza s"`.
pub fn fold(s: &str) -> String {
    fold_impl(s, false).0
}

/// [`fold`] with a map back to the source: `map[i]` is the char index in `s` that produced
/// the `i`-th char of the folded text. The map has `folded.chars().count() + 1` entries; the
/// last one is `s.chars().count()`.
pub fn fold_with_map(s: &str) -> (String, Vec<usize>) {
    fold_impl(s, true)
}

/// Folds a single word into `buf` when the result is ASCII and fits; used for keyword
/// lookups (month names) without allocating.
pub(crate) fn fold_word<'b>(word: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let mut len = 0;
    let mut put = |b: u8, len: &mut usize| -> Option<()> {
        let slot = buf.get_mut(*len)?;
        *slot = b.to_ascii_lowercase();
        *len += 1;
        Some(())
    };
    for c in word.chars() {
        if c.is_ascii() {
            put(c as u8, &mut len)?;
            continue;
        }
        match piece_non_ascii(c) {
            Piece::Drop => {}
            Piece::Space | Piece::Char(_) => return None,
            Piece::Ascii(s) => {
                for b in s.bytes() {
                    put(b, &mut len)?;
                }
            }
        }
    }
    std::str::from_utf8(buf.get(..len)?).ok()
}
