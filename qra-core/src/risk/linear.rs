//! Linear sources: pipelines and transport routes (road / rail tanker) as polylines with per-km
//! event frequencies, discretised into release points that feed the same IR grid, F-N and PLL as
//! the installations of a study; IR transects and societal risk per km.
//!
//! # Model
//! A linear source of length L carries release classes c (rupture, hole sizes, tanker accident with
//! release) with frequencies f_c per km per year. Every release is equally likely anywhere on the
//! line, so the individual risk at a point P is the line integral (CCPS 2000, *Guidelines for
//! Chemical Process Quantitative Risk Analysis*, 2nd ed., §4.4 "linear sources" \[M\]; Purple Book,
//! CPR 18E 1999, ch. 3 transport / pipelines \[M\]):
//!
//! IR(P) = Σ_c Σ_O Σ_M Σ_φ (f_c / 1000) · P_O · P_M · P_φ · ∫_0^L P_d(P − r(s)) ds,
//!
//! with r(s) the point at chainage s (m). For a circular footprint of radius R and lethality P
//! inside, the integral is P times the **interaction length** — the length of line from which a
//! release reaches P (IGEM/TD/2 ed. 2, 2013, "interaction distance/length" \[M\]):
//! L_int(d) = 2·√(R² − d²) for a point at perpendicular distance d < R from a straight line, so
//! IR(d) = f_c/1000 · P · 2·√(R² − d²) (see [`interaction_length_m`], [`analytic_transect`]).
//!
//! # Discretisation and convergence
//! The line is cut into pieces of length ≤ Δs (each segment between vertices into
//! n = ⌈ℓ/Δs⌉ equal pieces) and one release point is placed at the centre of each piece with the
//! frequency f_c · ℓ_piece / 1000 (midpoint rule: the total frequency f_c·L/1000 is kept exactly).
//! Each release point becomes an installation `"<id>#<k>"` with events `"<id>/<class>#<k>"`, so the
//! release points take part in the grid, targets, F-N, PLL and contributions like any installation.
//! Footprints are computed once per (class, outcome, weather) and shared by all release points.
//!
//! Convergence: for a circular footprint the discrete sum counts the release points inside the
//! chord of length L_int(d); its error is at most one point, i.e. a relative error
//! ≤ Δs / L_int(d) (≤ Δs/(2R) on the line). Δs ≤ R/10 for the smallest footprint that matters keeps
//! the on-line error ≤ 5 %; the test `linear_transect_matches_analytic` checks that the error
//! shrinks with Δs. Default Δs = min(10 m, grid resolution) — small against the reaches of
//! transmission-pipeline and tanker scenarios (tens to hundreds of metres).
//!
//! # Societal risk per km
//! Dutch and UK practice judges pipeline societal risk per kilometre: the F-N curve of the releases
//! from the worst 1-km stretch, compared with a per-km criterion (NL: Besluit externe veiligheid
//! buisleidingen 2011 / Handleiding risicoberekeningen Bevb, oriëntatiewaarde F = 10⁻²/N² per km per
//! year \[M\]; UK: IGEM/TD/2 FN criteria per km \[M\]; Schork et al. 2012, *Pipeline & Gas Journal*
//! 239(10), "Societal risk criteria and pipelines": F on a per-length basis). [`societal_per_km`]
//! slides a window of `window_m` along the line in steps of `step_m`; the worst stretch is the one
//! with the largest max_N F(N)·N² (the ratio to a 10⁻²/N² line, times 10⁻²).

use serde::Serialize;

use super::engine::{fn_curve_of, scenario_cases, FnPoint, RiskResult};
use super::scenario::SourceOrigin;
use super::study::Study;
use crate::error::{QraError, Result};

// The schema of linear sources lives with the study schema; re-exported here where users look.
pub use super::study::{
    LinearKind, LinearRelease, Pipeline, ReleasePoint, DEFAULT_SPACING_M, MAX_RELEASE_POINTS,
    MAX_VERTICES,
};

fn find<'a>(study: &'a Study, id: &str) -> Result<&'a Pipeline> {
    study.pipelines.iter().find(|p| p.id == id).ok_or_else(|| {
        QraError::unknown(
            "pipeline",
            id,
            study.pipelines.iter().map(|p| p.id.as_str()),
        )
    })
}

/// Release-point installation index range of pipeline `id` in the result's model.
/// The installation indices (in `result`) of the release points of linear source `id`, found by
/// their typed origin.
fn model_range(study: &Study, result: &RiskResult, id: &str) -> std::ops::Range<usize> {
    let Some(pi) = study.pipelines.iter().position(|p| p.id == id) else {
        return 0..0;
    };
    let of_line = |o: &SourceOrigin| matches!(o, SourceOrigin::ReleasePoint { pipeline, .. } if *pipeline == pi);
    let origins = &result.model.origins;
    match origins.iter().position(of_line) {
        Some(lo) => {
            lo..origins[lo..]
                .iter()
                .position(|o| !of_line(o))
                .map_or(origins.len(), |n| lo + n)
        }
        None => 0..0,
    }
}

/// Individual risk of pipeline `id` alone along the transect perpendicular to the line at
/// chainage `chainage_m`, at signed distances `distances_m` (positive to the left of the direction
/// of travel), per year (exact point evaluation of the discretised line).
///
/// # Errors
/// Unknown pipeline; non-finite chainage or distances; a chainage outside [0, L].
pub fn transect(
    study: &Study,
    result: &RiskResult,
    id: &str,
    chainage_m: f64,
    distances_m: &[f64],
) -> Result<Vec<f64>> {
    let pl = find(study, id)?;
    let l = pl.length_m();
    if !(chainage_m.is_finite() && (0.0..=l).contains(&chainage_m)) {
        return Err(QraError::invalid(
            "chainage_m",
            chainage_m,
            format!("must be in [0, {l}] (the pipeline length)"),
        ));
    }
    crate::error::check::all_finite("distances_m", distances_m)?;
    let ([x0, y0], [tx, ty]) = pl.at_chainage(chainage_m);
    let range = model_range(study, result, id);
    let model = &result.model;
    let mine: Vec<bool> = model.events.iter().map(|e| range.contains(&e.1)).collect();
    Ok(distances_m
        .iter()
        .map(|&d| {
            let mut by = vec![0.0; model.events.len()];
            model.ir_by_event(x0 - d * ty, y0 + d * tx, &mut by);
            by.iter()
                .zip(&mine)
                .filter(|(_, m)| **m)
                .map(|(v, _)| v)
                .sum()
        })
        .collect())
}

/// Interaction length of a circular footprint of radius `radius_m` for a point at perpendicular
/// distance `distance_m` from a straight line: L = 2·√(R² − d²) for |d| < R, else 0, m
/// (IGEM/TD/2 interaction length \[M\]).
pub fn interaction_length_m(radius_m: f64, distance_m: f64) -> f64 {
    let q = radius_m * radius_m - distance_m * distance_m;
    if q > 0.0 {
        2.0 * q.sqrt()
    } else {
        0.0
    }
}

/// Analytic IR transect of an infinite straight line with frequency `f_per_km_year` and a
/// circular footprint (radius `radius_m`, lethality `p` inside): IR(d) = f/1000 · p · L_int(d),
/// per year (module docs).
///
/// # Errors
/// [`QraError::InvalidInput`] for a negative or non-finite frequency, radius ≤ 0, `p` outside
/// [0, 1] or a non-finite distance.
pub fn analytic_transect(
    f_per_km_year: f64,
    radius_m: f64,
    p: f64,
    distance_m: f64,
) -> Result<f64> {
    use crate::error::check;
    check::non_negative("f_per_km_year", f_per_km_year)?;
    check::positive("radius_m", radius_m)?;
    check::probability("p", p)?;
    check::finite("distance_m", distance_m)?;
    // a radius near f64::MAX overflows the interaction length (then 0·∞ = NaN; issue 21)
    let len = check::finite("radius_m", interaction_length_m(radius_m, distance_m))?;
    Ok(f_per_km_year / 1000.0 * p * len)
}

/// Societal risk of one stretch of a linear source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stretch {
    /// Start chainage, m.
    pub start_m: f64,
    /// End chainage, m.
    pub end_m: f64,
    /// F-N curve of the releases from this stretch, ascending N.
    pub fn_curve: Vec<FnPoint>,
    /// PLL of these releases, fatalities per year.
    pub pll: f64,
    /// max_N F(N)·N², per year (the worst-stretch ranking; ratio to F = 10⁻²/N² times 10⁻²).
    pub fn2_max: f64,
}

/// Societal risk per stretch of pipeline `id`: windows of `window_m` (1000 for "per km") starting
/// every `step_m` from chainage 0 (one window of the whole line if it is shorter), each with the
/// F-N curve of the releases whose release point lies in it. Use [`worst_stretch`] for the worst.
///
/// # Errors
/// Unknown pipeline; `window_m`, `step_m` not > 0; more than 100 000 windows.
pub fn societal_per_km(
    study: &Study,
    result: &RiskResult,
    id: &str,
    window_m: f64,
    step_m: f64,
) -> Result<Vec<Stretch>> {
    let pl = find(study, id)?;
    crate::error::check::positive("window_m", window_m)?;
    crate::error::check::positive("step_m", step_m)?;
    let l = pl.length_m();
    let nwin = if l <= window_m {
        1
    } else {
        // checked in f64 before converting: a tiny step would saturate `as u128` and wrap `+ 1`
        crate::error::check::count_limit(
            "windows",
            ((l - window_m) / step_m).floor() + 1.0,
            100_000,
        )?
    };
    let pts = pl.release_points(pl.spacing(study.grid.resolution_m));
    let range = model_range(study, result, id);
    let model = &result.model;
    // Cases of this pipeline's scenarios only (the population is the study's own).
    let cases = scenario_cases(study, model, |s| range.contains(&s.installation));
    let mut by_point: Vec<Vec<(f64, f64)>> = vec![Vec::new(); pts.len()];
    for (s, cs) in model.scenarios.iter().zip(cases) {
        if range.contains(&s.installation) {
            by_point[s.installation - range.start].extend(cs);
        }
    }
    let mut out = Vec::with_capacity(nwin);
    for w in 0..nwin {
        let (a, b) = if nwin == 1 {
            (0.0, l)
        } else {
            (w as f64 * step_m, w as f64 * step_m + window_m)
        };
        let mut c: Vec<(f64, f64)> = Vec::new();
        let mut pll = 0.0;
        for (pt, cs) in pts.iter().zip(&by_point) {
            if pt.chainage_m >= a && pt.chainage_m < b {
                for &(n, f) in cs {
                    pll += n * f;
                    if n > 0.0 && f > 0.0 {
                        c.push((n, f));
                    }
                }
            }
        }
        let fn_curve = fn_curve_of(c);
        let fn2_max = fn_curve
            .iter()
            .map(|q| q.f_per_year * q.n * q.n)
            .fold(0.0, f64::max);
        out.push(Stretch {
            start_m: a,
            end_m: b,
            fn_curve,
            pll,
            fn2_max,
        });
    }
    Ok(out)
}

/// The stretch with the largest `fn2_max` (earliest on ties), if any.
pub fn worst_stretch(stretches: &[Stretch]) -> Option<&Stretch> {
    stretches
        .iter()
        .reduce(|a, b| if b.fn2_max > a.fn2_max { b } else { a })
}
