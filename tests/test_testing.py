"""willkommen.testing: strategies for any model class, and the single mutations users test their rules with."""

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from willkommen._plan import MappingNode, ScalarKind, ScalarNode
from willkommen.testing import (
    MAX_DEPTH,
    Mutation,
    all_of,
    delete_at,
    mutations,
    objects,
    places,
    set_at,
)

_SETTINGS = settings(
    max_examples=max(10, settings().max_examples * 40 // 100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Every model class the library ships, roots and parts.
BUILT_IN = [
    willkommen.Alliance,
    willkommen.nrw.NrwAlliance,
    willkommen.nrw.TargetGroup,
    willkommen.LocalAuthority,
    willkommen.Partner,
    willkommen.Person,
    willkommen.Goal,
    willkommen.Measure,
    willkommen.Offering,
    willkommen.ProcessCoaching,
    willkommen.CoachingSession,
    willkommen.CooperationAgreement,
    willkommen.Consultation,
]


@pytest.mark.parametrize("cls", BUILT_IN, ids=lambda cls: cls.__name__)
@_SETTINGS
@given(data=st.data())
def test_objects_of_a_built_in_class_have_no_errors(cls: type, data: st.DataObject) -> None:
    """objects(cls) of every shipped class passes check: rules that need coherent data get it."""
    obj = data.draw(objects(cls))
    assert type(obj) is cls
    assert [(p.code, p.path) for p in willkommen.check(obj, cls) if p.is_error] == []


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Chain:
    """A class that contains itself, once and as a list."""

    name: str
    next: "Chain | None" = None
    branches: "tuple[Chain, ...]" = ()


def _depth(chain: Chain) -> int:
    below = [c for c in (chain.next, *chain.branches) if c is not None]
    return 1 + max((_depth(c) for c in below), default=0)


@_SETTINGS
@given(objects(Chain, max_depth=2))
def test_a_class_that_contains_itself_nests_at_most_max_depth(chain: Chain) -> None:
    """Below max_depth, optional parts are None and lists empty: generation ends."""
    assert _depth(chain) <= 3


def test_a_class_that_contains_itself_does_nest_that_deep() -> None:
    """The bound is reached, not only respected: a chain three levels deep is among what objects() builds."""
    deep = find(
        objects(Chain), lambda chain: _depth(chain) == MAX_DEPTH + 1, settings=settings(database=None, max_examples=300)
    )
    assert _depth(deep) == MAX_DEPTH + 1


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Shelf:
    """Where a tagged subclass may stand."""

    boxes: tuple["Box", ...]


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Box:
    """A box."""

    label: str


@willkommen.tagged("test-testing-crate")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Crate(Box):
    """A tagged subclass of Box."""

    slots: int


@settings(max_examples=60, deadline=None)
@given(st.lists(objects(Shelf), min_size=20, max_size=20))
def test_a_tagged_subclass_stands_where_its_base_may(shelves: list[Shelf]) -> None:
    """Below the top, a Box may be a Crate; both come out, and both come back from a document."""
    kinds = {type(box) for shelf in shelves for box in shelf.boxes}
    assert kinds <= {Box, Crate}
    for shelf in shelves:
        assert willkommen.load(willkommen.dump(shelf), Shelf) == shelf


def test_the_top_is_exactly_the_class_asked_for() -> None:
    """objects(Box) builds Boxes, not Crates: the class a document without a tag reads as."""

    @given(objects(Box))
    @settings(max_examples=20)
    def exact(box: Box) -> None:
        assert type(box) is Box

    exact()


@_SETTINGS
@given(objects(Shelf, using={Box: st.builds(Box, label=st.just("fixed"))}))
def test_using_replaces_the_strategy_of_a_class(shelf: Shelf) -> None:
    """A class given in using is built by that strategy wherever it stands; its tagged subclass by its own fields."""
    assert all(box.label == "fixed" for box in shelf.boxes)


@willkommen.tagged("test-testing-long-alliance")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class LongAlliance(willkommen.Alliance):
    """A user's alliance: the built-in strategy's alliance plus its own field."""

    since: dt.date


@_SETTINGS
@given(objects(LongAlliance))
def test_a_subclass_of_a_built_in_class_keeps_its_coherent_data(alliance: LongAlliance) -> None:
    """The alliance part comes from alliances(), so check finds no error; the own field is drawn from its plan."""
    assert type(alliance) is LongAlliance
    assert isinstance(alliance.since, dt.date)
    assert [p.code for p in willkommen.check(alliance) if p.is_error] == []


@pytest.mark.parametrize("bad", [int, "Alliance", dict[str, int]])
def test_objects_refuses_what_is_no_model_class(bad: Any) -> None:
    """A TypeError that names the argument, as the other entry points do."""
    with pytest.raises(TypeError, match="model class"):
        objects(bad)


# --- edits and mutations --------------------------------------------------------------------------


def test_set_at_and_delete_at_follow_json_pointer() -> None:
    """Keys with / and ~ are escaped as ~1 and ~0; list items are numbers; the last key may be new."""
    document: dict[str, Any] = {"a/b": {"c~d": [1, 2]}, "x": 1}
    all_of(set_at("/a~1b/c~0d/1", 3), set_at("/new", value=True), delete_at("/x"))(document)
    assert document == {"a/b": {"c~d": [1, 3]}, "new": True}
    delete_at("/a~1b/c~0d/0")(document)
    assert document["a/b"]["c~d"] == [3]


def test_a_pointer_starts_with_a_slash() -> None:
    """A path without its leading / is a mistake, said at once."""
    with pytest.raises(ValueError, match="JSON Pointer"):
        set_at("partners/0", 1)


def test_a_mutation_leaves_the_document_as_it_is() -> None:
    """applied() changes a copy."""
    document = {"name": "a"}
    mutation = Mutation("type", "/name", "type", set_at("/name", 1))
    assert mutation.applied(document) == {"name": 1}
    assert document == {"name": "a"}


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Tally:
    """Mappings and fixed tuples have places too."""

    counts: dict[str, int]
    pair: tuple[int, str]
    tags: frozenset[str] = frozenset()


def test_places_reach_into_mappings_and_fixed_tuples() -> None:
    """A mapping's values (optional keys) and a fixed tuple's items (each with its own node)."""
    document = {"schema_version": 2, "counts": {"a/b": 1}, "pair": [1, "x"]}
    found = {p.path: p for p in places(document, Tally)}
    assert found["/counts"].node == MappingNode(ScalarNode(ScalarKind.INT))
    assert found["/counts/a~1b"].required is False
    assert found["/pair/0"].node == ScalarNode(ScalarKind.INT)
    assert found["/pair/1"].node == ScalarNode(ScalarKind.STR)
    assert found["/schema_version"].required is True


@_SETTINGS
@given(st.data())
def test_mutations_of_a_user_class_are_reported_where_they_are(data: st.DataObject) -> None:
    """Each mutation of a Tally document is reported by check with its code at its path."""
    document = willkommen.dump(data.draw(objects(Tally)))
    mutation = data.draw(mutations(document, Tally))
    problems = willkommen.check(mutation.applied(document), Tally)
    assert (mutation.code, mutation.path) in [(p.code, p.path) for p in problems]
