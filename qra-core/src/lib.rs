//! # qra-core — quantitative risk assessment for hazardous-chemical installations
//!
//! The numerical core of **qra**: substance data, consequence models (source terms, dispersion,
//! fires, explosions), vulnerability (probits and rule sets) and risk integration (individual risk,
//! societal risk, criteria), in SI units, with every model's equations, validity range and source
//! in its documentation. No Python here: the `qra` Python package is a thin layer over this crate.
//!
//! ## Quick start
//! ```
//! use qra_core::substance::substance;
//! let nh3 = substance("ammonia")?;
//! // Saturated vapour pressure at 20 °C, Pa (NIST: 857 kPa).
//! let p = nh3.vapour_pressure_pa(293.15)?;
//! assert!((p - 857.5e3).abs() / 857.5e3 < 0.03);
//! # Ok::<(), qra_core::QraError>(())
//! ```
//!
//! ## Module map
//! | module | contents |
//! |---|---|
//! | [`error`] | [`QraError`], the [`Result`] alias and the `check` validators |
//! | [`constants`] | shared physical constants with citations |
//! | [`tolerance`] | the written tolerance policy used by tests |
//! | [`geometry`] | point-in-polygon, polygon areas, polyline length and chainage (on `geo`) |
//! | [`numerics`] | bisection, Gauss–Legendre quadrature, linear interpolation (shared by all models) |
//! | [`substance`] | the built-in substance database and user substances |
//! | [`park`] | major-hazard identification and grading (GB 18218-2018) |
//! | [`vulnerability`] | probit → probability, toxic/thermal/blast probits and rule sets |
//! | [`source`] | source terms: gas/liquid/two-phase discharge, blowdown, flash & rain-out, pools, durations |
//! | [`dispersion`] | stability, sigmas, Gaussian plume/puff, Britter–McQuaid dense gas, LFL distances, reach |
//! | [`fire`] | pool fire, jet fire, fireball/BLEVE, flash fire; view factors, transmissivity (issue 4) |
//! | [`explosion`] | TNT / Kingery–Bulmash, multi-energy input, Baker–Strehlow–Tang, vessel burst (issue 4) |
//! | [`risk`] | study files, individual risk grid & contours, societal risk F-N / PLL, criteria (issue 5) |
//!
//! ## Conventions
//! * SI units inside (m, s, kg, Pa, K, W/m², J); names carry units where ambiguous (`rate_kg_s`).
//! * Constructors validate and return [`Result`]; evaluation on validated models cannot fail.
//! * Numbers that could not be verified against the original are tagged `\[M\]` in docs and data.
#![warn(missing_docs)]

pub mod constants;
pub mod dispersion;
pub mod error;
pub mod explosion;
pub mod fire;
pub mod geometry;
pub mod numerics;
pub mod park;
pub mod source;

pub mod risk;
pub mod substance;
pub mod tolerance;
pub mod vulnerability;

pub use error::{FieldError, QraError, Result};
