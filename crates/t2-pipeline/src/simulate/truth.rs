//! The true parameters of a simulation: built-in defaults, `--approach1`/`--approach2` key=value lists, or a
//! JSON file with several tasks.

use std::path::Path;

use serde::{Deserialize, Serialize};
use t2_core::simulate::TaskTruth;
use t2_core::{Approach1Params, Approach2Params, ChinchillaParams};

/// One task of a truth file: `approach2.loss` defaults to the Approach 1 law at k = 1 (floor E + G).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskSpec {
    /// The task's name.
    pub name: String,
    /// Its Approach 1 law (draws the loss).
    pub approach1: Option<Approach1Params>,
    /// Its Approach 2 θ (draws pass@k).
    pub approach2: Option<Approach2Theta>,
}

/// Approach 2 parameters in a truth file: θ0..θ4 and, optionally, the single-pass loss law.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Approach2Theta {
    /// θ0..θ4.
    pub theta: [f64; 5],
    /// The single-pass loss law L̂(N, D) (default: Approach 1's at k = 1).
    pub loss: Option<ChinchillaParams>,
}

/// A truth file: `{"tasks": [{"name": …, "approach1": {"e": …, …}, "approach2": {"theta": [..5]}}]}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruthFile {
    /// The tasks.
    pub tasks: Vec<TaskSpec>,
}

impl TaskSpec {
    /// The task's truth; an Approach 2 law without its own loss law uses Approach 1's at k = 1.
    pub fn truth(&self) -> Result<TaskTruth, String> {
        let approach2 = match self.approach2 {
            None => None,
            Some(a2) => {
                let loss = match (a2.loss, self.approach1) {
                    (Some(loss), _) => loss,
                    (None, Some(a1)) => a1.at_single_sample(),
                    (None, None) => {
                        return Err(format!(
                        "task '{}': Approach 2 needs a loss law ('loss': {{e, a, b, alpha, beta}}) when no \
                             Approach 1 parameters are given",
                        self.name
                    ))
                    }
                };
                Some(Approach2Params {
                    loss,
                    theta: a2.theta,
                })
            }
        };
        Ok(TaskTruth {
            name: self.name.clone(),
            approach1: self.approach1,
            approach2,
        })
    }
}

/// Reads a truth file.
pub fn read_truth(path: &Path) -> Result<Vec<TaskSpec>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    t2_ingest::files::note_read(path);
    let file: TruthFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if file.tasks.is_empty() {
        return Err(format!("{}: 'tasks' is empty", path.display()));
    }
    Ok(file.tasks)
}

/// Parses `e=0.3,a=60,b=400,g=1.5,alpha=0.3,beta=0.3,gamma=0.4` (every key required).
pub fn parse_approach1(text: &str) -> Result<Approach1Params, String> {
    let values = key_values(text, &["e", "a", "b", "g", "alpha", "beta", "gamma"])?;
    Ok(Approach1Params {
        e: values[0],
        a: values[1],
        b: values[2],
        g: values[3],
        alpha: values[4],
        beta: values[5],
        gamma: values[6],
    })
}

/// Parses `theta0=2.8,theta1=3,theta2=0.9,theta3=0.5,theta4=-0.5`.
pub fn parse_theta(text: &str) -> Result<[f64; 5], String> {
    let values = key_values(text, &["theta0", "theta1", "theta2", "theta3", "theta4"])?;
    Ok([values[0], values[1], values[2], values[3], values[4]])
}

fn key_values(text: &str, keys: &[&str]) -> Result<Vec<f64>, String> {
    let mut values = vec![None; keys.len()];
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("expected KEY=VALUE, got '{pair}'"))?;
        let at = keys
            .iter()
            .position(|k| *k == key.trim())
            .ok_or_else(|| format!("unknown key '{}' (keys: {})", key.trim(), keys.join(", ")))?;
        let number: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("'{key}': '{value}' is not a number"))?;
        if !number.is_finite() {
            return Err(format!("'{key}' must be finite"));
        }
        values[at] = Some(number);
    }
    keys.iter()
        .zip(values)
        .map(|(k, v)| v.ok_or_else(|| format!("missing '{k}' (all of {} are needed)", keys.join(", "))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::simulate::{DEFAULT_APPROACH1, DEFAULT_THETA};

    #[test]
    fn key_value_lists() {
        let p = parse_approach1("e=0.3, a=60,b=400,g=1.5,alpha=0.3,beta=0.3,gamma=0.4").unwrap();
        assert_eq!(p, DEFAULT_APPROACH1);
        assert!(parse_approach1("e=0.3").unwrap_err().contains("missing 'a'"));
        assert!(parse_theta("theta0=1,theta1=1,theta2=1,theta3=1,theta9=1")
            .unwrap_err()
            .contains("unknown"));
        assert_eq!(
            parse_theta("theta0=2.8,theta1=3,theta2=0.9,theta3=0.5,theta4=-0.5").unwrap(),
            DEFAULT_THETA
        );
    }
}
