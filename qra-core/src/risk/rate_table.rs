//! Footprints of SLAB-class plumes tabulated on the release rate (issue 14: "dense-gas
//! solutions tabulated on their dimensionless parameters where exact enough").
//!
//! A SLAB-class plume ([`crate::dispersion::SlabPlume`]) is an ODE integration, ~0.3–0.4 ms
//! each: in the physical park-1000 study 4 500 of them for flash fires (a quarter of its
//! single-thread time) and 1 500 for toxic clouds, with their footprints (the toxic rasters)
//! another quarter. For one installation's release conditions (substance, exit state, weather,
//! averaging time, duration, level or probit) a footprint depends on the release rate q alone
//! and smoothly, so it is computed exactly at node rates q_k = 10^(k/K) and read between the
//! two nodes around q, at the same fractions of two scales — the downwind reach R and a
//! crosswind scale W, both log-linear in ln q:
//!
//! - **Flash-fire envelopes** (`consequence::flash`, K = [`NODES_PER_DECADE`] = 8): a band, the
//!   half-width w(x) of the LFL iso-line at `n` = 160 points over x ∈ [0, R]; W = max w; the
//!   shape w/W linear in ln q ([`Blend::Linear`]).
//! - **Toxic lethality rasters** (`consequence::toxic`, K = 16): 160 × 81 lethalities over
//!   x ∈ [0, R], y ∈ [−W, W] (R the axis distance and W the widest half-width at `P_MIN`),
//!   blended in probit units ([`Blend::Probit`]: the probit is linear in ln C, and ln C
//!   smooth in ln q).
//!
//! Tolerances, measured on sweeps of releases between the nodes (release build, 6 weather
//! classes B 3, D 1.5, D 5, D 9, E 5, F 1.5; two-phase releases at 20 °C):
//!
//! | footprint | sweep | differences from the footprint computed for the release |
//! |---|---|---|
//! | flash fire | propane, propylene, ammonia; 36 rates 0.05–200 kg/s; 647 envelopes (`tabulated_flash_bands_sweep`) | reach ≤ 0.078 %, widest half-width ≤ 0.13 %, any half-width short of the closing tip (x ≤ 0.95·R) ≤ 0.37 % of the widest, area between the envelopes ≤ 0.14 % of the envelope's (worst: ammonia envelopes a few metres long; propane ≤ 0.05 %) |
//! | toxic | chlorine, ammonia; 24 rates 0.05–200 kg/s, 600 s; 288 rasters (`tabulated_toxic_rasters_sweep`) | lethality at any point ≤ 0.038 absolute (median of the rasters' maxima 7·10⁻⁴), ∫P dA ≤ 0.045 %, axis distance to 1 % lethality ≤ 1.6 % and to 10⁻⁶ ≤ 1.1 % (within a raster column: 1/159 of R); in every case below the computed raster's own largest difference from the model at a point (median 0.53: the raster's resolution near the source and the edges) |
//!
//! `make test` checks subsets of both (`tabulated_flash_bands_match_the_exact_ones`,
//! `tabulated_toxic_rasters_match_the_computed_ones`). Results are not bit for bit those of the
//! footprint computed for each release; they are the same bits for every thread count and
//! order of evaluation (each node is a pure function of its key, computed once and shared).
//! Where the table does not apply (a pool's vapour, instantaneous releases, clouds not classed
//! dense, the Britter–McQuaid option, a flash-fire release too short for a steady envelope) the
//! footprint is computed for the release as before.
//!
//! The nodes are kept in a cache bounded to [`MAX_CACHED_SAMPLES`] samples (32 MB; emptied
//! when a new node would find it over the bound) and emptied when a run's footprints are built
//! ([`clear_cache`]); entries are pure values, so emptying it changes only the time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Node rates per decade of the release rate (flash-fire envelopes).
pub const NODES_PER_DECADE: f64 = 8.0;
/// Bound on the samples the cache holds (8 bytes each: 32 MB; a band node has 160 samples, a
/// toxic raster node 160 × 81 = 12 960, so ~320 toxic nodes): a study whose installations
/// differ in their release conditions cannot grow it without limit.
pub const MAX_CACHED_SAMPLES: usize = 4 << 20;

/// Samples held by the cache's built nodes (reset when it is emptied).
static CACHED_SAMPLES: AtomicUsize = AtomicUsize::new(0);

/// The exact footprint samples at a node rate, relative to two scales.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBand {
    /// The downwind reach R the sample positions scale with, m (> 0): samples at
    /// x = (j/(n − 1))·R (the first as `consequence::band` places it).
    pub reach_m: f64,
    /// The crosswind scale W, m (> 0): a band's widest half-width (its samples are w/W), a
    /// raster's half-width (its rows at y = W·(2i/(n_y − 1) − 1)).
    pub width_m: f64,
    /// The samples: a band's half-widths over W; a raster's lethalities, row-major.
    pub samples: Vec<f64>,
    /// The largest along-wind passage spread σ_t over the samples, s (to decide where a
    /// finite duration leaves the steady footprint unchanged; 0 where it does not apply).
    pub passage_spread_max_s: f64,
}

/// How the samples of two nodes are blended at the same fractions of their scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blend {
    /// Linear in ln q (a band's shape w/W).
    Linear,
    /// Lethalities P blended in probit units, Y = 5 + Φ⁻¹(P) linear in ln q (a toxic raster:
    /// ln C, hence Y, varies smoothly with ln q); a sample below `P_MIN` (stored 0) counts as
    /// Y(P_MIN), 1 as Y = 14 (Φ(9) = 1 in double precision), a blend below `P_MIN` is stored 0,
    /// two 0s stay 0 and two 1s stay 1. Φ from its table
    /// ([`crate::vulnerability::probit_to_probability_tabulated`]).
    Probit,
}

/// A footprint read from the table at one rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpolated {
    /// Reach R, m.
    pub reach_m: f64,
    /// Crosswind scale W, m.
    pub width_m: f64,
    /// The samples at the nodes' positions relative to R and W.
    pub samples: Vec<f64>,
    /// The larger of the two nodes' [`NodeBand::passage_spread_max_s`], s.
    pub passage_spread_max_s: f64,
}

type Slot = Arc<OnceLock<Option<Arc<NodeBand>>>>;

fn cache() -> &'static Mutex<HashMap<(String, i32), Slot>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, i32), Slot>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Empties the cache (its entries are pure values: only the time of a later lookup changes).
/// The engine calls it when a run's footprints are built, so that the nodes' memory is not
/// held through the rest of the run nor after it.
pub fn clear_cache() {
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    map.clear();
    CACHED_SAMPLES.store(0, Ordering::Relaxed);
}

/// The node rate q_k = 10^(k/K), kg/s, for K = [`NODES_PER_DECADE`].
pub fn node_rate_kg_s(k: i32) -> f64 {
    node_value(k, NODES_PER_DECADE)
}

/// The node value 10^(k/`per_decade`).
fn node_value(k: i32, per_decade: f64) -> f64 {
    10f64.powf(k as f64 / per_decade)
}

/// The node `k` of the conditions `key`, built by `build(q_k)` on first use (`None` when the
/// build has no footprint there).
fn node(
    key: &str,
    k: i32,
    per_decade: f64,
    build: &impl Fn(f64) -> Option<NodeBand>,
) -> Option<Arc<NodeBand>> {
    let slot = {
        // A poisoned lock only means another thread panicked while holding it; the map of
        // pure values is still valid.
        let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
        if CACHED_SAMPLES.load(Ordering::Relaxed) >= MAX_CACHED_SAMPLES {
            // Nodes in use elsewhere stay alive through their `Arc`s.
            map.clear();
            CACHED_SAMPLES.store(0, Ordering::Relaxed);
        }
        map.entry((key.to_owned(), k)).or_default().clone()
    };
    // Built outside the lock; a second thread asking for the same node waits for this one.
    slot.get_or_init(|| {
        let n = build(node_value(k, per_decade))?;
        CACHED_SAMPLES.fetch_add(n.samples.len(), Ordering::Relaxed);
        Some(Arc::new(n))
    })
    .clone()
}

/// The band at rate `rate_kg_s` read from the nodes around it (module docs, [`Blend::Linear`],
/// [`NODES_PER_DECADE`]), or `None` where the table does not apply: a rate outside
/// [10⁻⁶, 10⁶] kg/s, a node without a footprint, or nodes of different sample counts. `key`
/// names everything but the rate the band depends on; `build(q)` is the exact band at rate q.
pub fn band_at(
    key: &str,
    rate_kg_s: f64,
    build: impl Fn(f64) -> Option<NodeBand>,
) -> Option<Interpolated> {
    table_at(key, rate_kg_s, Blend::Linear, NODES_PER_DECADE, build)
}

/// The samples at rate `rate_kg_s` from `per_decade` nodes per decade, blended as `blend`
/// says; `None` as for [`band_at`].
pub fn table_at(
    key: &str,
    rate_kg_s: f64,
    blend: Blend,
    per_decade: f64,
    build: impl Fn(f64) -> Option<NodeBand>,
) -> Option<Interpolated> {
    if !(1e-6..=1e6).contains(&rate_kg_s) {
        return None;
    }
    // The node at or below the rate, exactly: q_k ≤ q < q_{k+1}.
    let q = |k: i32| node_value(k, per_decade);
    let mut k = (rate_kg_s.log10() * per_decade).floor() as i32;
    while q(k) > rate_kg_s {
        k -= 1;
    }
    while q(k + 1) <= rate_kg_s {
        k += 1;
    }
    let key = format!("{key}|{per_decade:?}");
    // Lethalities are kept as probits (module docs of `Blend::Probit`), converted once per
    // node: 0 as −∞ and 1 as +∞.
    let build = |q: f64| {
        let mut n = build(q)?;
        if blend == Blend::Probit {
            for p in &mut n.samples {
                *p = match *p {
                    v if v <= 0.0 => f64::NEG_INFINITY,
                    v if v >= 1.0 => f64::INFINITY,
                    v => 5.0 + crate::vulnerability::thermal::inverse_normal_cdf(v),
                };
            }
        }
        Some(n)
    };
    let (a, b) = (
        node(&key, k, per_decade, &build)?,
        node(&key, k + 1, per_decade, &build)?,
    );
    let n = a.samples.len();
    let positive = |v: f64| v > 0.0 && v.is_finite();
    if n != b.samples.len()
        || n == 0
        || ![a.reach_m, b.reach_m, a.width_m, b.width_m]
            .into_iter()
            .all(positive)
    {
        return None;
    }
    let (la, lb) = (q(k).ln(), q(k + 1).ln());
    let t = ((rate_kg_s.ln() - la) / (lb - la)).clamp(0.0, 1.0);
    let log_lerp = |u: f64, v: f64| (u.ln() + t * (v.ln() - u.ln())).exp();
    let samples = match blend {
        Blend::Linear => a
            .samples
            .iter()
            .zip(&b.samples)
            .map(|(&u, &v)| u + t * (v - u))
            .collect(),
        Blend::Probit => {
            let p_min = crate::vulnerability::P_MIN;
            let y_min = 5.0 + crate::vulnerability::thermal::inverse_normal_cdf(p_min);
            // Φ(9) is 1 in double precision: +∞ (a lethality of 1) blends as 14.
            let finite = |y: f64| y.clamp(y_min, 14.0);
            a.samples
                .iter()
                .zip(&b.samples)
                .map(|(&u, &v)| {
                    if u == v && u.is_infinite() {
                        return if u > 0.0 { 1.0 } else { 0.0 };
                    }
                    let (yu, yv) = (finite(u), finite(v));
                    let p =
                        crate::vulnerability::probit_to_probability_tabulated(yu + t * (yv - yu));
                    if p >= p_min {
                        p.min(1.0)
                    } else {
                        0.0
                    }
                })
                .collect()
        }
    };
    Some(Interpolated {
        reach_m: log_lerp(a.reach_m, b.reach_m),
        width_m: log_lerp(a.width_m, b.width_m),
        samples,
        passage_spread_max_s: a.passage_spread_max_s.max(b.passage_spread_max_s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A band family with a known closed form: R = 30·q^0.45, w(x) = 0.2·R·√(ξ(1 − ξ))·q^0.05.
    fn closed_form(q: f64) -> NodeBand {
        let r = 30.0 * q.powf(0.45);
        let widths_m: Vec<f64> = (0..160)
            .map(|j| {
                let xi = j as f64 / 159.0;
                0.2 * r * (xi * (1.0 - xi)).sqrt() * q.powf(0.05)
            })
            .collect();
        let widest = widths_m.iter().fold(0.0f64, |m, &v| m.max(v));
        NodeBand {
            reach_m: r,
            width_m: widest,
            samples: widths_m.iter().map(|w| w / widest).collect(),
            passage_spread_max_s: q,
        }
    }

    #[test]
    fn power_laws_are_read_exactly_between_nodes() {
        // ln R and ln W are linear in ln q and the shape does not change: the table is exact
        // (to rounding) for this family — a check of the node bracketing and the weights.
        for &q in &[0.013, 1.0, 2.7, 49.04, 1234.5] {
            let got = band_at("closed-form-test", q, |q| Some(closed_form(q))).expect("in range");
            let want = closed_form(q);
            assert!((got.reach_m / want.reach_m - 1.0).abs() < 1e-12, "{q}");
            assert!((got.width_m / want.width_m - 1.0).abs() < 1e-12, "{q}");
            for (g, w) in got.samples.iter().zip(&want.samples) {
                assert!((g - w).abs() <= 1e-12, "{q}: {g} vs {w}");
            }
            // The larger node's spread: q_{k+1} > q ≥ q_k.
            assert!(got.passage_spread_max_s > q && got.passage_spread_max_s <= q * 1.34);
        }
    }

    #[test]
    fn out_of_range_rates_and_empty_nodes_fall_back() {
        assert!(band_at("closed-form-test", 0.0, |q| Some(closed_form(q))).is_none());
        assert!(band_at("closed-form-test", 2e6, |q| Some(closed_form(q))).is_none());
        assert!(band_at("empty-test", 1.0, |_| None).is_none());
    }

    /// Nodes of 2²⁰ samples each: the cache never holds more than the bound allows (other
    /// tests may add or empty it meanwhile, which only lowers the count).
    #[test]
    fn the_cache_holds_a_bounded_number_of_samples() {
        let big = |q: f64| {
            Some(NodeBand {
                reach_m: 1.0,
                width_m: 1.0,
                samples: vec![q; 1 << 20],
                passage_spread_max_s: 0.0,
            })
        };
        for k in 0..12 {
            assert!(band_at("bound-test", node_rate_kg_s(k) * 1.01, big).is_some());
        }
        let held = cache()
            .lock()
            .unwrap()
            .keys()
            .filter(|(key, _)| key.starts_with("bound-test"))
            .count();
        assert!(
            held <= MAX_CACHED_SAMPLES / (1 << 20) + 1,
            "{held} nodes held"
        );
    }

    #[test]
    fn node_rates_bracket_every_rate() {
        for i in 0..2000 {
            let q = 10f64.powf(-5.9 + 11.8 * i as f64 / 1999.0);
            let mut k = (q.log10() * NODES_PER_DECADE).floor() as i32;
            while node_rate_kg_s(k) > q {
                k -= 1;
            }
            while node_rate_kg_s(k + 1) <= q {
                k += 1;
            }
            assert!(node_rate_kg_s(k) <= q && q < node_rate_kg_s(k + 1));
        }
    }
}
