"""The domain model: frozen, slotted, keyword-only attrs classes.

The model knows nothing of files or JSON: reading and writing live in
``_converter.py``, cross-field checks in ``_rules.py``. Field names are the
keys of a data file (``docs/glossary.md`` gives the German terms).
"""

import datetime as dt
from decimal import Decimal
from typing import ClassVar

import attrs

from willkommen._define import refuse_incomplete_subclasses
from willkommen._enums import (
    AllianceOrigin,
    CoachingTask,
    Horizon,
    LocalAuthorityKind,
    MeasureStatus,
    OfferingStatus,
    OfferingType,
    PartnerKind,
    State,
    Theme,
)
from willkommen._numbers import exact_sum
from willkommen._plan import ShapeCheck, enforce_shape
from willkommen._typecheck import typed_fields

#: The id of the program an alliance belongs to when its data names none.
DEFAULT_PROGRAM_ID = "willkommen-bei-freunden"


#: An offering happens on one ``date`` or runs from ``start`` to ``end``; a planned one
#: may have no date yet (see ``Offering``). Declared on the class, so that the type plan
#: gives it to the model, the reader and the schema alike.
OFFERING_DATES = ShapeCheck(
    groups=(("date",), ("start", "end")),
    unless=("status", OfferingStatus.PLANNED),
    expected="either a date, or a start and an end",
    expected_de="entweder ein Datum oder Beginn und Ende",
)


def offering_dates_error(
    *, has_date: bool, has_start: bool, has_end: bool, planned: bool = False
) -> tuple[str, str] | None:
    """Check the shape of an offering's dates; return ``(field, reason)`` or None (see ``OFFERING_DATES``)."""
    present = {"date": has_date, "start": has_start, "end": has_end}
    return OFFERING_DATES.error(present.__getitem__, exempt=planned)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Person:
    """A person named in the data: a contact, a coach, a signatory."""

    name: str
    role: str | None = None
    organisation: str | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class LocalAuthority:
    """A local authority (*Kommune*) that carries an alliance."""

    name: str
    kind: LocalAuthorityKind
    state: State
    ags: str | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Partner:
    """A member of an alliance (*Bündnispartner*)."""

    id: str
    name: str
    kind: PartnerKind
    organisation: str | None = None
    contacts: tuple[Person, ...] = ()


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Goal:
    """A goal the alliance set itself (*Ziel*)."""

    id: str
    title: str
    description: str | None = None
    themes: tuple[Theme, ...] = ()
    horizon: Horizon | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Measure:
    """A measure serving one or more goals (*Maßnahme*)."""

    id: str
    title: str
    goals: tuple[str, ...]
    status: MeasureStatus
    horizon: Horizon | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Offering:
    """One use of the program's offerings (*Angebot*), on a date or over a span.

    ``status`` says whether it took place (``held``, the default: a held
    offering has a date or a span) or is ``planned`` (it may have no date yet,
    as the trainings Bautzen agreed on).
    """

    __willkommen_shape__: ClassVar[ShapeCheck] = OFFERING_DATES

    type: OfferingType
    status: OfferingStatus = OfferingStatus.HELD
    title: str | None = None
    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    participants: int | None = None

    __attrs_post_init__ = enforce_shape


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CoachingSession:
    """One session of process coaching."""

    date: dt.date
    hours: Decimal
    task: CoachingTask | None = None
    note: str | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ProcessCoaching:
    """Process coaching (*Prozessbegleitung*) by an external coach."""

    coach: Person
    #: None means the budget is not known (format version 1 meant the program's cap).
    hours_budget: Decimal | None = None
    tasks: tuple[CoachingTask, ...] = ()
    sessions: tuple[CoachingSession, ...] = ()

    @property
    def hours_used(self) -> Decimal:
        """The hours of all sessions, added exactly (in the library's decimal context, never the caller's)."""
        return exact_sum(session.hours for session in self.sessions)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CooperationAgreement:
    """The written agreement on the goals (*Kooperationsvereinbarung*)."""

    signed_on: dt.date
    signatories: tuple[Person, ...]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Consultation:
    """A first consultation (*Erstgespräch*) with a service office."""

    date: dt.date
    office: str
    notes: str | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Alliance:
    """A local alliance (*Bündnis*) of at least three partners."""

    id: str
    name: str | None = None
    program: str = DEFAULT_PROGRAM_ID
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


# A user's subclass declared without the type checks, or not frozen and keyword-only, is refused
# as attrs makes it (see willkommen.model), never accepted to misbehave later.
for _model_class in (
    Person,
    LocalAuthority,
    Partner,
    Goal,
    Measure,
    Offering,
    CoachingSession,
    ProcessCoaching,
    CooperationAgreement,
    Consultation,
    Alliance,
):
    refuse_incomplete_subclasses(_model_class)
