//! `qra.source`: thin wrappers over `qra_core::source` (discharge, blowdown, flashing, pools).
//! The user-facing keyword API with substance defaults lives in `qra/source.py`.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use qra_core::source::{self as core, pool};

use crate::errors::Py as _;

/// Gas discharge through a hole: dict(rate_kg_s, choked, critical_pressure_ratio).
#[pyfunction]
#[pyo3(signature = (area_m2, pressure_pa, temperature_k, molar_mass_kg_mol, gamma,
    ambient_pressure_pa, discharge_coefficient))]
#[allow(clippy::too_many_arguments)]
pub fn _gas_discharge<'py>(
    py: Python<'py>,
    area_m2: f64,
    pressure_pa: f64,
    temperature_k: f64,
    molar_mass_kg_mol: f64,
    gamma: f64,
    ambient_pressure_pa: f64,
    discharge_coefficient: f64,
) -> PyResult<Bound<'py, PyDict>> {
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

/// Adiabatic vessel blowdown sampled at `times_s`: dict of arrays.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn _gas_blowdown<'py>(
    py: Python<'py>,
    volume_m3: f64,
    area_m2: f64,
    pressure_pa: f64,
    temperature_k: f64,
    molar_mass_kg_mol: f64,
    gamma: f64,
    ambient_pressure_pa: f64,
    discharge_coefficient: f64,
    times_s: Vec<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    qra_core::error::check::all_finite("times_s", &times_s).py()?;
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

/// Liquid discharge rate, kg/s (Bernoulli with head).
#[pyfunction]
pub fn _liquid_discharge(
    area_m2: f64,
    density_kg_m3: f64,
    pressure_pa: f64,
    ambient_pressure_pa: f64,
    head_m: f64,
    discharge_coefficient: f64,
) -> PyResult<f64> {
    core::liquid_discharge(
        area_m2,
        density_kg_m3,
        pressure_pa,
        ambient_pressure_pa,
        head_m,
        discharge_coefficient,
    )
    .py()
}

/// Draining tank sampled at `times_s`: dict(time_s, head_m, rate_kg_s, drain_time_s).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn _tank_drain<'py>(
    py: Python<'py>,
    area_m2: f64,
    tank_area_m2: f64,
    density_kg_m3: f64,
    overpressure_pa: f64,
    head_m: f64,
    discharge_coefficient: f64,
    times_s: Vec<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    qra_core::error::check::all_finite("times_s", &times_s).py()?;
    let t = core::LiquidTankDrain::new(
        area_m2,
        tank_area_m2,
        density_kg_m3,
        overpressure_pa,
        head_m,
        discharge_coefficient,
    )
    .py()?;
    let d = PyDict::new(py);
    d.set_item(
        "head_m",
        times_s
            .iter()
            .map(|&s| t.head_at(s))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item(
        "rate_kg_s",
        times_s
            .iter()
            .map(|&s| t.rate_at(s))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item("time_s", times_s.into_pyarray(py))?;
    d.set_item("drain_time_s", t.drain_time_s())?;
    Ok(d)
}

/// Adiabatic flash fraction.
#[pyfunction]
pub fn _flash_fraction(
    temperature_k: f64,
    boiling_point_k: f64,
    cp_liquid_j_kg_k: f64,
    heat_of_vaporisation_j_kg: f64,
) -> PyResult<f64> {
    core::flash_fraction(
        temperature_k,
        boiling_point_k,
        cp_liquid_j_kg_k,
        heat_of_vaporisation_j_kg,
    )
    .py()
}

/// (airborne fraction, rain-out fraction) by the 2×flash rule.
#[pyfunction]
pub fn _airborne_fraction(flash_fraction: f64) -> PyResult<(f64, f64)> {
    core::airborne_fraction(flash_fraction).py()
}

/// Two-phase ERM discharge: dict.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn _two_phase_discharge<'py>(
    py: Python<'py>,
    area_m2: f64,
    temperature_k: f64,
    pressure_pa: f64,
    saturation_pressure_pa: f64,
    liquid_density_kg_m3: f64,
    heat_of_vaporisation_j_kg: f64,
    cp_liquid_j_kg_k: f64,
    molar_mass_kg_mol: f64,
    boiling_point_k: f64,
    discharge_coefficient: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let r = core::two_phase_discharge(
        area_m2,
        temperature_k,
        pressure_pa,
        saturation_pressure_pa,
        liquid_density_kg_m3,
        heat_of_vaporisation_j_kg,
        cp_liquid_j_kg_k,
        molar_mass_kg_mol,
        boiling_point_k,
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

/// Pool spreading/evaporation history: dict of arrays.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn _pool_evaporation<'py>(
    py: Python<'py>,
    instantaneous_mass_kg: f64,
    spill_rate_kg_s: f64,
    spill_duration_s: f64,
    liquid_density_kg_m3: f64,
    boiling_point_k: f64,
    heat_of_vaporisation_j_kg: f64,
    molar_mass_kg_mol: f64,
    vapour_pressure_pa: f64,
    ground_temperature_k: f64,
    ground_conductivity_w_m_k: f64,
    ground_diffusivity_m2_s: f64,
    wind_speed_m_s: f64,
    schmidt_number: f64,
    bund_area_m2: Option<f64>,
    min_thickness_m: f64,
    t_end_s: f64,
    dt_s: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let spec = pool::PoolSpec {
        instantaneous_mass_kg,
        spill_rate_kg_s,
        spill_duration_s,
        liquid_density_kg_m3,
        boiling_point_k,
        heat_of_vaporisation_j_kg,
        molar_mass_kg_mol,
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
#[pyfunction]
#[pyo3(signature = (inventory_kg, rate_kg_s, isolation_time_s = None, cap_s = 1800.0))]
pub fn release_duration(
    inventory_kg: f64,
    rate_kg_s: f64,
    isolation_time_s: Option<f64>,
    cap_s: f64,
) -> PyResult<f64> {
    core::release_duration_s(inventory_kg, rate_kg_s, isolation_time_s, cap_s).py()
}

/// Registers this module's functions on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_gas_discharge, m)?)?;
    m.add_function(wrap_pyfunction!(_gas_blowdown, m)?)?;
    m.add_function(wrap_pyfunction!(_liquid_discharge, m)?)?;
    m.add_function(wrap_pyfunction!(_tank_drain, m)?)?;
    m.add_function(wrap_pyfunction!(_flash_fraction, m)?)?;
    m.add_function(wrap_pyfunction!(_airborne_fraction, m)?)?;
    m.add_function(wrap_pyfunction!(_two_phase_discharge, m)?)?;
    m.add_function(wrap_pyfunction!(_pool_evaporation, m)?)?;
    m.add_function(wrap_pyfunction!(release_duration, m)?)?;
    Ok(())
}
