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
