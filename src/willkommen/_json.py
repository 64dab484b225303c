"""Strict JSON text: UTF-8, no repeated keys, no NaN or Infinity.

Python's ``json`` keeps the last of repeated keys without a word and reads
``NaN`` and ``Infinity``; neither is JSON (RFC 8259). Here a repeated key is a
``duplicate_key`` problem at its path, and ``NaN`` stays a marker that no
structure hook accepts, so it is reported where it stands.
"""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from willkommen._problems import DUPLICATE_KEY, INVALID_JSON, Problem
from willkommen._text import escape, quote

_BOM = "\ufeff"


class NonFinite:
    """``NaN``, ``Infinity`` or ``-Infinity`` as found in the text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class _Repeats(dict[str, Any]):
    """An object that had repeated keys: the keys and how often each came."""

    __slots__ = ("repeats",)
    repeats: dict[str, int]


# Counts the objects with repeated keys ever read. A parse that leaves it
# unchanged had none, so the walk that finds them is skipped (another thread
# may bump it meanwhile: that costs a walk that finds nothing, never a miss).
_repeats_seen = 0


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    global _repeats_seen  # noqa: PLW0603 - a counter, see above
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    _repeats_seen += 1
    # Rare: keep the same dict contents (the last value wins, as in json) and
    # remember the repeats, so that the walk below can find where they are.
    marked = _Repeats(result)
    counts: dict[str, int] = {}
    for key, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    marked.repeats = {key: n for key, n in counts.items() if n > 1}
    return marked


def _repeated_keys(value: Any) -> Iterator[Problem]:
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if isinstance(node, _Repeats):
                for key, count in node.repeats.items():
                    yield DUPLICATE_KEY.problem(f"{path}/{escape(key)}", key=quote(key), count=count)
            stack.extend((child, f"{path}/{escape(key)}") for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, f"{path}/{index}") for index, child in enumerate(node))


# One decoder for all: json.loads with hooks would build a new one per call.
_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=Decimal, parse_constant=NonFinite)


def _invalid(reason: str, reason_de: str) -> Problem:
    return INVALID_JSON.problem("", reason=reason, reason_de=reason_de)


# The whitespace JSON allows around a value (RFC 8259, section 2).
_JSON_WHITESPACE = " \t\r\n"


def _several_values(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the text is one JSON value per line (JSON Lines): the "extra data" starts a new line with a value."""
    if exc.msg != "Extra data":
        return False
    try:
        _DECODER.raw_decode(text, exc.pos)
    except (json.JSONDecodeError, RecursionError, ValueError):
        return False
    return "\n" in text[: exc.pos]


def _decode_problem(text: str, exc: json.JSONDecodeError) -> Problem:
    reason = f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    reason_de = f"{exc.msg} (Zeile {exc.lineno}, Spalte {exc.colno})"
    if _several_values(text, exc):
        # The usual cause: a JSON Lines export read as one document.
        reason += (
            "; this looks like JSON Lines (one document per line): name the file *.jsonl,"
            " or give --jsonl for standard input"
        )
        reason_de += (
            "; das sieht nach JSON Lines aus (ein Dokument pro Zeile): die Datei *.jsonl nennen"
            " oder für die Standardeingabe --jsonl angeben"
        )
    return _invalid(reason, reason_de)


def parse(text: str | bytes) -> tuple[Any, list[Problem]]:
    """Parse JSON text strictly; return the value (None if unreadable) and problems.

    Numbers with a fraction or exponent become :class:`~decimal.Decimal`, so
    that hours keep every digit the file gives (``33.3`` stays ``33.3``).
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, [_invalid(f"not UTF-8 (byte {exc.start})", f"kein UTF-8 (Byte {exc.start})")]
    # A byte-order mark says nothing about the data; Windows tools write one.
    text = text.removeprefix(_BOM)
    if not text.strip(_JSON_WHITESPACE):
        return None, [_invalid("it is empty (no JSON value at all)", "es ist leer (gar kein JSON-Wert)")]
    repeats_before = _repeats_seen
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        return None, [_decode_problem(text, exc)]
    except RecursionError:
        return None, [_invalid("nested too deeply", "zu tief verschachtelt")]
    except ValueError as exc:
        # int() refuses numbers of more than sys.get_int_max_str_digits() digits.
        return None, [_invalid(str(exc), f"Zahl nicht lesbar: {exc}")]
    problems = list(_repeated_keys(value)) if _repeats_seen != repeats_before else []
    return value, problems
