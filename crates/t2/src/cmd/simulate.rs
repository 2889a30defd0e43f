//! `t2 simulate`: draw a sweep from known T² parameters (for recovery tests and the example data).

use std::path::PathBuf;

use t2_core::simulate::{SimulationSpec, TaskTruth, DEFAULT_APPROACH1, DEFAULT_THETA};
use t2_pipeline::simulate::grid;
use t2_pipeline::simulate::truth::{self, TaskSpec};
use t2_pipeline::simulate::write_simulation;

use super::{bad, print, CmdResult, Status};

/// Simulate a sweep from known T² parameters: a loss column from Approach 1
/// (L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ, times 1 + σ·z) and a pass@k column from Approach 2 (per-problem
/// accuracies p ~ Beta(μν, (1 − μ)ν) at the single-pass loss, pass@k = mean over problems of 1 − (1 − p)^k),
/// on a checkpoint grid and a k grid. Output: a run table (CSV or Parquet), or per-problem sampled results
/// (params, tokens, task, problem, samples, correct) with --per-problem.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 simulate --grid ../shared/data/t2_paper_checkpoint_grid.csv --truth data/example_truth.json \\\n      \
    --problems 500 --seed 0 --out data/example_sweep.csv\n  \
    t2 simulate --levels 6 --sizes 5 --k 1,4,16,64 --approach1 e=0.5,a=80,b=900,g=1,alpha=0.32,beta=0.3,gamma=0.5 \\\n      \
    --out sim.csv\n  \
    t2 simulate --levels 4 --sizes 4 --per-problem 256 --problems 100 --out problems.csv   # feeds `t2 ingest`")]
pub struct Args {
    /// Checkpoint grid CSV with params and tokens (or train_flops) columns; other columns (origin, model) are
    /// carried into the output [default: a generated isoFLOP grid, see --levels and --sizes].
    #[arg(long, value_name = "FILE")]
    pub grid: Option<PathBuf>,

    /// Grid column mapping CANONICAL=NAME (params, tokens, train_flops), e.g. --grid-col params="Model Size".
    #[arg(long = "grid-col", value_name = "CANONICAL=NAME", value_parser = crate::input::parse_mapping)]
    pub grid_columns: Vec<(String, String)>,

    /// Generated grid: isoFLOP levels C = 1.25e16·2^i, i = 0..LEVELS−1 (the paper's 12).
    #[arg(long, default_value_t = 12, conflicts_with = "grid")]
    pub levels: usize,

    /// Generated grid: model sizes per level, log-spaced from 1/4 to 4× the 20-tokens-per-parameter size.
    #[arg(long, default_value_t = 8, conflicts_with = "grid")]
    pub sizes: usize,

    /// k grid, comma-separated [default: 1, 2, 4, …, 1024].
    #[arg(long = "k", value_name = "K,K,…", value_delimiter = ',')]
    pub k_grid: Option<Vec<f64>>,

    /// True parameters of several tasks, JSON: {"tasks": [{"name": "arith", "approach1": {"e": 0.3, "a": 60,
    /// "b": 400, "g": 1.5, "alpha": 0.3, "beta": 0.3, "gamma": 0.4}, "approach2": {"theta": [2.8, 3, 0.9, 1,
    /// -0.3]}}]} (approach2.loss defaults to the Approach 1 law at k = 1).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["approach1", "approach2"])]
    pub truth: Option<PathBuf>,

    /// Approach 1 truth of a single task, e.g. e=0.3,a=60,b=400,g=1.5,alpha=0.3,beta=0.3,gamma=0.4
    /// [default: those values].
    #[arg(long, value_name = "KEY=V,…", value_parser = truth::parse_approach1)]
    pub approach1: Option<t2_core::Approach1Params>,

    /// Approach 2 θ of a single task, e.g. theta0=2.8,theta1=3,theta2=0.9,theta3=0.5,theta4=-0.5 [default: those
    /// values]; its loss law is the Approach 1 law at k = 1.
    #[arg(long, value_name = "KEY=V,…", value_parser = truth::parse_theta)]
    pub approach2: Option<[f64; 5]>,

    /// Relative noise σ on the loss (and on exact pass@k with --problems 0): value·(1 + σ·z).
    #[arg(long, default_value_t = 0.01)]
    pub noise: f64,

    /// Problems per task drawn from the Beta model for pass@k (0: exact pass@k with multiplicative noise).
    #[arg(long, default_value_t = 500)]
    pub problems: usize,

    /// Write per-problem sampled results with this many samples per problem instead of a run table.
    #[arg(long, value_name = "SAMPLES")]
    pub per_problem: Option<u64>,

    /// Seed of the noise and of the drawn problems (the same seed gives the same sweep, byte for byte).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Output file: .csv or .parquet for a run table, .csv for --per-problem.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> CmdResult {
    let grid = match &args.grid {
        Some(path) => grid::read_grid(path, &args.grid_columns)?,
        None => grid::isoflop_grid(args.levels, args.sizes),
    };
    let spec = SimulationSpec {
        checkpoints: grid.checkpoints.clone(),
        k_grid: args
            .k_grid
            .clone()
            .unwrap_or_else(|| (0..=10).map(|i| 2f64.powi(i)).collect()),
        tasks: tasks(&args)?,
        noise: args.noise,
        problems: (args.problems > 0).then_some(args.problems),
        seed: args.seed,
    };
    let written = write_simulation(&spec, &grid, args.per_problem, &args.out)?;
    print(&format!(
        "simulated {} checkpoints × {} tasks × {} k values: wrote {} rows to {}\n",
        spec.checkpoints.len(),
        spec.tasks.len(),
        spec.k_grid.len(),
        written.rows,
        args.out.display()
    ));
    Ok(Status::default())
}

fn tasks(args: &Args) -> Result<Vec<TaskTruth>, t2_pipeline::Error> {
    let specs = match &args.truth {
        Some(path) => truth::read_truth(path).map_err(bad)?,
        None => vec![TaskSpec {
            name: "sim".into(),
            approach1: Some(args.approach1.unwrap_or(DEFAULT_APPROACH1)),
            approach2: Some(truth::Approach2Theta {
                theta: args.approach2.unwrap_or(DEFAULT_THETA),
                loss: None,
            }),
        }],
    };
    specs.iter().map(|s| s.truth().map_err(bad)).collect()
}
