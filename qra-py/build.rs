//! Build id of the extension: `QRA_BUILD_ID` when set (release builds, packagers), else the git
//! commit of the source tree at build time (`git rev-parse HEAD`), else "unknown". Exposed as
//! `qra._qra.build_info()["build_id"]` and written into every submission's provenance (issue 18).

use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    println!("cargo:rerun-if-env-changed=QRA_BUILD_ID");
    let id = match std::env::var("QRA_BUILD_ID") {
        Ok(v) if !v.trim().is_empty() => v.trim().to_string(),
        _ => match git(&["rev-parse", "HEAD"]) {
            Some(commit) => {
                // rebuild when the commit moves (HEAD, the branch ref, packed refs)
                for p in [
                    git(&["rev-parse", "--git-path", "HEAD"]),
                    git(&["rev-parse", "--git-path", "packed-refs"]),
                    git(&["symbolic-ref", "-q", "HEAD"])
                        .and_then(|r| git(&["rev-parse", "--git-path", &r])),
                ]
                .into_iter()
                .flatten()
                {
                    let p = PathBuf::from(p);
                    if p.exists() {
                        println!("cargo:rerun-if-changed={}", p.display());
                    }
                }
                format!("git:{commit}")
            }
            None => "unknown".to_string(),
        },
    };
    println!("cargo:rustc-env=QRA_BUILD_ID={id}");
}
