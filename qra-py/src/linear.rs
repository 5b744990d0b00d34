//! `qra.linear`: the analytic reference of linear sources over `qra_core::risk::linear` (the
//! study-bound functions, which build pandas tables, are in `qra/linear.py`).

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::broadcast;
use crate::errors::Py as _;

/// Analytic IR transect of an infinite straight line with a circular footprint (the reference
/// the engine is tested against).
///
/// IR(d) = f/1000 · p · 2√(R² − d²) for |d| < R, else 0, per year: the frequency per metre times
/// the interaction length (IGEM/TD/2 ed. 2, 2013 [M]; ``qra_core::risk::linear``).
///
/// Parameters
/// ----------
/// f_per_km_year : float
///     Release frequency f, per km per year (≥ 0).
/// radius_m : float
///     Footprint radius R, m (> 0).
/// p : float
///     Lethality inside the footprint, 0–1.
/// distances_m : array_like
///     Perpendicular distances d from the line, m (flattened).
///
/// Returns
/// -------
/// numpy.ndarray
///     Individual risk at each distance, per year (1-D).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative or NaN frequency, R ≤ 0, p outside [0, 1], a non-finite distance.
#[pyfunction]
pub fn analytic_transect<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::num)] f_per_km_year: f64,
    #[pyo3(from_py_with = crate::args::num)] radius_m: f64,
    #[pyo3(from_py_with = crate::args::num)] p: f64,
    #[pyo3(from_py_with = crate::args::array)] distances_m: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let d = broadcast::flat(py, &distances_m)?;
    let ir = d
        .iter()
        .map(|&d| qra_core::risk::linear::analytic_transect(f_per_km_year, radius_m, p, d))
        .collect::<qra_core::Result<Vec<f64>>>()
        .py()?;
    Ok(ir.into_pyarray(py))
}

/// Registers this module's functions on the native module, as functions of `qra.linear`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    crate::add_function_in(m, "qra.linear", wrap_pyfunction!(analytic_transect, m)?)
}
