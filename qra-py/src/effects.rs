//! Thermal and blast vulnerability functions for `qra.vulnerability` (thin wrappers over
//! `qra_core::vulnerability::{thermal, blast}`). Every function broadcasts its array arguments
//! (`crate::broadcast`).

use pyo3::prelude::*;
use qra_core::vulnerability::blast::{BlastProbit, BlastRule};
use qra_core::vulnerability::probit_to_probability as phi;
use qra_core::vulnerability::thermal::{ThermalProbit, ThermalRule};

use crate::broadcast::{self, Array};
use crate::errors::Py as _;

/// `f(a, b)` of two non-negative broadcast arguments named `names`.
fn pair<'py>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; 2],
    names: [&str; 2],
    f: impl Fn(f64, f64) -> f64 + Sync + Send,
) -> PyResult<Array<'py>> {
    let check = |c: &[Vec<f64>; 2]| {
        broadcast::non_negative(names[0], &c[0])?;
        broadcast::non_negative(names[1], &c[1])
    };
    broadcast::map_each(py, args, check, |[a, b]| f(a, b))
}

/// `then(Y)` of the thermal probit `model` (dose from heat flux and exposure).
fn thermal<'py>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; 2],
    model: &str,
    then: fn(f64) -> f64,
) -> PyResult<Array<'py>> {
    let m = ThermalProbit::from_name(model).py()?;
    let names = ["heat_flux_w_m2", "exposure_s"];
    pair(py, args, names, |q, t| then(m.probit(q, t)))
}

/// `then(Y)` of the overpressure probit `model` (impulse 0 when not given).
fn blast<'py>(
    py: Python<'py>,
    overpressure_pa: &Bound<'py, PyAny>,
    impulse_pa_s: Option<&Bound<'py, PyAny>>,
    model: &str,
    then: fn(f64) -> f64,
) -> PyResult<Array<'py>> {
    let m = BlastProbit::from_name(model).py()?;
    let zero = pyo3::types::PyFloat::new(py, 0.0).into_any();
    let args = [overpressure_pa, impulse_pa_s.unwrap_or(&zero)];
    let names = ["overpressure_pa", "impulse_pa_s"];
    pair(py, args, names, |p, i| then(m.probit(p, i)))
}

/// Thermal-radiation lethality probit Y for the dose V = t·q^(4/3) (q in W/m², t in s).
///
/// Models (constants as in HyRAM+ ``probits.py``): ``"eisenberg"`` Y = −38.48 + 2.56 ln V;
/// ``"tsao-perry"`` (alias ``"purple-book"``, ``"aqt3046"``) Y = −36.38 + 2.56 ln V;
/// ``"tno"`` Y = −37.23 + 2.56 ln V; ``"lees"`` Y = −29.02 + 1.99 ln(0.5 V).
/// Zero dose gives Y = −inf (probability 0).
///
/// Parameters
/// ----------
/// heat_flux_w_m2, exposure_s : array_like
///     Heat flux, W/m², and exposure time, s (broadcast).
/// model : str
///     Probit model.
///
/// Returns
/// -------
/// ndarray
///     Probit values, of the broadcast shape.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative or NaN flux or time; ``UnknownNameError`` for an unknown model.
#[pyfunction]
#[pyo3(signature = (heat_flux_w_m2, exposure_s, model = "tsao-perry"))]
pub fn thermal_probit<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] heat_flux_w_m2: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::array)] exposure_s: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::text)] model: &str,
) -> PyResult<Array<'py>> {
    thermal(py, [&heat_flux_w_m2, &exposure_s], model, |y| y)
}

/// Probability of death Φ(Y − 5) for the thermal probit ``model`` (see :func:`thermal_probit`).
///
/// Parameters
/// ----------
/// heat_flux_w_m2, exposure_s, model
///     As for :func:`thermal_probit`.
///
/// Returns
/// -------
/// ndarray
///     Probability of death, 0–1, of the broadcast shape.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     As for :func:`thermal_probit`.
#[pyfunction]
#[pyo3(signature = (heat_flux_w_m2, exposure_s, model = "tsao-perry"))]
pub fn thermal_lethality<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] heat_flux_w_m2: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::array)] exposure_s: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::text)] model: &str,
) -> PyResult<Array<'py>> {
    thermal(py, [&heat_flux_w_m2, &exposure_s], model, phi)
}

/// Lethality by a heat-radiation rule set.
///
/// ``"purple-book"``: 1 at q ≥ 35 kW/m², else the Tsao–Perry probit with exposure ≤ 20 s
/// (outdoors) or 0 (indoors). ``"aqt3046"``: the same with 37.5 kW/m².
///
/// Parameters
/// ----------
/// heat_flux_w_m2, duration_s : array_like
///     Heat flux, W/m², and fire duration, s (broadcast).
/// rule : {"purple-book", "aqt3046"}
/// indoor : bool
///
/// Returns
/// -------
/// ndarray
///     Probability of death, 0–1, of the broadcast shape.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative or NaN values; ``UnknownNameError`` for an unknown rule.
#[pyfunction]
#[pyo3(signature = (heat_flux_w_m2, duration_s, rule = "purple-book", indoor = false))]
pub fn thermal_rule_lethality<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] heat_flux_w_m2: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::array)] duration_s: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::text)] rule: &str,
    indoor: bool,
) -> PyResult<Array<'py>> {
    let r = ThermalRule::from_name(rule).py()?;
    let names = ["heat_flux_w_m2", "duration_s"];
    pair(py, [&heat_flux_w_m2, &duration_s], names, |q, t| {
        if indoor {
            r.lethality_indoor(q, t)
        } else {
            r.lethality_outdoor(q, t)
        }
    })
}

/// Overpressure lethality probit Y (P in Pa, i in Pa·s).
///
/// Models: ``"eisenberg"`` (lung haemorrhage) Y = −77.1 + 6.91 ln P; ``"hse"``
/// Y = 5.13 + 1.37 ln(P/1e5); ``"tno-head-impact"`` Y = 5 − 8.49 ln(2430/P + 4e8/(P i));
/// ``"tno-whole-body"`` Y = 5 − 2.44 ln(7380/P + 1.3e9/(P i)) [recalled, not re-verified];
/// ``"tno-collapse"`` Y = 5 − 0.22 ln((40000/P)^7.4 + (460/i)^11.3). P = 0 (or i = 0 for
/// impulse models) gives −inf.
///
/// Parameters
/// ----------
/// overpressure_pa, impulse_pa_s : array_like
///     Side-on overpressure, Pa, and impulse, Pa·s (broadcast; impulse default 0).
/// model : str
///
/// Returns
/// -------
/// ndarray
///     Probit values, of the broadcast shape.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative or NaN values; ``UnknownNameError`` for an unknown model.
#[pyfunction]
#[pyo3(signature = (overpressure_pa, impulse_pa_s = None, model = "eisenberg"),
    text_signature = "(overpressure_pa, impulse_pa_s=0.0, model='eisenberg')")]
pub fn overpressure_probit<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] overpressure_pa: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::opt_array)] impulse_pa_s: Option<Bound<'py, PyAny>>,
    #[pyo3(from_py_with = crate::args::text)] model: &str,
) -> PyResult<Array<'py>> {
    blast(py, &overpressure_pa, impulse_pa_s.as_ref(), model, |y| y)
}

/// Probability of death Φ(Y − 5) for the overpressure probit ``model``.
///
/// Parameters
/// ----------
/// overpressure_pa, impulse_pa_s, model
///     As for :func:`overpressure_probit`.
///
/// Returns
/// -------
/// ndarray
///     Probability of death, 0–1, of the broadcast shape.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     As for :func:`overpressure_probit`.
#[pyfunction]
#[pyo3(signature = (overpressure_pa, impulse_pa_s = None, model = "eisenberg"),
    text_signature = "(overpressure_pa, impulse_pa_s=0.0, model='eisenberg')")]
pub fn overpressure_lethality<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] overpressure_pa: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::opt_array)] impulse_pa_s: Option<Bound<'py, PyAny>>,
    #[pyo3(from_py_with = crate::args::text)] model: &str,
) -> PyResult<Array<'py>> {
    blast(py, &overpressure_pa, impulse_pa_s.as_ref(), model, phi)
}

/// Purple Book / AQ/T 3046 overpressure rule: ≥ 30 kPa → 1; 10–30 kPa → 0.025 indoors, 0
/// outdoors.
///
/// Parameters
/// ----------
/// overpressure_pa : array_like
///     Side-on overpressure, Pa.
/// indoor : bool
///
/// Returns
/// -------
/// ndarray
///     Probability of death, 0–1, shaped like ``overpressure_pa``.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative or NaN overpressures.
#[pyfunction]
#[pyo3(signature = (overpressure_pa, indoor = false))]
pub fn overpressure_rule_lethality<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] overpressure_pa: Bound<'py, PyAny>,
    indoor: bool,
) -> PyResult<Array<'py>> {
    let r = BlastRule::purple_book();
    let check = |c: &[Vec<f64>; 1]| broadcast::non_negative("overpressure_pa", &c[0]);
    broadcast::map_each(py, [&overpressure_pa], check, |[p]| match indoor {
        true => r.lethality_indoor(p),
        false => r.lethality_outdoor(p),
    })
}

/// Probability of death for probit value(s) ``y``: P = Φ(y − 5).
///
/// Finney (1971) *Probit Analysis*; AQ/T 3046-2013 eqs. (3)–(4). Accurate in both tails (uses
/// erfc).
///
/// Parameters
/// ----------
/// y : array_like
///     Probit values.
///
/// Returns
/// -------
/// ndarray
///     Probability, 0–1, of the shape of ``y`` (0-d for a scalar).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     A NaN probit (±inf are accepted: probabilities 0 and 1).
#[pyfunction]
pub fn probit_to_probability<'py>(py: Python<'py>, y: &Bound<'py, PyAny>) -> PyResult<Array<'py>> {
    broadcast::map_each(
        py,
        [y],
        |[v]| match v.iter().position(|y| y.is_nan()) {
            None => Ok(()),
            Some(i) => Err(qra_core::QraError::invalid(
                format!("y[{i}]"),
                f64::NAN,
                "must not be NaN",
            )),
        },
        |[y]| phi(y),
    )
}

/// Registers this module's functions on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(probit_to_probability, m)?)?;
    m.add_function(wrap_pyfunction!(thermal_probit, m)?)?;
    m.add_function(wrap_pyfunction!(thermal_lethality, m)?)?;
    m.add_function(wrap_pyfunction!(thermal_rule_lethality, m)?)?;
    m.add_function(wrap_pyfunction!(overpressure_probit, m)?)?;
    m.add_function(wrap_pyfunction!(overpressure_lethality, m)?)?;
    m.add_function(wrap_pyfunction!(overpressure_rule_lethality, m)?)?;
    Ok(())
}
