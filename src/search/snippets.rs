//! Snippets of hits: the words a query highlights (collected while it is compiled, prefixes and
//! fuzzy words expanded to the indexed words they stand for) and the passage of a document's text
//! around the best of them.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::{Field, Value as _};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, TantivyDocument, Term as TTerm};

use super::query::Term;
use super::{Hit, SearchError, SearchIndex, analyzer};

/// Most indexed words a prefix or fuzzy word is expanded to for highlighting.
const MAX_EXPANSIONS: usize = 256;
/// Snippet length in chars.
const SNIPPET_CHARS: usize = 180;

impl SearchIndex {
    /// The hits of the best documents `top` (score, address), with their snippets.
    pub(super) fn hits(
        &self,
        top: Vec<(f32, DocAddress)>,
        hl: &Highlight,
        exact: bool,
    ) -> Result<Vec<Hit>, SearchError> {
        let text_field = if exact {
            self.fields.text_x
        } else {
            self.fields.text
        };
        let analyzer = self.analyzers.get(exact).clone();
        let terms = self.snippet_terms(hl, exact);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let text = doc
                .get_first(self.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let doc_id = self.id_of(addr).unwrap_or_default();
            let stored = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let path = stored(self.fields.path);
            let title = stored(self.fields.title);
            let (snippet, highlights, snippet_start) =
                make_snippet(text, &terms, &analyzer, text_field);
            hits.push(Hit {
                doc_id,
                path,
                title,
                score,
                snippet,
                highlights,
                snippet_start,
            });
        }
        Ok(hits)
    }

    /// The words that choose a snippet's passage, with their weights: rarer words weigh more;
    /// prefixes and fuzzy words count as the indexed words they stand for.
    fn snippet_terms(&self, hl: &Highlight, exact: bool) -> BTreeMap<String, f32> {
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        for t in &hl.terms {
            let df = self
                .searcher
                .doc_freq(&TTerm::from_field_text(self.fields.text, t))
                .unwrap_or(0);
            terms.insert(t.clone(), 1.0 / (1.0 + df as f32));
        }
        let expansion_fields: &[Field] = if exact {
            &[self.fields.text, self.fields.text_x]
        } else {
            &[self.fields.text]
        };
        for t in self.expand(expansion_fields, hl) {
            terms.entry(t).or_insert(0.5);
        }
        terms
    }

    /// The indexed words the query's prefixes and fuzzy words stand for (at most
    /// [`MAX_EXPANSIONS`] of them), read from the term dictionaries of `fields`.
    fn expand(&self, fields: &[Field], hl: &Highlight) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let queries = |field: Field| {
            let prefixes = hl.prefixes.iter().map(move |p| {
                FuzzyTermQuery::new_prefix(TTerm::from_field_text(field, p), 0, true)
            });
            let fuzzy = hl
                .fuzzy
                .iter()
                .map(move |(w, d)| FuzzyTermQuery::new(TTerm::from_field_text(field, w), *d, true));
            prefixes.chain(fuzzy)
        };
        for &field in fields {
            for q in queries(field) {
                for seg in self.searcher.segment_readers() {
                    let (Ok(dfa), Ok(inv)) = (q.automaton(), seg.inverted_index(field)) else {
                        continue;
                    };
                    let Ok(mut stream) = inv.terms().search(dfa).into_stream() else {
                        continue;
                    };
                    while out.len() < MAX_EXPANSIONS && stream.advance() {
                        out.insert(String::from_utf8_lossy(stream.key()).into_owned());
                    }
                }
            }
        }
        out
    }
}

/// The words to highlight in snippets: exact tokens, and prefixes / fuzzy words expanded per hit.
#[derive(Default)]
pub(super) struct Highlight {
    terms: Vec<String>,
    prefixes: Vec<String>,
    fuzzy: Vec<(String, u8)>,
}

impl Highlight {
    /// Adds the words of a term of the title or text (under `analyzer`).
    pub(super) fn add(&mut self, analyzer: &TextAnalyzer, term: &Term) {
        match term {
            Term::Word(s) | Term::Phrase(s) => self.terms.extend(analyzer::tokens(analyzer, s)),
            Term::Prefix(s) => {
                let mut t = analyzer::tokens(analyzer, s);
                if let Some(last) = t.pop() {
                    self.prefixes.push(last);
                }
                self.terms.extend(t);
            }
            Term::Fuzzy(s, d) => self
                .fuzzy
                .extend(analyzer::tokens(analyzer, s).into_iter().map(|t| (t, *d))),
            Term::Date(_) | Term::All => {}
        }
    }
}

/// The snippet of `text` for a hit: (snippet, highlight char ranges, char offset of the snippet).
fn make_snippet(
    text: &str,
    terms: &BTreeMap<String, f32>,
    analyzer: &TextAnalyzer,
    field: Field,
) -> (String, Vec<(usize, usize)>, usize) {
    let generator = SnippetGenerator::new(terms.clone(), analyzer.clone(), field, SNIPPET_CHARS);
    let snippet = generator.snippet(text);
    let fragment = snippet.fragment();
    if fragment.is_empty() {
        // Nothing of the text matched (the query hit the title, sender, a tag…): the opening lines.
        let s: String = text
            .chars()
            .take(SNIPPET_CHARS)
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        return (s.trim_end().to_owned(), Vec::new(), 0);
    }
    let start_byte = snippet.fragment_range().start;
    let start = text.get(..start_byte).map_or(0, |s| s.chars().count());
    let chars_to = |b: usize| fragment.get(..b).map_or(0, |s| s.chars().count());
    let highlights = snippet
        .highlighted()
        .iter()
        .map(|r| (chars_to(r.start), chars_to(r.end)))
        .collect();
    let shown = fragment
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    (shown, highlights, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(words: &[&str]) -> BTreeMap<String, f32> {
        words.iter().map(|w| ((*w).to_owned(), 1.0)).collect()
    }

    #[test]
    fn snippet_highlights_folded_matches_in_the_original_spelling() {
        let text = "Letter of 3 March.\nThe Гроза radio\twas sold to SAEA.";
        let (snippet, highlights, start) = make_snippet(
            text,
            &weights(&["groza"]),
            &analyzer::folded(),
            Field::from_field_id(0),
        );
        let marked: Vec<String> = highlights
            .iter()
            .map(|&(a, b)| snippet.chars().skip(a).take(b - a).collect())
            .collect();
        assert_eq!(marked, ["Гроза"]);
        assert!(!snippet.contains(['\n', '\t']), "{snippet:?}");
        let in_text: String = text.chars().skip(start + highlights[0].0).take(5).collect();
        assert_eq!(in_text, "Гроза");
    }

    #[test]
    fn snippet_without_a_match_is_the_opening_of_the_text() {
        let text = format!("First\nline {}", "word ".repeat(100));
        let (snippet, highlights, start) = make_snippet(
            &text,
            &weights(&["absent"]),
            &analyzer::folded(),
            Field::from_field_id(0),
        );
        assert!(highlights.is_empty());
        assert_eq!(start, 0);
        assert!(snippet.starts_with("First line word"), "{snippet:?}");
        assert!(snippet.chars().count() <= SNIPPET_CHARS);
        assert!(!snippet.ends_with(' '));
    }

    #[test]
    fn highlight_keeps_the_last_word_of_a_prefix_as_a_prefix() {
        let mut hl = Highlight::default();
        let an = analyzer::folded();
        hl.add(&an, &Term::Prefix("Export pass".to_owned()));
        hl.add(&an, &Term::Fuzzy("grozza".to_owned(), 1));
        hl.add(&an, &Term::Phrase("Гроза S".to_owned()));
        assert_eq!(hl.terms, ["export", "groza", "s"]);
        assert_eq!(hl.prefixes, ["pass"]);
        assert_eq!(hl.fuzzy, [("grozza".to_owned(), 1)]);
    }
}
