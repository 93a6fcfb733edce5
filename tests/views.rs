//! The evidence views (`gui::views`): their data functions on the sample cache with a session
//! built through `session::apply`, and each view driven through egui_kittest (renders, a mark,
//! cell or row is clicked, the right action comes out), plus the PNG export of a view.

mod common;

use std::collections::HashMap;

use chrono::NaiveDate;
use common::gui::{click, click_at, harness_builder};
use common::{link, statement_with};
use doctriage::extract::Extractor;
use doctriage::gui::views::coverage::{coverage_counts, coverage_rows};
use doctriage::gui::views::entities::{
    EntityKind, entity_counts, entity_edges, merge_names, merge_problem,
};
use doctriage::gui::views::matrix::{MatrixMode, dominant_relation, matrix_cells};
use doctriage::gui::views::timeline::{
    DateSource, LaneMode, claimed_period, date_in_text, lanes, shown_marks, timeline_mark_pos,
    timeline_marks,
};
use doctriage::gui::views::{
    ViewAction, ViewKind, ViewsState, last_view_rect, png_bytes, relation_color, request_png,
    save_png, views_ui,
};
use doctriage::model::{Cache, PartialDate, Statement, Suggestions};
use doctriage::session::{self, ClaimStatus, Command, Field, Relation, Session, Status};
use egui::accesskit::Role;
use egui::{Color32, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

const NOTE: &str = "notes/note_2020_09_14_groza_agreement.txt";
const NOTE_QUOTE: &str = "four (4) Groza-S mobile counter-drone electronic-warfare stations";
const CONTRA: &str = "notes/contradicting_note_2021_11_03_groza_withdrawn.txt";
const CONTRA_QUOTE: &str = "The Groza-S order was withdrawn and no stations were delivered to the armed forces of Azerbaijan.";
const LETTER_2018: &str = "letters/letter_2018_06_05.txt";
const LETTER_QUOTE: &str =
    "modernisation of old artillery equipment held by the armed forces of Azerbaijan";
const LETTER_RU: &str = "letters/letter_2019_11_14_ru_cp1251.txt";
const INVOICE_MONTH: &str = "inv-2019-003";
const INVOICE_QUOTE: &str = "Spare parts and tools for OV-7M artillery sights";
const MINUTES_YEAR: &str = "misc/meeting_minutes_2018.txt";
const PASSPORT_2015: &str = "ep-2015-0003";
const PASSPORT_2015_TITLE: &str =
    "Export passport EP-2015-0003: optical sights (outside 2018-2022)";
const MEMO_2016: &str = "misc/memo_2016_10_05_early_contacts.txt";
const NO_HEADER: &str = "letters/letter_2020_07_02_no_header.txt";

const AGENCY: &str = "State arms-export agency";
const AGENCY_RU: &str = "Государственный экспортёр вооружений";

struct Fixture {
    cache: Cache,
    session: Session,
    suggestions: HashMap<String, Suggestions>,
}

impl Fixture {
    fn suggest(&self) -> impl Fn(&str) -> Option<Suggestions> + '_ {
        |id| self.suggestions.get(id).cloned()
    }
}

/// (start, end) in chars of the only occurrence of `quote` in the document's text.
fn char_span(cache: &Cache, doc: &str, quote: &str) -> (usize, usize) {
    common::char_span(&common::document(cache, doc).text, quote)
}

/// S5 (the Groza-S purchase): supported by NOTE, contradicted by CONTRA. S4 (modernisation of
/// old artillery): supported by LETTER_2018. S3 (2018–2022): context only, from the invoice.
fn s5(cache: &Cache) -> Statement {
    statement_with(cache, "Groza-S")
}
fn s4(cache: &Cache) -> Statement {
    statement_with(cache, "modernización de equipos de artillería")
}
fn s3(cache: &Cache) -> Statement {
    statement_with(cache, "entre 2018 y 2022")
}

fn add(doc: &str, field: Field, value: &str) -> Command {
    Command::Add {
        doc: doc.into(),
        field,
        value: value.into(),
    }
}

fn date(doc: &str, d: &str) -> Command {
    Command::SetDate {
        doc: doc.into(),
        date: Some(PartialDate::parse_iso(d).expect("date")),
    }
}

fn status(doc: &str, status: Status) -> Command {
    Command::SetStatus {
        doc: doc.into(),
        status,
    }
}

/// The review the views show: statuses, dates, senders, recipients, equipment and links of
/// eight records (see the constants above).
fn fixture_commands(cache: &Cache) -> Vec<Command> {
    vec![
        status(NOTE, Status::Key),
        date(NOTE, "2020-09-14"),
        add(
            NOTE,
            Field::Sender,
            "Ministry of Foreign Affairs of Belarus",
        ),
        add(NOTE, Field::Recipient, "Embassy of Azerbaijan in Minsk"),
        add(NOTE, Field::Equipment, "Groza-S"),
        link(cache, NOTE, "Groza-S", Relation::Supports, NOTE_QUOTE),
        status(CONTRA, Status::Relevant),
        date(CONTRA, "2021-11-03"),
        add(CONTRA, Field::Sender, "Ministry of Defence of Azerbaijan"),
        add(CONTRA, Field::Recipient, "Embassy of Belarus in Baku"),
        add(CONTRA, Field::Equipment, "Groza-S"),
        link(
            cache,
            CONTRA,
            "Groza-S",
            Relation::Contradicts,
            CONTRA_QUOTE,
        ),
        status(LETTER_2018, Status::Relevant),
        date(LETTER_2018, "2018-06-05"),
        add(LETTER_2018, Field::Sender, AGENCY),
        add(
            LETTER_2018,
            Field::Recipient,
            "Minsk Aiming Systems Works (fictional)",
        ),
        add(LETTER_2018, Field::Equipment, "SUO-12 fire-control kit"),
        link(
            cache,
            LETTER_2018,
            "modernización de equipos de artillería",
            Relation::Supports,
            LETTER_QUOTE,
        ),
        status(LETTER_RU, Status::Relevant),
        date(LETTER_RU, "2019-11-14"),
        add(LETTER_RU, Field::Sender, AGENCY_RU),
        add(LETTER_RU, Field::Recipient, "ОАО «Пряжа-Сигнал» (вымышл.)"),
        add(LETTER_RU, Field::Equipment, "Pryazha-4 jamming station"),
        status(INVOICE_MONTH, Status::Relevant),
        date(INVOICE_MONTH, "2019-10"),
        add(
            INVOICE_MONTH,
            Field::Sender,
            "Optoval Instruments JSC (fictional)",
        ),
        add(
            INVOICE_MONTH,
            Field::Equipment,
            "OV-7M panoramic artillery sight",
        ),
        link(
            cache,
            INVOICE_MONTH,
            "entre 2018 y 2022",
            Relation::Context,
            INVOICE_QUOTE,
        ),
        status(MINUTES_YEAR, Status::Relevant),
        date(MINUTES_YEAR, "2018"),
        add(MINUTES_YEAR, Field::Sender, AGENCY),
        status(PASSPORT_2015, Status::Relevant),
        date(PASSPORT_2015, "2015-04-22"),
        add(PASSPORT_2015, Field::Sender, AGENCY),
        add(
            PASSPORT_2015,
            Field::Recipient,
            "Ministry of Defence of Azerbaijan",
        ),
        add(
            PASSPORT_2015,
            Field::Equipment,
            "OV-7M panoramic artillery sight",
        ),
    ]
}

fn fixture() -> Fixture {
    let cache = common::scan(&common::sample());
    let extractor = Extractor::new(&cache.gazetteer);
    let suggestions = cache
        .documents
        .iter()
        .map(|d| (d.id.clone(), extractor.suggest(d)))
        .collect();
    let mut session = Session::new(&cache.root, None, "tester", &cache);
    for cmd in &fixture_commands(&cache) {
        session::apply(&mut session, &cache, cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    Fixture {
        cache,
        session,
        suggestions,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

// ----- data functions -----

#[test]
fn claimed_period_of_the_seed_article_is_2018_to_2022() {
    let f = fixture();
    assert_eq!(
        claimed_period(&f.cache),
        Some((day(2018, 1, 1), day(2022, 12, 31)))
    );
    let mut no_article = f.cache.clone();
    no_article.article = None;
    assert_eq!(claimed_period(&no_article), None);
}

#[test]
fn timeline_marks_flag_the_period_and_span_partial_dates() {
    let f = fixture();
    let suggest = f.suggest();
    let marks = timeline_marks(&f.session, &f.cache, LaneMode::Sender, &suggest);
    let mark = |doc: &str| {
        marks
            .iter()
            .find(|m| m.doc == doc)
            .unwrap_or_else(|| panic!("no mark for {doc}"))
    };

    // The accepted date outside 2018–2022 is flagged; one inside is not.
    let p = mark(PASSPORT_2015);
    assert!(p.outside_period && !p.partial);
    assert_eq!(
        (p.start, p.end, p.source),
        (day(2015, 4, 22), day(2015, 4, 22), DateSource::Accepted)
    );
    assert!(!mark(NOTE).outside_period);
    // An unreviewed record is placed at the date its metadata states (and flagged too).
    let memo = mark(MEMO_2016);
    assert_eq!(
        (memo.source, memo.start),
        (DateSource::Stated, day(2016, 10, 5))
    );
    assert!(memo.outside_period);
    // A record without a stated date falls back on its first suggested date.
    let nh = mark(NO_HEADER);
    assert_eq!(
        (nh.source, nh.start),
        (DateSource::Suggested, day(2020, 7, 2))
    );
    assert!(
        nh.quote.is_some(),
        "a date found in the text carries its offsets"
    );
    let without_suggestions = timeline_marks(&f.session, &f.cache, LaneMode::Sender, &|_| None);
    assert!(!without_suggestions.iter().any(|m| m.doc == NO_HEADER));

    // Partial dates span their month or year.
    let inv = mark(INVOICE_MONTH);
    assert!(inv.partial && !inv.outside_period);
    assert_eq!((inv.start, inv.end), (day(2019, 10, 1), day(2019, 10, 31)));
    let minutes = mark(MINUTES_YEAR);
    assert!(minutes.partial);
    assert_eq!(
        (minutes.start, minutes.end),
        (day(2018, 1, 1), day(2018, 12, 31))
    );

    // The accepted date's quote is where the text writes that date.
    let note = mark(NOTE);
    let doc = f.cache.document(NOTE).expect("note");
    let (s, e) = date_in_text(doc, note.date).expect("the note writes its date in the text");
    let text = &doc.text;
    assert_eq!(
        doctriage::extract::parse_date(&session::quote_at(text, s, e).expect("quote")),
        Some(note.date)
    );

    // Lanes: tagged senders, sorted, marks sorted by date.
    assert_eq!(note.lane, "Ministry of Foreign Affairs of Belarus");
    assert!(marks.windows(2).all(|w| w[0].start <= w[1].start));
    let all = lanes(&marks);
    assert!(all.contains(&AGENCY.to_owned()) && all.contains(&AGENCY_RU.to_owned()));

    // Equipment lanes: a document goes in each of its lanes.
    let eq = timeline_marks(&f.session, &f.cache, LaneMode::Equipment, &suggest);
    let groza: Vec<&str> = eq
        .iter()
        .filter(|m| m.lane == "Groza-S")
        .map(|m| m.doc.as_str())
        .collect();
    assert!(groza.contains(&NOTE) && groza.contains(&CONTRA));
    // Untagged: the suggested equipment, else the "none" lane.
    assert!(
        eq.iter()
            .any(|m| m.doc == MINUTES_YEAR && m.lane == "SUO-12 fire-control kit")
    );
    assert!(
        eq.iter()
            .any(|m| m.doc == MEMO_2016 && m.lane == "(no equipment)")
    );

    // After a merge the Russian spelling's document is in the agency's lane.
    let mut merged = f.session.clone();
    session::apply(
        &mut merged,
        &f.cache,
        &Command::MergeEntity {
            from: AGENCY_RU.into(),
            into: AGENCY.into(),
        },
    )
    .expect("merge");
    let marks = timeline_marks(&merged, &f.cache, LaneMode::Sender, &suggest);
    assert_eq!(
        marks
            .iter()
            .find(|m| m.doc == LETTER_RU)
            .map(|m| m.lane.as_str()),
        Some(AGENCY)
    );
    assert!(!lanes(&marks).contains(&AGENCY_RU.to_owned()));
}

#[test]
fn matrix_cells_are_coloured_by_relation_contradicts_winning() {
    let f = fixture();
    let (s5, s4, s3) = (s5(&f.cache), s4(&f.cache), s3(&f.cache));
    let m = matrix_cells(&f.session, &f.cache, MatrixMode::Documents);
    assert_eq!(m.rows.len(), 11);
    // Documents with links, in cache order.
    let keys: Vec<&str> = m.columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, vec![INVOICE_MONTH, LETTER_2018, CONTRA, NOTE]);
    let note = m.cell(&s5.id, NOTE).expect("note cell");
    assert_eq!(
        (note.relation, note.count(), note.doc.as_str()),
        (Relation::Supports, 1, NOTE)
    );
    assert_eq!(note.quote, Some(char_span(&f.cache, NOTE, NOTE_QUOTE)));
    let contra = m.cell(&s5.id, CONTRA).expect("contra cell");
    assert_eq!(contra.relation, Relation::Contradicts);
    assert_eq!(
        m.cell(&s4.id, LETTER_2018).map(|c| c.relation),
        Some(Relation::Supports)
    );
    assert_eq!(
        m.cell(&s3.id, INVOICE_MONTH).map(|c| c.relation),
        Some(Relation::Context)
    );
    assert!(m.cell(&s4.id, NOTE).is_none());

    // By equipment, both Groza-S records fall in one cell: mixed, contradicts wins, count 2,
    // and a click opens the contradicting record at its quote.
    let m = matrix_cells(&f.session, &f.cache, MatrixMode::Equipment);
    let groza = m.cell(&s5.id, "Groza-S").expect("Groza-S cell");
    assert_eq!(
        (
            groza.relation,
            groza.count(),
            groza.supports,
            groza.contradicts
        ),
        (Relation::Contradicts, 2, 1, 1)
    );
    assert!(groza.is_mixed());
    assert_eq!(
        (groza.doc.as_str(), groza.quote),
        (CONTRA, Some(char_span(&f.cache, CONTRA, CONTRA_QUOTE)))
    );

    // By sender.
    let m = matrix_cells(&f.session, &f.cache, MatrixMode::Senders);
    assert_eq!(
        m.cell(&s4.id, AGENCY).map(|c| c.doc.as_str()),
        Some(LETTER_2018)
    );
    assert_eq!(
        m.cell(&s5.id, "Ministry of Defence of Azerbaijan")
            .map(|c| c.relation),
        Some(Relation::Contradicts)
    );

    // The rule and the colours: green, red, blue.
    assert_eq!(dominant_relation(3, 1, 2), Some(Relation::Contradicts));
    assert_eq!(dominant_relation(1, 0, 5), Some(Relation::Supports));
    assert_eq!(dominant_relation(0, 0, 1), Some(Relation::Context));
    assert_eq!(dominant_relation(0, 0, 0), None);
    for dark in [false, true] {
        let [g, r, b] = [Relation::Supports, Relation::Contradicts, Relation::Context]
            .map(|x| relation_color(x, dark));
        assert!(g.g() > g.r() && g.g() > g.b(), "supports is green: {g:?}");
        assert!(r.r() > r.g() && r.r() > r.b(), "contradicts is red: {r:?}");
        assert!(b.b() > b.r() && b.b() > b.g(), "context is blue: {b:?}");
    }
}

#[test]
fn entity_counts_combine_after_a_merge() {
    let f = fixture();
    let t = entity_counts(&f.session, &f.cache);
    let agency = t.get(EntityKind::Sender, AGENCY).expect("agency");
    // Cache order (the passports' folder sorts last).
    assert_eq!(
        agency.documents,
        vec![LETTER_2018, MINUTES_YEAR, PASSPORT_2015]
    );
    assert_eq!(
        t.get(EntityKind::Sender, AGENCY_RU)
            .map(|e| e.documents.len()),
        Some(1)
    );
    assert_eq!(
        t.get(EntityKind::Equipment, "Groza-S")
            .map(|e| e.documents.len()),
        Some(2)
    );
    assert_eq!(
        t.senders.first().map(|e| e.name.as_str()),
        Some(AGENCY),
        "most documents first"
    );
    assert!(merge_names(&f.session, &f.cache, EntityKind::Sender).contains(&AGENCY_RU.to_owned()));
    assert_eq!(merge_problem(&f.session, AGENCY_RU, AGENCY), None);
    assert!(merge_problem(&f.session, AGENCY, AGENCY).is_some());

    // Who sent what to whom.
    let edges = entity_edges(&f.session, &f.cache);
    let e = edges
        .iter()
        .find(|e| e.sender == AGENCY && e.equipment == "OV-7M panoramic artillery sight")
        .expect("agency → OV-7M edge");
    assert_eq!(
        (e.recipient.as_str(), e.documents.clone()),
        (
            "Ministry of Defence of Azerbaijan",
            vec![PASSPORT_2015.to_owned()]
        )
    );

    let mut merged = f.session.clone();
    let merge = Command::MergeEntity {
        from: AGENCY_RU.into(),
        into: AGENCY.into(),
    };
    session::apply(&mut merged, &f.cache, &merge).expect("merge");
    let t = entity_counts(&merged, &f.cache);
    let agency = t.get(EntityKind::Sender, AGENCY).expect("agency");
    assert_eq!(
        agency.documents,
        vec![LETTER_2018, LETTER_RU, MINUTES_YEAR, PASSPORT_2015]
    );
    assert_eq!(
        agency.spellings,
        vec![AGENCY.to_owned(), AGENCY_RU.to_owned()]
    );
    assert!(t.get(EntityKind::Sender, AGENCY_RU).is_none());
    assert!(
        entity_edges(&merged, &f.cache)
            .iter()
            .all(|e| e.sender != AGENCY_RU)
    );
    assert!(
        merge_problem(&merged, AGENCY, AGENCY_RU).is_some(),
        "a merge cannot be reversed into a cycle"
    );
}

#[test]
fn coverage_lists_what_is_missing_first() {
    let f = fixture();
    let rows = coverage_rows(&f.session, &f.cache);
    let order: Vec<(&str, ClaimStatus)> = rows.iter().map(|r| (r.id.as_str(), r.status)).collect();
    let (s3, s4, s5) = (s3(&f.cache).id, s4(&f.cache).id, s5(&f.cache).id);
    assert_eq!(order.len(), 11);
    assert!(
        order[..9]
            .iter()
            .all(|(_, s)| *s == ClaimStatus::Unsupported)
    );
    assert_eq!(order[9], (s5.as_str(), ClaimStatus::Contested));
    assert_eq!(order[10], (s4.as_str(), ClaimStatus::Supported));
    // Article order within a standing.
    let unsupported: Vec<&str> = order[..9].iter().map(|(id, _)| *id).collect();
    assert_eq!(
        unsupported,
        vec!["S1", "S2", "S3", "S6", "S7", "S8", "S9", "S10", "S11"]
    );
    let r3 = rows.iter().find(|r| r.id == s3).expect("S3");
    assert_eq!(
        (r3.context, r3.supports),
        (1, 0),
        "context alone does not support"
    );
    let c = coverage_counts(&rows);
    assert_eq!((c.unsupported, c.contested, c.supported), (9, 1, 1));
}

// ----- the views in a window -----

struct Ui {
    f: Fixture,
    views: ViewsState,
    actions: Vec<ViewAction>,
}

fn harness(kind: ViewKind) -> Harness<'static, Ui> {
    let f = fixture();
    let mut views = ViewsState::default();
    views.kind = kind;
    let mut h = harness_builder().with_size([1300.0, 850.0]).build_ui_state(
        |ui, s: &mut Ui| {
            let suggestions = s.f.suggestions.clone();
            let suggest = move |id: &str| suggestions.get(id).cloned();
            let out = views_ui(ui, &mut s.views, &s.f.session, &s.f.cache, &suggest);
            s.actions.extend(out);
        },
        Ui {
            f,
            views,
            actions: Vec::new(),
        },
    );
    h.run();
    h
}

fn take(h: &mut Harness<'static, Ui>) -> Vec<ViewAction> {
    std::mem::take(&mut h.state_mut().actions)
}

#[test]
fn timeline_view_opens_the_clicked_mark_and_shows_the_title_on_hover() {
    let mut h = harness(ViewKind::Timeline);
    h.get_by_label("claimed period 2018-01-01 – 2022-12-31");
    assert!(shown_marks(&h.state().views).iter().any(|m| m.doc == NOTE));

    // Click the note's dot: the note opens at the date written in its text.
    let pos = timeline_mark_pos(&h.state().views, NOTE).expect("the note's mark is in view");
    click_at(&mut h, pos);
    let note = h.state().f.cache.document(NOTE).expect("note");
    let expected = date_in_text(note, PartialDate::parse_iso("2020-09-14").expect("date"));
    assert!(expected.is_some());
    assert_eq!(
        take(&mut h),
        vec![ViewAction::OpenDocument {
            doc: NOTE.into(),
            quote: expected
        }]
    );

    // A partial date's span opens its document too.
    let pos =
        timeline_mark_pos(&h.state().views, INVOICE_MONTH).expect("the invoice's span is in view");
    click_at(&mut h, pos);
    let actions = take(&mut h);
    assert!(
        matches!(actions.as_slice(), [ViewAction::OpenDocument { doc, .. }] if doc == INVOICE_MONTH),
        "{actions:?}"
    );

    // Hovering the 2015 passport shows its title and the warning.
    let pos =
        timeline_mark_pos(&h.state().views, PASSPORT_2015).expect("the passport's mark is in view");
    h.event(egui::Event::PointerMoved(pos));
    // Tooltips wait for the pointer to rest (egui's tooltip delay).
    h.run_steps(60);
    h.get_by_label(PASSPORT_2015_TITLE);
    h.get_by_label("outside the article's claimed period");

    // A click beside every mark opens nothing.
    click_at(
        &mut h,
        Pos2::new(pos.x, pos.y + 400.0).min(Pos2::new(1290.0, 840.0)),
    );
    assert!(take(&mut h).is_empty());

    // Lanes by equipment.
    h.event(egui::Event::PointerGone);
    click(&mut h, "Equipment");
    assert_eq!(h.state().views.timeline.lanes, LaneMode::Equipment);
    assert!(
        shown_marks(&h.state().views)
            .iter()
            .any(|m| m.lane == "Groza-S" && m.doc == CONTRA)
    );
    // Relevant and key only: the unreviewed 2016 memo goes.
    assert!(
        shown_marks(&h.state().views)
            .iter()
            .any(|m| m.doc == MEMO_2016)
    );
    click(&mut h, "Relevant and key only");
    assert!(
        !shown_marks(&h.state().views)
            .iter()
            .any(|m| m.doc == MEMO_2016)
    );
    assert!(timeline_mark_pos(&h.state().views, CONTRA).is_some());
}

#[test]
fn matrix_view_opens_the_clicked_cell_at_its_quote() {
    let mut h = harness(ViewKind::Timeline);
    click(&mut h, "Evidence matrix");
    assert_eq!(h.state().views.kind, ViewKind::Matrix);
    let (s5, s4) = (s5(&h.state().f.cache).id, s4(&h.state().f.cache).id);
    let contra_span = char_span(&h.state().f.cache, CONTRA, CONTRA_QUOTE);

    click(
        &mut h,
        &format!("{s5} × {CONTRA}: contradicts (1 contradicts)"),
    );
    assert_eq!(
        take(&mut h),
        vec![ViewAction::OpenDocument {
            doc: CONTRA.into(),
            quote: Some(contra_span)
        }]
    );

    let letter_span = char_span(&h.state().f.cache, LETTER_2018, LETTER_QUOTE);
    click(
        &mut h,
        &format!("{s4} × {LETTER_2018}: supports (1 supports)"),
    );
    assert_eq!(
        take(&mut h),
        vec![ViewAction::OpenDocument {
            doc: LETTER_2018.into(),
            quote: Some(letter_span)
        }]
    );

    // The row header selects the statement.
    click(&mut h, &format!("Select statement {s5}"));
    assert_eq!(take(&mut h), vec![ViewAction::SelectStatement(s5.clone())]);

    // By equipment: the mixed Groza-S cell is red and opens the contradicting record.
    click(&mut h, "Equipment");
    assert_eq!(h.state().views.matrix.mode, MatrixMode::Equipment);
    click(
        &mut h,
        &format!("{s5} × Groza-S: contradicts (1 supports, 1 contradicts)"),
    );
    assert_eq!(
        take(&mut h),
        vec![ViewAction::OpenDocument {
            doc: CONTRA.into(),
            quote: Some(contra_span)
        }]
    );

    // By sender.
    click(&mut h, "Senders");
    click(&mut h, &format!("{s4} × {AGENCY}: supports (1 supports)"));
    assert_eq!(
        take(&mut h),
        vec![ViewAction::OpenDocument {
            doc: LETTER_2018.into(),
            quote: Some(letter_span)
        }]
    );
}

/// Picks an option of an open combo box popup (the option, not a label with the same text).
fn pick_option(h: &mut Harness<'static, Ui>, combo: &str, option: &str) {
    click(h, combo);
    let node = h
        .query_all_by_label(option)
        .find(|n| n.accesskit_node().role() != Role::Label)
        .unwrap_or_else(|| panic!("no option {option:?} in {combo}"));
    node.click();
    h.run();
}

#[test]
fn entities_view_merges_two_spellings_through_the_form() {
    let mut h = harness(ViewKind::Entities);
    // The Merge button waits for two names.
    assert!(h.get_by_label("Merge").accesskit_node().is_disabled());
    pick_option(&mut h, "Merge spelling:", AGENCY_RU);
    pick_option(&mut h, "into:", AGENCY);
    assert_eq!(h.state().views.entities.merge_from, AGENCY_RU);
    assert_eq!(h.state().views.entities.merge_into, AGENCY);
    click(&mut h, "Merge");
    let merge = Command::MergeEntity {
        from: AGENCY_RU.into(),
        into: AGENCY.into(),
    };
    assert_eq!(take(&mut h), vec![ViewAction::Apply(merge.clone())]);

    // The app applies it; the view shows the combined entity and the merge in effect.
    {
        let s = h.state_mut();
        session::apply(&mut s.f.session, &s.f.cache, &merge).expect("merge");
    }
    h.run();
    h.get_by_label("1 merges in effect");
    h.get_by_label(&format!("Open the first document of {AGENCY} (4)"));
    assert!(
        h.query_by_label(&format!("Open the first document of {AGENCY_RU} (1)"))
            .is_none()
    );

    // The count opens the first document; an edge's document id opens that document.
    click(&mut h, &format!("Open the first document of {AGENCY} (4)"));
    assert_eq!(
        take(&mut h),
        vec![ViewAction::OpenDocument {
            doc: LETTER_2018.into(),
            quote: None
        }]
    );
    click(
        &mut h,
        &format!(
            "Open {LETTER_RU}: {AGENCY} → ОАО «Пряжа-Сигнал» (вымышл.) (Pryazha-4 jamming station)"
        ),
    );
    assert_eq!(
        take(&mut h),
        vec![ViewAction::OpenDocument {
            doc: LETTER_RU.into(),
            quote: None
        }]
    );

    // Sorting the edges by sender.
    click(&mut h, "Sort edges by sender");
    assert_eq!(
        h.state().views.entities.sort,
        doctriage::gui::views::entities::EdgeSort::Sender
    );
    assert!(h.state().views.entities.ascending);
}

#[test]
fn coverage_view_selects_the_clicked_statement() {
    let mut h = harness(ViewKind::Coverage);
    h.get_by_label("9 unsupported");
    h.get_by_label("1 contested");
    h.get_by_label("1 supported");
    let s5 = s5(&h.state().f.cache).id;
    click(&mut h, &format!("Coverage of {s5}: contested"));
    assert_eq!(take(&mut h), vec![ViewAction::SelectStatement(s5)]);
    // Unsupported rows come first on screen.
    let y = |h: &Harness<'static, Ui>, label: &str| h.get_by_label(label).rect().center().y;
    assert!(y(&h, "Coverage of S1: unsupported") < y(&h, "Coverage of S5: contested"));
    assert!(
        y(&h, "Coverage of S5: contested")
            < y(
                &h,
                &format!("Coverage of {}: supported", s4(&h.state().f.cache).id)
            )
    );
}

#[test]
fn each_view_offers_to_save_itself_as_png() {
    let mut h = harness(ViewKind::Timeline);
    for kind in ViewKind::ALL {
        click(&mut h, kind.label());
        click(&mut h, "Save view as PNG…");
        assert_eq!(take(&mut h), vec![ViewAction::SavePng(kind)]);
        let rect = last_view_rect(&h.state().views).expect("the view's rect");
        assert!(
            rect.width() > 100.0 && rect.height() > 100.0,
            "{kind:?}: {rect:?}"
        );
    }

    // The screenshot of the next frame, cropped to the view, lands in the file.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("coverage.png");
    let rect = last_view_rect(&h.state().views).expect("rect");
    let job = request_png(&h.ctx, rect, path.clone());
    h.run();
    assert_eq!(job.poll(), Some(Ok(path.clone())));
    let bytes = std::fs::read(&path).expect("png written");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!(
        (info.width, info.height),
        (rect.width().round() as u32, rect.height().round() as u32)
    );
}

#[test]
fn save_png_crops_to_the_rect_and_refuses_an_empty_one() {
    // A 4×3 image at 2 pixels per point: the rect (1,0)-(2,1) in points is pixels 2..4 × 0..2.
    let pixels: Vec<Color32> = (0..12u8).map(|i| Color32::from_rgb(i * 20, 0, 0)).collect();
    let image = egui::ColorImage::new([4, 3], pixels);
    let rect = egui::Rect::from_min_max(egui::pos2(1.0, 0.0), egui::pos2(2.0, 1.0));
    let bytes = png_bytes(&image, rect, 2.0).expect("png");
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("png");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut buf).expect("frame");
    assert_eq!((frame.width, frame.height), (2, 2));
    let reds: Vec<u8> = buf[..frame.buffer_size()].chunks(4).map(|p| p[0]).collect();
    assert_eq!(reds, vec![40, 60, 120, 140]);

    let dir = tempfile::tempdir().expect("tempdir");
    let outside = egui::Rect::from_min_max(egui::pos2(10.0, 10.0), egui::pos2(20.0, 20.0));
    assert!(save_png(&image, outside, 1.0, &dir.path().join("x.png")).is_err());
    assert!(!dir.path().join("x.png").exists());
}
