"""Type stubs of the compiled module ``qra._qra`` (checked with ``python -m mypy.stubtest qra``)."""

from collections.abc import Callable
from typing import final

import numpy as np
from numpy.typing import NDArray

__version__: str

# --- substance --------------------------------------------------------------------------------

@final
class Substance:
    """A substance and its properties (SI units; names carry units)."""

    @property
    def name(self) -> str: ...
    @property
    def name_zh(self) -> str | None: ...
    @property
    def aliases(self) -> list[str]: ...
    @property
    def cas(self) -> str | None: ...
    @property
    def state(self) -> str: ...
    @property
    def flammable(self) -> bool: ...
    @property
    def toxic(self) -> bool: ...
    @property
    def sources(self) -> dict[str, str]: ...
    @property
    def molar_mass_kg_mol(self) -> float | None: ...
    @property
    def normal_boiling_point_k(self) -> float | None: ...
    @property
    def melting_point_k(self) -> float | None: ...
    @property
    def critical_temperature_k(self) -> float | None: ...
    @property
    def critical_pressure_pa(self) -> float | None: ...
    @property
    def acentric_factor(self) -> float | None: ...
    @property
    def liquid_density_kg_m3(self) -> float | None: ...
    @property
    def liquid_density_temperature_k(self) -> float | None: ...
    @property
    def heat_of_vaporisation_j_kg(self) -> float | None: ...
    @property
    def cp_liquid_j_kg_k(self) -> float | None: ...
    @property
    def cp_gas_j_kg_k(self) -> float | None: ...
    @property
    def heat_capacity_ratio(self) -> float | None: ...
    @property
    def heat_of_combustion_j_kg(self) -> float | None: ...
    @property
    def lfl_vol_frac(self) -> float | None: ...
    @property
    def ufl_vol_frac(self) -> float | None: ...
    @property
    def burning_rate_kg_m2_s(self) -> float | None: ...
    @property
    def tnt_equivalence(self) -> float | None: ...
    def vapour_pressure_pa(self, temperature_k: float) -> float: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, text: str) -> Substance: ...
    @classmethod
    def from_toml(cls, text: str) -> Substance: ...
    def __reduce__(self) -> tuple[object, tuple[str]]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

def substance(name: str) -> Substance: ...
def substances() -> list[str]: ...

# --- vulnerability -----------------------------------------------------------------------------

def probit_to_probability(y: NDArray[np.float64]) -> NDArray[np.float64]: ...

# --- park ---------------------------------------------------------------------------------------

@final
class MajorHazard:
    """GB 18218-2018 identification and grading of one unit."""

    @property
    def s(self) -> float: ...
    @property
    def r(self) -> float: ...
    @property
    def alpha(self) -> float: ...
    @property
    def is_major_hazard(self) -> bool: ...
    @property
    def grade(self) -> int | None: ...
    @property
    def grade_zh(self) -> str | None: ...
    @property
    def terms(self) -> list[tuple[str, float, float, float, float]]: ...

def major_hazard(inventory: list[tuple[str, float]], exposed_persons: int = 0) -> MajorHazard: ...
def sample_park_toml() -> str: ...
# --- source terms, dispersion, toxic effects (issue 3) -----------------------------------------

from typing import Any

from numpy.typing import ArrayLike

def sigmas(
    x_m: ArrayLike, stability: str, terrain: str = "rural", scheme: str = "briggs"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
def wind_speed_at(
    wind_speed_m_s: float,
    z_m: float,
    stability: str,
    terrain: str = "rural",
    wind_height_m: float = 10.0,
) -> float: ...
@final
class GaussianPlume:
    def __new__(
        cls,
        *,
        rate_kg_s: float,
        wind_speed_m_s: float,
        stability: str,
        release_height_m: float = 0.0,
        terrain: str = "rural",
        scheme: str = "briggs",
        wind_height_m: float = 10.0,
        mixing_height_m: float | None = None,
        averaging_time_s: float = 600.0,
    ) -> GaussianPlume: ...
    def concentration(
        self, x_m: ArrayLike, y_m: ArrayLike | None = None, z_m: ArrayLike | None = None
    ) -> NDArray[np.float64]: ...
    def distance_to(self, c_kg_m3: float, z_m: float = 0.0) -> float: ...
    def half_width(
        self, x_m: ArrayLike, c_kg_m3: float, z_m: float = 0.0
    ) -> NDArray[np.float64]: ...
    def flammable_mass(self, lower_kg_m3: float, upper_kg_m3: float) -> float: ...
    def toxic_reach(
        self,
        substance: str,
        duration_s: float,
        p_min: float = 1e-6,
        cap_s: float = 1800.0,
        probit_set: str | None = None,
    ) -> float: ...
    def toxic_probability(
        self,
        substance: str,
        x_m: ArrayLike,
        y_m: ArrayLike,
        duration_s: float,
        cap_s: float = 1800.0,
        probit_set: str | None = None,
    ) -> NDArray[np.float64]: ...
    @property
    def transport_speed_m_s(self) -> float: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> GaussianPlume: ...
    def __reduce__(self) -> tuple[object, tuple[str]]: ...

@final
class GaussianPuff:
    def __new__(
        cls,
        *,
        mass_kg: float,
        wind_speed_m_s: float,
        stability: str,
        release_height_m: float = 0.0,
        duration_s: float | None = None,
        terrain: str = "rural",
        scheme: str | None = None,
        wind_height_m: float = 10.0,
        mixing_height_m: float | None = None,
        averaging_time_s: float = 600.0,
    ) -> GaussianPuff: ...
    def concentration(
        self, x_m: ArrayLike, y_m: ArrayLike, z_m: ArrayLike, t_s: ArrayLike
    ) -> NDArray[np.float64]: ...
    def dose(
        self, x_m: ArrayLike, y_m: ArrayLike | None = None, z_m: ArrayLike | None = None
    ) -> NDArray[np.float64]: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> GaussianPuff: ...
    def __reduce__(self) -> tuple[object, tuple[str]]: ...

@final
class BritterMcQuaidPlume:
    def __new__(
        cls,
        *,
        rate_kg_s: float,
        gas_density_kg_m3: float,
        wind_speed_m_s: float,
        stability: str = "D",
        air_density_kg_m3: float = 1.204,
        terrain: str = "rural",
    ) -> BritterMcQuaidPlume: ...
    @property
    def dense(self) -> bool: ...
    def concentration(
        self, x_m: ArrayLike, y_m: ArrayLike | None = None, z_m: ArrayLike | None = None
    ) -> NDArray[np.float64]: ...
    def centreline_ratio(self, x_m: ArrayLike) -> NDArray[np.float64]: ...
    def toxic_probability(
        self,
        substance: str,
        x_m: ArrayLike,
        y_m: ArrayLike,
        duration_s: float,
        cap_s: float = 1800.0,
        probit_set: str | None = None,
    ) -> NDArray[np.float64]: ...
    def distance_to(self, c_kg_m3: float) -> float: ...
    def toxic_reach(
        self,
        substance: str,
        duration_s: float,
        p_min: float = 1e-6,
        cap_s: float = 1800.0,
        probit_set: str | None = None,
    ) -> float: ...

@final
class BritterMcQuaidPuff:
    def __new__(
        cls,
        *,
        mass_kg: float,
        gas_density_kg_m3: float,
        wind_speed_m_s: float,
        air_density_kg_m3: float = 1.204,
    ) -> BritterMcQuaidPuff: ...
    @property
    def dense(self) -> bool: ...
    def max_concentration(self, x_m: ArrayLike) -> NDArray[np.float64]: ...

def _gas_discharge(
    area_m2: float,
    pressure_pa: float,
    temperature_k: float,
    molar_mass_kg_mol: float,
    gamma: float,
    ambient_pressure_pa: float,
    discharge_coefficient: float,
) -> dict[str, Any]: ...
def _gas_blowdown(
    volume_m3: float,
    area_m2: float,
    pressure_pa: float,
    temperature_k: float,
    molar_mass_kg_mol: float,
    gamma: float,
    ambient_pressure_pa: float,
    discharge_coefficient: float,
    times_s: list[float],
) -> dict[str, Any]: ...
def _liquid_discharge(
    area_m2: float,
    density_kg_m3: float,
    pressure_pa: float,
    ambient_pressure_pa: float,
    head_m: float,
    discharge_coefficient: float,
) -> float: ...
def _tank_drain(
    area_m2: float,
    tank_area_m2: float,
    density_kg_m3: float,
    overpressure_pa: float,
    head_m: float,
    discharge_coefficient: float,
    times_s: list[float],
) -> dict[str, Any]: ...
def _flash_fraction(
    temperature_k: float,
    boiling_point_k: float,
    cp_liquid_j_kg_k: float,
    heat_of_vaporisation_j_kg: float,
) -> float: ...
def _airborne_fraction(flash_fraction: float) -> tuple[float, float]: ...
def _two_phase_discharge(
    area_m2: float,
    temperature_k: float,
    pressure_pa: float,
    saturation_pressure_pa: float,
    liquid_density_kg_m3: float,
    heat_of_vaporisation_j_kg: float,
    cp_liquid_j_kg_k: float,
    molar_mass_kg_mol: float,
    boiling_point_k: float,
    discharge_coefficient: float,
) -> dict[str, Any]: ...
def _pool_evaporation(
    instantaneous_mass_kg: float,
    spill_rate_kg_s: float,
    spill_duration_s: float,
    liquid_density_kg_m3: float,
    boiling_point_k: float,
    heat_of_vaporisation_j_kg: float,
    molar_mass_kg_mol: float,
    vapour_pressure_pa: float,
    ground_temperature_k: float,
    ground_conductivity_w_m_k: float,
    ground_diffusivity_m2_s: float,
    wind_speed_m_s: float,
    schmidt_number: float,
    bund_area_m2: float | None,
    min_thickness_m: float,
    t_end_s: float,
    dt_s: float,
) -> dict[str, Any]: ...
def release_duration(
    inventory_kg: float,
    rate_kg_s: float,
    isolation_time_s: float | None = None,
    cap_s: float = 1800.0,
) -> float: ...
def toxic_probit(
    substance: str,
    concentration_kg_m3: ArrayLike,
    duration_s: ArrayLike,
    cap_s: float = 1800.0,
    probit_set: str | None = None,
) -> NDArray[np.float64]: ...
def toxic_load(
    substance: str,
    t_s: list[float],
    concentration_kg_m3: list[float],
    cap_s: float = 1800.0,
    probit_set: str | None = None,
) -> float: ...
def toxic_probit_from_load(substance: str, load: float, probit_set: str | None = None) -> float: ...
def indoor_concentration(
    t_s: list[float], concentration_kg_m3: list[float], air_changes_per_hour: float
) -> NDArray[np.float64]: ...
def threshold_concentration(substance: str, level: str) -> float: ...
# --- fire (issue 4) -------------------------------------------------------------------------------

@final
class PoolFire:
    def __new__(
        cls,
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
        duration_s: float = ...,
        n_phi: int = 24,
    ) -> PoolFire: ...
    @staticmethod
    def from_substance(name: str, diameter_m: float, wind_speed_m_s: float = 0.0) -> PoolFire: ...
    @property
    def flame_length_m(self) -> float: ...
    @property
    def tilt_rad(self) -> float: ...
    @property
    def sep_w_m2(self) -> float: ...
    @property
    def diameter_m(self) -> float: ...
    def heat_flux(
        self, x_m: NDArray[np.float64], y_m: NDArray[np.float64], z_m: NDArray[np.float64], orientation: object
    ) -> NDArray[np.float64]: ...
    def reach_m(self, flux_w_m2: float) -> float: ...
    def lethality_reach_m(self, rule: str = "purple-book", p_min: float = 1e-06) -> float: ...

@final
class JetFire:
    def __new__(
        cls,
        mass_rate_kg_s: float,
        heat_of_combustion_j_kg: float,
        radiant_fraction: float,
        *,
        release_point_m: tuple[float, float, float] = ...,
        direction: tuple[float, float, float] = ...,
        transmissivity: str = "aqt3046",
        relative_humidity: float = 0.7,
        air_temperature_k: float = 293.15,
        duration_s: float = ...,
        max_flux_w_m2: float = 350000.0,
    ) -> JetFire: ...
    @property
    def flame_length_m(self) -> float: ...
    @property
    def source_point_m(self) -> tuple[float, float, float]: ...
    def heat_flux(
        self, x_m: NDArray[np.float64], y_m: NDArray[np.float64], z_m: NDArray[np.float64], orientation: object
    ) -> NDArray[np.float64]: ...
    def reach_m(self, flux_w_m2: float) -> float: ...
    def lethality_reach_m(self, rule: str = "purple-book", p_min: float = 1e-06) -> float: ...

@final
class Fireball:
    def __new__(
        cls,
        mass_kg: float,
        heat_of_combustion_j_kg: float,
        radiant_fraction: float,
        *,
        transmissivity: str = "aqt3046",
        relative_humidity: float = 0.7,
        air_temperature_k: float = 293.15,
    ) -> Fireball: ...
    @staticmethod
    def radiant_fraction_from_pressure(pressure_pa: float) -> float: ...
    @property
    def diameter_m(self) -> float: ...
    @property
    def duration_s(self) -> float: ...
    @property
    def centre_height_m(self) -> float: ...
    @property
    def sep_w_m2(self) -> float: ...
    def heat_flux(
        self, x_m: NDArray[np.float64], y_m: NDArray[np.float64], z_m: NDArray[np.float64], orientation: object
    ) -> NDArray[np.float64]: ...
    def reach_m(self, flux_w_m2: float) -> float: ...
    def lethality_reach_m(self, rule: str = "purple-book", p_min: float = 1e-06) -> float: ...

def flash_fire_lethality(
    x_m: NDArray[np.float64], y_m: NDArray[np.float64], table_x_m: list[float], table_half_width_m: list[float]
) -> tuple[NDArray[np.float64], float]: ...
def steady_state_pool_diameter_m(leak_rate_kg_s: float, burning_rate_kg_m2_s: float) -> float: ...
def bunded_pool_diameter_m(area_m2: float) -> float: ...
def burgess_zabetakis_kg_m2_s(
    heat_of_combustion_j_kg: float,
    heat_of_vaporisation_j_kg: float,
    cp_liquid_j_kg_k: float,
    boiling_point_k: float,
    ambient_k: float,
) -> float: ...

# --- explosion (issue 4) --------------------------------------------------------------------------

def tnt_blast_arrays(
    tnt_mass_kg: float, distance_m: NDArray[np.float64]
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]: ...
def tnt_reach_m(tnt_mass_kg: float, overpressure_pa: float) -> float: ...
def tnt_mass_vce_kg(yield_factor: float, flammable_mass_kg: float, heat_of_combustion_j_kg: float) -> float: ...
def tnt_mass_condensed_kg(substance: str, mass_kg: float) -> float: ...
def brode_energy_j(
    pressure_pa: float, volume_m3: float, heat_capacity_ratio: float, ambient_pa: float = 101325.0
) -> float: ...

@final
class MultiEnergy:
    def __new__(cls, *, energy_j: float, strength: int) -> MultiEnergy: ...
    @staticmethod
    def from_volume(volume_m3: float, strength: int) -> MultiEnergy: ...
    @property
    def energy_j(self) -> float: ...
    @property
    def strength(self) -> int: ...
    def scaled_distance(self, distance_m: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def overpressure(self, distance_m: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def impulse(self, distance_m: NDArray[np.float64]) -> NDArray[np.float64]: ...

@final
class BakerStrehlowTang:
    def __new__(cls, *, energy_j: float, flame_mach: float) -> BakerStrehlowTang: ...
    @property
    def energy_j(self) -> float: ...
    @property
    def flame_mach(self) -> float: ...
    def overpressure(self, distance_m: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def impulse(self, distance_m: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def reach_m(self, overpressure_pa: float) -> float: ...

# --- thermal and blast vulnerability (issue 4) -----------------------------------------------------

def thermal_probit(
    heat_flux_w_m2: NDArray[np.float64], exposure_s: NDArray[np.float64], model: str
) -> NDArray[np.float64]: ...
def thermal_rule_lethality(
    heat_flux_w_m2: NDArray[np.float64], duration_s: NDArray[np.float64], rule: str, indoor: bool
) -> NDArray[np.float64]: ...
def overpressure_probit(
    overpressure_pa: NDArray[np.float64], impulse_pa_s: NDArray[np.float64], model: str
) -> NDArray[np.float64]: ...
def overpressure_rule_lethality(overpressure_pa: NDArray[np.float64], indoor: bool) -> NDArray[np.float64]: ...
# --- risk (issue 5) ----------------------------------------------------------------------------

from os import PathLike

@final
class Study:
    """A risk study (schema ``qra-study/1``), validated on construction."""

    @classmethod
    def from_file(cls, path: str | PathLike[str]) -> Study: ...
    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Study: ...
    @classmethod
    def from_json(cls, text: str) -> Study: ...
    @classmethod
    def from_toml(cls, text: str) -> Study: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def run(self, threads: int | None = None, progress: bool | Callable[[int, int], object] | None = None) -> RiskResult: ...
    def run_partial(self, installations: list[int], threads: int | None = None) -> PartialRun: ...
    def combine(self, parts: list[PartialRun]) -> RiskResult: ...
    def __reduce__(self) -> tuple[object, tuple[str]]: ...

@final
class PartialRun:
    """The work of some installations of a study (``Study.run_partial``)."""

    @property
    def installations(self) -> list[int]: ...
    def to_bytes(self) -> bytes: ...
    @classmethod
    def from_bytes(cls, data: bytes) -> PartialRun: ...
    def __reduce__(self) -> tuple[object, tuple[bytes]]: ...

@final
class RiskResult:
    """Individual risk grid, F-N curve, PLL and contributions of one run."""

    @property
    def x(self) -> NDArray[np.float64]: ...
    @property
    def y(self) -> NDArray[np.float64]: ...
    @property
    def individual_risk(self) -> NDArray[np.float64]: ...
    @property
    def pll(self) -> float: ...
    @property
    def max_n(self) -> float: ...
    def risk_at(self, points: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def contours(self, levels: list[float] | None = None) -> list[dict[str, Any]]: ...
    def to_geojson(self, levels: list[float] | None = None) -> dict[str, Any]: ...
    def fn_curve(self) -> Any: ...
    def contributions(self) -> Any: ...
    def targets(self) -> Any: ...
    def distance_to_level(self, installation: str, level: float) -> float: ...
    def check(
        self, criteria: str = "GB36894-2018", boundary: str = "on-line-is-better"
    ) -> Compliance: ...

@final
class Compliance:
    """A compliance report against a criteria set; ``print()`` it."""

    @property
    def passed(self) -> bool: ...
    @property
    def fn_zone(self) -> str: ...
    @property
    def worst_ratio(self) -> float: ...
    @property
    def max_n(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...

def criteria_sets() -> list[str]: ...

def explosive_safety_distance_m(substance: str, mass_kg: float, overpressure_threshold_pa: float) -> float: ...
def park_capacity(result: RiskResult, criteria: str = "GB36894-2018", pll_cap_per_year: float | None = None) -> dict[str, object]: ...
def loc_table_toml() -> str: ...
def ignition_table_toml() -> str: ...

@final
class WhatIf:
    """A park prepared for fast what-if questions (remove installations without recomputation)."""

    def __new__(cls, study: Study, threads: int | None = None) -> WhatIf: ...
    @property
    def installations(self) -> list[str]: ...
    def without(self, removed: list[str]) -> dict[str, Any]: ...

@final
class ParkRun:
    """A computed park: the full result of one study (as it is, or after a what-if)."""

    @property
    def result(self) -> RiskResult: ...
    @property
    def study(self) -> Study: ...
    @property
    def facilities(self) -> list[str]: ...
    @property
    def passed(self) -> bool: ...
    @property
    def capacity(self) -> dict[str, Any]: ...
    def contribution_rows(self, by_facility: bool = True) -> list[dict[str, Any]]: ...
    @property
    def target_ids(self) -> list[str]: ...
    @property
    def fn_share_n(self) -> list[float]: ...

@final
class Park:
    """A park of facilities prepared for contributions and fast what-if questions."""

    def __new__(
        cls,
        study: Study,
        criteria: str = "GB36894-2018",
        pll_cap_per_year: float | None = None,
        threads: int | None = None,
    ) -> Park: ...
    @property
    def facilities(self) -> list[str]: ...
    @property
    def base(self) -> ParkRun: ...
    @property
    def study(self) -> Study: ...
    def what_if(
        self,
        remove: list[str] = ...,
        moves: list[tuple[str, float, float]] = ...,
        add: list[str] = ...,
    ) -> ParkRun: ...
    def siting_map(self, template: str, spacing_m: float = 300.0) -> dict[str, Any]: ...

def domino_first_level(study: Study) -> tuple[list[dict[str, Any]], Study]: ...
