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
//! longitude of the local point (0, 0)) used only for GeoJSON export
//! ([`GeoOrigin::to_lon_lat`]).
//!
//! # Wind rose convention
//! `wind_rose = [p0, p1, …, p(n−1)]`: sector `k` is the wind blowing **from** the direction
//! `offset_deg + 360·k/n` degrees clockwise from north (meteorological convention); each sector is
//! represented by its centre direction (Purple Book practice).
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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::footprint::{Footprint, Hazard, Shape, VulnerabilityRules};
use crate::error::{FieldError, QraError, Result};
use crate::substance::{Substance, SubstanceDb};

/// Schema tag of study files.
pub const STUDY_SCHEMA: &str = "qra-study/1";

/// Largest grid the engine accepts, nodes (5·10⁷ nodes = 400 MB of f64).
pub const MAX_GRID_CELLS: u128 = 50_000_000;

/// Largest number of (event × outcome × weather) scenarios in one study.
pub const MAX_SCENARIOS: u128 = 20_000_000;

/// Largest number of population raster cells.
pub const MAX_POPULATION_CELLS: u128 = 50_000_000;

/// Tolerance on probability sums (weather classes, wind roses): 1e-6.
pub const PROBABILITY_SUM_TOLERANCE: f64 = 1e-6;

/// Study metadata.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Author(s).
    #[serde(default)]
    pub author: Option<String>,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
    /// Date (free text, ISO 8601 recommended).
    #[serde(default)]
    pub date: Option<String>,
}

/// WGS84 position of the local origin (0, 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeoOrigin {
    /// Latitude, degrees north (−89…89).
    pub latitude_deg: f64,
    /// Longitude, degrees east (−180…180).
    pub longitude_deg: f64,
}

impl GeoOrigin {
    /// Local (east, north) metres → (longitude, latitude) degrees, by the local tangent-plane
    /// approximation on the WGS84 ellipsoid: φ = φ₀ + y/M(φ₀), λ = λ₀ + x/(N(φ₀)·cos φ₀), with the
    /// meridional radius M = a(1−e²)/(1−e² sin²φ₀)^{3/2} and the prime-vertical radius
    /// N = a/(1−e² sin²φ₀)^{1/2} (a = 6 378 137 m, f = 1/298.257 223 563; NIMA TR8350.2, 2000).
    /// Error grows as (d/R)²: below a metre within ~10 km of the origin — ample for risk maps.
    pub fn to_lon_lat(&self, x_m: f64, y_m: f64) -> (f64, f64) {
        const A: f64 = 6_378_137.0;
        const F: f64 = 1.0 / 298.257_223_563;
        let e2 = F * (2.0 - F);
        let phi = self.latitude_deg.to_radians();
        let s2 = phi.sin().powi(2);
        let w = (1.0 - e2 * s2).sqrt();
        let m = A * (1.0 - e2) / (w * w * w);
        let n = A / w;
        let lat = self.latitude_deg + (y_m / m).to_degrees();
        let lon = self.longitude_deg + (x_m / (n * phi.cos())).to_degrees();
        (lon, lat)
    }
}

/// Phase of the stored substance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Gas (compressed).
    Gas,
    /// Liquid (atmospheric or pressurised).
    Liquid,
    /// Liquefied under pressure (flashing two-phase release).
    TwoPhase,
}

/// One installation (unit, vessel, tank…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Installation {
    /// Unique id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Position east, m.
    pub x_m: f64,
    /// Position north, m.
    pub y_m: f64,
    /// Substance name (built-in or user).
    pub substance: String,
    /// Inventory, kg.
    pub inventory_kg: f64,
    /// Process pressure (absolute), Pa.
    #[serde(default)]
    pub pressure_pa: Option<f64>,
    /// Process temperature, K.
    #[serde(default)]
    pub temperature_k: Option<f64>,
    /// Phase in the installation.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// Detection/isolation class ("AA" … "CC", see `models/loc_frequencies.toml`).
    #[serde(default)]
    pub detection_isolation: Option<String>,
    /// Facility (company) id from `[[facilities]]`; default: the installation is its own facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
}

/// A facility (company, plant) of a park: a group of installations (`facility = "…"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// Unique id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Sector / type (e.g. "chlor-alkali", "refinery").
    #[serde(default)]
    pub sector: Option<String>,
    /// Site boundary polygon, m (local frame).
    #[serde(default)]
    pub boundary: Option<Vec<[f64; 2]>>,
}

/// Release type of a LOC event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseKind {
    /// Instantaneous release of the inventory.
    Instantaneous,
    /// Inventory released continuously in 10 minutes.
    #[serde(rename = "continuous-10min")]
    Continuous10Min,
    /// Continuous release through a hole.
    Hole,
    /// Full-bore rupture.
    Rupture,
    /// Other continuous release (e.g. relief discharge).
    Continuous,
}

/// Reference to a generic LOC frequency in `models/loc_frequencies.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocRef {
    /// Equipment type id (e.g. "pressure-vessel").
    pub equipment: String,
    /// LOC scenario id within the equipment type (e.g. "G1").
    pub scenario: String,
    /// Multiplier: number of items, metres of pipe or hours of use per year (default 1).
    #[serde(default = "one")]
    pub multiplier: f64,
}

fn one() -> f64 {
    1.0
}

/// Event-tree parameters of one event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTree {
    /// Probability of immediate ignition; if absent, from `models/ignition.toml` by
    /// `ignition_category` and release rate/mass.
    #[serde(default)]
    pub immediate_ignition: Option<f64>,
    /// Probability of delayed ignition given no immediate ignition (required when an outcome uses
    /// a delayed branch).
    #[serde(default)]
    pub delayed_ignition: Option<f64>,
    /// Fraction of delayed ignitions that explode (default 0.4, Purple Book [M]).
    #[serde(default)]
    pub explosion_fraction: Option<f64>,
    /// Ignition category of `models/ignition.toml` ("gas-high", "gas-low", "k1-liquid",
    /// "k2-k3-liquid").
    #[serde(default)]
    pub ignition_category: Option<String>,
    /// Release rate used for the ignition table (continuous releases), kg/s.
    #[serde(default)]
    pub release_rate_kg_s: Option<f64>,
    /// Released mass used for the ignition table (instantaneous releases), kg (default: the
    /// installation inventory).
    #[serde(default)]
    pub release_mass_kg: Option<f64>,
}

/// Event-tree branch of an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Branch {
    /// Probability 1 (no event tree).
    #[default]
    Always,
    /// Immediate ignition: P_i.
    Immediate,
    /// Delayed ignition (either effect): (1 − P_i)·P_d.
    Delayed,
    /// Delayed ignition, flash fire: (1 − P_i)·P_d·(1 − f_x).
    DelayedFlash,
    /// Delayed ignition, explosion: (1 − P_i)·P_d·f_x.
    DelayedExplosion,
    /// No ignition: (1 − P_i)·(1 − P_d).
    NoIgnition,
}

/// What an outcome's consequence model needs. `analytic` works today; the physical kinds are
/// converted by [`footprint_for`], whose body is completed when the consequence models are wired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum OutcomeSpec {
    /// A footprint given directly (circle, radial table, directional table).
    Analytic {
        /// Hazard kind (selects societal-risk factors).
        #[serde(default)]
        hazard: Hazard,
        /// Outdoor lethality for every weather class without its own entry in `by_weather`.
        #[serde(default)]
        footprint: Option<Shape>,
        /// Explicit indoor lethality (societal risk).
        #[serde(default)]
        indoor: Option<Shape>,
        /// Per-weather-class outdoor footprints, keyed by weather id.
        #[serde(default)]
        by_weather: BTreeMap<String, Shape>,
    },
    /// Toxic gas dispersion.
    Toxic {
        /// Release rate, kg/s (continuous); default from the source model.
        #[serde(default)]
        release_rate_kg_s: Option<f64>,
        /// Release duration, s.
        #[serde(default)]
        duration_s: Option<f64>,
        /// Release height, m.
        #[serde(default)]
        release_height_m: Option<f64>,
        /// Toxic probit set name of the substance (default: its preferred set).
        #[serde(default)]
        probit_set: Option<String>,
    },
    /// Jet fire.
    JetFire {
        /// Release rate, kg/s.
        #[serde(default)]
        release_rate_kg_s: Option<f64>,
        /// "horizontal" or "vertical".
        #[serde(default)]
        orientation: Option<String>,
    },
    /// Pool fire.
    PoolFire {
        /// Pool diameter, m (e.g. the bund).
        #[serde(default)]
        pool_diameter_m: Option<f64>,
    },
    /// Fireball / BLEVE.
    Fireball {
        /// Mass in the fireball, kg (default: the inventory).
        #[serde(default)]
        mass_kg: Option<f64>,
    },
    /// Flash fire.
    FlashFire {
        /// Flammable mass, kg.
        #[serde(default)]
        mass_kg: Option<f64>,
        /// Release rate, kg/s (continuous).
        #[serde(default)]
        release_rate_kg_s: Option<f64>,
    },
    /// Vapour-cloud explosion.
    Vce {
        /// Flammable mass in the cloud, kg.
        #[serde(default)]
        mass_kg: Option<f64>,
        /// Multi-energy blast strength class, 1–10 (required by, and only used with,
        /// `model = "multi-energy"`).
        #[serde(default)]
        strength: Option<u8>,
        /// Congested (obstructed) volume, m³: blast energy E = V·3.5 MJ/m³ for
        /// `model = "multi-energy"` (only used with that model).
        #[serde(default)]
        confined_volume_m3: Option<f64>,
        /// Blast model: `"tnt"` (default: TNT equivalence with Kingery–Bulmash),
        /// `"multi-energy"` (TNO multi-energy curves) or `"bst"` (Baker–Strehlow–Tang).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        model: Option<VceModel>,
        /// BST flame Mach number, 0.2–5.2 (`model = "bst"`; or give the three classes below).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flame_mach: Option<f64>,
        /// BST fuel reactivity class `"low" | "medium" | "high"` (with `congestion` and
        /// `confinement`: the flame-speed table of Pierorazio et al. 2005 [S]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reactivity: Option<String>,
        /// BST congestion class `"low" | "medium" | "high"`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        congestion: Option<String>,
        /// BST confinement `"2D" | "2.5D" | "3D"` (1-D: not yet).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confinement: Option<String>,
    },
}

/// Blast model of a vapour-cloud-explosion outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VceModel {
    /// TNT equivalence, yield 0.03 of the flammable mass, Kingery–Bulmash curves.
    #[default]
    Tnt,
    /// TNO multi-energy: strength class 1–10 and energy V·3.5 MJ/m³ of the congested volume
    /// (or, without a volume, the combustion energy of the whole flammable mass).
    MultiEnergy,
    /// Baker–Strehlow–Tang: flame Mach number (given, or from the flame-speed table) and the
    /// same energy as multi-energy, doubled for the ground reflection of a ground-level cloud.
    Bst,
}

impl VceModel {
    /// The study-file name.
    pub fn name(self) -> &'static str {
        match self {
            VceModel::Tnt => "tnt",
            VceModel::MultiEnergy => "multi-energy",
            VceModel::Bst => "bst",
        }
    }
}

impl OutcomeSpec {
    /// Short kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            OutcomeSpec::Analytic { .. } => "analytic",
            OutcomeSpec::Toxic { .. } => "toxic",
            OutcomeSpec::JetFire { .. } => "jet-fire",
            OutcomeSpec::PoolFire { .. } => "pool-fire",
            OutcomeSpec::Fireball { .. } => "fireball",
            OutcomeSpec::FlashFire { .. } => "flash-fire",
            OutcomeSpec::Vce { .. } => "vce",
        }
    }
}

/// One outcome of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Id (default: the kind and index).
    #[serde(default)]
    pub id: Option<String>,
    /// Event-tree branch.
    #[serde(default)]
    pub branch: Branch,
    /// Fraction of the branch taken by this outcome (default 1).
    #[serde(default = "one")]
    pub fraction: f64,
    /// Conditional probability given the event, overriding branch × fraction.
    #[serde(default)]
    pub probability: Option<f64>,
    /// What the consequence model needs.
    pub spec: OutcomeSpec,
}

/// One loss-of-containment event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique id.
    pub id: String,
    /// Installation id.
    pub installation: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Frequency, per year (or use `loc`).
    #[serde(default)]
    pub frequency_per_year: Option<f64>,
    /// Generic frequency from `models/loc_frequencies.toml`.
    #[serde(default)]
    pub loc: Option<LocRef>,
    /// Release type (default from the LOC table, else "hole").
    #[serde(default)]
    pub release: Option<ReleaseKind>,
    /// Hole diameter, mm.
    #[serde(default)]
    pub hole_diameter_mm: Option<f64>,
    /// Release duration, s (default from the release type and the installation's detection /
    /// isolation class).
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// Event tree.
    #[serde(default)]
    pub event_tree: EventTree,
    /// Outcomes.
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
}

/// Pasquill–Gifford stability class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stability {
    /// Very unstable.
    A,
    /// Unstable.
    B,
    /// Slightly unstable.
    C,
    /// Neutral.
    D,
    /// Slightly stable.
    E,
    /// Stable.
    F,
}

/// One weather class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeatherClass {
    /// Id (default: stability letter + wind speed, e.g. "D5").
    #[serde(default)]
    pub id: Option<String>,
    /// Stability class.
    pub stability: Stability,
    /// Wind speed at 10 m, m/s.
    pub wind_speed_m_s: f64,
    /// Probability in both periods (shorthand for equal day and night probabilities).
    #[serde(default)]
    pub probability: Option<f64>,
    /// Probability during the day.
    #[serde(default)]
    pub probability_day: Option<f64>,
    /// Probability during the night.
    #[serde(default)]
    pub probability_night: Option<f64>,
    /// Sector probabilities (wind **from**, clockwise from north), summing to 1.
    pub wind_rose: Vec<f64>,
    /// Direction of the centre of sector 0, degrees clockwise from north (default 0).
    #[serde(default)]
    pub wind_rose_offset_deg: f64,
}

impl WeatherClass {
    /// The id used in `by_weather` tables: `id` or stability + speed ("D5", "F1.5").
    pub fn label(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{:?}{}", self.stability, self.wind_speed_m_s))
    }

    /// Day probability (resolved).
    pub fn p_day(&self) -> f64 {
        self.probability_day.or(self.probability).unwrap_or(0.0)
    }

    /// Night probability (resolved).
    pub fn p_night(&self) -> f64 {
        self.probability_night.or(self.probability).unwrap_or(0.0)
    }

    /// Wind-from direction of sector `k`, degrees clockwise from north.
    pub fn sector_from_deg(&self, k: usize) -> f64 {
        self.wind_rose_offset_deg + 360.0 * k as f64 / self.wind_rose.len() as f64
    }
}

/// Meteorology.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meteorology {
    /// Fraction of the year counted as day (default 0.5).
    #[serde(default = "half")]
    pub day_fraction: f64,
    /// Weather classes.
    pub weather: Vec<WeatherClass>,
    /// Directions per wind-rose sector (default 1 = the sector's centre direction, Purple Book
    /// practice). n > 1 spreads each sector's probability evenly over n directions at the centres
    /// of n equal sub-sectors, which removes the spokes that narrow plumes draw with 12 sectors;
    /// cost grows with n for directional footprints. Range 1–36.
    #[serde(default = "one_usize")]
    pub sector_subdivisions: usize,
}

fn half() -> f64 {
    0.5
}

fn one_usize() -> usize {
    1
}

/// Population on a raster of cells (counts per cell, lower-left origin, rows = y).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationRaster {
    /// East coordinate of the lower-left corner, m.
    pub x0_m: f64,
    /// North coordinate of the lower-left corner, m.
    pub y0_m: f64,
    /// Cell size, m.
    pub cell_size_m: f64,
    /// Columns.
    pub nx: usize,
    /// Rows.
    pub ny: usize,
    /// Persons per cell in the day, row-major (rows = y, from the south).
    pub counts: Vec<f64>,
    /// Persons per cell at night (default: `counts`).
    #[serde(default)]
    pub counts_night: Option<Vec<f64>>,
    /// Indoor fraction in the day (default 0.93, Purple Book [M]).
    #[serde(default = "indoor_day")]
    pub indoor_fraction_day: f64,
    /// Indoor fraction at night (default 0.99, Purple Book [M]).
    #[serde(default = "indoor_night")]
    pub indoor_fraction_night: f64,
}

fn indoor_day() -> f64 {
    0.93
}
fn indoor_night() -> f64 {
    0.99
}

/// Population in a polygon, spread uniformly over its area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationPolygon {
    /// Id.
    #[serde(default)]
    pub id: Option<String>,
    /// Vertices (x east, y north), m; at least 3.
    pub vertices: Vec<[f64; 2]>,
    /// Persons in the day.
    pub count_day: f64,
    /// Persons at night (default: `count_day`).
    #[serde(default)]
    pub count_night: Option<f64>,
    /// Indoor fraction in the day (default 0.93, Purple Book [M]).
    #[serde(default = "indoor_day")]
    pub indoor_fraction_day: f64,
    /// Indoor fraction at night (default 0.99, Purple Book [M]).
    #[serde(default = "indoor_night")]
    pub indoor_fraction_night: f64,
}

/// Population.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Rasters.
    #[serde(default)]
    pub rasters: Vec<PopulationRaster>,
    /// Polygons.
    #[serde(default)]
    pub polygons: Vec<PopulationPolygon>,
}

/// GB 36894-2018 protected-target class (防护目标).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetClass {
    /// 高敏感防护目标.
    HighSensitive,
    /// 重要防护目标.
    Important,
    /// 一般防护目标中的一类.
    #[serde(rename = "general-1")]
    General1,
    /// 一般防护目标中的二类.
    #[serde(rename = "general-2")]
    General2,
    /// 一般防护目标中的三类.
    #[serde(rename = "general-3")]
    General3,
}

impl TargetClass {
    /// All classes, strictest first.
    pub const ALL: [TargetClass; 5] = [
        TargetClass::HighSensitive,
        TargetClass::Important,
        TargetClass::General1,
        TargetClass::General2,
        TargetClass::General3,
    ];

    /// The study-file name.
    pub fn name(self) -> &'static str {
        match self {
            TargetClass::HighSensitive => "high-sensitive",
            TargetClass::Important => "important",
            TargetClass::General1 => "general-1",
            TargetClass::General2 => "general-2",
            TargetClass::General3 => "general-3",
        }
    }
}

/// Whether the installations are new (new, altered, expanded) or in service.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum TargetStatus {
    /// New, altered or expanded installations (stricter limits).
    #[default]
    New,
    /// In-service installations.
    InService,
}

impl TargetStatus {
    /// The study-file name.
    pub fn name(self) -> &'static str {
        match self {
            TargetStatus::New => "new",
            TargetStatus::InService => "in-service",
        }
    }
}

/// A protected target (point or polygon).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectedTarget {
    /// Unique id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// GB 36894 class.
    pub class: TargetClass,
    /// Status of the installations judged against it (default "new").
    #[serde(default)]
    pub status: TargetStatus,
    /// Point position (x, y), m.
    #[serde(default)]
    pub point: Option<[f64; 2]>,
    /// Polygon vertices, m.
    #[serde(default)]
    pub polygon: Option<Vec<[f64; 2]>>,
}

/// The calculation grid: nodes at `x_min_m + i·resolution_m` up to `x_max_m` (same in y).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// West edge, m.
    pub x_min_m: f64,
    /// East edge, m.
    pub x_max_m: f64,
    /// South edge, m.
    pub y_min_m: f64,
    /// North edge, m.
    pub y_max_m: f64,
    /// Node spacing, m.
    pub resolution_m: f64,
}

impl Grid {
    /// Number of nodes (nx, ny) as u128, computed without allocating; `None` if not finite.
    pub fn node_counts(&self) -> Option<(u128, u128)> {
        let fx = ((self.x_max_m - self.x_min_m) / self.resolution_m).floor() + 1.0;
        let fy = ((self.y_max_m - self.y_min_m) / self.resolution_m).floor() + 1.0;
        if fx.is_finite() && fy.is_finite() && fx >= 1.0 && fy >= 1.0 && fx < 1e30 && fy < 1e30 {
            Some((fx as u128, fy as u128))
        } else {
            None
        }
    }

    /// Validated node counts.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a bad extent; [`QraError::ResourceLimit`] above
    /// [`MAX_GRID_CELLS`].
    pub fn dims(&self) -> Result<(usize, usize)> {
        if let Some((nx, ny)) = self.node_counts() {
            crate::error::check::size_limit("grid nodes", nx * ny, MAX_GRID_CELLS)?;
        }
        let p = self.problems("grid");
        if let Some(e) = p.first() {
            return Err(QraError::invalid(&e.path, "grid", &e.message));
        }
        let (nx, ny) = self
            .node_counts()
            .ok_or_else(|| QraError::invalid("grid", "", "extent must be finite"))?;
        Ok((nx as usize, ny as usize))
    }

    fn problems(&self, path: &str) -> Vec<FieldError> {
        let mut p = Vec::new();
        for (k, v) in [
            ("x_min_m", self.x_min_m),
            ("x_max_m", self.x_max_m),
            ("y_min_m", self.y_min_m),
            ("y_max_m", self.y_max_m),
        ] {
            if !v.is_finite() {
                p.push(fe(format!("{path}.{k}"), format!("{v}: must be finite")));
            }
        }
        if !(self.resolution_m > 0.0 && self.resolution_m.is_finite()) {
            p.push(fe(
                format!("{path}.resolution_m"),
                format!("{}: must be > 0", self.resolution_m),
            ));
        }
        if self.x_max_m <= self.x_min_m {
            p.push(fe(format!("{path}.x_max_m"), "must be > x_min_m".into()));
        }
        if self.y_max_m <= self.y_min_m {
            p.push(fe(format!("{path}.y_max_m"), "must be > y_min_m".into()));
        }
        if p.is_empty() {
            match self.node_counts() {
                Some((nx, ny)) if nx * ny <= MAX_GRID_CELLS => {}
                Some((nx, ny)) => p.push(fe(
                    path.to_string(),
                    format!(
                        "{nx} x {ny} = {} nodes exceeds the limit of {MAX_GRID_CELLS}",
                        nx * ny
                    ),
                )),
                None => p.push(fe(path.to_string(), "too many nodes".into())),
            }
        }
        p
    }
}

/// A complete study (schema `qra-study/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// Must be `"qra-study/1"`.
    pub schema: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// Geographic origin of the local frame (for GeoJSON).
    #[serde(default)]
    pub origin: Option<GeoOrigin>,
    /// User substances (added to the built-in database).
    #[serde(default)]
    pub substances: Vec<Substance>,
    /// Installations.
    pub installations: Vec<Installation>,
    /// LOC events.
    pub events: Vec<Event>,
    /// Meteorology.
    pub meteorology: Meteorology,
    /// Population.
    #[serde(default)]
    pub population: Population,
    /// Protected targets.
    #[serde(default)]
    pub targets: Vec<ProtectedTarget>,
    /// Vulnerability rule set for societal risk (default "purple-book").
    #[serde(default)]
    pub vulnerability: VulnerabilityRules,
    /// Calculation grid.
    pub grid: Grid,
    /// Linear sources: pipelines and transport routes ([`super::linear`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pipelines: Vec<super::linear::Pipeline>,
    /// Facilities (companies) of a park; see [`Installation::facility`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<Facility>,
    /// Park boundary polygon, m (local frame).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub park_boundary: Option<Vec<[f64; 2]>>,
}

fn fe(path: String, message: String) -> FieldError {
    FieldError {
        path,
        line: None,
        message,
    }
}

// ---------------------------------------------------------------------------------------------
// Data tables: LOC frequencies and ignition.

/// The text of the built-in generic LOC frequency table (`models/loc_frequencies.toml`, [M]).
pub const LOC_TABLE_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/loc_frequencies.toml"
));

/// The text of the built-in ignition table (`models/ignition.toml`, [M]).
pub const IGNITION_TABLE_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/ignition.toml"
));

/// Unit of a generic LOC frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FrequencyPer {
    /// Per item per year.
    Year,
    /// Per metre of pipe per year.
    MetreYear,
    /// Per hour of use.
    Hour,
}

/// One generic LOC scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocScenario {
    /// Scenario id.
    pub id: String,
    /// Release type.
    pub release: ReleaseKind,
    /// Hole diameter, mm, where fixed.
    #[serde(default)]
    pub hole_diameter_mm: Option<f64>,
    /// Description.
    pub description: String,
    /// Frequency in the equipment's unit.
    pub frequency: f64,
}

/// One equipment type of the LOC table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocEquipment {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Frequency unit.
    pub per: FrequencyPer,
    /// Scenarios.
    pub loc: Vec<LocScenario>,
}

/// Release duration by detection/isolation class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IsolationClass {
    /// Class id ("AA" … "CC").
    pub id: String,
    /// Duration for holes ≤ 6.35 mm, s.
    pub small_s: f64,
    /// Duration for holes ≤ 25.4 mm, s.
    pub medium_s: f64,
    /// Duration for larger holes and ruptures, s.
    pub large_s: f64,
}

/// The isolation table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IsolationTable {
    /// Source.
    pub source: String,
    /// Verification tag.
    pub verification: String,
    /// Classes.
    pub classes: Vec<IsolationClass>,
}

/// `models/loc_frequencies.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocTable {
    /// Schema tag.
    pub schema: String,
    /// Source.
    pub source: String,
    /// Verification tag.
    pub verification: String,
    /// Equipment types.
    pub equipment: Vec<LocEquipment>,
    /// Isolation classes.
    pub isolation: IsolationTable,
}

impl LocTable {
    /// The built-in table (parsed once).
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] if the embedded file is broken.
    pub fn builtin() -> Result<&'static LocTable> {
        static T: OnceLock<Result<LocTable>> = OnceLock::new();
        T.get_or_init(|| {
            let text = include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../models/loc_frequencies.toml"
            ));
            toml::from_str(text)
                .map_err(|e| crate::substance::toml_error("models/loc_frequencies.toml", text, &e))
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// Looks up a scenario.
    ///
    /// # Errors
    /// [`QraError::UnknownName`] with suggestions.
    pub fn scenario(
        &self,
        equipment: &str,
        scenario: &str,
    ) -> Result<(&LocEquipment, &LocScenario)> {
        let eq = self
            .equipment
            .iter()
            .find(|e| e.id == equipment)
            .ok_or_else(|| {
                QraError::unknown(
                    "equipment type",
                    equipment,
                    self.equipment.iter().map(|e| e.id.as_str()),
                )
            })?;
        let sc = eq.loc.iter().find(|s| s.id == scenario).ok_or_else(|| {
            QraError::unknown(
                "LOC scenario",
                scenario,
                eq.loc.iter().map(|s| s.id.as_str()),
            )
        })?;
        Ok((eq, sc))
    }
}

/// One ignition category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnitionCategory {
    /// Id.
    pub id: String,
    /// Description.
    pub description: String,
    /// Immediate-ignition probability in the three rate/mass bands.
    pub immediate: [f64; 3],
}

/// `models/ignition.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnitionTable {
    /// Schema tag.
    pub schema: String,
    /// Source.
    pub source: String,
    /// Verification tag.
    pub verification: String,
    /// Default explosion fraction of delayed ignitions.
    pub explosion_fraction: f64,
    /// Band limits for continuous releases, kg/s.
    pub rate_bands_kg_s: [f64; 2],
    /// Band limits for instantaneous releases, kg.
    pub mass_bands_kg: [f64; 2],
    /// Categories.
    pub category: Vec<IgnitionCategory>,
}

impl IgnitionTable {
    /// The built-in table (parsed once).
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] if the embedded file is broken.
    pub fn builtin() -> Result<&'static IgnitionTable> {
        static T: OnceLock<Result<IgnitionTable>> = OnceLock::new();
        T.get_or_init(|| {
            let text = include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../models/ignition.toml"
            ));
            toml::from_str(text)
                .map_err(|e| crate::substance::toml_error("models/ignition.toml", text, &e))
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// Immediate-ignition probability for `category` and a continuous rate (kg/s) or an
    /// instantaneous mass (kg). Band edges belong to the upper band.
    ///
    /// # Errors
    /// [`QraError::UnknownName`] for an unknown category.
    pub fn immediate(
        &self,
        category: &str,
        rate_kg_s: Option<f64>,
        mass_kg: Option<f64>,
    ) -> Result<f64> {
        let c = self
            .category
            .iter()
            .find(|c| c.id == category)
            .ok_or_else(|| {
                QraError::unknown(
                    "ignition category",
                    category,
                    self.category.iter().map(|c| c.id.as_str()),
                )
            })?;
        let (v, b) = match (rate_kg_s, mass_kg) {
            (Some(r), _) => (r, self.rate_bands_kg_s),
            (None, Some(m)) => (m, self.mass_bands_kg),
            (None, None) => (0.0, self.rate_bands_kg_s),
        };
        let band = if v < b[0] {
            0
        } else if v < b[1] {
            1
        } else {
            2
        };
        Ok(c.immediate[band])
    }
}

// ---------------------------------------------------------------------------------------------

impl Study {
    /// Parses a TOML study and validates it.
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] with every problem found.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Study> {
        let s: Study = toml::from_str(text)
            .map_err(|e| crate::substance::toml_error(source_name, text, &e))?;
        s.validated(source_name)
    }

    /// Parses a JSON study and validates it.
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] with every problem found.
    pub fn from_json_str(text: &str, source_name: &str) -> Result<Study> {
        let s: Study = serde_json::from_str(text).map_err(|e| QraError::InvalidDocument {
            source_name: source_name.into(),
            problems: vec![FieldError {
                path: source_name.into(),
                line: Some(e.line()),
                message: e.to_string(),
            }],
        })?;
        s.validated(source_name)
    }

    /// Reads a study file: `.json` as JSON, anything else as TOML.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] if the file cannot be read (or is larger than 256 MB),
    /// [`QraError::InvalidDocument`] for its content.
    pub fn from_file(path: &std::path::Path) -> Result<Study> {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path)
            .map_err(|e| QraError::invalid("path", &name, format!("cannot read: {e}")))?;
        crate::error::check::size_limit("study file bytes", meta.len() as u128, 256 << 20)?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| QraError::invalid("path", &name, format!("cannot read: {e}")))?;
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            Study::from_json_str(&text, &name)
        } else {
            Study::from_toml_str(&text, &name)
        }
    }

    /// JSON form (the serde representation used by Python `to_dict` and pickling).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn validated(self, source_name: &str) -> Result<Study> {
        let problems = self.validate();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(QraError::InvalidDocument {
                source_name: source_name.into(),
                problems,
            })
        }
    }

    /// The substance database of this study (built-in + user substances).
    ///
    /// # Errors
    /// Problems with the user substances.
    pub fn substance_db(&self) -> Result<SubstanceDb> {
        let b = SubstanceDb::builtin()?;
        if self.substances.is_empty() {
            Ok(b.clone())
        } else {
            b.with_user_substances(self.substances.clone())
        }
    }

    /// Checks everything; returns every problem (empty when valid).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut p: Vec<FieldError> = Vec::new();
        if self.schema != STUDY_SCHEMA {
            p.push(fe(
                "schema".into(),
                format!("'{}' is not '{STUDY_SCHEMA}'", self.schema),
            ));
        }
        if let Some(o) = &self.origin {
            if !(-89.0..=89.0).contains(&o.latitude_deg) {
                p.push(fe(
                    "origin.latitude_deg".into(),
                    format!("{}: must be in [-89, 89]", o.latitude_deg),
                ));
            }
            if !(-180.0..=180.0).contains(&o.longitude_deg) {
                p.push(fe(
                    "origin.longitude_deg".into(),
                    format!("{}: must be in [-180, 180]", o.longitude_deg),
                ));
            }
        }
        // Substances.
        let db = match self.substance_db() {
            Ok(db) => Some(db),
            Err(QraError::InvalidDocument { problems, .. }) => {
                let nb = SubstanceDb::builtin().map(|d| d.len()).unwrap_or(0);
                for mut e in problems {
                    // Re-index user substances: substance[k] → substances[k − builtin].
                    if let Some(rest) = e.path.strip_prefix("substance[") {
                        if let Some((idx, tail)) = rest.split_once(']') {
                            if let Ok(i) = idx.parse::<usize>() {
                                e.path = format!("substances[{}]{tail}", i.saturating_sub(nb));
                            }
                        }
                    }
                    p.push(e);
                }
                None
            }
            Err(e) => {
                p.push(fe("substances".into(), e.to_string()));
                None
            }
        };
        // Installations.
        let mut inst_ids = BTreeSet::new();
        let iso = LocTable::builtin().ok();
        for (i, inst) in self.installations.iter().enumerate() {
            let path = format!("installations[{i}]");
            if inst.id.trim().is_empty() {
                p.push(fe(format!("{path}.id"), "must not be empty".into()));
            } else if !inst_ids.insert(inst.id.as_str()) {
                p.push(fe(
                    format!("{path}.id"),
                    format!("duplicate id '{}'", inst.id),
                ));
            }
            finite(&mut p, &format!("{path}.x_m"), inst.x_m);
            finite(&mut p, &format!("{path}.y_m"), inst.y_m);
            nonneg(&mut p, &format!("{path}.inventory_kg"), inst.inventory_kg);
            if let Some(v) = inst.pressure_pa {
                positive(&mut p, &format!("{path}.pressure_pa"), v);
            }
            if let Some(v) = inst.temperature_k {
                positive(&mut p, &format!("{path}.temperature_k"), v);
            }
            if let Some(db) = &db {
                if let Err(e) = db.get(&inst.substance) {
                    p.push(fe(format!("{path}.substance"), e.to_string()));
                }
            }
            if let (Some(c), Some(t)) = (&inst.detection_isolation, iso) {
                if !t.isolation.classes.iter().any(|k| &k.id == c) {
                    p.push(fe(
                        format!("{path}.detection_isolation"),
                        QraError::unknown(
                            "detection/isolation class",
                            c,
                            t.isolation.classes.iter().map(|k| k.id.as_str()),
                        )
                        .to_string(),
                    ));
                }
            }
        }
        // Meteorology.
        let met = &self.meteorology;
        prob(&mut p, "meteorology.day_fraction", met.day_fraction);
        if !(1..=36).contains(&met.sector_subdivisions) {
            p.push(fe(
                "meteorology.sector_subdivisions".into(),
                format!("{} must be in [1, 36]", met.sector_subdivisions),
            ));
        }
        if met.weather.is_empty() {
            p.push(fe(
                "meteorology.weather".into(),
                "needs at least one weather class".into(),
            ));
        }
        let mut labels = BTreeSet::new();
        let (mut sd, mut sn) = (0.0, 0.0);
        for (k, w) in met.weather.iter().enumerate() {
            let path = format!("meteorology.weather[{k}]");
            if !labels.insert(w.label()) {
                p.push(fe(
                    format!("{path}.id"),
                    format!("duplicate weather id '{}'", w.label()),
                ));
            }
            positive(&mut p, &format!("{path}.wind_speed_m_s"), w.wind_speed_m_s);
            finite(
                &mut p,
                &format!("{path}.wind_rose_offset_deg"),
                w.wind_rose_offset_deg,
            );
            if w.probability.is_none()
                && (w.probability_day.is_none() || w.probability_night.is_none())
            {
                p.push(fe(
                    format!("{path}.probability"),
                    "give probability, or both probability_day and probability_night".into(),
                ));
            }
            for (n, v) in [
                ("probability", w.probability),
                ("probability_day", w.probability_day),
                ("probability_night", w.probability_night),
            ] {
                if let Some(v) = v {
                    prob(&mut p, &format!("{path}.{n}"), v);
                }
            }
            sd += w.p_day();
            sn += w.p_night();
            if w.wind_rose.is_empty() {
                p.push(fe(
                    format!("{path}.wind_rose"),
                    "needs at least one sector".into(),
                ));
            } else if w.wind_rose.len() > 360 {
                p.push(fe(
                    format!("{path}.wind_rose"),
                    format!("{} sectors: at most 360", w.wind_rose.len()),
                ));
            } else {
                let mut s = 0.0;
                for (j, &v) in w.wind_rose.iter().enumerate() {
                    prob(&mut p, &format!("{path}.wind_rose[{j}]"), v);
                    s += v;
                }
                if (s - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                    p.push(fe(
                        format!("{path}.wind_rose"),
                        format!("sector probabilities sum to {s}, not 1"),
                    ));
                }
            }
        }
        if !met.weather.is_empty() {
            if met.day_fraction > 0.0 && (sd - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                p.push(fe(
                    "meteorology.weather".into(),
                    format!("day probabilities sum to {sd}, not 1"),
                ));
            }
            if met.day_fraction < 1.0 && (sn - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                p.push(fe(
                    "meteorology.weather".into(),
                    format!("night probabilities sum to {sn}, not 1"),
                ));
            }
        }
        // Events.
        let mut ev_ids = BTreeSet::new();
        let loc = LocTable::builtin().ok();
        let ign = IgnitionTable::builtin().ok();
        let mut n_scen: u128 = 0;
        for (i, ev) in self.events.iter().enumerate() {
            let path = format!("events[{i}]");
            if ev.id.trim().is_empty() {
                p.push(fe(format!("{path}.id"), "must not be empty".into()));
            } else if !ev_ids.insert(ev.id.as_str()) {
                p.push(fe(
                    format!("{path}.id"),
                    format!("duplicate id '{}'", ev.id),
                ));
            }
            if !inst_ids.contains(ev.installation.as_str()) {
                p.push(fe(
                    format!("{path}.installation"),
                    QraError::unknown("installation", &ev.installation, inst_ids.iter().copied())
                        .to_string(),
                ));
            }
            match (&ev.frequency_per_year, &ev.loc) {
                (Some(f), None) => nonneg(&mut p, &format!("{path}.frequency_per_year"), *f),
                (None, Some(l)) => {
                    nonneg(&mut p, &format!("{path}.loc.multiplier"), l.multiplier);
                    if let Some(t) = loc {
                        if let Err(e) = t.scenario(&l.equipment, &l.scenario) {
                            p.push(fe(format!("{path}.loc"), e.to_string()));
                        }
                    }
                }
                (Some(_), Some(_)) => p.push(fe(
                    format!("{path}.frequency_per_year"),
                    "give frequency_per_year or loc, not both".into(),
                )),
                (None, None) => p.push(fe(
                    format!("{path}.frequency_per_year"),
                    "missing: give frequency_per_year or loc".into(),
                )),
            }
            if let Some(d) = ev.hole_diameter_mm {
                positive(&mut p, &format!("{path}.hole_diameter_mm"), d);
            }
            if let Some(d) = ev.duration_s {
                positive(&mut p, &format!("{path}.duration_s"), d);
            }
            let et = &ev.event_tree;
            let tp = format!("{path}.event_tree");
            for (n, v) in [
                ("immediate_ignition", et.immediate_ignition),
                ("delayed_ignition", et.delayed_ignition),
                ("explosion_fraction", et.explosion_fraction),
            ] {
                if let Some(v) = v {
                    prob(&mut p, &format!("{tp}.{n}"), v);
                }
            }
            if let Some(v) = et.release_rate_kg_s {
                nonneg(&mut p, &format!("{tp}.release_rate_kg_s"), v);
            }
            if let Some(v) = et.release_mass_kg {
                nonneg(&mut p, &format!("{tp}.release_mass_kg"), v);
            }
            if let (Some(c), Some(t)) = (&et.ignition_category, ign) {
                if let Err(e) = t.immediate(c, None, None) {
                    p.push(fe(format!("{tp}.ignition_category"), e.to_string()));
                }
            }
            let uses = |b: Branch| {
                ev.outcomes
                    .iter()
                    .any(|o| o.probability.is_none() && o.branch == b)
            };
            let ignition_used = [
                Branch::Immediate,
                Branch::Delayed,
                Branch::DelayedFlash,
                Branch::DelayedExplosion,
                Branch::NoIgnition,
            ]
            .into_iter()
            .any(uses);
            if ignition_used && et.immediate_ignition.is_none() && et.ignition_category.is_none() {
                p.push(fe(
                    format!("{tp}.immediate_ignition"),
                    "missing: an outcome uses the event tree; give immediate_ignition or ignition_category".into(),
                ));
            }
            let delayed_used = [
                Branch::Delayed,
                Branch::DelayedFlash,
                Branch::DelayedExplosion,
                Branch::NoIgnition,
            ]
            .into_iter()
            .any(uses);
            if delayed_used && et.delayed_ignition.is_none() {
                p.push(fe(
                    format!("{tp}.delayed_ignition"),
                    "missing: an outcome uses a delayed or no-ignition branch".into(),
                ));
            }
            let mut branch_sum: BTreeMap<&'static str, f64> = BTreeMap::new();
            for (j, o) in ev.outcomes.iter().enumerate() {
                let op = format!("{path}.outcomes[{j}]");
                prob(&mut p, &format!("{op}.fraction"), o.fraction);
                if let Some(v) = o.probability {
                    prob(&mut p, &format!("{op}.probability"), v);
                } else {
                    *branch_sum.entry(branch_name(o.branch)).or_default() += o.fraction;
                }
                validate_spec(&mut p, &format!("{op}.spec"), &o.spec, &labels);
            }
            for (b, s) in branch_sum {
                if s > 1.0 + PROBABILITY_SUM_TOLERANCE {
                    p.push(fe(
                        format!("{path}.outcomes"),
                        format!("fractions of branch '{b}' sum to {s} > 1"),
                    ));
                }
            }
            n_scen += ev.outcomes.len() as u128 * met.weather.len().max(1) as u128;
        }
        if n_scen > MAX_SCENARIOS {
            p.push(fe(
                "events".into(),
                format!("{n_scen} scenarios exceed the limit of {MAX_SCENARIOS}"),
            ));
        }
        // Population.
        let mut cells: u128 = 0;
        for (k, r) in self.population.rasters.iter().enumerate() {
            let path = format!("population.rasters[{k}]");
            finite(&mut p, &format!("{path}.x0_m"), r.x0_m);
            finite(&mut p, &format!("{path}.y0_m"), r.y0_m);
            positive(&mut p, &format!("{path}.cell_size_m"), r.cell_size_m);
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_day"),
                r.indoor_fraction_day,
            );
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_night"),
                r.indoor_fraction_night,
            );
            let n = r.nx as u128 * r.ny as u128;
            cells += n;
            if r.counts.len() as u128 != n {
                p.push(fe(
                    format!("{path}.counts"),
                    format!("{} values, expected nx*ny = {n}", r.counts.len()),
                ));
            }
            counts(&mut p, &format!("{path}.counts"), &r.counts);
            if let Some(c) = &r.counts_night {
                if c.len() as u128 != n {
                    p.push(fe(
                        format!("{path}.counts_night"),
                        format!("{} values, expected nx*ny = {n}", c.len()),
                    ));
                }
                counts(&mut p, &format!("{path}.counts_night"), c);
            }
        }
        if cells > MAX_POPULATION_CELLS {
            p.push(fe(
                "population.rasters".into(),
                format!("{cells} cells exceed the limit of {MAX_POPULATION_CELLS}"),
            ));
        }
        for (k, g) in self.population.polygons.iter().enumerate() {
            let path = format!("population.polygons[{k}]");
            polygon(&mut p, &format!("{path}.vertices"), &g.vertices);
            nonneg(&mut p, &format!("{path}.count_day"), g.count_day);
            if let Some(c) = g.count_night {
                nonneg(&mut p, &format!("{path}.count_night"), c);
            }
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_day"),
                g.indoor_fraction_day,
            );
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_night"),
                g.indoor_fraction_night,
            );
        }
        // Facilities and the park boundary.
        let mut fac_ids = BTreeSet::new();
        for (k, f) in self.facilities.iter().enumerate() {
            if f.id.trim().is_empty() || !fac_ids.insert(f.id.as_str()) {
                p.push(fe(
                    format!("facilities[{k}].id"),
                    format!("'{}': must be non-empty and unique", f.id),
                ));
            }
            if let Some(b) = &f.boundary {
                polygon(&mut p, &format!("facilities[{k}].boundary"), b);
            }
        }
        for (i, inst) in self.installations.iter().enumerate() {
            if let Some(f) = inst.facility.as_deref().filter(|f| !fac_ids.contains(f)) {
                p.push(fe(
                    format!("installations[{i}].facility"),
                    QraError::unknown("facility", f, fac_ids.iter().copied()).to_string(),
                ));
            }
        }
        if let Some(b) = &self.park_boundary {
            polygon(&mut p, "park_boundary", b);
        }
        // Targets.
        let mut t_ids = BTreeSet::new();
        for (k, t) in self.targets.iter().enumerate() {
            let path = format!("targets[{k}]");
            if !t_ids.insert(t.id.as_str()) {
                p.push(fe(format!("{path}.id"), format!("duplicate id '{}'", t.id)));
            }
            match (&t.point, &t.polygon) {
                (Some(pt), None) => {
                    finite(&mut p, &format!("{path}.point[0]"), pt[0]);
                    finite(&mut p, &format!("{path}.point[1]"), pt[1]);
                }
                (None, Some(v)) => polygon(&mut p, &format!("{path}.polygon"), v),
                _ => p.push(fe(
                    format!("{path}.point"),
                    "give exactly one of point or polygon".into(),
                )),
            }
        }
        p.extend(self.grid.problems("grid"));
        p.extend(super::linear::problems(self));
        p
    }
}

fn branch_name(b: Branch) -> &'static str {
    match b {
        Branch::Always => "always",
        Branch::Immediate => "immediate",
        Branch::Delayed => "delayed",
        Branch::DelayedFlash => "delayed-flash",
        Branch::DelayedExplosion => "delayed-explosion",
        Branch::NoIgnition => "no-ignition",
    }
}

fn validate_spec(
    p: &mut Vec<FieldError>,
    path: &str,
    spec: &OutcomeSpec,
    labels: &BTreeSet<String>,
) {
    let shape = |p: &mut Vec<FieldError>, sp: &str, s: &Shape| {
        if let Err(e) = s.validate() {
            p.push(fe(sp.to_string(), e.to_string()));
        }
    };
    let opt_pos = |p: &mut Vec<FieldError>, n: &str, v: Option<f64>| {
        if let Some(v) = v {
            positive(p, &format!("{path}.{n}"), v);
        }
    };
    match spec {
        OutcomeSpec::Analytic {
            footprint,
            indoor,
            by_weather,
            ..
        } => {
            if let Some(s) = footprint {
                shape(p, &format!("{path}.footprint"), s);
            }
            if let Some(s) = indoor {
                shape(p, &format!("{path}.indoor"), s);
            }
            for (k, s) in by_weather {
                if !labels.contains(k) {
                    p.push(fe(
                        format!("{path}.by_weather.{k}"),
                        QraError::unknown("weather class", k, labels.iter().map(String::as_str))
                            .to_string(),
                    ));
                }
                shape(p, &format!("{path}.by_weather.{k}"), s);
            }
            if footprint.is_none() && labels.iter().any(|l| !by_weather.contains_key(l)) {
                p.push(fe(
                    format!("{path}.footprint"),
                    "missing: needed for the weather classes without a by_weather entry".into(),
                ));
            }
        }
        OutcomeSpec::Toxic {
            release_rate_kg_s,
            duration_s,
            release_height_m,
            ..
        } => {
            opt_pos(p, "release_rate_kg_s", *release_rate_kg_s);
            opt_pos(p, "duration_s", *duration_s);
            if let Some(h) = release_height_m {
                nonneg(p, &format!("{path}.release_height_m"), *h);
            }
        }
        OutcomeSpec::JetFire {
            release_rate_kg_s,
            orientation,
        } => {
            opt_pos(p, "release_rate_kg_s", *release_rate_kg_s);
            if let Some(o) = orientation {
                if o != "horizontal" && o != "vertical" {
                    p.push(fe(
                        format!("{path}.orientation"),
                        format!("'{o}': must be 'horizontal' or 'vertical'"),
                    ));
                }
            }
        }
        OutcomeSpec::PoolFire { pool_diameter_m } => {
            opt_pos(p, "pool_diameter_m", *pool_diameter_m)
        }
        OutcomeSpec::Fireball { mass_kg } => opt_pos(p, "mass_kg", *mass_kg),
        OutcomeSpec::FlashFire {
            mass_kg,
            release_rate_kg_s,
        } => {
            opt_pos(p, "mass_kg", *mass_kg);
            opt_pos(p, "release_rate_kg_s", *release_rate_kg_s);
        }
        OutcomeSpec::Vce {
            mass_kg,
            strength,
            confined_volume_m3,
            model,
            flame_mach,
            reactivity,
            congestion,
            confinement,
        } => {
            opt_pos(p, "mass_kg", *mass_kg);
            opt_pos(p, "confined_volume_m3", *confined_volume_m3);
            if let Some(s) = strength {
                if !(1..=10).contains(s) {
                    p.push(fe(
                        format!("{path}.strength"),
                        format!("{s}: must be in [1, 10]"),
                    ));
                }
            }
            let m = model.unwrap_or_default();
            let bst_given = [
                ("flame_mach", flame_mach.is_some()),
                ("reactivity", reactivity.is_some()),
                ("congestion", congestion.is_some()),
                ("confinement", confinement.is_some()),
            ];
            let not_used = |p: &mut Vec<FieldError>, given: &[(&str, bool)], by: &str| {
                for (n, g) in given {
                    if *g {
                        p.push(fe(
                            format!("{path}.{n}"),
                            format!(
                                "only used by {by} (this outcome uses model = '{}')",
                                m.name()
                            ),
                        ));
                    }
                }
            };
            match m {
                VceModel::MultiEnergy => {
                    if strength.is_none() {
                        p.push(fe(
                            format!("{path}.strength"),
                            "missing: model = 'multi-energy' needs the TNO strength class (1-10)"
                                .into(),
                        ));
                    }
                    not_used(p, &bst_given, "model = 'bst'");
                }
                VceModel::Tnt => {
                    not_used(
                        p,
                        &[
                            ("strength", strength.is_some()),
                            ("confined_volume_m3", confined_volume_m3.is_some()),
                        ],
                        "model = 'multi-energy' or 'bst'",
                    );
                    not_used(p, &bst_given, "model = 'bst'");
                }
                VceModel::Bst => {
                    not_used(
                        p,
                        &[("strength", strength.is_some())],
                        "model = 'multi-energy'",
                    );
                    if let Err(e) = crate::explosion::bst_flame_mach(
                        *flame_mach,
                        reactivity.as_deref(),
                        congestion.as_deref(),
                        confinement.as_deref(),
                    ) {
                        let field = match &e {
                            QraError::InvalidInput { argument, .. } => argument.clone(),
                            _ => "confinement".to_string(),
                        };
                        p.push(fe(format!("{path}.{field}"), e.to_string()));
                    }
                }
            }
        }
    }
}

fn finite(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !v.is_finite() {
        p.push(fe(path.into(), format!("{v}: must be a finite number")));
    }
}
fn nonneg(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !(v.is_finite() && v >= 0.0) {
        p.push(fe(path.into(), format!("{v}: must be >= 0")));
    }
}
fn positive(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !(v.is_finite() && v > 0.0) {
        p.push(fe(path.into(), format!("{v}: must be > 0")));
    }
}
fn prob(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !(0.0..=1.0).contains(&v) {
        p.push(fe(
            path.into(),
            format!("{v}: must be a probability in [0, 1]"),
        ));
    }
}
fn counts(p: &mut Vec<FieldError>, path: &str, c: &[f64]) {
    if let Some(i) = c.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        p.push(fe(
            format!("{path}[{i}]"),
            format!("{}: must be >= 0", c[i]),
        ));
    }
}
fn polygon(p: &mut Vec<FieldError>, path: &str, v: &[[f64; 2]]) {
    if v.len() < 3 {
        p.push(fe(
            path.into(),
            format!("{} vertices: needs at least 3", v.len()),
        ));
    }
    if v.len() > 1_000_000 {
        p.push(fe(
            path.into(),
            format!("{} vertices: at most 1000000", v.len()),
        ));
    }
    if let Some(i) = v
        .iter()
        .position(|q| !(q[0].is_finite() && q[1].is_finite()))
    {
        p.push(fe(
            format!("{path}[{i}]"),
            "coordinates must be finite".into(),
        ));
    }
}

/// Everything a consequence model needs about the scenario besides the outcome spec.
#[derive(Debug, Clone, Copy)]
pub struct ScenarioContext<'a> {
    /// The installation.
    pub installation: &'a Installation,
    /// The event.
    pub event: &'a Event,
    /// Its substance.
    pub substance: &'a Substance,
    /// Resolved release duration, s (None for instantaneous releases).
    pub duration_s: Option<f64>,
    /// The study's vulnerability rule set (selects the thermal lethality rule).
    pub rules: VulnerabilityRules,
}

/// Converts one outcome spec under one weather class into a [`Footprint`] — the single place where
/// consequence models are wired into the risk engine.
///
/// Analytic outcomes return their shapes (the `by_weather` entry for `weather`, else the default).
/// Physical kinds (toxic, jet fire, pool fire, fireball, flash fire, VCE) return
/// [`QraError::NotImplemented`] ("consequence model wiring pending"): the consequence models are
/// built on other branches and are wired in here after merging, by sampling each model once into a
/// [`Shape::Radial`] (fires, fireballs, explosions) or [`Shape::Directional`] (plumes, clouds) at
/// the grid resolution.
///
/// # Errors
/// [`QraError::NotImplemented`] for physical kinds; shape validation errors.
pub fn footprint_for(
    spec: &OutcomeSpec,
    weather: &WeatherClass,
    _ctx: &ScenarioContext<'_>,
    _db: &SubstanceDb,
) -> Result<Footprint> {
    match spec {
        OutcomeSpec::Analytic {
            hazard,
            footprint,
            indoor,
            by_weather,
        } => {
            let label = weather.label();
            let shape = by_weather
                .get(&label)
                .or(footprint.as_ref())
                .ok_or_else(|| {
                    QraError::invalid(
                        "footprint",
                        "missing",
                        format!("no footprint for weather class '{label}'"),
                    )
                })?
                .clone();
            let f = Footprint::new(shape, *hazard)?;
            match indoor {
                Some(s) => f.with_indoor(s.clone()),
                None => Ok(f),
            }
        }
        other => {
            use crate::vulnerability::thermal::ThermalRule;
            // Heat radiation: Purple Book lethal at ≥ 35 kW/m², AQ/T 3046 at ≥ 37.5 kW/m².
            let thermal = match _ctx.rules {
                VulnerabilityRules::PurpleBook => ThermalRule::purple_book(),
                VulnerabilityRules::Aqt3046 => ThermalRule::aqt3046(),
            };
            super::consequence::physical_footprint(other, weather, _ctx, _db, &thermal)
        }
    }
}

/// Resolved frequency of an event, per year.
///
/// # Errors
/// Unknown LOC references.
pub fn event_frequency(ev: &Event) -> Result<f64> {
    match (&ev.frequency_per_year, &ev.loc) {
        (Some(f), _) => Ok(*f),
        (None, Some(l)) => {
            let (_, sc) = LocTable::builtin()?.scenario(&l.equipment, &l.scenario)?;
            Ok(sc.frequency * l.multiplier)
        }
        (None, None) => Err(QraError::invalid(
            "frequency_per_year",
            "missing",
            "give frequency_per_year or loc",
        )),
    }
}

/// Resolved release duration of an event, s: the event's `duration_s`; else 600 s for
/// `continuous-10min`; else, for holes and ruptures of an installation with a detection/isolation
/// class, the class duration by hole-size band; `None` otherwise (instantaneous, or left to the
/// source model).
pub fn event_duration_s(ev: &Event, inst: &Installation) -> Option<f64> {
    if ev.duration_s.is_some() {
        return ev.duration_s;
    }
    let release = ev.release.or_else(|| {
        let l = ev.loc.as_ref()?;
        LocTable::builtin()
            .ok()?
            .scenario(&l.equipment, &l.scenario)
            .ok()
            .map(|(_, s)| s.release)
    });
    match release {
        Some(ReleaseKind::Instantaneous) => None,
        Some(ReleaseKind::Continuous10Min) => Some(600.0),
        r => {
            let class = inst.detection_isolation.as_ref()?;
            let t = LocTable::builtin().ok()?;
            let c = t.isolation.classes.iter().find(|c| &c.id == class)?;
            let d = ev.hole_diameter_mm.unwrap_or(f64::INFINITY);
            Some(if r == Some(ReleaseKind::Rupture) || d > 25.4 {
                c.large_s
            } else if d > 6.35 {
                c.medium_s
            } else {
                c.small_s
            })
        }
    }
}

/// Conditional probability of each outcome of `ev` given the event (event tree × fraction, or the
/// outcome's own `probability`).
///
/// Event tree: immediate P_i; delayed (1 − P_i)·P_d, split into flash fire (1 − f_x) and explosion
/// f_x (f_x default 0.4, Purple Book §4.2 [M]); no ignition (1 − P_i)(1 − P_d).
///
/// # Errors
/// Missing event-tree values (caught earlier by validation).
pub fn outcome_probabilities(ev: &Event, inst: &Installation) -> Result<Vec<f64>> {
    let et = &ev.event_tree;
    let table = IgnitionTable::builtin()?;
    let pi = match (et.immediate_ignition, &et.ignition_category) {
        (Some(p), _) => p,
        (None, Some(c)) => {
            let instantaneous = matches!(ev.release, Some(ReleaseKind::Instantaneous));
            let mass = et.release_mass_kg.or(Some(inst.inventory_kg));
            if instantaneous || et.release_rate_kg_s.is_none() {
                table.immediate(c, None, mass)?
            } else {
                table.immediate(c, et.release_rate_kg_s, None)?
            }
        }
        (None, None) => 0.0,
    };
    let pd = et.delayed_ignition.unwrap_or(0.0);
    let fx = et.explosion_fraction.unwrap_or(table.explosion_fraction);
    Ok(ev
        .outcomes
        .iter()
        .map(|o| {
            o.probability.unwrap_or_else(|| {
                let b = match o.branch {
                    Branch::Always => 1.0,
                    Branch::Immediate => pi,
                    Branch::Delayed => (1.0 - pi) * pd,
                    Branch::DelayedFlash => (1.0 - pi) * pd * (1.0 - fx),
                    Branch::DelayedExplosion => (1.0 - pi) * pd * fx,
                    Branch::NoIgnition => (1.0 - pi) * (1.0 - pd),
                };
                b * o.fraction
            })
        })
        .collect())
}
