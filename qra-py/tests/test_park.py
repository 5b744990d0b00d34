"""qra.park.major_hazard (GB 18218-2018)."""

import numpy as np
import pytest

import qra


def test_chlorine_ammonia_store_hand_computed():
    # S = 30/5 + 60/10 = 12; R = 2 (4·6 + 2·6) = 72 -> 二级 (GB 18218-2018 Tables 1, 3, 5).
    mh = qra.park.major_hazard({"chlorine": 30_000.0, "ammonia": 60_000.0}, exposed_persons=120)
    assert mh.s == pytest.approx(12.0)
    assert mh.r == pytest.approx(72.0)
    assert (mh.grade, mh.grade_zh, mh.is_major_hazard) == (2, "二级", True)
    assert "S=12.000" in repr(mh)


def test_below_threshold_has_no_grade():
    mh = qra.park.major_hazard({"methanol": 1000.0})
    assert not mh.is_major_hazard and mh.grade is None


def test_bad_inputs():
    with pytest.raises(qra.UnknownNameError):
        qra.park.major_hazard({"chlorin": 1.0})
    with pytest.raises(qra.InvalidInputError):
        qra.park.major_hazard({"chlorine": -1.0})
    with pytest.raises(qra.InvalidInputError):
        qra.park.major_hazard({})


def test_capacity_of_the_sample_park_halves_when_frequencies_double():
    import tomllib

    d = tomllib.loads(qra.park.sample_park_toml())
    d["events"] = [e for e in d["events"] if e["id"] in ("CL2-T1-G3", "LPG-S1-G1")]
    a = qra.park.capacity(qra.Study.from_dict(d).run(), pll_cap_per_year=1e-3)
    for e in d["events"]:
        e["loc"]["multiplier"] = 2.0 * e["loc"].get("multiplier", 1.0)
    for r in (r for pl in d["pipelines"] for r in pl["releases"]):  # the pipeline NG-1 too
        r["frequency_per_km_year"] *= 2.0
    b = qra.park.capacity(qra.Study.from_dict(d).run(), pll_cap_per_year=1e-3)
    assert a["k"] > 0 and b["k"] == pytest.approx(a["k"] / 2, rel=1e-12)
    assert a["level"] in "ABCD" and a["remaining_pll_per_year"] < 1e-3
    with pytest.raises(qra.UnknownNameError):
        qra.park.capacity(qra.Study.from_dict(d).run(), criteria="nope")


def test_what_if_removal_matches_a_full_run_without_the_installation():
    import numpy as np
    import tomllib

    d = tomllib.loads(qra.park.sample_park_toml())
    with pytest.warns(DeprecationWarning, match=r"qra.park.WhatIf is deprecated.*Park\(study\).what_if"):
        w = qra.park.WhatIf(qra.Study.from_dict(d))
    assert "LPG-S1" in w.installations and "WhatIf" in repr(w)
    r = w.without(["LPG-S1"])
    d2 = dict(d)
    d2["installations"] = [i for i in d["installations"] if i["id"] != "LPG-S1"]
    d2["events"] = [e for e in d["events"] if e["installation"] != "LPG-S1"]
    full = qra.Study.from_dict(d2).run()
    assert np.array_equal(r["individual_risk"].view(np.uint64), full.individual_risk.view(np.uint64))
    assert r["pll"] == pytest.approx(full.pll, rel=1e-12)
    with pytest.raises(qra.UnknownNameError):
        w.without(["LPG-S9"])


@pytest.fixture(scope="module")
def park():
    return qra.Park.from_toml(qra.park.sample_park_toml())


def test_park_contributions_ranked_and_sum_to_one(park):
    assert len(park.facilities) == 11 and "lpg" in park.facilities and "NG-1" in park.facilities  # NG-1: the pipeline
    run = park.run()
    df = park.contributions()
    assert list(df["rank"]) == list(range(1, 12))
    assert df["pll_share"].sum() == pytest.approx(1.0, rel=1e-12)
    assert df["pll"].sum() == pytest.approx(run.result.pll, rel=1e-12)
    ev = park.contributions(by="event")
    assert len(ev) == len(park.study.to_dict()["events"])
    with pytest.raises(qra.InvalidInputError):
        park.contributions(by="company")
    assert run.capacity["level"] in "ABCD" and "ParkRun" in repr(run)


def test_park_what_if_equals_full_run(park):
    import numpy as np

    w = park.what_if(remove=["phosgene"], move={"ammonia": (100.0, -50.0)})
    full = w.study.run()
    assert np.array_equal(w.result.individual_risk.view(np.uint64), full.individual_risk.view(np.uint64))
    assert w.result.pll == pytest.approx(full.pll, rel=1e-12)
    with pytest.raises(qra.UnknownNameError):
        park.what_if(remove=["lpgg"])


def test_park_pickles():
    import pickle

    d = tomllib_loads(qra.park.sample_park_toml())
    d["events"] = [e for e in d["events"] if e["id"] in ("CL2-T1-G3", "PHG-V1-G3")]
    keep = {"CL2-T1", "PHG-V1"}
    d.pop("pipelines", None)
    d["installations"] = [i for i in d["installations"] if i["id"] in keep]
    d["park_boundary"] = [[-900.0, -800.0], [1000.0, -800.0], [-900.0, 900.0]]  # a triangle
    p = qra.Park(qra.Study.from_dict(d))
    q = pickle.loads(pickle.dumps(p))
    assert q.facilities == p.facilities == ["chlor-alkali", "phosgene"]
    assert q.run().result.pll == p.run().result.pll
    s = p.siting_map("phosgene", spacing_m=600.0)
    assert s.utilisation.shape == (len(s.y), len(s.x)) and s.inside.any() and not s.inside.all()
    assert np.all(np.isnan(s.utilisation[~s.inside])) and np.all(s.utilisation[s.inside] >= 0)
    # Utilisation is the capacity of the what-if "add" at that candidate.
    j, i = np.argwhere(s.inside)[0]
    c = p.study.to_dict()["installations"]
    phg = next(x for x in c if x["id"] == "PHG-V1")
    block = f"""
[[installations]]
id = "X"
x_m = {s.x[i]}
y_m = {s.y[j]}
substance = "phosgene"
inventory_kg = {phg["inventory_kg"]}
temperature_k = 293.15
phase = "two-phase"
detection_isolation = "AA"
[[events]]
id = "X-G3"
installation = "X"
loc = {{ equipment = "pressure-vessel", scenario = "G3" }}
release = "hole"
hole_diameter_mm = 10.0
[[events.outcomes]]
spec = {{ kind = "toxic" }}
"""
    w = p.what_if(add=[block])
    assert s.utilisation[j, i] == pytest.approx(w.capacity["utilisation"], rel=1e-12, abs=1e-300)


def tomllib_loads(text):
    import tomllib

    return tomllib.loads(text)


def test_domino_chains_and_domino_inclusive_risk():
    """First-level domino on the sample park's LPG spheres: every chain has P_esc in [0, 1] and
    f_secondary = f_primary · P_esc; the domino-inclusive study has the secondary events and at
    least the base PLL (risk is additive)."""
    d = tomllib_loads(qra.park.sample_park_toml())
    keep = {i["id"] for i in d["installations"] if i["id"].startswith("LPG-")}
    d["installations"] = [i for i in d["installations"] if i["id"] in keep]
    d["events"] = [e for e in d["events"] if e["installation"] in keep]
    d.pop("pipelines", None)
    study = qra.Study.from_dict(d)
    chains, with_domino = qra.park.domino(study)
    assert len(chains) >= 1
    assert ((chains["p_escalation"] >= 0) & (chains["p_escalation"] <= 1)).all()
    f = chains["primary_frequency_per_year"] * chains["p_escalation"]
    assert np.allclose(chains["secondary_frequency_per_year"], f, rtol=1e-12, atol=0)
    assert set(chains["target_installation"]) <= keep
    n0 = len(study.to_dict()["events"])
    assert len(with_domino.to_dict()["events"]) == n0 + len(chains)
    assert with_domino.run().pll >= study.run().pll
    with pytest.raises(TypeError):
        qra.park.domino("not a study")  # type: ignore[arg-type]


def test_siting_map_is_a_siting_map():
    d = tomllib_loads(qra.park.sample_park_toml())
    d["events"] = [e for e in d["events"] if e["id"] in ("CL2-T1-G3",)]
    d["installations"] = [i for i in d["installations"] if i["id"] == "CL2-T1"]
    d.pop("pipelines", None)
    s = qra.Park(qra.Study.from_dict(d)).siting_map("chlor-alkali", spacing_m=900.0)
    assert isinstance(s, qra.park.SitingMap) and s.template == "chlor-alkali"


def test_park_run_contribution_rows_match_the_dataframe(park):
    run = park.run()
    rows = run.contribution_rows(True)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert len(rows[0]["target_ir"]) == len(run.target_ids) and len(rows[0]["fn_share"]) == len(run.fn_share_n)
    assert list(run.fn_share_n) == [1.0, 10.0, 100.0]
    df = qra.park.contributions(run)
    assert list(df["id"]) == [r["id"] for r in rows]


def test_units_of_a_study_graded_together():
    # Two 200 t LPG spheres in one storage unit (Q = 50 t, β = 1.5; GB 18218-2018 Tables 1, 4),
    # 10 people 300 m away (α = 1.0, Table 5): S = 8, R = 12 -> 三级 (each alone: R = 6, 四级).
    def inst(i, x):
        return {"id": i, "x_m": x, "y_m": 0.0, "substance": "lpg", "inventory_kg": 200_000.0, "unit": "farm"}

    study = qra.Study.from_dict({
        "schema": "qra-study/1",
        "units": [{"id": "farm", "kind": "storage"}],
        "installations": [inst("S1", -20.0), inst("S2", 20.0)],
        "events": [{"id": f"E{k}", "installation": i, "frequency_per_year": 1e-6,
                    "outcomes": [{"spec": {"kind": "analytic", "footprint": {"type": "circle", "radius_m": 10.0, "p": 1.0}}}]}
                   for k, i in enumerate(["S1", "S2"])],
        "population": {"polygons": [{"vertices": [[290, -10], [310, -10], [310, 10], [290, 10]], "count_day": 10.0}]},
        "meteorology": {"weather": [{"stability": "D", "wind_speed_m_s": 5.0, "probability": 1.0, "wind_rose": [1.0]}]},
        "grid": {"x_min_m": -100.0, "x_max_m": 100.0, "y_min_m": -100.0, "y_max_m": 100.0, "resolution_m": 10.0},
    })
    (u,) = study.major_hazard_units()
    assert (u["unit"], u["kind"], u["installations"], u["exposed_persons"]) == ("farm", "storage", ["S1", "S2"], 10)
    ident = u["identification"]
    assert ident["s"] == pytest.approx(8.0) and ident["alpha"] == 1.0
    assert ident["r"] == pytest.approx(12.0) and ident["grade"] == "Three"
