"""The model classes: frozen, keyword-only, typed, with derived values."""

import datetime as dt
from decimal import Decimal

import attrs
import pytest

import willkommen
from willkommen import (
    CoachingSession,
    MunicipalityKind,
    Offering,
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
        Partner(id="a", name="b", kind="school")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'contacts' must be a tuple"):
        Partner(id="a", name="b", kind=PartnerKind.SCHOOL, contacts=[Person(name="x")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'contacts' must be a tuple of items that are each a Person"):
        Partner(id="a", name="b", kind=PartnerKind.SCHOOL, contacts=("x",))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'role' must be str or None"):
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
    """The model refuses offerings without a usable date, as the reader does."""
    with pytest.raises(ValueError, match="an offering has a date, or a start and an end"):
        Offering(type=OfferingType.TRAINING, date=dates.get("date"), start=dates.get("start"), end=dates.get("end"))


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
        (MunicipalityKind.DISTRICT_FREE_CITY, "district_free_city", "kreisfreie Stadt"),
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
    assert len(MunicipalityKind) == 6
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
    with pytest.raises(TypeError, match="'pages' must be int or None"):
        note_class(text="ok", pages="3")
