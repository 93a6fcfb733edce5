//! A team on one leak, in the library: who changed what and when, the session file git diffs,
//! and the 3-way merge of two analysts' sessions (unions, one-sided changes, conflicts, their
//! resolution and its undo, identity, determinism, refusals).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

mod common;

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use doctriage::Cache;
use doctriage::session::{
    self, Choice, Command, Editor, Field, HISTORY_LIMIT, MergeError, Relation, Session, Stamp,
    Status,
};

const LETTER: &str = "letters/letter_2019_03_14.txt";
const LETTER_QUOTE: &str = "order of state-of-the-art artillery aiming equipment";
const NOTE: &str = "notes/contradicting_note_2021_11_03_groza_withdrawn.txt";

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| common::scan(&common::sample()))
}

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// A new session over the sample cache, as analyst `base` made it.
fn base() -> Session {
    let cache = cache();
    let mut s = Session::new(&cache.root, None, "base", cache);
    s.created = time("2026-01-01T00:00:00Z");
    s.modified = s.created;
    s
}

/// `session` after `by`'s commands, at a fixed time (so merges can be compared byte for byte).
fn edit(session: &Session, by: &str, at: &str, cmds: &[Command]) -> Session {
    let mut s = session.clone();
    let stamp = Stamp {
        by: by.into(),
        at: time(at),
    };
    for c in cmds {
        session::apply_as(&mut s, cache(), c, &stamp).unwrap();
    }
    s
}

fn status(doc: &str, status: Status) -> Command {
    Command::SetStatus {
        doc: doc.into(),
        status,
    }
}

fn add(doc: &str, field: Field, value: &str) -> Command {
    Command::Add {
        doc: doc.into(),
        field,
        value: value.into(),
    }
}

fn remove(doc: &str, field: Field, value: &str) -> Command {
    Command::Remove {
        doc: doc.into(),
        field,
        value: value.into(),
    }
}

fn note(doc: &str, text: &str) -> Command {
    Command::AppendNote {
        doc: doc.into(),
        note: text.into(),
    }
}

fn link(doc: &str, needle: &str, relation: Relation, quote: &str) -> Command {
    common::link(cache(), doc, needle, relation, quote)
}

fn merge(b: &Session, o: &Session, t: &Session) -> session::MergeOutcome {
    session::merge(b, o, t, "merger").unwrap()
}

#[test]
fn every_change_records_who_when_and_from_what() {
    let s = edit(
        &base(),
        "Ana",
        "2026-02-01T10:00:00Z",
        &[status(LETTER, Status::Relevant)],
    );
    let s = edit(
        &s,
        "Boris",
        "2026-02-02T10:00:00Z",
        &[status(LETTER, Status::Key)],
    );
    let s = edit(
        &s,
        "Boris",
        "2026-02-02T11:00:00Z",
        &[link(LETTER, "Groza-S", Relation::Supports, LETTER_QUOTE)],
    );
    let r = s.review(LETTER).unwrap();
    let h = &r.history["status"];
    assert_eq!(h.len(), 2, "{h:?}");
    assert_eq!(
        (h[0].by.as_str(), h[0].from.as_str(), h[0].to.as_str()),
        ("Ana", Some("unreviewed"), Some("relevant"))
    );
    assert_eq!(
        (h[1].by.as_str(), h[1].from.as_str(), h[1].to.as_str()),
        ("Boris", Some("relevant"), Some("key"))
    );
    assert_eq!(h[1].at, time("2026-02-02T10:00:00Z"));
    let l = &r.links[0];
    assert_eq!(
        (l.by.as_str(), l.at),
        ("Boris", Some(time("2026-02-02T11:00:00Z")))
    );
    assert_eq!(l.id, session::link_id(LETTER, l));
    assert_eq!(l.id.len(), 16);
    // A field keeps its last HISTORY_LIMIT changes only.
    let mut s = s;
    for i in 0..HISTORY_LIMIT + 5 {
        let st = if i % 2 == 0 {
            Status::Relevant
        } else {
            Status::Key
        };
        s = edit(&s, "Ana", "2026-03-01T00:00:00Z", &[status(LETTER, st)]);
    }
    let h = &s.review(LETTER).unwrap().history["status"];
    assert_eq!(h.len(), HISTORY_LIMIT);
    assert_eq!(h.last().unwrap().to, "relevant");
}

#[test]
fn the_editor_signs_with_its_analyst_and_undo_restores_the_stamps() {
    let mut ed = Editor::new(base());
    ed.set_analyst("Chloé");
    ed.apply(cache(), status(LETTER, Status::Key)).unwrap();
    let before = ed.session().clone();
    ed.set_analyst("Dmitri");
    ed.apply(cache(), status(LETTER, Status::Irrelevant))
        .unwrap();
    let h = &ed.session().review(LETTER).unwrap().history["status"];
    assert_eq!(
        h.iter().map(|c| c.by.as_str()).collect::<Vec<_>>(),
        ["Chloé", "Dmitri"]
    );
    ed.undo().unwrap();
    assert_eq!(ed.session().review(LETTER), before.review(LETTER));
}

#[test]
fn unions_of_tags_and_links_from_both_sides() {
    let b = edit(
        &base(),
        "base",
        "2026-01-02T00:00:00Z",
        &[
            add(LETTER, Field::Tag, "old"),
            add(LETTER, Field::Tag, "kept"),
        ],
    );
    let ours = edit(
        &b,
        "Ana",
        "2026-01-03T00:00:00Z",
        &[
            add(LETTER, Field::Tag, "ana"),
            remove(LETTER, Field::Tag, "old"),
            link(LETTER, "Groza-S", Relation::Supports, LETTER_QUOTE),
        ],
    );
    let theirs = edit(
        &b,
        "Boris",
        "2026-01-04T00:00:00Z",
        &[
            add(LETTER, Field::Tag, "boris"),
            add(LETTER, Field::Equipment, "Artillery sight"),
            link(
                NOTE,
                "Groza-S",
                Relation::Contradicts,
                "The Groza-S order was withdrawn",
            ),
        ],
    );
    let m = merge(&b, &ours, &theirs);
    assert_eq!(m.conflicts, 0);
    let r = m.session.review(LETTER).unwrap();
    assert_eq!(
        r.tags,
        ["kept", "ana", "boris"],
        "removal kept, both additions"
    );
    assert_eq!(r.equipment, ["Artillery sight"]);
    assert_eq!(r.links.len(), 1);
    assert_eq!(r.links[0].by, "Ana");
    let n = m.session.review(NOTE).unwrap();
    assert_eq!((n.links.len(), n.links[0].by.as_str()), (1, "Boris"));
    // Both removals of a link, by id: the link is gone however the lists were ordered.
    let id = r.links[0].id.clone();
    let unlink = Command::Unlink {
        doc: LETTER.into(),
        link: id,
    };
    let ours2 = edit(&m.session, "Ana", "2026-01-05T00:00:00Z", &[unlink]);
    let theirs2 = edit(
        &m.session,
        "Boris",
        "2026-01-05T00:00:00Z",
        &[add(LETTER, Field::Tag, "late")],
    );
    let m2 = merge(&m.session, &ours2, &theirs2);
    let r2 = m2.session.review(LETTER).unwrap();
    assert!(r2.links.is_empty(), "{:?}", r2.links);
    assert!(r2.tags.contains(&"late".to_owned()));
}

#[test]
fn one_sided_changes_are_kept() {
    let b = base();
    let ours = edit(
        &b,
        "Ana",
        "2026-01-03T00:00:00Z",
        &[status(LETTER, Status::Key)],
    );
    let theirs = edit(
        &b,
        "Boris",
        "2026-01-03T00:00:00Z",
        &[
            status(NOTE, Status::Relevant),
            Command::SetDate {
                doc: NOTE.into(),
                date: doctriage::PartialDate::parse_iso("2021-11"),
            },
        ],
    );
    let m = merge(&b, &ours, &theirs);
    assert_eq!(m.conflicts, 0);
    assert_eq!(m.session.status(LETTER), Status::Key);
    assert_eq!(m.session.status(NOTE), Status::Relevant);
    let n = m.session.review(NOTE).unwrap();
    assert_eq!(n.date.unwrap().to_string(), "2021-11");
    assert_eq!(n.history["status"][0].by, "Boris");
    // A status one side changed and the other side left alone, in one document.
    let theirs = edit(
        &ours,
        "Boris",
        "2026-01-04T00:00:00Z",
        &[add(LETTER, Field::Tag, "t")],
    );
    let ours2 = edit(
        &ours,
        "Ana",
        "2026-01-04T00:00:00Z",
        &[status(LETTER, Status::Relevant)],
    );
    let m = merge(&ours, &ours2, &theirs);
    assert_eq!(m.conflicts, 0);
    let r = m.session.review(LETTER).unwrap();
    assert_eq!(
        (r.status, r.tags.as_slice()),
        (Status::Relevant, &["t".to_owned()][..])
    );
}

/// Ana and Boris set the same document's status differently.
fn disagreement() -> (Session, session::MergeOutcome) {
    let b = edit(
        &base(),
        "base",
        "2026-01-02T00:00:00Z",
        &[status(LETTER, Status::Relevant)],
    );
    let ours = edit(
        &b,
        "Ana",
        "2026-01-03T00:00:00Z",
        &[status(LETTER, Status::Key)],
    );
    let theirs = edit(
        &b,
        "Boris",
        "2026-01-04T00:00:00Z",
        &[status(LETTER, Status::Irrelevant)],
    );
    let m = merge(&b, &ours, &theirs);
    (b, m)
}

#[test]
fn the_same_field_changed_two_ways_is_one_listed_conflict() {
    let (_, m) = disagreement();
    assert_eq!(m.conflicts, 1);
    let list = m.session.conflicts();
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!((c.doc, c.field), (Some(LETTER), "status"));
    assert_eq!(c.conflict.base, "relevant");
    assert_eq!(
        (c.conflict.ours.value.as_str(), c.conflict.ours.by.as_str()),
        (Some("key"), "Ana")
    );
    assert_eq!(
        (
            c.conflict.theirs.value.as_str(),
            c.conflict.theirs.by.as_str()
        ),
        (Some("irrelevant"), "Boris")
    );
    // Meanwhile the field keeps its base value, and the warnings say so.
    assert_eq!(m.session.status(LETTER), Status::Relevant);
    let warnings = m.session.verify(cache()).messages();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("status of") && w.contains("conflict")),
        "{warnings:?}"
    );
    let findings = doctriage::export::findings(&m.session, cache(), Utc::now());
    assert!(findings.warnings.iter().any(|w| w.contains("conflict")));
    // The merged session (conflict included) goes through its file and back.
    let again = Session::from_json(&m.session.to_json()).unwrap();
    assert_eq!(again.conflicts().len(), 1);
    assert_eq!(again.reviews(), m.session.reviews());
}

#[test]
fn resolving_a_conflict_is_an_undoable_command() {
    let (_, m) = disagreement();
    let mut ed = Editor::new(m.session.clone());
    ed.set_analyst("Chloé");
    let resolve = Command::ResolveConflict {
        doc: Some(LETTER.into()),
        field: "status".into(),
        choice: Choice::Theirs,
    };
    assert!(ed.apply(cache(), resolve).unwrap());
    assert_eq!(ed.session().status(LETTER), Status::Irrelevant);
    assert!(ed.session().conflicts().is_empty());
    let last = session::last_change(ed.session().review(LETTER).unwrap(), "status").unwrap();
    assert_eq!(
        (last.by.as_str(), last.to.as_str()),
        ("Chloé", Some("irrelevant"))
    );
    assert_eq!(
        ed.undo_label().as_deref(),
        Some("Resolve conflict on status")
    );
    ed.undo().unwrap();
    assert_eq!(ed.session().conflicts().len(), 1);
    assert_eq!(ed.session().status(LETTER), Status::Relevant);
    assert_eq!(ed.session().reviews(), m.session.reviews());
    ed.redo().unwrap();
    assert!(ed.session().conflicts().is_empty());
    // Resolving what is not in conflict is refused.
    let again = Command::ResolveConflict {
        doc: Some(LETTER.into()),
        field: "status".into(),
        choice: Choice::Ours,
    };
    assert!(ed.apply(cache(), again).is_err());
    // Editing the field clears its conflict too, even to the value it has.
    let mut ed = Editor::new(m.session.clone());
    assert!(ed.apply(cache(), status(LETTER, Status::Relevant)).unwrap());
    assert!(ed.session().conflicts().is_empty());
    // A value of one's own, checked against the field.
    let mut ed = Editor::new(m.session);
    let bad = Command::ResolveConflict {
        doc: Some(LETTER.into()),
        field: "status".into(),
        choice: Choice::Value("maybe".into()),
    };
    assert!(ed.apply(cache(), bad).is_err());
    assert_eq!(
        ed.session().conflicts().len(),
        1,
        "a refused resolution changes nothing"
    );
}

#[test]
fn merging_a_session_with_itself_is_the_identity() {
    let (_, m) = disagreement();
    let s = edit(
        &m.session,
        "Ana",
        "2026-01-05T00:00:00Z",
        &[
            add(NOTE, Field::Sender, "Ministry"),
            note(NOTE, "first"),
            link(LETTER, "Groza-S", Relation::Supports, LETTER_QUOTE),
            Command::MergeEntity {
                from: "Ministry".into(),
                into: "Ministry of Defence".into(),
            },
        ],
    );
    let same = merge(&s, &s, &s).session;
    assert_eq!(same, s);
    assert_eq!(same.to_json(), s.to_json());
    assert_eq!(merge(&base(), &s, &s).session.to_json(), s.to_json());
    assert_eq!(merge(&base(), &s, &base()).session.to_json(), s.to_json());
    assert_eq!(merge(&base(), &base(), &s).session.reviews(), s.reviews());
}

#[test]
fn merging_is_deterministic() {
    let b = base();
    let ours = edit(
        &b,
        "Ana",
        "2026-01-03T00:00:00Z",
        &[
            status(LETTER, Status::Key),
            add(LETTER, Field::Tag, "a"),
            note(NOTE, "Ana's line"),
        ],
    );
    let theirs = edit(
        &b,
        "Boris",
        "2026-01-04T00:00:00Z",
        &[
            status(LETTER, Status::Irrelevant),
            add(LETTER, Field::Tag, "b"),
            note(NOTE, "Boris's line"),
        ],
    );
    let one = merge(&b, &ours, &theirs).session.to_json();
    let two = merge(&b.clone(), &ours.clone(), &theirs.clone())
        .session
        .to_json();
    assert_eq!(one, two);
    assert_eq!(Session::from_json(&one).unwrap().to_json(), one);
}

#[test]
fn notes_both_sides_appended_to_merge_by_lines() {
    let b = edit(
        &base(),
        "base",
        "2026-01-02T00:00:00Z",
        &[note(LETTER, "Seen in Minsk.")],
    );
    let ours = edit(
        &b,
        "Ana",
        "2026-01-03T00:00:00Z",
        &[note(LETTER, "Ana: dated 2019.")],
    );
    let theirs = edit(
        &b,
        "Boris",
        "2026-01-04T00:00:00Z",
        &[note(LETTER, "Boris: signed.")],
    );
    let m = merge(&b, &ours, &theirs);
    assert_eq!(m.conflicts, 0);
    assert_eq!(
        m.session.review(LETTER).unwrap().notes,
        "Seen in Minsk.\n\nAna: dated 2019.\n\nBoris: signed."
    );
    let last = session::last_change(m.session.review(LETTER).unwrap(), "notes").unwrap();
    assert_eq!(
        (last.by.as_str(), last.at),
        ("merger", time("2026-01-04T00:00:00Z"))
    );
    // A rewrite on one side and an append on the other is a conflict.
    let rewrite = Command::SetNotes {
        doc: LETTER.into(),
        notes: "Seen in Brest.".into(),
    };
    let ours = edit(&b, "Ana", "2026-01-03T00:00:00Z", &[rewrite]);
    let m = merge(&b, &ours, &theirs);
    assert_eq!(m.conflicts, 1);
    let c = &m.session.conflicts()[0];
    assert_eq!(c.field, "notes");
    assert_eq!(m.session.review(LETTER).unwrap().notes, "Seen in Minsk.");
}

#[test]
fn opposite_entity_merges_are_a_conflict_not_a_circle() {
    let b = base();
    let merge_into = |from: &str, into: &str| Command::MergeEntity {
        from: from.into(),
        into: into.into(),
    };
    let ours = edit(
        &b,
        "Ana",
        "2026-01-03T00:00:00Z",
        &[merge_into("Groza", "Groza-S")],
    );
    let theirs = edit(
        &b,
        "Boris",
        "2026-01-03T00:00:00Z",
        &[
            merge_into("Groza-S", "Groza"),
            merge_into("BelTech", "Beltech"),
        ],
    );
    let m = merge(&b, &ours, &theirs);
    assert_eq!(m.conflicts, 1);
    let aliases = m.session.aliases();
    assert_eq!(aliases.get("BelTech").map(String::as_str), Some("Beltech"));
    assert!(!aliases.contains_key("Groza") && !aliases.contains_key("Groza-S"));
    let c = &m.session.conflicts()[0];
    assert_eq!((c.doc, c.field), (None, "Groza"));
    assert_eq!(c.conflict.ours.value["Groza"], "Groza-S");
    assert_eq!(c.conflict.theirs.value["Groza-S"], "Groza");
    let mut ed = Editor::new(m.session);
    let resolve = Command::ResolveConflict {
        doc: None,
        field: "Groza".into(),
        choice: Choice::Ours,
    };
    assert!(ed.apply(cache(), resolve).unwrap());
    assert_eq!(ed.session().canonical("Groza"), "Groza-S");
    assert!(ed.session().conflicts().is_empty());
    ed.undo().unwrap();
    assert_eq!(ed.session().conflicts().len(), 1);
}

#[test]
fn sessions_over_different_caches_are_refused() {
    let b = base();
    let mut other = base();
    other.article_sha256 = Some("0".repeat(64));
    let e = session::merge(&b, &b, &other, "m").unwrap_err();
    assert!(matches!(e, MergeError::DifferentArticle { .. }), "{e}");
    assert!(e.to_string().contains("different articles"), "{e}");
    let mut elsewhere = base();
    elsewhere.cache = "/somewhere/else".into();
    let e = session::merge(&b, &elsewhere, &b, "m").unwrap_err();
    assert!(matches!(e, MergeError::DifferentCache { .. }), "{e}");
}

#[test]
fn a_first_version_session_loads_and_is_saved_as_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.doctriage.json");
    let l = link(LETTER, "Groza-S", Relation::Supports, LETTER_QUOTE);
    let Command::Link { link, .. } = l else {
        unreachable!()
    };
    let v1 = serde_json::json!({
        "schema": "doctriage.session/1",
        "cache": common::s(&cache().root),
        "analyst": "old hand",
        "created": "2025-01-01T00:00:00Z",
        "modified": "2025-01-02T00:00:00Z",
        "article_sha256": null,
        "documents": {LETTER: {
            "sha256": cache().document(LETTER).unwrap().sha256,
            "status": "key",
            "links": [{"statement": link.statement, "statement_text": link.statement_text,
                       "relation": "supports", "quote": link.quote}],
        }},
    });
    std::fs::write(&path, serde_json::to_string_pretty(&v1).unwrap()).unwrap();
    let s = Session::load(&path).unwrap();
    assert_eq!(s.schema, session::SESSION_SCHEMA);
    assert_eq!(s.status(LETTER), Status::Key);
    let l = &s.review(LETTER).unwrap().links[0];
    assert_eq!(l.id, session::link_id(LETTER, l));
    assert_eq!(s.modified, time("2025-01-02T00:00:00Z"));
    s.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"schema\": \"doctriage.session/3\""),
        "{text}"
    );
    assert!(!text.contains("\"modified\""), "{text}");
    assert_eq!(Session::load(&path).unwrap().reviews(), s.reviews());
}
