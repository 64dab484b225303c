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
    return [
        f.evolve(validator=check_type if f.validator is None else attrs.validators.and_(check_type, f.validator))
        for f in fields
    ]
