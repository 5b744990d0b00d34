//! Park-level tools: major-hazard identification and grading (GB 18218-2018), risk capacity and
//! park risk level, domino escalation. Park aggregation and what-if analysis build on the risk
//! engine.

pub mod capacity;
pub mod domino;
pub mod major_hazard;
pub mod whatif;

/// The built-in sample park study (`models/studies/sample_park.toml`, schema `qra-study/1`): five
/// plants (chlorine, ammonia, LPG, gasoline, hydrogen) next to a town, a school and a hospital.
/// Used by `qra demo`, the notebooks and the benches.
pub const SAMPLE_PARK_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/studies/sample_park.toml"
));
pub mod facilities;

pub use facilities::{Change, Contribution, FacilityBlock, Park, ParkRun, SitingMap};
