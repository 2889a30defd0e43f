//! Per-problem inputs, aggregated to one run-table row per (checkpoint, k) in one streaming pass: each batch of
//! rows ([`crate::source`]) is validated as a whole table would be (errors name the file row and column), and
//! its rows are added to their checkpoint's accumulator; nothing per row is kept but, as runs, its row number,
//! and an 8-byte hash of its problem id for the duplicate check, until its checkpoint is complete (in a file
//! sorted by checkpoint, checkpoints with the same problems then share one set of hashes: `problem_hashes`).
//! The kinds differ only in what a checkpoint accumulates ([`Outcomes`]): [`sampled`] counts (n, c) pairs,
//! [`likelihood`] sums per k.
//!
//! Batches are read and aggregated on every thread of the pool, a window of them at a time ([`Partial`]), and
//! their accumulators are merged in file order ([`Outcomes::merge`]): the table, the first error reported and
//! every sum are the same whatever the thread count (sums are taken per batch, then across batches in order).
//!
//! A checkpoint is (N, D, task, dataset); checkpoints come out in order of first appearance, k ascending.

pub mod generations;
pub mod likelihood;
mod problem_hashes;
pub mod sampled;

use std::collections::HashMap;
use std::path::Path;

use t2_core::rowset::RowSet;
use t2_core::table::{ExtraColumn, ProblemCounts, PROBLEMS};
use t2_core::RunTable;

use crate::checkpoint::{read_checkpoints, FlopsMismatch};
use crate::columns::Columns;
use crate::error::IngestError;
use crate::options::IngestOptions;
use crate::report::{Drops, TableRead};
use crate::source::{Batch, Piece, Source};
use problem_hashes::{Closing, ProblemHashes};
use t2_core::words::counted;

/// What one kind of per-problem input accumulates for a checkpoint, and the rows it aggregates to.
pub(crate) trait Outcomes: Sized + Send {
    /// The kind's own canonical columns (not carried through as extras).
    const COLUMNS: &'static [&'static str];

    /// Whether a problem has one row per checkpoint (a second is a duplicate); raw logs have one per generation.
    const ONE_ROW_PER_PROBLEM: bool = true;

    /// One batch's per-row values, validated.
    type Values;

    /// Reads and validates the kind's columns of a batch.
    fn read(cols: &Columns, opts: &IngestOptions) -> Result<Self::Values, IngestError>;

    /// Adds the batch's row `i` (problem `problem`) to this checkpoint.
    fn add(
        &mut self,
        cols: &Columns,
        values: &Self::Values,
        i: usize,
        problem: &str,
    ) -> Result<(), IngestError>;

    /// Adds what a later batch accumulated for the same checkpoint.
    fn merge(&mut self, later: Self);

    /// The checkpoint's aggregated rows, k ascending; problems left out at some k are recorded in `drops`.
    fn aggregate(&self, input: &Input, drops: &mut Drops) -> Result<Vec<KRow>, IngestError>;

    /// The checkpoint's per-problem outcomes for the Beta-binomial floor (sampled input only).
    fn problem_counts(&self) -> Option<Vec<(f64, f64, f64)>>;
}

/// One aggregated (checkpoint, k) row.
pub(crate) struct KRow {
    pub k: f64,
    pub pass_at_k: f64,
    pub loss: f64,
    /// Problems averaged, and their file rows.
    pub problems: usize,
    pub rows: RowSet,
}

/// What aggregation needs to know of the input: for messages and the k grid.
pub(crate) struct Input<'a> {
    pub path: &'a Path,
    pub opts: &'a IngestOptions,
    /// (canonical name, the file's name) of the kind's columns, for errors.
    pub column_names: Vec<(&'static str, String)>,
}

impl Input<'_> {
    /// The file's name of the kind's column `canonical`.
    pub fn column<'a>(&'a self, canonical: &'a str) -> &'a str {
        self.column_names
            .iter()
            .find(|(c, _)| *c == canonical)
            .map_or(canonical, |(_, name)| name.as_str())
    }
}

/// A checkpoint's identity, as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    params: u64,
    tokens: u64,
    task: String,
    dataset: String,
}

impl Key {
    fn new(params: f64, tokens: f64, task: &str, dataset: &str) -> Key {
        Key {
            params: params.to_bits(),
            tokens: tokens.to_bits(),
            task: task.to_string(),
            dataset: dataset.to_string(),
        }
    }

    /// Whether the key is (params, tokens, task, dataset), without building one.
    fn is(&self, params: f64, tokens: f64, task: &str, dataset: &str) -> bool {
        // Lengths first: most inputs have no task or dataset, and a call to compare two empty strings cost
        // 15% of a 5M-row ingest.
        let same = |a: &str, b: &str| a.len() == b.len() && (a.is_empty() || a == b);
        self.params == params.to_bits()
            && self.tokens == tokens.to_bits()
            && same(&self.task, task)
            && same(&self.dataset, dataset)
    }
}

/// One checkpoint's accumulator.
struct Checkpoint<O> {
    key: Key,
    params: f64,
    tokens: f64,
    rows: RowSet,
    /// FNV-1a hashes of the problem ids, for the duplicate check.
    problem_hashes: ProblemHashes,
    /// The first row's value of each extra column.
    extras: Vec<String>,
    outcomes: O,
}

/// Batches read at once per thread of the pool: enough that a slow batch rarely idles the others, few enough
/// that memory stays a few batches' per thread.
const BATCHES_PER_THREAD: usize = 4;

/// Reads per-problem input from `source` (file `path`), accumulating with `O` (fresh per checkpoint from
/// `start`). Errors: any invalid cell, a problem listed twice for one checkpoint. Extra columns that vary within
/// a checkpoint cannot be carried to the aggregate: they are dropped with a warning.
pub(crate) fn read_per_problem<O: Outcomes>(
    source: &Source,
    path: &Path,
    opts: &IngestOptions,
    start: impl Fn() -> O + Sync,
) -> Result<TableRead, IngestError> {
    use rayon::prelude::*;
    let window = BATCHES_PER_THREAD * rayon::current_num_threads();
    let mut aggregate: Option<Partial<O>> = None;
    let mut pieces = source.pieces();
    loop {
        let mut chunk: Vec<Piece> = Vec::with_capacity(window);
        let mut failed = None;
        for piece in pieces.by_ref().take(window) {
            match piece {
                Ok(piece) => chunk.push(piece),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if chunk.is_empty() && failed.is_none() {
            break;
        }
        let parts: Vec<Result<Partial<O>, IngestError>> = chunk
            .into_par_iter()
            .map(|piece| read_batch(piece.read()?, path, opts, &start))
            .collect();
        // In file order: the first error is the one a single thread would meet.
        for part in parts {
            let part = part?;
            match aggregate.as_mut() {
                Some(aggregate) => aggregate.absorb(part),
                None => aggregate = Some(part),
            }
        }
        if let Some(e) = failed {
            return Err(e);
        }
    }
    let Some(mut all) = aggregate else {
        return Err(IngestError::file(path, "the file has a header but no data rows"));
    };
    let suspects = std::mem::take(&mut all.closing.suspects);
    check_unique_problems(source, path, opts, &mut all.checkpoints, suspects, &all.index)?;
    let input = Input {
        path,
        opts,
        column_names: all.column_names,
    };
    let mut read = assemble(
        &input,
        &all.checkpoints,
        all.has_task,
        &all.extra_names,
        &all.varying,
        all.flops,
    )?;
    read.warnings.extend(crate::run_table::left_out_warnings(
        &all.left_out,
        "per-problem input",
    ));
    Ok(read)
}

/// The checkpoints of some consecutive batches, in order of first appearance, and what their rows added to
/// each; with what the batches say of the file's columns.
struct Partial<O> {
    checkpoints: Vec<Checkpoint<O>>,
    index: HashMap<Key, usize>,
    flops: FlopsMismatch,
    has_task: bool,
    /// (canonical name, the file's name) of the kind's columns.
    column_names: Vec<(&'static str, String)>,
    /// The extra columns carried to the aggregate, and whether each varies within a checkpoint.
    extra_names: Vec<String>,
    varying: Vec<bool>,
    /// Canonical columns the kind does not use.
    left_out: Vec<String>,
    /// The checkpoints with problem hashes added since they were last closed, ascending.
    open: Vec<usize>,
    /// What closing checkpoints has found, and the last set of hashes closed.
    closing: Closing,
}

impl<O: Outcomes> Partial<O> {
    /// Adds the next batches' checkpoints (those after these in the file).
    fn absorb(&mut self, later: Partial<O>) {
        self.flops.add(later.flops);
        for (v, w) in self.varying.iter_mut().zip(&later.varying) {
            *v |= *w;
        }
        let mut touched = Vec::with_capacity(later.checkpoints.len());
        for checkpoint in later.checkpoints {
            let Some(&at) = self.index.get(&checkpoint.key) else {
                touched.push(self.checkpoints.len());
                self.index.insert(checkpoint.key.clone(), self.checkpoints.len());
                self.checkpoints.push(checkpoint);
                continue;
            };
            touched.push(at);
            let into = &mut self.checkpoints[at];
            into.rows.extend(&checkpoint.rows);
            into.problem_hashes.extend(checkpoint.problem_hashes);
            for (j, value) in checkpoint.extras.iter().enumerate() {
                if *value != into.extras[j] {
                    self.varying[j] = true;
                }
            }
            into.outcomes.merge(checkpoint.outcomes);
        }
        // A checkpoint the later batch did not add to is closed (in a file sorted by checkpoint: complete).
        touched.sort_unstable();
        for c in std::mem::take(&mut self.open) {
            if touched.binary_search(&c).is_err() {
                self.checkpoints[c].problem_hashes.close(c, &mut self.closing);
            }
        }
        self.open = touched
            .into_iter()
            .filter(|&c| self.checkpoints[c].problem_hashes.is_open())
            .collect();
    }
}

/// One batch, validated and accumulated by checkpoint.
fn read_batch<O: Outcomes>(
    batch: Batch,
    path: &Path,
    opts: &IngestOptions,
    start: &impl Fn() -> O,
) -> Result<Partial<O>, IngestError> {
    let cols = Columns::at(path, &batch.frame, &opts.columns, batch.first_index)?;
    let checkpoint_columns = read_checkpoints(&cols)?;
    let problems = read_problems(&cols)?;
    let values = O::read(&cols, opts)?;
    let column_names = O::COLUMNS
        .iter()
        .map(|&c| (c, cols.name_of(c).unwrap_or(c).to_string()))
        .collect();
    let mut consumed = checkpoint_columns.consumed.clone();
    consumed.push("problem");
    consumed.extend_from_slice(O::COLUMNS);
    // The aggregate has its own `problems` column: an input column of that name is not carried.
    let extras: Vec<_> = cols
        .extras()?
        .into_iter()
        .filter(|c| c.name != PROBLEMS)
        .collect();
    let mut left_out = cols.unused_canonical(&consumed);
    if cols.has_column(PROBLEMS) {
        left_out.push(PROBLEMS.to_string());
    }
    let mut part = Partial {
        checkpoints: Vec::new(),
        index: HashMap::new(),
        flops: checkpoint_columns.flops_mismatch,
        has_task: checkpoint_columns.task.is_some(),
        column_names,
        extra_names: extras.iter().map(|c| c.name.clone()).collect(),
        varying: vec![false; extras.len()],
        left_out,
        open: Vec::new(),
        closing: Closing::default(),
    };
    let dataset = cols.texts("dataset")?;
    let mut last: Option<usize> = None;
    for i in 0..cols.height() {
        let (params, tokens) = (checkpoint_columns.params[i], checkpoint_columns.tokens[i]);
        let task = checkpoint_columns.task_of(i);
        let data_set = dataset.as_ref().map_or("", |d| d[i].as_str());
        let at = match last.filter(|&c| part.checkpoints[c].key.is(params, tokens, task, data_set)) {
            Some(c) => c,
            None => {
                let key = Key::new(params, tokens, task, data_set);
                *part.index.entry(key.clone()).or_insert_with(|| {
                    part.checkpoints.push(Checkpoint {
                        key,
                        params,
                        tokens,
                        rows: RowSet::new(),
                        problem_hashes: ProblemHashes::default(),
                        extras: extras.iter().map(|c| c.values[i].clone()).collect(),
                        outcomes: start(),
                    });
                    part.checkpoints.len() - 1
                })
            }
        };
        last = Some(at);
        let checkpoint = &mut part.checkpoints[at];
        checkpoint.rows.insert(cols.sheet_row(i));
        if O::ONE_ROW_PER_PROBLEM {
            checkpoint.problem_hashes.push(problem_hash(&problems[i]));
        }
        for (j, column) in extras.iter().enumerate() {
            if column.values[i] != checkpoint.extras[j] {
                part.varying[j] = true;
            }
        }
        checkpoint.outcomes.add(&cols, &values, i, &problems[i])?;
    }
    for checkpoint in &mut part.checkpoints {
        checkpoint.problem_hashes.sort_run();
    }
    part.open = (0..part.checkpoints.len())
        .filter(|&c| part.checkpoints[c].problem_hashes.is_open())
        .collect();
    Ok(part)
}

/// The `problem` column of a batch; an empty id is an error.
fn read_problems(cols: &Columns) -> Result<Vec<String>, IngestError> {
    let name = cols.require("problem", "the problem (question) id")?;
    let problems = cols.texts("problem")?.unwrap_or_default();
    if let Some(i) = problems.iter().position(|p| p.trim().is_empty()) {
        return Err(IngestError::cell(
            cols.path(),
            cols.sheet_row(i),
            name,
            "empty problem id",
        ));
    }
    Ok(problems)
}

/// FNV-1a 64-bit hash of a problem id.
fn problem_hash(problem: &str) -> u64 {
    problem.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A problem listed twice for one checkpoint is an error naming both rows. Each checkpoint's problem hashes are
/// merged and compared (`suspects`: equal hashes found as checkpoints were closed); only when two are equal is
/// the input read again, for the ids behind them (equal hashes of different ids are not an error).
fn check_unique_problems<O: Outcomes>(
    source: &Source,
    path: &Path,
    opts: &IngestOptions,
    checkpoints: &mut [Checkpoint<O>],
    mut suspects: Vec<(usize, u64)>,
    index: &HashMap<Key, usize>,
) -> Result<(), IngestError> {
    use rayon::prelude::*;
    // Each checkpoint still open merged on its own thread (10^8 interleaved rows: 5 s on one).
    let found: Vec<(usize, u64)> = checkpoints
        .par_iter_mut()
        .enumerate()
        .flat_map_iter(|(c, checkpoint)| checkpoint.problem_hashes.finish(c))
        .collect();
    suspects.extend(found);
    if suspects.is_empty() {
        return Ok(());
    }
    suspects.sort_unstable();
    suspects.dedup();
    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    for batch in source.batches() {
        let batch = batch?;
        let cols = Columns::at(path, &batch.frame, &opts.columns, batch.first_index)?;
        let checkpoint_columns = read_checkpoints(&cols)?;
        let problems = read_problems(&cols)?;
        let dataset = cols.texts("dataset")?;
        for i in 0..cols.height() {
            let hash = problem_hash(&problems[i]);
            if !suspects.iter().any(|&(_, h)| h == hash) {
                continue;
            }
            let key = Key::new(
                checkpoint_columns.params[i],
                checkpoint_columns.tokens[i],
                checkpoint_columns.task_of(i),
                dataset.as_ref().map_or("", |d| d[i].as_str()),
            );
            let Some(&c) = index.get(&key) else { continue };
            let row = cols.sheet_row(i);
            if let Some(first) = seen.insert((c, problems[i].clone()), row) {
                return Err(IngestError::cell(
                    path,
                    row,
                    cols.name_of("problem").unwrap_or("problem"),
                    format!(
                        "problem '{}' appears twice for the same checkpoint (rows {first} and {row}); keep one",
                        problems[i]
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The run table of the checkpoints' aggregates: each row's checkpoint columns and constant extras, plus an
/// extra column `problems` (how many problems were averaged), and the warnings.
fn assemble<O: Outcomes>(
    input: &Input,
    checkpoints: &[Checkpoint<O>],
    has_task: bool,
    extra_names: &[String],
    varying: &[bool],
    flops: FlopsMismatch,
) -> Result<TableRead, IngestError> {
    let mut warnings: Vec<String> = flops.warning().into_iter().collect();
    for (name, _) in extra_names.iter().zip(varying).filter(|(_, v)| **v) {
        warnings.push(format!(
            "column '{name}' varies within a checkpoint, so it cannot be carried to the aggregated table: left out"
        ));
    }
    let kept: Vec<usize> = (0..extra_names.len()).filter(|&j| !varying[j]).collect();
    let mut drops = Drops::default();
    let mut table = RunTable {
        loss: Some(Vec::new()),
        pass_at_k: Some(Vec::new()),
        task: has_task.then(Vec::new),
        extra: kept
            .iter()
            .map(|&j| ExtraColumn {
                name: extra_names[j].clone(),
                values: Vec::new(),
            })
            .chain(std::iter::once(ExtraColumn {
                name: PROBLEMS.to_string(),
                values: Vec::new(),
            }))
            .collect(),
        ..Default::default()
    };
    let mut source_rows = Vec::new();
    let mut problem_counts = Vec::new();
    let mut zero: Vec<&Checkpoint<O>> = Vec::new();
    let mut zero_rows = 0;
    for checkpoint in checkpoints {
        let rows = checkpoint.outcomes.aggregate(input, &mut drops)?;
        let zeros = rows.iter().filter(|r| r.pass_at_k == 0.0).count();
        if zeros > 0 {
            zero.push(checkpoint);
            zero_rows += zeros;
        }
        if let Some(counts) = checkpoint.outcomes.problem_counts() {
            problem_counts.push(ProblemCounts {
                params: checkpoint.params,
                tokens: checkpoint.tokens,
                task: has_task.then(|| checkpoint.key.task.clone()),
                counts,
            });
        }
        for row in rows {
            table.params.push(checkpoint.params);
            table.tokens.push(checkpoint.tokens);
            table.k.push(row.k);
            if let Some(l) = table.loss.as_mut() {
                l.push(row.loss)
            }
            if let Some(p) = table.pass_at_k.as_mut() {
                p.push(row.pass_at_k)
            }
            if let Some(task) = table.task.as_mut() {
                task.push(checkpoint.key.task.clone());
            }
            for (column, &j) in table.extra.iter_mut().zip(&kept) {
                column.values.push(checkpoint.extras[j].clone());
            }
            if let Some(problems) = table.extra.last_mut() {
                problems.values.push(row.problems.to_string());
            }
            source_rows.push(row.rows);
        }
    }
    let sizes = checkpoints.iter().map(|c| c.rows.len());
    let (fewest, most) = (sizes.clone().min().unwrap_or(0), sizes.max().unwrap_or(0));
    if fewest != most {
        warnings.push(format!(
            "checkpoints have different numbers of problems ({fewest} to {most}): their pass@k average \
             different question sets (see the 'problems' column)"
        ));
    }
    if let Some(first) = zero.first() {
        warnings.push(format!(
            "pass@k = 0 on {} of {} (no sample correct; first: {}): kept for pass@k laws, their loss \
             −ln 0 is infinite, so loss laws leave them out",
            counted(zero_rows, "row"),
            counted(zero.len(), "checkpoint"),
            describe(first, has_task)
        ));
    }
    Ok(TableRead {
        table,
        problem_counts,
        source_rows,
        dropped: drops.into_vec(),
        warnings,
    })
}

/// "(N = …, D = …, task '…')" for messages.
fn describe<O>(checkpoint: &Checkpoint<O>, has_task: bool) -> String {
    let task = if has_task {
        format!(", task '{}'", checkpoint.key.task)
    } else {
        String::new()
    };
    format!("(N = {:e}, D = {:e}{task})", checkpoint.params, checkpoint.tokens)
}
