//! "Did you mean …?" for column names: case-insensitive edit distance.

/// Levenshtein distance between `a` and `b`, ignoring ASCII case.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Up to three of `candidates` close to `wanted` (edit distance ≤ max(2, len/3), or one name containing the
/// other, ignoring case), closest first.
pub fn close_names<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = edit_distance(wanted, c);
            let lower = c.to_lowercase();
            let contains =
                !lower.is_empty() && (lower.contains(&wanted_lower) || wanted_lower.contains(&lower));
            (d <= limit || contains).then_some((d, c))
        })
        .collect();
    scored.sort_by_key(|&(d, _)| d);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("Params", "params"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggests_close_and_containing_names() {
        let present = ["n_params", "tokens", "lost", "unrelated_column"];
        assert_eq!(close_names("params", present), vec!["n_params"]);
        assert_eq!(close_names("loss", present), vec!["lost"]);
        assert!(close_names("weight", present).is_empty());
    }
}
