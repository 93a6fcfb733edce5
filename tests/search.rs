//! Indexed search: the query language, folding, session filters and index invalidation.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::write;
use doctriage::Cache;
use doctriage::search::{SearchError, SearchIndex, SearchOptions, default_index_dir};
use doctriage::session::{self, Command, Field, Session, Status};

/// A small cache of every format, with Latin, Cyrillic and accented text.
fn make_cache(root: &Path) {
    write(
        root,
        "letters/a_groza.txt",
        "Title: Groza delivery\nDate: 2019-03-14\nFrom: State arms-export agency\nTo: Ministry of Defence of Azerbaijan\nKind: letter\n\n\
         The Groza-S stations will be delivered to Baku after the modernisation of the artillery park.\n",
    );
    write(
        root,
        "letters/b_ru.txt",
        "Title: Письмо о поставке\nDate: 2020-10\nFrom: Государственный комитет\nTo: Посольство в Баку\nKind: letter\n\n\
         Сообщаем о поставке станций Гроза-С в Баку.\n",
    );
    write(
        root,
        "invoices/c.json",
        r#"{"id": "inv-c", "kind": "invoice", "title": "Invoice for sights", "date": "2019", "sender": "Optoval Instruments JSC", "recipient": "Customs authority", "text": "Invoice for thermal sights and spare parts, paid in full."}"#,
    );
    write(
        root,
        "notes/d.md",
        "---\ntitle: Note on territories\ndate: 2021-04-22\nsender: Embassy of Belarus in Baku\ntype: diplomatic_note\n---\n\n\
         Café société naïve résumé. The embassy notes the deoccupied territories.\n",
    );
    write(
        root,
        "mail/e.eml",
        "From: Canteen <canteen@office.example>\r\nTo: Staff <staff@office.example>\r\nDate: Tue, 17 Nov 2020 10:42:00 +0300\r\n\
         Subject: Menu\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDear colleagues, the cafeteria menu for Monday.\r\n",
    );
    write(
        root,
        "records/f.jsonl",
        "{\"id\": \"f1\", \"kind\": \"memo\", \"title\": \"Spare parts\", \"date\": \"2018-06\", \"text\": \"Parts spare list for the office printers.\"}\n\
         {\"id\": \"f2\", \"kind\": \"memo\", \"title\": \"Printers\", \"date\": \"2022-01-05\", \"text\": \"The printers were repaired.\"}\n",
    );
}

struct Fixture {
    _cache_dir: tempfile::TempDir,
    index_dir: tempfile::TempDir,
    cache: Cache,
}

fn fixture() -> Fixture {
    let cache_dir = tempfile::tempdir().expect("tempdir");
    make_cache(cache_dir.path());
    let cache = common::scan(cache_dir.path());
    assert_eq!(cache.documents.len(), 7, "{:?}", cache.errors);
    Fixture {
        _cache_dir: cache_dir,
        index_dir: tempfile::tempdir().expect("tempdir"),
        cache,
    }
}

fn open(fx: &Fixture, session: Option<&Session>) -> SearchIndex {
    SearchIndex::open_or_build(&fx.cache, session, fx.index_dir.path())
        .expect("index")
        .0
}

fn ids(idx: &SearchIndex, q: &str) -> BTreeSet<String> {
    ids_with(idx, q, false)
}

fn ids_with(idx: &SearchIndex, q: &str, exact: bool) -> BTreeSet<String> {
    let opts = SearchOptions { exact, limit: 100 };
    let r = idx.search(q, &opts).unwrap_or_else(|e| panic!("{q}: {e}"));
    assert_eq!(r.total, r.hits.len(), "{q}");
    let from_hits: BTreeSet<String> = r.hits.iter().map(|h| h.doc_id.clone()).collect();
    let matching: BTreeSet<String> = idx
        .matching_ids(q, &opts)
        .expect("matching_ids")
        .into_iter()
        .collect();
    assert_eq!(
        from_hits, matching,
        "search and matching_ids disagree on {q}"
    );
    // The window's mask over a list of ids (here in reverse order, with an unknown id) agrees.
    let mut order: Vec<String> = idx_order(idx);
    order.reverse();
    order.insert(1, "not-indexed".into());
    let positions = idx.positions(order.iter().map(String::as_str));
    let mask = idx
        .matching_mask(q, &opts, &positions, order.len())
        .expect("matching_mask");
    let from_mask: BTreeSet<String> = order
        .iter()
        .zip(&mask)
        .filter(|(_, m)| **m)
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(from_mask, matching, "matching_mask disagrees on {q}");
    from_hits
}

/// Every indexed id (the empty query matches them all).
fn idx_order(idx: &SearchIndex) -> Vec<String> {
    let all = idx
        .matching_ids("", &SearchOptions::default())
        .expect("all ids");
    let mut v: Vec<String> = all.into_iter().collect();
    v.sort();
    v
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const A: &str = "letters/a_groza.txt";
const B: &str = "letters/b_ru.txt";
const C: &str = "inv-c";
const D: &str = "notes/d.md";
const E: &str = "mail/e.eml";

#[test]
fn words_default_to_and() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "groza baku"), set(&[A, B]));
    assert_eq!(ids(&idx, "groza cafeteria"), set(&[]));
    assert_eq!(ids(&idx, "cafeteria"), set(&[E]));
    // Title and sender count as well as the text.
    assert_eq!(ids(&idx, "territories"), set(&[D]));
    assert_eq!(ids(&idx, "optoval"), set(&[C]));
}

#[test]
fn empty_query_matches_everything() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "").len(), 7);
    assert_eq!(ids(&idx, "  *  ").len(), 7);
}

#[test]
fn cyrillic_and_latin_fold_by_default_and_not_when_exact() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "Гроза"), set(&[A, B]));
    assert_eq!(ids(&idx, "GROZA"), set(&[A, B]));
    assert_eq!(ids(&idx, "postavke"), set(&[B]));
    assert_eq!(ids_with(&idx, "Гроза", true), set(&[B]));
    assert_eq!(ids_with(&idx, "groza", true), set(&[A]));
    // Diacritics fold too, unless exact.
    assert_eq!(ids(&idx, "cafe societe"), set(&[D]));
    assert_eq!(ids_with(&idx, "cafe", true), set(&[]));
    assert_eq!(ids_with(&idx, "café", true), set(&[D]));
    // Exact matching works alike on all-ASCII records and on records with other letters.
    assert_eq!(ids_with(&idx, "baku", true), set(&[A, D]));
    assert_eq!(ids_with(&idx, "Баку", true), set(&[B]));
    assert_eq!(ids_with(&idx, "\"spare parts\"", true), set(&[C, "f1"]));
    assert_eq!(ids_with(&idx, "sender:embassy", true), set(&[D]));
    assert_eq!(ids_with(&idx, "modern* -groza", true), set(&[]));
    // Case never matters.
    assert_eq!(ids_with(&idx, "CAFÉ", true), set(&[D]));
}

#[test]
fn phrases_keep_word_order() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "\"spare parts\""), set(&[C, "f1"]));
    assert_eq!(ids(&idx, "\"parts spare\""), set(&["f1"]));
    assert_eq!(ids(&idx, "\"thermal sights\""), set(&[C]));
    assert_eq!(ids(&idx, "\"sights thermal\""), set(&[]));
    // A hyphenated word is a phrase of its parts.
    assert_eq!(ids(&idx, "Groza-S"), set(&[A, B]));
    // An unclosed quote is a phrase to the end.
    assert_eq!(ids(&idx, "\"thermal sights"), set(&[C]));
}

#[test]
fn boolean_operators() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "cafeteria OR thermal"), set(&[C, E]));
    assert_eq!(ids(&idx, "groza AND baku"), set(&[A, B]));
    assert_eq!(ids(&idx, "groza NOT postavke"), set(&[A]));
    assert_eq!(ids(&idx, "groza -поставке"), set(&[A]));
    assert_eq!(ids(&idx, "printers -repaired"), set(&["f1"]));
    // A query of negations alone means "everything but".
    assert_eq!(ids(&idx, "-printers").len(), 5);
    assert_eq!(ids(&idx, "NOT groza NOT printers"), set(&[C, D, E]));
    // OR binds tighter than the implicit AND; parentheses group.
    assert_eq!(ids(&idx, "baku groza OR territories"), set(&[A, B, D]));
    assert_eq!(ids(&idx, "(cafeteria OR thermal) paid"), set(&[C]));
    // Half-typed queries still run.
    assert_eq!(ids(&idx, "groza AND"), set(&[A, B]));
    assert_eq!(ids(&idx, "(groza"), set(&[A, B]));
    assert_eq!(ids(&idx, "groza)"), set(&[A, B]));
    // Lower-case "or" is a word, not an operator.
    assert_eq!(ids(&idx, "cafeteria or thermal"), set(&[]));
}

#[test]
fn prefix_and_fuzzy() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "modernis*"), set(&[A]));
    assert_eq!(ids(&idx, "deoccup*"), set(&[D]));
    assert_eq!(ids(&idx, "Гроз*"), set(&[A, B]));
    assert_eq!(ids(&idx, "cafetria~"), set(&[E]));
    assert_eq!(ids(&idx, "grozza~1"), set(&[A, B]));
    assert_eq!(
        ids(&idx, "gorza~"),
        set(&[A, B]),
        "a transposition is one edit"
    );
    assert_eq!(ids(&idx, "grozzaa~"), set(&[]));
    assert_eq!(ids(&idx, "grozzaa~2"), set(&[A, B]));
}

#[test]
fn field_filters() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "sender:\"arms-export\""), set(&[A]));
    assert_eq!(ids(&idx, "sender:embassy"), set(&[D]));
    assert_eq!(ids(&idx, "recipient:azerbaijan"), set(&[A]));
    assert_eq!(ids(&idx, "kind:invoice"), set(&[C]));
    assert_eq!(ids(&idx, "kind:memo"), set(&["f1", "f2"]));
    assert_eq!(ids(&idx, "kind:diplomatic_note"), set(&[D]));
    assert_eq!(ids(&idx, "title:printers"), set(&["f2"]));
    assert_eq!(ids(&idx, "text:printers"), set(&["f1", "f2"]));
    assert_eq!(ids(&idx, "path:letters"), set(&[A, B]));
    assert_eq!(ids(&idx, "kind:(invoice OR memo) -printers"), set(&[C]));
    // The built-in gazetteer names Groza-S; it is found in Latin and Cyrillic text.
    assert_eq!(ids(&idx, "equipment:groza"), set(&[A, B]));
    // An unknown field name is just text.
    assert_eq!(ids(&idx, "colour:red"), set(&[]));
}

#[test]
fn ids_are_a_field_and_a_pasted_id_finds_its_document() {
    let fx = fixture();
    let idx = open(&fx, None);
    assert_eq!(ids(&idx, "id:inv-c"), set(&[C]));
    assert_eq!(ids(&idx, &format!("id:{A}")), set(&[A]));
    assert_eq!(ids(&idx, "id:letters/*"), set(&[A, B]));
    assert_eq!(ids(&idx, "id:f*"), set(&["f1", "f2"]));
    assert_eq!(ids(&idx, "id:f1 OR id:inv-c"), set(&["f1", C]));
    assert_eq!(
        ids(&idx, "-id:letters/*"),
        set(&[C, D, "mail/e.eml", "f1", "f2"])
    );
    // Not a word of any text: found by its id alone.
    assert_eq!(ids(&idx, "inv-c"), set(&[C]));
    assert_eq!(ids(&idx, A), set(&[A]));
    assert_eq!(ids(&idx, "id:inv"), set(&[]));
    assert_eq!(
        idx.unknown_ids("id:inv id:f1 id:nothing/* id:f*"),
        ["inv", "nothing/*"]
    );
    assert!(idx.unknown_ids("inv-c groza").is_empty());
}

#[test]
fn query_problems_name_what_is_wrong() {
    use doctriage::search::query_problems;
    assert!(query_problems("groza (sender:saea OR kind:letter) \"export passport\"").is_empty());
    assert!(query_problems("date:2019..2020 -status:key").is_empty());
    let p = query_problems("colour:red groza");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("unknown field colour:"), "{p:?}");
    let p = query_problems("(groza OR (minsk");
    assert_eq!(
        p,
        ["2 “(” not closed: the group runs to the end of the query"]
    );
    let p = query_problems("groza) baku");
    assert_eq!(p, ["1 “)” without its “(”: ignored"]);
    let p = query_problems("\"export passport");
    assert_eq!(
        p,
        ["a quote is not closed: the phrase runs to the end of the query"]
    );
}

#[test]
fn date_ranges_on_partial_dates() {
    let fx = fixture();
    let idx = open(&fx, None);
    // a: 2019-03-14, b: 2020-10, c: 2019, d: 2021-04-22, e: 2020-11-17, f1: 2018-06, f2: 2022-01-05.
    assert_eq!(ids(&idx, "date:2019"), set(&[A, C]));
    assert_eq!(
        ids(&idx, "date:2019-03"),
        set(&[A]),
        "a record dated only 2019 is not known to be in March"
    );
    assert_eq!(ids(&idx, "date:2019..2020"), set(&[A, B, C, E]));
    assert_eq!(ids(&idx, "date:2020-10..2020-11"), set(&[B, E]));
    assert_eq!(
        ids(&idx, "date:2020-10-15..2020-11"),
        set(&[E]),
        "b covers all of October"
    );
    assert_eq!(ids(&idx, "date:2021.."), set(&[D, "f2"]));
    assert_eq!(ids(&idx, "date:..2018"), set(&["f1"]));
    assert_eq!(ids(&idx, "date:2019 OR date:2022"), set(&[A, C, "f2"]));
    assert_eq!(ids(&idx, "groza date:2020"), set(&[B]));
    assert!(matches!(
        idx.search("date:2019-13", &SearchOptions::default()),
        Err(SearchError::Query(_))
    ));
    assert!(matches!(
        idx.search("date:soon", &SearchOptions::default()),
        Err(SearchError::Query(_))
    ));
}

fn tagged_session(fx: &Fixture) -> Session {
    let mut s = Session::new(&fx.cache.root, None, "tester", &fx.cache);
    let cmds = [
        Command::SetStatus {
            doc: A.into(),
            status: Status::Key,
        },
        Command::Add {
            doc: B.into(),
            field: Field::Tag,
            value: "urgent follow-up".into(),
        },
        Command::Add {
            doc: C.into(),
            field: Field::Equipment,
            value: "TS-3 thermal sight".into(),
        },
        Command::Add {
            doc: E.into(),
            field: Field::Sender,
            value: "Столовая".into(),
        },
        Command::SetStatus {
            doc: D.into(),
            status: Status::Irrelevant,
        },
        Command::SetDate {
            doc: E.into(),
            date: doctriage::PartialDate::ym(2023, 5),
        },
    ];
    for c in &cmds {
        session::apply(&mut s, &fx.cache, c).expect("apply");
    }
    s
}

#[test]
fn session_filters_status_tags_and_values() {
    let fx = fixture();
    let s = tagged_session(&fx);
    let mut idx = open(&fx, Some(&s));
    assert_eq!(ids(&idx, "status:key"), set(&[A]));
    assert_eq!(ids(&idx, "status:unreviewed"), set(&[B, C, E, "f1", "f2"]));
    assert_eq!(ids(&idx, "-status:unreviewed"), set(&[A, D]));
    assert_eq!(ids(&idx, "status:irr*"), set(&[D]));
    assert_eq!(ids(&idx, "tag:urgent"), set(&[B]));
    assert_eq!(ids(&idx, "tag:\"urgent follow up\""), set(&[B]));
    assert_eq!(ids(&idx, "tag:urg*"), set(&[B]));
    assert_eq!(ids(&idx, "tag:urgnet~"), set(&[B]));
    assert_eq!(ids(&idx, "tag:urgent OR kind:invoice"), set(&[B, C]));
    assert_eq!(ids(&idx, "groza -tag:urgent"), set(&[A]));
    // The analyst's equipment and sender count beside the record's own.
    assert_eq!(ids(&idx, "equipment:ts"), set(&[C]));
    assert_eq!(
        ids(&idx, "equipment:groza OR equipment:thermal"),
        set(&[A, B, C])
    );
    assert_eq!(ids(&idx, "sender:stolovaya"), set(&[E]));
    assert_eq!(ids_with(&idx, "sender:stolovaya", true), set(&[]));
    assert_eq!(ids_with(&idx, "sender:столовая", true), set(&[E]));
    // The accepted date matches as well as the record's own.
    assert_eq!(ids(&idx, "date:2023"), set(&[E]));
    assert_eq!(ids(&idx, "date:2020-11"), set(&[E]));
    assert!(matches!(
        idx.search("status:maybe", &SearchOptions::default()),
        Err(SearchError::Query(_))
    ));

    // Edits reach the index without rebuilding it.
    let mut s2 = s.clone();
    session::apply(
        &mut s2,
        &fx.cache,
        &Command::SetStatus {
            doc: C.into(),
            status: Status::Key,
        },
    )
    .expect("apply");
    idx.update_review(C, s2.review(C));
    assert_eq!(ids(&idx, "status:key"), set(&[A, C]));
    idx.update_review(A, None);
    assert_eq!(ids(&idx, "status:key"), set(&[C]));
    idx.set_session(None);
    assert_eq!(ids(&idx, "status:key"), set(&[]));
    assert_eq!(ids(&idx, "status:unreviewed").len(), 7);
}

#[test]
fn snippets_highlight_the_original_spelling() {
    let fx = fixture();
    let idx = open(&fx, None);
    let r = idx
        .search("Гроза", &SearchOptions::default())
        .expect("search");
    assert_eq!(r.total, 2);
    for hit in &r.hits {
        assert!(!hit.highlights.is_empty(), "{hit:?}");
        let words: Vec<String> = hit
            .highlights
            .iter()
            .map(|&(a, b)| common::chars(&hit.snippet, a, b))
            .collect();
        let expected = if hit.doc_id == B {
            "Гроза"
        } else {
            "Groza"
        };
        assert!(words.iter().all(|w| w == expected), "{words:?} in {hit:?}");
        // Offsets point into the document's text too.
        let doc = fx.cache.document(&hit.doc_id).expect("doc");
        let (a, b) = hit.highlights[0];
        let in_doc: String = doc
            .text
            .chars()
            .skip(hit.snippet_start + a)
            .take(b - a)
            .collect();
        assert_eq!(in_doc, expected);
    }
    // Prefix and fuzzy words are highlighted as found.
    let r = idx
        .search("modernis*", &SearchOptions::default())
        .expect("search");
    let h = &r.hits[0];
    let (a, b) = h.highlights[0];
    assert_eq!(common::chars(&h.snippet, a, b), "modernisation");
    let r = idx
        .search("cafetria~", &SearchOptions::default())
        .expect("search");
    let h = &r.hits[0];
    let (a, b) = h.highlights[0];
    assert_eq!(common::chars(&h.snippet, a, b), "cafeteria");
    // A hit on the title alone shows the opening of the text.
    let r = idx
        .search("title:printers", &SearchOptions::default())
        .expect("search");
    assert!(r.hits[0].snippet.starts_with("The printers"));
    // The limit bounds the hits, not the total.
    let r = idx
        .search(
            "",
            &SearchOptions {
                exact: false,
                limit: 3,
            },
        )
        .expect("search");
    assert_eq!((r.total, r.hits.len()), (7, 3));
}

#[test]
fn index_is_reused_updated_and_rebuilt() {
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let index_dir = tempfile::tempdir().expect("tempdir");
    let root = cache_dir.path();
    make_cache(root);
    let cache = common::scan(root);
    let n = cache.documents.len();

    let (_, st) = SearchIndex::open_or_build(&cache, None, index_dir.path()).expect("build");
    assert_eq!(
        (st.indexed, st.reused, st.removed, st.rebuilt),
        (n, 0, 0, true)
    );

    let (idx, st) = SearchIndex::open_or_build(&cache, None, index_dir.path()).expect("reopen");
    assert_eq!(
        (st.indexed, st.reused, st.removed, st.rebuilt),
        (0, n, 0, false)
    );
    assert_eq!(idx.num_docs(), n as u64);
    drop(idx);

    // One changed file: only its record is indexed again.
    write(
        root,
        "mail/e.eml",
        "From: a@b.example\r\nSubject: Menu\r\n\r\nThe canteen menu for Tuesday: borscht.\r\n",
    );
    let cache = common::scan(root);
    let (idx, st) = SearchIndex::open_or_build(&cache, None, index_dir.path()).expect("update");
    assert_eq!(
        (st.indexed, st.reused, st.removed, st.rebuilt),
        (1, n - 1, 0, false)
    );
    assert_eq!(idx.num_docs(), n as u64);
    assert_eq!(ids(&idx, "borscht"), set(&[E]));
    assert_eq!(ids(&idx, "cafeteria"), set(&[]));
    drop(idx);

    // One deleted file.
    std::fs::remove_file(root.join("notes/d.md")).expect("rm");
    let cache = common::scan(root);
    let (idx, st) = SearchIndex::open_or_build(&cache, None, index_dir.path()).expect("update");
    assert_eq!(
        (st.indexed, st.reused, st.removed, st.rebuilt),
        (0, n - 1, 1, false)
    );
    assert_eq!(idx.num_docs(), n as u64 - 1);
    assert_eq!(ids(&idx, "territories"), set(&[]));
    drop(idx);

    // Another schema version forces a rebuild.
    std::fs::write(index_dir.path().join("VERSION"), "doctriage.search/0\n").expect("write");
    let (idx, st) = SearchIndex::open_or_build(&cache, None, index_dir.path()).expect("rebuild");
    assert_eq!((st.indexed, st.reused, st.rebuilt), (n - 1, 0, true));
    assert_eq!(ids(&idx, "groza"), set(&[A, B]));
    drop(idx);

    // A damaged manifest forces a rebuild too.
    std::fs::write(index_dir.path().join("manifest.json"), "{").expect("write");
    let (_, st) = SearchIndex::open_or_build(&cache, None, index_dir.path()).expect("rebuild");
    assert_eq!((st.indexed, st.rebuilt), (n - 1, true));
}

#[test]
fn index_never_lives_in_the_cache_or_over_foreign_files() {
    let fx = fixture();
    let root = &fx.cache.root;
    let inside = root.join("index");
    let err = SearchIndex::open_or_build(&fx.cache, None, &inside).expect_err("inside the cache");
    assert!(matches!(err, SearchError::InsideCache(_)), "{err}");
    assert!(!inside.exists(), "nothing is created in the cache");
    let default = default_index_dir(root);
    assert!(
        !default.starts_with(std::fs::canonicalize(root).expect("canon")),
        "{}",
        default.display()
    );
    assert!(!default.starts_with(root), "{}", default.display());
    assert_eq!(default, default_index_dir(root), "stable");

    let foreign = tempfile::tempdir().expect("tempdir");
    std::fs::write(foreign.path().join("notes.txt"), "mine").expect("write");
    let err =
        SearchIndex::open_or_build(&fx.cache, None, foreign.path()).expect_err("foreign folder");
    assert!(matches!(err, SearchError::NotAnIndex(_)), "{err}");
    assert_eq!(
        std::fs::read_to_string(foreign.path().join("notes.txt")).expect("read"),
        "mine"
    );
}

#[test]
fn index_can_be_built_on_a_worker_thread() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SearchIndex>();
    let fx = fixture();
    let cache = fx.cache.clone();
    let dir = fx.index_dir.path().to_owned();
    let idx = std::thread::Builder::new()
        .name("index-builder".into())
        .spawn(move || SearchIndex::open_or_build(&cache, None, &dir).map(|(i, _)| i))
        .expect("spawn")
        .join()
        .expect("thread")
        .expect("index");
    assert_eq!(ids(&idx, "cafeteria"), set(&[E]));
}

#[test]
fn folding_follows_the_transliteration_table() {
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let index_dir = tempfile::tempdir().expect("tempdir");
    write(
        cache_dir.path(),
        "a.txt",
        "Title: Notes\n\nЁлка в Харькове. Azərbaycan Respublikası. Naïve Łódź. Пряжа-4 «Гроза-С». Юрий Щербаков.\n",
    );
    write(cache_dir.path(), "b.txt", "Title: Other\n\nNothing here.\n");
    let cache = common::scan(cache_dir.path());
    let (idx, _) = SearchIndex::open_or_build(&cache, None, index_dir.path()).expect("index");
    for q in [
        "elka",
        "kharkove",
        "ХАРЬКОВЕ",
        "azerbaycan",
        "respublikasi",
        "naive",
        "lodz",
        "pryazha",
        "\"pryazha 4\"",
        "Пряжа-4",
        "groza-s",
        "yuriy",
        "shcherbakov",
        "Щерб*",
    ] {
        assert_eq!(ids(&idx, q), set(&["a.txt"]), "{q}");
    }
    assert_eq!(ids_with(&idx, "kharkove", true), set(&[]));
    assert_eq!(ids_with(&idx, "Харькове", true), set(&["a.txt"]));
}

#[test]
fn a_build_reports_progress_and_can_be_cancelled() {
    use doctriage::search::BuildProgress;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let fx = fixture();
    let n = fx.cache.documents.len();
    let stop = AtomicBool::new(true);
    let cancelled = SearchIndex::open_or_build_with(
        &fx.cache,
        None,
        fx.index_dir.path(),
        &BuildProgress {
            report: None,
            cancel: Some(&stop),
        },
    );
    assert!(
        matches!(cancelled, Err(SearchError::Cancelled)),
        "{cancelled:?}"
    );
    let last = AtomicUsize::new(0);
    let report = |done: usize, total: usize| {
        assert_eq!(total, n);
        last.store(done, Ordering::Relaxed);
    };
    stop.store(false, Ordering::Relaxed);
    let (idx, st) = SearchIndex::open_or_build_with(
        &fx.cache,
        None,
        fx.index_dir.path(),
        &BuildProgress {
            report: Some(&report),
            cancel: Some(&stop),
        },
    )
    .expect("index");
    assert_eq!((st.indexed, last.load(Ordering::Relaxed)), (n, n));
    assert_eq!(ids(&idx, "cafeteria"), set(&[E]));
}

#[test]
fn processes_opening_one_index_at_once_all_get_it() {
    // The window and a command (or two commands) on one cache share its index folder: the first
    // build, an update and a reuse may happen at the same moment in several processes.
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let home = tempfile::tempdir().expect("tempdir");
    let root = cache_dir.path();
    make_cache(root);
    for round in 0..4 {
        if round > 0 {
            write(
                root,
                "mail/e.eml",
                format!("Subject: Menu\r\n\r\nThe canteen menu, week {round}: borscht.\r\n"),
            );
        }
        let children: Vec<_> = (0..4)
            .map(|_| {
                common::doctriage()
                    .args(["search", common::s(root), "borscht OR groza", "--json"])
                    .arg("--limit")
                    .arg("100")
                    .env("XDG_CACHE_HOME", home.path())
                    .env("HOME", home.path())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait"))
            .collect();
        let mut answers = BTreeSet::new();
        for out in &outputs {
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
            let hits: BTreeSet<String> = json["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .map(|h| h["doc_id"].as_str().expect("id").to_owned())
                .collect();
            answers.insert(hits);
        }
        assert_eq!(
            answers.len(),
            1,
            "round {round}: the processes disagree: {answers:?}"
        );
        let hits = answers.pop_first().expect("one answer");
        assert!(
            hits.contains("letters/a_groza.txt"),
            "round {round}: {hits:?}"
        );
        assert_eq!(
            hits.contains("mail/e.eml"),
            round > 0,
            "round {round}: {hits:?}"
        );
    }
}
