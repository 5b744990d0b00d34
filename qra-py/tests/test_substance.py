"""qra.substance / qra.substances / qra.Substance."""

import math
import pickle

import pytest

import qra


def test_version():
    assert qra.__version__.count(".") == 2


def test_at_least_forty_substances():
    names = qra.substances()
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    for n in ["chlorine", "ammonia", "phosgene", "lpg", "ammonium nitrate"]:
        assert n in names


def test_chlorine_properties_with_units_and_sources():
    cl2 = qra.substance("chlorine")
    # NIST WebBook: M = 70.906 g/mol, T_b = 239.11 K.
    assert cl2.molar_mass_kg_mol == pytest.approx(0.070906, rel=1e-4)
    assert cl2.normal_boiling_point_k == pytest.approx(239.11, rel=1e-2)
    assert cl2.cas == "7782-50-5"
    assert cl2.toxic and not cl2.flammable
    text = str(cl2)
    for needle in ["kg/mol", "Pa", "sources:", "toxic probit", "GB 18218"]:
        assert needle in text
    assert "properties" in cl2.sources
    assert repr(cl2) == "<Substance 'chlorine' CAS 7782-50-5, M = 0.070906 kg/mol, toxic>"


def test_vapour_pressure_against_nist():
    # NIST WebBook saturation pressure of ammonia at 20 °C: 857.5 kPa.
    assert qra.substance("NH3").vapour_pressure_pa(293.15) == pytest.approx(857.5e3, rel=0.03)


def test_aliases_and_chinese_names():
    assert qra.substance("液氯").name == "chlorine"
    assert qra.substance("  lpg ").name == "lpg"


def test_unknown_name_suggests():
    with pytest.raises(qra.UnknownNameError) as ei:
        qra.substance("chlorin")
    e = ei.value
    assert isinstance(e, ValueError) and isinstance(e, LookupError) and isinstance(e, qra.QraError)
    assert e.suggestions[0] == "chlorine"
    assert "did you mean" in str(e)


@pytest.mark.parametrize("t", [math.nan, -5.0, 1e9, math.inf])
def test_bad_temperature(t):
    with pytest.raises(qra.InvalidInputError) as ei:
        qra.substance("chlorine").vapour_pressure_pa(t)
    assert ei.value.argument == "temperature_k"


def test_missing_property_is_reported():
    with pytest.raises(qra.InvalidInputError, match="vapour_pressure"):
        qra.substance("nitrocellulose").vapour_pressure_pa(300.0)


def test_pickle_and_json_round_trip():
    s = qra.substance("benzene")
    assert pickle.loads(pickle.dumps(s)) == s
    assert qra.Substance.from_json(s.to_json()) == s


def test_user_substance_validation_lists_every_problem():
    bad = """
name = "x"
state = "liquid"
flammable = true
toxic = false
molar_mass_kg_mol = -1.0
"""
    with pytest.raises(qra.InvalidDocumentError) as ei:
        qra.Substance.from_toml(bad)
    paths = [p[0] for p in ei.value.problems]
    assert "substance.molar_mass_kg_mol" in paths
    assert "substance.heat_of_combustion_j_kg" in paths
    with pytest.raises(qra.InvalidDocumentError) as ei:
        qra.Substance.from_toml('name = "x"\nstate = \n')
    assert ei.value.problems[0][1] == 2
