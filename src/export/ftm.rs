//! FollowTheMoney entities as JSON lines (what `alephclient write-entities` loads into Aleph).
//!
//! Schemata used, all present in followthemoney 3.x and 4.x:
//! - `Document`: one per reviewed record (and per record cited as evidence), with `fileName`
//!   (required), `title`, `date` (the accepted date, ISO, partial allowed), `contentHash`,
//!   `mimeType`, `language` (ISO 639-2/T codes FtM accepts, else left out), `author` (the
//!   senders), `keywords` (equipment and tags), `notes`, `fileSize`, `encoding` and a `description`
//!   stating the review status, the path in the cache and the SHA-256 (Aleph scrubs `contentHash`
//!   from entities written through its API, so the description keeps the hash).
//! - `Organization`: one per distinct sender or recipient, named after the analyst's merges, with
//!   the merged spellings as `alias`.
//! - `Mention`: one per (document, spelling) of a sender or recipient, with `document`, `name` as
//!   the review spelled it, `resolved` = the Organization and `detectedSchema` = `Organization`.
//! - `Event`: one per article statement that has links. An article's statement is a claim about
//!   something that happened; `Event` is the FtM schema for that, it exists in every FtM version
//!   (unlike `Note`), it accepts any `Thing`-style text (`name`, `summary`, `description`) and its
//!   `proof` property (from `Interval`) points at the Documents that support it.
//! - `Documentation`: one per link, `document` -> Document, `entity` -> Event, `role` naming the
//!   relation and statement (`supports S3`), `summary` = the quote, `description` = the link's note.
//!
//! Every value is a list of strings; ids are SHA-256 hex of `doctriage:<kind>:...` strings.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Cache, Document};
use crate::session::{self, ClaimStatus, DocReview, Link, Relation, Session};

/// One entity of the stream.
#[derive(Serialize)]
struct Entity {
    id: String,
    schema: &'static str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

impl Entity {
    fn new(id: String, schema: &'static str) -> Self {
        Self {
            id,
            schema,
            properties: BTreeMap::new(),
        }
    }

    /// Adds non-empty values (trimmed, first occurrence kept).
    fn add(&mut self, prop: &'static str, values: impl IntoIterator<Item = String>) {
        for v in values {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let list = self.properties.entry(prop).or_default();
            if !list.iter().any(|x| x == v) {
                list.push(v.to_owned());
            }
        }
        self.properties.retain(|_, v| !v.is_empty());
    }

    fn set(&mut self, prop: &'static str, value: impl Into<String>) {
        self.add(prop, [value.into()]);
    }
}

/// The links to one statement, with their documents.
type LinksOf<'a> = Vec<(&'a Document, &'a Link)>;

fn document_id(doc: &Document) -> String {
    super::stable_hex(&format!("doctriage:document:{}", super::doc_namespace(doc)))
}

fn organization_id(name: &str) -> String {
    super::stable_hex(&format!("doctriage:organization:{name}"))
}

fn statement_id(id: &str, text: &str) -> String {
    super::stable_hex(&format!("doctriage:statement:{id}:{text}"))
}

/// Longest `name` written (FtM's name type takes up to 384 chars; the full text is in `description`).
const NAME_MAX: usize = 300;

/// The records of an export, with their reviews, in cache order.
type Records<'a> = [(&'a Document, &'a DocReview)];

/// Where each statement of the ledger stands, by (id, text): its position and its status.
type LedgerIndex<'a> = BTreeMap<(&'a str, &'a str), (usize, ClaimStatus)>;

pub(crate) fn render(session: &Session, cache: &Cache) -> String {
    // Records exported: every reviewed one, and every one with a link (the link needs its Document).
    let docs: Vec<(&Document, &DocReview)> = super::touched(session, cache)
        .into_iter()
        .filter(|(_, r)| r.status != session::Status::Unreviewed || !r.links.is_empty())
        .collect();
    let by_id: BTreeMap<&str, &Document> =
        cache.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let with_parent = |mut e: Entity, doc: &Document| {
        if let Some(parent) = doc.parent.as_deref().and_then(|p| by_id.get(p)) {
            e.set("parent", document_id(parent));
        }
        e
    };
    let mut out: Vec<Entity> = Vec::new();
    for (doc, review) in &docs {
        out.push(with_parent(
            document_entity(session, doc, review, document_id(doc)),
            doc,
        ));
        out.extend(page_entities(doc));
    }
    // A member's `parent` must point at an entity: its containers come too, reviewed or not.
    let unreviewed = DocReview::default();
    for container in parent_chains(&by_id, cache, &docs) {
        let e = document_entity(session, container, &unreviewed, document_id(container));
        out.push(with_parent(e, container));
    }
    out.extend(organizations_and_mentions(session, &docs));
    out.extend(events(session, cache, &docs));
    out.extend(documentations(&docs));
    json_lines(&out)
}

/// One `Organization` per canonical sender or recipient (with the merged spellings as aliases),
/// then one `Mention` per (document, spelling) that resolves to it.
fn organizations_and_mentions(session: &Session, docs: &Records<'_>) -> Vec<Entity> {
    let mut orgs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut mentions: Vec<Entity> = Vec::new();
    for (doc, review) in docs {
        let mut spellings: Vec<&String> = Vec::new();
        for n in review.senders.iter().chain(&review.recipients) {
            if !n.trim().is_empty() && !spellings.contains(&n) {
                spellings.push(n);
            }
        }
        for n in spellings {
            let canonical = session.canonical(n).trim().to_owned();
            let aliases = orgs.entry(canonical.clone()).or_default();
            if n.trim() != canonical {
                aliases.insert(n.trim().to_owned());
            }
            let mut m = Entity::new(
                super::stable_hex(&format!(
                    "doctriage:mention:{}:{}",
                    super::doc_namespace(doc),
                    n.trim()
                )),
                "Mention",
            );
            m.set("document", document_id(doc));
            m.set("name", n.as_str());
            m.set("resolved", organization_id(&canonical));
            m.set("detectedSchema", "Organization");
            mentions.push(m);
        }
    }
    let mut out = Vec::new();
    for (name, spellings) in &orgs {
        let mut o = Entity::new(organization_id(name), "Organization");
        o.set("name", name.as_str());
        // Every spelling the analyst merged into this name, used in the review or not.
        let merged = session
            .aliases()
            .keys()
            .filter(|a| session.canonical(a) == name && a.as_str() != name);
        o.add("alias", spellings.iter().cloned().chain(merged.cloned()));
        out.push(o);
    }
    out.extend(mentions);
    out
}

/// One `Event` per statement that has links, in ledger order (statements no longer in the
/// article last).
fn events(session: &Session, cache: &Cache, docs: &Records<'_>) -> Vec<Entity> {
    let ledger: LedgerIndex<'_> = session::ledger(session, cache)
        .iter()
        .enumerate()
        .map(|(i, row)| ((row.id, row.text), (i, row.status)))
        .collect();
    let mut statements: BTreeMap<(usize, String, String), LinksOf> = BTreeMap::new();
    for (doc, review) in docs {
        for link in &review.links {
            let order = ledger
                .get(&(link.statement.as_str(), link.statement_text.as_str()))
                .map_or(usize::MAX, |x| x.0);
            statements
                .entry((order, link.statement.clone(), link.statement_text.clone()))
                .or_default()
                .push((doc, link));
        }
    }
    let article_title = cache.article.as_ref().and_then(|(_, a)| a.title.clone());
    statements
        .iter()
        .map(|((order, sid, text), links)| {
            let standing = match ledger.get(&(sid.as_str(), text.as_str())) {
                Some((_, status)) if *order != usize::MAX => status.as_str(),
                _ => "no longer in the current article",
            };
            event(sid, text, standing, article_title.as_deref(), links)
        })
        .collect()
}

/// The `Event` of one statement: its text, where it stands, and the documents that support it.
fn event(
    sid: &str,
    text: &str,
    standing: &str,
    article_title: Option<&str>,
    links: &LinksOf<'_>,
) -> Entity {
    let mut e = Entity::new(statement_id(sid, text), "Event");
    let name = format!(
        "{sid}: {}",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    e.set("name", truncate(&name, NAME_MAX));
    e.set("description", text);
    let count = |r: Relation| links.iter().filter(|(_, l)| l.relation == r).count();
    let of = article_title
        .map(|t| format!(" of the article “{t}”"))
        .unwrap_or_default();
    e.set(
        "summary",
        format!(
            "Statement {sid}{of}: {standing} ({} supporting, {} contradicting, {} context)",
            count(Relation::Supports),
            count(Relation::Contradicts),
            count(Relation::Context)
        ),
    );
    e.add(
        "proof",
        links
            .iter()
            .filter(|(_, l)| l.relation == Relation::Supports)
            .map(|(d, _)| document_id(d)),
    );
    e
}

/// One `Documentation` per link, in document order, then link order.
fn documentations(docs: &Records<'_>) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (doc, review) in docs {
        for link in &review.links {
            let (start, end) = link
                .quote
                .as_ref()
                .map_or((String::new(), String::new()), |q| {
                    (q.start.to_string(), q.end.to_string())
                });
            let key = format!(
                "doctriage:documentation:{}:{}:{}:{start}:{end}",
                super::doc_namespace(doc),
                link.statement,
                link.relation
            );
            // Two links differing only in their note get distinct ids.
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            let key = if *n > 1 { format!("{key}#{n}") } else { key };
            let mut d = Entity::new(super::stable_hex(&key), "Documentation");
            d.set("document", document_id(doc));
            d.set(
                "entity",
                statement_id(&link.statement, &link.statement_text),
            );
            d.set("role", role(link));
            if let Some(q) = &link.quote {
                d.set("summary", q.text.as_str());
            }
            if let Some(note) = &link.note {
                d.set("description", note.as_str());
            }
            out.push(d);
        }
    }
    out
}

/// The entities as JSON lines.
fn json_lines(entities: &[Entity]) -> String {
    let mut s = String::new();
    for e in entities {
        // Plain data with string keys: serialisation cannot fail.
        if let Ok(line) = serde_json::to_string(e) {
            s.push_str(&line);
            s.push('\n');
        }
    }
    s
}

fn role(link: &Link) -> String {
    match link.relation {
        Relation::Supports => format!("supports {}", link.statement),
        Relation::Contradicts => format!("contradicts {}", link.statement),
        Relation::Context => format!("context for {}", link.statement),
    }
}

/// The containers of the exported members that are not exported themselves, outermost last,
/// each once, in cache order.
fn parent_chains<'a>(
    by_id: &BTreeMap<&str, &'a Document>,
    cache: &'a Cache,
    docs: &Records<'a>,
) -> Vec<&'a Document> {
    let exported: std::collections::BTreeSet<&str> =
        docs.iter().map(|(d, _)| d.id.as_str()).collect();
    let mut wanted = std::collections::BTreeSet::new();
    for (doc, _) in docs {
        let mut parent = doc.parent.as_deref();
        while let Some(id) = parent {
            if exported.contains(id) || !wanted.insert(id) {
                break;
            }
            parent = by_id.get(id).and_then(|d| d.parent.as_deref());
        }
    }
    cache
        .documents
        .iter()
        .filter(|d| wanted.contains(d.id.as_str()))
        .collect()
}

/// The FtM schema of a document: a container as `Package` (an archive), `Folder` (a
/// mailbox), `Email` or `Workbook`; a PDF or scan as `Pages`; anything else `Document`.
fn schema_of(doc: &Document) -> &'static str {
    if doc.kind == "email" {
        "Email"
    } else if doc.kind == "archive" {
        "Package"
    } else if doc.kind == "mailbox" {
        "Folder"
    } else if is_workbook(doc) {
        "Workbook"
    } else if doc.pages.is_empty() {
        "Document"
    } else {
        "Pages"
    }
}

/// True for a workbook (its pages are sheets).
fn is_workbook(doc: &Document) -> bool {
    !doc.pages.is_empty()
        && doc
            .pages
            .iter()
            .all(|p| p.source == crate::model::PageSource::Sheet)
}

/// A `Page` per page of a paged document (a PDF), with its index and text; a `Table` per sheet
/// of a workbook, with its name and cells.
fn page_entities(doc: &Document) -> Vec<Entity> {
    if doc.pages.is_empty() {
        return Vec::new();
    }
    if is_workbook(doc) {
        return doc
            .text
            .split('\u{c}')
            .zip(&doc.pages)
            .enumerate()
            .map(|(i, (text, page))| {
                let n = i + 1;
                let key = format!("doctriage:sheet:{}:{n}", super::doc_namespace(doc));
                let mut e = Entity::new(super::stable_hex(&key), "Table");
                let name = page.label.clone().unwrap_or_else(|| format!("Sheet {n}"));
                e.set(
                    "fileName",
                    format!("{}#{name}", super::file_name(&doc.path)),
                );
                e.set("title", name);
                e.set("parent", document_id(doc));
                e.set("bodyText", text);
                e
            })
            .collect();
    }
    doc.text
        .split('\u{c}')
        .enumerate()
        .map(|(i, text)| {
            let n = i + 1;
            let mut e = Entity::new(
                super::stable_hex(&format!("doctriage:page:{}:{n}", super::doc_namespace(doc))),
                "Page",
            );
            e.set("document", document_id(doc));
            e.set("index", n.to_string());
            e.set("bodyText", text);
            e
        })
        .collect()
}

fn document_entity(session: &Session, doc: &Document, review: &DocReview, id: String) -> Entity {
    // A PDF's pages are its own entities: the document is `Pages`.
    let mut e = Entity::new(id, schema_of(doc));
    let file = super::file_name(&doc.path);
    e.set("fileName", file);
    e.set("title", doc.title.as_str());
    if let Some(date) = review.date {
        e.set("date", date.to_string());
    }
    e.set("contentHash", doc.sha256.as_str());
    if let Some(m) = mime_type(file) {
        e.set("mimeType", m);
    }
    if let Some(lang) = doc.language.as_deref().and_then(ftm_language) {
        e.set("language", lang);
    }
    e.add("author", super::canonical_list(session, &review.senders));
    e.add(
        "keywords",
        super::canonical_list(session, &review.equipment)
            .into_iter()
            .chain(review.tags.iter().cloned()),
    );
    e.set("notes", review.notes.as_str());
    e.set("fileSize", doc.file_size.to_string());
    e.set("encoding", doc.encoding.as_str());
    if let Some(id) = doc.extra.get("message-id") {
        e.set("messageId", id.as_str());
    }
    if doc.kind == "email" {
        if let Some(reply) = doc.extra.get("in-reply-to") {
            e.add("inReplyTo", reply.split_whitespace().map(str::to_owned));
        }
        e.set("subject", doc.title.as_str());
    }
    let record = doc
        .record
        .map(|r| format!(", record {r}"))
        .unwrap_or_default();
    let record = match (&doc.parent, &doc.container_sha256) {
        (Some(parent), Some(outer)) => {
            format!("{record}, member of {parent} (file as received: SHA-256 {outer})")
        }
        _ => record,
    };
    e.set(
        "description",
        format!(
            "doctriage record {} ({}): {}{record}, SHA-256 {}",
            doc.id,
            review.status.as_str(),
            doc.path,
            doc.sha256
        ),
    );
    e
}

/// MIME type of a file by its extension.
fn mime_type(file_name: &str) -> Option<&'static str> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "eml" => "message/rfc822",
        "json" | "jsonl" | "ndjson" => "application/json",
        "md" | "markdown" => "text/markdown",
        "html" | "htm" => "text/html",
        "csv" => "text/csv",
        "xml" => "application/xml",
        "txt" | "text" => "text/plain",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "tar" => "application/x-tar",
        "gz" | "tgz" => "application/gzip",
        "mbox" => "application/mbox",
        "msg" => "application/vnd.ms-outlook",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "tif" | "tiff" => "image/tiff",
        _ => return None,
    })
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// FtM's language whitelist (ISO 639-2/T), with ISO 639-1 codes, 639-2/B codes and names that mean them.
const LANGUAGES: &[(&str, &[&str])] = &[
    ("afr", &["af", "afrikaans"]),
    ("amh", &["am", "amharic"]),
    ("ara", &["ar", "arabic", "العربية"]),
    (
        "aze",
        &[
            "az",
            "azerbaijani",
            "azeri",
            "azərbaycan",
            "azərbaycanca",
            "азербайджанский",
        ],
    ),
    ("bel", &["be", "belarusian", "беларуская", "белорусский"]),
    ("ben", &["bn", "bengali", "bangla"]),
    ("bos", &["bs", "bosnian"]),
    ("bul", &["bg", "bulgarian", "български"]),
    ("cat", &["ca", "catalan", "català"]),
    ("ces", &["cs", "cze", "czech", "čeština"]),
    ("cnr", &["montenegrin"]),
    ("dan", &["da", "danish", "dansk"]),
    ("deu", &["de", "ger", "german", "deutsch"]),
    ("ell", &["el", "gre", "greek", "ελληνικά"]),
    (
        "eng",
        &[
            "en",
            "english",
            "английский",
            "inglés",
            "ingles",
            "anglais",
            "ingilis",
        ],
    ),
    ("est", &["et", "estonian", "eesti"]),
    ("fas", &["fa", "per", "persian", "farsi"]),
    ("fil", &["filipino"]),
    ("fin", &["fi", "finnish", "suomi"]),
    (
        "fra",
        &[
            "fr",
            "fre",
            "french",
            "français",
            "francais",
            "французский",
            "francés",
            "frances",
        ],
    ),
    ("gle", &["ga", "irish"]),
    ("heb", &["he", "hebrew"]),
    ("hin", &["hi", "hindi"]),
    ("hrv", &["hr", "croatian", "hrvatski"]),
    ("hun", &["hu", "hungarian", "magyar"]),
    ("hye", &["hy", "arm", "armenian", "հայերեն", "армянский"]),
    ("ind", &["id", "indonesian"]),
    ("isl", &["is", "ice", "icelandic"]),
    ("ita", &["it", "italian", "italiano"]),
    ("jpn", &["ja", "japanese"]),
    ("kan", &["kn", "kannada"]),
    ("kat", &["ka", "geo", "georgian", "ქართული"]),
    ("kaz", &["kk", "kazakh", "қазақ"]),
    ("khm", &["km", "khmer"]),
    ("kir", &["ky", "kyrgyz", "kirghiz"]),
    ("kor", &["ko", "korean"]),
    ("lao", &["lo", "lao"]),
    ("lav", &["lv", "latvian"]),
    ("lit", &["lt", "lithuanian"]),
    ("ltz", &["lb", "luxembourgish"]),
    ("mkd", &["mk", "mac", "macedonian"]),
    ("mlt", &["mt", "maltese"]),
    ("mon", &["mn", "mongolian"]),
    ("msa", &["ms", "may", "malay"]),
    ("mul", &["multiple", "multilingual"]),
    ("mya", &["my", "bur", "burmese"]),
    ("nep", &["ne", "nepali"]),
    ("nld", &["nl", "dut", "dutch"]),
    ("nor", &["no", "norwegian"]),
    ("pol", &["pl", "polish", "polski"]),
    ("por", &["pt", "portuguese", "português"]),
    ("pus", &["ps", "pashto"]),
    ("ron", &["ro", "rum", "romanian"]),
    (
        "rus",
        &["ru", "russian", "русский", "ruso", "russe", "rus dili"],
    ),
    ("sin", &["si", "sinhala"]),
    ("slk", &["sk", "slo", "slovak"]),
    ("slv", &["sl", "slovenian", "slovene"]),
    (
        "spa",
        &[
            "es",
            "spanish",
            "español",
            "espanol",
            "castellano",
            "испанский",
            "espagnol",
        ],
    ),
    ("sqi", &["sq", "alb", "albanian"]),
    ("srp", &["sr", "serbian"]),
    ("swa", &["sw", "swahili"]),
    ("swe", &["sv", "swedish", "svenska"]),
    ("tam", &["ta", "tamil"]),
    ("tel", &["te", "telugu"]),
    ("tgk", &["tg", "tajik"]),
    ("tgl", &["tl", "tagalog"]),
    ("tha", &["th", "thai"]),
    ("tuk", &["tk", "turkmen"]),
    ("tur", &["tr", "turkish", "türkçe"]),
    ("ukr", &["uk", "ukrainian", "українська", "украинский"]),
    ("urd", &["ur", "urdu"]),
    ("uzb", &["uz", "uzbek"]),
    ("vie", &["vi", "vietnamese"]),
    ("zho", &["zh", "chi", "chinese", "中文"]),
];

/// The ISO 639-2/T code FollowTheMoney's `language` type accepts for a stated language
/// (`en`, `EN-gb`, `eng`, `English`, `русский`, ...), or `None` when it is not one FtM knows.
pub fn ftm_language(stated: &str) -> Option<&'static str> {
    let s = stated.trim().to_lowercase();
    let base = s.split(['-', '_']).next().unwrap_or(&s).trim();
    LANGUAGES.iter().find_map(|(code, names)| {
        (*code == s || *code == base || names.contains(&s.as_str()) || names.contains(&base))
            .then_some(*code)
    })
}
