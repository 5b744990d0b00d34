//! Installations and their loss-of-containment events: phases, release kinds, LOC references,
//! event trees and outcome specs.
//!
//! Typed values only: every choice is an enum with serde tags, so a parsed outcome cannot name a
//! model or an orientation the engine does not know.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dispersion::DenseGasModel;
use crate::error::{check, QraError};
use crate::explosion::bst_flame_speed::{parse_confinement, parse_congestion, parse_reactivity};
use crate::explosion::{bst_flame_mach, BstFlame, VceModel};
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
        /// Model of releases classed dense: `"britter-mcquaid"` (default, the workbook) or
        /// `"slab"` (the SLAB-class integral model, opt-in until validated for chlorine; see
        /// [`DenseGasModel`]).
        #[serde(default)]
        dense_model: DenseGasModel,
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
        /// Model of releases classed dense: `"slab"` (default) or `"britter-mcquaid"`.
        #[serde(default)]
        dense_model: DenseGasModel,
    },
    /// Vapour-cloud explosion: flammable mass and typed blast model ([`VceSpec`]).
    Vce(VceSpec),
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
///   et al. 2005 [S]; and `confined_volume_m3`.
///
/// An option the chosen model does not use is an error naming the field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "VceFields", into = "VceFields")]
pub struct VceSpec {
    /// Flammable mass in the cloud, kg.
    pub mass_kg: Option<f64>,
    /// Blast model and its parameters.
    pub model: VceModel,
}

/// The flat study-file fields of a VCE outcome (see [`VceSpec`]).
/// Also the blast fields of a congested region ([`super::CongestedRegion`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VceFields {
    #[serde(default)]
    pub(super) mass_kg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) model: Option<VceModelName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) strength: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) confined_volume_m3: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) flame_mach: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) reactivity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) congestion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) confinement: Option<String>,
}

/// Blast model names of the study file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum VceModelName {
    Tnt,
    MultiEnergy,
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
    /// GB 36894-2018 status: `"new"` (新建、改建、扩建) or `"in-service"` (在役); default new
    /// ([`super::InstallationStatus`] says why). Read with [`Installation::status`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<super::InstallationStatus>,
    /// GB 18218-2018 unit (装置/设施 or 储存单元) from `[[units]]`; default: the installation is a
    /// unit of its own ([`crate::park::major_hazard::identify_units`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl Installation {
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
