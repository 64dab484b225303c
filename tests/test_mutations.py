"""Mutation tests: every single change that breaks a valid document is reported at or above its place.

From a generated valid alliance (``willkommen.testing.alliances``, written
with ``willkommen.dump``), one mutation of one kind is made at a randomly
chosen place: drop a required key, add an unknown key, change a value's
type, swap an enumeration value for an unknown word, break a date, break a
reference, or give two partners, goals or measures the same id. The mutated
document, as data (``check``) and as JSON text (``loads``), must have an
error whose path is the mutated path or a JSON Pointer prefix of it, and the
error the mutation calls for at exactly that path.

Only mutations that must be reported are made: dropping a key that is
optional or has a default is checked separately to be no error at all.
"""

import copy
import datetime as dt
import enum
import json
import re
import types
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
from willkommen import Alliance, Problem, ValidationError
from willkommen._programs import find_program
from willkommen.testing import alliances

_PROFILE_EXAMPLES = settings().max_examples
_SETTINGS = settings(
    max_examples=max(10, _PROFILE_EXAMPLES * 40 // 100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _escape(part: str | int) -> str:
    return str(part) if isinstance(part, int) else part.replace("~", "~0").replace("/", "~1")


def _tokens(pointer: str) -> list[str]:
    return pointer.split("/")[1:]


def _is_prefix(prefix: str, pointer: str) -> bool:
    """Whether *prefix* is *pointer* or above it, component by component (``/a`` is not above ``/ab``)."""
    head, full = _tokens(prefix), _tokens(pointer)
    return full[: len(head)] == head


# --- where a document can be changed ---------------------------------------------------


@attrs.frozen
class Slot:
    """A field of an object in the document, or an item of a list."""

    parent: str  # the pointer of the object or list that holds it
    key: str | int  # the field's name, or the item's index
    kind: str  # str, int, number, date, enum, list, object or version
    of: Any  # the enum class, the model class, or a list's item type
    optional: bool  # null is a valid value
    required: bool  # the key must be there
    present: bool
    owner: type | None  # the model class of the object that holds the field

    @property
    def path(self) -> str:
        """The JSON Pointer of the value."""
        return f"{self.parent}/{_escape(self.key)}"


_KINDS: dict[Any, str] = {str: "str", int: "int", Decimal: "number", dt.date: "date"}


def _kind_of(tp: Any) -> tuple[str, Any, bool]:
    """What an annotation holds: the kind, the enum, class or item type, whether null is allowed."""
    optional = False
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        (tp,) = (arg for arg in typing.get_args(tp) if arg is not type(None))
        optional = True
    if tp in _KINDS:
        return _KINDS[tp], tp, optional
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "enum", tp, optional
    if isinstance(tp, type) and attrs.has(tp):
        return "object", tp, optional
    assert typing.get_origin(tp) is tuple, tp
    return "list", typing.get_args(tp)[0], optional


def _slots(node: dict[str, Any], cls: type, pointer: str) -> Iterator[Slot]:
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        kind, of, optional = _kind_of(hints[field.name])
        present = field.name in node
        yield Slot(pointer, field.name, kind, of, optional, field.default is attrs.NOTHING, present, cls)
        if present:
            yield from _inside(node[field.name], kind, of, f"{pointer}/{_escape(field.name)}")


def _inside(value: Any, kind: str, of: Any, pointer: str) -> Iterator[Slot]:
    if kind == "object" and isinstance(value, dict):
        yield from _slots(value, of, pointer)
    elif kind == "list":
        item_kind, item_of, _ = _kind_of(of)
        for index, item in enumerate(value):
            yield Slot(pointer, index, item_kind, item_of, optional=False, required=True, present=True, owner=None)
            yield from _inside(item, item_kind, item_of, f"{pointer}/{index}")


def slots(document: dict[str, Any]) -> list[Slot]:
    """Every field (present or not) and every list item of a document of an alliance."""
    version = Slot("", "schema_version", "version", int, optional=False, required=True, present=True, owner=None)
    # Last: Hypothesis draws the first entries of a list more often than the others.
    return [*_slots(document, Alliance, ""), version]


def _node(document: Any, pointer: str) -> Any:
    node = document
    for token in _tokens(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token.replace("~1", "/").replace("~0", "~")]
    return node


# --- the mutations ------------------------------------------------------------------------


@attrs.frozen
class Mutation:
    """One change to a document, where it is, and the error it must cause there."""

    kind: str
    path: str
    code: str
    apply: Callable[[dict[str, Any]], None] = attrs.field(repr=False)


def _setter(parent: str, key: str | int, value: object) -> Callable[[dict[str, Any]], None]:
    def apply(document: dict[str, Any]) -> None:
        _node(document, parent)[key] = value

    return apply


def _deleter(parent: str, key: str) -> Callable[[dict[str, Any]], None]:
    def apply(document: dict[str, Any]) -> None:
        del _node(document, parent)[key]

    return apply


# An offering needs a date, or a start and an end: dropping one it has is missing too.
_OFFERING_DATES = frozenset({"date", "start", "end"})


def _droppable(slot: Slot) -> bool:
    if not slot.present or isinstance(slot.key, int):
        return False
    return slot.required or (slot.owner is willkommen.Offering and slot.key in _OFFERING_DATES)


@st.composite
def drop_a_required_key(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Remove a key the document must have."""
    slot = draw(st.sampled_from([s for s in slots(document) if _droppable(s) and not _planned_date(document, s)]))
    assert isinstance(slot.key, str)
    return Mutation("drop", slot.path, "missing", _deleter(slot.parent, slot.key))


def _planned_date(document: dict[str, Any], slot: Slot) -> bool:
    """Whether *slot* is a date of a planned offering, which may have none (format version 2)."""
    if slot.owner is not willkommen.Offering or slot.key not in _OFFERING_DATES:
        return False
    node: Any = document
    for token in slot.parent.split("/")[1:]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return bool(node.get("status") == "planned")


_NOT_JSON_KEYS = ("$type", "schema_version")


@st.composite
def add_an_unknown_key(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Add a key the model does not have, to any object."""
    objects = [("", Alliance)] + [(s.path, s.of) for s in slots(document) if s.present and s.kind == "object"]
    pointer, cls = draw(st.sampled_from(objects))
    known = {f.name for f in attrs.fields(cls)} | set(_NOT_JSON_KEYS)
    key = draw(st.text(max_size=12).filter(lambda k: k not in known))
    value: object = draw(st.none() | st.integers() | st.text(max_size=5) | st.just({}) | st.just([]))
    return Mutation("unknown_key", f"{pointer}/{_escape(key)}", "unknown_key", _setter(pointer, key, value))


# For each kind of value, JSON values of other types (null only where null is not allowed).
_WRONG_TYPES: dict[str, list[object]] = {
    "str": [1, 1.5, True, [], {}],
    "enum": [1, 1.5, False, ["school_to_work"], {}],
    "date": [20170926, 2017.0926, True, ["2017-09-26"], {}],
    "int": ["12", 1.5, True, [12], {}],
    "number": ["33.3", True, [33.3], {}],
    "version": ["1", 1.5, True, [1], {}],
    "list": ["school_to_work", 1, True, {}],
    "object": ["x", 1, True, []],
}


@st.composite
def change_a_type(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Put a value of the wrong JSON type where a value is."""
    slot = draw(st.sampled_from([s for s in slots(document) if s.present]))
    wrong = _WRONG_TYPES[slot.kind] + ([] if slot.optional else [None])
    value = draw(st.sampled_from(wrong))
    return Mutation("type", slot.path, "type", _setter(slot.parent, slot.key, value))


@st.composite
def swap_an_enumeration_value(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Put a word that is not one of an enumeration's values where one is."""
    slot = draw(st.sampled_from([s for s in slots(document) if s.present and s.kind == "enum"]))
    values = {member.value for member in slot.of}
    # Near misses too: another case, the German label, blanks around the value.
    near = [str(v).upper() for v in values] + [f" {v}" for v in values] + [m.label_de for m in slot.of]
    word = draw(st.sampled_from(near) | st.text(max_size=20)).strip("\0")
    word = word if word not in values else word + "?"
    return Mutation("enum", slot.path, "invalid_value", _setter(slot.parent, slot.key, word))


_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_date(text: str) -> bool:
    if not _CALENDAR_DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_BROKEN_DATES = [
    "2017-02-30",
    "2017-13-01",
    "20170926",
    "2017-W39-2",
    "26.09.2017",
    "2017-09-26T10:00:00",
    "2017-9-26",
    " 2017-09-26",
    "",
    "\u0662\u0660\u0661\u0667-\u0660\u0669-\u0662\u0666",
]


@st.composite
def break_a_date(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Put a string that is not a calendar date YYYY-MM-DD where a date is."""
    slot = draw(st.sampled_from([s for s in slots(document) if s.present and s.kind == "date"]))
    text = draw(st.sampled_from(_BROKEN_DATES) | st.text(max_size=12).filter(lambda t: not _is_date(t)))
    return Mutation("date", slot.path, "invalid_date", _setter(slot.parent, slot.key, text))


@st.composite
def break_a_reference(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Make the lead, a measure's goal, a consultation's office or the program name nothing that exists."""
    partner_ids = {p["id"] for p in document["partners"]}
    goal_ids = {g["id"] for g in document["goals"]}
    office_ids = {o.id for p in willkommen.programs.registered() for o in p.service_offices}
    program_ids = {p.id for p in willkommen.programs.registered()}
    places: list[tuple[str, str | int, str, set[str]]] = [
        ("", "lead", "alliance.unknown_lead", partner_ids),
        ("", "program", "invalid_value", program_ids),
    ]
    for index, measure in enumerate(document.get("measures", [])):
        places.extend(
            (f"/measures/{index}/goals", position, "measure.unknown_goal", goal_ids)
            for position in range(len(measure["goals"]))
        )
    # An unlisted office is an error only where the program lists all its offices (not WbF).
    program = find_program(document.get("program", willkommen.programs.WILLKOMMEN_BEI_FREUNDEN.id))
    if program is not None and program.offices_complete:
        places.extend(
            (f"/consultations/{index}", "office", "consultation.unknown_office", office_ids)
            for index in range(len(document.get("consultations", [])))
        )
    parent, key, code, existing = draw(st.sampled_from(places))
    name = draw(st.text(max_size=12).filter(lambda t: t not in existing))
    return Mutation("reference", f"{parent}/{_escape(key)}", code, _setter(parent, key, name))


@st.composite
def duplicate_an_id(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Give a partner, goal or measure the id of an earlier one in its list."""
    lists = [name for name in ("partners", "goals", "measures") if len(document.get(name, [])) >= 2]
    name = draw(st.sampled_from(lists))  # partners: always three or more
    first, later = sorted(draw(st.lists(st.integers(0, len(document[name]) - 1), min_size=2, max_size=2, unique=True)))
    taken = document[name][first]["id"]
    return Mutation(
        "duplicate_id", f"/{name}/{later}/id", "alliance.duplicate_id", _setter(f"/{name}/{later}", "id", taken)
    )


MUTATIONS: list[Callable[[dict[str, Any]], st.SearchStrategy[Mutation]]] = [
    drop_a_required_key,
    add_an_unknown_key,
    change_a_type,
    swap_an_enumeration_value,
    break_a_date,
    break_a_reference,
    duplicate_an_id,
]


def _errors_of_text(text: str) -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        willkommen.loads(text)
    return list(info.value.problems)


def _has_dates(document: dict[str, Any]) -> bool:
    return any(s.present and s.kind == "date" for s in slots(document))


@pytest.mark.parametrize("mutate", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
@_SETTINGS
@given(alliance=alliances(), data=st.data())
def test_every_single_mutation_is_reported_where_it_is(
    mutate: Callable[[dict[str, Any]], st.SearchStrategy[Mutation]], alliance: Alliance, data: st.DataObject
) -> None:
    """One mutation of a valid document gives an error at or above its path, and the expected code exactly there.

    Both for the data (check) and for its JSON text (loads).
    """
    document = willkommen.dump(alliance)
    if mutate is break_a_date and not _has_dates(document):
        # Every date of an alliance is optional: give it a founding date to break.
        document["founded_on"] = "2017-01-15"
    assert not any(p.is_error for p in willkommen.check(document))
    mutation = data.draw(mutate(document), label="mutation")
    broken = copy.deepcopy(document)
    mutation.apply(broken)
    for problems in (willkommen.check(broken), _errors_of_text(json.dumps(broken, ensure_ascii=False))):
        errors = [p for p in problems if p.is_error]
        found = [(p.code, p.path) for p in errors]
        assert any(_is_prefix(p.path, mutation.path) for p in errors), (mutation, found)
        assert (mutation.code, mutation.path) in found, (mutation, found)


def _optional_keys(document: dict[str, Any]) -> list[Slot]:
    return [
        s
        for s in slots(document)
        if s.present
        and not isinstance(s.key, int)
        and not s.required
        and not _droppable(s)
        and not _status_of_an_undated_plan(document, s)
    ]


def _status_of_an_undated_plan(document: dict[str, Any], slot: Slot) -> bool:
    """Whether *slot* is the status of a planned offering without dates: dropped, it is held, and needs a date."""
    if slot.owner is not willkommen.Offering or slot.key != "status":
        return False
    node: Any = document
    for token in slot.parent.split("/")[1:]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return not _OFFERING_DATES & node.keys()


@_SETTINGS
@given(alliance=alliances(), data=st.data())
def test_dropping_an_optional_key_is_no_error(alliance: Alliance, data: st.DataObject) -> None:
    """The counterpart: an optional key, or one with a default, may be left out of a valid document."""
    document = willkommen.dump(alliance)
    optional = _optional_keys(document)
    if not optional:
        return
    slot = data.draw(st.sampled_from(optional), label="dropped")
    assert isinstance(slot.key, str)
    _deleter(slot.parent, slot.key)(document)
    assert [(p.code, p.path) for p in willkommen.check(document) if p.is_error] == []
    willkommen.loads(json.dumps(document))


def test_the_walk_finds_every_kind_of_place() -> None:
    """The mutations have places to go: the shipped example has every kind of field the model knows."""
    from willkommen._example import example_document

    found = {(s.kind, s.required) for s in slots(example_document()) if s.present}
    assert {kind for kind, _ in found} == set(_WRONG_TYPES)
    assert {s.path for s in slots(example_document()) if _droppable(s)} >= {
        "/schema_version",
        "/id",
        "/partners",
        "/local_authorities",
        "/goals",
        "/measures/0/goals",
        "/offerings/0/date",
        "/offerings/1/start",
        "/coaching/coach",
        "/agreement/signatories",
    }
