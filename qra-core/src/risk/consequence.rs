//! Wiring of the physical outcome kinds of a study into the consequence models: each
//! (event, outcome, weather class) becomes one [`Footprint`] in the outcome's own frame
//! (x downwind, y crosswind, m), sampled **once** into a [`Shape::Radial`] (isotropic fires and
//! explosions) or a [`Shape::Directional`] raster (plumes, clouds, wind-tilted flames); the engine
//! then reuses it for every wind direction.
//!
//! # Models and choices (defaults; each documented where it is used)
//! * **Source term** (when the outcome gives no `release_rate_kg_s`): the event's hole diameter
//!   with the installation's phase, pressure and temperature — gas: [`source::gas_discharge`]
//!   (C_d = 0.62); liquefied gas: [`source::two_phase_discharge`] (Fauske ERM, C_d = 0.62) with
//!   the airborne fraction 2·flash (CCPS 1999 §2.1.2.2, [M]) dispersing; liquid: Bernoulli
//!   [`source::liquid_discharge`] — liquid pools disperse only through evaporation, which is not
//!   wired yet: a liquid release without `release_rate_kg_s` is refused with a "not yet" error.
//!   `continuous-10min` releases the inventory in 600 s; instantaneous releases the inventory.
//!   Release duration = min(inventory / rate, event or isolation duration, 1800 s).
//! * **Toxic**: passive Gaussian plume (Briggs rural σ, ground-level receptors) for continuous
//!   releases, exposure = release duration capped at 30 min (AQ/T 3046); instantaneous releases
//!   use the Gaussian puff with the toxic load of a Gaussian pulse passing a receptor,
//!   L = C_max^n · (σ_x/u) · √(2π/n) (σ frozen at the puff-centre distance). **Dense gas**
//!   (continuous releases): the source gas is the pure gas at ambient temperature (gas phase) or
//!   the aerosol-laden mixture after the aerosol has evaporated in air
//!   ([`disp::AerosolMixture`], liquefied gas: aerosol = airborne − flash); where the
//!   Britter–McQuaid criterion classes it dense, the workbook plume
//!   ([`disp::BritterMcQuaidPlume`], ground level, Gaussian crosswind profile) replaces the
//!   passive plume. Instantaneous releases classed dense by the workbook criterion
//!   √(g₀'·V₀^{1/3})/u₁₀ ≥ 0.2 use the workbook cloud ([`disp::BritterMcQuaidPuff`]): the
//!   nomogram's maximum concentration over a top-hat cloud of radius R(x) (gravity slumping,
//!   advected at 0.4·u₁₀), exposure = passage time of the cloud chord over the receptor (capped
//!   at 30 min); beyond the last curve (Cm/C₀ = 0.001) a passive Gaussian puff from a matched
//!   virtual source takes over.
//!   The cloud's hand-over matches the peak concentration, not the exposure time, so on its own
//!   its lethality drops at x_L (sample park, 10.6 t airborne chlorine, F 1.5 m/s: 0.38 just
//!   before x_L = 1.42 km, 0.009 just after, where the passive puff alone still gives P = 1 % at
//!   6.6 km). Until the hand-over conserves the toxic load, the toxic lethality of an
//!   instantaneous dense release is the **envelope** (pointwise maximum) of the dense cloud and
//!   the passive puff from the real source: never below the passive result, higher where the
//!   slumping cloud is more severe (wide, slow cloud near the source).
//! * **Flash fire**: lethality 1 inside the LFL envelope of the same plume/puff (Purple Book),
//!   LFL converted to kg/m³ at 20 °C, 1 atm — the Britter–McQuaid plume/cloud where the release is
//!   classed dense, as for toxic releases.
//! * **Jet fire**: [`JetFire`] (AQ/T 3046 flame length, point-source radiation), release height
//!   1 m, radiant fraction 0.2 [M]; the outcome's `orientation`: horizontal (default) aimed
//!   downwind (a directional footprint that turns with the wind; qra's convention, not a cited
//!   rule) or vertical (a radially symmetric footprint).
//! * **Pool fire**: [`PoolFireSpec::from_substance`] with the given diameter or the steady-state
//!   diameter for the leak rate, tilted by the 10 m wind.
//! * **Fireball**: [`Fireball`] (CCPS correlations), radiant fraction 0.3 [M], isotropic.
//! * **Thermal lethality**: the study's thermal rule (Purple Book 35 kW/m² or AQ/T 3046
//!   37.5 kW/m², Tsao–Perry probit, exposure ≤ 20 s).
//! * **VCE**: by default TNT equivalence [`TntBlast`] with yield η = 0.03 [M] of the flammable
//!   mass (given, or between LFL and UFL in the plume, or the airborne inventory). With
//!   `model = "multi-energy"` the TNO multi-energy curves [`MultiEnergy`] of the outcome's
//!   `strength` (1–10), with energy E = V·3.5 MJ/m³ of the congested volume `confined_volume_m3`
//!   (AQ/T 3046 eq. E.60 [S]) or, without a volume, the combustion energy m·ΔH_c of the whole
//!   flammable mass (the cloud treated as one blast source — conservative). With `model = "bst"`
//!   the Baker–Strehlow–Tang curves [`BakerStrehlowTang`] of the flame Mach number `flame_mach`
//!   (or the flame-speed table's value for `reactivity`, `congestion`, `confinement`,
//!   Pierorazio et al. 2005 [S]), with the same energy doubled for ground reflection
//!   ([`BST_GROUND_REFLECTION`]). Every blast is centred at the release point; lethality by the Purple Book overpressure rule (≥ 30 kPa: 1;
//!   10–30 kPa: 0.025 indoors).
//!
//! Everything below the culling threshold [`P_MIN`] counts as 0.

use super::footprint::{
    DirectionalTable, Footprint, Hazard, RadialTable, Shape, VulnerabilityRules,
};
use super::scenario::ScenarioContext;
use super::study::{
    JetOrientation, OutcomeSpec, Phase, ReleaseKind, Stability, VceModel, WeatherClass,
};
use crate::constants::{GAS_CONSTANT_J_MOL_K, STANDARD_PRESSURE_PA};
use crate::dispersion::outputs::{distance_to, plume_flammable_mass};
use crate::dispersion::{
    self as disp, Atmosphere, BritterMcQuaidPlume, BritterMcQuaidPuff, GaussianPlume, GaussianPuff,
    SigmaScheme, Terrain,
};
use crate::error::{QraError, Result};
use crate::explosion::{
    bst_flame_mach, tnt_mass_vce_kg, BakerStrehlowTang, MultiEnergy, TntBlast,
    BST_GROUND_REFLECTION,
};
use crate::fire::{
    Fireball, HeatSource, JetFire, PoolFire, PoolFireSpec, Receiver, Transmissivity,
};
use crate::numerics;
use crate::source;
use crate::substance::{PhysicalState, Substance};
use crate::vulnerability::blast::BlastRule;
use crate::vulnerability::thermal::ThermalRule;
use crate::vulnerability::toxic::ToxicModel;

/// Lethality below which a footprint is treated as 0 (culling threshold).
pub const P_MIN: f64 = 1e-6;
/// Ambient temperature of the wiring, K (20 °C).
const AMBIENT_K: f64 = 293.15;
/// Discharge coefficient for holes (Purple Book / Yellow Book practice 0.62 [M]).
const CD: f64 = 0.62;
/// Release-duration cap, s.
const DURATION_CAP_S: f64 = 1800.0;
/// Toxic exposure cap, s (AQ/T 3046: 30 min [S]).
const EXPOSURE_CAP_S: f64 = 1800.0;
/// Radiant fraction of jet fires [M] (typical 0.15–0.3, API 521).
const JET_RADIANT_FRACTION: f64 = 0.2;
/// Radiant fraction of fireballs [M] (CCPS: 0.25–0.4).
const FIREBALL_RADIANT_FRACTION: f64 = 0.3;
/// VCE explosion yield η [M] (CCPS 2010 / Yellow Book: 0.03–0.04 for hydrocarbons).
const VCE_YIELD: f64 = 0.03;
/// Samples along x and y of directional rasters.
const NX: usize = 160;
const NY: usize = 81;
/// Samples of radial tables.
const NR: usize = 200;

fn atmosphere(w: &WeatherClass) -> Result<Atmosphere> {
    let s = match w.stability {
        Stability::A => disp::Stability::A,
        Stability::B => disp::Stability::B,
        Stability::C => disp::Stability::C,
        Stability::D => disp::Stability::D,
        Stability::E => disp::Stability::E,
        Stability::F => disp::Stability::F,
    };
    Atmosphere::new(w.wind_speed_m_s, s, Terrain::Rural, SigmaScheme::Briggs)
}

fn phase(ctx: &ScenarioContext<'_>) -> Phase {
    ctx.installation.phase.unwrap_or(match ctx.substance.state {
        PhysicalState::Gas => Phase::Gas,
        PhysicalState::Liquefied => Phase::TwoPhase,
        _ => Phase::Liquid,
    })
}

/// A resolved release: airborne rate (continuous) or airborne mass (instantaneous), duration.
#[derive(Debug, Clone, Copy)]
enum Release {
    Continuous { rate_kg_s: f64, duration_s: f64 },
    Instantaneous { mass_kg: f64 },
}

/// Airborne fraction of a release of the installation's phase (1 for gas; 2·flash capped at 1
/// for liquefied gas; 0 for a sub-cooled liquid).
fn airborne_fraction(ctx: &ScenarioContext<'_>, s: &Substance) -> Result<f64> {
    match phase(ctx) {
        Phase::Gas => Ok(1.0),
        Phase::TwoPhase => {
            let t = ctx.installation.temperature_k.unwrap_or(AMBIENT_K);
            let f = source::flash_fraction(
                t,
                s.normal_boiling_point_k()?,
                s.cp_liquid_j_kg_k()?,
                s.heat_of_vaporisation_j_kg()?,
            )?;
            Ok(source::airborne_fraction(f)?.0)
        }
        Phase::Liquid => Ok(0.0),
    }
}

fn release(
    ctx: &ScenarioContext<'_>,
    given_rate: Option<f64>,
    given_duration: Option<f64>,
) -> Result<Release> {
    let inst = ctx.installation;
    let s = ctx.substance;
    let kind = ctx.event.release.unwrap_or(ReleaseKind::Hole);
    let duration = |rate: f64| -> Result<f64> {
        let iso = given_duration.or(ctx.duration_s);
        source::release_duration_s(inst.inventory_kg, rate, iso, DURATION_CAP_S)
    };
    if let Some(r) = given_rate {
        return Ok(Release::Continuous {
            rate_kg_s: r,
            duration_s: duration(r)?,
        });
    }
    let airborne = airborne_fraction(ctx, s)?;
    match kind {
        ReleaseKind::Instantaneous => {
            if airborne <= 0.0 {
                return Err(QraError::not_yet(
                    "instantaneous release of a non-flashing liquid: pool evaporation is not wired into the risk engine yet; give release_rate_kg_s",
                ));
            }
            Ok(Release::Instantaneous {
                mass_kg: inst.inventory_kg * airborne,
            })
        }
        ReleaseKind::Continuous10Min => {
            let r = inst.inventory_kg / 600.0 * airborne;
            if r <= 0.0 {
                return Err(QraError::not_yet(
                    "10-min release of a non-flashing liquid: give release_rate_kg_s",
                ));
            }
            Ok(Release::Continuous {
                rate_kg_s: r,
                duration_s: given_duration
                    .or(ctx.duration_s)
                    .unwrap_or(600.0)
                    .min(600.0),
            })
        }
        ReleaseKind::Hole | ReleaseKind::Rupture | ReleaseKind::Continuous => {
            let d_mm = ctx.event.hole_diameter_mm.ok_or_else(|| {
                QraError::invalid(
                    format!("events['{}'].hole_diameter_mm", ctx.event.id),
                    "missing",
                    "needed to compute the release rate (or give release_rate_kg_s in the outcome)",
                )
            })?;
            let area = source::hole_area_m2(d_mm / 1000.0);
            let t = inst.temperature_k.unwrap_or(AMBIENT_K);
            let rate = match phase(ctx) {
                Phase::Gas => {
                    let p = inst.pressure_pa.ok_or_else(|| {
                        QraError::invalid(format!("installations['{}'].pressure_pa", inst.id), "missing", "needed for a gas release")
                    })?;
                    source::gas_discharge(area, p, t, s.molar_mass_kg_mol()?, s.heat_capacity_ratio()?, STANDARD_PRESSURE_PA, CD)?.rate_kg_s
                }
                Phase::TwoPhase => {
                    let psat = s.vapour_pressure_pa(t)?;
                    let p = inst.pressure_pa.unwrap_or(psat).max(psat);
                    source::two_phase_discharge(
                        area,
                        t,
                        p,
                        psat,
                        s.liquid_density_kg_m3()?,
                        s.heat_of_vaporisation_j_kg()?,
                        s.cp_liquid_j_kg_k()?,
                        s.molar_mass_kg_mol()?,
                        s.normal_boiling_point_k()?,
                        CD,
                    )?
                    .rate_kg_s
                        * airborne
                }
                Phase::Liquid => {
                    return Err(QraError::not_yet(
                        "liquid release: pool evaporation is not wired into the risk engine yet; give release_rate_kg_s",
                    ))
                }
            };
            Ok(Release::Continuous {
                rate_kg_s: rate,
                duration_s: duration(rate)?,
            })
        }
    }
}

/// Samples `f(x, y)` on a local raster of NX × NY nodes covering x ∈ [x0, x1], y ∈ [−w, w].
fn directional(f: impl Fn(f64, f64) -> f64, x0: f64, x1: f64, half_width: f64) -> Result<Shape> {
    directional_n(f, x0, x1, half_width, NX, NY)
}

/// [`directional`] with an explicit raster size (`ny` odd). Every footprint wired here is
/// symmetric about the downwind axis (plumes, clouds, downwind jets, wind-tilted pools), so only
/// the rows y ≤ 0 are evaluated and mirrored.
fn directional_n(
    f: impl Fn(f64, f64) -> f64,
    x0: f64,
    x1: f64,
    half_width: f64,
    nx: usize,
    ny: usize,
) -> Result<Shape> {
    debug_assert!(ny % 2 == 1);
    let x1 = x1.max(x0 + 1.0);
    let w = half_width.max(0.5);
    let dx = (x1 - x0) / (nx - 1) as f64;
    let dy = 2.0 * w / (ny - 1) as f64;
    let mut v = vec![0.0; nx * ny];
    for j in 0..=ny / 2 {
        let y = -w + j as f64 * dy;
        for i in 0..nx {
            let p = f(x0 + i as f64 * dx, y);
            let p = if p >= P_MIN { p.min(1.0) } else { 0.0 };
            v[j * nx + i] = p;
            v[(ny - 1 - j) * nx + i] = p;
        }
    }
    Ok(Shape::Directional(DirectionalTable::new(
        x0, -w, dx, dy, nx, ny, v,
    )?))
}

/// Samples an isotropic lethality `f(r)` on [0, reach].
fn radial(f: impl Fn(f64) -> f64, reach: f64) -> Result<Shape> {
    let reach = reach.max(1.0);
    let d: Vec<f64> = (0..NR)
        .map(|i| reach * i as f64 / (NR - 1) as f64)
        .collect();
    let p: Vec<f64> = d
        .iter()
        .map(|&r| {
            let p = f(r);
            if p >= P_MIN {
                p.min(1.0)
            } else {
                0.0
            }
        })
        .collect();
    Ok(Shape::Radial(RadialTable::new(d, p)?))
}

fn lfl_kg_m3(s: &Substance, upper: bool) -> Result<f64> {
    let frac = if upper {
        s.ufl_vol_frac()?
    } else {
        s.lfl_vol_frac()?
    };
    Ok(frac * STANDARD_PRESSURE_PA * s.molar_mass_kg_mol()? / (GAS_CONSTANT_J_MOL_K * AMBIENT_K))
}

/// Ground-level field of a release: the concentration-like quantity the effect is computed from.
enum Cloud {
    Plume(GaussianPlume, f64),
    Puff(GaussianPuff),
    /// Dense continuous plume (Britter–McQuaid) and the release duration, s.
    Dense(Box<BritterMcQuaidPlume>, f64),
    /// Dense instantaneous cloud (Britter–McQuaid), with its passive far field, and the passive
    /// Gaussian puff of the same release from the real source: toxic lethality is the envelope
    /// (the more severe) of the two, see [`Cloud::lethality_toxic`].
    DensePuff(Box<BritterMcQuaidPuff>, Box<GaussianPuff>),
}

/// Lethality of a passing ground-level passive puff whose centre is at `x` (σ frozen there): the
/// toxic load of a Gaussian pulse, L = C_max^n · (σ_x/u) · √(2π/n).
fn passive_puff_lethality(m: &ToxicModel, p: &GaussianPuff, x: f64, y: f64) -> f64 {
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
    let load = m.to_probit_concentration(c).powf(n) * m.to_probit_time(passage_s);
    crate::vulnerability::probit_to_probability(m.probit_from_load(load))
}

/// Source gas of a dense-gas candidate: pure gas at ambient temperature (density, kg/m³) or an
/// aerosol-laden mixture after evaporation.
enum DenseSource {
    Pure(f64),
    Aerosol(disp::AerosolMixture),
}

/// Source gas of the Britter–McQuaid wiring, or `None` when the installation is not a dense-gas
/// candidate (or the substance lacks the data to decide). Pure gas at ambient temperature for a
/// gas-phase installation; for a flashing liquefied gas the airborne mass with aerosol fraction
/// 1 − flash/airborne, evaporated by adiabatic mixing with air ([`disp::AerosolMixture`]).
/// Liquid (non-flashing) sources are not dense-gas candidates.
fn dense_source(ctx: &ScenarioContext<'_>) -> Result<Option<DenseSource>> {
    let s = ctx.substance;
    Ok(match phase(ctx) {
        Phase::Gas => Some(DenseSource::Pure(
            STANDARD_PRESSURE_PA * s.molar_mass_kg_mol()? / (GAS_CONSTANT_J_MOL_K * AMBIENT_K),
        )),
        Phase::TwoPhase => {
            let t = ctx.installation.temperature_k.unwrap_or(AMBIENT_K);
            let (Ok(tb), Ok(cp), Ok(hfg)) = (
                s.normal_boiling_point_k(),
                s.cp_liquid_j_kg_k(),
                s.heat_of_vaporisation_j_kg(),
            ) else {
                return Ok(None);
            };
            if tb >= AMBIENT_K {
                return Ok(None);
            }
            let flash = source::flash_fraction(t, tb, cp, hfg)?;
            let airborne = source::airborne_fraction(flash)?.0;
            if airborne <= 0.0 {
                return Ok(None);
            }
            let liquid = (1.0 - flash / airborne).clamp(0.0, 0.99);
            match disp::AerosolMixture::new(s, liquid, AMBIENT_K, STANDARD_PRESSURE_PA) {
                Ok(mix) => Some(DenseSource::Aerosol(mix)),
                // Missing substance data (c_p gas, vapour pressure): stay passive.
                Err(QraError::InvalidInput { value, .. }) if value == "missing" => None,
                Err(e) => return Err(e),
            }
        }
        Phase::Liquid => None,
    })
}

/// Ambient air density of the wiring (20 °C, 1 atm), kg/m³.
fn air_density() -> f64 {
    STANDARD_PRESSURE_PA * crate::constants::AIR_MOLAR_MASS_KG_MOL
        / (GAS_CONSTANT_J_MOL_K * AMBIENT_K)
}

/// Britter–McQuaid plume of a continuous toxic release, or `None` when the release is not dense
/// by the workbook criterion (source gas: [`dense_source`]).
fn dense_plume(
    ctx: &ScenarioContext<'_>,
    rate_kg_s: f64,
    w: &WeatherClass,
) -> Result<Option<BritterMcQuaidPlume>> {
    let (rho_air, atm) = (air_density(), atmosphere(w)?);
    let plume = match dense_source(ctx)? {
        Some(DenseSource::Pure(rho)) => BritterMcQuaidPlume::new(rate_kg_s, rho, rho_air, atm)?,
        Some(DenseSource::Aerosol(mix)) => {
            BritterMcQuaidPlume::aerosol_laden(rate_kg_s, &mix, rho_air, AMBIENT_K, atm)?
        }
        None => return Ok(None),
    };
    Ok(plume.dense.then_some(plume))
}

/// Britter–McQuaid cloud of an instantaneous toxic release of `mass_kg` (airborne substance),
/// with the passive far field beyond the last curve, or `None` when the release is not dense by
/// the workbook criterion √(g₀'·V₀^{1/3})/u₁₀ ≥ 0.2 (source gas: [`dense_source`]).
fn dense_puff(
    ctx: &ScenarioContext<'_>,
    mass_kg: f64,
    w: &WeatherClass,
) -> Result<Option<BritterMcQuaidPuff>> {
    let (rho_air, atm) = (air_density(), atmosphere(w)?);
    let u10 = atm.wind_speed_m_s;
    let puff = match dense_source(ctx)? {
        Some(DenseSource::Pure(rho)) => BritterMcQuaidPuff::new(mass_kg, rho, rho_air, u10)?,
        Some(DenseSource::Aerosol(mix)) => {
            BritterMcQuaidPuff::aerosol_laden(mass_kg, &mix, rho_air, AMBIENT_K, u10)?
        }
        None => return Ok(None),
    };
    if !puff.dense {
        return Ok(None);
    }
    Ok(Some(puff.with_passive_far_field(atm)?))
}

fn cloud(rel: Release, height_m: f64, w: &WeatherClass) -> Result<Cloud> {
    let atm = atmosphere(w)?;
    Ok(match rel {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => Cloud::Plume(GaussianPlume::new(rate_kg_s, height_m, atm)?, duration_s),
        Release::Instantaneous { mass_kg } => {
            Cloud::Puff(GaussianPuff::new(mass_kg, height_m, None, atm)?)
        }
    })
}

impl Cloud {
    /// Peak ground-level concentration at (x, y), kg/m³.
    fn peak(&self, x: f64, y: f64) -> f64 {
        match self {
            Cloud::Plume(p, _) => p.concentration(x, y, 0.0),
            Cloud::Puff(p) => {
                if x <= 0.0 {
                    return 0.0;
                }
                p.concentration(x, y, 0.0, x / p.transport_speed_m_s)
            }
            Cloud::Dense(p, _) => p.concentration_kg_m3(x, y, 0.0),
            Cloud::DensePuff(p, _) => match &p.far_field {
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

    /// Crosswind half-width of the iso-line `c` at x (bounded search for the puff).
    fn half_width(&self, x: f64, c: f64) -> f64 {
        match self {
            Cloud::Plume(p, _) => p.half_width(x, 0.0, c),
            Cloud::Puff(p) => {
                let c0 = self.peak(x, 0.0);
                if c0 <= c {
                    return 0.0;
                }
                let (sy, _) = p.atmosphere.sigmas(x);
                sy * (2.0 * (c0 / c).ln()).sqrt()
            }
            Cloud::Dense(p, _) => {
                let c0 = self.peak(x, 0.0);
                if c0 <= c {
                    return 0.0;
                }
                // Gaussian crosswind profile with σ = L_H/2.15 (see `BritterMcQuaidPlume`).
                p.half_width_m(x) / 2.15 * (2.0 * (c0 / c).ln()).sqrt()
            }
            Cloud::DensePuff(p, _) => {
                let c0 = self.peak(x, 0.0);
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

    fn lethality_toxic(&self, m: &ToxicModel, x: f64, y: f64) -> f64 {
        match self {
            Cloud::Plume(p, dur) => {
                m.probability_constant(p.concentration(x, y, 0.0), *dur, EXPOSURE_CAP_S)
            }
            Cloud::Dense(p, dur) => {
                m.probability_constant(p.concentration_kg_m3(x, y, 0.0), *dur, EXPOSURE_CAP_S)
            }
            Cloud::Puff(p) => passive_puff_lethality(m, p, x, y),
            // Envelope of the dense cloud and the passive puff from the real source. The dense
            // cloud's hand-over to its passive far field matches the concentration but not the
            // exposure time, so on its own its lethality drops at the last curve (sample park,
            // 10.6 t chlorine, F 1.5 m/s: 0.38 → 0.009 at x_L = 1.42 km) far below the passive
            // puff's (1 % lethality reach 6.6 km). Until the hand-over conserves the toxic load,
            // the engine takes the more severe of the two at every point (conservative; never
            // below the passive result that the engine used before the dense wiring).
            Cloud::DensePuff(p, src) => {
                let dense = match &p.far_field {
                    Some(ff) if x > ff.last_curve_m => {
                        passive_puff_lethality(m, &ff.passive, x - ff.virtual_offset_m, y)
                    }
                    // Top-hat cloud: the workbook's maximum concentration for the passage time
                    // of the cloud chord over the receptor (capped like every toxic exposure).
                    _ => {
                        let (c, t) = (self.peak(x, y), p.passage_time_s(x, y));
                        if c <= 0.0 || t <= 0.0 {
                            0.0
                        } else {
                            m.probability_constant(c, t, EXPOSURE_CAP_S)
                        }
                    }
                };
                dense.max(passive_puff_lethality(m, src, x, y))
            }
        }
    }
}

fn toxic(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    rate: Option<f64>,
    dur: Option<f64>,
    h: Option<f64>,
    set: Option<&str>,
) -> Result<Footprint> {
    let s = ctx.substance;
    let model = ToxicModel::from_substance(s, set)?;
    let rel = release(ctx, rate, dur)?;
    let c = match rel {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => match dense_plume(ctx, rate_kg_s, w)? {
            Some(bm) => Cloud::Dense(Box::new(bm), duration_s),
            None => cloud(rel, h.unwrap_or(1.0), w)?,
        },
        Release::Instantaneous { mass_kg } => match dense_puff(ctx, mass_kg, w)? {
            Some(bm) => Cloud::DensePuff(
                Box::new(bm),
                Box::new(GaussianPuff::new(
                    mass_kg,
                    h.unwrap_or(1.0),
                    None,
                    atmosphere(w)?,
                )?),
            ),
            None => cloud(rel, h.unwrap_or(1.0), w)?,
        },
    };
    let centre = |x: f64| c.lethality_toxic(&model, x, 0.0);
    let reach = distance_to(centre, P_MIN).min(50_000.0);
    if reach <= 0.0 {
        return Footprint::new(Shape::circle(0.0, 0.0)?, Hazard::Toxic);
    }
    // Half-width at P_MIN: the iso-concentration whose lethality is P_MIN at each x is bounded by
    // the widest plume section; scan the table's x samples.
    let mut w_max: f64 = 1.0;
    for i in 1..=NX {
        let x = reach * i as f64 / NX as f64;
        // Nothing to bound where the centreline itself is below P_MIN.
        if c.lethality_toxic(&model, x, 0.0) < P_MIN {
            continue;
        }
        // Bracket, then bisect, the crosswind distance where lethality falls to P_MIN.
        let lethal = |y: f64| c.lethality_toxic(&model, x, y) >= P_MIN;
        let hi = numerics::expand_upper(1.0, lethal, 50_000.0);
        let (_, hi) = numerics::bisect(0.0, hi, lethal, numerics::never, 40);
        w_max = w_max.max(hi);
    }
    let shape = directional(|x, y| c.lethality_toxic(&model, x, y), 0.0, reach, w_max)?;
    Footprint::new(shape, Hazard::Toxic)
}

/// The cloud whose LFL envelope is a flash fire: the Britter–McQuaid plume (continuous) or
/// cloud (instantaneous, with its passive far field) where the workbook criterion classes the
/// release dense — the same classification and source gas as for toxic releases
/// ([`dense_source`]) — otherwise the passive Gaussian plume/puff at 1 m. The LFL test is on
/// concentration only, so the dense cloud's hand-over (continuous in concentration) needs no
/// envelope here.
fn flash_cloud(ctx: &ScenarioContext<'_>, rel: Release, w: &WeatherClass) -> Result<Cloud> {
    Ok(match rel {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => match dense_plume(ctx, rate_kg_s, w)? {
            Some(bm) => Cloud::Dense(Box::new(bm), duration_s),
            None => cloud(rel, 1.0, w)?,
        },
        Release::Instantaneous { mass_kg } => match dense_puff(ctx, mass_kg, w)? {
            Some(bm) => Cloud::DensePuff(
                Box::new(bm),
                Box::new(GaussianPuff::new(mass_kg, 1.0, None, atmosphere(w)?)?),
            ),
            None => cloud(rel, 1.0, w)?,
        },
    })
}

fn flash(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    rate: Option<f64>,
    mass: Option<f64>,
) -> Result<Footprint> {
    let s = ctx.substance;
    let rel = match (mass, rate) {
        (Some(m), _) => Release::Instantaneous { mass_kg: m },
        (None, r) => release(ctx, r, None)?,
    };
    let c = flash_cloud(ctx, rel, w)?;
    let lfl = lfl_kg_m3(s, false)?;
    let reach = distance_to(|x| c.peak(x, 0.0), lfl).min(50_000.0);
    if reach <= 0.0 {
        return Footprint::new(Shape::circle(0.0, 0.0)?, Hazard::FlashFire);
    }
    let mut w_max: f64 = 0.5;
    for i in 1..=NX {
        w_max = w_max.max(c.half_width(reach * i as f64 / NX as f64, lfl));
    }
    let shape = directional(
        |x, y| if c.peak(x, y) >= lfl { 1.0 } else { 0.0 },
        0.0,
        reach,
        w_max * 1.05,
    )?;
    Footprint::new(shape, Hazard::FlashFire)
}

fn thermal_footprint<S: HeatSource>(
    fire: &S,
    rule: &ThermalRule,
    isotropic: bool,
) -> Result<Footprint> {
    let dur = fire.duration_s();
    let q_min = rule.flux_at_lethality(P_MIN, dur);
    let reach = fire.reach_m(q_min).min(20_000.0);
    let p =
        |x: f64, y: f64| rule.lethality_outdoor(fire.heat_flux_at([x, y, 0.0], Receiver::Max), dur);
    let shape = if isotropic {
        radial(|r| p(r, 0.0), reach * 1.01)?
    } else {
        // Heat-flux fields are smooth: a 65 × 65 raster over the square of the reach.
        directional_n(p, -reach * 1.01, reach * 1.01, reach * 1.01, 65, 65)?
    };
    Footprint::new(shape, Hazard::Thermal)
}

fn blast_footprint(blast: &VceBlast, rule: &BlastRule) -> Result<Footprint> {
    let reach = blast.reach_m(rule.reach_overpressure_pa()).min(50_000.0) * 1.01;
    let out = radial(
        |r| rule.lethality_outdoor(blast.overpressure_pa(r.max(0.1))),
        reach,
    )?;
    let ind = radial(
        |r| rule.lethality_indoor(blast.overpressure_pa(r.max(0.1))),
        reach,
    )?;
    Footprint::new(out, Hazard::Explosion)?.with_indoor(ind)
}

/// [`QraError::NotImplemented`] for physical kinds; shape validation errors.
pub fn footprint_for(
    spec: &OutcomeSpec,
    weather: &WeatherClass,
    ctx: &ScenarioContext<'_>,
) -> Result<Footprint> {
    match spec {
        OutcomeSpec::Analytic {
            hazard,
            footprint,
            indoor,
            by_weather,
        } => {
            let label = weather.label();
            let shape = by_weather
                .get(&label)
                .or(footprint.as_ref())
                .ok_or_else(|| {
                    QraError::invalid(
                        "footprint",
                        "missing",
                        format!("no footprint for weather class '{label}'"),
                    )
                })?
                .clone();
            let f = Footprint::new(shape, *hazard)?;
            match indoor {
                Some(s) => f.with_indoor(s.clone()),
                None => Ok(f),
            }
        }
        other => {
            use crate::vulnerability::thermal::ThermalRule;
            // Heat radiation: Purple Book lethal at ≥ 35 kW/m², AQ/T 3046 at ≥ 37.5 kW/m².
            let thermal = match ctx.rules {
                VulnerabilityRules::PurpleBook => ThermalRule::purple_book(),
                VulnerabilityRules::Aqt3046 => ThermalRule::aqt3046(),
            };
            physical_footprint(other, weather, ctx, &thermal)
        }
    }
}

/// The footprint of a physical outcome under one weather class (see module docs).
///
/// # Errors
/// Missing data the model needs (named by field path), invalid model inputs, or
/// [`QraError::NotImplemented`] for combinations not wired yet (liquid pools).
pub fn physical_footprint(
    spec: &OutcomeSpec,
    w: &WeatherClass,
    ctx: &ScenarioContext<'_>,
    thermal: &ThermalRule,
) -> Result<Footprint> {
    let s = ctx.substance;
    match spec {
        OutcomeSpec::Toxic {
            release_rate_kg_s,
            duration_s,
            release_height_m,
            probit_set,
        } => toxic(
            ctx,
            w,
            *release_rate_kg_s,
            *duration_s,
            *release_height_m,
            probit_set.as_deref(),
        ),
        OutcomeSpec::FlashFire {
            mass_kg,
            release_rate_kg_s,
        } => flash(ctx, w, *release_rate_kg_s, *mass_kg),
        OutcomeSpec::JetFire {
            release_rate_kg_s,
            orientation,
        } => thermal_footprint(
            &jet_fire(ctx, *release_rate_kg_s, *orientation)?,
            thermal,
            *orientation == JetOrientation::Vertical,
        ),
        OutcomeSpec::PoolFire { pool_diameter_m } => {
            thermal_footprint(&pool_fire(ctx, w, *pool_diameter_m)?, thermal, false)
        }
        OutcomeSpec::Fireball { mass_kg } => {
            let m = mass_kg.unwrap_or(ctx.installation.inventory_kg);
            let fb = Fireball::new(
                m,
                s.heat_of_combustion_j_kg()?,
                FIREBALL_RADIANT_FRACTION,
                Transmissivity::AqT3046,
            )?;
            thermal_footprint(&fb, thermal, true)
        }
        OutcomeSpec::Vce { .. } => match vce_blast(ctx, w, spec)? {
            None => Footprint::new(Shape::circle(0.0, 0.0)?, Hazard::Explosion),
            Some(blast) => blast_footprint(&blast, &BlastRule::purple_book()),
        },
        OutcomeSpec::Analytic { .. } => Err(QraError::invalid(
            "spec",
            "analytic",
            "analytic outcomes are not physical",
        )),
    }
}

/// What the source term of an outcome resolves to under one weather class (for the scenario
/// table [`crate::risk::engine::RiskResult::scenarios`]).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct ReleaseSummary {
    /// Airborne release rate of a continuous release, kg/s.
    pub release_rate_kg_s: Option<f64>,
    /// Release duration of a continuous release, s.
    pub duration_s: Option<f64>,
    /// Airborne mass, kg: the instantaneous mass, or rate × duration.
    pub airborne_mass_kg: Option<f64>,
    /// Dispersion class of toxic and flash-fire clouds by the Britter–McQuaid criterion:
    /// `Some(true)` dense, `Some(false)` passive, `None` for outcomes without a cloud.
    pub dense: Option<bool>,
}

/// The source term and dispersion class of outcome `spec` under weather `w`, resolved exactly as
/// [`physical_footprint`] resolves them; `None` for analytic outcomes and where the source term
/// cannot be resolved (e.g. a pool fire given only its diameter).
pub fn release_summary(
    spec: &OutcomeSpec,
    w: &WeatherClass,
    ctx: &ScenarioContext<'_>,
) -> Option<ReleaseSummary> {
    let of = |rel: Release| match rel {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => ReleaseSummary {
            release_rate_kg_s: Some(rate_kg_s),
            duration_s: Some(duration_s),
            airborne_mass_kg: Some(rate_kg_s * duration_s),
            dense: None,
        },
        Release::Instantaneous { mass_kg } => ReleaseSummary {
            airborne_mass_kg: Some(mass_kg),
            ..Default::default()
        },
    };
    let classed = |rel: Release| -> Option<ReleaseSummary> {
        let dense = match rel {
            Release::Continuous { rate_kg_s, .. } => dense_plume(ctx, rate_kg_s, w).ok()?.is_some(),
            Release::Instantaneous { mass_kg } => dense_puff(ctx, mass_kg, w).ok()?.is_some(),
        };
        Some(ReleaseSummary {
            dense: Some(dense),
            ..of(rel)
        })
    };
    match spec {
        OutcomeSpec::Analytic { .. } => None,
        OutcomeSpec::Toxic {
            release_rate_kg_s,
            duration_s,
            ..
        } => classed(release(ctx, *release_rate_kg_s, *duration_s).ok()?),
        OutcomeSpec::FlashFire {
            mass_kg,
            release_rate_kg_s,
        } => classed(match mass_kg {
            Some(m) => Release::Instantaneous { mass_kg: *m },
            None => release(ctx, *release_rate_kg_s, None).ok()?,
        }),
        OutcomeSpec::JetFire {
            release_rate_kg_s, ..
        } => Some(of(release(ctx, *release_rate_kg_s, None).ok()?)),
        OutcomeSpec::PoolFire { .. } => Some(of(release(ctx, None, None).ok()?)),
        OutcomeSpec::Fireball { mass_kg } => Some(of(Release::Instantaneous {
            mass_kg: mass_kg.unwrap_or(ctx.installation.inventory_kg),
        })),
        OutcomeSpec::Vce { mass_kg, .. } => Some(ReleaseSummary {
            airborne_mass_kg: Some(vce_mass_kg(ctx, w, *mass_kg).ok()?),
            ..Default::default()
        }),
    }
}

/// The jet fire of a continuous release (see module docs).
fn jet_fire(
    ctx: &ScenarioContext<'_>,
    release_rate_kg_s: Option<f64>,
    orientation: JetOrientation,
) -> Result<JetFire> {
    let (rate, dur) = match release(ctx, release_rate_kg_s, None)? {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => (rate_kg_s, duration_s),
        Release::Instantaneous { .. } => {
            return Err(QraError::invalid(
                "jet_fire",
                "instantaneous release",
                "a jet fire needs a continuous release",
            ))
        }
    };
    let jet = JetFire::new(
        rate,
        ctx.substance.heat_of_combustion_j_kg()?,
        JET_RADIANT_FRACTION,
        [0.0, 0.0, 1.0],
        match orientation {
            JetOrientation::Horizontal => [1.0, 0.0, 0.0],
            JetOrientation::Vertical => [0.0, 0.0, 1.0],
        },
        Transmissivity::AqT3046,
        dur,
    )?;
    Ok(jet)
}

/// The pool fire of the outcome (given or steady-state diameter, see module docs).
fn pool_fire(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    pool_diameter_m: Option<f64>,
) -> Result<PoolFire> {
    let d = match pool_diameter_m {
        Some(d) => d,
        None => {
            let rate = match release(ctx, None, None) {
                Ok(Release::Continuous { rate_kg_s, .. }) => rate_kg_s,
                _ => {
                    return Err(QraError::invalid(
                        format!("events['{}'].outcomes.pool_diameter_m", ctx.event.id),
                        "missing",
                        "give the pool (bund) diameter",
                    ))
                }
            };
            crate::fire::pool::steady_state_diameter_m(rate, ctx.substance.burning_rate_kg_m2_s()?)?
        }
    };
    let mut spec = PoolFireSpec::from_substance(&ctx.substance.name, d, w.wind_speed_m_s)?;
    spec.duration_s = DURATION_CAP_S;
    // 64 azimuth strips: view factors within ~0.1 % of the converged value at the
    // distances that matter for lethality (the default is finer, for single-point use).
    spec.n_phi = 64;
    PoolFire::new(spec)
}

/// The blast of a VCE outcome: TNT equivalence (default), TNO multi-energy or BST.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VceBlast {
    /// TNT equivalence with Kingery–Bulmash curves.
    Tnt(TntBlast),
    /// TNO multi-energy curves.
    MultiEnergy(MultiEnergy),
    /// Baker–Strehlow–Tang curves.
    Bst(BakerStrehlowTang),
}

impl VceBlast {
    /// Peak side-on overpressure at `distance_m` from the centre, Pa.
    pub fn overpressure_pa(&self, distance_m: f64) -> f64 {
        match self {
            VceBlast::Tnt(b) => b.overpressure_pa(distance_m),
            VceBlast::MultiEnergy(b) => b.overpressure_pa(distance_m),
            VceBlast::Bst(b) => b.overpressure_pa(distance_m),
        }
    }

    /// Distance (m) beyond which the overpressure is below `overpressure_pa`.
    pub fn reach_m(&self, overpressure_pa: f64) -> f64 {
        match self {
            VceBlast::Tnt(b) => b.reach_m(overpressure_pa),
            VceBlast::MultiEnergy(b) => b.reach_m(overpressure_pa),
            VceBlast::Bst(b) => b.reach_m(overpressure_pa),
        }
    }
}

/// The flammable mass of a VCE: given, or between LFL and UFL in the plume of a continuous
/// release, or the airborne inventory of an instantaneous one.
fn vce_mass_kg(ctx: &ScenarioContext<'_>, w: &WeatherClass, mass_kg: Option<f64>) -> Result<f64> {
    Ok(match mass_kg {
        Some(m) => m,
        None => match release(ctx, None, None)? {
            Release::Continuous { rate_kg_s, .. } => {
                // Ground-level source for the flammable-mass integral (the analytic
                // cross-section form of `plume_flammable_mass`; an elevated source needs a
                // 120×120 quadrature per x and costs ~10⁷ plume evaluations).
                let plume = GaussianPlume::new(rate_kg_s, 0.0, atmosphere(w)?)?;
                plume_flammable_mass(
                    &plume,
                    lfl_kg_m3(ctx.substance, false)?,
                    lfl_kg_m3(ctx.substance, true)?,
                )
            }
            Release::Instantaneous { mass_kg } => mass_kg,
        },
    })
}

/// The blast of a VCE outcome `spec` (None when there is no flammable mass or volume; see the
/// module docs for the two models).
///
/// # Errors
/// `spec` not a VCE; multi-energy without a strength; invalid model inputs; missing substance
/// data.
pub fn vce_blast(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    spec: &OutcomeSpec,
) -> Result<Option<VceBlast>> {
    let OutcomeSpec::Vce {
        mass_kg,
        strength,
        confined_volume_m3,
        model,
        flame_mach,
        reactivity,
        congestion,
        confinement,
    } = spec
    else {
        return Err(QraError::invalid(
            "spec",
            spec.kind(),
            "must be a 'vce' outcome",
        ));
    };
    match model.unwrap_or_default() {
        VceModel::Tnt => {
            let m = vce_mass_kg(ctx, w, *mass_kg)?;
            if m <= 0.0 {
                return Ok(None);
            }
            let blast = TntBlast::new(tnt_mass_vce_kg(
                VCE_YIELD,
                m,
                ctx.substance.heat_of_combustion_j_kg()?,
            )?)?;
            Ok(Some(VceBlast::Tnt(blast)))
        }
        VceModel::MultiEnergy => {
            let path = format!("events['{}'].outcomes.strength", ctx.event.id);
            let s = strength.ok_or_else(|| {
                QraError::invalid(
                    path,
                    "missing",
                    "model = 'multi-energy' needs the TNO strength class (1-10)",
                )
            })?;
            let energy_j = vce_energy_j(ctx, w, *mass_kg, *confined_volume_m3)?;
            if energy_j <= 0.0 {
                return Ok(None);
            }
            Ok(Some(VceBlast::MultiEnergy(MultiEnergy::new(
                energy_j,
                u32::from(s),
            )?)))
        }
        VceModel::Bst => {
            let mach = bst_flame_mach(
                *flame_mach,
                reactivity.as_deref(),
                congestion.as_deref(),
                confinement.as_deref(),
            )?;
            let energy_j = vce_energy_j(ctx, w, *mass_kg, *confined_volume_m3)?;
            if energy_j <= 0.0 {
                return Ok(None);
            }
            Ok(Some(VceBlast::Bst(BakerStrehlowTang::new(
                BST_GROUND_REFLECTION * energy_j,
                mach,
            )?)))
        }
    }
}

/// Combustion energy of a VCE for the multi-energy and BST models: V·3.5 MJ/m³ of the congested
/// volume when given (AQ/T 3046 eq. E.60 [S]), else m·ΔH_c of the whole flammable mass.
fn vce_energy_j(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    mass_kg: Option<f64>,
    confined_volume_m3: Option<f64>,
) -> Result<f64> {
    Ok(match confined_volume_m3 {
        Some(v) => {
            crate::error::check::positive("confined_volume_m3", v)?
                * crate::explosion::MULTI_ENERGY_DENSITY_J_M3
        }
        None => vce_mass_kg(ctx, w, mass_kg)? * ctx.substance.heat_of_combustion_j_kg()?,
    })
}

/// Escalation vector of a primary outcome (domino effects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EscalationVector {
    /// Stationary heat radiation (jet or pool fire), W/m².
    HeatRadiation,
    /// Peak static overpressure, Pa.
    Overpressure,
}

/// The escalation intensity of an outcome at `distance_m` from its source under weather `w`:
/// heat flux (W/m²) of jet and pool fires, overpressure (Pa) of VCEs; `None` for outcomes that
/// are not escalation vectors here (toxic, flash fire, fireball — too short for the
/// time-to-failure models of Cozzani et al. 2005 [M] —, analytic footprints). Conservative
/// geometry (our choice): the jet is aimed at the target and the pool flame tilted towards it.
///
/// # Errors
/// As [`physical_footprint`].
pub fn escalation_intensity(
    spec: &OutcomeSpec,
    w: &WeatherClass,
    ctx: &ScenarioContext<'_>,
    distance_m: f64,
) -> Result<Option<(EscalationVector, f64)>> {
    let d = crate::error::check::non_negative("distance_m", distance_m)?;
    let at = [d, 0.0, 0.0];
    Ok(match spec {
        OutcomeSpec::JetFire {
            release_rate_kg_s,
            orientation,
        } => Some((
            EscalationVector::HeatRadiation,
            jet_fire(ctx, *release_rate_kg_s, *orientation)?.heat_flux_at(at, Receiver::Max),
        )),
        OutcomeSpec::PoolFire { pool_diameter_m } => Some((
            EscalationVector::HeatRadiation,
            pool_fire(ctx, w, *pool_diameter_m)?.heat_flux_at(at, Receiver::Max),
        )),
        OutcomeSpec::Vce { .. } => Some((
            EscalationVector::Overpressure,
            vce_blast(ctx, w, spec)?.map_or(0.0, |b| b.overpressure_pa(d.max(0.1))),
        )),
        _ => None,
    })
}

#[cfg(test)]
mod dense_tests {
    use super::*;
    use crate::risk::study::Study;
    use crate::substance::SubstanceDb;

    /// The dense-gas switch of the toxic wiring on the sample park: liquefied chlorine and
    /// ammonia (aerosol-laden) are dense in F 1.5 m/s, hydrogen gas is not. Orderings only.
    #[test]
    fn dense_switch_follows_the_workbook_criterion() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../models/studies/sample_park.toml");
        let study = Study::from_file(&path).unwrap();
        let db = SubstanceDb::builtin().unwrap();
        let w = study
            .meteorology
            .weather
            .iter()
            .find(|w| w.stability == Stability::F)
            .unwrap();
        let ctx_of = |inst_id: &str| {
            let inst = study
                .installations
                .iter()
                .find(|i| i.id == inst_id)
                .unwrap();
            let ev = study
                .events
                .iter()
                .find(|e| e.installation == inst_id)
                .unwrap();
            ScenarioContext {
                installation: inst,
                event: ev,
                substance: db.get(&inst.substance).unwrap(),
                duration_s: Some(600.0),
                rules: study.vulnerability,
            }
        };
        for id in ["CL2-T1", "NH3-T1"] {
            let ctx = ctx_of(id);
            let bm = dense_plume(&ctx, 5.0, w).unwrap();
            assert!(
                bm.is_some(),
                "{id}: 5 kg/s of liquefied gas in F1.5 is dense"
            );
            // The dense plume's near-field concentration is finite and decays downwind.
            let bm = bm.unwrap();
            let (c1, c2) = (
                bm.concentration_kg_m3(100.0, 0.0, 0.0),
                bm.concentration_kg_m3(1000.0, 0.0, 0.0),
            );
            assert!(c1.is_finite() && c1 > c2 && c2 > 0.0, "{id}: {c1} {c2}");
        }
        let h2 = study
            .installations
            .iter()
            .find(|i| i.substance == "hydrogen")
            .unwrap();
        let ctx = ctx_of(&h2.id);
        assert!(
            dense_plume(&ctx, 5.0, w).unwrap().is_none(),
            "hydrogen is buoyant"
        );
    }
    /// Sample-park context of installation `inst_id` with event `ev_id` (phase overridable).
    fn sample_ctx<'a>(
        study: &'a Study,
        db: &'a SubstanceDb,
        inst: &'a super::super::study::Installation,
        ev_id: &str,
    ) -> ScenarioContext<'a> {
        ScenarioContext {
            installation: inst,
            event: study.events.iter().find(|e| e.id == ev_id).unwrap(),
            substance: db.get(&inst.substance).unwrap(),
            duration_s: Some(600.0),
            rules: study.vulnerability,
        }
    }

    fn sample_study() -> Study {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../models/studies/sample_park.toml");
        Study::from_file(&path).unwrap()
    }

    /// Instantaneous dense toxic wiring against the model evaluated directly: for a gas-phase
    /// chlorine cloud (5 t, every weather class of the sample park) the engine's cloud is
    /// `BritterMcQuaidPuff::new(M, ρ_Cl2(20 °C, 1 atm), ρ_air, u₁₀)` with the passive far field,
    /// its lethality on the cloud path is the probit of the workbook maximum concentration over
    /// the top-hat passage time (exact), and the footprint's reach is where that directly
    /// evaluated lethality falls to `P_MIN` (within the raster step). Wiring check, not physics.
    #[test]
    fn dense_puff_wiring_matches_the_model_evaluated_directly() {
        let study = sample_study();
        let db = SubstanceDb::builtin().unwrap();
        let mut inst = study
            .installations
            .iter()
            .find(|i| i.id == "CL2-T1")
            .unwrap()
            .clone();
        inst.phase = Some(Phase::Gas);
        inst.inventory_kg = 5000.0;
        let ctx = sample_ctx(&study, db, &inst, "CL2-T1-G1");
        let model = ToxicModel::from_substance(ctx.substance, None).unwrap();
        let m_cl2 = ctx.substance.molar_mass_kg_mol().unwrap();
        let rho_cl2 = STANDARD_PRESSURE_PA * m_cl2 / (GAS_CONSTANT_J_MOL_K * AMBIENT_K);
        let rho_air = STANDARD_PRESSURE_PA * crate::constants::AIR_MOLAR_MASS_KG_MOL
            / (GAS_CONSTANT_J_MOL_K * AMBIENT_K);
        let mut dense_wins = 0;
        for w in &study.meteorology.weather {
            let atm = atmosphere(w).unwrap();
            let direct = BritterMcQuaidPuff::new(5000.0, rho_cl2, rho_air, atm.wind_speed_m_s)
                .unwrap()
                .with_passive_far_field(atm)
                .unwrap();
            assert!(direct.dense, "5 t of chlorine is dense in {w:?}");
            let wired = dense_puff(&ctx, 5000.0, w).unwrap().expect("dense");
            assert_eq!(wired, direct);
            // The passive puff of the same release from the real source (1 m, as `cloud`).
            let src = GaussianPuff::new(5000.0, 1.0, None, atm).unwrap();
            let cloud = Cloud::DensePuff(Box::new(wired), Box::new(src));
            let x_l = direct.far_field.unwrap().last_curve_m;
            for f in [0.05, 0.2, 0.5, 0.9] {
                let x = f * x_l;
                let dense = model.probability_constant(
                    direct.max_concentration_kg_m3(x),
                    direct.passage_time_s(x, 0.0),
                    EXPOSURE_CAP_S,
                );
                let passive = passive_puff_lethality(&model, &src, x, 0.0);
                if dense > passive {
                    dense_wins += 1;
                }
                // Envelope of the dense cloud and the passive puff.
                let p = dense.max(passive);
                assert_eq!(cloud.lethality_toxic(&model, x, 0.0), p, "x = {x}");
                assert_eq!(cloud.peak(x, 0.0), direct.max_concentration_kg_m3(x));
            }
            // Beyond the last curve: the model's own passive hand-over.
            assert_eq!(
                cloud.peak(2.0 * x_l, 0.0),
                direct.max_concentration_kg_m3(2.0 * x_l)
            );
            // The engine's footprint raster spans x ∈ [0, reach], reach = where the directly
            // evaluated centreline lethality falls to P_MIN; on its nodes (y = 0 is a node row)
            // it holds that lethality.
            let fp = toxic(&ctx, w, None, None, None, None).unwrap();
            let reach = distance_to(|x| cloud.lethality_toxic(&model, x, 0.0), P_MIN);
            for i in [1, 10, 40, 80, 120, 150] {
                let x = reach * i as f64 / (NX - 1) as f64;
                let p = model.probability_constant(
                    direct.max_concentration_kg_m3(x),
                    direct.passage_time_s(x, 0.0),
                    EXPOSURE_CAP_S,
                );
                let p = if x > x_l {
                    cloud.lethality_toxic(&model, x, 0.0)
                } else {
                    p.max(passive_puff_lethality(&model, &src, x, 0.0))
                };
                let p = if p >= P_MIN { p.min(1.0) } else { 0.0 };
                approx::assert_relative_eq!(fp.lethality(x, 0.0), p, max_relative = 1e-9);
            }
        }
        // The dense cloud must matter somewhere, or the envelope would only be the passive puff.
        eprintln!("dense cloud more severe than the passive puff at {dense_wins} of 64 points");
        assert!(dense_wins > 0);
    }

    /// Flash fires of dense flammable releases use the Britter–McQuaid plume / cloud: for the
    /// sample park's LPG sphere (continuous leak LPG-S1-G3 and instantaneous LPG-S1-G1) the
    /// engine's flash-fire footprint is 1 exactly where the workbook model evaluated directly
    /// reaches the LFL (inside its reach, on the centreline) and 0 beyond, and hydrogen
    /// (buoyant) keeps the passive plume. Wiring check, not physics.
    #[test]
    fn dense_flash_fire_uses_the_workbook_cloud() {
        let study = sample_study();
        let db = SubstanceDb::builtin().unwrap();
        let inst = study
            .installations
            .iter()
            .find(|i| i.id == "LPG-S1")
            .unwrap();
        let mut dense_seen = 0;
        for ev in ["LPG-S1-G3", "LPG-S1-G1"] {
            let ctx = sample_ctx(&study, db, inst, ev);
            let lfl = lfl_kg_m3(ctx.substance, false).unwrap();
            for w in &study.meteorology.weather {
                let rel = release(&ctx, None, None).unwrap();
                let direct: Option<Cloud> = match rel {
                    Release::Continuous {
                        rate_kg_s,
                        duration_s,
                    } => dense_plume(&ctx, rate_kg_s, w)
                        .unwrap()
                        .map(|bm| Cloud::Dense(Box::new(bm), duration_s)),
                    Release::Instantaneous { mass_kg } => {
                        dense_puff(&ctx, mass_kg, w).unwrap().map(|bm| {
                            let src = GaussianPuff::new(mass_kg, 1.0, None, atmosphere(w).unwrap())
                                .unwrap();
                            Cloud::DensePuff(Box::new(bm), Box::new(src))
                        })
                    }
                };
                let Some(direct) = direct else { continue };
                dense_seen += 1;
                let reach = distance_to(|x| direct.peak(x, 0.0), lfl);
                let fp = flash(&ctx, w, None, None).unwrap();
                for f in [0.1, 0.5, 0.9] {
                    assert_eq!(
                        fp.lethality(f * reach, 0.0),
                        1.0,
                        "{ev} {w:?} x {}",
                        f * reach
                    );
                }
                assert_eq!(fp.lethality(1.2 * reach, 0.0), 0.0, "{ev} {w:?}");
            }
        }
        assert!(
            dense_seen > 0,
            "LPG releases are classed dense in some weather"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Lethality of an instantaneous dense chlorine or ammonia cloud falls with distance along the
        /// cloud path (through the dense regime, the hand-over to passive and beyond; outside the
        /// lethal core, see below) and is symmetric and non-increasing crosswind.
        #[test]
        fn dense_puff_lethality_falls_with_distance(
            mass in 50.0f64..200_000.0, wi in 0usize..16, x in 5.0f64..20_000.0,
            step in 1.0f64..3.0, y in 0.0f64..500.0, nh3 in proptest::bool::ANY,
        ) {
            let study = sample_study();
            let db = SubstanceDb::builtin().unwrap();
            // Liquefied chlorine or ammonia (aerosol-laden clouds), instantaneous release event.
            let id = if nh3 { "NH3-T1" } else { "CL2-T1" };
            let inst = study.installations.iter().find(|i| i.id == id).unwrap();
            let ctx = sample_ctx(&study, db, inst, "CL2-T1-G1");
            let model = ToxicModel::from_substance(ctx.substance, None).unwrap();
            let ws = &study.meteorology.weather;
            let w = &ws[wi % ws.len()];
            if let Some(bm) = dense_puff(&ctx, mass, w).unwrap() {
                let src = GaussianPuff::new(mass, 1.0, None, atmosphere(w).unwrap()).unwrap();
                let c = Cloud::DensePuff(Box::new(bm), Box::new(src));
                let (p1, p2) = (
                    c.lethality_toxic(&model, x, 0.0),
                    c.lethality_toxic(&model, x * step, 0.0),
                );
                proptest::prop_assert!((0.0..=1.0).contains(&p1) && (0.0..=1.0).contains(&p2));
                // Inside the lethal core (P > 0.999) the slumping, still nearly undiluted cloud
                // passes a farther receptor for longer, which can raise an already certain
                // lethality in the 7th decimal (found by this test for ammonia at x = 5–15 m);
                // everywhere else lethality must not grow with distance.
                proptest::prop_assert!(
                    p2 <= p1 + 1e-12 || p1 > 0.999,
                    "x {x}: {p1} -> x {}: {p2}",
                    x * step
                );
                let py = c.lethality_toxic(&model, x, y);
                proptest::prop_assert!(py <= p1 + 1e-12);
                proptest::prop_assert_eq!(py, c.lethality_toxic(&model, x, -y));
            }
        }
    }
}

#[cfg(test)]
mod vce_tests {
    use super::*;
    use crate::error::FieldError;
    use crate::risk::study::Study;
    use crate::substance::SubstanceDb;
    use proptest::prelude::*;

    const PARK: &str = include_str!("../../../models/studies/sample_park.toml");
    /// The first VCE outcome of the sample park (LPG sphere, instantaneous release).
    const VCE_LINE: &str = "spec = { kind = \"vce\" }";

    fn park() -> Study {
        Study::from_toml_str(PARK, "sample_park.toml").unwrap()
    }

    /// Footprint of `spec` for the LPG sphere's instantaneous event under the first weather.
    fn footprint_of(spec: &OutcomeSpec) -> Result<Footprint> {
        let study = park();
        let db = SubstanceDb::builtin().unwrap();
        let ev = study.events.iter().find(|e| e.id == "LPG-S1-G1").unwrap();
        let inst = study
            .installations
            .iter()
            .find(|i| i.id == ev.installation)
            .unwrap();
        let ctx = ScenarioContext {
            installation: inst,
            event: ev,
            substance: db.get(&inst.substance).unwrap(),
            duration_s: None,
            rules: study.vulnerability,
        };
        let w = &study.meteorology.weather[0];
        physical_footprint(spec, w, &ctx, &ThermalRule::purple_book())
    }

    fn me(strength: u8, volume_m3: Option<f64>, mass_kg: Option<f64>) -> OutcomeSpec {
        OutcomeSpec::Vce {
            mass_kg,
            strength: Some(strength),
            confined_volume_m3: volume_m3,
            model: Some(VceModel::MultiEnergy),
            flame_mach: None,
            reactivity: None,
            congestion: None,
            confinement: None,
        }
    }

    /// `f` against `blast` evaluated directly with the Purple Book rule: lethality 1 inside the
    /// 30 kPa radius, 0 (outdoors) beyond it, isotropic; points within 10 % of that radius are
    /// skipped (the radial table interpolates across the step).
    fn assert_blast_footprint(f: &Footprint, blast: VceBlast, label: &str) {
        let rule = BlastRule::purple_book();
        let r30 = blast.reach_m(30e3);
        assert!(r30 > 0.0, "{label}: no 30 kPa zone");
        for k in 1..40 {
            let r = r30 * k as f64 / 20.0;
            if (r / r30 - 1.0).abs() < 0.1 {
                continue;
            }
            let direct = rule.lethality_outdoor(blast.overpressure_pa(r));
            assert_eq!(f.lethality(r, 0.0), direct, "{label}, r {r}");
            assert_eq!(
                f.lethality(0.0, r),
                f.lethality(r, 0.0),
                "{label}: isotropic"
            );
        }
    }

    /// The multi-energy footprint against [`MultiEnergy`] evaluated directly with the Purple
    /// Book rule: lethality 1 inside the 30 kPa radius, 0 (outdoors) beyond it; the edge of the
    /// footprint lies at `MultiEnergy::reach_m(30 kPa)` to within the radial-table spacing.
    #[test]
    fn multi_energy_footprint_matches_direct_evaluation() {
        for (strength, volume) in [(7u8, 5000.0), (10, 20_000.0), (6, 1000.0)] {
            let f = footprint_of(&me(strength, Some(volume), None)).unwrap();
            let m = MultiEnergy::from_volume(volume, u32::from(strength)).unwrap();
            assert_blast_footprint(
                &f,
                VceBlast::MultiEnergy(m),
                &format!("strength {strength}"),
            );
        }
        // Strengths 1–3 never reach the 10 kPa threshold of the rule: no lethality anywhere.
        let f = footprint_of(&me(3, Some(1e5), None)).unwrap();
        assert_eq!(f.lethality(1.0, 0.0), 0.0);
    }

    /// Without a confined volume the energy is m·ΔH_c of the flammable mass.
    #[test]
    fn multi_energy_energy_from_mass() {
        let db = SubstanceDb::builtin().unwrap();
        let hc = db
            .get("propane")
            .unwrap()
            .heat_of_combustion_j_kg()
            .unwrap();
        let f = footprint_of(&me(7, None, Some(2000.0))).unwrap();
        let m = MultiEnergy::new(2000.0 * hc, 7).unwrap();
        let r30 = m.reach_m(30e3);
        assert_eq!(f.lethality(0.8 * r30, 0.0), 1.0);
        assert_eq!(f.lethality(1.2 * r30, 0.0), 0.0);
    }

    /// The default stays TNT: an explicit `model = "tnt"` gives the same footprint bit for bit.
    #[test]
    fn default_is_tnt_bit_identical() {
        let default = OutcomeSpec::Vce {
            mass_kg: None,
            strength: None,
            confined_volume_m3: None,
            model: None,
            flame_mach: None,
            reactivity: None,
            congestion: None,
            confinement: None,
        };
        let tnt = OutcomeSpec::Vce {
            mass_kg: None,
            strength: None,
            confined_volume_m3: None,
            model: Some(VceModel::Tnt),
            flame_mach: None,
            reactivity: None,
            congestion: None,
            confinement: None,
        };
        let a = footprint_of(&default).unwrap();
        let b = footprint_of(&tnt).unwrap();
        assert_eq!(a, b);
    }

    /// Multi-energy without a strength is a typed error naming the field (the study validator
    /// reports it first; this is the engine's own guard).
    #[test]
    fn multi_energy_without_strength_is_an_error() {
        let spec = OutcomeSpec::Vce {
            mass_kg: None,
            strength: None,
            confined_volume_m3: Some(100.0),
            model: Some(VceModel::MultiEnergy),
            flame_mach: None,
            reactivity: None,
            congestion: None,
            confinement: None,
        };
        let e = footprint_of(&spec).unwrap_err();
        assert!(matches!(e, QraError::InvalidInput { .. }), "{e}");
        assert!(e.to_string().contains("strength"), "{e}");
    }

    fn problems(spec_line: &str) -> Vec<FieldError> {
        let text = PARK.replacen(VCE_LINE, spec_line, 1);
        match Study::from_toml_str(&text, "park.toml") {
            Err(QraError::InvalidDocument { problems, .. }) => problems,
            other => panic!("expected InvalidDocument, got {other:?}"),
        }
    }

    /// Study files: the option parses, and bad combinations are field errors with their path
    /// (unknown model names are TOML errors with a line number).
    #[test]
    fn study_file_option_and_field_errors() {
        let ok = PARK.replacen(
            VCE_LINE,
            "spec = { kind = \"vce\", model = \"multi-energy\", strength = 7, \
             confined_volume_m3 = 3000.0 }",
            1,
        );
        let study = Study::from_toml_str(&ok, "park.toml").unwrap();
        assert!(study
            .events
            .iter()
            .any(|e| e.outcomes.iter().any(|o| matches!(
                o.spec,
                OutcomeSpec::Vce {
                    model: Some(VceModel::MultiEnergy),
                    strength: Some(7),
                    ..
                }
            ))));
        let p = problems("spec = { kind = \"vce\", model = \"multi-energy\" }");
        assert!(
            p.iter()
                .any(|f| f.path.ends_with(".strength") && f.message.contains("missing")),
            "{p:?}"
        );
        let p = problems("spec = { kind = \"vce\", model = \"multi-energy\", strength = 11 }");
        assert!(p.iter().any(|f| f.path.ends_with(".strength")), "{p:?}");
        let p = problems("spec = { kind = \"vce\", strength = 7 }");
        assert!(
            p.iter()
                .any(|f| f.path.ends_with(".strength") && f.message.contains("only used")),
            "{p:?}"
        );
        let p = problems("spec = { kind = \"vce\", confined_volume_m3 = 100.0 }");
        assert!(
            p.iter().any(|f| f.path.ends_with(".confined_volume_m3")),
            "{p:?}"
        );
        let p = problems(
            "spec = { kind = \"vce\", model = \"multi-energy\", strength = 7, \
             confined_volume_m3 = -5.0 }",
        );
        assert!(
            p.iter().any(|f| f.path.ends_with(".confined_volume_m3")),
            "{p:?}"
        );
        let p = problems("spec = { kind = \"vce\", model = \"tno\" }");
        assert!(p.iter().any(|f| f.line.is_some()), "{p:?}");
    }

    fn bst(flame_mach: Option<f64>, classes: Option<[&str; 3]>, volume_m3: f64) -> OutcomeSpec {
        OutcomeSpec::Vce {
            mass_kg: None,
            strength: None,
            confined_volume_m3: Some(volume_m3),
            model: Some(VceModel::Bst),
            flame_mach,
            reactivity: classes.map(|c| c[0].to_string()),
            congestion: classes.map(|c| c[1].to_string()),
            confinement: classes.map(|c| c[2].to_string()),
        }
    }

    /// The BST footprint against [`BakerStrehlowTang`] evaluated directly (energy 2·V·3.5 MJ/m³,
    /// the ground-reflection factor of CCPS 2010 [S]) with the Purple Book rule; the flame-speed
    /// classes medium/medium/3-D give the table's Mf = 0.44 (Farrell 2021 quoting CCPS 2010),
    /// the same footprint as `flame_mach = 0.44`.
    #[test]
    fn bst_footprint_matches_direct_evaluation() {
        for (mach, volume) in [(0.44, 5000.0), (1.0, 2000.0), (5.2, 500.0)] {
            let f = footprint_of(&bst(Some(mach), None, volume)).unwrap();
            let b = BakerStrehlowTang::new(2.0 * volume * 3.5e6, mach).unwrap();
            assert_blast_footprint(&f, VceBlast::Bst(b), &format!("Mf {mach}"));
        }
        let by_class = footprint_of(&bst(None, Some(["medium", "medium", "3D"]), 5000.0)).unwrap();
        let by_mach = footprint_of(&bst(Some(0.44), None, 5000.0)).unwrap();
        assert_eq!(by_class, by_mach);
    }

    /// Study files: `model = "bst"` parses; missing, conflicting, unknown, out-of-range and
    /// not-yet inputs are field errors with their path.
    #[test]
    fn bst_study_file_option_and_field_errors() {
        let ok = PARK.replacen(
            VCE_LINE,
            "spec = { kind = \"vce\", model = \"bst\", reactivity = \"medium\", \
             congestion = \"high\", confinement = \"2.5D\", confined_volume_m3 = 3000.0 }",
            1,
        );
        Study::from_toml_str(&ok, "park.toml").unwrap();
        let cases: [(&str, &str, &str); 8] = [
            ("model = \"bst\"", ".flame_mach", "missing"),
            (
                "model = \"bst\", reactivity = \"low\"",
                ".congestion",
                "missing",
            ),
            (
                "model = \"bst\", flame_mach = 0.5, reactivity = \"low\"",
                ".flame_mach",
                "not both",
            ),
            ("model = \"bst\", flame_mach = 6.0", ".flame_mach", "5.2"),
            (
                "model = \"bst\", reactivity = \"low\", congestion = \"low\", confinement = \"3D\"",
                ".congestion",
                "outside the BST curves",
            ),
            (
                "model = \"bst\", reactivity = \"low\", congestion = \"low\", confinement = \"1D\"",
                ".confinement",
                "not",
            ),
            (
                "model = \"bst\", flame_mach = 0.5, strength = 7",
                ".strength",
                "only used",
            ),
            ("flame_mach = 0.5", ".flame_mach", "only used"),
        ];
        for (fields, path, needle) in cases {
            let p = problems(&format!("spec = {{ kind = \"vce\", {fields} }}"));
            assert!(
                p.iter()
                    .any(|f| f.path.ends_with(path) && f.message.contains(needle)),
                "{fields}: {p:?}"
            );
        }
        let p = problems("spec = { kind = \"vce\", model = \"bst\", reactivity = \"extreme\", congestion = \"low\", confinement = \"3D\" }");
        assert!(p.iter().any(|f| f.path.ends_with(".reactivity")), "{p:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Lethality falls with distance for every strength and volume (isotropic footprint).
        #[test]
        fn lethality_falls_with_distance(
            strength in 1u8..=10,
            volume in 10.0f64..1e5,
            r1 in 0.0f64..3000.0,
            dr in 0.0f64..3000.0,
        ) {
            // Multi-energy of this strength, and BST with the flame Mach spread over the curves
            // (0.2–5.2).
            let mach = 0.2 + 5.0 * f64::from(strength - 1) / 9.0;
            for spec in [me(strength, Some(volume), None), bst(Some(mach), None, volume)] {
                let f = footprint_of(&spec).unwrap();
                let (a, b) = (f.lethality(r1, 0.0), f.lethality(r1 + dr, 0.0));
                prop_assert!((0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b));
                prop_assert!(b <= a, "{:?}: {} at {} < {} at {}", spec, a, r1, b, r1 + dr);
            }
        }
    }
}
