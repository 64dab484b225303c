"""Type checks for model fields, so that a wrong value names its field.

attrs runs these as field validators whenever a model object is built, from
Python code or from data. They are derived from the annotations by the field
transformer :func:`typed_fields`, which a user's subclass can use too.
"""

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any

import attrs

from willkommen._suggest import member_hint
from willkommen._text import quote

# A check returns None when the value fits, else a phrase saying what was expected.
_Check = Callable[[Any], str | None]

_SCALARS: dict[Any, tuple[str, Callable[[Any], bool]]] = {
    str: ("a str", lambda v: isinstance(v, str)),
    int: ("an int", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    bool: ("a bool", lambda v: isinstance(v, bool)),
    float: ("a float", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    Decimal: ("a Decimal", lambda v: isinstance(v, Decimal)),
    dt.date: ("a date", lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)),
    dt.datetime: ("a datetime", lambda v: isinstance(v, dt.datetime)),
}


def _compile(tp: Any) -> _Check:
    """Build a check for one annotation; unknown annotations accept anything."""
    if tp is type(None):
        return lambda v: None if v is None else "None"
    if tp in _SCALARS:
        expected, fits = _SCALARS[tp]
        return lambda v: None if fits(v) else expected
    if isinstance(tp, type) and (issubclass(tp, enum.Enum) or attrs.has(tp)):
        return lambda v: None if isinstance(v, tp) else f"a {tp.__name__}"
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return _compile_union(typing.get_args(tp))
    if origin in (tuple, list, frozenset) and typing.get_args(tp):
        return _compile_collection(origin, typing.get_args(tp)[0])
    return lambda _: None


def _compile_union(members: tuple[Any, ...]) -> _Check:
    checks = [_compile(member) for member in members]
    expected = " or ".join("None" if m is type(None) else getattr(m, "__name__", str(m)) for m in members)

    def check_union(v: Any) -> str | None:
        return None if any(c(v) is None for c in checks) else expected

    return check_union


def _compile_collection(container: type[Iterable[Any]], item_type: Any) -> _Check:
    check_item = _compile(item_type)

    def check_collection(v: Any) -> str | None:
        if not isinstance(v, container):
            return f"a {container.__name__}"
        for item in v:
            wrong = check_item(item)
            if wrong is not None:
                return f"a {container.__name__} of items that are each {wrong}"
        return None

    return check_collection


_CHECKS: dict[tuple[type, str], _Check] = {}


def check_type(instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    """Raise TypeError naming the field if *value* has the wrong type (an attrs validator)."""
    key = (type(instance), attribute.name)
    check = _CHECKS.get(key)
    if check is None:
        # Annotations may be strings (PEP 563) in a user's module: resolve them once.
        hints = typing.get_type_hints(type(instance))
        check = _CHECKS[key] = _compile(hints.get(attribute.name, attribute.type))
    expected = check(value)
    if expected is not None:
        msg = f"'{attribute.name}' must be {expected} (got {quote(value)} that is a {type(value).__name__})"
        raise TypeError(msg)


# Source expressions that test a value ``{v}`` against an annotation, compiled
# into one small function per field: a generic checker costs about ten times
# as much, and these run for every field of every object built.
_SCALAR_TESTS: dict[Any, str] = {
    str: "isinstance({v}, str)",
    int: "(isinstance({v}, int) and not isinstance({v}, bool))",
    bool: "isinstance({v}, bool)",
    float: "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
    Decimal: "isinstance({v}, Decimal)",
    dt.date: "(isinstance({v}, date) and not isinstance({v}, datetime))",
    dt.datetime: "isinstance({v}, datetime)",
}


def _test(tp: Any, v: str, names: dict[str, Any]) -> str | None:
    """A source expression testing *v* against *tp*; None if *tp* cannot be tested (accept)."""
    if tp is type(None):
        return f"{v} is None"
    if tp in _SCALAR_TESTS:
        return _SCALAR_TESTS[tp].format(v=v)
    if isinstance(tp, type) and (issubclass(tp, enum.Enum) or attrs.has(tp)):
        name = f"_c{len(names)}"
        names[name] = tp
        return f"isinstance({v}, {name})"
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        tests = [_test(arg, v, names) for arg in typing.get_args(tp)]
        return None if None in tests else "(" + " or ".join(t for t in tests if t) + ")"
    if origin in (tuple, list, frozenset) and typing.get_args(tp):
        item = "i" if v == "v" else f"{v}_"
        inner = _test(typing.get_args(tp)[0], item, names)
        each = "" if inner is None else f" and all({inner} for {item} in {v})"
        return f"(isinstance({v}, {origin.__name__}){each})"
    return None


_VALIDATORS: dict[Any, Callable[[Any, "attrs.Attribute[Any]", Any], None] | None] = {}


def _compiled_validator(tp: Any) -> Callable[[Any, "attrs.Attribute[Any]", Any], None] | None:
    # Many fields share an annotation (str, str | None): compile each one once.
    try:
        return _VALIDATORS[tp]
    except KeyError:
        validator = _VALIDATORS[tp] = _compile_validator(tp)
        return validator
    except TypeError:  # an annotation that cannot be hashed
        return _compile_validator(tp)


def _compile_validator(tp: Any) -> Callable[[Any, "attrs.Attribute[Any]", Any], None] | None:
    names: dict[str, Any] = {"Decimal": Decimal, "date": dt.date, "datetime": dt.datetime, "_fail": _fail}
    test = _test(tp, "v", names)
    if test is None:
        return None
    source = f"def validate(instance, attribute, v):\n    if not {test}:\n        _fail(instance, attribute, v)\n"
    exec(source, names)  # noqa: S102 - the source is built above from annotations, never from data
    validator: Callable[[Any, attrs.Attribute[Any], Any], None] = names["validate"]
    validator.__doc__ = "Raise TypeError naming the field if the value has the wrong type."
    # Lets the fast reader (_fast.py) know this check adds nothing to its own.
    validator.willkommen_type_check = True  # type: ignore[attr-defined]
    return validator


def _fail(instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    # The slow path, only for a wrong value: say what was expected.
    check_type(instance, attribute, value)
    raise AssertionError  # pragma: no cover - check_type raised for the same value


# --- natural construction: what a person writes in code, turned into what the field holds ---------
#
# A converter per field, derived from the annotation like the check: a list (any
# sequence) for a tuple, a set for a frozenset, an int for a Decimal, a code string
# for an enumeration member. Each returns a value of the right type unchanged, so
# the reader's values (already tuples, members, Decimals) pass straight through;
# the fast reader knows these converters (``natural``) and builds objects without them.

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


def _enum_converter(cls: type[enum.Enum]) -> _Convert:
    members = {member.value: member for member in cls}

    def convert(value: Any, name: str) -> Any:
        if isinstance(value, cls) or not isinstance(value, str):
            return value
        try:
            return members[value]
        except KeyError:
            hint, _ = member_hint(cls, value)
            msg = f"'{name}' must be a {cls.__name__}: {quote(value)} is none of its codes{hint}"
            raise ValueError(msg) from None

    return convert


def _sequence_converter(container: type, item: _Convert | None) -> _Convert:
    def convert(value: Any, name: str) -> Any:
        # A set has no order, so it may stand for a frozenset but not for a tuple.
        accepted = Sequence | AbstractSet if container is frozenset else Sequence
        if isinstance(value, _NOT_SEQUENCES) or not isinstance(value, accepted):
            return value  # the type check says what is wrong
        items = value if item is None else [item(v, name) for v in value]
        if container is frozenset:
            result = frozenset(items)
            if len(result) != len(value):
                msg = f"'{name}' must hold each item once (got {quote(value)})"
                raise ValueError(msg)
            return result
        return value if type(value) is tuple and item is None else tuple(items)

    return convert


def _optional_converter(inner: _Convert) -> _Convert:
    def convert(value: Any, name: str) -> Any:
        return None if value is None else inner(value, name)

    return convert


def _converter(tp: Any) -> _Convert | None:
    """The conversion for one annotation, or None if values are taken as they are."""
    if tp is Decimal:
        return _convert_decimal
    if isinstance(tp, type) and issubclass(tp, enum.Enum) and all(isinstance(m.value, str) for m in tp):
        return _enum_converter(tp)
    origin = typing.get_origin(tp)
    arguments = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union) and len(arguments) == 2 and type(None) in arguments:
        (inner_type,) = (a for a in arguments if a is not type(None))
        inner = _converter(inner_type)
        return None if inner is None else _optional_converter(inner)
    if origin in (tuple, frozenset) and arguments and arguments[1:] in ((), (Ellipsis,)):
        return _sequence_converter(origin, _converter(arguments[0]))
    return None


def _field_converter(convert: _Convert, tp: Any, name: str) -> "attrs.Converter[Any, Any]":
    # Called for every field of every object built in code: a value already of the
    # stored type returns at the first line (a member, a Decimal, a tuple of objects).
    exact = tp if isinstance(tp, type) else typing.get_origin(tp)
    if exact is tuple and isinstance(typing.get_args(tp)[0], type) and attrs.has(typing.get_args(tp)[0]):

        def natural(value: Any) -> Any:
            return value if type(value) is tuple else convert(value, name)

    elif isinstance(exact, type) and exact is not tuple and exact is not frozenset:

        def natural(value: Any) -> Any:
            return value if type(value) is exact else convert(value, name)

    else:

        def natural(value: Any) -> Any:
            return convert(value, name)

    natural.willkommen_natural = True  # type: ignore[attr-defined]
    return attrs.Converter(natural)


_LATE: dict[tuple[type, str], _Convert | None] = {}


def _late_converter() -> "attrs.Converter[Any, Any]":
    """For an annotation written as a string (PEP 563): resolved on first use, once per class and field."""

    def natural(value: Any, instance: Any, field: "attrs.Attribute[Any]") -> Any:
        key = (type(instance), field.name)
        if key not in _LATE:
            hints = typing.get_type_hints(type(instance))
            _LATE[key] = _converter(hints.get(field.name, field.type))
        convert = _LATE[key]
        return value if convert is None else convert(value, field.name)

    natural.willkommen_natural = True  # type: ignore[attr-defined]
    return attrs.Converter(natural, takes_self=True, takes_field=True)


def is_natural(converter: object) -> bool:
    """Whether *converter* is one :func:`typed_fields` gave (the fast reader's values never need it)."""
    return getattr(getattr(converter, "converter", None), "willkommen_natural", False) is True


def _natural(field: "attrs.Attribute[Any]") -> "attrs.Converter[Any, Any] | None":
    if field.converter is not None:
        return None  # the user's own converter stays the only one
    annotation: object = field.type  # a str where the module uses PEP 563
    if isinstance(annotation, str):
        return _late_converter()
    convert = _converter(annotation)
    return None if convert is None else _field_converter(convert, annotation, field.name)


def _has_type_check(validator: object) -> bool:
    """Whether a field already has its type check: a subclass inherits its base's transformed fields."""
    parts = getattr(validator, "_validators", (validator,))
    return any(part is check_type or getattr(part, "willkommen_type_check", False) is True for part in parts)


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
    (exactly), a code string (``"youth_office"``) for an enumeration. A
    ``float`` for a ``Decimal`` is refused: it may not hold the digits meant.
    """
    del cls
    typed = []
    for field in fields:
        # Annotations written as strings (PEP 563) are resolved on first use instead.
        check = check_type if isinstance(field.type, str) else _compiled_validator(field.type)
        if check is not None and not _has_type_check(field.validator):
            validator = check if field.validator is None else attrs.validators.and_(check, field.validator)
            field = field.evolve(validator=validator)  # noqa: PLW2901 - the field, transformed
        converter = _natural(field)
        typed.append(field if converter is None else field.evolve(converter=converter))
    return typed
