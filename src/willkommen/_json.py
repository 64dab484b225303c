"""Strict JSON text: UTF-8, no repeated keys, no NaN or Infinity.

Python's ``json`` keeps the last of repeated keys without a word and reads
``NaN`` and ``Infinity``; neither is JSON (RFC 8259). Here a repeated key is a
``duplicate_key`` problem at its path, and ``NaN`` stays a marker that no
structure hook accepts, so it is reported where it stands.

Finding repeated keys by a hook that sees every object's pairs costs about
as much again as the C parser itself. So a text is parsed first without
it (:func:`_quickly`), counting the keys the objects kept; every key of the
text stands before a colon, and a text with as many colons as kept keys had
no key to drop (colons inside strings get a second count). A text these
counts do not settle is parsed again with the hook, which finds and places
each repeated key.
"""

import itertools
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

from willkommen._german import json_reason_de
from willkommen._headroom import headroom
from willkommen._limits import MAX_DEPTH, MAX_INT_DIGITS
from willkommen._numbers import read_decimal, read_int
from willkommen._problems import DUPLICATE_KEY, INVALID_JSON, Problem
from willkommen._text import escape, pointer, quote

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
    """Every repeated key below *value*, at its path, in document order.

    Paths are built only on the way to an object with repeats: the stack
    holds one iterator and one key per level of nesting, never a path per
    node, so memory stays within the depth of the document.
    """
    if isinstance(value, _Repeats):
        yield from _repeats_at("", value)
    stack: list[Iterator[tuple[str | int, Any]]] = [_items(value)]
    keys: list[str | int] = []
    while stack:
        for key, child in stack[-1]:
            if isinstance(child, dict | list):
                keys.append(key)
                if isinstance(child, _Repeats):
                    yield from _repeats_at(pointer(*keys), child)
                stack.append(_items(child))
                break
        else:
            stack.pop()
            if keys:
                keys.pop()


def _items(node: Any) -> Iterator[tuple[str | int, Any]]:
    if isinstance(node, dict):
        return iter(node.items())
    if isinstance(node, list):
        return enumerate(node)
    return iter(())


def _repeats_at(path: str, node: _Repeats) -> Iterator[Problem]:
    for key, count in node.repeats.items():
        yield DUPLICATE_KEY.problem(f"{path}/{escape(key)}", key=quote(key), count=count)


# One decoder for all: json.loads with hooks would build a new one per call.
# Under Python's default int/str limit, which is ours, int() reads integers at
# C speed; under any other, read_int does, with our limit.
_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=read_decimal, parse_constant=NonFinite)
_OWN_INTS = json.JSONDecoder(
    object_pairs_hook=_object, parse_float=read_decimal, parse_int=read_int, parse_constant=NonFinite
)


def _decoder() -> json.JSONDecoder:
    return _DECODER if sys.get_int_max_str_digits() == MAX_INT_DIGITS else _OWN_INTS


class _Counting:
    """A decoder without the pairs hook, and the number of keys its objects kept.

    Each parse takes one from the spares and puts it back after (list.pop and
    list.append are atomic), so threads, and a parse inside a parse, never
    share a count.
    """

    __slots__ = ("decoder", "kept")

    def __init__(self) -> None:
        kept = [0]

        def count(obj: dict[str, Any]) -> dict[str, Any]:
            kept[0] += len(obj)
            return obj

        self.kept = kept
        self.decoder = json.JSONDecoder(object_hook=count, parse_float=read_decimal, parse_constant=NonFinite)


_spares: list[_Counting] = []
# The white space JSON allows between a key and its colon (RFC 8259, section 2), then a colon.
_SPACE_COLON = re.compile(r"[ \t\n\r]:")


def _quickly(text: str, colons: int | None = None) -> tuple[Any] | None:
    """The value of *text*, in a 1-tuple, where it surely has no repeated key; None: parse with the hook.

    A repeated key costs its object a key, so the objects keep fewer keys than
    the text has. Every key stands before a colon, and every other colon is
    inside a string, so the text has at least as many colons as keys: as many
    as the objects kept means no key was dropped. A text with a colon inside a
    string (a web address, a time of day) needs a second count, and a text
    that also has white space before a colon is parsed again with the hook.
    *colons*: the text's colons, where already counted.
    """
    if sys.get_int_max_str_digits() != MAX_INT_DIGITS:
        return None  # read_int reads the integers then, in the full parse
    if colons is None:
        colons = text.count(":")
    try:
        counting = _spares.pop()
    except IndexError:
        counting = _Counting()
    counting.kept[0] = 0
    try:
        with headroom():
            value = counting.decoder.decode(text)
    except (json.JSONDecodeError, ValueError, RecursionError):
        # Not JSON, or an integer of too many digits: the full parse says which.
        return None
    else:
        kept = counting.kept[0]
        # Where the colons outnumber the keys (a web address in a string, say): JSON allows
        # only a quote mark or white space before a key's colon, so without white space
        # before any colon, no text has more keys than it has a colon after a quote mark.
        if kept == colons or (kept == text.count('":') and _SPACE_COLON.search(text) is None):
            return (value,)
        return None
    finally:
        _spares.append(counting)


# A JSON string (an escape is a backslash and the next character), and what is not a bracket.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# What each bracket does to the depth, by its byte.
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
# Every byte but the quote mark and the brackets (UTF-8 writes no other character with these bytes).
_NOT_QUOTE_OR_BRACKET = bytes(byte for byte in range(256) if chr(byte) not in '"[]{}')


def _too_deep(text: str, openers: int | None = None) -> bool:
    """Whether lists and objects nest more than MAX_DEPTH deep, counted before parsing.

    The count never recurses, so the answer is the same whatever the
    interpreter's recursion state; brackets inside strings do not count.
    Text with fewer brackets than the bound cannot nest beyond it: nearly
    every document ends at the first line, at C speed. *openers*: the
    text's opening brackets, where already counted.
    """
    if openers is None:
        openers = text.count("[") + text.count("{")
    if openers <= MAX_DEPTH:
        return False
    return max(itertools.accumulate(map(_STEP.__getitem__, _brackets(text))), default=0) > MAX_DEPTH


# Every byte but the opening brackets and the colon (UTF-8 writes these characters with these bytes only).
_NOT_COUNTED = bytes(byte for byte in range(256) if chr(byte) not in "[{:")


def _counts(text: str, data: bytes | None) -> tuple[int, int]:
    """The opening brackets and the colons of *text*; from its UTF-8 *data* where given: one pass, not three."""
    if data is None:
        return text.count("[") + text.count("{"), text.count(":")
    marks = data.translate(None, _NOT_COUNTED)
    return marks.count(b"[") + marks.count(b"{"), marks.count(b":")


def _brackets(text: str) -> bytes:
    """The brackets of *text* outside its strings, in order.

    Without a backslash, a string runs from a quote mark to the next: the
    text split at its quote marks alternates between outside and inside
    (a last quote mark without a partner opens no string). Most of the text
    is dropped first, byte by byte, so that the pieces are few bytes each.
    With a backslash, the strings are found by the regular expression.
    """
    if "\\" in text:
        return _NOT_BRACKET.sub("", _STRING.sub("", text)).encode()
    pieces = text.encode("utf-8", "surrogatepass").translate(None, _NOT_QUOTE_OR_BRACKET).split(b'"')
    outside = pieces[::2]
    if len(pieces) % 2 == 0:
        outside.append(pieces[-1])
    return b"".join(outside)


# A lone surrogate gets into a parsed string only as itself (in str text) or as an
# escape from \ud800 to \udfff (UTF-8 bytes cannot hold one).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def surrogate_free_text(text: str | bytes) -> bool:
    """Whether no string that JSON *text* parses into can hold a lone surrogate; False where unsure.

    The fast reader then reads text without looking for them (see
    ``_fast.fast_reader``). An escaped backslash before ``ud800`` counts as
    an escape here: that costs the look, never a lone surrogate.
    """
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return False
    elif type(text) is bytes:
        data = text
    else:
        return False  # a bytearray or memoryview: rare, read as before
    return b"\\u" not in data or _SURROGATE_ESCAPE.search(data) is None


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
    reason_de = f"{json_reason_de(exc.msg)} (Zeile {exc.lineno}, Spalte {exc.colno})"
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
    that hours keep every digit the file gives (``33.3`` stays ``33.3``); one
    that decimal cannot hold becomes a marker its field reports.
    """
    data = text if type(text) is bytes else None
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, [_invalid(f"not UTF-8 (byte {exc.start})", f"kein UTF-8 (Byte {exc.start})")]
    # A byte-order mark says nothing about the data; Windows tools write one.
    text = text.removeprefix(_BOM)
    if not text.strip(_JSON_WHITESPACE):
        return None, [_invalid("it is empty (no JSON value at all)", "es ist leer (gar kein JSON-Wert)")]
    openers, colons = _counts(text, data)
    if _too_deep(text, openers):
        return None, [
            _invalid(
                f"nested more than {MAX_DEPTH} levels deep",
                f"mehr als {MAX_DEPTH} Ebenen tief verschachtelt",
            )
        ]
    quick = _quickly(text, colons)
    if quick is not None:
        return quick[0], []
    return _parse_in_full(text)


def _parse_in_full(text: str) -> tuple[Any, list[Problem]]:
    """:func:`parse` of the text as it stands, with the hook that finds and places repeated keys."""
    repeats_before = _repeats_seen
    try:
        with headroom():
            value = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        return None, [_decode_problem(text, exc)]
    except ValueError:
        # read_int, or int() under the default limit, refuses a number of too many digits.
        return None, [
            _invalid(
                f"an integer of more than {MAX_INT_DIGITS} digits",
                f"eine ganze Zahl mit mehr als {MAX_INT_DIGITS} Ziffern",
            )
        ]
    problems = list(_repeated_keys(value)) if _repeats_seen != repeats_before else []
    return value, problems
