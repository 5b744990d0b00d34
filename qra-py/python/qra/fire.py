"""Fire consequence models: pool fire, jet fire, fireball (BLEVE) and flash fire.

Thin wrappers over the Rust core (``qra_core::fire``); all equations, validity ranges and sources
are documented there and summarised in each class docstring. Frame: origin at the pool centre /
release point at ground level, z up, wind blowing towards +x. SI units (m, s, kg, W/m²).

``heat_flux(x, y, z, orientation="max")`` broadcasts its arguments with NumPy, releases the GIL
and evaluates in parallel. Orientation is ``"max"`` (the receiving surface that sees the most),
``"vertical"`` (facing the flame), ``"horizontal"`` (facing up) or a normal vector ``(nx, ny, nz)``.
Receivers inside a flame get the flame's surface emissive power (a defined value, never NaN).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from qra import _qra
from qra._wrap import CoreWrapper

Orientation = str | Sequence[float]


def _flux(
    model: _qra.PoolFire | _qra.JetFire | _qra.ChamberlainJetFire | _qra.Fireball,
    x: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    orientation: Orientation,
) -> NDArray[np.float64]:
    xb, yb, zb = np.broadcast_arrays(
        np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), np.asarray(z, dtype=np.float64)
    )
    shape = xb.shape
    out = model.heat_flux(
        np.ascontiguousarray(xb.ravel()),
        np.ascontiguousarray(yb.ravel()),
        np.ascontiguousarray(zb.ravel()),
        orientation,
    )
    return out.reshape(shape)


class _Fire(CoreWrapper):
    """Heat flux and reach of a radiating fire (``self._core`` a native ``HeatSource``)."""

    def heat_flux(self, x: ArrayLike, y: ArrayLike, z: ArrayLike = 0.0, orientation: Orientation = "max") -> NDArray[np.float64]:
        """Incident heat flux q = SEP·F·τ (W/m²) at points (m), broadcast over ``x, y, z``.

        Parameters
        ----------
        x, y, z : array_like
            Receiver coordinates, m (broadcast; z defaults to 0).
        orientation : "max", "vertical", "horizontal" or (nx, ny, nz)
            Receiving surface ("max": the orientation that maximises the flux).

        Returns
        -------
        ndarray
            Heat flux, W/m² (never NaN).
        """
        return _flux(self._core, x, y, z, orientation)

    def reach_m(self, flux_w_m2: float) -> float:
        """Horizontal distance (m) beyond which the ground-level flux is below ``flux_w_m2``.

        Parameters
        ----------
        flux_w_m2 : float
            Heat flux, W/m².

        Returns
        -------
        float
            Distance, m.
        """
        return float(self._core.reach_m(flux_w_m2))


class _LethalFire(_Fire):
    """A fire with a lethality reach under a heat-radiation rule."""

    def lethality_reach_m(self, rule: str = "purple-book", p_min: float = 1e-6) -> float:
        """Distance (m) beyond which lethality under ``rule`` ("purple-book"/"aqt3046") < ``p_min``.

        Parameters
        ----------
        rule : {"purple-book", "aqt3046"}
            Heat-radiation lethality rule (:func:`qra.vulnerability.thermal_rule_lethality`).
        p_min : float
            Lethality that defines the reach.

        Returns
        -------
        float
            Distance, m.
        """
        return float(self._core.lethality_reach_m(rule, p_min))


class PoolFire(_LethalFire):
    """Pool fire, solid-flame model (tilted cylinder).

    Burning rate m″ (kg/m²/s; database m″∞ or Burgess & Zabetakis 1962), flame length
    L/D = 42 (m″/(ρa √(gD)))^0.61 (Thomas 1963), tilt cos θ = u*^-1/2 for u* > 1 (AGA 1974),
    SEP by radiative fraction E = f m″ ΔHc/(1 + 4L/D) (Mudan 1984), Mudan & Croce (1988) smoke
    obscuration or Shokri & Beyler (1989); view factor of the (tilted) cylinder integrated
    semi-analytically (checked against Mudan's closed forms); transmissivity AQ/T 3046 eq. E.59
    or Wayne (1991).

    Parameters
    ----------
    diameter_m, burning_rate_kg_m2_s, heat_of_combustion_j_kg : float
        Pool diameter (m), mass burning rate (kg/m²/s), heat of combustion (J/kg); all > 0.
    wind_speed_m_s : float
        Wind speed (m/s, ≥ 0); the flame tilts towards +x.
    vapour_density_kg_m3, air_density_kg_m3 : float
        Fuel vapour density at the boiling point and air density (kg/m³).
    sep_model : {"mudan-croce", "shokri-beyler", "radiative-fraction"}
        Surface-emissive-power model; ``sep_w_m2`` overrides it with a fixed value (W/m²).
    radiative_fraction : float
        f for ``"radiative-fraction"``.
    flame_length : {"thomas", "thomas-wind"}
    transmissivity : {"aqt3046", "wayne", "none"}
        With ``relative_humidity`` (0–1) and ``air_temperature_k`` for Wayne.
    duration_s : float
        Fire duration (s) used by :meth:`lethality_reach_m`.
    n_phi : int
        Azimuth strips of the view-factor quadrature, 8–4096 (default 24).
    flame_drag : {"none", "moorhouse"}
        Flame drag: ``"moorhouse"`` elongates the flame base downwind to D′ = D·max(1,
        1.5 Fr^0.069), Fr = u²/(gD) (Moorhouse 1982 [M]), an elliptical tilted cylinder whose
        upwind edge stays at the pool edge.
    tilt : {"aga", "yellow-book"}
        Flame-tilt correlation: ``"aga"`` (default) cos θ = 1 for u* ≤ 1, 1/√u* above (AGA 1974,
        as used by CCPS 1999 [M]); ``"yellow-book"`` sin θ/cos² θ = 0.666·Fr^0.333·Re^0.117,
        Fr = u²/(gD), Re = u·D/ν (TNO Yellow Book CPR 14E, 2005, eqs. 6.68–6.70, read in a
        secondary transcription), θ = 0 in calm.
    kinematic_viscosity_m2_s : float, optional
        ν of the air for ``tilt="yellow-book"``, m²/s, in [1e-7, 1e-3] (default 1.5e-5, air at
        20 °C); giving it with ``tilt="aga"`` is an error.

    Raises
    ------
    qra.InvalidInputError
        Negative, zero or NaN inputs, radiative fraction outside (0, 1], a ``tilt`` other than
        "aga"/"yellow-book" (naming ``tilt`` and the allowed values); ``UnknownNameError`` for
        other unknown model names.
    """

    _native = _qra.PoolFire

    def __init__(
        self,
        diameter_m: float,
        burning_rate_kg_m2_s: float,
        heat_of_combustion_j_kg: float,
        *,
        wind_speed_m_s: float = 0.0,
        vapour_density_kg_m3: float = 1.8,
        air_density_kg_m3: float = 1.2,
        sep_model: str = "mudan-croce",
        radiative_fraction: float = 0.35,
        sep_w_m2: float | None = None,
        flame_length: str = "thomas",
        transmissivity: str = "aqt3046",
        relative_humidity: float = 0.7,
        air_temperature_k: float = 293.15,
        duration_s: float = float("inf"),
        n_phi: int = 24,
        flame_drag: str = "none",
        tilt: str = "aga",
        kinematic_viscosity_m2_s: float | None = None,
    ) -> None:
        self._core = _qra.PoolFire(
            diameter_m,
            burning_rate_kg_m2_s,
            heat_of_combustion_j_kg,
            wind_speed_m_s=wind_speed_m_s,
            vapour_density_kg_m3=vapour_density_kg_m3,
            air_density_kg_m3=air_density_kg_m3,
            sep_model=sep_model,
            radiative_fraction=radiative_fraction,
            sep_w_m2=sep_w_m2,
            flame_length=flame_length,
            transmissivity=transmissivity,
            relative_humidity=relative_humidity,
            air_temperature_k=air_temperature_k,
            duration_s=duration_s,
            n_phi=n_phi,
            flame_drag=flame_drag,
            tilt=tilt,
            kinematic_viscosity_m2_s=kinematic_viscosity_m2_s,
        )

    @classmethod
    def from_substance(cls, name: str, diameter_m: float, wind_speed_m_s: float = 0.0) -> PoolFire:
        """Pool fire of a built-in substance (burning rate, ΔHc and vapour density from the database;
        radiative-fraction SEP 0.35 for LNG/methane/hydrogen, Mudan & Croce otherwise).

        Parameters
        ----------
        name : str
            Substance name.
        diameter_m : float
            Pool diameter, m.
        wind_speed_m_s : float
            Wind speed, m/s.

        Returns
        -------
        PoolFire
        """
        obj = cls.__new__(cls)
        obj._core = _qra.PoolFire.from_substance(name, diameter_m, wind_speed_m_s)
        return obj

    @property
    def flame_length_m(self) -> float:
        """Flame length along the axis, m."""
        return self._core.flame_length_m

    @property
    def tilt_rad(self) -> float:
        """Flame tilt from the vertical, rad."""
        return self._core.tilt_rad

    @property
    def sep_w_m2(self) -> float:
        """Surface emissive power, W/m²."""
        return self._core.sep_w_m2


class JetFire(_LethalFire):
    """Jet fire, API 521 point-source model.

    Flame length L = (ΔHc·ṁ)^0.444/161.66 m (AQ/T 3046 eq. E.57); q = τ F ṁ ΔHc/(4π d²) from a
    point at L/2 along the jet axis (API 521; AQ/T 3046 eq. E.58), times cos β for oriented
    receivers; capped at ``max_flux_w_m2`` (350 kW/m² by default) at and near the flame. The
    Chamberlain (1987) frustum model is :class:`ChamberlainJetFire`.

    Parameters
    ----------
    mass_rate_kg_s, heat_of_combustion_j_kg : float
        Release rate (kg/s) and heat of combustion (J/kg), > 0.
    radiant_fraction : float
        F in (0, 1].
    release_point_m, direction : 3 floats
        Release point (m) and jet axis (normalised).

    Raises
    ------
    qra.InvalidInputError
        Bad numbers (negative rate, zero direction, F outside (0, 1]).
    """

    _native = _qra.JetFire

    def __init__(
        self,
        mass_rate_kg_s: float,
        heat_of_combustion_j_kg: float,
        radiant_fraction: float,
        *,
        release_point_m: tuple[float, float, float] = (0.0, 0.0, 0.0),
        direction: tuple[float, float, float] = (1.0, 0.0, 0.0),
        transmissivity: str = "aqt3046",
        relative_humidity: float = 0.7,
        air_temperature_k: float = 293.15,
        duration_s: float = float("inf"),
        max_flux_w_m2: float = 350e3,
    ) -> None:
        self._core = _qra.JetFire(
            mass_rate_kg_s,
            heat_of_combustion_j_kg,
            radiant_fraction,
            release_point_m=release_point_m,
            direction=direction,
            transmissivity=transmissivity,
            relative_humidity=relative_humidity,
            air_temperature_k=air_temperature_k,
            duration_s=duration_s,
            max_flux_w_m2=max_flux_w_m2,
        )

    @property
    def flame_length_m(self) -> float:
        """Flame length, m."""
        return self._core.flame_length_m

    @property
    def source_point_m(self) -> tuple[float, float, float]:
        """Position of the point source (flame centre), m."""
        return self._core.source_point_m


class ChamberlainJetFire(_Fire):
    """Jet fire, Chamberlain (1987) frustum ("Shell") model, for a vertical release.

    Chamberlain (1987), Chem. Eng. Res. Des. 65, 299–309, as given in the TNO Yellow Book
    (CPR 14E §6.5.4) — correlation constants recalled, not verified [M]: effective source diameter
    Ds = √(4ṁ/(π ρ_air u_j)); still-air flame length from C_a Y^(5/3) + 0.2 Y^(2/3) = (2.85/W)^(2/3);
    wind shortening, tilt α(R_w = u_w/u_j, Ri), lift-off b, frustum length and widths W1, W2;
    F_s = 0.21 e^(−0.00323 u_j) + 0.11 and SEP = F_s ṁ ΔHc / A. The view factor is integrated
    numerically over the frustum surface (lateral + end discs); q = SEP·F·τ. Wind along +x.
    No published radiometer data were available to validate it (validation gap).

    Parameters
    ----------
    mass_rate_kg_s, heat_of_combustion_j_kg : float
        Release rate (kg/s) and heat of combustion (J/kg), > 0.
    jet_velocity_m_s, jet_density_kg_m3 : float
        Velocity and density of the expanded jet (after the expansion to ambient pressure).
    stoich_mass_fraction : float
        Mass fraction of fuel in a stoichiometric fuel–air mixture (methane ≈ 0.055).
    wind_speed_m_s : float
        Wind speed (m/s, ≥ 0), towards +x.

    Raises
    ------
    qra.InvalidInputError
        Bad numbers.
    """

    _native = _qra.ChamberlainJetFire

    def __init__(
        self,
        mass_rate_kg_s: float,
        heat_of_combustion_j_kg: float,
        *,
        jet_velocity_m_s: float,
        jet_density_kg_m3: float,
        stoich_mass_fraction: float,
        wind_speed_m_s: float = 0.0,
        air_density_kg_m3: float = 1.204,
        release_point_m: tuple[float, float, float] = (0.0, 0.0, 0.0),
        transmissivity: str = "aqt3046",
        relative_humidity: float = 0.7,
        air_temperature_k: float = 293.15,
        duration_s: float = float("inf"),
    ) -> None:
        self._core = _qra.ChamberlainJetFire(
            mass_rate_kg_s,
            heat_of_combustion_j_kg,
            jet_velocity_m_s=jet_velocity_m_s,
            jet_density_kg_m3=jet_density_kg_m3,
            stoich_mass_fraction=stoich_mass_fraction,
            wind_speed_m_s=wind_speed_m_s,
            air_density_kg_m3=air_density_kg_m3,
            release_point_m=release_point_m,
            transmissivity=transmissivity,
            relative_humidity=relative_humidity,
            air_temperature_k=air_temperature_k,
            duration_s=duration_s,
        )

    @property
    def geometry(self) -> dict[str, float]:
        """Flame geometry: source diameter, lengths, tilt (deg), lift-off, widths, area (SI)."""
        return dict(self._core.geometry)

    @property
    def sep_w_m2(self) -> float:
        """Surface emissive power, W/m²."""
        return self._core.sep_w_m2

    @property
    def radiant_fraction(self) -> float:
        """Fraction of the heat released that is radiated, F_s."""
        return self._core.radiant_fraction


class Fireball(_LethalFire):
    """Fireball of a BLEVE (CCPS 1994/2010 correlations).

    D = 5.8 M^(1/3) m, t = 0.45 M^(1/3) s (M < 30 t) or 2.6 M^(1/6) s, centre height 0.75 D,
    SEP = F M ΔHc/(π D² t); sphere view factor (R/r)² (face-on; × cos β when oriented);
    q = SEP·F·τ(r − R); receivers inside the fireball get SEP.

    Parameters
    ----------
    mass_kg, heat_of_combustion_j_kg : float
        Fuel mass (kg) and heat of combustion (J/kg), > 0.
    radiant_fraction : float
        F in (0, 1]; see :meth:`radiant_fraction_from_pressure` (0.27 (p/MPa)^0.32).
    """

    _native = _qra.Fireball

    def __init__(
        self,
        mass_kg: float,
        heat_of_combustion_j_kg: float,
        radiant_fraction: float,
        *,
        transmissivity: str = "aqt3046",
        relative_humidity: float = 0.7,
        air_temperature_k: float = 293.15,
    ) -> None:
        self._core = _qra.Fireball(
            mass_kg,
            heat_of_combustion_j_kg,
            radiant_fraction,
            transmissivity=transmissivity,
            relative_humidity=relative_humidity,
            air_temperature_k=air_temperature_k,
        )

    @staticmethod
    def radiant_fraction_from_pressure(pressure_pa: float) -> float:
        """Radiant fraction 0.27·(p/1 MPa)^0.32 (capped at 0.4) from the burst pressure (Pa, abs.).

        Parameters
        ----------
        pressure_pa : float
            Burst pressure, Pa (absolute).

        Returns
        -------
        float
            Radiant fraction, 0–0.4.
        """
        return _qra.Fireball.radiant_fraction_from_pressure(pressure_pa)

    @property
    def diameter_m(self) -> float:
        """Diameter, m."""
        return self._core.diameter_m

    @property
    def duration_s(self) -> float:
        """Duration, s."""
        return self._core.duration_s

    @property
    def centre_height_m(self) -> float:
        """Centre height, m."""
        return self._core.centre_height_m

    @property
    def sep_w_m2(self) -> float:
        """Surface emissive power, W/m²."""
        return self._core.sep_w_m2


def flash_fire_lethality(
    x: ArrayLike, y: ArrayLike, footprint_x_m: ArrayLike, footprint_half_width_m: ArrayLike
) -> tuple[NDArray[np.float64], float]:
    """Outdoor flash-fire lethality: 1 inside the LFL envelope, else 0 (Purple Book; AQ/T 3046 10.4.1).

    The envelope is a table of downwind distance ``footprint_x_m`` (strictly increasing) and LFL
    half-width ``footprint_half_width_m`` (≥ 0), linearly interpolated, in the cloud frame. Indoor
    lethality is 0. Returns ``(lethality, reach_m)`` with the reach the largest distance of the
    envelope from the source.

    Parameters
    ----------
    x, y : array_like
        Receiver coordinates in the cloud frame, m.
    footprint_x_m, footprint_half_width_m : array_like
        The LFL envelope table, m.

    Returns
    -------
    (ndarray, float)
        Lethality (0 or 1) at the receivers and the reach, m.
    """
    xb, yb = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    out, reach = _qra.flash_fire_lethality(
        np.ascontiguousarray(xb.ravel()),
        np.ascontiguousarray(yb.ravel()),
        [float(v) for v in np.asarray(footprint_x_m, dtype=np.float64).ravel()],
        [float(v) for v in np.asarray(footprint_half_width_m, dtype=np.float64).ravel()],
    )
    return out.reshape(xb.shape), reach


steady_state_pool_diameter_m = _qra.steady_state_pool_diameter_m
bunded_pool_diameter_m = _qra.bunded_pool_diameter_m
burgess_zabetakis_kg_m2_s = _qra.burgess_zabetakis_kg_m2_s

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
