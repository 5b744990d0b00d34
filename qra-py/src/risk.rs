//! `qra.Study`, `qra.RiskResult`, `qra.Compliance` — thin wrappers over `qra_core::risk`.
//!
//! Inputs are converted to plain Rust values first; the engine runs inside `py.detach` (GIL
//! released, rayon inside, optionally a local pool of `threads`); results are moved out as NumPy
//! arrays; tables are returned as pandas DataFrames (pandas imported lazily).

use std::sync::Arc;

use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyType};
use qra_core::risk::contour::{default_levels, to_geojson, Criterion};
use qra_core::risk::criteria::{self, Boundary, Compliance};
use qra_core::risk::distance;
use qra_core::risk::engine::{
    combine, run_partial, run_with_control, PartialRun, RiskResult, RunControl, RunOptions,
};
use qra_core::risk::study::{LocalFrame, Study};
use qra_core::QraError;

use crate::errors::PyQraResult;

/// Calls the pure-Python helper `qra.<module>.<name>(*args)` (GIS and notebook views live in
/// Python, on the optional packages; the native classes only forward to them).
pub(crate) fn py_helper<'py>(
    py: Python<'py>,
    module: &str,
    name: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    py.import(module)?.getattr(name)?.call1(args)
}

fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

fn dataframe<'py>(py: Python<'py>, columns: Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
    py.import("pandas")?.getattr("DataFrame")?.call1((columns,))
}

/// A pandas DataFrame of serde records with the given columns (also when there are no rows).
fn records<'py, T: serde::Serialize>(
    py: Python<'py>,
    rows: &[T],
    columns: &[&str],
) -> PyResult<Bound<'py, PyAny>> {
    let text = crate::pickle::to_json(&rows)?;
    let kw = PyDict::new(py);
    kw.set_item("columns", columns.to_vec())?;
    py.import("pandas")?
        .getattr("DataFrame")?
        .call((json_loads(py, &text)?,), Some(&kw))
}

/// A risk study (schema ``qra-study/1``): installations, LOC events, outcomes, meteorology,
/// population, protected targets and the grid. Immutable; validated on construction (every
/// problem is reported with its field path in ``InvalidDocumentError.problems``).
#[pyclass(name = "Study", module = "qra", frozen)]
pub struct PyStudy {
    pub(crate) inner: Arc<Study>,
}

#[pymethods]
impl PyStudy {
    /// Reads a study file (``.json`` as JSON, anything else as TOML).
    ///
    /// Parameters
    /// ----------
    /// path : str or os.PathLike
    ///     The study file (schema ``qra-study/1``).
    ///
    /// Returns
    /// -------
    /// Study
    ///
    /// Raises
    /// ------
    /// qra.InvalidDocumentError
    ///     Every problem with its field path and line; ``OSError`` when unreadable.
    #[classmethod]
    fn from_file(cls: &Bound<'_, PyType>, path: std::path::PathBuf) -> PyQraResult<Self> {
        // reading and checking a large study takes a fraction of a second: without the GIL
        let study = cls.py().detach(|| Study::from_file(&path))?;
        Ok(PyStudy {
            inner: Arc::new(study),
        })
    }

    /// Builds a study from a dict of the JSON form (as returned by ``to_dict``).
    ///
    /// Parameters
    /// ----------
    /// d : dict
    ///     The JSON form.
    ///
    /// Returns
    /// -------
    /// Study
    #[classmethod]
    fn from_dict(_cls: &Bound<'_, PyType>, d: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text: String = d
            .py()
            .import("json")?
            .call_method1("dumps", (d,))?
            .extract()?;
        Ok(PyStudy {
            inner: Arc::new(
                Study::from_json_str(&text, "dict").map_err(crate::errors::PyQraError)?,
            ),
        })
    }

    /// Builds a study from TOML text.
    ///
    /// Parameters
    /// ----------
    /// text : str
    ///     The study as TOML (schema ``qra-study/1``).
    ///
    /// Returns
    /// -------
    /// Study
    #[classmethod]
    fn from_toml(
        _cls: &Bound<'_, PyType>,
        #[pyo3(from_py_with = crate::args::text)] text: &str,
    ) -> PyQraResult<Self> {
        Ok(PyStudy {
            inner: Arc::new(Study::from_toml_str(text, "toml")?),
        })
    }

    /// The JSON form as a dict (round-trips through ``from_dict``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.inner.to_json())
    }

    /// GB 18218-2018 identification and grading of every unit (``[[units]]`` grouping
    /// installations; an installation without ``unit`` is a unit of its own), with α from the
    /// study population within 500 m of the unit (``qra_core::park::major_hazard::identify_units``:
    /// outside the unit's facility boundary, the larger of day and night, rounded up to whole
    /// persons).
    ///
    /// Returns
    /// -------
    /// list of dict
    ///     One per unit, in the order of their first installation: ``unit``, ``name``, ``kind``
    ///     (``"production"``/``"storage"``/``None``), ``facility``, ``installations``,
    ///     ``exposed_persons_day``, ``exposed_persons_night``, ``exposed_persons`` (int),
    ///     ``identification`` (``terms`` [substance, quantity_t, critical_quantity_t, ratio,
    ///     beta], ``s``, ``is_major_hazard``, ``alpha``, ``r``, ``grade`` (``"One"`` … ``"Four"``
    ///     or ``None``)) or ``None`` with the reason in ``not_identified``.
    ///
    /// Raises
    /// ------
    /// qra.QraError
    ///     The study's substance database is invalid.
    fn major_hazard_units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let units = qra_core::park::major_hazard::identify_units(&self.inner)
            .map_err(crate::errors::PyQraError)?;
        let text =
            serde_json::to_string(&units).map_err(|e| PyValueError::new_err(e.to_string()))?;
        json_loads(py, &text)
    }

    /// Runs the study: individual risk on the grid, F-N curve, PLL, contributions.
    ///
    /// ``threads``: number of worker threads (a local pool); ``None`` uses all cores. The
    /// result's own later work keeps to it (``scenarios()``'s first call, ``risk_at``, the safety
    /// distances). Results are bit-identical for any thread count. Releases the GIL while
    /// computing.
    ///
    /// ``progress``: ``True`` draws a progress bar on ``sys.stderr``; a callable is called as
    /// ``progress(done, total)`` about ten times a second (work units: footprints, one per
    /// installation, societal risk). Ctrl-C (``KeyboardInterrupt``) cancels the run cleanly.
    ///
    /// IR(x, y) = Σ_scenarios f·P_outcome·P_weather·P_direction·P_death(x, y) and
    /// F(N) = Σ_{N_k ≥ N} f_k (Purple Book CPR 18E ch. 4–6; GB/T 37243-2019).
    ///
    /// Parameters
    /// ----------
    /// threads : int, optional
    ///     Worker threads; ``None`` uses all cores.
    /// progress : bool or callable(done, total), optional
    ///     Progress bar on stderr (``True``) or callback.
    ///
    /// Returns
    /// -------
    /// RiskResult
    #[pyo3(signature = (threads=None, progress=None))]
    fn run(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::opt_int)] threads: Option<usize>,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<PyRiskResult> {
        use std::sync::atomic::Ordering;
        let study = self.inner.clone();
        let opts = RunOptions {
            threads,
            ..Default::default()
        };
        let ctl = Arc::new(RunControl::default());
        let worker = ctl.clone();
        let handle = std::thread::spawn(move || run_with_control(&study, &opts, &worker));
        let bar = match &progress {
            Some(p) if p.is_instance_of::<pyo3::types::PyBool>() => p.extract::<bool>()?,
            _ => false,
        };
        let callback = progress.filter(|p| !p.is_instance_of::<pyo3::types::PyBool>());
        loop {
            let finished = py.detach(|| {
                let t0 = std::time::Instant::now();
                while !handle.is_finished() && t0.elapsed() < std::time::Duration::from_millis(100)
                {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                handle.is_finished()
            });
            let (done, total) = (
                ctl.done.load(Ordering::Relaxed),
                ctl.total.load(Ordering::Relaxed),
            );
            let report = if bar {
                let width = 30usize;
                let fill = (done * width).checked_div(total).unwrap_or(0).min(width);
                let line = format!(
                    "\rqra: [{}{}] {done}/{total}",
                    "#".repeat(fill),
                    ".".repeat(width - fill)
                );
                py.import("sys")?
                    .getattr("stderr")?
                    .call_method1("write", (line,))
                    .map(|_| ())
            } else if let Some(cb) = &callback {
                cb.call1((done, total)).map(|_| ())
            } else {
                Ok(())
            };
            if let Err(e) = report.and_then(|_| py.check_signals()) {
                ctl.cancel.store(true, Ordering::Relaxed);
                let _ = py.detach(|| handle.join());
                return Err(e);
            }
            if finished {
                break;
            }
        }
        if bar {
            py.import("sys")?
                .getattr("stderr")?
                .call_method1("write", ("\n",))?;
        }
        let r = handle
            .join()
            .map_err(|_| {
                pyo3::exceptions::PyRuntimeError::new_err("the risk run stopped unexpectedly")
            })?
            .map_err(crate::errors::PyQraError)?;
        Ok(PyRiskResult {
            inner: Arc::new(r),
            study: self.inner.clone(),
        })
    }

    /// Runs the part of the study belonging to the installations ``installations`` (indices in
    /// study order) — the unit of work of :mod:`qra.distributed`. ``Study.combine`` of partials
    /// covering every installation once is bit-identical to ``run()``. Releases the GIL.
    ///
    /// Parameters
    /// ----------
    /// installations : list of int
    ///     Installation indices (study order).
    /// threads : int, optional
    ///     Worker threads; ``None`` uses all cores.
    ///
    /// Returns
    /// -------
    /// PartialRun
    #[pyo3(signature = (installations, threads=None))]
    fn run_partial(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::ints)] installations: Vec<usize>,
        #[pyo3(from_py_with = crate::args::opt_int)] threads: Option<usize>,
    ) -> PyQraResult<PyPartialRun> {
        let study = self.inner.clone();
        let opts = RunOptions {
            threads,
            ..Default::default()
        };
        let p = py.detach(move || run_partial(&study, &opts, &installations))?;
        Ok(PyPartialRun { inner: Arc::new(p) })
    }

    /// Combines partial runs (from ``run_partial``, together covering every installation exactly
    /// once, any order) into the ``RiskResult`` that ``run()`` gives, bit for bit.
    ///
    /// Parameters
    /// ----------
    /// parts : list of PartialRun
    ///
    /// Returns
    /// -------
    /// RiskResult
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     An installation missing or covered twice.
    fn combine(
        &self,
        py: Python<'_>,
        parts: Vec<PyRef<'_, PyPartialRun>>,
    ) -> PyQraResult<PyRiskResult> {
        let study = self.inner.clone();
        let parts: Vec<Arc<PartialRun>> = parts.iter().map(|p| p.inner.clone()).collect();
        let r = py.detach(move || {
            let owned: Vec<PartialRun> = parts.iter().map(|p| (**p).clone()).collect();
            combine(&study, &owned)
        })?;
        Ok(PyRiskResult {
            inner: Arc::new(r),
            study: self.inner.clone(),
        })
    }

    /// HTML summary for Jupyter (``qra._html``).
    fn _repr_html_<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        py_helper(slf.py(), "qra._html", "study_html", (slf,))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Study '{}': {} installations, {} events, {} weather classes>",
            self.inner.metadata.title,
            self.inner.installations.len(),
            self.inner.events.len(),
            self.inner.meteorology.weather.len()
        )
    }
}

/// The work of some installations of a study (``Study.run_partial``), to be combined by
/// ``Study.combine``. Pickles to a compact exact binary form (for shipping between processes).
#[pyclass(name = "PartialRun", module = "qra", frozen)]
pub struct PyPartialRun {
    inner: Arc<PartialRun>,
}

#[pymethods]
impl PyPartialRun {
    /// Installation indices covered.
    #[getter]
    fn installations(&self) -> Vec<usize> {
        self.inner.installations.clone()
    }

    /// The exact binary form.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads the binary form (bounds-checked; raises ``InvalidInputError`` for bad data).
    ///
    /// Parameters
    /// ----------
    /// data : bytes
    ///     Output of ``to_bytes``.
    ///
    /// Returns
    /// -------
    /// PartialRun
    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, data: &[u8]) -> PyQraResult<Self> {
        Ok(PyPartialRun {
            inner: Arc::new(PartialRun::from_bytes(data)?),
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Py<PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let ctor = py
            .get_type::<PyPartialRun>()
            .getattr("from_bytes")?
            .unbind();
        Ok((ctor, (PyBytes::new(py, &slf.get().inner.to_bytes()),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<PartialRun: installations {:?}, {} scenarios>",
            self.inner.installations,
            self.inner.cases.len()
        )
    }
}

/// The result of ``Study.run()``.
#[pyclass(name = "RiskResult", module = "qra", frozen)]
pub struct PyRiskResult {
    pub(crate) inner: Arc<RiskResult>,
    /// The study that produced it (its serde form; runs are deterministic).
    pub(crate) study: Arc<Study>,
}

impl PyRiskResult {
    /// The local frame of the study for a GeoJSON export: `None` (local metres) only when asked.
    fn frame(&self, local_metres: bool) -> PyResult<Option<LocalFrame>> {
        match self.inner.origin {
            Some(o) => Ok(Some(LocalFrame::new(o).map_err(crate::errors::PyQraError)?)),
            None if local_metres => Ok(None),
            None => Err(crate::errors::PyQraError(qra_core::QraError::invalid(
                "origin",
                "none",
                "GeoJSON coordinates are WGS84 longitude/latitude (RFC 7946 §4): give the study \
                 an [origin] (latitude_deg, longitude_deg), or pass local_metres=True",
            ))
            .into()),
        }
    }
}

fn levels_or_default(levels: Option<Vec<f64>>) -> Vec<f64> {
    levels.unwrap_or_else(default_levels)
}

#[pymethods]
impl PyRiskResult {
    /// Grid node x coordinates (east), m.
    #[getter]
    fn x<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.x_m.clone().into_pyarray(py)
    }

    /// Grid node y coordinates (north), m.
    #[getter]
    fn y<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.y_m.clone().into_pyarray(py)
    }

    /// Individual risk at the grid nodes, per year; shape (len(y), len(x)), rows = y.
    #[getter]
    fn individual_risk<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.individual_risk.clone().into_pyarray(py)
    }

    /// Potential loss of life, fatalities per year.
    #[getter]
    fn pll(&self) -> f64 {
        self.inner.pll
    }

    /// The study that produced this result.
    #[getter]
    fn study(&self) -> PyStudy {
        PyStudy {
            inner: self.study.clone(),
        }
    }

    /// Largest number of fatalities of any case.
    #[getter]
    fn max_n(&self) -> f64 {
        self.inner.max_n
    }

    /// Exact individual risk at ``points`` (array-like of shape (n, 2), or one (x, y) pair: x, y
    /// in m), per year.
    ///
    /// Parameters
    /// ----------
    /// points : array-like (n, 2) or (2,)
    ///     x east, y north, m (a NumPy array, a list of pairs, or one pair).
    ///
    /// Returns
    /// -------
    /// ndarray (n,)
    ///     Individual risk, per year: the footprints evaluated at the points (not interpolated
    ///     from the grid; the footprints are the consequence models sampled on tables).
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Points not of shape (n, 2) or (2,).
    fn risk_at<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] points: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        // `points` is a float64 array (`args::array`); a wrong shape is an invalid input naming
        // the shape (was a plain ValueError; issue 21)
        let bad_shape = |a: &Bound<'py, PyAny>| -> PyErr {
            let shape = a
                .getattr("shape")
                .map(|s| s.to_string())
                .unwrap_or_default();
            crate::errors::PyQraError(QraError::invalid(
                "points",
                format!("an array of shape {shape}"),
                "must have shape (n, 2) or (2,)",
            ))
            .into()
        };
        let a = if points.getattr("ndim")?.extract::<usize>()? == 1 {
            points
                .call_method1("reshape", ((-1i64, 2i64),))
                .map_err(|_| bad_shape(&points))?
        } else {
            points.clone()
        };
        let arr: PyReadonlyArray2<'py, f64> = a.extract().map_err(|_| bad_shape(&points))?;
        let a = arr.as_array();
        if a.ncols() != 2 {
            return Err(bad_shape(&points));
        }
        let pts: Vec<[f64; 2]> = a.rows().into_iter().map(|r| [r[0], r[1]]).collect();
        let r = self.inner.clone();
        let v = py.detach(move || r.risk_at(&pts));
        Ok(v.into_pyarray(py))
    }

    /// The IR grid as an ``xarray.DataArray`` (``qra.gis.to_xarray``; needs the ``[gis]`` extra):
    /// dims ``(y, x)`` in local metres, 2-D ``lon``/``lat`` coordinates and the CRS of the local
    /// frame in ``attrs`` when the study has an origin.
    fn to_xarray<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        py_helper(slf.py(), "qra.gis", "to_xarray", (slf,))
    }

    /// Contours as a ``geopandas.GeoDataFrame`` of polygons with holes, one row per level
    /// reached, in the local frame's CRS (``qra.gis.contours_gdf``; needs the ``[gis]`` extra).
    ///
    /// Parameters
    /// ----------
    /// levels : list of float, optional
    ///     IR levels, per year (default: the decades 1e-4 … 1e-8 and the GB 36894 limits).
    /// criteria : str or None
    ///     Criteria set whose limits label the rows (``criterion``, ``classes``, ``statuses``).
    #[pyo3(signature = (levels=None, criteria=Some("GB36894-2018")))]
    fn contours_gdf<'py>(
        slf: &Bound<'py, Self>,
        #[pyo3(from_py_with = crate::args::num)] levels: Option<Vec<f64>>,
        #[pyo3(from_py_with = crate::args::opt_text)] criteria: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        py_helper(slf.py(), "qra.gis", "contours_gdf", (slf, levels, criteria))
    }

    /// Protected targets as a ``geopandas.GeoDataFrame`` with their IR and verdict under
    /// ``criteria`` (``qra.gis.targets_gdf``; needs the ``[gis]`` extra).
    ///
    /// Parameters
    /// ----------
    /// criteria : str
    ///     Criteria set id (:func:`qra.criteria_sets`).
    ///
    /// Returns
    /// -------
    /// geopandas.GeoDataFrame
    ///     ``id``, ``class``, ``individual_risk`` (per year), ``status``, ``limit``, ``pass``,
    ///     ``inside_grid``, point ``geometry`` in the local frame's CRS.
    #[pyo3(signature = (criteria="GB36894-2018"))]
    fn targets_gdf<'py>(
        slf: &Bound<'py, Self>,
        #[pyo3(from_py_with = crate::args::text)] criteria: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        py_helper(slf.py(), "qra.gis", "targets_gdf", (slf, criteria))
    }

    /// HTML summary for Jupyter (``qra._html``).
    fn _repr_html_<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        py_helper(slf.py(), "qra._html", "result_html", (slf,))
    }

    /// Iso-risk contours at ``levels`` (default 1e-4 … 1e-8 and the GB 36894 limits): the
    /// region IR ≥ level as polygons, traced by marching squares on the grid (the same
    /// geometry as :meth:`to_geojson` and :func:`qra.plot.risk_contours`).
    ///
    /// Parameters
    /// ----------
    /// levels : list of float, optional
    ///     IR levels, per year.
    ///
    /// Returns
    /// -------
    /// list of dict
    ///     One ``{"level": float, "polygons": [[exterior, *holes], ...], "rings": [...]}`` per
    ///     level. Each ring is a closed array (k, 2) of (x, y) in m (first point repeated);
    ///     exteriors run counter-clockwise, holes clockwise. ``polygons`` groups each exterior
    ///     with its holes (GeoJSON ``MultiPolygon`` order); ``rings`` lists every ring of every
    ///     polygon in the same order (exterior, then its holes), as before ``polygons`` was
    ///     added.
    #[pyo3(signature = (levels=None))]
    fn contours<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::num)] levels: Option<Vec<f64>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let lv = levels_or_default(levels);
        let r = self.inner.clone();
        let cs = py.detach(move || r.ir_contours(&lv));
        let ring_array = |ring: &Vec<[f64; 2]>| -> PyResult<Bound<'py, PyAny>> {
            let flat: Vec<f64> = ring.iter().flatten().copied().collect();
            let arr = numpy::ndarray::Array2::from_shape_vec((ring.len(), 2), flat)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            Ok(arr.into_pyarray(py).into_any())
        };
        let out = PyList::empty(py);
        for c in &cs {
            let d = PyDict::new(py);
            d.set_item("level", c.level)?;
            let polygons = PyList::empty(py);
            let rings = PyList::empty(py);
            for p in &c.polygons {
                let poly = PyList::empty(py);
                for ring in std::iter::once(&p.exterior).chain(p.holes.iter()) {
                    let a = ring_array(ring)?;
                    poly.append(&a)?;
                    rings.append(a)?;
                }
                polygons.append(poly)?;
            }
            d.set_item("polygons", polygons)?;
            d.set_item("rings", rings)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// GeoJSON FeatureCollection (dict) of the contours of :meth:`contours`, in WGS84
    /// longitude/latitude (EPSG:4326) through the study's local frame (a transverse Mercator
    /// projection centred on its ``origin``; :attr:`crs`).
    ///
    /// Parameters
    /// ----------
    /// levels : list of float, optional
    ///     IR levels, per year.
    /// criteria : str or None
    ///     Criteria set whose IR limits label the features (``criterion``, ``classes``,
    ///     ``statuses``); ``None`` for none.
    /// local_metres : bool
    ///     Without an origin, write the local metres instead (not RFC 7946 GeoJSON, which is
    ///     longitude/latitude only; the collection then carries ``crs_note``).
    ///
    /// Returns
    /// -------
    /// dict
    ///     GeoJSON FeatureCollection, one ``MultiPolygon`` feature per level **reached** (the
    ///     region IR ≥ level; exteriors counter-clockwise, holes clockwise) with ``properties``
    ///     ``level`` (per year), ``unit``, and with ``criteria``: ``criterion`` (its id when one of
    ///     its limits is the level, else ``None``), ``classes`` and ``statuses``.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     The study has no origin and ``local_metres`` is false.
    /// qra.UnknownNameError
    ///     Unknown criteria set.
    #[pyo3(signature = (levels=None, criteria=Some("GB36894-2018"), *, local_metres=false))]
    fn to_geojson<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::num)] levels: Option<Vec<f64>>,
        #[pyo3(from_py_with = crate::args::opt_text)] criteria: Option<&str>,
        local_metres: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lv = levels_or_default(levels);
        let frame = self.frame(local_metres)?;
        let set = criteria
            .map(criteria::criteria_set)
            .transpose()
            .map_err(crate::errors::PyQraError)?;
        let r = self.inner.clone();
        let text = py
            .detach(move || {
                let cs = r.ir_contours(&lv);
                let limits = set.map(|s| s.limits()).unwrap_or_default();
                let cr = set.map(|s| Criterion {
                    id: &s.id,
                    limits: &limits,
                });
                to_geojson(&cs, frame.as_ref(), cr).map(|v| v.to_string())
            })
            .map_err(crate::errors::PyQraError)?;
        json_loads(py, &text)
    }

    /// GeoJSON FeatureCollection (dict) of the external-safety-distance polygons: for every
    /// enterprise (and ``"(park)"``) and every IR limit of the criteria set, the contour
    /// polygons of the **combined** individual risk it owns (see
    /// :meth:`Compliance.safety_distances`). WGS84 longitude/latitude through the study's local
    /// frame, as :meth:`to_geojson`.
    ///
    /// Parameters
    /// ----------
    /// criteria : str
    ///     Criteria set id (:func:`qra.criteria_sets`).
    /// local_metres : bool
    ///     Without an origin, write the local metres instead (see :meth:`to_geojson`).
    ///
    /// Returns
    /// -------
    /// dict
    ///     GeoJSON FeatureCollection, one ``MultiPolygon`` feature per (enterprise, level) that
    ///     owns a region, with ``properties`` ``level`` (per year), ``unit``, ``enterprise``,
    ///     ``status``, ``classes`` and ``statuses``.
    ///
    /// Raises
    /// ------
    /// qra.UnknownNameError
    ///     Unknown criteria set.
    /// qra.InvalidInputError
    ///     The study has no origin and ``local_metres`` is false.
    #[pyo3(signature = (criteria="GB36894-2018", *, local_metres=false))]
    fn distance_geojson<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::text)] criteria: &str,
        local_metres: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let set = criteria::criteria_set(criteria).map_err(crate::errors::PyQraError)?;
        let frame = self.frame(local_metres)?;
        let r = self.inner.clone();
        let text = py
            .detach(move || {
                let (_, polys) = distance::combined_distances(&r, &set.limits());
                distance::to_geojson(&polys, frame.as_ref()).map(|v| v.to_string())
            })
            .map_err(crate::errors::PyQraError)?;
        json_loads(py, &text)
    }

    /// The CRS of the local frame as a PROJ string (transverse Mercator on WGS84 centred on the
    /// study's origin, scale 1, no false easting/northing), or ``None`` without an origin.
    #[getter]
    fn crs(&self) -> Option<String> {
        self.inner.origin.map(|o| o.proj_string())
    }

    /// F-N curve as a pandas DataFrame with columns ``N`` and ``F`` (per year), ascending N.
    fn fn_curve<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        let n: Vec<f64> = self.inner.fn_curve.iter().map(|p| p.n).collect();
        let f: Vec<f64> = self.inner.fn_curve.iter().map(|p| p.f_per_year).collect();
        d.set_item("N", n.into_pyarray(py))?;
        d.set_item("F", f.into_pyarray(py))?;
        dataframe(py, d)
    }

    /// The scenario table: one row per (event, outcome, weather class) scenario that contributes,
    /// as a pandas DataFrame with columns ``installation``, ``event``, ``outcome``, ``kind``,
    /// ``weather``, ``release`` (release kind), ``phase``, ``release_rate_kg_s``, ``duration_s``,
    /// ``airborne_mass_kg``, ``dispersion`` (``"dense"``/``"passive"`` for toxic and flash-fire
    /// clouds), ``event_frequency_per_year``, ``outcome_probability``, ``weather_probability``,
    /// ``distance_1pct_m`` and ``distance_50pct_m`` (largest distance with outdoor lethality
    /// ≥ 1 % / 50 %, m).
    fn scenarios<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records(
            py,
            self.inner.scenarios(),
            &[
                "installation",
                "event",
                "outcome",
                "kind",
                "weather",
                "release",
                "phase",
                "release_rate_kg_s",
                "duration_s",
                "airborne_mass_kg",
                "dispersion",
                "event_frequency_per_year",
                "outcome_probability",
                "weather_probability",
                "distance_1pct_m",
                "distance_50pct_m",
            ],
        )
    }

    /// Contribution of each event: DataFrame with columns ``event``, ``installation``, ``pll``
    /// and one column ``ir:<target id>`` per protected target (IR contribution, per year).
    fn contributions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = &self.inner.contributions;
        let d = PyDict::new(py);
        d.set_item(
            "event",
            c.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "installation",
            c.iter().map(|e| e.installation.clone()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "pll",
            c.iter().map(|e| e.pll).collect::<Vec<_>>().into_pyarray(py),
        )?;
        for (k, t) in self.inner.targets.iter().enumerate() {
            let v: Vec<f64> = c.iter().map(|e| e.target_ir[k]).collect();
            d.set_item(format!("ir:{}", t.id), v.into_pyarray(py))?;
        }
        dataframe(py, d)
    }

    /// Individual risk at each protected target: DataFrame with columns ``id``, ``class``,
    /// ``status`` (the deprecated per-target GB 36894 status when the study gives one, else
    /// ``None``: the status belongs to installations), ``x_m``, ``y_m``, ``individual_risk``.
    fn targets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = &self.inner.targets;
        let d = PyDict::new(py);
        d.set_item("id", t.iter().map(|x| x.id.clone()).collect::<Vec<_>>())?;
        d.set_item(
            "class",
            t.iter().map(|x| x.class.name()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "status",
            t.iter()
                .map(|x| x.status.map(|s| s.name()))
                .collect::<Vec<_>>(),
        )?;
        d.set_item("x_m", t.iter().map(|x| x.x_m).collect::<Vec<_>>())?;
        d.set_item("y_m", t.iter().map(|x| x.y_m).collect::<Vec<_>>())?;
        d.set_item(
            "individual_risk",
            t.iter().map(|x| x.individual_risk).collect::<Vec<_>>(),
        )?;
        dataframe(py, d)
    }

    /// Largest distance (m) from installation ``installation`` to the contour of its own
    /// individual risk at ``level`` (per year), over all directions. Not the external safety
    /// distance (that comes from the combined risk: :meth:`Compliance.safety_distances`).
    ///
    /// Parameters
    /// ----------
    /// installation : str
    ///     Installation id.
    /// level : float
    ///     IR level, per year.
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m (0 if the level is never reached).
    ///
    /// Raises
    /// ------
    /// qra.UnknownNameError
    ///     No installation ``installation``.
    fn distance_to_level(
        &self,
        #[pyo3(from_py_with = crate::args::text)] installation: &str,
        #[pyo3(from_py_with = crate::args::num)] level: f64,
    ) -> PyResult<f64> {
        self.inner
            .installations
            .iter()
            .find(|p| p.id == installation)
            .map(|p| p.distance_to_level(level))
            .ok_or_else(|| {
                crate::errors::PyQraError(QraError::unknown(
                    "installation",
                    installation,
                    self.inner.installations.iter().map(|p| p.id.as_str()),
                ))
                .into()
            })
    }

    /// Compliance with a criteria set (``"GB36894-2018"``, ``"SAWS-2014-trial"``,
    /// ``"NL-Bevi-2004"``, ``"UK-HSE-R2P2"``, ``"HK-RG"``). ``boundary`` decides values exactly
    /// on a limit: ``"on-line-is-better"`` (default) or ``"on-line-is-worse"``.
    ///
    /// Parameters
    /// ----------
    /// criteria : str
    ///     Criteria set id (:func:`qra.criteria_sets`).
    /// boundary : {"on-line-is-better", "on-line-is-worse"}
    ///
    /// Returns
    /// -------
    /// Compliance
    ///
    /// Raises
    /// ------
    /// qra.UnknownNameError
    ///     Unknown criteria set.
    #[pyo3(signature = (criteria="GB36894-2018", boundary="on-line-is-better"))]
    fn check(
        slf: &Bound<'_, Self>,
        #[pyo3(from_py_with = crate::args::text)] criteria: &str,
        #[pyo3(from_py_with = crate::args::text)] boundary: &str,
    ) -> PyResult<PyCompliance> {
        let py = slf.py();
        let this = slf.get();
        let b = match boundary {
            "on-line-is-better" => Boundary::OnLineIsBetter,
            "on-line-is-worse" => Boundary::OnLineIsWorse,
            other => {
                return Err(crate::errors::PyQraError(QraError::invalid(
                    "boundary",
                    format!("'{other}'"),
                    "must be 'on-line-is-better' or 'on-line-is-worse'",
                ))
                .into())
            }
        };
        let c = criteria::check(&this.inner, criteria, b).map_err(crate::errors::PyQraError)?;
        // GridCoverageWarning for contours at a limit cut by the grid edge and targets outside
        // the grid (qra.gis.coverage_warnings).
        py_helper(py, "qra.gis", "warn_coverage", (slf, criteria))?;
        Ok(PyCompliance { inner: c })
    }

    fn __repr__(&self) -> String {
        format!(
            "<RiskResult: {}x{} grid, max IR {:.3e}/y, PLL {:.3e}/y, {} F-N points>",
            self.inner.x_m.len(),
            self.inner.y_m.len(),
            self.inner
                .individual_risk
                .iter()
                .cloned()
                .fold(0.0, f64::max),
            self.inner.pll,
            self.inner.fn_curve.len()
        )
    }
}

/// A compliance report; ``print(report)`` gives the table.
#[pyclass(name = "Compliance", module = "qra", frozen)]
pub struct PyCompliance {
    inner: Compliance,
}

#[pymethods]
impl PyCompliance {
    /// Whether every target passes and the F-N curve is not intolerable (above an orientation
    /// value — the Dutch Bevi group risk — passes).
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed()
    }

    /// F-N zone: ``"intolerable"``, ``"above the orientation value"`` (criteria sets whose upper
    /// line is an orientation value, ``NL-Bevi-2004``), ``"ALARP"`` or ``"acceptable"``.
    #[getter]
    fn fn_zone(&self) -> String {
        self.inner.fn_zone.to_string()
    }

    /// Largest F/F_upper over the applicable N range (the intolerable line, or the orientation
    /// value).
    #[getter]
    fn worst_ratio(&self) -> f64 {
        self.inner.worst_ratio
    }

    /// Largest N of any case.
    #[getter]
    fn max_n(&self) -> f64 {
        self.inner.max_n
    }

    /// Compliance of each protected target as a pandas DataFrame with columns ``id``, ``class``,
    /// ``status``, ``individual_risk`` (all installations, per year), ``limit`` (``status`` and
    /// ``limit``: the binding check — the GB 36894 status whose limit binds and that limit, per
    /// year), ``pass`` (every check passes: IR of the new installations ≤ the new limit and IR ≤
    /// the in-service limit), ``individual_risk_new``, ``individual_risk_in_service`` (per year)
    /// and ``clause`` (clause and table of the limits). The checks themselves are in
    /// ``to_dict()["targets"][k]["checks"]``.
    fn targets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records(
            py,
            &self.inner.targets,
            &[
                "id",
                "class",
                "status",
                "individual_risk",
                "limit",
                "pass",
                "individual_risk_new",
                "individual_risk_in_service",
                "clause",
            ],
        )
    }

    /// External safety distances from the contour of the **combined** individual risk of all
    /// installations (GB/T 37243-2019 §6.8, rule recalled [M]; see ``qra_core::risk::distance``)
    /// as a pandas DataFrame, one row per enterprise (facility; ``"(park)"`` for the whole park)
    /// and target class and status (a ``"new"`` row is the contour of the IR of the enterprise's
    /// new installations at the new limit, an ``"in-service"`` row that of all its installations
    /// at the in-service limit), with columns ``enterprise``, ``class``, ``status``,
    /// ``limit`` (IR limit = contour level, per year), ``distance_m`` (largest distance from the
    /// enterprise's boundary, else its nearest installation, to its part of the contour, m),
    /// ``reference_x_m``, ``reference_y_m`` (the reference point of the rays, m) and
    /// ``reach_N_m`` … ``reach_NNW_m`` (reach of the contour from the reference point along the
    /// 16 compass directions, m; 0 where there is none).
    fn safety_distances<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut columns: Vec<String> = [
            "enterprise",
            "class",
            "status",
            "limit",
            "distance_m",
            "reference_x_m",
            "reference_y_m",
        ]
        .map(String::from)
        .to_vec();
        columns.extend(distance::DIRECTIONS.iter().map(|d| format!("reach_{d}_m")));
        let rows: Vec<serde_json::Value> = self
            .inner
            .safety_distances
            .iter()
            .map(|d| {
                let mut v = vec![
                    serde_json::json!(d.enterprise),
                    serde_json::json!(d.class),
                    serde_json::json!(d.status),
                    serde_json::json!(d.limit),
                    serde_json::json!(d.distance_m),
                    serde_json::json!(d.reference_m[0]),
                    serde_json::json!(d.reference_m[1]),
                ];
                v.extend(d.reach_by_direction_m.iter().map(|r| serde_json::json!(r)));
                serde_json::Value::Array(v)
            })
            .collect();
        let cols: Vec<&str> = columns.iter().map(String::as_str).collect();
        records(py, &rows, &cols)
    }

    /// Per-installation distances — each installation to the contour of **its own**
    /// individual risk, max over directions (the safety distances of qra ≤ 0.1; they understate
    /// the distance wherever installations' risks add up) — as a pandas DataFrame with columns
    /// ``installation``, ``class``, ``status``, ``limit`` (per year) and ``distance_m`` (m).
    fn installation_distances<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records(
            py,
            &self.inner.installation_distances,
            &["installation", "class", "status", "limit", "distance_m"],
        )
    }

    /// Everything as a dict (targets, safety distances, zone …).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text =
            serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))?;
        json_loads(py, &text)
    }

    /// HTML summary for Jupyter (``qra._html``).
    fn _repr_html_<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        py_helper(slf.py(), "qra._html", "compliance_html", (slf,))
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Compliance {}: {} ({} targets, F-N {})>",
            self.inner.criteria,
            if self.inner.passed() { "PASS" } else { "FAIL" },
            self.inner.targets.len(),
            self.inner.fn_zone
        )
    }
}

/// The serde form of a study: its JSON document (schema ``qra-study/1``), validated on reading.
impl crate::pickle::SerdeForm for PyStudy {
    fn to_json_text(&self) -> PyResult<String> {
        Ok(self.inner.to_json())
    }
    fn from_json_text(_py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(PyStudy {
            inner: Arc::new(crate::pickle::checked(Study::from_json_str(text, "json"))?),
        })
    }
}
crate::pickle::serde_form!(PyStudy);

/// Reads ``{"study": <study JSON>}`` (the serde form of results prepared from a study).
pub(crate) fn study_from_wrapped_json(text: &str) -> PyResult<Arc<Study>> {
    let v: serde_json::Value = crate::pickle::parse(text)?;
    let s = v.get("study").ok_or_else(|| {
        PyErr::from(crate::errors::PyQraError(qra_core::QraError::invalid(
            "json",
            "<text>",
            "must be an object with a \"study\" member",
        )))
    })?;
    Ok(Arc::new(crate::pickle::checked(Study::from_json_str(
        &s.to_string(),
        "json",
    ))?))
}

/// The serde form of a result is the study that produced it (``{"study": …}``): ``from_json``
/// runs it again, which gives the same result bit for bit (runs are deterministic for any
/// thread count). ``==`` therefore means "computed from the same study".
impl crate::pickle::SerdeForm for PyRiskResult {
    fn to_json_text(&self) -> PyResult<String> {
        Ok(format!("{{\"study\":{}}}", self.study.to_json()))
    }
    fn from_json_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        let study = study_from_wrapped_json(text)?;
        let s = study.clone();
        let r = py
            .detach(move || qra_core::risk::engine::run(&s, &RunOptions::default()))
            .map_err(crate::errors::PyQraError)?;
        Ok(PyRiskResult {
            inner: Arc::new(r),
            study,
        })
    }
}
crate::pickle::serde_form!(PyRiskResult);

// A compliance report is plain data: its serde form is the report itself.
crate::pickle::serde_form!(PyCompliance, Compliance, Ok);

/// Names of the built-in criteria sets.
#[pyfunction]
pub fn criteria_sets() -> PyQraResult<Vec<String>> {
    Ok(criteria::criteria_sets()?
        .iter()
        .map(|s| s.id.clone())
        .collect())
}

/// The built-in generic LOC frequency table as TOML text (``models/loc_frequencies.toml``;
/// Purple Book ch. 3 values, recalled [M]).
#[pyfunction]
fn loc_table_toml() -> &'static str {
    qra_core::risk::study::LOC_TABLE_TOML
}

/// The built-in ignition-probability table as TOML text (``models/ignition.toml``; Purple Book
/// Table 4.6, recalled [M]).
#[pyfunction]
fn ignition_table_toml() -> &'static str {
    qra_core::risk::study::IGNITION_TABLE_TOML
}

/// External safety distance of an explosive by the consequence method of GB/T 37243-2019 §5.
///
/// The distance (m) at which the incident overpressure of detonating ``mass_kg`` of ``substance``
/// (TNT equivalence from the substance database; Kingery–Bulmash, Swisdak 1994) falls to
/// ``overpressure_threshold_pa``. The threshold is required: the standard's Annex G values were
/// not available to qra.
///
/// Parameters
/// ----------
/// substance : str
///     An explosive with a TNT equivalence in the database.
/// mass_kg : float
///     Mass, kg.
/// overpressure_threshold_pa : float
///     Overpressure threshold, Pa.
///
/// Returns
/// -------
/// float
///     Distance, m.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     A substance without TNT equivalence or bad numbers.
#[pyfunction]
pub fn explosive_safety_distance_m(
    substance: crate::substance::SubstanceArg<'_>,
    #[pyo3(from_py_with = crate::args::num)] mass_kg: f64,
    #[pyo3(from_py_with = crate::args::num)] overpressure_threshold_pa: f64,
) -> PyResult<f64> {
    let s = substance.substance()?;
    Ok(
        criteria::explosive_safety_distance_m(&s, mass_kg, overpressure_threshold_pa)
            .map_err(crate::errors::PyQraError)?,
    )
}

/// A built-in criteria set as a dict: ``id``, ``title``, ``source``, ``verification``,
/// ``individual`` (IR limits per target class, per year) and ``societal`` (F-N lines
/// F = anchor_f·(N/anchor_n)^slope with ``n_min``, ``n_max``).
///
/// Parameters
/// ----------
/// name : str
///     Criteria set id, e.g. ``"GB36894-2018"`` (:func:`qra.criteria_sets`).
///
/// Returns
/// -------
/// dict
///
/// Raises
/// ------
/// qra.UnknownNameError
///     Unknown id (with suggestions).
#[pyfunction]
pub fn criteria_set<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::text)] name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let s = crate::pickle::checked(criteria::criteria_set(name))?;
    json_loads(py, &crate::pickle::to_json(s)?)
}

// --- linear sources (pipelines, transport routes) -------------------------------------------

/// Individual risk of pipeline ``pipeline_id`` alone on the transect perpendicular to the line at
/// ``chainage_m`` (m along the polyline), at signed ``distances_m`` (m, positive to the left of
/// the direction of travel), per year. ``result`` must come from ``study.run()``.
#[pyfunction]
fn linear_transect<'py>(
    py: Python<'py>,
    study: &PyStudy,
    result: &PyRiskResult,
    #[pyo3(from_py_with = crate::args::text)] pipeline_id: &str,
    #[pyo3(from_py_with = crate::args::num)] chainage_m: f64,
    #[pyo3(from_py_with = crate::args::num)] distances_m: Vec<f64>,
) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
    let (s, r, id) = (
        study.inner.clone(),
        result.inner.clone(),
        pipeline_id.to_string(),
    );
    let v =
        py.detach(move || qra_core::risk::linear::transect(&s, &r, &id, chainage_m, &distances_m))?;
    Ok(v.into_pyarray(py))
}

/// Societal risk per stretch of ``pipeline_id``: windows of ``window_m`` every ``step_m``; a list of
/// ``(start_m, end_m, pll, fn2_max, N array, F array)``.
#[pyfunction]
#[pyo3(signature = (study, result, pipeline_id, window_m=1000.0, step_m=100.0))]
#[allow(clippy::type_complexity)]
fn linear_per_km<'py>(
    py: Python<'py>,
    study: &PyStudy,
    result: &PyRiskResult,
    #[pyo3(from_py_with = crate::args::text)] pipeline_id: &str,
    #[pyo3(from_py_with = crate::args::num)] window_m: f64,
    #[pyo3(from_py_with = crate::args::num)] step_m: f64,
) -> PyQraResult<
    Vec<(
        f64,
        f64,
        f64,
        f64,
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<f64>>,
    )>,
> {
    let (s, r, id) = (
        study.inner.clone(),
        result.inner.clone(),
        pipeline_id.to_string(),
    );
    let st =
        py.detach(move || qra_core::risk::linear::societal_per_km(&s, &r, &id, window_m, step_m))?;
    Ok(st
        .into_iter()
        .map(|x| {
            let n: Vec<f64> = x.fn_curve.iter().map(|p| p.n).collect();
            let f: Vec<f64> = x.fn_curve.iter().map(|p| p.f_per_year).collect();
            (
                x.start_m,
                x.end_m,
                x.pll,
                x.fn2_max,
                n.into_pyarray(py),
                f.into_pyarray(py),
            )
        })
        .collect())
}

/// The linear sources of a study: list of ``(id, kind, length_m, spacing_m, release_points)``.
#[pyfunction]
fn linear_sources(study: &PyStudy) -> Vec<(String, String, f64, f64, usize)> {
    let s = &study.inner;
    s.pipelines
        .iter()
        .map(|p| {
            let kind = match p.kind {
                qra_core::risk::linear::LinearKind::Pipeline => "pipeline",
                qra_core::risk::linear::LinearKind::Road => "road",
                qra_core::risk::linear::LinearKind::Rail => "rail",
            };
            let spacing = p.spacing(s.grid.resolution_m);
            (
                p.id.clone(),
                kind.to_string(),
                p.length_m(),
                spacing,
                p.point_count(spacing) as usize,
            )
        })
        .collect()
}

/// Registers this module's functions and classes on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(explosive_safety_distance_m, m)?)?;
    m.add_function(wrap_pyfunction!(loc_table_toml, m)?)?;
    m.add_function(wrap_pyfunction!(ignition_table_toml, m)?)?;
    m.add_class::<PyStudy>()?;
    m.add_class::<PyRiskResult>()?;
    m.add_class::<PyPartialRun>()?;
    m.add_class::<PyCompliance>()?;
    m.add_function(wrap_pyfunction!(criteria_sets, m)?)?;
    m.add_function(wrap_pyfunction!(criteria_set, m)?)?;
    m.add_function(wrap_pyfunction!(linear_transect, m)?)?;
    m.add_function(wrap_pyfunction!(linear_per_km, m)?)?;
    m.add_function(wrap_pyfunction!(linear_sources, m)?)?;
    Ok(())
}
