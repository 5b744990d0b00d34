//! `qra._qra`: the compiled part of the `qra` Python package. Thin wrappers only: every algorithm
//! lives in `qra-core`; wrappers extract plain Rust values, call the core (outside the GIL for
//! long work) and convert results.

use pyo3::prelude::*;

mod errors;
// issue 5: risk engine
mod risk;
mod substance;
mod vulnerability;

/// The native module.
#[pymodule]
fn _qra(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<substance::PySubstance>()?;
    m.add_function(wrap_pyfunction!(substance::substance, m)?)?;
    m.add_function(wrap_pyfunction!(substance::substances, m)?)?;
    vulnerability::register(m)?;
    // issue 5: risk engine
    risk::register(m)?;
    Ok(())
}
