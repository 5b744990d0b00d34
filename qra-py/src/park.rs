//! `qra.major_hazard`: GB 18218-2018 identification and grading (thin wrapper over
//! `qra_core::park::major_hazard`).

use pyo3::prelude::*;
use qra_core::park::major_hazard::{identify, Identification};
use qra_core::substance::SubstanceDb;

use crate::errors::PyQraResult;

/// The identification and grading of one unit (GB 18218-2018).
#[pyclass(name = "MajorHazard", module = "qra.park", frozen)]
pub struct PyMajorHazard {
    inner: Identification,
}

#[pymethods]
impl PyMajorHazard {
    /// S = Σ q/Q.
    #[getter]
    fn s(&self) -> f64 {
        self.inner.s
    }
    /// R = α Σ β q/Q.
    #[getter]
    fn r(&self) -> f64 {
        self.inner.r
    }
    /// α, the off-site exposed-population factor.
    #[getter]
    fn alpha(&self) -> f64 {
        self.inner.alpha
    }
    /// Whether S ≥ 1.
    #[getter]
    fn is_major_hazard(&self) -> bool {
        self.inner.is_major_hazard
    }
    /// Grade 1–4 (1 = 一级, most severe), or None when S < 1.
    #[getter]
    fn grade(&self) -> Option<u8> {
        self.inner.grade.map(|g| g.number())
    }
    /// Chinese grade label (一级 … 四级), or None.
    #[getter]
    fn grade_zh(&self) -> Option<&'static str> {
        self.inner.grade.map(|g| g.zh())
    }
    /// Per-substance terms: (substance, q_t, Q_t, q/Q, beta).
    #[getter]
    fn terms(&self) -> Vec<(String, f64, f64, f64, f64)> {
        self.inner
            .terms
            .iter()
            .map(|t| {
                (
                    t.substance.clone(),
                    t.quantity_t,
                    t.critical_quantity_t,
                    t.ratio,
                    t.beta,
                )
            })
            .collect()
    }
    fn __repr__(&self) -> String {
        format!(
            "<MajorHazard S={:.3} R={:.3} {}>",
            self.inner.s,
            self.inner.r,
            self.inner
                .grade
                .map_or("not a major hazard".to_string(), |g| g.to_string())
        )
    }
}

/// GB 18218-2018 major-hazard identification and grading of one unit.
///
/// ``inventory`` maps substance names to quantities in **kg**; ``exposed_persons`` is the number
/// of people outside the plant within 500 m of its boundary (sets α).
#[pyfunction]
#[pyo3(signature = (inventory, exposed_persons=0))]
pub fn major_hazard(
    inventory: Vec<(String, f64)>,
    exposed_persons: u64,
) -> PyQraResult<PyMajorHazard> {
    let db = SubstanceDb::builtin()?;
    let items = inventory
        .iter()
        .map(|(n, q)| db.get(n).map(|s| (s, *q)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PyMajorHazard {
        inner: identify(&items, exposed_persons)?,
    })
}

/// Park risk capacity (see ``qra_core::park::capacity``): returns a dict with ``k_ir``, ``k_sr``,
/// ``k``, ``utilisation``, ``binding``, ``remaining_pll_per_year`` and ``level`` (A–D).
#[pyfunction]
#[pyo3(signature = (result, criteria="GB36894-2018", pll_cap_per_year=None))]
pub fn park_capacity<'py>(
    py: Python<'py>,
    result: &crate::risk::PyRiskResult,
    criteria: &str,
    pll_cap_per_year: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let c = qra_core::park::capacity::park_capacity(&result.inner, criteria, pll_cap_per_year)
        .map_err(crate::errors::PyQraError)?;
    let text = serde_json::to_string(&c)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// A park prepared for fast what-if questions (remove installations without recomputation; see
/// ``qra_core::park::whatif``). Preparation costs about two runs; each answer is a sum of cached
/// per-installation results (milliseconds) and equals a full recomputation.
///
/// Parameters
/// ----------
/// study : Study
/// threads : int, optional
///     Worker threads for the preparation; ``None`` uses all cores.
#[pyclass(name = "WhatIf", module = "qra.park", frozen)]
pub struct PyWhatIf {
    inner: qra_core::park::whatif::WhatIf,
    /// The study it was prepared from (its serde form; `from_json` prepares again).
    study: std::sync::Arc<qra_core::risk::Study>,
}

#[pymethods]
impl PyWhatIf {
    #[new]
    #[pyo3(signature = (study, threads=None))]
    fn new(
        py: Python<'_>,
        study: &crate::risk::PyStudy,
        threads: Option<usize>,
    ) -> PyQraResult<Self> {
        Self::prepare(py, study.inner.clone(), threads)
    }

    /// Installation ids, in study order.
    #[getter]
    fn installations(&self) -> Vec<String> {
        self.inner.installation_ids().to_vec()
    }

    /// The park without the installations ``removed`` (ids): a dict with ``kept``,
    /// ``individual_risk`` (2-D array, per year), ``targets`` ({id: IR per year}), ``fn_curve``
    /// ({"N": [...], "F": [...]}) and ``pll``.
    ///
    /// Parameters
    /// ----------
    /// removed : list of str
    ///     Installation ids to remove.
    ///
    /// Returns
    /// -------
    /// dict
    fn without<'py>(
        &self,
        py: Python<'py>,
        removed: Vec<String>,
    ) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let ids: Vec<&str> = removed.iter().map(String::as_str).collect();
        let w = &self.inner;
        let r = py
            .detach(|| w.without(&ids))
            .map_err(crate::errors::PyQraError)?;
        let d = pyo3::types::PyDict::new(py);
        d.set_item("kept", r.kept)?;
        d.set_item(
            "individual_risk",
            numpy::IntoPyArray::into_pyarray(r.individual_risk, py),
        )?;
        let t = pyo3::types::PyDict::new(py);
        for (id, v) in self.inner.target_ids().iter().zip(&r.target_ir) {
            t.set_item(id, v)?;
        }
        d.set_item("targets", t)?;
        let f = pyo3::types::PyDict::new(py);
        f.set_item("N", r.fn_curve.iter().map(|p| p.n).collect::<Vec<_>>())?;
        f.set_item(
            "F",
            r.fn_curve.iter().map(|p| p.f_per_year).collect::<Vec<_>>(),
        )?;
        d.set_item("fn_curve", f)?;
        d.set_item("pll", r.pll)?;
        Ok(d)
    }

    /// The study it was prepared from.
    #[getter]
    fn study(&self) -> crate::risk::PyStudy {
        crate::risk::PyStudy {
            inner: self.study.clone(),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "<WhatIf over {} installations>",
            self.inner.installation_ids().len()
        )
    }
}

/// The built-in sample park study as TOML text (schema ``qra-study/1``).
#[pyfunction]
pub fn sample_park_toml() -> &'static str {
    qra_core::park::SAMPLE_PARK_TOML
}

/// Registers this module's functions and classes on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sample_park_toml, m)?)?;
    m.add_function(wrap_pyfunction!(park_capacity, m)?)?;
    m.add_class::<PyWhatIf>()?;
    m.add_class::<PyMajorHazard>()?;
    m.add_function(wrap_pyfunction!(major_hazard, m)?)?;
    Ok(())
}

impl PyWhatIf {
    /// Prepares the what-if cache of `study` (GIL released).
    fn prepare(
        py: Python<'_>,
        study: std::sync::Arc<qra_core::risk::Study>,
        threads: Option<usize>,
    ) -> PyQraResult<Self> {
        let s = study.clone();
        let opts = qra_core::risk::RunOptions {
            threads,
            ..Default::default()
        };
        let inner = py.detach(move || qra_core::park::whatif::WhatIf::new(&s, &opts))?;
        Ok(PyWhatIf { inner, study })
    }
}

// `to_json`/`from_json`, pickling, `==` and `hash` from the serde form (see `crate::pickle`).
crate::pickle::serde_form!(PyMajorHazard, Identification, Ok);

/// The serde form of a what-if cache is its study (``{"study": …}``); reading it prepares the
/// cache again (deterministic: the same answers bit for bit).
impl crate::pickle::SerdeForm for PyWhatIf {
    fn to_json_text(&self) -> PyResult<String> {
        Ok(format!("{{\"study\":{}}}", self.study.to_json()))
    }
    fn from_json_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        let study = crate::risk::study_from_wrapped_json(text)?;
        Ok(Self::prepare(py, study, None)?)
    }
}
crate::pickle::serde_form!(PyWhatIf);
