"""The Python API's arguments checked before they reach the native layer: a wrong type or an integer out of range
raises :class:`T2Error` naming the argument, as every bad input does (not the TypeError or OverflowError the
conversion to Rust would raise). Ranges a value must lie in are the library's to check, with its messages."""

from __future__ import annotations

import difflib
import numbers
from os import PathLike, fspath
from typing import Any, Iterable, Mapping, Optional

from ._t2 import T2Error

_U64_END = 2**64


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def wrong(name: str, expected: str, value: Any) -> T2Error:
    """``name: expected …, got …`` (the value's repr, shortened, escapes shown as text)."""
    return T2Error(f"{name}: expected {expected}, got {_shown(value)} ({type(value).__name__})")


def text(name: str, value: Any, optional: bool = False) -> Optional[str]:
    """A str (or None when optional)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        return _raise(wrong(name, "text (a str)", value))
    return value


def texts(name: str, value: Any) -> Optional[list]:
    """None, one str, or an iterable of str, as a list."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Iterable) or isinstance(value, (bytes, Mapping)):
        return _raise(wrong(name, "a name or a list of names", value))
    values = list(value)
    for item in values:
        text(f"{name}[…]", item)
    return values


def whole(name: str, value: Any) -> int:
    """A whole number from 0 to 2^64 − 1 (bool is not one)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return _raise(wrong(name, "a whole number", value))
    if not 0 <= int(value) < _U64_END:
        return _raise(wrong(name, "a whole number from 0 to 2^64 - 1", value))
    return int(value)


def real(name: str, value: Any, optional: bool = False) -> Optional[float]:
    """A real number (int or float, numpy's too; bool is not one), or None when optional."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return _raise(wrong(name, "a number", value))
    return float(value)


def reals(name: str, value: Any) -> list:
    """An iterable of real numbers (not a str), as floats."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return _raise(wrong(name, "a list of numbers", value))
    return [real(f"{name}[…]", item) for item in value]


def flag(name: str, value: Any) -> bool:
    """True or False (numpy's bool too)."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        return _raise(wrong(name, "True or False", value))
    return bool(value)


def path(name: str, value: Any, optional: bool = False) -> Optional[str]:
    """A str or os.PathLike (or None when optional), as a str."""
    if value is None and optional:
        return None
    if not isinstance(value, (str, PathLike)):
        return _raise(wrong(name, "a path (str or os.PathLike)", value))
    return str(fspath(value))


def mapping(name: str, value: Any) -> Mapping:
    """A mapping (an empty one for None)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        return _raise(wrong(name, "a dict", value))
    return value


def known(call: str, given: Iterable[str], allowed: Iterable[str]) -> None:
    """Raises naming the first of ``given`` not in ``allowed``, with the nearest allowed name."""
    allowed = list(allowed)
    for key in given:
        if key not in allowed:
            near = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (known: {', '.join(allowed)})"
            raise T2Error(f"{call}: unknown option {key!r}{hint}")


def _raise(error: T2Error):
    raise error
