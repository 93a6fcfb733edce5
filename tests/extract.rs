//! Folding, gazetteer matching, date recognition and suggestions.

mod common;

use common::chars;
use doctriage::extract::{Extractor, find_dates, parse_date, suggest};
use doctriage::fold::{fold, fold_with_map};
use doctriage::gazetteer::{self, Matcher, canonical, merge};
use doctriage::{Document, Gazetteer, GazetteerEntry, Origin, PartialDate};

fn entry(name: &str, aliases: &[&str]) -> GazetteerEntry {
    GazetteerEntry {
        name: name.to_string(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        category: None,
    }
}

fn ymd(y: i32, m: u32, d: u32) -> PartialDate {
    PartialDate::ymd(y, m, d).expect("valid day")
}

fn ym(y: i32, m: u32) -> PartialDate {
    PartialDate::ym(y, m).expect("valid month")
}

/// The single date found in `text`, checked to quote exactly `quote`.
fn one_date(text: &str, quote: &str) -> PartialDate {
    let hits = find_dates(text);
    assert_eq!(hits.len(), 1, "{text:?}: {hits:?}");
    let h = hits[0];
    assert_eq!(chars(text, h.start, h.end), quote, "{text:?}");
    h.date
}

// ---------- fold ----------

#[test]
fn fold_makes_cyrillic_and_latin_spellings_equal() {
    assert_eq!(fold("Гроза-С"), "groza s");
    assert_eq!(fold("Groza-S"), "groza s");
    assert_eq!(fold("  GROZA   s "), "groza s");
    assert_eq!(fold("groza\u{2011}s"), "groza s");
    assert_eq!(fold("Гроза—С"), "groza s");
    assert_eq!(fold("a_b.c/d"), "a b c d");
}

#[test]
fn fold_removes_diacritics_and_uses_common_transliteration() {
    assert_eq!(fold("Əliyev"), "eliyev");
    assert_eq!(fold("Azərbaycan"), "azerbaycan");
    assert_eq!(fold("Gödəkçə İş"), "godekce is");
    assert_eq!(fold("Ёлка"), "elka");
    assert_eq!(fold("Октябрь"), "oktyabr");
    assert_eq!(fold("май"), "may");
    assert_eq!(fold("Харьков"), "kharkov");
    assert_eq!(fold("Белоруснефть"), "belorusneft");
    assert_eq!(fold("février"), "fevrier");
}

#[test]
fn fold_map_points_back_to_source_chars() {
    let s = "  Гроза — С»";
    let (f, map) = fold_with_map(s);
    assert_eq!(f, "groza s>>");
    assert_eq!(map.len(), f.chars().count() + 1);
    assert_eq!(*map.last().unwrap(), s.chars().count());
    assert_eq!(map[0], 2); // г
    assert_eq!(map[5], 7); // the separator run starts at the space before the dash
    assert_eq!(map[6], 10); // с
    assert_eq!(map[7], 11); // » → ">>"
    assert_eq!(map[8], 11);

    let (f, map) = fold_with_map("Жук");
    assert_eq!(f, "zhuk");
    assert_eq!(map, vec![0, 0, 1, 2, 3]);
}

// ---------- gazetteer ----------

fn equipment() -> Vec<GazetteerEntry> {
    vec![
        entry("Groza-S", &["Гроза-С", "Groza S"]),
        entry("Groza", &[]),
        entry("1L122 radar", &["1Л122", "1L122"]),
    ]
}

#[test]
fn matcher_finds_cyrillic_spelling_with_exact_offsets() {
    let m = Matcher::new(&equipment());
    let text = "Поставка станции «Гроза-С» для ВС АР.";
    let hits = m.find(text);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].name, "Groza-S");
    assert_eq!(hits[0].entry, 0);
    assert_eq!(chars(text, hits[0].start, hits[0].end), "Гроза-С");
}

#[test]
fn matcher_accepts_hyphen_space_and_case_variants() {
    let m = Matcher::new(&equipment());
    for variant in [
        "Groza S",
        "Groza-S",
        "GROZA-S",
        "groza\u{2011}s",
        "Groza – S",
        "ГРОЗА-С",
    ] {
        let text = format!("two {variant} units.");
        let hits = m.find(&text);
        assert_eq!(hits.len(), 1, "{variant}: {hits:?}");
        assert_eq!(hits[0].name, "Groza-S", "{variant}");
        assert_eq!(chars(&text, hits[0].start, hits[0].end), variant);
    }
}

#[test]
fn matcher_is_whole_word() {
    let m = Matcher::new(&equipment());
    assert!(
        m.find("the Groza-Sx system")
            .iter()
            .all(|h| h.name != "Groza-S")
    );
    // "Groza" alone is an entry of its own, but not inside a longer word.
    let hits = m.find("Grozamatic and Groza-Sx");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].name, "Groza");
    assert_eq!(
        chars("Grozamatic and Groza-Sx", hits[0].start, hits[0].end),
        "Groza"
    );
    assert!(m.find("X1L122").is_empty());
}

#[test]
fn matcher_prefers_longest_match_without_overlaps() {
    let m = Matcher::new(&equipment());
    let text = "Groza-S, then Groza, then 1Л122 and Groza S.";
    let hits = m.find(text);
    let got: Vec<(String, String)> = hits
        .iter()
        .map(|h| (h.name.clone(), chars(text, h.start, h.end)))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Groza-S".to_string(), "Groza-S".to_string()),
            ("Groza".to_string(), "Groza".to_string()),
            ("1L122 radar".to_string(), "1Л122".to_string()),
            ("Groza-S".to_string(), "Groza S".to_string()),
        ]
    );
}

#[test]
fn matcher_offsets_survive_dropped_and_expanded_chars() {
    let m = Matcher::new(&[
        entry("Belorusneft", &["Белоруснефть"]),
        entry("Khimprom", &[]),
    ]);
    let text = "Жёлтый «Белоруснефть», Химпром.";
    let hits = m.find(text);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(chars(text, hits[0].start, hits[0].end), "Белоруснефть");
    assert_eq!(chars(text, hits[1].start, hits[1].end), "Химпром");
    // At the very end of the text, trailing punctuation is not part of the quote.
    let text = "made by Belorusneft.  ";
    let hits = m.find(text);
    assert_eq!(chars(text, hits[0].start, hits[0].end), "Belorusneft");
}

#[test]
fn canonical_and_merge() {
    let eq = equipment();
    assert_eq!(canonical(&eq, "ГРОЗА С").as_deref(), Some("Groza-S"));
    assert_eq!(canonical(&eq, "groza"), Some("Groza".to_string()));
    assert_eq!(canonical(&eq, "Krasukha"), None);

    let base = Gazetteer {
        equipment: eq,
        organisations: vec![entry("SAEA", &[])],
    };
    let extra = Gazetteer {
        equipment: vec![
            entry("groza s", &["Grosa-S", "Гроза-С"]),
            entry("Krasukha-4", &[]),
        ],
        organisations: vec![],
    };
    let merged = merge(base, extra);
    assert_eq!(merged.equipment.len(), 4);
    assert_eq!(merged.equipment[0].name, "Groza-S");
    assert_eq!(
        merged.equipment[0].aliases,
        vec!["Гроза-С", "Groza S", "Grosa-S"]
    );
    assert_eq!(merged.equipment[3].name, "Krasukha-4");
    assert_eq!(merged.organisations.len(), 1);
}

#[test]
fn builtin_gazetteer_knows_groza_s() {
    let g = gazetteer::builtin();
    assert_eq!(
        canonical(&g.equipment, "Гроза-С").as_deref(),
        Some("Groza-S")
    );
    let parsed = gazetteer::parse(r#"{"equipment":[{"name":"X"}]}"#).unwrap();
    assert_eq!(parsed.equipment[0].aliases, Vec::<String>::new());
    assert!(parsed.organisations.is_empty());
    assert!(gazetteer::parse("{").is_err());
}

// ---------- dates ----------

#[test]
fn numeric_dates() {
    assert_eq!(
        one_date("Dated 2019-03-14 in Minsk", "2019-03-14"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("от 14.03.2019 № 12", "14.03.2019"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("от 14.03.2019 г. № 12", "14.03.2019 г."),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("от 14.03.2019г. № 12", "14.03.2019г."),
        ymd(2019, 3, 14)
    );
    assert_eq!(one_date("on 14/03/2019.", "14/03/2019"), ymd(2019, 3, 14));
    assert_eq!(one_date("on 4.3.2019, ok", "4.3.2019"), ymd(2019, 3, 4));
    assert_eq!(
        one_date("at 2019-03-14T10:12:00+03:00", "2019-03-14"),
        ymd(2019, 3, 14)
    );
    assert_eq!(one_date("period 2019-03 only", "2019-03"), ym(2019, 3));
}

#[test]
fn rfc2822_date_in_text() {
    let text = "Date: Thu, 14 Mar 2019 10:12:00 +0300\nSubject: x";
    assert_eq!(
        one_date(text, "Thu, 14 Mar 2019 10:12:00 +0300"),
        ymd(2019, 3, 14)
    );
}

#[test]
fn english_dates() {
    assert_eq!(
        one_date("signed 14 March 2019 in Baku", "14 March 2019"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("signed 14 Mar 2019", "14 Mar 2019"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("signed 14 Mar. 2019", "14 Mar. 2019"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("the 14th of March, 2019", "14th of March, 2019"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("on March 14, 2019 we", "March 14, 2019"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("on Sept 3rd, 2020.", "Sept 3rd, 2020"),
        ymd(2020, 9, 3)
    );
    assert_eq!(
        one_date("INVOICE 14-MAR-2019", "14-MAR-2019"),
        ymd(2019, 3, 14)
    );
}

#[test]
fn spanish_dates() {
    assert_eq!(
        one_date("el 14 de marzo de 2019, Minsk", "14 de marzo de 2019"),
        ymd(2019, 3, 14)
    );
    assert_eq!(
        one_date("el 2 de septiembre del 2020", "2 de septiembre del 2020"),
        ymd(2020, 9, 2)
    );
    assert_eq!(
        one_date("en marzo de 2019 llegaron", "marzo de 2019"),
        ym(2019, 3)
    );
}

#[test]
fn russian_dates() {
    assert_eq!(
        one_date("Минск, «15» октября 2020 года", "«15» октября 2020 года"),
        ymd(2020, 10, 15)
    );
    assert_eq!(
        one_date("от 15 октября 2020 г. исх.", "15 октября 2020 г."),
        ymd(2020, 10, 15)
    );
    assert_eq!(
        one_date("от \"1\" июня 2021 г.", "\"1\" июня 2021 г."),
        ymd(2021, 6, 1)
    );
    assert_eq!(
        one_date("в марте 2019 года", "марте 2019 года"),
        ym(2019, 3)
    );
    assert_eq!(one_date("план на март 2019", "март 2019"), ym(2019, 3));
    assert_eq!(
        one_date("отчёт за октябрь 2020.", "октябрь 2020"),
        ym(2020, 10)
    );
    assert_eq!(
        one_date("с октября 2020 года", "октября 2020 года"),
        ym(2020, 10)
    );
    assert_eq!(
        one_date("в 2019 г. поставлено", "2019 г."),
        PartialDate::y(2019)
    );
}

#[test]
fn french_dates() {
    assert_eq!(
        one_date("Paris, le 3 juin 2020", "3 juin 2020"),
        ymd(2020, 6, 3)
    );
    assert_eq!(
        one_date("le 1er mars 2019,", "1er mars 2019"),
        ymd(2019, 3, 1)
    );
    assert_eq!(
        one_date("le 12 février 2019", "12 février 2019"),
        ymd(2019, 2, 12)
    );
}

#[test]
fn azerbaijani_dates() {
    assert_eq!(
        one_date("Bakı, 12 mart 2021-ci il", "12 mart 2021-ci il"),
        ymd(2021, 3, 12)
    );
    assert_eq!(
        one_date("5 noyabr 2020-ci il tarixli", "5 noyabr 2020-ci il"),
        ymd(2020, 11, 5)
    );
    assert_eq!(
        one_date("1 sentyabr 2019-cu ildə", "1 sentyabr 2019-cu ildə"),
        ymd(2019, 9, 1)
    );
    assert_eq!(
        one_date("26 avqust 2022-ci il", "26 avqust 2022-ci il"),
        ymd(2022, 8, 26)
    );
    assert_eq!(one_date("mart 2021 ayında", "mart 2021"), ym(2021, 3));
    assert_eq!(
        one_date("2020-ci ildə", "2020-ci ildə"),
        PartialDate::y(2020)
    );
}

#[test]
fn partial_dates_stay_partial() {
    assert_eq!(one_date("in March 2019 the", "March 2019"), ym(2019, 3));
    assert_eq!(
        one_date("deliveries in 2019.", "2019"),
        PartialDate::y(2019)
    );
    assert_eq!(one_date("(2021)", "2021"), PartialDate::y(2021));
    for h in find_dates("March 2019, 2019, marzo de 2019, октября 2020 года, mart 2021")
    {
        assert!(h.date.day.is_none(), "{h:?}");
    }
    // A month and a day without a year is not a date.
    assert!(find_dates("on 14 March the shipment").is_empty());
    assert!(find_dates("on March 14 the shipment").is_empty());
}

#[test]
fn year_ranges_give_both_years() {
    let text = "in 2018-2022 and 2019–2020";
    let got: Vec<_> = find_dates(text)
        .iter()
        .map(|h| (h.date.year, chars(text, h.start, h.end)))
        .collect();
    assert_eq!(
        got,
        vec![
            (2018, "2018".to_string()),
            (2022, "2022".to_string()),
            (2019, "2019".to_string()),
            (2020, "2020".to_string())
        ]
    );
}

#[test]
fn invalid_calendar_dates_are_rejected() {
    assert!(find_dates("от 31.02.2019 г.").is_empty());
    assert!(find_dates("on 31 February 2019").is_empty());
    assert!(find_dates("on 2019-02-30").is_empty());
    assert!(find_dates("on 2019-13-01").is_empty());
    assert!(find_dates("on 03/14/2019").is_empty());
}

#[test]
fn references_numbers_and_amounts_are_not_dates() {
    for text in [
        "Ref. SAEA/2019/114 attached",
        "No. 2019 of the register",
        "№ 2019",
        "invoice #2019",
        "version 3.2019",
        "value 2019.5",
        "12,2019",
        "tel. +375 17 2019 345",
        "tel. +375 (17) 2019-34-56",
        "code AB2019",
        "2019th",
        "12019 and 20190",
        "year 1850 and 2150",
        "ref 2019-114",
        "price $2019",
        "14.03.2019/5",
        "see RFC 2047 and ISO 2022",
        "ГОСТ 2019",
    ] {
        assert!(
            find_dates(text).is_empty(),
            "{text:?}: {:?}",
            find_dates(text)
        );
    }
}

#[test]
fn dates_are_found_in_text_order_without_overlap() {
    let text =
        "Письмо от 14.03.2019 г. о поставке в апреле 2019 года; ответ 2019-04-02.\nMarch 2020";
    let hits = find_dates(text);
    let got: Vec<String> = hits.iter().map(|h| h.date.to_string()).collect();
    assert_eq!(got, vec!["2019-03-14", "2019-04", "2019-04-02", "2020-03"]);
    for w in hits.windows(2) {
        assert!(w[0].end <= w[1].start);
    }
    assert_eq!(chars(text, hits[1].start, hits[1].end), "апреле 2019 года");
}

#[test]
fn parse_date_on_metadata_values() {
    assert_eq!(
        parse_date("Thu, 14 Mar 2019 10:12:00 +0300"),
        Some(ymd(2019, 3, 14))
    );
    assert_eq!(
        parse_date("14 Mar 2019 10:12:00 GMT"),
        Some(ymd(2019, 3, 14))
    );
    assert_eq!(parse_date("2019-03-14"), Some(ymd(2019, 3, 14)));
    assert_eq!(parse_date(" 2019-03 "), Some(ym(2019, 3)));
    assert_eq!(parse_date("2019"), Some(PartialDate::y(2019)));
    assert_eq!(
        parse_date("2019-03-14T10:12:00+03:00"),
        Some(ymd(2019, 3, 14))
    );
    assert_eq!(parse_date("2019-03-14 10:12"), Some(ymd(2019, 3, 14)));
    assert_eq!(parse_date("14.03.2019"), Some(ymd(2019, 3, 14)));
    assert_eq!(parse_date("03/2019"), Some(ym(2019, 3)));
    // Found by fuzzing: a zero-padded "year" is no year (and could not be written back as ISO).
    assert_eq!(parse_date("6/0020"), None);
    assert_eq!(parse_date("15 октября 2020 года"), Some(ymd(2020, 10, 15)));
    assert_eq!(parse_date("marzo de 2019"), Some(ym(2019, 3)));
    assert_eq!(parse_date("31.02.2019"), None);
    assert_eq!(parse_date("SAEA/2019/114"), None);
    assert_eq!(parse_date(""), None);
    assert_eq!(parse_date("unknown"), None);
}

#[test]
fn find_dates_never_panics_on_odd_input() {
    for text in [
        "",
        "«",
        "«1»",
        "1",
        "14.",
        "14.03.",
        "March",
        "Thu,",
        "2019-",
        "-2019-",
        "Thu, 14 Mar 2019 10:",
        "1-го",
    ] {
        let _ = find_dates(text);
        let _ = parse_date(text);
    }
    assert_eq!(
        one_date("1-го марта 2019 г.", "1-го марта 2019 г."),
        ymd(2019, 3, 1)
    );
}

// ---------- suggestions ----------

fn test_gazetteer() -> Gazetteer {
    Gazetteer {
        equipment: vec![
            entry("Groza-S", &["Гроза-С", "Groza S"]),
            entry("Polonez", &["Полонез"]),
        ],
        organisations: vec![
            entry(
                "State Authority for Military Industry",
                &["Госкомвоенпром", "SAMI"],
            ),
            entry("Ministry of Defence of Azerbaijan", &["MoD Azerbaijan"]),
        ],
    }
}

#[test]
fn suggest_uses_metadata_letterhead_and_text() {
    let text = "\
ГОСКОМВОЕНПРОМ
Республики Беларусь

Исх. № SAEA/2019/114 от 14.03.2019 г.

О поставке станций «Гроза-С» (две единицы) и РСЗО Полонез.
Станции Groza-S будут отгружены в апреле 2019 года.
Связь с MoD Azerbaijan — через посольство.
1
2
3
4
5
6
7
8
9
Директор";
    let doc = Document {
        id: "d1".into(),
        date: Some("2019-03-14".into()),
        meta_origin: Some(Origin::Header),
        sender: Some("SAMI".into()),
        text: text.into(),
        ..Default::default()
    };
    let s = Extractor::new(&test_gazetteer()).suggest(&doc);
    assert_eq!(s, suggest(&doc, &test_gazetteer()));

    // Dates: header first; the text date with the same value is not repeated.
    let dates: Vec<(&str, Origin, Option<&str>)> = s
        .dates
        .iter()
        .map(|c| (c.value.as_str(), c.origin, c.quote.as_deref()))
        .collect();
    assert_eq!(
        dates,
        vec![
            ("2019-03-14", Origin::Header, None),
            ("2019-04", Origin::Text, Some("апреле 2019 года"))
        ]
    );

    // Senders: the header's abbreviation canonicalised; the letterhead names the same
    // organisation; MoD Azerbaijan (mid-text) is neither letterhead nor signature.
    assert_eq!(s.senders.len(), 1, "{:?}", s.senders);
    assert_eq!(s.senders[0].value, "State Authority for Military Industry");
    assert_eq!(s.senders[0].origin, Origin::Header);
    assert_eq!(s.senders[0].quote, None);

    // Equipment: one candidate per canonical name, first occurrence, exact quotes.
    let eq: Vec<(&str, &str)> = s
        .equipment
        .iter()
        .map(|c| (c.value.as_str(), c.quote.as_deref().unwrap()))
        .collect();
    assert_eq!(eq, vec![("Groza-S", "Гроза-С"), ("Polonez", "Полонез")]);
    for c in s
        .dates
        .iter()
        .chain(&s.equipment)
        .filter(|c| c.origin == Origin::Text)
    {
        assert_eq!(
            chars(text, c.start.unwrap(), c.end.unwrap()),
            c.quote.clone().unwrap(),
            "{c:?}"
        );
    }
}

#[test]
fn suggest_finds_letterhead_organisation_without_metadata() {
    let text = "MINISTRY OF DEFENCE OF AZERBAIJAN\nBaku\n\nTo: Госкомвоенпром\n\nRequest for Groza S spares.\n";
    let doc = Document {
        id: "d2".into(),
        text: text.into(),
        ..Default::default()
    };
    let s = suggest(&doc, &test_gazetteer());
    assert!(s.dates.is_empty());
    let senders: Vec<(&str, Origin, &str)> = s
        .senders
        .iter()
        .map(|c| (c.value.as_str(), c.origin, c.quote.as_deref().unwrap()))
        .collect();
    assert_eq!(
        senders,
        vec![(
            "Ministry of Defence of Azerbaijan",
            Origin::Text,
            "MINISTRY OF DEFENCE OF AZERBAIJAN"
        ),]
    );
    // The addressee (`To: …`) is a recipient, never a sender.
    let recipients: Vec<(&str, Origin, &str)> = s
        .recipients
        .iter()
        .map(|c| (c.value.as_str(), c.origin, c.quote.as_deref().unwrap()))
        .collect();
    assert_eq!(
        recipients,
        vec![(
            "State Authority for Military Industry",
            Origin::Text,
            "Госкомвоенпром"
        )]
    );
    let c = &s.senders[0];
    assert_eq!((c.start, c.end), (Some(0), Some(33)));
    assert_eq!(s.equipment.len(), 1);
    assert_eq!(s.equipment[0].quote.as_deref(), Some("Groza S"));
}

#[test]
fn suggest_keeps_unknown_sender_as_written_and_metadata_origin_default() {
    let doc = Document {
        id: "d3".into(),
        sender: Some("  Beltechexport JSC ".into()),
        date: Some("Thu, 14 Mar 2019 10:12:00 +0300".into()),
        text: "No dates here, ref SAEA/2019/114.".into(),
        ..Default::default()
    };
    let s = suggest(&doc, &Gazetteer::default());
    assert_eq!(s.senders.len(), 1);
    assert_eq!(s.senders[0].value, "Beltechexport JSC");
    assert_eq!(s.senders[0].origin, Origin::Metadata);
    assert_eq!(s.dates.len(), 1);
    assert_eq!(s.dates[0].value, "2019-03-14");
    assert_eq!(s.dates[0].origin, Origin::Metadata);
    assert!(s.equipment.is_empty());

    // A sender that mentions one known organisation is canonicalised to it.
    let ex = Extractor::new(&test_gazetteer());
    assert_eq!(
        ex.canonical_organisation("SAMI, Minsk").as_deref(),
        Some("State Authority for Military Industry")
    );
    assert_eq!(ex.canonical_organisation("Someone else"), None);
}
