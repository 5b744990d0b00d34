//! Fast **what-if** analysis for closure / relocation decisions: remove installations (or whole
//! facilities) from a computed park without recomputing anything.
//!
//! Risk is additive over installations (Purple Book IR = Σ over scenarios; F-N and PLL over
//! scenario cases), so one preparation run keeps, per installation, its own IR grid, its societal
//! (N, f) cases and its events' IR contributions at every protected target
//! ([`crate::risk::engine::run_partial`] over all installations plus [`crate::risk::engine::run`]).
//! A what-if then only sums the kept installations' grids (in study order, as the engine does,
//! so the IR grid is bit-identical to a full run of the reduced study), re-sums the target IR from
//! the kept events and rebuilds F-N and PLL from the kept cases.
//!
//! Memory: one grid per installation (n_installations × nx × ny × 8 bytes) — 10 MB for the sample
//! park, 320 MB for a 40-installation park on a 1000² grid.

use std::collections::BTreeSet;

use ndarray::Array2;

use crate::error::{QraError, Result};
use crate::risk::engine::{
    fn_curve_of, run_partial_scenarios, run_scenarios, sum_installation_grids, FnPoint, RiskResult,
    RunControl, RunOptions, ScenarioCases,
};
use crate::risk::scenario::ScenarioSet;
use crate::risk::study::Study;

/// A park prepared for what-if questions.
#[derive(Debug, Clone)]
pub struct WhatIf {
    installation_ids: Vec<String>,
    /// Linear sources: id and the installation indices of their release points.
    lines: Vec<(String, std::ops::Range<usize>)>,
    nx: usize,
    ny: usize,
    /// Per installation, its IR grid (row-major, ny·nx).
    grids: Vec<Vec<f64>>,
    /// Per scenario in engine order: (installation index, cases).
    cases: Vec<(usize, Vec<(f64, f64)>)>,
    /// Per event: (installation index, IR contribution at each target).
    event_target_ir: Vec<(usize, Vec<f64>)>,
    /// Target ids.
    target_ids: Vec<String>,
    /// The full result.
    base: RiskResult,
}

/// The answer to one what-if question.
#[derive(Debug, Clone)]
pub struct WhatIfResult {
    /// Installations kept.
    pub kept: Vec<String>,
    /// Individual risk on the grid, per year, shape (ny, nx).
    pub individual_risk: Array2<f64>,
    /// IR at each protected target (ids in [`WhatIf::target_ids`] order), per year.
    pub target_ir: Vec<f64>,
    /// F-N curve, ascending N.
    pub fn_curve: Vec<FnPoint>,
    /// PLL, per year.
    pub pll: f64,
}

impl WhatIf {
    /// Prepares `study` (one full run plus one partial run over all installations).
    ///
    /// # Errors
    /// Those of [`run`](crate::risk::run()) and [`run_partial`](crate::risk::engine::run_partial).
    pub fn new(study: &Study, opts: &RunOptions) -> Result<WhatIf> {
        // Linear sources are expanded into release-point installations by the scenario stage.
        let set = ScenarioSet::from_study(study)?;
        let study: &Study = set.study();
        let base = run_scenarios(&set, opts, &RunControl::default())?;
        let all: Vec<usize> = (0..study.installations.len()).collect();
        let part = run_partial_scenarios(&set, opts, &all)?;
        let event_inst: Vec<usize> = set.events().iter().map(|e| e.installation).collect();
        let mut grids = vec![Vec::new(); study.installations.len()];
        for (k, &i) in part.installations.iter().enumerate() {
            grids[i] = part.grids[k].clone();
        }
        // Scenario cases in engine order: sorted by (event, outcome, weather) key as in the model.
        let mut cases: Vec<ScenarioCases> = part.cases.clone();
        cases.sort_by_key(|c| c.0);
        let cases = cases
            .into_iter()
            .map(|(k, c)| (event_inst[k[0]], c))
            .collect();
        let event_target_ir = base
            .contributions
            .iter()
            .map(|c| {
                let i = study
                    .installations
                    .iter()
                    .position(|x| x.id == c.installation)
                    .unwrap_or(usize::MAX);
                (i, c.target_ir.clone())
            })
            .collect();
        let lines = (set.pipelines().iter().enumerate())
            .map(|(k, p)| (p.id.clone(), set.release_points_of(k)))
            .collect();
        Ok(WhatIf {
            installation_ids: study.installations.iter().map(|i| i.id.clone()).collect(),
            lines,
            nx: part.nx,
            ny: part.ny,
            grids,
            cases,
            event_target_ir,
            target_ids: base.targets.iter().map(|t| t.id.clone()).collect(),
            base,
        })
    }

    /// The full (nothing removed) result.
    pub fn base(&self) -> &RiskResult {
        &self.base
    }

    /// Protected-target ids, in result order.
    pub fn target_ids(&self) -> &[String] {
        &self.target_ids
    }

    /// Installation ids, in study order.
    pub fn installation_ids(&self) -> &[String] {
        &self.installation_ids
    }

    /// The park without the installations `removed` (ids; the id of a linear source removes all
    /// its release points `"<id>#<k>"`).
    ///
    /// # Errors
    /// An unknown installation id (with close matches).
    pub fn without(&self, removed: &[&str]) -> Result<WhatIfResult> {
        let mut gone = BTreeSet::new();
        for r in removed {
            if let Some((_, points)) = self.lines.iter().find(|(id, _)| id == r) {
                gone.extend(points.clone());
                continue;
            }
            let i = self
                .installation_ids
                .iter()
                .position(|x| x == r)
                .ok_or_else(|| {
                    QraError::unknown(
                        "installation",
                        r,
                        self.installation_ids.iter().map(String::as_str),
                    )
                })?;
            gone.insert(i);
        }
        let keep: Vec<usize> = (0..self.installation_ids.len())
            .filter(|i| !gone.contains(i))
            .collect();
        let parts: Vec<&[f64]> = keep.iter().map(|&i| self.grids[i].as_slice()).collect();
        let grid = sum_installation_grids(self.nx, self.ny, &parts);
        let mut target_ir = vec![0.0; self.target_ids.len()];
        for (i, ir) in &self.event_target_ir {
            if !gone.contains(i) {
                for (t, v) in target_ir.iter_mut().zip(ir) {
                    *t += *v;
                }
            }
        }
        let mut pll = 0.0;
        let mut cases = Vec::new();
        for (i, cs) in &self.cases {
            if gone.contains(i) {
                continue;
            }
            for &(n, f) in cs {
                pll += f * n;
                if n > 0.0 && f > 0.0 {
                    cases.push((n, f));
                }
            }
        }
        let individual_risk =
            Array2::from_shape_vec((self.ny, self.nx), grid).map_err(|e| QraError::Numerical {
                model: "what-if".into(),
                message: e.to_string(),
            })?;
        Ok(WhatIfResult {
            kept: keep
                .iter()
                .map(|&i| self.installation_ids[i].clone())
                .collect(),
            individual_risk,
            target_ir,
            fn_curve: fn_curve_of(cases),
            pll,
        })
    }
}
