//! Conversion of text, integer and float arguments (issue 21). pyo3's own conversion of `&str`,
//! `String`, `usize`, `u64`, `i64` raises a bare `UnicodeEncodeError` for a text holding a lone
//! surrogate (U+D800–U+DFFF, which UTF-8 cannot encode) and `OverflowError` for an integer outside
//! the Rust type; its conversion of `f64` (and of lists and tuples of them) raises
//! `OverflowError` for a Python `int` beyond the float range (`2**1100`), and so does NumPy's for
//! array-like arguments. Text, integer and float arguments are therefore converted by these
//! helpers (`#[pyo3(from_py_with = crate::args::text)] name: &str`,
//! `#[pyo3(from_py_with = crate::args::num)] x_m: f64`, [`array`] for array-likes), which raise
//! `qra.InvalidInputError` for a wrong value (the Python type still has to be right: a `float`
//! for a `str` stays a `TypeError`, as for every other argument).
//!
//! The argument's name: a `from_py_with` helper does not receive it, but pyo3 (0.30,
//! `impl_::extract_argument::argument_extraction_error`) adds the note `while processing 'name'`
//! to any exception raised while converting the argument `name`. `InvalidInputError.add_note`
//! (`qra/exceptions.py`) takes the name from that note when the error still carries the
//! placeholder [`UNNAMED`]. `tests/test_hostile.py::test_conversion_errors_name_the_argument`
//! pins this behaviour.

use pyo3::prelude::*;
use pyo3::types::PyString;
use qra_core::QraError;

use crate::errors::PyQraError;

/// Placeholder argument name, replaced from pyo3's note by `InvalidInputError.add_note`; must
/// equal `qra.exceptions._UNNAMED`.
pub const UNNAMED: &str = "<argument>";

/// Longest value shown in an error message, characters (a multi-megabyte text would otherwise be
/// copied into the message).
const MAX_SHOWN_CHARS: usize = 60;

/// `repr(obj)` cut to [`MAX_SHOWN_CHARS`]: surrogates and control characters come out escaped
/// (`'\ud800'`), so the value can be shown on a terminal.
fn shown(obj: &Bound<'_, PyAny>) -> String {
    let r = obj
        .repr()
        .map(|r| r.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "<unprintable>".to_string());
    if r.chars().count() > MAX_SHOWN_CHARS {
        let cut: String = r.chars().take(MAX_SHOWN_CHARS).collect();
        format!("{cut}…")
    } else {
        r
    }
}

fn invalid(obj: &Bound<'_, PyAny>, argument: &str, rule: impl Into<String>) -> PyErr {
    PyQraError(QraError::invalid(argument, shown(obj), rule)).into()
}

/// A text argument (`&str`). `TypeError` if it is not a `str`; `qra.InvalidInputError` if it
/// holds a lone surrogate.
pub fn text<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    text_as(obj, UNNAMED)
}

/// [`text`] for a text inside an argument (a mapping's key), which pyo3 does not name: the error
/// names `argument`.
pub fn text_as<'a>(obj: &'a Bound<'_, PyAny>, argument: &str) -> PyResult<&'a str> {
    obj.cast::<PyString>()?.to_str().map_err(|_| {
        invalid(
            obj,
            argument,
            "must be valid Unicode text: a lone surrogate (U+D800 to U+DFFF) has no UTF-8 encoding",
        )
    })
}

/// An optional text argument (`Option<&str>`, `None` allowed).
pub fn opt_text<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Option<&'a str>> {
    if obj.is_none() {
        Ok(None)
    } else {
        text(obj).map(Some)
    }
}

/// A list of texts (`Vec<String>`); a single `str` is refused (`TypeError`), as pyo3 does, since
/// it would otherwise be read as a list of characters.
pub fn texts(obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "a list of texts is expected, not a single str",
        ));
    }
    obj.try_iter()?
        .map(|item| text(&item?).map(str::to_owned))
        .collect()
}

/// An integer type with its range spelt out for error messages.
pub trait Int: Sized {
    /// "0 to 18446744073709551615" and the like.
    fn range() -> String;
    /// pyo3's conversion.
    fn extract(obj: &Bound<'_, PyAny>) -> PyResult<Self>;
}

macro_rules! int_range {
    ($($t:ty),*) => {$(
        impl Int for $t {
            fn range() -> String {
                format!("{} to {}", <$t>::MIN, <$t>::MAX)
            }
            fn extract(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
                obj.extract::<$t>()
            }
        }
    )*};
}
int_range!(usize, u64, i64);

/// An integer argument: `TypeError` if it is not an `int`; `qra.InvalidInputError` naming the
/// range of `T` if it does not fit (pyo3 raises `OverflowError`).
pub fn int<T: Int>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    T::extract(obj).map_err(|e| {
        if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(obj.py()) {
            invalid(
                obj,
                UNNAMED,
                format!("must be an integer from {}", T::range()),
            )
        } else {
            e
        }
    })
}

/// An optional integer argument (`None` allowed).
pub fn opt_int<T: Int>(obj: &Bound<'_, PyAny>) -> PyResult<Option<T>> {
    if obj.is_none() {
        Ok(None)
    } else {
        int(obj).map(Some)
    }
}

/// A list of integers (`Vec<T>`).
pub fn ints<T: Int>(obj: &Bound<'_, PyAny>) -> PyResult<Vec<T>> {
    obj.try_iter()?.map(|item| int(&item?)).collect()
}

/// An optional mapping with text keys (`Option<BTreeMap<String, V>>`, `None` allowed); `TypeError`
/// if it is not a `dict`.
pub fn opt_text_map<'py, V: pyo3::conversion::FromPyObjectOwned<'py>>(
    obj: &Bound<'py, PyAny>,
) -> PyResult<Option<std::collections::BTreeMap<String, V>>> {
    if obj.is_none() {
        return Ok(None);
    }
    let d = obj.cast::<pyo3::types::PyDict>()?;
    let mut out = std::collections::BTreeMap::new();
    for (k, v) in d.iter() {
        out.insert(text(&k)?.to_owned(), v.extract::<V>().map_err(Into::into)?);
    }
    Ok(Some(out))
}

/// Rule of a Python `int` too large for a float.
const FLOAT_RANGE_RULE: &str =
    "must be a number within the float range (magnitude at most 1.797e308); an int this large \
     has no float value";

/// A float argument, or a type built of floats (`f64`, `Option<f64>`, `Vec<f64>`, tuples and
/// arrays of `f64`): pyo3's conversion, except that a Python `int` beyond the float range
/// (`OverflowError`) raises `qra.InvalidInputError` naming the argument. Other errors (a `str`
/// for a float: `TypeError`) are unchanged.
pub fn num<'py, T: pyo3::conversion::FromPyObjectOwned<'py>>(
    obj: &Bound<'py, PyAny>,
) -> PyResult<T> {
    num_as(obj, UNNAMED)
}

/// [`num`] for a number inside an argument (a mapping's value), which pyo3 does not name: the
/// error names `argument`.
pub fn num_as<'py, T: pyo3::conversion::FromPyObjectOwned<'py>>(
    obj: &Bound<'py, PyAny>,
    argument: &str,
) -> PyResult<T> {
    obj.extract::<T>().map_err(Into::into).map_err(|e: PyErr| {
        if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(obj.py()) {
            invalid(obj, argument, FLOAT_RANGE_RULE)
        } else {
            e
        }
    })
}

/// An array-like argument (any Python scalar, nested list or NumPy array of numbers) as a
/// float64 NumPy array (`numpy.asarray(obj, "float64")`, no copy for a float64 array), converted
/// when the argument is extracted so that errors name it: an `int` beyond the float range raises
/// `qra.InvalidInputError`, `None` and non-numeric values `TypeError` (NumPy's `ValueError`
/// before issue 21). [`crate::broadcast`] then takes it as it is.
pub fn array<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    if obj.is_none() {
        // NumPy would turn None into NaN
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "expected a number or an array of numbers, got None",
        ));
    }
    py.import("numpy")?
        .call_method1("asarray", (obj, "float64"))
        .map_err(|e| {
            if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) {
                invalid(obj, UNNAMED, FLOAT_RANGE_RULE)
            } else {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "expected a number or an array of numbers: {}",
                    e.value(py)
                ))
            }
        })
}

/// An optional array-like argument ([`array`]; `None` allowed).
pub fn opt_array<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    if obj.is_none() {
        Ok(None)
    } else {
        array(obj).map(Some)
    }
}
