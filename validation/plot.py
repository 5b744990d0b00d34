#!/usr/bin/env python3
"""Predicted-vs-observed plots for the validation report (``make validate``).

Reads the JSON written by ``qra-validate --json`` and writes one PNG per case: log-log scatter of
qra's prediction against the observed/published value, with the 1:1 line and factor-of-two bands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def plot_case(case: dict, out: Path) -> None:
    obs = np.asarray(case["expected"], dtype=float)
    pred = np.asarray(case["predicted"], dtype=float)
    ok = (obs > 0) & (pred > 0)
    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    if ok.any():
        lo = min(obs[ok].min(), pred[ok].min()) / 3
        hi = max(obs[ok].max(), pred[ok].max()) * 3
        xs = np.array([lo, hi])
        ax.loglog(xs, xs, "k-", lw=1, label="1:1")
        ax.loglog(xs, 2 * xs, "k--", lw=0.8, label="factor 2")
        ax.loglog(xs, xs / 2, "k--", lw=0.8)
        ax.loglog(obs[ok], pred[ok], "o", ms=4, color="tab:blue")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
    ax.set_xlabel("observed / published")
    ax.set_ylabel("qra")
    verdict = "pass" if case["pass"] else "FAIL"
    ax.set_title(f"{case['id']} ({verdict})", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(results: str, outdir: str) -> int:
    data = json.loads(Path(results).read_text(encoding="utf-8"))
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for case in data:
        plot_case(case, out / f"{case['id']}.png")
    print(f"{len(data)} plots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
