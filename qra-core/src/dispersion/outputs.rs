//! Outputs the risk engine needs from a dispersion model: distance to a concentration (LFL,
//! LFL/2, toxic thresholds), the flammable-cloud footprint, the flammable mass between LFL and
//! UFL, and the maximum reach of a toxic cloud.
//!
//! ## For the risk engine
//! Per (release, weather class) build a [`GaussianPlume`] or
//! [`BritterMcQuaidPlume`](super::BritterMcQuaidPlume) (both
//! implement [`SteadyPlume`]); then, in the plume's own frame (x downwind, y crosswind, ground):
//! * [`toxic_probability_ground`] — P(death) on arrays of (x, y), parallel, deterministic;
//! * [`toxic_maximum_reach`] — distance beyond which P(death) < p_min (e.g. 1e-6): skip cells
//!   farther than this;
//! * [`distance_to_concentration`] / [`GaussianPlume::half_width`] — LFL distance and
//!   flash-fire footprint (half-width vs x).
//!
//! Rotate receptor coordinates into the plume frame per wind direction before calling.
//!
//! All searches are on the ground-level centreline of the model's own frame, over
//! x ∈ [[`X_MIN_M`], [`X_MAX_M`]] with a fixed log-spaced scan (so the result is deterministic and
//! finds the *furthest* crossing even for non-monotone profiles, e.g. elevated releases) refined
//! by bisection to 10⁻⁶ relative.

use super::gaussian::{map_points, validate_points, GaussianPlume, MIN_SIGMA_DISTANCE_M};
use crate::error::{check, Result};
use crate::numerics;
use crate::vulnerability::probit_to_probability;
use crate::vulnerability::toxic::ToxicModel;

/// Smallest distance searched, m.
pub const X_MIN_M: f64 = 1.0;
/// Largest distance searched, m (100 km).
pub const X_MAX_M: f64 = 1.0e5;
/// Points of the log-spaced scan (≈ 80 per decade).
const SCAN_POINTS: usize = 400;

/// Furthest downwind distance, m, where `f(x) ≥ threshold`, for a centreline profile `f`
/// (e.g. `|x| plume.concentration(x, 0.0, 0.0)`). Returns 0 if `f < threshold` on the whole
/// range and [`X_MAX_M`] if it is still above at 100 km. A NaN or non-positive threshold gives
/// [`X_MAX_M`] only if f is ≥ it everywhere — callers validate thresholds.
pub fn distance_to<F: Fn(f64) -> f64>(f: F, threshold: f64) -> f64 {
    if threshold.is_nan() {
        return 0.0;
    }
    let lmin = X_MIN_M.ln();
    let lmax = X_MAX_M.ln();
    let xs: Vec<f64> = (0..SCAN_POINTS)
        .map(|i| (lmin + (lmax - lmin) * i as f64 / (SCAN_POINTS - 1) as f64).exp())
        .collect();
    // Furthest scan point at or above the threshold.
    let last = xs.iter().rposition(|&x| f(x) >= threshold);
    match last {
        None => 0.0,
        Some(i) if i == xs.len() - 1 => X_MAX_M,
        Some(i) => {
            let (lo, hi) = numerics::bisect(
                xs[i],
                xs[i + 1],
                |x| f(x) >= threshold,
                |lo, hi| hi - lo <= 1e-6 * hi,
                numerics::UNBOUNDED_HALVINGS,
            );
            0.5 * (lo + hi)
        }
    }
}

/// Flammable-cloud footprint of a Gaussian plume at height `z_m`: for each `x_m`, the crosswind
/// half-width (m) of the contour `c_kg_m3` (e.g. LFL). The maximum over x is the footprint's
/// maximum half-width. y = σy·√(2 ln(C(x,0,z)/c)) (from the plume equation).
pub fn plume_footprint(plume: &GaussianPlume, x_m: &[f64], z_m: f64, c_kg_m3: f64) -> Vec<f64> {
    x_m.iter()
        .map(|&x| plume.half_width(x, z_m, c_kg_m3))
        .collect()
}

/// Mass of gas, kg, between the concentrations `lower_kg_m3` and `upper_kg_m3` (e.g. LFL and UFL)
/// in a steady Gaussian plume.
///
/// # Method
/// Integrates C over the region lower ≤ C ≤ upper. For a ground release (H = 0, no lid) the
/// cross-section integral is analytic: ∫∫ C·1[C ≥ c] dy dz = (Q/u)·(1 − c/C₀(x)) for C₀ ≥ c
/// (a bivariate Gaussian), so the mass per unit length is (Q/u)·[(1 − L/C₀)⁺ − (1 − U/C₀)⁺]
/// (this is the standard result used in the TNO Yellow Book, CPR 14E §4.5.6 \[M\]). Otherwise a
/// 120 × 120 midpoint rule over y ∈ [0, 6σy], z ∈ [0, max(H + 6σz, …)] is used. The x integral
/// uses the trapezoid rule on 400 log-spaced points from 1 m to the `lower` distance.
pub fn plume_flammable_mass(plume: &GaussianPlume, lower_kg_m3: f64, upper_kg_m3: f64) -> f64 {
    if lower_kg_m3.is_nan() || upper_kg_m3.is_nan() || lower_kg_m3 <= 0.0 {
        return 0.0;
    }
    let upper = upper_kg_m3.max(lower_kg_m3);
    let z_peak = plume.release_height_m;
    let xl = distance_to(|x| plume.concentration(x, 0.0, z_peak), lower_kg_m3);
    if xl <= 0.0 {
        return 0.0;
    }
    let u = plume.transport_speed_m_s;
    let q = plume.rate_kg_s;
    let analytic = plume.release_height_m == 0.0 && plume.atmosphere.mixing_height_m.is_none();
    let per_length = |x: f64| -> f64 {
        if analytic {
            let c0 = plume.concentration(x, 0.0, 0.0);
            if c0 <= 0.0 {
                return 0.0;
            }
            let part = |c: f64| (1.0 - c / c0).max(0.0);
            q / u * (part(lower_kg_m3) - part(upper))
        } else {
            let (sy, sz) = plume.atmosphere.sigmas(x.max(MIN_SIGMA_DISTANCE_M));
            let ymax = 6.0 * sy;
            let zmax = plume.release_height_m + 6.0 * sz;
            let zmax = plume
                .atmosphere
                .mixing_height_m
                .map_or(zmax, |l| zmax.min(l));
            const N: usize = 120;
            let dy = ymax / N as f64;
            let dz = zmax / N as f64;
            let mut s = 0.0;
            for j in 0..N {
                let z = (j as f64 + 0.5) * dz;
                for i in 0..N {
                    let y = (i as f64 + 0.5) * dy;
                    let c = plume.concentration(x, y, z);
                    if c >= lower_kg_m3 && c <= upper {
                        s += c;
                    }
                }
            }
            2.0 * s * dy * dz
        }
    };
    let n = 400;
    let (a, b) = (X_MIN_M.ln(), xl.max(X_MIN_M * 1.0001).ln());
    let xs: Vec<f64> = (0..n)
        .map(|i| (a + (b - a) * i as f64 / (n - 1) as f64).exp())
        .collect();
    let vals: Vec<f64> = xs.iter().map(|&x| per_length(x)).collect();
    let mut m = 0.0;
    for i in 1..n {
        m += 0.5 * (vals[i] + vals[i - 1]) * (xs[i] - xs[i - 1]);
    }
    m
}

/// Maximum reach, m, of a toxic effect: the furthest downwind distance where the probability of
/// death on the centreline, `p_of_x(x)`, is at least `p_min` (the risk engine uses 1e-6; beyond
/// it lethality is negligible). A thin wrapper over [`distance_to`].
pub fn maximum_reach<F: Fn(f64) -> f64>(p_of_x: F, p_min: f64) -> f64 {
    distance_to(p_of_x, p_min)
}

/// A steady (continuous-release) dispersion model that the risk engine can query in the plume's
/// own frame. Implemented by [`GaussianPlume`] (here) and
/// [`BritterMcQuaidPlume`](super::BritterMcQuaidPlume) (in `dense`, which imports this module;
/// this module does not import `dense`, so the two files form no import cycle).
pub trait SteadyPlume: Sync {
    /// Concentration, kg/m³, at (x downwind, y crosswind, z height); 0 upwind; never NaN.
    fn concentration_at(&self, x_m: f64, y_m: f64, z_m: f64) -> f64;
}

impl SteadyPlume for GaussianPlume {
    fn concentration_at(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        self.concentration(x_m, y_m, z_m)
    }
}

/// Probability of death at ground-level receptors (x, y) in the plume frame for an exposure of
/// `duration_s` (capped at `cap_s`) to the steady concentration of `plume`:
/// P = Φ(a + b·ln(Cⁿ·t) − 5) with the unit conversions of [`ToxicModel`]. Validated arrays
/// (equal lengths, finite); rayon-parallel above the threshold; deterministic.
pub fn toxic_probability_ground<P: SteadyPlume>(
    plume: &P,
    toxic: &ToxicModel,
    duration_s: f64,
    cap_s: f64,
    x_m: &[f64],
    y_m: &[f64],
) -> Result<Vec<f64>> {
    check::positive("duration_s", duration_s)?;
    check::positive("cap_s", cap_s)?;
    let z = vec![0.0; x_m.len()];
    validate_points(x_m, y_m, &z, None)?;
    Ok(map_points(x_m.len(), |i| {
        probit_to_probability(toxic.probit_constant(
            plume.concentration_at(x_m[i], y_m[i], 0.0),
            duration_s,
            cap_s,
        ))
    }))
}

/// Maximum reach, m, of lethal toxic effects of `plume`: the furthest ground-level centreline
/// distance where P(death) ≥ `p_min` (the risk engine's default is 1e-6) for an exposure of
/// `duration_s` capped at `cap_s`. Beyond it the footprint can be skipped.
pub fn toxic_maximum_reach<P: SteadyPlume>(
    plume: &P,
    toxic: &ToxicModel,
    duration_s: f64,
    cap_s: f64,
    p_min: f64,
) -> Result<f64> {
    check::positive("duration_s", duration_s)?;
    check::positive("cap_s", cap_s)?;
    check::in_range("p_min", p_min, 1e-300, 1.0)?;
    Ok(maximum_reach(
        |x| {
            probit_to_probability(toxic.probit_constant(
                plume.concentration_at(x, 0.0, 0.0),
                duration_s,
                cap_s,
            ))
        },
        p_min,
    ))
}

/// Distance, m, to a concentration on the ground-level centreline (e.g. LFL or LFL/2 for flash
/// fires; ERPG/IDLH for emergency zones).
pub fn distance_to_concentration<P: SteadyPlume>(plume: &P, c_kg_m3: f64) -> Result<f64> {
    check::positive("c_kg_m3", c_kg_m3)?;
    Ok(distance_to(
        |x| plume.concentration_at(x, 0.0, 0.0),
        c_kg_m3,
    ))
}
