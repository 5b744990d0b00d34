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
    import json

    s_sum = 0.0
    lines.append("  GB 18218-2018 screening of the sample inventory (q / Q):")
    for name, q in SAMPLE_INVENTORY_T.items():
        data = json.loads(qra.substance(name).to_json())["gb18218"]
        ratio = q / data["critical_quantity_t"]
        s_sum += ratio
        lines.append(f"    {name:<10} q = {q:7.1f} t   Q = {data['critical_quantity_t']:7.1f} t   q/Q = {ratio:6.2f}")
    verdict = "major hazard installation (S >= 1)" if s_sum >= 1 else "not a major hazard installation"
    lines.append(f"  S = {s_sum:.2f}: {verdict}")
    text = "\n".join(lines)
    (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
    return text
