"""The indented writer of ``dumps()`` writes exactly what ``json.dumps(..., indent=...)`` writes.

``dumps()`` indents by 2 by default; the standard library would write that with
its slow pure-Python encoder, ``willkommen._indented`` writes it without. The
text must stay byte for byte the same for every document and every value, and
``dumps()`` must refuse exactly what it refused before.
"""

import json
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
from willkommen import Alliance, ValidationError
from willkommen import _accelerator as accelerator
from willkommen._example import example_document
from willkommen._indented import indented
from willkommen.testing import alliances


def reference(value: Any, indent: int) -> str:
    """What dumps() wrote before: the standard library's indented encoder."""
    return json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)


# Text of every kind: non-ASCII, control characters, quotes and backslashes,
# line separators, astral characters and lone surrogates.
_ODD_TEXT = st.text(
    st.one_of(
        st.characters(codec=None),
        st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "\u2028", "\u2029", "\ud800", "\udfff", "𝄞", "é"]),
    ),
    max_size=12,
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    _ODD_TEXT,
)
# Nested lists and objects of those (st.deferred: a value refers to itself).
_PLAIN: st.SearchStrategy[Any] = st.deferred(
    lambda: _SCALARS | st.lists(_PLAIN, max_size=4) | st.dictionaries(_ODD_TEXT, _PLAIN, max_size=4)
)


@given(_PLAIN, st.sampled_from([2, 0, 4, 1]))
def test_plain_values_are_written_as_json_writes_them(value: Any, indent: int) -> None:
    """Any plain JSON value, odd strings and big integers included, gives json's indented text."""
    assert indented(value, indent) == reference(value, indent)


@pytest.mark.skipif(not accelerator.installed(), reason="msgspec is not installed: the accelerated writer is not used")
@given(_PLAIN, st.sampled_from([2, 0, 4, 1]))
def test_the_accelerated_writer_writes_as_json_writes(value: Any, indent: int) -> None:
    """With willkommen[fast], msgspec indents the C encoder's text: byte for byte json's, or it declines."""
    text = accelerator.indented(value, indent)
    assert text is None or text == reference(value, indent)
    if indent > 0 and not any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(value, ensure_ascii=False)):
        assert text is not None


@given(alliances())
def test_generated_alliances_are_written_as_before(alliance: Alliance) -> None:
    """dumps() of a generated alliance is the text json's indented encoder writes for its document."""
    assert willkommen.dumps(alliance) == reference(willkommen.dump(alliance), 2)


def test_the_example_is_written_as_before() -> None:
    """The full example, with every kind of field, is written byte for byte as before, in every indent."""
    alliance = willkommen.load(example_document())
    document = willkommen.dump(alliance)
    for indent in (2, 4, 0):
        assert willkommen.dumps(alliance, indent=indent) == reference(document, indent)
    assert willkommen.dumps(alliance, indent=None) == json.dumps(document, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [[]], "d": [{}]},
        [[[1]], {"x": [None, True, False]}],
        {"": ""},
        1.5e300,
        -0.0,
        5e-324,
        10**4000,
        "\x00\x08\x0c\n\r\t\x1f",
    ],
)
def test_edge_values(value: Any) -> None:
    """Empty containers, nesting, extreme floats, a 4,001-digit integer and control characters."""
    assert indented(value, 2) == reference(value, 2)


class _Text(str):
    """A subclass of str: not a plain type, so json itself writes it."""

    __slots__ = ()


@pytest.mark.parametrize(
    "value",
    [
        {"tuple": (1, 2)},
        [_Text("x")],
        {1: "int key"},
        {"decimal-free": [True, 1, {None: 0}]},
    ],
)
def test_values_that_are_not_plain_go_to_json(value: Any) -> None:
    """A tuple, a str subclass or a non-str key is written by json.dumps itself, never differently."""
    assert indented(value, 2) == reference(value, 2)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_infinities_are_refused_as_json_refuses_them(bad: float) -> None:
    """allow_nan=False: a ValueError, as from json.dumps."""
    with pytest.raises(ValueError, match="Out of range float values"):
        indented({"hours": [bad]}, 2)
    with pytest.raises(ValueError, match="Out of range float values"):
        reference({"hours": [bad]}, 2)


def test_an_integer_over_the_callers_limit_is_written_by_dumps_as_before() -> None:
    """Under a caller's int-to-text limit lower than ours, dumps() still writes every digit, indented."""
    alliance = willkommen.load(example_document())
    offering = attrs.evolve(alliance.offerings[0], participants=10**2000)
    alliance = attrs.evolve(alliance, offerings=(offering, *alliance.offerings[1:]))
    expected = reference(willkommen.dump(alliance), 2)
    assert willkommen.dumps(alliance) == expected
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(1000)
    try:
        assert willkommen.dumps(alliance) == expected
    finally:
        sys.set_int_max_str_digits(old)


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (lambda a: _with_name(a, "lone \ud800 surrogate"), [("invalid_value", "/name")]),
        (lambda a: _with_hours(a, Decimal("NaN")), [("type", "/coaching/sessions/0/hours")]),
    ],
)
def test_dumps_refuses_what_it_refused(spoil: Callable[[Alliance], Alliance], expected: list[tuple[str, str]]) -> None:
    """The writable scan still runs first: an object no document can carry is refused, never written."""
    alliance = spoil(willkommen.load(example_document()))
    with pytest.raises(ValidationError) as info:
        willkommen.dumps(alliance)
    with pytest.raises(ValidationError) as by_dump:
        willkommen.dump(alliance)
    assert info.value.problems == by_dump.value.problems
    assert [(p.code, p.path) for p in info.value.problems] == expected


def _with_name(alliance: Alliance, name: str) -> Alliance:
    return attrs.evolve(alliance, name=name)


def _with_hours(alliance: Alliance, hours: Decimal) -> Alliance:
    coaching = alliance.coaching
    assert coaching is not None
    session = attrs.evolve(coaching.sessions[0], hours=hours)
    return attrs.evolve(alliance, coaching=attrs.evolve(coaching, sessions=(session, *coaching.sessions[1:])))
