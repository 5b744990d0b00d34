"""Issue 13, one Python class per model: the native classes live in ``qra.<family>``, every
vectorised function broadcasts like NumPy (checked against a loop over scalars, bit for bit), and
renamed parameters keep their old names as deprecated aliases for one release.
"""

import importlib
import inspect
import math
import pickle
import types

import numpy as np
import pytest

import qra
from qra import _qra, dispersion, explosion, fire, linear, park, source, vulnerability

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
    for family in ("fire", "explosion", "vulnerability", "dispersion", "park", "source"):
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


# --- functions: qra.source and qra.linear.analytic_transect -------------------------------------


def _module_callables(module):
    for name in module.__all__:
        obj = getattr(module, name)
        if callable(obj):
            yield name, obj


@pytest.mark.parametrize(("name", "f"), list(_module_callables(source)))
def test_every_source_function_is_native_and_lives_in_qra_source(name, f):
    assert isinstance(f, types.BuiltinFunctionType) and not inspect.isfunction(f)  # no Python wrapper
    assert f is getattr(_qra, name) and f.__module__ == "qra.source"
    assert getattr(importlib.import_module(f.__module__), f.__name__) is f
    assert pickle.loads(pickle.dumps(f)) is f
    assert "Parameters\n" in f.__doc__ and "Raises\n" in f.__doc__, name


def test_source_module_has_no_python_functions():
    assert not [n for n, v in vars(source).items() if inspect.isfunction(v)]
    f = linear.analytic_transect
    assert f is _qra.analytic_transect and f.__module__ == "qra.linear" and not inspect.isfunction(f)


def test_source_defaults_are_written_once_in_the_native_signature():
    sig = inspect.signature(source.gas_discharge)
    assert sig.parameters["ambient_pressure_pa"].default == 101_325.0
    assert sig.parameters["discharge_coefficient"].default == 0.61
    assert sig.parameters["gamma"].kind is inspect.Parameter.KEYWORD_ONLY
    with pytest.raises(TypeError):
        source.gas_discharge(0.01, 1e6, 293.0, None, 0.029)  # properties are keyword-only


def test_choked_gas_discharge_against_a_hand_calculation():
    # Air (M = 0.02897 kg/mol, γ = 1.4) at 10 bar, 293 K through a 10 mm hole, C_d = 0.61, into
    # 1 atm: p_a/p0 = 0.101 < (2/2.4)^3.5 = 0.528, so choked (Crowl & Louvar 2011 eq. 4-50):
    # ṁ = C_d A p0 √(γ M/(R T)·(2/(γ+1))^((γ+1)/(γ−1))). Same formula, so only rounding
    # differs: rtol 1e-12.
    cd, d, p0, t, m, g, r = 0.61, 0.01, 10e5, 293.0, 0.02897, 1.4, 8.314462618
    ref = cd * math.pi * d**2 / 4.0 * p0 * math.sqrt(g * m / (r * t) * (2.0 / (g + 1.0)) ** ((g + 1.0) / (g - 1.0)))
    out = source.gas_discharge(d, p0, t, molar_mass_kg_mol=m, gamma=g, discharge_coefficient=cd)
    assert out["choked"] and out["critical_pressure_ratio"] == pytest.approx((2.0 / 2.4) ** 3.5, rel=1e-12)
    assert out["rate_kg_s"] == pytest.approx(ref, rel=1e-12)
    # By hand: A = 7.854e-5 m², √(…) = √(1.6649e-5 · 0.33490) = 2.3613e-3 s/m → 0.1131 kg/s (4 digits).
    assert out["rate_kg_s"] == pytest.approx(0.1131, rel=1e-3)


def test_liquid_discharge_and_flash_fraction_take_properties_from_the_database():
    # Benzene, 3 bar over 2 m of liquid, 25 mm hole (Crowl & Louvar 2011 eq. 4-6):
    # ṁ = C_d A ρ √(2 (p − p_a)/ρ + 2 g h) with ρ from the database; rtol 1e-12 (rounding only).
    rho = qra.substance("benzene").liquid_density_kg_m3
    ref = 0.61 * math.pi * 0.025**2 / 4.0 * rho * math.sqrt(2.0 * (3e5 - 101_325.0) / rho + 2.0 * 9.80665 * 2.0)
    assert source.liquid_discharge(0.025, 3e5, "benzene", head_m=2.0) == pytest.approx(ref, rel=1e-12)
    # Ammonia at 20 °C: f = c_p (T − T_b)/h_fg (Crowl & Louvar 2011 eq. 4-90), rtol 1e-12.
    nh3 = qra.substance("ammonia")
    ref = nh3.cp_liquid_j_kg_k * (293.15 - nh3.normal_boiling_point_k) / nh3.heat_of_vaporisation_j_kg
    assert source.flash_fraction(293.15, "ammonia") == pytest.approx(ref, rel=1e-12)
    # A given property wins over the database.
    assert source.flash_fraction(293.15, "ammonia", boiling_point_k=293.15) == 0.0


def test_source_property_errors_name_the_argument():
    with pytest.raises(qra.InvalidInputError) as e:
        source.gas_discharge(0.01, 1e6, 293.0, molar_mass_kg_mol=0.029)
    assert (e.value.argument, e.value.value, e.value.rule) == ("gamma", "None", "give it or a substance name")
    with pytest.raises(qra.InvalidInputError) as e:
        source.liquid_discharge(0.01, 3e5, "nitrocellulose")
    assert e.value.argument == "density_kg_m3" and "not in the database for nitrocellulose" in e.value.rule
    with pytest.raises(qra.InvalidInputError) as e:
        source.tank_drain(150.0, 10.0, 4.0, [0.0], density_kg_m3=800.0)
    assert e.value.argument == "hole_diameter_m" and e.value.rule == "must be in (0, 100]"
    with pytest.raises(qra.InvalidInputError) as e:
        source.pool_evaporation(instantaneous_mass_kg=10.0, liquid_density_kg_m3=800.0, boiling_point_k=350.0,
                                heat_of_vaporisation_j_kg=4e5, molar_mass_kg_mol=0.078)
    assert e.value.argument == "vapour_pressure_pa"
    with pytest.raises(qra.UnknownNameError) as e:
        source.flash_fraction(293.15, "amonia")
    assert "ammonia" in e.value.suggestions
