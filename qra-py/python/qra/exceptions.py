"""Exceptions raised by qra.

Every error of the Rust core maps, variant by variant, onto one class here. Input errors also
subclass :class:`ValueError`, so generic ``except ValueError`` handlers keep working.

Attributes set by the bindings: ``InvalidInputError.argument/.value/.rule``,
``UnknownNameError.kind/.name/.suggestions``, ``InvalidDocumentError.problems``
(list of ``(field_path, line_or_None, message)``).
"""

from __future__ import annotations


class QraError(Exception):
    """Base class of every error qra raises."""


class InvalidInputError(QraError, ValueError):
    """An argument is NaN, infinite, negative, out of range or inconsistent."""

    argument: str
    value: str
    rule: str


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
