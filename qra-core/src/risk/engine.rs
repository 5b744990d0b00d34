//! The risk engine: individual risk on a grid and at points, societal risk (F-N, PLL) and
//! contributions.
//!
//! # Equations (Purple Book form; shared/reference/standards.md §3.3, [M] for the Purple Book,
//! [V] for the GB 36894 F-N definition)
//! * Individual risk: IR(x, y) = Σ_S Σ_O Σ_M Σ_φ f_S · P_O · P_M · P_φ · P_d(x, y), over LOC events
//!   S (frequency f_S, per year), outcomes O (event-tree probability P_O), weather classes M
//!   (P_M = d·P_M,day + (1 − d)·P_M,night with d the day fraction) and wind sectors φ (P_φ), with
//!   P_d the outdoor, unprotected lethality of the footprint rotated into direction φ.
//! * Societal risk: for each case k = (S, O, M, φ, period), N_k = Σ_cells (n_out·P_out + n_in·P_in)
//!   with the indoor/outdoor lethalities of the vulnerability rule set, frequency
//!   f_k = f_S·P_O·P_M,period·w_period·P_φ; F(N) = Σ_{k: N_k ≥ N} f_k (GB 36894-2018 term 社会风险);
//!   PLL = Σ_k f_k·N_k (AQ/T 3046-2013 式(15) [S]).
//!
//! # Algorithm (why it is fast)
//! * Each footprint is built once per (event, outcome, weather) and shared (`Arc`).
//! * For the grid, all footprints of one installation are merged, weighted, into
//!   - one radial table on a uniform radius grid (step = resolution/8) plus an exact list of
//!     circles (sorted radii, suffix sums), for every radially symmetric footprint — no direction
//!     loop (the sector probabilities are summed);
//!   - one local raster per wind direction (step = resolution) for directional footprints.
//!
//!   The per-cell cost is then independent of the number of footprints; a footprint only costs its
//!   own (small) area once when merged.
//! * Grid cells outside each merged footprint are culled row by row (exact row spans of the reach
//!   circle and of the rotated raster rectangle), so the cost grows with the affected area.
//! * The grid is split into row bands processed in parallel (rayon); every band visits the
//!   installations and directions in the same fixed order, so each cell's sum is formed in the same
//!   order whatever the thread count: results are bit-identical for 1 and N threads. Each
//!   installation's per-cell contribution is formed first and added to the cell once, so the
//!   grid is the installation-ordered fold of per-installation grids: [`run_partial`] +
//!   [`combine`] (distributed runs, `qra.distributed`) reproduce [`run`] bit for bit.
//! * Installations are merged in batches whose merged rasters stay below [`MERGE_BUDGET_BYTES`]:
//!   memory is bounded, never one grid per outcome.
//! * Societal risk evaluates each case exactly on the population points within the footprint's
//!   reach (population binned on a coarse index); cases are computed in parallel and combined in
//!   their fixed order.
//!
//! Point evaluation ([`RiskResult::risk_at`]) does not use the merged tables: it sums the exact
//! footprints, and is the reference the grid is tested against.

use std::sync::Arc;

use ndarray::Array2;
use rayon::prelude::*;

use super::consequence::footprint_for;
use super::footprint::{Footprint, Shape, VulnerabilityRules};
use super::scenario::{ScenarioSet, SourceOrigin};
use super::study::{GeoOrigin, Study, TargetClass, TargetStatus};
use crate::error::{QraError, Result};

/// Memory budget of merged per-installation rasters processed together, bytes.
pub const MERGE_BUDGET_BYTES: usize = 64 << 20;

/// Rows per parallel band of the output grid (fixed: independent of the thread count).
const BAND_ROWS: usize = 4;

/// Options of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Number of threads (a local rayon pool); `None` = the global pool.
    pub threads: Option<usize>,
    /// Number of rays used for the distance-to-contour profiles (default 72, every 5°); each ray is
    /// sampled at the grid resolution, coarsened to at most 256 samples per ray.
    pub rays: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: None,
            rays: 72,
        }
    }
}

/// One (event, outcome, weather) scenario with its footprint.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Event index.
    pub event: usize,
    /// Installation index.
    pub installation: usize,
    /// Outcome index within the event.
    pub outcome: usize,
    /// Weather-class index.
    pub weather: usize,
    /// f_S · P_O, per year.
    pub frequency_per_year: f64,
    /// The footprint.
    pub footprint: Arc<Footprint>,
    reach2: f64,
}

/// One wind sector of a weather class: downwind unit vector (east, north) and probability.
#[derive(Debug, Clone, Copy)]
struct Sector {
    ux: f64,
    uy: f64,
    p: f64,
    angle: usize,
}

/// The prepared study: resolved frequencies, probabilities, footprints and directions.
#[derive(Debug, Clone)]
pub struct Model {
    /// Installation ids and positions (x, y), m.
    pub installations: Vec<(String, [f64; 2])>,
    /// Event ids and their installation index.
    pub events: Vec<(String, usize)>,
    /// Origin of each installation (a study installation or a release point of a linear source).
    pub origins: Vec<SourceOrigin>,
    /// Scenarios (only those with a positive frequency and reach).
    pub scenarios: Vec<Scenario>,
    /// P_M for individual risk.
    weather_ir: Vec<f64>,
    /// d·P_M,day.
    weather_day: Vec<f64>,
    /// (1 − d)·P_M,night.
    weather_night: Vec<f64>,
    /// Sectors with p > 0 per weather class.
    sectors: Vec<Vec<Sector>>,
    /// Σ P_φ per weather class.
    sector_sum: Vec<f64>,
    /// Distinct directions (downwind unit vectors).
    angles: Vec<(f64, f64)>,
    rules: VulnerabilityRules,
}

fn local(dx: f64, dy: f64, ux: f64, uy: f64) -> (f64, f64) {
    (dx * ux + dy * uy, -dx * uy + dy * ux)
}

impl Model {
    /// Builds the footprints of every scenario of `set`.
    ///
    /// # Errors
    /// Errors of the consequence models (missing data a model needs, invalid model inputs).
    pub fn new(set: &ScenarioSet) -> Result<Model> {
        Model::build(set, None)
    }

    /// Like [`Model::new`] but builds the scenarios (footprints) of the installations with
    /// `keep[i] == true` only; events of the other installations stay listed (same indices).
    fn build(set: &ScenarioSet, keep: Option<&[bool]>) -> Result<Model> {
        let study: &Study = set.study();
        let met = &study.meteorology;
        let d = met.day_fraction;
        let weather_day: Vec<f64> = met.weather.iter().map(|w| d * w.p_day()).collect();
        let weather_night: Vec<f64> = met
            .weather
            .iter()
            .map(|w| (1.0 - d) * w.p_night())
            .collect();
        let weather_ir: Vec<f64> = weather_day
            .iter()
            .zip(&weather_night)
            .map(|(a, b)| a + b)
            .collect();
        let mut angles: Vec<f64> = Vec::new();
        let mut angle_vecs: Vec<(f64, f64)> = Vec::new();
        let mut sectors = Vec::new();
        let mut sector_sum = Vec::new();
        for w in &met.weather {
            let mut v = Vec::new();
            let mut s = 0.0;
            let nsub = met.sector_subdivisions.max(1);
            let width = 360.0 / w.wind_rose.len().max(1) as f64;
            for (k, &p) in w.wind_rose.iter().enumerate() {
                s += p;
                if p <= 0.0 {
                    continue;
                }
                for j in 0..nsub {
                    // Sub-sector centres; n = 1 gives the sector centre exactly.
                    let shift = if nsub == 1 {
                        0.0
                    } else {
                        width * ((j as f64 + 0.5) / nsub as f64 - 0.5)
                    };
                    let from = (w.sector_from_deg(k) + shift).rem_euclid(360.0);
                    let idx = match angles.iter().position(|&a| a == from) {
                        Some(i) => i,
                        None => {
                            angles.push(from);
                            let to = (from + 180.0).to_radians();
                            angle_vecs.push((to.sin(), to.cos()));
                            angles.len() - 1
                        }
                    };
                    let (ux, uy) = angle_vecs[idx];
                    v.push(Sector {
                        ux,
                        uy,
                        p: if nsub == 1 { p } else { p / nsub as f64 },
                        angle: idx,
                    });
                }
            }
            sectors.push(v);
            sector_sum.push(s);
        }
        let mut scenarios = Vec::new();
        let mut events = Vec::new();
        // Release points of one release class of one linear source share their footprints.
        let mut shared_fp: std::collections::HashMap<(usize, usize, usize, usize), Arc<Footprint>> =
            Default::default();
        for (ei, (ev, rev)) in study.events.iter().zip(set.events()).enumerate() {
            let ii = rev.installation;
            events.push((ev.id.clone(), ii));
            if keep.is_some_and(|k| !k.get(ii).copied().unwrap_or(false)) {
                continue;
            }
            let f = rev.frequency_per_year;
            let probs = &rev.outcome_probabilities;
            let ctx = set.context(ei)?;
            let template = rev.origin.footprint_key();
            for (oi, o) in ev.outcomes.iter().enumerate() {
                let fo = f * probs[oi];
                if fo <= 0.0 {
                    continue;
                }
                let shared = match &o.spec {
                    super::study::OutcomeSpec::Analytic { by_weather, .. }
                        if by_weather.is_empty() =>
                    {
                        match met.weather.first() {
                            Some(w) => Some(Arc::new(footprint_for(&o.spec, w, &ctx)?)),
                            None => None,
                        }
                    }
                    _ => None,
                };
                for (wi, w) in met.weather.iter().enumerate() {
                    if weather_ir[wi] <= 0.0 {
                        continue;
                    }
                    let fp = match (&shared, template) {
                        (Some(a), _) => a.clone(),
                        (None, Some((pl, rl))) => match shared_fp.get(&(pl, rl, oi, wi)) {
                            Some(a) => a.clone(),
                            None => {
                                let a = Arc::new(footprint_for(&o.spec, w, &ctx)?);
                                shared_fp.insert((pl, rl, oi, wi), a.clone());
                                a
                            }
                        },
                        (None, None) => Arc::new(footprint_for(&o.spec, w, &ctx)?),
                    };
                    let reach = fp.reach_m();
                    if reach <= 0.0 && !matches!(fp.outdoor, Shape::Circle { .. }) {
                        continue;
                    }
                    scenarios.push(Scenario {
                        event: ei,
                        installation: ii,
                        outcome: oi,
                        weather: wi,
                        frequency_per_year: fo,
                        reach2: reach * reach,
                        footprint: fp,
                    });
                }
            }
        }
        Ok(Model {
            installations: study
                .installations
                .iter()
                .map(|i| (i.id.clone(), [i.x_m, i.y_m]))
                .collect(),
            events,
            origins: set.sources().to_vec(),
            scenarios,
            weather_ir,
            weather_day,
            weather_night,
            sectors,
            sector_sum,
            angles: angle_vecs,
            rules: study.vulnerability,
        })
    }

    /// Individual risk contributed by one scenario at world point (x, y), per year (exact).
    fn scenario_ir(&self, s: &Scenario, x: f64, y: f64) -> f64 {
        let [ix, iy] = self.installations[s.installation].1;
        let (dx, dy) = (x - ix, y - iy);
        if dx * dx + dy * dy > s.reach2 {
            return 0.0;
        }
        let w = s.frequency_per_year * self.weather_ir[s.weather];
        let fp = &s.footprint;
        if fp.outdoor.is_radially_symmetric() {
            w * self.sector_sum[s.weather] * fp.lethality(dx, dy)
        } else {
            let mut acc = 0.0;
            for sec in &self.sectors[s.weather] {
                let (lx, ly) = local(dx, dy, sec.ux, sec.uy);
                acc += sec.p * fp.lethality(lx, ly);
            }
            w * acc
        }
    }

    /// Exact individual risk at (x, y), per year.
    pub fn ir_at(&self, x: f64, y: f64) -> f64 {
        if !(x.is_finite() && y.is_finite()) {
            return 0.0;
        }
        self.scenarios
            .iter()
            .map(|s| self.scenario_ir(s, x, y))
            .sum()
    }

    /// Exact individual risk at (x, y) split by event (adds into `out`, indexed by event).
    pub fn ir_by_event(&self, x: f64, y: f64, out: &mut [f64]) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        for s in &self.scenarios {
            out[s.event] += self.scenario_ir(s, x, y);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Merged per-installation footprints.

struct RadialMerged {
    inv_h: f64,
    table: Vec<f64>,
    reach2: f64,
    circ_r2: Vec<f64>,
    circ_suffix: Vec<f64>,
    reach: f64,
}

impl RadialMerged {
    #[inline]
    fn at(&self, d2: f64) -> f64 {
        let mut v = 0.0;
        if d2 <= self.reach2 && !self.table.is_empty() {
            let f = d2.sqrt() * self.inv_h;
            let k = f as usize;
            if k + 1 < self.table.len() {
                let t = f - k as f64;
                v = self.table[k] + t * (self.table[k + 1] - self.table[k]);
            }
        }
        if !self.circ_r2.is_empty() {
            let i = self.circ_r2.partition_point(|&r2| r2 < d2);
            if i < self.circ_suffix.len() {
                v += self.circ_suffix[i];
            }
        }
        v
    }
}

struct DirRaster {
    ux: f64,
    uy: f64,
    values: Vec<f64>,
}

struct DirMerged {
    res: f64,
    inv_res: f64,
    ix0: i64,
    iy0: i64,
    nx: usize,
    ny: usize,
    rasters: Vec<DirRaster>,
    reach: f64,
}

impl DirMerged {
    #[inline]
    fn at(&self, r: &DirRaster, lx: f64, ly: f64) -> f64 {
        self.at_raster(
            r,
            lx * self.inv_res - self.ix0 as f64,
            ly * self.inv_res - self.iy0 as f64,
        )
    }

    /// Bilinear value at fractional raster indices (fx, fy); 0 outside.
    #[inline]
    fn at_raster(&self, r: &DirRaster, fx: f64, fy: f64) -> f64 {
        if !(fx >= 0.0 && fy >= 0.0 && fx <= (self.nx - 1) as f64 && fy <= (self.ny - 1) as f64) {
            return 0.0;
        }
        let nx = self.nx;
        let i = (fx as usize).min(nx - 2);
        let j = (fy as usize).min(self.ny - 2);
        let tx = fx - i as f64;
        let ty = fy - j as f64;
        let k = j * nx + i;
        let Some(v) = r.values.get(k..k + nx + 2) else {
            return 0.0;
        };
        let a = v[0] + tx * (v[1] - v[0]);
        let b = v[nx] + tx * (v[nx + 1] - v[nx]);
        a + ty * (b - a)
    }

    /// x-interval of `dE` (east offset) on the row at north offset `dn` where the local point falls
    /// inside the raster rectangle (slab method), or None.
    fn row_span(&self, r: &DirRaster, dn: f64) -> Option<(f64, f64)> {
        let lx0 = self.ix0 as f64 * self.res;
        let lx1 = (self.ix0 + self.nx as i64 - 1) as f64 * self.res;
        let ly0 = self.iy0 as f64 * self.res;
        let ly1 = (self.iy0 + self.ny as i64 - 1) as f64 * self.res;
        let mut lo = f64::NEG_INFINITY;
        let mut hi = f64::INFINITY;
        // lx = dE·ux + dn·uy ∈ [lx0, lx1]
        slab(&mut lo, &mut hi, r.ux, dn * r.uy, lx0, lx1)?;
        // ly = −dE·uy + dn·ux ∈ [ly0, ly1]
        slab(&mut lo, &mut hi, -r.uy, dn * r.ux, ly0, ly1)?;
        Some((lo, hi))
    }
}

/// Restricts [lo, hi] to {e : a·e + b ∈ [c0, c1]}.
fn slab(lo: &mut f64, hi: &mut f64, a: f64, b: f64, c0: f64, c1: f64) -> Option<()> {
    if a.abs() < 1e-12 {
        if b < c0 - 1e-9 || b > c1 + 1e-9 {
            return None;
        }
    } else {
        let (mut e0, mut e1) = ((c0 - b) / a, (c1 - b) / a);
        if e0 > e1 {
            std::mem::swap(&mut e0, &mut e1);
        }
        *lo = lo.max(e0);
        *hi = hi.min(e1);
    }
    if *lo > *hi {
        None
    } else {
        Some(())
    }
}

struct Merged {
    x: f64,
    y: f64,
    radial: Option<RadialMerged>,
    dir: Option<DirMerged>,
}

impl Merged {
    fn reach(&self) -> f64 {
        let r = self.radial.as_ref().map_or(0.0, |r| r.reach);
        let d = self.dir.as_ref().map_or(0.0, |d| d.reach);
        r.max(d)
    }

    /// IR of this installation at offset (dx, dy) from it.
    fn at(&self, dx: f64, dy: f64) -> f64 {
        let mut v = 0.0;
        if let Some(r) = &self.radial {
            v += r.at(dx * dx + dy * dy);
        }
        if let Some(d) = &self.dir {
            for r in &d.rasters {
                let (lx, ly) = local(dx, dy, r.ux, r.uy);
                v += d.at(r, lx, ly);
            }
        }
        v
    }
}

/// Largest number of nodes of one merged radial table.
const MAX_RADIAL_NODES: f64 = 1.0e6;
/// Largest number of nodes of the merged directional rasters of one installation (all directions).
const MAX_DIR_NODES: f64 = 1.6e7;

fn merge_installation(
    model: &Model,
    inst: usize,
    scen: &[&Scenario],
    res: f64,
    clip_m: f64,
) -> Merged {
    let [x, y] = model.installations[inst].1;
    // Radial part: step res/8, coarsened for huge reaches (memory bound).
    let rmax = scen
        .iter()
        .filter(|s| matches!(s.footprint.outdoor, Shape::Radial(_)))
        .map(|s| s.footprint.outdoor.reach_m().min(clip_m))
        .fold(0.0, f64::max);
    let h = (res / 8.0).max(rmax / MAX_RADIAL_NODES);
    let mut circles: Vec<(f64, f64)> = Vec::new();
    let mut tables: Vec<(&Scenario, f64)> = Vec::new();
    let mut dirs: Vec<&Scenario> = Vec::new();
    for s in scen {
        let w = s.frequency_per_year * model.weather_ir[s.weather];
        match &s.footprint.outdoor {
            Shape::Circle { radius_m, p } => {
                circles.push((radius_m * radius_m, w * model.sector_sum[s.weather] * p))
            }
            Shape::Radial(_) => tables.push((s, w * model.sector_sum[s.weather])),
            Shape::Directional(_) => dirs.push(s),
        }
    }
    let radial = if circles.is_empty() && tables.is_empty() {
        None
    } else {
        let treach = rmax;
        let mut table = Vec::new();
        if !tables.is_empty() {
            let n = (treach / h).ceil() as usize + 2;
            table = vec![0.0; n];
            for (s, w) in &tables {
                let r = s.footprint.outdoor.reach_m().min(treach);
                let m = ((r / h).ceil() as usize + 1).min(n);
                for (k, t) in table.iter_mut().enumerate().take(m) {
                    *t += w * s.footprint.outdoor.lethality(k as f64 * h, 0.0);
                }
            }
        }
        circles.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut suffix = vec![0.0; circles.len()];
        let mut acc = 0.0;
        for i in (0..circles.len()).rev() {
            acc += circles[i].1;
            suffix[i] = acc;
        }
        let creach = circles.last().map_or(0.0, |c| c.0.sqrt());
        Some(RadialMerged {
            inv_h: 1.0 / h,
            table,
            reach2: treach * treach,
            circ_r2: circles.iter().map(|c| c.0).collect(),
            circ_suffix: suffix,
            reach: treach.max(creach),
        })
    };
    // Directional part.
    let dir = if dirs.is_empty() {
        None
    } else {
        // Union extent in the local frame, clipped to the grid's reach from the installation.
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        let mut reach: f64 = 0.0;
        for s in &dirs {
            if let Shape::Directional(t) = &s.footprint.outdoor {
                let c = t.corners();
                x0 = x0.min(c[0].0.max(-clip_m));
                x1 = x1.max(c[2].0.min(clip_m));
                y0 = y0.min(c[0].1.max(-clip_m));
                y1 = y1.max(c[2].1.min(clip_m));
                reach = reach.max(
                    s.footprint
                        .outdoor
                        .reach_m()
                        .min(clip_m * std::f64::consts::SQRT_2),
                );
            }
        }
        let n_angles = {
            let mut seen = vec![false; model.angles.len()];
            for s in &dirs {
                for sec in &model.sectors[s.weather] {
                    seen[sec.angle] = true;
                }
            }
            seen.iter().filter(|b| **b).count().max(1)
        };
        // Local step: the grid resolution, coarsened if the rasters would be huge.
        let nodes = ((x1 - x0) / res + 2.0) * ((y1 - y0) / res + 2.0) * n_angles as f64;
        let res = if nodes > MAX_DIR_NODES {
            res * (nodes / MAX_DIR_NODES).sqrt().ceil()
        } else {
            res
        };
        let ix0 = (x0 / res).floor() as i64;
        let ix1 = (x1 / res).ceil() as i64;
        let iy0 = (y0 / res).floor() as i64;
        let iy1 = (y1 / res).ceil() as i64;
        let nx = (ix1 - ix0 + 1).max(2) as usize;
        let ny = (iy1 - iy0 + 1).max(2) as usize;
        let mut used: Vec<Option<usize>> = vec![None; model.angles.len()];
        let mut rasters: Vec<DirRaster> = Vec::new();
        for s in &dirs {
            for sec in &model.sectors[s.weather] {
                if used[sec.angle].is_none() {
                    used[sec.angle] = Some(rasters.len());
                    rasters.push(DirRaster {
                        ux: sec.ux,
                        uy: sec.uy,
                        values: vec![0.0; nx * ny],
                    });
                }
            }
        }
        // Keep the direction order fixed (by angle index), independent of footprint order.
        let mut order: Vec<(usize, usize)> = used
            .iter()
            .enumerate()
            .filter_map(|(a, r)| r.map(|r| (a, r)))
            .collect();
        order.sort();
        let mut sample = Vec::new();
        for s in &dirs {
            let Shape::Directional(t) = &s.footprint.outdoor else {
                continue;
            };
            let c = t.corners();
            let jx0 = ((c[0].0 / res).ceil() as i64).max(ix0);
            let jx1 = ((c[2].0 / res).floor() as i64).min(ix0 + nx as i64 - 1);
            let jy0 = ((c[0].1 / res).ceil() as i64).max(iy0);
            let jy1 = ((c[2].1 / res).floor() as i64).min(iy0 + ny as i64 - 1);
            if jx1 < jx0 || jy1 < jy0 {
                continue;
            }
            let w = s.frequency_per_year * model.weather_ir[s.weather];
            let sw = (jx1 - jx0 + 1) as usize;
            sample.clear();
            for jy in jy0..=jy1 {
                for jx in jx0..=jx1 {
                    sample.push(t.at(jx as f64 * res, jy as f64 * res));
                }
            }
            for sec in &model.sectors[s.weather] {
                let Some(ri) = used[sec.angle] else { continue };
                let ws = w * sec.p;
                let vals = &mut rasters[ri].values;
                for (r, jy) in (jy0..=jy1).enumerate() {
                    let base = (jy - iy0) as usize * nx + (jx0 - ix0) as usize;
                    let src = &sample[r * sw..(r + 1) * sw];
                    for (d, v) in vals[base..base + sw].iter_mut().zip(src) {
                        *d += ws * v;
                    }
                }
            }
        }
        let mut slots: Vec<Option<DirRaster>> = rasters.into_iter().map(Some).collect();
        let rasters = order.iter().filter_map(|&(_, r)| slots[r].take()).collect();
        Some(DirMerged {
            res,
            inv_res: 1.0 / res,
            ix0,
            iy0,
            nx,
            ny,
            rasters,
            reach,
        })
    };
    Merged { x, y, radial, dir }
}

/// Adds installation `m`'s IR into rows `j0..j0+rows` of the grid band `band` (row-major, nx wide).
///
/// Each cell's contribution of the installation, c = radial + Σ_directions raster (in that fixed
/// order), is formed in the scratch row `tmp` (nx long, all zeros on entry and on exit) and added
/// to the cell once: cell += c. The grid is therefore the left fold, in installation order, of the
/// per-installation contributions, which is what lets [`combine`] reproduce a local run bit for
/// bit from per-installation partial grids.
#[allow(clippy::too_many_arguments)]
fn accumulate(
    m: &Merged,
    band: &mut [f64],
    tmp: &mut [f64],
    j0: usize,
    nx: usize,
    xs: &[f64],
    ys: &[f64],
    res: f64,
) {
    let reach = m.reach();
    let rows = band.len() / nx;
    let x0 = xs[0];
    let col = |e: f64| -> f64 { (e - x0) / res };
    for r in 0..rows {
        let yv = ys[j0 + r];
        let dn = yv - m.y;
        if dn.abs() > reach {
            continue;
        }
        let (mut lo_i, mut hi_i) = (usize::MAX, 0usize);
        if let Some(rad) = &m.radial {
            let half = (rad.reach * rad.reach - dn * dn).max(0.0).sqrt();
            let i0 = col(m.x - half).floor().max(0.0) as usize;
            let i1 = (col(m.x + half).ceil() as i64).min(nx as i64 - 1);
            if i1 >= 0 && i0 as i64 <= i1 {
                let dn2 = dn * dn;
                for i in i0..=(i1 as usize) {
                    let de = xs[i] - m.x;
                    tmp[i] += rad.at(de * de + dn2);
                }
                lo_i = lo_i.min(i0);
                hi_i = hi_i.max(i1 as usize);
            }
        }
        if let Some(d) = &m.dir {
            for rs in &d.rasters {
                let Some((lo, hi)) = d.row_span(rs, dn) else {
                    continue;
                };
                let i0 = (col(m.x + lo).floor() - 1.0).max(0.0) as usize;
                let i1 = (col(m.x + hi).ceil() as i64 + 1).min(nx as i64 - 1);
                if i1 < 0 || i0 as i64 > i1 {
                    continue;
                }
                // Local raster coordinates advance by (ux, −uy) per column (res·inv_res = 1);
                // computed as start + k·step (no accumulated drift, same bits in every band).
                let de0 = xs[i0] - m.x;
                let (lx0, ly0) = local(de0, dn, rs.ux, rs.uy);
                let fx0 = lx0 * d.inv_res - d.ix0 as f64;
                let fy0 = ly0 * d.inv_res - d.iy0 as f64;
                let (sx, sy) = (rs.ux * res * d.inv_res, -rs.uy * res * d.inv_res);
                for (k, out) in tmp[i0..=(i1 as usize)].iter_mut().enumerate() {
                    let kf = k as f64;
                    *out += d.at_raster(rs, fx0 + kf * sx, fy0 + kf * sy);
                }
                lo_i = lo_i.min(i0);
                hi_i = hi_i.max(i1 as usize);
            }
        }
        if lo_i <= hi_i {
            let row = &mut band[r * nx..(r + 1) * nx];
            for (o, t) in row[lo_i..=hi_i].iter_mut().zip(&mut tmp[lo_i..=hi_i]) {
                *o += *t;
                *t = 0.0;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Population.

#[derive(Debug, Clone, Copy)]
struct PopPoint {
    x: f64,
    y: f64,
    out_day: f64,
    in_day: f64,
    out_night: f64,
    in_night: f64,
}

struct PopIndex {
    pts: Vec<PopPoint>,
    x0: f64,
    y0: f64,
    bin: f64,
    nbx: usize,
    nby: usize,
    start: Vec<usize>,
}

impl PopIndex {
    fn new(mut pts: Vec<PopPoint>) -> PopIndex {
        if pts.is_empty() {
            return PopIndex {
                pts,
                x0: 0.0,
                y0: 0.0,
                bin: 1.0,
                nbx: 0,
                nby: 0,
                start: vec![0],
            };
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in &pts {
            x0 = x0.min(p.x);
            x1 = x1.max(p.x);
            y0 = y0.min(p.y);
            y1 = y1.max(p.y);
        }
        let span = (x1 - x0).max(y1 - y0).max(1.0);
        let bin = (span / 1000.0).max(50.0);
        let nbx = ((x1 - x0) / bin) as usize + 1;
        let nby = ((y1 - y0) / bin) as usize + 1;
        let key = |p: &PopPoint| -> usize {
            let bx = (((p.x - x0) / bin) as usize).min(nbx - 1);
            let by = (((p.y - y0) / bin) as usize).min(nby - 1);
            by * nbx + bx
        };
        pts.sort_by_key(key);
        let mut start = vec![0usize; nbx * nby + 1];
        for p in &pts {
            start[key(p) + 1] += 1;
        }
        for i in 0..nbx * nby {
            start[i + 1] += start[i];
        }
        PopIndex {
            pts,
            x0,
            y0,
            bin,
            nbx,
            nby,
            start,
        }
    }

    /// Calls `f` for every point within `r` of (x, y), in a fixed order.
    fn within(&self, x: f64, y: f64, r: f64, mut f: impl FnMut(&PopPoint, f64, f64)) {
        if self.pts.is_empty() {
            return;
        }
        let bx0 = ((x - r - self.x0) / self.bin).floor().max(0.0) as usize;
        let by0 = ((y - r - self.y0) / self.bin).floor().max(0.0) as usize;
        let bx1 = ((x + r - self.x0) / self.bin).floor();
        let by1 = ((y + r - self.y0) / self.bin).floor();
        if bx1 < 0.0 || by1 < 0.0 {
            return;
        }
        let bx1 = (bx1 as usize).min(self.nbx - 1);
        let by1 = (by1 as usize).min(self.nby - 1);
        let r2 = r * r;
        for by in by0..=by1 {
            for bx in bx0..=bx1 {
                let b = by * self.nbx + bx;
                for p in &self.pts[self.start[b]..self.start[b + 1]] {
                    let (dx, dy) = (p.x - x, p.y - y);
                    if dx * dx + dy * dy <= r2 {
                        f(p, dx, dy);
                    }
                }
            }
        }
    }
}

/// Even-odd point-in-polygon test.
pub fn point_in_polygon(x: f64, y: f64, poly: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = poly.len();
    let mut j = n.wrapping_sub(1);
    for i in 0..n {
        let (xi, yi) = (poly[i][0], poly[i][1]);
        let (xj, yj) = (poly[j][0], poly[j][1]);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn polygon_area(poly: &[[f64; 2]]) -> f64 {
    let n = poly.len();
    let mut a = 0.0;
    for i in 0..n {
        let j = (i + 1) % n;
        a += poly[i][0] * poly[j][1] - poly[j][0] * poly[i][1];
    }
    0.5 * a.abs()
}

fn population_points(study: &Study, res: f64) -> Vec<PopPoint> {
    let mut pts = Vec::new();
    for r in &study.population.rasters {
        let night = r.counts_night.as_deref().unwrap_or(&r.counts);
        for j in 0..r.ny {
            for i in 0..r.nx {
                let k = j * r.nx + i;
                let (cd, cn) = (r.counts[k], night[k]);
                if cd <= 0.0 && cn <= 0.0 {
                    continue;
                }
                pts.push(PopPoint {
                    x: r.x0_m + (i as f64 + 0.5) * r.cell_size_m,
                    y: r.y0_m + (j as f64 + 0.5) * r.cell_size_m,
                    out_day: cd * (1.0 - r.indoor_fraction_day),
                    in_day: cd * r.indoor_fraction_day,
                    out_night: cn * (1.0 - r.indoor_fraction_night),
                    in_night: cn * r.indoor_fraction_night,
                });
            }
        }
    }
    for g in &study.population.polygons {
        let v = &g.vertices;
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for q in v {
            x0 = x0.min(q[0]);
            x1 = x1.max(q[0]);
            y0 = y0.min(q[1]);
            y1 = y1.max(q[1]);
        }
        let step = res
            .max((polygon_area(v) / 10_000.0).sqrt())
            .max((x1 - x0).max(y1 - y0) / 2000.0);
        let mut inside = Vec::new();
        let nx = ((x1 - x0) / step).ceil() as usize;
        let ny = ((y1 - y0) / step).ceil() as usize;
        for j in 0..ny {
            for i in 0..nx {
                let (x, y) = (x0 + (i as f64 + 0.5) * step, y0 + (j as f64 + 0.5) * step);
                if point_in_polygon(x, y, v) {
                    inside.push((x, y));
                }
            }
        }
        if inside.is_empty() {
            let n = v.len() as f64;
            inside.push((
                v.iter().map(|q| q[0]).sum::<f64>() / n,
                v.iter().map(|q| q[1]).sum::<f64>() / n,
            ));
        }
        let k = inside.len() as f64;
        let cd = g.count_day / k;
        let cn = g.count_night.unwrap_or(g.count_day) / k;
        for (x, y) in inside {
            pts.push(PopPoint {
                x,
                y,
                out_day: cd * (1.0 - g.indoor_fraction_day),
                in_day: cd * g.indoor_fraction_day,
                out_night: cn * (1.0 - g.indoor_fraction_night),
                in_night: cn * g.indoor_fraction_night,
            });
        }
    }
    pts
}

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
    /// New / in-service.
    pub status: TargetStatus,
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
    /// Geographic origin (for GeoJSON).
    pub origin: Option<GeoOrigin>,
    /// The prepared model (for exact point evaluation).
    pub model: Arc<Model>,
    /// One row per scenario that contributes (see [`RiskResult::scenarios`]).
    pub scenario_rows: Arc<Vec<ScenarioRow>>,
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
    pub release: Option<super::study::ReleaseKind>,
    /// Phase in the installation, where given.
    pub phase: Option<super::study::Phase>,
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
    use super::consequence::release_summary;
    let study: &Study = set.study();
    let mut rows = Vec::with_capacity(model.scenarios.len());
    for s in &model.scenarios {
        let ev = &study.events[s.event];
        let inst = &study.installations[s.installation];
        let o = &ev.outcomes[s.outcome];
        let w = &study.meteorology.weather[s.weather];
        let ctx = set.context(s.event)?;
        let rel = release_summary(&o.spec, w, &ctx).unwrap_or_default();
        let shape = &s.footprint.outdoor;
        rows.push(ScenarioRow {
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
            distance_1pct_m: shape.distance_to_lethality_m(0.01),
            distance_50pct_m: shape.distance_to_lethality_m(0.5),
        });
    }
    Ok(rows)
}

impl RiskResult {
    /// The scenario table: one [`ScenarioRow`] per (event, outcome, weather class) scenario
    /// that contributes (positive frequency and reach), in engine order. Empty for results
    /// assembled by the park what-ifs.
    pub fn scenarios(&self) -> &[ScenarioRow] {
        &self.scenario_rows
    }

    /// Exact individual risk at points (x, y), per year (parallel; deterministic).
    pub fn risk_at(&self, points: &[[f64; 2]]) -> Vec<f64> {
        points
            .par_iter()
            .map(|p| self.model.ir_at(p[0], p[1]))
            .collect()
    }

    /// F(N) at `n` (cumulative frequency of cases with N_k ≥ n), per year.
    pub fn frequency_at_least(&self, n: f64) -> f64 {
        let i = self.fn_curve.partition_point(|p| p.n < n);
        self.fn_curve.get(i).map_or(0.0, |p| p.f_per_year)
    }
}

/// Runs a study.
///
/// # Errors
/// [`QraError::InvalidDocument`] for an invalid study, [`QraError::ResourceLimit`] for a grid
/// above [`super::study::MAX_GRID_CELLS`], [`QraError::NotImplemented`] for physical outcome kinds
/// until the consequence models are wired, [`QraError::InvalidInput`] for a zero thread count.
pub fn run(study: &Study, opts: &RunOptions) -> Result<RiskResult> {
    run_with_control(study, opts, &RunControl::default())
}

/// Progress and cancellation of a run, shared with another thread (a progress bar, a Ctrl-C
/// handler). Reading it never changes the result: the checks sit between installation batches.
#[derive(Debug, Default)]
pub struct RunControl {
    /// Set to `true` to stop the run at the next check; the run then returns
    /// [`QraError::Cancelled`].
    pub cancel: std::sync::atomic::AtomicBool,
    /// Work units done (footprint preparation, one per installation merged, societal risk).
    pub done: std::sync::atomic::AtomicUsize,
    /// Work units in total (0 until known).
    pub total: std::sync::atomic::AtomicUsize,
}

impl RunControl {
    fn check(&self) -> Result<()> {
        if self.cancel.load(std::sync::atomic::Ordering::Relaxed) {
            Err(QraError::Cancelled {
                what: "risk run".into(),
            })
        } else {
            Ok(())
        }
    }

    fn advance(&self, n: usize) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// [`run`] with a [`RunControl`] for progress reporting and cancellation.
///
/// # Errors
/// As [`run`]; [`QraError::Cancelled`] when `control.cancel` is set during the run.
pub fn run_with_control(
    study: &Study,
    opts: &RunOptions,
    control: &RunControl,
) -> Result<RiskResult> {
    study.grid.dims()?;
    run_scenarios(&ScenarioSet::from_study(study)?, opts, control)
}

/// Runs resolved scenarios ([`run_with_control`] after [`ScenarioSet::from_study`]).
///
/// # Errors
/// As [`run_with_control`].
pub fn run_scenarios(
    set: &ScenarioSet,
    opts: &RunOptions,
    control: &RunControl,
) -> Result<RiskResult> {
    let study: &Study = set.study();
    let (nx, ny) = study.grid.dims()?;
    let result = match opts.threads {
        None => run_inner(set, opts, nx, ny, control),
        Some(0) => Err(QraError::invalid("threads", 0, "must be >= 1")),
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|e| QraError::invalid("threads", t, e.to_string()))?;
            pool.install(|| run_inner(set, opts, nx, ny, control))
        }
    };
    if result.is_ok() {
        control.advance(1);
    }
    result
}

fn run_inner(
    set: &ScenarioSet,
    opts: &RunOptions,
    nx: usize,
    ny: usize,
    ctl: &RunControl,
) -> Result<RiskResult> {
    let study: &Study = set.study();
    ctl.total.store(
        study.installations.len() + 2,
        std::sync::atomic::Ordering::Relaxed,
    );
    ctl.check()?;
    let model = Arc::new(Model::new(set)?);
    ctl.advance(1);
    let g = &study.grid;
    let res = g.resolution_m;
    let xs: Vec<f64> = (0..nx).map(|i| g.x_min_m + i as f64 * res).collect();
    let ys: Vec<f64> = (0..ny).map(|j| g.y_min_m + j as f64 * res).collect();

    // Scenarios by installation (fixed order).
    let ninst = model.installations.len();
    let mut by_inst: Vec<Vec<&Scenario>> = vec![Vec::new(); ninst];
    for s in &model.scenarios {
        by_inst[s.installation].push(s);
    }

    // Individual risk on the grid, installations merged in memory-bounded batches.
    let mut grid = vec![0.0f64; nx * ny];
    let nrays = opts.rays.clamp(4, 3600);
    let mut profiles = Vec::with_capacity(ninst);
    let mut next = 0;
    while next < ninst {
        ctl.check()?;
        // Estimate the batch: at least one installation, then up to the budget.
        let mut end = next;
        let mut bytes = 0usize;
        while end < ninst {
            let est = estimate_bytes(&model, &by_inst[end], res);
            if end > next && bytes + est > MERGE_BUDGET_BYTES {
                break;
            }
            bytes += est;
            end += 1;
        }
        let merged: Vec<Merged> = (next..end)
            .into_par_iter()
            .map(|i| {
                let [px, py] = model.installations[i].1;
                // Farthest grid corner from the installation: nothing beyond it is needed.
                let clip = (px - xs[0])
                    .abs()
                    .max((px - xs[nx - 1]).abs())
                    .hypot((py - ys[0]).abs().max((py - ys[ny - 1]).abs()))
                    + 2.0 * res;
                merge_installation(&model, i, &by_inst[i], res, clip)
            })
            .collect();
        grid.par_chunks_mut(nx * BAND_ROWS)
            .enumerate()
            .for_each(|(b, band)| {
                let mut tmp = vec![0.0; nx];
                for m in &merged {
                    accumulate(m, band, &mut tmp, b * BAND_ROWS, nx, &xs, &ys, res);
                }
            });
        let batch_profiles: Vec<InstallationProfile> = merged
            .par_iter()
            .enumerate()
            .map(|(k, m)| profile(m, &model.installations[next + k].0, nrays, res))
            .collect();
        profiles.extend(batch_profiles);
        ctl.advance(end - next);
        next = end;
    }
    ctl.check()?;
    let individual_risk =
        Array2::from_shape_vec((ny, nx), grid).map_err(|e| QraError::Numerical {
            model: "risk engine".into(),
            message: e.to_string(),
        })?;

    // Societal risk.
    let per_scenario = scenario_cases(study, &model, |_| true);
    let rows = scenario_rows(set, &model)?;
    finish(
        study,
        model,
        rows,
        xs,
        ys,
        individual_risk,
        profiles,
        &per_scenario,
    )
}

/// The reductions after the grid: societal cases folded in scenario order (PLL, F-N), then
/// targets and contributions (exact point evaluation on `model`).
/// F-N curve of societal cases (N > 0, f > 0): F(N) = Σ f over cases with N_k ≥ N at every distinct
/// N, ascending N. Cases of equal N are summed in the order given (stable sort), so the bits do
/// not depend on anything but that order.
pub fn fn_curve_of(mut cases: Vec<(f64, f64)>) -> Vec<FnPoint> {
    cases.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut fn_curve: Vec<FnPoint> = Vec::new();
    let mut acc = 0.0;
    let mut i = 0;
    while i < cases.len() {
        let n = cases[i].0;
        while i < cases.len() && cases[i].0 == n {
            acc += cases[i].1;
            i += 1;
        }
        fn_curve.push(FnPoint { n, f_per_year: acc });
    }
    fn_curve.reverse();
    fn_curve
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    study: &Study,
    model: Arc<Model>,
    scenario_rows: Vec<ScenarioRow>,
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

    // Targets and contributions.
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
        origin: study.origin,
        model,
        scenario_rows: Arc::new(scenario_rows),
    })
}

fn estimate_bytes(model: &Model, scen: &[&Scenario], res: f64) -> usize {
    let mut ext = 0.0f64;
    let mut radial = 0.0f64;
    let mut angles = 0usize;
    for s in scen {
        match &s.footprint.outdoor {
            Shape::Directional(t) => {
                let c = t.corners();
                ext = ext.max(((c[2].0 - c[0].0) / res + 2.0) * ((c[2].1 - c[0].1) / res + 2.0));
                angles = angles.max(model.sectors[s.weather].len());
            }
            other => radial = radial.max(other.reach_m()),
        }
    }
    let a = model.angles.len().min(angles.max(1) * 4) as f64;
    // The merged tables are bounded (see merge_installation); so is the estimate.
    let nodes = (ext * a).min(MAX_DIR_NODES)
        + (radial / res * 8.0).min(MAX_RADIAL_NODES)
        + scen.len() as f64;
    (8.0 * nodes) as usize
}

fn profile(m: &Merged, id: &str, nrays: usize, res: f64) -> InstallationProfile {
    let reach = m.reach();
    // Step: the grid resolution, coarsened so that a ray has at most 256 samples.
    let res = res.max(reach / 256.0);
    let steps = (reach / res).ceil() as usize + 2;
    let rays = (0..nrays)
        .map(|k| {
            let a = (360.0 * k as f64 / nrays as f64).to_radians();
            let (sx, sy) = (a.sin(), a.cos());
            (0..steps)
                .map(|i| {
                    let d = i as f64 * res;
                    m.at(d * sx, d * sy)
                })
                .collect()
        })
        .collect();
    InstallationProfile {
        id: id.to_string(),
        x_m: m.x,
        y_m: m.y,
        step_m: res,
        rays,
    }
}

fn worst_point(
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

/// Societal (N, f) cases of every scenario of `model` (built from `study`) in scenario order; empty
/// for the scenarios that `select` rejects. Day and night for each direction (one direction group
/// for radially symmetric footprints).
pub fn scenario_cases(
    study: &Study,
    model: &Model,
    select: impl Fn(&Scenario) -> bool + Sync,
) -> Vec<Vec<(f64, f64)>> {
    let pop = PopIndex::new(population_points(study, study.grid.resolution_m));
    model
        .scenarios
        .par_iter()
        .map(|s| {
            if select(s) {
                societal_cases(model, s, &pop, model.rules)
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// (N, f) cases of one scenario: day and night for each direction (one direction group for
/// radially symmetric footprints).
fn societal_cases(
    model: &Model,
    s: &Scenario,
    pop: &PopIndex,
    rules: VulnerabilityRules,
) -> Vec<(f64, f64)> {
    let [ix, iy] = model.installations[s.installation].1;
    let fp = &s.footprint;
    let reach = fp.reach_m();
    let wd = s.frequency_per_year * model.weather_day[s.weather];
    let wn = s.frequency_per_year * model.weather_night[s.weather];
    if fp.is_radially_symmetric() {
        let (mut nd, mut nn) = (0.0, 0.0);
        pop.within(ix, iy, reach, |p, dx, dy| {
            let (o, i) = fp.societal(rules, dx, dy);
            nd += p.out_day * o + p.in_day * i;
            nn += p.out_night * o + p.in_night * i;
        });
        let ps = model.sector_sum[s.weather];
        vec![(nd, wd * ps), (nn, wn * ps)]
    } else {
        let secs = &model.sectors[s.weather];
        let mut nd = vec![0.0; secs.len()];
        let mut nn = vec![0.0; secs.len()];
        pop.within(ix, iy, reach, |p, dx, dy| {
            for (k, sec) in secs.iter().enumerate() {
                let (lx, ly) = local(dx, dy, sec.ux, sec.uy);
                let (o, i) = fp.societal(rules, lx, ly);
                nd[k] += p.out_day * o + p.in_day * i;
                nn[k] += p.out_night * o + p.in_night * i;
            }
        });
        let mut out = Vec::with_capacity(2 * secs.len());
        for (k, sec) in secs.iter().enumerate() {
            out.push((nd[k], wd * sec.p));
            out.push((nn[k], wn * sec.p));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Partial runs (distributed execution).

/// The work of a subset of installations, computed on its own (e.g. on a cluster worker) and
/// combined with the others by [`combine`] into a result bit-identical to [`run`].
///
/// Why per installation: the engine merges all footprints of one installation before the grid is
/// visited and adds each installation's per-cell contribution once, in installation order (see
/// [`run`]). The unit of work is therefore the installation (all its events): a partial holds
/// each installation's own contribution grid, which [`combine`] adds in installation order, and
/// the societal cases of each of its scenarios, which [`combine`] folds in scenario order — the
/// same floating-point operations in the same order as a local run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PartialRun {
    /// Grid size (columns).
    pub nx: usize,
    /// Grid size (rows).
    pub ny: usize,
    /// Installation indices (study order) covered by this partial, ascending.
    pub installations: Vec<usize>,
    /// Each installation's own IR contribution on the grid, row-major (ny·nx), per year.
    pub grids: Vec<Vec<f64>>,
    /// Each installation's IR profile (distances to contours).
    pub profiles: Vec<InstallationProfile>,
    /// Societal (N, f) cases of every scenario of these installations, keyed by
    /// (event index, outcome index, weather index).
    pub cases: Vec<ScenarioCases>,
}

/// The societal (N, f) cases of one scenario, keyed by (event, outcome, weather) indices.
pub type ScenarioCases = ([usize; 3], Vec<(f64, f64)>);

/// Runs the part of `study` that belongs to the installations `installations` (indices in study
/// order; duplicates ignored).
///
/// # Errors
/// As [`run`]; [`QraError::InvalidInput`] for an installation index out of range.
pub fn run_partial(
    study: &Study,
    opts: &RunOptions,
    installations: &[usize],
) -> Result<PartialRun> {
    study.grid.dims()?;
    run_partial_scenarios(&ScenarioSet::from_study(study)?, opts, installations)
}

/// [`run_partial`] on resolved scenarios.
///
/// # Errors
/// As [`run_partial`].
pub fn run_partial_scenarios(
    set: &ScenarioSet,
    opts: &RunOptions,
    installations: &[usize],
) -> Result<PartialRun> {
    let study: &Study = set.study();
    let (nx, ny) = study.grid.dims()?;
    let ninst = study.installations.len();
    let mut keep = vec![false; ninst];
    for &i in installations {
        if i >= ninst {
            return Err(QraError::invalid(
                "installations",
                i,
                format!("must be < {ninst} (the number of installations)"),
            ));
        }
        keep[i] = true;
    }
    let go = || -> Result<PartialRun> {
        let model = Model::build(set, Some(&keep))?;
        let g = &study.grid;
        let res = g.resolution_m;
        let xs: Vec<f64> = (0..nx).map(|i| g.x_min_m + i as f64 * res).collect();
        let ys: Vec<f64> = (0..ny).map(|j| g.y_min_m + j as f64 * res).collect();
        let nrays = opts.rays.clamp(4, 3600);
        let mut grids = Vec::new();
        let mut profiles = Vec::new();
        let mut insts = Vec::new();
        for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            let scen: Vec<&Scenario> = model
                .scenarios
                .iter()
                .filter(|s| s.installation == i)
                .collect();
            let [px, py] = model.installations[i].1;
            let clip = (px - xs[0])
                .abs()
                .max((px - xs[nx - 1]).abs())
                .hypot((py - ys[0]).abs().max((py - ys[ny - 1]).abs()))
                + 2.0 * res;
            let m = merge_installation(&model, i, &scen, res, clip);
            let mut grid = vec![0.0f64; nx * ny];
            grid.par_chunks_mut(nx * BAND_ROWS)
                .enumerate()
                .for_each(|(b, band)| {
                    let mut tmp = vec![0.0; nx];
                    accumulate(&m, band, &mut tmp, b * BAND_ROWS, nx, &xs, &ys, res);
                });
            profiles.push(profile(&m, &model.installations[i].0, nrays, res));
            grids.push(grid);
            insts.push(i);
        }
        let pop = PopIndex::new(population_points(study, res));
        let rules = model.rules;
        let cases = model
            .scenarios
            .par_iter()
            .map(|s| {
                (
                    [s.event, s.outcome, s.weather],
                    societal_cases(&model, s, &pop, rules),
                )
            })
            .collect();
        Ok(PartialRun {
            nx,
            ny,
            installations: insts,
            grids,
            profiles,
            cases,
        })
    };
    match opts.threads {
        None => go(),
        Some(0) => Err(QraError::invalid("threads", 0, "must be >= 1")),
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| QraError::invalid("threads", t, e.to_string()))?
            .install(go),
    }
}

/// Combines partial runs of `study` (together covering every installation exactly once, in any
/// order) into the result [`run`] would give — bit for bit: the installation grids are added in
/// installation order, the societal cases folded in scenario order, then targets and
/// contributions are evaluated exactly as in [`run`] (this prepares the model, i.e. builds the
/// footprints, once on the caller).
///
/// # Errors
/// [`QraError::InvalidInput`] when the partials do not match the study (grid size, an
/// installation missing or repeated, a scenario missing); errors of [`Model::new`].
pub fn combine(study: &Study, parts: &[PartialRun]) -> Result<RiskResult> {
    study.grid.dims()?;
    combine_scenarios(&ScenarioSet::from_study(study)?, parts)
}

/// [`combine`] on resolved scenarios.
///
/// # Errors
/// As [`combine`].
pub fn combine_scenarios(set: &ScenarioSet, parts: &[PartialRun]) -> Result<RiskResult> {
    let study: &Study = set.study();
    let (nx, ny) = study.grid.dims()?;
    let model = Arc::new(Model::new(set)?);
    let ninst = model.installations.len();
    let mut grid_of: Vec<Option<&Vec<f64>>> = vec![None; ninst];
    let mut prof_of: Vec<Option<&InstallationProfile>> = vec![None; ninst];
    let mut cases_of: std::collections::HashMap<[usize; 3], &Vec<(f64, f64)>> =
        std::collections::HashMap::new();
    for p in parts {
        if p.nx != nx || p.ny != ny {
            return Err(QraError::invalid(
                "parts",
                format!("{}x{}", p.nx, p.ny),
                format!("grid must be {nx}x{ny} (the study's)"),
            ));
        }
        if p.grids.len() != p.installations.len() || p.profiles.len() != p.installations.len() {
            return Err(QraError::invalid(
                "parts",
                p.installations.len(),
                "one grid and one profile per installation required",
            ));
        }
        for (k, &i) in p.installations.iter().enumerate() {
            if i >= ninst || grid_of[i].is_some() || p.grids[k].len() != nx * ny {
                return Err(QraError::invalid(
                    "parts.installations",
                    i,
                    "each installation exactly once, with an nx*ny grid",
                ));
            }
            grid_of[i] = Some(&p.grids[k]);
            prof_of[i] = Some(&p.profiles[k]);
        }
        for (key, cs) in &p.cases {
            cases_of.insert(*key, cs);
        }
    }
    let mut grid = vec![0.0f64; nx * ny];
    let mut profiles = Vec::with_capacity(ninst);
    for i in 0..ninst {
        let (Some(g), Some(pr)) = (grid_of[i], prof_of[i]) else {
            return Err(QraError::invalid(
                "parts",
                &model.installations[i].0,
                "installation missing from the partial runs",
            ));
        };
        grid.par_iter_mut().zip(g.par_iter()).for_each(|(o, v)| {
            *o += *v;
        });
        profiles.push(pr.clone());
    }
    let mut per_scenario = Vec::with_capacity(model.scenarios.len());
    for s in &model.scenarios {
        let key = [s.event, s.outcome, s.weather];
        let cs = cases_of.get(&key).ok_or_else(|| {
            QraError::invalid(
                "parts",
                format!("{key:?}"),
                "scenario (event, outcome, weather) missing from the partial runs",
            )
        })?;
        per_scenario.push((*cs).clone());
    }
    let g = &study.grid;
    let res = g.resolution_m;
    let xs: Vec<f64> = (0..nx).map(|i| g.x_min_m + i as f64 * res).collect();
    let ys: Vec<f64> = (0..ny).map(|j| g.y_min_m + j as f64 * res).collect();
    let individual_risk =
        Array2::from_shape_vec((ny, nx), grid).map_err(|e| QraError::Numerical {
            model: "risk engine".into(),
            message: e.to_string(),
        })?;
    let rows = scenario_rows(set, &model)?;
    finish(
        study,
        model,
        rows,
        xs,
        ys,
        individual_risk,
        profiles,
        &per_scenario,
    )
}

/// Header of the binary form of a [`PartialRun`] (format version 2: postcard).
const PARTIAL_MAGIC: &[u8; 8] = b"QRAPART2";

impl PartialRun {
    /// A compact, exact binary form for shipping a partial between processes: the header
    /// `QRAPART2` followed by the serde form in the `postcard` codec (f64 as their 8 bytes, so
    /// the round trip is bit-exact); read back with [`PartialRun::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = PARTIAL_MAGIC.to_vec();
        // Serialising plain vectors and numbers into a Vec cannot fail.
        b.extend(postcard::to_stdvec(self).unwrap_or_default());
        b
    }

    /// Reads the form written by [`PartialRun::to_bytes`] (truncated or inconsistent data is an
    /// error, never a panic; allocations are bounded by the data's length).
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for data that is not a valid partial run.
    pub fn from_bytes(data: &[u8]) -> Result<PartialRun> {
        let bad =
            |what: &str| QraError::invalid("partial run", what, "truncated or malformed data");
        let body = data
            .strip_prefix(PARTIAL_MAGIC.as_slice())
            .ok_or_else(|| bad("magic"))?;
        let (p, rest): (PartialRun, &[u8]) =
            postcard::take_from_bytes(body).map_err(|e| bad(&e.to_string()))?;
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(p)
    }
}
