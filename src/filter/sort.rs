//! The order of the document list.

use super::{FilterInput, SortKey, display_sender, effective_date};
use crate::fold::fold;

/// Sorts filtered indices by a column (stable: ties keep cache order).
pub fn sort_indices(indices: &mut [usize], input: FilterInput<'_>, key: SortKey, ascending: bool) {
    let FilterInput {
        cache,
        session,
        metas,
        ..
    } = input;
    let docs = &cache.documents;
    let review = |i: usize| docs.get(i).and_then(|d| session.review(&d.id));
    match key {
        SortKey::Path => indices.sort_unstable(),
        SortKey::Status => {
            indices.sort_by_key(|&i| (review(i).map(|r| r.status).unwrap_or_default(), i))
        }
        SortKey::Kind => indices.sort_by_cached_key(|&i| (docs.get(i).map(|d| d.kind.clone()), i)),
        SortKey::Date => indices.sort_by_cached_key(|&i| {
            let d = effective_date(review(i), metas.get(i));
            // Undated documents last.
            (d.is_none(), d, i)
        }),
        SortKey::Sender => indices.sort_by_cached_key(|&i| {
            let s = docs
                .get(i)
                .and_then(|d| display_sender(d, review(i)))
                .map(fold);
            (s.is_none(), s, i)
        }),
        SortKey::Title => indices.sort_by_cached_key(|&i| (docs.get(i).map(|d| fold(&d.title)), i)),
        SortKey::Tags => indices.sort_by_cached_key(|&i| {
            let t = review(i).map(|r| r.tags.join(",")).unwrap_or_default();
            (t.is_empty(), t, i)
        }),
        SortKey::Links => indices.sort_by_key(|&i| (review(i).map_or(0, |r| r.links.len()), i)),
    }
    if !ascending {
        indices.reverse();
    }
}
