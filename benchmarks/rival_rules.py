"""What the two rival implementations share: code lists, and the subset of rules.

The rules are the subset of willkommen's chosen for the comparison (minimum partners,
known lead, unique ids, measures naming existing goals, coaching budget, dates inside
the runtime, AGS format and state prefix), written once as plain functions over
attributes, which pydantic models and msgspec Structs share. They report willkommen's
codes and JSON Pointer paths, so the sanity test can compare findings one to one.

This module imports only the standard library: a rival's start-up time is its own.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

# Willkommen bei Freunden, as willkommen ships it (domain.md).
RUNTIME_START = dt.date(2015, 5, 28)
RUNTIME_END = dt.date(2018, 12, 31)
MIN_PARTNERS = 3
HOURS_CAP = Decimal(100)
# The NRW initiative "Gemeinsam klappt's" (willkommen.nrw): its runtime, and no cap on coaching hours.
NRW_PROGRAM = "gemeinsam-klappts"
NRW_RUNTIME = (dt.date(2018, 9, 11), dt.date(2022, 12, 31))
# Each program's runtime and cap on coaching hours, by program id.
PROGRAMS: dict[str, tuple[tuple[dt.date, dt.date], Decimal | None]] = {
    "willkommen-bei-freunden": ((RUNTIME_START, RUNTIME_END), HOURS_CAP),
    NRW_PROGRAM: (NRW_RUNTIME, None),
}

# The code lists with willkommen's values (the sanity test compares them with willkommen's).
LAND_KEYS = {
    "DE-BW": "08",
    "DE-BY": "09",
    "DE-BE": "11",
    "DE-BB": "12",
    "DE-HB": "04",
    "DE-HH": "02",
    "DE-HE": "06",
    "DE-MV": "13",
    "DE-NI": "03",
    "DE-NW": "05",
    "DE-RP": "07",
    "DE-SL": "10",
    "DE-SN": "14",
    "DE-ST": "15",
    "DE-SH": "01",
    "DE-TH": "16",
}
VALUES: dict[str, tuple[str, ...]] = {
    "State": tuple(LAND_KEYS),
    "LocalAuthorityKind": ("district", "district_free_city", "town", "municipality", "city_state", "borough"),
    "PartnerKind": (
        "youth_office",
        "social_office",
        "immigration_office",
        "job_center",
        "employment_agency",
        "education_authority",
        "education_office",
        "integration_office",
        "administration_lead",
        "school",
        "daycare",
        "accommodation_operator",
        "welfare_provider",
        "migrant_organisation",
        "association",
        "volunteers",
        "youth_migration_service",
        "employer",
        "young_refugees",
        "other",
    ),
    "Theme": (
        "accommodation",
        "child_protection",
        "early_education",
        "school_education",
        "school_to_work",
        "employment",
        "participation",
        "anti_discrimination",
        "intercultural_opening",
        "volunteering",
        "psychosocial_support",
        "integration_strategy",
        "encounter",
        "cooperation",
        "other",
    ),
    "Horizon": ("short_term", "long_term"),
    "MeasureStatus": ("proposed", "under_review", "agreed", "in_progress", "completed", "dropped"),
    "OfferingType": ("analysis_workshop", "training", "process_coaching", "study_visit", "dialogue"),
    "OfferingStatus": ("planned", "held"),
    "CoachingTask": ("goal_setting", "action_planning", "networking", "communication"),
    "AllianceOrigin": ("new", "existing"),
    "ResidenceStatus": ("permission_to_stay", "toleration", "residence_permit", "other"),
}


def _enum(name: str) -> type[StrEnum]:
    # Member names are the values; both rivals read and write an enum by its value.
    return StrEnum(name, [(value, value) for value in VALUES[name]])  # type: ignore[return-value]


State = _enum("State")
LocalAuthorityKind = _enum("LocalAuthorityKind")
PartnerKind = _enum("PartnerKind")
Theme = _enum("Theme")
Horizon = _enum("Horizon")
MeasureStatus = _enum("MeasureStatus")
OfferingType = _enum("OfferingType")
OfferingStatus = _enum("OfferingStatus")
HELD = OfferingStatus("held")
CoachingTask = _enum("CoachingTask")
AllianceOrigin = _enum("AllianceOrigin")
ResidenceStatus = _enum("ResidenceStatus")
DISTRICT = LocalAuthorityKind("district")


class Finding(NamedTuple):
    """A rule problem: willkommen's code, its JSON Pointer path and an English message."""

    code: str
    path: str
    message: str


class RuleError(ValueError):
    """Raised by the rivals' validators; carries every finding."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f"{f.path}: {f.code}: {f.message}" for f in findings))
        self.findings = findings


def _outside(day: dt.date, runtime: tuple[dt.date, dt.date]) -> bool:
    return not runtime[0] <= day <= runtime[1]


def _hours(value: float) -> Decimal:
    # Exact, as in willkommen: repr() is the shortest text that reads back as this float.
    return Decimal(repr(value))


def _partner_rules(alliance: Any) -> Iterator[Finding]:
    distinct = {(p.name, p.organisation) for p in alliance.partners}
    if len(distinct) < MIN_PARTNERS:
        yield Finding("alliance.too_few_partners", "/partners", f"{len(distinct)} distinct partners")
    if alliance.lead is not None and alliance.lead not in {p.id for p in alliance.partners}:
        yield Finding("alliance.unknown_lead", "/lead", f"lead {alliance.lead!r} is not a partner id")


def _unique_ids(alliance: Any) -> Iterator[Finding]:
    for field in ("partners", "goals", "measures"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(alliance, field)):
            first = seen.setdefault(item.id, index)
            if first != index:
                yield Finding("alliance.duplicate_id", f"/{field}/{index}/id", f"id {item.id!r} used at {first}")


def _measure_goals(alliance: Any) -> Iterator[Finding]:
    goal_ids = {goal.id for goal in alliance.goals}
    for index, measure in enumerate(alliance.measures):
        for position, goal_id in enumerate(measure.goals):
            if goal_id not in goal_ids:
                yield Finding("measure.unknown_goal", f"/measures/{index}/goals/{position}", f"no goal {goal_id!r}")


def _coaching(alliance: Any) -> Iterator[Finding]:
    coaching = alliance.coaching
    if coaching is None:
        return
    cap = PROGRAMS[alliance.program][1]
    budget = cap if coaching.hours_budget is None else _hours(coaching.hours_budget)
    if budget is None:
        return
    if not 0 < budget <= (budget if cap is None else cap):
        yield Finding("coaching.budget_over_cap", "/coaching/hours_budget", f"budget {budget} not in (0, {cap}]")
        return
    hours = [_hours(s.hours) for s in coaching.sessions]
    # As in willkommen: unusable hours are another rule's to report, not a sum's.
    if all(h > 0 for h in hours) and sum(hours, Decimal(0)) > budget:
        yield Finding("coaching.over_budget", "/coaching/sessions", f"{sum(hours, Decimal(0))} > {budget}")


def _runtime(alliance: Any) -> Iterator[Finding]:
    runtime = PROGRAMS[alliance.program][0]
    for index, offering in enumerate(alliance.offerings):
        for field in ("date", "start", "end"):
            day = getattr(offering, field)
            if day is not None and _outside(day, runtime):
                yield Finding("offering.outside_runtime", f"/offerings/{index}/{field}", f"{day} outside runtime")
    if alliance.coaching is not None:
        for index, session in enumerate(alliance.coaching.sessions):
            if _outside(session.date, runtime):
                path = f"/coaching/sessions/{index}/date"
                yield Finding("coaching.session_outside_runtime", path, f"{session.date} outside runtime")
    if alliance.agreement is not None and _outside(alliance.agreement.signed_on, runtime):
        yield Finding("agreement.outside_runtime", "/agreement/signed_on", "signed outside runtime")


def _ags(alliance: Any) -> Iterator[Finding]:
    for index, local_authority in enumerate(alliance.local_authorities):
        ags = local_authority.ags
        if ags is None:
            continue
        length = 5 if local_authority.kind is DISTRICT else 8
        path = f"/local_authorities/{index}/ags"
        if not (ags.isascii() and ags.isdigit() and len(ags) == length):
            yield Finding("local_authority.ags_format", path, f"key {ags!r} is not {length} digits")
        elif ags[:2] != LAND_KEYS[local_authority.state]:
            yield Finding("local_authority.ags_state_mismatch", path, f"key {ags!r} is not in {local_authority.state}")


def rules(alliance: Any) -> list[Finding]:
    """Every problem the subset of rules finds in a pydantic or msgspec alliance."""
    return [
        *_partner_rules(alliance),
        *_unique_ids(alliance),
        *_measure_goals(alliance),
        *_coaching(alliance),
        *_runtime(alliance),
        *_ags(alliance),
    ]
