"""matplotlib helpers: risk contours, F-N curves with criteria, effect-vs-distance plots.

matplotlib is imported lazily, so ``import qra`` does not need it. Every function draws on the
axes given (or a new figure) and returns the axes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

#: Fonts tried after the default one so that Chinese names in studies render (Debian:
#: fonts-noto-cjk). A name with glyphs in none of them renders as boxes, with no warning.
CJK_FALLBACK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "AR PL UMing CN"]


def _use_cjk_fallback() -> None:
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fam = list(matplotlib.rcParams["font.family"])
    # Matplotlib (>= 3.6) falls back glyph by glyph along the font.family list.
    matplotlib.rcParams["font.family"] = fam + [f for f in CJK_FALLBACK_FONTS if f in installed and f not in fam]
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)


#: Default individual-risk contour levels, per year (GB 36894 limits included).
DEFAULT_LEVELS = (1e-8, 3e-7, 1e-7, 3e-6, 1e-6, 1e-5, 3e-5, 1e-4)


def _axes(ax: Any) -> Any:
    _use_cjk_fallback()
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 6))
    return ax


def risk_contours(
    result: Any,
    ax: Any = None,
    levels: Sequence[float] = DEFAULT_LEVELS,
    population: ArrayLike | None = None,
    population_extent: Sequence[float] | None = None,
    targets: Sequence[tuple[str, float, float]] = (),
    installations: Sequence[tuple[str, float, float]] = (),
) -> Any:
    """Individual-risk contours of ``result`` (``result.x``, ``result.y`` cell centres in m,
    ``result.individual_risk`` per year, rows = y), optionally over a population raster
    (``population`` counts with ``population_extent`` = (x0, x1, y0, y1) m), with protected targets
    and installations as labelled markers ``(name, x_m, y_m)``.
    """
    import matplotlib.colors as mcolors

    ax = _axes(ax)
    x, y = np.asarray(result.x), np.asarray(result.y)
    ir = np.asarray(result.individual_risk)
    if population is not None and population_extent is not None:
        pop = np.asarray(population, dtype=float)
        ax.imshow(
            np.ma.masked_less_equal(pop, 0),
            origin="lower",
            extent=tuple(population_extent),
            cmap="Greys",
            alpha=0.45,
            norm=mcolors.LogNorm(),
        )
    lv = sorted(v for v in levels if ir.max(initial=0.0) > v)
    if lv:
        # Contour log10(IR) (zeros masked) so that no log-scale masking warning is raised.
        with np.errstate(divide="ignore"):
            logir = np.ma.masked_invalid(np.log10(np.where(ir > 0, ir, np.nan)))
        cs = ax.contour(x, y, logir, levels=np.log10(lv), cmap="plasma_r", vmin=np.log10(min(levels)), vmax=np.log10(max(levels)))
        ax.clabel(cs, fmt=lambda v: f"{10.0**v:.0e}", fontsize=7)
    for name, tx, ty in targets:
        ax.plot(tx, ty, "s", color="tab:green", ms=6)
        ax.annotate(name, (tx, ty), xytext=(4, 4), textcoords="offset points", fontsize=7)
    for name, tx, ty in installations:
        ax.plot(tx, ty, "^", color="tab:red", ms=6)
        ax.annotate(name, (tx, ty), xytext=(4, -10), textcoords="offset points", fontsize=7, color="tab:red")
    ax.set_aspect("equal")
    ax.set_xlabel("x east (m)")
    ax.set_ylabel("y north (m)")
    ax.set_title("Individual risk (per year)")
    return ax


def fn_curve(
    result: Any,
    ax: Any = None,
    intolerable: Callable[[np.ndarray], np.ndarray] | None = lambda n: 1e-3 / n,
    negligible: Callable[[np.ndarray], np.ndarray] | None = lambda n: 1e-5 / n,
    n_max: float | None = None,
    label: str = "F-N",
) -> Any:
    """F-N curve of ``result`` (``result.fn_curve()`` DataFrame with columns ``N``, ``F``) as a
    step plot, with the criterion lines (default GB 36894-2018 reading F = 10⁻³/N and 10⁻⁵/N,
    shared/reference/standards.md §1.1 [S]/[M]) and the zones shaded.
    """
    ax = _axes(ax)
    df = result.fn_curve()
    n = np.asarray(df["N"], dtype=float)
    f = np.asarray(df["F"], dtype=float)
    top = max(n_max or 0.0, float(n.max(initial=1.0)) * 3, 100.0)
    ns = np.logspace(0, np.log10(top), 200)
    if intolerable is not None:
        hi = intolerable(ns)
        ax.loglog(ns, hi, "r-", lw=1.2, label="intolerable")
        ax.fill_between(ns, hi, 1.0, color="r", alpha=0.08)
    if negligible is not None:
        lo = negligible(ns)
        ax.loglog(ns, lo, "g-", lw=1.2, label="negligible")
        ax.fill_between(ns, 1e-12, lo, color="g", alpha=0.08)
    if n.size:
        ax.step(n, f, where="post", color="k", lw=1.5, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1, top)
    ax.set_ylim(1e-9, 1e-2)
    ax.set_xlabel("number of fatalities N")
    ax.set_ylabel("frequency of N or more fatalities F (per year)")
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
    """Plots ``model(distance_m)`` (any vectorised callable, e.g. a plume's centreline
    concentration or ``lambda r: MultiEnergy(...).overpressure(r)``) against distance, with optional
    observed points ``(distance_m, value)``.
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


__all__ = ["DEFAULT_LEVELS", "effect_vs_distance", "fn_curve", "risk_contours"]


def siting_map(result: Any, ax: Any = None) -> Any:
    """Plot a siting capacity map (:class:`qra.park.SitingMap`): utilisation u = 1/k after adding
    the template at each candidate (colour; u ≥ 1: capacity exceeded) and candidates where the
    park would no longer comply (×). Candidates outside the park boundary are blank."""
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

