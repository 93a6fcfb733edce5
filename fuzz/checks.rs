// The checks each fuzz target makes, shared with the regression test
// `fuzz_regressions_do_not_panic` in tests/robustness.rs (both `include!` this file).
// Each function must not panic on any input.

/// `ingest::parse_file` / `parse_file_detailed` on a file named `name`: consistent documents.
pub fn check_parse(name: &str, data: &[u8]) {
    let sha = doctriage::sha256_hex(data);
    let (documents, errors) = doctriage::ingest::parse_file_detailed(name, data);
    for doc in &documents {
        assert_eq!(doc.sha256, sha);
        assert!(!doc.id.is_empty());
        assert_eq!(doc.path, name);
        let _ = doc.chars();
    }
    for e in &errors {
        assert!(!e.is_empty());
    }
    match doctriage::ingest::parse_file(name, data) {
        Ok(docs) => assert_eq!(docs.len(), documents.len()),
        Err(reason) => {
            assert!(documents.is_empty());
            assert!(!reason.is_empty());
        }
    }
}

/// `extract::find_dates` and `extract::parse_date`: hits inside the text (char offsets), in
/// order, not overlapping, quotable by their offsets; parsed dates round-trip through ISO.
pub fn check_dates(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let n = text.chars().count();
    let mut last_end = 0;
    for hit in doctriage::extract::find_dates(&text) {
        assert!(hit.start < hit.end, "empty hit {hit:?}");
        assert!(hit.end <= n, "hit {hit:?} beyond {n} chars");
        assert!(hit.start >= last_end, "overlapping hit {hit:?}");
        last_end = hit.end;
        let quote =
            doctriage::session::quote_at(&text, hit.start, hit.end).expect("quote by offsets");
        assert_eq!(quote.chars().count(), hit.end - hit.start);
        let _ = hit.date.span();
        assert_eq!(
            doctriage::PartialDate::parse_iso(&hit.date.to_string()),
            Some(hit.date)
        );
    }
    for line in text.lines().take(64) {
        if let Some(d) = doctriage::extract::parse_date(line) {
            let _ = d.span();
            assert_eq!(doctriage::PartialDate::parse_iso(&d.to_string()), Some(d));
        }
    }
    let _ = doctriage::extract::parse_date(&text);
}

/// `article::parse_article`: ids `S1`, `S2`, ... in order, non-empty statements, one span each.
pub fn check_statements(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let article = doctriage::article::parse_article(&text, String::new());
    for (i, s) in article.statements.iter().enumerate() {
        assert_eq!(s.id, format!("S{}", i + 1));
        assert!(!s.text.is_empty());
    }
    let spans = doctriage::article::split_sentences(&text);
    assert_eq!(spans.len(), article.statements.len());
    let n = text.chars().count();
    let mut last = 0;
    for (start, end) in spans {
        assert!(
            start < end && end <= n && start >= last,
            "bad span {start}..{end} of {n}"
        );
        last = end;
    }
}

/// `Session::from_json` then `to_json`: what was read is written back the same.
pub fn check_session(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(session) = doctriage::session::Session::from_json(text) {
        let json = session.to_json();
        let again = doctriage::session::Session::from_json(&json).expect("own output parses");
        assert_eq!(again, session);
        let _ = session.canonical("x");
        let _ = session.cache_root(std::path::Path::new("/tmp/s.json"));
    }
}

/// The check of a fuzz target, by name.
pub fn check(target: &str, data: &[u8]) {
    match target {
        "parse_json" => check_parse("fuzz/input.json", data),
        "parse_jsonl" => check_parse("fuzz/input.jsonl", data),
        "parse_text" => check_parse("fuzz/input.txt", data),
        "parse_frontmatter" => check_parse("fuzz/input.md", data),
        "parse_eml" => check_parse("fuzz/input.eml", data),
        "dates" => check_dates(data),
        "statements" => check_statements(data),
        "session_load" => check_session(data),
        other => panic!("unknown fuzz target {other}"),
    }
}
