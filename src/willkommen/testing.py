"""Hypothesis strategies that build valid model objects, for your tests and ours.

Every alliance :func:`alliances` builds passes :func:`willkommen.check`
without errors for the program it is built for::

    from hypothesis import given
    from willkommen.testing import alliances

    @given(alliances())
    def test_my_export(alliance):
        assert my_export(alliance)

Needs the optional extra ``willkommen[testing]`` (Hypothesis).
"""

import datetime as dt
from decimal import Decimal

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
from willkommen._programs import WILLKOMMEN_BEI_FREUNDEN, Program

__all__ = [
    "alliances",
    "hours",
    "local_authorities",
    "partners",
    "persons",
    "texts",
]

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
