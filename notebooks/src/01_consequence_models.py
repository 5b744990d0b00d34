# %% [markdown]
# # 01 — A tour of the consequence models
#
# Concentration, heat flux and overpressure against distance with `qra.plot.effect_vs_distance`,
# compared with public data in `/work/shared/data` where it exists (Project Prairie Grass arc
# maxima, Barad 1958 as transcribed by DisperSim3D; TNT scaled overpressure, Kingery & Bulmash
# 1984 digitised curve). The data files are read only when present (the notebook also runs
# without them).
# %%
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import qra
from qra.plot import effect_vs_distance

DATA = Path("/work/shared/data")
d = np.linspace(20.0, 1000.0, 200)
# %% [markdown]
# ## Gaussian plume against Prairie Grass run 7 (class B)
# Continuous SO2 release at 0.46 m, receptors at 1.5 m; arc-maximum 10-min concentrations.
# A screening comparison (secondary transcription of Barad 1958, see the data README): the usual
# acceptance band for Gaussian models is a factor of two (FAC2); the printed ratios show where the
# Briggs rural sigmas over- or under-predict this run. The `prairie-grass` validation case holds
# the full metrics.
# %%
pg_file = DATA / "prairie_grass" / "prairie_grass_5runs_arcmax.csv"
observed = None
if pg_file.exists():
    pg = pd.read_csv(pg_file)
    r7 = pg[pg.run == 7]
    observed = (r7.x_m.to_numpy(), r7.arcmax_conc_kg_m3.to_numpy())
plume = qra.dispersion.GaussianPlume(rate_kg_s=0.0899, wind_speed_m_s=4.44, stability="B", release_height_m=0.46)
fig, ax = plt.subplots(figsize=(6, 4))
effect_vs_distance(lambda x: plume.concentration(x, np.zeros_like(x), np.full_like(x, 1.5)), d, ax=ax,
                   label="Gaussian plume (Briggs rural)", ylabel="concentration (kg/m³)", observed=observed)
if observed is not None:
    pred = plume.concentration(observed[0], np.zeros_like(observed[0]), np.full_like(observed[0], 1.5))
    ratio = pred / observed[1]
    print("predicted / observed:", np.round(ratio, 2), "FAC2 fraction:", float(np.mean((ratio >= 0.5) & (ratio <= 2.0))))
# %% [markdown]
# ## Heat flux of a pool fire and a fireball
# %%
pool = qra.fire.PoolFire.from_substance("gasoline", diameter_m=20.0, wind_speed_m_s=3.0)
ball = qra.fire.Fireball(50_000.0, 46.3e6, 0.3)
fig, ax = plt.subplots(figsize=(6, 4))
effect_vs_distance(lambda x: pool.heat_flux(x, np.zeros_like(x)), d, ax=ax, label="pool fire, gasoline, D = 20 m")
effect_vs_distance(lambda x: ball.heat_flux(x, np.zeros_like(x)), d, ax=ax, label="fireball, 50 t propane",
                   ylabel="heat flux (W/m²)")
ax.axhline(12.5e3, color="grey", ls=":")
print(f"pool fire reach of 12.5 kW/m²: {pool.reach_m(12.5e3):.0f} m; fireball: {ball.reach_m(12.5e3):.0f} m")
# %% [markdown]
# ## Overpressure: TNT (Kingery–Bulmash) against the digitised curve, and Baker–Strehlow–Tang
# (The TNO Multi-Energy curves are not available yet: no verified digitisation.)
# %%
w = 1000.0
tnt_file = DATA / "bst_curves" / "tnt_scaled_overpressure.csv"
obs = None
if tnt_file.exists():
    t = pd.read_csv(tnt_file)
    z = t.scaled_distance_m_per_kg13.to_numpy()
    keep = (z * w ** (1 / 3) >= d[0]) & (z * w ** (1 / 3) <= d[-1])
    obs = (z[keep] * w ** (1 / 3), t.scaled_overpressure.to_numpy()[keep] * 101325.0)
fig, ax = plt.subplots(figsize=(6, 4))
effect_vs_distance(lambda x: qra.explosion.tnt_blast(w, x)["incident_overpressure_pa"], d, ax=ax,
                   label="TNT 1 t (Kingery–Bulmash fit)", observed=obs)
# 5000 m³ of stoichiometric hydrocarbon-air mixture, ~3.5 MJ/m³ (Multi-Energy convention [M])
bst = qra.explosion.BakerStrehlowTang(energy_j=5000.0 * 3.5e6, flame_mach=0.35)
effect_vs_distance(bst.overpressure, d, ax=ax, label="BST, 5000 m³, Mf = 0.35", ylabel="overpressure (Pa)")
# %% [markdown]
# ## Model objects
# Every model prints its inputs (evaluable for the small models), compares by value and pickles
# from one JSON form; unpickling re-validates and gives the same numbers bit for bit.
# %%
import pickle

for model in (plume, pool, bst):
    print(repr(model))
again = pickle.loads(pickle.dumps(pool))
assert again == pool and (again.heat_flux(d, 0.0) == pool.heat_flux(d, 0.0)).all()
print(bst.to_json())
