//! Major-hazard identification and grading of a unit after GB 18218-2018
//! 《危险化学品重大危险源辨识》 §4 and the grading method of SAWS Order No. 40 (2011) Annex 1
//! 《危险化学品重大危险源分级方法》, carried into practice with the 2018 tables.
//!
//! # Equations
//! * Identification (GB 18218-2018 §4.2.2): S = Σᵢ qᵢ / Qᵢ; the unit is a major hazard
//!   installation when S ≥ 1.
//! * Grading index: R = α · Σᵢ βᵢ · qᵢ / Qᵢ, with βᵢ the substance correction factor
//!   (GB 18218-2018 Tables 3–4) and α the correction for people exposed outside the plant within
//!   500 m of its boundary (Table 5): ≥ 100 → 2.0; 50–99 → 1.5; 30–49 → 1.2; 1–29 → 1.0; 0 → 0.5.
//! * Grade: 一级 R ≥ 100; 二级 50 ≤ R < 100; 三级 10 ≤ R < 50; 四级 R < 10.
//!
//! qᵢ and Qᵢ are in tonnes in the standard; the API takes kilograms (SI) and converts.
//! Source of the numbers: shared/reference/standards.md §6 ([S+] seed data extracted from the
//! standard, [V] cross-checked against the identical 2011 method text); Q and β per substance are in
//! `models/substances.toml` with their own verification tags.
//!
//! Checked against published numbers in `qra-core/tests/worked_examples_park.rs`: a worked exam
//! question (SO₂ 200 t, 60 persons → R = 30, 三级) and the α, toxic-gas/flammable-gas β and grade
//! tables of the SAWS Order 40 Annex 1 text.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{check, QraError, Result};
use crate::substance::Substance;

/// Major-hazard grade (GB 18218-2018 grading, 一级 = most severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    /// 一级, R ≥ 100.
    One,
    /// 二级, 50 ≤ R < 100.
    Two,
    /// 三级, 10 ≤ R < 50.
    Three,
    /// 四级, R < 10.
    Four,
}

impl Grade {
    /// The grade for an index R (R must be finite and ≥ 0).
    pub fn from_r(r: f64) -> Grade {
        if r >= 100.0 {
            Grade::One
        } else if r >= 50.0 {
            Grade::Two
        } else if r >= 10.0 {
            Grade::Three
        } else {
            Grade::Four
        }
    }

    /// Chinese label (一级 … 四级).
    pub fn zh(&self) -> &'static str {
        match self {
            Grade::One => "一级",
            Grade::Two => "二级",
            Grade::Three => "三级",
            Grade::Four => "四级",
        }
    }

    /// Arabic number of the grade, 1 … 4.
    pub fn number(&self) -> u8 {
        match self {
            Grade::One => 1,
            Grade::Two => 2,
            Grade::Three => 3,
            Grade::Four => 4,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grade {} ({})", self.number(), self.zh())
    }
}

/// α for the number of people exposed outside the plant within 500 m of its boundary
/// (GB 18218-2018 Table 5).
pub fn alpha_for_exposed_population(persons: u64) -> f64 {
    match persons {
        0 => 0.5,
        1..=29 => 1.0,
        30..=49 => 1.2,
        50..=99 => 1.5,
        _ => 2.0,
    }
}

/// One substance's line in the identification table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// Substance name.
    pub substance: String,
    /// Quantity present, t.
    pub quantity_t: f64,
    /// Critical quantity Q, t.
    pub critical_quantity_t: f64,
    /// q / Q.
    pub ratio: f64,
    /// Correction factor β.
    pub beta: f64,
}

/// The identification and grading of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identification {
    /// Per-substance terms.
    pub terms: Vec<Term>,
    /// S = Σ q/Q.
    pub s: f64,
    /// Whether S ≥ 1.
    pub is_major_hazard: bool,
    /// α used.
    pub alpha: f64,
    /// R = α Σ β q/Q.
    pub r: f64,
    /// Grade, only for a major hazard installation.
    pub grade: Option<Grade>,
}

/// Identifies and grades a unit holding `inventory` (substance, quantity in kg) with
/// `exposed_persons` people outside the plant within 500 m.
///
/// Errors: negative/NaN quantities, a substance without GB 18218 data, an empty inventory.
pub fn identify(inventory: &[(&Substance, f64)], exposed_persons: u64) -> Result<Identification> {
    if inventory.is_empty() {
        return Err(QraError::invalid(
            "inventory",
            "[]",
            "must list at least one substance",
        ));
    }
    let mut terms = Vec::with_capacity(inventory.len());
    for (s, q_kg) in inventory {
        check::non_negative(&format!("inventory['{}'] (kg)", s.name), *q_kg)?;
        let g = s.gb18218.as_ref().ok_or_else(|| {
            QraError::invalid(
                format!("substance '{}'.gb18218", s.name),
                "missing",
                "GB 18218 critical quantity and beta are needed for identification",
            )
        })?;
        let q_t = q_kg / 1000.0;
        terms.push(Term {
            substance: s.name.clone(),
            quantity_t: q_t,
            critical_quantity_t: g.critical_quantity_t,
            ratio: q_t / g.critical_quantity_t,
            beta: g.beta,
        });
    }
    let s: f64 = terms.iter().map(|t| t.ratio).sum();
    let alpha = alpha_for_exposed_population(exposed_persons);
    let r = alpha * terms.iter().map(|t| t.beta * t.ratio).sum::<f64>();
    let is_major_hazard = s >= 1.0;
    Ok(Identification {
        terms,
        s,
        is_major_hazard,
        alpha,
        r,
        grade: is_major_hazard.then(|| Grade::from_r(r)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::substance::substance;
    use crate::tolerance::EXACT;
    use approx::assert_relative_eq;

    /// Hand-computed from the equations and tables (GB 18218-2018 Tables 1, 3, 5): a liquid-chlorine
    /// store of 30 t (Q = 5 t, β = 4) and 60 t ammonia (Q = 10 t, β = 2) with 120 people within
    /// 500 m (α = 2): S = 6 + 6 = 12; R = 2 (4·6 + 2·6) = 72 → 二级.
    #[test]
    fn chlorine_ammonia_store() {
        let cl2 = substance("chlorine").unwrap();
        let nh3 = substance("ammonia").unwrap();
        let id = identify(&[(cl2, 30_000.0), (nh3, 60_000.0)], 120).unwrap();
        assert_relative_eq!(id.s, 12.0, max_relative = EXACT);
        assert_relative_eq!(id.r, 72.0, max_relative = EXACT);
        assert_eq!(id.grade, Some(Grade::Two));
        assert_eq!(id.grade.unwrap().zh(), "二级");
    }

    /// Phosgene, the strictest entry (Q = 0.3 t, β = 20): 0.9 t with nobody exposed (α = 0.5):
    /// S = 3, R = 0.5·20·3 = 30 → 三级. 0.2 t: S = 0.667 < 1, not a major hazard, no grade.
    #[test]
    fn phosgene() {
        let p = substance("phosgene").unwrap();
        let id = identify(&[(p, 900.0)], 0).unwrap();
        assert_relative_eq!(id.r, 30.0, max_relative = 1e-12);
        assert_eq!(id.grade, Some(Grade::Three));
        let id = identify(&[(p, 200.0)], 500).unwrap();
        assert!(!id.is_major_hazard);
        assert_eq!(id.grade, None);
    }

    #[test]
    fn grade_boundaries_and_alpha_table() {
        assert_eq!(Grade::from_r(100.0), Grade::One);
        assert_eq!(Grade::from_r(99.999), Grade::Two);
        assert_eq!(Grade::from_r(50.0), Grade::Two);
        assert_eq!(Grade::from_r(10.0), Grade::Three);
        assert_eq!(Grade::from_r(9.99), Grade::Four);
        let a: Vec<f64> = [0, 1, 29, 30, 49, 50, 99, 100, 10_000]
            .iter()
            .map(|&n| alpha_for_exposed_population(n))
            .collect();
        assert_eq!(a, vec![0.5, 1.0, 1.0, 1.2, 1.2, 1.5, 1.5, 2.0, 2.0]);
    }

    #[test]
    fn bad_inputs() {
        let cl2 = substance("chlorine").unwrap();
        assert!(identify(&[], 0).is_err());
        assert!(identify(&[(cl2, -1.0)], 0).is_err());
        assert!(identify(&[(cl2, f64::NAN)], 0).is_err());
    }
}
