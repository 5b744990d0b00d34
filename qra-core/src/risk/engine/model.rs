//! The prepared model: scenarios with their footprints, weather and wind-sector weights.

use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Result;
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
            Some(t) => rayon::ThreadPoolBuilder::new()
                .num_threads(t.min(max_threads()))
                .build()
                .map_err(|e| crate::QraError::invalid("threads", t, e.to_string()))?
                .install(f),
        }
    }
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
    pub(crate) spread: Option<Arc<SpreadFootprint>>,
    pub(crate) reach2: f64,
}

impl Scenario {
    /// Outdoor lethality the engine integrates at local (x, y) (x along the sector's centre
    /// direction): the sector-averaged footprint if spread, else the footprint.
    #[inline]
    pub(crate) fn lethality(&self, x: f64, y: f64) -> f64 {
        match &self.spread {
            Some(sp) => sp.lethality(x, y),
            None => self.footprint.lethality(x, y),
        }
    }

    /// (outdoor, indoor) societal lethality at local (x, y) under `rules`.
    #[inline]
    pub(crate) fn societal(&self, rules: VulnerabilityRules, x: f64, y: f64) -> (f64, f64) {
        match &self.spread {
            Some(sp) => sp.societal(x, y),
            None => self.footprint.societal(rules, x, y),
        }
    }

    /// Local rectangle outside which [`Scenario::lethality`] is 0 (`None`: isotropic).
    pub(crate) fn local_rect(&self) -> Option<[f64; 4]> {
        match &self.spread {
            Some(sp) => sp.local_rect(),
            None => self.footprint.outdoor.local_rect(),
        }
    }

    /// Local rectangle outside which every lethality of [`Scenario::societal`] is 0.
    pub(crate) fn local_extent(&self) -> Option<[f64; 4]> {
        match &self.spread {
            Some(sp) => sp.local_extent(),
            None => self.footprint.local_extent(),
        }
    }

    /// The table [`Scenario::lethality`] and [`Scenario::societal`] evaluate, as a key: the
    /// sector average when spread, else the footprint (shared by scenarios: weather classes,
    /// release points).
    pub(crate) fn table_key(&self) -> *const () {
        match &self.spread {
            Some(sp) => Arc::as_ptr(sp).cast(),
            None => Arc::as_ptr(&self.footprint).cast(),
        }
    }

    /// Distance beyond which every lethality is 0, m.
    pub(crate) fn reach_m(&self) -> f64 {
        match &self.spread {
            Some(sp) => sp.reach_m(),
            None => self.footprint.reach_m(),
        }
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

/// Attaches to every scenario with a directional footprint its sector average
/// ([`SpreadFootprint`]) for the (sub-)sector width of its weather class. Each distinct
/// (footprint, width) is tabulated once (footprints are shared by weather classes and release
/// points), in parallel; each table is a deterministic function of its inputs, so the bits do
/// not depend on the thread count.
fn spread_scenarios(
    scenarios: &mut [Scenario],
    sector_width: &[f64],
    rules: VulnerabilityRules,
) -> Result<()> {
    type Key = (*const Footprint, u64);
    let mut jobs: Vec<(Arc<Footprint>, f64)> = Vec::new();
    let mut job_of: FastMap<Key, usize> = Default::default();
    let mut plan = Vec::with_capacity(scenarios.len());
    for s in scenarios.iter() {
        if s.sector.is_some() || s.footprint.is_radially_symmetric() {
            plan.push(None);
            continue;
        }
        let width = sector_width[s.weather];
        let key = (Arc::as_ptr(&s.footprint), width.to_bits());
        plan.push(Some(*job_of.entry(key).or_insert_with(|| {
            jobs.push((Arc::clone(&s.footprint), width));
            jobs.len() - 1
        })));
    }
    let built: Vec<Result<Option<Arc<SpreadFootprint>>>> = jobs
        .par_iter()
        .map(|(fp, width)| Ok(SpreadFootprint::new(fp, rules, *width)?.map(Arc::new)))
        .collect();
    let built: Vec<Option<Arc<SpreadFootprint>>> = built.into_iter().collect::<Result<_>>()?;
    for (s, job) in scenarios.iter_mut().zip(plan) {
        if let Some(j) = job {
            s.spread = built[j].clone();
            if let Some(sp) = &s.spread {
                let r = sp.reach_m();
                s.reach2 = s.reach2.max(r * r);
            }
        }
    }
    Ok(())
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

    /// Like [`Model::new`] but builds the scenarios (footprints) of the installations with
    /// `keep[i] == true` only; events of the other installations stay listed (same indices).
    pub(crate) fn build(set: &ScenarioSet, keep: Option<&[bool]>) -> Result<Model> {
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
            spread_scenarios(&mut scenarios, &sector_width, study.vulnerability)?;
        }
        scenarios.extend(placed_scenarios(set, keep, &weather_ir, &sectors)?);
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
