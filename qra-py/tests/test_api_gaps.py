"""Public names that no other test exercised (found by ``test_api_coverage.py``).

References: the EPA (Irwin 1979) wind-profile exponents; Burgess & Zabetakis (1962) burning
rate; GB 36894-2018 F-N lines (shared/reference/standards.md §1.1); the rest are behaviour checks
(limits give typed errors, tables agree between languages, tolerances are applied as documented).
"""

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import qra
from qra import plot, report, runner
from qra import verify as qv

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "models" / "studies" / "analytic_demo.toml"


def test_wind_speed_at_power_law():
    # u(z) = u_ref (z/z_ref)^p with p = 0.15 for rural D and 0.30 for urban F (Irwin 1979, EPA).
    assert qra.dispersion.wind_speed_at(5.0, 100.0, "D") == pytest.approx(5.0 * 10.0**0.15, rel=1e-12)
    assert qra.dispersion.wind_speed_at(2.0, 2.5, "F", terrain="urban") == pytest.approx(2.0 * 0.25**0.30, rel=1e-12)
    with pytest.raises(qra.InvalidInputError):
        qra.dispersion.wind_speed_at(-1.0, 10.0, "D")
    with pytest.raises(qra.UnknownNameError):
        qra.dispersion.wind_speed_at(3.0, 10.0, "G")


def test_burgess_zabetakis_burning_rate():
    # m'' = 1e-3 ΔHc / (ΔHv + cp (Tb − Ta)) kg/m²/s (Burgess & Zabetakis 1962; CCPS 1999 eq. 2.2.x [M]).
    # Hand computation for hexane-like values: ΔHc 44.7 MJ/kg, ΔHv 335 kJ/kg, cp 2.26 kJ/kg/K, Tb 342 K, Ta 293 K.
    m = qra.fire.burgess_zabetakis_kg_m2_s(44.7e6, 335e3, 2260.0, 342.0, 293.0)
    assert m == pytest.approx(1e-3 * 44.7e6 / (335e3 + 2260.0 * 49.0), rel=1e-9)
    with pytest.raises(qra.InvalidInputError):
        qra.fire.burgess_zabetakis_kg_m2_s(-1.0, 335e3, 2260.0, 342.0, 293.0)


def test_criteria_set_lines():
    gb = qra.criteria_set("GB36894-2018")
    soc = gb["societal"]
    line = soc["intolerable"]
    # GB 36894-2018: intolerable F = 1e-3/N (standards.md §1.1)
    assert line["anchor_f"] * (10.0 / line["anchor_n"]) ** line["slope"] == pytest.approx(1e-4, rel=1e-12)
    assert gb["id"] == "GB36894-2018" and set(qra.criteria_sets()) >= {"GB36894-2018"}
    with pytest.raises(qra.UnknownNameError):
        qra.criteria_set("GB-nope")


def test_exception_hierarchy():
    assert issubclass(qra.ResourceLimitError, qra.InvalidInputError)
    assert issubclass(qra.ResourceLimitError, ValueError)
    assert issubclass(qra.NumericalError, qra.QraError) and issubclass(qra.NumericalError, ArithmeticError)
    assert not issubclass(qra.NumericalError, ValueError)


def test_read_study_limits_and_digest(tmp_path, monkeypatch):
    p = tmp_path / "s.toml"
    shutil.copy(DEMO, p)
    study, digest = runner.read_study(p)
    assert digest == hashlib.sha256(p.read_bytes()).hexdigest()
    assert isinstance(study, qra.Study)
    monkeypatch.setattr(runner, "MAX_STUDY_BYTES", 10)
    with pytest.raises(qra.ResourceLimitError):
        runner.read_study(p)


def test_build_report_and_constants(tmp_path):
    s = runner.run_study(DEMO, tmp_path)
    assert s["format"] == runner.SUBMISSION_FORMAT
    gj = json.loads((tmp_path / "contours.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["level"] for f in gj["features"]} <= set(runner.LEVELS)
    study = qra.Study.from_file(DEMO)
    result = study.run()
    comp = result.check().to_dict()
    svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"
    doc = runner.build_report(study.to_dict(), result, comp, s, {"map": svg, "fn": svg, "rose": svg}, result.contributions(), "zh")
    html = report.render_html(doc)
    assert html.startswith("<!DOCTYPE html>") and report.label("fn", "zh") in html and report.label("fn", "zh") != report.label("fn", "en")


def test_report_labels_exist_in_both_languages():
    assert set(report.LABELS["en"]) == set(report.LABELS["zh"])
    assert all(report.LABELS["zh"][k] for k in report.LABELS["zh"])


def test_plot_default_levels_hold_gb36894_limits():
    # GB 36894-2018 IR limits (standards.md §1.1): 3e-7, 3e-6, 1e-5, 3e-5 per year
    assert {3e-7, 3e-6, 1e-5, 3e-5} <= set(plot.DEFAULT_LEVELS)


def test_multi_energy_strength_and_major_hazard_terms():
    assert qra.explosion.MultiEnergy(energy_j=1e9, strength=6).strength == 6
    mh = qra.park.major_hazard({"chlorine": 10_000.0})
    # GB 18218-2018 Table 1: chlorine critical quantity 5 t → q/Q = 2
    (name, q_t, crit_t, ratio, beta) = mh.terms[0]
    assert name == "chlorine" and q_t == pytest.approx(10.0) and crit_t == pytest.approx(5.0)
    assert ratio == pytest.approx(2.0)


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    d = tmp_path_factory.mktemp("gap")
    study = d / "study.toml"
    shutil.copy(DEMO, study)
    runner.run_study(study, d / "sub")
    return study, d / "sub"


def _bad(summary, rec):
    return [c for c in qv.compare_summary(summary, rec) if not c["match"]]


def test_verify_tolerances_are_applied(submission):
    study_path, sub = submission
    s = qv.load_summary(sub)
    study, digest = runner.read_study(study_path)
    result = study.run()
    prov = {"file": s["study"]["file"], "qra_version": s["qra_version"], "python": s["python"],
            "matplotlib": s["matplotlib"], "run_seconds": s["run_seconds"]}
    rec, _ = runner.render_outputs(study, digest, result, s["lang"], s["criteria"], prov)
    assert not _bad(s, rec)
    for key, rel, floor in [("pll_per_year", qv.PLL_REL_TOL, qv.PLL_ABS_FLOOR)]:
        inside = json.loads(json.dumps(s))
        inside[key] = s[key] * (1 + 0.5 * rel) + 0.5 * floor
        assert not _bad(inside, rec)
        outside = json.loads(json.dumps(s))
        outside[key] = s[key] * (1 + 3 * rel) + 3 * floor
        assert _bad(outside, rec)
    t = json.loads(json.dumps(s))
    t["targets"][0]["individual_risk"] = s["targets"][0]["individual_risk"] * (1 + 3 * qv.IR_REL_TOL) + 3 * qv.IR_ABS_FLOOR
    assert any(c["check"] == "IR at target" for c in _bad(t, rec))
    f = json.loads(json.dumps(s))
    f["fn_curve"]["F"][0] = s["fn_curve"]["F"][0] * (1 + 3 * qv.FN_REL_TOL) + 3 * qv.FN_ABS_FLOOR
    assert any(c["check"] == "F-N" for c in _bad(f, rec))
    assert 0 < qv.DISTANCE_REL_TOL < 0.1


def test_load_summary_rejects_deep_json(tmp_path):
    deep = {"a": 1}
    for _ in range(qv.MAX_JSON_DEPTH + 2):
        deep = {"x": deep}
    (tmp_path / "summary.json").write_text(json.dumps(deep), encoding="utf-8")
    with pytest.raises(qra.ResourceLimitError):
        qv.load_summary(tmp_path)


def test_verify_render(submission, tmp_path):
    study, sub = submission
    v = qv.verify(study, sub, tmp_path / "v")
    for lang in ("en", "zh"):
        html = qv.render(v, lang)
        assert "PASS" in html and "<table" in html


def test_compliance_tables():
    r = qra.Study.from_file(DEMO).run()
    c = r.check()
    t = c.targets()
    assert list(t.columns) == ["id", "class", "status", "individual_risk", "limit", "pass",
                               "individual_risk_new", "individual_risk_in_service", "clause"]
    assert np.array_equal(t["individual_risk"].to_numpy(), r.targets()["individual_risk"].to_numpy())
    assert (t["pass"] == (t["individual_risk"] <= t["limit"])).all()
    sd = c.safety_distances()
    assert list(sd.columns[:5]) == ["enterprise", "class", "status", "limit", "distance_m"]
    assert (sd["distance_m"] >= 0).all()
    assert set(sd["enterprise"]) == {"CL2-T1", "LPG-S1", "(park)"}
    inst = c.installation_distances()
    assert list(inst.columns) == ["installation", "class", "status", "limit", "distance_m"]
    # The combined contour holds each installation's own: no enterprise distance is smaller
    # than its installation's (one enterprise per installation here), up to one 10 m cell.
    for _, e in sd[sd["enterprise"] != "(park)"].iterrows():
        own = inst[(inst["installation"] == e["enterprise"]) & (inst["limit"] == e["limit"])]
        assert (e["distance_m"] >= own["distance_m"] - 10.0 * np.sqrt(2.0)).all()
    assert r.study == qra.Study.from_file(DEMO)


def test_substance_properties_against_references():
    """Propane against NIST Chemistry WebBook (SRM 69; Lemmon et al. fluid data: Tc 369.89 K,
    pc 4.2512 MPa, ρ_l(Tb = 231.04 K) 580.9 kg/m³, ΔvapH(Tb) 19.04 kJ/mol, cp,gas(298 K)
    73.60 J/mol/K, triple point 85.5 K), Poling, Prausnitz & O'Connell (2001) App. A (ω = 0.152),
    flammability limits between NFPA 497 (2.1–9.5 %) and IEC 60079-20-1 (1.7–10.9 %),
    Babrauskas (SFPE Handbook) m″∞ = 0.099 kg/m²/s."""
    s = qra.substance("propane")
    m = 0.044097
    assert s.critical_temperature_k == pytest.approx(369.89, rel=1e-3)
    assert s.critical_pressure_pa == pytest.approx(4.2512e6, rel=1e-3)
    assert s.acentric_factor == pytest.approx(0.152, abs=2e-3)
    assert s.melting_point_k == pytest.approx(85.5, abs=0.5)
    assert s.liquid_density_kg_m3 == pytest.approx(580.9, rel=0.01)
    assert s.liquid_density_temperature_k == pytest.approx(231.04, abs=0.5)
    assert s.heat_of_vaporisation_j_kg == pytest.approx(19.04e3 / m, rel=0.03)
    assert s.cp_gas_j_kg_k == pytest.approx(73.60 / m, rel=0.02)
    assert s.cp_liquid_j_kg_k == pytest.approx(2250.0, rel=0.05)
    assert s.heat_capacity_ratio == pytest.approx(73.60 / (73.60 - 8.314462), rel=0.02)
    assert 0.017 <= s.lfl_vol_frac <= 0.021 and 0.095 <= s.ufl_vol_frac <= 0.109
    assert s.burning_rate_kg_m2_s == pytest.approx(0.099, rel=0.05)
    assert s.name_zh == "丙烷" and "C3H8" in s.aliases and s.state == "liquefied"


def test_bst_flame_mach_and_report_figure():
    assert qra.explosion.BakerStrehlowTang(energy_j=1e9, flame_mach=0.7).flame_mach == 0.7
    fig = report.Figure(png=b"\x89PNG", caption="map <b>", alt="a \"map\"")
    html = report.render_html(report.Report(title="t", sections=[report.Section(title="s", figures=[fig])]))
    assert fig.caption in html.replace("&lt;b&gt;", "<b>") and "<b>" not in html
    assert fig.alt == 'a "map"' and "&quot;map&quot;" in html
    zh = report.Report(title="t", lang="zh")
    assert zh.lang == "zh" and 'lang="zh' in report.render_html(zh)
