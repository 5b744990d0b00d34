"""qra — open quantitative risk assessment for hazardous-chemical plants, pipelines and parks.

A Rust numerical core with a thin Python layer. SI units everywhere (m, s, kg, Pa, K, W/m², J);
argument names carry their unit (``rate_kg_s``).

>>> import qra
>>> qra.substance("chlorine").molar_mass_kg_mol
0.070906
"""

from __future__ import annotations

# `qra.plot` and `qra.report` are imported on demand (matplotlib is optional).
from qra import dispersion, explosion, fire, linear, park, source, vulnerability
from qra._qra import (
    Compliance,
    PartialRun,
    RiskResult,
    Study,
    Substance,
    __version__,
    criteria_set,
    criteria_sets,
    substance,
    substances,
)
from qra.exceptions import (
    GridCoverageWarning,
    InvalidDocumentError,
    InvalidInputError,
    NotImplementedYetError,
    NumericalError,
    QraError,
    ResourceLimitError,
    UnknownNameError,
)
from qra.park import Park

__all__ = [
    "__version__",
    "vulnerability",
    "park",
    "dispersion",
    "source",
    "fire",
    "explosion",
    "linear",
    "Substance",
    "substance",
    "substances",
    "Study",
    "Park",
    "RiskResult",
    "PartialRun",
    "Compliance",
    "criteria_sets",
    "QraError",
    "InvalidInputError",
    "UnknownNameError",
    "ResourceLimitError",
    "InvalidDocumentError",
    "NumericalError",
    "NotImplementedYetError",
    "GridCoverageWarning",
    "criteria_set",
]
