"""Programs are data: Willkommen bei Freunden's facts, the registry, derived values."""

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import willkommen
from willkommen import OfferingType, ProgramError, State
from willkommen.programs import WILLKOMMEN_BEI_FREUNDEN as WBF
from willkommen.programs import Program, ServiceOffice


def test_willkommen_bei_freunden_holds_the_facts_of_the_domain() -> None:
    """Runtime, size, offerings and cap as domain.md states them, with their sources."""
    assert dt.date(2015, 5, 28) == WBF.start  # BMFSFJ press release
    assert dt.date(2018, 12, 31) == WBF.end  # seed 001: "bis Ende 2018"
    assert WBF.min_partners == 3  # seed 003
    assert frozenset(OfferingType) == WBF.offering_types  # seeds 002, 003
    assert Decimal(100) == WBF.coaching_hours_cap  # seeds 000, 001
    assert frozenset() == WBF.states  # nationwide
    assert WBF is willkommen.programs.get_program("willkommen-bei-freunden")


def test_only_the_known_office_regions_are_claimed() -> None:
    """Köln and Magdeburg's states are in seed 003; Hamburg's and Berlin's are unverified."""
    offices = {office.id: (office.city, office.states) for office in WBF.service_offices}
    assert {
        "koeln": ("Köln", frozenset({State.NW})),
        "magdeburg": ("Magdeburg", frozenset({State.SN, State.ST, State.TH})),
        "hamburg": ("Hamburg", frozenset()),
        "berlin": ("Berlin", frozenset()),
    } == offices


@pytest.mark.parametrize(
    ("state", "office"),
    [(State.NW, "koeln"), (State.SN, "magdeburg"), (State.TH, "magdeburg"), (State.NI, None), (State.HH, None)],
)
def test_the_office_for_a_state(state: State, office: str | None) -> None:
    """Only where the map is known is there a responsible office."""
    found = WBF.office_for(state)
    assert office == (found.id if found else None)


def test_offices_may_not_share_a_state() -> None:
    """Each state belongs to at most one office (seed 003)."""
    with pytest.raises(ValueError, match="DE-NW belongs to both 'a' and 'b'"):
        ServiceOffice(id="a", city="A", states=frozenset({State.NW})) and Program(
            id="x",
            name="x",
            carriers=(),
            start=dt.date(2020, 1, 1),
            min_partners=1,
            offering_types=frozenset(),
            service_offices=(
                ServiceOffice(id="a", city="A", states=frozenset({State.NW})),
                ServiceOffice(id="b", city="B", states=frozenset({State.NW})),
            ),
        )
    with pytest.raises(ValueError, match="two service offices share the id 'a'"):
        Program(
            id="x",
            name="x",
            carriers=(),
            start=dt.date(2020, 1, 1),
            min_partners=1,
            offering_types=frozenset(),
            service_offices=(ServiceOffice(id="a", city="A"), ServiceOffice(id="a", city="B")),
        )


def test_the_registry_refuses_a_second_program_under_a_taken_id() -> None:
    """Registering the same program twice is fine; a different one needs replace=True."""
    program = Program(
        id="test-registry", name="x", carriers=(), start=dt.date(2020, 1, 1), min_partners=1, offering_types=frozenset()
    )
    assert program is willkommen.programs.register_program(program)
    willkommen.programs.register_program(program)
    other = Program(
        id="test-registry", name="y", carriers=(), start=dt.date(2020, 1, 1), min_partners=2, offering_types=frozenset()
    )
    with pytest.raises(ProgramError, match="a different program is registered as 'test-registry'"):
        willkommen.programs.register_program(other)
    willkommen.programs.register_program(other, replace=True)
    assert other is willkommen.programs.get_program("test-registry")
    assert other in willkommen.programs.registered()


def test_an_unknown_program_id_is_a_lookup_error() -> None:
    """get_program names the known ids; ProgramError is a WillkommenError and a LookupError."""
    with pytest.raises(ProgramError, match=r"known: .*willkommen-bei-freunden") as caught:
        willkommen.programs.get_program("nope")
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, willkommen.WillkommenError)


def test_a_program_can_be_read_from_data() -> None:
    """Programs are data in files too: load() reads one like any model object."""
    document = willkommen.dump(WBF)
    assert document["service_offices"][1]["states"] == ["DE-SN", "DE-ST", "DE-TH"]
    assert willkommen.load(document, Program) == WBF
    document["states"] = ["DE-NW", "DE-NW"]
    assert [(p.code, p.path) for p in willkommen.check(document, Program)] == [("invalid_value", "/states")]


def test_derived_values_of_the_seed_alliances(bautzen: dict[str, Any], helmstedt: dict[str, Any]) -> None:
    """Bautzen (Sachsen) is Magdeburg's; Helmstedt's office and budget are not known."""
    first = willkommen.load(bautzen)
    second = willkommen.load(helmstedt)
    office = willkommen.programs.responsible_office(first)
    assert office is not None
    assert office.id == "magdeburg"
    assert willkommen.programs.responsible_office(second) is None
    assert Decimal(100) == willkommen.programs.coaching_hours_left(first)
    # Helmstedt names no budget: it is not known (format version 2), nor are the hours left.
    assert willkommen.programs.coaching_budget(second) is None
    assert willkommen.programs.coaching_hours_left(second) is None


def test_hours_left_after_sessions(rich: dict[str, Any]) -> None:
    """Used and left add up to the budget, exactly."""
    data = copy.deepcopy(rich)
    data["coaching"]["sessions"] = data["coaching"]["sessions"][:2]
    alliance = willkommen.load(data)
    assert alliance.coaching is not None
    assert Decimal("66.6") == alliance.coaching.hours_used
    assert Decimal("33.4") == willkommen.programs.coaching_hours_left(alliance)


def test_no_coaching_no_hours(helmstedt: dict[str, Any]) -> None:
    """Without coaching there is no budget, and an alliance across two states has no single office."""
    del helmstedt["coaching"]
    helmstedt["local_authorities"].append({"name": "Stadt Köln", "kind": "district_free_city", "state": "DE-NW"})
    alliance = willkommen.load(helmstedt)
    assert willkommen.programs.coaching_budget(alliance) is None
    assert willkommen.programs.coaching_hours_left(alliance) is None
    assert willkommen.programs.responsible_office(alliance) is None


def test_a_program_without_cap_has_no_hours_left(helmstedt: dict[str, Any]) -> None:
    """coaching_hours_left is None when neither the coaching nor the program sets a budget."""
    uncapped = Program(
        id="test-uncapped",
        name="x",
        carriers=(),
        start=dt.date(2015, 1, 1),
        min_partners=3,
        offering_types=frozenset(OfferingType),
    )
    alliance = willkommen.load(helmstedt)
    assert willkommen.programs.coaching_hours_left(alliance, uncapped) is None
    assert uncapped.covers(dt.date(2099, 1, 1))
