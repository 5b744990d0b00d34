#!/usr/bin/env python3
"""Writes a notebook from a list of (kind, source) cells: ``make_notebook.py OUT.ipynb < cells.py``.

Cells in the input are separated by lines ``# %% [markdown]`` or ``# %%`` (the percent format).
Keeps notebooks reviewable as plain text in the repo history.
"""

from __future__ import annotations

import sys

import nbformat


def main(out: str) -> int:
    text = sys.stdin.read()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    kind, buf = "code", []

    def flush() -> None:
        src = "\n".join(buf).strip("\n")
        if src:
            if kind == "markdown":
                src = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in src.splitlines())
                nb.cells.append(nbformat.v4.new_markdown_cell(src))
            else:
                nb.cells.append(nbformat.v4.new_code_cell(src))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, buf = ("markdown" if "[markdown]" in line else "code"), []
        else:
            buf.append(line)
    flush()
    nbformat.write(nb, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
