"""``willkommen migrate``: rewrite files of an older format version as the current one.

For every document (a ``.json`` file, or each line of a ``.jsonl`` file) one
JSON line goes to standard output as soon as it is done::

    {"path": "old/bautzen.json", "line": null, "from_version": 1, "to_version": 2,
     "changed": true, "written": "new/bautzen.json",
     "problems": [{"code": "schema_version.outdated", "path": "/schema_version", ...}]}

``-o DIR`` writes every file it could read into DIR (folders keep their
layout below the folder named); ``--in-place`` rewrites the files that
change; ``--check`` writes nothing and fails if a file would change. A file
with an error (it cannot be read or parsed, or its migration had to drop
something) is never written. Exit codes: 0 all done, 1 a file had an error
(or, with ``--check``, would change), 2 a usage error.
"""

import argparse
import contextlib
import json
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from willkommen._files import Source, open_source, unreadable_problem
from willkommen._json import parse
from willkommen._limits import MAX_FILE_SIZE
from willkommen._migrate import SCHEMA_VERSION, migrate
from willkommen._problems import FILE_TOO_LARGE, Problem


def document_text(document: Any, *, indent: int | None = 2) -> str:
    """*document* as JSON text, decimals exactly as they were read (``33.30`` stays ``33.30``)."""
    nonce = secrets.token_hex(8)
    decimals: list[str] = []

    def swap(value: Any) -> Any:
        # json cannot write a Decimal: a marker string stands in, replaced after.
        if isinstance(value, Decimal):
            decimals.append(str(value))
            return f"\x00{nonce}:{len(decimals) - 1}\x00"
        raise TypeError(type(value).__name__)

    text = json.dumps(document, ensure_ascii=False, indent=indent, default=swap, allow_nan=False)
    for index, exact in enumerate(decimals):
        text = text.replace(json.dumps(f"\x00{nonce}:{index}\x00"), exact, 1)
    return text


@attrs.frozen
class Outcome:
    """What became of one document: its version, whether it changed, its problems, the result."""

    line: int | None
    from_version: int | None
    changed: bool
    problems: tuple[Problem, ...]
    document: Any = None  # the migrated document; None if it must not be written

    @property
    def writable(self) -> bool:
        """Whether the document may be written: it was read, and nothing had to be dropped."""
        return self.document is not None


def _outcome(raw: bytes, line: int | None) -> Outcome:
    data, problems = parse(raw)
    if data is None:
        return Outcome(line, None, changed=False, problems=tuple(problems))
    result = migrate(data)
    found = (*problems, *result.problems)
    failed = any(problem.is_error for problem in found) or result.from_version is None
    return Outcome(line, result.from_version, result.changed, found, None if failed else result.document)


def _outcomes(source: Source) -> Iterator[Outcome]:
    """The documents of a file, one at a time: memory stays flat for any size of JSON Lines.

    A file found in a folder must be a regular file (as for ``validate``): a FIFO there cannot hang the run.
    """
    with open_source(source) as stream:
        if not source.lines:
            # At most the limit validate has (64 MiB): /dev/zero named on the command line must end.
            data = stream.read(MAX_FILE_SIZE + 1)
            yield _too_large(None) if len(data) > MAX_FILE_SIZE else _outcome(data, None)
            return
        number = 0
        while raw := stream.readline(MAX_FILE_SIZE + 1):
            number += 1
            if len(raw) > MAX_FILE_SIZE:
                yield _too_large(number)
                return
            if raw.strip(b" \t\r\n"):
                yield _outcome(raw, number)


def _too_large(line: int | None) -> Outcome:
    what = ("the file", "die Datei") if line is None else ("this line", "diese Zeile")
    problem = FILE_TOO_LARGE.problem("", what=what[0], what_de=what[1], limit=MAX_FILE_SIZE, rest="", rest_de="")
    return Outcome(line, None, changed=False, problems=(problem,))


class _ChangedWhileReadingError(Exception):
    """The file changed while it was being migrated: nothing is written."""


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[Callable[[str], None]]:
    """Write to *target* whole or not at all: a temporary file beside it, renamed at the end."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:

            def write(text: str) -> None:
                stream.write(text)

            yield write
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _line(name: str, outcome: Outcome, written: str | None, lang: str, out: Callable[[str], None]) -> None:
    entry = {
        "path": name,
        "line": outcome.line,
        "from_version": outcome.from_version,
        "to_version": SCHEMA_VERSION,
        "changed": outcome.changed,
        "written": written,
        "problems": [
            {"code": p.code, "path": p.path, "severity": p.severity.value, "message": p.message_in(lang)}
            for p in outcome.problems
        ],
    }
    out(json.dumps(entry, ensure_ascii=False))


Report = Callable[[Outcome, str | None], None]


def _all_writable(outcomes: Iterator[Outcome]) -> Iterator[Outcome]:
    """The outcomes, as long as each may be written; the file changed under us if one may not."""
    for outcome in outcomes:
        if not outcome.writable:
            raise _ChangedWhileReadingError
        yield outcome


def _migrate_file(source: Source, target: Path | None, *, report: Report) -> bool:
    """Report (and write to *target*, if given) every document of a file; whether one could not be written.

    A first pass only looks: a file is written only if every document in it can be.
    """
    bad = changed = False
    for outcome in _outcomes(source):
        bad = bad or not outcome.writable
        changed = changed or outcome.changed
    if bad or target is None or (target == source.path and not changed):
        for outcome in _outcomes(source):
            report(outcome, None)
        return bad
    try:
        with _writing(target) as write:
            for outcome in _all_writable(_outcomes(source)):
                write(document_text(outcome.document, indent=None if source.lines else 2) + "\n")
                report(outcome, str(target))
    except _ChangedWhileReadingError:
        return True
    return False


def run(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """Migrate the files *args* names; one JSON line per document to *out*; the exit code."""
    from willkommen._cli import UsageError, _inputs  # noqa: PLC0415 - the CLI imports this module

    if not args.check and args.output is None and not args.in_place:
        raise UsageError(
            "say where to write: -o DIR or --in-place (or --check to write nothing)",
            "Ziel angeben: -o ORDNER oder --in-place (oder --check, um nichts zu schreiben)",
        )
    if "-" in args.paths:
        raise UsageError(
            "migrate reads files and folders, not standard input",
            "migrate liest Dateien und Ordner, nicht die Standardeingabe",
        )
    failed = False
    for argument in args.paths:
        root = Path(argument)
        for source in _inputs([argument], stdin_lines=False, exclude=()):
            assert source.path is not None  # no standard input here
            relative = source.path.relative_to(root) if root.is_dir() else Path(source.path.name)
            target = None if args.check else Path(args.output) / relative if args.output else source.path

            def report(outcome: Outcome, written: str | None, name: str = source.name) -> None:
                _line(name, outcome, written, args.lang, out)

            error = source.error
            bad = False
            if error is None:
                try:
                    bad = _migrate_file(source, target, report=report)
                    if args.check:
                        bad = bad or any(o.changed for o in _outcomes(source))
                except OSError as exc:
                    error = exc
            if error is not None:
                report(Outcome(None, None, changed=False, problems=(unreadable_problem(error),)), None)
                bad = True
            failed = failed or bad
    return 1 if failed else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the ``migrate`` command (its help line is in ``_cli.py``, with the others')."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a .json or .jsonl file, or a folder")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="DIR", help="write the migrated files into DIR")
    where.add_argument("--in-place", action="store_true", help="rewrite the files that change")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a file would change")
    parser.add_argument("--lang", choices=("en", "de"), default="en", help="language of messages (default: en)")
