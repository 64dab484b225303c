"""willkommen: a typed model of local alliances for young refugees.

Read, build, check and write the data of the federal program "Willkommen
bei Freunden – Bündnisse für junge Flüchtlinge" and programs like it::

    import willkommen
    alliance = willkommen.loads(path.read_bytes())     # ValidationError on errors
    reading = willkommen.reads(path.read_bytes())      # .value, .problems, .ok: never raises for bad data
    problems = willkommen.check(data)                  # every problem, never raises
    text = willkommen.dumps(alliance)

Where things live: the model in ``_model.py``, code lists in ``_enums.py``,
programs in ``_programs.py``, reading and writing in ``_converter.py`` and
``_json.py``, rules in ``_rules.py`` (run by ``_engine.py``), the verbs in
``_api.py``, files and streams in ``_files.py``, did-you-mean in
``_suggest.py``, scoped registries in ``_registry.py``. Writing rules and
the catalogue are public in :mod:`willkommen.rules`, programs in
:mod:`willkommen.programs`, migration steps in :mod:`willkommen.migrations`.
"""

import importlib
import sys
from typing import TYPE_CHECKING, Any

from willkommen import (
    _rules,  # noqa: F401 - registers the built-in rules
    migrations,
    programs,
    rules,
)
from willkommen._api import Reading, check, dump, dumps, load, loads, read, reads, validate
from willkommen._define import model, tagged
from willkommen._deprecated import warn_moved
from willkommen._engine import RuleError
from willkommen._enums import (
    AllianceOrigin,
    CoachingTask,
    Horizon,
    LabelledEnum,
    LocalAuthorityKind,
    MeasureStatus,
    OfferingStatus,
    OfferingType,
    PartnerKind,
    Severity,
    State,
    Theme,
)
from willkommen._errors import (
    LayoutError,
    MigrationError,
    MissingExtraError,
    ModelError,
    UntaggedSubclassError,
    ValidationError,
    WillkommenError,
)
from willkommen._migrate import SCHEMA_VERSION, MigrationResult, migrate
from willkommen._model import (
    Alliance,
    CoachingSession,
    Consultation,
    CooperationAgreement,
    Goal,
    LocalAuthority,
    Measure,
    Offering,
    Partner,
    Person,
    ProcessCoaching,
)
from willkommen._plan import UnsupportedType
from willkommen._problems import Location, Problem
from willkommen._programs import ProgramError
from willkommen._registry import registry_scope
from willkommen._tags import TagError
from willkommen._typecheck import typed_fields

# Format version 2 renamed the Kommune: a Landkreis is no "municipality".
_RENAMED = {"Municipality": "LocalAuthority", "MunicipalityKind": "LocalAuthorityKind"}

# Authoring tools moved to their own public modules; the top keeps what every user needs.
_MOVED = {
    **dict.fromkeys(
        ("Context", "Finding", "Rule", "finding", "register_rule", "rule", "tighten"),
        "willkommen.rules",
    ),
    **dict.fromkeys(
        (
            "WILLKOMMEN_BEI_FREUNDEN",
            "Program",
            "ServiceOffice",
            "coaching_budget",
            "coaching_hours_left",
            "get_program",
            "register_program",
            "responsible_office",
        ),
        "willkommen.programs",
    ),
    **dict.fromkeys(("StepResult", "register_migration"), "willkommen.migrations"),
}


if TYPE_CHECKING:
    from willkommen._files import Record, read_files, read_stream

# Loaded at first use: files and folders need pathlib, which the rest of `import willkommen` does without.
_LAZY = {"Record": "willkommen._files", "read_files": "willkommen._files", "read_stream": "willkommen._files"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # asked once: from now on a plain attribute
        return value
    if name in _RENAMED:
        new = _RENAMED[name]
        warn_moved(f"willkommen.{name}", f"willkommen.{new} (format version 2)")
        return globals()[new]
    if name in _MOVED:
        module = _MOVED[name]
        warn_moved(f"willkommen.{name}", f"{module}.{name}")
        return getattr(sys.modules[module], name)
    # importlib.metadata costs more start-up time than the rest of willkommen:
    # look the version up only when someone asks for it.
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("willkommen")
    if name == "json_schema":
        # Only the schema command and the schema's users need the generator.
        from willkommen._schema import json_schema  # noqa: PLC0415

        return json_schema
    msg = f"module 'willkommen' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    # What __getattr__ gives is part of the module too.
    return sorted({*globals(), *__all__})


__all__ = [
    "SCHEMA_VERSION",
    "Alliance",
    "AllianceOrigin",
    "CoachingSession",
    "CoachingTask",
    "Consultation",
    "CooperationAgreement",
    "Goal",
    "Horizon",
    "LabelledEnum",
    "LayoutError",
    "LocalAuthority",
    "LocalAuthorityKind",
    "Location",
    "Measure",
    "MeasureStatus",
    "MigrationError",
    "MigrationResult",
    "MissingExtraError",
    "ModelError",
    "Offering",
    "OfferingStatus",
    "OfferingType",
    "Partner",
    "PartnerKind",
    "Person",
    "Problem",
    "ProcessCoaching",
    "ProgramError",
    "Reading",
    "Record",
    "RuleError",
    "Severity",
    "State",
    "TagError",
    "Theme",
    "UnsupportedType",
    "UntaggedSubclassError",
    "ValidationError",
    "WillkommenError",
    "__version__",
    "check",
    "dump",
    "dumps",
    "json_schema",
    "load",
    "loads",
    "migrate",
    "migrations",
    "model",
    "programs",
    "read",
    "read_files",
    "read_stream",
    "reads",
    "registry_scope",
    "rules",
    "tagged",
    "typed_fields",
    "validate",
]


# The shipped extension registers itself like any user's, for the library and the
# command line alike (docs/decisions/0003-shipped-extensions.md). Last: it uses the names above.
from willkommen import nrw as _nrw  # noqa: E402, F401
