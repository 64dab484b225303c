"""The rivals: the alliance document as pydantic v2 models and as msgspec Structs.

Both read exactly the document format of ``willkommen.dump`` with the same strictness:
unknown keys are errors, nothing is coerced (no ``"1"`` for 1, no 1 for ``"1"``, no
``true`` for a number), dates are ``YYYY-MM-DD`` strings, enumerations take only
willkommen's values, ``NaN`` is refused.

Hours are typed ``float``, not ``Decimal``: both rivals would otherwise also accept
hours written as strings (``"2.5"``), a coercion willkommen refuses. Sums are taken
exactly, as willkommen does, by ``Decimal(repr(hours))``: willkommen accepts only hours
that read back unchanged through a float, so the two agree on every accepted value.

Both run the same subset of rules (``rival_rules.py``) where their users would:
pydantic in a ``model_validator(mode="after")``, msgspec in ``__post_init__``. What
the rivals do not do, and willkommen does: the other rules (23 in all), messages in
two languages, repeated-key detection, rules on partly unreadable documents, and
(msgspec) more than the first structural error.

Each rival lives in its own module (``rival_pydantic.py``, ``rival_msgspec.py``), so a
process that uses one imports only that library. Usage::

    python benchmarks/rivals.py                          # the sanity test
    python benchmarks/rivals.py validate pydantic FILE   # like `willkommen validate`;
                                                         # FILE.jsonl: one document a line
"""

import argparse
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

RIVALS = ("pydantic", "msgspec")


def rival(name: str) -> ModuleType:
    """The module of one rival: ``loads``, ``dumps``, ``findings_of``, ``ValidationError``."""
    return importlib.import_module(f"rival_{name}")


def _rejects(module: ModuleType, data: bytes) -> tuple[bool, set[tuple[str, str]]]:
    """Whether the rival refuses *data*, and the rule findings it gave if it got that far."""
    try:
        module.loads(data)
    except module.ValidationError as exc:
        return True, {(f.code, f.path) for f in module.findings_of(exc)}
    return False, set()


def _strictness_cases(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Small documents, each wrong in one way that willkommen refuses without a rule."""
    import copy  # noqa: PLC0415 - only the sanity test copies documents

    def variant(label: str, path: tuple[Any, ...], value: object) -> tuple[str, dict[str, Any]]:
        bad = copy.deepcopy(doc)
        target = bad
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return label, bad

    yield variant("an unknown key", ("partners", 0, "homepage"), "x")
    yield variant("hours as a string", ("coaching", "sessions", 0, "hours"), "2.5")
    yield variant("a number for a string", ("partners", 0, "name"), 7)
    yield variant("true for a number", ("coaching", "hours_budget"), value=True)
    yield variant("a compact date", ("founded_on",), "20150901")
    yield variant("a word not in the enumeration", ("origin",), "old")
    yield variant("schema version 3", ("schema_version",), 3)
    yield variant("too few partners", ("partners",), doc["partners"][:2])


def _same_code_lists() -> list[str]:
    import rival_rules  # noqa: PLC0415 - the sanity test's own imports stay inside it

    import willkommen  # noqa: PLC0415
    import willkommen.nrw  # noqa: PLC0415

    failures = []
    for name, values in rival_rules.VALUES.items():
        enum = getattr(willkommen, name, None) or getattr(willkommen.nrw, name)
        theirs = tuple(member.value for member in enum)
        if values != theirs:
            failures.append(f"code list {name} differs from willkommen's: {set(values) ^ set(theirs)}")
    land_keys = {state.value: state.land_key for state in willkommen.State}
    if land_keys != rival_rules.LAND_KEYS:
        failures.append("Land keys differ from willkommen's")
    return failures


def _tagged_failures(name: str, module: ModuleType) -> list[str]:
    """The rival reads the tagged NRW document as willkommen does (its two extra fields included)."""
    import corpus  # noqa: PLC0415

    import willkommen  # noqa: PLC0415

    tagged = corpus.encode(corpus.tagged_nrw())
    try:
        nrw = module.loads_nrw(tagged)
    except module.ValidationError as exc:
        return [f"{name} refuses the tagged NRW document: {str(exc)[:300]}"]
    ours = willkommen.loads(tagged)
    if (nrw.coordinating_office, nrw.target_group.count) != (ours.coordinating_office, ours.target_group.count):
        return [f"{name} reads the tagged NRW document differently"]
    return []


def sanity_check() -> list[str]:
    """Each rival accepts the valid corpus and rejects the invalid one; empty list: all good."""
    import corpus  # noqa: PLC0415 - run from benchmarks/, like run.py

    import willkommen  # noqa: PLC0415

    failures = _same_code_lists()
    valid = {size: corpus.by_size(size) for size in corpus.SIZES}
    valid |= {f"sessions={n}": corpus.with_sessions(n) for n in corpus.GROWTH_SESSIONS}
    for name in RIVALS:
        module = rival(name)
        for label, doc in valid.items():
            data = corpus.encode(doc)
            try:
                obj = module.loads(data)
            except module.ValidationError as exc:
                failures.append(f"{name} refuses valid {label}: {str(exc)[:300]}")
                continue
            # What the rival writes must read back in willkommen as the same alliance.
            if willkommen.loads(module.dumps(obj)) != willkommen.loads(data):
                failures.append(f"{name}: its dump of {label} reads back differently in willkommen")
        failures += _tagged_failures(name, module)
        expected = set(corpus.INVALID_FINDINGS)
        refused, findings = _rejects(module, corpus.encode(corpus.invalid()))
        if not refused or findings != expected:
            failures.append(f"{name} on invalid: refused={refused}, differences {findings ^ expected}")
        if not _rejects(module, corpus.encode(corpus.invalid_shape()))[0]:
            failures.append(f"{name} accepts invalid_shape")
        for label, bad in _strictness_cases(corpus.small()):
            if not _rejects(module, corpus.encode(bad))[0]:
                failures.append(f"{name} accepts {label}")
            if not willkommen.check(bad):
                failures.append(f"willkommen accepts {label}: the case proves nothing")
    return failures


def _documents(path: Path) -> Iterator[bytes]:
    if path.suffix == ".jsonl":
        # Stream: one line in memory at a time, as a validator of exports should.
        with path.open("rb") as lines:
            yield from (line for line in lines if line.strip())
    else:
        yield path.read_bytes()


def validate(name: str, paths: list[Path]) -> int:
    """What ``willkommen validate`` does, with a rival: check files, count the invalid ones."""
    module = rival(name)
    loads: Callable[[bytes], Any] = module.loads
    checked = invalid = 0
    for path in paths:
        for data in _documents(path):
            checked += 1
            try:
                loads(data)
            except module.ValidationError as exc:
                invalid += 1
                print(f"{path}: {exc}")
    print(f"{checked} document(s) checked, {invalid} invalid")
    return 1 if invalid else 0


def main(argv: list[str] | None = None) -> int:
    """Run the sanity test, or validate files with one rival."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    command = commands.add_parser("validate", help="check JSON files (or .jsonl, one document a line)")
    command.add_argument("rival", choices=RIVALS)
    command.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.rival, args.paths)
    failed = sanity_check()
    print("\n".join(failed) if failed else "rivals: accept the valid corpus, refuse the invalid one, same findings")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
