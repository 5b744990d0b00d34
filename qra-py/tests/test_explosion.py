"""qra.explosion: TNT / Kingery-Bulmash, BST, multi-energy input, vessel burst."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra
from qra.explosion import BakerStrehlowTang, MultiEnergy, tnt_blast

# Values from the independent PyPI package kingery-bulmash 1.0.1 (MIT), obtained with
#   pip install --ignore-requires-python kingery-bulmash
#   b = kingery_bulmash.Blast_Parameters(unit_system=Units.METRIC, neq=W, distance=R, safe=False)
# fields incident_pressure (kPa), incident_impulse (kPa*ms = Pa*s), time_of_arrival (ms).
KB = [
    # W kg, R m, Pso kPa, is kPa*ms, ta ms
    (1.0, 1.0, 1353.7042463040013, 236.27585510886075, 0.4674793978474315),
    (100.0, 20.0, 56.44791067539421, 314.7088036870699, 30.290425107945794),
    (1000.0, 100.0, 14.889461953034726, 310.3579255384068, 216.57564590880696),
    (10000.0, 500.0, 5.054963965502847, 295.8768948014147, 1276.1650108864796),
]


@pytest.mark.parametrize(("w", "r", "pso", "imp", "ta"), KB)
def test_tnt_matches_kingery_bulmash_package(w, r, pso, imp, ta):
    b = tnt_blast(w, r)
    # Same Swisdak (1994) fits: tolerance 0.5 % (qra_core::tolerance::WORKED_EXAMPLE).
    assert_allclose(b["incident_overpressure_pa"], pso * 1e3, rtol=5e-3)
    assert_allclose(b["incident_impulse_pa_s"], imp, rtol=5e-3)
    assert_allclose(b["arrival_time_s"], ta * 1e-3, rtol=5e-3)


def test_tnt_shapes_far_field_and_reach():
    d = np.geomspace(0.1, 1e5, 200)
    b = tnt_blast(500.0, d.reshape(20, 10))
    assert b["incident_overpressure_pa"].shape == (20, 10)
    p = b["incident_overpressure_pa"].ravel()
    assert np.isfinite(p).all() and (p > 0).all()
    # Acoustic far field: P ~ 1/R beyond the fitted range.
    far = tnt_blast(1.0, [1000.0, 2000.0])["incident_overpressure_pa"]
    assert_allclose(far[0] / far[1], 2.0, rtol=1e-12)
    r = qra.explosion.tnt_reach_m(500.0, 10e3)
    assert_allclose(tnt_blast(500.0, r)["incident_overpressure_pa"], 10e3, rtol=1e-6)


def test_tnt_bad_inputs():
    with pytest.raises(qra.InvalidInputError) as e:
        tnt_blast(-1.0, 10.0)
    assert e.value.argument == "tnt_mass_kg"
    with pytest.raises(qra.InvalidInputError):
        tnt_blast(1.0, [10.0, -1.0])
    with pytest.raises(qra.InvalidInputError):
        tnt_blast(1.0, np.nan)


def test_bst_monotone_far_field_and_errors():
    b = BakerStrehlowTang(energy_j=4.6e9, flame_mach=0.7)
    d = np.geomspace(1.0, 1e4, 300)
    p = b.overpressure(d)
    i = b.impulse(d)
    assert (np.diff(p) <= 0).all() and (np.diff(i) <= 0).all()
    assert np.isfinite(p).all() and (p > 0).all()
    # Scaling: P* at R* = 1 for Mf = 0.7 near 0.3 (digitised CCPS curve, 10 % tolerance).
    rstar_len = (4.6e9 / 101325.0) ** (1 / 3)
    assert_allclose(b.overpressure(rstar_len) / 101325.0, 0.30, rtol=0.15)
    with pytest.raises(qra.InvalidInputError):
        BakerStrehlowTang(energy_j=1e9, flame_mach=6.0)
    with pytest.raises(qra.InvalidInputError):
        BakerStrehlowTang(energy_j=-1e9, flame_mach=1.0)
    # Monotone in Mach.
    lo = BakerStrehlowTang(energy_j=1e9, flame_mach=0.35).overpressure(d)
    hi = BakerStrehlowTang(energy_j=1e9, flame_mach=2.0).overpressure(d)
    assert (hi >= lo).all()


def test_multi_energy_curves():
    me = MultiEnergy.from_volume(1000.0, 7)
    assert me.energy_j == pytest.approx(3.5e9)
    assert "strength=7" in repr(me)
    with pytest.raises(qra.InvalidInputError):
        MultiEnergy(energy_j=1e9, strength=11)
    with pytest.raises(qra.InvalidInputError):
        MultiEnergy(energy_j=1e9, strength=0)
    with pytest.raises(qra.InvalidInputError):
        me.overpressure([-1.0])
    # MSB B06-105 Table 4.2, strength 7 on 0.955 < r̄ < 3.206: P̄ = 0.47 r̄^-1.46.
    length = (3.5e9 / 101325.0) ** (1 / 3)
    assert_allclose(me.overpressure(2.0 * length), 0.47 * 2.0**-1.46 * 101325.0, rtol=1e-9)
    d = np.geomspace(1.0, 1e5, 400)
    for s in range(1, 11):
        m = MultiEnergy(energy_j=1e9, strength=s)
        p, i = m.overpressure(d), m.impulse(d)
        assert np.isfinite(p).all() and np.isfinite(i).all()
        assert (np.diff(p) <= 0).all() and (np.diff(i) <= 0).all()
        assert (m.duration(d) > 0).all()
        # Rankine–Hugoniot (γ = 1.4), the documented formula (q > ΔP for strong shocks).
        assert_allclose(m.dynamic_pressure(d), 2.5 * p**2 / (p + 7 * 101325.0), rtol=1e-12)
        if s > 1:
            assert (p >= MultiEnergy(energy_j=1e9, strength=s - 1).overpressure(d) * (1 - 1e-12)).all()
    r = me.reach_m(10e3)
    assert_allclose(me.overpressure(r), 10e3, rtol=1e-6)
    assert me.overpressure([[1.0, 2.0]]).shape == (1, 2)


def test_equivalences():
    assert_allclose(qra.explosion.tnt_mass_vce_kg(0.03, 1000.0, 46.35e6), 0.03 * 1000 * 46.35e6 / 4.68e6)
    an = qra.substance("ammonium nitrate").tnt_equivalence
    assert_allclose(qra.explosion.tnt_mass_condensed_kg("ammonium nitrate", 1000.0), 1000.0 * an)
    assert_allclose(qra.explosion.brode_energy_j(1.5e6, 10.0, 1.4, ambient_pa=1e5), 3.5e7)
    with pytest.raises(qra.InvalidInputError):
        qra.explosion.tnt_mass_vce_kg(2.0, 1.0, 1.0)


def test_explosive_safety_distance_scales_with_cube_root():
    # Hopkinson–Cranz: 8x the charge doubles the distance to the same overpressure.
    d1 = qra.explosion.explosive_safety_distance_m("ammonium nitrate", 10_000.0, 10e3)
    d8 = qra.explosion.explosive_safety_distance_m("ammonium nitrate", 80_000.0, 10e3)
    assert d8 / d1 == pytest.approx(2.0, rel=1e-3)
    with pytest.raises(qra.InvalidInputError):
        qra.explosion.explosive_safety_distance_m("chlorine", 1.0, 1e4)


def test_bst_flame_speed_table():
    # Farrell (2021) worked example citing CCPS (2010): butane, medium congestion, 3-D -> Mf 0.44.
    assert qra.explosion.bst_flame_speed(reactivity="medium", congestion="medium", confinement="3D") == (0.44, False)
    assert qra.explosion.bst_flame_speed(reactivity="high", congestion="high", confinement="2D") == (5.2, True)
    with pytest.raises(qra.NotImplementedYetError):
        qra.explosion.bst_flame_speed(reactivity="low", congestion="low", confinement="1D")
    with pytest.raises(qra.InvalidInputError):
        qra.explosion.bst_flame_speed(reactivity="extreme", congestion="low", confinement="3D")


def _vce_study(spec):
    """A one-installation study whose only outcome is the VCE `spec` (analytic data elsewhere)."""
    return {
        "schema": "qra-study/1",
        "installations": [{"id": "P", "x_m": 0.0, "y_m": 0.0, "substance": "propane", "inventory_kg": 5000.0}],
        "events": [{"id": "E", "installation": "P", "frequency_per_year": 1e-5, "outcomes": [{"spec": spec}]}],
        "meteorology": {"weather": [{"stability": "D", "wind_speed_m_s": 5.0, "probability": 1.0, "wind_rose": [1.0]}]},
        "grid": {"x_min_m": -400.0, "x_max_m": 400.0, "y_min_m": -400.0, "y_max_m": 400.0, "resolution_m": 20.0},
    }


def test_study_vce_multi_energy_option():
    me = qra.Study.from_dict(
        _vce_study({"kind": "vce", "model": "multi-energy", "strength": 7, "confined_volume_m3": 3000.0})
    ).run()
    # Purple Book rule: lethality 1 inside the 30 kPa radius of MultiEnergy(V = 3000 m3, 7).
    r30 = MultiEnergy(energy_j=3000.0 * 3.5e6, strength=7).reach_m(30e3)
    pts = np.array([[0.5 * r30, 0.0], [2.0 * r30, 0.0]])
    ir = me.risk_at(pts)
    assert_allclose(ir[0], 1e-5, rtol=1e-9)
    assert ir[1] == 0.0
    # The default is TNT; an explicit "tnt" gives the same grid bit for bit.
    a = qra.Study.from_dict(_vce_study({"kind": "vce", "mass_kg": 1000.0})).run()
    b = qra.Study.from_dict(_vce_study({"kind": "vce", "mass_kg": 1000.0, "model": "tnt"})).run()
    assert np.array_equal(a.individual_risk, b.individual_risk)


def test_study_vce_bad_options_are_field_errors():
    with pytest.raises(qra.InvalidDocumentError) as e:
        qra.Study.from_dict(_vce_study({"kind": "vce", "model": "multi-energy"}))
    assert "events[0].outcomes[0].spec.strength" in [p[0] for p in e.value.problems]
    with pytest.raises(qra.InvalidDocumentError) as e:
        qra.Study.from_dict(_vce_study({"kind": "vce", "strength": 7}))
    assert "events[0].outcomes[0].spec.strength" in [p[0] for p in e.value.problems]
    with pytest.raises(qra.InvalidDocumentError):
        qra.Study.from_dict(_vce_study({"kind": "vce", "model": "tno"}))


def test_study_vce_bst_option():
    # Purple Book rule: lethality 1 inside the 30 kPa radius of BST(E = 2 * V * 3.5 MJ/m3, Mf).
    spec = {"kind": "vce", "model": "bst", "reactivity": "medium", "congestion": "medium",
            "confinement": "3D", "confined_volume_m3": 3000.0}
    run = qra.Study.from_dict(_vce_study(spec)).run()
    r30 = BakerStrehlowTang(energy_j=2.0 * 3000.0 * 3.5e6, flame_mach=0.44).reach_m(30e3)
    ir = run.risk_at(np.array([[0.5 * r30, 0.0], [2.0 * r30, 0.0]]))
    assert_allclose(ir[0], 1e-5, rtol=1e-9)
    assert ir[1] == 0.0
    by_mach = qra.Study.from_dict(
        _vce_study({"kind": "vce", "model": "bst", "flame_mach": 0.44, "confined_volume_m3": 3000.0})
    ).run()
    assert np.array_equal(run.individual_risk, by_mach.individual_risk)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"model": "bst"}, "flame_mach"),
        ({"model": "bst", "flame_mach": 6.0}, "flame_mach"),
        ({"model": "bst", "reactivity": "low", "congestion": "low", "confinement": "1D"}, "confinement"),
        ({"model": "bst", "flame_mach": 0.5, "strength": 7}, "strength"),
        ({"flame_mach": 0.5}, "flame_mach"),
    ],
)
def test_study_vce_bst_bad_options_are_field_errors(fields, field):
    with pytest.raises(qra.InvalidDocumentError) as e:
        qra.Study.from_dict(_vce_study({"kind": "vce", **fields}))
    assert f"events[0].outcomes[0].spec.{field}" in [p[0] for p in e.value.problems]
