"""Type checks for model fields, so that a wrong value names its field.

attrs runs these as field validators whenever a model object is built, from
Python code or from data. The field transformer :func:`typed_fields`, which
a user's subclass can use too, derives them from the type plan
(``_plan.py``): one check per field, compiled from the field's node, and one
natural conversion (what a person writes in code, turned into what the field
holds). An annotation the plan does not support is refused here, when the
class is defined.
"""

import datetime as dt
import math
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any

import attrs

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
    UnsupportedType,
    check_field_name,
    class_plan,
    plan_of,
    resolve_annotation,
)
from willkommen._suggest import member_hint
from willkommen._text import quote

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


# --- what a node accepts: one source expression per node, compiled per annotation ---------------
#
# A generic checker costs about ten times as much as a small compiled function,
# and these run for every field of every object built.

_SCALAR_TESTS: dict[ScalarKind, str] = {
    ScalarKind.STR: "isinstance({v}, str)",
    ScalarKind.INT: "(isinstance({v}, int) and not isinstance({v}, bool))",
    ScalarKind.BOOL: "isinstance({v}, bool)",
    # An int stands for a float where a float holds it exactly (the natural conversion makes it one).
    ScalarKind.FLOAT: "(isinstance({v}, float) or (isinstance({v}, int) and not isinstance({v}, bool)))",
    ScalarKind.DECIMAL: "isinstance({v}, Decimal)",
    ScalarKind.DATE: "(isinstance({v}, date) and not isinstance({v}, datetime))",
    ScalarKind.DATETIME: "(isinstance({v}, datetime) and _aware({v}))",
}


def is_aware(value: dt.datetime) -> bool:
    """Whether *value* names a moment that a document can carry: a UTC offset of whole minutes (RFC 3339)."""
    offset = value.utcoffset()
    return offset is not None and offset.seconds % 60 == 0 and offset.microseconds == 0


def _test(node: Node, v: str, names: dict[str, Any], depth: int = 0) -> str:  # noqa: PLR0911 - one per kind
    """A source expression that is true if the value *v* fits *node*."""
    match node:
        case ScalarNode(kind=kind):
            return _SCALAR_TESTS[kind].format(v=v)
        case ChoiceNode(enum=None, values=values):
            # By type and value: True is not 1, 1.0 is not 1.
            allowed = _bind(names, frozenset((type(value), value) for value in values))
            return f"((type({v}), {v}) in {allowed} if type({v}) in (str, int) else False)"
        case ChoiceNode(enum=cls) | ModelNode(cls=cls):
            return f"isinstance({v}, {_bind(names, cls)})"
        case OptionalNode(inner=inner):
            return f"({v} is None or {_test(inner, v, names, depth)})"
        case SequenceNode(item=item, unique=unique):
            container = "frozenset" if unique else "tuple"
            each = f"i{depth}"
            return f"(isinstance({v}, {container}) and all({_test(item, each, names, depth + 1)} for {each} in {v}))"
        case FixedTupleNode(items=items):
            parts = [_test(item, f"{v}[{index}]", names, depth) for index, item in enumerate(items)]
            return "(" + " and ".join([f"isinstance({v}, tuple)", f"len({v}) == {len(items)}", *parts]) + ")"
        case MappingNode(value=held):
            key, each = f"k{depth}", f"i{depth}"
            fits = f"isinstance({key}, str) and {_test(held, each, names, depth + 1)}"
            return f"(isinstance({v}, dict) and all({fits} for {key}, {each} in {v}.items()))"
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)


def _bind(names: dict[str, Any], value: object) -> str:
    name = f"_c{len(names)}"
    names[name] = value
    return name


_ACCEPTS: dict[Node, Callable[[Any], bool]] = {}


def accepts(node: Node) -> Callable[[Any], bool]:
    """A function that says whether a value fits *node* (compiled once per node)."""
    test = _ACCEPTS.get(node)
    if test is None:
        _compile_checks((node,))
        test = _ACCEPTS[node]
    return test


def _namespace() -> dict[str, Any]:
    return {"Decimal": Decimal, "date": dt.date, "datetime": dt.datetime, "_aware": is_aware}


def describe(node: Node) -> str:  # noqa: PLR0911 - one phrase per kind
    """What *node* accepts, as a message says it: ``a tuple of items that are each a Person``."""
    match node:
        case ScalarNode(kind=ScalarKind.INT):
            return "an int"
        case ScalarNode(kind=ScalarKind.DATETIME):
            return "a datetime with a time zone (a UTC offset of whole minutes)"
        case ScalarNode(kind=kind):
            return f"a {kind.value}"
        case ChoiceNode(enum=None, values=values):
            return "one of " + ", ".join(repr(value) for value in values)
        case ChoiceNode(enum=cls) | ModelNode(cls=cls):
            return f"a {getattr(cls, '__name__', cls)}"
        case OptionalNode(inner=inner):
            return f"{describe(inner)} or None"
        case SequenceNode(item=item, unique=unique):
            return f"a {'frozenset' if unique else 'tuple'} of items that are each {describe(item)}"
        case FixedTupleNode(items=items):
            return f"a tuple of {len(items)} items: " + ", ".join(describe(item) for item in items)
        case MappingNode(value=value):
            return f"a dict with str keys and values that are each {describe(value)}"
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)


def _node_of(instance: Any, name: str) -> Node:
    """The node of field *name* of *instance*'s class: looked up in the class's plan (resolved on first use)."""
    return class_plan(type(instance)).field(name).node


def _fail(instance: Any, attribute: "attrs.Attribute[Any]", value: Any, node: Node) -> None:
    # The slow path, only for a wrong value: say what was expected.
    del instance
    msg = f"'{attribute.name}' must be {describe(node)} (got {quote(value)} that is a {type(value).__name__})"
    raise TypeError(msg)


_LATE: dict[tuple[type, str], _Validator] = {}


def check_type(instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    """Raise TypeError naming the field if *value* has the wrong type (an attrs validator).

    The validator of a field whose annotation is resolved on first use: then
    the class's plan gives the node, and its compiled check is kept.
    """
    key = (type(instance), attribute.name)
    validator = _LATE.get(key)
    if validator is None:
        validator = _LATE[key] = _compiled_validator(_node_of(instance, attribute.name))
    validator(instance, attribute, value)


_VALIDATORS: dict[Node, _Validator] = {}


def _compiled_validator(node: Node) -> _Validator:
    validator = _VALIDATORS.get(node)
    if validator is None:
        _compile_checks((node,))
        validator = _VALIDATORS[node]
    return validator


def _compile_checks(nodes: Iterable[Node]) -> None:
    """Compile the validator and the test (:func:`accepts`) of each node not compiled yet, all in one source.

    Many fields share a node (``str``, ``str | None``): each is compiled once.
    And one call of ``compile`` for all of a class's new nodes costs less than
    one for each: a class is defined at import, where every millisecond counts.
    """
    new = [node for node in dict.fromkeys(nodes) if node not in _VALIDATORS]
    if not new:
        return
    names = _namespace() | {"_fail": _fail}
    source = []
    for index, node in enumerate(new):
        test = _test(node, "v", names)
        source += [
            (
                f"def validate_{index}(instance, attribute, v):\n"
                f"    if not {test}:\n"
                f"        _fail(instance, attribute, v, {_bind(names, node)})\n"
            ),
            f"def accepts_{index}(v):\n    return {test}\n",
        ]
    exec("".join(source), names)  # noqa: S102 - the source is built above from the plan, never from data
    for index, node in enumerate(new):
        validator = names[f"validate_{index}"]
        validator.__doc__ = "Raise TypeError naming the field if the value has the wrong type."
        # Lets the fast reader (_fast.py) know this check adds nothing to its own.
        validator.willkommen_type_check = True
        _VALIDATORS[node] = validator
        _ACCEPTS.setdefault(node, names[f"accepts_{index}"])


# --- natural construction: what a person writes in code, turned into what the field holds ---------
#
# A converter per field, derived from the node like the check: a list (any
# sequence) for a tuple, a set for a frozenset, an int for a Decimal or a float, a
# code for an enumeration member, any mapping for a dict. Each returns a value of
# the right type unchanged, so the reader's values (already tuples, members,
# Decimals) pass straight through; the fast reader knows these converters
# (``natural``) and builds objects without them.

_Convert = Callable[[Any, str], Any]
_NOT_SEQUENCES = (str, bytes, bytearray, Mapping)


def _convert_decimal(value: Any, name: str) -> Any:
    if type(value) is int:
        return Decimal(value)  # exact, whatever its size
    if isinstance(value, float):
        # A float of 33.3 is 33.29999999999999715782905696: say how to write the number meant.
        msg = (
            f"'{name}' must be a Decimal, not the float {value!r}: write Decimal(\"{value!r}\"),"
            " since a float holds most decimal fractions only approximately"
        )
        raise TypeError(msg)
    return value


def _convert_float(value: Any, name: str) -> Any:
    if type(value) is not int:
        return value  # a float, or what the check refuses
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if number != value:  # exact comparison: 2**53 + 1 is no float
        msg = f"'{name}' must be a float: {quote(value)} is an int that no float holds exactly"
        raise ValueError(msg)
    return number


def _choice_converter(node: ChoiceNode) -> _Convert | None:
    cls = node.enum
    if cls is None:
        return None
    members = node.members()
    json_types = node.json_types

    def convert(value: Any, name: str) -> Any:
        if isinstance(value, cls) or type(value) not in json_types:
            return value  # a member, or what the check refuses
        try:
            return members[value]
        except KeyError:
            hint, _ = member_hint(cls, value)
            msg = f"'{name}' must be a {cls.__name__}: {quote(value)} is none of its codes{hint}"
            raise ValueError(msg) from None

    return convert


def _sequence_converter(node: SequenceNode) -> _Convert:
    item = converter_of(node.item)
    unique = node.unique

    def convert(value: Any, name: str) -> Any:
        # A set has no order, so it may stand for a frozenset but not for a tuple.
        accepted = Sequence | AbstractSet if unique else Sequence
        if isinstance(value, _NOT_SEQUENCES) or not isinstance(value, accepted):
            return value  # the type check says what is wrong
        items = value if item is None else [item(v, name) for v in value]
        if unique:
            result = frozenset(items)
            if len(result) != len(value):
                msg = f"'{name}' must hold each item once (got {quote(value)})"
                raise ValueError(msg)
            return result
        return value if type(value) is tuple and item is None else tuple(items)

    return convert


def _fixed_tuple_converter(node: FixedTupleNode) -> _Convert | None:
    items = [converter_of(item) for item in node.items]

    def convert(value: Any, name: str) -> Any:
        if isinstance(value, _NOT_SEQUENCES) or not isinstance(value, Sequence) or len(value) != len(items):
            return value  # the type check says what is wrong
        return tuple(v if item is None else item(v, name) for item, v in zip(items, value, strict=True))

    return convert


def _mapping_converter(node: MappingNode) -> _Convert:
    item = converter_of(node.value)

    def convert(value: Any, name: str) -> Any:
        if not isinstance(value, Mapping):
            return value
        # Always a copy, even of a dict: the object owns its mapping, so a caller
        # changing theirs afterwards cannot put into it what the checks refuse.
        return {key: v if item is None else item(v, name) for key, v in value.items()}

    return convert


def _optional_converter(inner: _Convert) -> _Convert:
    def convert(value: Any, name: str) -> Any:
        return None if value is None else inner(value, name)

    return convert


_CONVERTERS: dict[Node, _Convert | None] = {}


def converter_of(node: Node) -> _Convert | None:
    """The natural conversion for *node*, or None if values are taken as they are."""
    if node in _CONVERTERS:
        return _CONVERTERS[node]
    match node:
        case ScalarNode(kind=ScalarKind.DECIMAL):
            convert: _Convert | None = _convert_decimal
        case ScalarNode(kind=ScalarKind.FLOAT):
            convert = _convert_float
        case ScalarNode() | ModelNode():
            convert = None
        case ChoiceNode():
            convert = _choice_converter(node)
        case OptionalNode(inner=inner):
            inner_convert = converter_of(inner)
            convert = None if inner_convert is None else _optional_converter(inner_convert)
        case SequenceNode():
            convert = _sequence_converter(node)
        case FixedTupleNode():
            convert = _fixed_tuple_converter(node)
        case MappingNode():
            convert = _mapping_converter(node)
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)
    _CONVERTERS[node] = convert
    return convert


def _exact_type(node: Node) -> type | None:
    """A type whose values need no conversion for *node* (``type(value) is it``), or None."""
    match node:
        case ScalarNode(kind=ScalarKind.DECIMAL):
            return Decimal
        case ScalarNode(kind=ScalarKind.FLOAT):
            return float
        case ChoiceNode(enum=cls) if cls is not None:
            return cls
        case SequenceNode(item=item, unique=unique) if converter_of(item) is None:
            return frozenset if unique else tuple
        case _:
            return None


def _field_converter(convert: _Convert, node: Node, name: str) -> "attrs.Converter[Any, Any]":
    # Called for every field of every object built in code: a value already of the
    # stored type returns at the first line (a member, a Decimal, a tuple of objects).
    optional = isinstance(node, OptionalNode)
    exact = _exact_type(node.inner if isinstance(node, OptionalNode) else node)
    if exact is not None and optional:

        def natural(value: Any) -> Any:
            return value if value is None or type(value) is exact else convert(value, name)

    elif exact is not None:

        def natural(value: Any) -> Any:
            return value if type(value) is exact else convert(value, name)

    else:

        def natural(value: Any) -> Any:
            return convert(value, name)

    natural.willkommen_natural = True  # type: ignore[attr-defined]
    return attrs.Converter(natural)


def _late_converter() -> "attrs.Converter[Any, Any]":
    """For an annotation not resolved at definition: resolved on first use, by the class's plan."""

    def natural(value: Any, instance: Any, field: "attrs.Attribute[Any]") -> Any:
        convert = converter_of(_node_of(instance, field.name))
        return value if convert is None else convert(value, field.name)

    natural.willkommen_natural = True  # type: ignore[attr-defined]
    return attrs.Converter(natural, takes_self=True, takes_field=True)


def is_natural(converter: object) -> bool:
    """Whether *converter* is one :func:`typed_fields` gave (the fast reader's values never need it)."""
    return getattr(getattr(converter, "converter", None), "willkommen_natural", False) is True


def is_type_check(validator: object) -> bool:
    """Whether *validator* is the type check :func:`typed_fields` gave."""
    return validator is check_type or getattr(validator, "willkommen_type_check", False) is True


def _has_type_check(validator: object) -> bool:
    """Whether a field already has its type check: a subclass inherits its base's transformed fields."""
    parts = getattr(validator, "_validators", (validator,))
    return any(is_type_check(part) for part in parts)


def _node_at_definition(cls: type, field: "attrs.Attribute[Any]") -> Node | None:
    """The field's node; None where the annotation is a string (PEP 563), resolved on first use.

    A string annotation that resolves now is planned all the same, so that
    what the plan does not support is refused now; but its node may name an
    older definition of a class (a module run again), so the check waits.
    """
    try:
        annotation = resolve_annotation(field.type, cls, field.name)
    except UnsupportedType:
        # A class defined later in the module, or the class itself: the plan
        # resolves it on first use, and refuses it then if it still cannot.
        return None
    node = plan_of(annotation, owner=cls, field=field.name)
    return None if annotation is not field.type else node


def typed_fields(cls: type, fields: "list[attrs.Attribute[Any]]") -> "list[attrs.Attribute[Any]]":
    """Give every field a check of its annotated type, and natural construction (an attrs field transformer).

    Pass it to attrs for your own model classes, as the built-in ones do::

        @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
        class RegisteredPartner(willkommen.Partner):
            register_no: str

    A wrong value then raises TypeError naming the field, like attrs'
    ``instance_of`` but derived from the annotation. What a person naturally
    writes is taken and stored as the field's type: any sequence (a list) for
    a tuple, a set or sequence for a frozenset, an ``int`` for a ``Decimal``
    (exactly) or a ``float`` (where a float holds it exactly), a code
    (``"youth_office"``) for an enumeration, any mapping for a dict. A
    ``float`` for a ``Decimal`` is refused: it may not hold the digits meant.

    An annotation willkommen cannot read and write (``Any``, ``list[str]``,
    ``int | str``, ...) or a field named ``schema_version`` raises
    :class:`~willkommen.UnsupportedType` (a ``TypeError``) here, when the
    class is defined; one that names something not defined yet, when the
    class is first used.
    """
    nodes = []
    for field in fields:
        check_field_name(cls, field.name)
        nodes.append(_node_at_definition(cls, field))
    _compile_checks(node for node in nodes if node is not None)
    typed = []
    for field, node in zip(fields, nodes, strict=True):
        changes: dict[str, Any] = {}
        if not _has_type_check(field.validator):
            check = check_type if node is None else _VALIDATORS[node]
            changes["validator"] = check if field.validator is None else attrs.validators.and_(check, field.validator)
        converter = _natural(field, node)
        if converter is not None:
            changes["converter"] = converter
        # One evolve a field: each copies the whole attribute.
        typed.append(field.evolve(**changes) if changes else field)
    return typed


def _natural(field: "attrs.Attribute[Any]", node: Node | None) -> "attrs.Converter[Any, Any] | None":
    if field.converter is not None:
        return None  # the user's own converter stays the only one
    if node is None:
        return _late_converter()
    convert = converter_of(node)
    return None if convert is None else _field_converter(convert, node, field.name)
