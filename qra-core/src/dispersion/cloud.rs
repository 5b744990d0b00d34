//! The ground-level cloud of a release as the risk engine samples it: the choice between the
//! passive Gaussian plume/puff and the Britter–McQuaid dense plume/cloud (workbook criterion), and
//! what each gives at a ground-level receptor — peak concentration, crosswind half-width of an
//! iso-concentration line and toxic lethality.
//!
//! # Model choice
//! * Continuous release: the Britter–McQuaid plume ([`BritterMcQuaidPlume`]) where the source
//!   gas is given and the workbook criterion classes the release dense, else the passive
//!   [`GaussianPlume`] at the release height.
//! * Instantaneous release: the Britter–McQuaid cloud ([`BritterMcQuaidPuff`], with its passive far
//!   field beyond the last nomogram curve) where dense by √(g₀'·V₀^{1/3})/u₁₀ ≥ 0.2, else the
//!   passive [`GaussianPuff`]. The dense cloud keeps the passive puff of the same release from the
//!   real source beside it: its toxic lethality is the envelope of the two (the hand-over to the
//!   far field matches the concentration, not the toxic load; see `validation/OPEN.md`).
//!
//! * With [`DenseGasModel::Slab`] (the engine's default since issue 17), a release classed dense
//!   by the same criterion uses the SLAB-class model instead: [`SlabPlume`] (continuous and
//!   finite duration; toxic load C^n·t of its plateau) or [`SlabPuff`] (instantaneous; toxic load
//!   ∫Cⁿdt over the passage of the puff, whose far field is the passive puff by construction, so
//!   no envelope is taken).
//!
//! Sources: Britter & McQuaid (1988), *Workbook on the dispersion of dense gases*, HSE CRR
//! 17/1988; Ermak (1990) UCRL-MA-105607 (SLAB, see [`super::slab`]); Gaussian models in
//! [`super::gaussian`].

use serde::{Deserialize, Serialize};

use super::dense::{AerosolMixture, BritterMcQuaidPlume, BritterMcQuaidPuff};
use super::gaussian::{GaussianPlume, GaussianPuff};
use super::slab::puff::SlabPuff;
use super::slab::{SlabAmbient, SlabColumn, SlabPlume, SlabSource, SlabSubstance};
use super::Atmosphere;
use crate::error::Result;
use crate::vulnerability::toxic::ToxicModel;

/// The model applied to releases classed dense (by the Britter–McQuaid criterion).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DenseGasModel {
    /// The SLAB-class integral model ([`SlabPlume`], [`SlabPuff`]), issue 17: the default. It
    /// passes the dense-gas gate FAC2 ≥ 0.3, |FB| ≤ 0.67 (Hanna & Chang 2012) on the LNG field
    /// trials (pooled with Desert Tortoise: n 45, FB 0.05, MG 1.11, FAC2 0.73) and follows SLAB
    /// itself within FAC2 0.97 on SLAB's own examples; it fails Desert Tortoise 4 as SLAB does
    /// (`validation/cases/slab-desert-tortoise/NOTES.md`). Not yet checked against a
    /// pressurised chlorine trial (see `validation/OPEN.md`).
    #[default]
    Slab,
    /// The Britter–McQuaid workbook ([`BritterMcQuaidPlume`], [`BritterMcQuaidPuff`]), kept as
    /// a named screening option (it over-predicts the LNG field trials about 2×,
    /// `validation/cases/dense-gas-field-trials`). Study-file name `"britter-mcquaid"`, as
    /// documented (kebab-case alone would make it `"britter-mc-quaid"`, still accepted).
    #[serde(rename = "britter-mcquaid", alias = "britter-mc-quaid")]
    BritterMcQuaid,
}

/// What the SLAB-class model needs besides the release: substance, ambient and the source
/// (rate/mass, temperature, aerosol fraction, exit velocity) as the caller resolved them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlabInputs {
    /// Released substance.
    pub substance: SlabSubstance,
    /// Ambient.
    pub ambient: SlabAmbient,
    /// Source (a continuous [`SlabSource::HorizontalJet`]/[`SlabSource::EvaporatingPool`] for
    /// [`GroundCloud::continuous_with`], [`SlabSource::Instantaneous`] for
    /// [`GroundCloud::instantaneous_with`]).
    pub source: SlabSource,
    /// End the steady plume's integration where the cloud can no longer reach this
    /// concentration, kg/m³ ([`SlabPlume::new_until`]; `None`: to 20 km). For a footprint that
    /// needs the cloud only above a level (a flash fire's LFL).
    pub stop_below_kg_m3: Option<f64>,
}

/// The gas leaving the source of a dense-gas candidate.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceGas {
    /// Pure gas of this density at ambient temperature, kg/m³.
    Pure {
        /// Density, kg/m³.
        density_kg_m3: f64,
    },
    /// An aerosol-laden mixture (flashing liquefied gas) after the aerosol has evaporated in air.
    Aerosol(AerosolMixture),
}

impl GroundCloud {
    /// The cloud of a continuous release of `rate_kg_s` for `duration_s` at `height_m` (see the
    /// module docs for the choice): dense when `gas` is given and the Britter–McQuaid criterion
    /// holds with ambient air of `rho_air_kg_m3` at `ambient_k`.
    ///
    /// # Errors
    /// Invalid model inputs.
    pub fn continuous(
        rate_kg_s: f64,
        duration_s: f64,
        height_m: f64,
        gas: Option<&SourceGas>,
        atm: Atmosphere,
        rho_air_kg_m3: f64,
        ambient_k: f64,
    ) -> Result<GroundCloud> {
        // Classified first: the Britter–McQuaid plume (its far-field matching a search along
        // the passive plume) is built only for a dense release.
        let dense =
            GroundCloud::continuous_is_dense(rate_kg_s, gas, atm, rho_air_kg_m3, ambient_k)?;
        let bm = match (gas, dense) {
            (Some(SourceGas::Pure { density_kg_m3 }), true) => {
                BritterMcQuaidPlume::new(rate_kg_s, *density_kg_m3, rho_air_kg_m3, atm)?
            }
            (Some(SourceGas::Aerosol(mix)), true) => {
                BritterMcQuaidPlume::aerosol_laden(rate_kg_s, mix, rho_air_kg_m3, ambient_k, atm)?
            }
            _ => {
                return Ok(GroundCloud::Plume(
                    GaussianPlume::new(rate_kg_s, height_m, atm)?,
                    duration_s,
                ))
            }
        };
        Ok(GroundCloud::Dense(Box::new(bm), duration_s))
    }

    /// Whether [`GroundCloud::continuous`] classes the release dense (the Britter–McQuaid
    /// criterion for `gas`; never without a source gas), without building the plume.
    ///
    /// # Errors
    /// Invalid model inputs, as [`GroundCloud::continuous`].
    pub fn continuous_is_dense(
        rate_kg_s: f64,
        gas: Option<&SourceGas>,
        atm: Atmosphere,
        rho_air_kg_m3: f64,
        ambient_k: f64,
    ) -> Result<bool> {
        match gas {
            Some(SourceGas::Pure { density_kg_m3 }) => {
                BritterMcQuaidPlume::classifies_dense(rate_kg_s, *density_kg_m3, rho_air_kg_m3, atm)
            }
            Some(SourceGas::Aerosol(mix)) => BritterMcQuaidPlume::aerosol_classifies_dense(
                rate_kg_s,
                mix,
                rho_air_kg_m3,
                ambient_k,
                atm,
            ),
            None => Ok(false),
        }
    }

    /// [`GroundCloud::continuous`], with the SLAB-class plume of `slab` replacing the
    /// Britter–McQuaid plume where the release is classed dense (`slab` = `None`: the
    /// workbook, as [`GroundCloud::continuous`]). The classification stays the workbook's.
    ///
    /// # Errors
    /// Invalid model inputs; a failed SLAB integration.
    #[allow(clippy::too_many_arguments)]
    pub fn continuous_with(
        rate_kg_s: f64,
        duration_s: f64,
        height_m: f64,
        gas: Option<&SourceGas>,
        atm: Atmosphere,
        rho_air_kg_m3: f64,
        ambient_k: f64,
        slab: Option<SlabInputs>,
    ) -> Result<GroundCloud> {
        match slab {
            // Classed dense: the SLAB-class plume, without building the Britter–McQuaid one.
            Some(s)
                if GroundCloud::continuous_is_dense(
                    rate_kg_s,
                    gas,
                    atm,
                    rho_air_kg_m3,
                    ambient_k,
                )? =>
            {
                Ok(GroundCloud::Slab(
                    Box::new(SlabPlume::new_until(
                        s.substance,
                        s.ambient,
                        s.source,
                        s.stop_below_kg_m3,
                    )?),
                    duration_s,
                ))
            }
            _ => GroundCloud::continuous(
                rate_kg_s,
                duration_s,
                height_m,
                gas,
                atm,
                rho_air_kg_m3,
                ambient_k,
            ),
        }
    }

    /// [`GroundCloud::instantaneous`], with the SLAB-class puff of `slab` replacing the
    /// Britter–McQuaid cloud where the release is classed dense.
    ///
    /// # Errors
    /// Invalid model inputs; a failed SLAB integration.
    pub fn instantaneous_with(
        mass_kg: f64,
        height_m: f64,
        gas: Option<&SourceGas>,
        atm: Atmosphere,
        rho_air_kg_m3: f64,
        ambient_k: f64,
        slab: Option<SlabInputs>,
    ) -> Result<GroundCloud> {
        let c = GroundCloud::instantaneous(mass_kg, height_m, gas, atm, rho_air_kg_m3, ambient_k)?;
        match (c, slab) {
            (GroundCloud::DensePuff(..), Some(s)) => Ok(GroundCloud::SlabPuff(Box::new(
                SlabPuff::new(s.substance, s.ambient, s.source)?,
            ))),
            (c, _) => Ok(c),
        }
    }

    /// The cloud of an instantaneous release of `mass_kg` (airborne) at `height_m` (see the
    /// module docs for the choice).
    ///
    /// # Errors
    /// Invalid model inputs.
    pub fn instantaneous(
        mass_kg: f64,
        height_m: f64,
        gas: Option<&SourceGas>,
        atm: Atmosphere,
        rho_air_kg_m3: f64,
        ambient_k: f64,
    ) -> Result<GroundCloud> {
        let u10 = atm.wind_speed_m_s;
        let dense = match gas {
            Some(SourceGas::Pure { density_kg_m3 }) => Some(BritterMcQuaidPuff::new(
                mass_kg,
                *density_kg_m3,
                rho_air_kg_m3,
                u10,
            )?),
            Some(SourceGas::Aerosol(mix)) => Some(BritterMcQuaidPuff::aerosol_laden(
                mass_kg,
                mix,
                rho_air_kg_m3,
                ambient_k,
                u10,
            )?),
            None => None,
        };
        Ok(match dense.filter(|p| p.dense) {
            Some(bm) => GroundCloud::DensePuff(
                Box::new(bm.with_passive_far_field(atm)?),
                Box::new(GaussianPuff::new(mass_kg, height_m, None, atm)?),
            ),
            None => GroundCloud::Puff(GaussianPuff::new(mass_kg, height_m, None, atm)?),
        })
    }

    /// Whether a dense-gas model (Britter–McQuaid or SLAB-class) was chosen.
    pub fn is_dense(&self) -> bool {
        matches!(
            self,
            GroundCloud::Dense(..)
                | GroundCloud::DensePuff(..)
                | GroundCloud::Slab(..)
                | GroundCloud::SlabPuff(..)
        )
    }
}

/// Ground-level field of a release: the concentration-like quantity the effect is computed from.
pub enum GroundCloud {
    /// Passive Gaussian plume (continuous release) and the release duration, s.
    Plume(GaussianPlume, f64),
    /// Passive Gaussian puff (instantaneous release).
    Puff(GaussianPuff),
    /// Dense continuous plume (Britter–McQuaid) and the release duration, s.
    Dense(Box<BritterMcQuaidPlume>, f64),
    /// Dense instantaneous cloud (Britter–McQuaid), with its passive far field, and the passive
    /// Gaussian puff of the same release from the real source: toxic lethality is the envelope
    /// (the more severe) of the two, see [`GroundCloud::toxic_lethality`].
    DensePuff(Box<BritterMcQuaidPuff>, Box<GaussianPuff>),
    /// Dense continuous or finite-duration plume, SLAB-class model, and the release duration, s.
    Slab(Box<SlabPlume>, f64),
    /// Dense instantaneous cloud, SLAB-class transient puff (its far field is the passive puff
    /// by construction, so no envelope is needed).
    SlabPuff(Box<SlabPuff>),
}

/// Crosswind half-width of the iso-line `c` of a ground-level field `peak(y)` decreasing in |y|:
/// bisection (60 halvings) after doubling from 1 m (capped at 50 km).
fn iso_half_width(peak: impl Fn(f64) -> f64, c: f64) -> f64 {
    if peak(0.0) <= c {
        return 0.0;
    }
    let above = |y: f64| peak(y) >= c;
    let hi = crate::numerics::expand_upper(1.0, above, 50_000.0);
    crate::numerics::bisect(0.0, hi, above, crate::numerics::never, 60).1
}

/// The toxic load Cⁿ·min(T, cap) of a plateau of concentration `c` (kg/m³) lasting `dur` (s),
/// in the probit's units (0 for c or t ≤ 0).
fn plume_load(m: &ToxicModel, c: f64, dur: f64, exposure_cap_s: f64) -> f64 {
    let t = dur.min(exposure_cap_s);
    if c > 0.0 && t > 0.0 {
        m.to_probit_concentration(c).powf(m.probit.n) * m.to_probit_time(t)
    } else {
        0.0
    }
}

/// One crosswind column x = const of a [`GroundCloud`] ([`GroundCloud::column`]): what
/// depends on x alone is evaluated once (for the SLAB plume, its [`SlabColumn`]), so sampling
/// many y at the same x — the footprint rasters and iso-line searches — costs a crosswind
/// profile per receptor. Every method equals the [`GroundCloud`] method of the same name at
/// (x, y), bit for bit.
#[derive(Clone, Copy)]
pub enum CloudColumn<'a> {
    /// A SLAB plume column (`None`: 0 at every y) and the release duration, s.
    Slab(Option<SlabColumn>, f64),
    /// Any other cloud, evaluated at (x, y).
    Other(&'a GroundCloud, f64),
}

/// A SLAB column's concentration at `y` by `conc` (exact or tabulated), kg/m³: 0 for no
/// column or a NaN `y`.
fn slab_column_at(c: &Option<SlabColumn>, y: f64, conc: impl Fn(&SlabColumn, f64) -> f64) -> f64 {
    match c {
        Some(c) if !y.is_nan() => conc(c, y),
        _ => 0.0,
    }
}

impl CloudColumn<'_> {
    /// [`GroundCloud::peak_kg_m3`] at (x, y).
    pub fn peak_kg_m3(&self, y: f64) -> f64 {
        match self {
            CloudColumn::Slab(c, _) => slab_column_at(c, y, SlabColumn::concentration_kg_m3),
            CloudColumn::Other(g, x) => g.peak_kg_m3(*x, y),
        }
    }

    /// [`GroundCloud::toxic_lethality`] at (x, y).
    pub fn toxic_lethality(&self, m: &ToxicModel, y: f64, exposure_cap_s: f64) -> f64 {
        match self {
            CloudColumn::Slab(_, dur) => {
                m.probability_constant(self.peak_kg_m3(y), *dur, exposure_cap_s)
            }
            CloudColumn::Other(g, x) => g.toxic_lethality(m, *x, y, exposure_cap_s),
        }
    }

    /// [`Self::toxic_lethality`] for the footprint rasters: for a SLAB plume with the
    /// concentration and Φ from tables ([`SlabColumn::concentration_tabulated_kg_m3`],
    /// [`crate::vulnerability::probit_to_probability_tabulated`]; on the sample park's toxic
    /// plumes within 1.1·10⁻⁸ relative of [`Self::toxic_lethality`] where P ≥ 10⁻⁶ and
    /// 2.5·10⁻¹⁰ absolute, test `tabulated_toxic_column_matches_the_exact_one`); other clouds
    /// exactly as [`Self::toxic_lethality`].
    pub fn toxic_lethality_tabulated(&self, m: &ToxicModel, y: f64, exposure_cap_s: f64) -> f64 {
        match self {
            CloudColumn::Slab(c, dur) => {
                let conc = slab_column_at(c, y, SlabColumn::concentration_tabulated_kg_m3);
                crate::vulnerability::probit_to_probability_tabulated(m.probit_constant(
                    conc,
                    *dur,
                    exposure_cap_s,
                ))
            }
            CloudColumn::Other(..) => self.toxic_lethality(m, y, exposure_cap_s),
        }
    }

    /// [`GroundCloud::toxic_load`] at (x, y).
    pub fn toxic_load(&self, m: &ToxicModel, y: f64, exposure_cap_s: f64) -> f64 {
        match self {
            CloudColumn::Slab(_, dur) => plume_load(m, self.peak_kg_m3(y), *dur, exposure_cap_s),
            CloudColumn::Other(g, x) => g.toxic_load(m, *x, y, exposure_cap_s),
        }
    }
}

/// Lethality of a passing ground-level passive puff whose centre is at `x` (σ frozen there): the
/// toxic load of a Gaussian pulse, L = C_max^n · (σ_x/u) · √(2π/n).
pub fn passive_puff_lethality(m: &ToxicModel, p: &GaussianPuff, x: f64, y: f64) -> f64 {
    crate::vulnerability::probit_to_probability(m.probit_from_load(passive_puff_load(m, p, x, y)))
}

/// The toxic load of [`passive_puff_lethality`] in the probit's units (0 where the puff does
/// not reach).
pub fn passive_puff_load(m: &ToxicModel, p: &GaussianPuff, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let c = p.concentration(x, y, 0.0, x / p.transport_speed_m_s);
    if c <= 0.0 {
        return 0.0;
    }
    let (sx, _) = p.atmosphere.sigmas(x);
    let n = m.probit.n;
    let passage_s = sx / p.transport_speed_m_s * (2.0 * std::f64::consts::PI / n).sqrt();
    m.to_probit_concentration(c).powf(n) * m.to_probit_time(passage_s)
}

impl GroundCloud {
    /// Peak ground-level concentration at (x, y), kg/m³.
    pub fn peak_kg_m3(&self, x: f64, y: f64) -> f64 {
        match self {
            GroundCloud::Plume(p, _) => p.concentration(x, y, 0.0),
            GroundCloud::Puff(p) => {
                if x <= 0.0 {
                    return 0.0;
                }
                p.concentration(x, y, 0.0, x / p.transport_speed_m_s)
            }
            GroundCloud::Dense(p, _) => p.concentration_kg_m3(x, y, 0.0),
            GroundCloud::Slab(p, _) => p.concentration_kg_m3(x, y, 0.0),
            GroundCloud::SlabPuff(p) => p.peak_kg_m3(x, y, 0.0),
            GroundCloud::DensePuff(p, _) => match &p.far_field {
                Some(ff) if x > ff.last_curve_m => {
                    let xp = x - ff.virtual_offset_m;
                    ff.passive
                        .concentration(xp, y, 0.0, xp / ff.passive.transport_speed_m_s)
                }
                // Top-hat cloud of radius R(x) on its path.
                _ if y.abs() < p.cloud_radius_m(x) => p.max_concentration_kg_m3(x),
                _ => 0.0,
            },
        }
    }

    /// The crosswind column at `x` ([`CloudColumn`]).
    pub fn column(&self, x: f64) -> CloudColumn<'_> {
        match self {
            GroundCloud::Slab(p, dur) => CloudColumn::Slab(p.column(x, 0.0), *dur),
            _ => CloudColumn::Other(self, x),
        }
    }

    /// Crosswind half-width of the iso-line `c` at x (bounded search for the puff).
    pub fn half_width_m(&self, x: f64, c: f64) -> f64 {
        match self {
            GroundCloud::Slab(p, _) => p.column(x, 0.0).map_or(0.0, |col| col.half_width_m(c)),
            GroundCloud::SlabPuff(..) => iso_half_width(|y| self.peak_kg_m3(x, y), c),
            GroundCloud::Plume(p, _) => p.half_width(x, 0.0, c),
            GroundCloud::Puff(p) => {
                let c0 = self.peak_kg_m3(x, 0.0);
                if c0 <= c {
                    return 0.0;
                }
                let (sy, _) = p.atmosphere.sigmas(x);
                sy * (2.0 * (c0 / c).ln()).sqrt()
            }
            GroundCloud::Dense(p, _) => {
                let c0 = self.peak_kg_m3(x, 0.0);
                if c0 <= c {
                    return 0.0;
                }
                // Gaussian crosswind profile with σ = L_H/2.15 (see `BritterMcQuaidPlume`).
                p.half_width_m(x) / 2.15 * (2.0 * (c0 / c).ln()).sqrt()
            }
            GroundCloud::DensePuff(p, _) => {
                let c0 = self.peak_kg_m3(x, 0.0);
                if c0 <= c {
                    return 0.0;
                }
                match &p.far_field {
                    Some(ff) if x > ff.last_curve_m => {
                        let (sy, _) = ff.passive.atmosphere.sigmas(x - ff.virtual_offset_m);
                        sy * (2.0 * (c0 / c).ln()).sqrt()
                    }
                    _ => p.cloud_radius_m(x),
                }
            }
        }
    }

    /// Outdoor toxic lethality at ground point (x, y) under the exposure cap `exposure_cap_s`:
    /// plumes by the probit of C^n·t for the release duration (capped), passive puffs by the
    /// Gaussian-pulse load ([`passive_puff_lethality`]), the dense cloud by the envelope
    /// described on [`GroundCloud::DensePuff`].
    pub fn toxic_lethality(&self, m: &ToxicModel, x: f64, y: f64, exposure_cap_s: f64) -> f64 {
        match self {
            GroundCloud::Plume(p, dur) => {
                m.probability_constant(p.concentration(x, y, 0.0), *dur, exposure_cap_s)
            }
            GroundCloud::Dense(p, dur) => {
                m.probability_constant(p.concentration_kg_m3(x, y, 0.0), *dur, exposure_cap_s)
            }
            GroundCloud::Puff(p) => passive_puff_lethality(m, p, x, y),
            // Continuous/finite SLAB plume: the steady concentration (with the finite-duration
            // factor) for the release duration, capped — the dose C^n·t of a plateau.
            GroundCloud::Slab(p, dur) => {
                m.probability_constant(p.concentration_kg_m3(x, y, 0.0), *dur, exposure_cap_s)
            }
            // SLAB puff: the toxic load ∫Cⁿdt over the passage (dose, not peak).
            GroundCloud::SlabPuff(_) => crate::vulnerability::probit_to_probability(
                m.probit_from_load(self.toxic_load(m, x, y, exposure_cap_s)),
            ),
            // Envelope of the dense cloud and the passive puff from the real source. The dense
            // cloud's hand-over to its passive far field matches the concentration but not the
            // exposure time, so on its own its lethality drops at the last curve (sample park,
            // 10.6 t chlorine, F 1.5 m/s: 0.38 → 0.009 at x_L = 1.42 km) far below the passive
            // puff's (1 % lethality reach 6.6 km). Until the hand-over conserves the toxic load,
            // the engine takes the more severe of the two at every point (conservative; never
            // below the passive result that the engine used before the dense wiring).
            GroundCloud::DensePuff(p, src) => {
                let dense = match &p.far_field {
                    Some(ff) if x > ff.last_curve_m => {
                        passive_puff_lethality(m, &ff.passive, x - ff.virtual_offset_m, y)
                    }
                    // Top-hat cloud: the workbook's maximum concentration for the passage time
                    // of the cloud chord over the receptor (capped like every toxic exposure).
                    _ => {
                        let (c, t) = (self.peak_kg_m3(x, y), p.passage_time_s(x, y));
                        if c <= 0.0 || t <= 0.0 {
                            0.0
                        } else {
                            m.probability_constant(c, t, exposure_cap_s)
                        }
                    }
                };
                dense.max(passive_puff_lethality(m, src, x, y))
            }
        }
    }

    /// The toxic load L = ∫Cⁿdt at ground point (x, y) in the probit's units (e.g. (mg/m³)ⁿ·min),
    /// with the same exposure rules as [`GroundCloud::toxic_lethality`] (plumes: Cⁿ times the
    /// duration capped at `exposure_cap_s`; puffs: the Gaussian-pulse load; the dense cloud: the
    /// larger of the dense and passive loads, the envelope of the lethalities since the probit is
    /// monotone in L). Loads of successive or superposed exposures add (the toxic-load model,
    /// ten Berge et al. 1986; CPR 18E eq. 5.1 integrates Cⁿ over the exposure), which is how
    /// [`crate::risk::consequence`] combines the airborne release with its pool's vapour.
    pub fn toxic_load(&self, m: &ToxicModel, x: f64, y: f64, exposure_cap_s: f64) -> f64 {
        let plume = |c: f64, dur: f64| plume_load(m, c, dur, exposure_cap_s);
        match self {
            GroundCloud::Plume(p, dur) => plume(p.concentration(x, y, 0.0), *dur),
            GroundCloud::Dense(p, dur) => plume(p.concentration_kg_m3(x, y, 0.0), *dur),
            GroundCloud::Puff(p) => passive_puff_load(m, p, x, y),
            GroundCloud::DensePuff(p, src) => {
                let dense = match &p.far_field {
                    Some(ff) if x > ff.last_curve_m => {
                        passive_puff_load(m, &ff.passive, x - ff.virtual_offset_m, y)
                    }
                    _ => plume(self.peak_kg_m3(x, y), p.passage_time_s(x, y)),
                };
                dense.max(passive_puff_load(m, src, x, y))
            }
            GroundCloud::Slab(p, dur) => plume(p.concentration_kg_m3(x, y, 0.0), *dur),
            // The load ∫Cⁿdt over the passage, as in [`GroundCloud::toxic_lethality`].
            GroundCloud::SlabPuff(p) => {
                let n = m.probit.n;
                p.passage_integral(x, y, |c| m.to_probit_concentration(c).powf(n))
                    * m.to_probit_time(1.0)
            }
        }
    }
}
