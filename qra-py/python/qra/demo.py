"""The built-in demonstration (``qra demo`` / ``make demo``): a full QRA of the sample park.

Writes the sample study itself (``sample_park.toml``) and every ``qra run`` output — IR grid,
contours (GeoJSON), F-N curve (CSV, SVG), risk map (SVG), compliance and the HTML report — plus a
GB 18218-2018 identification table, and returns a printable summary.
"""

from __future__ import annotations

from pathlib import Path

import qra


def run(out: Path, lang: str = "en") -> str:
    """Runs the sample park into ``out`` and returns a printable summary."""
    from qra.runner import run_study, write_outputs

    write_outputs(out, {"sample_park.toml": qra.park.sample_park_toml().encode("utf-8")})
    study_file = out / "sample_park.toml"

    s = run_study(study_file, out, lang=lang)
    c = s["compliance"]
    lines = [
        f"qra {qra.__version__} demo: {s['study']['title']}",
        f"  grid {s['grid']['nx']} x {s['grid']['ny']} at {s['grid']['dx_m']:g} m, computed in {s['run_seconds']:.2f} s",
        f"  max individual risk {s['max_individual_risk']:.2e} /y, PLL {s['pll_per_year']:.2e} /y, largest N {s['max_n']:.0f}",
        f"  {c['criteria']}: F-N zone {c['fn_zone']}; protected targets:",
    ]
    for t in c["targets"]:
        verdict = "ok" if t["pass"] else "EXCEEDS"
        lines.append(f"    {t['id']:<24} {t['class']:<15} IR {t['individual_risk']:.2e} /y  limit {t['limit']:.0e}  {verdict}")
    lines.append(f"  outputs in {out}: report.html, map.svg, fn.svg, study.toml, contours.geojson, fn_curve.csv, individual_risk.npy, summary.json")
    text = "\n".join(lines)
    write_outputs(out, {"summary.txt": (text + "\n").encode("utf-8")})
    return text
