"""Text that goes into messages and reports: bounded and escaped, one way everywhere.

Messages name keys and quote values taken from the data, and data may be
hostile: a 10 MB string, a 5,000-digit number, a key holding a line break, an
escape sequence that recolours a terminal, or a bidirectional override that
reorders what a log shows. Every value a message names goes through
:func:`shown` (``Rule.problem`` sees to it), every message is cut to
:data:`~willkommen._limits.MAX_MESSAGE` characters, and paths are shown
through :func:`shown_path`: in problems, in ``str(ValidationError)`` and in
both reports of the command line.
"""

import reprlib
from decimal import Decimal
from typing import Any

from willkommen._limits import MAX_MESSAGE, MAX_QUOTE, MAX_VALUE
from willkommen._numbers import _SAFE_BITS, decimal_text, int_digits

_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlong = 80
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = 4

_ELLIPSIS = "…"


def bounded(text: str, limit: int) -> str:
    """*text* if it has at most *limit* characters; else its start and end around an ellipsis."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    tail = limit - 1 - head
    return text[:head] + _ELLIPSIS + (text[-tail:] if tail else "")


def printable(text: str) -> str:
    r"""*text* with every character a terminal or log would act on or hide written as an escape.

    A line break must not split a line of a log, an escape sequence must not
    recolour the terminal, a bidirectional override must not reorder what is
    shown, a lone surrogate must not stop an encoder: each becomes its Python
    escape (``\n``, ``\x1b``, ``\u202e``, ``\ud800``).
    """
    text = str.__str__(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def shown(value: object, limit: int = MAX_VALUE) -> str:
    """The one form in which a message names any value: text as it is, anything else quoted; escaped; bounded."""
    text = str.__str__(value) if isinstance(value, str) else quote(value)
    # Cut before escaping (escaping a 10 MB string would cost 10 MB), and after (escapes are longer).
    return bounded(printable(bounded(text, limit)), limit)


def shown_path(path: str, whole: str = "/") -> str:
    """A JSON Pointer for people to read: *whole* for the whole document, escaped and bounded."""
    return shown(path, MAX_VALUE) if path else whole


def message(text: str) -> str:
    """A whole message, cut to MAX_MESSAGE characters."""
    return bounded(text, MAX_MESSAGE)


def quote(value: Any) -> str:
    """Return a short ``repr`` of *value*, safe for any input.

    Messages quote the offending value, and that value may be a 10 MB string,
    a list nested 100,000 deep, a number of 5,000 digits or an object whose
    ``repr()`` fails or lies: all of them come out short and printable, none
    raises, and none depends on the caller's decimal context or int/str limit.
    """
    try:
        text = _quote(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails must still be named
        text = f"<a {type(value).__name__}>"
    return bounded(printable(bounded(text, MAX_QUOTE)), MAX_QUOTE)


def _quote(value: Any) -> str:
    if type(value) is str and len(value) <= _REPR.maxstring:
        # What reprlib gives a short string, without its dispatch: most quoted values are ids and dates.
        text = repr(value)
        if len(text) <= _REPR.maxstring:
            return text
    if isinstance(value, Decimal):
        text = decimal_text(value)
        return text if len(text) <= MAX_QUOTE else f"{text[:30]}{_ELLIPSIS}{text[-30:]} ({len(text)} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _SAFE_BITS:
        # int -> str may be refused by the caller's int/str limit, and takes quadratic time.
        return f"<an integer of {int_digits(value)} digits>"
    return _REPR.repr(value)


def exception_text(exc: BaseException) -> str:
    """What an exception says, for a message: its type and text, escaped and bounded; never raises."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - an exception whose own text fails still has a type
        text = ""
    return shown(text or type(exc).__name__)


def pointer(*parts: str | int) -> str:
    """Join keys and indexes into an RFC 6901 JSON Pointer (``/partners/2/kind``)."""
    return "".join("/" + escape(part) for part in parts)


def escape(part: str | int) -> str:
    """Escape one reference token of a JSON Pointer (RFC 6901, section 3)."""
    if isinstance(part, int):
        return str(part)
    return part.replace("~", "~0").replace("/", "~1")
