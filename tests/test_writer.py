"""The writers generated per model class write exactly what the reference path writes, or hand over.

The reference path is the writable scan, cattrs and json (``_api._scanned_document``
and ``_api._scanned_text``). For every generated object (the built-in model, the
tagged NRW class, a user's class with every node the type plan knows, trees, shared
parts) each generated writer gives the same text byte for byte (indented by any
width, or compact) and the same document, keys in the same order; and for every
kind of value no document can carry, put in place past the construction checks,
``dump`` and ``dumps`` end exactly as the reference path does: the same
``ValidationError.problems``, or the same other exception.
"""

import copy
import datetime as dt
import enum
import math
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Literal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from tests.test_agreement import Everything, Level, Mood, Part, SpecialPart, Tree
from tests.test_graphs import graphs
from willkommen import _accelerator as accelerator
from willkommen import _api, _writer
from willkommen._example import example_document
from willkommen._headroom import headroom
from willkommen._limits import MAX_DEPTH
from willkommen.testing import alliances, nrw_alliances, objects

_SETTINGS = settings(
    max_examples=max(20, settings().max_examples * 60 // 100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_MSGSPEC = accelerator.installed()
_NO_MSGSPEC = "msgspec (willkommen[fast]) is not installed"

# The layouts compared: json's default indent, other widths (0 and below: line breaks only), compact.
INDENTS = [2, None, 4, 1, 0, -1, 3, -8]


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Odd:
    """What the built-in model does not have: every field optional, sets and maps of objects, a private name."""

    maybe: str | None = None
    _secret: int | None = None
    parts: frozenset[Part] = frozenset()
    levels: frozenset[Level] = frozenset()
    amounts: frozenset[Decimal] = frozenset()
    pair: tuple[Part, Decimal] | None = None
    by_key: dict[str, Tree] = attrs.field(factory=dict)
    nothing: tuple[()] = ()
    ratio: float = 0.0
    numbers: frozenset[int] = frozenset()
    flags: frozenset[bool] = frozenset()
    ratios: frozenset[float] = frozenset()
    maybes: tuple[str | None, ...] = ()
    size: Literal["s", 2] | None = None
    every: Everything | None = None


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Empty:
    """A class without fields: an empty object."""


CLASSES: list[type] = [
    willkommen.Alliance,
    willkommen.nrw.NrwAlliance,
    Everything,
    Odd,
    Tree,
    Empty,
    willkommen.Offering,
]


def _cases() -> st.SearchStrategy[tuple[type, Any]]:
    generated: st.SearchStrategy[tuple[type, Any]] = st.sampled_from(CLASSES).flatmap(
        lambda cls: st.tuples(st.just(cls), objects(cls))
    )
    seeds = st.one_of(
        alliances().map(lambda a: (willkommen.Alliance, a)),
        nrw_alliances().map(lambda a: (willkommen.nrw.NrwAlliance, a)),
    )
    return generated | seeds


def _shape(value: object) -> object:
    """*value* with every type and every key order made visible, for an exact comparison."""
    if isinstance(value, dict):
        return ("dict", [(key, _shape(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_shape(item) for item in value])
    return (type(value).__name__, value)


def _objects_of_classes_inside(obj: object) -> bool:
    """Whether *obj* holds a set of objects, which the writers leave to the reference path."""
    if isinstance(obj, Odd):
        return bool(obj.parts)
    return False


@_SETTINGS
@given(case=_cases(), indent=st.sampled_from(INDENTS))
def test_the_text_is_the_reference_text(case: tuple[type, Any], indent: int | None) -> None:
    """For any generated object and layout, the generated text writer writes the same bytes."""
    _, obj = case
    expected = _api._scanned_text(obj, indent)
    written = _writer.text(obj, indent)
    if _objects_of_classes_inside(obj):
        assert written is None
    else:
        assert written == expected
    assert willkommen.dumps(obj, indent=indent) == expected


@pytest.mark.skipif(not _MSGSPEC, reason=_NO_MSGSPEC)
@_SETTINGS
@given(case=_cases(), indent=st.sampled_from(INDENTS))
def test_msgspec_writes_the_reference_text(case: tuple[type, Any], indent: int | None) -> None:
    """With willkommen[fast], msgspec writes the same bytes (a zero or negative indent is left to the text writer)."""
    _, obj = case
    expected = _api._scanned_text(obj, indent)
    written = _writer.msgspec_text(obj, indent)
    if (indent is not None and indent <= 0) or _objects_of_classes_inside(obj):
        assert written is None
    else:
        assert written == expected
    accelerator.set_active(active=True)
    try:
        assert willkommen.dumps(obj, indent=indent) == expected
    finally:
        accelerator.set_active(active=None)


@_SETTINGS
@given(case=_cases())
def test_the_document_is_the_reference_document(case: tuple[type, Any]) -> None:
    """dump() gives the same document: equal values of the same types, keys in the same order."""
    _, obj = case
    expected = _api._scanned_document(obj)
    written = _writer.document(obj)
    assert written is not None
    assert _shape(written) == _shape(expected)
    assert _shape(willkommen.dump(obj)) == _shape(expected)


def test_the_writers_take_the_common_case_themselves() -> None:
    """The seed alliance is written by each generated writer, not handed over."""
    alliance = willkommen.load(willkommen.nrw.example_document())
    assert _writer.document(alliance) is not None
    assert _writer.text(alliance, 2) is not None
    assert _writer.text(alliance, None) is not None
    if _MSGSPEC:
        assert _writer.msgspec_text(alliance, 2) is not None


# --- shared parts, deep trees -------------------------------------------------------------------------


def _diamond(levels: int) -> Tree:
    """A tree whose two children are the same tree, *levels* times: 2**levels places."""
    node = Tree(label="leaf")
    for level in range(levels):
        node = Tree(label=f"level {level}", children=(node, node), parent_note=node)
    return node


def _chain(length: int) -> Tree:
    node = Tree(label="end")
    for _ in range(length):
        node = Tree(label="x", children=(node,))
    return node


@pytest.mark.parametrize(
    "make",
    [lambda: _diamond(6), lambda: _chain(40), lambda: Everything.__new__(Everything)],
    ids=["shared parts", "a chain the writer writes", "an object without its fields"],
)
def test_what_only_code_builds_is_written_as_the_reference_writes_it(make: Callable[[], object]) -> None:
    """Shared parts are written at every place; what the reference path refuses, it still refuses."""
    obj = make()
    for indent in INDENTS:
        expected = _reference(lambda: willkommen.dumps(obj, indent=indent))  # noqa: B023 - called at once
        assert _outcome(lambda: willkommen.dumps(obj, indent=indent)) == expected  # noqa: B023
    assert _outcome(lambda: willkommen.dump(obj)) == _reference(lambda: willkommen.dump(obj))


@pytest.mark.parametrize("length", [_writer.MAX_LEVELS // 2 + 5, MAX_DEPTH // 2 - 2, MAX_DEPTH])
def test_a_tree_deeper_than_the_writer_goes_is_handed_over(length: int) -> None:
    """Beyond MAX_LEVELS the reference path writes (or refuses, beyond MAX_DEPTH) the tree."""
    deep = _chain(length)
    assert _writer.text(deep, 2) is None
    assert _writer.document(deep) is None
    assert _outcome(lambda: willkommen.dumps(deep)) == _reference(lambda: willkommen.dumps(deep))
    with headroom():  # comparing documents this deep recurses
        assert _outcome(lambda: willkommen.dump(deep)) == _reference(lambda: willkommen.dump(deep))


# --- values no document can carry, and values unlike their annotation -------------------------------


def _outcome(work: Callable[[], object]) -> tuple[object, ...]:
    """What *work* gave, or how it failed: the exception's type and problems (or text)."""
    try:
        result = work()
    except willkommen.ValidationError as exc:
        return ("ValidationError", exc.problems)
    except Exception as exc:  # noqa: BLE001 - any exception must be the reference path's too
        return (type(exc).__name__, str(exc))
    with headroom():  # room for the deepest document a tree makes
        return ("written", _shape(result) if isinstance(result, dict) else result)


def _reference(work: Callable[[], object]) -> tuple[object, ...]:
    """:func:`_outcome` of *work* with the generated writers switched off."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_writer, "ENABLED", False)
        return _outcome(work)


class Other(enum.Enum):
    """An enumeration no field is annotated with."""

    ONE = "one"


class Huge(enum.IntEnum):
    """An enumeration whose value no document can carry."""

    BIG = 10**5000


@attrs.define
class Untagged(Part):
    """A subclass without a tag where its base is expected: cattrs refuses to write it."""


def _cycle() -> Tree:
    tree = Tree(label="loop")
    object.__setattr__(tree, "children", (tree,))
    return tree


#: Values of every kind that no document can carry, and values unlike any annotation.
HOSTILE: dict[str, Callable[[], object]] = {
    "a lone surrogate": lambda: "x\ud800",
    "an integer over the limit": lambda: 10**5000,
    "an integer msgspec cannot write": lambda: 2**70,
    "hours a float cannot hold": lambda: Decimal("1.2345678901234567890"),
    "an integral Decimal a float cannot hold": lambda: Decimal(12345678901234567),
    "Decimal NaN": lambda: Decimal("NaN"),
    "a signalling NaN": lambda: Decimal("sNaN"),
    "Decimal infinity": lambda: Decimal("-Infinity"),
    "float NaN": lambda: math.nan,
    "float infinity": lambda: math.inf,
    "a float json writes with an exponent": lambda: 1e16,
    "a tiny float": lambda: 1e-7,
    "a naive datetime": lambda: dt.datetime(2020, 1, 1, 12),  # noqa: DTZ001 - the point
    "a datetime with seconds in its offset": lambda: dt.datetime(
        2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30))
    ),
    "an aware datetime": lambda: dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    "a date": lambda: dt.date(2020, 2, 29),
    "None": lambda: None,
    "True": lambda: True,
    "an int": lambda: 7,
    "text": lambda: "text",
    "a list holding a lone surrogate": lambda: ["\udc80"],
    "a tuple": lambda: ("a", 1),
    "a dict with a key that is not text": lambda: {1: "one"},
    "a dict with a lone surrogate in a key": lambda: {"\ud800": 1},
    "a dict": lambda: {"a": 1},
    "a frozenset": lambda: frozenset({"b", "a"}),
    "a member of another enumeration": lambda: Other.ONE,
    "a member whose value no document carries": lambda: Huge.BIG,
    "a member": lambda: Mood.CALM,
    "an object of a class without a tag": lambda: Untagged(name="u"),
    "an object of a tagged subclass": lambda: SpecialPart(name="s", grade=Level.HIGH),
    "an object of another class": lambda: willkommen.Person(name="p"),
    "an object that contains itself": _cycle,
    "a chain deeper than a document": lambda: _chain(MAX_DEPTH + 5),
    "a bare object": object,
}


def _holders(obj: object) -> Iterator[tuple[object, str]]:
    """Every (model object, field name) in *obj*, in document order."""
    cls = type(obj)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            yield obj, field.name
            yield from _holders(getattr(obj, field.name))
    elif isinstance(obj, tuple | list | frozenset):
        for item in obj:
            yield from _holders(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _holders(item)


@_SETTINGS
@given(case=_cases(), data=st.data())
def test_any_value_set_past_the_checks_ends_as_in_the_reference(case: tuple[type, Any], data: st.DataObject) -> None:
    """One field anywhere holds a hostile value: dump and dumps (writers on, off, msgspec) end alike."""
    _, original = case
    obj = copy.deepcopy(original)
    places = list(_holders(obj))
    if not places:
        return
    holder, name = data.draw(st.sampled_from(places), label="place")
    kind = data.draw(st.sampled_from(sorted(HOSTILE)), label="value")
    object.__setattr__(holder, name, HOSTILE[kind]())
    indent = data.draw(st.sampled_from(INDENTS), label="indent")
    expected = _reference(lambda: willkommen.dumps(obj, indent=indent))
    assert _outcome(lambda: willkommen.dumps(obj, indent=indent)) == expected
    if _MSGSPEC:
        accelerator.set_active(active=True)
        try:
            assert _outcome(lambda: willkommen.dumps(obj, indent=indent)) == expected
        finally:
            accelerator.set_active(active=None)
    assert _outcome(lambda: willkommen.dump(obj)) == _reference(lambda: willkommen.dump(obj))


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_every_kind_of_value_in_every_kind_of_field(kind: str) -> None:
    """Each hostile value in each field of a user's class with every node: the same end as the reference."""
    base = Everything(
        text="t",
        number=1,
        ratio=0.5,
        flag=True,
        amount=Decimal("1.5"),
        day=dt.date(2020, 1, 1),
        moment=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        mood=Mood.KEEN,
        level=Level.LOW,
        unit="cm",
        scale=10,
        pair=(1, "a"),
        part=Part(name="p"),
        note="n",
        words=("w",),
        labels=frozenset({"l"}),
        levels=frozenset({Level.HIGH}),
        counts={"c": 1},
        parts=(Part(name="q"),),
        parts_by_name={"r": Part(name="r")},
        tree=Tree(label="t"),
    )
    for field in attrs.fields(Everything):
        obj = copy.deepcopy(base)
        object.__setattr__(obj, field.name, HOSTILE[kind]())
        for indent in (2, None):
            expected = _reference(lambda: willkommen.dumps(obj, indent=indent))  # noqa: B023
            assert _outcome(lambda: willkommen.dumps(obj, indent=indent)) == expected, field.name  # noqa: B023
        assert _outcome(lambda: willkommen.dump(obj)) == _reference(lambda: willkommen.dump(obj)), field.name  # noqa: B023


def test_a_value_no_document_can_carry_is_handed_over() -> None:
    """The writers never write a lone surrogate, a huge integer or unfit hours: they hand them over."""
    alliance = willkommen.load(example_document())
    for value in ("\ud800", 10**5000, Decimal("0.1000000000000000000001")):
        obj = copy.deepcopy(alliance)
        field = {str: "name", int: "participants", Decimal: "hours_budget"}[type(value)]
        holder: Any = obj if field == "name" else obj.offerings[0] if field == "participants" else obj.coaching
        object.__setattr__(holder, field, value)
        assert _writer.text(obj, 2) is None
        assert _writer.document(obj) is None
        if _MSGSPEC:
            assert _writer.msgspec_text(obj, 2) is None
        with pytest.raises(willkommen.ValidationError):
            willkommen.dumps(obj)


def test_a_tag_declared_later_is_written() -> None:
    """A tag declared after a writer was made: the writers are made again, and write it."""
    with willkommen.registry_scope():

        @willkommen.tagged("test-writer-late-part")
        @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
        class LatePart(Part):
            pass

        holder = Odd(pair=(LatePart(name="late"), Decimal(2)))
        assert _writer.text(holder, 2) == _api._scanned_text(holder, 2)
        assert '"$type": "test-writer-late-part"' in willkommen.dumps(holder)


@pytest.mark.parametrize("limit", [0, 640, 4300, 100_000], ids=["no limit", "lowest", "default", "higher"])
def test_the_callers_int_text_limit_changes_nothing(limit: int) -> None:
    """Whatever limit the caller set, a too long integer is refused and a long one written by its digits."""
    holder = Tree(label="numbers")
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        for value in (10**5000, -(10**4400), 10**1000, 2**70, -(2**63)):
            obj = Odd(maybe="x", by_key={"t": holder})
            object.__setattr__(obj, "_secret", value)
            for indent in (2, None):
                expected = _reference(lambda: willkommen.dumps(obj, indent=indent))  # noqa: B023 - called at once
                assert _outcome(lambda: willkommen.dumps(obj, indent=indent)) == expected  # noqa: B023
            assert _outcome(lambda: willkommen.dump(obj)) == _reference(lambda: willkommen.dump(obj))  # noqa: B023
    finally:
        sys.set_int_max_str_digits(old)


class Vague(enum.Enum):
    """An enumeration whose members say they equal None: cattrs leaves such a value out."""

    SOME = "some"

    def __eq__(self, other: object) -> bool:
        """Equal to itself, and to None."""
        return other is None or other is self

    def __ne__(self, other: object) -> bool:
        """Unequal to all else."""
        return not self == other

    __hash__ = enum.Enum.__hash__


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class WithVague:
    """An optional field of that enumeration."""

    vague: Vague | None = None
    label: str = "x"


def test_a_value_equal_to_none_is_left_out_as_cattrs_leaves_it_out() -> None:
    """A value that ``!= None`` calls equal to None is left out, as cattrs leaves it out, by every writer."""
    obj = WithVague(vague=Vague.SOME)
    assert '"vague"' not in _api._scanned_text(obj, 2)
    for indent in INDENTS:
        assert _writer.text(obj, indent) == _api._scanned_text(obj, indent)
        if _MSGSPEC and (indent is None or indent > 0):
            assert _writer.msgspec_text(obj, indent) == _api._scanned_text(obj, indent)
    assert _shape(_writer.document(obj)) == _shape(_api._scanned_document(obj))


@attrs.frozen
class Planless:
    """A user's class without type checks whose annotation says nothing: it has no plan."""

    anything: Any = None


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class HoldsPlanless:
    """A class with a plan that holds one without."""

    label: str
    inner: Planless | None = None


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class HoldsHuge:
    """A field of an enumeration one of whose values no document can carry."""

    size: Huge | None = None
    level: Level = Level.LOW


@pytest.mark.parametrize(
    "obj",
    [
        Planless(anything=("a", 1)),
        Planless(anything="\ud800"),
        HoldsPlanless(label="x", inner=Planless(anything=[1, 2])),
        HoldsPlanless(label="x"),
        HoldsHuge(size=Huge.BIG),
        HoldsHuge(),
    ],
    ids=["no plan", "no plan, unwritable", "holding one", "holding none", "a huge member", "no huge member"],
)
def test_a_class_the_writers_cannot_write_is_written_by_the_reference_path(obj: object) -> None:
    """A class without a plan, and an enumeration member no document carries, go to the reference path."""
    for indent in (2, None):
        expected = _reference(lambda: willkommen.dumps(obj, indent=indent))  # noqa: B023 - called at once
        assert _outcome(lambda: willkommen.dumps(obj, indent=indent)) == expected  # noqa: B023
    assert _outcome(lambda: willkommen.dump(obj)) == _reference(lambda: willkommen.dump(obj))
    if isinstance(obj, HoldsHuge) and obj.size is None:
        assert _writer.text(obj, 2) is not None
    elif not isinstance(obj, HoldsPlanless) or obj.inner is not None:
        assert _writer.text(obj, 2) is None


def test_an_indent_wider_than_the_writer_lays_out_is_handed_over() -> None:
    """Beyond MAX_INDENT, the reference path indents (the same text)."""
    alliance = willkommen.load(example_document())
    wide = _writer.MAX_INDENT + 1
    assert _writer.text(alliance, wide) is None
    assert willkommen.dumps(alliance, indent=wide) == _api._scanned_text(alliance, wide)


def test_many_different_hours_are_written_alike() -> None:
    """More distinct numbers than the writers remember (their cache is bounded): each written as before."""
    obj = Odd(amounts=frozenset(Decimal(n) / 8 for n in range(5000)), numbers=frozenset(range(-3, 30)))
    assert _writer.text(obj, 2) == _api._scanned_text(obj, 2)
    assert _shape(_writer.document(obj)) == _shape(_api._scanned_document(obj))
    if _MSGSPEC:
        assert _writer.msgspec_text(obj, 2) == _api._scanned_text(obj, 2)


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class OnlyOptional:
    """A class whose every field may be left out: which one opens the object depends on the values."""

    first: str | None = None
    second: int | None = None


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class WithOnlyOptional:
    """Such an object inside another."""

    inner: OnlyOptional


@pytest.mark.parametrize(
    "obj",
    [
        Empty(),
        OnlyOptional(),
        OnlyOptional(second=2),
        OnlyOptional(first="a", second=2),
        WithOnlyOptional(inner=OnlyOptional()),
        WithOnlyOptional(inner=OnlyOptional(first="a")),
    ],
    ids=["no fields", "all left out", "the second only", "both", "nested, empty", "nested"],
)
def test_an_object_that_may_be_empty_is_written_as_the_reference_writes_it(obj: object) -> None:
    """``{}`` or the entries there are, for each layout, as the document's root and nested."""
    for indent in INDENTS:
        assert _writer.text(obj, indent) == _api._scanned_text(obj, indent)
        if _MSGSPEC and (indent is None or indent > 0):
            assert _writer.msgspec_text(obj, indent) == _api._scanned_text(obj, indent)
        assert _shape(_writer.document(obj)) == _shape(_api._scanned_document(obj))


@_SETTINGS
@given(graph=graphs(), indent=st.sampled_from(INDENTS))
def test_any_graph_of_objects_ends_as_in_the_reference(
    graph: tuple[list[Any], list[list[int]]], indent: int | None
) -> None:
    """Objects wired past the checks (shared, in cycles): dumps and dump end as the reference path ends."""
    root = graph[0][0]
    expected = _reference(lambda: willkommen.dumps(root, indent=indent))
    assert _outcome(lambda: willkommen.dumps(root, indent=indent)) == expected
    assert _outcome(lambda: willkommen.dump(root)) == _reference(lambda: willkommen.dump(root))
