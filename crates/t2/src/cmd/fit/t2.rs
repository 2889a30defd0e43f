//! `t2 fit t2`: Chinchilla (k = 1 rows), Approach 1 and Approach 2 fitted concurrently, each bootstrapped by
//! checkpoint, per task and for the macro average, with extrapolation checks on held-out rows.

mod forms;
mod table;
mod units;

use std::path::PathBuf;

use rayon::prelude::*;
use t2_core::filter::Filter;
use t2_core::Form;
use t2_fit::approach1::{Approach1Options, LossObjective};
use t2_fit::approach2::Approach2Options;
use t2_fit::chinchilla::ChinchillaOptions;
use t2_ingest::Ingested;

use super::bootstrap_args::BootstrapArgs;
use crate::cmd::CmdResult;
use crate::fitfile::{ExcludedRows, FitFile};
use crate::input::{describe_report, InputArgs};
use forms::{fit_form, Cluster, Settings};
use units::fit_units;

/// Fit the T² forms to a sweep: the Chinchilla baseline L(N, D) on the k = 1 loss, Approach 1
/// L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ on the loss of every row, and Approach 2 (Beta-regression pass@k),
/// concurrently; bootstrap each by checkpoint (all k rows of one (N, D, task) move together). With a task
/// column, each task and the macro average (mean over tasks at each (N, D, k)) are fitted. --train-where or
/// --holdout-where fit on part of the rows and report predicted vs observed on the rest (the extrapolation
/// check). Writes the fit JSON (--out) and prints a summary.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 fit t2 data/example_sweep.csv --bootstrap 1000 --seed 0 --out fits/example_t2.json\n  \
    t2 fit t2 data/example_sweep.csv --holdout-where 'origin == \"overtrained\"' --bootstrap 0 \\\n      \
    --out fits/example_extrapolation.json\n  \
    t2 fit t2 ../shared/data/pythia_gsm8k_per_problem.parquet --k 1,2,4,8,16,32,64,128 \\\n      \
    --train-where 'tokens <= 7e10' --forms approach1 --out fits/pythia_t2.json")]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output fit JSON.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Per fitted form; the seed also draws the Approach 1 start design.
    #[command(flatten)]
    pub boot: BootstrapArgs,

    /// Fit only on rows matching EXPR (e.g. 'tokens <= 7e10'); the others are held out and predicted.
    #[arg(long, value_name = "EXPR", conflicts_with = "holdout_where")]
    pub train_where: Option<String>,

    /// Hold out rows matching EXPR (e.g. 'origin == "overtrained"'); they are predicted, not fitted.
    #[arg(long, value_name = "EXPR")]
    pub holdout_where: Option<String>,

    /// Bootstrap unit: "checkpoint" (all k rows of one (N, D) together) or the name of a column.
    #[arg(long, default_value = "checkpoint")]
    pub cluster: String,

    /// Forms to fit, comma-separated [default: every form the table's columns allow: chinchilla and approach1
    /// need loss, approach2 needs pass_at_k].
    #[arg(long, value_delimiter = ',', value_name = "FORM,…", value_parser = parse_form)]
    pub forms: Option<Vec<Form>>,

    /// Starts of the Approach 1 search (seeded random design scaled to the data).
    #[arg(long, default_value_t = 500)]
    pub starts: usize,

    /// Approach 1 objective: sse (on the loss, the paper's) or huber (on ln loss, δ = --huber-delta).
    #[arg(long, default_value = "sse", value_name = "sse|huber")]
    pub approach1_objective: String,

    /// Huber δ of --approach1-objective huber.
    #[arg(long, default_value_t = 1e-3)]
    pub huber_delta: f64,
}

fn parse_form(text: &str) -> Result<Form, String> {
    match text.trim() {
        "chinchilla" => Ok(Form::Chinchilla),
        "approach1" => Ok(Form::Approach1),
        "approach2" => Ok(Form::Approach2),
        other => Err(format!(
            "unknown form '{other}' (chinchilla, approach1, approach2)"
        )),
    }
}

pub fn run(args: Args) -> CmdResult {
    let ingested = args.input.load()?;
    let table = &ingested.table;
    eprint!("{}", describe_report(&ingested.report, table.len()));
    let (heldout, excluded) = heldout_rows(&args, &ingested)?;
    let settings = settings(&args)?;
    // A misnamed --cluster column fails here, before any fit runs.
    settings.cluster.ids(table)?;
    let forms = forms_to_fit(&args, table)?;
    let units = fit_units(table, &heldout);
    for unit in units.iter().filter(|u| u.unmatched > 0) {
        eprintln!(
            "macro average: {} rows left out (their (N, D, k) is missing from some task)",
            unit.unmatched
        );
    }
    let jobs: Vec<(usize, Form)> = (0..units.len())
        .flat_map(|u| forms.iter().map(move |&f| (u, f)))
        .collect();
    let total = (jobs.len() * settings.bootstrap.map_or(0, |b| b.resamples)) as u64;
    let bar = crate::progress::bar(total, "bootstrap", "resamples");
    let tick = || bar.inc(1);
    let started = std::time::Instant::now();
    let results: Vec<Result<t2_fit::FormFit, t2_fit::FitError>> = jobs
        .par_iter()
        .map(|&(u, form)| fit_form(form, &units[u], &settings, &tick))
        .collect();
    bar.finish_and_clear();
    eprintln!(
        "fit: {:.3} s ({} forms × {} fit units, {} bootstrap resamples each)",
        started.elapsed().as_secs_f64(),
        forms.len(),
        units.len(),
        settings.bootstrap.map_or(0, |b| b.resamples)
    );
    let mut fits = Vec::new();
    for ((u, form), result) in jobs.iter().zip(results) {
        match result {
            Ok(fit) => fits.push(fit),
            Err(e) => {
                let task = units[*u]
                    .task
                    .as_deref()
                    .map_or(String::new(), |t| format!(" (task {t})"));
                return Err(format!("{}{task}: {e}", form.name()).into());
            }
        }
    }
    let options = serde_json::json!({
        "forms": forms.iter().map(|f| f.name()).collect::<Vec<_>>(),
        "train_where": args.train_where,
        "holdout_where": args.holdout_where,
        "settings": settings,
    });
    let rows_used = heldout.iter().filter(|h| !**h).count();
    let file = FitFile::new(
        &args.input.input,
        &ingested,
        rows_used,
        excluded,
        args.boot.seed,
        options,
        fits,
    )?;
    file.write(&args.out)?;
    print!("{}", table::summary(&file.fits));
    println!("\nwrote {}", args.out.display());
    Ok(())
}

/// Which table rows are held out, and the report of them (the file rows behind them).
fn heldout_rows(args: &Args, ingested: &Ingested) -> Result<(Vec<bool>, Vec<ExcludedRows>), String> {
    let table = &ingested.table;
    let (text, train_side) = match (&args.train_where, &args.holdout_where) {
        (Some(t), _) => (t, true),
        (None, Some(h)) => (h, false),
        (None, None) => return Ok((vec![false; table.len()], Vec::new())),
    };
    let filter = Filter::parse(text).map_err(|e| e.to_string())?;
    let matching = filter.rows(table).map_err(|e| e.to_string())?;
    let mut heldout = vec![train_side; table.len()];
    matching.iter().for_each(|&i| heldout[i] = !train_side);
    let held: Vec<usize> = table.indices_where(|i| heldout[i]);
    if held.len() == table.len() {
        return Err(format!("'{text}' leaves no rows to fit"));
    }
    let reason = if train_side {
        format!("held out (predicted, not fitted): not matching --train-where '{text}'")
    } else {
        format!("held out (predicted, not fitted): --holdout-where '{text}'")
    };
    let rows = ingested.file_rows(&held);
    Ok((heldout, vec![ExcludedRows { reason, rows }]))
}

fn settings(args: &Args) -> Result<Settings, String> {
    let objective = match args.approach1_objective.as_str() {
        "sse" => LossObjective::Sse,
        "huber" => LossObjective::HuberLn {
            delta: args.huber_delta,
        },
        other => return Err(format!("--approach1-objective: unknown '{other}' (sse, huber)")),
    };
    Ok(Settings {
        chinchilla: ChinchillaOptions::default(),
        approach1: Approach1Options {
            objective,
            starts: args.starts,
            seed: args.boot.seed,
            ..Default::default()
        },
        approach2: Approach2Options::default(),
        bootstrap: args.boot.options()?,
        cluster: match args.cluster.as_str() {
            "checkpoint" => Cluster::Checkpoint,
            column => Cluster::Column(column.to_string()),
        },
    })
}

/// The forms asked for, or every form the table's columns allow (a skipped form is reported).
fn forms_to_fit(args: &Args, table: &t2_core::RunTable) -> Result<Vec<Form>, String> {
    let possible = |form: Form| match form {
        Form::Chinchilla | Form::Approach1 => table.loss.is_some(),
        Form::Approach2 => table.pass_at_k.is_some(),
    };
    let column = |form: Form| {
        if form == Form::Approach2 {
            "pass_at_k"
        } else {
            "loss"
        }
    };
    match &args.forms {
        Some(forms) => match forms.iter().find(|f| !possible(**f)) {
            Some(f) => Err(format!(
                "{} needs a '{}' column, which the table lacks",
                f.name(),
                column(*f)
            )),
            None => Ok(forms.clone()),
        },
        None => {
            let all = [Form::Chinchilla, Form::Approach1, Form::Approach2];
            for f in all.iter().filter(|f| !possible(**f)) {
                eprintln!("skipping {}: the table has no '{}' column", f.name(), column(*f));
            }
            let forms: Vec<Form> = all.into_iter().filter(|f| possible(*f)).collect();
            if forms.is_empty() {
                return Err("the table has neither a loss nor a pass_at_k column: nothing to fit".into());
            }
            Ok(forms)
        }
    }
}
