"""Values a model object can hold but no document can carry.

The reader refuses such values in data (``_strict.py``); an object built in
Python code never met the reader, so :func:`check` looks for them with this
walk, and :func:`dump` refuses to write them rather than write something else:
text with a lone surrogate (UTF-8 cannot encode it), an integer longer than
Python's int-to-text limit (json cannot write it), a Decimal that a float
cannot hold (JSON numbers read back as floats: it would come back changed)
and, for writing only, ``NaN`` and infinities (JSON has no word for them;
:func:`check` leaves those to the rules, as the reader does).
"""

import datetime as dt
import enum
import math
import types
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs

from willkommen._fast import fitting_decimals
from willkommen._problems import INVALID_VALUE, Problem
from willkommen._strict import (
    StructureProblem,
    fits_float,
    fits_json,
    integer_problem,
    is_utf8,
    number_problem,
    text_problem,
)
from willkommen._text import escape, quote

# Values that are always writable: nothing to look at inside them.
_PLAIN = (bool, enum.Enum, type(None))


def _problem(value: object, *, finite: bool) -> StructureProblem | None:
    """The problem of one leaf value, or None."""
    if isinstance(value, str):
        return None if value.isascii() or is_utf8(value) else text_problem(value)
    if isinstance(value, int):
        return None if fits_json(value) else integer_problem(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return _non_finite(value) if finite else None
        return None if fits_float(value) else number_problem(value)
    if isinstance(value, float) and finite and not math.isfinite(value):
        return _non_finite(value)
    return None


def _non_finite(value: object) -> StructureProblem:
    return StructureProblem(
        INVALID_VALUE,
        value=quote(value),
        expected="a finite number (JSON has no NaN or Infinity)",
        expected_de="eine endliche Zahl (JSON kennt weder NaN noch Infinity)",
    )


def _children(value: object) -> Iterator[tuple[str, object]] | None:
    """The parts of a model object, list or dict, each with its path token; None for a leaf."""
    cls = type(value)
    if attrs.has(cls):
        return ((escape(field.name), getattr(value, field.name)) for field in attrs.fields(cls))
    if isinstance(value, list | tuple | frozenset | set):
        return ((str(index), item) for index, item in enumerate(value))
    if isinstance(value, dict):
        # A key that is not text cannot be written as a JSON key at all; quote() names it safely.
        return ((escape(key) if isinstance(key, str) else quote(key), item) for key, item in value.items())
    return None


def _bad_keys(value: dict[object, object], path: str) -> Iterator[Problem]:
    for key in value:
        if isinstance(key, str) and not key.isascii() and not is_utf8(key):
            found = text_problem(key)
            yield found.rule.problem(f"{path}/{escape(key)}", **found.values)


def unwritable(obj: object, *, finite: bool = False) -> list[Problem]:
    """The values in *obj* that no document can carry, as ``invalid_value`` at their paths.

    With *finite*, ``NaN`` and infinities are among them (for writing).
    """
    # Nearly every object has none: a compiled scan says so quickly, and only
    # an object that may have one is walked to find where.
    if not _suspect(obj):
        return []
    return _walk(obj, finite=finite)


def _walk(obj: object, *, finite: bool) -> list[Problem]:
    """Every unwritable value with its path; a stack in document order, so depth never ends the interpreter."""
    problems: list[Problem] = []
    stack: list[tuple[str, object]] = [("", obj)]
    # Every cycle passes through a mutable container: visiting each once ends any.
    seen: set[int] = set()
    while stack:
        path, value = stack.pop()
        if isinstance(value, _PLAIN):
            continue
        children = _children(value)
        if children is None:
            found = _problem(value, finite=finite)
            if found is not None:
                problems.append(found.rule.problem(path, **found.values))
            continue
        if isinstance(value, list | dict | set):
            if id(value) in seen:
                continue
            seen.add(id(value))
        if isinstance(value, dict):
            problems.extend(_bad_keys(value, path))
        stack.extend(reversed([(f"{path}/{token}", child) for token, child in children]))
    return problems


# --- the quick scan -----------------------------------------------------------------------


def _leaf_suspect(value: object) -> bool:
    """Whether one value, of any type, may be unwritable (NaN and infinities count)."""
    return _problem(value, finite=True) is not None


def _any_suspect(value: object) -> bool:
    """The slow answer for any value: walk it."""
    return bool(_walk(value, finite=True))


_SCANS: dict[type, Callable[[Any], bool]] = {}


def _scanner(cls: type) -> Callable[[Any], bool]:
    """The scan for values of *cls*, compiled on first use."""
    scan = _SCANS.get(cls)
    if scan is None:
        scan = _SCANS[cls] = _compile_scan(cls) if attrs.has(cls) else _any_suspect
    return scan


def _suspect(value: object) -> bool:
    """Whether anything in *value* may be unwritable: a compiled scan per model class."""
    return _scanner(type(value))(value)


# Annotations whose values are always writable.
_ALWAYS = (bool, dt.date, dt.datetime, type(None))

# A test per leaf annotation that is true if the value in ``{v}`` may be unwritable. The common
# case stays inline (ASCII text, an int of a safe size, hours seen before); the rest asks _leaf.
_LEAF_TESTS: dict[Any, str] = {
    str: "((not {v}.isascii() and not _utf8({v})) if type({v}) is str else _leaf({v}))",
    int: "((type({v}) is not int or {v}.bit_length() > 2000) and _leaf({v}))",
    Decimal: "(not (type({v}) is Decimal and {v} in _fitting) and _leaf({v}))",
    float: "_leaf({v})",
}


def _lines(tp: Any, v: str, depth: int) -> list[str]:
    """Statements that ``return True`` if the value in variable *v* of annotation *tp* may be unwritable."""
    if tp in _ALWAYS or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        return []
    if tp in _LEAF_TESTS:
        return [f"if {_LEAF_TESTS[tp].format(v=v)}: return True"]
    if isinstance(tp, type) and attrs.has(tp):
        # By the value's own class: a subclass has fields of its own.
        return [f"if (_scans.get(type({v})) or _scanner(type({v})))({v}): return True"]
    origin = typing.get_origin(tp)
    arguments = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union) and len(arguments) == 2 and type(None) in arguments:
        (inner,) = (a for a in arguments if a is not type(None))
        head, body = f"if {v} is not None:", _lines(inner, v, depth)
    elif origin in (tuple, list, frozenset) and arguments and arguments[1:] in ((), (Ellipsis,)):
        head, body = f"for i{depth} in {v}:", _lines(arguments[0], f"i{depth}", depth + 1)
    else:
        return [f"if _any({v}): return True"]
    return [head, *(f"    {line}" for line in body)] if body else []


def _nothing_to_scan(value: object) -> bool:
    """The scan of a class whose fields are all always writable (dates, enums, bools)."""
    del value
    return False


def _compile_scan(cls: type) -> Callable[[Any], bool]:
    hints = typing.get_type_hints(cls)
    body: list[str] = []
    for index, field in enumerate(attrs.fields(cls)):
        lines = _lines(hints.get(field.name, field.type), f"v{index}", 0)
        if lines:
            body += [f"v{index} = o.{field.name}", *lines]
    if not body:
        return _nothing_to_scan
    # A value unlike its annotation (a class without type checks) may raise: then the walk, which takes anything.
    lines = ["try:", *(f"    {line}" for line in body), "except Exception:", "    return _any(o)", "return False"]
    source = "def scan(o):\n" + "".join(f"    {line}\n" for line in lines)
    names: dict[str, Any] = {
        "_leaf": _leaf_suspect,
        "_utf8": is_utf8,
        "_scans": _SCANS,
        "_scanner": _scanner,
        "_any": _any_suspect,
        "_fitting": fitting_decimals(),
        "Decimal": Decimal,
    }
    exec(source, names)  # noqa: S102 - built above from annotations, never from data
    scan: Callable[[Any], bool] = names["scan"]
    return scan
