//! # qra validation suite
//!
//! A conformance runner in the spirit of georust's `jts-test-runner`: every case in
//! `validation/cases/<id>/` holds its inputs, the measured or published values (in `case.toml`),
//! a `PROVENANCE.md` (source, table/page, licence, confidence) and its acceptance criterion.
//! The runner evaluates the qra model named by the case, computes the statistics of
//! [`metrics`] or relative errors, writes `validation/REPORT.md` and fails when a case listed in
//! `validation/baseline.toml` as passing no longer meets its criterion.
#![warn(missing_docs)]

pub mod cases;
pub mod metrics;

pub use cases::{run_case, Case, CaseResult};
