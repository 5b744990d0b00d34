//! Partial runs combined (the distributed path) reproduce a local run bit for bit.
//!
//! The reference is the local run itself: the property tested is exact equality of every output
//! (IR grid, F-N, PLL, targets, contributions, profiles) whatever the partition of the
//! installations, the order of the partials and the thread count — not a value the code produced.

use qra_core::risk::engine::{self, combine, run_partial, PartialRun, RunOptions};
use qra_core::risk::study::Study;

fn study(name: &str) -> Study {
    let path = format!("{}/../models/studies/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    Study::from_toml_str(&text, name).unwrap()
}

fn same(a: &engine::RiskResult, b: &engine::RiskResult) {
    assert_eq!(a.individual_risk.shape(), b.individual_risk.shape());
    assert!(a
        .individual_risk
        .iter()
        .zip(b.individual_risk.iter())
        .all(|(x, y)| x.to_bits() == y.to_bits()));
    assert_eq!(a.pll.to_bits(), b.pll.to_bits());
    assert_eq!(a.max_n.to_bits(), b.max_n.to_bits());
    assert_eq!(a.fn_curve, b.fn_curve);
    assert_eq!(a.targets, b.targets);
    assert_eq!(a.contributions, b.contributions);
    assert_eq!(a.installations, b.installations);
}

#[test]
fn partials_combine_bit_identically() {
    for name in ["analytic_demo.toml", "sample_park.toml"] {
        let s = study(name);
        let local = engine::run(&s, &RunOptions::default()).unwrap();
        // Installations of the engine: the study's own, then linear sources' release points.
        let n = qra_core::risk::scenario::ScenarioSet::from_study(&s)
            .unwrap()
            .sources()
            .len();
        // One installation per partial, shipped through the binary form, in reverse order.
        let mut parts: Vec<PartialRun> = (0..n)
            .rev()
            .map(|i| {
                let opts = RunOptions {
                    threads: Some(1),
                    ..Default::default()
                };
                let p = run_partial(&s, &opts, &[i]).unwrap();
                PartialRun::from_bytes(&p.to_bytes()).unwrap()
            })
            .collect();
        same(&local, &combine(&s, &parts).unwrap());
        if name == "sample_park.toml" {
            continue; // slow in debug builds; the grouping below is exercised on the small study
        }
        // Uneven groups (installations 0 and last together, the rest in one).
        parts = vec![
            run_partial(&s, &RunOptions::default(), &[0, n - 1]).unwrap(),
            run_partial(&s, &RunOptions::default(), &(1..n - 1).collect::<Vec<_>>()).unwrap(),
        ];
        same(&local, &combine(&s, &parts).unwrap());
    }
}

#[test]
fn incomplete_or_bad_partials_are_errors() {
    let s = study("analytic_demo.toml");
    let p0 = run_partial(&s, &RunOptions::default(), &[0]).unwrap();
    assert!(combine(&s, std::slice::from_ref(&p0)).is_err());
    assert!(combine(&s, &[p0.clone(), p0.clone()]).is_err());
    assert!(run_partial(&s, &RunOptions::default(), &[99]).is_err());
    let b = p0.to_bytes();
    for cut in [0, 7, 8, 20, b.len() / 2, b.len() - 1] {
        assert!(PartialRun::from_bytes(&b[..cut]).is_err());
    }
    // A count of u64::MAX installations (postcard varint) after nx = ny = 1: an error, not a
    // huge allocation.
    let mut huge = b[..8].to_vec();
    huge.extend([0x01, 0x01]);
    huge.extend([0xff; 9]);
    huge.push(0x01);
    assert!(PartialRun::from_bytes(&huge).is_err());
    let mut trailing = b.clone();
    trailing.push(0);
    assert!(PartialRun::from_bytes(&trailing).is_err());
    assert_eq!(PartialRun::from_bytes(&b).unwrap(), p0);
}

/// A run with a control handle reports its progress and gives the same bits as `run`; a
/// pre-set cancel flag stops it with `Cancelled`.
#[test]
fn run_control_progress_and_cancel() {
    use qra_core::risk::engine::{run, run_with_control, RunControl, RunOptions};
    use std::sync::atomic::Ordering;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../models/studies/analytic_demo.toml"
    ))
    .unwrap();
    let study = qra_core::risk::study::Study::from_toml_str(&text, "analytic_demo.toml").unwrap();
    let ctl = RunControl::default();
    let a = run_with_control(&study, &RunOptions::default(), &ctl).unwrap();
    let b = run(&study, &RunOptions::default()).unwrap();
    assert_eq!(
        ctl.done.load(Ordering::Relaxed),
        ctl.total.load(Ordering::Relaxed)
    );
    assert_eq!(
        ctl.total.load(Ordering::Relaxed),
        study.installations.len() + 2
    );
    assert!(a
        .individual_risk
        .iter()
        .zip(b.individual_risk.iter())
        .all(|(x, y)| x.to_bits() == y.to_bits()));
    let stop = RunControl::default();
    stop.cancel.store(true, Ordering::Relaxed);
    assert!(matches!(
        run_with_control(&study, &RunOptions::default(), &stop),
        Err(qra_core::QraError::Cancelled { .. })
    ));
}
