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
        SortKey::Id => indices.sort_by_cached_key(|&i| (docs.get(i).map(|d| d.id.clone()), i)),
    }
    if !ascending {
        indices.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::fixture::{Fixture, fixture};
    use crate::session::Command;

    fn sorted(f: &Fixture, mut indices: Vec<usize>, key: SortKey, ascending: bool) -> Vec<&str> {
        sort_indices(&mut indices, f.input(), key, ascending);
        f.ids(&indices)
    }

    fn all(f: &Fixture, key: SortKey, ascending: bool) -> Vec<&str> {
        sorted(f, vec![3, 1, 0, 2], key, ascending)
    }

    #[test]
    fn path_is_cache_order() {
        let f = fixture();
        assert_eq!(
            all(&f, SortKey::Path, true),
            ["a.txt", "b.txt", "c.txt", "d.txt"]
        );
        assert_eq!(
            all(&f, SortKey::Path, false),
            ["d.txt", "c.txt", "b.txt", "a.txt"]
        );
    }

    #[test]
    fn status_follows_the_order_of_the_keys() {
        let f = fixture();
        // Unreviewed, relevant, irrelevant, key: the 1-4 keys.
        assert_eq!(
            all(&f, SortKey::Status, true),
            ["d.txt", "a.txt", "c.txt", "b.txt"]
        );
        assert_eq!(
            all(&f, SortKey::Status, false),
            ["b.txt", "c.txt", "a.txt", "d.txt"]
        );
    }

    #[test]
    fn ties_keep_cache_order() {
        let mut f = fixture();
        assert_eq!(
            all(&f, SortKey::Kind, true),
            ["b.txt", "a.txt", "c.txt", "d.txt"]
        );
        for doc in ["a.txt", "b.txt", "c.txt"] {
            f.apply(Command::SetStatus {
                doc: doc.into(),
                status: crate::session::Status::Key,
            });
        }
        assert_eq!(
            all(&f, SortKey::Status, true),
            ["d.txt", "a.txt", "b.txt", "c.txt"]
        );
    }

    #[test]
    fn date_is_the_accepted_else_the_stated_date_undated_last() {
        let f = fixture();
        // b.txt: accepted 2018-05 (it states 2020); a.txt: stated 2019-03-04.
        assert_eq!(
            all(&f, SortKey::Date, true),
            ["b.txt", "a.txt", "c.txt", "d.txt"]
        );
        assert_eq!(
            all(&f, SortKey::Date, false),
            ["d.txt", "c.txt", "a.txt", "b.txt"]
        );
    }

    #[test]
    fn sender_is_the_accepted_else_the_stated_sender_folded_none_last() {
        let mut f = fixture();
        fn abc(f: &Fixture) -> Vec<&str> {
            sorted(f, vec![2, 0, 1], SortKey::Sender, true)
        }
        assert_eq!(
            abc(&f),
            ["b.txt", "a.txt", "c.txt"],
            "min of defence < saea"
        );
        f.apply(Command::Add {
            doc: "a.txt".into(),
            field: crate::session::Field::Sender,
            value: "Аэро".into(),
        });
        assert_eq!(
            abc(&f),
            ["a.txt", "b.txt", "c.txt"],
            "aero < min of defence"
        );
    }

    #[test]
    fn title_sorts_by_folded_title() {
        let f = fixture();
        // "delivery (copy)", "delivery of the radar", "elka memo" (Ёлка), "invoice 7".
        assert_eq!(
            all(&f, SortKey::Title, true),
            ["c.txt", "a.txt", "d.txt", "b.txt"]
        );
    }

    #[test]
    fn tags_and_links() {
        let f = fixture();
        assert_eq!(
            all(&f, SortKey::Tags, true),
            ["a.txt", "b.txt", "c.txt", "d.txt"],
            "untagged last"
        );
        assert_eq!(
            all(&f, SortKey::Links, true),
            ["b.txt", "c.txt", "d.txt", "a.txt"]
        );
        assert_eq!(
            all(&f, SortKey::Links, false),
            ["a.txt", "d.txt", "c.txt", "b.txt"]
        );
    }

    #[test]
    fn sorts_only_the_given_indices() {
        let f = fixture();
        assert_eq!(
            sorted(&f, vec![3, 1], SortKey::Title, true),
            ["d.txt", "b.txt"]
        );
        assert!(sorted(&f, Vec::new(), SortKey::Date, true).is_empty());
    }
}
