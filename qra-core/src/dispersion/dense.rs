//! Britter–McQuaid (1988) dense-gas workbook correlations, continuous and instantaneous, with
//! the dense/passive switch.
//!
//! Source: Britter, R.E. & McQuaid, J. (1988) *Workbook on the Dispersion of Dense Gases*,
//! HSE Contract Research Report 17/1988, Figs. 9 and 10 (nomograms); the piecewise-linear fits
//! of the nomograms used here are those tabulated in Crowl & Louvar (2011) *Chemical Process
//! Safety*, 3rd ed., Tables 5-7 and 5-8 (and CCPS 1999 §2.1.3) [M: recalled; every segment was
//! checked for continuity at its breakpoints, which the recalled table satisfies to ±0.01].
//!
//! # Variables (wind u measured at 10 m; densities and volumes at source conditions)
//! Continuous: g₀' = g(ρ₀ − ρₐ)/ρₐ, q₀ volume rate (m³/s), D = √(q₀/u),
//! α = ⅕·log₁₀(g₀'²·q₀/u⁵), β = log₁₀(x/D).
//! Instantaneous: V₀ initial volume (m³), α = ½·log₁₀(g₀'·V₀^{1/3}/u²), β = log₁₀(x/V₀^{1/3}).
//! For each ratio Cm/C₀ the nomogram gives β(α); between the tabulated ratios log₁₀(Cm/C₀) is
//! interpolated linearly in β. Nearer than the Cm/C₀ = 0.1 curve the workbook's near-field
//! correlations apply (see `NearField`): continuous Cm/C₀ = 306·x'⁻²/(1 + 306·x'⁻²) for
//! x' = x/D ≤ 30, interpolated in (β, log₁₀ Cm/C₀) from x' = 30 to the 0.1 curve; instantaneous
//! Cm/C₀ = 3.24·x'⁻²/(1 + 3.24·x'⁻²), x' = x/V₀^{1/3}, not below 0.1 before the 0.1 curve; beyond the last curve
//! (0.002 continuous, 0.001 instantaneous) the ratios extrapolate the last segment's power-law
//! decay, while the continuous plume's *concentrations* hand over to a passive Gaussian plume
//! from a matched virtual source (see [`BritterMcQuaidPlume::concentration_kg_m3`]).
//! α outside the tabulated range [−1, 1] is clamped to it (documented screening choice).
//! The instantaneous cloud hands over to a passive Gaussian puff the same way when built with
//! [`BritterMcQuaidPuff::with_passive_far_field`]; its top-hat geometry (radius R(x), advection
//! at 0.4·u₁₀, [`BritterMcQuaidPuff::passage_time_s`]) gives toxic exposure times.
//!
//! # Finite-duration releases
//! u₁₀·T_d/x ≥ 2.5: continuous; ≤ 0.6: instantaneous (V₀ = q₀·T_d); in between the smaller of the
//! two ([`ReleaseRegime`], [`finite_release_concentration_kg_m3`]) \[M: as quoted by CCPS 1999
//! and Crowl & Louvar 2011; workbook text not re-read].
//!
//! # Non-isothermal releases (Britter & McQuaid 1988 \[M\])
//! For a release colder (or warmer) than ambient the workbook keeps the nomograms but (i) takes
//! the reduced gravity g₀' and the volume rate q₀ (V₀) at *source* conditions and (ii) reads the
//! nomogram for an adjusted concentration: the real (ambient-temperature) volume fraction C and
//! the nomogram value C* are linked by
//! C* = C / (C + (1 − C)·T_a/T₀),  equivalently  C = C*·(T_a/T₀) / (1 − C* + C*·T_a/T₀),
//! which is adiabatic mixing of C* volumes of source gas at T₀ with (1 − C*) volumes of air at
//! T_a (ideal gas, equal molar heat capacities: the mole fraction is the volume fraction of the
//! mixture once at ambient temperature). The same relation is quoted in Crowl & Louvar (2011)
//! ch. 5 (Britter–McQuaid section) \[M\] and implemented by GasDispersion.jl (`britter_mcquaid_plume.jl`, `T′ = Tₐ/Tᵣ`)
//! \[M: the exact workbook section/equation number not re-read]. Mass concentrations are the
//! real volume fraction times the pure-gas density at the *ambient* temperature, ρ₀·T₀/T_a.
//! Isothermal releases (the default, T_a/T₀ = 1) are unchanged.
//!
//! # Dense / passive switch (Britter & McQuaid 1988, §3)
//! Continuous release is dense when (g₀'·q₀/(u³·D))^{1/3} ≥ 0.15; instantaneous when
//! √(g₀'·V₀^{1/3})/u ≥ 0.2 \[M\]. Otherwise [`BritterMcQuaidPlume::concentration_kg_m3`] falls back
//! to the passive Gaussian plume of the given atmosphere.
//!
//! # Crosswind extent (continuous)
//! Plume half-width L_H = D/2 + 2·L_b + 2.5·L_b^{1/3}·x^{2/3}, L_b = g₀'·q₀/u³ (buoyancy length)
//! [M: recalled from the workbook's gravity-spreading estimate]. The workbook gives only the
//! centreline (arc-maximum) concentration; off-axis values use a Gaussian crosswind profile with
//! σ = L_H/2.15 (so that L_H is the 10 % contour), a qra convention, documented as such.

use serde::{Deserialize, Serialize};

use super::gaussian::{map_points, validate_points, GaussianPlume, GaussianPuff};
use super::outputs::{distance_to, SteadyPlume, X_MAX_M};
use super::Atmosphere;
use crate::constants::{AIR_CP_J_KG_K, AIR_MOLAR_MASS_KG_MOL, GAS_CONSTANT_J_MOL_K, GRAVITY_M_S2};
use crate::error::{check, QraError, Result};
use crate::numerics;
use crate::substance::Substance;

/// (Cm/C₀, [(α_upper, slope, intercept)]) — β = slope·α + intercept on α ≤ α_upper.
type Curve = (f64, &'static [(f64, f64, f64)]);

/// Continuous-release curves (Crowl & Louvar 2011, Table 5-7) \[M\].
const CONTINUOUS: &[Curve] = &[
    (
        0.1,
        &[(-0.55, 0.0, 1.75), (-0.14, 0.24, 1.88), (1.0, -0.50, 1.78)],
    ),
    (
        0.05,
        &[
            (-0.68, 0.0, 1.92),
            (-0.29, 0.36, 2.16),
            (-0.18, 0.0, 2.06),
            (1.0, -0.56, 1.96),
        ],
    ),
    (
        0.02,
        &[
            (-0.69, 0.0, 2.08),
            (-0.31, 0.45, 2.39),
            (-0.16, 0.0, 2.25),
            (1.0, -0.54, 2.16),
        ],
    ),
    (
        0.01,
        &[
            (-0.70, 0.0, 2.25),
            (-0.29, 0.49, 2.59),
            (-0.20, 0.0, 2.45),
            (1.0, -0.52, 2.35),
        ],
    ),
    (
        0.005,
        &[
            (-0.67, 0.0, 2.40),
            (-0.28, 0.59, 2.80),
            (-0.15, 0.0, 2.63),
            (1.0, -0.49, 2.56),
        ],
    ),
    (
        0.002,
        &[
            (-0.69, 0.0, 2.60),
            (-0.25, 0.39, 2.87),
            (-0.13, 0.0, 2.77),
            (1.0, -0.50, 2.71),
        ],
    ),
];

/// Instantaneous-release curves (Crowl & Louvar 2011, Table 5-8) \[M\].
const INSTANTANEOUS: &[Curve] = &[
    (
        0.1,
        &[(-0.44, 0.0, 0.70), (0.43, 0.26, 0.81), (1.0, 0.0, 0.93)],
    ),
    (
        0.05,
        &[(-0.56, 0.0, 0.85), (0.31, 0.26, 1.00), (1.0, -0.12, 1.12)],
    ),
    (
        0.02,
        &[(-0.66, 0.0, 0.95), (0.32, 0.36, 1.19), (1.0, -0.26, 1.38)],
    ),
    (
        0.01,
        &[(-0.71, 0.0, 1.15), (0.37, 0.34, 1.39), (1.0, -0.38, 1.66)],
    ),
    (
        0.005,
        &[(-0.52, 0.0, 1.48), (0.24, 0.26, 1.62), (1.0, -0.30, 1.75)],
    ),
    (0.002, &[(0.27, 0.0, 1.83), (1.0, -0.32, 1.92)]),
    (0.001, &[(-0.10, 0.0, 2.075), (1.0, -0.27, 2.05)]),
];

fn beta_of(curve: &[(f64, f64, f64)], alpha: f64) -> f64 {
    let a = alpha.clamp(-1.0, 1.0);
    let seg = curve
        .iter()
        .find(|(hi, _, _)| a <= *hi)
        .unwrap_or(&curve[curve.len() - 1]);
    seg.1 * a + seg.2
}

/// Near field of the workbook correlations, nearer than the first (Cm/C₀ = 0.1) curve:
/// Cm/C₀ = k·x'⁻²/(1 + k·x'⁻²). Continuous releases: k = 306, x' = x/D, for x' ≤ 30, then
/// interpolated in (β, log₁₀ Cm/C₀) up to the 0.1 curve; instantaneous releases: k = 3.24,
/// x' = x/V₀^{1/3}, not below 0.1 up to the 0.1 curve. Source: Britter & McQuaid (1988) as
/// quoted by CCPS (1999) §2.3 and implemented by GasDispersion.jl
/// (`britter_mcquaid_plume.jl`, `britter_mcquaid_puff.jl`) \[S: secondary; the workbook text
/// was not read]. Where the 0.1 curve of a continuous release lies nearer than x' = 37.5
/// (α ≳ 0.4) the workbook's two correlations nearly collide (at α ≈ 0.6 the curve sits at
/// x' ≈ 30 and the ratio would fall from 0.25 to 0.1 within a fraction of a metre; for α ≳ 0.6
/// they overlap): qra then joins the near field at 1/1.25 of the curve's distance instead of
/// x' = 30 (qra convention; continuous, non-increasing, the fall spans at least 25 % in x).
#[derive(Debug, Clone, Copy)]
struct NearField {
    k: f64,
    /// x' up to which the near-field form applies on its own (continuous: 30), or `None` to
    /// apply it (floored at the first curve's ratio) up to the first curve (instantaneous).
    x_max: Option<f64>,
}

/// Continuous-release near field (k = 306 for x/D ≤ 30).
const NEAR_CONTINUOUS: NearField = NearField {
    k: 306.0,
    x_max: Some(30.0),
};
/// Instantaneous-release near field (k = 3.24 up to the first curve).
const NEAR_INSTANTANEOUS: NearField = NearField {
    k: 3.24,
    x_max: None,
};

impl NearField {
    fn ratio(&self, x_rel: f64) -> f64 {
        let a = self.k / (x_rel * x_rel);
        a / (1.0 + a)
    }
}

/// Cm/C₀ at scaled distance β for a given α: the near field ([`NearField`]) before the first
/// curve, interpolation in (β, log₁₀ Cm/C₀) between curves.
fn ratio_at(curves: &[Curve], near: NearField, alpha: f64, beta: f64) -> f64 {
    let pts: Vec<(f64, f64)> = curves
        .iter()
        .map(|(r, c)| (beta_of(c, alpha), r.log10()))
        .collect();
    let (b0, l0) = pts[0];
    if beta <= b0 {
        let x_rel = 10f64.powf(beta);
        return match near.x_max {
            // Instantaneous: near-field form, not below the first curve's ratio.
            None => near.ratio(x_rel).max(10f64.powf(l0)).min(1.0),
            // Continuous: near field up to the junction x'_j = 30, then log-linear in β to the
            // first curve; where that curve lies nearer than 1.25·30 the junction moves to
            // 1/1.25 of its distance (qra convention, see `NearField`), so the fall from the near
            // field to 0.1 spans at least 25 % in x instead of a near-jump.
            Some(x_max) => {
                let bj = x_max.log10().min(b0 - 1.25f64.log10());
                if beta <= bj {
                    near.ratio(x_rel).min(1.0)
                } else {
                    let lj = near.ratio(10f64.powf(bj)).log10();
                    10f64.powf(numerics::lerp(lj, l0, (beta - bj) / (b0 - bj)))
                }
            }
        };
    }
    for w in pts.windows(2) {
        let ((ba, la), (bb, lb)) = (w[0], w[1]);
        if beta <= bb {
            let f = if bb > ba {
                (beta - ba) / (bb - ba)
            } else {
                1.0
            };
            return 10f64.powf(numerics::lerp(la, lb, f));
        }
    }
    // Power-law extrapolation of the last segment (log-log slope).
    let n = pts.len();
    let ((ba, la), (bb, lb)) = (pts[n - 2], pts[n - 1]);
    let slope = if bb > ba { (lb - la) / (bb - ba) } else { -2.0 };
    let slope = slope.min(-0.5);
    10f64.powf(lb + slope * (beta - bb))
}

/// Real (ambient-temperature) volume fraction from the nomogram value `c_star` for a release
/// with `t_ratio` = T_a/T₀: C = C*·r/(1 − C* + C*·r) (module docs, "Non-isothermal").
fn ambient_fraction(c_star: f64, t_ratio: f64) -> f64 {
    if c_star <= 0.0 {
        return 0.0;
    }
    c_star * t_ratio / (1.0 - c_star + c_star * t_ratio)
}

/// Nomogram value C* for a real volume fraction `c` and `t_ratio` = T_a/T₀:
/// C* = C/(C + (1 − C)·T_a/T₀) (inverse of `ambient_fraction`).
pub fn nomogram_fraction(c: f64, t_ratio: f64) -> f64 {
    if c <= 0.0 {
        return 0.0;
    }
    c / (c + (1.0 - c) * t_ratio)
}

/// Validated T_a/T₀ from a source and an ambient temperature (K, each in [1, 2000]).
fn temperature_ratio(source_temperature_k: f64, ambient_temperature_k: f64) -> Result<f64> {
    check::in_range("source_temperature_k", source_temperature_k, 1.0, 2000.0)?;
    check::in_range("ambient_temperature_k", ambient_temperature_k, 1.0, 2000.0)?;
    Ok(ambient_temperature_k / source_temperature_k)
}

fn one() -> f64 {
    1.0
}

/// Reduced gravity g₀' = g·(ρ₀ − ρₐ)/ρₐ, m/s².
fn reduced_gravity(gas_density_kg_m3: f64, air_density_kg_m3: f64) -> f64 {
    GRAVITY_M_S2 * (gas_density_kg_m3 - air_density_kg_m3) / air_density_kg_m3
}

/// Britter–McQuaid continuous dense plume (see the module docs for equations and sources).
///
/// # Units
/// rate kg/s, densities kg/m³, wind m/s at 10 m, x m; outputs volume fraction or kg/m³.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BritterMcQuaidPlume {
    /// Mass release rate, kg/s.
    pub rate_kg_s: f64,
    /// Density of the released gas at release conditions, kg/m³.
    pub gas_density_kg_m3: f64,
    /// Ambient air density, kg/m³.
    pub air_density_kg_m3: f64,
    /// Atmosphere (wind at 10 m; used for the passive fallback).
    pub atmosphere: Atmosphere,
    /// Volume rate q₀, m³/s (derived).
    pub volume_rate_m3_s: f64,
    /// α (derived).
    pub alpha: f64,
    /// Source length scale D = √(q₀/u), m (derived).
    pub length_scale_m: f64,
    /// Whether the release is dense by the workbook criterion (derived).
    pub dense: bool,
    /// T_a/T₀, ambient over source temperature (1 = isothermal; see "Non-isothermal").
    #[serde(default = "one")]
    pub temperature_ratio: f64,
    /// Mass fraction of the released substance in the source gas (1 = pure; < 1 for an
    /// aerosol-laden source already mixed with air, see [`AerosolMixture`]).
    #[serde(default = "one")]
    pub substance_mass_fraction: f64,
    /// Far field (derived): distance x_L, m, of the last tabulated curve (Cm/C₀ = 0.002) and the
    /// virtual-source offset x_v, m, of the passive plume used beyond it (see
    /// [`Self::concentration_kg_m3`]); `None` in data written before this field existed
    /// (then the last segment is extrapolated).
    #[serde(default)]
    pub far_field_m: Option<(f64, f64)>,
    passive: GaussianPlume,
}

impl SteadyPlume for BritterMcQuaidPlume {
    fn concentration_at(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        self.concentration_kg_m3(x_m, y_m, z_m)
    }
}

impl BritterMcQuaidPlume {
    /// Validated plume: 0 < rate ≤ 10⁹ kg/s, densities in [10⁻³, 10³] kg/m³.
    pub fn new(
        rate_kg_s: f64,
        gas_density_kg_m3: f64,
        air_density_kg_m3: f64,
        atmosphere: Atmosphere,
    ) -> Result<Self> {
        Ok(
            Self::unmatched(rate_kg_s, gas_density_kg_m3, air_density_kg_m3, atmosphere)?
                .with_far_field(),
        )
    }

    /// Whether [`Self::new`] would class the release dense (`dense`), without its far-field
    /// matching (a search along the passive plume, the costly part of building the plume):
    /// for the callers that only classify.
    ///
    /// # Errors
    /// As [`Self::new`].
    pub fn classifies_dense(
        rate_kg_s: f64,
        gas_density_kg_m3: f64,
        air_density_kg_m3: f64,
        atmosphere: Atmosphere,
    ) -> Result<bool> {
        Ok(Self::unmatched(rate_kg_s, gas_density_kg_m3, air_density_kg_m3, atmosphere)?.dense)
    }

    /// Whether [`Self::aerosol_laden`] would class the release dense, without its far-field
    /// matching (the temperatures do not enter the criterion).
    ///
    /// # Errors
    /// As [`Self::aerosol_laden`].
    pub fn aerosol_classifies_dense(
        substance_rate_kg_s: f64,
        mix: &AerosolMixture,
        air_density_kg_m3: f64,
        ambient_temperature_k: f64,
        atmosphere: Atmosphere,
    ) -> Result<bool> {
        check::positive("substance_rate_kg_s", substance_rate_kg_s)?;
        // The temperature ratio is validated as `with_temperatures` does.
        temperature_ratio(mix.temperature_k, ambient_temperature_k)?;
        Self::classifies_dense(
            substance_rate_kg_s / mix.substance_mass_fraction,
            mix.density_kg_m3,
            air_density_kg_m3,
            atmosphere,
        )
    }

    /// [`Self::new`] before the far-field matching (`far_field_m` = `None`): the matching
    /// searches the passive plume's centreline, so it is done once, with the final
    /// temperature ratio ([`Self::aerosol_laden`] matched twice until the twenty-second
    /// session: the same result, the first search thrown away).
    fn unmatched(
        rate_kg_s: f64,
        gas_density_kg_m3: f64,
        air_density_kg_m3: f64,
        atmosphere: Atmosphere,
    ) -> Result<Self> {
        check::positive("rate_kg_s", rate_kg_s)?;
        check::in_range("gas_density_kg_m3", gas_density_kg_m3, 1e-3, 1e3)?;
        check::in_range("air_density_kg_m3", air_density_kg_m3, 1e-3, 1e3)?;
        let u = atmosphere.wind_speed_m_s;
        let q0 = rate_kg_s / gas_density_kg_m3;
        let g0 = reduced_gravity(gas_density_kg_m3, air_density_kg_m3);
        let d = (q0 / u).sqrt();
        let dense = g0 > 0.0 && (g0 * q0 / (u.powi(3) * d)).cbrt() >= 0.15;
        let alpha = if g0 > 0.0 {
            0.2 * (g0 * g0 * q0 / u.powi(5)).log10()
        } else {
            -1.0
        };
        Ok(BritterMcQuaidPlume {
            rate_kg_s,
            gas_density_kg_m3,
            air_density_kg_m3,
            atmosphere,
            volume_rate_m3_s: q0,
            alpha,
            length_scale_m: d,
            dense,
            temperature_ratio: 1.0,
            substance_mass_fraction: 1.0,
            far_field_m: None,
            passive: GaussianPlume::new(rate_kg_s, 0.0, atmosphere)?,
        })
    }

    /// Sets the far-field matching: x_L where the nomogram reaches its last curve, and the
    /// offset x_v such that the passive plume from a virtual source at x_v has the workbook's
    /// centreline concentration at x_L: C_passive(x_L − x_v) = C_workbook(x_L).
    fn with_far_field(mut self) -> Self {
        let (c_last, curve) = CONTINUOUS[CONTINUOUS.len() - 1];
        let x_last = self.length_scale_m * 10f64.powf(beta_of(curve, self.alpha));
        let c_at =
            ambient_fraction(c_last, self.temperature_ratio) * self.ambient_gas_density_kg_m3();
        let passive = self.passive;
        let x_p = distance_to(|x| passive.concentration(x, 0.0, 0.0), c_at);
        // No match within the searched range (the passive plume is still above the workbook's
        // last-curve value at 100 km, e.g. a large release in stable weather, where Briggs σz
        // levels off): no hand-over, the last segment is extrapolated.
        self.far_field_m =
            (x_p > 0.0 && x_p < X_MAX_M && x_last.is_finite()).then_some((x_last, x_last - x_p));
        self
    }

    /// Dense plume of an aerosol-laden release: the workbook applied to the effective source
    /// gas `mix` (substance + entrained air once the aerosol has evaporated, at `mix`'s
    /// temperature), with `substance_rate_kg_s` of the released substance. Concentrations
    /// ([`Self::concentration_kg_m3`]) are of the released substance.
    pub fn aerosol_laden(
        substance_rate_kg_s: f64,
        mix: &AerosolMixture,
        air_density_kg_m3: f64,
        ambient_temperature_k: f64,
        atmosphere: Atmosphere,
    ) -> Result<Self> {
        check::positive("substance_rate_kg_s", substance_rate_kg_s)?;
        let mut p = Self::unmatched(
            substance_rate_kg_s / mix.substance_mass_fraction,
            mix.density_kg_m3,
            air_density_kg_m3,
            atmosphere,
        )?
        .with_temperatures(mix.temperature_k, ambient_temperature_k)?;
        p.substance_mass_fraction = mix.substance_mass_fraction;
        Ok(p)
    }

    /// Non-isothermal release: `gas_density_kg_m3` given to [`Self::new`] is the density at
    /// `source_temperature_k`; concentrations get the workbook's temperature correction (module
    /// docs, "Non-isothermal"). Temperatures in K, each in [1, 2000].
    pub fn with_temperatures(
        mut self,
        source_temperature_k: f64,
        ambient_temperature_k: f64,
    ) -> Result<Self> {
        self.temperature_ratio = temperature_ratio(source_temperature_k, ambient_temperature_k)?;
        Ok(self.with_far_field())
    }

    /// Nomogram value Cm/C₀ at `x_m` (C* of the non-isothermal correction; the real volume
    /// fraction for an isothermal release); 0 for x ≤ 0.
    pub fn nomogram_ratio(&self, x_m: f64) -> f64 {
        if x_m.is_nan() || x_m <= 0.0 {
            return 0.0;
        }
        let beta = (x_m / self.length_scale_m).log10();
        ratio_at(CONTINUOUS, NEAR_CONTINUOUS, self.alpha, beta)
    }

    /// Centreline ground-level volume fraction (at ambient temperature) of the released gas at
    /// `x_m` from the workbook correlations with the non-isothermal correction (regardless of
    /// the dense/passive switch); 0 for x ≤ 0.
    pub fn centreline_ratio(&self, x_m: f64) -> f64 {
        ambient_fraction(self.nomogram_ratio(x_m), self.temperature_ratio)
    }

    /// Density of the released gas at ambient temperature, kg/m³ (ρ₀·T₀/T_a).
    pub fn ambient_gas_density_kg_m3(&self) -> f64 {
        self.gas_density_kg_m3 / self.temperature_ratio
    }

    /// Plume half-width L_H, m (see the module docs) \[M\].
    pub fn half_width_m(&self, x_m: f64) -> f64 {
        let u = self.atmosphere.wind_speed_m_s;
        let lb = (reduced_gravity(self.gas_density_kg_m3, self.air_density_kg_m3)
            * self.volume_rate_m3_s
            / u.powi(3))
        .max(0.0);
        0.5 * self.length_scale_m + 2.0 * lb + 2.5 * lb.cbrt() * x_m.max(0.0).powf(2.0 / 3.0)
    }

    /// Mass concentration, kg/m³, at ground level: the workbook centreline volume fraction times
    /// the pure-gas density at ambient temperature, with a Gaussian crosswind profile
    /// (σ = L_H/2.15). Beyond the last tabulated curve (x > x_L, Cm/C₀ < 0.002) the workbook has
    /// no data and the cloud is treated as passive: the Gaussian plume from a virtual point
    /// source placed so that its centreline matches the workbook at x_L, C(x) =
    /// C_passive(x − x_v) (the usual virtual-source hand-over to passive dispersion, e.g.
    /// Britter & McQuaid 1988 and CCPS 1999 \[M\]); continuous at x_L on the centreline. The
    /// passive Gaussian
    /// plume when the release is not dense. `z_m` is ignored for the dense cloud (ground-level
    /// correlation) except that z < 0 → 0; x ≤ 0 → 0.
    pub fn concentration_kg_m3(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        let w = self.substance_mass_fraction;
        if !self.dense {
            return w * self.passive.concentration(x_m, y_m, z_m);
        }
        if x_m.is_nan() || x_m <= 0.0 || y_m.is_nan() || z_m.is_nan() || z_m < 0.0 {
            return 0.0;
        }
        if let Some((x_last, x_v)) = self.far_field_m {
            if x_m > x_last {
                return w * self.passive.concentration(x_m - x_v, y_m, z_m);
            }
        }
        let s = self.half_width_m(x_m) / 2.15;
        w * self.centreline_ratio(x_m)
            * self.ambient_gas_density_kg_m3()
            * (-y_m * y_m / (2.0 * s * s)).exp()
    }

    /// Array version of [`Self::concentration_kg_m3`] (validated).
    pub fn concentrations(&self, x_m: &[f64], y_m: &[f64], z_m: &[f64]) -> Result<Vec<f64>> {
        validate_points(x_m, y_m, z_m, None)?;
        Ok(map_points(x_m.len(), |i| {
            self.concentration_kg_m3(x_m[i], y_m[i], z_m[i])
        }))
    }
}

/// Britter–McQuaid instantaneous dense cloud (see the module docs).
///
/// Gives the maximum ground-level concentration reached at distance x as the cloud passes
/// (the nomogram quantity), not a time history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BritterMcQuaidPuff {
    /// Released mass, kg.
    pub mass_kg: f64,
    /// Density of the released gas, kg/m³.
    pub gas_density_kg_m3: f64,
    /// Ambient air density, kg/m³.
    pub air_density_kg_m3: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_speed_m_s: f64,
    /// Initial volume V₀, m³ (derived).
    pub volume_m3: f64,
    /// α (derived).
    pub alpha: f64,
    /// Whether the release is dense by the workbook criterion (derived).
    pub dense: bool,
    /// T_a/T₀, ambient over source temperature (1 = isothermal; see "Non-isothermal").
    #[serde(default = "one")]
    pub temperature_ratio: f64,
    /// Mass fraction of the released substance in the source gas (1 = pure; < 1 for an
    /// aerosol-laden cloud already mixed with air, see [`AerosolMixture`]).
    #[serde(default = "one")]
    pub substance_mass_fraction: f64,
    /// Passive far field (set by [`Self::with_passive_far_field`]): distance x_L, m, of the
    /// last tabulated curve (Cm/C₀ = 0.001), virtual-source offset x_v, m, and the passive
    /// Gaussian puff used beyond x_L; `None` = the last segment is extrapolated.
    #[serde(default)]
    pub far_field: Option<PuffFarField>,
}

/// Hand-over of a [`BritterMcQuaidPuff`] to a passive Gaussian puff beyond the workbook's last
/// curve (see [`BritterMcQuaidPuff::with_passive_far_field`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PuffFarField {
    /// Distance of the last tabulated curve (Cm/C₀ = 0.001), m.
    pub last_curve_m: f64,
    /// Virtual-source offset x_v, m: beyond x_L the cloud is the passive puff at x − x_v.
    pub virtual_offset_m: f64,
    /// Passive Gaussian puff of the released substance (ground level).
    pub passive: GaussianPuff,
}

/// Fraction of the 10 m wind speed at which an instantaneous dense cloud is advected
/// (Britter & McQuaid 1988 \[M]; as implemented in GasDispersion.jl
/// `britter_mcquaid_puff.jl`, secondary).
pub const PUFF_ADVECTION_FRACTION: f64 = 0.4;

impl BritterMcQuaidPuff {
    /// Validated cloud: 0 < mass ≤ 10¹² kg, densities in [10⁻³, 10³] kg/m³, wind in [0.1, 100] m/s.
    pub fn new(
        mass_kg: f64,
        gas_density_kg_m3: f64,
        air_density_kg_m3: f64,
        wind_speed_m_s: f64,
    ) -> Result<Self> {
        check::positive("mass_kg", mass_kg)?;
        check::in_range("mass_kg", mass_kg, 0.0, 1e12)?;
        check::in_range("gas_density_kg_m3", gas_density_kg_m3, 1e-3, 1e3)?;
        check::in_range("air_density_kg_m3", air_density_kg_m3, 1e-3, 1e3)?;
        check::in_range("wind_speed_m_s", wind_speed_m_s, 0.1, 100.0)?;
        let v0 = mass_kg / gas_density_kg_m3;
        let g0 = reduced_gravity(gas_density_kg_m3, air_density_kg_m3);
        let u = wind_speed_m_s;
        let dense = g0 > 0.0 && (g0 * v0.cbrt()).sqrt() / u >= 0.2;
        let alpha = if g0 > 0.0 {
            0.5 * (g0 * v0.cbrt() / (u * u)).log10()
        } else {
            -1.0
        };
        Ok(BritterMcQuaidPuff {
            mass_kg,
            gas_density_kg_m3,
            air_density_kg_m3,
            wind_speed_m_s,
            volume_m3: v0,
            alpha,
            dense,
            temperature_ratio: 1.0,
            substance_mass_fraction: 1.0,
            far_field: None,
        })
    }

    /// Non-isothermal release (see [`BritterMcQuaidPlume::with_temperatures`]). Drops a passive
    /// far field set before (call [`Self::with_passive_far_field`] afterwards).
    pub fn with_temperatures(
        mut self,
        source_temperature_k: f64,
        ambient_temperature_k: f64,
    ) -> Result<Self> {
        self.temperature_ratio = temperature_ratio(source_temperature_k, ambient_temperature_k)?;
        self.far_field = None;
        Ok(self)
    }

    /// Dense cloud of an aerosol-laden instantaneous release: the workbook applied to the
    /// effective source gas `mix` (substance + entrained air once the aerosol has evaporated,
    /// at `mix`'s temperature) holding `substance_mass_kg` of the released substance.
    /// Concentrations are of the released substance.
    pub fn aerosol_laden(
        substance_mass_kg: f64,
        mix: &AerosolMixture,
        air_density_kg_m3: f64,
        ambient_temperature_k: f64,
        wind_speed_m_s: f64,
    ) -> Result<Self> {
        check::positive("substance_mass_kg", substance_mass_kg)?;
        let mut p = Self::new(
            substance_mass_kg / mix.substance_mass_fraction,
            mix.density_kg_m3,
            air_density_kg_m3,
            wind_speed_m_s,
        )?
        .with_temperatures(mix.temperature_k, ambient_temperature_k)?;
        p.substance_mass_fraction = mix.substance_mass_fraction;
        Ok(p)
    }

    /// Hands the cloud over to passive dispersion beyond the last tabulated curve
    /// (Cm/C₀ = 0.001, x_L = V₀^{1/3}·10^{β(α)}): a ground-level Gaussian puff of the released
    /// substance in `atmosphere` (whose 10 m wind should be this cloud's), from a virtual source
    /// placed so that its peak ground-level concentration at x_L − x_v equals the workbook's at
    /// x_L (the virtual-source hand-over used for the plume, [`BritterMcQuaidPlume`]). When no
    /// such distance exists within 100 km (the passive puff is more concentrated everywhere —
    /// large releases in stable weather) no far field is set and the last segment is
    /// extrapolated.
    /// Continuous at x_L on the cloud path; beyond it the workbook's last-segment extrapolation
    /// is no longer used.
    pub fn with_passive_far_field(mut self, atmosphere: Atmosphere) -> Result<Self> {
        let passive = GaussianPuff::new(
            self.mass_kg * self.substance_mass_fraction,
            0.0,
            None,
            atmosphere,
        )?;
        let (_, curve) = INSTANTANEOUS[INSTANTANEOUS.len() - 1];
        let x_last = self.volume_m3.cbrt() * 10f64.powf(beta_of(curve, self.alpha));
        self.far_field = None;
        let c_at = self.max_concentration_kg_m3(x_last);
        let x_p = distance_to(|x| passive_peak(&passive, x), c_at);
        // No match within 100 km (see `BritterMcQuaidPlume::with_far_field`): no hand-over.
        let matched = x_p > 0.0 && x_p < X_MAX_M && x_last.is_finite();
        self.far_field = matched.then_some(PuffFarField {
            last_curve_m: x_last,
            virtual_offset_m: x_last - x_p,
            passive,
        });
        Ok(self)
    }

    /// Radius of the (top-hat, circular) dense cloud when its centre has travelled `x_m`:
    /// R² = R₀² + 1.2·√(g₀'·V₀)·t, t = x/(0.4·u₁₀), R₀ = (3V₀/4π)^{1/3} (gravity-slumping
    /// cloud of Britter & McQuaid 1988 \[M]; as in GasDispersion.jl, secondary). m; x < 0 → R₀.
    pub fn cloud_radius_m(&self, x_m: f64) -> f64 {
        let r0 = (3.0 * self.volume_m3 / (4.0 * std::f64::consts::PI)).cbrt();
        let g0 = reduced_gravity(self.gas_density_kg_m3, self.air_density_kg_m3).max(0.0);
        let t = x_m.max(0.0) / (PUFF_ADVECTION_FRACTION * self.wind_speed_m_s);
        (r0 * r0 + 1.2 * (g0 * self.volume_m3).sqrt() * t).sqrt()
    }

    /// Passage time, s, of the top-hat cloud over a ground receptor at (x, y): the chord
    /// 2·√(R² − y²) of the cloud of radius R = [`Self::cloud_radius_m`]`(x)` over its advection
    /// speed 0.4·u₁₀; 0 outside the cloud. (Within the dense regime only; see
    /// [`Self::far_field`].)
    pub fn passage_time_s(&self, x_m: f64, y_m: f64) -> f64 {
        let r = self.cloud_radius_m(x_m);
        if x_m.is_nan() || y_m.is_nan() || y_m.abs() >= r {
            return 0.0;
        }
        2.0 * (r * r - y_m * y_m).sqrt() / (PUFF_ADVECTION_FRACTION * self.wind_speed_m_s)
    }

    /// Nomogram value Cm/C₀ at `x_m` (C* of the non-isothermal correction); 0 for x ≤ 0.
    pub fn nomogram_ratio(&self, x_m: f64) -> f64 {
        if x_m.is_nan() || x_m <= 0.0 {
            return 0.0;
        }
        let beta = (x_m / self.volume_m3.cbrt()).log10();
        ratio_at(INSTANTANEOUS, NEAR_INSTANTANEOUS, self.alpha, beta)
    }

    /// Maximum ground-level volume fraction (at ambient temperature) at `x_m`, with the
    /// non-isothermal correction (x ≤ 0 → 0).
    pub fn centreline_ratio(&self, x_m: f64) -> f64 {
        ambient_fraction(self.nomogram_ratio(x_m), self.temperature_ratio)
    }

    /// Maximum ground-level mass concentration of the released substance, kg/m³, at `x_m` on
    /// the cloud path: volume fraction times the source-gas density at ambient temperature
    /// (times the substance mass fraction); beyond x_L of a passive far field
    /// ([`Self::with_passive_far_field`]) the peak of the passive puff at x − x_v.
    pub fn max_concentration_kg_m3(&self, x_m: f64) -> f64 {
        if let Some(ff) = &self.far_field {
            if x_m > ff.last_curve_m {
                return passive_peak(&ff.passive, x_m - ff.virtual_offset_m);
            }
        }
        self.substance_mass_fraction * self.centreline_ratio(x_m) * self.gas_density_kg_m3
            / self.temperature_ratio
    }

    /// Array version of [`Self::max_concentration_kg_m3`] (validated finite).
    pub fn max_concentrations(&self, x_m: &[f64]) -> Result<Vec<f64>> {
        check::all_finite("x_m", x_m)?;
        Ok(map_points(x_m.len(), |i| {
            self.max_concentration_kg_m3(x_m[i])
        }))
    }
}

/// Workbook regime of a release of finite duration T_d seen at distance x (Britter & McQuaid
/// 1988, as quoted by CCPS 1999 §2.3 and Crowl & Louvar 2011 ch. 5 \[M]): continuous when
/// u₁₀·T_d/x ≥ 2.5, instantaneous when u₁₀·T_d/x ≤ 0.6, in between both models apply and the
/// smaller concentration is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseRegime {
    /// u₁₀·T_d/x ≥ 2.5: the continuous plume.
    Continuous,
    /// u₁₀·T_d/x ≤ 0.6: the instantaneous cloud of the released mass.
    Instantaneous,
    /// In between: the smaller of the two.
    Intermediate,
}

impl ReleaseRegime {
    /// Regime at `x_m` (> 0) for wind `wind_speed_m_s` (10 m) and duration `duration_s`.
    pub fn at(wind_speed_m_s: f64, duration_s: f64, x_m: f64) -> Self {
        let r = wind_speed_m_s * duration_s / x_m;
        if r >= 2.5 {
            ReleaseRegime::Continuous
        } else if r <= 0.6 {
            ReleaseRegime::Instantaneous
        } else {
            ReleaseRegime::Intermediate
        }
    }
}

/// Centreline ground-level concentration, kg/m³, at `x_m` of a release of finite duration
/// `duration_s` by the workbook's rule ([`ReleaseRegime`]): `plume` (the continuous release at
/// its rate) or `cloud` (the instantaneous release of rate × duration; same gas, temperatures
/// and 10 m wind), or the smaller of the two in the intermediate regime. x ≤ 0 → 0.
pub fn finite_release_concentration_kg_m3(
    plume: &BritterMcQuaidPlume,
    cloud: &BritterMcQuaidPuff,
    duration_s: f64,
    x_m: f64,
) -> f64 {
    if x_m.is_nan() || x_m <= 0.0 {
        return 0.0;
    }
    let c = || plume.concentration_kg_m3(x_m, 0.0, 0.0);
    let i = || cloud.max_concentration_kg_m3(x_m);
    match ReleaseRegime::at(plume.atmosphere.wind_speed_m_s, duration_s, x_m) {
        ReleaseRegime::Continuous => c(),
        ReleaseRegime::Instantaneous => i(),
        ReleaseRegime::Intermediate => c().min(i()),
    }
}

/// Peak ground-level concentration of a ground-level passive puff whose centre is at `x_m`
/// (its centre passing the receptor), kg/m³; 0 for x ≤ 0.
pub(crate) fn passive_peak(p: &GaussianPuff, x_m: f64) -> f64 {
    if x_m.is_nan() || x_m <= 0.0 {
        return 0.0;
    }
    p.concentration(x_m, 0.0, 0.0, x_m / p.transport_speed_m_s)
}

/// Effective source state of an aerosol-laden (flashing) release after adiabatic mixing with
/// ambient air until the last liquid has evaporated — the initial cloud that the dense-gas
/// workbook is applied to. Build with [`AerosolMixture::new`].
///
/// # Model (homogeneous equilibrium, adiabatic mixing; after Kaiser & Walker 1978, *Atmos.
/// Environ.* 12:2289, and Wheatley 1987, SRD R410 \[M\])
/// Per kg of released substance, a fraction L is liquid aerosol at the normal boiling point T_b
/// and 1 − L vapour at T_b; `a` kg of dry air at T_a are mixed in. Energy balance with constant
/// heat capacities (c_p,air, c_p,gas) and latent heat h_fg, all liquid evaporated:
/// a·c_p,air·(T_a − T) = L·h_fg + c_p,gas·(T − T_b), so
/// T(a) = (a·c_p,air·T_a + c_p,gas·T_b − L·h_fg)/(a·c_p,air + c_p,gas).
/// The liquid has just evaporated when the substance's partial pressure equals its saturation
/// pressure, y(a)·p = p_sat(T(a)), y = (1/M)/(1/M + a/M_air): the smallest such `a` (bisection)
/// defines the effective source: temperature T, molar mass M_mix = (1 + a)/(1/M + a/M_air),
/// density ρ = p·M_mix/(R·T), substance mass fraction 1/(1 + a).
/// Neglects humidity (water condensation releases heat and lowers the density: the dry-air
/// result is the denser bound), heat from the ground and any slip between droplets and gas.
///
/// # Units
/// Temperatures K, pressure Pa, densities kg/m³.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AerosolMixture {
    /// Air entrained per kg of substance when the aerosol has evaporated, kg/kg.
    pub air_mass_ratio: f64,
    /// Temperature of the mixture, K.
    pub temperature_k: f64,
    /// Density of the mixture, kg/m³.
    pub density_kg_m3: f64,
    /// Mass fraction of the released substance in the mixture.
    pub substance_mass_fraction: f64,
}

impl AerosolMixture {
    /// Effective source for `substance` released with aerosol (liquid) fraction
    /// `liquid_fraction` ∈ [0, 1) of the airborne mass, into dry air at `ambient_temperature_k`
    /// and `ambient_pressure_pa`. Needs the substance's normal boiling point, heat of
    /// vaporisation, ideal-gas c_p, molar mass and vapour-pressure fit (typed error otherwise).
    /// `liquid_fraction = 0` gives the pure vapour at T_b (a = 0).
    pub fn new(
        substance: &Substance,
        liquid_fraction: f64,
        ambient_temperature_k: f64,
        ambient_pressure_pa: f64,
    ) -> Result<Self> {
        check::in_range("liquid_fraction", liquid_fraction, 0.0, 0.999)?;
        check::in_range("ambient_temperature_k", ambient_temperature_k, 150.0, 400.0)?;
        check::in_range("ambient_pressure_pa", ambient_pressure_pa, 1e4, 2e5)?;
        let tb = substance.normal_boiling_point_k()?;
        let hfg = substance.heat_of_vaporisation_j_kg()?;
        let cpg = substance.cp_gas_j_kg_k()?;
        let m = substance.molar_mass_kg_mol()?;
        let (ta, p) = (ambient_temperature_k, ambient_pressure_pa);
        if tb >= ta {
            return Err(QraError::invalid(
                "ambient_temperature_k",
                ta,
                format!("must exceed the boiling point {tb} K (the aerosol must evaporate)"),
            ));
        }
        let temp = |a: f64| {
            (a * AIR_CP_J_KG_K * ta + cpg * tb - liquid_fraction * hfg) / (a * AIR_CP_J_KG_K + cpg)
        };
        let state = |a: f64| -> Self {
            let t = temp(a);
            let n = 1.0 / m + a / AIR_MOLAR_MASS_KG_MOL;
            let m_mix = (1.0 + a) / n;
            AerosolMixture {
                air_mass_ratio: a,
                temperature_k: t,
                density_kg_m3: p * m_mix / (GAS_CONSTANT_J_MOL_K * t),
                substance_mass_fraction: 1.0 / (1.0 + a),
            }
        };
        if liquid_fraction == 0.0 {
            return Ok(state(0.0));
        }
        // g(a) = p_sat(T(a)) − y(a)·p: negative while liquid remains. Below the fit's range
        // (or below absolute zero for tiny a) liquid certainly remains.
        let g = |a: f64| -> f64 {
            let t = temp(a);
            let y = (1.0 / m) / (1.0 / m + a / AIR_MOLAR_MASS_KG_MOL);
            match substance.vapour_pressure_pa(t) {
                Ok(ps) if t > 0.0 => ps - y * p,
                _ => -p,
            }
        };
        let hi = 1e4;
        if g(hi) < 0.0 {
            return Err(QraError::invalid(
                "liquid_fraction",
                liquid_fraction,
                "the aerosol does not evaporate with up to 10⁴ kg air per kg",
            ));
        }
        let (_, hi) = numerics::bisect(
            0.0,
            hi,
            |a| g(a) < 0.0,
            |lo, hi| hi - lo < 1e-10 * hi.max(1.0),
            200,
        );
        Ok(state(hi))
    }
}

/// Access to the tabulated curves for the test suite.
#[cfg(test)]
pub(crate) mod tests_support {
    /// Continuous curves.
    pub fn continuous() -> &'static [super::Curve] {
        super::CONTINUOUS
    }
    /// Instantaneous curves.
    pub fn instantaneous() -> &'static [super::Curve] {
        super::INSTANTANEOUS
    }
}
