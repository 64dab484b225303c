"""The cattrs converter: strict structuring with our codes and paths.

cattrs does all the reading and writing. Its defaults are lenient (it calls
``int(x)`` or ``str(x)`` on whatever comes), so every leaf type gets a strict
hook here that raises :class:`StructureProblem` with one of our codes.
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
from collections.abc import Callable, Iterator, Mapping
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
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from willkommen._enums import OfferingStatus
from willkommen._errors import UntaggedSubclassError
from willkommen._limits import MAX_LIST_PROBLEMS
from willkommen._model import Offering, offering_dates_error
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
    StructureProblem,
    _is_collection,
    _is_optional,
    _structure_bool,
    _structure_date,
    _structure_datetime,
    _structure_decimal,
    _structure_enum,
    _structure_float,
    _structure_int,
    _structure_str,
    _wrong_type,
    unknown_tag,
)
from willkommen._suggest import key_for
from willkommen._tags import TAG_KEY, class_for, generation, tag_of, tagged_classes
from willkommen._text import escape, exception_text, quote


def _collection_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(tp: Any) -> Callable[[object, type], Any]:
        container = typing.get_origin(tp)
        item_type = typing.get_args(tp)[0]
        structure_item = conv.get_structure_hook(item_type)

        def structure_collection(value: object, _: type) -> Any:
            if not isinstance(value, list | tuple):
                raise _wrong_type(_LIST, value)
            # Once, collecting every failure: reading again after a failure would
            # double the work at each level of a nested document (2**depth).
            items = _structure_items(value, structure_item, item_type, tp)
            if container is frozenset:
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
            return container(items)

        return structure_collection

    return factory


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


def _structure_items(
    value: list[Any] | tuple[Any, ...], structure_item: Callable[[object, Any], Any], item_type: Any, tp: Any
) -> list[Any]:
    """Structure every item, collecting each failure with its index."""
    items = []
    errors: list[Exception] = []
    for index, item in enumerate(value):
        try:
            items.append(structure_item(item, item_type))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a problem
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                IterableValidationNote(f"Structuring {tp} @ index {index}", index, item_type),
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
        raise IterableValidationError(f"While structuring {tp}", errors, tp)
    return items


def _optional_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(tp: Any) -> Callable[[object, type], Any]:
        (inner,) = (arg for arg in typing.get_args(tp) if arg is not type(None))
        # Resolved once here; cattrs' own optional hook dispatches on every value.
        structure_inner = conv.get_structure_hook(inner)

        def structure_optional(value: object, _: type) -> Any:
            return None if value is None else structure_inner(value, inner)

        return structure_optional

    return factory


def _at(exc: Exception, name: str, tp: Any, cls: type) -> Exception:
    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        AttributeValidationNote(f"Structuring class {cls.__qualname__} @ attribute {name}", name, tp),
    ]
    return exc


def _shape_problems(cls: type, data: Mapping[str, Any]) -> list[Exception]:
    """Checks of a whole object that no single field can make: an offering's dates."""
    error = offering_dates_error(
        has_date=data.get("date") is not None,
        has_start=data.get("start") is not None,
        has_end=data.get("end") is not None,
        planned=data.get("status") == OfferingStatus.PLANNED.value,
    )
    if error is None:
        return []
    field, reason = error
    if reason == "missing":
        return [_at(StructureProblem(MISSING, key=quote(field)), field, dt.date, cls)]
    return [
        _at(
            StructureProblem(
                INVALID_VALUE,
                value=quote(data[field]),
                expected="either a date, or a start and an end",
                expected_de="entweder ein Datum oder Beginn und Ende",
            ),
            field,
            dt.date,
            cls,
        )
    ]


def _class_hook(conv: cattrs.Converter) -> Callable[[type], Callable[[object, type], Any]]:
    def factory(cls: type) -> Callable[[object, type], Any]:
        attrs.resolve_types(cls)
        structure_fields: Callable[[Mapping[str, Any], Any], Any] = make_dict_structure_fn(cls, conv)
        has_shape = issubclass(cls, Offering)

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
            shape = _shape_problems(cls, value) if has_shape else None
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


def _unstructure_enum(member: enum.Enum) -> Any:
    return member.value


def _unstructure_decimal(value: Decimal) -> int | float:
    # JSON has one number type; an integral amount of hours reads best as 10, not 10.0.
    if value.is_finite() and value == value.to_integral_value():
        return int(value)
    return float(value)


def _class_unstructure_hook(conv: cattrs.Converter) -> Callable[[type], Callable[[Any], dict[str, Any]]]:
    def factory(cls: type) -> Callable[[Any], dict[str, Any]]:
        attrs.resolve_types(cls)
        # An absent optional value is left out, the way a person writes the file.
        omitted: dict[str, Any] = {
            a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is None
        }
        unstructure_fields: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(cls, conv, **omitted)
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


def make_converter() -> cattrs.Converter:
    """Build a strict converter for the model classes (and any attrs subclasses)."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # cattrs' own hooks for these sit in a singledispatch that it consults before
    # any factory, so ours must replace them there. StrEnum members are str
    # too: StrEnum gets its own entry, which singledispatch prefers to str's.
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_structure_hook(enum.Enum, _structure_enum)
    conv.register_structure_hook(enum.StrEnum, _structure_enum)
    conv.register_structure_hook_factory(_is_collection, _collection_hook(conv))
    conv.register_structure_hook_factory(attrs.has, _class_hook(conv))
    conv.register_structure_hook_factory(_is_optional, _optional_hook(conv))

    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_unstructure_hook(enum.Enum, _unstructure_enum)
    conv.register_unstructure_hook(enum.StrEnum, _unstructure_enum)
    conv.register_unstructure_hook_factory(
        _is_list_or_tuple, lambda tp: _list_unstructurer(conv, typing.get_args(tp)[0])
    )
    conv.register_unstructure_hook_factory(_is_frozenset, lambda tp: _set_unstructurer(conv, typing.get_args(tp)[0]))
    conv.register_unstructure_hook_factory(attrs.has, _class_unstructure_hook(conv))
    return conv


def _is_list_or_tuple(tp: Any) -> bool:
    origin: object = typing.get_origin(tp)
    return origin is list or origin is tuple


def _is_frozenset(tp: Any) -> bool:
    origin: object = typing.get_origin(tp)
    return origin is frozenset


def _list_unstructurer(conv: cattrs.Converter, item_type: Any) -> Callable[[Any], list[Any]]:
    unstructure_item = conv.get_unstructure_hook(item_type)
    return lambda items: [unstructure_item(item) for item in items]


def _set_unstructurer(conv: cattrs.Converter, item_type: Any) -> Callable[[Any], list[Any]]:
    unstructure_item = conv.get_unstructure_hook(item_type)
    # Sorted, so that the same set always writes the same file.
    return lambda items: sorted((unstructure_item(item) for item in items), key=str)


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
