"""JSON text read quickly gives what the full parse gives, or is left to it.

``_json.parse`` reads a text first without the hook that finds repeated keys
(``_json._quickly``), and keeps that reading only where the text surely had
none. These tests hold the quick reading against the full one
(``_json._parse_in_full``): the same values of the same types, and the same
problems, over junk JSON text, repeated keys at every depth and in every
spelling, numbers at the edges, and lone surrogates; and each check of the
quick reading has a test that fails without it.
"""

import itertools
import json
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
from willkommen import _json
from willkommen._example import example_document
from willkommen._json import surrogate_free_text
from willkommen._limits import MAX_DEPTH, MAX_INT_DIGITS
from willkommen._numbers import OutOfRange
from willkommen._problems import Problem


def _typed(value: Any) -> Any:
    """*value* with the type of every part spelled out: 1, 1.0, True and Decimal(1) compare equal, these do not."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    if isinstance(value, Decimal | OutOfRange | _json.NonFinite):
        return (type(value).__name__, str(value))
    return (type(value).__name__, repr(value))


def _problems(problems: list[Problem]) -> list[tuple[str, str, str, str]]:
    return [(p.code, p.path, p.severity, p.message) for p in problems]


def _in_full(text: str | bytes) -> tuple[Any, list[Problem]]:
    """``parse`` as it was: every text parsed with the hook that finds repeated keys."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_json, "_quickly", lambda *_: None)
        return _json.parse(text)


def assert_as_in_full(text: str) -> None:
    """``parse`` gives what the full parse with the hook gives; the quick reading only where it has no problem."""
    value, problems = _json.parse(text)
    full_value, full_problems = _in_full(text)
    assert _typed(value) == _typed(full_value)
    assert _problems(problems) == _problems(full_problems)
    quick = _json._quickly(text)
    if quick is not None:
        assert not full_problems
        assert _typed(quick[0]) == _typed(full_value)


# --- JSON text of every kind, with repeated keys written out ------------------------

_KEYS = st.sampled_from(["a", "b", "id", "kind", "x:y", 'q"', "ä", "\\", ""])
_STRINGS = st.text(max_size=8) | st.sampled_from(["10:00", ':"a":1', '"a":', "\ud800", "\\u0061", "{}"])
_NUMBERS = st.sampled_from(
    [
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "0.1",
        "1e400",
        "1e-400",
        "1E+2",
        "-0.0",
        "1e9999999999999999999",
        "9007199254740993",
        "123456789.123456789",
        "NaN",
        "Infinity",
        "-Infinity",
    ]
)


def _string_text(text: str, *, escape: bool) -> str:
    r"""*text* as a JSON string, each character escaped as \\uXXXX if asked (a surrogate always is)."""
    if escape:
        return '"' + "".join(f"\\u{ord(c):04x}" for c in text) + '"'
    return '"' + "".join(f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text) + '"'


@st.composite
def _texts(draw: st.DrawFn, depth: int = 0) -> str:
    """JSON text of one value; objects are written pair by pair, so keys repeat, in any spelling."""
    kinds = ["number", "string", "literal"] + (["list", "object", "object"] if depth < 4 else [])
    kind = draw(st.sampled_from(kinds))
    space = draw(st.sampled_from(["", " ", "\n  "]))
    if kind == "number":
        return draw(_NUMBERS)
    if kind == "string":
        return _string_text(draw(_STRINGS), escape=draw(st.booleans()))
    if kind == "literal":
        return draw(st.sampled_from(["true", "false", "null"]))
    if kind == "list":
        items = draw(st.lists(_texts(depth + 1), max_size=4))
        return "[" + f",{space}".join(items) + "]"
    pairs = draw(st.lists(st.tuples(_KEYS, st.booleans(), _texts(depth + 1)), max_size=5))
    colon = draw(st.sampled_from([":", ": ", " : "]))
    return "{" + f",{space}".join(f"{_string_text(k, escape=e)}{colon}{v}" for k, e, v in pairs) + "}"


@given(_texts())
def test_any_json_text_parses_as_in_full(text: str) -> None:
    """Generated JSON text, repeated keys in any spelling and at any depth included: the same values and problems."""
    assert_as_in_full(text)


@given(st.text() | _texts())
def test_brackets_and_colons_count_alike_in_text_and_in_its_bytes(text: str) -> None:
    """The one-pass count over UTF-8 bytes gives what the counts over the text give."""
    assert _json._counts(text, text.encode("utf-8", "surrogatepass")) == _json._counts(text, None)
    assert _json._counts(text, None) == (text.count("[") + text.count("{"), text.count(":"))


@given(_texts(), st.integers(0, 50), st.sampled_from([",", ":", "}", "]", '"', "\\", "{", "x", "\x00", ""]))
def test_damaged_json_text_parses_as_in_full(text: str, at: int, token: str) -> None:
    """The same text with a character put in or taken out: the same answer, invalid_json included."""
    at = min(at, len(text))
    assert_as_in_full(text[:at] + token + text[at:])
    assert_as_in_full(text[:at] + text[at + 1 :])


@given(st.text(max_size=40))
def test_any_text_at_all_parses_as_in_full(text: str) -> None:
    """Text that is rarely JSON: the same problem as the full parse."""
    assert_as_in_full(text)


# --- repeated keys: at every depth, in every spelling --------------------------------


def _objects(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every object in a document."""
    if isinstance(node, dict):
        yield path
        for key, child in node.items():
            yield from _objects(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _objects(child, (*path, index))


def _pointer(path: tuple[str | int, ...]) -> str:
    return "".join(f"/{part}" for part in path)


_MARK = "repeated-key-goes-here"


def _with_repeat(document: dict[str, Any], path: tuple[str | int, ...], repeat: str) -> str:
    """The document's text with *repeat* (pairs text) put first into the object at *path*."""
    copy: Any = json.loads(json.dumps(document))
    node = copy
    for part in path:
        node = node[part]
    marked = {_MARK: None, **node}
    node.clear()
    node.update(marked)
    return json.dumps(copy, ensure_ascii=False).replace(f'"{_MARK}": null', repeat, 1)


def _document() -> dict[str, Any]:
    return willkommen.dump(willkommen.load(example_document()))


@pytest.mark.parametrize(
    ("repeat", "key"),
    [
        ('"k": 1, "k": 2', "k"),
        # The same key, once escaped: two spellings of one key.
        ('"a": 1, "\\u0061": 2', "a"),
        ('"\\u00e4": 1, "ä": 2', "ä"),
        # A colon in a string beside it: a colon more than keys, a key fewer than colons.
        ('"k": "10:00", "k": 2', "k"),
        ('"k": "\\u003a", "k": 2', "k"),
        ('"k" : 1, "k" :2', "k"),
    ],
)
def test_a_repeated_key_is_found_in_every_object(repeat: str, key: str) -> None:
    """In every object of the complete example document, a repeated key is reported at its path."""
    document = _document()
    for path in _objects(document):
        text = _with_repeat(document, path, repeat)
        for form in (text, text.encode()):
            value, problems = _json.parse(form)
            assert value is not None
            assert [(p.code, p.path) for p in problems] == [("duplicate_key", f"{_pointer(path)}/{key}")], text
        assert _json._quickly(text) is None
        assert_as_in_full(text)


def test_keys_inside_string_values_are_no_keys() -> None:
    """A string that looks like an object with repeated keys is text: no problem, and the same value."""
    text = '{"note": "{\\"a\\": 1, \\"a\\": 2}", "other": "\\"b\\":\\"b\\":"}'
    value, problems = _json.parse(text)
    assert problems == []
    assert value == {"note": '{"a": 1, "a": 2}', "other": '"b":"b":'}
    assert_as_in_full(text)


def test_a_text_without_repeats_is_read_quickly() -> None:
    """The typical text (no colon in a string) needs no second parse: the quick reading is kept."""
    text = json.dumps(_document(), ensure_ascii=False)
    assert _json._quickly(text) is not None
    assert_as_in_full(text)


def test_a_text_with_colons_in_strings_is_read_quickly_where_no_space_precedes_a_colon() -> None:
    """A web address in a string: more colons than keys, but every key's colon follows its quote mark."""
    document = _document()
    document["partners"][0]["name"] = "https://example.org"
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    assert _json._quickly(text) is not None
    assert_as_in_full(text)
    # With a colon after white space, only the full parse can tell.
    spaced = json.dumps(document, ensure_ascii=False, separators=(", ", " : "))
    assert _json._quickly(spaced) is None
    assert_as_in_full(spaced)


@pytest.mark.parametrize(
    "text",
    [
        # As many colons after a quote mark as kept keys (one of them in a string), and a repeat.
        '{"a":"b", "k" :1, "k" :2, "c":"\\":"}',
        '{"a":"b", "k"\n:1, "k"\t:2, "c":"\\":"}',
        '{"a":"b", "k"\r:1, "k"\r:2, "c":"\\":"}',
    ],
)
def test_a_repeat_behind_white_space_and_a_colon_in_a_string_is_found(text: str) -> None:
    """The second count holds only without white space before a colon: else a repeat would hide behind it."""
    value, problems = _json.parse(text)
    assert value == {"a": "b", "k": 2, "c": '":'}
    assert [(p.code, p.path) for p in problems] == [("duplicate_key", "/k")]
    assert _json._quickly(text) is None


def test_the_count_of_kept_keys_is_the_parse_of_its_own() -> None:
    """A parse inside a parse (a number's reader reading a text) never adds its keys to the other's count.

    With one count for all, the inner text's key would make up for the key the
    outer text lost to its repeat, and the repeat would go unreported.
    """
    inner = '{"y": 1}'
    seen: list[tuple[Any, list[Problem]]] = []

    def reading_another(text: str) -> Decimal:
        seen.append(_json.parse(inner))
        return Decimal(text)

    spares = list(_json._spares)
    _json._spares.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_json, "read_decimal", reading_another)
        value, problems = _json.parse('{"x": 1.5, "x": 2}')
    _json._spares[:] = spares
    assert seen == [({"y": 1}, [])]
    assert value == {"x": 2}
    assert [(p.code, p.path) for p in problems] == [("duplicate_key", "/x")]


# --- numbers at the edges -------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["1e9999999999999999999", "-1e-9999999999999999999", "0.1", "1e400", "NaN", "-Infinity", "9" * MAX_INT_DIGITS],
)
def test_numbers_at_the_edges_read_as_in_full(number: str) -> None:
    """A number beyond decimal, beyond float, NaN, the longest integer: the same value or marker."""
    assert_as_in_full(f'{{"n": {number}, "m": [{number}]}}')


def test_an_integer_over_the_limit_is_refused_under_any_setting() -> None:
    """Under a higher int/str limit than ours, the quick reading leaves integers to read_int, which refuses.

    int() under that limit would read the integer and the document would pass.
    """
    text = '{"n": ' + "9" * (MAX_INT_DIGITS + 1) + "}"
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(MAX_INT_DIGITS * 2)
    try:
        assert _json._quickly(text) is None
        value, problems = _json.parse(text)
        ok_value, ok_problems = _json.parse('{"n": ' + "9" * MAX_INT_DIGITS + "}")
    finally:
        sys.set_int_max_str_digits(before)
    assert value is None
    assert [p.code for p in problems] == ["invalid_json"]
    assert ok_value == {"n": int("9" * MAX_INT_DIGITS)}
    assert ok_problems == []


def test_lone_surrogates_stay_in_the_text_for_the_reader() -> None:
    r"""A lone surrogate ("\ud800") is read into the string as the full parse does; the reader reports it."""
    text = '{"a": "x\\ud800", "\\udfff": 1}'
    assert_as_in_full(text)
    value, _ = _json.parse(text)
    assert value == {"a": "x\ud800", "\udfff": 1}


# --- text that cannot carry a lone surrogate -------------------------------------


def _strings(value: Any) -> Iterator[str]:
    """Every string in a parsed value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@given(_texts(), st.sampled_from(["", "\ud800", "\udfff", "\\ud800", "\\udc00", "\\\\ud800", "\\uD7FF", "\\ue000"]))
def test_text_said_to_be_free_of_lone_surrogates_parses_without_one(text: str, extra: str) -> None:
    """Where surrogate_free_text says so, no string the text parses into holds a lone surrogate, str or bytes."""
    text = text.replace('"', '"' + extra, 1) if '"' in text else text
    for form in (text, text.encode("utf-8", "surrogatepass")):
        value, _ = _json.parse(form)
        if surrogate_free_text(form):
            assert not any(_has_lone_surrogate(s) for s in _strings(value)), form


@pytest.mark.parametrize(
    ("text", "free"),
    [
        ('{"a": "\\u00e4", "b": "ä"}', True),
        ('{"a": "\\ud7ff \\ue000"}', True),
        ('{"a": "\\ud800"}', False),
        ('{"a": "\\uDC00"}', False),
        ('{"\\udbff": 1}', False),
        ('{"a": "\ud800"}', False),
        (b'{"a": "\\udfff"}', False),
        (b'{"a": "\\u0041"}', True),
        (bytearray(b"{}"), False),
    ],
)
def test_surrogate_free_text_looks_at_escapes_and_characters(text: str | bytes, *, free: bool) -> None:
    r"""Escapes from \ud800 to \udfff, in any case, and lone surrogates in str text; anything else is free."""
    assert surrogate_free_text(text) is free


# --- nesting depth, counted before parsing ------------------------------------------


def _depth_by_expression(text: str) -> bool:
    """The nesting count as it was: strings dropped by the regular expression, then the brackets counted."""
    brackets = re.sub(r"[^\[\]{}]+", "", re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text, flags=re.DOTALL))
    return max(itertools.accumulate(1 if b in "[{" else -1 for b in brackets), default=0) > MAX_DEPTH


_PIECES = st.sampled_from(['"', "[", "]", "{", "}", "\\", '\\"', "\\\\", "a", "ä", "\ud800", ":", ",", "[[", "]]"])


@given(st.lists(_PIECES, max_size=30), st.integers(MAX_DEPTH - 3, MAX_DEPTH + 3), st.lists(_PIECES, max_size=30))
def test_nesting_is_counted_as_the_regular_expression_counts_it(head: list[str], deep: int, tail: list[str]) -> None:
    """Any text near the bound, quote marks and backslashes anywhere: too deep exactly where the expression says.

    Without a backslash the quote marks are counted instead; with one the expression runs.
    """
    for opener, closer in (("[", "]"), ("{", "}"), ('["', '"]')):
        text = "".join(head) + opener * deep + "".join(tail) + closer * deep
        assert _json._too_deep(text) is _depth_by_expression(text), text
        assert _json._too_deep(text.replace("\\", "")) is _depth_by_expression(text.replace("\\", "")), text


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), True),
        ("[" * MAX_DEPTH + "]" * MAX_DEPTH, False),
        # Brackets inside a string do not count, nor does an escaped quote mark end it.
        ('["' + "[" * MAX_DEPTH + '"]', False),
        ('["\\"' + "[" * MAX_DEPTH + '"]', False),
        ('"' + "]" * 10 + '"' + "[" * (MAX_DEPTH + 1), True),
        # A quote mark without a partner opens no string.
        ("[" * (MAX_DEPTH + 1) + '"', True),
        ('"' + "[" * (MAX_DEPTH + 1), True),
    ],
)
def test_nesting_at_the_bound(text: str, *, deep: bool) -> None:
    """One level over the bound is too deep; brackets in strings are text."""
    assert _json._too_deep(text) is deep
    assert _depth_by_expression(text) is deep
