#!/usr/bin/env python3
"""park-N side by side: the NumPy engine and qra on the same study, interleaved, one run.

    python benches/park-1000/side_by_side.py [--scenario park-1000] [--grid 1000] [--repeat 5]
        [--work DIR] [--threads N]

Generates the study with ``numpy_qra.py`` (the plain-NumPy reference engine), converts it with
``to_qra.py`` into qra's ``physical`` (qra's own consequence models), ``analytic`` (the NumPy
engine's footprints as qra's parametric shapes, evaluated exactly) and ``analytic-tables`` (the
same footprints sampled into tables, resampled by the engine) study files, then runs,
``--repeat`` times in turn, NumPy → qra physical → qra analytic → qra analytic tables, each in a
fresh process. It reports the compute time of
each engine (NumPy: its "compute total"; qra: ``study.run()``, from ``run_qra.py``) as median
(min–max), the ratio NumPy time / qra time, and the peak resident memory of each process
(``os.wait4`` of each process), as a Markdown table. Speed is measured here, never in
tests. Needs numpy and scipy (``pip install -r benches/park-1000/requirements.txt``) and an
installed ``qra`` (``make build``).

The engines and the study generator (``numpy_qra.py``, ``to_qra.py``, ``run_qra.py``,
``compare.py``) are the project's side-by-side benchmark kit, copied unchanged; see README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(cmd: list[str]) -> tuple[str, float, float]:
    """Runs `cmd`, returns (stdout, wall seconds, peak RSS of that process in MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, out)
    # ru_maxrss of this one child, KiB on Linux.
    return out, time.perf_counter() - t0, usage.ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="park-1000")
    ap.add_argument("--grid", type=int, default=1000)
    ap.add_argument("--cell", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--work", default=None, help="work folder (default: /tmp/qra-<scenario>-<grid>)")
    a = ap.parse_args(argv)
    py = sys.executable
    work = Path(a.work or f"/tmp/qra-{a.scenario}-{a.grid}")
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base"
    grid = ["--grid", str(a.grid), "--cell", str(a.cell)]
    np_cmd = [py, str(HERE / "numpy_qra.py"), "--scenario", a.scenario, *grid, "--out", str(base)]
    subprocess.run(np_cmd, check=True, capture_output=True)
    files = {}
    modes = ("physical", "analytic", "analytic-tables")
    for mode in modes:
        files[mode] = work / f"{a.scenario}-{mode}.json"
        subprocess.run([py, str(HERE / "to_qra.py"), "--study", str(base / "study.json"), *grid,
                        "--mode", mode, "--out", str(files[mode])], check=True, capture_output=True)
    thr = [] if a.threads is None else ["--threads", str(a.threads)]
    times: dict[str, list[float]] = {"numpy": [], **{m: [] for m in modes}}
    mem: dict[str, float] = {}
    for _ in range(a.repeat):
        out, _, rss = _run(np_cmd)
        m = re.search(r"compute total\s+([0-9.]+) s", out)
        times["numpy"].append(float(m.group(1)) if m else float("nan"))
        mem["numpy"] = max(mem.get("numpy", 0.0), rss)
        for mode in modes:
            out, _, rss = _run([py, str(HERE / "run_qra.py"), str(files[mode]), "--no-popsum", *thr])
            times[mode].append(float(json.loads(out)["t_run_s"][0]))
            mem[mode] = max(mem.get(mode, 0.0), rss)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{a.scenario} at {a.grid}² × {a.cell:g} m, {a.repeat} interleaved runs, threads = {a.threads or 'all'}")
    print("| engine | median s (min–max) | NumPy time / engine time | peak RSS, MB (max of the runs) |")
    print("|---|---|---|---|")
    for k, label in (("numpy", "NumPy engine"), ("physical", "qra, physical models"),
                     ("analytic", "qra, analytic footprints (parametric, exact)"),
                     ("analytic-tables", "qra, analytic footprints as tables")):
        v = times[k]
        print(f"| {label} | {med[k]:.2f} ({min(v):.2f}–{max(v):.2f}) | {med['numpy'] / med[k]:.2f} | {mem[k]:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
