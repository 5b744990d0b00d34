#!/usr/bin/env python3
"""Executes every notebook in a folder top to bottom (used by ``make test``); fails on any error."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main(folder: str) -> int:
    paths = sorted(Path(folder).glob("*.ipynb"))
    if not paths:
        print(f"no notebooks in {folder}", file=sys.stderr)
        return 1
    for p in paths:
        t0 = time.time()
        nb = nbformat.read(p, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(p.parent)}}).execute()
        print(f"notebook {p.name}: ok ({time.time() - t0:.1f} s)")
    print(f"{len(paths)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "notebooks"))
