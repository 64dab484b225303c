r"""Reading with willkommen[fast]: JSON bytes decoded by msgspec into mirror structs, then into model objects.

For each model class a document is read into, a *mirror* is generated from
the type plan (``_plan.py``), once, on first use: one ``msgspec.Struct`` per
model class reachable from it, whose fields hold what msgspec can check
exactly as the library does, and one plain Python function per class that
builds the model objects from the structs, like the fast reader
(``_fast.py``): ``object.__new__`` and a slot setter per field for the
classes where that is provably what their ``__init__`` does, a call of the
class otherwise. Reading a valid document is then one pass of msgspec's
compiled decoder, one of its encoder, and the building.

**The hand-over contract.** :func:`read_mirrored` returns the object that
``_api._read_current`` would build for the document (before the rules), or
None: "read this the usual way". It never reports a problem; whatever msgspec
refuses, and whatever this module is not sure about, goes to the usual path,
which finds and reports it. What msgspec would let through, the mirror keeps
from it:

- **Repeated keys** (msgspec keeps the last one without a word): every optional
  field of a mirror defaults to ``UNSET``, which msgspec never writes, so the
  compact writing of the structs has exactly the keys that were kept. A key
  dropped takes its two quotes with it, so the quotes of the text are counted
  and compared with those of the writing. Nothing else changes that count: every
  string written was a string of the text (keys, text, dates, codes), a number
  is written as the text gave it (``msgspec.Raw``, below) or as an integer, and
  a quote inside a string is ``\"`` both ways. Only a quote written as the
  escape ``\u0022`` would count one more in the writing: such text is not read
  here.
- **Numbers**: msgspec's ``Decimal`` reads a JSON string too, and its
  ``float`` rounds; so a ``Decimal`` or ``float`` field is read as the raw JSON
  value (``msgspec.Raw``), which the library's own parser and hook then read,
  refusing a string, ``1e-400`` or ``2**53 + 1`` as the library refuses them.
  The Decimal read for each number text is kept (a document repeats its hours):
  the same text reads as the same number.
- **Integers**: msgspec refuses more than Python's default int-to-text limit
  (the library's own); under a caller's other limit nothing is read here.
- **Text**: msgspec refuses invalid UTF-8 and lone surrogates, written as bytes
  or as escapes, as ``_json`` and the text hook do; a ``str`` that cannot be
  encoded is not read here.
- **Dates**: msgspec reads exactly ``YYYY-MM-DD`` calendar dates; a datetime
  field is read as text by the library's own hook (naive times are refused).
- **Enumerations and literals** by value, no coercion (``true`` is not ``1``,
  ``"1"`` is not an integer), unknown keys refused (``forbid_unknown_fields``),
  required keys required: msgspec's strict decoding, as the library reads.
- **Nesting**: a mirror is generated only for classes that do not contain
  themselves, and only where the deepest document it reads stays within
  ``_limits.MAX_DEPTH``.
- **Tags and versions**: a document of another ``schema_version`` (migrated by
  the usual path), a ``$type`` anywhere but at the top, and a top-level
  ``$type`` naming no class registered for the one asked for are not read here.
- **The shape of a class** (``__willkommen_shape__``, Offering's dates) is
  checked on what the document held, as the class hook does.

``tests/test_mirror.py`` shows each of these refusals, and
``tests/test_accelerator.py`` reads the mutation, invalid and fuzz corpora
with the accelerator on and off, requiring the same objects and problems.
This module imports msgspec: ``_api`` imports it at the first document read
with the accelerator on.
"""

import datetime as dt
import linecache
import re
import sys
import threading
import typing
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

import attrs
import msgspec

from willkommen._fast import _builds_directly, _read_decimal, _remember, _unique
from willkommen._limits import MAX_DEPTH, MAX_INT_DIGITS
from willkommen._migrate import SCHEMA_VERSION, VERSION_KEY
from willkommen._numbers import _SAFE_BITS, read_decimal
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
)
from willkommen._strict import LEAVES
from willkommen._tags import TAG_KEY, class_for, generation
from willkommen._typecheck import accepts

__all__ = ["read_mirrored"]

Reader = Callable[[bytes], object | None]

#: The mirror's attribute for ``schema_version`` and ``$type`` in the struct of the document itself.
_VERSION = "schema_version_"
_TAG = "type_tag_"
_TAG_BYTES = b'"' + TAG_KEY.encode() + b'"'
# A tag written first or right after the version, as dumps() writes it: the top level's own.
_LEADING_TAG = re.compile(
    rb'\A[ \t\r\n]*\{[ \t\r\n]*(?:"schema_version"[ \t\r\n]*:[ \t\r\n]*[0-9]+[ \t\r\n]*,[ \t\r\n]*)?'
    rb'"\$type"[ \t\r\n]*:[ \t\r\n]*"([^"\\]*)"'
)
# A quote written as an escape: its writing would count one more (see the module docstring).
_ESCAPED_QUOTE = b"\\u0022"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _HandOver(Exception):  # noqa: N818 - not an error: a signal to the caller
    """Raised by generated code: this document is for the usual path."""


class _Unsupported(Exception):  # noqa: N818 - a signal to the generator
    """A class the mirror does not handle."""


def _hand_over() -> Any:
    raise _HandOver


class _TagProbe(msgspec.Struct):
    """The top-level ``$type`` of a document, whatever else it holds."""

    tag: str | msgspec.UnsetType = msgspec.field(default=msgspec.UNSET, name=TAG_KEY)


_PROBE = msgspec.json.Decoder(_TagProbe)
_ENCODER = msgspec.json.Encoder()
# The raw JSON value of a float field, read as the library's parser reads it.
_ANY = msgspec.json.Decoder(float_hook=read_decimal)


# The Decimal each number text read as before: the same text reads as the same number.
_DECIMAL_TEXTS: dict[bytes, Decimal] = {}


def _decimal(raw: msgspec.Raw) -> Decimal:
    """The raw JSON value of a Decimal field, read as the library's parser and hook read it (or refused)."""
    text = bytes(raw)
    number = _read_decimal(_ANY.decode(text))
    _remember(_DECIMAL_TEXTS, text, number)
    return number


def _optional_decimal(raw: msgspec.Raw) -> Decimal | None:
    text = bytes(raw)
    if text == b"null":
        return None
    number = _DECIMAL_TEXTS.get(text)
    return _decimal(raw) if number is None else number


def _float(raw: msgspec.Raw) -> float:
    number: float = LEAVES[ScalarKind.FLOAT](_ANY.decode(raw), None)
    return number


def _optional_float(raw: msgspec.Raw) -> float | None:
    value = _ANY.decode(raw)
    if value is None:
        return None
    number: float = LEAVES[ScalarKind.FLOAT](value, None)
    return number


def _plain_json(node: Node) -> bool:
    """Whether the mirror value of *node* is the JSON value (or its enumeration member): text, integer, boolean."""
    if isinstance(node, OptionalNode):
        node = node.inner
    return isinstance(node, ChoiceNode) or (
        isinstance(node, ScalarNode) and node.kind in {ScalarKind.STR, ScalarKind.INT, ScalarKind.BOOL}
    )


def _exempt(wanted: object) -> Callable[[object], bool]:
    """Whether a mirror value is the JSON value that exempts an object from its shape (``ShapeCheck.unless``)."""
    written = wanted.value if isinstance(wanted, Enum) else wanted

    def exempt(value: object) -> bool:
        if value is msgspec.UNSET:
            value = None
        elif isinstance(value, Enum):
            value = value.value
        return type(value) is type(written) and value == written

    return exempt


# Source expressions that turn a mirror value ``{v}`` into the field's value: None where it is the value.
_LEAVES: dict[ScalarKind, str | None] = {
    ScalarKind.STR: None,
    ScalarKind.BOOL: None,
    ScalarKind.DATE: None,
    # Small integers need no check of their digits.
    ScalarKind.INT: "({v} if -_SMALL_INT < {v} < _SMALL_INT else _int({v}, None))",
    ScalarKind.FLOAT: "_float({v})",
    # The number's text, looked up: a document repeats its hours (and a Decimal's hash is dear).
    ScalarKind.DECIMAL: "(d if (d := _decimal_texts.get(bytes({v}))) is not None else _decimal({v}))",
    ScalarKind.DATETIME: "_datetime({v}, None)",
}

# An optional number is a raw value too (null among them): a function reads it.
_OPTIONAL_RAW = {ScalarKind.FLOAT: "_optional_float", ScalarKind.DECIMAL: "_optional_decimal"}

_MIRROR_TYPES: dict[ScalarKind, Any] = {
    ScalarKind.STR: str,
    ScalarKind.BOOL: bool,
    ScalarKind.DATE: dt.date,
    ScalarKind.INT: int,
    ScalarKind.FLOAT: msgspec.Raw,
    ScalarKind.DECIMAL: msgspec.Raw,
    ScalarKind.DATETIME: str,
}

_HELPERS: dict[str, Any] = {
    "_HandOver": _HandOver,
    "_hand_over": _hand_over,
    "UNSET": msgspec.UNSET,
    "_SMALL_INT": 2**_SAFE_BITS,
    "_int": LEAVES[ScalarKind.INT],
    "_datetime": LEAVES[ScalarKind.DATETIME],
    "_float": _float,
    "_optional_float": _optional_float,
    "_decimal": _decimal,
    "_optional_decimal": _optional_decimal,
    "_decimal_texts": _DECIMAL_TEXTS,
    "_unique": _unique,
    "_new": object.__new__,
}


def _plain_enum(cls: type[Enum]) -> bool:
    """Whether msgspec reads *cls* as the library does: by value, nothing else (no ``_missing_`` of its own)."""
    return getattr(cls._missing_, "__func__", None) is Enum._missing_.__func__  # type: ignore[attr-defined]


def _tuple_source(reads: list[str | None], v: str) -> str:
    """The items of a fixed tuple: each read, or the mirror's item as it is."""
    return "".join(f"{read or f'{v}[{index}]'}, " for index, read in enumerate(reads))


class _Generator:
    """The mirror of one root class: its structs and the functions that build objects from them."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = dict(_HELPERS)
        self.structs: dict[type, Any] = {}
        self.functions: dict[type, str] = {}
        self.building: set[type] = set()
        self.chunks: list[str] = []

    def bind(self, obj: object, prefix: str) -> str:
        """A name in the generated module for *obj*."""
        name = f"_{prefix}{len(self.namespace)}"
        self.namespace[name] = obj
        return name

    def depth(self, node: Node) -> int:
        """How deep the JSON value of *node* nests at most (a list or an object is one level)."""
        match node:
            case ScalarNode() | ChoiceNode():
                return 0
            case OptionalNode(inner=inner):
                return self.depth(inner)
            case SequenceNode(item=inner) | MappingNode(value=inner):
                return 1 + self.depth(inner)
            case FixedTupleNode(items=items):
                return 1 + max(self.depth(item) for item in items)
            case ModelNode(cls=cls):
                return 1 + max((self.depth(field.node) for field in class_plan(cls).fields), default=0)
            case _:  # pragma: no cover - every kind is handled above
                typing.assert_never(node)

    def mirror_type(self, node: Node) -> Any:  # noqa: PLR0911 - one per kind
        """The type msgspec reads the value of *node* as."""
        match node:
            case ScalarNode(kind=kind):
                return _MIRROR_TYPES[kind]
            case ChoiceNode(enum=cls, values=values):
                # An enumeration msgspec reads by value gives the member itself; any other the value.
                return cls if cls is not None and _plain_enum(cls) else Literal[values]
            case OptionalNode(inner=inner):
                # null is a raw value too (msgspec takes no union with Raw).
                mirror = self.mirror_type(inner)
                return mirror if mirror is msgspec.Raw else mirror | None
            case SequenceNode(item=item):
                return list[self.mirror_type(item)]  # type: ignore[misc]
            case FixedTupleNode(items=items):
                if not items:
                    raise _Unsupported(node)
                return tuple.__class_getitem__(tuple(self.mirror_type(item) for item in items))
            case MappingNode(value=value):
                return dict[str, self.mirror_type(value)]  # type: ignore[misc]
            case ModelNode(cls=cls):
                return self.struct_of(cls)
            case _:  # pragma: no cover - every kind is handled above
                typing.assert_never(node)

    def expression(self, node: Node, v: str, depth: int = 0) -> str | None:  # noqa: PLR0911 - one per kind
        """A source expression that turns the mirror value *v* into the value of *node*; None: it is the value."""
        match node:
            case ScalarNode(kind=kind):
                leaf = _LEAVES[kind]
                return None if leaf is None else leaf.format(v=v)
            case ChoiceNode(enum=cls):
                if cls is None or _plain_enum(cls):
                    return None
                return f"{self.bind(node.members(), 'members')}[{v}]"
            case OptionalNode(inner=ScalarNode(kind=kind)) if kind in _OPTIONAL_RAW:
                return f"{_OPTIONAL_RAW[kind]}({v})"
            case OptionalNode(inner=inner):
                read = self.expression(inner, v, depth)
                return None if read is None else f"(None if {v} is None else {read})"
            case SequenceNode():
                return self.sequence_expression(node, v, depth)
            case FixedTupleNode(items=items):
                reads = [self.expression(item, f"{v}[{index}]", depth) for index, item in enumerate(items)]
                # None: msgspec gives the tuple.
                return None if reads == [None] * len(reads) else f"({_tuple_source(reads, v)})"
            case MappingNode(value=value):
                each, key = f"i{depth}", f"k{depth}"
                read = self.expression(value, each, depth + 1)
                return None if read is None else f"{{{key}: {read} for {key}, {each} in {v}.items()}}"
            case ModelNode(cls=cls):
                self.struct_of(cls)
                return f"{self.functions[cls]}({v})"
            case _:  # pragma: no cover - every kind is handled above
                typing.assert_never(node)

    def sequence_expression(self, node: SequenceNode, v: str, depth: int) -> str:
        """The expression of a tuple or frozenset read from the list *v*."""
        each = f"i{depth}"
        read = self.expression(node.item, each, depth + 1)
        if isinstance(node.item, ModelNode):
            items = f"map({self.functions[node.item.cls]}, {v})"
        else:
            items = v if read is None else f"[{read} for {each} in {v}]"
        # A frozenset's list has no item twice: _unique hands over otherwise.
        return f"_unique({items})" if node.unique else f"tuple({items})"

    def struct_of(self, cls: type, *, document: bool = False) -> Any:
        """The mirror struct of *cls* (of a whole document: with ``schema_version`` and ``$type``)."""
        if not document and cls in self.structs:
            return self.structs[cls]
        if cls in self.building:
            raise _Unsupported(cls)  # a class that holds itself: msgspec would need a forward reference
        if not cls.__name__.isidentifier():
            raise _Unsupported(cls)  # as in the fast reader: the usual path cannot read it either
        self.building.add(cls)
        plan = class_plan(cls)
        fields = [field for field in attrs.fields(cls) if field.init]
        nodes = {field.name: field.node for field in plan.fields}
        specs: list[tuple[str, Any, Any]] = []
        rename: dict[str, str] = {}
        if document:
            specs.append((_VERSION, int, msgspec.NODEFAULT))
            specs.append((_TAG, str | msgspec.UnsetType, msgspec.UNSET))
            rename |= {_VERSION: VERSION_KEY, _TAG: TAG_KEY}
        for index, field in enumerate(fields):
            mirror = self.mirror_type(nodes[field.name])
            if field.default is attrs.NOTHING:
                specs.append((f"f{index}", mirror, msgspec.NODEFAULT))
            else:
                specs.append((f"f{index}", mirror | msgspec.UnsetType, msgspec.UNSET))
            rename[f"f{index}"] = field.name
        self.building.discard(cls)
        struct = msgspec.defstruct(
            f"{cls.__name__}Mirror",
            specs,
            forbid_unknown_fields=True,
            rename=rename,
            kw_only=True,
            # Structs of a document hold no cycles: the collector need not track them.
            gc=False,
        )
        if document:
            return struct
        self.structs[cls] = struct
        self.functions[cls] = f"build_{cls.__name__}_{len(self.functions)}"
        self.chunks.append(self.builder_source(cls, fields, nodes))
        return struct

    def builder_source(self, cls: type, fields: "list[attrs.Attribute[Any]]", nodes: dict[str, Node]) -> str:
        """The function that builds an object of *cls* from its mirror struct ``m``."""
        direct = _builds_directly(cls)
        cls_name = self.bind(cls, "cls")
        lines = [f"    # {cls.__module__ + '.' + cls.__qualname__!r}", *self.shape_lines(cls, fields, nodes)]
        lines.append(f"    self = _new({cls_name})" if direct else "    kwargs = {}")
        for index, field in enumerate(fields):
            lines.extend(self.field_lines(cls, field, nodes[field.name], index, direct=direct))
        # Its own __init__ runs the checks the mirror cannot see; a refusal raises and hands over.
        lines.append("    return self" if direct else f"    return {cls_name}(**kwargs)")
        body = "\n".join(lines) + "\n"
        # What the body names of the module's, as defaults of parameters: a local is faster to look up.
        known = self.namespace.keys() | set(self.functions.values())
        names = sorted(set(_IDENTIFIER.findall(body)) & known - {self.functions[cls]})
        defaults = "".join(f", {name}={name}" for name in names)
        return f"def {self.functions[cls]}(m{defaults}):\n{body}"

    def shape_lines(self, cls: type, fields: "list[attrs.Attribute[Any]]", nodes: dict[str, Node]) -> list[str]:
        """The class's shape check on what the document held, as ``ShapeCheck.error_in_data`` makes it; or none.

        Exactly one group is there, complete (a field is there when it is given
        and not null); or none, where the field ``unless`` names holds its value.
        """
        check = class_plan(cls).shape_check
        if check is None:
            return []
        index_of = {field.name: index for index, field in enumerate(fields)}
        names = sorted({name for group in check.groups for name in group})
        # A float's null is a raw value, which would look present.
        if not set(names) <= index_of.keys() or any(self.mirror_type(nodes[name]) is msgspec.Raw for name in names):
            raise _Unsupported(cls)
        flag = {name: f"p{number}" for number, name in enumerate(names)}
        lines = [
            f"    {flag[name]} = m.f{index_of[name]} is not UNSET and m.f{index_of[name]} is not None  # {name!r}"
            for name in names
        ]
        touched = [f"({' or '.join(flag[name] for name in group)})" for group in check.groups]
        complete = " and ".join(
            f"(not {any_of} or ({' and '.join(flag[name] for name in group)}))"
            for any_of, group in zip(touched, check.groups, strict=True)
        )
        exempt = "False"
        if check.unless is not None:
            name, wanted = check.unless
            if name not in index_of or not _plain_json(nodes[name]):
                raise _Unsupported(cls)
            exempt = f"{self.bind(_exempt(wanted), 'exempt')}(m.f{index_of[name]})"
        return [
            *lines,
            f"    touched = {' + '.join(touched)}",
            f"    if not ((touched == 1 and {complete}) or (touched == 0 and {exempt})):",
            "        raise _HandOver",
        ]

    def field_lines(
        self, cls: type, field: "attrs.Attribute[Any]", node: Node, index: int, *, direct: bool
    ) -> list[str]:
        """Set one field (building directly), or add it to ``kwargs``."""
        read = self.expression(node, "v") or "v"
        required = field.default is attrs.NOTHING
        lines = []
        if required and read == "v":
            read = f"m.f{index}"  # the value itself: no need to name it
        else:
            lines.append(f"    v = m.f{index}  # {field.name!r}")
        if not direct:
            if required:
                return [*lines, f"    kwargs[{field.alias!r}] = {read}"]
            return [*lines, "    if v is not UNSET:", f"        kwargs[{field.alias!r}] = {read}"]
        setter = self.bind(getattr(cls, field.name).__set__, "set")
        if required:
            value = read
        elif accepts(node)(field.default):
            value = f"{self.bind(field.default, 'default')} if v is UNSET else {read}"
        else:
            # attrs' __init__ refuses this default by its type check: the usual path says so.
            value = f"_hand_over() if v is UNSET else {read}"
        return [*lines, f"    {setter}(self, {value})  # {field.name!r}"]

    def build(self, root: type) -> tuple[Any, Callable[[Any], object]]:
        """The decoder of a whole document of *root*, and the function that builds its object."""
        # First the structs, which refuse a class that holds itself: then the depth is finite.
        document = self.struct_of(root, document=True)
        self.struct_of(root)
        if self.depth(ModelNode(root)) > MAX_DEPTH:
            raise _Unsupported(root)
        source = "\n".join(self.chunks)
        filename = f"<willkommen mirror reader {root.__module__}.{root.__qualname__}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102 - built from annotations, never from data
        builder: Callable[[Any], object] = self.namespace[self.functions[root]]
        return msgspec.json.Decoder(document), builder


class _Mirror:
    """A root class's decoder and builder, and the tag a document of it must have."""

    def __init__(self, root: type) -> None:
        self.decoder, self.builder = _Generator().build(root)

    def read(self, data: bytes, tag: str | msgspec.UnsetType) -> object | None:
        """The object of *data*, or None."""
        try:
            return self._read(data, tag)
        except Exception:  # noqa: BLE001 - msgspec refuses, or a hook or a class does: the usual path says why
            return None

    def _read(self, data: bytes, tag: str | msgspec.UnsetType) -> object | None:
        document = self.decoder.decode(data)
        # The tag read is the one the class was chosen by: a key written "\u0024type" was not counted.
        if document.schema_version_ != SCHEMA_VERSION or document.type_tag_ != tag:
            return None
        # Nothing the structs hold adds a quote when written (see the module docstring).
        if _ENCODER.encode(document).count(b'"') != data.count(b'"'):
            return None  # a repeated key
        return self.builder(document)


_MIRRORS: dict[type, _Mirror | None] = {}
_MIRRORS_GENERATION = -1
_LOCK = threading.Lock()


def _mirror(cls: type) -> _Mirror | None:
    """The mirror of *cls*, made on first use; None for a class it does not handle."""
    global _MIRRORS_GENERATION  # noqa: PLW0603 - one cache, cleared when tags change
    if generation() != _MIRRORS_GENERATION:
        with _LOCK:
            _MIRRORS.clear()
            _MIRRORS_GENERATION = generation()
    try:
        return _MIRRORS[cls]
    except KeyError:
        pass
    try:
        mirror: _Mirror | None = _Mirror(cls)
    except Exception:  # noqa: BLE001 - _Unsupported, a refused plan, a type msgspec does not take
        mirror = None
    with _LOCK:
        return _MIRRORS.setdefault(cls, mirror)


def _target(data: bytes, cls: type) -> tuple[type, str | msgspec.UnsetType] | None:
    """The class a document asks for and its top-level tag (UNSET if none); None if not sure."""
    # A "$" is rare in a document: one memchr settles most.
    tags = data.count(_TAG_BYTES) if b"$" in data else 0
    if not tags:
        return cls, msgspec.UNSET
    if tags > 1:
        return None  # a nested $type: the usual path reads tagged subclasses anywhere
    leading = _LEADING_TAG.match(data)
    if leading is not None:
        try:
            tag: str | msgspec.UnsetType = leading.group(1).decode()
        except UnicodeDecodeError:
            return None  # not UTF-8: the usual path says so
    else:
        try:
            tag = _PROBE.decode(data).tag
        except (msgspec.DecodeError, ValueError):
            return None
        if tag is msgspec.UNSET:
            return None  # "$type" stands elsewhere: nested, or as text
    target = class_for({TAG_KEY: tag}, cls)
    return None if target is None else (target, tag)


def read_mirrored(text: str | bytes, cls: type) -> object | None:
    """The object a valid document of the current version reads into (before the rules); None: not here."""
    if type(text) is str:
        try:
            data = text.encode()
        except UnicodeEncodeError:
            return None  # a lone surrogate: the usual path reports it
    elif type(text) is bytes:
        data = text
    else:
        return None
    # (Most documents have no backslash at all: one memchr settles it.)
    if sys.get_int_max_str_digits() != MAX_INT_DIGITS or (b"\\" in data and _ESCAPED_QUOTE in data):
        return None
    target = _target(data, cls)
    if target is None:
        return None
    mirror = _mirror(target[0])
    return None if mirror is None else mirror.read(data, target[1])
