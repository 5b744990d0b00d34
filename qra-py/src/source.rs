//! `qra.source`: source terms (discharge, blowdown, flashing, pools, release duration) over
//! `qra_core::source`. Each function is defined here once, with its docstring and defaults;
//! `qra/source.py` only re-exports. Properties not given are read from the built-in substance
//! database (`qra_core::substance`).

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use qra_core::constants::STANDARD_PRESSURE_PA;
use qra_core::source::{self as core, pool};
use qra_core::substance::Substance;

use crate::substance::SubstanceArg;
use qra_core::QraError;

use crate::broadcast;
use crate::errors::{Py as _, PyQraError};

/// The public module of this file's functions (their `__module__`).
const MODULE: &str = "qra.source";

/// Hole diameters above this are refused, m.
const MAX_HOLE_DIAMETER_M: f64 = 100.0;

/// An `InvalidInputError` (argument, value, rule) as a Python exception.
fn invalid(argument: &str, value: impl std::fmt::Display, rule: impl Into<String>) -> PyErr {
    PyQraError(QraError::invalid(argument, value, rule)).into()
}

/// Area, m², of a circular hole of diameter `hole_diameter_m` ∈ (0, 100] m.
fn hole_area_m2(hole_diameter_m: f64) -> PyResult<f64> {
    if hole_diameter_m > 0.0 && hole_diameter_m <= MAX_HOLE_DIAMETER_M {
        Ok(core::hole_area_m2(hole_diameter_m))
    } else {
        Err(invalid(
            "hole_diameter_m",
            hole_diameter_m,
            format!("must be in (0, {MAX_HOLE_DIAMETER_M}]"),
        ))
    }
}

/// `given`, else the substance database's field: `prop!(db, argument, field)` with the caller's
/// argument (an `Option<f64>`, named in errors) and the `Substance` getter.
macro_rules! prop {
    ($db:expr, $argument:ident, $field:ident) => {
        $db.get($argument, stringify!($argument), Substance::$field)
    };
}

/// The sample times `times_s` (any array-like, flattened), each finite, s.
fn sample_times(py: Python<'_>, times_s: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let t = broadcast::flat(py, times_s)?;
    // times since the start of the release: a negative time used to be accepted (issue 21)
    qra_core::error::check::all_non_negative("times_s", &t).py()?;
    Ok(t)
}

/// The database entry that fills the properties a caller did not give.
struct Defaults(Option<Substance>);

impl Defaults {
    /// The built-in entry of a name (`UnknownNameError` for an unknown name), a
    /// `qra.Substance` object's own data, or none.
    fn of(substance: Option<SubstanceArg<'_>>) -> PyResult<Defaults> {
        Ok(Defaults(substance.map(|s| s.substance()).transpose()?))
    }

    /// `given`, else the entry's property `field` (the argument `argument` of the caller).
    fn get(
        &self,
        given: Option<f64>,
        argument: &str,
        field: fn(&Substance) -> qra_core::Result<f64>,
    ) -> PyResult<f64> {
        match (given, self.0.as_ref()) {
            (Some(v), _) => Ok(v),
            (None, None) => Err(invalid(argument, "None", "give it or a substance name")),
            (None, Some(s)) => field(s).map_err(|_| {
                invalid(
                    argument,
                    "None",
                    format!("not in the database for {}; give it", s.name),
                )
            }),
        }
    }

    /// The ideal-gas properties: molar mass, kg/mol, and heat-capacity ratio γ.
    fn gas(&self, molar_mass_kg_mol: Option<f64>, gamma: Option<f64>) -> PyResult<(f64, f64)> {
        Ok((
            prop!(self, molar_mass_kg_mol, molar_mass_kg_mol)?,
            prop!(self, gamma, heat_capacity_ratio)?,
        ))
    }

    /// `given`, else the entry's saturated vapour pressure at `temperature_k`, Pa.
    fn vapour_pressure_pa(
        &self,
        given: Option<f64>,
        argument: &str,
        temperature_k: f64,
    ) -> PyResult<f64> {
        match (given, self.0.as_ref()) {
            (Some(v), _) => Ok(v),
            (None, None) => Err(invalid(argument, "None", "give it or a substance name")),
            (None, Some(s)) => s.vapour_pressure_pa(temperature_k).py(),
        }
    }
}

/// Ideal-gas discharge through a hole, choked or subsonic.
///
/// Choked (p_a/p₀ ≤ (2/(γ+1))^{γ/(γ−1)}): ṁ = C_d A p₀ √(γM/(RT₀)·(2/(γ+1))^{(γ+1)/(γ−1)});
/// subsonic: ṁ = C_d A p₀ √(2M/(RT₀)·γ/(γ−1)·[(p_a/p₀)^{2/γ} − (p_a/p₀)^{(γ+1)/γ}]).
/// Crowl & Louvar (2011) eqs. 4-49/4-50; CCPS (1999) eqs. 2.1.17–18.
///
/// Returns ``{"rate_kg_s", "choked", "critical_pressure_ratio"}``.
///
/// Parameters
/// ----------
/// hole_diameter_m : float
///     Hole diameter, m (> 0, ≤ 100); A = πd²/4.
/// pressure_pa, temperature_k : float
///     Stagnation (vessel) pressure, Pa (absolute), and temperature, K.
/// substance : str or Substance, optional
///     Takes M and γ from the database unless ``molar_mass_kg_mol`` / ``gamma`` are given.
/// molar_mass_kg_mol : float, optional
///     Molar mass M, kg/mol.
/// gamma : float, optional
///     Heat-capacity ratio γ (> 1).
/// ambient_pressure_pa : float
///     Downstream pressure, Pa.
/// discharge_coefficient : float
///     C_d (0.61 sharp-edged orifice; 1.0 conservative).
///
/// Returns
/// -------
/// dict
///     ``rate_kg_s`` (kg/s), ``choked`` (bool), ``critical_pressure_ratio``.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN inputs, p₀ ≤ p_a, a property neither given nor in the database;
///     ``UnknownNameError`` for an unknown substance.
#[pyfunction]
#[pyo3(signature = (hole_diameter_m, pressure_pa, temperature_k, substance=None, *,
    molar_mass_kg_mol=None, gamma=None, ambient_pressure_pa=101325.0,
    discharge_coefficient=0.61))]
#[allow(clippy::too_many_arguments)]
pub fn gas_discharge<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::num)] hole_diameter_m: f64,
    #[pyo3(from_py_with = crate::args::num)] pressure_pa: f64,
    #[pyo3(from_py_with = crate::args::num)] temperature_k: f64,
    substance: Option<SubstanceArg<'_>>,
    #[pyo3(from_py_with = crate::args::num)] molar_mass_kg_mol: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] gamma: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] ambient_pressure_pa: f64,
    #[pyo3(from_py_with = crate::args::num)] discharge_coefficient: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let db = Defaults::of(substance)?;
    let area_m2 = hole_area_m2(hole_diameter_m)?;
    let (molar_mass_kg_mol, gamma) = db.gas(molar_mass_kg_mol, gamma)?;
    let g = core::gas_discharge(
        area_m2,
        pressure_pa,
        temperature_k,
        molar_mass_kg_mol,
        gamma,
        ambient_pressure_pa,
        discharge_coefficient,
    )
    .py()?;
    let d = PyDict::new(py);
    d.set_item("rate_kg_s", g.rate_kg_s)?;
    d.set_item("choked", g.choked)?;
    d.set_item("critical_pressure_ratio", g.critical_pressure_ratio)?;
    Ok(d)
}

/// Adiabatic (isentropic) blowdown of a gas vessel; state at ``times_s``.
///
/// Choked phase closed form ρ/ρ₀ = (1 + (γ−1)/2·t/τ)^{−2/(γ−1)}, τ = Vρ₀/ṁ₀; subsonic phase by
/// RK4 (TNO Yellow Book CPR 14E §2.5.2.3). Returns arrays ``time_s, pressure_pa, temperature_k,
/// mass_kg, rate_kg_s`` and ``time_constant_s, unchoke_time_s, end_time_s``.
///
/// Parameters
/// ----------
/// volume_m3 : float
///     Vessel volume, m³.
/// hole_diameter_m : float
///     Hole diameter, m (> 0, ≤ 100).
/// pressure_pa, temperature_k : float
///     Initial pressure, Pa (absolute), and temperature, K.
/// times_s : array_like
///     Times, s (flattened).
/// substance, molar_mass_kg_mol, gamma, ambient_pressure_pa, discharge_coefficient
///     As for :func:`gas_discharge`.
///
/// Returns
/// -------
/// dict
///     Arrays at ``times_s`` (pressure Pa, temperature K, mass kg, rate kg/s) and the time
///     constants, s.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     As for :func:`gas_discharge`, V ≤ 0, non-finite times; ``UnknownNameError`` for an
///     unknown substance.
#[pyfunction]
#[pyo3(signature = (volume_m3, hole_diameter_m, pressure_pa, temperature_k, times_s,
    substance=None, *, molar_mass_kg_mol=None, gamma=None, ambient_pressure_pa=101325.0,
    discharge_coefficient=0.61))]
#[allow(clippy::too_many_arguments)]
pub fn gas_blowdown<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::num)] volume_m3: f64,
    #[pyo3(from_py_with = crate::args::num)] hole_diameter_m: f64,
    #[pyo3(from_py_with = crate::args::num)] pressure_pa: f64,
    #[pyo3(from_py_with = crate::args::num)] temperature_k: f64,
    #[pyo3(from_py_with = crate::args::array)] times_s: Bound<'py, PyAny>,
    substance: Option<SubstanceArg<'_>>,
    #[pyo3(from_py_with = crate::args::num)] molar_mass_kg_mol: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] gamma: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] ambient_pressure_pa: f64,
    #[pyo3(from_py_with = crate::args::num)] discharge_coefficient: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let times_s = sample_times(py, &times_s)?;
    let area_m2 = hole_area_m2(hole_diameter_m)?;
    let (molar_mass_kg_mol, gamma) = Defaults::of(substance)?.gas(molar_mass_kg_mol, gamma)?;
    let b = py
        .detach(|| {
            core::GasBlowdown::new(
                volume_m3,
                area_m2,
                pressure_pa,
                temperature_k,
                molar_mass_kg_mol,
                gamma,
                ambient_pressure_pa,
                discharge_coefficient,
            )
        })
        .py()?;
    let states: Vec<_> = times_s.iter().map(|&t| b.state_at(t)).collect();
    let d = PyDict::new(py);
    let col = |f: fn(&core::BlowdownState) -> f64| -> Vec<f64> { states.iter().map(f).collect() };
    d.set_item("time_s", col(|s| s.time_s).into_pyarray(py))?;
    d.set_item("pressure_pa", col(|s| s.pressure_pa).into_pyarray(py))?;
    d.set_item("temperature_k", col(|s| s.temperature_k).into_pyarray(py))?;
    d.set_item("mass_kg", col(|s| s.mass_kg).into_pyarray(py))?;
    d.set_item("rate_kg_s", col(|s| s.rate_kg_s).into_pyarray(py))?;
    d.set_item("time_constant_s", b.time_constant_s())?;
    d.set_item("unchoke_time_s", b.unchoke_time_s)?;
    d.set_item("end_time_s", b.end_time_s())?;
    Ok(d)
}

/// Liquid discharge rate, kg/s: ṁ = C_d A ρ √(2(p − p_a)/ρ + 2 g h_L).
///
/// Crowl & Louvar (2011) eq. 4-6; CCPS (1999) eq. 2.1.2.
///
/// Parameters
/// ----------
/// hole_diameter_m : float
///     Hole diameter, m (> 0, ≤ 100).
/// pressure_pa : float
///     Pressure above the liquid, Pa (absolute).
/// substance : str or Substance, optional
///     Liquid density from the database unless ``density_kg_m3`` is given.
/// density_kg_m3 : float, optional
///     Liquid density ρ, kg/m³.
/// head_m : float
///     Liquid head above the hole, m.
/// ambient_pressure_pa : float
///     Downstream pressure, Pa.
/// discharge_coefficient : float
///     C_d (0.61 sharp-edged hole).
///
/// Returns
/// -------
/// float
///     Mass rate, kg/s.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN inputs, negative head, no driving pressure, a density neither given
///     nor in the database; ``UnknownNameError`` for an unknown substance.
#[pyfunction]
#[pyo3(signature = (hole_diameter_m, pressure_pa, substance=None, *, density_kg_m3=None,
    head_m=0.0, ambient_pressure_pa=101325.0, discharge_coefficient=0.61))]
pub fn liquid_discharge(
    #[pyo3(from_py_with = crate::args::num)] hole_diameter_m: f64,
    #[pyo3(from_py_with = crate::args::num)] pressure_pa: f64,
    substance: Option<SubstanceArg<'_>>,
    #[pyo3(from_py_with = crate::args::num)] density_kg_m3: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] head_m: f64,
    #[pyo3(from_py_with = crate::args::num)] ambient_pressure_pa: f64,
    #[pyo3(from_py_with = crate::args::num)] discharge_coefficient: f64,
) -> PyResult<f64> {
    let db = Defaults::of(substance)?;
    core::liquid_discharge(
        hole_area_m2(hole_diameter_m)?,
        prop!(db, density_kg_m3, liquid_density_kg_m3)?,
        pressure_pa,
        ambient_pressure_pa,
        head_m,
        discharge_coefficient,
    )
    .py()
}

/// Draining vertical tank (closed form; Crowl & Louvar 2011 eqs. 4-18 to 4-20).
///
/// ṁ(t) = ρ C_d A (√(2(p_g/ρ + g h₀)) − g C_d (A/A_t) t), until empty.
///
/// Parameters
/// ----------
/// hole_diameter_m : float
///     Hole diameter, m (> 0, ≤ 100).
/// tank_area_m2 : float
///     Tank cross-section, m².
/// head_m : float
///     Initial liquid head above the hole, m.
/// times_s : array_like
///     Times, s (flattened).
/// substance, density_kg_m3 : optional
///     Liquid density, kg/m³ (from the database by default).
/// overpressure_pa : float
///     Gauge pressure above the liquid, Pa.
/// discharge_coefficient : float
///     C_d (0.61 sharp-edged hole).
///
/// Returns
/// -------
/// dict
///     ``time_s`` (s), ``rate_kg_s`` (kg/s), ``head_m`` (m) arrays and ``drain_time_s`` (s).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN inputs, non-finite times, a density neither given nor in the
///     database; ``UnknownNameError`` for an unknown substance.
#[pyfunction]
#[pyo3(signature = (hole_diameter_m, tank_area_m2, head_m, times_s, substance=None, *,
    density_kg_m3=None, overpressure_pa=0.0, discharge_coefficient=0.61))]
#[allow(clippy::too_many_arguments)]
pub fn tank_drain<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::num)] hole_diameter_m: f64,
    #[pyo3(from_py_with = crate::args::num)] tank_area_m2: f64,
    #[pyo3(from_py_with = crate::args::num)] head_m: f64,
    #[pyo3(from_py_with = crate::args::array)] times_s: Bound<'py, PyAny>,
    substance: Option<SubstanceArg<'_>>,
    #[pyo3(from_py_with = crate::args::num)] density_kg_m3: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] overpressure_pa: f64,
    #[pyo3(from_py_with = crate::args::num)] discharge_coefficient: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let times_s = sample_times(py, &times_s)?;
    let db = Defaults::of(substance)?;
    let area_m2 = hole_area_m2(hole_diameter_m)?;
    let density_kg_m3 = prop!(db, density_kg_m3, liquid_density_kg_m3)?;
    let t = core::LiquidTankDrain::new(
        area_m2,
        tank_area_m2,
        density_kg_m3,
        overpressure_pa,
        head_m,
        discharge_coefficient,
    )
    .py()?;
    let col = |f: &dyn Fn(f64) -> f64| -> Vec<f64> { times_s.iter().map(|&s| f(s)).collect() };
    let d = PyDict::new(py);
    d.set_item("head_m", col(&|s| t.head_at(s)).into_pyarray(py))?;
    d.set_item("rate_kg_s", col(&|s| t.rate_at(s)).into_pyarray(py))?;
    d.set_item("time_s", times_s.into_pyarray(py))?;
    d.set_item("drain_time_s", t.drain_time_s())?;
    Ok(d)
}

/// Isenthalpic flash fraction f = min(1, c̄_p (T − T_b)/h_fg) (Crowl & Louvar 2011 eq. 4-90),
/// the equilibrium end state at T_b.
///
/// Parameters
/// ----------
/// temperature_k : float
///     Liquid temperature before release, K.
/// substance : str or Substance, optional
///     Tb, c_p and h_fg from the database unless given.
/// boiling_point_k : float, optional
///     Normal boiling point T_b, K.
/// cp_liquid_j_kg_k : float, optional
///     Liquid heat capacity c̄_p, J/(kg·K).
/// heat_of_vaporisation_j_kg : float, optional
///     Heat of vaporisation h_fg, J/kg.
///
/// Returns
/// -------
/// float
///     Mass fraction flashed to vapour, 0–1 (0 below the boiling point).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN inputs, a property neither given nor in the database;
///     ``UnknownNameError`` for an unknown substance.
#[pyfunction]
#[pyo3(signature = (temperature_k, substance=None, *, boiling_point_k=None,
    cp_liquid_j_kg_k=None, heat_of_vaporisation_j_kg=None))]
pub fn flash_fraction(
    #[pyo3(from_py_with = crate::args::num)] temperature_k: f64,
    substance: Option<SubstanceArg<'_>>,
    #[pyo3(from_py_with = crate::args::num)] boiling_point_k: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] cp_liquid_j_kg_k: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] heat_of_vaporisation_j_kg: Option<f64>,
) -> PyResult<f64> {
    let db = Defaults::of(substance)?;
    core::flash_fraction(
        temperature_k,
        prop!(db, boiling_point_k, normal_boiling_point_k)?,
        prop!(db, cp_liquid_j_kg_k, cp_liquid_j_kg_k)?,
        prop!(db, heat_of_vaporisation_j_kg, heat_of_vaporisation_j_kg)?,
    )
    .py()
}

/// (airborne, rain-out) fractions by the 2 × flash-fraction rule (CCPS 1999 §2.1.2.2) [M].
///
/// f_air = min(1, 2 f_v); the rest rains out to a pool.
///
/// Parameters
/// ----------
/// flash_fraction : float
///     Flash fraction, 0–1.
///
/// Returns
/// -------
/// (float, float)
///     Airborne and rain-out mass fractions.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Flash fraction outside [0, 1] or NaN.
#[pyfunction]
pub fn airborne_fraction(
    #[pyo3(from_py_with = crate::args::num)] flash_fraction: f64,
) -> PyResult<(f64, f64)> {
    core::airborne_fraction(flash_fraction).py()
}

/// Flashing two-phase discharge, Fauske equilibrium rate model with subcooling.
///
/// G_ERM = h_fg/v_fg · √(1/(c_p T)); G = √(2ρ_l (p − p_sat) + G_ERM²); ṁ = C_d A G
/// (Fauske & Epstein 1988; Crowl & Louvar 2011 eqs. 4-103/4-105) [M]. ``pressure_pa`` defaults
/// to the saturation pressure (saturated liquid). Returns ``rate_kg_s, mass_flux_kg_m2_s,
/// erm_flux_kg_m2_s, flash_fraction``.
///
/// Parameters
/// ----------
/// hole_diameter_m : float
///     Hole diameter, m (> 0, ≤ 100).
/// temperature_k : float
///     Liquid temperature, K.
/// substance : str or Substance, optional
///     Properties from the database unless given explicitly.
/// pressure_pa, saturation_pressure_pa : float, optional
///     Vessel and saturation pressures, Pa (p_sat from the substance's vapour-pressure fit at
///     ``temperature_k`` by default).
/// liquid_density_kg_m3 : float, optional
///     ρ_l, kg/m³.
/// heat_of_vaporisation_j_kg : float, optional
///     h_fg, J/kg.
/// cp_liquid_j_kg_k : float, optional
///     c_p, J/(kg·K).
/// molar_mass_kg_mol : float, optional
///     M, kg/mol (ideal vapour volume).
/// boiling_point_k : float, optional
///     Normal boiling point, K (flash fraction).
/// discharge_coefficient : float
///     C_d (0.61 sharp-edged hole).
///
/// Returns
/// -------
/// dict
///     Rates in kg/s and fluxes in kg/(m²·s).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN inputs, p < p_sat, a near-critical state, a property neither given
///     nor in the database, a temperature outside the vapour-pressure fit;
///     ``UnknownNameError`` for an unknown substance.
#[pyfunction]
#[pyo3(signature = (hole_diameter_m, temperature_k, substance=None, *, pressure_pa=None,
    saturation_pressure_pa=None, liquid_density_kg_m3=None, heat_of_vaporisation_j_kg=None,
    cp_liquid_j_kg_k=None, molar_mass_kg_mol=None, boiling_point_k=None,
    discharge_coefficient=0.61))]
#[allow(clippy::too_many_arguments)]
pub fn two_phase_discharge<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::num)] hole_diameter_m: f64,
    #[pyo3(from_py_with = crate::args::num)] temperature_k: f64,
    substance: Option<SubstanceArg<'_>>,
    #[pyo3(from_py_with = crate::args::num)] pressure_pa: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] saturation_pressure_pa: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] liquid_density_kg_m3: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] heat_of_vaporisation_j_kg: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] cp_liquid_j_kg_k: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] molar_mass_kg_mol: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] boiling_point_k: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] discharge_coefficient: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let db = Defaults::of(substance)?;
    let psat = db.vapour_pressure_pa(
        saturation_pressure_pa,
        "saturation_pressure_pa",
        temperature_k,
    )?;
    let r = core::two_phase_discharge(
        hole_area_m2(hole_diameter_m)?,
        temperature_k,
        pressure_pa.unwrap_or(psat),
        psat,
        prop!(db, liquid_density_kg_m3, liquid_density_kg_m3)?,
        prop!(db, heat_of_vaporisation_j_kg, heat_of_vaporisation_j_kg)?,
        prop!(db, cp_liquid_j_kg_k, cp_liquid_j_kg_k)?,
        prop!(db, molar_mass_kg_mol, molar_mass_kg_mol)?,
        prop!(db, boiling_point_k, normal_boiling_point_k)?,
        discharge_coefficient,
    )
    .py()?;
    let d = PyDict::new(py);
    d.set_item("rate_kg_s", r.rate_kg_s)?;
    d.set_item("mass_flux_kg_m2_s", r.mass_flux_kg_m2_s)?;
    d.set_item("erm_flux_kg_m2_s", r.erm_flux_kg_m2_s)?;
    d.set_item("flash_fraction", r.flash_fraction)?;
    Ok(d)
}

/// Pool spreading and evaporation (boiling: ground conduction; non-boiling: Mackay & Matsugu).
///
/// Boiling: ṁ″ = k_s (T_g − T_b)/(h_fg √(π α_s t)); non-boiling: k_m = 0.0048 u^{7/9} d^{−1/9}
/// Sc^{−2/3}, ṁ″ = k_m M p_v/(R T) (Mackay & Matsugu 1973); gravity spreading dr/dt = √(2gh) to
/// a minimum thickness or the bund (TNO Yellow Book ch. 3) [M]. Returns arrays ``time_s,
/// evaporation_rate_kg_s, radius_m, liquid_mass_kg, evaporated_kg, spilled_kg`` and ``boiling``,
/// ``max_rate_kg_s``.
///
/// Parameters
/// ----------
/// substance : str or Substance, optional
///     Properties from the database unless given explicitly.
/// instantaneous_mass_kg, spill_rate_kg_s, spill_duration_s : float
///     Instantaneous spill (kg) and/or continuous spill (kg/s for s).
/// ground_temperature_k, wind_speed_m_s : float
///     Ground temperature, K; wind speed at 10 m, m/s.
/// bund_area_m2 : float, optional
///     Bund area limiting the spread, m².
/// t_end_s, dt_s : float
///     Simulated time and step, s.
/// liquid_density_kg_m3, boiling_point_k, heat_of_vaporisation_j_kg, molar_mass_kg_mol : float, optional
///     kg/m³, K, J/kg, kg/mol.
/// vapour_pressure_pa : float, optional
///     Vapour pressure at the ground temperature, Pa (default: 1 atm for a boiling pool, else the
///     substance's vapour-pressure fit).
/// ground_conductivity_w_m_k, ground_diffusivity_m2_s : float
///     Ground thermal conductivity, W/(m·K), and diffusivity, m²/s (concrete).
/// schmidt_number : float
///     Schmidt number of the vapour in air.
/// min_thickness_m : float
///     Minimum pool thickness, m (smooth ground, Yellow Book Table 3.3 [M]).
///
/// Returns
/// -------
/// dict
///     Arrays over time (rates kg/s, radius m, masses kg) and the summary values.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative or NaN spill, non-positive properties or step, a property neither given nor in
///     the database; ``UnknownNameError`` for an unknown substance.
#[pyfunction]
#[pyo3(signature = (substance=None, *, instantaneous_mass_kg=0.0, spill_rate_kg_s=0.0,
    spill_duration_s=0.0, ground_temperature_k=293.15, wind_speed_m_s=3.0, bund_area_m2=None,
    t_end_s=1800.0, dt_s=1.0, liquid_density_kg_m3=None, boiling_point_k=None,
    heat_of_vaporisation_j_kg=None, molar_mass_kg_mol=None, vapour_pressure_pa=None,
    ground_conductivity_w_m_k=1.1, ground_diffusivity_m2_s=5e-7, schmidt_number=0.8,
    min_thickness_m=0.005))]
#[allow(clippy::too_many_arguments)]
pub fn pool_evaporation<'py>(
    py: Python<'py>,
    substance: Option<SubstanceArg<'_>>,
    #[pyo3(from_py_with = crate::args::num)] instantaneous_mass_kg: f64,
    #[pyo3(from_py_with = crate::args::num)] spill_rate_kg_s: f64,
    #[pyo3(from_py_with = crate::args::num)] spill_duration_s: f64,
    #[pyo3(from_py_with = crate::args::num)] ground_temperature_k: f64,
    #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
    #[pyo3(from_py_with = crate::args::num)] bund_area_m2: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] t_end_s: f64,
    #[pyo3(from_py_with = crate::args::num)] dt_s: f64,
    #[pyo3(from_py_with = crate::args::num)] liquid_density_kg_m3: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] boiling_point_k: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] heat_of_vaporisation_j_kg: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] molar_mass_kg_mol: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] vapour_pressure_pa: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] ground_conductivity_w_m_k: f64,
    #[pyo3(from_py_with = crate::args::num)] ground_diffusivity_m2_s: f64,
    #[pyo3(from_py_with = crate::args::num)] schmidt_number: f64,
    #[pyo3(from_py_with = crate::args::num)] min_thickness_m: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let db = Defaults::of(substance)?;
    let boiling_point_k = prop!(db, boiling_point_k, normal_boiling_point_k)?;
    let vapour_pressure_pa = match vapour_pressure_pa {
        None if ground_temperature_k >= boiling_point_k => STANDARD_PRESSURE_PA,
        given => db.vapour_pressure_pa(given, "vapour_pressure_pa", ground_temperature_k)?,
    };
    let spec = pool::PoolSpec {
        instantaneous_mass_kg,
        spill_rate_kg_s,
        spill_duration_s,
        liquid_density_kg_m3: prop!(db, liquid_density_kg_m3, liquid_density_kg_m3)?,
        boiling_point_k,
        heat_of_vaporisation_j_kg: prop!(db, heat_of_vaporisation_j_kg, heat_of_vaporisation_j_kg)?,
        molar_mass_kg_mol: prop!(db, molar_mass_kg_mol, molar_mass_kg_mol)?,
        vapour_pressure_pa,
        ground_temperature_k,
        ground_conductivity_w_m_k,
        ground_diffusivity_m2_s,
        wind_speed_m_s,
        schmidt_number,
        bund_area_m2,
        min_thickness_m,
    };
    let h = py
        .detach(|| pool::pool_evaporation(&spec, t_end_s, dt_s))
        .py()?;
    let d = PyDict::new(py);
    d.set_item("boiling", h.boiling)?;
    d.set_item("max_rate_kg_s", h.max_rate_kg_s())?;
    d.set_item("time_s", PyArray1::from_vec(py, h.time_s))?;
    d.set_item(
        "evaporation_rate_kg_s",
        PyArray1::from_vec(py, h.evaporation_rate_kg_s),
    )?;
    d.set_item("radius_m", PyArray1::from_vec(py, h.radius_m))?;
    d.set_item("liquid_mass_kg", PyArray1::from_vec(py, h.liquid_mass_kg))?;
    d.set_item("evaporated_kg", PyArray1::from_vec(py, h.evaporated_kg))?;
    d.set_item("spilled_kg", PyArray1::from_vec(py, h.spilled_kg))?;
    Ok(d)
}

/// Release duration, s = min(inventory/rate, isolation, cap).
///
/// Parameters
/// ----------
/// inventory_kg : float
///     Releasable inventory, kg.
/// rate_kg_s : float
///     Release rate, kg/s.
/// isolation_time_s : float, optional
///     Time to isolate, s.
/// cap_s : float
///     Cap on the duration, s (AQ/T 3046: 1800 s [M]).
///
/// Returns
/// -------
/// float
///     Duration, s.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN inventory, rate, cap or isolation time.
#[pyfunction]
#[pyo3(signature = (inventory_kg, rate_kg_s, isolation_time_s = None, cap_s = 1800.0))]
pub fn release_duration(
    #[pyo3(from_py_with = crate::args::num)] inventory_kg: f64,
    #[pyo3(from_py_with = crate::args::num)] rate_kg_s: f64,
    #[pyo3(from_py_with = crate::args::num)] isolation_time_s: Option<f64>,
    #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
) -> PyResult<f64> {
    core::release_duration_s(inventory_kg, rate_kg_s, isolation_time_s, cap_s).py()
}

/// Registers this module's functions on the native module, as functions of `qra.source`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(gas_discharge, m)?,
        wrap_pyfunction!(gas_blowdown, m)?,
        wrap_pyfunction!(liquid_discharge, m)?,
        wrap_pyfunction!(tank_drain, m)?,
        wrap_pyfunction!(flash_fraction, m)?,
        wrap_pyfunction!(airborne_fraction, m)?,
        wrap_pyfunction!(two_phase_discharge, m)?,
        wrap_pyfunction!(pool_evaporation, m)?,
        wrap_pyfunction!(release_duration, m)?,
    ] {
        crate::add_function_in(m, MODULE, f)?;
    }
    Ok(())
}
