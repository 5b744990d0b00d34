"""qra.vulnerability thermal and blast probits and rule sets."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra
from qra import vulnerability as v


def test_thermal_probits_by_hand():
    # Dose V = t q^(4/3) (models.md section 3.6 constants); hand computation.
    dose = 30.0 * 1e4 ** (4 / 3)
    ln_v = math.log(dose)
    assert_allclose(v.thermal_probit(1e4, 30.0, "eisenberg"), -38.48 + 2.56 * ln_v, rtol=1e-12)
    assert_allclose(v.thermal_probit(1e4, 30.0, "tsao-perry"), -36.38 + 2.56 * ln_v, rtol=1e-12)
    assert_allclose(v.thermal_probit(1e4, 30.0, "tno"), -37.23 + 2.56 * ln_v, rtol=1e-12)
    assert_allclose(v.thermal_probit(1e4, 30.0, "lees"), -29.02 + 1.99 * math.log(0.5 * dose), rtol=1e-12)
    # Zero dose: -inf probit, zero probability (documented), never NaN.
    assert v.thermal_probit(0.0, 10.0)[()] == -np.inf
    assert v.thermal_lethality(0.0, 10.0)[()] == 0.0


def test_thermal_rules():
    q = np.array([0.0, 5e3, 20e3, 35e3, 36e3, 37.5e3])
    pb = v.thermal_rule_lethality(q, 100.0, "purple-book")
    aq = v.thermal_rule_lethality(q, 100.0, "aqt3046")
    assert (pb[3:] == 1.0).all() and aq[4] < 1.0 and aq[5] == 1.0
    assert (np.diff(pb) >= 0).all() and ((pb >= 0) & (pb <= 1)).all()
    assert (v.thermal_rule_lethality(q[:3], 100.0, indoor=True) == 0.0).all()


def test_blast_probits_and_rules():
    assert_allclose(v.overpressure_probit(1e5, 0.0, "hse"), 5.13, rtol=1e-12)
    assert_allclose(v.overpressure_probit(1e5, 0.0, "eisenberg"), -77.1 + 6.91 * math.log(1e5), rtol=1e-12)
    p = np.geomspace(1e3, 1e7, 50)
    for model in ("eisenberg", "hse", "tno-head-impact", "tno-whole-body", "tno-collapse"):
        pr = v.overpressure_lethality(p, 1000.0, model)
        assert ((pr >= 0) & (pr <= 1)).all() and (np.diff(pr) >= 0).all()
    assert_allclose(v.overpressure_rule_lethality([5e3, 20e3, 30e3]), [0.0, 0.0, 1.0])
    assert_allclose(v.overpressure_rule_lethality([5e3, 20e3, 30e3], indoor=True), [0.0, 0.025, 1.0])


def test_bad_inputs():
    with pytest.raises(qra.InvalidInputError):
        v.thermal_probit(-1.0, 10.0)
    with pytest.raises(qra.InvalidInputError):
        v.thermal_probit(np.nan, 10.0)
    with pytest.raises(qra.UnknownNameError):
        v.thermal_probit(1e4, 10.0, "nope")
    with pytest.raises(qra.InvalidInputError):
        v.overpressure_probit(-5.0, 1.0)
    with pytest.raises(qra.UnknownNameError):
        v.overpressure_probit(5.0, 1.0, "tno-colapse")
