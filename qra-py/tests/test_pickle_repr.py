"""``__repr__``, ``==``/``hash``, ``to_json``/``from_json`` and pickling of every model object.

All come from one serde (JSON) form per class (``qra_py::pickle::serde_form!`` on the Rust side,
one class per model, no Python wrappers). The property tested: a pickle round trip
gives an equal object whose outputs are identical bit for bit; ``from_json`` re-validates; every
native class (every ``#[pyclass]``) is covered.
"""

import copy
import inspect
import pickle
from pathlib import Path

import numpy as np
import pytest

import qra
from qra import _qra, fire
from qra import dispersion as dsp
from qra import explosion as ex

ROOT = Path(__file__).resolve().parents[2]
ANALYTIC = ROOT / "models" / "studies" / "analytic_demo.toml"
X = np.array([5.0, 20.0, 80.0, 300.0])


def _bits(a):
    return np.asarray(a, dtype=np.float64).view(np.uint64)


def _study():
    return qra.Study.from_file(ANALYTIC)


def _deprecated_what_if(study):
    with pytest.warns(DeprecationWarning, match="Park"):
        return qra.park.WhatIf(study)


# (factory, output function) for each model object; outputs must be bit-identical after a round trip
CASES = {
    "GaussianPlume": (
        lambda: dsp.GaussianPlume(rate_kg_s=1.3, wind_speed_m_s=3.7, stability="E", release_height_m=2.0,
                                  terrain="urban", scheme="pasquill-gifford", mixing_height_m=800.0,
                                  averaging_time_s=300.0),
        lambda m: m.concentration(X, 3.0, 1.0),
    ),
    "GaussianPuff": (
        lambda: dsp.GaussianPuff(mass_kg=50.0, wind_speed_m_s=2.3, stability="D", duration_s=120.0),
        lambda m: m.dose(X, 0.0, 0.0),
    ),
    "BritterMcQuaidPlume": (
        lambda: dsp.BritterMcQuaidPlume(rate_kg_s=10.0, gas_density_kg_m3=3.2, wind_speed_m_s=2.0),
        lambda m: m.concentration(X),
    ),
    "BritterMcQuaidPuff": (
        lambda: dsp.BritterMcQuaidPuff(mass_kg=1000.0, gas_density_kg_m3=3.2, wind_speed_m_s=2.0),
        lambda m: m.max_concentration(X),
    ),
    "BritterMcQuaidPuff (far field)": (
        lambda: dsp.BritterMcQuaidPuff(mass_kg=5000.0, gas_density_kg_m3=3.0, wind_speed_m_s=2.0)
        .with_passive_far_field(stability="F", scheme="pasquill-gifford"),
        lambda m: np.concatenate([m.max_concentration(np.geomspace(5.0, 1e5, 40)), m.passage_time_s(X, 2.0),
                                  m.cloud_radius_m(X), [m.last_curve_m, m.virtual_offset_m]]),
    ),
    "BritterMcQuaidPuff (aerosol, far field)": (
        lambda: dsp.BritterMcQuaidPuff.aerosol_laden(800.0, dsp.AerosolMixture("chlorine", 0.3), 3.0)
        .with_passive_far_field(stability="D"),
        lambda m: np.append(m.max_concentration(np.geomspace(5.0, 1e5, 40)), m.passage_time_s(X, 0.0)),
    ),
    "BritterMcQuaidPlume (non-isothermal)": (
        lambda: dsp.BritterMcQuaidPlume(rate_kg_s=97.9, gas_density_kg_m3=1.76, wind_speed_m_s=10.9,
                                        source_temperature_k=111.15, ambient_temperature_k=298.0),
        lambda m: np.append(m.concentration(X), m.nomogram_ratio(X)),
    ),
    "AerosolMixture": (
        lambda: dsp.AerosolMixture("ammonia", 0.45, ambient_temperature_k=288.15),
        lambda m: np.array([m.air_mass_ratio, m.temperature_k, m.density_kg_m3, m.substance_mass_fraction]),
    ),
    "SlabPlume": (
        lambda: dsp.SlabPlume(substance="chlorine", rate_kg_s=8.0, wind_speed_m_s=3.0, stability="E",
                              exit_velocity_m_s=35.0, liquid_fraction=0.6, duration_s=900.0),
        lambda m: np.append(m.concentration(X, 0.3, 1.0), m.volume_fraction(X)),
    ),
    "FreeJet": (
        lambda: dsp.FreeJet(diameter_m=0.025, exit_velocity_m_s=310.0, jet_density_kg_m3=4.2,
                            gas_density_ambient_kg_m3=1.83, release_height_m=1.5),
        lambda m: np.append(m.volume_fraction(X, 0.3, 1.0), m.concentration(X)),
    ),
    "PoolFire": (
        lambda: fire.PoolFire(12.3, 0.078, 44.0e6, wind_speed_m_s=4.1, transmissivity="wayne",
                              relative_humidity=0.55, duration_s=600.0),
        lambda m: m.heat_flux(X, 0.0, 0.0),
    ),
    "PoolFire (substance, steady)": (
        lambda: fire.PoolFire.from_substance("propane", 7.0, 2.0),
        lambda m: m.heat_flux(X, 1.0, 0.0),
    ),
    "PoolFire (yellow-book tilt, drag)": (
        lambda: fire.PoolFire(25.0, 0.06, 43.0e6, wind_speed_m_s=6.0, tilt="yellow-book",
                              kinematic_viscosity_m2_s=1.6e-5, flame_drag="moorhouse"),
        lambda m: np.append(m.heat_flux(X, 0.0, 0.0), m.tilt_rad),
    ),
    "JetFire": (
        lambda: fire.JetFire(3.1, 46.4e6, 0.2, release_point_m=(1.0, 2.0, 1.5), direction=(0.3, 0.4, 0.2)),
        lambda m: m.heat_flux(X, 0.0, 0.0),
    ),
    "Fireball": (
        lambda: fire.Fireball(12_345.0, 46.4e6, 0.3),
        lambda m: m.heat_flux(X, 0.0, 0.0),
    ),
    "MultiEnergy": (
        lambda: ex.MultiEnergy(energy_j=3.3e9, strength=7),
        lambda m: np.concatenate([m.scaled_distance(X), m.overpressure(X), m.impulse(X)]),
    ),
    "ChamberlainJetFire": (
        lambda: fire.ChamberlainJetFire(2.5, 50.0e6, jet_velocity_m_s=300.0, jet_density_kg_m3=0.7,
                                        stoich_mass_fraction=0.055, wind_speed_m_s=4.0, duration_s=300.0),
        lambda m: np.append(m.heat_flux(X, 0.0, 0.0), m.radiant_fraction),
    ),
    "BakerStrehlowTang": (
        lambda: ex.BakerStrehlowTang(energy_j=3.3e9, flame_mach=0.7),
        lambda m: m.overpressure(X),
    ),
    "Substance": (
        lambda: qra.substance("ammonia"),
        lambda s: [s.vapour_pressure_pa(260.0), s.molar_mass_kg_mol],
    ),
    "MajorHazard": (
        lambda: qra.park.major_hazard({"chlorine": 12_000.0, "ammonia": 3_000.0}, exposed_persons=40),
        lambda m: [m.s, m.r, m.alpha, float(m.grade or 0)],
    ),
    "Study": (
        _study,
        lambda s: s.run().individual_risk,
    ),
    "RiskResult": (
        lambda: _study().run(),
        lambda r: np.concatenate([r.individual_risk.ravel(), r.fn_curve()["F"].to_numpy(), [r.pll]]),
    ),
    "Compliance": (
        lambda: _study().run().check("GB36894-2018"),
        lambda c: [c.worst_ratio, c.max_n, float(c.passed)],
    ),
    "Park": (
        lambda: qra.Park(_study(), "GB36894-2018", 1e-3),
        lambda p: np.concatenate([p.base.result.individual_risk.ravel(), [p.base.result.pll]]),
    ),
    "ParkRun": (
        lambda: qra.Park(_study(), "GB36894-2018", None).run(),
        lambda r: np.concatenate([r.result.individual_risk.ravel(), [r.result.pll]]),
    ),
    "WhatIf": (
        lambda: _deprecated_what_if(_study()),
        lambda w: w.without(w.installations[:1])["individual_risk"],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_pickle_round_trip_is_equal_with_identical_outputs(name):
    make, output = CASES[name]
    obj = make()
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(obj, protocol=protocol))
        assert type(back) is type(obj)
        assert back == obj and hash(back) == hash(obj)
        assert np.array_equal(_bits(output(back)), _bits(output(obj)))
    assert copy.deepcopy(obj) == obj
    # the JSON form is the same text and re-reads to an equal object
    text = obj.to_json()
    assert type(obj).from_json(text) == obj
    assert type(obj).from_json(text).to_json() == text


@pytest.mark.parametrize("name", list(CASES))
def test_repr_is_informative(name):
    obj = CASES[name][0]()
    r = repr(obj)
    cls = type(obj).__name__
    assert cls in r and "object at 0x" not in r
    # some numbers of the object appear in it
    assert any(ch.isdigit() for ch in r)


@pytest.mark.parametrize("name", ["MultiEnergy", "BakerStrehlowTang", "GaussianPlume", "GaussianPuff", "Fireball",
                                  "PoolFire", "PoolFire (substance, steady)",
                                  "BritterMcQuaidPlume", "BritterMcQuaidPuff", "FreeJet",
                                  "BritterMcQuaidPuff (far field)", "PoolFire (yellow-book tilt, drag)"])
def test_repr_is_evaluable_for_small_models(name):
    obj = CASES[name][0]()
    ns = {"GaussianPlume": dsp.GaussianPlume, "GaussianPuff": dsp.GaussianPuff,
          "BritterMcQuaidPlume": dsp.BritterMcQuaidPlume, "BritterMcQuaidPuff": dsp.BritterMcQuaidPuff,
          "FreeJet": dsp.FreeJet,
          "MultiEnergy": ex.MultiEnergy, "BakerStrehlowTang": ex.BakerStrehlowTang,
          "Fireball": fire.Fireball, "JetFire": fire.JetFire, "PoolFire": fire.PoolFire, "inf": float("inf"), "None": None}
    assert eval(repr(obj), ns) == obj  # noqa: S307 - our own repr


def test_every_native_class_is_covered():
    """Every ``#[pyclass]`` of ``qra._qra`` pickles (PartialRun through its exact binary form)."""
    native = {n for n, v in vars(_qra).items() if inspect.isclass(v) and v.__module__.startswith("qra")}
    covered = {n.split(" ")[0] for n in CASES} | {"PartialRun"}
    assert native - covered == set(), f"add pickling cases for {sorted(native - covered)}"
    for name in native - {"PartialRun"}:
        cls = getattr(_qra, name)
        for method in ("to_json", "from_json", "__reduce__", "__eq__", "__hash__", "__repr__"):
            assert method in vars(cls) or hasattr(cls, method), (name, method)


def test_from_json_revalidates():
    good = ex.MultiEnergy(energy_j=1e9, strength=5).to_json()
    with pytest.raises(qra.InvalidInputError):
        ex.MultiEnergy.from_json(good.replace("5", "11"))
    with pytest.raises(qra.InvalidInputError):
        _qra.BakerStrehlowTang.from_json('{"energy_j": -1.0, "flame_mach": 0.5}')
    with pytest.raises(qra.InvalidInputError):
        fire.Fireball.from_json("not json")
    pf = fire.PoolFire(5.0, 0.05, 4e7).to_json()
    with pytest.raises(qra.InvalidInputError):
        fire.PoolFire.from_json(pf.replace('"diameter_m":5.0', '"diameter_m":-5.0'))
    with pytest.raises(qra.InvalidInputError):
        qra.RiskResult.from_json('{"no_study": 1}')


def test_equality_is_by_value_and_type():
    a = ex.MultiEnergy(energy_j=1e9, strength=5)
    assert a == ex.MultiEnergy(energy_j=1e9, strength=5)
    assert a != ex.MultiEnergy(energy_j=1e9, strength=6)
    assert a != ex.BakerStrehlowTang(energy_j=1e9, flame_mach=0.5)
    assert a != "MultiEnergy"
    assert len({a, ex.MultiEnergy(energy_j=1e9, strength=5)}) == 1


def test_partial_run_pickles_exactly():
    s = _study()
    p = s.run_partial([0])
    back = pickle.loads(pickle.dumps(p))
    assert back.to_bytes() == p.to_bytes()
    assert "PartialRun" in repr(p)


SMALL = [n for n in CASES if n not in ("Study", "RiskResult", "WhatIf", "Compliance", "Park", "ParkRun")]


@pytest.mark.parametrize("name", SMALL)
def test_from_json_with_bad_numbers_raises_qra_errors_only(name):
    """Every number of the serde form replaced by NaN, −1, 0, ±huge or a string: ``from_json``
    either re-validates to an object or raises a ``qra.QraError`` (never a panic/other error)."""
    import json
    import re

    obj = CASES[name][0]()
    text = obj.to_json()
    numbers = list(re.finditer(r"(?<=[:\[,])-?\d+(\.\d+)?([eE][-+]?\d+)?(?=[,\]}])", text))
    assert numbers
    for m in numbers:
        for bad in ("NaN", "-1", "0", "1e308", "-1e308", '"x"', "null"):
            t = text[: m.start()] + bad + text[m.end():]
            try:
                back = type(obj).from_json(t)
            except qra.QraError:
                continue
            json.loads(back.to_json())  # a valid object again


@pytest.mark.parametrize("name", SMALL)
def test_from_json_rejects_garbage(name):
    cls = type(CASES[name][0]())
    for text in ["", "{", "[]", "null", '{"unexpected": 1}', "1e999", '"text"']:
        with pytest.raises(qra.QraError):
            cls.from_json(text)
