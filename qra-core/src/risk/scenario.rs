//! Scenario resolution: the one stage between a validated study and the consequence models.
//!
//! [`resolve`] is the only place that
//! * expands linear sources (`[[pipelines]]`) into release points (installations `"<id>#<k>"`,
//!   events `"<id>/<class>#<k>"` appended after the study's own, see [`crate::risk::linear`] for
//!   the discretisation), each tagged with its typed origin ([`SourceOrigin`], [`EventOrigin`]) —
//!   nothing downstream recognises release points by their id strings;
//! * resolves each event's frequency (given, or the generic LOC table × multiplier), release
//!   duration (given, 10-min release, or the detection/isolation class) and the conditional
//!   probability of each outcome (event tree × fraction, or the outcome's own probability).
//!
//! The engine, the societal risk, domino screening, the park what-ifs and distributed runs all
//! start from a [`ScenarioSet`].

use serde::Serialize;

use super::footprint::VulnerabilityRules;
use super::source_term;
use super::study::{
    Branch, Event, Facility, IgnitionTable, Installation, LocTable, Outcome, OutcomeSpec, Pipeline,
    ReleaseKind, Study, StudyOptions, ValidStudy, MAX_SCENARIOS,
};
use crate::error::{QraError, Result};
use crate::substance::Substance;

/// Where a source of releases comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SourceOrigin {
    /// Installation `index` of the study.
    Installation {
        /// Index in `study.installations`.
        index: usize,
    },
    /// Release point `point` of linear source `pipeline`.
    ReleasePoint {
        /// Index in `study.pipelines`.
        pipeline: usize,
        /// Release point index along the line.
        point: usize,
        /// Chainage of the point, m.
        chainage_m: f64,
        /// Length of line the point stands for, m.
        length_m: f64,
    },
}

/// Where an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EventOrigin {
    /// Event `index` of the study.
    Event {
        /// Index in `study.events`.
        index: usize,
    },
    /// Release class `release` of linear source `pipeline` at release point `point`.
    Release {
        /// Index in `study.pipelines`.
        pipeline: usize,
        /// Index in the pipeline's `releases`.
        release: usize,
        /// Release point index.
        point: usize,
    },
}

impl EventOrigin {
    /// Events with the same key (`Some`) have identical consequences (every release point of one
    /// release class of one line): their footprints are built once and shared.
    pub fn footprint_key(self) -> Option<(usize, usize)> {
        match self {
            EventOrigin::Event { .. } => None,
            EventOrigin::Release {
                pipeline, release, ..
            } => Some((pipeline, release)),
        }
    }
}

/// One event with everything the event tree and the source resolve to.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedEvent {
    /// Index of its installation in [`ScenarioSet::study`]'s installations.
    pub installation: usize,
    /// Frequency, per year.
    pub frequency_per_year: f64,
    /// Release duration, s (`None`: instantaneous, or left to the source model).
    pub duration_s: Option<f64>,
    /// Conditional probability of each outcome given the event. For an outcome with
    /// `delayed_by_direction[o]`, the probability **given that the cloud ignites** (delayed
    /// branches) or given no immediate ignition (no-ignition branch): the probability of delayed
    /// ignition itself depends on the wind direction and is applied by the engine, place by place
    /// ([`crate::risk::placement`]).
    pub outcome_probabilities: Vec<f64>,
    /// Per outcome: whether its delayed-ignition probability (and its place, for flash fires and
    /// VCEs) comes from the cloud's passage over the study's ignition sources, per wind direction
    /// (a delayed or no-ignition branch of a physical outcome without its own `probability`, in a
    /// study with `[[ignition.sources]]` or `[[ignition.congested_regions]]`).
    pub delayed_by_direction: Vec<bool>,
    /// Where the event comes from.
    pub origin: EventOrigin,
}

/// The resolved scenarios of a study: flat installations and events (linear sources expanded)
/// with their origins, frequencies, durations and outcome probabilities.
#[derive(Debug, Clone)]
pub struct ScenarioSet {
    study: ValidStudy,
    pipelines: Vec<Pipeline>,
    sources: Vec<SourceOrigin>,
    events: Vec<ResolvedEvent>,
}

/// Everything a consequence model needs about the scenario besides the outcome spec.
#[derive(Debug, Clone, Copy)]
pub struct ScenarioContext<'a> {
    /// The installation.
    pub installation: &'a Installation,
    /// The event.
    pub event: &'a Event,
    /// Its substance.
    pub substance: &'a Substance,
    /// Resolved release duration, s (None for instantaneous releases).
    pub duration_s: Option<f64>,
    /// The study's vulnerability rule set (selects the thermal lethality rule).
    pub rules: VulnerabilityRules,
    /// The study's options (rain-out, flash-fire indoor lethality).
    pub options: StudyOptions,
}

/// Resolves a validated study (see the module docs).
///
/// # Errors
/// [`QraError::ResourceLimit`] when the expanded study has more than [`MAX_SCENARIOS`]
/// (event × outcome × weather) scenarios; missing data tables.
pub fn resolve(study: &ValidStudy) -> Result<ScenarioSet> {
    resolve_owned(study.clone())
}

/// [`resolve`] of a study it may consume: the study is expanded in place, not copied (a large
/// study's footprint tables are held once less; issue 14).
fn resolve_owned(study: ValidStudy) -> Result<ScenarioSet> {
    let (mut flat, db) = study.into_parts();
    let mut sources: Vec<SourceOrigin> = (0..flat.installations.len())
        .map(|index| SourceOrigin::Installation { index })
        .collect();
    let mut origins: Vec<EventOrigin> = (0..flat.events.len())
        .map(|index| EventOrigin::Event { index })
        .collect();
    let pipelines = std::mem::take(&mut flat.pipelines);
    for (pi, pl) in pipelines.iter().enumerate() {
        if !flat.facilities.iter().any(|f| f.id == pl.id) {
            flat.facilities.push(Facility {
                id: pl.id.clone(),
                name: pl.name.clone(),
                sector: Some("linear source".into()),
                boundary: None,
            });
        }
        let pts = pl.release_points(pl.spacing(flat.grid.resolution_m));
        let freqs: Vec<f64> = pl
            .releases
            .iter()
            .map(|r| r.frequency_per_km_year())
            .collect::<Result<_>>()?;
        for (k, pt) in pts.iter().enumerate() {
            flat.installations.push(pl.installation_at(k, Some(pt)));
            sources.push(SourceOrigin::ReleasePoint {
                pipeline: pi,
                point: k,
                chainage_m: pt.chainage_m,
                length_m: pt.length_m,
            });
            for (ri, (r, f)) in pl.releases.iter().zip(&freqs).enumerate() {
                flat.events
                    .push(pl.event_at(r, k, f * pt.length_m / 1000.0));
                origins.push(EventOrigin::Release {
                    pipeline: pi,
                    release: ri,
                    point: k,
                });
            }
        }
    }
    let n_scen: u128 = flat
        .events
        .iter()
        .map(|e| e.outcomes.len() as u128 * flat.meteorology.weather.len().max(1) as u128)
        .sum();
    crate::error::check::size_limit("scenarios", n_scen, MAX_SCENARIOS)?;
    let index: std::collections::HashMap<&str, usize> = flat
        .installations
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut events = Vec::with_capacity(flat.events.len());
    for (ev, origin) in flat.events.iter().zip(origins) {
        let ii = *index
            .get(ev.installation.as_str())
            .ok_or_else(|| QraError::invalid("installation", &ev.installation, "unknown"))?;
        let inst = &flat.installations[ii];
        events.push(ResolvedEvent {
            installation: ii,
            frequency_per_year: event_frequency(ev)?,
            duration_s: event_duration_s(ev, inst),
            outcome_probabilities: outcome_probabilities(
                ev,
                inst,
                db.get(&inst.substance)?,
                flat.ignition.by_direction(),
            )?,
            delayed_by_direction: ev
                .outcomes
                .iter()
                .map(|o| flat.ignition.by_direction() && delayed_by_direction(o))
                .collect(),
            origin,
        });
    }
    Ok(ScenarioSet {
        study: ValidStudy::expanded(flat, db),
        pipelines,
        sources,
        events,
    })
}

impl ScenarioSet {
    /// Validates and resolves a study.
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] for an invalid study; those of [`resolve`].
    pub fn from_study(study: &Study) -> Result<ScenarioSet> {
        resolve_owned(ValidStudy::new(study.clone())?)
    }

    /// The study with its linear sources expanded into release-point installations and events
    /// (same order as [`ScenarioSet::sources`] and [`ScenarioSet::events`]).
    pub fn study(&self) -> &ValidStudy {
        &self.study
    }

    /// The linear sources of the study (expanded into [`ScenarioSet::study`]'s release points).
    pub fn pipelines(&self) -> &[Pipeline] {
        &self.pipelines
    }

    /// The origin of every installation of [`ScenarioSet::study`].
    pub fn sources(&self) -> &[SourceOrigin] {
        &self.sources
    }

    /// The resolved events (same order as the study's events).
    pub fn events(&self) -> &[ResolvedEvent] {
        &self.events
    }

    /// The consequence context of event `e`.
    ///
    /// # Errors
    /// Unknown substance (cannot happen for a validated study).
    pub fn context(&self, e: usize) -> Result<ScenarioContext<'_>> {
        let ev = &self.events[e];
        let inst = &self.study.installations[ev.installation];
        Ok(ScenarioContext {
            installation: inst,
            event: &self.study.events[e],
            substance: self.study.substances().get(&inst.substance)?,
            duration_s: ev.duration_s,
            rules: self.study.vulnerability,
            options: self.study.options,
        })
    }

    /// The installation indices of linear source `pipeline` (its release points, in order).
    pub fn release_points_of(&self, pipeline: usize) -> std::ops::Range<usize> {
        let mut it = self.sources.iter().enumerate().filter(
            |(_, o)| matches!(o, SourceOrigin::ReleasePoint { pipeline: p, .. } if *p == pipeline),
        );
        match it.next() {
            Some((lo, _)) => lo..it.next_back().map_or(lo + 1, |(hi, _)| hi + 1),
            None => 0..0,
        }
    }
}

/// Resolved frequency of an event, per year: `frequency_per_year`, or the generic LOC frequency
/// × multiplier.
///
/// # Errors
/// Unknown LOC references.
fn event_frequency(ev: &Event) -> Result<f64> {
    match (&ev.frequency_per_year, &ev.loc) {
        (Some(f), _) => Ok(*f),
        (None, Some(l)) => {
            let (_, sc) = LocTable::builtin()?.scenario(&l.equipment, &l.scenario)?;
            Ok(sc.frequency * l.multiplier)
        }
        (None, None) => Err(QraError::invalid(
            "frequency_per_year",
            "missing",
            "give frequency_per_year or loc",
        )),
    }
}

/// Resolved release duration of an event, s: the event's `duration_s`; else 600 s for
/// `continuous-10min`; else, for holes and ruptures of an installation with a detection/isolation
/// class, the class duration by hole-size band; `None` otherwise (instantaneous, or left to the
/// source model).
fn event_duration_s(ev: &Event, inst: &Installation) -> Option<f64> {
    if ev.duration_s.is_some() {
        return ev.duration_s;
    }
    let release = ev.release.or_else(|| {
        let l = ev.loc.as_ref()?;
        LocTable::builtin()
            .ok()?
            .scenario(&l.equipment, &l.scenario)
            .ok()
            .map(|(_, s)| s.release)
    });
    match release {
        Some(ReleaseKind::Instantaneous) => None,
        Some(ReleaseKind::Continuous10Min) => Some(600.0),
        r => {
            let class = inst.detection_isolation.as_ref()?;
            let t = LocTable::builtin().ok()?;
            let c = t.isolation.classes.iter().find(|c| &c.id == class)?;
            let d = ev.hole_diameter_mm.unwrap_or(f64::INFINITY);
            Some(if r == Some(ReleaseKind::Rupture) || d > 25.4 {
                c.large_s
            } else if d > 6.35 {
                c.medium_s
            } else {
                c.small_s
            })
        }
    }
}

/// Conditional probability of each outcome of `ev` given the event (event tree × fraction, or the
/// outcome's own `probability`).
///
/// Event tree: immediate P_i; delayed (1 − P_i)·P_d, split into flash fire (1 − f_x) and explosion
/// f_x (f_x default 0.4, Purple Book §4.2 \[M\]); no ignition (1 − P_i)(1 − P_d).
///
/// P_i is the event's `immediate_ignition`, else the built-in table (`models/ignition.toml`,
/// CPR 18E Table 4.5 \[M\]) for its `ignition_category`: instantaneous releases by the released
/// mass (`release_mass_kg`, default the inventory), continuous ones by the release rate
/// (`release_rate_kg_s`, default the outflow rate of the source model,
/// [`source_term::outflow_rate_kg_s`]; not needed for categories whose bands are equal).
///
/// # Errors
/// Missing event-tree values (caught earlier by validation); a continuous release whose rate is
/// needed but can be neither read nor computed (the error names the missing field).
///
/// With ignition sources or congested regions in the study (`by_sources`,
/// [`crate::risk::study::IgnitionSetup::by_direction`]), the outcomes of [`delayed_by_direction`]
/// take P_d = 1 here (see [`ResolvedEvent::outcome_probabilities`]).
fn outcome_probabilities(
    ev: &Event,
    inst: &Installation,
    s: &Substance,
    by_sources: bool,
) -> Result<Vec<f64>> {
    let et = &ev.event_tree;
    let table = IgnitionTable::builtin()?;
    let pi = match (et.immediate_ignition, &et.ignition_category) {
        (Some(p), _) => p,
        (None, Some(c)) => match source_term::release_kind(ev) {
            ReleaseKind::Instantaneous => {
                let mass = match et.release_mass_kg {
                    Some(m) => m,
                    None => inst.inventory_kg(s)?,
                };
                table.immediate(c, None, Some(mass))?
            }
            _ => {
                let rate = match et.release_rate_kg_s {
                    Some(r) => r,
                    None if table.category(c)?.band_independent() => 0.0,
                    None => source_term::outflow_rate_kg_s(inst, ev, s)?,
                };
                table.immediate(c, Some(rate), None)?
            }
        },
        (None, None) => 0.0,
    };
    let pd = et.delayed_ignition.unwrap_or(0.0);
    let fx = et.explosion_fraction.unwrap_or(table.explosion_fraction);
    Ok(ev
        .outcomes
        .iter()
        .map(|o| {
            let pd = if by_sources && delayed_by_direction(o) {
                1.0
            } else {
                pd
            };
            o.probability.unwrap_or_else(|| {
                let b = match o.branch {
                    Branch::Always => 1.0,
                    Branch::Immediate => pi,
                    Branch::Delayed => (1.0 - pi) * pd,
                    Branch::DelayedFlash => (1.0 - pi) * pd * (1.0 - fx),
                    Branch::DelayedExplosion => (1.0 - pi) * pd * fx,
                    Branch::NoIgnition => (1.0 - pi) * (1.0 - pd),
                };
                b * o.fraction
            })
        })
        .collect())
}

/// Whether outcome `o`, in a study with ignition sources, has its delayed-ignition probability
/// and place from the cloud's passage over them: a delayed or no-ignition branch, no explicit
/// `probability`, a physical (not analytic) outcome.
pub fn delayed_by_direction(o: &Outcome) -> bool {
    o.probability.is_none()
        && !matches!(o.spec, OutcomeSpec::Analytic { .. })
        && matches!(
            o.branch,
            Branch::Delayed | Branch::DelayedFlash | Branch::DelayedExplosion | Branch::NoIgnition
        )
}
