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
//!   the airborne fraction 2·flash (CCPS 1999 §2.1.2.2, \[M\]); liquid: Bernoulli
//!   [`source::liquid_discharge`] with `pressure_pa` the absolute pressure at the hole (gas space
//!   plus static head; qra has no liquid-level input), airborne fraction 0.
//!   `continuous-10min` releases the inventory in 600 s; instantaneous releases the inventory.
//!   Release duration = min(inventory / **whole** discharge rate, event or isolation duration,
//!   1800 s) — the inventory drains at the airborne and the rained-out rate together (before
//!   issue 16 the airborne rate alone, which overstated the duration of flashing releases).
//!   A given `release_rate_kg_s` is the airborne rate; nothing then rains out.
//! * **Rain-out** (`options.rainout = "pool-vapour"`, the default): the liquid that does not stay
//!   airborne (1 − 2·flash of a liquefied gas, all of a sub-cooled liquid) spills at the release
//!   point — continuously at (1 − f_air)·ṁ for the release duration, or at once for an
//!   instantaneous release — into an unbunded pool on concrete at 20 °C that spreads and
//!   evaporates ([`source::pool::pool_evaporation`]: boiling by ground conduction, else Mackay &
//!   Matsugu mass transfer with the weather class's wind; 1 s steps). The pool's vapour is a
//!   second continuous source at the release point: the mass evaporated within the window
//!   (from the spill until the pool has dried out, at most 30 min) spread evenly over the window
//!   (qra's choice: it conserves the evaporated mass; the peak rate would overstate it). The
//!   mass balance closes: airborne + evaporated + liquid left at the end of the window =
//!   released ([`ReleaseSummary`]). `"discard"` drops the rained-out liquid (qra before issue 16).
//!   **Toxic load of the two sources** (qra's rule, documented in `docs/purple-book-defaults.md`):
//!   both come from the same point, so while a continuous airborne release (r_a, T_a) and the
//!   pool's vapour (r_p, T_p) overlap, one plume of r_a + r_p disperses (concentrations of
//!   co-located passive plumes add), then the longer source alone; an instantaneous puff is
//!   followed by the pool's vapour plume. A receptor's toxic load is the sum of the segments'
//!   loads, L = Σ Cᵢⁿ·tᵢ (the toxic-load integral L = ∫Cⁿdt of CPR 18E §5.2 / ten Berge et al.
//!   1986), with the exposure capped at 30 min in all; P = Φ(a + b·ln L − 5). The Purple Book's
//!   own treatment of a flashing release with rain-out could not be read (\[M\]); the "dominant
//!   source only" alternative understates the load where the two are comparable (10 mm chlorine
//!   hole, sample park, D5: 0.188 kg/s airborne, 0.138 kg/s of pool vapour) and two separate
//!   outcomes would count the event twice. Flash fires and VCEs take the largest cloud:
//!   the overlap plume (r_a + r_p) of continuous releases, the airborne puff of instantaneous
//!   ones, the pool's vapour for a non-flashing liquid. Pool fires without a given diameter take
//!   the steady-state diameter of the rained-out feed rate. Jet fires take the airborne part.
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
//! * **Dense-gas model (issue 17)**: where the workbook criterion above classes a release dense,
//!   the outcome's `dense_model` chooses the model: `"slab"` (the default since 2026-12-05, see
//!   [`disp::DenseGasModel`]) the SLAB-class integral
//!   model ([`disp::SlabPlume`] for continuous releases — a ground-level horizontal jet with
//!   the aerosol fraction of the airborne release, finite duration; [`disp::slab::puff::SlabPuff`]
//!   for instantaneous ones, whose toxic lethality is the probit of the toxic load ∫Cⁿdt over
//!   the passage of the puff, no envelope). Inputs in `slab_inputs`; one SLAB integration per
//!   (event, outcome, weather); `"britter-mcquaid"` the workbook as described above (a screening
//!   option).
//! * **Flash fire**: lethality 1 inside the LFL envelope of the same plume/puff (Purple Book),
//!   LFL converted to kg/m³ at 20 °C, 1 atm — where the release is classed dense, the plume/cloud
//!   of the outcome's `dense_model` (SLAB-class by default), as for toxic releases. Indoors
//!   (societal risk) the rule set's factor
//!   (purple-book: 1, CPR 18E Figure 5.3 as transcribed \[S\]), or `options.flash_fire_indoor_lethality`
//!   as an explicit indoor shape.
//! * **Jet fire**: [`JetFire`] (AQ/T 3046 flame length, point-source radiation), release height
//!   1 m, radiant fraction 0.2 \[M\]; the outcome's `orientation`: horizontal (default) aimed
//!   downwind (a directional footprint that turns with the wind; qra's convention, not a cited
//!   rule) or vertical (a radially symmetric footprint).
//! * **Pool fire**: [`PoolFireSpec::from_substance`] with the given diameter or the steady-state
//!   diameter for the leak rate, tilted by the 10 m wind.
//! * **Fireball**: [`Fireball`] (CCPS correlations), radiant fraction 0.3 \[M\], isotropic.
//! * **Thermal lethality**: the study's thermal rule (Purple Book 35 kW/m² or AQ/T 3046
//!   37.5 kW/m², Tsao–Perry probit, exposure ≤ 20 s).
//! * **VCE**: by default TNT equivalence [`TntBlast`](crate::explosion::TntBlast) with yield η = 0.03 \[M\] of the flammable
//!   mass (given, or between LFL and UFL in the plume, or the airborne inventory). With
//!   `model = "multi-energy"` the TNO multi-energy curves [`MultiEnergy`](crate::explosion::MultiEnergy) of the outcome's
//!   `strength` (1–10), with energy E = V·3.5 MJ/m³ of the congested volume `confined_volume_m3`
//!   (AQ/T 3046 eq. E.60 \[S\]) or, without a volume, the combustion energy m·ΔH_c of the whole
//!   flammable mass (the cloud treated as one blast source — conservative). With `model = "bst"`
//!   the Baker–Strehlow–Tang curves [`BakerStrehlowTang`](crate::explosion::BakerStrehlowTang) of the flame Mach number `flame_mach`
//!   (or the flame-speed table's value for `reactivity`, `congestion`, `confinement`,
//!   Pierorazio et al. 2005 \[S\]), with the same energy doubled for ground reflection
//!   ([`BST_GROUND_REFLECTION`](crate::explosion::BST_GROUND_REFLECTION)). Every blast is centred at the release point; lethality by the Purple Book overpressure rule (≥ 30 kPa: 1;
//!   10–30 kPa: 0.025 indoors).
//!
//! Everything below the culling threshold [`P_MIN`] counts as 0.

use super::footprint::{BandTable, DirectionalTable, Footprint, Hazard, RadialTable, Shape};
use super::scenario::ScenarioContext;
use super::source_term;
use super::study::{
    JetOrientation, OutcomeSpec, Phase, Rainout, ReleaseKind, VceSpec, WeatherClass,
};
use crate::constants::{GAS_CONSTANT_J_MOL_K, STANDARD_PRESSURE_PA};
use crate::dispersion::outputs::{distance_to, plume_flammable_mass};
use crate::dispersion::{
    self as disp, Atmosphere, GaussianPlume, GroundCloud, SigmaScheme, SourceGas, Terrain,
};
use crate::error::{QraError, Result};
use crate::explosion::{BlastSource, VceBlast};
use crate::fire::{
    Fireball, HeatSource, JetFire, PoolFire, PoolFireSpec, Receiver, Transmissivity,
};
use crate::numerics;
use crate::source;
use crate::substance::Substance;
use crate::vulnerability::blast::BlastRule;
use crate::vulnerability::thermal::ThermalRule;
use crate::vulnerability::toxic::ToxicModel;

pub use crate::vulnerability::P_MIN;
/// Ambient temperature of the wiring, K (20 °C).
const AMBIENT_K: f64 = 293.15;
/// Release-duration cap, s.
const DURATION_CAP_S: f64 = 1800.0;
/// Toxic exposure cap, s (AQ/T 3046: 30 min \[S\]).
const EXPOSURE_CAP_S: f64 = 1800.0;
/// Radiant fraction of jet fires \[M\] (typical 0.15–0.3, API 521).
const JET_RADIANT_FRACTION: f64 = 0.2;
/// Radiant fraction of fireballs \[M\] (CCPS: 0.25–0.4).
const FIREBALL_RADIANT_FRACTION: f64 = 0.3;
/// Downwind distance at which a source-anchored directional table samples its first column, m
/// (qra's convention: close enough to the source to stand for it, far enough for the plume
/// models' near-field to be defined).
const NEAR_SOURCE_X_M: f64 = 1.0;
/// Samples along x and y of directional rasters.
const NX: usize = 160;
const NY: usize = 81;
/// Samples of radial tables.
const NR: usize = 200;

fn atmosphere(w: &WeatherClass) -> Result<Atmosphere> {
    Atmosphere::new(
        w.wind_speed_m_s,
        w.stability,
        Terrain::Rural,
        SigmaScheme::Briggs,
    )
}

fn phase(ctx: &ScenarioContext<'_>) -> Phase {
    source_term::phase_of(ctx.installation, ctx.substance)
}

/// A resolved release: rate (continuous) or mass (instantaneous), duration.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Release {
    Continuous { rate_kg_s: f64, duration_s: f64 },
    Instantaneous { mass_kg: f64 },
}

impl Release {
    /// The same release with its rate or mass multiplied by `f`.
    fn scaled(self, f: f64) -> Release {
        match self {
            Release::Continuous {
                rate_kg_s,
                duration_s,
            } => Release::Continuous {
                rate_kg_s: rate_kg_s * f,
                duration_s,
            },
            Release::Instantaneous { mass_kg } => Release::Instantaneous {
                mass_kg: mass_kg * f,
            },
        }
    }

    /// Mass released, kg.
    fn mass_kg(self) -> f64 {
        match self {
            Release::Continuous {
                rate_kg_s,
                duration_s,
            } => rate_kg_s * duration_s,
            Release::Instantaneous { mass_kg } => mass_kg,
        }
    }
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

/// What leaves containment: the whole discharge and the fraction of it that stays airborne (the
/// rest rains out).
#[derive(Debug, Clone, Copy)]
struct Discharge {
    total: Release,
    airborne_fraction: f64,
}

impl Discharge {
    /// The airborne part; `None` when nothing stays airborne (sub-cooled liquid).
    fn airborne(&self) -> Option<Release> {
        (self.airborne_fraction > 0.0).then(|| self.total.scaled(self.airborne_fraction))
    }

    /// The rained-out liquid; `None` when everything stays airborne.
    fn rained_out(&self) -> Option<Release> {
        (self.airborne_fraction < 1.0).then(|| self.total.scaled(1.0 - self.airborne_fraction))
    }
}

/// The discharge of the outcome's event (see the module docs, "Source term"). A given
/// `release_rate_kg_s` is the airborne rate (nothing rains out).
fn discharge(
    ctx: &ScenarioContext<'_>,
    given_rate: Option<f64>,
    given_duration: Option<f64>,
) -> Result<Discharge> {
    let inst = ctx.installation;
    let s = ctx.substance;
    let kind = ctx.event.release.unwrap_or(ReleaseKind::Hole);
    // The inventory drains at the whole discharge rate, airborne and rained-out together.
    let duration = |rate: f64| -> Result<f64> {
        let iso = given_duration.or(ctx.duration_s);
        source::release_duration_s(inst.inventory_kg(s)?, rate, iso, DURATION_CAP_S)
    };
    if let Some(r) = given_rate {
        return Ok(Discharge {
            total: Release::Continuous {
                rate_kg_s: r,
                duration_s: duration(r)?,
            },
            airborne_fraction: 1.0,
        });
    }
    let airborne_fraction = airborne_fraction(ctx, s)?;
    let total = match kind {
        ReleaseKind::Instantaneous => Release::Instantaneous {
            mass_kg: inst.inventory_kg(s)?,
        },
        ReleaseKind::Continuous10Min => Release::Continuous {
            rate_kg_s: inst.inventory_kg(s)? / 600.0,
            duration_s: given_duration
                .or(ctx.duration_s)
                .unwrap_or(600.0)
                .min(600.0),
        },
        ReleaseKind::Hole | ReleaseKind::Rupture | ReleaseKind::Continuous => {
            let d_mm = ctx.event.hole_diameter_mm.ok_or_else(|| {
                QraError::invalid(
                    format!("events['{}'].hole_diameter_mm", ctx.event.id),
                    "missing",
                    "needed to compute the release rate (or give release_rate_kg_s in the outcome)",
                )
            })?;
            let rate = source_term::hole_discharge_rate_kg_s(
                inst,
                s,
                source::hole_area_m2(d_mm / 1000.0),
                "(or give release_rate_kg_s in the outcome)",
            )?;
            Release::Continuous {
                rate_kg_s: rate,
                duration_s: duration(rate)?,
            }
        }
    };
    Ok(Discharge {
        total,
        airborne_fraction,
    })
}

/// The airborne release of the outcome's event (jet fires): [`discharge`]'s airborne part.
///
/// # Errors
/// [`QraError::NotImplemented`] for a non-flashing liquid (nothing airborne), besides those of
/// [`discharge`].
fn release(
    ctx: &ScenarioContext<'_>,
    given_rate: Option<f64>,
    given_duration: Option<f64>,
) -> Result<Release> {
    discharge(ctx, given_rate, given_duration)?
        .airborne()
        .ok_or_else(|| {
            QraError::not_yet(
                "airborne release of a non-flashing liquid (only its pool evaporates): give release_rate_kg_s",
            )
        })
}

/// Time step of the pool simulation, s (the spill and evaporation histories are resolved to 1 s;
/// 1 800 steps per pool).
const POOL_DT_S: f64 = 1.0;

/// The pool of a release's rained-out liquid (rain-out, see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
struct RainoutPool {
    /// The pool's vapour as a continuous source from the release point: the mass evaporated by
    /// the end of the window divided by the window (from the spill to the pool drying out, at
    /// most [`DURATION_CAP_S`]); `None` when nothing evaporates in the window.
    vapour: Option<Release>,
    /// Mass rained out into the pool, kg.
    rained_out_kg: f64,
    /// Mass evaporated from the pool within the window, kg.
    evaporated_kg: f64,
    /// Liquid left in the pool at the end of the window, kg.
    remaining_kg: f64,
}

/// Spreads and evaporates the rained-out liquid `spill` on unbunded concrete at ambient
/// temperature under weather `w` ([`source::pool::pool_evaporation`], 1 s steps over
/// max(spill duration, [`DURATION_CAP_S`])).
fn rainout_pool(
    ctx: &ScenarioContext<'_>,
    spill: Release,
    w: &WeatherClass,
) -> Result<RainoutPool> {
    use source::pool;
    let s = ctx.substance;
    let tb = s.normal_boiling_point_k()?;
    let (instantaneous_mass_kg, spill_rate_kg_s, spill_duration_s) = match spill {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => (0.0, rate_kg_s, duration_s),
        Release::Instantaneous { mass_kg } => (mass_kg, 0.0, 0.0),
    };
    let spec = pool::PoolSpec {
        instantaneous_mass_kg,
        spill_rate_kg_s,
        spill_duration_s,
        liquid_density_kg_m3: s.liquid_density_kg_m3()?,
        boiling_point_k: tb,
        heat_of_vaporisation_j_kg: s.heat_of_vaporisation_j_kg()?,
        molar_mass_kg_mol: s.molar_mass_kg_mol()?,
        // Only a non-boiling pool (T_b ≥ ambient) evaporates by its vapour pressure.
        vapour_pressure_pa: if tb > AMBIENT_K {
            s.vapour_pressure_pa(AMBIENT_K)?
        } else {
            0.0
        },
        ground_temperature_k: AMBIENT_K,
        ground_conductivity_w_m_k: pool::DEFAULT_GROUND_CONDUCTIVITY_W_M_K,
        ground_diffusivity_m2_s: pool::DEFAULT_GROUND_DIFFUSIVITY_M2_S,
        wind_speed_m_s: w.wind_speed_m_s,
        schmidt_number: pool::DEFAULT_SCHMIDT_NUMBER,
        bund_area_m2: None,
        min_thickness_m: pool::DEFAULT_MIN_THICKNESS_M,
    };
    let t_end = spill_duration_s.max(DURATION_CAP_S);
    let h = pool::pool_evaporation(&spec, t_end, POOL_DT_S)?;
    let last = h.time_s.len() - 1;
    let evaporated_kg = h.evaporated_kg[last];
    // The window ends when the pool has dried out after the spill, else at t_end.
    let window_s = h
        .time_s
        .iter()
        .zip(&h.liquid_mass_kg)
        .find(|&(&t, &m)| t >= spill_duration_s && t > 0.0 && m <= 0.0)
        .map_or(t_end, |(&t, _)| t);
    let vapour = (evaporated_kg > 0.0).then_some(Release::Continuous {
        rate_kg_s: evaporated_kg / window_s,
        duration_s: window_s.min(DURATION_CAP_S),
    });
    Ok(RainoutPool {
        vapour,
        rained_out_kg: h.spilled_kg[last],
        evaporated_kg,
        remaining_kg: h.liquid_mass_kg[last],
    })
}

/// Everything that disperses from one outcome's release: the airborne part and the vapour of the
/// rained-out pool (with `options.rainout = "pool-vapour"`).
#[derive(Debug, Clone, Copy)]
struct Sources {
    discharge: Discharge,
    airborne: Option<Release>,
    pool: Option<RainoutPool>,
}

/// The sources of the outcome's release under weather `w` (see the module docs, "Rain-out").
///
/// # Errors
/// Those of [`discharge`] and the pool model; [`QraError::NotImplemented`] when nothing
/// disperses (a non-flashing liquid with `options.rainout = "discard"`, or a pool that does not
/// evaporate).
fn sources(
    ctx: &ScenarioContext<'_>,
    given_rate: Option<f64>,
    given_duration: Option<f64>,
    w: &WeatherClass,
) -> Result<Sources> {
    let d = discharge(ctx, given_rate, given_duration)?;
    let pool = match (ctx.options.rainout, d.rained_out()) {
        (Rainout::PoolVapour, Some(spill)) => Some(rainout_pool(ctx, spill, w)?),
        _ => None,
    };
    let src = Sources {
        discharge: d,
        airborne: d.airborne(),
        pool,
    };
    if src.airborne.is_none() && src.pool_vapour().is_none() {
        return Err(QraError::not_yet(
            "nothing disperses from this release: a non-flashing liquid whose pool does not evaporate, or options.rainout = 'discard'; give release_rate_kg_s",
        ));
    }
    Ok(src)
}

impl Sources {
    fn pool_vapour(&self) -> Option<Release> {
        self.pool.and_then(|p| p.vapour)
    }

    /// The one cloud that flash fires and VCEs take (the largest flammable cloud): while a
    /// continuous airborne release and its pool's vapour overlap, both rates added (co-located
    /// sources; the passive plume is linear in the rate); the airborne puff of an instantaneous
    /// release (its pool's vapour plume is far more dilute); the pool's vapour alone for a
    /// non-flashing liquid. `true` when the cloud is the pool's vapour alone.
    fn largest_cloud(&self) -> (Release, bool) {
        if let Some([ra, ta, rp, tp]) = self.both_continuous() {
            let rel = Release::Continuous {
                rate_kg_s: ra + rp,
                duration_s: ta.min(tp),
            };
            return (rel, false);
        }
        match (self.airborne, self.pool_vapour()) {
            (Some(a), _) => (a, false),
            (None, Some(p)) => (p, true),
            // Excluded by `sources`.
            (None, None) => (Release::Instantaneous { mass_kg: 0.0 }, false),
        }
    }

    /// `[r_a, T_a, r_p, T_p]` (kg/s, s) when the airborne release and the pool's vapour are
    /// both continuous.
    fn both_continuous(&self) -> Option<[f64; 4]> {
        match (self.airborne, self.pool_vapour()) {
            (
                Some(Release::Continuous {
                    rate_kg_s: ra,
                    duration_s: ta,
                }),
                Some(Release::Continuous {
                    rate_kg_s: rp,
                    duration_s: tp,
                }),
            ) => Some([ra, ta, rp, tp]),
            _ => None,
        }
    }
}

/// The band |y| ≤ `half_width(x)` with lethality 1 (a flash fire inside the LFL iso-line of its
/// cloud: the crosswind profiles of every [`GroundCloud`] decrease with |y|), tabulated at the NX
/// columns of the toxic rasters ([`raster_columns`]) over x ∈ [0, reach] (the first column
/// sampled just downwind of the source, as there). A [`Shape::Band`] keeps the edge a step and costs one cloud evaluation
/// per column (issue 14: the 0/1 raster evaluated the cloud at every node, smeared the edge
/// over a raster cell and held NX·NY values).
fn band(half_width: impl Fn(f64) -> f64, reach: f64) -> Result<Shape> {
    let (dx, w) = band_widths(half_width, reach);
    Ok(Shape::Band(BandTable::new(0.0, dx, w, 1.0)?))
}

/// The column spacing of [`band`] over `reach`, m, and its sample positions x_j, m.
fn band_columns(reach: f64) -> (f64, impl Iterator<Item = f64>) {
    let dx = reach.max(1.0) / (NX - 1) as f64;
    let x = move |i: usize| {
        if i == 0 {
            (0.5 * dx).min(NEAR_SOURCE_X_M)
        } else {
            i as f64 * dx
        }
    };
    (dx, (0..NX).map(x))
}

/// The spacing and half-widths of [`band`] (non-finite half-widths read as 0).
fn band_widths(half_width: impl Fn(f64) -> f64, reach: f64) -> (f64, Vec<f64>) {
    let (dx, xs) = band_columns(reach);
    let w = xs
        .map(|x| {
            let w = half_width(x);
            if w.is_finite() {
                w.max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    (dx, w)
}

/// Samples `f(x, y)` on a local raster of `nx` × `ny` nodes (`ny` odd) covering x ∈ [x0, x1],
/// y ∈ [−w, w]. Every footprint wired here is symmetric about the downwind axis (plumes, clouds, downwind jets, wind-tilted pools) and
/// non-increasing in |y| at fixed x (Gaussian or top-hat crosswind profiles; a flame symmetric
/// about the x–z plane is seen less as the receiver moves sideways), so each column is
/// evaluated from the axis outwards, only the rows y ≤ 0, mirrored, and stops at the first
/// node below P_MIN (stored 0, as are the nodes beyond it) when `stop_at_zero`. The table
/// equals the one evaluating every node (`stop_at_zero = false`, tested for fires and clouds)
/// at the cost of the footprint's own area (issue 14).
fn raster_n(
    f: impl Fn(f64, f64) -> f64,
    x0: f64,
    x1: f64,
    half_width: f64,
    nx: usize,
    ny: usize,
    stop_at_zero: bool,
) -> Result<Shape> {
    raster_columns(
        |x| x,
        |x, y| f(*x, y),
        x0,
        x1,
        half_width,
        nx,
        ny,
        stop_at_zero,
    )
}

/// [`raster_n`] with the x-dependent part of `f` evaluated once per column: `col(x)` builds the
/// column and `f(&column, y)` samples it (for models whose crosswind profile is cheap once the
/// column is known, e.g. [`disp::CloudColumn`]; identical values to `raster_n` of the composed
/// function).
#[allow(clippy::too_many_arguments)]
fn raster_columns<C>(
    col: impl Fn(f64) -> C,
    f: impl Fn(&C, f64) -> f64,
    x0: f64,
    x1: f64,
    half_width: f64,
    nx: usize,
    ny: usize,
    stop_at_zero: bool,
) -> Result<Shape> {
    debug_assert!(ny % 2 == 1);
    let x1 = x1.max(x0 + 1.0);
    let w = half_width.max(0.5);
    let dx = (x1 - x0) / (nx - 1) as f64;
    let dy = 2.0 * w / (ny - 1) as f64;
    let mut v = vec![0.0; nx * ny];
    // Column by column, from the axis (row ny/2, y = 0) outwards.
    for i in 0..nx {
        // A table that starts at the source (x0 = 0) takes its first column just downwind
        // (x = min(dx/2, NEAR_SOURCE_X_M)): the plume and cloud models are 0 at x = 0 by
        // definition, and a 0 there would ramp the lethality up across the whole first
        // step (issue 14: passive chlorine 5 kg/s, F 1.5 m/s gave 0.32 at 10 m for 1.0).
        let x = if i == 0 && x0 == 0.0 {
            (0.5 * dx).min(NEAR_SOURCE_X_M)
        } else {
            x0 + i as f64 * dx
        };
        let column = col(x);
        for j in (0..=ny / 2).rev() {
            let y = -w + j as f64 * dy;
            let p = f(&column, y);
            let p = if p >= P_MIN { p.min(1.0) } else { 0.0 };
            v[j * nx + i] = p;
            v[(ny - 1 - j) * nx + i] = p;
            if stop_at_zero && p == 0.0 {
                break;
            }
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

/// Source gas of the Britter–McQuaid wiring, or `None` when the installation is not a dense-gas
/// candidate (or the substance lacks the data to decide). Pure gas at ambient temperature for a
/// gas-phase installation; for a flashing liquefied gas the airborne mass with aerosol fraction
/// 1 − flash/airborne, evaporated by adiabatic mixing with air ([`disp::AerosolMixture`]).
/// Liquid (non-flashing) sources are not dense-gas candidates.
fn dense_source(ctx: &ScenarioContext<'_>) -> Result<Option<SourceGas>> {
    let s = ctx.substance;
    Ok(match phase(ctx) {
        Phase::Gas => Some(SourceGas::Pure {
            density_kg_m3: STANDARD_PRESSURE_PA * s.molar_mass_kg_mol()?
                / (GAS_CONSTANT_J_MOL_K * AMBIENT_K),
        }),
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
                Ok(mix) => Some(SourceGas::Aerosol(mix)),
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

/// Roughness length of the SLAB-class model for the wiring's rural terrain, m: 0.1 m, "open
/// flat terrain with scattered obstacles / crops" (TNO Yellow Book CPR 14E, Table 4.3, as
/// recalled \[M\]) — a chemical park's surroundings; the Briggs rural σ's of the passive part
/// do not depend on it.
const SLAB_ROUGHNESS_M: f64 = 0.1;

/// The SLAB-class inputs of release `rel` (see the module docs), or `None` where the
/// Britter–McQuaid workbook stays: model not selected, a non-flashing liquid, substance data
/// missing for the cloud thermodynamics, or a weather the SLAB-class model does not take
/// (wind < 1 m/s).
///
/// Source: a liquefied gas leaves as a horizontal ground-level jet at its boiling point with the
/// aerosol fraction 1 − flash/airborne of the airborne release and the Bernoulli liquid velocity
/// √(2(p − p_a)/ρ_l) at the storage pressure (flash acceleration neglected); a gas at ambient
/// temperature at the speed of sound √(γRT/M) of the expanded jet (qra's convention \[M\]); an
/// instantaneous release as a box of the airborne mass moving with the wind. Concentrations are
/// averaged over `averaging_time_s`: 600 s for toxic exposure (the averaging time of the σ's of
/// the passive plume it tends to), SLAB's shortest, [`disp::slab::INSTANT_AVERAGING_S`] (10 s),
/// for the LFL envelope of flash fires (ignition responds to short-time concentrations; qra's
/// choice).
fn slab_inputs(
    ctx: &ScenarioContext<'_>,
    rel: Release,
    w: &WeatherClass,
    model: disp::DenseGasModel,
    averaging_time_s: f64,
) -> Result<Option<disp::SlabInputs>> {
    if model != disp::DenseGasModel::Slab {
        return Ok(None);
    }
    let s = ctx.substance;
    let Ok(substance) = disp::SlabSubstance::from_substance(s) else {
        return Ok(None);
    };
    let Ok(ambient) = disp::SlabAmbient::new(
        atmosphere(w)?.with_averaging_time(averaging_time_s)?,
        AMBIENT_K,
        STANDARD_PRESSURE_PA,
        SLAB_ROUGHNESS_M,
    ) else {
        return Ok(None);
    };
    let (temperature_k, liquid_fraction, velocity) = match phase(ctx) {
        Phase::Liquid => return Ok(None),
        Phase::Gas => {
            let gamma = s.heat_capacity_ratio().unwrap_or(1.3);
            let c = (gamma * GAS_CONSTANT_J_MOL_K * AMBIENT_K / substance.molar_mass_kg_mol).sqrt();
            (AMBIENT_K, 0.0, c)
        }
        Phase::TwoPhase => {
            let t = ctx.installation.temperature_k.unwrap_or(AMBIENT_K);
            let tb = substance.boiling_point_k;
            if tb >= AMBIENT_K {
                return Ok(None);
            }
            let flash = source::flash_fraction(
                t,
                tb,
                substance.liquid_cp_j_kg_k,
                substance.latent_heat_j_kg,
            )?;
            let airborne = source::airborne_fraction(flash)?.0;
            if airborne <= 0.0 {
                return Ok(None);
            }
            let liquid = (1.0 - flash / airborne).clamp(0.0, 0.99);
            let psat = s.vapour_pressure_pa(t)?;
            let p = ctx.installation.pressure_pa.unwrap_or(psat).max(psat);
            let u = (2.0 * (p - STANDARD_PRESSURE_PA).max(0.0) / substance.liquid_density_kg_m3)
                .sqrt()
                .max(1.0);
            (tb, liquid, u)
        }
    };
    let source = match rel {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => disp::SlabSource::HorizontalJet {
            rate_kg_s,
            exit_velocity_m_s: velocity.min(1000.0),
            temperature_k,
            liquid_fraction,
            duration_s: Some(duration_s),
        },
        Release::Instantaneous { mass_kg } => disp::SlabSource::Instantaneous {
            mass_kg,
            temperature_k,
            liquid_fraction,
        },
    };
    Ok(Some(disp::SlabInputs {
        substance,
        ambient,
        source,
        stop_below_kg_m3: None,
    }))
}

/// The source gas of a pool's vapour: the pure vapour at ambient temperature (as for a
/// gas-phase installation; the vapour leaving a boiling pool is colder and denser, so this
/// understates the dense-gas effect).
fn pool_vapour_gas(ctx: &ScenarioContext<'_>) -> Result<SourceGas> {
    Ok(SourceGas::Pure {
        density_kg_m3: STANDARD_PRESSURE_PA * ctx.substance.molar_mass_kg_mol()?
            / (GAS_CONSTANT_J_MOL_K * AMBIENT_K),
    })
}

/// The ground-level cloud of release `rel` at `height_m` under weather `w`: the dense/passive
/// choice of [`GroundCloud`] with this installation's source gas ([`dense_source`]); a release
/// classed dense uses `model` (the SLAB-class model by default, see [`slab_inputs`]).
fn ground_cloud(
    ctx: &ScenarioContext<'_>,
    rel: Release,
    height_m: f64,
    w: &WeatherClass,
    model: disp::DenseGasModel,
    hazard: Hazard,
) -> Result<GroundCloud> {
    // A flash fire needs the cloud only down to the LFL.
    let stop = match hazard {
        Hazard::FlashFire => Some(lfl_kg_m3(ctx.substance, false)?),
        _ => None,
    };
    ground_cloud_until(ctx, rel, height_m, w, model, hazard, stop)
}

/// [`ground_cloud`] whose SLAB-class plume integration ends where the cloud can no longer
/// reach `stop_below_kg_m3` (`SlabPlume::new_until`: every concentration at or above the level
/// is the same, bit for bit; `None`: to 20 km).
fn ground_cloud_until(
    ctx: &ScenarioContext<'_>,
    rel: Release,
    height_m: f64,
    w: &WeatherClass,
    model: disp::DenseGasModel,
    hazard: Hazard,
    stop_below_kg_m3: Option<f64>,
) -> Result<GroundCloud> {
    let t_av = match hazard {
        Hazard::FlashFire => disp::slab::INSTANT_AVERAGING_S,
        _ => atmosphere(w)?.averaging_time_s,
    };
    let mut slab = slab_inputs(ctx, rel, w, model, t_av)?;
    if let Some(s) = slab.as_mut() {
        s.stop_below_kg_m3 = stop_below_kg_m3;
    }
    cloud_of(rel, dense_source(ctx)?.as_ref(), height_m, w, slab)
}

/// The cloud of a source: the airborne release with the installation's source gas, or the
/// pool's vapour (`pool_only`) as pure vapour at ground level (the workbook/passive choice: the
/// SLAB-class evaporating-pool source is not wired yet).
fn source_cloud(
    ctx: &ScenarioContext<'_>,
    rel: Release,
    pool_only: bool,
    height_m: f64,
    w: &WeatherClass,
    model: disp::DenseGasModel,
    hazard: Hazard,
) -> Result<GroundCloud> {
    if pool_only {
        cloud_of(rel, Some(&pool_vapour_gas(ctx)?), 0.0, w, None)
    } else {
        ground_cloud(ctx, rel, height_m, w, model, hazard)
    }
}

/// Whether the cloud of [`source_cloud`] (either dense-gas model) is classed dense: the
/// Britter–McQuaid criterion of the release, without building a cloud for a continuous one
/// ([`GroundCloud::continuous_is_dense`]).
fn classed_dense(
    ctx: &ScenarioContext<'_>,
    rel: Release,
    pool_only: bool,
    w: &WeatherClass,
) -> Result<bool> {
    let gas = if pool_only {
        Some(pool_vapour_gas(ctx)?)
    } else {
        dense_source(ctx)?
    };
    match rel {
        Release::Continuous { rate_kg_s, .. } => GroundCloud::continuous_is_dense(
            rate_kg_s,
            gas.as_ref(),
            atmosphere(w)?,
            air_density(),
            AMBIENT_K,
        ),
        Release::Instantaneous { .. } => Ok(cloud_of(rel, gas.as_ref(), 1.0, w, None)?.is_dense()),
    }
}

/// The ground-level cloud of release `rel` from source gas `gas` (see [`ground_cloud`]).
fn cloud_of(
    rel: Release,
    gas: Option<&SourceGas>,
    height_m: f64,
    w: &WeatherClass,
    slab: Option<disp::SlabInputs>,
) -> Result<GroundCloud> {
    let (rho_air, atm) = (air_density(), atmosphere(w)?);
    match rel {
        Release::Continuous {
            rate_kg_s,
            duration_s,
        } => GroundCloud::continuous_with(
            rate_kg_s, duration_s, height_m, gas, atm, rho_air, AMBIENT_K, slab,
        ),
        Release::Instantaneous { mass_kg } => {
            GroundCloud::instantaneous_with(mass_kg, height_m, gas, atm, rho_air, AMBIENT_K, slab)
        }
    }
}

/// The toxic exposure of a receptor to an outcome's sources.
enum ToxicExposure {
    /// One source (the airborne release, or a non-flashing liquid's pool vapour): the
    /// lethality of [`GroundCloud::toxic_lethality`] with the exposure cap.
    One(GroundCloud),
    /// The airborne release and its pool's vapour: successive exposure segments whose toxic
    /// loads add ([`GroundCloud::toxic_load`]); the segments' durations already respect the
    /// exposure cap.
    Sum(Vec<GroundCloud>),
}

impl ToxicExposure {
    /// The exposure to `src` (see the module docs, "Rain-out"): while a continuous airborne
    /// release (r_a, T_a) and its pool's vapour (r_p, T_p) overlap, one plume of r_a + r_p for
    /// min(T_a, T_p), then the longer source alone for the rest, the exposure capped at 30 min in
    /// all; an instantaneous airborne puff plus the pool's vapour plume; else the one source.
    /// `stop_below_kg_m3`: the concentration below which the exposure cannot matter (see
    /// [`ground_cloud_until`]; `None`: the whole cloud).
    fn of(
        ctx: &ScenarioContext<'_>,
        src: &Sources,
        height_m: f64,
        w: &WeatherClass,
        model: disp::DenseGasModel,
        stop_below_kg_m3: Option<f64>,
    ) -> Result<ToxicExposure> {
        let air = |rel| {
            ground_cloud_until(
                ctx,
                rel,
                height_m,
                w,
                model,
                Hazard::Toxic,
                stop_below_kg_m3,
            )
        };
        let pool = |rel| source_cloud(ctx, rel, true, height_m, w, model, Hazard::Toxic);
        if let Some([ra, ta, rp, tp]) = src.both_continuous() {
            let overlap = ta.min(tp).min(EXPOSURE_CAP_S);
            let mut v = vec![air(Release::Continuous {
                rate_kg_s: ra + rp,
                duration_s: overlap,
            })?];
            let rest = (ta.max(tp) - ta.min(tp)).min(EXPOSURE_CAP_S - overlap);
            if rest > 0.0 {
                v.push(if ta > tp {
                    air(Release::Continuous {
                        rate_kg_s: ra,
                        duration_s: rest,
                    })?
                } else {
                    pool(Release::Continuous {
                        rate_kg_s: rp,
                        duration_s: rest,
                    })?
                });
            }
            return Ok(ToxicExposure::Sum(v));
        }
        Ok(match (src.airborne, src.pool_vapour()) {
            (Some(a), None) => ToxicExposure::One(air(a)?),
            (None, Some(p)) => ToxicExposure::One(pool(p)?),
            (Some(a), Some(p)) => ToxicExposure::Sum(vec![air(a)?, pool(p)?]),
            // Excluded by `sources`.
            (None, None) => ToxicExposure::Sum(Vec::new()),
        })
    }

    /// The crosswind column at `x` ([`ToxicColumn`]).
    fn column(&self, x: f64) -> ToxicColumn<'_> {
        match self {
            ToxicExposure::One(c) => ToxicColumn::One(c.column(x)),
            ToxicExposure::Sum(v) => ToxicColumn::Sum(v.iter().map(|c| c.column(x)).collect()),
        }
    }

    /// Outdoor toxic lethality at ground point (x, y).
    fn lethality(&self, m: &ToxicModel, x: f64, y: f64) -> f64 {
        match self {
            ToxicExposure::One(c) => c.toxic_lethality(m, x, y, EXPOSURE_CAP_S),
            ToxicExposure::Sum(v) => {
                let load: f64 = v
                    .iter()
                    .map(|c| c.toxic_load(m, x, y, EXPOSURE_CAP_S))
                    .sum();
                crate::vulnerability::probit_to_probability(m.probit_from_load(load))
            }
        }
    }
}

/// A [`ToxicExposure`] at one x, for the footprint raster: [`ToxicColumn::lethality`] is
/// [`ToxicExposure::lethality`] at (x, y), for a single SLAB plume with tabulated erf and Φ
/// ([`disp::CloudColumn::toxic_lethality_tabulated`]; within 3·10⁻⁸ relative where P ≥ P_MIN,
/// tested), otherwise bit for bit.
enum ToxicColumn<'a> {
    One(disp::CloudColumn<'a>),
    Sum(Vec<disp::CloudColumn<'a>>),
}

impl ToxicColumn<'_> {
    fn lethality(&self, m: &ToxicModel, y: f64) -> f64 {
        match self {
            ToxicColumn::One(c) => c.toxic_lethality_tabulated(m, y, EXPOSURE_CAP_S),
            ToxicColumn::Sum(v) => {
                let load: f64 = v.iter().map(|c| c.toxic_load(m, y, EXPOSURE_CAP_S)).sum();
                crate::vulnerability::probit_to_probability(m.probit_from_load(load))
            }
        }
    }
}

/// The lowest concentration, kg/m³, at which a toxic exposure can still reach [`P_MIN`]: the
/// longest exposure (the cap, [`EXPOSURE_CAP_S`]) with half the load (an airborne release and
/// its pool's vapour add their loads), i.e. the probit of P_MIN lowered by b·ln 2. The
/// footprint's clouds are integrated only while they can exceed it; below it every lethality
/// is under P_MIN, which the footprint stores as 0 (`None` if not a positive number).
fn toxic_stop_level(model: &ToxicModel) -> Option<f64> {
    let y_min = 5.0 + crate::vulnerability::thermal::inverse_normal_cdf(P_MIN);
    let stop = model.concentration_for_probit(
        y_min - model.probit.b * std::f64::consts::LN_2,
        EXPOSURE_CAP_S,
    );
    (stop.is_finite() && stop > 0.0).then_some(stop)
}

fn toxic(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    rate: Option<f64>,
    dur: Option<f64>,
    h: Option<f64>,
    set: Option<&str>,
    dense_model: disp::DenseGasModel,
) -> Result<Footprint> {
    let s = ctx.substance;
    let model = ToxicModel::from_substance(s, set)?;
    let src = sources(ctx, rate, dur, w)?;
    let height_m = h.unwrap_or(1.0);
    if let Some(shape) = toxic_raster_from_table(ctx, &src, height_m, w, dense_model, &model)? {
        return Footprint::new(shape, Hazard::Toxic);
    }
    let c = ToxicExposure::of(
        ctx,
        &src,
        height_m,
        w,
        dense_model,
        toxic_stop_level(&model),
    )?;
    Footprint::new(toxic_shape(&c, &model)?, Hazard::Toxic)
}

/// The lethality raster of a toxic exposure: NX columns from the source to the reach at
/// [`P_MIN`] on the axis, NY rows across the widest half-width at P_MIN (a circle of radius 0
/// when nothing reaches P_MIN).
fn toxic_shape(c: &ToxicExposure, model: &ToxicModel) -> Result<Shape> {
    let centre = |x: f64| c.lethality(model, x, 0.0);
    let reach = distance_to(centre, P_MIN).min(50_000.0);
    if reach <= 0.0 {
        return Shape::circle(0.0, 0.0);
    }
    // Half-width at P_MIN: the iso-concentration whose lethality is P_MIN at each x is bounded by
    // the widest plume section; scan the table's x samples. A column that is not lethal at the
    // widest half-width found so far cannot widen it (lethality falls off the axis), so it is
    // skipped with one evaluation; every 16th column first (stride pass) makes that bound tight
    // early. The maximum is the same as bisecting every column (issue 14: the bisections cost
    // more than the raster).
    let mut w_max: f64 = 1.0;
    let column = |i: usize, w_max: f64| -> Option<f64> {
        let x = reach * i as f64 / NX as f64;
        let col = c.column(x);
        let lethal = |y: f64| col.lethality(model, y) >= P_MIN;
        // Nothing to bound where the centreline itself is below P_MIN, nor where the column
        // is not lethal at the current bound.
        if !lethal(0.0) || !lethal(w_max) {
            return None;
        }
        // Bracket, then bisect, the crosswind distance where lethality falls to P_MIN.
        let hi = numerics::expand_upper(1.0, lethal, 50_000.0);
        Some(numerics::bisect(0.0, hi, lethal, numerics::never, 40).1)
    };
    let stride = (1..=NX).step_by(16);
    for i in stride.clone().chain((1..=NX).filter(|i| (i - 1) % 16 != 0)) {
        if let Some(hi) = column(i, w_max) {
            w_max = w_max.max(hi);
        }
    }
    raster_columns(
        |x| c.column(x),
        |col, y| col.lethality(model, y),
        0.0,
        reach,
        w_max,
        NX,
        NY,
        true,
    )
}

/// A SLAB-class horizontal jet source as a function of its rate (the rate tables'
/// [`super::rate_table`] nodes): the rest of the source as [`slab_inputs`] resolved it.
#[derive(Debug, Clone, Copy)]
struct JetAtRate {
    exit_velocity_m_s: f64,
    temperature_k: f64,
    liquid_fraction: f64,
    duration_s: Option<f64>,
}

impl JetAtRate {
    fn at(&self, rate_kg_s: f64) -> disp::SlabSource {
        disp::SlabSource::HorizontalJet {
            rate_kg_s,
            exit_velocity_m_s: self.exit_velocity_m_s,
            temperature_k: self.temperature_k,
            liquid_fraction: self.liquid_fraction,
            duration_s: self.duration_s,
        }
    }
}

/// The SLAB-class inputs ([`slab_inputs`], averaging time `t_av`) of a continuous airborne
/// release classed dense ([`classed_dense`]), and its source as a function of the rate; `None`
/// for an instantaneous release, a release not classed dense, or a model or substance without
/// SLAB-class inputs.
fn dense_jet_inputs(
    ctx: &ScenarioContext<'_>,
    rel: Release,
    w: &WeatherClass,
    model: disp::DenseGasModel,
    t_av: f64,
) -> Result<Option<(disp::SlabInputs, JetAtRate)>> {
    if !matches!(rel, Release::Continuous { .. }) {
        return Ok(None);
    }
    let Some(slab) = slab_inputs(ctx, rel, w, model, t_av)? else {
        return Ok(None);
    };
    if !classed_dense(ctx, rel, false, w)? {
        return Ok(None);
    }
    let disp::SlabSource::HorizontalJet {
        exit_velocity_m_s,
        temperature_k,
        liquid_fraction,
        duration_s,
        ..
    } = slab.source
    else {
        return Ok(None);
    };
    Ok(Some((
        slab,
        JetAtRate {
            exit_velocity_m_s,
            temperature_k,
            liquid_fraction,
            duration_s,
        },
    )))
}

/// Release-rate nodes per decade of the toxic lethality table ([`toxic_raster_from_table`]).
const TOXIC_NODES_PER_DECADE: f64 = 16.0;

/// The lethality raster of a single continuous airborne release whose cloud is a SLAB-class
/// plume, read from the table of rasters on the release rate ([`super::rate_table`],
/// [`super::rate_table::Blend::Probit`]: rasters of the node rates 10^(k/16) kg/s for the same
/// release conditions, duration, weather and probit, at the same fractions of their reach and
/// half-width, blended in probit units; reach and half-width log-linear in the rate). The
/// tolerance is stated in [`super::rate_table`]'s docs. `None` — the raster is then computed
/// for this release — for a release with a pool's vapour, an instantaneous release, a cloud
/// not classed dense or another dense-gas model.
fn toxic_raster_from_table(
    ctx: &ScenarioContext<'_>,
    src: &Sources,
    height_m: f64,
    w: &WeatherClass,
    dense_model: disp::DenseGasModel,
    model: &ToxicModel,
) -> Result<Option<Shape>> {
    let (rel, rate_kg_s, duration_s) = match (src.airborne, src.pool_vapour()) {
        (
            Some(
                rel @ Release::Continuous {
                    rate_kg_s,
                    duration_s,
                },
            ),
            None,
        ) => (rel, rate_kg_s, duration_s),
        _ => return Ok(None),
    };
    let t_av = atmosphere(w)?.averaging_time_s;
    let Some((mut slab, jet)) = dense_jet_inputs(ctx, rel, w, dense_model, t_av)? else {
        return Ok(None);
    };
    let source = |q: f64| jet.at(q);
    let stop = toxic_stop_level(model);
    slab.source = source(0.0);
    slab.stop_below_kg_m3 = stop;
    let key = format!(
        "toxic lethality raster|{slab:?}|{model:?}|{:?}|{:?}",
        duration_s.to_bits(),
        height_m.to_bits()
    );
    let build = |q: f64| -> Option<super::rate_table::NodeBand> {
        let plume = disp::SlabPlume::new_until(slab.substance, slab.ambient, source(q), stop);
        let c = ToxicExposure::One(GroundCloud::Slab(Box::new(plume.ok()?), duration_s));
        let Shape::Directional(t) = toxic_shape(&c, model).ok()? else {
            return None;
        };
        Some(super::rate_table::NodeBand {
            reach_m: t.dx_m * (t.nx - 1) as f64,
            width_m: -t.y0_m,
            samples: t.lethality.iter().map(|&p| f64::from(p)).collect(),
            passage_spread_max_s: 0.0,
        })
    };
    let table = super::rate_table::table_at(
        &key,
        rate_kg_s,
        super::rate_table::Blend::Probit,
        TOXIC_NODES_PER_DECADE,
        build,
    );
    let Some(b) = table else {
        return Ok(None);
    };
    let (dx, dy) = (
        b.reach_m / (NX - 1) as f64,
        2.0 * b.width_m / (NY - 1) as f64,
    );
    let t = DirectionalTable::new(0.0, -b.width_m, dx, dy, NX, NY, b.samples)?;
    Ok(Some(Shape::Directional(t)))
}

fn flash(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    rate: Option<f64>,
    mass: Option<f64>,
    dense_model: disp::DenseGasModel,
) -> Result<Footprint> {
    let s = ctx.substance;
    let (rel, pool_only) = match (mass, rate) {
        (Some(m), _) => (Release::Instantaneous { mass_kg: m }, false),
        (None, r) => sources(ctx, r, None, w)?.largest_cloud(),
    };
    // The cloud whose LFL envelope is the flash fire: the same dense/passive choice as for toxic
    // releases, at 1 m (the LFL test is on concentration only, so the dense cloud's hand-over,
    // continuous in concentration, needs no envelope here).
    let lfl = lfl_kg_m3(s, false)?;
    if let Some(shape) = flash_band_from_table(ctx, rel, pool_only, w, dense_model, lfl)? {
        return with_flash_fire_indoor(Footprint::new(shape, Hazard::FlashFire)?, ctx);
    }
    let c = source_cloud(ctx, rel, pool_only, 1.0, w, dense_model, Hazard::FlashFire)?;
    let reach = distance_to(|x| c.peak_kg_m3(x, 0.0), lfl).min(50_000.0);
    if reach <= 0.0 {
        return Footprint::new(Shape::circle(0.0, 0.0)?, Hazard::FlashFire);
    }
    let shape = band(|x| c.half_width_m(x, lfl), reach)?;
    with_flash_fire_indoor(Footprint::new(shape, Hazard::FlashFire)?, ctx)
}

/// Below this the finite release duration is taken not to change a flash fire's steady
/// envelope: 1 − [`disp::slab::finite_duration_factor`] at the envelope's largest passage
/// spread, i.e. the largest relative change of a concentration inside it.
const STEADY_ENVELOPE_TOLERANCE: f64 = 1e-9;

/// The LFL envelope of a continuous release whose cloud is a SLAB-class plume, read from the
/// table of envelopes on the release rate ([`super::rate_table`]; its module docs state the
/// tolerance against the envelope [`flash`] computes otherwise). `None` — the envelope is then
/// computed for this release — for a pool's vapour, instantaneous releases, clouds not classed
/// dense, other dense-gas models, or a release so short that its duration changes the
/// envelope (finite-duration factor below 1 − [`STEADY_ENVELOPE_TOLERANCE`] at the envelope's
/// largest passage spread; the table holds steady envelopes).
fn flash_band_from_table(
    ctx: &ScenarioContext<'_>,
    rel: Release,
    pool_only: bool,
    w: &WeatherClass,
    model: disp::DenseGasModel,
    lfl: f64,
) -> Result<Option<Shape>> {
    let Release::Continuous {
        rate_kg_s,
        duration_s,
    } = rel
    else {
        return Ok(None);
    };
    if pool_only {
        return Ok(None);
    }
    let t_av = disp::slab::INSTANT_AVERAGING_S;
    // The steady source: everything but the rate goes into the key.
    let Some((mut slab, jet)) = dense_jet_inputs(ctx, rel, w, model, t_av)? else {
        return Ok(None);
    };
    let jet = JetAtRate {
        duration_s: None,
        ..jet
    };
    let source = |q: f64| jet.at(q);
    slab.source = source(0.0);
    slab.stop_below_kg_m3 = Some(lfl);
    let key = format!("flash-fire LFL envelope|{slab:?}|{:?}", lfl.to_bits());
    let build = |q: f64| -> Option<super::rate_table::NodeBand> {
        let plume = disp::SlabPlume::new_until(slab.substance, slab.ambient, source(q), Some(lfl));
        let c = GroundCloud::Slab(Box::new(plume.ok()?), f64::INFINITY);
        let reach = distance_to(|x| c.peak_kg_m3(x, 0.0), lfl).min(50_000.0);
        if reach.is_nan() || reach <= 0.0 {
            return None;
        }
        let (_, widths_m) = band_widths(|x| c.half_width_m(x, lfl), reach);
        let GroundCloud::Slab(p, _) = &c else {
            return None;
        };
        let passage_spread_max_s = band_columns(reach)
            .1
            .filter_map(|x| p.passage_spread_s(x))
            .fold(0.0, f64::max);
        let widest = widths_m.iter().fold(0.0f64, |m, &v| m.max(v));
        Some(super::rate_table::NodeBand {
            reach_m: reach,
            width_m: widest,
            samples: widths_m.iter().map(|w| w / widest).collect(),
            passage_spread_max_s,
        })
    };
    let Some(b) = super::rate_table::band_at(&key, rate_kg_s, build) else {
        return Ok(None);
    };
    let f = disp::slab::finite_duration_factor(duration_s, t_av, b.passage_spread_max_s);
    if f < 1.0 - STEADY_ENVELOPE_TOLERANCE {
        return Ok(None);
    }
    let (dx, _) = band_columns(b.reach_m);
    let widths = b.samples.iter().map(|s| b.width_m * s).collect();
    Ok(Some(Shape::Band(BandTable::new(0.0, dx, widths, 1.0)?)))
}

/// A flash-fire footprint with `options.flash_fire_indoor_lethality` as its explicit indoor
/// shape (the outdoor shape times the option), which overrides the rule set's indoor factor;
/// unchanged without the option or for other hazards.
fn with_flash_fire_indoor(fp: Footprint, ctx: &ScenarioContext<'_>) -> Result<Footprint> {
    match ctx.options.flash_fire_indoor_lethality {
        Some(k) if fp.hazard == Hazard::FlashFire && fp.indoor.is_none() => {
            let indoor = fp.outdoor.scaled(k)?;
            fp.with_indoor(indoor)
        }
        _ => Ok(fp),
    }
}

fn thermal_footprint<S: HeatSource>(
    fire: &S,
    rule: &ThermalRule,
    isotropic: bool,
) -> Result<Footprint> {
    Footprint::new(thermal_shape(fire, rule, isotropic, true)?, Hazard::Thermal)
}

/// The lethality shape of [`thermal_footprint`]; `stop_at_zero` as in [`raster_n`].
fn thermal_shape<S: HeatSource>(
    fire: &S,
    rule: &ThermalRule,
    isotropic: bool,
    stop_at_zero: bool,
) -> Result<Shape> {
    let dur = fire.duration_s();
    let q_min = rule.flux_at_lethality(P_MIN, dur);
    let reach = fire.reach_m(q_min).min(20_000.0);
    // Beyond `reach` the flux is below `q_min` (lethality below P_MIN, stored as 0), so raster
    // nodes outside the reach circle are not evaluated (the corners of the square: 21 % of it).
    let r2 = (reach * 1.01).powi(2);
    let p = |x: f64, y: f64| {
        if x * x + y * y > r2 {
            0.0
        } else {
            rule.lethality_outdoor(fire.heat_flux_at([x, y, 0.0], Receiver::Max), dur)
        }
    };
    if isotropic {
        radial(|r| p(r, 0.0), reach * 1.01)
    } else {
        // Heat-flux fields are smooth: a 65 × 65 raster over the square of the reach.
        let r = reach * 1.01;
        raster_n(p, -r, r, r, 65, 65, stop_at_zero)
    }
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

/// The footprint of outcome `spec` under weather class `weather`: an analytic outcome's shape
/// for the class (its `by_weather` entry, else its one footprint; indoor shape as given, else
/// the flash-fire indoor option), a physical outcome's from its consequence model
/// ([`physical_footprint`]).
///
/// # Errors
/// [`QraError::InvalidInput`] for an analytic outcome without a footprint for the class, shape
/// validation errors, and those of [`physical_footprint`].
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
                None => with_flash_fire_indoor(f, ctx),
            }
        }
        other => physical_footprint(other, weather, ctx, &ctx.rules.thermal_rule()),
    }
}

/// How the footprint of an outcome depends on the weather class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeatherDependence {
    /// Not at all: one footprint serves every weather class.
    None,
    /// Only through the 10 m wind speed (pool-fire flame tilt and drag).
    WindSpeed,
    /// Through the stability and the wind speed (dispersion).
    Full,
}

/// How the footprint [`footprint_for`] builds for `spec` depends on the weather: jet fires and
/// fireballs do not; VCEs do not when their mass or congested volume is given (otherwise the
/// flammable mass comes from the plume); pool fires through the wind speed; toxic and flash-fire
/// clouds fully; analytic outcomes only through their `by_weather` entries.
pub fn weather_dependence(spec: &OutcomeSpec) -> WeatherDependence {
    use crate::explosion::VceModel;
    match spec {
        OutcomeSpec::Analytic { by_weather, .. } if by_weather.is_empty() => {
            WeatherDependence::None
        }
        OutcomeSpec::Analytic { .. } => WeatherDependence::Full,
        OutcomeSpec::JetFire { .. } | OutcomeSpec::Fireball { .. } => WeatherDependence::None,
        OutcomeSpec::PoolFire { .. } => WeatherDependence::WindSpeed,
        OutcomeSpec::Vce(v) => {
            let volume = match v.model {
                VceModel::Tnt => None,
                VceModel::MultiEnergy {
                    confined_volume_m3, ..
                }
                | VceModel::Bst {
                    confined_volume_m3, ..
                } => confined_volume_m3,
            };
            if v.mass_kg.is_some() || volume.is_some() {
                WeatherDependence::None
            } else {
                WeatherDependence::Full
            }
        }
        OutcomeSpec::Toxic { .. } | OutcomeSpec::FlashFire { .. } => WeatherDependence::Full,
    }
}

/// The footprint of a physical outcome under one weather class (see module docs).
///
/// # Errors
/// Missing data the model needs (named by field path), invalid model inputs, or
/// [`QraError::NotImplemented`] for combinations qra has no model for (the airborne release of a
/// non-flashing liquid given no `release_rate_kg_s`; the BST flame speed of 1-D confinement).
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
            dense_model,
        } => toxic(
            ctx,
            w,
            *release_rate_kg_s,
            *duration_s,
            *release_height_m,
            probit_set.as_deref(),
            *dense_model,
        ),
        OutcomeSpec::FlashFire {
            mass_kg,
            release_rate_kg_s,
            dense_model,
        } => flash(ctx, w, *release_rate_kg_s, *mass_kg, *dense_model),
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
            let m = match mass_kg {
                Some(m) => *m,
                None => ctx.installation.inventory_kg(ctx.substance)?,
            };
            let fb = Fireball::new(
                m,
                s.heat_of_combustion_j_kg()?,
                FIREBALL_RADIANT_FRACTION,
                Transmissivity::AqT3046,
            )?;
            thermal_footprint(&fb, thermal, true)
        }
        OutcomeSpec::Vce(v) => match vce_blast(ctx, w, v)? {
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
/// table [`crate::risk::engine::RiskResult::scenarios`]). With rain-out the mass balance closes:
/// `airborne_mass_kg + pool_evaporated_kg + pool_remaining_kg = released_kg`.
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
    /// Whole mass discharged (airborne and rained out), kg.
    pub released_kg: Option<f64>,
    /// Mass rained out into the pool, kg (toxic and flash-fire outcomes with rain-out).
    pub rained_out_kg: Option<f64>,
    /// The pool's vapour source: evaporation rate averaged over its window, kg/s.
    pub pool_evaporation_rate_kg_s: Option<f64>,
    /// The pool's vapour source: its duration (the window, at most 30 min), s.
    pub pool_duration_s: Option<f64>,
    /// Mass evaporated from the pool within the window, kg.
    pub pool_evaporated_kg: Option<f64>,
    /// Liquid left in the pool at the end of the window, kg.
    pub pool_remaining_kg: Option<f64>,
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
            ..Default::default()
        },
        Release::Instantaneous { mass_kg } => ReleaseSummary {
            airborne_mass_kg: Some(mass_kg),
            ..Default::default()
        },
    };
    let classed = |rel: Release| -> Option<ReleaseSummary> {
        // Classification only (the workbook criterion, which also decides where the SLAB-class
        // model applies): no SLAB integration here.
        let dense = classed_dense(ctx, rel, false, w).ok()?;
        Some(ReleaseSummary {
            dense: Some(dense),
            ..of(rel)
        })
    };
    // Toxic and flash-fire clouds: the airborne part, the pool and the largest cloud's class.
    let dispersed = |rate: Option<f64>, dur: Option<f64>| -> Option<ReleaseSummary> {
        let src = sources(ctx, rate, dur, w).ok()?;
        let (rel, pool_only) = src.largest_cloud();
        let dense = classed_dense(ctx, rel, pool_only, w).ok()?;
        let airborne = src.airborne.map_or(
            ReleaseSummary {
                airborne_mass_kg: Some(0.0),
                ..Default::default()
            },
            of,
        );
        let vapour = src.pool_vapour();
        let (pool_rate, pool_dur) = match vapour {
            Some(Release::Continuous {
                rate_kg_s,
                duration_s,
            }) => (Some(rate_kg_s), Some(duration_s)),
            _ => (None, None),
        };
        Some(ReleaseSummary {
            dense: Some(dense),
            released_kg: Some(src.discharge.total.mass_kg()),
            rained_out_kg: src.pool.map(|p| p.rained_out_kg),
            pool_evaporation_rate_kg_s: pool_rate,
            pool_duration_s: pool_dur,
            pool_evaporated_kg: src.pool.map(|p| p.evaporated_kg),
            pool_remaining_kg: src.pool.map(|p| p.remaining_kg),
            ..airborne
        })
    };
    match spec {
        OutcomeSpec::Analytic { .. } => None,
        OutcomeSpec::Toxic {
            release_rate_kg_s,
            duration_s,
            ..
        } => dispersed(*release_rate_kg_s, *duration_s),
        OutcomeSpec::FlashFire {
            mass_kg: Some(m), ..
        } => classed(Release::Instantaneous { mass_kg: *m }),
        OutcomeSpec::FlashFire {
            mass_kg: None,
            release_rate_kg_s,
            ..
        } => dispersed(*release_rate_kg_s, None),
        OutcomeSpec::JetFire {
            release_rate_kg_s, ..
        } => Some(of(release(ctx, *release_rate_kg_s, None).ok()?)),
        OutcomeSpec::PoolFire { .. } => Some(of(release(ctx, None, None).ok()?)),
        OutcomeSpec::Fireball { mass_kg } => Some(of(Release::Instantaneous {
            mass_kg: match mass_kg {
                Some(m) => *m,
                None => ctx.installation.inventory_kg(ctx.substance).ok()?,
            },
        })),
        OutcomeSpec::Vce(v) => Some(ReleaseSummary {
            airborne_mass_kg: Some(vce_mass_kg(ctx, w, v.mass_kg).ok()?),
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
            // The pool's feed: the rained-out liquid, else (gas) the airborne rate.
            let d = discharge(ctx, None, None);
            let feed = d.map(|d| d.rained_out().or_else(|| d.airborne()));
            let rate = match feed {
                Ok(Some(Release::Continuous { rate_kg_s, .. })) => rate_kg_s,
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
    // The default 24 Gauss–Legendre azimuth nodes: view factors within 1.7·10⁻⁴ (relative) of
    // the converged value everywhere (`fire::view_factor` tests). 64 nodes were used here when
    // the quadrature was a midpoint rule; with Gauss–Legendre they only cost 2.7× the time
    // (issue 14: pool-fire view factors were 58 % of the park-1000 run). Ground-level
    // receivers read them from the dimensionless table of `fire::view_factor_table` (within 1 %
    // of the quadrature, tested; issue 14, continued).
    PoolFire::new(spec).map(PoolFire::with_view_factor_table)
}

/// The flammable mass of a VCE: given, or between LFL and UFL in the plume of a continuous
/// release, or the airborne inventory of an instantaneous one.
fn vce_mass_kg(ctx: &ScenarioContext<'_>, w: &WeatherClass, mass_kg: Option<f64>) -> Result<f64> {
    Ok(match mass_kg {
        Some(m) => m,
        None => match sources(ctx, None, None, w)?.largest_cloud().0 {
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

/// The blast of a VCE outcome (the model chosen in [`crate::explosion::VceBlast::new`]; `None`
/// when there is no flammable mass or energy). The flammable mass is resolved here only when
/// the model needs it (`vce_mass_kg`).
///
/// # Errors
/// Invalid model inputs; missing substance data.
pub fn vce_blast(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    spec: &VceSpec,
) -> Result<Option<VceBlast>> {
    VceBlast::new(
        &spec.model,
        ctx.substance.heat_of_combustion_j_kg()?,
        || vce_mass_kg(ctx, w, spec.mass_kg),
    )
}

/// The LFL envelope of a release under weather `w` — the flash-fire footprint
/// [`physical_footprint`] builds for a flash fire with `mass_kg` / `release_rate_kg_s` (`None`:
/// the event's own release) and `dense_model` — and, for a continuous release, its duration, s (`None` for an
/// instantaneous one). The cloud of delayed ignition ([`crate::risk::placement`]).
///
/// # Errors
/// As [`physical_footprint`].
pub(crate) fn flammable_envelope(
    ctx: &ScenarioContext<'_>,
    w: &WeatherClass,
    release_rate_kg_s: Option<f64>,
    mass_kg: Option<f64>,
    dense_model: disp::DenseGasModel,
) -> Result<(Footprint, Option<f64>)> {
    let duration = match mass_kg {
        Some(_) => None,
        None => match release(ctx, release_rate_kg_s, None)? {
            Release::Continuous { duration_s, .. } => Some(duration_s),
            Release::Instantaneous { .. } => None,
        },
    };
    Ok((
        flash(ctx, w, release_rate_kg_s, mass_kg, dense_model)?,
        duration,
    ))
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
/// time-to-failure models of Cozzani et al. 2005 \[M\] —, analytic footprints). Conservative
/// geometry (our choice): the jet is aimed at the target and the pool flame tilted towards it.
/// The same as [`escalation_source`] evaluated at `distance_m`
/// ([`EscalationSource::intensity_at`]).
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
    Ok(escalation_source(spec, w, ctx)?.map(|s| (s.vector(), s.intensity_at_unchecked(d))))
}

/// The escalating fire or blast of a primary outcome under one weather class, built once and
/// evaluated at any distance (the domino analysis evaluates it for every target within
/// [`EscalationSource::reach_m`]; issue 21).
#[derive(Debug, Clone)]
pub enum EscalationSource {
    /// A jet fire, aimed along +x (at the target).
    Jet(JetFire),
    /// A pool fire, its flame tilted along +x (towards the target).
    Pool(PoolFire),
    /// A VCE blast (`None`: no flammable mass or energy, overpressure 0 everywhere).
    Blast(Option<VceBlast>),
}

impl EscalationSource {
    /// Its escalation vector.
    pub fn vector(&self) -> EscalationVector {
        match self {
            EscalationSource::Jet(_) | EscalationSource::Pool(_) => EscalationVector::HeatRadiation,
            EscalationSource::Blast(_) => EscalationVector::Overpressure,
        }
    }

    /// Intensity at `distance_m` (m) from the source along +x: ground-level heat flux on the
    /// receiver facing the flame ([`Receiver::Max`]), W/m², or peak side-on overpressure at
    /// max(d, 0.1 m), Pa.
    ///
    /// # Errors
    /// `distance_m` negative or not finite.
    pub fn intensity_at(&self, distance_m: f64) -> Result<f64> {
        let d = crate::error::check::non_negative("distance_m", distance_m)?;
        Ok(self.intensity_at_unchecked(d))
    }

    fn intensity_at_unchecked(&self, d: f64) -> f64 {
        let at = [d, 0.0, 0.0];
        match self {
            EscalationSource::Jet(j) => j.heat_flux_at(at, Receiver::Max),
            EscalationSource::Pool(p) => p.heat_flux_at(at, Receiver::Max),
            EscalationSource::Blast(b) => b.map_or(0.0, |b| b.overpressure_pa(d.max(0.1))),
        }
    }

    /// Distance (m) along +x beyond which the intensity ([`intensity_at`](Self::intensity_at))
    /// is below `level` (W/m² or Pa); `f64::INFINITY` when no finite reach was found (a level
    /// ≤ 0 or NaN, or a fire still above the level at the 10⁶ m search cap).
    ///
    /// Blasts: the model's own `reach_m` (its overpressure falls monotonically with distance).
    /// Fires: the search of [`HeatSource::reach_m`] restricted to the +x direction — a scan of
    /// 256 points within [`HeatSource::reach_scan_m`] (a horizontal jet's flux peaks near its
    /// flame centre), then doubling and bisection to 1 mm; beyond the scan the flux is assumed
    /// to fall outwards, as [`HeatSource::reach_m`] (and so the risk engine) assumes.
    pub fn reach_m(&self, level: f64) -> f64 {
        if level.is_nan() || level <= 0.0 {
            return f64::INFINITY;
        }
        let h: &dyn HeatSource = match self {
            EscalationSource::Jet(j) => j,
            EscalationSource::Pool(p) => p,
            EscalationSource::Blast(b) => return b.map_or(0.0, |b| b.reach_m(level)),
        };
        let above = |r: f64| h.heat_flux_at([r, 0.0, 0.0], Receiver::Max) >= level;
        crate::fire::reach_along(h.reach_scan_m(), crate::fire::REACH_CAP_M, above).unwrap_or(0.0)
    }
}

/// The [`EscalationSource`] of an outcome under weather `w`; `None` for outcomes that are not
/// escalation vectors (see [`escalation_intensity`]).
///
/// # Errors
/// As [`physical_footprint`].
pub fn escalation_source(
    spec: &OutcomeSpec,
    w: &WeatherClass,
    ctx: &ScenarioContext<'_>,
) -> Result<Option<EscalationSource>> {
    Ok(match spec {
        OutcomeSpec::JetFire {
            release_rate_kg_s,
            orientation,
        } => Some(EscalationSource::Jet(jet_fire(
            ctx,
            *release_rate_kg_s,
            *orientation,
        )?)),
        OutcomeSpec::PoolFire { pool_diameter_m } => {
            Some(EscalationSource::Pool(pool_fire(ctx, w, *pool_diameter_m)?))
        }
        OutcomeSpec::Vce(v) => Some(EscalationSource::Blast(vce_blast(ctx, w, v)?)),
        _ => None,
    })
}

#[cfg(test)]
#[path = "consequence_tests.rs"]
mod tests;
