//! Compute identities used throughout T²: training compute C_train = 6·N·D. Inference compute per query is
//! [`crate::plan::InferenceCost`] (the paper's 2·N·k by default).

/// Training compute of a dense transformer: C_train = 6·N·D FLOPs.
pub fn train_flops(params: f64, tokens: f64) -> f64 {
    6.0 * params * tokens
}

/// Tokens on the isoFLOP curve: D = C_train / (6·N).
pub fn tokens_for_budget(params: f64, train_flops: f64) -> f64 {
    train_flops / (6.0 * params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_round_trip() {
        let (n, d) = (70e9, 1.4e12);
        let c = train_flops(n, d);
        assert_eq!(c, 5.88e23);
        assert!((tokens_for_budget(n, c) / d - 1.0).abs() < 1e-15);
    }
}
