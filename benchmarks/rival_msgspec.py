"""The alliance document as msgspec Structs, as strict as willkommen (see rivals.py)."""

import datetime as dt
from typing import Any, Literal

import msgspec
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

ValidationError = msgspec.ValidationError


class _Struct(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True, omit_defaults=True):
    # msgspec is strict by default (no str -> int, no int -> str); forbid unknown keys.
    # The other options are inherited, kw_only is not: every subclass repeats it.
    pass


class Person(_Struct, kw_only=True):
    name: str
    role: str | None = None
    organisation: str | None = None


class LocalAuthority(_Struct, kw_only=True):
    name: str
    kind: LocalAuthorityKind
    state: State
    ags: str | None = None


class Partner(_Struct, kw_only=True):
    id: str
    name: str
    kind: PartnerKind
    organisation: str | None = None
    contacts: tuple[Person, ...] = ()


class Goal(_Struct, kw_only=True):
    id: str
    title: str
    description: str | None = None
    themes: tuple[Theme, ...] = ()
    horizon: Horizon | None = None


class Measure(_Struct, kw_only=True):
    id: str
    title: str
    goals: tuple[str, ...]
    status: MeasureStatus
    horizon: Horizon | None = None


class Offering(_Struct, kw_only=True):
    type: OfferingType
    status: OfferingStatus = HELD
    title: str | None = None
    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    participants: int | None = None


class CoachingSession(_Struct, kw_only=True):
    date: dt.date
    hours: float
    task: CoachingTask | None = None
    note: str | None = None


class ProcessCoaching(_Struct, kw_only=True):
    coach: Person
    hours_budget: float | None = None
    tasks: tuple[CoachingTask, ...] = ()
    sessions: tuple[CoachingSession, ...] = ()


class CooperationAgreement(_Struct, kw_only=True):
    signed_on: dt.date
    signatories: tuple[Person, ...]


class Consultation(_Struct, kw_only=True):
    date: dt.date
    office: str
    notes: str | None = None


class Alliance(_Struct, kw_only=True):
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

    def __post_init__(self) -> None:
        # msgspec turns a ValueError raised here into a msgspec.ValidationError.
        findings = rules(self)
        if findings:
            raise RuleError(findings)


class TargetGroup(_Struct, kw_only=True):
    age_min: int
    age_max_exclusive: int
    focus_statuses: tuple[ResidenceStatus, ...] = ()
    count: int | None = None


class NrwAlliance(Alliance, kw_only=True, tag_field="$type", tag="nrw-alliance"):
    # The tagged NRW document (willkommen.nrw): decoded as this class directly, the rival
    # is told the type that willkommen finds from "$type" among every registered tag.
    program: str = NRW_PROGRAM
    coordinating_office: str
    target_group: TargetGroup


_DECODER = msgspec.json.Decoder(Alliance)
_NRW_DECODER = msgspec.json.Decoder(NrwAlliance)
_ENCODER = msgspec.json.Encoder()


def loads(data: bytes) -> Alliance:
    """Read and check JSON bytes the way a msgspec user would."""
    return _DECODER.decode(data)


def loads_nrw(data: bytes) -> NrwAlliance:
    """Read and check a tagged NRW document, its class known in advance."""
    return _NRW_DECODER.decode(data)


def dumps(alliance: Alliance) -> bytes:
    """JSON bytes; ``omit_defaults`` leaves out the absent optional values (and empty lists)."""
    return _ENCODER.encode(alliance)


def findings_of(exc: ValidationError) -> list[Any]:
    """The rule findings inside a validation error (msgspec chains the RuleError)."""
    return exc.__cause__.findings if isinstance(exc.__cause__, RuleError) else []
