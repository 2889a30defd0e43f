//! `t2 fit chinchilla`: the Chinchilla baseline L(N, D) = E + A/N^α + B/D^β, Epoch-compatible (log-sum-exp,
//! Huber on ln L summed, from projected starts or the 4,500-point grid), with bootstrap intervals.

use std::path::PathBuf;

use crate::cmd::choice::choice;
use t2_pipeline::choices::{parse_axis, ChinchillaChoices, LossChoice, ParamConstraint, StartsChoice};
use t2_pipeline::defaults;
use t2_pipeline::request::{Cluster, FitRequest};

use super::args::{BootstrapArgs, SelectionArgs};
use super::FitOutputArgs;
use crate::cmd::{CmdResult, Status};
use crate::input::ReadArgs;
use t2_core::words::counted;

/// Fit the Chinchilla law L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, Approach 3) as Epoch AI's
/// replication does: ln L̂ = LSE(a − α ln N, b − β ln D, e), Huber loss (δ = 1e-3) on ln L − ln L̂ summed over
/// rows, Levenberg–Marquardt from projected starts (NNLS for E, A, B over an (α, β) grid, the best 8 polished; --starts
/// grid runs Epoch's 4,500 grid starts instead, the same optimum in every data set tested). Prints the verdict, estimates with bootstrap spreads and percentile
/// intervals for the parameters and the derived N*_exponent = β/(α+β), D*_exponent = α/(α+β), N*_coefficient
/// G and N*(C), D*(C), D*/N* at --budgets; writes the fit JSON. Rows can be excluded (--where,
/// --exclude-where, --drop-highest-loss): every excluded row is listed in the JSON with its input-file row.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    # Epoch's replication: drop the 5 highest-loss points, 1,000 bootstrap resamples\n  \
    t2 fit chinchilla ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
    --col train_flops='Training FLOP' --drop-highest-loss 5 --bootstrap 1000 --seed 0 --out fits/epoch.json\n  \
    # One task's single-pass rows with D <= 1e11; E pinned, squared error on ln L, Epoch's grid starts\n  \
    t2 fit chinchilla data/example_sweep.csv --where 'k == 1 and task == \"arith\" and tokens <= 1e11' \\\n      \
    --pin E=1.8 --loss sq-log --starts grid --bootstrap 0 --out fits/example_chinchilla.json")]
pub struct Args {
    /// Input file: a run table or per-problem results, CSV (optionally .gz or .zst) or Parquet.
    pub input: PathBuf,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Output fit JSON.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Fit objective, summed over rows (times the row weight when the table has one): huber (Huber on ln L,
    /// δ = --delta: Hoffmann's and Epoch's), sq-log (squared error on ln L) or sq (squared error on L).
    #[arg(long, default_value = LossChoice::default().name(), value_parser = choice::<LossChoice>())]
    pub loss: LossChoice,

    /// Huber δ.
    #[arg(long, default_value_t = defaults::HUBER_DELTA)]
    pub delta: f64,

    /// Hold a parameter fixed, NAME=VALUE with NAME one of E, A, B, alpha, beta (natural units, e.g. E=1.8).
    /// Repeatable.
    #[arg(long, value_name = "NAME=VALUE", value_parser = ParamConstraint::parse_pin)]
    pub pin: Vec<ParamConstraint>,

    /// Bound a parameter, NAME=LO:HI (either side may be empty, e.g. alpha=0: or E=:2.5). Parameters that end
    /// on a bound are reported. Repeatable.
    #[arg(long, value_name = "NAME=LO:HI", value_parser = ParamConstraint::parse_bound)]
    pub bound: Vec<ParamConstraint>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Starts: fast (NNLS for E, A, B over an (α, β) grid, best 8 polished), grid (Epoch's 4,500, screened:
    /// each start gets 15 iterations, the best 20 are solved; for reproducing their exact procedure), or
    /// random:N (N seeded random starts in the grid's box).
    #[arg(long, default_value = "fast", value_name = "grid|fast|random:N")]
    pub starts: StartsChoice,

    /// With --starts grid: replace one axis of the grid, NAME=FROM:TO:STEP in the fit's parameterisation
    /// (a = ln A, b = ln B, e = ln E, alpha, beta), e.g. e=0:1:0.25. Repeatable.
    #[arg(long, value_name = "NAME=FROM:TO:STEP", value_parser = parse_axis)]
    pub grid_axis: Vec<(usize, Vec<f64>)>,

    /// With --starts grid: solve every start to convergence instead of screening them (slower; same optimum on
    /// Epoch's data).
    #[arg(long)]
    pub no_screen: bool,

    #[command(flatten)]
    pub boot: BootstrapArgs,

    /// Bootstrap unit: row, checkpoint (all rows of one (N, D, task)), or a column name (task or an extra
    /// column: rows with equal values are resampled together).
    #[arg(long, default_value = "row", value_name = "row|checkpoint|COLUMN")]
    pub cluster: Cluster,

    /// Training compute budgets C (FLOPs) at which N*(C), D*(C) and D*/N* are reported.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = defaults::CHINCHILLA_BUDGETS_TEXT,
        value_name = "C,C,…"
    )]
    pub budgets: Vec<f64>,

    /// Leave the bootstrap draws out of the JSON (keeps intervals, spreads and covariance).
    #[arg(long)]
    pub no_draws: bool,

    #[command(flatten)]
    pub output: FitOutputArgs,
}

pub fn run(args: Args) -> CmdResult {
    let request = FitRequest {
        selection: args.selection.selection(),
        bootstrap: args.boot.options(defaults::RESAMPLES)?,
        cluster: args.cluster.clone(),
        chinchilla: ChinchillaChoices {
            loss: args.loss,
            delta: args.delta,
            starts: args.starts,
            grid_axes: args.grid_axis.clone(),
            screen: !args.no_screen,
            pins: args.pin.clone(),
            bounds: args.bound.clone(),
            seed: args.boot.seed,
        }
        .options()?,
        chinchilla_budgets: args.budgets.clone(),
        keep_draws: !args.no_draws,
        ..FitRequest::chinchilla()
    };
    let (file, seconds) = super::ingest_and_fit(&args.input, &args.read, &args.out, &request)?;
    say!("fit: {:.3} s", seconds);
    for e in file
        .input
        .excluded
        .iter()
        .filter(|e| !e.reason.starts_with("ingest:"))
    {
        say!(
            "excluded {} ({}): file rows {}",
            counted(e.rows.len(), "row"),
            e.reason,
            e.rows.abbreviated(10)
        );
    }
    for note in &file.notes {
        say!("warning: {note}");
    }
    file.write(&args.out, &[&args.input])?;
    super::print_fit(&file, args.output.format);
    say!("wrote {}", args.out.display());
    Ok(Status::of(
        args.output.strict,
        file.fits.iter().map(|f| f.trust.verdict),
    ))
}
