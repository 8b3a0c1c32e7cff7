"""``Record``: the base of the small value classes of the rules and the messages.

They were dataclasses. A dataclass writes its ``__init__``, ``__eq__``, ``__repr__`` (and, frozen,
``__hash__``, ``__setattr__``, ``__delattr__``) as text and compiles each when its module is
imported: the 24 of a ``check`` cost a cold start about 15 ms, a tenth of the whole program, every
time (the byte-code cache does not keep code made at run time). A class written out costs next
to nothing: each lists its fields in ``__slots__`` and writes its ``__init__``; equality, hash and
repr come from the fields here, as a dataclass's do. No field is assigned after ``__init__``
except where the class says so (``Finding``, ``Outcome``): the others are values, hashed by
them; a mutable one sets ``__hash__ = None``, as a dataclass that is not frozen does.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any


class Record:
    """Equality (same class, same fields), hash and repr from the fields in ``__slots__``."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The fields' values in one C call (attrgetter), not a Python loop: a batch `check`
        # hashes messages' parameters (Money, Day, ...) by the ten thousand as render keys.
        # One field: its value itself (attrgetter of one name), two or more: their tuple.
        names = tuple(cls.__slots__)
        cls._key = staticmethod(attrgetter(*names) if names else _no_fields)

    @staticmethod
    def _key(record: Record) -> Any:
        return ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key(self) == self._key(other)  # type: ignore[no-any-return]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __repr__(self) -> str:  # readable in test failures, as a dataclass's
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({values})"


def _no_fields(record: Record) -> tuple[()]:
    return ()
