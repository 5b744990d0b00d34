"""Fuzzing harness (issue 21): hypothesis over every public physics callable of qra — functions
and the constructors and methods of the model classes — with hostile values (NaN, ±inf, 0, −0,
subnormals, 1e300, 2⁶⁴, negative numbers, empty and mis-shaped arrays, unknown names, control
characters, lone surrogates).

Every call must either return finite numbers (non-negative, and ≤ 1 for probabilities, where the
name says so) or raise a typed :class:`qra.QraError` (``TypeError`` for an argument of the wrong
Python type is accepted too: it is raised by the argument conversion, before qra runs). Anything
else — another exception, a NaN, an infinity, a negative concentration — is a finding.

Every finding fails the test; in long mode every callable still runs to its end, and the
figures (calls, time, slowest call, findings by kind) are printed with ``-s`` and written as JSON
to ``QRA_FUZZ_REPORT`` when set. A call that takes longer than ``QRA_FUZZ_HANG_S`` (default 120 s)
is a hang: ``faulthandler`` prints every thread's stack and ends the process. A Rust panic reaches
Python as ``pyo3_runtime.PanicException`` (a ``BaseException``) and is a finding of its own kind.

Examples per callable: ``QRA_FUZZ_EXAMPLES`` (default 25, derandomised, so CI stays well under a
minute and reproducible). Long (nightly) mode: ``QRA_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py``
(random seeds). ``QRA_FUZZ_SHARD=i/n`` splits the callables over n processes; ``QRA_FUZZ_BATCH``
calls per example (default 1; each call draws its own arguments) amortise hypothesis's
per-example cost. The figures of the runs are in ``FUZZING.md``.
"""

from __future__ import annotations

import faulthandler
import inspect
import json
import math
import os
import re
import time
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
BATCH = max(1, int(os.environ.get("QRA_FUZZ_BATCH", "1")))
HANG_S = float(os.environ.get("QRA_FUZZ_HANG_S", "120"))
CALLS = {"n": 0}
#: Findings by kind, and the slowest call (long mode's figures).
FINDINGS = dict.fromkeys(("panic", "untyped exception", "non-finite result", "negative result",
                          "probability above 1"), 0)
SLOWEST = {"s": 0.0, "call": ""}
EXAMPLES_OF_FINDINGS: list[str] = []  # the first few, for the report
STARTED = time.perf_counter()


def _kind(finding: str) -> str:
    for k, key in (("panic", "PanicException"), ("non-finite result", "non-finite value"),
                   ("negative result", "negative value"), ("probability above 1", "probability above 1")):
        if key in finding:
            return k
    return "untyped exception"


ARMED = {"t": -math.inf}


def _timed(fn: Callable[..., Any], args: dict[str, Any], label: str) -> Any:
    """``fn(**args)`` under the hang watchdog, timing it. The watchdog (``faulthandler``'s own
    thread, which runs even while a native call holds the GIL) is re-armed at most once a second
    — arming it per call cost half the run's time — so a call that runs longer than about
    ``HANG_S`` − 1 s ends the process with every thread's stack."""
    t0 = time.perf_counter()
    if t0 - ARMED["t"] > 1.0:
        faulthandler.dump_traceback_later(HANG_S, exit=True)
        ARMED["t"] = t0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(**args)
    finally:
        dt = time.perf_counter() - t0
        if dt > SLOWEST["s"]:
            SLOWEST.update(s=dt, call=f"{label}({args!r})"[:300])
        if t0 - ARMED.get("reported", 0.0) > 30.0:  # the figures so far, for a run stopped early
            ARMED["reported"] = t0
            _report(complete=False, at=label)


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
#: Integers beyond 64 and 128 bits (an int argument is converted by ``qra-py/src/args.rs``), and
#: beyond the float range (2¹⁰²⁴ and up: ``OverflowError`` in pyo3's and NumPy's float conversion
#: before issue 21 continued), alone and inside lists.
BIG_INTS = [2**1024, 2**1100, -(2**1100), 10**400]
integers = st.one_of(st.integers(-(2**70), 2**70), st.sampled_from([2**63, 2**64, -(2**63) - 1, 2**128, -(2**200)]),
                     st.integers(-(2**1000), 2**1000), st.sampled_from(BIG_INTS), st.integers(2**1023, 2**1200))
arrays = st.one_of(arrays, st.lists(st.one_of(floats, st.sampled_from(BIG_INTS)), min_size=1, max_size=4))
values = st.one_of(floats, floats, arrays, st.sampled_from(WORDS), integers, st.none(),
                   st.booleans(), st.text(max_size=6))
texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=6), floats)


numbers = st.one_of(floats, floats, floats, arrays, integers)


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
#: A name ending in a unit is not a probability (``lethality_reach_m`` is a distance).
UNIT_SUFFIX = re.compile(r"_(m|s|kg|kg_s|pa|pa_s|j|w_m2|m2|m3|kg_m3)$")


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
        elif any(k in low for k in PROBABILITY) and not UNIT_SUFFIX.search(low) and (a > 1.0 + 1e-12).any():
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
        r = _timed(fn, args, label)
    except qra.QraError:
        return []
    except TypeError:
        # an argument of the wrong Python type (a text for a number, an array for a scalar) is
        # refused by the argument conversion, before qra runs: the standard Python contract
        return []
    except Exception as e:  # noqa: BLE001 — every other exception is a finding
        return [f"{label}({args!r}): {type(e).__name__}: {e}"]
    except BaseException as e:
        if type(e).__name__ != "PanicException":
            raise
        return [f"{label}({args!r}): PanicException: {e}"]
    return [f"{label}({args!r}): {m}" for m in _check_result(label.rsplit(".", 1)[-1], r)]


def _params(fn: Any) -> list[inspect.Parameter]:
    try:
        return [p for p in inspect.signature(fn).parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    except (TypeError, ValueError):
        return []


_KWARGS: dict[str, st.SearchStrategy[dict[str, Any]]] = {}


def _kwargs(fn: Any, key: str) -> st.SearchStrategy[dict[str, Any]]:
    """Arguments for ``fn`` by keyword: required ones always, optional ones sometimes (built once
    per ``key``: reading a native signature tokenises its text)."""
    if key not in _KWARGS:
        ps = _params(fn)
        req = {p.name: _strategy(p.name) for p in ps if p.default is inspect.Parameter.empty}
        opt = {p.name: _strategy(p.name) for p in ps if p.default is not inspect.Parameter.empty}
        _KWARGS[key] = st.fixed_dictionaries(req, optional=opt)
    return _KWARGS[key]


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


#: ``QRA_FUZZ_SHARD=i/n`` runs every n-th callable from the i-th (0-based), so a long run can be
#: split over processes; the study parser and the partial-run decoder run in shard 0.
SHARD, SHARDS = (int(x) for x in os.environ.get("QRA_FUZZ_SHARD", "0/1").split("/"))
TARGETS = _targets()[SHARD::SHARDS]


def _settings() -> settings:
    return settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                    suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize(("label", "fn"), TARGETS, ids=[t[0] for t in TARGETS])
def test_fuzz_callable(label, fn):
    findings: list[str] = []

    @_settings()
    @given(data=st.data())
    def run(data):
        for _ in range(BATCH):
            one(data)

    def one(data):
        args = data.draw(_kwargs(fn, label))
        if inspect.isclass(fn):
            CALLS["n"] += 1
            try:
                obj = _timed(fn, args, label)
            except (qra.QraError, TypeError):
                return
            except Exception as e:  # noqa: BLE001
                findings.append(f"{label}({args!r}): {type(e).__name__}: {e}")
                return
            except BaseException as e:
                if type(e).__name__ != "PanicException":
                    raise
                findings.append(f"{label}({args!r}): PanicException: {e}")
                return
            for mname, m in inspect.getmembers(obj, callable):
                if mname.startswith("_") or mname in {"to_json", "from_json", "to_dict", "from_dict"}:
                    continue
                findings.extend(_call(m, f"{label}.{mname}", data.draw(_kwargs(m, f"{label}.{mname}"))))
        else:
            findings.extend(_call(fn, label, args))

    run()
    for f in dict.fromkeys(findings):
        FINDINGS[_kind(f)] += 1
        if len(EXAMPLES_OF_FINDINGS) < 20:
            EXAMPLES_OF_FINDINGS.append(f[:500])
    assert not findings, f"{len(findings)} finding(s), first: " + "\n".join(dict.fromkeys(findings[:5]))


@pytest.mark.skipif(SHARD != 0, reason="runs in shard 0")
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
            _timed(qra.Study.from_toml, {"text": text}, "qra.Study.from_toml")
        except qra.QraError:
            pass
        except Exception as e:  # noqa: BLE001
            bad.append(f"line {i + 1} {key} = {v!r}: {type(e).__name__}: {e}")
        except BaseException as e:
            if type(e).__name__ != "PanicException":
                raise
            bad.append(f"line {i + 1} {key} = {v!r}: PanicException: {e}")

    run()
    for f in dict.fromkeys(bad):
        FINDINGS[_kind(f)] += 1
        if len(EXAMPLES_OF_FINDINGS) < 20:
            EXAMPLES_OF_FINDINGS.append(f[:500])
    assert not bad, "\n".join(bad[:5])


@pytest.mark.skipif(SHARD != 0, reason="runs in shard 0")
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
            p = _timed(qra.PartialRun.from_bytes, {"data": bytes(b)}, "qra.PartialRun.from_bytes")
        except qra.QraError:
            return
        except Exception as e:  # noqa: BLE001
            bad.append(f"{type(e).__name__}: {e}")
            return
        except BaseException as e:
            if type(e).__name__ != "PanicException":
                raise
            bad.append(f"PanicException: {e}")
            return
        CALLS["n"] += 1
        try:
            r = _timed(s.combine, {"parts": [p]}, "qra.Study.combine")
        except qra.QraError:
            return
        except Exception as e:  # noqa: BLE001
            bad.append(f"combine: {type(e).__name__}: {e}")
            return
        ir = np.asarray(r.individual_risk)
        if not (np.isfinite(ir).all() and (ir >= 0).all()):
            bad.append("combine accepted a non-finite or negative IR")

    run()
    for f in dict.fromkeys(bad):
        FINDINGS[_kind(f)] += 1
        if len(EXAMPLES_OF_FINDINGS) < 20:
            EXAMPLES_OF_FINDINGS.append(f[:500])
    assert not bad, "\n".join(bad[:5])


def _report(complete: bool, at: str = "") -> dict[str, Any]:
    figures = {"calls": CALLS["n"], "seconds": round(time.perf_counter() - STARTED, 1), "examples_per_callable": EXAMPLES,
               "calls_per_example": BATCH, "shard": f"{SHARD}/{SHARDS}", "findings": FINDINGS,
               "slowest_call_s": round(SLOWEST["s"], 3), "slowest_call": SLOWEST["call"], "complete": complete, "at": at,
               "first_findings": EXAMPLES_OF_FINDINGS}
    if os.environ.get("QRA_FUZZ_REPORT"):
        with open(os.environ["QRA_FUZZ_REPORT"], "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=1, ensure_ascii=True)
    return figures


def teardown_module(module):
    faulthandler.cancel_dump_traceback_later()
    figures = _report(complete=True)
    if LONG:
        print(f"\nqra fuzz: {json.dumps(figures, ensure_ascii=True)}")
