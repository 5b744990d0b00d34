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
``map.svg``            IR contours with targets, installations, boundaries and population areas
                       (SVG, text kept as text)
``fn.svg``             F-N curve with the criterion lines (SVG)
``report.html``        self-contained report (``--lang en|zh``), figures inline, CJK font subset
                       embedded (:mod:`qra.report`, :mod:`qra.report_content`)
``study.toml``         the study file as run (``study.json`` for a JSON study), byte for byte
=====================  ==========================================================================

The folder is also a **submission** for ``qra verify``: ``summary.json`` carries the study hash,
the numbers a regulator recomputes, the provenance (qra version, build id, platform, SHA-256 of
every built-in data table) and the manifest ``files`` (SHA-256 and size of every other output), so
a stale or half-written folder is caught. The study hash is taken over the file's bytes with CRLF
line endings read as LF (:func:`study_digest`), so a copy of the study with Windows line endings
verifies.

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
import math
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
#: A JSON study is copied as ``study.json`` instead of ``study.toml``.
OUTPUT_FILES = ("study.toml", "individual_risk.npy", "grid_x.npy", "grid_y.npy", "contours.geojson", "distances.geojson",
                "fn_curve.csv", "contributions.csv", "map.svg", "fn.svg", "report.html", "summary.json")
#: Names of the study copy in a submission, by the study file's format.
STUDY_COPY = {"toml": "study.toml", "json": "study.json"}
#: CSV cells starting with one of these are prefixed with ``'`` so a spreadsheet shows them as
#: text instead of evaluating a formula (OWASP, "CSV Injection"; tab and carriage return included).
CSV_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def study_digest(data: bytes) -> str:
    """SHA-256 (hex) of a study file's bytes with every CRLF line ending read as LF, so the same
    study saved with Windows line endings has the same hash (issue 18).

    Parameters
    ----------
    data : bytes

    Returns
    -------
    str
    """
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def read_study(path: Path) -> tuple[Any, str]:
    """Loads a study file (TOML or JSON) after a size check; returns (study, :func:`study_digest`).

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
    study, digest, _ = read_study_file(path)
    return study, digest


def read_study_file(path: Path) -> tuple[Any, str, bytes]:
    """As :func:`read_study`, also returning the file's bytes (parsed and hashed from one read).

    Parameters
    ----------
    path : Path

    Returns
    -------
    (qra.Study, str, bytes)
    """
    data = read_limited(path, MAX_STUDY_BYTES, "study file")
    digest = study_digest(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise qra.InvalidDocumentError(f"study file {path.name!r}: not UTF-8 text ({e})") from None
    # parsed from the very bytes that were hashed (not read a second time)
    json_file = path.suffix.lower() == ".json"
    try:
        return (qra.Study.from_json(text) if json_file else qra.Study.from_toml(text)), digest, data
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


def _svg(fig: Any, salt: str) -> bytes:
    """The figure as SVG with its text kept as text (``svg.fonttype = "none"``: the browser draws
    it with the report's fonts, so Chinese renders through the embedded CJK subset), reproducible
    (fixed id salt, no date or creator in the metadata)."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def provenance_of(study_name: str, run_s: float) -> dict[str, Any]:
    """What a submission records about how it was computed: study file name, qra version, build
    id, Python, matplotlib, platform, run time and the SHA-256 of every built-in data table.

    Parameters
    ----------
    study_name : str
    run_s : float
        Run time, s.

    Returns
    -------
    dict
    """
    import matplotlib

    info = qra._qra.build_info()
    return {"file": study_name, "qra_version": qra.__version__, "build_id": str(info["build_id"]),
            "python": platform.python_version(), "matplotlib": matplotlib.__version__,
            "platform": f"{platform.system()} {platform.machine()}", "run_seconds": run_s,
            "data_tables": {k: hashlib.sha256(v.encode("utf-8")).hexdigest() for k, v in sorted(info["tables"].items())}}


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
    study, digest, data = read_study_file(study_path)
    t0 = time.perf_counter()
    # Progress bar when a person is watching; Ctrl-C cancels the run cleanly either way.
    result = study.run(threads=threads, progress=sys.stderr.isatty())
    run_s = time.perf_counter() - t0
    summary, files = render_outputs(study, digest, result, lang, criteria, provenance_of(study_path.name, run_s),
                                    study_copy=(STUDY_COPY["json" if study_path.suffix.lower() == ".json" else "toml"], data))
    write_outputs(out, files)
    return summary


def render_outputs(
    study: Any, digest: str, result: Any, lang: str, criteria: str, provenance: dict[str, Any],
    study_copy: tuple[str, bytes] | None = None,
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
        :func:`provenance_of`: ``file`` (study file name), ``qra_version``, ``build_id``,
        ``python``, ``matplotlib``, ``platform``, ``run_seconds``, ``data_tables``: reported, not
        recomputed.
    study_copy : (str, bytes), optional
        Name (:data:`STUDY_COPY`) and bytes of the study file, written first.

    Returns
    -------
    (dict, dict of str to bytes)
        The summary and the files by name, in :data:`OUTPUT_FILES` order.
    """
    # Figures are made without pyplot, so rendering never changes the caller's matplotlib backend
    # (a Jupyter kernel keeps showing its plots inline) and no figure is left registered with pyplot.
    from matplotlib.figure import Figure as MplFigure

    from qra import plot, report

    # the CJK fallback fonts are set before any figure exists, so every figure (and every run in
    # this process) is drawn with the same font list: the SVG is reproducible
    plot._use_cjk_fallback()
    d = study.to_dict()
    with warnings.catch_warnings():  # the coverage warnings become report notes (issue 20)
        warnings.simplefilter("ignore", qra.GridCoverageWarning)
        compliance = result.check(criteria)
    from qra.gis import coverage_messages  # numpy only

    coverage = coverage_messages(result, criteria, lang)
    comp = compliance.to_dict()
    files: dict[str, bytes] = {}
    if study_copy is not None:
        files[study_copy[0]] = study_copy[1]
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
    fig = MplFigure(figsize=(7.5, 6.5))
    ax = fig.subplots()
    plot.risk_contours(result, ax=ax, levels=LEVELS, targets=tpts, installations=inst, lang=lang)
    _draw_areas(ax, d, lang)
    _geography(ax, d, lang)
    for pl in d.get("pipelines", []):  # linear sources (qra.linear)
        v = np.asarray(pl["vertices"], dtype=float)
        ax.plot(v[:, 0], v[:, 1], "-", color="tab:orange", lw=1.2)
        ax.annotate(str(pl["id"]), (v[0, 0], v[0, 1]), xytext=(4, 4), textcoords="offset points", fontsize=7, color="tab:orange",
                    parse_math=False)
    fig.tight_layout()
    map_svg = _svg(fig, "qra-map")
    files["map.svg"] = map_svg
    fig = MplFigure(figsize=(6.5, 5))
    ax = fig.subplots()
    plot.fn_curve(result, ax=ax, criteria=criteria, lang=lang)
    fig.tight_layout()
    fn_svg = _svg(fig, "qra-fn")
    files["fn.svg"] = fn_svg
    rose_svg = _wind_rose_svg(d, lang)

    meta = d.get("metadata", {})
    summary: dict[str, Any] = {
        "format": SUBMISSION_FORMAT,
        "study": {"file": str(provenance["file"]), "sha256": digest, "title": meta.get("title", "")},
        "qra_version": str(provenance["qra_version"]),
        "build_id": str(provenance.get("build_id", "")),
        "python": str(provenance["python"]),
        "matplotlib": str(provenance["matplotlib"]),
        "platform": str(provenance.get("platform", "")),
        "data_tables": {str(k): str(v) for k, v in dict(provenance.get("data_tables") or {}).items()},
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
    figs = {"map": map_svg.decode("utf-8"), "fn": fn_svg.decode("utf-8"), "rose": rose_svg}
    html = report.render_html(build_report(d, result, comp, summary, figs, contrib, lang))
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
            rows.append([u["unit"], kind, _substance_name(t["substance"], zh), t["quantity_t"], t["critical_quantity_t"], t["ratio"], t["beta"],
                         u["s"], u.get("exposed_persons"), u["alpha"], u["r"], grade])
    return rows


def _substance_name(name: str, zh: bool) -> str:
    """A substance as the report names it: ``"氯 (chlorine)"`` in Chinese (the substance table's
    ``name_zh``), the id in English."""
    if not zh:
        return str(name)
    try:
        z = qra.substance(str(name)).name_zh
    except qra.QraError:
        return str(name)
    return f"{z} ({name})" if z else str(name)


def _status_of(d: dict[str, Any]) -> dict[str, str]:
    """GB 36894-2018 status of every installation and pipeline (default new)."""
    items = list(d.get("installations", [])) + list(d.get("pipelines", []))
    return {str(i["id"]): str(i.get("status") or "new") for i in items}


def _domino_sections(d: dict[str, Any], lang: str) -> list[Any]:
    """The first-level escalation chains (top 10 by secondary frequency), if any; a study with
    more (primary outcome, target) pairs within escalation reach than the analysis accepts
    (``qra_core::park::domino::MAX_DOMINO_PAIRS``) gets a section saying so (issue 21)."""
    from qra.report import Section, Table, label

    try:
        chains, _ = qra.park.domino(qra.Study.from_dict(d))
    except qra.ResourceLimitError as e:
        note = (f"未进行多米诺效应分析：{e}" if lang == "zh" else f"Domino analysis not performed: {e}")
        return [Section(label("domino", lang), paragraphs=[note])]
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


def _draw_areas(ax: Any, d: dict[str, Any], lang: str) -> None:
    """Park and facility boundaries, population polygons and polygon protected targets, drawn as
    their outlines (a polygon target is its polygon, not one marker)."""
    zh = lang == "zh"

    def ring(v: Any, **kw: Any) -> None:
        a = np.asarray(v, dtype=float)
        if a.ndim == 2 and len(a) >= 3:
            a = np.vstack([a, a[:1]])
            ax.plot(a[:, 0], a[:, 1], **kw)

    if d.get("park_boundary"):
        ring(d["park_boundary"], color="k", lw=1.4, ls="--", label="园区边界" if zh else "park boundary")
    first = True
    for f in d.get("facilities", []) or []:
        if f.get("boundary"):
            ring(f["boundary"], color="tab:blue", lw=0.9, label=("企业边界" if zh else "facility boundary") if first else None)
            first = False
    first = True
    for p in (d.get("population", {}) or {}).get("polygons", []) or []:
        if p.get("vertices"):
            a = np.asarray(p["vertices"], dtype=float)
            if a.ndim == 2 and len(a) >= 3:
                ax.fill(a[:, 0], a[:, 1], color="tab:gray", alpha=0.18, lw=0, label=("人口区域" if zh else "population area") if first else None)
                first = False
    for t in d.get("targets", []) or []:
        if t.get("polygon"):
            ring(t["polygon"], color="tab:green", lw=1.2)
    ax.legend(loc="upper right", fontsize=7, framealpha=0.8)


#: WGS84 semi-major axis a, m, and flattening f (NIMA TR8350.2, 2000, Table 3.1).
WGS84_A_M = 6_378_137.0
WGS84_F = 1.0 / 298.257_223_563


def metres_per_degree(latitude_deg: float) -> tuple[float, float]:
    """Metres per degree of longitude and of latitude at ``latitude_deg`` on the WGS84 ellipsoid:
    N(φ)·cos φ·π/180 and M(φ)·π/180, with M = a(1−e²)/(1−e² sin²φ)^{3/2}, N = a/(1−e² sin²φ)^{1/2}
    — the local tangent-plane map of the study's origin (``GeoOrigin::to_lon_lat`` in qra-core,
    used for the GeoJSON outputs; error below a metre within ~10 km).

    Parameters
    ----------
    latitude_deg : float

    Returns
    -------
    (float, float)
        (m per degree east, m per degree north).
    """
    e2 = WGS84_F * (2.0 - WGS84_F)
    phi = math.radians(latitude_deg)
    w = math.sqrt(1.0 - e2 * math.sin(phi) ** 2)
    return WGS84_A_M / w * math.cos(phi) * math.pi / 180.0, WGS84_A_M * (1.0 - e2) / w**3 * math.pi / 180.0


def _geography(ax: Any, d: dict[str, Any], lang: str) -> None:
    """North arrow, scale bar and — when the study has a WGS84 origin — a longitude/latitude
    graticule (dotted meridians and parallels, labelled on the top and right axes)."""
    from matplotlib.ticker import MaxNLocator, ScalarFormatter
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar  # type: ignore[import-untyped]

    zh = lang == "zh"
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = x1 - x0
    length = 10 ** math.floor(math.log10(max(span / 4.0, 1.0)))
    length *= 5 if length * 5 <= span / 4.0 else (2 if length * 2 <= span / 4.0 else 1)
    ax.add_artist(AnchoredSizeBar(ax.transData, length, f"{length:g} m", "lower left", pad=0.4, frameon=True, size_vertical=span / 300.0,
                                  fontproperties={"size": 7}))
    ax.annotate("北" if zh else "N", xy=(0.04, 0.97), xytext=(0.04, 0.86), xycoords="axes fraction", ha="center", va="center",
                fontsize=9, arrowprops={"arrowstyle": "-|>", "color": "k", "lw": 1.2})
    o = d.get("origin") or {}
    if o.get("latitude_deg") is None or o.get("longitude_deg") is None:
        return
    lat0, lon0 = float(o["latitude_deg"]), float(o["longitude_deg"])
    mx, my = metres_per_degree(lat0)
    sx = ax.secondary_xaxis("top", functions=(lambda x: lon0 + x / mx, lambda lon: (lon - lon0) * mx))
    sy = ax.secondary_yaxis("right", functions=(lambda y: lat0 + y / my, lambda lat: (lat - lat0) * my))
    loc = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
    for lon in loc.tick_values(lon0 + x0 / mx, lon0 + x1 / mx):
        ax.axvline((lon - lon0) * mx, color="0.6", lw=0.5, ls=":", zorder=0)
    for lat in loc.tick_values(lat0 + y0 / my, lat0 + y1 / my):
        ax.axhline((lat - lat0) * my, color="0.6", lw=0.5, ls=":", zorder=0)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    for a in (sx.xaxis, sy.yaxis):
        a.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        a.set_major_formatter(ScalarFormatter(useOffset=False))
    sx.set_xlabel("经度 (°E, WGS84)" if zh else "longitude (°E, WGS84)", fontsize=8)
    sy.set_ylabel("纬度 (°N, WGS84)" if zh else "latitude (°N, WGS84)", fontsize=8)
    sx.tick_params(labelsize=7)
    sy.tick_params(labelsize=7)


def _wind_rose_svg(d: dict[str, Any], lang: str) -> str:
    """The study's wind rose (all weather classes weighted) as a polar bar chart, SVG."""
    from matplotlib.figure import Figure as MplFigure

    from qra.plot import _use_cjk_fallback
    from qra.report_content import wind_rose

    _use_cjk_fallback()
    p, offset = wind_rose(d)
    n = len(p)
    fig = MplFigure(figsize=(4.2, 4.2))
    ax: Any = fig.add_subplot(projection="polar")  # a PolarAxes
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    th = np.deg2rad(offset + np.arange(n) * 360.0 / n)
    ax.bar(th, p, width=2 * np.pi / n * 0.9, color="tab:blue", alpha=0.7, edgecolor="k", lw=0.5)
    ax.set_title("风玫瑰 (风向频率)" if lang == "zh" else "wind rose (frequency of the direction the wind blows from)", fontsize=9)
    fig.tight_layout()
    return _svg(fig, "qra-rose").decode("utf-8")


def build_report(
    d: dict[str, Any], result: Any, comp: dict[str, Any], summary: dict[str, Any], figs: dict[str, str], contrib: Any, lang: str
) -> Any:
    """The report document model for one run (see :mod:`qra.report`), chapters in the order of
    AQ/T 3046-2013 / GB/T 37243-2019 as far as read ([M]); the tables come from the study and the
    result (:mod:`qra.report_content`), so ``qra verify`` regenerates and compares them.

    Parameters
    ----------
    d : dict
        The study's dict form.
    result : qra.RiskResult
    comp : dict
        ``Compliance.to_dict()``.
    summary : dict
        The run summary.
    figs : dict of str to str
        SVG documents: ``map`` (IR contours), ``fn`` (F-N curve), ``rose`` (wind rose).
    contrib : pandas.DataFrame
        ``RiskResult.contributions()``.
    lang : {"en", "zh"}

    Returns
    -------
    qra.report.Report
    """
    from qra import report_content as rc
    from qra.report import Figure, Report, Section, Table, label

    zh = lang == "zh"
    meta = d.get("metadata", {})
    title = f"{label('report', lang)} — {meta.get('title', '')}"
    secs = []
    events = d.get("events", [])
    lines = {str(pl["id"]) for pl in d.get("pipelines", [])}
    scen = result.scenarios()
    keys = rc.models_used(d, scen)
    o = d.get("origin") or {}
    site = (f"{float(o['latitude_deg']):.5f}° N, {float(o['longitude_deg']):.5f}° E" if o.get("latitude_deg") is not None
            else ("未给出 (局部坐标)" if zh else "not given (local coordinates)"))
    secs.append(
        Section(
            label("scope", lang),
            paragraphs=[str(meta.get("description") or "")]
            + ([("编制：" if zh else "Prepared by: ") + str(meta["author"])] if meta.get("author") else [])
            + [("网格覆盖警告：" if zh else "Grid coverage warning: ") + m for m in summary.get("grid_coverage", [])],
            tables=[
                Table(
                    ["项目", "数值"] if zh else ["item", "value"],
                    [
                        ["研究日期" if zh else "study date", str(meta.get("date") or ("未给出" if zh else "not given"))],
                        ["场址原点 (WGS84)" if zh else "site origin (WGS84)", site],
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
    irows = []
    for i in d.get("installations", []):
        irows.append([i["id"], i.get("name") or "–", _substance_name(i["substance"], zh),
                      float(i["inventory_kg"]) / 1000.0, None if i.get("pressure_pa") is None else float(i["pressure_pa"]) / 1000.0,
                      None if i.get("temperature_k") is None else float(i["temperature_k"]) - 273.15,
                      rc.PHASE_ZH.get(str(i.get("phase")), i.get("phase")) if zh else i.get("phase"),
                      float(i["x_m"]), float(i["y_m"]), i.get("facility") or "–", _term(i.get("status") or "new", zh)])
    for pl in d.get("pipelines", []):
        v = pl.get("vertices") or []
        length = float(sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(v, v[1:])))
        irows.append([pl["id"], ("管道 " if zh else "pipeline ") + f"{length:.0f} m", pl.get("substance", "–"), None, None, None, "–",
                      float(v[0][0]) if v else None, float(v[0][1]) if v else None, pl.get("facility") or "–",
                      _term(pl.get("status") or "new", zh)])
    secs.append(Section(label("installations", lang), paragraphs=[
        "压力为表中数值 (kPa，研究文件给定；空白：由物质和温度确定)；坐标为局部坐标 (m，x 向东，y 向北)。" if zh else
        "Pressure as given in the study (kPa; blank: from the substance and temperature); position in local metres (x east, "
        "y north)."],
        tables=[Table(["装置", "名称", "物质", "存量 (t)", "压力 (kPa)", "温度 (°C)", "相态", "x (m)", "y (m)", "企业", "状态"] if zh else
                      ["installation", "name", "substance", "inventory (t)", "pressure (kPa)", "temperature (°C)", "phase", "x (m)",
                       "y (m)", "facility", "status"], irows)]))
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
    secs.append(Section(label("loc", lang), paragraphs=[
        "频率为计算采用的数值 (/年；线源为 /km·年)，来源见最后一列。" if zh else
        "The frequency used in the calculation (per year; per km and year for a linear source) and where it comes from."],
        tables=[Table(["事件", "装置", "泄漏类型", "频率 (/年)", "来源"] if zh else
                      ["event", "installation", "release", "frequency (per year)", "source"], rc.loc_rows(d, scen, zh))]))
    secs.append(Section(label("event_tree", lang), paragraphs=[
        "条件概率为给定泄漏事件时该后果的概率 (事件树分支 × 份额)；点火概率未在研究文件给出时按点火概率表 (紫皮书表 4.5 [M]) 由泄漏速率或质量确定。"
        if zh else
        "The conditional probability of the outcome given the release (event-tree branch × fraction); ignition probabilities "
        "not given in the study come from the ignition table (Purple Book Table 4.5 [M]) by release rate or mass."],
        tables=[Table(["事件", "后果", "分支", "条件概率", "份额", "点火概率来源"] if zh else
                      ["event", "outcome", "branch", "conditional probability", "fraction", "ignition values"],
                      rc.event_tree_rows(d, scen, zh))]))
    secs.append(Section(label("weather", lang), paragraphs=[
        f"{'白天比例' if zh else 'day fraction'} = {float(d.get('meteorology', {}).get('day_fraction', 0.5)):g}"],
        tables=[Table(["气象类别", "大气稳定度", "风速 (m/s)", "概率", "白天概率", "夜间概率", "风向扇区数"] if zh else
                      ["weather class", "stability", "wind speed (m/s)", "probability", "probability (day)", "probability (night)",
                       "wind sectors"], rc.weather_rows(d, zh))],
        figures=[Figure(svg=figs["rose"], caption=rc.GLOSSARY["wind rose"] if zh else "wind rose", alt="wind rose")]))
    ttab = [[t["id"], t.get("name") or "–", _term(t.get("class"), zh), _term(t.get("status") or "–", zh),
             ("多边形" if zh else "polygon") if t.get("polygon") else ("点" if zh else "point"),
             float(tx), float(ty)] for t, tx, ty in zip(d.get("targets", []), result.targets()["x_m"], result.targets()["y_m"])]
    secs.append(Section(label("population", lang), tables=[
        Table(["人口图层", "白天人数", "夜间人数", "白天室内比例", "夜间室内比例", "几何"] if zh else
              ["population layer", "people (day)", "people (night)", "indoor fraction (day)", "indoor fraction (night)", "geometry"],
              rc.population_rows(d, zh)),
        Table(["防护目标", "名称", "类别", "状态", "几何", "x (m)", "y (m)"] if zh else
              ["protected target", "name", "class", "status", "geometry", "x (m)", "y (m)"], ttab)]))
    secs.append(Section(label("models", lang), tables=[Table(
        ["模型", "参考文献"] if zh else ["model", "reference"], [[rc.MODELS[k][1] if zh else rc.MODELS[k][0], rc.MODELS[k][2]] for k in keys])]))
    secs.append(Section(label("consequences", lang), paragraphs=[
        "各气象类别中 1% 和 50% 致死概率的最远距离 (m) 及其气象类别；线源每个泄漏类别一行。" if zh else
        "The largest distance (m) to 1 % and 50 % lethality over the weather classes, and the class; one row per release class "
        "of a linear source."],
        tables=[Table(["事件", "后果", "类型", "泄漏", "相态", "泄漏速率 (kg/s)", "持续时间 (s)", "进入大气质量 (kg)", "事件频率 (/年)",
                       "条件概率", "1% 致死距离 (m)", "50% 致死距离 (m)", "气象类别"] if zh else
                      ["event", "outcome", "kind", "release", "phase", "release rate (kg/s)", "duration (s)", "airborne mass (kg)",
                       "event frequency (per year)", "conditional probability", "1 % lethality (m)", "50 % lethality (m)", "weather"],
                      rc.consequence_rows(scen, lines, zh))]))
    secs.append(Section(label("ir_map", lang), figures=[Figure(svg=figs["map"], caption=label("ir_map", lang), alt="individual risk map")]))
    zone = str(comp.get("fn_zone", ""))
    zone_txt = {"intolerable": ("不可接受区", "intolerable"), "alarp": ("尽可能降低区 (ALARP)", "ALARP"),
                "above-orientation-value": ("指导值以上区", "above-orientation-value"),
                "acceptable": ("可接受区", "acceptable")}.get(zone.lower(), (zone, zone))[0 if zh else 1]
    # The upper line is an orientation value for the Dutch Bevi set (issue 16), a limit elsewhere.
    upper = "指导值" if zh else "orientation value"
    if _upper_line(comp.get("criteria")) != "orientation-value":
        upper = "不可接受" if zh else "intolerable"
    fn_par = (f"F-N 曲线位于{zone_txt}；F/F_{upper} 最大为 {comp.get('worst_ratio', 0):.3g} (N = {comp.get('worst_ratio_n', 0):.3g})。"
              if zh else f"The F-N curve lies in the {zone_txt} zone; the largest F/F_{upper} is "
              f"{comp.get('worst_ratio', 0):.3g} (at N = {comp.get('worst_ratio_n', 0):.3g}).")
    secs.append(Section(label("fn", lang), paragraphs=[fn_par],
                        figures=[Figure(svg=figs["fn"], caption=label("fn", lang), alt="F-N curve")]))
    trows = [[t["id"], _term(t["class"], zh), _term(t["status"], zh), t["individual_risk"], t["limit"], label("pass" if t["pass"] else "fail", lang),
              str(t.get("clause") or "–")] for t in comp.get("targets", [])]
    rule = ("状态属于装置 (新建、改建、扩建 / 在役)：新建装置贡献的个人风险 ≤ 新建基准，且全部装置的个人风险 ≤ 在役基准；表中为起控制作用的一项。"
            if zh else "The status belongs to the installations (new / in-service): the new installations' individual risk must be within "
            "the new limit and the individual risk of all installations within the in-service limit; the table shows the binding check.")
    crit_src = str(comp.get("source") or "")
    secs.append(Section(label("compliance", lang), paragraphs=[
        (f"风险基准：{rc.STANDARD_TITLES_ZH.get(str(comp.get('criteria')), comp.get('criteria'))} [M]（来源：{crit_src}）" if zh
         else f"{comp.get('criteria')}: {crit_src}"), rule], tables=[Table(
        ["防护目标", "类别", "状态", "个人风险 (/年)", "基准 (/年)", "结论", "条款"] if zh else
        ["protected target", "class", "status", "individual risk (per year)", "limit (per year)", "verdict", "clause"], trows)]))
    # one row per (target class, status), one column per enterprise (and the park): compact and easy to scan
    sd = comp.get("safety_distances", [])
    ents = list(dict.fromkeys(str(x["enterprise"]) for x in sd))
    keyed: dict[tuple[str, str], dict[str, Any]] = {}
    for x in sd:
        keyed.setdefault((x["class"], x["status"]), {"limit": x["limit"]})[str(x["enterprise"])] = x.get("distance_m")
    drows = [[_term(c, zh), _term(st, zh), v["limit"], *[v.get(e) for e in ents]] for (c, st), v in keyed.items()]
    park = "园区" if zh else "park"
    secs.append(Section(label("distances", lang), paragraphs=[
        f"外部安全防护距离由全部装置叠加的个人风险等值线确定 ({rc.STANDARD_TITLES_ZH['GB/T 37243-2019']} §6.8，标准名称与规则据回忆 [M])："
        "各企业 (设施) 边界 (无边界时为最近装置) "
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
    secs.append(Section(label("assumptions", lang), paragraphs=rc.assumptions(d, keys, zh)))
    vs = rc.validation_doc()
    secs.append(Section(label("validation", lang), paragraphs=[
        (f"验证套件 (validation/REPORT.md)：{vs.get('summary', '')}" if zh else f"Validation suite (validation/REPORT.md): {vs.get('summary', '')}")],
        tables=[Table(["模型", "参考文献", "验证案例", "结果"] if zh else ["model", "reference", "validation case", "result"],
                      rc.validation_rows(keys, zh))]))
    prov = [["qra", summary["qra_version"]], ["build id", summary.get("build_id", "")],
            ["研究文件" if zh else "study file", summary["study"]["file"]],
            ["研究文件 SHA-256 (LF)" if zh else "study SHA-256 (LF line endings)", summary["study"]["sha256"]],
            ["研究日期" if zh else "study date", str(meta.get("date") or "–")],
            ["风险基准" if zh else "criteria", summary["criteria"]], ["计算时间 (s)" if zh else "run time (s)", summary["run_seconds"]],
            ["python", summary["python"]], ["matplotlib", summary["matplotlib"]], ["平台" if zh else "platform", summary.get("platform", "")]]
    prov += [[("内置数据表 " if zh else "built-in table ") + k, v] for k, v in summary.get("data_tables", {}).items()]
    secs.append(Section(label("provenance", lang), tables=[Table(["项目", "数值"] if zh else ["item", "value"], prov)]))
    return Report(title=title, lang=lang, sections=secs)


__all__ = ["CSV_FORMULA_LEADS", "LEVELS", "MAX_STUDY_BYTES", "OUTPUT_FILES", "STUDY_COPY", "SUBMISSION_FORMAT", "build_report", "csv_bytes",
           "csv_cell", "metres_per_degree", "provenance_of", "read_limited", "read_study", "read_study_file", "render_outputs", "run_study", "study_digest",
           "write_outputs"]
