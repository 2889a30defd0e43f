//! Per-problem Parquet and CSV files are aggregated batch by batch: the result does not depend on the batch size
//! (nor on the format), and errors in a late batch name the file's row, as a whole-file read would.

#[path = "../../shared_data.rs"]
mod shared_data;

use std::path::Path;

use polars::prelude::*;
use t2_ingest::{IngestOptions, Ingested};

fn read(path: &Path, batch_rows: Option<usize>) -> Result<Ingested, t2_ingest::IngestError> {
    t2_ingest::read_runs(
        path,
        &IngestOptions {
            batch_rows,
            ..Default::default()
        },
    )
}

/// A sampled per-problem Parquet file: 3 checkpoints × 20 problems, checkpoint-major unless `interleaved`
/// (row i belongs to checkpoint i % 3); problem ids "p0".."p19", n = 8 or 16, c = (i·7) mod (n + 1).
fn write_log(
    dir: &Path,
    name: &str,
    interleaved: bool,
    edit: impl Fn(&mut Vec<String>, &mut Vec<i64>),
) -> std::path::PathBuf {
    let rows = 60;
    let checkpoint = |i: usize| if interleaved { i % 3 } else { i / 20 };
    let problem_of = |i: usize| if interleaved { i / 3 } else { i % 20 };
    let params: Vec<f64> = (0..rows).map(|i| 1e8 * (1 + checkpoint(i)) as f64).collect();
    let tokens: Vec<f64> = (0..rows).map(|i| 2e9 * (1 + checkpoint(i)) as f64).collect();
    let mut problems: Vec<String> = (0..rows).map(|i| format!("p{}", problem_of(i))).collect();
    let samples: Vec<i64> = (0..rows)
        .map(|i| if problem_of(i) % 2 == 0 { 8 } else { 16 })
        .collect();
    let mut correct: Vec<i64> = (0..rows)
        .map(|i| ((problem_of(i) * 7 + checkpoint(i)) % (samples[i] as usize + 1)) as i64)
        .collect();
    edit(&mut problems, &mut correct);
    let path = dir.join(name);
    if name.ends_with(".csv") {
        let mut text = String::from("params,tokens,problem,samples,correct\n");
        for i in 0..rows {
            text += &format!(
                "{},{},{},{},{}\n",
                params[i], tokens[i], problems[i], samples[i], correct[i]
            );
        }
        std::fs::write(&path, text).unwrap();
        return path;
    }
    let mut frame = DataFrame::new(
        rows,
        vec![
            Column::new("params".into(), params),
            Column::new("tokens".into(), tokens),
            Column::new("problem".into(), problems),
            Column::new("samples".into(), samples),
            Column::new("correct".into(), correct),
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut frame)
        .unwrap();
    path
}

#[test]
fn the_result_does_not_depend_on_the_batch_size_or_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_log(dir.path(), "log.parquet", false, |_, _| {});
    let whole = read(&path, None).unwrap();
    assert_eq!(whole.table.len(), 3 * 4, "k = 1, 2, 4, 8 for each checkpoint");
    for batch in [1, 7, 20, 59] {
        assert_eq!(read(&path, Some(batch)).unwrap(), whole, "batch of {batch} rows");
    }
    assert_eq!(whole.source_rows[0].runs(), &[(2, 21)]);
    let csv = write_log(dir.path(), "log.csv", false, |_, _| {});
    for batch in [None, Some(1), Some(7), Some(59)] {
        let from_csv = read(&csv, batch).unwrap();
        assert_eq!(from_csv.table, whole.table, "CSV in batches of {batch:?}");
        assert_eq!(from_csv.source_rows, whole.source_rows);
        assert_eq!(from_csv.problem_counts, whole.problem_counts);
    }
}

#[test]
fn interleaved_checkpoints_aggregate_to_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let sorted = read(
        &write_log(dir.path(), "sorted.parquet", false, |_, _| {}),
        Some(7),
    )
    .unwrap();
    let interleaved = read(
        &write_log(dir.path(), "interleaved.parquet", true, |_, _| {}),
        Some(7),
    )
    .unwrap();
    assert_eq!(interleaved.table, sorted.table);
    assert_eq!(interleaved.problem_counts, sorted.problem_counts);
    assert_eq!(interleaved.source_rows[0].len(), 20);
    assert_eq!(interleaved.source_rows[0].runs()[..2], [(2, 2), (5, 5)]);
}

#[test]
fn errors_in_a_late_batch_name_the_files_row() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write_log(dir.path(), "bad.parquet", false, |_, correct| correct[44] = 99);
    let message = read(&bad, Some(8)).unwrap_err().to_string();
    assert!(
        message.contains("row 46") && message.contains("correct = 99 exceeds samples"),
        "{message}"
    );
    for ext in ["parquet", "csv"] {
        let bad = write_log(dir.path(), &format!("bad.{ext}"), false, |_, correct| {
            correct[44] = 99
        });
        let message = read(&bad, Some(8)).unwrap_err().to_string();
        assert!(
            message.contains("row 46") && message.contains("correct = 99 exceeds samples"),
            "{message}"
        );
        let twice = write_log(dir.path(), &format!("twice.{ext}"), false, |problems, _| {
            problems[57] = "p3".into()
        });
        for batch in [None, Some(8)] {
            let message = read(&twice, batch).unwrap_err().to_string();
            assert!(
                message.contains("problem 'p3' appears twice for the same checkpoint (rows 45 and 59)"),
                "{ext}: {message}"
            );
        }
    }
}

/// Pythia GSM8K in batches of 1,000 rows (11 batches) reads as it does whole.
#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_in_batches_reads_as_whole() {
    let path = shared_data::shared_data("pythia_gsm8k_per_problem.parquet");
    assert_eq!(read(&path, Some(1000)).unwrap(), read(&path, None).unwrap());
}

/// `read` on a pool of `threads` threads.
fn read_on(
    threads: usize,
    path: &Path,
    batch_rows: Option<usize>,
) -> Result<Ingested, t2_ingest::IngestError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| read(path, batch_rows))
}

/// Batches are read and aggregated on every thread: the table, its rows and its floats are the same bit for bit
/// on 1, 2 or 5 threads, for a plain CSV (read from its seek points), a compressed one (read in order), Parquet,
/// likelihoods (float sums) and raw generations.
#[test]
fn the_result_does_not_depend_on_the_thread_count() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_log(dir.path(), "log.csv", true, |_, _| {});
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(&csv).unwrap()).unwrap();
    let gz_path = dir.path().join("log_gz.csv");
    std::fs::write(&gz_path, gz.finish().unwrap()).unwrap();
    let mut nll = String::from("params,tokens,problem,nll\n");
    let mut generations = String::from("params,tokens,problem,correct\n");
    for i in 0..3000 {
        let (n, problem) = (1e8 * (1 + i % 3) as f64, i / 3 % 400);
        nll += &format!(
            "{n},{},q{},{}\n",
            20.0 * n,
            i / 3,
            0.01 + (i as f64 * 0.37).sin().abs() * 6.0
        );
        generations += &format!("{n},{},q{problem},{}\n", 20.0 * n, (i * 7 % 11 < 4) as u8);
    }
    let nll_path = dir.path().join("nll.csv");
    std::fs::write(&nll_path, nll).unwrap();
    let generations_path = dir.path().join("generations.csv");
    std::fs::write(&generations_path, generations).unwrap();
    let parquet = write_log(dir.path(), "log.parquet", true, |_, _| {});
    for (path, batch) in [
        (&csv, 7),
        (&gz_path, 7),
        (&parquet, 7),
        (&nll_path, 97),
        (&generations_path, 97),
    ] {
        let one = read_on(1, path, Some(batch)).unwrap();
        for threads in [2, 5] {
            assert_eq!(
                read_on(threads, path, Some(batch)).unwrap(),
                one,
                "{path:?} on {threads} threads"
            );
        }
    }
    // A seekable CSV, read by pieces from their seek points, and its compressed copy, read in order, agree.
    assert_eq!(
        read_on(3, &csv, Some(7)).unwrap().table,
        read_on(3, &gz_path, Some(7)).unwrap().table
    );
    let whole = read_on(1, &nll_path, None).unwrap();
    let batched = read_on(4, &nll_path, Some(97)).unwrap();
    for (a, b) in whole.table.loss.unwrap().iter().zip(batched.table.loss.unwrap()) {
        assert!(
            (a - b).abs() <= 1e-13 * a.abs(),
            "sums by batch differ from one sum only in rounding: {a} {b}"
        );
    }
}

/// With bad rows in two batches read at once, the error is the first bad row's, as on one thread.
#[test]
fn the_first_error_in_the_file_is_reported_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["csv", "parquet"] {
        let bad = write_log(dir.path(), &format!("two_bad.{ext}"), false, |_, correct| {
            correct[50] = 99;
            correct[12] = 98;
        });
        for threads in [1, 2, 6] {
            let message = read_on(threads, &bad, Some(4)).unwrap_err().to_string();
            assert!(
                message.contains("row 14") && message.contains("correct = 98 exceeds samples"),
                "{ext} on {threads} threads: {message}"
            );
        }
    }
}

/// A CSV file is aggregated while its checking pass goes on; a fault that pass finds (a row with a cell too many,
/// a blank line between rows) is still the error reported, though the batches before it were read and one of
/// them holds a bad cell: the fault explains the file, as it did when the whole file was checked first.
#[test]
fn a_csv_files_shape_fault_is_reported_though_earlier_batches_were_read() {
    let dir = tempfile::tempdir().unwrap();
    let rows = 5000;
    let log = |fault_row: usize, fault: &str| {
        let mut text = String::from("params,tokens,problem,samples,correct\n");
        for i in 0..rows {
            // File row i + 2; row 14 claims more correct answers than samples.
            let correct = if i + 2 == 14 { 99 } else { i % 9 };
            text += &format!(
                "{},{},q{},8,{}\n",
                1e8 * (1 + i % 3) as f64,
                2e10 * (1 + i % 3) as f64,
                i / 3,
                correct
            );
            if i + 3 == fault_row {
                text += fault;
            }
        }
        text
    };
    for (fault, expected) in [
        (
            "1e8,2e10,extra,8,1,9\n",
            "row 4900: 6 cells in this row but 5 columns in the header",
        ),
        ("\n", "row 4900 is blank, between rows of data"),
    ] {
        let path = dir.path().join("faulty.csv");
        std::fs::write(&path, log(4900, fault)).unwrap();
        for threads in [1, 2, 6] {
            let message = read_on(threads, &path, Some(7)).unwrap_err().to_string();
            assert!(message.contains(expected), "{threads} threads: {message}");
        }
    }
    // Without the fault, the bad cell is the error.
    let path = dir.path().join("bad_cell.csv");
    std::fs::write(&path, log(0, "")).unwrap();
    let message = read_on(2, &path, Some(7)).unwrap_err().to_string();
    assert!(
        message.contains("row 14") && message.contains("correct = 99 exceeds samples"),
        "{message}"
    );
}

/// A checkpoint's problem hashes are merged when a batch no longer adds to it, and shared with the checkpoint
/// before it when they are the same: a checkpoint that comes back later in the file is still checked against
/// its earlier rows, whatever the batch size or thread count.
#[test]
fn a_problem_repeated_after_its_checkpoint_came_back_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let block = |n: f64, problems: std::ops::Range<usize>| -> String {
        problems
            .map(|p| format!("{n},{},p{p},8,{}\n", 20.0 * n, p % 9))
            .collect()
    };
    let head = "params,tokens,problem,samples,correct\n";
    // A (p0..p9), B (p0..p9: the same problems, so B shares A's hashes), A again (p10..p14, then p3 once more).
    let text = format!(
        "{head}{}{}{}{}",
        block(1e8, 0..10),
        block(2e8, 0..10),
        block(1e8, 10..15),
        block(1e8, 3..4)
    );
    let path = dir.path().join("comes_back.csv");
    std::fs::write(&path, text).unwrap();
    for (threads, batch) in [(1, Some(4)), (3, Some(4)), (2, Some(7)), (1, None)] {
        let message = read_on(threads, &path, batch).unwrap_err().to_string();
        assert!(
            message.contains("problem 'p3' appears twice for the same checkpoint (rows 5 and 27)"),
            "{threads} threads, batch {batch:?}: {message}"
        );
    }
    let fine = format!(
        "{head}{}{}{}",
        block(1e8, 0..10),
        block(2e8, 0..10),
        block(1e8, 10..15)
    );
    std::fs::write(&path, fine).unwrap();
    let read = read_on(2, &path, Some(4)).unwrap();
    let problems = &read
        .table
        .extra
        .iter()
        .find(|c| c.name == "problems")
        .unwrap()
        .values;
    let of = |n: f64| &problems[read.table.params.iter().position(|&p| p == n).unwrap()];
    assert_eq!((of(1e8).as_str(), of(2e8).as_str()), ("15", "10"));
}
