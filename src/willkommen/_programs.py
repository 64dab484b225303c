"""Programs are data: their runtime, states, limits and service offices.

Rules read every limit from the alliance's program, so a second program
changes the limits without a change of code. Programs are found by id in a
registry that ships with Willkommen bei Freunden and takes user programs.
"""

import datetime as dt
import threading
from decimal import Decimal

import attrs

from willkommen._enums import OfferingType, State
from willkommen._errors import WillkommenError
from willkommen._model import DEFAULT_PROGRAM_ID, Alliance
from willkommen._numbers import exact_difference
from willkommen._typecheck import typed_fields


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ServiceOffice:
    """A regional service office (*Servicebüro*) of a program.

    ``states`` lists the states the office is known to be responsible for;
    it is empty where no source says which they are.
    """

    id: str
    city: str
    states: frozenset[State] = frozenset()


def _offices_do_not_overlap(
    instance: "Program", attribute: "attrs.Attribute[tuple[ServiceOffice, ...]]", offices: tuple[ServiceOffice, ...]
) -> None:
    # wbf-goals: "Jedes Büro ist für eine bestimmte Region im Bundesgebiet zuständig."
    del instance, attribute
    seen: dict[State, str] = {}
    ids: set[str] = set()
    for office in offices:
        if office.id in ids:
            msg = f"two service offices share the id {office.id!r}"
            raise ValueError(msg)
        ids.add(office.id)
        for state in office.states:
            if state in seen:
                msg = f"{state.value} belongs to both {seen[state]!r} and {office.id!r}"
                raise ValueError(msg)
            seen[state] = office.id


def _workshop_size_is_a_range(
    instance: "Program", attribute: "attrs.Attribute[tuple[int, ...] | None]", size: tuple[int, ...] | None
) -> None:
    del instance, attribute
    if size is not None and (len(size) != 2 or not 0 <= size[0] <= size[1]):
        msg = f"workshop_size must be a pair (fewest, most) with 0 <= fewest <= most, not {size!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Program:
    """A funding program whose alliances the rules check.

    ``states`` empty means nationwide; ``end`` None means open-ended;
    ``coaching_hours_cap`` None means no cap; ``workshop_size`` is the usual
    number of participants of an analysis workshop, ``(fewest, most)``, None
    where the program names none. ``offices_complete`` false says that the
    program has offices its data does not list, so that a consultation with an
    unlisted office is a warning, not an error.
    """

    id: str
    name: str
    carriers: tuple[str, ...]
    start: dt.date
    end: dt.date | None = None
    states: frozenset[State] = frozenset()
    min_partners: int
    offering_types: frozenset[OfferingType]
    coaching_hours_cap: Decimal | None = None
    service_offices: tuple[ServiceOffice, ...] = attrs.field(default=(), validator=_offices_do_not_overlap)
    offices_complete: bool = True
    workshop_size: tuple[int, ...] | None = attrs.field(default=None, validator=_workshop_size_is_a_range)
    source: str = ""

    def office(self, office_id: str) -> ServiceOffice | None:
        """The service office with this id, or None."""
        # A loop, not next() over a generator: rules ask this for every consultation.
        for office in self.service_offices:
            if office.id == office_id:
                return office
        return None

    def office_for(self, state: State) -> ServiceOffice | None:
        """The office known to be responsible for *state*, or None if unknown."""
        for office in self.service_offices:
            if state in office.states:
                return office
        return None

    def covers(self, day: dt.date) -> bool:
        """Whether *day* lies within the program's runtime."""
        return self.start <= day and (self.end is None or day <= self.end)


WILLKOMMEN_BEI_FREUNDEN = Program(
    id=DEFAULT_PROGRAM_ID,
    name="Willkommen bei Freunden – Bündnisse für junge Flüchtlinge",
    # bautzen-agreement: "ein gemeinsames Programm der Deutschen Kinder- und Jugendstiftung und des
    # Bundesministeriums für Familie, Senioren, Frauen und Jugend"
    carriers=("Deutsche Kinder- und Jugendstiftung", "Bundesministerium für Familie, Senioren, Frauen und Jugend"),
    # bmfsfj-launch: launched 2015-05-28; bautzen-agreement: "Programmlaufzeit (bis Ende 2018)"
    start=dt.date(2015, 5, 28),
    end=dt.date(2018, 12, 31),
    # wbf-goals: "Servicebüros in Deutschland", for Kommunen in every Land: nationwide
    states=frozenset(),
    # wbf-goals: "mindestens drei lokalen Akteuren"
    min_partners=3,
    # helmstedt-news, wbf-goals: "fünf Arten von Angeboten"
    offering_types=frozenset(OfferingType),
    # bautzen-news, bautzen-agreement: "im Umfang von bis zu 100 Stunden", documented for
    # Bautzen only. A choice: the library assumes it as the cap of every WbF alliance.
    coaching_hours_cap=Decimal(100),
    # wbf-goals: six offices; Köln's and Magdeburg's regions are named there.
    # servicebueros: Hamburg and Berlin exist; their Länder are unverified, so none
    # are claimed. The two other offices are unknown: the list is incomplete.
    service_offices=(
        ServiceOffice(id="koeln", city="Köln", states=frozenset({State.NW})),
        ServiceOffice(id="magdeburg", city="Magdeburg", states=frozenset({State.SN, State.ST, State.TH})),
        ServiceOffice(id="hamburg", city="Hamburg"),
        ServiceOffice(id="berlin", city="Berlin"),
    ),
    offices_complete=False,
    # wbf-workshop: an analysis workshop gathers typically 8 to 20 local actors.
    workshop_size=(8, 20),
    source="bautzen-news, bautzen-agreement, wbf-goals, helmstedt-news, bmfsfj-launch, servicebueros",
)

# Copied on write, like the tag registry: a lookup sees the whole old table or the whole new one.
_LOCK = threading.RLock()
_REGISTRY: dict[str, Program] = {WILLKOMMEN_BEI_FREUNDEN.id: WILLKOMMEN_BEI_FREUNDEN}


def _differences(old: Program, new: Program) -> str:
    return ", ".join(f.name for f in attrs.fields(Program) if getattr(old, f.name) != getattr(new, f.name))


def register_program(program: Program, *, replace: bool = False) -> Program:
    """Make *program* known by its id, so alliances naming it are checked against it.

    Registering an equal program again (a reloaded module) is accepted.
    Registering a different program under an id already taken raises
    :class:`ProgramError` naming both, unless *replace* is true.
    """
    global _REGISTRY  # noqa: PLW0603 - the registry's one published state
    with _LOCK:
        known = _REGISTRY.get(program.id)
        if known is not None and known != program and not replace:
            msg = (
                f"a different program is registered as {program.id!r}: {known.name!r} is registered,"
                f" {program.name!r} differs in {_differences(known, program)}"
            )
            raise ProgramError(msg)
        _REGISTRY = {**_REGISTRY, program.id: program}
    return program


def registered() -> dict[str, Program]:
    """The registry's state now (for :func:`willkommen.registry_scope`)."""
    return _REGISTRY


def restore(state: dict[str, Program]) -> None:
    """Make *state* the registry's state again."""
    global _REGISTRY  # noqa: PLW0603 - the registry's one published state
    with _LOCK:
        _REGISTRY = state


def get_program(program_id: str) -> Program:
    """The registered program with this id; :class:`ProgramError` if there is none."""
    registry = _REGISTRY
    try:
        return registry[program_id]
    except KeyError:
        msg = f"no program is registered as {program_id!r} (known: {', '.join(sorted(registry))})"
        raise ProgramError(msg) from None


def find_program(program_id: str) -> Program | None:
    """The registered program with this id, or None."""
    return _REGISTRY.get(program_id)


def programs() -> tuple[Program, ...]:
    """Every registered program, by id."""
    registry = _REGISTRY
    return tuple(registry[key] for key in sorted(registry))


class ProgramError(WillkommenError, LookupError):
    """A program id that is not registered, or registered twice."""


def alliance_states(alliance: Alliance) -> frozenset[State]:
    """The states the alliance's local authorities lie in."""
    return frozenset(m.state for m in alliance.local_authorities)


def responsible_office(alliance: Alliance, program: Program | None = None) -> ServiceOffice | None:
    """The service office responsible for the alliance, where the map says so.

    None when the alliance spans several states, or its state's office is not
    known. *program* defaults to the alliance's registered program.
    """
    program = program or get_program(alliance.program)
    states = alliance_states(alliance)
    if len(states) != 1:
        return None
    (state,) = states
    return program.office_for(state)


def coaching_budget(alliance: Alliance, program: Program | None = None) -> Decimal | None:
    """The hours the alliance's coaching may use: its budget, or None where it is not known.

    Since format version 2 an absent budget is unknown: the program's cap
    (WbF: 100 hours, documented for Bautzen only) is an upper bound, not the
    budget. *program* is kept for the signature of version 1.
    """
    del program
    if alliance.coaching is None:
        return None
    return alliance.coaching.hours_budget


def coaching_hours_left(alliance: Alliance, program: Program | None = None) -> Decimal | None:
    """Budget minus hours used; None without coaching or where the budget is not known."""
    budget = coaching_budget(alliance, program)
    if budget is None or alliance.coaching is None:
        return None
    return exact_difference(budget, alliance.coaching.hours_used)
