"""Source terms: discharge rates, vessel blowdown, flashing releases, pools, release duration.

The functions are the native ones (``qra_core::source`` through ``qra._qra``); their docstrings
give the equations, units, references and errors. SI units: Pa absolute, K, kg, m, s. Where a
``substance`` name is given, missing properties (molar mass, γ, density, boiling point, heat of
vaporisation, c_p, vapour pressure) are taken from the built-in database (:func:`qra.substance`).
"""

from __future__ import annotations

from qra._qra import (
    airborne_fraction,
    flash_fraction,
    gas_blowdown,
    gas_discharge,
    liquid_discharge,
    pool_evaporation,
    release_duration,
    tank_drain,
    two_phase_discharge,
)

__all__ = [
    "gas_discharge",
    "gas_blowdown",
    "liquid_discharge",
    "tank_drain",
    "flash_fraction",
    "airborne_fraction",
    "two_phase_discharge",
    "pool_evaporation",
    "release_duration",
]
