//! CSV: one row per reviewed document, RFC 4180 quoting, UTF-8 without a byte-order mark.

use chrono::{DateTime, Utc};

use crate::model::Cache;
use crate::session::Session;

/// The header of the CSV export, in order.
pub const CSV_COLUMNS: [&str; 16] = [
    "id",
    "path",
    "sha256",
    "kind",
    "title",
    "status",
    "date",
    "senders",
    "recipients",
    "equipment",
    "tags",
    "linked_statements",
    "notes",
    "reviewed_by",
    "parent",
    "container_sha256",
];

/// Separator of the values of a multi-valued cell.
const JOIN: &str = "; ";

pub(crate) fn render(session: &Session, cache: &Cache, generated_at: DateTime<Utc>) -> String {
    // The findings already hold the reviewed documents in cache order with canonical names.
    let findings = super::findings(session, cache, generated_at);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut ok = w.write_record(CSV_COLUMNS).is_ok();
    for d in &findings.documents {
        let row = [
            d.id.clone(),
            d.path.clone(),
            d.sha256.clone(),
            d.kind.clone(),
            d.title.clone(),
            d.status.as_str().to_owned(),
            d.date.clone().unwrap_or_default(),
            d.senders.join(JOIN),
            d.recipients.join(JOIN),
            d.equipment.join(JOIN),
            d.tags.join(JOIN),
            d.statements.join(JOIN),
            d.notes.clone(),
            d.by.clone(),
            d.parent.clone().unwrap_or_default(),
            d.container_sha256.clone().unwrap_or_default(),
        ];
        ok &= w.write_record(&row).is_ok();
    }
    // Writing to memory cannot fail; the check keeps a failure from passing silently as data.
    match (ok, w.into_inner()) {
        (true, Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}
