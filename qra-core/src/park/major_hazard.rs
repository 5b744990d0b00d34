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
//! standard, \[V\] cross-checked against the identical 2011 method text); Q and β per substance are in
//! `models/substances.toml` with their own verification tags.
//!
//! # Units
//! [`identify_units`] grades the units of a study (`[[units]]` grouping installations: 装置/设施
//! or 储存单元), with α from the population within 500 m of each unit (its rules there).
//! Table 5 is data (`models/gb18218.toml`, with its source).
//!
//! Checked against published numbers in `qra-core/tests/worked_examples_park.rs`: a worked exam
//! question (SO₂ 200 t, 60 persons → R = 30, 三级) and the α, toxic-gas/flammable-gas β and grade
//! tables of the SAWS Order 40 Annex 1 text.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{check, QraError, Result};
use crate::geometry::{polygon, polygon_area_m2};
use crate::risk::study::{Population, Study, UnitKind};
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

/// One band of GB 18218-2018 Table 5 (`models/gb18218.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlphaBand {
    /// Smallest number of persons of the band (inclusive).
    pub min_persons: u64,
    /// α.
    pub alpha: f64,
}

/// GB 18218-2018 Table 5 as data, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlphaTable {
    /// Source.
    pub source: String,
    /// Verification tag (V, S, M).
    pub verification: String,
    /// Bands, ascending `min_persons`, the first at 0.
    pub bands: Vec<AlphaBand>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Gb18218File {
    schema: String,
    alpha: AlphaTable,
}

/// GB 18218-2018 Table 5 (`models/gb18218.toml`, embedded).
///
/// # Errors
/// [`QraError::InvalidDocument`] / [`QraError::InvalidInput`] if the embedded file is broken
/// (wrong schema, bands not ascending from 0).
pub fn alpha_table() -> Result<&'static AlphaTable> {
    static T: OnceLock<Result<AlphaTable>> = OnceLock::new();
    T.get_or_init(|| {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/gb18218.toml"
        ));
        let f: Gb18218File = toml::from_str(text)
            .map_err(|e| crate::substance::toml_error("models/gb18218.toml", text, &e))?;
        if f.schema != "qra-gb18218/1" {
            return Err(QraError::invalid(
                "schema",
                f.schema,
                "must be 'qra-gb18218/1'",
            ));
        }
        let b = &f.alpha.bands;
        let ascending = b.windows(2).all(|w| w[0].min_persons < w[1].min_persons);
        if b.first().map(|x| x.min_persons) != Some(0) || !ascending {
            return Err(QraError::invalid(
                "models/gb18218.toml alpha.bands",
                format!("{b:?}"),
                "must start at 0 persons and ascend",
            ));
        }
        Ok(f.alpha)
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// α for the number of people exposed outside the plant within 500 m (GB 18218-2018 Table 5,
/// [`alpha_table`]): ≥ 100 → 2.0; 50–99 → 1.5; 30–49 → 1.2; 1–29 → 1.0; 0 → 0.5.
///
/// # Errors
/// A broken embedded table ([`alpha_table`]).
pub fn alpha_for_exposed_population(persons: u64) -> Result<f64> {
    let t = alpha_table()?;
    Ok(t.bands
        .iter()
        .rev()
        .find(|b| persons >= b.min_persons)
        .map_or(t.bands[0].alpha, |b| b.alpha))
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
    let alpha = alpha_for_exposed_population(exposed_persons)?;
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

// ---------------------------------------------------------------------------------------------
// Units of a study (装置/设施 and 储存单元) and the population around them.

/// Distance from a unit's boundary (or its installations' envelope) within which the exposed
/// population sets α, m (GB 18218-2018 Table 5 heading and §4.3 \[M\]; the 2011 method text says
/// 厂区外暴露人员, people exposed outside the plant \[V\]).
pub const EXPOSURE_RADIUS_M: f64 = 500.0;

/// Largest spacing of the sampling lattice of population areas, m.
const SAMPLE_SPACING_M: f64 = 10.0;

/// The GB 18218-2018 identification of one unit of a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitIdentification {
    /// Unit id (`[[units]]` id, else the id of the installation that is a unit of its own).
    pub unit: String,
    /// Unit name.
    pub name: Option<String>,
    /// Production (装置/设施) or storage (储存单元) unit; `None` for an installation without a
    /// `unit` (a unit of its own).
    pub kind: Option<UnitKind>,
    /// Facility (enterprise) of the unit's installations, if they name one.
    pub facility: Option<String>,
    /// Its installations' ids, in study order.
    pub installations: Vec<String>,
    /// Persons in the day within [`EXPOSURE_RADIUS_M`] of the unit and outside its enterprise's
    /// boundary (population rasters and polygons, by area fraction).
    pub exposed_persons_day: f64,
    /// The same at night.
    pub exposed_persons_night: f64,
    /// The count α is read with: ⌈max(day, night)⌉ (see [`identify_units`]).
    pub exposed_persons: u64,
    /// S, R, α, grade and the per-substance terms; `None` when a substance has no GB 18218 data.
    pub identification: Option<Identification>,
    /// Why the unit was not identified (a substance without GB 18218 data), if it was not.
    pub not_identified: Option<String>,
}

/// The set of points within `radius` of a unit's boundary or its installations' envelope, minus
/// its enterprise's own site.
struct Exposure {
    shape: geo::Polygon<f64>,
    /// Degenerate envelope (1–2 installations, or collinear ones): its points.
    line: Option<geo::LineString<f64>>,
    site: Option<geo::Polygon<f64>>,
    bbox: [f64; 4],
}

impl Exposure {
    fn new(boundary: Option<&[[f64; 2]]>, points: &[[f64; 2]], site: Option<&[[f64; 2]]>) -> Self {
        use geo::{BoundingRect, ConvexHull};
        let r = EXPOSURE_RADIUS_M;
        let (shape, line) = match boundary {
            Some(b) if b.len() >= 3 => (polygon(b), None),
            _ => {
                let mp: geo::MultiPoint<f64> =
                    points.iter().map(|p| geo::Point::new(p[0], p[1])).collect();
                let hull = mp.convex_hull();
                if geo::Area::unsigned_area(&hull) > 0.0 {
                    (hull, None)
                } else {
                    let ls: geo::LineString<f64> = points
                        .iter()
                        .map(|p| geo::Coord { x: p[0], y: p[1] })
                        .collect();
                    (hull, Some(ls))
                }
            }
        };
        let rect = match &line {
            Some(l) => l.bounding_rect(),
            None => shape.bounding_rect(),
        };
        let bbox = rect.map_or([0.0; 4], |b| {
            [b.min().x - r, b.min().y - r, b.max().x + r, b.max().y + r]
        });
        Exposure {
            shape,
            line,
            site: site.filter(|s| s.len() >= 3).map(polygon),
            bbox,
        }
    }

    fn contains(&self, x: f64, y: f64) -> bool {
        use geo::line_measures::{Distance, Euclidean};
        use geo::Contains;
        if x < self.bbox[0] || x > self.bbox[2] || y < self.bbox[1] || y > self.bbox[3] {
            return false;
        }
        let p = geo::Point::new(x, y);
        let d = match &self.line {
            Some(l) if l.0.len() == 1 => Euclidean.distance(&p, &geo::Point::from(l.0[0])),
            Some(l) => Euclidean.distance(&p, l),
            None => Euclidean.distance(&p, &self.shape),
        };
        d <= EXPOSURE_RADIUS_M && !self.site.as_ref().is_some_and(|s| s.contains(&p))
    }
}

/// Persons (day, night) of `population` in the region of `e`: each raster cell and polygon
/// counts its persons times the fraction of its area in the region, the fraction from a lattice
/// of sample points (cell centres of a k × k subdivision of a raster cell, k = ⌈cell/10 m⌉ ≤ 50;
/// a square lattice of spacing min(10 m, √area/10) over a polygon, clipped to the region's
/// bounding box, each point standing for h² of the polygon's area).
fn exposed(population: &Population, e: &Exposure) -> (f64, f64) {
    use geo::Contains;
    let (mut day, mut night) = (0.0, 0.0);
    for r in &population.rasters {
        let k = ((r.cell_size_m / SAMPLE_SPACING_M).ceil() as usize).clamp(1, 50);
        let h = r.cell_size_m / k as f64;
        let night_counts = r.counts_night.as_ref().unwrap_or(&r.counts);
        for iy in 0..r.ny {
            let y0 = r.y0_m + iy as f64 * r.cell_size_m;
            if y0 > e.bbox[3] || y0 + r.cell_size_m < e.bbox[1] {
                continue;
            }
            for ix in 0..r.nx {
                let x0 = r.x0_m + ix as f64 * r.cell_size_m;
                if x0 > e.bbox[2] || x0 + r.cell_size_m < e.bbox[0] {
                    continue;
                }
                let c = iy * r.nx + ix;
                let (cd, cn) = (r.counts[c], night_counts[c]);
                if cd == 0.0 && cn == 0.0 {
                    continue;
                }
                let mut n = 0usize;
                for j in 0..k {
                    for i in 0..k {
                        if e.contains(x0 + (i as f64 + 0.5) * h, y0 + (j as f64 + 0.5) * h) {
                            n += 1;
                        }
                    }
                }
                let f = n as f64 / (k * k) as f64;
                day += cd * f;
                night += cn * f;
            }
        }
    }
    for p in &population.polygons {
        let area = polygon_area_m2(&p.vertices);
        if area <= 0.0 {
            continue;
        }
        let shape = polygon(&p.vertices);
        let b = geo::BoundingRect::bounding_rect(&shape);
        let Some(b) = b else { continue };
        let x0 = b.min().x.max(e.bbox[0]);
        let x1 = b.max().x.min(e.bbox[2]);
        let y0 = b.min().y.max(e.bbox[1]);
        let y1 = b.max().y.min(e.bbox[3]);
        if x0 > x1 || y0 > y1 {
            continue;
        }
        let h = SAMPLE_SPACING_M.min(area.sqrt() / 10.0);
        // Lattice anchored at the polygon's corner (not the clip box), so every polygon's points
        // are the same whatever the unit.
        let i0 = ((x0 - b.min().x) / h).floor() as i64;
        let i1 = ((x1 - b.min().x) / h).ceil() as i64;
        let j0 = ((y0 - b.min().y) / h).floor() as i64;
        let j1 = ((y1 - b.min().y) / h).ceil() as i64;
        let mut n = 0usize;
        for j in j0..j1 {
            let y = b.min().y + (j as f64 + 0.5) * h;
            for i in i0..i1 {
                let x = b.min().x + (i as f64 + 0.5) * h;
                if shape.contains(&geo::Point::new(x, y)) && e.contains(x, y) {
                    n += 1;
                }
            }
        }
        let f = (n as f64 * h * h / area).min(1.0);
        day += p.count_day * f;
        night += p.count_night.unwrap_or(p.count_day) * f;
    }
    (day, night)
}

/// GB 18218-2018 identification and grading of every unit of `study`.
///
/// # Units of the study
/// `[[units]]` (id, name, kind `"production"` = 生产单元 装置/设施 or `"storage"` = 储存单元, an
/// optional boundary polygon) group installations (`unit = "…"` on an installation). An
/// installation without `unit` is a unit of its own — the per-installation identification of
/// earlier versions. Pipelines and transport routes are not units (GB 18218-2018 §1 leaves out
/// long-distance pipelines; scope recalled \[M\]). Units are listed in the order of their first
/// installation.
///
/// # Quantities
/// q of each substance = the sum of the inventories of the unit's installations holding it
/// (GB 18218-2018 §4.2: the maximum quantity that can be present in the unit, 最大存在量 \[M\]);
/// S, R and the grade by [`identify`].
///
/// # α: the population within 500 m
/// α follows GB 18218-2018 Table 5 ([`alpha_for_exposed_population`]) from the number of people
/// within [`EXPOSURE_RADIUS_M`] of the unit's boundary — the `boundary` of its `[[units]]`
/// entry, else the envelope (convex hull) of its installations — and outside its enterprise's
/// boundary when the facility gives one (the people exposed **outside** the plant, 厂区外暴露人员
/// of the method text \[V\]; the standard's own wording of the 500 m rule recalled \[M\]). The study
/// population counts: rasters and polygons, each element by the fraction of its area in that
/// region (population is uniform within a raster cell or polygon). The count is the larger of
/// the day and the night totals (the standard counts the people who may be exposed; residents
/// are there at night, workers and visitors by day), rounded **up** to whole persons (a fraction
/// of a person counts as one: the conservative side of the Table 5 bands) — a decision of qra,
/// stated with every unit ([`UnitIdentification::exposed_persons`]).
///
/// # Errors
/// The study's substance database (invalid user substances). A substance without GB 18218 data
/// does not fail the call: its unit carries [`UnitIdentification::not_identified`].
pub fn identify_units(study: &Study) -> Result<Vec<UnitIdentification>> {
    let db = study.substance_db()?;
    // Units in the order of their first installation.
    let mut order: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, inst) in study.installations.iter().enumerate() {
        let id = inst.unit.clone().unwrap_or_else(|| inst.id.clone());
        match order.iter_mut().find(|u| u.0 == id) {
            Some(u) => u.1.push(i),
            None => order.push((id, vec![i])),
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for (id, members) in order {
        let def = study
            .units
            .iter()
            .find(|u| u.id == id && study.installations[members[0]].unit.as_deref() == Some(&u.id));
        let first = &study.installations[members[0]];
        let site = study
            .facilities
            .iter()
            .find(|f| first.facility.as_deref() == Some(f.id.as_str()))
            .and_then(|f| f.boundary.as_deref());
        let points: Vec<[f64; 2]> = members
            .iter()
            .map(|&i| [study.installations[i].x_m, study.installations[i].y_m])
            .collect();
        let e = Exposure::new(def.and_then(|u| u.boundary.as_deref()), &points, site);
        let (day, night) = exposed(&study.population, &e);
        let persons = (day.max(night) - 1e-9).ceil().max(0.0) as u64;
        // Inventory per substance, first appearance first.
        let mut inv: Vec<(&Substance, f64)> = Vec::new();
        let mut missing = None;
        for &i in &members {
            let inst = &study.installations[i];
            match db.get(&inst.substance) {
                Ok(s) => match inst.inventory_kg(s) {
                    Ok(m) => match inv.iter_mut().find(|t| std::ptr::eq(t.0, s)) {
                        Some(t) => t.1 += m,
                        None => inv.push((s, m)),
                    },
                    Err(e) => missing = Some(e.to_string()),
                },
                Err(e) => missing = Some(e.to_string()),
            }
        }
        let (identification, not_identified) = match missing {
            Some(m) => (None, Some(m)),
            None => match identify(&inv, persons) {
                Ok(id) => (Some(id), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        out.push(UnitIdentification {
            unit: id,
            name: def
                .and_then(|u| u.name.clone())
                .or_else(|| (members.len() == 1).then(|| first.name.clone()).flatten()),
            kind: def.map(|u| u.kind),
            facility: first.facility.clone(),
            installations: members
                .iter()
                .map(|&i| study.installations[i].id.clone())
                .collect(),
            exposed_persons_day: day,
            exposed_persons_night: night,
            exposed_persons: persons,
            identification,
            not_identified,
        });
    }
    Ok(out)
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
            .map(|&n| alpha_for_exposed_population(n).unwrap())
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
