//! Installations and their loss-of-containment events: phases, release kinds, LOC references,
//! event trees and outcome specs.
//!
//! Typed values only: every choice is an enum with serde tags, so a parsed outcome cannot name a
//! model or an orientation the engine does not know.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::tag_first;
use crate::dispersion::DenseGasModel;
use crate::error::{check, QraError};
use crate::explosion::bst_flame_speed::{parse_confinement, parse_congestion, parse_reactivity};
use crate::explosion::{bst_flame_mach, BstFlame, VceModel};
use crate::risk::footprint::{Hazard, Shape};

/// Phase of the stored substance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocRef {
    /// Equipment type id (e.g. "pressure-vessel").
    pub equipment: String,
    /// LOC scenario id within the equipment type (e.g. "G1").
    pub scenario: String,
    /// Multiplier: number of items, metres of pipe or hours of use per year (default 1).
    #[serde(default = "one")]
    #[schemars(range(min = 0.0), example = 2.0)]
    pub multiplier: f64,
}

fn one() -> f64 {
    1.0
}

/// Event-tree parameters of one event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventTree {
    /// Probability of immediate ignition; if absent, from `models/ignition.toml` by
    /// `ignition_category` and release rate/mass.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.1)]
    pub immediate_ignition: Option<f64>,
    /// Probability of delayed ignition given no immediate ignition (required when an outcome uses
    /// a delayed branch).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.5)]
    pub delayed_ignition: Option<f64>,
    /// Fraction of delayed ignitions that explode (default 0.4, Purple Book \[M\]).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.4)]
    pub explosion_fraction: Option<f64>,
    /// Ignition category of `models/ignition.toml` ("gas-high", "gas-low", "k1-liquid",
    /// "k2-k3-liquid").
    #[serde(default)]
    pub ignition_category: Option<String>,
    /// Release rate used for the ignition table (continuous releases), kg/s.
    #[serde(default)]
    #[schemars(range(min = 0.0), example = 12.5)]
    pub release_rate_kg_s: Option<f64>,
    /// Released mass used for the ignition table (instantaneous releases), kg (default: the
    /// installation inventory).
    #[serde(default)]
    #[schemars(range(min = 0.0), example = 20000.0)]
    pub release_mass_kg: Option<f64>,
}

/// Event-tree branch of an outcome.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
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

/// What an outcome's consequence model needs: a footprint given directly (`analytic`), or the
/// inputs of one of qra's physical models (the other kinds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
        #[schemars(example = example_by_weather())]
        by_weather: BTreeMap<String, Shape>,
    },
    /// Toxic gas dispersion.
    Toxic {
        /// Release rate, kg/s (continuous); default from the source model.
        #[serde(default)]
        #[schemars(extend("exclusiveMinimum" = 0.0), example = 5.0)]
        release_rate_kg_s: Option<f64>,
        /// Release duration, s.
        #[serde(default)]
        #[schemars(extend("exclusiveMinimum" = 0.0), example = 1800.0)]
        duration_s: Option<f64>,
        /// Release height, m.
        #[serde(default)]
        #[schemars(range(min = 0.0), example = 2.0)]
        release_height_m: Option<f64>,
        /// Toxic probit set name of the substance (default: its preferred set).
        #[serde(default)]
        #[schemars(example = &"ten-berge")]
        probit_set: Option<String>,
        /// Model of releases classed dense: `"slab"` (default, the SLAB-class integral model)
        /// or `"britter-mcquaid"` (the workbook, a screening option; see [`DenseGasModel`]).
        #[serde(default)]
        #[schemars(example = &"slab")]
        dense_model: DenseGasModel,
    },
    /// Jet fire.
    JetFire {
        /// Release rate, kg/s.
        #[serde(default)]
        #[schemars(extend("exclusiveMinimum" = 0.0), example = 3.0)]
        release_rate_kg_s: Option<f64>,
        /// Jet axis: `"horizontal"` (default; aimed downwind) or `"vertical"` (upwards).
        #[serde(default)]
        orientation: JetOrientation,
    },
    /// Pool fire.
    PoolFire {
        /// Pool diameter, m (e.g. the bund).
        #[serde(default)]
        #[schemars(extend("exclusiveMinimum" = 0.0), example = 20.0)]
        pool_diameter_m: Option<f64>,
    },
    /// Fireball / BLEVE.
    Fireball {
        /// Mass in the fireball, kg (default: the inventory).
        #[serde(default)]
        #[schemars(extend("exclusiveMinimum" = 0.0), example = 20000.0)]
        mass_kg: Option<f64>,
    },
    /// Flash fire.
    FlashFire {
        /// Flammable mass, kg.
        #[serde(default)]
        #[schemars(extend("exclusiveMinimum" = 0.0), example = 5000.0)]
        mass_kg: Option<f64>,
        /// Release rate, kg/s (continuous).
        #[serde(default)]
        #[schemars(extend("exclusiveMinimum" = 0.0), example = 5.0)]
        release_rate_kg_s: Option<f64>,
        /// Model of releases classed dense: `"slab"` (default) or `"britter-mcquaid"`.
        #[serde(default)]
        #[schemars(example = &"britter-mcquaid")]
        dense_model: DenseGasModel,
    },
    /// Vapour-cloud explosion: flammable mass and typed blast model ([`VceSpec`]).
    Vce(VceSpec),
}

/// `deserialize_with` of [`Outcome::spec`]: [`OutcomeSpec`] read tag-first
/// ([`super::tag_first`]: the `analytic` variant and its tables without serde's buffering).
pub(super) fn outcome_spec<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<OutcomeSpec, D::Error> {
    tag_first::tag_first(d)
}

/// The fields of [`OutcomeSpec::Analytic`] (same names, defaults and unknown-field rule), for its
/// tag-first reader. A field added to the variant must be added here: the reader builds the
/// variant with every field named (a compile error otherwise), and the tests read a fully
/// written `analytic` spec both ways.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyticFields {
    #[serde(default)]
    hazard: Hazard,
    #[serde(default)]
    footprint: Option<tag_first::FastShape>,
    #[serde(default)]
    indoor: Option<tag_first::FastShape>,
    #[serde(default)]
    by_weather: BTreeMap<String, tag_first::FastShape>,
}

impl<'de> tag_first::TagFirst<'de> for OutcomeSpec {
    const NAME: &'static str = "OutcomeSpec";
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &[
        "analytic",
        "toxic",
        "jet-fire",
        "pool-fire",
        "fireball",
        "flash-fire",
        "vce",
    ];
    fn fast<A: serde::de::MapAccess<'de>>(
        index: usize,
        rest: &mut tag_first::AfterTag<'_, A>,
    ) -> Option<std::result::Result<Self, A::Error>> {
        (index == 0).then(|| {
            AnalyticFields::deserialize(serde::de::value::MapAccessDeserializer::new(rest)).map(
                |f| {
                    let AnalyticFields {
                        hazard,
                        footprint,
                        indoor,
                        by_weather,
                    } = f;
                    OutcomeSpec::Analytic {
                        hazard,
                        footprint: footprint.map(|s| s.0),
                        indoor: indoor.map(|s| s.0),
                        by_weather: by_weather.into_iter().map(|(k, s)| (k, s.0)).collect(),
                    }
                },
            )
        })
    }
}

/// Example of `by_weather` (schema example): a 150 m lethal circle in weather class F1.5.
fn example_by_weather() -> serde_json::Value {
    serde_json::json!({ "F1.5": { "type": "circle", "radius_m": 150.0, "p": 1.0 } })
}

/// Axis of a jet-fire outcome.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum JetOrientation {
    /// Horizontal, aimed downwind (the footprint turns with the wind direction).
    #[default]
    Horizontal,
    /// Vertical, upwards from the release point (the footprint is radially symmetric).
    Vertical,
}

/// A vapour-cloud-explosion outcome, parsed into a typed blast model
/// ([`crate::explosion::VceModel`], valid by construction).
///
/// Study-file form (flat, beside `kind = "vce"`):
/// * `mass_kg` — flammable mass in the cloud, kg (default: between LFL and UFL in the plume of a
///   continuous release, or the airborne inventory);
/// * `model` — `"tnt"` (default: TNT equivalence with Kingery–Bulmash), `"multi-energy"` (TNO
///   multi-energy curves) or `"bst"` (Baker–Strehlow–Tang);
/// * multi-energy: `strength` 1–10 (required) and `confined_volume_m3` (E = V·3.5 MJ/m³);
/// * bst: `flame_mach` 0.2–5.2, or `reactivity` / `congestion` (`"low" | "medium" | "high"`) and
///   `confinement` (`"2D" | "2.5D" | "3D"`; 1-D not yet) for the flame-speed table of Pierorazio
///   et al. 2005 \[S\]; and `confined_volume_m3`.
///
/// An option the chosen model does not use is an error naming the field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "VceFields", into = "VceFields")]
pub struct VceSpec {
    /// Flammable mass in the cloud, kg.
    pub mass_kg: Option<f64>,
    /// Blast model and its parameters.
    pub model: VceModel,
}

/// The flat study-file fields of a VCE outcome (see [`VceSpec`]).
/// Also the blast fields of a congested region ([`super::CongestedRegion`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct VceFields {
    /// Flammable mass in the cloud, kg (default: between LFL and UFL in the plume of a
    /// continuous release, or the airborne inventory). Must be > 0.
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 1000.0)]
    pub(super) mass_kg: Option<f64>,
    /// Blast model: `"tnt"` (default), `"multi-energy"` or `"bst"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"multi-energy")]
    pub(super) model: Option<VceModelName>,
    /// TNO multi-energy strength class, 1–10 (required by and only used with `model =
    /// "multi-energy"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10), example = 7)]
    pub(super) strength: Option<u8>,
    /// Confined (congested) volume, m³: blast energy E = V·3.5 MJ/m³ (`multi-energy`, `bst`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 5000.0)]
    pub(super) confined_volume_m3: Option<f64>,
    /// BST flame Mach number, 0.2–5.2 (`bst`; or give the three classes instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.2, max = 5.2), example = 0.66)]
    pub(super) flame_mach: Option<f64>,
    /// BST fuel reactivity class: `"low"`, `"medium"` or `"high"` (`bst`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"medium")]
    pub(super) reactivity: Option<String>,
    /// BST congestion (obstacle density) class: `"low"`, `"medium"` or `"high"` (`bst`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"medium")]
    pub(super) congestion: Option<String>,
    /// BST confinement class: `"2D"`, `"2.5D"` or `"3D"` (`bst`; 1-D not yet supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2D")]
    pub(super) confinement: Option<String>,
}

/// Blast model names of the study file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(super) enum VceModelName {
    /// TNT equivalence with the Kingery–Bulmash curves.
    Tnt,
    /// TNO multi-energy curves.
    MultiEnergy,
    /// Baker–Strehlow–Tang curves.
    Bst,
}

/// `"<field>: <rule>"`, the form in which a parse error names its field (see
/// [`super::validate`], which turns it into a field path).
/// `fallback` names the field of errors that carry none (the 1-D confinement "not yet").
fn field_error_or(fallback: &str) -> impl Fn(QraError) -> String + '_ {
    move |e| match &e {
        QraError::InvalidInput { argument, .. } => format!("{argument}: {e}"),
        _ => format!("{fallback}: {e}"),
    }
}

fn field_error(e: QraError) -> String {
    field_error_or("model")(e)
}

impl TryFrom<VceFields> for VceSpec {
    type Error = String;

    fn try_from(f: VceFields) -> std::result::Result<VceSpec, String> {
        let VceFields {
            mass_kg,
            model,
            strength,
            confined_volume_m3,
            flame_mach,
            reactivity,
            congestion,
            confinement,
        } = f;
        if let Some(m) = mass_kg {
            check::positive("mass_kg", m).map_err(field_error)?;
        }
        let name = model.unwrap_or(VceModelName::Tnt);
        let used_by = |given: bool, field: &str, by: &str| -> std::result::Result<(), String> {
            if given {
                let n = match name {
                    VceModelName::Tnt => "tnt",
                    VceModelName::MultiEnergy => "multi-energy",
                    VceModelName::Bst => "bst",
                };
                return Err(format!(
                    "{field}: only used by {by} (this outcome uses model = '{n}')"
                ));
            }
            Ok(())
        };
        let bst_given = flame_mach.is_some()
            || reactivity.is_some()
            || congestion.is_some()
            || confinement.is_some();
        let bst_field = [
            ("flame_mach", flame_mach.is_some()),
            ("reactivity", reactivity.is_some()),
            ("congestion", congestion.is_some()),
            ("confinement", confinement.is_some()),
        ]
        .into_iter()
        .find(|(_, g)| *g)
        .map_or("flame_mach", |(n, _)| n);
        let model = match name {
            VceModelName::Tnt => {
                used_by(strength.is_some(), "strength", "model = 'multi-energy'")?;
                used_by(
                    confined_volume_m3.is_some(),
                    "confined_volume_m3",
                    "model = 'multi-energy' or 'bst'",
                )?;
                used_by(bst_given, bst_field, "model = 'bst'")?;
                VceModel::Tnt
            }
            VceModelName::MultiEnergy => {
                used_by(bst_given, bst_field, "model = 'bst'")?;
                let s = strength.ok_or(
                    "strength: missing: model = 'multi-energy' needs the TNO strength class (1-10)",
                )?;
                VceModel::multi_energy(s, confined_volume_m3).map_err(field_error)?
            }
            VceModelName::Bst => {
                used_by(strength.is_some(), "strength", "model = 'multi-energy'")?;
                // Every combination of flame_mach and the classes, with its field error.
                bst_flame_mach(
                    flame_mach,
                    reactivity.as_deref(),
                    congestion.as_deref(),
                    confinement.as_deref(),
                )
                .map_err(field_error_or("confinement"))?;
                let flame = match (flame_mach, &reactivity, &congestion, &confinement) {
                    (Some(m), ..) => BstFlame::Mach(m),
                    (None, Some(r), Some(cg), Some(cf)) => BstFlame::Classes {
                        reactivity: parse_reactivity(r).map_err(field_error)?,
                        congestion: parse_congestion(cg).map_err(field_error)?,
                        confinement: parse_confinement(cf).map_err(field_error)?,
                    },
                    _ => return Err("flame_mach: missing".into()),
                };
                VceModel::bst(flame, confined_volume_m3).map_err(field_error)?
            }
        };
        Ok(VceSpec { mass_kg, model })
    }
}

impl From<VceSpec> for VceFields {
    fn from(v: VceSpec) -> VceFields {
        let mut f = VceFields {
            mass_kg: v.mass_kg,
            ..Default::default()
        };
        match v.model {
            VceModel::Tnt => f.model = Some(VceModelName::Tnt),
            VceModel::MultiEnergy {
                strength,
                confined_volume_m3,
            } => {
                f.model = Some(VceModelName::MultiEnergy);
                f.strength = Some(strength);
                f.confined_volume_m3 = confined_volume_m3;
            }
            VceModel::Bst {
                flame,
                confined_volume_m3,
            } => {
                f.model = Some(VceModelName::Bst);
                f.confined_volume_m3 = confined_volume_m3;
                match flame {
                    BstFlame::Mach(m) => f.flame_mach = Some(m),
                    BstFlame::Classes {
                        reactivity,
                        congestion,
                        confinement,
                    } => {
                        f.reactivity = Some(reactivity.name().into());
                        f.congestion = Some(congestion.name().into());
                        f.confinement = Some(confinement.name().into());
                    }
                }
            }
        }
        f
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
            OutcomeSpec::Vce(_) => "vce",
        }
    }
}

/// One outcome of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    #[schemars(range(min = 0.0, max = 1.0), example = 0.6)]
    pub fraction: f64,
    /// Conditional probability given the event, overriding branch × fraction.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.3)]
    pub probability: Option<f64>,
    /// What the consequence model needs.
    #[serde(deserialize_with = "outcome_spec")]
    pub spec: OutcomeSpec,
}

/// The inventory of an installation: a mass, or a liquid volume with its fill level.
///
/// Study-file form: `inventory_kg`, **or** `volume_m3` with `fill_fraction` (exactly one of the
/// two forms; a field of the other form is an error naming it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Inventory {
    /// Mass of substance, kg (`inventory_kg`, ≥ 0).
    Mass {
        /// Inventory, kg.
        inventory_kg: f64,
    },
    /// Liquid held in a vessel: mass = `volume_m3` · `fill_fraction` · ρ_liquid(T), with ρ the
    /// saturated-liquid density of the substance at the installation's `temperature_k`
    /// ([`crate::substance::Substance::liquid_density_at_kg_m3`]). The vapour in the ullage is
    /// not counted (chlorine at 20 °C, 85 % full: ≈ 0.3 % of the liquid mass).
    Volume {
        /// Vessel (tank) volume, m³ (> 0).
        volume_m3: f64,
        /// Liquid volume / vessel volume, in (0, 1].
        fill_fraction: f64,
    },
}

/// One installation (unit, vessel, tank…) at a point, with its substance and inventory: a mass
/// (`inventory_kg`) or a liquid volume with its fill level (`volume_m3` + `fill_fraction`).
/// Its study-file form is [`InstallationFields`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "InstallationFields", into = "InstallationFields")]
pub struct Installation {
    /// Unique id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Position east, m.
    pub x_m: f64,
    /// Position north, m.
    pub y_m: f64,
    /// Substance name (built-in or user).
    pub substance: String,
    /// Inventory: a mass, or a volume and fill level ([`Installation::inventory_kg`] gives the
    /// mass).
    pub inventory: Inventory,
    /// Process pressure (absolute), Pa.
    pub pressure_pa: Option<f64>,
    /// Process temperature, K.
    pub temperature_k: Option<f64>,
    /// Phase in the installation.
    pub phase: Option<Phase>,
    /// Detection/isolation class ("AA" … "CC", see `models/loc_frequencies.toml`).
    pub detection_isolation: Option<String>,
    /// Facility (company) id from `[[facilities]]`; default: the installation is its own facility.
    pub facility: Option<String>,
    /// GB 36894-2018 status: `"new"` (新建、改建、扩建) or `"in-service"` (在役); default new
    /// ([`super::InstallationStatus`] says why). Read with [`Installation::status`].
    pub status: Option<super::InstallationStatus>,
    /// GB 18218-2018 unit (装置/设施 or 储存单元) from `[[units]]`; default: the installation is a
    /// unit of its own ([`crate::park::major_hazard::identify_units`]).
    pub unit: Option<String>,
}

/// The study-file form of an installation (`[[installations]]`): [`Installation`] with its
/// inventory given either as `inventory_kg` or as `volume_m3` + `fill_fraction`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [
    {
        "required": ["inventory_kg"],
        "not": {"anyOf": [{"required": ["volume_m3"]}, {"required": ["fill_fraction"]}]}
    },
    {"required": ["volume_m3", "fill_fraction"], "not": {"required": ["inventory_kg"]}}
]))]
pub struct InstallationFields {
    /// Unique id.
    #[schemars(example = &"cl2-tank-1")]
    pub id: String,
    /// Name.
    #[serde(default)]
    #[schemars(example = &"Chlorine storage tank T-101")]
    pub name: Option<String>,
    /// Position east, m (local frame).
    #[schemars(example = 120.0)]
    pub x_m: f64,
    /// Position north, m (local frame).
    #[schemars(example = -35.0)]
    pub y_m: f64,
    /// Substance name or alias (built-in `models/substances.toml`, or a user `[[substances]]`).
    #[schemars(example = &"chlorine")]
    pub substance: String,
    /// Inventory as a mass, kg (≥ 0). Give this **or** `volume_m3` with `fill_fraction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0), example = 50000.0)]
    pub inventory_kg: Option<f64>,
    /// Inventory as a liquid volume: the vessel's volume, m³ (> 0), with `fill_fraction`; the
    /// mass is volume · fill · liquid density at `temperature_k` (required then) from the
    /// substance database (Rackett equation, [`crate::substance::Substance::liquid_density_at_kg_m3`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 40.0)]
    pub volume_m3: Option<f64>,
    /// Fill level with `volume_m3`: liquid volume / vessel volume, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0.0), range(max = 1.0), example = 0.85)]
    pub fill_fraction: Option<f64>,
    /// Process pressure (absolute), Pa (> 0).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 680000.0)]
    pub pressure_pa: Option<f64>,
    /// Process (storage) temperature, K (> 0).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 293.15)]
    pub temperature_k: Option<f64>,
    /// Phase in the installation.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// Detection/isolation class ("AA" … "CC", see `models/loc_frequencies.toml`).
    #[serde(default)]
    #[schemars(example = &"BB")]
    pub detection_isolation: Option<String>,
    /// Facility (company) id from `[[facilities]]`; default: the installation is its own facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    /// GB 36894-2018 status: `"new"` (新建、改建、扩建) or `"in-service"` (在役); default new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<super::InstallationStatus>,
    /// GB 18218-2018 unit (装置/设施 or 储存单元) id from `[[units]]`; default: the installation
    /// is a unit of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl TryFrom<InstallationFields> for Installation {
    type Error = String;

    fn try_from(f: InstallationFields) -> std::result::Result<Installation, String> {
        let InstallationFields {
            id,
            name,
            x_m,
            y_m,
            substance,
            inventory_kg,
            volume_m3,
            fill_fraction,
            pressure_pa,
            temperature_k,
            phase,
            detection_isolation,
            facility,
            status,
            unit,
        } = f;
        let inventory = match (inventory_kg, volume_m3, fill_fraction) {
            (Some(inventory_kg), None, None) => Inventory::Mass { inventory_kg },
            (None, Some(volume_m3), Some(fill_fraction)) => Inventory::Volume {
                volume_m3,
                fill_fraction,
            },
            (Some(_), Some(_), _) => {
                return Err(
                    "volume_m3: give the inventory either as inventory_kg or as \
                            volume_m3 with fill_fraction, not both"
                        .into(),
                )
            }
            (Some(_), None, Some(_)) => {
                return Err(
                    "fill_fraction: only used with volume_m3 (this installation gives \
                            inventory_kg)"
                        .into(),
                )
            }
            (None, Some(_), None) => {
                return Err("fill_fraction: missing: volume_m3 needs the fill level \
                            (liquid volume / vessel volume, in (0, 1])"
                    .into())
            }
            (None, None, Some(_)) => {
                return Err("volume_m3: missing: fill_fraction needs the vessel volume".into())
            }
            (None, None, None) => {
                return Err(
                    "inventory_kg: missing: give inventory_kg, or volume_m3 with \
                            fill_fraction"
                        .into(),
                )
            }
        };
        Ok(Installation {
            id,
            name,
            x_m,
            y_m,
            substance,
            inventory,
            pressure_pa,
            temperature_k,
            phase,
            detection_isolation,
            facility,
            status,
            unit,
        })
    }
}

impl From<Installation> for InstallationFields {
    fn from(i: Installation) -> InstallationFields {
        let Installation {
            id,
            name,
            x_m,
            y_m,
            substance,
            inventory,
            pressure_pa,
            temperature_k,
            phase,
            detection_isolation,
            facility,
            status,
            unit,
        } = i;
        let (inventory_kg, volume_m3, fill_fraction) = match inventory {
            Inventory::Mass { inventory_kg } => (Some(inventory_kg), None, None),
            Inventory::Volume {
                volume_m3,
                fill_fraction,
            } => (None, Some(volume_m3), Some(fill_fraction)),
        };
        InstallationFields {
            id,
            name,
            x_m,
            y_m,
            substance,
            inventory_kg,
            volume_m3,
            fill_fraction,
            pressure_pa,
            temperature_k,
            phase,
            detection_isolation,
            facility,
            status,
            unit,
        }
    }
}

impl Installation {
    /// The inventory mass, kg: `inventory_kg`, or `volume_m3 · fill_fraction · ρ_liquid(T)` at
    /// the installation's `temperature_k` for a volume inventory ([`Inventory::Volume`]; `s` is
    /// the installation's substance).
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a volume inventory without `temperature_k`
    /// (`installations['<id>'].temperature_k`), or when the substance has no liquid density at
    /// that temperature ([`crate::substance::Substance::liquid_density_at_kg_m3`]).
    pub fn inventory_kg(&self, s: &crate::substance::Substance) -> crate::error::Result<f64> {
        match self.inventory {
            Inventory::Mass { inventory_kg } => Ok(inventory_kg),
            Inventory::Volume {
                volume_m3,
                fill_fraction,
            } => {
                let t = self.temperature_k.ok_or_else(|| {
                    QraError::invalid(
                        format!("installations['{}'].temperature_k", self.id),
                        "missing",
                        "a volume inventory (volume_m3, fill_fraction) needs the storage \
                         temperature for the liquid density",
                    )
                })?;
                let rho = s.liquid_density_at_kg_m3(t).map_err(|e| match e {
                    QraError::InvalidInput { argument, rule, .. }
                        if argument == "temperature_k" =>
                    {
                        QraError::invalid(
                            format!("installations['{}'].temperature_k", self.id),
                            t,
                            rule,
                        )
                    }
                    e => e,
                })?;
                Ok(volume_m3 * fill_fraction * rho)
            }
        }
    }

    /// The installation's GB 36894-2018 status (`status`, default new).
    pub fn status(&self) -> super::InstallationStatus {
        self.status.unwrap_or_default()
    }

    /// The id of the installation's facility (enterprise): its `facility`, else its own id (an
    /// installation without a facility is an enterprise of its own).
    pub fn facility_id(&self) -> &str {
        self.facility.as_deref().unwrap_or(&self.id)
    }
}

/// One loss-of-containment event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    #[schemars(range(min = 0.0), example = 5e-7)]
    pub frequency_per_year: Option<f64>,
    /// Generic frequency from `models/loc_frequencies.toml`.
    #[serde(default)]
    pub loc: Option<LocRef>,
    /// Release type (default from the LOC table, else "hole").
    #[serde(default)]
    pub release: Option<ReleaseKind>,
    /// Hole diameter, mm.
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 25.0)]
    pub hole_diameter_mm: Option<f64>,
    /// Release duration, s (default from the release type and the installation's detection /
    /// isolation class).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 600.0)]
    pub duration_s: Option<f64>,
    /// Event tree.
    #[serde(default)]
    pub event_tree: EventTree,
    /// Outcomes.
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
}
