//! Which documents pass a [`Filter`], and how many would pass with each facet value.
//!
//! One pass over the cache: per document, its facet values are read ([`Facts`]), the facets it
//! fails are noted as bits ([`failures`]), and it is counted for every facet whose only failure
//! (if any) is that facet itself ([`Tally`](super::counts::Tally)).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::counts::Tally;
use super::{DocMeta, FacetCounts, Filter, FilterInput, Tri, effective_date};
use crate::model::{Document, PartialDate, Suggestions};
use crate::session::{DocReview, Session, Status};

pub(super) const F_TEXT: u16 = 1;
pub(super) const F_KIND: u16 = 1 << 1;
pub(super) const F_STATUS: u16 = 1 << 2;
pub(super) const F_SENDER: u16 = 1 << 3;
pub(super) const F_EQUIPMENT: u16 = 1 << 4;
pub(super) const F_TAG: u16 = 1 << 5;
pub(super) const F_DATE: u16 = 1 << 6;
pub(super) const F_LINKED: u16 = 1 << 7;
pub(super) const F_SUGGEST: u16 = 1 << 8;
pub(super) const F_DUP: u16 = 1 << 9;
pub(super) const F_CONTAINER: u16 = 1 << 10;

/// Filters the documents: returns the matching indices (cache order) and the facet counts.
///
/// `mask` is the result of [`super::text_mask`] for `filter.text` (pass it in so the window can
/// keep it while only the session changes). A bad date bound is ignored (the filter bar shows it).
pub fn evaluate(
    input: FilterInput<'_>,
    filter: &Filter,
    mask: Option<&[bool]>,
) -> (Vec<usize>, FacetCounts) {
    evaluate_with(input, filter, mask, true)
}

/// [`evaluate`], counting the facet values only when `with_counts` (counting every sender of a
/// big cache costs more than filtering it; the window counts only while the facets are shown).
pub fn evaluate_with(
    input: FilterInput<'_>,
    filter: &Filter,
    mask: Option<&[bool]>,
    with_counts: bool,
) -> (Vec<usize>, FacetCounts) {
    let FilterInput {
        cache,
        session,
        metas,
        suggestions,
    } = input;
    let (from, to) = filter.date_range().unwrap_or((None, None));
    let bounds = Bounds { from, to };
    let needs = Needs::of(filter, bounds, with_counts);
    let mut indices = Vec::new();
    let mut facts = Facts::default();
    let mut tally = Tally::default();
    for (i, doc) in cache.documents.iter().enumerate() {
        let text_fails = mask.is_some_and(|m| !m.get(i).copied().unwrap_or(false));
        if text_fails && !with_counts {
            continue;
        }
        facts.read(doc, session, suggestions, needs);
        let mut fails = failures(filter, doc, &facts, metas.get(i), bounds);
        if text_fails {
            fails |= F_TEXT;
        }
        if fails == 0 {
            indices.push(i);
        }
        if with_counts {
            tally.add(doc, &facts, fails);
        }
    }
    (indices, tally.finish())
}

/// The date range of the filter (first day, last day), each bound optional.
#[derive(Clone, Copy, Debug, Default)]
struct Bounds {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl Bounds {
    fn is_set(self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// True when the date overlaps the range (an undated document never does).
    fn admits(self, date: Option<PartialDate>) -> bool {
        date.is_some_and(|d| {
            let (first, last) = d.span();
            self.from.is_none_or(|f| last >= f) && self.to.is_none_or(|t| first <= t)
        })
    }
}

/// What to look up per document: only what the filter (or the counting) asks for, since at
/// 100,000 documents each lookup per document costs milliseconds.
#[derive(Clone, Copy, Debug)]
struct Needs {
    review: bool,
    suggestions: bool,
    senders: bool,
    equipment: bool,
}

impl Needs {
    fn of(filter: &Filter, bounds: Bounds, with_counts: bool) -> Self {
        let senders = with_counts || !filter.senders.is_empty();
        let equipment = with_counts || !filter.equipment.is_empty();
        Self {
            review: senders
                || equipment
                || !filter.statuses.is_empty()
                || !filter.tags.is_empty()
                || bounds.is_set()
                || filter.linked.is_some(),
            suggestions: equipment || filter.has_suggestions.is_some(),
            senders,
            equipment,
        }
    }
}

/// One document's facet values (borrowed from the cache and the session). The vectors are kept
/// from one document to the next, so a pass allocates them once.
#[derive(Default)]
pub(super) struct Facts<'a> {
    pub(super) review: Option<&'a DocReview>,
    pub(super) status: Status,
    /// The stated sender, then the accepted ones (canonical), each once.
    pub(super) senders: Vec<&'a str>,
    /// The accepted equipment (canonical), then the suggested, each once.
    pub(super) equipment: Vec<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) linked: bool,
    pub(super) has_suggestions: bool,
    pub(super) duplicate: bool,
}

impl<'a> Facts<'a> {
    fn read(
        &mut self,
        doc: &'a Document,
        session: &'a Session,
        suggestions: &'a HashMap<String, Suggestions>,
        needs: Needs,
    ) {
        let review = if needs.review {
            session.review(&doc.id)
        } else {
            None
        };
        let sugg = if needs.suggestions {
            suggestions.get(&doc.id)
        } else {
            None
        };
        self.review = review;
        self.status = review.map(|r| r.status).unwrap_or_default();
        self.senders.clear();
        if needs.senders {
            push_senders(&mut self.senders, doc, review, session);
        }
        self.equipment.clear();
        if needs.equipment {
            push_equipment(&mut self.equipment, review, sugg, session);
        }
        self.tags = review.map(|r| r.tags.as_slice()).unwrap_or_default();
        self.linked = review.is_some_and(|r| !r.links.is_empty());
        self.has_suggestions = sugg.is_some_and(|s| !s.is_empty());
        self.duplicate = doc.duplicate_of.is_some();
    }
}

fn push_senders<'a>(
    out: &mut Vec<&'a str>,
    doc: &'a Document,
    review: Option<&'a DocReview>,
    session: &'a Session,
) {
    if let Some(s) = doc
        .sender
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        out.push(s);
    }
    for s in review.map(|r| r.senders.as_slice()).unwrap_or_default() {
        let c = session.canonical(s);
        if !out.contains(&c) {
            out.push(c);
        }
    }
}

fn push_equipment<'a>(
    out: &mut Vec<&'a str>,
    review: Option<&'a DocReview>,
    suggestions: Option<&'a Suggestions>,
    session: &'a Session,
) {
    for s in review.map(|r| r.equipment.as_slice()).unwrap_or_default() {
        let c = session.canonical(s);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    for c in suggestions
        .map(|s| s.equipment.as_slice())
        .unwrap_or_default()
    {
        if !out.contains(&c.value.as_str()) {
            out.push(&c.value);
        }
    }
}

fn tri_ok(want: Tri, have: bool) -> bool {
    want.is_none_or(|w| w == have)
}

/// The facets (other than the free text) a document fails, as `F_*` bits.
fn failures(
    filter: &Filter,
    doc: &Document,
    facts: &Facts<'_>,
    meta: Option<&DocMeta>,
    bounds: Bounds,
) -> u16 {
    let any_of = |set: &std::collections::BTreeSet<String>, values: &[&str]| {
        set.is_empty() || values.iter().any(|v| set.contains(*v))
    };
    let checks = [
        (
            filter.kinds.is_empty() || filter.kinds.contains(&doc.kind),
            F_KIND,
        ),
        (
            filter.statuses.is_empty() || filter.statuses.contains(&facts.status),
            F_STATUS,
        ),
        (any_of(&filter.senders, &facts.senders), F_SENDER),
        (any_of(&filter.equipment, &facts.equipment), F_EQUIPMENT),
        (
            filter.tags.is_empty() || facts.tags.iter().any(|t| filter.tags.contains(t)),
            F_TAG,
        ),
        (
            !bounds.is_set() || bounds.admits(effective_date(facts.review, meta)),
            F_DATE,
        ),
        (tri_ok(filter.linked, facts.linked), F_LINKED),
        (
            tri_ok(filter.has_suggestions, facts.has_suggestions),
            F_SUGGEST,
        ),
        (tri_ok(filter.duplicate, facts.duplicate), F_DUP),
        (
            filter.containers.is_empty()
                || filter
                    .containers
                    .contains(crate::ingest::container_format(doc)),
            F_CONTAINER,
        ),
    ];
    checks
        .into_iter()
        .filter(|(ok, _)| !ok)
        .fold(0, |fails, (_, bit)| fails | bit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::fixture::{fixture, ids, names, run, with};
    use crate::session::Command;

    #[test]
    fn status_filter_is_any_of_and_untouched_documents_are_unreviewed() {
        let f = fixture();
        let filter = with(|f| {
            f.statuses.insert(Status::Key);
            f.statuses.insert(Status::Relevant);
        });
        assert_eq!(ids(&f, &filter), ["a.txt", "b.txt"]);
        let unreviewed = with(|f| {
            f.statuses.insert(Status::Unreviewed);
        });
        assert_eq!(ids(&f, &unreviewed), ["d.txt"]);
    }

    #[test]
    fn status_filter_follows_the_session() {
        let mut f = fixture();
        let key = with(|f| {
            f.statuses.insert(Status::Key);
        });
        assert_eq!(ids(&f, &key), ["b.txt"]);
        f.apply(Command::SetStatus {
            doc: "d.txt".into(),
            status: Status::Key,
        });
        assert_eq!(ids(&f, &key), ["b.txt", "d.txt"]);
        let (_, counts) = run(&f, &Filter::default());
        assert_eq!(counts.statuses.get(&Status::Key), Some(&2));
        assert_eq!(counts.statuses.get(&Status::Unreviewed), None);
    }

    #[test]
    fn sender_filter_matches_stated_and_accepted_senders_after_merges() {
        let mut f = fixture();
        let saea = with(|f| {
            f.senders.insert("SAEA".into());
        });
        assert_eq!(ids(&f, &saea), ["a.txt"], "stated");
        let ministry = with(|f| {
            f.senders.insert("Ministry of Defence".into());
        });
        assert!(ids(&f, &ministry).is_empty());
        f.apply(Command::MergeEntity {
            from: "Min. of Defence".into(),
            into: "Ministry of Defence".into(),
        });
        let (passed, counts) = run(&f, &ministry);
        assert_eq!(passed, ["b.txt"], "accepted, under its canonical name");
        assert_eq!(
            counts.senders,
            names(&[("SAEA", 1), ("Ministry of Defence", 1)])
        );
    }

    #[test]
    fn equipment_filter_matches_accepted_and_suggested_values() {
        let f = fixture();
        let suggested = with(|f| {
            f.equipment.insert("Groza-S".into());
        });
        assert_eq!(ids(&f, &suggested), ["b.txt"]);
        let accepted = with(|f| {
            f.equipment.insert("Groza".into());
        });
        assert_eq!(ids(&f, &accepted), ["b.txt"]);
        let unknown = with(|f| {
            f.equipment.insert("Buk".into());
        });
        assert!(ids(&f, &unknown).is_empty());
    }

    #[test]
    fn tag_filter() {
        let f = fixture();
        assert_eq!(
            ids(
                &f,
                &with(|f| {
                    f.tags.insert("urgent".into());
                })
            ),
            ["a.txt"]
        );
    }

    #[test]
    fn date_range_uses_the_accepted_date_else_the_stated_one() {
        let f = fixture();
        let range = |from: &str, to: &str| {
            with(|f| {
                f.date_from = from.into();
                f.date_to = to.into();
            })
        };
        assert_eq!(ids(&f, &range("2019", "2019")), ["a.txt"]);
        assert!(
            ids(&f, &range("2020", "")).is_empty(),
            "b.txt states 2020 but the analyst accepted 2018-05"
        );
        assert_eq!(ids(&f, &range("2018-05", "2018-05")), ["b.txt"]);
        assert_eq!(ids(&f, &range("", "2018")), ["b.txt"]);
        assert_eq!(
            ids(&f, &range("2019-03-04", "")),
            ["a.txt"],
            "undated documents never pass a range"
        );
        assert_eq!(
            ids(&f, &range("2019-03-05", "2019-12-31")),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(&f, &range("2019-13", "")),
            ["a.txt", "b.txt", "c.txt", "d.txt"],
            "a bad bound filters nothing"
        );
    }

    #[test]
    fn a_partial_date_passes_a_range_it_overlaps() {
        let f = fixture();
        let filter = with(|f| {
            f.date_from = "2020-06-01".into();
            f.date_to = "2020-06-30".into();
        });
        assert!(
            ids(&f, &filter).is_empty(),
            "b.txt's accepted date is 2018-05"
        );
        let filter = with(|f| {
            f.date_from = "2018-05-31".into();
            f.date_to = "2018-07".into();
        });
        assert_eq!(ids(&f, &filter), ["b.txt"]);
    }

    #[test]
    fn linked_suggestions_and_duplicate_are_yes_no_facets() {
        let f = fixture();
        let tri = |set: fn(&mut Filter, Tri), want: bool| ids(&f, &with(|f| set(f, Some(want))));
        assert_eq!(tri(|f, v| f.linked = v, true), ["a.txt"]);
        assert_eq!(tri(|f, v| f.linked = v, false), ["b.txt", "c.txt", "d.txt"]);
        assert_eq!(tri(|f, v| f.has_suggestions = v, true), ["b.txt"]);
        assert_eq!(
            tri(|f, v| f.has_suggestions = v, false),
            ["a.txt", "c.txt", "d.txt"]
        );
        assert_eq!(tri(|f, v| f.duplicate = v, true), ["c.txt"]);
        assert_eq!(
            tri(|f, v| f.duplicate = v, false),
            ["a.txt", "b.txt", "d.txt"]
        );
    }

    #[test]
    fn the_container_facet_keeps_the_members_of_a_kind_of_container() {
        let mut f = fixture();
        // d.txt becomes an attachment of an e-mail in a zip.
        let d = &mut f.cache.documents[3];
        d.id = "x.zip!/m.eml!/d.txt".into();
        d.path = d.id.clone();
        d.parent = Some("x.zip!/m.eml".into());
        let only = |set: &str| {
            ids(
                &f,
                &with(|f| {
                    f.containers.insert(set.into());
                }),
            )
        };
        assert_eq!(only("e-mail"), ["x.zip!/m.eml!/d.txt"]);
        assert_eq!(only("loose file"), ["a.txt", "b.txt", "c.txt"]);
        assert!(
            only("zip").is_empty(),
            "directly in the e-mail, not the zip"
        );
        let (_, counts) = run(&f, &Filter::default());
        assert_eq!(counts.containers.get("e-mail"), Some(&1));
        assert_eq!(counts.containers.get("loose file"), Some(&3));
    }

    #[test]
    fn the_text_mask_is_one_more_facet() {
        let f = fixture();
        let (passed, counts) = run(&f, &with(|f| f.text = "гроза".into()));
        assert_eq!(passed, ["a.txt", "c.txt"]);
        assert_eq!(counts.kinds, names(&[("letter", 2)]));
        assert_eq!(counts.duplicate, (1, 1));
        // The mask is taken as given, whatever the text.
        let (indices, _) = evaluate(f.input(), &Filter::default(), Some(&[false, true]));
        assert_eq!(indices, [1], "documents past the end of the mask fail");
    }
}
