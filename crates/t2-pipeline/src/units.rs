//! What a sweep fit fits: each task of the table on its own and, with several tasks, their macro average (the
//! mean over tasks of each metric at every (N, D, k) that all tasks share); or all rows pooled. Each unit keeps
//! which of its rows are held out and which table rows each of its rows came from.

use std::collections::HashMap;

use t2_core::RunTable;

use crate::request::Grouping;

/// One table to fit, with its held-out rows marked.
pub struct FitUnit {
    /// The task, "macro" for the macro average, None for a table without a task column (or pooled).
    pub task: Option<String>,
    /// The rows to fit.
    pub table: RunTable,
    /// Which of them are held out.
    pub heldout: Vec<bool>,
    /// The rows of the source table behind each row of `table` (one per task for the macro average).
    pub source: Vec<Vec<usize>>,
    /// Rows of the source table that could not enter a macro average (their (N, D, k) lacks some task).
    pub unmatched: Vec<usize>,
}

impl FitUnit {
    /// Indices of the rows the fit learns from.
    pub fn train_rows(&self) -> Vec<usize> {
        self.table.indices_where(|i| !self.heldout[i])
    }

    /// Indices of the held-out rows.
    pub fn heldout_rows(&self) -> Vec<usize> {
        self.table.indices_where(|i| self.heldout[i])
    }

    /// The source-table rows behind unit rows `rows`.
    pub fn source_rows(&self, rows: &[usize]) -> Vec<usize> {
        rows.iter()
            .flat_map(|&i| self.source[i].iter().copied())
            .collect()
    }
}

/// The units of the `rows` of `table` (the selected ones), `heldout[i]` marking held-out table rows: one pooled
/// unit, or the whole selection when the table has no task column, or one unit per task (in order of first
/// appearance) and, with two or more tasks, the macro average.
pub fn fit_units(table: &RunTable, rows: &[usize], heldout: &[bool], grouping: Grouping) -> Vec<FitUnit> {
    let unit = |task: Option<String>, rows: &[usize]| FitUnit {
        task,
        table: table.select(rows),
        heldout: rows.iter().map(|&i| heldout[i]).collect(),
        source: rows.iter().map(|&i| vec![i]).collect(),
        unmatched: Vec::new(),
    };
    let tasks = match (&table.task, grouping) {
        (Some(tasks), Grouping::PerTask) => tasks,
        _ => return vec![unit(None, rows)],
    };
    let mut names: Vec<&str> = Vec::new();
    for &i in rows {
        if !names.contains(&tasks[i].as_str()) {
            names.push(&tasks[i]);
        }
    }
    let mut units: Vec<FitUnit> = names
        .iter()
        .map(|name| {
            let of_task: Vec<usize> = rows.iter().copied().filter(|&i| tasks[i] == *name).collect();
            unit(Some(name.to_string()), &of_task)
        })
        .collect();
    if names.len() > 1 {
        units.push(macro_average(table, rows, heldout, names.len()));
    }
    units
}

/// Mean over tasks of loss and pass@k at each (N, D, k) present in all `task_count` tasks (in order of first
/// appearance); a row is held out when any task's row is. Weights are dropped (each task counts once); extra
/// columns keep the first task's values.
fn macro_average(table: &RunTable, rows: &[usize], heldout: &[bool], task_count: usize) -> FitUnit {
    let mut group_of: HashMap<(u64, u64, u64), usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in rows {
        let key = (
            table.params[i].to_bits(),
            table.tokens[i].to_bits(),
            table.k[i].to_bits(),
        );
        let next = groups.len();
        let g = *group_of.entry(key).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        groups[g].push(i);
    }
    let (complete, partial): (Vec<Vec<usize>>, Vec<Vec<usize>>) =
        groups.into_iter().partition(|g| g.len() == task_count);
    let mean = |column: &Option<Vec<f64>>| {
        column.as_ref().map(|values| {
            complete
                .iter()
                .map(|g| g.iter().map(|&i| values[i]).sum::<f64>() / g.len() as f64)
                .collect()
        })
    };
    let firsts: Vec<usize> = complete.iter().map(|g| g[0]).collect();
    let averaged = RunTable {
        params: firsts.iter().map(|&i| table.params[i]).collect(),
        tokens: firsts.iter().map(|&i| table.tokens[i]).collect(),
        k: firsts.iter().map(|&i| table.k[i]).collect(),
        loss: mean(&table.loss),
        pass_at_k: mean(&table.pass_at_k),
        // Columns such as `origin` describe the checkpoint, the same for every task: the first task's value.
        extra: table.select(&firsts).extra,
        ..Default::default()
    };
    FitUnit {
        task: Some("macro".into()),
        heldout: complete.iter().map(|g| g.iter().any(|&i| heldout[i])).collect(),
        table: averaged,
        source: complete,
        unmatched: partial.into_iter().flatten().collect(),
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
        let all: Vec<usize> = (0..5).collect();
        let units = fit_units(
            &table,
            &all,
            &[false, true, false, false, false],
            Grouping::PerTask,
        );
        assert_eq!(units.len(), 3);
        assert_eq!(units[0].task.as_deref(), Some("a"));
        assert_eq!(units[0].table.len(), 3);
        assert_eq!(units[0].heldout, vec![false, true, false]);
        assert_eq!(units[0].source_rows(&[2]), vec![4]);
        let m = &units[2];
        assert_eq!(m.task.as_deref(), Some("macro"));
        assert_eq!(m.table.loss, Some(vec![4.0, 3.0]));
        assert_eq!(m.heldout, vec![false, true]);
        assert_eq!(m.unmatched, vec![4]);
        assert_eq!(m.source_rows(&[1]), vec![1, 3]);
        assert!(m.table.task.is_none());
        let pooled = fit_units(&table, &[0, 2, 4], &[false; 5], Grouping::Pooled);
        assert_eq!((pooled.len(), pooled[0].table.len()), (1, 3));
    }
}
