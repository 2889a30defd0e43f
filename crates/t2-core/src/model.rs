//! A tagged union of the fitted forms, for serialisation and for code that handles any form.

use serde::{Deserialize, Serialize};

use crate::{Approach1Params, Approach2Params, ChinchillaParams};

crate::vocabulary! {
    /// Which parametric form a fit is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Form as "form" {
        /// L(N, D) = E + A/N^α + B/D^β on the single-pass loss.
        Chinchilla => "chinchilla",
        /// T² Approach 1: L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ on the task loss.
        Approach1 => "approach1",
        /// T² Approach 2: Beta-regression pass@k on the single-pass loss law.
        Approach2 => "approach2",
        /// Approach 2 chained to the pretraining loss: the same Beta regression, with L̂(N, D) the Chinchilla law
        /// (Epoch's Huber fit) of each checkpoint's pretraining (validation) loss instead of the task's k = 1
        /// loss.
        Chained => "chained",
    }
}

impl Form {
    /// The form's name with its task, as messages name a fit: "approach1" or "approach1 (task qa)".
    pub fn scope(self, task: Option<&str>) -> String {
        match task {
            Some(task) => format!("{} (task {task})", self.name()),
            None => self.name().to_string(),
        }
    }

    /// The name people read: "Chinchilla", "Approach 1", "Approach 2".
    pub fn label(self) -> &'static str {
        match self {
            Form::Chinchilla => "Chinchilla",
            Form::Approach1 => "Approach 1",
            Form::Approach2 => "Approach 2",
            Form::Chained => "Chained",
        }
    }
}

impl std::fmt::Display for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Fitted parameters of any form.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum ModelParams {
    /// The Chinchilla law's parameters.
    Chinchilla(ChinchillaParams),
    /// Approach 1's parameters.
    Approach1(Approach1Params),
    /// Approach 2's parameters.
    Approach2(Approach2Params),
    /// The chained form's: Approach 2's, its loss law fitted to the pretraining loss.
    Chained(Approach2Params),
}

impl ModelParams {
    /// The form these parameters belong to.
    pub fn form(&self) -> Form {
        match self {
            ModelParams::Chinchilla(_) => Form::Chinchilla,
            ModelParams::Approach1(_) => Form::Approach1,
            ModelParams::Approach2(_) => Form::Approach2,
            ModelParams::Chained(_) => Form::Chained,
        }
    }

    /// The names of `form`'s parameters, in the order of [`ModelParams::values`].
    pub fn names(form: Form) -> &'static [&'static str] {
        match form {
            Form::Chinchilla => &["E", "A", "B", "alpha", "beta"],
            Form::Approach1 => &["E", "A", "B", "G", "alpha", "beta", "gamma"],
            Form::Approach2 | Form::Chained => &[
                "E", "A", "B", "alpha", "beta", "theta0", "theta1", "theta2", "theta3", "theta4",
            ],
        }
    }

    /// The parameters as numbers, in the order of [`ModelParams::names`] (Approach 2: its loss law's, then θ).
    pub fn values(&self) -> Vec<f64> {
        let chinchilla = |p: &ChinchillaParams| [p.e, p.a, p.b, p.alpha, p.beta];
        match self {
            ModelParams::Chinchilla(p) => chinchilla(p).to_vec(),
            ModelParams::Approach1(p) => vec![p.e, p.a, p.b, p.g, p.alpha, p.beta, p.gamma],
            ModelParams::Approach2(p) | ModelParams::Chained(p) => {
                [chinchilla(&p.loss).as_slice(), &p.theta].concat()
            }
        }
    }

    /// The parameters of `form` from [`ModelParams::values`]; None when there are not as many as it has.
    pub fn from_values(form: Form, v: &[f64]) -> Option<ModelParams> {
        if v.len() != ModelParams::names(form).len() {
            return None;
        }
        let chinchilla = |v: &[f64]| ChinchillaParams {
            e: v[0],
            a: v[1],
            b: v[2],
            alpha: v[3],
            beta: v[4],
        };
        Some(match form {
            Form::Chinchilla => ModelParams::Chinchilla(chinchilla(v)),
            Form::Approach1 => ModelParams::Approach1(Approach1Params {
                e: v[0],
                a: v[1],
                b: v[2],
                g: v[3],
                alpha: v[4],
                beta: v[5],
                gamma: v[6],
            }),
            Form::Approach2 | Form::Chained => {
                let p = Approach2Params {
                    loss: chinchilla(v),
                    theta: [v[5], v[6], v[7], v[8], v[9]],
                };
                ModelParams::of_approach2(form, p)
            }
        })
    }

    /// `p` as the parameters of `form` (Approach 2 or the chained form, which share their parameters).
    pub fn of_approach2(form: Form, p: Approach2Params) -> ModelParams {
        // Exhaustive: a new form must say whether it shares Approach 2's parameters.
        match form {
            Form::Chained => ModelParams::Chained(p),
            Form::Approach2 | Form::Chinchilla | Form::Approach1 => ModelParams::Approach2(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_from_values_for_every_form() {
        let loss = ChinchillaParams {
            e: 1.8,
            a: 400.0,
            b: 2000.0,
            alpha: 0.34,
            beta: 0.37,
        };
        let all = [
            ModelParams::Chinchilla(loss),
            ModelParams::Approach1(Approach1Params {
                e: 1.0,
                a: 2.0,
                b: 3.0,
                g: 4.0,
                alpha: 0.5,
                beta: 0.6,
                gamma: 0.7,
            }),
            ModelParams::Approach2(Approach2Params {
                loss,
                theta: [1.0, 2.0, 3.0, 4.0, 5.0],
            }),
            ModelParams::Chained(Approach2Params {
                loss,
                theta: [1.5, 2.0, 3.0, 4.0, 5.0],
            }),
        ];
        for p in all {
            assert_eq!(p.values().len(), ModelParams::names(p.form()).len());
            assert_eq!(ModelParams::from_values(p.form(), &p.values()), Some(p));
        }
        assert_eq!(ModelParams::from_values(Form::Chinchilla, &[1.0; 4]), None);
    }
}
