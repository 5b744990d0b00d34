"""qra.park.major_hazard (GB 18218-2018)."""

import pytest

import qra


def test_chlorine_ammonia_store_hand_computed():
    # S = 30/5 + 60/10 = 12; R = 2 (4·6 + 2·6) = 72 -> 二级 (GB 18218-2018 Tables 1, 3, 5).
    mh = qra.park.major_hazard({"chlorine": 30_000.0, "ammonia": 60_000.0}, exposed_persons=120)
    assert mh.s == pytest.approx(12.0)
    assert mh.r == pytest.approx(72.0)
    assert (mh.grade, mh.grade_zh, mh.is_major_hazard) == (2, "二级", True)
    assert "S=12.000" in repr(mh)


def test_below_threshold_has_no_grade():
    mh = qra.park.major_hazard({"methanol": 1000.0})
    assert not mh.is_major_hazard and mh.grade is None


def test_bad_inputs():
    with pytest.raises(qra.UnknownNameError):
        qra.park.major_hazard({"chlorin": 1.0})
    with pytest.raises(qra.InvalidInputError):
        qra.park.major_hazard({"chlorine": -1.0})
    with pytest.raises(qra.InvalidInputError):
        qra.park.major_hazard({})
