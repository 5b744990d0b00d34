//! Deprecated keyword aliases (issue 13: units in parameter names). An old name keeps working
//! for one release with a `DeprecationWarning`: the function takes `**deprecated` and resolves
//! its aliases with [`aliases`].

use std::ffi::CString;

use pyo3::exceptions::{PyDeprecationWarning, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A parameter that may come by its deprecated alias: (value given by the new name, new name,
/// old name).
pub type Alias<'a, 'py> = (Option<Bound<'py, PyAny>>, &'a str, &'a str);

/// Resolves the parameters `params` against the deprecated aliases in `deprecated` (each alias
/// used warns with `DeprecationWarning`); giving both names, or any other keyword in
/// `deprecated`, is a `TypeError`.
pub fn aliases<'py, const N: usize>(
    py: Python<'py>,
    deprecated: Option<&Bound<'py, PyDict>>,
    params: [Alias<'_, 'py>; N],
) -> PyResult<[Option<Bound<'py, PyAny>>; N]> {
    if let Some(d) = deprecated {
        for k in d.keys() {
            // a keyword that is not valid UTF-8 (a lone surrogate) is no alias either
            let known = k.extract::<String>().ok();
            if !params
                .iter()
                .any(|(_, _, old)| Some(*old) == known.as_deref())
            {
                return Err(PyTypeError::new_err(format!(
                    "unexpected keyword argument {}",
                    k.repr()?.to_string_lossy()
                )));
            }
        }
    }
    let mut out = Vec::with_capacity(N);
    for (value, new, old) in params {
        let alias = deprecated.map(|d| d.get_item(old)).transpose()?.flatten();
        out.push(match (value, alias) {
            (Some(_), Some(_)) => {
                return Err(PyTypeError::new_err(format!(
                    "got both '{new}' and its deprecated alias '{old}'"
                )))
            }
            (None, Some(v)) => {
                let msg = CString::new(format!(
                    "the keyword '{old}' is deprecated (units in parameter names); use '{new}'"
                ))
                .unwrap_or_default();
                PyErr::warn(py, &py.get_type::<PyDeprecationWarning>(), &msg, 1)?;
                Some(v)
            }
            (v, None) => v,
        });
    }
    out.try_into()
        .map_err(|_| PyTypeError::new_err("alias count"))
}

/// The value of a required parameter (possibly given by its deprecated alias).
pub fn required<'py>(value: Option<Bound<'py, PyAny>>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    value.ok_or_else(|| PyTypeError::new_err(format!("missing required argument '{name}'")))
}
