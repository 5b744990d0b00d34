"""Type stubs of the compiled module ``qra._qra`` (checked with ``python -m mypy.stubtest qra``)."""

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
