"""qra.Study / qra.RiskResult / qra.Compliance (the risk engine, issue 5).

Expected values are computed by hand from the definitions IR = Σ f·P·P_d and
F(N) = Σ_{N_k ≥ N} f_k (Purple Book / GB 36894, shared/reference/standards.md §1.1, §3.3).
"""

import copy
import pickle
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra

DEMO = Path(__file__).resolve().parents[2] / "models" / "studies" / "analytic_demo.toml"


def small_study(extra_events=None):
    events = [
        {
            "id": "E1",
            "installation": "A",
            "frequency_per_year": 1e-4,
            "outcomes": [
                {"spec": {"kind": "analytic", "footprint": {"type": "circle", "radius_m": 100.0, "p": 1.0}}}
            ],
        },
        {
            "id": "E2",
            "installation": "A",
            "frequency_per_year": 1e-5,
            "outcomes": [
                {"spec": {"kind": "analytic", "footprint": {"type": "circle", "radius_m": 300.0, "p": 0.5}}}
            ],
        },
    ]
    counts = [0.0] * 16
    counts[0] = 10.0
    counts[15] = 20.0
    return {
        "schema": "qra-study/1",
        "installations": [
            {"id": "A", "x_m": 0.0, "y_m": 0.0, "substance": "chlorine", "inventory_kg": 1000.0}
        ],
        "events": events + (extra_events or []),
        "meteorology": {
            "weather": [{"stability": "D", "wind_speed_m_s": 5.0, "probability": 1.0, "wind_rose": [1.0]}]
        },
        "population": {
            "rasters": [
                {
                    "x0_m": 45.0,
                    "y0_m": -5.0,
                    "cell_size_m": 10.0,
                    "nx": 16,
                    "ny": 1,
                    "counts": counts,
                    "indoor_fraction_day": 0.0,
                    "indoor_fraction_night": 0.0,
                }
            ]
        },
        "targets": [{"id": "house", "class": "general-3", "point": [50.0, 0.0]}],
        "grid": {"x_min_m": -400.0, "x_max_m": 400.0, "y_min_m": -400.0, "y_max_m": 400.0, "resolution_m": 10.0},
    }


def test_hand_computed_ir_fn_and_pll():
    r = qra.Study.from_dict(small_study()).run()
    # IR at 50 m: 1e-4·1 + 1e-5·0.5; at 200 m: 1e-5·0.5; beyond 300 m: 0.
    assert_allclose(r.risk_at(np.array([[50.0, 0.0], [0.0, 200.0], [310.0, 0.0]])), [1.05e-4, 5e-6, 0.0], rtol=1e-12)
    fn = r.fn_curve()
    assert list(fn.columns) == ["N", "F"]
    assert_allclose(fn["N"], [10.0, 15.0], rtol=1e-12)
    assert_allclose(fn["F"], [1.1e-4, 1e-5], rtol=1e-12)
    assert r.pll == pytest.approx(1.15e-3, rel=1e-12)
    assert r.individual_risk.shape == (len(r.y), len(r.x)) == (81, 81)
    # Rows are y: node (x = 50, y = 0) is row 40, column 45.
    assert r.individual_risk[40, 45] == pytest.approx(1.05e-4, rel=1e-12)
    c = r.contributions()
    assert list(c["event"]) == ["E1", "E2"]
    assert_allclose(c["pll"], [1e-3, 1.5e-4], rtol=1e-12)
    assert_allclose(c["ir:house"], [1e-4, 5e-6], rtol=1e-12)


def test_nl_group_risk_is_an_orientation_value():
    """Issue 16: the Bevi group-risk line (F = 1e-3/N², N >= 10) is an orientation value, not an
    intolerable limit. The small study has F(10) = 1.1e-4 against 1e-3/10² = 1e-5 at N = 10
    (ratio 11) and F(15) = 1e-5 against 1e-3/15² = 4.44e-6 (ratio 2.25): above the orientation
    value, worst ratio 11 at N = 10."""
    from qra.runner import _upper_line

    r = qra.Study.from_dict(small_study()).run()
    rep = r.check("NL-Bevi-2004")
    assert rep.fn_zone == "above the orientation value"
    assert rep.worst_ratio == pytest.approx(11.0, rel=1e-12)
    assert rep.to_dict()["fn_zone"] == "above-orientation-value"
    assert qra.criteria_set("NL-Bevi-2004")["societal"]["upper_line"] == "orientation-value"
    assert _upper_line("NL-Bevi-2004") == "orientation-value"
    assert _upper_line("GB36894-2018") == "intolerable"
    assert _upper_line("no-such-set") == "intolerable"


def test_compliance_report():
    r = qra.Study.from_dict(small_study()).run()
    rep = r.check("GB36894-2018")
    # F(10) = 1.1e-4 > 1e-3/10: intolerable; house (general-3, new: 1e-5) has IR 1.05e-4: fail.
    assert rep.fn_zone == "intolerable"
    assert not rep.passed
    assert rep.worst_ratio == pytest.approx(1.1, rel=1e-12)
    text = str(rep)
    assert "house" in text and "FAIL" in text
    d = rep.to_dict()
    assert d["targets"][0]["limit"] == 1e-5
    # External safety distance for the 1e-5 limit: the 100 m circle (IR 1.05e-4 inside,
    # 5e-6 outside) → 100 m within one grid cell (10 m). One installation: its own contour is the
    # combined one, so the per-installation distance agrees (within one ray step).
    dist = [s["distance_m"] for s in d["safety_distances"] if s["limit"] == 1e-5]
    assert {s["enterprise"] for s in d["safety_distances"]} == {"A", "(park)"}
    assert all(abs(x - 100.0) <= 10.0 for x in dist)
    own = [s["distance_m"] for s in d["installation_distances"] if s["limit"] == 1e-5]
    assert all(abs(x - 100.0) <= 10.0 for x in own)
    assert r.distance_to_level("A", 1e-5) == pytest.approx(own[0])
    with pytest.raises(qra.UnknownNameError):
        r.check("GB36894")
    with pytest.raises(ValueError):
        r.check("GB36894-2018", boundary="sideways")
    assert "GB36894-2018" in qra.criteria_sets()


def test_contours_and_geojson():
    r = qra.Study.from_file(DEMO).run()
    cs = r.contours([1e-6, 1e-5])
    assert [c["level"] for c in cs] == [1e-6, 1e-5]
    for c in cs:
        assert c["polygons"]
        for ring in c["rings"]:
            assert ring.shape[1] == 2
            assert_allclose(ring[0], ring[-1])
        # rings = every ring of every polygon, in order; exteriors counter-clockwise, holes clockwise
        assert sum(len(poly) for poly in c["polygons"]) == len(c["rings"])
        for poly in c["polygons"]:
            signed = [0.5 * float(np.sum(r[:-1, 0] * r[1:, 1] - r[1:, 0] * r[:-1, 1])) for r in poly]
            assert signed[0] > 0 and all(a < 0 for a in signed[1:])
    g = r.to_geojson()
    assert g["type"] == "FeatureCollection"
    assert {f["geometry"]["type"] for f in g["features"]} == {"MultiPolygon"}
    polys = [f["geometry"]["coordinates"] for f in g["features"] if f["geometry"]["coordinates"]]
    assert polys
    lon, lat = polys[0][0][0][0]
    assert 118.7 < lon < 118.9 and 31.9 < lat < 32.0


def test_threads_give_identical_results_and_study_round_trips():
    s = qra.Study.from_file(DEMO)
    a = s.run(threads=1)
    b = s.run(threads=2)
    assert np.array_equal(a.individual_risk, b.individual_risk)
    assert a.pll == b.pll
    s2 = qra.Study.from_dict(s.to_dict())
    assert s2.to_json() == s.to_json()
    s3 = pickle.loads(pickle.dumps(s))
    assert s3.to_json() == s.to_json()
    assert "Study" in repr(s) and "RiskResult" in repr(a)


def test_bad_studies_raise_with_field_paths():
    d = small_study()
    d["events"][1]["frequency_per_year"] = -1.0
    d["meteorology"]["weather"][0]["probability"] = 1.5
    d["installations"][0]["substance"] = "chlorin"
    with pytest.raises(qra.InvalidDocumentError) as e:
        qra.Study.from_dict(d)
    paths = [p[0] for p in e.value.problems]
    assert "events[1].frequency_per_year" in paths
    assert "meteorology.weather[0].probability" in paths
    assert "installations[0].substance" in paths
    assert isinstance(e.value, ValueError)
    huge = copy.deepcopy(small_study())
    huge["grid"]["x_max_m"] = 1e9
    with pytest.raises(qra.InvalidDocumentError):
        qra.Study.from_dict(huge)
    toxic = small_study([{"id": "T", "installation": "A", "frequency_per_year": 1e-6, "outcomes": [{"spec": {"kind": "toxic"}}]}])
    with pytest.raises(qra.InvalidInputError, match="hole_diameter_mm"):
        qra.Study.from_dict(toxic).run()
    with pytest.raises(qra.InvalidInputError):
        qra.Study.from_dict(small_study()).run(threads=0)
    with pytest.raises(ValueError):
        qra.Study.from_dict(small_study()).run().risk_at(np.zeros((3, 3)))


def test_scenario_table_of_the_sample_park():
    """``RiskResult.scenarios()``: one row per contributing scenario, with the source term and
    the 1 %/50 % lethality distances; the BLEVE fireball row against ``qra.fire.Fireball``."""
    root = Path(__file__).resolve().parents[2]
    result = qra.Study.from_file(str(root / "models/studies/sample_park.toml")).run()
    df = result.scenarios()
    assert list(df.columns[:5]) == ["installation", "event", "outcome", "kind", "weather"]
    assert len(df) > 100
    assert set(df["dispersion"].dropna()) <= {"dense", "passive"}
    assert (df["distance_50pct_m"] <= df["distance_1pct_m"] + 1e-9).all()
    fb = df[(df.event == "LPG-S1-G1") & (df.outcome == "BLEVE fireball")]
    assert len(fb) > 0
    assert_allclose(fb["airborne_mass_kg"], 200_000.0)
    assert_allclose(fb["outcome_probability"], 0.7)
    # The fireball is isotropic and weather-independent: one distance for every weather class.
    assert fb["distance_1pct_m"].nunique() == 1
    toxic = df[df.kind == "toxic"]
    assert (toxic["dispersion"].notna()).all()


def test_safety_distances_come_from_the_combined_contour():
    """Three tanks 25 m apart with P(r) = 1 − r/500 m, f = 1e-6 /y each (the issue-15 example with
    analytic footprints). By hand: one tank's own 3e-7 contour is r = 500·(1 − 0.3) = 350 m; the
    combined contour crosses the axis at x = 500·(1 − 0.1) = 450 m from the middle tank and lies
    y = (−2700 + √29 130 000)/6 = 449.54 m across it (3y² + 2700y − 1 820 000 = 0 from
    y + 2√(25² + y²) = 1350), the largest distance from the nearest tank."""
    radial = {"kind": "analytic", "footprint": {"type": "radial", "distance_m": [0.0, 500.0], "lethality": [1.0, 0.0]}}
    d = {
        "schema": "qra-study/1",
        "facilities": [{"id": "plant"}],
        "installations": [
            {"id": f"T{k}", "x_m": x, "y_m": 0.0, "substance": "chlorine", "inventory_kg": 30000.0, "facility": "plant"}
            for k, x in enumerate([-25.0, 0.0, 25.0])
        ],
        "events": [
            {"id": f"E{k}", "installation": f"T{k}", "frequency_per_year": 1e-6, "outcomes": [{"spec": radial}]}
            for k in range(3)
        ],
        "meteorology": {"weather": [{"stability": "D", "wind_speed_m_s": 5.0, "probability": 1.0, "wind_rose": [1.0]}]},
        "grid": {"x_min_m": -600.0, "x_max_m": 600.0, "y_min_m": -600.0, "y_max_m": 600.0, "resolution_m": 10.0},
    }
    r = qra.Study.from_dict(d).run()
    c = r.check("GB36894-2018")
    sd = c.safety_distances()
    assert list(sd.columns[:7]) == ["enterprise", "class", "status", "limit", "distance_m", "reference_x_m", "reference_y_m"]
    assert list(sd.columns[7:]) == [f"reach_{k}_m" for k in
                                    "N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW".split()]
    row = sd[(sd["enterprise"] == "plant") & (sd["class"] == "high-sensitive") & (sd["status"] == "new")].iloc[0]
    cell = 10.0 * np.sqrt(2.0)
    assert abs(row["distance_m"] - (-2700 + np.sqrt(29_130_000)) / 6) <= cell
    assert abs(row["reach_E_m"] - 450.0) <= cell and abs(row["reach_W_m"] - 450.0) <= cell
    own = c.installation_distances()
    own = own[(own["class"] == "high-sensitive") & (own["status"] == "new")]
    assert list(own["installation"]) == ["T0", "T1", "T2"]
    assert (abs(own["distance_m"] - 350.0) <= cell).all()
    g = r.distance_geojson("GB36894-2018", local_metres=True)  # no origin in this study
    feats = [f for f in g["features"] if f["properties"]["enterprise"] == "plant" and f["properties"]["level"] == 3e-7]
    assert len(feats) == 1 and feats[0]["geometry"]["type"] == "MultiPolygon"
    assert "high-sensitive" in feats[0]["properties"]["classes"]


def test_parametric_footprints_by_hand_and_bad_values():
    """Parametric shapes (issue 14) from Python: IR of a point-source fire by hand from
    q = τ·P/(4πr²), Y = −38.48 + 2.56·ln(t·q^(4/3)), P = Φ(Y − 5); a bad value inside a shape is
    refused with its field path."""
    from math import erfc, log, pi, sqrt

    d = small_study()
    fire = {"type": "point-source-fire", "radiated_power_w": 3.2e8, "transmissivity": 0.8,
            "exposure_s": 20.0, "probit": "eisenberg", "lethal_radius_m": 12.0}
    d["events"] = [{"id": "F", "installation": "A", "frequency_per_year": 1e-5,
                    "outcomes": [{"spec": {"kind": "analytic", "hazard": "thermal", "footprint": fire}}]}]
    r = qra.Study.from_dict(d).run()
    pts = np.array([[0.0, 5.0], [30.0, 0.0], [0.0, -45.0], [1000.0, 0.0]])

    def by_hand(x, y):
        dist = sqrt(x * x + y * y)
        if dist <= 12.0:
            return 1e-5
        q = 0.8 * 3.2e8 / (4.0 * pi * dist * dist)
        p = 0.5 * erfc(-(-38.48 + 2.56 * log(20.0 * q ** (4.0 / 3.0)) - 5.0) / sqrt(2.0))
        return 1e-5 * p if p >= 1e-6 else 0.0

    assert_allclose(r.risk_at(pts), [by_hand(x, y) for x, y in pts], rtol=1e-9, atol=0.0)
    # The grid holds the same values at its nodes (exact evaluation, no resampling).
    assert_allclose(r.individual_risk[40, 43], by_hand(30.0, 0.0), rtol=1e-9)
    bad = copy.deepcopy(d)
    bad["events"][0]["outcomes"][0]["spec"]["footprint"]["transmissivity"] = 1.5
    with pytest.raises(qra.InvalidDocumentError) as e:
        qra.Study.from_dict(bad)
    assert any("transmissivity" in p[0] + p[-1] for p in e.value.problems), e.value.problems
