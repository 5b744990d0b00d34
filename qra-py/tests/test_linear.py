"""qra.linear: pipelines and transport routes (linear sources) in the risk engine.

Reference: the analytic transect of a straight line with a circular footprint,
IR(d) = f/1000 · P · 2√(R² − d²) (interaction length; hand-derived, see qra_core::risk::linear).
The discretised line counts release points in the chord, so |IR − IR_analytic| ≤ f/1000 · Δs.
"""

import pickle
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra
import qra.linear

matplotlib.use("Agg")

DEMO = Path(__file__).resolve().parents[2] / "models" / "studies" / "pipeline_demo.toml"


def line_study(spacing_m=10.0, kind="pipeline", release=None):
    release = release or {"id": "rupture", "frequency_per_km_year": 1e-3}
    release = dict(release)
    release["outcomes"] = [{"spec": {"kind": "analytic", "footprint": {"type": "circle", "radius_m": 100.0, "p": 1.0}}}]
    return qra.Study.from_dict(
        {
            "schema": "qra-study/1",
            "installations": [],
            "events": [],
            "pipelines": [
                {
                    "id": "L1",
                    "kind": kind,
                    "vertices": [[-2000.0, 0.0], [2000.0, 0.0]],
                    "substance": "methane",
                    "spacing_m": spacing_m,
                    "releases": [release],
                }
            ],
            "meteorology": {
                "weather": [{"stability": "D", "wind_speed_m_s": 5.0, "probability": 1.0, "wind_rose": [0.5, 0.5]}]
            },
            "grid": {"x_min_m": -200.0, "x_max_m": 200.0, "y_min_m": -200.0, "y_max_m": 200.0, "resolution_m": 10.0},
        }
    )


@pytest.mark.parametrize("spacing", [10.0, 2.0])
def test_transect_matches_analytic(spacing):
    s = line_study(spacing)
    r = s.run()
    d = np.linspace(-119.5, 119.5, 49)
    df = qra.linear.transect(s, r, "L1", 2000.0, d)
    ref = qra.linear.analytic_transect(1e-3, 100.0, 1.0, d)
    assert list(df.columns) == ["distance_m", "individual_risk"]
    assert np.all(np.abs(df["individual_risk"].to_numpy() - ref) <= 1e-3 / 1000.0 * spacing * (1 + 1e-9))
    # Symmetric about the line.
    assert_allclose(df["individual_risk"].to_numpy(), df["individual_risk"].to_numpy()[::-1], rtol=1e-12)


def test_transport_route_frequency_is_accident_times_release_probability():
    a = line_study(release={"id": "bleve", "accident_frequency_per_km_year": 4e-3, "release_probability": 0.25})
    b = line_study()
    ra, rb = a.run(), b.run()
    assert_allclose(ra.individual_risk, rb.individual_risk, rtol=1e-12)


def test_demo_study_runs_and_fn_per_km():
    s = qra.Study.from_file(DEMO)
    r = s.run()
    src = qra.linear.sources(s)
    assert list(src["id"]) == ["NG-1"] and src["length_m"][0] > 3000.0
    per = qra.linear.fn_per_km(s, r, "NG-1")
    assert len(per) > 1 and (per["end_m"] - per["start_m"] == 1000.0).all()
    worst = qra.linear.worst_km(s, r, "NG-1")
    assert worst.attrs["fn2_max"] == per["fn2_max"].max()
    f = worst["F"].to_numpy()
    assert np.all(np.diff(f) <= 0.0)  # F-N monotone
    # The pipeline's release points are in the run like installations.
    assert any("#" in i for i in r.contributions()["installation"])
    from qra import plot

    ax = plot.transect(qra.linear.transect(s, r, "NG-1", 500.0, np.linspace(-400, 400, 81)))
    assert ax.get_yscale() == "log"
    # Pickling the study keeps its pipelines.
    s2 = pickle.loads(pickle.dumps(s))
    assert s2.to_dict()["pipelines"][0]["id"] == "NG-1"


def test_errors():
    s = line_study()
    r = s.run()
    with pytest.raises(qra.UnknownNameError):
        qra.linear.transect(s, r, "nope", 0.0, [0.0])
    with pytest.raises(qra.InvalidInputError):
        qra.linear.transect(s, r, "L1", -1.0, [0.0])
    with pytest.raises(qra.InvalidInputError):
        qra.linear.transect(s, r, "L1", 0.0, [np.nan])
    with pytest.raises(qra.InvalidInputError):
        qra.linear.analytic_transect(-1.0, 100.0, 1.0, [0.0])
    with pytest.raises(qra.InvalidInputError):
        qra.linear.fn_per_km(s, r, "L1", window_m=0.0)
    with pytest.raises(qra.InvalidDocumentError) as e:
        qra.Study.from_toml(DEMO.read_text().replace("frequency_per_km_year = 5.0e-5", "frequency_per_km_year = -5.0e-5"))
    assert any("pipelines[0].releases[0]" in p[0] for p in e.value.problems) or "pipelines[0].releases[0]" in str(e.value)


def test_road_tanker_route_with_physical_outcomes():
    """A propane road-tanker route: BLEVE fireball and flash fire from the consequence models,
    frequency = accident rate × release probability per km-year."""
    s = qra.Study.from_dict({
        "schema": "qra-study/1", "installations": [], "events": [],
        "pipelines": [{"id": "R1", "kind": "road", "vertices": [[-1000.0, 0.0], [1000.0, 0.0]], "substance": "propane",
                       "inventory_kg": 20000.0, "phase": "two-phase", "temperature_k": 288.15,
                       "releases": [{"id": "bleve", "accident_frequency_per_km_year": 0.02, "release_probability": 1e-3,
                                     "release": "instantaneous",
                                     "event_tree": {"immediate_ignition": 0.5, "delayed_ignition": 0.5},
                                     "outcomes": [{"branch": "immediate", "spec": {"kind": "fireball"}},
                                                  {"branch": "delayed-flash", "spec": {"kind": "flash-fire"}}]}]}],
        "meteorology": {"weather": [{"stability": "D", "wind_speed_m_s": 5.0, "probability": 1.0, "wind_rose": [0.25] * 4}]},
        "grid": {"x_min_m": -600.0, "x_max_m": 600.0, "y_min_m": -600.0, "y_max_m": 600.0, "resolution_m": 20.0},
    })
    r = s.run()
    ir = qra.linear.transect(s, r, "R1", 1000.0, [0.0, 50.0, 100.0, 200.0, 300.0])["individual_risk"].to_numpy()
    # Propane from a 20 t tanker is a dense cloud: its top-hat radius grows as it drifts, so right
    # next to the route the risk can rise slightly (here +0.2 % at 50 m, +1.4 % at 25 m) before it
    # falls; from 50 m out it must fall with distance.
    assert ir[0] > 0.0 and np.all(np.diff(ir[1:]) <= 0.0)
    assert ir.max() <= 1.05 * ir[0]
    # Upper bound: every release kills everyone within the interaction length of the whole route.
    assert ir[0] <= 0.02 * 1e-3 * 2.0
    assert qra.linear.sources(s)["kind"][0] == "road"
