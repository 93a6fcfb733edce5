//! The session file's text: deterministic, line-stable JSON that git can diff and merge.
//!
//! Keys are sorted (documents by id, a review's fields by name), except the session's own keys,
//! which keep a fixed order with the documents last. Each field of a review is on its own line;
//! a small value whose parts are plain (a list of tags, a quote, one change of the history) is
//! written on one line, so one tag changes a handful of lines.

use std::fmt::Write as _;

use serde_json::Value;

/// The order of the session's own keys (any other key follows, sorted).
const SESSION_KEYS: [&str; 8] = [
    "schema",
    "cache",
    "analyst",
    "created",
    "article_sha256",
    "aliases",
    "alias_conflicts",
    "documents",
];

/// A small value is written on one line when it fits in this many bytes.
const LINE: usize = 120;

/// The session's JSON value as text (ends with a newline).
pub(super) fn to_text(value: &Value) -> String {
    let mut out = String::new();
    match value.as_object() {
        Some(map) => {
            let rank = |k: &str| {
                SESSION_KEYS
                    .iter()
                    .position(|s| *s == k)
                    .unwrap_or(SESSION_KEYS.len())
            };
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
            write_object(&mut out, keys.into_iter().map(|k| (k, &map[k])), 0);
        }
        None => write_value(&mut out, value, 0),
    }
    out.push('\n');
    out
}

fn write_object<'a>(
    out: &mut String,
    entries: impl ExactSizeIterator<Item = (&'a String, &'a Value)>,
    depth: usize,
) {
    if entries.len() == 0 {
        out.push_str("{}");
        return;
    }
    out.push('{');
    let n = entries.len();
    for (i, (k, v)) in entries.enumerate() {
        newline(out, depth + 1);
        out.push_str(&string(k));
        out.push_str(": ");
        write_value(out, v, depth + 1);
        if i + 1 < n {
            out.push(',');
        }
    }
    newline(out, depth);
    out.push('}');
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    // The session (0), its documents (1) and each review (2) always have one key per line.
    if depth >= 3
        && is_flat(value)
        && let Some(line) = one_line(value).filter(|l| l.len() <= LINE)
    {
        out.push_str(&line);
        return;
    }
    match value {
        Value::Object(map) => write_object(out, map.iter(), depth),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                newline(out, depth + 1);
                write_value(out, v, depth + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
            }
            newline(out, depth);
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A value whose parts are scalars or lists of scalars.
fn is_flat(value: &Value) -> bool {
    let scalar = |v: &Value| !v.is_object() && !v.is_array();
    let part = |v: &Value| scalar(v) || v.as_array().is_some_and(|a| a.iter().all(scalar));
    match value {
        Value::Object(map) => map.values().all(part),
        Value::Array(items) => items.iter().all(part),
        _ => true,
    }
}

/// A flat value on one line, with a space after each comma and colon.
fn one_line(value: &Value) -> Option<String> {
    let mut s = String::new();
    match value {
        Value::Object(map) => {
            s.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                write!(s, "{sep}{}: {}", string(k), one_line(v)?).ok()?;
            }
            s.push('}');
        }
        Value::Array(items) => {
            s.push('[');
            for (i, v) in items.iter().enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                write!(s, "{sep}{}", one_line(v)?).ok()?;
            }
            s.push(']');
        }
        scalar => s.push_str(&scalar.to_string()),
    }
    Some(s)
}

fn string(s: &str) -> String {
    Value::from(s).to_string()
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}
