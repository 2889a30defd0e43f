//! Which rows of a table a fit uses: keep rows matching an expression, exclude rows matching another, drop the
//! n highest-loss rows. Every excluded row is reported with its reason.

use super::{Filter, FilterError};
use crate::words::counted;
use crate::RunTable;

/// Rows left out of a fit for one reason (table indices, ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// e.g. "not matching: tokens <= 7e10" or "5 highest-loss rows".
    pub reason: String,
    /// The table rows left out (0-based).
    pub rows: Vec<usize>,
}

/// Row selection options, applied in this order: `keep_where`, `exclude_where`, then `drop_highest_loss`
/// among the rows still in.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RowSelection {
    /// Keep only the rows matching this (`--where`).
    pub keep_where: Option<Filter>,
    /// Leave out the rows matching this (`--exclude-where`).
    pub exclude_where: Option<Filter>,
    /// Drop this many rows with the highest loss (ties: the later row goes first).
    pub drop_highest_loss: usize,
}

/// The rows a fit uses (ascending table indices) and the exclusions, one per reason that removed rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    /// The table rows kept (0-based, ascending).
    pub rows: Vec<usize>,
    /// The rows left out, per reason.
    pub excluded: Vec<Exclusion>,
}

impl RowSelection {
    /// Applies the selection to `table`. Errors when an expression reads a column the table lacks, when rows
    /// are to be dropped by loss without a loss column, when more rows would be dropped than remain, or when
    /// no row remains.
    pub fn apply(&self, table: &RunTable) -> Result<Selected, FilterError> {
        let mut rows: Vec<usize> = (0..table.len()).collect();
        let mut excluded = Vec::new();
        let mut split = |rows: &mut Vec<usize>, reason: String, out: &dyn Fn(usize) -> bool| {
            let (gone, kept): (Vec<usize>, Vec<usize>) = rows.iter().partition(|&&i| out(i));
            *rows = kept;
            if !gone.is_empty() {
                excluded.push(Exclusion { reason, rows: gone });
            }
        };
        if let Some(f) = &self.keep_where {
            f.check(table)?;
            split(&mut rows, format!("not matching: {f}"), &|i| !f.matches(table, i));
        }
        if let Some(f) = &self.exclude_where {
            f.check(table)?;
            split(&mut rows, format!("matching: {f}"), &|i| f.matches(table, i));
        }
        if self.drop_highest_loss > 0 {
            let loss = table.loss.as_ref().ok_or_else(|| {
                FilterError("dropping the highest-loss rows needs a loss column".to_string())
            })?;
            if self.drop_highest_loss >= rows.len() {
                return Err(FilterError(format!(
                    "cannot drop the {} highest-loss rows: only {} remain",
                    self.drop_highest_loss,
                    counted(rows.len(), "row")
                )));
            }
            let mut by_loss = rows.clone();
            by_loss.sort_by(|&i, &j| loss[j].total_cmp(&loss[i]).then(j.cmp(&i)));
            let mut gone = by_loss[..self.drop_highest_loss].to_vec();
            gone.sort_unstable();
            split(
                &mut rows,
                format!("{} highest-loss rows", self.drop_highest_loss),
                &|i| gone.binary_search(&i).is_ok(),
            );
        }
        if rows.is_empty() {
            let reasons: Vec<String> = excluded
                .iter()
                .map(|e| format!("{} {}", counted(e.rows.len(), "row"), e.reason))
                .collect();
            return Err(FilterError(format!(
                "no rows remain after excluding {}",
                reasons.join("; ")
            )));
        }
        Ok(Selected { rows, excluded })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RunTable {
        RunTable {
            params: vec![1e8, 2e8, 1e9, 1e9, 3e9],
            tokens: vec![1e10, 8e10, 2e10, 1e11, 1e11],
            k: vec![1.0; 5],
            loss: Some(vec![3.0, 3.5, 2.5, 3.5, 2.0]),
            ..Default::default()
        }
    }

    #[test]
    fn filters_then_drops_highest_loss_with_reasons() {
        let sel = RowSelection {
            keep_where: Some(Filter::parse("params < 2e9").unwrap()),
            exclude_where: Some(Filter::parse("tokens == 2e10").unwrap()),
            drop_highest_loss: 1,
        };
        let s = sel.apply(&table()).unwrap();
        assert_eq!(s.rows, vec![0, 1]);
        assert_eq!(s.excluded.len(), 3);
        assert_eq!(
            s.excluded[0],
            Exclusion {
                reason: "not matching: params < 2e9".into(),
                rows: vec![4]
            }
        );
        assert_eq!(s.excluded[1].rows, vec![2]);
        // Rows 1 and 3 tie at 3.5: the later one goes first.
        assert_eq!(
            s.excluded[2],
            Exclusion {
                reason: "1 highest-loss rows".into(),
                rows: vec![3]
            }
        );
    }

    #[test]
    fn impossible_selections_are_errors() {
        let t = table();
        let drop_all = RowSelection {
            drop_highest_loss: 5,
            ..Default::default()
        };
        assert!(drop_all.apply(&t).unwrap_err().0.contains("only 5 rows remain"));
        let none = RowSelection {
            keep_where: Some(Filter::parse("k > 1").unwrap()),
            ..Default::default()
        };
        assert!(none.apply(&t).unwrap_err().0.contains("no rows remain"));
        let no_loss = RunTable { loss: None, ..t };
        let drop = RowSelection {
            drop_highest_loss: 1,
            ..Default::default()
        };
        assert!(drop.apply(&no_loss).unwrap_err().0.contains("loss column"));
    }
}
