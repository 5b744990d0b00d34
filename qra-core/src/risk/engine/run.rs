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
    let (nx, ny) = study.grid.dims()?;
    // The study checked and resolved on the run's threads (the checks are partly parallel).
    counted(
        opts.install(|| run_inner(&ScenarioSet::from_study(study)?, opts, nx, ny, control)),
        control,
    )
}

/// `result`, with the run's last work unit counted when it succeeded.
fn counted(result: Result<RiskResult>, control: &RunControl) -> Result<RiskResult> {
    if result.is_ok() {
        control.advance(1);
    }
    result
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
    counted(
        opts.install(|| run_inner(set, opts, nx, ny, control)),
        control,
    )
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
    let g = &study.grid;
    let res = g.resolution_m;
    // The sector averages are built a batch of installations at a time, below. The population
    // is sorted into rows alongside the footprints (the footprints' last, longest tasks left a
    // thread idle).
    let (model, pop) = rayon::join(
        || Model::new_deferred(set),
        || PopRows::new(population_points(study, res), res),
    );
    let model = Arc::new(model?);
    ctl.advance(1);
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
    let gpop = pop.on_grid(&xs, &ys, model.rules);
    let mut fused = FusedSums::default();

    // Individual risk on the grid, installations merged in memory-bounded batches.
    let mut grid = zeros_written(nx * ny);
    let nrays = opts.rays.clamp(4, 3600);
    let mut profiles = Vec::with_capacity(ninst);
    let mut per_scenario: Vec<Vec<(f64, f64)>> = vec![Vec::new(); model.scenarios.len()];
    let last_use = model.spread_last_use(|_| true);
    // A batch whose societal cases are still to form, with its installations' sums formed in
    // the grid pass and on the lattices: those of a batch without sector averages are entered
    // and the cases formed beside the next batch's merges (bookkeeping, one thread; the memory
    // stays one batch's), each case a function of its own inputs whenever it runs.
    type Batch = (std::ops::Range<usize>, Vec<TermSums>);
    let mut pending: Option<Batch> = None;
    let cases = |(batch, sums): Batch, fused: &mut FusedSums, out: &mut [Vec<(f64, f64)>]| {
        // In installation order, each installation's sums in their order (the same map).
        for (k, s) in sums.into_iter().enumerate() {
            for ((key, angle), v) in s {
                fused.insert((batch.start + k, key, angle), v);
            }
        }
        cases_into(&model, &pop, |i| batch.contains(&i), Some(fused), out);
        ctl.advance(batch.len());
    };
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
        // This batch's sector averages: built now, dropped once its merges, societal sums and
        // profiles are done (their memory bounded by the batch, not the study).
        let spreads = model.spread_slots(next..end);
        build_spreads(&spreads)?;
        let (mut merged, ()): (Vec<Merged>, ()) = rayon::join(
            || {
                (next..end)
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|i| merge_for_grid(&model, i, &by_inst[i], &xs, &ys, res, Some(&pop)))
                    .collect()
            },
            || {
                if let Some(b) = pending.take() {
                    cases(b, &mut fused, &mut per_scenario);
                }
            },
        );
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
        // Each installation's sums: those formed on its lattice, then its fused sums folded
        // over the bands (in parallel: each fold alone, in band order).
        let sums: Vec<TermSums> = merged
            .par_iter_mut()
            .with_max_len(1)
            .enumerate()
            .map(|(k, m)| {
                let mut s = std::mem::take(&mut m.raster_sums);
                if gpop.is_some() {
                    s.extend(m.fused_sums(band_sums.iter().map(|b| &b[k])));
                }
                s
            })
            .collect();
        profiles.extend(batch_profiles);
        // Their many small vectors freed by both threads.
        rayon::join(
            || merged.into_par_iter().with_max_len(1).for_each(drop),
            || band_sums.into_par_iter().for_each(drop),
        );
        // The batch's societal cases (population sums not formed in the grid pass need the
        // averages): now if it holds averages, else beside the next batch's merges.
        let batch = (next..end, sums);
        if spreads.is_empty() {
            pending = Some(batch);
        } else {
            cases(batch, &mut fused, &mut per_scenario);
            // Kept only if a later batch uses it too (a footprint shared by the release
            // points of a pipeline's release class).
            Model::release_spreads_done(&spreads, &last_use, end - 1);
        }
        next = end;
    }
    ctl.check()?;
    let individual_risk =
        Array2::from_shape_vec((ny, nx), grid).map_err(|e| QraError::Numerical {
            model: "risk engine".into(),
            message: e.to_string(),
        })?;

    drop(gpop);
    // The last batch's cases beside the scenario table (its rows but their effect distances,
    // which it forms on first read).
    let ((), table) = rayon::join(
        || {
            if let Some(b) = pending.take() {
                cases(b, &mut fused, &mut per_scenario);
            }
        },
        || scenario_table(set, &model),
    );
    drop(pop);
    let table = table?;
    let result = finish(
        study,
        Arc::clone(&model),
        table,
        xs,
        ys,
        individual_risk,
        profiles,
        &per_scenario,
    )
    .map(|r| RiskResult {
        threads: opts.threads,
        ..r
    });
    // The averages the targets' point values rebuilt ([`SpreadSlot`]).
    model.release_spreads();
    result
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
            let mut scratch = BandScratch::new(nx);
            merged
                .iter()
                .map(|m| {
                    let mut sums = BandSums::new();
                    let soc = gpop.map(|p| (p, &mut sums));
                    accumulate(m, band, &mut scratch, b * BAND_ROWS, nx, xs, ys, res, soc);
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
    /// enterprise's own risk (its external safety distances, `risk::distance`). On the run's
    /// thread count ([`RunOptions::threads`]).
    pub fn installations_grid(&self, installations: &[usize]) -> Array2<f64> {
        self.on_run_threads(|| self.installations_grid_here(installations))
    }

    /// [`RiskResult::installations_grid`] on the caller's pool.
    fn installations_grid_here(&self, installations: &[usize]) -> Array2<f64> {
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
        let mut grid = zeros_written(nx * ny);
        if nx > 0 && ny > 0 {
            let res = self.resolution_m;
            // The sector averages are rebuilt for the merges (the run dropped them) and dropped
            // again after their last installation here.
            let last_use = model.spread_last_use(|i| ids.binary_search(&i).is_ok());
            for &i in &ids {
                let scen: Vec<&Scenario> = model
                    .scenarios
                    .iter()
                    .filter(|s| s.installation == i)
                    .collect();
                let slots = model.spread_slots(i..i + 1);
                // In parallel (the merge would build them one by one). They were built by the
                // run, so they build again (the merge falls back on the footprint otherwise).
                build_spreads(&slots).ok();
                let m = merge_for_grid(model, i, &scen, xs, ys, res, None);
                add_to_grid(&m, &mut grid, xs, ys, res, None);
                Model::release_spreads_done(&slots, &last_use, i);
            }
        }
        Array2::from_shape_vec((ny, nx), grid).unwrap_or_else(|_| Array2::zeros((ny, nx)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::study::SectorSpreading;

    fn demo(spreading: SectorSpreading) -> Study {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../models/studies/analytic_demo.toml");
        let mut study = Study::from_file(&path).expect("analytic demo");
        study.meteorology.sector_spreading = spreading;
        study
    }

    fn tables_built(model: &Model) -> usize {
        model
            .scenarios
            .iter()
            .filter_map(|s| s.spread.as_ref())
            .filter(|sp| sp.is_built())
            .count()
    }

    /// A run builds the sector averages a batch of installations at a time and drops them
    /// (its memory bounded by the batch, not the study); what uses them after the run (point
    /// values at targets and anywhere, per-installation grids) rebuilds them with the same bits
    /// as a model that built them all up front ([`Model::new`]), and drops them again. The
    /// reference is that eager model and the run's own grid, computed independently of the
    /// rebuilt tables. Fails if a table is kept (the counts), if a rebuilt table differs or a
    /// point query falls back on the unspread footprint (the point values: the demo's
    /// directional footprints change under spreading, checked below), or if the
    /// per-installation grids use other tables than the run's.
    #[test]
    fn run_drops_sector_averages_and_rebuilds_them_bit_for_bit() {
        let study = demo(SectorSpreading::Uniform);
        let r = run(&study, &RunOptions::default()).expect("run");
        let spread = r
            .model
            .scenarios
            .iter()
            .filter(|s| s.spread.is_some())
            .count();
        assert!(spread > 0, "the demo has directional footprints to spread");
        assert_eq!(tables_built(&r.model), 0, "the run keeps no sector average");

        let eager = Model::new(&ScenarioSet::from_study(&study).expect("set")).expect("model");
        assert!(tables_built(&eager) > 0);
        let centre =
            Model::new(&ScenarioSet::from_study(&demo(SectorSpreading::Centre)).expect("set"))
                .expect("model");
        let mut differs_from_centre = 0;
        for k in 0..40 {
            let (x, y) = (-390.0 + 19.7 * k as f64, 250.0 - 13.1 * k as f64);
            let v = r.model.ir_at(x, y);
            assert_eq!(v.to_bits(), eager.ir_at(x, y).to_bits(), "IR at ({x}, {y})");
            if v != centre.ir_at(x, y) {
                differs_from_centre += 1;
            }
        }
        assert!(
            differs_from_centre > 10,
            "spreading changes the point values"
        );
        for t in &r.targets {
            assert_eq!(
                t.individual_risk.to_bits(),
                eager.ir_at(t.x_m, t.y_m).to_bits(),
                "target {}",
                t.id
            );
        }
        r.model.release_spreads();

        let all: Vec<usize> = (0..r.model.installations.len()).collect();
        let grid = r.installations_grid(&all);
        assert_eq!(
            tables_built(&r.model),
            0,
            "per-installation grids keep no sector average"
        );
        for (a, b) in grid.iter().zip(r.individual_risk.iter()) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
    }

    /// The scenario table's effect distances are formed when the table is first read, not by
    /// the run, and are then each row's footprint's own distances to 1 % and 50 % lethality
    /// (computed here from the model's scenarios, row by row, bit for bit); the rows are the
    /// same as the eager `scenario_rows`. Fails if the run forms them (the lock is set) or a row
    /// reads another footprint's distances.
    #[test]
    fn scenario_distances_are_formed_on_first_read() {
        let study = demo(SectorSpreading::Uniform);
        let r = run(&study, &RunOptions::default()).expect("run");
        assert!(
            r.scenario_table.rows.get().is_none(),
            "the run formed the distances"
        );
        let rows = r.scenarios();
        assert_eq!(rows.len(), r.model.scenarios.len());
        let mut distinct = std::collections::HashSet::new();
        for (row, s) in rows.iter().zip(&r.model.scenarios) {
            let d1 = s.footprint.outdoor.distance_to_lethality_m(0.01);
            let d50 = s.footprint.outdoor.distance_to_lethality_m(0.5);
            assert_eq!(row.distance_1pct_m.to_bits(), d1.to_bits());
            assert_eq!(row.distance_50pct_m.to_bits(), d50.to_bits());
            distinct.insert(d1.to_bits());
        }
        assert!(distinct.len() > 3, "rows with different distances");
        let set = ScenarioSet::from_study(&study).expect("set");
        let model = Model::new(&set).expect("model");
        assert_eq!(scenario_rows(&set, &model).expect("rows"), rows);
    }

    /// A pass over the installations in ascending order drops a sector average after its last
    /// user only: on the pipeline demo the release points of one release class share their
    /// class's footprint (one slot for many installations), so a slot must survive the points
    /// before its last one. Checked against the set of users counted by hand from the scenarios
    /// (independently of `spread_last_use`): after installation i, a slot is built iff one of its
    /// users is after i.
    #[test]
    fn sector_averages_are_dropped_after_their_last_user() {
        // The demo's flash fire made directional (its circle has nothing to spread).
        let text = include_str!("../../../../models/studies/pipeline_demo.toml").replace(
            "footprint = { type = \"circle\", radius_m = 60.0, p = 1.0 }",
            "footprint = { type = \"directional\", x0_m = 0.0, y0_m = -40.0, dx_m = 40.0, \
             dy_m = 20.0, nx = 3, ny = 3, lethality = [0.0, 0.0, 0.0, 1.0, 0.6, 0.0, 0.0, 0.0, \
             0.0] }",
        );
        let study = Study::from_toml_str(&text, "pipeline_demo.toml").expect("pipeline demo");
        assert_eq!(study.meteorology.sector_spreading, SectorSpreading::Uniform);
        let model =
            Model::new_deferred(&ScenarioSet::from_study(&study).expect("set")).expect("model");
        let n = model.installations.len();
        let slots = model.spread_slots(0..n);
        let users = |sp: &Arc<SpreadSlot>| -> Vec<usize> {
            let mut u: Vec<usize> = model
                .scenarios
                .iter()
                .filter(|s| s.spread.as_ref().is_some_and(|x| Arc::ptr_eq(x, sp)))
                .map(|s| s.installation)
                .collect();
            u.sort_unstable();
            u.dedup();
            u
        };
        assert!(
            slots.iter().any(|sp| users(sp).len() > 1),
            "a footprint shared by several release points"
        );
        build_spreads(&slots).expect("build");
        let last_use = model.spread_last_use(|_| true);
        for i in 0..n {
            Model::release_spreads_done(&model.spread_slots(i..i + 1), &last_use, i);
            for sp in &slots {
                let later = users(sp).iter().any(|&u| u > i);
                assert_eq!(sp.is_built(), later, "after installation {i}");
            }
        }
    }
}
