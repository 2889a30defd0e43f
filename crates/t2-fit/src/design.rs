//! What a set of rows can identify: distinct values of N, D and k, distinct checkpoints, and the rows that
//! carry weight. Each form states its needs ([`Needs`]); [`Design::require`] refuses rows that fall short, with
//! the reason, before a fit reports start values as estimates.

use std::collections::HashSet;

use t2_core::{Form, RunTable};

use crate::error::FitError;

/// Fewest distinct values along an axis that identify a power law with an offset along it (three points fix
/// c + A·x^−α).
pub const MIN_DISTINCT: usize = 3;

/// Distinct values of the design among rows with positive weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Design {
    /// Distinct N.
    pub params: usize,
    /// Distinct D.
    pub tokens: usize,
    /// Distinct k.
    pub k: usize,
    /// Distinct (N, D).
    pub checkpoints: usize,
    /// Distinct (N, D, k).
    pub points: usize,
    /// Rows (with repeats) of positive weight.
    pub weighted_rows: usize,
}

impl Design {
    /// The design of `rows` of `table` (repeats allowed); rows of weight 0 do not count.
    pub fn of(table: &RunTable, rows: &[usize]) -> Design {
        let weighted: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| table.weight.as_ref().is_none_or(|w| w[i] > 0.0))
            .collect();
        let count = |key: &dyn Fn(usize) -> (u64, u64, u64)| {
            weighted.iter().map(|&i| key(i)).collect::<HashSet<_>>().len()
        };
        let bits = |v: &[f64], i: usize| v[i].to_bits();
        Design {
            params: count(&|i| (bits(&table.params, i), 0, 0)),
            tokens: count(&|i| (bits(&table.tokens, i), 0, 0)),
            k: count(&|i| (bits(&table.k, i), 0, 0)),
            checkpoints: count(&|i| (bits(&table.params, i), bits(&table.tokens, i), 0)),
            points: count(&|i| (bits(&table.params, i), bits(&table.tokens, i), bits(&table.k, i))),
            weighted_rows: weighted.len(),
        }
    }

    /// Errors with the first need this design falls short of.
    pub fn require(&self, form: Form, needs: &Needs) -> Result<(), FitError> {
        let short = |what: &str, have: usize, need: usize, consequence: &'static str| {
            (have < need).then(|| FitError::NotIdentifiable {
                form,
                what: what.to_string(),
                have,
                need,
                consequence,
            })
        };
        let checks = [
            short(
                "rows of positive weight",
                self.weighted_rows,
                1,
                "every row has weight 0",
            ),
            short(
                "distinct values of N (params)",
                self.params,
                needs.params,
                "A/N^α is not identified",
            ),
            short(
                "distinct values of D (tokens)",
                self.tokens,
                needs.tokens,
                "B/D^β is not identified",
            ),
            short(
                "distinct values of k",
                self.k,
                needs.k,
                "E and G/k^γ cannot be told apart",
            ),
            short(
                "distinct (N, D, k) points",
                self.points,
                needs.points,
                "no more points than free parameters: any fit interpolates them",
            ),
        ];
        match checks.into_iter().flatten().next() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// What a form needs of a design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// Distinct N needed.
    pub params: usize,
    /// Distinct D needed.
    pub tokens: usize,
    /// Distinct k needed.
    pub k: usize,
    /// Distinct (N, D, k) points: more than the free parameters.
    pub points: usize,
}

impl Needs {
    /// A law in N and D (and k when `k_axis`) with `free` free parameters: [`MIN_DISTINCT`] values along each
    /// axis and `free + 1` distinct points.
    pub fn for_law(free: usize, k_axis: bool) -> Needs {
        Needs {
            params: MIN_DISTINCT,
            tokens: MIN_DISTINCT,
            k: if k_axis { MIN_DISTINCT } else { 1 },
            points: free + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(points: &[(f64, f64, f64)], weight: Option<Vec<f64>>) -> RunTable {
        RunTable {
            params: points.iter().map(|p| p.0).collect(),
            tokens: points.iter().map(|p| p.1).collect(),
            k: points.iter().map(|p| p.2).collect(),
            loss: Some(vec![2.0; points.len()]),
            weight,
            ..Default::default()
        }
    }

    #[test]
    fn counts_distinct_values_of_weighted_rows() {
        let t = table(
            &[(1e8, 1e9, 1.0), (1e8, 1e9, 2.0), (2e8, 1e9, 1.0), (3e8, 2e9, 1.0)],
            Some(vec![1.0, 1.0, 1.0, 0.0]),
        );
        let d = Design::of(&t, &[0, 1, 2, 3, 3]);
        assert_eq!(
            d,
            Design {
                params: 2,
                tokens: 1,
                k: 2,
                checkpoints: 2,
                points: 3,
                weighted_rows: 3
            }
        );
    }

    #[test]
    fn refuses_what_cannot_identify_the_law() {
        let chinchilla = Needs::for_law(5, false);
        let one_row = table(&[(1e8, 1e9, 1.0)], None);
        let e = Design::of(&one_row, &[0])
            .require(Form::Chinchilla, &chinchilla)
            .unwrap_err();
        assert!(e.to_string().contains("distinct values of N"), "{e}");
        let grid: Vec<(f64, f64, f64)> = [1e8, 1e9, 1e10]
            .iter()
            .flat_map(|&n| [1e9, 1e10].map(|d| (n, d, 1.0)))
            .collect();
        let t = table(&grid, None);
        let e = Design::of(&t, &[0, 1, 2, 3, 4, 5])
            .require(Form::Chinchilla, &chinchilla)
            .unwrap_err();
        assert!(e.to_string().contains("distinct values of D"), "{e}");
        let zero = table(&grid, Some(vec![0.0; 6]));
        let e = Design::of(&zero, &[0, 1])
            .require(Form::Chinchilla, &chinchilla)
            .unwrap_err();
        assert!(e.to_string().contains("weight 0"), "{e}");
    }
}
