//! Running a study: options, progress/cancellation and the grid + societal-risk pass.

use std::sync::Arc;

use ndarray::Array2;
use rayon::prelude::*;

use super::merge::*;
use super::model::*;
use super::result::*;
use super::societal::*;
use crate::error::{QraError, Result};
use crate::risk::scenario::ScenarioSet;
use crate::risk::study::Study;

/// Runs a study: the footprint of every (event, outcome, weather class) scenario with a positive
/// frequency ([`Model`]), their individual risk summed on the study grid (per year, every wind
/// direction of the class's rose), the societal risk from the population (F-N curve, PLL), the
/// IR at protected targets, per-event contributions, per-installation IR profiles and the
/// GB 36894-2018 status of each installation ([`RiskResult`]). The same study and options give
/// the same result bit for bit whatever `opts.threads` is.
///
/// # Errors
/// [`QraError::InvalidDocument`] for an invalid study, [`QraError::ResourceLimit`] for a grid
/// above [`crate::risk::study::MAX_GRID_CELLS`], [`QraError::InvalidInput`] for a zero thread
/// count, and those of the consequence models: data a model needs that the substance lacks
/// (named by field path), invalid model inputs, [`QraError::NotImplemented`] for a combination
/// qra has no model for ([`crate::risk::consequence::physical_footprint`]).
pub fn run(study: &Study, opts: &RunOptions) -> Result<RiskResult> {
    run_with_control(study, opts, &RunControl::default())
}

/// Progress and cancellation of a run, shared with another thread (a progress bar, a Ctrl-C
/// handler). Reading it never changes the result: the checks sit between installation batches.
#[derive(Debug, Default)]
pub struct RunControl {
    /// Set to `true` to stop the run at the next check; the run then returns
    /// [`QraError::Cancelled`].
    pub cancel: std::sync::atomic::AtomicBool,
    /// Work units done (footprint preparation, one per installation merged, societal risk).
    pub done: std::sync::atomic::AtomicUsize,
    /// Work units in total (0 until known).
    pub total: std::sync::atomic::AtomicUsize,
}

impl RunControl {
    fn check(&self) -> Result<()> {
        if self.cancel.load(std::sync::atomic::Ordering::Relaxed) {
            Err(QraError::Cancelled {
                what: "risk run".into(),
            })
        } else {
            Ok(())
        }
    }

    fn advance(&self, n: usize) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// [`run`] with a [`RunControl`] for progress reporting and cancellation.
///
/// # Errors
/// As [`run`]; [`QraError::Cancelled`] when `control.cancel` is set during the run.
pub fn run_with_control(
    study: &Study,
    opts: &RunOptions,
    control: &RunControl,
) -> Result<RiskResult> {
    study.grid.dims()?;
    run_scenarios(&ScenarioSet::from_study(study)?, opts, control)
}

/// Runs resolved scenarios ([`run_with_control`] after [`ScenarioSet::from_study`]).
///
/// # Errors
/// As [`run_with_control`].
pub fn run_scenarios(
    set: &ScenarioSet,
    opts: &RunOptions,
    control: &RunControl,
) -> Result<RiskResult> {
    let study: &Study = set.study();
    let (nx, ny) = study.grid.dims()?;
    let result = opts.install(|| run_inner(set, opts, nx, ny, control));
    if result.is_ok() {
        control.advance(1);
    }
    result
}

pub(crate) fn run_inner(
    set: &ScenarioSet,
    opts: &RunOptions,
    nx: usize,
    ny: usize,
    ctl: &RunControl,
) -> Result<RiskResult> {
    let study: &Study = set.study();
    ctl.total.store(
        study.installations.len() + 2,
        std::sync::atomic::Ordering::Relaxed,
    );
    ctl.check()?;
    let model = Arc::new(Model::new(set)?);
    ctl.advance(1);
    let g = &study.grid;
    let res = g.resolution_m;
    let xs: Vec<f64> = (0..nx).map(|i| g.x_min_m + i as f64 * res).collect();
    let ys: Vec<f64> = (0..ny).map(|j| g.y_min_m + j as f64 * res).collect();

    // Scenarios by installation (fixed order).
    let ninst = model.installations.len();
    let mut by_inst: Vec<Vec<&Scenario>> = vec![Vec::new(); ninst];
    for s in &model.scenarios {
        by_inst[s.installation].push(s);
    }

    // The population, and whether it lies on the grid's nodes: then the societal sums of the
    // exactly evaluated footprints (parametric shapes, bands) are formed in the individual-risk
    // pass.
    let pop = PopRows::new(population_points(study, res), res);
    let gpop = pop.on_grid(&xs, &ys, model.rules);
    let mut fused = FusedSums::default();

    // Individual risk on the grid, installations merged in memory-bounded batches.
    let mut grid = vec![0.0f64; nx * ny];
    let nrays = opts.rays.clamp(4, 3600);
    let mut profiles = Vec::with_capacity(ninst);
    let mut next = 0;
    while next < ninst {
        ctl.check()?;
        // Estimate the batch: at least one installation, then up to the budget.
        let mut end = next;
        let mut bytes = 0usize;
        while end < ninst {
            let est = estimate_bytes(&model, &by_inst[end], res);
            if end > next && bytes + est > MERGE_BUDGET_BYTES {
                break;
            }
            bytes += est;
            end += 1;
        }
        let merged: Vec<Merged> = (next..end)
            .into_par_iter()
            .with_max_len(1)
            .map(|i| merge_for_grid(&model, i, &by_inst[i], &xs, &ys, res, Some(&pop)))
            .collect();
        // The grid bands and the installations' profiles read the same merged footprints and
        // write different things: one parallel pass (tasks of one band, one installation), so
        // that neither waits for the other's slowest task.
        let (band_sums, batch_profiles): (Vec<Vec<BandSums>>, Vec<InstallationProfile>) =
            rayon::join(
                || grid_bands(&merged, &mut grid, gpop.as_ref(), &xs, &ys, res),
                || {
                    merged
                        .par_iter()
                        .with_max_len(1)
                        .enumerate()
                        .map(|(k, m)| profile(m, &model.installations[next + k].0, nrays, res))
                        .collect()
                },
            );
        for (k, m) in merged.iter().enumerate() {
            let exact = gpop
                .is_some()
                .then(|| m.fused_sums(band_sums.iter().map(|b| &b[k])));
            for &((key, angle), v) in m.raster_sums.iter().chain(exact.iter().flatten()) {
                fused.insert((next + k, key, angle), v);
            }
        }
        profiles.extend(batch_profiles);
        ctl.advance(end - next);
        next = end;
    }
    ctl.check()?;
    let individual_risk =
        Array2::from_shape_vec((ny, nx), grid).map_err(|e| QraError::Numerical {
            model: "risk engine".into(),
            message: e.to_string(),
        })?;

    // Societal risk.
    let per_scenario = cases_with(&model, &pop, |_| true, Some(&fused));
    drop(gpop);
    drop(pop);
    let rows = scenario_rows(set, &model)?;
    finish(
        study,
        model,
        rows,
        xs,
        ys,
        individual_risk,
        profiles,
        &per_scenario,
    )
}

/// Adds the merged installations to the grid (rows of `xs.len()` cells), band by band of
/// [`BAND_ROWS`] rows in parallel (one task per band: the bands near the installations cost the
/// most), and returns each band's societal sums per installation when the population lies on the
/// grid. Each cell's additions are in installation order whatever the thread count.
fn grid_bands(
    merged: &[Merged],
    grid: &mut [f64],
    gpop: Option<&GridPopulation<'_>>,
    xs: &[f64],
    ys: &[f64],
    res: f64,
) -> Vec<Vec<BandSums>> {
    let nx = xs.len();
    grid.par_chunks_mut(nx * BAND_ROWS)
        .with_max_len(1)
        .enumerate()
        .map(|(b, band)| {
            let mut tmp = vec![0.0; nx];
            merged
                .iter()
                .map(|m| {
                    let mut sums = BandSums::new();
                    let soc = gpop.map(|p| (p, &mut sums));
                    accumulate(m, band, &mut tmp, b * BAND_ROWS, nx, xs, ys, res, soc);
                    sums
                })
                .collect()
        })
        .collect()
}

impl RiskResult {
    /// The individual-risk grid (ny, nx; per year) of the installations `installations` alone
    /// (indices into [`RiskResult::installations`]; out-of-range and repeated ones ignored),
    /// from the run's footprints exactly as [`run`] builds the whole grid: each installation's
    /// merged footprints accumulated on the grid, installations in ascending order. An
    /// enterprise's own risk (its external safety distances, `risk::distance`).
    pub fn installations_grid(&self, installations: &[usize]) -> Array2<f64> {
        let model = &self.model;
        let (xs, ys) = (&self.x_m, &self.y_m);
        let (nx, ny) = (xs.len(), ys.len());
        let mut ids: Vec<usize> = installations
            .iter()
            .copied()
            .filter(|&i| i < model.installations.len())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut grid = vec![0.0f64; nx * ny];
        if nx > 0 && ny > 0 {
            let res = self.resolution_m;
            for &i in &ids {
                let scen: Vec<&Scenario> = model
                    .scenarios
                    .iter()
                    .filter(|s| s.installation == i)
                    .collect();
                let m = merge_for_grid(model, i, &scen, xs, ys, res, None);
                add_to_grid(&m, &mut grid, xs, ys, res, None);
            }
        }
        Array2::from_shape_vec((ny, nx), grid).unwrap_or_else(|_| Array2::zeros((ny, nx)))
    }
}
