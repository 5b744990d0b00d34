"""Source terms: discharge rates, vessel blowdown, flashing releases, pools, release duration.

SI units: Pa absolute, K, kg, m, s. Where a ``substance`` name is given, missing properties
(molar mass, γ, density, boiling point, heat of vaporisation, c_p, vapour pressure) are taken from
the built-in database (:func:`qra.substance`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from qra import _qra
from qra._qra import release_duration

ATM_PA = 101_325.0


def _area(hole_diameter_m: float) -> float:
    d = float(hole_diameter_m)
    if not (0.0 < d <= 100.0):
        raise _qra_invalid("hole_diameter_m", str(d), "must be in (0, 100]")
    return math.pi * d**2 / 4.0


def _prop(value: float | None, substance: str | None, name: str) -> float:
    if value is not None:
        return float(value)
    if substance is None:
        raise _qra_invalid(name, "None", "give it or a substance name")
    v = getattr(_qra.substance(substance), name)
    if v is None:
        raise _qra_invalid(name, "None", f"not in the database for {substance}; give it")
    return float(v)


def _qra_invalid(argument: str, value: str, rule: str) -> Exception:
    from qra.exceptions import InvalidInputError

    e = InvalidInputError(f"{argument} = {value}: {rule}")
    e.argument, e.value, e.rule = argument, value, rule
    return e


def gas_discharge(
    hole_diameter_m: float,
    pressure_pa: float,
    temperature_k: float,
    substance: str | None = None,
    *,
    molar_mass_kg_mol: float | None = None,
    gamma: float | None = None,
    ambient_pressure_pa: float = ATM_PA,
    discharge_coefficient: float = 0.61,
) -> dict[str, Any]:
    """Ideal-gas discharge through a hole, choked or subsonic.

    Choked (p_a/p₀ ≤ (2/(γ+1))^{γ/(γ−1)}): ṁ = C_d A p₀ √(γM/(RT₀)·(2/(γ+1))^{(γ+1)/(γ−1)});
    subsonic: ṁ = C_d A p₀ √(2M/(RT₀)·γ/(γ−1)·[(p_a/p₀)^{2/γ} − (p_a/p₀)^{(γ+1)/γ}]).
    Crowl & Louvar (2011) eqs. 4-49/4-50; CCPS (1999) eqs. 2.1.17–18.

    Returns ``{"rate_kg_s", "choked", "critical_pressure_ratio"}``.

    Parameters
    ----------
    hole_diameter_m : float
        Hole diameter, m (> 0).
    pressure_pa, temperature_k : float
        Stagnation (vessel) pressure, Pa (absolute), and temperature, K.
    substance : str, optional
        Takes M and γ from the database unless ``molar_mass_kg_mol`` / ``gamma`` are given.
    ambient_pressure_pa : float
        Downstream pressure, Pa.
    discharge_coefficient : float
        C_d (0.61 sharp-edged orifice; 1.0 conservative).

    Returns
    -------
    dict
        ``rate_kg_s`` (kg/s), ``choked`` (bool), ``critical_pressure_ratio``.

    Raises
    ------
    qra.InvalidInputError
        Non-positive or NaN inputs, p₀ ≤ p_a; ``UnknownNameError`` for an unknown substance.
    """
    return _qra._gas_discharge(
        _area(hole_diameter_m),
        pressure_pa,
        temperature_k,
        _prop(molar_mass_kg_mol, substance, "molar_mass_kg_mol"),
        _prop(gamma, substance, "heat_capacity_ratio"),
        ambient_pressure_pa,
        discharge_coefficient,
    )


def gas_blowdown(
    volume_m3: float,
    hole_diameter_m: float,
    pressure_pa: float,
    temperature_k: float,
    times_s: ArrayLike,
    substance: str | None = None,
    *,
    molar_mass_kg_mol: float | None = None,
    gamma: float | None = None,
    ambient_pressure_pa: float = ATM_PA,
    discharge_coefficient: float = 0.61,
) -> dict[str, Any]:
    """Adiabatic (isentropic) blowdown of a gas vessel; state at ``times_s``.

    Choked phase closed form ρ/ρ₀ = (1 + (γ−1)/2·t/τ)^{−2/(γ−1)}, τ = Vρ₀/ṁ₀; subsonic phase by
    RK4. Returns arrays ``time_s, pressure_pa, temperature_k, mass_kg, rate_kg_s`` and
    ``time_constant_s, unchoke_time_s, end_time_s``.

    Parameters
    ----------
    volume_m3 : float
        Vessel volume, m³.
    hole_diameter_m : float
        Hole diameter, m (> 0).
    pressure_pa, temperature_k : float
        Initial pressure, Pa (absolute), and temperature, K.
    times_s : array_like
        Times, s.
    substance, molar_mass_kg_mol, gamma, ambient_pressure_pa, discharge_coefficient
        As for :func:`gas_discharge`.

    Returns
    -------
    dict
        Arrays at ``times_s`` and the time constants, s.
    """
    t = [float(v) for v in np.asarray(times_s, dtype=np.float64).ravel()]
    return _qra._gas_blowdown(
        volume_m3,
        _area(hole_diameter_m),
        pressure_pa,
        temperature_k,
        _prop(molar_mass_kg_mol, substance, "molar_mass_kg_mol"),
        _prop(gamma, substance, "heat_capacity_ratio"),
        ambient_pressure_pa,
        discharge_coefficient,
        t,
    )


def liquid_discharge(
    hole_diameter_m: float,
    pressure_pa: float,
    substance: str | None = None,
    *,
    density_kg_m3: float | None = None,
    head_m: float = 0.0,
    ambient_pressure_pa: float = ATM_PA,
    discharge_coefficient: float = 0.61,
) -> float:
    """Liquid discharge rate, kg/s: ṁ = C_d A ρ √(2(p − p_a)/ρ + 2 g h_L).

    Crowl & Louvar (2011) eq. 4-6; CCPS (1999) eq. 2.1.2.

    Parameters
    ----------
    hole_diameter_m : float
        Hole diameter, m (> 0).
    pressure_pa : float
        Pressure above the liquid, Pa (absolute).
    substance : str, optional
        Liquid density from the database unless ``density_kg_m3`` is given.
    head_m : float
        Liquid head above the hole, m.
    ambient_pressure_pa, discharge_coefficient : float

    Returns
    -------
    float
        Mass rate, kg/s.
    """
    return _qra._liquid_discharge(
        _area(hole_diameter_m),
        _prop(density_kg_m3, substance, "liquid_density_kg_m3"),
        pressure_pa,
        ambient_pressure_pa,
        head_m,
        discharge_coefficient,
    )


def tank_drain(
    hole_diameter_m: float,
    tank_area_m2: float,
    head_m: float,
    times_s: ArrayLike,
    substance: str | None = None,
    *,
    density_kg_m3: float | None = None,
    overpressure_pa: float = 0.0,
    discharge_coefficient: float = 0.61,
) -> dict[str, Any]:
    """Draining vertical tank (closed form; Crowl & Louvar 2011 eqs. 4-18 to 4-20).

    ṁ(t) = ρ C_d A (√(2(p_g/ρ + g h₀)) − g C_d (A/A_t) t), until empty.

    Parameters
    ----------
    hole_diameter_m : float
        Hole diameter, m (> 0).
    tank_area_m2 : float
        Tank cross-section, m².
    head_m : float
        Initial liquid head above the hole, m.
    times_s : array_like
        Times, s.
    substance, density_kg_m3 : optional
        Liquid density, kg/m³ (from the database by default).
    overpressure_pa : float
        Gauge pressure above the liquid, Pa.
    discharge_coefficient : float

    Returns
    -------
    dict
        ``time_s``, ``rate_kg_s``, ``head_m`` arrays and ``empty_time_s``.
    """
    t = [float(v) for v in np.asarray(times_s, dtype=np.float64).ravel()]
    return _qra._tank_drain(
        _area(hole_diameter_m),
        tank_area_m2,
        _prop(density_kg_m3, substance, "liquid_density_kg_m3"),
        overpressure_pa,
        head_m,
        discharge_coefficient,
        t,
    )


def flash_fraction(
    temperature_k: float,
    substance: str | None = None,
    *,
    boiling_point_k: float | None = None,
    cp_liquid_j_kg_k: float | None = None,
    heat_of_vaporisation_j_kg: float | None = None,
) -> float:
    """Isenthalpic flash fraction f = min(1, c̄_p (T − T_b)/h_fg) (Crowl & Louvar 2011 eq. 4-90), the equilibrium end state at T_b.

    Parameters
    ----------
    temperature_k : float
        Liquid temperature before release, K.
    substance : str, optional
        Tb, c_p and h_fg from the database unless given.

    Returns
    -------
    float
        Mass fraction flashed to vapour, 0–1 (0 below the boiling point).
    """
    return _qra._flash_fraction(
        temperature_k,
        _prop(boiling_point_k, substance, "normal_boiling_point_k"),
        _prop(cp_liquid_j_kg_k, substance, "cp_liquid_j_kg_k"),
        _prop(heat_of_vaporisation_j_kg, substance, "heat_of_vaporisation_j_kg"),
    )


def airborne_fraction(flash_fraction: float) -> tuple[float, float]:
    """(airborne, rain-out) fractions by the 2 × flash-fraction rule (CCPS 1999 §2.1.2.2) [M].

    Parameters
    ----------
    flash_fraction : float
        Flash fraction, 0–1.

    Returns
    -------
    (float, float)
        Airborne and rain-out mass fractions.
    """
    return _qra._airborne_fraction(flash_fraction)


def two_phase_discharge(
    hole_diameter_m: float,
    temperature_k: float,
    substance: str | None = None,
    *,
    pressure_pa: float | None = None,
    saturation_pressure_pa: float | None = None,
    liquid_density_kg_m3: float | None = None,
    heat_of_vaporisation_j_kg: float | None = None,
    cp_liquid_j_kg_k: float | None = None,
    molar_mass_kg_mol: float | None = None,
    boiling_point_k: float | None = None,
    discharge_coefficient: float = 0.61,
) -> dict[str, Any]:
    """Flashing two-phase discharge, Fauske equilibrium rate model with subcooling.

    G_ERM = h_fg/v_fg · √(1/(c_p T)); G = √(2ρ_l (p − p_sat) + G_ERM²); ṁ = C_d A G
    (Fauske & Epstein 1988; Crowl & Louvar 2011 eqs. 4-103/4-105) [M]. ``pressure_pa`` defaults
    to the saturation pressure (saturated liquid). Returns ``rate_kg_s, mass_flux_kg_m2_s,
    erm_flux_kg_m2_s, flash_fraction``.

    Parameters
    ----------
    hole_diameter_m : float
        Hole diameter, m (> 0).
    temperature_k : float
        Liquid temperature, K.
    substance : str, optional
        Properties from the database unless given explicitly.
    pressure_pa, saturation_pressure_pa : float, optional
        Vessel and saturation pressures, Pa.
    discharge_coefficient : float

    Returns
    -------
    dict
        Rates in kg/s and fluxes in kg/(m²·s).
    """
    psat = saturation_pressure_pa
    if psat is None:
        if substance is None:
            raise _qra_invalid("saturation_pressure_pa", "None", "give it or a substance name")
        psat = _qra.substance(substance).vapour_pressure_pa(temperature_k)
    p = psat if pressure_pa is None else pressure_pa
    return _qra._two_phase_discharge(
        _area(hole_diameter_m),
        temperature_k,
        p,
        psat,
        _prop(liquid_density_kg_m3, substance, "liquid_density_kg_m3"),
        _prop(heat_of_vaporisation_j_kg, substance, "heat_of_vaporisation_j_kg"),
        _prop(cp_liquid_j_kg_k, substance, "cp_liquid_j_kg_k"),
        _prop(molar_mass_kg_mol, substance, "molar_mass_kg_mol"),
        _prop(boiling_point_k, substance, "normal_boiling_point_k"),
        discharge_coefficient,
    )


def pool_evaporation(
    substance: str | None = None,
    *,
    instantaneous_mass_kg: float = 0.0,
    spill_rate_kg_s: float = 0.0,
    spill_duration_s: float = 0.0,
    ground_temperature_k: float = 293.15,
    wind_speed_m_s: float = 3.0,
    bund_area_m2: float | None = None,
    t_end_s: float = 1800.0,
    dt_s: float = 1.0,
    liquid_density_kg_m3: float | None = None,
    boiling_point_k: float | None = None,
    heat_of_vaporisation_j_kg: float | None = None,
    molar_mass_kg_mol: float | None = None,
    vapour_pressure_pa: float | None = None,
    ground_conductivity_w_m_k: float = 1.1,
    ground_diffusivity_m2_s: float = 5e-7,
    schmidt_number: float = 0.8,
    min_thickness_m: float = 0.005,
) -> dict[str, Any]:
    """Pool spreading and evaporation (boiling: ground conduction; non-boiling: Mackay & Matsugu).

    Boiling: ṁ″ = k_s (T_g − T_b)/(h_fg √(π α_s t)); non-boiling: k_m = 0.0048 u^{7/9} d^{−1/9}
    Sc^{−2/3}, ṁ″ = k_m M p_v/(R T) (Mackay & Matsugu 1973); gravity spreading dr/dt = √(2gh) to
    a minimum thickness or the bund (TNO Yellow Book ch. 3) [M]. Returns arrays ``time_s,
    evaporation_rate_kg_s, radius_m, liquid_mass_kg, evaporated_kg, spilled_kg`` and ``boiling``,
    ``max_rate_kg_s``.

    Parameters
    ----------
    substance : str, optional
        Properties from the database unless given explicitly.
    instantaneous_mass_kg, spill_rate_kg_s, spill_duration_s : float
        Instantaneous spill (kg) and/or continuous spill (kg/s for s).
    ground_temperature_k, wind_speed_m_s : float
        Ground temperature, K; wind speed, m/s.
    bund_area_m2 : float, optional
        Bund area limiting the spread, m².
    t_end_s, dt_s : float
        Simulated time and step, s.

    Returns
    -------
    dict
        Arrays over time (rates kg/s, radius m, masses kg) and the summary values.
    """
    tb = _prop(boiling_point_k, substance, "normal_boiling_point_k")
    pv = vapour_pressure_pa
    if pv is None:
        if ground_temperature_k >= tb:
            pv = ATM_PA
        elif substance is not None:
            pv = _qra.substance(substance).vapour_pressure_pa(ground_temperature_k)
        else:
            raise _qra_invalid("vapour_pressure_pa", "None", "give it or a substance name")
    return _qra._pool_evaporation(
        instantaneous_mass_kg,
        spill_rate_kg_s,
        spill_duration_s,
        _prop(liquid_density_kg_m3, substance, "liquid_density_kg_m3"),
        tb,
        _prop(heat_of_vaporisation_j_kg, substance, "heat_of_vaporisation_j_kg"),
        _prop(molar_mass_kg_mol, substance, "molar_mass_kg_mol"),
        pv,
        ground_temperature_k,
        ground_conductivity_w_m_k,
        ground_diffusivity_m2_s,
        wind_speed_m_s,
        schmidt_number,
        bund_area_m2,
        min_thickness_m,
        t_end_s,
        dt_s,
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
