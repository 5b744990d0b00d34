#!/usr/bin/env python3
"""Checks the built documentation site (``make docs``): ``check_site.py SITE_DIR``.

Every tutorial page embeds the figures of its executed notebook (as many PNG images as the
executed notebook has image outputs, at least one where the notebook draws any), the theory manual
pages are not empty, and the API reference documents the main classes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMG = re.compile(r'<img\b[^>]*\bsrc="data:image/png;base64,')


def main(site: str) -> int:
    site_dir = Path(site)
    problems = []
    for nb_path in sorted((ROOT / "docs" / "tutorials").glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        images = sum("image/png" in o.get("data", {}) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []))
        page = site_dir / "tutorials" / (nb_path.stem + ".html")
        if not page.exists():
            problems.append(f"{page} missing")
            continue
        shown = len(IMG.findall(page.read_text(encoding="utf-8")))  # output images, not CSS data URLs
        if shown < images:
            problems.append(f"{page.name}: {shown} embedded PNG images, the executed notebook has {images}")
        print(f"{page.name}: {shown} figure(s)")
    for page in ("theory/dispersion.html", "theory/fire.html", "theory/validation-report.html", "regulatory/citations.html"):
        if len((site_dir / page).read_text(encoding="utf-8")) < 20_000:
            problems.append(f"{page}: suspiciously short")
    api = (site_dir / "reference" / "api.html").read_text(encoding="utf-8")
    for name in ("qra.Study", "qra.RiskResult", "qra.dispersion.GaussianPlume", "qra.park.Park"):
        if name not in api:
            problems.append(f"API reference lacks {name}")
    for p in problems:
        print(f"check_site: {p}", file=sys.stderr)
    print(f"site check: {'FAILED' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
