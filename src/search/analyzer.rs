//! The `folded` tokenizer: words (letters and digits, with soft hyphens, zero-width characters
//! and combining marks kept inside the word), each folded like [`crate::fold::fold`]: lower case,
//! Cyrillic → Latin, diacritics removed. Offsets are byte offsets into the original text, so
//! snippets highlight the original spelling (`Гроза` for a query `groza`).

use std::collections::{HashMap, VecDeque};

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Name of the folding analyzer registered on the index.
pub(crate) const FOLDED: &str = "folded";
/// Name of the exact analyzer (tantivy's default: words, lower case, no transliteration).
pub(crate) const EXACT: &str = "exact";

/// Longest token kept (bytes, after folding); longer ones are noise (base64, hashes).
const MAX_TOKEN_BYTES: usize = 48;

/// The folding analyzer.
pub(crate) fn folded() -> TextAnalyzer {
    TextAnalyzer::from(FoldingTokenizer::default())
}

/// The exact analyzer: tantivy's default pipeline.
pub(crate) fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .filter(LowerCaser)
        .build()
}

/// The token texts of `text` under `analyzer`.
pub(crate) fn tokens(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

fn is_word_char(c: char) -> bool {
    match small_word_chars().get(c as usize) {
        Some(&w) => w,
        None => c.is_alphanumeric() || crate::fold::is_dropped(c),
    }
}

/// Whether each char below U+0800 is part of a word (letters, digits, and the invisible or
/// combining chars folding drops), computed once: a lookup instead of Unicode table searches.
fn small_word_chars() -> &'static [bool] {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0u32..0x800)
            .map(|u| {
                char::from_u32(u).is_some_and(|c| c.is_alphanumeric() || crate::fold::is_dropped(c))
            })
            .collect()
    })
}

/// Splits words and folds each one.
#[derive(Clone, Default)]
pub(crate) struct FoldingTokenizer {
    token: Token,
}

impl Tokenizer for FoldingTokenizer {
    type TokenStream<'a> = FoldingStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldingStream<'a> {
        self.token.reset();
        FoldingStream {
            text,
            pos: 0,
            token: &mut self.token,
        }
    }
}

/// The token stream of [`FoldingTokenizer`].
pub(crate) struct FoldingStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl FoldingStream<'_> {
    /// The char at byte `i` (a char boundary) and its length.
    fn char_at(&self, i: usize) -> (char, usize) {
        let c = self
            .text
            .get(i..)
            .and_then(|s| s.chars().next())
            .unwrap_or(' ');
        (c, c.len_utf8())
    }

    /// Whether the text at byte `i` is a word char, and the char's length; ASCII without decoding.
    fn word_at(&self, i: usize, b: u8) -> (bool, usize) {
        if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let (c, n) = self.char_at(i);
            (is_word_char(c), n)
        }
    }

    /// The byte range of the next word at or after `self.pos`.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        let start = loop {
            let &b = bytes.get(i)?;
            let (word, n) = self.word_at(i, b);
            if word {
                break i;
            }
            i += n;
        };
        let mut j = start;
        while let Some(&b) = bytes.get(j) {
            let (word, n) = self.word_at(j, b);
            if !word {
                break;
            }
            j += n;
        }
        self.pos = j;
        Some((start, j))
    }
}

/// Folds one word into `out` (cleared first): lower case, transliterated, without spaces.
pub(crate) fn fold_token(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    let table = small_chars();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(f) = table.get(c as usize) {
            out.push_str(f);
        } else {
            let mut buf = [0u8; 4];
            let folded = crate::fold::fold(c.encode_utf8(&mut buf));
            out.extend(folded.chars().filter(|c| !c.is_whitespace()));
        }
    }
}

/// The folded form of every char below U+0800 (Latin with diacritics, Greek, Cyrillic, Armenian,
/// Hebrew, Arabic), computed once with [`crate::fold::fold`]: folding a word char by char gives
/// the same as folding it whole, and a table lookup is much faster than transliterating.
fn small_chars() -> &'static [Box<str>] {
    static TABLE: std::sync::OnceLock<Vec<Box<str>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0u32..0x800)
            .map(|u| {
                let folded = char::from_u32(u)
                    .map(|c| crate::fold::fold(&c.to_string()))
                    .unwrap_or_default();
                folded
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .into_boxed_str()
            })
            .collect()
    })
}

impl TokenStream for FoldingStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((s, e)) = self.next_word() {
            let word = &self.text[s..e];
            fold_token(word, &mut self.token.text);
            if self.token.text.is_empty() || self.token.text.len() > MAX_TOKEN_BYTES {
                continue;
            }
            self.token.offset_from = s;
            self.token.offset_to = e;
            self.token.position = self.token.position.wrapping_add(1);
            self.token.position_length = 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// FNV-1a hash of a token (64 bits: collisions between the few thousand gazetteer words and
/// a text's words are out of reach in practice).
fn token_hash(t: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in t.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A hasher for keys that are already hashes.
#[derive(Clone, Copy, Default)]
pub(crate) struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type PreHashedMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<PreHashed>>;

/// Finds gazetteer entries (name or any alias) in a text, word by word on folded tokens: the
/// same whole-word, case- and script-insensitive rule as [`crate::gazetteer::Matcher`], in one
/// pass of the search tokenizer (no folded copy of the text, no offset map).
#[derive(Clone, Debug, Default)]
pub(crate) struct EntityMatcher {
    /// Hash of the last token of a spelling → (hashes of the spelling's tokens, entry index).
    by_last: PreHashedMap<Vec<(Vec<u64>, usize)>>,
    /// Longest spelling, in tokens.
    max_len: usize,
}

impl std::fmt::Debug for PreHashed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PreHashed")
    }
}

impl EntityMatcher {
    pub fn new(entries: &[crate::model::GazetteerEntry]) -> Self {
        let analyzer = folded();
        let mut by_last: PreHashedMap<Vec<(Vec<u64>, usize)>> = HashMap::default();
        let mut max_len = 0;
        for (i, e) in entries.iter().enumerate() {
            for spelling in std::iter::once(&e.name).chain(&e.aliases) {
                let toks: Vec<u64> = tokens(&analyzer, spelling)
                    .iter()
                    .map(|t| token_hash(t))
                    .collect();
                let Some(&last) = toks.last() else { continue };
                max_len = max_len.max(toks.len());
                let list = by_last.entry(last).or_default();
                if !list.iter().any(|(t, _)| *t == toks) {
                    list.push((toks, i));
                }
            }
        }
        Self { by_last, max_len }
    }

    /// Indices of the entries found in `text`, in order of first occurrence.
    pub fn find(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        if self.max_len == 0 {
            return found;
        }
        let mut tokenizer = FoldingTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut ring: VecDeque<u64> = VecDeque::with_capacity(self.max_len);
        while let Some(tok) = stream.next() {
            let h = token_hash(&tok.text);
            if ring.len() == self.max_len {
                ring.pop_front();
            }
            ring.push_back(h);
            let Some(cands) = self.by_last.get(&h) else {
                continue;
            };
            for (pattern, entry) in cands {
                if found.contains(entry) || pattern.len() > ring.len() {
                    continue;
                }
                let start = ring.len() - pattern.len();
                if ring.range(start..).zip(pattern).all(|(a, b)| a == b) {
                    found.push(*entry);
                }
            }
        }
        found
    }
}
