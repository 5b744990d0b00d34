//! `qra.major_hazard`: GB 18218-2018 identification and grading (thin wrapper over
//! `qra_core::park::major_hazard`).

use pyo3::prelude::*;
use qra_core::park::major_hazard::{identify, Identification};
use qra_core::substance::SubstanceDb;

use std::sync::Arc;

use qra_core::park::{Change, FacilityBlock, Park, ParkRun};

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

/// Identify and grade a unit after GB 18218-2018.
///
/// S = Σ q/Q (major hazard if S ≥ 1); R = α Σ β q/Q; grade 一级 R ≥ 100, 二级 50 ≤ R < 100,
/// 三级 10 ≤ R < 50, 四级 R < 10. α from the people exposed outside the plant within 500 m
/// (0 → 0.5, 1–29 → 1.0, 30–49 → 1.2, 50–99 → 1.5, ≥ 100 → 2.0).
///
/// Parameters
/// ----------
/// inventory_kg : mapping of str to float
///     Substance name → quantity, kg.
/// exposed_persons : int
///     People outside the plant within 500 m of its boundary.
///
/// Returns
/// -------
/// MajorHazard
///
/// Raises
/// ------
/// qra.UnknownNameError, qra.InvalidInputError
///     An unknown substance; a negative or NaN quantity.
#[pyfunction]
#[pyo3(signature = (inventory_kg, exposed_persons=0))]
pub fn major_hazard(
    inventory_kg: &Bound<'_, pyo3::types::PyAny>,
    #[pyo3(from_py_with = crate::args::int)] exposed_persons: u64,
) -> PyResult<PyMajorHazard> {
    let items = inventory_kg.call_method0("items").map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(
            "inventory_kg: must be a mapping {substance name: mass in kg}",
        )
    })?;
    let inventory: Vec<(String, f64)> = items
        .try_iter()?
        .map(|kv| {
            let (name, mass_kg): (Bound<'_, PyAny>, Bound<'_, PyAny>) = kv?.extract()?;
            Ok((
                crate::args::text_as(&name, "inventory_kg")?.to_owned(),
                crate::args::num_as(&mass_kg, "inventory_kg")?,
            ))
        })
        .collect::<PyResult<_>>()?;
    Ok(identify_inventory(&inventory, exposed_persons)?)
}

fn identify_inventory(
    inventory: &[(String, f64)],
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

/// Park risk capacity of a computed study against a criteria set.
///
/// k_IR = min over protected targets of limit/IR; k_SR = min over N ≥ N_min of C(N)/F(N) with C
/// the intolerable line; k = min(k_IR, k_SR) is the factor by which all frequencies could grow
/// before the first criterion is reached; utilisation u = 1/k; level A (u ≥ 1) … D (u < 0.1);
/// remaining PLL budget when ``pll_cap_per_year`` is set. A qra definition (no national formula
/// exists), documented in ``qra_core::park::capacity``.
///
/// Parameters
/// ----------
/// result : qra.RiskResult
///     A computed study.
/// criteria : str
///     Criteria set id.
/// pll_cap_per_year : float, optional
///     A PLL budget for the park, fatalities per year.
///
/// Returns
/// -------
/// dict
///     ``k_ir``, ``k_sr``, ``k``, ``utilisation``, ``binding``, ``remaining_pll_per_year``,
///     ``level``.
///
/// Raises
/// ------
/// qra.UnknownNameError
///     Unknown criteria set.
#[pyfunction]
#[pyo3(name = "capacity", signature = (result, criteria="GB36894-2018", pll_cap_per_year=None))]
pub fn park_capacity<'py>(
    py: Python<'py>,
    result: &crate::risk::PyRiskResult,
    #[pyo3(from_py_with = crate::args::text)] criteria: &str,
    #[pyo3(from_py_with = crate::args::num)] pll_cap_per_year: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let c = qra_core::park::capacity::park_capacity(&result.inner, criteria, pll_cap_per_year)
        .map_err(crate::errors::PyQraError)?;
    capacity_value(py, &c, &result.inner.targets)
}

/// The capacity as a dict, the binding target named by its id instead of its index.
fn capacity_value<'py>(
    py: Python<'py>,
    c: &qra_core::park::capacity::Capacity,
    targets: &[qra_core::risk::engine::TargetRisk],
) -> PyResult<Bound<'py, PyAny>> {
    let mut v = serde_json::to_value(c)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    if let qra_core::park::capacity::Binding::IndividualRisk { target } = c.binding {
        if let Some(t) = targets.get(target) {
            v["binding"]["target"] = serde_json::json!(t.id);
        }
    }
    py.import("json")?.call_method1("loads", (v.to_string(),))
}

/// Deprecated (issue 13): use :meth:`qra.Park.what_if`, the one what-if API.
///
/// A study prepared for removing installations without recomputation (see
/// ``qra_core::park::whatif``). Preparation costs about two runs; each answer is a sum of cached
/// per-installation results (milliseconds) and equals a full recomputation. Constructing one
/// emits a ``DeprecationWarning``; it will be removed in the next release.
/// ``Park(study).what_if(remove=[...])`` answers the same question per facility (an
/// installation without ``facility`` is its own facility) and returns a ``ParkRun``.
///
/// Parameters
/// ----------
/// study : Study
///     The study.
/// threads : int, optional
///     Worker threads for the preparation; ``None`` uses all cores.
///
/// Raises
/// ------
/// qra.InvalidDocumentError
///     An invalid study.
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
        #[pyo3(from_py_with = crate::args::opt_int)] threads: Option<usize>,
    ) -> PyResult<Self> {
        let msg =
            c"qra.park.WhatIf is deprecated (issue 13); use qra.Park(study).what_if(remove=[...])";
        PyErr::warn(
            py,
            &py.get_type::<pyo3::exceptions::PyDeprecationWarning>(),
            msg,
            1,
        )?;
        Ok(Self::prepare(py, study.inner.clone(), threads)?)
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
        #[pyo3(from_py_with = crate::args::texts)] removed: Vec<String>,
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

fn json_value<'py>(
    py: Python<'py>,
    text: serde_json::Result<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = text.map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// A computed park (the full result of one study: the park as it is, or after a what-if).
#[pyclass(name = "ParkRun", module = "qra.park", frozen)]
pub struct PyParkRun {
    inner: Arc<ParkRun>,
}

#[pymethods]
impl PyParkRun {
    /// The risk result (identical to ``study.run()`` of :attr:`study`).
    #[getter]
    fn result(&self) -> crate::risk::PyRiskResult {
        crate::risk::PyRiskResult {
            inner: Arc::new(self.inner.result.clone()),
            study: Arc::new(self.inner.study.clone()),
        }
    }
    /// The study this is the full run of.
    #[getter]
    fn study(&self) -> crate::risk::PyStudy {
        crate::risk::PyStudy {
            inner: Arc::new(self.inner.study.clone()),
        }
    }
    /// Facility ids.
    #[getter]
    fn facilities(&self) -> Vec<String> {
        self.inner.facilities.clone()
    }
    /// Whether every target passes and the F-N curve is not intolerable.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.compliance.passed()
    }
    /// Risk capacity: dict with ``k_ir``, ``k_sr``, ``k``, ``utilisation``, ``binding``,
    /// ``remaining_pll_per_year`` and ``level``.
    #[getter]
    fn capacity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        capacity_value(py, &self.inner.capacity, &self.inner.result.targets)
    }
    /// Contribution rows, ranked, per facility or per event.
    ///
    /// Parameters
    /// ----------
    /// by_facility : bool
    ///     Facility rows (True) or event rows (False).
    ///
    /// Returns
    /// -------
    /// list of dict
    ///     ``id``, ``facility``, ``pll``, ``pll_share``, ``target_ir``, ``target_share``,
    ///     ``fn_share``, ``excess_share``, ``limit_ratio``, ``rank``
    ///     (:func:`qra.park.contributions` makes the DataFrame).
    #[pyo3(signature = (by_facility=true))]
    fn contribution_rows<'py>(
        &self,
        py: Python<'py>,
        by_facility: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        json_value(
            py,
            serde_json::to_string(&self.inner.contributions(by_facility)),
        )
    }
    /// Protected-target ids, in the order of ``target_ir``.
    #[getter]
    fn target_ids(&self) -> Vec<String> {
        self.inner
            .result
            .targets
            .iter()
            .map(|t| t.id.clone())
            .collect()
    }
    /// The N values of ``fn_share``.
    #[getter]
    fn fn_share_n(&self) -> Vec<f64> {
        qra_core::park::facilities::FN_SHARE_N.to_vec()
    }
    fn __repr__(&self) -> String {
        format!(
            "<ParkRun {} facilities, PLL={:.3e}/yr, u={:.3}, level {:?}>",
            self.inner.facilities.len(),
            self.inner.result.pll,
            self.inner.capacity.utilisation,
            self.inner.capacity.level
        )
    }
}

/// A chemical park: facilities (companies) sharing population, targets, meteorology and grid.
///
/// Preparation computes every installation once and caches its IR grid, societal cases and
/// footprints (risk is additive; ``qra_core::park::facilities``); :meth:`what_if` then reuses
/// them and computes only moved or added facilities — the answer equals a full run of the
/// modified study.
///
/// >>> import qra
/// >>> park = qra.Park.from_toml(qra.park.sample_park_toml())  # doctest: +SKIP
/// >>> park.contributions().head()  # doctest: +SKIP
///
/// Parameters
/// ----------
/// study : qra.Study
///     The park study. Linear sources (``[[pipelines]]``) become their release points, one
///     facility per line named by the line's id.
/// criteria : str
///     Criteria set id (default GB 36894-2018).
/// pll_cap_per_year : float, optional
///     PLL cap for the remaining-PLL budget of the capacity, fatalities per year.
/// threads : int, optional
///     Rayon threads of the preparation run (results do not depend on it).
///
/// Raises
/// ------
/// qra.InvalidDocumentError
///     An invalid study.
/// qra.UnknownNameError
///     Unknown criteria set.
#[pyclass(name = "Park", module = "qra.park", frozen)]
pub struct PyPark {
    inner: Arc<Park>,
}

fn parse_block(text: &str) -> Result<FacilityBlock, qra_core::QraError> {
    FacilityBlock::from_toml_str(text)
}

#[pymethods]
impl PyPark {
    #[new]
    #[pyo3(signature = (study, criteria="GB36894-2018", pll_cap_per_year=None, threads=None))]
    fn new(
        py: Python<'_>,
        study: &crate::risk::PyStudy,
        #[pyo3(from_py_with = crate::args::text)] criteria: &str,
        #[pyo3(from_py_with = crate::args::num)] pll_cap_per_year: Option<f64>,
        #[pyo3(from_py_with = crate::args::opt_int)] threads: Option<usize>,
    ) -> PyQraResult<Self> {
        let s = study.inner.clone();
        let opts = qra_core::risk::RunOptions {
            threads,
            ..Default::default()
        };
        let c = criteria.to_string();
        let inner = py.detach(move || Park::new(&s, &opts, &c, pll_cap_per_year))?;
        Ok(PyPark {
            inner: Arc::new(inner),
        })
    }

    /// A park from study TOML text (``[[facilities]]``, ``facility = "…"``, ``park_boundary``).
    ///
    /// Parameters
    /// ----------
    /// text : str
    ///     Study TOML.
    /// criteria, pll_cap_per_year, threads
    ///     As for :class:`Park`.
    ///
    /// Returns
    /// -------
    /// Park
    #[classmethod]
    #[pyo3(signature = (text, criteria="GB36894-2018", pll_cap_per_year=None, threads=None))]
    fn from_toml(
        cls: &Bound<'_, pyo3::types::PyType>,
        #[pyo3(from_py_with = crate::args::text)] text: &str,
        #[pyo3(from_py_with = crate::args::text)] criteria: &str,
        #[pyo3(from_py_with = crate::args::num)] pll_cap_per_year: Option<f64>,
        #[pyo3(from_py_with = crate::args::opt_int)] threads: Option<usize>,
    ) -> PyResult<Self> {
        let options = (criteria, pll_cap_per_year, threads);
        park_via(cls.py(), "from_toml", text, options)
    }

    /// A park from a study file (``.json`` or TOML).
    ///
    /// Parameters
    /// ----------
    /// path : str or os.PathLike
    ///     Study file.
    /// criteria, pll_cap_per_year, threads
    ///     As for :class:`Park`.
    ///
    /// Returns
    /// -------
    /// Park
    #[classmethod]
    #[pyo3(signature = (path, criteria="GB36894-2018", pll_cap_per_year=None, threads=None))]
    fn from_file(
        cls: &Bound<'_, pyo3::types::PyType>,
        path: std::path::PathBuf,
        #[pyo3(from_py_with = crate::args::text)] criteria: &str,
        #[pyo3(from_py_with = crate::args::num)] pll_cap_per_year: Option<f64>,
        #[pyo3(from_py_with = crate::args::opt_int)] threads: Option<usize>,
    ) -> PyResult<Self> {
        let options = (criteria, pll_cap_per_year, threads);
        park_via(cls.py(), "from_file", path, options)
    }

    /// Facility ids (an installation without ``facility`` is its own facility).
    #[getter]
    fn facilities(&self) -> Vec<String> {
        self.inner.facilities().to_vec()
    }

    /// The park as it is: ``.result`` (RiskResult: IR grid, F-N, PLL, targets), ``.capacity``,
    /// ``.passed`` (GB 36894 or the chosen criteria).
    ///
    /// Returns
    /// -------
    /// qra.park.ParkRun
    fn run(&self) -> PyParkRun {
        self.base()
    }

    /// Ranked contributions of the park as it is (see :func:`qra.park.contributions`).
    ///
    /// Parameters
    /// ----------
    /// by : {"facility", "event"}
    ///     Row grouping.
    ///
    /// Returns
    /// -------
    /// pandas.DataFrame
    #[pyo3(signature = (by="facility"))]
    fn contributions<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::text)] by: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        py.import("qra.park")?
            .call_method1("contributions", (self.base(), by))
    }

    /// The park as it is (the same as :meth:`run`).
    #[getter]
    fn base(&self) -> PyParkRun {
        PyParkRun {
            inner: Arc::new(self.inner.base().clone()),
        }
    }

    /// The study.
    #[getter]
    fn study(&self) -> crate::risk::PyStudy {
        crate::risk::PyStudy {
            inner: Arc::new(self.inner.study().clone()),
        }
    }

    /// The park after removing facilities, moving them by (dx_m, dy_m), and adding facility
    /// blocks (TOML with ``[[facilities]]``, ``[[installations]]``, ``[[events]]``).
    ///
    /// Cached results are reused; only moved and added facilities are computed.
    ///
    /// Parameters
    /// ----------
    /// remove : iterable of str
    ///     Facility ids to remove.
    /// move : mapping of str to (float, float), optional
    ///     Facility id → (dx_m, dy_m) translation, m.
    /// add : iterable of str
    ///     Facility blocks (TOML) to add.
    ///
    /// Returns
    /// -------
    /// qra.park.ParkRun
    ///     Equal to a full run of the modified study (``.study``).
    ///
    /// Raises
    /// ------
    /// qra.UnknownNameError
    ///     An unknown facility.
    /// qra.InvalidDocumentError
    ///     An invalid block or modified study.
    #[pyo3(signature = (remove=Vec::new(), r#move=None, add=Vec::new()))]
    fn what_if(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::texts)] remove: Vec<String>,
        #[pyo3(from_py_with = crate::args::opt_text_map)] r#move: Option<
            std::collections::BTreeMap<String, (f64, f64)>,
        >,
        #[pyo3(from_py_with = crate::args::texts)] add: Vec<String>,
    ) -> PyResult<PyParkRun> {
        let mut ch: Vec<Change> = remove.into_iter().map(Change::Remove).collect();
        for (facility, (dx_m, dy_m)) in r#move.unwrap_or_default() {
            ch.push(Change::Move {
                facility,
                dx_m,
                dy_m,
            });
        }
        for t in &add {
            ch.push(Change::Add(crate::pickle::checked(parse_block(t))?));
        }
        let p = self.inner.clone();
        let r = crate::pickle::checked(py.detach(move || p.what_if(&ch)))?;
        Ok(PyParkRun { inner: Arc::new(r) })
    }

    /// Siting capacity map of ``template`` centred on candidates every ``spacing_m`` inside the
    /// park boundary.
    ///
    /// Parameters
    /// ----------
    /// template : str
    ///     A facility id of the park (copied) or a TOML facility block.
    /// spacing_m : float
    ///     Candidate spacing, m.
    ///
    /// Returns
    /// -------
    /// qra.park.SitingMap
    ///     Utilisation u = 1/k per candidate (NaN outside the boundary) and compliance.
    #[pyo3(signature = (template, spacing_m=300.0))]
    fn siting_map<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::text)] template: &str,
        #[pyo3(from_py_with = crate::args::num)] spacing_m: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let block = if self.inner.facilities().iter().any(|f| f == template) {
            self.inner.template(template, "*")
        } else {
            parse_block(template)
        }
        .map_err(crate::errors::PyQraError)?;
        let p = self.inner.clone();
        let m = py
            .detach(move || p.siting_map(&block, spacing_m))
            .map_err(crate::errors::PyQraError)?;
        let name = match self.inner.facilities().iter().any(|f| f == template) {
            true => template,
            false => "facility block",
        };
        py.import("qra.park")?.call_method1(
            "_siting_map",
            (json_value(py, serde_json::to_string(&m))?, name),
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<qra.Park {} facilities, {} installations>",
            self.inner.facilities().len(),
            self.inner.study().installations.len()
        )
    }
}

/// A park of the study read by the ``qra.Study`` constructor `method` (``from_toml``,
/// ``from_file``) with `options` (criteria, PLL cap, threads).
fn park_via<'py>(
    py: Python<'py>,
    method: &str,
    arg: impl IntoPyObject<'py>,
    (criteria, cap, threads): (&str, Option<f64>, Option<usize>),
) -> PyResult<PyPark> {
    let study = py
        .import("qra")?
        .getattr("Study")?
        .call_method1(method, (arg,))?;
    let study = study.cast_into::<crate::risk::PyStudy>()?;
    Ok(PyPark::new(py, &study.borrow(), criteria, cap, threads)?)
}

/// First-level domino analysis (``qra_core::park::domino::first_level``): returns
/// ``(chains, study)`` — the escalation chains (list of dicts: primary event/outcome/installation,
/// target installation and class, vector, distance_m, intensity (W/m² or Pa), p_escalation,
/// primary and secondary frequencies per year, secondary and domino event ids) and the
/// domino-inclusive study (one secondary event per chain).
#[pyfunction]
pub fn domino_first_level<'py>(
    py: Python<'py>,
    study: &crate::risk::PyStudy,
) -> PyResult<(Bound<'py, PyAny>, crate::risk::PyStudy)> {
    let s = study.inner.clone();
    let a = py
        .detach(move || qra_core::park::domino::first_level(&s))
        .map_err(crate::errors::PyQraError)?;
    Ok((
        json_value(py, serde_json::to_string(&a.chains))?,
        crate::risk::PyStudy {
            inner: Arc::new(a.study),
        },
    ))
}

/// The built-in sample park study (TOML, schema ``qra-study/1``) used by ``qra demo``.
///
/// Returns
/// -------
/// str
///     Study TOML text.
#[pyfunction]
pub fn sample_park_toml() -> &'static str {
    qra_core::park::SAMPLE_PARK_TOML
}

/// Registers this module's functions and classes on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sample_park_toml, m)?)?;
    m.add_function(wrap_pyfunction!(park_capacity, m)?)?;
    m.add_class::<PyWhatIf>()?;
    m.add_class::<PyPark>()?;
    m.add_class::<PyParkRun>()?;
    m.add_function(wrap_pyfunction!(domino_first_level, m)?)?;
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

/// The serde form of a park (and of a computed park): its study with the criteria set and the
/// PLL cap (``{"study": …, "criteria": …, "pll_cap_per_year": …}``); reading it prepares the
/// park again (deterministic: the same results bit for bit).
fn park_form(study: &qra_core::risk::study::Study, criteria: &str, cap: Option<f64>) -> String {
    serde_json::json!({
        "study": serde_json::from_str::<serde_json::Value>(&study.to_json()).unwrap_or_default(),
        "criteria": criteria,
        "pll_cap_per_year": cap,
    })
    .to_string()
}

fn park_from_form(py: Python<'_>, text: &str) -> PyResult<Park> {
    let study = crate::risk::study_from_wrapped_json(text)?;
    let v: serde_json::Value = crate::pickle::parse(text)?;
    let criteria = v
        .get("criteria")
        .and_then(|c| c.as_str())
        .unwrap_or("GB36894-2018")
        .to_string();
    let cap = v.get("pll_cap_per_year").and_then(|c| c.as_f64());
    let opts = qra_core::risk::RunOptions::default();
    crate::pickle::checked(py.detach(move || Park::new(&study, &opts, &criteria, cap)))
}

impl crate::pickle::SerdeForm for PyPark {
    fn to_json_text(&self) -> PyResult<String> {
        let b = self.inner.base();
        Ok(park_form(
            self.inner.study(),
            &b.criteria,
            b.pll_cap_per_year,
        ))
    }
    fn from_json_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(PyPark {
            inner: Arc::new(park_from_form(py, text)?),
        })
    }
}
crate::pickle::serde_form!(PyPark);

impl crate::pickle::SerdeForm for PyParkRun {
    fn to_json_text(&self) -> PyResult<String> {
        let r = &self.inner;
        Ok(park_form(&r.study, &r.criteria, r.pll_cap_per_year))
    }
    fn from_json_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        let park = park_from_form(py, text)?;
        Ok(PyParkRun {
            inner: Arc::new(park.base().clone()),
        })
    }
}
crate::pickle::serde_form!(PyParkRun);
