"""Writing generated per model class: ``dump`` and ``dumps`` without the scan, cattrs or json.

Writing an object through the reference path takes three passes: the writable
scan (``_writable.py``) looks for values no document can carry, cattrs turns
the object into plain data (``_converter.py``), and json (or ``_indented.py``)
turns that into text. This module generates, per model class and from its type
plan (``_plan.py``), one plain Python function that does all three at once,
in one of three modes:

- *text*: the JSON text of the object, exactly as the reference path writes it
  for one layout (indented by any width from 0 to :data:`MAX_INDENT`, or
  compact, ``indent=None``);
- *data*: the plain document, equal to what cattrs gives, for :func:`dump`;
- *msgspec*: mirror msgspec Structs, one generated per class (keys in cattrs'
  order, ``omit_defaults`` leaving out the None that cattrs leaves out, the tag
  as msgspec's tag), that ``msgspec.json.encode`` writes byte for byte as json
  does (``willkommen[fast]``): dates and enumeration members left for msgspec
  to write, floats that json writes with an exponent handed over as their
  ``repr`` (``msgspec.Raw``), since msgspec writes ``1e16`` where json writes
  ``1e+16``; ``msgspec.json.format`` then lays the text out.

In the text and msgspec modes an object is one expression, written inline
where its class cannot hold itself (see :class:`_Writers`).

**The hand-over contract.** Each value is written under an inlined guard that
settles the common case (``type(v) is str``, an integer of at most
``_SAFE_BITS`` bits, a Decimal seen to fit a float, an enumeration member of
the field's enumeration, an object of exactly the field's class or a tagged
subclass): whatever the guards are not sure about raises inside, and the
writer returns None, which means "write this the reference way". The reference
path then writes it, or raises what it raises (``ValidationError`` with the
scan's problems, ``UntaggedSubclassError``, the ValueError of a datetime
without a time zone). So a writer never refuses anything and never writes
anything the reference path would not: text with a lone surrogate, integers
over the limit, hours a float cannot hold, ``NaN``, naive datetimes, keys that
are not text, objects nesting deeper than :data:`MAX_LEVELS` (an object that
contains itself among them) all go to the reference path.
``tests/test_writer.py`` compares both paths on generated objects and on every
kind of unwritable value.

Generated on first use per class and mode, kept until a tag is declared (a
writer writes the tags that existed when it was made, as the converter does).
"""

import contextlib
import datetime as dt
import enum
import json
import linecache
import math
import threading
from collections.abc import Callable
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

import attrs

from willkommen._migrate import SCHEMA_VERSION, VERSION_KEY
from willkommen._numbers import _SAFE_BITS
from willkommen._plan import (
    SCALAR_TYPES,
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
    model_classes,
)
from willkommen._strict import fits_float, is_utf8
from willkommen._tags import TAG_KEY, generation, tag_of
from willkommen._typecheck import is_aware

__all__ = ["ENABLED", "MAX_INDENT", "MAX_LEVELS", "document", "msgspec_text", "text"]

#: Switch the generated writers off to write everything the reference way (tests compare both).
ENABLED = True

#: The deepest level of nesting a generated writer writes (the root object is level 0); an
#: object deeper than that, or one that contains itself, is written by the reference path.
MAX_LEVELS = 96

#: The widest indentation the text writer lays out itself (its line breaks are made in advance).
MAX_INDENT = 16

_TEXT = "text"
_DATA = "data"
_MSGSPEC = "msgspec"


class _HandOver(Exception):  # noqa: N818 - not an error: a signal inside this module
    """Raised by generated code: the reference path writes this object."""


def _hand_over() -> Any:
    raise _HandOver


# --- what the guards leave to a function ---------------------------------------------------

# Decimals seen to fit a float, with what they are written as: a document repeats its hours.
# The written form follows from the number alone (equal Decimals write alike), so a lookup
# by value is exact. Bounded, since the values come from data.
_CACHE_SIZE = 4096
_DECIMAL_TEXT: dict[Decimal, str] = {}
_DECIMAL_PLAIN: dict[Decimal, int | float] = {}
_DECIMAL_MSGSPEC: dict[Decimal, Any] = {}


def _remember(cache: dict[Any, Any], key: object, value: object) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value


def _decimal_plain(value: Decimal) -> int | float:
    """What cattrs writes for *value* (see ``_converter._unstructure_decimal``); hands over if unwritable."""
    if not value.is_finite() or not fits_float(value):
        raise _HandOver
    plain: int | float = int(value) if value == value.to_integral_value() else float(value)
    _remember(_DECIMAL_PLAIN, value, plain)
    return plain


def _decimal_text(value: Decimal) -> str:
    plain = _DECIMAL_PLAIN[value] if value in _DECIMAL_PLAIN else _decimal_plain(value)
    text = int.__repr__(plain) if type(plain) is int else float.__repr__(plain)
    _remember(_DECIMAL_TEXT, value, text)
    return text


def _decimal_msgspec(value: Decimal) -> Any:
    plain = _DECIMAL_PLAIN[value] if value in _DECIMAL_PLAIN else _decimal_plain(value)
    written = _float_msgspec(plain) if type(plain) is float else plain
    _remember(_DECIMAL_MSGSPEC, value, written)
    return written


def _float_msgspec(value: float) -> Any:
    """*value* for msgspec: as it is where msgspec writes what json writes, else json's text as raw JSON."""
    # repr() writes an exponent below 1e-4 and from 1e16 on, msgspec does not: the only difference.
    if value == 0.0 or 1e-4 <= abs(value) < 1e16:
        return value
    return _msgspec().Raw(float.__repr__(value).encode())


def _plain_text(value: object) -> str:
    """The JSON text of a plain scalar an item writer gave (a sorted frozenset's items)."""
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float:
        return float.__repr__(value)
    if type(value) is bool:
        return "true" if value else "false"
    raise _HandOver  # pragma: no cover - the items of a frozenset the writers write are only these


def _msgspec() -> Any:
    import msgspec  # noqa: PLC0415 - only with willkommen[fast], at the first document written

    return msgspec


# The type of each leaf's values, as a guard tests it.
_SCALAR_TYPES = {kind: tp for tp, kind in SCALAR_TYPES.items() if isinstance(tp, type)}

_LIMIT = 1 << _SAFE_BITS  # integers within it are written under any int/str limit of the caller

_HELPERS: dict[str, Any] = {
    "H": _hand_over,
    "E": encode_basestring,
    "I": int.__repr__,
    "F": float.__repr__,
    "FIN": math.isfinite,
    "U8": is_utf8,
    "AW": is_aware,
    "B": _LIMIT,
    "NB": -_LIMIT,
    "DT": _DECIMAL_TEXT,
    "DTN": _decimal_text,
    "DP": _DECIMAL_PLAIN,
    "DPN": _decimal_plain,
    "DM": _DECIMAL_MSGSPEC,
    "DMN": _decimal_msgspec,
    "MF": _float_msgspec,
    "PT": _plain_text,
    "Decimal": Decimal,
    "date": dt.date,
    "datetime": dt.datetime,
}

# For each leaf and mode: an expression of ``{v}`` that is its text or plain value, or raises.
_LEAVES: dict[str, dict[ScalarKind, str]] = {
    _TEXT: {
        ScalarKind.STR: "(E({v}) if type({v}) is str else H())",
        ScalarKind.INT: "(I({v}) if type({v}) is int and NB < {v} < B else H())",
        ScalarKind.FLOAT: "(F({v}) if type({v}) is float and FIN({v}) else H())",
        ScalarKind.BOOL: "(('true' if {v} else 'false') if type({v}) is bool else H())",
        ScalarKind.DECIMAL: "((DT.get({v}) or DTN({v})) if type({v}) is Decimal else H())",
        ScalarKind.DATE: "('\"' + {v}.isoformat() + '\"' if type({v}) is date else H())",
        ScalarKind.DATETIME: "('\"' + {v}.isoformat() + '\"' if type({v}) is datetime and AW({v}) else H())",
    },
    _DATA: {
        ScalarKind.STR: "({v} if type({v}) is str and ({v}.isascii() or U8({v})) else H())",
        ScalarKind.INT: "({v} if type({v}) is int and NB < {v} < B else H())",
        ScalarKind.FLOAT: "({v} if type({v}) is float and FIN({v}) else H())",
        ScalarKind.BOOL: "({v} if type({v}) is bool else H())",
        ScalarKind.DECIMAL: "((DP[{v}] if {v} in DP else DPN({v})) if type({v}) is Decimal else H())",
        ScalarKind.DATE: "({v}.isoformat() if type({v}) is date else H())",
        ScalarKind.DATETIME: "({v}.isoformat() if type({v}) is datetime and AW({v}) else H())",
    },
    # msgspec refuses a lone surrogate itself (the writer then hands over), and writes dates as isoformat does.
    _MSGSPEC: {
        ScalarKind.FLOAT: "(MF({v}) if type({v}) is float and FIN({v}) else H())",
        ScalarKind.DECIMAL: "((DM[{v}] if {v} in DM else DMN({v})) if type({v}) is Decimal else H())",
        ScalarKind.DATETIME: "({v}.isoformat() if type({v}) is datetime and AW({v}) else H())",
    },
}

# The leaves msgspec writes as json does, as they are: a guard of ``{v}`` that is true for such a value.
# msgspec writes integers of any size: the bound is the writable scan's (and any caller's int/str limit's).
_MSGSPEC_GUARDS: dict[ScalarKind, str] = {
    ScalarKind.STR: "type({v}) is str",
    ScalarKind.INT: "(type({v}) is int and NB < {v} < B)",
    ScalarKind.BOOL: "type({v}) is bool",
    ScalarKind.DATE: "type({v}) is date",
}
for _kind, _guard in _MSGSPEC_GUARDS.items():
    _LEAVES[_MSGSPEC][_kind] = f"({{v}} if {_guard} else H())"

# A Literal's value as written: text or an integer, whatever the Literal's values (the
# reference path writes any value of a Literal field as it is; others hand over).
_LITERALS: dict[str, str] = {
    _TEXT: "(E({v}) if type({v}) is str else I({v}) if type({v}) is int and NB < {v} < B else H())",
    _DATA: "({v} if (type({v}) is str and ({v}.isascii() or U8({v}))) or (type({v}) is int and NB < {v} < B) else H())",
    _MSGSPEC: "({v} if type({v}) is str or (type({v}) is int and NB < {v} < B) else H())",
}
_MSGSPEC_LITERAL_GUARD = "(type({v}) is str or (type({v}) is int and NB < {v} < B))"


# --- layouts of text ------------------------------------------------------------------------


class _Levels(dict[int, Any]):
    """A piece of text for each level of nesting, made when first asked for; beyond MAX_LEVELS, a hand-over."""

    def __init__(self, make: Callable[[int], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, level: int) -> Any:
        if not 0 <= level < MAX_LEVELS:
            raise _HandOver
        piece = self[level] = self.make(level)
        return piece


class _Layout:
    """Where json's writing puts line breaks and blanks, for one indent (None: compact, ``", "``)."""

    def __init__(self, indent: int | None) -> None:
        self.indent = indent
        self.open_object = _Levels(lambda level: "{" + self.first(level))
        self.open_list = _Levels(lambda level: "[" + self.first(level))
        self.separator = _Levels(self.between)
        self.close_object = _Levels(lambda level: self.last(level) + "}")
        self.close_list = _Levels(lambda level: self.last(level) + "]")

    def line(self, level: int) -> str:
        # As json: a negative indent indents by nothing.
        return "\n" + " " * (self.indent * level) if self.indent is not None else ""

    def first(self, level: int) -> str:
        """Before the first entry of an object or list at *level*."""
        return self.line(level + 1)

    def between(self, level: int) -> str:
        """Between two entries of an object or list at *level*."""
        return "," + self.line(level + 1) if self.indent is not None else ", "

    def last(self, level: int) -> str:
        """After the last entry of an object or list at *level*."""
        return self.line(level)

    def entries(self, keys: tuple[str, ...]) -> _Levels:
        """For an object with *keys* (written, with their colon): before each entry's value, then the closing brace."""

        def make(level: int) -> tuple[str, ...]:
            before = ["{" + self.first(level) + keys[0], *(self.between(level) + key for key in keys[1:])]
            return (*before, self.last(level) + "}")

        return _Levels(make)


# --- the generator --------------------------------------------------------------------------

Entry = tuple[str, str, str | None]


class _Writers:
    """The writers of one mode (and layout): a function per model class, made when first asked for.

    In the text and msgspec modes an object is one expression, so that the
    objects of a class that cannot hold itself are written inline, in the loop
    over their list, without a call per object; a class that can (a tree) is
    written by its function, which counts the levels (:data:`MAX_LEVELS`). In
    the text mode, the pieces of layout a function needs (what stands before
    each entry at its level) are looked up once, at its start.
    """

    def __init__(self, mode: str, indent: int | None = None) -> None:
        self.mode = mode
        self.layout = layout = _Layout(indent)
        self.namespace: dict[str, Any] = dict(_HELPERS)
        self.namespace |= {
            "OP": layout.open_object,
            "LOP": layout.open_list,
            "SP": layout.separator,
            "CL": layout.close_object,
            "LCL": layout.close_list,
            "SUB": self.subclass,
            "OBJ": _object,
            "LEVELS": MAX_LEVELS,
        }
        self.functions: dict[type, Callable[[Any, int], Any]] = {}
        self.names: dict[type, str] = {}
        self.bound: dict[int, str] = {}
        self.structs: dict[type, str] = {}
        self.tables: dict[tuple[str, ...], str] = {}
        # The pieces of layout the function being generated looks up at its start.
        self.scope: dict[tuple[Any, ...], str] = {}
        self.preamble: list[str] = []
        self.variables = 0
        self.lock = threading.RLock()
        self.label = mode if indent is None or mode != _TEXT else f"{mode}, indent {indent}"

    def writer(self, cls: type) -> Callable[[Any, int], Any]:
        """The function that writes an object of exactly *cls* at a level (hands over by raising)."""
        function = self.functions.get(cls)
        if function is None:
            with self.lock:
                self.name_of(cls)
                function = self.functions[cls]
        return function

    def name_of(self, cls: type) -> str:
        """The name of *cls*'s writer in the generated module; generated now if new."""
        name = self.names.get(cls)
        if name is not None:
            return name
        name = self.names[cls] = f"write_{cls.__name__}_{len(self.names)}"
        filename = f"<willkommen writer ({self.label}) {cls.__module__}.{cls.__qualname__}>"
        outer = self.scope, self.preamble
        self.scope, self.preamble = {}, []
        try:
            source = self.class_source(cls, name)
            # Like attrs and cattrs: tracebacks and debuggers show the generated lines.
            linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
            exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102 - from the type plan, never from data
        except Exception:  # noqa: BLE001 - no plan (UnsupportedType), or none written here: the reference path
            self.namespace[name] = _never
        finally:
            self.scope, self.preamble = outer
        self.functions[cls] = self.namespace[name]
        return name

    def subclass(self, value: object, base: type, level: int) -> Any:
        """Write *value* where an object of *base* stands: a tagged subclass writes itself, with its tag."""
        cls = type(value)
        if not (isinstance(value, base) and attrs.has(cls) and tag_of(cls) is not None):
            raise _HandOver  # the reference path writes it or says why not
        return self.writer(cls)(value, level)

    def variable(self, prefix: str) -> str:
        """A fresh name for a variable."""
        self.variables += 1
        return f"{prefix}{self.variables}"

    def bind(self, obj: object, prefix: str) -> str:
        """The name of *obj* in the generated module (one name per object)."""
        name = self.bound.get(id(obj))
        if name is None:
            name = self.bound[id(obj)] = f"{prefix}{len(self.namespace)}"
            self.namespace[name] = obj
        return name

    def local(self, table: str, level: int) -> str:
        """A local name for the piece of layout *table* at *level* (offset from the function's ``d``)."""
        key = (table, level)
        name = self.scope.get(key)
        if name is None:
            name = self.scope[key] = self.variable(table.lower())
            self.preamble.append(f"{name} = {table}[d + {level}]")
        return name

    # -- a class

    def entries(self, cls: type, o: str, level: int, inlined: int) -> list[Entry]:
        """Each entry of an object *o* of *cls*: key, value expression, and the condition to write it.

        In the order cattrs writes them: the tag, the fields always written, then
        those left out when None (``omit_if_default``), by ``!=`` where the value's
        class may say otherwise than ``is``.
        """
        plan = class_plan(cls)
        entries: list[Entry] = []
        tag = tag_of(cls)
        if tag is not None:
            entries.append((TAG_KEY, repr(encode_basestring(tag) if self.mode == _TEXT else tag), None))
        for field in plan.fields:
            v = f"{o}.{field.name}"
            node = field.node
            condition = None
            if field.default is None:
                node = node.inner if isinstance(node, OptionalNode) else node
                plain = isinstance(node, ScalarNode | SequenceNode | FixedTupleNode | MappingNode) or (
                    isinstance(node, ChoiceNode) and (node.enum is None or _compares_plainly(node.enum))
                )
                condition = f"{v} is not None" if plain else f"{v} != None"
            value = self.expression(node, v, level + 1, inlined)
            if condition is not None and self.mode == _MSGSPEC:
                # None where the value is left out, which the mirror Struct leaves out (omit_defaults);
                # a value msgspec takes as it is, or None, in one test.
                guard = self.guard(node, v)
                plain_guard = guard is not None and condition.endswith("is not None")
                value = (
                    f"({v} if {v} is None or {guard} else H())"
                    if plain_guard
                    else f"({value} if {condition} else None)"
                )
            entries.append((field.name, value, condition))
        return sorted(entries, key=lambda entry: entry[2] is not None)

    def class_source(self, cls: type, name: str) -> str:
        """The function that writes an object of *cls* at level ``d``."""
        if self.mode != _DATA:
            written = self.object_expression(cls, "o", 0, 0)
            lines = [*self.preamble, f"return {written}"]
        else:
            entries = self.entries(cls, "o", 0, 0)
            lead = sum(1 for entry in entries if entry[2] is None)
            first = ", ".join(f"{key!r}: {value}" for key, value, _ in entries[:lead])
            lines = [f"r = {{{first}}}"]
            lines += [f"if {condition}: r[{key!r}] = {value}" for key, value, condition in entries[lead:]]
            lines.append("return r")
        return (
            "".join(f"{line}\n" for line in [f"def {name}(o, d):", "if d >= LEVELS: H()", *lines])
            .replace("\n", "\n    ")
            .rstrip()
            + "\n"
        )

    def object_expression(self, cls: type, o: str, level: int, inlined: int) -> str:
        """An expression that writes the object *o* of exactly *cls* (text, or a msgspec Struct)."""
        entries = self.entries(cls, o, level, inlined)
        if self.mode == _MSGSPEC:
            # The mirror Struct leaves out a None where cattrs does (omit_defaults), in cattrs' order.
            struct = self.structs.get(cls)
            if struct is None:
                struct = self.structs[cls] = self.bind(_mirror(cls, tag_of(cls), entries), "S")
            # (A value left out is None there, which the Struct leaves out: see entries().)
            values = [value for key, value, _ in entries if key != TAG_KEY]
            return f"{struct}({', '.join(values)})"
        keys = tuple(encode_basestring(key) + ": " for key, _, _ in entries)
        if not entries or entries[0][2] is not None:
            # Every entry may be left out (rare): the opening depends on which comes first.
            pieces = [
                f"({key!r} + {value} if {condition} else None)"
                for key, (_, value, condition) in zip(keys, entries, strict=True)
            ]
            return f"OBJ(d + {level}, OP, SP, CL, [{', '.join(pieces)}])"
        before = self.before_entries(keys, level)
        items: list[str] = []
        for piece, (_, value, condition) in zip(before, entries, strict=False):
            items += [piece, value] if condition is None else [f"({piece} + {value} if {condition} else '')"]
        items.append(before[-1])
        return f"''.join([{', '.join(items)}])"

    def before_entries(self, keys: tuple[str, ...], level: int) -> list[str]:
        """Local names for what stands before each entry of an object with *keys* at *level*, and after."""
        table = self.tables.get(keys)
        if table is None:
            table = self.tables[keys] = self.bind(self.layout.entries(keys), "PX")
        scope_key = (table, level)
        names = self.scope.get(scope_key)
        if names is None:
            prefix = self.variable("p")
            listed = [f"{prefix}_{i}" for i in range(len(keys) + 1)]
            names = self.scope[scope_key] = ", ".join(listed)
            self.preamble.append(f"{names} = {table}[d + {level}]")
        return names.split(", ")

    # -- a value

    def expression(self, node: Node, v: str, level: int, inlined: int = 0) -> str:  # noqa: C901, PLR0911, PLR0912 - one per kind
        """A source expression that writes the value *v*, planned as *node*, at *level*; or raises."""
        text = self.mode == _TEXT
        match node:
            case ScalarNode(kind=kind):
                return _LEAVES[self.mode][kind].format(v=v)
            case ChoiceNode(enum=None):
                return _LITERALS[self.mode].format(v=v)
            case ChoiceNode(enum=cls) if cls is not None:
                return self.member(cls, v)
            case OptionalNode(inner=inner):
                null = "'null'" if text else "None"
                return f"({null} if {v} is None else {self.expression(inner, v, level, inlined)})"
            case SequenceNode(item=item, unique=True):
                return self.unique(item, v, level)
            case SequenceNode(item=item) if self.mode == _MSGSPEC and self.as_they_are(item) is not None:
                # Every item of a type msgspec writes as json does: the tuple itself, its types checked at once.
                kinds = self.bind(self.as_they_are(item), "T")
                return f"({v} if (type({v}) is tuple or type({v}) is list) and {{*map(type, {v})}} <= {kinds} else H())"
            case SequenceNode(item=item):
                x = self.variable("x")
                each = f"[{self.expression(item, x, level + 1, inlined)} for {x} in {v}]"
                guard = f"(type({v}) is tuple or type({v}) is list)"
                if not text:
                    return f"({each} if {guard} else H())"
                return f"(({self.around('LOP', 'LCL', each, level)} if {v} else '[]') if {guard} else H())"
            case FixedTupleNode(items=items):
                parts = [self.expression(item, f"{v}[{i}]", level + 1, inlined) for i, item in enumerate(items)]
                guard = f"type({v}) is tuple and len({v}) == {len(items)}"
                if not text:
                    return f"([{', '.join(parts)}] if {guard} else H())"
                if not parts:
                    return f"('[]' if {guard} else H())"
                listed = "[" + ", ".join(parts) + "]"
                return f"({self.around('LOP', 'LCL', listed, level)} if {guard} else H())"
            case MappingNode(value=value):
                k, x = self.variable("k"), self.variable("x")
                each = self.expression(value, x, level + 1, inlined)
                if self.mode == _DATA:
                    key = f"({k} if type({k}) is str and ({k}.isascii() or U8({k})) else H())"
                    return f"({{{key}: {each} for {k}, {x} in {v}.items()}} if type({v}) is dict else H())"
                if self.mode == _MSGSPEC:
                    key = f"({k} if type({k}) is str else H())"
                    return f"({{{key}: {each} for {k}, {x} in {v}.items()}} if type({v}) is dict else H())"
                key = f"(E({k}) if type({k}) is str else H())"
                pairs = f"[{key} + ': ' + {each} for {k}, {x} in {v}.items()]"
                return f"(({self.around('OP', 'CL', pairs, level)} if {v} else '{{}}') if type({v}) is dict else H())"
            case ModelNode(cls=cls):
                return self.model(cls, v, level, inlined)
            case _:  # pragma: no cover - every kind is handled above
                raise AssertionError(node)

    def guard(self, node: Node, v: str) -> str | None:
        """For msgspec: a test that *v* is a value of *node* that msgspec writes as it is; None if none is."""
        match node:
            case ScalarNode(kind=kind) if kind in _MSGSPEC_GUARDS:
                return _MSGSPEC_GUARDS[kind].format(v=v)
            case ChoiceNode(enum=None):
                return _MSGSPEC_LITERAL_GUARD.format(v=v)
            case ChoiceNode(enum=cls) if cls is not None:
                return f"type({v}) is {self.bind(cls, 'C')}"
            case _:
                return None

    @staticmethod
    def as_they_are(node: Node) -> frozenset[type] | None:
        """The types of values of *node* that msgspec writes as json does without a look at the value."""
        match node:
            case ScalarNode(kind=ScalarKind.STR | ScalarKind.BOOL | ScalarKind.DATE):
                return frozenset({_SCALAR_TYPES[node.kind]})
            case ChoiceNode(enum=cls) if cls is not None:
                # msgspec refuses a member whose value it cannot write: then the writer hands over.
                return frozenset({cls})
            case _:
                return None

    def around(self, opening: str, closing: str, items: str, level: int) -> str:
        """The text of a non-empty list or object at *level* whose entries (texts) *items* gives."""
        first, between, last = self.local(opening, level), self.local("SP", level), self.local(closing, level)
        return f"''.join([{first}, {between}.join({items}), {last}])"

    def model(self, cls: type, v: str, level: int, inlined: int) -> str:
        """An object where *cls* is planned: inline if its class cannot hold itself, else by its function."""
        c = self.bind(cls, "C")
        written = None
        if self.mode != _DATA and inlined < _INLINED and not _holds_itself(cls):
            # No plan, or none written here: its function hands over.
            with contextlib.suppress(Exception):
                written = self.object_expression(cls, v, level, inlined + 1)
        if written is None:
            written = f"{self.name_of(cls)}({v}, d + {level})"
        return f"({written} if type({v}) is {c} else SUB({v}, {c}, d + {level}))"

    def member(self, cls: type[enum.Enum], v: str) -> str:
        """An enumeration member of *cls*: written as its value; a value no document can carry hands over."""
        c = self.bind(cls, "C")
        if self.mode == _MSGSPEC:
            # msgspec writes a member's value itself, and refuses one it cannot (then the writer hands over).
            return f"({v} if type({v}) is {c} else H())"
        written: dict[enum.Enum, Any] = {}
        for member in cls:
            value = member.value
            if type(value) is str and is_utf8(value):
                written[member] = encode_basestring(value) if self.mode == _TEXT else value
            elif isinstance(value, int) and not isinstance(value, bool) and -_LIMIT < value < _LIMIT:
                written[member] = int.__repr__(value) if self.mode == _TEXT else value
        # Only the members a document can carry: any other raises KeyError, which hands over.
        members = self.bind(written, "M")
        return f"({members}[{v}] if type({v}) is {c} else H())"

    def unique(self, item: Node, v: str, level: int) -> str:
        """A frozenset: its items written, sorted by their ``str``, as cattrs sorts them."""
        x, y = self.variable("x"), self.variable("y")
        plain = self.data_expression(item, x, level + 1)
        items = f"sorted([{plain} for {x} in {v}], key=str)"
        guard = f"type({v}) is frozenset"
        if self.mode == _DATA:
            return f"({items} if {guard} else H())"
        if self.mode == _MSGSPEC:
            return f"([MF({y}) if type({y}) is float else {y} for {y} in {items}] if {guard} else H())"
        joined = self.around("LOP", "LCL", f"[PT({y}) for {y} in {items}]", level)
        return f"(({joined} if {v} else '[]') if {guard} else H())"

    def data_expression(self, node: Node, v: str, level: int) -> str:
        """The plain value of *v* as the data mode writes it (a sorted frozenset sorts plain values)."""
        if self.mode == _DATA:
            return self.expression(node, v, level)
        if not isinstance(node, ScalarNode | ChoiceNode):
            return "H()"  # a frozenset of objects or lists: the reference path writes it
        mode = self.mode
        self.mode = _DATA
        try:
            return self.expression(node, v, level)
        finally:
            self.mode = mode


def _compares_plainly(cls: type) -> bool:
    """Whether ``!= None`` is true for every member of *cls*: it compares as its value's type or by identity."""
    compares: list[tuple[object, object]] = [(base.__eq__, base.__ne__) for base in (object, str, int)]
    return (cls.__eq__, cls.__ne__) in compares


#: How many levels of objects are written inline in one function.
_INLINED = 4


def _holds_itself(root: type) -> bool:
    """Whether an object of *root* can hold one of *root* by its plan (a tree, a chain); True without a plan."""
    seen: set[type] = set()
    todo = [root]
    while todo:
        cls = todo.pop()
        try:
            fields = class_plan(cls).fields
        except Exception:  # noqa: BLE001 - no plan: not inlined, its function hands over
            return True
        for field in fields:
            for inner in model_classes(field.node):
                if inner is root:
                    return True
                if inner not in seen:
                    seen.add(inner)
                    todo.append(inner)
    return False


def _mirror(cls: type, tag: str | None, entries: list[Entry]) -> type:
    """A msgspec Struct that writes an object of *cls* as cattrs does, from its entries' values in order."""
    msgspec = _msgspec()
    fields: list[Any] = [
        (key, Any) if condition is None else (key, Any, None) for key, _, condition in entries if key != TAG_KEY
    ]
    options: dict[str, Any] = {"tag_field": TAG_KEY, "tag": tag} if tag is not None else {}
    # gc=False: a fresh tree of these, gone after the call, never holds a cycle; the collector need not track them.
    struct: type = msgspec.defstruct(f"Written{cls.__name__}", fields, omit_defaults=True, gc=False, **options)
    return struct


def _object(level: int, opening: _Levels, separator: _Levels, closing: _Levels, entries: list[str | None]) -> str:
    """The text of an object whose every entry may be left out: ``{}`` when all are."""
    written = [entry for entry in entries if entry is not None]
    return opening[level] + separator[level].join(written) + closing[level] if written else "{}"


def _never(value: object, level: int) -> Any:
    """The writer of a class that has no plan: the reference path writes (or refuses) it."""
    del value, level
    raise _HandOver


# --- the entry points -----------------------------------------------------------------------

_SETS: dict[tuple[str, int | None], _Writers] = {}
_SETS_GENERATION = -1
_SETS_LOCK = threading.Lock()


def _writers(mode: str, indent: int | None = None) -> _Writers:
    global _SETS_GENERATION  # noqa: PLW0603 - one cache, cleared when tags change
    key = (mode, indent)
    if generation() != _SETS_GENERATION:
        with _SETS_LOCK:
            _SETS.clear()
            _SETS_GENERATION = generation()
    writers = _SETS.get(key)
    if writers is None:
        with _SETS_LOCK:
            writers = _SETS.setdefault(key, _Writers(mode, indent))
    return writers


def document(obj: object) -> dict[str, Any] | None:
    """What ``dump(obj)`` returns, or None: the reference path writes (or refuses) *obj*."""
    try:
        body = _writers(_DATA).writer(type(obj))(obj, 0)
    except Exception:  # noqa: BLE001 - anything the writer is not sure about: the reference path
        return None
    return {VERSION_KEY: SCHEMA_VERSION, **body}


_VERSION_ENTRY = encode_basestring(VERSION_KEY) + ": " + json.dumps(SCHEMA_VERSION)
_VERSION_BYTES = ("{" + encode_basestring(VERSION_KEY) + ":" + json.dumps(SCHEMA_VERSION)).encode()


def text(obj: object, indent: int | None) -> str | None:
    """What ``dumps(obj, indent=indent)`` returns, or None: the reference path writes (or refuses) *obj*."""
    if indent is not None and indent > MAX_INDENT:
        return None
    # json indents by nothing for a negative width, as for 0: one layout (and one set of writers) for all.
    writers = _writers(_TEXT, None if indent is None else max(indent, 0))
    try:
        body: str = writers.writer(type(obj))(obj, 0)
    except Exception:  # noqa: BLE001 - anything the writer is not sure about: the reference path
        return None
    # Text with a lone surrogate (UTF-8 cannot carry it): the reference path says where.
    if not body.isascii() and not is_utf8(body):
        return None
    layout = writers.layout
    opening: str = layout.open_object[0]
    if body == "{}":
        closing: str = layout.close_object[0]
        return opening + _VERSION_ENTRY + closing
    separator: str = layout.separator[0]
    return opening + _VERSION_ENTRY + separator + body[len(opening) :]


def msgspec_text(obj: object, indent: int | None) -> str | None:
    """:func:`text` with msgspec writing the JSON (``willkommen[fast]``); None where it does not write it.

    msgspec writes compact text; its ``format`` lays it out as json does for a
    positive indent (and, with indent 0, as json's compact text with its
    blanks): a zero or negative indent is left to :func:`text`.
    """
    if indent is not None and indent <= 0:
        return None
    try:
        encode, lay_out = _msgspec_functions()
        body: bytes = encode(_writers(_MSGSPEC).writer(type(obj))(obj, 0))
        # The version first, then the object's own entries: msgspec's compact text has no blanks.
        data = _VERSION_BYTES + (b"}" if body == b"{}" else b"," + body[1:])
        laid_out: bytes = lay_out(data, indent=0 if indent is None else indent)
    except Exception:  # noqa: BLE001 - anything the writer or msgspec is not sure about: the reference path
        return None
    return str(laid_out, "utf-8")


_MSGSPEC_FUNCTIONS: list[Any] = []


def _msgspec_functions() -> tuple[Callable[[Any], bytes], Callable[..., bytes]]:
    """The functions of msgspec that write JSON and lay it out, looked up once."""
    if not _MSGSPEC_FUNCTIONS:
        msgspec = _msgspec()
        # An Encoder kept for every call: msgspec's advice, it spares setting one up per call.
        _MSGSPEC_FUNCTIONS[:] = [msgspec.json.Encoder().encode, msgspec.json.format]
    return _MSGSPEC_FUNCTIONS[0], _MSGSPEC_FUNCTIONS[1]
