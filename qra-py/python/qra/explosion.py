"""Explosion consequence models: TNT equivalence (Kingery–Bulmash), TNO multi-energy input,
Baker–Strehlow–Tang curves and pressure-vessel burst energy.

Thin wrappers over ``qra_core::explosion`` (equations, ranges and sources documented there).
Distances are from the explosion centre in m and must be finite and ≥ 0 (else
:class:`qra.InvalidInputError`). SI units: Pa, Pa·s, s, J, kg.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from qra import _qra
from qra._wrap import CoreWrapper

_TNT_FIELDS = (
    "scaled_distance",
    "incident_overpressure_pa",
    "reflected_overpressure_pa",
    "incident_impulse_pa_s",
    "reflected_impulse_pa_s",
    "arrival_time_s",
    "duration_s",
    "shock_velocity_m_s",
)


def _d(distance_m: ArrayLike) -> tuple[NDArray[np.float64], tuple[int, ...]]:
    d = np.asarray(distance_m, dtype=np.float64)
    return np.ascontiguousarray(d.ravel()), d.shape


def tnt_blast(tnt_mass_kg: float, distance_m: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Blast parameters of a TNT hemispherical surface burst (Kingery & Bulmash 1984, Swisdak 1994 fits).

    Parameters
    ----------
    tnt_mass_kg : float
        TNT mass W (kg, > 0).
    distance_m : array_like
        Distances R (m, ≥ 0).

    Returns
    -------
    dict of arrays
        ``scaled_distance`` (Z = R/W^(1/3), m/kg^(1/3)), ``incident_overpressure_pa``,
        ``reflected_overpressure_pa``, ``incident_impulse_pa_s``, ``reflected_impulse_pa_s``,
        ``arrival_time_s``, ``duration_s``, ``shock_velocity_m_s``. Outside the fitted Z ranges:
        near field held at the range start; far field acoustic 1/Z decay for pressures and
        impulses (documented in ``qra_core::explosion::kingery_bulmash``).

    Raises
    ------
    qra.InvalidInputError
        Non-positive or NaN mass, negative or NaN distances.
    """
    d, shape = _d(distance_m)
    cols = _qra.tnt_blast_arrays(tnt_mass_kg, d)
    return {k: v.reshape(shape) for k, v in zip(_TNT_FIELDS, cols, strict=True)}


tnt_reach_m = _qra.tnt_reach_m
tnt_mass_vce_kg = _qra.tnt_mass_vce_kg
tnt_mass_condensed_kg = _qra.tnt_mass_condensed_kg
brode_energy_j = _qra.brode_energy_j


def bst_flame_speed(*, reactivity: str, congestion: str, confinement: str) -> tuple[float, bool]:
    """BST flame Mach number from the flame-speed table of Pierorazio et al. (2005), Process
    Safety Progress 24(1) (values from secondary sources, see the core docs).

    Parameters
    ----------
    reactivity : {"low", "medium", "high"}
        Fuel reactivity (laminar burning velocity < 45, 45–75, > 75 cm/s).
    congestion : {"low", "medium", "high"}
        Obstacle density (blockage ratio < 10 %, 10–40 %, > 40 %).
    confinement : {"2D", "2.5D", "3D"}
        Flame expansion; "1D" raises :class:`qra.NotImplementedYetError` (row not verified).

    Returns
    -------
    (mach, ddt) : tuple[float, bool]
        Flame Mach number and whether the table flags deflagration-to-detonation transition
        (then mach = 5.2, the detonation curve). Entries below 0.2 are valid table values but
        below the lowest BST blast curve: :class:`BakerStrehlowTang` rejects them.

    Raises
    ------
    qra.InvalidInputError
        Unknown class name.
    """
    return _qra.bst_flame_speed(reactivity=reactivity, congestion=congestion, confinement=confinement)


class MultiEnergy(CoreWrapper):
    """TNO multi-energy method (Van den Berg 1985): energy E (J; ``from_volume``: E = V·3.5 MJ/m³,
    AQ/T 3046 eq. E.60) and strength class 1–10.

    Curves: the published power-law fits of MSB, *Beräkning av impulsbelastad konstruktion*,
    B06-105 (2017), Tables 4.2–4.3: P̄ = ΔP/p0 = a·r̄^b, t̄ = t+·c0/(E/p0)^(1/3) = c·r̄^d with
    r̄ = R/(E/p0)^(1/3), p0 = 101 325 Pa, c0 = 340.3 m/s; impulse i+ = ΔP·t+/2 (triangular pulse,
    MSB eq. 4.7). Switch-overs at the exact intersections (continuous curves). Near field: held at
    the charge radius r̄0 = 0.19; far field: fits down to P̄ = 0.001, then acoustic decay ∝ 1/r̄.
    Overpressure is non-decreasing in strength; impulse is not (strength 7 > 10 for r̄ > 0.9, as
    published).

    Parameters
    ----------
    energy_j : float
        Combustion energy of the obstructed (congested) part of the cloud, J (> 0).
    strength : int
        Blast strength class 1 (weak deflagration) … 10 (detonation).

    Raises
    ------
    qra.InvalidInputError
        Energy ≤ 0, strength outside 1–10 (e.g. 11), negative or non-finite distances.
    """

    _native = _qra.MultiEnergy

    def __init__(self, *, energy_j: float, strength: int) -> None:
        self._core = _qra.MultiEnergy(energy_j=energy_j, strength=strength)

    @classmethod
    def from_volume(cls, volume_m3: float, strength: int) -> MultiEnergy:
        """From the obstructed cloud volume (m³): E = V·3.5 MJ/m³.

        Parameters
        ----------
        volume_m3 : float
            Obstructed (congested) cloud volume, m³.
        strength : int
            Strength class 1–10.

        Returns
        -------
        MultiEnergy
        """
        obj = cls.__new__(cls)
        obj._core = _qra.MultiEnergy.from_volume(volume_m3, strength)
        return obj

    @property
    def energy_j(self) -> float:
        """Energy, J."""
        return self._core.energy_j

    @property
    def strength(self) -> int:
        """Strength class 1–10."""
        return self._core.strength

    def scaled_distance(self, distance_m: ArrayLike) -> NDArray[np.float64]:
        """Sachs-scaled distance R/(E/p0)^(1/3).

        Parameters
        ----------
        distance_m : array_like
            Distances from the blast centre, m (≥ 0).

        Returns
        -------
        ndarray
            Sachs-scaled distance r̄ = R/(E/p0)^(1/3), dimensionless.
        """
        d, shape = _d(distance_m)
        return self._core.scaled_distance(d).reshape(shape)

    def overpressure(self, distance_m: ArrayLike) -> NDArray[np.float64]:
        """Peak side-on overpressure (Pa) at distances (m).

        Parameters
        ----------
        distance_m : array_like
            Distances from the blast centre, m (≥ 0).

        Returns
        -------
        ndarray
            Peak side-on overpressure, Pa.
        """
        d, shape = _d(distance_m)
        return self._core.overpressure(d).reshape(shape)

    def impulse(self, distance_m: ArrayLike) -> NDArray[np.float64]:
        """Positive-phase side-on impulse (Pa·s) at distances (m): ΔP·t+/2.

        Parameters
        ----------
        distance_m : array_like
            Distances from the blast centre, m (≥ 0).

        Returns
        -------
        ndarray
            Positive-phase side-on impulse ΔP·t+/2, Pa·s.
        """
        d, shape = _d(distance_m)
        return self._core.impulse(d).reshape(shape)

    def duration(self, distance_m: ArrayLike) -> NDArray[np.float64]:
        """Positive-phase duration (s) at distances (m).

        Parameters
        ----------
        distance_m : array_like
            Distances from the blast centre, m (≥ 0).

        Returns
        -------
        ndarray
            Positive-phase duration, s.
        """
        d, shape = _d(distance_m)
        return self._core.duration(d).reshape(shape)

    def dynamic_pressure(self, distance_m: ArrayLike) -> NDArray[np.float64]:
        """Peak dynamic pressure (Pa): Rankine–Hugoniot q = 5ΔP²/(2(ΔP + 7p0)), an approximation.

        Parameters
        ----------
        distance_m : array_like
            Distances from the blast centre, m (≥ 0).

        Returns
        -------
        ndarray
            Peak dynamic pressure, Pa (Rankine–Hugoniot approximation).
        """
        d, shape = _d(distance_m)
        return self._core.dynamic_pressure(d).reshape(shape)

    def reach_m(self, overpressure_pa: float) -> float:
        """Distance (m) beyond which the overpressure is below ``overpressure_pa``.

        Parameters
        ----------
        overpressure_pa : float
            Side-on overpressure level, Pa.

        Returns
        -------
        float
            Distance, m (0 if even the near-field plateau is below the level).
        """
        return self._core.reach_m(overpressure_pa)


class BakerStrehlowTang(CoreWrapper):
    """Baker–Strehlow–Tang blast curves (CCPS 2010, digitised; repaired for monotonicity).

    R* = R/(E/p0)^(1/3), P* = ΔP/p0, i* = i a0/(E^(1/3) p0^(2/3)) with p0 = 101 325 Pa and
    a0 = 340 m/s; log-log interpolation in R* and between flame Mach numbers; flat near field,
    acoustic 1/R* far field beyond R* ≈ 10.

    Parameters
    ----------
    energy_j : float
        Combustion energy of the congested cloud (J, > 0); double it for ground-level bursts.
    flame_mach : float
        Flame Mach number in [0.2, 5.2] (flame-speed table not yet provided).

    Raises
    ------
    qra.InvalidInputError
        Energy ≤ 0, Mach outside [0.2, 5.2], negative distances.
    """

    _native = _qra.BakerStrehlowTang

    def __init__(self, *, energy_j: float, flame_mach: float) -> None:
        self._core = _qra.BakerStrehlowTang(energy_j=energy_j, flame_mach=flame_mach)

    @property
    def energy_j(self) -> float:
        """Energy, J."""
        return self._core.energy_j

    @property
    def flame_mach(self) -> float:
        """Flame Mach number."""
        return self._core.flame_mach

    def overpressure(self, distance_m: ArrayLike) -> NDArray[np.float64]:
        """Peak side-on overpressure (Pa) at distances (m).

        Parameters
        ----------
        distance_m : array_like
            Distances, m.

        Returns
        -------
        ndarray
            Peak side-on overpressure, Pa.
        """
        d, shape = _d(distance_m)
        return self._core.overpressure(d).reshape(shape)

    def impulse(self, distance_m: ArrayLike) -> NDArray[np.float64]:
        """Positive-phase impulse (Pa·s) at distances (m).

        Parameters
        ----------
        distance_m : array_like
            Distances, m.

        Returns
        -------
        ndarray
            Positive-phase impulse, Pa·s.
        """
        d, shape = _d(distance_m)
        return self._core.impulse(d).reshape(shape)

    def reach_m(self, overpressure_pa: float) -> float:
        """Distance (m) beyond which the overpressure is below ``overpressure_pa``.

        Parameters
        ----------
        overpressure_pa : float
            Side-on overpressure, Pa.

        Returns
        -------
        float
            Distance, m.
        """
        return self._core.reach_m(overpressure_pa)


def explosive_safety_distance_m(substance: str, mass_kg: float, overpressure_threshold_pa: float) -> float:
    """External safety distance of an explosive by the consequence method of GB/T 37243-2019 §5.

    The distance (m) at which the incident overpressure of detonating ``mass_kg`` of ``substance``
    (TNT equivalence from the substance database; Kingery–Bulmash, Swisdak 1994) falls to
    ``overpressure_threshold_pa``. The threshold is required: the standard's Annex G values were
    not available to qra.

    Raises ``qra.InvalidInputError`` for a substance without TNT equivalence or bad numbers.

    Parameters
    ----------
    substance : str
        An explosive with a TNT equivalence in the database.
    mass_kg : float
        Mass, kg.
    overpressure_threshold_pa : float
        Overpressure threshold, Pa.

    Returns
    -------
    float
        Distance, m.
    """
    return _qra.explosive_safety_distance_m(substance, float(mass_kg), float(overpressure_threshold_pa))


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
