"""Every rule of the catalogue: where it fires (code and path) and where it stays quiet."""

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

import willkommen
from tests.helpers import Mutation, all_of, set_at
from willkommen import OfferingType, Severity, State

# A program that differs from WbF where rules read it: NRW only, no study
# visits, a 40 hour cap, four partners.
NARROW = willkommen.programs.register_program(
    willkommen.programs.Program(
        id="test-narrow",
        name="A narrow test program",
        carriers=("Test",),
        start=dt.date(2016, 1, 1),
        end=dt.date(2020, 12, 31),
        states=frozenset({State.NW}),
        min_partners=4,
        offering_types=frozenset(OfferingType) - {OfferingType.STUDY_VISIT},
        coaching_hours_cap=Decimal(40),
        service_offices=(willkommen.programs.ServiceOffice(id="koeln", city="Köln", states=frozenset({State.NW})),),
    )
)


def _append_copy(list_key: str, index: int, **changes: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data[list_key].append({**data[list_key][index], **changes})

    return mutate


# code, mutation of the rich Bautzen document, path of the problem, one row a case.
FIRES: list[tuple[str, Mutation, str]] = [
    # Two partners, three needed (seed 003).
    ("alliance.too_few_partners", lambda d: d.update(partners=d["partners"][:2], lead=None), "/partners"),
    # Three partners where the narrow program asks for four.
    (
        "alliance.too_few_partners",
        all_of(
            set_at("/program", "test-narrow"),
            lambda d: d.update(partners=d["partners"][:3], consultations=[], coaching=None),
        ),
        "/partners",
    ),
    # Two partners of the same name and organisation count once.
    (
        "alliance.too_few_partners",
        lambda d: d.update(partners=[d["partners"][0], {**d["partners"][0], "id": "twin"}, d["partners"][1]]),
        "/partners",
    ),
    ("alliance.no_local_authority", set_at("/local_authorities", []), "/local_authorities"),
    ("alliance.no_goals", lambda d: d.update(goals=[], measures=[]), "/goals"),
    ("alliance.unknown_lead", set_at("/lead", "nobody"), "/lead"),
    ("alliance.duplicate_id", set_at("/partners/3/id", "landrat"), "/partners/3/id"),
    ("alliance.duplicate_id", set_at("/goals/2/id", "uebergang"), "/goals/2/id"),
    ("alliance.duplicate_id", set_at("/measures/1/id", "profilpass"), "/measures/1/id"),
    ("alliance.duplicate_partner", _append_copy("partners", 0, id="landrat-2"), "/partners/8"),
    (
        "alliance.state_not_in_program",
        all_of(set_at("/program", "test-narrow"), lambda d: d.update(consultations=[], coaching=None)),
        "/local_authorities/0/state",
    ),
    ("measure.unknown_goal", set_at("/measures/0/goals", ["uebergang", "nope"]), "/measures/0/goals/1"),
    ("measure.no_goal", set_at("/measures/0/goals", []), "/measures/0/goals"),
    # Four digits for a Kreisschlüssel of five.
    ("local_authority.ags_format", set_at("/local_authorities/0/ags", "1462"), "/local_authorities/0/ags"),
    # An eight-digit AGS given for a Landkreis.
    ("local_authority.ags_format", set_at("/local_authorities/0/ags", "14625000"), "/local_authorities/0/ags"),
    # A letter in the key.
    ("local_authority.ags_format", set_at("/local_authorities/1/ags", "1462502x"), "/local_authorities/1/ags"),
    # Arabic-Indic digits are digits to str.isdigit, not to the AGS.
    ("local_authority.ags_format", set_at("/local_authorities/1/ags", "١٤٦٢٥٠٢٠"), "/local_authorities/1/ags"),
    # Stadt Bautzen with the Land key of Nordrhein-Westfalen.
    ("local_authority.ags_state_mismatch", set_at("/local_authorities/1/ags", "05625020"), "/local_authorities/1/ags"),
    (
        "local_authority.ags_free_city",
        all_of(
            set_at("/local_authorities/1/kind", "district_free_city"), set_at("/local_authorities/1/ags", "14625020")
        ),
        "/local_authorities/1/ags",
    ),
    (
        "offering.not_in_program",
        all_of(
            set_at("/program", "test-narrow"),
            set_at("/offerings/0/type", "study_visit"),
            lambda d: d.update(consultations=[], coaching=None),
        ),
        "/offerings/0/type",
    ),
    ("offering.outside_runtime", set_at("/offerings/0/date", "2019-01-01"), "/offerings/0/date"),
    ("offering.outside_runtime", set_at("/offerings/1/start", "2015-05-27"), "/offerings/1/start"),
    ("offering.participants", set_at("/offerings/0/participants", 7), "/offerings/0/participants"),
    ("offering.participants", set_at("/offerings/0/participants", 21), "/offerings/0/participants"),
    ("coaching.budget_over_cap", set_at("/coaching/hours_budget", 100.5), "/coaching/hours_budget"),
    ("coaching.budget_over_cap", set_at("/coaching/hours_budget", 0), "/coaching/hours_budget"),
    ("coaching.budget_over_cap", set_at("/coaching/hours_budget", -10), "/coaching/hours_budget"),
    # Without a budget of its own, the coaching has the program's cap of 40.
    (
        "coaching.over_budget",
        all_of(
            set_at("/program", "test-narrow"),
            lambda d: d["coaching"].pop("hours_budget"),
            lambda d: d.update(
                consultations=[], local_authorities=[{"name": "Köln", "kind": "district_free_city", "state": "DE-NW"}]
            ),
        ),
        "/coaching/sessions",
    ),
    ("coaching.over_budget", set_at("/coaching/sessions/2/hours", 33.5), "/coaching/sessions"),
    ("coaching.session_hours", set_at("/coaching/sessions/1/hours", 0), "/coaching/sessions/1/hours"),
    ("coaching.session_hours", set_at("/coaching/sessions/1/hours", -1.5), "/coaching/sessions/1/hours"),
    (
        "coaching.session_outside_runtime",
        set_at("/coaching/sessions/2/date", "2019-01-10"),
        "/coaching/sessions/2/date",
    ),
    ("agreement.outside_runtime", set_at("/agreement/signed_on", "2015-05-27"), "/agreement/signed_on"),
    (
        "agreement.too_few_signatories",
        set_at("/agreement/signatories", [{"name": "Michael Harig"}]),
        "/agreement/signatories",
    ),
    # Bautzen lies in Sachsen: Magdeburg is responsible, not Köln.
    ("consultation.wrong_office", set_at("/consultations/0/office", "koeln"), "/consultations/0/office"),
    ("consultation.unknown_office", set_at("/consultations/0/office", "bonn"), "/consultations/0/office"),
    ("dates.order", set_at("/offerings/1/end", "2017-09-30"), "/offerings/1/end"),
    ("dates.order", set_at("/coaching/sessions/0/date", "2017-01-14"), "/coaching/sessions/0/date"),
]

# Mutations at a rule's boundary, where it must stay quiet.
QUIET: list[tuple[str, Mutation]] = [
    ("alliance.too_few_partners", lambda d: d.update(partners=d["partners"][:3], lead=None)),
    ("alliance.unknown_lead", set_at("/lead", None)),
    ("alliance.duplicate_partner", _append_copy("partners", 0, id="landrat-2", organisation="Stadt Bautzen")),
    ("local_authority.ags_format", set_at("/local_authorities/1/ags", None)),
    # Leverkusen, a kreisfreie Stadt in NRW (seed 004).
    (
        "local_authority.ags_free_city",
        set_at(
            "/local_authorities/1",
            {"name": "Leverkusen", "kind": "district_free_city", "state": "DE-NW", "ags": "05316000"},
        ),
    ),
    ("offering.participants", set_at("/offerings/0/participants", 8)),
    ("offering.participants", set_at("/offerings/0/participants", 20)),
    # Only analysis workshops have a usual size.
    ("offering.participants", set_at("/offerings/1/participants", 200)),
    ("offering.outside_runtime", set_at("/offerings/0/date", "2015-05-28")),
    ("offering.outside_runtime", set_at("/offerings/0/date", "2018-12-31")),
    ("coaching.budget_over_cap", set_at("/coaching/hours_budget", 100)),
    # 33.3 + 33.3 + 33.4 is exactly the budget of 100.
    ("coaching.over_budget", set_at("/coaching/hours_budget", 100)),
    ("coaching.session_hours", set_at("/coaching/sessions/1/hours", 0.1)),
    ("agreement.too_few_signatories", lambda d: d["agreement"]["signatories"].pop()),
    # Hamburg's states are not known: no office is wrong for Niedersachsen.
    (
        "consultation.wrong_office",
        all_of(
            set_at("/local_authorities", [{"name": "Landkreis Helmstedt", "kind": "district", "state": "DE-NI"}]),
            set_at("/consultations/0/office", "hamburg"),
        ),
    ),
    ("dates.order", set_at("/offerings/1/end", "2017-10-01")),
    ("dates.order", set_at("/coaching/sessions/0/date", "2017-01-15")),
]


def test_the_rich_example_is_valid(rich: dict[str, Any]) -> None:
    """The base of the tables below has no problem at all."""
    assert willkommen.check(rich) == []


@pytest.mark.parametrize(("code", "mutate", "path"), FIRES, ids=[f"{c}:{p}" for c, _, p in FIRES])
def test_rule_fires(rich: dict[str, Any], code: str, mutate: Mutation, path: str) -> None:
    """The planted violation is reported with its code, at its path."""
    mutate(rich)
    found = {(p.code, p.path) for p in willkommen.check(rich)}
    assert (code, path) in found


@pytest.mark.parametrize(("code", "mutate"), QUIET, ids=[c for c, _ in QUIET])
def test_rule_stays_quiet(rich: dict[str, Any], code: str, mutate: Mutation) -> None:
    """At the rule's boundary the data is fine: no problem at all."""
    mutate(rich)
    assert willkommen.check(rich) == []


def test_every_rule_has_a_case_where_it_fires() -> None:
    """The table above covers the whole built-in catalogue."""
    built_in = {
        r.code
        for r in willkommen.rules.catalogue()
        if r.check is not None and r.check.__module__ == "willkommen._rules"
    }
    assert built_in == {code for code, _, _ in FIRES}


def test_severities_follow_the_rule_table(rich: dict[str, Any]) -> None:
    """The warnings of the rule table are warnings; they do not make data invalid."""
    set_at("/offerings/0/participants", 30)(rich)
    set_at("/consultations/0/office", "koeln")(rich)
    problems = willkommen.check(rich)
    assert {("offering.participants", Severity.WARNING), ("consultation.wrong_office", Severity.WARNING)} == {
        (p.code, p.severity) for p in problems
    }
    assert isinstance(willkommen.load(rich), willkommen.Alliance)


def test_problems_in_independent_parts_are_all_reported(rich: dict[str, Any]) -> None:
    """A partner that fails to read hides neither the coaching nor the agreement."""
    set_at("/partners/2/kind", "amt")(rich)
    set_at("/coaching/sessions/2/hours", 50)(rich)
    set_at("/agreement/signed_on", "2019-02-01")(rich)
    found = {(p.code, p.path) for p in willkommen.check(rich)}
    assert {
        ("invalid_value", "/partners/2/kind"),
        ("coaching.over_budget", "/coaching/sessions"),
        ("agreement.outside_runtime", "/agreement/signed_on"),
    } == found


def test_rules_needing_an_unreadable_part_are_skipped(rich: dict[str, Any]) -> None:
    """With the partners unreadable, the lead cannot be judged: only the reading problem shows."""
    set_at("/partners/0/kind", 3)(rich)
    set_at("/lead", "nobody")(rich)
    assert [(p.code, p.path) for p in willkommen.check(rich)] == [("type", "/partners/0/kind")]


def test_an_unknown_program_is_an_invalid_value(rich: dict[str, Any]) -> None:
    """Rules need the program; without it only the unknown id is reported, at /program."""
    set_at("/program", "no-such-program")(rich)
    set_at("/partners", rich["partners"][:1])(rich)
    found = [(p.code, p.path) for p in willkommen.check(rich)]
    assert ("invalid_value", "/program") in found
    assert all(not code.startswith("alliance.too_few") for code, _ in found)


def test_rules_check_model_objects_too(rich: dict[str, Any]) -> None:
    """check() on an object built in code runs the same rules."""
    alliance = willkommen.load(rich)
    changed = willkommen.load({**rich, "lead": None})
    assert willkommen.check(changed) == []
    broken = attrs.evolve(alliance, lead="nobody")
    assert [(p.code, p.path) for p in willkommen.check(broken)] == [("alliance.unknown_lead", "/lead")]


def test_messages_quote_the_value_in_both_languages(rich: dict[str, Any]) -> None:
    """A rule's messages name the offending value, in English and in German."""
    set_at("/lead", "nobody")(rich)
    (problem,) = willkommen.check(rich)
    assert "'nobody'" in problem.message
    assert "'nobody'" in problem.message_de
    assert problem.message != problem.message_de


def test_an_unlisted_office_is_a_warning_where_the_program_s_list_is_incomplete(rich: dict[str, Any]) -> None:
    """WbF had six offices and its data lists four: an unlisted one may be real, so only a warning."""
    assert not willkommen.programs.WILLKOMMEN_BEI_FREUNDEN.offices_complete
    set_at("/consultations/0/office", "dresden")(rich)
    problems = willkommen.check(rich)
    assert [(p.code, p.path, p.severity) for p in problems] == [
        ("consultation.unknown_office", "/consultations/0/office", Severity.WARNING)
    ]
    assert isinstance(willkommen.load(rich), willkommen.Alliance)


def test_an_unlisted_office_is_an_error_where_the_program_s_list_is_complete(rich: dict[str, Any]) -> None:
    """A program whose data lists every office: a consultation with another office is an error."""
    assert NARROW.offices_complete
    set_at("/program", NARROW.id)(rich)
    set_at("/consultations/0/office", "bonn")(rich)
    found = [(p.code, p.severity) for p in willkommen.check(rich) if p.code == "consultation.unknown_office"]
    assert found == [("consultation.unknown_office", Severity.ERROR)]


def test_the_workshop_size_is_the_program_s(rich: dict[str, Any]) -> None:
    """A program without a usual workshop size (NRW) never warns; one with its own size warns by it."""
    import willkommen.nrw

    leverkusen = willkommen.nrw.example_document()
    # The Leverkusen Starter-Workshop with 40 people: the NRW initiative names no usual size.
    leverkusen["offerings"][0]["participants"] = 40
    assert willkommen.nrw.GEMEINSAM_KLAPPTS.workshop_size is None
    assert willkommen.check(leverkusen) == []
    small = willkommen.programs.register_program(attrs.evolve(NARROW, id="test-small-workshops", workshop_size=(2, 5)))
    set_at("/program", small.id)(rich)
    set_at("/offerings/0/participants", 6)(rich)
    (problem,) = [p for p in willkommen.check(rich) if p.code == "offering.participants"]
    assert "typically has 2 to 5" in problem.message


@pytest.mark.parametrize("size", [(5, 2), (1,), (1, 2, 3), (-1, 4)])
def test_a_workshop_size_is_a_pair_in_order(size: tuple[int, ...]) -> None:
    """A program's workshop size is (fewest, most), neither negative, fewest not above most."""
    with pytest.raises(ValueError, match="workshop_size"):
        attrs.evolve(NARROW, workshop_size=size)


@pytest.mark.parametrize(
    ("budget", "english", "german"),
    [
        (
            150,
            "hours budget 150 exceeds the cap of 100 hours",
            "Stundenbudget 150 übersteigt die Obergrenze von 100 Stunden",
        ),
        (0, "hours budget 0 is not positive", "Stundenbudget 0 ist nicht positiv"),
        (-10, "hours budget -10 is not positive", "Stundenbudget -10 ist nicht positiv"),
    ],
)
def test_the_budget_message_states_the_rule_it_breaks(
    rich: dict[str, Any], budget: int, english: str, german: str
) -> None:
    """Over the cap and not positive are two faults, and the message names the one at hand."""
    set_at("/coaching/hours_budget", budget)(rich)
    (problem,) = [p for p in willkommen.check(rich) if p.code == "coaching.budget_over_cap"]
    assert english == problem.message
    assert german == problem.message_de
