//! The `doctriage` command line: every step of a review without a window.
//!
//! Human-readable output by default, JSON with `--json`. Exit 0 on success, 2 on bad usage, 1 on failure.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Parser as _;
use serde_json::json;

use crate::extract::{self, Extractor};
use crate::ingest;
use crate::model::Cache;
use crate::session::{self, Command, Field, Session};
use crate::workspace::{Reading, Workspace};

mod args;
mod search;
mod team;
mod verify;

pub use args::{Cli, Cmd, LinkArgs, Output, SessionCmd, TagArgs};

/// Parses the arguments and runs; errors are printed once, as one line with the path last.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("doctriage: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Runs one parsed command line; its exit status (0, or 3 for a merge that left conflicts).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let reading = Reading {
        ocr: !cli.no_ocr,
        languages: match cli.ocr_lang.as_deref() {
            Some(l) => crate::ocr::LanguageSetting::parse(l).map_err(anyhow::Error::msg)?,
            None => crate::ocr::LanguageSetting::Auto,
        },
        progress: true,
        reread: false,
    };
    let global = Global {
        analyst: cli.analyst.as_deref(),
        take_over_lock: cli.take_over_lock,
        reading: &reading,
    };
    match cli.command {
        None => crate::gui::run(crate::sample_cache_dir(), None, reading.clone(), None),
        Some(Cmd::Session(cmd)) => return session_cmd(cmd, global),
        Some(Cmd::Verify { dir, session, out }) => {
            return verify::verify(&dir, session.as_deref(), out.json, global);
        }
        Some(Cmd::Open { dir, session, doc }) => crate::gui::run(
            dir.unwrap_or_else(crate::sample_cache_dir),
            session,
            reading.clone(),
            doc,
        ),
        Some(Cmd::Scan { dir, out }) => scan(&dir, out.json, global),
        Some(Cmd::Suggest { dir, doc, out }) => suggest(&dir, doc.as_deref(), out.json, global),
        Some(Cmd::Statements { file, out }) => statements(&file, out.json),
        Some(Cmd::Text { dir, doc, page }) => text(&dir, &doc, page, global),
        Some(Cmd::Search {
            dir,
            query,
            exact,
            limit,
            session,
            out,
        }) => search::search(
            &dir,
            &query,
            crate::search::SearchOptions { exact, limit },
            session.as_deref(),
            out.json,
            global,
        ),
        Some(Cmd::Tag(args)) => tag(args, global),
        Some(Cmd::Link(args)) => link(args, global),
        Some(Cmd::Export {
            session,
            out,
            format,
            include_sensitive_metadata,
        }) => export(
            &session,
            &out,
            format,
            crate::export::ExportOptions {
                include_sensitive_metadata,
            },
            global,
        ),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// The options every subcommand takes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Global<'a> {
    /// `--analyst`.
    pub analyst: Option<&'a str>,
    /// `--take-over-lock`.
    pub take_over_lock: bool,
    /// `--no-ocr`, `--ocr-lang`.
    pub reading: &'a Reading,
}

fn session_cmd(cmd: SessionCmd, global: Global<'_>) -> anyhow::Result<ExitCode> {
    let analyst = global.analyst;
    match cmd {
        SessionCmd::New { cache, out, force } => {
            session_new(&cache, &out, analyst.unwrap_or_default(), force)?;
            Ok(ExitCode::SUCCESS)
        }
        SessionCmd::Merge {
            base,
            ours,
            theirs,
            out,
        } => team::merge(team::inputs(&base, &ours, &theirs), &out, analyst),
        SessionCmd::MergeDriver { base, ours, theirs } => {
            team::merge_driver(team::inputs(&base, &ours, &theirs), analyst)
        }
        SessionCmd::Conflicts { file, out } => team::conflicts(&file, out.json),
        SessionCmd::Resolve {
            file,
            doc,
            field,
            choice,
        } => team::resolve(&file, &doc, &field, choice, global),
    }
}

/// `doctriage text DIR DOC [--page N]`: the text as offsets count it (pages split on form feeds).
fn text(dir: &Path, id: &str, page: Option<usize>, global: Global<'_>) -> anyhow::Result<()> {
    let mut ws = Workspace::open_cache_reading(dir, global.reading)?;
    print_warnings(&mut ws);
    let doc = ws
        .cache()
        .document(id)
        .ok_or_else(|| crate::workspace::WorkspaceError::NoDocument(id.to_owned()))?;
    let mut out = std::io::stdout().lock();
    match page {
        None => out.write_all(doc.text.as_bytes())?,
        Some(n) => {
            let pages: Vec<&str> = doc.text.split(crate::ingest::pdf::PAGE_BREAK).collect();
            let Some(text) = n.checked_sub(1).and_then(|i| pages.get(i)) else {
                anyhow::bail!("{id} has {} page(s), not a page {n}", pages.len());
            };
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

pub(crate) fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value)?;
    writeln!(stdout)?;
    Ok(())
}

/// Writes a value pretty-printed as it would be `indent` spaces deep in a pretty-printed whole.
fn write_indented(
    out: &mut impl std::io::Write,
    value: &serde_json::Value,
    indent: usize,
) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let pad = format!("\n{}", " ".repeat(indent));
    out.write_all(text.replace('\n', &pad).as_bytes())?;
    Ok(())
}

/// Prints the workspace's warnings once, on standard error.
fn print_warnings(ws: &mut Workspace) {
    for w in ws.take_warnings() {
        eprintln!("doctriage: warning: {w}");
    }
}

fn scan(dir: &Path, as_json: bool, global: Global<'_>) -> anyhow::Result<()> {
    let mut ws = Workspace::open_cache_reading(dir, global.reading)?;
    print_warnings(&mut ws);
    let cache = ws.cache();
    if let Some(line) = cache.scan.summary() {
        eprintln!("doctriage: {line}");
    }
    let iso = |d: &Option<String>| {
        d.as_deref().map(|s| {
            extract::parse_date(s)
                .map(|p| p.to_string())
                .unwrap_or_else(|| s.to_owned())
        })
    };
    if as_json {
        let document = |d: &crate::model::Document| {
            json!({
                "id": d.id, "path": d.path, "kind": d.kind, "title": d.title, "date": iso(&d.date),
                "sender": d.sender, "recipient": d.recipient, "language": d.language,
                "sha256": d.sha256, "chars": d.chars(), "duplicate_of": d.duplicate_of,
                "parent": d.parent, "container_sha256": d.container_sha256,
                "warnings": d.warnings, "text_source": d.text_source(),
                "pages": (!d.pages.is_empty()).then_some(d.pages.len()),
                "page_sources": (!d.pages.is_empty())
                    .then(|| d.pages.iter().map(|p| p.source).collect::<Vec<_>>()),
                "ocr_confidence": d.ocr_confidence(),
                "ocr_languages": d.pages.iter().any(|p| p.ocr.is_some()).then(|| {
                    d.pages.iter().map(|p| p.ocr.as_ref().map(|o| o.languages.as_str())).collect::<Vec<_>>()
                }),
            })
        };
        let article = cache.article.as_ref().map(|(path, a)| {
            json!({"path": path, "title": a.title, "sha256": a.sha256, "statements": a.statements})
        });
        // Written as it goes, one document at a time: the output is never held whole. The
        // same bytes as one pretty-printed object (keys in order).
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        write!(out, "{{\n  \"article\": ")?;
        write_indented(&mut out, &json!(article), 2)?;
        write!(out, ",\n  \"documents\": [")?;
        for (i, d) in cache.documents.iter().enumerate() {
            write!(out, "{}\n    ", if i == 0 { "" } else { "," })?;
            write_indented(&mut out, &document(d), 4)?;
        }
        if !cache.documents.is_empty() {
            write!(out, "\n  ")?;
        }
        write!(out, "],\n  \"errors\": ")?;
        write_indented(&mut out, &json!(cache.errors), 2)?;
        write!(out, ",\n  \"root\": ")?;
        write_indented(&mut out, &json!(cache.root.display().to_string()), 2)?;
        writeln!(out, "\n}}")?;
        out.flush()?;
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    for d in &cache.documents {
        let dup = d
            .duplicate_of
            .as_deref()
            .map(|o| format!("  [duplicate of {o}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<40} {:<16} {:<10} {}{dup}",
            d.id,
            d.kind,
            iso(&d.date).unwrap_or_default(),
            d.title
        )?;
        for w in &d.warnings {
            writeln!(out, "    warning: {w}")?;
        }
    }
    for e in &cache.errors {
        writeln!(out, "unreadable: {}: {}", e.error, e.path)?;
    }
    let statements = cache
        .article
        .as_ref()
        .map_or(0, |(_, a)| a.statements.len());
    writeln!(
        out,
        "{} documents, {} unreadable files, article: {} ({statements} statements): {}",
        cache.documents.len(),
        cache.errors.len(),
        cache.article.as_ref().map_or("none", |(p, _)| p.as_str()),
        cache.root.display()
    )?;
    Ok(())
}

fn suggest(
    dir: &Path,
    only: Option<&str>,
    as_json: bool,
    global: Global<'_>,
) -> anyhow::Result<()> {
    let mut ws = Workspace::open_cache_reading(dir, global.reading)?;
    print_warnings(&mut ws);
    let ids: Vec<String> = match only {
        Some(id) => vec![
            ws.document(id)
                .with_context(|| dir.display().to_string())?
                .id
                .clone(),
        ],
        None => ws.cache().documents.iter().map(|d| d.id.clone()).collect(),
    };
    for id in &ids {
        ws.suggestions_for(id);
    }
    if as_json {
        // Written as it goes, a document at a time (the same bytes as one pretty object).
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        write!(out, "{{\n  \"documents\": [")?;
        let mut first = true;
        for id in &ids {
            let (Some(d), Some(s)) = (ws.cache().document(id), ws.suggestions().get(id)) else {
                continue;
            };
            let row = json!({"id": d.id, "dates": s.dates, "senders": s.senders, "recipients": s.recipients, "equipment": s.equipment});
            write!(out, "{}\n    ", if first { "" } else { "," })?;
            write_indented(&mut out, &row, 4)?;
            first = false;
        }
        write!(out, "{}]\n}}\n", if first { "" } else { "\n  " })?;
        out.flush()?;
        return Ok(());
    }
    let rows: Vec<_> = ids
        .iter()
        .filter_map(|id| Some((ws.cache().document(id)?, ws.suggestions().get(id)?.clone())))
        .collect();
    let mut out = std::io::stdout().lock();
    for (d, s) in rows {
        writeln!(out, "{}", d.id)?;
        for (label, cands) in [
            ("date", &s.dates),
            ("sender", &s.senders),
            ("recipient", &s.recipients),
            ("equipment", &s.equipment),
        ] {
            for c in cands {
                let origin = serde_json::to_value(c.origin)?
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                match (&c.quote, c.start, c.end) {
                    (Some(q), Some(a), Some(b)) => {
                        writeln!(out, "  {label:<9} {}  ({origin} {a}..{b}: {q:?})", c.value)?
                    }
                    _ => writeln!(out, "  {label:<9} {}  ({origin})", c.value)?,
                }
            }
        }
    }
    Ok(())
}

fn statements(file: &Path, as_json: bool) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (text, _) = ingest::decode(&bytes);
    let article = crate::article::parse_article(&text, crate::sha256_hex(&bytes));
    if as_json {
        return print_json(&json!({"title": article.title, "statements": article.statements}));
    }
    let mut out = std::io::stdout().lock();
    if let Some(t) = &article.title {
        writeln!(out, "# {t}")?;
    }
    for s in &article.statements {
        writeln!(out, "{:<4} {}", s.id, s.text)?;
    }
    Ok(())
}

fn session_new(cache_dir: &Path, out: &Path, analyst: &str, force: bool) -> anyhow::Result<()> {
    let ws = Workspace::create_session(cache_dir, out, analyst, force)?;
    println!(
        "created session over {} documents: {}",
        ws.cache().documents.len(),
        out.display()
    );
    Ok(())
}

/// Opens a session file with its lock and reads its cache; prints what changed in the cache
/// since it was tagged. Edits are signed by `--analyst` when given.
pub(crate) fn open_session(path: &Path, global: Global<'_>) -> anyhow::Result<Workspace> {
    let mut ws = Workspace::open_session_reading(path, global.take_over_lock, global.reading)?;
    if let Some(name) = global.analyst {
        ws.set_analyst(name);
    }
    print_warnings(&mut ws);
    Ok(ws)
}

/// Applies one command to a session file and saves it (the lock is held throughout).
/// A command that changes nothing (the link is already there, …) leaves the file as it is.
pub(crate) fn apply_and_save(ws: &mut Workspace, cmd: Command) -> anyhow::Result<()> {
    let label = cmd.label();
    if ws.apply(cmd)? {
        ws.save()?;
    } else {
        eprintln!("doctriage: nothing changed: {label}");
    }
    print_warnings(ws);
    Ok(())
}

/// The command that `doctriage tag` applies.
pub fn tag_command(args: &TagArgs, cache: &Cache, session: &Session) -> anyhow::Result<Command> {
    let doc = cache
        .document(&args.doc)
        .with_context(|| format!("no document {} in the cache", args.doc))?;
    let id = || doc.id.clone();
    let mut commands = Vec::new();
    if args.accept_suggestions {
        let s = Extractor::new(&cache.gazetteer).suggest(doc);
        commands.push(session::accept_suggestions(
            doc,
            &s,
            session.review(&doc.id),
        ));
    }
    if let Some(status) = args.status {
        commands.push(Command::SetStatus { doc: id(), status });
    }
    if let Some(date) = args.date {
        commands.push(Command::SetDate {
            doc: id(),
            date: Some(date),
        });
    }
    for (field, values) in [
        (Field::Sender, &args.sender),
        (Field::Recipient, &args.recipient),
        (Field::Equipment, &args.equipment),
        (Field::Tag, &args.tag),
    ] {
        for value in values {
            commands.push(Command::Add {
                doc: id(),
                field,
                value: value.clone(),
            });
        }
    }
    if let Some(note) = &args.note {
        commands.push(Command::AppendNote {
            doc: id(),
            note: note.clone(),
        });
    }
    if commands.is_empty() {
        bail!(
            "nothing to tag: give --status, --date, --sender, --recipient, --equipment, --tag, --note or --accept-suggestions"
        );
    }
    Ok(Command::Batch {
        label: format!("Tag {}", doc.id),
        commands,
    })
}

fn tag(args: TagArgs, global: Global<'_>) -> anyhow::Result<()> {
    let mut ws = open_session(&args.session, global)?;
    let cmd = tag_command(&args, ws.cache(), ws.session())?;
    apply_and_save(&mut ws, cmd)?;
    let r = ws.session().review(&args.doc).cloned().unwrap_or_default();
    println!(
        "{}: status {}, date {}, senders [{}], equipment [{}], tags [{}]",
        args.doc,
        r.status,
        r.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        r.senders.join("; "),
        r.equipment.join("; "),
        r.tags.join("; ")
    );
    Ok(())
}

/// The command that `doctriage link` applies.
pub fn link_command(args: &LinkArgs, cache: &Cache) -> anyhow::Result<Command> {
    let doc = cache
        .document(&args.doc)
        .with_context(|| format!("no document {} in the cache", args.doc))?;
    let quote = match &args.quote {
        None => None,
        Some(q) => Some(
            session::locate_quote(&doc.text, q, None)
                .with_context(|| format!("the quote {q:?} is not in the document {}", doc.id))?,
        ),
    };
    Ok(session::link_command(
        cache,
        &doc.id,
        &args.statement,
        args.relation,
        quote,
        args.note.clone(),
    )?)
}

fn link(args: LinkArgs, global: Global<'_>) -> anyhow::Result<()> {
    let mut ws = open_session(&args.session, global)?;
    let cmd = link_command(&args, ws.cache())?;
    apply_and_save(&mut ws, cmd)?;
    let row = session::ledger(ws.session(), ws.cache())
        .into_iter()
        .find(|r| r.id.eq_ignore_ascii_case(&args.statement));
    if let Some(row) = row {
        println!(
            "{} {} ({} evidence): {}",
            row.id,
            row.status.as_str(),
            row.evidence.len(),
            args.doc
        );
    }
    Ok(())
}

fn export(
    session_path: &Path,
    out: &Path,
    format: crate::export::Format,
    options: crate::export::ExportOptions,
    global: Global<'_>,
) -> anyhow::Result<()> {
    let ws = open_session(session_path, global)?;
    let summary = ws.export_with(out, format, options)?;
    println!(
        "{}: {} statements: {} supported, {} contested; {} documents reviewed: {}",
        summary.format,
        summary.statements,
        summary.supported,
        summary.contested,
        summary.reviewed,
        summary.path.display()
    );
    for w in &summary.changed {
        eprintln!("warning: {w}");
    }
    Ok(())
}
