//! Domino escalation: the probability that a primary fire or explosion damages a neighbouring
//! piece of equipment enough to start a secondary event (first-level escalation).
//!
//! # Models
//! **Escalation thresholds** (below them escalation is not credible and the probability is 0):
//! heat radiation (long exposure) 15 kW/m² for atmospheric and 45 kW/m² for pressurised equipment;
//! overpressure 22 kPa atmospheric, 16 kPa pressurised, 31 kPa elongated, 37 kPa small/auxiliary
//! equipment. Source: Cozzani V., Gubinelli G., Salzano E. (2006), "Escalation thresholds in the
//! assessment of domino accidental events", J. Hazard. Mater. A129, 1–21, and Cozzani V.,
//! Salzano E. (2004), "Threshold values for domino effects caused by blast wave interaction with
//! process equipment", J. Loss Prev. Process Ind. 17, 437–447. **\[M\]**: only the titles and
//! abstracts of both papers could be read (Scribd copies, 2026-11-29), not their threshold tables;
//! the values are those of `shared/reference/standards.md` §5.3, themselves tagged \[M\].
//!
//! **Heat radiation** — a time to failure (ttf) of the exposed vessel, then a probit of that time.
//! The model is chosen with [`HeatEscalationModel`]; its constants are in
//! [`HeatModelCoefficients`] ([`LANDUCCI_2009`], [`COZZANI_2005`]).
//! * **Default, [`HeatEscalationModel::Landucci2009`]** — Landucci G., Gubinelli G.,
//!   Antonioni G., Cozzani V. (2009), "The assessment of the damage probability of storage tanks
//!   in domino events triggered by fire", Accident Analysis and Prevention 41(6), 1206–1215,
//!   doi:10.1016/j.aap.2008.05.006:
//!   * atmospheric vessel: ln(ttf) = −1.13 ln(I) − 2.67·10⁻⁵ V + 9.9
//!   * pressurised vessel: ln(ttf) = −0.95 ln(I) + 8.845 V^0.032
//!   * Y = 9.25 − 1.85 ln(ttf/60)
//! * **Alternative, [`HeatEscalationModel::Cozzani2005`]** — Cozzani V., Gubinelli G.,
//!   Antonioni G., Spadoni G., Zanelli S. (2005), "The assessment of risk caused by domino effect
//!   in quantitative area risk analysis", J. Hazard. Mater. A127, 14–30 (the model this module
//!   used up to issue 16):
//!   * atmospheric vessel: ln(ttf) = −1.128 ln(I) − 2.667·10⁻⁵ V + 9.877
//!   * pressurised vessel: ln(ttf) = −0.947 ln(I) + 8.835 V^0.032
//!   * Y = 12.54 − 1.847 ln(ttf/60)
//!
//! with ttf in s (ttf/60 in min), I the heat flux on the vessel in kW/m² and V the vessel volume
//! in m³. The two correlations differ by less than 2 % in ttf; the probits differ by 3.29 in Y, so
//! at the same ttf the 2005 form gives a much larger probability (atmospheric tank of 1000 m³ at
//! 15 kW/m²: ttf ≈ 900 s, P = 0.22 with Landucci 2009 and 0.995 with the 2005 form; issue 16).
//!
//! **Overpressure** — probits (Cozzani & Salzano 2004, "The quantitative assessment of domino
//! effects caused by overpressure. Part I. Probit models", J. Hazard. Mater. A107, 67–80; **\[M\]**),
//! with the peak static overpressure P in Pa:
//! * atmospheric Y = −18.96 + 2.44 ln P; pressurised Y = −42.44 + 4.33 ln P;
//!   elongated Y = −28.07 + 3.16 ln P; small/auxiliary Y = −17.79 + 2.18 ln P.
//!
//! P(escalation) = Φ(Y − 5) ([`probit_to_probability`]) at or above the threshold, 0 below it, so
//! the probability jumps at the threshold (to ≈ 0.2 for a large atmospheric tank at 15 kW/m² with
//! Landucci 2009): the threshold is a credibility cut-off, not a point of the probit.
//!
//! **Validity.** The ttf correlations were fitted by Landucci et al. to simulated vessels exposed
//! to fires, for radiation above the escalation thresholds; the paper's stated ranges of I and V
//! could not be read \[M\]. Recalled ranges: roughly 15–150 kW/m² and up to some 10⁴ m³ for
//! atmospheric tanks \[M\]; outside them the values are extrapolations. Note the signs: the
//! atmospheric ttf *falls* with V (P rises with V), the pressurised ttf *rises* with V (P falls).
//!
//! # Sources and what could be read (searched 2026-11-29)
//! * Landucci et al. (2009), the primary text: **not readable** (no stored copy; the `search`
//!   tool returns only openings of long papers, see `qra-core/tests/worked_examples_park.rs`).
//! * Probit Y = 9.25 − 1.85 ln(ttf/60), ttf in s, and both correlations with the coefficients
//!   above: `shared/reference/standards.md` §5.3, tagged \[S\] "as widely reproduced (e.g.
//!   Khakzad et al. 2013, Risk Anal. 33(2), 292–306) from Landucci et al. (2009)" — the Khakzad
//!   text itself was not readable here.
//! * Independent secondary code: ramon-quiza/qra-domino-fuel-storage, `escalation.m` (2026,
//!   University of Matanzas), citing Landucci et al. (2009) AAP 41(6) 1206–1215: Y = 9.25 −
//!   1.847 ln(ttf/60) with ttf in s ("the ttf is converted from seconds to minutes"), and the
//!   atmospheric correlation ln(ttf) = 9.877 − 1.13 ln(I) − 2.667·10⁻⁵ V. It agrees on the probit
//!   intercept 9.25 and on ttf in minutes; its slope 1.847 and its correlation constants 9.877 /
//!   2.667·10⁻⁵ are the more-digit values of the 2005 fit. Which rounding the 2009 paper prints
//!   is **\[S\], unresolved** (the effect is < 0.04 in Y for ttf up to 1 h). The reviewer's figures
//!   of issue 16 (0.22 and 0.33) are reproduced with the coefficients adopted here.
//! * The pressurised correlation of Landucci 2009 is read in `standards.md` only (no second
//!   source found): **\[S\], single secondary source**.
//! * Cozzani et al. (2005): title, year and volume confirmed on the Bologna repository record
//!   (<https://cris.unibo.it/handle/11585/14294>, abstract only) and the full author list and
//!   pages in the `escalation.m` reference list; its coefficients and its probit
//!   Y = 12.54 − 1.847 ln(ttf in min) are **\[M\]**, not read in any source.
//!
//! No published worked example (inputs with their ttf, probit and probability) could be read to
//! test these correlations against; the tests are hand computations from the equations above
//! (`qra-core/tests/domino_heat_escalation.rs`).

use serde::{Deserialize, Serialize};

use crate::error::{check, Result};
use crate::risk::study::{Event, Study};
use crate::vulnerability::probit_to_probability;

/// Target-equipment categories of Cozzani & Salzano.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EquipmentClass {
    /// Atmospheric storage tank.
    Atmospheric,
    /// Pressurised vessel (spheres, bullets).
    Pressurised,
    /// Elongated equipment (columns, reactors) — overpressure only; heat radiation as pressurised.
    Elongated,
    /// Small / auxiliary equipment (pumps, exchangers) — overpressure only; heat as atmospheric.
    Auxiliary,
}

/// Escalation threshold for heat radiation, W/m² (Cozzani et al. 2006, \[M\], see module docs).
pub fn heat_threshold_w_m2(class: EquipmentClass) -> f64 {
    match class {
        EquipmentClass::Atmospheric | EquipmentClass::Auxiliary => 15e3,
        EquipmentClass::Pressurised | EquipmentClass::Elongated => 45e3,
    }
}

/// Escalation threshold for overpressure, Pa (Cozzani & Salzano 2004; Cozzani et al. 2006; \[M\],
/// see module docs).
pub fn overpressure_threshold_pa(class: EquipmentClass) -> f64 {
    match class {
        EquipmentClass::Atmospheric => 22e3,
        EquipmentClass::Pressurised => 16e3,
        EquipmentClass::Elongated => 31e3,
        EquipmentClass::Auxiliary => 37e3,
    }
}

/// The constants of one heat-radiation escalation model (see the module docs for the sources).
///
/// * atmospheric vessel: ln(ttf/s) = `atm_ln_i` · ln(I / (kW/m²)) + `atm_v_per_m3` · V/m³ + `atm_const`
/// * pressurised vessel: ln(ttf/s) = `press_ln_i` · ln(I / (kW/m²)) + `press_v_coef` · (V/m³)^`press_v_exp`
/// * probit: Y = `probit_a` − `probit_b` · ln(ttf / min)
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatModelCoefficients {
    /// Atmospheric ttf: coefficient of ln(I / (kW/m²)).
    pub atm_ln_i: f64,
    /// Atmospheric ttf: coefficient of V, 1/m³.
    pub atm_v_per_m3: f64,
    /// Atmospheric ttf: constant term.
    pub atm_const: f64,
    /// Pressurised ttf: coefficient of ln(I / (kW/m²)).
    pub press_ln_i: f64,
    /// Pressurised ttf: coefficient of (V/m³)^`press_v_exp`.
    pub press_v_coef: f64,
    /// Pressurised ttf: exponent of V/m³.
    pub press_v_exp: f64,
    /// Probit intercept.
    pub probit_a: f64,
    /// Probit slope on ln(ttf / min).
    pub probit_b: f64,
}

/// Landucci, Gubinelli, Antonioni & Cozzani (2009), Accid. Anal. Prev. 41(6), 1206–1215: ttf
/// correlations for atmospheric and pressurised vessels and the escalation probit
/// Y = 9.25 − 1.85 ln(ttf/min). **\[S\]**: read in secondary sources only (module docs); the
/// pressurised correlation in one of them.
pub const LANDUCCI_2009: HeatModelCoefficients = HeatModelCoefficients {
    atm_ln_i: -1.13,
    atm_v_per_m3: -2.67e-5,
    atm_const: 9.9,
    press_ln_i: -0.95,
    press_v_coef: 8.845,
    press_v_exp: 0.032,
    probit_a: 9.25,
    probit_b: 1.85,
};

/// Cozzani, Gubinelli, Antonioni, Spadoni & Zanelli (2005), J. Hazard. Mater. A127, 14–30: ttf
/// correlations and the probit Y = 12.54 − 1.847 ln(ttf/min). **\[M\]**: the coefficients were
/// not read in any source (module docs).
pub const COZZANI_2005: HeatModelCoefficients = HeatModelCoefficients {
    atm_ln_i: -1.128,
    atm_v_per_m3: -2.667e-5,
    atm_const: 9.877,
    press_ln_i: -0.947,
    press_v_coef: 8.835,
    press_v_exp: 0.032,
    probit_a: 12.54,
    probit_b: 1.847,
};

/// Heat-radiation escalation model: time-to-failure correlation + probit (module docs).
///
/// Serde names (also [`HeatEscalationModel::name`]): `"landucci-2009"` (default),
/// `"cozzani-2005"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum HeatEscalationModel {
    /// Landucci et al. (2009), the default ([`LANDUCCI_2009`]).
    #[default]
    #[serde(rename = "landucci-2009")]
    Landucci2009,
    /// Cozzani et al. (2005) ([`COZZANI_2005`]): kept to reproduce results made with it; its
    /// probit gives P ≥ 0.99 for nearly every exposure above the thresholds.
    #[serde(rename = "cozzani-2005")]
    Cozzani2005,
}

impl HeatEscalationModel {
    /// All models with their names.
    pub const ALL: [(&'static str, HeatEscalationModel); 2] = [
        ("landucci-2009", HeatEscalationModel::Landucci2009),
        ("cozzani-2005", HeatEscalationModel::Cozzani2005),
    ];

    /// The model's name (`"landucci-2009"`, `"cozzani-2005"`).
    pub fn name(self) -> &'static str {
        match self {
            HeatEscalationModel::Landucci2009 => "landucci-2009",
            HeatEscalationModel::Cozzani2005 => "cozzani-2005",
        }
    }

    /// The model's constants.
    pub fn coefficients(self) -> &'static HeatModelCoefficients {
        match self {
            HeatEscalationModel::Landucci2009 => &LANDUCCI_2009,
            HeatEscalationModel::Cozzani2005 => &COZZANI_2005,
        }
    }

    /// Time to failure, s, of a vessel of `volume_m3` exposed to `heat_flux_w_m2`:
    /// ln(ttf) = a ln(I) + b V + c (atmospheric and auxiliary equipment) or
    /// ln(ttf) = a ln(I) + k V^e (pressurised and elongated), I in kW/m², V in m³
    /// ([`HeatModelCoefficients`]). No threshold is applied here.
    ///
    /// # Errors
    /// `heat_flux_w_m2` not > 0 or `volume_m3` not ≥ 0 (or not finite).
    pub fn time_to_failure_s(
        self,
        class: EquipmentClass,
        heat_flux_w_m2: f64,
        volume_m3: f64,
    ) -> Result<f64> {
        let i_kw = check::positive("heat_flux_w_m2", heat_flux_w_m2)? / 1e3;
        let v = check::non_negative("volume_m3", volume_m3)?;
        let HeatModelCoefficients {
            atm_ln_i,
            atm_v_per_m3,
            atm_const,
            press_ln_i,
            press_v_coef,
            press_v_exp,
            probit_a: _,
            probit_b: _,
        } = *self.coefficients();
        let ln_ttf = match class {
            EquipmentClass::Atmospheric | EquipmentClass::Auxiliary => {
                atm_ln_i * i_kw.ln() + atm_v_per_m3 * v + atm_const
            }
            EquipmentClass::Pressurised | EquipmentClass::Elongated => {
                press_ln_i * i_kw.ln() + press_v_coef * v.powf(press_v_exp)
            }
        };
        Ok(ln_ttf.exp())
    }

    /// Escalation probit of a time to failure `ttf_s` (s): Y = a − b ln(ttf_s / 60).
    pub fn probit(self, ttf_s: f64) -> f64 {
        let c = self.coefficients();
        c.probit_a - c.probit_b * (ttf_s / 60.0).ln()
    }

    /// Probability that heat radiation `heat_flux_w_m2` (W/m²) escalates to a vessel of
    /// `volume_m3` (m³): 0 below [`heat_threshold_w_m2`], else Φ(Y − 5) with Y the
    /// [`probit`](Self::probit) of the [`time_to_failure_s`](Self::time_to_failure_s).
    ///
    /// # Errors
    /// `heat_flux_w_m2` or `volume_m3` negative or not finite.
    pub fn escalation_probability(
        self,
        class: EquipmentClass,
        heat_flux_w_m2: f64,
        volume_m3: f64,
    ) -> Result<f64> {
        check::non_negative("heat_flux_w_m2", heat_flux_w_m2)?;
        if heat_flux_w_m2 < heat_threshold_w_m2(class) {
            check::non_negative("volume_m3", volume_m3)?;
            return Ok(0.0);
        }
        let ttf = self.time_to_failure_s(class, heat_flux_w_m2, volume_m3)?;
        Ok(probit_to_probability(self.probit(ttf)))
    }
}

/// Time to failure, s, with the default model (Landucci et al. 2009):
/// [`HeatEscalationModel::time_to_failure_s`].
///
/// # Errors
/// Non-positive flux or negative volume.
pub fn time_to_failure_s(
    class: EquipmentClass,
    heat_flux_w_m2: f64,
    volume_m3: f64,
) -> Result<f64> {
    HeatEscalationModel::default().time_to_failure_s(class, heat_flux_w_m2, volume_m3)
}

/// Probability that heat radiation `heat_flux_w_m2` escalates to the vessel (0 below threshold),
/// with the default model (Landucci et al. 2009):
/// [`HeatEscalationModel::escalation_probability`].
///
/// # Errors
/// Negative or non-finite flux or volume.
pub fn escalation_probability_heat(
    class: EquipmentClass,
    heat_flux_w_m2: f64,
    volume_m3: f64,
) -> Result<f64> {
    HeatEscalationModel::default().escalation_probability(class, heat_flux_w_m2, volume_m3)
}

/// Probability that a peak static overpressure `overpressure_pa` escalates (0 below threshold).
pub fn escalation_probability_overpressure(
    class: EquipmentClass,
    overpressure_pa: f64,
) -> Result<f64> {
    let p = check::non_negative("overpressure_pa", overpressure_pa)?;
    if p < overpressure_threshold_pa(class) {
        return Ok(0.0);
    }
    let y = match class {
        EquipmentClass::Atmospheric => -18.96 + 2.44 * p.ln(),
        EquipmentClass::Pressurised => -42.44 + 4.33 * p.ln(),
        EquipmentClass::Elongated => -28.07 + 3.16 * p.ln(),
        EquipmentClass::Auxiliary => -17.79 + 2.18 * p.ln(),
    };
    Ok(probit_to_probability(y))
}

/// A first-level escalation: the secondary event's frequency is the primary outcome's frequency
/// times the escalation probability (Cozzani et al. 2005, eq. 1: f_d = f_p · P_d).
pub fn secondary_frequency(
    primary_frequency_per_year: f64,
    escalation_probability: f64,
) -> Result<f64> {
    let f = check::non_negative("primary_frequency_per_year", primary_frequency_per_year)?;
    let p = check::probability("escalation_probability", escalation_probability)?;
    Ok(f * p)
}

// ---------------------------------------------------------------------------------------------
// First-level escalation in a study: chains and domino-inclusive risk.

/// One first-level escalation chain: a primary outcome escalating to a neighbouring installation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chain {
    /// Primary event id.
    pub primary_event: String,
    /// Primary outcome (id, or its kind).
    pub primary_outcome: String,
    /// Installation of the primary event.
    pub primary_installation: String,
    /// Target installation.
    pub target_installation: String,
    /// Target equipment class (from its phase and pressure).
    pub target_class: EquipmentClass,
    /// Escalation vector.
    pub vector: crate::risk::consequence::EscalationVector,
    /// Distance between the installations, m.
    pub distance_m: f64,
    /// Largest intensity over the weather classes (W/m² or Pa).
    pub intensity: f64,
    /// Escalation probability, weighted over the weather classes (P_M).
    pub p_escalation: f64,
    /// Primary outcome frequency f_S·P_O, per year.
    pub primary_frequency_per_year: f64,
    /// f_secondary = f_primary · P_esc, per year.
    pub secondary_frequency_per_year: f64,
    /// The target's event taken as the secondary event (its catastrophic release).
    pub secondary_event: String,
    /// Id of the secondary event added to the domino-inclusive study.
    pub domino_event: String,
}

/// The result of [`first_level`]: the chains and the domino-inclusive study.
#[derive(Debug, Clone)]
pub struct DominoAnalysis {
    /// Escalation chains with P_esc > 0, by decreasing secondary frequency.
    pub chains: Vec<Chain>,
    /// The study with one secondary event per chain (frequency f_secondary, the target's
    /// secondary event otherwise unchanged): run it for domino-inclusive IR, F-N and PLL.
    pub study: Study,
    /// The heat-radiation escalation model used.
    pub heat_model: HeatEscalationModel,
    /// (Primary outcome, target installation) pairs whose intensity was evaluated: those within
    /// the outcome's escalation reach ([`first_level`], "Cost"), at most [`MAX_DOMINO_PAIRS`].
    pub pairs_examined: u64,
}

/// Equipment class of an installation for escalation: liquid stored at (about) atmospheric
/// pressure → atmospheric; anything else (liquefied or compressed gas) → pressurised.
pub fn equipment_class_of(inst: &crate::risk::study::Installation) -> EquipmentClass {
    match (inst.phase, inst.pressure_pa) {
        (Some(crate::risk::study::Phase::Liquid), p) if p.is_none_or(|p| p < 1.5e5) => {
            EquipmentClass::Atmospheric
        }
        _ => EquipmentClass::Pressurised,
    }
}

/// Vessel volume for the time-to-failure correlations, m³: the given `volume_m3` of a volume
/// inventory; else inventory / liquid density for liquids and liquefied gases; ideal gas at the
/// installation's pressure and temperature for gases. 0 when the data are missing (the
/// pressurised correlation then uses V = 0).
fn vessel_volume_m3(
    inst: &crate::risk::study::Installation,
    s: &crate::substance::Substance,
) -> f64 {
    let inventory_kg = match inst.inventory {
        crate::risk::study::Inventory::Volume { volume_m3, .. } => return volume_m3,
        crate::risk::study::Inventory::Mass { inventory_kg } => inventory_kg,
    };
    let gas = matches!(inst.phase, Some(crate::risk::study::Phase::Gas));
    if !gas {
        if let Ok(rho) = s.liquid_density_kg_m3() {
            return inventory_kg / rho;
        }
    }
    match (inst.pressure_pa, s.molar_mass_kg_mol()) {
        (Some(p), Ok(m)) => {
            let t = inst.temperature_k.unwrap_or(293.15);
            inventory_kg * crate::constants::GAS_CONSTANT_J_MOL_K * t / (p * m)
        }
        _ => 0.0,
    }
}

/// The secondary event of every installation of `study` ([`secondary_event_of`]), by
/// installation id: one pass over the events (the per-target scan made the analysis quadratic
/// in events — 20 000 events took 36 s; issue 21).
fn secondary_events(study: &Study) -> std::collections::HashMap<&str, &Event> {
    let mut by_inst: std::collections::HashMap<&str, Vec<&Event>> =
        std::collections::HashMap::new();
    for e in &study.events {
        by_inst.entry(e.installation.as_str()).or_default().push(e);
    }
    by_inst
        .into_iter()
        .filter_map(|(i, evs)| secondary_event_of(&evs).map(|e| (i, e)))
        .collect()
}

/// The secondary event among one installation's events `evs`: its instantaneous release
/// (catastrophic rupture) if it has one, else its continuous-10-min release, else its largest
/// hole.
fn secondary_event_of<'a>(evs: &[&'a Event]) -> Option<&'a Event> {
    use crate::risk::study::ReleaseKind as R;
    evs.iter()
        .find(|e| e.release == Some(R::Instantaneous))
        .or_else(|| evs.iter().find(|e| e.release == Some(R::Continuous10Min)))
        .or_else(|| {
            evs.iter().max_by(|a, b| {
                a.hole_diameter_mm
                    .unwrap_or(0.0)
                    .total_cmp(&b.hole_diameter_mm.unwrap_or(0.0))
            })
        })
        .copied()
}

/// Most (primary outcome, target installation) pairs within escalation reach that
/// [`first_level`] evaluates; more is refused with [`crate::QraError::ResourceLimit`] before any pair is
/// evaluated. Not physics: a resource bound (issue 21) on the work and on the size of the
/// domino-inclusive study (one event per chain, each chain one such pair). Real parks are far
/// below it: the sample park has 1 such pair (of 100 primary outcome × installation pairs).
pub const MAX_DOMINO_PAIRS: u64 = 1_000_000;

/// First-level domino analysis of a study (Cozzani et al. 2005 procedure, simplified): for every
/// primary jet fire, pool fire and VCE outcome (see
/// [`crate::risk::consequence::escalation_intensity`]) and every other installation within its
/// escalation reach ("Cost" below), the
/// intensity at the target's position under each weather class, the escalation probability
/// (thresholds and probits of this module; P_esc = Σ_M P_M · P_esc,M), the secondary frequency
/// f_d = f_p · P_esc (Cozzani et al. 2005 eq. 1) and a secondary event: a copy of the target's
/// own worst event (`secondary_event_of`: its catastrophic rupture) with that frequency. Only
/// single escalations are counted (no synergy of several primaries, no second level), and the
/// secondary event keeps its own event tree. Fragments are not an escalation vector here.
///
/// Heat radiation uses the default model, Landucci et al. (2009); see [`first_level_with`].
///
/// # Cost (issue 21)
/// Linear in events plus the pairs within reach: each outcome's fire or blast is built once per
/// weather class ([`crate::risk::consequence::escalation_source`]), its reach at the lowest
/// escalation threshold of any equipment class (15 kW/m², 16 kPa) is found, and only the
/// installations within that reach are looked up (an R-tree of the installations) and
/// evaluated: beyond it every class's probability is 0, so the chains are those of evaluating
/// every installation (`first_level_matches_evaluating_every_installation`,
/// `pruning_never_changes_the_chains`). This takes the intensity to fall outwards beyond the
/// reach — true of the blast curves, and assumed for the fires beyond their peak region
/// ([`crate::risk::consequence::EscalationSource::reach_m`]), as the risk engine's reaches assume.
/// [`DominoAnalysis::pairs_examined`] counts the evaluated pairs; more than
/// [`MAX_DOMINO_PAIRS`] is refused before any is evaluated.
/// Events and primary outcomes are processed in parallel (rayon, indexed: the chains and their
/// order do not depend on the thread count).
///
/// # Errors
/// An invalid study; consequence-model errors of the primary outcomes; more than
/// [`MAX_DOMINO_PAIRS`] pairs within reach.
pub fn first_level(study: &Study) -> Result<DominoAnalysis> {
    first_level_with(study, HeatEscalationModel::default())
}

/// [`first_level`] with a chosen heat-radiation escalation model.
///
/// # Errors
/// An invalid study; consequence-model errors of the primary outcomes; more than
/// [`MAX_DOMINO_PAIRS`] pairs within reach.
pub fn first_level_with(study: &Study, heat_model: HeatEscalationModel) -> Result<DominoAnalysis> {
    first_level_impl(study, heat_model, Targets::WithinReach, MAX_DOMINO_PAIRS)
}

/// Which installations [`first_level_impl`] evaluates for each primary outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Targets {
    /// Those within the outcome's escalation reach (R-tree query): the analysis.
    WithinReach,
    /// All of them: the reference the pruning is tested against.
    #[cfg(test)]
    All,
}

/// Lowest escalation threshold of any equipment class for `vector` (W/m² or Pa): below it the
/// escalation probability is 0 whatever the target.
fn lowest_threshold(vector: crate::risk::consequence::EscalationVector) -> f64 {
    use crate::risk::consequence::EscalationVector as V;
    let classes = [
        EquipmentClass::Atmospheric,
        EquipmentClass::Pressurised,
        EquipmentClass::Elongated,
        EquipmentClass::Auxiliary,
    ];
    classes
        .into_iter()
        .map(|c| match vector {
            V::HeatRadiation => heat_threshold_w_m2(c),
            V::Overpressure => overpressure_threshold_pa(c),
        })
        .fold(f64::INFINITY, f64::min)
}

/// Relative and absolute margins added to an outcome's reach before the R-tree query, so that
/// rounding in the reach searches (bisection to 1 mm, scaled distances) cannot drop a target
/// lying at the reach itself.
const REACH_MARGIN_REL: f64 = 1e-6;
const REACH_MARGIN_M: f64 = 0.01;

fn first_level_impl(
    study: &Study,
    heat_model: HeatEscalationModel,
    which: Targets,
    max_pairs: u64,
) -> Result<DominoAnalysis> {
    use crate::risk::consequence::{escalation_source, EscalationSource, EscalationVector as V};
    use crate::risk::scenario::{EventOrigin, ScenarioSet, SourceOrigin};
    use rayon::prelude::*;
    use rstar::{primitives::GeomWithData, RTree};
    // Primaries and targets are the study's own installations (linear sources are not
    // screened for escalation).
    let set = ScenarioSet::from_study(study)?;
    let flat = set.study();
    let db = flat.substances();
    let met = &study.meteorology;
    let p_m: Vec<f64> = met
        .weather
        .iter()
        .map(|w| met.day_fraction * w.p_day() + (1.0 - met.day_fraction) * w.p_night())
        .collect();
    let secondary = secondary_events(study);
    let own: Vec<usize> = (0..flat.installations.len())
        .filter(|&i| matches!(set.sources()[i], SourceOrigin::Installation { .. }))
        .collect();
    let tree = RTree::bulk_load(
        own.iter()
            .map(|&i| {
                let t = &flat.installations[i];
                GeomWithData::new([t.x_m, t.y_m], i)
            })
            .collect(),
    );
    // Phase 1: every primary outcome's sources (one per weather class with P_M > 0) and its
    // reach, in parallel over events (indexed: the order, and so the first error, is that of a
    // sequential loop; the results do not depend on the thread count).
    struct Primary<'a> {
        event: usize,
        outcome: usize,
        frequency_per_year: f64,
        sources: Vec<(f64, EscalationSource)>,
        reach_m: f64,
        targets: Vec<usize>,
        ev: &'a Event,
    }
    let per_event: Vec<Result<Vec<Primary<'_>>>> = flat
        .events
        .par_iter()
        .zip(set.events())
        .enumerate()
        .map(|(ei, (ev, rev))| {
            let mut out = Vec::new();
            if !matches!(rev.origin, EventOrigin::Event { .. }) {
                return Ok(out);
            }
            let f = rev.frequency_per_year;
            let probs = &rev.outcome_probabilities;
            let ctx = set.context(ei)?;
            if own.len() < 2 {
                return Ok(out); // no other installation: no target
            }
            for (oi, o) in ev.outcomes.iter().enumerate() {
                let fo = f * probs[oi];
                if fo <= 0.0 {
                    continue;
                }
                let mut sources = Vec::new();
                for (w, pm) in met.weather.iter().zip(&p_m) {
                    if *pm <= 0.0 {
                        continue;
                    }
                    match escalation_source(&o.spec, w, &ctx)? {
                        Some(s) => sources.push((*pm, s)),
                        None => break,
                    }
                }
                let Some((_, first)) = sources.first() else {
                    continue;
                };
                let level = lowest_threshold(first.vector());
                let reach_m = sources
                    .iter()
                    .map(|(_, s)| s.reach_m(level))
                    .fold(0.0, f64::max);
                out.push(Primary {
                    event: ei,
                    outcome: oi,
                    frequency_per_year: fo,
                    sources,
                    reach_m,
                    targets: Vec::new(),
                    ev,
                });
            }
            Ok(out)
        })
        .collect();
    // The installations within each primary's reach (R-tree), counted against `max_pairs`
    // before any pair is evaluated.
    let mut primaries = Vec::new();
    let mut pairs: u64 = 0;
    for r in per_event {
        for mut pr in r? {
            let src = &flat.installations[set.events()[pr.event].installation];
            let radius = pr.reach_m * (1.0 + REACH_MARGIN_REL) + REACH_MARGIN_M;
            let mut targets: Vec<usize> = match which {
                Targets::WithinReach => tree
                    .locate_within_distance([src.x_m, src.y_m], radius * radius)
                    .map(|g| g.data)
                    .collect(),
                #[cfg(test)]
                Targets::All => own.clone(),
            };
            targets.retain(|&i| flat.installations[i].id != src.id);
            // Installation order, as a scan of all installations visits them.
            targets.sort_unstable();
            pairs += targets.len() as u64;
            if pairs > max_pairs {
                return Err(crate::QraError::ResourceLimit {
                    argument: "domino analysis: (primary outcome, target installation) pairs \
                               within escalation reach"
                        .to_string(),
                    value: format!("more than {max_pairs}"),
                    limit: max_pairs.to_string(),
                });
            }
            pr.targets = targets;
            primaries.push(pr);
        }
    }
    // Phase 2: the chains, in parallel over primaries (indexed, in order).
    let per_primary: Vec<Result<Vec<Chain>>> = primaries
        .par_iter()
        .map(|pr| {
            let mut chains = Vec::new();
            let src = &flat.installations[set.events()[pr.event].installation];
            let o = &pr.ev.outcomes[pr.outcome];
            let fo = pr.frequency_per_year;
            for &ti in &pr.targets {
                let tgt = &flat.installations[ti];
                let d = (tgt.x_m - src.x_m).hypot(tgt.y_m - src.y_m);
                let class = equipment_class_of(tgt);
                let vol = vessel_volume_m3(tgt, db.get(&tgt.substance)?);
                let (mut p, mut imax, mut vec) = (0.0, 0.0f64, None);
                for (pm, s) in &pr.sources {
                    let v = s.vector();
                    let i = s.intensity_at(d)?;
                    vec = Some(v);
                    imax = imax.max(i);
                    p += pm
                        * match v {
                            V::HeatRadiation => heat_model.escalation_probability(class, i, vol)?,
                            V::Overpressure => escalation_probability_overpressure(class, i)?,
                        };
                }
                let (Some(vector), Some(sec)) = (vec, secondary.get(tgt.id.as_str())) else {
                    continue;
                };
                let p = p.min(1.0);
                if p <= 0.0 {
                    continue;
                }
                let ev = pr.ev;
                let label = o.id.clone().unwrap_or_else(|| o.spec.kind().to_string());
                chains.push(Chain {
                    primary_event: ev.id.clone(),
                    primary_outcome: label.clone(),
                    primary_installation: src.id.clone(),
                    target_installation: tgt.id.clone(),
                    target_class: class,
                    vector,
                    distance_m: d,
                    intensity: imax,
                    p_escalation: p,
                    primary_frequency_per_year: fo,
                    secondary_frequency_per_year: secondary_frequency(fo, p)?,
                    secondary_event: sec.id.clone(),
                    domino_event: format!("domino: {} / {label} -> {}", ev.id, sec.id),
                });
            }
            Ok(chains)
        })
        .collect();
    let mut chains = Vec::new();
    for c in per_primary {
        chains.extend(c?);
    }
    chains.sort_by(|a, b| {
        b.secondary_frequency_per_year
            .total_cmp(&a.secondary_frequency_per_year)
    });
    let mut out = study.clone();
    let by_id: std::collections::HashMap<&str, &Event> =
        study.events.iter().map(|e| (e.id.as_str(), e)).collect();
    for c in &chains {
        if let Some(sec) = by_id.get(c.secondary_event.as_str()) {
            out.events.push(Event {
                id: c.domino_event.clone(),
                description: Some(format!(
                    "first-level escalation of {} ({}) to {}",
                    c.primary_event, c.primary_outcome, c.target_installation
                )),
                frequency_per_year: Some(c.secondary_frequency_per_year),
                loc: None,
                ..(*sec).clone()
            });
        }
    }
    Ok(DominoAnalysis {
        chains,
        study: out,
        heat_model,
        pairs_examined: pairs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The Cozzani et al. (2005) alternative, hand computation from its equations: an
    /// atmospheric tank of 1000 m³ at 30 kW/m²: ln ttf = −1.128 ln 30 − 0.02667 + 9.877 =
    /// 6.01386 → ttf = 409.0 s = 6.817 min; Y = 12.54 − 1.847 ln 6.817 = 8.995 →
    /// P = Φ(3.995) = 0.99997. (Landucci 2009 for the same tank: tests/domino_heat_escalation.rs.)
    #[test]
    fn cozzani_2005_atmospheric_tank_hand_computed() {
        let m = HeatEscalationModel::Cozzani2005;
        let ttf = m
            .time_to_failure_s(EquipmentClass::Atmospheric, 30e3, 1000.0)
            .unwrap();
        let expect = (-1.128 * 30f64.ln() - 2.667e-5 * 1000.0 + 9.877).exp();
        assert!(
            (ttf - expect).abs() < 1e-9 && (ttf - 409.0).abs() < 1.0,
            "{ttf}"
        );
        let p = m
            .escalation_probability(EquipmentClass::Atmospheric, 30e3, 1000.0)
            .unwrap();
        assert!((p - 0.999_97).abs() < 2e-5, "{p}");
    }

    #[test]
    fn heat_model_names_default_and_serde() {
        assert_eq!(
            HeatEscalationModel::default(),
            HeatEscalationModel::Landucci2009
        );
        for (name, m) in HeatEscalationModel::ALL {
            assert_eq!(m.name(), name);
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{name}\""));
            assert_eq!(
                serde_json::from_str::<HeatEscalationModel>(&format!("\"{name}\"")).unwrap(),
                m
            );
        }
        assert!(serde_json::from_str::<HeatEscalationModel>("\"landucci\"").is_err());
    }

    #[test]
    fn thresholds_cut_off() {
        assert_eq!(
            escalation_probability_heat(EquipmentClass::Atmospheric, 14.9e3, 100.0).unwrap(),
            0.0
        );
        assert_eq!(
            escalation_probability_heat(EquipmentClass::Pressurised, 44e3, 100.0).unwrap(),
            0.0
        );
        assert_eq!(
            escalation_probability_overpressure(EquipmentClass::Pressurised, 15e3).unwrap(),
            0.0
        );
        // Just above the pressurised threshold: Y = −42.44 + 4.33 ln 16000 = −0.50 → P ≈ 1.9e-8.
        let p = escalation_probability_overpressure(EquipmentClass::Pressurised, 16e3).unwrap();
        assert!(p > 0.0 && p < 1e-6, "{p}");
        // Atmospheric at 50 kPa: Y = −18.96 + 2.44 ln 50000 = 7.440 → P = Φ(2.44) = 0.99266.
        let p = escalation_probability_overpressure(EquipmentClass::Atmospheric, 50e3).unwrap();
        assert!((p - 0.992_66).abs() < 1e-4, "{p}");
    }

    #[test]
    fn bad_inputs() {
        assert!(escalation_probability_heat(EquipmentClass::Atmospheric, f64::NAN, 1.0).is_err());
        assert!(escalation_probability_heat(EquipmentClass::Atmospheric, 50e3, -1.0).is_err());
        assert!(escalation_probability_overpressure(EquipmentClass::Atmospheric, -5.0).is_err());
        assert!(secondary_frequency(1e-5, 1.5).is_err());
        assert_eq!(secondary_frequency(1e-5, 0.5).unwrap(), 5e-6);
    }

    proptest! {
        #[test]
        fn probabilities_bounded_and_monotone(q in 0.0f64..500e3, dq in 0.0f64..100e3, v in 0.0f64..1e5, p in 0.0f64..1e6, dp in 0.0f64..1e5) {
            for c in [EquipmentClass::Atmospheric, EquipmentClass::Pressurised, EquipmentClass::Elongated, EquipmentClass::Auxiliary] {
                let a = escalation_probability_heat(c, q, v).unwrap();
                let b = escalation_probability_heat(c, q + dq, v).unwrap();
                prop_assert!((0.0..=1.0).contains(&a) && b >= a);
                let a = escalation_probability_overpressure(c, p).unwrap();
                let b = escalation_probability_overpressure(c, p + dp).unwrap();
                prop_assert!((0.0..=1.0).contains(&a) && b >= a);
            }
        }
    }

    /// The sample park (LPG spheres 100 m apart, VCEs and jet fires among neighbours). Checks
    /// f_secondary = f_primary · P_esc for every chain, P_esc ∈ (0, 1], the secondary events
    /// added with those frequencies, and that escalation vanishes when the targets are 5 km
    /// away (below every threshold). A hand computation of the bookkeeping, not a published case.
    #[test]
    fn first_level_chains_on_the_sample_park() {
        let s = crate::risk::study::Study::from_toml_str(crate::park::SAMPLE_PARK_TOML, "sample")
            .unwrap();
        let a = first_level(&s).unwrap();
        assert!(!a.chains.is_empty());
        for c in &a.chains {
            assert!(c.p_escalation > 0.0 && c.p_escalation <= 1.0);
            assert_eq!(
                c.secondary_frequency_per_year,
                c.primary_frequency_per_year * c.p_escalation
            );
            let e = a
                .study
                .events
                .iter()
                .find(|e| e.id == c.domino_event)
                .unwrap();
            assert_eq!(e.frequency_per_year, Some(c.secondary_frequency_per_year));
        }
        assert_eq!(a.study.events.len(), s.events.len() + a.chains.len());
        // Spread everything 5 km apart: no escalation.
        let mut far = s.clone();
        for (k, i) in far.installations.iter_mut().enumerate() {
            i.x_m = 5000.0 * k as f64;
        }
        far.grid.x_max_m = 5000.0 * far.installations.len() as f64;
        far.grid.resolution_m = 500.0;
        assert!(first_level(&far).unwrap().chains.is_empty());
    }

    /// A study of the sample park's weather and grid whose installations are copies of the
    /// sample park's installations `templates` (cycled) at `positions`, each with copies of its
    /// template's events (ids `I<k>` and `I<k>/<event id>`); no pipelines, units, facilities.
    fn layout(templates: &[&str], positions: &[[f64; 2]]) -> Study {
        let park = Study::from_toml_str(crate::park::SAMPLE_PARK_TOML, "sample").unwrap();
        let mut s = park.clone();
        s.installations.clear();
        s.events.clear();
        s.pipelines.clear();
        s.units.clear();
        s.facilities.clear();
        s.park_boundary = None;
        for (k, p) in positions.iter().enumerate() {
            let t = templates[k % templates.len()];
            let mut inst = park
                .installations
                .iter()
                .find(|i| i.id == t)
                .unwrap()
                .clone();
            inst.id = format!("I{k}");
            (inst.x_m, inst.y_m) = (p[0], p[1]);
            (inst.facility, inst.unit) = (None, None);
            for e in park.events.iter().filter(|e| e.installation == t) {
                let mut e = e.clone();
                e.id = format!("I{k}/{}", e.id);
                e.installation = inst.id.clone();
                s.events.push(e);
            }
            s.installations.push(inst);
        }
        s
    }

    /// Issue 21: the pruned analysis finds exactly the chains of evaluating every installation
    /// (same chains, same order, same bits), on the sample park and on layouts where
    /// installations sit at the edge of each other's reach.
    #[test]
    fn first_level_matches_evaluating_every_installation() {
        let park = Study::from_toml_str(crate::park::SAMPLE_PARK_TOML, "sample").unwrap();
        // Gasoline tank (40 m bund pool fire), LPG sphere (jet fire, VCE), hydrogen.
        let kinds = ["GAS-T1", "LPG-S1", "H2-V1"];
        let line: Vec<[f64; 2]> = (0..12)
            .map(|k| [17.0 * (k * k) as f64, 3.0 * k as f64])
            .collect();
        for (label, s) in [("sample park", park), ("line", layout(&kinds, &line))] {
            for model in [
                HeatEscalationModel::Landucci2009,
                HeatEscalationModel::Cozzani2005,
            ] {
                let pruned = first_level_impl(&s, model, Targets::WithinReach, u64::MAX).unwrap();
                let all = first_level_impl(&s, model, Targets::All, u64::MAX).unwrap();
                assert!(!all.chains.is_empty(), "{label}");
                assert_eq!(pruned.chains, all.chains, "{label}");
                assert!(pruned.pairs_examined < all.pairs_examined, "{label}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        /// Issue 21: pruning by reach never changes the chains, for random layouts of gasoline
        /// tanks, LPG spheres and hydrogen vessels within 400 m (at the edge of many reaches).
        #[test]
        fn pruning_never_changes_the_chains(xy in proptest::collection::vec((0.0f64..400.0, 0.0f64..400.0), 2..7)) {
            let pos: Vec<[f64; 2]> = xy.iter().map(|&(x, y)| [x, y]).collect();
            let s = layout(&["GAS-T1", "LPG-S1", "H2-V1"], &pos);
            let m = HeatEscalationModel::default();
            let pruned = first_level_impl(&s, m, Targets::WithinReach, u64::MAX).unwrap();
            let all = first_level_impl(&s, m, Targets::All, u64::MAX).unwrap();
            prop_assert_eq!(pruned.chains, all.chains);
            prop_assert!(pruned.pairs_examined <= all.pairs_examined);
        }
    }

    /// Issue 21 (a 200 000-event study ran the domino analysis super-linearly): the work is the
    /// pairs within reach, not primary outcomes × installations. Installations in pairs 10 m
    /// apart (a gasoline tank and an LPG sphere), the pairs 3 km apart. No primary outcome
    /// reaches another pair: hand bounds of the largest reaches — the LPG sphere's VCE, 200 t
    /// airborne: E = 200 000 kg · 46 MJ/kg = 9.2·10¹² J, length scale (E/p₀)^⅓ = 449 m, and even
    /// the multi-energy detonation curve (strength 10) falls to 16 kPa (0.16 p₀) by a scaled
    /// distance of about 3.5 (TNO Yellow Book fig. 5.8 \[M\]) → ≈ 1.6 km; the 40 m gasoline pool
    /// fire's 15 kW/m² reach is a few pool diameters (< 300 m) — all below the 2 980 m between
    /// pairs. So each primary outcome examines at most its partner: pairs_examined ≤ the
    /// primary outcomes (counted from the study), exactly `per pair × number of pairs`, where a
    /// scan of all installations examines primaries × (2·pairs − 1).
    #[test]
    fn pairs_examined_are_the_pairs_within_reach() {
        let kinds = ["GAS-T1", "LPG-S1"];
        let mut per_pair = None;
        for n_pairs in [1usize, 4, 16] {
            let pos: Vec<[f64; 2]> = (0..2 * n_pairs)
                .map(|k| [3000.0 * (k / 2) as f64 + 10.0 * (k % 2) as f64, 0.0])
                .collect();
            let s = layout(&kinds, &pos);
            // Primary outcomes of the escalation vectors (jet fire, pool fire, VCE).
            let primaries = s
                .events
                .iter()
                .flat_map(|e| &e.outcomes)
                .filter(|o| matches!(o.spec.kind(), "jet-fire" | "pool-fire" | "vce"))
                .count() as u64;
            let a = first_level(&s).unwrap();
            let per = *per_pair.get_or_insert(a.pairs_examined);
            assert!(per >= 1 && !a.chains.is_empty());
            assert_eq!(a.pairs_examined, per * n_pairs as u64, "{n_pairs} pairs");
            assert!(a.pairs_examined <= primaries, "{n_pairs} pairs");
            assert!(a.chains.iter().all(|c| c.distance_m == 10.0));
        }
    }

    /// Issue 21: more pairs within reach than the limit is a resource-limit error, raised before
    /// any pair is evaluated (all installations at one point: every pair is within reach).
    #[test]
    fn too_many_pairs_within_reach_is_a_resource_limit() {
        let s = layout(&["GAS-T1"], &[[0.0, 0.0]; 12]);
        // 12 pool-fire primaries × 11 targets = 132 pairs.
        let ok = first_level_impl(
            &s,
            HeatEscalationModel::default(),
            Targets::WithinReach,
            132,
        )
        .unwrap();
        assert_eq!(ok.pairs_examined, 132);
        let err = first_level_impl(
            &s,
            HeatEscalationModel::default(),
            Targets::WithinReach,
            131,
        )
        .unwrap_err();
        assert!(
            matches!(&err, crate::QraError::ResourceLimit { limit, .. } if limit == "131"),
            "{err}"
        );
    }
}
