"""qra — open quantitative risk assessment for hazardous-chemical plants, pipelines and parks.

A Rust numerical core with a thin Python layer. SI units everywhere (m, s, kg, Pa, K, W/m², J);
argument names carry their unit (``rate_kg_s``).

>>> import qra
>>> qra.substance("chlorine").molar_mass_kg_mol
0.070906
"""

from __future__ import annotations

from qra import vulnerability
from qra._qra import (
    Compliance,  # issue 5: risk engine
    RiskResult,  # issue 5
    Study,  # issue 5
    Substance,
    __version__,
    criteria_sets,  # issue 5
    substance,
    substances,
)
from qra.exceptions import (
    InvalidDocumentError,
    InvalidInputError,
    NotImplementedYetError,
    NumericalError,
    QraError,
    ResourceLimitError,
    UnknownNameError,
)

__all__ = [
    "__version__",
    "vulnerability",
    "Substance",
    "substance",
    "substances",
    "Study",
    "RiskResult",
    "Compliance",
    "criteria_sets",
    "QraError",
    "InvalidInputError",
    "UnknownNameError",
    "ResourceLimitError",
    "InvalidDocumentError",
    "NumericalError",
    "NotImplementedYetError",
]
