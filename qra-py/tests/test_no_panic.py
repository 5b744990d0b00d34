"""No input reaching the bindings may panic: every failure must be a qra exception.

Hypothesis drives every public function with arbitrary text and floats (NaN, ±inf, huge, tiny)
and asserts that only ``qra.QraError`` subclasses come out — never ``pyo3_runtime.PanicException``
(which derives from ``BaseException``, so ``pytest.raises(Exception)`` would not hide it).
"""

from hypothesis import given, settings
from hypothesis import strategies as st

import qra

floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_substance_lookup_never_panics(name):
    try:
        qra.substance(name)
    except qra.QraError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(qra.substances()), floats)
def test_vapour_pressure_never_panics(name, t):
    s = qra.substance(name)
    try:
        p = s.vapour_pressure_pa(t)
    except qra.QraError:
        return
    assert p > 0 and p == p


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_substance_parsers_never_panic(text):
    for parse in (qra.Substance.from_toml, qra.Substance.from_json):
        try:
            parse(text)
        except qra.QraError:
            pass


# --- issue 4: fire, explosion, thermal/blast ------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(floats, floats, floats, floats, floats)
def test_fire_models_never_panic(d, m, hc, u, x):
    import numpy as np

    for make in (
        lambda: qra.fire.PoolFire(d, m, hc, wind_speed_m_s=u),
        lambda: qra.fire.JetFire(m, hc, 0.2, direction=(u, 0.0, 1.0)),
        lambda: qra.fire.Fireball(d, hc, 0.3),
    ):
        try:
            f = make()
            q = f.heat_flux(np.array([x, 0.0]), 0.0, 0.0)
        except qra.QraError:
            continue
        assert np.isfinite(q).all() and (q >= 0).all()


@settings(max_examples=150, deadline=None)
@given(floats, floats, floats, st.integers(-5, 15))
def test_explosion_models_never_panic(w, r, mach, strength):
    import numpy as np

    try:
        b = qra.explosion.tnt_blast(w, [r])
        assert not any(np.isnan(v).any() for v in b.values())
    except qra.QraError:
        pass
    try:
        p = qra.explosion.BakerStrehlowTang(energy_j=w, flame_mach=mach).overpressure([r])
        assert np.isfinite(p).all()
    except qra.QraError:
        pass
    try:
        qra.explosion.MultiEnergy(energy_j=w, strength=strength).overpressure([r])
    except qra.QraError:
        pass


@settings(max_examples=150, deadline=None)
@given(floats, floats)
def test_probits_never_panic(a, b):
    import numpy as np

    for fn in (qra.vulnerability.thermal_lethality, qra.vulnerability.overpressure_lethality):
        try:
            p = fn(a, b)
        except qra.QraError:
            continue
        assert ((p >= 0) & (p <= 1)).all() and not np.isnan(p).any()


# --- dense-gas cloud bindings and the pool-fire tilt option ----------------------------------------


@settings(max_examples=150, deadline=None)
@given(floats, floats, floats, floats, floats, st.sampled_from(["A", "D", "F", "G", ""]))
def test_britter_mcquaid_puff_never_panics(m, rho, u, x, y, stability):
    import numpy as np

    from qra.dispersion import BritterMcQuaidPlume, BritterMcQuaidPuff, finite_release_concentration

    try:
        p = BritterMcQuaidPuff(mass_kg=m, gas_density_kg_m3=rho, wind_speed_m_s=u)
    except qra.QraError:
        return
    try:
        p = p.with_passive_far_field(stability=stability)
    except qra.QraError:
        pass
    for call in (lambda: p.cloud_radius_m([x, 1.0]), lambda: p.passage_time_s([x, 1.0], y),
                 lambda: p.max_concentration([x, 1.0])):
        try:
            out = call()
        except qra.QraError:
            continue
        assert np.isfinite(out).all() and (out >= 0).all()
    try:
        plume = BritterMcQuaidPlume(rate_kg_s=m / 60.0, gas_density_kg_m3=rho, wind_speed_m_s=u)
        name, c = finite_release_concentration(plume, p, 60.0, x)
    except qra.QraError:
        return
    assert name in ("continuous", "instantaneous", "intermediate") and c >= 0 and c == c


@settings(max_examples=150, deadline=None)
@given(floats, floats, st.sampled_from(["aga", "yellow-book", "Yellow Book", "x"]))
def test_pool_fire_tilt_never_panics(u, nu, tilt):
    import numpy as np

    try:
        f = qra.fire.PoolFire(20.0, 0.06, 4.3e7, wind_speed_m_s=u, tilt=tilt, kinematic_viscosity_m2_s=nu)
    except qra.QraError:
        return
    assert 0.0 <= f.tilt_rad < np.pi / 2
    assert np.isfinite(f.heat_flux(np.array([30.0]), 0.0, 0.0)).all()
