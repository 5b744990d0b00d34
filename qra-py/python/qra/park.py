"""Park-level tools: the park model (facilities, contributions, what-if, siting capacity map),
risk capacity and GB 18218-2018 major-hazard identification and grading.

:class:`Park`, :class:`ParkRun`, :class:`MajorHazard` and the deprecated :class:`WhatIf` are the
native classes; this module adds the pandas tables (:func:`contributions`, :func:`domino`) and
the :class:`SitingMap` container.
"""

from __future__ import annotations

from collections.abc import Mapping as _Mapping
from dataclasses import dataclass as _dataclass
from typing import Any as _Any

import numpy as _np
from numpy.typing import NDArray as _NDArray

from qra import _qra as _native
from qra._qra import MajorHazard, Park, ParkRun, Study, WhatIf, capacity, major_hazard, sample_park_toml


def contributions(run: ParkRun, by: str = "facility") -> _Any:
    """The ranked contributions table of a computed park (pandas DataFrame, rank order).

    Columns: ``rank``, ``id``, ``facility``, ``excess_share`` (share of the park's excess over
    the individual-risk limits: Σ_t max(0, IR_t − L_t)·IR_jt/IR_t over the total excess),
    ``pll`` (per year), ``pll_share``, ``limit_ratio`` (max_t IR_jt/L_t), then ``IR <target>`` and
    ``share <target>`` per protected target and ``F-N share N>=n`` for n = 1, 10, 100.
    Ranked by excess share, then PLL: the first rows are the first candidates for closure or
    relocation.

    Parameters
    ----------
    run : qra.park.ParkRun
        A computed park (:meth:`Park.run` or :meth:`Park.what_if`).
    by : {"facility", "event"}
        Row grouping.

    Returns
    -------
    pandas.DataFrame
        One row per facility (or event), in rank order.

    Raises
    ------
    qra.InvalidInputError
        ``by`` not "facility" or "event".
    """
    import pandas as pd  # type: ignore[import-untyped]

    if by not in ("facility", "event"):
        raise _qra_invalid("by", by, "must be 'facility' or 'event'")
    rows = run.contribution_rows(by == "facility")
    tids = run.target_ids
    out = []
    for r in rows:
        d = {k: r[k] for k in ("rank", "id", "facility", "excess_share", "pll", "pll_share", "limit_ratio")}
        for t, ir, sh in zip(tids, r["target_ir"], r["target_share"], strict=True):
            d[f"IR {t}"] = ir
            d[f"share {t}"] = sh
        for n, sh in zip(run.fn_share_n, r["fn_share"], strict=True):
            d[f"F-N share N>={n:g}"] = sh
        out.append(d)
    return pd.DataFrame(out)


def _qra_invalid(arg: str, value: object, rule: str) -> Exception:
    from qra.exceptions import InvalidInputError

    return InvalidInputError(f"{arg} = {value!r}: {rule}")


@_dataclass(frozen=True)
class SitingMap:
    """Siting capacity map: a template facility placed at each candidate location.

    ``x``, ``y``: candidate coordinates (m, 1-D); ``utilisation``: u = 1/k after adding the
    template there, shape (ny, nx), **NaN outside the park boundary** (not a candidate);
    ``complies``: whether the park still complies (False outside the boundary); ``inside``: mask of
    the candidates.

    Parameters
    ----------
    x, y : ndarray
        Candidate coordinates, m.
    utilisation : ndarray
        u = 1/k per candidate, shape (ny, nx); NaN outside the boundary.
    complies : ndarray of bool
        Whether the park still complies with the template at that candidate.
    inside : ndarray of bool
        Candidates inside the park boundary.
    template : str
        The template's name (facility id or "facility block").
    """

    x: _NDArray[_np.float64]
    y: _NDArray[_np.float64]
    utilisation: _NDArray[_np.float64]
    complies: _NDArray[_np.bool_]
    inside: _NDArray[_np.bool_]
    template: str


def _siting_map(d: _Mapping[str, _Any], template: str) -> SitingMap:
    """The :class:`SitingMap` of the native ``Park.siting_map`` result ``d`` (JSON form)."""
    x = _np.asarray(d["x_m"], dtype=float)
    y = _np.asarray(d["y_m"], dtype=float)
    shape = (len(y), len(x))
    inside = _np.array([u is not None for u in d["utilisation"]], dtype=bool).reshape(shape)
    u = _np.array([_np.nan if v is None else v for v in d["utilisation"]], dtype=float).reshape(shape)
    ok = _np.array([bool(v) for v in d["complies"]], dtype=bool).reshape(shape)
    return SitingMap(x, y, u, ok, inside, template)


def domino(study: Study) -> tuple[_Any, Study]:
    """First-level domino analysis: escalation chains and the domino-inclusive study.

    For every primary jet fire, pool fire and VCE and every other installation: the intensity
    at the target (heat flux W/m², overpressure Pa; jet aimed at / flame tilted towards the
    target), the escalation probability (atmospheric vs pressurised equipment) — the thresholds of
    Cozzani et al. (2006); for heat radiation the time to failure and probit
    Y = 9.25 − 1.85 ln(ttf/min) of Landucci et al. (2009), Accid. Anal. Prev. 41, 1206–1215; for
    overpressure the probits of Cozzani & Salzano (2004) — weighted over the weather classes, and
    the secondary frequency f_secondary = f_primary · P_esc. The secondary event is the target's own
    catastrophic release (its instantaneous / 10-min event). Returns the chains as a DataFrame
    (by decreasing secondary frequency) and the study with the secondary events added — run it
    for domino-inclusive IR, F-N and PLL.

    Parameters
    ----------
    study : qra.Study
        The study (installations with fire/explosion outcomes and their neighbours).

    Returns
    -------
    (pandas.DataFrame, qra.Study)
        The escalation chains and the domino-inclusive study.
    """
    import pandas as pd  # type: ignore[import-untyped]

    chains, s = _native.domino_first_level(study)
    cols = [
        "primary_event",
        "primary_outcome",
        "primary_installation",
        "target_installation",
        "target_class",
        "vector",
        "distance_m",
        "intensity",
        "p_escalation",
        "primary_frequency_per_year",
        "secondary_frequency_per_year",
        "secondary_event",
        "domino_event",
    ]
    return pd.DataFrame(chains, columns=cols), s


def _park_from_json(text: str, criteria: str, pll_cap_per_year: float | None) -> Park:
    """Unpickles a ``qra.Park`` written by qra 0.1 (its Python wrapper pickled through here)."""
    return Park(Study.from_json(text), criteria, pll_cap_per_year)


__all__ = [
    "MajorHazard",
    "Park",
    "ParkRun",
    "SitingMap",
    "WhatIf",
    "capacity",
    "contributions",
    "domino",
    "major_hazard",
    "sample_park_toml",
]
