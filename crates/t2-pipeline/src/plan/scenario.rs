//! What a plan is asked, in one type every front end fills (the command line's budget flags, Python's keywords,
//! the figures, the report, compare): budgets per query or over a lifetime, or targets; the inference cost; the
//! unique data; a model that exists. A new constraint is a field here and its use in [`Scenario::check`].

use t2_core::plan::{Budget, DataLimit, Deployment, FixedModel, InferenceCost, Metric, PlanError, Target};

use super::budgets::FlopsSpec;
use crate::error::Error;
use crate::setting::Setting;

/// The samples at which a trained model's metric is shown when no target is given: 1, 2, 4, …, 1024.
pub const SAMPLE_GRID: [f64; 11] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0];

/// A plan's question, as a user states it. [`Scenario::default`] is the paper's: training budgets
/// [`crate::defaults::TRAIN_FLOPS`] at C_inf = [`crate::defaults::INFERENCE_FLOPS`] per query, C_inf = 2Nk,
/// unlimited data.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// C_train per query; with `queries`, C_total over the model's life.
    pub flops: FlopsSpec,
    /// Values along a range of `flops`.
    pub points: usize,
    /// C_inf per query, FLOPs (per-query budgets and targets).
    pub inference_flops: f64,
    /// Q: queries over the model's life. The budgets are then lifetime totals (Sardana et al. 2024).
    pub queries: Option<f64>,
    /// P: prompt tokens per query, prefilled once and shared by its samples.
    pub prompt_tokens: f64,
    /// T: tokens generated per sample.
    pub tokens_per_sample: f64,
    /// U: unique training tokens; beyond them data repeats and counts as D′ (Muennighoff et al. 2023).
    pub unique_tokens: Option<f64>,
    /// R*_D of the data-constrained law; None: the fit's when it fitted one, else Muennighoff et al.'s.
    pub repetition_horizon: Option<f64>,
    /// N of a model that exists.
    pub params: Option<f64>,
    /// D of that model, when it is trained.
    pub tokens: Option<f64>,
    /// Losses to reach (Chinchilla and Approach 1 plans).
    pub target_loss: Vec<f64>,
    /// pass@k values to reach (Approach 2 and chained plans).
    pub target_pass_at_k: Vec<f64>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            flops: FlopsSpec::Range(
                crate::defaults::TRAIN_FLOPS_RANGE.0,
                crate::defaults::TRAIN_FLOPS_RANGE.1,
            ),
            points: crate::defaults::POINTS,
            inference_flops: crate::defaults::INFERENCE_FLOPS,
            queries: None,
            prompt_tokens: crate::defaults::PROMPT_TOKENS,
            tokens_per_sample: crate::defaults::TOKENS_PER_SAMPLE,
            unique_tokens: None,
            repetition_horizon: None,
            params: None,
            tokens: None,
            target_loss: Vec::new(),
            target_pass_at_k: Vec::new(),
        }
    }
}

/// One row a plan answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ask {
    /// The best allocation on a budget.
    Budget(Budget),
    /// The cheapest allocation reaching a target, on budgets of the template's shape.
    Target(Budget, Target),
}

/// A checked scenario: the deployment, and what to plan for each metric.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSpec {
    /// What a query costs, the unique data and the model that exists.
    pub deployment: Deployment,
    budgets: Vec<Budget>,
    targets: Vec<(Budget, Target)>,
    /// Whether R*_D was given (else a fit's own fitted R*_D replaces the default, [`PlanSpec::for_fit`]).
    horizon_given: bool,
}

impl PlanSpec {
    /// A spec of these budgets under `deployment` (checked budgets, as [`Scenario::check`] makes them).
    pub fn of_budgets(deployment: Deployment, budgets: Vec<Budget>) -> PlanSpec {
        PlanSpec {
            deployment,
            budgets,
            targets: Vec::new(),
            horizon_given: true,
        }
    }

    /// The spec for a fit file: with the R*_D the fit fitted, unless one was given.
    pub fn for_fit(&self, repetition: Option<&crate::repetition::RepetitionFit>) -> PlanSpec {
        let mut spec = self.clone();
        if let (false, Some(fit), Some(data)) = (
            self.horizon_given,
            repetition.filter(|r| r.fitted),
            spec.deployment.data.as_mut(),
        ) {
            data.repetition_horizon = fit.horizon;
        }
        spec
    }

    /// The rows of a form's plan: its metric's targets when any target is given, else every budget.
    pub fn asks(&self, metric: Metric) -> Vec<Ask> {
        if self.targets.is_empty() {
            return self.budgets.iter().map(|&b| Ask::Budget(b)).collect();
        }
        self.targets
            .iter()
            .filter(|(_, t)| t.metric == metric)
            .map(|&(b, t)| Ask::Target(b, t))
            .collect()
    }

    /// Whether the plan is asked for targets.
    pub fn has_targets(&self) -> bool {
        !self.targets.is_empty()
    }

    /// The budgets asked (none when targets are).
    pub fn budgets(&self) -> &[Budget] {
        &self.budgets
    }
}

impl Scenario {
    /// The paper's scenario at these training budgets and C_inf.
    pub fn per_query(flops: FlopsSpec, points: usize, inference_flops: f64) -> Scenario {
        Scenario {
            flops,
            points,
            inference_flops,
            ..Scenario::default()
        }
    }

    /// Whether the budgets are lifetime totals.
    pub fn is_lifetime(&self) -> bool {
        self.queries.is_some()
    }

    /// What the plan assumes besides its budgets, in a line: "C_inf = 1.4e11 FLOPs per query", "Q = 1e9 queries
    /// of P = 500 prompt + k × T = 100 tokens", "U = 1e12 unique tokens", "model N = 7e9, D = 2e12".
    pub fn describe(&self) -> String {
        self.describe_with(crate::tables::sig3)
    }

    /// [`Scenario::describe`] with the numbers written by `g` (a figure's "1.4×10¹¹").
    pub fn describe_with(&self, g: impl Fn(f64) -> String) -> String {
        let mut parts = vec![match self.queries {
            Some(q) => format!("Q = {} queries over the model's life", g(q)),
            None => format!("C_inf = {} FLOPs per query", g(self.inference_flops)),
        }];
        if self.prompt_tokens != crate::defaults::PROMPT_TOKENS
            || self.tokens_per_sample != crate::defaults::TOKENS_PER_SAMPLE
        {
            parts.push(format!(
                "C_inf = 2N·(P + kT), P = {} prompt tokens, T = {} tokens per sample",
                g(self.prompt_tokens),
                g(self.tokens_per_sample)
            ));
        }
        if let Some(u) = self.unique_tokens {
            parts.push(match self.repetition_horizon {
                Some(r) => format!("U = {} unique tokens (R*_D = {})", g(u), g(r)),
                None => format!("U = {} unique tokens", g(u)),
            });
        }
        if let Some(n) = self.params {
            parts.push(match self.tokens {
                Some(d) => format!("model N = {}, D = {}", g(n), g(d)),
                None => format!("model N = {}", g(n)),
            });
        }
        parts.join(" · ")
    }

    /// The budgets' axis: "training compute C_train" or "lifetime compute C_total".
    pub fn scale_name(&self) -> String {
        let what = if self.is_lifetime() {
            "lifetime compute"
        } else {
            "training compute"
        };
        format!("{what} {}", self.scale_symbol())
    }

    /// The budgets' symbol in a table's header: "C_train" or "C_total".
    pub fn scale_symbol(&self) -> &'static str {
        if self.is_lifetime() {
            "C_total"
        } else {
            "C_train"
        }
    }

    /// The same scenario asking budgets only, with no model that exists: what a frontier draws.
    pub fn frontier(&self) -> Scenario {
        Scenario {
            params: None,
            tokens: None,
            target_loss: Vec::new(),
            target_pass_at_k: Vec::new(),
            ..self.clone()
        }
    }

    /// Checks every value and builds the deployment and the rows to plan.
    ///
    /// - Budgets: `flops` per query at `inference_flops`, or lifetime totals with `queries`.
    /// - A trained model (`params` and `tokens`) on per-query budgets: its metric at each k of [`SAMPLE_GRID`]
    ///   and at what `inference_flops` pays for.
    /// - Targets: the cheapest C_train at `inference_flops` (C_inf for a trained model), or the cheapest
    ///   lifetime total with `queries`.
    ///
    /// # Errors
    ///
    /// [`Error::Option`] naming the setting at fault.
    pub fn check(&self) -> Result<PlanSpec, Error> {
        let bad = |setting: Setting| move |e: PlanError| Error::option(setting, plan_message(e));
        let cost = InferenceCost::new(self.prompt_tokens, self.tokens_per_sample).map_err(|e| {
            let setting = if self.prompt_tokens.is_finite() && self.prompt_tokens >= 0.0 {
                Setting::TokensPerSample
            } else {
                Setting::PromptTokens
            };
            Error::option(setting, plan_message(e))
        })?;
        let horizon = self
            .repetition_horizon
            .unwrap_or(crate::defaults::REPETITION_HORIZON);
        DataLimit::new(1.0, horizon).map_err(bad(Setting::RepetitionHorizon))?;
        let data = self
            .unique_tokens
            .map(|u| DataLimit::new(u, horizon))
            .transpose()
            .map_err(bad(Setting::UniqueTokens))?;
        let model = match (self.params, self.tokens) {
            (Some(n), d) => Some(FixedModel::new(n, d).map_err(bad(Setting::Params))?),
            (None, Some(_)) => {
                return Err(Error::option(
                    Setting::Tokens,
                    "a model's tokens need its parameters",
                ))
            }
            (None, None) => None,
        };
        let deployment = Deployment { cost, data, model };
        // A target's budget: its size is searched ([`t2_core::plan::cheapest`]), the value here only holds its shape.
        let template = match self.queries {
            Some(q) => Budget::lifetime(1e30, q).map_err(bad(Setting::Queries))?,
            None => Budget::new(1e30, self.inference_flops).map_err(bad(Setting::InferenceFlops))?,
        };
        let targets = self.targets(template)?;
        let budgets = if targets.is_empty() {
            self.budgets(&deployment)?
        } else {
            Vec::new()
        };
        Ok(PlanSpec {
            deployment,
            budgets,
            targets,
            horizon_given: self.repetition_horizon.is_some(),
        })
    }

    fn targets(&self, template: Budget) -> Result<Vec<(Budget, Target)>, Error> {
        let mut targets = Vec::new();
        for (metric, values, setting) in [
            (Metric::Loss, &self.target_loss, Setting::TargetLoss),
            (Metric::PassAtK, &self.target_pass_at_k, Setting::TargetPassAtK),
        ] {
            for &v in values {
                let target = Target::new(metric, v).map_err(|e| Error::option(setting, plan_message(e)))?;
                targets.push((template, target));
            }
        }
        Ok(targets)
    }

    fn budgets(&self, deployment: &Deployment) -> Result<Vec<Budget>, Error> {
        let setting = if self.is_lifetime() {
            Setting::TotalFlops
        } else {
            Setting::TrainFlops
        };
        let scales = self.flops.checked_values(self.points)?;
        if scales.is_empty() {
            return Err(Error::option(setting, "no budget given"));
        }
        let bad = |e: PlanError| Error::option(setting, plan_message(e));
        if let (Some(model), None) = (deployment.model, self.queries) {
            if let Some(tokens) = model.tokens {
                let train = 6.0 * model.params * tokens;
                let mut budgets: Vec<Budget> = SAMPLE_GRID
                    .iter()
                    .map(|&k| deployment.cost.flops(model.params, k))
                    .chain([self.inference_flops])
                    .map(|c| Budget::new(train, c))
                    .collect::<Result<_, _>>()
                    .map_err(bad)?;
                budgets.sort_by(|a, b| inference_of(a).total_cmp(&inference_of(b)));
                budgets.dedup();
                return Ok(budgets);
            }
        }
        scales
            .iter()
            .map(|&c| match self.queries {
                Some(q) => Budget::lifetime(c, q),
                None => Budget::new(c, self.inference_flops),
            })
            .collect::<Result<_, _>>()
            .map_err(bad)
    }
}

fn inference_of(b: &Budget) -> f64 {
    match *b {
        Budget::PerQuery { inference_flops, .. } => inference_flops,
        Budget::Lifetime { .. } => f64::NAN,
    }
}

/// A plan error's message without its "bad budget: " prefix (the setting names what it is about).
fn plan_message(e: PlanError) -> String {
    match e {
        PlanError::BadBudget(m) | PlanError::Unaffordable(m) => m,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_papers_budgets() {
        let spec = Scenario::default().check().unwrap();
        assert_eq!(spec.deployment, Deployment::default());
        let asks = spec.asks(Metric::Loss);
        assert_eq!(asks.len(), crate::defaults::POINTS);
        assert_eq!(
            asks[0],
            Ask::Budget(Budget::new(1e17, crate::defaults::INFERENCE_FLOPS).unwrap())
        );
    }

    #[test]
    fn targets_go_to_the_forms_of_their_metric_and_replace_the_budgets() {
        let spec = Scenario {
            target_loss: vec![2.0, 1.9],
            queries: Some(1e9),
            ..Scenario::default()
        }
        .check()
        .unwrap();
        assert_eq!(spec.asks(Metric::Loss).len(), 2);
        assert!(spec.asks(Metric::PassAtK).is_empty());
        assert!(matches!(
            spec.asks(Metric::Loss)[0],
            Ask::Target(Budget::Lifetime { .. }, _)
        ));
    }

    #[test]
    fn a_trained_model_is_planned_over_k() {
        let spec = Scenario {
            params: Some(1e9),
            tokens: Some(2e10),
            ..Scenario::default()
        }
        .check()
        .unwrap();
        let asks = spec.asks(Metric::PassAtK);
        assert_eq!(asks.len(), SAMPLE_GRID.len() + 1);
        assert!(asks
            .iter()
            .all(|a| matches!(a, Ask::Budget(Budget::PerQuery { train_flops, .. })
            if *train_flops == 6.0 * 1e9 * 2e10)));
    }

    #[test]
    fn each_bad_value_names_its_setting() {
        let cases = [
            (
                Scenario {
                    prompt_tokens: -1.0,
                    ..Scenario::default()
                },
                Setting::PromptTokens,
            ),
            (
                Scenario {
                    tokens_per_sample: 0.0,
                    ..Scenario::default()
                },
                Setting::TokensPerSample,
            ),
            (
                Scenario {
                    unique_tokens: Some(0.0),
                    ..Scenario::default()
                },
                Setting::UniqueTokens,
            ),
            (
                Scenario {
                    repetition_horizon: Some(-3.0),
                    ..Scenario::default()
                },
                Setting::RepetitionHorizon,
            ),
            (
                Scenario {
                    tokens: Some(1e9),
                    ..Scenario::default()
                },
                Setting::Tokens,
            ),
            (
                Scenario {
                    params: Some(f64::NAN),
                    ..Scenario::default()
                },
                Setting::Params,
            ),
            (
                Scenario {
                    queries: Some(-1.0),
                    ..Scenario::default()
                },
                Setting::Queries,
            ),
            (
                Scenario {
                    inference_flops: 0.0,
                    ..Scenario::default()
                },
                Setting::InferenceFlops,
            ),
            (
                Scenario {
                    target_pass_at_k: vec![1.5],
                    ..Scenario::default()
                },
                Setting::TargetPassAtK,
            ),
            (
                Scenario {
                    target_loss: vec![f64::NAN],
                    ..Scenario::default()
                },
                Setting::TargetLoss,
            ),
            (
                Scenario {
                    flops: FlopsSpec::List(vec![3.0]),
                    queries: Some(1.0),
                    ..Scenario::default()
                },
                Setting::TotalFlops,
            ),
        ];
        for (scenario, setting) in cases {
            match scenario.check() {
                Err(Error::Option { setting: s, .. }) => assert_eq!(s, setting, "{scenario:?}"),
                other => panic!("{scenario:?}: {other:?}"),
            }
        }
    }
}
