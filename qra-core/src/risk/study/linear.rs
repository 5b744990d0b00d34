//! Schema of linear sources (`[[pipelines]]`): pipelines and transport routes as polylines with
//! per-km release classes. The model (discretisation into release points, convergence, societal
//! risk per km) is documented in [`crate::risk::linear`]; the expansion into release points is
//! [`crate::risk::scenario::resolve`].

use serde::{Deserialize, Serialize};

use super::event::{Event, EventTree, Installation, LocRef, Outcome, Phase, ReleaseKind};
use super::tables::{FrequencyPer, LocTable};
use crate::error::{QraError, Result};

/// Largest number of vertices of one linear source.
pub const MAX_VERTICES: usize = 100_000;

/// Largest number of release points of all linear sources of a study.
pub const MAX_RELEASE_POINTS: u128 = 200_000;

/// Default release-point spacing upper bound, m (the grid resolution if smaller).
pub const DEFAULT_SPACING_M: f64 = 10.0;

/// Kind of linear source.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinearRelease {
    /// Id, unique within the source ("rupture", "hole-80mm", "tanker-bleve").
    pub id: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Failure frequency, per km per year.
    #[serde(default)]
    #[schemars(range(min = 0.0), example = 1e-4)]
    pub frequency_per_km_year: Option<f64>,
    /// Generic frequency of a per-metre-year equipment type of `models/loc_frequencies.toml`
    /// (multiplier must be 1; per km = 1000 × per m).
    #[serde(default)]
    #[schemars(example = example_pipe_loc())]
    pub loc: Option<LocRef>,
    /// Transport: accident frequency, per km per year (vehicle-km per year × accident rate per
    /// vehicle-km); the release frequency is this times `release_probability`.
    #[serde(default)]
    #[schemars(range(min = 0.0), example = 3e-7)]
    pub accident_frequency_per_km_year: Option<f64>,
    /// Transport: probability that an accident gives this release.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.05)]
    pub release_probability: Option<f64>,
    /// Release type (default "rupture" for pipelines without a hole diameter, else "hole").
    #[serde(default)]
    pub release: Option<ReleaseKind>,
    /// Hole diameter, mm (default for ruptures: the pipe diameter).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 80.0)]
    pub hole_diameter_mm: Option<f64>,
    /// Release duration, s.
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 600.0)]
    pub duration_s: Option<f64>,
    /// Event tree.
    #[serde(default)]
    pub event_tree: EventTree,
    /// Outcomes (same forms as installation events).
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
}

/// Example of a pipeline `loc` (schema example): a per-metre generic frequency.
fn example_pipe_loc() -> serde_json::Value {
    serde_json::json!({ "equipment": "pipe-gt-150mm", "scenario": "rupture" })
}

/// A pipeline or transport route (`[[pipelines]]` of a study).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 600.0)]
    pub diameter_mm: Option<f64>,
    /// Operating pressure (absolute), Pa.
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 6.0e6)]
    pub pressure_pa: Option<f64>,
    /// Temperature, K.
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 288.15)]
    pub temperature_k: Option<f64>,
    /// Phase.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// Inventory involved in one release, kg (a tanker load; default 0).
    #[serde(default)]
    #[schemars(range(min = 0.0), example = 20000.0)]
    pub inventory_kg: f64,
    /// Release-point spacing Δs, m (default min(10 m, grid resolution)).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 10.0)]
    pub spacing_m: Option<f64>,
    /// Release classes.
    pub releases: Vec<LinearRelease>,
    /// GB 36894-2018 status of the line's release points (default new, as for installations:
    /// [`super::InstallationStatus`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<super::InstallationStatus>,
}

impl Pipeline {
    /// Length of the polyline, m.
    pub fn length_m(&self) -> f64 {
        crate::geometry::polyline_length_m(&self.vertices)
    }

    /// Release-point spacing used with a grid of resolution `grid_resolution_m`, m.
    pub fn spacing(&self, grid_resolution_m: f64) -> f64 {
        self.spacing_m
            .unwrap_or_else(|| DEFAULT_SPACING_M.min(grid_resolution_m))
    }

    /// Point and unit tangent at chainage `s` (m, clamped to [0, L]).
    pub fn at_chainage(&self, s: f64) -> ([f64; 2], [f64; 2]) {
        crate::geometry::polyline_at_chainage(&self.vertices, s)
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

    /// The installation standing for release point `k` at `pt` (id `"<id>#<k>"`); with `pt =
    /// None` the form validated for every release point (at the first vertex, no facility).
    pub fn installation_at(&self, k: usize, pt: Option<&ReleasePoint>) -> Installation {
        let p = self;
        Installation {
            id: format!("{}#{k}", p.id),
            name: p.name.clone(),
            x_m: pt.map_or(p.vertices.first().map_or(0.0, |v| v[0]), |q| q.x_m),
            y_m: pt.map_or(p.vertices.first().map_or(0.0, |v| v[1]), |q| q.y_m),
            substance: p.substance.clone(),
            inventory: super::event::Inventory::Mass {
                inventory_kg: p.inventory_kg,
            },
            pressure_pa: p.pressure_pa,
            temperature_k: p.temperature_k,
            phase: p.phase,
            detection_isolation: None,
            // A line's release points form one facility (the line's id) in park contributions.
            facility: pt.map(|_| p.id.clone()),
            status: p.status,
            unit: None,
        }
    }

    /// The event of release class `r` at release point `k` with frequency `f_per_year` (id
    /// `"<id>/<class>#<k>"`): ruptures default to the pipe diameter.
    pub fn event_at(&self, r: &LinearRelease, k: usize, f_per_year: f64) -> Event {
        let p = self;
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
        Event {
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
