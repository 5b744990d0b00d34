//! Park **risk capacity** (风险容量): how much more risk a chemical park can take before it breaks
//! the acceptable-risk criteria.
//!
//! No national formula exists (shared/reference/standards.md §5.1: the 2013 review in
//! 《中国安全生产科学技术》 argues that the real content of park safety capacity is the park's risk
//! criterion; Wu & Xu 2011 use PLL as the additive planning quantity). qra therefore defines a
//! **headroom factor** — our design, documented here and configurable through the inputs:
//!
//! * k_IR = min over protected targets t of limit_t / IR_t (∞ where IR_t = 0);
//! * k_SR = min over N ≥ N_min of C(N) / F(N), where F is the park's F-N curve and C the
//!   criterion's intolerable line. Because F is a non-increasing step function and C decreasing,
//!   the minimum is attained at the distinct fatality numbers n_j of the outcome cases:
//!   k_SR = min_j C(n_j) / F(n_j);
//! * k = min(k_IR, k_SR): the factor by which every frequency in the park could be multiplied
//!   before the first criterion is reached (k < 1: already exceeded). Scaling all frequencies by
//!   λ scales k by 1/λ exactly.
//! * utilisation u = 1 / k; a remaining-PLL budget cap − PLL where a PLL cap is set (PLL is
//!   additive over facilities, AQ/T 3046 eq. (15)).
//!
//! **Park risk level** from u, four grades named like the MEM park grades (A high … D low,
//! standards.md §5.2 — whose *score* bands are a checklist, not QRA; the bands below are ours):
//! A: u ≥ 1 (capacity exceeded); B: 0.5 ≤ u < 1; C: 0.1 ≤ u < 0.5; D: u < 0.1.

use serde::Serialize;

use crate::error::{check, QraError, Result};

/// What limits the capacity. Serialised with a `kind` tag in kebab case
/// (`{"kind": "individual-risk", "target": 2}`, `{"kind": "societal-risk", "n": 10.0}`,
/// `{"kind": "none"}`); the Python bindings replace the target index by the target's id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Binding {
    /// A protected target's individual risk (index into the targets given).
    IndividualRisk {
        /// Index of the target.
        target: usize,
    },
    /// The societal-risk line at this N.
    SocietalRisk {
        /// Fatality number where the ratio is smallest.
        n: f64,
    },
    /// Nothing (no risk at all).
    None,
}

/// Park risk level (our four bands of utilisation, see module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParkRiskLevel {
    /// u ≥ 1: capacity exceeded.
    A,
    /// 0.5 ≤ u < 1.
    B,
    /// 0.1 ≤ u < 0.5.
    C,
    /// u < 0.1.
    D,
}

impl ParkRiskLevel {
    /// Level for a utilisation u ≥ 0.
    pub fn from_utilisation(u: f64) -> ParkRiskLevel {
        if u >= 1.0 {
            ParkRiskLevel::A
        } else if u >= 0.5 {
            ParkRiskLevel::B
        } else if u >= 0.1 {
            ParkRiskLevel::C
        } else {
            ParkRiskLevel::D
        }
    }
}

/// The capacity assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    /// k_IR (∞ when no target has risk).
    pub k_ir: f64,
    /// k_SR (∞ when there is no societal risk).
    pub k_sr: f64,
    /// k = min(k_IR, k_SR).
    pub k: f64,
    /// u = 1/k.
    pub utilisation: f64,
    /// What binds.
    pub binding: Binding,
    /// Remaining PLL budget (cap − PLL), where a cap is set.
    pub remaining_pll_per_year: Option<f64>,
    /// Park risk level.
    pub level: ParkRiskLevel,
}

/// Computes the capacity.
///
/// * `targets`: (individual risk per year, limit per year) of every protected target;
/// * `cases`: societal-risk outcome cases (fatalities N ≥ 0, frequency per year);
/// * `criterion`: the intolerable F-N line C(N), per year, evaluated for N ≥ `n_min`;
/// * `pll_cap_per_year`: optional PLL budget.
pub fn capacity(
    targets: &[(f64, f64)],
    cases: &[(f64, f64)],
    criterion: impl Fn(f64) -> f64,
    n_min: f64,
    pll_cap_per_year: Option<f64>,
) -> Result<Capacity> {
    let mut k_ir = f64::INFINITY;
    let mut binding = Binding::None;
    for (i, (ir, limit)) in targets.iter().enumerate() {
        check::non_negative(&format!("targets[{i}].ir"), *ir)?;
        check::positive(&format!("targets[{i}].limit"), *limit)?;
        if *ir > 0.0 && limit / ir < k_ir {
            k_ir = limit / ir;
            binding = Binding::IndividualRisk { target: i };
        }
    }
    check::positive("n_min", n_min)?;
    let mut sorted: Vec<(f64, f64)> = Vec::with_capacity(cases.len());
    for (i, (n, f)) in cases.iter().enumerate() {
        check::non_negative(&format!("cases[{i}].n"), *n)?;
        check::non_negative(&format!("cases[{i}].frequency"), *f)?;
        if *f > 0.0 {
            sorted.push((*n, *f));
        }
    }
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Walk from the largest N down, accumulating F(N) = Σ f over cases with N_k ≥ N.
    let mut k_sr = f64::INFINITY;
    let mut n_sr = f64::NAN;
    let mut cum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let n = sorted[i].0;
        while i < sorted.len() && sorted[i].0 == n {
            cum += sorted[i].1;
            i += 1;
        }
        if n >= n_min {
            let c = criterion(n);
            if !(c.is_finite() && c > 0.0) {
                return Err(QraError::invalid(
                    "criterion(N)",
                    c,
                    format!("must be finite and > 0 at N = {n}"),
                ));
            }
            if c / cum < k_sr {
                k_sr = c / cum;
                n_sr = n;
            }
        }
    }
    let pll: f64 = sorted.iter().map(|(n, f)| n * f).sum();
    let k = k_ir.min(k_sr);
    if k_sr < k_ir {
        binding = Binding::SocietalRisk { n: n_sr };
    }
    let utilisation = if k.is_infinite() { 0.0 } else { 1.0 / k };
    let remaining = match pll_cap_per_year {
        Some(c) => Some(check::non_negative("pll_cap_per_year", c)? - pll),
        None => None,
    };
    Ok(Capacity {
        k_ir,
        k_sr,
        k,
        utilisation,
        binding,
        remaining_pll_per_year: remaining,
        level: ParkRiskLevel::from_utilisation(utilisation),
    })
}

/// The capacity of a computed study (a park) against a criteria set: targets' IR and limits from
/// [`crate::risk::criteria::target_compliance`], societal cases from the F-N curve (case frequencies are the
/// steps of the cumulative curve), C(N) the set's intolerable line from its `n_min`.
///
/// # Errors
/// Unknown criteria set; inconsistent inputs.
pub fn park_capacity(
    result: &crate::risk::RiskResult,
    criteria_set: &str,
    pll_cap_per_year: Option<f64>,
) -> Result<Capacity> {
    use crate::risk::criteria;
    let set = criteria::criteria_set(criteria_set)?;
    let targets: Vec<(f64, f64)> =
        criteria::target_compliance(result, set, criteria::Boundary::OnLineIsBetter)
            .iter()
            .map(|t| (t.individual_risk, t.limit))
            .collect();
    let fnc = &result.fn_curve;
    let cases: Vec<(f64, f64)> = fnc
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let next = fnc.get(i + 1).map_or(0.0, |q| q.f_per_year);
            (p.n, (p.f_per_year - next).max(0.0))
        })
        .collect();
    let line = set.societal.intolerable;
    capacity(
        &targets,
        &cases,
        |n| line.at(n),
        set.societal.n_min,
        pll_cap_per_year,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn gb_line(n: f64) -> f64 {
        1e-3 / n
    }

    /// Hand computation: targets (IR 1e-6, limit 3e-6) → 3 and (2e-7, 3e-7) → 1.5; cases
    /// (N=2, 1e-5), (N=20, 1e-6): F(20) = 1e-6 → C/F = 5e-5/1e-6 = 50; F(2) = 1.1e-5 →
    /// 5e-4/1.1e-5 = 45.45. k = min(1.5, 45.45) = 1.5 bound by target 1; u = 2/3 → level B.
    #[test]
    fn hand_computed() {
        let c = capacity(
            &[(1e-6, 3e-6), (2e-7, 3e-7)],
            &[(2.0, 1e-5), (20.0, 1e-6)],
            gb_line,
            1.0,
            Some(1e-4),
        )
        .unwrap();
        assert_relative_eq!(c.k_ir, 1.5, max_relative = 1e-12);
        assert_relative_eq!(c.k_sr, 5e-4 / 1.1e-5, max_relative = 1e-12);
        assert_eq!(c.binding, Binding::IndividualRisk { target: 1 });
        assert_eq!(c.level, ParkRiskLevel::B);
        assert_relative_eq!(
            c.remaining_pll_per_year.unwrap(),
            1e-4 - (2e-5 + 2e-5),
            max_relative = 1e-12
        );
    }

    #[test]
    fn cases_below_n_min_are_ignored_and_no_risk_is_level_d() {
        let c = capacity(&[], &[(5.0, 1.0)], |n| 1e-3 / (n * n), 10.0, None).unwrap();
        assert!(c.k.is_infinite() && c.utilisation == 0.0 && c.level == ParkRiskLevel::D);
        assert_eq!(c.binding, Binding::None);
    }

    #[test]
    fn bad_inputs() {
        assert!(capacity(&[(f64::NAN, 1.0)], &[], gb_line, 1.0, None).is_err());
        assert!(capacity(&[(1.0, 0.0)], &[], gb_line, 1.0, None).is_err());
        assert!(capacity(&[], &[(1.0, -1.0)], gb_line, 1.0, None).is_err());
        assert!(capacity(&[], &[(1.0, 1.0)], |_| f64::NAN, 1.0, None).is_err());
    }

    proptest! {
        /// Doubling every frequency halves k exactly (up to rounding).
        #[test]
        fn doubling_frequencies_halves_k(
            t in prop::collection::vec((1e-9f64..1e-4, 1e-7f64..1e-4), 0..6),
            cs in prop::collection::vec((0.0f64..500.0, 1e-9f64..1e-4), 1..20),
        ) {
            let a = capacity(&t, &cs, gb_line, 1.0, None).unwrap();
            let t2: Vec<_> = t.iter().map(|(ir, l)| (2.0 * ir, *l)).collect();
            let c2: Vec<_> = cs.iter().map(|(n, f)| (*n, 2.0 * f)).collect();
            let b = capacity(&t2, &c2, gb_line, 1.0, None).unwrap();
            if a.k.is_finite() {
                prop_assert!((b.k / a.k - 0.5).abs() < 1e-12);
            } else {
                prop_assert!(b.k.is_infinite());
            }
        }
    }
}
