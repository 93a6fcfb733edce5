//! TimelineJS3 JSON: one event per dated reviewed document, sorted by date.
//!
//! A partial date stays partial: a year alone gives `{"year": "2019"}`, never an invented day.
//! Text fields of TimelineJS are HTML, so every value from a record is escaped.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::model::{Cache, PartialDate};
use crate::session::Session;

pub(crate) fn render(session: &Session, cache: &Cache, generated_at: DateTime<Utc>) -> String {
    let f = super::findings(session, cache, generated_at);
    let mut events = Vec::new();
    for entry in &f.timeline {
        let (Some(doc), Some(review)) = (
            cache.document(&entry.document),
            session.review(&entry.document),
        ) else {
            continue;
        };
        let Some(date) = review.date else { continue };
        let mut text = format!(
            "<p><strong>{}</strong> · {}</p>",
            html(&doc.kind),
            html(review.status.as_str())
        );
        let senders = super::canonical_list(session, &review.senders);
        let recipients = super::canonical_list(session, &review.recipients);
        if !senders.is_empty() {
            text.push_str(&format!("<p>From: {}</p>", html(&senders.join("; "))));
        }
        if !recipients.is_empty() {
            text.push_str(&format!("<p>To: {}</p>", html(&recipients.join("; "))));
        }
        let equipment = super::canonical_list(session, &review.equipment);
        if !equipment.is_empty() {
            text.push_str(&format!(
                "<p>Equipment: {}</p>",
                html(&equipment.join("; "))
            ));
        }
        if !review.links.is_empty() {
            let statements: Vec<String> = review
                .links
                .iter()
                .map(|l| format!("{} ({})", l.statement, l.relation.as_str()))
                .collect();
            text.push_str(&format!(
                "<p>Statements: {}</p>",
                html(&statements.join(", "))
            ));
        }
        for link in &review.links {
            if let Some(q) = &link.quote {
                text.push_str(&format!(
                    "<blockquote>“{}” ({})</blockquote>",
                    html(&q.text),
                    html(&link.statement)
                ));
            }
        }
        let place = if doc.id == doc.path {
            html(&doc.id)
        } else {
            format!("{} · {}", html(&doc.id), html(&doc.path))
        };
        text.push_str(&format!(
            "<p><small>{place} · SHA-256 {}</small></p>",
            html(doc.sha256.get(..12).unwrap_or(&doc.sha256))
        ));
        events.push(json!({
            "start_date": start_date(date),
            "text": {"headline": html(&doc.title), "text": text},
            "group": doc.kind,
            "unique_id": format!("doctriage-{}", &super::stable_hex(&super::doc_namespace(doc))[..16]),
        }));
    }
    let intro = format!(
        "<p>{} dated records of {} reviewed in {}. Generated {} by doctriage {}.</p>",
        events.len(),
        f.cache.reviewed,
        html(&super::cache_name(cache)),
        html(&f.generated_at),
        f.tool.version
    );
    let doc = json!({
        "title": {"text": {"headline": html(&super::title(cache)), "text": intro}},
        "events": events,
    });
    // Plain data: serialisation cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// TimelineJS date object: year, and month and day only when known (as strings, month unpadded).
fn start_date(d: PartialDate) -> Value {
    let mut m = Map::new();
    m.insert("year".to_owned(), Value::String(d.year.to_string()));
    if let Some(month) = d.month {
        m.insert("month".to_owned(), Value::String(month.to_string()));
        if let Some(day) = d.day {
            m.insert("day".to_owned(), Value::String(day.to_string()));
        }
    }
    Value::Object(m)
}

/// Escapes text for HTML.
fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
