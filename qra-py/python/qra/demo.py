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
    if lang == "zh":
        from qra.runner import _term

        zone = {"intolerable": "不可接受区", "alarp": "尽可能降低区", "acceptable": "可接受区"}.get(str(c["fn_zone"]), c["fn_zone"])
        lines = [
            f"qra {qra.__version__} 示例：{s['study']['title']}",
            f"  网格 {s['grid']['nx']} × {s['grid']['ny']}，间距 {s['grid']['dx_m']:g} m，计算用时 {s['run_seconds']:.2f} s",
            f"  最大个人风险 {s['max_individual_risk']:.2e} /年，PLL {s['pll_per_year']:.2e} /年，最大死亡人数 {s['max_n']:.0f}",
            f"  {c['criteria']}：F-N 曲线位于{zone}；防护目标：",
        ]
        for t in c["targets"]:
            verdict = "符合" if t["pass"] else "超出基准"
            lines.append(f"    {t['id']:<24} {_term(t['class'], True)}  个人风险 {t['individual_risk']:.2e} /年  基准 {t['limit']:.0e}  {verdict}")
        lines.append(f"  结果目录 {out}：report.html、map.svg、fn.svg、study.toml、contours.geojson、fn_curve.csv、individual_risk.npy、summary.json")
    else:
        lines = [
            f"qra {qra.__version__} demo: {s['study']['title']}",
            f"  grid {s['grid']['nx']} x {s['grid']['ny']} at {s['grid']['dx_m']:g} m, computed in {s['run_seconds']:.2f} s",
            f"  max individual risk {s['max_individual_risk']:.2e} /y, PLL {s['pll_per_year']:.2e} /y, largest N {s['max_n']:.0f}",
            f"  {c['criteria']}: F-N zone {c['fn_zone']}; protected targets:",
        ]
        for t in c["targets"]:
            verdict = "ok" if t["pass"] else "EXCEEDS"
            lines.append(f"    {t['id']:<24} {t['class']:<15} IR {t['individual_risk']:.2e} /y  limit {t['limit']:.0e}  {verdict}")
        lines.append(f"  outputs in {out}: report.html, map.svg, fn.svg, study.toml, contours.geojson, fn_curve.csv, individual_risk.npy, "
                     "summary.json")
    text = "\n".join(lines)
    write_outputs(out, {"summary.txt": (text + "\n").encode("utf-8")})
    return text
