//! The `folded` tokenizer: words (letters and digits, with soft hyphens, zero-width characters
//! and combining marks kept inside the word), each folded like [`crate::fold::fold`]: lower case,
//! Cyrillic → Latin, diacritics removed. Offsets are byte offsets into the original text, so
//! snippets highlight the original spelling (`Гроза` for a query `groza`).

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
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
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
    c.is_alphanumeric() || crate::fold::is_dropped(c)
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
    /// The byte range of the next word at or after `self.pos`.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let rest = self.text.get(self.pos..)?;
        let mut start = None;
        for (i, c) in rest.char_indices() {
            let word = is_word_char(c);
            match start {
                None if word => start = Some(i),
                Some(s) if !word => {
                    let range = (self.pos + s, self.pos + i);
                    self.pos += i + c.len_utf8();
                    return Some(range);
                }
                _ => {}
            }
        }
        let s = start?;
        let range = (self.pos + s, self.text.len());
        self.pos = self.text.len();
        Some(range)
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
    let mut buf = [0u8; 32];
    if let Some(f) = crate::fold::fold_word(word, &mut buf) {
        out.extend(f.chars().filter(|c| !c.is_whitespace()));
        return;
    }
    out.extend(
        crate::fold::fold(word)
            .chars()
            .filter(|c| !c.is_whitespace()),
    );
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
