//! Run tables: defaults, derived tokens, extras, duplicates, and the write/read round trip.

mod common;

use common::{fixture, read};
use t2_ingest::{Format, IngestOptions, InputKind};

#[test]
fn run_table_columns_task_and_extras() {
    let ingested = read("runs_ok.csv", &IngestOptions::default()).unwrap();
    let t = &ingested.table;
    assert_eq!(ingested.report.kind, InputKind::Run);
    assert_eq!(ingested.report.rows_read, 4);
    assert_eq!(t.params, vec![1e6, 1e6, 2e6, 2e6]);
    assert_eq!(t.k, vec![1.0, 4.0, 1.0, 1.0]);
    assert_eq!(t.loss.as_deref(), Some(&[3.2, 2.1, 3.0, 2.8][..]));
    assert_eq!(t.pass_at_k.as_deref(), Some(&[0.10, 0.30, 0.15, 0.20][..]));
    assert_eq!(t.task.as_deref().unwrap(), &["gsm8k", "gsm8k", "gsm8k", "math"]);
    assert_eq!(t.extra.len(), 1);
    assert_eq!(t.extra[0].name, "run_id");
    assert_eq!(t.extra[0].values, vec!["a", "a", "b", "b"]);
    assert_eq!(rows_of(&ingested), vec![vec![2], vec![3], vec![4], vec![5]]);
    assert!(ingested.report.dropped.is_empty() && ingested.report.warnings.is_empty());
}

#[test]
fn no_k_column_means_k_one_and_tokens_come_from_train_flops() {
    let ingested = read("runs_flops_only.csv", &IngestOptions::default()).unwrap();
    let t = &ingested.table;
    assert_eq!(t.k, vec![1.0, 1.0]);
    // D = C / (6 N): 6e15 / 6e6 = 1e9, 2.4e16 / 1.2e7 = 2e9.
    assert!(
        (t.tokens[0] - 1e9).abs() < 1e-3 && (t.tokens[1] - 2e9).abs() < 1e-3,
        "{:?}",
        t.tokens
    );
    assert!(t.pass_at_k.is_none());
    assert!(
        t.extra.is_empty(),
        "train_flops is consumed, not carried: {:?}",
        t.extra
    );
}

#[test]
fn exact_duplicate_rows_are_dropped_and_reported() {
    let ingested = read("runs_exact_duplicate.csv", &IngestOptions::default()).unwrap();
    assert_eq!(ingested.table.len(), 2);
    assert_eq!(rows_of(&ingested), vec![vec![2], vec![3]]);
    let dropped = &ingested.report.dropped;
    assert_eq!(dropped.len(), 1);
    assert_eq!(
        (dropped[0].count, dropped[0].rows.iter().collect::<Vec<_>>()),
        (1, vec![4])
    );
    assert!(dropped[0].reason.contains("exact duplicate"));
}

#[test]
fn a_mapping_supersedes_a_canonical_column_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two_losses.csv");
    std::fs::write(&path, "params,tokens,loss,loss_smoothed\n1e6,2e9,3.5,3.4\n").unwrap();
    let opts = IngestOptions {
        columns: vec![("loss".into(), "loss_smoothed".into())],
        ..Default::default()
    };
    let ingested = t2_ingest::read_runs(&path, &opts).unwrap();
    assert_eq!(ingested.table.loss, Some(vec![3.4]));
    assert!(ingested.table.extra.is_empty());
    assert!(
        ingested.report.warnings[0].contains("column 'loss' is ignored"),
        "{:?}",
        ingested.report.warnings
    );
}

#[test]
fn written_tables_read_back_bit_identical() {
    let dir = tempfile::tempdir().unwrap();
    for source in ["runs_ok.csv", "sampled_ok.csv", "likelihood_ok.csv"] {
        let original = read(source, &IngestOptions::default()).unwrap().table;
        for (ext, format) in [("csv", Format::Csv), ("parquet", Format::Parquet)] {
            let path = dir.path().join(format!("out.{ext}"));
            t2_ingest::write_runs(&original, &path, None).unwrap();
            let opts = IngestOptions {
                kind: Some(InputKind::Run),
                ..Default::default()
            };
            let back = t2_ingest::read_runs(&path, &opts).unwrap().table;
            assert_eq!(back, original, "{source} via {format:?}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&back.loss.unwrap()), bits(&original.loss.clone().unwrap()));
        }
    }
    assert!(fixture("runs_ok.csv").is_file());
}

#[test]
fn an_empty_k_cell_means_k_one_with_a_warning() {
    let ingested = read("runs_empty_k.csv", &IngestOptions::default()).unwrap();
    assert_eq!(ingested.table.k, vec![1.0, 4.0]);
    let warnings = &ingested.report.warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("an empty k cell is read as k = 1 on 1 row (") && w.contains("row 2")),
        "{warnings:?}"
    );
}

/// The file rows behind each table row.
fn rows_of(ingested: &t2_ingest::Ingested) -> Vec<Vec<usize>> {
    ingested.source_rows.iter().map(|r| r.iter().collect()).collect()
}
