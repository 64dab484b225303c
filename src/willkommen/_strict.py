"""Strict reading of single values, with our codes: the leaves of the reader.

Each function reads one JSON value as one type, or raises
:class:`StructureProblem` carrying the catalogue entry that says what is
wrong. The cattrs converter (``_converter.py``) registers them as its hooks
and the generated fast path (``_fast.py``) mirrors them; this module needs
neither cattrs nor attrs, so that reading valid data does not load cattrs.
"""

import datetime as dt
import enum
import functools
import math
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from willkommen._limits import MAX_INT_DIGITS
from willkommen._numbers import OutOfRange, fits_json
from willkommen._problems import INVALID_DATE, INVALID_VALUE, TYPE, Rule
from willkommen._suggest import member_hint
from willkommen._tags import TAG_KEY, tagged_classes
from willkommen._text import quote

# What a JSON value of the expected type is called, in English and German.
_OBJECT = ("an object", "ein Objekt")
_LIST = ("a list", "eine Liste")
_STRING = ("a string", "eine Zeichenkette")
_INTEGER = ("an integer", "eine ganze Zahl")
_NUMBER = ("a number", "eine Zahl")
_BOOLEAN = ("true or false", "true oder false")
_DATE = ("a date string YYYY-MM-DD", "ein Datum als Zeichenkette JJJJ-MM-TT")

# Calendar dates only: date.fromisoformat also takes "20240101" and week dates.
_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class StructureProblem(Exception):  # noqa: N818 - it is a problem, raised to travel through cattrs
    """A problem found by a structure hook; cattrs adds where it happened."""

    def __init__(self, rule: Rule, **values: object) -> None:
        super().__init__(rule.code)
        self.rule = rule
        self.values = values


def _wrong_type(expected: tuple[str, str], value: object) -> StructureProblem:
    return StructureProblem(TYPE, expected=expected[0], expected_de=expected[1], value=quote(value))


def _structure_str(value: object, cls: type) -> Any:
    if cls is not str and issubclass(cls, enum.Enum):
        # A (str, Enum) class: singledispatch finds str before Enum in its MRO.
        return _structure_enum(value, cls)
    if isinstance(value, str):
        if not value.isascii() and not is_utf8(value):
            raise text_problem(value)
        # str.__str__ turns a str subclass (a StrEnum member, say) into a plain str.
        return str.__str__(value)
    raise _wrong_type(_STRING, value)


def text_problem(value: str) -> StructureProblem:
    r"""The problem of text with a lone surrogate ("\ud800" in JSON): it could never be written back."""
    return StructureProblem(
        INVALID_VALUE,
        value=quote(value),
        expected="text that UTF-8 can carry (no lone surrogate)",
        expected_de="Text, den UTF-8 darstellen kann (kein einzelnes Surrogat)",
    )


def is_utf8(text: str) -> bool:
    """Whether UTF-8 can carry *text*: it has no lone surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _structure_int(value: object, cls: type) -> Any:
    if cls is not int and issubclass(cls, enum.Enum):
        # An IntEnum: singledispatch finds int before Enum in its MRO.
        return _structure_enum(value, cls)
    if isinstance(value, int) and not isinstance(value, bool):
        if not fits_json(value):
            raise integer_problem(value)
        return int(value)
    raise _wrong_type(_INTEGER, value)


def integer_problem(value: int) -> StructureProblem:
    """The problem of an integer with more digits than JSON text carries."""
    return StructureProblem(
        INVALID_VALUE,
        value=quote(value),
        expected=f"an integer of at most {MAX_INT_DIGITS} digits",
        expected_de=f"eine ganze Zahl mit höchstens {MAX_INT_DIGITS} Ziffern",
    )


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, OutOfRange):
        raise _beyond_float(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise non_finite_problem(value)
        try:
            number = float(value)
        except OverflowError:  # an int beyond float range
            number = math.inf
        # Beyond float range (1E+400) it would be written as Infinity, which JSON lacks;
        # below it (1E-400) it would silently become 0.
        if math.isinf(number) or (number == 0 and value != 0):
            raise _beyond_float(value)
        return number
    raise _wrong_type(_NUMBER, value)


def _beyond_float(value: object) -> StructureProblem:
    return StructureProblem(
        INVALID_VALUE,
        value=quote(value),
        expected="a number within float range (at most about 1.8E+308 and, unless 0, at least about 4.9E-324)",
        expected_de="eine Zahl im Bereich von float (höchstens etwa 1,8E+308 und, außer 0, mindestens etwa 4,9E-324)",
    )


def non_finite_problem(value: object) -> StructureProblem:
    """The problem of NaN or an infinity: JSON has no such number (JSON text writing one is ``type`` too)."""
    return _wrong_type(_NUMBER, value)


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise _wrong_type(_BOOLEAN, value)


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, OutOfRange):
        # An exponent beyond what decimal holds (1e9999999999999999999): no float holds it either.
        raise number_problem(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        # repr() is the shortest text that reads back as this float: 0.1 -> "0.1".
        number = Decimal(repr(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        raise _wrong_type(_NUMBER, value)
    if not number.is_finite():
        raise non_finite_problem(value)
    if not fits_float(number):
        raise number_problem(value)
    return number


def fits_float(number: Decimal) -> bool:
    """Whether a float holds the finite *number* exactly.

    dump() writes numbers as JSON numbers, which Python reads as floats; a
    value a float cannot hold would come back changed.
    """
    return Decimal(repr(float(number))) == number


def number_problem(value: object) -> StructureProblem:
    """The problem of a number that would not come back the same from JSON text."""
    return StructureProblem(
        INVALID_VALUE,
        value=quote(value),
        expected="a number of at most 15 significant digits, within float range",
        expected_de="eine Zahl mit höchstens 15 gültigen Ziffern im Bereich von float",
    )


def _structure_date(value: object, _: type) -> dt.date:
    if not isinstance(value, str):
        raise _wrong_type(_DATE, value)
    if _CALENDAR_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise StructureProblem(INVALID_DATE, value=quote(value))


# Date and time with a UTC offset or Z (RFC 3339), for the fields of user classes.
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_DATETIME = (
    "a date and time string YYYY-MM-DDTHH:MM:SS with Z or an offset",
    "ein Zeitpunkt als Zeichenkette JJJJ-MM-TTTHH:MM:SS mit Z oder Zeitzone",
)


def _structure_datetime(value: object, _: type) -> dt.datetime:
    # Without this hook, the date hook would answer for datetime, its subclass,
    # and a datetime field would silently hold a date.
    if not isinstance(value, str):
        raise _wrong_type(_DATETIME, value)
    if _DATE_TIME.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise StructureProblem(INVALID_VALUE, value=quote(value), expected=_DATETIME[0], expected_de=_DATETIME[1])


@functools.cache
def _enum_values(cls: type[enum.Enum]) -> tuple[dict[object, enum.Enum], str]:
    members = {member.value: member for member in cls}
    return members, ", ".join(repr(v) for v in members)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    members, allowed = _enum_values(cls)
    if all(type(v) is int for v in members):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _wrong_type(_INTEGER, value)
    elif not isinstance(value, str):
        raise _wrong_type(_STRING, value)
    try:
        return members[value]
    except KeyError:
        hint, hint_de = member_hint(cls, value)
        raise StructureProblem(
            INVALID_VALUE,
            value=quote(value),
            expected=f"one of {allowed}{hint}",
            expected_de=f"einer der Werte {allowed}{hint_de}",
        ) from None


def _is_collection(tp: Any) -> bool:
    return typing.get_origin(tp) in (tuple, list, frozenset) and (
        typing.get_origin(tp) is not tuple or typing.get_args(tp)[1:] == (Ellipsis,)
    )


def _is_optional(tp: Any) -> bool:
    origin: object = typing.get_origin(tp)
    arguments = typing.get_args(tp)
    return (origin is types.UnionType or origin is typing.Union) and len(arguments) == 2 and type(None) in arguments


def unknown_tag(value: Mapping[str, Any], base: type) -> StructureProblem:
    """The problem of a ``$type`` that names no class allowed here."""
    tags = ", ".join(repr(tag) for tag in tagged_classes(base))
    return StructureProblem(
        INVALID_VALUE,
        value=quote(value[TAG_KEY]),
        expected=(
            f"a tag declared for {base.__qualname__} or a subclass ({tags or 'none'}); a tag of your own extension"
            " is known once its module is imported (willkommen validate --import MODULE)"
        ),
        expected_de=(
            f"ein für {base.__qualname__} oder eine Unterklasse erklärter Typname ({tags or 'keiner'});"
            " der Typname einer eigenen Erweiterung ist bekannt, sobald ihr Modul importiert ist"
            " (willkommen validate --import MODUL)"
        ),
    )
