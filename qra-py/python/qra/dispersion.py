"""Atmospheric dispersion: sigmas, Gaussian plume and puff, Britter–McQuaid dense gas.

Every model works in its own frame: source at the origin on the ground, ``x`` downwind (m),
``y`` crosswind (m), ``z`` height (m), ``t`` time since the release started (s). Concentrations
are in kg/m³. Points upwind (x ≤ 0), below ground, or at t = 0 give 0 — never NaN. Arrays
broadcast like NumPy; the array work runs in Rust with the GIL released (rayon above 8192 points).

Classes
-------
GaussianPlume
    C = Q/(2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)] (+ lid images);
    Turner (1970) eq. 3.1; CCPS (1999) eq. 2.1.59; Crowl & Louvar (2011) eq. 5-49.
    Keyword arguments: ``rate_kg_s``, ``wind_speed_m_s`` (at ``wind_height_m``, default 10 m),
    ``stability`` ("A"–"F"), ``release_height_m``, ``terrain`` ("rural"/"urban"), ``scheme``
    ("briggs", "pasquill-gifford", "tno", "ccps-puff"), ``mixing_height_m``,
    ``averaging_time_s`` (σy ∝ t^0.2), ``min_transport_height_m`` (the transport wind is the
    power-law wind at max(release height, this), default 10 m; give the anemometer height of
    wind data measured lower, e.g. 2 m for Prairie Grass). Methods: ``concentration(x, y=0, z=0)``,
    ``distance_to(c_kg_m3, z_m=0)`` (e.g. LFL distance), ``half_width(x, c_kg_m3)`` (footprint),
    ``flammable_mass(lfl_kg_m3, ufl_kg_m3)``, ``toxic_reach(substance, duration_s, p_min=1e-6)``.
GaussianPuff
    Instantaneous: C = M/((2π)^{3/2} σx σy σz) · exp(−(x−ut)²/2σx²) · …, CCPS (1999) eq. 2.1.62;
    finite duration (``duration_s``): Palazzi et al. (1982) Atmos. Environ. 16:2785.
    ``concentration(x, y, z, t)``; ``dose(x, y, z)`` = ∫C dt. Default ``scheme``: "ccps-puff"
    for an instantaneous puff, "briggs" (plume sigmas) for a finite-duration release.
BritterMcQuaidPlume, BritterMcQuaidPuff
    Britter & McQuaid (1988) HSE CRR 17/1988 workbook nomogram fits (Crowl & Louvar 2011
    Tables 5-7/5-8); ``dense`` tells whether the workbook criterion holds (otherwise the
    plume falls back to the passive Gaussian plume). Cold (or hot) releases: give
    ``source_temperature_k`` (``gas_density_kg_m3`` is then at that temperature) and
    ``ambient_temperature_k``; the workbook's non-isothermal correction
    C* = C/(C + (1 − C)·T_a/T₀) is applied (``nomogram_ratio`` = C*, ``centreline_ratio`` = C,
    kg/m³ at the ambient-temperature gas density). Beyond the last nomogram curve
    (Cm/C₀ = 0.002) the continuous plume's concentrations come from a passive Gaussian plume
    with a virtual source matched there; the instantaneous cloud does the same (Cm/C₀ = 0.001)
    after ``with_passive_far_field(stability=...)`` (``last_curve_m``, ``virtual_offset_m``,
    ``passive_puff``). Flashing releases: ``aerosol_laden(mass_or_rate, AerosolMixture, wind)``.
    The cloud is a top-hat disc of radius R² = R₀² + 1.2·√(g₀'V₀)·t advected at 0.4·u₁₀:
    ``cloud_radius_m(x)``, ``passage_time_s(x, y)`` = chord/(0.4·u₁₀).
finite_release_concentration
    Finite-duration release by the workbook rule on u₁₀·T_d/x: continuous plume (≥ 2.5),
    instantaneous cloud (≤ 0.6) or the smaller of the two in between; returns the regime name
    and the concentration.
AerosolMixture
    Effective source of a flashing (aerosol-laden) release once entrained air has evaporated the
    last liquid (adiabatic mixing, after Kaiser & Walker 1978; Wheatley 1987 [M]):
    ``AerosolMixture("ammonia", liquid_fraction)`` gives ``temperature_k``, ``density_kg_m3``,
    ``air_mass_ratio`` and ``substance_mass_fraction`` — the dense-gas source state.
FreeJet
    Momentum-dominated near field of a pressurised gas jet (Long 1963 constants k₂ = 6, k₃ = 5
    [M]): ``volume_fraction(x, y, z)``, ``concentration(x, y, z)`` (kg/m³), and
    ``transition_distance_m(wind)`` where the jet's centreline velocity falls to the wind.
SlabPlume
    SLAB-class integral dense-gas plume (Ermak 1990, UCRL-MA-105607): ODEs in downwind distance
    for mass, momentum, energy and species with Richardson-damped entrainment, gravity
    spreading, ground heat and aerosol evaporation; ``source="jet"`` (``exit_velocity_m_s``,
    ``liquid_fraction``) or ``"pool"`` (``area_m2``), optional ``duration_s`` and
    ``averaging_time_s``. ``concentration(x, y, z)`` (kg/m³), ``volume_fraction(x, y, z)``,
    ``distance_to(c_kg_m3)``, ``profile()`` (the integrated cloud). Far downwind a neutral
    release is the Gaussian plume. The risk engine's default for dense releases.

Raises
------
qra.InvalidInputError
    Non-positive rate/mass/wind, NaN coordinates, t < 0, release above the mixing height.
qra.UnknownNameError
    Unknown stability class (e.g. "G"), terrain or sigma scheme.
"""

from __future__ import annotations

from qra._qra import (
    AerosolMixture,
    BritterMcQuaidPlume,
    BritterMcQuaidPuff,
    FreeJet,
    GaussianPlume,
    GaussianPuff,
    SlabPlume,
    finite_release_concentration,
    sigmas,
    wind_speed_at,
)

__all__ = [
    "sigmas",
    "wind_speed_at",
    "GaussianPlume",
    "GaussianPuff",
    "BritterMcQuaidPlume",
    "BritterMcQuaidPuff",
    "AerosolMixture",
    "FreeJet",
    "SlabPlume",
    "finite_release_concentration",
]
