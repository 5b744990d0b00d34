//! Linear sources: pipelines and transport routes (road / rail tanker) as polylines with per-km
//! event frequencies, discretised into release points that feed the same IR grid, F-N and PLL as
//! the installations of a study; IR transects and societal risk per km.
//!
//! # Model
//! A linear source of length L carries release classes c (rupture, hole sizes, tanker accident with
//! release) with frequencies f_c per km per year. Every release is equally likely anywhere on the
//! line, so the individual risk at a point P is the line integral (CCPS 2000, *Guidelines for
//! Chemical Process Quantitative Risk Analysis*, 2nd ed., §4.4 "linear sources" [M]; Purple Book,
//! CPR 18E 1999, ch. 3 transport / pipelines [M]):
//!
//! IR(P) = Σ_c Σ_O Σ_M Σ_φ (f_c / 1000) · P_O · P_M · P_φ · ∫_0^L P_d(P − r(s)) ds,
//!
//! with r(s) the point at chainage s (m). For a circular footprint of radius R and lethality P
//! inside, the integral is P times the **interaction length** — the length of line from which a
//! release reaches P (IGEM/TD/2 ed. 2, 2013, "interaction distance/length" [M]):
//! L_int(d) = 2·√(R² − d²) for a point at perpendicular distance d < R from a straight line, so
//! IR(d) = f_c/1000 · P · 2·√(R² − d²) (see [`interaction_length_m`], [`analytic_transect`]).
//!
//! # Discretisation and convergence
//! The line is cut into pieces of length ≤ Δs (each segment between vertices into
//! n = ⌈ℓ/Δs⌉ equal pieces) and one release point is placed at the centre of each piece with the
//! frequency f_c · ℓ_piece / 1000 (midpoint rule: the total frequency f_c·L/1000 is kept exactly).
//! Each release point becomes an installation `"<id>#<k>"` with events `"<id>/<class>#<k>"`, so the
//! release points take part in the grid, targets, F-N, PLL and contributions like any installation.
//! Footprints are computed once per (class, outcome, weather) and shared by all release points.
//!
//! Convergence: for a circular footprint the discrete sum counts the release points inside the
//! chord of length L_int(d); its error is at most one point, i.e. a relative error
//! ≤ Δs / L_int(d) (≤ Δs/(2R) on the line). Δs ≤ R/10 for the smallest footprint that matters keeps
//! the on-line error ≤ 5 %; the test `linear_transect_matches_analytic` checks that the error
//! shrinks with Δs. Default Δs = min(10 m, grid resolution) — small against the reaches of
//! transmission-pipeline and tanker scenarios (tens to hundreds of metres).
//!
//! # Societal risk per km
//! Dutch and UK practice judges pipeline societal risk per kilometre: the F-N curve of the releases
//! from the worst 1-km stretch, compared with a per-km criterion (NL: Besluit externe veiligheid
//! buisleidingen 2011 / Handleiding risicoberekeningen Bevb, oriëntatiewaarde F = 10⁻²/N² per km per
//! year [M]; UK: IGEM/TD/2 FN criteria per km [M]; Schork et al. 2012, *Pipeline & Gas Journal*
//! 239(10), "Societal risk criteria and pipelines": F on a per-length basis). [`societal_per_km`]
//! slides a window of `window_m` along the line in steps of `step_m`; the worst stretch is the one
//! with the largest max_N F(N)·N² (the ratio to a 10⁻²/N² line, times 10⁻²).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::engine::{fn_curve_of, scenario_cases, FnPoint, RiskResult};
use super::study::{
    EventTree, FrequencyPer, Installation, LocRef, LocTable, Outcome, Phase, ReleaseKind, Study,
};
use crate::error::{FieldError, QraError, Result};

/// Largest number of vertices of one linear source.
pub const MAX_VERTICES: usize = 100_000;

/// Largest number of release points of all linear sources of a study.
pub const MAX_RELEASE_POINTS: u128 = 200_000;

/// Default release-point spacing upper bound, m (the grid resolution if smaller).
pub const DEFAULT_SPACING_M: f64 = 10.0;

/// Kind of linear source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinearKind {
    /// Buried or above-ground pipeline.
    #[default]
    Pipeline,
    /// Road tanker route.
    Road,
    /// Rail tank-car route.
    Rail,
}

/// One release class of a linear source (frequency per km per year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearRelease {
    /// Id, unique within the source ("rupture", "hole-80mm", "tanker-bleve").
    pub id: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Failure frequency, per km per year.
    #[serde(default)]
    pub frequency_per_km_year: Option<f64>,
    /// Generic frequency of a per-metre-year equipment type of `models/loc_frequencies.toml`
    /// (multiplier must be 1; per km = 1000 × per m).
    #[serde(default)]
    pub loc: Option<LocRef>,
    /// Transport: accident frequency, per km per year (vehicle-km per year × accident rate per
    /// vehicle-km); the release frequency is this times `release_probability`.
    #[serde(default)]
    pub accident_frequency_per_km_year: Option<f64>,
    /// Transport: probability that an accident gives this release.
    #[serde(default)]
    pub release_probability: Option<f64>,
    /// Release type (default "rupture" for pipelines without a hole diameter, else "hole").
    #[serde(default)]
    pub release: Option<ReleaseKind>,
    /// Hole diameter, mm (default for ruptures: the pipe diameter).
    #[serde(default)]
    pub hole_diameter_mm: Option<f64>,
    /// Release duration, s.
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// Event tree.
    #[serde(default)]
    pub event_tree: EventTree,
    /// Outcomes (same forms as installation events).
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
}

/// A pipeline or transport route (`[[pipelines]]` of a study).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// Unique id (also among installation ids; no '#' or '/').
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Pipeline, road or rail.
    #[serde(default)]
    pub kind: LinearKind,
    /// Polyline vertices (x east, y north), m; at least 2, at most [`MAX_VERTICES`].
    pub vertices: Vec<[f64; 2]>,
    /// Substance name (built-in or user).
    pub substance: String,
    /// Pipe inner diameter, mm.
    #[serde(default)]
    pub diameter_mm: Option<f64>,
    /// Operating pressure (absolute), Pa.
    #[serde(default)]
    pub pressure_pa: Option<f64>,
    /// Temperature, K.
    #[serde(default)]
    pub temperature_k: Option<f64>,
    /// Phase.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// Inventory involved in one release, kg (a tanker load; default 0).
    #[serde(default)]
    pub inventory_kg: f64,
    /// Release-point spacing Δs, m (default min(10 m, grid resolution)).
    #[serde(default)]
    pub spacing_m: Option<f64>,
    /// Release classes.
    pub releases: Vec<LinearRelease>,
}

impl Pipeline {
    /// Length of the polyline, m.
    pub fn length_m(&self) -> f64 {
        self.vertices
            .windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum()
    }

    /// Release-point spacing used with a grid of resolution `grid_resolution_m`, m.
    pub fn spacing(&self, grid_resolution_m: f64) -> f64 {
        self.spacing_m
            .unwrap_or_else(|| DEFAULT_SPACING_M.min(grid_resolution_m))
    }

    /// Point and unit tangent at chainage `s` (m, clamped to [0, L]).
    pub fn at_chainage(&self, s: f64) -> ([f64; 2], [f64; 2]) {
        let mut left = s.max(0.0);
        let n = self.vertices.len();
        for (k, w) in self.vertices.windows(2).enumerate() {
            let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
            let l = dx.hypot(dy);
            if l <= 0.0 {
                continue;
            }
            if left <= l || k + 2 == n {
                let t = (left / l).min(1.0);
                return ([w[0][0] + t * dx, w[0][1] + t * dy], [dx / l, dy / l]);
            }
            left -= l;
        }
        (self.vertices[0], [1.0, 0.0])
    }

    /// Release points: (x, y, chainage of the point, length represented), m (module docs).
    pub fn release_points(&self, spacing_m: f64) -> Vec<ReleasePoint> {
        let mut out = Vec::new();
        let mut s0 = 0.0;
        for w in self.vertices.windows(2) {
            let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
            let l = dx.hypot(dy);
            if l <= 0.0 {
                continue;
            }
            let n = (l / spacing_m).ceil().max(1.0) as usize;
            let piece = l / n as f64;
            for k in 0..n {
                let t = (k as f64 + 0.5) / n as f64;
                out.push(ReleasePoint {
                    x_m: w[0][0] + t * dx,
                    y_m: w[0][1] + t * dy,
                    chainage_m: s0 + t * l,
                    length_m: piece,
                });
            }
            s0 += l;
        }
        out
    }

    /// Number of release points at spacing `spacing_m` (as [`Pipeline::release_points`]).
    pub fn point_count(&self, spacing_m: f64) -> u128 {
        self.vertices
            .windows(2)
            .map(|w| {
                let l = (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
                if l > 0.0 && spacing_m > 0.0 {
                    (l / spacing_m).ceil().min(1e30) as u128
                } else {
                    0
                }
            })
            .sum()
    }
}

/// One release point of a discretised linear source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReleasePoint {
    /// East, m.
    pub x_m: f64,
    /// North, m.
    pub y_m: f64,
    /// Chainage along the line, m.
    pub chainage_m: f64,
    /// Length of line the point stands for, m.
    pub length_m: f64,
}

impl LinearRelease {
    /// Frequency per km per year (resolved).
    ///
    /// # Errors
    /// Missing frequency; unknown LOC reference or one not per metre-year.
    pub fn frequency_per_km_year(&self) -> Result<f64> {
        if let Some(f) = self.frequency_per_km_year {
            return Ok(f);
        }
        if let Some(l) = &self.loc {
            let (eq, sc) = LocTable::builtin()?.scenario(&l.equipment, &l.scenario)?;
            if eq.per != FrequencyPer::MetreYear {
                return Err(QraError::invalid(
                    "loc.equipment",
                    &l.equipment,
                    "must be a per-metre-year equipment type (a pipe)",
                ));
            }
            return Ok(sc.frequency * 1000.0);
        }
        match (
            self.accident_frequency_per_km_year,
            self.release_probability,
        ) {
            (Some(a), Some(p)) => Ok(a * p),
            _ => Err(QraError::invalid(
                "frequency_per_km_year",
                "missing",
                "give frequency_per_km_year, loc, or accident_frequency_per_km_year with release_probability",
            )),
        }
    }
}

fn fe(path: String, message: String) -> FieldError {
    FieldError {
        path,
        line: None,
        message,
    }
}

/// The installation standing for release point `k` of `p` (template when `pt` is None).
fn installation(p: &Pipeline, k: usize, pt: Option<&ReleasePoint>) -> Installation {
    Installation {
        id: format!("{}#{k}", p.id),
        name: p.name.clone(),
        x_m: pt.map_or(p.vertices.first().map_or(0.0, |v| v[0]), |q| q.x_m),
        y_m: pt.map_or(p.vertices.first().map_or(0.0, |v| v[1]), |q| q.y_m),
        substance: p.substance.clone(),
        inventory_kg: p.inventory_kg,
        pressure_pa: p.pressure_pa,
        temperature_k: p.temperature_k,
        phase: p.phase,
        detection_isolation: None,
        // A line's release points form one facility (the line's id) in park contributions.
        facility: pt.map(|_| p.id.clone()),
    }
}

fn event(p: &Pipeline, r: &LinearRelease, k: usize, f_per_year: f64) -> super::study::Event {
    let release = r.release.unwrap_or(if r.hole_diameter_mm.is_none() {
        ReleaseKind::Rupture
    } else {
        ReleaseKind::Hole
    });
    let hole = r.hole_diameter_mm.or(if release == ReleaseKind::Rupture {
        p.diameter_mm
    } else {
        None
    });
    super::study::Event {
        id: format!("{}/{}#{k}", p.id, r.id),
        installation: format!("{}#{k}", p.id),
        description: r.description.clone(),
        frequency_per_year: Some(f_per_year),
        loc: None,
        release: Some(release),
        hole_diameter_mm: hole,
        duration_s: r.duration_s,
        event_tree: r.event_tree.clone(),
        outcomes: r.outcomes.clone(),
    }
}

/// Every problem of the `pipelines` of `study` (paths `pipelines[k]…`). The release classes are
/// checked by validating a one-point template study with the installation-event rules, so
/// pipelines obey exactly the same event-tree and outcome rules as installations.
pub fn problems(study: &Study) -> Vec<FieldError> {
    let mut p = Vec::new();
    if study.pipelines.is_empty() {
        return p;
    }
    let inst_ids: std::collections::BTreeSet<&str> =
        study.installations.iter().map(|i| i.id.as_str()).collect();
    let mut ids = std::collections::BTreeSet::new();
    let mut points: u128 = 0;
    for (k, pl) in study.pipelines.iter().enumerate() {
        let path = format!("pipelines[{k}]");
        if pl.id.trim().is_empty() || pl.id.contains('#') || pl.id.contains('/') {
            p.push(fe(
                format!("{path}.id"),
                format!("'{}': must be non-empty without '#' or '/'", pl.id),
            ));
        } else if !ids.insert(pl.id.as_str()) || inst_ids.contains(pl.id.as_str()) {
            p.push(fe(
                format!("{path}.id"),
                format!("duplicate id '{}'", pl.id),
            ));
        }
        let prefix = format!("{}#", pl.id);
        if let Some(i) = study
            .installations
            .iter()
            .find(|i| i.id.starts_with(&prefix))
        {
            p.push(fe(
                format!("{path}.id"),
                format!(
                    "installation '{}' uses the release-point prefix '{prefix}'",
                    i.id
                ),
            ));
        }
        if pl.vertices.len() < 2 || pl.vertices.len() > MAX_VERTICES {
            p.push(fe(
                format!("{path}.vertices"),
                format!("{} vertices: needs 2 to {MAX_VERTICES}", pl.vertices.len()),
            ));
        }
        if let Some(i) = pl
            .vertices
            .iter()
            .position(|q| !(q[0].is_finite() && q[1].is_finite()))
        {
            p.push(fe(
                format!("{path}.vertices[{i}]"),
                "coordinates must be finite".into(),
            ));
        } else if pl.vertices.len() >= 2 && pl.length_m() <= 0.0 {
            p.push(fe(
                format!("{path}.vertices"),
                "the polyline has zero length".into(),
            ));
        }
        for (n, v) in [("diameter_mm", pl.diameter_mm), ("spacing_m", pl.spacing_m)] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    p.push(fe(format!("{path}.{n}"), format!("{v}: must be > 0")));
                }
            }
        }
        let sp = pl.spacing(study.grid.resolution_m);
        if sp.is_finite() && sp > 0.0 {
            points += pl.point_count(sp);
        }
        if pl.releases.is_empty() {
            p.push(fe(
                format!("{path}.releases"),
                "needs at least one release class".into(),
            ));
        }
        let mut rids = std::collections::BTreeSet::new();
        for (j, r) in pl.releases.iter().enumerate() {
            let rp = format!("{path}.releases[{j}]");
            if r.id.trim().is_empty() || r.id.contains('#') {
                p.push(fe(
                    format!("{rp}.id"),
                    format!("'{}': must be non-empty without '#'", r.id),
                ));
            } else if !rids.insert(r.id.as_str()) {
                p.push(fe(format!("{rp}.id"), format!("duplicate id '{}'", r.id)));
            }
            let given = [
                r.frequency_per_km_year.is_some(),
                r.loc.is_some(),
                r.accident_frequency_per_km_year.is_some() || r.release_probability.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if given != 1 {
                p.push(fe(
                    format!("{rp}.frequency_per_km_year"),
                    "give exactly one of frequency_per_km_year, loc, or accident_frequency_per_km_year with release_probability".into(),
                ));
            } else {
                match r.frequency_per_km_year() {
                    Ok(f) if f.is_finite() && f >= 0.0 => {}
                    Ok(f) => p.push(fe(
                        format!("{rp}.frequency_per_km_year"),
                        format!("{f}: must be >= 0"),
                    )),
                    Err(e) => p.push(fe(format!("{rp}.frequency_per_km_year"), e.to_string())),
                }
            }
            if let Some(v) = r.release_probability {
                if !(0.0..=1.0).contains(&v) {
                    p.push(fe(
                        format!("{rp}.release_probability"),
                        format!("{v}: must be a probability in [0, 1]"),
                    ));
                }
            }
            if let Some(l) = &r.loc {
                if l.multiplier != 1.0 {
                    p.push(fe(
                        format!("{rp}.loc.multiplier"),
                        format!(
                            "{}: must be 1 (the length comes from the polyline)",
                            l.multiplier
                        ),
                    ));
                }
            }
        }
        // Template study: one release point with every release class as an event.
        let tmpl = Study {
            schema: study.schema.clone(),
            metadata: Default::default(),
            origin: None,
            substances: study.substances.clone(),
            installations: vec![installation(pl, 0, None)],
            events: pl
                .releases
                .iter()
                .map(|r| event(pl, r, 0, r.frequency_per_km_year().unwrap_or(0.0).max(0.0)))
                .collect(),
            meteorology: study.meteorology.clone(),
            population: Default::default(),
            targets: Vec::new(),
            vulnerability: study.vulnerability,
            grid: study.grid,
            pipelines: Vec::new(),
            facilities: Vec::new(),
            park_boundary: None,
        };
        for e in tmpl.validate() {
            if e.path.starts_with("meteorology") || e.path.starts_with("grid") {
                continue; // reported for the study itself
            }
            let rest = e.path.clone();
            let path2 = if let Some(r) = rest.strip_prefix("installations[0]") {
                format!("{path}{r}")
            } else if let Some(r) = rest.strip_prefix("events[") {
                match r.split_once(']') {
                    Some((i, tail)) => format!("{path}.releases[{i}]{tail}"),
                    None => format!("{path}.{rest}"),
                }
            } else {
                format!("{path}.{rest}")
            };
            if !p.iter().any(|q: &FieldError| q.path == path2) {
                p.push(FieldError { path: path2, ..e });
            }
        }
    }
    if points > MAX_RELEASE_POINTS {
        p.push(fe(
            "pipelines".into(),
            format!("{points} release points exceed the limit of {MAX_RELEASE_POINTS}; increase spacing_m"),
        ));
    }
    p
}

/// The study with every linear source replaced by its release points (installations
/// `"<id>#<k>"`, events `"<id>/<class>#<k>"` appended after the study's own); borrowed unchanged
/// when there are no linear sources. See the module docs for the discretisation.
///
/// # Errors
/// [`QraError::InvalidDocument`] for invalid pipelines.
pub fn expand(study: &Study) -> Result<Cow<'_, Study>> {
    if study.pipelines.is_empty() {
        return Ok(Cow::Borrowed(study));
    }
    let problems = problems(study);
    if !problems.is_empty() {
        return Err(QraError::InvalidDocument {
            source_name: "study".into(),
            problems,
        });
    }
    let mut s = study.clone();
    s.pipelines = Vec::new();
    for pl in &study.pipelines {
        if !s.facilities.iter().any(|f| f.id == pl.id) {
            s.facilities.push(super::study::Facility {
                id: pl.id.clone(),
                name: pl.name.clone(),
                sector: Some("linear source".into()),
                boundary: None,
            });
        }
        let pts = pl.release_points(pl.spacing(study.grid.resolution_m));
        let freqs: Vec<f64> = pl
            .releases
            .iter()
            .map(|r| r.frequency_per_km_year())
            .collect::<Result<_>>()?;
        for (k, pt) in pts.iter().enumerate() {
            s.installations.push(installation(pl, k, Some(pt)));
            for (r, f) in pl.releases.iter().zip(&freqs) {
                s.events.push(event(pl, r, k, f * pt.length_m / 1000.0));
            }
        }
    }
    Ok(Cow::Owned(s))
}

fn find<'a>(study: &'a Study, id: &str) -> Result<&'a Pipeline> {
    study.pipelines.iter().find(|p| p.id == id).ok_or_else(|| {
        QraError::unknown(
            "pipeline",
            id,
            study.pipelines.iter().map(|p| p.id.as_str()),
        )
    })
}

/// Release-point installation index range of pipeline `id` in the result's model.
fn model_range(result: &RiskResult, id: &str) -> std::ops::Range<usize> {
    let prefix = format!("{id}#");
    let inst = &result.model.installations;
    let lo = inst.iter().position(|i| i.0.starts_with(&prefix));
    match lo {
        Some(lo) => {
            let hi = inst[lo..]
                .iter()
                .position(|i| !i.0.starts_with(&prefix))
                .map_or(inst.len(), |n| lo + n);
            lo..hi
        }
        None => 0..0,
    }
}

/// Individual risk of pipeline `id` alone along the transect perpendicular to the line at
/// chainage `chainage_m`, at signed distances `distances_m` (positive to the left of the direction
/// of travel), per year (exact point evaluation of the discretised line).
///
/// # Errors
/// Unknown pipeline; non-finite chainage or distances; a chainage outside [0, L].
pub fn transect(
    study: &Study,
    result: &RiskResult,
    id: &str,
    chainage_m: f64,
    distances_m: &[f64],
) -> Result<Vec<f64>> {
    let pl = find(study, id)?;
    let l = pl.length_m();
    if !(chainage_m.is_finite() && (0.0..=l).contains(&chainage_m)) {
        return Err(QraError::invalid(
            "chainage_m",
            chainage_m,
            format!("must be in [0, {l}] (the pipeline length)"),
        ));
    }
    crate::error::check::all_finite("distances_m", distances_m)?;
    let ([x0, y0], [tx, ty]) = pl.at_chainage(chainage_m);
    let range = model_range(result, id);
    let model = &result.model;
    let mine: Vec<bool> = model.events.iter().map(|e| range.contains(&e.1)).collect();
    Ok(distances_m
        .iter()
        .map(|&d| {
            let mut by = vec![0.0; model.events.len()];
            model.ir_by_event(x0 - d * ty, y0 + d * tx, &mut by);
            by.iter()
                .zip(&mine)
                .filter(|(_, m)| **m)
                .map(|(v, _)| v)
                .sum()
        })
        .collect())
}

/// Interaction length of a circular footprint of radius `radius_m` for a point at perpendicular
/// distance `distance_m` from a straight line: L = 2·√(R² − d²) for |d| < R, else 0, m
/// (IGEM/TD/2 interaction length [M]).
pub fn interaction_length_m(radius_m: f64, distance_m: f64) -> f64 {
    let q = radius_m * radius_m - distance_m * distance_m;
    if q > 0.0 {
        2.0 * q.sqrt()
    } else {
        0.0
    }
}

/// Analytic IR transect of an infinite straight line with frequency `f_per_km_year` and a
/// circular footprint (radius `radius_m`, lethality `p` inside): IR(d) = f/1000 · p · L_int(d),
/// per year (module docs).
///
/// # Errors
/// [`QraError::InvalidInput`] for a negative or non-finite frequency, radius ≤ 0, `p` outside
/// [0, 1] or a non-finite distance.
pub fn analytic_transect(
    f_per_km_year: f64,
    radius_m: f64,
    p: f64,
    distance_m: f64,
) -> Result<f64> {
    use crate::error::check;
    check::non_negative("f_per_km_year", f_per_km_year)?;
    check::positive("radius_m", radius_m)?;
    check::probability("p", p)?;
    check::finite("distance_m", distance_m)?;
    Ok(f_per_km_year / 1000.0 * p * interaction_length_m(radius_m, distance_m))
}

/// Societal risk of one stretch of a linear source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stretch {
    /// Start chainage, m.
    pub start_m: f64,
    /// End chainage, m.
    pub end_m: f64,
    /// F-N curve of the releases from this stretch, ascending N.
    pub fn_curve: Vec<FnPoint>,
    /// PLL of these releases, fatalities per year.
    pub pll: f64,
    /// max_N F(N)·N², per year (the worst-stretch ranking; ratio to F = 10⁻²/N² times 10⁻²).
    pub fn2_max: f64,
}

/// Societal risk per stretch of pipeline `id`: windows of `window_m` (1000 for "per km") starting
/// every `step_m` from chainage 0 (one window of the whole line if it is shorter), each with the
/// F-N curve of the releases whose release point lies in it. Use [`worst_stretch`] for the worst.
///
/// # Errors
/// Unknown pipeline; `window_m`, `step_m` not > 0; more than 100 000 windows.
pub fn societal_per_km(
    study: &Study,
    result: &RiskResult,
    id: &str,
    window_m: f64,
    step_m: f64,
) -> Result<Vec<Stretch>> {
    let pl = find(study, id)?;
    crate::error::check::positive("window_m", window_m)?;
    crate::error::check::positive("step_m", step_m)?;
    let l = pl.length_m();
    let nwin = if l <= window_m {
        1
    } else {
        ((l - window_m) / step_m).floor() as u128 + 1
    };
    crate::error::check::size_limit("windows", nwin, 100_000)?;
    let pts = pl.release_points(pl.spacing(study.grid.resolution_m));
    let range = model_range(result, id);
    let expanded = expand(study)?;
    let model = &result.model;
    // Cases of this pipeline's scenarios only.
    let cases = scenario_cases(&expanded, model, |s| range.contains(&s.installation));
    let mut by_point: Vec<Vec<(f64, f64)>> = vec![Vec::new(); pts.len()];
    for (s, cs) in model.scenarios.iter().zip(cases) {
        if range.contains(&s.installation) {
            by_point[s.installation - range.start].extend(cs);
        }
    }
    let mut out = Vec::with_capacity(nwin as usize);
    for w in 0..nwin as usize {
        let (a, b) = if nwin == 1 {
            (0.0, l)
        } else {
            (w as f64 * step_m, w as f64 * step_m + window_m)
        };
        let mut c: Vec<(f64, f64)> = Vec::new();
        let mut pll = 0.0;
        for (pt, cs) in pts.iter().zip(&by_point) {
            if pt.chainage_m >= a && pt.chainage_m < b {
                for &(n, f) in cs {
                    pll += n * f;
                    if n > 0.0 && f > 0.0 {
                        c.push((n, f));
                    }
                }
            }
        }
        let fn_curve = fn_curve_of(c);
        let fn2_max = fn_curve
            .iter()
            .map(|q| q.f_per_year * q.n * q.n)
            .fold(0.0, f64::max);
        out.push(Stretch {
            start_m: a,
            end_m: b,
            fn_curve,
            pll,
            fn2_max,
        });
    }
    Ok(out)
}

/// The stretch with the largest `fn2_max` (earliest on ties), if any.
pub fn worst_stretch(stretches: &[Stretch]) -> Option<&Stretch> {
    stretches
        .iter()
        .reduce(|a, b| if b.fn2_max > a.fn2_max { b } else { a })
}
