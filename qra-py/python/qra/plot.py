"""matplotlib helpers: risk contours, F-N curves with criteria, effect-vs-distance plots.

matplotlib is imported lazily, so ``import qra`` does not need it. Every function draws on the
axes given (or a new figure) and returns the axes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

#: Fonts tried after the default one so that Chinese names in studies render (Debian:
#: fonts-noto-cjk). A glyph in none of them is drawn as a box and matplotlib warns ("Glyph … missing
#: from font"); the warning is not hidden. In SVG output with ``svg.fonttype = "none"`` (``qra run``)
#: the text stays text and the browser draws it with the report's embedded CJK font.
CJK_FALLBACK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "AR PL UMing CN"]


def _use_cjk_fallback() -> None:
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed.intersection(CJK_FALLBACK_FONTS):
        # matplotlib's font cache predates the CJK font (installed later): add the file fontconfig finds
        from qra.report import cjk_font

        found = cjk_font()
        if found is not None:
            try:
                font_manager.fontManager.addfont(found[0])
            except (OSError, RuntimeError, ValueError):
                pass
            installed = {f.name for f in font_manager.fontManager.ttflist}
    fam = list(matplotlib.rcParams["font.family"])
    # Matplotlib (>= 3.6) falls back glyph by glyph along the font.family list.
    matplotlib.rcParams["font.family"] = fam + [f for f in CJK_FALLBACK_FONTS if f in installed and f not in fam]


#: Plot labels in English and Chinese (``lang="en"|"zh"``).
_LABELS = {
    "en": {"ir_title": "Individual risk (per year)", "x": "x east (m)", "y": "y north (m)",
           "target": "protected target", "installation": "installation", "intolerable": "intolerable",
           "orientation": "above the orientation value",
           "alarp": "ALARP", "negligible": "acceptable", "n": "number of fatalities N",
           "f": "frequency of N or more fatalities F (per year)", "fn_title": "F-N curve against {}"},
    "zh": {"ir_title": "个人风险（/年）", "x": "x 东向 (m)", "y": "y 北向 (m)", "target": "防护目标",
           "installation": "装置", "intolerable": "不可接受区", "orientation": "指导值以上区", "alarp": "尽可能降低区 (ALARP)",
           "negligible": "可接受区", "n": "死亡人数 N", "f": "N 人及以上死亡的累积频率 F（/年）",
           "fn_title": "F-N 曲线（{}）"},
}


def _t(key: str, lang: str) -> str:
    return _LABELS.get(lang, _LABELS["en"])[key]


#: Default individual-risk contour levels, per year (GB 36894 limits included).
DEFAULT_LEVELS = (1e-8, 3e-7, 1e-7, 3e-6, 1e-6, 1e-5, 3e-5, 1e-4)


def _axes(ax: Any) -> Any:
    _use_cjk_fallback()
    if ax is not None:
        import matplotlib

        # the title and axis labels of existing axes keep the fonts of their creation time
        for t in (ax.title, ax.xaxis.label, ax.yaxis.label):
            t.set_fontfamily(list(matplotlib.rcParams["font.family"]))
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 6))
    return ax


def _study_layers(result: Any) -> tuple[list[tuple[Any, tuple[float, float, float, float]]], list[tuple[str, float, float]], list[tuple[str, float, float]]]:
    """Population rasters, protected targets and installations of the study behind ``result``."""
    study = getattr(result, "study", None)
    if study is None:
        return [], [], []
    d = study.to_dict()
    rasters = []
    for r in d.get("population", {}).get("rasters", []):
        nx, ny, c = int(r["nx"]), int(r["ny"]), float(r["cell_size_m"])
        x0, y0 = float(r["x0_m"]), float(r["y0_m"])
        rasters.append((np.asarray(r["counts"], dtype=float).reshape(ny, nx), (x0, x0 + nx * c, y0, y0 + ny * c)))
    t = result.targets()
    targets = [(str(i), float(x), float(y)) for i, x, y in zip(t["id"], t["x_m"], t["y_m"])]
    inst = [(str(i["id"]), float(i["x_m"]), float(i["y_m"])) for i in d.get("installations", [])]
    return rasters, targets, inst


def risk_contours(
    result: Any,
    ax: Any = None,
    levels: Sequence[float] = DEFAULT_LEVELS,
    population: ArrayLike | None = None,
    population_extent: Sequence[float] | None = None,
    targets: Sequence[tuple[str, float, float]] | None = None,
    installations: Sequence[tuple[str, float, float]] | None = None,
    lang: str = "en",
) -> Any:
    """Individual-risk contours over the population raster, with protected targets.

    Draws the polygons of ``result.contours(levels)`` — the region IR ≥ level (per year) traced on
    the grid by the native marching squares, the same geometry as ``result.to_geojson(levels)``
    — one colour per level, each labelled once. The GB 36894-2018 limits (3×10⁻⁷, 3×10⁻⁶,
    10⁻⁵, 3×10⁻⁵ per year) are among the default levels.

    Parameters
    ----------
    result : qra.RiskResult or any object with ``contours(levels)`` of the same form
        (a list of ``{"level": float, "polygons": [[exterior, *holes], ...]}``, rings as
        (k, 2) arrays in m); ``x`` and ``y`` node coordinates, if present, set the map extent.
    ax : matplotlib Axes, optional
        Drawn on a new figure when ``None``.
    levels : sequence of float
        Contour levels, per year.
    population, population_extent : array (ny, nx) of people, (x0, x1, y0, y1) in m, optional
        A population raster drawn in grey. Default: the rasters of ``result.study``.
    targets, installations : sequence of (name, x_m, y_m), optional
        Labelled markers. Default: the protected targets and installations of ``result.study``;
        pass ``()`` to draw none.
    lang : {"en", "zh"}
        Language of the title, axis labels and legend.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    ax = _axes(ax)
    rasters, study_targets, study_inst = _study_layers(result)
    if population is not None and population_extent is not None:
        e = [float(v) for v in population_extent]
        rasters = [(np.asarray(population, dtype=float), (e[0], e[1], e[2], e[3]))]
    targets = study_targets if targets is None else targets
    installations = study_inst if installations is None else installations
    for pop, extent in rasters:
        if np.any(pop > 0):
            ax.imshow(np.ma.masked_less_equal(pop, 0), origin="lower", extent=extent, cmap="Greys", alpha=0.45,
                      norm=mcolors.LogNorm())
    lv = [float(v) for v in levels]
    if lv:
        # plasma without its pale-yellow end, so every level reads on white
        lo, span = np.log10(min(lv)), (np.log10(max(lv)) - np.log10(min(lv))) or 1.0
        for c in result.contours(lv):
            polygons = c["polygons"]
            if not polygons:
                continue
            color = plt.get_cmap("plasma_r")(0.15 + 0.85 * (np.log10(c["level"]) - lo) / span)
            rings = [np.asarray(r, dtype=float) for p in polygons for r in p]
            ax.add_collection(LineCollection(rings, colors=[color], linewidths=1.2))
            # one label per level, at the eastmost point of its largest polygon
            big = max((np.asarray(p[0], dtype=float) for p in polygons), key=lambda r: np.ptp(r[:, 0]) * np.ptp(r[:, 1]))
            ex, ey = big[np.argmax(big[:, 0])]
            ax.annotate(f"{c['level']:.0e}", (ex, ey), fontsize=7, color=color, ha="left", va="center",
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
    x, y = getattr(result, "x", None), getattr(result, "y", None)
    if x is not None and y is not None and len(x) and len(y):
        ax.update_datalim([(float(np.min(x)), float(np.min(y))), (float(np.max(x)), float(np.max(y)))])
    ax.autoscale_view()
    for k, (name, tx, ty) in enumerate(targets):
        ax.plot(tx, ty, "s", color="tab:green", ms=6, label=_t("target", lang) if k == 0 else None)
        ax.annotate(name, (tx, ty), xytext=(4, 4), textcoords="offset points", fontsize=7, parse_math=False)
    for k, (name, tx, ty) in enumerate(installations):
        ax.plot(tx, ty, "^", color="tab:red", ms=6, label=_t("installation", lang) if k == 0 else None)
        ax.annotate(name, (tx, ty), xytext=(4, -10), textcoords="offset points", fontsize=7, color="tab:red", parse_math=False)
    if len(targets) or len(installations):
        ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel(_t("x", lang))
    ax.set_ylabel(_t("y", lang))
    ax.set_title(_t("ir_title", lang))
    return ax


def _line(spec: dict[str, float] | None) -> Callable[[np.ndarray], np.ndarray] | None:
    if spec is None:
        return None
    a_n, a_f, k = float(spec["anchor_n"]), float(spec["anchor_f"]), float(spec["slope"])
    return lambda n: a_f * (np.asarray(n, dtype=float) / a_n) ** k


def fn_curve(
    result: Any,
    ax: Any = None,
    criteria: str | None = "GB36894-2018",
    *,
    intolerable: Callable[[np.ndarray], np.ndarray] | None = None,
    negligible: Callable[[np.ndarray], np.ndarray] | None = None,
    n_max: float | None = None,
    label: str = "F-N",
    lang: str = "en",
) -> Any:
    """F-N curve of a result as a step plot, with the criterion lines and the zones shaded.

    F(N) is the frequency (per year) of accidents with N or more fatalities. The lines of a
    built-in criteria set (:func:`qra.criteria_set`) are F = F_a·(N/N_a)^k over the N range where
    they apply, e.g. GB 36894-2018: intolerable F = 10⁻³/N, negligible F = 10⁻⁵/N for N ≥ 1
    (shared/reference/standards.md §1.1). Above the intolerable line is shaded red, below the
    negligible line green, between them (ALARP) yellow.

    Parameters
    ----------
    result : qra.RiskResult or any object with ``fn_curve()`` → DataFrame with columns ``N``, ``F``
    ax : matplotlib Axes, optional
        Drawn on a new figure when ``None``.
    criteria : str or None
        Criteria set id (:func:`qra.criteria_sets`); ``None`` draws no lines unless given below.
    intolerable, negligible : callable N → F, optional
        Explicit criterion lines (override the set's).
    n_max : float, optional
        Right end of the N axis (default: three times the largest N, at least 100).
    label : str
        Legend label of the curve.
    lang : {"en", "zh"}
        Language of the title, axis labels and legend.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    qra.UnknownNameError
        Unknown criteria set.
    """
    ax = _axes(ax)
    n_lo, n_hi = 1.0, np.inf
    upper_label = "intolerable"
    if criteria is not None:
        import qra

        soc = qra.criteria_set(criteria)["societal"]
        intolerable = intolerable or _line(soc["intolerable"])
        negligible = negligible or _line(soc.get("negligible"))
        n_lo = float(soc.get("n_min") or 1.0)
        n_hi = float(soc.get("n_max") or np.inf)
        # The Dutch Bevi group-risk line is an orientation value, not an intolerable limit.
        if soc.get("upper_line") == "orientation-value":
            upper_label = "orientation"
    df = result.fn_curve()
    n = np.asarray(df["N"], dtype=float)
    f = np.asarray(df["F"], dtype=float)
    top = max(n_max or 0.0, float(n.max(initial=1.0)) * 3, 100.0)
    ns = np.logspace(np.log10(max(n_lo, 1.0)), np.log10(min(top, n_hi)), 200)
    y_lo, y_hi = 1e-9, 1e-2
    hi = intolerable(ns) if intolerable is not None else None
    lo = negligible(ns) if negligible is not None else None
    if hi is not None:
        ax.fill_between(ns, hi, y_hi, color="tab:red", alpha=0.12, lw=0, label=_t(upper_label, lang))
        ax.loglog(ns, hi, color="tab:red", lw=1.2)
    if hi is not None and lo is not None:
        ax.fill_between(ns, lo, hi, color="gold", alpha=0.15, lw=0, label=_t("alarp", lang))
    if lo is not None:
        ax.fill_between(ns, y_lo, lo, color="tab:green", alpha=0.12, lw=0, label=_t("negligible", lang))
        ax.loglog(ns, lo, color="tab:green", lw=1.2)
    if n.size:
        ax.step(n, f, where="post", color="k", lw=1.5, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1, top)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel(_t("n", lang))
    ax.set_ylabel(_t("f", lang))
    if criteria is not None:
        ax.set_title(_t("fn_title", lang).format(criteria), parse_math=False)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def effect_vs_distance(
    model: Callable[[np.ndarray], ArrayLike],
    distance_m: ArrayLike,
    ax: Any = None,
    label: str | None = None,
    ylabel: str = "effect",
    logy: bool = True,
    observed: tuple[ArrayLike, ArrayLike] | None = None,
) -> Any:
    """Plots a consequence model's effect against distance, with optional observations.

    Parameters
    ----------
    model : callable, distance (m) array → effect array
        Any vectorised model, e.g. ``lambda x: plume.concentration(x)`` (kg/m³),
        ``pool.heat_flux`` (W/m²) or ``bst.overpressure`` (Pa).
    distance_m : array_like
        Distances, m.
    ax : matplotlib Axes, optional
        Drawn on a new figure when ``None``.
    label, ylabel : str, optional
        Legend label of the curve and y-axis label (give the unit).
    logy : bool
        Logarithmic y axis.
    observed : (distances_m, values), optional
        Measured points (e.g. field-trial data) drawn as black dots.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    d = np.asarray(distance_m, dtype=float)
    v = np.asarray(model(d), dtype=float)
    (ax.semilogy if logy else ax.plot)(d, v, label=label)
    if observed is not None:
        ax.plot(np.asarray(observed[0]), np.asarray(observed[1]), "ko", ms=4, label="observed")
    ax.set_xlabel("distance (m)")
    ax.set_ylabel(ylabel)
    if label or observed is not None:
        ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return ax


def transect(df: Any, ax: Any = None, levels: Sequence[float] = (1e-5, 1e-6), label: str = "IR") -> Any:
    """IR transect across a linear source on a log scale, with horizontal lines at ``levels``.

    Parameters
    ----------
    df : pandas.DataFrame
        From ``qra.linear.transect``: columns ``distance_m`` (m, signed) and ``individual_risk``
        (per year).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure if omitted).
    levels : sequence of float
        IR levels (per year) drawn as dashed lines, e.g. the GB 36894 limits.
    label : str
        Legend label of the curve.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    d = np.asarray(df["distance_m"], dtype=float)
    ir = np.asarray(df["individual_risk"], dtype=float)
    ax.semilogy(d, np.where(ir > 0, ir, np.nan), "k-", lw=1.5, label=label)
    for v in levels:
        ax.axhline(v, color="tab:red", lw=0.8, ls="--")
        ax.annotate(f"{v:.0e}", (float(d.min(initial=0.0)), v), xytext=(2, 2), textcoords="offset points", fontsize=7, color="tab:red")
    ax.set_xlabel("distance from the line (m)")
    ax.set_ylabel("individual risk (per year)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def siting_map(result: Any, ax: Any = None) -> Any:
    """Plot a siting capacity map (:class:`qra.park.SitingMap`): utilisation u = 1/k after adding
    the template at each candidate (colour; u ≥ 1: capacity exceeded) and candidates where the
    park would no longer comply (×). Candidates outside the park boundary are blank.

    Parameters
    ----------
    result : qra.park.SitingMap
        From :meth:`qra.Park.siting_map`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure if omitted).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    u = np.ma.masked_invalid(result.utilisation)
    dx = result.x[1] - result.x[0] if len(result.x) > 1 else 1.0
    dy = result.y[1] - result.y[0] if len(result.y) > 1 else 1.0
    extent = (result.x[0] - dx / 2, result.x[-1] + dx / 2, result.y[0] - dy / 2, result.y[-1] + dy / 2)
    vmax = max(1.0, float(np.nanmax(result.utilisation))) if result.inside.any() else 1.0
    im = ax.imshow(u, origin="lower", extent=extent, cmap="RdYlGn_r", vmin=0.0, vmax=vmax)
    ax.figure.colorbar(im, ax=ax, label="utilisation u = 1/k")
    xx, yy = np.meshgrid(result.x, result.y)
    bad = result.inside & ~result.complies
    ax.plot(xx[bad], yy[bad], "kx", label="would not comply")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    ax.set_title(f"siting capacity: {result.template}")
    if bad.any():
        ax.legend(loc="upper right")
    return ax


__all__ = ["DEFAULT_LEVELS", "effect_vs_distance", "fn_curve", "risk_contours", "siting_map", "transect"]
