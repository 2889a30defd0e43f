//! Sets of input-file rows, kept as runs: a per-problem checkpoint of 12,500 consecutive rows is one run, not
//! 12,500 numbers, in memory and in a fit file.
//!
//! In JSON a set is a list whose entries are row numbers or runs "first-last" (inclusive), e.g.
//! `[2, "5-12506", 12510]`; a plain list of numbers (as older fit files hold) reads as the same set.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A set of row numbers as sorted, disjoint, non-touching inclusive runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RowSet {
    runs: Vec<(usize, usize)>,
}

impl RowSet {
    /// An empty set.
    pub fn new() -> RowSet {
        RowSet::default()
    }

    /// The rows first..=last.
    pub fn run(first: usize, last: usize) -> RowSet {
        RowSet {
            runs: if first <= last {
                vec![(first, last)]
            } else {
                Vec::new()
            },
        }
    }

    /// Adds `row`: O(1) when rows come in increasing order (a file read top to bottom), else an insertion.
    pub fn insert(&mut self, row: usize) {
        match self.runs.last_mut() {
            None => self.runs.push((row, row)),
            Some(last) if row == last.1 + 1 => last.1 = row,
            Some(last) if row > last.1 + 1 => self.runs.push((row, row)),
            Some(_) => self.insert_unordered(row),
        }
    }

    fn insert_unordered(&mut self, row: usize) {
        // The first run that ends at or after row - 1 (could touch or hold it).
        let at = self.runs.partition_point(|&(_, last)| last + 1 < row);
        if at < self.runs.len() && self.runs[at].0 <= row + 1 {
            let run = &mut self.runs[at];
            if row >= run.0 && row <= run.1 {
                return;
            }
            run.0 = run.0.min(row);
            run.1 = run.1.max(row);
            if at + 1 < self.runs.len() && self.runs[at + 1].0 <= self.runs[at].1 + 1 {
                self.runs[at].1 = self.runs[at + 1].1;
                self.runs.remove(at + 1);
            }
        } else {
            self.runs.insert(at, (row, row));
        }
    }

    /// Adds every row of `other`: O(runs) when they all come after this set's (a later batch of a file).
    pub fn extend(&mut self, other: &RowSet) {
        let Some(&(first, _)) = other.runs.first() else {
            return;
        };
        match self.runs.last_mut() {
            Some(last) if first <= last.1 => *self = RowSet::union([&*self, other]),
            Some(last) if first == last.1 + 1 => {
                last.1 = other.runs[0].1;
                self.runs.extend_from_slice(&other.runs[1..]);
            }
            _ => self.runs.extend_from_slice(&other.runs),
        }
    }

    /// The union of `sets`.
    pub fn union<'a>(sets: impl IntoIterator<Item = &'a RowSet>) -> RowSet {
        let mut runs: Vec<(usize, usize)> = sets.into_iter().flat_map(|s| s.runs.iter().copied()).collect();
        runs.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(runs.len());
        for (first, last) in runs {
            match merged.last_mut() {
                Some(prev) if first <= prev.1 + 1 => prev.1 = prev.1.max(last),
                _ => merged.push((first, last)),
            }
        }
        RowSet { runs: merged }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|(first, last)| last - first + 1).sum()
    }

    /// Whether the set holds no row.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The smallest row.
    pub fn first(&self) -> Option<usize> {
        self.runs.first().map(|r| r.0)
    }

    /// Whether `row` is in the set.
    pub fn contains(&self, row: usize) -> bool {
        let at = self.runs.partition_point(|&(_, last)| last < row);
        at < self.runs.len() && self.runs[at].0 <= row
    }

    /// The rows in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.runs.iter().flat_map(|&(first, last)| first..=last)
    }

    /// "2-4, 7, …": the first `runs` runs, and "…" when there are more (for messages).
    pub fn abbreviated(&self, runs: usize) -> String {
        let shown = RowSet {
            runs: self.runs.iter().take(runs).copied().collect(),
        };
        let more = if self.runs.len() > runs { ", …" } else { "" };
        format!("{shown}{more}")
    }

    /// The runs (first, last), inclusive, in increasing order.
    pub fn runs(&self) -> &[(usize, usize)] {
        &self.runs
    }
}

impl FromIterator<usize> for RowSet {
    fn from_iter<I: IntoIterator<Item = usize>>(rows: I) -> RowSet {
        let mut set = RowSet::new();
        for row in rows {
            set.insert(row);
        }
        set
    }
}

/// "2, 5-9, 12" (for messages).
impl fmt::Display for RowSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &(first, last)) in self.runs.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if first == last {
                write!(f, "{first}")?;
            } else {
                write!(f, "{first}-{last}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for RowSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.runs.len()))?;
        for &(first, last) in &self.runs {
            match last - first {
                0 => seq.serialize_element(&first)?,
                1 => {
                    seq.serialize_element(&first)?;
                    seq.serialize_element(&last)?;
                }
                _ => seq.serialize_element(&format!("{first}-{last}"))?,
            }
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for RowSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RowSet, D::Error> {
        deserializer.deserialize_seq(RowSetVisitor)
    }
}

struct RowSetVisitor;

/// One entry of the JSON list: a row or a run.
#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Row(usize),
    Run(String),
}

impl<'de> Visitor<'de> for RowSetVisitor {
    type Value = RowSet;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of row numbers and \"first-last\" runs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RowSet, A::Error> {
        let mut sets = Vec::new();
        while let Some(entry) = seq.next_element::<Entry>()? {
            sets.push(match entry {
                Entry::Row(row) => RowSet::run(row, row),
                Entry::Run(text) => {
                    let parsed = text
                        .split_once('-')
                        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)));
                    match parsed {
                        Some((first, last)) if first <= last => RowSet::run(first, last),
                        _ => return Err(de::Error::custom(format!("'{text}' is not a run \"first-last\""))),
                    }
                }
            });
        }
        Ok(RowSet::union(&sets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extend_appends_later_rows_and_unites_earlier_ones() {
        let set = |rows: &[usize]| rows.iter().copied().collect::<RowSet>();
        for (a, b) in [
            (&[2, 3, 7][..], &[9, 10, 12][..]), // after
            (&[2, 3, 7], &[8, 9, 12]),          // touching
            (&[2, 3, 7], &[3, 5, 20]),          // overlapping
            (&[5, 9], &[1, 2]),                 // before
            (&[], &[4]),
            (&[4], &[]),
        ] {
            let mut extended = set(a);
            extended.extend(&set(b));
            let every: Vec<usize> = a.iter().chain(b).copied().collect();
            assert_eq!(extended, set(&every), "{a:?} + {b:?}");
        }
    }

    #[test]
    fn runs_merge_in_any_insertion_order() {
        let ordered: RowSet = [2, 3, 4, 7, 9, 10].into_iter().collect();
        assert_eq!(ordered.runs(), &[(2, 4), (7, 7), (9, 10)]);
        let shuffled: RowSet = [10, 3, 7, 2, 9, 4, 3].into_iter().collect();
        assert_eq!(shuffled, ordered);
        let mut bridged = ordered.clone();
        bridged.insert(8);
        assert_eq!(bridged.runs(), &[(2, 4), (7, 10)]);
        assert_eq!(bridged.len(), 7);
        assert!(bridged.contains(8) && !bridged.contains(5) && !bridged.contains(11));
        assert_eq!(bridged.iter().collect::<Vec<_>>(), vec![2, 3, 4, 7, 8, 9, 10]);
        assert_eq!(bridged.to_string(), "2-4, 7-10");
        assert_eq!(bridged.abbreviated(1), "2-4, …");
    }

    #[test]
    fn union_merges_overlapping_and_touching_runs() {
        let u = RowSet::union(&[
            RowSet::run(5, 9),
            RowSet::run(2, 4),
            RowSet::run(8, 12),
            RowSet::run(20, 20),
        ]);
        assert_eq!(u.runs(), &[(2, 12), (20, 20)]);
    }

    #[test]
    fn json_is_compact_and_reads_plain_lists() {
        let set: RowSet = [2, 5, 6, 7, 8, 12, 13].into_iter().collect();
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"[2,"5-8",12,13]"#);
        assert_eq!(serde_json::from_str::<RowSet>(&json).unwrap(), set);
        assert_eq!(
            serde_json::from_str::<RowSet>("[13, 2, 5, 6, 7, 8, 12]").unwrap(),
            set
        );
        let bad = serde_json::from_str::<RowSet>(r#"["9-3"]"#)
            .unwrap_err()
            .to_string();
        assert!(bad.contains("'9-3' is not a run"), "{bad}");
    }
}
