"""Properties over generated alliances: valid data is valid, round trips lose nothing, violations show."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import willkommen
from willkommen import Alliance, OfferingType, State
from willkommen.programs import Program
from willkommen.testing import alliances

NRW_ONLY = willkommen.programs.register_program(
    Program(
        id="test-nrw-only",
        name="A program for NRW only, without a coaching cap",
        carriers=("Test",),
        start=dt.date(2018, 9, 11),
        end=None,
        states=frozenset({State.NW}),
        min_partners=5,
        offering_types=frozenset({OfferingType.ANALYSIS_WORKSHOP, OfferingType.PROCESS_COACHING}),
    )
)


@given(alliances())
def test_generated_alliances_have_no_errors(alliance: Alliance) -> None:
    """What willkommen.testing builds passes every rule."""
    assert [p for p in willkommen.check(alliance) if p.is_error] == []


@given(alliances(NRW_ONLY))
def test_generated_alliances_of_another_program_have_no_errors(alliance: Alliance) -> None:
    """The strategies follow the program: its states, size, offerings and open end."""
    assert [p for p in willkommen.check(alliance) if p.is_error] == []


@given(alliances())
def test_the_round_trip_is_lossless(alliance: Alliance) -> None:
    """load(dump(x)) == x and loads(dumps(x)) == x."""
    assert alliance == willkommen.load(willkommen.dump(alliance))
    assert alliance == willkommen.loads(willkommen.dumps(alliance))
    assert alliance == willkommen.loads(willkommen.dumps(alliance, indent=None).encode())


def _plain(value: object) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return type(value) in (str, int, float, bool, type(None))


@given(alliances())
def test_dump_gives_plain_json_types(alliance: Alliance) -> None:
    """No enum members, dates, decimals or tuples leak into the document."""
    document = willkommen.dump(alliance)
    assert _plain(document)
    assert next(iter(document)) == "schema_version"


# One planted violation each, and the code that must report it.
Plant = Callable[[Alliance], tuple[Alliance, str]]


def _lead_nobody(a: Alliance) -> tuple[Alliance, str]:
    return attrs.evolve(a, lead="\x00nobody"), "alliance.unknown_lead"


def _two_partners(a: Alliance) -> tuple[Alliance, str]:
    return attrs.evolve(a, partners=a.partners[:2], lead=None), "alliance.too_few_partners"


def _no_goals(a: Alliance) -> tuple[Alliance, str]:
    return attrs.evolve(a, goals=(), measures=()), "alliance.no_goals"


def _late_agreement(a: Alliance) -> tuple[Alliance, str]:
    agreement = willkommen.CooperationAgreement(
        signed_on=dt.date(2019, 1, 1), signatories=(willkommen.Person(name="a"), willkommen.Person(name="b"))
    )
    return attrs.evolve(a, agreement=agreement), "agreement.outside_runtime"


def _negative_session(a: Alliance) -> tuple[Alliance, str]:
    session = willkommen.CoachingSession(date=dt.date(2018, 12, 31), hours=Decimal(-1))
    coaching = willkommen.ProcessCoaching(coach=willkommen.Person(name="c"), sessions=(session,))
    return attrs.evolve(a, coaching=coaching), "coaching.session_hours"


def _duplicate_goal(a: Alliance) -> tuple[Alliance, str]:
    return attrs.evolve(a, goals=(*a.goals, a.goals[0]), measures=()), "alliance.duplicate_id"


@given(
    alliances(),
    st.sampled_from([_lead_nobody, _two_partners, _no_goals, _late_agreement, _negative_session, _duplicate_goal]),
)
def test_a_planted_violation_is_reported(alliance: Alliance, plant: Plant) -> None:
    """Whatever else the alliance holds, the one planted error shows with its code."""
    broken, code = plant(alliance)
    assert code in {p.code for p in willkommen.check(broken)}
    document: dict[str, Any] = willkommen.dump(broken)
    assert code in {p.code for p in willkommen.check(document)}
