//! A findings memo in Markdown: what an editor reads to see which statements the records bear out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::Findings;
use crate::model::Cache;
use crate::session::{ClaimStatus, Relation, Session, Status};

/// Length of an abbreviated SHA-256 in the text (the full hash is in the Documents table).
const SHORT_HASH: usize = 12;

pub(crate) fn render(
    session: &Session,
    cache: &Cache,
    generated_at: DateTime<Utc>,
    changed: &[String],
) -> String {
    let mut f = super::findings(session, cache, generated_at);
    f.warnings.extend(changed.iter().cloned());
    let mut out = String::new();
    header(&mut out, session, cache, &f);
    statements(&mut out, cache, &f);
    notes(&mut out, &f);
    timeline(&mut out, &f);
    documents(&mut out, cache, &f);
    unreviewed(&mut out, session, cache);
    out
}

fn header(out: &mut String, session: &Session, cache: &Cache, f: &Findings) {
    let _ = writeln!(out, "# {}\n", one_line(&super::title(cache)));
    let _ = writeln!(
        out,
        "Findings memo generated {} by {} {}.\n",
        f.generated_at, f.tool.name, f.tool.version
    );
    let analyst = if session.analyst.trim().is_empty() {
        "(not stated)"
    } else {
        session.analyst.trim()
    };
    let _ = writeln!(out, "- **Analyst:** {}", one_line(analyst));
    let _ = writeln!(out, "- **Cache:** {}", code(&super::cache_name(cache)));
    let count = |s: Status| f.documents.iter().filter(|d| d.status == s).count();
    let _ = writeln!(
        out,
        "- **Documents:** {} in the cache, {} reviewed ({} key, {} relevant, {} irrelevant), {} unreviewed",
        f.cache.documents,
        f.cache.reviewed,
        count(Status::Key),
        count(Status::Relevant),
        count(Status::Irrelevant),
        f.cache.documents.saturating_sub(f.cache.reviewed)
    );
    match (&f.article.path, &f.article.sha256) {
        (Some(path), Some(sha)) => {
            let _ = writeln!(out, "- **Article:** {} (SHA-256 {})", code(path), code(sha));
        }
        _ => {
            let _ = writeln!(out, "- **Article:** none in the cache");
        }
    }
    let by = |s: ClaimStatus| f.statements.iter().filter(|st| st.status == s).count();
    let _ = writeln!(
        out,
        "- **Statements:** {} ({} supported, {} contested, {} unsupported)",
        f.statements.len(),
        by(ClaimStatus::Supported),
        by(ClaimStatus::Contested),
        by(ClaimStatus::Unsupported)
    );
    let links: usize = f.statements.iter().map(|s| s.evidence.len()).sum();
    let _ = writeln!(out, "- **Evidence links:** {links}");
    out.push('\n');
    if !f.warnings.is_empty() {
        let _ = writeln!(out, "## Warnings\n");
        for w in &f.warnings {
            let _ = writeln!(out, "- {}", one_line(w));
        }
        out.push('\n');
    }
}

fn status_words(s: ClaimStatus) -> (&'static str, &'static str) {
    match s {
        ClaimStatus::Supported => (
            "Supported",
            "at least one record supports it and none contradicts it.",
        ),
        ClaimStatus::Contested => ("Contested", "at least one record contradicts it."),
        ClaimStatus::Unsupported => ("Unsupported", "no record is linked as support."),
    }
}

fn relation_words(r: Relation) -> &'static str {
    match r {
        Relation::Supports => "supports",
        Relation::Contradicts => "contradicts",
        Relation::Context => "gives context",
    }
}

fn statements(out: &mut String, cache: &Cache, f: &Findings) {
    let _ = writeln!(out, "## Statements\n");
    if f.statements.is_empty() {
        let _ = writeln!(
            out,
            "_The cache has no article, or the article has no statements._\n"
        );
        return;
    }
    for st in &f.statements {
        let (word, explain) = status_words(st.status);
        let _ = writeln!(out, "### {} — {word}\n", one_line(&st.id));
        blockquote(out, &st.text);
        let _ = writeln!(out, "\n{word}: {explain}\n");
        if st.evidence.is_empty() {
            let _ = writeln!(out, "_No evidence linked._\n");
            continue;
        }
        let _ = writeln!(out, "Evidence:\n");
        for (i, e) in st.evidence.iter().enumerate() {
            let title = cache
                .document(&e.document)
                .map(|d| d.title.as_str())
                .unwrap_or("");
            let _ = write!(
                out,
                "{}. {} {}",
                i + 1,
                code(&e.document),
                relation_words(e.relation)
            );
            if !title.is_empty() {
                let _ = write!(out, " (“{}”)", one_line(title));
            }
            match (&e.quote, e.start, e.end) {
                (Some(q), Some(s), Some(end)) => {
                    let _ = write!(out, ": “{}” (", one_line(q));
                    match (e.page, &e.page_label) {
                        (Some(_), Some(label)) => {
                            let _ = write!(out, "sheet {}, ", one_line(label));
                        }
                        (Some(p), None) => {
                            let _ = write!(out, "p. {p}, ");
                        }
                        _ => {}
                    }
                    let _ = write!(out, "chars {s}–{end}");
                }
                _ => {
                    let _ = write!(out, " (no quote");
                }
            }
            let _ = write!(out, "; SHA-256 {}", code(short(&e.sha256)));
            if let (Some(parent), Some(outer)) = (&e.parent, &e.container_sha256) {
                let _ = write!(
                    out,
                    "; in {} (file as received: SHA-256 {})",
                    code(parent),
                    code(short(outer))
                );
            }
            let _ = writeln!(out, "; linked by {})", one_line(&e.by));
            if let Some(note) = e.note.as_deref().filter(|n| !n.trim().is_empty()) {
                let _ = writeln!(out, "   Note: {}", one_line(note));
            }
        }
        out.push('\n');
    }
}

fn notes(out: &mut String, f: &Findings) {
    let with_notes: Vec<_> = f
        .documents
        .iter()
        .filter(|d| !d.notes.trim().is_empty())
        .collect();
    if with_notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Analyst's notes\n");
    for d in with_notes {
        let _ = writeln!(out, "**{}** — {}\n", code(&d.id), one_line(&d.title));
        blockquote(out, &d.notes);
        out.push('\n');
    }
}

fn timeline(out: &mut String, f: &Findings) {
    let _ = writeln!(out, "## Timeline\n");
    if f.timeline.is_empty() {
        let _ = writeln!(out, "_No reviewed document has a date._\n");
        return;
    }
    let _ = writeln!(out, "| Date | Document | Title |\n| --- | --- | --- |");
    for t in &f.timeline {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&t.date),
            cell(&t.document),
            cell(&t.title)
        );
    }
    out.push('\n');
}

fn documents(out: &mut String, cache: &Cache, f: &Findings) {
    let _ = writeln!(out, "## Documents\n");
    // Every reviewed document, and any other document cited as evidence.
    let mut rows: BTreeMap<usize, (String, String, String)> = BTreeMap::new();
    for d in &f.documents {
        let pos = cache.position(&d.id).unwrap_or(usize::MAX);
        rows.insert(
            pos,
            (
                d.status.as_str().to_owned(),
                d.date.clone().unwrap_or_default(),
                d.by.clone(),
            ),
        );
    }
    for e in f.statements.iter().flat_map(|s| &s.evidence) {
        if let Some(pos) = cache.position(&e.document) {
            rows.entry(pos).or_insert_with(|| {
                (
                    Status::Unreviewed.as_str().to_owned(),
                    String::new(),
                    String::new(),
                )
            });
        }
    }
    if rows.is_empty() {
        let _ = writeln!(out, "_No document reviewed yet._\n");
        return;
    }
    let _ = writeln!(
        out,
        "| ID | Path | Kind | Status | Date | Reviewed by | SHA-256 | In |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for (pos, (status, date, by)) in rows {
        let Some(d) = cache.documents.get(pos) else {
            continue;
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&d.id),
            cell(&d.path),
            cell(&d.kind),
            cell(&status),
            cell(&date),
            cell(&by),
            cell(&d.sha256),
            cell(d.parent.as_deref().unwrap_or(""))
        );
    }
    out.push('\n');
}

fn unreviewed(out: &mut String, session: &Session, cache: &Cache) {
    let _ = writeln!(out, "## Unreviewed documents\n");
    let list: Vec<_> = cache
        .documents
        .iter()
        .filter(|d| session.status(&d.id) == Status::Unreviewed)
        .collect();
    if list.is_empty() {
        let _ = writeln!(out, "_Every document was reviewed._");
        return;
    }
    for d in list {
        let _ = writeln!(out, "- {} — {}", code(&d.id), one_line(&d.title));
    }
}

/// The first 12 hex digits of a hash.
fn short(sha: &str) -> &str {
    sha.get(..SHORT_HASH).unwrap_or(sha)
}

/// Text on one line: runs of whitespace (line breaks included) become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table cell: on one line, with `|` escaped.
fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

/// An inline code span that survives backticks in the text.
fn code(s: &str) -> String {
    let s = one_line(s);
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || s.is_empty() {
        format!("{fence} {s} {fence}")
    } else {
        format!("`{s}`")
    }
}

/// A block quote: every line prefixed with `> ` (blank lines kept as `>`).
fn blockquote(out: &mut String, text: &str) {
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {line}");
        }
    }
}
