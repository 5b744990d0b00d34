"""HTML views of the native classes for Jupyter (``_repr_html_``): small tables, every text escaped."""

from __future__ import annotations

import html as _html

import numpy as _np

__all__ = ["study_html", "result_html", "compliance_html", "substance_html"]


def _table(title: str, rows: list[tuple[str, object]]) -> str:
    body = "".join(f"<tr><th style='text-align:left'>{_html.escape(str(k))}</th>"
                   f"<td style='text-align:left'>{_html.escape(str(v))}</td></tr>" for k, v in rows)
    return f"<div><strong>{_html.escape(title)}</strong><table>{body}</table></div>"


def study_html(study) -> str:
    d = study.to_dict()
    g = d["grid"]
    o = d.get("origin")
    pop = d.get("population") or {}
    return _table(f"qra.Study: {d.get('metadata', {}).get('title') or '(untitled)'}", [
        ("installations", len(d.get("installations", []))),
        ("LOC events", len(d.get("events", []))),
        ("pipelines", len(d.get("pipelines", []))),
        ("weather classes", len(d["meteorology"]["weather"])),
        ("population", f"{len(pop.get('rasters', []))} rasters, {len(pop.get('polygons', []))} polygons"),
        ("protected targets", len(d.get("targets", []))),
        ("grid", f"x {g['x_min_m']:g}…{g['x_max_m']:g} m, y {g['y_min_m']:g}…{g['y_max_m']:g} m, "
                 f"{g['resolution_m']:g} m"),
        ("origin", f"{o['latitude_deg']:g}° N, {o['longitude_deg']:g}° E (local frame: transverse Mercator)"
         if o else "none (local metres only)"),
    ])


def result_html(result) -> str:
    z = _np.asarray(result.individual_risk)
    return _table("qra.RiskResult", [
        ("grid", f"{len(result.x)} × {len(result.y)} nodes"),
        ("max individual risk", f"{float(_np.nanmax(z)) if z.size else 0.0:.3e} per year"),
        ("PLL", f"{result.pll:.3e} fatalities per year"),
        ("max N", f"{result.max_n:.3g}"),
        ("F-N points", len(result.fn_curve())),
        ("protected targets", len(result.targets())),
        ("CRS", result.crs or "local metres (no origin)"),
    ])


def compliance_html(compliance) -> str:
    d = compliance.to_dict()
    t = compliance.targets()
    rows: list[tuple[str, object]] = [
        ("criteria", d.get("criteria", "")),
        ("passed", "yes" if compliance.passed else "no"),
        ("F-N zone", compliance.fn_zone),
    ]
    for k in range(len(t)):
        verdict = "pass" if bool(t["pass"].iloc[k]) else "FAIL"
        rows.append((f"target {t['id'].iloc[k]} ({t['class'].iloc[k]})",
                     f"IR {float(t['individual_risk'].iloc[k]):.2e}/y, limit {float(t['limit'].iloc[k]):.0e}/y: {verdict}"))
    return _table("qra.Compliance", rows)


def substance_html(s) -> str:
    return _table(f"qra.Substance: {s.name}", [
        ("CAS", s.cas or "—"),
        ("Chinese name", s.name_zh or "—"),
        ("molar mass", f"{s.molar_mass_kg_mol} kg/mol" if s.molar_mass_kg_mol is not None else "—"),
        ("state at 25 °C", s.state),
        ("flammable", "yes" if s.flammable else "no"),
        ("toxic", "yes" if s.toxic else "no"),
    ])
