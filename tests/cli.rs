//! The command line, end to end on the sample cache: the worked example of README.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

mod common;

use std::path::{Path, PathBuf};

use common::{run, s, sample, stdout_ok, step};
use serde_json::Value;

/// The id of the statement whose text contains `needle`.
fn statement(statements: &Value, needle: &str) -> String {
    statements["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["text"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no statement contains {needle:?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn scan_lists_documents_errors_and_the_article() {
    let v: Value = serde_json::from_str(&stdout_ok(&["scan", s(&sample()), "--json"])).unwrap();
    let docs = v["documents"].as_array().unwrap();
    assert!(docs.len() >= 40, "{} documents", docs.len());
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{}", v["errors"]);
    let dup = docs
        .iter()
        .find(|d| d["path"] == "misc/scan_0007.txt")
        .unwrap();
    assert_eq!(dup["duplicate_of"], "letters/letter_2019_03_14.txt");
    let letter = docs
        .iter()
        .find(|d| d["path"] == "letters/letter_2019_03_14.txt")
        .unwrap();
    assert_eq!(letter["date"], "2019-03-14");
    assert_eq!(letter["sender"], "State arms-export agency");
    assert_eq!(letter["sha256"].as_str().unwrap().len(), 64);
    assert!(v["article"]["statements"].as_array().unwrap().len() > 10);
}

#[test]
fn suggest_gives_quotes_at_their_offsets() {
    let dir = sample();
    let v: Value = serde_json::from_str(&stdout_ok(&["suggest", s(&dir), "--json"])).unwrap();
    let scan: Value = serde_json::from_str(&stdout_ok(&["scan", s(&dir), "--json"])).unwrap();
    assert_eq!(
        v["documents"].as_array().unwrap().len(),
        scan["documents"].as_array().unwrap().len()
    );
    let cache = common::scan(&dir);
    let mut quotes = 0;
    for d in v["documents"].as_array().unwrap() {
        let doc = cache.document(d["id"].as_str().unwrap()).unwrap();
        for list in ["dates", "senders", "equipment"] {
            for c in d[list].as_array().unwrap() {
                if let Some(q) = c["quote"].as_str() {
                    let (a, b) = (
                        c["start"].as_u64().unwrap() as usize,
                        c["end"].as_u64().unwrap() as usize,
                    );
                    let at = common::chars(&doc.text, a, b);
                    assert_eq!(at, q, "{} {list}", doc.id);
                    quotes += 1;
                }
            }
        }
    }
    assert!(quotes > 100, "{quotes} quoted candidates");
    let one: Value = serde_json::from_str(&stdout_ok(&[
        "suggest",
        s(&dir),
        "--doc",
        "letters/letter_2019_03_14.txt",
        "--json",
    ]))
    .unwrap();
    let eq: Vec<&str> = one["documents"][0]["equipment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert!(!eq.is_empty());
    assert_eq!(one["documents"][0]["dates"][0]["value"], "2019-03-14");
    assert_eq!(one["documents"][0]["dates"][0]["origin"], "header");
}

#[test]
fn errors_are_one_line_with_the_path_last_and_usage_exits_2() {
    let out = run(&["scan", "/nonexistent/leak"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.trim_end().ends_with("/nonexistent/leak"), "{err}");
    assert_eq!(run(&["tag"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

// ----- README's worked example: a review done entirely from the command line -----

/// `doctriage tag SESSION …` for eleven documents: five key, four relevant, two irrelevant.
const TAGS: [&[&str]; 11] = [
    &[
        "letters/letter_2019_03_14.txt",
        "--status",
        "key",
        "--accept-suggestions",
    ],
    &[
        "letters/letter_2018_06_05.txt",
        "--status",
        "relevant",
        "--accept-suggestions",
    ],
    &[
        "notes/note_2020_09_14_groza_agreement.txt",
        "--status",
        "key",
        "--equipment",
        "Groza-S",
    ],
    &[
        "notes/contradicting_note_2021_11_03_groza_withdrawn.txt",
        "--status",
        "key",
        "--tag",
        "contradiction",
    ],
    &[
        "notes/note_2021_04_22_deoccupied_en.md",
        "--status",
        "key",
        "--date",
        "2021-04-22",
    ],
    &[
        "dn-2022-001",
        "--status",
        "relevant",
        "--accept-suggestions",
    ],
    &[
        "dn-2022-003",
        "--status",
        "relevant",
        "--note",
        "Azerbaijani note on 2018–2022 cooperation",
    ],
    &["ct-2020-003", "--status", "key", "--accept-suggestions"],
    &["misc/cafeteria_memo_2021.txt", "--status", "irrelevant"],
    &[
        "ep-2015-0003",
        "--status",
        "irrelevant",
        "--tag",
        "out-of-period",
    ],
    &[
        "notes/cable_2022_09_16_csto_situation.txt",
        "--status",
        "relevant",
    ],
];

/// `doctriage link SESSION DOC STATEMENT --relation R --quote Q`: (document, words of the
/// statement, relation, quote). Seven supports, one contradiction (of the Groza-S statement).
const LINKS: [(&str, &str, &str, &str); 8] = [
    (
        "letters/letter_2019_03_14.txt",
        "equipos de puntería",
        "supports",
        "order of state-of-the-art artillery aiming equipment",
    ),
    (
        "letters/letter_2018_06_05.txt",
        "modernización de equipos de artillería",
        "supports",
        "the modernisation of old artillery equipment",
    ),
    (
        "notes/note_2021_04_22_deoccupied_en.md",
        "territorios desocupados",
        "supports",
        "in the restoration of the de-occupied territories of Azerbaijan",
    ),
    (
        "dn-2022-003",
        "entre 2018 y 2022",
        "supports",
        "2018–2022-ci illərdə göstərilən əməkdaşlığa",
    ),
    (
        "ct-2020-003",
        "Bielorrusia ha entregado armas",
        "supports",
        "four (4) Groza-S mobile counter-drone electronic-warfare stations (Гроза-С)",
    ),
    (
        "notes/contradicting_note_2021_11_03_groza_withdrawn.txt",
        "Groza-S",
        "contradicts",
        "The Groza-S order was withdrawn and no stations were delivered",
    ),
    (
        "dn-2022-001",
        "modernización de equipos de artillería",
        "supports",
        "the supply of new equipment for its electronic-warfare systems and drones",
    ),
    (
        "notes/cable_2022_09_16_csto_situation.txt",
        "incursiones en el territorio",
        "supports",
        "advanced into the territory of the Republic of Armenia proper",
    ),
];

/// The files of a command-line review in a temporary folder, and the article's statements.
struct CliReview {
    dir: tempfile::TempDir,
    session: PathBuf,
    findings: PathBuf,
    article: Value,
}

/// `doctriage statements` on the sample article, then `doctriage session new`.
fn new_session() -> CliReview {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    let findings = dir.path().join("findings.json");
    let cache = sample();
    let article: Value = serde_json::from_str(&stdout_ok(&[
        "statements",
        s(&cache.join("article.md")),
        "--json",
    ]))
    .unwrap();
    stdout_ok(&[
        "session",
        "new",
        "--cache",
        s(&cache),
        "--out",
        s(&session),
        "--analyst",
        "Test Analyst",
    ]);
    assert!(
        session.is_file(),
        "session new wrote no {}",
        session.display()
    );
    CliReview {
        dir,
        session,
        findings,
        article,
    }
}

fn tag_eleven_documents(r: &CliReview) {
    for t in TAGS {
        let mut args = vec!["tag", s(&r.session)];
        args.extend_from_slice(t);
        stdout_ok(&args);
    }
}

fn link_eight_quotes(r: &CliReview) {
    for (doc, needle, relation, quote) in LINKS {
        let st = statement(&r.article, needle);
        stdout_ok(&[
            "link",
            s(&r.session),
            doc,
            &st,
            "--relation",
            relation,
            "--quote",
            quote,
        ]);
    }
}

/// `doctriage export SESSION --out FILE`, and the findings read back.
fn export(r: &CliReview, out: &Path) -> Value {
    stdout_ok(&["export", s(&r.session), "--out", s(out)]);
    let f: Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    assert_eq!(f["schema"], "doctriage.findings/4");
    f
}

fn five_statements_supported_and_the_groza_one_contested(r: &CliReview, f: &Value) {
    let statuses: Vec<&str> = f["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    let supported = statuses.iter().filter(|s| **s == "supported").count();
    let contested = statuses.iter().filter(|s| **s == "contested").count();
    assert!(supported >= 5, "{supported} supported: {statuses:?}");
    assert_eq!(contested, 1, "{statuses:?}");
    let groza = statement(&r.article, "Groza-S");
    let row = f["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == groza.as_str())
        .unwrap();
    assert_eq!(row["status"], "contested");
    assert_eq!(f["cache"]["reviewed"], 11);
    assert_eq!(f["documents"].as_array().unwrap().len(), 11);
}

/// Every piece of evidence re-anchors in its document and names its file's hash.
fn every_quote_reanchors_in_its_document(f: &Value) {
    let scan = common::scan(&sample());
    let mut evidence = 0;
    for st in f["statements"].as_array().unwrap() {
        for e in st["evidence"].as_array().unwrap() {
            let doc = common::document(&scan, e["document"].as_str().unwrap());
            assert_eq!(e["sha256"], doc.sha256.as_str());
            let (a, b) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                doctriage::session::quote_at(&doc.text, a, b).unwrap(),
                e["quote"].as_str().unwrap()
            );
            evidence += 1;
        }
    }
    assert_eq!(evidence, LINKS.len(), "every link is exported as evidence");
}

/// Accepted suggestions landed: the letter has its header date and equipment.
fn accepted_suggestions_landed(f: &Value) {
    let letter = f["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "letters/letter_2019_03_14.txt")
        .unwrap();
    assert_eq!(letter["date"], "2019-03-14");
    assert!(!letter["equipment"].as_array().unwrap().is_empty());
}

fn the_timeline_is_in_date_order(f: &Value) {
    let timeline: Vec<&str> = f["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["date"].as_str().unwrap())
        .collect();
    assert!(!timeline.is_empty(), "the timeline is empty");
    let mut sorted = timeline.clone();
    sorted.sort();
    assert_eq!(timeline, sorted);
}

/// The same session exports the same bytes apart from generated_at.
fn a_second_export_is_the_same_apart_from_generated_at(r: &CliReview) {
    let again = r.dir.path().join("again.json");
    export(r, &again);
    let strip = |p: &Path| {
        let mut v: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        v["generated_at"] = Value::Null;
        serde_json::to_string(&v).unwrap()
    };
    assert_eq!(strip(&r.findings), strip(&again));
}

/// README's worked example, in named steps: the review takes some twenty runs of the binary, so
/// the steps share it, and a failure says which step broke.
#[test]
fn a_command_line_review_supports_five_statements_and_contests_one() {
    let r = step("session new", new_session);
    step("tag eleven documents", || tag_eleven_documents(&r));
    step("link eight quotes", || link_eight_quotes(&r));
    let f = step("export", || export(&r, &r.findings));
    step(
        "five statements supported, the Groza-S one contested",
        || five_statements_supported_and_the_groza_one_contested(&r, &f),
    );
    step("every quote re-anchors in its document", || {
        every_quote_reanchors_in_its_document(&f)
    });
    step("accepted suggestions landed", || {
        accepted_suggestions_landed(&f)
    });
    step("the timeline is in date order", || {
        the_timeline_is_in_date_order(&f)
    });
    step(
        "a second export is the same apart from generated_at",
        || a_second_export_is_the_same_apart_from_generated_at(&r),
    );
    step("the findings match assets/findings.schema.json", || {
        validate_against_schema(&r.findings)
    });
}

/// A link whose quote is not in the document is an error, and the session file is left as it was.
#[test]
fn a_link_whose_quote_is_not_in_the_document_is_refused_and_the_session_unchanged() {
    let r = new_session();
    let mut tag = vec!["tag", s(&r.session)];
    tag.extend_from_slice(TAGS[7]);
    stdout_ok(&tag);
    let (doc, needle, relation, quote) = LINKS[4];
    stdout_ok(&[
        "link",
        s(&r.session),
        doc,
        &statement(&r.article, needle),
        "--relation",
        relation,
        "--quote",
        quote,
    ]);
    let before = std::fs::read(&r.session).unwrap();
    let out = run(&[
        "link",
        s(&r.session),
        "ct-2020-003",
        "S1",
        "--quote",
        "no such words here",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(&r.session).unwrap(), before);
}

/// Checks a findings file against `assets/findings.schema.json`.
fn validate_against_schema(findings: &Path) {
    common::validate_against_schema("findings.schema.json", findings);
}

#[test]
fn search_folds_cyrillic_and_latin_unless_exact() {
    let dir = sample();
    let folded: Value = serde_json::from_str(&stdout_ok(&[
        "search",
        s(&dir),
        "Гроза",
        "--json",
        "--limit",
        "100",
    ]))
    .unwrap();
    let ids: Vec<&str> = folded["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"ct-2020-003"), "{ids:?}");
    assert!(
        ids.contains(&"notes/note_2020_09_14_groza_agreement.txt"),
        "Latin Groza-S found by Cyrillic: {ids:?}"
    );
    let exact: Value = serde_json::from_str(&stdout_ok(&[
        "search",
        s(&dir),
        "Гроза",
        "--json",
        "--exact",
        "--limit",
        "100",
    ]))
    .unwrap();
    let exact_ids: Vec<&str> = exact["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap())
        .collect();
    assert!(
        !exact_ids.contains(&"notes/note_2020_09_14_groza_agreement.txt"),
        "{exact_ids:?}"
    );
    assert!(exact["total"].as_u64().unwrap() < folded["total"].as_u64().unwrap());
    let text = stdout_ok(&["search", s(&dir), "kind:contract AND groza"]);
    assert!(text.contains("[Groza]"), "{text}");
    assert_eq!(
        run(&["search", s(&dir), "date:20x9..2020"]).status.code(),
        Some(1)
    );
}

#[test]
fn a_session_open_elsewhere_is_not_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    stdout_ok(&[
        "session",
        "new",
        "--cache",
        s(&sample()),
        "--out",
        s(&session),
    ]);
    let before = std::fs::read(&session).unwrap();
    let lock = doctriage::lock::SessionLock::acquire(&session).unwrap();
    let out = run(&["tag", s(&session), "ct-2020-003", "--status", "key"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("session is open in another doctriage"),
        "{err}"
    );
    assert_eq!(std::fs::read(&session).unwrap(), before);
    drop(lock);
    stdout_ok(&["tag", s(&session), "ct-2020-003", "--status", "key"]);
    assert!(
        !doctriage::lock::lock_path(&session).exists(),
        "the lock is released after the command"
    );
}
