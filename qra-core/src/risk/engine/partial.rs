//! Partial runs (distributed execution) and their exact combination.

use std::sync::Arc;

use ndarray::Array2;

use super::merge::*;
use super::model::*;
use super::result::*;
use super::societal::*;
use crate::error::{QraError, Result};
use crate::risk::scenario::ScenarioSet;
use crate::risk::study::Study;

// ---------------------------------------------------------------------------------------------
// Partial runs (distributed execution).

/// The work of a subset of installations, computed on its own (e.g. on a cluster worker) and
/// combined with the others by [`combine`] into a result bit-identical to [`run`](super::run()).
///
/// Why per installation: the engine merges all footprints of one installation before the grid is
/// visited and adds each installation's per-cell contribution once, in installation order (see
/// [`run`](super::run())). The unit of work is therefore the installation (all its events): a partial holds
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
/// As [`run`](super::run()); [`QraError::InvalidInput`] for an installation index out of range.
pub fn run_partial(
    study: &Study,
    opts: &RunOptions,
    installations: &[usize],
) -> Result<PartialRun> {
    study.grid.dims()?;
    // The study's checks (partly parallel) on the run's threads, as `run` does.
    let set = opts.install(|| ScenarioSet::from_study(study))?;
    run_partial_scenarios(&set, opts, installations)
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
        // The sector averages built one installation at a time, as in `run`.
        let model = Model::build_deferred(set, Some(&keep))?;
        let last_use = model.spread_last_use(|i| keep[i]);
        let mut per_scenario: Vec<Vec<(f64, f64)>> = vec![Vec::new(); model.scenarios.len()];
        let g = &study.grid;
        let res = g.resolution_m;
        let xs: Vec<f64> = (0..nx).map(|i| g.x_min_m + i as f64 * res).collect();
        let ys: Vec<f64> = (0..ny).map(|j| g.y_min_m + j as f64 * res).collect();
        let nrays = opts.rays.clamp(4, 3600);
        let mut grids = Vec::new();
        let mut profiles = Vec::new();
        let mut insts = Vec::new();
        // As in `run`: the fused societal sums when the population lies on the grid.
        let pop = PopRows::new(population_points(study, res), res);
        let gpop = pop.on_grid(&xs, &ys, model.rules);
        let mut fused = FusedSums::default();
        for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            let scen: Vec<&Scenario> = model
                .scenarios
                .iter()
                .filter(|s| s.installation == i)
                .collect();
            let slots = model.spread_slots(i..i + 1);
            build_spreads(&slots)?;
            let m = merge_for_grid(&model, i, &scen, &xs, &ys, res, Some(&pop));
            let mut grid = zeros_written(nx * ny);
            let exact = add_to_grid(&m, &mut grid, &xs, &ys, res, gpop.as_ref());
            for &((key, angle), v) in m.raster_sums.iter().chain(&exact) {
                fused.insert((i, key, angle), v);
            }
            profiles.push(profile(&m, &model.installations[i].0, nrays, res));
            grids.push(grid);
            insts.push(i);
            cases_into(&model, &pop, |k| k == i, Some(&fused), &mut per_scenario);
            Model::release_spreads_done(&slots, &last_use, i);
        }
        let cases = model
            .scenarios
            .iter()
            .map(|s| [s.event, s.outcome, s.weather])
            .zip(per_scenario)
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
    opts.install(go)
}

/// Combines partial runs of `study` (together covering every installation exactly once, in any
/// order) into the result [`run`](super::run()) would give — bit for bit: the installation grids are added in
/// installation order, the societal cases folded in scenario order, then targets and
/// contributions are evaluated exactly as in [`run`](super::run()) (this prepares the model, i.e. builds the
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
    // The sector averages are not needed for the sums (the partials hold them); the targets'
    // point values build the ones near them, dropped again below.
    let model = Arc::new(Model::new_deferred(set)?);
    let ninst = model.installations.len();
    let mut grid_of: Vec<Option<&Vec<f64>>> = vec![None; ninst];
    let mut prof_of: Vec<Option<&InstallationProfile>> = vec![None; ninst];
    let mut cases_of: FastMap<[usize; 3], &Vec<(f64, f64)>> = Default::default();
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
    let mut grids: Vec<&[f64]> = Vec::with_capacity(ninst);
    let mut profiles = Vec::with_capacity(ninst);
    for i in 0..ninst {
        let (Some(g), Some(pr)) = (grid_of[i], prof_of[i]) else {
            return Err(QraError::invalid(
                "parts",
                &model.installations[i].0,
                "installation missing from the partial runs",
            ));
        };
        grids.push(g);
        profiles.push(pr.clone());
    }
    let grid = sum_installation_grids(nx, ny, &grids);
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
    let table = scenario_table(set, &model)?;
    let result = finish(
        study,
        Arc::clone(&model),
        table,
        xs,
        ys,
        individual_risk,
        profiles,
        &per_scenario,
    );
    model.release_spreads();
    result
}

/// Header of the binary form of a [`PartialRun`] (format version 2: postcard).
pub(crate) const PARTIAL_MAGIC: &[u8; 8] = b"QRAPART2";

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
        p.check_values()?;
        Ok(p)
    }

    /// Every number of a decoded partial run is in range: IR values and (N, f) cases finite and
    /// ≥ 0, profile positions finite, ray steps finite and > 0. A forged partial run with a NaN
    /// or negative IR used to be accepted by [`combine`] (issue 21).
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] naming the first bad value (`grids[k][i]`, …).
    fn check_values(&self) -> Result<()> {
        use crate::error::check;
        let nonneg = |name: String, v: f64| -> Result<()> {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(QraError::invalid(name, v, "must be finite and >= 0"))
            }
        };
        for (k, g) in self.grids.iter().enumerate() {
            if let Some(i) = g.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
                return nonneg(format!("partial run grids[{k}][{i}]"), g[i]);
            }
        }
        for (k, p) in self.profiles.iter().enumerate() {
            check::finite(&format!("partial run profiles[{k}].x_m"), p.x_m)?;
            check::finite(&format!("partial run profiles[{k}].y_m"), p.y_m)?;
            check::positive(&format!("partial run profiles[{k}].step_m"), p.step_m)?;
            for (r, ray) in p.rays.iter().enumerate() {
                if let Some(i) = ray.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
                    return nonneg(format!("partial run profiles[{k}].rays[{r}][{i}]"), ray[i]);
                }
            }
        }
        for (key, cases) in &self.cases {
            for (j, &(n, f)) in cases.iter().enumerate() {
                nonneg(format!("partial run cases{key:?}[{j}].n"), n)?;
                nonneg(format!("partial run cases{key:?}[{j}].f"), f)?;
            }
        }
        Ok(())
    }
}
