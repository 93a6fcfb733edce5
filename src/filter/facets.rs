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
