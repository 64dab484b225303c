"""Object graphs built in code: cycles, shared parts and deep chains are checked and written in linear time.

A model object built in Python code can be what no document is: an object
that contains itself (a mutable class, or ``object.__setattr__`` on a frozen
one), a part shared by many places, a chain far deeper than a document may
nest. ``check``, ``validate``, ``dump`` and ``dumps`` answer for each with
problems at paths (``cycle``, ``invalid_value``), never a RecursionError, and
each walk looks at each object once. Reading a document with one wrong value
deep inside takes time linear in its size too.
"""

import json
from collections.abc import Iterator
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
import willkommen.rules
from willkommen import Severity, ValidationError, check, dump, dumps, loads, validate
from willkommen._limits import MAX_DEPTH
from willkommen.rules import Context, Finding


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Node:
    """A user's class that holds a tuple of itself: a tree."""

    label: str
    children: "tuple[Node, ...]" = ()


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Link:
    """A user's class that holds one of itself, or None: a chain."""

    label: str
    next: "Link | None" = None


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Pair:
    """Two trees side by side, so that one part can stand at two places."""

    left: Node
    right: Node


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Leaf:
    """A class whose annotations cannot hold anything but text."""

    label: str


@attrs.define(kw_only=True)
class Mutable:
    """A user's mutable class, which can be made to hold itself."""

    parts: list[object] = attrs.Factory(list)


_T = TypeVar("_T")

# Every object the rule below was called with, by identity: how often the walk looked at each.
_visits: list[int] = []


@pytest.fixture
def counted() -> Iterator[list[int]]:
    """A rule on Node that records each call and finds every node labelled "bad", for one test."""
    with willkommen.registry_scope():

        @willkommen.rules.rule(
            Node,
            "test_graphs.bad_label",
            Severity.ERROR,
            reads=(),
            description="A node labelled bad.",
            description_de="Ein Knoten mit der Bezeichnung bad.",
            message="a bad label",
            message_de="eine schlechte Bezeichnung",
            source="this test",
        )
        def bad_label(node: Node, context: Context) -> Iterator[Finding]:
            del context
            _visits.append(id(node))
            if node.label == "bad":
                yield willkommen.rules.finding("label")

        _visits.clear()
        yield _visits


def _holding_itself(node: _T, field: str, value: object) -> _T:
    """*node* with *field* set past its checks, as a user can with object.__setattr__."""
    object.__setattr__(node, field, value)
    return node


def _self_node() -> Node:
    node = Node(label="x")
    return _holding_itself(node, "children", (Node(label="a"), node))


def _two_node_cycle() -> Link:
    first = Link(label="first")
    return _holding_itself(first, "next", Link(label="second", next=first))


def _mutable() -> Mutable:
    outer = Mutable()
    outer.parts.extend([1, Mutable(parts=["a", outer])])
    return outer


def _leaf_holding_its_holder() -> Pair:
    # Leaf's annotations say text only: the cycle hides behind a value of the wrong type.
    leaf = Leaf(label="x")
    pair = Pair(left=Node(label="l"), right=Node(label="r"))
    _holding_itself(pair.left, "label", leaf)
    _holding_itself(leaf, "label", pair)
    return pair


CYCLES = {
    # name: (object, where the cycle closes)
    "a frozen node in its own children": (_self_node, "/children/1"),
    "two links pointing at each other": (_two_node_cycle, "/next/next"),
    "a mutable object in a list inside a list of its own": (_mutable, "/parts/1/parts/1"),
    "behind a value of a type its annotation does not allow": (_leaf_holding_its_holder, "/left/label/label"),
}


@pytest.mark.parametrize(("make", "where"), CYCLES.values(), ids=CYCLES.keys())
def test_an_object_that_contains_itself_is_a_cycle_where_it_closes(make: Any, where: str) -> None:
    """check() reports ``cycle`` once, where the object comes round again; validate, dump and dumps raise."""
    obj = make()
    assert [(p.code, p.path) for p in check(obj) if p.code == "cycle"] == [("cycle", where)]
    for verb in (validate, dump, dumps):
        with pytest.raises(ValidationError) as caught:
            verb(obj)
        assert ("cycle", where) in [(p.code, p.path) for p in caught.value.problems]


def test_a_cycle_reached_from_two_places_is_no_recursion_error(counted: list[int]) -> None:
    """A cycle shared by two fields, on a class with a rule: reported once; the rules see each node once."""
    loop = Node(label="bad")
    _holding_itself(loop, "children", (Node(label="inner", children=(loop,)),))
    problems = check(Pair(left=loop, right=loop))
    assert [(p.code, p.path) for p in problems] == [
        ("cycle", "/left/children/0/children/0"),
        # The field where the cycle closes is not walked; the other place reaches the same nodes.
        ("test_graphs.bad_label", "/right/label"),
    ]
    assert sorted(counted) == sorted({id(loop), id(loop.children[0])})


def _chain(length: int, bottom: str = "end") -> Link:
    link = Link(label=bottom)
    for _ in range(length):
        link = Link(label="x", next=link)
    return link


def _tree(levels: int, bottom: str = "leaf") -> Node:
    node = Node(label=bottom)
    for _ in range(levels):
        node = Node(label="x", children=(node,))
    return node


@pytest.mark.parametrize("make", [_chain, _tree], ids=["chain of links", "tree of tuples"])
def test_a_chain_ten_thousand_deep_is_answered_where_it_gets_too_deep(make: Any) -> None:
    """No document nests beyond MAX_DEPTH: check says where, dump and dumps refuse; no RecursionError."""
    deep = make(10_000)
    problems = check(deep)
    assert [p.code for p in problems] == ["invalid_value"]
    # A link is one level of a document, a node and its list two: the place is at the bound.
    assert problems[0].path.count("/") in {MAX_DEPTH, MAX_DEPTH // 2 * 2}
    for verb in (validate, dump, dumps):
        with pytest.raises(ValidationError):
            verb(deep)


def test_the_rules_walk_a_chain_ten_thousand_deep(counted: list[int]) -> None:
    """A deep chain reached by a second field: the rules run on all 10,001 nodes, down to the bad one."""
    deep = _tree(10_000, bottom="bad")
    problems = check(Pair(left=deep, right=deep))
    assert [p.code for p in problems] == ["invalid_value", "test_graphs.bad_label"]
    assert problems[1].path == "/right" + "/children/0" * 10_000 + "/label"
    assert len(counted) == len(set(counted)) == 10_001


def _diamond(levels: int, bottom: str = "bad") -> Node:
    """A node whose two children are the same node, *levels* times: 2**levels places, levels + 1 objects."""
    node = Node(label=bottom)
    for _ in range(levels):
        node = Node(label="x", children=(node, node))
    return node


def test_shared_parts_are_checked_once_each(counted: list[int]) -> None:
    """One part shared twice, forty levels: 2**40 places, 41 objects, 41 rule calls; the problem at its first place."""
    problems = check(_diamond(40))
    assert [(p.code, p.path) for p in problems] == [("test_graphs.bad_label", "/children/0" * 40 + "/label")]
    assert len(counted) == len(set(counted)) == 41


def test_a_shared_part_is_written_at_every_place() -> None:
    """A document has no references: a part at two places is written twice and reads back equal."""
    shared = Node(label="shared", children=(Node(label="leaf"),))
    pair = Pair(left=shared, right=shared)
    document = dump(pair)
    assert document["left"] == document["right"] == {"label": "shared", "children": [{"label": "leaf", "children": []}]}
    assert loads(dumps(pair), Pair) == pair


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Node], list[list[int]]]:
    """Up to eight nodes, each holding any of them (itself too), wired past the checks."""
    size = draw(st.integers(1, 8))
    edges = [draw(st.lists(st.integers(0, size - 1), max_size=3)) for _ in range(size)]
    nodes = [Node(label=draw(st.sampled_from(["ok", "bad"]))) for _ in range(size)]
    for node, targets in zip(nodes, edges, strict=True):
        _holding_itself(node, "children", tuple(nodes[t] for t in targets))
    return nodes, edges


def _reachable(edges: list[list[int]]) -> set[int]:
    found, todo = {0}, [0]
    while todo:
        for target in edges[todo.pop()]:
            if target not in found:
                found.add(target)
                todo.append(target)
    return found


def _has_cycle(edges: list[list[int]]) -> bool:
    # Kahn's algorithm on the reachable part: a cycle leaves nodes with incoming edges.
    reachable = _reachable(edges)
    incoming = dict.fromkeys(reachable, 0)
    for source in reachable:
        for target in edges[source]:
            incoming[target] += 1
    ready = [n for n, count in incoming.items() if count == 0]
    removed = 0
    while ready:
        source = ready.pop()
        removed += 1
        for target in edges[source]:
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    return removed < len(reachable)


def _places(edges: list[list[int]], node: int = 0) -> int:
    return 1 + sum(_places(edges, target) for target in edges[node])


@given(graph=graphs())
def test_any_graph_is_a_cycle_or_a_tree_that_writes_every_place(graph: tuple[list[Node], list[list[int]]]) -> None:
    """A reachable cycle is one ``cycle`` and refused by dump; any other graph writes each place and reads back."""
    nodes, edges = graph
    root = nodes[0]
    codes = [p.code for p in check(root)]
    if _has_cycle(edges):
        assert codes.count("cycle") == 1
        with pytest.raises(ValidationError):
            dumps(root)
        return
    assert "cycle" not in codes
    text = dumps(root)
    assert text.count('"label"') == _places(edges)
    assert dumps(loads(text, Node)) == text


@given(graph=graphs())
def test_the_rules_see_each_object_of_an_acyclic_graph_once(graph: tuple[list[Node], list[list[int]]]) -> None:
    """However often a node is shared, a rule runs on it once, and reports it at its first place."""
    nodes, edges = graph
    if _has_cycle(edges):
        return
    with willkommen.registry_scope():
        seen: list[int] = []

        @willkommen.rules.rule(
            Node,
            "test_graphs.seen",
            Severity.WARNING,
            reads=(),
            description="Records each node.",
            description_de="Hält jeden Knoten fest.",
            message="seen",
            message_de="gesehen",
            source="this test",
        )
        def record(node: Node, context: Context) -> Iterator[Finding]:
            del context
            seen.append(id(node))
            return iter(())

        assert check(nodes[0]) == []
    assert sorted(seen) == sorted(id(nodes[n]) for n in _reachable(edges))


# --- reading: one wrong value deep inside --------------------------------------------------------

# How often a label was checked while reading, one entry per object built.
_built: list[str] = []


def _count(instance: object, attribute: object, value: str) -> None:
    del instance, attribute
    _built.append(value)


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Counted:
    """A tree whose every object built is counted (by its label's validator)."""

    label: str = attrs.field(validator=_count)
    children: "tuple[Counted, ...]" = ()


def _wrong_deep_inside(levels: int) -> str:
    """A tree *levels* deep with one wrong value at the bottom and a good leaf beside each level."""
    inner: dict[str, Any] = {"label": 1}
    for level in range(levels):
        inner = {"label": f"level {level}", "children": [inner, {"label": f"beside {level}"}]}
    return json.dumps({"schema_version": 2, **inner})


@pytest.mark.parametrize("levels", [16, 18, 20])
def test_one_wrong_value_deep_inside_is_read_in_linear_work(levels: int) -> None:
    """Each good object is built a bounded number of times (once by each reader), never once per failing level."""
    _built.clear()
    problems = willkommen.reads(_wrong_deep_inside(levels), Counted).problems
    assert [(p.code, p.path) for p in problems] == [("type", "/children/0" * levels + "/label")]
    # Reading again at each level that failed would build the leaves beside it 2**levels times.
    assert len(_built) <= 3 * levels
    assert {f"beside {level}" for level in range(levels)} <= set(_built)


# --- the rules never see a placeholder ------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Defaults:
    """A document with defaults made by factories, one taking the object being built."""

    count: int
    label: str = "plain"
    names: tuple[str, ...] = attrs.field(factory=tuple)
    tags: frozenset[str] = attrs.field(default=attrs.Factory(lambda self: frozenset({self.label}), takes_self=True))


def test_a_rule_sees_the_default_a_factory_makes_and_never_a_field_that_failed() -> None:
    """Another field failed: the rule sees the factories' values; the rule reading the failed field does not run."""
    seen: list[tuple[object, object]] = []
    with willkommen.registry_scope():

        @willkommen.rules.rule(
            Defaults,
            "test_graphs.defaults",
            Severity.WARNING,
            reads=("names", "tags"),
            description="Records the defaults.",
            description_de="Hält die Vorgaben fest.",
            message="seen",
            message_de="gesehen",
            source="this test",
        )
        def record(obj: Defaults, context: Context) -> Iterator[Finding]:
            del context
            seen.append((obj.names, obj.tags))
            return iter(())

        @willkommen.rules.rule(
            Defaults,
            "test_graphs.count",
            Severity.WARNING,
            reads=("count",),
            description="Reads the count.",
            description_de="Liest die Anzahl.",
            message="seen",
            message_de="gesehen",
            source="this test",
        )
        def read_count(obj: Defaults, context: Context) -> Iterator[Finding]:
            raise AssertionError(obj.count)  # never called: count failed to read

        reading = willkommen.read({"schema_version": 2, "count": "seven"}, Defaults)
    assert [(p.code, p.path) for p in reading.problems] == [("type", "/count")]
    assert reading.skipped == ("test_graphs.count",)
    assert seen == [((), frozenset({"plain"}))]


# --- rule routing follows the type plan ----------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Shelf:
    """Nodes in every kind of place the type plan knows: a mapping, a fixed tuple, an optional, a set."""

    by_name: dict[str, Node] = attrs.Factory(dict)
    pair: tuple[Node, str] | None = None
    unique: frozenset[Node] = frozenset()


def test_rules_reach_objects_wherever_the_plan_says_they_stand(counted: list[int]) -> None:
    """A rule on Node runs on nodes held in a mapping (path by key, escaped), a fixed tuple and a set."""
    shelf = Shelf(by_name={"a/b": Node(label="bad"), "c": Node(label="ok")}, unique=frozenset({Node(label="bad")}))
    # Set directly: what the rules see is under test here, not the construction checks.
    _holding_itself(shelf, "pair", (Node(label="bad"), "x"))
    problems = check(shelf, Shelf)
    assert [(p.code, p.path) for p in problems] == [
        ("test_graphs.bad_label", "/by_name/a~1b/label"),
        ("test_graphs.bad_label", "/pair/0/label"),
        ("test_graphs.bad_label", "/unique/0/label"),
    ]
    assert len(counted) == 4
