"""Extension by subclassing: user fields, tags and rules work everywhere, nothing is dropped."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
import willkommen.testing
from tests.helpers import set_at
from willkommen import Alliance, Partner, PartnerKind, Severity
from willkommen.nrw import NrwAlliance
from willkommen.rules import Context, Finding
from willkommen.testing import alliances, texts

from .conftest import example

# --- a user's extension, written in the test as a user would write it -------------------------


@willkommen.tagged("test-registered-partner")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class RegisteredPartner(Partner):
    """A partner entered in the register of associations."""

    register_no: str
    charitable: bool = False


@willkommen.tagged("test-county-alliance")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class CountyAlliance(Alliance):
    """An alliance with the county's own budget line."""

    budget_line: str
    volunteers: int | None = None


@willkommen.rules.rule(
    CountyAlliance,
    "shire.budget_line",
    Severity.ERROR,
    reads=("budget_line",),
    description="The budget line is not of the form HH-NNNN.",
    description_de="Die Haushaltsstelle hat nicht die Form HH-NNNN.",
    message="budget line {value} is not of the form HH-NNNN",
    message_de="Haushaltsstelle {value} hat nicht die Form HH-NNNN",
    source="the county's budget rules",
)
def budget_line_is_well_formed(alliance: CountyAlliance, context: Context) -> Iterator[Finding]:
    """Check the form of the county's budget line."""
    line = alliance.budget_line
    if not (len(line) == 7 and line[2] == "-" and (line[:2] + line[3:]).isdigit()):
        yield willkommen.rules.finding("budget_line", value=repr(line))


@willkommen.rules.rule(
    RegisteredPartner,
    "shire.register_no",
    Severity.WARNING,
    reads=(),
    description="A registered partner without a register number.",
    description_de="Ein eingetragener Partner ohne Registernummer.",
    message="partner {value} has no register number",
    message_de="Partner {value} hat keine Registernummer",
    source="the county's rules",
)
def registered_partner_has_number(partner: RegisteredPartner, context: Context) -> Iterator[Finding]:
    """Check that a registered partner has a number."""
    if not partner.register_no.strip():
        yield willkommen.rules.finding("register_no", value=repr(partner.id))


# The county wants at least five partners: the inherited rule, tightened.
willkommen.rules.tighten(
    "alliance.too_few_partners",
    CountyAlliance,
    new_code="shire.too_few_partners",
    program=lambda program: attrs.evolve(program, min_partners=max(program.min_partners, 5)),
    description="The county's alliances have at least five partners.",
    description_de="Die Bündnisse des Landkreises haben mindestens fünf Partner.",
    source="the county's rules",
)


@pytest.fixture
def county(helmstedt: dict[str, Any]) -> dict[str, Any]:
    """Helmstedt as a county alliance with one registered partner."""
    helmstedt["$type"] = "test-county-alliance"
    helmstedt["budget_line"] = "41-0815"
    helmstedt["partners"][2] = {**helmstedt["partners"][2], "$type": "test-registered-partner", "register_no": "VR 1"}
    return helmstedt


def _found(data: object) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in willkommen.check(data)}


def test_a_tagged_document_loads_as_the_subclass(county: dict[str, Any]) -> None:
    """The $type of the document and of a nested partner pick the declared subclasses."""
    alliance = willkommen.load(county)
    assert isinstance(alliance, CountyAlliance)
    assert alliance.budget_line == "41-0815"
    assert isinstance(alliance.partners[2], RegisteredPartner)
    assert alliance.partners[2].register_no == "VR 1"
    assert type(alliance.partners[0]) is Partner


def test_subclass_fields_survive_the_round_trip(county: dict[str, Any]) -> None:
    """Dump writes the tags and the extra fields; nothing is dropped at the top or nested."""
    alliance = willkommen.load(county)
    document = willkommen.dump(alliance)
    assert document["$type"] == "test-county-alliance"
    assert {"$type": "test-registered-partner", "register_no": "VR 1", "charitable": False}.items() <= document[
        "partners"
    ][2].items()
    assert alliance == willkommen.load(document)
    assert alliance == willkommen.loads(willkommen.dumps(alliance))


def test_loading_the_subclass_directly_needs_no_tag(county: dict[str, Any]) -> None:
    """load(data, CountyAlliance) reads an untagged document as that class."""
    del county["$type"]
    assert isinstance(willkommen.load(county, CountyAlliance), CountyAlliance)
    # Without the tag and without the class, the extra field is an unknown key: never dropped.
    assert ("unknown_key", "/budget_line") in _found(county)


def test_an_unknown_tag_is_a_problem_with_a_path(county: dict[str, Any]) -> None:
    """Tags are declared names: anything else is invalid_value at the $type."""
    county["partners"][0]["$type"] = "willkommen._model.Partner"
    assert ("invalid_value", "/partners/0/$type") in _found(county)
    county["$type"] = "CountyAlliance"
    assert {("invalid_value", "/$type")} == _found(county)
    county["$type"] = ["test-county-alliance"]
    assert {("invalid_value", "/$type")} == _found(county)


def test_a_tag_of_an_unrelated_class_is_refused_in_its_place(county: dict[str, Any]) -> None:
    """A partner's tag where a local authority is expected names no class allowed there."""
    county["local_authorities"][0]["$type"] = "test-registered-partner"
    assert ("invalid_value", "/local_authorities/0/$type") in _found(county)


def test_subclass_rules_run_with_the_inherited_ones(county: dict[str, Any]) -> None:
    """The user's rules report under their own codes beside the built-in ones."""
    county["budget_line"] = "41/0815"
    county["partners"][2]["register_no"] = " "
    county["lead"] = "nobody"
    assert {
        ("shire.budget_line", "/budget_line"),
        ("shire.register_no", "/partners/2/register_no"),
        ("alliance.unknown_lead", "/lead"),
    } == _found(county)


def test_a_tightened_rule_replaces_the_inherited_one(county: dict[str, Any]) -> None:
    """Four partners pass WbF's rule but not the county's; only the county's code is reported."""
    county["partners"] = county["partners"][:4]
    assert {("shire.too_few_partners", "/partners")} == _found(county)
    del county["$type"]
    del county["budget_line"]
    county["partners"][2] = {k: v for k, v in county["partners"][2].items() if k not in {"$type", "register_no"}}
    assert set() == _found(county)


def test_a_rule_that_reads_everything_waits_for_a_whole_document(county: dict[str, Any]) -> None:
    """A rule with reads=None is skipped while any part fails to read."""
    calls: list[str] = []

    @willkommen.tagged("test-watched-alliance")
    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class WatchedAlliance(Alliance):
        """An alliance whose rule records that it ran."""

    @willkommen.rules.rule(
        WatchedAlliance,
        "watched.ran",
        Severity.WARNING,
        description="Records that it ran.",
        description_de="Hält fest, dass sie lief.",
        message="ran",
        message_de="lief",
        source="this test",
    )
    def watched(alliance: WatchedAlliance, context: Context) -> Iterator[Finding]:
        calls.append(alliance.id)
        return iter(())

    document = example("helmstedt")
    document["$type"] = "test-watched-alliance"
    assert set() == _found(document)
    document["goals"][0]["themes"] = "employment"
    assert {("type", "/goals/0/themes")} == _found(document)
    assert calls == ["helmstedt"]


def test_an_untagged_subclass_refuses_to_be_written_where_its_base_stands() -> None:
    """It would come back as its base: dump says so instead of losing the class."""

    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class LocalPartner(Partner):
        """A subclass without a tag."""

    alliance = willkommen.load(example("helmstedt"))
    changed = attrs.evolve(alliance, partners=(LocalPartner(id="x", name="x", kind=PartnerKind.OTHER),))
    with pytest.raises(willkommen.WillkommenError, match="declares no tag"):
        willkommen.dump(changed)
    # At the top, the caller names the class when reading: no tag is needed.
    assert "$type" not in willkommen.dump(LocalPartner(id="x", name="x", kind=PartnerKind.OTHER))


def test_tags_are_checked_when_declared() -> None:
    """A tag is a non-empty name, owned by one class; a class has one tag."""
    with pytest.raises(willkommen.TagError, match="belongs to"):
        willkommen.tagged("test-registered-partner")(CountyAlliance)
    with pytest.raises(willkommen.TagError, match="has the tag"):
        willkommen.tagged("test-other-name")(CountyAlliance)
    with pytest.raises(willkommen.TagError, match="non-empty name"):
        willkommen.tagged(" padded ")(CountyAlliance)
    with pytest.raises(willkommen.ModelError, match="not an attrs class"):
        willkommen.tagged("test-plain")(dict)
    willkommen.tagged("test-county-alliance")(CountyAlliance)  # the same again is fine


def test_tightening_an_unknown_rule_is_refused() -> None:
    """Tighten names the rule it builds on; a typo is an error, not a silent no-op."""
    with pytest.raises(willkommen.WillkommenError, match=r"no rule 'alliance\.too_few_partner'"):
        willkommen.rules.tighten(
            "alliance.too_few_partner",
            CountyAlliance,
            new_code="shire.x",
            program=lambda p: p,
            description="x",
            description_de="x",
            source="x",
        )


@st.composite
def _county_alliances(draw: st.DrawFn) -> CountyAlliance:
    base = draw(alliances())
    # The county asks for five partners (tightened above).
    partners = [
        RegisteredPartner(
            **{f.name: getattr(p, f.name) for f in attrs.fields(Partner)},
            register_no=draw(texts()),
            charitable=draw(st.booleans()),
        )
        if draw(st.booleans())
        else p
        for p in draw(willkommen.testing.partners(min_size=5))
    ]
    return CountyAlliance(
        **{f.name: getattr(base, f.name) for f in attrs.fields(Alliance) if f.name not in {"partners", "lead"}},
        partners=tuple(partners),
        lead=None,
        budget_line=draw(st.from_regex(r"[0-9]{2}-[0-9]{4}", fullmatch=True)),
        volunteers=draw(st.none() | st.integers(0, 10**6)),
    )


@given(_county_alliances())
def test_mixed_subclasses_round_trip(alliance: CountyAlliance) -> None:
    """A list that mixes partners and registered partners keeps every class and field."""
    document = willkommen.dump(alliance)
    assert alliance == willkommen.load(document)
    assert alliance == willkommen.loads(willkommen.dumps(alliance))
    assert [type(p) for p in alliance.partners] == [type(p) for p in willkommen.load(document).partners]


# --- programs as data ---------------------------------------------------------------------------


def test_a_user_program_checks_its_alliances(helmstedt: dict[str, Any]) -> None:
    """A registered program's limits apply to alliances that name it, with no change of code."""
    willkommen.programs.register_program(
        willkommen.programs.Program(
            id="test-lower-saxony",
            name="A Lower Saxony program",
            carriers=("Land Niedersachsen",),
            start=dt.date(2019, 1, 1),
            end=dt.date(2019, 12, 31),
            states=frozenset({willkommen.State.NI}),
            min_partners=7,
            offering_types=frozenset({willkommen.OfferingType.TRAINING}),
            service_offices=(willkommen.programs.ServiceOffice(id="hannover", city="Hannover"),),
        )
    )
    helmstedt["program"] = "test-lower-saxony"
    helmstedt["offerings"] = [{"type": "dialogue", "date": "2018-06-01"}]
    assert {
        ("alliance.too_few_partners", "/partners"),
        ("offering.not_in_program", "/offerings/0/type"),
        ("offering.outside_runtime", "/offerings/0/date"),
    } == _found(helmstedt)


# --- the NRW initiative, shipped as the worked extension ---------------------------------------


@pytest.fixture
def leverkusen() -> dict[str, Any]:
    """Leverkusen (seed 004) as shipped."""
    return example("leverkusen")


def test_leverkusen_is_valid(leverkusen: dict[str, Any]) -> None:
    """Seed 004: the KI coordinates; eleven partners; 1,048 young refugees aged 18 to 27."""
    assert set() == _found(leverkusen)
    alliance = willkommen.load(leverkusen)
    assert isinstance(alliance, NrwAlliance)
    assert willkommen.nrw.GEMEINSAM_KLAPPTS.id == alliance.program
    assert alliance.coordinating_office == "ki"
    assert len(alliance.partners) == 11
    assert (
        alliance.target_group.age_min,
        alliance.target_group.age_max_exclusive,
        alliance.target_group.count,
    ) == (18, 27, 1048)
    assert [s.label_de for s in alliance.target_group.focus_statuses] == ["Aufenthaltsgestattung", "Duldung"]


# Each NRW rule on a planted violation: code, mutation, path.
NRW_FIRES = [
    ("nrw.outside_nrw", set_at("/local_authorities/0/state", "DE-NI"), "/local_authorities/0/state"),
    ("nrw.unknown_coordinating_office", set_at("/coordinating_office", "bezirksregierung"), "/coordinating_office"),
    ("nrw.coordinating_office_kind", set_at("/coordinating_office", "caritas"), "/coordinating_office"),
    ("nrw.age_range", set_at("/target_group/age_min", 17), "/target_group/age_min"),
    ("nrw.age_range", set_at("/target_group/age_min", 27), "/target_group/age_min"),
    ("nrw.age_range", set_at("/target_group/age_max_exclusive", 28), "/target_group/age_max_exclusive"),
    ("nrw.age_range", set_at("/target_group/age_max_exclusive", 18), "/target_group/age_max_exclusive"),
]


@pytest.mark.parametrize(("code", "mutate", "path"), NRW_FIRES, ids=[f"{c}:{p}" for c, _, p in NRW_FIRES])
def test_each_nrw_rule_fires(leverkusen: dict[str, Any], code: str, mutate: Any, path: str) -> None:
    """The planted violation is reported under the initiative's code, at its path."""
    mutate(leverkusen)
    assert (code, path) in _found(leverkusen)


def test_the_nrw_state_rule_holds_under_any_program(leverkusen: dict[str, Any]) -> None:
    """Even an NRW alliance that names the nationwide WbF must lie in NRW, reported once."""
    leverkusen["program"] = "willkommen-bei-freunden"
    leverkusen["offerings"] = []
    leverkusen["local_authorities"][0] = {"name": "Landkreis Helmstedt", "kind": "district", "state": "DE-NI"}
    assert {("nrw.outside_nrw", "/local_authorities/0/state")} == _found(leverkusen)


def test_an_nrw_alliance_outside_the_initiative_s_states_is_reported_once(leverkusen: dict[str, Any]) -> None:
    """The tightened rule replaces alliance.state_not_in_program: no double report."""
    leverkusen["local_authorities"][0] = {"name": "Landkreis Helmstedt", "kind": "district", "state": "DE-NI"}
    codes = [p.code for p in willkommen.check(leverkusen)]
    assert codes == ["nrw.outside_nrw"]
