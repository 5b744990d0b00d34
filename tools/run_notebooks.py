#!/usr/bin/env python3
"""Executes every notebook in a folder top to bottom (used by ``make test``); fails on any error
and on a figure that did not reach the notebook.

``run_notebooks.py [FOLDER] [--out DIR]``: with ``--out``, the executed notebooks (outputs and
figures included) are written to DIR, where the documentation site renders them as tutorials
without running them a second time.

Figure check: a code cell that creates figures with ``plt.subplots(`` must have at least as many
``image/png`` outputs, and a notebook that imports matplotlib must have at least one. The kernel's
own (inline) backend is used: no notebook and no library call may switch it to Agg, or the figures
would silently disappear.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def image_outputs(cell: dict) -> int:
    """Number of PNG images among a code cell's outputs."""
    return sum(1 for o in cell.get("outputs", []) if "image/png" in o.get("data", {}))


def figure_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Cells whose figures are missing from an executed notebook (empty list: none)."""
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code, 1):
        made = cell.source.count("plt.subplots(")
        shown = image_outputs(cell)
        if shown < made:
            problems.append(f"code cell {i}: {made} figure(s) created, {shown} image output(s)")
    if any("import matplotlib" in c.source for c in code) and sum(image_outputs(c) for c in code) == 0:
        problems.append("imports matplotlib but has no image output")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default="notebooks")
    ap.add_argument("--out", type=Path, help="write the executed notebooks here")
    args = ap.parse_args(argv)
    paths = sorted(Path(args.folder).glob("*.ipynb"))
    if not paths:
        print(f"no notebooks in {args.folder}", file=sys.stderr)
        return 1
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for p in paths:
        t0 = time.time()
        nb = nbformat.read(p, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(p.parent)}}).execute()
        images = sum(image_outputs(c) for c in nb.cells if c.cell_type == "code")
        problems = figure_problems(nb)
        if args.out:
            nbformat.write(nb, args.out / p.name)
        if problems:
            failed += 1
            print(f"notebook {p.name}: FAILED figure check: " + "; ".join(problems), file=sys.stderr)
        else:
            print(f"notebook {p.name}: ok, {images} figure(s) ({time.time() - t0:.1f} s)")
    print(f"{len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
