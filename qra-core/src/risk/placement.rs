//! Delayed-ignition outcomes placed per wind direction (issue 16): where the cloud ignites, and
//! the flash fire and VCE that follow, when the study has ignition sources or congested regions
//! fixed in the world.
//!
//! # Interface with the engine
//! For each (event, weather class) with outcomes flagged by
//! [`crate::risk::scenario::ResolvedEvent::delayed_by_direction`], [`PlacementBasis::new`] builds
//! the cloud and the outcomes' footprints at the release point (once per release class of a
//! linear source), and [`placed_outcomes`] returns,
//! per wind direction k of the weather class (the engine's sector list, downwind unit vectors in
//! world east/north) and per outcome, a list of [`PlacedOutcome`]s: a probability (that of the
//! place of ignition given the release and the direction, [`crate::risk::ignition::passage`])
//! and a footprint **in the downwind frame of the release point**, valid for direction k only.
//! The engine turns each into a [`crate::risk::engine::Scenario`] with `sector = Some(k)` and
//! frequency f_event · P_outcome · probability. Nothing else of the engine changes.
//!
//! # Footprints (from each outcome's footprint at the release point, [`footprint_for`])
//! * **Flash fire** ignited at a source at downwind distance x_k: the LFL envelope up to x_k
//!   (the cloud had reached x_k when it ignited; the envelope beyond is zeroed — qra's reading of
//!   "flash fire takes its size from where the cloud ignites"); ignited at the maximum extent:
//!   the whole envelope.
//! * **VCE** with [`VcePlacement::IgnitionPoint`] (the default with ignition sources): the blast
//!   of the outcome's model and flammable mass centred at the ignition place; at the maximum
//!   extent, at the centroid of the LFL envelope. With [`VcePlacement::ReleasePoint`]: at the
//!   release point (as without sources).
//! * **VCE** with [`VcePlacement::CongestedRegions`] (the default with congested regions): one
//!   blast per congested region the ignited cloud covers (the envelope up to the place of
//!   ignition), centred on the covered part, with the energy of its flammable volume
//!   (multi-energy practice, CPR 14E Yellow Book ch. 5 \[M\]; [`congested_blast_footprint`]);
//!   none where the cloud covers no region.
//! * **No ignition** (e.g. the toxic outcome of a flammable toxic gas): its own footprint with the
//!   probability that the cloud never ignites.
//!
//! # The cloud
//! The LFL envelope of the event's first flash-fire outcome (its own rate or mass if given), else
//! of the event's release, in the downwind frame of the release point.
//!
//! # Exposure time t of a source (for P(t))
//! Continuous release: the release duration (the steady plume covers the source for the release
//! duration; the arrival delay x/u is neglected, which overstates P slightly). Instantaneous
//! release: the passage time of the cloud, its crosswind LFL width at the source divided by the
//! 10 m wind speed (the puff's along-wind size taken equal to its crosswind size, σ_x = σ_y).

use std::sync::Arc;

use super::consequence::{flammable_envelope, footprint_for};
use super::footprint::{BandTable, DirectionalTable, Footprint, Hazard, Shape};
use super::ignition::{passage, DelayedIgnition, IgnitionPlace, SourcePoint, SOURCE_SPACING_M};
use super::scenario::ScenarioContext;
use super::study::{Branch, CongestedRegion, Outcome, OutcomeSpec, VcePlacement, WeatherClass};
use crate::error::Result;
use crate::explosion::{BlastSource, VceBlast};
use crate::geometry::point_in_polygon;
use crate::vulnerability::blast::BlastRule;

/// Nodes per side of the raster of a blast moved off the release point.
const N_SHIFTED: usize = 121;
/// Downwind bins in which ignitions at consecutive sources are pooled, per LFL reach.
const PLACE_BINS: f64 = 16.0;

/// The flammable cloud of an event's release under one weather class, in the downwind frame of
/// the release point.
#[derive(Debug, Clone)]
pub struct FlammableCloud {
    envelope: Footprint,
    duration_s: Option<f64>,
    wind_speed_m_s: f64,
}

impl FlammableCloud {
    /// The cloud of the event of `ctx` under `w` (`flammable_envelope`): that of the first
    /// flash-fire outcome among `outcomes` (with its `release_rate_kg_s` / `mass_kg` /
    /// `dense_model`), else of the event's own release with the default dense-gas model.
    ///
    /// # Errors
    /// Those of the flash-fire model (missing source data).
    pub fn new(
        ctx: &ScenarioContext<'_>,
        w: &WeatherClass,
        outcomes: &[(usize, &Outcome)],
    ) -> Result<FlammableCloud> {
        let (rate, mass, dense_model) = outcomes
            .iter()
            .find_map(|(_, o)| match o.spec {
                OutcomeSpec::FlashFire {
                    mass_kg,
                    release_rate_kg_s,
                    dense_model,
                } => Some((release_rate_kg_s, mass_kg, dense_model)),
                _ => None,
            })
            .unwrap_or_default();
        let (envelope, duration_s) = flammable_envelope(ctx, w, rate, mass, dense_model)?;
        Ok(FlammableCloud {
            envelope,
            duration_s,
            wind_speed_m_s: w.wind_speed_m_s,
        })
    }

    /// A cloud from its LFL envelope (1 inside, downwind frame), release duration (`None`:
    /// instantaneous) and wind speed (tests and callers with their own cloud).
    pub fn from_envelope(
        envelope: Footprint,
        duration_s: Option<f64>,
        wind_speed_m_s: f64,
    ) -> FlammableCloud {
        FlammableCloud {
            envelope,
            duration_s,
            wind_speed_m_s,
        }
    }

    /// Whether local (x, y) lies inside the LFL envelope.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        self.envelope.lethality(x, y) >= 0.5
    }

    /// Time a source at downwind distance x inside the cloud is covered, s (see the module docs).
    pub fn exposure_s(&self, x: f64) -> f64 {
        if let Some(d) = self.duration_s {
            return d;
        }
        let width = match &self.envelope.outdoor {
            Shape::Band(b) => {
                let n = b.half_width_m.len();
                let fx = ((x - b.x0_m) / b.dx_m).clamp(0.0, (n - 1) as f64);
                let i = (fx as usize).min(n - 2);
                let t = fx - i as f64;
                2.0 * (b.half_width_m[i] * (1.0 - t) + b.half_width_m[i + 1] * t)
            }
            Shape::Directional(t) => {
                (0..t.ny)
                    .filter(|&j| t.at(x, t.y0_m + j as f64 * t.dy_m) >= 0.5)
                    .count() as f64
                    * t.dy_m
            }
            _ => 0.0,
        };
        width.max(1.0) / self.wind_speed_m_s
    }

    /// Centroid of the LFL envelope (the place of ignition at the maximum extent), local m.
    pub fn centroid(&self) -> (f64, f64) {
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        match &self.envelope.outdoor {
            Shape::Band(b) => {
                for (i, &w) in b.half_width_m.iter().enumerate() {
                    sx += (b.x0_m + i as f64 * b.dx_m) * w;
                    n += w;
                }
            }
            Shape::Directional(t) => {
                for j in 0..t.ny {
                    for i in 0..t.nx {
                        if t.lethality[j * t.nx + i] >= 0.5f32 {
                            sx += t.x0_m + i as f64 * t.dx_m;
                            sy += t.y0_m + j as f64 * t.dy_m;
                            n += 1.0;
                        }
                    }
                }
            }
            _ => {}
        }
        if n > 0.0 {
            (sx / n, sy / n)
        } else {
            (0.0, 0.0)
        }
    }

    /// Where the cloud ignites when the wind blows towards `downwind` (unit vector, world east
    /// and north) from the release point `origin` over the source points `sources` (world), with
    /// probability `p_max` of ignition at the maximum extent for a cloud that passed every source
    /// ([`passage`]).
    pub fn delayed_ignition(
        &self,
        sources: &[SourcePoint],
        origin: [f64; 2],
        downwind: (f64, f64),
        p_max: f64,
    ) -> DelayedIgnition {
        let (ux, uy) = downwind;
        let reach2 = self.envelope.reach_m().powi(2);
        let mut covered = Vec::new();
        for s in sources {
            let (dx, dy) = (s.x_m - origin[0], s.y_m - origin[1]);
            if dx * dx + dy * dy > reach2 {
                continue;
            }
            let (lx, ly) = (dx * ux + dy * uy, -dx * uy + dy * ux);
            if self.contains(lx, ly) {
                covered.push((lx, ly, s.ignition_probability(self.exposure_s(lx))));
            }
        }
        let bin = (self.envelope.reach_m() / PLACE_BINS).max(SOURCE_SPACING_M);
        passage(covered, self.centroid(), p_max, bin)
    }
}

/// The part of a congested region inside an ignited cloud: the blast source of multi-energy
/// practice (see [`CongestedRegion`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoveredRegion {
    /// Index of the region in the study's `congested_regions`.
    pub region: usize,
    /// Centroid of the covered part, downwind frame of the release point, m.
    pub x_m: f64,
    /// Crosswind coordinate of the centroid, m.
    pub y_m: f64,
    /// Flammable congested volume: covered plan area × the region's height, m³.
    pub volume_m3: f64,
}

/// Samples per side of the bounding box of a congested region (the covered area is counted on
/// this raster: exact for rectangles aligned with the axes, otherwise within one sample row).
const REGION_SAMPLES: usize = 200;

/// The sample points of a congested region: the centres of a `REGION_SAMPLES`² raster over its
/// bounding box that lie inside its polygon (world frame), each standing for `volume_m3`.
#[derive(Debug, Clone)]
pub struct RegionSamples {
    points: Vec<[f64; 2]>,
    volume_m3: f64,
    bbox: [f64; 4],
}

impl RegionSamples {
    /// The samples of every region, in order.
    pub fn of(regions: &[CongestedRegion]) -> Vec<RegionSamples> {
        regions
            .iter()
            .map(|r| {
                let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
                for q in &r.polygon {
                    x0 = x0.min(q[0]);
                    x1 = x1.max(q[0]);
                    y0 = y0.min(q[1]);
                    y1 = y1.max(q[1]);
                }
                let n = REGION_SAMPLES as f64;
                let (hx, hy) = ((x1 - x0) / n, (y1 - y0) / n);
                let mut points = Vec::new();
                for j in 0..REGION_SAMPLES {
                    for i in 0..REGION_SAMPLES {
                        let (x, y) = (x0 + (i as f64 + 0.5) * hx, y0 + (j as f64 + 0.5) * hy);
                        if point_in_polygon(x, y, &r.polygon) {
                            points.push([x, y]);
                        }
                    }
                }
                RegionSamples {
                    points,
                    volume_m3: hx * hy * r.height_m,
                    bbox: [x0, x1, y0, y1],
                }
            })
            .collect()
    }
}

/// The samples of one region inside a cloud for one wind direction, sorted by downwind distance,
/// with prefix sums: the region's part inside the cloud ignited at any downwind distance.
#[derive(Debug, Clone)]
pub struct RegionCoverage {
    region: usize,
    xs: Vec<f64>,
    cum_x: Vec<f64>,
    cum_y: Vec<f64>,
    volume_m3: f64,
}

impl RegionCoverage {
    /// The covered part when the cloud reaches at most `x_max` downwind (`None`: nothing).
    fn at(&self, x_max: f64) -> Option<CoveredRegion> {
        let n = self.xs.partition_point(|&x| x <= x_max);
        (n > 0).then(|| CoveredRegion {
            region: self.region,
            x_m: self.cum_x[n - 1] / n as f64,
            y_m: self.cum_y[n - 1] / n as f64,
            volume_m3: n as f64 * self.volume_m3,
        })
    }
}

impl FlammableCloud {
    /// The coverage of each region (samples `samples`, world frame) by the cloud with the wind
    /// towards `downwind` from the release point `origin` (regions it does not reach omitted).
    /// The cloud is taken to fill the region's height where it covers its plan (qra's
    /// simplification: the LFL cloud's depth is not modelled).
    pub fn region_coverage(
        &self,
        samples: &[RegionSamples],
        origin: [f64; 2],
        downwind: (f64, f64),
    ) -> Vec<RegionCoverage> {
        let (ux, uy) = downwind;
        let reach = self.envelope.reach_m();
        let mut out = Vec::new();
        for (k, r) in samples.iter().enumerate() {
            let [x0, x1, y0, y1] = r.bbox;
            // Nothing to count where the region's box lies beyond the cloud's reach.
            let gap_x = (x0 - origin[0]).max(origin[0] - x1).max(0.0);
            let gap_y = (y0 - origin[1]).max(origin[1] - y1).max(0.0);
            if gap_x.hypot(gap_y) > reach {
                continue;
            }
            let mut inside: Vec<(f64, f64)> = r
                .points
                .iter()
                .map(|q| {
                    let (dx, dy) = (q[0] - origin[0], q[1] - origin[1]);
                    (dx * ux + dy * uy, -dx * uy + dy * ux)
                })
                .filter(|&(lx, ly)| self.contains(lx, ly))
                .collect();
            if inside.is_empty() {
                continue;
            }
            inside.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let (mut sx, mut sy) = (0.0, 0.0);
            let (mut cum_x, mut cum_y) = (Vec::new(), Vec::new());
            for &(x, y) in &inside {
                sx += x;
                sy += y;
                cum_x.push(sx);
                cum_y.push(sy);
            }
            out.push(RegionCoverage {
                region: k,
                xs: inside.iter().map(|p| p.0).collect(),
                cum_x,
                cum_y,
                volume_m3: r.volume_m3,
            });
        }
        out
    }

    /// The parts of `regions` (world frame) inside the cloud ignited at `place`, with the wind
    /// towards `downwind` from the release point `origin`: the LFL envelope up to the place of
    /// ignition (the whole envelope at the maximum extent); see [`FlammableCloud::region_coverage`].
    pub fn covered_regions(
        &self,
        regions: &[CongestedRegion],
        origin: [f64; 2],
        downwind: (f64, f64),
        place: &IgnitionPlace,
    ) -> Vec<CoveredRegion> {
        let cov = self.region_coverage(&RegionSamples::of(regions), origin, downwind);
        covered_at(&cov, place)
    }
}

/// The covered parts of the regions of `coverage` for a cloud ignited at `place`.
pub fn covered_at(coverage: &[RegionCoverage], place: &IgnitionPlace) -> Vec<CoveredRegion> {
    let x_max = if place.at_max_extent {
        f64::INFINITY
    } else {
        place.x_m
    };
    coverage.iter().filter_map(|c| c.at(x_max)).collect()
}

/// The blast footprint of the congested regions `covered` (downwind frame): each an independent
/// blast of its region's model with its covered volume (E = V·3.5 MJ/m³), centred at the covered
/// part's centroid; lethality by the Purple Book overpressure rule at the largest overpressure
/// of the blasts (the rule is a step function of the overpressure, so this is the largest
/// lethality). No covered region: no blast (the unconfined cloud is a strength 1–2 source,
/// whose peak, about 1–2 kPa, is below the rule's 10 kPa).
///
/// # Errors
/// Blast-model errors.
pub fn congested_blast_footprint(
    regions: &[CongestedRegion],
    covered: &[CoveredRegion],
    heat_of_combustion_j_kg: f64,
) -> Result<Footprint> {
    let rule = BlastRule::purple_book();
    let mut blasts = Vec::new();
    for c in covered {
        let model = regions[c.region].model_for_volume(c.volume_m3);
        if let Some(b) = VceBlast::new(&model, heat_of_combustion_j_kg, || Ok(0.0))? {
            let reach = b.reach_m(rule.reach_overpressure_pa()).min(50_000.0);
            if reach > 0.0 {
                blasts.push((c.x_m, c.y_m, reach, b));
            }
        }
    }
    if blasts.is_empty() {
        return Footprint::new(Shape::circle(0.0, 0.0)?, Hazard::Explosion);
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y, r, _) in &blasts {
        x0 = x0.min(x - r);
        x1 = x1.max(x + r);
        y0 = y0.min(y - r);
        y1 = y1.max(y + r);
    }
    let side = (x1 - x0).max(y1 - y0);
    let d = side / (N_SHIFTED - 1) as f64;
    let (nx, ny) = (
        ((x1 - x0) / d).ceil() as usize + 1,
        ((y1 - y0) / d).ceil() as usize + 1,
    );
    let sample = |f: &dyn Fn(f64) -> f64| -> Result<Shape> {
        let mut v = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            for i in 0..nx {
                let (x, y) = (x0 + i as f64 * d, y0 + j as f64 * d);
                let p = blasts
                    .iter()
                    .map(|(bx, by, _, b)| b.overpressure_pa((x - bx).hypot(y - by).max(0.1)))
                    .fold(0.0, f64::max);
                v.push(f(p));
            }
        }
        Ok(Shape::Directional(DirectionalTable::new(
            x0,
            y0,
            d,
            d,
            nx.max(2),
            ny.max(2),
            v,
        )?))
    };
    let out = sample(&|p| rule.lethality_outdoor(p))?;
    let ind = sample(&|p| rule.lethality_indoor(p))?;
    Footprint::new(out, Hazard::Explosion)?.with_indoor(ind)
}

/// The footprint of an outcome (`spec`, built at the release point as `base`) ignited at
/// `place` (see the module docs); `base` itself (shared) where the place changes nothing.
///
/// # Errors
/// Raster validation (cannot happen for valid inputs).
pub fn ignited_footprint(
    spec: &OutcomeSpec,
    base: &Arc<Footprint>,
    place: &IgnitionPlace,
    vce: VcePlacement,
) -> Result<Arc<Footprint>> {
    Ok(match spec {
        OutcomeSpec::FlashFire { .. } if !place.at_max_extent => match clipped(base, place.x_m)? {
            Some(f) => Arc::new(f),
            None => base.clone(),
        },
        OutcomeSpec::Vce(_) if vce == VcePlacement::IgnitionPoint => {
            Arc::new(moved(base, place.x_m, place.y_m)?)
        }
        _ => base.clone(),
    })
}

/// `base` with its outdoor lethality zeroed downwind of `x_m` (`None`: nothing to zero).
fn clipped(base: &Footprint, x_m: f64) -> Result<Option<Footprint>> {
    let shape = match &base.outdoor {
        Shape::Band(b) => {
            if b.corners()[1].0 <= x_m {
                return Ok(None);
            }
            let w = b
                .half_width_m
                .iter()
                .enumerate()
                .map(|(i, &w)| {
                    if b.x0_m + i as f64 * b.dx_m > x_m {
                        0.0
                    } else {
                        w
                    }
                })
                .collect();
            Shape::Band(BandTable::new(b.x0_m, b.dx_m, w, b.p)?)
        }
        Shape::Directional(t) => {
            if t.corners()[1].0 <= x_m {
                return Ok(None);
            }
            let mut v: Vec<f64> = t.lethality.iter().map(|&p| f64::from(p)).collect();
            for j in 0..t.ny {
                for i in 0..t.nx {
                    if t.x0_m + i as f64 * t.dx_m > x_m {
                        v[j * t.nx + i] = 0.0;
                    }
                }
            }
            Shape::Directional(DirectionalTable::new(
                t.x0_m, t.y0_m, t.dx_m, t.dy_m, t.nx, t.ny, v,
            )?)
        }
        _ => return Ok(None),
    };
    Footprint::new(shape, base.hazard).map(Some)
}

/// `base` (centred at the release point) moved to local (x, y): a directional raster of
/// [`N_SHIFTED`]² nodes over the square of its reach around (x, y).
fn moved(base: &Footprint, x: f64, y: f64) -> Result<Footprint> {
    let r = base.reach_m();
    if r <= 0.0 || (x == 0.0 && y == 0.0) {
        return Ok(base.clone());
    }
    let d = 2.0 * r / (N_SHIFTED - 1) as f64;
    let sample = |s: &Shape| -> Result<Shape> {
        let mut v = Vec::with_capacity(N_SHIFTED * N_SHIFTED);
        for j in 0..N_SHIFTED {
            for i in 0..N_SHIFTED {
                let (dx, dy) = (-r + i as f64 * d, -r + j as f64 * d);
                v.push(s.lethality(dx, dy));
            }
        }
        Ok(Shape::Directional(DirectionalTable::new(
            x - r,
            y - r,
            d,
            d,
            N_SHIFTED,
            N_SHIFTED,
            v,
        )?))
    };
    let f = Footprint::new(sample(&base.outdoor)?, base.hazard)?;
    match &base.indoor {
        Some(s) => f.with_indoor(sample(s)?),
        None => Ok(f),
    }
}

/// One placed outcome: outcome index, direction index, probability of the place given the
/// release and the direction, and the footprint (downwind frame of the release point).
#[derive(Debug, Clone)]
pub struct PlacedOutcome {
    /// Outcome index within the event.
    pub outcome: usize,
    /// Direction index within the weather class's sector list.
    pub sector: usize,
    /// Probability of this place of ignition (or of no ignition) given the direction.
    pub probability: f64,
    /// The footprint.
    pub footprint: Arc<Footprint>,
}

/// What the placed outcomes of one event under one weather class start from: the cloud and
/// each outcome's footprint at the release point. Shared by every release point of one release
/// class of a linear source (they have the same consequences).
#[derive(Debug, Clone)]
pub struct PlacementBasis {
    cloud: FlammableCloud,
    bases: Vec<Arc<Footprint>>,
    heat_of_combustion_j_kg: Option<f64>,
}

impl PlacementBasis {
    /// The basis of `outcomes` (index, outcome: the event's outcomes with
    /// `delayed_by_direction`) of the event of `ctx` under `w`. The footprints of VCEs on
    /// congested regions are not built (their energy comes from the regions' volumes).
    ///
    /// # Errors
    /// Those of the consequence models.
    pub fn new(
        ctx: &ScenarioContext<'_>,
        w: &WeatherClass,
        outcomes: &[(usize, &Outcome)],
        vce: VcePlacement,
    ) -> Result<PlacementBasis> {
        let cloud = FlammableCloud::new(ctx, w, outcomes)?;
        let empty = Arc::new(Footprint::new(Shape::circle(0.0, 0.0)?, Hazard::Explosion)?);
        let mut regions_used = false;
        let bases = outcomes
            .iter()
            .map(|(_, o)| {
                if matches!(o.spec, OutcomeSpec::Vce(_)) && vce == VcePlacement::CongestedRegions {
                    regions_used = true;
                    Ok(empty.clone())
                } else {
                    footprint_for(&o.spec, w, ctx).map(Arc::new)
                }
            })
            .collect::<Result<_>>()?;
        let heat_of_combustion_j_kg = if regions_used {
            Some(ctx.substance.heat_of_combustion_j_kg()?)
        } else {
            None
        };
        Ok(PlacementBasis {
            cloud,
            bases,
            heat_of_combustion_j_kg,
        })
    }
}

/// The placed outcomes of one event under one weather class (see the module docs): `outcomes`
/// (index, outcome) as given to [`PlacementBasis::new`] for `basis`; `directions` the downwind
/// unit vectors of the weather class's sectors; `origin` the release point (world); `sources`
/// and `regions` the study's ignition sources (as points) and congested regions; `p_max` the
/// probability of ignition at the maximum extent of a cloud that passed every source.
///
/// # Errors
/// Those of the blast models.
#[allow(clippy::too_many_arguments)]
pub fn placed_outcomes(
    basis: &PlacementBasis,
    outcomes: &[(usize, &Outcome)],
    directions: &[(f64, f64)],
    origin: [f64; 2],
    sources: &[SourcePoint],
    regions: &[CongestedRegion],
    p_max: f64,
    vce: VcePlacement,
) -> Result<Vec<PlacedOutcome>> {
    let cloud = &basis.cloud;
    let samples = if basis.heat_of_combustion_j_kg.is_some() {
        RegionSamples::of(regions)
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for (k, &dir) in directions.iter().enumerate() {
        let di = cloud.delayed_ignition(sources, origin, dir, p_max);
        let coverage = cloud.region_coverage(&samples, origin, dir);
        // Places with the same covered parts share one blast footprint.
        let mut blasts: Vec<(Vec<CoveredRegion>, Arc<Footprint>)> = Vec::new();
        for ((oi, o), base) in outcomes.iter().zip(&basis.bases) {
            if o.branch == Branch::NoIgnition {
                if di.none > 0.0 {
                    out.push(PlacedOutcome {
                        outcome: *oi,
                        sector: k,
                        probability: di.none,
                        footprint: base.clone(),
                    });
                }
                continue;
            }
            for place in &di.places {
                let fp = match (&o.spec, vce, basis.heat_of_combustion_j_kg) {
                    (OutcomeSpec::Vce(_), VcePlacement::CongestedRegions, Some(hc)) => {
                        let covered = covered_at(&coverage, place);
                        match blasts.iter().find(|(c, _)| *c == covered) {
                            Some((_, f)) => f.clone(),
                            None => {
                                let f = Arc::new(congested_blast_footprint(regions, &covered, hc)?);
                                blasts.push((covered, f.clone()));
                                f
                            }
                        }
                    }
                    _ => ignited_footprint(&o.spec, base, place, vce)?,
                };
                if fp.reach_m() <= 0.0 {
                    continue;
                }
                out.push(PlacedOutcome {
                    outcome: *oi,
                    sector: k,
                    probability: place.probability,
                    footprint: fp,
                });
            }
        }
    }
    Ok(out)
}
