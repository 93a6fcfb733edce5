//! The session's part of a query, evaluated in memory: `status:`, `tag:`, and the analyst's own
//! `sender:`, `recipient:`, `equipment:` and `date:` values. A filter over the session becomes a set
//! of document ids (or its complement), which the index combines with the rest of the query.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::analyzer;
use super::query::{DateRange, QField, Term};
use crate::model::PartialDate;
use crate::session::{DocReview, Session, Status};

/// One distinct value of the reviews, as folded and as exact tokens.
#[derive(Clone, Debug, Default)]
struct Value {
    folded: Vec<String>,
    exact: Vec<String>,
}

/// Where a document is in the index: (segment ord, doc).
pub(crate) type Addr = (u32, tantivy::DocId);

/// The searchable part of one document's review; values are indices into [`Facets::values`].
#[derive(Clone, Debug, Default)]
struct Facet {
    addr: Option<Addr>,
    status: Status,
    date: Option<PartialDate>,
    senders: Vec<u32>,
    recipients: Vec<u32>,
    equipment: Vec<u32>,
    tags: Vec<u32>,
}

/// Analyzers used to tokenize review values (the same as the index's).
#[derive(Clone)]
pub(crate) struct Analyzers {
    pub folded: TextAnalyzer,
    pub exact: TextAnalyzer,
}

impl Analyzers {
    pub fn new() -> Self {
        Self {
            folded: analyzer::folded(),
            exact: analyzer::exact(),
        }
    }

    pub fn get(&self, exact: bool) -> &TextAnalyzer {
        if exact { &self.exact } else { &self.folded }
    }
}

/// Every reviewed document's facet; distinct values are tokenized once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facets {
    by_id: HashMap<String, Facet>,
    values: Vec<Value>,
    value_ids: HashMap<String, u32>,
}

/// A set of documents the session selects: `docs`, or every document but `docs` when `complement`.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdSet {
    pub docs: Vec<Addr>,
    pub complement: bool,
}

impl Facets {
    pub fn from_session(
        a: &Analyzers,
        session: Option<&Session>,
        addr: &dyn Fn(&str) -> Option<Addr>,
    ) -> Self {
        let mut out = Self::default();
        if let Some(s) = session {
            out.by_id.reserve(s.reviews().len());
            for (id, r) in s.reviews() {
                out.update(a, id, Some(r), Some(s), addr(id));
            }
        }
        out
    }

    fn value_id(&mut self, a: &Analyzers, v: &str) -> u32 {
        if let Some(&i) = self.value_ids.get(v) {
            return i;
        }
        let i = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.values.push(Value {
            folded: analyzer::tokens(&a.folded, v),
            exact: analyzer::tokens(&a.exact, v),
        });
        self.value_ids.insert(v.to_owned(), i);
        i
    }

    /// Sets (or with `None` removes) one document's review. Merged entity names count under
    /// their canonical name too when the session is given.
    pub fn update(
        &mut self,
        a: &Analyzers,
        id: &str,
        review: Option<&DocReview>,
        session: Option<&Session>,
        addr: Option<Addr>,
    ) {
        let Some(r) = review else {
            self.by_id.remove(id);
            return;
        };
        let mut list = |values: &[String]| {
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                out.push(self.value_id(a, v));
                if let Some(s) = session {
                    let canonical = s.canonical(v);
                    if canonical != v {
                        out.push(self.value_id(a, canonical));
                    }
                }
            }
            out
        };
        let facet = Facet {
            addr,
            status: r.status,
            date: r.date,
            senders: list(&r.senders),
            recipients: list(&r.recipients),
            equipment: list(&r.equipment),
            tags: list(&r.tags),
        };
        self.by_id.insert(id.to_owned(), facet);
    }

    /// The documents whose review matches a session leaf. `None` when the field has no session part.
    pub fn select(&self, a: &Analyzers, field: QField, term: &Term, exact: bool) -> Option<IdSet> {
        let pred = Pred::new(a, field, term, exact)?;
        // Value predicates are evaluated once per distinct value.
        let matching: Vec<bool> = match &pred {
            Pred::Values(_, m) => self
                .values
                .iter()
                .map(|v| m.matches(if exact { &v.exact } else { &v.folded }))
                .collect(),
            _ => Vec::new(),
        };
        let default_matches = pred.matches(&Facet::default(), &matching);
        // When an untouched document matches (`status:unreviewed`), list the reviewed ones that do not.
        let docs = self
            .by_id
            .values()
            .filter(|f| pred.matches(f, &matching) != default_matches)
            .filter_map(|f| f.addr)
            .collect();
        Some(IdSet {
            docs,
            complement: default_matches,
        })
    }
}

/// A compiled session leaf.
enum Pred {
    Status(String),
    Date(DateRange),
    Values(QField, Match),
    All(QField),
}

/// How the query tokens must appear in a value's tokens.
enum Match {
    /// Contiguous tokens.
    Seq(Vec<String>),
    /// Contiguous tokens, the last one a prefix.
    Prefix(Vec<String>),
    /// Each token within `distance` edits of some value token.
    Fuzzy(Vec<String>, u8),
}

impl Pred {
    fn new(a: &Analyzers, field: QField, term: &Term, exact: bool) -> Option<Self> {
        let an = a.get(exact);
        let toks = |s: &str| analyzer::tokens(an, s);
        match field {
            QField::Status => match term {
                Term::Word(s) | Term::Phrase(s) | Term::Prefix(s) | Term::Fuzzy(s, _) => {
                    Some(Self::Status(s.trim().to_lowercase()))
                }
                _ => Some(Self::All(field)),
            },
            QField::Date => match term {
                Term::Date(r) => Some(Self::Date(*r)),
                _ => Some(Self::All(field)),
            },
            QField::Sender | QField::Recipient | QField::Equipment | QField::Tag => {
                Some(match term {
                    Term::Word(s) | Term::Phrase(s) => Self::Values(field, Match::Seq(toks(s))),
                    Term::Prefix(s) => Self::Values(field, Match::Prefix(toks(s))),
                    Term::Fuzzy(s, d) => Self::Values(field, Match::Fuzzy(toks(s), *d)),
                    Term::Date(_) | Term::All => Self::All(field),
                })
            }
            _ => None,
        }
    }

    fn matches(&self, f: &Facet, matching: &[bool]) -> bool {
        match self {
            Self::Status(s) => {
                let exact_hit = Status::ALL.iter().any(|st| st.as_str() == s);
                if exact_hit {
                    f.status.as_str() == s
                } else {
                    f.status.as_str().starts_with(s.as_str())
                }
            }
            Self::Date(r) => f.date.as_ref().is_some_and(|d| r.contains(d)),
            Self::All(field) => match field {
                QField::Date => f.date.is_some(),
                QField::Sender => !f.senders.is_empty(),
                QField::Recipient => !f.recipients.is_empty(),
                QField::Equipment => !f.equipment.is_empty(),
                QField::Tag => !f.tags.is_empty(),
                _ => true,
            },
            Self::Values(field, _) => {
                let list = match field {
                    QField::Sender => &f.senders,
                    QField::Recipient => &f.recipients,
                    QField::Equipment => &f.equipment,
                    _ => &f.tags,
                };
                list.iter()
                    .any(|&v| matching.get(v as usize).copied().unwrap_or(false))
            }
        }
    }
}

impl Match {
    fn matches(&self, value: &[String]) -> bool {
        match self {
            Self::Seq(q) => !q.is_empty() && value.windows(q.len()).any(|w| w == q.as_slice()),
            Self::Prefix(q) => {
                let Some((last, head)) = q.split_last() else {
                    return !value.is_empty();
                };
                value
                    .windows(q.len())
                    .any(|w| w[..head.len()] == *head && w[head.len()].starts_with(last.as_str()))
            }
            Self::Fuzzy(q, d) => {
                !q.is_empty()
                    && q.iter()
                        .all(|t| value.iter().any(|v| within_distance(t, v, usize::from(*d))))
            }
        }
    }
}

/// Optimal-string-alignment distance (a transposition costs one) is at most `max`.
pub(crate) fn within_distance(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()] <= max
}
