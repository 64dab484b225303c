"""The fast reader against the detailed path: the same objects, or a hand-over.

The fast path (``_fast.py``) must return an object equal to the detailed
path's, with the same types all the way down, or None; and None for every
input the detailed path refuses. These tests compare both on valid documents,
on single mutations of them, and end to end through ``check`` and ``loads``.
"""

import contextlib
import copy
import datetime as dt
import enum
import importlib.util
import json
import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from tests.conftest import example
from tests.test_mutations import MUTATIONS
from willkommen import _accelerator as accelerator
from willkommen import _fast, _json
from willkommen._converter import converter
from willkommen._fast import fast_reader
from willkommen._json import parse, surrogate_free_text
from willkommen._numbers import OutOfRange
from willkommen._typecheck import is_natural
from willkommen.nrw import GEMEINSAM_KLAPPTS, NrwAlliance, TargetGroup
from willkommen.testing import Mutation, alliances

# Hypothesis settings for the differential tests: bounded for CI, no deadline
# (other processes share the machine).
_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_FAILED = object()


# --- A user's extension: every scalar type, a nested optional class, checks of its own. ---


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Review:
    """A nested class of a user's, with a default that is a plain value."""

    by: str
    score: float = 1.0


class Priority(enum.Enum):
    """A plain (not str) enumeration: its values are still strings in a file."""

    LOW = "low"
    HIGH = "high"


class Rank(enum.IntEnum):
    """An enumeration of integers: its values are integers in a file."""

    FIRST = 1
    SECOND = 2


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class ExtendedAlliance(willkommen.Alliance):
    """An alliance with extra fields of every type the reader knows."""

    code: str
    size: int = 0
    active: bool = True
    ratio: float = 0.5
    budget: Decimal = Decimal("10.5")
    reviewed_on: dt.date | None = None
    keywords: tuple[str, ...] = ()
    scores: tuple[int, ...] = ()
    levels: frozenset[int] = frozenset()
    review: Review | None = None
    priority: Priority | None = None
    remark: "str | None" = None  # a string annotation: checked by check_type, resolved late
    rank: Rank | None = None
    stamp: dt.datetime | None = None
    counts: dict[str, int] | None = None
    pair: tuple[int, str] | None = None
    mode: Literal["a", 1] | None = None


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class CheckedReview:
    """A class with a check of its own beside the type check: built by calling it."""

    by: str = attrs.field(validator=attrs.validators.min_len(2))
    score: float = 1.0


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Reviewed:
    """Holds a class with a check of its own and a default its type check refuses."""

    review: CheckedReview
    count: int = "none"  # type: ignore[assignment]  # attrs' __init__ refuses it when the key is absent


def _extended(alliance: willkommen.Alliance, extra: dict[str, Any]) -> ExtendedAlliance:
    fields = {f.name: getattr(alliance, f.name) for f in attrs.fields(willkommen.Alliance)}
    return ExtendedAlliance(**fields, **extra)


_EXTRAS = st.fixed_dictionaries(
    {"code": st.text(max_size=5)},
    optional={
        "size": st.integers(-(2**40), 2**40),
        "active": st.booleans(),
        "ratio": st.floats(allow_nan=False, allow_infinity=False),
        "budget": st.decimals(places=2, min_value=-(10**6), max_value=10**6),
        "reviewed_on": st.none() | st.dates(),
        "keywords": st.lists(st.text(max_size=5), max_size=3).map(tuple),
        "scores": st.lists(st.integers(0, 10), max_size=3).map(tuple),
        "levels": st.frozensets(st.integers(0, 10), max_size=3),
        "review": st.none() | st.builds(Review, by=st.text(max_size=5), score=st.floats(-10, 10)),
        "priority": st.none() | st.sampled_from(Priority),
        "remark": st.none() | st.text(max_size=5),
        "rank": st.none() | st.sampled_from(Rank),
        "stamp": st.none() | st.datetimes(timezones=st.just(dt.UTC)),
        "counts": st.none() | st.dictionaries(st.text(max_size=3), st.integers(-5, 5), max_size=3),
        "pair": st.none() | st.tuples(st.integers(-5, 5), st.text(max_size=3)),
        "mode": st.none() | st.sampled_from(["a", 1]),
    },
)


def _nrw(alliance: willkommen.Alliance, group: TargetGroup) -> NrwAlliance:
    fields = {f.name: getattr(alliance, f.name) for f in attrs.fields(willkommen.Alliance)}
    return NrwAlliance(**fields, coordinating_office=alliance.partners[0].id, target_group=group)


_TARGET_GROUPS = st.builds(
    TargetGroup,
    age_min=st.integers(18, 26),
    age_max_exclusive=st.integers(19, 27),
    focus_statuses=st.lists(st.sampled_from(willkommen.nrw.ResidenceStatus), unique=True).map(tuple),
    count=st.none() | st.integers(0, 5000),
)

# (class, document) for valid objects of every kind the tests cover.
_DOCUMENTS: st.SearchStrategy[tuple[type, dict[str, Any]]] = st.one_of(
    alliances().map(lambda a: (willkommen.Alliance, willkommen.dump(a))),
    st.builds(_extended, alliances(), _EXTRAS).map(lambda a: (ExtendedAlliance, willkommen.dump(a))),
    st.builds(_nrw, alliances(GEMEINSAM_KLAPPTS), _TARGET_GROUPS).map(lambda a: (NrwAlliance, willkommen.dump(a))),
    st.just((NrwAlliance, example("leverkusen"))),
    st.just((willkommen.programs.Program, willkommen.dump(willkommen.programs.WILLKOMMEN_BEI_FREUNDEN))),
)


# --- Comparing the two paths. ---


def _body(document: dict[str, Any]) -> dict[str, Any]:
    """What ``read`` hands to the readers: no schema version, no top-level tag."""
    return {key: value for key, value in document.items() if key not in {"schema_version", "$type"}}


def _detailed(body: dict[str, Any], cls: type) -> object:
    try:
        return converter().structure(copy.deepcopy(body), cls)
    except Exception:  # noqa: BLE001 - any refusal counts
        return _FAILED


def _assert_same(got: object, expected: object) -> None:
    """Equal, and of the same types all the way down (a tuple is no list, a str subclass no str)."""
    assert type(got) is type(expected), (got, expected)
    cls: Any = type(expected)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            _assert_same(getattr(got, field.name), getattr(expected, field.name))
    elif isinstance(expected, list | tuple):
        assert isinstance(got, list | tuple)
        assert len(got) == len(expected)
        for got_item, expected_item in zip(got, expected, strict=True):
            _assert_same(got_item, expected_item)
    elif isinstance(expected, frozenset):
        assert isinstance(got, frozenset)
        assert {type(item) for item in got} == {type(item) for item in expected}
    assert got == expected


def _assert_agrees(body: dict[str, Any], cls: type, *, valid: bool = False, from_text: bool = False) -> object | None:
    """The fast reader gives the detailed result or None; None whenever the detailed path refuses."""
    expected = _detailed(body, cls)
    before = copy.deepcopy(body)
    got = fast_reader(cls, from_text=from_text)(body)
    assert body == before, "the fast reader changed its input"
    if expected is _FAILED:
        assert got is None, f"the fast path accepted what the detailed path refuses: {body!r}"
    elif got is not None:
        _assert_same(got, expected)
    if valid:
        assert got is not None, "a valid document did not take the fast path"
    return got


def _assert_agrees_on_text(text: str | bytes, cls: type, *, valid: bool = False) -> None:
    """The body parsed from *text* reads alike by both fast readers (the one for text where the text allows it)."""
    parsed, problems = parse(text)
    assert not problems
    _assert_agrees(_body(parsed), cls, valid=valid)
    if surrogate_free_text(text):
        _assert_agrees(_body(parsed), cls, valid=valid, from_text=True)


def _text(document: dict[str, Any]) -> str | None:
    """The document as JSON text (a Decimal as a string), None if JSON cannot carry it (a huge int)."""
    try:
        return json.dumps(document, default=str)
    except ValueError:
        return None


@_SETTINGS
@given(_DOCUMENTS)
def test_valid_documents_take_the_fast_path_and_read_the_same(case: tuple[type, dict[str, Any]]) -> None:
    """Every valid document of the built-in, NRW and user classes reads fast to the detailed result.

    As ``load`` sees it (floats), and as ``loads`` sees it: Decimals from the
    text, written with escapes and without, as text and as UTF-8 bytes.
    """
    cls, document = case
    _assert_agrees(_body(document), cls, valid=True)
    text = _text(document)
    assert text is not None
    _assert_agrees_on_text(text, cls, valid=True)
    unescaped = json.dumps(document, default=str, ensure_ascii=False)
    _assert_agrees_on_text(unescaped, cls, valid=True)
    _assert_agrees_on_text(unescaped.encode(), cls, valid=True)


# --- Mutations: one change at a random place. ---

_REPLACEMENTS: list[object] = [
    None,
    True,
    False,
    0,
    7,
    -1,
    2**70,
    10**5000,  # more digits than int() and str() take by default
    1.5,
    0.1,
    Decimal("2.5"),
    Decimal("0.12345678901234567890"),  # 20 significant digits: no float holds it
    Decimal("1E+400"),
    Decimal("1E-400"),  # a float field would read 0: below float range
    Decimal("5E-324"),  # the smallest float, a subnormal
    OutOfRange("1e9999999999999999999"),  # a number decimal cannot hold, as the parser marks it
    Decimal("NaN"),
    Decimal("Infinity"),
    "",
    "text",
    "x\ud800y",  # a lone surrogate: a str that UTF-8 cannot encode
    "unknown_word",
    "2017-02-30",
    "20170226",
    "2017-W09-1",
    "2017-02-26",
    "١٢٣٤-٠٢-٢٦",
    "association",
    "analysis_workshop",
    "DE-NW",
    [],
    ["text"],
    [{}],
    {},
    {"name": "x"},
    {"$type": "nrw-alliance"},
]


def _places(value: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every value in a document, the document itself first."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _at(document: object, path: tuple[str | int, ...]) -> Any:
    node: Any = document
    for step in path:
        node = node[step]
    return node


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[type, dict[str, Any]]:
    """A valid document with one change: a key dropped or added, a value replaced, an item repeated."""
    cls, document = draw(_DOCUMENTS)
    body = copy.deepcopy(_body(document))
    path = draw(st.sampled_from(list(_places(body))))
    node = _at(body, path)
    kinds = ["replace"] if path else []
    if isinstance(node, dict):
        kinds += ["drop", "add"] if node else ["add"]
    if isinstance(node, list) and node:
        kinds.append("repeat")
    kind = draw(st.sampled_from(kinds))
    if kind == "replace":
        _at(body, path[:-1])[path[-1]] = copy.deepcopy(draw(st.sampled_from(_REPLACEMENTS)))
    elif kind == "drop":
        del node[draw(st.sampled_from(sorted(node)))]
    elif kind == "add":
        node[draw(st.sampled_from(["unknown", "$type", "id", "name", "date"]))] = draw(st.sampled_from(_REPLACEMENTS))
    else:
        node.append(copy.deepcopy(draw(st.sampled_from(node))))
    return cls, body


@settings(_SETTINGS, max_examples=150)
@given(_mutated())
def test_a_mutated_document_is_handed_over_whenever_the_detailed_path_refuses_it(
    case: tuple[type, dict[str, Any]],
) -> None:
    """One change anywhere: None if the detailed path refuses, else the same object or None."""
    cls, body = case
    _assert_agrees(body, cls)
    text = _text(body)
    if text is not None:
        parsed, _ = parse(text)
        _assert_agrees(parsed, cls)
        # The reader for text, where the text cannot carry a lone surrogate, and with the surrogates as they are.
        unescaped = json.dumps(body, default=str, ensure_ascii=False)
        parsed, _ = parse(unescaped)
        _assert_agrees(parsed, cls, from_text=surrogate_free_text(unescaped))


# --- End to end: the same problems and objects with the fast path on and off. ---


def _outcome(document: dict[str, Any], cls: type) -> list[object]:
    """What check and loads make of a document: problems, the object, or what they raised."""
    text = _text(document)
    calls: list[Callable[[], object]] = [lambda: willkommen.check(copy.deepcopy(document), cls)]
    if text is not None:
        calls.append(lambda: willkommen.loads(text, cls))
    outcome: list[object] = []
    for call in calls:
        try:
            outcome.append(call())
        except willkommen.ValidationError as exc:
            outcome.append(list(exc.problems))
        except Exception as exc:  # noqa: BLE001 - a crash must at least be the same crash
            outcome.append((type(exc), str(exc)))
    return outcome


@settings(_SETTINGS, max_examples=60)
@given(st.one_of(_DOCUMENTS, _mutated()))
def test_check_and_loads_are_the_same_with_and_without_the_fast_path(case: tuple[type, dict[str, Any]]) -> None:
    """Problems (codes, paths, messages) and objects do not depend on which path read the data."""
    cls, document = case
    if "schema_version" not in document:
        document = {"schema_version": 2, **document}
    fast = _outcome(document, cls)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_fast, "ENABLED", False)
        slow = _outcome(document, cls)
    assert fast == slow
    for got, expected in zip(fast, slow, strict=True):
        if attrs.has(type(expected)):
            _assert_same(got, expected)


def test_the_typical_document_reads_fast(monkeypatch: pytest.MonkeyPatch, bautzen: dict[str, Any]) -> None:
    """The seed document takes the fast path through ``load``, and the detailed path is never asked."""
    expected = willkommen.load(copy.deepcopy(bautzen))

    def refuse(*args: object) -> None:
        raise AssertionError(args)

    monkeypatch.setattr(type(converter()), "structure", refuse)
    assert willkommen.load(bautzen) == expected


# --- Hand-overs and unusual values, one case each. ---


def test_values_of_subclasses_read_as_the_detailed_path_reads_them() -> None:
    """A StrEnum member where a str is expected, an int subclass, a tuple for a list: read, plain."""

    class Count(int):
        pass

    body = willkommen.dump(willkommen.load(example("bautzen")))
    del body["schema_version"]
    body["id"] = willkommen.State.NW  # a str subclass
    body["partners"] = tuple(body["partners"])
    body["partners"][0]["kind"] = willkommen.PartnerKind.SCHOOL  # a str subclass of an enum
    body["local_authorities"][0]["ags"] = willkommen.State.SN
    body["offerings"] = [{"type": "training", "date": willkommen.State.SN, "participants": Count(5)}]
    assert _assert_agrees(body, willkommen.Alliance) is None  # the date is refused, by both
    body["offerings"] = [{"type": "training", "date": "2017-01-01", "participants": Count(5)}]
    alliance = _assert_agrees(body, willkommen.Alliance, valid=True)
    assert isinstance(alliance, willkommen.Alliance)
    assert type(alliance.id) is str


class Text(str):
    """A str subclass, as a caller of ``load`` may hand in."""

    __slots__ = ()


class Money(Decimal):
    """A Decimal subclass, as a caller of ``load`` may hand in."""

    __slots__ = ()


@pytest.mark.parametrize(
    ("extra", "valid"),
    [
        ({"ratio": 3}, True),
        ({"ratio": Decimal("0.25")}, True),
        ({"ratio": True}, False),
        ({"ratio": "0.5"}, False),
        ({"ratio": 10**400}, False),
        ({"ratio": float("nan")}, False),
        ({"ratio": Decimal("-Infinity")}, False),
        ({"ratio": Decimal("1E+400")}, False),
        ({"ratio": 1e308}, True),
        ({"ratio": 2**53 + 1}, False),  # no float holds it
        ({"ratio": 2**53}, True),
        ({"ratio": Decimal("1E-400")}, False),  # it would become 0
        ({"ratio": Decimal("0.1000000000000000000001")}, False),  # more digits than a float holds
        ({"rank": 2}, True),
        ({"rank": True}, False),
        ({"rank": 2.0}, False),
        ({"rank": "2"}, False),
        ({"rank": 3}, False),
        ({"stamp": "2017-01-01T10:00:00Z"}, True),
        ({"stamp": "2017-01-01T10:00:00+01:00"}, True),
        ({"stamp": "2017-01-01T10:00:00"}, False),  # naive: no moment
        ({"stamp": 42}, False),
        ({"counts": {"a": 1}}, True),
        ({"counts": {"a": "1"}}, False),
        ({"counts": {"\ud800": 1}}, False),  # a key UTF-8 cannot carry
        ({"counts": [["a", 1]]}, False),
        ({"pair": [1, "a"]}, True),
        ({"pair": ["a", "b"]}, False),
        ({"pair": [1, "a", "b"]}, False),
        ({"pair": [1]}, False),
        ({"mode": "a"}, True),
        ({"mode": 1}, True),
        ({"mode": True}, False),
        ({"mode": 1.0}, False),
        ({"mode": "b"}, False),
        ({"active": 1}, False),
        ({"budget": 7}, True),
        ({"budget": 0.1}, True),
        ({"budget": float("inf")}, False),
        ({"budget": Decimal("NaN")}, False),
        ({"budget": 2**60 + 1}, False),
        ({"budget": "1"}, False),
        ({"budget": Money("1.5")}, True),
        ({"size": True}, False),
        ({"priority": "high"}, True),
        ({"priority": willkommen.State.NW}, False),
        ({"priority": 1}, False),
        ({"reviewed_on": 20170101}, False),
        ({"reviewed_on": "2017-01-01"}, True),
        ({"reviewed_on": Text("2017-01-02")}, True),
        ({"keywords": ("a", "b")}, True),
        ({"keywords": "ab"}, False),
        ({"scores": [1, 2]}, True),
        ({"levels": [1, 1]}, False),
        ({"levels": [2, 1]}, True),
        ({"review": {"by": "x", "score": 2}}, True),
        ({"review": {"by": "x", "$type": "review"}}, False),
        ({"remark": "x"}, True),
        ({"remark": 1}, False),
    ],
)
def test_user_fields_read_as_the_detailed_path_reads_them(extra: dict[str, Any], valid: bool) -> None:
    """Numbers, Decimals, dates, enums and collections of a user's class: the hooks' rules exactly."""
    body = _body(example("bautzen")) | {"code": "c"} | extra
    got = _assert_agrees(body, ExtendedAlliance)
    assert (got is not None) is valid


def test_a_class_with_checks_of_its_own_is_built_by_calling_it() -> None:
    """A validator of the user's runs; a default the type check refuses is refused when absent."""
    _assert_agrees({"review": {"by": "ab"}, "count": 1}, Reviewed, valid=True)
    assert _assert_agrees({"review": {"by": "a"}, "count": 1}, Reviewed) is None
    assert _assert_agrees({"review": {"by": "ab"}}, Reviewed) is None
    assert _assert_agrees({"review": ["by"], "count": 1}, Reviewed) is None
    assert _assert_agrees([], Reviewed) is None  # type: ignore[arg-type]


def _build_class(**options: Any) -> type:
    """A small model class made with the attrs options given."""
    slots = options.pop("slots", True)
    init = options.pop("init", True)
    frozen = options.pop("frozen", True)
    body: dict[str, Any] = {"__annotations__": {"name": str}, **options.pop("namespace", {})}
    cls = type("Small", (), body)
    return attrs.define(
        cls, kw_only=True, slots=slots, init=init, frozen=frozen, field_transformer=willkommen.typed_fields, **options
    )


def _user_init(self: Any, *, name: str) -> None:
    object.__setattr__(self, "name", name.upper())


def _do_nothing(self: object) -> None:
    del self


def _strip(text: str) -> str:
    return text.strip()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"frozen": False},
        {"slots": False},
        {"cache_hash": True, "unsafe_hash": True},
        {"init": False, "namespace": {"__init__": _user_init}},
        {"namespace": {"__attrs_pre_init__": _do_nothing}},
        {"namespace": {"__attrs_post_init__": _do_nothing}},
    ],
    ids=["plain", "not-frozen", "no-slots", "hash-cache", "own-init", "pre-init", "post-init"],
)
def test_classes_of_every_make_read_like_the_detailed_path(options: dict[str, Any]) -> None:
    """Frozen or not, slotted or not, with init hooks or an own __init__: the same object."""
    cls = _build_class(**options)
    _assert_agrees({"name": "x"}, cls, valid=True)
    assert _assert_agrees({"name": 1}, cls) is None


def test_fields_with_converters_factories_and_aliases_are_read_through_init() -> None:
    """Converters of attrs run, factories fill absent keys, a private field reads by its name."""

    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class Odd:
        label: str = attrs.field(converter=_strip)
        tags: tuple[str, ...] = attrs.field(factory=tuple)
        _secret: int = 0
        derived: int = attrs.field(init=False, default=3)

    _assert_agrees({"label": " a "}, Odd, valid=True)
    _assert_agrees({"label": " a ", "tags": ["x"], "_secret": 2}, Odd, valid=True)
    assert _assert_agrees({"label": "a", "derived": 1}, Odd) is None


def test_an_offering_subclass_keeps_the_date_check() -> None:
    """The dates' shape is checked for a subclass of Offering too, which builds directly."""

    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class PaidOffering(willkommen.Offering):
        fee: Decimal = Decimal(0)

    _assert_agrees({"type": "training", "date": "2017-01-01", "fee": 5}, PaidOffering, valid=True)
    assert _assert_agrees({"type": "training", "date": "2017-01-01", "end": "2017-01-02"}, PaidOffering) is None
    assert _assert_agrees({"type": "training"}, PaidOffering) is None


@pytest.mark.parametrize(
    "annotation",
    [dict[str, int], int | str, tuple[int, str], Any, dt.datetime, "Undefined"],
    ids=["dict", "union", "fixed-tuple", "any", "datetime", "unresolvable"],
)
def test_a_class_the_generator_does_not_know_always_hands_over(annotation: Any) -> None:
    """Annotations other than the model's kinds: the detailed path reads every such document."""
    cls = attrs.make_class("Unknown", {"value": attrs.field(type=annotation)}, kw_only=True, frozen=True)
    assert fast_reader(cls)({"value": 1}) is None
    assert fast_reader(int)({}) is None


def test_a_tagged_subclass_inside_is_handed_over_and_a_new_tag_rebuilds_the_readers() -> None:
    """A nested $type goes to the detailed path; declaring a tag starts the cache over."""
    reader = fast_reader(ExtendedAlliance)
    assert fast_reader(ExtendedAlliance) is reader

    @willkommen.tagged("test-fast-signed-review")
    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class SignedReview(Review):
        signature: str

    assert fast_reader(ExtendedAlliance) is not reader
    body = _body(example("bautzen")) | {"code": "c", "review": {"$type": "test-fast-signed-review"}}
    body["review"] |= {"by": "x", "signature": "y"}
    assert _detailed(body, ExtendedAlliance) is not _FAILED
    assert fast_reader(ExtendedAlliance)(body) is None


def test_a_failure_of_the_fast_path_itself_only_hands_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception while generating means the detailed path, never a crash."""

    def broken(cls: type) -> None:
        raise RuntimeError(cls)

    monkeypatch.setattr(_fast, "fast_reader", broken)
    assert _fast.read_fast({}, willkommen.Alliance) is None
    assert willkommen.check(example("bautzen")) == []


def test_the_caches_of_dates_and_hours_stay_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """The remembered dates and hours are cleared when full; reading stays the same."""
    monkeypatch.setattr(_fast, "_CACHE_SIZE", 2)
    for day in range(1, 6):
        session = {"date": f"2017-01-0{day}", "hours": Decimal(day) / 4}
        _assert_agrees(session, willkommen.CoachingSession, valid=True)
    assert len(_fast._DATES) <= 2
    assert len(_fast._FITTING_DECIMALS) <= 2


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Node:
    """A class that holds itself: one generated function calls itself."""

    label: str
    children: "tuple[Node, ...]" = ()


def test_a_class_that_holds_itself_reads_fast() -> None:
    """A tree reads fast to any depth Python allows; deeper, both paths fail and the fast one hands over."""
    tree: dict[str, Any] = {"label": "leaf"}
    for depth in range(20):
        tree = {"label": str(depth), "children": [tree, {"label": "x"}]}
    _assert_agrees(tree, Node, valid=True)
    for _ in range(5000):
        tree = {"label": "deep", "children": [tree]}
    assert fast_reader(Node)(tree) is None


def test_a_class_the_detailed_path_cannot_read_is_never_read_fast() -> None:
    """A class whose name is no identifier, which cattrs cannot generate code for: neither path reads it."""
    cls = attrs.make_class("not a name", {"label": attrs.field(type=str)}, kw_only=True, frozen=True)
    assert _detailed({"label": "a"}, cls) is _FAILED
    assert fast_reader(cls)({"label": "a"}) is None


@pytest.mark.parametrize(
    "cls",
    [
        c
        for c in vars(willkommen).values()
        if isinstance(c, type) and attrs.has(c) and c.__module__ == "willkommen._model"
    ]
    + [NrwAlliance, TargetGroup],
    ids=lambda c: c.__name__,
)
def test_the_built_in_classes_are_built_directly_despite_their_converters(cls: type) -> None:
    """The natural converters of typed_fields change nothing the fast path gives: it still skips __init__.

    A subclass too: it inherits its base's checked fields and gets no second check.
    """
    assert any(is_natural(f.converter) for f in attrs.fields(cls)) or cls.__name__ in {"Person", "Consultation"}
    assert _fast._builds_directly(cls)


def test_a_users_own_converter_is_not_taken_for_a_natural_one() -> None:
    """A field with a converter of the user's is built by calling the class, so the converter runs."""

    def shout(word: str) -> str:
        return word.upper()

    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class Shouting:
        """A class whose converter changes what is read."""

        word: str = attrs.field(converter=shout)

    assert not _fast._builds_directly(Shouting)
    assert willkommen.load({"schema_version": 2, "word": "hallo"}, Shouting).word == "HALLO"


# --- The reader for JSON text: lone surrogates are still found. ---


def _string_places(value: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every string value in a document."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_places(item, (*path, index))


@pytest.fixture
def pure() -> Iterator[None]:
    """The pure install: JSON text parsed by ``_json``, whatever is installed."""
    accelerator.set_active(active=False)
    yield
    accelerator.set_active(active=None)


_FREE_TEXT = {("name",), ("partners", 0, "name"), ("goals", 0, "title"), ("measures", 0, "goals", 0), ("lead",)}


@pytest.mark.usefixtures("pure")
@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "\\udBff"])
@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_lone_surrogate_in_json_text_is_reported_where_it_stands(escape: str, *, as_bytes: bool) -> None:
    r"""A lone surrogate written as an escape ("\ud800") is a problem at its string, in any text field.

    The fast reader for JSON text does not look at the characters of a string:
    the text is looked at instead, and one that could carry a lone surrogate
    is read by the reader that looks.
    """
    document = willkommen.dump(willkommen.load(example("bautzen")))
    for path in _string_places(document):
        changed = copy.deepcopy(document)
        _at(changed, path[:-1])[path[-1]] = "MARK"
        text = json.dumps(changed, ensure_ascii=False).replace('"MARK"', f'"x{escape}"', 1)
        reading = willkommen.reads(text.encode() if as_bytes else text)
        pointer = "".join(f"/{part}" for part in path)
        assert reading.value is None, pointer
        codes = {(p.code, p.path) for p in reading.problems}
        assert any(where == pointer for _, where in codes), (pointer, codes)
        if path in _FREE_TEXT:
            assert ("invalid_value", pointer) in codes, (pointer, codes)


@pytest.mark.usefixtures("pure")
def test_a_backslash_before_u_d800_is_text() -> None:
    r"""An escaped backslash before "ud800" is text: the document reads, by the cautious reader, to the same object."""
    document = willkommen.dump(willkommen.load(example("bautzen")))
    document["name"] = "\\ud800"
    text = json.dumps(document, ensure_ascii=False)
    assert not surrogate_free_text(text)
    assert willkommen.loads(text).name == "\\ud800"


@pytest.mark.usefixtures("pure")
def test_a_lone_surrogate_in_str_text_is_reported_where_it_stands() -> None:
    """A str may hold a lone surrogate as itself, not only as an escape: a problem at its string too."""
    document = willkommen.dump(willkommen.load(example("bautzen")))
    document["partners"][0]["name"] = "x\ud800"
    text = json.dumps(document, ensure_ascii=False)
    assert "\ud800" in text
    reading = willkommen.reads(text)
    assert reading.value is None
    assert ("invalid_value", "/partners/0/name") in {(p.code, p.path) for p in reading.problems}


# --- The mutation corpus, read from text by the pure install: the same with the fast steps and without. ---


def _reading(text: str | bytes) -> tuple[list[tuple[str, str, str, str]], object]:
    reading = willkommen.reads(text)
    return [(p.code, p.path, str(p.severity), p.message) for p in reading.problems], reading.value


def _without_fast_steps(text: str | bytes) -> tuple[list[tuple[str, str, str, str]], object]:
    """The reading as it was: every text parsed with the repeated-key hook, every body read by the detailed path."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_fast, "ENABLED", False)
        monkeypatch.setattr(_json, "_quickly", lambda *_: None)
        return _reading(text)


@pytest.mark.usefixtures("pure")
@pytest.mark.parametrize("mutate", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
@settings(_SETTINGS, max_examples=20)
@given(alliance=alliances(), data=st.data())
def test_the_mutation_corpus_reads_the_same_without_the_fast_steps(
    mutate: Callable[[dict[str, Any]], st.SearchStrategy[Mutation]], alliance: willkommen.Alliance, data: st.DataObject
) -> None:
    """Every kind of mutation, as compact and indented text, str and bytes: the same problems and objects."""
    document = willkommen.dump(alliance)
    document.setdefault("founded_on", "2017-01-15")  # a date to break, for the mutations of dates
    mutation = data.draw(mutate(document), label="mutation")
    broken = mutation.applied(document)
    for text in (json.dumps(broken, ensure_ascii=False), json.dumps(broken, indent=2)):
        for form in (text, text.encode()):
            problems, value = _reading(form)
            assert (problems, value) == _without_fast_steps(form)
            if value is not None:
                _assert_same(value, _without_fast_steps(form)[1])


def _fuzzer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_loads", Path(__file__).parent.parent / "fuzz" / "fuzz_loads.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("pure")
def test_a_fuzz_sample_reads_the_same_without_the_fast_steps() -> None:
    """A fixed sample of the fuzzer's inputs (damaged texts, hostile numbers, mutated documents): the same reading."""
    fuzz = _fuzzer()
    words = fuzz._vocabulary(willkommen, willkommen.nrw)
    seeds = fuzz._seeds(willkommen, willkommen.nrw, 3)
    seed_texts = [json.dumps(seed, ensure_ascii=False).encode() for seed in seeds]
    rng = random.Random(20150528)  # noqa: S311 - a fixed sample, not a secret
    quick = 0
    for _ in range(150):
        text = bytearray(rng.choice(seed_texts))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            text[at : at + rng.randint(0, 3)] = rng.randbytes(rng.randint(0, 3))
        texts = [bytes(text), fuzz.document_with_number(fuzz.Source(rng.randbytes(64)), seeds, words)]
        mutated = fuzz.mutate_document(fuzz.Source(rng.randbytes(96)), seeds, words)
        with contextlib.suppress(ValueError, TypeError, RecursionError):  # NaN, Decimals, too deep: no text
            texts.append(json.dumps(mutated, ensure_ascii=False))
        for each in texts:
            assert _reading(each) == _without_fast_steps(each)
            quick += _json._quickly(each.decode("utf-8", "replace") if isinstance(each, bytes) else each) is not None
    # The sample reaches the quick parse, not only the full one.
    assert quick > 0
