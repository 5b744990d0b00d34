//! The risk engine: individual risk on a grid and at points, societal risk (F-N, PLL) and
//! contributions.
//!
//! # Equations (Purple Book form; shared/reference/standards.md §3.3, \[M\] for the Purple Book,
//! \[V\] for the GB 36894 F-N definition)
//! * Individual risk: IR(x, y) = Σ_S Σ_O Σ_M Σ_φ f_S · P_O · P_M · P_φ · P_d(x, y), over LOC events
//!   S (frequency f_S, per year), outcomes O (event-tree probability P_O), weather classes M
//!   (P_M = d·P_M,day + (1 − d)·P_M,night with d the day fraction) and wind sectors φ (P_φ), with
//!   P_d the outdoor, unprotected lethality of the footprint rotated into direction φ — by default
//!   (`meteorology.sector_spreading = "uniform"`) the footprint averaged over the directions of
//!   sector φ, S = (1/Δθ)∫ P_d dψ, rotated into the sector's centre ([`crate::risk::sector`];
//!   Purple Book \[M\]); with `"centre"`, the footprint along the sector's centre. A scenario
//!   whose place depends on the wind direction ([`Scenario::sector`] = `Some(k)`: delayed
//!   ignition at ignition sources or on congested regions, [`crate::risk::placement`]) enters
//!   only for its direction k, its frequency including P(place | φ).
//! * Societal risk: for each case k = (S, O, M, φ, period), N_k = Σ_cells (n_out·P_out + n_in·P_in)
//!   with the indoor/outdoor lethalities of the vulnerability rule set (each averaged over the
//!   sector when spread: the population of the annular sector the spread footprint covers; for
//!   tables and sector averages, the lethality the grid interpolates from its lattice: the
//!   engine's `societal` module), frequency
//!   f_k = f_S·P_O·P_M,period·w_period·P_φ; F(N) = Σ_{k: N_k ≥ N} f_k (GB 36894-2018 term 社会风险);
//!   PLL = Σ_k f_k·N_k (AQ/T 3046-2013 式(15) \[S\]).
//!
//! # Algorithm (why it is fast)
//! * Each footprint is built once per (event, outcome, weather) and shared (`Arc`).
//! * For the grid, all footprints of one installation are merged, weighted, into
//!   - one radial table on a uniform radius grid (step = resolution/8) plus an exact list of
//!     circles (sorted radii, suffix sums), for every radially symmetric footprint — no direction
//!     loop (the sector probabilities are summed);
//!   - one local raster per wind direction (step = resolution) for directional footprints,
//!     each summed in double precision (the directions in parallel, each in scenario order, by
//!     blocks of rows) and stored in single: the largest objects of a run take half the memory
//!     (park-1000 physical 362 → 329 MB peak, default spreading 525 → 469 MB), and the grid
//!     differs from the exact point evaluation by at most 2⁻²⁴ of the values read
//!     ([`crate::tolerance::SINGLE_PRECISION`]) on top of the lattice's resampling.
//!
//!   The per-cell cost is then independent of the number of footprints; a footprint only costs its
//!   own (small) area once when merged.
//! * Footprints that resampling would smear — parametric shapes ([`crate::risk::parametric`])
//!   and bands (step edges), when not averaged over their sector — are not merged: each distinct
//!   one is evaluated exactly at every cell it covers, once per wind direction with its weights
//!   summed (issue 14).
//! * Grid cells outside each merged footprint are culled row by row (exact row spans of the reach
//!   circle and of the rotated raster rectangle), so the cost grows with the affected area.
//! * The grid is split into row bands processed in parallel (rayon); every band visits the
//!   installations and directions in the same fixed order, so each cell's sum is formed in the same
//!   order whatever the thread count: results are bit-identical for 1 and N threads. Each
//!   installation's per-cell contribution is formed first and added to the cell once, so the
//!   grid is the installation-ordered fold of per-installation grids: [`run_partial`] +
//!   [`combine`] (distributed runs, `qra.distributed`) reproduce [`run`] bit for bit.
//! * Installations are merged in batches whose merged rasters stay below [`MERGE_BUDGET_BYTES`]:
//!   memory is bounded, never one grid per outcome. The sector averages (`"uniform"`) are
//!   tabulated for a batch just before its merges and dropped after its societal sums (kept
//!   while a later installation shares the footprint): park-1000's physical study peaks at
//!   ~0.5 GB instead of 1.3 GB, and no longer grows by ~1 MB per event. What needs them after
//!   the run (point values at targets and by [`RiskResult::risk_at`], per-installation grids)
//!   rebuilds them, the same bits; [`combine`] and park studies build only those near their
//!   targets, [`Model::new`] all of them up front.
//! * Societal risk evaluates each case exactly on the population points inside the footprint:
//!   the points are kept in rows of the grid resolution, sorted by x, and each row is cut to the
//!   exact x-span of the footprint's rotated rectangle (or reach circle) over the row. The sums
//!   (N_day, N_night) depend only on (installation, footprint, direction), so each distinct one
//!   is computed once — in parallel, deterministically — and shared by the scenarios using it
//!   (weather-independent footprints serve every weather class); cases are combined in their
//!   fixed order.
//!
//! Point evaluation ([`RiskResult::risk_at`]) does not use the merged tables: it sums the exact
//! footprints, and is the reference the grid is tested against.
//!
//! # Files
//! `model` (scenarios and footprints), `merge` (merged per-installation tables, grid accumulation,
//! profiles), `societal` (population and societal cases), `result` ([`RiskResult`] and its
//! reductions), `run` ([`run`] and its options), `partial` ([`run_partial`] / [`combine`]).

mod merge;
mod model;
mod partial;
mod result;
mod run;
mod societal;

pub use crate::geometry::point_in_polygon;
pub use model::MERGE_BUDGET_BYTES;
pub use model::{max_threads, Model, RunOptions, Scenario};
pub use partial::{
    combine, combine_scenarios, run_partial, run_partial_scenarios, PartialRun, ScenarioCases,
};
#[cfg(test)]
pub(crate) use result::thread_log;
pub use result::{
    enterprises_of, fn_curve_of, scenario_rows, sum_installation_grids, Enterprise,
    EventContribution, FnPoint, InstallationProfile, RiskResult, ScenarioRow, TargetRisk,
};
pub(crate) use result::{finish, ScenarioTable};
pub use run::{run, run_scenarios, run_with_control, RunControl};
pub use societal::scenario_cases;
