//! One serde (JSON) form per model object, and everything built from it: ``to_json`` /
//! ``from_json``, pickling (``__reduce__``), ``==`` and ``hash`` — the tokenizers pattern
//! (STYLE.md, "Model objects: `__repr__`, pickling and study files from the same serde form").
//!
//! A class gets all of it with one line after its `#[pymethods]` block:
//!
//! ```ignore
//! // `inner` is a serde core type; the closure rebuilds it through its validating constructor
//! serde_form!(PyJetFire, fire::JetFire, |j| j.revalidated());
//! // `inner` is a serde result type that needs no re-validation
//! serde_form!(PyCompliance, Compliance, Ok);
//! // a hand-written `impl SerdeForm for PyStudy` (e.g. the form is not `inner` itself)
//! serde_form!(PyStudy);
//! ```
//!
//! The class must not define `to_json`, `from_json`, `__reduce__`, `__eq__` or `__hash__` itself,
//! and should define an informative `__repr__` (evaluable where practical). Unpickling re-runs
//! validation: a pickle is never a way to build an object the constructor would refuse.
//! JSON floats round-trip exactly (serde_json `float_roundtrip`), so a round trip gives
//! bit-identical outputs.

use pyo3::prelude::*;
use qra_core::QraError;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::errors::PyQraError;

/// How a Python model object is written to and read from its serde (JSON) form.
pub trait SerdeForm: Sized {
    /// The JSON text of the object's serde form.
    fn to_json_text(&self) -> PyResult<String>;
    /// Rebuilds (and re-validates) an object from [`SerdeForm::to_json_text`] output.
    fn from_json_text(py: Python<'_>, text: &str) -> PyResult<Self>;
}

/// Serialises `value` to JSON text.
pub fn to_json<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| {
        PyErr::from(PyQraError(QraError::invalid(
            "object",
            std::any::type_name::<T>(),
            format!("cannot be serialised: {e}"),
        )))
    })
}

/// Parses JSON text into `T`; a malformed text raises ``qra.InvalidInputError``.
pub fn parse<T: DeserializeOwned>(text: &str) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| {
        PyErr::from(PyQraError(QraError::invalid(
            "json",
            "<text>",
            format!("not a valid serde form: {e}"),
        )))
    })
}

/// Converts a core validation result.
pub fn checked<T>(r: Result<T, QraError>) -> PyResult<T> {
    r.map_err(|e| PyErr::from(PyQraError(e)))
}

/// A float as Python source: shortest round-trip digits, ``float('inf')`` for +∞, ``None`` for
/// an absent value (so reprs stay evaluable and exact).
pub fn py_float(x: Option<f64>) -> String {
    match x {
        None => "None".into(),
        Some(v) if v.is_infinite() => format!("float('{}inf')", if v < 0.0 { "-" } else { "" }),
        Some(v) => format!("{v:?}"),
    }
}

/// A JSON value as Python source (numbers exact, ``null`` → ``None``, arrays → tuples).
fn py_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => (if *b { "True" } else { "False" }).into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, x) => py_float(x),
        },
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(py_value).collect();
            format!(
                "({}{})",
                items.join(", "),
                if a.len() == 1 { "," } else { "" }
            )
        }
        Value::Object(o) => {
            let items: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("'{k}': {}", py_value(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// The top-level fields of a serde form as Python keyword arguments (``a=1.5, b='x'``), for
/// reprs; empty when the form is not an object.
pub fn form_fields<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(o)) => o
            .iter()
            .map(|(k, v)| format!("{k}={}", py_value(v)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// FNV-1a hash of the JSON form (stable across runs, unlike `DefaultHasher` seeds).
pub fn hash_text(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Adds ``to_json``, ``from_json``, ``__reduce__``, ``__eq__`` and ``__hash__`` to a pyclass
/// from its serde form (see the module docs for the three forms).
macro_rules! serde_form {
    ($py:ident, $core:ty, $check:expr) => {
        impl $crate::pickle::SerdeForm for $py {
            fn to_json_text(&self) -> ::pyo3::PyResult<String> {
                let inner: &$core = ::std::borrow::Borrow::borrow(&self.inner);
                $crate::pickle::to_json(inner)
            }
            fn from_json_text(_py: ::pyo3::Python<'_>, text: &str) -> ::pyo3::PyResult<Self> {
                let form: $core = $crate::pickle::parse(text)?;
                let check: fn($core) -> Result<$core, ::qra_core::QraError> = $check;
                let inner = $crate::pickle::checked(check(form))?;
                #[allow(clippy::useless_conversion)]
                Ok(Self {
                    inner: inner.into(),
                })
            }
        }
        $crate::pickle::serde_form!($py);
    };
    ($py:ident) => {
        #[::pyo3::pymethods]
        impl $py {
            /// The serde (JSON) form: the text ``from_json``, pickles and ``==`` use.
            #[pyo3(name = "to_json")]
            fn serde_to_json(&self) -> ::pyo3::PyResult<String> {
                $crate::pickle::SerdeForm::to_json_text(self)
            }

            /// Rebuilds (and re-validates) an object from ``to_json`` text.
            ///
            /// Parameters
            /// ----------
            /// text : str
            ///     JSON text from ``to_json``.
            ///
            /// Returns
            /// -------
            /// object of this class
            ///
            /// Raises
            /// ------
            /// qra.InvalidInputError
            ///     Malformed text or a value the constructor refuses.
            #[classmethod]
            #[pyo3(name = "from_json")]
            fn serde_from_json(
                cls: &::pyo3::Bound<'_, ::pyo3::types::PyType>,
                #[pyo3(from_py_with = $crate::args::text)] text: &str,
            ) -> ::pyo3::PyResult<Self> {
                <Self as $crate::pickle::SerdeForm>::from_json_text(cls.py(), text)
            }

            fn __reduce__<'py>(
                slf: &::pyo3::Bound<'py, Self>,
            ) -> ::pyo3::PyResult<(::pyo3::Bound<'py, ::pyo3::PyAny>, (String,))> {
                use ::pyo3::types::PyAnyMethods;
                let ctor = slf.get_type().getattr("from_json")?;
                Ok((ctor, ($crate::pickle::SerdeForm::to_json_text(slf.get())?,)))
            }

            fn __eq__(&self, other: &::pyo3::Bound<'_, ::pyo3::PyAny>) -> ::pyo3::PyResult<bool> {
                match other.cast::<Self>() {
                    Ok(o) => Ok($crate::pickle::SerdeForm::to_json_text(self)?
                        == $crate::pickle::SerdeForm::to_json_text(o.get())?),
                    Err(_) => Ok(false),
                }
            }

            fn __hash__(&self) -> ::pyo3::PyResult<u64> {
                Ok($crate::pickle::hash_text(
                    &$crate::pickle::SerdeForm::to_json_text(self)?,
                ))
            }
        }
    };
}
pub(crate) use serde_form;
