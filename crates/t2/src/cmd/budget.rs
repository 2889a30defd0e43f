//! The question every planning command takes (`plan`, `plot`, `run`, `compare`, `report`), as one set of flags
//! turned into the library's [`Scenario`]: a new constraint is one field here and one in `Scenario`.

use t2_pipeline::defaults;
use t2_pipeline::figures::FigureOptions;
use t2_pipeline::plan::{parse_flops_spec, FlopsSpec, Scenario};

/// R*_D of the data-constrained law, shared by fitting (a sweep with a `unique_tokens` column) and planning
/// (`--unique-tokens`): `t2 run` takes it once for both.
#[derive(clap::Args, Debug, Clone)]
pub struct HorizonArg {
    /// R*_D of the data-constrained law: fixed when fitting a sweep with a unique_tokens column, and used by
    /// plans with --unique-tokens [default: the fit's fitted R*_D, else Muennighoff et al. 2023's 15.39].
    #[arg(long, value_name = "EPOCHS", help_heading = "Limited data")]
    pub repetition_horizon: Option<f64>,
}

/// Budgets, targets and the deployment of a plan.
#[derive(clap::Args, Debug, Clone)]
pub struct BudgetArgs {
    /// Training compute C_train in FLOPs: one value (1e21), a comma list (1e19,1e21) or a log range
    /// (1e17..1e25, see --points).
    #[arg(long, value_name = "FLOPS", value_parser = parse_flops_spec, default_value = defaults::TRAIN_FLOPS,
          help_heading = "Budgets")]
    pub train_flops: FlopsSpec,

    /// Number of log-spaced budgets in a --train-flops or --total-flops range.
    #[arg(long, default_value_t = defaults::POINTS, help_heading = "Budgets")]
    pub points: usize,

    /// Inference compute per query C_inf in FLOPs (1.4e11 = one forward pass of a 70B model).
    #[arg(long, value_name = "FLOPS", default_value_t = defaults::INFERENCE_FLOPS, help_heading = "Budgets")]
    pub inference_flops: f64,

    /// Lifetime: Q queries served over the model's life. With --total-flops, N, D and k are chosen together
    /// under one budget 6ND + Q·C_inf(N, k) (Sardana et al. 2024); with a target, its cheapest lifetime total.
    #[arg(long, value_name = "Q", help_heading = "Budgets")]
    pub queries: Option<f64>,

    /// Lifetime compute C_total in FLOPs (needs --queries): a value, a comma list or a log range; replaces
    /// --train-flops.
    #[arg(long, value_name = "FLOPS", value_parser = parse_flops_spec, requires = "queries",
          help_heading = "Budgets")]
    pub total_flops: Option<FlopsSpec>,

    /// Tokens generated per sample T: a query costs C_inf = 2N·(P + k·T) FLOPs (the paper: T = 1).
    #[arg(long, value_name = "T", default_value_t = defaults::TOKENS_PER_SAMPLE, help_heading = "What inference costs")]
    pub tokens_per_sample: f64,

    /// Prompt tokens per query P, prefilled once and shared by its k samples through the KV cache.
    #[arg(long, value_name = "P", default_value_t = defaults::PROMPT_TOKENS, help_heading = "What inference costs")]
    pub prompt_tokens: f64,

    /// Unique training tokens U: training on D > U repeats data, and every form's law sees the
    /// data-constrained D′ of Muennighoff et al. 2023 instead of D.
    #[arg(long, value_name = "TOKENS", help_heading = "Limited data")]
    pub unique_tokens: Option<f64>,

    #[command(flatten)]
    pub horizon: HorizonArg,

    /// Cheapest allocation reaching these losses (Chinchilla and Approach 1 plans), comma-separated: the
    /// training compute at --inference-flops, or the lifetime total with --queries.
    #[arg(long, value_name = "LOSS,…", value_delimiter = ',', help_heading = "Targets")]
    pub target_loss: Vec<f64>,

    /// Cheapest allocation reaching these pass@k values (Approach 2 and chained plans), comma-separated.
    #[arg(long, value_name = "P,…", value_delimiter = ',', help_heading = "Targets")]
    pub target_pass_at_k: Vec<f64>,

    /// A model that exists, of N parameters: the plan chooses only what is left (D, or with --tokens the k a
    /// budget or target needs, and the metric at k = 1, 2, 4, …, 1024).
    #[arg(long, value_name = "N", help_heading = "A model that exists")]
    pub params: Option<f64>,

    /// D of that model, when it is trained (needs --params).
    #[arg(
        long,
        value_name = "D",
        requires = "params",
        help_heading = "A model that exists"
    )]
    pub tokens: Option<f64>,
}

impl BudgetArgs {
    /// The library's scenario (checked by [`Scenario::check`] where it is planned).
    pub fn scenario(&self) -> Scenario {
        Scenario {
            flops: self
                .total_flops
                .clone()
                .unwrap_or_else(|| self.train_flops.clone()),
            points: self.points,
            inference_flops: self.inference_flops,
            queries: self.queries,
            prompt_tokens: self.prompt_tokens,
            tokens_per_sample: self.tokens_per_sample,
            unique_tokens: self.unique_tokens,
            repetition_horizon: self.horizon.repetition_horizon,
            params: self.params,
            tokens: self.tokens,
            target_loss: self.target_loss.clone(),
            target_pass_at_k: self.target_pass_at_k.clone(),
        }
    }

    /// The figures' options in this scenario (the rest at their defaults).
    pub fn figure_options(&self) -> FigureOptions {
        FigureOptions {
            scenario: self.scenario(),
            ..FigureOptions::default()
        }
    }
}
