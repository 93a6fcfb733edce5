//! Outlook `.msg` messages (via msg_parser): headers, body (plain text, else HTML or RTF reduced
//! to text) and attachments (an embedded message is a `.msg` member of its own).

use msg_parser::{Outlook, Person};

use super::email::{Attached, html_to_text};
use super::records::{Parsed, derived_title};
use crate::model::{Document, Origin};

/// `Name <addr>` (or either alone) of one person.
fn person(p: &Person) -> Option<String> {
    let name = p.name.trim();
    let email = p.email.trim();
    match (name.is_empty(), email.is_empty()) {
        (false, false) if name != email => Some(format!("{name} <{email}>")),
        (false, _) => Some(name.to_owned()),
        (true, false) => Some(email.to_owned()),
        (true, true) => None,
    }
}

/// The people of a list, joined by `, `.
fn people(list: &[Person]) -> Option<String> {
    let all: Vec<String> = list.iter().filter_map(person).collect();
    (!all.is_empty()).then(|| all.join(", "))
}

/// Parses an Outlook message's bytes.
fn outlook(bytes: &[u8]) -> Result<Outlook, String> {
    // msg_parser reads any compound file; an Outlook message has a message class.
    let message =
        Outlook::from_slice(bytes).map_err(|e| format!("not an Outlook message ({e})"))?;
    if message.message_class.trim().is_empty() && message.subject.trim().is_empty() {
        return Err("not an Outlook message (no message class)".to_owned());
    }
    Ok(message)
}

/// Reads one Outlook message, and its attachments' bytes.
pub(crate) fn parse_msg(bytes: &[u8], base: &Document) -> (Parsed, Vec<Attached>) {
    let mut out = Parsed::default();
    let message = match std::panic::catch_unwind(|| outlook(bytes)) {
        Ok(Ok(m)) => m,
        Ok(Err(e)) => {
            out.errors.push(e);
            return (out, Vec::new());
        }
        Err(_) => {
            out.errors
                .push("not a readable Outlook message (the reader failed)".to_owned());
            return (out, Vec::new());
        }
    };
    let mut doc = base.clone();
    doc.kind = "email".to_owned();
    doc.encoding = "Outlook message".to_owned();
    doc.sender = person(&message.sender);
    doc.recipient = people(&message.to);
    let date = [
        message.headers.date.as_str(),
        message.client_submit_time.as_str(),
        message.message_delivery_time.as_str(),
        message.creation_time.as_str(),
    ]
    .into_iter()
    .map(str::trim)
    .find(|d| !d.is_empty());
    doc.date = date.map(str::to_owned);
    if doc.date.is_some() || doc.sender.is_some() || doc.recipient.is_some() {
        doc.meta_origin = Some(Origin::Metadata);
    }
    if let Some(cc) = people(&message.cc) {
        doc.extra.insert("cc".to_owned(), cc);
    }
    let id = message.headers.message_id.trim().trim_matches(['<', '>']);
    if !id.is_empty() {
        doc.extra.insert("message-id".to_owned(), id.to_owned());
    }
    doc.text = if !message.body.trim().is_empty() {
        message.body.replace("\r\n", "\n")
    } else if !message.html.trim().is_empty() {
        html_to_text(&message.html)
    } else {
        message
            .html_from_rtf()
            .map(|h| html_to_text(&h))
            .unwrap_or_default()
    };
    doc.title = Some(message.subject.trim())
        .filter(|s| !s.is_empty())
        .map_or_else(|| derived_title(&doc.text, &doc.path, false), str::to_owned);
    let mut attached = Vec::new();
    for (i, a) in message.attachments.iter().enumerate() {
        let name = [&a.long_file_name, &a.file_name, &a.display_name]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .map_or_else(|| format!("attachment {}", i + 1), str::to_owned);
        // Attach method 5 says "an embedded message"; only an OLE file is one (a writer can
        // mark a plain file so).
        let embedded = a.is_embedded_message() && a.payload_bytes.starts_with(&OLE_MAGIC);
        let name = if embedded && !name.to_lowercase().ends_with(".msg") {
            format!("{}.msg", name.replace(['/', '\\'], "_"))
        } else {
            name
        };
        doc.attachments.push(name.clone());
        if a.payload_bytes.is_empty() {
            doc.warnings.push(format!(
                "attachment {name} holds no data (an OLE object or a link?)"
            ));
            continue;
        }
        attached.push(Attached {
            name,
            bytes: a.payload_bytes.clone(),
        });
    }
    out.documents.push(doc);
    (out, attached)
}

/// The first bytes of an OLE compound file (an Outlook message is one).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The attachments of an Outlook message's bytes (empty when it is none).
pub(crate) fn msg_attachments(bytes: &[u8]) -> Vec<Attached> {
    parse_msg(bytes, &Document::default()).1
}
