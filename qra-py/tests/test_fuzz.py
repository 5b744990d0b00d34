"""Fuzzing harness (issue 21): hypothesis over every public physics callable of qra — functions
and the constructors and methods of the model classes — with hostile values (NaN, ±inf, 0, −0,
subnormals, 1e300, 2⁶⁴, negative numbers, empty and mis-shaped arrays, unknown names, control
characters, lone surrogates).

Every call must either return finite numbers (non-negative, and ≤ 1 for probabilities, where the
name says so) or raise a typed :class:`qra.QraError` (``TypeError`` for an argument of the wrong
Python type is accepted too: it is raised by the argument conversion, before qra runs). Anything
else — another exception, a NaN, an infinity, a negative concentration — is a finding.

Known and not yet fixed (counted and printed in long mode, not failed): :data:`KNOWN`.

Examples per callable: ``QRA_FUZZ_EXAMPLES`` (default 25, derandomised, so CI stays well under a
minute and reproducible). Long (nightly) mode: ``QRA_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py``
(random seeds; the count of calls is printed with ``-s``).
"""

from __future__ import annotations

import inspect
import math
import os
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import qra  # noqa: E402

EXAMPLES = int(os.environ.get("QRA_FUZZ_EXAMPLES", "25"))
LONG = EXAMPLES > 1000
CALLS = {"n": 0}
#: Known, not yet fixed: untyped exceptions raised by pyo3's argument conversion before qra runs
#: (every ``str`` argument, every bounded ``int`` argument). Counted and printed, not failed.
KNOWN = {
    "lone surrogate in a text argument (UnicodeEncodeError from the conversion)":
        lambda e: isinstance(e, UnicodeEncodeError) and "surrogates not allowed" in str(e),
    "int argument beyond 64 bits (OverflowError from the conversion)":
        lambda e: isinstance(e, OverflowError) and "too large to convert" in str(e),
}
KNOWN_COUNT = dict.fromkeys(KNOWN, 0)


def _known(e: BaseException) -> bool:
    for k, f in KNOWN.items():
        if f(e):
            KNOWN_COUNT[k] += 1
            return True
    return False

WORDS = sorted(set(qra.substances()) | {
    "A", "B", "C", "D", "E", "F", "G", "rural", "urban", "briggs", "pasquill-gifford", "tno", "ccps-puff",
    "purple-book", "aqt3046", "tsao-perry", "eisenberg", "erpg-2", "erpg-3", "aegl-2", "aegl-3", "idlh", "low", "medium",
    "high", "yellow-book", "tno-cpr16e", "", " ", "\x1b[2J", "\ud800", "a" * 300, "$x^{$", "=cmd", "ammonia\x00",
})
SPECIAL = [0.0, -0.0, 5e-324, 1e-300, 1e-9, 1e-3, 0.5, 1.0, 2.0, 10.0, 293.15, 101325.0, 1e6, 1e300, 2.0**64,
           -1.0, -1e300, math.nan, math.inf, -math.inf]

floats = st.one_of(st.sampled_from(SPECIAL), st.floats(allow_nan=True, allow_infinity=True),
                   st.floats(min_value=-1e4, max_value=1e4))
arrays = st.one_of(
    st.lists(floats, min_size=0, max_size=6).map(lambda v: np.asarray(v, dtype=float)),
    st.lists(floats, min_size=4, max_size=4).map(lambda v: np.asarray(v, dtype=float).reshape(2, 2)),
)
values = st.one_of(floats, floats, arrays, st.sampled_from(WORDS), st.integers(-(2**70), 2**70), st.none(),
                   st.booleans(), st.text(max_size=6))
texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=6), floats)


numbers = st.one_of(floats, floats, floats, arrays, st.integers(-(2**70), 2**70))


def _strategy(name: str) -> st.SearchStrategy[Any]:
    """Mostly values of the right kind for the parameter's name (so values, not types, are
    fuzzed), sometimes anything."""
    if name in {"substance", "stability", "terrain", "scheme", "model", "rule", "probit_set", "level", "strength",
                "transmissivity", "reactivity", "congestion", "confinement", "by", "criteria", "name"}:
        return st.one_of(texts, texts, texts, values)
    if name in {"inventory_kg"}:
        return st.one_of(st.dictionaries(st.sampled_from(WORDS), floats, max_size=3), values)
    if name in {"orientation", "direction", "release_point_m"}:
        return st.one_of(st.lists(floats, min_size=3, max_size=3), st.sampled_from(["max", "horizontal", "vertical"]), values)
    return st.one_of(numbers, numbers, numbers, values)


#: Output names that are never negative / are probabilities.
NON_NEGATIVE = ("concentration", "reach", "distance", "rate", "mass", "lethality", "probability", "fraction", "sigma",
                "diameter", "energy", "flux", "load", "duration", "time", "speed", "dose", "width", "radius", "length")
PROBABILITY = ("lethality", "probability", "fraction")


def _check_result(name: str, r: Any, path: str = "") -> list[str]:
    """Findings in a result: non-finite floats; negative values or probabilities above 1 where the
    callable's name says they cannot be."""
    out: list[str] = []
    low = name.lower()
    if isinstance(r, (float, np.floating)) or (isinstance(r, np.ndarray) and r.dtype.kind == "f"):
        a = np.asarray(r, dtype=float)
        if "probit" in low:
            a = a[np.isfinite(a) | np.isnan(a)]  # a zero (overflowing) dose has the probit −∞ (+∞): P = 0 (1)
        if not np.isfinite(a).all():
            out.append(f"{path or 'result'}: non-finite value {a.ravel()[~np.isfinite(a.ravel())][:3]}")
        elif any(k in low for k in NON_NEGATIVE) and "probit" not in low and (a < 0).any():
            out.append(f"{path or 'result'}: negative value {a.min()}")
        elif any(k in low for k in PROBABILITY) and (a > 1.0 + 1e-12).any():
            out.append(f"{path or 'result'}: probability above 1: {a.max()}")
    elif isinstance(r, dict):
        for k, v in r.items():
            out += _check_result(f"{name}.{k}", v, f"{path}[{k!r}]")
    elif isinstance(r, (tuple, list)) and len(r) < 64:
        for k, v in enumerate(r):
            out += _check_result(name, v, f"{path}[{k}]")
    return out


def _call(fn: Callable[..., Any], label: str, args: dict[str, Any]) -> list[str]:
    CALLS["n"] += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = fn(**args)
    except qra.QraError:
        return []
    except TypeError:
        # an argument of the wrong Python type (a text for a number, an array for a scalar) is
        # refused by the argument conversion, before qra runs: the standard Python contract
        return []
    except Exception as e:  # noqa: BLE001 — every other exception is a finding
        if _known(e):
            return []
        return [f"{label}({args!r}): {type(e).__name__}: {e}"]
    return [f"{label}({args!r}): {m}" for m in _check_result(label.rsplit(".", 1)[-1], r)]


def _params(fn: Any) -> list[inspect.Parameter]:
    try:
        return [p for p in inspect.signature(fn).parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _kwargs(fn: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Arguments for ``fn`` by keyword: required ones always, optional ones sometimes."""
    ps = _params(fn)
    req = {p.name: _strategy(p.name) for p in ps if p.default is inspect.Parameter.empty}
    opt = {p.name: _strategy(p.name) for p in ps if p.default is not inspect.Parameter.empty}
    return st.fixed_dictionaries(req, optional=opt)


MODULES = ["qra.source", "qra.dispersion", "qra.fire", "qra.explosion", "qra.vulnerability"]
#: Callables that need a study or a result (fuzzed through the study parser instead) or that are
#: classes without a constructor.
SKIP = {"qra.dispersion.finite_release_concentration"}


def _targets() -> list[tuple[str, Any]]:
    import importlib

    out = [("qra.substance", qra.substance), ("qra.criteria_set", qra.criteria_set),
           ("qra.linear.analytic_transect", qra.linear.analytic_transect), ("qra.park.major_hazard", qra.park.major_hazard)]
    for m in MODULES:
        mod = importlib.import_module(m)
        for n in mod.__all__:
            obj = getattr(mod, n)
            if callable(obj) and f"{m}.{n}" not in SKIP and not (inspect.isclass(obj) and issubclass(obj, BaseException)):
                out.append((f"{m}.{n}", obj))
    return out


TARGETS = _targets()


def _settings() -> settings:
    return settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                    suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize(("label", "fn"), TARGETS, ids=[t[0] for t in TARGETS])
def test_fuzz_callable(label, fn):
    findings: list[str] = []

    @_settings()
    @given(data=st.data())
    def run(data):
        args = data.draw(_kwargs(fn))
        if inspect.isclass(fn):
            CALLS["n"] += 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    obj = fn(**args)
            except (qra.QraError, TypeError):
                return
            except Exception as e:  # noqa: BLE001
                if not _known(e):
                    findings.append(f"{label}({args!r}): {type(e).__name__}: {e}")
                return
            for mname, m in inspect.getmembers(obj, callable):
                if mname.startswith("_") or mname in {"to_json", "from_json", "to_dict", "from_dict"}:
                    continue
                findings.extend(_call(m, f"{label}.{mname}", data.draw(_kwargs(m))))
        else:
            findings.extend(_call(fn, label, args))

    run()
    assert not findings, f"{len(findings)} finding(s), first: " + "\n".join(dict.fromkeys(findings[:5]))


def test_fuzz_study_parser():
    """Hostile study texts: the demo study with one value replaced by a hostile one must load or
    raise ``InvalidDocumentError`` — never another exception."""
    from pathlib import Path

    demo = (Path(__file__).resolve().parents[2] / "models" / "studies" / "analytic_demo.toml").read_text(encoding="utf-8")
    lines = demo.splitlines()
    slots = [i for i, ln in enumerate(lines) if " = " in ln and not ln.lstrip().startswith("#")]
    bad: list[str] = []

    @_settings()
    @given(i=st.sampled_from(slots), v=st.one_of(st.sampled_from(["nan", "inf", "-inf", "-1.0", "1e300", "0", '""', "[]", "{}",
                                                                 '"\\u001b[2J"', '"$x^{$"', "true", "-9223372036854775809"]),
                                                st.text(max_size=12)))
    def run(i, v):
        key = lines[i].split(" = ", 1)[0]
        text = "\n".join([*lines[:i], f"{key} = {v}", *lines[i + 1:]])
        CALLS["n"] += 1
        try:
            qra.Study.from_toml(text)
        except qra.QraError:
            pass
        except Exception as e:  # noqa: BLE001
            bad.append(f"line {i + 1} {key} = {v!r}: {type(e).__name__}: {e}")

    run()
    assert not bad, "\n".join(bad[:5])


def test_fuzz_partial_run_decoder():
    """Truncated, bit-flipped or forged partial runs: decoded or refused with a typed error."""
    from pathlib import Path

    s = qra.Study.from_file(Path(__file__).resolve().parents[2] / "models" / "studies" / "analytic_demo.toml")
    good = s.run_partial(list(range(len(s.to_dict()["installations"])))).to_bytes()
    bad: list[str] = []

    @_settings()
    @given(cut=st.integers(0, len(good)), flips=st.lists(st.tuples(st.integers(0, len(good) - 1), st.integers(0, 255)), max_size=4))
    def run(cut, flips):
        b = bytearray(good[:cut] if cut < len(good) else good)
        for k, x in flips:
            if k < len(b):
                b[k] = x
        CALLS["n"] += 1
        try:
            p = qra.PartialRun.from_bytes(bytes(b))
        except qra.QraError:
            return
        except Exception as e:  # noqa: BLE001
            bad.append(f"{type(e).__name__}: {e}")
            return
        try:
            r = s.combine([p])
        except qra.QraError:
            return
        except Exception as e:  # noqa: BLE001
            bad.append(f"combine: {type(e).__name__}: {e}")
            return
        ir = np.asarray(r.individual_risk)
        if not (np.isfinite(ir).all() and (ir >= 0).all()):
            bad.append("combine accepted a non-finite or negative IR")

    run()
    assert not bad, "\n".join(bad[:5])


def teardown_module(module):
    if LONG:
        print(f"\nqra fuzz: {CALLS['n']} calls; known conversion errors: {KNOWN_COUNT}")
