//! The 3-way merge of sessions: what two analysts did since a common base, put together at the
//! level of meaning, per document and field.
//!
//! - One side's change wins over no change; the same change on both sides is taken once.
//! - Sets (senders, recipients, equipment, tags) take the additions and the removals of both
//!   sides; links are named by their stable id and merge the same way.
//! - Notes both sides only appended to keep both additions; any other pair of note edits, and
//!   any field changed to two different values, is a [`Conflict`] kept in the merged session
//!   (both values, both analysts, the base value, which the field keeps meanwhile).
//! - Entity merges (aliases) take both sides' merges; two sides merging X into Y and Y into X
//!   is a conflict, not a circle.
//! - Sessions over different articles or caches are refused.
//!
//! The merge is deterministic (the same inputs give the same session) and merging a session
//! with itself gives it back.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    Change, Conflict, DocReview, HISTORY_LIMIT, Link, SESSION_SCHEMA, Session, Side, field_value,
    last_change, link_field, set_field,
};

/// Why two sessions cannot be merged. Nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The sessions were made against different articles.
    #[error(
        "refusing to merge sessions over different articles (SHA-256 {ours} and {theirs}): they do not review the same story"
    )]
    DifferentArticle {
        /// Our article's SHA-256.
        ours: String,
        /// Theirs.
        theirs: String,
    },
    /// The sessions name different cache folders.
    #[error(
        "refusing to merge sessions over different caches ({ours:?} and {theirs:?}): they do not review the same documents"
    )]
    DifferentCache {
        /// Our cache reference.
        ours: String,
        /// Theirs.
        theirs: String,
    },
}

/// A merged session and how many conflicts it holds.
#[derive(Clone, Debug)]
pub struct MergeOutcome {
    /// The merged session (conflicts included; it loads and saves like any other).
    pub session: Session,
    /// How many conflicts are left for the analyst.
    pub conflicts: usize,
}

/// Merges what `ours` and `theirs` did since `base`. A value the merge makes itself (notes
/// both sides appended to) is signed by `merger`.
pub fn merge(
    base: &Session,
    ours: &Session,
    theirs: &Session,
    merger: &str,
) -> Result<MergeOutcome, MergeError> {
    check_same_review(base, ours, theirs)?;
    let mut merged = ours.clone();
    SESSION_SCHEMA.clone_into(&mut merged.schema);
    merged.analyst = pick3(&base.analyst, &ours.analyst, &theirs.analyst).clone();
    // A setting of the whole review: one side's change wins over no change; two different
    // changes keep ours (a setting, not evidence: nothing of the review depends on it).
    merged.ocr_languages = pick3(
        &base.ocr_languages,
        &ours.ocr_languages,
        &theirs.ocr_languages,
    )
    .clone();
    merged.created = ours.created.min(theirs.created);
    merged.modified = ours.modified.max(theirs.modified);
    merged.article_sha256 = ours
        .article_sha256
        .clone()
        .or_else(|| theirs.article_sha256.clone());
    let sides = Sides {
        ours: &ours.analyst,
        theirs: &theirs.analyst,
        merger,
    };
    let ids: BTreeSet<&String> = base
        .documents
        .keys()
        .chain(ours.documents.keys())
        .chain(theirs.documents.keys())
        .collect();
    let empty = DocReview::default();
    let mut documents = imbl::OrdMap::new();
    for id in ids {
        let get = |s: &'_ Session| s.documents.get(id).cloned();
        let (b, o, t) = (get(base), get(ours), get(theirs));
        let review = if o == t {
            o
        } else if b == o {
            t
        } else if b == t {
            o
        } else {
            Some(merge_review(
                b.as_ref().unwrap_or(&empty),
                o.as_ref().unwrap_or(&empty),
                t.as_ref().unwrap_or(&empty),
                &sides,
            ))
        };
        if let Some(r) = review.filter(|r| !r.is_empty()) {
            documents.insert(id.clone(), r);
        }
    }
    merged.documents = documents;
    merge_aliases(&mut merged, base, ours, theirs);
    let conflicts = merged.conflicts().len();
    Ok(MergeOutcome {
        session: merged,
        conflicts,
    })
}

fn check_same_review(base: &Session, ours: &Session, theirs: &Session) -> Result<(), MergeError> {
    let articles = [
        &base.article_sha256,
        &ours.article_sha256,
        &theirs.article_sha256,
    ];
    let known: Vec<&String> = articles.iter().filter_map(|a| a.as_ref()).collect();
    if let Some(first) = known.first()
        && let Some(other) = known.iter().find(|a| a != &first)
    {
        return Err(MergeError::DifferentArticle {
            ours: (*first).clone(),
            theirs: (*other).clone(),
        });
    }
    for other in [base, theirs] {
        if other.cache != ours.cache {
            return Err(MergeError::DifferentCache {
                ours: ours.cache.clone(),
                theirs: other.cache.clone(),
            });
        }
    }
    Ok(())
}

/// The analysts of both sessions, for a side whose change is not recorded.
struct Sides<'a> {
    ours: &'a str,
    theirs: &'a str,
    merger: &'a str,
}

/// The 3-way pick of a value that cannot conflict: one side's change wins, ours if both.
fn pick3<'a, T: PartialEq>(base: &'a T, ours: &'a T, theirs: &'a T) -> &'a T {
    if ours == base { theirs } else { ours }
}

fn merge_review(b: &DocReview, o: &DocReview, t: &DocReview, sides: &Sides<'_>) -> DocReview {
    let mut m = o.clone();
    m.sha256 = pick3(&b.sha256, &o.sha256, &t.sha256).clone();
    m.history = merge_history(b, o, t);
    m.conflicts = merge_conflicts(&b.conflicts, &o.conflicts, &t.conflicts);
    for field in ["senders", "recipients", "equipment", "tags"] {
        let list = |r: &DocReview| -> Vec<String> {
            serde_json::from_value(field_value(r, field)).unwrap_or_default()
        };
        let value = Value::from(merge_set(&list(b), &list(o), &list(t)));
        // A list of strings always fits a list field.
        let _ = set_field(&mut m, field, &value);
    }
    for field in ["status", "date", "notes"] {
        let (bv, ov, tv) = (
            field_value(b, field),
            field_value(o, field),
            field_value(t, field),
        );
        let value = if ov == tv || bv == tv {
            ov
        } else if bv == ov {
            tv
        } else if let Some(notes) = (field == "notes")
            .then(|| append_both(&bv, &ov, &tv))
            .flatten()
        {
            let notes = Value::from(notes);
            // The change is as late as the later of the two appends (so the merge is the same
            // whenever it runs).
            let at = [last_change(o, field), last_change(t, field)]
                .into_iter()
                .flatten()
                .map(|c| c.at)
                .max();
            if let Some(at) = at {
                let change = Change {
                    by: sides.merger.to_owned(),
                    at,
                    from: ov,
                    to: notes.clone(),
                };
                super::history::push_change(&mut m, field, change);
            }
            notes
        } else {
            let conflict = Conflict {
                ours: side(o, field, ov, sides.ours),
                theirs: side(t, field, tv, sides.theirs),
                base: bv.clone(),
            };
            m.conflicts.insert(field.to_owned(), conflict);
            bv
        };
        // Each value comes from a review's own field.
        let _ = set_field(&mut m, field, &value);
    }
    merge_links(&mut m, b, o, t, sides);
    m
}

/// One side of a conflict: its value, and who set it (its last recorded change of the field).
fn side(review: &DocReview, field: &str, value: Value, analyst: &str) -> Side {
    let change = last_change(review, field);
    Side {
        value,
        by: change.map_or_else(|| analyst.to_owned(), |c| c.by.clone()),
        at: change.map(|c| c.at),
    }
}

/// The base's values less what either side removed, then each side's additions.
fn merge_set(base: &[String], ours: &[String], theirs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = base
        .iter()
        .filter(|v| ours.contains(v) && theirs.contains(v))
        .cloned()
        .collect();
    for v in ours.iter().chain(theirs) {
        if !base.contains(v) && !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// Notes both sides only appended lines to: the base, our lines, then theirs.
fn append_both(base: &Value, ours: &Value, theirs: &Value) -> Option<String> {
    let (b, o, t) = (base.as_str()?, ours.as_str()?, theirs.as_str()?);
    let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
    let (bl, ol, tl) = (lines(b), lines(o), lines(t));
    if !ol.starts_with(&bl) || !tl.starts_with(&bl) {
        return None;
    }
    let mut out = ol;
    let added = &tl[bl.len()..];
    if bl.is_empty() && !added.is_empty() {
        // Two first paragraphs: keep them apart as appended notes are.
        out.push(String::new());
    }
    out.extend(added.iter().cloned());
    Some(out.join("\n"))
}

/// Links by id: each side's additions and removals; a link both sides changed differently is a
/// conflict (the base's version is kept meanwhile).
fn merge_links(m: &mut DocReview, b: &DocReview, o: &DocReview, t: &DocReview, sides: &Sides<'_>) {
    let find = |r: &DocReview, id: &str| r.links.iter().find(|l| l.id == id).cloned();
    let mut ids: Vec<&str> = Vec::new();
    for l in b.links.iter().chain(&o.links).chain(&t.links) {
        if !ids.contains(&l.id.as_str()) {
            ids.push(&l.id);
        }
    }
    let same = |x: &Option<Link>, y: &Option<Link>| match (x, y) {
        (Some(x), Some(y)) => x.same_evidence(y),
        (None, None) => true,
        _ => false,
    };
    let mut links = Vec::new();
    for id in ids {
        let (bl, ol, tl) = (find(b, id), find(o, id), find(t, id));
        let link = if same(&ol, &tl) || same(&bl, &tl) {
            ol
        } else if same(&bl, &ol) {
            tl
        } else {
            let value = |l: &Option<Link>| serde_json::to_value(l).unwrap_or_default();
            let field = link_field(id);
            let conflict = Conflict {
                base: value(&bl),
                ours: side_of_link(ol.as_ref(), value(&ol), sides.ours),
                theirs: side_of_link(tl.as_ref(), value(&tl), sides.theirs),
            };
            m.conflicts.insert(field, conflict);
            bl
        };
        links.extend(link);
    }
    m.links = links;
}

fn side_of_link(link: Option<&Link>, value: Value, analyst: &str) -> Side {
    Side {
        value,
        by: link
            .map(|l| l.by.clone())
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| analyst.to_owned()),
        at: link.and_then(|l| l.at),
    }
}

/// Both sides' changes of every field, oldest first, the last [`HISTORY_LIMIT`] of each.
fn merge_history(b: &DocReview, o: &DocReview, t: &DocReview) -> BTreeMap<String, Vec<Change>> {
    let mut out: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    for r in [b, o, t] {
        for (field, changes) in &r.history {
            let h = out.entry(field.clone()).or_default();
            for c in changes {
                if !h.contains(c) {
                    h.push(c.clone());
                }
            }
        }
    }
    for h in out.values_mut() {
        h.sort_by(|x, y| {
            (x.at, &x.by, x.from.to_string(), x.to.to_string()).cmp(&(
                y.at,
                &y.by,
                y.from.to_string(),
                y.to.to_string(),
            ))
        });
        if h.len() > HISTORY_LIMIT {
            h.drain(..h.len() - HISTORY_LIMIT);
        }
    }
    out
}

/// Conflicts the sides already held: one side's resolution wins over no change.
fn merge_conflicts(
    b: &BTreeMap<String, Conflict>,
    o: &BTreeMap<String, Conflict>,
    t: &BTreeMap<String, Conflict>,
) -> BTreeMap<String, Conflict> {
    let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (bc, oc, tc) = (b.get(k), o.get(k), t.get(k));
            pick3(&bc, &oc, &tc).map(|c| (k.clone(), c.clone()))
        })
        .collect()
}

/// The entity merges: both sides' merges by name; the same name merged into two different
/// names, or merges that would go round in a circle, are conflicts.
fn merge_aliases(merged: &mut Session, base: &Session, ours: &Session, theirs: &Session) {
    let (b, o, t) = (&base.aliases, &ours.aliases, &theirs.aliases);
    let names: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    let mut aliases = BTreeMap::new();
    let mut conflicts = merge_conflicts(
        &base.alias_conflicts,
        &ours.alias_conflicts,
        &theirs.alias_conflicts,
    );
    let mut disputed: Vec<Vec<String>> = Vec::new();
    for name in names {
        let (bv, ov, tv) = (b.get(name), o.get(name), t.get(name));
        let v = if ov == tv || bv == tv {
            ov
        } else if bv == ov {
            tv
        } else {
            disputed.push(vec![name.clone()]);
            bv
        };
        if let Some(v) = v {
            aliases.insert(name.clone(), v.clone());
        }
    }
    // Merges that go round in a circle fall back to the base's, until none is left.
    for _ in 0..=aliases.len() {
        let Some(circle) = aliases
            .keys()
            .find_map(|k| super::conflict::cycle_from(&aliases, k))
        else {
            break;
        };
        for name in &circle {
            match b.get(name) {
                Some(v) => aliases.insert(name.clone(), v.clone()),
                None => aliases.remove(name),
            };
        }
        disputed.push(circle);
    }
    for names in disputed {
        let restrict = |s: &Session| -> Value {
            let map: BTreeMap<&String, Option<&String>> =
                names.iter().map(|n| (n, s.aliases.get(n))).collect();
            serde_json::to_value(map).unwrap_or_default()
        };
        let conflict = Conflict {
            base: restrict(base),
            ours: Side {
                value: restrict(ours),
                by: ours.analyst.clone(),
                at: None,
            },
            theirs: Side {
                value: restrict(theirs),
                by: theirs.analyst.clone(),
                at: None,
            },
        };
        conflicts.insert(names[0].clone(), conflict);
    }
    merged.aliases = aliases;
    merged.alias_conflicts = conflicts;
}
