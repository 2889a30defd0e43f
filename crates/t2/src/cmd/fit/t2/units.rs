//! What `t2 fit t2` fits: each task of the table on its own and, with several tasks, their macro average (the
//! mean over tasks of each metric at every (N, D, k) that all tasks share). Each unit keeps which of its rows
//! are held out of the fit.

use std::collections::BTreeMap;

use t2_core::RunTable;

/// One table to fit, with its held-out rows marked.
pub struct FitUnit {
    /// The task, "macro" for the macro average, None for a table without a task column.
    pub task: Option<String>,
    pub table: RunTable,
    pub heldout: Vec<bool>,
    /// Rows of the source table that could not enter a macro average (their (N, D, k) lacks some task).
    pub unmatched: usize,
}

impl FitUnit {
    /// Indices of the rows the fit uses.
    pub fn train_rows(&self) -> Vec<usize> {
        self.table.indices_where(|i| !self.heldout[i])
    }

    /// Indices of the held-out rows.
    pub fn heldout_rows(&self) -> Vec<usize> {
        self.table.indices_where(|i| self.heldout[i])
    }
}

/// The units of `table` with `heldout[i]` marking held-out rows: the whole table when it has no task column,
/// otherwise one unit per task (in order of first appearance) and, with two or more tasks, the macro average.
pub fn fit_units(table: &RunTable, heldout: &[bool]) -> Vec<FitUnit> {
    let Some(tasks) = &table.task else {
        return vec![FitUnit {
            task: None,
            table: table.clone(),
            heldout: heldout.to_vec(),
            unmatched: 0,
        }];
    };
    let mut names: Vec<&str> = Vec::new();
    for t in tasks {
        if !names.contains(&t.as_str()) {
            names.push(t);
        }
    }
    let mut units: Vec<FitUnit> = names
        .iter()
        .map(|name| {
            let rows = table.indices_where(|i| tasks[i] == *name);
            FitUnit {
                task: Some(name.to_string()),
                table: table.select(&rows),
                heldout: rows.iter().map(|&i| heldout[i]).collect(),
                unmatched: 0,
            }
        })
        .collect();
    if names.len() > 1 {
        units.push(macro_average(table, heldout, names.len()));
    }
    units
}

/// Mean over tasks of loss and pass@k at each (N, D, k) present in all `task_count` tasks (in order of first
/// appearance); a row is held out when any task's row is. Weights are dropped (each task counts once); extra
/// columns keep the first task's values.
fn macro_average(table: &RunTable, heldout: &[bool], task_count: usize) -> FitUnit {
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut first_of_key: Vec<((u64, u64, u64), usize)> = Vec::new();
    for i in 0..table.len() {
        let key = (
            table.params[i].to_bits(),
            table.tokens[i].to_bits(),
            table.k[i].to_bits(),
        );
        let first = match first_of_key.iter().find(|(k, _)| *k == key) {
            Some((_, first)) => *first,
            None => {
                first_of_key.push((key, i));
                i
            }
        };
        groups.entry(first).or_default().push(i);
    }
    let complete: Vec<&Vec<usize>> = groups.values().filter(|rows| rows.len() == task_count).collect();
    let unmatched = groups
        .values()
        .filter(|rows| rows.len() != task_count)
        .map(Vec::len)
        .sum();
    let mean = |column: &Option<Vec<f64>>| {
        column.as_ref().map(|values| {
            complete
                .iter()
                .map(|rows| rows.iter().map(|&i| values[i]).sum::<f64>() / rows.len() as f64)
                .collect()
        })
    };
    let firsts: Vec<usize> = complete.iter().map(|rows| rows[0]).collect();
    let mut averaged = RunTable {
        params: firsts.iter().map(|&i| table.params[i]).collect(),
        tokens: firsts.iter().map(|&i| table.tokens[i]).collect(),
        k: firsts.iter().map(|&i| table.k[i]).collect(),
        ..Default::default()
    };
    averaged.loss = mean(&table.loss);
    averaged.pass_at_k = mean(&table.pass_at_k);
    // Columns such as `origin` describe the checkpoint, the same for every task: the first task's value.
    averaged.extra = table.select(&firsts).extra;
    FitUnit {
        task: Some("macro".into()),
        heldout: complete
            .iter()
            .map(|rows| rows.iter().any(|&i| heldout[i]))
            .collect(),
        table: averaged,
        unmatched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_and_macro_average() {
        let table = RunTable {
            params: vec![1e6, 1e6, 1e6, 1e6, 2e6],
            tokens: vec![1e9; 5],
            k: vec![1.0, 2.0, 1.0, 2.0, 1.0],
            loss: Some(vec![3.0, 2.0, 5.0, 4.0, 9.0]),
            task: Some(["a", "a", "b", "b", "a"].map(String::from).to_vec()),
            ..Default::default()
        };
        let units = fit_units(&table, &[false, true, false, false, false]);
        assert_eq!(units.len(), 3);
        assert_eq!(units[0].task.as_deref(), Some("a"));
        assert_eq!(units[0].table.len(), 3);
        assert_eq!(units[0].heldout, vec![false, true, false]);
        let m = &units[2];
        assert_eq!(m.task.as_deref(), Some("macro"));
        assert_eq!(m.table.loss, Some(vec![4.0, 3.0]));
        assert_eq!(m.heldout, vec![false, true]);
        assert_eq!(m.unmatched, 1);
        assert!(m.table.task.is_none());
    }
}
