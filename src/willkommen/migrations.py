"""Authoring migration steps: what an extension needs to upgrade its own fields.

A step is a pure function from a document of one version to a
:class:`StepResult` of the next, registered with :func:`register_migration`
(for every document, or for one ``$type``). :func:`rename_key` and
:func:`moved` cover the common case, a key renamed in place.
"""

from willkommen._errors import MigrationError
from willkommen._migrate import MigrationResult, StepResult, conflict, migrate, moved, register_migration, rename_key

__all__ = [
    "MigrationError",
    "MigrationResult",
    "StepResult",
    "conflict",
    "migrate",
    "moved",
    "register_migration",
    "rename_key",
]
