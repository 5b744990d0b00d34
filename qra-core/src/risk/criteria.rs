//! Risk acceptance criteria (`models/criteria.toml`), compliance reports and external safety
//! distances.
//!
//! Criteria sets (each with its source and verification tag in the data file, after
//! shared/reference/standards.md §1 and §4.4): `GB36894-2018`, `SAWS-2014-trial`, `NL-Bevi-2004`,
//! `UK-HSE-R2P2`, `HK-RG`.
//!
//! # Societal risk zones
//! A line is F_line(N) = F_a·(N/N_a)^slope on [n_min, n_max]. The F-N curve F(N) is a
//! non-increasing step function, constant on (N_{k−1}, N_k]; against a decreasing line the worst
//! point of each step is its right end N_k, so the curve is compared with the lines at every N_k in
//! range (and at n_max). The zone is **intolerable** if the curve exceeds the intolerable line
//! anywhere (or any case has N > `intolerable_above_n`), **acceptable** if it stays below the
//! negligible line everywhere, **ALARP** otherwise. Where the set's upper line is an
//! **orientation value** ([`UpperLine::OrientationValue`]: the Dutch group-risk
//! *oriëntatiewaarde* of the Bevi 2004 art. 13(1)(b), F = 10⁻³/N² for N ≥ 10 \[S\]; the Bevi
//! was repealed on 1 January 2024) exceeding it is
//! [`FnZone::AboveOrientationValue`], not "intolerable": the Bevi makes it a value the competent
//! authority must account for (*verantwoordingsplicht*), not a limit, so it does not fail
//! [`Compliance::passed`]. Whether touching a line counts as the better or
//! the worse side is the [`Boundary`] parameter — the standards do not say (standards.md §1.1).
//!
//! # Individual risk at protected targets: new and in-service installations
//! GB 36894-2018 §4.1 Table 1 (clause and table numbers recalled \[M\]; the limits are the 2014
//! trial table's \[V\]) gives each protected-target class two IR limits, L_new for new, altered or
//! expanded installations (新建、改建、扩建) and L_in ≥ L_new for in-service ones (在役). The status
//! is a property of the **installation** ([`InstallationStatus`]). The standard's text on a
//! target exposed to both kinds could not be read; qra's rule (a reading, not a quotation):
//!
//! * IR_new = the IR at the target from the new installations, IR = the IR from all
//!   installations (IR_in = IR − IR_new);
//! * the target passes iff **IR_new ≤ L_new** (the new installations' contribution meets the limit
//!   for new installations) **and IR ≤ L_in** (the in-service limit bounds the risk of everything
//!   at the target, the new installations included — once built they are in service too).
//!
//! With one kind only this is the plain check (all new: IR ≤ L_new, which implies IR ≤ L_in; all
//! in service: IR ≤ L_in). It is stricter than checking each kind's contribution against its own
//! limit alone (IR_in ≤ L_in), which would let new installations push a target over L_in.
//! Each verdict lists both checks ([`LimitCheck`]), the binding one (`status`, `limit`: the one
//! with the larger IR/limit) and the clause and table it comes from ([`TargetCompliance::clause`]).
//!
//! Studies written before the status moved to the installations set it on the target
//! (deprecated): such a target is judged as before, its total IR against the limit of its own
//! status ([`Basis::TargetStatus`]); a study cannot set both (validation error).
//!
//! # External safety distances
//! From the contours of the **combined** individual risk of all installations, per enterprise
//! and for the park: see [`super::distance`] (GB/T 37243-2019 §6.8, rule recalled \[M\]). The
//! per-installation distances of earlier versions are kept as
//! [`Compliance::installation_distances`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use super::distance::{InstallationDistance, SafetyDistance};
use super::engine::RiskResult;
pub use super::study::InstallationStatus;
use super::study::{TargetClass, TargetStatus};
use crate::error::{QraError, Result};

/// IR limits of one target class, per year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClassLimits {
    /// Limit for new / altered / expanded installations.
    pub new: f64,
    /// Limit for in-service installations.
    pub in_service: f64,
}

/// An F-N criterion line F = anchor_f·(N/anchor_n)^slope.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FnLine {
    /// N of the anchor point.
    pub anchor_n: f64,
    /// F of the anchor point, per year.
    pub anchor_f: f64,
    /// Slope in log-log space (−1 or −2).
    pub slope: f64,
}

impl FnLine {
    /// F of the line at `n`, per year.
    pub fn at(&self, n: f64) -> f64 {
        self.anchor_f * (n / self.anchor_n).powf(self.slope)
    }
}

/// What the upper F-N line of a criteria set is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpperLine {
    /// A limit: above it the societal risk is intolerable (GB 36894-2018, HK, R2P2).
    #[default]
    Intolerable,
    /// An orientation value, not a limit (Bevi 2004 art. 13(1)(b) group risk,
    /// *oriëntatiewaarde* \[S\]): above it the group risk must be accounted for.
    OrientationValue,
}

/// Societal-risk criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Societal {
    /// The upper line (the intolerable line, or the orientation value, see `upper_line`; the
    /// field keeps its name for the data files and the Python API).
    pub intolerable: FnLine,
    /// What the upper line is (default: intolerable).
    #[serde(default)]
    pub upper_line: UpperLine,
    /// Negligible (acceptable) line, if the set has one.
    #[serde(default)]
    pub negligible: Option<FnLine>,
    /// Smallest N the lines apply to.
    pub n_min: f64,
    /// Largest N the lines apply to.
    #[serde(default)]
    pub n_max: Option<f64>,
    /// Any case with more fatalities is intolerable.
    #[serde(default)]
    pub intolerable_above_n: Option<f64>,
}

/// One criteria set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    /// Id (e.g. "GB36894-2018").
    pub id: String,
    /// Title.
    pub title: String,
    /// Source.
    pub source: String,
    /// Verification tag (V, S, M).
    pub verification: String,
    /// Remark on the IR table.
    #[serde(default)]
    pub ir_note: Option<String>,
    /// Clause and table of the IR limits (stated in every target verdict; default: `source`).
    #[serde(default)]
    pub ir_clause: Option<String>,
    /// Clause and figure of the societal-risk lines (default: `source`).
    #[serde(default)]
    pub fn_clause: Option<String>,
    /// IR limits by class.
    pub individual: BTreeMap<TargetClass, ClassLimits>,
    /// Societal criterion.
    pub societal: Societal,
}

impl CriteriaSet {
    /// IR limit for `class` and `status`, per year.
    pub fn limit(&self, class: TargetClass, status: TargetStatus) -> Option<f64> {
        self.individual.get(&class).map(|l| match status {
            TargetStatus::New => l.new,
            TargetStatus::InService => l.in_service,
        })
    }

    /// Every (class, status, IR limit per year) the set has a limit for, classes in
    /// [`TargetClass::ALL`] order, new before in-service.
    pub fn limits(&self) -> Vec<(TargetClass, TargetStatus, f64)> {
        TargetClass::ALL
            .iter()
            .flat_map(|&c| [TargetStatus::New, TargetStatus::InService].map(move |s| (c, s)))
            .filter_map(|(c, s)| self.limit(c, s).map(|l| (c, s, l)))
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    schema: String,
    set: Vec<CriteriaSet>,
}

/// All built-in criteria sets.
///
/// # Errors
/// [`QraError::InvalidDocument`] if the embedded file is broken.
pub fn criteria_sets() -> Result<&'static [CriteriaSet]> {
    static S: OnceLock<Result<Vec<CriteriaSet>>> = OnceLock::new();
    S.get_or_init(|| {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/criteria.toml"
        ));
        let f: CriteriaFile = toml::from_str(text)
            .map_err(|e| crate::substance::toml_error("models/criteria.toml", text, &e))?;
        if f.schema != "qra-criteria/1" {
            return Err(QraError::invalid(
                "schema",
                f.schema,
                "must be 'qra-criteria/1'",
            ));
        }
        Ok(f.set)
    })
    .as_ref()
    .map(|v| v.as_slice())
    .map_err(Clone::clone)
}

/// Looks a criteria set up by id (case-insensitive).
///
/// # Errors
/// [`QraError::UnknownName`] with suggestions.
pub fn criteria_set(id: &str) -> Result<&'static CriteriaSet> {
    let sets = criteria_sets()?;
    sets.iter()
        .find(|s| s.id.eq_ignore_ascii_case(id.trim()))
        .ok_or_else(|| QraError::unknown("criteria set", id, sets.iter().map(|s| s.id.as_str())))
}

/// How a value exactly on a limit or line is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Boundary {
    /// On the line counts as the better side (IR = limit passes; F = intolerable line is ALARP).
    #[default]
    OnLineIsBetter,
    /// On the line counts as the worse side.
    OnLineIsWorse,
}

impl Boundary {
    /// The name used in study files and the Python API (`"on-line-is-better"`,
    /// `"on-line-is-worse"`).
    pub fn name(self) -> &'static str {
        match self {
            Boundary::OnLineIsBetter => "on-line-is-better",
            Boundary::OnLineIsWorse => "on-line-is-worse",
        }
    }

    /// Whether `value` exceeds `limit` under this convention.
    pub fn exceeds(self, value: f64, limit: f64) -> bool {
        match self {
            Boundary::OnLineIsBetter => value > limit,
            Boundary::OnLineIsWorse => value >= limit,
        }
    }
}

/// F-N zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FnZone {
    /// Above the intolerable line somewhere.
    Intolerable,
    /// Above an orientation value somewhere ([`UpperLine::OrientationValue`]; not a failure).
    AboveOrientationValue,
    /// Between the lines.
    Alarp,
    /// Below the negligible line everywhere.
    Acceptable,
}

impl fmt::Display for FnZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FnZone::Intolerable => "intolerable",
            FnZone::AboveOrientationValue => "above the orientation value",
            FnZone::Alarp => "ALARP",
            FnZone::Acceptable => "acceptable",
        })
    }
}

/// What an IR check at a target compares (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The IR from the new installations against the limit for new installations.
    NewInstallations,
    /// The IR from all installations against the limit for in-service installations.
    AllInstallations,
    /// Deprecated target `status`: the IR from all installations against the limit of the
    /// status given on the target.
    TargetStatus,
}

/// One IR check of a target verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LimitCheck {
    /// The status whose limit applies.
    pub status: InstallationStatus,
    /// Which IR is compared.
    pub basis: Basis,
    /// That IR, per year.
    pub individual_risk: f64,
    /// The limit, per year.
    pub limit: f64,
    /// Whether the IR is within the limit.
    pub pass: bool,
}

/// Compliance of one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetCompliance {
    /// Target id.
    pub id: String,
    /// Class.
    pub class: TargetClass,
    /// Status of the binding check (the check with the larger IR/limit).
    pub status: TargetStatus,
    /// IR at the target from all installations, per year.
    pub individual_risk: f64,
    /// Part of it from new installations, per year.
    pub individual_risk_new: f64,
    /// Part of it from in-service installations, per year.
    pub individual_risk_in_service: f64,
    /// The limit of the binding check, per year.
    pub limit: f64,
    /// Whether every check passes.
    pub pass: bool,
    /// The checks (module docs): new-installation IR vs the new limit and all-installation IR
    /// vs the in-service limit, or the one check of a deprecated target status.
    pub checks: Vec<LimitCheck>,
    /// The clause and table the limits come from ([`CriteriaSet::ir_clause`]).
    pub clause: String,
}
/// A compliance report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    /// Criteria set id.
    pub criteria: String,
    /// Its source and verification tag.
    pub source: String,
    /// Boundary convention used.
    pub boundary: Boundary,
    /// Each protected target.
    pub targets: Vec<TargetCompliance>,
    /// F-N zone.
    pub fn_zone: FnZone,
    /// Largest F/F_upper over the applicable N range (F_upper: the intolerable line or the
    /// orientation value; > 1 means above it).
    pub worst_ratio: f64,
    /// N at which `worst_ratio` occurs.
    pub worst_ratio_n: f64,
    /// Largest N of any case.
    pub max_n: f64,
    /// Potential loss of life, per year.
    pub pll: f64,
    /// The clause and figure of the societal-risk lines ([`CriteriaSet::fn_clause`]).
    pub fn_clause: String,
    /// External safety distances from the combined IR contours, per enterprise and for the
    /// park ([`super::distance`]).
    pub safety_distances: Vec<SafetyDistance>,
    /// Per-installation distances (each installation to its own contour; not the external
    /// safety distance, kept for comparison).
    pub installation_distances: Vec<InstallationDistance>,
}

impl Compliance {
    /// Whether every target passes and the F-N curve is not intolerable (a curve above an
    /// orientation value passes; the report says where it lies).
    pub fn passed(&self) -> bool {
        self.targets.iter().all(|t| t.pass) && self.fn_zone != FnZone::Intolerable
    }
}

impl fmt::Display for Compliance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Compliance with {} ({})",
            self.criteria,
            self.boundary.name()
        )?;
        writeln!(f, "  source: {}", self.source)?;
        writeln!(f, "  individual risk at protected targets:")?;
        if self.targets.is_empty() {
            writeln!(f, "    (no targets)")?;
        }
        for t in &self.targets {
            writeln!(
                f,
                "    {:<20} {:<15} {:<10} IR = {:.3e}  limit {:.1e}  {}",
                t.id,
                t.class.name(),
                t.status.name(),
                t.individual_risk,
                t.limit,
                if t.pass { "PASS" } else { "FAIL" }
            )?;
        }
        if let Some(t) = self.targets.first() {
            writeln!(f, "    (limits: {})", t.clause)?;
        }
        writeln!(
            f,
            "  societal risk: {} (worst F/F_upper line = {:.3} at N = {:.3}); max N = {:.3}; PLL = {:.3e} /y ({})",
            self.fn_zone, self.worst_ratio, self.worst_ratio_n, self.max_n, self.pll, self.fn_clause
        )?;
        if !self.safety_distances.is_empty() {
            writeln!(
                f,
                "  external safety distances (combined IR contour; from the enterprise's boundary or nearest installation):"
            )?;
            for d in &self.safety_distances {
                writeln!(
                    f,
                    "    {:<20} {:<15} {:<10} {:.1e}: {:.0} m",
                    d.enterprise,
                    d.class.name(),
                    d.status.name(),
                    d.limit,
                    d.distance_m
                )?;
            }
        }
        write!(
            f,
            "  overall: {}",
            if self.passed() { "PASS" } else { "FAIL" }
        )
    }
}

/// F-N zone of the curve `fn_curve` (ascending N, F(N) = frequency of N_k ≥ N) against `s`;
/// returns (zone, worst F/F_intolerable, N of the worst ratio).
pub fn fn_zone(
    fn_curve: &[(f64, f64)],
    max_n: f64,
    s: &Societal,
    boundary: Boundary,
) -> (FnZone, f64, f64) {
    let n_max = s.n_max.unwrap_or(f64::INFINITY);
    // Evaluation points: each step end N_k in range; plus n_max with the F of the next step.
    let mut pts: Vec<(f64, f64)> = fn_curve
        .iter()
        .filter(|(n, _)| *n >= s.n_min && *n <= n_max)
        .copied()
        .collect();
    if n_max.is_finite() {
        if let Some(&(_, f)) = fn_curve.iter().find(|(n, _)| *n > n_max) {
            pts.push((n_max, f));
        }
    }
    // The first step in range also covers [n_min, N_k]; F is constant there and the line is
    // largest at n_min, so N_k is still the binding point.
    let mut worst = 0.0;
    let mut worst_n = 0.0;
    let mut intolerable = false;
    let mut below_negligible = true;
    for &(n, f) in &pts {
        let li = s.intolerable.at(n);
        let r = f / li;
        if r > worst {
            worst = r;
            worst_n = n;
        }
        if f > 0.0 && boundary.exceeds(f, li) {
            intolerable = true;
        }
        if let Some(l) = &s.negligible {
            if f > 0.0 && boundary.exceeds(f, l.at(n)) {
                below_negligible = false;
            }
        }
    }
    if let Some(cap) = s.intolerable_above_n {
        if max_n > cap {
            intolerable = true;
        }
    }
    let zone = if intolerable {
        match s.upper_line {
            UpperLine::Intolerable => FnZone::Intolerable,
            UpperLine::OrientationValue => FnZone::AboveOrientationValue,
        }
    } else if below_negligible && (s.negligible.is_some() || pts.iter().all(|p| p.1 == 0.0)) {
        FnZone::Acceptable
    } else {
        FnZone::Alarp
    };
    (zone, worst, worst_n)
}

/// The IR at each target of `result` from its new and from its in-service installations
/// (per year, targets in order): from the per-event contributions, summed in event order;
/// where all installations share one status, that status's part is the exact total
/// ([`crate::risk::engine::TargetRisk::individual_risk`]) and the other part 0.
pub fn target_ir_by_status(result: &RiskResult) -> Vec<(f64, f64)> {
    let status = &result.installation_status;
    let all_new = status.iter().all(|&s| s == InstallationStatus::New);
    let all_in = status.iter().all(|&s| s == InstallationStatus::InService);
    let status_of: BTreeMap<&str, InstallationStatus> = result
        .installations
        .iter()
        .zip(status)
        .map(|(p, &s)| (p.id.as_str(), s))
        .collect();
    result
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            if all_new {
                return (t.individual_risk, 0.0);
            }
            if all_in {
                return (0.0, t.individual_risk);
            }
            let mut new = 0.0;
            let mut old = 0.0;
            for c in &result.contributions {
                match status_of.get(c.installation.as_str()) {
                    Some(InstallationStatus::InService) => old += c.target_ir[k],
                    _ => new += c.target_ir[k],
                }
            }
            (new, old)
        })
        .collect()
}

/// The verdict of every protected target of `result` whose class `set` has a limit for (the
/// target part of [`check`], without the distances), by the rule of the module docs.
pub fn target_compliance(
    result: &RiskResult,
    set: &CriteriaSet,
    boundary: Boundary,
) -> Vec<TargetCompliance> {
    let by_status = target_ir_by_status(result);
    let has_new = result
        .installation_status
        .contains(&InstallationStatus::New);
    let clause = set
        .ir_clause
        .clone()
        .unwrap_or_else(|| format!("{} [{}]", set.source, set.verification));
    result
        .targets
        .iter()
        .zip(by_status)
        .filter_map(|(t, (ir_new, ir_in))| {
            let check = |status, basis, ir: f64| {
                set.limit(t.class, status).map(|limit| LimitCheck {
                    status,
                    basis,
                    individual_risk: ir,
                    limit,
                    pass: !boundary.exceeds(ir, limit),
                })
            };
            let total = t.individual_risk;
            let checks: Vec<LimitCheck> = match t.status {
                Some(s) => vec![check(s, Basis::TargetStatus, total)?],
                None => vec![
                    check(InstallationStatus::New, Basis::NewInstallations, ir_new)?,
                    check(
                        InstallationStatus::InService,
                        Basis::AllInstallations,
                        total,
                    )?,
                ],
            };
            // The binding check: the larger IR/limit; on ties (e.g. IR = 0) the new check if
            // the study has new installations, else the in-service one.
            let ratio = |c: &LimitCheck| c.individual_risk / c.limit;
            let first = if has_new { 0 } else { checks.len() - 1 };
            let binding =
                checks.iter().fold(
                    &checks[first],
                    |b, c| {
                        if ratio(c) > ratio(b) {
                            c
                        } else {
                            b
                        }
                    },
                );
            Some(TargetCompliance {
                id: t.id.clone(),
                class: t.class,
                status: binding.status,
                individual_risk: total,
                individual_risk_new: ir_new,
                individual_risk_in_service: ir_in,
                limit: binding.limit,
                pass: checks.iter().all(|c| c.pass),
                checks,
                clause: clause.clone(),
            })
        })
        .collect()
}

/// Compliance of a result with criteria set `set_id`.
///
/// # Errors
/// [`QraError::UnknownName`] for an unknown set.
pub fn check(result: &RiskResult, set_id: &str, boundary: Boundary) -> Result<Compliance> {
    let set = criteria_set(set_id)?;
    let targets = target_compliance(result, set, boundary);
    let curve: Vec<(f64, f64)> = result
        .fn_curve
        .iter()
        .map(|p| (p.n, p.f_per_year))
        .collect();
    let (zone, worst, worst_n) = fn_zone(&curve, result.max_n, &set.societal, boundary);
    let limits = set.limits();
    let (safety_distances, _) = super::distance::combined_distances(result, &limits);
    let installation_distances = super::distance::installation_distances(result, &limits);
    Ok(Compliance {
        criteria: set.id.clone(),
        source: format!("{} [{}]", set.source, set.verification),
        boundary,
        targets,
        fn_zone: zone,
        worst_ratio: worst,
        worst_ratio_n: worst_n,
        max_n: result.max_n,
        pll: result.pll,
        fn_clause: set
            .fn_clause
            .clone()
            .unwrap_or_else(|| format!("{} [{}]", set.source, set.verification)),
        safety_distances,
        installation_distances,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_names_are_the_serde_names() {
        for b in [Boundary::OnLineIsBetter, Boundary::OnLineIsWorse] {
            assert_eq!(serde_json::to_value(b).unwrap(), b.name());
        }
    }

    #[test]
    fn builtin_sets_load_and_match_the_reference_tables() {
        let gb = criteria_set("gb36894-2018").unwrap();
        // standards.md §1.2 [V] (2014 trial table, identical numbers in GB 36894).
        assert_eq!(
            gb.limit(TargetClass::HighSensitive, TargetStatus::New),
            Some(3e-7)
        );
        assert_eq!(
            gb.limit(TargetClass::General2, TargetStatus::InService),
            Some(1e-5)
        );
        assert_eq!(
            gb.limit(TargetClass::General3, TargetStatus::InService),
            Some(3e-5)
        );
        assert!(criteria_set("GB36894").is_err());
        for id in ["SAWS-2014-trial", "NL-Bevi-2004", "UK-HSE-R2P2", "HK-RG"] {
            assert!(criteria_set(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn zones_and_boundary_convention() {
        let s = &criteria_set("GB36894-2018").unwrap().societal;
        // F(N) = 1e-3/N exactly at N = 10 → on the intolerable line.
        let on_line = [(10.0, 1e-4)];
        assert_eq!(
            fn_zone(&on_line, 10.0, s, Boundary::OnLineIsBetter).0,
            FnZone::Alarp
        );
        assert_eq!(
            fn_zone(&on_line, 10.0, s, Boundary::OnLineIsWorse).0,
            FnZone::Intolerable
        );
        assert_eq!(
            fn_zone(&[(10.0, 1e-7)], 10.0, s, Boundary::OnLineIsBetter).0,
            FnZone::Acceptable
        );
        assert_eq!(
            fn_zone(&[(10.0, 2e-4)], 10.0, s, Boundary::OnLineIsBetter).0,
            FnZone::Intolerable
        );
        // Cases below n_min are ignored.
        assert_eq!(
            fn_zone(&[(0.5, 1.0)], 0.5, s, Boundary::OnLineIsBetter).0,
            FnZone::Acceptable
        );
        let hk = &criteria_set("HK-RG").unwrap().societal;
        assert_eq!(
            fn_zone(&[(2000.0, 1e-12)], 2000.0, hk, Boundary::OnLineIsBetter).0,
            FnZone::Intolerable
        );
    }

    /// NL group risk (issue 16): the Bevi line F = 10⁻³/N² (N ≥ 10) is an orientation value
    /// (*oriëntatiewaarde*; Bevi 2004 art. 13(1)(b), group risk to be accounted for, not a limit
    /// value \[S\]), so a
    /// curve above it is "above the orientation value", never "intolerable", and does not fail
    /// the compliance verdict. Hand check: at N = 10 the line is 10⁻⁵, so F(10) = 2·10⁻⁵ is above
    /// it (ratio 2) and F(10) = 5·10⁻⁶ below.
    #[test]
    fn nl_group_risk_is_an_orientation_value() {
        let nl = &criteria_set("NL-Bevi-2004").unwrap().societal;
        assert_eq!(nl.upper_line, UpperLine::OrientationValue);
        let (zone, ratio, n) = fn_zone(&[(10.0, 2e-5)], 10.0, nl, Boundary::OnLineIsBetter);
        assert_eq!(zone, FnZone::AboveOrientationValue);
        assert_eq!(zone.to_string(), "above the orientation value");
        assert!((ratio - 2.0).abs() < 1e-12 && n == 10.0);
        assert_eq!(
            fn_zone(&[(10.0, 5e-6)], 10.0, nl, Boundary::OnLineIsBetter).0,
            FnZone::Alarp
        );
        for id in ["GB36894-2018", "SAWS-2014-trial", "UK-HSE-R2P2", "HK-RG"] {
            assert_eq!(
                criteria_set(id).unwrap().societal.upper_line,
                UpperLine::Intolerable,
                "{id}"
            );
        }
    }
}

/// External safety distance of an installation holding an **explosive** by the consequence method
/// of GB/T 37243-2019 §5 (事故后果法): the distance at which the air-blast incident overpressure of
/// the most severe scenario — detonation of the whole `mass_kg` — falls to
/// `overpressure_threshold_pa`.
///
/// TNT mass W = e·M with the substance's TNT equivalence e (substance database); overpressure
/// from Kingery–Bulmash (Swisdak 1994) via [`crate::explosion::TntBlast::reach_m`].
/// The threshold is an argument on purpose: the standard's Annex G values were **not found**
/// (shared/reference/standards.md §2), so qra imposes none.
///
/// # Errors
/// A substance without `tnt_equivalence`, non-positive mass or threshold.
pub fn explosive_safety_distance_m(
    substance: &crate::substance::Substance,
    mass_kg: f64,
    overpressure_threshold_pa: f64,
) -> Result<f64> {
    crate::error::check::positive("mass_kg", mass_kg)?;
    crate::error::check::positive("overpressure_threshold_pa", overpressure_threshold_pa)?;
    let e = substance.tnt_equivalence.ok_or_else(|| {
        QraError::invalid(
            format!("substance '{}'.tnt_equivalence", substance.name),
            "missing",
            "the consequence method applies to explosives (substances with a TNT equivalence)",
        )
    })?;
    Ok(crate::explosion::TntBlast::new(e * mass_kg)?.reach_m(overpressure_threshold_pa))
}

#[cfg(test)]
mod explosive_distance_tests {
    use super::*;
    use crate::substance::substance;

    /// 10 t of ammonium nitrate (TNT equivalence 0.32 in the database) = 3.2 t TNT. The returned
    /// distance must give back the threshold through the independent Kingery–Bulmash evaluation,
    /// and Hopkinson–Cranz scaling must hold: the distance for 8× the mass is 2× as large.
    #[test]
    fn consequence_distance_is_consistent_and_scales() {
        let an = substance("ammonium nitrate").unwrap();
        let d = explosive_safety_distance_m(an, 10_000.0, 10e3).unwrap();
        let p = crate::explosion::TntBlast::new(3200.0)
            .unwrap()
            .overpressure_pa(d);
        assert!((p / 10e3 - 1.0).abs() < 1e-3, "{p}");
        let d8 = explosive_safety_distance_m(an, 80_000.0, 10e3).unwrap();
        assert!((d8 / d - 2.0).abs() < 1e-3, "{}", d8 / d);
        assert!(explosive_safety_distance_m(substance("chlorine").unwrap(), 1.0, 1e4).is_err());
        assert!(explosive_safety_distance_m(an, -1.0, 1e4).is_err());
    }
}
