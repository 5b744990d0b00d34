//! `qra._qra`: the compiled part of the `qra` Python package. Thin wrappers only: every algorithm
//! lives in `qra-core`; wrappers extract plain Rust values, call the core (outside the GIL for
//! long work) and convert results.

use pyo3::prelude::*;
use pyo3::types::PyCFunction;

mod args;
mod broadcast;
mod compat;
mod dispersion;
mod effects;
mod errors;
mod explosion;
mod fire;
mod linear;
mod park;
mod pickle;
mod provenance;
mod risk;
mod source;
mod substance;
mod toxic;

/// The native module.
#[pymodule]
fn _qra(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<substance::PySubstance>()?;
    m.add_function(wrap_pyfunction!(substance::substance, m)?)?;
    m.add_function(wrap_pyfunction!(substance::substances, m)?)?;
    park::register(m)?;
    // issue 3: source terms, dispersion, toxic effects
    source::register(m)?;
    dispersion::register(m)?;
    toxic::register(m)?;
    // issue 4: fire, explosion, thermal/blast vulnerability
    fire::register(m)?;
    explosion::register(m)?;
    effects::register(m)?;
    // issue 5: risk engine
    risk::register(m)?;
    linear::register(m)?;
    // issue 18: build id and built-in tables for the provenance of a submission
    provenance::register(m)?;
    Ok(())
}

/// Adds the native function `f` to `m` as a function of the public submodule `module` (its
/// `__module__`, shown by `help()` and used by pickle), which re-exports it: the counterpart for
/// functions of `#[pyclass(module = "qra.<family>")]`, which `#[pyfunction]` does not have.
fn add_function_in(
    m: &Bound<'_, PyModule>,
    module: &str,
    f: Bound<'_, PyCFunction>,
) -> PyResult<()> {
    f.setattr("__module__", module)?;
    m.add_function(f)
}
