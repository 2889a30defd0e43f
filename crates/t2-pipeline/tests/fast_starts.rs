//! The default (variable-projection) starts against the exhaustive searches on every real loss table the tests
//! hold: Chinchilla's against Epoch's 4,500-point grid (each task of the shipped example sweep, Pythia GSM8K's
//! single-pass losses, Epoch's 245 and 240 rows, under Huber and squared-log losses), and Approach 2's stage 1
//! against the paper's every-start profile (the example sweep's tasks, Pythia). The default's objective is never
//! worse by more than 1e-9 relative. (Simulated tables: t2-fit's `fast_starts` test and Approach 2's tests.)

#[path = "../../shared_data.rs"]
mod shared_data;

use std::path::Path;

use t2_core::filter::RowSelection;
use t2_core::RunTable;
use t2_fit::approach2::{stage1, Approach2Data, Approach2Options, Stage1Method};
use t2_fit::chinchilla::{fit, ChinchillaOptions, FitData, Loss, Starts};
use t2_ingest::IngestOptions;

/// Single-pass rows with a finite, positive loss, per task.
fn loss_tables(table: &RunTable) -> Vec<(String, Vec<usize>)> {
    let mut tasks: Vec<String> = (0..table.len()).map(|i| table.task_of(i).to_string()).collect();
    tasks.sort();
    tasks.dedup();
    let loss = table.loss.as_ref().expect("a loss column");
    tasks
        .into_iter()
        .map(|task| {
            let rows = (0..table.len())
                .filter(|&i| {
                    table.k[i] == 1.0 && table.task_of(i) == task && loss[i].is_finite() && loss[i] > 0.0
                })
                .collect();
            (task, rows)
        })
        .collect()
}

fn assert_default_reaches_grid(name: &str, table: &RunTable, rows: &[usize]) {
    let data = FitData::new(table, rows).unwrap();
    for loss in [Loss::default(), Loss::SquaredLog] {
        let default = fit(
            &data,
            &ChinchillaOptions {
                loss,
                ..Default::default()
            },
        );
        let grid = fit(
            &data,
            &ChinchillaOptions {
                loss,
                starts: Starts::EpochGrid,
                ..Default::default()
            },
        );
        let (ours, reference) = (default.multistart.best.cost, grid.multistart.best.cost);
        assert!(
            ours <= reference * (1.0 + 1e-9),
            "{name} ({} rows, {loss:?}): default {ours:e} vs grid {reference:e}",
            rows.len()
        );
    }
}

/// Approach 2's stage 1 on the rows of `task`: the default against every start of the paper's 8 × 8 (α, β) grid
/// polished at each of the 40 profiled E.
fn assert_stage1_reaches_exhaustive(name: &str, table: &RunTable, task: &str) {
    let rows: Vec<usize> = (0..table.len()).filter(|&i| table.task_of(i) == task).collect();
    let data = Approach2Data::new(table, &rows).unwrap();
    let defaults = Approach2Options::default();
    let fit = |method, grid: &[f64]| {
        stage1::fit_stage1(table, &data.stage1, method, grid, &defaults.lbfgs, None)
            .unwrap()
            .sse
    };
    let ours = fit(defaults.stage1, &defaults.exponent_grid);
    let exhaustive = Stage1Method::ProfileE {
        values: 40,
        polish: 64,
    };
    let reference = fit(exhaustive, &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]);
    assert!(
        ours <= reference * (1.0 + 1e-9),
        "{name}: stage 1 default {ours:e} vs exhaustive {reference:e}"
    );
}

#[test]
fn on_the_example_sweep() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/example_sweep.csv");
    let table = t2_ingest::read_runs(&path, &IngestOptions::default())
        .unwrap()
        .table;
    let tables = loss_tables(&table);
    assert_eq!(tables.len(), 3);
    for (task, rows) in tables {
        assert_default_reaches_grid(&format!("example sweep, {task}"), &table, &rows);
        assert_stage1_reaches_exhaustive(&format!("example sweep, {task}"), &table, &task);
    }
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn on_pythia_gsm8k() {
    let path = shared_data::shared_data("pythia_gsm8k_per_problem.parquet");
    let table = t2_ingest::read_runs(&path, &IngestOptions::default())
        .unwrap()
        .table;
    let tables = loss_tables(&table);
    assert_eq!(tables.len(), 1);
    assert!(tables[0].1.len() >= 60, "{} rows", tables[0].1.len());
    assert_default_reaches_grid("Pythia GSM8K", &table, &tables[0].1);
    assert_stage1_reaches_exhaustive("Pythia GSM8K", &table, "");
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn on_epochs_rows() {
    let opts = IngestOptions {
        columns: vec![
            ("params".into(), "Model Size".into()),
            ("train_flops".into(), "Training FLOP".into()),
        ],
        ..Default::default()
    };
    let path = shared_data::shared_data("chinchilla_epoch_svg.csv");
    let table = t2_ingest::read_runs(&path, &opts).unwrap().table;
    for drop in [0, 5] {
        let selection = RowSelection {
            drop_highest_loss: drop,
            ..Default::default()
        };
        let rows = selection.apply(&table).unwrap().rows;
        assert_default_reaches_grid(&format!("Epoch, {} rows", rows.len()), &table, &rows);
    }
}
