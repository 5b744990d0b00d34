"""Park-level tools: the park model (facilities, contributions, what-if, siting capacity map),
risk capacity and GB 18218-2018 major-hazard identification and grading."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from qra import _qra
from qra._qra import MajorHazard, ParkRun, RiskResult, Study, WhatIf


def major_hazard(inventory_kg: Mapping[str, float], exposed_persons: int = 0) -> MajorHazard:
    """Identify and grade a unit after GB 18218-2018.

    S = Σ q/Q (major hazard if S ≥ 1); R = α Σ β q/Q; grade 一级 R ≥ 100, 二级 50 ≤ R < 100,
    三级 10 ≤ R < 50, 四级 R < 10. α from the people exposed outside the plant within 500 m
    (0 → 0.5, 1–29 → 1.0, 30–49 → 1.2, 50–99 → 1.5, ≥ 100 → 2.0).

    Parameters
    ----------
    inventory_kg : mapping of substance name → quantity in kg
    exposed_persons : int
        People outside the plant within 500 m of its boundary.


    Returns
    -------
    MajorHazard

    Raises
    ------
    qra.UnknownNameError, qra.InvalidInputError
    """
    return _qra.major_hazard([(str(k), float(v)) for k, v in inventory_kg.items()], int(exposed_persons))


def capacity(result: RiskResult, criteria: str = "GB36894-2018", pll_cap_per_year: float | None = None) -> dict[str, object]:
    """Park risk capacity of a computed study against a criteria set.

    k_IR = min over protected targets of limit/IR; k_SR = min over N ≥ N_min of C(N)/F(N) with C the
    intolerable line; k = min(k_IR, k_SR) is the factor by which all frequencies could grow before
    the first criterion is reached; utilisation u = 1/k; level A (u ≥ 1) … D (u < 0.1); remaining
    PLL budget when ``pll_cap_per_year`` is set. A qra definition (no national formula exists),
    documented in ``qra_core::park::capacity``.

    Parameters
    ----------
    result : qra.RiskResult
    criteria : str
        Criteria set id.
    pll_cap_per_year : float, optional
        A PLL budget for the park, fatalities per year.

    Returns
    -------
    dict
        ``k_ir``, ``k_sr``, ``k``, ``utilisation``, ``binding``, ``remaining_pll_per_year``, ``level``.
    """
    return _qra.park_capacity(result, criteria, pll_cap_per_year)


def sample_park_toml() -> str:
    """The built-in sample park study (TOML, schema ``qra-study/1``) used by ``qra demo``."""
    return _qra.sample_park_toml()


def contributions(run: ParkRun, by: str = "facility") -> Any:
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


@dataclass(frozen=True)
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

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    utilisation: NDArray[np.float64]
    complies: NDArray[np.bool_]
    inside: NDArray[np.bool_]
    template: str


class Park:
    """A chemical park: facilities (companies) sharing population, targets, meteorology and grid.

    Preparation computes every installation once and caches its IR grid, societal cases and
    footprints (risk is additive); :meth:`what_if` then reuses them and computes only moved or
    added facilities — the answer equals a full run of the modified study.

    >>> import qra
    >>> park = qra.Park.from_toml(qra.park.sample_park_toml())  # doctest: +SKIP
    >>> park.contributions().head()  # doctest: +SKIP

    Parameters
    ----------
    study : qra.Study
        The park study. Linear sources (``[[pipelines]]``) become their release points, one
        facility per line named by the line's id.
    criteria : str
        Criteria set id (default GB 36894-2018).
    pll_cap_per_year : float, optional
        PLL cap for the remaining-PLL budget of the capacity.
    threads : int, optional
        Rayon threads of the preparation run (results do not depend on it).

    Raises
    ------
    qra.InvalidDocumentError
        An invalid study.
    qra.UnknownNameError
        Unknown criteria set.
    """

    def __init__(
        self,
        study: Study,
        criteria: str = "GB36894-2018",
        pll_cap_per_year: float | None = None,
        threads: int | None = None,
    ) -> None:
        self._args = (criteria, pll_cap_per_year)
        self._inner = _qra.Park(study, criteria, pll_cap_per_year, threads)

    @classmethod
    def from_toml(cls, text: str, **kwargs: Any) -> Park:
        """A park from study TOML text (``[[facilities]]``, ``facility = "…"``, ``park_boundary``).

        Parameters
        ----------
        text : str
            Study TOML.
        **kwargs
            As :class:`Park` (``criteria``, ``pll_cap_per_year``, ``threads``).

        Returns
        -------
        Park
        """
        return cls(Study.from_toml(text), **kwargs)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], **kwargs: Any) -> Park:
        """A park from a study file (``.json`` or TOML).

        Parameters
        ----------
        path : str or os.PathLike
            Study file.
        **kwargs
            As :class:`Park`.

        Returns
        -------
        Park
        """
        return cls(Study.from_file(os.fspath(path)), **kwargs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_park_from_json, (self.study.to_json(), *self._args))

    def __repr__(self) -> str:
        return f"<qra.Park {len(self.facilities)} facilities: {', '.join(self.facilities)}>"

    @property
    def facilities(self) -> list[str]:
        """Facility ids (an installation without ``facility`` is its own facility)."""
        return self._inner.facilities

    @property
    def study(self) -> Study:
        """The park's study."""
        return self._inner.study

    def run(self) -> ParkRun:
        """The park as it is: ``.result`` (RiskResult: IR grid, F-N, PLL, targets), ``.capacity``,
        ``.passed`` (GB 36894 or the chosen criteria)."""
        return self._inner.base

    def contributions(self, by: str = "facility") -> Any:
        """Ranked contributions of the park as it is (see :func:`qra.park.contributions`).

        Parameters
        ----------
        by : {"facility", "event"}
            Row grouping.

        Returns
        -------
        pandas.DataFrame
        """
        return contributions(self._inner.base, by)

    def what_if(
        self,
        remove: Iterable[str] = (),
        move: Mapping[str, tuple[float, float]] | None = None,
        add: Iterable[str] = (),
    ) -> ParkRun:
        """The park after removing facilities, moving them by (dx_m, dy_m), and adding facility
        blocks (TOML with ``[[facilities]]``, ``[[installations]]``, ``[[events]]``).

        Parameters
        ----------
        remove : iterable of str
            Facility ids to remove.
        move : mapping of str to (float, float), optional
            Facility id → (dx_m, dy_m) translation, m.
        add : iterable of str
            Facility blocks (TOML) to add.

        Returns
        -------
        qra.park.ParkRun
            Equal to a full run of the modified study (``.study``).

        Raises
        ------
        qra.UnknownNameError
            An unknown facility.
        qra.InvalidDocumentError
            An invalid block or modified study.
        """
        moves = [(str(k), float(v[0]), float(v[1])) for k, v in (move or {}).items()]
        return self._inner.what_if(list(remove), moves, list(add))

    def siting_map(self, template: str, spacing_m: float = 300.0) -> SitingMap:
        """Siting capacity map of ``template`` (a facility id of the park — copied — or a TOML
        facility block) centred on candidates every ``spacing_m`` (m) inside the park boundary.

        Parameters
        ----------
        template : str
            A facility id of the park (copied) or a TOML facility block.
        spacing_m : float
            Candidate spacing, m.

        Returns
        -------
        SitingMap
        """
        d = self._inner.siting_map(template, float(spacing_m))
        x = np.asarray(d["x_m"], dtype=float)
        y = np.asarray(d["y_m"], dtype=float)
        shape = (len(y), len(x))
        inside = np.array([u is not None for u in d["utilisation"]], dtype=bool).reshape(shape)
        u = np.array([np.nan if v is None else v for v in d["utilisation"]], dtype=float).reshape(shape)
        ok = np.array([bool(v) for v in d["complies"]], dtype=bool).reshape(shape)
        name = template if template in self.facilities else "facility block"
        return SitingMap(x, y, u, ok, inside, name)


def domino(study: Study) -> tuple[Any, Study]:
    """First-level domino analysis: escalation chains and the domino-inclusive study.

    For every primary jet fire, pool fire and VCE and every other installation: the intensity
    at the target (heat flux W/m², overpressure Pa; jet aimed at / flame tilted towards the
    target), the escalation probability from the Cozzani et al. (2004/2005/2006) thresholds and
    probits (atmospheric vs pressurised equipment), weighted over the weather classes, and the
    secondary frequency f_secondary = f_primary · P_esc. The secondary event is the target's own
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

    chains, s = _qra.domino_first_level(study)
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
