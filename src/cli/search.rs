//! `doctriage search`: the index alone answers when nothing says the cache changed since it was
//! built; else the cache is read (which brings the index up to date) and then searched.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;
use serde_json::json;

use super::{Global, print_json, print_warnings};
use crate::session::Session;
use crate::workspace::Workspace;

pub(super) fn search(
    dir: &Path,
    query: &str,
    opts: crate::search::SearchOptions,
    session: Option<&Path>,
    as_json: bool,
    global: Global<'_>,
) -> anyhow::Result<()> {
    let tags = session.map(Session::load).transpose()?;
    // The index alone answers when nothing says the cache changed since it was built.
    if let Some(quick) = crate::workspace::search_without_scan(dir, query, &opts, tags.as_ref()) {
        let quick = quick?;
        let stats = crate::search::BuildStats {
            reused: usize::try_from(quick.index.num_docs()).unwrap_or(usize::MAX),
            ..crate::search::BuildStats::default()
        };
        return print_search(&quick.index, query, &quick.results, stats, false, as_json);
    }
    let mut ws = Workspace::open_cache_reading(dir, global.reading)?;
    print_warnings(&mut ws);
    if let Some(tags) = tags {
        ws.read_session(tags);
    }
    let stats = ws.open_search_index()?;
    let index = ws
        .search()
        .index()
        .context("the search index did not open")?;
    let results = index.search(query, &opts)?;
    print_search(index, query, &results, stats, true, as_json)
}

/// Prints a search's hits (text or JSON); what is wrong with the query on stderr.
fn print_search(
    index: &crate::search::SearchIndex,
    query: &str,
    results: &crate::search::SearchResults,
    stats: crate::search::BuildStats,
    cache_read: bool,
    as_json: bool,
) -> anyhow::Result<()> {
    // What is wrong with the query (it still ran as far as it makes sense): said on stderr.
    for p in index.query_notes(query) {
        eprintln!("doctriage: query: {p}");
    }
    if as_json {
        return print_json(
            &json!({"query": query, "total": results.total, "hits": results.hits, "index": stats,
                    "cache_read": cache_read}),
        );
    }
    let mut out = std::io::stdout().lock();
    for hit in &results.hits {
        writeln!(out, "{}  {}", hit.doc_id, hit.title)?;
        writeln!(out, "    {}", mark_snippet(&hit.snippet, &hit.highlights))?;
    }
    writeln!(
        out,
        "{} of {} matching documents: {query}",
        results.hits.len(),
        results.total
    )?;
    Ok(())
}

/// The snippet with its matched words in [brackets].
fn mark_snippet(snippet: &str, highlights: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(snippet.len() + 4 * highlights.len());
    for (i, c) in snippet.chars().enumerate() {
        if highlights.iter().any(|&(a, _)| a == i) {
            out.push('[');
        }
        out.push(c);
        if highlights.iter().any(|&(_, b)| b == i + 1) {
            out.push(']');
        }
    }
    out
}
