"""Fire consequence models: pool fire, jet fire, fireball (BLEVE) and flash fire.

The classes and functions are the native ones (``qra_core::fire`` through ``qra._qra``); their
docstrings give the equations, units, references and errors. Frame: origin at the pool centre /
release point at ground level, z up, wind blowing towards +x. SI units (m, s, kg, W/m²).

``heat_flux(x_m, y_m, z_m=0.0, orientation="max")`` broadcasts its arguments with NumPy's rules,
releases the GIL and evaluates in parallel. Orientation is ``"max"`` (the receiving surface that
sees the most), ``"vertical"`` (facing the flame), ``"horizontal"`` (facing up) or a normal vector
``(nx, ny, nz)``. Receivers inside a flame get the flame's surface emissive power (never NaN).
"""

from __future__ import annotations

from qra._qra import (
    ChamberlainJetFire,
    Fireball,
    JetFire,
    PoolFire,
    bunded_pool_diameter_m,
    burgess_zabetakis_kg_m2_s,
    flash_fire_lethality,
    steady_state_pool_diameter_m,
)

__all__ = [
    "PoolFire",
    "JetFire",
    "ChamberlainJetFire",
    "Fireball",
    "flash_fire_lethality",
    "steady_state_pool_diameter_m",
    "bunded_pool_diameter_m",
    "burgess_zabetakis_kg_m2_s",
]
