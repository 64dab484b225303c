"""The command line: ``willkommen validate | report | convert | template | migrate | schema | rules | example``.

Built on :mod:`argparse`: it is in the standard library, so the command adds
no dependency to install or keep in step. Start-up counts, since one small
file is checked in a fraction of the time it takes to start: only the parser
of the command that runs is built (:func:`_parser`), and what one command
needs (a report format, the migration, the spreadsheet libraries) is imported
by that command (``docs/performance.md``, start-up).

Exit codes:

- 0: every record is valid (warnings allowed, unless ``--strict``);
- 1: problems were found in the data;
- 2: a usage error: an unknown option, a path that does not exist, an
  unknown rule code, a module ``--import`` cannot import (or that raises or
  calls ``sys.exit`` while being imported);
- 3: the checker itself failed: a rule raised an exception. That is a bug in
  the rule, not a problem of the data: the report names the rule, the file
  and the record, the traceback goes to standard error, and every other
  record and file is still checked. It wins over 1.
- 4: the output could not be written (a full disk, a closed standard
  output, a reader that went away): one line on standard error says why.

Standard error may be closed or broken: it carries only the progress bar,
tracebacks and such messages, never the outcome.

An output that is an input (``--valid-out``, ``--invalid-out``) is a usage
error too. ``report`` exits 0 when the report is written (its footer counts
the records left out), 3 when a rule raised.

``validate --format html|csv|github|junit`` are the formats of ``_formats.py``;
``report`` writes the summaries of ``_reports.py``.

``validate --format json`` writes one JSON document, version 1, streamed
record by record so that memory stays flat for any size of input::

    {"version": 1,
     "files": [
       {"path": "data/alliances.jsonl",
        "records": [
          {"line": 3, "valid": false,
           "problems": [{"code": "invalid_value", "path": "/partners/0/kind", "severity": "error",
                         "message": "..."}],
           "skipped_rules": ["alliance.too_few_partners", "alliance.unknown_lead"], "unread": ["partners"]},
          {"line": 4, "valid": false, "problems": [],
           "failure": {"rule": "my.rule", "exception": "ZeroDivisionError", "message": "division by zero"}}]}],
     "summary": {"files": 1, "records": 2, "valid": 0, "invalid": 1, "errors": 1, "warnings": 0, "failures": 1}}

``line`` is the line number in a JSON Lines file, null for a ``.json`` file
(and for a problem of a whole file, such as ``unreadable_file``). ``path`` is
an RFC 6901 JSON Pointer ("" is the whole document); ``message`` is in the
``--lang`` language. ``valid`` is false when a problem that survived
``--select``/``--ignore`` is an error, or a warning under ``--strict``, and
for a record whose check failed. ``skipped_rules`` (present when not empty)
names the rules that could not run because a part of the document failed to
read, ``unread`` those parts (top-level keys): fixing them may reveal more
problems. ``failure`` (present only
then) says which rule raised what; such a record counts under ``failures``,
not ``invalid``. New keys may be added to version 1; none will be removed or
change meaning.
"""

import argparse
import codecs
import contextlib
import gc
import importlib
import io
import json
import os
import re
import sys
import time
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from willkommen._engine import RENAMED_CODES, failed_rule, rules
from willkommen._enums import Severity
from willkommen._errors import MissingExtraError, ValidationError
from willkommen._files import Failure, Record, Source, sources, total_size
from willkommen._german import CLASS_NAMES_DE, HELP_DE, os_error_de, usage_error_de
from willkommen._limits import MAX_FILE_SIZE
from willkommen._model import Alliance
from willkommen._plan import UnsupportedType
from willkommen._problems import DUPLICATE_ALLIANCE_ID, FILE_TOO_LARGE, INVALID_JSON, UNREADABLE_FILE, Problem, Rule
from willkommen._run import Run
from willkommen._split import Split
from willkommen._tags import tagged_classes
from willkommen._text import exception_text, printable, shown_path

# A file or line that could not be read at all is always reported: no
# --select or --ignore can make unreadable data look valid.
_ALWAYS_REPORTED = frozenset({UNREADABLE_FILE.code, INVALID_JSON.code, FILE_TOO_LARGE.code})

_STDIN = "-"
_STDIN_NAME = "<stdin>"
REPORT_VERSION = 1
#: The kinds of ``willkommen report`` (``willkommen.reports.KINDS``).
REPORT_KINDS = ("alliances", "states", "offices", "offerings", "partners")
#: The formats of ``validate --format`` written as files are (UTF-8 whatever the terminal's encoding),
#: each the name of its writer in ``_formats.py`` (imported only when one is asked for).
FILE_FORMATS = {"html": "HtmlReport", "csv": "CsvReport", "github": "GithubReport", "junit": "JunitReport"}


#: The exit codes (see the module docstring).
VALID, INVALID, USAGE, FAILED, OUTPUT_FAILED = 0, 1, 2, 3, 4


class UsageError(Exception):
    """A mistake in the command (exit code 2), not in the data; said in English and German."""

    def __init__(self, message: str, message_de: str) -> None:
        super().__init__(message)
        self.message_de = message_de

    def message_in(self, lang: str) -> str:
        """The message in ``"en"`` or ``"de"``."""
        return self.message_de if lang == "de" else str(self)


def _germanise(parser: argparse.ArgumentParser) -> None:
    """Put the help of *parser* into German: its description, its options, its headings."""
    parser.description = HELP_DE.get(parser.description or "", parser.description)
    for group in parser._action_groups:  # noqa: SLF001 - argparse has no public way to retitle
        group.title = {"positional arguments": "Argumente", "options": "Optionen"}.get(group.title or "", group.title)
    for action in parser._actions:  # noqa: SLF001 - nor to reach the help of its actions
        action.help = HELP_DE.get(action.help or "", action.help)
        for choice in getattr(action, "_choices_actions", ()):
            choice.help = HELP_DE.get(choice.help or "", choice.help)


def _wants_german(argv: Sequence[str]) -> bool:
    """Whether the command line asks for German, read before argparse so that its errors are German too."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == "--lang=de" or (argument == "--lang" and argv[index + 1 : index + 2] == ["de"]):
            return True
    return False


class _Formatter(argparse.HelpFormatter):
    """argparse's layout of help and usage; while an argument is being added, at a fixed width.

    argparse checks every argument it is given by laying it out, with a
    formatter that asks for the terminal's width, which imports shutil (a few
    milliseconds of every start). That check needs no width: while arguments
    are added (``checking``) a fixed one stands in. Text that is shown is laid
    out for the terminal, as before.
    """

    checking = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _Formatter.checking:
            kwargs.setdefault("width", 80)
        super().__init__(*args, **kwargs)


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage line and its errors in German when the command line asks for German."""

    german = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """Add an argument, checked at a fixed width (see :class:`_Formatter`)."""
        _Formatter.checking = True
        try:
            return super().add_argument(*args, **kwargs)
        finally:
            _Formatter.checking = False

    def format_usage(self) -> str:
        """The usage line; ``Aufruf:`` in German."""
        usage = super().format_usage()
        return "Aufruf:" + usage.removeprefix("usage:") if self.german else usage

    def format_help(self) -> str:
        """The help text; in German when asked for."""
        if not self.german:
            return super().format_help()
        _germanise(self)
        return "Aufruf:" + super().format_help().removeprefix("usage:")

    def error(self, message: str) -> typing.NoReturn:
        """Print the usage and *message* (in German if asked for), and exit with code 2."""
        self.print_usage(sys.stderr)
        if self.german:
            self.exit(2, f"{self.prog}: Fehler: {usage_error_de(message)}\n")
        self.exit(2, f"{self.prog}: error: {message}\n")


def _inputs(arguments: Sequence[str], *, stdin_lines: bool, exclude: Sequence[str]) -> list[Source]:
    """Every input named on the command line, folders expanded, in the order given, each once."""
    if arguments.count(_STDIN) > 1:
        raise UsageError(
            "'-' (standard input) can be given once", "'-' (die Standardeingabe) darf nur einmal angegeben werden"
        )
    # lexists: a broken link exists; reading it fails, and that is a problem of the data.
    missing = [argument for argument in arguments if argument != _STDIN and not os.path.lexists(argument)]
    if missing:
        named = ", ".join(repr(m) for m in missing)
        raise UsageError(f"no such file or folder: {named}", f"Datei oder Ordner nicht vorhanden: {named}")
    if _STDIN not in arguments:
        return sources(arguments, exclude)
    index = arguments.index(_STDIN)
    seen: set[str] = set()
    return [
        *sources(arguments[:index], exclude, seen),
        Source(_STDIN_NAME, None, lines=stdin_lines),
        *sources(arguments[index + 1 :], exclude, seen),
    ]


# --- which problems count -------------------------------------------------------------------------


def _matches(code: str, selector: str) -> bool:
    """Whether *selector* is *code* or a prefix of it on dotted segments (``offering`` ⊃ ``offering.x``)."""
    return code == selector or code.startswith(selector + ".")


def _current_code(code: str, lang: str) -> str:
    """*code*, or the code it was renamed to (with a note on standard error)."""
    new = RENAMED_CODES.get(code)
    if new is None:
        return code
    if lang == "de":
        print(f"willkommen: Hinweis: der Code {code!r} heißt seit Formatversion 2 {new!r}", file=sys.stderr)
    else:
        print(f"willkommen: note: the code {code!r} is {new!r} since format version 2", file=sys.stderr)
    return new


def _selectors(values: Iterable[str] | None, lang: str = "en") -> tuple[str, ...]:
    """``--select a,b --select c`` as ``("a", "b", "c")``; each must name a known code or prefix.

    A code renamed by format version 2 stands for its new name.
    """
    selectors = tuple(
        _current_code(part.strip(), lang) for value in values or () for part in value.split(",") if part.strip()
    )
    codes = [entry.code for entry in rules()]
    unknown = [s for s in selectors if not any(_matches(code, s) for code in codes)]
    if unknown:
        # A typo would otherwise select nothing, or ignore nothing, without a word.
        named = ", ".join(repr(u) for u in unknown)
        raise UsageError(
            f"no rule code is or starts with {named} (see 'willkommen rules')",
            f"kein Code einer Regel ist oder beginnt mit {named} (siehe 'willkommen rules')",
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
        return problem.code in _ALWAYS_REPORTED or self.selects(problem.code)

    def selects(self, code: str) -> bool:
        """Whether problems of *code* are of interest (a skipped rule is mentioned only if so)."""
        if self.select and not any(_matches(code, s) for s in self.select):
            return False
        return not any(_matches(code, s) for s in self.ignore)

    def fails(self, problem: Problem) -> bool:
        """Whether *problem* makes its record invalid."""
        return problem.is_error or self.strict


# --- reporting ------------------------------------------------------------------------------------


def _json_text(value: object, *, indent: int | None = None) -> str:
    """JSON for standard output: UTF-8 as it is, otherwise ASCII escapes, so it stays JSON in any encoding."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    text = json.dumps(value, ensure_ascii=not utf8, indent=indent)
    if text.isascii():
        return text
    # The same data, but what a terminal would act on or hide (a bidirectional override, a
    # line separator, a lone surrogate) as a JSON escape: json writes only ASCII controls so.
    return _NON_ASCII.sub(_json_escape, text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _json_escape(match: re.Match[str]) -> str:
    return "".join(c if c.isprintable() else json.dumps(c)[1:-1] for c in match[0])


@attrs.frozen(kw_only=True)
class Outcome:
    """What the report says of one record: its reported problems, whether it passed, what did not run."""

    line: int | None
    problems: Sequence[Problem] = ()
    valid: bool = True
    #: The rules that could not run because a part failed to read, and those parts.
    skipped: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    #: The exception a rule raised: the record could not be checked.
    failure: Exception | SystemExit | None = None


@attrs.define
class Summary:
    """The counts the run ends with."""

    files: int = 0
    records: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    failures: int = 0

    def count(self, outcome: Outcome) -> None:
        """Count one record and its reported problems."""
        self.records += 1
        if outcome.failure is not None:
            self.failures += 1
            return
        self.valid += outcome.valid
        self.invalid += not outcome.valid
        self.errors += sum(p.is_error for p in outcome.problems)
        self.warnings += sum(not p.is_error for p in outcome.problems)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary_line(summary: Summary, lang: str) -> str:
    """The last line of the text report, in *lang*."""
    s = summary
    if lang == "de":
        failed = f"; {_plural(s.failures, 'Prüfung', 'Prüfungen')} gescheitert" if s.failures else ""
        return (
            f"{_plural(s.files, 'Datei', 'Dateien')}, {_plural(s.records, 'Datensatz', 'Datensätze')}: "
            f"{s.valid} gültig, {s.invalid} ungültig "
            f"({_plural(s.errors, 'Fehler', 'Fehler')}, {_plural(s.warnings, 'Warnung', 'Warnungen')}){failed}"
        )
    failed = f"; {_plural(s.failures, 'check', 'checks')} failed" if s.failures else ""
    return (
        f"{_plural(s.files, 'file', 'files')}, {_plural(s.records, 'record', 'records')}: "
        f"{s.valid} valid, {s.invalid} invalid "
        f"({_plural(s.errors, 'error', 'errors')}, {_plural(s.warnings, 'warning', 'warnings')}){failed}"
    )


#: How the text report names the place of a problem of the whole document (JSON Pointer "").
DOCUMENT = "(document)"
DOCUMENT_DE = "(Dokument)"


def _exception_text(error: BaseException) -> str:
    # Bounded and escaped, and never raising: the exception is a rule's, its text anything.
    text = exception_text(error)
    return text if text == type(error).__name__ else f"{type(error).__name__}: {text}"


def failure_text(outcome: Outcome, lang: str) -> str:
    """What the text report says of a record whose check raised."""
    assert outcome.failure is not None
    code = failed_rule(outcome.failure)
    error = _exception_text(outcome.failure)
    if lang == "de":
        who = f"die Regel {code}" if code else "die Prüfung"
        return f"{who} ist gescheitert: {error} (ein Fehler im Code, nicht in den Daten; Traceback auf stderr)"
    who = f"the rule {code}" if code else "the check"
    return f"{who} failed: {error} (a bug in the code, not a problem of the data; traceback on standard error)"


def skipped_text(outcome: Outcome, lang: str) -> str:
    """What the text report says of the rules that could not run."""
    count = len(outcome.skipped)
    quoted = [repr(part) for part in outcome.unread]
    if lang == "de":
        parts = " und ".join(filter(None, [", ".join(quoted[:-1]), quoted[-1]]))
        return (
            f"{_plural(count, 'Regel lief', 'Regeln liefen')} nicht, weil {parts} nicht gelesen werden konnte "
            f"({', '.join(outcome.skipped)}); nach der Korrektur können weitere Probleme folgen"
        )
    parts = " and ".join(filter(None, [", ".join(quoted[:-1]), quoted[-1]]))
    return (
        f"{_plural(count, 'rule', 'rules')} did not run because {parts} could not be read "
        f"({', '.join(outcome.skipped)}); more problems may follow once that is fixed"
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

    def record(self, source: Source, outcome: Outcome) -> None:
        """A line for each problem of the record, for a failed check, and for rules that did not run."""
        where = source.name if outcome.line is None else f"{source.name}:{outcome.line}"
        german = self.lang == "de"
        document = DOCUMENT_DE if german else DOCUMENT
        lines = [
            # A spreadsheet's cell first (Partner!C4 (Art)), as its user looks for it.
            f"{where}: {'' if problem.location is None else f'{problem.location}: '}"
            f"{shown_path(problem.path, whole=document)}: {_severity_text(problem.severity, self.lang)} "
            f"{problem.code}: "
            f"{problem.message_in(self.lang)}"
            for problem in outcome.problems
        ]
        if outcome.failure is not None:
            label = "Ausfall" if german else "failure"
            lines.append(f"{where}: {document}: {label}: {failure_text(outcome, self.lang)}")
        if outcome.skipped:
            label = "Hinweis" if german else "note"
            lines.append(f"{where}: {document}: {label}: {skipped_text(outcome, self.lang)}")
        for line in lines:
            self.out(printable(line))

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

    def record(self, source: Source, outcome: Outcome) -> None:
        """One record's entry."""
        del source
        entry: dict[str, Any] = {
            "line": outcome.line,
            "valid": outcome.valid,
            "problems": [_problem_entry(p, self.lang) for p in outcome.problems],
        }
        if outcome.skipped:
            entry["skipped_rules"] = list(outcome.skipped)
            entry["unread"] = list(outcome.unread)
        if outcome.failure is not None:
            entry["failure"] = {
                "rule": failed_rule(outcome.failure),
                "exception": type(outcome.failure).__name__,
                "message": str(outcome.failure),
            }
        self.out(("," if self.records else "") + _json_text(entry))
        self.records += 1

    def end_file(self) -> None:
        """Close a file's entry."""
        self.out("]}")

    def finish(self, summary: Summary) -> None:
        """Close the list of files and add the summary."""
        self.out(f'], "summary": {json.dumps(attrs.asdict(summary))}}}')


def _problem_entry(problem: Problem, lang: str) -> dict[str, Any]:
    """A problem in the JSON report; ``location`` only for a problem found in a spreadsheet."""
    entry: dict[str, Any] = {
        "code": problem.code,
        "path": problem.path,
        "severity": problem.severity.value,
        "message": problem.message_in(lang),
    }
    if problem.location is not None:
        entry["location"] = attrs.asdict(problem.location)
    return entry


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
        stream: IO[str] | None,
        total: Callable[[], int],
        *,
        clock: Callable[[], float] = time.monotonic,
        delay: float | None = None,
    ) -> None:
        self.stream = stream
        self.enabled = _is_terminal(stream)
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
        self._write(f"\r{records}")

    def clear(self) -> None:
        """Remove the bar, before other output or at the end."""
        if self.drawn_at is not None:
            self._write("\r\x1b[K")
            self.drawn_at = None

    def _write(self, text: str) -> None:
        # A broken standard error ends the bar, never the run.
        try:
            assert self.stream is not None  # enabled only with a stream
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False


def _is_terminal(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):  # closed
        return False


# --- the streams ----------------------------------------------------------------------------------


class OutputError(Exception):
    """Standard output cannot take the report (exit code 4)."""


def _print(text: str) -> None:
    """A line of the output, on standard output, which must be there."""
    if sys.stdout is None:
        # Started with standard output closed (`>&-`): print() would drop every line without a word.
        raise OutputError("standard output is closed")
    print(text)


def _to_stderr(text: str) -> None:
    """A line on standard error, if it can take one: a closed or broken one must not change the outcome."""
    try:
        print(text, file=sys.stderr or io.StringIO())
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _stdin() -> IO[bytes] | None:
    return sys.stdin.buffer if sys.stdin is not None else None


def _size(text: str) -> int:
    """A size for ``--max-size``: bytes, or a number with K, M or G (KiB, MiB, GiB)."""
    match = re.fullmatch(r"\s*([0-9]+)\s*(?:([KMG])(?:i?B)?|B)?\s*", text, re.IGNORECASE)
    if match is None or int(match[1]) == 0:
        msg = f"not a size: {text!r} (give bytes, or a number with K, M or G, such as 64M)"
        raise argparse.ArgumentTypeError(msg)
    unit: str | None = match[2]
    power = "KMG".index(unit.upper()) + 1 if unit else 0
    size: int = int(match[1]) * 1024**power
    return size


# --- the commands ---------------------------------------------------------------------------------


def _outcome(found: Record | Failure, policy: Policy) -> Outcome:
    if isinstance(found, Failure):
        return Outcome(line=found.line, valid=False, failure=found.error)
    reading = found.reading
    problems = [p for p in reading.problems if policy.reports(p)]
    return Outcome(
        line=found.line,
        problems=problems,
        valid=not any(policy.fails(p) for p in problems),
        skipped=tuple(code for code in reading.skipped if policy.selects(code)),
        unread=reading.unread,
    )


def _show_traceback(found: Failure, progress: "Progress") -> None:
    import traceback  # noqa: PLC0415 - only a failed check needs it

    progress.clear()
    where = found.file if found.line is None else f"{found.file}:{found.line}"
    _to_stderr(f"willkommen: the check of {printable(where)} failed:")
    # Standard error closed or broken: the report still says it.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        traceback.print_exception(found.error, file=sys.stderr)


def _checked(run: Run, source: Source, policy: Policy) -> Iterator[tuple[Record | Failure, Outcome]]:
    """The records of one source, each with its outcome under the policy, a repeated id among its problems."""
    for found, repeated in run.records(source):
        outcome = _outcome(found, policy)
        if repeated is not None and policy.reports(repeated):
            problems = [*outcome.problems, repeated]
            valid = outcome.valid and not policy.fails(repeated)
            outcome = attrs.evolve(outcome, problems=problems, valid=valid)
        yield found, outcome


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file: the same after resolving links, or one file under two names."""
    if one.resolve() == other.resolve():
        return True
    try:
        return one.samefile(other)
    except OSError:
        return False  # one of them does not exist (yet)


def _apart_from_outputs(sources: list[Source], outputs: dict[str, Path]) -> list[Source]:
    """The sources less the files that are outputs of this run; a named input that is an output is an error."""
    if len(outputs) == 2 and _same_file(*outputs.values()):
        raise UsageError(
            "--valid-out and --invalid-out name the same file", "--valid-out und --invalid-out nennen dieselbe Datei"
        )
    kept = []
    for source in sources:
        clash = next((o for o, p in outputs.items() if source.path is not None and _same_file(source.path, p)), None)
        if clash is None:
            kept.append(source)
        elif source.found:
            # Last run's output in a folder being checked: never read back as data.
            print(f"willkommen: not reading {printable(source.name)}: it is the {clash} of this run", file=sys.stderr)
        else:
            raise UsageError(
                f"{clash} {str(outputs[clash])!r} is also an input: it would be overwritten",
                f"{clash} {str(outputs[clash])!r} ist auch eine Eingabe: sie würde überschrieben",
            )
    return kept


def _writer(progress: "Progress") -> Callable[[str], None]:
    """Write text as it is, in UTF-8 whatever the terminal's encoding: a file format's bytes are fixed."""

    def write(text: str) -> None:
        progress.clear()
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
        else:
            buffer.write(text.encode("utf-8", "backslashreplace"))
            buffer.flush()

    return write


def _report(args: argparse.Namespace, progress: "Progress") -> Any:
    """The report of ``--format``, writing to standard output."""
    if args.format in FILE_FORMATS:
        from willkommen import _formats  # noqa: PLC0415 - only these formats need it (csv, html)

        return getattr(_formats, FILE_FORMATS[args.format])(_writer(progress), args.lang)

    def out(text: str) -> None:
        progress.clear()
        _print(text)

    return (JsonReport if args.format == "json" else TextReport)(out, args.lang)


def _validate(args: argparse.Namespace) -> int:
    policy = Policy(
        select=_selectors(args.select, args.lang), ignore=_selectors(args.ignore, args.lang), strict=args.strict
    )
    outputs = {o: p for o, p in (("--valid-out", args.valid_out), ("--invalid-out", args.invalid_out)) if p is not None}
    inputs = _apart_from_outputs(_inputs(args.paths, stdin_lines=args.jsonl, exclude=args.exclude), outputs)
    progress = Progress(sys.stderr, lambda: total_size(inputs))
    report = _report(args, progress)
    try:
        split = Split(args.valid_out, args.invalid_out, args.lang)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(
            f"cannot write {exc.filename or ''!s}: {reason}",
            f"{exc.filename or ''!s} lässt sich nicht schreiben: {os_error_de(exc, reason)}",
        ) from None
    try:
        checks_ids = policy.selects(DUPLICATE_ALLIANCE_ID.code)
        with Run(inputs, _stdin, check_ids=checks_ids, limit=args.max_size) as run:
            report.begin()
            summary = Summary()
            for source in inputs:
                summary.files += 1
                report.start_file(source)
                # A rule that raises is a failure of its record: the other records and files are still checked.
                for found, outcome in _checked(run, source, policy):
                    if isinstance(found, Failure):
                        _show_traceback(found, progress)
                    summary.count(outcome)
                    report.record(source, outcome)
                    split.record(found.text, outcome.problems, source.name, found.line, valid=outcome.valid)
                    progress.update(found.size)
                report.end_file()
            progress.clear()
            report.finish(summary)
    except BaseException:
        split.abort()
        raise
    try:
        split.commit()
    except OSError as exc:
        split.abort()
        reason = exc.strerror or str(exc)
        raise UsageError(
            f"cannot write {exc.filename or ''!s}: {reason}",
            f"{exc.filename or ''!s} lässt sich nicht schreiben: {os_error_de(exc, reason)}",
        ) from None
    if not inputs:
        if args.lang == "de":
            _to_stderr("willkommen: keine Dateien *.json, *.jsonl oder *.ndjson gefunden")
        else:
            _to_stderr("willkommen: no *.json, *.jsonl or *.ndjson files found")
    if summary.failures:
        return FAILED
    return INVALID if summary.invalid else VALID


def _report_command(args: argparse.Namespace) -> int:
    # Imported here: only this command needs the summaries.
    from willkommen._reports import AGGREGATIONS, WRITERS, run_report  # noqa: PLC0415

    sources = _inputs(args.paths, stdin_lines=args.jsonl, exclude=args.exclude)
    aggregation = AGGREGATIONS[args.kind]()
    progress = Progress(sys.stderr, lambda: total_size(sources))
    writer = WRITERS[args.format](_writer(progress), args.lang, args.kind, aggregation.row_type)
    policy = Policy()
    failures = 0
    with Run(sources, _stdin, limit=args.max_size) as run:

        def records() -> Iterator[tuple[Any, bool]]:
            nonlocal failures
            for source in sources:
                for found, outcome in _checked(run, source, policy):
                    progress.update(found.size)
                    if isinstance(found, Failure):
                        # A rule raised: the record is left out (counted in the footer), the traceback shown.
                        failures += 1
                        _show_traceback(found, progress)
                        yield None, False
                    else:
                        yield found.reading.value, outcome.valid

        run_report(aggregation, records(), writer, include_invalid=args.include_invalid)
    progress.clear()
    if not sources:
        print("willkommen: no *.json, *.jsonl or *.ndjson files found", file=sys.stderr)
    return FAILED if failures else VALID


def _roots() -> dict[str, type]:
    """The classes ``schema --root`` can describe: ``alliance`` and each tagged alliance class."""
    return {"alliance": Alliance, **tagged_classes(Alliance)}


def _schema(args: argparse.Namespace) -> int:
    # Imported here: only this command needs it.
    from willkommen._schema import json_schema  # noqa: PLC0415

    roots = _roots()
    if args.root not in roots:
        known = ", ".join(map(repr, roots))
        raise UsageError(
            f"unknown --root {args.root!r}: choose from {known}", f"unbekannte --root {args.root!r}: möglich: {known}"
        )
    try:
        schema = json_schema(roots[args.root])
    except UnsupportedType as exc:
        # A class of an --import module with a field the type plan refuses: the module's mistake, named.
        raise UsageError(
            f"cannot describe --root {args.root!r}: {exception_text(exc)}",
            f"--root {args.root!r} lässt sich nicht beschreiben: {exception_text(exc)}",
        ) from None
    print(_json_text(schema, indent=2))
    return 0


_RULE_LABELS = {
    "en": {"checks": "checks", "reader": "the reader (structure)", "source": "source", "message": "message"},
    "de": {"checks": "prüft", "reader": "das Einlesen (Struktur)", "source": "Quelle", "message": "Meldung"},
}


def _rule_entry(entry: Rule, lang: str) -> dict[str, Any]:
    from willkommen._sources import cited_sources  # noqa: PLC0415 - only the rules command cites

    return {
        "code": entry.code,
        "severity": entry.severity.value,
        "description": entry.description_de if lang == "de" else entry.description,
        "message": entry.message_de if lang == "de" else entry.message,
        "source": entry.source,
        "sources": [
            {"id": cited.id, "title": cited.title_de if lang == "de" else cited.title}
            for cited in cited_sources(entry.source)
        ],
        "applies_to": entry.applies_to.__qualname__ if entry.applies_to is not None else None,
    }


def _checks_text(entry: Rule, lang: str) -> str | None:
    """What the rule checks, in *lang*: a class of the model, or None for the reader's codes."""
    if entry.applies_to is None:
        return None
    name = entry.applies_to.__qualname__
    return CLASS_NAMES_DE.get(name, name) if lang == "de" else name


def _severity_text(severity: Severity, lang: str) -> str:
    return severity.label_de if lang == "de" else severity.value


def _rules(args: argparse.Namespace) -> int:
    catalogue = rules()
    if args.code is not None:
        args.code = _current_code(args.code, args.lang)
        exact = tuple(entry for entry in catalogue if entry.code == args.code)
        # A prefix on dotted segments, as --select takes it: "coaching" lists coaching.*.
        catalogue = exact or tuple(entry for entry in catalogue if _matches(entry.code, args.code))
        if not catalogue:
            raise UsageError(
                f"no rule code is or starts with {args.code!r} (see 'willkommen rules')",
                f"kein Code einer Regel ist oder beginnt mit {args.code!r} (siehe 'willkommen rules')",
            )
    explain = args.code is not None and len(catalogue) == 1
    if args.format == "json":
        document = {"version": REPORT_VERSION, "rules": [_rule_entry(entry, args.lang) for entry in catalogue]}
        print(_json_text(document, indent=2))
    elif explain:
        (entry,) = catalogue
        labels = _RULE_LABELS[args.lang]
        shown = _rule_entry(entry, args.lang)
        print(f"{entry.code} ({_severity_text(entry.severity, args.lang)})")
        print(f"  {shown['description']}")
        print(f"  {labels['checks']}: {_checks_text(entry, args.lang) or labels['reader']}")
        # The detail after the ids is English; in German, the cited titles say it.
        if args.lang == "en" or not shown["sources"]:
            print(f"  {labels['source']}: {entry.source}")
        else:
            print(f"  {labels['source']}: {', '.join(cited['id'] for cited in shown['sources'])}")
        for cited in shown["sources"]:
            print(f"    {cited['id']}: {cited['title']}")
        print(f"  {labels['message']}: {shown['message']}")
    else:
        width = max(len(entry.code) for entry in catalogue)
        for entry in catalogue:
            description = entry.description_de if args.lang == "de" else entry.description
            print(f"{entry.code:<{width}}  {_severity_text(entry.severity, args.lang):<7}  {description}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from willkommen import _migrate_cli  # noqa: PLC0415 - only this command needs it

    return _migrate_cli.run(args, print)


def _example(args: argparse.Namespace) -> int:
    from willkommen._example import example_document  # noqa: PLC0415 - only this command needs it

    del args
    print(_json_text(example_document(), indent=2))
    return 0


# --- convert and template -------------------------------------------------------------------------

_JSON_OUTPUTS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@attrs.frozen
class Converted:
    """One document read for conversion: the data as read, the object (None if it has errors), its problems."""

    data: Any
    value: Any
    problems: Sequence[Problem]


def _converted(source: Source, stdin: Callable[[], IO[bytes]]) -> Iterator[Converted]:
    """The documents of one input, each with its data kept, so that ``--force`` can write a draft."""
    from willkommen import spreadsheets  # noqa: PLC0415 - only for conversions
    from willkommen._api import read  # noqa: PLC0415
    from willkommen._json import parse  # noqa: PLC0415

    if source.error is not None:
        raise source.error
    if source.workbook:
        assert source.path is not None
        reading = spreadsheets.read(source.path)
        if reading.problems:
            yield Converted(None, None, reading.problems)
        for record in reading.records:
            yield Converted(record.document, record.value, record.problems)
        return
    stream = stdin() if source.path is None else source.path.open("rb")
    try:
        texts = [line for line in stream if line.strip()] if source.lines else [stream.read()]
    finally:
        if source.path is not None:
            stream.close()
    for text in texts:
        data, problems = parse(text)
        if data is None:
            yield Converted(None, None, problems)
            continue
        found = read(data)
        every = [*problems, *found.problems]
        yield Converted(data, None if any(p.is_error for p in every) else found.value, every)


def _output_kind(output: Path) -> str:
    if output.suffix.lower() in _JSON_OUTPUTS:
        return _JSON_OUTPUTS[output.suffix.lower()]
    from willkommen.spreadsheets import format_of  # noqa: PLC0415 - only for conversions

    kind = format_of(output)
    if kind is None:
        raise UsageError(
            f"cannot tell the format of {str(output)!r}: use .json, .jsonl, .xlsx, .ods, .zip or a folder",
            f"Format von {str(output)!r} nicht erkennbar: .json, .jsonl, .xlsx, .ods, .zip oder einen Ordner angeben",
        )
    return str(kind)


def _json_default(value: object) -> object:
    # A draft written with --force holds exact hours as Decimal (JSON has one number type) and whatever cells held.
    from decimal import Decimal  # noqa: PLC0415

    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    # Anything else a cell gave (a time of day, an infinite number) is written as its text.
    return str(value)


def _document(item: Converted) -> Any:
    from willkommen._api import dump  # noqa: PLC0415

    return dump(item.value) if item.value is not None else item.data


def _convert(args: argparse.Namespace) -> int:
    output = Path(args.output)
    kind = _output_kind(output)
    inputs = _inputs(args.inputs, stdin_lines=args.jsonl, exclude=())
    report = TextReport(print, args.lang)
    items: list[Converted] = []
    errors = 0
    for source in inputs:
        try:
            converted = list(_converted(source, lambda: sys.stdin.buffer))
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            converted = [Converted(None, None, [UNREADABLE_FILE.problem("", reason=reason)])]
        for item in converted:
            report.record(source, Outcome(line=None, problems=item.problems, valid=item.value is not None))
            errors += sum(p.is_error for p in item.problems)
        items.extend(item for item in converted if item.data is not None)
    if errors and not args.force:
        print(f"willkommen: {output} not written: {errors} error(s) above (--force writes it anyway)", file=sys.stderr)
        return INVALID
    documents = [_document(item) for item in items]
    if not _write_converted(documents, output, kind, args.lang):
        return INVALID
    print(f"willkommen: wrote {len(documents)} alliance(s) to {output}", file=sys.stderr)
    return INVALID if errors else VALID


def _write_converted(documents: list[Any], output: Path, kind: str, lang: str) -> bool:
    """Write the documents; False (after printing why) if a workbook could not hold them."""
    if kind == "json" and len(documents) != 1:
        raise UsageError(
            f"a .json file holds one alliance, not {len(documents)}: write .jsonl or a workbook",
            f"eine .json-Datei enthält ein Bündnis, nicht {len(documents)}: .jsonl oder eine Arbeitsmappe schreiben",
        )
    if kind in ("json", "jsonl"):
        indent = 2 if kind == "json" else None
        text = "".join(
            json.dumps(d, ensure_ascii=False, indent=indent, default=_json_default) + "\n" for d in documents
        )
        output.write_text(text, encoding="utf-8")
        return True
    from willkommen.spreadsheets import write_documents  # noqa: PLC0415 - only for conversions

    try:
        write_documents(documents, output, lang="de" if lang == "de" else "en")
    except ValidationError as exc:
        for problem in exc.problems:
            print(printable(f"{output}: {problem.path or DOCUMENT}: {problem.code}: {problem.message_in(lang)}"))
        print(f"willkommen: {output} not written", file=sys.stderr)
        return False
    return True


def _template(args: argparse.Namespace) -> int:
    from willkommen import spreadsheets  # noqa: PLC0415 - only for this command

    output = Path(args.output)
    if os.path.lexists(output) and not args.force:
        raise UsageError(
            f"{str(output)!r} exists (--force overwrites it)",
            f"{str(output)!r} ist schon vorhanden (--force überschreibt die Datei)",
        )
    if spreadsheets.format_of(output) is None:
        raise UsageError(
            f"cannot tell the format of {str(output)!r}: use .xlsx, .ods, .zip or a folder",
            f"Format von {str(output)!r} nicht erkennbar: .xlsx, .ods, .zip oder einen Ordner angeben",
        )
    spreadsheets.write_template(output, lang=args.lang)
    return VALID


# --- the parser and the entry point ---------------------------------------------------------------


def _import_extensions(modules: Iterable[str]) -> None:
    """Import the user's extensions, so that their tags and rules register (the shipped ones are, with willkommen)."""
    # Like `python -m`, find a user's module in the working folder; last, so it shadows nothing.
    if modules and str(Path.cwd()) not in sys.path:
        sys.path.append(str(Path.cwd()))
    for name in modules:
        try:
            importlib.import_module(name)
        except SystemExit as exc:
            # An extension that exits while being imported would end the run before anything was checked.
            raise UsageError(
                f"cannot import {name!r}: it called sys.exit({exc.code!r}) while being imported",
                f"Modul {name!r} lässt sich nicht importieren: es rief beim Import sys.exit({exc.code!r}) auf",
            ) from None
        except Exception as exc:  # noqa: BLE001 - any failure of the user's module is a usage error
            raise UsageError(
                f"cannot import {name!r}: {type(exc).__name__}: {exception_text(exc)}",
                f"Modul {name!r} lässt sich nicht importieren ({type(exc).__name__})",
            ) from None


class _Version(argparse.Action):
    """``--version``: looked up only when asked, since the package metadata is slow to load."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        del namespace, values, option
        from importlib.metadata import version  # noqa: PLC0415

        print(f"{parser.prog} {version('willkommen')}")
        parser.exit()


def _import_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--import",
        dest="modules",
        action="append",
        default=[],
        metavar="MODULE",
        help="import an extension module first, so that its classes, tags and rules are known (repeatable)",
    )


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "de"), default="en", help="language of messages (default: en)")


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    _import_option(parser)
    _lang_option(parser)
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="a .json, .jsonl or .ndjson file, a folder, or - for stdin"
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders, skip files and folders whose name or path below the folder matches (repeatable);"
        " hidden entries and node_modules are always skipped",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument(
        "--select", action="append", metavar="CODES", help="report only these codes or code prefixes (comma-separated)"
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="do not report these codes or code prefixes (comma-separated)",
    )
    parser.add_argument("--jsonl", action="store_true", help="read standard input as JSON Lines")
    parser.add_argument(
        "--max-size",
        type=_size,
        default=MAX_FILE_SIZE,
        metavar="SIZE",
        help="the largest file, JSON Lines line or standard input to read, such as 64M (default: 64M);"
        " a larger one is reported as file_too_large",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", *FILE_FORMATS),
        default="text",
        help="output format: text, json, html (a page for people), csv (one problem a row), "
        "github (workflow annotations), junit (XML, one test case a record) (default: text)",
    )
    parser.add_argument("--valid-out", type=Path, metavar="FILE", help="write the valid records here (JSON Lines)")
    parser.add_argument(
        "--invalid-out",
        type=Path,
        metavar="FILE",
        help="write the invalid records with their problems here (JSON Lines)",
    )
    parser.set_defaults(parser=parser, run=_validate)


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    _import_option(parser)
    _lang_option(parser)
    parser.add_argument("kind", choices=REPORT_KINDS, metavar="KIND", help=f"one of: {', '.join(REPORT_KINDS)}")
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="a .json, .jsonl or .ndjson file, a folder, or - for stdin"
    )
    parser.add_argument(
        "--format", choices=("md", "csv", "json", "html"), default="md", help="output format (default: md)"
    )
    parser.add_argument(
        "--include-invalid", action="store_true", help="count invalid records too, where they could be read"
    )
    parser.add_argument("--jsonl", action="store_true", help="read standard input as JSON Lines")
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="in folders, skip what matches (as validate)"
    )
    parser.add_argument(
        "--max-size",
        type=_size,
        default=MAX_FILE_SIZE,
        metavar="SIZE",
        help="the largest file, JSON Lines line or standard input to read (as validate; default: 64M)",
    )
    parser.set_defaults(parser=parser, run=_report_command)


def _schema_arguments(parser: argparse.ArgumentParser) -> None:
    _import_option(parser)
    parser.add_argument(
        "--root", default="alliance", help="the document's class: alliance (default) or the tag of an alliance class"
    )
    parser.set_defaults(parser=parser, run=_schema)


def _rules_arguments(parser: argparse.ArgumentParser) -> None:
    _import_option(parser)
    _lang_option(parser)
    parser.add_argument(
        "code", nargs="?", metavar="CODE", help="the code to explain, or a prefix (coaching) to list its codes"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.set_defaults(parser=parser, run=_rules)


def _convert_arguments(parser: argparse.ArgumentParser) -> None:
    _import_option(parser)
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="a file or folder (JSON, JSON Lines, workbook)")
    parser.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="the file or folder to write")
    parser.add_argument(
        "--lang", choices=("en", "de"), default="en", help="language of headings and messages (default: en)"
    )
    parser.add_argument("--force", action="store_true", help="write even if the data has errors")
    parser.add_argument("--jsonl", action="store_true", help="read standard input as JSON Lines")
    parser.set_defaults(parser=parser, run=_convert)


def _template_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="OUTPUT", help=".xlsx, .ods, .zip or a folder")
    parser.add_argument("--lang", choices=("en", "de"), default="en", help="language of headings (default: en)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(parser=parser, run=_template, modules=[])


def _migrate_arguments(parser: argparse.ArgumentParser) -> None:
    from willkommen import _migrate_cli  # noqa: PLC0415 - only this command needs it

    _import_option(parser)
    _migrate_cli.add_arguments(parser)
    parser.set_defaults(parser=parser, run=_migrate)


def _example_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(parser=parser, run=_example, modules=[])


#: The commands: name, one-line help (``willkommen --help``), description (or None), what adds the arguments.
_COMMANDS: tuple[tuple[str, str, str | None, Callable[[argparse.ArgumentParser], None]], ...] = (
    (
        "validate",
        "check files, folders (*.json, *.jsonl, *.ndjson) and standard input",
        (
            "Check alliance data. Exit code 0: all valid; 1: problems found; 2: usage error;"
            " 3: the checker failed (a rule raised an exception); 4: the report could not be written."
        ),
        _validate_arguments,
    ),
    (
        "report",
        "summarise alliances: by alliance, state, service office, offering or partner kind",
        (
            "Summarise the valid records (invalid ones are counted in the footer). "
            "Exit code 0: report written; 2: usage error."
        ),
        _report_arguments,
    ),
    ("schema", "print the JSON Schema (Draft 2020-12) of the data format", None, _schema_arguments),
    ("rules", "list the rule codes, or explain one", None, _rules_arguments),
    # The commands of the spreadsheet extra.
    (
        "convert",
        "convert between JSON, JSON Lines, XLSX, ODS and CSV",
        (
            "Convert alliances; the output's format comes from its suffix (.json, .jsonl, .xlsx, .ods, .zip) "
            "or is a folder of CSV files. Exit code 0: written; 1: problems found; 2: usage error."
        ),
        _convert_arguments,
    ),
    (
        "template",
        "write a workbook to fill in: headings, drop-downs, an example alliance",
        None,
        _template_arguments,
    ),
    (
        "migrate",
        "rewrite files of an older format version as the current one",
        (
            "Upgrade data files to the current format version. One JSON line per document on standard output."
            " Exit code 0: done; 1: a file had an error, or would change under --check; 2: usage error."
        ),
        _migrate_arguments,
    ),
    ("example", "print a valid example alliance as JSON", None, _example_arguments),
)


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: with every command, or *only* the one named (the one that runs).

    A run uses one command, and the parsers of the others would cost every
    start time for nothing. A parser of one command answers as the whole
    one does where the command comes first: what follows is the command's
    to parse, and the usage line names commands only as ``COMMAND``. Help,
    ``--version`` and an unknown command are answered by the whole parser.
    """
    parser = _Parser(
        prog="willkommen",
        description="Check, describe and start data files of local alliances for young refugees.",
    )
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    # The commands' prog prefix given, not laid out by a formatter (see _Formatter).
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", prog=parser.prog)
    for name, help_line, description, arguments in _COMMANDS:
        if only in (None, name):
            arguments(commands.add_parser(name, help=help_line, description=description))
    return parser


def _discard_output() -> None:
    # Whatever is still buffered would fail again at the interpreter's final
    # flush, with a traceback: send it to nowhere (Python docs, "Note on SIGPIPE").
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _output_failed(exc: BaseException) -> int:
    _discard_output()
    if isinstance(exc, BrokenPipeError):
        reason = "the reader went away (broken pipe)"
    else:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
    _to_stderr(f"willkommen: error: cannot write the output: {reason}")
    return OUTPUT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    if argv is None:
        # The command's own process, not a program calling main() with its arguments: what
        # start-up made lives until the process ends, so the garbage collector need not look
        # at it again, in the run nor in its full collection at exit (about a tenth of the
        # start-up of one small file). What the run makes is collected as usual.
        gc.freeze()
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Never a traceback for a character the terminal's encoding lacks (≤, ü on cp1252).
        sys.stdout.reconfigure(errors="backslashreplace")
    arguments = sys.argv[1:] if argv is None else list(argv)
    _Parser.german = _wants_german(arguments)
    command = arguments[0] if arguments else None
    parser = _parser(only=command if any(command == name for name, *_ in _COMMANDS) else None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:
        # argparse has printed its message; keep its exit code (2, or 0 for --help).
        return exc.code if isinstance(exc.code, int) else USAGE
    try:
        _import_extensions(args.modules)
        code: int = args.run(args)
        if sys.stdout is not None:
            # Now, not at exit: a full disk must change the exit code, not print a traceback.
            sys.stdout.flush()
    except MissingExtraError as exc:
        # A workbook without the spreadsheet libraries: say which extra to install.
        _to_stderr(f"{args.parser.prog}: error: {exc}")
        return USAGE
    except UsageError as exc:
        # As argparse reports its own usage errors: the command's usage, then the message.
        args.parser.print_usage(sys.stderr)
        if getattr(args, "lang", "en") == "de":
            _to_stderr(f"{args.parser.prog}: Fehler: {exc.message_in('de')}")
        else:
            _to_stderr(f"{args.parser.prog}: error: {exc}")
        return USAGE
    except (OutputError, OSError) as exc:
        # Reading failures are the data's problems (unreadable_file); what is left is the output.
        return _output_failed(exc)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover - `python -m willkommen` runs __main__.py
    sys.exit(main())
