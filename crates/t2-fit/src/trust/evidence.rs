//! Evidence a fit report does not hold itself, brought to [`super::assess`] by the caller: the per-checkpoint
//! floor of sampled input, the loss forms' floor E.

use serde::{Deserialize, Serialize};
use t2_core::real;

/// A form's error beside the best a per-checkpoint law reaches, on the same rows: RMSE in −ln pass@k.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FloorComparison {
    /// Rows compared.
    pub rows: usize,
    /// RMSE of the per-checkpoint Beta-binomials.
    #[serde(with = "real")]
    pub floor_rmse: f64,
    /// RMSE of the form.
    #[serde(with = "real")]
    pub form_rmse: f64,
}

impl FloorComparison {
    /// √(max(0, RMSE_form² − RMSE_floor²)): the form's error beyond the floor.
    pub fn excess(&self) -> f64 {
        (self.form_rmse.powi(2) - self.floor_rmse.powi(2)).max(0.0).sqrt()
    }
}

/// Evidence a fit report does not hold itself.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    /// The form against the per-checkpoint floor (sampled per-problem input only).
    pub floor: Option<FloorComparison>,
    /// The law's floor E for the loss forms, to compare with the observed losses.
    pub loss_floor: Option<f64>,
}
