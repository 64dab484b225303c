"""Small text helpers shared by messages and paths."""

import reprlib
import sys
from decimal import Decimal
from typing import Any

_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 4


def quote(value: Any) -> str:
    """Return a short ``repr`` of *value*, safe for any input.

    Messages quote the offending value, and that value may be a 10 MB string,
    a list nested 100,000 deep or an integer too long to print: all of them
    must come out short, and none may raise.
    """
    if isinstance(value, Decimal):
        return str(value)
    # int -> str refuses more than sys.get_int_max_str_digits() digits.
    if isinstance(value, int) and value.bit_length() > 3 * sys.get_int_max_str_digits():
        return f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
    try:
        return _REPR.repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails must still be named
        return f"<a {type(value).__name__}>"


def pointer(*parts: str | int) -> str:
    """Join keys and indexes into an RFC 6901 JSON Pointer (``/partners/2/kind``)."""
    return "".join("/" + escape(part) for part in parts)


def escape(part: str | int) -> str:
    """Escape one reference token of a JSON Pointer (RFC 6901, section 3)."""
    if isinstance(part, int):
        return str(part)
    return part.replace("~", "~0").replace("/", "~1")
