//! Golden outputs of every study in `models/studies/`: the bits of the IR grid, PLL, the F-N
//! points, the IR at every protected target and the per-installation distances to the contour
//! levels, recorded from the engine **before** the risk-pipeline refactoring (issue 13) and
//! compared bit for bit after it.
//!
//! A change that alters one of these bits must be a bug fix listed, with its cause, in
//! CHANGELOG.md; the goldens are then re-recorded with
//! `QRA_BLESS_GOLDEN=1 cargo test -p qra-core --test golden` and the diff of
//! `tests/golden/*.json` is committed together with the fix.
//!
//! The hash is SHA-256 of the little-endian bytes of the values in row-major order (the `sha2`
//! crate), so a recomputation outside qra (NumPy: `hashlib.sha256(a.astype('<f8').tobytes())`)
//! gives the same digest.
//!
//! **The bits depend on the machine's libm.** The models call `f64::exp`, `ln`, `powf`, `sin`,
//! … of the C library, and glibc picks their code by CPU at run time: the goldens are those of
//! x86-64 with FMA (glibc 2.36's `*_fma` variants). Measured in the seventeenth session: with
//! those variants switched off (`GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F`) the
//! sample park's distances move by 3·10⁻¹⁴ relative and this test fails; park-1000's PLL by
//! 1.5·10⁻¹¹. The failure message says so on a machine without FMA.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qra_core::risk::{engine, study::Study};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn sha256_f64(values: impl IntoIterator<Item = f64>) -> String {
    let mut h = Sha256::new();
    for v in values {
        h.update(v.to_le_bytes());
    }
    format!("{:x}", h.finalize())
}

/// Exact bits of a float, with its value for the reader: `"0x3f1a... (1.0e-4)"`.
fn bits(v: f64) -> String {
    format!("{:#018x} ({v:e})", v.to_bits())
}

fn studies_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/studies")
}

fn golden_of(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let study = Study::from_toml_str(&text, &name).unwrap();
    let opts = engine::RunOptions {
        threads: Some(2),
        ..Default::default()
    };
    let r = engine::run(&study, &opts).unwrap();
    let levels = [1e-5, 3e-6, 1e-6, 3e-7, 1e-7];
    let targets: BTreeMap<String, String> = r
        .targets
        .iter()
        .map(|t| (t.id.clone(), bits(t.individual_risk)))
        .collect();
    let distances: BTreeMap<String, Vec<String>> = r
        .installations
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                levels
                    .iter()
                    .map(|&l| bits(p.distance_to_level(l)))
                    .collect(),
            )
        })
        .collect();
    json!({
        "study": name,
        "grid_shape": [r.individual_risk.nrows(), r.individual_risk.ncols()],
        "ir_grid_sha256": sha256_f64(r.individual_risk.iter().copied()),
        "ir_max": bits(r.individual_risk.iter().copied().fold(0.0, f64::max)),
        "pll": bits(r.pll),
        "max_n": bits(r.max_n),
        "fn_points": r.fn_curve.len(),
        "fn_sha256": sha256_f64(r.fn_curve.iter().flat_map(|p| [p.n, p.f_per_year])),
        "target_ir": targets,
        "distance_levels": levels,
        "installation_distance_m": distances,
    })
}

#[test]
fn every_study_reproduces_its_golden_outputs() {
    let bless = std::env::var_os("QRA_BLESS_GOLDEN").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(studies_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 3, "studies not found");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut failures = Vec::new();
    for path in &paths {
        let got = golden_of(path);
        let file = dir.join(format!(
            "{}.json",
            path.file_stem().unwrap().to_string_lossy()
        ));
        if bless {
            std::fs::write(&file, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_else(|e| {
                panic!("{}: {e} (record with QRA_BLESS_GOLDEN=1)", file.display())
            }))
            .unwrap();
        if got != want {
            failures.push(format!(
                "{}:\n  want {}\n  got  {}",
                path.display(),
                want,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "golden outputs differ:\n{}{}",
        failures.join("\n"),
        machine_hint()
    );
}

/// A note for a failure on a machine whose libm differs from the goldens' (module docs).
#[cfg(target_arch = "x86_64")]
fn machine_hint() -> &'static str {
    if std::arch::is_x86_feature_detected!("fma") {
        ""
    } else {
        "\n(this CPU has no FMA: glibc's libm gives other last bits than the goldens' x86-64 FMA \
         machine; see the module docs)"
    }
}

/// A note for a failure on a machine whose libm differs from the goldens' (module docs).
#[cfg(not(target_arch = "x86_64"))]
fn machine_hint() -> &'static str {
    "\n(not x86-64: the goldens are those of an x86-64 FMA machine's libm; see the module docs)"
}
