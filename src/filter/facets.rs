//! Which values a facet shows when it has too many to list.

use std::collections::{BTreeMap, BTreeSet};

/// How many values a facet shows (the most frequent; selected values always show).
pub const MAX_FACET_VALUES: usize = 40;

/// The values a facet shows: the selected ones, then the most frequent, at most [`MAX_FACET_VALUES`]
/// in all (ties by name), in name order; and how many were left out.
pub fn facet_display<T: Ord + Clone>(
    set: &BTreeSet<T>,
    values: &BTreeMap<T, usize>,
) -> (Vec<(T, usize)>, usize) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let room = MAX_FACET_VALUES.saturating_sub(set.len());
    // A min-heap of the `room` most frequent unselected values.
    let mut heap: BinaryHeap<Reverse<(usize, Reverse<&T>)>> = BinaryHeap::new();
    for (k, &n) in values {
        if set.contains(k) {
            continue;
        }
        heap.push(Reverse((n, Reverse(k))));
        if heap.len() > room {
            heap.pop();
        }
    }
    let mut shown: Vec<(T, usize)> = heap
        .into_iter()
        .map(|Reverse((n, Reverse(k)))| (k.clone(), n))
        .collect();
    for v in set {
        shown.push((v.clone(), values.get(v).copied().unwrap_or(0)));
    }
    shown.sort_by(|a, b| a.0.cmp(&b.0));
    let hidden =
        values.len() + set.iter().filter(|v| !values.contains_key(*v)).count() - shown.len();
    (shown, hidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize) -> BTreeMap<String, usize> {
        (0..n).map(|i| (format!("v{i:02}"), i + 1)).collect()
    }

    fn keys(shown: &[(String, usize)]) -> Vec<&str> {
        shown.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn a_short_facet_shows_every_value_in_name_order() {
        let counts: BTreeMap<String, usize> =
            [("memo".to_owned(), 3), ("invoice".to_owned(), 9)].into();
        let (shown, hidden) = facet_display(&BTreeSet::new(), &counts);
        assert_eq!(shown, [("invoice".to_owned(), 9), ("memo".to_owned(), 3)]);
        assert_eq!(hidden, 0);
        let (shown, hidden) = facet_display::<String>(&BTreeSet::new(), &BTreeMap::new());
        assert!(shown.is_empty());
        assert_eq!(hidden, 0);
    }

    #[test]
    fn a_long_facet_shows_the_most_frequent_values() {
        let counts = values(50);
        let (shown, hidden) = facet_display(&BTreeSet::new(), &counts);
        assert_eq!(shown.len(), MAX_FACET_VALUES);
        assert_eq!(hidden, 10);
        assert_eq!(shown.first(), Some(&("v10".to_owned(), 11)));
        assert_eq!(shown.last(), Some(&("v49".to_owned(), 50)));
    }

    #[test]
    fn selected_values_always_show_even_without_documents() {
        let counts = values(50);
        let set: BTreeSet<String> = ["v00".to_owned(), "zzz".to_owned()].into();
        let (shown, hidden) = facet_display(&set, &counts);
        assert_eq!(shown.len(), MAX_FACET_VALUES);
        assert_eq!(shown.first(), Some(&("v00".to_owned(), 1)));
        assert_eq!(shown.last(), Some(&("zzz".to_owned(), 0)));
        assert_eq!(
            keys(&shown)[1],
            "v12",
            "38 places left for the most frequent"
        );
        assert_eq!(hidden, 11, "v01..v11");
    }

    #[test]
    fn ties_keep_the_first_names() {
        let counts: BTreeMap<String, usize> = (0..45).map(|i| (format!("n{i:02}"), 1)).collect();
        let (shown, hidden) = facet_display(&BTreeSet::new(), &counts);
        assert_eq!(hidden, 5);
        assert_eq!(keys(&shown).first(), Some(&"n00"));
        assert_eq!(keys(&shown).last(), Some(&"n39"));
    }
}
