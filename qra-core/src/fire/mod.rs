//! Fire consequence models: pool fire, jet fire, fireball (BLEVE) and flash fire, with view
//! factors, atmospheric transmissivity and heat flux on arrays of receiver points.
//!
//! | model | type | main sources |
//! |---|---|---|
//! | pool fire | [`PoolFire`] | Burgess & Zabetakis (1962); Thomas (1963); AGA (1974) tilt; Mudan (1984); Mudan & Croce (1988); Shokri & Beyler (1989) |
//! | jet fire | [`JetFire`] | API 521 (point source); AQ/T 3046 eq. E.57–E.58 \[S\] |
//! | jet fire (frustum) | [`ChamberlainJetFire`] | Chamberlain (1987), vertical releases \[M\] |
//! | fireball | [`Fireball`] | CCPS (1994/2010) correlations; Roberts (1982) radiant fraction \[M\] |
//! | flash fire | [`FlashFire`] | Purple Book CPR 18E §4.7 / AQ/T 3046 cl. 10.4.1 rule |
//! | view factors | [`view_factor`] | Mudan (1984) closed forms; semi-analytic quadrature |
//! | view factors, tabulated | [`view_factor_table`] | the quadrature on (L/R, tilt, ρ/R, ψ), cubic interpolation, within 1 % |
//! | transmissivity | [`Transmissivity`] | Wayne (1991); AQ/T 3046 eq. E.59 \[S\] |
//!
//! Frame: origin at the centre of the pool / release point at ground level, z up, the wind blows
//! towards +x. Receivers are points (x, y, z) in m with an orientation ([`Receiver`]).
//!
//! Heat flux q = SEP·F·τ (W/m²): surface emissive power × view factor × transmissivity, or the
//! point-source form for jet fires. Receivers **inside a flame** get the flame's SEP (F = τ = 1),
//! a defined finite value — never NaN.
//!
//! **Reach for the risk engine.** Every model implements [`HeatSource`]: `reach_m(q)` is the
//! horizontal distance from the origin beyond which the ground-level flux (maximum orientation) is
//! below `q`, found by bisection along 16 directions; [`lethality_reach_m`] combines it with a
//! [`ThermalRule`] (flux at which the rule gives lethality `p_min`).

pub mod chamberlain;
pub mod fireball;
pub mod flash;
pub mod jet;
pub mod pool;
pub mod view_factor;
pub mod view_factor_table;

pub use chamberlain::{ChamberlainJetFire, ChamberlainSpec};
pub use fireball::Fireball;
pub use flash::FlashFire;
pub use jet::JetFire;
pub use pool::{FlameDrag, FlameTilt, PoolFire, PoolFireSpec, SepModel};
pub use view_factor::Receiver;

use rayon::prelude::*;

use crate::error::{check, QraError, Result};
use crate::numerics;
use crate::vulnerability::thermal::ThermalRule;

/// serde: reads a fire duration, s, where `null` (how JSON writes +∞) means a steady fire (+∞).
pub(crate) fn duration_or_infinite<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<f64, D::Error> {
    use serde::Deserialize;
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

/// Atmospheric transmissivity τ(path length) for thermal radiation.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Transmissivity {
    /// τ = 1 (no absorption).
    None,
    /// AQ/T 3046-2013 eq. (E.59) \[S\]: τ = 1 − 0.0565·ln L (L in m), held at 1 for L < 1 m and
    /// floored at 0.
    AqT3046,
    /// Wayne (1991), *J. Loss Prev. Process Ind.* 4, 86–92, as given in CCPS (1999) *Guidelines for
    /// Chemical Process Quantitative Risk Analysis*, eq. 2.2.x \[M\]:
    /// τ = 1.006 − 0.01171·log X_w − 0.02368·(log X_w)² − 0.03188·log X_c + 0.001164·(log X_c)²,
    /// X_w = RH·L·S_mm·288.651/T, X_c = L·273/T, with S_mm the saturation pressure of water in
    /// mmHg at T (Antoine, water, 1–100 °C: log S = 8.07131 − 1730.63/(233.426 + t/°C)).
    /// Clamped to [0, 1]; L < 1 m uses L = 1 m.
    Wayne {
        /// Relative humidity, 0–1.
        relative_humidity: f64,
        /// Air temperature, K.
        temperature_k: f64,
    },
}

impl Transmissivity {
    /// Wayne (1991) with validated humidity (0–1) and temperature (274–373 K, the water Antoine
    /// range).
    pub fn wayne(relative_humidity: f64, temperature_k: f64) -> Result<Self> {
        check::probability("relative_humidity", relative_humidity)?;
        check::in_range("temperature_k", temperature_k, 274.15, 373.15)?;
        Ok(Transmissivity::Wayne {
            relative_humidity,
            temperature_k,
        })
    }

    /// τ for a path of `path_m` metres, in [0, 1].
    pub fn tau(&self, path_m: f64) -> f64 {
        let l = if path_m.is_finite() {
            path_m.max(1.0)
        } else {
            return 0.0;
        };
        let t = match *self {
            Transmissivity::None => 1.0,
            Transmissivity::AqT3046 => 1.0 - 0.0565 * l.ln(),
            Transmissivity::Wayne {
                relative_humidity,
                temperature_k,
            } => {
                let tc = temperature_k - 273.15;
                let s_mm = 10f64.powf(8.07131 - 1730.63 / (233.426 + tc));
                let xw = (relative_humidity * l * s_mm * 288.651 / temperature_k).max(1e-30);
                let xc = l * 273.0 / temperature_k;
                let lw = xw.log10();
                let lc = xc.log10();
                1.006 - 0.01171 * lw - 0.02368 * lw * lw - 0.03188 * lc + 0.001164 * lc * lc
            }
        };
        t.clamp(0.0, 1.0)
    }
}

/// A radiating fire: heat flux at points, and its reach.
pub trait HeatSource: Sync {
    /// Incident heat flux, W/m², at point `p` (m) for a receiver orientation. Finite, ≥ 0.
    fn heat_flux_at(&self, p: [f64; 3], receiver: Receiver) -> f64;

    /// Exposure duration of the fire, s (burn time; `f64::INFINITY` for steady fires).
    fn duration_s(&self) -> f64;

    /// Horizontal distance (m) from the origin within which the fire's flux may peak away from
    /// the origin (e.g. the flame centre of a horizontal jet, L/2 downstream): [`reach_m`] scans
    /// it finely instead of assuming the flux falls outwards from the origin. Default 0.
    ///
    /// [`reach_m`]: HeatSource::reach_m
    fn reach_scan_m(&self) -> f64 {
        0.0
    }

    /// Whether the flux is the same (to rounding) at (x, −y, z) as at (x, y, z): the fire is
    /// symmetric about the vertical plane through the x axis (a pool flame tilted downwind along
    /// x). Then [`HeatSource::reach_m`] searches the 9 of its 16 directions that lie in y ≥ 0
    /// (the other 7 are their mirror images). Default false.
    fn mirror_symmetric_in_y(&self) -> bool {
        false
    }

    /// Horizontal distance from the origin beyond which the ground-level flux (receiver
    /// [`Receiver::Max`]) is below `flux_w_m2` in every direction (16 directions, bisection to
    /// 1 mm; 9 of them for a [mirror-symmetric](HeatSource::mirror_symmetric_in_y) fire).
    /// Within [`HeatSource::reach_scan_m`] each direction is scanned at 256 points, so a flux
    /// peak away from the origin (a horizontal jet's flame centre) is found; beyond it the flux
    /// is assumed to decrease outwards, as it does for these models.
    fn reach_m(&self, flux_w_m2: f64) -> f64 {
        if flux_w_m2.is_nan() || flux_w_m2 <= 0.0 {
            return f64::INFINITY;
        }
        let scan = self.reach_scan_m();
        let scan = if scan.is_finite() && scan > 0.0 {
            scan
        } else {
            0.0
        };
        let mut best: f64 = 0.0;
        let directions = if self.mirror_symmetric_in_y() { 9 } else { 16 };
        for k in 0..directions {
            let ang = k as f64 * std::f64::consts::TAU / 16.0;
            let (s, c) = ang.sin_cos();
            let above = |r: f64| self.heat_flux_at([r * c, r * s, 0.0], Receiver::Max) >= flux_w_m2;
            if let Some(r) = reach_along(scan, REACH_CAP_M, above) {
                best = best.max(r.min(REACH_CAP_M));
            }
        }
        best
    }
}

/// Search cap of [`HeatSource::reach_m`] and [`reach_along`] callers, m.
pub(crate) const REACH_CAP_M: f64 = 1e6;

/// Outermost distance along one direction where `above(r)` holds, to 1 mm: 256 points are
/// scanned within `scan_m` (≤ 0 or non-finite: none), so a peak away from the origin is found;
/// beyond the scan `above` is assumed to hold up to a single distance (the flux falls
/// outwards), found by doubling from max(scan, 1 m) up to `cap_m` and bisection. `None` when
/// `above` holds nowhere scanned, `Some(∞)` when it still holds at the cap.
pub(crate) fn reach_along(scan_m: f64, cap_m: f64, above: impl Fn(f64) -> bool) -> Option<f64> {
    const N_SCAN: usize = 256;
    let scan = if scan_m.is_finite() && scan_m > 0.0 {
        scan_m
    } else {
        0.0
    };
    // Outermost scanned radius at or above the level, and the scan step after it.
    let step = if scan > 0.0 {
        scan / N_SCAN as f64
    } else {
        1.0
    };
    let last_above = (0..=if scan > 0.0 { N_SCAN } else { 0 })
        .rev()
        .map(|i| i as f64 * step)
        .find(|&r| above(r));
    let start = scan.max(1.0);
    let (lo, hi) = if above(start) {
        // Doubling is exact: the last radius still above the level is hi/2.
        let hi = numerics::expand_upper(2.0 * start, &above, cap_m);
        if above(hi) {
            return Some(f64::INFINITY);
        }
        (0.5 * hi, hi)
    } else if let Some(a) = last_above {
        (a, (a + step).min(start))
    } else {
        return None;
    };
    Some(
        numerics::bisect(
            lo,
            hi,
            above,
            |lo, hi| hi - lo <= 1e-3,
            numerics::UNBOUNDED_HALVINGS,
        )
        .1,
    )
}

/// Heat flux (W/m²) on arrays of receiver coordinates; rayon-parallel, deterministic (each point
/// is independent). Errors if the arrays differ in length or hold non-finite values.
pub fn heat_flux<S: HeatSource + ?Sized>(
    source: &S,
    x_m: &[f64],
    y_m: &[f64],
    z_m: &[f64],
    receiver: Receiver,
) -> Result<Vec<f64>> {
    if y_m.len() != x_m.len() || z_m.len() != x_m.len() {
        return Err(QraError::invalid(
            "y_m/z_m",
            format!("lengths {}/{}", y_m.len(), z_m.len()),
            format!("must have the length of x_m ({})", x_m.len()),
        ));
    }
    check::all_finite("x_m", x_m)?;
    check::all_finite("y_m", y_m)?;
    check::all_finite("z_m", z_m)?;
    let receiver = normalise_receiver(receiver)?;
    Ok(x_m
        .par_iter()
        .zip(y_m.par_iter())
        .zip(z_m.par_iter())
        .with_min_len(1024)
        .map(|((&x, &y), &z)| source.heat_flux_at([x, y, z], receiver))
        .collect())
}

/// Validates and normalises a receiver normal.
pub fn normalise_receiver(receiver: Receiver) -> Result<Receiver> {
    if let Receiver::Normal(n) = receiver {
        check::all_finite("receiver_normal", &n)?;
        let v = nalgebra::Vector3::from(n);
        let l = v.norm();
        if l <= 0.0 {
            return Err(QraError::invalid(
                "receiver_normal",
                format!("{n:?}"),
                "must be a non-zero vector",
            ));
        }
        return Ok(Receiver::Normal((v / l).into()));
    }
    Ok(receiver)
}

/// Reach (m) of lethality ≥ `p_min` under `rule` for a fire: the flux at which the rule gives
/// `p_min` for the fire's duration, then [`HeatSource::reach_m`]. For p_min ~ 1e-6 this is the
/// distance beyond which the risk engine may skip the outcome.
pub fn lethality_reach_m<S: HeatSource + ?Sized>(
    source: &S,
    rule: &ThermalRule,
    p_min: f64,
) -> f64 {
    let q = rule.flux_at_lethality(p_min, source.duration_s());
    source.reach_m(q)
}

/// Outdoor lethality at point `p` under `rule` for a fire (receiver [`Receiver::Max`], exposure the
/// fire's duration capped by the rule). In [0, 1]; with [`lethality_reach_m`] this is the
/// per-outcome interface the risk engine needs.
pub fn lethality_outdoor_at<S: HeatSource + ?Sized>(
    source: &S,
    p: [f64; 3],
    rule: &ThermalRule,
) -> f64 {
    rule.lethality_outdoor(source.heat_flux_at(p, Receiver::Max), source.duration_s())
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn lethality_beyond_reach_is_negligible() {
        let f = PoolFire::new(PoolFireSpec::from_substance("lng", 20.0, 4.0).unwrap()).unwrap();
        let rule = ThermalRule::purple_book();
        let r = lethality_reach_m(&f, &rule, 1e-6);
        assert!(r > 20.0);
        for k in 0..16 {
            let a = k as f64 * std::f64::consts::TAU / 16.0;
            let p = [1.01 * r * a.cos(), 1.01 * r * a.sin(), 0.0];
            assert!(lethality_outdoor_at(&f, p, &rule) < 1e-6);
        }
        assert!(lethality_outdoor_at(&f, [0.9 * r, 0.0, 0.0], &rule) >= 1e-6);
        assert_eq!(lethality_outdoor_at(&f, [0.0, 0.0, 1.0], &rule), 1.0);
    }

    #[test]
    fn transmissivity() {
        // AQ/T 3046 eq. E.59 by hand: L = 100 m → 1 − 0.0565·4.60517 = 0.739808.
        assert_relative_eq!(
            Transmissivity::AqT3046.tau(100.0),
            0.739_808,
            max_relative = 1e-5
        );
        // Wayne by hand (RH 0.5, 293.15 K, 100 m): S = 17.47 mmHg, X_w = 860.1, X_c = 93.13,
        // τ = 1.006 − 0.03436 − 0.20389 − 0.06276 + 0.00451 = 0.7095.
        let w = Transmissivity::wayne(0.5, 293.15).unwrap();
        assert_relative_eq!(w.tau(100.0), 0.7095, max_relative = 2e-3);
        // Monotone decreasing in path length and humidity; bounded.
        let mut last = 1.0;
        for i in 0..200 {
            let t = w.tau(1.0 + i as f64 * 10.0);
            assert!((0.0..=1.0).contains(&t) && t <= last + 1e-12);
            last = t;
        }
        assert!(Transmissivity::wayne(0.9, 293.15).unwrap().tau(50.0) < w.tau(50.0));
        assert!(Transmissivity::wayne(1.2, 293.15).is_err());
        assert_eq!(Transmissivity::AqT3046.tau(f64::NAN), 0.0);
    }
}
