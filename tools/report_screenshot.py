#!/usr/bin/env python3
"""Screenshots an HTML report in headless Chromium, to look at it as a user would.

``report_screenshot.py REPORT.html OUT.png [--width 1200] [--height 5200]`` writes the full page
(one tall PNG). Used when reviewing ``make demo`` output (``qra-demo/report.html``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("report")
    p.add_argument("out")
    p.add_argument("--width", type=int, default=1200)
    p.add_argument("--height", type=int, default=5200)
    a = p.parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found (Debian package `chromium`)", file=sys.stderr)
        return 2
    url = Path(a.report).resolve().as_uri()
    r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={a.width},{a.height}", f"--screenshot={Path(a.out).resolve()}", url],
                       capture_output=True, text=True, timeout=120, check=False)
    if not Path(a.out).exists():
        print(r.stderr, file=sys.stderr)
        return 1
    print(f"{a.out} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
