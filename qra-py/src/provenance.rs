//! Provenance of a build (issue 18): the build id and the built-in data tables, so a submission
//! records exactly which tables its numbers came from (`qra verify` compares them).

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The built-in data tables compiled into this build, by their path in the source tree. They are
/// included from the same files as the core's own copies (`qra_core::risk::study::LOC_TABLE_TOML`,
/// the criteria, GB 18218, substance and BST tables), so the bytes are those the core uses.
pub const BUILTIN_TABLES: [(&str, &str); 7] = [
    (
        "models/loc_frequencies.toml",
        qra_core::risk::study::LOC_TABLE_TOML,
    ),
    (
        "models/ignition.toml",
        qra_core::risk::study::IGNITION_TABLE_TOML,
    ),
    (
        "models/criteria.toml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/criteria.toml"
        )),
    ),
    (
        "models/substances.toml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/substances.toml"
        )),
    ),
    (
        "models/gb18218.toml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/gb18218.toml"
        )),
    ),
    (
        "models/bst_curves/bst_scaled_overpressure.csv",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/bst_curves/bst_scaled_overpressure.csv"
        )),
    ),
    (
        "models/bst_curves/bst_scaled_impulse.csv",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/bst_curves/bst_scaled_impulse.csv"
        )),
    ),
];

/// Facts of this build: ``version``, ``build_id`` (``"git:<commit>"`` of the source tree at build
/// time, ``$QRA_BUILD_ID`` when it was set, else ``"unknown"``) and ``tables`` (path → text of
/// every built-in data table).
///
/// Returns
/// -------
/// dict
#[pyfunction]
fn build_info(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("version", env!("CARGO_PKG_VERSION"))?;
    d.set_item("build_id", env!("QRA_BUILD_ID"))?;
    let t = PyDict::new(py);
    for (path, text) in BUILTIN_TABLES {
        t.set_item(path, text)?;
    }
    d.set_item("tables", t)?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(build_info, m)?)
}
