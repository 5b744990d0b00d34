"""Park-level tools: GB 18218-2018 major-hazard identification and grading."""

from __future__ import annotations

from collections.abc import Mapping

from qra import _qra
from qra._qra import MajorHazard, RiskResult, WhatIf


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


__all__ = ["MajorHazard", "WhatIf", "capacity", "major_hazard", "sample_park_toml"]
