//! Gaussian plume (continuous release) and Gaussian puff (instantaneous and finite-duration)
//! models for passive (neutrally buoyant) gas.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::function::erf::erf;

use super::Atmosphere;
use crate::error::{check, QraError, Result};

/// Number of points above which array evaluation runs in parallel (rayon). Each point is
/// computed independently, so results are bit-identical for any thread count.
pub const PARALLEL_THRESHOLD: usize = 8192;

/// Distance, m, below which the point-source sigmas are held at their 1 m value: inside the
/// first metre the point-source model is not meaningful, and this keeps every value finite.
pub const MIN_SIGMA_DISTANCE_M: f64 = 1.0;

/// Largest downwind receptor distance accepted, m (1000 km: 100 × the 10 km validity of the σ
/// correlations). Beyond it the ISC3 σy of [`super::sigmas`] turns negative (the tangent's angle
/// c − d·ln x_km falls below 0) and concentrations with it (issue 21).
pub const MAX_DOWNWIND_M: f64 = 1e6;

/// Largest accepted release rate, kg/s (keeps every concentration finite; far above any
/// credible release).
pub const MAX_RATE_KG_S: f64 = 1e9;

/// Largest accepted released mass, kg.
pub const MAX_MASS_KG: f64 = 1e12;

/// Number of image pairs on each side for mixing-height reflection (Turner 1970 form; terms
/// beyond ±3 are < 1e-9 of the main term whenever σz ≤ 1.6·L).
const MIXING_IMAGES: i32 = 3;

/// Vertical factor of the Gaussian models with ground and mixing-height reflection:
/// V = Σₙ [exp(−(z − H + 2nL)²/2σz²) + exp(−(z + H + 2nL)²/2σz²)], n = −3…3 (n = 0 only when
/// there is no lid); once σz > 1.6·L the well-mixed limit V = √(2π)·σz/L is used
/// (Turner 1970, *Workbook of Atmospheric Dispersion Estimates*, eqs. 3.1–3.3, 5.8) \[M\].
/// Points above the lid get 0.
pub(crate) fn vertical_factor(z: f64, h: f64, sz: f64, lid: Option<f64>) -> f64 {
    let g = |d: f64| (-d * d / (2.0 * sz * sz)).exp();
    match lid {
        None => g(z - h) + g(z + h),
        Some(l) => {
            if z > l {
                return 0.0;
            }
            if sz > 1.6 * l {
                return (2.0 * std::f64::consts::PI).sqrt() * sz / l;
            }
            (-MIXING_IMAGES..=MIXING_IMAGES)
                .map(|n| {
                    let s = 2.0 * n as f64 * l;
                    g(z - h + s) + g(z + h + s)
                })
                .sum()
        }
    }
}

/// Validates receptor arrays: equal lengths and finite values, `x` ≤ [`MAX_DOWNWIND_M`]; `t` (if
/// given) ≥ 0.
pub fn validate_points(x: &[f64], y: &[f64], z: &[f64], t: Option<&[f64]>) -> Result<()> {
    let n = x.len();
    for (name, a) in [("y_m", y), ("z_m", z)] {
        if a.len() != n {
            return Err(QraError::invalid(
                format!("len({name})"),
                a.len(),
                format!("must equal len(x_m) = {n}"),
            ));
        }
    }
    check::all_finite("x_m", x)?;
    if let Some(i) = x.iter().position(|&v| v > MAX_DOWNWIND_M) {
        return Err(QraError::invalid(
            format!("x_m[{i}]"),
            x[i],
            format!("must be <= {MAX_DOWNWIND_M} m (domain of the dispersion correlations)"),
        ));
    }
    check::all_finite("y_m", y)?;
    check::all_finite("z_m", z)?;
    if let Some(t) = t {
        if t.len() != n {
            return Err(QraError::invalid(
                "len(t_s)",
                t.len(),
                format!("must equal len(x_m) = {n}"),
            ));
        }
        check::all_finite("t_s", t)?;
        if let Some(i) = t.iter().position(|v| *v < 0.0) {
            return Err(QraError::invalid(format!("t_s[{i}]"), t[i], "must be >= 0"));
        }
    }
    Ok(())
}

/// Evaluates `f(i)` for i in 0..n, in parallel above [`PARALLEL_THRESHOLD`]; order-preserving.
pub(crate) fn map_points(n: usize, f: impl Fn(usize) -> f64 + Sync + Send) -> Vec<f64> {
    if n >= PARALLEL_THRESHOLD {
        (0..n).into_par_iter().map(f).collect()
    } else {
        (0..n).map(f).collect()
    }
}

/// Steady Gaussian plume from a continuous point source with ground reflection and optional
/// mixing-height reflection.
///
/// # Equation
/// C(x, y, z) = Q / (2π·u·σy·σz) · exp(−y²/2σy²) · V(z; H, σz, L)
/// with V from ground/lid reflection (see `vertical_factor`), σy, σz = f(x, class) from the
/// chosen [`super::SigmaScheme`], u the transport speed at max(H, 10 m)
/// ([`Atmosphere::transport_speed`]). Source: Pasquill (1961); Turner (1970) eq. 3.1;
/// CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases* eq. 2.1.59;
/// Crowl & Louvar (2011) *Chemical Process Safety* 3rd ed., eq. 5-49.
///
/// # Units
/// Q kg/s, u m/s, lengths m, C kg/m³.
///
/// # Validity
/// Passive (neutrally buoyant) gas, flat terrain, 100 m – 10 km (screening use down to a few m),
/// wind ≥ 0.1 m/s, slender plume (no along-wind diffusion). Defined values: x ≤ 0 → 0, z < 0 → 0,
/// above the lid → 0; x < 1 m uses the 1 m sigmas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GaussianPlume {
    /// Release rate, kg/s.
    pub rate_kg_s: f64,
    /// Release height, m.
    pub release_height_m: f64,
    /// Atmosphere.
    pub atmosphere: Atmosphere,
    /// Transport speed, m/s (derived).
    pub transport_speed_m_s: f64,
}

impl GaussianPlume {
    /// Validated plume: 0 < `rate_kg_s` ≤ 10⁹, 0 ≤ `release_height_m` ≤ 10⁴ and below the
    /// mixing height.
    pub fn new(rate_kg_s: f64, release_height_m: f64, atmosphere: Atmosphere) -> Result<Self> {
        check::positive("rate_kg_s", rate_kg_s)?;
        check::in_range("rate_kg_s", rate_kg_s, 0.0, MAX_RATE_KG_S)?;
        check::in_range("release_height_m", release_height_m, 0.0, 1e4)?;
        if let Some(l) = atmosphere.mixing_height_m {
            check::less_than("release_height_m", release_height_m, "mixing_height_m", l)?;
        }
        Ok(GaussianPlume {
            rate_kg_s,
            release_height_m,
            atmosphere,
            transport_speed_m_s: atmosphere.transport_speed(release_height_m),
        })
    }

    /// Concentration, kg/m³, at one receptor (see the type docs for defined values).
    pub fn concentration(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        if x_m.is_nan() || x_m <= 0.0 || z_m.is_nan() || z_m < 0.0 || y_m.is_nan() {
            return 0.0;
        }
        let (sy, sz) = self.atmosphere.sigmas(x_m.max(MIN_SIGMA_DISTANCE_M));
        let v = vertical_factor(
            z_m,
            self.release_height_m,
            sz,
            self.atmosphere.mixing_height_m,
        );
        self.rate_kg_s / (2.0 * std::f64::consts::PI * self.transport_speed_m_s * sy * sz)
            * (-y_m * y_m / (2.0 * sy * sy)).exp()
            * v
    }

    /// Concentrations, kg/m³, on arrays of receptors (validated: equal lengths, finite).
    pub fn concentrations(&self, x_m: &[f64], y_m: &[f64], z_m: &[f64]) -> Result<Vec<f64>> {
        validate_points(x_m, y_m, z_m, None)?;
        Ok(map_points(x_m.len(), |i| {
            self.concentration(x_m[i], y_m[i], z_m[i])
        }))
    }

    /// Crosswind half-width, m, of the iso-concentration contour `c_kg_m3` at distance `x_m` and
    /// height `z_m`: y = σy·√(2·ln(C(x,0,z)/c)), or 0 where the centreline is below `c`.
    pub fn half_width(&self, x_m: f64, z_m: f64, c_kg_m3: f64) -> f64 {
        let c0 = self.concentration(x_m, 0.0, z_m);
        if c_kg_m3.is_nan() || c_kg_m3 <= 0.0 || c0 <= c_kg_m3 {
            return 0.0;
        }
        let (sy, _) = self.atmosphere.sigmas(x_m.max(MIN_SIGMA_DISTANCE_M));
        sy * (2.0 * (c0 / c_kg_m3).ln()).sqrt()
    }
}

/// Gaussian puff: instantaneous release of `mass_kg`, or a finite-duration release of
/// `mass_kg` at a constant rate over `duration_s`.
///
/// # Equations
/// Instantaneous (CCPS 1999 eq. 2.1.62; Crowl & Louvar 2011 eq. 5-58):
/// C = M / ((2π)^{3/2} σx σy σz) · exp(−(x − u t)²/2σx²) · exp(−y²/2σy²) · V(z; H, σz, L),
/// sigmas evaluated at the distance travelled by the puff centre, u·t, σx = σy.
///
/// Finite duration T_d (Palazzi, Taglia & Turner 1982, "Diffusion from a steady source of short
/// duration", Atmos. Environ. 16:2785, eqs. 5–6) with χ the steady-plume concentration for
/// Q = M/T_d and σx = σy(x):
/// C = χ/2 · [erf((x − u·max(t − T_d, 0))/(√2σx)) − erf((x − u t)/(√2σx))], the first argument
/// being x/(√2σx) while t ≤ T_d.
///
/// # Units
/// M kg, t s, lengths m, C kg/m³.
///
/// # Defined values
/// t = 0, x ≤ 0 for the finite release, z < 0 → 0; puff-centre distances below 1 m use the
/// 1 m sigmas (so C stays finite).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GaussianPuff {
    /// Released mass, kg.
    pub mass_kg: f64,
    /// Release height, m.
    pub release_height_m: f64,
    /// Duration for a finite-duration release, s (`None` = instantaneous).
    pub duration_s: Option<f64>,
    /// Atmosphere.
    pub atmosphere: Atmosphere,
    /// Transport speed, m/s (derived).
    pub transport_speed_m_s: f64,
}

impl GaussianPuff {
    /// Validated puff: `mass_kg > 0`, `release_height_m ≥ 0` (below the lid), `duration_s > 0`.
    pub fn new(
        mass_kg: f64,
        release_height_m: f64,
        duration_s: Option<f64>,
        atmosphere: Atmosphere,
    ) -> Result<Self> {
        check::positive("mass_kg", mass_kg)?;
        check::in_range("mass_kg", mass_kg, 0.0, MAX_MASS_KG)?;
        check::in_range("release_height_m", release_height_m, 0.0, 1e4)?;
        if let Some(d) = duration_s {
            check::positive("duration_s", d)?;
        }
        if let Some(l) = atmosphere.mixing_height_m {
            check::less_than("release_height_m", release_height_m, "mixing_height_m", l)?;
        }
        Ok(GaussianPuff {
            mass_kg,
            release_height_m,
            duration_s,
            atmosphere,
            transport_speed_m_s: atmosphere.transport_speed(release_height_m),
        })
    }

    /// Concentration, kg/m³, at (x, y, z) and time t.
    pub fn concentration(&self, x_m: f64, y_m: f64, z_m: f64, t_s: f64) -> f64 {
        if t_s.is_nan() || t_s <= 0.0 || z_m.is_nan() || z_m < 0.0 || x_m.is_nan() || y_m.is_nan() {
            return 0.0;
        }
        let u = self.transport_speed_m_s;
        let lid = self.atmosphere.mixing_height_m;
        match self.duration_s {
            None => {
                let xc = u * t_s;
                let (sy, sz) = self.atmosphere.sigmas(xc.max(MIN_SIGMA_DISTANCE_M));
                let sx = sy;
                let dx = x_m - xc;
                let norm = (2.0 * std::f64::consts::PI).powf(1.5) * sx * sy * sz;
                self.mass_kg / norm
                    * (-dx * dx / (2.0 * sx * sx)).exp()
                    * (-y_m * y_m / (2.0 * sy * sy)).exp()
                    * vertical_factor(z_m, self.release_height_m, sz, lid)
            }
            Some(td) => {
                if x_m <= 0.0 {
                    return 0.0;
                }
                let q = self.mass_kg / td;
                let (sy, sz) = self.atmosphere.sigmas(x_m.max(MIN_SIGMA_DISTANCE_M));
                let chi = q / (2.0 * std::f64::consts::PI * u * sy * sz)
                    * (-y_m * y_m / (2.0 * sy * sy)).exp()
                    * vertical_factor(z_m, self.release_height_m, sz, lid);
                let s = std::f64::consts::SQRT_2 * sy;
                let tail = u * (t_s - td).max(0.0);
                let f = 0.5 * (erf((x_m - tail) / s) - erf((x_m - u * t_s) / s));
                (chi * f).max(0.0)
            }
        }
    }

    /// Concentrations, kg/m³, on arrays (validated: equal lengths, finite, t ≥ 0).
    pub fn concentrations(
        &self,
        x_m: &[f64],
        y_m: &[f64],
        z_m: &[f64],
        t_s: &[f64],
    ) -> Result<Vec<f64>> {
        validate_points(x_m, y_m, z_m, Some(t_s))?;
        Ok(map_points(x_m.len(), |i| {
            self.concentration(x_m[i], y_m[i], z_m[i], t_s[i])
        }))
    }

    /// Time-integrated concentration (dose) ∫C dt, kg·s/m³, at (x, y, z) for the instantaneous
    /// puff, exact for an unbounded horizon in the slender-puff limit (σx fixed at the
    /// puff-arrival distance x): D = M/(2π u σy σz)·exp(−y²/2σy²)·V — the steady plume with
    /// Q·T replaced by M (CCPS 1999, §2.1.2 \[M\]).
    pub fn time_integrated(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        if x_m.is_nan() || x_m <= 0.0 || z_m.is_nan() || z_m < 0.0 || y_m.is_nan() {
            return 0.0;
        }
        let (sy, sz) = self.atmosphere.sigmas(x_m.max(MIN_SIGMA_DISTANCE_M));
        self.mass_kg / (2.0 * std::f64::consts::PI * self.transport_speed_m_s * sy * sz)
            * (-y_m * y_m / (2.0 * sy * sy)).exp()
            * vertical_factor(
                z_m,
                self.release_height_m,
                sz,
                self.atmosphere.mixing_height_m,
            )
    }
}
