//! The prepared model: scenarios with their footprints, weather and wind-sector weights.

use std::sync::{Arc, RwLock};

use rayon::prelude::*;

use crate::error::{QraError, Result};
use crate::risk::consequence::{footprint_for, weather_dependence, WeatherDependence};
use crate::risk::footprint::{Footprint, Shape, VulnerabilityRules};
use crate::risk::scenario::{ScenarioSet, SourceOrigin};
use crate::risk::sector::SpreadFootprint;
use crate::risk::study::{SectorSpreading, Study};
use crate::risk::{ignition, placement};

/// The engine's internal maps (keys: indices and table addresses of one run, never iterated):
/// the Fx hash of `rustc-hash`, several times faster than the default SipHash on such small keys
/// and needing no protection against chosen keys. No result depends on a map's order.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Memory budget of merged per-installation rasters processed together, bytes.
pub const MERGE_BUDGET_BYTES: usize = 64 << 20;

/// `n` zeros written into fresh memory: for a grid whose first access is a read-modify-write
/// (`+=`). `vec![0.0; n]` asks the allocator for zeroed memory, which for a
/// large block is fresh pages never written: the first read maps the kernel's shared zero page,
/// the first write then faults again to copy it, and with the run's threads on other cores that
/// second fault flushes their TLBs by inter-processor interrupts (on the 2-core benchmark
/// machine, a VM, 4.5 % of the physical park-1000 run's CPU time at 2 threads, in the lattice
/// population sums and the grid pass). Writing the zeros first takes one fault per page. (The
/// lattice population, mostly never touched, writes its zeros row by row where people are.)
pub(crate) fn zeros_written(n: usize) -> Vec<f64> {
    let mut v = Vec::with_capacity(n);
    v.resize(n, 0.0);
    v
}

/// Rows per parallel band of the output grid (fixed: independent of the thread count).
pub(crate) const BAND_ROWS: usize = 4;

/// Whose footprint a scenario uses: its own event's, or the one shared by every release point of
/// a release class of a linear source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FootprintSource {
    Event(usize),
    Release(usize, usize),
}

/// The part of the weather a footprint is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum WeatherKey {
    Any,
    WindSpeed(u64),
    Class(usize),
}

/// Options of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Number of threads (a local rayon pool); `None` = the global pool. A count above the
    /// available cores ([`std::thread::available_parallelism`]) is capped to it: results do not
    /// depend on the thread count, and an untrusted count cannot spawn unbounded OS threads.
    pub threads: Option<usize>,
    /// Number of rays used for the distance-to-contour profiles (default 72, every 5°); each ray is
    /// sampled at the grid resolution, coarsened to at most 256 samples per ray.
    pub rays: usize,
}

impl RunOptions {
    /// Runs `f` on the pool of these options: a local pool of `threads` threads (at most
    /// [`max_threads`] of them), or the global pool for `None`.
    ///
    /// # Errors
    /// [`crate::QraError::InvalidInput`] for a zero or unbuildable thread count; those of `f`.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> Result<R> + Send) -> Result<R> {
        match self.threads {
            None => f(),
            Some(0) => Err(crate::QraError::invalid("threads", 0, "must be >= 1")),
            Some(t) => thread_pool(t)
                .map_err(|e| crate::QraError::invalid("threads", t, e.to_string()))?
                .install(f),
        }
    }
}

/// The size of the pool a request for `t` threads gets: at least 1, at most [`max_threads`].
pub(crate) fn capped_threads(t: usize) -> usize {
    t.clamp(1, max_threads())
}

/// A pool of [`capped_threads`]`(t)` threads (a run's, [`RunOptions::install`], or a result's
/// own work, [`crate::risk::engine::RiskResult`]).
pub(crate) fn thread_pool(
    t: usize,
) -> std::result::Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(capped_threads(t))
        .build()
}

/// The largest thread count a run uses: the available cores (1 when unknown). Requests above it
/// are capped (results are identical for every thread count).
pub fn max_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
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
    /// `None`: the footprint applies in every wind direction of its weather class (each with its
    /// sector probability). `Some(k)`: only in direction `k` of the weather class's sector list
    /// (`Model::sectors[weather][k]`, with that sector's probability) — a footprint whose place
    /// depends on the wind direction (delayed ignition at world-fixed ignition sources,
    /// [`crate::risk::placement`]); its `frequency_per_year` then includes the probability of
    /// that place given the direction.
    pub sector: Option<usize>,
    /// The footprint averaged over the directions of its (sub-)sector
    /// ([`crate::risk::sector`]), used by the engine in place of `footprint` for individual and
    /// societal risk: `Some` for directional footprints under `sector_spreading = "uniform"`
    /// (except direction-dependent placements, [`Scenario::sector`] = `Some`).
    pub(crate) spread: Option<Arc<SpreadSlot>>,
    pub(crate) reach2: f64,
}

/// The sector average ([`SpreadFootprint`]) of a scenario's footprint, built when first needed
/// and droppable. [`super::run`] builds the tables of one batch of installations before merging
/// them and drops them after: kept for every scenario, they were most of the memory of a run
/// with sector spreading (1.0 GB of park-1000's 1.3 GB, ≈ 1 MB per event, growing with the
/// events). A table is a deterministic function of (footprint, width, rules), so one rebuilt
/// later (a point query on the result) has the same bits. Shared by the scenarios of one
/// (footprint, width): weather classes, release points.
#[derive(Debug)]
pub(crate) struct SpreadSlot {
    fp: Arc<Footprint>,
    width_rad: f64,
    rules: VulnerabilityRules,
    table: RwLock<Option<Arc<SpreadFootprint>>>,
}

impl SpreadSlot {
    fn new(fp: &Arc<Footprint>, width_rad: f64, rules: VulnerabilityRules) -> SpreadSlot {
        SpreadSlot {
            fp: Arc::clone(fp),
            width_rad,
            rules,
            table: RwLock::new(None),
        }
    }

    /// The table, built if it is not there.
    ///
    /// # Errors
    /// Those of [`SpreadFootprint::new`]; [`QraError::Numerical`] if the average reaches
    /// beyond its footprint (the scenario's culling radius is the footprint's reach).
    pub(crate) fn build(&self) -> Result<Arc<SpreadFootprint>> {
        if let Some(t) = self
            .table
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            return Ok(Arc::clone(t));
        }
        let numerical = |message: &str| QraError::Numerical {
            model: "sector spreading".into(),
            message: message.into(),
        };
        let sp = SpreadFootprint::new(&self.fp, self.rules, self.width_rad)?
            .ok_or_else(|| numerical("a radially symmetric footprint has no sector average"))?;
        if sp.reach_m() > self.fp.reach_m() {
            return Err(numerical("the sector average reaches beyond its footprint"));
        }
        let mut t = self.table.write().unwrap_or_else(|e| e.into_inner());
        Ok(Arc::clone(t.get_or_insert_with(|| Arc::new(sp))))
    }

    /// The table, rebuilt if it was dropped. `None` only if building fails, which cannot happen
    /// once it has been built (the same inputs, the same computation): [`Model::new`] builds
    /// every table, a run every table of each batch, and both return the error if one fails.
    pub(crate) fn get(&self) -> Option<Arc<SpreadFootprint>> {
        self.build().ok()
    }

    /// A rectangle (local frame) about the one outside which the average is 0, without
    /// building it: the footprint's rectangle turned by ±Δθ/2 (for estimates only).
    pub(crate) fn estimated_rect(&self) -> Option<[f64; 4]> {
        let [x0, x1, y0, y1] = self.fp.outdoor.local_rect()?;
        let mut b = [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for a in [-0.5 * self.width_rad, 0.0, 0.5 * self.width_rad] {
            let (sn, cs) = a.sin_cos();
            for (x, y) in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)] {
                let (u, v) = (x * cs - y * sn, x * sn + y * cs);
                b = [b[0].min(u), b[1].max(u), b[2].min(v), b[3].max(v)];
            }
        }
        Some(b)
    }

    /// Whether the average's societal lethalities will follow from its outdoor one by the
    /// rule ([`SpreadFootprint::societal_from_outdoor`]: no thermal tables, no explicit indoor
    /// shape) and the rule is linear, without building it (for estimates only).
    pub(crate) fn estimated_societal_from_outdoor(&self, rules: VulnerabilityRules) -> bool {
        self.fp.hazard != crate::risk::footprint::Hazard::Thermal
            && self.fp.indoor.is_none()
            && rules.linear(self.fp.hazard).is_some()
    }

    /// Whether the table is built (tests of the memory bound).
    #[cfg(test)]
    pub(crate) fn is_built(&self) -> bool {
        self.table
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Drops the table (rebuilt by the next [`SpreadSlot::get`]).
    pub(crate) fn release(&self) {
        *self.table.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl Scenario {
    /// The sector average this scenario uses in place of its footprint, if spread (built if it
    /// was dropped; see [`SpreadSlot`]). Hot loops take it once, not per point.
    pub(crate) fn spread_table(&self) -> Option<Arc<SpreadFootprint>> {
        self.spread.as_ref().and_then(|s| s.get())
    }

    /// Outdoor lethality the engine integrates at local (x, y) (x along the sector's centre
    /// direction): the sector-averaged footprint if spread, else the footprint.
    #[inline]
    pub(crate) fn lethality(&self, x: f64, y: f64) -> f64 {
        match self.spread_table() {
            Some(sp) => sp.lethality(x, y),
            None => self.footprint.lethality(x, y),
        }
    }

    /// Local rectangle outside which [`Scenario::lethality`] is 0 (`None`: isotropic).
    pub(crate) fn local_rect(&self) -> Option<[f64; 4]> {
        match self.spread_table() {
            Some(sp) => sp.local_rect(),
            None => self.footprint.outdoor.local_rect(),
        }
    }

    /// Local rectangle outside which every lethality of the scenario's societal lethality is 0.
    pub(crate) fn local_extent(&self) -> Option<[f64; 4]> {
        match self.spread_table() {
            Some(sp) => sp.local_extent(),
            None => self.footprint.local_extent(),
        }
    }

    /// The table the scenario's lethalities come from, as a key: the sector average's slot when
    /// spread, else the footprint (shared by scenarios: weather classes, release points). A
    /// slot outlives its table, so the key stays unique while the table is dropped and rebuilt.
    pub(crate) fn table_key(&self) -> *const () {
        match &self.spread {
            Some(sp) => Arc::as_ptr(sp).cast(),
            None => Arc::as_ptr(&self.footprint).cast(),
        }
    }

    /// Distance beyond which every lethality is 0, m: the footprint's (a sector average does
    /// not reach further, [`SpreadSlot::build`]).
    pub(crate) fn reach_m(&self) -> f64 {
        self.footprint.reach_m()
    }
}

/// One wind sector of a weather class: downwind unit vector (east, north) and probability.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sector {
    pub(crate) ux: f64,
    pub(crate) uy: f64,
    pub(crate) p: f64,
    pub(crate) angle: usize,
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
    pub(crate) weather_ir: Vec<f64>,
    /// d·P_M,day.
    pub(crate) weather_day: Vec<f64>,
    /// (1 − d)·P_M,night.
    pub(crate) weather_night: Vec<f64>,
    /// Sectors with p > 0 per weather class.
    pub(crate) sectors: Vec<Vec<Sector>>,
    /// Σ P_φ per weather class.
    pub(crate) sector_sum: Vec<f64>,
    /// Distinct directions (downwind unit vectors).
    pub(crate) angles: Vec<(f64, f64)>,
    pub(crate) rules: VulnerabilityRules,
}

/// The scenarios of the outcomes whose delayed ignition depends on the wind direction
/// ([`crate::risk::scenario::ResolvedEvent::delayed_by_direction`]): per (event, weather class),
/// in event then weather order, the [`placement::placed_outcomes`] of every direction, each a
/// scenario restricted to its direction ([`Scenario::sector`]) with frequency
/// f_S · P_O · P(place | direction). Built in parallel, combined in that fixed order.
fn placed_scenarios(
    set: &ScenarioSet,
    keep: Option<&[bool]>,
    weather_ir: &[f64],
    sectors: &[Vec<Sector>],
) -> Result<Vec<Scenario>> {
    let study: &Study = set.study();
    let ign = &study.ignition;
    if !ign.by_direction() {
        return Ok(Vec::new());
    }
    let points = ignition::source_points(&ign.sources);
    let mut tasks = Vec::new();
    for (ei, rev) in set.events().iter().enumerate() {
        let kept = keep.is_none_or(|k| k.get(rev.installation).copied().unwrap_or(false));
        if kept && rev.delayed_by_direction.iter().any(|&b| b) && rev.frequency_per_year > 0.0 {
            for (wi, &p) in weather_ir.iter().enumerate() {
                if p > 0.0 {
                    tasks.push((ei, wi));
                }
            }
        }
    }
    let placed_of = |ei: usize| -> Vec<(usize, &crate::risk::study::Outcome)> {
        let rev = &set.events()[ei];
        study.events[ei]
            .outcomes
            .iter()
            .enumerate()
            .filter(|(oi, _)| rev.delayed_by_direction[*oi])
            .collect()
    };
    // The bases (cloud, footprints at the release point) once per distinct consequence: every
    // release point of one release class of a linear source shares its class's.
    let key_of = |ei: usize| match set.events()[ei].origin.footprint_key() {
        Some((pl, rl)) => FootprintSource::Release(pl, rl),
        None => FootprintSource::Event(ei),
    };
    let mut basis_of: FastMap<(FootprintSource, usize), usize> = Default::default();
    let mut basis_tasks = Vec::new();
    let task_basis: Vec<usize> = tasks
        .iter()
        .map(|&(ei, wi)| {
            *basis_of.entry((key_of(ei), wi)).or_insert_with(|| {
                basis_tasks.push((ei, wi));
                basis_tasks.len() - 1
            })
        })
        .collect();
    let vce = ign.vce_placement();
    let bases: Vec<Result<placement::PlacementBasis>> = basis_tasks
        .par_iter()
        .map(|&(ei, wi)| {
            placement::PlacementBasis::new(
                &set.context(ei)?,
                &study.meteorology.weather[wi],
                &placed_of(ei),
                vce,
            )
        })
        .collect();
    let built: Vec<Result<Vec<Scenario>>> = tasks
        .par_iter()
        .zip(&task_basis)
        .map(|(&(ei, wi), &bi)| {
            let basis = bases[bi].as_ref().map_err(Clone::clone)?;
            let ev = &study.events[ei];
            let rev = &set.events()[ei];
            let dirs: Vec<(f64, f64)> = sectors[wi].iter().map(|s| (s.ux, s.uy)).collect();
            let inst = &study.installations[rev.installation];
            let placed = placement::placed_outcomes(
                basis,
                &placed_of(ei),
                &dirs,
                [inst.x_m, inst.y_m],
                &points,
                &ign.congested_regions,
                ign.max_extent_probability_for(ev.event_tree.delayed_ignition),
                vce,
            )?;
            Ok(placed
                .into_iter()
                .filter_map(|p| {
                    let f = rev.frequency_per_year
                        * rev.outcome_probabilities[p.outcome]
                        * p.probability;
                    let reach = p.footprint.reach_m();
                    (f > 0.0 && reach > 0.0).then_some(Scenario {
                        event: ei,
                        installation: rev.installation,
                        outcome: p.outcome,
                        weather: wi,
                        frequency_per_year: f,
                        reach2: reach * reach,
                        footprint: p.footprint,
                        sector: Some(p.sector),
                        spread: None,
                    })
                })
                .collect())
        })
        .collect();
    let mut out = Vec::new();
    for b in built {
        out.extend(b?);
    }
    Ok(out)
}

/// Attaches to every scenario with a directional footprint the slot of its sector average
/// ([`SpreadSlot`]) for the (sub-)sector width of its weather class, one slot per distinct
/// (footprint, width) (footprints are shared by weather classes and release points). `build`:
/// tabulate every average now, in parallel (each table is a deterministic function of its
/// inputs, so the bits do not depend on the thread count); else they are built when first
/// needed ([`super::run`]: a batch of installations at a time).
fn spread_scenarios(
    scenarios: &mut [Scenario],
    sector_width: &[f64],
    rules: VulnerabilityRules,
    build: bool,
) -> Result<()> {
    type Key = (*const Footprint, u64);
    let mut slots: Vec<Arc<SpreadSlot>> = Vec::new();
    let mut slot_of: FastMap<Key, usize> = Default::default();
    for s in scenarios.iter_mut() {
        if s.sector.is_some() || s.footprint.is_radially_symmetric() {
            continue;
        }
        let width = sector_width[s.weather];
        let key = (Arc::as_ptr(&s.footprint), width.to_bits());
        let j = *slot_of.entry(key).or_insert_with(|| {
            slots.push(Arc::new(SpreadSlot::new(&s.footprint, width, rules)));
            slots.len() - 1
        });
        s.spread = Some(Arc::clone(&slots[j]));
    }
    if build {
        build_spreads(&slots)?;
    }
    Ok(())
}

/// Builds the tables of `slots` in parallel; the first error in slot order.
pub(crate) fn build_spreads(slots: &[Arc<SpreadSlot>]) -> Result<()> {
    let built: Vec<Result<Arc<SpreadFootprint>>> = slots.par_iter().map(|s| s.build()).collect();
    built.into_iter().try_for_each(|b| b.map(drop))
}

pub(crate) fn local(dx: f64, dy: f64, ux: f64, uy: f64) -> (f64, f64) {
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

    /// Like [`Model::new`] but with the sector averages not built ([`SpreadSlot`]): the run
    /// builds and drops them a batch of installations at a time.
    pub(crate) fn new_deferred(set: &ScenarioSet) -> Result<Model> {
        Model::build_with(set, None, false)
    }

    /// [`Model::build`] with the sector averages not built (as [`Model::new_deferred`]).
    pub(crate) fn build_deferred(set: &ScenarioSet, keep: Option<&[bool]>) -> Result<Model> {
        Model::build_with(set, keep, false)
    }

    /// Like [`Model::new`] but builds the scenarios (footprints) of the installations with
    /// `keep[i] == true` only; events of the other installations stay listed (same indices).
    pub(crate) fn build(set: &ScenarioSet, keep: Option<&[bool]>) -> Result<Model> {
        Model::build_with(set, keep, true)
    }

    fn build_with(set: &ScenarioSet, keep: Option<&[bool]>, spreads: bool) -> Result<Model> {
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
        // Width of the (sub-)sector each direction stands for, rad, per weather class.
        let mut sector_width = Vec::new();
        for w in &met.weather {
            let mut v = Vec::new();
            let mut s = 0.0;
            let nsub = met.sector_subdivisions.max(1);
            let width = 360.0 / w.wind_rose.len().max(1) as f64;
            sector_width.push((width / nsub as f64).to_radians());
            // Calms spread uniformly over the sectors (WeatherClass::calm_fraction).
            for (k, &p) in w.sector_probabilities().iter().enumerate() {
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
        // Plan: every (event, outcome, weather) scenario with a positive frequency, and the
        // distinct footprints it needs. A footprint is built once per distinct physical input:
        // release points of one release class of one linear source share theirs; outcomes that
        // do not depend on the weather (jet fires, fireballs, VCEs of a given mass or volume,
        // analytic shapes without per-weather entries) are built once, pool fires once per
        // wind speed ([`weather_dependence`]).
        let mut events = Vec::new();
        let mut plan: Vec<(usize, usize, usize, usize, f64, usize)> = Vec::new();
        let mut jobs: Vec<(usize, usize, usize)> = Vec::new();
        let mut job_of: FastMap<(FootprintSource, usize, WeatherKey), usize> = Default::default();
        for (ei, (ev, rev)) in study.events.iter().zip(set.events()).enumerate() {
            let ii = rev.installation;
            events.push((ev.id.clone(), ii));
            if keep.is_some_and(|k| !k.get(ii).copied().unwrap_or(false)) {
                continue;
            }
            let source = match rev.origin.footprint_key() {
                Some((pl, rl)) => FootprintSource::Release(pl, rl),
                None => FootprintSource::Event(ei),
            };
            for (oi, o) in ev.outcomes.iter().enumerate() {
                let fo = rev.frequency_per_year * rev.outcome_probabilities[oi];
                if fo <= 0.0 {
                    continue;
                }
                if rev.delayed_by_direction[oi] {
                    // Built per wind direction below (`placed_scenarios`).
                    continue;
                }
                let dependence = weather_dependence(&o.spec);
                for (wi, w) in met.weather.iter().enumerate() {
                    if weather_ir[wi] <= 0.0 {
                        continue;
                    }
                    let key = match dependence {
                        WeatherDependence::None => WeatherKey::Any,
                        WeatherDependence::WindSpeed => {
                            WeatherKey::WindSpeed(w.wind_speed_m_s.to_bits())
                        }
                        WeatherDependence::Full => WeatherKey::Class(wi),
                    };
                    let job = *job_of.entry((source, oi, key)).or_insert_with(|| {
                        jobs.push((ei, oi, wi));
                        jobs.len() - 1
                    });
                    plan.push((ei, ii, oi, wi, fo, job));
                }
            }
        }
        // Build the distinct footprints in parallel: each is an independent, deterministic
        // computation, so the bits do not depend on the thread count.
        let built: Vec<Result<Arc<Footprint>>> = jobs
            .par_iter()
            .map(|&(ei, oi, wi)| {
                let ctx = set.context(ei)?;
                let spec = &study.events[ei].outcomes[oi].spec;
                footprint_for(spec, &met.weather[wi], &ctx).map(Arc::new)
            })
            .collect();
        let mut scenarios = Vec::with_capacity(plan.len());
        for (ei, ii, oi, wi, fo, job) in plan {
            let fp = built[job].as_ref().map_err(Clone::clone)?.clone();
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
                sector: None,
                spread: None,
            });
        }
        if met.sector_spreading == SectorSpreading::Uniform {
            spread_scenarios(&mut scenarios, &sector_width, study.vulnerability, spreads)?;
        }
        scenarios.extend(placed_scenarios(set, keep, &weather_ir, &sectors)?);
        // The footprints are built: the tables' nodes are not needed for the rest of the run.
        crate::risk::rate_table::clear_cache();
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

    /// The distinct sector-average slots of the scenarios of the installations `installations`
    /// (in scenario order).
    pub(crate) fn spread_slots(
        &self,
        installations: std::ops::Range<usize>,
    ) -> Vec<Arc<SpreadSlot>> {
        self.distinct_spread_slots(|s| installations.contains(&s.installation))
    }

    /// The distinct sector-average slots of the scenarios with `keep(scenario)`, in scenario
    /// order.
    fn distinct_spread_slots(&self, keep: impl Fn(&Scenario) -> bool) -> Vec<Arc<SpreadSlot>> {
        let mut seen: FastMap<*const SpreadSlot, ()> = Default::default();
        self.scenarios
            .iter()
            .filter(|s| keep(s))
            .filter_map(|s| s.spread.as_ref())
            .filter(|sp| seen.insert(Arc::as_ptr(sp), ()).is_none())
            .cloned()
            .collect()
    }

    /// For each sector-average slot used by the scenarios of the installations with
    /// `used(installation)`, the last (largest) such installation: a pass over installations in
    /// ascending order may drop the slot's table after that one.
    pub(crate) fn spread_last_use(
        &self,
        used: impl Fn(usize) -> bool,
    ) -> FastMap<*const SpreadSlot, usize> {
        let mut last: FastMap<*const SpreadSlot, usize> = Default::default();
        for s in self.scenarios.iter().filter(|s| used(s.installation)) {
            if let Some(sp) = &s.spread {
                let e = last.entry(Arc::as_ptr(sp)).or_insert(s.installation);
                *e = (*e).max(s.installation);
            }
        }
        last
    }

    /// Drops the tables of `slots` that no installation after `done` (in `last_use`,
    /// [`Model::spread_last_use`]) needs.
    pub(crate) fn release_spreads_done(
        slots: &[Arc<SpreadSlot>],
        last_use: &FastMap<*const SpreadSlot, usize>,
        done: usize,
    ) {
        for sp in slots {
            if last_use.get(&Arc::as_ptr(sp)).is_none_or(|&i| i <= done) {
                sp.release();
            }
        }
    }

    /// Builds, in parallel, the sector averages that point values at `points` can need: those
    /// of the scenarios whose reach circle meets the points' bounding box (a superset). Point
    /// values would otherwise build them one by one as they meet them. They stay built (a
    /// cache for further point values, dropped by [`Model::release_spreads`]).
    pub(crate) fn build_spreads_near(&self, points: &[[f64; 2]]) {
        let finite = points
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite());
        let bb = finite.fold(
            [
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ],
            |b, p| {
                [
                    b[0].min(p[0]),
                    b[1].max(p[0]),
                    b[2].min(p[1]),
                    b[3].max(p[1]),
                ]
            },
        );
        if bb[0] > bb[1] {
            return;
        }
        let slots = self.distinct_spread_slots(|s| {
            let [ix, iy] = self.installations[s.installation].1;
            let dx = (bb[0] - ix).max(ix - bb[1]).max(0.0);
            let dy = (bb[2] - iy).max(iy - bb[3]).max(0.0);
            dx * dx + dy * dy <= s.reach2
        });
        // A failure here is met again, and handled, where the value is needed.
        build_spreads(&slots).ok();
    }

    /// Drops every sector-average table (rebuilt when next needed, [`SpreadSlot`]).
    pub(crate) fn release_spreads(&self) {
        for s in &self.scenarios {
            if let Some(sp) = &s.spread {
                sp.release();
            }
        }
    }

    /// The wind directions scenario `s` applies in: every sector of its weather class, or its
    /// one sector ([`Scenario::sector`]).
    pub(crate) fn sectors_of(&self, s: &Scenario) -> &[Sector] {
        let all = &self.sectors[s.weather];
        match s.sector {
            None => all,
            Some(k) => &all[k..=k],
        }
    }

    /// Σ P_φ over [`Model::sectors_of`]`(s)`.
    pub(crate) fn sector_weight(&self, s: &Scenario) -> f64 {
        match s.sector {
            None => self.sector_sum[s.weather],
            Some(k) => self.sectors[s.weather][k].p,
        }
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
            w * self.sector_weight(s) * fp.lethality(dx, dy)
        } else {
            let mut acc = 0.0;
            for sec in self.sectors_of(s) {
                let (lx, ly) = local(dx, dy, sec.ux, sec.uy);
                acc += sec.p * s.lethality(lx, ly);
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
