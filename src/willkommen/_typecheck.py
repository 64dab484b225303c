"""Type checks for model fields, so that a wrong value names its field.

attrs runs these as field validators whenever a model object is built, from
Python code or from data. They are derived from the annotations by the field
transformer :func:`typed_fields`, which a user's subclass can use too.
"""

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import attrs

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


def typed_fields(cls: type, fields: "list[attrs.Attribute[Any]]") -> "list[attrs.Attribute[Any]]":
    """Give every field a check of its annotated type (an attrs field transformer).

    Pass it to attrs for your own model classes, as the built-in ones do::

        @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
        class RegisteredPartner(willkommen.Partner):
            register_no: str

    A wrong value then raises TypeError naming the field, like attrs'
    ``instance_of`` but derived from the annotation.
    """
    del cls
    typed = []
    for field in fields:
        # Annotations written as strings (PEP 563) are resolved on first use instead.
        check = check_type if isinstance(field.type, str) else _compiled_validator(field.type)
        if check is None:
            typed.append(field)
        elif field.validator is None:
            typed.append(field.evolve(validator=check))
        else:
            typed.append(field.evolve(validator=attrs.validators.and_(check, field.validator)))
    return typed
