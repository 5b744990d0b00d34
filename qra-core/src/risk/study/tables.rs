//! The built-in data tables of the study: generic LOC frequencies and immediate-ignition
//! probabilities (`models/loc_frequencies.toml`, `models/ignition.toml`, both \[M\]).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::event::ReleaseKind;
use crate::error::{QraError, Result};

/// The text of the built-in generic LOC frequency table (`models/loc_frequencies.toml`, \[M\]).
pub const LOC_TABLE_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/loc_frequencies.toml"
));

/// The text of the built-in ignition table (`models/ignition.toml`, \[M\]).
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
    /// Source of this equipment's frequencies where it is not the table's own `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Verification tag of `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<String>,
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

impl IgnitionCategory {
    /// Whether the three bands hold the same probability (K1, K2/K3 liquids): the release rate
    /// or mass then need not be known.
    pub fn band_independent(&self) -> bool {
        self.immediate.iter().all(|&p| p == self.immediate[0])
    }
}

/// One type of delayed-ignition source of `models/ignition.toml` (Purple Book §4.5 \[M\]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnitionSourceType {
    /// Id (e.g. "motor-vehicle").
    pub id: String,
    /// Probability of ignition within one minute of one present source.
    pub p_1min: f64,
    /// What one source is ("vehicle", "person", "100 m of line", …).
    pub per: String,
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
    /// Delayed-ignition source types (p_1min values for `[[ignition.sources]]`).
    #[serde(default)]
    pub source_type: Vec<IgnitionSourceType>,
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

    /// The delayed-ignition source type `id`.
    ///
    /// # Errors
    /// [`QraError::UnknownName`] for an unknown type.
    pub fn source_type(&self, id: &str) -> Result<&IgnitionSourceType> {
        self.source_type.iter().find(|c| c.id == id).ok_or_else(|| {
            QraError::unknown(
                "ignition source type",
                id,
                self.source_type.iter().map(|c| c.id.as_str()),
            )
        })
    }

    /// The category `id`.
    ///
    /// # Errors
    /// [`QraError::UnknownName`] for an unknown category.
    pub fn category(&self, id: &str) -> Result<&IgnitionCategory> {
        self.category.iter().find(|c| c.id == id).ok_or_else(|| {
            QraError::unknown(
                "ignition category",
                id,
                self.category.iter().map(|c| c.id.as_str()),
            )
        })
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
        let c = self.category(category)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Pump leak frequency (issue 16): the `pump` entry carries the later Bevi value,
    /// 4.4·10⁻³ per year (RIVM 2009, Reference Manual Bevi Risk Assessments v3.2, Module C,
    /// pumps without additional provisions \[M\]), labelled as such; the 1999 Purple Book value,
    /// 5·10⁻⁴ per year (CPR 18E ch. 3, pumps without additional provisions \[M\]), is
    /// `pump-cpr18e-1999`. Both: catastrophic failure 1·10⁻⁴ per year.
    #[test]
    fn pump_leak_frequencies_carry_their_editions() {
        let t = LocTable::builtin().unwrap();
        let (pump, leak) = t.scenario("pump", "leak").unwrap();
        assert_eq!(leak.frequency, 4.4e-3);
        assert!(pump.source.as_deref().unwrap().contains("Bevi"));
        assert_eq!(
            t.scenario("pump", "catastrophic").unwrap().1.frequency,
            1e-4
        );
        let (pb, leak) = t.scenario("pump-cpr18e-1999", "leak").unwrap();
        assert_eq!(leak.frequency, 5e-4);
        assert!(pb.source.as_deref().unwrap().contains("CPR 18E"));
        assert_eq!(
            t.scenario("pump-cpr18e-1999", "catastrophic")
                .unwrap()
                .1
                .frequency,
            1e-4
        );
    }

    /// Immediate-ignition table cited as CPR 18E (1999) Table 4.5 (issue 16: qra cited "4.6").
    #[test]
    fn ignition_table_cites_table_4_5() {
        let t = IgnitionTable::builtin().unwrap();
        assert!(t.source.contains("Table 4.5"), "{}", t.source);
        assert!(!t.source.contains("Table 4.6"), "{}", t.source);
    }
}
