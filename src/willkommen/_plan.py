"""The type plan: what a model field's annotation means, worked out once.

An annotation is interpreted here, and only here, into a small tree of
frozen nodes that carry data: which values are accepted, what JSON type
holds them, which enumeration members exist. Every consumer (the
construction checks, the reader's hooks, the writer, the fast reader, the
writable scan, the JSON Schema, rule routing, the spreadsheet layout, the
test strategies) interprets the node kinds with ``match`` and
:func:`typing.assert_never`, so that a new kind of node is a type error in
every consumer that does not handle it yet. No consumer looks at
annotations itself.

What the plan cannot read and write back unchanged it refuses, naming the
class, the field and the annotation: :class:`UnsupportedType`. A class whose
annotations cannot be resolved is refused at its first use, so that it never
affects documents that do not hold it.

This module imports neither cattrs nor hypothesis: ``import willkommen``
must stay light (see ``docs/performance.md``).
"""

import collections.abc
import datetime as dt
import sys
import threading
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from enum import Enum, Flag
from typing import Any

import attrs

from willkommen._errors import WillkommenError

__all__ = [
    "SCALAR_TYPES",
    "SHAPE_ATTRIBUTE",
    "SUPPORTED",
    "ChoiceNode",
    "ClassPlan",
    "FieldPlan",
    "FixedTupleNode",
    "MappingNode",
    "ModelNode",
    "Node",
    "OptionalNode",
    "ScalarKind",
    "ScalarNode",
    "SequenceNode",
    "ShapeCheck",
    "UnsupportedType",
    "class_plan",
    "enforce_shape",
    "model_classes",
    "plan_of",
]

#: What a model field may be annotated with, in one sentence (messages and docs use it).
SUPPORTED = (
    "str, int, float, bool, Decimal, date, datetime (with a time zone), an enumeration whose values"
    " are all str or all int, Literal of str and int values, a model class (an attrs class),"
    " X | None, tuple[X, ...], frozenset[X], a fixed tuple such as tuple[int, str],"
    " and dict[str, X] or Mapping[str, X]"
)

#: Keys a document uses itself, so that no field may be named so.
_RESERVED = frozenset({"schema_version"})


class ScalarKind(Enum):
    """The leaves: one JSON value each."""

    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DECIMAL = "Decimal"
    DATE = "date"
    #: Timezone-aware only: a naive datetime names no moment, and is refused as a value.
    DATETIME = "datetime"


@attrs.frozen
class ScalarNode:
    """A leaf of a built-in type (``str``, ``int``, ``Decimal``, ``date`` ...)."""

    kind: ScalarKind


@attrs.frozen
class ChoiceNode:
    """One of a fixed set of values: an enumeration (read by value) or a ``Literal``.

    A value matches by type and value both: ``True`` is not ``1``, ``1.0``
    is not ``1``. The JSON type follows the values (an ``IntEnum`` is an
    integer, a ``StrEnum`` a string); ``enum`` is None for a ``Literal``.
    """

    values: tuple[str | int, ...]
    enum: type[Enum] | None = None

    @property
    def json_types(self) -> frozenset[type]:
        """The Python types of the values (``str`` and/or ``int``): what JSON type holds them."""
        return frozenset(type(value) for value in self.values)

    def members(self) -> Mapping[object, object]:
        """What each JSON value reads as: the enumeration member, or the value itself for a Literal."""
        return _members(self)


@attrs.frozen
class OptionalNode:
    """``X | None`` (or ``Optional[X]``): the only union the plan supports."""

    inner: "Node"


@attrs.frozen
class SequenceNode:
    """``tuple[X, ...]`` (``unique`` False) or ``frozenset[X]`` (``unique`` True): a JSON list.

    Read into a tuple or a frozenset; in code, any sequence (a list) is
    taken too. A frozenset's list has no item twice.
    """

    item: "Node"
    unique: bool


@attrs.frozen
class FixedTupleNode:
    """``tuple[int, str]``: a JSON list of exactly these items."""

    items: "tuple[Node, ...]"


@attrs.frozen
class MappingNode:
    """``dict[str, X]`` or ``Mapping[str, X]``: a JSON object with any keys (text, as in JSON)."""

    value: "Node"


@attrs.frozen
class ModelNode:
    """A model class (an attrs class); its fields are in :func:`class_plan`, looked up when needed."""

    cls: type


Node = ScalarNode | ChoiceNode | OptionalNode | SequenceNode | FixedTupleNode | MappingNode | ModelNode


class UnsupportedType(WillkommenError, TypeError):  # noqa: N818 - the name users know it by
    """An annotation the type plan cannot read and write back unchanged, or one that cannot be resolved."""

    def __init__(
        self, owner: type | None, field: str | None, annotation: object, reason: str, *, resolved: bool = True
    ) -> None:
        self.owner = owner
        self.field = field
        self.annotation = annotation
        self.reason = reason
        if field is None:
            message = f"{_shown(owner if owner is not None else annotation)}: {reason}"
        else:
            verdict = "which willkommen cannot read and write" if resolved else "which cannot be resolved"
            message = f"{_place(owner, field)} is annotated {_shown(annotation)}, {verdict}: {reason}"
        super().__init__(f"{message}. Supported are {SUPPORTED}.")


def _place(owner: type | None, field: str) -> str:
    return f"the field {field!r}" if owner is None else f"the field {field!r} of {owner.__qualname__}"


def _shown(annotation: object) -> str:
    if isinstance(annotation, type):
        return annotation.__qualname__
    if isinstance(annotation, str):
        return repr(annotation)
    # typing's own spelling: tuple[int, str], typing.Any, int | str.
    return repr(annotation).replace("typing.", "")


class _Refusal(Exception):  # noqa: N818 - a signal within this module, turned into UnsupportedType
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- annotations to nodes -------------------------------------------------------------------

#: The type of each leaf, as annotations name it.
SCALAR_TYPES: dict[object, ScalarKind] = {
    str: ScalarKind.STR,
    int: ScalarKind.INT,
    float: ScalarKind.FLOAT,
    bool: ScalarKind.BOOL,
    Decimal: ScalarKind.DECIMAL,
    dt.date: ScalarKind.DATE,
    dt.datetime: ScalarKind.DATETIME,
}

# Annotations people write for which another one says the same and reads back unchanged.
_INSTEAD: dict[object, str] = {
    list: "a list can be changed after it was checked: use tuple[X, ...]",
    collections.abc.Sequence: "use tuple[X, ...], which is what is read",
    collections.abc.MutableSequence: "a list can be changed after it was checked: use tuple[X, ...]",
    set: "a set can be changed after it was checked: use frozenset[X]",
    collections.abc.Set: "use frozenset[X], which is what is read",
    collections.abc.MutableSet: "a set can be changed after it was checked: use frozenset[X]",
    collections.abc.MutableMapping: "use dict[str, X] or Mapping[str, X]",
}

_NODES: dict[object, Node] = {}
_LOCK = threading.Lock()


def plan_of(annotation: Any, *, owner: type | None = None, field: str | None = None) -> Node:
    """The node of one (resolved) annotation; the same annotation gives the same node.

    Raises :class:`UnsupportedType` naming *owner* and *field* (where given)
    for an annotation the plan does not support.
    """
    try:
        return _NODES[annotation]
    except KeyError:
        pass
    except TypeError:  # an annotation that cannot be hashed: planned each time, never kept
        return _planned(annotation, owner, field)
    node = _planned(annotation, owner, field)
    with _LOCK:
        # Another thread may have planned it meanwhile: keep the first, so that nodes stay identical.
        return _NODES.setdefault(annotation, node)


def _planned(annotation: Any, owner: type | None, field: str | None) -> Node:
    try:
        return _node(annotation)
    except _Refusal as refusal:
        raise UnsupportedType(owner, field, annotation, refusal.reason) from None


def _node(tp: Any) -> Node:
    """The node of *tp*, or :class:`_Refusal` saying why there is none."""
    if isinstance(tp, typing.NewType):
        return _node(tp.__supertype__)
    if typing.get_origin(tp) is typing.Annotated:
        # Metadata is for other tools; the type is what is read and written.
        return _node(tp.__origin__)
    kind = SCALAR_TYPES.get(tp) if isinstance(tp, type) else None
    if kind is not None:
        return ScalarNode(kind)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_node(tp)
    if isinstance(tp, type) and attrs.has(tp):
        return ModelNode(tp)
    return _generic_node(tp, typing.get_origin(tp), typing.get_args(tp))


def _generic_node(tp: Any, origin: Any, arguments: tuple[Any, ...]) -> Node:
    """The node of a generic annotation (``tuple[int, ...]``, ``X | None``, ``Literal[...]``)."""
    if origin is types.UnionType or origin is typing.Union:
        return _union_node(arguments)
    if origin is typing.Literal:
        return _literal_node(arguments)
    if origin is tuple and tp is not typing.Tuple:  # noqa: UP006 - the bare typing.Tuple, refused below
        if arguments[1:] == (Ellipsis,):
            return SequenceNode(_node(arguments[0]), unique=False)
        return FixedTupleNode(tuple(_node(argument) for argument in arguments))
    if origin is frozenset and arguments:
        return SequenceNode(_node(arguments[0]), unique=True)
    if origin in (dict, collections.abc.Mapping) and arguments:
        if arguments[0] is not str:
            raise _Refusal(f"the keys of a JSON object are text: use {_shown(origin)}[str, ...]")
        return MappingNode(_node(arguments[1]))
    raise _Refusal(_why_not(tp, origin))


def _why_not(tp: Any, origin: Any) -> str:  # noqa: PLR0911 - one reason per kind of annotation
    """Why *tp* has no node: the reason for the refusal."""
    if tp is Any or tp is object:
        return "it says nothing about what a value is, so nothing could be checked, read or written"
    if tp is None or tp is types.NoneType:
        return "a field without a type, or one that can only be None, holds nothing: annotate it (X | None if optional)"
    if isinstance(tp, str | typing.ForwardRef):
        return "the annotation was not resolved"
    if isinstance(tp, typing.TypeVar):
        return "a type variable says nothing about what a value is"
    container = origin if origin is not None else tp
    if container in _INSTEAD:
        return _INSTEAD[container]
    if container in (tuple, frozenset, dict, collections.abc.Mapping):
        return "name the type of the items, as in tuple[str, ...], frozenset[str] or dict[str, int]"
    if isinstance(tp, type):
        return "it is neither a model class (an attrs class), nor an enumeration, nor one of the types below"
    return "it is none of the types below"


def _enum_node(cls: type[Enum]) -> ChoiceNode:
    if issubclass(cls, Flag):
        raise _Refusal("a Flag combines members into values that are no member")
    values = tuple(member.value for member in cls)
    if not values:
        raise _Refusal("an enumeration without members holds no value")
    value_types = {type(value) for value in values}
    if value_types not in ({str}, {int}):
        raise _Refusal("the values of an enumeration must be all str or all int (not bool), to be written in JSON")
    return ChoiceNode(values, cls)


def _literal_node(arguments: tuple[Any, ...]) -> ChoiceNode:
    if not all(type(value) in (str, int) for value in arguments):
        raise _Refusal("the values of a Literal must be str or int (not bool, None or an enumeration member)")
    return ChoiceNode(arguments)


def _union_node(arguments: tuple[Any, ...]) -> OptionalNode:
    others = [argument for argument in arguments if argument is not types.NoneType]
    if len(others) != 1 or len(arguments) != 2:
        raise _Refusal(
            "the only union supported is X | None: from JSON alone, which member a value is cannot always be told"
        )
    return OptionalNode(_node(others[0]))


_MEMBERS: dict[ChoiceNode, Mapping[object, object]] = {}


def _members(node: ChoiceNode) -> Mapping[object, object]:
    members = _MEMBERS.get(node)
    if members is None:
        members = _MEMBERS[node] = (
            {value: value for value in node.values}
            if node.enum is None
            else {member.value: member for member in node.enum}
        )
    return members


def model_classes(node: Node) -> Iterator[type]:
    """The model classes *node* holds directly, in annotation order (not the fields of those classes).

    A tagged subclass may stand where each is declared (see ``_tags.tagged_classes``).
    """
    match node:
        case ModelNode(cls=cls):
            yield cls
        case OptionalNode(inner=inner) | SequenceNode(item=inner) | MappingNode(value=inner):
            yield from model_classes(inner)
        case FixedTupleNode(items=items):
            for item in items:
                yield from model_classes(item)
        case ScalarNode() | ChoiceNode():
            pass
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)


# --- classes --------------------------------------------------------------------------------

#: The class attribute by which a model class declares its :class:`ShapeCheck`.
SHAPE_ATTRIBUTE = "__willkommen_shape__"


@attrs.frozen
class ShapeCheck:
    """A check of a whole object that no single field can make: which of its optional fields are there.

    A model class declares it as ``__willkommen_shape__: ClassVar[ShapeCheck]``
    (subclasses inherit it). Exactly one of ``groups`` must be there with
    all its fields (a field is there when it is not None), or none at all
    where the field ``unless[0]`` holds the value ``unless[1]``. Offering's
    dates are the example: a ``date``, or a ``start`` and an ``end``, or
    nothing for a planned offering.
    """

    groups: tuple[tuple[str, ...], ...]
    unless: tuple[str, Any] | None
    #: What is expected, for messages: "either a date, or a start and an end".
    expected: str
    expected_de: str

    def error(self, present: Callable[[str], bool], *, exempt: bool) -> tuple[str, str] | None:
        """The field that is wrong and why (``"missing"`` or ``"conflict"``), or None.

        *present* says whether a field is there; *exempt* whether the object
        may have no group at all.
        """
        touched = [group for group in self.groups if any(present(name) for name in group)]
        if len(touched) > 1:
            second = touched[1]
            return next(name for name in second if present(name)), "conflict"
        if not touched:
            return None if exempt else (self.groups[0][0], "missing")
        absent = [name for name in touched[0] if not present(name)]
        return (absent[0], "missing") if absent else None

    def error_in_data(self, data: Mapping[str, Any]) -> tuple[str, str] | None:
        """:meth:`error` for the dict read from a document (before any field is read)."""
        exempt = False
        if self.unless is not None:
            name, wanted = self.unless
            written = wanted.value if isinstance(wanted, Enum) else wanted
            value = data.get(name)
            exempt = type(value) is type(written) and value == written
        return self.error(lambda name: data.get(name) is not None, exempt=exempt)

    def error_in_object(self, obj: object) -> tuple[str, str] | None:
        """:meth:`error` for a model object."""
        exempt = self.unless is not None and getattr(obj, self.unless[0]) == self.unless[1]
        return self.error(lambda name: getattr(obj, name) is not None, exempt=exempt)


def enforce_shape(self: object) -> None:
    """Raise ValueError if *self* breaks its class's :class:`ShapeCheck` (an ``__attrs_post_init__``)."""
    shape: ShapeCheck = getattr(self, SHAPE_ATTRIBUTE)
    error = shape.error_in_object(self)
    if error is not None:
        field, reason = error
        msg = f"'{field}' is {reason}: expected {shape.expected}"
        raise ValueError(msg)


enforce_shape.willkommen_shape_check = True  # type: ignore[attr-defined]


@attrs.frozen
class FieldPlan:
    """One field of a model class: its name (the JSON key), node and default."""

    name: str
    node: Node
    required: bool
    #: ``attrs.NOTHING``, a value, or an ``attrs.Factory``: see :meth:`default_value`.
    default: Any = attrs.field(eq=False)
    init: bool = True

    def default_value(self, instance: object = None) -> Any:
        """A fresh default: the value, or what the factory makes (given *instance* if it takes self)."""
        default = self.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # a class, typed as a function
            return default.factory(instance) if default.takes_self else default.factory()
        if default is attrs.NOTHING:
            msg = f"the field {self.name!r} has no default"
            raise LookupError(msg)
        return default


@attrs.frozen
class ClassPlan:
    """A model class and the plans of its fields, in attrs' order."""

    cls: type
    fields: tuple[FieldPlan, ...]
    #: The class's declared check of its whole shape, or None.
    shape_check: ShapeCheck | None = None
    _by_name: dict[str, FieldPlan] = attrs.field(init=False, repr=False, eq=False)

    @_by_name.default
    def _index(self) -> dict[str, FieldPlan]:
        return {field.name: field for field in self.fields}

    def field(self, name: str) -> FieldPlan:
        """The plan of the field *name* (KeyError if the class has none)."""
        return self._by_name[name]


_CLASSES: dict[type, ClassPlan] = {}


def class_plan(cls: type) -> ClassPlan:
    """The plan of model class *cls*: made on first use, then kept.

    Raises :class:`UnsupportedType` for a class that is no model class, a
    field annotation that is not supported or cannot be resolved (a name
    imported only for type checkers), or a field name a document reserves.
    Nothing is kept for a class refused, so that a name defined later counts.
    """
    plan = _CLASSES.get(cls)
    if plan is None:
        plan = _class_plan(cls)
        with _LOCK:
            plan = _CLASSES.setdefault(cls, plan)
    return plan


def _class_plan(cls: type) -> ClassPlan:
    if not isinstance(cls, type) or not attrs.has(cls):
        raise UnsupportedType(None, None, cls, "not a model class (an attrs class)")
    hints = resolved_hints(cls)
    fields = []
    for field in attrs.fields(cls):
        check_field_name(cls, field.name)
        annotation = hints.get(field.name, field.type)
        node = plan_of(annotation, owner=cls, field=field.name)
        _check_inherited(cls, field.name, annotation, node)
        fields.append(
            FieldPlan(
                name=field.name,
                node=node,
                required=field.default is attrs.NOTHING,
                default=field.default,
                init=field.init,
            )
        )
    shape = getattr(cls, SHAPE_ATTRIBUTE, None)
    if shape is not None and not isinstance(shape, ShapeCheck):
        raise UnsupportedType(cls, SHAPE_ATTRIBUTE, shape, "the shape of a class is declared with a ShapeCheck")
    return ClassPlan(cls=cls, fields=tuple(fields), shape_check=shape)


def _check_inherited(cls: type, name: str, annotation: Any, node: Node) -> None:
    """Refuse a field that plans otherwise than the same field of the nearest attrs base declaring it.

    A changed type would read and write the base's documents and sheet columns
    otherwise than the base does: what one writes, the other could not read.
    """
    for base in cls.__mro__[1:]:
        if not attrs.has(base) or name not in attrs.fields_dict(base):
            continue
        inherited = class_plan(base).field(name).node
        if inherited != node:
            base_annotation = resolved_hints(base).get(name, attrs.fields_dict(base)[name].type)
            reason = (
                f"{base.__qualname__} declares it {_shown(base_annotation)}; "
                "a subclass may add fields but not change inherited ones"
            )
            raise UnsupportedType(cls, name, annotation, reason)
        return


def resolved_hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of *cls*; :class:`UnsupportedType` naming the field whose annotation cannot be."""
    try:
        return typing.get_type_hints(cls)
    except Exception as exc:  # noqa: BLE001 - a name not defined, a syntax error, a bad subscript: find the field
        for base in reversed(cls.__mro__):
            for name, annotation in vars(base).get("__annotations__", {}).items():
                resolve_annotation(annotation, base, name)
        # Every annotation resolved on its own, yet not all together: say so of the class.
        raise UnsupportedType(cls, None, cls, f"its annotations cannot be resolved ({exc})", resolved=False) from None


def resolve_annotation(annotation: Any, owner: type, name: str) -> Any:
    """*annotation* (a string, or holding one) resolved as in *owner*'s module and class body.

    Raises :class:`UnsupportedType` naming the field *name* if it cannot be.
    """
    if not _unresolved(annotation):
        return annotation
    # As get_type_hints looks names up for a class: in its body first, then in its module.
    module = sys.modules.get(owner.__module__)
    stand_in = type("_Annotation", (), {"__annotations__": {name: annotation}})
    try:
        return typing.get_type_hints(stand_in, vars(module) if module is not None else {}, dict(vars(owner)))[name]
    except NameError as exc:
        missing = exc.name if exc.name is not None else str(exc)
        reason = (
            f"{missing!r} is not defined where the class is used"
            " (is it imported only for type checkers, or local to a function?)"
        )
    except Exception as exc:  # noqa: BLE001 - a syntax error, a bad subscript: the annotation says what it is
        reason = f"{type(exc).__name__}: {exc}"
    raise UnsupportedType(owner, name, annotation, reason, resolved=False)


def _unresolved(annotation: Any) -> bool:
    """Whether *annotation* is or holds a string (a forward reference)."""
    if isinstance(annotation, str | typing.ForwardRef):
        return True
    return any(_unresolved(argument) for argument in typing.get_args(annotation) if argument is not Ellipsis)


def check_field_name(cls: type | None, name: str) -> None:
    """Refuse a field name that is a key documents use themselves (``schema_version``, ``$type``)."""
    if name in _RESERVED or name.startswith("$"):
        raise UnsupportedType(
            cls, name, name, f"{name!r} is a key that documents use themselves, so no field may be named so"
        )
