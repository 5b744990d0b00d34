"""qra.dispersion: Gaussian plume/puff, sigmas, Britter–McQuaid."""

import math
import threading

import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra
from qra.dispersion import (
    AerosolMixture,
    BritterMcQuaidPlume,
    BritterMcQuaidPuff,
    FreeJet,
    GaussianPlume,
    GaussianPuff,
    sigmas,
)


def test_tno_sigmas_cross_tool():
    # GasDispersion.jl test values (shared/reference/models.md §3.1): TNO, class A, x = 1.2 m.
    sy, sz = sigmas(1.2, "A", scheme="tno")
    assert_allclose(sy, 0.6170244776546403, rtol=1e-12)
    assert_allclose(sz, 0.3299295029728027, rtol=1e-12)


def test_briggs_hand_values_and_shapes():
    # Briggs rural D at 1 km: σy = 80/√1.1, σz = 60/√2.5 (hand computation of the cited formula).
    sy, sz = sigmas(np.array([1000.0, 2000.0]), "D")
    assert sy.shape == (2,)
    assert_allclose(sy[0], 80 / math.sqrt(1.1), rtol=1e-12)
    assert_allclose(sz[0], 60 / math.sqrt(2.5), rtol=1e-12)
    assert sigmas(5.0, "f")[0].shape == ()


def plume(**kw):
    args = dict(rate_kg_s=1.0, wind_speed_m_s=3.0, stability="D")
    args.update(kw)
    return GaussianPlume(**args)


def test_plume_ground_centreline_formula():
    # Ground release, ground receptor: C = Q/(π u σy σz) (Crowl & Louvar 2011 eq. 5-49 with
    # H = z = y = 0), u = 10 m wind.
    p = plume()
    sy, sz = sigmas(500.0, "D")
    assert_allclose(p.concentration(500.0), 1.0 / (math.pi * 3.0 * sy * sz), rtol=1e-12)


def test_plume_mass_flux_conserved():
    p = plume(release_height_m=10.0, stability="C")
    x = 400.0
    sy, sz = sigmas(x, "C")
    y = np.linspace(-8 * sy, 8 * sy, 801)
    z = np.linspace(0, 10 + 8 * sz, 801)
    Y, Z = np.meshgrid(y, z)
    c = p.concentration(x, Y, Z)
    flux = np.trapezoid(np.trapezoid(c, y, axis=1), z) * p.transport_speed_m_s
    assert_allclose(flux, 1.0, rtol=2e-3)


def test_defined_values_upwind_and_at_source():
    p = plume()
    c = p.concentration([-10.0, 0.0, 1e-9, 100.0], 0.0, 0.0)
    assert c[0] == 0.0 and c[1] == 0.0
    assert np.all(np.isfinite(c))
    puff = GaussianPuff(mass_kg=10.0, wind_speed_m_s=2.0, stability="F")
    assert puff.concentration(0.0, 0.0, 0.0, 0.0) == 0.0
    assert np.isfinite(puff.concentration(0.0, 0.0, 0.0, 1e-9))


@pytest.mark.parametrize(
    "kw",
    [
        dict(stability="G"),
        dict(wind_speed_m_s=0.0),
        dict(rate_kg_s=-1.0),
        dict(rate_kg_s=float("nan")),
        dict(terrain="moon"),
        dict(scheme="nope"),
        dict(mixing_height_m=50.0, release_height_m=60.0),
    ],
)
def test_bad_plume_inputs(kw):
    with pytest.raises(qra.QraError):
        plume(**kw)


def test_bad_inputs_are_typed():
    with pytest.raises(qra.UnknownNameError):
        plume(stability="G")
    with pytest.raises(qra.InvalidInputError):
        plume(wind_speed_m_s=0.0)
    with pytest.raises(qra.InvalidInputError):
        plume(rate_kg_s=-1.0)
    with pytest.raises(qra.InvalidInputError):
        plume().concentration([1.0, float("nan")], 0.0, 0.0)
    puff = GaussianPuff(mass_kg=1.0, wind_speed_m_s=2.0, stability="D")
    with pytest.raises(qra.InvalidInputError):
        puff.concentration(10.0, 0.0, 0.0, -1.0)
    with pytest.raises(ValueError):
        sigmas(float("nan"), "D")


def test_puff_mass_conservation_and_finite_duration():
    puff = GaussianPuff(mass_kg=100.0, wind_speed_m_s=3.0, stability="D")
    t = 200.0
    xc = 3.0 * t
    sy, sz = sigmas(xc, "D", scheme="ccps-puff")
    x = np.linspace(xc - 6 * sy, xc + 6 * sy, 121)
    y = np.linspace(-6 * sy, 6 * sy, 121)
    z = np.linspace(0, 6 * sz, 121)
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    c = puff.concentration(X, Y, Z, t)
    m = np.trapezoid(np.trapezoid(np.trapezoid(c, z, axis=2), y, axis=1), x)
    assert_allclose(m, 100.0, rtol=2e-3)
    # A long finite-duration release reaches the steady plume (Palazzi et al. 1982).
    long = GaussianPuff(
        mass_kg=2.0 * 1e5, wind_speed_m_s=3.0, stability="D", duration_s=1e5, scheme="briggs"
    )
    assert_allclose(
        long.concentration(300.0, 5.0, 1.0, 5e3), plume(rate_kg_s=2.0).concentration(300.0, 5.0, 1.0),
        rtol=1e-9,
    )


def test_lfl_distance_footprint_and_flammable_mass():
    p = GaussianPlume(rate_kg_s=5.0, wind_speed_m_s=2.0, stability="F")
    lfl = 0.02
    d = p.distance_to(lfl)
    assert_allclose(p.concentration(d), lfl, rtol=1e-4)
    assert p.distance_to(lfl / 2) > d
    w = p.half_width(np.linspace(1, d * 1.2, 50), lfl)
    assert w.max() > 0 and w[-1] == 0.0
    m = p.flammable_mass(lfl, 0.2)
    assert 0 < m < 5.0 * d / p.transport_speed_m_s


def test_toxic_reach_decreases_with_p_min():
    p = GaussianPlume(rate_kg_s=2.0, wind_speed_m_s=2.0, stability="F")
    r6 = p.toxic_reach("chlorine", 1800.0, p_min=1e-6)
    r2 = p.toxic_reach("chlorine", 1800.0, p_min=1e-2)
    assert r6 > r2 > 0


def test_toxic_probability_footprint():
    p = GaussianPlume(rate_kg_s=2.0, wind_speed_m_s=2.0, stability="F")
    reach = p.toxic_reach("chlorine", 1800.0, probit_set="withers-lees-1985")
    x = np.array([[reach, 500.0], [-5.0, 500.0]])
    y = np.array([[0.0, 20.0], [0.0, -20.0]])
    pr = p.toxic_probability("chlorine", x, y, 1800.0, probit_set="withers-lees-1985")
    assert pr.shape == (2, 2)
    assert_allclose(pr[0, 0], 1e-6, rtol=1e-3)
    assert pr[1, 0] == 0.0 and pr[0, 1] == pr[1, 1]
    with pytest.raises(qra.InvalidInputError):
        p.toxic_probability("chlorine", [float("nan")], [0.0], 60.0)


def test_britter_mcquaid():
    bm = BritterMcQuaidPlume(rate_kg_s=10.0, gas_density_kg_m3=3.2, wind_speed_m_s=2.0)
    assert bm.dense
    x = np.geomspace(10, 5000, 50)
    r = bm.centreline_ratio(x)
    assert np.all(np.diff(r) <= 0) and r.max() <= 1
    c = bm.concentration(x)
    assert np.all(c > 0)
    assert bm.distance_to(0.01) > 0
    light = BritterMcQuaidPlume(rate_kg_s=10.0, gas_density_kg_m3=0.7, wind_speed_m_s=2.0)
    assert not light.dense
    puff = BritterMcQuaidPuff(mass_kg=5000.0, gas_density_kg_m3=3.0, wind_speed_m_s=2.0)
    assert puff.dense
    c = puff.max_concentration([100.0, 1000.0])
    assert c[0] > c[1] > 0
    with pytest.raises(qra.InvalidInputError):
        BritterMcQuaidPuff(mass_kg=-1.0, gas_density_kg_m3=3.0, wind_speed_m_s=2.0)


def test_threads_give_same_answer():
    p = plume()
    x = np.linspace(1, 2000, 100_000)
    ref = p.concentration(x, 10.0, 1.0)
    out = []

    def run():
        out.append(p.concentration(x, 10.0, 1.0))

    ts = [threading.Thread(target=run) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for o in out:
        assert np.array_equal(o, ref)


def test_pickle_round_trip():
    import pickle

    p = plume(release_height_m=3.0, mixing_height_m=500.0)
    q = pickle.loads(pickle.dumps(p))
    assert_allclose(q.concentration([10.0, 500.0], 2.0, 1.0), p.concentration([10.0, 500.0], 2.0, 1.0), rtol=0)
    pf = GaussianPuff(mass_kg=5.0, wind_speed_m_s=2.0, stability="E", duration_s=30.0)
    qf = pickle.loads(pickle.dumps(pf))
    assert qf.concentration(100.0, 0.0, 0.0, 60.0) == pf.concentration(100.0, 0.0, 0.0, 60.0)
    with pytest.raises(qra.InvalidInputError):
        GaussianPlume.from_json(p.to_json().replace('"rate_kg_s":1.0', '"rate_kg_s":-1.0'))


def test_repr():
    assert "GaussianPlume(rate_kg_s=1" in repr(plume())


# --- no panics for any float input (hypothesis) ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1e308, -1e308, 5e-324]
)


@settings(max_examples=200, deadline=None)
@given(_floats, _floats, _floats, _floats, _floats, st.sampled_from(["A", "D", "F", "G", ""]))
def test_models_never_panic(q, u, h, x, t, s):
    for build in (
        lambda: GaussianPlume(rate_kg_s=q, wind_speed_m_s=u, stability=s, release_height_m=h),
        lambda: GaussianPuff(mass_kg=q, wind_speed_m_s=u, stability=s, duration_s=h or None),
        lambda: BritterMcQuaidPlume(rate_kg_s=q, gas_density_kg_m3=h, wind_speed_m_s=u),
        lambda: BritterMcQuaidPuff(mass_kg=q, gas_density_kg_m3=h, wind_speed_m_s=u),
    ):
        try:
            m = build()
        except qra.QraError:
            continue
        try:
            if isinstance(m, GaussianPuff):
                c = m.concentration(x, t, h, abs(t))
            elif isinstance(m, BritterMcQuaidPuff):
                c = m.max_concentration(x)
            else:
                c = m.concentration(x, t, abs(h))
            assert not np.any(np.isnan(c))
        except qra.QraError:
            pass


@settings(max_examples=200, deadline=None)
@given(_floats, _floats, _floats, _floats)
def test_source_never_panics(a, b, c, d):
    from qra import source

    calls = (
        lambda: source.gas_discharge(a, b, c, molar_mass_kg_mol=d, gamma=1.4),
        lambda: source.liquid_discharge(a, b, density_kg_m3=c, head_m=d),
        lambda: source.flash_fraction(a, boiling_point_k=b, cp_liquid_j_kg_k=c,
                                      heat_of_vaporisation_j_kg=d),
        lambda: source.release_duration(a, b, None, c),
        lambda: qra.vulnerability.toxic_probit("chlorine", a, b, cap_s=c),
    )
    for f in calls:
        try:
            f()
        except qra.QraError:
            pass


def test_min_transport_height():
    # Hand computation: 4 m/s at 2 m, class D rural (p = 0.15), ground release. With the 10 m
    # floor the transport speed is 4·5^0.15; with the floor at 2 m it is 4 m/s, so C scales by
    # 5^0.15.
    kw = dict(rate_kg_s=1.0, wind_speed_m_s=4.0, stability="D", wind_height_m=2.0)
    c10 = GaussianPlume(**kw).concentration(200.0)
    c2 = GaussianPlume(**kw, min_transport_height_m=2.0).concentration(200.0)
    assert_allclose(c2 / c10, 5.0**0.15, rtol=1e-12)
    with pytest.raises(qra.InvalidInputError):
        GaussianPlume(**kw, min_transport_height_m=0.0)
    pk = dict(mass_kg=1.0, wind_speed_m_s=4.0, stability="D", wind_height_m=2.0)
    d10 = GaussianPuff(**pk).dose(200.0)
    d2 = GaussianPuff(**pk, min_transport_height_m=2.0).dose(200.0)
    assert_allclose(d2 / d10, 5.0**0.15, rtol=1e-12)


def test_britter_mcquaid_non_isothermal():
    # CCPS (1999) p. 122 Burro LNG example as quoted by GasDispersion.jl docs (secondary):
    # ~5 % v/v at 367 m; nomogram read at C* = C/(C + (1 − C)·T_a/T0).
    rho_air = 101325.0 * 0.028965 / (8.314462618 * 298.0)
    bm = BritterMcQuaidPlume(rate_kg_s=0.23 * 425.6, gas_density_kg_m3=1.76, wind_speed_m_s=10.9,
                             stability="F", air_density_kg_m3=rho_air,
                             source_temperature_k=111.15, ambient_temperature_k=298.0)
    c = bm.centreline_ratio(367.0)
    cs = bm.nomogram_ratio(367.0)
    assert_allclose(c, 0.05, rtol=0.10)
    r = 298.0 / 111.15
    assert_allclose(cs, c / (c + (1 - c) * r), rtol=1e-12)
    with pytest.raises(qra.InvalidInputError):
        BritterMcQuaidPuff(mass_kg=1.0, gas_density_kg_m3=3.0, wind_speed_m_s=2.0,
                           source_temperature_k=float("nan"))


def test_britter_mcquaid_non_isothermal_pickles_exactly():
    # The serde form carries T_a/T0; a round trip must keep the temperature correction (it was
    # dropped before: the unpickled plume was isothermal).
    import pickle

    for t0, ta in [(111.15, 298.0), (600.0, 293.15), (240.0, 240.0 * 1.5)]:
        bm = BritterMcQuaidPlume(rate_kg_s=50.0, gas_density_kg_m3=1.76, wind_speed_m_s=3.0,
                                 source_temperature_k=t0, ambient_temperature_k=ta)
        back = pickle.loads(pickle.dumps(bm))
        assert back == bm
        x = np.array([20.0, 100.0, 400.0, 2000.0])
        assert np.array_equal(back.concentration(x), bm.concentration(x))
        assert np.array_equal(back.nomogram_ratio(x), bm.nomogram_ratio(x))
        pf = BritterMcQuaidPuff(mass_kg=1e4, gas_density_kg_m3=4.0, wind_speed_m_s=2.0,
                                source_temperature_k=t0, ambient_temperature_k=ta)
        assert np.array_equal(pickle.loads(pickle.dumps(pf)).max_concentration(x), pf.max_concentration(x))


def _propane_jet(**kw):
    # Cross-tool: GasDispersion.jl docs/src/plume.md, "Simple Jet Plumes — Example" (jldoctest):
    # propane, 10 mm hole, exit 288 765.2 Pa and 278.385 K, 208.11 m/s, axis at 3.5 m, air at
    # 298.15 K and 1 atm; j(100, 0, 2) = 0.002485496609730624 (volume fraction).
    r = 8.314462618
    args = dict(diameter_m=0.01, exit_velocity_m_s=208.10961399327573,
                jet_density_kg_m3=288765.2212333958 * 0.044096 / (r * 278.3846872082166),
                gas_density_ambient_kg_m3=101325.0 * 0.044096 / (r * 298.15),
                air_density_kg_m3=101325.0 * 0.02896442 / (r * 298.15), release_height_m=3.5)
    args.update(kw)
    return FreeJet(**args)


def test_free_jet_matches_gasdispersion_jl():
    j = _propane_jet()
    # Their air density is not printed; ideal-gas air here, hence 0.5 %.
    assert_allclose(j.volume_fraction(100.0, 0.0, 2.0), 0.002485496609730624, rtol=5e-3)
    assert_allclose(j.concentration(100.0, 0.0, 2.0),
                    j.volume_fraction(100.0, 0.0, 2.0) * 101325.0 * 0.044096 / (8.314462618 * 298.15),
                    rtol=1e-12)
    d_eff = 0.01 * math.sqrt(288765.2212333958 * 0.044096 / 278.3846872082166
                             / (101325.0 * 0.02896442 / 298.15))
    assert_allclose(j.effective_diameter_m, d_eff, rtol=1e-12)
    # u_c = 6 u0 d_eff / x falls to the wind at x = 6 u0 d_eff / u.
    assert_allclose(j.transition_distance_m(2.0), 6 * 208.10961399327573 * d_eff / 2.0, rtol=1e-12)


def test_free_jet_shapes_symmetry_and_defined_values():
    j = _propane_jet()
    x = np.linspace(1.0, 50.0, 12).reshape(3, 4)
    c = j.volume_fraction(x, 0.5, 3.5)
    assert c.shape == (3, 4)
    assert np.all((c >= 0) & (c <= 1))
    # centreline decays as 1/x far from the ground reflection
    assert np.all(np.diff(j.volume_fraction(np.array([5.0, 10.0, 20.0]), 0.0, 3.5)) < 0)
    assert_allclose(j.volume_fraction(10.0, 1.0, 3.5), j.volume_fraction(10.0, -1.0, 3.5), rtol=1e-15)
    assert j.volume_fraction(-1.0)[()] == 0.0 and j.volume_fraction(5.0, 0.0, -1.0)[()] == 0.0
    assert j.volume_fraction(1e-4, 0.0, 3.5)[()] == 1.0  # capped at the pure gas
    with pytest.raises(qra.InvalidInputError):
        j.concentration(np.array([1.0, np.nan]))
    with pytest.raises(qra.InvalidInputError):
        j.transition_distance_m(0.0)
    for bad in [dict(diameter_m=-0.01), dict(exit_velocity_m_s=float("nan")), dict(jet_density_kg_m3=0.0),
                dict(release_height_m=-1.0)]:
        with pytest.raises(qra.InvalidInputError):
            _propane_jet(**bad)


def test_aerosol_mixture_energy_balance_and_errors():
    # No aerosol: the pure vapour at the boiling point (a = 0).
    nh3 = qra.substance("ammonia")
    pure = AerosolMixture("ammonia", 0.0)
    assert pure.air_mass_ratio == 0.0 and pure.substance_mass_fraction == 1.0
    assert_allclose(pure.temperature_k, nh3.normal_boiling_point_k, rtol=1e-12)
    m = AerosolMixture("ammonia", 0.4, ambient_temperature_k=293.15, ambient_pressure_pa=101325.0)
    assert m.air_mass_ratio > 0
    assert_allclose(m.substance_mass_fraction, 1.0 / (1.0 + m.air_mass_ratio), rtol=1e-12)
    # cold, dense mixture: below ambient, heavier than air although ammonia vapour is lighter
    assert m.temperature_k < 293.15
    assert m.density_kg_m3 > 101325.0 * 0.02896442 / (8.314462618 * 293.15)
    # more aerosol needs more air and gives a colder cloud
    more = AerosolMixture("ammonia", 0.6)
    assert more.air_mass_ratio > m.air_mass_ratio and more.temperature_k < m.temperature_k
    with pytest.raises(qra.UnknownNameError):
        AerosolMixture("unobtainium", 0.3)
    with pytest.raises(qra.InvalidInputError):
        AerosolMixture("ammonia", 1.5)
    with pytest.raises(qra.InvalidInputError):
        AerosolMixture("ammonia", 0.3, ambient_temperature_k=230.0)  # below the boiling point
    # from_json re-validates: the mass fraction must match the air ratio
    import json

    form = json.loads(m.to_json())
    assert AerosolMixture.from_json(json.dumps(form)) == m
    form["substance_mass_fraction"] = 0.5
    with pytest.raises(qra.InvalidInputError):
        AerosolMixture.from_json(json.dumps(form))


def test_aerosol_laden_britter_mcquaid_plume():
    # The aerosol-laden plume is the workbook plume of the mixture gas (rate q/w at the mixture's
    # density and temperature) scaled by the substance mass fraction w.
    import pickle

    mix = AerosolMixture("ammonia", 0.5)
    q = 20.0
    bm = BritterMcQuaidPlume.aerosol_laden(q, mix, 2.0, stability="F")
    same = BritterMcQuaidPlume(rate_kg_s=q / mix.substance_mass_fraction, gas_density_kg_m3=mix.density_kg_m3,
                               wind_speed_m_s=2.0, stability="F", source_temperature_k=mix.temperature_k,
                               ambient_temperature_k=293.15)
    x = np.array([10.0, 50.0, 200.0, 1000.0, 5000.0])
    assert bm.dense
    assert_allclose(bm.concentration(x), mix.substance_mass_fraction * same.concentration(x), rtol=1e-12)
    back = pickle.loads(pickle.dumps(bm))
    assert back == bm and np.array_equal(back.concentration(x), bm.concentration(x))
    with pytest.raises(qra.InvalidInputError):
        BritterMcQuaidPlume.aerosol_laden(-1.0, mix, 2.0)


# --- Britter–McQuaid instantaneous cloud: geometry, far field, aerosol, finite duration --------

G = 9.80665  # m/s², standard gravity (the value qra_core::constants uses)


def test_britter_mcquaid_puff_cloud_geometry_hand_computation():
    # Hand computation from the stated equations (Britter & McQuaid 1988 [M], as in
    # GasDispersion.jl, secondary): R0 = (3V0/4π)^(1/3), R² = R0² + 1.2·√(g0'·V0)·t,
    # t = x/(0.4·u10); passage time on the path = chord 2R over the advection speed 0.4·u10,
    # off the path 2√(R² − y²)/(0.4·u10), 0 outside the cloud.
    puff = BritterMcQuaidPuff(mass_kg=6000.0, gas_density_kg_m3=3.0, wind_speed_m_s=4.0, air_density_kg_m3=1.2)
    v0 = 2000.0
    assert_allclose(puff.volume_m3, v0, rtol=1e-12)
    r0 = (3 * v0 / (4 * math.pi)) ** (1 / 3)
    g0 = G * (3.0 - 1.2) / 1.2
    x = np.array([0.0, 50.0, 100.0, 400.0])
    r = np.sqrt(r0**2 + 1.2 * math.sqrt(g0 * v0) * x / (0.4 * 4.0))
    assert_allclose(puff.cloud_radius_m(x), r, rtol=1e-9)
    assert_allclose(puff.cloud_radius_m(-10.0), r0, rtol=1e-12)  # behind the source: R0
    assert_allclose(puff.passage_time_s(x, 0.0), 2 * r / (0.4 * 4.0), rtol=1e-9)
    y = 0.5 * r
    assert_allclose(puff.passage_time_s(x, y), 2 * np.sqrt(r**2 - y**2) / (0.4 * 4.0), rtol=1e-9)
    assert np.all(puff.passage_time_s(x, 1.01 * r) == 0.0)
    # broadcasting: (3, 1) × (4,) → (3, 4)
    grid = puff.passage_time_s(np.array([[10.0], [100.0], [1000.0]]), np.array([0.0, 5.0, 20.0, 1e4]))
    assert grid.shape == (3, 4) and np.all(grid[:, -1] == 0.0) and np.all(np.isfinite(grid))
    assert puff.cloud_radius_m(100.0).shape == ()


def test_britter_mcquaid_puff_geometry_bad_inputs_raise():
    puff = BritterMcQuaidPuff(mass_kg=6000.0, gas_density_kg_m3=3.0, wind_speed_m_s=4.0)
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(qra.InvalidInputError) as e:
            puff.cloud_radius_m([10.0, bad])
        assert e.value.argument == "x_m[1]"  # the offending element is named
        with pytest.raises(qra.InvalidInputError):
            puff.passage_time_s(bad, 0.0)
        with pytest.raises(qra.InvalidInputError) as e:
            puff.passage_time_s(10.0, bad)
        assert e.value.argument.startswith("y_m")
        with pytest.raises(qra.InvalidInputError):
            puff.max_concentration(bad)
    with pytest.raises(ValueError):  # shapes that do not broadcast (NumPy's error)
        puff.passage_time_s(np.zeros(3), np.zeros(4))


def test_britter_mcquaid_puff_passive_far_field():
    puff = BritterMcQuaidPuff(mass_kg=5000.0, gas_density_kg_m3=3.0, wind_speed_m_s=2.0, air_density_kg_m3=1.2)
    assert puff.last_curve_m is None and puff.virtual_offset_m is None and puff.passive_puff is None
    ff = puff.with_passive_far_field(stability="F")
    assert puff.last_curve_m is None  # the original is unchanged
    xl, xv = ff.last_curve_m, ff.virtual_offset_m
    assert xl is not None and xv is not None and 0 < xl < 1e5
    # Continuous at x_L on the path (the virtual source is placed for that).
    below, above = ff.max_concentration([xl * (1 - 1e-9), xl * (1 + 1e-9)])
    assert_allclose(below, above, rtol=1e-4)
    # Within x_L the workbook cloud is unchanged.
    x_in = np.geomspace(5.0, 0.99 * xl, 20)
    assert np.array_equal(ff.max_concentration(x_in), puff.max_concentration(x_in))
    # Beyond x_L: the peak of the passive ground-level puff at x − x_v, its centre passing the
    # receptor at t = (x − x_v)/u (ground release, transport wind = the 10 m wind).
    p = ff.passive_puff
    assert isinstance(p, GaussianPuff)
    for x in (2 * xl, 5 * xl):
        xp = x - xv
        assert_allclose(ff.max_concentration(x), p.concentration(xp, 0.0, 0.0, xp / 2.0), rtol=1e-12)
    # decreasing along the path, finite, positive
    c = ff.max_concentration(np.geomspace(3.0, 50 * xl, 200))
    assert np.all(np.isfinite(c)) and np.all(c > 0) and np.all(np.diff(c) <= c[1:] * 1e-12)
    with pytest.raises(qra.UnknownNameError):
        puff.with_passive_far_field(stability="G")
    with pytest.raises(qra.UnknownNameError):
        puff.with_passive_far_field(scheme="gaussian")
    with pytest.raises(qra.InvalidInputError):
        puff.with_passive_far_field(averaging_time_s=float("nan"))


def test_britter_mcquaid_puff_far_field_repr_and_pickle():
    import pickle

    ff = BritterMcQuaidPuff(mass_kg=5000.0, gas_density_kg_m3=3.0, wind_speed_m_s=2.0).with_passive_far_field(
        stability="E", terrain="urban", mixing_height_m=800.0)
    r = repr(ff)
    assert ".with_passive_far_field(stability='E', terrain='urban'" in r
    assert eval(r, {"BritterMcQuaidPuff": BritterMcQuaidPuff, "None": None}) == ff  # noqa: S307
    back = pickle.loads(pickle.dumps(ff))
    assert back == ff and back.last_curve_m == ff.last_curve_m and back.virtual_offset_m == ff.virtual_offset_m
    x = np.geomspace(5.0, 20 * ff.last_curve_m, 40)
    assert np.array_equal(back.max_concentration(x), ff.max_concentration(x))
    # The stored far field is re-derived on loading, never trusted: a tampered x_L is ignored.
    import json

    form = json.loads(ff.to_json())
    form["far_field"]["last_curve_m"] = 1.0
    assert BritterMcQuaidPuff.from_json(json.dumps(form)) == ff
    form["far_field"]["passive"]["atmosphere"]["wind_speed_m_s"] = -1.0
    with pytest.raises(qra.InvalidInputError):
        BritterMcQuaidPuff.from_json(json.dumps(form))


def test_aerosol_laden_britter_mcquaid_puff():
    # The aerosol-laden cloud is the workbook cloud of the mixture gas (mass m/w at the mixture's
    # density and temperature) scaled by the substance mass fraction w.
    import pickle

    mix = AerosolMixture("ammonia", 0.5)
    m = 2000.0
    pf = BritterMcQuaidPuff.aerosol_laden(m, mix, 2.0)
    w = mix.substance_mass_fraction
    same = BritterMcQuaidPuff(mass_kg=m / w, gas_density_kg_m3=mix.density_kg_m3, wind_speed_m_s=2.0,
                              source_temperature_k=mix.temperature_k, ambient_temperature_k=293.15)
    assert pf.dense and pf.substance_mass_fraction == w
    assert_allclose(pf.temperature_ratio, 293.15 / mix.temperature_k, rtol=1e-12)
    x = np.array([10.0, 50.0, 200.0, 1000.0])
    assert_allclose(pf.max_concentration(x), w * same.max_concentration(x), rtol=1e-12)
    assert_allclose(pf.cloud_radius_m(x), same.cloud_radius_m(x), rtol=1e-12)
    ff = pf.with_passive_far_field(stability="F")
    assert "substance_mass_fraction=" in repr(ff)
    back = pickle.loads(pickle.dumps(ff))
    x = np.geomspace(5.0, 20 * ff.last_curve_m, 40)
    assert back == ff and np.array_equal(back.max_concentration(x), ff.max_concentration(x))
    for bad in (-1.0, 0.0, float("nan")):
        with pytest.raises(qra.InvalidInputError):
            BritterMcQuaidPuff.aerosol_laden(bad, mix, 2.0)
    with pytest.raises(qra.InvalidInputError):
        BritterMcQuaidPuff.aerosol_laden(m, mix, float("nan"))


def _coyote_like(td=65.0, rate=100.0, u=6.46):
    plume = BritterMcQuaidPlume(rate_kg_s=rate, gas_density_kg_m3=1.6, wind_speed_m_s=u, stability="C",
                                air_density_kg_m3=1.04)
    cloud = BritterMcQuaidPuff(mass_kg=rate * td, gas_density_kg_m3=1.6, wind_speed_m_s=u,
                               air_density_kg_m3=1.04).with_passive_far_field(stability="C")
    return plume, cloud


def test_finite_release_concentration_follows_the_workbook_rule():
    from qra.dispersion import finite_release_concentration

    # Hand computation of r = u10·T_d/x for a Coyote-3-like release (u10 = 6.46 m/s, 65 s):
    # 140 m → r = 3.0 (continuous), 500 m → 0.84 (intermediate), 1000 m → 0.42 (instantaneous).
    plume, cloud = _coyote_like()
    name, c = finite_release_concentration(plume, cloud, 65.0, 140.0)
    assert name == "continuous" and c == float(plume.concentration(140.0))
    name, c = finite_release_concentration(plume, cloud, 65.0, 500.0)
    assert name == "intermediate"
    assert c == min(float(plume.concentration(500.0)), float(cloud.max_concentration(500.0)))
    name, c = finite_release_concentration(plume, cloud, 65.0, 1000.0)
    assert name == "instantaneous" and c == float(cloud.max_concentration(1000.0))
    # Boundaries belong to the outer regimes: r = 5·50/100 = 2.5 exactly, 6·10/100 = 0.6.
    plume, cloud = _coyote_like(td=50.0, u=5.0)
    assert finite_release_concentration(plume, cloud, 50.0, 100.0)[0] == "continuous"
    plume, cloud = _coyote_like(td=10.0, u=6.0)
    assert finite_release_concentration(plume, cloud, 10.0, 100.0)[0] == "instantaneous"
    assert finite_release_concentration(plume, cloud, 10.0, 99.0)[0] == "intermediate"


def test_finite_release_concentration_bad_inputs_raise():
    from qra.dispersion import finite_release_concentration

    plume, cloud = _coyote_like()
    for td, x, arg in [(float("nan"), 100.0, "duration_s"), (-65.0, 100.0, "duration_s"), (0.0, 100.0, "duration_s"),
                       (65.0, float("nan"), "x_m"), (65.0, -1.0, "x_m"), (65.0, 0.0, "x_m"),
                       (65.0, float("inf"), "x_m")]:
        with pytest.raises(qra.InvalidInputError) as e:
            finite_release_concentration(plume, cloud, td, x)
        assert e.value.argument == arg
    # The cloud must be the plume's release over the duration (mass, wind, gas).
    with pytest.raises(qra.InvalidInputError) as e:
        finite_release_concentration(plume, cloud, 60.0, 100.0)
    assert e.value.argument == "cloud.mass_kg"
    other_wind = BritterMcQuaidPuff(mass_kg=6500.0, gas_density_kg_m3=1.6, wind_speed_m_s=3.0, air_density_kg_m3=1.04)
    with pytest.raises(qra.InvalidInputError) as e:
        finite_release_concentration(plume, other_wind, 65.0, 100.0)
    assert e.value.argument == "cloud.wind_speed_m_s"
    other_gas = BritterMcQuaidPuff(mass_kg=6500.0, gas_density_kg_m3=2.0, wind_speed_m_s=6.46, air_density_kg_m3=1.04)
    with pytest.raises(qra.InvalidInputError) as e:
        finite_release_concentration(plume, other_gas, 65.0, 100.0)
    assert e.value.argument == "cloud.gas_density_kg_m3"
    with pytest.raises(TypeError):
        finite_release_concentration(cloud, plume, 65.0, 100.0)


def test_britter_mcquaid_puff_arrays_in_threads():
    # The array methods release the GIL; concurrent calls give the serial answer.
    ff = BritterMcQuaidPuff(mass_kg=5000.0, gas_density_kg_m3=3.0, wind_speed_m_s=2.0).with_passive_far_field(
        stability="D")
    x = np.geomspace(1.0, 5e4, 50_000)
    want = (ff.max_concentration(x), ff.passage_time_s(x, 3.0), ff.cloud_radius_m(x))
    out = [None] * 4

    def work(i):
        out[i] = (ff.max_concentration(x), ff.passage_time_s(x, 3.0), ff.cloud_radius_m(x))

    ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for o in out:
        for a, b in zip(o, want, strict=True):
            assert np.array_equal(a, b)
