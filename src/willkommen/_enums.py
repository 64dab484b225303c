"""Code lists of the domain: every value is the string a data file uses.

Each member carries its German label (``label_de``), the term that German
source texts and program staff use for it (see ``docs/glossary.md``).
"""

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A string enumeration whose members carry a German label (``label_de``).

    Base of every code list here, and of yours::

        class Status(willkommen.LabelledEnum):
            OPEN = "open", "offen"
    """

    label_de: str

    def __new__(cls, value: str, label_de: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_de = label_de
        return member


class State(LabelledEnum):
    """A German state (*Bundesland*) by its ISO 3166-2 code."""

    BW = "DE-BW", "Baden-Württemberg"
    BY = "DE-BY", "Bayern"
    BE = "DE-BE", "Berlin"
    BB = "DE-BB", "Brandenburg"
    HB = "DE-HB", "Bremen"
    HH = "DE-HH", "Hamburg"
    HE = "DE-HE", "Hessen"
    MV = "DE-MV", "Mecklenburg-Vorpommern"
    NI = "DE-NI", "Niedersachsen"
    NW = "DE-NW", "Nordrhein-Westfalen"
    RP = "DE-RP", "Rheinland-Pfalz"
    SL = "DE-SL", "Saarland"
    SN = "DE-SN", "Sachsen"
    ST = "DE-ST", "Sachsen-Anhalt"
    SH = "DE-SH", "Schleswig-Holstein"
    TH = "DE-TH", "Thüringen"

    @property
    def land_key(self) -> str:
        """The two-digit Land key that opens every AGS of this state."""
        return _LAND_KEYS[self]


# Destatis, Gemeindeverzeichnis: the Land key is the first two digits of an AGS.
_LAND_KEYS = {
    State.SH: "01",
    State.HH: "02",
    State.NI: "03",
    State.HB: "04",
    State.NW: "05",
    State.HE: "06",
    State.RP: "07",
    State.BW: "08",
    State.BY: "09",
    State.SL: "10",
    State.BE: "11",
    State.BB: "12",
    State.MV: "13",
    State.SN: "14",
    State.ST: "15",
    State.TH: "16",
}


class LocalAuthorityKind(LabelledEnum):
    """What kind of local authority (*Kommune*) it is."""

    DISTRICT = "district", "Landkreis / Kreis"
    DISTRICT_FREE_CITY = "district_free_city", "kreisfreie Stadt"
    TOWN = "town", "kreisangehörige Stadt / Große Kreisstadt"
    MUNICIPALITY = "municipality", "Gemeinde"
    CITY_STATE = "city_state", "Stadtstaat"
    BOROUGH = "borough", "Bezirk"


class PartnerKind(LabelledEnum):
    """The kind of actor an alliance partner (*Bündnispartner*) is."""

    YOUTH_OFFICE = "youth_office", "Jugendamt"
    SOCIAL_OFFICE = "social_office", "Sozialamt"
    IMMIGRATION_OFFICE = "immigration_office", "Ausländerbehörde"
    JOB_CENTER = "job_center", "Jobcenter"
    EMPLOYMENT_AGENCY = "employment_agency", "Agentur für Arbeit"
    EDUCATION_AUTHORITY = "education_authority", "Schulbehörde / Bildungsagentur"
    EDUCATION_OFFICE = "education_office", "kommunales Bildungsbüro"
    INTEGRATION_OFFICE = "integration_office", "Integrationsstelle / Kommunales Integrationszentrum"
    ADMINISTRATION_LEAD = "administration_lead", "Verwaltungsspitze (Landrat, Bürgermeister, Dezernent)"
    SCHOOL = "school", "Schule"
    DAYCARE = "daycare", "Kita"
    ACCOMMODATION_OPERATOR = "accommodation_operator", "Betreiber einer Gemeinschaftsunterkunft"
    WELFARE_PROVIDER = "welfare_provider", "freier Träger / Wohlfahrtsverband"
    MIGRANT_ORGANISATION = "migrant_organisation", "Migrantenorganisation"
    ASSOCIATION = "association", "Verein / Initiative"
    VOLUNTEERS = "volunteers", "Ehrenamtliche"
    YOUTH_MIGRATION_SERVICE = "youth_migration_service", "Jugendmigrationsdienst"
    EMPLOYER = "employer", "Arbeitgeber / Kammer"
    YOUNG_REFUGEES = "young_refugees", "junge Geflüchtete"
    OTHER = "other", "Sonstige"


class Theme(LabelledEnum):
    """A field of action a goal addresses."""

    ACCOMMODATION = "accommodation", "Unterbringung"
    CHILD_PROTECTION = "child_protection", "Kinderschutz"
    EARLY_EDUCATION = "early_education", "frühkindliche Bildung"
    SCHOOL_EDUCATION = "school_education", "schulische Bildung"
    SCHOOL_TO_WORK = "school_to_work", "Übergang Schule–Beruf"
    EMPLOYMENT = "employment", "Arbeit und Beschäftigung"
    PARTICIPATION = "participation", "Teilhabe und Beteiligung"
    ANTI_DISCRIMINATION = "anti_discrimination", "Antidiskriminierung und politische Bildung"
    INTERCULTURAL_OPENING = "intercultural_opening", "interkulturelle Öffnung"
    VOLUNTEERING = "volunteering", "Ehrenamt"
    PSYCHOSOCIAL_SUPPORT = "psychosocial_support", "psychosoziale Unterstützung"
    INTEGRATION_STRATEGY = "integration_strategy", "Integrationskonzept, Transparenz, Datenlage"
    ENCOUNTER = "encounter", "Begegnung"
    COOPERATION = "cooperation", "Zusammenarbeit"
    OTHER = "other", "Sonstiges"


class Horizon(LabelledEnum):
    """Whether a goal or measure aims at short-term or lasting change."""

    SHORT_TERM = "short_term", "kurzfristig"
    LONG_TERM = "long_term", "langfristig"


class MeasureStatus(LabelledEnum):
    """Where a measure (*Maßnahme*) stands."""

    PROPOSED = "proposed", "vorgeschlagen"
    UNDER_REVIEW = "under_review", "wird geprüft"
    AGREED = "agreed", "vereinbart"
    IN_PROGRESS = "in_progress", "in Umsetzung"
    COMPLETED = "completed", "abgeschlossen"
    DROPPED = "dropped", "verworfen"


class OfferingType(LabelledEnum):
    """The five kinds of offerings (*Angebote*) of the program."""

    ANALYSIS_WORKSHOP = "analysis_workshop", "Analyseworkshop"
    TRAINING = "training", "Fortbildung"
    PROCESS_COACHING = "process_coaching", "Prozessbegleitung"
    STUDY_VISIT = "study_visit", "Hospitation"
    DIALOGUE = "dialogue", "Dialoggestaltung"


class OfferingStatus(LabelledEnum):
    """Whether an offering is planned or took place (format version 2)."""

    PLANNED = "planned", "geplant"
    HELD = "held", "durchgeführt"


class CoachingTask(LabelledEnum):
    """What process coaching supports (``bautzen-agreement``)."""

    GOAL_SETTING = "goal_setting", "Ziel- und Entscheidungsfindung"
    ACTION_PLANNING = "action_planning", "koordinierte, strukturierte Maßnahmenplanung"
    NETWORKING = "networking", "Vernetzung mit Akteuren und Netzwerken"
    COMMUNICATION = "communication", "Gestaltung von Kommunikationsverläufen"


class AllianceOrigin(LabelledEnum):
    """Whether the program built the alliance or strengthened an existing one."""

    NEW = "new", "neu aufgebaut"
    EXISTING = "existing", "bestehend, gestärkt"


class Severity(LabelledEnum):
    """How much a problem matters: an error makes data invalid, a warning does not."""

    ERROR = "error", "Fehler"
    WARNING = "warning", "Warnung"
