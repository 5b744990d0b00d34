"""Exceptions raised by qra.

Every error of the Rust core maps, variant by variant, onto one class here. Input errors also
subclass :class:`ValueError`, so generic ``except ValueError`` handlers keep working.

Attributes set by the bindings: ``InvalidInputError.argument/.value/.rule``,
``UnknownNameError.kind/.name/.suggestions``, ``InvalidDocumentError.problems``
(list of ``(field_path, line_or_None, message)``).
"""

from __future__ import annotations

import re

#: Placeholder argument of a conversion error raised by the bindings (``qra-py/src/args.rs``
#: ``UNNAMED``) until pyo3's note names the argument.
_UNNAMED = "<argument>"
#: The note pyo3 (0.30) adds to an exception raised while converting the argument ``name``.
_PYO3_ARGUMENT_NOTE = re.compile(r"while processing '([A-Za-z_][A-Za-z_0-9]*)'")


class QraError(Exception):
    """Base class of every error qra raises."""


class InvalidInputError(QraError, ValueError):
    """An argument is NaN, infinite, negative, out of range or inconsistent."""

    argument: str
    value: str
    rule: str

    def add_note(self, note: str, /) -> None:
        """Adds ``note``; when the bindings raised this error while converting an argument (a text
        with a lone surrogate, an integer beyond 64 bits) they cannot know its name, and pyo3's
        note ``while processing 'name'`` supplies it to :attr:`argument` and the message."""
        m = _PYO3_ARGUMENT_NOTE.fullmatch(note)
        if m and getattr(self, "argument", None) == _UNNAMED:
            self.argument = m[1]
            self.args = (f"{self.argument} = {self.value}: {self.rule}",)
        base = getattr(super(), "add_note", None)  # BaseException.add_note: Python 3.11+
        if base is not None:
            base(note)


class UnknownNameError(InvalidInputError, LookupError):
    """A substance, model, class or criteria-set name is not known (``suggestions`` lists close matches)."""

    kind: str
    name: str
    suggestions: list[str]


class ResourceLimitError(InvalidInputError):
    """An input exceeds a safety limit (grid cells, events, file size, polygon vertices…)."""


class InvalidDocumentError(InvalidInputError):
    """A study, substance or submission file has problems; ``problems`` lists them all."""

    problems: list[tuple[str, int | None, str]]


class NumericalError(QraError, ArithmeticError):
    """A numerical procedure did not converge."""


class NotImplementedYetError(QraError, NotImplementedError):
    """The capability is planned but not available in this version."""


class GridCoverageWarning(UserWarning):
    """The grid does not cover the result: a contour at a criterion limit reaches the grid edge, or a
    protected target lies outside the grid (``RiskResult.check``; ``qra.gis.coverage_messages``)."""


__all__ = [
    "GridCoverageWarning",
    "QraError",
    "InvalidInputError",
    "UnknownNameError",
    "ResourceLimitError",
    "InvalidDocumentError",
    "NumericalError",
    "NotImplementedYetError",
]
