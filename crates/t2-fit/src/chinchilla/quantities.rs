//! The reported quantities of a Chinchilla fit as named numbers: the parameters, then the derived allocation
//! N*(C) = G·(C/6)^a, D*(C) = (C/6)^b / G with a = β/(α+β) ("N*_exponent"), b = α/(α+β) ("D*_exponent") and
//! G = (αA/(βB))^(1/(α+β)) ("N*_coefficient"), and N*(C), D*(C), D*/N* at each compute budget C.

use t2_core::ChinchillaParams;

use crate::report::{Kind, Quantity};

/// How many leading quantities are the model parameters (E, A, B, α, β).
pub const PARAMETERS: usize = 5;

/// The quantities in the order of [`values`]: E, A, B, alpha, beta, N*_exponent, D*_exponent, N*_coefficient,
/// then N*(C), D*(C), D*/N*(C) per budget.
pub fn quantities(budgets: &[f64]) -> Vec<Quantity> {
    let mut list = vec![
        Quantity::new("E", Kind::Scale),
        Quantity::new("A", Kind::Scale),
        Quantity::new("B", Kind::Scale),
        Quantity::new("alpha", Kind::Exponent),
        Quantity::new("beta", Kind::Exponent),
        Quantity::new("N*_exponent", Kind::Other),
        Quantity::new("D*_exponent", Kind::Other),
        Quantity::new("N*_coefficient", Kind::Derived),
    ];
    for c in budgets {
        list.push(Quantity::new(format!("N*({c:e})"), Kind::Derived));
        list.push(Quantity::new(format!("D*({c:e})"), Kind::Derived));
        list.push(Quantity::new(format!("D*/N*({c:e})"), Kind::Derived));
    }
    list
}

/// Values of [`quantities`]: N*(C) = G·(C/6)^a, D*(C) = (C/6)^b / G (see
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
        let (n, v) = (quantities(&[1e21, 5.88e23]), values(&p, &[1e21, 5.88e23]));
        assert_eq!(n.len(), v.len());
        assert_eq!(n[8].name, "N*(1e21)");
        assert_eq!(n[13].name, "D*/N*(5.88e23)");
        assert_eq!(v[3], 0.34);
        assert!((v[5] - 0.28 / 0.62).abs() < 1e-15);
        assert!((v[13] - v[12] / v[11]).abs() < 1e-9 * v[13]);
    }
}
