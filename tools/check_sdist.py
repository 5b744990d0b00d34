#!/usr/bin/env python3
"""Checks the source distribution (``make sdist``): ``check_sdist.py DIR`` with one
``openqra-*.tar.gz`` in DIR.

1. Its file list has the Python package, both crates, the lock file and every data file the
   crates embed with ``include_str!``/``include_bytes!`` (the ``models/`` tables, found by reading
   ``qra-core/src``), at the place the crate looks for them.
2. The sdist builds: ``pip wheel`` of the tarball, as a user without the wheel would run it
   (maturin through PEP 517, no build isolation: the venv's maturin), into a wheel holding the
   native module. It is built with cargo's ``dev`` profile (``MATURIN_PEP517_ARGS``) and the
   workspace's ``target/`` so that the dependencies compiled by the Rust tests are reused and
   only the two crates (and pyo3 with its extension-module feature) are compiled again; the
   embedded ``models/`` files are read at this stage, so a missing one fails here.

The release build from the sdist (``make sdist-build``) compiles everything with optimisations
and is not part of ``make test``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = [
    "pyproject.toml",
    "PKG-INFO",
    "README.md",
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "Cargo.toml",
    "Cargo.lock",
    "qra-core/Cargo.toml",
    "qra-core/src/lib.rs",
    "qra-py/Cargo.toml",
    "qra-py/src/lib.rs",
    "python/qra/__init__.py",
    "python/qra/_qra.pyi",
    "python/qra/py.typed",
]
# "../../../models/x" relative to a source file, or concat!(env!("CARGO_MANIFEST_DIR"), "/../models/x")
INCLUDE = re.compile(r'include_(?:str|bytes)!\(\s*(?:concat!\(\s*env!\("CARGO_MANIFEST_DIR"\),\s*)?"([^"]+)"')


def embedded_files() -> list[str]:
    """Paths (relative to the workspace root) of the files qra-core embeds outside tests."""
    found = set()
    src = ROOT / "qra-core" / "src"
    for path in src.rglob("*.rs"):
        if "tests" in path.name:
            continue
        for m in INCLUDE.finditer(path.read_text(encoding="utf-8")):
            rel = m.group(1)
            base = ROOT / "qra-core" if rel.startswith("/") else path.parent
            target = (base / rel.lstrip("/")).resolve()
            if target.is_relative_to(ROOT / "models"):
                found.add(str(target.relative_to(ROOT)))
    return sorted(found)


def main(folder: str) -> int:
    tarballs = sorted(Path(folder).glob("openqra-*.tar.gz"))
    if len(tarballs) != 1:
        print(f"check_sdist: expected one openqra-*.tar.gz in {folder}, found {len(tarballs)}", file=sys.stderr)
        return 1
    with tarfile.open(tarballs[0]) as tar:
        names = tar.getnames()
        top = names[0].split("/")[0]
        have = {n.split("/", 1)[1] for n in names if "/" in n}
        embedded = embedded_files()
        missing = [f for f in REQUIRED + embedded if f not in have]
        if missing:
            print(f"check_sdist: {tarballs[0].name} lacks: {', '.join(missing)}", file=sys.stderr)
            return 1
        print(f"sdist {tarballs[0].name}: {len(have)} files, with the {len(embedded)} embedded data files")
        with tempfile.TemporaryDirectory() as tmp:
            tar.extractall(tmp, filter="data")
            # Fresh modification times: otherwise cargo, whose fingerprints of path crates are
            # relative to the workspace root, would reuse the checkout's check results.
            for path in (Path(tmp) / top).rglob("*"):
                os.utime(path)
            t0 = time.time()
            out = Path(tmp) / "wheel"
            env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target"), MATURIN_PEP517_ARGS="--profile dev")
            cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(tarballs[0])]
            r = subprocess.run(cmd, env=env)
            wheels = sorted(out.glob("openqra-*.whl"))
            if r.returncode != 0 or len(wheels) != 1:
                print("check_sdist: the sdist does not build into a wheel", file=sys.stderr)
                return 1
            with zipfile.ZipFile(wheels[0]) as whl:
                native = [n for n in whl.namelist() if re.fullmatch(r"qra/_qra\..*(so|pyd)", n)]
            if not native:
                print(f"check_sdist: {wheels[0].name} has no native module qra/_qra", file=sys.stderr)
                return 1
            print(f"sdist builds: {wheels[0].name} with {native[0]} (pip wheel, dev profile, {time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
