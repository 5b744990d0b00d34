//! Model-evaluation statistics of Chang & Hanna (2004), "Air quality model performance
//! evaluation", Meteorol. Atmos. Phys. 87, 167–196, eqs. (1)–(6), for paired observed Co and
//! predicted Cp values (overbar = mean over pairs):
//!
//! * FB = 2 (mean Co − mean Cp) / (mean Co + mean Cp)  (fractional bias; > 0 = under-prediction)
//! * NMSE = mean((Co − Cp)²) / (mean Co · mean Cp)
//! * MG = exp(mean ln Co − mean ln Cp)
//! * VG = exp(mean((ln Co − ln Cp)²))  (with the bias included, as Chang & Hanna define it)
//! * FAC2 = fraction of pairs with 0.5 ≤ Cp/Co ≤ 2
//!
//! MG and VG need positive values; pairs with a non-positive member are excluded from them and
//! counted in `n_log_excluded`. For FAC2 a pair with both values exactly 0 (e.g. "no risk outside
//! the footprint" in a worked example) counts as agreeing; Chang & Hanna do not define this case.

use serde::Serialize;

/// The five statistics and the number of pairs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    /// Number of pairs.
    pub n: usize,
    /// Fractional bias.
    pub fb: f64,
    /// Normalised mean-square error.
    pub nmse: f64,
    /// Geometric mean bias.
    pub mg: f64,
    /// Geometric variance.
    pub vg: f64,
    /// Fraction within a factor of two.
    pub fac2: f64,
    /// Pairs left out of MG/VG for a non-positive value.
    pub n_log_excluded: usize,
}

/// Computes the Chang & Hanna statistics. Returns `None` for no pairs or mismatched lengths.
pub fn metrics(observed: &[f64], predicted: &[f64]) -> Option<Metrics> {
    let n = observed.len();
    if n == 0 || n != predicted.len() {
        return None;
    }
    let nf = n as f64;
    let mo = observed.iter().sum::<f64>() / nf;
    let mp = predicted.iter().sum::<f64>() / nf;
    let fb = 2.0 * (mo - mp) / (mo + mp);
    let nmse = observed
        .iter()
        .zip(predicted)
        .map(|(o, p)| (o - p).powi(2))
        .sum::<f64>()
        / nf
        / (mo * mp);
    let logs: Vec<f64> = observed
        .iter()
        .zip(predicted)
        .filter(|(o, p)| **o > 0.0 && **p > 0.0)
        .map(|(o, p)| o.ln() - p.ln())
        .collect();
    let nl = logs.len() as f64;
    let mg = (logs.iter().sum::<f64>() / nl).exp();
    let vg = (logs.iter().map(|d| d * d).sum::<f64>() / nl).exp();
    let fac2 = observed
        .iter()
        .zip(predicted)
        .filter(|(o, p)| {
            (**o == 0.0 && **p == 0.0) || (**o > 0.0 && (0.5..=2.0).contains(&(**p / **o)))
        })
        .count() as f64
        / nf;
    Some(Metrics {
        n,
        fb,
        nmse,
        mg,
        vg,
        fac2,
        n_log_excluded: n - logs.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn perfect_model() {
        let m = metrics(&[1.0, 2.0, 4.0], &[1.0, 2.0, 4.0]).unwrap();
        assert_eq!(
            (m.fb, m.nmse, m.mg, m.vg, m.fac2),
            (0.0, 0.0, 1.0, 1.0, 1.0)
        );
    }

    #[test]
    fn factor_two_overprediction() {
        // Cp = 2 Co everywhere: FB = 2(1-2)/(1+2) = -2/3, MG = 1/2, VG = exp(ln²2), FAC2 = 1.
        let o = [1.0, 3.0, 10.0];
        let p: Vec<f64> = o.iter().map(|v| 2.0 * v).collect();
        let m = metrics(&o, &p).unwrap();
        assert_relative_eq!(m.fb, -2.0 / 3.0, max_relative = 1e-12);
        assert_relative_eq!(m.mg, 0.5, max_relative = 1e-12);
        assert_relative_eq!(m.vg, (2f64.ln().powi(2)).exp(), max_relative = 1e-12);
        assert_eq!(m.fac2, 1.0);
        // NMSE = mean(Co²)/(mean Co · 2 mean Co)
        let mo = 14.0 / 3.0;
        assert_relative_eq!(
            m.nmse,
            (110.0 / 3.0) / (mo * 2.0 * mo),
            max_relative = 1e-12
        );
    }

    #[test]
    fn zero_pairs_in_fac2() {
        // Both zero agrees; expected 0 with a positive prediction does not; 1 vs 3 does not.
        let m = metrics(&[0.0, 0.0, 1.0, 1.0], &[0.0, 1e-9, 3.0, 1.5]).unwrap();
        assert_eq!(m.fac2, 0.5);
        assert_eq!(m.n_log_excluded, 2);
    }

    #[test]
    fn empty_or_mismatched() {
        assert!(metrics(&[], &[]).is_none());
        assert!(metrics(&[1.0], &[]).is_none());
    }
}
