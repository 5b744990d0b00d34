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
# ## Dense gas: the SLAB-class model against Britter–McQuaid and the Burro 8 LNG trial
# Burro 8 (LNG on water, 116.9 kg/s for 107 s from a 14.9 m radius pool, class E, 2.5 m/s at
# 10 m, 306 K, 94.1 kPa, z₀ 0.2 mm): arc-maximum methane volume fractions of the MEP database
# (`validation/cases/slab-burro`, PROVENANCE there). `SlabPlume` integrates the cloud (pool,
# 10 s averaging, receptors at 1 m); `BritterMcQuaidPlume` is the workbook's continuous plume of
# methane vapour at its boiling point with the non-isothermal correction (a screening value; the
# validation cases apply the workbook's finite-duration rule). Over all 45 dense-gas points the
# SLAB-class model passes the Hanna & Chang gate (FB 0.34, FAC2 0.51, `slab-dense-gas-pooled`);
# the workbook over-predicts the LNG trials about twice (FB −0.75, `dense-gas-field-trials`).
# %%
burro8 = {57.0: 0.559, 140.0: 0.181, 400.0: 0.061, 800.0: 0.021}
rate, area, t_a, p_a = 116.95, np.pi * 14.93**2, 306.02, 94100.0
slab = qra.dispersion.SlabPlume(
    substance="methane", rate_kg_s=rate, wind_speed_m_s=2.4998, stability="E", source="pool",
    area_m2=area, duration_s=107.0, averaging_time_s=10.0, ambient_temperature_k=t_a,
    pressure_pa=p_a, roughness_m=2e-4,
)
r_gas = 8.314462618
rho_air = p_a * 0.02896442 / (r_gas * t_a)
rho_ch4_boil = p_a * 0.016043 / (r_gas * 111.7)
bm = qra.dispersion.BritterMcQuaidPlume(
    rate_kg_s=rate, gas_density_kg_m3=rho_ch4_boil, wind_speed_m_s=2.4998, stability="E",
    air_density_kg_m3=rho_air, source_temperature_k=111.7, ambient_temperature_k=t_a,
)
xs = np.geomspace(30.0, 2000.0, 80)
rho_ch4_amb = rho_ch4_boil * 111.7 / t_a
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(xs, slab.volume_fraction(xs, 0.0, 1.0), label="SLAB-class (SlabPlume)")
ax.loglog(xs, bm.concentration(xs) / rho_ch4_amb, "--", label="Britter–McQuaid (continuous)")
ax.loglog(list(burro8), list(burro8.values()), "ko", label="Burro 8 arc maxima (MEP)")
ax.set_xlabel("downwind distance (m)")
ax.set_ylabel("methane volume fraction")
ax.legend()
for x, obs in burro8.items():
    print(f"x = {x:5.0f} m  observed {obs:.3f}  SLAB {slab.volume_fraction(x, 0.0, 1.0).item():.3f}  "
          f"workbook {bm.concentration(x).item() / rho_ch4_amb:.3f}")
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
