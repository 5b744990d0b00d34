# %% [markdown]
# # 03 — Park risk capacity and relocation ranking
#
# The built-in sample park (five plants next to a town, a school and a hospital). We look at how
# much each installation contributes to the societal risk (PLL) and to the individual risk at the
# protected targets, rank the candidates for relocation, and run a what-if: remove the largest
# contributor from the study dict and re-run. Finally each installation is identified and graded
# as a major hazard after GB 18218-2018.
# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

import qra
from qra import plot

study = qra.Study.from_toml(qra.park.sample_park_toml())
d = study.to_dict()
base = study.run()
print(f"PLL = {base.pll:.3e} /y, largest N = {base.max_n:.0f}")
print(base.check("GB36894-2018"))
# %% [markdown]
# ## Contributions per installation
# %%
contrib = base.contributions()
by_inst = contrib.groupby("installation")["pll"].sum().sort_values(ascending=False)
share = (100.0 * by_inst / by_inst.sum()).round(1)
ranking = pd.DataFrame({"PLL (/y)": by_inst, "share (%)": share})
print(ranking.to_string())
# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
share.plot.barh(ax=ax)
ax.set_xlabel("share of PLL (%)")
ax.invert_yaxis()
# %% [markdown]
# ## What-if: relocate (remove) the largest contributor
# %%
worst = by_inst.index[0]
d2 = dict(d)
d2["installations"] = [i for i in d["installations"] if i["id"] != worst]
d2["events"] = [e for e in d["events"] if e["installation"] != worst]
alt = qra.Study.from_dict(d2).run()
t0, t1 = base.targets(), alt.targets()
cmp = pd.DataFrame({"target": t0["id"], "IR before (/y)": t0["individual_risk"], "IR after (/y)": t1["individual_risk"]})
print(f"without {worst}: PLL {base.pll:.3e} -> {alt.pll:.3e} /y")
print(cmp.to_string(index=False))
# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
levels = [1e-8, 1e-7, 1e-6, 1e-5]
plot.risk_contours(base, ax=axes[0], levels=levels)
axes[0].set_title("sample park")
plot.risk_contours(alt, ax=axes[1], levels=levels)
axes[1].set_title(f"without {worst}")
# %% [markdown]
# ## GB 18218-2018 major-hazard identification
# %%
rows = []
for i in d["installations"]:
    mh = qra.park.major_hazard({i["substance"]: i["inventory_kg"]}, exposed_persons=100)
    rows.append({"installation": i["id"], "substance": i["substance"], "q (t)": i["inventory_kg"] / 1000.0,
                 "S = Σq/Q": mh.s, "grade": mh.grade_zh})
pd.DataFrame(rows)
