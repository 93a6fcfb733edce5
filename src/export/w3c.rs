//! A W3C Web Annotation collection (JSON-LD): each evidence link and each document's notes and tags
//! as an `Annotation` on the record, identified by its file's SHA-256.
//!
//! Positions count Unicode code points of the document text as doctriage decoded it (chars), start
//! included, end excluded. Each target also carries the record's doctriage id as
//! `dcterms:identifier` (the context defines the prefix), since several records may share one file.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::model::{Cache, Document};
use crate::session::{self, DocReview, Link, Session};

/// Chars of context kept before and after a quote in a `TextQuoteSelector`.
const CONTEXT: usize = 32;

pub(crate) fn render(session: &Session, cache: &Cache) -> String {
    let created = session::rfc3339(session.modified);
    let creator = (!session.analyst.trim().is_empty())
        .then(|| json!({"type": "Person", "name": session.analyst.trim()}));
    let mut items: Vec<Value> = Vec::new();
    for (doc, review) in super::touched(session, cache) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for link in &review.links {
            let key = link_key(doc, link);
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            let key = if *n > 1 { format!("{key}#{n}") } else { key };
            items.push(annotation(
                &key,
                "linking",
                link_bodies(link),
                link_target(doc, review, link),
                &created,
                &creator,
            ));
        }
        let notes = review.notes.trim();
        if !notes.is_empty() || !review.tags.is_empty() {
            let mut bodies = Vec::new();
            if !notes.is_empty() {
                bodies.push(json!({"type": "TextualBody", "value": notes, "format": "text/plain", "purpose": "commenting"}));
            }
            for tag in &review.tags {
                bodies.push(json!({"type": "TextualBody", "value": tag, "purpose": "tagging"}));
            }
            let motivation = if notes.is_empty() {
                "tagging"
            } else {
                "commenting"
            };
            let key = format!("doctriage:annotation:{}:notes", super::doc_namespace(doc));
            let target =
                json!({"source": source(&review.sha256, doc), "dcterms:identifier": doc.id});
            items.push(annotation(
                &key, motivation, bodies, target, &created, &creator,
            ));
        }
    }
    let collection_id = format!(
        "urn:uuid:{}",
        super::stable_uuid(&format!(
            "doctriage:collection:{}:{}",
            session.cache,
            session::rfc3339(session.created)
        ))
    );
    let page_id = format!(
        "urn:uuid:{}",
        super::stable_uuid(&format!("{collection_id}:page:1"))
    );
    let label = match cache.article.as_ref().and_then(|(_, a)| a.title.as_deref()) {
        Some(t) if !t.trim().is_empty() => format!("doctriage review: evidence for “{}”", t.trim()),
        _ => format!("doctriage review of {}", session.cache),
    };
    let doc = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": items.len(),
        "first": {
            "id": page_id,
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    // Plain data: serialisation cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn link_key(doc: &Document, link: &Link) -> String {
    let (start, end) = link
        .quote
        .as_ref()
        .map_or((String::new(), String::new()), |q| {
            (q.start.to_string(), q.end.to_string())
        });
    format!(
        "doctriage:annotation:{}:link:{}:{}:{start}:{end}",
        super::doc_namespace(doc),
        link.statement,
        link.relation
    )
}

fn annotation(
    key: &str,
    motivation: &str,
    body: Vec<Value>,
    target: Value,
    created: &str,
    creator: &Option<Value>,
) -> Value {
    let mut a = json!({
        "id": format!("urn:uuid:{}", super::stable_uuid(key)),
        "type": "Annotation",
        "motivation": motivation,
        "created": created,
        "body": body,
        "target": target,
    });
    if let (Some(c), Some(obj)) = (creator, a.as_object_mut()) {
        obj.insert("creator".to_owned(), c.clone());
    }
    a
}

fn link_bodies(link: &Link) -> Vec<Value> {
    let mut bodies = vec![
        json!({
            "type": "TextualBody",
            "value": format!("{}: {}", link.statement, link.statement_text),
            "format": "text/plain",
            "purpose": "linking",
        }),
        json!({"type": "TextualBody", "value": link.relation.as_str(), "purpose": "classifying"}),
    ];
    if let Some(note) = link
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        bodies.push(json!({"type": "TextualBody", "value": note, "format": "text/plain", "purpose": "commenting"}));
    }
    bodies
}

/// `urn:sha256:` of the file as it was when tagged (the current file's hash when they agree).
fn source(tagged_sha: &str, doc: &Document) -> String {
    let sha = if tagged_sha.is_empty() {
        doc.sha256.as_str()
    } else {
        tagged_sha
    };
    format!("urn:sha256:{sha}")
}

fn link_target(doc: &Document, review: &DocReview, link: &Link) -> Value {
    let src = source(&review.sha256, doc);
    let Some(q) = &link.quote else {
        return json!({"source": src, "dcterms:identifier": doc.id});
    };
    let mut quote = json!({"type": "TextQuoteSelector", "exact": q.text});
    // Prefix and suffix come from the current text: only when the file is the one tagged and the
    // quote is still at its offsets.
    if review.sha256 == doc.sha256
        && session::quote_at(&doc.text, q.start, q.end).as_deref() == Some(q.text.as_str())
    {
        let (prefix, suffix) = super::context_around(&doc.text, q.start, q.end, CONTEXT);
        if let Some(obj) = quote.as_object_mut() {
            if !prefix.is_empty() {
                obj.insert("prefix".to_owned(), Value::String(prefix));
            }
            if !suffix.is_empty() {
                obj.insert("suffix".to_owned(), Value::String(suffix));
            }
        }
    }
    let mut selectors = vec![
        quote,
        json!({"type": "TextPositionSelector", "start": q.start, "end": q.end}),
    ];
    // A paged document: the page too, as a PDF fragment (RFC 3778).
    // Its box on the page refines it, as a media fragment (`xywh=pixel:…`).
    if let Some(page) = doc.page_at(q.start) {
        let mut fragment = json!({
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
            "value": format!("page={page}"),
        });
        if let Some(([x, y, w, h], _, _)) = super::findings::quote_place(doc, q.start, q.end)
            && let Some(obj) = fragment.as_object_mut()
        {
            obj.insert(
                "refinedBy".to_owned(),
                json!({
                    "type": "FragmentSelector",
                    "conformsTo": "http://www.w3.org/TR/media-frags/",
                    "value": format!("xywh=pixel:{x},{y},{w},{h}"),
                }),
            );
        }
        selectors.push(fragment);
    }
    json!({
        "source": src,
        "dcterms:identifier": doc.id,
        "selector": selectors,
    })
}
