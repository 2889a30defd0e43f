//! `t2 design`: which runs to train next, per fitted form.

use std::path::PathBuf;

use t2_core::Form;
use t2_pipeline::advisor::{advise_file, output, DesignChoices, Quantity};
use t2_pipeline::{defaults, FitFile};

use super::choice::choice;
use super::{json, print, CmdResult, PrintFormat, Status};

/// What to train next: for each fitted form, the runs (N, D) that would shrink the uncertainty of a planned
/// quantity (N*, D*/N*, k* or the metric at a target budget) most per FLOP of training, chosen greedily until
/// --budget is spent. The criterion is the fit's local information (the Gauss–Newton matrix of its rows, the
/// delta method); its band is set beside the bootstrap band, and where the two disagree by more than a factor 2
/// the advice says it is local and may mislead. Candidates: N from half the data's smallest to 10× its
/// largest, D/N from a quarter of its smallest to 30× its largest, at the sweep's k grid; or --candidates.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 design fits/example_sweep.json --budget 1e20\n  \
    t2 design fits/example_sweep.json --budget 1e20 --max-run-flops 2e19 --for tokens-per-param --form approach1 --task qa\n  \
    t2 design fits/example_sweep.json --budget 1e20 --candidates sizes.csv --format json --out design.json\n  \
    t2 design fits/example_sweep.json --budget 1e20 --task macro --plot plots/design")]
pub struct Args {
    /// Fit file written by `t2 fit` or `t2 run`.
    pub fit: PathBuf,

    /// Training compute for all the new runs together, FLOPs.
    #[arg(long, value_name = "FLOPS")]
    pub budget: f64,

    /// Most runs to train, a batch: each takes at least half its share of the budget left, and is chosen for
    /// the shrinkage it buys. 0: any number, each chosen for its shrinkage per FLOP (often many small runs).
    #[arg(long, value_name = "N", default_value_t = defaults::DESIGN_MAX_RUNS)]
    pub max_runs: usize,

    /// Largest training compute of one new run [default: the whole budget].
    #[arg(long, value_name = "FLOPS")]
    pub max_run_flops: Option<f64>,

    /// C_train of the plan the runs should inform (the largest headline budget).
    #[arg(long, value_name = "FLOPS", default_value_t = defaults::DESIGN_TARGET_TRAIN_FLOPS)]
    pub target_train_flops: f64,

    /// C_inf per query of that plan.
    #[arg(long, value_name = "FLOPS", default_value_t = defaults::INFERENCE_FLOPS)]
    pub inference_flops: f64,

    /// The quantity whose uncertainty the runs should shrink.
    #[arg(long = "for", value_name = "QUANTITY", default_value = "n-star", value_parser = choice::<Quantity>())]
    pub quantity: Quantity,

    /// Only these forms, comma-separated.
    #[arg(long = "form", value_delimiter = ',', value_name = "FORM,…", value_parser = choice::<Form>())]
    pub forms: Option<Vec<Form>>,

    /// Only this task ("macro" for the macro average).
    #[arg(long)]
    pub task: Option<String>,

    /// The runs a team can train: a CSV with params and tokens columns.
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,

    /// Print the advice as text or JSON.
    #[arg(long, value_enum, default_value_t = PrintFormat::Text)]
    pub format: PrintFormat,

    /// Also write the advice as JSON.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Also draw each fit's fitted and advised runs in the (N, D) plane into DIR (design_<form>.png and .svg).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
}

pub fn run(args: Args) -> CmdResult {
    let file = FitFile::read(&args.fit)?.only(args.forms.as_deref(), args.task.as_deref(), &args.fit)?;
    let request = DesignChoices {
        budget: args.budget,
        max_runs: args.max_runs,
        max_run_flops: args.max_run_flops,
        target_train_flops: args.target_train_flops,
        inference_flops: args.inference_flops,
        quantity: args.quantity,
        candidates: args.candidates.clone(),
    }
    .request()?;
    let advised = advise_file(&file, &request);
    if let Some(out) = &args.out {
        t2_ingest::files::refuse_overwriting_inputs(out, &[&args.fit])
            .map_err(t2_pipeline::Error::Request)?;
        t2_ingest::files::write_bytes(out, json(&advised).as_bytes())
            .map_err(|e| t2_pipeline::Error::write(out, e))?;
    }
    let drawn = match &args.plot {
        Some(dir) => t2_pipeline::advisor::figure::write_all(&file, &advised, dir)?,
        None => Vec::new(),
    };
    match args.format {
        PrintFormat::Text => print(&output::table(&advised)),
        PrintFormat::Json => print(&json(&advised)),
    }
    for path in args.out.iter().chain(&drawn) {
        say!("wrote {}", path.display());
    }
    Ok(Status::default())
}
