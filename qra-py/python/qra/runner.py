"""``qra run``: run a study and write its results and the HTML report into one folder.

Outputs (fixed file names — nothing named after study content, so names from an untrusted study
cannot escape the output folder):

=====================  ==========================================================================
``summary.json``       study summary, PLL, max N, compliance, safety distances (per enterprise and
                       for the park, from the combined IR contour), provenance
``individual_risk.npy``  IR grid, per year, shape (ny, nx), rows = y; ``grid_x.npy``/``grid_y.npy``
``contours.geojson``   IR contours (WGS84 when the study has an origin, else local metres)
``distances.geojson``  external-safety-distance polygons per enterprise and limit (same frame)
``fn_curve.csv``       F-N curve (columns N, F)
``contributions.csv``  contribution of each event to PLL and to IR at each protected target
``map.png``            IR contours with targets and installations
``fn.png``             F-N curve with the criterion lines
``report.html``        self-contained report (``--lang en|zh``)
=====================  ==========================================================================

The folder is also a **submission** for ``qra verify``: ``summary.json`` carries the study hash,
the numbers a regulator recomputes and the manifest ``files`` (SHA-256 and size of every other
output), so a stale or half-written folder is caught.

Untrusted studies (issue 21): every output is computed in memory first, written into a fresh
temporary folder next to the output folder and moved into place at the end (``summary.json``
last); names already in the output folder are replaced, never written through, so a symbolic
link planted there cannot redirect a write outside it; a failed run leaves the folder as it
was. Texts from the study are inert where they land: escaped in HTML (:mod:`qra.report`), drawn
without mathtext in the figures (:mod:`qra.plot`), neutralised in CSV cells (:func:`csv_bytes`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import stat
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

import qra

#: Largest study file accepted, bytes (untrusted input).
MAX_STUDY_BYTES = 50 * 1024 * 1024
#: Contour levels written to GeoJSON and drawn on the map, per year.
LEVELS = [1e-8, 3e-7, 1e-7, 3e-6, 1e-6, 1e-5, 3e-5, 1e-4]
SUBMISSION_FORMAT = "qra-submission/2"
#: Every file ``qra run`` writes, in writing order (``summary.json``, holding the manifest, last).
OUTPUT_FILES = ("individual_risk.npy", "grid_x.npy", "grid_y.npy", "contours.geojson", "distances.geojson",
                "fn_curve.csv", "contributions.csv", "map.png", "fn.png", "report.html", "summary.json")
#: CSV cells starting with one of these are prefixed with ``'`` so a spreadsheet shows them as
#: text instead of evaluating a formula (OWASP, "CSV Injection"; tab and carriage return included).
CSV_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def read_study(path: Path) -> tuple[Any, str]:
    """Loads a study file (TOML or JSON) after a size check; returns (study, sha256 of the bytes).

    Parameters
    ----------
    path : Path
        Study file (TOML or JSON).

    Returns
    -------
    (qra.Study, str)

    Raises
    ------
    qra.ResourceLimitError
        File larger than :data:`MAX_STUDY_BYTES`; ``InvalidDocumentError`` for an invalid study.
    """
    data = read_limited(path, MAX_STUDY_BYTES, "study file")
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise qra.InvalidDocumentError(f"study file {path.name!r}: not UTF-8 text ({e})") from None
    # parsed from the very bytes that were hashed (not read a second time)
    json_file = path.suffix.lower() == ".json"
    try:
        return (qra.Study.from_json(text) if json_file else qra.Study.from_toml(text)), digest
    except qra.InvalidDocumentError as e:  # name the file, not the parser ("in toml:")
        err = qra.InvalidDocumentError(str(e).replace(" in json:" if json_file else " in toml:", f" in {path.name}:", 1))
        err.problems = getattr(e, "problems", [])
        raise err from None


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Devices, FIFOs, sockets and folders are refused before opening (``/dev/zero`` would never end,
    a FIFO would block); the limit is checked on the size and again while reading.

    Parameters
    ----------
    path : Path
    limit : int
        Largest size accepted, bytes.
    what : str
        Name of the file in messages.

    Returns
    -------
    bytes

    Raises
    ------
    qra.InvalidDocumentError
        Missing or not a regular file.
    qra.ResourceLimitError
        Larger than ``limit``.
    """
    try:
        st = os.stat(path)
    except OSError as e:
        raise qra.InvalidDocumentError(f"{what} = {str(path)!r}: cannot read ({e.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise qra.InvalidDocumentError(f"{what} = {str(path)!r}: not a regular file (devices, FIFOs and folders are refused)")
    if st.st_size > limit:
        raise qra.ResourceLimitError(f"{what} size = {st.st_size} bytes: exceeds the limit of {limit}")
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise qra.ResourceLimitError(f"{what} size > {limit} bytes: exceeds the limit of {limit}")
    return data


def csv_cell(v: object) -> object:
    """A CSV cell made inert: text starting with a formula character (:data:`CSV_FORMULA_LEADS`)
    gets a leading ``'`` (OWASP, "CSV Injection"); numbers are unchanged.

    Parameters
    ----------
    v : object
        A cell value.

    Returns
    -------
    object
        ``v``, or ``"'" + v`` for a text with a formula lead.
    """
    if isinstance(v, str) and v.startswith(CSV_FORMULA_LEADS):
        return "'" + v
    return v


def csv_bytes(df: Any) -> bytes:
    """A DataFrame as UTF-8 CSV with every text cell and header passed through :func:`csv_cell`.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    bytes
    """
    safe = df.rename(columns=lambda c: csv_cell(str(c)))
    for c in safe.columns:
        if safe[c].dtype == object:
            safe[c] = safe[c].map(csv_cell)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _npy(a: Any) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(np.asarray(a, dtype=float)), allow_pickle=False)
    return buf.getvalue()


def write_outputs(out: str | Path, files: dict[str, bytes]) -> Path:
    """Writes ``files`` (name → bytes) into the folder ``out``, atomically per name and contained.

    The files are written into a fresh temporary folder next to ``out`` (``O_EXCL``, no link
    followed), then renamed into ``out`` in the order given (put the manifest last). A rename
    replaces whatever the name was — a symbolic link included — instead of writing through it.
    Other files in ``out`` are left alone. On any error before the renames ``out`` is unchanged.

    Parameters
    ----------
    out : str or Path
        Output folder (created if missing; must not itself be a symbolic link).
    files : dict of str to bytes
        Plain file names (no folder parts).

    Returns
    -------
    Path
        The output folder.

    Raises
    ------
    qra.InvalidInputError
        ``out`` is a symbolic link or not a folder, a name has folder parts, or an output name in
        ``out`` is a folder.
    """
    out = Path(out).expanduser()
    out = out.parent.resolve() / out.name if out.name else out.resolve()
    if out.is_symlink():
        raise qra.InvalidInputError(f"output = {str(out)!r}: is a symbolic link; give the real folder")
    if out.exists() and not out.is_dir():
        raise qra.InvalidInputError(f"output = {str(out)!r}: not a folder")
    for name in files:
        if Path(name).name != name or name in ("", ".", ".."):
            raise qra.InvalidInputError(f"output file name = {name!r}: must be a plain file name")
        dest = out / name
        if dest.is_dir() and not dest.is_symlink():
            raise qra.InvalidInputError(f"output = {str(dest)!r}: is a folder; remove it first")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.qra-tmp-", dir=out.parent))
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        for name, data in files.items():
            fd = os.open(tmp / name, flags, 0o644)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        for name in files:
            os.replace(tmp / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def run_study(
    study_path: str | Path, out: str | Path, lang: str = "en", criteria: str = "GB36894-2018", threads: int | None = None
) -> dict[str, Any]:
    """Runs the study at ``study_path`` and writes every output into ``out`` (created).

    Returns the summary dictionary (also written to ``summary.json``). Nothing is written until
    every output is computed; then all are moved into place (:func:`write_outputs`), so a failed
    run leaves ``out`` as it was.

    Parameters
    ----------
    study_path : str or Path
    out : str or Path
        Output folder (created).
    lang : {"en", "zh"}
        Report language.
    criteria : str
        Criteria set id.
    threads : int, optional
        Worker threads (capped to the available cores).

    Returns
    -------
    dict
        The summary (format :data:`SUBMISSION_FORMAT`).
    """
    study_path = Path(study_path)
    study, digest = read_study(study_path)
    t0 = time.perf_counter()
    # Progress bar when a person is watching; Ctrl-C cancels the run cleanly either way.
    result = study.run(threads=threads, progress=sys.stderr.isatty())
    run_s = time.perf_counter() - t0
    import matplotlib

    provenance = {"file": study_path.name, "qra_version": qra.__version__, "python": platform.python_version(),
                  "matplotlib": matplotlib.__version__, "run_seconds": run_s}
    summary, files = render_outputs(study, digest, result, lang, criteria, provenance)
    write_outputs(out, files)
    return summary


def render_outputs(
    study: Any, digest: str, result: Any, lang: str, criteria: str, provenance: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Every output of ``qra run`` for a computed ``result``, in memory (``qra verify`` renders
    the same files from its recomputation to compare them).

    Parameters
    ----------
    study : qra.Study
    digest : str
        SHA-256 of the study file.
    result : qra.RiskResult
    lang : {"en", "zh"}
    criteria : str
    provenance : dict
        ``file`` (study file name), ``qra_version``, ``python``, ``matplotlib``, ``run_seconds``:
        reported, not recomputed.

    Returns
    -------
    (dict, dict of str to bytes)
        The summary and the files by name, in :data:`OUTPUT_FILES` order.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qra import plot, report

    d = study.to_dict()
    with warnings.catch_warnings():  # the coverage warnings become report notes (issue 20)
        warnings.simplefilter("ignore", qra.GridCoverageWarning)
        compliance = result.check(criteria)
    from qra.gis import coverage_messages  # numpy only

    coverage = coverage_messages(result, criteria, lang)
    comp = compliance.to_dict()
    files: dict[str, bytes] = {}
    files["individual_risk.npy"] = _npy(result.individual_risk)
    files["grid_x.npy"] = _npy(result.x)
    files["grid_y.npy"] = _npy(result.y)
    local = result.crs is None  # no origin: local metres, marked by "crs_note" (not RFC 7946)
    files["contours.geojson"] = json.dumps(result.to_geojson(LEVELS, criteria, local_metres=local)).encode("utf-8")
    files["distances.geojson"] = json.dumps(result.distance_geojson(criteria, local_metres=local)).encode("utf-8")
    fn = result.fn_curve()
    files["fn_curve.csv"] = csv_bytes(fn)
    contrib = result.contributions()
    files["contributions.csv"] = csv_bytes(contrib)
    targets = result.targets()

    inst = [(i["id"], float(i["x_m"]), float(i["y_m"])) for i in d.get("installations", [])]
    tpts = [(str(t["id"]), float(x), float(y)) for t, x, y in zip(d.get("targets", []), targets["x_m"], targets["y_m"])]
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    plot.risk_contours(result, ax=ax, levels=LEVELS, targets=tpts, installations=inst, lang=lang)
    for pl in d.get("pipelines", []):  # linear sources (qra.linear)
        v = np.asarray(pl["vertices"], dtype=float)
        ax.plot(v[:, 0], v[:, 1], "-", color="tab:orange", lw=1.2)
        ax.annotate(str(pl["id"]), (v[0, 0], v[0, 1]), xytext=(4, 4), textcoords="offset points", fontsize=7, color="tab:orange",
                    parse_math=False)
    fig.tight_layout()
    map_png = _png(fig)
    files["map.png"] = map_png
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6.5, 5))
    plot.fn_curve(result, ax=ax, criteria=criteria, lang=lang)
    fig.tight_layout()
    fn_png = _png(fig)
    files["fn.png"] = fn_png
    plt.close(fig)

    meta = d.get("metadata", {})
    summary: dict[str, Any] = {
        "format": SUBMISSION_FORMAT,
        "study": {"file": str(provenance["file"]), "sha256": digest, "title": meta.get("title", "")},
        "qra_version": str(provenance["qra_version"]),
        "python": str(provenance["python"]),
        "matplotlib": str(provenance["matplotlib"]),
        "lang": lang,
        "criteria": criteria,
        "run_seconds": float(provenance["run_seconds"]),
        "grid": {"nx": int(len(result.x)), "ny": int(len(result.y)), "x0_m": float(result.x[0]), "y0_m": float(result.y[0]),
                 "dx_m": float(result.x[1] - result.x[0]) if len(result.x) > 1 else 0.0},
        "pll_per_year": float(result.pll),
        "max_n": float(result.max_n),
        "max_individual_risk": float(np.max(result.individual_risk)),
        "fn_curve": {"N": [float(v) for v in fn["N"]], "F": [float(v) for v in fn["F"]]},
        "targets": [
            {"id": str(t), "individual_risk": float(v)} for t, v in zip(targets["id"], targets["individual_risk"])
        ],
        "compliance": comp,
        "installation_status": _status_of(d),
        "major_hazard_units": _units_summary(study.major_hazard_units()),
        "grid_coverage": coverage,
    }
    html = report.render_html(build_report(d, result, comp, summary, map_png, fn_png, contrib, lang))
    files["report.html"] = html.encode("utf-8")
    summary["files"] = {name: {"sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for name, b in files.items()}
    files["summary.json"] = json.dumps(summary, indent=2, ensure_ascii=False).encode("utf-8")
    return summary, files


#: GB 36894-2018 names of the protected-target classes and statuses, for Chinese reports.
_ZH_TERMS = {
    "high-sensitive": "高敏感防护目标", "important": "重要防护目标", "general-1": "一般防护目标（一类）",
    "general-2": "一般防护目标（二类）", "general-3": "一般防护目标（三类）",
    "new": "新建、改建、扩建", "in-service": "在役",
}


def _upper_line(criteria_id: object) -> str:
    """``upper_line`` of a built-in criteria set: ``"intolerable"`` (a limit) or
    ``"orientation-value"`` (the Dutch Bevi group risk); ``"intolerable"`` when unknown."""
    try:
        return str(qra.criteria_set(str(criteria_id))["societal"].get("upper_line", "intolerable"))
    except (qra.QraError, KeyError, TypeError):
        return "intolerable"


def _term(v: object, zh: bool) -> object:
    return _ZH_TERMS.get(str(v), v) if zh else v


_GRADES = {"One": 1, "Two": 2, "Three": 3, "Four": 4}
_GRADES_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def _units_summary(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The GB 18218-2018 identification table of ``Study.major_hazard_units()`` for summary.json:
    one entry per unit with ``grade`` as 1-4 (``None``: not a major hazard or not identified)."""
    out = []
    for u in units:
        ident = u.get("identification") or {}
        g = ident.get("grade")
        out.append({
            "unit": u["unit"], "name": u.get("name"), "kind": u.get("kind"), "facility": u.get("facility"),
            "installations": u.get("installations", []), "exposed_persons": u.get("exposed_persons"),
            "exposed_persons_day": u.get("exposed_persons_day"), "exposed_persons_night": u.get("exposed_persons_night"),
            "terms": ident.get("terms", []), "s": ident.get("s"), "alpha": ident.get("alpha"), "r": ident.get("r"),
            "is_major_hazard": ident.get("is_major_hazard"), "grade": _GRADES.get(g) if isinstance(g, str) else None,
            "not_identified": u.get("not_identified"),
        })
    return out


def _major_hazard_rows(units: list[dict[str, Any]], zh: bool = True) -> list[list[object]]:
    """One row per (unit, substance) of the identification table (unit values on every row)."""
    rows: list[list[object]] = []
    for u in units:
        g = u.get("grade")
        grade = "–" if g is None else (_GRADES_ZH[g] if zh else f"grade {g} ({_GRADES_ZH[g]})")
        kind = {"storage": "储存单元" if zh else "storage", "production": "生产单元" if zh else "production"}.get(str(u.get("kind")), "–")
        if u.get("not_identified"):
            rows.append([u["unit"], kind, "–", "–", "–", "–", "–", "–", u.get("exposed_persons"), "–", str(u["not_identified"])])
        for t in u.get("terms", []):
            rows.append([u["unit"], kind, t["substance"], t["quantity_t"], t["critical_quantity_t"], t["ratio"], t["beta"],
                         u["s"], u.get("exposed_persons"), u["alpha"], u["r"], grade])
    return rows


def _status_of(d: dict[str, Any]) -> dict[str, str]:
    """GB 36894-2018 status of every installation and pipeline (default new)."""
    items = list(d.get("installations", [])) + list(d.get("pipelines", []))
    return {str(i["id"]): str(i.get("status") or "new") for i in items}


def _domino_sections(d: dict[str, Any], lang: str) -> list[Any]:
    """The first-level escalation chains (top 10 by secondary frequency), if any."""
    from qra.report import Section, Table, label

    try:
        chains, _ = qra.park.domino(qra.Study.from_dict(d))
    except qra.QraError:
        return []
    if chains.empty:
        return []
    zh = lang == "zh"
    cols = ["primary_event", "primary_outcome", "target_installation", "vector", "intensity", "p_escalation",
            "secondary_frequency_per_year"]
    head = (["初始事件", "后果", "目标装置", "扩展向量", "强度 (W/m² 或 Pa)", "扩展概率", "次生事故频率 (/年)"] if zh else
            ["primary event", "outcome", "target installation", "vector", "intensity (W/m² or Pa)", "P escalation",
             "secondary frequency (per year)"])
    rows = [[r[c] for c in cols] for _, r in chains.head(10).iterrows()]
    source = "Heat escalation: Landucci et al. (2009) [S]; thresholds and overpressure: Cozzani et al. (2004, 2006) [M]"
    return [Section(label("domino", lang), paragraphs=[source], tables=[Table(head, rows)])]


def _source_id(name: str, lines: set[str], event: bool = False) -> str:
    """The linear source a release-point installation ``"<line>#<k>"`` (or its event
    ``"<line>/<release>#<k>"`` with ``event=True``) belongs to; other names unchanged."""
    head, sep, _ = str(name).rpartition("#")
    if not sep:
        return str(name)
    if event:
        return head if head.split("/", 1)[0] in lines else str(name)
    return head if head in lines else str(name)


def build_report(
    d: dict[str, Any], result: Any, comp: dict[str, Any], summary: dict[str, Any], map_png: bytes, fn_png: bytes, contrib: Any, lang: str
) -> Any:
    """The report document model for one run (see :mod:`qra.report`).

    Parameters
    ----------
    d : dict
        The study's dict form.
    result : qra.RiskResult
    comp : dict
        ``Compliance.to_dict()``.
    summary : dict
        The run summary.
    map_png, fn_png : bytes
        The contour map and F-N plot.
    contrib : pandas.DataFrame
        ``RiskResult.contributions()``.
    lang : {"en", "zh"}

    Returns
    -------
    qra.report.Report
    """
    from qra.report import Figure, Report, Section, Table, label

    zh = lang == "zh"
    meta = d.get("metadata", {})
    title = f"{label('report', lang)} — {meta.get('title', '')}"
    secs = []
    events = d.get("events", [])
    secs.append(
        Section(
            label("summary", lang),
            paragraphs=[str(meta.get("description") or "")]
            + ([("编制：" if zh else "Prepared by: ") + str(meta["author"])] if meta.get("author") else [])
            + [("网格覆盖警告：" if zh else "Grid coverage warning: ") + m for m in summary.get("grid_coverage", [])],
            tables=[
                Table(
                    ["项目", "数值"] if zh else ["item", "value"],
                    [
                        ["装置数" if zh else "installations", len(d.get("installations", []))],
                        ["事故场景数" if zh else "loss-of-containment events", len(events)],
                        ["气象类别数" if zh else "weather classes", len(d.get("meteorology", {}).get("weather", []))],
                        ["网格" if zh else "grid", f"{summary['grid']['nx']} × {summary['grid']['ny']}, {summary['grid']['dx_m']:g} m"],
                        ["潜在生命损失 PLL (/年)" if zh else "potential loss of life PLL (per year)", summary["pll_per_year"]],
                        ["最大个人风险 (/年)" if zh else "maximum individual risk (per year)", summary["max_individual_risk"]],
                        ["最大死亡人数 N" if zh else "largest N", summary["max_n"]],
                    ],
                )
            ],
        )
    )
    secs.append(
        Section(
            label("major_hazard", lang),
            paragraphs=["按单元辨识 (研究文件 [[units]]；未归入单元的装置自成一个单元)：S = Σ q/Q，R = α Σ β q/Q；α 按单元边界 (无边界时为装置包络) "
                        "500 m 内、企业边界外的人数 (研究人口数据，昼夜取大，向上取整) 查 GB 18218-2018 表5。" if zh else
                        "Per unit (study [[units]]; an installation without a unit is a unit of its own): S = Σ q/Q, R = α Σ β q/Q; α from "
                        "GB 18218-2018 Table 5 with the people within 500 m of the unit's boundary (else its installations' envelope) and "
                        "outside its enterprise's boundary (study population, the larger of day and night, rounded up)."],
            tables=[Table(["单元", "类型", "物质", "q (t)", "Q (t)", "q/Q", "β", "S", "暴露人数", "α", "R", "级别"] if zh else
                          ["unit", "kind", "substance", "q (t)", "Q (t)", "q/Q", "β", "S", "persons within 500 m", "α", "R", "grade"],
                          _major_hazard_rows(summary.get("major_hazard_units", []), zh))],
        )
    )
    rows = []
    for e in events:
        kinds = ", ".join(str(o.get("spec", {}).get("kind", "")) for o in e.get("outcomes", []))
        rows.append([e.get("id"), e.get("installation"), e.get("description") or "–", e.get("frequency_per_year")
                     or (e.get("loc") or {}).get("scenario", ""), kinds])
    for pl in d.get("pipelines", []):  # linear sources: one row per release class, frequency per km
        for r in pl.get("releases", []):
            kinds = ", ".join(str(o.get("spec", {}).get("kind", "")) for o in r.get("outcomes", []))
            f = r.get("frequency_per_km_year")
            if f is None and r.get("accident_frequency_per_km_year") is not None:
                f = r["accident_frequency_per_km_year"] * r.get("release_probability", 1.0)
            freq = f"{f:.3g} /km/yr" if f is not None else (r.get("loc") or {}).get("scenario", "")
            rows.append([f"{pl['id']}/{r.get('id')}", pl["id"], r.get("description") or "–", freq, kinds])
    secs.append(Section(label("scenarios", lang), tables=[Table(
        ["事件", "装置", "描述", "频率/LOC", "后果类型"] if zh else ["event", "installation", "description", "frequency / LOC", "outcomes"], rows)]))
    secs.append(Section(label("ir_map", lang), figures=[Figure(map_png, caption=label("ir_map", lang), alt="individual risk map")]))
    zone = str(comp.get("fn_zone", ""))
    zone_txt = {"intolerable": ("不可容许区", "intolerable"), "alarp": ("尽可能降低区 (ALARP)", "ALARP"),
                "above-orientation-value": ("指导值以上区", "above-orientation-value"),
                "acceptable": ("可接受区", "acceptable")}.get(zone.lower(), (zone, zone))[0 if zh else 1]
    # The upper line is an orientation value for the Dutch Bevi set (issue 16), a limit elsewhere.
    upper = "指导值" if zh else "orientation value"
    if _upper_line(comp.get("criteria")) != "orientation-value":
        upper = "不可容许" if zh else "intolerable"
    fn_par = (f"F-N 曲线位于{zone_txt}；F/F_{upper} 最大为 {comp.get('worst_ratio', 0):.3g} (N = {comp.get('worst_ratio_n', 0):.3g})。"
              if zh else f"The F-N curve lies in the {zone_txt} zone; the largest F/F_{upper} is "
              f"{comp.get('worst_ratio', 0):.3g} (at N = {comp.get('worst_ratio_n', 0):.3g}).")
    secs.append(Section(label("fn", lang), paragraphs=[fn_par],
                        figures=[Figure(fn_png, caption=label("fn", lang), alt="F-N curve")]))
    trows = [[t["id"], _term(t["class"], zh), _term(t["status"], zh), t["individual_risk"], t["limit"], label("pass" if t["pass"] else "fail", lang)]
             for t in comp.get("targets", [])]
    clause = next((str(t.get("clause")) for t in comp.get("targets", []) if t.get("clause")), "")
    rule = ("状态属于装置 (新建、改建、扩建 / 在役)：新建装置贡献的个人风险 ≤ 新建基准，且全部装置的个人风险 ≤ 在役基准；表中为起控制作用的一项。"
            if zh else "The status belongs to the installations (new / in-service): the new installations' individual risk must be within "
            "the new limit and the individual risk of all installations within the in-service limit; the table shows the binding check.")
    secs.append(Section(label("compliance", lang), paragraphs=[f"{comp.get('criteria')}: {comp.get('source')}", rule, clause], tables=[Table(
        ["防护目标", "类别", "状态", "个人风险 (/年)", "基准 (/年)", "结论"] if zh else
        ["protected target", "class", "status", "individual risk (per year)", "limit (per year)", "verdict"], trows)]))
    # one row per (target class, status), one column per enterprise (and the park): compact and easy to scan
    sd = comp.get("safety_distances", [])
    lines = {str(pl["id"]) for pl in d.get("pipelines", [])}
    ents = list(dict.fromkeys(str(s["enterprise"]) for s in sd))
    keyed: dict[tuple[str, str], dict[str, Any]] = {}
    for s in sd:
        keyed.setdefault((s["class"], s["status"]), {"limit": s["limit"]})[str(s["enterprise"])] = s.get("distance_m")
    drows = [[_term(c, zh), _term(st, zh), v["limit"], *[v.get(e) for e in ents]] for (c, st), v in keyed.items()]
    park = "园区" if zh else "park"
    secs.append(Section(label("distances", lang), paragraphs=[
        "由全部装置叠加的个人风险等值线确定 (GB/T 37243-2019 §6.8，规则据回忆 [M])：各企业 (设施) 边界 (无边界时为最近装置) "
        "到其所属基准值等值线的最大距离 (m)；0 表示该基准值未被达到。各方向距离与等值线见 summary.json 和 distances.geojson。"
        if zh else
        "From the contour of the combined individual risk of all installations (GB/T 37243-2019 §6.8, rule recalled [M]): the "
        "largest distance (m) from each enterprise's boundary (else its nearest installation) to its part of the contour at "
        "the limit; 0: the limit is never reached there. Distances per direction and the polygons: summary.json and "
        "distances.geojson."],
        tables=[Table((["防护目标类别", "状态", "基准 (/年)"] if zh else ["target class", "status", "IR limit (per year)"])
                      + [f"{park if e == '(park)' else e} (m)" for e in ents], drows)]))
    if lines:  # a linear source's release points are summed per release class
        contrib = contrib.assign(installation=[_source_id(i, lines) for i in contrib["installation"]],
                                 event=[_source_id(e, lines, event=True) for e in contrib["event"]])
        contrib = contrib.groupby(["event", "installation"], as_index=False, sort=False)["pll"].sum()
    top = contrib.sort_values("pll", ascending=False).head(10)
    total = max(float(summary["pll_per_year"]), 1e-300)
    crow = [[r["event"], r["installation"], r["pll"], 100.0 * r["pll"] / total] for _, r in top.iterrows()]
    secs.append(Section(label("contributors", lang), tables=[Table(
        ["事件", "装置", "PLL (/年)", "占比 (%)"] if zh else ["event", "installation", "PLL (per year)", "share (%)"], crow)]))
    secs.extend(_domino_sections(d, lang))
    prov = [["qra", summary["qra_version"]], ["研究文件" if zh else "study file", summary["study"]["file"]],
            ["研究文件 SHA-256" if zh else "study SHA-256", summary["study"]["sha256"]],
            ["风险基准" if zh else "criteria", summary["criteria"]], ["计算时间 (s)" if zh else "run time (s)", summary["run_seconds"]],
            ["python", summary["python"]]]
    secs.append(Section(label("provenance", lang), tables=[Table(["项目", "数值"] if zh else ["item", "value"], prov)]))
    return Report(title=title, lang=lang, sections=secs)


__all__ = ["CSV_FORMULA_LEADS", "LEVELS", "MAX_STUDY_BYTES", "OUTPUT_FILES", "SUBMISSION_FORMAT", "build_report", "csv_bytes", "csv_cell",
           "read_limited", "read_study", "render_outputs", "run_study", "write_outputs"]
