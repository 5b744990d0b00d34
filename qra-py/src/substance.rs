//! `qra.substance(name)`, `qra.substances()`, `qra.Substance` — thin wrappers over
//! `qra_core::substance`.

use pyo3::prelude::*;
use pyo3::types::PyType;
use qra_core::substance::{Substance, SubstanceDb};

use crate::errors::PyQraResult;

/// A substance argument: a database name (``str``) or a ``qra.Substance`` object — every function
/// that takes a substance accepts both (a user substance built with ``Substance.from_toml`` is
/// used as it is, not looked up by name).
pub enum SubstanceArg<'py> {
    /// A name of the built-in database.
    Name(String),
    /// A substance object.
    Object(Bound<'py, PySubstance>),
}

/// A ``Substance`` object, else a name converted by [`crate::args::text`]: a ``str`` holding a
/// lone surrogate is a ``qra.InvalidInputError`` naming the argument (issue 21), anything else
/// a ``TypeError``.
impl<'a, 'py> FromPyObject<'a, 'py> for SubstanceArg<'py> {
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let obj = obj.to_owned();
        if let Ok(s) = obj.cast::<PySubstance>() {
            return Ok(SubstanceArg::Object(s.clone()));
        }
        if obj.is_instance_of::<pyo3::types::PyString>() {
            return crate::args::text(&obj).map(|t| SubstanceArg::Name(t.to_owned()));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "a substance is a name (str) or a qra.Substance, not {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        )))
    }
}

impl SubstanceArg<'_> {
    /// The substance: looked up by name, or the object's own data.
    ///
    /// # Errors
    /// ``UnknownNameError`` for a name not in the database.
    pub fn substance(&self) -> PyResult<Substance> {
        use crate::errors::Py as _;
        match self {
            SubstanceArg::Name(n) => Ok(SubstanceDb::builtin().py()?.get(n).py()?.clone()),
            SubstanceArg::Object(o) => Ok(o.get().inner.clone()),
        }
    }

    /// The substance's name.
    pub fn name(&self) -> String {
        match self {
            SubstanceArg::Name(n) => n.clone(),
            SubstanceArg::Object(o) => o.get().inner.name.clone(),
        }
    }
}

/// A substance and its properties (SI units; names carry units). Immutable.
#[pyclass(name = "Substance", module = "qra", frozen)]
#[derive(Clone, PartialEq)]
pub struct PySubstance {
    pub inner: Substance,
}

macro_rules! opt_getters {
    ($($name:ident),* $(,)?) => {
        #[pymethods]
        impl PySubstance {
            $(
                #[getter]
                fn $name(&self) -> Option<f64> {
                    self.inner.$name
                }
            )*
        }
    };
}

opt_getters!(
    molar_mass_kg_mol,
    normal_boiling_point_k,
    melting_point_k,
    critical_temperature_k,
    critical_pressure_pa,
    acentric_factor,
    liquid_density_kg_m3,
    liquid_density_temperature_k,
    heat_of_vaporisation_j_kg,
    cp_liquid_j_kg_k,
    cp_gas_j_kg_k,
    heat_capacity_ratio,
    heat_of_combustion_j_kg,
    lfl_vol_frac,
    ufl_vol_frac,
    burning_rate_kg_m2_s,
    tnt_equivalence,
);

#[pymethods]
impl PySubstance {
    /// Canonical English name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// Chinese name, if any.
    #[getter]
    fn name_zh(&self) -> Option<&str> {
        self.inner.name_zh.as_deref()
    }
    /// Other accepted names.
    #[getter]
    fn aliases(&self) -> Vec<String> {
        self.inner.aliases.clone()
    }
    /// CAS number, if any.
    #[getter]
    fn cas(&self) -> Option<&str> {
        self.inner.cas.as_deref()
    }
    /// State at 25 °C, 1 atm: "gas", "liquefied", "liquid" or "solid".
    #[getter]
    fn state(&self) -> String {
        serde_json::to_value(self.inner.state)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }
    /// Whether fire/explosion outcomes apply.
    #[getter]
    fn flammable(&self) -> bool {
        self.inner.flammable
    }
    /// Whether toxic outcomes apply.
    #[getter]
    fn toxic(&self) -> bool {
        self.inner.toxic
    }
    /// Sources of the property groups.
    #[getter]
    fn sources(&self) -> std::collections::BTreeMap<String, String> {
        self.inner.sources.clone()
    }

    /// Saturated vapour pressure in Pa at ``temperature_k`` (Antoine fit; raises outside its range);
    /// a float for a scalar, an array of the input's shape for an array-like.
    ///
    /// Parameters
    /// ----------
    /// temperature_k : float
    ///     Temperature, K, within the Antoine fit's range.
    ///
    /// Returns
    /// -------
    /// float
    ///     Saturated vapour pressure p_sat = 10^(A − B/(C + T)), Pa.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Temperature outside the fit's range or no Antoine data.
    fn vapour_pressure_pa<'py>(
        &self,
        #[pyo3(from_py_with = crate::args::array)] temperature_k: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = temperature_k.py();
        // a scalar (converted to a 0-d array by `args::array`) gives a float
        let scalar = temperature_k.getattr("ndim")?.extract::<usize>()? == 0;
        if let (true, Ok(t)) = (scalar, temperature_k.extract::<f64>()) {
            let p = self
                .inner
                .vapour_pressure_pa(t)
                .map_err(crate::errors::PyQraError)?;
            return Ok(pyo3::types::PyFloat::new(py, p).into_any());
        }
        let s = &self.inner;
        let a = crate::broadcast::map(py, [&temperature_k], |c| {
            c[0].iter().map(|&t| s.vapour_pressure_pa(t)).collect()
        })?;
        Ok(a.into_any())
    }

    /// HTML summary for Jupyter (``qra._html``).
    fn _repr_html_<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::risk::py_helper(slf.py(), "qra._html", "substance_html", (slf,))
    }

    /// Builds and validates a substance from a TOML table (keys of ``models/substances.toml``).
    ///
    /// Parameters
    /// ----------
    /// text : str
    ///     One TOML table with the keys of ``models/substances.toml``.
    ///
    /// Returns
    /// -------
    /// Substance
    ///
    /// Raises
    /// ------
    /// qra.InvalidDocumentError
    ///     Unknown keys or values out of range (each problem with its key).
    #[classmethod]
    fn from_toml(
        _cls: &Bound<'_, PyType>,
        #[pyo3(from_py_with = crate::args::text)] text: &str,
    ) -> PyQraResult<Self> {
        Ok(PySubstance {
            inner: Substance::from_toml_str(text)?,
        })
    }

    fn __repr__(&self) -> String {
        let s = &self.inner;
        format!(
            "<Substance '{}'{}{}{}>",
            s.name,
            s.cas
                .as_ref()
                .map_or(String::new(), |c| format!(" CAS {c}")),
            s.molar_mass_kg_mol
                .map_or(String::new(), |m| format!(", M = {m} kg/mol")),
            match (s.flammable, s.toxic) {
                (true, true) => ", flammable, toxic",
                (true, false) => ", flammable",
                (false, true) => ", toxic",
                _ => "",
            }
        )
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }
}

/// Looks a substance up by name, Chinese name or alias (case-insensitive).
///
/// Parameters
/// ----------
/// name : str
///     English name, Chinese name (e.g. ``"氯"``), CAS number or alias.
///
/// Returns
/// -------
/// Substance
///
/// Raises
/// ------
/// qra.UnknownNameError
///     With the closest names as suggestions.
#[pyfunction]
pub fn substance(#[pyo3(from_py_with = crate::args::text)] name: &str) -> PyQraResult<PySubstance> {
    Ok(PySubstance {
        inner: SubstanceDb::builtin()?.get(name)?.clone(),
    })
}

/// Canonical names of the built-in substances.
#[pyfunction]
pub fn substances() -> PyQraResult<Vec<String>> {
    Ok(SubstanceDb::builtin()?
        .names()
        .into_iter()
        .map(String::from)
        .collect())
}

/// The serde form is the substance-database entry as JSON (validated on reading).
impl crate::pickle::SerdeForm for PySubstance {
    fn to_json_text(&self) -> PyResult<String> {
        Ok(self.inner.to_json())
    }
    fn from_json_text(_py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(PySubstance {
            inner: crate::pickle::checked(Substance::from_json_str(text))?,
        })
    }
}
crate::pickle::serde_form!(PySubstance);
