"""The optional accelerator of ``willkommen[fast]``: documents read, and JSON text parsed and indented, by msgspec.

Reading: with msgspec installed (``pip install willkommen[fast]``), a valid
document of the current format version is decoded by msgspec straight into
mirror structs generated from the type plan, one per model class (tagged
subclasses and users' classes too), and the model objects are built from them
(:func:`read_objects`, in ``_mirror.py``, which keeps the library's own checks
that msgspec alone would skip: its docstring lists them). Whatever that path is
not sure about, or msgspec refuses, is parsed as below and read by the fast
reader or the detailed path, which report the problems.

The standard library's parser with the hooks the format needs (repeated keys,
exact decimals, ``NaN`` as a marker) is the largest single cost of reading a
document the mirror does not take. There, JSON text
is parsed by msgspec instead, into exactly the values ``_json.parse`` gives:
the same dicts, lists, str, int, bool and None, and every number with a
fraction or an exponent read by the same function (``read_decimal``) from the
same digits. What msgspec cannot tell, the text is checked for here:

- a repeated key (msgspec keeps the last one without a word): the colons of
  the text are counted and compared with those of msgspec's writing of what it
  kept (text with a colon written as a Unicode escape is not parsed here);
- an integer too long for Python's int-to-text limit, text nested deeper than
  the format allows, a byte-order mark: these documents are not parsed here.

Anything this parser is not sure about, or refuses, returns None: the document
is parsed by ``_json.parse``, which reports its problems. So the accelerator
never changes a result, only the time it takes; ``tests/test_accelerator.py``
runs the mutation, invalid and fuzz corpora both ways, ``tests/test_mirror.py``
shows each check of the mirror path, and CI runs the suite with the
accelerator on and off (``WILLKOMMEN_ACCELERATOR=off``).

Writing: ``dumps()`` indents the C encoder's compact text with msgspec's
``format``, which copies strings and numbers as they are (:func:`indented`).

``import willkommen`` never imports msgspec, nor generates a mirror: msgspec
is imported once a process has read a megabyte of documents with the
accelerator on (``_api.ACCELERATE_AFTER``), since for one small file the
import costs more than it saves; a mirror is generated at the first document
of its class read with the accelerator.
"""

import contextlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from willkommen._json import _too_deep
from willkommen._limits import MAX_DEPTH, MAX_INT_DIGITS
from willkommen._numbers import read_decimal

__all__ = ["ENVIRONMENT_VARIABLE", "active", "indented", "installed", "parse", "read_objects", "set_active"]

#: Set to ``off`` to read without the accelerator although msgspec is installed.
ENVIRONMENT_VARIABLE = "WILLKOMMEN_ACCELERATOR"

# Digits become "0" and everything else a space: a run of MAX_INT_DIGITS zeros is then
# an integer (or digits in a string: harmless) that might exceed the int-to-text limit.
_DIGITS_ONLY = bytes(ord("0") if chr(byte).isdigit() and byte < 128 else ord(" ") for byte in range(256))
_LONG_RUN = b"0" * MAX_INT_DIGITS
# A colon written as an escape in a string: the colon count below would not see it.
_ESCAPED_COLONS = (b"\\u003a", b"\\u003A")

_switch: bool | None = None  # None: as the environment says
_decoder: Any = None
_encoder: Any = None
_read_mirrored: Callable[[str | bytes, type], object | None] | None = None


def installed() -> bool:
    """Whether msgspec is installed (this imports it: asked only where a document is read, or by tests)."""
    try:
        import msgspec  # noqa: F401, PLC0415 - the optional extra
    except ImportError:
        return False
    return True


def _from_environment() -> bool:
    return os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() not in {"off", "0", "false", "no"}


def active() -> bool:
    """Whether documents are parsed by the accelerator: msgspec installed, and not switched off."""
    global _switch  # noqa: PLW0603 - decided once per process, unless set_active says otherwise
    if _switch is None:
        _switch = _from_environment() and installed()
    return _switch


def set_active(*, active: bool | None) -> None:
    """Switch the accelerator on or off in this process (None: as the environment says); for tests and benchmarks.

    On needs msgspec installed: without it the accelerator stays off.
    """
    global _switch  # noqa: PLW0603
    _switch = None if active is None else active and installed()


def read_objects(text: str | bytes, cls: type) -> object | None:
    """The object of a valid document of the current version, before the rules; None: read it the usual way.

    Decoded by msgspec into mirror structs generated from the type plan, and
    built from them (``_mirror.py``, imported here at the first call).
    """
    global _read_mirrored  # noqa: PLW0603 - imported at first use
    if _read_mirrored is None:
        from willkommen._mirror import read_mirrored  # noqa: PLC0415 - it imports msgspec

        _read_mirrored = read_mirrored
    return _read_mirrored(text, cls)


def _msgspec() -> Any:
    import msgspec  # noqa: PLC0415 - only when the accelerator is used

    return msgspec


def _msgspec_decoder() -> Any:
    global _decoder  # noqa: PLW0603 - one decoder, built at first use
    if _decoder is None:
        import msgspec  # noqa: PLC0415 - only when a document is read with the accelerator on

        # Numbers with a fraction or an exponent: the digits go to the same reader as in _json.
        _decoder = msgspec.json.Decoder(float_hook=read_decimal)
    return _decoder


def _msgspec_encoder() -> Any:
    global _encoder  # noqa: PLW0603 - one encoder, built at first use
    if _encoder is None:
        import msgspec  # noqa: PLC0415

        _encoder = msgspec.json.Encoder()
    return _encoder


def parse(text: str | bytes) -> dict[str, Any] | None:
    """The JSON object in *text* exactly as ``_json.parse`` reads it, when it has no problem; None otherwise.

    None means: parse with ``_json.parse``, which finds and reports the problem
    (or reads what this parser does not take on).
    """
    data = _checked_bytes(text)
    if data is None:
        return None
    try:
        value = _msgspec_decoder().decode(data)
        again = _msgspec_encoder().encode(value)
    except Exception:  # noqa: BLE001 - msgspec refuses: the full parser says why
        return None
    # Repeated keys: msgspec keeps one of each. Every colon of the text stands after a
    # key or inside a string (no colon is escaped, see above), and so it does in
    # msgspec's compact writing of what it kept: a key fewer is a colon fewer.
    if type(value) is not dict or data.count(b":") != again.count(b":"):
        return None
    return value


def indented(document: Any, indent: int) -> str | None:
    """``json.dumps(document, ensure_ascii=False, indent=indent, allow_nan=False)``, written faster; None: not here.

    The standard library's C encoder writes the compact text (every string and
    number as json writes them), and msgspec's ``format`` only adds the line
    breaks and indentation (``tests/test_indented.py`` compares the bytes).
    Raises ValueError where json.dumps does (``NaN``, integers over the limit);
    None where msgspec does not format the text (a lone surrogate).
    """
    if indent <= 0:
        return None  # json writes line breaks without indentation for 0: not msgspec's layout
    compact = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    try:
        text: str = _msgspec().json.format(compact, indent=indent)
    except Exception:  # noqa: BLE001 - the pure writer writes it
        return None
    return text


def _checked_bytes(text: str | bytes) -> bytes | None:
    """*text* as UTF-8 bytes if this parser takes it on, else None."""
    data: bytes | None = None
    if type(text) is bytes:
        data = text
    elif type(text) is str:
        # A lone surrogate cannot be encoded: _json reads it, and the reader reports it.
        with contextlib.suppress(UnicodeEncodeError):
            data = text.encode()
    # Otherwise a bytearray or memoryview: rare, read as before.
    if data is None or not _takes_on(data):
        return None
    return data


def _takes_on(data: bytes) -> bool:
    """Whether nothing in *data* needs what only _json does."""
    if sys.get_int_max_str_digits() != MAX_INT_DIGITS:
        return False  # _json reads integers by its own digits then
    if any(escape in data for escape in _ESCAPED_COLONS):
        return False
    if len(data) >= MAX_INT_DIGITS and _LONG_RUN in data.translate(_DIGITS_ONLY):
        return False
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return True
    try:
        return not _too_deep(data.decode())
    except UnicodeDecodeError:
        return False
