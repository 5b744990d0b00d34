"""No library call changes the matplotlib backend (issue 19): ``qra run`` / ``qra verify`` render
their figures without pyplot, so a Jupyter kernel keeps showing plots inline."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

import qra

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "models" / "studies" / "analytic_demo.toml"


def test_no_module_switches_the_backend() -> None:
    pkg = Path(qra.__file__).parent
    offenders = [
        f"{p.name}:{i}"
        for p in sorted(pkg.glob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"matplotlib\.use\(|switch_backend\(", line)
    ]
    assert offenders == []


@pytest.mark.skipif(not STUDY.exists(), reason="needs the source checkout's models/")
def test_run_study_keeps_the_backend_and_leaves_no_pyplot_figure(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    from qra.runner import run_study

    original = matplotlib.get_backend()
    plt.close("all")
    matplotlib.use("svg")  # a non-default backend the old code would have switched to Agg
    try:
        run_study(STUDY, tmp_path / "out")
        assert matplotlib.get_backend() == "svg"
        assert plt.get_fignums() == []
    finally:
        matplotlib.use(original)
    assert (tmp_path / "out" / "map.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert (tmp_path / "out" / "fn.svg").read_bytes().lstrip().startswith(b"<?xml")
