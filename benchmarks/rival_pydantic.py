"""The alliance document as pydantic v2 models, as strict as willkommen (see rivals.py)."""

import datetime as dt
from typing import Any, Literal, Self

import pydantic
from pydantic import ConfigDict, model_validator
from rival_rules import (
    HELD,
    NRW_PROGRAM,
    AllianceOrigin,
    CoachingTask,
    Horizon,
    LocalAuthorityKind,
    MeasureStatus,
    OfferingStatus,
    OfferingType,
    PartnerKind,
    ResidenceStatus,
    RuleError,
    State,
    Theme,
    rules,
)

ValidationError = pydantic.ValidationError


class _Model(pydantic.BaseModel):
    # strict: no coercion; forbid: unknown keys are errors; no NaN or Infinity.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class Person(_Model):
    name: str
    role: str | None = None
    organisation: str | None = None


class LocalAuthority(_Model):
    name: str
    kind: LocalAuthorityKind
    state: State
    ags: str | None = None


class Partner(_Model):
    id: str
    name: str
    kind: PartnerKind
    organisation: str | None = None
    contacts: tuple[Person, ...] = ()


class Goal(_Model):
    id: str
    title: str
    description: str | None = None
    themes: tuple[Theme, ...] = ()
    horizon: Horizon | None = None


class Measure(_Model):
    id: str
    title: str
    goals: tuple[str, ...]
    status: MeasureStatus
    horizon: Horizon | None = None


class Offering(_Model):
    type: OfferingType
    status: OfferingStatus = HELD
    title: str | None = None
    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    participants: int | None = None


class CoachingSession(_Model):
    date: dt.date
    hours: float
    task: CoachingTask | None = None
    note: str | None = None


class ProcessCoaching(_Model):
    coach: Person
    hours_budget: float | None = None
    tasks: tuple[CoachingTask, ...] = ()
    sessions: tuple[CoachingSession, ...] = ()


class CooperationAgreement(_Model):
    signed_on: dt.date
    signatories: tuple[Person, ...]


class Consultation(_Model):
    date: dt.date
    office: str
    notes: str | None = None


class Alliance(_Model):
    schema_version: Literal[2]
    id: str
    name: str | None = None
    program: str = "willkommen-bei-freunden"
    local_authorities: tuple[LocalAuthority, ...]
    origin: AllianceOrigin
    founded_on: dt.date | None = None
    partners: tuple[Partner, ...]
    lead: str | None = None
    goals: tuple[Goal, ...]
    measures: tuple[Measure, ...] = ()
    offerings: tuple[Offering, ...] = ()
    coaching: ProcessCoaching | None = None
    agreement: CooperationAgreement | None = None
    consultations: tuple[Consultation, ...] = ()

    @model_validator(mode="after")
    def _rules(self) -> Self:
        findings = rules(self)
        if findings:
            raise RuleError(findings)
        return self


class TargetGroup(_Model):
    age_min: int
    age_max_exclusive: int
    focus_statuses: tuple[ResidenceStatus, ...] = ()
    count: int | None = None


class NrwAlliance(Alliance):
    # The tagged NRW document (willkommen.nrw): validated as this class directly, the rival
    # is told the type that willkommen finds from "$type" among every registered tag.
    type_: Literal["nrw-alliance"] = pydantic.Field(alias="$type")
    program: str = NRW_PROGRAM
    coordinating_office: str
    target_group: TargetGroup


def loads(data: bytes) -> Alliance:
    """Read and check JSON bytes the way a pydantic user would."""
    return Alliance.model_validate_json(data)


def loads_nrw(data: bytes) -> NrwAlliance:
    """Read and check a tagged NRW document, its class known in advance."""
    return NrwAlliance.model_validate_json(data)


def dumps(alliance: Alliance) -> bytes:
    """JSON bytes without the absent optional values, as willkommen writes them."""
    return alliance.model_dump_json(exclude_none=True).encode()


def findings_of(exc: ValidationError) -> list[Any]:
    """The rule findings inside a validation error (pydantic keeps the RuleError in ctx)."""
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, RuleError):
            return cause.findings
    return []
