# %% [markdown]
# # 03 — Park risk capacity, relocation ranking, siting and domino effects
#
# The built-in sample park: ten facilities (companies) — chlor-alkali, ammonia, LPG spheres, a
# refinery tank farm, hydrogen, ethylene oxide, phosgene, vinyl chloride, a sulphur recovery unit
# and polypropylene — next to a town, a school and a hospital. `qra.Park` computes every
# installation once and caches its results (risk is additive), which gives:
#
# * the park's IR grid, F-N curve, PLL, compliance with GB 36894-2018 and **risk capacity**
#   (utilisation u = 1/k, park risk level A–D);
# * **contributions** per facility and per event (share of IR at each protected target, of PLL
#   and of F-N exceedance) and a ranking for closure / relocation;
# * fast **what-if** answers (remove, move, add a facility) equal to a full recomputation;
# * a **siting capacity map** for a new facility;
# * a first-level **domino** analysis (escalation chains and domino-inclusive risk).
# %%
import time

import matplotlib.pyplot as plt
import pandas as pd

import qra
from qra import plot

t0 = time.perf_counter()
park = qra.Park.from_toml(qra.park.sample_park_toml())
print(f"prepared {park} in {time.perf_counter() - t0:.1f} s")
run = park.run()
print(f"PLL = {run.result.pll:.3e} /y, largest N = {run.result.max_n:.0f}, complies: {run.passed}")
print("capacity:", {k: run.capacity[k] for k in ("k", "utilisation", "level", "binding")})
print(run.result.targets().to_string(index=False))
# %% [markdown]
# ## Contributions and the relocation ranking
# Ranked by the facility's share of the targets' excess over their limits, then by PLL.
# %%
table = park.contributions()
cols = ["rank", "id", "excess_share", "pll", "pll_share", "limit_ratio", "F-N share N>=1", "F-N share N>=10"]
print(table[cols].to_string(index=False))
# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
table.set_index("id")["pll_share"].mul(100).plot.barh(ax=ax)
ax.set_xlabel("share of PLL (%)")
ax.invert_yaxis()
# %% [markdown]
# ## What-if: remove, move and add facilities
# Each answer reuses the cached results; only moved or added facilities are computed.
# %%
worst = table["id"].iloc[0]
new_store = """
[[facilities]]
id = "new-ammonia"
name = "planned ammonia store"
[[installations]]
id = "NH3-NEW"
facility = "new-ammonia"
x_m = -300.0
y_m = -650.0
substance = "ammonia"
inventory_kg = 50000.0
temperature_k = 293.15
phase = "two-phase"
[[events]]
id = "NH3-NEW-G3"
installation = "NH3-NEW"
loc = { equipment = "pressure-vessel", scenario = "G3" }
release = "hole"
hole_diameter_mm = 10.0
[[events.outcomes]]
spec = { kind = "toxic" }
"""
rows = []
for label, kw in [
    ("as is", {}),
    (f"close {worst}", {"remove": [worst]}),
    ("move ammonia 300 m west", {"move": {"ammonia": (-300.0, 0.0)}}),
    ("add an ammonia store", {"add": [new_store]}),
]:
    t = time.perf_counter()
    w = park.what_if(**kw)
    rows.append({"what-if": label, "time (s)": round(time.perf_counter() - t, 3), "PLL (/y)": w.result.pll,
                 "u": w.capacity["utilisation"], "level": w.capacity["level"], "complies": w.passed})
print(pd.DataFrame(rows).to_string(index=False))
alt = park.what_if(remove=[worst])
# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
levels = [1e-8, 1e-7, 1e-6, 1e-5]
plot.risk_contours(run.result, ax=axes[0], levels=levels)
axes[0].set_title("sample park")
plot.risk_contours(alt.result, ax=axes[1], levels=levels)
axes[1].set_title(f"without {worst}")
# %% [markdown]
# ## Siting capacity map
# Where could another phosgene unit go? Each candidate inside the park boundary is a what-if
# "add" of a copy of the facility centred there.
# %%
t = time.perf_counter()
smap = park.siting_map("phosgene", spacing_m=400.0)
print(f"{int(smap.inside.sum())} candidates in {time.perf_counter() - t:.1f} s")
ax = plot.siting_map(smap)
# %% [markdown]
# ## Domino effects (first level)
# Escalation from primary jet fires, pool fires and explosions to neighbouring installations
# (Cozzani et al. thresholds and probits); the secondary event is the target's catastrophic
# release with frequency f_primary · P_esc.
# %%
chains, dstudy = qra.park.domino(park.study)
print(chains[["primary_event", "primary_outcome", "target_installation", "vector", "intensity",
              "p_escalation", "secondary_frequency_per_year"]].head(10).to_string(index=False))
dom = dstudy.run()
print(f"PLL without domino {run.result.pll:.4e} /y, with first-level domino {dom.pll:.4e} /y "
      f"(+{dom.pll - run.result.pll:.2e} /y)")
# %% [markdown]
# ## GB 18218-2018 major-hazard identification
# %%
d = park.study.to_dict()
rows = []
for i in d["installations"]:
    mh = qra.park.major_hazard({i["substance"]: i["inventory_kg"]}, exposed_persons=100)
    rows.append({"installation": i["id"], "facility": i.get("facility"), "substance": i["substance"],
                 "q (t)": i["inventory_kg"] / 1000.0, "S = Σq/Q": mh.s, "grade": mh.grade_zh})
pd.DataFrame(rows)
