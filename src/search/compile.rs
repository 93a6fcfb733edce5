//! From the query language's syntax tree to a tantivy query: each leaf over its folded fields (or
//! their exact twins), `date:` as a range over the record's date span, and the analyst's review
//! (`status:`, `tag:`, the analyst's values) as a fixed set of documents per segment.

use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, EmptyQuery, EmptyScorer,
    EnableScoring, Explanation, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{BitSet, DocId, SegmentReader, Term as TTerm};

use super::facets::IdSet;
use super::query::{self, DateRange, Node, QField, Term};
use super::schema::day_number;
use super::snippets::Highlight;
use super::{SearchError, SearchIndex, analyzer};

impl SearchIndex {
    /// Parses and compiles a query; the words it highlights are gathered on the way.
    pub(super) fn parse_and_compile(
        &self,
        query: &str,
        exact: bool,
    ) -> Result<(Box<dyn Query>, Highlight), SearchError> {
        let node = query::parse(query).map_err(SearchError::Query)?;
        let mut hl = Highlight::default();
        let q = self.compile(&node, exact, false, &mut hl);
        Ok((q, hl))
    }

    /// Compiles a syntax tree into a tantivy query. `negated` tells leaves under a `NOT`, whose
    /// words are not highlighted.
    fn compile(
        &self,
        node: &Node,
        exact: bool,
        negated: bool,
        hl: &mut Highlight,
    ) -> Box<dyn Query> {
        match node {
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for n in items {
                    match n {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.compile(inner, exact, !negated, hl)))
                        }
                        _ => clauses.push((Occur::Must, self.compile(n, exact, negated, hl))),
                    }
                }
                must_with_all(clauses)
            }
            Node::Or(items) => {
                let clauses = items
                    .iter()
                    .map(|n| (Occur::Should, self.compile(n, exact, negated, hl)))
                    .collect();
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => must_with_all(vec![(
                Occur::MustNot,
                self.compile(inner, exact, !negated, hl),
            )]),
            Node::Leaf(field, term) => self.leaf(*field, term, exact, negated, hl),
        }
    }

    fn leaf(
        &self,
        field: Option<QField>,
        term: &Term,
        exact: bool,
        negated: bool,
        hl: &mut Highlight,
    ) -> Box<dyn Query> {
        let f = &self.fields;
        // (folded field, its exact twin, boost)
        let fields: Vec<(Field, Option<Field>, f32)> = match field {
            // Folded matching also finds the gazetteer's canonical equipment names of aliases
            // found in the text; exact matching looks at the record's own words only.
            None if exact => vec![
                (f.title, Some(f.title_x), 2.0),
                (f.text, Some(f.text_x), 1.0),
                (f.sender, Some(f.sender_x), 1.5),
                (f.recipient, Some(f.recipient_x), 1.5),
            ],
            None => vec![
                (f.title, None, 2.0),
                (f.text, None, 1.0),
                (f.sender, None, 1.5),
                (f.recipient, None, 1.5),
                (f.equipment, None, 1.5),
            ],
            Some(QField::Title) => vec![(f.title, Some(f.title_x), 1.0)],
            Some(QField::Text) => vec![(f.text, Some(f.text_x), 1.0)],
            Some(QField::Path) => vec![(f.path, None, 1.0)],
            Some(QField::Parent) => vec![(f.parent, None, 1.0)],
            Some(QField::Within) => vec![(f.within, None, 1.0)],
            Some(QField::Kind) => vec![(f.kind, None, 1.0)],
            Some(QField::Sender) => vec![(f.sender, Some(f.sender_x), 1.0)],
            Some(QField::Recipient) => vec![(f.recipient, Some(f.recipient_x), 1.0)],
            Some(QField::Equipment) => vec![(f.equipment, Some(f.equipment_x), 1.0)],
            Some(QField::Tag | QField::Status | QField::Date | QField::Id) => Vec::new(),
        };
        if field == Some(QField::Id) {
            return id_query(f.id, term);
        }
        if !negated && matches!(field, None | Some(QField::Text)) {
            hl.add(self.analyzers.get(exact), term);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Term::Date(r) = term {
            clauses.push((Occur::Should, self.date_query(r)));
        } else if matches!(term, Term::All) && field.is_none() {
            return Box::new(AllQuery);
        } else {
            for (folded, twin, boost) in fields {
                let q = match twin {
                    Some(twin) if exact => self.exact_query(folded, twin, term),
                    _ => term_query(folded, &self.analyzers.folded, term),
                };
                if let Some(q) = q {
                    let q: Box<dyn Query> = if boost == 1.0 {
                        q
                    } else {
                        Box::new(BoostQuery::new(q, boost))
                    };
                    clauses.push((Occur::Should, q));
                }
            }
        }
        // A pasted document id finds its document.
        if field.is_none()
            && let Term::Word(w) = term
        {
            clauses.push((Occur::Should, id_query(f.id, &Term::Word(w.clone()))));
        }
        if let Some(field) = field
            && let Some(set) = self.facets.select(&self.analyzers, field, term, exact)
        {
            clauses.push((Occur::Should, self.id_set_query(set)));
        }
        match clauses.len() {
            0 => Box::new(EmptyQuery),
            1 => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        }
    }

    /// Exact matching of one field: the exact twin of records that have non-ASCII values, the
    /// folded field (identical for them) of all-ASCII records.
    fn exact_query(&self, folded: Field, twin: Field, term: &Term) -> Option<Box<dyn Query>> {
        let an = &self.analyzers.exact;
        let in_twin = term_query(twin, an, term);
        let in_folded = term_query(folded, an, term).map(|q| {
            let ascii: Box<dyn Query> = Box::new(TermQuery::new(
                TTerm::from_field_u64(self.fields.ascii, 1),
                IndexRecordOption::Basic,
            ));
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, q),
                (Occur::Must, ascii),
            ])) as Box<dyn Query>
        });
        match (in_twin, in_folded) {
            (Some(a), Some(b)) => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, a),
                (Occur::Should, b),
            ]))),
            (a, b) => a.or(b),
        }
    }

    fn date_query(&self, r: &DateRange) -> Box<dyn Query> {
        let first = r.first.map_or(i64::MIN, day_number);
        let last = r.last.map_or(i64::MAX, day_number);
        let f = &self.fields;
        // The record's span [date_first, date_last] lies within [first, last].
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(TTerm::from_field_i64(f.date_first, first)),
                    Bound::Included(TTerm::from_field_i64(f.date_first, i64::MAX)),
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(TTerm::from_field_i64(f.date_last, i64::MIN)),
                    Bound::Included(TTerm::from_field_i64(f.date_last, last)),
                )),
            ),
        ]))
    }

    /// The documents of a session filter, as a bit set per segment.
    fn id_set_query(&self, set: IdSet) -> Box<dyn Query> {
        let readers = self.searcher.segment_readers();
        let mut sets: Vec<BitSet> = readers
            .iter()
            .map(|r| BitSet::with_max_value(r.max_doc()))
            .collect();
        for &(seg, doc) in &set.docs {
            if let Some(bits) = sets.get_mut(seg as usize) {
                bits.insert(doc);
            }
        }
        if set.complement {
            for (bits, r) in sets.iter_mut().zip(readers) {
                let mut all = BitSet::with_max_value_and_full(r.max_doc());
                for doc in 0..r.max_doc() {
                    if bits.contains(doc) {
                        all.remove(doc);
                    }
                }
                *bits = all;
            }
        }
        let by_segment = readers.iter().map(|r| r.segment_id()).zip(sets).collect();
        Box::new(DocSetQuery {
            sets: Arc::new(by_segment),
        })
    }
}

/// `id:` — the id as typed (ids are not analysed), or every id starting with a prefix (`id:letters/*`).
fn id_query(field: Field, term: &Term) -> Box<dyn Query> {
    match term {
        Term::Word(w) | Term::Phrase(w) | Term::Fuzzy(w, _) => Box::new(TermQuery::new(
            TTerm::from_field_text(field, w.trim()),
            IndexRecordOption::Basic,
        )),
        Term::Prefix(p) if p.is_empty() => Box::new(AllQuery),
        Term::Prefix(p) => {
            let mut upper = p.clone();
            upper.push(char::MAX);
            Box::new(RangeQuery::new(
                Bound::Included(TTerm::from_field_text(field, p)),
                Bound::Excluded(TTerm::from_field_text(field, &upper)),
            ))
        }
        Term::All => Box::new(AllQuery),
        Term::Date(_) => Box::new(EmptyQuery),
    }
}

/// A conjunction; when it has no positive clause, everything is its positive part.
fn must_with_all(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The query for one term on one analysed field; `None` when the term has no tokens.
fn term_query(field: Field, analyzer: &TextAnalyzer, term: &Term) -> Option<Box<dyn Query>> {
    let terms = |s: &str| -> Vec<TTerm> {
        analyzer::tokens(analyzer, s)
            .iter()
            .map(|t| TTerm::from_field_text(field, t))
            .collect()
    };
    let single =
        |t: TTerm| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) };
    match term {
        Term::Word(s) | Term::Phrase(s) => {
            let mut ts = terms(s);
            match ts.len() {
                0 => None,
                1 => Some(single(ts.remove(0))),
                _ => Some(Box::new(PhraseQuery::new(ts))),
            }
        }
        Term::Prefix(s) => {
            let mut ts = terms(s);
            match ts.len() {
                0 => None,
                1 => Some(Box::new(FuzzyTermQuery::new_prefix(ts.remove(0), 0, true))),
                _ => Some(Box::new(PhrasePrefixQuery::new(ts))),
            }
        }
        Term::Fuzzy(s, d) => {
            let ts = terms(s);
            match ts.len() {
                0 => None,
                _ => Some(must_with_all(
                    ts.into_iter()
                        .map(|t| {
                            (
                                Occur::Must,
                                Box::new(FuzzyTermQuery::new(t, *d, true)) as Box<dyn Query>,
                            )
                        })
                        .collect(),
                )),
            }
        }
        Term::All => Some(Box::new(AllQuery)),
        Term::Date(_) => None,
    }
}

/// A fixed set of documents per segment (a session filter), every one scoring `boost`.
#[derive(Clone)]
struct DocSetQuery {
    sets: Arc<HashMap<SegmentId, BitSet>>,
}

impl std::fmt::Debug for DocSetQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: u32 = self.sets.values().map(BitSet::len).map(|l| l as u32).sum();
        write!(f, "DocSetQuery({n} documents)")
    }
}

impl Query for DocSetQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for DocSetQuery {
    fn scorer(&self, reader: &SegmentReader, boost: f32) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.sets.get(&reader.segment_id()) {
            Some(bits) => Box::new(ConstScorer::new(BitSetDocSet::from(bits.clone()), boost)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let hit = self
            .sets
            .get(&reader.segment_id())
            .is_some_and(|b| b.contains(doc));
        if hit {
            Ok(Explanation::new("session filter", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not in the session filter"
            )))
        }
    }
}
