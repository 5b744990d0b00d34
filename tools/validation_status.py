"""Writes ``qra-py/python/qra/data/validation_status.json`` from the summary table of
``validation/REPORT.md`` (written by ``make validate``), so the report of a study can state the
validation status of each model it uses without a source checkout.

Usage: ``python3 tools/validation_status.py [--check]`` (``--check``: exit 1 when the file is stale).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "validation" / "REPORT.md"
OUT = ROOT / "qra-py" / "python" / "qra" / "data" / "validation_status.json"
ROW = re.compile(r"^\| \[([a-z0-9-]+)\]\([^)]*\) \| (\w+) \| ([\w-]+) \| (\d+) \| [^|]* \| [^|]* \| \**(pass|FAIL)\** \| (yes|no) \|$")


def status_json() -> str:
    """The JSON text of the status file (cases in the report's order)."""
    text = REPORT.read_text(encoding="utf-8")
    passing = re.search(r"\*\*(\d+) of (\d+) cases pass\.\*\*", text)
    cases = [{"id": m[1], "model": m[2], "kind": m[3], "n": int(m[4]), "result": m[5], "baseline": m[6] == "yes"}
             for m in (ROW.match(line) for line in text.splitlines()) if m]
    doc = {"source": "validation/REPORT.md (make validate)", "summary": passing[0].strip("*") if passing else "", "cases": cases}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    new = status_json()
    if "--check" in sys.argv[1:]:
        old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if old != new:
            print(f"{OUT.relative_to(ROOT)} is stale: run python3 tools/validation_status.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(new, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
