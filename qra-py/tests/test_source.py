"""qra.source and the toxic functions of qra.vulnerability."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra
from qra import source
from qra.vulnerability import (
    indoor_concentration,
    threshold_concentration,
    toxic_load,
    toxic_probability,
    toxic_probit,
    toxic_probit_from_load,
)


def test_choked_air_matches_fliegner():
    # Fliegner: ṁ/A = 0.0404 p0/√T0 for air (SI); 3-digit constant, so 0.2 %.
    r = source.gas_discharge(
        2 * math.sqrt(1 / math.pi), 1e6, 293.15, molar_mass_kg_mol=0.02897, gamma=1.4,
        discharge_coefficient=1.0,
    )
    assert r["choked"]
    assert_allclose(r["rate_kg_s"], 0.0404 * 1e6 / math.sqrt(293.15), rtol=2e-3)


def test_gas_discharge_substance_defaults_and_errors():
    r = source.gas_discharge(0.01, 5e5, 293.15, "methane")
    assert r["rate_kg_s"] > 0
    with pytest.raises(qra.InvalidInputError):
        source.gas_discharge(0.01, 0.5e5, 293.15, "methane")
    with pytest.raises(qra.InvalidInputError):
        source.gas_discharge(-0.01, 5e5, 293.15, "methane")


def test_blowdown_mass_balance():
    t = np.linspace(0, 3000, 3001)
    b = source.gas_blowdown(10.0, 0.01, 50e5, 300.0, t, molar_mass_kg_mol=0.016, gamma=1.31)
    released = np.trapezoid(b["rate_kg_s"], b["time_s"])
    assert_allclose(released, b["mass_kg"][0] - b["mass_kg"][-1], rtol=5e-3)
    assert np.all(np.diff(b["pressure_pa"]) <= 0)


def test_liquid_discharge_torricelli():
    # ṁ = C_d A ρ √(2 g h) (Crowl & Louvar eq. 4-6, p = p_a), hand value.
    m = source.liquid_discharge(
        2 * math.sqrt(1e-3 / math.pi), 101_325.0, density_kg_m3=1000.0, head_m=5.0
    )
    assert_allclose(m, 0.61 * 1e-3 * 1000 * math.sqrt(2 * 9.80665 * 5), rtol=1e-12)
    d = source.tank_drain(0.05, 10.0, 4.0, [0.0, 1e6], density_kg_m3=800.0)
    assert_allclose(d["head_m"][0], 4.0, rtol=1e-12)
    assert d["head_m"][1] == 0.0


def test_flashing_release():
    f = source.flash_fraction(293.15, "ammonia")
    assert 0.1 < f < 0.3  # ammonia at 20 °C flashes ~18-20 % (Crowl & Louvar Example 4-8 order)
    air, rain = source.airborne_fraction(f)
    assert_allclose(air + rain, 1.0)
    r = source.two_phase_discharge(0.025, 293.15, "ammonia")
    assert r["rate_kg_s"] > 0
    assert_allclose(r["mass_flux_kg_m2_s"], r["erm_flux_kg_m2_s"])


def test_pool_boiling_and_non_boiling():
    b = source.pool_evaporation("propane", instantaneous_mass_kg=2000.0, bund_area_m2=100.0)
    assert b["boiling"]
    assert_allclose(b["spilled_kg"], b["liquid_mass_kg"] + b["evaporated_kg"], rtol=1e-12)
    n = source.pool_evaporation(
        "benzene", spill_rate_kg_s=5.0, spill_duration_s=600.0, t_end_s=900.0
    )
    assert not n["boiling"] and n["max_rate_kg_s"] > 0
    with pytest.raises(qra.InvalidInputError):
        source.pool_evaporation("propane", instantaneous_mass_kg=-5.0)


def test_release_duration():
    assert source.release_duration(1e6, 10.0) == 1800.0
    assert source.release_duration(1e3, 10.0) == 100.0
    assert source.release_duration(1e6, 10.0, isolation_time_s=600.0) == 600.0


def test_toxic_probit_units_explicit():
    # Withers & Lees chlorine (ppm, min): Pr = −8.29 + 0.92 ln(C² t); 433 ppm for 10 min ≈ LC50.
    c = 433.0 * 1e-6 * 101325 * 0.070906 / (8.314462618 * 298.15)
    pr = toxic_probit("chlorine", c, 600.0, probit_set="withers-lees-1985")
    assert_allclose(pr, -8.29 + 0.92 * math.log(433.0**2 * 10.0), rtol=1e-9)
    p = toxic_probability("chlorine", [0.0, c], 600.0, probit_set="withers-lees-1985")
    assert p[0] == 0.0 and 0.45 < p[1] < 0.55
    # 30-min cap: 1 h exposure = 30 min exposure.
    assert toxic_probit("chlorine", c, 3600.0) == toxic_probit("chlorine", c, 1800.0)
    with pytest.raises(qra.InvalidInputError):
        toxic_probit("chlorine", -1.0, 60.0)
    with pytest.raises(qra.InvalidInputError):
        toxic_probit("chlorine", float("nan"), 60.0)


def test_toxic_load_and_indoor():
    t = np.linspace(0, 600, 601)
    c = np.full_like(t, 3e-3)
    load = toxic_load("chlorine", t, c, probit_set="withers-lees-1985")
    assert_allclose(
        toxic_probit_from_load("chlorine", load, probit_set="withers-lees-1985"),
        toxic_probit("chlorine", 3e-3, 600.0, probit_set="withers-lees-1985"),
        rtol=1e-9,
    )
    ci = indoor_concentration(t, c, 2.0)
    assert np.all(ci <= c) and ci[-1] > 0
    assert threshold_concentration("chlorine", "erpg3") > threshold_concentration("chlorine", "erpg2")
    with pytest.raises(qra.UnknownNameError):
        threshold_concentration("chlorine", "aegl9")
