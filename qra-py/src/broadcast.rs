//! The one broadcasting helper of every vectorised function and method (STYLE.md, "Thin
//! bindings": one broadcasting helper).
//!
//! Arguments are any array-likes (Python scalars, nested lists, NumPy arrays of any shape); they
//! are broadcast with NumPy's rules (``numpy.broadcast_arrays``), copied out as flat columns, the
//! core runs on the columns with the GIL released, and each result column comes back as an array
//! of the broadcast shape (a 0-d array for all-scalar input, as before).
//!
//! Element-wise work uses [`each`]: an indexed rayon map, so every output value is computed by
//! the same code whatever the thread count (bit-identical results for any `RAYON_NUM_THREADS`).

use numpy::ndarray::{ArrayD, IxDyn};
use numpy::{IntoPyArray, PyArrayDyn, PyReadonlyArrayDyn};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use qra_core::error::check;
use rayon::prelude::*;

use crate::errors::Py as _;

/// An array of the broadcast shape.
pub type Array<'py> = Bound<'py, PyArrayDyn<f64>>;

/// Arrays shorter than this are evaluated on one thread.
const PARALLEL_MIN_LEN: usize = 4096;

/// Broadcasts `args` with NumPy's rules: the flat columns (C order) and the common shape.
pub fn broadcast<const N: usize>(
    py: Python<'_>,
    args: [&Bound<'_, PyAny>; N],
) -> PyResult<([Vec<f64>; N], Vec<usize>)> {
    let np = py.import("numpy")?;
    // Untyped NumPy errors become typed ones (issue 21): a non-numeric value is a wrong type
    // (TypeError), arrays that cannot be broadcast together are an invalid input.
    let conv = args
        .iter()
        .map(|a| {
            if a.is_none() {
                // NumPy would turn None into NaN
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "expected a number or an array of numbers, got None",
                ));
            }
            np.call_method1("asarray", (*a, "float64")).map_err(|e| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "expected a number or an array of numbers: {}",
                    e.value(py)
                ))
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let shapes: Vec<String> = conv
        .iter()
        .map(|a| {
            a.getattr("shape")
                .and_then(|s| s.str())
                .map(|s| s.to_string())
        })
        .collect::<PyResult<_>>()?;
    let b = np
        .call_method1("broadcast_arrays", PyTuple::new(py, conv)?)
        .map_err(|_| {
            PyErr::from(crate::errors::PyQraError(qra_core::QraError::invalid(
                "array shapes",
                shapes.join(", "),
                "cannot be broadcast together (NumPy rules)",
            )))
        })?;
    let mut shape = Vec::new();
    let mut cols: [Vec<f64>; N] = std::array::from_fn(|_| Vec::new());
    for (col, item) in cols.iter_mut().zip(b.try_iter()?) {
        let arr: PyReadonlyArrayDyn<'_, f64> = item?.extract()?;
        let v = arr.as_array();
        shape = v.shape().to_vec();
        *col = v.iter().copied().collect();
    }
    Ok((cols, shape))
}

/// Broadcasts `args`, runs `core` on the flat columns with the GIL released and returns its `M`
/// output columns as arrays of the broadcast shape.
pub fn map_many<'py, const N: usize, const M: usize>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; N],
    core: impl FnOnce(&[Vec<f64>; N]) -> qra_core::Result<[Vec<f64>; M]> + Send,
) -> PyResult<[Array<'py>; M]> {
    let (cols, shape) = broadcast(py, args)?;
    let out = py.detach(|| core(&cols)).py()?;
    let mut arrays = Vec::with_capacity(M);
    for v in out {
        arrays.push(shaped(py, v, &shape)?);
    }
    arrays
        .try_into()
        .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("output count"))
}

/// [`map_many`] with one output column.
pub fn map<'py, const N: usize>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; N],
    core: impl FnOnce(&[Vec<f64>; N]) -> qra_core::Result<Vec<f64>> + Send,
) -> PyResult<Array<'py>> {
    let [a] = map_many(py, args, |c| core(c).map(|v| [v]))?;
    Ok(a)
}

/// `f` of every row of the broadcast arguments (an element-wise [`map`]), after `check` of the
/// flat columns (e.g. [`non_negative`]).
pub fn map_each<'py, const N: usize>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; N],
    check: impl FnOnce(&[Vec<f64>; N]) -> qra_core::Result<()> + Send,
    f: impl Fn([f64; N]) -> f64 + Sync + Send,
) -> PyResult<Array<'py>> {
    map(py, args, |c| {
        check(c)?;
        Ok(each(c, f))
    })
}

/// `f` applied to every row of the columns (indexed rayon map for long columns: the output order
/// and bits do not depend on the thread count).
pub fn each<const N: usize, T: Send>(
    cols: &[Vec<f64>; N],
    f: impl Fn([f64; N]) -> T + Sync,
) -> Vec<T> {
    let n = cols.first().map_or(0, Vec::len);
    (0..n)
        .into_par_iter()
        .with_min_len(PARALLEL_MIN_LEN)
        .map(|i| f(std::array::from_fn(|k| cols[k][i])))
        .collect()
}

/// Checks that every value of the column `name` is finite and ≥ 0 (naming the first bad index).
pub fn non_negative(name: &str, v: &[f64]) -> qra_core::Result<()> {
    check::all_finite(name, v)?;
    match v.iter().position(|x| *x < 0.0) {
        Some(i) => check::non_negative(&format!("{name}[{i}]"), v[i]).map(|_| ()),
        None => Ok(()),
    }
}

/// A table argument (any array-like) as a flat vector, C order.
pub fn flat(py: Python<'_>, arg: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let ([v], _) = broadcast(py, [arg])?;
    Ok(v)
}

/// A flat column as an array of `shape`.
pub fn shaped<'py>(py: Python<'py>, v: Vec<f64>, shape: &[usize]) -> PyResult<Array<'py>> {
    ArrayD::from_shape_vec(IxDyn(shape), v)
        .map(|a| a.into_pyarray(py))
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}
