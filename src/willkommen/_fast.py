"""A fast path for reading: structuring code generated per model class.

Reading through cattrs costs about a thousand small Python calls for a
typical document: a strict hook per value, a generated function per class,
and attrs' ``__init__`` with a type check per field. Almost every document
read is valid, so this module generates, per model class, one plain Python
function that reads a valid body straight into objects, with the checks of
the strict hooks of ``_strict.py`` written inline.

**The hand-over contract.** The reader :func:`fast_reader` returns either an
object equal to what ``converter().structure(body, cls)`` returns (the same
types all the way down: tuples, enum members, Decimals, plain str), or None,
which means "read this with the detailed path". It returns None for every
body the detailed path refuses, so that path finds and reports every problem
with its code and path: the fast path reports nothing itself and never
accepts what the detailed path refuses. It also returns None for valid but
unusual input it does not bother with: a ``$type`` key in a nested object, a
dict subclass, a class or annotation it does not know. ``tests/test_fast.py``
checks it against the detailed path, and pins the hooks mirrored here by a
digest of their source: a changed hook must be changed here too.

**Building objects.** ``object.__new__`` and one ``object.__setattr__`` per
field do all that attrs' ``__init__`` would do when the class is frozen and
slotted, every field validator is the type check of
:func:`~willkommen.typed_fields` (the inlined checks already guarantee the
types), no field has a converter but the natural ones of ``typed_fields``
(which leave values of the right type unchanged), no factory default, and the class has no
hash cache, no ``__attrs_pre_init__`` and no ``__attrs_post_init__`` but
Offering's (whose check is inlined). Any other class is built by calling it,
so its own validators run as they do in the detailed path.

:func:`read_fast` is what ``_api.read`` calls: it turns any fault of the fast
path into a hand-over.
"""

import datetime as dt
import enum
import linecache
import math
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from willkommen._model import Offering, offering_dates_error
from willkommen._numbers import _SAFE_BITS, fits_json
from willkommen._strict import (
    _CALENDAR_DATE,
    _enum_values,
    _is_collection,
    _is_optional,
    is_utf8,
)
from willkommen._tags import generation
from willkommen._typecheck import _compile, check_type, is_natural

#: Switch the fast path off to read everything the detailed way (tests compare both).
ENABLED = True

Reader = Callable[[dict[str, Any]], object | None]


class HandOver(Exception):  # noqa: N818 - not an error: a signal to the caller
    """Raised by generated code: this body is for the detailed path."""


class Unsupported(Exception):  # noqa: N818 - a signal to the generator
    """A class or annotation the generator does not handle."""


# --- Checks too long to inline, each the twin of a hook in _strict.py. ---
# The generated code inlines the common case (``type(v) is str``) and calls
# these for everything else.


def _hand_over() -> Any:
    raise HandOver


def _as_str(value: object) -> str:
    if isinstance(value, str) and (value.isascii() or is_utf8(value)):
        return str.__str__(value)
    raise HandOver


def _as_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and fits_json(value):
        return int(value)
    raise HandOver


def _as_float(value: object) -> float:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = float(value)  # an int beyond float range: OverflowError, which hands over
        # Not beyond float range, nor below it (1E-400 would become 0).
        if math.isfinite(number) and (number != 0 or value == 0):
            return number
    raise HandOver


# Values seen to pass the checks below, so that the next one is a lookup: a
# document repeats its dates and hours. Bounded, since the values come from data.
_CACHE_SIZE = 4096
_DATES: dict[str, dt.date] = {}
_FITTING_DECIMALS: dict[Decimal, None] = {}


def fitting_decimals() -> dict[Decimal, None]:
    """The Decimals seen to fit a float exactly (``_writable`` looks there first too)."""
    return _FITTING_DECIMALS


def _remember(cache: dict[Any, Any], key: object, value: object) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value


def _as_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        raise HandOver
    if not number.is_finite() or Decimal(repr(float(number))) != number:
        raise HandOver
    if type(number) is Decimal:
        # The check compares numbers: it holds for every Decimal equal to this one.
        _remember(_FITTING_DECIMALS, number, None)
    return number


def _as_date(value: object) -> dt.date:
    if isinstance(value, str) and _CALENDAR_DATE.fullmatch(value):
        day = dt.date.fromisoformat(value)  # its ValueError hands over too
        if type(value) is str:
            # Dates are immutable: one read before may stand for an equal one.
            _remember(_DATES, value, day)
        return day
    raise HandOver


def _as_enum(members: dict[object, enum.Enum], value: object) -> enum.Enum:
    if isinstance(value, str):
        return members[value]  # an unknown value: KeyError, which hands over
    raise HandOver


def _as_sequence(value: object) -> list[Any] | tuple[Any, ...]:
    if isinstance(value, list | tuple):
        return value
    raise HandOver


def _unique(items: list[Any]) -> frozenset[Any]:
    result = frozenset(items)
    if len(result) != len(items):
        raise HandOver
    return result


# Source expressions that read a value ``{v}`` as the hook named does; each
# returns the value or raises. Only for the exact annotation the hook is
# registered for, so that the field's type check holds for the result.
_LEAVES: dict[Any, str] = {
    # ASCII text needs no check for lone surrogates; small integers none for their digits.
    str: "({v} if type({v}) is str and {v}.isascii() else _as_str({v}))",
    int: "({v} if type({v}) is int and -_SMALL_INT < {v} < _SMALL_INT else _as_int({v}))",
    # x - x is 0.0 for a finite float, NaN for NaN and the infinities.
    float: "({v} if type({v}) is float and {v} - {v} == 0.0 else _as_float({v}))",
    bool: "({v} if type({v}) is bool else _hand_over())",
    Decimal: "({v} if type({v}) is Decimal and {v} in _fitting_decimals else _as_decimal({v}))",
    # A date is never false, so "or" falls through only where the cache has none.
    dt.date: "((type({v}) is str and _dates.get({v})) or _as_date({v}))",
}

_HELPERS: dict[str, Any] = {
    "HandOver": HandOver,
    "_hand_over": _hand_over,
    "_as_str": _as_str,
    "_SMALL_INT": 2**_SAFE_BITS,
    "_as_int": _as_int,
    "_as_float": _as_float,
    "_as_decimal": _as_decimal,
    "_as_date": _as_date,
    "_as_enum": _as_enum,
    "_as_sequence": _as_sequence,
    "_unique": _unique,
    "_dates": _DATES,
    "_fitting_decimals": _FITTING_DECIMALS,
    "Decimal": Decimal,
    "_new": object.__new__,
    "_dates_error": offering_dates_error,
}


@attrs.frozen
class _Frozen:
    """A frozen attrs class, to know attrs' ``__setattr__`` of frozen classes by."""


_FROZEN_SETATTR: object = _Frozen.__setattr__


def _is_string_enum(tp: Any) -> bool:
    """Whether *tp* is an enumeration of strings read by the enum hook (not by the str or int hook)."""
    return (
        isinstance(tp, type)
        and issubclass(tp, enum.Enum)
        and (issubclass(tp, enum.StrEnum) or not issubclass(tp, str | int))
        and all(type(member.value) is str for member in tp)
    )


def _is_type_check(validator: object) -> bool:
    return validator is check_type or getattr(validator, "willkommen_type_check", False) is True


def _builds_directly(cls: type) -> bool:
    """Whether ``object.__new__`` plus ``object.__setattr__`` per field is what ``cls(**values)`` does.

    Given values that passed the inlined checks, that is.
    """
    post_init = getattr(cls, "__attrs_post_init__", None)
    init = getattr(getattr(cls, "__init__", None), "__code__", None)
    return (
        cls.__setattr__ is _FROZEN_SETATTR
        and "__slots__" in vars(cls)
        # attrs' own __init__, not one of the user's (attrs.define(init=False)).
        and init is not None
        and init.co_filename.startswith("<attrs generated")
        # A hash cache is a slot that __init__ fills.
        and not hasattr(cls, "_attrs_cached_hash")
        and not hasattr(cls, "__attrs_pre_init__")
        and (post_init is None or (issubclass(cls, Offering) and post_init is Offering.__attrs_post_init__))
        and all(
            field.init
            # The converters of typed_fields turn a list into a tuple, a code into a member, an
            # int into a Decimal: the inlined checks give those types already, so they would do nothing.
            and (field.converter is None or is_natural(field.converter))
            and not isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]  # a class, typed as a function
            and (field.validator is None or _is_type_check(field.validator))
            # A slot, so that setting it through its descriptor is what object.__setattr__ does.
            and type(getattr(cls, field.name, None)) is types.MemberDescriptorType
            for field in attrs.fields(cls)
        )
    )


class _Source:
    """The source of one reader: a function per model class reachable from its root class."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = dict(_HELPERS)
        self.functions: dict[type, str] = {}
        self.pending: list[type] = []
        self.chunks: list[str] = []

    def bind(self, obj: object, prefix: str) -> str:
        """A name in the generated module for *obj*."""
        name = f"_{prefix}{len(self.namespace)}"
        self.namespace[name] = obj
        return name

    def reader_of(self, cls: type) -> str:
        """The name of the function that reads *cls*, generated later if new."""
        name = self.functions.get(cls)
        if name is None:
            name = self.functions[cls] = f"read_{cls.__name__}_{len(self.functions)}"
            self.pending.append(cls)
        return name

    def build(self, root: type) -> Callable[[dict[str, Any]], object]:
        """Generate, compile and return the function that reads *root* (raises Unsupported)."""
        name = self.reader_of(root)
        while self.pending:
            self.chunks.append(self.class_source(self.pending.pop()))
        source = "\n".join(self.chunks)
        # Like attrs and cattrs: tracebacks and debuggers show the generated lines.
        filename = f"<willkommen fast reader {root.__module__}.{root.__qualname__}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102 - built from annotations, never from data
        function: Callable[[dict[str, Any]], object] = self.namespace[name]
        return function

    def expression(self, tp: Any, v: str, depth: int = 0) -> str:
        """A source expression that reads the value named *v* as *tp* or raises."""
        if _is_optional(tp):
            (inner,) = (arg for arg in typing.get_args(tp) if arg is not types.NoneType)
            return f"(None if {v} is None else {self.expression(inner, v, depth)})"
        if _is_collection(tp):
            return self.collection(typing.get_origin(tp), typing.get_args(tp)[0], v, depth)
        if isinstance(tp, type) and attrs.has(tp):
            return f"{self.reader_of(tp)}({v})"
        leaf = _LEAVES.get(tp)
        if leaf is not None:
            return leaf.format(v=v)
        if _is_string_enum(tp):
            members = self.bind(_enum_values(tp)[0], "members")
            return f"({members}[{v}] if type({v}) is str else _as_enum({members}, {v}))"
        # An annotation of the user's (a Mapping, a union, Any) or a hook we did not write.
        raise Unsupported(tp)

    def collection(self, container: type, item_type: Any, v: str, depth: int) -> str:
        item = f"i{depth}"
        items = f"[{self.expression(item_type, item, depth + 1)} for {item} in {_sequence(v)}]"
        if container is tuple:
            return f"tuple({items})"
        if container is frozenset:
            return f"_unique({items})"
        return items

    def class_source(self, cls: type) -> str:
        """The function that reads one model class from a dict."""
        # Where the detailed path cannot read a class at all (cattrs cannot make its
        # function for a name that is no identifier, or resolve its annotations),
        # there is no fast reader either.
        if not cls.__name__.isidentifier():
            raise Unsupported(cls)
        typing.get_type_hints(cls)
        direct = _builds_directly(cls)
        cls_name = self.bind(cls, "cls")
        fields = [field for field in attrs.fields(cls) if field.init]
        required = sum(1 for field in fields if field.default is attrs.NOTHING)
        lines = [
            f"def {self.functions[cls]}(o):",
            f"    # {cls.__module__ + '.' + cls.__qualname__!r}",
            # The hook takes any dict; a dict subclass is rare enough to hand over.
            "    if type(o) is not dict:",
            "        raise HandOver",
        ]
        if required < len(fields):
            lines.append("    present = 0")
        if not direct:
            lines.append("    kwargs = {}")
        for index, field in enumerate(fields):
            lines.extend(self.field_lines(field, index, direct=direct))
        # Every key was read, or the body holds one the class lacks (an unknown key, or a $type).
        counted = f"{required} + present" if required < len(fields) else str(required)
        lines += [f"    if len(o) != {counted}:", "        raise HandOver"]
        if issubclass(cls, Offering):
            # The check the class hook makes on the raw dict before structuring.
            has = ", ".join(f"has_{key}=o.get({key!r}) is not None" for key in ("date", "start", "end"))
            lines += [
                f"    if _dates_error({has}, planned=o.get('status') == 'planned') is not None:",
                "        raise HandOver",
            ]
        if direct:
            lines.append(f"    self = _new({cls_name})")
            lines.extend(
                f"    {self.bind(getattr(cls, field.name).__set__, 'set')}(self, f{index})  # {field.name!r}"
                for index, field in enumerate(fields)
            )
            lines.append("    return self")
        else:
            # Its own __init__ runs the checks we cannot see; a refusal raises and hands over.
            lines.append(f"    return {cls_name}(**kwargs)")
        return "\n".join(lines) + "\n"

    def field_lines(self, field: "attrs.Attribute[Any]", index: int, *, direct: bool) -> list[str]:
        """Read one field: ``f<index>`` when building directly, else an entry of ``kwargs``."""
        key = repr(field.name)  # cattrs reads the attribute name, and passes the alias to __init__
        target = f"f{index}" if direct else f"kwargs[{field.alias!r}]"
        read = f"{target} = {self.expression(field.type, 'v')}"
        if field.default is attrs.NOTHING:
            return [f"    v = o[{key}]", f"    {read}"]
        lines = [f"    if {key} in o:", "        present += 1", f"        v = o[{key}]", f"        {read}"]
        if direct:
            lines.append("    else:")
            if _compile(field.type)(field.default) is None:
                lines.append(f"        {target} = {self.bind(field.default, 'default')}")
            else:
                # attrs' __init__ refuses this default by its type check.
                lines.append("        raise HandOver")
        return lines


def _sequence(v: str) -> str:
    return f"({v} if type({v}) is list else _as_sequence({v}))"


def _never(body: dict[str, Any]) -> None:
    """The reader of a class the generator does not handle: always the detailed path."""
    del body


def _guarded(read: Callable[[dict[str, Any]], object]) -> Reader:
    def fast_read(body: dict[str, Any]) -> object | None:
        try:
            return read(body)
        except Exception:  # noqa: BLE001 - whatever went wrong, the detailed path says what
            return None

    return fast_read


_READERS: dict[type, Reader] = {}
_READERS_GENERATION = -1


def fast_reader(cls: type) -> Reader:
    """The fast reader of *cls*: the object for a valid body, or None to hand over.

    Generated on first use and cached per class; a newly declared tag
    starts over, as the converter does.
    """
    global _READERS_GENERATION  # noqa: PLW0603 - one cache, cleared when tags change
    if generation() != _READERS_GENERATION:
        _READERS.clear()
        _READERS_GENERATION = generation()
    reader = _READERS.get(cls)
    if reader is None:
        try:
            reader = _guarded(_Source().build(cls)) if isinstance(cls, type) and attrs.has(cls) else _never
        except Exception:  # noqa: BLE001 - Unsupported, or a class too odd to generate code for
            reader = _never
        _READERS[cls] = reader
    return reader


def read_fast(body: dict[str, Any], cls: type) -> object | None:
    """What :func:`fast_reader` gives, None if the fast path is off or failed itself.

    The fast path needs neither cattrs nor its generated code: a valid
    document, even the first one a command reads, is read without loading
    cattrs at all (see ``docs/performance.md``, start-up).
    """
    if not ENABLED:
        return None
    try:
        return fast_reader(cls)(body)
    except Exception:  # noqa: BLE001 - a fault of the fast path must never cost a reading
        return None
