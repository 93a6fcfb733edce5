//! A small cache and session for the filter's tests.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{DocMeta, FacetCounts, Filter, FilterInput, doc_meta, evaluate, text_mask};
use crate::model::{
    Article, Cache, Candidate, Document, Origin, PartialDate, Statement, Suggestions,
};
use crate::session::{self, Command, Field, Link, Relation, Session, Status};

/// The cache, the session over it, its metas and suggestions: what a [`FilterInput`] borrows.
pub(crate) struct Fixture {
    pub(crate) cache: Cache,
    pub(crate) session: Session,
    pub(crate) metas: Vec<DocMeta>,
    pub(crate) suggestions: HashMap<String, Suggestions>,
}

impl Fixture {
    pub(crate) fn input(&self) -> FilterInput<'_> {
        FilterInput {
            cache: &self.cache,
            session: &self.session,
            metas: &self.metas,
            suggestions: &self.suggestions,
        }
    }

    /// Applies a command as the window or the command line would.
    pub(crate) fn apply(&mut self, cmd: Command) {
        session::apply(&mut self.session, &self.cache, &cmd).unwrap();
    }

    /// The ids of documents at these indices.
    pub(crate) fn ids(&self, indices: &[usize]) -> Vec<&str> {
        indices
            .iter()
            .map(|&i| self.cache.documents[i].id.as_str())
            .collect()
    }
}

pub(crate) fn doc(id: &str, kind: &str, title: &str, text: &str) -> Document {
    Document {
        id: id.to_owned(),
        path: id.to_owned(),
        kind: kind.to_owned(),
        title: title.to_owned(),
        text: text.to_owned(),
        sha256: crate::sha256_hex(text.as_bytes()),
        ..Document::default()
    }
}

pub(crate) const STATEMENT: &str = "SAEA shipped the Groza radar in 2019.";

/// Four documents, in cache order:
/// - `a.txt`: letter, stated sender SAEA, stated date 2019-03-04, text in Cyrillic (`Гроза`);
/// - `b.txt`: invoice, no sender, stated date 2020, suggested equipment Groza-S;
/// - `c.txt`: letter, duplicate of `a.txt`, undated;
/// - `d.txt`: memo, stated sender "  " (blank), undated.
///
/// and a session where the analyst marked `a.txt` relevant (tag `urgent`, linked to S1),
/// `b.txt` key (sender "Min. of Defence", equipment "Groza", date 2018-05), `c.txt` irrelevant.
pub(crate) fn fixture() -> Fixture {
    let mut a = doc(
        "a.txt",
        "letter",
        "Delivery of the radar",
        "Поставка: радар Гроза отправлен.",
    );
    a.sender = Some("SAEA".into());
    a.date = Some("2019-03-04".into());
    let mut b = doc("b.txt", "invoice", "Invoice 7", "Payment for spare parts.");
    b.date = Some("2020".into());
    let mut c = doc(
        "c.txt",
        "letter",
        "Delivery (copy)",
        "Поставка: радар Гроза.",
    );
    c.duplicate_of = Some("a.txt".into());
    let mut d = doc("d.txt", "memo", "Ёлка memo", "Nothing about it.");
    d.sender = Some("  ".into());
    let article = Article {
        title: Some("The radar".into()),
        statements: vec![Statement {
            id: "S1".into(),
            text: STATEMENT.into(),
        }],
        sha256: crate::sha256_hex(STATEMENT.as_bytes()),
        text: STATEMENT.into(),
    };
    let cache = Cache {
        root: Path::new("/nonexistent/cache").to_path_buf(),
        documents: vec![a, b, c, d],
        article: Some(("article.md".into(), article)),
        ..Cache::default()
    };
    let metas = cache.documents.iter().map(doc_meta).collect();
    let mut suggestions = HashMap::new();
    suggestions.insert(
        "b.txt".to_owned(),
        Suggestions {
            equipment: vec![Candidate {
                value: "Groza-S".into(),
                origin: Origin::Text,
                quote: None,
                start: None,
                end: None,
                page: None,
            }],
            ..Suggestions::default()
        },
    );
    suggestions.insert("d.txt".to_owned(), Suggestions::default());
    let session = Session::new(&cache.root, None, "tester", &cache);
    let mut f = Fixture {
        cache,
        session,
        metas,
        suggestions,
    };
    f.review();
    f
}

impl Fixture {
    fn review(&mut self) {
        let set = |doc: &str, status| Command::SetStatus {
            doc: doc.into(),
            status,
        };
        let add = |doc: &str, field, value: &str| Command::Add {
            doc: doc.into(),
            field,
            value: value.into(),
        };
        self.apply(set("a.txt", Status::Relevant));
        self.apply(add("a.txt", Field::Tag, "urgent"));
        self.apply(Command::Link {
            doc: "a.txt".into(),
            link: Link {
                statement: "S1".into(),
                statement_text: STATEMENT.into(),
                relation: Relation::Supports,
                quote: None,
                note: None,
                ..Link::default()
            },
        });
        self.apply(set("b.txt", Status::Key));
        self.apply(add("b.txt", Field::Sender, "Min. of Defence"));
        self.apply(add("b.txt", Field::Equipment, "Groza"));
        self.apply(Command::SetDate {
            doc: "b.txt".into(),
            date: PartialDate::ym(2018, 5),
        });
        self.apply(set("c.txt", Status::Irrelevant));
    }
}

/// The ids that pass a filter (its text run as a substring mask), with the facet counts.
pub(crate) fn run(f: &Fixture, filter: &Filter) -> (Vec<String>, FacetCounts) {
    let mask = text_mask(&f.cache.documents, &filter.text);
    let (indices, counts) = evaluate(f.input(), filter, mask.as_deref());
    let ids = f.ids(&indices).into_iter().map(str::to_owned).collect();
    (ids, counts)
}

/// The ids that pass a filter.
pub(crate) fn ids(f: &Fixture, filter: &Filter) -> Vec<String> {
    run(f, filter).0
}

/// A filter set by `set`.
pub(crate) fn with(set: impl FnOnce(&mut Filter)) -> Filter {
    let mut filter = Filter::default();
    set(&mut filter);
    filter
}

/// A count map.
pub(crate) fn map<K: Ord + Clone>(pairs: &[(K, usize)]) -> BTreeMap<K, usize> {
    pairs.iter().cloned().collect()
}

/// A count map of names.
pub(crate) fn names(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}
