//! The reported quantities of a Chinchilla fit as named numbers: the parameters, then the derived
//! a = β/(α+β), b = α/(α+β), G = (αA/(βB))^(1/(α+β)), and N*(C), D*(C), D*/N* at each compute budget C.

use t2_core::ChinchillaParams;

/// How many leading quantities are the model parameters (E, A, B, α, β).
pub const PARAMETERS: usize = 5;

/// Names in the order of [`values`]: E, A, B, alpha, beta, a, b, G, then N*(C), D*(C), D*/N*(C) per budget.
pub fn names(budgets: &[f64]) -> Vec<String> {
    let mut names: Vec<String> = ["E", "A", "B", "alpha", "beta", "a", "b", "G"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for c in budgets {
        names.push(format!("N*({c:e})"));
        names.push(format!("D*({c:e})"));
        names.push(format!("D*/N*({c:e})"));
    }
    names
}

/// Values named by [`names`]: N*(C) = G·(C/6)^a, D*(C) = (C/6)^b / G (see
/// [`ChinchillaParams::compute_optimal`]).
pub fn values(p: &ChinchillaParams, budgets: &[f64]) -> Vec<f64> {
    let mut values = vec![
        p.e,
        p.a,
        p.b,
        p.alpha,
        p.beta,
        p.params_exponent(),
        p.tokens_exponent(),
        p.allocation_constant(),
    ];
    for &c in budgets {
        let (n, d) = p.compute_optimal(c);
        values.extend([n, d, d / n]);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_line_up() {
        let p = ChinchillaParams::HOFFMANN;
        let (n, v) = (names(&[1e21, 5.88e23]), values(&p, &[1e21, 5.88e23]));
        assert_eq!(n.len(), v.len());
        assert_eq!(n[8], "N*(1e21)");
        assert_eq!(n[13], "D*/N*(5.88e23)");
        assert_eq!(v[3], 0.34);
        assert!((v[5] - 0.28 / 0.62).abs() < 1e-15);
        assert!((v[13] - v[12] / v[11]).abs() < 1e-9 * v[13]);
    }
}
