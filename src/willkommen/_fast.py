"""A fast path for reading: structuring code generated per model class.

Reading through cattrs costs about a thousand small Python calls for a
typical document: a strict hook per value, a generated function per class,
and attrs' ``__init__`` with a type check per field. Almost every document
read is valid, so this module generates, per model class, one plain Python
function that reads a valid body straight into objects. Each field is read
as its node in the type plan (``_plan.py``) says: an inlined guard settles the
common case (``type(v) is str and v.isascii()``), and anything else goes to
the strict hook of ``_strict.py`` that the detailed path uses too, whose
refusal hands over. No leaf is written twice. A body parsed from JSON text
that cannot carry a lone surrogate (nearly every text ``loads`` reads) has a
reader of its own, whose guards need not look at a string's characters.

**The hand-over contract.** The reader :func:`fast_reader` returns either an
object equal to what ``converter().structure(body, cls)`` returns (the same
types all the way down: tuples, enum members, Decimals, plain str), or None,
which means "read this with the detailed path". It returns None for every
body the detailed path refuses, so that path finds and reports every problem
with its code and path: the fast path reports nothing itself and never
accepts what the detailed path refuses. It also returns None for valid but
unusual input it does not bother with: a ``$type`` key in a nested object, a
dict subclass, a class it cannot generate code for. ``tests/test_fast.py``
checks it against the detailed path.

**Building objects.** ``object.__new__`` and one ``object.__setattr__`` per
field do all that attrs' ``__init__`` would do when the class is frozen and
slotted, every field validator is the type check of
:func:`~willkommen.typed_fields` (the inlined checks already guarantee the
types), no field has a converter but the natural ones of ``typed_fields``
(which leave values of the right type unchanged), no factory default, and the class has no
hash cache, no ``__attrs_pre_init__`` and no ``__attrs_post_init__`` but the
plan's shape check (:func:`~willkommen._plan.enforce_shape`, whose check is
inlined). Any other class is built by calling it, so its own validators run
as they do in the detailed path.

:func:`read_fast` is what ``_api.read`` calls: it turns any fault of the fast
path into a hand-over.
"""

import datetime as dt
import linecache
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from willkommen._numbers import _SAFE_BITS
from willkommen._plan import (
    ChoiceNode,
    FixedTupleNode,
    MappingNode,
    ModelNode,
    Node,
    OptionalNode,
    ScalarKind,
    ScalarNode,
    SequenceNode,
    class_plan,
    enforce_shape,
)
from willkommen._strict import LEAVES, check_key, choice_hook
from willkommen._tags import generation
from willkommen._typecheck import accepts, is_natural, is_type_check

#: Switch the fast path off to read everything the detailed way (tests compare both).
ENABLED = True

Reader = Callable[[dict[str, Any]], object | None]


class HandOver(Exception):  # noqa: N818 - not an error: a signal to the caller
    """Raised by generated code: this body is for the detailed path."""


class Unsupported(Exception):  # noqa: N818 - a signal to the generator
    """A class or annotation the generator does not handle."""


# --- What the inlined guards leave to the hooks. ---


def _hand_over() -> Any:
    raise HandOver


# Values seen to pass their hook, so that the next one is a lookup: a document
# repeats its dates and hours. Bounded, since the values come from data.
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


_read_decimal_hook = LEAVES[ScalarKind.DECIMAL]
_read_date_hook = LEAVES[ScalarKind.DATE]


def _read_decimal(value: object) -> Decimal:
    number: Decimal = _read_decimal_hook(value, None)
    if type(number) is Decimal:
        # The hook compares numbers: its answer holds for every Decimal equal to this one.
        _remember(_FITTING_DECIMALS, number, None)
    return number


def _read_date(value: object) -> dt.date:
    day: dt.date = _read_date_hook(value, None)
    if type(value) is str:
        # Dates are immutable: one read before may stand for an equal one.
        _remember(_DATES, value, day)
    return day


def _as_sequence(value: object) -> list[Any] | tuple[Any, ...]:
    if isinstance(value, list | tuple):
        return value
    raise HandOver


def _as_fixed(value: object, length: int) -> list[Any] | tuple[Any, ...]:
    if isinstance(value, list | tuple) and len(value) == length:
        return value
    raise HandOver


def _as_mapping(value: object) -> dict[str, Any]:
    if type(value) is dict:
        return value
    raise HandOver


def _unique(items: list[Any]) -> frozenset[Any]:
    result = frozenset(items)
    if len(result) != len(items):
        raise HandOver
    return result


# Source expressions that read a value ``{v}`` as the leaf's hook does: the guard
# settles values the hook would return unchanged, the hook reads the rest (or refuses).
_LEAVES: dict[ScalarKind, str] = {
    # ASCII text needs no check for lone surrogates; small integers none for their digits.
    ScalarKind.STR: "({v} if type({v}) is str and {v}.isascii() else _str({v}, None))",
    ScalarKind.INT: "({v} if type({v}) is int and -_SMALL_INT < {v} < _SMALL_INT else _int({v}, None))",
    # x - x is 0.0 for a finite float, NaN for NaN and the infinities.
    ScalarKind.FLOAT: "({v} if type({v}) is float and {v} - {v} == 0.0 else _float({v}, None))",
    ScalarKind.BOOL: "({v} if type({v}) is bool else _bool({v}, None))",
    ScalarKind.DECIMAL: "({v} if type({v}) is Decimal and {v} in _fitting_decimals else _read_decimal({v}))",
    # A date is never false, so "or" falls through only where the cache has none.
    ScalarKind.DATE: "((type({v}) is str and _dates.get({v})) or _read_date({v}))",
    ScalarKind.DATETIME: "_datetime({v}, None)",
}

# Where the body was parsed from JSON text that cannot carry a lone surrogate (see
# fast_reader), a str needs no look at its characters, and a value that is no str
# cannot be a key of the dates read before (a list raises TypeError: it hands over).
_FROM_TEXT_LEAVES: dict[ScalarKind, str] = {
    **_LEAVES,
    ScalarKind.STR: "({v} if type({v}) is str else _str({v}, None))",
    ScalarKind.DATE: "(_dates.get({v}) or _read_date({v}))",
}

_HELPERS: dict[str, Any] = {
    "HandOver": HandOver,
    "_hand_over": _hand_over,
    "_str": LEAVES[ScalarKind.STR],
    "_int": LEAVES[ScalarKind.INT],
    "_float": LEAVES[ScalarKind.FLOAT],
    "_bool": LEAVES[ScalarKind.BOOL],
    "_datetime": LEAVES[ScalarKind.DATETIME],
    "_SMALL_INT": 2**_SAFE_BITS,
    "_read_decimal": _read_decimal,
    "_read_date": _read_date,
    "_as_sequence": _as_sequence,
    "_as_fixed": _as_fixed,
    "_as_mapping": _as_mapping,
    "_key": check_key,
    "_unique": _unique,
    "_dates": _DATES,
    "_fitting_decimals": _FITTING_DECIMALS,
    "Decimal": Decimal,
    "_new": object.__new__,
}


@attrs.frozen
class _Frozen:
    """A frozen attrs class, to know attrs' ``__setattr__`` of frozen classes by."""


_FROZEN_SETATTR: object = _Frozen.__setattr__


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
        # The plan's shape check, which the generated code makes on the dict instead.
        and (post_init is None or post_init is enforce_shape)
        and all(
            field.init
            # The converters of typed_fields turn a list into a tuple, a code into a member, an
            # int into a Decimal: the inlined checks give those types already, so they would do nothing.
            and (field.converter is None or is_natural(field.converter))
            and not isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]  # a class, typed as a function
            and (field.validator is None or is_type_check(field.validator))
            # A slot, so that setting it through its descriptor is what object.__setattr__ does.
            and type(getattr(cls, field.name, None)) is types.MemberDescriptorType
            for field in attrs.fields(cls)
        )
    )


class _Source:
    """The source of one reader: a function per model class reachable from its root class."""

    def __init__(self, *, from_text: bool = False) -> None:
        self.leaves = _FROM_TEXT_LEAVES if from_text else _LEAVES
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

    def expression(self, node: Node, v: str, depth: int = 0) -> str:  # noqa: PLR0911 - one per kind
        """A source expression that reads the value named *v* as *node* or raises."""
        match node:
            case ScalarNode(kind=kind):
                return self.leaves[kind].format(v=v)
            case ChoiceNode():
                hook = self.bind(choice_hook(node), "choice")
                (only, *others) = node.json_types
                if others:
                    return f"{hook}({v}, None)"
                members = self.bind(node.members(), "members")
                # An unknown value raises KeyError, which hands over.
                return f"({members}[{v}] if type({v}) is {only.__name__} else {hook}({v}, None))"
            case OptionalNode(inner=inner):
                return f"(None if {v} is None else {self.expression(inner, v, depth)})"
            case SequenceNode(item=item, unique=unique):
                # A loop in a function of its own: in Python 3.11 a comprehension makes a
                # function object and a frame each time, which costs more for short lists.
                each = f"i{depth}"
                name = self.helper(
                    "items = []",
                    f"for {each} in {_sequence('x')}:",
                    f"    items.append({self.expression(item, each, depth + 1)})",
                    "return _unique(items)" if unique else "return tuple(items)",
                )
                return f"{name}({v})"
            case FixedTupleNode(items=items):
                # A function of its own, so that the list is named once.
                name = self.helper(
                    f"x = _as_fixed(x, {len(items)})",
                    "return ("
                    + "".join(f"{self.expression(item, f'x[{i}]', depth)}, " for i, item in enumerate(items))
                    + ")",
                )
                return f"{name}({v})"
            case MappingNode(value=value):
                each = f"i{depth}"
                key = f"k{depth}"
                read = self.expression(value, each, depth + 1)
                # The key as the hook reads it (a key that is no str raises, and hands over).
                return f"{{_key({key}): {read} for {key}, {each} in _as_mapping({v}).items()}}"
            case ModelNode(cls=cls):
                return f"{self.reader_of(cls)}({v})"
            case _:  # pragma: no cover - every kind is handled above
                typing.assert_never(node)

    def helper(self, *body: str) -> str:
        """A function of one argument ``x`` with *body*, added to the source; its name."""
        name = f"_helper{len(self.chunks)}_{len(self.namespace)}"
        self.namespace[name] = None  # reserves the name
        self.chunks.append(f"def {name}(x):\n" + "".join(f"    {line}\n" for line in body))
        return name

    def class_source(self, cls: type) -> str:
        """The function that reads one model class from a dict."""
        # Where the detailed path cannot read a class at all (cattrs cannot make its
        # function for a name that is no identifier, or resolve its annotations),
        # there is no fast reader either.
        if not cls.__name__.isidentifier():
            raise Unsupported(cls)
        plan = class_plan(cls)
        direct = _builds_directly(cls)
        cls_name = self.bind(cls, "cls")
        fields = [field for field in attrs.fields(cls) if field.init]
        nodes = {field.name: field.node for field in plan.fields}
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
            lines.extend(self.field_lines(field, nodes[field.name], index, direct=direct))
        # Every key was read, or the body holds one the class lacks (an unknown key, or a $type).
        counted = f"{required} + present" if required < len(fields) else str(required)
        lines += [f"    if len(o) != {counted}:", "        raise HandOver"]
        if plan.shape_check is not None:
            # The check the class hook makes on the raw dict before structuring.
            shape = self.bind(plan.shape_check.error_in_data, "shape")
            lines += [f"    if {shape}(o) is not None:", "        raise HandOver"]
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

    def field_lines(self, field: "attrs.Attribute[Any]", node: Node, index: int, *, direct: bool) -> list[str]:
        """Read one field: ``f<index>`` when building directly, else an entry of ``kwargs``."""
        key = repr(field.name)  # cattrs reads the attribute name, and passes the alias to __init__
        target = f"f{index}" if direct else f"kwargs[{field.alias!r}]"
        read = f"{target} = {self.expression(node, 'v')}"
        if field.default is attrs.NOTHING:
            return [f"    v = o[{key}]", f"    {read}"]
        lines = [f"    if {key} in o:", "        present += 1", f"        v = o[{key}]", f"        {read}"]
        if direct:
            lines.append("    else:")
            if accepts(node)(field.default):
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


_READERS: dict[tuple[type, bool], Reader] = {}
_READERS_GENERATION = -1


def fast_reader(cls: type, *, from_text: bool = False) -> Reader:
    """The fast reader of *cls*: the object for a valid body, or None to hand over.

    With *from_text*, the caller vouches that the body was parsed from JSON
    text (``_json.parse``, or the accelerator's parse: dicts, lists, str,
    int, Decimal, bool, None and the parser's markers) that cannot carry a
    lone surrogate (``_json.surrogate_free_text``); the reader then takes
    shortcuts that hold for such values only.

    Generated on first use and cached per class; a newly declared tag
    starts over, as the converter does.
    """
    global _READERS_GENERATION  # noqa: PLW0603 - one cache, cleared when tags change
    if generation() != _READERS_GENERATION:
        _READERS.clear()
        _READERS_GENERATION = generation()
    reader = _READERS.get((cls, from_text))
    if reader is None:
        try:
            reader = (
                _guarded(_Source(from_text=from_text).build(cls))
                if isinstance(cls, type) and attrs.has(cls)
                else _never
            )
        except Exception:  # noqa: BLE001 - Unsupported, or a class too odd to generate code for
            reader = _never
        _READERS[cls, from_text] = reader
    return reader


def read_fast(body: dict[str, Any], cls: type, *, from_text: bool = False) -> object | None:
    """What :func:`fast_reader` gives, None if the fast path is off or failed itself.

    The fast path needs neither cattrs nor its generated code: a valid
    document, even the first one a command reads, is read without loading
    cattrs at all (see ``docs/performance.md``, start-up).
    """
    if not ENABLED:
        return None
    try:
        return fast_reader(cls, from_text=from_text)(body)
    except Exception:  # noqa: BLE001 - a fault of the fast path must never cost a reading
        return None
