"""qra.dispersion.SlabPlume — the SLAB-class dense-gas plume (issue 17): thin-binding checks
against independent references (the Gaussian plume far downwind, the release rate), broadcasting,
pickling and typed errors."""

import pickle

import numpy as np
import pytest

import qra
from qra import dispersion


def test_passive_limit_is_the_gaussian_plume():
    # Carbon monoxide at ambient temperature (M 28.0 g/mol vs air 28.96: very nearly neutral) from a
    # 1 m/s jet: far downwind the Gaussian plume of the same atmosphere within 5 % (the issue's
    # passive-limit tolerance).
    slab = dispersion.SlabPlume(
        substance="carbon monoxide", rate_kg_s=5.0, wind_speed_m_s=5.0, exit_velocity_m_s=1.0, stability="D"
    )
    gauss = dispersion.GaussianPlume(rate_kg_s=5.0, wind_speed_m_s=5.0, stability="D")
    x = np.array([2000.0, 5000.0])
    np.testing.assert_allclose(slab.concentration(x), gauss.concentration(x), rtol=0.05)


def test_dense_chlorine_profile_and_broadcasting():
    p = dispersion.SlabPlume(
        substance="chlorine",
        rate_kg_s=10.0,
        wind_speed_m_s=2.0,
        stability="F",
        exit_velocity_m_s=40.0,
        liquid_fraction=0.5,
        duration_s=600.0,
    )
    prof = p.profile()
    assert prof["liquid_fraction"][0] == pytest.approx(0.5, abs=1e-6)
    assert max(prof["richardson"]) > 1.0  # a dense cloud
    c = p.concentration([[100.0], [1000.0]], [0.0, 20.0])
    assert c.shape == (2, 2) and c[0, 0] > c[1, 0] > 0.0 and c[0, 0] >= c[0, 1]
    assert p.concentration(-5.0) == 0.0
    assert 0.0 < p.volume_fraction(100.0) < 1.0
    d = p.distance_to(p.concentration(1000.0).item())
    assert d == pytest.approx(1000.0, rel=0.01)


def test_pickle_repr_and_errors():
    p = dispersion.SlabPlume(
        substance="ammonia", rate_kg_s=3.0, wind_speed_m_s=4.0, source="pool", area_m2=50.0
    )
    q = pickle.loads(pickle.dumps(p))
    assert q == p and "SlabPlume(" in repr(p) and "pool" in repr(p)
    with pytest.raises(qra.InvalidInputError, match="area_m2"):
        dispersion.SlabPlume(substance="ammonia", rate_kg_s=3.0, wind_speed_m_s=4.0, source="pool")
    with pytest.raises(qra.UnknownNameError):
        dispersion.SlabPlume(substance="ammonia", rate_kg_s=3.0, wind_speed_m_s=4.0, source="stack")
    with pytest.raises(qra.InvalidInputError, match="wind_speed_m_s"):
        dispersion.SlabPlume(substance="ammonia", rate_kg_s=3.0, wind_speed_m_s=0.5, exit_velocity_m_s=5.0)


def test_measured_surface_layer_in_stable_classes():
    # Class F, carbon monoxide (nearly neutral): a more stable measured surface layer (larger 1/L)
    # damps the top entrainment (SLAB Eq 35c), so the far field is more concentrated; in class D
    # the input is not used. Out-of-range 1/L is a typed error naming the argument.
    kw = dict(substance="carbon monoxide", rate_kg_s=5.0, wind_speed_m_s=2.0, exit_velocity_m_s=1.0)
    weak = dispersion.SlabPlume(stability="F", inverse_obukhov_length_per_m=0.01, **kw)
    strong = dispersion.SlabPlume(stability="F", inverse_obukhov_length_per_m=0.1, **kw)
    assert strong.concentration(3000.0).item() > weak.concentration(3000.0).item() > 0.0
    d1 = dispersion.SlabPlume(stability="D", inverse_obukhov_length_per_m=0.1, **{**kw, "wind_speed_m_s": 5.0})
    d0 = dispersion.SlabPlume(stability="D", **{**kw, "wind_speed_m_s": 5.0})
    assert d1.concentration(3000.0).item() == d0.concentration(3000.0).item()
    with pytest.raises(qra.InvalidInputError, match="inverse_obukhov_length_per_m"):
        dispersion.SlabPlume(stability="F", inverse_obukhov_length_per_m=-1.0, **kw)
