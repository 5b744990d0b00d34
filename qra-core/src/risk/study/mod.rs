//! The study file: schema `qra-study/1` (TOML or JSON, one serde form).
//!
//! A study holds metadata, optional user substances, installations, loss-of-containment (LOC)
//! events with their event trees and outcomes, meteorology (weather classes with day/night
//! probabilities and a wind rose each), population (rasters and polygons), protected targets
//! (GB 36894 classes), the vulnerability rule set and the calculation grid; optionally linear
//! sources (`[[pipelines]]`: pipelines and transport routes, see [`super::linear`]).
//!
//! # Coordinates
//! Local metres, `x` east and `y` north, with an optional geographic origin (WGS84 latitude and
//! longitude of the local point (0, 0)). With an origin the local frame is a transverse Mercator
//! projection centred on it ([`crs`]), used for GeoJSON and GIS exports; positions may then be
//! written in WGS84 or CGCS2000 longitude/latitude or a CGCS2000 Gauss–Krüger zone (`crs =
//! "EPSG:…"`), converted to the local frame when the study is read.
//!
//! # Wind rose convention
//! `wind_rose = [p0, p1, …, p(n−1)]`: sector `k` is the wind blowing **from** the direction
//! `offset_deg + 360·k/n` degrees clockwise from north (meteorological convention); each sector is
//! represented by its centre direction (qra's default, not a cited rule: the Purple Book spreads
//! the effect over the sector, which `sector_subdivisions` approaches).
//!
//! # Validation
//! [`Study::from_toml_str`] / [`Study::from_json_str`] parse (syntax and type errors carry the
//! line) and then [`Study::validate`] checks every value, collecting **every** problem with its
//! field path (`events[3].frequency_per_year`) into one [`QraError::InvalidDocument`]. Grid sizes
//! are checked before anything is allocated ([`MAX_GRID_CELLS`]).
//!
//! # Example
//! ```
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../models/studies/analytic_demo.toml")).unwrap();
//! let study = qra_core::risk::study::Study::from_toml_str(&text, "analytic_demo.toml")?;
//! assert!(!study.events.is_empty());
//! # Ok::<(), qra_core::QraError>(())
//! ```

//!
//! # Files
//! | file | contents |
//! |---|---|
//! | `crs.rs` | CRSs of positions, the local frame's projection ([`LocalFrame`]) |
//! | `event.rs` | installations, LOC events, event trees, typed outcome specs |
//! | `ignition.rs` | the `[ignition]` section: ignition sources, VCE placement |
//! | `linear.rs` | linear sources (`[[pipelines]]`) and their release points |
//! | `schema.rs` | the study document: meteorology, population, targets, grid |
//! | `tables.rs` | built-in LOC-frequency and ignition tables |
//! | `validate.rs` | [`Study::validate`], the validating parsers and [`ValidStudy`] |

pub mod crs;
mod event;
mod ignition;
mod linear;
mod schema;
mod tables;
mod validate;

pub use crs::{Crs, LocalFrame};
pub use event::*;
pub use ignition::*;
pub use linear::*;
pub use schema::*;
pub use tables::*;
pub use validate::ValidStudy;

/// The Pasquill–Gifford class of a weather class: the dispersion family's type, re-exported.
pub use crate::dispersion::Stability;
