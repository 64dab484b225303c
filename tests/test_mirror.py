"""The mirror path of willkommen[fast] refuses what msgspec alone would let through, and reads the rest alike.

With the accelerator on, a document is decoded by msgspec into mirror structs
generated from the type plan and built into objects (``willkommen._mirror``).
msgspec alone keeps the last of repeated keys, reads a Decimal from a string,
rounds numbers into floats, reads a naive datetime, calls an enumeration's
``_missing_``, merges repeated items of a set and nests as deep as the types
go: each test here gives one such input and requires that the mirror hands
it over (``read_mirrored`` is None) and that the reading is the same with the
accelerator on and off. Each test fails if the check it names is removed.
The corpora (mutations, invalid documents, fuzz) are in ``test_accelerator.py``.
"""

import datetime as dt
import enum
import json
import sys
from decimal import Decimal
from typing import Any, Literal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from tests.test_accelerator import assert_same
from tests.test_agreement import Everything, Level, Mood, Part, Tree
from willkommen import Alliance
from willkommen import _accelerator as accelerator
from willkommen._example import example_document
from willkommen._fast import _builds_directly
from willkommen._limits import MAX_DEPTH
from willkommen._plan import ScalarKind
from willkommen._strict import LEAVES, StructureProblem
from willkommen.testing import objects

pytestmark = pytest.mark.skipif(
    not accelerator.installed(), reason="msgspec is not installed: pip install -e '.[fast]' to test the accelerator"
)

if accelerator.installed():
    import msgspec

    from willkommen._mirror import read_mirrored

_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=40)


@willkommen.model
class Measured:
    """A user's class with a float, a datetime, a set, an optional float and an integer."""

    name: str
    ratio: float
    at: dt.datetime | None = None
    tags: frozenset[str] = frozenset()
    share: float | None = None
    count: int = 0
    budget: Decimal | None = None


class Lenient(enum.StrEnum):
    """A code list whose ``_missing_`` takes any word: msgspec would call it, the library reads by value only."""

    YES = "yes"

    @classmethod
    def _missing_(cls, value: object) -> "Lenient":
        del value  # any word at all
        return cls.YES


@willkommen.model
class Answer:
    """A class with a lenient enumeration."""

    reply: Lenient


def _mirrors(text: str | bytes, cls: type[Any] = Alliance) -> object | None:
    """What the mirror reads, after checking that both ways read alike."""
    assert_same(text, cls)
    return read_mirrored(text, cls)


def _text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)


def _example_text() -> str:
    return _text(example_document())


def _changed(old: str, new: str, text: str | None = None) -> str:
    """The example's text (or *text*) with the first *old* replaced by *new*, which must be there."""
    text = _example_text() if text is None else text
    assert old in text
    return text.replace(old, new, 1)


def _measured(**fields: str) -> str:
    values = {"name": '"a"', "ratio": "0.5", **fields}
    return "{" + ", ".join(f'"{key}": {value}' for key, value in [("schema_version", "2"), *values.items()]) + "}"


# --- what the mirror reads ------------------------------------------------------------------------


def test_the_examples_take_the_mirror_path() -> None:
    """Every shipped example and the tagged NRW example: the mirror reads them into the same objects."""
    texts = [willkommen.dumps(willkommen.loads(_example_text()))]
    texts.append(_text(willkommen.nrw.example_document()))
    for text in texts:
        value = _mirrors(text)
        assert value is not None
        assert value == willkommen.loads(text)
        assert _mirrors(text.encode()) == value
    assert type(read_mirrored(texts[-1], Alliance)) is willkommen.nrw.NrwAlliance


@willkommen.model
class EveryNode:
    """Every leaf and node kind the plan supports, required and optional (``Everything`` without a Tree).

    Built slot by slot, unlike ``Everything`` (whose default factories call the class).
    """

    text: str
    number: int
    ratio: float
    flag: bool
    amount: Decimal
    day: dt.date
    moment: dt.datetime
    mood: Mood
    level: Level
    unit: Literal["cm", "m"]
    scale: Literal[1, 10, 100]
    mixed: Literal["one", 2]
    pair: tuple[int, str]
    part: Part
    note: str | None = None
    when: dt.datetime | None = None
    share: float | None = None
    budget: Decimal | None = None
    words: tuple[str, ...] = ()
    labels: frozenset[str] = frozenset()
    levels: frozenset[Level] = frozenset()
    # Required, so that the class is built slot by slot (a default factory would call the class).
    counts: dict[str, int]
    parts_by_name: dict[str, Part]
    amounts: dict[str, Decimal] | None = None
    parts: tuple[Part, ...] = ()
    pairs: tuple[tuple[Decimal, dt.date], ...] = ()


@_SETTINGS
@given(objects(EveryNode))
def test_a_user_class_with_every_node_reads_the_same(obj: EveryNode) -> None:
    """Every leaf and node kind (floats, datetimes, sets, fixed tuples, mappings, enumerations, literals)."""
    assert _builds_directly(EveryNode)
    text = willkommen.dumps(obj)
    assert assert_same(text, EveryNode).value == obj
    mirrored = read_mirrored(text, EveryNode)
    if '"$type"' in text:
        assert mirrored is None  # a tagged part (or the text "$type"): the usual path
    else:
        assert mirrored == obj


@_SETTINGS
@given(objects(Everything))
def test_a_class_holding_a_recursive_class_reads_the_same(obj: Everything) -> None:
    """Everything holds a Tree, which holds itself: no mirror, the same reading."""
    text = willkommen.dumps(obj)
    assert assert_same(text, Everything).value == obj
    assert read_mirrored(text, Everything) is None


@_SETTINGS
@given(objects(willkommen.nrw.NrwAlliance))
def test_the_tagged_nrw_class_reads_the_same(obj: willkommen.nrw.NrwAlliance) -> None:
    """NrwAlliance from its $type: the mirror of the subclass reads it, to an equal object."""
    text = willkommen.dumps(obj)
    assert assert_same(text).value == obj
    assert read_mirrored(text, Alliance) == obj
    assert read_mirrored(text, willkommen.nrw.NrwAlliance) == obj


def test_a_tag_after_other_keys_is_found() -> None:
    """A top-level $type anywhere among the keys (not where dumps writes it) is found, and read."""
    document = willkommen.nrw.example_document()
    tag = document.pop("$type")
    document["$type"] = tag
    value = _mirrors(_text(document))
    assert type(value) is willkommen.nrw.NrwAlliance


def test_a_class_holding_itself_goes_the_usual_way() -> None:
    """Tree contains Tree: no mirror (msgspec would need a forward reference); the usual path reads it."""
    text = willkommen.dumps(Tree(label="a", children=(Tree(label="b"),)))
    assert _mirrors(text, Tree) is None


# --- what the mirror hands over: one test per check of its own --------------------------------------


def test_a_repeated_key() -> None:
    """A repeated key, which msgspec drops without a word: the quote count of its writing finds it."""
    text = _changed('"name": ', '"name": "Doppelt", "name": ')
    assert _mirrors(text) is None


def test_a_repeated_key_with_a_number() -> None:
    """A repeated key whose value has no quotes: its key's quotes are still missing from the writing."""
    text = _changed('"hours": 33.3', '"hours": 3, "hours": 33.3')
    assert _mirrors(text) is None


def test_a_quote_written_as_an_escape() -> None:
    r"""Two quotes written ``\u0022`` would make up for the quotes of a repeated key: such text is not read here."""
    text = _changed('"hours": 33.3', '"hours": 3, "hours": 33.3')
    text = _changed('"name": "', '"name": "\\u0022\\u0022', text)
    assert _mirrors(text) is None


def test_a_decimal_written_as_a_string() -> None:
    """A Decimal written as a JSON string, which msgspec's Decimal would read: the library's hook refuses it."""
    text = _changed('"hours": 33.3', '"hours": "2"')
    assert _mirrors(text) is None


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_decimal_string_that_is_no_number(word: str) -> None:
    """A string msgspec reads as a Decimal NaN or infinity: refused, not written as a number."""
    text = _changed('"hours": 33.3', f'"hours": "{word}"')
    assert _mirrors(text) is None


@pytest.mark.parametrize("hours", ["0.1000000000000000055511151231257827", "1e-400", "1E400", str(2**53 + 1)])
def test_a_decimal_a_float_cannot_hold(hours: str) -> None:
    """Hours of more digits than a float holds, or beyond its range: the Decimal hook refuses them."""
    text = _changed('"hours": 33.3', f'"hours": {hours}')
    assert _mirrors(text) is None


@pytest.mark.parametrize("ratio", ["1e-400", "1e400", str(2**53 + 1), "0.1000000000000000055511151231257827", "-0"])
def test_a_float_field_reads_as_the_library_reads(ratio: str) -> None:
    """Numbers msgspec would round into a float (or 0.0): the raw number is read by the library's parser and hook."""
    value = _mirrors(_measured(ratio=ratio), Measured)
    if ratio == "-0":
        assert value is not None
        assert str(value.ratio) == "0.0"  # type: ignore[attr-defined]
    else:
        assert value is None


def test_an_optional_float_field() -> None:
    """An optional float: null is None, a number is read by the library's hook, a huge one refused."""
    assert _mirrors(_measured(share="null"), Measured) == Measured(name="a", ratio=0.5, share=None)
    assert _mirrors(_measured(share="0.25"), Measured) == Measured(name="a", ratio=0.5, share=0.25)
    assert _mirrors(_measured(share="1e400"), Measured) is None


def test_an_optional_decimal_field() -> None:
    """An optional Decimal: null is None, a number its Decimal, a string refused."""
    assert _mirrors(_measured(budget="null"), Measured) == Measured(name="a", ratio=0.5, budget=None)
    assert _mirrors(_measured(budget="2.50"), Measured) == Measured(name="a", ratio=0.5, budget=Decimal("2.50"))
    assert _mirrors(_measured(budget='"2.50"'), Measured) is None


@pytest.mark.parametrize("at", ['"2020-01-01T10:00:00"', '"2020-01-01"', '"2020-01-01T10:00:00+01:00"'])
def test_a_datetime_is_read_by_the_library_hook(at: str) -> None:
    """A naive datetime or a bare date, which msgspec would read as a datetime: the library refuses both."""
    value = _mirrors(_measured(at=at), Measured)
    assert (value is not None) == at.endswith('+01:00"')


def test_a_set_with_an_item_twice() -> None:
    """A frozenset's list with an item twice is refused; msgspec would merge them."""
    assert _mirrors(_measured(tags='["a", "b"]'), Measured) is not None
    assert _mirrors(_measured(tags='["a", "a"]'), Measured) is None


def test_an_enumeration_is_read_by_value_only() -> None:
    """A code read by its value alone: msgspec would call the enumeration's _missing_."""
    assert _mirrors('{"schema_version": 2, "reply": "yes"}', Answer) == Answer(reply=Lenient.YES)
    assert _mirrors('{"schema_version": 2, "reply": "maybe"}', Answer) is None


def test_nesting_beyond_the_limit() -> None:
    """A chain of classes nesting deeper than the format allows: no mirror, the depth is reported as before."""
    namespace: dict[str, Any] = {}
    previous: type | None = None
    for level in range(MAX_DEPTH + 2):
        annotations = {"value": int} if previous is None else {"inner": previous}
        previous = willkommen.model(type(f"Level{level}", (), {"__annotations__": annotations}))
        namespace[previous.__name__] = previous
    assert previous is not None
    text = '{"schema_version": 2, ' + '"inner": {' * (MAX_DEPTH + 1) + '"value": 1' + "}" * (MAX_DEPTH + 2)
    # Under the default recursion limit the mirror's generator gives up before its depth check:
    # a program may well raise the limit, and then msgspec would read the document.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        assert _mirrors(text, previous) is None
    finally:
        sys.setrecursionlimit(limit)
    assert [p.code for p in willkommen.reads(text, previous).problems] == ["invalid_json"]


def test_a_caller_int_limit() -> None:
    """Under a caller's int-to-text limit the library reads integers by its own digits: not the mirror."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(1000)
    try:
        assert _mirrors(_example_text()) is None
    finally:
        sys.set_int_max_str_digits(old)


def test_an_integer_of_too_many_digits() -> None:
    """An integer field of 4,301 digits is refused (msgspec refuses it too), one of 4,300 read."""
    assert _mirrors(_measured(count="9" * 4301), Measured) is None
    value = _mirrors(_measured(count="9" * 4300), Measured)
    assert value is not None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"hours": 33.3', '"hours": true'),
        ('"name": "', '"name": 1, "x": "'),
        ('"partners": [', '"partners": {"a": 1}, "x": ['),
    ],
)
def test_no_coercion(old: str, new: str) -> None:
    """No coercion: true is no number, a number no text, an object no list (the usual path reports them)."""
    text = _changed(old, new)
    assert _mirrors(text) is None


@pytest.mark.parametrize("count", ["1.0", "1e2", "true", '"1"', "null"])
def test_no_coercion_to_an_integer(count: str) -> None:
    """An integer field takes a JSON integer only: not 1.0, true, "1" or null."""
    assert _mirrors(_measured(count=count), Measured) is None


def test_an_unknown_key_and_a_missing_key() -> None:
    """A key the class lacks, and a required key absent: the usual path reports them."""
    assert _mirrors(_changed('"name": ', '"homepage": "x", "name": ')) is None
    document = example_document()
    del document["origin"]
    assert _mirrors(_text(document)) is None


def test_a_lone_surrogate() -> None:
    """A lone surrogate, escaped or in a str: never read here."""
    assert _mirrors(_changed('"name": "', '"name": "\\udc00')) is None
    assert _mirrors(_changed('"name": "', '"name": "\udc00')) is None


@pytest.mark.parametrize("version", ["1", "3", '"2"', "2.0", "true"])
def test_another_schema_version(version: str) -> None:
    """An older version is migrated by the usual path; an unknown or malformed one is reported there."""
    text = _changed('"schema_version": 2', f'"schema_version": {version}')
    assert _mirrors(text) is None


def test_tags_the_mirror_does_not_take() -> None:
    """A nested $type, an unknown tag, a tag of a class not allowed here, $type as text: the usual path."""
    nrw = willkommen.nrw.example_document()
    nested = example_document()
    nested["partners"][0] = {"$type": "nrw-alliance", **nested["partners"][0]}
    assert _mirrors(_text(nested)) is None
    assert _mirrors(_text({**nrw, "$type": "no-such-type"})) is None
    assert _mirrors(_text(nrw), willkommen.Partner) is None
    text = _changed('"name": "', '"name": "$type", "lead": "')
    assert '"$type"' in text
    assert _mirrors(text) is None
    tagged_twice = _text(nrw).replace('"name": ', '"$type": "nrw-alliance", "name": ', 1)
    assert _mirrors(tagged_twice) is None
    assert _mirrors(b'{"schema_version": 2, "$type": "\xff"}') is None


def test_a_tag_written_with_an_escape() -> None:
    r"""A key written ``"\u0024type"`` is a $type that the byte count does not see: the tag read is compared."""
    document = example_document()
    text = _text({"schema_version": 2, "\\u0024type": "nrw-alliance", **document}).replace("\\\\u0024", "\\u0024")
    assert '"\\u0024type": "nrw-alliance"' in text
    assert _mirrors(text) is None


@pytest.mark.parametrize(
    ("offering", "read"),
    [
        ({"type": "analysis_workshop", "date": "2016-03-01"}, True),
        ({"type": "analysis_workshop", "start": "2016-03-01", "end": "2016-03-02"}, True),
        ({"type": "analysis_workshop", "status": "planned"}, True),
        ({"type": "analysis_workshop", "status": "planned", "date": None}, True),
        ({"type": "analysis_workshop"}, False),
        ({"type": "analysis_workshop", "date": "2016-03-01", "start": "2016-03-01", "end": "2016-03-02"}, False),
        ({"type": "analysis_workshop", "start": "2016-03-01"}, False),
        ({"type": "analysis_workshop", "status": "held", "date": None}, False),
    ],
)
def test_the_shape_of_an_offering(offering: dict[str, Any], read: bool) -> None:
    """Offering's dates: a date, or a start and an end, or nothing when planned; anything else the usual path."""
    document = example_document()
    document["offerings"] = [offering]
    value = _mirrors(_text(document))
    assert (value is not None) is read


def test_a_class_with_its_own_validator_is_called() -> None:
    """A class whose field has a validator of its own is built by calling it: a refusal goes the usual way."""

    @willkommen.model
    class Positive:
        amount: Decimal = attrs.field(validator=attrs.validators.gt(Decimal(0)))
        note: str | None = None

    assert _mirrors('{"schema_version": 2, "amount": 1}', Positive) == Positive(amount=Decimal(1))
    assert _mirrors('{"schema_version": 2, "amount": 1, "note": "n"}', Positive) == Positive(
        amount=Decimal(1), note="n"
    )
    assert _mirrors('{"schema_version": 2, "amount": -1}', Positive) is None


def test_a_default_its_own_type_check_refuses() -> None:
    """A default that the field's type check refuses: attrs' __init__ would refuse it, so the usual path reads."""

    @willkommen.model
    class Odd:
        size: int = "large"  # type: ignore[assignment]

    assert _mirrors('{"schema_version": 2, "size": 1}', Odd) == Odd(size=1)
    assert _mirrors('{"schema_version": 2}', Odd) is None


def test_an_empty_fixed_tuple_and_bytes_of_another_type() -> None:
    """A field that is an empty fixed tuple has no mirror; a bytearray is read the usual way."""

    @willkommen.model
    class Nothing:
        nothing: tuple[()] = ()

    assert _mirrors('{"schema_version": 2, "nothing": []}', Nothing) is None
    assert read_mirrored(bytearray(_example_text().encode()), Alliance) is None  # type: ignore[arg-type]


# --- msgspec's own reading of dates, which the mirror relies on, against the library's ----------------

_DATE_LIKE = st.one_of(
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.builds(
        lambda year, month, day: f"{year:04d}-{month:02d}-{day:02d}",
        st.integers(0, 10_000),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    st.text("0123456789-T:Z+ W.", max_size=14),
    st.text(max_size=12),
)


def _library_date(text: str) -> dt.date | None:
    try:
        day: dt.date = LEAVES[ScalarKind.DATE](text, None)
    except StructureProblem:
        return None
    return day


def _msgspec_date(text: str) -> dt.date | None:
    try:
        day: dt.date = msgspec.json.decode(json.dumps(text).encode(), type=dt.date)
    except msgspec.DecodeError:
        return None
    return day


@settings(deadline=None, max_examples=1000)
@given(_DATE_LIKE)
def test_msgspec_reads_a_date_as_the_library_does(text: str) -> None:
    """Any string: msgspec's date is the library's (YYYY-MM-DD, a real calendar day), or both refuse it."""
    assert _msgspec_date(text) == _library_date(text)


def test_msgspec_reads_every_day_of_leap_and_common_years_as_the_library_does() -> None:
    """Every month and day number, in a leap year, a common year, a century and the ends of the range."""
    for year in (1, 1900, 2000, 2016, 2017, 9999):
        for month in range(14):
            for day in range(33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                assert _msgspec_date(text) == _library_date(text), text
