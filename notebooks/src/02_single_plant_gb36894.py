# %% [markdown]
# # 02 — A single-plant QRA against GB 36894-2018
#
# A small study built as a Python dict (schema `qra-study/1`): one chlorine tank with generic
# Purple-Book LOC frequencies, a toxic outcome computed by the dispersion models, uniform weather,
# a village and a school as protected targets. We run it, draw the individual-risk contours and the
# F-N curve with the GB 36894 criterion lines, and tabulate compliance.
# %%
import matplotlib.pyplot as plt

import qra
from qra import plot

rose = [1.0 / 12.0] * 12
study = qra.Study.from_dict({
    "schema": "qra-study/1",
    "metadata": {"title": "single chlorine tank / 液氯储罐"},
    "installations": [{"id": "CL2", "status": "in-service", "x_m": 0.0, "y_m": 0.0, "substance": "chlorine", "inventory_kg": 20000.0,
                       "temperature_k": 293.15, "phase": "two-phase", "detection_isolation": "BB"}],
    "events": [
        {"id": "G3", "installation": "CL2", "loc": {"equipment": "pressure-vessel", "scenario": "G3"}, "release": "hole",
         "hole_diameter_mm": 10.0, "outcomes": [{"id": "toxic", "spec": {"kind": "toxic"}}]},
        {"id": "G1", "installation": "CL2", "loc": {"equipment": "pressure-vessel", "scenario": "G1"},
         "release": "instantaneous", "outcomes": [{"id": "toxic puff", "spec": {"kind": "toxic"}}]},
    ],
    "meteorology": {"day_fraction": 0.5, "weather": [
        {"stability": "D", "wind_speed_m_s": 5.0, "probability_day": 0.7, "probability_night": 0.4, "wind_rose": rose},
        {"stability": "F", "wind_speed_m_s": 1.5, "probability_day": 0.3, "probability_night": 0.6, "wind_rose": rose}]},
    "population": {"polygons": [{"id": "village", "vertices": [[300, 300], [700, 300], [700, 700], [300, 700]],
                                  "count_day": 400, "count_night": 600}]},
    "targets": [
        {"id": "school", "class": "high-sensitive", "point": [-600.0, 200.0]},
        {"id": "village", "class": "general-2", "polygon": [[300, 300], [700, 300], [700, 700], [300, 700]]},
    ],
    "grid": {"x_min_m": -1500.0, "x_max_m": 1500.0, "y_min_m": -1500.0, "y_max_m": 1500.0, "resolution_m": 20.0},
})
result = study.run()
print(f"PLL = {result.pll:.3e} /y, max IR = {result.individual_risk.max():.3e} /y, largest N = {result.max_n:.1f}")
# %%
fig, ax = plt.subplots(figsize=(6, 5.5))
# targets, installations and population come from the study behind the result
plot.risk_contours(result, ax=ax, levels=[1e-8, 1e-7, 3e-7, 1e-6, 3e-6, 1e-5])
fig, ax = plt.subplots(figsize=(6, 4.5))
plot.fn_curve(result, ax=ax, criteria="GB36894-2018")  # criterion lines, zones shaded
# %% [markdown]
# ## Compliance with GB 36894-2018
# %%
c = result.check("GB36894-2018")
print(c)
c.targets()
# %% [markdown]
# External safety distances come from the contour of the **combined** individual risk of all
# installations (per enterprise and for the park, with the reach in 16 directions); each
# installation's distance to its own contour is kept for comparison (issue 15).
# %%
c.safety_distances()
# %%
c.installation_distances()
# %% [markdown]
# ## Saving and sharing
# Every model object pickles from its serde (JSON) form; unpickling re-validates the input and gives
# the same numbers bit for bit (a result re-runs its study, which is deterministic).
# %%
import pickle

again = pickle.loads(pickle.dumps(study))
assert again == study and (again.run().individual_risk == result.individual_risk).all()
print(repr(study))
