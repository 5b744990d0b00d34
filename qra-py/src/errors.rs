//! Maps [`QraError`] variant by variant onto the Python hierarchy defined in
//! `qra/exceptions.py` (`qra.QraError` and subclasses; input errors also subclass `ValueError`).

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use qra_core::QraError;

/// Wrapper so that `?` converts core errors into Python exceptions.
pub struct PyQraError(pub QraError);

impl From<QraError> for PyQraError {
    fn from(e: QraError) -> Self {
        PyQraError(e)
    }
}

fn class_name(e: &QraError) -> &'static str {
    match e {
        QraError::InvalidInput { .. } => "InvalidInputError",
        QraError::UnknownName { .. } => "UnknownNameError",
        QraError::ResourceLimit { .. } => "ResourceLimitError",
        QraError::InvalidDocument { .. } => "InvalidDocumentError",
        QraError::Numerical { .. } => "NumericalError",
        QraError::NotImplemented { .. } => "NotImplementedYetError",
        _ => "QraError",
    }
}

fn build(py: Python<'_>, e: &QraError) -> PyResult<PyErr> {
    let module = py.import("qra.exceptions")?;
    let cls = module.getattr(class_name(e))?;
    let obj = cls.call1((e.to_string(),))?;
    match e {
        QraError::InvalidInput {
            argument,
            value,
            rule,
        } => {
            obj.setattr("argument", argument)?;
            obj.setattr("value", value)?;
            obj.setattr("rule", rule)?;
        }
        QraError::UnknownName {
            kind,
            name,
            suggestions,
        } => {
            obj.setattr("kind", kind)?;
            obj.setattr("name", name)?;
            obj.setattr("suggestions", PyList::new(py, suggestions)?)?;
        }
        QraError::InvalidDocument { problems, .. } => {
            let items: Vec<(String, Option<usize>, String)> = problems
                .iter()
                .map(|p| (p.path.clone(), p.line, p.message.clone()))
                .collect();
            obj.setattr("problems", PyList::new(py, items)?)?;
        }
        _ => {}
    }
    Ok(PyErr::from_value(obj))
}

impl From<PyQraError> for PyErr {
    fn from(e: PyQraError) -> PyErr {
        Python::attach(|py| {
            build(py, &e.0).unwrap_or_else(|err| {
                PyRuntimeError::new_err(format!("{}; while mapping: {err}", e.0))
            })
        })
    }
}

/// Result alias for binding functions.
pub type PyQraResult<T> = Result<T, PyQraError>;

/// `.py()` turns a core `Result` into a `PyResult` (for wrappers that also handle `PyErr`s).
pub trait Py<T> {
    /// Maps the core error onto the Python exception hierarchy.
    fn py(self) -> PyResult<T>;
}

impl<T> Py<T> for qra_core::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(|e| PyErr::from(PyQraError(e)))
    }
}
