//! Splitting the article into statements: the seed article and small fixtures in English,
//! Russian, Spanish and Markdown.

mod common;

use doctriage::article::{
    normalize_whitespace, parse_article, split_sentences, statement_by_id, statement_by_text,
    statement_spans,
};
use doctriage::{Article, sha256_hex};

/// A fixture of `tests/fixtures/article/`, parsed.
fn parse_fixture(name: &str) -> Article {
    let text = common::fixture_text(&format!("article/{name}"));
    parse_article(&text, sha256_hex(text.as_bytes()))
}

fn texts(article: &Article) -> Vec<&str> {
    article.statements.iter().map(|s| s.text.as_str()).collect()
}

/// Ids are S1..Sn in order, and each statement is its span's text with whitespace collapsed.
fn assert_consistent(article: &Article) {
    let chars: Vec<char> = article.text.chars().collect();
    let spans = statement_spans(article);
    assert_eq!(spans.len(), article.statements.len());
    for (i, (st, &(s, e))) in article.statements.iter().zip(&spans).enumerate() {
        assert_eq!(st.id, format!("S{}", i + 1));
        assert!(s < e && e <= chars.len(), "{st:?} span {s}..{e}");
        let slice: String = chars[s..e].iter().collect();
        assert_eq!(slice.trim(), slice, "span is trimmed");
        assert_eq!(
            normalize_whitespace(&slice),
            st.text,
            "span {s}..{e} of {}",
            st.id
        );
    }
    for w in spans.windows(2) {
        assert!(w[0].1 <= w[1].0, "spans are ordered and disjoint: {w:?}");
    }
}

#[test]
fn fixture_copy_of_seed_is_verbatim() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/article_es.txt");
    // The seed lives outside the repository; compare only when it is present.
    if let Ok(original) = std::fs::read(seed) {
        let copy = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/article/article_es.txt"
        ))
        .unwrap();
        assert_eq!(original, copy);
    }
}

#[test]
fn seed_article_splits_into_eleven_statements() {
    let text = common::fixture_text("article/article_es.txt");
    // The seed has no trailing newline; the last sentence still ends the last statement.
    assert!(text.ends_with("del propio Kremlin."));
    let a = parse_article(&text, sha256_hex(text.as_bytes()));
    assert_eq!(a.title, None);
    assert_eq!(a.text, text);
    assert_eq!(a.sha256, sha256_hex(text.as_bytes()));
    assert_eq!(a.statements.len(), 11, "{:#?}", texts(&a));
    assert_consistent(&a);

    let s = texts(&a);
    assert!(
        s[0].starts_with("Bielorrusia ha entregado armas avanzadas al archienemigo de Armenia")
    );
    assert!(s[0].ends_with("informa Politico."));
    assert_eq!(
        s[1],
        "El caché de archivos arroja nueva luz sobre la decisión de Armenia esta semana de anunciar que abandonará la alianza militar OTSC."
    );
    assert_eq!(
        s[3],
        "Los servicios ofrecidos incluyeron la modernización de equipos de artillería antiguos y el suministro de nuevos equipos utilizados para sistemas de guerra electrónica y drones."
    );
    assert_eq!(
        s[8],
        "A pesar de que en el papel es un aliado de Armenia, el presidente bielorruso, Alexander Lukashenko, describió anteriormente al presidente de Azerbaiyán, Ilham Aliyev, como “nuestro hombre” y dijo que sería “incorrecto” que la OTSC se opusiera a él."
    );
    assert_eq!(
        s[9],
        "Aliyev, a su vez, anunció en 2022: \"Tenemos más amigos en la OTSC que Armenia\"."
    );
    assert_eq!(
        s[10],
        "Sin embargo, según los expertos, era poco probable que Bielorrusia –uno de los aliados más cercanos de Moscú– actuara sin el apoyo tácito del propio Kremlin."
    );
    assert!(s[10].ends_with("del propio Kremlin."));
}

#[test]
fn seed_groza_s_artefact_is_not_a_sentence_end() {
    // "Groza-S. -Estaciones": the period is followed by "-", not by a capital, digit or opening
    // quote, so the broken translation stays inside one statement.
    let a = parse_fixture("article_es.txt");
    let s5 = statement_by_id(&a, "S5").unwrap();
    assert!(
        s5.text
            .starts_with("Los documentos incluyen cartas de la agencia estatal bielorrusa")
    );
    assert!(
        s5.text.contains(
            "la compra del contraataque Groza-S. -Estaciones de guerra móviles con drones"
        )
    );
    assert!(s5.text.ends_with("para las fuerzas armadas de Azerbaiyán."));
    assert!(
        !a.statements
            .iter()
            .any(|s| s.text.starts_with("-Estaciones"))
    );
}

#[test]
fn seed_statement_lookup_by_text_and_id() {
    let a = parse_fixture("article_es.txt");
    let found = statement_by_text(
        &a,
        "  Aliyev, a su vez,\n anunció en 2022:   \"Tenemos más amigos en la OTSC que Armenia\".\n",
    )
    .unwrap();
    assert_eq!(found.id, "S10");
    assert!(statement_by_text(&a, "Aliyev, a su vez, anunció en 2022").is_none());
    assert_eq!(statement_by_id(&a, "S1").unwrap().id, "S1");
    assert!(statement_by_id(&a, "S12").is_none());
}

#[test]
fn english_abbreviations_initials_numbers_and_quotes() {
    let a = parse_fixture("english.txt");
    assert_consistent(&a);
    assert_eq!(
        texts(&a),
        vec![
            "The U.N. Security Council met on Jan. 5 to discuss the shipments.",
            "Mr. Smith and Dr. Jones of Acme Inc. said the deal was worth 3.5 million dollars, e.g. for sights and radios.",
            "President A. G. Lukashenko signed order No. 42 in Minsk.",
            "He called Ilham H. Aliyev \"our man.\"",
            "The U.S. State Department declined to comment.",
            "Was the deal approved by the U.S. Congress?",
            "Nobody knows...",
            "The documents, i.e. letters and invoices, cover 1.000.000 rounds.",
            "It cost about $2.5 billion.",
            "\"We will deliver,\" the minister said.",
            "Sanctions followed... and then nothing happened!",
        ]
    );
}

#[test]
fn english_acronym_before_a_sentence_opener_ends_the_sentence() {
    let a = parse_article(
        "Sanctions came from the U.S. The E.U. followed. Acme Inc. The firm denied it.",
        String::new(),
    );
    assert_eq!(
        texts(&a),
        vec![
            "Sanctions came from the U.S.",
            "The E.U. followed.",
            "Acme Inc.",
            "The firm denied it."
        ]
    );
}

#[test]
fn russian_abbreviations_initials_and_guillemets() {
    let a = parse_fixture("russian.txt");
    assert_consistent(&a);
    assert_eq!(
        texts(&a),
        vec![
            "В 2019 г. министр обороны посетил г. Минск.",
            "Поставки, т.е. прицелы и станции РЭБ, шли через ОАО «Белспецвнештехника».",
            "А. Г. Лукашенко назвал И. Алиева «нашим человеком».",
            "Переговоры шли в 2018–2022 гг. и завершились подписанием контракта, т. е. поставки были согласованы.",
            "Изучены письма, счета и т.д.",
            "Архив передан журналистам.",
            "Вопрос остаётся открытым?",
            "Да.",
            "Он сказал: «Это наш человек».",
        ]
    );
}

#[test]
fn russian_year_abbreviation_before_digit_and_quote_closing_inside() {
    let a = parse_article(
        "Контракт подписан в 2020 г. 15 марта поставки начались. Он сказал: «Это наш человек.» Потом уехал.",
        String::new(),
    );
    assert_eq!(
        texts(&a),
        vec![
            "Контракт подписан в 2020 г. 15 марта поставки начались.",
            "Он сказал: «Это наш человек.»",
            "Потом уехал.",
        ]
    );
}

#[test]
fn spanish_abbreviations_and_inverted_marks() {
    let a = parse_fixture("spanish.txt");
    assert_consistent(&a);
    assert_eq!(
        texts(&a),
        vec![
            "El Sr. Pérez y la Dra. Gómez viajaron a EE. UU. en marzo.",
            "Según la Sra. López, los envíos, p. ej. miras de artillería, costaron 3,5 millones de dólares.",
            "¿Quién autorizó la venta?",
            "Nadie lo sabe.",
            "¡Es un escándalo!",
            "La decisión fue de EE. UU.",
            "El gobierno no comentó.",
        ]
    );
}

#[test]
fn spanish_etc_ends_only_before_a_capital() {
    let a = parse_article(
        "Se enviaron miras, radios, etc. y se firmaron contratos. Llegaron cajas, sobres, etc. Luego nada.",
        String::new(),
    );
    assert_eq!(
        texts(&a),
        vec![
            "Se enviaron miras, radios, etc. y se firmaron contratos.",
            "Llegaron cajas, sobres, etc.",
            "Luego nada.",
        ]
    );
}

#[test]
fn markdown_title_headings_lists_quotes_and_paragraphs() {
    let a = parse_fixture("markdown.md");
    assert_eq!(
        a.title.as_deref(),
        Some("Belarus armed Azerbaijan, leaked files show")
    );
    assert_consistent(&a);
    assert_eq!(
        texts(&a),
        vec![
            "Belarus supplied artillery sights to Azerbaijan.",
            "The deliveries ran from 2018 to 2022.",
            "Minsk and Yerevan are allies in the CSTO",
            "Armenia announced it would leave.",
            "Lukashenko called Aliyev \"our man.\"",
            "He said so twice.",
            "The end",
        ]
    );
    // Neither the title nor the "## Background" heading is a statement.
    assert!(
        !a.statements
            .iter()
            .any(|s| s.text.contains("Background") || s.text.contains('#'))
    );
}

#[test]
fn blank_line_always_ends_a_statement() {
    let a = parse_article(
        "First part without a period\n\nsecond part starts lower\nand wraps.",
        String::new(),
    );
    assert_eq!(
        texts(&a),
        vec![
            "First part without a period",
            "second part starts lower and wraps."
        ]
    );
    // CRLF line endings and a byte-order mark behave the same.
    let b = parse_article(
        "\u{feff}# Title\r\n\r\nOne.\r\nTwo.\r\n\r\nThree",
        String::new(),
    );
    assert_eq!(b.title.as_deref(), Some("Title"));
    assert_eq!(texts(&b), vec!["One.", "Two.", "Three"]);
    assert_consistent(&b);
}

#[test]
fn title_only_from_a_leading_single_hash_line() {
    let a = parse_article("Intro line.\n# Not a title\nMore text.", String::new());
    assert_eq!(a.title, None);
    assert_eq!(texts(&a), vec!["Intro line.", "More text."]);
    let b = parse_article("## Section\n\nText.", String::new());
    assert_eq!(b.title, None);
    assert_eq!(texts(&b), vec!["Text."]);
    let c = parse_article("#hashtag is not a heading.", String::new());
    assert_eq!(c.title, None);
    assert_eq!(texts(&c), vec!["#hashtag is not a heading."]);
}

#[test]
fn split_sentences_offsets_are_char_offsets() {
    let text = "Él dijo «sí». Ávila respondió.\n\n  Ещё раз.  ";
    let spans = split_sentences(text);
    let chars: Vec<char> = text.chars().collect();
    let got: Vec<String> = spans
        .iter()
        .map(|&(s, e)| chars[s..e].iter().collect())
        .collect();
    assert_eq!(got, vec!["Él dijo «sí».", "Ávila respondió.", "Ещё раз."]);
    assert_eq!(spans, vec![(0, 13), (14, 30), (34, 42)]);
}

#[test]
fn empty_and_whitespace_text_give_no_statements() {
    for text in ["", "   ", "\n\n\t\n", "# Only a title\n"] {
        let a = parse_article(text, String::new());
        assert!(a.statements.is_empty(), "{text:?}");
        assert!(split_sentences(text).is_empty(), "{text:?}");
    }
}

#[test]
fn odd_input_does_not_panic() {
    let long_no_punct = "palabra ".repeat(20_000);
    let many_initials = "A. ".repeat(5_000);
    let many_dots = ".".repeat(10_000);
    let many_quotes = ">".repeat(3_000) + " text";
    let inputs: Vec<String> = vec![
        "...".into(),
        "?!".into(),
        "\"".into(),
        "« » “ ” \" '".into(),
        "!!! ??? ... …".into(),
        ". . . A".into(),
        "¿".into(),
        "#".into(),
        "# ".into(),
        "-".into(),
        "- ".into(),
        "1. ".into(),
        ">".into(),
        "> > >".into(),
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z. A".into(),
        "т. е. т. е. т. е. Москва".into(),
        "\u{feff}\u{200b}".into(),
        long_no_punct.clone(),
        many_initials,
        many_dots,
        many_quotes,
    ];
    for text in &inputs {
        let a = parse_article(text, String::new());
        assert_consistent(&a);
    }
    // Punctuation alone is not a statement.
    for text in [
        "...",
        "?!",
        "\"",
        "« » “ ” \" '",
        "!!! ??? ... …",
        "¿",
        "> > >",
    ] {
        assert!(
            parse_article(text, String::new()).statements.is_empty(),
            "{text:?}"
        );
    }
    // Text without any punctuation is one statement.
    let a = parse_article(&long_no_punct, String::new());
    assert_eq!(a.statements.len(), 1);
    assert_eq!(a.statements[0].text, long_no_punct.trim());
}
