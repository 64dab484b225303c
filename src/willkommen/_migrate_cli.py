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
import json
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from willkommen._json import parse
from willkommen._migrate import SCHEMA_VERSION, migrate
from willkommen._problems import Problem


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
    """What became of one document: its version, whether it changed, its problems."""

    line: int | None
    from_version: int | None
    changed: bool
    problems: tuple[Problem, ...]
    text: str | None  # the migrated document as JSON text; None if it must not be written

    @property
    def failed(self) -> bool:
        """Whether the document has an error: it is not written."""
        return any(problem.is_error for problem in self.problems)


def _outcome(raw: bytes, line: int | None, *, indent: int | None) -> Outcome:
    data, problems = parse(raw)
    if data is None:
        return Outcome(line, None, changed=False, problems=tuple(problems), text=None)
    result = migrate(data)
    found = (*problems, *result.problems)
    failed = any(problem.is_error for problem in found) or result.from_version is None
    text = None if failed else document_text(result.document, indent=indent)
    return Outcome(line, result.from_version, result.changed, found, text)


def _outcomes(path: Path, *, lines: bool) -> Iterator[Outcome]:
    with path.open("rb") as stream:
        if not lines:
            yield _outcome(stream.read(), None, indent=2)
            return
        for number, raw in enumerate(stream, start=1):
            if raw.strip(b" \t\r\n"):
                yield _outcome(raw, number, indent=None)


def _write(target: Path, text: str) -> None:
    """Write *text* to *target* whole or not at all: a temporary file beside it, then a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
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


def run(args: argparse.Namespace, out: Callable[[str], None]) -> int:  # noqa: C901 - one loop, its cases named
    """Migrate the files *args* names; one JSON line per document to *out*; the exit code."""
    from willkommen._cli import UsageError, _sources, _unreadable  # noqa: PLC0415 - the CLI imports this module

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
        for source in _sources([argument], stdin_lines=False):
            assert source.path is not None  # no standard input here
            relative = source.path.relative_to(root) if root.is_dir() else Path(source.path.name)
            try:
                outcomes = list(_outcomes(source.path, lines=source.lines)) if source.error is None else None
            except OSError as exc:
                outcomes = None
                error: OSError | None = exc
            else:
                error = source.error
            if outcomes is None:
                assert error is not None
                problem = _unreadable(error)
                _line(
                    source.name,
                    Outcome(None, None, changed=False, problems=(problem,), text=None),
                    None,
                    args.lang,
                    out,
                )
                failed = True
                continue
            bad = any(outcome.failed or outcome.text is None for outcome in outcomes)
            changed = any(outcome.changed for outcome in outcomes)
            written: str | None = None
            if not bad and not args.check:
                target = Path(args.output) / relative if args.output is not None else source.path
                if args.output is not None or changed:
                    texts = [outcome.text or "" for outcome in outcomes]
                    _write(target, "\n".join(texts) + "\n")
                    written = str(target)
            for outcome in outcomes:
                _line(source.name, outcome, written, args.lang, out)
            failed = failed or bad or (args.check and changed)
    return 1 if failed else 0


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """The ``migrate`` subcommand."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "migrate",
        parents=parents,
        help="rewrite files of an older format version as the current one",
        description=(
            "Upgrade data files to the current format version. One JSON line per document on standard output."
            " Exit code 0: done; 1: a file had an error, or would change under --check; 2: usage error."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a .json or .jsonl file, or a folder")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="DIR", help="write the migrated files into DIR")
    where.add_argument("--in-place", action="store_true", help="rewrite the files that change")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a file would change")
    parser.add_argument("--lang", choices=("en", "de"), default="en", help="language of messages (default: en)")
    return parser
