"""Hypothesis strategies and single mutations, to test your extensions as willkommen tests itself.

Every alliance :func:`alliances` builds passes :func:`willkommen.check`
without errors for the program it is built for, and :func:`objects` builds
valid instances of any model class, your own subclasses included, from the
class's type plan (the one reading of its annotations that the reader, the
writer and the JSON Schema share)::

    from hypothesis import given
    from willkommen.testing import alliances

    @given(alliances())
    def test_my_export(alliance):
        assert my_export(alliance)

:func:`mutations` makes one change that breaks a valid document (a dropped
key, an unknown key, a value of the wrong type, an unknown code, a broken
date, a fixed tuple of another length, a set's item twice) and says which problem the reader must report, and where;
:func:`set_at` and :func:`delete_at` edit a document at a JSON Pointer, to
plant the violation one of your rules must find.

Needs the optional extra ``willkommen[testing]`` (Hypothesis).
"""

import collections.abc
import copy
import datetime as dt
import re
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, assert_never

import attrs
from hypothesis import strategies as st

from willkommen._enums import (
    AllianceOrigin,
    CoachingTask,
    Horizon,
    LocalAuthorityKind,
    MeasureStatus,
    OfferingStatus,
    OfferingType,
    PartnerKind,
    State,
    Theme,
)
from willkommen._migrate import VERSION_KEY
from willkommen._model import (
    Alliance,
    CoachingSession,
    Consultation,
    CooperationAgreement,
    Goal,
    LocalAuthority,
    Measure,
    Offering,
    Partner,
    Person,
    ProcessCoaching,
)
from willkommen._plan import (
    ChoiceNode,
    FixedTupleNode,
    MappingNode,
    ModelNode,
    Node,
    OptionalNode,
    ScalarKind,
    ScalarNode,
    SequenceNode,
    class_plan,
)
from willkommen._programs import WILLKOMMEN_BEI_FREUNDEN, Program
from willkommen._tags import TAG_KEY, class_for, tagged_classes

if TYPE_CHECKING:
    from willkommen.nrw import NrwAlliance

__all__ = [
    "BROKEN_DATES",
    "BROKEN_DATETIMES",
    "MAX_DEPTH",
    "MUTATIONS",
    "Edit",
    "Mutation",
    "Place",
    "add_an_unknown_key",
    "all_of",
    "alliances",
    "break_a_date",
    "change_a_length",
    "change_a_type",
    "coaching_sessions",
    "delete_at",
    "drop_a_required_key",
    "hours",
    "local_authorities",
    "mutations",
    "nrw_alliances",
    "objects",
    "partners",
    "persons",
    "places",
    "repeat_an_item",
    "set_at",
    "swap_an_enumeration_value",
    "texts",
]

_T = TypeVar("_T")

# Any unicode a JSON file can carry: everything but lone surrogates, which
# UTF-8 cannot encode.
_CHARACTERS = st.characters(exclude_categories=["Cs"])


def texts(*, min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    """Unicode text, unnormalised, as people type it."""
    return st.text(_CHARACTERS, min_size=min_size, max_size=max_size)


def _ids() -> st.SearchStrategy[str]:
    return st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


def hours(*, max_tenths: int = 1000) -> st.SearchStrategy[Decimal]:
    """Positive hours in tenths (0.1 to 100.0 by default), as exact decimals."""
    return st.integers(1, max_tenths).map(lambda tenths: Decimal(tenths) / 10)


def persons() -> st.SearchStrategy[Person]:
    """A person with an optional role and organisation."""
    return st.builds(Person, name=texts(), role=st.none() | texts(), organisation=st.none() | texts())


@st.composite
def _local_authority(draw: st.DrawFn, state: State) -> LocalAuthority:
    kind = draw(st.sampled_from(LocalAuthorityKind))
    digits = st.text("0123456789", min_size=1, max_size=1)
    ags: str | None
    if draw(st.booleans()):
        ags = None
    elif kind is LocalAuthorityKind.DISTRICT:
        ags = state.land_key + "".join(draw(st.lists(digits, min_size=3, max_size=3)))
    elif kind is LocalAuthorityKind.DISTRICT_FREE_CITY:
        ags = state.land_key + "".join(draw(st.lists(digits, min_size=3, max_size=3))) + "000"
    else:
        ags = state.land_key + "".join(draw(st.lists(digits, min_size=6, max_size=6)))
    return LocalAuthority(name=draw(texts()), kind=kind, state=state, ags=ags)


def local_authorities(state: State | None = None) -> st.SearchStrategy[LocalAuthority]:
    """A local authority whose key (if any) fits its kind and state."""
    states = st.just(state) if state is not None else st.sampled_from(State)
    return states.flatmap(_local_authority)


def _partner(partner_id: str, name: str) -> st.SearchStrategy[Partner]:
    return st.builds(
        Partner,
        id=st.just(partner_id),
        name=st.just(name),
        kind=st.sampled_from(PartnerKind),
        organisation=st.none() | texts(),
        contacts=st.lists(persons(), max_size=2).map(tuple),
    )


@st.composite
def partners(draw: st.DrawFn, *, min_size: int = 3, max_size: int = 8) -> tuple[Partner, ...]:
    """Partners with distinct ids and distinct names."""
    ids = draw(st.lists(_ids(), min_size=min_size, max_size=max_size, unique=True))
    names = draw(st.lists(texts(), min_size=len(ids), max_size=len(ids), unique=True))
    return tuple(draw(_partner(i, n)) for i, n in zip(ids, names, strict=True))


def _runtime_dates(program: Program) -> st.SearchStrategy[dt.date]:
    end = program.end or program.start + dt.timedelta(days=3650)
    return st.dates(min_value=program.start, max_value=end)


@st.composite
def _offering(draw: st.DrawFn, program: Program) -> Offering:
    kind = draw(st.sampled_from(sorted(program.offering_types)))
    participants = draw(
        st.none() | (st.integers(8, 20) if kind is OfferingType.ANALYSIS_WORKSHOP else st.integers(0, 500))
    )
    title = draw(st.none() | texts())
    status = draw(st.sampled_from(OfferingStatus))
    shape = draw(st.sampled_from(("date", "span", "none") if status is OfferingStatus.PLANNED else ("date", "span")))
    if shape == "none":
        # A planned offering may have no date yet.
        return Offering(type=kind, status=status, title=title, participants=participants)
    if shape == "date":
        day = draw(_runtime_dates(program))
        return Offering(type=kind, status=status, title=title, date=day, participants=participants)
    first, second = sorted(draw(st.lists(_runtime_dates(program), min_size=2, max_size=2)))
    return Offering(type=kind, status=status, title=title, start=first, end=second, participants=participants)


@st.composite
def _coaching(draw: st.DrawFn, program: Program, founded_on: dt.date | None) -> ProcessCoaching:
    cap = program.coaching_hours_cap
    cap_tenths = int(cap * 10) if cap is not None else 2000
    budget = draw(st.none() | hours(max_tenths=cap_tenths))
    available = budget if budget is not None else Decimal(cap_tenths) / 10
    days = _runtime_dates(program)
    if founded_on is not None:
        days = days.filter(lambda day: day >= founded_on)
    sessions = []
    used = Decimal(0)
    for session_hours in draw(st.lists(hours(max_tenths=100), max_size=6)):
        if used + session_hours > available:
            break
        used += session_hours
        sessions.append(
            CoachingSession(
                date=draw(days),
                hours=session_hours,
                task=draw(st.none() | st.sampled_from(CoachingTask)),
                note=draw(st.none() | texts()),
            )
        )
    return ProcessCoaching(
        coach=draw(persons()),
        hours_budget=budget,
        tasks=tuple(draw(st.lists(st.sampled_from(CoachingTask), unique=True))),
        sessions=tuple(sessions),
    )


@st.composite
def alliances(draw: st.DrawFn, program: Program = WILLKOMMEN_BEI_FREUNDEN) -> Alliance:
    """A valid alliance of *program*: no rule of the catalogue reports an error."""
    states = sorted(program.states) if program.states else list(State)
    state = draw(st.sampled_from(states))
    places = tuple(draw(st.lists(local_authorities(state), min_size=1, max_size=3)))
    members = draw(partners(min_size=max(program.min_partners, 1)))
    goal_ids = draw(st.lists(_ids(), min_size=1, max_size=4, unique=True))
    goals = tuple(
        Goal(
            id=goal_id,
            title=draw(texts()),
            description=draw(st.none() | texts(max_size=80)),
            themes=tuple(draw(st.lists(st.sampled_from(Theme), unique=True, max_size=3))),
            horizon=draw(st.none() | st.sampled_from(Horizon)),
        )
        for goal_id in goal_ids
    )
    measure_ids = draw(st.lists(_ids(), max_size=4, unique=True))
    measures = tuple(
        Measure(
            id=measure_id,
            title=draw(texts()),
            goals=tuple(draw(st.lists(st.sampled_from(goal_ids), min_size=1, unique=True))),
            status=draw(st.sampled_from(MeasureStatus)),
            horizon=draw(st.none() | st.sampled_from(Horizon)),
        )
        for measure_id in measure_ids
    )
    founded_on = draw(st.none() | _runtime_dates(program))
    office = program.office_for(state)
    offices = [office] if office is not None else list(program.service_offices)
    consultations = (
        tuple(
            draw(
                st.lists(
                    st.builds(
                        Consultation,
                        date=_runtime_dates(program),
                        office=st.sampled_from([o.id for o in offices]),
                        notes=st.none() | texts(max_size=80),
                    ),
                    max_size=2,
                )
            )
        )
        if offices
        else ()
    )
    wants_coaching = OfferingType.PROCESS_COACHING in program.offering_types and draw(st.booleans())
    return Alliance(
        id=draw(_ids()),
        name=draw(st.none() | texts()),
        program=program.id,
        local_authorities=places,
        origin=draw(st.sampled_from(AllianceOrigin)),
        founded_on=founded_on,
        partners=members,
        lead=draw(st.none() | st.sampled_from([p.id for p in members])),
        goals=goals,
        measures=measures,
        offerings=tuple(draw(st.lists(_offering(program), max_size=4))),
        coaching=draw(_coaching(program, founded_on)) if wants_coaching else None,
        agreement=draw(
            st.none()
            | st.builds(
                CooperationAgreement,
                signed_on=_runtime_dates(program),
                signatories=st.lists(persons(), min_size=2, max_size=4).map(tuple),
            )
        ),
        consultations=consultations,
    )


def coaching_sessions() -> st.SearchStrategy[CoachingSession]:
    """A coaching session of positive hours."""
    return st.builds(
        CoachingSession,
        date=st.dates(),
        hours=hours(max_tenths=100),
        task=st.none() | st.sampled_from(CoachingTask),
        note=st.none() | texts(),
    )


def _measures() -> st.SearchStrategy[Measure]:
    return st.builds(
        Measure,
        id=_ids(),
        title=texts(),
        goals=st.lists(_ids(), min_size=1, max_size=3, unique=True).map(tuple),
        status=st.sampled_from(MeasureStatus),
        horizon=st.none() | st.sampled_from(Horizon),
    )


def _agreements() -> st.SearchStrategy[CooperationAgreement]:
    return st.builds(
        CooperationAgreement, signed_on=st.dates(), signatories=st.lists(persons(), min_size=2, max_size=4).map(tuple)
    )


@st.composite
def nrw_alliances(draw: st.DrawFn) -> "NrwAlliance":
    """A valid alliance of the NRW initiative (``willkommen.nrw``): its coordinating office and target group fit."""
    from willkommen.nrw import GEMEINSAM_KLAPPTS, NrwAlliance, ResidenceStatus, TargetGroup  # noqa: PLC0415

    base = draw(alliances(GEMEINSAM_KLAPPTS))
    office = draw(st.sampled_from(base.partners))
    members = tuple(attrs.evolve(p, kind=PartnerKind.INTEGRATION_OFFICE) if p is office else p for p in base.partners)
    age_min = draw(st.integers(18, 25))
    group = TargetGroup(
        age_min=age_min,
        age_max_exclusive=draw(st.integers(age_min + 1, 27)),
        focus_statuses=tuple(draw(st.lists(st.sampled_from(ResidenceStatus), unique=True))),
        count=draw(st.none() | st.integers(0, 10**6)),
    )
    fields = {field.name: getattr(base, field.name) for field in attrs.fields(Alliance)}
    return NrwAlliance(**(fields | {"partners": members}), coordinating_office=office.id, target_group=group)


def _hand_tuned() -> dict[type, st.SearchStrategy[Any]]:
    """The strategies of the built-in classes whose rules need coherent data, not just well-typed values."""
    table: dict[type, st.SearchStrategy[Any]] = {
        Alliance: alliances(),
        LocalAuthority: local_authorities(),
        Offering: _offering(WILLKOMMEN_BEI_FREUNDEN),
        ProcessCoaching: _coaching(WILLKOMMEN_BEI_FREUNDEN, None),
        CoachingSession: coaching_sessions(),
        CooperationAgreement: _agreements(),
        Measure: _measures(),
    }
    # The shipped NRW extension (import willkommen registers it): its rules need a coherent target group.
    from willkommen.nrw import NrwAlliance  # noqa: PLC0415 - beside its strategy, which imports it late too

    table[NrwAlliance] = nrw_alliances()
    return table


# How deep objects nest by default in a class that contains itself.
MAX_DEPTH = 3
# Collections stay small: a few items show what many would, and keep examples quick.
_MAX_ITEMS = 3
# Offsets in whole minutes: RFC 3339 (and so the JSON Schema's date-time) has no seconds in an offset.
_OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
# Decimals a document carries exactly: at most 15 significant digits (what a float holds).
_DECIMALS = st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent),
    st.integers(-(10**15) + 1, 10**15 - 1),
    st.integers(-6, 6),
)


class _Derived:
    """Strategies derived from type plans, one per class and depth, for :func:`objects`."""

    def __init__(self, using: collections.abc.Mapping[type, st.SearchStrategy[Any]], max_depth: int) -> None:
        self.using = {**_hand_tuned(), **using}
        self.max_depth = max_depth
        self.built: dict[tuple[type, int], st.SearchStrategy[Any]] = {}

    def model(self, cls: type, depth: int) -> st.SearchStrategy[Any]:
        """*cls* or any tagged subclass that may stand where it is expected."""
        others = [sub for sub in tagged_classes(cls).values() if sub is not cls]
        return st.one_of(self.exact(cls, depth), *(self.exact(sub, depth) for sub in others))

    def exact(self, cls: type, depth: int) -> st.SearchStrategy[Any]:
        """Instances of exactly *cls*."""
        if (cls, depth) not in self.built:
            self.built[cls, depth] = st.deferred(lambda: self._exact(cls, depth))
        return self.built[cls, depth]

    def _exact(self, cls: type, depth: int) -> st.SearchStrategy[Any]:
        if cls in self.using:
            return self.using[cls]
        plan = class_plan(cls)
        # A subclass of a class with its own strategy: that strategy's object, plus the subclass's own fields.
        base = next((ancestor for ancestor in cls.__mro__[1:] if ancestor in self.using), None)
        inherited = {field.name for field in class_plan(base).fields} if base is not None else set()
        aliases = {field.name: field.alias for field in attrs.fields(cls)}
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for field in plan.fields:
            if field.name in inherited or not field.init:
                continue
            values = self.node(field.node, depth)
            (required if field.required else optional)[aliases[field.name]] = values
        own = st.fixed_dictionaries(required, optional=optional)
        if base is None:
            return own.map(lambda arguments: cls(**arguments))

        def build(parent: object, arguments: dict[str, Any]) -> object:
            kept = {aliases[name]: getattr(parent, name) for name in inherited if name in aliases}
            return cls(**kept, **arguments)

        return st.builds(build, self.using[base], own)

    def node(self, node: Node, depth: int) -> st.SearchStrategy[Any]:  # noqa: PLR0911 - one answer per kind of node
        """Values of one node of a type plan; below *max_depth*, optional parts and collections stay empty."""
        deep = depth >= self.max_depth
        match node:
            case ScalarNode(kind=kind):
                return _LEAVES[kind]
            case ChoiceNode(enum=codes, values=values):
                return st.sampled_from(values) if codes is None else st.sampled_from(list(codes))
            case OptionalNode(inner=inner):
                return st.none() if deep else st.none() | self.node(inner, depth)
            case SequenceNode(item=item, unique=unique):
                if deep:
                    return st.just(frozenset() if unique else ())
                items = st.lists(self.node(item, depth), max_size=_MAX_ITEMS, unique=unique)
                return items.map(frozenset) if unique else items.map(tuple)
            case FixedTupleNode(items=items):
                return st.tuples(*(self.node(item, depth) for item in items))
            case MappingNode(value=value):
                if deep:
                    return st.just({})
                return st.dictionaries(texts(min_size=0, max_size=10), self.node(value, depth), max_size=_MAX_ITEMS)
            case ModelNode(cls=cls):
                return self.model(cls, depth + 1)
            case _:  # pragma: no cover - every kind of node is above
                assert_never(node)


_LEAVES: dict[ScalarKind, st.SearchStrategy[Any]] = {
    ScalarKind.STR: texts(min_size=0),
    ScalarKind.INT: st.integers(),
    ScalarKind.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
    ScalarKind.BOOL: st.booleans(),
    ScalarKind.DECIMAL: _DECIMALS,
    ScalarKind.DATE: st.dates(),
    # Hypothesis takes naive bounds and adds the zone; a day's margin keeps every offset within the years 1-9999.
    ScalarKind.DATETIME: st.datetimes(
        min_value=dt.datetime(1, 1, 2),  # noqa: DTZ001
        max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=_OFFSETS,
    ),
}


def objects(
    cls: type[_T],
    *,
    using: collections.abc.Mapping[type, st.SearchStrategy[Any]] | None = None,
    max_depth: int = MAX_DEPTH,
) -> st.SearchStrategy[_T]:
    """Valid instances of any model class, your own subclasses included, built from its type plan.

    Every field gets a value its annotation accepts and a document carries
    exactly (so ``loads(dumps(x)) == x``); where a class is expected, any
    tagged subclass registered now may stand. A class that contains itself
    nests at most *max_depth* levels deep: below that, optional parts are
    ``None`` and collections empty.

    The built-in classes whose rules need coherent data (an alliance, a local
    authority, an offering, ...) come from this module's hand-tuned
    strategies, so ``check`` finds no error in them. Your rules may need the
    same: give a strategy for such a class of yours in *using*, and it is
    used wherever that class, or a subclass that adds fields, stands::

        objects(MyReport, using={MyEntry: my_entries()})
    """
    if not attrs.has(cls):
        msg = f"objects() argument 'cls' must be a model class, not {cls!r}"
        raise TypeError(msg)
    derived = _Derived(using or {}, max_depth)
    # Exactly *cls* at the top, as load(data, cls) reads it without a tag; subclasses where it is nested.
    return typing.cast("st.SearchStrategy[_T]", derived.exact(cls, 0))


# --- single mutations of a document -------------------------------------------------------------

#: An edit of a document (a dict as ``willkommen.dump`` gives), in place.
Edit = Callable[[dict[str, Any]], None]


def _escape(token: str | int) -> str:
    return str(token) if isinstance(token, int) else token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _tokens(pointer: str) -> list[str]:
    if pointer and not pointer.startswith("/"):
        msg = f"a JSON Pointer is empty or starts with '/', not {pointer!r}"
        raise ValueError(msg)
    return [_unescape(token) for token in pointer.split("/")[1:]]


def _at(document: Any, tokens: list[str]) -> Any:
    node = document
    for token in tokens:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def set_at(pointer: str, value: object) -> Edit:
    """An edit that puts *value* at the JSON Pointer *pointer* (``/partners/0/kind``); the last key may be new."""
    *parents, last = _tokens(pointer) or [""]

    def edit(document: dict[str, Any]) -> None:
        parent = _at(document, parents)
        if isinstance(parent, list):
            parent[int(last)] = value
        else:
            parent[last] = value

    return edit


def delete_at(pointer: str) -> Edit:
    """An edit that removes the key or list item at the JSON Pointer *pointer*."""
    *parents, last = _tokens(pointer) or [""]

    def edit(document: dict[str, Any]) -> None:
        parent = _at(document, parents)
        del parent[int(last) if isinstance(parent, list) else last]

    return edit


def all_of(*edits: Edit) -> Edit:
    """One edit made of several, made in order."""

    def edit(document: dict[str, Any]) -> None:
        for each in edits:
            each(document)

    return edit


@attrs.frozen
class Place:
    """Where a value stands in a document: a field of an object, an item of a list, or a value of a mapping."""

    #: The JSON Pointer of the object, list or mapping that holds the value.
    parent: str
    #: The field's name, the item's index, or the mapping's key.
    key: str | int
    #: What the value must be: a node of the type plan.
    node: Node
    #: Whether the key must be there (a field without a default).
    required: bool
    #: Whether the document has a value there.
    present: bool
    #: The model class whose field it is; None for an item or a mapping's value.
    owner: type | None

    @property
    def path(self) -> str:
        """The JSON Pointer of the value."""
        return f"{self.parent}/{_escape(self.key)}"


def places(document: dict[str, Any], cls: type = Alliance) -> list[Place]:
    """Every field (present or not), list item and mapping value of a document of *cls*, as its plan sees them.

    A nested object that names a tagged subclass (``"$type"``) is walked as
    that class; ``schema_version`` comes last.
    """
    version = Place("", VERSION_KEY, _VERSION, required=True, present=VERSION_KEY in document, owner=cls)
    return [*_object_places(document, cls, ""), version]


# The version is an integer the reader compares with its own (see willkommen.migrations).
_VERSION = ScalarNode(ScalarKind.INT)


def _object_places(value: dict[str, Any], expected: type, pointer: str) -> Iterator[Place]:
    cls = class_for(value, expected) or expected
    for field in class_plan(cls).fields:
        present = field.name in value
        yield Place(pointer, field.name, field.node, field.required, present, cls)
        if present:
            yield from _value_places(value[field.name], field.node, f"{pointer}/{_escape(field.name)}")


def _value_places(value: object, node: Node, pointer: str) -> Iterator[Place]:
    match node:
        case OptionalNode(inner=inner):
            yield from _value_places(value, inner, pointer)
        case SequenceNode(item=item) if isinstance(value, list):
            for index, each in enumerate(value):
                yield Place(pointer, index, item, required=True, present=True, owner=None)
                yield from _value_places(each, item, f"{pointer}/{index}")
        case FixedTupleNode(items=items) if isinstance(value, list):
            for index, (each, item) in enumerate(zip(value, items, strict=False)):
                yield Place(pointer, index, item, required=True, present=True, owner=None)
                yield from _value_places(each, item, f"{pointer}/{index}")
        case MappingNode(value=item) if isinstance(value, dict):
            for key, each in value.items():
                yield Place(pointer, key, item, required=False, present=True, owner=None)
                yield from _value_places(each, item, f"{pointer}/{_escape(key)}")
        case ModelNode(cls=cls) if isinstance(value, dict):
            yield from _object_places(value, cls, pointer)
        case _:
            return


@attrs.frozen
class Mutation:
    """One change that breaks a document: what kind, where, and the problem code the reader must report there."""

    kind: str
    #: The JSON Pointer of the changed value.
    path: str
    #: The code of the error the reader reports at exactly :attr:`path`.
    code: str
    edit: Edit = attrs.field(repr=False)

    def applied(self, document: dict[str, Any]) -> dict[str, Any]:
        """A changed copy of *document* (the document itself stays as it is)."""
        changed = copy.deepcopy(document)
        self.edit(changed)
        return changed


def _unwrap(node: Node) -> tuple[Node, bool]:
    """The node without ``| None``, and whether null is allowed."""
    if isinstance(node, OptionalNode):
        return node.inner, True
    return node, False


def _objects_in(document: dict[str, Any], cls: type) -> list[tuple[str, type, dict[str, Any]]]:
    """Every object of *document*: its pointer, its class (as its tag says) and its data."""
    found = [("", class_for(document, cls) or cls, document)]
    for place in places(document, cls):
        node, _ = _unwrap(place.node)
        value = _at(document, _tokens(place.path)) if place.present else None
        if isinstance(node, ModelNode) and isinstance(value, dict):
            found.append((place.path, class_for(value, node.cls) or node.cls, value))
    return found


def _drops(document: dict[str, Any], cls: type) -> list[tuple[str, str]]:
    """The keys whose removal is an error: a required field, or one its class's shape check needs.

    Each as the pointer of the key and the pointer where ``missing`` is reported.
    """
    found = [(p.path, p.path) for p in places(document, cls) if p.present and p.required and p.owner is not None]
    for pointer, owner, data in _objects_in(document, cls):
        shape = class_plan(owner).shape_check
        if shape is None:
            continue
        # The fields of its groups, and the one that may exempt it (a planned offering's status).
        counted = [name for group in shape.groups for name in group] + ([shape.unless[0]] if shape.unless else [])
        for name in (name for name in counted if data.get(name) is not None):
            error = shape.error_in_data({key: value for key, value in data.items() if key != name})
            if error is not None:
                found.append((f"{pointer}/{_escape(name)}", f"{pointer}/{_escape(error[0])}"))
    return found


@st.composite
def drop_a_required_key(draw: st.DrawFn, document: dict[str, Any], cls: type = Alliance) -> Mutation:
    """Remove a key the document must have (a field without a default, or one its class's shape needs).

    ``missing`` there (an offering's ``end`` when its ``start`` stays: at the ``end``; a
    planned offering's ``status`` when it has no date: at its ``date``, as a held offering needs one).
    """
    key, reported = draw(st.sampled_from(_drops(document, cls)))
    return Mutation("drop", reported, "missing", delete_at(key))


# Keys a document may have beside the fields.
_NOT_FIELDS = (TAG_KEY, VERSION_KEY)


@st.composite
def add_an_unknown_key(draw: st.DrawFn, document: dict[str, Any], cls: type = Alliance) -> Mutation:
    """Add a key the model does not have, to any object: ``unknown_key`` there."""
    pointer, owner, _ = draw(st.sampled_from(_objects_in(document, cls)))
    known = {field.name for field in class_plan(owner).fields} | set(_NOT_FIELDS)
    key = draw(st.text(max_size=12).filter(lambda k: k not in known))
    value: object = draw(st.none() | st.integers() | st.text(max_size=5) | st.just({}) | st.just([]))
    path = f"{pointer}/{_escape(key)}"
    return Mutation("unknown_key", path, "unknown_key", set_at(path, value))


def _wrong_types(node: Node) -> list[object]:  # noqa: PLR0911 - one answer per kind of node
    """JSON values of a type other than *node*'s (null only where null is not allowed)."""
    node, optional = _unwrap(node)
    null: list[object] = [] if optional else [None]
    match node:
        case ScalarNode(kind=ScalarKind.STR):
            return [1, 1.5, True, [], {}, *null]
        case ScalarNode(kind=ScalarKind.INT):
            return ["12", 1.5, True, [12], {}, *null]
        case ScalarNode(kind=ScalarKind.FLOAT | ScalarKind.DECIMAL):
            return ["33.3", True, [33.3], {}, *null]
        case ScalarNode(kind=ScalarKind.BOOL):
            return [1, 0, "true", [True], {}, *null]
        case ScalarNode(kind=ScalarKind.DATE):
            return [20170926, 2017.0926, True, ["2017-09-26"], {}, *null]
        case ScalarNode(kind=ScalarKind.DATETIME):
            return [1506420000, 2017.0926, True, ["2017-09-26T10:00:00Z"], {}, *null]
        case ChoiceNode(values=values):
            texts_allowed = any(isinstance(v, str) for v in values)
            integers_allowed = any(isinstance(v, int) for v in values)
            others: list[object] = [1.5, False, [values[0]], {}]
            others += [] if integers_allowed else [1]
            others += [] if texts_allowed else [str(values[0])]
            return [*others, *null]
        case SequenceNode() | FixedTupleNode():
            return ["x", 1, True, {}, *null]
        case _:  # a mapping or an object
            return ["x", 1, True, [], *null]


@st.composite
def change_a_type(draw: st.DrawFn, document: dict[str, Any], cls: type = Alliance) -> Mutation:
    """Put a value of the wrong JSON type where a value is: ``type`` there."""
    place = draw(st.sampled_from([p for p in places(document, cls) if p.present]))
    value = draw(st.sampled_from(_wrong_types(place.node)))
    return Mutation("type", place.path, "type", set_at(place.path, value))


def _choices(document: dict[str, Any], cls: type) -> list[tuple[Place, ChoiceNode]]:
    found = []
    for place in places(document, cls):
        node, _ = _unwrap(place.node)
        if place.present and isinstance(node, ChoiceNode) and _at(document, _tokens(place.path)) is not None:
            found.append((place, node))
    return found


@st.composite
def swap_an_enumeration_value(draw: st.DrawFn, document: dict[str, Any], cls: type = Alliance) -> Mutation:
    """Put a value that is none of a code list's (or ``Literal``'s) values where one is: ``invalid_value`` there."""
    place, choice = draw(st.sampled_from(_choices(document, cls)))
    value: object
    if all(isinstance(v, int) for v in choice.values):
        value = draw(st.integers().filter(lambda v: v not in choice.values))
    else:
        words = [v for v in choice.values if isinstance(v, str)]
        # Near misses too: another case, blanks around the value, the German label.
        labels = [str(getattr(member, "label_de", "")) for member in choice.enum or ()]
        near = [w.upper() for w in words] + [f" {w}" for w in words] + [label for label in labels if label]
        word = draw(st.sampled_from(near) | st.text(max_size=20)).strip("\0")
        value = word if word not in choice.values else word + "?"
    return Mutation("enum", place.path, "invalid_value", set_at(place.path, value))


_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_date(text: str) -> bool:
    if not _CALENDAR_DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


#: Texts that are not calendar dates YYYY-MM-DD, as people and programs write them.
BROKEN_DATES = (
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
)
#: Texts that are not a date and time with an offset (RFC 3339), the naive ones first.
BROKEN_DATETIMES = (
    "2017-09-26T10:00:00",
    "2017-09-26T10:00:00.5",
    "2017-09-26",
    "2017-09-26 10:00:00+02:00",
    "2017-09-26T25:00:00Z",
    "2017-02-30T10:00:00Z",
    "2017-09-26T10:00:00+2",
    "26.09.2017 10:00",
    "",
)


def _dates(document: dict[str, Any], cls: type) -> list[Place]:
    found = []
    for place in places(document, cls):
        node, _ = _unwrap(place.node)
        if (
            place.present
            and isinstance(node, ScalarNode)
            and node.kind in (ScalarKind.DATE, ScalarKind.DATETIME)
            and _at(document, _tokens(place.path)) is not None
        ):
            found.append(place)
    return found


@st.composite
def break_a_date(draw: st.DrawFn, document: dict[str, Any], cls: type = Alliance) -> Mutation:
    """Put a text that is not a date (or not a date and time with an offset) where one is.

    ``invalid_date`` for a date, ``invalid_value`` for a date and time, there.
    """
    place = draw(st.sampled_from(_dates(document, cls)))
    node, _ = _unwrap(place.node)
    if isinstance(node, ScalarNode) and node.kind is ScalarKind.DATETIME:
        text = draw(st.sampled_from(BROKEN_DATETIMES))
        return Mutation("date", place.path, DATETIME_CODE, set_at(place.path, text))
    text = draw(st.sampled_from(BROKEN_DATES) | st.text(max_size=12).filter(lambda t: not _is_date(t)))
    return Mutation("date", place.path, "invalid_date", set_at(place.path, text))


def _lists(document: dict[str, Any], cls: type, kind: type[FixedTupleNode | SequenceNode]) -> list[Place]:
    """The places of present lists of a kind of node (a fixed tuple, or a frozenset's list with items)."""
    found = []
    for place in places(document, cls):
        node, _ = _unwrap(place.node)
        value = _at(document, _tokens(place.path)) if place.present else None
        if not isinstance(node, kind) or not isinstance(value, list):
            continue
        if isinstance(node, FixedTupleNode) or (node.unique and value):
            found.append(place)
    return found


@st.composite
def change_a_length(draw: st.DrawFn, document: dict[str, Any], cls: type = Alliance) -> Mutation:
    """Give a fixed-length tuple one item too few or too many: ``invalid_value`` at the tuple."""
    place = draw(st.sampled_from(_lists(document, cls, FixedTupleNode)))
    items = list(_at(document, _tokens(place.path)))
    shorter: bool = bool(items) and draw(st.booleans())
    changed = items[:-1] if shorter else [*items, items[0] if items else None]
    return Mutation("length", place.path, "invalid_value", set_at(place.path, changed))


@st.composite
def repeat_an_item(draw: st.DrawFn, document: dict[str, Any], cls: type = Alliance) -> Mutation:
    """Write an item of a frozenset's list twice (a set holds it once): ``invalid_value`` at the list."""
    place = draw(st.sampled_from(_lists(document, cls, SequenceNode)))
    items = list(_at(document, _tokens(place.path)))
    repeated = draw(st.sampled_from(items))
    at = draw(st.integers(0, len(items)))
    return Mutation("repeat", place.path, "invalid_value", set_at(place.path, [*items[:at], repeated, *items[at:]]))


# The reader's code for a text that is no date and time with an offset.
DATETIME_CODE = "invalid_value"

#: Every kind of single mutation :func:`mutations` chooses from, each a strategy of ``(document, cls)``.
MUTATIONS: tuple[Callable[..., st.SearchStrategy[Mutation]], ...] = (
    drop_a_required_key,
    add_an_unknown_key,
    change_a_type,
    swap_an_enumeration_value,
    break_a_date,
    change_a_length,
    repeat_an_item,
)


def mutations(document: dict[str, Any], cls: type = Alliance) -> st.SearchStrategy[Mutation]:
    """One change that breaks *document* (valid, of *cls*), of any kind that has a place in it.

    The kinds are those of :data:`MUTATIONS`: drop a required key, add an
    unknown key, change a value's type, swap a code for an unknown one, break
    a date, change a fixed tuple's length, repeat an item of a frozenset.

    Whatever the change, the reader (``check`` of the data, ``loads`` of its
    JSON text) reports an error with the mutation's ``code`` at exactly its
    ``path``::

        @given(objects(MyAlliance).map(willkommen.dump).flatmap(
            lambda document: st.tuples(st.just(document), mutations(document, MyAlliance))))
        def test_every_break_is_found(case):
            document, mutation = case
            problems = willkommen.check(mutation.applied(document), MyAlliance)
            assert (mutation.code, mutation.path) in [(p.code, p.path) for p in problems]
    """
    kinds = [add_an_unknown_key(document, cls), change_a_type(document, cls)]
    if _drops(document, cls):
        kinds.append(drop_a_required_key(document, cls))
    if _choices(document, cls):
        kinds.append(swap_an_enumeration_value(document, cls))
    if _dates(document, cls):
        kinds.append(break_a_date(document, cls))
    if _lists(document, cls, FixedTupleNode):
        kinds.append(change_a_length(document, cls))
    if _lists(document, cls, SequenceNode):
        kinds.append(repeat_an_item(document, cls))
    return st.one_of(kinds)
