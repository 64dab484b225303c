"""The model classes: frozen, keyword-only, typed, with derived values."""

import datetime as dt
from decimal import Decimal

import attrs
import pytest

import willkommen
from willkommen import (
    CoachingSession,
    LocalAuthorityKind,
    Offering,
    OfferingStatus,
    OfferingType,
    Partner,
    PartnerKind,
    Person,
    ProcessCoaching,
    State,
)


def test_a_wrong_type_names_the_field() -> None:
    """A Python caller gets a TypeError that names the field and quotes the value."""
    with pytest.raises(TypeError, match=r"'name' must be a str \(got 3"):
        Person(name=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'kind' must be a PartnerKind"):
        Partner(id="a", name="b", kind=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'contacts' must be a tuple"):
        Partner(id="a", name="b", kind=PartnerKind.SCHOOL, contacts="Person")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'contacts' must be a tuple of items that are each a Person"):
        Partner(id="a", name="b", kind=PartnerKind.SCHOOL, contacts=("x",))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'role' must be a str or None"):
        Person(name="x", role=1)  # type: ignore[arg-type]


def test_a_datetime_is_not_a_date() -> None:
    """Dates are calendar dates; a datetime would write a time into the file."""
    with pytest.raises(TypeError, match="'date' must be a date"):
        CoachingSession(date=dt.datetime(2017, 1, 1, tzinfo=dt.UTC), hours=Decimal(1))


def test_models_are_frozen_keyword_only_and_hashable() -> None:
    """Objects cannot change, are built by keyword and can live in sets."""
    person = Person(name="Michael Harig", role="Landrat")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        person.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Person("Michael Harig")  # type: ignore[call-arg]
    assert {person, Person(name="Michael Harig", role="Landrat")} == {person}
    assert not hasattr(person, "__dict__")


@pytest.mark.parametrize(
    "dates",
    [
        {},
        {"start": dt.date(2017, 1, 1)},
        {"end": dt.date(2017, 1, 1)},
        {"date": dt.date(2017, 1, 1), "start": dt.date(2017, 1, 1), "end": dt.date(2017, 1, 2)},
    ],
)
def test_an_offering_has_a_date_or_a_start_and_an_end(dates: dict[str, dt.date]) -> None:
    """The model refuses held offerings without a usable date, as the reader does."""
    with pytest.raises(ValueError, match="expected either a date, or a start and an end"):
        Offering(type=OfferingType.TRAINING, date=dates.get("date"), start=dates.get("start"), end=dates.get("end"))


def test_a_planned_offering_may_have_no_date_yet() -> None:
    """Bautzen's agreed trainings: planned, no date; a planned one may still not mix a date with a span."""
    planned = Offering(type=OfferingType.TRAINING, status=OfferingStatus.PLANNED)
    assert planned.date is None
    assert Offering(type=OfferingType.TRAINING, date=dt.date(2017, 1, 1)).status is OfferingStatus.HELD
    with pytest.raises(ValueError, match="'end' is missing"):
        Offering(type=OfferingType.TRAINING, status=OfferingStatus.PLANNED, start=dt.date(2017, 1, 1))
    with pytest.raises(ValueError, match="'date' is missing"):
        Offering(type=OfferingType.TRAINING)


def test_hours_are_exact() -> None:
    """33.3 + 33.3 + 33.4 is exactly 100 hours."""
    coaching = ProcessCoaching(
        coach=Person(name="x"),
        sessions=tuple(CoachingSession(date=dt.date(2017, 1, 1), hours=Decimal(h)) for h in ("33.3", "33.3", "33.4")),
    )
    assert Decimal(100) == coaching.hours_used
    assert Decimal(0) == ProcessCoaching(coach=Person(name="x")).hours_used


# Every value of the code lists with its German label, as domain.md names them.
@pytest.mark.parametrize(
    ("member", "value", "label"),
    [
        (PartnerKind.YOUTH_OFFICE, "youth_office", "Jugendamt"),
        (PartnerKind.IMMIGRATION_OFFICE, "immigration_office", "Ausländerbehörde"),
        (OfferingType.PROCESS_COACHING, "process_coaching", "Prozessbegleitung"),
        (OfferingType.STUDY_VISIT, "study_visit", "Hospitation"),
        (LocalAuthorityKind.DISTRICT_FREE_CITY, "district_free_city", "kreisfreie Stadt"),
        (State.SN, "DE-SN", "Sachsen"),
        (willkommen.MeasureStatus.UNDER_REVIEW, "under_review", "wird geprüft"),
    ],
)
def test_code_lists_carry_german_labels(member: willkommen.State, value: str, label: str) -> None:
    """The value is what a file says; the label is what a German source says."""
    assert value == member
    assert value == member.value
    assert label == member.label_de


def test_code_lists_match_the_domain() -> None:
    """The sizes of the code lists are domain.md's."""
    assert len(PartnerKind) == 20
    assert len(willkommen.Theme) == 15
    assert len(OfferingType) == 5
    assert len(State) == 16
    assert len(LocalAuthorityKind) == 6
    assert len(willkommen.MeasureStatus) == 6
    assert len(willkommen.CoachingTask) == 4


# The Land key of every state (Destatis), one row a state.
LAND_KEYS = {
    "DE-SH": "01",
    "DE-HH": "02",
    "DE-NI": "03",
    "DE-HB": "04",
    "DE-NW": "05",
    "DE-HE": "06",
    "DE-RP": "07",
    "DE-BW": "08",
    "DE-BY": "09",
    "DE-SL": "10",
    "DE-BE": "11",
    "DE-BB": "12",
    "DE-MV": "13",
    "DE-SN": "14",
    "DE-ST": "15",
    "DE-TH": "16",
}


def test_every_state_has_its_land_key() -> None:
    """The AGS rules rest on these keys."""
    assert {state.value: state.land_key for state in State} == LAND_KEYS


def test_a_user_model_class_gets_type_checks_from_string_annotations() -> None:
    """Annotations written as strings (PEP 563) are resolved when first checked."""
    namespace: dict[str, object] = {}
    exec(  # noqa: S102 - a module with postponed annotations, built in the test
        "from __future__ import annotations\n"
        "import attrs, willkommen\n"
        "@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)\n"
        "class Note:\n"
        "    text: str\n"
        "    pages: int | None = None\n",
        namespace,
    )
    note_class = namespace["Note"]
    assert callable(note_class)
    note_class(text="ok", pages=3)
    with pytest.raises(TypeError, match="'pages' must be an int or None"):
        note_class(text="ok", pages="3")


# --- natural construction ---------------------------------------------------------------------------


def test_what_a_person_writes_is_stored_as_the_field_holds_it() -> None:
    """A list for a tuple, a code for a member, an int for a Decimal: stored as tuple, member, Decimal; equal."""
    natural = Partner(id="a", name="b", kind="youth_office", contacts=[Person(name="x")])  # type: ignore[arg-type]
    strict = Partner(id="a", name="b", kind=PartnerKind.YOUTH_OFFICE, contacts=(Person(name="x"),))
    assert natural == strict
    assert type(natural.contacts) is tuple
    assert natural.kind is PartnerKind.YOUTH_OFFICE
    session = CoachingSession(date=dt.date(2017, 5, 2), hours=4)  # type: ignore[arg-type]
    assert (type(session.hours), session.hours) == (Decimal, Decimal(4))
    huge = CoachingSession(date=dt.date(2017, 5, 2), hours=10**30)  # type: ignore[arg-type]
    assert huge.hours == Decimal(10**30)  # exact, however large
    goal = willkommen.Goal(id="g", title="t", themes=["school_to_work"])  # type: ignore[arg-type]
    assert goal.themes == (willkommen.Theme.SCHOOL_TO_WORK,)
    optional = willkommen.Measure(id="m", title="t", goals=("g",), status="agreed", horizon="long_term")  # type: ignore[arg-type]
    assert optional.horizon is willkommen.Horizon.LONG_TERM


def test_evolve_takes_a_list() -> None:
    """attrs.evolve with a list: the copy holds a tuple."""
    partner = Partner(id="a", name="b", kind=PartnerKind.SCHOOL)
    changed = attrs.evolve(partner, contacts=[Person(name="x"), Person(name="y")])  # type: ignore[arg-type]
    assert changed.contacts == (Person(name="x"), Person(name="y"))


def test_a_set_stands_for_a_frozenset_but_repeats_are_refused() -> None:
    """A program's states from a set or a list; a list that repeats a state would lose one silently: refused."""
    program = attrs.evolve(willkommen.programs.WILLKOMMEN_BEI_FREUNDEN, states={State.NW}, coaching_hours_cap=80)  # type: ignore[arg-type]
    assert (program.states, program.coaching_hours_cap) == (frozenset({State.NW}), Decimal(80))
    assert attrs.evolve(program, states=["DE-NW", "DE-SN"]).states == frozenset({State.NW, State.SN})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'states' must hold each item once"):
        attrs.evolve(program, states=[State.NW, State.NW])  # type: ignore[arg-type]


def test_a_float_for_a_decimal_shows_how_to_write_it() -> None:
    """33.3 as a float is not 33.3: refused, with the Decimal("33.3") form in the message."""
    with pytest.raises(TypeError, match=r'\'hours\' must be a Decimal, not the float 33\.3: write Decimal\("33\.3"\)'):
        CoachingSession(date=dt.date(2017, 5, 2), hours=33.3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a Decimal"):
        CoachingSession(date=dt.date(2017, 5, 2), hours=True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("Jugendamt", "youth_office"),  # the German label
        ("Youth Office", "youth_office"),  # case and spacing
        ("youth_ofice", "youth_office"),  # a typo
        ("Wohlfahrtsverband", "welfare_provider"),  # a glossary term
    ],
)
def test_an_unknown_code_suggests_the_meant_one(value: str, meant: str) -> None:
    """A string that is no code: ValueError naming the field, with a suggestion."""
    with pytest.raises(
        ValueError, match=f"'kind' must be a PartnerKind: '{value}' is none of its codes; did you mean '{meant}'"
    ):
        Partner(id="a", name="b", kind=value)  # type: ignore[arg-type]


def test_what_is_no_sequence_is_not_taken_for_one() -> None:
    """A str, bytes or dict for a tuple field is a TypeError, never split into items; a set has no order."""
    for wrong in ("xy", b"xy", {"x": 1}, {"x"}, (g for g in "x")):
        with pytest.raises(TypeError, match="'goals' must be a tuple"):
            willkommen.Measure(id="m", title="t", goals=wrong, status="agreed")  # type: ignore[arg-type]
