//! Toxic-effect wrappers (`qra.vulnerability.toxic_*`) over `qra_core::vulnerability::toxic`.

use numpy::{IntoPyArray, PyArrayDyn};
use pyo3::prelude::*;

use qra_core::substance::SubstanceDb;
use qra_core::vulnerability::toxic::{self as core, ToxicModel};

use crate::dispersion::{broadcast, to_array};
use crate::errors::Py as _;

fn model(substance: &str, probit_set: Option<&str>) -> PyResult<ToxicModel> {
    let s = SubstanceDb::builtin().py()?.get(substance).py()?;
    ToxicModel::from_substance(s, probit_set).py()
}

/// Toxic probit Pr = a + b ln(Cⁿ t) for constant exposures (arrays broadcast).
#[pyfunction]
#[pyo3(signature = (substance, concentration_kg_m3, duration_s, cap_s = 1800.0, probit_set = None))]
pub fn toxic_probit<'py>(
    py: Python<'py>,
    substance: &str,
    concentration_kg_m3: &Bound<'py, PyAny>,
    duration_s: &Bound<'py, PyAny>,
    cap_s: f64,
    probit_set: Option<&str>,
) -> PyResult<Bound<'py, PyArrayDyn<f64>>> {
    let m = model(substance, probit_set)?;
    qra_core::error::check::positive("cap_s", cap_s).py()?;
    let (v, shape) = broadcast(py, &[concentration_kg_m3, duration_s])?;
    qra_core::error::check::all_finite("concentration_kg_m3", &v[0]).py()?;
    qra_core::error::check::all_finite("duration_s", &v[1]).py()?;
    if let Some(i) = v[0].iter().position(|c| *c < 0.0) {
        return Err(qra_core::QraError::invalid(
            format!("concentration_kg_m3[{i}]"),
            v[0][i],
            "must be >= 0",
        ))
        .py();
    }
    if let Some(i) = v[1].iter().position(|c| *c < 0.0) {
        return Err(qra_core::QraError::invalid(
            format!("duration_s[{i}]"),
            v[1][i],
            "must be >= 0",
        ))
        .py();
    }
    let pr = py.detach(|| {
        v[0].iter()
            .zip(&v[1])
            .map(|(&c, &t)| m.probit_constant(c, t, cap_s))
            .collect()
    });
    to_array(py, pr, &shape)
}

/// Toxic load ∫Cⁿdt in the probit's units for a concentration history.
#[pyfunction]
#[pyo3(signature = (substance, t_s, concentration_kg_m3, cap_s = 1800.0, probit_set = None))]
pub fn toxic_load(
    substance: &str,
    t_s: Vec<f64>,
    concentration_kg_m3: Vec<f64>,
    cap_s: f64,
    probit_set: Option<&str>,
) -> PyResult<f64> {
    let m = model(substance, probit_set)?;
    m.load(&t_s, &concentration_kg_m3, cap_s).py()
}

/// Probit from a toxic load (probit units): Pr = a + b ln(L).
#[pyfunction]
#[pyo3(signature = (substance, load, probit_set = None))]
pub fn toxic_probit_from_load(
    substance: &str,
    load: f64,
    probit_set: Option<&str>,
) -> PyResult<f64> {
    Ok(model(substance, probit_set)?.probit_from_load(load))
}

/// Indoor concentration history (single-zone, air changes per hour).
#[pyfunction]
pub fn indoor_concentration<'py>(
    py: Python<'py>,
    t_s: Vec<f64>,
    concentration_kg_m3: Vec<f64>,
    air_changes_per_hour: f64,
) -> PyResult<Bound<'py, numpy::PyArray1<f64>>> {
    let v = core::indoor_concentration(&t_s, &concentration_kg_m3, air_changes_per_hour / 3600.0)
        .py()?;
    Ok(v.into_pyarray(py))
}

/// ERPG/IDLH threshold concentration, kg/m³ (25 °C, 1 atm).
#[pyfunction]
pub fn threshold_concentration(substance: &str, level: &str) -> PyResult<f64> {
    let s = SubstanceDb::builtin().py()?.get(substance).py()?;
    core::threshold_kg_m3(s, level).py()
}

/// Registers the toxic functions on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(toxic_probit, m)?)?;
    m.add_function(wrap_pyfunction!(toxic_load, m)?)?;
    m.add_function(wrap_pyfunction!(toxic_probit_from_load, m)?)?;
    m.add_function(wrap_pyfunction!(indoor_concentration, m)?)?;
    m.add_function(wrap_pyfunction!(threshold_concentration, m)?)?;
    Ok(())
}
