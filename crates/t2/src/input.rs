//! Reading options shared by every subcommand that reads a sweep (`t2 ingest`, `t2 inspect`, `t2 fit …`,
//! `t2 run`): flatten [`ReadArgs`] into a subcommand's clap `Args` beside its input path.

use t2_ingest::{Format, IngestOptions, InputKind};

/// How to read the input file.
#[derive(clap::Args, Debug, Clone)]
pub struct ReadArgs {
    /// Input file format [default: from the extension: .csv, .parquet, .jsonl (one JSON object per line);
    /// the text ones may be .gz or .zst].
    #[arg(long, value_name = "csv|parquet|jsonl")]
    pub input_format: Option<Format>,

    /// Column mapping CANONICAL=NAME when the file names a column differently, e.g.
    /// --col params="Model Size". Canonical names: params, tokens, k, loss, pass_at_k, task, train_flops,
    /// dataset, weight, problem, samples, correct, nll. Repeatable.
    #[arg(long = "col", value_name = "CANONICAL=NAME", value_parser = parse_mapping)]
    pub columns: Vec<(String, String)>,

    /// What a row holds [default: detected: samples + correct → sampled, problem + correct → generations (one
    /// row per generation), nll → likelihood, else run].
    #[arg(long, value_name = "run|sampled|likelihood|generations")]
    pub kind: Option<InputKind>,

    /// Raw evaluation logs: which generations are correct, as a filter on the log's own columns, instead of a
    /// correct column (e.g. --correct-if 'score >= 1').
    #[arg(long, value_name = "EXPR", value_parser = crate::cmd::fit::args::parse_filter)]
    pub correct_if: Option<t2_core::filter::Filter>,

    /// k grid for per-problem input, comma-separated (e.g. --k 1,10,100) [default: powers of two up to the
    /// smallest sample count of each checkpoint (sampled) or up to 1024 (likelihood)].
    #[arg(long = "k", value_name = "K,K,…", value_delimiter = ',')]
    pub k_grid: Option<Vec<f64>>,

    /// Sampled input: drop problems with fewer samples than k (for that k only; counted and reported) instead
    /// of failing.
    #[arg(long)]
    pub drop_unestimable: bool,

    /// Read the input as an index of an evaluation harness's logs: with lm-eval, a CSV file with one row per
    /// `lm_eval --log_samples` log: file (relative to the index), params, tokens, and optionally task, e.g.
    /// t2 fit t2 logs/index.csv --from lm-eval --lm-eval-filter strict-match.
    #[arg(long, value_name = "lm-eval")]
    pub from: Option<t2_ingest::lm_eval::Harness>,

    /// lm-eval logs: the metric whose 0/1 value says whether a generation is correct [default: the one the
    /// logs name in `metrics`], e.g. --lm-eval-metric exact_match.
    #[arg(long, value_name = "NAME", requires = "from")]
    pub lm_eval_metric: Option<String>,

    /// lm-eval logs with several filters (one line per document and filter): the filter to read, e.g.
    /// --lm-eval-filter strict-match.
    #[arg(long, value_name = "NAME", requires = "from")]
    pub lm_eval_filter: Option<String>,

    /// Each checkpoint's pretraining (validation) loss, for the chained form: a CSV or Parquet table with
    /// params, tokens, loss and optionally columns the sweep shares (e.g. model), joined on all of them.
    #[arg(long, value_name = "FILE")]
    pub pretrain_loss: Option<std::path::PathBuf>,
}

impl ReadArgs {
    /// The ingest options these arguments describe.
    pub fn options(&self) -> IngestOptions {
        IngestOptions {
            format: self.input_format,
            columns: self.columns.clone(),
            kind: self.kind,
            k_grid: self.k_grid.clone(),
            drop_unestimable: self.drop_unestimable,
            pretrain_loss: self.pretrain_loss.clone(),
            correct_if: self.correct_if.clone(),
            lm_eval: self
                .from
                .map(|t2_ingest::lm_eval::Harness::LmEval| t2_ingest::lm_eval::LmEval {
                    metric: self.lm_eval_metric.clone(),
                    filter: self.lm_eval_filter.clone(),
                }),
            batch_rows: None,
        }
    }
}

/// Parses `CANONICAL=NAME` (the name may contain '=' and spaces; quotes are the shell's job).
pub fn parse_mapping(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((canonical, name)) if !canonical.trim().is_empty() && !name.is_empty() => {
            Ok((canonical.trim().to_string(), name.to_string()))
        }
        _ => Err(format!(
            "expected CANONICAL=NAME, e.g. params=\"Model Size\"; got '{text}'"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_mapping;

    #[test]
    fn mapping_splits_at_first_equals() {
        assert_eq!(
            parse_mapping("params=Model Size").unwrap(),
            ("params".into(), "Model Size".into())
        );
        assert_eq!(parse_mapping("task=a=b").unwrap(), ("task".into(), "a=b".into()));
        assert!(parse_mapping("params").is_err());
        assert!(parse_mapping("=x").is_err());
    }
}
