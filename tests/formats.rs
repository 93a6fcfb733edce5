//! The export formats other tools read, checked on a review of the sample cache.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use doctriage::export::{self, CSV_COLUMNS, Format};
use doctriage::session::{self, Command, Field, Link, Relation, Session, Status};
use doctriage::{Article, Cache, Document, PartialDate, Statement};
use serde_json::Value;

/// What the review built in [`review`] contains, to check exports against.
struct Review {
    cache: Cache,
    session: Session,
    /// The documents tagged, in the order they were picked.
    docs: Vec<String>,
    /// A document with a tag and a note but no status (not in the CSV).
    unreviewed_tagged: String,
    /// The note with commas, quotes and a line break.
    tricky_note: String,
}

fn time(s: &str) -> DateTime<Utc> {
    s.parse().expect("a time")
}

fn apply(session: &mut Session, cache: &Cache, cmd: Command) {
    session::apply(session, cache, &cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
}

/// The first line of `text` containing `needle`, trimmed.
fn line_with<'a>(text: &'a str, needle: &str) -> Option<&'a str> {
    text.lines().find(|l| l.contains(needle)).map(str::trim)
}

fn link(
    cache: &Cache,
    doc: &str,
    statement: &Statement,
    relation: Relation,
    quote: Option<&str>,
    note: Option<&str>,
) -> Command {
    let d = cache.document(doc).expect("document");
    let quote = quote.map(|q| {
        session::locate_quote(&d.text, q, None).unwrap_or_else(|| panic!("quote {q:?} in {doc}"))
    });
    Command::Link {
        doc: doc.to_owned(),
        link: Link {
            statement: statement.id.clone(),
            statement_text: statement.text.clone(),
            relation,
            quote,
            note: note.map(str::to_owned),
            ..Link::default()
        },
    }
}

fn set_status(doc: &str, status: Status) -> Command {
    Command::SetStatus {
        doc: doc.into(),
        status,
    }
}

fn set_date(doc: &str, date: Option<PartialDate>) -> Command {
    Command::SetDate {
        doc: doc.into(),
        date,
    }
}

fn add(doc: &str, field: Field, value: &str) -> Command {
    Command::Add {
        doc: doc.into(),
        field,
        value: value.into(),
    }
}

/// The statement about Groza and another one (about artillery where the article has one).
fn two_statements(cache: &Cache) -> (Statement, Statement) {
    let article = &cache
        .article
        .as_ref()
        .expect("the sample cache has an article")
        .1;
    let groza_statement = article
        .statements
        .iter()
        .find(|s| s.text.contains("Groza"))
        .unwrap_or(&article.statements[0])
        .clone();
    let other_statement = article
        .statements
        .iter()
        .find(|s| s.id != groza_statement.id && s.text.contains("artiller"))
        .or_else(|| {
            article
                .statements
                .iter()
                .find(|s| s.id != groza_statement.id)
        })
        .expect("two statements")
        .clone();
    (groza_statement, other_statement)
}

/// Six records that mention Groza, picked from the text, not by id: four Latin-script mentions,
/// one Cyrillic, and one record of a multi-record file (its offsets count the record's own
/// text). Each with the line that mentions it.
fn six_groza_records(cache: &Cache) -> Vec<(String, String)> {
    let latin: Vec<(String, String)> = cache
        .documents
        .iter()
        .filter(|d| d.kind != "other")
        .filter_map(|d| {
            let needle = ["Groza", "GROZA"]
                .into_iter()
                .find(|n| d.text.contains(n))?;
            Some((d.id.clone(), line_with(&d.text, needle)?.to_owned()))
        })
        .take(4)
        .collect();
    assert_eq!(
        latin.len(),
        4,
        "the sample cache mentions Groza in at least four records"
    );
    let cyrillic = cache
        .documents
        .iter()
        .filter(|d| d.kind != "other" && !latin.iter().any(|(id, _)| *id == d.id))
        .find_map(|d| Some((d.id.clone(), line_with(&d.text, "Гроза")?.to_owned())))
        .expect("a record mentions Гроза");
    let mut picked = latin;
    picked.push(cyrillic);
    let in_file = cache
        .documents
        .iter()
        .filter(|d| d.record.is_some() && !picked.iter().any(|(id, _)| *id == d.id))
        .find_map(|d| {
            let needle = ["Groza", "GROZA", "Гроза"]
                .into_iter()
                .find(|n| d.text.contains(n))?;
            Some((d.id.clone(), line_with(&d.text, needle)?.to_owned()))
        })
        .expect("a record of a multi-record file mentions Groza");
    picked.push(in_file);
    picked
}

/// What the review does to the six records `picked` (quoting the line of each).
fn review_commands(
    cache: &Cache,
    picked: &[(String, String)],
    (groza, other): (&Statement, &Statement),
    tricky_note: &str,
) -> Vec<Command> {
    let [a, b, c, d, e, f] = std::array::from_fn(|i| picked[i].0.as_str());
    let quote = |i: usize| Some(picked[i].1.as_str());
    vec![
        set_status(a, Status::Key),
        set_date(a, PartialDate::ymd(2020, 9, 14)),
        add(a, Field::Sender, "Pryazha-Signal OJSC"),
        add(a, Field::Sender, "ОАО «Пряжа-Сигнал»"),
        add(a, Field::Recipient, "Ministry of Defence of Azerbaijan"),
        add(a, Field::Equipment, "Groza-S"),
        add(a, Field::Tag, "groza"),
        add(a, Field::Tag, "ew"),
        Command::SetNotes {
            doc: a.into(),
            notes: tricky_note.into(),
        },
        link(cache, a, groza, Relation::Supports, quote(0), None),
        Command::MergeEntity {
            from: "ОАО «Пряжа-Сигнал»".into(),
            into: "Pryazha-Signal OJSC".into(),
        },
        set_status(b, Status::Relevant),
        set_date(b, PartialDate::ym(2021, 5)),
        add(b, Field::Sender, "State arms-export agency"),
        add(b, Field::Recipient, "Pryazha-Signal OJSC"),
        link(
            cache,
            b,
            groza,
            Relation::Contradicts,
            quote(1),
            Some("Says the order was withdrawn, \"pending\"."),
        ),
        set_status(c, Status::Relevant),
        set_date(c, Some(PartialDate::y(2020))),
        link(
            cache,
            c,
            other,
            Relation::Context,
            quote(2),
            Some("Background only."),
        ),
        link(cache, c, groza, Relation::Supports, None, None),
        set_status(d, Status::Irrelevant),
        add(d, Field::Sender, "ОАО «Пряжа-Сигнал»"),
        set_status(e, Status::Key),
        set_date(e, PartialDate::ymd(2021, 5, 25)),
        add(e, Field::Equipment, "Groza-S"),
        link(cache, e, groza, Relation::Supports, quote(4), None),
        set_status(f, Status::Relevant),
        link(cache, f, other, Relation::Context, quote(5), None),
    ]
}

/// A review of the sample cache: six documents that mention Groza (one in Cyrillic, one a record of
/// a multi-record file),
/// with statuses, full and partial dates, merged senders, equipment, tags, notes and links.
fn review() -> Review {
    let cache = common::scan(&common::sample());
    let mut session = Session::new(&doctriage::sample_cache_dir(), None, "Test Analyst", &cache);
    session.created = time("2024-05-01T09:00:00Z");
    let (groza_statement, other_statement) = two_statements(&cache);
    let picked = six_groza_records(&cache);
    let ids: Vec<String> = picked.iter().map(|(id, _)| id.clone()).collect();
    let tricky_note =
        "Consignee differs from the licence, see \"annex 2\", p. 3\nSecond line; with | a pipe"
            .to_owned();
    let statements = (&groza_statement, &other_statement);
    for cmd in review_commands(&cache, &picked, statements, &tricky_note) {
        apply(&mut session, &cache, cmd);
    }
    let unreviewed_tagged = cache
        .documents
        .iter()
        .find(|doc| !ids.contains(&doc.id))
        .expect("an untouched document")
        .id
        .clone();
    apply(
        &mut session,
        &cache,
        add(&unreviewed_tagged, Field::Tag, "later"),
    );
    apply(
        &mut session,
        &cache,
        Command::AppendNote {
            doc: unreviewed_tagged.clone(),
            note: "Check the stamp | later.".into(),
        },
    );
    // `apply` stamps the time of the edit; fix it so exports can be compared byte for byte.
    session.modified = time("2024-05-02T10:30:00Z");
    Review {
        cache,
        session,
        docs: ids,
        unreviewed_tagged,
        tricky_note,
    }
}

fn reviewed_ids(r: &Review) -> Vec<String> {
    r.cache
        .documents
        .iter()
        .filter(|d| r.session.status(&d.id) != Status::Unreviewed)
        .map(|d| d.id.clone())
        .collect()
}

fn gen_time() -> DateTime<Utc> {
    time("2024-06-01T12:00:00Z")
}

#[test]
fn format_names_parse_display_and_extensions() {
    let names: Vec<String> = Format::ALL.iter().map(Format::to_string).collect();
    assert_eq!(names, ["json", "md", "csv", "ftm", "w3c", "timelinejs"]);
    let exts: Vec<&str> = Format::ALL.iter().map(|f| f.extension()).collect();
    assert_eq!(
        exts,
        [
            "json",
            "md",
            "csv",
            "ftm.jsonl",
            "w3c.jsonld",
            "timeline.json"
        ]
    );
    for f in Format::ALL {
        assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        assert_eq!(f.to_string().to_uppercase().parse::<Format>(), Ok(f));
    }
    let err = "pdf".parse::<Format>().expect_err("pdf is not a format");
    assert!(err.contains("timelinejs") && err.contains("pdf"), "{err}");
}

#[test]
fn json_is_the_findings_file() {
    let r = review();
    let out = export::render(Format::Json, &r.session, &r.cache, gen_time());
    assert_eq!(
        out,
        doctriage::export::findings_json(&doctriage::export::findings(
            &r.session,
            &r.cache,
            gen_time()
        ))
    );
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["schema"], "doctriage.findings/4");
}

#[test]
fn markdown_memo_names_every_statement_and_quote() {
    let r = review();
    let md = export::render(Format::Md, &r.session, &r.cache, gen_time());
    let article = &r.cache.article.as_ref().expect("article").1;
    assert!(
        md.starts_with("# Findings\n")
            || md.starts_with(&format!(
                "# {}\n",
                article.title.clone().unwrap_or_default()
            ))
    );
    assert!(md.contains("2024-06-01T12:00:00Z"), "generated time");
    assert!(md.contains("Test Analyst"));
    for st in &article.statements {
        assert!(
            md.contains(&format!("### {} — ", st.id)),
            "statement {} has a heading",
            st.id
        );
    }
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut quotes = 0;
    for review in r.session.reviews().values() {
        for link in &review.links {
            if let Some(q) = &link.quote {
                quotes += 1;
                let shown = format!("“{}” (chars {}–{}", one_line(&q.text), q.start, q.end);
                assert!(md.contains(&shown), "quote shown with offsets: {shown}");
            }
        }
    }
    assert_eq!(quotes, 5);
    for id in &r.docs {
        let doc = r.cache.document(id).expect("doc");
        // The abbreviated hash beside the evidence or not, the full one in the Documents table.
        assert!(md.contains(&doc.sha256), "full SHA-256 of {id}");
    }
    let first = r.cache.document(&r.docs[0]).expect("doc");
    assert!(md.contains(&format!("SHA-256 `{}`", &first.sha256[..12])));
    for heading in [
        "## Statements",
        "## Timeline",
        "## Documents",
        "## Unreviewed documents",
        "## Analyst's notes",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(md.contains("| Date | Document | Title |"));
    assert!(md.contains("| ID | Path | Kind | Status | Date | Reviewed by | SHA-256 |"));
    assert!(md.contains("| 2020-09-14 | "), "full date in the timeline");
    assert!(md.contains("| 2021-05 | "), "partial date in the timeline");
    // Unreviewed documents are listed as id — title, the tagged-but-unreviewed one among them.
    let u = r.cache.document(&r.unreviewed_tagged).expect("doc");
    assert!(md.contains(&format!("- `{}` — ", u.id)));
    assert!(!md.contains(&format!("- `{}` — ", r.docs[0])));
    // Statuses in words.
    assert!(md.contains("Contested: at least one record contradicts it."));
}

/// A tiny hand-made cache: pipes in ids and titles, text with characters outside the BMP.
fn pipe_cache() -> (Cache, Session) {
    let text = "Héllo 𝔊roza | wörld. The consignee: ООО «Тест» — 𝄞 end.".to_owned();
    let doc = Document {
        id: "misc/a|b.txt".into(),
        path: "misc/a|b.txt".into(),
        kind: "memo".into(),
        title: "Memo | annex 1".into(),
        sha256: doctriage::sha256_hex(text.as_bytes()),
        text,
        encoding: "UTF-8".into(),
        ..Document::default()
    };
    let statement = Statement {
        id: "S1".into(),
        text: "A statement | with a pipe.".into(),
    };
    let cache = Cache {
        root: "/nonexistent/cache".into(),
        documents: vec![doc],
        article: Some((
            "article.md".into(),
            Article {
                title: Some("Title | with pipe".into()),
                statements: vec![statement.clone()],
                sha256: "00".repeat(32),
                text: String::new(),
            },
        )),
        ..Cache::default()
    };
    let mut session = Session::new(&cache.root, None, "A", &cache);
    apply(
        &mut session,
        &cache,
        Command::SetStatus {
            doc: "misc/a|b.txt".into(),
            status: Status::Key,
        },
    );
    apply(
        &mut session,
        &cache,
        Command::SetDate {
            doc: "misc/a|b.txt".into(),
            date: PartialDate::ym(2019, 3),
        },
    );
    apply(
        &mut session,
        &cache,
        link(
            &cache,
            "misc/a|b.txt",
            &statement,
            Relation::Supports,
            Some("ООО «Тест» — 𝄞"),
            None,
        ),
    );
    (cache, session)
}

#[test]
fn markdown_tables_escape_pipes() {
    let (cache, session) = pipe_cache();
    let md = export::render(Format::Md, &session, &cache, gen_time());
    assert!(md.starts_with("# Title | with pipe\n"));
    assert!(
        md.contains("| 2019-03 | misc/a\\|b.txt | Memo \\| annex 1 |"),
        "{md}"
    );
    assert!(
        md.contains("| misc/a\\|b.txt | misc/a\\|b.txt | memo | key | 2019-03 |"),
        "{md}"
    );
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let unescaped = line.replace("\\|", "");
        let cells = unescaped.matches('|').count();
        assert!(
            cells == 4 || cells == 8 || cells == 9,
            "a table row keeps its columns: {line}"
        );
    }
}

#[test]
fn csv_round_trips_through_a_reader() {
    let r = review();
    let out = export::render(Format::Csv, &r.session, &r.cache, gen_time());
    assert!(!out.starts_with('\u{feff}'), "no byte-order mark");
    assert!(out.contains("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
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
            "container_sha256"
        ]
    );
    assert_eq!(header, CSV_COLUMNS);
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.expect("record").iter().map(str::to_owned))
                .collect()
        })
        .collect();
    let reviewed = reviewed_ids(&r);
    assert_eq!(rows.len(), reviewed.len());
    assert_eq!(
        rows.iter().map(|row| row["id"].clone()).collect::<Vec<_>>(),
        reviewed,
        "cache order"
    );
    assert!(
        !rows.iter().any(|row| row["id"] == r.unreviewed_tagged),
        "unreviewed documents are not rows"
    );

    let a = rows
        .iter()
        .find(|row| row["id"] == r.docs[0])
        .expect("row of the key document");
    let doc = r.cache.document(&r.docs[0]).expect("doc");
    assert_eq!(a["path"], doc.path);
    assert_eq!(a["sha256"], doc.sha256);
    assert_eq!(a["title"], doc.title);
    assert_eq!(a["status"], "key");
    assert_eq!(a["date"], "2020-09-14");
    // The Cyrillic spelling was merged into the Latin one: one canonical name.
    assert_eq!(a["senders"], "Pryazha-Signal OJSC");
    assert_eq!(a["tags"], "groza; ew");
    assert_eq!(
        a["notes"], r.tricky_note,
        "commas, quotes, a pipe and a line break survive"
    );
    let b = rows.iter().find(|row| row["id"] == r.docs[1]).expect("row");
    assert_eq!(b["date"], "2021-05");
    let c = rows.iter().find(|row| row["id"] == r.docs[2]).expect("row");
    assert_eq!(c["date"], "2020");
    assert_eq!(
        c["linked_statements"].split("; ").count(),
        2,
        "two statements, joined with '; '"
    );
    let d = rows.iter().find(|row| row["id"] == r.docs[3]).expect("row");
    assert_eq!(d["status"], "irrelevant");
    assert_eq!(d["senders"], "Pryazha-Signal OJSC", "merged name");
    assert_eq!(d["date"], "");
}

/// Parses an FtM stream: every line an entity with id, schema and list-of-string properties.
fn ftm_entities(out: &str) -> Vec<FtmEntity> {
    out.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let obj = v.as_object().expect("an object");
            let id = obj["id"].as_str().expect("id").to_owned();
            let schema = obj["schema"].as_str().expect("schema").to_owned();
            let props = obj["properties"]
                .as_object()
                .expect("properties")
                .iter()
                .map(|(k, vals)| {
                    let list = vals
                        .as_array()
                        .unwrap_or_else(|| panic!("{k} is a list in {line}"));
                    assert!(!list.is_empty(), "{k} has values");
                    (
                        k.clone(),
                        list.iter()
                            .map(|x| x.as_str().expect("a string value").to_owned())
                            .collect(),
                    )
                })
                .collect();
            (id, schema, props)
        })
        .collect()
}

/// An entity of an FtM stream: id, schema, properties.
type FtmEntity = (String, String, BTreeMap<String, Vec<String>>);

/// The FtM export of [`review`], parsed; its ids are unique.
struct Ftm {
    r: Review,
    out: String,
    entities: Vec<FtmEntity>,
    /// The schema of each entity, by id.
    schema_of: BTreeMap<String, String>,
}

/// FtM's `Document` and the subtypes doctriage writes.
const DOCUMENT_SCHEMAS: &[&str] = &[
    "Document", "Email", "Pages", "Package", "Folder", "Workbook",
];

impl Ftm {
    fn of(&self, schema: &str) -> Vec<&FtmEntity> {
        self.entities
            .iter()
            .filter(|(_, s, _)| s == schema)
            .collect()
    }

    /// The document entities: `Document` and its subtypes (`Email` for an e-mail, `Pages` for a PDF).
    fn documents(&self) -> Vec<&FtmEntity> {
        self.entities
            .iter()
            .filter(|(_, s, _)| DOCUMENT_SCHEMAS.contains(&s.as_str()))
            .collect()
    }

    fn schema(&self, id: &str) -> Option<&str> {
        self.schema_of.get(id).map(String::as_str)
    }

    fn ids(&self) -> BTreeSet<&str> {
        self.entities.iter().map(|(id, _, _)| id.as_str()).collect()
    }
}

fn ftm_of_review() -> Ftm {
    let r = review();
    let out = export::render(Format::Ftm, &r.session, &r.cache, gen_time());
    let entities = ftm_entities(&out);
    let schema_of: BTreeMap<String, String> = entities
        .iter()
        .map(|(id, s, _)| (id.clone(), s.clone()))
        .collect();
    assert_eq!(schema_of.len(), entities.len(), "ids are unique");
    Ftm {
        r,
        out,
        entities,
        schema_of,
    }
}

/// A Document per reviewed record, found by its hash and file name, with the fields Aleph loads.
#[test]
fn ftm_entities_have_the_shape_aleph_loads() {
    let f = ftm_of_review();
    let documents = f.documents();
    for id in reviewed_ids(&f.r) {
        let doc = f.r.cache.document(&id).expect("doc");
        let file = doc.path.rsplit('/').next().expect("file name");
        assert!(
            documents
                .iter()
                .any(|(_, _, p)| p["contentHash"] == [doc.sha256.clone()]
                    && p["fileName"] == [file.to_owned()]
                    && p["title"] == [doc.title.clone()]),
            "Document for {id}"
        );
    }
    // A reviewed member brings its containers (reviewed or not), so its `parent` points at one.
    let reviewed = reviewed_ids(&f.r);
    let mut containers = BTreeSet::new();
    for id in &reviewed {
        let mut parent = f.r.cache.document(id).and_then(|d| d.parent.clone());
        while let Some(p) = parent {
            if !reviewed.contains(&p) {
                containers.insert(p.clone());
            }
            parent = f.r.cache.document(&p).and_then(|d| d.parent.clone());
        }
    }
    assert_eq!(
        documents.len(),
        reviewed.len() + containers.len(),
        "no Document for the merely tagged record"
    );
    for (_, _, p) in &documents {
        if let Some(parent) = p.get("parent") {
            let parent = parent[0].as_str();
            assert!(
                DOCUMENT_SCHEMAS.contains(&f.schema(parent).unwrap_or_default()),
                "parent {parent} is exported"
            );
        }
    }
    let key_hash = &f.r.cache.document(&f.r.docs[0]).expect("doc").sha256;
    let key = documents
        .iter()
        .find(|(_, _, p)| p["contentHash"] == [key_hash.clone()])
        .expect("key document");
    assert_eq!(key.2["date"], ["2020-09-14"]);
    assert_eq!(
        key.2["notes"].as_slice(),
        std::slice::from_ref(&f.r.tricky_note)
    );
    assert!(key.2["keywords"].contains(&"Groza-S".to_owned()));
    for (_, _, p) in &documents {
        for lang in p.get("language").into_iter().flatten() {
            assert!(
                lang.len() == 3 && lang.chars().all(|c| c.is_ascii_lowercase()),
                "ISO 639-2 code: {lang}"
            );
        }
        for m in p.get("mimeType").into_iter().flatten() {
            assert!(
                [
                    "text/plain",
                    "message/rfc822",
                    "application/json",
                    "text/markdown",
                    "application/zip",
                    "application/mbox",
                    "application/pdf",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ]
                .contains(&m.as_str()),
                "{m}"
            );
        }
    }
    let partial = documents
        .iter()
        .find(|(_, _, p)| p.get("date") == Some(&vec!["2021-05".to_owned()]));
    assert!(partial.is_some(), "a partial date stays partial");
}

/// Organizations after merges; Mentions point at existing Documents and Organizations.
#[test]
fn ftm_organizations_follow_the_merges_and_mentions_resolve_to_them() {
    let f = ftm_of_review();
    let orgs = f.of("Organization");
    let org_names: BTreeSet<&str> = orgs.iter().map(|(_, _, p)| p["name"][0].as_str()).collect();
    assert_eq!(
        org_names,
        BTreeSet::from([
            "Ministry of Defence of Azerbaijan",
            "Pryazha-Signal OJSC",
            "State arms-export agency"
        ])
    );
    let pryazha = orgs
        .iter()
        .find(|(_, _, p)| p["name"] == ["Pryazha-Signal OJSC"])
        .expect("merged organisation");
    assert_eq!(pryazha.2["alias"], ["ОАО «Пряжа-Сигнал»"]);
    let mentions = f.of("Mention");
    assert!(!mentions.is_empty());
    for (_, _, p) in &mentions {
        assert!(
            DOCUMENT_SCHEMAS.contains(&f.schema(p["document"][0].as_str()).unwrap_or_default())
        );
        assert_eq!(f.schema(p["resolved"][0].as_str()), Some("Organization"));
        assert_eq!(p["detectedSchema"], ["Organization"]);
        assert!(!p["name"][0].is_empty());
    }
    // Document a names three spellings, b two, d one.
    assert_eq!(mentions.len(), 3 + 2 + 1);
    assert!(
        mentions
            .iter()
            .any(|(_, _, p)| p["name"] == ["ОАО «Пряжа-Сигнал»"] && p["resolved"][0] == pryazha.0)
    );
}

/// One Event per linked statement, one Documentation per link.
#[test]
fn ftm_links_are_documentation_of_one_event_per_statement() {
    let f = ftm_of_review();
    let links: usize =
        f.r.session
            .reviews()
            .values()
            .map(|rv| rv.links.len())
            .sum();
    let documentation = f.of("Documentation");
    assert_eq!(documentation.len(), links);
    for (_, _, p) in &documentation {
        assert!(
            DOCUMENT_SCHEMAS.contains(&f.schema(p["document"][0].as_str()).unwrap_or_default())
        );
        assert_eq!(f.schema(p["entity"][0].as_str()), Some("Event"));
        let role = &p["role"][0];
        assert!(
            role.starts_with("supports S")
                || role.starts_with("contradicts S")
                || role.starts_with("context for S"),
            "{role}"
        );
    }
    let quoted = documentation
        .iter()
        .filter(|(_, _, p)| p.contains_key("summary"))
        .count();
    assert_eq!(quoted, 5, "the quote is the summary of each quoted link");
    let events = f.of("Event");
    assert_eq!(events.len(), 2);
    for (_, _, p) in &events {
        assert!(p["name"][0].starts_with('S'));
        assert!(p.contains_key("summary") && p.contains_key("description"));
        for proof in p.get("proof").into_iter().flatten() {
            assert!(DOCUMENT_SCHEMAS.contains(&f.schema(proof.as_str()).unwrap_or_default()));
        }
    }
}

#[test]
fn ftm_ids_depend_neither_on_the_export_time_nor_on_other_edits() {
    let f = ftm_of_review();
    let ids = f.ids();
    // Ids do not depend on the time of the export.
    let again = export::render(
        Format::Ftm,
        &f.r.session,
        &f.r.cache,
        time("2030-01-01T00:00:00Z"),
    );
    assert_eq!(again, f.out);
    // Nor on edits elsewhere: a new tag on another document keeps every existing id.
    let mut s2 = f.r.session.clone();
    apply(
        &mut s2,
        &f.r.cache,
        Command::SetStatus {
            doc: f.r.unreviewed_tagged.clone(),
            status: Status::Relevant,
        },
    );
    let more = ftm_entities(&export::render(Format::Ftm, &s2, &f.r.cache, gen_time()));
    let more_ids: BTreeSet<&str> = more.iter().map(|(id, _, _)| id.as_str()).collect();
    assert!(ids.is_subset(&more_ids));
}

#[test]
fn ftm_language_codes_are_the_ones_ftm_accepts() {
    for (stated, code) in [
        ("en", Some("eng")),
        ("EN-gb", Some("eng")),
        ("English", Some("eng")),
        ("ru", Some("rus")),
        ("русский", Some("rus")),
        ("az", Some("aze")),
        ("es", Some("spa")),
        ("fr", Some("fra")),
        ("fre", Some("fra")),
        ("be", Some("bel")),
        ("uk", Some("ukr")),
        ("eng", Some("eng")),
        ("xx", None),
        ("Klingon", None),
        ("", None),
    ] {
        assert_eq!(export::ftm_language(stated), code, "{stated}");
    }
}

/// Runs `ftm validate` over a stream and returns what it wrote.
fn ftm_validate(input: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let (inp, outp) = (
        dir.path().join("in.ftm.jsonl"),
        dir.path().join("out.ftm.jsonl"),
    );
    std::fs::write(&inp, input).expect("write");
    let status = std::process::Command::new("ftm")
        .args(["validate", "-i"])
        .arg(&inp)
        .arg("-o")
        .arg(&outp)
        .status()
        .expect("ftm runs");
    assert!(status.success(), "ftm validate failed");
    std::fs::read_to_string(&outp).expect("ftm output")
}

/// followthemoney's own validator (`ftm`, installed on CI) keeps every entity and property.
#[test]
fn ftm_validate_keeps_every_property() {
    let r = review();
    let out = export::render(Format::Ftm, &r.session, &r.cache, gen_time());
    if let Ok(path) = std::env::var("DOCTRIAGE_FTM_OUT") {
        // scripts/ftm_validate.sh reads the sample review's export from here.
        std::fs::write(&path, &out).expect("write DOCTRIAGE_FTM_OUT");
    }
    if !common::require_tool("ftm") {
        return;
    }
    let validated = ftm_validate(&out);
    let before = ftm_entities(&out);
    let after: BTreeMap<String, (String, BTreeMap<String, Vec<String>>)> = ftm_entities(&validated)
        .into_iter()
        .map(|(id, s, p)| (id, (s, p)))
        .collect();
    assert_eq!(after.len(), before.len(), "every entity kept");
    for (id, schema, props) in &before {
        let (s2, p2) = after
            .get(id)
            .unwrap_or_else(|| panic!("entity {id} dropped"));
        assert_eq!(s2, schema);
        for (prop, values) in props {
            let kept = p2
                .get(prop)
                .unwrap_or_else(|| panic!("{schema}.{prop} dropped from {id}"));
            let a: BTreeSet<&String> = values.iter().collect();
            let b: BTreeSet<&String> = kept.iter().collect();
            assert_eq!(a, b, "{schema}.{prop} values changed in {id}");
        }
        assert_eq!(
            p2.len(),
            props.len(),
            "no property added or dropped in {id}"
        );
    }
}

/// Checks every annotation with a position against the document text; returns how many it checked.
fn check_annotations(out: &str, cache: &Cache, session: &Session) -> usize {
    let v: Value = serde_json::from_str(out).expect("JSON-LD");
    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    assert!(
        v["id"]
            .as_str()
            .expect("collection id")
            .starts_with("urn:uuid:")
    );
    assert_eq!(v["first"]["type"], "AnnotationPage");
    let items = v["first"]["items"].as_array().expect("items");
    assert_eq!(v["total"].as_u64(), Some(items.len() as u64));
    let mut ids = BTreeSet::new();
    let mut checked = 0;
    for a in items {
        assert_eq!(a["type"], "Annotation");
        let id = a["id"].as_str().expect("id");
        let uuid = id.strip_prefix("urn:uuid:").expect("urn:uuid");
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.matches('-').count(), 4);
        assert!(ids.insert(id.to_owned()), "ids are unique");
        assert_eq!(a["created"], session::rfc3339(session.modified));
        let motivation = a["motivation"].as_str().expect("motivation");
        assert!(["linking", "commenting", "tagging"].contains(&motivation));
        for body in a["body"].as_array().expect("bodies") {
            assert_eq!(body["type"], "TextualBody");
            assert!(body["value"].is_string());
            assert!(
                ["linking", "classifying", "commenting", "tagging"]
                    .contains(&body["purpose"].as_str().expect("purpose"))
            );
        }
        let target = &a["target"];
        let doc = cache
            .document(target["dcterms:identifier"].as_str().expect("doc id"))
            .expect("document");
        assert_eq!(target["source"], format!("urn:sha256:{}", doc.sha256));
        let Some(selectors) = target["selector"].as_array() else {
            continue;
        };
        let quote = selectors
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .expect("quote selector");
        let Some(pos) = selectors
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
        else {
            continue;
        };
        let (start, end) = (
            pos["start"].as_u64().expect("start") as usize,
            pos["end"].as_u64().expect("end") as usize,
        );
        let chars: Vec<char> = doc.text.chars().collect();
        let exact: String = chars[start..end].iter().collect();
        assert_eq!(
            quote["exact"].as_str(),
            Some(exact.as_str()),
            "the quote re-anchors at its char offsets"
        );
        let prefix = quote["prefix"].as_str().unwrap_or("");
        let suffix = quote["suffix"].as_str().unwrap_or("");
        let want_prefix: String = chars[start.saturating_sub(32)..start].iter().collect();
        let want_suffix: String = chars[end..(end + 32).min(chars.len())].iter().collect();
        assert_eq!(prefix, want_prefix);
        assert_eq!(suffix, want_suffix);
        checked += 1;
    }
    checked
}

#[test]
fn w3c_quotes_reanchor_at_their_char_offsets() {
    let r = review();
    let out = export::render(Format::W3c, &r.session, &r.cache, gen_time());
    assert_eq!(check_annotations(&out, &r.cache, &r.session), 5);
    let v: Value = serde_json::from_str(&out).expect("json");
    let items = v["first"]["items"].as_array().expect("items");
    let links: usize = r.session.reviews().values().map(|rv| rv.links.len()).sum();
    assert_eq!(
        items
            .iter()
            .filter(|a| a["motivation"] == "linking")
            .count(),
        links
    );
    // The key document's notes and tags; the tagged unreviewed document's note.
    let commenting: Vec<&Value> = items
        .iter()
        .filter(|a| a["motivation"] == "commenting")
        .collect();
    assert_eq!(commenting.len(), 2);
    let key = commenting
        .iter()
        .find(|a| a["target"]["dcterms:identifier"] == r.docs[0].as_str())
        .expect("notes on the key document");
    let bodies = key["body"].as_array().expect("bodies");
    assert_eq!(bodies[0]["value"], r.tricky_note.as_str());
    let tags: Vec<&str> = bodies
        .iter()
        .filter(|b| b["purpose"] == "tagging")
        .filter_map(|b| b["value"].as_str())
        .collect();
    assert_eq!(tags, ["groza", "ew"]);
    assert!(
        key["target"].get("selector").is_none(),
        "notes target the whole document"
    );
    let contradicting = items
        .iter()
        .find(|a| {
            a["body"].as_array().is_some_and(|b| {
                b.iter()
                    .any(|x| x["purpose"] == "classifying" && x["value"] == "contradicts")
            })
        })
        .expect("the contradicting link");
    assert!(
        contradicting["body"][0]["value"]
            .as_str()
            .expect("statement")
            .starts_with('S')
    );
    assert_eq!(
        contradicting["body"][2]["purpose"], "commenting",
        "the link's note"
    );
    // A link without a quote targets the whole document.
    assert!(
        items
            .iter()
            .any(|a| a["motivation"] == "linking" && a["target"].get("selector").is_none())
    );
    assert_eq!(items[0]["creator"]["name"], "Test Analyst");
}

#[test]
fn w3c_offsets_count_chars_outside_the_basic_plane() {
    let (cache, session) = pipe_cache();
    let out = export::render(Format::W3c, &session, &cache, gen_time());
    assert_eq!(check_annotations(&out, &cache, &session), 1);
    let v: Value = serde_json::from_str(&out).expect("json");
    let pos = &v["first"]["items"][0]["target"]["selector"][1];
    // "Héllo 𝔊roza | wörld. The consignee: " is 36 chars (𝔊 is one) but 41 bytes.
    assert_eq!("Héllo 𝔊roza | wörld. The consignee: ".len(), 41);
    assert_eq!(pos["start"], 36);
    assert_eq!(pos["end"], 36 + 14);
}

#[test]
fn timelinejs_events_are_sorted_and_keep_partial_dates() {
    let r = review();
    let out = export::render(Format::TimelineJs, &r.session, &r.cache, gen_time());
    let v: Value = serde_json::from_str(&out).expect("json");
    assert!(v["title"]["text"]["headline"].is_string());
    let events = v["events"].as_array().expect("events");
    let dated = reviewed_ids(&r)
        .iter()
        .filter(|id| r.session.review(id).and_then(|rv| rv.date).is_some())
        .count();
    assert_eq!(events.len(), dated);
    let key = |e: &Value| -> (i32, u32, u32) {
        let d = &e["start_date"];
        let num = |k: &str| d[k].as_str().map(|s| s.parse::<u32>().expect("number"));
        (
            d["year"].as_str().expect("year").parse().expect("year"),
            num("month").unwrap_or(0),
            num("day").unwrap_or(0),
        )
    };
    let keys: Vec<_> = events.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by date");
    let mut ids = BTreeSet::new();
    for e in events {
        let d = e["start_date"].as_object().expect("date");
        assert!(d["year"].is_string());
        if !d.contains_key("month") {
            assert!(!d.contains_key("day"), "no day without a month");
        }
        assert!(e["text"]["headline"].is_string() && e["text"]["text"].is_string());
        assert!(e["group"].is_string());
        assert!(ids.insert(e["unique_id"].as_str().expect("unique id").to_owned()));
    }
    let year_only = events
        .iter()
        .find(|e| e["start_date"]["year"] == "2020" && e["start_date"].get("month").is_none());
    assert!(year_only.is_some(), "the year-only date is a year alone");
    let month_only = events.iter().find(|e| {
        e["start_date"]["month"] == "5"
            && e["start_date"]["year"] == "2021"
            && e["start_date"].get("day").is_none()
    });
    assert!(month_only.is_some(), "the month date has no day");
    let full = events.iter().find(|e| {
        e["start_date"] == serde_json::json!({"year": "2020", "month": "9", "day": "14"})
    });
    let full = full.expect("the full date");
    let text = full["text"]["text"].as_str().expect("text");
    assert!(
        text.contains("Pryazha-Signal OJSC") && text.contains("<blockquote>"),
        "{text}"
    );
}

#[test]
fn every_format_is_deterministic() {
    let r = review();
    let copy = review();
    for f in Format::ALL {
        let one = export::render(f, &r.session, &r.cache, gen_time());
        let two = export::render(f, &r.session, &r.cache, gen_time());
        assert_eq!(one, two, "{f}: same session, same bytes");
        // A second review built by the same commands exports the same bytes.
        assert_eq!(
            one,
            export::render(f, &copy.session, &copy.cache, gen_time()),
            "{f}: same review, same bytes"
        );
        assert!(!one.is_empty(), "{f} is not empty");
    }
    for f in [Format::Csv, Format::Ftm, Format::W3c] {
        let later = export::render(f, &r.session, &r.cache, time("2031-02-03T04:05:06Z"));
        assert_eq!(
            later,
            export::render(f, &r.session, &r.cache, gen_time()),
            "{f} does not show the export time"
        );
    }
}

#[test]
fn an_empty_review_exports_without_failing() {
    let cache = common::scan(&common::sample());
    let session = Session::new(&doctriage::sample_cache_dir(), None, "", &cache);
    for f in Format::ALL {
        let out = export::render(f, &session, &cache, gen_time());
        match f {
            Format::Csv => assert_eq!(out.lines().count(), 1, "header only"),
            Format::Ftm => assert_eq!(out, ""),
            Format::W3c => {
                let v: Value = serde_json::from_str(&out).expect("json");
                assert_eq!(v["total"], 0);
            }
            Format::Md => assert!(out.contains("_No document reviewed yet._")),
            _ => {}
        }
    }
    let empty = Cache::default();
    for f in Format::ALL {
        let _ = export::render(f, &session, &empty, gen_time());
    }
}

#[test]
fn a_file_name_chooses_the_format() {
    use doctriage::export::Format;
    use std::path::Path;
    for (name, f) in [
        ("out/findings.json", Format::Json),
        ("memo.md", Format::Md),
        ("rows.CSV", Format::Csv),
        ("aleph.ftm.jsonl", Format::Ftm),
        ("aleph.jsonl", Format::Ftm),
        ("notes.w3c.jsonld", Format::W3c),
        ("notes.jsonld", Format::W3c),
        ("story.timeline.json", Format::TimelineJs),
        ("no-extension", Format::Json),
    ] {
        assert_eq!(Format::for_path(Path::new(name)), f, "{name}");
    }
}

#[test]
fn memo_and_timeline_name_the_cache_by_its_folder_not_a_relative_path() {
    let cache = common::scan(&common::sample());
    // A session file far from its cache refers to it as `../../…/sample_cache`.
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    let session = Session::new(
        &doctriage::sample_cache_dir(),
        Some(&deep.join("s.json")),
        "A",
        &cache,
    );
    assert!(session.cache.contains(".."), "{}", session.cache);
    let at = time("2024-05-01T09:00:00Z");
    let md = export::render(Format::Md, &session, &cache, at);
    assert!(md.contains("- **Cache:** `sample_cache`"), "{md}");
    assert!(!md.contains("../"), "the memo prints a relative path");
    let tl = export::render(Format::TimelineJs, &session, &cache, at);
    assert!(tl.contains("reviewed in sample_cache."), "{tl}");
    assert!(!tl.contains("../"), "the timeline prints a relative path");
}
