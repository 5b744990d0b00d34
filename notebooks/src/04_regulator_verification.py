# %% [markdown]
# # 04 — A regulator verifies a submitted study
#
# A firm runs its study with `qra run` and sends the folder (a `qra-submission/2`, see
# `docs/submission-format.md`) with the study file. The regulator runs `qra verify`, which
# recomputes the study and compares the IR at every protected target, the PLL, the F-N curve, the
# external safety distances and the compliance verdicts with documented tolerances, and lists
# plausibility findings. Here we verify an honest submission, then a tampered one.
# %%
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

import qra
from qra.cli import main
from qra.runner import run_study

work = Path(tempfile.mkdtemp(prefix="qra-verify-"))
study_file = work / "plant.toml"
study_file.write_text(qra.park.sample_park_toml(), encoding="utf-8")
summary = run_study(study_file, work / "submitted")
print(f"submitted: PLL {summary['pll_per_year']:.3e} /y, study sha256 {summary['study']['sha256'][:16]}…")
# %% [markdown]
# ## The honest submission verifies (exit status 0)
# %%
status = main(["verify", str(study_file), str(work / "submitted"), "-o", str(work / "check-1")])
print("exit status", status)
# %% [markdown]
# ## Tampering: halve the IR at the school and lower the PLL by 20 %
# %%
tampered = work / "tampered"
shutil.copytree(work / "submitted", tampered)
s = json.loads((tampered / "summary.json").read_text(encoding="utf-8"))
s["targets"][0]["individual_risk"] *= 0.5
s["pll_per_year"] *= 0.8
(tampered / "summary.json").write_text(json.dumps(s), encoding="utf-8")
status = main(["verify", str(study_file), str(tampered), "-o", str(work / "check-2")])
print("exit status", status)
v = json.loads((work / "check-2" / "verification.json").read_text(encoding="utf-8"))
pd.DataFrame(v["differences"])[["check", "item", "submitted", "recomputed", "tolerance"]]
# %% [markdown]
# ## A study edited after submission gives STUDY CHANGED
# %%
edited = work / "plant-edited.toml"
edited.write_text(study_file.read_text(encoding="utf-8").replace("inventory_kg = 30000.0", "inventory_kg = 20000.0", 1),
                  encoding="utf-8")
status = main(["verify", str(edited), str(work / "submitted"), "-o", str(work / "check-3")])
print("exit status", status)
# %%
print("verification.html:", (work / "check-2" / "verification.html").stat().st_size, "bytes")
shutil.rmtree(work)
