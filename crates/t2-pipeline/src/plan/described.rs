//! Whether plans read from a file were made in the scenario that will describe them: a report's headline says
//! "C_inf = 1.4e11 FLOPs per query" from its own options while its table shows the file's rows, so the two must
//! agree on what the rows record.

use t2_core::plan::Budget;

use super::{FormPlan, Scenario};
use crate::error::Error;
use crate::setting::Setting;
use crate::tables::sig3;

impl Scenario {
    /// Checks that `plans` were made in this scenario as far as their rows tell: per query at this C_inf, or
    /// over a life of these Q queries, and with a data limit exactly when this scenario has one. (The prompt
    /// and sample lengths and U's value are not recorded in a plan's rows, so they cannot be checked.)
    ///
    /// # Errors
    ///
    /// [`Error::Option`] naming the option whose value is not the plans', with both values.
    pub fn check_describes(&self, plans: &[FormPlan]) -> Result<(), Error> {
        let Some(row) = plans.iter().flat_map(|p| &p.rows).next() else {
            return Ok(());
        };
        match (row.budget, self.queries) {
            (Budget::PerQuery { inference_flops, .. }, None) if inference_flops != self.inference_flops => {
                Err(Error::option(
                    Setting::InferenceFlops,
                    format!(
                        "the plan was made at C_inf = {} FLOPs per query, not {}: give the plan's, so that \
                         the headline and the frontier describe it",
                        sig3(inference_flops),
                        sig3(self.inference_flops)
                    ),
                ))
            }
            (Budget::PerQuery { .. }, Some(q)) => Err(Error::option(
                Setting::Queries,
                format!(
                    "the plan was made per query, not over a life of {} queries: leave queries out",
                    sig3(q)
                ),
            )),
            (Budget::Lifetime { queries, .. }, given) if given != Some(queries) => Err(Error::option(
                Setting::Queries,
                format!(
                    "the plan was made over a life of Q = {} queries{}: give the plan's",
                    sig3(queries),
                    given.map_or(String::new(), |q| format!(", not {}", sig3(q)))
                ),
            )),
            _ => {
                let limited = row.plan.optimum.epochs.is_some();
                if limited == self.unique_tokens.is_some() {
                    return Ok(());
                }
                let message = if limited {
                    "the plan was made with a limit of unique tokens: give the plan's"
                } else {
                    "the plan was made without a limit of unique tokens: leave unique tokens out"
                };
                Err(Error::option(Setting::UniqueTokens, message))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{figure_plans, FigureOptions};
    use crate::fitfile::FitFile;

    fn example_plans(scenario: &Scenario) -> Vec<FormPlan> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fits/example_sweep.json");
        let file = FitFile::read(&path).unwrap();
        let options = FigureOptions {
            scenario: scenario.clone(),
            ..FigureOptions::default()
        };
        figure_plans(&file, &options).unwrap()
    }

    fn refused(scenario: &Scenario, plans: &[FormPlan]) -> (Setting, String) {
        match scenario.check_describes(plans) {
            Err(Error::Option { setting, message }) => (setting, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_plan_is_described_only_by_the_scenario_it_was_made_in() {
        let paper = Scenario::default();
        let plans = example_plans(&paper);
        paper.check_describes(&plans).unwrap();

        let cheaper = Scenario {
            inference_flops: 2e9,
            ..Scenario::default()
        };
        let (setting, message) = refused(&cheaper, &plans);
        assert_eq!(setting, Setting::InferenceFlops);
        assert!(
            message.contains("C_inf = 1.40e11 FLOPs per query, not 2.00e9"),
            "{message}"
        );
        cheaper.check_describes(&example_plans(&cheaper)).unwrap();

        let lifetime = Scenario {
            queries: Some(1e12),
            ..Scenario::default()
        };
        assert_eq!(refused(&lifetime, &plans).0, Setting::Queries);
        let limited = Scenario {
            unique_tokens: Some(1e13),
            ..Scenario::default()
        };
        assert_eq!(refused(&limited, &plans).0, Setting::UniqueTokens);
        assert_eq!(refused(&paper, &example_plans(&limited)).0, Setting::UniqueTokens);
        paper.check_describes(&[]).unwrap();
    }
}
