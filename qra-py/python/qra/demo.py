"""The built-in demonstration (``qra demo`` / ``make demo``).

Until the consequence and risk engines land, the demo reports the substance database and a
GB 18218-2018 major-hazard screening of a sample inventory (the S = Σ q/Q sum, GB 18218 §4.2).
"""

from __future__ import annotations

import csv
from pathlib import Path

import qra

#: Sample inventory of a small chlor-alkali / ammonia site, tonnes (illustrative).
SAMPLE_INVENTORY_T = {"chlorine": 30.0, "ammonia": 60.0, "hydrogen": 0.5, "lpg": 20.0, "methanol": 300.0}


def run(out: Path) -> str:
    """Writes the demo outputs to ``out`` and returns a printable summary."""
    rows = []
    for name in qra.substances():
        s = qra.substance(name)
        rows.append(
            {
                "name": s.name,
                "name_zh": s.name_zh or "",
                "cas": s.cas or "",
                "state": s.state,
                "flammable": s.flammable,
                "toxic": s.toxic,
                "molar_mass_kg_mol": s.molar_mass_kg_mol,
                "normal_boiling_point_k": s.normal_boiling_point_k,
                "lfl_vol_frac": s.lfl_vol_frac,
                "heat_of_combustion_j_kg": s.heat_of_combustion_j_kg,
            }
        )
    with open(out / "substances.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    lines = [f"qra {qra.__version__} demo", f"  substance database: {len(rows)} substances -> {out / 'substances.csv'}"]
    mh = qra.park.major_hazard({k: v * 1000.0 for k, v in SAMPLE_INVENTORY_T.items()}, exposed_persons=120)
    lines.append("  GB 18218-2018 identification of the sample inventory (120 people within 500 m):")
    for name, q_t, cq_t, ratio, beta in mh.terms:
        lines.append(f"    {name:<10} q = {q_t:7.1f} t   Q = {cq_t:7.1f} t   q/Q = {ratio:6.2f}   beta = {beta:g}")
    grade = f"grade {mh.grade} ({mh.grade_zh})" if mh.grade else "not a major hazard installation"
    lines.append(f"  S = {mh.s:.2f}, alpha = {mh.alpha:g}, R = {mh.r:.1f}: {grade}")
    text = "\n".join(lines)
    (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
    return text
