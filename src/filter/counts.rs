//! The facet counts: for each facet value, how many documents pass every *other* facet and have
//! that value (the usual drill-down, so a set facet still offers its other values).

use std::collections::{BTreeMap, HashMap};

use super::FacetCounts;
use super::evaluate::{
    F_CONTAINER, F_DUP, F_EQUIPMENT, F_KIND, F_LINKED, F_SENDER, F_STATUS, F_SUGGEST, F_TAG, Facts,
};
use crate::model::Document;
use crate::session::Status;

/// The facet counts of a pass, counted by reference and owned once at the end.
#[derive(Default)]
pub(super) struct Tally<'a> {
    kinds: HashMap<&'a str, usize>,
    containers: HashMap<&'static str, usize>,
    statuses: BTreeMap<Status, usize>,
    senders: HashMap<&'a str, usize>,
    equipment: HashMap<&'a str, usize>,
    tags: HashMap<&'a str, usize>,
    linked: (usize, usize),
    has_suggestions: (usize, usize),
    duplicate: (usize, usize),
}

impl<'a> Tally<'a> {
    /// Counts a document for facet F when it passes every facet other than F.
    pub(super) fn add(&mut self, doc: &'a Document, facts: &Facts<'a>, fails: u16) {
        let counts_for = |f: u16| fails & !f == 0;
        if counts_for(F_KIND) {
            *self.kinds.entry(doc.kind.as_str()).or_default() += 1;
        }
        if counts_for(F_CONTAINER) {
            *self
                .containers
                .entry(crate::ingest::container_format(doc))
                .or_default() += 1;
        }
        if counts_for(F_STATUS) {
            *self.statuses.entry(facts.status).or_default() += 1;
        }
        if counts_for(F_SENDER) {
            for s in &facts.senders {
                *self.senders.entry(s).or_default() += 1;
            }
        }
        if counts_for(F_EQUIPMENT) {
            for s in &facts.equipment {
                *self.equipment.entry(s).or_default() += 1;
            }
        }
        if counts_for(F_TAG) {
            for s in facts.tags {
                *self.tags.entry(s.as_str()).or_default() += 1;
            }
        }
        let bump = |pair: &mut (usize, usize), yes: bool| {
            if yes {
                pair.0 += 1;
            } else {
                pair.1 += 1;
            }
        };
        if counts_for(F_LINKED) {
            bump(&mut self.linked, facts.linked);
        }
        if counts_for(F_SUGGEST) {
            bump(&mut self.has_suggestions, facts.has_suggestions);
        }
        if counts_for(F_DUP) {
            bump(&mut self.duplicate, facts.duplicate);
        }
    }

    pub(super) fn finish(self) -> FacetCounts {
        let owned = |m: HashMap<&str, usize>| -> BTreeMap<String, usize> {
            m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
        };
        FacetCounts {
            kinds: owned(self.kinds),
            containers: self
                .containers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            statuses: self.statuses,
            senders: owned(self.senders),
            equipment: owned(self.equipment),
            tags: owned(self.tags),
            linked: self.linked,
            has_suggestions: self.has_suggestions,
            duplicate: self.duplicate,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::filter::fixture::{fixture, map, names, run, with};
    use crate::filter::{
        DocMeta, FacetCounts, Filter, FilterInput, doc_meta, evaluate, evaluate_with, text_mask,
    };
    use crate::session::{Session, Status};

    #[test]
    fn an_empty_filter_passes_everything_and_counts_every_value() {
        let f = fixture();
        let (passed, counts) = run(&f, &Filter::default());
        assert_eq!(passed, ["a.txt", "b.txt", "c.txt", "d.txt"]);
        assert_eq!(
            counts,
            FacetCounts {
                kinds: names(&[("letter", 2), ("invoice", 1), ("memo", 1)]),
                containers: names(&[("loose file", 4)]),
                statuses: map(&[
                    (Status::Unreviewed, 1),
                    (Status::Relevant, 1),
                    (Status::Irrelevant, 1),
                    (Status::Key, 1),
                ]),
                // d.txt's blank sender is none.
                senders: names(&[("SAEA", 1), ("Min. of Defence", 1)]),
                equipment: names(&[("Groza", 1), ("Groza-S", 1)]),
                tags: names(&[("urgent", 1)]),
                linked: (1, 3),
                // d.txt's suggestions are known and empty.
                has_suggestions: (1, 3),
                duplicate: (1, 3),
            }
        );
    }

    #[test]
    fn kind_filter_keeps_its_own_counts_and_narrows_the_others() {
        let f = fixture();
        let (passed, counts) = run(
            &f,
            &with(|f| {
                f.kinds.insert("letter".into());
            }),
        );
        assert_eq!(passed, ["a.txt", "c.txt"]);
        assert_eq!(
            counts.kinds,
            names(&[("letter", 2), ("invoice", 1), ("memo", 1)]),
            "a facet's own values count as if it were not set"
        );
        assert_eq!(
            counts.statuses,
            map(&[(Status::Relevant, 1), (Status::Irrelevant, 1)])
        );
        assert_eq!(counts.senders, names(&[("SAEA", 1)]));
        assert_eq!(counts.duplicate, (1, 1));
    }

    #[test]
    fn two_facets_narrow_each_other_but_not_themselves() {
        let f = fixture();
        let filter = with(|f| {
            f.kinds.insert("letter".into());
            f.statuses.insert(Status::Irrelevant);
        });
        let (passed, counts) = run(&f, &filter);
        assert_eq!(passed, ["c.txt"]);
        assert_eq!(counts.kinds, names(&[("letter", 1)]), "irrelevant ones");
        assert_eq!(
            counts.statuses,
            map(&[(Status::Relevant, 1), (Status::Irrelevant, 1)]),
            "letters"
        );
        assert_eq!(counts.linked, (0, 1));
    }

    #[test]
    fn without_counts_the_same_documents_pass() {
        let f = fixture();
        let filters = [
            Filter::default(),
            with(|f| f.text = "groza".into()),
            with(|f| {
                f.kinds.insert("letter".into());
            }),
            with(|f| {
                f.statuses.insert(Status::Key);
            }),
            with(|f| {
                f.senders.insert("SAEA".into());
            }),
            with(|f| {
                f.equipment.insert("Groza-S".into());
            }),
            with(|f| f.date_to = "2019".into()),
            with(|f| f.has_suggestions = Some(false)),
            with(|f| {
                f.text = "radar".into();
                f.duplicate = Some(false);
            }),
        ];
        for filter in &filters {
            let mask = text_mask(&f.cache.documents, &filter.text);
            let (all, counts) = evaluate_with(f.input(), filter, mask.as_deref(), true);
            let (fast, none) = evaluate_with(f.input(), filter, mask.as_deref(), false);
            assert_eq!(fast, all, "{filter:?}");
            assert_eq!(none, FacetCounts::default(), "{filter:?}");
            assert_ne!(counts, FacetCounts::default(), "{filter:?}");
        }
    }

    #[test]
    fn the_sample_cache_counts_add_up() {
        let cache = crate::ingest::scan(&crate::sample_cache_dir()).unwrap();
        let metas: Vec<DocMeta> = cache.documents.iter().map(doc_meta).collect();
        let session = Session::new(&cache.root, None, "tester", &cache);
        let suggestions = HashMap::new();
        let input = FilterInput {
            cache: &cache,
            session: &session,
            metas: &metas,
            suggestions: &suggestions,
        };
        let n = cache.documents.len();
        assert!(n > 10, "the sample cache has {n} documents");
        let (all, counts) = evaluate(input, &Filter::default(), None);
        assert_eq!(all, (0..n).collect::<Vec<_>>());
        assert_eq!(counts.kinds.values().sum::<usize>(), n);
        assert_eq!(counts.statuses, map(&[(Status::Unreviewed, n)]));
        assert_eq!(counts.has_suggestions, (0, n), "none computed yet");
        for (kind, &count) in &counts.kinds {
            let filter = with(|f| {
                f.kinds.insert(kind.clone());
            });
            let (passed, _) = evaluate(input, &filter, None);
            assert_eq!(passed.len(), count, "{kind}");
            assert!(passed.iter().all(|&i| cache.documents[i].kind == *kind));
        }
    }
}
