//! Issue 6, park level: the park model with facilities, contributions and what-if questions on the
//! built-in sample park.

use qra_core::park::{Change, FacilityBlock, Park};
use qra_core::risk::{engine, study::Study};

fn study() -> Study {
    Study::from_toml_str(qra_core::park::SAMPLE_PARK_TOML, "sample_park.toml").unwrap()
}

fn opts() -> engine::RunOptions {
    engine::RunOptions::default()
}

fn rel(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()) + 1e-300
}

/// The what-if answer equals a full run of the modified study: grid, PLL and targets bit for
/// bit (same fold order as the engine), the F-N curve point for point.
fn assert_same(a: &engine::RiskResult, b: &engine::RiskResult) {
    assert!(a
        .individual_risk
        .iter()
        .zip(b.individual_risk.iter())
        .all(|(x, y)| x.to_bits() == y.to_bits()));
    assert!(rel(a.pll, b.pll), "{} vs {}", a.pll, b.pll);
    assert_eq!(a.targets.len(), b.targets.len());
    for (x, y) in a.targets.iter().zip(&b.targets) {
        assert!(rel(x.individual_risk, y.individual_risk), "{x:?} vs {y:?}");
    }
    assert_eq!(a.fn_curve.len(), b.fn_curve.len());
    for (x, y) in a.fn_curve.iter().zip(&b.fn_curve) {
        assert!(x.n == y.n && rel(x.f_per_year, y.f_per_year));
    }
}

#[test]
fn park_equals_the_engine_and_the_sum_of_its_facilities() {
    // The pipeline NG-1 (a linear source) is expanded into its release points, one facility.
    let s = qra_core::risk::scenario::ScenarioSet::from_study(&study())
        .unwrap()
        .study()
        .study()
        .clone();
    let t0 = std::time::Instant::now();
    let park = Park::new(&s, &opts(), "GB36894-2018", None).unwrap();
    eprintln!("park prepared in {:?}", t0.elapsed());
    assert_eq!(park.facilities().len(), 11);
    assert!(park.facilities().iter().any(|f| f == "NG-1"));
    let full = engine::run(&s, &opts()).unwrap();
    assert_same(&park.base().result, &full);
    // The park's scenario table is the engine's, row for row.
    assert_eq!(park.base().result.scenarios(), full.scenarios());
    assert!(!full.scenarios().is_empty());
    // Aggregation = Σ facility results (each facility run alone): grid, PLL, point-target IR and
    // F(N) at every N of the park curve, within 1e-12 relative.
    let mut grid = ndarray::Array2::<f64>::zeros(full.individual_risk.dim());
    let mut pll = 0.0;
    let mut tir = vec![0.0; full.targets.len()];
    let mut fsum = vec![0.0; full.fn_curve.len()];
    for f in park.facilities() {
        let mut sub = s.clone();
        sub.installations
            .retain(|i| qra_core::park::facilities::facility_of(i) == f);
        let ids: Vec<String> = sub.installations.iter().map(|i| i.id.clone()).collect();
        sub.events.retain(|e| ids.contains(&e.installation));
        let r = engine::run(&sub, &opts()).unwrap();
        grid += &r.individual_risk;
        pll += r.pll;
        for (k, t) in r.targets.iter().enumerate() {
            if s.targets[k].point.is_some() {
                tir[k] += t.individual_risk;
            }
        }
        for (k, p) in full.fn_curve.iter().enumerate() {
            fsum[k] += r.frequency_at_least(p.n);
        }
    }
    let max = full.individual_risk.iter().cloned().fold(0.0, f64::max);
    for (a, b) in grid.iter().zip(full.individual_risk.iter()) {
        assert!((a - b).abs() <= 1e-12 * max, "{a} vs {b}");
    }
    assert!(rel(pll, full.pll));
    for (k, t) in full.targets.iter().enumerate() {
        if s.targets[k].point.is_some() {
            assert!(
                rel(tir[k], t.individual_risk),
                "{} vs {}",
                tir[k],
                t.individual_risk
            );
        }
    }
    for (a, p) in fsum.iter().zip(&full.fn_curve) {
        assert!(rel(*a, p.f_per_year));
    }
    // Contributions: shares sum to 1 over facilities; ranks are 1..n.
    let rows = park.base().contributions(true);
    let sp: f64 = rows.iter().map(|r| r.pll_share).sum();
    assert!((sp - 1.0).abs() < 1e-12);
    for t in 0..full.targets.len() {
        let st: f64 = rows.iter().map(|r| r.target_share[t]).sum();
        assert!(full.targets[t].individual_risk == 0.0 || (st - 1.0).abs() < 1e-12);
    }
    let mut ranks: Vec<usize> = rows.iter().map(|r| r.rank).collect();
    ranks.sort();
    assert_eq!(ranks, (1..=11).collect::<Vec<_>>());
    for r in &rows {
        eprintln!(
            "{:>2} {:<18} excess {:.3} PLL {:.3e} ({:.3}) F-N shares {:?}",
            r.rank, r.id, r.excess_share, r.pll, r.pll_share, r.fn_share
        );
    }
    let ev = park.base().contributions(false);
    assert_eq!(ev.len(), s.events.len());
}

#[test]
fn what_if_remove_move_add_equal_full_recomputation() {
    let s = study();
    let park = Park::new(&s, &opts(), "GB36894-2018", Some(1e-3)).unwrap();
    let block = FacilityBlock::from_toml_str(
        r#"
[[facilities]]
id = "new-ammonia"
[[installations]]
id = "NH3-NEW"
facility = "new-ammonia"
x_m = -300.0
y_m = -600.0
substance = "ammonia"
inventory_kg = 50000.0
temperature_k = 293.15
phase = "two-phase"
[[events]]
id = "NH3-NEW-G3"
installation = "NH3-NEW"
loc = { equipment = "pressure-vessel", scenario = "G3" }
release = "hole"
hole_diameter_mm = 10.0
[[events.outcomes]]
spec = { kind = "toxic" }
"#,
    )
    .unwrap();
    let cases = vec![
        vec![Change::Remove("lpg".into())],
        // The pipeline (a linear source) is a facility too: remove it, or shift it north.
        vec![Change::Remove("NG-1".into())],
        vec![Change::Move {
            facility: "NG-1".into(),
            dx_m: 0.0,
            dy_m: 200.0,
        }],
        vec![Change::Move {
            facility: "chlor-alkali".into(),
            dx_m: -137.0,
            dy_m: 55.5,
        }],
        vec![Change::Add(block.clone())],
        vec![
            Change::Remove("phosgene".into()),
            Change::Move {
                facility: "ammonia".into(),
                dx_m: 100.0,
                dy_m: -100.0,
            },
            Change::Add(block),
        ],
        // Remove a facility and add one back under the same installation id, elsewhere.
        vec![
            Change::Remove("phosgene".into()),
            Change::Add(
                park.template("phosgene", "")
                    .unwrap()
                    .translated(400.0, 900.0),
            ),
        ],
    ];
    for ch in cases {
        let t0 = std::time::Instant::now();
        let w = park.what_if(&ch).unwrap();
        eprintln!("what-if {:?}: {:?}", ch.len(), t0.elapsed());
        let full = engine::run(&park.modified_study(&ch).unwrap(), &opts()).unwrap();
        assert_same(&w.result, &full);
        assert!(w.capacity.k.is_finite());
    }
    // Errors: unknown facility (with suggestions), duplicate added id.
    let e = park
        .what_if(&[Change::Remove("lpgg".into())])
        .unwrap_err()
        .to_string();
    assert!(e.contains("did you mean"), "{e}");
    let dup = FacilityBlock {
        facilities: vec![],
        installations: vec![s.installations[0].clone()],
        events: vec![],
    };
    assert!(park.what_if(&[Change::Add(dup)]).is_err());
}
