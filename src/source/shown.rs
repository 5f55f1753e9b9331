//! Which errors need an exact position: only those that can be among the first
//! `shown` in file order. A run prints at most `MAX_ERRORS` errors and counts the
//! rest, and a megabyte of profiles can hold 34,000 of them: placing them all kept
//! an index of 68,000 paths beside the parser (issue 20).
//!
//! The one order known without reading the file: the items of a list are in the
//! file in index order, so everything under `profiles[3]` comes before everything
//! under `profiles[4]`. For each list, the items are taken in order until they hold
//! `shown` errors; an error under a later item can never be among the first `shown`.

use std::collections::{BTreeMap, HashMap};

/// The list an error's path goes through first, and the item: `profiles[12].path`
/// is (`profiles`, 12). `None` for a path outside every list.
fn first_item(path: &str) -> Option<(&str, usize)> {
    let open = path.find('[')?;
    let rest = &path[open + 1..];
    let close = rest.find(']')?;
    let item = rest[..close].parse().ok()?;
    Some((&path[..open], item))
}

/// For each error: whether it must be placed exactly (true) or can only be counted
/// and placed at its list item (false), so that the first `shown` in file order are
/// exactly the first `shown` of the errors all placed exactly.
pub(super) fn exact<'a>(paths: impl Iterator<Item = &'a str> + Clone, shown: usize) -> Vec<bool> {
    let mut per_list: HashMap<&str, BTreeMap<usize, usize>> = HashMap::new();
    for (list, item) in paths.clone().filter_map(first_item) {
        *per_list.entry(list).or_default().entry(item).or_default() += 1;
    }
    // The last item of each list whose errors can still be shown.
    let last: HashMap<&str, usize> = per_list
        .into_iter()
        .map(|(list, items)| {
            let mut taken = 0;
            let mut last = 0;
            for (item, count) in items {
                last = item;
                taken += count;
                if taken >= shown {
                    break;
                }
            }
            (list, last)
        })
        .collect();
    paths
        .map(|path| first_item(path).is_none_or(|(list, item)| item <= last[list]))
        .collect()
}

/// The list item a counted error is placed at: `profiles[12].path` -> `profiles[12]`.
pub(super) fn item_of(path: &str) -> &str {
    match path.find(']') {
        Some(close) => &path[..=close],
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_of(paths: &[&str], shown: usize) -> Vec<bool> {
        exact(paths.iter().copied(), shown)
    }

    #[test]
    fn items_are_taken_in_order_until_they_hold_enough_errors() {
        // Out of order on purpose: the model reports in its own order.
        let paths = [
            "profiles[2].name",
            "profiles[0].path",
            "profiles[0].tags.a",
            "profiles[1].path",
            "profiles[3].path",
        ];
        assert_eq!(exact_of(&paths, 3), [false, true, true, true, false]);
        assert_eq!(exact_of(&paths, 2), [false, true, true, false, false]);
        assert_eq!(exact_of(&paths, 5), [true; 5]);
    }

    #[test]
    fn paths_outside_every_list_are_always_exact_and_each_list_counts_alone() {
        let paths = [
            "version",
            "rollout.regions[1]",
            "rollout.regions[0]",
            "profiles[7].path",
            "profiles[9].path",
            "",
        ];
        assert_eq!(exact_of(&paths, 1), [true, false, true, true, false, true]);
    }

    #[test]
    fn a_counted_error_is_placed_at_its_item() {
        assert_eq!(item_of("profiles[12].s3.buckets[1].name"), "profiles[12]");
        assert_eq!(item_of("version"), "version");
    }
}
