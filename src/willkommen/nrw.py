"""The NRW initiative "Gemeinsam klappt's", written the way a user writes an extension.

Import this module to register the program, the ``nrw-alliance`` tag and its
rules::

    import willkommen
    import willkommen.nrw

    alliance = willkommen.loads(text)   # "$type": "nrw-alliance" gives an NrwAlliance

Sources (``docs/sources.md``): ``leverkusen-news``, ``nrw-launch``,
``steinfurt-ki`` and ``sgb8``. The initiative of the NRW ministry for
children, family, refugees and integration (MKFFI) was initiated in September
2018 and launched on 11 September 2018; each Kommune forms a local alliance
run by a coordinating office (*geschäftsführende Stelle*), in Leverkusen the
Kommunales Integrationszentrum, for refugees "zwischen 18 und 27 Jahren"
(read as 18 up to, not including, 27), especially those with
*Aufenthaltsgestattung* or *Duldung*.
"""

import copy
import datetime as dt
import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from willkommen import Alliance, LabelledEnum, OfferingType, PartnerKind, State, model
from willkommen.migrations import StepResult, moved, register_migration, rename_key
from willkommen.programs import Program, register_program
from willkommen.rules import Context, Finding, Severity, finding, quote, rule, tighten

__all__ = [
    "GEMEINSAM_KLAPPTS",
    "NrwAlliance",
    "ResidenceStatus",
    "TargetGroup",
    "example_document",
]

GEMEINSAM_KLAPPTS = register_program(
    Program(
        id="gemeinsam-klappts",
        # nrw-launch, steinfurt-ki: the Land's name; leverkusen-news calls the initiative
        # "Integrationschancen für junge volljährige Flüchtlinge". The name joins the two.
        name="Gemeinsam klappt's – Integrationschancen für junge volljährige Flüchtlinge",
        carriers=("Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen",),
        # leverkusen-news: initiated in September 2018; nrw-launch: launched 2018-09-11.
        start=dt.date(2018, 9, 11),
        # steinfurt-ki: "bis zum Jahr 2022". A choice: no source gives a day, so the
        # runtime ends with 2022 and no activity placed in 2022 is flagged.
        end=dt.date(2022, 12, 31),
        states=frozenset({State.NW}),
        # A choice: no source says how many partners an NRW alliance needs; WbF's
        # three (wbf-goals) are assumed.
        min_partners=3,
        # leverkusen-news names only the Starter-Workshop, an analysis of the local situation.
        offering_types=frozenset({OfferingType.ANALYSIS_WORKSHOP}),
        coaching_hours_cap=None,
        # A choice: no source names offices of the initiative, nor a usual workshop size.
        service_offices=(),
        offices_complete=True,
        workshop_size=None,
        source="leverkusen-news, nrw-launch, steinfurt-ki",
    )
)


class ResidenceStatus(LabelledEnum):
    """The residence status of young refugees in the target group."""

    PERMISSION_TO_STAY = "permission_to_stay", "Aufenthaltsgestattung"
    TOLERATION = "toleration", "Duldung"
    RESIDENCE_PERMIT = "residence_permit", "Aufenthaltserlaubnis"
    OTHER = "other", "Sonstiges"


@model
class TargetGroup:
    """Whom the alliance serves: an age range, and the residence statuses it focuses on (``leverkusen-news``)."""

    age_min: int
    age_max_exclusive: int
    #: The statuses the alliance turns to especially ("Besonders für ..."): a focus,
    #: not the statuses of the people counted in ``count`` (version 1: ``residence_statuses``).
    focus_statuses: tuple[ResidenceStatus, ...] = ()
    #: How many of the age group live in the Kommune, whatever their status
    #: (Leverkusen: 1,048).
    count: int | None = None


@model(tag="nrw-alliance")
class NrwAlliance(Alliance):
    """A local alliance of "Gemeinsam klappt's"."""

    program: str = GEMEINSAM_KLAPPTS.id
    #: The partner id of the geschäftsführende Stelle.
    coordinating_office: str
    target_group: TargetGroup


# The initiative is for Nordrhein-Westfalen only: the inherited state rule runs
# against NRW whatever program the alliance names, under the initiative's code.
tighten(
    "alliance.state_not_in_program",
    NrwAlliance,
    new_code="nrw.outside_nrw",
    program=lambda program: attrs.evolve(program, states=frozenset({State.NW})),
    description="A local authority of an NRW alliance lies outside Nordrhein-Westfalen.",
    description_de="Eine Kommune eines NRW-Bündnisses liegt außerhalb Nordrhein-Westfalens.",
    source="nrw-launch, leverkusen-news: an initiative of the Land Nordrhein-Westfalen",
)


@rule(
    NrwAlliance,
    "nrw.unknown_coordinating_office",
    Severity.ERROR,
    fix="Set coordinating_office to the id of one of the alliance's partners.",
    fix_de="Setzen Sie coordinating_office auf die ID eines Partners des Bündnisses.",
    reads=("coordinating_office", "partners"),
    description="The coordinating office (geschäftsführende Stelle) is not a partner of the alliance.",
    description_de="Die geschäftsführende Stelle ist kein Bündnispartner des Bündnisses.",
    message="coordinating office {value} is not the id of a partner",
    message_de="geschäftsführende Stelle {value} ist nicht die ID eines Bündnispartners",
    source='leverkusen-news: the KI "koordiniert die Initiative" and "fungiert als geschäftsführende Stelle"',
)
def coordinating_office_is_a_partner(alliance: NrwAlliance, context: Context) -> Iterator[Finding]:
    if alliance.coordinating_office not in {p.id for p in alliance.partners}:
        yield finding("coordinating_office", value=quote(alliance.coordinating_office))


@rule(
    NrwAlliance,
    "nrw.coordinating_office_kind",
    Severity.WARNING,
    fix="Check the partner's kind: normally integration_office (Kommunales Integrationszentrum).",
    fix_de="Prüfen Sie die Art des Partners: üblich ist integration_office (Kommunales Integrationszentrum).",
    reads=("coordinating_office", "partners"),
    description="The coordinating office is not an integration office (normally the Kommunales Integrationszentrum).",
    description_de=(
        "Die geschäftsführende Stelle ist keine Integrationsstelle (üblich: das Kommunale Integrationszentrum)."
    ),
    message="coordinating office {value} is a {kind}, not an integration_office",
    message_de="geschäftsführende Stelle {value} ist der Art {kind_de}, nicht Integrationsstelle",
    source="leverkusen-news, steinfurt-ki: the Kommunales Integrationszentrum runs the alliance",
)
def coordinating_office_is_an_integration_office(alliance: NrwAlliance, context: Context) -> Iterator[Finding]:
    partner = next((p for p in alliance.partners if p.id == alliance.coordinating_office), None)
    if partner is not None and partner.kind is not PartnerKind.INTEGRATION_OFFICE:
        yield finding(
            "coordinating_office",
            value=quote(alliance.coordinating_office),
            kind=partner.kind.value,
            kind_de=partner.kind.label_de,
        )


# leverkusen-news: "Flüchtlingen im Alter zwischen 18 und 27 Jahren". A choice: read as young
# adults in the sense of sgb8, 18 up to, not including, 27.
_AGE_MIN = 18
_AGE_MAX_EXCLUSIVE = 27


@rule(
    NrwAlliance,
    "nrw.age_range",
    Severity.ERROR,
    fix="Give ages within 18 ≤ age < 27, the lower bound below the upper.",
    fix_de="Geben Sie Alter in 18 ≤ Alter < 27 an, die untere Grenze unter der oberen.",
    reads=("target_group",),
    description="The target group's ages do not lie within 18 ≤ age < 27, or the range is empty.",
    description_de="Die Altersspanne der Zielgruppe liegt nicht in 18 ≤ Alter < 27 oder ist leer.",
    message="age {value} is outside the initiative's range 18 ≤ age < 27, or the range is empty",
    message_de="Alter {value} liegt außerhalb der Spanne 18 ≤ Alter < 27 der Initiative oder die Spanne ist leer",
    source='leverkusen-news, sgb8: "zwischen 18 und 27 Jahren", read as 18 ≤ age < 27',
)
def target_group_ages_within_range(alliance: NrwAlliance, context: Context) -> Iterator[Finding]:
    group = alliance.target_group
    if not _AGE_MIN <= group.age_min < _AGE_MAX_EXCLUSIVE:
        yield finding("target_group", "age_min", value=quote(group.age_min))
    if not _AGE_MIN < group.age_max_exclusive <= _AGE_MAX_EXCLUSIVE or group.age_max_exclusive <= group.age_min:
        yield finding("target_group", "age_max_exclusive", value=quote(group.age_max_exclusive))


# leverkusen-news: Leverkusen, the Kommunales Integrationszentrum as coordinating
# office, and its 1,048 refugees aged 18 to 27 (all statuses). Choices: the partners
# are the invitees of the Starter-Workshop and those who held it with the KI; the
# workshop's date is not in the source, spring 2019 is assumed (see the title).
_LEVERKUSEN = """
{
  "schema_version": 2,
  "$type": "nrw-alliance",
  "id": "leverkusen",
  "program": "gemeinsam-klappts",
  "local_authorities": [
    {
      "name": "Leverkusen",
      "kind": "district_free_city",
      "state": "DE-NW",
      "ags": "05316000"
    }
  ],
  "origin": "new",
  "partners": [
    {
      "id": "ki",
      "name": "Kommunales Integrationszentrum Leverkusen",
      "kind": "integration_office",
      "organisation": "Stadt Leverkusen"
    },
    {
      "id": "soziales",
      "name": "Fachbereich Soziales",
      "kind": "social_office",
      "organisation": "Stadt Leverkusen"
    },
    {
      "id": "kinder-jugend",
      "name": "Fachbereich Kinder und Jugend",
      "kind": "youth_office",
      "organisation": "Stadt Leverkusen"
    },
    {
      "id": "buerger",
      "name": "Fachbereich Bürger und Straßenverkehr",
      "kind": "other",
      "organisation": "Stadt Leverkusen"
    },
    {
      "id": "frauenbuero",
      "name": "Frauenbüro",
      "kind": "other",
      "organisation": "Stadt Leverkusen"
    },
    {
      "id": "caritas",
      "name": "Caritasverband Leverkusen",
      "kind": "welfare_provider"
    },
    {
      "id": "fluechtlingsrat",
      "name": "Flüchtlingsrat",
      "kind": "association"
    },
    {
      "id": "job-service",
      "name": "Job Service Leverkusen",
      "kind": "job_center"
    },
    {
      "id": "awo",
      "name": "Arbeiterwohlfahrt",
      "kind": "welfare_provider"
    },
    {
      "id": "kolping",
      "name": "Kolping Bildungswerk",
      "kind": "welfare_provider"
    },
    {
      "id": "jmd",
      "name": "Jugendmigrationsdienst Leverkusen",
      "kind": "youth_migration_service"
    }
  ],
  "lead": "ki",
  "coordinating_office": "ki",
  "target_group": {
    "age_min": 18,
    "age_max_exclusive": 27,
    "focus_statuses": [
      "permission_to_stay",
      "toleration"
    ],
    "count": 1048
  },
  "goals": [
    {
      "id": "qualifizierung",
      "title": "Bildungs- und Qualifizierungsmöglichkeiten schaffen",
      "description": "besonders für junge Menschen mit Aufenthaltsgestattung oder Duldung",
      "themes": [
        "school_to_work",
        "employment"
      ]
    },
    {
      "id": "datenlage",
      "title": "Die Datenlage vor Ort und die Bedarfs- und Angebotsanalyse verbessern",
      "themes": [
        "integration_strategy"
      ]
    }
  ],
  "offerings": [
    {
      "type": "analysis_workshop",
      "status": "held",
      "title": "Starter-Workshop im Rathaus (das Datum nennt die Quelle nicht; Frühjahr 2019 angenommen)",
      "date": "2019-05-17"
    }
  ]
}
"""


@register_migration(1, 2, type="nrw-alliance")
def target_group_1_to_2(document: Mapping[str, Any]) -> StepResult:
    """The target group's ``residence_statuses`` are ``focus_statuses``: a focus, not the counted group.

    Leverkusen's 1,048 are all refugees aged 18 to 27; the statuses name whom
    the alliance turns to especially (``leverkusen-news``: "Besonders für ...").
    """
    group = document.get("target_group")
    if not isinstance(group, dict):
        return StepResult(dict(document))
    renamed, problems = rename_key(group, "residence_statuses", "focus_statuses", at="/target_group")
    return StepResult(
        {**document, "target_group": renamed},
        tuple(problems),
        moved("/target_group/residence_statuses", "/target_group/focus_statuses"),
    )


@functools.cache
def _parsed() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(_LEVERKUSEN)
    return parsed


def example_document() -> dict[str, Any]:
    """A fresh copy of the Leverkusen alliance (``leverkusen-news``), valid and free of warnings."""
    return copy.deepcopy(_parsed())
