# %% [markdown]
# # 05 — Pipelines and transport routes (linear sources)
#
# A natural-gas transmission pipeline passing the edge of a park (`models/studies/pipeline_demo.toml`).
# A linear source is a polyline with release classes whose frequencies are given **per km per
# year**; the engine places release points every Δs along it, each with frequency f·Δs/1000, so
# the pipeline contributes to the same IR grid, F-N curve and PLL as the installations.
#
# For a straight line and a circular footprint of radius R the IR at distance d from the line is
# IR(d) = f/1000 · P · 2√(R² − d²) (the *interaction length*); the discretised line reproduces it
# within f/1000 · Δs, which we check first.
# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import qra
import qra.linear
from qra import plot

# %% [markdown]
# ## A straight line against the analytic transect
# %%
line = qra.Study.from_dict({
    "schema": "qra-study/1", "installations": [], "events": [],
    "pipelines": [{"id": "L", "vertices": [[-3000.0, 0.0], [3000.0, 0.0]], "substance": "methane", "spacing_m": 10.0,
                   "releases": [{"id": "rupture", "frequency_per_km_year": 1e-3,
                                 "outcomes": [{"spec": {"kind": "analytic", "footprint": {"type": "circle", "radius_m": 100.0, "p": 1.0}}}]}]}],
    "meteorology": {"weather": [{"stability": "D", "wind_speed_m_s": 5.0, "probability": 1.0, "wind_rose": [1.0]}]},
    "grid": {"x_min_m": -200.0, "x_max_m": 200.0, "y_min_m": -200.0, "y_max_m": 200.0, "resolution_m": 10.0},
})
d = np.linspace(-150, 150, 301)
num = qra.linear.transect(line, line.run(), "L", 3000.0, d)
ref = qra.linear.analytic_transect(1e-3, 100.0, 1.0, d)
print(f"largest |IR - analytic| = {np.abs(num['individual_risk'] - ref).max():.2e} /y (bound f/1000·Δs = {1e-3 / 1000 * 10:.0e})")
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(d, ref, "r--", label="analytic")
ax.plot(d, num["individual_risk"], "k-", lw=1, label="discretised (Δs = 10 m)")
ax.set_xlabel("distance from the line (m)")
ax.set_ylabel("IR (per year)")
ax.legend()
# %% [markdown]
# ## The demo pipeline: IR map, transect, societal risk per km
# %%
root = Path.cwd()
while not (root / "models").exists() and root != root.parent:
    root = root.parent
study = qra.Study.from_file(root / "models" / "studies" / "pipeline_demo.toml")
result = study.run()
print(qra.linear.sources(study).to_string(index=False))
print(f"PLL = {result.pll:.3e} /y")
print(result.targets()[["id", "individual_risk"]].to_string(index=False))
# %%
fig, ax = plt.subplots(figsize=(7, 5))
plot.risk_contours(result, ax=ax, levels=(1e-5, 1e-6, 3e-7, 1e-7, 1e-8))
for pl in study.to_dict()["pipelines"]:
    v = np.asarray(pl["vertices"])
    ax.plot(v[:, 0], v[:, 1], "-", color="tab:orange")
# %%
tr = qra.linear.transect(study, result, "NG-1", 500.0, np.linspace(-600, 600, 241))
ax = plot.transect(tr)
ax.set_title("IR across NG-1 at chainage 500 m")
# %% [markdown]
# Societal risk per km (Dutch/UK practice): the F-N curve of the releases from each 1-km stretch,
# ranked by max F·N² (the Dutch per-km orientation value F = 10⁻²/N² corresponds to 10⁻², [M]).
# %%
per = qra.linear.fn_per_km(study, result, "NG-1")
print(per[["start_m", "end_m", "pll", "fn2_max"]].round(6).head(10).to_string(index=False))
worst = qra.linear.worst_km(study, result, "NG-1")
print(f"worst km: {worst.attrs['start_m']:.0f}-{worst.attrs['end_m']:.0f} m, PLL {worst.attrs['pll']:.2e} /y")
fig, ax = plt.subplots(figsize=(6, 4))
ax.step(worst["N"], worst["F"], where="post", color="k", label="worst km")
ns = np.logspace(0, 3, 50)
ax.loglog(ns, 1e-2 / ns**2, "r-", label="10⁻²/N² per km [M]")
ax.set_xlim(1, 1000)
ax.set_ylim(1e-9, 1e-3)
ax.set_xlabel("N")
ax.set_ylabel("F (per km per year)")
ax.legend()
