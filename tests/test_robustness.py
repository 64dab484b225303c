"""Robustness: any input gets an answer, never a crash, a hang or a silent change of the data.

What this file promises (``docs/robustness.md`` says it in prose):

* ``check`` never raises for any data, JSON or junk Python objects;
* ``load`` and ``loads`` raise nothing but :class:`willkommen.ValidationError`,
  or return an object that has no errors and writes back unchanged;
* hostile input (deep nesting, huge numbers, huge strings, broken UTF-8,
  repeated keys, ``NaN``) is answered with problems that carry codes and
  paths, in bounded time;
* round trips keep every value exactly: unicode unnormalised, decimals
  exact, lists in order, a subclass's fields.

Mutation tests (single, targeted changes of valid documents) are in
``test_mutations.py``, the differential test against the JSON Schema in
``test_schema_differential.py``, and the command line under hostile input in
``test_cli_robustness.py``.
"""

import contextlib
import datetime as dt
import json
import sys
import time
import tracemalloc
import types
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from willkommen import Alliance, Problem, Severity, ValidationError
from willkommen._example import example_document
from willkommen.nrw import NrwAlliance, ResidenceStatus, TargetGroup
from willkommen.testing import alliances, nrw_alliances

EXAMPLES = Path(__file__).parent.parent / "examples"

# --- bounds -------------------------------------------------------------------

# The profile in conftest.py sets how many examples a test gets (CI: 60, dev:
# 100, thorough: 2000). These tests are heavier than most, so they take a share
# of it; HYPOTHESIS_PROFILE=thorough still scales them up.
_PROFILE_EXAMPLES = settings().max_examples


def _bounded(percent: int) -> settings:
    return settings(
        max_examples=max(10, _PROFILE_EXAMPLES * percent // 100),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Wall-clock bound for one hostile input. Each of them is answered in well under
# a second on a 2-core machine; the margin is for slow CI runners.
_SECONDS = 10.0
# Peak memory bound for one hostile input, as a multiple of its own size.
_MEMORY_FACTOR = 8
# The longest message a problem may carry, whatever the input: values are quoted shortened.
_MESSAGE_LIMIT = 1000


@contextlib.contextmanager
def _bounded_time(seconds: float = _SECONDS) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s"


# --- JSON Pointer helpers -------------------------------------------------------


def _tokens(pointer: str) -> list[str]:
    assert pointer == "" or pointer.startswith("/"), pointer
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _resolve(document: object, pointer: str) -> object:
    """The value at an RFC 6901 pointer; LookupError if there is none."""
    node = document
    for token in _tokens(pointer):
        if isinstance(node, list | tuple):
            if not token.isdigit():
                raise LookupError(pointer)
            node = node[int(token)]
        elif isinstance(node, Mapping):
            node = node[token]
        else:
            raise LookupError(pointer)  # noqa: TRY004 - a pointer that leads nowhere, not a wrong argument
    return node


def _at_or_below(path: str, place: str) -> bool:
    """Whether *path* is *place* or inside it, component by component."""
    return _tokens(path)[: len(_tokens(place))] == _tokens(place)


def _codes(problems: tuple[Problem, ...] | list[Problem]) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in problems}


def _errors(problems: tuple[Problem, ...] | list[Problem]) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in problems if p.is_error}


def _attempt(read: Callable[[], object]) -> tuple[object, tuple[Problem, ...]]:
    """What a read gave: the value and no problems, or None and the problems it raised."""
    try:
        return read(), ()
    except ValidationError as exc:
        return None, exc.problems


def _refused(text: str | bytes) -> tuple[Problem, ...]:
    """The problems loads() raises for *text*; fails the test if it returns."""
    with pytest.raises(ValidationError) as info:
        willkommen.loads(text)
    return info.value.problems


# --- what every answer must look like -----------------------------------------


def _assert_well_formed(problems: list[Problem] | tuple[Problem, ...], data: object | None = None) -> None:
    """Every problem has a known code, a JSON Pointer path, a severity and short messages.

    With *data* (JSON-shaped, string keys), every path names a place in it: the
    value itself, or for ``missing`` the object that lacks the key.
    """
    known_codes = {r.code for r in willkommen.rules.catalogue()}  # now: other tests may register rules
    for problem in problems:
        assert problem.code in known_codes, problem
        assert isinstance(problem.severity, Severity)
        assert problem.path == "" or problem.path.startswith("/"), problem
        assert len(problem.message) <= _MESSAGE_LIMIT, problem.message[:200]
        assert len(problem.message_de) <= _MESSAGE_LIMIT, problem.message_de[:200]
        if data is None:
            continue
        if problem.code == "missing":
            parent = problem.path.rsplit("/", 1)[0]
            assert isinstance(_resolve(data, parent), Mapping), problem
        elif problem.code != "invalid_json":
            _resolve(data, problem.path)


def _assert_answers(data: object) -> None:
    """check() never raises; load() raises ValidationError exactly when check() finds an error.

    What load() returns has no errors and survives a round trip through
    UTF-8 JSON text unchanged.
    """
    problems = willkommen.check(data)
    _assert_well_formed(problems, data)
    value, refused = _attempt(lambda: willkommen.load(data))
    if refused:
        assert refused == tuple(problems)
        assert any(p.is_error for p in refused)
        return
    assert not any(p.is_error for p in problems)
    _assert_valid_and_writable(value)


def _assert_valid_and_writable(value: object) -> None:
    assert isinstance(value, Alliance)
    assert not any(p.is_error for p in willkommen.check(value))
    assert willkommen.loads(willkommen.dumps(value).encode("utf-8")) == value


def _assert_loads_answers(text: str | bytes) -> None:
    """loads() raises ValidationError with at least one error, or returns a valid, writable object."""
    value, refused = _attempt(lambda: willkommen.loads(text))
    if refused:
        assert any(p.is_error for p in refused)
        _assert_well_formed(refused)
        return
    _assert_valid_and_writable(value)


# --- strategies -------------------------------------------------------------------

# Keys and words the model knows, so that random data often looks like a document.
_MODEL_CLASSES: tuple[type, ...] = (
    Alliance,
    NrwAlliance,
    willkommen.Person,
    willkommen.LocalAuthority,
    willkommen.Partner,
    willkommen.Goal,
    willkommen.Measure,
    willkommen.Offering,
    willkommen.CoachingSession,
    willkommen.ProcessCoaching,
    willkommen.CooperationAgreement,
    willkommen.Consultation,
    TargetGroup,
)
_FIELD_NAMES = sorted({f.name for cls in _MODEL_CLASSES for f in attrs.fields(cls)})
_WORDS = sorted(
    {
        str(member.value)
        for enum_class in (
            willkommen.AllianceOrigin,
            willkommen.CoachingTask,
            willkommen.Horizon,
            willkommen.MeasureStatus,
            willkommen.LocalAuthorityKind,
            willkommen.OfferingType,
            willkommen.PartnerKind,
            willkommen.State,
            willkommen.Theme,
            ResidenceStatus,
        )
        for member in enum_class
    }
    | {p.id for p in willkommen.programs.registered()}
    | {o.id for p in willkommen.programs.registered() for o in p.service_offices}
    | {"nrw-alliance", "2017-09-26", "2015-05-28", "2018-12-31", "2017-02-30", "14625", "05316000"}
)
_KEYS = st.sampled_from([*_FIELD_NAMES, "schema_version", "$type"]) | st.text(max_size=8)

# Integers: small, any size Hypothesis likes, and huge (up to what JSON text can carry: 4300 digits).
_JSON_INTEGERS = st.integers() | st.integers(1, 4300).flatmap(
    lambda digits: st.sampled_from([10**digits - 1, -(10**digits - 1)])
)
_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | _JSON_INTEGERS
    | st.floats()  # NaN and infinities too: json.dumps writes them as NaN and Infinity
    | st.text()
    | st.sampled_from(_WORDS)
)


def _deepen(value: object, depth: int, use_dicts: bool) -> object:
    for _ in range(depth):
        value = {"coach": value} if use_dicts else [value]
    return value


def _json_values(scalars: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Any JSON value: nested lists and objects with arbitrary keys, some of them deep."""
    values = st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=5) | st.dictionaries(_KEYS, children, max_size=6),
        max_leaves=30,
    )
    deep = st.builds(_deepen, values, st.integers(20, 300), st.booleans())
    return values | deep


JSON_VALUES = _json_values(_JSON_SCALARS)
# What check() and load() may meet from Python: also non-finite Decimals and
# integers too long for JSON text (10,000 digits).
PYTHON_VALUES = _json_values(
    _JSON_SCALARS
    | st.decimals()
    | st.integers(4301, 10_000).flatmap(lambda digits: st.sampled_from([10**digits - 1, -(10**digits)]))
)


def _places(node: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place in a JSON document: each value's path."""
    yield path
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _places(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _places(child, (*path, index))


def _replace(document: Any, path: tuple[str | int, ...], value: object) -> Any:
    if not path:
        return value
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return document


@st.composite
def _near_valid_documents(draw: st.DrawFn, values: st.SearchStrategy[object]) -> Any:
    """A valid document with one value replaced, or one key added, by an arbitrary value."""
    document = willkommen.dump(draw(alliances()))
    places = list(_places(document))
    path = draw(st.sampled_from(places))
    if draw(st.booleans()) and isinstance(node := _resolve_path(document, path), dict):
        node[draw(_KEYS)] = draw(values)
        return document
    return _replace(document, path, draw(values))


def _put(document: Any, pointer: str, value: object) -> Any:
    """*document* with the value at *pointer* replaced (or its last key added); the whole value if ``""``."""
    node = document
    tokens = _tokens(pointer)
    if not tokens:
        return value
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if isinstance(node, list):
        node[int(tokens[-1])] = value
    else:
        node[tokens[-1]] = value
    return document


def _resolve_path(document: object, path: tuple[str | int, ...]) -> object:
    node: Any = document
    for part in path:
        node = node[part]
    return node


def _top_level_documents(values: st.SearchStrategy[object]) -> st.SearchStrategy[dict[str, object]]:
    """An object with schema_version 2 and any of the alliance's keys, holding arbitrary values."""
    return st.fixed_dictionaries(
        {"schema_version": st.just(2)},
        optional=dict.fromkeys((f.name for f in attrs.fields(Alliance)), values),
    )


# --- any value: check never raises, load only refuses ----------------------------


@_bounded(100)
@given(JSON_VALUES | _near_valid_documents(JSON_VALUES) | _top_level_documents(JSON_VALUES))
def test_any_json_value_gets_an_answer(data: object) -> None:
    """Any JSON value: check() returns problems, load() raises only ValidationError.

    Problems are well formed and point into the data; whatever load() accepts is
    valid and writes back unchanged.
    """
    _assert_answers(data)


@_bounded(100)
@given(PYTHON_VALUES | _near_valid_documents(PYTHON_VALUES) | _top_level_documents(PYTHON_VALUES))
def test_any_python_value_of_json_types_gets_an_answer(data: object) -> None:
    """The same for Python data: Decimals (NaN too) and integers too long for JSON text."""
    _assert_answers(data)


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@_bounded(100)
@given((JSON_VALUES | _near_valid_documents(JSON_VALUES) | _top_level_documents(JSON_VALUES)).map(_json_text))
def test_any_json_text_gets_an_answer(text: str) -> None:
    """loads() of any JSON text (NaN and Infinity included) raises only ValidationError, as str and as bytes."""
    _assert_loads_answers(text)
    _assert_loads_answers(text.encode("utf-8"))


@st.composite
def _damaged_texts(draw: st.DrawFn) -> bytes:
    """A valid document's UTF-8 text, truncated, or with bytes changed, inserted or removed."""
    text = willkommen.dumps(draw(alliances()), indent=draw(st.none() | st.just(2))).encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["truncate", "change", "insert", "remove"]))
        if how == "truncate":
            text = text[:at]
        elif how == "change":
            text = text[:at] + draw(st.binary(min_size=1, max_size=3)) + text[at + 1 :]
        elif how == "insert":
            token = draw(st.sampled_from([b"{", b"}", b"[", b",", b'"', b"\\", b"NaN", b"\xff", b"\x00"]))
            text = text[:at] + token + text[at:]
        else:
            text = text[:at] + text[at + 3 :]
    return text


@_bounded(100)
@given(st.text() | st.binary() | _damaged_texts())
def test_any_text_or_bytes_gets_an_answer(text: str | bytes) -> None:
    """loads() of arbitrary text or bytes, and of damaged documents, raises only ValidationError."""
    _assert_loads_answers(text)


class _Unprintable:
    """A value whose str() and repr() both fail."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __hash__(self) -> int:
        return 0


# Python objects that are no JSON value, or JSON values in Python types JSON does not have.
JUNK: list[object] = [
    object(),
    {1, 2},
    frozenset({"a"}),
    b"bytes",
    bytearray(b"bytes"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    float("inf"),
    float("nan"),
    (1, 2),
    1 + 2j,
    range(3),
    Ellipsis,
    type,
    len,
    dt.date(2017, 9, 26),
    types.MappingProxyType({"name": "x"}),
    _Unprintable(),
]
# Places where none of the junk values can be acceptable.
JUNK_PLACES = ["", "/name", "/founded_on", "/partners/0", "/offerings/0/participants", "/coaching/sessions/0/hours"]


@pytest.mark.parametrize("place", JUNK_PLACES)
@pytest.mark.parametrize("index", range(len(JUNK)), ids=[type(j).__name__ for j in JUNK])
def test_junk_python_objects_are_problems(index: int, place: str) -> None:
    """Sets, bytes, non-finite numbers, tuples and the like get a problem at their place; nothing raises."""
    junk = JUNK[index]  # by index: pytest cannot show a parameter whose repr() fails
    document = _put(example_document(), place, junk)
    problems = willkommen.check(document)
    _assert_well_formed(problems)
    # At the place, or below it (a Mapping at the top is read as a document).
    assert any(p.is_error and _at_or_below(p.path, place) for p in problems), _codes(problems)
    with pytest.raises(ValidationError):
        willkommen.load(document)


class _UnprintableKey:
    """A key whose str() fails (its repr() works, so that pytest can show a failure)."""

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __hash__(self) -> int:
        return 0


JUNK_KEYS: list[object] = [1, None, (1, 2), b"key", frozenset(), 1.5, _UnprintableKey()]


@pytest.mark.parametrize("place", ["", "/partners/0", "/coaching"])
@pytest.mark.parametrize("index", range(len(JUNK_KEYS)), ids=[type(k).__name__ for k in JUNK_KEYS])
def test_keys_that_are_not_strings_are_unknown_keys(index: int, place: str) -> None:
    """A key of another type than str is an unknown_key in its object, even when it cannot be printed."""
    key = JUNK_KEYS[index]  # by index: pytest cannot show a parameter whose repr() fails
    document = example_document()
    node = _resolve(document, place)
    assert isinstance(node, dict)
    node[key] = "value"
    problems = willkommen.check(document)
    _assert_well_formed(problems)
    assert any(p.code == "unknown_key" and p.path.rsplit("/", 1)[0] == place for p in problems), _codes(problems)


# --- hostile input, one test each ------------------------------------------------------

_DEPTH = 100_000


def test_nesting_100000_deep_as_text() -> None:
    """Lists and objects nested 100,000 deep are invalid_json at the document, fast, as text and as bytes."""
    texts = ["[" * _DEPTH + "]" * _DEPTH, '{"a":' * _DEPTH + "1" + "}" * _DEPTH]
    document = json.dumps(example_document())
    # Deep inside an otherwise valid document too.
    texts.append(document.replace('"name": "Landkreis Bautzen"', '"name": ' + texts[0], 1))
    for text in texts:
        with _bounded_time():
            assert _codes(_refused(text)) == {("invalid_json", "")}
            assert _codes(_refused(text.encode())) == {("invalid_json", "")}


def _deep_list(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def _deep_dict(depth: int, key: str = "a") -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {key: value}
    return value


def test_nesting_100000_deep_as_python_data() -> None:
    """Python structures 100,000 deep get problems at the place they stand, without recursing into them."""
    deep_list, deep_dict = _deep_list(_DEPTH), _deep_dict(_DEPTH)
    cases: list[tuple[str, object, set[tuple[str, str]]]] = [
        ("", deep_list, {("type", "")}),
        ("", deep_dict, {("missing", "/schema_version")}),
        ("/name", deep_list, {("type", "/name")}),
        ("/partners/0/contacts", deep_list, {("type", "/partners/0/contacts/0")}),
        ("/partners/0/contacts/0", _deep_dict(_DEPTH, "name"), {("type", "/partners/0/contacts/0/name")}),
        ("/coaching/coach", _deep_dict(_DEPTH, "coach"), {("unknown_key", "/coaching/coach/coach")}),
        ("/goals/0/extra", deep_dict, {("unknown_key", "/goals/0/extra")}),
    ]
    for place, deep, expected in cases:
        document = _put(example_document(), place, deep)
        with _bounded_time():
            problems = willkommen.check(document)
            _assert_well_formed(problems)
            assert expected <= _errors(problems)
            with pytest.raises(ValidationError):
                willkommen.load(document)


_TEN_THOUSAND_DIGITS = 10**10_000 - 1


def test_an_integer_of_10000_digits_as_text() -> None:
    """JSON text with a 10,000-digit number (over Python's int/str limit) is invalid_json, not a ValueError."""
    digits = str(9) * 10_000
    with_digits = json.dumps(example_document()).replace('"participants": 12', '"participants": ' + digits, 1)
    assert digits in with_digits
    for text in (digits, with_digits, "-" + digits, f'{{"schema_version": {digits}}}'):
        with _bounded_time():
            problems = _refused(text)
        assert _codes(problems) == {("invalid_json", "")}
        _assert_well_formed(problems)


# A 10,000-digit Python int in fields of each kind, and what must be reported there.
HUGE_INT_PLACES: list[tuple[str, set[str]]] = [
    ("/schema_version", {"invalid_value"}),
    ("/partners/0/name", {"type"}),
    ("/coaching/hours_budget", {"invalid_value"}),
    ("/coaching/sessions/0/hours", {"invalid_value"}),
    # An analysis workshop: the participants rule looks at the number.
    ("/offerings/0/participants", {"offering.participants", "invalid_value"}),
]


@pytest.mark.parametrize(("place", "codes"), HUGE_INT_PLACES, ids=[p for p, _ in HUGE_INT_PLACES])
@pytest.mark.parametrize("sign", [1, -1])
def test_an_integer_of_10000_digits_in_a_field(place: str, codes: set[str], sign: int) -> None:
    """A 10,000-digit Python int in a field gets a problem at its path; its message names it shortly."""
    document = _put(example_document(), place, sign * _TEN_THOUSAND_DIGITS)
    with _bounded_time():
        problems = willkommen.check(document)
    _assert_well_formed(problems)
    assert {p.code for p in problems if p.path == place} & codes, _codes(problems)


@pytest.mark.parametrize("place", ["/offerings/1/participants", "/target_group/count"])
def test_whatever_load_accepts_with_a_huge_integer_can_be_written(place: str) -> None:
    """A 10,000-digit int where any int is allowed is refused at its path, or loads and writes back unchanged.

    JSON text cannot carry more than 4300 digits (Python's int/str limit), so
    an object holding more could never be written by dumps().
    """
    document = willkommen.nrw.example_document() if place.startswith("/target") else example_document()
    document = _put(document, place, _TEN_THOUSAND_DIGITS)
    with _bounded_time():
        value, refused = _attempt(lambda: willkommen.load(document, Alliance))
        if refused:
            assert any(p.is_error and p.path == place for p in refused), _codes(refused)
            return
        assert willkommen.loads(willkommen.dumps(value)) == value


_TEN_MB = 10 * 1024 * 1024


@contextlib.contextmanager
def _bounded_memory(size: int) -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < _MEMORY_FACTOR * size, f"peak {peak / 1e6:.0f} MB"


# Where a 10 MB string is wrong, and the code it gets there.
BIG_STRING_PLACES: list[tuple[str, str]] = [
    ("/partners/0/kind", "invalid_value"),
    ("/founded_on", "invalid_date"),
    ("/lead", "alliance.unknown_lead"),
    ("/measures/0/goals/0", "measure.unknown_goal"),
    ("/program", "invalid_value"),
    ("/schema_version", "type"),
    ("/local_authorities/0/ags", "local_authority.ags_format"),
]


@pytest.mark.parametrize(("place", "code"), BIG_STRING_PLACES, ids=[p for p, _ in BIG_STRING_PLACES])
def test_a_10_mb_string_where_it_is_wrong(place: str, code: str) -> None:
    """A 10 MB string is reported at its path within bounded time and memory; the message quotes it shortened."""
    big = "x" * _TEN_MB
    document = _put(example_document(), place, big)
    text = json.dumps(document)
    with _bounded_time(), _bounded_memory(_TEN_MB):
        problems = willkommen.check(document)
        refused = _refused(text)
    for found in (problems, refused):
        assert (code, place) in _errors(found)
        _assert_well_formed(found)


def test_a_10_mb_office_is_a_warning_that_quotes_it_short() -> None:
    """WbF's office list is incomplete: a 10 MB office id is a warning at its path, its message short."""
    document = _put(example_document(), "/consultations/0/office", "x" * _TEN_MB)
    with _bounded_time(), _bounded_memory(_TEN_MB):
        problems = willkommen.check(document)
    assert [(p.code, p.path) for p in problems] == [("consultation.unknown_office", "/consultations/0/office")]
    assert not problems[0].is_error
    _assert_well_formed(problems)


def test_a_10_mb_string_where_it_is_right() -> None:
    """A 10 MB name is valid: it loads within bounded time and memory, and writes back unchanged."""
    big = "ä" * _TEN_MB
    document = example_document()
    document["name"] = big
    text = json.dumps(document, ensure_ascii=False).encode("utf-8")
    with _bounded_time(), _bounded_memory(len(text)):
        alliance = willkommen.loads(text)
    assert alliance.name == big
    assert willkommen.loads(willkommen.dumps(alliance)) == alliance


def test_a_10_mb_unknown_key() -> None:
    """A 10 MB key is an unknown_key whose path names it whole and whose message quotes it shortened."""
    big = "k" * _TEN_MB
    document = example_document()
    document["partners"][0][big] = 1
    with _bounded_time():
        problems = _refused(json.dumps(document))
    assert ("unknown_key", "/partners/0/" + big) in _errors(problems)
    _assert_well_formed(problems)


INVALID_UTF8: list[bytes] = [
    b"\xff",
    b'{"schema_version": 2, "id": "\xc3\x28"}',  # a lead byte without its continuation
    b'{"id": "\xc0\xaf"}',  # an overlong encoding of "/"
    b'{"id": "\xed\xa0\x80"}',  # a UTF-16 surrogate encoded in UTF-8
    b'{"id": "\xf4\x90\x80\x80"}',  # above U+10FFFF
    b"\xff\xfe{\x00}\x00",  # UTF-16 with its byte-order mark
    json.dumps(example_document()).encode("latin-1", "replace")[:-1] + b"\xe4}",  # Latin-1, truncated character
]


@pytest.mark.parametrize("data", INVALID_UTF8)
def test_invalid_utf8_is_invalid_json(data: bytes) -> None:
    """Bytes that are not UTF-8 are one invalid_json problem for the document, never a UnicodeDecodeError."""
    assert _codes(_refused(data)) == {("invalid_json", "")}


def test_a_byte_order_mark_before_valid_json_is_ignored() -> None:
    """A UTF-8 byte-order mark (as Windows tools write it) before a valid document changes nothing."""
    text = willkommen.dumps(willkommen.load(example_document()))
    expected = willkommen.loads(text)
    assert willkommen.loads(b"\xef\xbb\xbf" + text.encode("utf-8")) == expected
    assert willkommen.loads("\ufeff" + text) == expected


def test_a_byte_order_mark_elsewhere_is_not_ignored() -> None:
    """Only one leading mark is dropped: two, or one inside the document, are invalid_json."""
    text = willkommen.dumps(willkommen.load(example_document()))
    assert _codes(_refused("\ufeff\ufeff" + text)) == {("invalid_json", "")}
    assert _codes(_refused(text[:1] + "\ufeff" + text[1:])) == {("invalid_json", "")}


DUPLICATES: list[tuple[str, str]] = [
    ('"schema_version": 2, "schema_version": 2', "/schema_version"),
    ('"id": "bautzen", "id": "bautzen"', "/id"),
    ('"a/b~": 1, "a/b~": 2', "/a~1b~0"),
    ('"": 1, "": 2', "/"),
]


@pytest.mark.parametrize(("pair", "path"), DUPLICATES, ids=[p for _, p in DUPLICATES])
def test_duplicate_keys_are_reported_at_their_path(pair: str, path: str) -> None:
    """A repeated key is duplicate_key at its path, even when both values agree; the rest is still checked."""
    text = json.dumps(example_document())
    assert text.startswith("{")
    problems = _refused("{" + pair + ", " + text[1:])
    assert ("duplicate_key", path) in _errors(problems)
    _assert_well_formed(problems)


def test_duplicate_keys_deep_inside() -> None:
    """A repeated key deep in the document has its full path; repeats in two objects are two problems."""
    text = json.dumps(example_document())
    text = text.replace('"name": "Michael Harig"', '"name": "Michael Harig", "name": "M. Harig"', 1)
    text = text.replace('"hours": 33.4', '"hours": 33.4, "hours": 33.4, "hours": 1', 1)
    problems = _refused(text)
    duplicates = {(p.code, p.path) for p in problems if p.code == "duplicate_key"}
    assert duplicates == {
        ("duplicate_key", "/partners/0/contacts/0/name"),
        ("duplicate_key", "/coaching/sessions/2/hours"),
    }


NON_FINITE_PLACES: list[tuple[str, str]] = [
    ('"participants": 12', "/offerings/0/participants"),
    ('"hours": 33.3', "/coaching/sessions/0/hours"),
    ('"hours_budget": 100', "/coaching/hours_budget"),
    ('"name": "Landkreis Bautzen"', "/local_authorities/0/name"),
    ('"themes": ["school_to_work"]', "/goals/0/themes/0"),
    ('"schema_version": 2', "/schema_version"),
]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(("original", "path"), NON_FINITE_PLACES, ids=[p for _, p in NON_FINITE_PLACES])
def test_nan_and_infinity_are_refused_at_their_path(constant: str, original: str, path: str) -> None:
    """NaN and Infinity are no JSON: a type problem where they stand, whatever the field expects."""
    text = json.dumps(example_document())
    key, value = original.split(": ", 1)
    replacement = f"{key}: [{constant}]" if value.startswith("[") else f"{key}: {constant}"
    assert original in text
    problems = _refused(text.replace(original, replacement, 1))
    assert ("type", path) in _errors(problems)
    _assert_well_formed(problems)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_as_the_whole_document(constant: str) -> None:
    """A document that is just NaN is a type problem at the document."""
    assert _codes(_refused(constant)) == {("type", "")}


# As NaN written in JSON text: not a number JSON has, so "type" where it stands.
NON_FINITE_PYTHON: list[tuple[str, object, str]] = [
    ("/coaching/sessions/0/hours", float("nan"), "type"),
    ("/coaching/sessions/0/hours", Decimal("Infinity"), "type"),
    ("/coaching/hours_budget", Decimal("NaN"), "type"),
    ("/coaching/hours_budget", Decimal("sNaN"), "type"),
    ("/coaching/hours_budget", float("-inf"), "type"),
    ("/offerings/0/participants", float("inf"), "type"),
]


@pytest.mark.parametrize(
    ("place", "value", "code"), NON_FINITE_PYTHON, ids=[f"{p}={v}" for p, v, _ in NON_FINITE_PYTHON]
)
def test_non_finite_python_numbers_are_refused_at_their_path(place: str, value: object, code: str) -> None:
    """Python's NaN and infinities, float or Decimal, are errors at their path."""
    document = _put(example_document(), place, value)
    assert (code, place) in _errors(willkommen.check(document))


@pytest.mark.parametrize("text", ["", b"", " \n\t", b"\r\n", "\ufeff", b"\xef\xbb\xbf"], ids=repr)
def test_an_empty_text_is_invalid_json(text: str | bytes) -> None:
    """An empty file (or only blanks, or only a byte-order mark) is invalid_json at the document."""
    assert _codes(_refused(text)) == {("invalid_json", "")}


def test_escaped_lone_surrogates_are_refused_or_writable() -> None:
    r"""A lone surrogate written as a JSON escape (\ud800) is refused at its path, or loads and writes as UTF-8.

    json reads "\ud800" into a str that UTF-8 cannot encode; if loads()
    accepted it, the object could be checked but never saved as UTF-8.
    """
    document = example_document()
    document["partners"][0]["name"] = "x\ud800y"
    text = json.dumps(document)  # ASCII, the surrogate escaped
    assert "\\ud800" in text
    alliance, refused = _attempt(lambda: willkommen.loads(text))
    if refused:
        assert any(p.is_error and p.path == "/partners/0/name" for p in refused), _codes(refused)
        return
    assert willkommen.loads(willkommen.dumps(alliance).encode("utf-8")) == alliance


# --- no data loss ---------------------------------------------------------------------------


@_bounded(60)
@given(alliances())
def test_round_trips_keep_generated_alliances(alliance: Alliance) -> None:
    """load(dump(x)) == x, loads(dumps(x)) == x, also compact and as UTF-8 bytes with a byte-order mark."""
    assert willkommen.load(willkommen.dump(alliance)) == alliance
    assert willkommen.loads(willkommen.dumps(alliance)) == alliance
    compact = willkommen.dumps(alliance, indent=None).encode("utf-8")
    assert willkommen.loads(compact) == alliance
    assert willkommen.loads(b"\xef\xbb\xbf" + compact) == alliance
    # The document itself is stable: writing what was read gives the same document.
    assert willkommen.dump(willkommen.loads(compact)) == willkommen.dump(alliance)


@given(nrw_alliances())
def test_round_trips_keep_a_subclass_and_its_fields(alliance: NrwAlliance) -> None:
    """A subclass (the NRW alliance) comes back as itself, with its own fields, from dump and from text."""
    assert not any(p.is_error for p in willkommen.check(alliance))
    document = willkommen.dump(alliance)
    assert document["$type"] == "nrw-alliance"
    assert {"coordinating_office", "target_group"} <= document.keys()
    for again in (willkommen.load(document), willkommen.loads(willkommen.dumps(alliance))):
        assert type(again) is NrwAlliance
        assert again == alliance


# Pairs of strings that unicode normalisation (NFC, NFD, NFKC or NFKD) would make equal.
LOOK_ALIKES: list[tuple[str, str]] = [
    ("Caf\u00e9", "Cafe\u0301"),  # é precomposed and decomposed
    ("\u212b", "\u00c5"),  # Angstrom sign and Å
    ("\ufb01le", "file"),  # the ligature fi
    ("\uff21\uff27", "AG"),  # full-width letters
    ("x\u200dy", "xy"),  # a zero-width joiner is a character too
    (" Jugendamt", "Jugendamt "),  # blanks are kept where they are
]


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES, ids=[ascii(a) for a, _ in LOOK_ALIKES])
def test_unicode_is_not_normalised(first: str, second: str) -> None:
    """Strings that look alike stay distinct and unchanged: as names, ids and references, through round trips."""
    assert first != second
    assert any(unicodedata.normalize(form, first) != first for form in ("NFC", "NFD", "NFKC", "NFKD")) or (
        first.strip() != first or second.strip() != second or "\u200d" in first
    )
    document = example_document()
    partners = document["partners"]
    partners[0].update(id=first, name=first, organisation="Org")
    partners[1].update(id=second, name=second, organisation="Org")
    document["lead"] = second
    document["goals"][0]["id"] = first
    document["goals"][1]["id"] = second
    for measure in document["measures"]:
        measure["goals"] = [first, second]
    # Neither a duplicate id nor a duplicate partner, and the references resolve.
    assert not any(p.is_error for p in willkommen.check(document))
    for text in (json.dumps(document, ensure_ascii=False), json.dumps(document)):
        alliance = willkommen.loads(text)
        assert [p.id for p in alliance.partners[:2]] == [first, second]
        assert [p.name for p in alliance.partners[:2]] == [first, second]
        assert alliance.lead == second
        assert alliance.measures[0].goals == (first, second)
        written = willkommen.dumps(alliance)
        assert json.dumps(first, ensure_ascii=False) in written
        assert json.dumps(second, ensure_ascii=False) in written
        assert willkommen.loads(written.encode("utf-8")) == alliance


def test_decimals_keep_their_value() -> None:
    """0.1 hours stays Decimal("0.1"), and 33.3 + 33.3 + 33.4 is exactly 100 after round trips."""
    document = example_document()
    sessions = document["coaching"]["sessions"]
    assert [s["hours"] for s in sessions] == [33.3, 33.3, 33.4]
    from_text = willkommen.loads(json.dumps(document))
    from_data = willkommen.load(document)  # Python floats
    for alliance in (from_text, from_data, willkommen.loads(willkommen.dumps(from_text))):
        assert alliance.coaching is not None
        assert [s.hours for s in alliance.coaching.sessions] == [Decimal("33.3"), Decimal("33.3"), Decimal("33.4")]
        assert alliance.coaching.hours_used == Decimal(100)
        assert willkommen.programs.coaching_hours_left(alliance) == Decimal(0)
    sessions[0]["hours"] = 0.1
    sessions[1]["hours"] = 0.2
    for alliance in (willkommen.load(document), willkommen.loads(json.dumps(document))):
        assert alliance.coaching is not None
        assert str(alliance.coaching.sessions[0].hours) == "0.1"
        assert alliance.coaching.sessions[0].hours + alliance.coaching.sessions[1].hours == Decimal("0.3")
        assert '"hours": 0.1,' in willkommen.dumps(alliance)


def _fits_a_float(number: Decimal) -> bool:
    return Decimal(repr(float(number))) == number


@_bounded(50)
@given(
    st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(100), places=None, allow_nan=False).filter(
        _fits_a_float
    )
)
def test_any_decimal_hours_keep_their_value(hours: Decimal) -> None:
    """Any hours a float can carry come back equal after dump/load and dumps/loads, as text and from floats."""
    document = example_document()
    document["coaching"]["sessions"] = [{"date": "2017-10-10", "hours": str(hours)}]
    text = json.dumps(document).replace(f'"{hours}"', str(hours))
    alliance = willkommen.loads(text)
    assert alliance.coaching is not None
    assert alliance.coaching.sessions[0].hours == hours
    for again in (willkommen.load(willkommen.dump(alliance)), willkommen.loads(willkommen.dumps(alliance))):
        assert again == alliance


def test_list_order_is_kept() -> None:
    """Partners, goals, themes, measures' goals, sessions and local authorities keep the order they were given in."""
    document = example_document()
    for key in ("partners", "goals", "measures", "local_authorities"):
        document[key].reverse()
    document["coaching"]["sessions"].reverse()
    document["coaching"]["tasks"].reverse()
    document["goals"][0]["themes"] = ["school_to_work", "accommodation", "participation"]
    document["measures"][0]["goals"] = [g["id"] for g in document["goals"]]
    alliance = willkommen.load(document)
    assert [p.id for p in alliance.partners] == [p["id"] for p in document["partners"]]
    assert [g.id for g in alliance.goals] == [g["id"] for g in document["goals"]]
    assert [t.value for t in alliance.goals[0].themes] == ["school_to_work", "accommodation", "participation"]
    assert list(alliance.measures[0].goals) == [g["id"] for g in document["goals"]]
    assert [m.name for m in alliance.local_authorities] == [m["name"] for m in document["local_authorities"]]
    for again in (willkommen.dump(alliance), json.loads(willkommen.dumps(alliance))):
        assert _without_empty_lists(again) == _without_empty_lists(document)


@pytest.mark.parametrize("name", ["bautzen", "helmstedt", "leverkusen", "rich"])
def test_shipped_documents_write_back_unchanged(name: str) -> None:
    """dump(load(d)) is d for every shipped example: nothing dropped or changed (empty lists are written out)."""
    if name == "rich":
        document = example_document()
    elif name == "leverkusen":
        document = willkommen.nrw.example_document()
    else:
        document = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    written = willkommen.dump(willkommen.load(document))
    assert _without_empty_lists(written) == _without_empty_lists(document)
    assert json.loads(willkommen.dumps(willkommen.loads(json.dumps(document)))) == written


def _without_empty_lists(value: Any) -> Any:
    """The document with empty lists left out: dump() writes them, a person may omit them."""
    if isinstance(value, dict):
        return {k: _without_empty_lists(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_without_empty_lists(v) for v in value]
    return value


def test_the_int_str_limit_is_the_default() -> None:
    """These tests assume Python's default int/str limit (4300 digits), which makes 10,000 digits hostile."""
    assert sys.get_int_max_str_digits() == 4300
