//! The team commands: `session merge`, `session merge-driver`, `session conflicts`,
//! `session resolve`.

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use crate::session::{self, Choice, Command, ConflictEntry, Session};
use crate::workspace::{self, MergeInputs};

/// The exit status of a merge that left conflicts in the file it wrote.
const CONFLICTS_LEFT: u8 = 3;

/// `session merge BASE OURS THEIRS --out FILE`: 0 clean, 3 conflicts left, 1 refused (an error).
pub fn merge(
    inputs: MergeInputs<'_>,
    out: &Path,
    analyst: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let outcome = workspace::merge_files(inputs, analyst)?;
    let mut merged = outcome.session;
    // The merged file names the cache from its own folder.
    let root = Session::load(inputs.ours)?.cache_root(inputs.ours);
    if root.is_dir() {
        merged.cache = session::cache_reference(&root, Some(out));
    }
    workspace::write_merged(&merged, out)?;
    report(&merged, outcome.conflicts, out);
    Ok(if outcome.conflicts == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(CONFLICTS_LEFT)
    })
}

/// `session merge-driver %O %A %B`: the merge goes into `%A`; 0 clean, 1 when conflicts remain
/// (the file holds them) or the merge is refused (`%A` left as it was).
pub fn merge_driver(inputs: MergeInputs<'_>, analyst: Option<&str>) -> anyhow::Result<ExitCode> {
    let outcome = workspace::merge_files(inputs, analyst)?;
    workspace::write_merged(&outcome.session, inputs.ours)?;
    report(&outcome.session, outcome.conflicts, inputs.ours);
    Ok(if outcome.conflicts == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn report(merged: &Session, conflicts: usize, out: &Path) {
    if conflicts == 0 {
        println!(
            "merged {} reviewed documents, no conflicts: {}",
            merged.reviews().len(),
            out.display()
        );
    } else {
        eprintln!(
            "doctriage: {conflicts} conflict(s) left: list them with `doctriage session conflicts`, resolve them with `doctriage session resolve`: {}",
            out.display()
        );
    }
}

/// `session conflicts FILE [--json]`: exit 0 whether or not there are any.
pub fn conflicts(file: &Path, as_json: bool) -> anyhow::Result<ExitCode> {
    let session = Session::load(file)?;
    let list = session.conflicts();
    if as_json {
        let rows: Vec<_> = list.iter().map(row).collect();
        super::print_json(&json!({ "conflicts": rows }))?;
        return Ok(ExitCode::SUCCESS);
    }
    for c in &list {
        println!(
            "{}  {}\n    ours:   {} ({})\n    theirs: {} ({})\n    base:   {}",
            c.doc.unwrap_or("(entity merges)"),
            c.field,
            c.conflict.ours.value,
            c.conflict.ours.by,
            c.conflict.theirs.value,
            c.conflict.theirs.by,
            c.conflict.base
        );
    }
    println!("{} conflict(s): {}", list.len(), file.display());
    Ok(ExitCode::SUCCESS)
}

fn row(c: &ConflictEntry<'_>) -> serde_json::Value {
    json!({
        "document": c.doc,
        "field": c.field,
        "base": c.conflict.base,
        "ours": c.conflict.ours,
        "theirs": c.conflict.theirs,
    })
}

/// `session resolve FILE DOC FIELD CHOICE`: an ordinary edit of the session, saved.
pub fn resolve(
    file: &Path,
    doc: &str,
    field: &str,
    choice: Choice,
    global: super::Global<'_>,
) -> anyhow::Result<ExitCode> {
    let mut ws = super::open_session(file, global)?;
    let doc = (doc != "-").then(|| doc.to_owned());
    let cmd = Command::ResolveConflict {
        doc: doc.clone(),
        field: field.to_owned(),
        choice,
    };
    super::apply_and_save(&mut ws, cmd)?;
    let left = ws.session().conflicts().len();
    println!(
        "resolved {field} of {}; {left} conflict(s) left: {}",
        doc.as_deref().unwrap_or("the entity merges"),
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The three files of a merge.
pub fn inputs<'a>(base: &'a Path, ours: &'a Path, theirs: &'a Path) -> MergeInputs<'a> {
    MergeInputs { base, ours, theirs }
}
