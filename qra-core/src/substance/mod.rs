//! Substance data: the built-in database (`models/substances.toml`) and user-defined substances.
//!
//! The database holds, for each hazardous chemical met in Chinese QRA studies, the properties the
//! consequence models need, in SI units, each with its source and a verification tag
//! (`V` read in the primary text, `S` secondary source citing it, `M` recalled, **not re-verified**).
//! Thermophysical properties were generated once from the `thermo`/`chemicals` packages by
//! `tools/gen_substances.py`; toxic, regulatory and fire values come from the literature named in
//! each entry.
//!
//! ```
//! use qra_core::substance::SubstanceDb;
//! let db = SubstanceDb::builtin().unwrap();
//! let cl2 = db.get("Cl2").unwrap();
//! assert_eq!(cl2.name, "chlorine");
//! assert!((cl2.molar_mass_kg_mol().unwrap() - 0.0709).abs() < 1e-3);
//! // Unknown names list close matches:
//! let err = db.get("chlorin").unwrap_err().to_string();
//! assert!(err.contains("did you mean: chlorine"));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, QraError, Result};

/// Z_RA = A − B·ω of the Rackett equation (Yamada & Gunn 1973, *J. Chem. Eng. Data* 18(2)
/// 234–236 [M: recalled]): A = 0.29056.
pub const RACKETT_ZRA_A: f64 = 0.290_56;
/// B of Z_RA = A − B·ω (Yamada & Gunn 1973 [M: recalled]): B = 0.08775.
pub const RACKETT_ZRA_B: f64 = 0.087_75;

/// Physical state at 25 °C and 1 atm, as QRA source-term models need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PhysicalState {
    /// Permanent or cryogenic gas (stored compressed or refrigerated).
    Gas,
    /// Gas at ambient conditions, normally stored liquefied under pressure.
    Liquefied,
    /// Liquid at ambient conditions.
    Liquid,
    /// Solid (e.g. ammonium nitrate, sodium cyanide).
    Solid,
}

impl fmt::Display for PhysicalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PhysicalState::Gas => "gas",
            PhysicalState::Liquefied => "liquefied gas",
            PhysicalState::Liquid => "liquid",
            PhysicalState::Solid => "solid",
        })
    }
}

/// Antoine vapour-pressure correlation, log10(p / Pa) = A − B / (T / K + C).
///
/// Coefficients were least-squares fitted to the `thermo` vapour-pressure model over
/// `[t_min_k, t_max_k]`; `max_rel_error` is the largest relative deviation of the fit there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Antoine {
    /// A (dimensionless, p in Pa).
    pub a: f64,
    /// B, K.
    pub b: f64,
    /// C, K.
    pub c: f64,
    /// Lower end of the validity range, K.
    pub t_min_k: f64,
    /// Upper end of the validity range, K.
    pub t_max_k: f64,
    /// Largest relative error of the fit over its range (informative).
    #[serde(default)]
    pub max_rel_error: Option<f64>,
}

impl Antoine {
    /// Vapour pressure in Pa at `temperature_k`; an error outside the fitted range (no silent
    /// extrapolation).
    pub fn pressure_pa(&self, temperature_k: f64) -> Result<f64> {
        crate::error::check::in_range("temperature_k", temperature_k, self.t_min_k, self.t_max_k)?;
        Ok(10f64.powf(self.a - self.b / (temperature_k + self.c)))
    }
}

/// Unit of concentration in a toxic probit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ConcentrationUnit {
    /// mg/m³.
    #[serde(rename = "mg/m3")]
    MgPerM3,
    /// Parts per million by volume.
    #[serde(rename = "ppm")]
    Ppm,
}

/// Unit of time in a toxic probit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum TimeUnit {
    /// Minutes.
    #[serde(rename = "min")]
    Minute,
    /// Seconds.
    #[serde(rename = "s")]
    Second,
}

/// Toxic probit Pr = a + b·ln(Cⁿ·t) with its units and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToxicProbit {
    /// Name of the constant set ("purple-book", "eisenberg", …).
    pub set: String,
    /// a (dimensionless).
    pub a: f64,
    /// b (dimensionless).
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub b: f64,
    /// n (dimensionless).
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub n: f64,
    /// Unit of C.
    pub concentration_unit: ConcentrationUnit,
    /// Unit of t.
    pub time_unit: TimeUnit,
    /// Citation.
    pub source: String,
    /// Verification tag V / S / M.
    pub verification: String,
}

/// Emergency-planning concentration thresholds, ppm by volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// NIOSH IDLH, ppm.
    pub idlh_ppm: Option<f64>,
    /// AIHA ERPG-2, ppm.
    pub erpg2_ppm: Option<f64>,
    /// AIHA ERPG-3, ppm.
    pub erpg3_ppm: Option<f64>,
    /// Citation.
    pub source: Option<String>,
    /// Verification tag.
    pub verification: Option<String>,
}

/// GB 18218-2018 major-hazard identification data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gb18218 {
    /// Critical quantity Q, tonnes (the standard's unit; converted at the edge).
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub critical_quantity_t: f64,
    /// "named" (GB 18218 Table 1 entry) or the Table 2 category (J1…J5, W1.1…W11).
    pub category: String,
    /// Correction factor β (Tables 3–4).
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub beta: f64,
    /// Citation.
    pub source: String,
    /// Verification tag.
    pub verification: String,
}

/// One substance with the properties the models need (SI units; `None` where not applicable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Substance {
    /// Canonical English name (lower case).
    pub name: String,
    /// Chinese name used in Chinese standards and reports.
    #[serde(default)]
    pub name_zh: Option<String>,
    /// Other accepted names (formula, abbreviations, Chinese trade names).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// State at 25 °C, 1 atm.
    pub state: PhysicalState,
    /// Whether fire/explosion outcomes apply.
    pub flammable: bool,
    /// Whether toxic outcomes apply.
    pub toxic: bool,
    /// Remarks (pseudo-component choice, caveats).
    #[serde(default)]
    pub note: Option<String>,
    /// CAS registry number.
    #[serde(default)]
    pub cas: Option<String>,
    /// Chemical formula.
    #[serde(default)]
    pub formula: Option<String>,
    /// Molar mass, kg/mol.
    #[serde(default)]
    pub molar_mass_kg_mol: Option<f64>,
    /// Normal boiling point, K.
    #[serde(default)]
    pub normal_boiling_point_k: Option<f64>,
    /// Melting point, K.
    #[serde(default)]
    pub melting_point_k: Option<f64>,
    /// Critical temperature, K.
    #[serde(default)]
    pub critical_temperature_k: Option<f64>,
    /// Critical pressure, Pa.
    #[serde(default)]
    pub critical_pressure_pa: Option<f64>,
    /// Pitzer acentric factor ω (dimensionless).
    #[serde(default)]
    pub acentric_factor: Option<f64>,
    /// Liquid density, kg/m³, at `liquid_density_temperature_k`.
    #[serde(default)]
    pub liquid_density_kg_m3: Option<f64>,
    /// Temperature of the liquid density (min(25 °C, T_b)), K.
    #[serde(default)]
    pub liquid_density_temperature_k: Option<f64>,
    /// Latent heat of vaporisation at the normal boiling point, J/kg.
    #[serde(default)]
    pub heat_of_vaporisation_j_kg: Option<f64>,
    /// Liquid heat capacity at `liquid_density_temperature_k`, J/(kg·K).
    #[serde(default)]
    pub cp_liquid_j_kg_k: Option<f64>,
    /// Ideal-gas heat capacity at 298.15 K, J/(kg·K).
    #[serde(default)]
    pub cp_gas_j_kg_k: Option<f64>,
    /// Ideal-gas heat-capacity ratio γ = cp/cv at 298.15 K.
    #[serde(default)]
    pub heat_capacity_ratio: Option<f64>,
    /// Vapour-pressure correlation.
    #[serde(default)]
    pub vapour_pressure: Option<Antoine>,
    /// Lower heat of combustion, J/kg.
    #[serde(default)]
    pub heat_of_combustion_j_kg: Option<f64>,
    /// Lower flammability limit, volume fraction.
    #[serde(default)]
    pub lfl_vol_frac: Option<f64>,
    /// Upper flammability limit, volume fraction.
    #[serde(default)]
    pub ufl_vol_frac: Option<f64>,
    /// Large-pool mass burning rate m''∞, kg/(m²·s).
    #[serde(default)]
    pub burning_rate_kg_m2_s: Option<f64>,
    /// TNT equivalence (mass of TNT per mass of substance) for condensed explosives.
    #[serde(default)]
    pub tnt_equivalence: Option<f64>,
    /// Emergency thresholds.
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
    /// GB 18218 data.
    #[serde(default)]
    pub gb18218: Option<Gb18218>,
    /// Sources of the property groups ("properties", "burning_rate", …).
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// Toxic probits, preferred set first.
    #[serde(default)]
    pub toxic_probit: Vec<ToxicProbit>,
}

macro_rules! required {
    ($($(#[$m:meta])* $fn:ident => $field:ident),* $(,)?) => {
        $(
            $(#[$m])*
            pub fn $fn(&self) -> Result<f64> {
                self.$field.ok_or_else(|| self.missing(stringify!($field)))
            }
        )*
    };
}

impl Substance {
    /// Parses one substance from a TOML table (the same keys as `models/substances.toml`) and
    /// validates it.
    pub fn from_toml_str(text: &str) -> Result<Substance> {
        let s: Substance = toml::from_str(text).map_err(|e| toml_error("substance", text, &e))?;
        s.validated()
    }

    /// Parses one substance from JSON and validates it.
    pub fn from_json_str(text: &str) -> Result<Substance> {
        let s: Substance = serde_json::from_str(text).map_err(|e| QraError::InvalidDocument {
            source_name: "substance".into(),
            problems: vec![FieldError {
                path: "substance".into(),
                line: Some(e.line()),
                message: e.to_string(),
            }],
        })?;
        s.validated()
    }

    /// JSON form (the serde representation used for pickling and study files).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn validated(self) -> Result<Substance> {
        let problems = self.validate("substance");
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(QraError::InvalidDocument {
                source_name: format!("substance '{}'", self.name),
                problems,
            })
        }
    }

    /// Checks every value for physical sense; returns all problems found (empty when valid).
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        let mut p = Vec::new();
        let mut bad = |field: &str, msg: String| {
            p.push(FieldError {
                path: format!("{path}.{field}"),
                line: None,
                message: msg,
            })
        };
        if self.name.trim().is_empty() {
            bad("name", "must not be empty".into());
        }
        let pos = [
            ("molar_mass_kg_mol", self.molar_mass_kg_mol, 1e-3, 10.0),
            (
                "normal_boiling_point_k",
                self.normal_boiling_point_k,
                1.0,
                5000.0,
            ),
            ("melting_point_k", self.melting_point_k, 1.0, 5000.0),
            (
                "critical_temperature_k",
                self.critical_temperature_k,
                1.0,
                10000.0,
            ),
            ("critical_pressure_pa", self.critical_pressure_pa, 1e4, 1e9),
            ("acentric_factor", self.acentric_factor, -1.0, 2.0),
            (
                "liquid_density_kg_m3",
                self.liquid_density_kg_m3,
                10.0,
                25000.0,
            ),
            (
                "liquid_density_temperature_k",
                self.liquid_density_temperature_k,
                1.0,
                5000.0,
            ),
            (
                "heat_of_vaporisation_j_kg",
                self.heat_of_vaporisation_j_kg,
                1e3,
                1e8,
            ),
            ("cp_liquid_j_kg_k", self.cp_liquid_j_kg_k, 10.0, 1e5),
            ("cp_gas_j_kg_k", self.cp_gas_j_kg_k, 10.0, 1e5),
            (
                "heat_capacity_ratio",
                self.heat_capacity_ratio,
                1.0 + 1e-9,
                1.7,
            ),
            (
                "heat_of_combustion_j_kg",
                self.heat_of_combustion_j_kg,
                1e5,
                2e8,
            ),
            ("lfl_vol_frac", self.lfl_vol_frac, 1e-4, 1.0),
            ("ufl_vol_frac", self.ufl_vol_frac, 1e-4, 1.0),
            ("burning_rate_kg_m2_s", self.burning_rate_kg_m2_s, 1e-4, 1.0),
            ("tnt_equivalence", self.tnt_equivalence, 1e-3, 10.0),
        ];
        for (field, v, lo, hi) in pos {
            if let Some(v) = v {
                if !v.is_finite() || v < lo || v > hi {
                    bad(
                        field,
                        format!("{v} is outside the physical range [{lo}, {hi}]"),
                    );
                }
            }
        }
        if let (Some(l), Some(u)) = (self.lfl_vol_frac, self.ufl_vol_frac) {
            if l >= u {
                bad("lfl_vol_frac", format!("LFL {l} must be below UFL {u}"));
            }
        }
        if let (Some(tb), Some(tc)) = (self.normal_boiling_point_k, self.critical_temperature_k) {
            if tb >= tc {
                bad(
                    "normal_boiling_point_k",
                    format!("{tb} K must be below the critical temperature {tc} K"),
                );
            }
        }
        if let Some(a) = &self.vapour_pressure {
            if ![a.a, a.b, a.c, a.t_min_k, a.t_max_k]
                .iter()
                .all(|v| v.is_finite())
                || a.t_min_k >= a.t_max_k
            {
                bad(
                    "vapour_pressure",
                    "coefficients must be finite and t_min_k < t_max_k".into(),
                );
            } else if a.t_min_k + a.c <= 0.0 {
                bad(
                    "vapour_pressure.c",
                    "T + C must stay > 0 over the range".into(),
                );
            }
        }
        if self.flammable && self.state != PhysicalState::Solid {
            for (f, v) in [
                ("heat_of_combustion_j_kg", self.heat_of_combustion_j_kg),
                ("lfl_vol_frac", self.lfl_vol_frac),
            ] {
                if v.is_none() {
                    bad(f, "required for a flammable gas or liquid".into());
                }
            }
        }
        for (i, pr) in self.toxic_probit.iter().enumerate() {
            if !(pr.a.is_finite()
                && pr.b.is_finite()
                && pr.b > 0.0
                && pr.n.is_finite()
                && pr.n > 0.0)
            {
                bad(
                    &format!("toxic_probit[{i}]"),
                    "a must be finite, b and n finite and > 0".into(),
                );
            }
        }
        if let Some(g) = &self.gb18218 {
            if !(g.critical_quantity_t.is_finite() && g.critical_quantity_t > 0.0) {
                bad("gb18218.critical_quantity_t", "must be > 0".into());
            }
            if !(g.beta.is_finite() && g.beta > 0.0) {
                bad("gb18218.beta", "must be > 0".into());
            }
        }
        p
    }

    fn missing(&self, field: &str) -> QraError {
        QraError::invalid(
            format!("substance '{}'.{field}", self.name),
            "missing",
            "this model needs it; add it in a user substance definition",
        )
    }

    required! {
        /// Molar mass, kg/mol (error if the entry has none).
        molar_mass_kg_mol => molar_mass_kg_mol,
        /// Normal boiling point, K.
        normal_boiling_point_k => normal_boiling_point_k,
        /// Liquid density, kg/m³.
        liquid_density_kg_m3 => liquid_density_kg_m3,
        /// Heat of vaporisation at T_b, J/kg.
        heat_of_vaporisation_j_kg => heat_of_vaporisation_j_kg,
        /// Liquid heat capacity, J/(kg·K).
        cp_liquid_j_kg_k => cp_liquid_j_kg_k,
        /// Ideal-gas heat capacity, J/(kg·K).
        cp_gas_j_kg_k => cp_gas_j_kg_k,
        /// Heat-capacity ratio γ.
        heat_capacity_ratio => heat_capacity_ratio,
        /// Lower heat of combustion, J/kg.
        heat_of_combustion_j_kg => heat_of_combustion_j_kg,
        /// LFL, volume fraction.
        lfl_vol_frac => lfl_vol_frac,
        /// UFL, volume fraction.
        ufl_vol_frac => ufl_vol_frac,
        /// Large-pool burning rate, kg/(m²·s).
        burning_rate_kg_m2_s => burning_rate_kg_m2_s,
        /// Critical temperature, K.
        critical_temperature_k => critical_temperature_k,
        /// Critical pressure, Pa.
        critical_pressure_pa => critical_pressure_pa,
    }

    /// Saturated-liquid density at `temperature_k`, kg/m³, from the database's one density point
    /// (ρ_ref at T_ref = `liquid_density_temperature_k`) by the Rackett equation in the
    /// Yamada–Gunn form with a reference point:
    ///
    /// V(T) = V_ref · Z_RA^φ,  φ = (1 − T_r)^{2/7} − (1 − T_r,ref)^{2/7},  T_r = T/T_c,
    /// Z_RA = 0.29056 − 0.08775·ω,  so ρ(T) = ρ_ref · Z_RA^{−φ}
    ///
    /// (Rackett H.G. 1970, "Equation of state for saturated liquids", *J. Chem. Eng. Data* 15(4)
    /// 514–517; Yamada T. & Gunn R.D. 1973, "Saturated liquid molar volumes. The Rackett
    /// equation", *J. Chem. Eng. Data* 18(2) 234–236 — Z_RA from ω and the reference-point form;
    /// as given in Poling, Prausnitz & O'Connell 2001, *The Properties of Gases and Liquids*, 5th
    /// ed., §4-11 [M: equation numbers and coefficients recalled, not re-read]). Typical error a
    /// few per cent for non-polar and slightly polar liquids (Poling et al. §4-11 \[M\]); less near
    /// T_ref, where ρ(T_ref) = ρ_ref exactly.
    ///
    /// # Validity
    /// Saturated liquid, melting point (when known) ≤ T < T_c; compressed-liquid corrections are
    /// neglected (< 1 % below ~50 bar far from T_c \[M\]).
    ///
    /// # Units
    /// `temperature_k` K; result kg/m³.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] naming the missing property (density, its temperature, T_c,
    /// ω), or `temperature_k` outside [T_melt, T_c).
    pub fn liquid_density_at_kg_m3(&self, temperature_k: f64) -> Result<f64> {
        let rho_ref = self.liquid_density_kg_m3()?;
        let t_ref = self
            .liquid_density_temperature_k
            .ok_or_else(|| self.missing("liquid_density_temperature_k"))?;
        let tc = self.critical_temperature_k()?;
        let omega = self
            .acentric_factor
            .ok_or_else(|| self.missing("acentric_factor"))?;
        let t_min = self.melting_point_k.unwrap_or(0.0);
        if !(temperature_k.is_finite() && temperature_k >= t_min && temperature_k < tc) {
            return Err(QraError::invalid(
                "temperature_k",
                temperature_k,
                format!(
                    "the liquid density of {} needs a liquid: melting point {t_min} K <= T <                      critical temperature {tc} K",
                    self.name
                ),
            ));
        }
        let z_ra = RACKETT_ZRA_A - RACKETT_ZRA_B * omega;
        let phi = (1.0 - temperature_k / tc).powf(2.0 / 7.0) - (1.0 - t_ref / tc).powf(2.0 / 7.0);
        Ok(rho_ref * z_ra.powf(-phi))
    }

    /// Saturated vapour pressure, Pa, at `temperature_k` (Antoine fit; error outside its range or
    /// if the substance has none).
    pub fn vapour_pressure_pa(&self, temperature_k: f64) -> Result<f64> {
        self.vapour_pressure
            .as_ref()
            .ok_or_else(|| self.missing("vapour_pressure"))?
            .pressure_pa(temperature_k)
    }

    /// The toxic probit of the named set, or the preferred (first) one when `set` is `None`.
    pub fn toxic_probit(&self, set: Option<&str>) -> Result<&ToxicProbit> {
        match set {
            None => self
                .toxic_probit
                .first()
                .ok_or_else(|| self.missing("toxic_probit")),
            Some(s) => self
                .toxic_probit
                .iter()
                .find(|p| p.set == s)
                .ok_or_else(|| {
                    QraError::unknown(
                        &format!("toxic probit set for '{}'", self.name),
                        s,
                        self.toxic_probit.iter().map(|p| p.set.as_str()),
                    )
                }),
        }
    }

    /// All names this substance answers to (canonical, Chinese, aliases).
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.name_zh.as_deref())
            .chain(self.aliases.iter().map(String::as_str))
    }
}

impl fmt::Display for Substance {
    /// A readable property sheet with units and sources.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if let Some(zh) = &self.name_zh {
            write!(f, " ({zh})")?;
        }
        if let Some(c) = &self.cas {
            write!(f, ", CAS {c}")?;
        }
        if let Some(fm) = &self.formula {
            write!(f, ", {fm}")?;
        }
        let mut hz = vec![];
        if self.flammable {
            hz.push("flammable");
        }
        if self.toxic {
            hz.push("toxic");
        }
        if self.tnt_equivalence.is_some() {
            hz.push("explosive");
        }
        writeln!(f, " — {}; {}", self.state, hz.join(", "))?;
        if let Some(n) = &self.note {
            writeln!(f, "  note: {n}")?;
        }
        let rows: [(&str, Option<f64>, &str); 19] = [
            ("molar mass", self.molar_mass_kg_mol, "kg/mol"),
            ("normal boiling point", self.normal_boiling_point_k, "K"),
            ("melting point", self.melting_point_k, "K"),
            ("critical temperature", self.critical_temperature_k, "K"),
            ("critical pressure", self.critical_pressure_pa, "Pa"),
            ("acentric factor", self.acentric_factor, "-"),
            ("liquid density", self.liquid_density_kg_m3, "kg/m3"),
            ("  at temperature", self.liquid_density_temperature_k, "K"),
            (
                "heat of vaporisation (T_b)",
                self.heat_of_vaporisation_j_kg,
                "J/kg",
            ),
            ("cp liquid", self.cp_liquid_j_kg_k, "J/(kg K)"),
            ("cp ideal gas (298 K)", self.cp_gas_j_kg_k, "J/(kg K)"),
            ("cp/cv ideal gas", self.heat_capacity_ratio, "-"),
            (
                "heat of combustion (lower)",
                self.heat_of_combustion_j_kg,
                "J/kg",
            ),
            ("LFL", self.lfl_vol_frac, "vol frac"),
            ("UFL", self.ufl_vol_frac, "vol frac"),
            ("pool burning rate", self.burning_rate_kg_m2_s, "kg/(m2 s)"),
            ("TNT equivalence", self.tnt_equivalence, "kg TNT/kg"),
            (
                "vapour pressure at 293.15 K",
                self.vapour_pressure
                    .and_then(|a| a.pressure_pa(293.15).ok()),
                "Pa",
            ),
            (
                "GB 18218 critical quantity",
                self.gb18218.as_ref().map(|g| g.critical_quantity_t),
                "t",
            ),
        ];
        for (label, v, unit) in rows {
            if let Some(v) = v {
                writeln!(f, "  {label:<28} {v:>14.6} {unit}")?;
            }
        }
        if let Some(g) = &self.gb18218 {
            writeln!(
                f,
                "  {:<28} {:>14} (beta = {})",
                "GB 18218 category", g.category, g.beta
            )?;
        }
        if let Some(t) = &self.thresholds {
            for (label, v) in [
                ("IDLH", t.idlh_ppm),
                ("ERPG-2", t.erpg2_ppm),
                ("ERPG-3", t.erpg3_ppm),
            ] {
                if let Some(v) = v {
                    writeln!(f, "  {label:<28} {v:>14.6} ppm")?;
                }
            }
        }
        for p in &self.toxic_probit {
            let cu = match p.concentration_unit {
                ConcentrationUnit::MgPerM3 => "mg/m3",
                ConcentrationUnit::Ppm => "ppm",
            };
            let tu = match p.time_unit {
                TimeUnit::Minute => "min",
                TimeUnit::Second => "s",
            };
            writeln!(
                f,
                "  toxic probit [{}]: Pr = {} + {} ln(C^{} t), C in {cu}, t in {tu}",
                p.set, p.a, p.b, p.n
            )?;
        }
        writeln!(f, "  sources:")?;
        for (k, v) in &self.sources {
            writeln!(f, "    {k}: {v}")?;
        }
        if let Some(g) = &self.gb18218 {
            writeln!(f, "    gb18218: {} [{}]", g.source, g.verification)?;
        }
        if let Some(t) = &self.thresholds {
            if let Some(s) = &t.source {
                writeln!(
                    f,
                    "    thresholds: {s} [{}]",
                    t.verification.as_deref().unwrap_or("?")
                )?;
            }
        }
        for p in &self.toxic_probit {
            writeln!(
                f,
                "    toxic probit {}: {} [{}]",
                p.set, p.source, p.verification
            )?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DbFile {
    schema: String,
    #[serde(default)]
    substance: Vec<Substance>,
}

/// A set of substances searchable by name, Chinese name or alias (case-insensitive).
#[derive(Debug, Clone, PartialEq)]
pub struct SubstanceDb {
    substances: Vec<Substance>,
    /// Every name, Chinese name and alias, lower-cased, to its substance's index (built by
    /// [`SubstanceDb::new`], which rejects a name used twice): [`SubstanceDb::get`] is one
    /// lookup, not a pass over every name (it is called once per scenario context).
    by_name: BTreeMap<String, usize>,
}

/// The schema tag of substance files.
pub const SUBSTANCE_SCHEMA: &str = "qra-substances/1";

const BUILTIN_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/substances.toml"
));

pub(crate) fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A TOML error (syntax, or a value refused while deserialising) as a field problem: the path
/// and the value as written are read from the line the error points at ([`toml_path_at`]), so the
/// problem names the field, the value and the rule (the parser's message) rather than only the
/// line (issue 21).
pub(crate) fn toml_error(source_name: &str, text: &str, e: &toml::de::Error) -> QraError {
    let line = e.span().map(|s| line_of(text, s.start));
    let (path, message) = match line.and_then(|l| toml_path_at(text, l)) {
        Some((path, value)) => (path, format!("`{value}`: {}", e.message())),
        None => (source_name.to_string(), e.message().to_string()),
    };
    QraError::InvalidDocument {
        source_name: source_name.to_string(),
        problems: vec![FieldError {
            path,
            line,
            message,
        }],
    }
}

/// Longest value text quoted in a TOML error, characters.
const MAX_QUOTED_CHARS: usize = 60;

/// The field path of TOML `text` at 1-based `line`, and the text written there: a `key = value`
/// line gives `table.key` and `value`; a table header gives the table and the header; any other
/// line (inside a multi-line array or string) the last key of its table. Arrays of tables are
/// numbered as serde numbers them (`events[2]`, `events[2].outcomes[0]`, counted per parent).
///
/// A line scanner, not a parser: it is used only to name the place of an error the `toml` crate
/// found (which reports a byte span, not a path); keys of inline tables are not followed (the
/// path is that of the key holding the inline table). `None` if the line holds neither.
pub(crate) fn toml_path_at(text: &str, line: usize) -> Option<(String, String)> {
    use std::collections::HashMap;
    fn segments(dotted: &str) -> Vec<String> {
        dotted
            .split('.')
            .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
            .collect()
    }
    // `a.b.c` with every array of tables already seen followed to its last element
    fn resolve(segs: &[String], arrays: &HashMap<String, usize>) -> String {
        let mut p = String::new();
        for s in segs {
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(s);
            if let Some(n) = arrays.get(&p) {
                p = format!("{p}[{}]", n.saturating_sub(1));
            }
        }
        p
    }
    fn quoted(v: &str) -> String {
        let v = v.trim();
        if v.chars().count() > MAX_QUOTED_CHARS {
            format!("{}…", v.chars().take(MAX_QUOTED_CHARS).collect::<String>())
        } else {
            v.to_string()
        }
    }
    let join = |table: &str, key: &str| {
        if table.is_empty() {
            key.to_string()
        } else {
            format!("{table}.{key}")
        }
    };
    // brackets opened and not closed outside strings (a multi-line array or inline table), and
    // whether a multi-line string is open, after `l`
    fn open_after(l: &str, mut depth: i64, mut in_long: bool) -> (i64, bool) {
        let mut quote: Option<char> = None;
        let b: Vec<char> = l.chars().collect();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let triple = i + 2 < b.len() && b[i + 1] == c && b[i + 2] == c;
            if in_long {
                if (c == '"' || c == '\'') && triple {
                    in_long = false;
                    i += 3;
                    continue;
                }
            } else if let Some(q) = quote {
                if c == '\\' && q == '"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            } else if (c == '"' || c == '\'') && triple {
                in_long = true;
                i += 3;
                continue;
            } else if c == '"' || c == '\'' {
                quote = Some(c);
            } else if c == '#' {
                break;
            } else if c == '[' || c == '{' {
                depth += 1;
            } else if c == ']' || c == '}' {
                depth -= 1;
            }
            i += 1;
        }
        (depth.max(0), in_long)
    }
    let mut arrays: HashMap<String, usize> = HashMap::new();
    let mut table = String::new();
    let mut last_key: Option<String> = None;
    let (mut depth, mut in_long) = (0_i64, false);
    for (i, raw) in text.lines().enumerate().take(line) {
        let l = raw.trim();
        let at = i + 1 == line;
        let continued = depth > 0 || in_long;
        (depth, in_long) = open_after(l, depth, in_long);
        if continued {
            if at {
                let key = last_key
                    .as_deref()
                    .map_or(table.clone(), |k| join(&table, k));
                return (!key.is_empty()).then(|| (key, quoted(l)));
            }
            continue;
        }
        if let Some(h) = l.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let segs = segments(h);
            let (last, parent) = segs.split_last()?;
            let parent = resolve(parent, &arrays);
            let array = join(&parent, last);
            let n = arrays.entry(array.clone()).or_insert(0);
            *n += 1;
            table = format!("{array}[{}]", *n - 1);
            last_key = None;
            // a nested array restarts under each new parent element
            let nested = format!("{array}.");
            arrays.retain(|k, _| !k.starts_with(&nested));
        } else if let Some(h) = l.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = resolve(&segments(h), &arrays);
            last_key = None;
        } else if let Some((k, v)) = l.split_once('=') {
            let k = k.trim();
            let is_key = !k.is_empty()
                && k.chars().all(|c| {
                    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\'' | ' ')
                });
            if is_key && !l.starts_with('#') {
                let key = segments(k).join(".");
                if at {
                    return Some((join(&table, &key), quoted(v)));
                }
                last_key = Some(key);
                continue;
            }
        }
        if at {
            return match (l.starts_with('['), &last_key) {
                (true, _) => Some((table.clone(), quoted(l))),
                (false, Some(k)) => Some((join(&table, k), quoted(l))),
                (false, None) if !table.is_empty() => Some((table.clone(), quoted(l))),
                _ => None,
            };
        }
    }
    None
}

impl SubstanceDb {
    /// The built-in database, parsed and validated once.
    pub fn builtin() -> Result<&'static SubstanceDb> {
        static DB: OnceLock<Result<SubstanceDb>> = OnceLock::new();
        DB.get_or_init(|| SubstanceDb::from_toml_str(BUILTIN_TOML, "models/substances.toml"))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and validates a substance file (`schema = "qra-substances/1"`, `[[substance]]` tables).
    /// Every problem is reported with its field path (and line, for syntax errors).
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<SubstanceDb> {
        let f: DbFile = toml::from_str(text).map_err(|e| toml_error(source_name, text, &e))?;
        if f.schema != SUBSTANCE_SCHEMA {
            return Err(QraError::InvalidDocument {
                source_name: source_name.into(),
                problems: vec![FieldError {
                    path: "schema".into(),
                    line: None,
                    message: format!("'{}' is not '{SUBSTANCE_SCHEMA}'", f.schema),
                }],
            });
        }
        SubstanceDb::new(f.substance, source_name)
    }

    /// Builds a database from substances, validating each and rejecting duplicate names.
    pub fn new(substances: Vec<Substance>, source_name: &str) -> Result<SubstanceDb> {
        let mut problems = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, s) in substances.iter().enumerate() {
            problems.extend(s.validate(&format!("substance[{i}]")));
            for n in s.all_names() {
                let key = n.to_lowercase();
                if let Some(j) = seen.get(&key) {
                    if *j != i {
                        problems.push(FieldError {
                            path: format!("substance[{i}].name"),
                            line: None,
                            message: format!("name '{n}' is already used by substance[{j}]"),
                        });
                    }
                } else {
                    seen.insert(key, i);
                }
            }
        }
        if problems.is_empty() {
            Ok(SubstanceDb {
                substances,
                by_name: seen,
            })
        } else {
            Err(QraError::InvalidDocument {
                source_name: source_name.into(),
                problems,
            })
        }
    }

    /// This database plus user-defined substances (e.g. from a study file). A user substance may
    /// not reuse a name or alias that is already taken.
    pub fn with_user_substances(&self, extra: Vec<Substance>) -> Result<SubstanceDb> {
        let mut all = self.substances.clone();
        all.extend(extra);
        SubstanceDb::new(all, "user substances")
    }

    /// Looks a substance up by name, Chinese name or alias, ignoring case and surrounding blanks.
    /// An unknown name gives [`QraError::UnknownName`] with close matches.
    pub fn get(&self, name: &str) -> Result<&Substance> {
        let key = name.trim().to_lowercase();
        self.by_name
            .get(&key)
            .map(|&i| &self.substances[i])
            .ok_or_else(|| {
                QraError::unknown(
                    "substance",
                    name,
                    self.substances.iter().flat_map(|s| s.all_names()),
                )
            })
    }

    /// Canonical names, in database order.
    pub fn names(&self) -> Vec<&str> {
        self.substances.iter().map(|s| s.name.as_str()).collect()
    }

    /// All substances.
    pub fn iter(&self) -> impl Iterator<Item = &Substance> {
        self.substances.iter()
    }

    /// Number of substances.
    pub fn len(&self) -> usize {
        self.substances.len()
    }

    /// Whether the database is empty.
    pub fn is_empty(&self) -> bool {
        self.substances.is_empty()
    }
}

/// Looks a substance up in the built-in database (shorthand for `SubstanceDb::builtin()?.get(name)`).
pub fn substance(name: &str) -> Result<&'static Substance> {
    SubstanceDb::builtin()?.get(name)
}

#[cfg(test)]
mod tests;
