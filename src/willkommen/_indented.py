"""Indented JSON text without the pure-Python encoder, byte for byte what ``json.dumps`` writes.

``json.dumps(value, indent=2)`` falls back to the standard library's pure-Python
encoder, a chain of generators that hands every piece of text up through every
level of nesting: most of the cost of ``dumps()``. Here one plain recursive walk
appends each line's text to a list, strings written by the function json itself
uses (its C ``encode_basestring``), numbers by ``int.__repr__`` and
``float.__repr__`` as json writes them.

The output is ``json.dumps(value, ensure_ascii=False, indent=indent,
allow_nan=False)`` exactly (``tests/test_indented.py`` checks it on generated
documents and odd values). Anything but the plain JSON types (exactly ``dict``
with ``str`` keys, ``list``, ``str``, ``int``, ``float``, ``bool`` and ``None``)
is handed to ``json.dumps`` itself, so an unexpected value is never written
differently; ``NaN``, the infinities and integers over the int-to-text limit
raise ValueError as there.
"""

import functools
import json
import math
from json.encoder import encode_basestring
from typing import Any

__all__ = ["indented"]


class _NotPlain(Exception):  # noqa: N818 - a signal inside this module, never raised out of it
    """A value that is not one of the plain JSON types: json.dumps writes the document."""


class _Layout:
    """The line break and indentation of each depth, for one indent width (built as deep as needed)."""

    def __init__(self, indent: int) -> None:
        self.step = " " * indent
        self.breaks: list[str] = ["\n"]

    def grow(self, depth: int) -> None:
        while len(self.breaks) <= depth + 1:
            self.breaks.append(self.breaks[-1] + self.step)


@functools.cache
def _layout(indent: int) -> _Layout:
    return _Layout(indent)


def _float(value: float) -> str:
    # As json's encoder with allow_nan=False: the repr, and no NaN or infinity.
    if math.isfinite(value):
        return float.__repr__(value)
    raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")


def indented(value: Any, indent: int) -> str:
    """*value* as ``json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)`` writes it.

    Raises what ``json.dumps`` raises (ValueError for ``NaN`` or a too long integer).
    """
    layout = _layout(indent)
    pieces: list[str] = []
    try:
        _write(value, 0, layout, pieces)
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
    return "".join(pieces)


def _scalar(value: Any) -> str:
    """The text of a scalar, by the functions json uses; _NotPlain for anything else."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float:
        return _float(value)
    raise _NotPlain


def _write(value: Any, depth: int, layout: _Layout, pieces: list[str]) -> None:
    kind = type(value)
    if kind is dict:
        _write_dict(value, depth, layout, pieces)
    elif kind is list:
        _write_list(value, depth, layout, pieces)
    else:
        pieces.append(_scalar(value))


def _write_dict(value: dict[Any, Any], depth: int, layout: _Layout, pieces: list[str]) -> None:
    if not value:
        pieces.append("{}")
        return
    if len(layout.breaks) <= depth + 1:
        layout.grow(depth)
    inner = layout.breaks[depth + 1]
    opening = "{"
    for key, item in value.items():
        if type(key) is not str:
            raise _NotPlain
        kind = type(item)
        if kind is str:
            pieces.append(opening + inner + encode_basestring(key) + ": " + encode_basestring(item))
        elif kind is dict:
            pieces.append(opening + inner + encode_basestring(key) + ": ")
            _write_dict(item, depth + 1, layout, pieces)
        elif kind is list:
            pieces.append(opening + inner + encode_basestring(key) + ": ")
            _write_list(item, depth + 1, layout, pieces)
        else:
            pieces.append(opening + inner + encode_basestring(key) + ": " + _scalar(item))
        opening = ","
    pieces.append(layout.breaks[depth] + "}")


def _write_list(value: list[Any], depth: int, layout: _Layout, pieces: list[str]) -> None:
    if not value:
        pieces.append("[]")
        return
    if len(layout.breaks) <= depth + 1:
        layout.grow(depth)
    inner = layout.breaks[depth + 1]
    opening = "["
    for item in value:
        kind = type(item)
        if kind is str:
            pieces.append(opening + inner + encode_basestring(item))
        elif kind is dict:
            pieces.append(opening + inner)
            _write_dict(item, depth + 1, layout, pieces)
        elif kind is list:
            pieces.append(opening + inner)
            _write_list(item, depth + 1, layout, pieces)
        else:
            pieces.append(opening + inner + _scalar(item))
        opening = ","
    pieces.append(layout.breaks[depth] + "]")
