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
``_suggest.py``, scoped registries in ``_registry.py``.
"""

from typing import Any

from willkommen import _rules  # noqa: F401 - registers the built-in rules
from willkommen._api import Reading, check, dump, dumps, load, loads, read, reads, validate
from willkommen._engine import Context, register_rule, rule, rules, tighten
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
from willkommen._errors import ValidationError, WillkommenError
from willkommen._files import Record, read_files, read_stream
from willkommen._migrate import SCHEMA_VERSION, MigrationResult, StepResult, migrate, register_migration
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
from willkommen._problems import Finding, Location, Problem, Rule, finding
from willkommen._programs import (
    WILLKOMMEN_BEI_FREUNDEN,
    Program,
    ProgramError,
    ServiceOffice,
    coaching_budget,
    coaching_hours_left,
    get_program,
    programs,
    register_program,
    responsible_office,
)
from willkommen._registry import registry_scope
from willkommen._tags import TagError, tagged
from willkommen._typecheck import typed_fields

# Format version 2 renamed the Kommune: a Landkreis is no "municipality".
_RENAMED = {"Municipality": "LocalAuthority", "MunicipalityKind": "LocalAuthorityKind"}


def __getattr__(name: str) -> Any:
    if name in _RENAMED:
        import warnings  # noqa: PLC0415 - only the old names need it

        new = _RENAMED[name]
        warnings.warn(
            f"willkommen.{name} is deprecated: use willkommen.{new} (format version 2)",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals()[new]
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


__all__ = [
    "SCHEMA_VERSION",
    "WILLKOMMEN_BEI_FREUNDEN",
    "Alliance",
    "AllianceOrigin",
    "CoachingSession",
    "CoachingTask",
    "Consultation",
    "Context",
    "CooperationAgreement",
    "Finding",
    "Goal",
    "Horizon",
    "LabelledEnum",
    "LocalAuthority",
    "LocalAuthorityKind",
    "Location",
    "Measure",
    "MeasureStatus",
    "MigrationResult",
    "Offering",
    "OfferingStatus",
    "OfferingType",
    "Partner",
    "PartnerKind",
    "Person",
    "Problem",
    "ProcessCoaching",
    "Program",
    "ProgramError",
    "Reading",
    "Record",
    "Rule",
    "ServiceOffice",
    "Severity",
    "State",
    "StepResult",
    "TagError",
    "Theme",
    "ValidationError",
    "WillkommenError",
    "__version__",
    "check",
    "coaching_budget",
    "coaching_hours_left",
    "dump",
    "dumps",
    "finding",
    "get_program",
    "json_schema",
    "load",
    "loads",
    "migrate",
    "programs",
    "read",
    "read_files",
    "read_stream",
    "reads",
    "register_migration",
    "register_program",
    "register_rule",
    "registry_scope",
    "responsible_office",
    "rule",
    "rules",
    "tagged",
    "tighten",
    "typed_fields",
    "validate",
]


# The shipped extension registers itself like any user's, for the library and the
# command line alike (docs/decisions/0003-shipped-extensions.md). Last: it uses the names above.
from willkommen import nrw as _nrw  # noqa: E402, F401
