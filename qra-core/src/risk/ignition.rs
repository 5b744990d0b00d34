//! Delayed ignition by the Purple Book method: ignition sources, the probability that a cloud
//! passing over them ignites, and where.
//!
//! # Model (CPR 18E Purple Book 1999, ch. 4, §4.5 \[M\], as transcribed in the project's reference
//! notes, standards.md §4.2: the book could not be read)
//! * One source present in the flammable cloud for a time t ignites it with
//!   P(t) = p_present·(1 − e^{−ω·t}), where ω follows from the tabulated probability of ignition
//!   within one minute: p_1min = 1 − e^{−60 s·ω}, ω = −ln(1 − p_1min)/60 s.
//! * n independent sources of one entry at one place: P_n(t) = 1 − (1 − P(t))ⁿ (n real for line
//!   and area densities).
//! * The cloud reaches the sources in the order of their downwind distance (the front of a plume,
//!   or a drifting puff, advances downwind). The cloud ignites at source k with probability
//!   Π_{j<k}(1 − P_j)·P_k; it passes every source unignited with S = Π_j(1 − P_j).
//! * A cloud that passes every source unignited ignites at its maximum extent with probability
//!   p_max (study option `ignition.max_extent_probability`, default 1, or the event's
//!   `delayed_ignition`, [`crate::risk::study::IgnitionSetup`]): S·p_max at the maximum extent,
//!   S·(1 − p_max) no ignition.
//!
//! # Discretisation (qra's choices)
//! Lines are cut into pieces of at most [`SOURCE_SPACING_M`] and areas into square cells of that
//! side (cell centres inside the polygon), each piece carrying the sources of its length or area.
//! Ignitions at consecutive sources are pooled into bins of downwind distance (width given by the
//! caller) at their probability-weighted mean place, so an area source gives a bounded number of
//! ignition places.

use super::study::IgnitionSourceKind;
pub use super::study::SOURCE_SPACING_M;
use crate::geometry::point_in_polygon;

/// Sources at one place (world frame): n sources, each present with `presence` and igniting at
/// rate `omega_per_s` while in the cloud.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourcePoint {
    /// East, m.
    pub x_m: f64,
    /// North, m.
    pub y_m: f64,
    /// Number of sources at the point (real).
    pub n: f64,
    /// Probability that a source is present.
    pub presence: f64,
    /// Ignition rate of a present source, 1/s (`f64::INFINITY` for p_1min = 1).
    pub omega_per_s: f64,
}

/// ω = −ln(1 − p_1min)/60 s (∞ for p_1min = 1), 1/s.
pub fn omega_per_s(p_1min: f64) -> f64 {
    if p_1min >= 1.0 {
        f64::INFINITY
    } else {
        -(-p_1min).ln_1p() / 60.0
    }
}

impl SourcePoint {
    /// Probability that the sources of this point ignite a cloud that covers them for `t_s`:
    /// 1 − (1 − p_present·(1 − e^{−ωt}))ⁿ.
    pub fn ignition_probability(&self, t_s: f64) -> f64 {
        if t_s <= 0.0 || self.n <= 0.0 {
            return 0.0;
        }
        let one = if self.omega_per_s.is_infinite() {
            self.presence
        } else {
            self.presence * -(-self.omega_per_s * t_s).exp_m1()
        };
        if one >= 1.0 {
            return 1.0;
        }
        -(self.n * (-one).ln_1p()).exp_m1()
    }
}

/// The source points of the study's `[[ignition.sources]]` (see the module docs), in entry
/// order.
pub fn source_points(sources: &[IgnitionSourceKind]) -> Vec<SourcePoint> {
    let mut out = Vec::new();
    for s in sources {
        let (p_1min, presence) = s.probabilities();
        let omega = omega_per_s(p_1min);
        let mut push = |x_m: f64, y_m: f64, n: f64| {
            if n > 0.0 {
                out.push(SourcePoint {
                    x_m,
                    y_m,
                    n,
                    presence,
                    omega_per_s: omega,
                })
            }
        };
        match s {
            IgnitionSourceKind::Point {
                x_m, y_m, number, ..
            } => push(*x_m, *y_m, *number),
            IgnitionSourceKind::Line {
                points,
                sources_per_km,
                ..
            } => {
                for w in points.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    let len = (b[0] - a[0]).hypot(b[1] - a[1]);
                    let k = (len / SOURCE_SPACING_M).ceil().max(1.0) as usize;
                    for i in 0..k {
                        let t = (i as f64 + 0.5) / k as f64;
                        push(
                            a[0] + t * (b[0] - a[0]),
                            a[1] + t * (b[1] - a[1]),
                            sources_per_km * len / k as f64 / 1000.0,
                        );
                    }
                }
            }
            IgnitionSourceKind::Area {
                polygon,
                sources_per_km2,
                ..
            } => {
                let h = SOURCE_SPACING_M;
                let n_cell = sources_per_km2 * h * h / 1e6;
                let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
                for p in polygon {
                    x0 = x0.min(p[0]);
                    x1 = x1.max(p[0]);
                    y0 = y0.min(p[1]);
                    y1 = y1.max(p[1]);
                }
                let (nx, ny) = (
                    ((x1 - x0) / h).ceil() as usize,
                    ((y1 - y0) / h).ceil() as usize,
                );
                for j in 0..ny {
                    for i in 0..nx {
                        let (x, y) = (x0 + (i as f64 + 0.5) * h, y0 + (j as f64 + 0.5) * h);
                        if point_in_polygon(x, y, polygon) {
                            push(x, y, n_cell);
                        }
                    }
                }
            }
        }
    }
    out
}

/// One place where the cloud ignites, in the downwind frame of the release point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IgnitionPlace {
    /// Downwind distance, m.
    pub x_m: f64,
    /// Crosswind distance, m.
    pub y_m: f64,
    /// Probability (given the release and the wind direction).
    pub probability: f64,
    /// Whether this is the ignition at the cloud's maximum extent.
    pub at_max_extent: bool,
}

/// Where and with what probability a cloud ignites ([`passage`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DelayedIgnition {
    /// Ignition places: at sources (downwind order), then at the maximum extent.
    pub places: Vec<IgnitionPlace>,
    /// Probability that the cloud never ignites.
    pub none: f64,
}

/// The passage of a cloud over the sources it covers (see the module docs).
///
/// `covered`: (downwind x, crosswind y, P_n) of each source point inside the cloud, in any
/// order; `max_extent`: the place of ignition at the maximum extent; `p_max`: its probability
/// for a cloud that passed every source; `bin_m` (> 0): width of the downwind bins in which
/// ignitions are pooled.
pub fn passage(
    mut covered: Vec<(f64, f64, f64)>,
    max_extent: (f64, f64),
    p_max: f64,
    bin_m: f64,
) -> DelayedIgnition {
    covered.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut places: Vec<IgnitionPlace> = Vec::new();
    let mut bins: Vec<i64> = Vec::new();
    let mut survive = 1.0;
    for (x, y, p) in covered {
        let q = survive * p.clamp(0.0, 1.0);
        survive *= 1.0 - p.clamp(0.0, 1.0);
        if q <= 0.0 {
            continue;
        }
        let bin = (x / bin_m).floor() as i64;
        match (places.last_mut(), bins.last()) {
            (Some(pl), Some(&b)) if b == bin => {
                let tot = pl.probability + q;
                pl.x_m = (pl.x_m * pl.probability + x * q) / tot;
                pl.y_m = (pl.y_m * pl.probability + y * q) / tot;
                pl.probability = tot;
            }
            _ => {
                places.push(IgnitionPlace {
                    x_m: x,
                    y_m: y,
                    probability: q,
                    at_max_extent: false,
                });
                bins.push(bin);
            }
        }
    }
    let at_max = survive * p_max;
    if at_max > 0.0 {
        places.push(IgnitionPlace {
            x_m: max_extent.0,
            y_m: max_extent.1,
            probability: at_max,
            at_max_extent: true,
        });
    }
    DelayedIgnition {
        places,
        none: survive * (1.0 - p_max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::EXACT;
    use approx::assert_relative_eq;

    /// p_1min = 0.4 (a motor vehicle in the Purple Book's table \[M\]): ω = −ln 0.6/60
    /// = 8.5138e-3 /s; present with 0.5 for 120 s: P = 0.5·(1 − 0.6²) = 0.32; 3 such sources:
    /// 1 − 0.68³ = 0.685568.
    #[test]
    fn ignition_probability_of_sources() {
        assert_relative_eq!(
            omega_per_s(0.4),
            -(0.6f64.ln()) / 60.0,
            max_relative = EXACT
        );
        let mut s = SourcePoint {
            x_m: 0.0,
            y_m: 0.0,
            n: 1.0,
            presence: 0.5,
            omega_per_s: omega_per_s(0.4),
        };
        assert_relative_eq!(s.ignition_probability(120.0), 0.32, max_relative = 1e-12);
        s.n = 3.0;
        assert_relative_eq!(
            s.ignition_probability(120.0),
            0.685568,
            max_relative = 1e-12
        );
        s.omega_per_s = omega_per_s(1.0);
        s.n = 1.0;
        assert_relative_eq!(s.ignition_probability(1.0), 0.5, max_relative = EXACT);
    }

    /// Two sources in the cloud, P = 0.5 at x = 50 m and 0.2 at x = 120 m, p_max = 1:
    /// 0.5 at 50 m, 0.5·0.2 = 0.1 at 120 m, 0.5·0.8 = 0.4 at the maximum extent, none 0.
    #[test]
    fn passage_in_downwind_order() {
        let d = passage(
            vec![(120.0, 5.0, 0.2), (50.0, 0.0, 0.5)],
            (200.0, 0.0),
            1.0,
            10.0,
        );
        let got: Vec<(f64, f64, f64, bool)> = d
            .places
            .iter()
            .map(|p| (p.x_m, p.y_m, p.probability, p.at_max_extent))
            .collect();
        assert_eq!(
            got,
            vec![
                (50.0, 0.0, 0.5, false),
                (120.0, 5.0, 0.1, false),
                (200.0, 0.0, 0.4, true)
            ]
        );
        assert_eq!(d.none, 0.0);
        // p_max = 0.25: 0.1 at the maximum extent, 0.3 never.
        let d = passage(
            vec![(120.0, 5.0, 0.2), (50.0, 0.0, 0.5)],
            (200.0, 0.0),
            0.25,
            10.0,
        );
        assert_relative_eq!(d.places[2].probability, 0.1, max_relative = EXACT);
        assert_relative_eq!(d.none, 0.3, max_relative = EXACT);
    }

    proptest::proptest! {
        /// The places' probabilities and `none` partition the delayed branch: they sum to 1,
        /// whatever the sources and p_max, and each lies in [0, 1].
        #[test]
        fn passage_conserves_probability(
            covered in proptest::collection::vec((0.0..500.0f64, -50.0..50.0f64, 0.0..=1.0f64), 0..20),
            p_max in 0.0..=1.0f64,
            bin in 1.0..50.0f64,
        ) {
            let d = passage(covered, (100.0, 0.0), p_max, bin);
            let total: f64 = d.places.iter().map(|p| p.probability).sum::<f64>() + d.none;
            proptest::prop_assert!((total - 1.0).abs() < 1e-12);
            for p in &d.places {
                proptest::prop_assert!((0.0..=1.0).contains(&p.probability));
            }
        }
    }

    /// A 100 m line along x at 10 sources/km gives 10 points of 0.1 source; a 20 m × 20 m area at
    /// 10⁴/km² gives 4 cells of 1 source.
    #[test]
    fn lines_and_areas_are_discretised() {
        let pts = source_points(&[
            IgnitionSourceKind::Line {
                points: vec![[0.0, 0.0], [100.0, 0.0]],
                sources_per_km: 10.0,
                id: "road".into(),
                p_1min: 0.4,
                presence: 1.0,
            },
            IgnitionSourceKind::Area {
                polygon: vec![[0.0, 0.0], [20.0, 0.0], [20.0, 20.0], [0.0, 20.0]],
                sources_per_km2: 1e4,
                id: "town".into(),
                p_1min: 0.01,
                presence: 1.0,
            },
        ]);
        assert_eq!(pts.len(), 14);
        let line: f64 = pts[..10].iter().map(|p| p.n).sum();
        assert_relative_eq!(line, 1.0, max_relative = 1e-12);
        assert_relative_eq!(pts[0].x_m, 5.0, max_relative = EXACT);
        for p in &pts[10..] {
            assert_relative_eq!(p.n, 1.0, max_relative = 1e-12);
        }
    }
}
