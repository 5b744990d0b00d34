"""``qra verify STUDY SUBMITTED -o DIR``: a regulator recomputes a submitted study and compares.

The submission format ``qra-submission/1``
------------------------------------------
A submission is the folder ``qra run`` writes (see :mod:`qra.runner`). ``qra verify`` reads only
``summary.json`` from it (at most :data:`MAX_SUMMARY_BYTES`); the other files (grids, GeoJSON,
PNG, HTML) are for people and are not trusted or needed. Required fields of ``summary.json``:

=========================  ===================================================================
``format``                 ``"qra-submission/1"``
``study.sha256``           SHA-256 (hex) of the study file's bytes
``criteria``               criteria-set name (one of ``qra.criteria_sets()``)
``grid.dx_m``              grid resolution, m
``pll_per_year``           potential loss of life, fatalities per year
``fn_curve.N``/``.F``      F-N points: N (ascending) and F(N) per year, equal lengths
``targets[]``              ``{"id", "individual_risk"}`` per protected target, per year
``compliance``             ``Compliance.to_dict()``: ``targets[]`` (``id``, ``class``,
                           ``status``, ``limit``, ``pass``), ``safety_distances[]``
                           (``enterprise``, ``class``, ``status``, ``distance_m``; from the
                           combined IR contour), ``fn_zone``; optional
                           ``installation_distances[]`` (``installation``, ``class``,
                           ``status``, ``distance_m``)
``major_hazard_units[]``   optional: ``unit``, ``grade`` (1-4 or null), ``alpha``, ``r`` per
                           GB 18218 unit (``qra run`` writes it)
=========================  ===================================================================

Other fields (``study.title``, ``qra_version``, ``run_seconds``, …) are reported, not compared.
The full description is in ``docs/submission-format.md``.

Comparisons and tolerances
--------------------------
========================  ===========================================================================
study hash                SHA-256 of STUDY must equal ``study.sha256`` (else the verdict is STUDY CHANGED)
IR at each target         ``|sub − rec| ≤ max(`` :data:`IR_REL_TOL` ``·rec,`` :data:`IR_ABS_FLOOR` ``)``
PLL                       ``|sub − rec| ≤ max(`` :data:`PLL_REL_TOL` ``·rec,`` :data:`PLL_ABS_FLOOR` ``)``
F-N                       F recomputed at each submitted N: :data:`FN_REL_TOL`, floor :data:`FN_ABS_FLOOR`
safety distances          ``|sub − rec| ≤ max(1 grid cell,`` :data:`DISTANCE_REL_TOL` ``·rec)``, per
                          enterprise (combined contour) and per installation (own contour).
                          Submissions written before issue 15 name an ``installation`` in
                          ``safety_distances[]``: those rows are compared with the recomputed
                          per-installation distances.
compliance verdicts       target pass/fail, the limit applied and the F-N zone must match exactly
major-hazard units        GB 18218 grade and α exactly, R to 1e-9 relative, per unit (when the
                          submission has ``major_hazard_units``)
========================  ===========================================================================

The tolerances allow for a different platform, compiler or thread count (the engine is
deterministic, so an identical build reproduces the numbers exactly) — not for different inputs.

Plausibility findings (flags for the reviewer, not part of the verdict): user frequencies more
than :data:`FREQUENCY_FACTOR` × below the generic LOC table value for the same equipment type;
immediate-ignition probabilities outside the Purple Book table range (``models/ignition.toml``,
recalled values [M]); a flammable substance without a fire/explosion outcome, a toxic one without a
toxic outcome; grid resolution above :data:`MAX_RESOLUTION_M`, or a protected target within
:data:`TARGET_CELLS` grid cells of an installation; a Chinese study (origin in China or Chinese text)
not assessed with GB36894-2018; submitted target class/status differing from the study.

Verdict and exit status: ``PASS`` (0) when everything matches, ``DIFFERENCES`` (1) when a compared
value is outside its tolerance, ``STUDY CHANGED`` (1) when the study hash differs; user errors
(missing/oversized/malformed files) exit with 2 (raised as :class:`qra.QraError`).

Security: every file is untrusted — sizes are checked before reading, JSON is parsed with depth and
size limits and no ``NaN``/``Infinity``, nothing is executed, outputs have fixed names inside the
output folder, and every text in the HTML is escaped (:mod:`qra.report`).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import tomllib

import qra
from qra.runner import MAX_STUDY_BYTES, SUBMISSION_FORMAT

#: Largest ``summary.json`` accepted, bytes.
MAX_SUMMARY_BYTES = 20 * 1024 * 1024
#: Deepest JSON nesting accepted in ``summary.json``.
MAX_JSON_DEPTH = 16
#: Relative tolerance of the IR at protected targets.
IR_REL_TOL = 0.01
#: Absolute floor of the IR comparison, per year.
IR_ABS_FLOOR = 1e-9
#: Relative tolerance of the PLL.
PLL_REL_TOL = 0.01
#: Absolute floor of the PLL comparison, fatalities per year.
PLL_ABS_FLOOR = 1e-12
#: Relative tolerance of F(N).
FN_REL_TOL = 0.02
#: Absolute floor of the F(N) comparison, per year.
FN_ABS_FLOOR = 1e-10
#: Relative tolerance of the external safety distances (at least one grid cell).
DISTANCE_REL_TOL = 0.02
#: Flag user frequencies more than this factor below the generic LOC value.
FREQUENCY_FACTOR = 10.0
#: Flag grids coarser than this, m.
MAX_RESOLUTION_M = 25.0
#: Flag protected targets closer than this many grid cells to an installation.
TARGET_CELLS = 2.0

EXIT_PASS = 0
EXIT_DIFFERENCES = 1

_FIRE_KINDS = {"jet-fire", "pool-fire", "fireball", "flash-fire", "vce"}
_FIRE_HAZARDS = {"thermal", "flash-fire", "flashfire", "explosion"}


def _bad(msg: str, problems: list[tuple[str, int | None, str]] | None = None) -> qra.InvalidDocumentError:
    e = qra.InvalidDocumentError(msg)
    e.problems = problems or [("", None, msg)]
    return e


def _read_limited(path: Path, limit: int, what: str) -> bytes:
    if not path.is_file():
        raise _bad(f"{what} = {str(path)!r}: not found or not a file")
    size = path.stat().st_size
    if size > limit:
        raise qra.ResourceLimitError(f"{what} size = {size} bytes: exceeds the limit of {limit}")
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise qra.ResourceLimitError(f"{what} size > {limit} bytes: exceeds the limit of {limit}")
    return data


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


def load_summary(submitted: str | Path) -> dict[str, Any]:
    """Reads and checks ``summary.json`` of a submission folder (or the file itself).


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
        Missing file, invalid JSON, wrong format or missing/ill-typed required fields (all listed).
    qra.ResourceLimitError
        File larger than :data:`MAX_SUMMARY_BYTES` or nested deeper than :data:`MAX_JSON_DEPTH`.
    """
    p = Path(submitted)
    if p.is_dir():
        p = p / "summary.json"
    data = _read_limited(p, MAX_SUMMARY_BYTES, "summary.json")
    try:
        text = data.decode("utf-8")
        # Quick nesting bound before parsing (the parser recurses).
        if max((len(m) for m in re.findall(r"[\[{]+", text)), default=0) > MAX_JSON_DEPTH:
            raise qra.ResourceLimitError(f"summary.json nesting > {MAX_JSON_DEPTH}: exceeds the limit")
        d = json.loads(text, parse_constant=_no_constant, parse_int=float)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        if isinstance(e, qra.QraError):
            raise
        raise _bad(f"summary.json: not valid JSON: {e}") from None
    if _depth(d) > MAX_JSON_DEPTH:
        raise qra.ResourceLimitError(f"summary.json nesting > {MAX_JSON_DEPTH}: exceeds the limit")
    problems: list[tuple[str, int | None, str]] = []

    def need(path: str, kind: type | tuple[type, ...]) -> Any:
        cur: Any = d
        for k in path.split("."):
            if not isinstance(cur, dict) or k not in cur:
                problems.append((path, None, "required field missing"))
                return None
            cur = cur[k]
        if kind is float:
            ok = isinstance(cur, (int, float)) and not isinstance(cur, bool) and math.isfinite(cur)
        else:
            ok = isinstance(cur, kind)
        if not ok:
            problems.append((path, None, f"must be {getattr(kind, '__name__', kind)}"))
            return None
        return cur

    if not isinstance(d, dict):
        raise _bad("summary.json: must be a JSON object")
    fmt = need("format", str)
    if fmt is not None and fmt != SUBMISSION_FORMAT:
        problems.append(("format", None, f"must be {SUBMISSION_FORMAT!r}"))
    sha = need("study.sha256", str)
    if sha is not None and not re.fullmatch(r"[0-9a-f]{64}", sha):
        problems.append(("study.sha256", None, "must be 64 lowercase hex digits"))
    need("criteria", str)
    need("grid.dx_m", float)
    need("pll_per_year", float)
    n = need("fn_curve.N", list)
    f = need("fn_curve.F", list)
    if n is not None and f is not None:
        if len(n) != len(f):
            problems.append(("fn_curve", None, "N and F must have equal lengths"))
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in [*n, *f]):
            problems.append(("fn_curve", None, "N and F must be numbers"))
    for k, t in enumerate(need("targets", list) or []):
        if not (isinstance(t, dict) and isinstance(t.get("id"), str) and isinstance(t.get("individual_risk"), (int, float))):
            problems.append((f"targets[{k}]", None, "needs id (text) and individual_risk (number)"))
    comp = need("compliance", dict)
    if comp is not None:
        need("compliance.fn_zone", str)
        for k, t in enumerate(need("compliance.targets", list) or []):
            if not (isinstance(t, dict) and isinstance(t.get("id"), str) and isinstance(t.get("pass"), bool)):
                problems.append((f"compliance.targets[{k}]", None, "needs id (text) and pass (true/false)"))
        for k, s in enumerate(need("compliance.safety_distances", list) or []):
            if not (isinstance(s, dict) and (isinstance(s.get("enterprise"), str) or isinstance(s.get("installation"), str))):
                problems.append((f"compliance.safety_distances[{k}]", None, "needs enterprise (text)"))
        inst_d = comp.get("installation_distances", [])
        if not isinstance(inst_d, list):
            problems.append(("compliance.installation_distances", None, "must be a list"))
        else:
            for k, s in enumerate(inst_d):
                if not (isinstance(s, dict) and isinstance(s.get("installation"), str)):
                    problems.append((f"compliance.installation_distances[{k}]", None, "needs installation (text)"))
    units = d.get("major_hazard_units", [])  # optional (submissions written before issue 15 lack it)
    if not isinstance(units, list):
        problems.append(("major_hazard_units", None, "must be a list"))
    else:
        for k, u in enumerate(units):
            g = u.get("grade") if isinstance(u, dict) else None
            if not (isinstance(u, dict) and isinstance(u.get("unit"), str)
                    and (g is None or (isinstance(g, (int, float)) and not isinstance(g, bool) and g in (1, 2, 3, 4)))):
                problems.append((f"major_hazard_units[{k}]", None, "needs unit (text) and grade (1-4 or null)"))
    if problems:
        raise _bad(f"{len(problems)} problem(s) in summary.json: " + "; ".join(f"{a}: {m}" for a, _, m in problems), problems)
    return d


def _within(sub: float, rec: float, rel: float, floor: float) -> bool:
    return abs(sub - rec) <= max(rel * abs(rec), floor)


def _f_at(n_rec: np.ndarray, f_rec: np.ndarray, n: float) -> float:
    """F(n) of a step F-N curve: F of the first point with N ≥ n (0 beyond the largest N)."""
    i = int(np.searchsorted(n_rec, n, side="left"))
    return float(f_rec[i]) if i < len(f_rec) else 0.0


def compare(summary: dict[str, Any], result: Any, study_digest: str, units: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Compares a submission with a recomputed result; returns the comparison items.

    Parameters
    ----------
    summary : dict
        The submitted summary (:func:`load_summary`).
    result : qra.RiskResult
        The recomputation.
    study_digest : str
        SHA-256 of the study file.
    units : list of dict, optional
        The recomputed GB 18218 units (``Study.major_hazard_units()``); compared with the
        submitted ``major_hazard_units`` when both are there.

    Returns
    -------
    dict
        ``items`` (check, item, submitted, recomputed, match, tolerance) and ``recomputed_compliance``.
    """
    items: list[dict[str, Any]] = []

    def item(kind: str, name: str, sub: Any, rec: Any, ok: bool, tol: str) -> None:
        items.append({"check": kind, "item": name, "submitted": sub, "recomputed": rec, "match": bool(ok), "tolerance": tol})

    item("study hash", "SHA-256", summary["study"]["sha256"], study_digest, summary["study"]["sha256"] == study_digest, "exact")
    comp = result.check(summary["criteria"]).to_dict()
    rec_t = {str(t): float(v) for t, v in zip(result.targets()["id"], result.targets()["individual_risk"])}
    for t in summary["targets"]:
        rec = rec_t.get(t["id"])
        if rec is None:
            item("IR at target", t["id"], t["individual_risk"], None, False, "target must exist in the study")
        else:
            item("IR at target", t["id"], float(t["individual_risk"]), rec,
                 _within(float(t["individual_risk"]), rec, IR_REL_TOL, IR_ABS_FLOOR), f"{IR_REL_TOL:.0%} / {IR_ABS_FLOOR:g} per year")
    for tid in sorted(set(rec_t) - {t["id"] for t in summary["targets"]}):
        item("IR at target", tid, None, rec_t[tid], False, "target missing from the submission")
    item("PLL", "PLL", float(summary["pll_per_year"]), float(result.pll),
         _within(float(summary["pll_per_year"]), float(result.pll), PLL_REL_TOL, PLL_ABS_FLOOR), f"{PLL_REL_TOL:.0%} / {PLL_ABS_FLOOR:g} per year")
    fn = result.fn_curve()
    n_rec, f_rec = fn["N"].to_numpy(dtype=float), fn["F"].to_numpy(dtype=float)
    bad_fn = []
    for n, f in zip(summary["fn_curve"]["N"], summary["fn_curve"]["F"]):
        rec = _f_at(n_rec, f_rec, float(n))
        if not _within(float(f), rec, FN_REL_TOL, FN_ABS_FLOOR):
            bad_fn.append((float(n), float(f), rec))
    # the recomputed curve's own points, so a truncated submitted curve is caught too
    sub_n = np.asarray(summary["fn_curve"]["N"], dtype=float)
    sub_f = np.asarray(summary["fn_curve"]["F"], dtype=float)
    order = np.argsort(sub_n, kind="stable")
    for n, f in zip(n_rec, f_rec):
        sub = _f_at(sub_n[order], sub_f[order], float(n))
        if not _within(sub, float(f), FN_REL_TOL, FN_ABS_FLOOR):
            bad_fn.append((float(n), sub, float(f)))
    if bad_fn:
        for n, s, r in bad_fn[:20]:
            item("F-N", f"F(N ≥ {n:g})", s, r, False, f"{FN_REL_TOL:.0%} / {FN_ABS_FLOOR:g} per year")
    else:
        item("F-N", f"{len(sub_n)} submitted points", len(sub_n), len(n_rec), True, f"{FN_REL_TOL:.0%} / {FN_ABS_FLOOR:g} per year")
    dx = abs(float(summary["grid"]["dx_m"]))
    if dx == 0.0 and len(result.x) > 1:
        dx = float(result.x[1] - result.x[0])
    rec_e = {(s["enterprise"], s["class"], s["status"]): s.get("distance_m") for s in comp.get("safety_distances", [])}
    rec_i = {(s["installation"], s["class"], s["status"]): s.get("distance_m") for s in comp.get("installation_distances", [])}
    sub_comp = summary["compliance"]
    # Rows naming an installation (submissions written before issue 15) are per-installation distances.
    sub_rows = [(s, "enterprise" in s) for s in sub_comp["safety_distances"]]
    sub_rows += [(s, False) for s in sub_comp.get("installation_distances", [])]
    for s, combined in sub_rows:
        key = (s.get("enterprise" if combined else "installation"), s.get("class"), s.get("status"))
        kind = "safety distance" if combined else "installation distance"
        name = f"{key[0]} / {key[1]} / {key[2]}"
        rec_d = rec_e if combined else rec_i
        if key not in rec_d:
            item(kind, name, s.get("distance_m"), None, False, "must exist in the recomputation")
            continue
        sub_d, rec_dist = s.get("distance_m"), rec_d[key]
        if sub_d is None or rec_dist is None:
            item(kind, name, sub_d, rec_dist, sub_d is None and rec_dist is None, "both absent")
        else:
            ok = isinstance(sub_d, (int, float)) and abs(float(sub_d) - float(rec_dist)) <= max(dx, DISTANCE_REL_TOL * abs(float(rec_dist)))
            item(kind, name, sub_d, rec_dist, ok, f"max(1 cell = {dx:g} m, {DISTANCE_REL_TOL:.0%})")
    rec_c = {t["id"]: t for t in comp.get("targets", [])}
    for t in summary["compliance"]["targets"]:
        rt = rec_c.get(t["id"])
        item("compliance verdict", t["id"], "pass" if t["pass"] else "fail",
             None if rt is None else ("pass" if rt["pass"] else "fail"), rt is not None and rt["pass"] == t["pass"], "exact")
        if rt is not None and "limit" in t:
            item("criterion limit", t["id"], t["limit"], rt["limit"], t["limit"] == rt["limit"], "exact")
    item("compliance verdict", "F-N zone", summary["compliance"]["fn_zone"], comp.get("fn_zone"),
         summary["compliance"]["fn_zone"] == comp.get("fn_zone"), "exact")
    if units is not None and "major_hazard_units" in summary:
        from qra.runner import _units_summary

        rec_u = {u["unit"]: u for u in _units_summary(units)}
        for u in summary["major_hazard_units"]:
            ru = rec_u.get(u["unit"])
            item("major-hazard grade", u["unit"], u.get("grade"), None if ru is None else ru["grade"],
                 ru is not None and u.get("grade") == ru["grade"], "exact")
            if ru is not None:
                item("major-hazard α", u["unit"], u.get("alpha"), ru["alpha"], u.get("alpha") == ru["alpha"], "exact")
                sub_r, rec_r = u.get("r"), ru["r"]
                ok = (sub_r is None and rec_r is None) or (isinstance(sub_r, (int, float)) and rec_r is not None
                                                           and _within(float(sub_r), float(rec_r), 1e-9, 0.0))
                item("major-hazard R", u["unit"], sub_r, rec_r, ok, "1e-9 relative")
        for uid in sorted(set(rec_u) - {u["unit"] for u in summary["major_hazard_units"]}):
            item("major-hazard grade", uid, None, rec_u[uid]["grade"], False, "unit missing from the submission")
    return {"items": items, "recomputed_compliance": comp}


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
        for t in summary.get("compliance", {}).get("targets", []):
            st = study_t.get(t.get("id"))
            if st is None:
                continue
            for k in ("class", "status"):
                if t.get(k) is not None and st.get(k) is not None and t.get(k) != st.get(k):
                    flag("criteria", str(t.get("id")), f"submitted target {k} {t.get(k)!r} differs from the study's {st.get(k)!r}")
    return out


def verify(study_path: str | Path, submitted: str | Path, out: str | Path, lang: str = "en", threads: int | None = None) -> dict[str, Any]:
    """Recomputes ``study_path`` and compares it with the submission ``submitted``.

    Writes ``verification.json`` and ``verification.html`` into ``out`` (created) and returns the
    verification dictionary (``verdict``: ``"PASS"``, ``"DIFFERENCES"`` or ``"STUDY CHANGED"``;
    ``exit_code``: 0 or 1).


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
        For user errors: unreadable/oversized/malformed files, an invalid study, an unknown
        criteria set.
    """
    from qra.runner import read_study

    summary = load_summary(submitted)
    study_path = Path(study_path)
    if not study_path.is_file():
        raise _bad(f"study = {str(study_path)!r}: not found or not a file")
    _read_limited(study_path, MAX_STUDY_BYTES, "study file")
    study, digest = read_study(study_path)
    if summary["criteria"] not in qra.criteria_sets():
        raise _bad(f"criteria = {summary['criteria']!r}: unknown criteria set (known: {', '.join(qra.criteria_sets())})")
    result = study.run(threads=threads)
    cmp = compare(summary, result, digest, study.major_hazard_units())
    d = study.to_dict()
    findings = plausibility(d, summary)
    items = cmp["items"]
    if not items[0]["match"]:
        verdict = "STUDY CHANGED"
    elif all(i["match"] for i in items):
        verdict = "PASS"
    else:
        verdict = "DIFFERENCES"
    v: dict[str, Any] = {
        "format": "qra-verification/1",
        "verdict": verdict,
        "exit_code": EXIT_PASS if verdict == "PASS" else EXIT_DIFFERENCES,
        "qra_version": qra.__version__,
        "study": {"file": study_path.name, "sha256": digest},
        "submission": {"sha256": summary["study"]["sha256"], "title": str(summary.get("study", {}).get("title", "")),
                       "qra_version": str(summary.get("qra_version", "")), "criteria": summary["criteria"]},
        "tolerances": {"ir_rel": IR_REL_TOL, "ir_abs_per_year": IR_ABS_FLOOR, "pll_rel": PLL_REL_TOL, "pll_abs_per_year": PLL_ABS_FLOOR,
                       "fn_rel": FN_REL_TOL, "fn_abs_per_year": FN_ABS_FLOOR, "distance_rel": DISTANCE_REL_TOL, "distance_abs": "1 grid cell"},
        "differences": [i for i in items if not i["match"]],
        "comparisons": items,
        "plausibility": findings,
    }
    out = Path(out).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / "verification.json").write_text(json.dumps(v, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "verification.html").write_text(render(v, lang), encoding="utf-8")
    return v


def render(v: dict[str, Any], lang: str = "en") -> str:
    """The self-contained HTML page of a verification (all text escaped by :mod:`qra.report`).

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
    secs = [
        Section("结论" if zh else "Verdict", paragraphs=[
            f"{v['verdict']}: {len(v['differences'])} difference(s), {len(v['plausibility'])} plausibility finding(s).",
            f"study {v['study']['file']} sha256 {v['study']['sha256']}; submitted {v['submission']['sha256']}",
            f"submission: {v['submission']['title']} (qra {v['submission']['qra_version']}, {v['submission']['criteria']})",
        ]),
        Section("差异" if zh else "Differences", tables=[Table(
            ["检查", "项目", "提交值", "复算值", "容差"] if zh else ["check", "item", "submitted", "recomputed", "tolerance"],
            [[i["check"], i["item"], i["submitted"], i["recomputed"], i["tolerance"]] for i in v["differences"]])]),
        Section("合理性检查" if zh else "Plausibility findings", tables=[Table(
            ["检查", "项目", "说明"] if zh else ["check", "item", "finding"],
            [[f["check"], f["item"], f["message"]] for f in v["plausibility"]])]),
        Section("全部比较" if zh else "All comparisons", tables=[Table(
            ["检查", "项目", "提交值", "复算值", "一致", "容差"] if zh else ["check", "item", "submitted", "recomputed", "match", "tolerance"],
            [[i["check"], i["item"], i["submitted"], i["recomputed"], "yes" if i["match"] else "NO", i["tolerance"]] for i in v["comparisons"]])]),
    ]
    return render_html(Report(title=("核查报告" if zh else "Verification of a submitted QRA") + f" — {v['verdict']}", lang=lang, sections=secs))


__all__ = [
    "DISTANCE_REL_TOL", "FN_ABS_FLOOR", "FN_REL_TOL", "IR_ABS_FLOOR", "IR_REL_TOL", "MAX_JSON_DEPTH", "MAX_SUMMARY_BYTES",
    "PLL_ABS_FLOOR", "PLL_REL_TOL", "compare", "load_summary", "plausibility", "render", "verify",
]
