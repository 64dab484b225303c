"""A complete example alliance: Bautzen, with every part filled in.

The sources ``bautzen-news`` and ``bautzen-agreement`` give the Kommunen,
partners, goals, measures, the agreement and the coaching budget
(``examples/bautzen.json`` holds just those). To show every part of the
format, this example adds a founding date, offerings, coaching sessions, a
lead, the horizons of a goal and a measure, and a first consultation: those
are made up (``docs/sources.md``, choices), and the made-up offerings,
sessions and consultation say "Beispiel".
"""

import copy
import functools
import json
from typing import Any

_EXAMPLE = """
{
  "schema_version": 2,
  "id": "bautzen",
  "program": "willkommen-bei-freunden",
  "local_authorities": [
    {"name": "Landkreis Bautzen", "kind": "district", "state": "DE-SN", "ags": "14625"},
    {"name": "Stadt Bautzen", "kind": "town", "state": "DE-SN", "ags": "14625020"}
  ],
  "origin": "new",
  "founded_on": "2017-01-15",
  "partners": [
    {"id": "landrat", "name": "Landrat des Landkreises Bautzen", "kind": "administration_lead",
     "organisation": "Landratsamt Bautzen", "contacts": [{"name": "Michael Harig", "role": "Landrat"}]},
    {"id": "stadt", "name": "Stadt Bautzen", "kind": "administration_lead", "organisation": "Stadt Bautzen",
     "contacts": [{"name": "Alexander Ahrens", "role": "Oberbürgermeister"}]},
    {"id": "auslaenderamt", "name": "Ausländeramt", "kind": "immigration_office",
     "organisation": "Landratsamt Bautzen"},
    {"id": "jugendamt", "name": "Jugendamt", "kind": "youth_office", "organisation": "Landratsamt Bautzen"},
    {"id": "jobcenter", "name": "Jobcenter", "kind": "job_center", "organisation": "Landratsamt Bautzen"},
    {"id": "arbeitsagentur", "name": "Agentur für Arbeit", "kind": "employment_agency"},
    {"id": "bildungsagentur", "name": "Sächsische Bildungsagentur", "kind": "education_authority"},
    {"id": "house-of-resources", "name": "House of Resources", "kind": "association"}
  ],
  "lead": "landrat",
  "goals": [
    {"id": "uebergang", "themes": ["school_to_work"],
     "title": "Am Übergang Schule – Beruf sollen junge Geflüchtete frühzeitig informiert und begleitet werden."},
    {"id": "diskriminierung", "themes": ["anti_discrimination"], "horizon": "long_term",
     "title": "Diskriminierung und Rassismus entgegenwirken, auch innerhalb der eigenen Altersgruppe."},
    {"id": "beteiligung", "themes": ["participation"],
     "title": "Junge Geflüchtete an den sie betreffenden Gesprächen und Entscheidungen stärker und kontinuierlicher beteiligen."}
  ],
  "measures": [
    {"id": "profilpass", "title": "Einführung eines Profilpasses", "goals": ["uebergang"], "status": "under_review"},
    {"id": "workshops", "title": "Workshops mit jungen Geflüchteten und Familien", "goals": ["beteiligung"],
     "status": "agreed", "horizon": "short_term"},
    {"id": "politische-bildung", "title": "Pilotprojekte zur politischen Bildung im Landkreis",
     "goals": ["diskriminierung"], "status": "agreed"}
  ],
  "offerings": [
    {"type": "analysis_workshop", "status": "held", "title": "Analyseworkshop (Beispiel)", "date": "2017-03-01",
     "participants": 12},
    {"type": "training", "status": "held", "title": "Fortbildung (Beispiel)", "start": "2017-10-01",
     "end": "2017-10-02"},
    {"type": "process_coaching", "status": "held", "start": "2017-09-26", "end": "2018-12-31"},
    {"type": "training", "status": "planned", "title": "Verschiedene Fortbildungsangebote (vereinbart)"}
  ],
  "coaching": {
    "coach": {"name": "Prozessbegleiter (im Text nicht genannt)"},
    "hours_budget": 100,
    "tasks": ["goal_setting", "action_planning", "networking", "communication"],
    "sessions": [
      {"date": "2017-10-10", "hours": 33.3, "task": "goal_setting", "note": "Beispiel"},
      {"date": "2017-11-10", "hours": 33.3, "note": "Beispiel"},
      {"date": "2018-01-10", "hours": 33.4, "note": "Beispiel"}
    ]
  },
  "agreement": {
    "signed_on": "2017-09-26",
    "signatories": [
      {"name": "Michael Harig", "role": "Landrat", "organisation": "Landkreis Bautzen"},
      {"name": "Alexander Ahrens", "role": "Oberbürgermeister", "organisation": "Stadt Bautzen"},
      {"name": "Timon Perabo", "role": "Leiter des Programms für Sachsen, Sachsen-Anhalt und Thüringen",
       "organisation": "Deutsche Kinder- und Jugendstiftung"}
    ]
  },
  "consultations": [{"date": "2016-11-01", "office": "magdeburg", "notes": "Beispiel"}]
}
"""


@functools.cache
def _parsed() -> dict[str, Any]:
    # Parsed on first use: the command line imports this module on every start.
    parsed: dict[str, Any] = json.loads(_EXAMPLE)
    return parsed


def example_document() -> dict[str, Any]:
    """A fresh copy of the complete example document, valid and free of warnings."""
    return copy.deepcopy(_parsed())
