"""The examples of the documentation site run (issue 19): the complete study of
``docs/how-to/write-a-study.md`` parses, runs and gives a verdict."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import qra

DOCS = Path(__file__).resolve().parents[2] / "docs"


def toml_blocks(page: Path) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.skipif(not DOCS.exists(), reason="needs the source checkout's docs/")
def test_write_a_study_example_runs() -> None:
    (text,) = toml_blocks(DOCS / "how-to" / "write-a-study.md")
    study = qra.Study.from_toml(text)
    d = study.to_dict()
    assert [i["id"] for i in d["installations"]] == ["NH3-T1"]
    result = study.run()
    ir = np.asarray(result.individual_risk)
    assert ir.shape == (61, 61)  # (1200 m / 20 m) + 1 grid lines per axis
    assert np.all(np.isfinite(ir)) and ir.max() > 0.0
    # Risk falls with distance from the tank: the village (≥ 300 m away) has less than the tank's cell.
    near, village = result.risk_at(np.array([[20.0, 0.0], [400.0, 0.0]]))
    assert 0.0 <= village < near
    compliance = result.check("GB36894-2018")
    assert [t["id"] for t in compliance.to_dict()["targets"]] == ["village"]
