//! The **park model**: many facilities (companies), each with its installations and LOC events,
//! sharing one population, one set of protected targets, one meteorology and one grid; the park
//! result, per-facility / per-event **contributions** with a closure/relocation ranking, and fast
//! **what-if** questions (remove, move or add a facility) from cached per-installation results.
//!
//! # Why a what-if needs no full recomputation
//! Risk is additive over installations: IR(x, y) = Σ_i IR_i(x, y) (Purple Book eq. 4.1 form, see
//! [`crate::risk::engine`]); a societal-risk case (scenario, weather, direction, period) belongs to
//! one scenario, so F(N) = Σ_i F_i(N) and PLL = Σ_i PLL_i. [`Park::new`] therefore keeps, per
//! installation, its IR grid, its distance profile, its scenarios (footprints) and the societal
//! (N, f) cases of each scenario. A what-if builds the modified study, reuses the cached results of
//! every untouched installation and computes only the installations of moved or added facilities
//! (a moved facility's footprints are translation-invariant but its grid and its societal cases
//! depend on where it stands, so they are recomputed). The pieces are then folded in the order the
//! engine uses (installations for the grid, scenarios for the cases), so a what-if answer is the
//! full run of the modified study **bit for bit** (grid, F-N, PLL, targets) — tested.
//!
//! # Contributions and ranking (our definitions)
//! For facility (or event) j and target t: share of IR_t = IR_{j,t} / IR_t (at the target's point;
//! for a polygon target at the worst point of the polygon); share of PLL = PLL_j / PLL; share of
//! F-N exceedance at N = F_j(N) / F(N). The **excess share** is the facility's part of the park's
//! total excess over the individual-risk limits, e_j = Σ_t max(0, IR_t − L_t) · IR_{j,t}/IR_t,
//! divided by Σ_t max(0, IR_t − L_t) (0 when nothing is exceeded). Facilities are ranked by excess
//! share, then by PLL — the order in which closing or relocating them relieves the limits most.

use std::collections::BTreeMap;
use std::sync::Arc;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::error::{QraError, Result};
use crate::park::capacity::Capacity;
use crate::risk::criteria::{self, Boundary, Compliance};
use crate::risk::engine::{
    self, run_partial_scenarios, InstallationProfile, Model, RiskResult, RunOptions, Scenario,
    ScenarioRow,
};
use crate::risk::scenario::ScenarioSet;
use crate::risk::study::{Event, Facility, Installation, Study};

/// The fatality numbers at which F-N exceedance shares are reported.
pub const FN_SHARE_N: [f64; 3] = [1.0, 10.0, 100.0];

/// A facility block: what [`Change::Add`] adds and what a siting template is (TOML tables
/// `[[facilities]]` (at most one), `[[installations]]`, `[[events]]` of the study schema).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityBlock {
    /// The facility (optional: without it each installation is its own facility).
    #[serde(default)]
    pub facilities: Vec<Facility>,
    /// Its installations.
    pub installations: Vec<Installation>,
    /// Their events.
    #[serde(default)]
    pub events: Vec<Event>,
}

impl FacilityBlock {
    /// Parses a block from TOML text.
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] on a syntax or schema error.
    pub fn from_toml_str(text: &str) -> Result<FacilityBlock> {
        toml::from_str(text).map_err(|e| QraError::InvalidDocument {
            source_name: "facility block".into(),
            problems: vec![crate::error::FieldError {
                path: String::new(),
                line: None,
                message: e.to_string(),
            }],
        })
    }

    /// The block translated by (dx, dy), m (installations and boundary).
    pub fn translated(&self, dx_m: f64, dy_m: f64) -> FacilityBlock {
        let mut b = self.clone();
        for i in &mut b.installations {
            i.x_m += dx_m;
            i.y_m += dy_m;
        }
        for f in &mut b.facilities {
            if let Some(poly) = f.boundary.as_mut() {
                for q in poly {
                    q[0] += dx_m;
                    q[1] += dy_m;
                }
            }
        }
        b
    }

    /// Mean position of the installations, m.
    pub fn centre(&self) -> [f64; 2] {
        let n = self.installations.len().max(1) as f64;
        [
            self.installations.iter().map(|i| i.x_m).sum::<f64>() / n,
            self.installations.iter().map(|i| i.y_m).sum::<f64>() / n,
        ]
    }
}

/// One change of a what-if question.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Remove a facility (id).
    Remove(String),
    /// Translate a facility's installations and boundary by (dx, dy), m.
    Move {
        /// Facility id.
        facility: String,
        /// East shift, m.
        dx_m: f64,
        /// North shift, m.
        dy_m: f64,
    },
    /// Add a facility block (its ids must be new).
    Add(FacilityBlock),
}

/// A scenario (footprint) with its societal (N, f) cases.
type CachedScenario = (Scenario, Arc<Vec<(f64, f64)>>, ScenarioRow);

/// One installation's own results, cached.
#[derive(Debug, Clone)]
struct Unit {
    grid: Arc<Vec<f64>>,
    profile: InstallationProfile,
    /// Per event id: its scenarios (engine order) and their societal cases.
    events: BTreeMap<String, Vec<CachedScenario>>,
}

/// Drops the GB 18218 units (`[[units]]`) that no installation of `s` names any more (after
/// installations were removed).
fn prune_units(s: &mut Study) {
    let named: Vec<String> = s
        .installations
        .iter()
        .filter_map(|i| i.unit.clone())
        .collect();
    s.units.retain(|u| named.contains(&u.id));
}

/// Computes the units of every installation of `study` (one model + one partial run).
fn compute_units(set: &ScenarioSet, opts: &RunOptions) -> Result<(Model, Vec<Unit>)> {
    let study: &Study = set.study();
    // The scenarios and their rows only: the sector averages are built (and dropped) by the
    // partial run, not kept with the units.
    let model = Model::new_deferred(set)?;
    let all: Vec<usize> = (0..study.installations.len()).collect();
    let part = run_partial_scenarios(set, opts, &all)?;
    let cases: BTreeMap<[usize; 3], Vec<(f64, f64)>> = part.cases.into_iter().collect();
    let mut units: Vec<Unit> = part
        .grids
        .into_iter()
        .zip(part.profiles)
        .map(|(g, p)| Unit {
            grid: Arc::new(g),
            profile: p,
            events: BTreeMap::new(),
        })
        .collect();
    for (ev, (_, ii)) in study.events.iter().zip(&model.events) {
        units[*ii].events.entry(ev.id.clone()).or_default();
    }
    let rows = engine::scenario_rows(set, &model)?;
    for (s, row) in model.scenarios.iter().zip(rows) {
        let cs = cases
            .get(&[s.event, s.outcome, s.weather])
            .cloned()
            .unwrap_or_default();
        units[s.installation]
            .events
            .entry(study.events[s.event].id.clone())
            .or_default()
            .push((s.clone(), Arc::new(cs), row));
    }
    Ok((model, units))
}

/// The facility id of an installation (its own id when it names none).
pub fn facility_of(inst: &Installation) -> &str {
    inst.facility_id()
}

/// A computed park: the full result, its compliance and capacity, and the data behind the
/// contributions.
#[derive(Debug, Clone)]
pub struct ParkRun {
    /// The study this result is the full run of.
    pub study: Study,
    /// The result (identical to [`engine::run`] of `study`).
    pub result: RiskResult,
    /// Compliance with the criteria set.
    pub compliance: Compliance,
    /// Risk capacity against the criteria set.
    pub capacity: Capacity,
    /// Facility ids, in first-appearance order of the installations.
    pub facilities: Vec<String>,
    /// Facility index of each installation.
    pub facility_of_installation: Vec<usize>,
    /// Per event (study order): the societal (N, f) cases of its scenarios.
    pub event_cases: Vec<Vec<(f64, f64)>>,
    /// The criteria set id the compliance and capacity are against.
    pub criteria: String,
    /// The PLL cap of the capacity's remaining-PLL budget, per year.
    pub pll_cap_per_year: Option<f64>,
}

/// One row of the contributions table (a facility or an event).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// Facility id (facility rows) or event id (event rows).
    pub id: String,
    /// Facility id.
    pub facility: String,
    /// PLL, fatalities per year.
    pub pll: f64,
    /// PLL / park PLL.
    pub pll_share: f64,
    /// IR at each protected target (result order), per year.
    pub target_ir: Vec<f64>,
    /// IR share at each target (0 where the target has no risk).
    pub target_share: Vec<f64>,
    /// F_j(N) / F(N) at N in [`FN_SHARE_N`] (0 where F(N) = 0).
    pub fn_share: Vec<f64>,
    /// Share of the park's excess over the individual-risk limits (see module docs).
    pub excess_share: f64,
    /// max_t IR_{j,t} / L_t: the facility's own use of the tightest limit.
    pub limit_ratio: f64,
    /// Rank (1 = first candidate for closure / relocation).
    pub rank: usize,
}

impl ParkRun {
    fn new(
        study: Study,
        result: RiskResult,
        event_cases: Vec<Vec<(f64, f64)>>,
        criteria_set: &str,
        pll_cap_per_year: Option<f64>,
    ) -> Result<ParkRun> {
        let compliance = criteria::check(&result, criteria_set, Boundary::OnLineIsBetter)?;
        let capacity =
            crate::park::capacity::park_capacity(&result, criteria_set, pll_cap_per_year)?;
        let mut facilities: Vec<String> = Vec::new();
        let facility_of_installation = study
            .installations
            .iter()
            .map(|i| {
                let f = facility_of(i);
                match facilities.iter().position(|x| x == f) {
                    Some(k) => k,
                    None => {
                        facilities.push(f.to_string());
                        facilities.len() - 1
                    }
                }
            })
            .collect();
        Ok(ParkRun {
            study,
            result,
            compliance,
            capacity,
            facilities,
            facility_of_installation,
            event_cases,
            criteria: criteria_set.to_string(),
            pll_cap_per_year,
        })
    }

    /// Facility index of each event (study order).
    fn event_facility(&self) -> Vec<usize> {
        self.result
            .model
            .events
            .iter()
            .map(|(_, ii)| self.facility_of_installation[*ii])
            .collect()
    }

    /// Contributions per facility (`by_facility = true`) or per event, ranked (see module docs).
    pub fn contributions(&self, by_facility: bool) -> Vec<Contribution> {
        let r = &self.result;
        let nt = r.targets.len();
        let ef = self.event_facility();
        let ngroups = if by_facility {
            self.facilities.len()
        } else {
            r.contributions.len()
        };
        let group = |e: usize| if by_facility { ef[e] } else { e };
        let mut pll = vec![0.0; ngroups];
        let mut tir = vec![vec![0.0; nt]; ngroups];
        let mut fns = vec![vec![0.0; FN_SHARE_N.len()]; ngroups];
        for (e, c) in r.contributions.iter().enumerate() {
            let g = group(e);
            pll[g] += c.pll;
            for (a, b) in tir[g].iter_mut().zip(&c.target_ir) {
                *a += b;
            }
            for &(n, f) in &self.event_cases[e] {
                for (k, nk) in FN_SHARE_N.iter().enumerate() {
                    if n > 0.0 && n >= *nk {
                        fns[g][k] += f;
                    }
                }
            }
        }
        let limits: Vec<Option<f64>> = r
            .targets
            .iter()
            .map(|t| {
                self.compliance
                    .targets
                    .iter()
                    .find(|c| c.id == t.id)
                    .map(|c| c.limit)
            })
            .collect();
        let excess: Vec<f64> = r
            .targets
            .iter()
            .zip(&limits)
            .map(|(t, l)| l.map_or(0.0, |l| (t.individual_risk - l).max(0.0)))
            .collect();
        let total_excess: f64 = excess.iter().sum();
        let share = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let mut rows: Vec<Contribution> = (0..ngroups)
            .map(|g| {
                let target_share: Vec<f64> = (0..nt)
                    .map(|t| share(tir[g][t], r.targets[t].individual_risk))
                    .collect();
                let e: f64 = (0..nt).map(|t| excess[t] * target_share[t]).sum();
                let limit_ratio = (0..nt)
                    .filter_map(|t| limits[t].map(|l| tir[g][t] / l))
                    .fold(0.0, f64::max);
                let (id, facility) = if by_facility {
                    (self.facilities[g].clone(), self.facilities[g].clone())
                } else {
                    (
                        r.contributions[g].event.clone(),
                        self.facilities[ef[g]].clone(),
                    )
                };
                Contribution {
                    id,
                    facility,
                    pll: pll[g],
                    pll_share: share(pll[g], r.pll),
                    target_ir: tir[g].clone(),
                    target_share,
                    fn_share: FN_SHARE_N
                        .iter()
                        .enumerate()
                        .map(|(k, n)| share(fns[g][k], r.frequency_at_least(*n)))
                        .collect(),
                    excess_share: share(e, total_excess),
                    limit_ratio,
                    rank: 0,
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| {
            rows[b]
                .excess_share
                .total_cmp(&rows[a].excess_share)
                .then(rows[b].pll.total_cmp(&rows[a].pll))
                .then(a.cmp(&b))
        });
        for (k, &i) in order.iter().enumerate() {
            rows[i].rank = k + 1;
        }
        order.into_iter().map(|i| rows[i].clone()).collect()
    }
}

/// A park prepared for results, contributions and what-if questions.
#[derive(Debug, Clone)]
pub struct Park {
    study: Study,
    opts: RunOptions,
    units: Vec<Unit>,
    /// Base model (weather tables reused by what-ifs).
    model: Arc<Model>,
    criteria: String,
    pll_cap_per_year: Option<f64>,
    base: ParkRun,
}

impl Park {
    /// Prepares a park (one model build and one per-installation run of every installation) and
    /// computes its result against `criteria_set` (e.g. `"GB36894-2018"`).
    ///
    /// # Errors
    /// Those of [`engine::run`]; an unknown criteria set.
    pub fn new(
        study: &Study,
        opts: &RunOptions,
        criteria_set: &str,
        pll_cap_per_year: Option<f64>,
    ) -> Result<Park> {
        criteria::criteria_set(criteria_set)?;
        // Linear sources become their release-point installations (one facility per line, named
        // by the line's id), so removing or moving a pipeline is a facility what-if.
        let set = ScenarioSet::from_study(study)?;
        let study: &Study = set.study();
        let (model, units) = compute_units(&set, opts)?;
        let model = Arc::new(model);
        let idx: Vec<Option<usize>> = (0..study.installations.len()).map(Some).collect();
        let base = assemble(
            study.clone(),
            &units,
            &model,
            &idx,
            &[],
            criteria_set,
            pll_cap_per_year,
            opts.threads,
        )?;
        Ok(Park {
            study: study.clone(),
            opts: *opts,
            units,
            model,
            criteria: criteria_set.to_string(),
            pll_cap_per_year,
            base,
        })
    }

    /// The study.
    pub fn study(&self) -> &Study {
        &self.study
    }

    /// The park as it is.
    pub fn base(&self) -> &ParkRun {
        &self.base
    }

    /// Facility ids.
    pub fn facilities(&self) -> &[String] {
        &self.base.facilities
    }

    /// The study after `changes` (what a full recomputation would run).
    ///
    /// # Errors
    /// An unknown facility id; an added id that already exists; an invalid modified study.
    pub fn modified_study(&self, changes: &[Change]) -> Result<Study> {
        let mut s = self.study.clone();
        for c in changes {
            match c {
                Change::Remove(f) => {
                    self.known(&s, f)?;
                    let gone: Vec<String> = s
                        .installations
                        .iter()
                        .filter(|i| facility_of(i) == f)
                        .map(|i| i.id.clone())
                        .collect();
                    s.installations.retain(|i| facility_of(i) != f);
                    s.events.retain(|e| !gone.contains(&e.installation));
                    s.facilities.retain(|x| &x.id != f);
                    prune_units(&mut s);
                }
                Change::Move {
                    facility,
                    dx_m,
                    dy_m,
                } => {
                    self.known(&s, facility)?;
                    crate::error::check::finite("dx_m", *dx_m)?;
                    crate::error::check::finite("dy_m", *dy_m)?;
                    for i in s
                        .installations
                        .iter_mut()
                        .filter(|i| facility_of(i) == facility)
                    {
                        i.x_m += dx_m;
                        i.y_m += dy_m;
                    }
                    for f in s.facilities.iter_mut().filter(|x| &x.id == facility) {
                        for q in f.boundary.iter_mut().flatten() {
                            q[0] += dx_m;
                            q[1] += dy_m;
                        }
                    }
                    // GB 18218 units of the facility move with it.
                    let moved: Vec<String> = s
                        .installations
                        .iter()
                        .filter(|i| facility_of(i) == facility)
                        .filter_map(|i| i.unit.clone())
                        .collect();
                    for u in s.units.iter_mut().filter(|u| moved.contains(&u.id)) {
                        for q in u.boundary.iter_mut().flatten() {
                            q[0] += dx_m;
                            q[1] += dy_m;
                        }
                    }
                }
                Change::Add(b) => {
                    if b.facilities.len() > 1 {
                        return Err(QraError::invalid(
                            "facilities",
                            b.facilities.len(),
                            "a facility block holds at most one facility",
                        ));
                    }
                    if b.installations.is_empty() {
                        return Err(QraError::invalid(
                            "installations",
                            0,
                            "a facility block needs at least one installation",
                        ));
                    }
                    for i in &b.installations {
                        if s.installations.iter().any(|x| x.id == i.id) {
                            return Err(QraError::invalid(
                                "installations.id",
                                &i.id,
                                "already in the park",
                            ));
                        }
                    }
                    s.facilities.extend(b.facilities.iter().cloned());
                    s.installations.extend(b.installations.iter().cloned());
                    s.events.extend(b.events.iter().cloned());
                }
            }
        }
        let problems = s.validate();
        if !problems.is_empty() {
            return Err(QraError::InvalidDocument {
                source_name: "what-if study".into(),
                problems,
            });
        }
        Ok(s)
    }

    fn known(&self, s: &Study, f: &str) -> Result<()> {
        if s.installations.iter().any(|i| facility_of(i) == f) {
            Ok(())
        } else {
            let ids: Vec<&str> = s.installations.iter().map(facility_of).collect();
            Err(QraError::unknown("facility", f, ids))
        }
    }

    /// The park after `changes`: cached results for untouched installations, a computation of
    /// the moved and added facilities only. Equal to a full run of [`Park::modified_study`].
    ///
    /// # Errors
    /// Those of [`Park::modified_study`] and of the engine.
    pub fn what_if(&self, changes: &[Change]) -> Result<ParkRun> {
        let s = self.modified_study(changes)?;
        // Which installations are fresh: added, or belonging to a moved facility.
        let moved: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Move { facility, .. } => Some(facility.as_str()),
                _ => None,
            })
            .collect();
        // Added installations are always fresh (an added id may reuse a removed one's).
        let added: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Add(b) => Some(b.installations.iter().map(|i| i.id.as_str())),
                _ => None,
            })
            .flatten()
            .collect();
        let idx: Vec<Option<usize>> = s
            .installations
            .iter()
            .map(|i| {
                if moved.contains(&facility_of(i)) || added.contains(&i.id.as_str()) {
                    None
                } else {
                    self.study.installations.iter().position(|x| x.id == i.id)
                }
            })
            .collect();
        let fresh_ids: Vec<&str> = s
            .installations
            .iter()
            .zip(&idx)
            .filter(|(_, k)| k.is_none())
            .map(|(i, _)| i.id.as_str())
            .collect();
        let fresh = if fresh_ids.is_empty() {
            Vec::new()
        } else {
            let mut sub = s.clone();
            sub.installations
                .retain(|i| fresh_ids.contains(&i.id.as_str()));
            sub.events
                .retain(|e| fresh_ids.contains(&e.installation.as_str()));
            prune_units(&mut sub);
            compute_units(&ScenarioSet::from_study(&sub)?, &self.opts)?.1
        };
        assemble(
            s,
            &self.units,
            &self.model,
            &idx,
            &fresh,
            &self.criteria,
            self.pll_cap_per_year,
            self.opts.threads,
        )
    }

    /// The capacity of the park after `changes`.
    ///
    /// # Errors
    /// Those of [`Park::what_if`].
    pub fn capacity_after(&self, changes: &[Change]) -> Result<Capacity> {
        Ok(self.what_if(changes)?.capacity)
    }
}

/// Folds cached (`idx[i] = Some(base index)`) and fresh units (in order) into the full result
/// of `s`, exactly as the engine does.
#[allow(clippy::too_many_arguments)]
fn assemble(
    s: Study,
    cached: &[Unit],
    base_model: &Model,
    idx: &[Option<usize>],
    fresh: &[Unit],
    criteria_set: &str,
    pll_cap_per_year: Option<f64>,
    threads: Option<usize>,
) -> Result<ParkRun> {
    let (nx, ny) = s.grid.dims()?;
    let mut it = fresh.iter();
    let units: Vec<&Unit> = idx
        .iter()
        .map(|k| match k {
            Some(k) => Ok(&cached[*k]),
            None => it.next().ok_or_else(|| QraError::Numerical {
                model: "park what-if".into(),
                message: "fresh unit missing".into(),
            }),
        })
        .collect::<Result<_>>()?;
    let parts: Vec<&[f64]> = units.iter().map(|u| u.grid.as_slice()).collect();
    let grid = engine::sum_installation_grids(nx, ny, &parts);
    let mut model = base_model.clone();
    model.installations = s
        .installations
        .iter()
        .map(|i| (i.id.clone(), [i.x_m, i.y_m]))
        .collect();
    model.events = Vec::with_capacity(s.events.len());
    model.scenarios = Vec::new();
    let mut per_scenario = Vec::new();
    let mut rows = Vec::new();
    let mut event_cases = Vec::with_capacity(s.events.len());
    for (ei, ev) in s.events.iter().enumerate() {
        let ii = s
            .installations
            .iter()
            .position(|i| i.id == ev.installation)
            .ok_or_else(|| QraError::invalid("events.installation", &ev.installation, "unknown"))?;
        model.events.push((ev.id.clone(), ii));
        let mut ec = Vec::new();
        for (sc, cs, row) in units[ii].events.get(&ev.id).into_iter().flatten() {
            rows.push(row.clone());
            let mut sc = sc.clone();
            sc.event = ei;
            sc.installation = ii;
            model.scenarios.push(sc);
            per_scenario.push(cs.as_ref().clone());
            ec.extend_from_slice(cs);
        }
        event_cases.push(ec);
    }
    let profiles = s
        .installations
        .iter()
        .zip(&units)
        .map(|(i, u)| InstallationProfile {
            id: i.id.clone(),
            x_m: i.x_m,
            y_m: i.y_m,
            ..u.profile.clone()
        })
        .collect();
    let g = &s.grid;
    let xs: Vec<f64> = (0..nx)
        .map(|i| g.x_min_m + i as f64 * g.resolution_m)
        .collect();
    let ys: Vec<f64> = (0..ny)
        .map(|j| g.y_min_m + j as f64 * g.resolution_m)
        .collect();
    let ir = Array2::from_shape_vec((ny, nx), grid).map_err(|e| QraError::Numerical {
        model: "park".into(),
        message: e.to_string(),
    })?;
    let result = engine::finish(
        &s,
        Arc::new(model),
        engine::ScenarioTable::from_rows(rows),
        xs,
        ys,
        ir,
        profiles,
        &per_scenario,
    )?;
    // The park's own work (its compliance, capacity and safety distances here, a caller's
    // later) keeps to the park's thread count, as a run's result does.
    let result = RiskResult { threads, ..result };
    ParkRun::new(s, result, event_cases, criteria_set, pll_cap_per_year)
}

/// A siting capacity map: for a reference facility placed (centred) at each candidate location,
/// whether the park would still comply and its utilisation u = 1/k (see
/// [`crate::park::capacity`]). Row-major (ny, nx) arrays; `None` outside the park boundary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SitingMap {
    /// Candidate x, m.
    pub x_m: Vec<f64>,
    /// Candidate y, m.
    pub y_m: Vec<f64>,
    /// Utilisation after adding the template there (None outside the boundary).
    pub utilisation: Vec<Option<f64>>,
    /// Whether the park complies after adding it (None outside the boundary).
    pub complies: Vec<Option<bool>>,
}

impl Park {
    /// A copy of facility `facility` as a template block: ids get the suffix `suffix`
    /// (installations, events, facility), so it can be added next to the original.
    ///
    /// # Errors
    /// An unknown facility.
    pub fn template(&self, facility: &str, suffix: &str) -> Result<FacilityBlock> {
        self.known(&self.study, facility)?;
        let installations: Vec<Installation> = self
            .study
            .installations
            .iter()
            .filter(|i| facility_of(i) == facility)
            .cloned()
            .collect();
        let ids: Vec<&str> = installations.iter().map(|i| i.id.as_str()).collect();
        let events = self
            .study
            .events
            .iter()
            .filter(|e| ids.contains(&e.installation.as_str()))
            .map(|e| Event {
                id: format!("{}{suffix}", e.id),
                installation: format!("{}{suffix}", e.installation),
                ..e.clone()
            })
            .collect();
        let facilities = self
            .study
            .facilities
            .iter()
            .filter(|f| f.id == facility)
            .map(|f| Facility {
                id: format!("{}{suffix}", f.id),
                ..f.clone()
            })
            .collect::<Vec<_>>();
        let has_fac = !facilities.is_empty();
        let installations = installations
            .into_iter()
            .map(|i| Installation {
                id: format!("{}{suffix}", i.id),
                facility: if has_fac {
                    Some(format!("{facility}{suffix}"))
                } else {
                    None
                },
                // GB 18218 units are not carried into placed copies (the copy's installations
                // are units of their own; what-ifs do not grade major hazards).
                unit: None,
                ..i
            })
            .collect();
        Ok(FacilityBlock {
            facilities,
            installations,
            events,
        })
    }

    /// The siting capacity map of `template` on candidate locations every `spacing_m` inside the
    /// park boundary (a what-if "add" per candidate: the template's centre placed there).
    ///
    /// # Errors
    /// No park boundary; `spacing_m` not > 0 or more than 10 000 candidates; errors of
    /// [`Park::what_if`].
    pub fn siting_map(&self, template: &FacilityBlock, spacing_m: f64) -> Result<SitingMap> {
        let boundary = self.study.park_boundary.as_ref().ok_or_else(|| {
            QraError::invalid(
                "park_boundary",
                "missing",
                "a siting map needs the park boundary",
            )
        })?;
        let h = crate::error::check::positive("spacing_m", spacing_m)?;
        let (x0, x1, y0, y1) = boundary.iter().fold(
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
            |(a, b, c, d), q| (a.min(q[0]), b.max(q[0]), c.min(q[1]), d.max(q[1])),
        );
        // Counts in f64 and checked before any integer arithmetic (a tiny spacing would
        // saturate `as usize` and wrap `nx * ny`).
        let fx = ((x1 - x0) / h).floor() + 1.0;
        let fy = ((y1 - y0) / h).floor() + 1.0;
        crate::error::check::count_limit("candidates", fx * fy, 10_000)?;
        let (nx, ny) = (fx as usize, fy as usize);
        // Centre the candidate lattice in the bounding box.
        let ox = x0 + 0.5 * ((x1 - x0) - (nx - 1) as f64 * h);
        let oy = y0 + 0.5 * ((y1 - y0) - (ny - 1) as f64 * h);
        let xs: Vec<f64> = (0..nx).map(|i| ox + i as f64 * h).collect();
        let ys: Vec<f64> = (0..ny).map(|j| oy + j as f64 * h).collect();
        let c = template.centre();
        let mut utilisation = Vec::with_capacity(nx * ny);
        let mut complies = Vec::with_capacity(nx * ny);
        for &y in &ys {
            for &x in &xs {
                if engine::point_in_polygon(x, y, boundary) {
                    let r =
                        self.what_if(&[Change::Add(template.translated(x - c[0], y - c[1]))])?;
                    utilisation.push(Some(r.capacity.utilisation));
                    complies.push(Some(r.compliance.passed()));
                } else {
                    utilisation.push(None);
                    complies.push(None);
                }
            }
        }
        Ok(SitingMap {
            x_m: xs,
            y_m: ys,
            utilisation,
            complies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::engine::thread_log;

    /// A park prepared with one thread checks its compliance, capacity and safety distances on
    /// one thread, even when prepared from inside a 3-thread pool (they ran on the caller's
    /// pool before); uncapped, it leaves them there. Fails if the park's result carries no cap.
    #[test]
    fn a_parks_own_work_keeps_to_its_threads() {
        let study = Study::from_toml_str(crate::park::SAMPLE_PARK_TOML, "sample_park.toml")
            .expect("sample park");
        let reader = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("pool");
        for threads in [Some(1), None] {
            let opts = RunOptions {
                threads,
                ..RunOptions::default()
            };
            let park = reader
                .install(|| Park::new(&study, &opts, "GB36894-2018", None))
                .expect("park");
            let used = thread_log::take(&park.base().result);
            match threads {
                Some(_) => assert!(!used.is_empty() && used.iter().all(|&t| t == 1), "{used:?}"),
                None => assert!(used.is_empty(), "{used:?}"),
            }
        }
    }
}
