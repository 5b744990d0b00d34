"""The figure check of ``tools/run_notebooks.py`` (issue 19): an executed notebook whose figures
did not reach its output (e.g. a kernel switched to Agg) fails ``make notebooks``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "run_notebooks.py"
nbformat = pytest.importorskip("nbformat")


def load_tool():
    spec = importlib.util.spec_from_file_location("run_notebooks", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def notebook(outputs: list[dict]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])"))
    nb.cells[0].outputs = [nbformat.from_dict(o) for o in outputs]
    return nb


PNG = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}, "metadata": {}}
TEXT = {"output_type": "execute_result", "execution_count": 1, "data": {"text/plain": "[<matplotlib.lines.Line2D>]"}, "metadata": {}}


@pytest.mark.skipif(not TOOL.exists(), reason="needs the source checkout's tools/")
def test_missing_figure_is_reported() -> None:
    tool = load_tool()
    problems = tool.figure_problems(notebook([TEXT]))
    assert problems == ["code cell 1: 1 figure(s) created, 0 image output(s)", "imports matplotlib but has no image output"]


@pytest.mark.skipif(not TOOL.exists(), reason="needs the source checkout's tools/")
def test_shown_figure_passes() -> None:
    tool = load_tool()
    assert tool.figure_problems(notebook([TEXT, PNG])) == []
    assert tool.image_outputs(notebook([PNG, PNG]).cells[0]) == 2
