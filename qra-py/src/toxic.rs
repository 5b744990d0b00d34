//! Toxic-effect wrappers (`qra.vulnerability.toxic_*`) over `qra_core::vulnerability::toxic`.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::substance::SubstanceArg;
use qra_core::vulnerability::probit_to_probability as phi;
use qra_core::vulnerability::toxic::{self as core, ToxicModel};

use crate::broadcast::{self, Array};
use crate::errors::Py as _;

fn model(substance: &SubstanceArg<'_>, probit_set: Option<&str>) -> PyResult<ToxicModel> {
    let s = substance.substance()?;
    ToxicModel::from_substance(&s, probit_set).py()
}

/// `f(probit)` of constant exposures (concentration, duration), broadcast.
fn constant_exposure<'py>(
    py: Python<'py>,
    m: &ToxicModel,
    args: [&Bound<'py, PyAny>; 2],
    cap_s: f64,
    f: impl Fn(f64) -> f64 + Sync + Send,
) -> PyResult<Array<'py>> {
    qra_core::error::check::positive("cap_s", cap_s).py()?;
    let check = |c: &[Vec<f64>; 2]| {
        broadcast::non_negative("concentration_kg_m3", &c[0])?;
        broadcast::non_negative("duration_s", &c[1])
    };
    broadcast::map_each(py, args, check, |[k, t]| f(m.probit_constant(k, t, cap_s)))
}

/// Toxic probit Pr = a + b·ln(Cⁿ·t) for a constant exposure (arrays broadcast).
///
/// C (kg/m³) and t (s) are converted explicitly to the units of the substance's probit (mg/m³
/// or ppm at 25 °C, 1 atm; min or s); t is capped at ``cap_s`` (30 min, AQ/T 3046 [M]).
/// C = 0 gives −∞ (probability 0).
///
/// Parameters
/// ----------
/// substance : str or Substance
///     A toxic substance of the database.
/// concentration_kg_m3, duration_s : array_like
///     Concentration, kg/m³, and exposure time, s (broadcast).
/// cap_s : float
///     Exposure cap, s.
/// probit_set : str, optional
///     Which probit set of the substance (default: its first).
///
/// Returns
/// -------
/// ndarray
///     Probit values, of the broadcast shape.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative or NaN input; ``UnknownNameError`` for an unknown substance or probit set.
#[pyfunction]
#[pyo3(signature = (substance, concentration_kg_m3, duration_s, cap_s = 1800.0, probit_set = None))]
pub fn toxic_probit<'py>(
    py: Python<'py>,
    substance: SubstanceArg<'_>,
    #[pyo3(from_py_with = crate::args::array)] concentration_kg_m3: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::array)] duration_s: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
    #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
) -> PyResult<Array<'py>> {
    let m = model(&substance, probit_set)?;
    let args = [&concentration_kg_m3, &duration_s];
    constant_exposure(py, &m, args, cap_s, |pr| pr)
}

/// Probability of death Φ(Pr − 5) for a constant exposure (see :func:`toxic_probit`).
///
/// Parameters
/// ----------
/// substance, concentration_kg_m3, duration_s, cap_s, probit_set
///     As for :func:`toxic_probit`.
///
/// Returns
/// -------
/// ndarray
///     Probability of death, 0–1, of the broadcast shape.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     As for :func:`toxic_probit`.
#[pyfunction]
#[pyo3(signature = (substance, concentration_kg_m3, duration_s, cap_s = 1800.0, probit_set = None))]
pub fn toxic_probability<'py>(
    py: Python<'py>,
    substance: SubstanceArg<'_>,
    #[pyo3(from_py_with = crate::args::array)] concentration_kg_m3: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::array)] duration_s: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
    #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
) -> PyResult<Array<'py>> {
    let m = model(&substance, probit_set)?;
    let args = [&concentration_kg_m3, &duration_s];
    constant_exposure(py, &m, args, cap_s, phi)
}

/// Toxic load ∫Cⁿ dt (trapezoid rule, capped at ``cap_s``) in the probit's units.
///
/// Parameters
/// ----------
/// substance : str or Substance
///     A toxic substance of the database.
/// t_s, concentration_kg_m3 : array_like
///     A concentration history: times, s, and concentrations, kg/m³ (flattened).
/// cap_s : float
///     Exposure cap, s.
/// probit_set : str, optional
///     Which probit set of the substance.
///
/// Returns
/// -------
/// float
///     Toxic load in the probit's units.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Unequal lengths, decreasing times, negative or NaN values.
#[pyfunction]
#[pyo3(signature = (substance, t_s, concentration_kg_m3, cap_s = 1800.0, probit_set = None))]
pub fn toxic_load(
    py: Python<'_>,
    substance: SubstanceArg<'_>,
    #[pyo3(from_py_with = crate::args::array)] t_s: Bound<'_, PyAny>,
    #[pyo3(from_py_with = crate::args::array)] concentration_kg_m3: Bound<'_, PyAny>,
    #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
    #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
) -> PyResult<f64> {
    let m = model(&substance, probit_set)?;
    let (t, c) = (
        broadcast::flat(py, &t_s)?,
        broadcast::flat(py, &concentration_kg_m3)?,
    );
    m.load(&t, &c, cap_s).py()
}

/// Probit Pr = a + b·ln(L) for a toxic load L in the probit's units (L ≤ 0 → −∞).
///
/// Parameters
/// ----------
/// substance : str or Substance
///     A toxic substance of the database.
/// load : float
///     Toxic load in the probit's units (:func:`toxic_load`).
/// probit_set : str, optional
///     Which probit set of the substance.
///
/// Returns
/// -------
/// float
///     Probit value.
#[pyfunction]
#[pyo3(signature = (substance, load, probit_set = None))]
pub fn toxic_probit_from_load(
    substance: SubstanceArg<'_>,
    #[pyo3(from_py_with = crate::args::num)] load: f64,
    #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
) -> PyResult<f64> {
    Ok(model(&substance, probit_set)?.probit_from_load(load))
}

/// Indoor concentration, single-zone model dCᵢ/dt = λ(C − Cᵢ), Cᵢ(0) = 0 (λ per hour).
///
/// Parameters
/// ----------
/// t_s, concentration_kg_m3 : array_like
///     Outdoor concentration history: times, s; concentrations, kg/m³ (flattened).
/// air_changes_per_hour : float
///     λ, 1/h.
///
/// Returns
/// -------
/// ndarray
///     Indoor concentration at ``t_s``, kg/m³.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Unequal lengths, decreasing times, negative or NaN values.
#[pyfunction]
#[pyo3(signature = (t_s, concentration_kg_m3, air_changes_per_hour = 2.0))]
pub fn indoor_concentration<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] t_s: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::array)] concentration_kg_m3: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::num)] air_changes_per_hour: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (t, c) = (
        broadcast::flat(py, &t_s)?,
        broadcast::flat(py, &concentration_kg_m3)?,
    );
    let v = core::indoor_concentration(&t, &c, air_changes_per_hour / 3600.0).py()?;
    Ok(v.into_pyarray(py))
}

/// Emergency threshold concentration in kg/m³ at 25 °C, 1 atm.
///
/// Parameters
/// ----------
/// substance : str or Substance
///     A substance of the database with the threshold.
/// level : {"idlh", "erpg2", "erpg3"}
///
/// Returns
/// -------
/// float
///     Concentration, kg/m³.
///
/// Raises
/// ------
/// qra.UnknownNameError
///     An unknown substance or level; ``InvalidInputError`` when the database has no value.
#[pyfunction]
pub fn threshold_concentration(
    substance: SubstanceArg<'_>,
    #[pyo3(from_py_with = crate::args::text)] level: &str,
) -> PyResult<f64> {
    let s = substance.substance()?;
    core::threshold_kg_m3(&s, level).py()
}

/// Registers the toxic functions on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(toxic_probit, m)?)?;
    m.add_function(wrap_pyfunction!(toxic_probability, m)?)?;
    m.add_function(wrap_pyfunction!(toxic_load, m)?)?;
    m.add_function(wrap_pyfunction!(toxic_probit_from_load, m)?)?;
    m.add_function(wrap_pyfunction!(indoor_concentration, m)?)?;
    m.add_function(wrap_pyfunction!(threshold_concentration, m)?)?;
    Ok(())
}
