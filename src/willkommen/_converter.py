"""The cattrs converter: strict structuring with our codes and paths.

cattrs does all the reading and writing. Its defaults are lenient (it calls
``int(x)`` or ``str(x)`` on whatever comes), so every field gets hooks
derived from its node in the type plan (``_plan.py``): strict structure hooks
that raise :class:`StructureProblem` with one of our codes, and unstructure
hooks that write what those read back equal.
cattrs collects those, with the attribute or index each came from, into
exception groups; :func:`problems_from` walks the groups and turns them into
:class:`~willkommen.Problem` objects with JSON Pointer paths.

One converter is built per set of model classes by :func:`make_converter`
(never cattrs' global one); :func:`converter` caches the current one.
"""

import contextlib
import contextvars
import datetime as dt
import enum
import json
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from willkommen._errors import UntaggedSubclassError
from willkommen._limits import MAX_LIST_PROBLEMS
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
    ShapeCheck,
    UnsupportedType,
    class_plan,
    plan_of,
)
from willkommen._problems import (
    INVALID_VALUE,
    MISSING,
    TOO_MANY_PROBLEMS,
    UNKNOWN_KEY,
    Problem,
)
from willkommen._strict import (
    _LIST,
    _OBJECT,
    LEAVES,
    Hook,
    StructureProblem,
    _structure_enum,
    _wrong_type,
    check_key,
    choice_hook,
    unknown_tag,
)
from willkommen._suggest import key_for
from willkommen._tags import TAG_KEY, class_for, generation, tag_of, tagged_classes
from willkommen._text import escape, exception_text, quote
from willkommen._typecheck import is_aware

# --- structuring: a hook per node ---------------------------------------------------------------


def structure_hook(conv: cattrs.Converter, node: Node) -> Hook:  # noqa: PLR0911 - one hook per kind
    """The strict hook that reads a JSON value as *node*; it raises what says what is wrong."""
    match node:
        case ScalarNode(kind=kind):
            return LEAVES[kind]
        case ChoiceNode():
            return choice_hook(node)
        case OptionalNode(inner=inner):
            return _optional_hook(structure_hook(conv, inner))
        case SequenceNode(item=item, unique=unique):
            return _sequence_hook(structure_hook(conv, item), node, unique=unique)
        case FixedTupleNode(items=items):
            return _fixed_tuple_hook([structure_hook(conv, item) for item in items], node)
        case MappingNode(value=value):
            return _mapping_hook(structure_hook(conv, value), node)
        case ModelNode(cls=cls):
            return _model_hook(conv, cls)
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)


def _optional_hook(structure_inner: Hook) -> Hook:
    def structure_optional(value: object, _: object) -> Any:
        return None if value is None else structure_inner(value, None)

    return structure_optional


def _sequence_hook(structure_item: Hook, node: Node, *, unique: bool) -> Hook:
    def structure_sequence(value: object, _: object) -> Any:
        if not isinstance(value, list | tuple):
            raise _wrong_type(_LIST, value)
        # Once, collecting every failure: reading again after a failure would
        # double the work at each level of a nested document (2**depth).
        items = _structure_items(enumerate(value), structure_item, node)
        if not unique:
            return tuple(items)
        result = frozenset(items)
        if len(result) != len(items):
            # A set drops repeats: say so rather than lose them unnoticed.
            raise StructureProblem(
                INVALID_VALUE,
                value=quote(value),
                expected="a list without repeated items",
                expected_de="eine Liste ohne Wiederholungen",
            )
        return result

    return structure_sequence


def _fixed_tuple_hook(structure_items: list[Hook], node: Node) -> Hook:
    length = len(structure_items)

    def structure_fixed_tuple(value: object, _: object) -> Any:
        if not isinstance(value, list | tuple):
            raise _wrong_type(_LIST, value)
        if len(value) != length:
            raise StructureProblem(
                INVALID_VALUE,
                value=quote(value),
                expected=f"a list of exactly {length} items",
                expected_de=f"eine Liste mit genau {length} Einträgen",
            )
        pairs = enumerate(zip(structure_items, value, strict=True))
        return tuple(_structure_items(pairs, _apply, node))

    return structure_fixed_tuple


def _apply(pair: object, _: object) -> Any:
    """Structure an item by its own hook: *pair* is the hook and the item."""
    hook, item = typing.cast("tuple[Hook, object]", pair)
    return hook(item, None)


def _mapping_hook(structure_value: Hook, node: Node) -> Hook:
    def structure_entry(entry: object, _: object) -> tuple[str, Any]:
        key, item = typing.cast("tuple[object, object]", entry)
        if not isinstance(key, str):
            # Only a caller's dict has such a key: JSON's keys are text.
            raise _wrong_type(("text as the key", "Text als Schlüssel"), key)
        return check_key(key), structure_value(item, None)

    def structure_mapping(value: object, _: object) -> Any:
        if not isinstance(value, dict):
            raise _wrong_type(_OBJECT, value)
        entries = ((_key_text(key), (key, item)) for key, item in value.items())
        return dict(_structure_items(entries, structure_entry, node))

    return structure_mapping


def _model_hook(conv: cattrs.Converter, cls: type) -> Hook:
    # Looked up on first use, not now: a class may hold itself (the plan is lazy for the same reason).
    found: list[Hook] = []

    def structure_model(value: object, _: object) -> Any:
        if not found:
            found.append(conv.get_structure_hook(cls))
        return found[0](value, cls)

    return structure_model


# Failing list items in the document being read (a fresh count per read, see count_failures).
_failures: contextvars.ContextVar[list[int]] = contextvars.ContextVar("failures")


@contextlib.contextmanager
def count_failures() -> Iterator[None]:
    """Count the failing list items of one document from zero, for MAX_LIST_PROBLEMS."""
    token = _failures.set([0])
    try:
        yield
    finally:
        _failures.reset(token)


def _structure_items(entries: Iterable[tuple[int | str, object]], structure_item: Hook, node: Node) -> list[Any]:
    """Structure every item, collecting each failure with its index (or key)."""
    items = []
    errors: list[Exception] = []
    for index, item in entries:
        try:
            items.append(structure_item(item, None))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a problem
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                IterableValidationNote(f"Structuring {node} @ index {index}", index, object),
            ]
            errors.append(exc)
            # Outside a read (the converter used on its own) nothing is counted.
            failures = _failures.get([0])
            failures[0] += 1
            if failures[0] >= MAX_LIST_PROBLEMS:
                # Memory and time in proportion to the input: say where reading stopped.
                errors.append(StructureProblem(TOO_MANY_PROBLEMS, limit=MAX_LIST_PROBLEMS, index=index))
                break
    if errors:
        raise IterableValidationError(f"While structuring {node}", errors, object)
    return items


def _at(exc: Exception, name: str, tp: Any, cls: type) -> Exception:
    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        AttributeValidationNote(f"Structuring class {cls.__qualname__} @ attribute {name}", name, tp),
    ]
    return exc


def _shape_problems(cls: type, shape: ShapeCheck, data: Mapping[str, Any]) -> list[Exception]:
    """The class's check of its whole shape, which no single field can make (an offering's dates)."""
    error = shape.error_in_data(data)
    if error is None:
        return []
    field, reason = error
    if reason == "missing":
        return [_at(StructureProblem(MISSING, key=quote(field)), field, object, cls)]
    return [
        _at(
            StructureProblem(
                INVALID_VALUE, value=quote(data[field]), expected=shape.expected, expected_de=shape.expected_de
            ),
            field,
            object,
            cls,
        )
    ]


def _class_hook(conv: cattrs.Converter) -> Callable[[type], Callable[[object, type], Any]]:
    def factory(cls: type) -> Callable[[object, type], Any]:
        # Refuses, by name, a class whose annotations cannot be resolved or are not supported.
        plan = class_plan(cls)
        attrs.resolve_types(cls)
        hooks: dict[str, Any] = {
            field.name: override(struct_hook=structure_hook(conv, field.node)) for field in plan.fields
        }
        structure_fields: Callable[[Mapping[str, Any], Any], Any] = make_dict_structure_fn(cls, conv, **hooks)
        shape_check = plan.shape_check

        def structure_object(value: object, _: type) -> Any:
            if not isinstance(value, dict):
                raise _wrong_type(_OBJECT, value)
            if TAG_KEY in value:
                # A declared subclass, by its tag: hand over to its own hook.
                target = class_for(value, cls)
                if target is None:
                    raise ClassValidationError(
                        f"While structuring {cls.__qualname__}", [_at(unknown_tag(value, cls), TAG_KEY, str, cls)], cls
                    )
                untagged = {key: item for key, item in value.items() if key != TAG_KEY}
                if target is not cls:
                    return conv.get_structure_hook(target)(untagged, target)
                value = untagged
            shape = _shape_problems(cls, shape_check, value) if shape_check is not None else None
            if not shape:
                return structure_fields(value, cls)
            try:
                structure_fields(value, cls)
            except ClassValidationError as exc:
                # Keep the field errors; the failed __init__ says what shape says.
                located = [e for e in exc.exceptions if _note_of(e) is not None]
                raise ClassValidationError(exc.message, [*located, *shape], cls) from None
            raise ClassValidationError(f"While structuring {cls.__qualname__}", shape, cls)

        return structure_object

    return factory


# --- unstructuring (writing): a hook per node, so that what is written reads back equal ---------


def unstructure_hook(conv: cattrs.Converter, node: Node) -> Callable[[Any], Any]:  # noqa: PLR0911 - one per kind
    """The hook that writes a value of *node* as plain JSON data."""
    match node:
        case ScalarNode(kind=kind):
            return _WRITE_LEAVES.get(kind, identity)
        case ChoiceNode(enum=None):
            return identity
        case ChoiceNode():
            return _unstructure_enum
        case OptionalNode(inner=inner):
            return _optional_writer(unstructure_hook(conv, inner))
        case SequenceNode(item=item, unique=unique):
            return _sequence_writer(unstructure_hook(conv, item), unique=unique)
        case FixedTupleNode(items=items):
            writers = [unstructure_hook(conv, item) for item in items]
            return lambda values: [write(value) for write, value in zip(writers, values, strict=True)]
        case MappingNode(value=value):
            write_value = unstructure_hook(conv, value)
            return lambda mapping: {key: write_value(item) for key, item in mapping.items()}
        case ModelNode(cls=cls):
            return _model_writer(conv, cls)
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)


def _optional_writer(write_inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    if write_inner is identity:
        return identity
    return lambda value: None if value is None else write_inner(value)


def _sequence_writer(write_item: Callable[[Any], Any], *, unique: bool) -> Callable[[Any], Any]:
    if unique:
        # Sorted, so that the same set always writes the same file.
        return lambda items: sorted((write_item(item) for item in items), key=str)
    return list if write_item is identity else lambda items: [write_item(item) for item in items]


def _model_writer(conv: cattrs.Converter, cls: type) -> Callable[[Any], Any]:
    found: list[Callable[[Any], Any]] = []  # looked up on first use: a class may hold itself

    def unstructure_model(obj: Any) -> Any:
        if not found:
            found.append(conv.get_unstructure_hook(cls))
        return found[0](obj)

    return unstructure_model


def _unstructure_enum(member: enum.Enum) -> Any:
    return member.value


def _unstructure_decimal(value: Decimal) -> int | float:
    # JSON has one number type; an integral amount of hours reads best as 10, not 10.0.
    if value.is_finite() and value == value.to_integral_value():
        return int(value)
    return float(value)


def _unstructure_datetime(value: dt.datetime) -> str:
    if not is_aware(value):
        # The construction check refuses it; an object built around it must not write what reads back otherwise.
        msg = f"a datetime without a time zone names no moment, and is not written: {value!r}"
        raise ValueError(msg)
    return value.isoformat()


_WRITE_LEAVES: dict[ScalarKind, Callable[[Any], Any]] = {
    ScalarKind.DECIMAL: _unstructure_decimal,
    ScalarKind.DATE: dt.date.isoformat,
    ScalarKind.DATETIME: _unstructure_datetime,
}


def _class_unstructure_hook(conv: cattrs.Converter) -> Callable[[type], Callable[[Any], dict[str, Any]]]:
    def factory(cls: type) -> Callable[[Any], dict[str, Any]]:
        plan = class_plan(cls)
        attrs.resolve_types(cls)
        # An absent optional value is left out, the way a person writes the file.
        hooks: dict[str, Any] = {
            field.name: override(
                omit_if_default=field.default is None, unstruct_hook=unstructure_hook(conv, field.node)
            )
            for field in plan.fields
        }
        unstructure_fields: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(cls, conv, **hooks)
        tag = tag_of(cls)

        def unstructure_object(obj: Any) -> dict[str, Any]:
            if obj.__class__ is not cls:
                # A subclass where its base is expected: it writes itself, with its tag.
                if tag_of(obj.__class__) is None:
                    raise UntaggedSubclassError(obj.__class__, cls)
                result: dict[str, Any] = conv.unstructure(obj, unstructure_as=obj.__class__)
                return result
            if tag is None:
                return unstructure_fields(obj)
            return {TAG_KEY: tag, **unstructure_fields(obj)}

        return unstructure_object

    return factory


def _planned_generic(tp: Any) -> bool:
    """Whether *tp* is a generic annotation the plan supports (``tuple[int, ...]``, ``X | None``, ...)."""
    if typing.get_origin(tp) is None:
        return False
    try:
        plan_of(tp)
    except UnsupportedType:
        return False
    return True


def make_converter() -> cattrs.Converter:
    """Build a strict converter for the model classes (and any attrs subclasses).

    The fields of model classes get their hooks from the plan; the hooks
    registered by type serve the converter asked directly for one
    (``converter().structure(value, int)``), from the same plan.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # cattrs' own hooks for these sit in a singledispatch that it consults before
    # any factory, so ours must replace them there. StrEnum members are str
    # too: StrEnum gets its own entry, which singledispatch prefers to str's.
    for tp, kind in SCALAR_TYPES.items():
        conv.register_structure_hook(tp, LEAVES[kind])
        conv.register_unstructure_hook(tp, _WRITE_LEAVES.get(kind, identity))
    conv.register_structure_hook(enum.Enum, _structure_enum)
    conv.register_structure_hook(enum.StrEnum, _structure_enum)
    conv.register_unstructure_hook(enum.Enum, _unstructure_enum)
    conv.register_unstructure_hook(enum.StrEnum, _unstructure_enum)
    conv.register_structure_hook_factory(_planned_generic, lambda tp: structure_hook(conv, plan_of(tp)))
    conv.register_structure_hook_factory(attrs.has, _class_hook(conv))
    conv.register_unstructure_hook_factory(_planned_generic, lambda tp: unstructure_hook(conv, plan_of(tp)))
    conv.register_unstructure_hook_factory(attrs.has, _class_unstructure_hook(conv))
    return conv


def _note_of(exc: BaseException) -> AttributeValidationNote | IterableValidationNote | None:
    for note in reversed(getattr(exc, "__notes__", ())):
        if isinstance(note, AttributeValidationNote | IterableValidationNote):
            return note
    return None


def _key_text(key: object) -> str:
    # A Python caller's dict may hold any key, even one whose str() fails.
    if isinstance(key, str):
        return key
    try:
        return str(key)
    except Exception:  # noqa: BLE001 - the key still gets its problem
        return quote(key)


def _key_hint(key: object, cls: type) -> tuple[str, str]:
    """What an unknown key probably meant: a subclass's key (its ``$type`` is missing), or a close key."""
    if not isinstance(key, str) or not attrs.has(cls):
        return "", ""
    tags = [
        tag
        for tag, sub in tagged_classes(cls).items()
        if sub is not cls and any(field.name == key for field in attrs.fields(sub))
    ]
    if tags:
        shown = " or ".join(f'"{TAG_KEY}": {json.dumps(tag)}' for tag in tags)
        return (
            f"; it is a key of {', '.join(map(repr, tags))}: did you forget {shown}?",
            f"; der Schlüssel gehört zu {', '.join(map(repr, tags))}: fehlt {shown}?",
        )
    meant = key_for(key, (field.name for field in attrs.fields(cls)))
    if meant is None:
        return "", ""
    return f"; did you mean {meant!r}?", f"; gemeint ist wohl {meant!r}?"


def problems_from(exc: BaseException, path: str = "") -> Iterator[Problem]:
    """Turn what a structure hook raised into problems with JSON Pointer paths."""
    if isinstance(exc, UnsupportedType):
        # Not the data's fault: a class that cannot be read at all, refused by name.
        raise exc
    if isinstance(exc, StructureProblem):
        yield exc.rule.problem(path, **exc.values)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields, key=_key_text):
            hint, hint_de = _key_hint(key, exc.cl)
            yield UNKNOWN_KEY.problem(f"{path}/{escape(_key_text(key))}", key=quote(key), hint=hint, hint_de=hint_de)
    elif isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            note = _note_of(sub)
            if note is None:
                yield from problems_from(sub, path)
                continue
            step = note.name if isinstance(note, AttributeValidationNote) else note.index
            sub_path = f"{path}/{escape(step)}"
            if type(sub) is KeyError and isinstance(note, AttributeValidationNote):
                # The generated code reads data[name]: a KeyError is a missing key.
                yield MISSING.problem(sub_path, key=quote(note.name))
            else:
                yield from problems_from(sub, sub_path)
    else:
        # A check of a user's own (an attrs validator, __attrs_post_init__) refused the value.
        reason = exception_text(exc)
        yield INVALID_VALUE.problem(
            path,
            value="<object>",
            expected=f"what its own check asks for ({reason})",
            expected_de=f"was seine eigene Prüfung verlangt ({reason})",
        )


def failed_fields(exc: BaseException) -> frozenset[str]:
    """The top-level fields whose values could not be read."""
    if not isinstance(exc, ClassValidationError):
        return frozenset()
    names = set()
    for sub in exc.exceptions:
        note = _note_of(sub)
        if isinstance(note, AttributeValidationNote):
            names.add(note.name)
    return frozenset(names)


_CONVERTER: tuple[int, cattrs.Converter] | None = None


def converter() -> cattrs.Converter:
    """The converter in use, built on first use and again after a new tag.

    Its hooks know the tagged subclasses that existed when they were made
    (cattrs' include_subclasses has the same limit, python-attrs/cattrs#434),
    so a tag declared later means a new converter.
    """
    global _CONVERTER  # noqa: PLW0603 - one cached converter, rebuilt when tags change
    if _CONVERTER is None or _CONVERTER[0] != generation():
        _CONVERTER = (generation(), make_converter())
    return _CONVERTER[1]
