//! E-mail threads: the messages of one mailbox (or one folder of loose `.eml`/`.msg` files)
//! linked by `Message-ID`, `In-Reply-To` and `References`.

use std::collections::{HashMap, HashSet};

use crate::model::{Cache, Document};

/// Where a message is filed for threading: its mailbox or container, else its folder.
fn place(doc: &Document) -> &str {
    match &doc.parent {
        Some(p) => crate::ingest::split_mailbox_record(p).0,
        None => doc.path.rsplit_once('/').map_or("", |(dir, _)| dir),
    }
}

/// The message ids a message names: its own, and the ones it replies to or refers to.
fn ids(doc: &Document) -> (Option<&str>, Vec<&str>) {
    let own = doc.extra.get("message-id").map(String::as_str);
    let refs = ["in-reply-to", "references"]
        .iter()
        .filter_map(|k| doc.extra.get(*k))
        .flat_map(|v| v.split_whitespace())
        .collect();
    (own, refs)
}

/// The indices (cache order) of the messages in the thread of the document at `index`: those
/// filed in the same place linked to it through replies and references, itself included.
/// Empty when the document is no message or has no thread headers.
pub fn thread(cache: &Cache, index: usize) -> Vec<usize> {
    let Some(doc) = cache.documents.get(index) else {
        return Vec::new();
    };
    if doc.kind != "email" {
        return Vec::new();
    }
    let here = place(doc);
    let messages: Vec<usize> = cache
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == "email" && place(d) == here)
        .map(|(i, _)| i)
        .collect();
    // Union of messages by the ids they share.
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &messages {
        let (own, refs) = ids(&cache.documents[i]);
        for id in own.into_iter().chain(refs) {
            by_id.entry(id).or_default().push(i);
        }
    }
    let mut seen = HashSet::from([index]);
    let mut todo = vec![index];
    while let Some(i) = todo.pop() {
        let (own, refs) = ids(&cache.documents[i]);
        for id in own.into_iter().chain(refs) {
            for &j in by_id.get(id).into_iter().flatten() {
                if seen.insert(j) {
                    todo.push(j);
                }
            }
        }
    }
    if seen.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<usize> = seen.into_iter().collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: &str, parent: &str, own: &str, reply: Option<&str>) -> Document {
        let mut d = Document {
            id: id.to_owned(),
            path: "mail/desk.mbox".to_owned(),
            kind: "email".to_owned(),
            parent: Some(parent.to_owned()),
            ..Document::default()
        };
        d.extra.insert("message-id".to_owned(), own.to_owned());
        if let Some(r) = reply {
            d.extra.insert("in-reply-to".to_owned(), r.to_owned());
        }
        d
    }

    #[test]
    fn replies_in_one_mailbox_form_a_thread() {
        let cache = Cache {
            documents: vec![
                message("m#1", "m", "a@x", None),
                message("m#2", "m", "b@x", Some("a@x")),
                message("m#3", "m", "c@x", Some("b@x")),
                message("m#4", "m", "d@x", None),
                // The same id in another mailbox is another conversation.
                message("n#1", "n", "e@x", Some("a@x")),
            ],
            ..Cache::default()
        };
        assert_eq!(thread(&cache, 2), [0, 1, 2]);
        assert_eq!(thread(&cache, 0), [0, 1, 2]);
        assert!(
            thread(&cache, 3).is_empty(),
            "a message alone has no thread"
        );
        assert!(thread(&cache, 4).is_empty());
    }
}
