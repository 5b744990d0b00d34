//! Installations and their loss-of-containment events: phases, release kinds, LOC references,
//! event trees and outcome specs.
//!
//! Typed values only: every choice is an enum with serde tags, so a parsed outcome cannot name a
//! model or an orientation the engine does not know.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::risk::footprint::{Hazard, Shape};

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
        /// Jet axis: `"horizontal"` (default; aimed downwind) or `"vertical"` (upwards).
        #[serde(default)]
        orientation: JetOrientation,
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

/// Axis of a jet-fire outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JetOrientation {
    /// Horizontal, aimed downwind (the footprint turns with the wind direction).
    #[default]
    Horizontal,
    /// Vertical, upwards from the release point (the footprint is radially symmetric).
    Vertical,
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
