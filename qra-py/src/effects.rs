//! Thermal and blast vulnerability functions for `qra.vulnerability` (thin wrappers over
//! `qra_core::vulnerability::{thermal, blast}`).

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use qra_core::error::check;
use qra_core::vulnerability::blast::{BlastProbit, BlastRule};
use qra_core::vulnerability::thermal::{ThermalProbit, ThermalRule};
use qra_core::QraError;

use crate::errors::PyQraResult;

fn non_negative(name: &str, a: &PyReadonlyArray1<'_, f64>) -> PyQraResult<Vec<f64>> {
    let v = a.as_array().to_vec();
    check::all_finite(name, &v)?;
    for (i, x) in v.iter().enumerate() {
        check::non_negative(&format!("{name}[{i}]"), *x)?;
    }
    Ok(v)
}

fn same_len(a: &[f64], b: &[f64], name_b: &str) -> PyQraResult<()> {
    if a.len() == b.len() {
        Ok(())
    } else {
        Err(QraError::invalid(name_b, b.len(), format!("length must match ({})", a.len())).into())
    }
}

/// Thermal probit values Y for heat flux (W/m²) and exposure (s) arrays of equal length.
#[pyfunction]
pub fn thermal_probit<'py>(
    py: Python<'py>,
    heat_flux_w_m2: PyReadonlyArray1<'py, f64>,
    exposure_s: PyReadonlyArray1<'py, f64>,
    model: &str,
) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
    let m = ThermalProbit::from_name(model)?;
    let q = non_negative("heat_flux_w_m2", &heat_flux_w_m2)?;
    let t = non_negative("exposure_s", &exposure_s)?;
    same_len(&q, &t, "exposure_s")?;
    let out: Vec<f64> = py.detach(|| q.iter().zip(&t).map(|(&a, &b)| m.probit(a, b)).collect());
    Ok(out.into_pyarray(py))
}

/// Thermal lethality by a rule set ("purple-book" or "aqt3046"), outdoors or indoors.
#[pyfunction]
pub fn thermal_rule_lethality<'py>(
    py: Python<'py>,
    heat_flux_w_m2: PyReadonlyArray1<'py, f64>,
    duration_s: PyReadonlyArray1<'py, f64>,
    rule: &str,
    indoor: bool,
) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
    let r = ThermalRule::from_name(rule)?;
    let q = non_negative("heat_flux_w_m2", &heat_flux_w_m2)?;
    let t = non_negative("duration_s", &duration_s)?;
    same_len(&q, &t, "duration_s")?;
    let out: Vec<f64> = py.detach(|| {
        q.iter()
            .zip(&t)
            .map(|(&a, &b)| {
                if indoor {
                    r.lethality_indoor(a, b)
                } else {
                    r.lethality_outdoor(a, b)
                }
            })
            .collect()
    });
    Ok(out.into_pyarray(py))
}

/// Overpressure probit values Y for overpressure (Pa) and impulse (Pa·s) arrays.
#[pyfunction]
pub fn overpressure_probit<'py>(
    py: Python<'py>,
    overpressure_pa: PyReadonlyArray1<'py, f64>,
    impulse_pa_s: PyReadonlyArray1<'py, f64>,
    model: &str,
) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
    let m = BlastProbit::from_name(model)?;
    let p = non_negative("overpressure_pa", &overpressure_pa)?;
    let i = non_negative("impulse_pa_s", &impulse_pa_s)?;
    same_len(&p, &i, "impulse_pa_s")?;
    let out: Vec<f64> = py.detach(|| p.iter().zip(&i).map(|(&a, &b)| m.probit(a, b)).collect());
    Ok(out.into_pyarray(py))
}

/// Overpressure lethality by the Purple Book / AQ/T 3046 rule, outdoors or indoors.
#[pyfunction]
pub fn overpressure_rule_lethality<'py>(
    py: Python<'py>,
    overpressure_pa: PyReadonlyArray1<'py, f64>,
    indoor: bool,
) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
    let r = BlastRule::purple_book();
    let p = non_negative("overpressure_pa", &overpressure_pa)?;
    let out: Vec<f64> = py.detach(|| {
        p.iter()
            .map(|&a| {
                if indoor {
                    r.lethality_indoor(a)
                } else {
                    r.lethality_outdoor(a)
                }
            })
            .collect()
    });
    Ok(out.into_pyarray(py))
}

/// Registers this module's functions on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(thermal_probit, m)?)?;
    m.add_function(wrap_pyfunction!(thermal_rule_lethality, m)?)?;
    m.add_function(wrap_pyfunction!(overpressure_probit, m)?)?;
    m.add_function(wrap_pyfunction!(overpressure_rule_lethality, m)?)?;
    Ok(())
}
