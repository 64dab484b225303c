"""The catalogue of codes is data: complete, bilingual, one entry per code."""

import re

import attrs
import pytest

import willkommen
import willkommen.nrw
from willkommen import Severity, reads
from willkommen._triggers import NRW_TRIGGERS, TRIGGERS, Trigger

# The rule table of domain.md, code and severity, one row a rule.
DOMAIN_RULES = {
    "alliance.too_few_partners": "error",
    "alliance.no_local_authority": "error",
    "alliance.no_goals": "error",
    "alliance.unknown_lead": "error",
    "alliance.duplicate_id": "error",
    "alliance.duplicate_partner": "error",
    "alliance.state_not_in_program": "error",
    "measure.unknown_goal": "error",
    "measure.no_goal": "error",
    "local_authority.ags_format": "error",
    "local_authority.ags_state_mismatch": "error",
    "local_authority.ags_free_city": "error",
    "offering.not_in_program": "error",
    "offering.outside_runtime": "error",
    "offering.participants": "warning",
    "coaching.budget_over_cap": "error",
    "coaching.over_budget": "error",
    "coaching.session_hours": "error",
    "coaching.session_outside_runtime": "error",
    "agreement.outside_runtime": "error",
    "agreement.too_few_signatories": "error",
    "consultation.wrong_office": "warning",
    "consultation.unknown_office": "error",
    "dates.order": "error",
}
STRUCTURAL = {
    "type",
    "missing",
    "unknown_key",
    "invalid_value",
    "invalid_date",
    "duplicate_key",
    "invalid_json",
    "unreadable_file",
    "file_too_large",
    "too_many_problems",
    "cycle",
    "collection.duplicate_id",
}


def test_the_catalogue_holds_every_code_of_the_domain() -> None:
    """Every rule of domain.md is there with its severity, and every structural code."""
    catalogue = {rule.code: rule.severity.value for rule in willkommen.rules.catalogue()}
    assert DOMAIN_RULES.items() <= catalogue.items()
    assert catalogue.keys() >= STRUCTURAL


@pytest.mark.parametrize("code", ["type", "alliance.too_few_partners", "nrw.age_range"])
def test_get_rule_finds_an_entry_by_its_code(code: str) -> None:
    """A structural code, a built-in rule and an extension's rule are each found by their code."""
    assert willkommen.rules.get_rule(code).code == code


def test_get_rule_names_what_is_missing() -> None:
    """An unknown code is a RuleError; a code format version 2 renamed says its new name."""
    with pytest.raises(willkommen.RuleError, match="catalogue"):
        willkommen.rules.get_rule("alliance.too_few_partner")
    with pytest.raises(willkommen.RuleError, match=r"renamed it to 'local_authority\.ags_format'"):
        willkommen.rules.get_rule("municipality.ags_format")


def test_codes_are_unique_and_stable_in_form() -> None:
    """One entry per code; rule codes are namespace.name in lower case."""
    codes = [rule.code for rule in willkommen.rules.catalogue()]
    assert len(codes) == len(set(codes))
    for rule in willkommen.rules.catalogue():
        if rule.check is not None:
            assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", rule.code), rule.code


@pytest.mark.parametrize("rule", willkommen.rules.catalogue(), ids=lambda r: r.code)
def test_every_entry_is_described_in_english_and_german(rule: willkommen.rules.Rule) -> None:
    """Descriptions and message templates in both languages, and a source."""
    assert rule.description
    assert rule.description_de
    assert rule.description != rule.description_de
    assert rule.message
    assert rule.message_de
    assert rule.source
    # Both templates name the same values, German ones may use their own *_de variants.
    english = set(re.findall(r"{(\w+)}", rule.message))
    german = {name.removesuffix("_de") for name in re.findall(r"{(\w+)}", rule.message_de)}
    assert german == {name.removesuffix("_de") for name in english}


def test_a_problem_carries_its_entry_s_severity_and_messages() -> None:
    """Rule.problem fills both templates; is_error follows the severity."""
    (entry,) = [r for r in willkommen.rules.catalogue() if r.code == "offering.participants"]
    problem = entry.problem("/offerings/0/participants", value=7, value_de="7", fewest=8, most=20)
    assert problem.severity == Severity.WARNING
    assert not problem.is_error
    assert problem.message == "7 participants; an analysis workshop of the program typically has 8 to 20"
    assert problem.message_de == "7 Teilnehmende; ein Analyseworkshop des Programms hat üblicherweise 8 bis 20"
    assert problem.message_de == problem.message_in("de")
    assert problem.message == problem.message_in("en")


def test_a_code_cannot_be_taken_by_another_rule() -> None:
    """Codes are stable identifiers: the same rule again is accepted, another rule under its code is refused."""
    (entry,) = [r for r in willkommen.rules.catalogue() if r.code == "alliance.no_goals"]
    assert willkommen.rules.register_rule(entry) is entry  # a module run again registers the same rule again
    impostor = attrs.evolve(entry, check=lambda *_: ())
    with pytest.raises(
        willkommen.WillkommenError, match=r"belongs to willkommen\._rules\.alliance_has_goals"
    ) as caught:
        willkommen.rules.register_rule(impostor)
    assert "<lambda>" in str(caught.value)  # both are named
    (structural,) = [r for r in willkommen.rules.catalogue() if r.code == "type"]
    with pytest.raises(willkommen.WillkommenError, match="needs applies_to and check"):
        willkommen.rules.register_rule(structural)
    with pytest.raises(willkommen.WillkommenError, match="the reader's"):
        willkommen.rules.register_rule(attrs.evolve(impostor, code="type"))


ALL_TRIGGERS = (*TRIGGERS, *NRW_TRIGGERS)


def test_every_code_has_a_trigger() -> None:
    """The documentation shows, for every code the library ships, data that triggers it."""
    shipped = {
        rule.code
        for rule in willkommen.rules.catalogue()
        if rule.check is None or rule.check.__module__ == "willkommen._rules" or rule.code.startswith("nrw.")
    }
    # unreadable_file, file_too_large and the sheet.* codes concern a file, not data: no change of a
    # document causes them (tests/test_spreadsheets.py plants each sheet.* code in a workbook).
    # too_many_problems takes a thousand failing items, too long to show (tests/test_hostile.py has it).
    # collection.duplicate_id concerns two records, not one document.
    # cycle concerns an object built in code: no document holds one (tests/test_graphs.py makes them).
    files = {"unreadable_file", "file_too_large", *(code for code in shipped if code.startswith("sheet."))}
    untriggered = {*files, "too_many_problems", "collection.duplicate_id", "cycle"}
    assert shipped - untriggered == {t.code for t in ALL_TRIGGERS}


@pytest.mark.parametrize("trigger", ALL_TRIGGERS, ids=lambda t: t.code)
def test_each_trigger_gives_its_code_at_its_path(trigger: Trigger) -> None:
    """What the documentation says a change causes is what check reports."""
    problems = reads(trigger.text).problems if trigger.text is not None else willkommen.check(trigger.document())
    assert (trigger.code, trigger.path) in {(p.code, p.path) for p in problems}
    assert trigger.code in trigger.describe()


def _shipped() -> list[willkommen.rules.Rule]:
    """The entries willkommen ships: not those a test module registers at import, whenever it is collected."""
    return [
        rule
        for rule in willkommen.rules.catalogue()
        if rule.check is None or rule.check.__module__.partition(".")[0] == "willkommen"
    ]


@pytest.mark.parametrize("rule", _shipped(), ids=lambda r: r.code)
def test_every_shipped_entry_says_how_to_fix_it(rule: willkommen.rules.Rule) -> None:
    """Reports for the people who fix the data show how, in English and German."""
    assert rule.fix
    assert rule.fix_de
    assert rule.fix != rule.fix_de
