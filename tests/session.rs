//! Review sessions: commands, undo/redo, the claim ledger, atomic save, verification against the cache.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use std::path::Path;

use doctriage::session::{
    self, ClaimStatus, Command, Editor, Field, Link, Quote, Relation, Session, SessionError, Status,
};
use doctriage::{Article, Cache, Document, PartialDate, Statement};

fn doc(id: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        path: format!("{id}.txt"),
        kind: "letter".into(),
        title: id.into(),
        text: text.into(),
        sha256: doctriage::sha256_hex(text.as_bytes()),
        encoding: "UTF-8".into(),
        ..Document::default()
    }
}

fn cache() -> Cache {
    let article_text = "Belarus supplied Groza-S stations. Deliveries ran from 2018 to 2022.";
    Cache {
        root: "/nonexistent/cache".into(),
        documents: vec![
            doc("a", "Contract for two Groza-S stations, signed in Minsk."),
            doc(
                "b",
                "The order of Гроза-С was cancelled; nothing was delivered.",
            ),
            doc("c", "Cafeteria menu."),
        ],
        errors: vec![],
        article: Some((
            "article.md".into(),
            Article {
                title: None,
                statements: vec![
                    Statement {
                        id: "S1".into(),
                        text: "Belarus supplied Groza-S stations.".into(),
                    },
                    Statement {
                        id: "S2".into(),
                        text: "Deliveries ran from 2018 to 2022.".into(),
                    },
                ],
                sha256: doctriage::sha256_hex(article_text.as_bytes()),
                text: article_text.into(),
            },
        )),
        gazetteer: Default::default(),
        ..Cache::default()
    }
}

fn link(cache: &Cache, doc: &str, st: &str, relation: Relation, quote: Option<&str>) -> Command {
    let d = cache.document(doc).unwrap();
    let s = cache
        .article
        .as_ref()
        .unwrap()
        .1
        .statements
        .iter()
        .find(|s| s.id == st)
        .unwrap();
    Command::Link {
        doc: doc.into(),
        link: Link {
            statement: s.id.clone(),
            statement_text: s.text.clone(),
            relation,
            quote: quote.map(|q| session::locate_quote(&d.text, q, None).unwrap()),
            note: None,
            ..Link::default()
        },
    }
}

#[test]
fn commands_build_a_review_and_undo_redo_restore_it() {
    let cache = cache();
    let mut ed = Editor::new(Session::new(
        Path::new("/nonexistent/cache"),
        None,
        "tester",
        &cache,
    ));
    ed.apply(
        &cache,
        Command::SetStatus {
            doc: "a".into(),
            status: Status::Key,
        },
    )
    .unwrap();
    ed.apply(
        &cache,
        Command::SetDate {
            doc: "a".into(),
            date: PartialDate::parse_iso("2019-03"),
        },
    )
    .unwrap();
    let add = Command::Add {
        doc: "a".into(),
        field: Field::Equipment,
        value: "Groza-S".into(),
    };
    assert!(ed.apply(&cache, add.clone()).unwrap());
    let revision = ed.revision();
    let modified = ed.session().modified;
    ed.mark_saved(revision);
    // Adding it again changes nothing: no undo step, the same revision, nothing to save.
    assert!(!ed.apply(&cache, add).unwrap());
    assert_eq!(ed.revision(), revision);
    assert_eq!(ed.session().modified, modified);
    assert!(!ed.is_dirty());
    assert_eq!(ed.undo_label().as_deref(), Some("add equipment groza-s"));
    let r = ed.session().review("a").unwrap();
    assert_eq!(r.status, Status::Key);
    assert_eq!(r.date.unwrap().to_string(), "2019-03");
    assert_eq!(r.equipment, vec!["Groza-S"], "adding twice keeps one value");
    assert_eq!(r.sha256, cache.documents[0].sha256);
    let after = ed.session().clone();

    assert!(ed.undo().is_some());
    assert!(ed.session().review("a").unwrap().equipment.is_empty());
    assert!(ed.undo().is_some());
    assert_eq!(ed.session().review("a").unwrap().date, None);
    assert!(ed.undo().is_some());
    assert!(
        ed.session().review("a").is_none(),
        "undoing everything leaves no trace"
    );
    assert!(ed.undo().is_none());
    for _ in 0..3 {
        assert!(ed.redo().is_some());
    }
    assert_eq!(ed.session().reviews(), after.reviews());
    assert!(ed.redo().is_none());

    // A new edit clears the redo list.
    ed.undo();
    ed.apply(
        &cache,
        Command::SetNotes {
            doc: "a".into(),
            notes: "check".into(),
        },
    )
    .unwrap();
    assert!(ed.redo().is_none());
}

#[test]
fn a_failing_command_leaves_the_session_unchanged() {
    let cache = cache();
    let mut s = Session::new(Path::new("/nonexistent/cache"), None, "", &cache);
    let before = s.clone();
    let bad = Command::Batch {
        label: "x".into(),
        commands: vec![
            Command::SetStatus {
                doc: "a".into(),
                status: Status::Relevant,
            },
            Command::SetStatus {
                doc: "missing".into(),
                status: Status::Relevant,
            },
        ],
    };
    assert!(session::apply(&mut s, &cache, &bad).is_err());
    assert_eq!(s, before);
    // A merge made earlier in a failing batch is taken back too.
    let bad_merge = Command::Batch {
        label: "y".into(),
        commands: vec![
            Command::MergeEntity {
                from: "БСВТ".into(),
                into: "State arms-export agency".into(),
            },
            Command::SetStatus {
                doc: "missing".into(),
                status: Status::Key,
            },
        ],
    };
    assert!(session::apply(&mut s, &cache, &bad_merge).is_err());
    assert_eq!(s, before);
    // A quote that is not at its offsets is refused.
    let mut l = link(
        &cache,
        "a",
        "S1",
        Relation::Supports,
        Some("Groza-S stations"),
    );
    if let Command::Link { link, .. } = &mut l {
        link.quote = Some(Quote::new("Groza-S stations", 0, 16));
    }
    assert!(session::apply(&mut s, &cache, &l).is_err());
    // A statement text that differs from the article's is refused.
    let mut l = link(&cache, "a", "S1", Relation::Supports, None);
    if let Command::Link { link, .. } = &mut l {
        link.statement_text = "Something else.".into();
    }
    assert!(session::apply(&mut s, &cache, &l).is_err());
    assert_eq!(s.reviews(), before.reviews());
}

#[test]
fn ledger_statuses_follow_the_links() {
    let cache = cache();
    let mut s = Session::new(Path::new("/nonexistent/cache"), None, "", &cache);
    let status = |s: &Session| {
        session::ledger(s, &cache)
            .iter()
            .map(|r| r.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        status(&s),
        vec![ClaimStatus::Unsupported, ClaimStatus::Unsupported]
    );
    session::apply(
        &mut s,
        &cache,
        &link(
            &cache,
            "a",
            "S1",
            Relation::Supports,
            Some("two Groza-S stations"),
        ),
    )
    .unwrap();
    session::apply(
        &mut s,
        &cache,
        &link(&cache, "c", "S2", Relation::Context, None),
    )
    .unwrap();
    assert_eq!(
        status(&s),
        vec![ClaimStatus::Supported, ClaimStatus::Unsupported]
    );
    session::apply(
        &mut s,
        &cache,
        &link(
            &cache,
            "b",
            "S1",
            Relation::Contradicts,
            Some("was cancelled"),
        ),
    )
    .unwrap();
    assert_eq!(
        status(&s),
        vec![ClaimStatus::Contested, ClaimStatus::Unsupported]
    );
    let rows = session::ledger(&s, &cache);
    assert_eq!(rows[0].evidence.len(), 2);
    let q = rows[0]
        .evidence
        .iter()
        .find(|e| e.doc == "b")
        .unwrap()
        .link
        .quote
        .clone()
        .unwrap();
    assert_eq!(
        session::quote_at(&cache.documents[1].text, q.start, q.end).unwrap(),
        "was cancelled"
    );
}

#[test]
fn locate_quote_counts_chars_and_tolerates_line_breaks() {
    let text = "Заказ «Гроза-С»\nотменён. Order cancelled.";
    let q = session::locate_quote(text, "Гроза-С", None).unwrap();
    assert_eq!((q.start, q.end), (7, 14));
    let q = session::locate_quote(text, "«Гроза-С» отменён", None).unwrap();
    assert_eq!(q.text, "«Гроза-С»\nотменён");
    assert_eq!(session::quote_at(text, q.start, q.end).unwrap(), q.text);
    assert!(session::locate_quote(text, "not there", None).is_none());
    let rep = "ab ab ab";
    assert_eq!(session::locate_quote(rep, "ab", Some(5)).unwrap().start, 6);
}

#[test]
fn merges_are_undoable_and_refuse_cycles() {
    let cache = cache();
    let mut ed = Editor::new(Session::new(
        Path::new("/nonexistent/cache"),
        None,
        "",
        &cache,
    ));
    ed.apply(
        &cache,
        Command::MergeEntity {
            from: "БСВТ".into(),
            into: "Agency".into(),
        },
    )
    .unwrap();
    assert_eq!(ed.session().canonical("БСВТ"), "Agency");
    assert!(
        ed.apply(
            &cache,
            Command::MergeEntity {
                from: "Agency".into(),
                into: "БСВТ".into()
            }
        )
        .is_err()
    );
    ed.undo();
    assert_eq!(ed.session().canonical("БСВТ"), "БСВТ");
}

#[test]
fn save_is_atomic_keeps_a_backup_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.json");
    let cache = cache();
    let mut s = Session::new(Path::new("/nonexistent/cache"), Some(&path), "Ana", &cache);
    session::apply(
        &mut s,
        &cache,
        &link(&cache, "a", "S1", Relation::Supports, Some("Groza-S")),
    )
    .unwrap();
    s.save(&path).unwrap();
    let first = std::fs::read_to_string(&path).unwrap();
    assert!(!dir.path().join("review.json.bak").exists());
    let loaded = Session::load(&path).unwrap();
    assert_eq!(loaded, s);
    assert_eq!(
        loaded.to_json(),
        first,
        "a loaded session saves to the same bytes"
    );

    session::apply(
        &mut s,
        &cache,
        &Command::SetStatus {
            doc: "b".into(),
            status: Status::Irrelevant,
        },
    )
    .unwrap();
    s.save(&path).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("review.json.bak")).unwrap(),
        first
    );
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn a_corrupt_session_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    let bytes = b"{\"schema\": \"doctriage.session/1\", \"cache\": \"x\", \"documents\": {";
    std::fs::write(&path, bytes).unwrap();
    let e = Session::load(&path).unwrap_err();
    assert!(matches!(e, SessionError::Corrupt { .. }));
    let msg = e.to_string();
    assert!(
        msg.ends_with(&path.display().to_string()),
        "path last: {msg}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    std::fs::write(&path, r#"{"schema": "other/9", "cache": "x", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z"}"#).unwrap();
    assert!(
        Session::load(&path)
            .unwrap_err()
            .to_string()
            .contains("unsupported schema")
    );
}

#[test]
fn verify_flags_changed_missing_outside_and_stale() {
    let mut cache = cache();
    let mut s = Session::new(Path::new("/nonexistent/cache"), None, "", &cache);
    for id in ["a", "b"] {
        session::apply(
            &mut s,
            &cache,
            &Command::SetStatus {
                doc: id.into(),
                status: Status::Relevant,
            },
        )
        .unwrap();
    }
    session::apply(
        &mut s,
        &cache,
        &link(&cache, "a", "S2", Relation::Context, None),
    )
    .unwrap();
    assert!(s.verify(&cache).is_clean());
    // A hand-edited session names documents that are not there.
    let mut json = serde_json::to_value(&s).unwrap();
    let a = json["documents"]["a"].clone();
    let docs = json["documents"].as_object_mut().unwrap();
    docs.insert("../../etc/passwd".into(), a.clone());
    docs.insert("gone.txt".into(), a);
    let s = Session::from_json(&json.to_string()).unwrap();
    // The file of b changed, and the article's S2 was edited.
    cache.documents[1].sha256 = "0".repeat(64);
    cache.article.as_mut().unwrap().1.statements[1].text =
        "Deliveries ran from 2019 to 2021.".into();
    let v = s.verify(&cache);
    assert_eq!(v.changed, vec!["b"]);
    assert_eq!(v.missing, vec!["gone.txt"]);
    assert_eq!(v.outside_root, vec!["../../etc/passwd"]);
    assert!(v.stale_links.contains(&("a".to_string(), "S2".to_string())));
    // The stale link counts for nothing in the ledger.
    assert_eq!(session::ledger(&s, &cache)[1].evidence.len(), 0);
}

#[test]
fn sessions_refer_to_the_cache_relatively_and_refuse_writing_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("leak");
    std::fs::create_dir(&cache_dir).unwrap();
    std::fs::create_dir(dir.path().join("work")).unwrap();
    let sess = dir.path().join("work").join("s.json");
    assert_eq!(session::cache_reference(&cache_dir, Some(&sess)), "../leak");
    let s = Session::new(&cache_dir, Some(&sess), "", &Cache::default());
    assert_eq!(
        std::fs::canonicalize(s.cache_root(&sess)).unwrap(),
        std::fs::canonicalize(&cache_dir).unwrap()
    );
    assert!(session::check_outside_cache(&cache_dir, &cache_dir.join("s.json")).is_err());
    assert!(session::check_outside_cache(&cache_dir, &cache_dir.join("sub/../s.json")).is_err());
    assert!(session::check_outside_cache(&cache_dir, &sess).is_ok());
}

/// Finding a document by id stays right as the cache's documents change (the id table is only a
/// shortcut, checked against the documents).
#[test]
fn cache_lookup_by_id_follows_changed_documents() {
    let mut c = cache();
    assert_eq!(c.position("b"), Some(1));
    assert!(c.document("zz").is_none());
    c.documents.push(doc("zz", "Added while loading."));
    assert_eq!(c.position("zz"), Some(3));
    let copy = c.clone();
    assert_eq!(copy.document("a").map(|d| d.id.as_str()), Some("a"));
    // Replaced in place, the count unchanged.
    c.documents[0] = doc("new", "Another record.");
    assert_eq!(c.position("new"), Some(0));
    assert_eq!(c.position("a"), None);
    assert_eq!(c.document("b").map(|d| d.id.as_str()), Some("b"));
}
