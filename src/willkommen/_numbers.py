"""Numbers under the library's own limits, whatever the calling program has set.

Python lets an application change settings that decide what arithmetic does:
the ``decimal`` context (precision, rounding, traps) and the int/str digit
limit (``sys.set_int_max_str_digits``). The answers of this library must not
depend on them: a sum of hours is exact under precision 3, a number too large
for ``decimal`` is a problem at its place (never ``decimal.InvalidOperation``),
and a 4,000-digit integer reads the same under a limit of 640 or of none.
So every number is read, summed and written here, with limits of our own.
"""

import decimal
import sys
from collections.abc import Iterable
from decimal import Decimal

from willkommen._limits import MAX_INT_DIGITS

# Any int/str limit Python accepts is 640 digits or more (0 is none): an
# integer of at most this many digits converts under every setting.
_SAFE_DIGITS = 600
_SAFE_BITS = 1_993  # 600 digits; 2**1993 < 10**600

# Reading: exact (no precision applies to the constructor), and the one
# signal it can give, an exponent beyond what decimal holds, raises.
_READING = decimal.Context(traps=[decimal.InvalidOperation])

# Summing hours: each is finite and fits a float (the reader and check()
# see to it), so a sum spans at most about 660 digits, far below this
# precision. Inexact and Rounded trap: a sum is exact or it is an error.
_EXACT = decimal.Context(
    prec=2_000,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    capitals=1,
    clamp=0,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact, decimal.Rounded],
)


class OutOfRange:
    """A number in JSON text that ``decimal`` cannot hold (``1e9999999999999999999``).

    Like :class:`~willkommen._json.NonFinite`, a marker that the number hooks
    report at its path; it never reaches a model object.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OutOfRange) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def read_decimal(text: str) -> Decimal | OutOfRange:
    """The JSON number *text* (with a fraction or exponent) as an exact Decimal, or a marker."""
    try:
        return Decimal(text, _READING)
    except decimal.InvalidOperation:
        return OutOfRange(text)


def read_int(text: str) -> int:
    """The JSON integer *text*, under the library's digit limit, whatever the caller's.

    Raises ValueError for more than :data:`MAX_INT_DIGITS` digits, before any
    conversion: int() of millions of digits takes quadratic time.
    """
    digits = len(text) - text.startswith("-")
    if digits <= _SAFE_DIGITS:
        return int(text)
    if digits > MAX_INT_DIGITS:
        msg = f"an integer of {digits} digits, more than {MAX_INT_DIGITS}"
        raise ValueError(msg)
    # In pieces each short enough for any limit the caller may have set.
    body = text.lstrip("-")
    number = 0
    for start in range(0, len(body), _SAFE_DIGITS):
        piece = body[start : start + _SAFE_DIGITS]
        number = number * 10 ** len(piece) + int(piece)
    return -number if text.startswith("-") else number


def int_digits(number: int) -> int:
    """How many decimal digits *number* has, without converting it to text (which the limit may refuse)."""
    number = abs(number)
    if number.bit_length() <= _SAFE_BITS:
        return len(str(number))
    # bit_length gives the digits to within one; 10**k settles it exactly.
    estimate = int(number.bit_length() * 0.30102999566398120)
    return estimate + 1 if number >= 10**estimate else estimate


def fits_json(number: int) -> bool:
    """Whether an integer has at most :data:`MAX_INT_DIGITS` digits, the most JSON text carries here."""
    return number.bit_length() <= _SAFE_BITS or int_digits(number) <= MAX_INT_DIGITS


def fits_caller(number: int) -> bool:
    """Whether str() takes *number* under the caller's int/str limit."""
    if number.bit_length() <= _SAFE_BITS:
        return True
    limit = sys.get_int_max_str_digits()
    return limit == 0 or int_digits(number) <= limit


def int_text(number: int) -> str:
    """*number* in decimal digits, whatever the caller's int/str limit."""
    if number.bit_length() <= _SAFE_BITS:
        return str(number)
    sign = "-" if number < 0 else ""
    pieces: list[str] = []
    rest = abs(number)
    step = 10**_SAFE_DIGITS
    while rest:
        rest, piece = divmod(rest, step)
        pieces.append(str(piece))
    head, *tail = reversed(pieces)
    return sign + head + "".join(piece.zfill(_SAFE_DIGITS) for piece in tail)


def decimal_text(number: Decimal) -> str:
    """*number* as text, the same under any context (``str`` reads the context's ``capitals``)."""
    return _EXACT.to_sci_string(number)


def exact_sum(numbers: Iterable[Decimal]) -> Decimal:
    """The exact sum of *numbers*, under the library's context, never the caller's.

    Raises :class:`decimal.Inexact` rather than round, should a sum ever need
    more than 2,000 digits (no hours a document can carry do).
    """
    # sum() adds in C under the current context: ours for the duration, the caller's back after.
    caller = decimal.getcontext()
    decimal.setcontext(_EXACT)
    try:
        return sum(numbers, Decimal(0))
    finally:
        decimal.setcontext(caller)


def exact_difference(minuend: Decimal, subtrahend: Decimal) -> Decimal:
    """``minuend - subtrahend``, exactly, as :func:`exact_sum` adds."""
    return _EXACT.subtract(minuend, subtrahend)
