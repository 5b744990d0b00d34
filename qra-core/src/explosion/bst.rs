//! Baker–Strehlow–Tang (BST) vapour-cloud-explosion blast curves.
//!
//! Source of the curves: CCPS (2010) *Guidelines for Vapor Cloud Explosion, Pressure Vessel Burst,
//! BLEVE and Flash Fire Hazards*, 2nd ed., BST family (Tang & Baker 1999; Pierorazio et al. 2005),
//! as digitised points extracted from HyRAM+ v6 (`models/bst_curves/`, see its README): curves for
//! flame Mach numbers Mf = 0.2, 0.35, 0.7, 1.0, 1.4, 2.0, 3.0, 4.0, 5.2.
//!
//! Scaling (Sachs): R* = R/(E/p₀)^(1/3), P* = ΔP/p₀, i* = i·a₀/(E^(1/3)·p₀^(2/3)), with E the
//! combustion energy of the flammable mass in the congested region, J (CCPS doubles E for a
//! ground-level burst — the caller chooses E), p₀ = 101 325 Pa, a₀ = 340 m/s.
//!
//! # Repairs of the digitised data (done once at load time)
//! 1. points sorted by R*, duplicate R* merged (mean of ln P*);
//! 2. a monotone non-increasing fit in (ln R*, ln P*) by pool-adjacent-violators (least squares):
//!    removes digitisation wiggles without moving well-behaved points;
//! 3. the Mf 3.0 impulse table is an exact copy of Mf 2.0 (HyRAM copy error): it is **dropped**,
//!    Mf 3.0 impulses are interpolated between Mf 2.0 and 4.0;
//! 4. monotonicity in Mf is enforced at evaluation: P*(Mf) is replaced by its running maximum over
//!    the tabulated Mf ≤ the requested one (near field, the Mf 4.0 curve lies above Mf 5.2).
//!
//! # Interpolation and range policy
//! * In R*: linear in (ln R*, ln P*) between points.
//! * In Mf: linear in (ln Mf, ln P*) between the two bracketing curves; Mf outside [0.2, 5.2] is
//!   rejected by the constructor.
//! * Near field (R* below the first point, ≈ 0.1 for P*, ≈ 0.01 for i*): **held** at the first
//!   value (the BST curves are flat inside the cloud).
//! * Far field (R* beyond the last point, ≈ 10): **acoustic decay** P* ∝ 1/R*, i* ∝ 1/R*,
//!   continuous with the last point.
//!
//! The flame-speed table by congestion / confinement / fuel reactivity (Pierorazio et al. 2005) is
//! in [`super::bst_flame_speed`].

use std::sync::OnceLock;

use crate::error::{check, QraError, Result};
use crate::numerics;

/// Ambient pressure used for the scaling, Pa.
pub const P0_PA: f64 = crate::constants::STANDARD_PRESSURE_PA;
/// Ambient sound speed used for the impulse scaling, m/s (CCPS 2010 convention, 340 m/s).
pub const A0_M_S: f64 = 340.0;

/// A cleaned curve: ln R* and ln y, strictly increasing x, non-increasing y.
#[derive(Debug, Clone)]
pub(crate) struct Curve {
    pub(crate) mf: f64,
    pub(crate) ln_x: Vec<f64>,
    pub(crate) ln_y: Vec<f64>,
}

impl Curve {
    fn eval_ln(&self, ln_x: f64) -> f64 {
        let n = self.ln_x.len();
        if ln_x <= self.ln_x[0] {
            return self.ln_y[0];
        }
        if ln_x >= self.ln_x[n - 1] {
            // Acoustic decay y ∝ 1/x.
            return self.ln_y[n - 1] - (ln_x - self.ln_x[n - 1]);
        }
        numerics::interp_table(&self.ln_x, &self.ln_y, ln_x)
    }
}

/// Pool-adjacent-violators: least-squares non-increasing fit of `y`.
fn pav_non_increasing(y: &[f64]) -> Vec<f64> {
    // Blocks of (sum, count).
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(y.len());
    for &v in y {
        blocks.push((v, 1));
        while blocks.len() > 1 {
            let (s1, c1) = blocks[blocks.len() - 1];
            let (s0, c0) = blocks[blocks.len() - 2];
            if s0 / c0 as f64 >= s1 / c1 as f64 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s0 + s1, c0 + c1);
        }
    }
    let mut out = Vec::with_capacity(y.len());
    for (s, c) in blocks {
        out.extend(std::iter::repeat_n(s / c as f64, c));
    }
    out
}

/// Parses `mf,x,y` CSV text and cleans every curve (steps 1–2 above).
pub(crate) fn parse_curves(text: &str, drop_mf: &[f64]) -> Vec<Curve> {
    let mut rows: Vec<(f64, f64, f64)> = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<f64> = line
            .split(',')
            .filter_map(|s| s.trim().parse::<f64>().ok())
            .collect();
        if f.len() == 3 && f.iter().all(|v| v.is_finite()) && f[1] > 0.0 && f[2] > 0.0 {
            rows.push((f[0], f[1], f[2]));
        }
    }
    let mut mfs: Vec<f64> = rows.iter().map(|r| r.0).collect();
    mfs.sort_by(f64::total_cmp);
    mfs.dedup();
    let mut curves = Vec::new();
    for mf in mfs {
        if drop_mf.contains(&mf) {
            continue;
        }
        let mut pts: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| r.0 == mf)
            .map(|r| (r.1.ln(), r.2.ln()))
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut xs: Vec<f64> = Vec::new();
        let mut ys: Vec<f64> = Vec::new();
        let mut cnt: Vec<f64> = Vec::new();
        for (x, y) in pts {
            match xs.last() {
                Some(&lx) if (x - lx).abs() < 1e-9 => {
                    let k = ys.len() - 1;
                    ys[k] += y;
                    cnt[k] += 1.0;
                }
                _ => {
                    xs.push(x);
                    ys.push(y);
                    cnt.push(1.0);
                }
            }
        }
        for (y, c) in ys.iter_mut().zip(&cnt) {
            *y /= c;
        }
        let ys = pav_non_increasing(&ys);
        if xs.len() >= 2 {
            curves.push(Curve {
                mf,
                ln_x: xs,
                ln_y: ys,
            });
        }
    }
    curves
}

fn pressure_curves() -> &'static [Curve] {
    static C: OnceLock<Vec<Curve>> = OnceLock::new();
    C.get_or_init(|| {
        parse_curves(
            include_str!("../../../models/bst_curves/bst_scaled_overpressure.csv"),
            &[],
        )
    })
}

fn impulse_curves() -> &'static [Curve] {
    static C: OnceLock<Vec<Curve>> = OnceLock::new();
    C.get_or_init(|| {
        parse_curves(
            include_str!("../../../models/bst_curves/bst_scaled_impulse.csv"),
            &[3.0],
        )
    })
}

/// Evaluates ln y at (ln Mf, ln R*) with the running maximum over Mf (step 4) and log-log
/// interpolation between the bracketing curves.
fn eval_family(curves: &[Curve], ln_mf: f64, ln_x: f64) -> f64 {
    let mut best = f64::NEG_INFINITY;
    let mut prev: Option<(f64, f64)> = None; // (ln mf, ln y running max)
    for c in curves {
        let lm = c.mf.ln();
        let y = c.eval_ln(ln_x).max(best);
        if lm >= ln_mf - 1e-12 {
            return match prev {
                Some((pm, py)) if lm > pm && ln_mf > pm => py + (y - py) * (ln_mf - pm) / (lm - pm),
                _ => y,
            };
        }
        best = y;
        prev = Some((lm, y));
    }
    best
}

/// Tabulated flame Mach numbers of the overpressure curves.
pub fn tabulated_mach_numbers() -> Vec<f64> {
    pressure_curves().iter().map(|c| c.mf).collect()
}

/// Ground-reflection factor on the energy of a ground-level cloud: the BST curves are for
/// free-air (spherical) explosions, so the energy of a cloud at ground level is doubled (factor
/// 1 for an elevated burst, 2 at ground level; CCPS 2010 as quoted by A. E. Farrell, "VCE
/// Example – Butane Vapour Cloud", 2021 \[S\]).
pub const BST_GROUND_REFLECTION: f64 = 2.0;

/// Flame Mach number of a BST explosion from a study's inputs: `flame_mach` given directly, or
/// `reactivity`, `congestion` and `confinement` through the flame-speed table
/// ([`super::bst_flame_speed::flame_speed`]); exactly one of the two ways.
///
/// # Errors
/// Both ways or neither (naming the missing argument); unknown class names; 1-D confinement
/// (not yet); a Mach number (given or from the table, e.g. 3-D low/low 0.026) outside the
/// range of the BST curves available to qra, [0.2, 5.2].
pub fn bst_flame_mach(
    flame_mach: Option<f64>,
    reactivity: Option<&str>,
    congestion: Option<&str>,
    confinement: Option<&str>,
) -> Result<f64> {
    use super::bst_flame_speed::{
        flame_speed, parse_confinement, parse_congestion, parse_reactivity,
    };
    let classes = [
        ("reactivity", reactivity),
        ("congestion", congestion),
        ("confinement", confinement),
    ];
    let (lo, hi) = BakerStrehlowTang::MACH_RANGE;
    match (flame_mach, reactivity, congestion, confinement) {
        (Some(m), None, None, None) => check::in_range("flame_mach", m, lo, hi),
        (Some(_), ..) => Err(QraError::invalid(
            "flame_mach",
            "given with reactivity/congestion/confinement",
            "give either flame_mach or the three flame-speed classes, not both",
        )),
        (None, Some(r), Some(cg), Some(cf)) => {
            let m = flame_speed(
                parse_reactivity(r)?,
                parse_congestion(cg)?,
                parse_confinement(cf)?,
            )?
            .mach;
            if (lo..=hi).contains(&m) {
                Ok(m)
            } else {
                Err(QraError::invalid(
                    "congestion",
                    format!("{cg} (reactivity {r}, {cf}: flame Mach {m})"),
                    format!("the table's flame Mach number is outside the BST curves available to qra [{lo}, {hi}]; give flame_mach"),
                ))
            }
        }
        (None, ..) => {
            // Nothing given: ask for flame_mach; some classes given: name the first missing.
            let missing = if classes.iter().all(|(_, v)| v.is_none()) {
                "flame_mach"
            } else {
                classes
                    .iter()
                    .find(|(_, v)| v.is_none())
                    .map_or("flame_mach", |(n, _)| n)
            };
            Err(QraError::invalid(
                missing,
                "missing",
                "model = 'bst' needs flame_mach or all of reactivity, congestion and confinement",
            ))
        }
    }
}

/// A BST blast model for one explosion: energy and flame Mach number.
///
/// The serde form holds the inputs; rebuild a deserialized value with
/// [`BakerStrehlowTang::revalidated`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BakerStrehlowTang {
    energy_j: f64,
    flame_mach: f64,
    #[serde(skip)]
    length_scale_m: f64,
}

impl BakerStrehlowTang {
    /// Smallest and largest supported flame Mach number.
    pub const MACH_RANGE: (f64, f64) = (0.2, 5.2);

    /// A BST model. `energy_j` > 0 (combustion energy of the cloud in the congested region, J);
    /// `flame_mach` in [0.2, 5.2].
    pub fn new(energy_j: f64, flame_mach: f64) -> Result<Self> {
        check::positive("energy_j", energy_j)?;
        check::in_range(
            "flame_mach",
            flame_mach,
            Self::MACH_RANGE.0,
            Self::MACH_RANGE.1,
        )?;
        Ok(BakerStrehlowTang {
            energy_j,
            flame_mach,
            length_scale_m: (energy_j / P0_PA).cbrt(),
        })
    }

    /// Energy, J.
    pub fn energy_j(&self) -> f64 {
        self.energy_j
    }
    /// The same model rebuilt through the validating constructor (for a deserialized value).
    ///
    /// # Errors
    /// As [`BakerStrehlowTang::new`].
    pub fn revalidated(&self) -> Result<Self> {
        Self::new(self.energy_j, self.flame_mach)
    }
    /// Flame Mach number.
    pub fn flame_mach(&self) -> f64 {
        self.flame_mach
    }

    /// Sachs-scaled distance R* = R/(E/p₀)^(1/3).
    pub fn scaled_distance(&self, distance_m: f64) -> f64 {
        distance_m.abs() / self.length_scale_m
    }

    /// Scaled overpressure P* at scaled distance R* (policy in the module docs). Never NaN.
    pub fn scaled_overpressure(&self, r_star: f64) -> f64 {
        // NaN and +∞ (e.g. tiny energy at a huge distance) give 0, the acoustic limit.
        if !r_star.is_finite() {
            return 0.0;
        }
        eval_family(
            pressure_curves(),
            self.flame_mach.ln(),
            r_star.max(1e-300).ln(),
        )
        .exp()
    }

    /// Scaled impulse i* at scaled distance R*. Never NaN.
    pub fn scaled_impulse(&self, r_star: f64) -> f64 {
        // NaN and +∞ (e.g. tiny energy at a huge distance) give 0, the acoustic limit.
        if !r_star.is_finite() {
            return 0.0;
        }
        eval_family(
            impulse_curves(),
            self.flame_mach.ln(),
            r_star.max(1e-300).ln(),
        )
        .exp()
    }

    /// Peak side-on overpressure, Pa, at `distance_m` from the cloud centre.
    pub fn overpressure_pa(&self, distance_m: f64) -> f64 {
        P0_PA * self.scaled_overpressure(self.scaled_distance(distance_m))
    }

    /// Positive-phase impulse, Pa·s.
    pub fn impulse_pa_s(&self, distance_m: f64) -> f64 {
        self.scaled_impulse(self.scaled_distance(distance_m))
            * self.energy_j.cbrt()
            * P0_PA.powf(2.0 / 3.0)
            / A0_M_S
    }

    /// Distance (m) beyond which the overpressure is below `overpressure_pa` (the reach used by
    /// the risk engine, e.g. the 10 kPa of the Purple Book rule). Bisection on the monotone curve;
    /// 0 if even the near-field plateau is below the level.
    pub fn reach_m(&self, overpressure_pa: f64) -> f64 {
        if overpressure_pa.is_nan()
            || overpressure_pa <= 0.0
            || self.overpressure_pa(0.0) < overpressure_pa
        {
            return if overpressure_pa > 0.0 {
                0.0
            } else {
                f64::INFINITY
            };
        }
        let above = |r: f64| self.overpressure_pa(r) >= overpressure_pa;
        let hi = numerics::expand_upper(self.length_scale_m, above, 1e12);
        numerics::bisect(0.0, hi, above, numerics::never, 100).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::DIGITISED_CURVE;
    use approx::assert_relative_eq;

    #[test]
    fn constructor_table() {
        assert!(BakerStrehlowTang::new(1e9, 0.2).is_ok());
        assert!(BakerStrehlowTang::new(1e9, 5.2).is_ok());
        for (e, m) in [
            (0.0, 1.0),
            (-1.0, 1.0),
            (1e9, 0.1),
            (1e9, 6.0),
            (f64::NAN, 1.0),
            (1e9, f64::NAN),
        ] {
            assert!(BakerStrehlowTang::new(e, m).is_err(), "{e} {m}");
        }
    }

    #[test]
    fn data_repairs() {
        let p = pressure_curves();
        assert_eq!(p.len(), 9);
        let i = impulse_curves();
        assert_eq!(i.len(), 8);
        assert!(!i.iter().any(|c| c.mf == 3.0));
        for c in p.iter().chain(i) {
            assert!(c.ln_x.windows(2).all(|w| w[1] > w[0]));
            assert!(c.ln_y.windows(2).all(|w| w[1] <= w[0]));
        }
    }

    /// Fraction of digitised points within `tol` of the model, and the worst relative error.
    fn agreement(text: &str, impulse: bool, tol: f64) -> (f64, f64) {
        let mut n = 0usize;
        let mut ok = 0usize;
        let mut worst: f64 = 0.0;
        for line in text.lines().skip(1) {
            let f: Vec<f64> = line.split(',').filter_map(|s| s.parse().ok()).collect();
            let b = BakerStrehlowTang::new(1e9, f[0]).unwrap();
            let got = if impulse {
                b.scaled_impulse(f[1])
            } else {
                b.scaled_overpressure(f[1])
            };
            let e = (got / f[2] - 1.0).abs();
            n += 1;
            ok += usize::from(e <= tol);
            // Known data defect (README): Mf 5.2 lies below Mf 4.0 in the near field, where the
            // Mf-monotonicity rule lifts it by up to ~30 %; excluded from the worst case only.
            if !(f[0] == 5.2 && f[1] < 0.5) {
                worst = worst.max(e);
            }
        }
        (ok as f64 / n as f64, worst)
    }

    #[test]
    fn reproduces_tabulated_points() {
        // At tabulated Mf the model passes through the digitised points within DIGITISED_CURVE
        // (10 %) except where the repairs act: the PAV fit pools non-monotone stretches (the
        // Mf 2.0 near-field hump 5.07 → 5.96 → …) and the Mf-monotonicity rule lifts crossing
        // curves (Mf 3.0 below Mf 2.0 near R* ≈ 0.8; Mf 5.2 below Mf 4.0 near field). Bounds:
        // ≥ 95 % of points within 10 %, none off by more than 25 % (overpressure); the impulse
        // tables are noisier near field (≥ 90 %, 35 %).
        let (frac, worst) = agreement(
            include_str!("../../../models/bst_curves/bst_scaled_overpressure.csv"),
            false,
            DIGITISED_CURVE,
        );
        assert!(
            frac >= 0.95 && worst < 0.25,
            "overpressure: {frac} within, worst {worst}"
        );
        let (frac, worst) = agreement(
            include_str!("../../../models/bst_curves/bst_scaled_impulse.csv"),
            true,
            DIGITISED_CURVE,
        );
        assert!(
            frac >= 0.90 && worst < 0.35,
            "impulse: {frac} within, worst {worst}"
        );
    }

    #[test]
    fn monotone_and_continuous() {
        let machs = [
            0.2, 0.3, 0.35, 0.5, 0.7, 1.0, 1.2, 1.4, 2.0, 2.5, 3.0, 4.0, 4.5, 5.2,
        ];
        let mut prev_curve: Option<Vec<f64>> = None;
        for m in machs {
            let b = BakerStrehlowTang::new(1e9, m).unwrap();
            let mut r = 0.01;
            let mut v = Vec::new();
            let mut last = f64::INFINITY;
            let mut last_i = f64::INFINITY;
            while r < 1000.0 {
                let p = b.scaled_overpressure(r);
                let i = b.scaled_impulse(r);
                assert!(
                    p.is_finite() && p > 0.0 && p <= last * (1.0 + 1e-12),
                    "p {m} {r}"
                );
                assert!(
                    i.is_finite() && i > 0.0 && i <= last_i * (1.0 + 1e-12),
                    "i {m} {r}"
                );
                // Continuity: no jump across a relative step of 1e-9 (log-log linear
                // interpolation is continuous; so are the near- and far-field extensions).
                let p2 = b.scaled_overpressure(r * (1.0 + 1e-9));
                let i2 = b.scaled_impulse(r * (1.0 + 1e-9));
                assert!((p2 / p - 1.0).abs() < 1e-6 && (i2 / i - 1.0).abs() < 1e-6);
                last = p;
                last_i = i;
                v.push(p);
                r *= 1.02;
            }
            if let Some(pc) = &prev_curve {
                for (a, b) in pc.iter().zip(&v) {
                    assert!(b >= a, "not monotone in Mf at Mf = {m}");
                }
            }
            prev_curve = Some(v);
        }
    }

    #[test]
    fn far_field_acoustic() {
        let b = BakerStrehlowTang::new(1e9, 1.0).unwrap();
        assert_relative_eq!(
            b.scaled_overpressure(50.0) / b.scaled_overpressure(100.0),
            2.0,
            max_relative = 1e-12
        );
        assert_relative_eq!(
            b.scaled_impulse(50.0) / b.scaled_impulse(100.0),
            2.0,
            max_relative = 1e-12
        );
    }

    #[test]
    fn reach_inverts_overpressure() {
        let b = BakerStrehlowTang::new(4.6e9, 0.7).unwrap();
        let r = b.reach_m(10e3);
        assert_relative_eq!(b.overpressure_pa(r), 10e3, max_relative = 1e-6);
        assert_eq!(b.reach_m(1e9), 0.0);
    }

    #[test]
    fn extreme_distances_are_finite() {
        // Found by the Python no-panic test: E = 1 J at 3.9e306 m overflows R* to +∞.
        let b = BakerStrehlowTang::new(1.0, 1.0).unwrap();
        for r in [3.856e306, 1e308, f64::MAX] {
            let p = b.overpressure_pa(r);
            let i = b.impulse_pa_s(r);
            assert!(p.is_finite() && (0.0..1e-200).contains(&p), "{r}: {p}");
            assert!(i.is_finite() && (0.0..1e-200).contains(&i), "{r}: {i}");
        }
        assert!(b.overpressure_pa(0.0).is_finite());
    }
}
