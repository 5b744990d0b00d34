//! Results of a run: IR grid, F-N, PLL, targets, contributions, profiles and the scenario table.

use std::sync::Arc;

use ndarray::Array2;
use rayon::prelude::*;

use super::model::*;
use crate::error::Result;
use crate::geometry::point_in_polygon;
use crate::risk::footprint::Footprint;
use crate::risk::scenario::ScenarioSet;
use crate::risk::study::{GeoOrigin, InstallationStatus, Study, TargetClass};

// ---------------------------------------------------------------------------------------------
// Results.

/// One point of the F-N curve.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FnPoint {
    /// Number of fatalities N.
    pub n: f64,
    /// Cumulative frequency F(N) of cases with N_k ≥ N, per year.
    pub f_per_year: f64,
}

/// Individual risk at a protected target.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetRisk {
    /// Target id.
    pub id: String,
    /// GB 36894 class.
    pub class: TargetClass,
    /// The target's deprecated `status` (the status of every installation judged against it),
    /// if the study gives one; the status belongs to installations
    /// ([`RiskResult::installation_status`]).
    pub status: Option<InstallationStatus>,
    /// Position where the IR is largest (the point, or the worst point of the polygon), m.
    pub x_m: f64,
    /// See `x_m`.
    pub y_m: f64,
    /// Individual risk there, per year.
    pub individual_risk: f64,
}

/// Contribution of one event.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventContribution {
    /// Event id.
    pub event: String,
    /// Installation id.
    pub installation: String,
    /// Contribution to PLL, fatalities per year.
    pub pll: f64,
    /// Contribution to IR at each target (same order as [`RiskResult::targets`]), per year.
    pub target_ir: Vec<f64>,
}

/// Each installation's own IR along rays, for distances to contours (external safety distances).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InstallationProfile {
    /// Installation id.
    pub id: String,
    /// Position, m.
    pub x_m: f64,
    /// Position, m.
    pub y_m: f64,
    /// Step along each ray, m.
    pub step_m: f64,
    /// IR along each ray (ray k at 360·k/n degrees clockwise from north), samples at i·step_m.
    pub rays: Vec<Vec<f64>>,
}

impl InstallationProfile {
    /// Largest distance from the installation at which its own IR is ≥ `level` (max over rays,
    /// linear interpolation between samples), m; 0 if the level is never reached.
    pub fn distance_to_level(&self, level: f64) -> f64 {
        let mut best: f64 = 0.0;
        for ray in &self.rays {
            if let Some(k) = ray.iter().rposition(|&v| v >= level) {
                let mut d = k as f64 * self.step_m;
                if k + 1 < ray.len() && ray[k] > ray[k + 1] {
                    d += self.step_m * (ray[k] - level) / (ray[k] - ray[k + 1]);
                }
                best = best.max(d);
            }
        }
        best
    }
}

/// An enterprise (GB/T 37243-2019 assesses the enterprise as a whole): a `[[facilities]]`
/// facility with its installations, or an installation without `facility` on its own.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Enterprise {
    /// Facility id (the installation's id for an installation without a facility).
    pub id: String,
    /// Indices of its installations in [`RiskResult::installations`] (study order, release
    /// points of linear sources included).
    pub installations: Vec<usize>,
    /// The facility's boundary polygon, m (local frame), if the study gives one.
    pub boundary: Option<Vec<[f64; 2]>>,
}

/// The enterprises of `study` (installations already expanded), in first-appearance order of
/// their installations; facilities without installations are left out.
pub fn enterprises_of(study: &Study) -> Vec<Enterprise> {
    let mut out: Vec<Enterprise> = Vec::new();
    for (i, inst) in study.installations.iter().enumerate() {
        let id = inst.facility_id();
        match out.iter_mut().find(|e| e.id == id) {
            Some(e) => e.installations.push(i),
            None => out.push(Enterprise {
                id: id.to_string(),
                installations: vec![i],
                boundary: study
                    .facilities
                    .iter()
                    .find(|f| f.id == id)
                    .and_then(|f| f.boundary.clone()),
            }),
        }
    }
    out
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct RiskResult {
    /// Grid node x coordinates, m.
    pub x_m: Vec<f64>,
    /// Grid node y coordinates, m.
    pub y_m: Vec<f64>,
    /// Individual risk at the nodes, per year; shape (ny, nx), rows = y.
    pub individual_risk: Array2<f64>,
    /// F-N curve, ascending N (all cases with N > 0).
    pub fn_curve: Vec<FnPoint>,
    /// Potential loss of life, fatalities per year.
    pub pll: f64,
    /// Largest N of any case with positive frequency.
    pub max_n: f64,
    /// IR at each protected target.
    pub targets: Vec<TargetRisk>,
    /// Contributions of each event (PLL and IR at targets).
    pub contributions: Vec<EventContribution>,
    /// Per-installation IR profiles.
    pub installations: Vec<InstallationProfile>,
    /// The GB 36894-2018 status of each installation (same order as
    /// [`RiskResult::installations`]).
    pub installation_status: Vec<InstallationStatus>,
    /// The enterprises (facilities) the installations belong to.
    pub enterprises: Vec<Enterprise>,
    /// The park boundary polygon, m, if the study gives one.
    pub park_boundary: Option<Vec<[f64; 2]>>,
    /// Grid node spacing, m.
    pub resolution_m: f64,
    /// Geographic origin (for GeoJSON).
    pub origin: Option<GeoOrigin>,
    /// The prepared model (for exact point evaluation).
    pub model: Arc<Model>,
    /// One row per scenario that contributes (see [`RiskResult::scenarios`]), the effect
    /// distances formed on first read.
    pub(crate) scenario_table: Arc<ScenarioTable>,
    /// The run's thread count ([`RunOptions::threads`]), which the result's own parallel work
    /// uses too ([`RiskResult::on_run_threads`]); `None`: the caller's pool.
    pub(crate) threads: Option<usize>,
}

/// One (event, outcome, weather class) scenario of a run with what it resolved to: the table
/// behind a contour ("why does the 10⁻⁶ line lie here?").
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScenarioRow {
    /// Installation id (release points of linear sources: `"<line>#<k>"`).
    pub installation: String,
    /// Event id.
    pub event: String,
    /// Outcome id (its `id`, else its kind).
    pub outcome: String,
    /// Outcome kind (`toxic`, `jet-fire`, …, `analytic`).
    pub kind: &'static str,
    /// Weather class label ("D5", or its id).
    pub weather: String,
    /// Release kind of the event (`hole`, `rupture`, `instantaneous`, …) where given or implied.
    pub release: Option<crate::risk::study::ReleaseKind>,
    /// Phase in the installation, where given.
    pub phase: Option<crate::risk::study::Phase>,
    /// Airborne release rate (continuous releases), kg/s.
    pub release_rate_kg_s: Option<f64>,
    /// Release duration (continuous releases), s.
    pub duration_s: Option<f64>,
    /// Airborne mass, kg.
    pub airborne_mass_kg: Option<f64>,
    /// `"dense"` or `"passive"` for toxic and flash-fire clouds (Britter–McQuaid criterion),
    /// else `None`.
    pub dispersion: Option<&'static str>,
    /// Event frequency, per year.
    pub event_frequency_per_year: f64,
    /// Conditional probability of the outcome given the event.
    pub outcome_probability: f64,
    /// Probability of the weather class (day and night weighted).
    pub weather_probability: f64,
    /// Largest distance with outdoor lethality ≥ 1 %, m.
    pub distance_1pct_m: f64,
    /// Largest distance with outdoor lethality ≥ 50 %, m.
    pub distance_50pct_m: f64,
}

/// The [`ScenarioRow`]s of the scenarios of `model` (built from `set`), in engine order.
///
/// # Errors
/// Unknown substance (not for a validated study).
pub fn scenario_rows(set: &ScenarioSet, model: &Model) -> Result<Vec<ScenarioRow>> {
    Ok(scenario_table(set, model)?.into_rows())
}

/// The scenario table of a run ([`RiskResult::scenarios`]): its rows with everything but the
/// effect distances, and the footprints those are read from, formed on first read (a
/// parametric shape finds its distances by search: 28 ms of one thread for park-1000's 8 020
/// distinct footprints, 60 ms for the physical ones — work a run that never reads the table
/// does not need). The distances are a pure function of each footprint, so the table is the
/// same whenever, and on whichever threads, it is formed (on the run's thread count:
/// [`RiskResult::scenarios`]).
#[derive(Debug)]
pub(crate) struct ScenarioTable {
    /// The rows, their distances not yet set (0).
    partial: Vec<ScenarioRow>,
    /// The distinct footprints of the rows.
    footprints: Vec<Arc<Footprint>>,
    /// Per row, the index of its footprint in `footprints`.
    footprint_of: Vec<usize>,
    /// The rows with their distances, once read.
    pub(crate) rows: std::sync::OnceLock<Vec<ScenarioRow>>,
}

impl ScenarioTable {
    /// The effect distances of every distinct footprint (1 % and 50 % outdoor lethality),
    /// in parallel.
    fn distances(&self) -> Vec<(f64, f64)> {
        self.footprints
            .par_iter()
            .map(|fp| {
                (
                    fp.outdoor.distance_to_lethality_m(0.01),
                    fp.outdoor.distance_to_lethality_m(0.5),
                )
            })
            .collect()
    }

    fn fill(rows: &mut [ScenarioRow], of: &[usize], distances: &[(f64, f64)]) {
        for (row, &f) in rows.iter_mut().zip(of) {
            (row.distance_1pct_m, row.distance_50pct_m) = distances[f];
        }
    }

    /// A table of rows complete already (a park's rows gathered from its facilities' runs).
    pub(crate) fn from_rows(rows: Vec<ScenarioRow>) -> Self {
        ScenarioTable {
            partial: Vec::new(),
            footprints: Vec::new(),
            footprint_of: Vec::new(),
            rows: std::sync::OnceLock::from(rows),
        }
    }

    /// The rows, their distances formed on the first call.
    pub(crate) fn rows(&self) -> &[ScenarioRow] {
        self.rows.get_or_init(|| {
            let mut rows = self.partial.clone();
            Self::fill(&mut rows, &self.footprint_of, &self.distances());
            rows
        })
    }

    /// The rows with their distances, without keeping the table.
    fn into_rows(mut self) -> Vec<ScenarioRow> {
        if let Some(rows) = self.rows.take() {
            return rows;
        }
        let d = self.distances();
        Self::fill(&mut self.partial, &self.footprint_of, &d);
        self.partial
    }
}

/// [`ScenarioTable`] of the scenarios of `model` (built from `set`), in engine order.
///
/// # Errors
/// Unknown substance (not for a validated study).
pub(crate) fn scenario_table(set: &ScenarioSet, model: &Model) -> Result<ScenarioTable> {
    use crate::risk::consequence::release_summary;
    let study: &Study = set.study();
    // One source term per (event, outcome, weather): scenarios restricted to one wind direction
    // (`Scenario::sector`) repeat it for every direction and place. Keys in order of first use.
    let mut key_index: FastMap<(usize, usize, usize), usize> = Default::default();
    let mut keys: Vec<(usize, usize, usize)> = Vec::new();
    // The distinct footprints (shared by weather classes and release points), whose effect
    // distances the table forms once each.
    let mut index: FastMap<*const Footprint, usize> = Default::default();
    let mut distinct: Vec<Arc<Footprint>> = Vec::new();
    // Per scenario: (its key's index, its footprint's index).
    let of: Vec<(usize, usize)> = model
        .scenarios
        .iter()
        .map(|s| {
            let f = *index.entry(Arc::as_ptr(&s.footprint)).or_insert_with(|| {
                distinct.push(Arc::clone(&s.footprint));
                distinct.len() - 1
            });
            let k = *key_index
                .entry((s.event, s.outcome, s.weather))
                .or_insert_with(|| {
                    keys.push((s.event, s.outcome, s.weather));
                    keys.len() - 1
                });
            (k, f)
        })
        .collect();
    // The first error in key order, whichever thread meets it.
    let summaries: Vec<crate::risk::consequence::ReleaseSummary> = keys
        .par_iter()
        .map(|&(e, o, w)| {
            let ctx = set.context(e)?;
            Ok(release_summary(
                &study.events[e].outcomes[o].spec,
                &study.meteorology.weather[w],
                &ctx,
            )
            .unwrap_or_default())
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect::<Result<_>>()?;
    let rows = model
        .scenarios
        .par_iter()
        .zip(&of)
        .map(|(s, &(k, _))| {
            let ev = &study.events[s.event];
            let inst = &study.installations[s.installation];
            let o = &ev.outcomes[s.outcome];
            let w = &study.meteorology.weather[s.weather];
            let rel = &summaries[k];
            ScenarioRow {
                installation: inst.id.clone(),
                event: ev.id.clone(),
                outcome: o.id.clone().unwrap_or_else(|| o.spec.kind().to_string()),
                kind: o.spec.kind(),
                weather: w.label(),
                release: ev.release,
                phase: inst.phase,
                release_rate_kg_s: rel.release_rate_kg_s,
                duration_s: rel.duration_s,
                airborne_mass_kg: rel.airborne_mass_kg,
                dispersion: rel.dense.map(|d| if d { "dense" } else { "passive" }),
                event_frequency_per_year: set.events()[s.event].frequency_per_year,
                outcome_probability: set.events()[s.event].outcome_probabilities[s.outcome],
                weather_probability: model.weather_ir[s.weather],
                distance_1pct_m: 0.0,
                distance_50pct_m: 0.0,
            }
        })
        .collect();
    Ok(ScenarioTable {
        partial: rows,
        footprints: distinct,
        footprint_of: of.iter().map(|&(_, f)| f).collect(),
        rows: std::sync::OnceLock::new(),
    })
}

impl RiskResult {
    /// The scenario table: one [`ScenarioRow`] per (event, outcome, weather class) scenario
    /// that contributes (positive frequency and reach), in engine order. Its effect distances
    /// are formed on the first call, on as many threads as the run was given
    /// ([`RunOptions::threads`]).
    pub fn scenarios(&self) -> &[ScenarioRow] {
        let table = &self.scenario_table;
        match table.rows.get() {
            Some(rows) => rows,
            None => self.on_run_threads(|| table.rows()),
        }
    }

    /// `f` on as many threads as the run that made this result was given
    /// ([`RunOptions::threads`]; a pool of that size for the call), or on the caller's pool
    /// when the run named none: the result's own parallel work ([`RiskResult::scenarios`]'s
    /// first read, [`RiskResult::risk_at`], [`RiskResult::installations_grid`] and the safety
    /// distances built on it) keeps to the run's cap — a run capped at one thread, say a Dask
    /// task or `qra run --threads 1`, does not then spread its report over every core. On this
    /// thread's pool if a pool cannot be had (the same values: every result is the same for any
    /// thread count).
    pub(crate) fn on_run_threads<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        let Some(t) = self.threads.map(capped_threads) else {
            return f();
        };
        // Already on a pool of that size (a call from inside another: the safety distances'
        // grids), or the global pool is one: no pool to build.
        if rayon::current_num_threads() == t {
            return f();
        }
        match thread_pool(t) {
            Ok(pool) => pool.install(|| {
                #[cfg(test)]
                thread_log::note(self);
                f()
            }),
            Err(_) => f(),
        }
    }

    /// Individual risk at points (x, y), per year (parallel; deterministic): the sum over the
    /// scenarios of their footprints evaluated at each point — not interpolated from the grid,
    /// but the footprints of qra's physical outcomes are the consequence models **sampled** on
    /// their tables (`risk::consequence`: radial tables of 200 nodes, directional rasters of
    /// 160 × 81 or 65 × 65 nodes, interpolated linearly), so values carry that sampling error —
    /// and the flash-fire envelopes and toxic rasters of SLAB-class plumes are read from tables
    /// on the release rate ([`crate::risk::rate_table`], whose docs state the tolerance);
    /// parametric shapes ([`crate::risk::parametric`]) are their closed forms, exact.
    ///
    /// Under sector spreading the averages near the points are built first, in parallel, and
    /// kept for further calls (the run does not keep them; [`crate::risk::engine`]). On the
    /// run's thread count ([`RunOptions::threads`]).
    pub fn risk_at(&self, points: &[[f64; 2]]) -> Vec<f64> {
        self.on_run_threads(|| {
            self.model.build_spreads_near(points);
            points
                .par_iter()
                .map(|p| self.model.ir_at(p[0], p[1]))
                .collect()
        })
    }

    /// The contours of the individual-risk grid at `levels`, per year
    /// ([`crate::risk::contour::contours`]: the polygons of the region IR ≥ level, levels in
    /// parallel), on the run's thread count ([`RunOptions::threads`]).
    pub fn ir_contours(&self, levels: &[f64]) -> Vec<crate::risk::contour::Contour> {
        self.on_run_threads(|| {
            crate::risk::contour::contours(
                &self.x_m,
                &self.y_m,
                self.individual_risk.view(),
                levels,
            )
        })
    }

    /// F(N) at `n` (cumulative frequency of cases with N_k ≥ n), per year.
    pub fn frequency_at_least(&self, n: f64) -> f64 {
        let i = self.fn_curve.partition_point(|p| p.n < n);
        self.fn_curve.get(i).map_or(0.0, |p| p.f_per_year)
    }
}

/// F-N curve of societal cases (N > 0, f > 0): F(N) = Σ f over cases with N_k ≥ N at every distinct
/// N, ascending N. Cases of equal N are summed in the order given (a stable sort by N descending,
/// in `f64::total_cmp`'s order), so the bits do not depend on anything but that order. N equal
/// means equal under `total_cmp` (the same bits): a NaN N, which no engine case has, forms its
/// own point instead of stalling the fold (`==` is false for NaN).
///
/// The sort is `radsort`'s LSD radix sort (stable; floats ordered by the same bit transform as
/// `total_cmp`) on the key −N: the order of a stable comparison sort by N descending (negation
/// reverses the total order exactly), in linear time — 2.2·10⁵ cases at park-1000, where rayon's
/// merge sort took 17 ms on one thread (`fn_curve_sorts_as_a_stable_descending_sort`).
pub fn fn_curve_of(mut cases: Vec<(f64, f64)>) -> Vec<FnPoint> {
    radsort::sort_by_key(&mut cases, |c| -c.0);
    fold_descending(&cases)
}

/// The F-N points of cases sorted by N descending ([`fn_curve_of`]).
fn fold_descending(cases: &[(f64, f64)]) -> Vec<FnPoint> {
    let mut fn_curve: Vec<FnPoint> = Vec::new();
    let mut acc = 0.0;
    let mut i = 0;
    while i < cases.len() {
        let n = cases[i].0;
        while i < cases.len() && cases[i].0.total_cmp(&n).is_eq() {
            acc += cases[i].1;
            i += 1;
        }
        fn_curve.push(FnPoint { n, f_per_year: acc });
    }
    fn_curve.reverse();
    fn_curve
}

/// The reductions after the grid: societal cases folded in scenario order (PLL, F-N), then
/// targets and contributions (exact point evaluation on `model`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    study: &Study,
    model: Arc<Model>,
    scenario_table: ScenarioTable,
    xs: Vec<f64>,
    ys: Vec<f64>,
    individual_risk: Array2<f64>,
    profiles: Vec<InstallationProfile>,
    per_scenario: &[Vec<(f64, f64)>],
) -> Result<RiskResult> {
    let mut cases: Vec<(f64, f64)> = Vec::new();
    let mut pll_event = vec![0.0; model.events.len()];
    let mut pll = 0.0;
    for (s, cs) in model.scenarios.iter().zip(per_scenario) {
        for &(n, f) in cs {
            pll += f * n;
            pll_event[s.event] += f * n;
            if n > 0.0 && f > 0.0 {
                cases.push((n, f));
            }
        }
    }
    let max_n = cases.iter().map(|c| c.0).fold(0.0, f64::max);
    let fn_curve = fn_curve_of(cases);

    // Targets and contributions (the sector averages near the point targets built first).
    let points: Vec<[f64; 2]> = study.targets.iter().filter_map(|t| t.point).collect();
    model.build_spreads_near(&points);
    let mut targets = Vec::new();
    let mut target_event_ir: Vec<Vec<f64>> = Vec::new();
    for t in &study.targets {
        let (px, py) = match (&t.point, &t.polygon) {
            (Some(p), _) => (p[0], p[1]),
            (None, Some(poly)) => worst_point(&model, poly, &xs, &ys, &individual_risk),
            _ => (0.0, 0.0),
        };
        let mut by_event = vec![0.0; model.events.len()];
        model.ir_by_event(px, py, &mut by_event);
        targets.push(TargetRisk {
            id: t.id.clone(),
            class: t.class,
            status: t.status,
            x_m: px,
            y_m: py,
            individual_risk: model.ir_at(px, py),
        });
        target_event_ir.push(by_event);
    }
    let contributions = model
        .events
        .iter()
        .enumerate()
        .map(|(e, (id, inst))| EventContribution {
            event: id.clone(),
            installation: model.installations[*inst].0.clone(),
            pll: pll_event[e],
            target_ir: target_event_ir.iter().map(|v| v[e]).collect(),
        })
        .collect();

    Ok(RiskResult {
        x_m: xs,
        y_m: ys,
        individual_risk,
        fn_curve,
        pll,
        max_n,
        targets,
        contributions,
        installations: profiles,
        installation_status: study.installations.iter().map(|i| i.status()).collect(),
        enterprises: enterprises_of(study),
        park_boundary: study.park_boundary.clone(),
        resolution_m: study.grid.resolution_m,
        origin: study.origin,
        model,
        scenario_table: Arc::new(scenario_table),
        threads: None,
    })
}

pub(crate) fn worst_point(
    model: &Model,
    poly: &[[f64; 2]],
    xs: &[f64],
    ys: &[f64],
    ir: &Array2<f64>,
) -> (f64, f64) {
    let mut cands: Vec<(f64, f64)> = poly.iter().map(|q| (q[0], q[1])).collect();
    let n = poly.len() as f64;
    cands.push((
        poly.iter().map(|q| q[0]).sum::<f64>() / n,
        poly.iter().map(|q| q[1]).sum::<f64>() / n,
    ));
    let mut best_grid: Option<(f64, f64, f64)> = None;
    let (bx0, bx1) = poly
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), q| (a.min(q[0]), b.max(q[0])));
    let (by0, by1) = poly
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), q| (a.min(q[1]), b.max(q[1])));
    let i0 = xs.partition_point(|&x| x < bx0);
    let i1 = xs.partition_point(|&x| x <= bx1);
    let j0 = ys.partition_point(|&y| y < by0);
    let j1 = ys.partition_point(|&y| y <= by1);
    for (j, &y) in ys.iter().enumerate().take(j1).skip(j0) {
        for (i, &x) in xs.iter().enumerate().take(i1).skip(i0) {
            if point_in_polygon(x, y, poly) {
                let v = ir[[j, i]];
                if best_grid.is_none_or(|b| v > b.2) {
                    best_grid = Some((x, y, v));
                }
            }
        }
    }
    if let Some((x, y, _)) = best_grid {
        cands.push((x, y));
    }
    let mut best = cands[0];
    let mut bv = f64::NEG_INFINITY;
    for c in cands {
        let v = model.ir_at(c.0, c.1);
        if v > bv {
            bv = v;
            best = c;
        }
    }
    best
}

/// The individual-risk grid of a set of installations from their own grids (row-major, each
/// `nx·ny` long): cell by cell, the installations are added **in the order given**, so the sum is
/// the same floating-point fold as [`super::run`]'s and bit-identical for any thread count. The
/// one place where per-installation grids are summed: [`super::combine`], the park what-ifs
/// ([`crate::park::whatif::WhatIf`], [`crate::park::Park`]).
pub fn sum_installation_grids(nx: usize, ny: usize, grids: &[&[f64]]) -> Vec<f64> {
    let mut grid = zeros_written(nx * ny);
    if nx == 0 {
        return grid;
    }
    grid.par_chunks_mut(nx).enumerate().for_each(|(row, out)| {
        let o = row * nx;
        for g in grids {
            for (c, v) in out.iter_mut().zip(&g[o..o + nx]) {
                *c += *v;
            }
        }
    });
    grid
}

/// For tests: the size of each pool a result's own work was given
/// ([`RiskResult::on_run_threads`]), by the result's model (stable when the result moves;
/// tests run side by side, each reads and takes out its own).
#[cfg(test)]
pub(crate) mod thread_log {
    use super::RiskResult;
    use std::sync::{Arc, Mutex};

    static LOG: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

    fn key(result: &RiskResult) -> usize {
        Arc::as_ptr(&result.model) as usize
    }

    pub(crate) fn note(result: &RiskResult) {
        let mut log = LOG.lock().unwrap_or_else(|e| e.into_inner());
        log.push((key(result), rayon::current_num_threads()));
    }

    /// The pool sizes noted for `result`, in order, taken out of the log.
    pub(crate) fn take(result: &RiskResult) -> Vec<usize> {
        let k = key(result);
        let mut log = LOG.lock().unwrap_or_else(|e| e.into_inner());
        let mine = log.iter().filter(|e| e.0 == k).map(|e| e.1).collect();
        log.retain(|e| e.0 != k);
        mine
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A run capped at one thread keeps to one thread afterwards: the scenario table's first
    /// read, `risk_at`, `installations_grid`, the safety distances and the IR contours, called
    /// inside a
    /// 3-thread pool, each run on a 1-thread pool (they used the caller's pool, every core
    /// from Python, before; the distances' own grids then find themselves on it and build
    /// none); a run without a cap leaves them on the caller's pool (nothing noted) and gives
    /// the same values. Fails if one of them ignores the run's thread count.
    #[test]
    fn a_results_own_work_keeps_to_the_runs_threads() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../models/studies/analytic_demo.toml");
        let study = Study::from_file(&path).expect("analytic demo");
        let reader = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("pool");
        let mut values = Vec::new();
        let limits = [
            (TargetClass::General1, InstallationStatus::InService, 3e-6),
            (TargetClass::HighSensitive, InstallationStatus::New, 3e-7),
        ];
        for (threads, want) in [(Some(1), vec![1, 1, 1, 1, 1]), (None, vec![])] {
            let opts = RunOptions {
                threads,
                ..RunOptions::default()
            };
            let r = super::super::run(&study, &opts).expect("run");
            let (rows, at, grid, distances, contours) = reader.install(|| {
                (
                    r.scenarios().to_vec(),
                    r.risk_at(&[[120.0, -40.0], [-300.0, 250.0]]),
                    r.installations_grid(&[0]),
                    crate::risk::distance::combined_distances(&r, &limits).0,
                    r.ir_contours(&[1e-5, 1e-6]),
                )
            });
            // Read again: formed once, no pool.
            assert_eq!(r.scenarios(), rows.as_slice());
            assert_eq!(thread_log::take(&r), want, "threads {threads:?}");
            values.push((rows, at, grid, distances, contours));
        }
        assert_eq!(values[0], values[1]);
        assert!(values[0].1.iter().any(|v| *v > 0.0));
        assert!(values[0].3.iter().any(|d| d.distance_m > 0.0));
        assert!(values[0].4.iter().any(|c| !c.polygons.is_empty()));
    }

    /// The F-N fold of [`fn_curve_of`] after the standard library's stable comparison sort by N
    /// descending (`total_cmp`): the reference order the radix sort must give.
    fn fn_curve_by_comparison(mut cases: Vec<(f64, f64)>) -> Vec<FnPoint> {
        cases.sort_by(|a, b| b.0.total_cmp(&a.0));
        fold_descending(&cases)
    }

    /// N values with many repeats (the case of equal N, whose f are summed in the given order:
    /// the bits of F depend on that order) and the awkward values a caller could pass.
    fn n_value() -> impl Strategy<Value = f64> {
        prop_oneof![
            (1u32..40).prop_map(|k| k as f64 * 0.5),
            (1e-3f64..1e4),
            Just(0.0),
            Just(-0.0),
            Just(f64::INFINITY),
            Just(f64::NAN),
            Just(-f64::NAN),
            Just(-2.5),
        ]
    }

    proptest! {
        /// The radix sort orders the cases as a stable comparison sort by N descending: every
        /// point of the curve has the same bits (equal N summed in the same order).
        #[test]
        fn fn_curve_sorts_as_a_stable_descending_sort(
            cases in proptest::collection::vec((n_value(), 1e-9f64..1e-3), 0..400),
        ) {
            let got = fn_curve_of(cases.clone());
            let want = fn_curve_by_comparison(cases);
            prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                prop_assert_eq!(g.n.to_bits(), w.n.to_bits());
                prop_assert_eq!(g.f_per_year.to_bits(), w.f_per_year.to_bits());
            }
        }
    }
}
