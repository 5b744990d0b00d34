"""Explosion consequence models: TNT equivalence (Kingery–Bulmash), TNO multi-energy input,
Baker–Strehlow–Tang curves and pressure-vessel burst energy.

The classes and functions are the native ones (``qra_core::explosion`` through ``qra._qra``);
their docstrings give the equations, ranges and sources. Distances are from the explosion centre
in m, broadcast like NumPy, and must be finite and ≥ 0 (else :class:`qra.InvalidInputError`).
SI units: Pa, Pa·s, s, J, kg.
"""

from __future__ import annotations

from qra._qra import (
    BakerStrehlowTang,
    MultiEnergy,
    brode_energy_j,
    bst_flame_speed,
    explosive_safety_distance_m,
    tnt_blast,
    tnt_mass_condensed_kg,
    tnt_mass_vce_kg,
    tnt_reach_m,
)

__all__ = [
    "explosive_safety_distance_m",
    "tnt_blast",
    "tnt_reach_m",
    "tnt_mass_vce_kg",
    "tnt_mass_condensed_kg",
    "brode_energy_j",
    "MultiEnergy",
    "BakerStrehlowTang",
    "bst_flame_speed",
]
