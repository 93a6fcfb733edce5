//! What the index holds: the schema (a folded field and its exact twin per text), the analyzers
//! registered on it, and how a cache record becomes an index document ([`Prep`]).

use std::collections::{HashMap, HashSet};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};

use super::analyzer;
use crate::extract::Extractor;
use crate::model::{Document, PartialDate};

/// The fields of the index schema (`*_x`: the exact twin of a folded field).
#[derive(Clone, Copy, Debug)]
pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) sha256: Field,
    pub(super) path: Field,
    /// The id of the container the record is a member of (`parent:`).
    pub(super) parent: Field,
    /// The ids of every container the record is inside, at any depth (`in:`).
    pub(super) within: Field,
    pub(super) kind: Field,
    pub(super) title: Field,
    pub(super) title_x: Field,
    pub(super) text: Field,
    pub(super) text_x: Field,
    pub(super) sender: Field,
    pub(super) sender_x: Field,
    pub(super) recipient: Field,
    pub(super) recipient_x: Field,
    pub(super) equipment: Field,
    pub(super) equipment_x: Field,
    pub(super) date_first: Field,
    pub(super) date_last: Field,
    /// 1 when every indexed value of the record is ASCII: its exact tokens equal its folded
    /// tokens, so the `*_exact` fields are left empty and exact queries read the folded ones.
    pub(super) ascii: Field,
}

/// The index schema and its fields.
pub(super) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str, stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        sha256: b.add_text_field("sha256", STRING | STORED),
        path: b.add_text_field("path", text(analyzer::FOLDED, true)),
        parent: b.add_text_field("parent", text(analyzer::FOLDED, false)),
        within: b.add_text_field("within", text(analyzer::FOLDED, false)),
        kind: b.add_text_field("kind", text(analyzer::FOLDED, false)),
        title: b.add_text_field("title", text(analyzer::FOLDED, true)),
        title_x: b.add_text_field("title_exact", text(analyzer::EXACT, false)),
        text: b.add_text_field("text", text(analyzer::FOLDED, true)),
        text_x: b.add_text_field("text_exact", text(analyzer::EXACT, false)),
        sender: b.add_text_field("sender", text(analyzer::FOLDED, false)),
        sender_x: b.add_text_field("sender_exact", text(analyzer::EXACT, false)),
        recipient: b.add_text_field("recipient", text(analyzer::FOLDED, false)),
        recipient_x: b.add_text_field("recipient_exact", text(analyzer::EXACT, false)),
        equipment: b.add_text_field("equipment", text(analyzer::FOLDED, false)),
        equipment_x: b.add_text_field("equipment_exact", text(analyzer::EXACT, false)),
        date_first: b.add_i64_field("date_first", INDEXED | FAST),
        date_last: b.add_i64_field("date_last", INDEXED | FAST),
        ascii: b.add_u64_field("ascii", INDEXED),
    };
    (b.build(), f)
}

/// Days since the common era: how dates are indexed and queried.
pub(super) fn day_number(d: chrono::NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d))
}

/// Registers the `folded` and `exact` analyzers on an index.
pub(super) fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(analyzer::FOLDED, analyzer::folded());
    index
        .tokenizers()
        .register(analyzer::EXACT, analyzer::exact());
}

/// What the index derives from a record beside its own text: canonical equipment names
/// (gazetteer names and aliases matched on folded words, as the suggestions do), the canonical
/// organisation of its sender, and its date (the metadata's, else the first date in the text).
pub(super) struct Prep {
    /// Canonical organisation of each distinct sender (senders repeat: computed once each).
    organisations: HashMap<String, Option<String>>,
    equipment: analyzer::EntityMatcher,
    equipment_names: Vec<String>,
}

impl Prep {
    pub(super) fn new(g: &crate::model::Gazetteer, docs: &[&Document]) -> Self {
        let extractor = Extractor::new(g);
        let distinct: HashSet<&str> = docs
            .iter()
            .filter_map(|d| d.sender.as_deref())
            .map(str::trim)
            .collect();
        let organisations = distinct
            .into_iter()
            .map(|s| (s.to_owned(), extractor.canonical_organisation(s)))
            .collect();
        Self {
            organisations,
            equipment: analyzer::EntityMatcher::new(&g.equipment),
            equipment_names: g.equipment.iter().map(|e| e.name.clone()).collect(),
        }
    }

    fn date(d: &Document) -> Option<PartialDate> {
        d.date
            .as_deref()
            .and_then(crate::extract::parse_date)
            .or_else(|| crate::extract::find_dates(&d.text).first().map(|h| h.date))
    }

    /// The index document of a cache document.
    pub(super) fn document(&self, f: &Fields, d: &Document) -> TantivyDocument {
        let mut senders: Vec<String> = Vec::new();
        if let Some(s) = d.sender.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            senders.push(s.to_owned());
            if let Some(Some(c)) = self.organisations.get(s)
                && c != s
            {
                senders.push(c.clone());
            }
        }
        let equipment: Vec<&str> = self
            .equipment
            .find(&d.text)
            .into_iter()
            .chain(self.equipment.find(&d.title))
            .filter_map(|i| self.equipment_names.get(i).map(String::as_str))
            .collect();
        let ascii = d.title.is_ascii()
            && d.text.is_ascii()
            && senders.iter().all(|s| s.is_ascii())
            && d.recipient.as_deref().is_none_or(str::is_ascii)
            && equipment.iter().all(|s| s.is_ascii());

        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.sha256, &d.sha256);
        doc.add_text(f.path, &d.path);
        if let Some(parent) = &d.parent {
            doc.add_text(f.parent, parent);
            // A member's id starts with each of its containers' paths (`a.zip!/b.eml!/c.pdf`).
            for container in crate::ingest::containers_of(&d.id) {
                doc.add_text(f.within, container);
            }
            doc.add_text(f.within, parent);
        }
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.text, &d.text);
        for v in &senders {
            doc.add_text(f.sender, v);
        }
        if let Some(r) = &d.recipient {
            doc.add_text(f.recipient, r);
        }
        for v in &equipment {
            doc.add_text(f.equipment, v);
        }
        if ascii {
            doc.add_u64(f.ascii, 1);
        } else {
            doc.add_text(f.title_x, &d.title);
            doc.add_text(f.text_x, &d.text);
            for v in &senders {
                doc.add_text(f.sender_x, v);
            }
            if let Some(r) = &d.recipient {
                doc.add_text(f.recipient_x, r);
            }
            for v in &equipment {
                doc.add_text(f.equipment_x, v);
            }
        }
        if let Some(date) = Self::date(d) {
            let (a, b) = date.span();
            doc.add_i64(f.date_first, day_number(a));
            doc.add_i64(f.date_last, day_number(b));
        }
        doc
    }
}
