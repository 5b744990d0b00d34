"""Linear sources: pipelines and transport routes (``[[pipelines]]`` of a study).

A linear source is a polyline with release classes whose frequencies are given per km per year.
The engine places release points every Δs along the line (``spacing_m``, default min(10 m, grid
resolution)), each with frequency f_km · Δs/1000, so pipelines contribute to the same IR grid, F-N
curve and PLL as installations (release-point installations are named ``"<id>#<k>"``). For a
straight line and a circular footprint of radius R the IR at distance d is
f_km/1000 · P · 2√(R² − d²) (the interaction length; see ``qra_core::risk::linear`` for the
sources and the convergence criterion Δs ≤ R/10).

Examples
--------
>>> import qra, qra.linear
>>> [round(float(v), 8) for v in qra.linear.analytic_transect(1e-3, 100.0, 1.0, [0.0, 60.0, 100.0])]
[0.0002, 0.00016, 0.0]
"""

from __future__ import annotations

from typing import Any as _Any

import numpy as _np
from numpy.typing import ArrayLike as _ArrayLike

from qra import _qra as _native
from qra._qra import RiskResult, Study, analytic_transect


def sources(study: Study) -> _Any:
    """The linear sources of ``study`` as a pandas DataFrame with columns ``id``, ``kind``
    (pipeline / road / rail), ``length_m``, ``spacing_m`` (release-point spacing Δs, m) and
    ``release_points`` (their number; each is an installation ``"<id>#<k>"`` of the run)."""
    import pandas as pd  # type: ignore[import-untyped]

    rows = _native.linear_sources(study)
    return pd.DataFrame(rows, columns=["id", "kind", "length_m", "spacing_m", "release_points"])


def transect(study: Study, result: RiskResult, pipeline_id: str, chainage_m: float, distances_m: _ArrayLike) -> _Any:
    """Individual risk of one linear source alone on the transect perpendicular to it.

    Parameters
    ----------
    study : qra.Study
        The study that was run.
    result : qra.RiskResult
        ``study.run()``.
    pipeline_id : str
        Id of the ``[[pipelines]]`` entry.
    chainage_m : float
        Position along the polyline, m (0 … length).
    distances_m : array_like
        Signed distances from the line, m (positive to the left of the direction of travel).

    Returns
    -------
    pandas.DataFrame
        Columns ``distance_m`` and ``individual_risk`` (per year).

    Raises
    ------
    qra.UnknownNameError
        Unknown pipeline id.
    qra.InvalidInputError
        Chainage outside the line; non-finite distances.
    """
    import pandas as pd  # type: ignore[import-untyped]

    d = _np.asarray(distances_m, dtype=float).ravel()
    ir = _native.linear_transect(study, result, pipeline_id, float(chainage_m), d.tolist())
    return pd.DataFrame({"distance_m": d, "individual_risk": _np.asarray(ir)})


def fn_per_km(study: Study, result: RiskResult, pipeline_id: str, window_m: float = 1000.0, step_m: float = 100.0) -> _Any:
    """Societal risk per stretch of a linear source: windows of ``window_m`` (1 km) starting every
    ``step_m`` along the line, each with the F-N curve of the releases from its release points.

    Returns
    -------
    pandas.DataFrame
        One row per stretch: ``start_m``, ``end_m``, ``pll`` (fatalities per year), ``fn2_max``
        (max over N of F(N)·N², per year — the ranking used for the worst stretch; the Dutch
        per-km orientation value F = 10⁻²/N² corresponds to fn2_max = 10⁻² [M]) and ``fn_curve``
        (a DataFrame with columns ``N`` and ``F``).
    """
    import pandas as pd  # type: ignore[import-untyped]

    rows = _native.linear_per_km(study, result, pipeline_id, float(window_m), float(step_m))
    return pd.DataFrame(
        {
            "start_m": [r[0] for r in rows],
            "end_m": [r[1] for r in rows],
            "pll": [r[2] for r in rows],
            "fn2_max": [r[3] for r in rows],
            "fn_curve": [pd.DataFrame({"N": r[4], "F": r[5]}) for r in rows],
        }
    )


def worst_km(study: Study, result: RiskResult, pipeline_id: str, window_m: float = 1000.0, step_m: float = 100.0) -> _Any:
    """F-N curve (DataFrame ``N``, ``F``) of the worst stretch of ``window_m`` (largest F·N²;
    earliest on ties); ``attrs`` holds ``start_m``, ``end_m``, ``pll`` and ``fn2_max``."""
    per = fn_per_km(study, result, pipeline_id, window_m, step_m)
    k = int(_np.argmax(per["fn2_max"].to_numpy()))
    fn = per["fn_curve"].iloc[k]
    fn.attrs.update({c: float(per[c].iloc[k]) for c in ("start_m", "end_m", "pll", "fn2_max")})
    return fn


__all__ = ["analytic_transect", "fn_per_km", "sources", "transect", "worst_km"]
