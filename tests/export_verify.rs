//! An export reads again the bytes of every document it names: a file changed since the scan
//! (or a member whose container changed) is a warning in the findings, in the memo and in what
//! the export says, so the findings never vouch for bytes that are no longer there.

mod common;

use doctriage::{Command, Field, Format, Status, Workspace};

#[test]
fn a_file_changed_after_the_scan_is_named_by_the_export() {
    let cache = tempfile::tempdir().unwrap();
    common::write(
        cache.path(),
        "letters/a.txt",
        "Title: A\n\nGroza-S stations for Baku.\n",
    );
    common::write(cache.path(), "letters/b.txt", "Title: B\n\nNothing here.\n");
    std::fs::copy(
        common::sample().join("emails/attachment_2022_06_10_passport_0042.eml"),
        cache.path().join("mail.eml"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let session = out.path().join("s.json");
    let mut ws = Workspace::create_session(cache.path(), &session, "tester", false).unwrap();
    let pdf = "mail.eml!/export_passport_0042.pdf";
    for id in ["letters/a.txt", "letters/b.txt", pdf] {
        ws.apply(Command::SetStatus {
            doc: id.into(),
            status: Status::Relevant,
        })
        .unwrap();
    }
    ws.apply(Command::Add {
        doc: "letters/b.txt".into(),
        field: Field::Tag,
        value: "x".into(),
    })
    .unwrap();

    let clean = ws
        .export(&out.path().join("clean.json"), Format::Json)
        .unwrap();
    assert!(clean.changed.is_empty(), "{:?}", clean.changed);

    // After the scan: one loose file edited, the e-mail holding the PDF rewritten.
    common::write(
        cache.path(),
        "letters/a.txt",
        "Title: A\n\nGroza-S stations for Minsk.\n",
    );
    let eml = std::fs::read_to_string(cache.path().join("mail.eml")).unwrap();
    common::write(
        cache.path(),
        "mail.eml",
        eml.replace("Dear colleagues", "Dear friends"),
    );

    let path = out.path().join("findings.json");
    let summary = ws.export(&path, Format::Json).unwrap();
    assert_eq!(summary.changed.len(), 2, "{:?}", summary.changed);
    assert!(
        summary.changed[0].starts_with("letters/a.txt: read again at export, the file changed")
    );
    assert!(summary.changed[1].starts_with(&format!("{pdf}: read again at export")));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    for c in &summary.changed {
        assert!(warnings.contains(&c.as_str()), "{warnings:?}");
    }
    assert!(
        !warnings.iter().any(|w| w.starts_with("letters/b.txt")),
        "an unchanged file is not named"
    );
    let md_path = out.path().join("memo.md");
    let md = ws.export(&md_path, Format::Md).unwrap();
    assert_eq!(md.changed, summary.changed);
    let memo = std::fs::read_to_string(&md_path).unwrap();
    assert!(
        memo.contains("letters/a.txt: read again at export"),
        "{memo}"
    );
}
