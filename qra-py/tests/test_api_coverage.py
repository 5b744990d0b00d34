"""Meta-tests of the public API: every public name is exercised by some test, every CLI command is
tested, every public callable has a NumPy-style docstring.

"Public" = the names in ``__all__`` of ``qra`` and of each public submodule (and, for classes,
their public methods and properties).
"""

import argparse
import importlib
import inspect
import re
from pathlib import Path

import pytest

import qra

TESTS = Path(__file__).resolve().parent
MODULES = ["qra", "qra.dispersion", "qra.source", "qra.fire", "qra.explosion", "qra.vulnerability", "qra.park",
           "qra.plot", "qra.report", "qra.report_content", "qra.runner", "qra.verify", "qra.distributed", "qra.cli", "qra.exceptions"]


def _test_text() -> str:
    own = Path(__file__).name
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(TESTS.glob("test_*.py")) if p.name != own)


def _public(module_name):
    if module_name == "qra.distributed":
        pytest.importorskip("dask.distributed")
    m = importlib.import_module(module_name)
    return m, [n for n in m.__all__ if not n.startswith("_")]


def _members(obj):
    """Public methods and properties a class defines itself (not inherited from object)."""
    for name, v in vars(obj).items():
        if name.startswith("_") or name in {"mro"}:
            continue
        yield name, v


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_is_used_by_a_test(module_name):
    text = _test_text()
    m, names = _public(module_name)
    missing = [n for n in names if not re.search(rf"\b{re.escape(n)}\b", text)]
    assert not missing, f"{module_name}: no test mentions {missing}"
    for n in names:
        obj = getattr(m, n)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            gaps = [k for k, _ in _members(obj) if not re.search(rf"\.{re.escape(k)}\b", text)]
            assert not gaps, f"{module_name}.{n}: no test uses {gaps}"


def test_every_cli_command_is_tested():
    from qra.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = (TESTS / "test_cli.py").read_text(encoding="utf-8")
    missing = [c for c in sub.choices if f'"{c}"' not in text]
    assert not missing, f"CLI commands without a test: {missing}"


def _callables():
    seen = set()
    for module_name in MODULES:
        m, names = _public(module_name)
        for n in names:
            obj = getattr(m, n)
            if id(obj) in seen or not callable(obj) or (inspect.isclass(obj) and issubclass(obj, BaseException)):
                continue
            seen.add(id(obj))
            yield f"{module_name}.{n}", obj
            if inspect.isclass(obj):
                for k, v in _members(obj):
                    f = v.__func__ if isinstance(v, (classmethod, staticmethod)) else v
                    if callable(f):
                        yield f"{module_name}.{n}.{k}", getattr(obj, k)


def _takes_arguments(f) -> bool:
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        return True
    return any(p.name not in ("self", "cls") for p in sig.parameters.values())


def test_every_public_callable_has_a_numpy_docstring():
    """A docstring; where the callable takes arguments, a "Parameters" or "Returns" section."""
    bad = []
    for name, f in _callables():
        doc = inspect.getdoc(f) or ""
        if not doc.strip():
            bad.append(f"{name}: no docstring")
        elif _takes_arguments(f) and not re.search(r"^\s*(Parameters|Returns)\n\s*-{4,}", doc, re.M):
            bad.append(f"{name}: no Parameters/Returns section")
    assert not bad, "\n".join(bad)


def test_all_names_exist():
    for module_name in MODULES:
        m, names = _public(module_name)
        for n in names:
            assert hasattr(m, n), f"{module_name}.__all__ lists missing {n}"
    assert set(qra.__all__) <= set(dir(qra))
