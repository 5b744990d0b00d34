//! The `[ignition]` section of a study: ignition sources for delayed ignition (Purple Book
//! method) and the placement of vapour-cloud explosions.
//!
//! ```toml
//! [ignition]
//! max_extent_probability = 1.0      # a cloud no source ignites ignites at its maximum extent
//! vce_placement = "ignition-point"  # default with sources; "release-point" keeps the old centre
//!
//! [[ignition.sources]]
//! kind = "point"                    # one or more sources at a point (a flare, a furnace)
//! id = "flare"
//! x_m = 300.0
//! y_m = 0.0
//! p_1min = 1.0                      # probability of ignition within 1 min, source present
//!
//! [[ignition.sources]]
//! kind = "line"                     # e.g. a road: sources per km
//! id = "road"
//! points = [[-500.0, 200.0], [500.0, 200.0]]
//! p_1min = "motor-vehicle"         # or a number; types: models/ignition.toml [[source_type]]
//! presence = 1.0
//! sources_per_km = 10.0
//!
//! [[ignition.sources]]
//! kind = "area"                     # e.g. a residential area: sources per km²
//! id = "town"
//! polygon = [[0.0, 500.0], [400.0, 500.0], [400.0, 800.0], [0.0, 800.0]]
//! p_1min = 0.01
//! sources_per_km2 = 5000.0
//! ```
//!
//! # Delayed ignition (CPR 18E Purple Book 1999, ch. 4, §4.5 "delayed ignition", as transcribed
//! in the project's reference notes, standards.md §4.2 \[M\]: the book could not be read)
//! A source present in the cloud for a time t ignites it with P(t) = p_present·(1 − e^{−ωt});
//! ω follows from the tabulated probability of ignition within one minute,
//! p_1min = 1 − e^{−ω·60 s}, i.e. ω = −ln(1 − p_1min)/60 s (p_1min = 1: ignition at once).
//! `n` independent sources of one kind give 1 − (1 − P(t))ⁿ (n real: per km of line, per km² of
//! area). See [`crate::risk::ignition`] for the passage of the cloud over the sources.

use serde::{Deserialize, Serialize};

use super::event::{VceFields, VceModelName, VceSpec};
use crate::explosion::VceModel;

/// Largest length of line, or side of area cell, one source point stands for, m (the
/// discretisation of [`crate::risk::ignition::source_points`]; qra's choice).
pub const SOURCE_SPACING_M: f64 = 10.0;

/// Geometry and number of the sources of one `[[ignition.sources]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum IgnitionSourceKind {
    /// Sources at one point.
    Point {
        /// Position east, m.
        x_m: f64,
        /// Position north, m.
        y_m: f64,
        /// Number of sources at the point (default 1).
        #[serde(default = "one")]
        #[schemars(range(min = 0.0), example = 2.0)]
        number: f64,
        /// Id.
        id: String,
        /// Probability of ignition within one minute of one source, given it is present: a
        /// number, or the id of a source type of `models/ignition.toml` (`p_1min_of`).
        #[serde(deserialize_with = "p_1min_of")]
        #[schemars(with = "P1min")]
        p_1min: f64,
        /// Probability that a source is present (default 1).
        #[serde(default = "one")]
        #[schemars(range(min = 0.0, max = 1.0), example = 0.5)]
        presence: f64,
    },
    /// Sources along a polyline (a road, a railway, a power line).
    Line {
        /// Polyline vertices, m (≥ 2).
        points: Vec<[f64; 2]>,
        /// Sources per km of line.
        #[schemars(range(min = 0.0), example = 10.0)]
        sources_per_km: f64,
        /// Id.
        id: String,
        /// Probability of ignition within one minute of one source, given it is present: a
        /// number, or the id of a source type of `models/ignition.toml` (`p_1min_of`).
        #[serde(deserialize_with = "p_1min_of")]
        #[schemars(with = "P1min")]
        p_1min: f64,
        /// Probability that a source is present (default 1).
        #[serde(default = "one")]
        #[schemars(range(min = 0.0, max = 1.0), example = 0.5)]
        presence: f64,
    },
    /// Sources spread over a polygon (a residential or industrial area).
    Area {
        /// Polygon vertices, m (≥ 3).
        polygon: Vec<[f64; 2]>,
        /// Sources per km² of area.
        #[schemars(range(min = 0.0), example = 5000.0)]
        sources_per_km2: f64,
        /// Id.
        id: String,
        /// Probability of ignition within one minute of one source, given it is present: a
        /// number, or the id of a source type of `models/ignition.toml` (`p_1min_of`).
        #[serde(deserialize_with = "p_1min_of")]
        #[schemars(with = "P1min")]
        p_1min: f64,
        /// Probability that a source is present (default 1).
        #[serde(default = "one")]
        #[schemars(range(min = 0.0, max = 1.0), example = 0.5)]
        presence: f64,
    },
}

fn one() -> f64 {
    1.0
}

/// The study-file form of `p_1min`: a probability, or a source-type id of `models/ignition.toml`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum P1min {
    /// Probability of ignition within one minute, in [0, 1].
    Number(#[schemars(range(min = 0.0, max = 1.0))] f64),
    /// Id of a delayed-ignition source type of `models/ignition.toml` (e.g. `"motor-vehicle"`).
    SourceType(String),
}

/// Reads `p_1min`: a number, or the id of a delayed-ignition source type of
/// `models/ignition.toml` (e.g. `"motor-vehicle"` → 0.4; Purple Book §4.5 \[M\],
/// [`super::IgnitionTable::source_type`]).
fn p_1min_of<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    match P1min::deserialize(d)? {
        P1min::Number(p) => Ok(p),
        P1min::SourceType(id) => super::IgnitionTable::builtin()
            .and_then(|t| t.source_type(&id).map(|s| s.p_1min))
            .map_err(serde::de::Error::custom),
    }
}

impl IgnitionSourceKind {
    /// Id of the entry.
    pub fn id(&self) -> &str {
        match self {
            IgnitionSourceKind::Point { id, .. }
            | IgnitionSourceKind::Line { id, .. }
            | IgnitionSourceKind::Area { id, .. } => id,
        }
    }

    /// (p_1min, presence) of one source of the entry.
    pub fn probabilities(&self) -> (f64, f64) {
        match self {
            IgnitionSourceKind::Point {
                p_1min, presence, ..
            }
            | IgnitionSourceKind::Line {
                p_1min, presence, ..
            }
            | IgnitionSourceKind::Area {
                p_1min, presence, ..
            } => (*p_1min, *presence),
        }
    }
}

/// Where the blast of a VCE outcome is centred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VcePlacement {
    /// At the release point (qra's behaviour before issue 16; the default without ignition
    /// sources).
    ReleasePoint,
    /// At the place where the cloud ignites: the ignition source, or the centroid of the cloud's
    /// LFL envelope when it ignites at its maximum extent (the default with ignition sources).
    IgnitionPoint,
    /// On each congested region the ignited cloud covers, with the energy of the flammable
    /// volume inside it and the region's own strength ([`CongestedRegion`]); no blast where the
    /// cloud covers none (the default with congested regions).
    CongestedRegions,
}

/// A congested (obstructed) region of the plant: the blast source of a vapour-cloud explosion
/// in multi-energy practice (CPR 14E Yellow Book 1997 ch. 5, TNO multi-energy method \[M\]: the
/// blast comes from the congested parts of the flammable cloud, each an independent source with
/// E = V·3.5 MJ/m³ of its flammable volume and its own strength; the unconfined rest is a weak
/// source, strength 1–2).
///
/// Study-file form (`[[ignition.congested_regions]]`): `id`, `polygon` (plan, m, ≥ 3 vertices),
/// `height_m` (> 0), and the blast fields of a VCE outcome without `mass_kg` and
/// `confined_volume_m3` (the volume is the region's part inside the cloud): `model =
/// "multi-energy"` (default) with `strength` 1–10, or `model = "bst"` with `flame_mach` or
/// `reactivity` / `congestion` / `confinement`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RegionFields", into = "RegionFields")]
pub struct CongestedRegion {
    /// Id.
    pub id: String,
    /// Plan polygon, m.
    pub polygon: Vec<[f64; 2]>,
    /// Height of the congested volume, m.
    pub height_m: f64,
    /// Blast model (multi-energy or BST; its volume is set per explosion).
    pub model: VceModel,
}

/// Example plan polygon of a congested region, m (schema example).
const EXAMPLE_REGION: [[f64; 2]; 4] = [[0.0, 0.0], [50.0, 0.0], [50.0, 40.0], [0.0, 40.0]];

/// The flat study-file fields of a congested region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RegionFields {
    /// Id (unique among the congested regions).
    id: String,
    /// Plan polygon (x east, y north), m; at least 3 vertices.
    #[schemars(length(min = 3), example = EXAMPLE_REGION)]
    polygon: Vec<[f64; 2]>,
    /// Height of the congested volume, m (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 8.0)]
    height_m: f64,
    /// Blast model: `"multi-energy"` (default) or `"bst"` (`"tnt"` has no region form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    model: Option<VceModelName>,
    /// TNO multi-energy strength class, 1–10 (`multi-energy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10), example = 7)]
    strength: Option<u8>,
    /// BST flame Mach number, 0.2–5.2 (`bst`; or give the three classes instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.2, max = 5.2), example = 0.66)]
    flame_mach: Option<f64>,
    /// BST fuel reactivity class: `"low"`, `"medium"` or `"high"` (`bst`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"medium")]
    reactivity: Option<String>,
    /// BST congestion class: `"low"`, `"medium"` or `"high"` (`bst`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"high")]
    congestion: Option<String>,
    /// BST confinement class: `"2D"`, `"2.5D"` or `"3D"` (`bst`; 1-D not yet supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2.5D")]
    confinement: Option<String>,
}

impl TryFrom<RegionFields> for CongestedRegion {
    type Error = String;

    fn try_from(f: RegionFields) -> std::result::Result<CongestedRegion, String> {
        let RegionFields {
            id,
            polygon,
            height_m,
            model,
            strength,
            flame_mach,
            reactivity,
            congestion,
            confinement,
        } = f;
        let model = model.unwrap_or(VceModelName::MultiEnergy);
        if model == VceModelName::Tnt {
            return Err(
                "model: 'tnt' has no congested-region form; use 'multi-energy' or 'bst'".into(),
            );
        }
        let spec = VceSpec::try_from(VceFields {
            mass_kg: None,
            model: Some(model),
            strength,
            confined_volume_m3: None,
            flame_mach,
            reactivity,
            congestion,
            confinement,
        })?;
        Ok(CongestedRegion {
            id,
            polygon,
            height_m,
            model: spec.model,
        })
    }
}

impl From<CongestedRegion> for RegionFields {
    fn from(r: CongestedRegion) -> RegionFields {
        let v = VceFields::from(VceSpec {
            mass_kg: None,
            model: r.model,
        });
        RegionFields {
            id: r.id,
            polygon: r.polygon,
            height_m: r.height_m,
            model: v.model,
            strength: v.strength,
            flame_mach: v.flame_mach,
            reactivity: v.reactivity,
            congestion: v.congestion,
            confinement: v.confinement,
        }
    }
}

impl CongestedRegion {
    /// The region's blast model for a flammable congested volume `volume_m3` (> 0).
    pub fn model_for_volume(&self, volume_m3: f64) -> VceModel {
        match self.model {
            VceModel::MultiEnergy { strength, .. } => VceModel::MultiEnergy {
                strength,
                confined_volume_m3: Some(volume_m3),
            },
            VceModel::Bst { flame, .. } => VceModel::Bst {
                flame,
                confined_volume_m3: Some(volume_m3),
            },
            VceModel::Tnt => VceModel::Tnt,
        }
    }
}

/// The `[ignition]` section (see the module docs). Empty by default: delayed ignition is then the
/// events' scalar `delayed_ignition` and every blast is centred as its outcome says.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnitionSetup {
    /// Probability that a cloud no ignition source has ignited ignites at its maximum extent
    /// (default 1: every cloud that escapes the sources ignites at its maximum extent — the
    /// reading of CPR 18E §4.5 given in issue 16, \[M\]). An event's own `delayed_ignition`
    /// overrides it for that event when the study has ignition sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0), example = 1.0)]
    pub max_extent_probability: Option<f64>,
    /// Ignition sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<IgnitionSourceKind>,
    /// Where VCE blasts are centred (default: [`VcePlacement::CongestedRegions`] with congested
    /// regions, else [`VcePlacement::IgnitionPoint`] with ignition sources, else
    /// [`VcePlacement::ReleasePoint`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vce_placement: Option<VcePlacement>,
    /// Congested regions (VCE blast sources, [`VcePlacement::CongestedRegions`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub congested_regions: Vec<CongestedRegion>,
}

impl IgnitionSetup {
    /// Default [`IgnitionSetup::max_extent_probability`].
    pub const DEFAULT_MAX_EXTENT_PROBABILITY: f64 = 1.0;

    /// Whether the section is empty (nothing to serialise).
    pub fn is_empty(&self) -> bool {
        *self == IgnitionSetup::default()
    }

    /// Whether delayed ignition (its probability and place) depends on the wind direction:
    /// the study has ignition sources, or congested regions (whose coverage by the cloud depends
    /// on the direction).
    pub fn by_direction(&self) -> bool {
        !self.sources.is_empty() || !self.congested_regions.is_empty()
    }

    /// The VCE placement in effect (see [`IgnitionSetup::vce_placement`]).
    pub fn vce_placement(&self) -> VcePlacement {
        self.vce_placement
            .unwrap_or(if !self.congested_regions.is_empty() {
                VcePlacement::CongestedRegions
            } else if !self.sources.is_empty() {
                VcePlacement::IgnitionPoint
            } else {
                VcePlacement::ReleasePoint
            })
    }

    /// The probability that a cloud no source ignited ignites at its maximum extent, for an
    /// event whose own `delayed_ignition` is `event_pd`.
    pub fn max_extent_probability_for(&self, event_pd: Option<f64>) -> f64 {
        event_pd
            .or(self.max_extent_probability)
            .unwrap_or(Self::DEFAULT_MAX_EXTENT_PROBABILITY)
    }
}
