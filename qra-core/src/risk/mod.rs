//! Risk integration: lethality footprints, the study file, the individual/societal risk engine,
//! contours and acceptance criteria.
//!
//! | module | contents |
//! |---|---|
//! | [`footprint`] | [`footprint::Footprint`] (outdoor/indoor [`footprint::Shape`]s: circle, radial table, directional table), vulnerability rule sets |
//! | [`parametric`] | parametric footprints evaluated exactly at every cell: LFL ellipse, point-source fire, Gaussian plume, TNT blast |
//! | [`study`] | the `qra-study/1` schema, validation with field paths, LOC/ignition tables, [`consequence::footprint_for`] |
//! | [`engine`] | [`engine::run`]: IR grid, IR at points, F-N, PLL, contributions, per-installation profiles; [`engine::run_partial`] / [`engine::combine`] for distributed runs (bit-identical) |
//! | [`source_term`] | release kind and outflow rate of an event (the immediate-ignition band) |
//! | [`consequence`] | wiring of physical outcomes (toxic, fires, VCE) to the consequence models |
//! | [`rate_table`] | footprints of SLAB-class plumes tabulated on the release rate (flash-fire LFL envelopes, toxic lethality rasters), with their tolerances |
//! | [`ignition`] | delayed ignition: ignition sources, P(t) = p_present·(1 − e^{−ωt}), the cloud's passage over them |
//! | [`placement`] | delayed-ignition outcomes per wind direction: where the cloud ignites, flash fires and VCEs placed there |
//! | [`sector`] | wind-sector spreading: a directional footprint averaged over the directions of its sector (Purple Book) |
//! | [`contour`] | marching-squares contours and GeoJSON |
//! | [`linear`] | pipelines and transport routes: release points along polylines, IR transects, societal risk per km |
//! | [`criteria`] | criteria sets (GB 36894-2018 …), compliance reports |
//! | [`distance`] | external safety distances from the combined IR contours, per enterprise and for the park |
//!
//! ```
//! use qra_core::risk::{engine, study::Study};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../models/studies/analytic_demo.toml")).unwrap();
//! let study = Study::from_toml_str(&text, "analytic_demo.toml")?;
//! let result = engine::run(&study, &engine::RunOptions::default())?;
//! assert!(result.pll > 0.0);
//! let report = qra_core::risk::criteria::check(&result, "GB36894-2018", Default::default())?;
//! println!("{report}");
//! # Ok::<(), qra_core::QraError>(())
//! ```

pub mod consequence;
pub mod contour;
pub mod criteria;
pub mod distance;
pub mod engine;
pub mod footprint;
pub mod ignition;
pub mod linear;
pub mod parametric;
pub mod placement;
pub mod rate_table;
pub mod scenario;
pub mod sector;
pub mod source_term;
pub mod study;

pub use engine::{run, RiskResult, RunOptions};
pub use footprint::{DirectionalTable, Footprint, Hazard, RadialTable, Shape, VulnerabilityRules};
pub use study::Study;
