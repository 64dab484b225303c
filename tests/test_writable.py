"""Objects built in code: what the reader refuses in data, check() reports and dump() refuses to write.

An object read from data has passed the reader, which refuses values that no
document can carry exactly (text with a lone surrogate, integers beyond the
int-to-text limit, hours a float cannot hold). An object built in Python code
never met the reader: for it, ``check`` reports the same values as
``invalid_value`` at their paths, and ``dump``/``dumps`` raise
``ValidationError`` instead of writing something else or crashing. So for
every object ``check`` finds no error in, ``loads(dumps(x).encode()) == x``.
The quick scan that spares valid objects the walk must never miss what the
walk finds, whatever the values and annotations.
"""

import datetime as dt
import enum
import json
import math
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
from willkommen import Alliance, ValidationError
from willkommen._example import example_document
from willkommen._writable import _nothing_to_scan, _scan_any, _scanner, _suspect, _walk, unwritable
from willkommen.testing import alliances

_SETTINGS = settings(
    max_examples=max(20, settings().max_examples // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def example() -> Alliance:
    """The complete example alliance, as an object."""
    return willkommen.load(example_document())


def errors(problems: list[willkommen.Problem] | tuple[willkommen.Problem, ...]) -> list[tuple[str, str]]:
    """(code, path) of every error."""
    return [(p.code, p.path) for p in problems if p.is_error]


def refused_by_dump(obj: object) -> list[tuple[str, str]]:
    """The errors dump() raises with, for *obj*; dumps() raises the same."""
    with pytest.raises(ValidationError) as info:
        willkommen.dump(obj)
    with pytest.raises(ValidationError) as again:
        willkommen.dumps(obj)
    assert again.value.problems == info.value.problems
    return errors(info.value.problems)


# --- the cases, one by one --------------------------------------------------------------------------


def _with_partner_name(alliance: Alliance, name: str) -> Alliance:
    partners = (attrs.evolve(alliance.partners[0], name=name), *alliance.partners[1:])
    return attrs.evolve(alliance, partners=partners)


def _with_session_hours(alliance: Alliance, hours: Decimal) -> Alliance:
    assert alliance.coaching is not None
    sessions = (attrs.evolve(alliance.coaching.sessions[0], hours=hours), *alliance.coaching.sessions[1:])
    return attrs.evolve(alliance, coaching=attrs.evolve(alliance.coaching, sessions=sessions))


def _with_participants(alliance: Alliance, participants: int) -> Alliance:
    offerings = (attrs.evolve(alliance.offerings[0], participants=participants), *alliance.offerings[1:])
    return attrs.evolve(alliance, offerings=offerings)


def _with_goal_reference(alliance: Alliance, goal: str) -> Alliance:
    measures = (attrs.evolve(alliance.measures[0], goals=(goal,)), *alliance.measures[1:])
    return attrs.evolve(alliance, measures=measures)


UNWRITABLE: dict[str, tuple[Alliance, str]] = {
    "a lone surrogate in the name": (attrs.evolve(example(), name="Bautzen \ud800"), "/name"),
    "a lone surrogate in a partner's name": (_with_partner_name(example(), "\udfff"), "/partners/0/name"),
    "a lone surrogate in a list of strings": (_with_goal_reference(example(), "g\ud800"), "/measures/0/goals/0"),
    "an integer of 5,000 digits": (_with_participants(example(), 10**5000), "/offerings/0/participants"),
    "hours of 20 significant digits": (
        _with_session_hours(example(), Decimal("1.2345678901234567890")),
        "/coaching/sessions/0/hours",
    ),
    "integral hours no float holds": (
        _with_session_hours(example(), Decimal(12345678901234567)),
        "/coaching/sessions/0/hours",
    ),
}


@pytest.mark.parametrize(("alliance", "path"), UNWRITABLE.values(), ids=UNWRITABLE.keys())
def test_check_reports_what_no_document_can_carry(alliance: Alliance, path: str) -> None:
    """invalid_value at the value's path, as the reader reports the same value in data."""
    assert ("invalid_value", path) in errors(willkommen.check(alliance))


@pytest.mark.parametrize(("alliance", "path"), UNWRITABLE.values(), ids=UNWRITABLE.keys())
def test_dump_refuses_to_write_it(alliance: Alliance, path: str) -> None:
    """Not a changed value, not a UnicodeEncodeError or ValueError from json: a ValidationError naming it."""
    assert refused_by_dump(alliance) == [("invalid_value", path)]


@pytest.mark.parametrize(("alliance", "path"), UNWRITABLE.values(), ids=UNWRITABLE.keys())
def test_check_of_the_object_agrees_with_the_reader_on_the_data(alliance: Alliance, path: str) -> None:
    """The same value as data (put in place of a valid one) gets the same code at the same path."""
    document = example_document()
    node: Any = document
    *parents, last = path.strip("/").split("/")
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]
    value: Any = alliance
    for token in path.strip("/").split("/"):
        value = value[int(token)] if isinstance(value, tuple) else getattr(value, token)
    node[int(last) if isinstance(node, list) else last] = value
    assert ("invalid_value", path) in errors(willkommen.check(document))


@pytest.mark.parametrize("hours", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_hours_are_not_a_number_json_has(hours: Decimal) -> None:
    """NaN and the infinities: "type" at their path, as the reader says of them; the coaching rules skip them."""
    alliance = _with_session_hours(example(), hours)
    assert errors(willkommen.check(alliance)) == [("type", "/coaching/sessions/0/hours")]
    assert refused_by_dump(alliance) == [("type", "/coaching/sessions/0/hours")]
    document = example_document()
    document["coaching"]["sessions"][0]["hours"] = hours
    assert errors(willkommen.check(document)) == [("type", "/coaching/sessions/0/hours")]


def test_a_draft_with_rule_errors_can_still_be_written() -> None:
    """dump() refuses only what it cannot write: an alliance with too few partners is saved as it is."""
    alliance = attrs.evolve(example(), partners=example().partners[:2])
    found = errors(willkommen.check(alliance))
    assert ("alliance.too_few_partners", "/partners") in found
    document = json.loads(willkommen.dumps(alliance))
    assert len(document["partners"]) == 2
    assert errors(willkommen.check(document)) == found


def test_every_problem_is_found_in_document_order() -> None:
    """Several unwritable values: all of them, in the order they stand in the document."""
    alliance = _with_participants(_with_partner_name(attrs.evolve(example(), name="\ud800"), "\ud801"), 10**5000)
    assert refused_by_dump(alliance) == [
        ("invalid_value", "/name"),
        ("invalid_value", "/partners/0/name"),
        ("invalid_value", "/offerings/0/participants"),
    ]


# --- a user's classes: any annotation, walked by value -----------------------------------------------


@attrs.frozen(kw_only=True)
class Notes:
    """A user's class without type checks, holding whatever it is given."""

    by_key: dict[Any, Any] = attrs.field(factory=dict)
    anything: Any = None
    score: float = 0.0


def test_a_users_fields_of_any_type_are_walked() -> None:
    """Dict keys and values, lists, Any, floats: each unwritable value at its path."""
    notes = Notes(by_key={"ok": "fine", "bad\ud800": 1, "deep": [{"x": 10**5000}]}, anything=("\udc00",))
    assert [p.path for p in unwritable(notes)] == ["/by_key/bad\ud800", "/by_key/deep/0/x", "/anything/0"]
    assert [(p.code, p.path) for p in unwritable(Notes(score=math.nan))] == [("type", "/score")]


@attrs.define
class Loose:
    """A user's class without type checks: its values need not match its annotations."""

    count: int = 0
    name: str = ""
    flag: bool = False
    on: dt.date = dt.date(2017, 1, 1)
    hours: Decimal = Decimal(1)
    score: float = 0.0
    kind: willkommen.PartnerKind = willkommen.PartnerKind.YOUTH_OFFICE
    names: tuple[str, ...] = ()
    numbers: list[int] | None = None
    inner: "Loose | None" = None


MISMATCHED: dict[str, tuple[Loose, str]] = {
    "an int field holding a list": (Loose(count=["\ud800"]), "/count/0"),  # type: ignore[arg-type]
    "a str field holding a list": (Loose(name=["\ud800"]), "/name/0"),  # type: ignore[arg-type]
    "a bool field holding text": (Loose(flag="\ud800"), "/flag"),  # type: ignore[arg-type]
    "a date field holding text": (Loose(on="\ud800"), "/on"),  # type: ignore[arg-type]
    "a Decimal field holding a dict": (Loose(hours={"a": 10**5000}), "/hours/a"),  # type: ignore[arg-type]
    "an enum field holding text": (Loose(kind="\ud800"), "/kind"),  # type: ignore[arg-type]
    "a tuple field holding a dict": (Loose(names={"a": "\ud800"}), "/names/a"),  # type: ignore[arg-type]
    "a list of ints holding a list": (Loose(numbers=[[10**5000]]), "/numbers/0/0"),  # type: ignore[list-item]
    "an object field holding a list": (Loose(inner=["\ud800"]), "/inner/0"),  # type: ignore[arg-type]
}


@pytest.mark.parametrize(("loose", "path"), MISMATCHED.values(), ids=MISMATCHED.keys())
def test_a_value_unlike_its_annotation_is_found(loose: Loose, path: str) -> None:
    """The quick scan trusts an annotation only for a value of exactly its type; the rest goes to the walk."""
    assert [p.path for p in unwritable(loose)] == [path]
    assert [p.path for p in unwritable(Loose(inner=loose))] == [f"/inner{path}"]


_JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    # Built by a function: Hypothesis describes a strategy by repr(), which a 5,000-digit int refuses.
    | st.integers(4301, 5000).map(lambda digits: 10**digits)
    | st.sampled_from([math.nan, math.inf, Decimal("NaN"), Decimal("1.2345678901234567890")])
    | st.floats()
    | st.decimals(allow_nan=True)
    | st.text(max_size=4)
    | st.text(max_size=2).map(lambda t: t + "\udc80")
    | st.dates()
    | st.sampled_from(willkommen.PartnerKind),
    lambda children: (
        st.lists(children, max_size=3)
        | st.tuples(children)
        | st.dictionaries(st.text(max_size=3) | st.integers() | st.floats(), children, max_size=3)
        | st.builds(Loose, count=children, name=children, inner=st.none() | children)
    ),
    max_leaves=12,
)


@_SETTINGS
@given(
    st.builds(
        Loose,
        count=_JUNK,
        name=_JUNK,
        flag=_JUNK,
        on=_JUNK,
        hours=_JUNK,
        score=_JUNK,
        kind=_JUNK,
        names=_JUNK,
        numbers=_JUNK,
        inner=_JUNK,
    )
)
def test_the_quick_scan_never_misses_what_the_walk_finds(loose: Loose) -> None:
    """Any values in any fields: the scan says "maybe" whenever the walk finds something."""
    if _walk(loose):
        assert _suspect(loose)


def _in_time(work: Callable[[], object], seconds: float = 20) -> object:
    """Run *work* in a thread: a hang fails the test instead of stopping the suite."""
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert results, f"did not end within {seconds} s"
    return results[0]


def test_a_list_that_contains_itself_ends() -> None:
    """A cycle through a mutable container is walked once, and is itself a problem where it closes."""
    cycle: list[Any] = ["\ud800"]
    cycle.append(cycle)
    assert _in_time(lambda: [p.path for p in unwritable(Notes(anything=cycle))]) == ["/anything/0", "/anything/1"]


def test_an_object_that_points_at_itself_ends() -> None:
    """A mutable attrs class can hold itself: check and the walk end, each object looked at once."""
    node = Loose(name="\ud800")
    node.inner = node
    assert _in_time(lambda: [p.path for p in unwritable(node)]) == ["/name", "/inner"]
    assert _in_time(lambda: unwritable(Loose(inner=node))) != []


def test_shared_parts_are_looked_at_once() -> None:
    """An object held twice at every level, 40 levels deep: linear work, not 2**40; found at its first path."""
    shared: Any = Loose(name="\ud800")
    for _ in range(40):
        shared = Loose(names=(shared, shared))
    found = _in_time(lambda: unwritable(shared))
    assert isinstance(found, list)
    assert [p.path for p in found] == ["/names/0" * 40 + "/name"]


@pytest.mark.parametrize(
    ("key", "shown"), [(math.nan, "nan"), (10**5000, "<an integer of 5001 digits>")], ids=["NaN", "huge int"]
)
def test_a_key_json_cannot_write_is_found(key: object, shown: str) -> None:
    """Keys are written too: a NaN or a too long integer as a dict key is a problem at the key's place."""
    assert [p.path for p in unwritable(Notes(by_key={key: 1}))] == [f"/by_key/{shown}"]


def test_a_signalling_nan_is_found_not_raised() -> None:
    """float(Decimal("sNaN")) raises, and a sNaN cannot be hashed: neither stops the scan or the walk."""
    found = unwritable(Loose(hours=Decimal("sNaN"), names=(Decimal("sNaN"),)))  # type: ignore[arg-type]
    assert [p.path for p in found] == ["/hours", "/names/0"]


def test_an_enum_member_is_written_as_its_value() -> None:
    """A member whose value json cannot write (an absurd IntEnum) is found, in an enum field or elsewhere."""

    class Huge(enum.IntEnum):
        BIG = 10**5000

    @attrs.frozen
    class Holder:
        size: Huge
        any: Any = None

    assert [p.path for p in unwritable(Holder(size=Huge.BIG, any=[Huge.BIG]))] == ["/size", "/any/0"]


def test_annotations_that_cannot_be_resolved_are_walked() -> None:
    """A class whose annotations name what is not there (PEP 563, a name imported for type checkers only)."""

    @attrs.frozen
    class Doc:
        title: "NoSuchName"  # type: ignore[name-defined]  # noqa: F821

    assert _scanner(Doc) is _scan_any
    assert [p.path for p in unwritable(Doc(title="\ud800"))] == ["/title"]


def test_the_program_is_reported_once() -> None:
    """An unwritable program is invalid_value once: the registry check does not run on it too, as in reading."""
    alliance = attrs.evolve(example(), program="\ud800")
    assert errors(willkommen.check(alliance)) == [("invalid_value", "/program")]


def test_a_key_that_cannot_be_printed_is_named_safely() -> None:
    """A key whose str() raises is quoted, never printed: the key (no text) and its value are both reported."""

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError

        __repr__ = __str__

    found = unwritable(Notes(by_key={Unprintable(): "\ud800"}))
    assert sorted(problem.code for problem in found) == ["invalid_value", "type"]
    assert len({problem.path for problem in found}) == 1


# --- properties ------------------------------------------------------------------------------------


def _places(obj: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], object]]:
    """Every str, int and Decimal field value of a model object, with its path."""
    cls = type(obj)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            yield from _places(getattr(obj, field.name), (*path, field.name))
    elif isinstance(obj, tuple):
        for index, item in enumerate(obj):
            yield from _places(item, (*path, index))
    elif isinstance(obj, str | int | Decimal) and not isinstance(obj, bool | dt.date | enum.Enum):
        yield path, obj


def _replaced(obj: Any, path: tuple[str | int, ...], value: object) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        return (*obj[:head], _replaced(obj[head], rest, value), *obj[head + 1 :])
    return attrs.evolve(obj, **{str(head): _replaced(getattr(obj, str(head)), rest, value)})


HOSTILE: dict[type, st.SearchStrategy[Any]] = {
    str: st.text(max_size=5).map(lambda t: t + "\ud800") | st.text(max_size=5),
    int: st.sampled_from([10**5000, -(10**4400), 10**100, 7]),
    Decimal: st.sampled_from([Decimal("0.1"), Decimal("1.2345678901234567890"), Decimal("1E+400"), Decimal(3)]),
}


@_SETTINGS
@given(alliance=alliances(), data=st.data())
def test_what_check_finds_no_error_in_writes_and_reads_back(alliance: Alliance, data: st.DataObject) -> None:
    """One str, int or Decimal replaced by a value of its type, writable or not: check and dump agree.

    No error from check: the object writes as UTF-8 and reads back equal. Otherwise the unwritable
    values are invalid_value in check and exactly the problems dump raises with. The quick scan
    says "maybe" exactly when the walk finds something.
    """
    path, old = data.draw(st.sampled_from(list(_places(alliance))), label="place")
    changed = _replaced(alliance, path, data.draw(HOSTILE[type(old)], label="value"))
    found = unwritable(changed)
    assert _suspect(changed) == bool(_walk(changed)) == bool(found)
    if not any(p.is_error for p in willkommen.check(changed)):
        assert willkommen.loads(willkommen.dumps(changed).encode("utf-8")) == changed
    elif found:
        assert set(errors(found)) <= set(errors(willkommen.check(changed)))
        assert refused_by_dump(changed) == errors(found)
    else:
        # Errors of the rules only: written as it is, read back to the same errors.
        assert errors(willkommen.check(willkommen.dump(changed))) == errors(willkommen.check(changed))


def test_a_class_without_fields_has_nothing_to_scan() -> None:
    """No fields, no look."""

    @attrs.frozen
    class Empty:
        pass

    assert _scanner(Empty) is _nothing_to_scan
    assert unwritable(Empty()) == []
