"""Migrations: upgrade a document of an older format version, step by step.

A step is a pure function registered for one version pair (``1 -> 2``), for
every document or only for those of one ``$type`` (an extension's own
fields). :func:`migrate` copies the document, runs the steps from its version
up to :data:`SCHEMA_VERSION`, and returns the result with every problem found
on the way, each at the path it has in the *user's* file: a step says how the
paths of its output map back to those of its input.

Nothing is dropped without a problem saying so, the input is never changed
and shares nothing with the result, and any input — not an object, no
version, odd shapes — gets an answer, never an exception, in time linear in
its size.
"""

import copy
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from willkommen._errors import MigrationError
from willkommen._german import number_de
from willkommen._problems import INVALID_VALUE, MIGRATION_ASSUMED, MIGRATION_CONFLICT, MISSING, TYPE, Problem
from willkommen._programs import find_program
from willkommen._tags import TAG_KEY
from willkommen._text import escape, quote

#: The version of the data format that this library writes.
SCHEMA_VERSION = 2
#: Every version this library reads (older ones are upgraded, with a warning).
SCHEMA_VERSIONS = frozenset({1, 2})
VERSION_KEY = "schema_version"

#: Maps a path of a step's output to the path it had in the step's input.
PathMap = Callable[[str], str]


def _same(path: str) -> str:
    return path


@attrs.frozen
class StepResult:
    """What a step made: the new document, the problems on the way, and how paths map back.

    ``problems`` carry paths of the step's *input*; ``original_path`` takes a
    path of the output to the path it had in the input.
    """

    document: dict[str, Any]
    problems: tuple[Problem, ...] = ()
    original_path: PathMap = attrs.field(default=_same, eq=False, repr=False)


Step = Callable[[Mapping[str, Any]], StepResult]


@attrs.frozen
class MigrationResult:
    """A document upgraded to the current format version.

    ``document`` is a new object (the input is never changed); ``problems``
    are those found on the way, at the paths of the input; ``from_version``
    is the input's version (None where it has none that could be read).
    """

    document: Any
    problems: tuple[Problem, ...]
    from_version: int | None
    _maps: tuple[PathMap, ...] = attrs.field(default=(), eq=False, repr=False, alias="maps")

    @property
    def changed(self) -> bool:
        """Whether the document was upgraded (it was of an older version)."""
        return self.from_version is not None and self.from_version < SCHEMA_VERSION

    def original_path(self, path: str) -> str:
        """The path in the input of a value at *path* in ``document``."""
        for back in reversed(self._maps):
            path = back(path)
        return path


# (from_version, $type or None) -> the steps to the next version, in the order registered.
_STEPS: dict[tuple[int, str | None], list[Step]] = {}


def register_migration(from_version: int, to_version: int, *, type: str | None = None) -> Callable[[Step], Step]:  # noqa: A002 - the document's "$type"
    """Register the decorated function as a step from *from_version* to *to_version*.

    With *type*, the step runs only on documents whose ``$type`` is that tag,
    after the steps for every document: an extension upgrades its own fields.
    A step takes the document (never to be changed) and returns a
    :class:`StepResult`.
    """
    if to_version != from_version + 1:
        msg = f"a step goes from one version to the next, not from {from_version} to {to_version}"
        raise MigrationError(msg)

    def register(step: Step) -> Step:
        _STEPS.setdefault((from_version, type), []).append(step)
        return step

    return register


# --- copying -----------------------------------------------------------------------


def _leaf(value: Any) -> Any:
    """A copy of a value that holds no dict or list: immutable ones are themselves."""
    if value is None or isinstance(value, str | int | float | Decimal | bytes):
        return value
    if isinstance(value, set | frozenset | bytearray):
        return type(value)(value)
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an object that cannot be copied is kept; the reader refuses it
        return value


def copy_document(value: Any) -> Any:
    """A deep copy of dicts and lists, without recursion (any depth), each shared part copied once."""
    if not isinstance(value, dict | list):
        return _leaf(value)
    copies: dict[int, Any] = {}

    def shell(node: dict[Any, Any] | list[Any]) -> tuple[Any, bool]:
        known = copies.get(id(node))
        if known is not None:
            return known, False
        new: Any = {} if isinstance(node, dict) else []
        copies[id(node)] = new
        return new, True

    root, _ = shell(value)
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        items: Iterator[tuple[Any, Any]] = iter(source.items()) if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            if isinstance(item, dict | list):
                new, fresh = shell(item)
                if fresh:
                    stack.append((item, new))
            else:
                new = _leaf(item)
            if isinstance(target, dict):
                target[key] = new
            else:
                target.append(new)
    return root


# --- the chain ---------------------------------------------------------------------


def version_problem(document: Mapping[Any, Any]) -> Problem | None:
    if VERSION_KEY not in document:
        return MISSING.problem(f"/{VERSION_KEY}", key=quote(VERSION_KEY))
    version = document[VERSION_KEY]
    if not isinstance(version, int) or isinstance(version, bool):
        return TYPE.problem(
            f"/{VERSION_KEY}", expected="an integer", expected_de="eine ganze Zahl", value=quote(version)
        )
    if version not in SCHEMA_VERSIONS:
        # Never guess what another version means.
        known = ", ".join(str(v) for v in sorted(SCHEMA_VERSIONS))
        return INVALID_VALUE.problem(
            f"/{VERSION_KEY}",
            value=quote(version),
            expected=f"a schema version this library reads ({known})",
            expected_de=f"eine Schemaversion, die diese Bibliothek liest ({known})",
        )
    return None


def migrate(document: object) -> MigrationResult:
    """Upgrade *document* (parsed JSON) to the current format version.

    Returns a :class:`MigrationResult`; never raises for bad data. A document
    of the current version comes back as an equal copy without problems; one
    without a readable version comes back unchanged (as a copy) with the
    problem of its version.
    """
    result = copy_document(document)
    if not isinstance(result, dict):
        problem = TYPE.problem("", expected="an object", expected_de="ein Objekt", value=quote(document))
        return MigrationResult(result, (problem,), None)
    version_problem_ = version_problem(result)
    if version_problem_ is not None:
        return MigrationResult(result, (version_problem_,), None)
    start: int = result[VERSION_KEY]
    tag = result.get(TAG_KEY)
    maps: list[PathMap] = []
    problems: list[Problem] = []
    for version in range(start, SCHEMA_VERSION):
        steps = list(_STEPS.get((version, None), ()))
        if isinstance(tag, str):
            steps += _STEPS.get((version, tag), ())
        for step in steps:
            done = step(result)
            # The step's problems have paths of its input: map them back through the steps before.
            for problem in done.problems:
                path = problem.path
                for back in reversed(maps):
                    path = back(path)
                problems.append(attrs.evolve(problem, path=path))
            maps.append(done.original_path)
            result = done.document
        result = {VERSION_KEY: version + 1, **{k: v for k, v in result.items() if k != VERSION_KEY}}
    return MigrationResult(result, tuple(problems), start, maps=tuple(maps))


# --- helpers for steps ---------------------------------------------------------------


def rename_key(
    document: Mapping[str, Any], old: str, new: str, *, at: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    """*document* with key *old* renamed to *new* in its place; *at* is the document's path.

    A *new* key that is there already was not part of the older version, and
    the newer one gives it a meaning: it is dropped, with a
    ``migration.conflict`` problem, and the renamed key takes its place.
    """
    problems: list[Problem] = []
    if new in document:
        problems.append(conflict(f"{at}/{escape(new)}", new, instead=old if old in document else None))
    renamed = {(new if key == old else key): value for key, value in document.items() if key != new}
    return renamed, problems


def conflict(path: str, key: str, *, instead: str | None = None, written: bool = False) -> Problem:
    """The problem of a key an older document holds, which a newer version introduces: it is dropped."""
    if written:
        phrases = ("the migration writes its own value", "die Migration schreibt einen eigenen Wert")
    elif instead is not None:
        phrases = (f"the renamed key {quote(instead)} takes its place", f"an ihre Stelle tritt {quote(instead)}")
    else:
        phrases = ("nothing takes its place", "nichts tritt an ihre Stelle")
    return MIGRATION_CONFLICT.problem(path, key=quote(key), instead=phrases[0], instead_de=phrases[1])


def moved(old_prefix: str, new_prefix: str) -> PathMap:
    """A path map: paths at or below *new_prefix* come from *old_prefix*."""

    def back(path: str) -> str:
        if path == new_prefix or path.startswith(new_prefix + "/"):
            return old_prefix + path[len(new_prefix) :]
        return path

    return back


# --- format version 1 -> 2 ---------------------------------------------------------------


def _with_status(offering: Mapping[Any, Any]) -> dict[Any, Any]:
    """The offering with ``"status": "held"`` after its type (first, if it has none)."""
    entry: dict[Any, Any] = {} if "type" in offering else {"status": "held"}
    for key, value in offering.items():
        if key != "status":
            entry[key] = value
        if key == "type":
            entry["status"] = "held"
    return entry


@register_migration(1, 2)
def version_1_to_2(document: Mapping[str, Any]) -> StepResult:
    """Kommunen are local authorities, offerings say they were held, the budget is written out.

    - ``municipalities`` becomes ``local_authorities``: a Landkreis is no "municipality".
    - Every offering of version 1 had a date: it took place, ``"status": "held"``.
    - An absent ``hours_budget`` meant the program's cap; now it means
      unknown, so the cap is written where version 1 implied it (a warning
      says so, since the cap is documented for Bautzen only).
    """
    result, problems = rename_key(document, "municipalities", "local_authorities")
    added: set[str] = set()
    offerings = result.get("offerings")
    if isinstance(offerings, list):
        upgraded: list[Any] = []
        for index, offering in enumerate(offerings):
            if not isinstance(offering, dict):
                upgraded.append(offering)  # the reader reports its type
                continue
            if "status" in offering:
                problems.append(conflict(f"/offerings/{index}/status", "status", written=True))
            upgraded.append(_with_status(offering))
            added.add(f"/offerings/{index}/status")
        result["offerings"] = upgraded
    coaching = result.get("coaching")
    if isinstance(coaching, dict) and "hours_budget" not in coaching:
        program_id = result.get("program", "willkommen-bei-freunden")
        program = find_program(program_id) if isinstance(program_id, str) else None
        if program is not None and program.coaching_hours_cap is not None:
            cap = program.coaching_hours_cap
            result["coaching"] = {**coaching, "hours_budget": int(cap) if cap == cap.to_integral_value() else cap}
            added.add("/coaching/hours_budget")
            problems.append(MIGRATION_ASSUMED.problem("/coaching", cap=cap, cap_de=number_de(cap)))
    rename_back = moved("/municipalities", "/local_authorities")

    def back(path: str) -> str:
        # A value the step added is not in the input: its problems belong to the object holding it.
        parts = path.split("/", 4)
        for depth in (4, 3):
            head = "/".join(parts[:depth])
            if head in added:
                return head.rsplit("/", 1)[0]
        return rename_back(path)

    return StepResult(result, tuple(problems), back)
