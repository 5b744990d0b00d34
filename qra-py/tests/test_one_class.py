"""Issue 13, one Python class per model: the native classes live in ``qra.<family>``, every
vectorised function broadcasts like NumPy (checked against a loop over scalars, bit for bit), and
renamed parameters keep their old names as deprecated aliases for one release.
"""

import importlib
import inspect
import pickle

import numpy as np
import pytest

import qra
from qra import _qra, dispersion, explosion, fire, park, vulnerability

FAMILIES = {"dispersion": dispersion, "explosion": explosion, "fire": fire, "park": park}


def _bits(a):
    return np.asarray(a, dtype=np.float64).view(np.uint64)


def _classes():
    for family, module in FAMILIES.items():
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and hasattr(_qra, name):
                yield family, name, obj


@pytest.mark.parametrize(("family", "name", "cls"), list(_classes()))
def test_native_class_lives_in_its_family_module(family, name, cls):
    assert cls.__module__ == f"qra.{family}"
    assert cls is getattr(_qra, name)  # one class, re-exported
    assert getattr(importlib.import_module(cls.__module__), cls.__qualname__) is cls
    if cls.__text_signature__ not in (None, "()"):  # a constructor with arguments: documented on the class
        assert "Parameters\n" in cls.__doc__, name


def test_every_model_module_only_re_exports():
    for family in ("fire", "explosion", "vulnerability", "dispersion", "park"):
        module = importlib.import_module(f"qra.{family}")
        python_only = {"SitingMap", "contributions", "domino"}  # pandas tables and a data container
        for name in set(module.__all__) - python_only:
            assert getattr(module, name) is getattr(_qra, name), f"qra.{family}.{name} is not the native object"
    assert not hasattr(qra, "_wrap") and importlib.util.find_spec("qra._wrap") is None


def test_pickle_points_at_the_family_module():
    pool = fire.PoolFire(10.0, 0.05, 4.4e7)
    data = pickle.dumps(pool)
    assert b"qra.fire" in data and b"qra._qra" not in data
    assert pickle.loads(data) == pool


# --- broadcasting -------------------------------------------------------------------------------

POOL = fire.PoolFire(10.0, 0.06, 44e6, wind_speed_m_s=3.0)
ME = explosion.MultiEnergy(energy_j=3e9, strength=6)
PLUME = dispersion.GaussianPlume(rate_kg_s=2.0, wind_speed_m_s=3.0, stability="D")

# (vectorised call, its arguments as (x, y) array-likes)
VECTORISED = {
    "PoolFire.heat_flux": lambda x, y: POOL.heat_flux(x, y, 1.0),
    "MultiEnergy.overpressure": lambda x, y: ME.overpressure(np.add(x, y) + 30.0),
    "GaussianPlume.concentration": lambda x, y: PLUME.concentration(x, y),
    "thermal_probit": lambda x, y: vulnerability.thermal_probit(np.abs(x) * 100.0, np.abs(y) + 1.0),
    "toxic_probability": lambda x, y: vulnerability.toxic_probability("chlorine", np.abs(x) * 1e-5, np.abs(y) + 60.0),
    "overpressure_probit": lambda x, y: vulnerability.overpressure_probit(np.abs(x) * 1e3, np.abs(y)),
}
SHAPES = {
    "scalar": (40.0, 2.0),
    "1-D": ([10.0, 40.0, 90.0], [0.0, 2.0, 5.0]),
    "2-D": (np.linspace(5.0, 200.0, 12).reshape(3, 4), np.linspace(-20.0, 20.0, 12).reshape(3, 4)),
    "mixed": (np.linspace(5.0, 200.0, 12).reshape(3, 4), [0.0, 1.0, 3.0, 7.0]),
    "column x row": (np.array([[10.0], [50.0], [120.0]]), 3.0 * np.arange(5.0)),
}


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("name", list(VECTORISED))
def test_broadcasting_equals_a_loop_over_scalars(name, shape):
    f = VECTORISED[name]
    x, y = SHAPES[shape]
    out = f(x, y)
    xb, yb = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    assert isinstance(out, np.ndarray) and out.shape == xb.shape
    loop = np.array([float(f(a, b)) for a, b in zip(xb.ravel(), yb.ravel(), strict=True)]).reshape(xb.shape)
    assert np.array_equal(_bits(out), _bits(loop))


def test_tnt_blast_and_flash_fire_keep_the_shape():
    d = np.linspace(5.0, 100.0, 6).reshape(2, 3)
    blast = explosion.tnt_blast(100.0, d)
    assert all(v.shape == (2, 3) for v in blast.values())
    lethality, reach = fire.flash_fire_lethality(np.array([[25.0], [200.0]]), [12.0, 13.0], [0.0, 50.0, 100.0],
                                                 [5.0, 20.0, 0.0])
    assert lethality.shape == (2, 2) and reach == pytest.approx(100.0)


# --- deprecated aliases (units in parameter names) ----------------------------------------------


def test_heat_flux_x_y_z_are_deprecated_aliases():
    new = POOL.heat_flux(x_m=[20.0, 40.0], y_m=1.0, z_m=2.0)
    with pytest.warns(DeprecationWarning, match="'x' is deprecated.*'x_m'"):
        old = POOL.heat_flux(x=[20.0, 40.0], y_m=1.0, z_m=2.0)
    assert np.array_equal(old, new)
    with pytest.warns(DeprecationWarning, match="'y' is deprecated"):
        assert np.array_equal(POOL.heat_flux([20.0, 40.0], y=1.0, z_m=2.0), new)
    with pytest.warns(DeprecationWarning, match="'z' is deprecated"):
        assert np.array_equal(POOL.heat_flux([20.0, 40.0], 1.0, z=2.0), new)
    with pytest.raises(TypeError, match="both"):
        POOL.heat_flux(x_m=1.0, x=1.0, y_m=0.0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'w'"):
        POOL.heat_flux(1.0, 0.0, w=1.0)
    with pytest.raises(TypeError, match="missing required argument 'y_m'"):
        POOL.heat_flux(1.0)


def test_flash_fire_lethality_x_y_are_deprecated_aliases():
    table = ([0.0, 50.0, 100.0], [5.0, 20.0, 0.0])
    new = fire.flash_fire_lethality([25.0, 200.0], [12.0, 0.0], *table)
    with pytest.warns(DeprecationWarning, match="'x' is deprecated"):
        old_x = fire.flash_fire_lethality(x=[25.0, 200.0], y_m=[12.0, 0.0], footprint_x_m=table[0],
                                          footprint_half_width_m=table[1])
    with pytest.warns(DeprecationWarning, match="'y' is deprecated"):
        old_y = fire.flash_fire_lethality(x_m=[25.0, 200.0], y=[12.0, 0.0], footprint_x_m=table[0],
                                          footprint_half_width_m=table[1])
    for old in (old_x, old_y):
        assert np.array_equal(old[0], new[0]) and old[1] == new[1]


def test_park_is_one_native_class():
    assert qra.Park is park.Park is _qra.Park and park.Park.__module__ == "qra.park"
    p = park.Park.from_toml(park.sample_park_toml())
    back = pickle.loads(pickle.dumps(p))
    assert back == p and repr(back).startswith("<qra.Park 11 facilities")
    assert park._park_from_json(p.study.to_json(), "GB36894-2018", None) == p  # a qra 0.1 pickle
    moved = p.what_if(move={"ammonia": (100.0, -50.0)})
    assert np.array_equal(_bits(pickle.loads(pickle.dumps(moved)).result.individual_risk),
                          _bits(moved.result.individual_risk))
