"""``qra verify STUDY SUBMITTED -o DIR``: a regulator recomputes a submitted study and compares.

Verification is a security boundary (issue 21): the submission is untrusted, so ``qra verify``
**recomputes everything and compares everything** — every field of ``summary.json`` and every
output file — with tolerances taken from the recomputation, never from the submission.

The submission format ``qra-submission/2``
------------------------------------------
A submission is the folder ``qra run`` writes (see :mod:`qra.runner`, :data:`qra.runner.OUTPUT_FILES`).
``summary.json`` (at most :data:`MAX_SUMMARY_BYTES`) holds the numbers and the manifest ``files``
(``{name: {"sha256", "bytes"}}`` of every other output). The full description is in
``docs/submission-format.md``. Submissions ``qra-submission/1`` (no manifest) cannot be verified:
they are refused as malformed (exit 2); rerun the study with this version.

How it compares
---------------
``qra verify`` runs the study and renders the same outputs in memory
(:func:`qra.runner.render_outputs`, with the submission's reported provenance), then:

* ``summary.json``: the submitted tree against the recomputed tree, field by field
  (:func:`compare_summary`): a field missing on either side, an entry missing from a list (targets,
  safety distances, …, matched by ``id``/``enterprise``/``installation``/``class``/``status``), an
  extra field or entry, a changed type — each is a difference naming ``summary.json`` and the field.
  Numbers use the rule of their field (:data:`SUMMARY_RULES`); texts, booleans and unknown fields
  are exact. A field added to the summary later is compared automatically (exactly, until a rule
  is added to :data:`SUMMARY_RULES`).
* every other output file: present, a regular file (a symbolic link is a difference and is not
  followed), no larger than twice the recomputed file plus 1 MiB, its SHA-256 and size as in the
  manifest (a stale or half-written folder is caught), and its content against the recomputation:
  ``.npy`` arrays cell by cell (shape exact), CSV cell by cell, GeoJSON field by field, the text
  of ``report.html`` word by word (numbers within :data:`IR_REL_TOL`; the report is regenerated from
  the recomputation with the submission's reported provenance, so an edited provenance field shows
  as a report difference), the study copy (``study.toml``/``study.json``) against the study given
  to ``qra verify`` with CRLF read as LF. The SVG figures are compared byte for byte when the
  submission was drawn with the same matplotlib version as the verifier's; otherwise they are
  listed as not compared (a finding, not a difference); either way the report must embed them.
* no other file may be in the folder (a stale or foreign file is a difference).

Tolerances (the engine is deterministic for every thread count; the tolerances only allow for a
different platform or build):

=========================  =====================================================================
IR                         ``|sub − rec| ≤ max(`` :data:`IR_REL_TOL` ``·|rec|,`` :data:`IR_ABS_FLOOR` ``)``
PLL, N                     ``|sub − rec| ≤ max(`` :data:`PLL_REL_TOL` ``·|rec|,`` :data:`PLL_ABS_FLOOR` ``)``
F-N, ``worst_ratio``       :data:`FN_REL_TOL`, floor :data:`FN_ABS_FLOOR`; F recomputed at each
                           submitted N and submitted F at each recomputed N
distances                  ``|sub − rec| ≤ max(1 recomputed grid cell,`` :data:`DISTANCE_REL_TOL` ``·rec)``
grid definition            ``nx``/``ny`` exact; ``x0_m``/``y0_m``/``dx_m`` within :data:`COORD_ABS_TOL_M`
limits, verdicts, texts    exact
other numbers              :data:`DEFAULT_REL_TOL` (rounding only)
=========================  =====================================================================

Provenance findings (flags, not part of the verdict): a submission made with another qra version
or build, or with built-in data tables (LOC, ignition, criteria, substances, GB 18218, BST) whose
SHA-256 differs from the verifier's.

Plausibility findings (flags for the reviewer, not part of the verdict): lethality footprints
given by hand (``analytic`` outcomes), frequencies and ignition probabilities given in the study
instead of the built-in tables (overrides), user frequencies more
than :data:`FREQUENCY_FACTOR` × below the generic LOC table value for the same equipment type;
immediate-ignition probabilities outside the Purple Book table range (``models/ignition.toml``,
recalled values [M]); a flammable substance without a fire/explosion outcome, a toxic one without a
toxic outcome; grid resolution above :data:`MAX_RESOLUTION_M`, or a protected target within
:data:`TARGET_CELLS` grid cells of an installation; a Chinese study (origin in China or Chinese text)
not assessed with GB36894-2018; submitted target class/status differing from the study.

Verdict and exit status: ``PASS`` (:data:`EXIT_PASS` = 0) when everything matches,
``DIFFERENCES`` or ``STUDY CHANGED`` (:data:`EXIT_DIFFERENCES` = 1), and "could not verify"
(:data:`EXIT_COULD_NOT_VERIFY` = 2: missing/oversized/malformed files, an invalid study, an unknown
criteria set — raised as :class:`qra.QraError`; the CLI never shows a traceback).

Security: every file is untrusted — sizes are checked before reading, devices/FIFOs/links are not
read, JSON is parsed with depth and size limits and no ``NaN``/``Infinity``, ``.npy`` without
pickles, nothing is executed, outputs have fixed names and are written atomically inside the
output folder, and every text in the HTML is escaped (:mod:`qra.report`).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html.parser
import io
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tomllib

import qra
from qra.runner import STUDY_COPY, SUBMISSION_FORMAT, read_limited

#: Largest ``summary.json`` accepted, bytes.
MAX_SUMMARY_BYTES = 20 * 1024 * 1024
#: Deepest JSON nesting accepted in ``summary.json`` and the GeoJSON files.
MAX_JSON_DEPTH = 16
#: Relative tolerance of the IR at protected targets (and of IR grid cells and report numbers).
IR_REL_TOL = 0.01
#: Absolute floor of the IR comparison, per year.
IR_ABS_FLOOR = 1e-9
#: Relative tolerance of the PLL and of N values.
PLL_REL_TOL = 0.01
#: Absolute floor of the PLL comparison, fatalities per year.
PLL_ABS_FLOOR = 1e-12
#: Relative tolerance of F(N).
FN_REL_TOL = 0.02
#: Absolute floor of the F(N) comparison, per year.
FN_ABS_FLOOR = 1e-10
#: Relative tolerance of the external safety distances (at least one recomputed grid cell).
DISTANCE_REL_TOL = 0.02
#: Absolute tolerance of grid coordinates (origin, spacing, grid axes), m.
COORD_ABS_TOL_M = 1e-6
#: Relative tolerance of numbers without a rule (rounding only).
DEFAULT_REL_TOL = 1e-9
#: At most this many differences are listed per file or per numeric array.
MAX_LISTED = 20
#: Flag user frequencies more than this factor below the generic LOC value.
FREQUENCY_FACTOR = 10.0
#: Flag grids coarser than this, m.
MAX_RESOLUTION_M = 25.0
#: Flag protected targets closer than this many grid cells to an installation.
TARGET_CELLS = 2.0

EXIT_PASS = 0
EXIT_DIFFERENCES = 1
#: Malformed, oversized or missing input: nothing could be verified.
EXIT_COULD_NOT_VERIFY = 2

_FIRE_KINDS = {"jet-fire", "pool-fire", "fireball", "flash-fire", "vce"}
_FIRE_HAZARDS = {"thermal", "flash-fire", "flashfire", "explosion"}
#: Fields identifying an entry of a list (targets, distances …), in this order.
KEY_FIELDS = ("id", "enterprise", "installation", "class", "status")


@dataclass(frozen=True)
class Rule:
    """How one field is compared.

    Parameters
    ----------
    check : str
        Name of the check in the outputs ("IR at target", …).
    kind : {"number", "exact", "reported", "separate"}
        ``"number"``: ``|sub − rec| ≤ max(rel·|rec|, abs, abs_cells·cell)`` with the
        *recomputed* grid cell; ``"reported"``: listed, not compared; ``"separate"``: compared
        by its own procedure (hash, manifest, F-N).
    rel, abs, abs_cells : float
        Relative tolerance, absolute tolerance (unit of the field), tolerance in grid cells.
    """

    check: str
    kind: str = "number"
    rel: float = 0.0
    abs: float = 0.0
    abs_cells: float = 0.0

    def tolerance(self, cell_m: float) -> str:
        """The tolerance in words, for a recomputed grid cell of ``cell_m`` metres.

        Parameters
        ----------
        cell_m : float

        Returns
        -------
        str
        """
        if self.kind != "number":
            return self.kind
        parts = [f"{self.rel:.3g} rel" if self.rel else "", f"{self.abs:g} abs" if self.abs else "",
                 f"{self.abs_cells:g} cell = {self.abs_cells * cell_m:g} m" if self.abs_cells else ""]
        return "max(" + ", ".join(p for p in parts if p) + ")" if any(parts) else "exact"

    def holds(self, sub: float, rec: float, cell_m: float) -> bool:
        """Whether the submitted number ``sub`` is within tolerance of the recomputed ``rec``.

        Parameters
        ----------
        sub, rec : float
        cell_m : float
            The recomputed grid cell, m.

        Returns
        -------
        bool
        """
        return abs(sub - rec) <= max(self.rel * abs(rec), self.abs, self.abs_cells * cell_m)


_IR = Rule("IR at target", rel=IR_REL_TOL, abs=IR_ABS_FLOOR)
_DIST = Rule("safety distance", rel=DISTANCE_REL_TOL, abs_cells=1.0)
_COORD = Rule("grid", abs=COORD_ABS_TOL_M, rel=DEFAULT_REL_TOL)
_EXACT = Rule("value", kind="exact")
_DEFAULT = Rule("value", rel=DEFAULT_REL_TOL)
#: Comparison rule of each field of ``summary.json`` (list entries written ``[]``); fields not
#: listed: numbers :data:`DEFAULT_REL_TOL`, everything else exact.
SUMMARY_RULES: dict[str, Rule] = {
    "study.sha256": Rule("study hash", kind="separate"),
    "study.file": Rule("provenance", kind="reported"),
    "qra_version": Rule("provenance", kind="reported"),
    "build_id": Rule("provenance", kind="reported"),
    "platform": Rule("provenance", kind="reported"),
    "data_tables": Rule("provenance", kind="reported"),
    "python": Rule("provenance", kind="reported"),
    "matplotlib": Rule("provenance", kind="reported"),
    "lang": Rule("report language", kind="exact"),
    "run_seconds": Rule("provenance", kind="reported"),
    "files": Rule("manifest", kind="separate"),
    "fn_curve": Rule("F-N", kind="separate"),
    "grid.nx": Rule("grid", kind="exact"),
    "grid.ny": Rule("grid", kind="exact"),
    "grid.x0_m": _COORD,
    "grid.y0_m": _COORD,
    "grid.dx_m": _COORD,
    "pll_per_year": Rule("PLL", rel=PLL_REL_TOL, abs=PLL_ABS_FLOOR),
    "max_n": Rule("largest N", rel=PLL_REL_TOL, abs=PLL_ABS_FLOOR),
    "max_individual_risk": Rule("maximum IR", rel=IR_REL_TOL, abs=IR_ABS_FLOOR),
    "targets[].individual_risk": _IR,
    "compliance.targets[].individual_risk": _IR,
    "compliance.targets[].limit": Rule("criterion limit", kind="exact"),
    "compliance.targets[].pass": Rule("compliance verdict", kind="exact"),
    "compliance.fn_zone": Rule("compliance verdict", kind="exact"),
    "compliance.pll": Rule("PLL", rel=PLL_REL_TOL, abs=PLL_ABS_FLOOR),
    "compliance.max_n": Rule("largest N", rel=PLL_REL_TOL, abs=PLL_ABS_FLOOR),
    "compliance.worst_ratio": Rule("F-N", rel=FN_REL_TOL, abs=FN_ABS_FLOOR),
    "compliance.worst_ratio_n": Rule("F-N", rel=PLL_REL_TOL, abs=PLL_ABS_FLOOR),
    "compliance.safety_distances[].limit": Rule("criterion limit", kind="exact"),
    "compliance.safety_distances[].distance_m": _DIST,
    "compliance.safety_distances[].reference_m[]": _DIST,
    "compliance.safety_distances[].reach_by_direction_m[]": _DIST,
    "compliance.installation_distances[].limit": Rule("criterion limit", kind="exact"),
    "compliance.installation_distances[].distance_m": Rule("installation distance", rel=DISTANCE_REL_TOL, abs_cells=1.0),
}
#: Comparison rule of the numbers of the GeoJSON files (coordinates within one recomputed cell).
GEOJSON_RULES: dict[str, Rule] = {"features[].geometry.coordinates": Rule("contour", abs_cells=1.0)}


def _bad(msg: str, problems: list[tuple[str, int | None, str]] | None = None) -> qra.InvalidDocumentError:
    e = qra.InvalidDocumentError(msg)
    e.problems = problems or [("", None, msg)]
    return e


def _no_constant(name: str) -> Any:
    raise ValueError(f"non-finite number {name} not allowed")


def _depth(v: Any, d: int = 0) -> int:
    if d > MAX_JSON_DEPTH:
        return d
    if isinstance(v, dict):
        return max([_depth(x, d + 1) for x in v.values()] or [d + 1])
    if isinstance(v, list):
        return max([_depth(x, d + 1) for x in v] or [d + 1])
    return d


def _parse_json(data: bytes, what: str) -> Any:
    """Strict JSON: UTF-8, depth ≤ :data:`MAX_JSON_DEPTH`, no NaN/Infinity."""
    try:
        text = data.decode("utf-8")
        # Quick nesting bound before parsing (the parser recurses).
        if max((len(m) for m in re.findall(r"[\[{]+", text)), default=0) > MAX_JSON_DEPTH:
            raise qra.ResourceLimitError(f"{what} nesting > {MAX_JSON_DEPTH}: exceeds the limit")
        d = json.loads(text, parse_constant=_no_constant, parse_int=float)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        if isinstance(e, qra.QraError):
            raise
        raise _bad(f"{what}: not valid JSON: {e}") from None
    if _depth(d) > MAX_JSON_DEPTH:
        raise qra.ResourceLimitError(f"{what} nesting > {MAX_JSON_DEPTH}: exceeds the limit")
    return d


def load_summary(submitted: str | Path) -> dict[str, Any]:
    """Reads and checks ``summary.json`` of a submission folder (or the file itself).

    Only what is needed to start the comparison is checked here (format, study hash, criteria,
    manifest); every other field is compared with the recomputation by :func:`verify`.

    Parameters
    ----------
    submitted : str or Path
        Submission folder or its ``summary.json``.

    Returns
    -------
    dict

    Raises
    ------
    qra.InvalidDocumentError
        Missing file (or a symbolic link), invalid JSON, wrong format or missing/ill-typed
        required fields (all listed).
    qra.ResourceLimitError
        File larger than :data:`MAX_SUMMARY_BYTES` or nested deeper than :data:`MAX_JSON_DEPTH`.
    """
    p = Path(submitted)
    if p.is_dir():
        p = p / "summary.json"
    if p.is_symlink():
        raise _bad(f"summary.json = {str(p)!r}: is a symbolic link (not followed)")
    d = _parse_json(read_limited(p, MAX_SUMMARY_BYTES, "summary.json"), "summary.json")
    if not isinstance(d, dict):
        raise _bad("summary.json: must be a JSON object")
    problems: list[tuple[str, int | None, str]] = []

    def need(path: str, kind: type) -> Any:
        cur: Any = d
        for k in path.split("."):
            if not isinstance(cur, dict) or k not in cur:
                problems.append((path, None, "required field missing"))
                return None
            cur = cur[k]
        if not isinstance(cur, kind):
            problems.append((path, None, f"must be {kind.__name__}"))
            return None
        return cur

    fmt = need("format", str)
    if fmt is not None and fmt != SUBMISSION_FORMAT:
        hint = " (written before the manifest of output files; rerun the study with this qra)" if fmt == "qra-submission/1" else ""
        problems.append(("format", None, f"{fmt[:40]!r} must be {SUBMISSION_FORMAT!r}{hint}"))
    sha = need("study.sha256", str)
    if sha is not None and not re.fullmatch(r"[0-9a-f]{64}", sha):
        problems.append(("study.sha256", None, "must be 64 lowercase hex digits"))
    need("criteria", str)
    files = need("files", dict)
    for name, e in (files or {}).items():
        if not (isinstance(e, dict) and isinstance(e.get("sha256"), str) and isinstance(e.get("bytes"), float)):
            problems.append((f"files.{name}"[:80], None, "needs sha256 (text) and bytes (number)"))
    if problems:
        raise _bad(f"{len(problems)} problem(s) in summary.json: " + "; ".join(f"{a}: {m}" for a, _, m in problems), problems)
    return d


def _f_at(n_rec: np.ndarray, f_rec: np.ndarray, n: float) -> float:
    """F(n) of a step F-N curve: F of the first point with N ≥ n (0 beyond the largest N)."""
    i = int(np.searchsorted(n_rec, n, side="left"))
    return float(f_rec[i]) if i < len(f_rec) else 0.0


def _shown(v: Any) -> Any:
    """A submitted value as listed in the outputs: scalars as they are, containers and long
    texts shortened (an untrusted value must not blow up the report)."""
    if isinstance(v, (dict, list)) or (isinstance(v, str) and len(v) > 200):
        t = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
        return t[:200] + ("…" if len(t) > 200 else "")
    return v


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class _Items:
    """The comparison items of one verification."""

    def __init__(self, cell_m: float) -> None:
        self.items: list[dict[str, Any]] = []
        self.cell_m = cell_m

    def add(self, file: str, field: str, check: str, item: str, sub: Any, rec: Any, ok: bool, tol: str) -> None:
        self.items.append({"file": file, "field": field, "check": check, "item": item, "submitted": _shown(sub),
                           "recomputed": _shown(rec), "match": bool(ok), "tolerance": tol})


def _list_keys(rec: list[Any]) -> tuple[str, ...] | None:
    """The key fields of a recomputed list of objects (None: compare by position)."""
    if not rec or not all(isinstance(x, dict) for x in rec):
        return None
    have = [k for k in KEY_FIELDS if all(isinstance(x.get(k), str) for x in rec)]
    # the shortest unique key: the identity field, then class and status as needed
    for n in range(1, len(have) + 1):
        keys = tuple(have[:n])
        if len({tuple(x[k] for k in keys) for x in rec}) == len(rec):
            return keys
    return None


def _compare_tree(out: _Items, file: str, sub: Any, rec: Any, rules: dict[str, Rule], path: str = "", pattern: str = "",
                 item: str = "") -> None:
    """Compares the submitted JSON value ``sub`` with the recomputed ``rec``, recursively, adding
    one item per compared leaf (and one per missing, extra or ill-typed field or entry).

    Parameters
    ----------
    out : _Items
        Collects the items.
    file : str
        File name in the items.
    sub, rec : JSON values
    rules : dict of str to Rule
        Rules by field pattern (list entries as ``[]``).
    path, pattern, item : str
        Where ``sub``/``rec`` are (concrete path, pattern, identity of the enclosing entry).
    """
    rule = rules.get(pattern)
    if rule is not None and rule.kind in ("reported", "separate"):
        return
    label = (rule.check if rule else pattern or "document")
    name = item or label
    if isinstance(rec, dict):
        if not isinstance(sub, dict):
            out.add(file, path, label, name, sub, "an object", False, "must be an object")
            return
        for k in rec:
            p, q = f"{path}.{k}" if path else k, f"{pattern}.{k}" if pattern else k
            r = rules.get(q)
            if k not in sub:
                if r is None or r.kind not in ("reported", "separate"):
                    out.add(file, p, r.check if r else q, item or (r.check if r else q), None, _shown(rec[k]), False,
                            "missing from the submission")
                continue
            _compare_tree(out, file, sub[k], rec[k], rules, p, q, item)
        for k in sub:
            if k not in rec:
                p = f"{path}.{k}" if path else str(k)
                out.add(file, p[:200], "unexpected field", item or p[:200], sub[k], None, False, "not in the recomputation")
        return
    if isinstance(rec, list):
        if not isinstance(sub, list):
            out.add(file, path, label, name, sub, "a list", False, "must be a list")
            return
        keys = _list_keys(rec)
        q = pattern + "[]"
        if keys is None:
            if len(sub) != len(rec):
                out.add(file, path, label, name, f"{len(sub)} entries", f"{len(rec)} entries", False, "same number of entries")
            before = len(out.items)
            for i, (s, r) in enumerate(zip(sub, rec)):
                _compare_tree(out, file, s, r, rules, f"{path}[{i}]", q, item)
                if sum(not x["match"] for x in out.items[before:]) >= MAX_LISTED:
                    break
            return
        rec_by = {tuple(x[k] for k in keys): x for x in rec}
        seen: set[tuple[Any, ...]] = set()
        for i, s in enumerate(sub):
            raw = tuple(s.get(k) for k in keys) if isinstance(s, dict) else ()
            if not raw or not all(isinstance(v, str) for v in raw):
                out.add(file, f"{path}[{i}]", label, name, s, None, False, f"entry needs {', '.join(keys)} (text)")
                continue
            key = tuple(str(v) for v in raw)
            ident = " / ".join(key)
            if key in seen:
                out.add(file, f"{path}[{ident}]", label, ident, s, None, False, "duplicate entry")
                continue
            seen.add(key)
            if key not in rec_by:
                out.add(file, f"{path}[{ident}]", label, ident, s, None, False, "not in the recomputation")
                continue
            _compare_tree(out, file, s, rec_by[key], rules, f"{path}[{ident}]", q, ident)
        for key, r in rec_by.items():
            if key not in seen:
                ident = " / ".join(key)
                out.add(file, f"{path}[{ident}]", label, ident, None, r, False, "missing from the submission")
        return
    rule = rule or (_DEFAULT if _is_num(rec) else _EXACT)
    if _is_num(rec) and rule.kind == "number":
        ok = _is_num(sub) and rule.holds(float(sub), float(rec), out.cell_m)
        out.add(file, path, rule.check, name, sub, rec, ok, rule.tolerance(out.cell_m))
    else:
        # numbers are read as floats (huge integers cannot overflow): compare them as floats
        ok = (float(sub) == float(rec)) if _is_num(sub) and _is_num(rec) else (type(sub) is type(rec) and sub == rec)
        out.add(file, path, rule.check, name, sub, rec, ok, "exact")


def _compare_fn(out: _Items, sub: Any, rec: dict[str, list[float]]) -> None:
    """F-N: F recomputed at each submitted N, and the submitted F at each recomputed N."""
    fn = sub if isinstance(sub, dict) else {}
    n, f = fn.get("N"), fn.get("F")
    tol = f"{FN_REL_TOL:.0%} / {FN_ABS_FLOOR:g} per year"
    if not (isinstance(n, list) and isinstance(f, list) and len(n) == len(f) and all(_is_num(v) for v in [*n, *f])):
        out.add("summary.json", "fn_curve", "F-N", "F-N curve", sub, None, False, "N and F: number lists of equal length")
        return
    n_rec, f_rec = np.asarray(rec["N"], dtype=float), np.asarray(rec["F"], dtype=float)
    sub_n, sub_f = np.asarray(n, dtype=float), np.asarray(f, dtype=float)
    order = np.argsort(sub_n, kind="stable")
    bad = []
    for a, b in zip(sub_n, sub_f):
        r = _f_at(n_rec, f_rec, float(a))
        if not abs(b - r) <= max(FN_REL_TOL * abs(r), FN_ABS_FLOOR):
            bad.append((float(a), float(b), r))
    for a, r in zip(n_rec, f_rec):
        s = _f_at(sub_n[order], sub_f[order], float(a))
        if not abs(s - r) <= max(FN_REL_TOL * abs(r), FN_ABS_FLOOR):
            bad.append((float(a), s, float(r)))
    for a, s, r in bad[:MAX_LISTED]:
        out.add("summary.json", "fn_curve", "F-N", f"F(N ≥ {a:g})", s, r, False, tol)
    if not bad:
        out.add("summary.json", "fn_curve", "F-N", f"{len(sub_n)} submitted points", len(sub_n), len(n_rec), True, tol)


def compare_summary(summary: dict[str, Any], rec_summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Compares a submitted ``summary.json`` with the recomputed one (every field, the F-N curve
    and the study hash); returns the comparison items.

    Parameters
    ----------
    summary : dict
        The submitted summary (:func:`load_summary`).
    rec_summary : dict
        The recomputed summary (:func:`qra.runner.render_outputs`).

    Returns
    -------
    list of dict
        Items with ``file``, ``field``, ``check``, ``item``, ``submitted``, ``recomputed``,
        ``match`` and ``tolerance``.
    """
    items = _Items(float(rec_summary["grid"]["dx_m"]) or 1.0)
    sha = summary.get("study", {}).get("sha256") if isinstance(summary.get("study"), dict) else None
    rec_sha = rec_summary["study"]["sha256"]
    items.add("summary.json", "study.sha256", "study hash", "SHA-256", sha, rec_sha, sha == rec_sha, "exact")
    _compare_tree(items, "summary.json", summary, rec_summary, SUMMARY_RULES)
    _compare_fn(items, summary.get("fn_curve"), rec_summary["fn_curve"])
    return items.items


def _read_file(path: Path, limit: int) -> tuple[bytes | None, str]:
    """The bytes of a submitted output (None and the reason when it is not readable as one)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None, "missing from the submission"
    except OSError as e:
        return None, f"cannot read: {e.strerror}"
    if stat.S_ISLNK(st.st_mode):
        return None, "is a symbolic link (not followed)"
    if not stat.S_ISREG(st.st_mode):
        return None, "not a regular file"
    if st.st_size > limit:
        return None, f"{st.st_size} bytes: more than twice the recomputed file"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            return f.read(limit + 1)[:limit + 1], ""
    except OSError as e:
        return None, f"cannot read: {e.strerror}"


def _compare_array(out: _Items, name: str, data: bytes, rec: bytes, rule: Rule) -> None:
    try:
        a = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as e:  # noqa: BLE001 — any parse failure of untrusted bytes is a difference
        out.add(name, "", "file content", name, None, None, False, f"not a readable .npy array ({type(e).__name__})")
        return
    b = np.load(io.BytesIO(rec), allow_pickle=False)
    if a.shape != b.shape or a.dtype != b.dtype:
        out.add(name, "shape", "grid", name, f"{a.dtype} {a.shape}", f"{b.dtype} {b.shape}", False, "exact")
        return
    tol = np.maximum(rule.rel * np.abs(b), max(rule.abs, rule.abs_cells * out.cell_m))
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(a - b) <= tol)
    if bad.any():
        idx = np.argwhere(bad)
        for i in idx[:MAX_LISTED]:
            k = tuple(int(v) for v in i)
            out.add(name, str(list(k)), rule.check, f"{name}{list(k)}", float(a[k]), float(b[k]), False, rule.tolerance(out.cell_m))
        if len(idx) > MAX_LISTED:
            out.add(name, "", rule.check, name, f"{len(idx)} cells differ", "0", False, rule.tolerance(out.cell_m))
    else:
        out.add(name, "", rule.check, name, f"{a.size} cells", f"{b.size} cells", True, rule.tolerance(out.cell_m))


def _csv_rows(data: bytes) -> list[list[str]] | None:
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None


def _num(s: str) -> float | None:
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _compare_csv(out: _Items, name: str, data: bytes, rec: bytes, rule: Rule) -> None:
    a, b = _csv_rows(data), _csv_rows(rec)
    assert b is not None
    if a is None:
        out.add(name, "", "file content", name, None, None, False, "not UTF-8 CSV")
        return
    if len(a) != len(b):
        out.add(name, "rows", "file content", name, len(a), len(b), False, "same number of rows")
    bad = 0
    for i, (ra, rb) in enumerate(zip(a, b)):
        if len(ra) != len(rb):
            out.add(name, f"row {i}", "file content", name, ",".join(ra), ",".join(rb), False, "same number of columns")
            bad += 1
        for j, (x, y) in enumerate(zip(ra, rb)):
            col = b[0][j] if b and j < len(b[0]) else str(j)
            nx, ny = _num(x), _num(y)
            ok = (nx is not None and rule.holds(nx, ny, out.cell_m)) if ny is not None else x == y
            if not ok:
                out.add(name, f"row {i}, {col}", "file content", f"{name}:{i}:{col}", x, y, False,
                        rule.tolerance(out.cell_m) if ny is not None else "exact")
                bad += 1
        if bad >= MAX_LISTED:
            return
    if bad == 0 and len(a) == len(b):
        out.add(name, "", "file content", name, f"{len(a)} rows", f"{len(b)} rows", True, rule.tolerance(out.cell_m))


class _Text(html.parser.HTMLParser):
    """Text words and image sources of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.images: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.extend(data.split())


def _html(data: bytes) -> _Text | None:
    try:
        p = _Text()
        p.feed(data.decode("utf-8"))
        p.close()
        return p
    except (UnicodeDecodeError, AssertionError, ValueError):
        return None


def _compare_report(out: _Items, name: str, data: bytes, rec: bytes, figures: dict[str, bytes]) -> None:
    a, b = _html(data), _html(rec)
    assert b is not None
    if a is None:
        out.add(name, "", "file content", name, None, None, False, "not UTF-8 HTML")
        return
    rule = Rule("report text", rel=IR_REL_TOL, abs=PLL_ABS_FLOOR)
    bad = 0
    for i, (x, y) in enumerate(zip(a.words, b.words)):
        nx, ny = _num(x.strip(",;:()%")), _num(y.strip(",;:()%"))
        if not (x == y or (nx is not None and ny is not None and rule.holds(nx, ny, 0.0))):
            ctx = " ".join(b.words[max(0, i - 6):i])
            out.add(name, f"word {i}", "report text", f"… {ctx}", x, y, False, "exact; numbers " + rule.tolerance(0.0))
            bad += 1
            if bad >= MAX_LISTED:
                break
    if len(a.words) != len(b.words):
        out.add(name, "words", "report text", name, len(a.words), len(b.words), False, "same text")
    elif bad == 0:
        out.add(name, "", "report text", name, f"{len(a.words)} words", f"{len(b.words)} words", True, "exact; numbers " + rule.tolerance(0.0))
    # the figures embedded in the report are the submitted figure files (SVG inline, PNG as data URI)
    from qra.report import svg_inline

    embedded = {src.partition("base64,")[2] for src in a.images}
    text = data.decode("utf-8", errors="replace")
    for fig, content in figures.items():
        if fig.endswith(".svg"):
            body = svg_inline(content.decode("utf-8", errors="replace"))
            ok = bool(body) and body in text
        else:
            ok = base64.b64encode(content).decode("ascii") in embedded
        out.add(name, f"figure {fig}", "report figures", fig, "embedded" if ok else "not embedded", "embedded", ok, "exact")


def compare_files(folder: Path, summary: dict[str, Any], rec_files: dict[str, bytes], cell_m: float,
                  skip: frozenset[str] = frozenset()) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Compares every output file of the submission folder with the recomputed files.

    Parameters
    ----------
    folder : Path
        The submission folder.
    summary : dict
        The submitted summary (its manifest ``files``).
    rec_files : dict of str to bytes
        The recomputed outputs (:func:`qra.runner.render_outputs`).
    cell_m : float
        The recomputed grid cell, m (tolerance of coordinates).
    skip : frozenset of str
        Names in the folder that are not part of the submission (the verification's own output).

    Returns
    -------
    (list of dict, list of dict)
        The comparison items (as :func:`compare_summary`) and findings for the reviewer (figures
        not compared), which are not differences.
    """
    import matplotlib

    out = _Items(cell_m)
    notes: list[dict[str, str]] = []
    manifest = summary.get("files", {})
    got: dict[str, bytes] = {}
    for name in rec_files:
        if name == "summary.json":
            continue
        rec = rec_files[name]
        data, why = _read_file(folder / name, 2 * len(rec) + (1 << 20))
        if data is None:
            out.add(name, "", "file", name, why, f"{len(rec)} bytes", False, "a regular file written by qra run")
            continue
        m = manifest.get(name)
        digest = hashlib.sha256(data).hexdigest()
        if m is None:
            out.add("summary.json", f"files.{name}", "manifest", name, None, digest, False, "listed in the manifest")
        else:
            ok = m.get("sha256") == digest and m.get("bytes") == len(data)
            out.add(name, "sha256", "manifest", name, _shown(m.get("sha256")), digest, ok,
                    "SHA-256 and size as in summary.json (else stale or edited)")
        got[name] = data
    for name in manifest:
        if name not in rec_files or name == "summary.json":
            out.add("summary.json", f"files.{name}"[:200], "manifest", name[:200], "listed", None, False, "not a qra run output")
    try:
        present = sorted(os.listdir(folder))
    except OSError:
        present = []
    for name in present:
        if name not in rec_files and name not in skip:
            out.add(name[:200], "", "file", name[:200], "present", None, False, "not a qra run output (stale or foreign file)")
    for name, data in got.items():
        rec = rec_files[name]
        if name in STUDY_COPY.values():
            same = data.replace(b"\r\n", b"\n") == rec.replace(b"\r\n", b"\n")
            out.add(name, "", "study copy", name, hashlib.sha256(data).hexdigest(), hashlib.sha256(rec).hexdigest(), same,
                    "the study given to qra verify, byte for byte (CRLF read as LF)")
        elif name == "individual_risk.npy":
            _compare_array(out, name, data, rec, Rule("IR grid", rel=IR_REL_TOL, abs=IR_ABS_FLOOR))
        elif name.endswith(".npy"):
            _compare_array(out, name, data, rec, Rule("grid", abs=COORD_ABS_TOL_M, rel=DEFAULT_REL_TOL))
        elif name.endswith(".csv"):
            _compare_csv(out, name, data, rec, Rule("file content", rel=IR_REL_TOL, abs=PLL_ABS_FLOOR))
        elif name.endswith(".geojson"):
            try:
                sub_g = _parse_json(data, name)
            except qra.QraError as e:
                out.add(name, "", "file content", name, str(e)[:200], None, False, "valid GeoJSON")
                continue
            _compare_tree(out, name, sub_g, json.loads(rec), GEOJSON_RULES)
        elif name == "report.html":
            _compare_report(out, name, data, rec, {k: got[k] for k in ("map.svg", "fn.svg") if k in got})
        elif name.endswith((".png", ".svg")):
            mine = matplotlib.__version__
            theirs = summary.get("matplotlib")
            if theirs == mine:
                out.add(name, "", "figure", name, hashlib.sha256(data).hexdigest(), hashlib.sha256(rec).hexdigest(),
                        data == rec, f"identical (drawn with matplotlib {mine} on both sides; the fonts matplotlib finds also matter)")
            else:
                notes.append({"check": "figures", "item": name, "message": f"not compared: drawn with matplotlib "
                              f"{str(theirs)[:40]!r}, the verifier has {mine} (the numbers behind it are compared)"})
    return out.items, notes


def _is_chinese(d: dict[str, Any]) -> bool:
    o = d.get("origin") or {}
    lat, lon = o.get("latitude_deg"), o.get("longitude_deg")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and 18.0 <= lat <= 54.0 and 73.0 <= lon <= 135.0:
        return True
    text = json.dumps(d.get("metadata", {}), ensure_ascii=False)
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def plausibility(d: dict[str, Any], summary: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Plausibility findings of a study (its dict form) and, optionally, of its submission.

    Parameters
    ----------
    d : dict
        The study's dict form.
    summary : dict, optional
        The submitted summary.

    Returns
    -------
    list of dict
        Findings with ``check``, ``item`` and ``message``.
    """
    out: list[dict[str, str]] = []

    def flag(check: str, item: str, message: str) -> None:
        out.append({"check": check, "item": item, "message": message})

    loc = tomllib.loads(qra._qra.loc_table_toml())
    ign = tomllib.loads(qra._qra.ignition_table_toml())
    equipment = {e["id"]: e for e in loc.get("equipment", [])}
    insts = {i["id"]: i for i in d.get("installations", [])}
    events = d.get("events", [])
    inst_equipment: dict[str, str] = {}
    for e in events:
        if e.get("loc"):
            inst_equipment.setdefault(e["installation"], e["loc"]["equipment"])
    # 0. hand-entered footprints and overrides of the built-in tables (listed for the reviewer)
    for e in events:
        ev_kinds = [str((o.get("spec") or {}).get("kind", "")) for o in e.get("outcomes", [])]
        if "analytic" in ev_kinds:
            flag("analytic footprint", str(e["id"]), f"{ev_kinds.count('analytic')} outcome(s) with a lethality footprint given by hand "
                 "(analytic), not computed by a consequence model: ask for its justification")
        if e.get("frequency_per_year") is not None and not e.get("loc"):
            flag("frequency override", str(e["id"]), f"frequency {float(e['frequency_per_year']):.3g}/y given in the study instead of "
                 "the generic LOC table: ask for its source")
        et = e.get("event_tree") or {}
        given = [k for k in ("immediate_ignition", "delayed_ignition", "explosion_fraction") if et.get(k) is not None]
        if given:
            flag("ignition override", str(e["id"]), ", ".join(f"{k} = {float(et[k]):g}" for k in given)
                 + " given in the study instead of the ignition table: ask for its source")
    for pl in d.get("pipelines", []):
        for r in pl.get("releases", []):
            if any(str((o.get("spec") or {}).get("kind", "")) == "analytic" for o in r.get("outcomes", [])):
                flag("analytic footprint", f"{pl['id']}/{r.get('id')}", "lethality footprint given by hand (analytic), not computed "
                     "by a consequence model: ask for its justification")
    # 1. frequencies vs the generic LOC table
    for e in events:
        f = e.get("frequency_per_year")
        if f is None or e.get("loc"):
            continue
        eq = equipment.get(inst_equipment.get(e["installation"], ""))
        if eq is None:
            flag("frequency", e["id"], "user frequency: no equipment type known for the installation (no generic LOC reference) — check by hand")
            continue
        if eq.get("per") != "year":
            continue
        same = [s for s in eq["loc"] if s.get("release") == e.get("release")]
        if e.get("release") == "hole" and e.get("hole_diameter_mm") is not None:
            same = [s for s in same if s.get("hole_diameter_mm") in (None, e["hole_diameter_mm"])] or same
        generic = min(s["frequency"] for s in (same or eq["loc"]))
        if f * FREQUENCY_FACTOR < generic:
            flag("frequency", e["id"], f"user frequency {f:.3g}/y is more than {FREQUENCY_FACTOR:g}× below the generic "
                 f"{eq['id']} value {generic:.3g}/y (Purple Book [M])")
    # 2. ignition probabilities vs the Purple Book table
    cats = {c["id"]: c for c in ign.get("category", [])}
    all_vals = [v for c in cats.values() for v in c["immediate"]]
    for e in events:
        et = e.get("event_tree") or {}
        pi = et.get("immediate_ignition")
        if pi is None:
            continue
        c = cats.get(et.get("ignition_category", ""))
        lo, hi = (min(c["immediate"]), max(c["immediate"])) if c else (min(all_vals), max(all_vals))
        if not lo <= pi <= hi:
            flag("ignition", e["id"], f"immediate ignition {pi:g} outside the Purple Book table range [{lo:g}, {hi:g}]"
                 + (f" of {c['id']}" if c else "") + " [M]")
    # 3. missing outcome types
    for iid, inst in insts.items():
        try:
            s = qra.substance(inst["substance"])
        except qra.QraError:
            continue
        kinds: set[str] = set()
        for e in events:
            if e.get("installation") != iid:
                continue
            for o in e.get("outcomes", []):
                spec = o.get("spec", {})
                k = spec.get("kind", "")
                kinds.add(k)
                if k == "analytic":
                    kinds.add("hazard:" + str(spec.get("hazard", "generic")).lower())
        has_fire = bool(kinds & _FIRE_KINDS) or any(k.removeprefix("hazard:") in _FIRE_HAZARDS for k in kinds)
        has_toxic = "toxic" in kinds or "hazard:toxic" in kinds
        if s.flammable and not has_fire:
            flag("outcomes", iid, f"{inst['substance']} is flammable but the installation has no fire or explosion outcome")
        if s.toxic and not has_toxic:
            flag("outcomes", iid, f"{inst['substance']} is toxic but the installation has no toxic outcome")
    # 4. grid
    g = d.get("grid", {})
    res = float(g.get("resolution_m", 0.0))
    if res > MAX_RESOLUTION_M:
        flag("grid", "resolution_m", f"grid resolution {res:g} m is coarser than {MAX_RESOLUTION_M:g} m")
    for t in d.get("targets", []):
        pts = [t["point"]] if t.get("point") else list(t.get("polygon") or [])
        for iid, inst in insts.items():
            dist = min((math.hypot(p[0] - inst["x_m"], p[1] - inst["y_m"]) for p in pts), default=math.inf)
            if dist < TARGET_CELLS * res:
                flag("grid", str(t.get("id")), f"protected target {dist:.0f} m from installation {iid}: within {TARGET_CELLS:g} grid cells")
    # 5. criteria
    if summary is not None:
        crit = summary.get("criteria")
        if _is_chinese(d) and crit != "GB36894-2018":
            flag("criteria", str(crit), "a study in China must be assessed against GB36894-2018")
        study_t = {t.get("id"): t for t in d.get("targets", [])}
        comp = summary.get("compliance")
        sub_t = comp.get("targets") if isinstance(comp, dict) else None
        for t in sub_t if isinstance(sub_t, list) else []:
            st = study_t.get(t.get("id")) if isinstance(t, dict) and isinstance(t.get("id"), str) else None
            if st is None:
                continue
            for k in ("class", "status"):
                if t.get(k) is not None and st.get(k) is not None and t.get(k) != st.get(k):
                    flag("criteria", str(t.get("id")), f"submitted target {k} {t.get(k)!r} differs from the study's {st.get(k)!r}")
    return out




def provenance_findings(summary: dict[str, Any], mine: dict[str, Any]) -> list[dict[str, str]]:
    """Findings on how the submission was computed compared with the verifier: another qra
    version or build, built-in data tables with another SHA-256 (or missing on either side).

    Parameters
    ----------
    summary : dict
        The submitted summary.
    mine : dict
        The verifier's :func:`qra.runner.provenance_of`.

    Returns
    -------
    list of dict
        Findings with ``check``, ``item`` and ``message``.
    """
    out: list[dict[str, str]] = []
    theirs = summary.get("qra_version")
    if theirs != mine["qra_version"]:
        out.append({"check": "version", "item": "qra_version", "message": f"submitted with qra {str(_shown(theirs))[:40]!r}, verified "
                    f"with qra {mine['qra_version']}: models or tables may differ between versions (the numbers are compared)"})
    bid = summary.get("build_id")
    if bid != mine["build_id"]:
        out.append({"check": "version", "item": "build_id", "message": f"submitted with build {str(_shown(bid))[:80]!r}, verified with "
                    f"build {mine['build_id']!r}"})
    tables = summary.get("data_tables")
    tables = tables if isinstance(tables, dict) else {}
    for k, v in mine["data_tables"].items():
        if tables.get(k) != v:
            out.append({"check": "data table", "item": k, "message": f"built-in table {k}: submitted SHA-256 "
                        f"{str(_shown(tables.get(k)))[:64]!r}, the verifier's is {v}"})
    for k in tables:
        if k not in mine["data_tables"]:
            out.append({"check": "data table", "item": str(k)[:120], "message": "built-in table unknown to the verifier"})
    return out


def verify(study_path: str | Path, submitted: str | Path, out: str | Path, lang: str = "en", threads: int | None = None) -> dict[str, Any]:
    """Recomputes ``study_path`` and compares it with the submission ``submitted``.

    Writes ``verification.json`` and ``verification.html`` into ``out`` (created, written
    atomically) and returns the verification dictionary (``verdict``: ``"PASS"``,
    ``"DIFFERENCES"`` or ``"STUDY CHANGED"``; ``exit_code``: :data:`EXIT_PASS` or
    :data:`EXIT_DIFFERENCES`).

    Parameters
    ----------
    study_path, submitted, out : str or Path
    lang : {"en", "zh"}
    threads : int, optional

    Returns
    -------
    dict

    Raises
    ------
    qra.QraError
        When nothing can be verified (:data:`EXIT_COULD_NOT_VERIFY`): unreadable/oversized/
        malformed files, an invalid study, an unknown criteria set.
    """
    import matplotlib

    from qra.runner import provenance_of, read_study_file, render_outputs, write_outputs

    summary = load_summary(submitted)
    folder = Path(submitted)
    folder = folder if folder.is_dir() else folder.parent
    study_path = Path(study_path)
    study, digest, study_bytes = read_study_file(study_path)
    if summary["criteria"] not in qra.criteria_sets():
        raise _bad(f"criteria = {summary['criteria'][:80]!r}: unknown criteria set (known: {', '.join(qra.criteria_sets())})")
    result = study.run(threads=threads)
    # the provenance is reported, not recomputed: render with the submission's so the files compare
    prov: dict[str, Any] = {"file": summary.get("study", {}).get("file", ""), "qra_version": summary.get("qra_version", ""),
                            "build_id": summary.get("build_id", ""), "python": summary.get("python", ""),
                            "matplotlib": summary.get("matplotlib", ""), "platform": summary.get("platform", ""),
                            "run_seconds": summary.get("run_seconds", 0.0)}
    prov = {k: (v if isinstance(v, (str, float)) else "") for k, v in prov.items()}
    if not isinstance(prov["run_seconds"], float):
        prov["run_seconds"] = 0.0
    tables = summary.get("data_tables")
    prov["data_tables"] = {str(k)[:200]: str(_shown(v)) for k, v in tables.items()} if isinstance(tables, dict) else {}
    copy_name = STUDY_COPY["json" if study_path.suffix.lower() == ".json" else "toml"]
    rec_summary, rec_files = render_outputs(study, digest, result, lang_of(summary, lang), summary["criteria"], prov,
                                            study_copy=(copy_name, study_bytes))
    cell_m = float(rec_summary["grid"]["dx_m"]) or 1.0
    sha = summary["study"]["sha256"]
    out_path = Path(out).expanduser()
    out_path = out_path.parent.resolve() / out_path.name
    skip = frozenset({out_path.name} if out_path.parent == folder.resolve() else ())
    file_items, notes = compare_files(folder, summary, rec_files, cell_m, skip)
    cmp = compare_summary(summary, rec_summary) + file_items
    d = study.to_dict()
    mine = provenance_of(study_path.name, 0.0)
    findings = provenance_findings(summary, mine) + plausibility(d, summary) + notes
    if sha != digest:
        verdict = "STUDY CHANGED"
    elif all(i["match"] for i in cmp):
        verdict = "PASS"
    else:
        verdict = "DIFFERENCES"
    v: dict[str, Any] = {
        "format": "qra-verification/2",
        "verdict": verdict,
        "exit_code": EXIT_PASS if verdict == "PASS" else EXIT_DIFFERENCES,
        "qra_version": qra.__version__,
        "build_id": mine["build_id"],
        "platform": mine["platform"],
        "matplotlib": matplotlib.__version__,
        "study": {"file": study_path.name, "sha256": digest},
        "submission": {"sha256": sha, "title": str(_shown(summary.get("study", {}).get("title", ""))),
                       "qra_version": str(_shown(summary.get("qra_version", ""))), "criteria": summary["criteria"]},
        "tolerances": {"ir_rel": IR_REL_TOL, "ir_abs_per_year": IR_ABS_FLOOR, "pll_rel": PLL_REL_TOL, "pll_abs_per_year": PLL_ABS_FLOOR,
                       "fn_rel": FN_REL_TOL, "fn_abs_per_year": FN_ABS_FLOOR, "distance_rel": DISTANCE_REL_TOL,
                       "distance_abs_m": cell_m, "coordinate_abs_m": COORD_ABS_TOL_M, "default_rel": DEFAULT_REL_TOL},
        "differences": [i for i in cmp if not i["match"]],
        "comparisons": cmp,
        "plausibility": findings,
    }
    write_outputs(out_path, {"verification.json": json.dumps(v, indent=2, ensure_ascii=False).encode("utf-8"),
                             "verification.html": render(v, lang).encode("utf-8")})
    return v


def lang_of(summary: dict[str, Any], default: str) -> str:
    """The report language of a submission (its ``lang`` field when valid), else ``default``."""
    lang = summary.get("lang")
    return lang if lang in ("en", "zh") else default


#: Verdicts and check names in Chinese for the verification report (``lang="zh"``).
VERDICT_ZH = {"PASS": "通过 (PASS)", "DIFFERENCES": "存在差异 (DIFFERENCES)", "STUDY CHANGED": "研究文件已更改 (STUDY CHANGED)"}
CHECK_ZH = {
    "study hash": "研究文件哈希", "IR at target": "防护目标处个人风险", "PLL": "潜在生命损失", "largest N": "最大死亡人数",
    "maximum IR": "最大个人风险", "F-N": "F-N 曲线", "safety distance": "外部安全防护距离", "installation distance": "装置距离",
    "compliance verdict": "符合性结论", "criterion limit": "风险基准值", "grid": "计算网格", "manifest": "文件清单",
    "file": "文件", "file content": "文件内容", "report text": "报告文本", "report figures": "报告图件", "figure": "图件",
    "figures": "图件", "study copy": "研究文件副本", "IR grid": "个人风险网格", "contour": "等值线", "value": "数值",
    "unexpected field": "多余字段", "report language": "报告语言", "version": "版本", "data table": "内置数据表",
    "analytic footprint": "手工给定致死率范围", "frequency override": "频率替代值", "ignition override": "点火概率替代值",
    "frequency": "泄漏频率", "ignition": "点火概率", "outcomes": "后果类型", "criteria": "风险基准",
}


def render(v: dict[str, Any], lang: str = "en") -> str:
    """The self-contained HTML page of a verification (all text escaped by :mod:`qra.report`), in
    English or Chinese (headings, verdict, check names; the details of a finding stay as computed).

    Parameters
    ----------
    v : dict
        Output of :func:`verify`.
    lang : {"en", "zh"}

    Returns
    -------
    str
    """
    from qra.report import Report, Section, Table, render_html

    zh = lang == "zh"

    def ck(c: str) -> str:
        return f"{CHECK_ZH[c]} ({c})" if zh and c in CHECK_ZH else c

    nd, nf = len(v["differences"]), len(v["plausibility"])
    verdict = VERDICT_ZH.get(v["verdict"], v["verdict"]) if zh else v["verdict"]
    head = ([f"结论：{verdict}；差异 {nd} 项，提示 {nf} 项 (提示不影响结论)。",
             f"研究文件 {v['study']['file']} SHA-256 {v['study']['sha256']}；提交的 SHA-256 {v['submission']['sha256']}",
             f"提交：{v['submission']['title']} (qra {v['submission']['qra_version']}，{v['submission']['criteria']})；"
             f"核查：qra {v['qra_version']}，build {v.get('build_id', '')}，{v.get('platform', '')}"] if zh else
            [f"{verdict}: {nd} difference(s), {nf} finding(s) (findings do not change the verdict).",
             f"study {v['study']['file']} sha256 {v['study']['sha256']}; submitted {v['submission']['sha256']}",
             f"submission: {v['submission']['title']} (qra {v['submission']['qra_version']}, {v['submission']['criteria']}); "
             f"verified with qra {v['qra_version']}, build {v.get('build_id', '')}, {v.get('platform', '')}"])
    yes, no = ("是", "否") if zh else ("yes", "NO")
    secs = [
        Section("结论" if zh else "Verdict", paragraphs=head),
        Section("差异" if zh else "Differences", tables=[Table(
            ["文件", "字段", "检查", "提交值", "复算值", "容差"] if zh else ["file", "field", "check", "submitted", "recomputed", "tolerance"],
            [[i["file"], i["field"], ck(i["check"]), i["submitted"], i["recomputed"], i["tolerance"]] for i in v["differences"][:2000]])]),
        Section("提示 (版本、替代值与合理性检查)" if zh else "Findings (provenance, overrides, plausibility)", tables=[Table(
            ["检查", "项目", "说明"] if zh else ["check", "item", "finding"],
            [[ck(f["check"]), f["item"], f["message"]] for f in v["plausibility"]])]),
        Section("全部比较" if zh else "All comparisons", tables=[Table(
            ["文件", "字段", "检查", "提交值", "复算值", "一致", "容差"] if zh else
            ["file", "field", "check", "submitted", "recomputed", "match", "tolerance"],
            [[i["file"], i["field"], ck(i["check"]), i["submitted"], i["recomputed"], yes if i["match"] else no, i["tolerance"]]
             for i in v["comparisons"][:5000]])]),
    ]
    return render_html(Report(title=("定量风险评价核查报告" if zh else "Verification of a submitted QRA") + f" — {verdict}", lang=lang,
                              sections=secs))


__all__ = [
    "COORD_ABS_TOL_M", "DEFAULT_REL_TOL", "DISTANCE_REL_TOL", "EXIT_COULD_NOT_VERIFY", "EXIT_DIFFERENCES", "EXIT_PASS",
    "FN_ABS_FLOOR", "FN_REL_TOL", "GEOJSON_RULES", "IR_ABS_FLOOR", "IR_REL_TOL", "KEY_FIELDS", "MAX_JSON_DEPTH",
    "MAX_SUMMARY_BYTES", "PLL_ABS_FLOOR", "PLL_REL_TOL", "SUMMARY_RULES", "CHECK_ZH", "VERDICT_ZH", "Rule", "compare_files",
    "compare_summary", "load_summary", "plausibility", "provenance_findings", "render", "verify",
]
