//! `*.eml` messages (via mail-parser) and HTML bodies reduced to text.

use mail_parser::{Address, HeaderName, Message, MessageParser, MimeHeaders, PartType};

use super::records::{Parsed, derived_title};
use crate::model::{Document, Origin};

/// An attachment's bytes, as a member of its message.
pub(crate) struct Attached {
    /// The attachment's file name (for an attached message: its subject and `.eml`).
    pub name: String,
    /// Its decoded bytes.
    pub bytes: Vec<u8>,
}

/// Reads one e-mail message, and its attachments' bytes.
pub(crate) fn parse_eml(bytes: &[u8], base: &Document) -> (Parsed, Vec<Attached>) {
    let mut out = Parsed::default();
    let mut attached = Vec::new();
    match email_document(bytes, base) {
        Ok((doc, a)) => {
            out.documents.push(doc);
            attached = a;
        }
        Err(e) => out.errors.push(e),
    }
    (out, attached)
}

/// The attachments of a message's bytes (empty when it is no message).
pub(crate) fn eml_attachments(bytes: &[u8]) -> Vec<Attached> {
    MessageParser::default()
        .parse(bytes)
        .map(|m| attachments_of(&m))
        .unwrap_or_default()
}

/// Each attachment's name and bytes, in order.
fn attachments_of(message: &Message<'_>) -> Vec<Attached> {
    message
        .attachments()
        .enumerate()
        .map(|(i, part)| {
            let (name, bytes) = match (part.attachment_name(), &part.body) {
                (_, PartType::Message(inner)) => (
                    part.attachment_name().map_or_else(
                        || {
                            let subject = inner.subject().map(str::trim).unwrap_or_default();
                            if subject.is_empty() {
                                format!("message {}.eml", i + 1)
                            } else {
                                format!("{}.eml", subject.replace(['/', '\\'], "_"))
                            }
                        },
                        str::to_owned,
                    ),
                    inner.raw_message().to_vec(),
                ),
                (Some(name), _) => (name.to_owned(), part.contents().to_vec()),
                (None, _) => (
                    format!("attachment {}{}", i + 1, guessed_extension(part)),
                    part.contents().to_vec(),
                ),
            };
            Attached { name, bytes }
        })
        .collect()
}

/// `.pdf`, `.txt`, ... for an unnamed attachment, from its content type.
fn guessed_extension(part: &mail_parser::MessagePart<'_>) -> &'static str {
    let Some(ct) = part.content_type() else {
        return ".bin";
    };
    match (ct.ctype(), ct.subtype().unwrap_or_default()) {
        ("application", "pdf") => ".pdf",
        ("application", "zip") => ".zip",
        ("text", "plain") => ".txt",
        ("text", "html") => ".html",
        ("image", "png") => ".png",
        ("image", "jpeg") => ".jpg",
        ("image", "tiff") => ".tif",
        ("message", "rfc822") => ".eml",
        _ => ".bin",
    }
}

fn email_document(bytes: &[u8], base: &Document) -> Result<(Document, Vec<Attached>), String> {
    const NOT_EMAIL: &str = "not an e-mail message";
    if bytes.iter().all(u8::is_ascii_whitespace) || bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(NOT_EMAIL.to_owned());
    }
    let message = MessageParser::default().parse(bytes).ok_or(NOT_EMAIL)?;
    let has_headers = [
        HeaderName::From,
        HeaderName::To,
        HeaderName::Date,
        HeaderName::Subject,
        HeaderName::MessageId,
        // A MIME part saved as a file (no envelope headers) is a message too.
        HeaderName::ContentType,
        HeaderName::MimeVersion,
    ]
    .into_iter()
    .any(|h| message.header(h).is_some());
    if !has_headers {
        return Err(NOT_EMAIL.to_owned());
    }
    let mut doc = base.clone();
    doc.kind = "email".to_owned();
    doc.sender = message.from().and_then(addresses);
    doc.recipient = message.to().and_then(addresses);
    doc.date = message
        .header_raw(HeaderName::Date)
        .map(|raw| raw.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|d| !d.is_empty());
    if doc.date.is_some() || doc.sender.is_some() || doc.recipient.is_some() {
        doc.meta_origin = Some(Origin::Metadata);
    }
    let (mut text, charset) = body(&message);
    if text.trim().is_empty()
        && let Some(recovered) = preamble_text(&message, bytes)
    {
        text = recovered;
        doc.warnings.push(
            "broken MIME structure: the body was read from the text before the first part"
                .to_owned(),
        );
    }
    doc.text = text;
    doc.encoding = charset.unwrap_or_else(|| {
        if bytes.is_ascii() {
            "US-ASCII"
        } else {
            "UTF-8"
        }
        .to_owned()
    });
    doc.attachments = message
        .attachments()
        .map(|part| match (part.attachment_name(), &part.body) {
            (Some(name), _) => name.to_owned(),
            (None, PartType::Message(inner)) => inner.subject().map_or_else(
                || "(attached message)".to_owned(),
                |s| format!("{s} (attached message)"),
            ),
            (None, _) => "(unnamed attachment)".to_owned(),
        })
        .collect();
    doc.title = message
        .subject()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| derived_title(&doc.text, &doc.path, false), str::to_owned);
    thread_headers(&message, &mut doc);
    let attached = attachments_of(&message);
    Ok((doc, attached))
}

/// `message-id`, `in-reply-to` and `references` into the document's metadata (ids without
/// angle brackets, references separated by spaces): what links the messages of a thread.
fn thread_headers(message: &Message<'_>, doc: &mut Document) {
    let ids = |v: &mail_parser::HeaderValue<'_>| -> Option<String> {
        let list: Vec<String> = match v {
            mail_parser::HeaderValue::Text(t) => vec![t.to_string()],
            mail_parser::HeaderValue::TextList(l) => l.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        };
        let list: Vec<String> = list
            .iter()
            .map(|s| s.trim().trim_matches(['<', '>']).to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        (!list.is_empty()).then(|| list.join(" "))
    };
    if let Some(id) = message
        .message_id()
        .map(|s| s.trim().trim_matches(['<', '>']).to_owned())
        && !id.is_empty()
    {
        doc.extra.insert("message-id".to_owned(), id);
    }
    if let Some(v) = ids(message.in_reply_to()) {
        doc.extra.insert("in-reply-to".to_owned(), v);
    }
    if let Some(v) = ids(message.references()) {
        doc.extra.insert("references".to_owned(), v);
    }
}

/// `Name <addr>` (or the address, or the name) for each address, joined by `, `.
fn addresses(address: &Address<'_>) -> Option<String> {
    let list: Vec<String> = address
        .iter()
        .filter_map(|a| {
            let name = a.name().map(str::trim).filter(|n| !n.is_empty());
            let addr = a.address().map(str::trim).filter(|n| !n.is_empty());
            match (name, addr) {
                (Some(n), Some(a)) => Some(format!("{n} <{a}>")),
                (None, Some(a)) => Some(a.to_owned()),
                (Some(n), None) => Some(n.to_owned()),
                (None, None) => None,
            }
        })
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// The body: the text/plain parts, else the HTML parts reduced to text; and the declared charset.
fn body(message: &Message<'_>) -> (String, Option<String>) {
    let mut plain = Vec::new();
    let mut charset = None;
    for part in message.text_bodies() {
        if let PartType::Text(text) = &part.body {
            plain.push(text.to_string());
            charset = charset.or_else(|| part_charset(part));
        }
    }
    if plain.is_empty() {
        for part in message.html_bodies() {
            if let PartType::Html(html) = &part.body {
                plain.push(html_to_text(html));
                charset = charset.or_else(|| part_charset(part));
            }
        }
    }
    (plain.join("\n\n"), charset)
}

/// When the parts declared by a multipart message hold no text (for example the boundaries do
/// not match), the text before the first boundary, without part-header lines.
fn preamble_text(message: &Message<'_>, bytes: &[u8]) -> Option<String> {
    let root = message.root_part();
    if !matches!(root.body, PartType::Multipart(_)) {
        return None;
    }
    let boundary = root.content_type()?.attribute("boundary")?;
    let raw = bytes.get(usize::try_from(root.offset_body).ok()?..)?;
    let delimiter = format!("--{boundary}");
    let end = raw
        .windows(delimiter.len())
        .position(|w| w == delimiter.as_bytes())
        .unwrap_or(raw.len());
    let (decoded, _) = super::decode::decode(&raw[..end]);
    let mut lines = decoded.lines().peekable();
    while let Some(line) = lines.peek() {
        let line = line.trim();
        let header_like = line.split_once(':').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if line.is_empty() || line.starts_with("--") || header_like {
            lines.next();
        } else {
            break;
        }
    }
    let text = lines.collect::<Vec<_>>().join("\n");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The charset a part declares, as an encoding name.
fn part_charset(part: &mail_parser::MessagePart<'_>) -> Option<String> {
    let label = part.content_type()?.attribute("charset")?;
    Some(
        encoding_rs::Encoding::for_label(label.trim().as_bytes())
            .map_or_else(|| label.trim().to_owned(), |e| e.name().to_owned()),
    )
}

/// Tags after which the text continues on a new line.
const BLOCK_TAGS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "blockquote",
    "hr",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "address",
];

/// Reduces HTML to text: tags removed, `<script>`/`<style>` dropped, common entities decoded,
/// line breaks kept for `<br>`, `<p>`, `<div>` and other block elements. Linear, no recursion.
pub fn html_to_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i = lower[i + 4..]
                .find("-->")
                .map_or(html.len(), |j| i + 4 + j + 3);
            continue;
        }
        if rest.starts_with('<') {
            let Some(close) = rest.find('>') else {
                push_text(&mut out, rest);
                break;
            };
            let inner = &lower[i + 1..i + close];
            let closing = inner.starts_with('/');
            let name: String = inner
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            i += close + 1;
            if !closing && (name == "script" || name == "style") {
                let end_tag = format!("</{name}");
                i = lower[i..].find(&end_tag).map_or(html.len(), |j| {
                    let after = i + j;
                    lower[after..]
                        .find('>')
                        .map_or(html.len(), |k| after + k + 1)
                });
                continue;
            }
            if BLOCK_TAGS.contains(&name.as_str()) {
                out.push('\n');
            } else if name == "td" || name == "th" {
                out.push(' ');
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        push_text(&mut out, &rest[..next]);
        i += next;
    }
    tidy_lines(&out)
}

/// Appends text with HTML whitespace collapsing and entity decoding.
fn push_text(out: &mut String, text: &str) {
    let decoded = decode_entities(text);
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !out.ends_with([' ', '\n']) && !out.is_empty() {
                out.push(' ');
            }
        } else if c == '\u{a0}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// Decodes named (common) and numeric character references.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .bytes()
            .take(11)
            .position(|b| b == b';')
            .filter(|&s| s > 0);
        let decoded = semi.and_then(|s| entity(&after[..s]).map(|c| (c, s)));
        match decoded {
            Some((c, s)) => {
                out.push(c);
                rest = &after[s + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The HTML names of U+00A0..=U+00FF (Latin-1), in code point order.
const LATIN1_ENTITIES: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// One character reference's value.
fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" | "#39" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "euro" => '€',
        "deg" => '°',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        _ => {
            let i = LATIN1_ENTITIES.iter().position(|&n| n == name)?;
            return char::from_u32(0xA0 + i as u32);
        }
    })
}

/// Trims each line and keeps at most one blank line between paragraphs.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_pending = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_pending {
                out.push('\n');
            }
        }
        blank_pending = false;
        out.push_str(line);
    }
    out
}
