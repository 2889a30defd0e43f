//! `t2 fit chinchilla`: the Chinchilla baseline L(N, D) = E + A/N^α + B/D^β, Epoch-compatible (log-sum-exp,
//! Huber on ln L summed, L-BFGS from the 4,500-point grid), with bootstrap intervals.

mod options;

use std::path::PathBuf;
use std::time::Instant;

use t2_fit::chinchilla::{self, form_fit::form_fit, resample, FitData};
use t2_ingest::Ingested;

use super::bootstrap_args::BootstrapArgs;
use crate::cmd::CmdResult;
use crate::estimates_table;
use crate::fitfile::{ExcludedRows, FitFile};
use crate::input::{describe_report, InputArgs};
use crate::progress;
use options::{bootstrap_units, fit_options, row_selection, ConstraintArg, StartsArg};

/// Fit the Chinchilla law L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, Approach 3) as Epoch AI's
/// replication does: ln L̂ = LSE(a − α ln N, b − β ln D, e), Huber loss (δ = 1e-3) on ln L − ln L̂ summed over
/// rows, L-BFGS from 4,500 grid starts (screened: every start gets 15 iterations, the best 20 are solved to
/// convergence; --no-screen solves all). Prints estimates with bootstrap SE and percentile intervals for the
/// parameters and the derived a = β/(α+β), b = α/(α+β), G and N*(C), D*(C), D*/N* at --budgets; writes the
/// fit JSON. Rows can be excluded (--where, --exclude-where, --drop-highest-loss): every excluded row is listed
/// in the JSON with its input-file row.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    # Epoch's replication: drop the 5 highest-loss points, 1,000 bootstrap resamples\n  \
    t2 fit chinchilla ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
    --col train_flops='Training FLOP' --drop-highest-loss 5 --bootstrap 1000 --seed 0 --out fits/epoch.json\n  \
    # One task's single-pass rows with D <= 1e11; E pinned, squared error on ln L, fast NNLS starts\n  \
    t2 fit chinchilla data/example_sweep.csv --where 'k == 1 and task == \"arith\" and tokens <= 1e11' \\\n      \
    --pin E=1.8 --loss sq-log --starts fast --out fits/example_chinchilla.json")]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output fit JSON.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Fit objective: huber (on ln L, δ = --delta), sq-log (squared error on ln L) or sq (on L); summed over
    /// rows, times the row weight when the table has one.
    #[arg(long, default_value = "huber", value_name = "huber|sq-log|sq")]
    pub loss: String,

    /// Huber δ.
    #[arg(long, default_value_t = 1e-3)]
    pub delta: f64,

    /// Hold a parameter fixed, NAME=VALUE with NAME one of E, A, B, alpha, beta (natural units, e.g. E=1.8).
    /// Repeatable.
    #[arg(long, value_name = "NAME=VALUE", value_parser = ConstraintArg::parse_pin)]
    pub pin: Vec<ConstraintArg>,

    /// Bound a parameter, NAME=LO:HI (either side may be empty, e.g. alpha=0: or E=:2.5). Parameters that end
    /// on a bound are reported. Repeatable.
    #[arg(long, value_name = "NAME=LO:HI", value_parser = ConstraintArg::parse_bound)]
    pub bound: Vec<ConstraintArg>,

    /// Fit only rows matching EXPR, e.g. 'k == 1 and tokens <= 7e10' (fields: params tokens k loss pass_at_k
    /// weight train_flops tokens_per_param task, or an extra column; and/or/not, parentheses).
    #[arg(long = "where", value_name = "EXPR")]
    pub keep_where: Option<String>,

    /// Leave out rows matching EXPR.
    #[arg(long, value_name = "EXPR")]
    pub exclude_where: Option<String>,

    /// Leave out the N rows with the highest loss (after --where/--exclude-where). Epoch drop 5.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub drop_highest_loss: usize,

    /// Starts: grid (Hoffmann/Epoch's 4,500), fast (NNLS for E, A, B over an (α, β) grid, best 8 polished), or
    /// random:N (N seeded random starts in the grid's box).
    #[arg(long, default_value = "grid", value_name = "grid|fast|random:N", value_parser = StartsArg::parse)]
    pub starts: StartsArg,

    /// With --starts grid: replace one axis of the grid, NAME=FROM:TO:STEP in the fit's parameterisation
    /// (a = ln A, b = ln B, e = ln E, alpha, beta), e.g. e=0:1:0.25. Repeatable.
    #[arg(long, value_name = "NAME=FROM:TO:STEP", value_parser = options::parse_axis)]
    pub grid_axis: Vec<(usize, Vec<f64>)>,

    /// Solve every start to convergence instead of screening them (slower; same optimum on Epoch's data).
    #[arg(long)]
    pub no_screen: bool,

    #[command(flatten)]
    pub boot: BootstrapArgs,

    /// Bootstrap unit: row, checkpoint (all rows of one (N, D, task)), or a column name (task or an extra
    /// column: rows with equal values are resampled together).
    #[arg(long, default_value = "row", value_name = "row|checkpoint|COLUMN")]
    pub cluster: String,

    /// Training compute budgets C (FLOPs) at which N*(C), D*(C) and D*/N* are reported.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1e21,5.88e23,1e25",
        value_name = "C,C,…"
    )]
    pub budgets: Vec<f64>,

    /// Leave the bootstrap draws out of the JSON (keeps intervals, SE and covariance).
    #[arg(long)]
    pub no_draws: bool,
}

pub fn run(args: Args) -> CmdResult {
    let boot_opts = args.boot.options()?;
    let ingested = args.input.load()?;
    let table = &ingested.table;
    eprint!("{}", describe_report(&ingested.report, table.len()));
    let selected = row_selection(&args)?.apply(table)?;
    let excluded: Vec<ExcludedRows> = selected
        .excluded
        .iter()
        .map(|e| ExcludedRows {
            reason: e.reason.clone(),
            rows: ingested.file_rows(&e.rows),
        })
        .collect();
    for e in &excluded {
        let shown: Vec<String> = e.rows.iter().take(10).map(|r| r.to_string()).collect();
        let more = if e.rows.len() > 10 {
            ", … (all listed in the JSON)"
        } else {
            ""
        };
        eprintln!(
            "excluded {} rows ({}): file rows {}{more}",
            e.rows.len(),
            e.reason,
            shown.join(", ")
        );
    }
    let opts = fit_options(&args)?;
    check_rows(&ingested, &selected.rows)?;
    let data = FitData::new(table, &selected.rows)?;
    let started = Instant::now();
    let full = chinchilla::fit(&data, &opts);
    eprintln!(
        "fit: {:.3} s ({} starts, {})",
        started.elapsed().as_secs_f64(),
        full.multistart.starts,
        opts.starts.describe()
    );
    let boot = match boot_opts {
        Some(boot_opts) => {
            let (units, unit_name) = bootstrap_units(&args.cluster, table, &selected.rows)?;
            let bar = progress::bar(boot_opts.resamples as u64, "bootstrap", "resamples");
            let started = Instant::now();
            let b = resample::bootstrap(&data, &full, &opts, &units, &unit_name, &boot_opts, &|| {
                bar.inc(1)
            });
            bar.finish_and_clear();
            eprintln!(
                "bootstrap: {:.3} s ({} resamples by {unit_name}, {} failed)",
                started.elapsed().as_secs_f64(),
                boot_opts.resamples,
                b.failed()
            );
            Some(b)
        }
        None => None,
    };
    let mut report = form_fit(table, &selected.rows, &full, &opts, &args.budgets, boot.as_ref());
    print!(
        "{}",
        summary(&report, excluded.iter().map(|e| e.rows.len()).sum())
    );
    if args.no_draws {
        if let Some(b) = report.bootstrap.as_mut() {
            b.draws.clear();
        }
    }
    let file = FitFile::new(
        &args.input.input,
        &ingested,
        selected.rows.len(),
        excluded,
        args.boot.seed,
        options::to_json(&args, &opts),
        vec![report],
    )?;
    file.write(&args.out)?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

/// Errors on rows the log-space fit cannot use (loss ≤ 0), naming their file rows; warns when the rows mix k
/// values or tasks (the Chinchilla law has neither).
fn check_rows(ingested: &Ingested, used: &[usize]) -> Result<(), String> {
    let table = &ingested.table;
    let loss = table
        .loss
        .as_ref()
        .ok_or("the Chinchilla fit needs a loss column (map one with --col loss=NAME)")?;
    let zero: Vec<usize> = used.iter().copied().filter(|&i| loss[i] <= 0.0).collect();
    let bad = ingested.file_rows(&zero);
    if !bad.is_empty() {
        return Err(format!(
            "the fit is in log space and needs positive losses; file rows {bad:?} have loss 0 \
             (leave them out with --exclude-where 'loss == 0')"
        ));
    }
    let distinct = |key: &dyn Fn(usize) -> String| {
        let mut values: Vec<String> = used.iter().map(|&i| key(i)).collect();
        values.sort();
        values.dedup();
        values.len()
    };
    if distinct(&|i| table.k[i].to_string()) > 1 {
        eprintln!("warning: the rows fitted have several k values; the Chinchilla law ignores k (try --where 'k == 1')");
    }
    if distinct(&|i| table.task_of(i).to_string()) > 1 {
        eprintln!("warning: the rows fitted belong to several tasks; one law is fitted to all of them");
    }
    Ok(())
}

/// The human summary: estimates table, objective, rows, convergence.
fn summary(fit: &t2_fit::FormFit, excluded: usize) -> String {
    let d = &fit.diagnostics;
    let mut text = estimates_table::render(fit);
    text += &format!(
        "objective: {} = {:.6e}, R² = {:.4}\nrows: {} used, {} excluded\n",
        fit.objective.name, fit.objective.value, fit.objective.r_squared, fit.objective.rows_used, excluded
    );
    text += &format!(
        "optimiser: {} ({} iterations, |grad| = {:.2e}); {} solves at the best objective (1e-9 relative), \
         {} converged, {} starts\n",
        if d.converged { "converged" } else { "NOT CONVERGED" },
        d.iterations,
        d.grad_norm,
        d.starts_at_best,
        d.starts_converged,
        d.starts
    );
    if !d.converged {
        text += &format!("termination: {}\n", d.termination);
    }
    if !d.at_bound.is_empty() {
        text += &format!("at a bound: {}\n", d.at_bound.join(", "));
    }
    if let Some(b) = &fit.bootstrap {
        text += &format!(
            "bootstrap: {} resamples by {}, {} failed (excluded from the intervals)\n",
            b.resamples, b.unit, b.failed
        );
    }
    text
}
