"""qra.fire: pool fire, jet fire, fireball, flash fire."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra
from qra.fire import Fireball, JetFire, PoolFire, flash_fire_lethality


def _mudan_vertical(r, h, x):
    """Mudan (1984) closed-form view factors of a vertical cylinder to a ground-level receiver
    (CCPS 1999 eqs. 3.4.39-43), written independently here from the published equations."""
    hh, s = h / r, x / r
    a = (hh * hh + s * s + 1) / (2 * s)
    b = (1 + s * s) / (2 * s)
    q = math.atan(math.sqrt((a + 1) * (s - 1) / ((a - 1) * (s + 1))))
    fv = (
        math.atan(hh / math.sqrt(s * s - 1)) / (math.pi * s)
        - hh / (math.pi * s) * math.atan(math.sqrt((s - 1) / (s + 1)))
        + a * hh / (math.pi * s * math.sqrt(a * a - 1)) * q
    )
    fh = (b - 1 / s) / (math.pi * math.sqrt(b * b - 1)) * math.atan(
        math.sqrt((b + 1) * (s - 1) / ((b - 1) * (s + 1)))
    ) - (a - 1 / s) / (math.pi * math.sqrt(a * a - 1)) * q
    return fv, fh


def test_pool_fire_view_factor_matches_mudan_closed_form():
    # Fixed SEP and no absorption, so q / SEP is the view factor.
    f = PoolFire(20.0, 0.05, 45e6, sep_w_m2=100e3, transmissivity="none")
    r, h = 10.0, f.flame_length_m
    for x in (15.0, 30.0, 60.0, 150.0):
        fv, fh = _mudan_vertical(r, h, x)
        qv = f.heat_flux(x, 0.0, 0.0, orientation=(-1.0, 0.0, 0.0))
        qh = f.heat_flux(x, 0.0, 0.0, orientation="horizontal")
        assert_allclose(qv / 100e3, fv, rtol=5e-3)
        assert_allclose(qh / 100e3, fh, rtol=5e-3)


def test_pool_fire_hand_computation_lng():
    # Thomas (1963) and radiative-fraction SEP by hand for LNG, D = 20 m (see Rust tests):
    # L = 31.68 m, SEP = 186.2 kW/m2.
    f = PoolFire.from_substance("lng", 20.0)
    assert_allclose(f.flame_length_m, 31.68, rtol=5e-3)
    assert_allclose(f.sep_w_m2, 186.2e3, rtol=5e-3)
    assert f.tilt_rad == 0.0


def test_heat_flux_shapes_bounds_inside_and_monotone():
    f = PoolFire.from_substance("gasoline", 15.0, wind_speed_m_s=5.0)
    x = np.linspace(-200, 200, 81)
    xx, yy = np.meshgrid(x, x)
    q = f.heat_flux(xx, yy, 0.0)
    assert q.shape == xx.shape
    assert np.isfinite(q).all() and (q >= 0).all() and (q <= f.sep_w_m2 + 1e-9).all()
    # Inside the flame: SEP (documented value).
    assert f.heat_flux(0.0, 0.0, 1.0) == pytest.approx(f.sep_w_m2)
    # Downwind > upwind (tilt); decreasing with distance downwind.
    down = f.heat_flux(np.array([30.0, 60.0, 120.0]), 0.0, 0.0)
    up = f.heat_flux(np.array([-30.0, -60.0, -120.0]), 0.0, 0.0)
    assert (down > up).all() and (np.diff(down) < 0).all()


def test_reach_is_consistent_with_heat_flux():
    f = PoolFire.from_substance("lng", 20.0, wind_speed_m_s=3.0)
    r = f.reach_m(5e3)
    assert f.heat_flux(r * 1.01, 0.0, 0.0) < 5e3 < f.heat_flux(r * 0.95, 0.0, 0.0)
    assert f.lethality_reach_m("purple-book", 1e-6) > 0
    with pytest.raises(qra.UnknownNameError):
        f.lethality_reach_m("nope")


def test_bad_inputs_raise_typed_errors():
    with pytest.raises(qra.InvalidInputError) as e:
        PoolFire(-1.0, 0.05, 45e6)
    assert e.value.argument == "diameter_m"
    with pytest.raises(qra.InvalidInputError):
        PoolFire(10.0, float("nan"), 45e6)
    with pytest.raises(qra.InvalidInputError):
        PoolFire(10.0, 0.05, 45e6, sep_model="radiative-fraction", radiative_fraction=1.5)
    with pytest.raises(qra.UnknownNameError):
        PoolFire(10.0, 0.05, 45e6, sep_model="magic")
    f = PoolFire(10.0, 0.05, 45e6)
    with pytest.raises(qra.InvalidInputError):
        f.heat_flux(np.nan, 0.0, 0.0)
    with pytest.raises(qra.InvalidInputError):
        f.heat_flux(10.0, 0.0, 0.0, orientation=(0.0, 0.0, 0.0))
    with pytest.raises(qra.InvalidInputError):
        JetFire(-1.0, 46e6, 0.2)
    with pytest.raises(qra.InvalidInputError):
        Fireball(-5.0, 46e6, 0.3)


def test_jet_fire_point_source_by_hand():
    # API 521 point source: q = F m dHc / (4 pi d^2) with no absorption.
    j = JetFire(5.0, 46.35e6, 0.2, release_point_m=(0.0, 0.0, 1.0), transmissivity="none")
    assert_allclose(j.flame_length_m, (5.0 * 46.35e6) ** 0.444 / 161.66, rtol=1e-12)
    cx, cy, cz = j.source_point_m
    q = j.heat_flux(cx, 50.0, cz)
    assert_allclose(q, 0.2 * 5.0 * 46.35e6 / (4 * math.pi * 2500.0), rtol=1e-12)
    # At the source: the documented cap, finite.
    assert j.heat_flux(cx, cy, cz) == pytest.approx(350e3)


def test_fireball_ccps_correlations_by_hand():
    f = Fireball(1000.0, 46.35e6, 0.3, transmissivity="none")
    assert_allclose(f.diameter_m, 58.0, rtol=1e-12)
    assert_allclose(f.duration_s, 4.5, rtol=1e-12)
    assert_allclose(f.centre_height_m, 43.5, rtol=1e-12)
    assert_allclose(f.sep_w_m2, 0.3 * 1000 * 46.35e6 / (math.pi * 58.0**2 * 4.5), rtol=1e-12)
    r = math.hypot(200.0, 43.5)
    assert_allclose(f.heat_flux(200.0, 0.0, 0.0), f.sep_w_m2 * (29.0 / r) ** 2, rtol=1e-12)
    assert_allclose(Fireball.radiant_fraction_from_pressure(1e6), 0.27, rtol=1e-12)


def test_flash_fire_rule():
    let, reach = flash_fire_lethality([25.0, 25.0, 200.0], [12.0, 13.0, 0.0], [0.0, 50.0, 100.0], [5.0, 20.0, 0.0])
    assert_allclose(let, [1.0, 0.0, 0.0])
    assert reach == pytest.approx(100.0)
    with pytest.raises(qra.InvalidInputError):
        flash_fire_lethality([1.0], [1.0], [0.0, 0.0], [1.0, 1.0])


def test_pool_diameter_helpers():
    assert_allclose(qra.fire.bunded_pool_diameter_m(100.0), math.sqrt(400.0 / math.pi))
    d = qra.fire.steady_state_pool_diameter_m(10.0, 0.05)
    assert_allclose(math.pi * d * d / 4 * 0.05, 10.0)


def test_chamberlain_jet_fire():
    j = qra.fire.ChamberlainJetFire(
        10.0,
        50e6,
        jet_velocity_m_s=400.0,
        jet_density_kg_m3=0.8,
        stoich_mass_fraction=0.055,
        wind_speed_m_s=5.0,
        transmissivity="none",
    )
    g = j.geometry
    assert 0.0 < g["tilt_deg"] <= 90.0 and g["length_m"] > g["frustum_length_m"] > 0.0
    assert "ChamberlainJetFire(" in repr(j)
    x = np.array([-60.0, -30.0, 30.0, 60.0])
    q = j.heat_flux(x, 0.0, 0.0)
    assert np.isfinite(q).all() and (q >= 0).all()
    assert q[2] > q[1] and q[3] > q[0]  # downwind tilt
    with pytest.raises(qra.InvalidInputError):
        qra.fire.ChamberlainJetFire(-1.0, 50e6, jet_velocity_m_s=400.0, jet_density_kg_m3=0.8, stoich_mass_fraction=0.055)


def test_pool_fire_flame_drag():
    kw = dict(wind_speed_m_s=5.0, transmissivity="none")
    plain = PoolFire(20.0, 0.078, 50e6, **kw)
    drag = PoolFire(20.0, 0.078, 50e6, flame_drag="moorhouse", **kw)
    q0, q1 = plain.heat_flux(40.0, 0.0), drag.heat_flux(40.0, 0.0)
    assert q1 > q0 > 0.0
    with pytest.raises(qra.QraError):
        PoolFire(20.0, 0.078, 50e6, flame_drag="agaa", **kw)


# --- pool-fire flame tilt option --------------------------------------------------------------


def _yb_6_6_3(**kw):
    """TNO Yellow Book (CPR 14E, 3rd ed. 2005) §6.6.3 benzene pool fire, **secondary**: inputs and
    printed answers as transcribed by a public validation oracle and used by
    qra-core/tests/worked_examples_fire_explosion.rs (`yellow_book_6_6_3_pool_fire_end_to_end`):
    D from V = 28.3 m³ spread 0.02 m, m″ = 0.085·(1 − e^(−2.7·D)), ΔHc = 40.15 MJ/kg, u10 = 5 m/s,
    ρ_air = 1.2243 kg/m³ (also the u* density, the book's convention), Thomas with wind,
    ν = 7.5133e-6 m²/s as printed."""
    d = math.sqrt(4 * 28.3 / (math.pi * 0.02))
    args = dict(wind_speed_m_s=5.0, vapour_density_kg_m3=1.2243, air_density_kg_m3=1.2243,
                flame_length="thomas-wind", transmissivity="none")
    args.update(kw)
    return d, PoolFire(d, 0.085 * (1 - math.exp(-2.7 * d)), 4.015e7, **args)


def test_pool_fire_yellow_book_tilt_reproduces_6_6_3():
    # Printed: tilt 50.8286°, sin θ/cos² θ = 1.94315. Tolerance 0.5 % (WORKED_EXAMPLE in
    # qra-core/src/tolerance.rs: the book prints 6 significant figures but its Fr is an erratum,
    # see the Rust test).
    _, pool = _yb_6_6_3(tilt="yellow-book", kinematic_viscosity_m2_s=7.5133e-6)
    t = pool.tilt_rad
    assert_allclose(math.degrees(t), 50.8286, rtol=5e-3)
    assert_allclose(math.sin(t) / math.cos(t) ** 2, 1.94315, rtol=5e-3)


def test_pool_fire_tilt_hand_computations():
    # Hand computation of both correlations (written here from the documented equations):
    # Yellow Book sin θ/cos² θ = c = 0.666·Fr^0.333·Re^0.117, Fr = u²/(gD), Re = u·D/ν, solved
    # θ = asin((√(4c² + 1) − 1)/(2c)); AGA cos θ = 1/√u*, u* = u/(g·m″·D/ρv)^(1/3) for u* > 1.
    g = 9.80665
    d, m, u, rv = 20.0, 0.078, 6.0, 2.0
    for nu in (1.5e-5, 7.5e-6):
        kw = {} if nu == 1.5e-5 else {"kinematic_viscosity_m2_s": nu}  # 1.5e-5 is the default
        pool = PoolFire(d, m, 45e6, wind_speed_m_s=u, vapour_density_kg_m3=rv, tilt="yellow-book", **kw)
        c = 0.666 * (u * u / (g * d)) ** 0.333 * (u * d / nu) ** 0.117
        assert_allclose(pool.tilt_rad, math.asin((math.sqrt(4 * c * c + 1) - 1) / (2 * c)), rtol=1e-12)
    aga = PoolFire(d, m, 45e6, wind_speed_m_s=u, vapour_density_kg_m3=rv)
    u_star = u / (g * m * d / rv) ** (1 / 3)
    assert u_star > 1
    assert_allclose(aga.tilt_rad, math.acos(1 / math.sqrt(u_star)), rtol=1e-12)
    assert aga == PoolFire(d, m, 45e6, wind_speed_m_s=u, vapour_density_kg_m3=rv, tilt="aga")
    # Calm: vertical with either correlation; the tilt changes the flux downwind.
    assert PoolFire(d, m, 45e6, tilt="yellow-book").tilt_rad == 0.0
    yb = PoolFire(d, m, 45e6, wind_speed_m_s=u, vapour_density_kg_m3=rv, tilt="yellow-book")
    assert yb.tilt_rad != aga.tilt_rad and yb.heat_flux(40.0, 0.0) != aga.heat_flux(40.0, 0.0)


def test_pool_fire_tilt_bad_inputs_raise():
    for name in ("yellowbook", "AGAA", "", "thomas"):
        with pytest.raises(ValueError, match=r"tilt.*'aga'.*'yellow-book'") as e:
            PoolFire(20.0, 0.078, 45e6, tilt=name)
        assert isinstance(e.value, qra.InvalidInputError) and e.value.argument == "tilt"
    for nu in (float("nan"), -1.5e-5, 0.0, float("inf"), 1.0):
        with pytest.raises(qra.InvalidInputError) as e:
            PoolFire(20.0, 0.078, 45e6, wind_speed_m_s=3.0, tilt="yellow-book", kinematic_viscosity_m2_s=nu)
        assert e.value.argument == "kinematic_viscosity_m2_s"
    with pytest.raises(qra.InvalidInputError) as e:  # only meaningful with the Yellow Book tilt
        PoolFire(20.0, 0.078, 45e6, kinematic_viscosity_m2_s=1.5e-5)
    assert e.value.argument == "kinematic_viscosity_m2_s"
    # case and separators as for the other model names
    assert PoolFire(20.0, 0.078, 45e6, wind_speed_m_s=3.0, tilt="Yellow_Book") == PoolFire(
        20.0, 0.078, 45e6, wind_speed_m_s=3.0, tilt="yellow-book")


def test_pool_fire_tilt_kept_by_repr_and_pickle():
    import pickle

    _, pool = _yb_6_6_3(tilt="yellow-book", kinematic_viscosity_m2_s=7.5133e-6, flame_drag="moorhouse")
    r = repr(pool)
    assert "tilt='yellow-book', kinematic_viscosity_m2_s=7.5133e-6" in r and "flame_drag='moorhouse'" in r
    assert eval(r, {"PoolFire": PoolFire, "inf": float("inf")}) == pool  # noqa: S307 - our own repr
    back = pickle.loads(pickle.dumps(pool))
    assert back == pool and back.tilt_rad == pool.tilt_rad
    assert "tilt=" not in repr(PoolFire(20.0, 0.078, 45e6))  # the default (AGA) is not spelled out
    # a non-default quadrature is in the repr too, and the repr stays evaluable
    fine = PoolFire(20.0, 0.078, 45e6, wind_speed_m_s=3.0, n_phi=96, tilt="yellow-book")
    assert "n_phi=96" in repr(fine)
    assert eval(repr(fine), {"PoolFire": PoolFire, "inf": float("inf")}) == fine  # noqa: S307
    with pytest.raises(qra.InvalidInputError):
        PoolFire(20.0, 0.078, 45e6, n_phi=4)
