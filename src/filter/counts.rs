//! The facet counts: for each facet value, how many documents pass every *other* facet and have
//! that value (the usual drill-down, so a set facet still offers its other values).

use std::collections::{BTreeMap, HashMap};

use super::FacetCounts;
use super::evaluate::{
    F_DUP, F_EQUIPMENT, F_KIND, F_LINKED, F_SENDER, F_STATUS, F_SUGGEST, F_TAG, Facts,
};
use crate::model::Document;
use crate::session::Status;

/// The facet counts of a pass, counted by reference and owned once at the end.
#[derive(Default)]
pub(super) struct Tally<'a> {
    kinds: HashMap<&'a str, usize>,
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
