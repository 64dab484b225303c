"""Every kind of field a user declares is built, read, checked and written the same way.

What the type plan supports round-trips: whatever construction accepts,
``dumps`` writes and ``loads`` reads back equal. What it does not support is
refused when the class is defined, naming the class, the field and the
annotation: never a surprise at reading or writing time.
"""

import datetime as dt
import enum
import json
from decimal import Decimal
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
from tests.conftest import example
from willkommen import UnsupportedType
from willkommen._plan import SUPPORTED, plan_of
from willkommen._typecheck import accepts


class Rank(enum.IntEnum):
    """An enumeration of integers: written as integers."""

    FIRST = 1
    SECOND = 2


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Inner:
    """A nested class of a user's."""

    label: str


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Survey:
    """A user's class with a field of every kind the plan supports."""

    title: str
    rank: Rank = Rank.FIRST
    taken_at: dt.datetime | None = None
    day: dt.date | None = None
    hours: Decimal | None = None
    counts: dict[str, int] | None = None
    pair: tuple[int, str] | None = None
    mode: Literal["a", 1] = "a"
    ratio: float = 0.5
    done: bool = False
    tags: frozenset[str] = frozenset()
    inners: tuple[Inner, ...] = ()
    by_name: dict[str, Inner] | None = None
    next: "Survey | None" = None


def _document(**fields: object) -> dict[str, Any]:
    return {"schema_version": willkommen.SCHEMA_VERSION, "title": "t", **fields}


def _codes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in willkommen.read(document, Survey).problems}


_UTC = dt.UTC
_surveys = st.deferred(
    lambda: st.builds(
        Survey,
        title=st.text(max_size=5),
        rank=st.sampled_from(Rank),
        taken_at=st.none()
        | st.datetimes(timezones=st.sampled_from([_UTC, dt.timezone(dt.timedelta(hours=-5, minutes=-30))])),
        day=st.none() | st.dates(),
        hours=st.none() | st.decimals(places=2, min_value=0, max_value=1000),
        counts=st.none() | st.dictionaries(st.text(max_size=3), st.integers(-(2**40), 2**40), max_size=3),
        pair=st.none() | st.tuples(st.integers(-5, 5), st.text(max_size=3)),
        mode=st.sampled_from(["a", 1]),
        ratio=st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**53), 2**53),
        done=st.booleans(),
        tags=st.frozensets(st.text(max_size=3), max_size=3),
        inners=st.lists(st.builds(Inner, label=st.text(max_size=3)), max_size=2),
        by_name=st.none()
        | st.dictionaries(st.text(max_size=3), st.builds(Inner, label=st.text(max_size=3)), max_size=2),
        next=st.none() | st.builds(Survey, title=st.text(max_size=3)),
    )
)


@given(_surveys)
def test_whatever_construction_accepts_is_written_and_read_back_equal(survey: Survey) -> None:
    """The round trip through JSON text holds for every kind of field, and check finds nothing."""
    assert willkommen.check(survey, Survey) == []
    text = willkommen.dumps(survey)
    assert survey == willkommen.loads(text, Survey)
    assert willkommen.check(json.loads(text), Survey) == []


# --- the cases a user met, one by one ----------------------------------------------------------


def test_an_int_enum_is_an_integer_in_the_file() -> None:
    """An IntEnum is read from and written as its integer value; its code as text, or true, is refused."""
    survey = willkommen.load(_document(rank=2), Survey)
    assert survey.rank is Rank.SECOND
    assert willkommen.dump(survey)["rank"] == 2
    assert type(willkommen.dump(survey)["rank"]) is int
    assert _codes(_document(rank="2")) == {("type", "/rank")}
    assert _codes(_document(rank=True)) == {("type", "/rank")}
    assert _codes(_document(rank=3)) == {("invalid_value", "/rank")}
    assert Survey(title="t", rank=2).rank is Rank.SECOND  # type: ignore[arg-type]  # the value, naturally


def test_a_datetime_is_aware_everywhere() -> None:
    """Only a moment with a UTC offset is built, read and written; a naive one is refused at each step."""
    moment = dt.datetime(2017, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    survey = Survey(title="t", taken_at=moment)
    assert willkommen.loads(willkommen.dumps(survey), Survey) == survey
    with pytest.raises(TypeError, match="'taken_at' must be a datetime with a time zone"):
        Survey(title="t", taken_at=dt.datetime(2017, 3, 1, 10, 30))  # noqa: DTZ001 - the naive value under test
    with pytest.raises(TypeError, match="'taken_at'"):
        # An offset of seconds: RFC 3339 has none, so no document could carry it.
        Survey(title="t", taken_at=dt.datetime(2017, 3, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30))))
    assert _codes(_document(taken_at=42)) == {("type", "/taken_at")}
    assert _codes(_document(taken_at="2017-03-01T10:30:00")) == {("invalid_value", "/taken_at")}
    assert _codes(_document(taken_at="2017-03-01T10:30:00Z")) == set()


def test_a_naive_datetime_is_not_written() -> None:
    """An object holding a naive datetime past the check (validators off) is not written: a problem at its path."""
    with attrs.validators.disabled():
        survey = Survey(title="t", taken_at=dt.datetime(2017, 3, 1))  # noqa: DTZ001 - the naive value under test
    for write in (willkommen.dump, willkommen.dumps):
        with pytest.raises(willkommen.ValidationError) as raised:
            write(survey)
        assert [(p.code, p.path) for p in raised.value.problems] == [("invalid_value", "/taken_at")]


class _BrokenZone(dt.tzinfo):
    """A time zone whose offset cannot be known: utcoffset raises."""

    def utcoffset(self, _: dt.datetime | None) -> dt.timedelta:
        raise RuntimeError("no offset")

    def dst(self, _: dt.datetime | None) -> dt.timedelta | None:
        return None

    def tzname(self, _: dt.datetime | None) -> str:
        return "broken"


def test_a_datetime_whose_zone_fails_is_not_written() -> None:
    """A datetime whose tzinfo raises names no moment either: a problem at its path, not the tzinfo's error."""
    with attrs.validators.disabled():
        survey = Survey(title="t", taken_at=dt.datetime(2017, 3, 1, tzinfo=_BrokenZone()))
    with pytest.raises(willkommen.ValidationError) as raised:
        willkommen.dumps(survey)
    assert [(p.code, p.path) for p in raised.value.problems] == [("invalid_value", "/taken_at")]


def test_a_mapping_of_text_keys_round_trips() -> None:
    """dict[str, int] is checked, written and read alike; other keys are refused when built."""
    survey = Survey(title="t", counts={"a": 1, "b": 2})
    assert willkommen.check(survey, Survey) == []
    assert willkommen.check(json.loads(willkommen.dumps(survey)), Survey) == []
    assert willkommen.loads(willkommen.dumps(survey), Survey) == survey
    with pytest.raises(TypeError, match="'counts' must be a dict with str keys"):
        Survey(title="t", counts={1: 2, "1": 3})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="'counts'"):
        Survey(title="t", counts={"a": "1"})  # type: ignore[dict-item]
    assert _codes(_document(counts={"a": "1", "b": 2, "c": None})) == {("type", "/counts/a"), ("type", "/counts/c")}
    assert _codes(_document(counts=[["a", 1]])) == {("type", "/counts")}
    # A caller's dict may hold a key that is no text: a problem at its place, as any wrong value.
    assert _codes(_document(counts={1: 2})) == {("type", "/counts/1")}


def test_a_mapping_is_taken_from_any_mapping_in_code() -> None:
    """A read-only mapping is stored as a dict, so that what is built is what is read."""
    import types

    survey = Survey(title="t", by_name=types.MappingProxyType({"x": Inner(label="x")}))  # type: ignore[arg-type]
    assert type(survey.by_name) is dict
    assert willkommen.loads(willkommen.dumps(survey), Survey) == survey


def test_a_fixed_tuple_has_exactly_its_items() -> None:
    """tuple[int, str] holds an int, then a str: no more, no fewer, in both construction and reading."""
    assert Survey(title="t", pair=[1, "a"]).pair == (1, "a")  # type: ignore[arg-type]  # a list, naturally
    for wrong in [("a", "b", "c"), ("a", 1), (1,)]:
        with pytest.raises(TypeError, match="'pair' must be a tuple of 2 items: an int, a str"):
            Survey(title="t", pair=wrong)  # type: ignore[arg-type]
    assert _codes(_document(pair=[1, "a"])) == set()
    assert _codes(_document(pair=["a", "b", "c"])) == {("invalid_value", "/pair")}
    assert _codes(_document(pair=["a", "b"])) == {("type", "/pair/0")}
    assert _codes(_document(pair="ab")) == {("type", "/pair")}


def test_a_literal_matches_by_type_and_value() -> None:
    """Literal["a", 1]: true is not 1, 1.0 is not 1, in construction and in reading alike."""
    assert Survey(title="t", mode=1).mode == 1
    for wrong in [True, 1.0, "b", "1"]:
        with pytest.raises(TypeError, match="'mode' must be one of 'a', 1"):
            Survey(title="t", mode=wrong)  # type: ignore[arg-type]
    assert _codes(_document(mode=True)) == {("type", "/mode")}
    assert _codes(_document(mode="b")) == {("invalid_value", "/mode")}
    assert willkommen.load(_document(mode=1), Survey).mode == 1


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1e-400", "invalid_value"),  # below float range: it would become 0
        ("1e400", "invalid_value"),  # beyond it: it would become Infinity
        (str(2**53 + 1), "invalid_value"),  # an integer no float holds: it would become 2**53
        ("0.1000000000000000000001", "invalid_value"),  # more digits than a float holds
        ("0.1", None),
        (str(2**53), None),
    ],
)
def test_a_float_field_refuses_numbers_a_float_cannot_hold(number: str, code: str | None) -> None:
    """As a Decimal field does: a number that would come back changed is refused where it stands."""
    text = '{"schema_version": 2, "title": "t", "ratio": ' + number + "}"
    expected = set() if code is None else {(code, "/ratio")}
    assert expected == {(p.code, p.path) for p in willkommen.reads(text, Survey).problems}


def test_an_int_for_a_float_is_taken_where_a_float_holds_it() -> None:
    """In code an int stands for a float exactly, or is refused: 2**53 + 1 would not come back."""
    survey = Survey(title="t", ratio=2**53)
    assert type(survey.ratio) is float
    for beyond in (2**53 + 1, 10**400):
        with pytest.raises(ValueError, match="'ratio' must be a float"):
            Survey(title="t", ratio=beyond)


def test_a_class_that_holds_itself_round_trips() -> None:
    """A chain of surveys is written and read back equal."""
    survey = Survey(title="a", next=Survey(title="b", next=Survey(title="c")))
    assert willkommen.loads(willkommen.dumps(survey), Survey) == survey
    assert _codes(_document(next={"title": "b", "next": {"title": 3}})) == {("type", "/next/next/title")}


# --- refused at definition ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "shown"),
    [
        (Any, "Any"),
        (object, "object"),
        (set[str], "set[str]"),
        (list[str], "list[str]"),
        (int | str, "int | str"),
        (dict[int, str], "dict[int, str]"),
        (tuple, "tuple"),
        (Literal["a", True], "Literal['a', True]"),
    ],
)
def test_an_unsupported_annotation_is_refused_when_the_class_is_defined(annotation: object, shown: str) -> None:
    """A TypeError naming the class, the field, the annotation and what is supported: before any data."""
    with pytest.raises(TypeError) as raised:

        @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
        class Odd:
            value: annotation  # type: ignore[valid-type]

    assert isinstance(raised.value, UnsupportedType)
    assert isinstance(raised.value, willkommen.WillkommenError)
    message = str(raised.value)
    assert "'value' of " in message
    assert "Odd" in message
    assert shown in message
    assert SUPPORTED in message


def test_a_field_named_schema_version_is_refused_when_the_class_is_defined() -> None:
    """The document's own key cannot be a field: it would be lost on the way out or in."""
    with pytest.raises(UnsupportedType, match="'schema_version'"):

        @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
        class Versioned:
            schema_version: int


def test_a_string_annotation_that_resolves_is_refused_when_the_class_is_defined() -> None:
    """With postponed annotations (PEP 563) too, what resolves now is judged now."""
    namespace: dict[str, object] = {}
    with pytest.raises(UnsupportedType, match=r"'items' of Basket is annotated list\[str\]"):
        exec(  # noqa: S102 - a module with postponed annotations, built in the test
            "from __future__ import annotations\n"
            "import attrs, willkommen\n"
            "@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)\n"
            "class Basket:\n"
            "    items: list[str]\n",
            namespace,
        )


def test_a_class_local_to_a_function_is_refused_at_first_use_only() -> None:
    """A class that names another local class under PEP 563 cannot be resolved: refused when first built."""
    namespace: dict[str, Any] = {}
    exec(  # noqa: S102 - a module with postponed annotations, built in the test
        "from __future__ import annotations\n"
        "import attrs, willkommen\n"
        "def make():\n"
        "    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)\n"
        "    class Part:\n"
        "        name: str\n"
        "    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)\n"
        "    class Whole:\n"
        "        part: Part\n"
        "    return Part, Whole\n",
        namespace,
    )
    part, whole = namespace["make"]()  # defining them is fine
    with pytest.raises(UnsupportedType, match=r"'part' of .*Whole.*'Part' is not defined"):
        whole(part=part(name="x"))
    with pytest.raises(UnsupportedType, match="'Part' is not defined"):
        willkommen.load({"schema_version": 2, "part": {"name": "x"}}, whole)


def test_an_unresolvable_subclass_never_affects_other_documents() -> None:
    """A tagged subclass naming what exists only for type checkers: every other document reads as before."""
    namespace: dict[str, Any] = {}
    with willkommen.registry_scope():
        exec(  # noqa: S102 - a module with postponed annotations, built in the test
            "from __future__ import annotations\n"
            "from typing import TYPE_CHECKING\n"
            "import attrs, willkommen\n"
            "if TYPE_CHECKING:\n"
            "    from decimal import Decimal\n"
            "@willkommen.tagged('test-unresolvable-partner')\n"
            "@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)\n"
            "class Sponsor(willkommen.Partner):\n"
            "    amount: Decimal\n",
            namespace,
        )
        bautzen = example("bautzen")
        assert willkommen.loads(json.dumps(bautzen)).id == bautzen["id"]
        assert willkommen.check(bautzen) == []
        sponsored = json.loads(json.dumps(bautzen))
        sponsored["partners"][0] |= {"$type": "test-unresolvable-partner", "amount": 5}
        with pytest.raises(UnsupportedType, match=r"'amount' of Sponsor.*'Decimal' is not defined"):
            willkommen.loads(json.dumps(sponsored))


def test_a_mapping_is_owned_by_its_object() -> None:
    """The object keeps a copy of the caller's dict: changing theirs later puts nothing unchecked into it."""
    counts = {"a": 1}
    survey = Survey(title="t", counts=counts)
    counts["b"] = "two"  # type: ignore[assignment]
    assert survey.counts == {"a": 1}
    assert willkommen.check(survey, Survey) == []


def test_a_key_json_would_change_is_not_written() -> None:
    """A key that is no text (put in past the checks) is a problem at its place, never written as other text."""
    survey = Survey(title="t", counts={"a": 1})
    assert survey.counts is not None
    survey.counts[1] = 2  # type: ignore[index]
    survey.counts["1"] = 3
    survey.counts[None] = 4  # type: ignore[index]
    assert {(p.code, p.path) for p in willkommen.check(survey, Survey)} == {
        ("type", "/counts/1"),
        ("type", "/counts/None"),
    }
    with pytest.raises(willkommen.ValidationError):
        willkommen.dumps(survey)


@pytest.mark.parametrize(
    ("annotation", "value", "fits"),
    [
        (tuple[int, ...], (1, 2), True),
        (tuple[int, ...], (1, True), False),  # True is no int
        (frozenset[str] | None, None, True),
        (frozenset[str] | None, frozenset({"a", 1}), False),
        (dict[str, Decimal], {"a": Decimal(1)}, True),
        (dict[str, Decimal], {"a": 1.0}, False),
        (tuple[dt.date, int], (dt.date(2017, 5, 1), 3), True),
        (tuple[dt.date, int], (dt.datetime(2017, 5, 1, tzinfo=dt.UTC), 3), False),  # a datetime is no date here
    ],
)
def test_the_test_of_a_node_says_what_its_type_check_says(annotation: Any, value: object, *, fits: bool) -> None:
    """``accepts`` (the fast reader's check of defaults) agrees with construction, compiled before any class has it."""
    node = plan_of(annotation)
    assert accepts(node)(value) is fits
    holder: Any = willkommen.model(type("Holder", (), {"__annotations__": {"x": annotation}}))
    if fits:
        assert holder(x=value).x == value
    else:
        with pytest.raises(TypeError, match="'x' must be"):
            holder(x=value)
