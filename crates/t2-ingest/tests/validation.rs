//! Every bad input gets an error naming the file, the row (1-based, header = row 1) and the column.

mod common;

use common::{expect_error, read};
use t2_ingest::{IngestOptions, InputKind};

fn default() -> IngestOptions {
    IngestOptions::default()
}

#[test]
fn missing_column_lists_present_columns_and_suggests_close_names() {
    expect_error(
        "bad_missing_column.csv",
        &default(),
        None,
        Some("params"),
        "did you mean 'n_params'?",
    );
    expect_error(
        "bad_missing_column.csv",
        &default(),
        None,
        Some("params"),
        "the file has: n_params, tokens, loss",
    );
}

#[test]
fn neither_loss_nor_pass_at_k() {
    expect_error(
        "bad_no_outcome.csv",
        &default(),
        None,
        Some("loss"),
        "needs loss, pass_at_k or both",
    );
}

#[test]
fn a_mapping_resolves_a_missing_column() {
    let opts = IngestOptions {
        columns: vec![("params".into(), "n_params".into())],
        ..default()
    };
    let ingested = read("bad_missing_column.csv", &opts).unwrap();
    assert_eq!(ingested.table.params, vec![1e6]);
}

#[test]
fn non_numeric_cell() {
    expect_error(
        "bad_non_numeric.csv",
        &default(),
        Some(3),
        Some("params"),
        "not a number: 'abc'",
    );
}

#[test]
fn non_numeric_cell_in_a_mapped_column_names_the_file_column() {
    let opts = IngestOptions {
        columns: vec![
            ("params".into(), "Model Size".into()),
            ("train_flops".into(), "Training FLOP".into()),
        ],
        ..default()
    };
    expect_error(
        "bad_mapped_non_numeric.csv",
        &opts,
        Some(3),
        Some("Model Size"),
        "params: not a number: 'large'",
    );
}

#[test]
fn empty_cell() {
    expect_error(
        "bad_empty_cell.csv",
        &default(),
        Some(2),
        Some("loss"),
        "empty cell",
    );
}

#[test]
fn nan_and_infinity() {
    expect_error(
        "bad_nan.csv",
        &default(),
        Some(4),
        Some("loss"),
        "NaN or infinity",
    );
    expect_error(
        "bad_infinity.csv",
        &default(),
        Some(2),
        Some("tokens"),
        "NaN or infinity",
    );
}

#[test]
fn params_not_positive() {
    expect_error(
        "bad_params_not_positive.csv",
        &default(),
        Some(3),
        Some("params"),
        "params = 0: must be ≥ 1",
    );
}

#[test]
fn tokens_not_positive() {
    expect_error(
        "bad_tokens_not_positive.csv",
        &default(),
        Some(2),
        Some("tokens"),
        "tokens = -2000000000: must be ≥ 1",
    );
}

#[test]
fn k_below_one() {
    expect_error(
        "bad_k_below_one.csv",
        &default(),
        Some(3),
        Some("k"),
        "k = 0.5: must be from 1 to 2^53",
    );
}

#[test]
fn pass_at_k_outside_unit_interval() {
    expect_error(
        "bad_pass_out_of_range.csv",
        &default(),
        Some(3),
        Some("pass_at_k"),
        "pass_at_k = 1.2: must be between 0 and 1",
    );
}

#[test]
fn negative_loss() {
    expect_error(
        "bad_negative_loss.csv",
        &default(),
        Some(2),
        Some("loss"),
        "loss = -0.1: must be from 0 to 1e100",
    );
}

#[test]
fn duplicate_checkpoint_task_k_with_different_values() {
    expect_error(
        "bad_duplicate_rows.csv",
        &default(),
        Some(4),
        Some("loss"),
        "duplicate of row 2",
    );
}

#[test]
fn correct_above_samples() {
    expect_error(
        "bad_correct_above_samples.csv",
        &default(),
        Some(3),
        Some("correct"),
        "correct = 9 exceeds samples = 8",
    );
}

#[test]
fn correct_negative() {
    expect_error(
        "bad_correct_negative.csv",
        &default(),
        Some(2),
        Some("correct"),
        "a whole number from 0 to 2^53",
    );
}

#[test]
fn k_above_samples_is_an_error_naming_the_problem() {
    let opts = IngestOptions {
        k_grid: Some(vec![1.0, 8.0]),
        ..default()
    };
    expect_error(
        "sampled_ok.csv",
        &opts,
        Some(2),
        Some("samples"),
        "k = 8 exceeds samples = 4 of problem 'p1'",
    );
}

#[test]
fn non_whole_k_for_sampled_input() {
    let opts = IngestOptions {
        k_grid: Some(vec![2.5]),
        ..default()
    };
    expect_error("sampled_ok.csv", &opts, None, None, "not a whole number");
}

#[test]
fn problem_listed_twice_for_one_checkpoint() {
    expect_error(
        "bad_duplicate_problem.csv",
        &default(),
        Some(3),
        Some("problem"),
        "problem 'p1' appears twice",
    );
}

#[test]
fn negative_nll() {
    expect_error(
        "bad_negative_nll.csv",
        &default(),
        Some(2),
        Some("nll"),
        "nll = -0.5: must be ≥ 0",
    );
}

#[test]
fn empty_file_and_header_only() {
    expect_error("bad_empty.csv", &default(), None, None, "the file is empty");
    expect_error("bad_header_only.csv", &default(), None, None, "no data rows");
}

#[test]
fn not_a_parquet_file() {
    expect_error(
        "bad_not_parquet.parquet",
        &default(),
        None,
        None,
        "cannot read as Parquet",
    );
}

#[test]
fn truncated_parquet_file() {
    let ok = read("runs_ok.csv", &default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("truncated.parquet");
    t2_ingest::write_runs(&ok.table, &path, None).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for keep in [bytes.len() / 2, bytes.len() - 4, 8] {
        std::fs::write(&path, &bytes[..keep]).unwrap();
        let err = t2_ingest::read_runs(&path, &default()).unwrap_err();
        assert!(err.to_string().contains("truncated.parquet"), "{err}");
        assert!(err.to_string().contains("Parquet"), "{err}");
    }
}

#[test]
fn unknown_extension_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.txt");
    std::fs::write(&path, "params,tokens,loss\n1,2,3\n").unwrap();
    let err = t2_ingest::read_runs(&path, &default()).unwrap_err();
    assert!(err.message.contains("--input-format csv|parquet|jsonl"), "{err}");
    let forced = IngestOptions {
        format: Some(t2_ingest::Format::Csv),
        ..default()
    };
    assert_eq!(t2_ingest::read_runs(&path, &forced).unwrap().table.len(), 1);
    let err = t2_ingest::read_runs(&dir.path().join("absent.csv"), &default()).unwrap_err();
    assert!(err.message.contains("cannot read"), "{err}");
}

#[test]
fn bad_column_mapping() {
    let unknown = IngestOptions {
        columns: vec![("parmas".into(), "n_params".into())],
        ..default()
    };
    expect_error(
        "bad_missing_column.csv",
        &unknown,
        None,
        None,
        "did you mean 'params'?",
    );
    let absent = IngestOptions {
        columns: vec![("params".into(), "Model Size".into())],
        ..default()
    };
    expect_error(
        "bad_missing_column.csv",
        &absent,
        None,
        Some("Model Size"),
        "mapped to params by --col",
    );
}

#[test]
fn per_problem_columns_without_counts() {
    let opts = IngestOptions {
        kind: Some(InputKind::Sampled),
        ..default()
    };
    expect_error(
        "likelihood_ok.csv",
        &opts,
        None,
        Some("samples"),
        "missing column",
    );
    expect_error(
        "bad_negative_nll.csv",
        &IngestOptions {
            kind: Some(InputKind::Sampled),
            ..default()
        },
        None,
        Some("samples"),
        "missing column",
    );
}

#[test]
fn k_grid_on_a_run_table_is_an_error() {
    let opts = IngestOptions {
        k_grid: Some(vec![1.0]),
        ..default()
    };
    expect_error(
        "runs_ok.csv",
        &opts,
        None,
        None,
        "--k sets the k grid of per-problem input",
    );
}

#[test]
fn row_with_more_cells_than_the_header() {
    expect_error(
        "bad_too_many_cells.csv",
        &default(),
        Some(2),
        None,
        "4 cells in this row but 3 columns in the header",
    );
}

#[test]
fn repeated_header_name() {
    expect_error(
        "bad_repeated_header.csv",
        &default(),
        None,
        Some("loss"),
        "more than once",
    );
}

/// Parquet cells are checked like CSV cells: nulls, NaN, text that is not a number, non-numeric types.
#[test]
fn parquet_cells_are_validated_with_row_and_column() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, loss: Column| {
        let path = dir.path().join(name);
        let mut frame = DataFrame::new(
            2,
            vec![
                Column::new("params".into(), [1e6, 2e6]),
                Column::new("tokens".into(), [2e9, 2e9]),
                loss,
            ],
        )
        .unwrap();
        ParquetWriter::new(std::fs::File::create(&path).unwrap())
            .finish(&mut frame)
            .unwrap();
        t2_ingest::read_runs(&path, &default())
    };
    let cases = [
        (
            Column::new("loss".into(), [Some(3.0), None]),
            "row 3, column 'loss': empty cell",
        ),
        (
            Column::new("loss".into(), [f64::NAN, 3.0]),
            "row 2, column 'loss': NaN is not allowed",
        ),
        (
            Column::new("loss".into(), ["3.0", "x"]),
            "row 3, column 'loss': not a number: 'x'",
        ),
        (
            Column::new("loss".into(), [true, false]),
            "column 'loss': holds bool values, expected numbers",
        ),
    ];
    for (index, (loss, expected)) in cases.into_iter().enumerate() {
        let err = write(&format!("case{index}.parquet"), loss).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
    let ints = write("ints.parquet", Column::new("loss".into(), [3i64, 2])).unwrap();
    assert_eq!(ints.table.loss, Some(vec![3.0, 2.0]));
}

#[test]
fn semicolon_separated_file_gets_a_hint() {
    expect_error(
        "bad_semicolons.csv",
        &default(),
        None,
        Some("params"),
        "t2 reads comma-separated files",
    );
}
