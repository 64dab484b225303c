"""The compiled walk: the rules over a whole document, the same problems as the engine's walk.

Where a document was read whole, the engine runs the rules through a walk
written once per class from the type plan (``_engine._Writer``): every rule
that applies, shipped, an extension's or a user's, called straight on the
objects the plan names, a path joined only where one finds something. The
generic walk (``_engine._visit``) stays the reference, and serves what the
plan cannot decide: parts that could not be read, objects of a subclass,
classes that hold themselves. These tests run the same documents both ways
and require the same problems (codes, paths, severities, messages, in
order): the mutation corpus, a trigger of every code, the benchmark's invalid
documents, generated alliances, a tagged document and a user's rules.
"""

import contextlib
import copy
import datetime as dt
import importlib.util
import json
import sys
import traceback
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
import willkommen.rules
from willkommen import Alliance, CoachingSession, Measure, Partner, Problem, ProcessCoaching, Severity
from willkommen import _engine as engine
from willkommen._triggers import NRW_TRIGGERS, TRIGGERS, Trigger
from willkommen.nrw import NrwAlliance
from willkommen.rules import Context, Finding
from willkommen.testing import Mutation, alliances, mutations, nrw_alliances, objects

from .conftest import example
from .test_mutations import _SETTINGS, MUTATIONS


def _benchmark_corpus() -> ModuleType:
    """The benchmark's documents (benchmarks/corpus.py), which live beside the benchmarks, not in a package."""
    folder = Path(__file__).parent.parent / "benchmarks"
    spec = importlib.util.spec_from_file_location("corpus", folder / "corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(folder))  # it imports its neighbour rival_rules
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module


corpus = _benchmark_corpus()


def _walk_only() -> contextlib.AbstractContextManager[object]:
    """The fused pass switched off: every document goes to the engine's walk."""
    return mock.patch.object(engine, "_visitor", return_value=engine._visit)


def _unfused(document: object, cls: type = Alliance) -> list[Problem]:
    """check() with the engine's walk alone."""
    with _walk_only():
        return willkommen.check(copy.deepcopy(document), cls)


def assert_same(document: object, cls: type = Alliance) -> list[Problem]:
    """The problems of *document*, the same with the fused pass and without, in the same order."""
    fused = willkommen.check(copy.deepcopy(document), cls)
    assert fused == _unfused(document, cls)
    return fused


@pytest.mark.parametrize("mutate", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
@_SETTINGS
@given(alliance=alliances(), data=st.data())
def test_the_mutation_corpus_gets_the_same_problems(
    mutate: Callable[[dict[str, Any]], st.SearchStrategy[Mutation]], alliance: Alliance, data: st.DataObject
) -> None:
    """Every kind of mutation of a generated alliance, as data and as the object: the same problems either way."""
    document = willkommen.dump(alliance)
    document.setdefault("founded_on", "2017-01-15")
    assert_same(alliance)
    mutation = data.draw(mutate(document), label="mutation")
    broken = mutation.applied(document)
    assert_same(broken)


@pytest.mark.parametrize("trigger", [*TRIGGERS, *NRW_TRIGGERS], ids=lambda t: t.code)
def test_a_trigger_of_every_code_gets_the_same_problems(trigger: Trigger) -> None:
    """Each code's documented trigger, the rules' own and the NRW extension's: found alike either way."""
    if trigger.text is not None:
        return  # a problem of the text: no rule runs
    problems = assert_same(trigger.document())
    assert trigger.code in {p.code for p in problems}


@pytest.mark.parametrize("make", [corpus.invalid, corpus.invalid_shape, corpus.small, corpus.large])
def test_the_benchmark_documents_get_the_same_problems(make: Callable[[], dict[str, Any]]) -> None:
    """The benchmark's invalid documents (rule errors, shape errors) and valid ones, as data and as objects."""
    document = make()
    problems = assert_same(document)
    reading = willkommen.read(document)
    if reading.value is not None:
        assert assert_same(reading.value) == [p for p in problems if p.code not in {"type", "missing"}]


@_SETTINGS
@given(alliance=alliances(), data=st.data())
def test_broken_rules_get_the_same_problems(alliance: Alliance, data: st.DataObject) -> None:
    """A generated alliance with a few rule-level changes (ids, dates, counts, offices): the same either way."""
    changes: dict[str, Callable[[Alliance], Alliance]] = {
        "one partner": lambda a: attrs.evolve(a, partners=a.partners[:1]),
        "no goal": lambda a: attrs.evolve(a, goals=()),
        "unknown lead": lambda a: attrs.evolve(a, lead="nobody"),
        "twice the first partner": lambda a: attrs.evolve(a, partners=(*a.partners, a.partners[0])),
        "founded after everything": lambda a: attrs.evolve(a, founded_on=a.founded_on and a.founded_on.replace(2030)),
        "no local authority": lambda a: attrs.evolve(a, local_authorities=()),
    }
    chosen = data.draw(st.lists(st.sampled_from(sorted(changes)), max_size=3, unique=True), label="changes")
    for name in chosen:
        alliance = changes[name](alliance)
    assert_same(alliance)


def test_a_document_read_whole_needs_no_walk(bautzen: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled walk decides a whole document, valid or not; the walk runs where a field could not be read."""
    valid = willkommen.load(bautzen)
    walks: list[str] = []
    visit = engine._visit

    def recorded(document: object, run: Any, at: str = "") -> None:
        walks.append(at)
        visit(document, run, at)

    monkeypatch.setattr(engine, "_visit", recorded)
    assert willkommen.check(valid) == []
    assert willkommen.check(attrs.evolve(valid, lead="nobody")) != []
    assert walks == []
    broken = copy.deepcopy(bautzen)
    broken["goals"] = "not a list"
    assert willkommen.check(broken) != []
    assert walks == [""]


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Registered(Partner):
    """A partner with a register number, checked by a user's rule."""

    register_no: str


@pytest.fixture
def registered() -> Iterator[list[str]]:
    """The user's tagged partner and its rule, for one test; the rule records the numbers it saw."""
    seen: list[str] = []
    with willkommen.registry_scope():
        willkommen.tagged("test-fused-registered")(Registered)

        @willkommen.rules.rule(
            Registered,
            "test_fused.register_no",
            Severity.WARNING,
            reads=(),
            description="An empty register number.",
            description_de="Eine leere Registernummer.",
            message="empty register number",
            message_de="leere Registernummer",
            source="this test",
        )
        def register_no_is_given(partner: Registered, context: Context) -> Iterator[Finding]:
            del context
            seen.append(partner.register_no)
            if not partner.register_no:
                yield willkommen.rules.finding("register_no")

        yield seen


@pytest.mark.parametrize("number", ["VR 1", ""], ids=["valid", "empty"])
@pytest.mark.parametrize("lead", [None, "nobody"], ids=["no shipped finding", "a shipped finding"])
def test_a_users_rule_runs_once_either_way(
    registered: list[str], bautzen: dict[str, Any], number: str, lead: str | None
) -> None:
    """With a user's rule in the document: the same problems fused or not, and the user's rule ran once each time."""
    document = copy.deepcopy(bautzen)
    document["partners"][0] |= {"$type": "test-fused-registered", "register_no": number}
    if lead is not None:
        document["lead"] = lead
    problems = willkommen.check(document)
    assert registered == [number]
    assert problems == _unfused(document)
    assert [p.code for p in problems] == [
        *(["alliance.unknown_lead"] if lead else []),
        *(["test_fused.register_no"] if not number else []),
    ]


def test_a_rule_that_raises_is_reported_by_the_walk(bautzen: dict[str, Any]) -> None:
    """An exception in a shipped rule during the fused pass: the walk runs the rule again, and it goes up named."""

    def broken(*_: object) -> Iterator[Finding]:
        raise ZeroDivisionError

    entry = next(r for r in willkommen.rules.catalogue() if r.code == "alliance.no_goals")
    # The shipped rule, as a reloaded willkommen._rules would define it again (the registry takes that).
    broken.__module__, broken.__qualname__ = "willkommen._rules", getattr(entry.check, "__qualname__", "")
    with willkommen.registry_scope():
        willkommen.rules.register_rule(attrs.evolve(entry, check=broken))
        with pytest.raises(ZeroDivisionError) as caught:
            willkommen.check(bautzen)
    assert engine.failed_rule(caught.value) == "alliance.no_goals"


def test_the_json_of_the_benchmark_reads_the_same() -> None:
    """The invalid benchmark document as JSON text, through reads: the same problems either way."""
    text = json.dumps(corpus.invalid())
    fused = willkommen.reads(text).problems
    with _walk_only():
        assert fused == willkommen.reads(text).problems
    assert {(p.code, p.path) for p in fused} == set(corpus.INVALID_FINDINGS)


def test_examples_are_valid_either_way() -> None:
    """The shipped examples, as data: no problem, fused or not."""
    for name in ("bautzen", "helmstedt", "leverkusen"):
        assert assert_same(example(name)) == []


# --- the compiled walk against the generic one: tagged documents, users' classes, shared parts, failures ---


_NRW_CHANGES: dict[str, Callable[[Any], Any]] = {
    "coordinating office no partner": lambda a: attrs.evolve(a, coordinating_office="nobody"),
    "ages out of range": lambda a: attrs.evolve(
        a, target_group=attrs.evolve(a.target_group, age_min=12, age_max_exclusive=40)
    ),
    "a local authority outside NRW": lambda a: attrs.evolve(
        a, local_authorities=(*a.local_authorities, attrs.evolve(a.local_authorities[0], state=willkommen.State.SN))
    ),
    "one partner": lambda a: attrs.evolve(a, partners=a.partners[:1]),
    "the coaching twice as long": lambda a: (
        a
        if a.coaching is None
        else attrs.evolve(a, coaching=attrs.evolve(a.coaching, sessions=a.coaching.sessions * 2))
    ),
}


@_SETTINGS
@given(alliance=nrw_alliances(), data=st.data())
def test_tagged_nrw_alliances_get_the_same_problems(alliance: Any, data: st.DataObject) -> None:
    """Generated NRW alliances (a user subclass with the extension's rules): changed, and as mutated data, alike."""
    chosen = data.draw(st.lists(st.sampled_from(sorted(_NRW_CHANGES)), max_size=3, unique=True), label="changes")
    for name in chosen:
        alliance = _NRW_CHANGES[name](alliance)
    problems = assert_same(alliance)
    assert (not chosen) <= (problems == [])
    document = willkommen.dump(alliance)
    mutation = data.draw(mutations(document, NrwAlliance), label="mutation")
    assert_same(mutation.applied(document))


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Branch:
    """A user's class with every shape of field that holds objects: one the compiled walk unrolls, or hands over."""

    label: str
    coaching: ProcessCoaching
    backup: ProcessCoaching | None = None
    sessions: dict[str, CoachingSession] = attrs.Factory(dict)
    pair: tuple[Measure, Measure] | None = None
    lead: Partner | None = None
    members: tuple[Partner, ...] = ()
    children: "tuple[Branch, ...]" = ()
    schedule: tuple[CoachingSession, ...] = ()
    measures: tuple[Measure, ...] = ()


def _register_branch_rules(seen: list[int]) -> None:
    """A user's rules on Branch and on a built-in class, recording every object they are called with."""

    @willkommen.rules.rule(
        Branch,
        "test_fused.odd_label",
        Severity.WARNING,
        reads=(),
        description="A label of odd length.",
        description_de="Eine Bezeichnung ungerader Länge.",
        message="label {value} has an odd length",
        message_de="Bezeichnung {value} hat eine ungerade Länge",
        source="this test",
    )
    def odd_label(branch: Branch, context: Context) -> Iterator[Finding]:
        del context
        seen.append(id(branch))
        if len(branch.label) % 2:
            yield willkommen.rules.finding("label", value=willkommen.rules.quote(branch.label))

    @willkommen.rules.rule(
        CoachingSession,
        "test_fused.long_session",
        Severity.WARNING,
        reads=(),
        description="A session of more than five hours.",
        description_de="Eine Sitzung von mehr als fünf Stunden.",
        message="{value} hours",
        message_de="{value} Stunden",
        source="this test",
    )
    def long_session(session: CoachingSession, context: Context) -> Iterator[Finding]:
        del context
        seen.append(id(session))
        if session.hours > 5:
            yield willkommen.rules.finding("hours", value=session.hours)


_ANY_HOURS = st.decimals(min_value=-3, max_value=9, places=1, allow_nan=False, allow_infinity=False)


@_SETTINGS
@given(data=st.data())
def test_users_classes_get_the_same_problems_and_the_same_calls(data: st.DataObject) -> None:
    """Generated objects of a user's class (mappings, fixed tuples, itself, tagged subclasses), with users' rules.

    The same problems either way, and every rule called with the same objects in the same order.
    """
    with willkommen.registry_scope():
        willkommen.tagged("test-fused-registered")(Registered)
        calls: list[int] = []
        _register_branch_rules(calls)
        sessions = st.builds(CoachingSession, date=st.dates(), hours=_ANY_HOURS)
        measures = st.builds(
            Measure,
            id=st.sampled_from(["a", "b"]),
            title=st.just("Sprachcafé"),
            goals=st.lists(st.just("g"), max_size=1).map(tuple),
            status=st.sampled_from(willkommen.MeasureStatus),
        )
        using = {CoachingSession: sessions, Measure: measures}
        branch = data.draw(objects(Branch, using=using, max_depth=3), label="branch")
        # Parts at two places (a fixed tuple and a sequence, a mapping and a sequence): checked once, where first found.
        branch = attrs.evolve(
            branch,
            schedule=(*branch.schedule, *branch.schedule, *branch.sessions.values()),
            measures=(*branch.measures, *(branch.pair or ()), *branch.measures),
            backup=data.draw(st.sampled_from([branch.backup, branch.coaching]), label="backup"),
        )
        compiled = willkommen.check(branch)
        compiled_calls = calls.copy()
        calls.clear()
        with _walk_only():
            assert compiled == willkommen.check(branch)
        assert compiled_calls == calls
        # The compiled walk ran: the reference alone would not have written one for Branch.
        assert (Branch, False) in engine.current().visitors


def test_a_part_at_two_places_is_reported_once(typical: Alliance) -> None:
    """One session object at two places: one problem, where the walk first finds it, either way."""
    assert typical.coaching is not None
    bad = CoachingSession(date=dt.date(2016, 3, 1), hours=Decimal(0))
    sessions = (bad, *typical.coaching.sessions, bad)
    problems = assert_same(attrs.evolve(typical, coaching=attrs.evolve(typical.coaching, sessions=sessions)))
    assert [p.path for p in problems if p.code == "coaching.session_hours"] == ["/coaching/sessions/0/hours"]


@pytest.fixture
def typical() -> Alliance:
    """The benchmark's typical alliance: 10 partners, 20 coaching sessions, valid."""
    return willkommen.load(corpus.typical())


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "generic walk"])
def test_a_rule_that_raises_goes_up_naming_the_rule_and_the_place(typical: Alliance, compiled: bool) -> None:
    """A user's rule that raises on the third session: the rule and the session's path in the note, either way."""
    assert typical.coaching is not None
    third = typical.coaching.sessions[2]
    with willkommen.registry_scope():

        @willkommen.rules.rule(
            CoachingSession,
            "test_fused.raises",
            Severity.ERROR,
            reads=(),
            description="Raises on one session.",
            description_de="Wirft bei einer Sitzung.",
            message="never",
            message_de="nie",
            source="this test",
        )
        def raises(session: CoachingSession, context: Context) -> Iterator[Finding]:
            del context
            if session is third:
                raise ZeroDivisionError
            yield from ()

        with contextlib.nullcontext() if compiled else _walk_only(), pytest.raises(ZeroDivisionError) as caught:
            willkommen.check(typical)
        expected = engine.rule_failure_note(engine.current().rules["test_fused.raises"], "/coaching/sessions/2")
    assert engine.failed_rule(caught.value) == "test_fused.raises"
    assert caught.value.__notes__ == [expected]
    # The generated lines are in the traceback, readable (linecache), as attrs' and cattrs' are.
    frames = traceback.extract_tb(caught.value.__traceback__)
    walks = [frame for frame in frames if frame.filename.startswith("<willkommen rules walk")]
    assert bool(walks) is compiled
    assert all(frame.line for frame in walks)


def test_an_object_checked_alone_has_no_program_either_way() -> None:
    """A part checked on its own (no alliance, so no program): the rules that need none run, alike."""
    measure = Measure(id="m", title="Sprachcafé", goals=(), status=willkommen.MeasureStatus.AGREED)
    assert [p.code for p in assert_same(measure)] == ["measure.no_goal"]
    session = CoachingSession(date=dt.date(2016, 3, 1), hours=Decimal(-1))
    assert [p.code for p in assert_same(session)] == ["coaching.session_hours"]


def test_a_class_made_at_run_time_with_any_name_is_walked_alike() -> None:
    """A class whose name is no Python identifier (attrs.make_class): its walk is written all the same."""
    odd = attrs.make_class(
        "Odd name-1",
        {"label": attrs.field(type=str), "measures": attrs.field(type=tuple[Measure, ...], default=())},
        frozen=True,
        kw_only=True,
    )
    measure = Measure(id="m", title="Sprachcafé", goals=(), status=willkommen.MeasureStatus.AGREED)
    problems = assert_same(odd(label="x", measures=(measure, measure)))
    assert [(p.code, p.path) for p in problems] == [("measure.no_goal", "/measures/0/goals")]
