"""The command line: ``willkommen validate | schema | rules | example``.

Built on :mod:`argparse`: it is in the standard library, so the command adds
no dependency to install or keep in step, and it costs almost nothing at
start-up (checking one small file is dominated by importing attrs and cattrs).

Exit codes: 0 every record valid, 1 problems found, 2 a usage error (an
unknown option, a path that does not exist, a module ``--import`` cannot
import, an unknown rule code).

``validate --format json`` writes one JSON document, version 1, streamed
record by record so that memory stays flat for any size of input::

    {"version": 1,
     "files": [
       {"path": "data/alliances.jsonl",
        "records": [
          {"line": 3, "valid": false,
           "problems": [{"code": "missing", "path": "/goals", "severity": "error",
                         "message": "required key 'goals' is missing"}]}]}],
     "summary": {"files": 1, "records": 1, "valid": 0, "invalid": 1, "errors": 1, "warnings": 0}}

``line`` is the line number in a JSON Lines file, null for a ``.json`` file
(and for a problem of a whole file, such as ``unreadable_file``). ``path`` is
an RFC 6901 JSON Pointer ("" is the whole document); ``message`` is in the
``--lang`` language. ``valid`` is false when a problem that survived
``--select``/``--ignore`` is an error, or a warning under ``--strict``. New
keys may be added to version 1; none will be removed or change meaning.
"""

import argparse
import codecs
import importlib
import importlib.util
import io
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from willkommen._api import read_text
from willkommen._engine import rules
from willkommen._enums import Severity
from willkommen._example import example_document
from willkommen._model import Alliance
from willkommen._problems import INVALID_JSON, UNREADABLE_FILE, Problem, Rule
from willkommen._tags import tagged_classes

#: Extension modules shipped with willkommen, imported before every command so
#: that their tags, programs and rules are known; skipped if not installed.
SHIPPED_EXTENSIONS = ("willkommen.nrw",)

# A file or line that could not be read at all is always reported: no
# --select or --ignore can make unreadable data look valid.
_ALWAYS_REPORTED = frozenset({UNREADABLE_FILE.code, INVALID_JSON.code})

_FOLDER_SUFFIXES = (".json", ".jsonl")
_LINES_SUFFIX = ".jsonl"
_STDIN = "-"
_STDIN_NAME = "<stdin>"
REPORT_VERSION = 1


class UsageError(Exception):
    """A mistake in the command (exit code 2), not in the data."""


# --- what to read ---------------------------------------------------------------------------------


@attrs.frozen
class Source:
    """One input: a file, standard input (``path`` None), or a folder that could not be listed.

    ``found`` is true for a file found in a folder, false for one named on the
    command line: only a named file may be a pipe or a device (``<(zcat x.gz)``).
    """

    name: str
    path: Path | None
    lines: bool
    error: OSError | None = None
    found: bool = False


def _walk(folder: Path) -> list[Source]:
    """The ``*.json`` and ``*.jsonl`` files below *folder*, sorted; unlistable folders as errors."""
    found: list[Source] = []

    def unlistable(exc: OSError) -> None:
        name = str(exc.filename) if exc.filename is not None else str(folder)
        found.append(Source(name, Path(name), lines=False, error=exc))

    # os.walk, not Path.rglob: rglob skips a folder it cannot list without a word.
    # Links to folders are not followed (followlinks=False), so no loop is possible.
    for root, _, files in os.walk(folder, onerror=unlistable):
        for file in files:
            if file.lower().endswith(_FOLDER_SUFFIXES):
                path = Path(root, file)
                found.append(Source(str(path), path, lines=path.suffix.lower() == _LINES_SUFFIX, found=True))
    return sorted(found, key=lambda source: source.name)


def _sources(arguments: Sequence[str], *, stdin_lines: bool) -> list[Source]:
    """Every input named on the command line, folders expanded, in the order given."""
    if arguments.count(_STDIN) > 1:
        raise UsageError("'-' (standard input) can be given once")
    # lexists: a broken link exists; reading it fails, and that is a problem of the data.
    missing = [argument for argument in arguments if argument != _STDIN and not os.path.lexists(argument)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(repr(m) for m in missing)}")
    sources: list[Source] = []
    for argument in arguments:
        path = Path(argument)
        if argument == _STDIN:
            sources.append(Source(_STDIN_NAME, None, lines=stdin_lines))
        elif path.is_dir():
            sources.extend(_walk(path))
        else:
            sources.append(Source(argument, path, lines=path.suffix.lower() == _LINES_SUFFIX))
    return sources


# --- reading records ------------------------------------------------------------------------------


@attrs.frozen
class Record:
    """One document read: its line (None for a whole file), its problems, and the bytes it took."""

    line: int | None
    problems: list[Problem]
    size: int = 0


def _unreadable(exc: OSError) -> Problem:
    return UNREADABLE_FILE.problem("", reason=exc.strerror or str(exc) or type(exc).__name__)


# Opening a FIFO for reading waits for a writer; non-blocking, it returns at once.
_NOT_REGULAR = "not a regular file but a pipe, socket or device"
_OPEN_FOUND = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _open(source: Source) -> IO[bytes]:
    """Open a file; one found in a folder must be a regular file, so a FIFO there cannot hang the run."""
    assert source.path is not None
    if not source.found:
        return source.path.open("rb")
    # Look before opening: opening a device can act (a tape rewinds), a socket cannot be opened at all.
    if not stat.S_ISREG(source.path.stat().st_mode):
        raise OSError(_NOT_REGULAR)
    descriptor = os.open(source.path, _OPEN_FOUND)
    try:
        # Again on what was opened: the name may have changed hands in between.
        regular = stat.S_ISREG(os.fstat(descriptor).st_mode)
    except OSError:
        os.close(descriptor)
        raise
    if not regular:
        os.close(descriptor)
        raise OSError(_NOT_REGULAR)
    # O_NONBLOCK changes nothing for reading a regular file, so it can stay.
    return os.fdopen(descriptor, "rb")


# JSON's whitespace: a line of only these is blank. Not bytes.strip()'s set,
# which would also skip a line holding nothing but a form feed, unreported.
_JSON_BLANKS = b" \t\r\n"


def _read_lines(stream: IO[bytes]) -> Iterator[Record]:
    # One line in memory at a time, however long the file. Blank lines separate
    # nothing in JSON Lines and are skipped; "\r\n" is whitespace to the parser.
    for number, raw in enumerate(stream, start=1):
        if raw.strip(_JSON_BLANKS):
            yield Record(number, read_text(raw).problems, len(raw))


def _records(source: Source, stdin: Callable[[], IO[bytes]]) -> Iterator[Record]:
    """The records of one input; a failure to read is a record with ``unreadable_file``."""
    if source.error is not None:
        yield Record(None, [_unreadable(source.error)])
        return
    try:
        if source.path is None:
            stream = stdin()
            if source.lines:
                yield from _read_lines(stream)
            else:
                data = stream.read()
                yield Record(None, read_text(data).problems, len(data))
        elif source.lines:
            with _open(source) as stream:
                yield from _read_lines(stream)
        else:
            with _open(source) as stream:
                data = stream.read()
            yield Record(None, read_text(data).problems, len(data))
    except OSError as exc:
        # Permission denied, a broken link, a folder named like a file: the
        # file's problem, and the other files are still checked.
        yield Record(None, [_unreadable(exc)])


# --- which problems count -------------------------------------------------------------------------


def _matches(code: str, selector: str) -> bool:
    """Whether *selector* is *code* or a prefix of it on dotted segments (``offering`` ⊃ ``offering.x``)."""
    return code == selector or code.startswith(selector + ".")


def _selectors(values: Iterable[str] | None) -> tuple[str, ...]:
    """``--select a,b --select c`` as ``("a", "b", "c")``; each must name a known code or prefix."""
    selectors = tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())
    codes = [entry.code for entry in rules()]
    unknown = [s for s in selectors if not any(_matches(code, s) for code in codes)]
    if unknown:
        # A typo would otherwise select nothing, or ignore nothing, without a word.
        raise UsageError(
            f"no rule code is or starts with {', '.join(repr(u) for u in unknown)} (see 'willkommen rules')"
        )
    return selectors


@attrs.frozen
class Policy:
    """Which problems are reported (``--select``, ``--ignore``) and which fail (``--strict``)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False

    def reports(self, problem: Problem) -> bool:
        """Whether *problem* is shown and counted."""
        if problem.code in _ALWAYS_REPORTED:
            return True
        if self.select and not any(_matches(problem.code, s) for s in self.select):
            return False
        return not any(_matches(problem.code, s) for s in self.ignore)

    def fails(self, problem: Problem) -> bool:
        """Whether *problem* makes its record invalid."""
        return problem.is_error or self.strict


# --- reporting ------------------------------------------------------------------------------------


def printable(text: str) -> str:
    """*text* with every character a terminal would act on or hide written as an escape.

    Keys and file names come from the data: a newline in one must not split a
    line of the report, an escape sequence must not recolour the terminal, a
    bidirectional override must not reorder what is shown.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _json_text(value: object, *, indent: int | None = None) -> str:
    """JSON for standard output: UTF-8 as it is, otherwise ASCII escapes, so it stays JSON in any encoding."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    return json.dumps(value, ensure_ascii=not utf8, indent=indent)


@attrs.define
class Summary:
    """The counts the run ends with."""

    files: int = 0
    records: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0

    def count(self, problems: Sequence[Problem], *, valid: bool) -> None:
        """Count one record and its reported problems."""
        self.records += 1
        self.valid += valid
        self.invalid += not valid
        self.errors += sum(p.is_error for p in problems)
        self.warnings += sum(not p.is_error for p in problems)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary_line(summary: Summary, lang: str) -> str:
    """The last line of the text report, in *lang*."""
    s = summary
    if lang == "de":
        return (
            f"{_plural(s.files, 'Datei', 'Dateien')}, {_plural(s.records, 'Datensatz', 'Datensätze')}: "
            f"{s.valid} gültig, {s.invalid} ungültig "
            f"({_plural(s.errors, 'Fehler', 'Fehler')}, {_plural(s.warnings, 'Warnung', 'Warnungen')})"
        )
    return (
        f"{_plural(s.files, 'file', 'files')}, {_plural(s.records, 'record', 'records')}: "
        f"{s.valid} valid, {s.invalid} invalid "
        f"({_plural(s.errors, 'error', 'errors')}, {_plural(s.warnings, 'warning', 'warnings')})"
    )


class TextReport:
    """One line per problem, ``file[:line]: path: severity code: message``, then the summary."""

    def __init__(self, out: Callable[[str], None], lang: str) -> None:
        self.out = out
        self.lang = lang

    def begin(self) -> None:
        """Nothing to say before the first file."""

    def start_file(self, source: Source) -> None:
        """Nothing to say before a file's problems."""

    def record(self, source: Source, record: Record, problems: Sequence[Problem], *, valid: bool) -> None:
        """A line for each problem of the record."""
        del valid
        where = source.name if record.line is None else f"{source.name}:{record.line}"
        for problem in problems:
            # "/" stands for the whole document, whose JSON Pointer is "".
            self.out(
                printable(
                    f"{where}: {problem.path or '/'}: {problem.severity.value} {problem.code}: "
                    f"{problem.message_in(self.lang)}"
                )
            )

    def end_file(self) -> None:
        """Nothing to say after a file's problems."""

    def finish(self, summary: Summary) -> None:
        """The summary line."""
        self.out(summary_line(summary, self.lang))


class JsonReport:
    """The JSON report (see the module docstring), written as the records come."""

    def __init__(self, out: Callable[[str], None], lang: str) -> None:
        self.out = out
        self.lang = lang
        self.files = 0
        self.records = 0

    def begin(self) -> None:
        """Open the document."""
        self.out(f'{{"version": {REPORT_VERSION}, "files": [')

    def start_file(self, source: Source) -> None:
        """Open a file's entry."""
        comma = "," if self.files else ""
        self.out(f'{comma}{{"path": {_json_text(source.name)}, "records": [')
        self.files += 1
        self.records = 0

    def record(self, source: Source, record: Record, problems: Sequence[Problem], *, valid: bool) -> None:
        """One record's entry."""
        del source
        entry = {
            "line": record.line,
            "valid": valid,
            "problems": [
                {"code": p.code, "path": p.path, "severity": p.severity.value, "message": p.message_in(self.lang)}
                for p in problems
            ],
        }
        self.out(("," if self.records else "") + _json_text(entry))
        self.records += 1

    def end_file(self) -> None:
        """Close a file's entry."""
        self.out("]}")

    def finish(self, summary: Summary) -> None:
        """Close the list of files and add the summary."""
        self.out(f'], "summary": {json.dumps(attrs.asdict(summary))}}}')


class Progress:
    """A one-line progress bar on standard error, only on a terminal and only for long runs.

    It appears after ``DELAY`` seconds, so a quick run never shows it, and
    redraws at most every ``INTERVAL`` seconds. The bar measures bytes, so it
    moves for a folder of small files and for one large JSON Lines file alike.
    """

    WIDTH = 24
    DELAY = 1.0
    INTERVAL = 0.1

    def __init__(
        self,
        stream: IO[str],
        total: Callable[[], int],
        *,
        clock: Callable[[], float] = time.monotonic,
        delay: float | None = None,
    ) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.clock = clock
        self.started = clock()
        self.delay = self.DELAY if delay is None else delay
        self.drawn_at: float | None = None
        self.done = 0
        self.records = 0
        # Stat every file only when a bar may be drawn.
        self.total = total() if self.enabled else 0

    def update(self, size: int) -> None:
        """Count one record of *size* bytes; redraw if it is time."""
        self.done += size
        self.records += 1
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay or (self.drawn_at is not None and now - self.drawn_at < self.INTERVAL):
            return
        self.drawn_at = now
        records = f"{self.records:,} records"
        if self.total > 0:
            share = min(self.done / self.total, 1.0)
            filled = round(share * self.WIDTH)
            records = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {share:4.0%}  {records}"
        self.stream.write(f"\r{records}")
        self.stream.flush()

    def clear(self) -> None:
        """Remove the bar, before other output or at the end."""
        if self.drawn_at is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn_at = None


def _total_size(sources: Sequence[Source]) -> int:
    total = 0
    for source in sources:
        if source.path is not None and source.error is None:
            try:
                total += source.path.stat().st_size
            except OSError:
                continue  # reading it will report the problem
    return total


# --- the commands ---------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    policy = Policy(select=_selectors(args.select), ignore=_selectors(args.ignore), strict=args.strict)
    sources = _sources(args.paths, stdin_lines=args.jsonl)
    progress = Progress(sys.stderr, lambda: _total_size(sources))

    def out(text: str) -> None:
        progress.clear()
        print(text)

    report = (JsonReport if args.format == "json" else TextReport)(out, args.lang)
    report.begin()
    summary = Summary()
    for source in sources:
        summary.files += 1
        report.start_file(source)
        for record in _records(source, lambda: sys.stdin.buffer):
            problems = [p for p in record.problems if policy.reports(p)]
            valid = not any(policy.fails(p) for p in problems)
            summary.count(problems, valid=valid)
            report.record(source, record, problems, valid=valid)
            progress.update(record.size)
        report.end_file()
    progress.clear()
    report.finish(summary)
    if not sources:
        print("willkommen: no *.json or *.jsonl files found", file=sys.stderr)
    return 1 if summary.invalid else 0


def _roots() -> dict[str, type]:
    """The classes ``schema --root`` can describe: ``alliance`` and each tagged alliance class."""
    return {"alliance": Alliance, **tagged_classes(Alliance)}


def _schema(args: argparse.Namespace) -> int:
    # Imported here: only this command needs it.
    from willkommen._schema import json_schema  # noqa: PLC0415

    roots = _roots()
    if args.root not in roots:
        raise UsageError(f"unknown --root {args.root!r}: choose from {', '.join(map(repr, roots))}")
    print(_json_text(json_schema(roots[args.root]), indent=2))
    return 0


_RULE_LABELS = {
    "en": {"checks": "checks", "reader": "the reader (structure)", "source": "source", "message": "message"},
    "de": {"checks": "prüft", "reader": "das Einlesen (Struktur)", "source": "Quelle", "message": "Meldung"},
}


def _rule_entry(entry: Rule, lang: str) -> dict[str, Any]:
    return {
        "code": entry.code,
        "severity": entry.severity.value,
        "description": entry.description_de if lang == "de" else entry.description,
        "message": entry.message_de if lang == "de" else entry.message,
        "source": entry.source,
        "applies_to": entry.applies_to.__qualname__ if entry.applies_to is not None else None,
    }


def _severity_text(severity: Severity, lang: str) -> str:
    return severity.label_de if lang == "de" else severity.value


def _rules(args: argparse.Namespace) -> int:
    catalogue = rules()
    if args.code is not None:
        catalogue = tuple(entry for entry in catalogue if entry.code == args.code)
        if not catalogue:
            raise UsageError(f"no rule has the code {args.code!r} (see 'willkommen rules')")
    if args.format == "json":
        document = {"version": REPORT_VERSION, "rules": [_rule_entry(entry, args.lang) for entry in catalogue]}
        print(_json_text(document, indent=2))
    elif args.code is not None:
        (entry,) = catalogue
        labels = _RULE_LABELS[args.lang]
        shown = _rule_entry(entry, args.lang)
        print(f"{entry.code} ({_severity_text(entry.severity, args.lang)})")
        print(f"  {shown['description']}")
        print(f"  {labels['checks']}: {shown['applies_to'] or labels['reader']}")
        print(f"  {labels['source']}: {entry.source}")
        print(f"  {labels['message']}: {shown['message']}")
    else:
        width = max(len(entry.code) for entry in catalogue)
        for entry in catalogue:
            description = entry.description_de if args.lang == "de" else entry.description
            print(f"{entry.code:<{width}}  {_severity_text(entry.severity, args.lang):<7}  {description}")
    return 0


def _example(args: argparse.Namespace) -> int:
    del args
    print(_json_text(example_document(), indent=2))
    return 0


# --- the parser and the entry point ---------------------------------------------------------------


def _import_extensions(modules: Iterable[str]) -> None:
    """Import the shipped extensions (if installed) and the user's, so that their tags and rules register."""
    for name in SHIPPED_EXTENSIONS:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    # Like `python -m`, find a user's module in the working folder; last, so it shadows nothing.
    if modules and str(Path.cwd()) not in sys.path:
        sys.path.append(str(Path.cwd()))
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - any failure of the user's module is a usage error
            raise UsageError(f"cannot import {name!r}: {type(exc).__name__}: {exc}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="willkommen",
        description="Check, describe and start data files of local alliances for young refugees.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extensions = argparse.ArgumentParser(add_help=False)
    extensions.add_argument(
        "--import",
        dest="modules",
        action="append",
        default=[],
        metavar="MODULE",
        help="import an extension module first, so that its classes, tags and rules are known (repeatable)",
    )
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument("--lang", choices=("en", "de"), default="en", help="language of messages (default: en)")
    language.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    validate = commands.add_parser(
        "validate",
        parents=[extensions, language],
        help="check files, folders (*.json, *.jsonl) and standard input",
        description="Check alliance data. Exit code 0: all valid; 1: problems found; 2: usage error.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="a .json or .jsonl file, a folder, or - for stdin")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.add_argument(
        "--select", action="append", metavar="CODES", help="report only these codes or code prefixes (comma-separated)"
    )
    validate.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="do not report these codes or code prefixes (comma-separated)",
    )
    validate.add_argument("--jsonl", action="store_true", help="read standard input as JSON Lines")
    validate.set_defaults(parser=validate, run=_validate)

    schema = commands.add_parser(
        "schema", parents=[extensions], help="print the JSON Schema (Draft 2020-12) of the data format"
    )
    schema.add_argument(
        "--root", default="alliance", help="the document's class: alliance (default) or the tag of an alliance class"
    )
    schema.set_defaults(parser=schema, run=_schema)

    rules_ = commands.add_parser("rules", parents=[extensions, language], help="list the rule codes, or explain one")
    rules_.add_argument("code", nargs="?", metavar="CODE", help="the code to explain")
    rules_.set_defaults(parser=rules_, run=_rules)

    example = commands.add_parser("example", help="print a valid example alliance as JSON")
    example.set_defaults(parser=example, run=_example, modules=[])
    return parser


def _quiet_broken_pipe() -> None:
    # The reader (`| head`) is gone: send the rest to nowhere, so that the
    # interpreter's final flush does not fail too (Python docs, "Note on SIGPIPE").
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Never a traceback for a character the terminal's encoding lacks (≤, ü on cp1252).
        sys.stdout.reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        # argparse has printed its message; keep its exit code (2, or 0 for --help).
        return exc.code if isinstance(exc.code, int) else 2
    try:
        _import_extensions(args.modules)
        code: int = args.run(args)
    except UsageError as exc:
        # As argparse reports its own usage errors: the command's usage, then the message.
        args.parser.print_usage(sys.stderr)
        print(f"{args.parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _quiet_broken_pipe()
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover - `python -m willkommen` runs __main__.py
    sys.exit(main())
