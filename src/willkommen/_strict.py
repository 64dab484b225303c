"""Strict reading of single values, with our codes: the leaves of the reader.

Each function reads one JSON value as one leaf of the type plan (a
:class:`~willkommen._plan.ScalarKind`, or a choice), or raises
:class:`StructureProblem` carrying the catalogue entry that says what is
wrong. The cattrs converter (``_converter.py``) registers them as its hooks,
and the generated fast path (``_fast.py``) calls them for whatever its
inlined guard does not settle; this module needs neither cattrs nor attrs,
so that reading valid data does not load cattrs.
"""

import datetime as dt
import enum
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from willkommen._limits import MAX_INT_DIGITS
from willkommen._numbers import OutOfRange, fits_json
from willkommen._plan import ChoiceNode, ScalarKind, plan_of
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


Hook = Callable[[object, Any], Any]


def _structure_str(value: object, cls: Any) -> Any:
    if cls is not str and cls is not None and issubclass(cls, enum.Enum):
        # A (str, Enum) class asked for directly: singledispatch finds str before Enum in its MRO.
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


def _structure_int(value: object, cls: Any) -> Any:
    if cls is not int and cls is not None and issubclass(cls, enum.Enum):
        # An IntEnum asked for directly: singledispatch finds int before Enum in its MRO.
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


def _structure_float(value: object, _: object) -> float:
    if isinstance(value, OutOfRange):
        raise _beyond_float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise non_finite_problem(value)
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        if isinstance(value, Decimal) and not value.is_finite():
            raise non_finite_problem(value)
        try:
            number = float(value)
        except OverflowError:  # an int beyond float range
            number = math.inf
        # Beyond float range (1E+400) it would be written as Infinity, which JSON lacks;
        # below it (1E-400) it would silently become 0.
        if math.isinf(number) or (number == 0 and value != 0):
            raise _beyond_float(value)
        # Nor may it become another number, as a Decimal field refuses it: 2**53 + 1 is no float.
        if number != value if isinstance(value, int) else not fits_float(value):
            raise number_problem(value)
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


def _structure_bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _wrong_type(_BOOLEAN, value)


def _structure_decimal(value: object, _: object) -> Decimal:
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


def _structure_date(value: object, _: object) -> dt.date:
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


def naive_problem(value: dt.datetime) -> StructureProblem:
    """The problem of a datetime without a UTC offset (set past the construction check): it names no moment."""
    return StructureProblem(
        INVALID_VALUE,
        value=quote(value),
        expected="a datetime with a time zone (a UTC offset of whole minutes)",
        expected_de="ein Zeitpunkt mit Zeitzone (eine Abweichung von UTC in ganzen Minuten)",
    )


def _structure_datetime(value: object, _: object) -> dt.datetime:
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


#: The hook of each leaf of the type plan.
LEAVES: dict[ScalarKind, Hook] = {
    ScalarKind.STR: _structure_str,
    ScalarKind.INT: _structure_int,
    ScalarKind.FLOAT: _structure_float,
    ScalarKind.BOOL: _structure_bool,
    ScalarKind.DECIMAL: _structure_decimal,
    ScalarKind.DATE: _structure_date,
    ScalarKind.DATETIME: _structure_datetime,
}

_CHOICES: dict[ChoiceNode, Hook] = {}


def choice_hook(node: ChoiceNode) -> Hook:
    """The hook that reads one of *node*'s values: by JSON type first (True is not 1), then by value."""
    hook = _CHOICES.get(node)
    if hook is None:
        hook = _CHOICES[node] = _choice_hook(node)
    return hook


def _choice_hook(node: ChoiceNode) -> Hook:
    members = node.members()
    takes_str, takes_int = str in node.json_types, int in node.json_types
    if takes_str and takes_int:
        expected = ("a string or an integer", "eine Zeichenkette oder eine ganze Zahl")
    else:
        expected = _STRING if takes_str else _INTEGER
    allowed = ", ".join(repr(value) for value in node.values)
    cls = node.enum

    def structure_choice(value: object, _: object) -> Any:
        if not (
            (takes_str and isinstance(value, str))
            or (takes_int and isinstance(value, int) and not isinstance(value, bool))
        ):
            raise _wrong_type(expected, value)
        try:
            return members[value]
        except KeyError:
            hint, hint_de = member_hint(cls, value) if cls is not None else ("", "")
            raise StructureProblem(
                INVALID_VALUE,
                value=quote(value),
                expected=f"one of {allowed}{hint}",
                expected_de=f"einer der Werte {allowed}{hint_de}",
            ) from None

    return structure_choice


def _structure_enum(value: object, cls: type[enum.Enum]) -> Any:
    """An enumeration asked for by its class (the converter used directly): as its plan says."""
    node = plan_of(cls)
    if not isinstance(node, ChoiceNode):  # pragma: no cover - plan_of gives every enumeration a choice
        raise TypeError(cls)
    return choice_hook(node)(value, cls)


def check_key(key: str) -> str:
    """A key of a mapping field, as read: text that UTF-8 can carry, as a plain str."""
    if not key.isascii() and not is_utf8(key):
        raise text_problem(key)
    return str.__str__(key)


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
