//! JSON, JSON Lines and plain-text/Markdown records.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::{Document, KNOWN_KINDS, Origin};

/// Longest title derived from a body's first line, in chars.
const MAX_DERIVED_TITLE: usize = 120;

/// At most this many record-level reasons are kept per file; the rest are counted.
const MAX_ERRORS_PER_FILE: usize = 50;

/// What one file produced: its records and one-line reasons for what it could not read.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub documents: Vec<Document>,
    pub errors: Vec<String>,
    /// Record-level reasons dropped beyond [`MAX_ERRORS_PER_FILE`].
    pub dropped: usize,
}

impl Parsed {
    /// Keeps a record-level reason, up to the per-file cap.
    fn record_error(&mut self, reason: String) {
        if self.errors.len() < MAX_ERRORS_PER_FILE {
            self.errors.push(reason);
        } else {
            self.dropped += 1;
        }
    }

    /// Adds a summary line for the dropped reasons.
    fn finish(mut self) -> Self {
        if self.dropped > 0 {
            self.errors
                .push(format!("... and {} more bad records", self.dropped));
        }
        self
    }
}

/// A document with the file-level fields filled in.
pub(crate) fn base_document(
    rel_path: &str,
    bytes: &[u8],
    encoding: &str,
    sha256: &str,
) -> Document {
    Document {
        id: rel_path.to_owned(),
        path: rel_path.to_owned(),
        kind: "other".to_owned(),
        encoding: encoding.to_owned(),
        sha256: sha256.to_owned(),
        file_size: bytes.len() as u64,
        ..Document::default()
    }
}

/// Lower-cases a kind; spellings like `Export passport` or `e-mail` map to the known kind.
pub(crate) fn normalize_kind(kind: &str) -> String {
    let lower = kind.trim().to_lowercase();
    if lower.is_empty() {
        return "other".to_owned();
    }
    let joined: String = lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if KNOWN_KINDS.contains(&joined.as_str()) {
        return joined;
    }
    if matches!(joined.as_str(), "e_mail" | "mail") {
        return "email".to_owned();
    }
    lower
}

/// The last component of a `/`-separated path.
pub(crate) fn file_name(rel_path: &str) -> &str {
    rel_path.rsplit('/').next().unwrap_or(rel_path)
}

/// The first non-empty line of the body, trimmed (Markdown heading marks removed) and cut to
/// 120 chars; else the file name.
pub(crate) fn derived_title(body: &str, rel_path: &str, markdown: bool) -> String {
    for line in body.lines() {
        let mut line = line.trim();
        if markdown {
            line = line.trim_start_matches('#').trim();
        }
        if !line.is_empty() {
            let cut: String = line.chars().take(MAX_DERIVED_TITLE).collect();
            return cut.trim_end().to_owned();
        }
    }
    file_name(rel_path).to_owned()
}

/// Trims `Some("")`/whitespace to `None`.
fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Sets `meta_origin` when the record states a date, sender or recipient.
fn set_meta_origin(doc: &mut Document, origin: Origin) {
    if doc.date.is_some() || doc.sender.is_some() || doc.recipient.is_some() {
        doc.meta_origin = Some(origin);
    }
}

// ---------------------------------------------------------------- JSON

/// Fields a JSON record may state; anything else goes to `extra`.
const JSON_FIELDS: &[&str] = &[
    "text",
    "id",
    "kind",
    "title",
    "date",
    "sender",
    "recipient",
    "language",
    "reference",
];

/// An optional string field; numbers are accepted and written as text.
fn string_field(map: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(format!("field `{name}` must be a string")),
    }
}

/// Fills a document from one JSON record object.
fn json_record(value: &Value, mut doc: Document) -> Result<Document, String> {
    let Value::Object(map) = value else {
        return Err("expected a JSON object".to_owned());
    };
    doc.text = match map.get("text") {
        None => return Err("missing field `text`".to_owned()),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("field `text` must be a string".to_owned()),
    };
    if let Some(id) = non_empty(string_field(map, "id")?) {
        doc.id = id;
    }
    if let Some(kind) = non_empty(string_field(map, "kind")?) {
        doc.kind = normalize_kind(&kind);
    }
    let title = non_empty(string_field(map, "title")?);
    doc.date = non_empty(string_field(map, "date")?);
    doc.sender = non_empty(string_field(map, "sender")?);
    doc.recipient = non_empty(string_field(map, "recipient")?);
    doc.language = non_empty(string_field(map, "language")?);
    doc.reference = non_empty(string_field(map, "reference")?);
    set_meta_origin(&mut doc, Origin::Metadata);
    for (key, value) in map {
        if JSON_FIELDS.contains(&key.as_str()) {
            continue;
        }
        if key == "attachments"
            && let Value::Array(items) = value
            && items.iter().all(Value::is_string)
        {
            doc.attachments = items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        doc.extra.insert(key.clone(), text);
    }
    doc.title = title.unwrap_or_else(|| derived_title(&doc.text, &doc.path, false));
    Ok(doc)
}

/// serde_json's message without its " at line L column C" suffix, plus the column.
fn json_error_in_line(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let msg = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i]);
    format!("invalid JSON: {msg} at column {}", e.column())
}

/// `*.json`: one record object or an array of record objects.
pub(crate) fn parse_json(text: &str, base: &Document) -> Parsed {
    let mut out = Parsed::default();
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.errors.push(format!("invalid JSON: {e}"));
            return out;
        }
    };
    match &value {
        Value::Object(_) => match json_record(&value, base.clone()) {
            Ok(doc) => out.documents.push(doc),
            Err(e) => out.errors.push(e),
        },
        Value::Array(items) => {
            if items.is_empty() {
                out.errors.push("empty JSON array: no records".to_owned());
            }
            for (i, item) in items.iter().enumerate() {
                let n = i + 1;
                match json_record(item, numbered(base, n)) {
                    Ok(doc) => out.documents.push(doc),
                    Err(e) => out.record_error(format!("record {n}: {e}")),
                }
            }
        }
        _ => out
            .errors
            .push("expected a JSON object or an array of objects".to_owned()),
    }
    out.finish()
}

/// The base document for the Nth record of a multi-record file.
fn numbered(base: &Document, n: usize) -> Document {
    let mut doc = base.clone();
    doc.record = Some(n);
    doc.id = format!("{}#{n}", base.path);
    doc
}

/// `*.jsonl`: one record per non-blank line; a bad line is reported, the others kept.
pub(crate) fn parse_jsonl(text: &str, base: &Document) -> Parsed {
    let mut out = Parsed::default();
    let mut n = 0;
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        n += 1;
        let line_no = i + 1;
        let record = serde_json::from_str::<Value>(line)
            .map_err(|e| json_error_in_line(&e))
            .and_then(|v| json_record(&v, numbered(base, n)));
        match record {
            Ok(doc) => out.documents.push(doc),
            Err(e) => out.record_error(format!("line {line_no}: {e}")),
        }
    }
    if n == 0 {
        out.errors
            .push("no records (every line is blank)".to_owned());
    }
    out.finish()
}

// ---------------------------------------------------------------- text

/// The header fields a text file may state.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Title,
    Date,
    Sender,
    Recipient,
    Kind,
    Reference,
    Language,
}

/// A recognised header key (case-insensitive).
fn recognise(key: &str) -> Option<Key> {
    Some(match key.trim().to_lowercase().as_str() {
        "title" => Key::Title,
        "date" => Key::Date,
        "from" | "sender" => Key::Sender,
        "to" | "recipient" => Key::Recipient,
        "kind" | "type" => Key::Kind,
        "reference" | "ref" => Key::Reference,
        "language" | "lang" => Key::Language,
        _ => return None,
    })
}

/// A text file's header.
#[derive(Default)]
struct Header {
    fields: Vec<(Key, String)>,
    extra: BTreeMap<String, String>,
}

impl Header {
    fn get(&self, key: Key) -> Option<String> {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }
}

/// Lines with the byte offset just after each (line text without `\n`/`\r`).
fn lines_with_end(text: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |raw| {
        pos += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        (line, pos)
    })
}

/// Splits `Key: Value`.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    (!key.is_empty()).then_some((key, value.trim()))
}

/// Removes one pair of matching quotes around a front-matter value.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// Front matter: `---`, `Key: Value` lines, `---`. Returns the header and the byte offset of the body.
fn front_matter(text: &str) -> Option<(Header, usize)> {
    let mut lines = lines_with_end(text);
    let (first, _) = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut header = Header::default();
    for (line, end) in lines {
        if line.trim_end() == "---" {
            return Some((header, end));
        }
        let Some((key, value)) = key_value(line) else {
            continue;
        };
        let value = unquote(value).trim();
        match recognise(key) {
            Some(k) => {
                if !value.is_empty() && header.get(k).is_none() {
                    header.fields.push((k, value.to_owned()));
                }
            }
            None => {
                header
                    .extra
                    .entry(key.to_owned())
                    .or_insert_with(|| value.to_owned());
            }
        }
    }
    None
}

/// Leading `Key: Value` lines up to the first blank line, every one a recognised key.
fn key_value_block(text: &str) -> Option<(Header, usize)> {
    let mut header = Header::default();
    let mut body_start = text.len();
    let mut any = false;
    for (line, end) in lines_with_end(text) {
        if line.trim().is_empty() {
            if !any {
                return None;
            }
            body_start = end;
            break;
        }
        let (key, value) = key_value(line)?;
        let k = recognise(key)?;
        any = true;
        if !value.is_empty() && header.get(k).is_none() {
            header.fields.push((k, value.to_owned()));
        }
    }
    any.then_some((header, body_start))
}

/// Drops whole leading lines that are blank.
fn trim_leading_blank_lines(text: &str) -> &str {
    let mut rest = text;
    loop {
        match rest.find('\n') {
            Some(i) if rest[..i].trim().is_empty() => rest = &rest[i + 1..],
            Some(_) => return rest,
            None => return if rest.trim().is_empty() { "" } else { rest },
        }
    }
}

/// `*.txt`, `*.md`: optional header (front matter or a `Key: Value` block), then the body.
pub(crate) fn parse_text(text: &str, base: &Document, markdown: bool) -> Parsed {
    let mut doc = base.clone();
    let (header, body) = match front_matter(text).or_else(|| key_value_block(text)) {
        Some((header, start)) => (Some(header), text.get(start..).unwrap_or("")),
        None => (None, text),
    };
    doc.text = trim_leading_blank_lines(body).to_owned();
    let mut title = None;
    if let Some(header) = header {
        title = header.get(Key::Title);
        doc.date = header.get(Key::Date);
        doc.sender = header.get(Key::Sender);
        doc.recipient = header.get(Key::Recipient);
        doc.reference = header.get(Key::Reference);
        doc.language = header.get(Key::Language);
        if let Some(kind) = header.get(Key::Kind) {
            doc.kind = normalize_kind(&kind);
        }
        doc.extra = header.extra;
        set_meta_origin(&mut doc, Origin::Header);
    }
    doc.title = title.unwrap_or_else(|| derived_title(&doc.text, &doc.path, markdown));
    Parsed {
        documents: vec![doc],
        ..Parsed::default()
    }
}
