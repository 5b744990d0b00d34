"""Park-level tools: GB 18218-2018 major-hazard identification and grading."""

from __future__ import annotations

from collections.abc import Mapping

from qra import _qra
from qra._qra import MajorHazard


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

    Raises
    ------
    qra.UnknownNameError, qra.InvalidInputError
    """
    return _qra.major_hazard([(str(k), float(v)) for k, v in inventory_kg.items()], int(exposed_persons))


def sample_park_toml() -> str:
    """The built-in sample park study (TOML, schema ``qra-study/1``) used by ``qra demo``."""
    return _qra.sample_park_toml()


__all__ = ["MajorHazard", "major_hazard", "sample_park_toml"]
