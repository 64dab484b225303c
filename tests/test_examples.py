"""The alliances shipped in examples/: what the sources say is what the data holds."""

from typing import Any

import pytest

import willkommen
import willkommen.nrw
from willkommen import LocalAuthorityKind, PartnerKind, State, reads
from willkommen._example import example_document

from .conftest import EXAMPLES, example


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_shipped_example_is_valid(path: Any) -> None:
    """The README's first command validates these: not one problem, not even a warning."""
    assert reads(path.read_bytes()).problems == ()


def test_bautzen(bautzen: dict[str, Any]) -> None:
    """Seeds 000 and 001: Landkreis and Stadt Bautzen, their partners, goals and agreement."""
    alliance = willkommen.load(bautzen)
    # Carried by the Landkreis and the Stadt together.
    assert [(m.ags, m.kind) for m in alliance.local_authorities] == [
        ("14625", LocalAuthorityKind.DISTRICT),
        ("14625020", LocalAuthorityKind.TOWN),
    ]
    assert {State.SN} == {m.state for m in alliance.local_authorities}
    kinds = [p.kind for p in alliance.partners]
    # Landratsamt: Ausländeramt, Jugendamt, Jobcenter; Agentur für Arbeit;
    # Sächsische Bildungsagentur; Verein House of Resources; Landrat and OB.
    for kind in (
        PartnerKind.IMMIGRATION_OFFICE,
        PartnerKind.YOUTH_OFFICE,
        PartnerKind.JOB_CENTER,
        PartnerKind.EMPLOYMENT_AGENCY,
        PartnerKind.EDUCATION_AUTHORITY,
        PartnerKind.ASSOCIATION,
    ):
        assert kind in kinds
    assert len(alliance.goals) == 3  # a) b) c) of the agreement
    assert [m.status for m in alliance.measures] == ["under_review", "agreed", "agreed"]
    assert alliance.agreement is not None
    assert alliance.agreement.signed_on.isoformat() == "2017-09-26"
    assert [s.name for s in alliance.agreement.signatories] == ["Michael Harig", "Alexander Ahrens", "Timon Perabo"]
    assert alliance.coaching is not None
    assert alliance.coaching.hours_budget == 100  # "bis zu 100 Stunden"
    assert len(alliance.coaching.tasks) == 4  # the four tasks of seed 001


def test_helmstedt(helmstedt: dict[str, Any]) -> None:
    """Seed 002: "Lernen und Arbeiten in Vielfalt" under the lead of the Stabsstelle Integration."""
    alliance = willkommen.load(helmstedt)
    assert alliance.name == "Lernen und Arbeiten in Vielfalt"
    (district,) = alliance.local_authorities
    assert (district.ags, district.state) == ("03154", State.NI)
    lead = next(p for p in alliance.partners if p.id == alliance.lead)
    assert lead.kind == PartnerKind.INTEGRATION_OFFICE
    assert len(alliance.goals) == 3
    assert alliance.goals[0].themes == (willkommen.Theme.INTEGRATION_STRATEGY,)


def test_the_packaged_examples_agree_with_the_files(bautzen: dict[str, Any]) -> None:
    """The example in the package is Bautzen as shipped, plus the parts the sources do not give."""
    complete = example_document()
    made_up = {"founded_on", "lead", "offerings", "consultations"}
    # The horizons of a goal and a measure are made up too: the sources do not say which is which.
    for part in ("goals", "measures"):
        for entry in complete[part]:
            entry.pop("horizon", None)
    assert {k: v for k, v in complete.items() if k not in made_up | {"coaching"}} == {
        k: v for k, v in bautzen.items() if k not in {"coaching", "offerings"}
    }
    # The trainings Bautzen agreed, without a date, are in both.
    (planned,) = bautzen["offerings"]
    assert planned["status"] == "planned"
    assert any(o["type"] == "training" and o["status"] == "planned" for o in complete["offerings"])
    assert willkommen.check(complete) == []
    assert example("leverkusen") == willkommen.nrw.example_document()
