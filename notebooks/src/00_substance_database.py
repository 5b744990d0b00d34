# %% [markdown]
# # 00 — The substance database
#
# qra ships a database of hazardous chemicals met in Chinese QRA studies (`models/substances.toml`).
# Every value carries its source and a verification tag (V primary text, S secondary source,
# M recalled and not re-verified). This notebook browses it with pandas and checks vapour-pressure
# curves against NIST reference points.
# %%
import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import qra

rows = [json.loads(qra.substance(n).to_json()) for n in qra.substances()]
df = pd.DataFrame(rows).set_index("name")
df[["name_zh", "state", "flammable", "toxic", "molar_mass_kg_mol", "normal_boiling_point_k", "lfl_vol_frac"]].head(12)
# %% [markdown]
# ## Vapour pressure of liquefied gases
# Antoine fits (generated from `thermo`) against NIST WebBook saturation pressures at 20 °C.
# %%
nist_20c = {"ammonia": 857.5e3, "chlorine": 674.0e3, "propane": 836.4e3, "n-butane": 207.6e3}
fig, ax = plt.subplots(figsize=(6, 4))
for name, p_ref in nist_20c.items():
    s = qra.substance(name)
    t = np.linspace(230.0, 330.0, 50)
    ax.semilogy(t - 273.15, [s.vapour_pressure_pa(x) for x in t], label=name)
    ax.plot(20.0, p_ref, "k+")
    assert abs(s.vapour_pressure_pa(293.15) / p_ref - 1) < 0.03
ax.set_xlabel("temperature (°C)")
ax.set_ylabel("saturation pressure (Pa)")
ax.legend()
fig.tight_layout()
# %% [markdown]
# ## GB 18218-2018 critical quantities
# %%
gb = pd.DataFrame({n: r["gb18218"] for n, r in zip(df.index, rows)}).T
gb[["critical_quantity_t", "category", "beta", "verification"]].sort_values("critical_quantity_t").head(10)
