"""``CoreWrapper``: the mixin of pure-Python model classes around a native object ``self._core``.

``repr``, ``==``, ``hash``, ``to_json``/``from_json`` and pickling all come from the native
object's one serde (JSON) form (``qra_py::pickle`` on the Rust side). A new wrapper class gets them
by subclassing ``CoreWrapper`` and naming its native class in ``_native``::

    class PoolFire(CoreWrapper):
        _native = _qra.PoolFire
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self


class CoreWrapper:
    """Delegates ``repr``, ``==``, ``hash``, the JSON form and pickling to ``self._core``."""

    _native: ClassVar[Any]
    _core: Any

    def __repr__(self) -> str:
        return repr(self._core)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._core == other._core)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._core)

    def to_json(self) -> str:
        """The serde (JSON) form of the model: the text pickles and ``from_json`` use.

        Returns
        -------
        str
            JSON text of the model's inputs (SI units, names as in the constructor).
        """
        return str(self._core.to_json())

    @classmethod
    def from_json(cls, text: str) -> Self:
        """Rebuilds (and re-validates) a model from ``to_json`` text.

        Parameters
        ----------
        text : str
            JSON text from :meth:`to_json`.

        Raises
        ------
        qra.InvalidInputError
            Malformed text or a value the constructor refuses.
        """
        obj = cls.__new__(cls)
        obj._core = cls._native.from_json(text)
        return obj

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (type(self).from_json, (self.to_json(),))


__all__ = ["CoreWrapper"]
