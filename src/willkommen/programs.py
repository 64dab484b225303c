"""Programs: the funding programs an alliance belongs to, their limits and service offices.

A :class:`Program` is data (limits, offices and the states they serve, with
its source); :data:`WILLKOMMEN_BEI_FREUNDEN` is the built-in one. Register
a program of your own with :func:`register_program` and the checks of every
alliance that names it use its limits::

    from willkommen.programs import WILLKOMMEN_BEI_FREUNDEN, register_program

    register_program(attrs.evolve(WILLKOMMEN_BEI_FREUNDEN, id="my-program", min_partners=4))
"""

from willkommen._deprecated import make_callable
from willkommen._programs import (
    WILLKOMMEN_BEI_FREUNDEN,
    Program,
    ProgramError,
    ServiceOffice,
    coaching_budget,
    coaching_hours_left,
    get_program,
    register_program,
    responsible_office,
)
from willkommen._programs import programs as _programs

__all__ = [
    "WILLKOMMEN_BEI_FREUNDEN",
    "Program",
    "ProgramError",
    "ServiceOffice",
    "coaching_budget",
    "coaching_hours_left",
    "get_program",
    "register_program",
    "registered",
    "responsible_office",
]


def registered() -> tuple[Program, ...]:
    """Every registered program, by id."""
    return _programs()


# Until the next version, willkommen.programs() still lists the programs, as the function of that name did.
make_callable(__name__, registered, "willkommen.programs.registered")
