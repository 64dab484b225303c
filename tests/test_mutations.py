"""Mutation tests: every single change that breaks a valid document is reported at or above its place.

From a generated valid alliance (``willkommen.testing.alliances``, written
with ``willkommen.dump``), one mutation of one kind is made at a randomly
chosen place: drop a required key, add an unknown key, change a value's
type, swap an enumeration value for an unknown word, break a date (the
public machinery of ``willkommen.testing``), break a reference, or give two
partners, goals or measures the same id (the alliance's own). The mutated
document, as data (``check``) and as JSON text (``loads``), must have an
error whose path is the mutated path or a JSON Pointer prefix of it, and the
error the mutation calls for at exactly that path.

Only mutations that must be reported are made: dropping a key that is
optional or has a default is checked separately to be no error at all.
"""

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
from willkommen import Alliance, Problem, ValidationError
from willkommen._plan import ChoiceNode, ModelNode, OptionalNode, ScalarKind, ScalarNode, SequenceNode
from willkommen._programs import find_program
from willkommen.testing import (
    Mutation,
    Place,
    _drops,
    add_an_unknown_key,
    alliances,
    break_a_date,
    change_a_type,
    delete_at,
    drop_a_required_key,
    places,
    set_at,
    swap_an_enumeration_value,
)

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


# --- the alliance's own mutations, beside the public ones ------------------------------------------


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
    path = f"{parent}/{_escape(key)}"
    return Mutation("reference", path, code, set_at(path, name))


@st.composite
def duplicate_an_id(draw: st.DrawFn, document: dict[str, Any]) -> Mutation:
    """Give a partner, goal or measure the id of an earlier one in its list."""
    lists = [name for name in ("partners", "goals", "measures") if len(document.get(name, [])) >= 2]
    name = draw(st.sampled_from(lists))  # partners: always three or more
    first, later = sorted(draw(st.lists(st.integers(0, len(document[name]) - 1), min_size=2, max_size=2, unique=True)))
    taken = document[name][first]["id"]
    path = f"/{name}/{later}/id"
    return Mutation("duplicate_id", path, "alliance.duplicate_id", set_at(path, taken))


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
    """Whether the document has a date to break (every date of an alliance is optional)."""
    dates = (ScalarNode(ScalarKind.DATE), OptionalNode(ScalarNode(ScalarKind.DATE)))
    return any(p.present and p.node in dates and _value(document, p) is not None for p in places(document))


def give_it_a_place(mutate: Callable[..., st.SearchStrategy[Mutation]], document: dict[str, Any]) -> None:
    """Make sure *document* has a place for *mutate*: dates and offerings are optional."""
    from willkommen._example import example_document

    if mutate is break_a_date and not _has_dates(document):
        document["founded_on"] = "2017-01-15"
    if mutate is drop_a_required_key and not document.get("offerings"):
        # A held offering of the example (in the runtime of the example's program): its dates are needed.
        document["offerings"] = [example_document()["offerings"][0]]


def _value(document: dict[str, Any], place: Place) -> Any:
    node: Any = document
    for token in _tokens(place.path):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


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
    give_it_a_place(mutate, document)
    assert not any(p.is_error for p in willkommen.check(document))
    mutation = data.draw(mutate(document), label="mutation")
    broken = mutation.applied(document)
    for problems in (willkommen.check(broken), _errors_of_text(json.dumps(broken, ensure_ascii=False))):
        errors = [p for p in problems if p.is_error]
        found = [(p.code, p.path) for p in errors]
        assert any(_is_prefix(p.path, mutation.path) for p in errors), (mutation, found)
        assert (mutation.code, mutation.path) in found, (mutation, found)


def _optional_keys(document: dict[str, Any]) -> list[Place]:
    """Keys that may go: not required, and not needed by their class's shape (an offering's dates, its status)."""
    needed = {key for key, _ in _drops(document, Alliance)}
    return [p for p in places(document) if p.present and p.owner is not None and p.path not in needed]


@_SETTINGS
@given(alliance=alliances(), data=st.data())
def test_dropping_an_optional_key_is_no_error(alliance: Alliance, data: st.DataObject) -> None:
    """The counterpart: an optional key, or one with a default, may be left out of a valid document."""
    document = willkommen.dump(alliance)
    optional = _optional_keys(document)
    if not optional:
        return
    place = data.draw(st.sampled_from(optional), label="dropped")
    delete_at(place.path)(document)
    assert [(p.code, p.path) for p in willkommen.check(document) if p.is_error] == []
    willkommen.loads(json.dumps(document))


def _kind(place: Place) -> str:
    """The kind of value at *place*, as the wrong types of change_a_type tell them apart."""
    node = place.node.inner if isinstance(place.node, OptionalNode) else place.node
    match node:
        case ScalarNode(kind=kind):
            return kind.name.lower()
        case ChoiceNode():
            return "choice"
        case SequenceNode():
            return "list"
        case ModelNode():
            return "object"
        case _:  # pragma: no cover - the built-in model has no other kind
            raise AssertionError(node)


def test_the_walk_finds_every_kind_of_place() -> None:
    """The mutations have places to go: the shipped example has every kind of field the model knows."""
    from willkommen._example import example_document

    found = [p for p in places(example_document()) if p.present]
    assert {_kind(p) for p in found} == {"str", "int", "decimal", "date", "choice", "list", "object"}
    assert {key for key, _ in _drops(example_document(), Alliance)} >= {
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
