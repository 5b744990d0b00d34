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
//! `offset_deg + 360·k/n` degrees clockwise from north (meteorological convention). By default
//! (`meteorology.sector_spreading = "uniform"`) the wind direction is uniform within each sector
//! and every directional footprint is averaged over the sector's directions, as the Purple Book
//! (CPR 18E §6.2, eqs. 6.8–6.12 \[S\], read through a secondary source) spreads the effect over the sector
//! ([`crate::risk::sector`]); `"centre"` represents each sector by its centre direction (or the
//! centres of `sector_subdivisions` sub-sectors), qra's default before issue 16.
//! A class's `calm_fraction` (default 0) is the share of its time without a direction; sectors
//! and calm sum to 1 and the calm is spread uniformly over the directions (qra's rule \[M\],
//! [`WeatherClass::calm_fraction`]).
//!
//! # Inventories
//! `inventory_kg`, or `volume_m3` + `fill_fraction` at `temperature_k` ([`Inventory`],
//! [`Installation::inventory_kg`]).
//!
//! # JSON Schema
//! [`study_json_schema`] generates the schema of this file (`models/schema/qra-study-1.schema.json`);
//! `docs/study-file-reference.md` is generated from it.
//!
//! # Validation
//! [`Study::from_toml_str`] / [`Study::from_json_str`] parse (syntax and type errors carry the
//! line) and then [`Study::validate`] checks every value, collecting **every** problem with its
//! field path (`events[3].frequency_per_year`) into one [`QraError::InvalidDocument`](crate::QraError::InvalidDocument). Grid sizes
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
//! | `json_schema.rs` | the JSON Schema of the study file, generated from these types |
//! | `linear.rs` | linear sources (`[[pipelines]]`) and their release points |
//! | `schema.rs` | the study document: meteorology, population, targets, grid |
//! | `tables.rs` | built-in LOC-frequency and ignition tables |
//! | `tag_first.rs` | the outcome specs and footprint tables read without buffering (tag first) |
//! | `text_check.rs` | the printable-text check of every string, without a `Value` of the study |
//! | `validate.rs` | [`Study::validate`], the validating parsers and [`ValidStudy`] |

pub mod crs;
mod event;
mod ignition;
mod json_schema;
mod linear;
mod schema;
mod tables;
mod tag_first;
mod text_check;
mod validate;

pub use crs::{Crs, LocalFrame};
pub use event::*;
pub use ignition::*;
pub use json_schema::*;
pub use linear::*;
pub use schema::*;
pub use tables::*;
pub use validate::ValidStudy;

/// The Pasquill–Gifford class of a weather class: the dispersion family's type, re-exported.
pub use crate::dispersion::Stability;
