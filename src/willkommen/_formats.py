"""Report formats of ``willkommen validate`` for people and CI: HTML, CSV, GitHub annotations, JUnit XML.

Every value in a report comes from untrusted data (file names, keys, the
values quoted in messages), so each format escapes what could forge its
structure: markup in HTML, separators and formulas in CSV, workflow commands
in GitHub annotations, markup and illegal characters in XML. The escaping
functions are here, one per format, and every value passes through them.

Each report has the interface of the command line's text and JSON reports:
``begin``, ``start_file``, ``record``, ``end_file``, ``finish``; it writes
text through *write* exactly as given (no line ends added).
"""

import csv
import html
import io
import re
import tempfile
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING

from willkommen._engine import rules
from willkommen._problems import Problem, Rule
from willkommen._text import printable, shown_path

if TYPE_CHECKING:
    from willkommen._cli import Outcome, Summary
    from willkommen._files import Source

Write = Callable[[str], None]

# --- escaping, one function per format ------------------------------------------------------------


def html_text(value: object) -> str:
    """*value* as HTML text or attribute value: ``& < > " '`` escaped, a lone surrogate written as an escape."""
    text = str(value)
    if not text.isascii():
        # A lone surrogate (from a key in the data) has no UTF-8 form: show it as \udXXX text.
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return html.escape(text, quote=True)


# Spreadsheet applications run a cell that starts with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Numeral(str):
    """A number a report computed (``-2.5`` hours left): never a formula, so never marked as text."""

    __slots__ = ()


def csv_cell(value: object) -> str:
    """*value* for a CSV cell that a spreadsheet application opens: a formula is made plain text with ``'``."""
    text = "" if value is None else str(value)
    if isinstance(value, Numeral):
        return text
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def github_data(text: str) -> str:
    """The message of a workflow command: ``%``, CR and LF escaped as the runner expects (actions/toolkit)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``): also ``:`` and ``,`` escaped."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# XML 1.0 allows tab, LF, CR and these ranges; anything else (NUL, ESC, a lone surrogate) cannot be written.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """*value* as XML 1.0 text or attribute value: markup escaped, illegal characters written as escapes."""
    text = _XML_ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value))
    escaped = html.escape(text, quote=True)
    # In an attribute a raw line end or tab would be normalised to a space: keep it as a reference.
    return escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def location_of(problem: Problem) -> str:
    """Where in a spreadsheet the problem is, if the reader knew (a ``location``), else ``""``."""
    location = getattr(problem, "location", None)
    return "" if location is None else str(location)


def _document() -> str:
    """How reports name the place of a problem of the whole document (JSON Pointer ""), as the text report does."""
    from willkommen._cli import DOCUMENT  # noqa: PLC0415 - the command line imports this module

    return DOCUMENT


def failure_of(outcome: "Outcome", lang: str) -> str | None:
    """What to say of a record whose check raised (a bug in a rule), or None if it was checked."""
    if getattr(outcome, "failure", None) is None:
        return None
    from willkommen._cli import failure_text  # noqa: PLC0415 - the command line imports this module

    return failure_text(outcome, lang)


#: The HTML report's group for records whose check raised (no catalogue code: a bug, not a problem of the data).
FAILED_CHECK = "(failure)"


def catalogue_entry(code: str) -> Rule | None:
    """The catalogue's entry for *code*."""
    return next((entry for entry in rules() if entry.code == code), None)


# --- words ----------------------------------------------------------------------------------------

_WORDS = {
    "en": {
        "file": "file",
        "line": "line",
        "path": "path",
        "code": "code",
        "severity": "severity",
        "message": "message",
        "location": "location",
        "title": "Validation report",
        "summary": "Summary",
        "files": "Files",
        "records": "Records",
        "valid": "Valid",
        "invalid": "Invalid",
        "errors": "Errors",
        "warnings": "Warnings",
        "problems": "Problems by code",
        "record": "Record",
        "document": "whole file",
        "fix": "How to fix",
        "none": "No problems found: every record is valid.",
        "some": "{invalid} of {records} records are invalid.",
        "only_warnings": "Every record is valid; there are warnings.",
        "per_file": "Files checked",
        "occurrence": "occurrence",
        "occurrences": "occurrences",
        "error": "error",
        "warning": "warning",
        "made_by": "Made by willkommen {version}. Paths are JSON Pointers into each record.",
        "failure": "failure",
        "failed_check": "The check of these records failed: a bug in a rule, not a problem of the data.",
    },
    "de": {
        "file": "Datei",
        "line": "Zeile",
        "path": "Pfad",
        "code": "Code",
        "severity": "Schweregrad",
        "message": "Meldung",
        "location": "Ort",
        "title": "Prüfbericht",
        "summary": "Zusammenfassung",
        "files": "Dateien",
        "records": "Datensätze",
        "valid": "Gültig",
        "invalid": "Ungültig",
        "errors": "Fehler",
        "warnings": "Warnungen",
        "problems": "Probleme nach Code",
        "record": "Datensatz",
        "document": "ganze Datei",
        "fix": "So beheben Sie es",
        "none": "Keine Probleme gefunden: Alle Datensätze sind gültig.",
        "some": "{invalid} von {records} Datensätzen sind ungültig.",
        "only_warnings": "Alle Datensätze sind gültig; es gibt Warnungen.",
        "per_file": "Geprüfte Dateien",
        "occurrence": "Vorkommen",
        "occurrences": "Vorkommen",
        "error": "Fehler",
        "warning": "Warnung",
        "made_by": "Erstellt mit willkommen {version}. Pfade sind JSON-Pointer in den jeweiligen Datensatz.",
        "failure": "Prüfung gescheitert",
        "failed_check": "Die Prüfung dieser Datensätze ist gescheitert: ein Fehler in einer Regel, nicht in den Daten.",
    },
}


def words(lang: str) -> dict[str, str]:
    """The report's words in *lang*."""
    return _WORDS["de" if lang == "de" else "en"]


def heading(word: str) -> str:
    """A word as a column heading: its first letter capital."""
    return word[:1].upper() + word[1:]


def _severity(problem: Problem, lang: str) -> str:
    return words(lang)["error" if problem.is_error else "warning"]


# --- CSV ------------------------------------------------------------------------------------------


def csv_dialect(lang: str) -> tuple[str, str]:
    """The byte-order mark and delimiter for *lang*: German Excel needs both to open UTF-8 with ``;``."""
    return ("\ufeff", ";") if lang == "de" else ("", ",")


def csv_row(cells: Sequence[object], delimiter: str) -> str:
    """One CSV row (RFC 4180, CRLF), every cell neutralised against formulas."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow([csv_cell(c) for c in cells])
    return buffer.getvalue()


class CsvReport:
    """One row per problem: file, line, path, code, severity, message, location."""

    def __init__(self, write: Write, lang: str) -> None:
        self.write = write
        self.lang = lang
        self.bom, self.delimiter = csv_dialect(lang)

    def begin(self) -> None:
        """The byte-order mark (German) and the header."""
        w = words(self.lang)
        header = [w[k] for k in ("file", "line", "path", "code", "severity", "message", "location")]
        self.write(self.bom + csv_row(header, self.delimiter))

    def start_file(self, source: "Source") -> None:
        """Nothing before a file."""

    def record(self, source: "Source", outcome: "Outcome") -> None:
        """A row for each problem; a row for a check that failed."""
        failure = failure_of(outcome, self.lang)
        if failure is not None:
            line = "" if outcome.line is None else outcome.line
            self.write(csv_row([source.name, line, "", "", words(self.lang)["failure"], failure, ""], self.delimiter))
        for problem in outcome.problems:
            cells = [
                source.name,
                "" if outcome.line is None else outcome.line,
                shown_path(problem.path, ""),
                problem.code,
                _severity(problem, self.lang),
                problem.message_in(self.lang),
                location_of(problem),
            ]
            self.write(csv_row(cells, self.delimiter))

    def end_file(self) -> None:
        """Nothing after a file."""

    def finish(self, summary: "Summary") -> None:
        """Nothing: one row per problem, the summary is the rows."""


# --- GitHub Actions annotations -------------------------------------------------------------------


class GithubReport:
    """``::error file=…,line=…,title=…::message`` per problem, then a ``::notice`` with the summary."""

    def __init__(self, write: Write, lang: str) -> None:
        self.write = write
        self.lang = lang

    def begin(self) -> None:
        """Nothing before the first file."""

    def start_file(self, source: "Source") -> None:
        """Nothing before a file."""

    def record(self, source: "Source", outcome: "Outcome") -> None:
        """An annotation for each problem, at the file and, in JSON Lines, the line; one for a failed check."""
        failure = failure_of(outcome, self.lang)
        if failure is not None:
            at = f"file={github_property(_visible(source.name))}"
            at += "" if outcome.line is None else f",line={outcome.line}"
            self.write(f"::error {at},title=willkommen::{github_data(_visible(failure))}\n")
        for problem in outcome.problems:
            properties = [f"file={github_property(_visible(source.name))}"]
            if outcome.line is not None:
                properties.append(f"line={outcome.line}")
            properties.append(f"title={github_property(_visible(problem.code))}")
            where = shown_path(problem.path, _document())
            location = location_of(problem)
            if location:
                where = f"{location} ({where})"
            # Control characters first become visible escapes, as on a terminal; then the runner's escaping.
            message = github_data(_visible(f"{where}: {problem.message_in(self.lang)}"))
            command = "error" if problem.is_error else "warning"
            self.write(f"::{command} {','.join(properties)}::{message}\n")

    def end_file(self) -> None:
        """Nothing after a file."""

    def finish(self, summary: "Summary") -> None:
        """The summary as a notice."""
        from willkommen._cli import summary_line  # noqa: PLC0415 - the command line imports this module

        self.write(f"::notice title=willkommen::{github_data(summary_line(summary, self.lang))}\n")


def _visible(text: str) -> str:
    """*text* with other control characters (ESC, bidi overrides) written as escapes, as on a terminal."""
    return printable(text)


# --- JUnit XML ------------------------------------------------------------------------------------


class JunitReport:
    """One test suite per file, one test case per record: failed when invalid, warnings in its output.

    The counts stand on the suites before their cases, so the cases are kept
    in a temporary file (memory stays flat) until the end.
    """

    def __init__(self, write: Write, lang: str) -> None:
        self.write = write
        self.lang = lang
        self.cases: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        self.suites: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        self.name = ""
        self.tests = 0
        self.failures = 0
        self.errors = 0
        self.all_errors = 0

    def begin(self) -> None:
        """Nothing yet: the counts come first."""

    def start_file(self, source: "Source") -> None:
        """Start a suite."""
        self.name = source.name
        self.tests = self.failures = self.errors = 0
        self.cases.seek(0)
        self.cases.truncate()

    def record(self, source: "Source", outcome: "Outcome") -> None:
        """A test case; a failure holding every problem if the record is invalid."""
        self.tests += 1
        w = words(self.lang)
        name = w["document"] if outcome.line is None else f"{w['line']} {outcome.line}"
        problems = outcome.problems
        # One line per problem: a line break in the data is written as an escape, so it cannot fake a line.
        lines = "\n".join(
            _visible(
                f"{shown_path(problem.path, _document())}: {problem.severity.value} {problem.code}: "
                f"{problem.message_in(self.lang)}" + (f" [{location_of(problem)}]" if location_of(problem) else "")
            )
            for problem in problems
        )
        self.cases.write(f'<testcase classname="{xml_text(source.name)}" name="{xml_text(name)}" time="0">')
        failure = failure_of(outcome, self.lang)
        if failure is not None:
            # JUnit's own word for a test that could not run: an error, not a failure.
            self.errors += 1
            kind = type(getattr(outcome, "failure", None)).__name__
            self.cases.write(f'<error type="{xml_text(kind)}" message="{xml_text(_visible(failure))}"/>')
        elif not outcome.valid:
            self.failures += 1
            first = next((p for p in problems if p.is_error), problems[0])
            self.cases.write(
                f'<failure type="{xml_text(first.code)}" message="{xml_text(first.message_in(self.lang))}">'
                f"{xml_text(lines)}</failure>"
            )
        elif problems:
            self.cases.write(f"<system-out>{xml_text(lines)}</system-out>")
        self.cases.write("</testcase>\n")

    def end_file(self) -> None:
        """Close the suite, its counts first."""
        self.suites.write(
            f'<testsuite name="{xml_text(self.name)}" tests="{self.tests}" failures="{self.failures}" '
            f'errors="{self.errors}">\n'
        )
        self.cases.seek(0)
        for case in self.cases:
            self.suites.write(case)
        self.suites.write("</testsuite>\n")
        self.all_errors += self.errors

    def finish(self, summary: "Summary") -> None:
        """The whole document: the totals, then every suite."""
        self.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.write(
            f'<testsuites name="willkommen validate" tests="{summary.records}" '
            f'failures="{summary.invalid}" errors="{self.all_errors}">\n'
        )
        self.suites.seek(0)
        for suite in self.suites:
            self.write(suite)
        self.write("</testsuites>\n")
        self.cases.close()
        self.suites.close()


# --- HTML -----------------------------------------------------------------------------------------

#: The style of every HTML page: readable on a phone (tables become cards), printable (no navigation, no cut rows).
HTML_STYLE = """
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6477; --line: #d6dbe4; --bad: #a4161a; --warn: #8a5a00;
  --good: #1b6e3a; --paper: #ffffff; --tint: #f4f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--paper); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; overflow-wrap: anywhere; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em;
  overflow-wrap: anywhere; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: 0.5rem; margin: 0;
  padding: 0; }
.summary div { background: var(--tint); border-radius: 0.4rem; padding: 0.6rem 0.8rem; }
.summary dt { font-size: 0.85rem; color: var(--muted); }
.summary dd { margin: 0; font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.verdict { font-weight: 600; padding: 0.6rem 0.8rem; border-left: 0.3rem solid var(--good); background: var(--tint); }
.verdict.bad { border-color: var(--bad); }
.verdict.warn { border-color: var(--warn); }
.badge { display: inline-block; font-size: 0.8rem; font-weight: 600; border-radius: 0.3rem; padding: 0 0.4rem;
  color: #fff; background: var(--bad); vertical-align: middle; }
.badge.warning { background: var(--warn); }
.count { color: var(--muted); font-weight: 400; }
.fix { background: var(--tint); border-radius: 0.4rem; padding: 0.5rem 0.8rem; }
nav ul { padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line);
  overflow-wrap: break-word; }
th { background: var(--tint); }
tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
.scroll { overflow-x: auto; }
#footer { margin-top: 1rem; }
table.no-location td:nth-child(4), table.no-location th:nth-child(4) { display: none; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 2rem; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 40rem) {
  main { padding: 0.6rem; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border: 1px solid var(--line); border-radius: 0.4rem; margin-bottom: 0.6rem; padding: 0.3rem 0; }
  td { border: 0; padding: 0.15rem 0.6rem; }
  td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  td.number { text-align: left; }
}
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid-page; }
  tr, .summary div, .fix { break-inside: avoid; }
  thead { display: table-header-group; }
  .badge { color: #000; background: none; border: 1px solid #000; }
}
""".strip()


def html_page_start(title: str, lang: str) -> str:
    """The opening of a self-contained page: no script, nothing loaded from anywhere (its policy forbids it)."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_text(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{html_text(title)}</title>\n<style>\n{HTML_STYLE}\n</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{html_text(title)}</h1>\n"
    )


def html_page_end(note: str) -> str:
    """The footer and the end of the page."""
    return f"<footer><p>{html_text(note)}</p></footer>\n</main>\n</body>\n</html>\n"


def html_summary(items: Sequence[tuple[str, object]], element_id: str = "summary") -> str:
    """A list of labelled counts."""
    cells = "".join(f"<div><dt>{html_text(label)}</dt><dd>{html_text(value)}</dd></div>" for label, value in items)
    return f'<dl class="summary" id="{html_text(element_id)}">{cells}</dl>\n'


_NUMBER = ' class="number"'


def html_row(cells: Sequence[tuple[str, object]], numeric: frozenset[str] = frozenset()) -> str:
    """A table row; each cell labelled for the narrow layout, where rows become cards."""
    return (
        "<tr>"
        + "".join(
            f'<td data-label="{html_text(heading(label))}"{_NUMBER if label in numeric else ""}>{html_text(value)}</td>'
            for label, value in cells
        )
        + "</tr>\n"
    )


def _version() -> str:
    from importlib.metadata import version  # noqa: PLC0415 - only this report names the version

    return version("willkommen")


class HtmlReport:
    """One self-contained page: the summary, the files, then the problems grouped by code with how to fix them.

    Occurrences are kept per code in temporary files until the end, so
    memory stays flat however many problems there are.
    """

    def __init__(self, write: Write, lang: str) -> None:
        self.write = write
        self.lang = lang
        self.words = words(lang)
        self.files: list[tuple[str, int, int, int]] = []
        # Per code: the occurrences' rows, and [errors, warnings, with a location].
        self.groups: dict[str, tuple[IO[str], list[int]]] = {}

    def begin(self) -> None:
        """Nothing yet: the summary comes first, and it is known at the end."""

    def start_file(self, source: "Source") -> None:
        """Count the file's records from here."""
        self.files.append((source.name, 0, 0, 0))

    def record(self, source: "Source", outcome: "Outcome") -> None:
        """Keep each occurrence under its code."""
        name, records, valid, invalid = self.files[-1]
        self.files[-1] = (name, records + 1, valid + outcome.valid, invalid + (not outcome.valid))
        w = self.words
        where = w["document"] if outcome.line is None else f"{w['line']} {outcome.line}"
        failure = failure_of(outcome, self.lang)
        if failure is not None:
            self._occurrence(FAILED_CHECK, [source.name, where, "", "", failure], error=True, located=False)
        for problem in outcome.problems:
            location = location_of(problem)
            path = shown_path(problem.path, _document())
            cells = [source.name, where, path, location, problem.message_in(self.lang)]
            self._occurrence(problem.code, cells, error=problem.is_error, located=bool(location))

    def _occurrence(self, code: str, cells: Sequence[str], *, error: bool, located: bool) -> None:
        if code not in self.groups:
            new: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finish()
            self.groups[code] = (new, [0, 0, 0])
        spool, count = self.groups[code]
        count[0 if error else 1] += 1
        count[2] += located
        w = self.words
        labels = (w["file"], w["record"], w["path"], w["location"], w["message"])
        spool.write(html_row(list(zip(labels, cells, strict=True))))

    def end_file(self) -> None:
        """Nothing after a file."""

    def finish(self, summary: "Summary") -> None:
        """Write the page."""
        w = self.words
        write = self.write
        write(html_page_start(w["title"], self.lang))
        write(f'<section aria-labelledby="h-summary">\n<h2 id="h-summary">{html_text(w["summary"])}</h2>\n')
        write(
            html_summary(
                [
                    (w["files"], summary.files),
                    (w["records"], summary.records),
                    (w["valid"], summary.valid),
                    (w["invalid"], summary.invalid),
                    (w["errors"], summary.errors),
                    (w["warnings"], summary.warnings),
                ]
            )
        )
        if summary.invalid:
            verdict, css = w["some"].format(invalid=summary.invalid, records=summary.records), "bad"
        elif summary.warnings:
            verdict, css = w["only_warnings"], "warn"
        else:
            verdict, css = w["none"], "ok"
        write(f'<p class="verdict {css}" id="verdict">{html_text(verdict)}</p>\n</section>\n')
        self._files()
        self._problems()
        write(html_page_end(w["made_by"].format(version=_version())))

    def _files(self) -> None:
        w = self.words
        numbers = frozenset({w["records"], w["valid"], w["invalid"]})
        self.write(f'<section aria-labelledby="h-files">\n<h2 id="h-files">{html_text(w["per_file"])}</h2>\n')
        self.write('<div class="scroll"><table>')
        self.write(
            "<thead><tr>"
            + "".join(
                f"<th{_NUMBER if h in numbers else ''}>{html_text(heading(h))}</th>"
                for h in (w["file"], w["records"], w["valid"], w["invalid"])
            )
            + "</tr></thead>\n<tbody>\n"
        )
        for name, records, valid, invalid in self.files:
            self.write(
                html_row(
                    [(w["file"], name), (w["records"], records), (w["valid"], valid), (w["invalid"], invalid)],
                    numbers,
                )
            )
        self.write("</tbody></table></div>\n</section>\n")

    def _problems(self) -> None:
        w = self.words
        if not self.groups:
            return
        # Errors first (they make records invalid), then warnings; by code within each.
        codes = sorted(self.groups, key=lambda code: (self.groups[code][1][0] == 0, code))
        self.write(f'<section aria-labelledby="h-problems">\n<h2 id="h-problems">{html_text(w["problems"])}</h2>\n')
        self.write("<nav><ul>\n")
        for number, code in enumerate(codes, start=1):
            total = sum(self.groups[code][1][:2])
            self.write(f'<li><a href="#code-{number}"><code>{html_text(code)}</code></a> ({total})</li>\n')
        self.write("</ul></nav>\n")
        for number, code in enumerate(codes, start=1):
            spool, (errors, warnings, located) = self.groups[code]
            entry = catalogue_entry(code)
            kind = "error" if errors else "warning"
            self.write(
                f'<section class="code" id="code-{number}">\n<h3><code>{html_text(code)}</code> '
                f'<span class="badge {kind}">{html_text(w[kind])}</span> '
                f'<span class="count">{errors + warnings} '
                f"{html_text(w['occurrence' if errors + warnings == 1 else 'occurrences'])}</span></h3>\n"
            )
            if code == FAILED_CHECK:
                self.write(f"<p>{html_text(w['failed_check'])}</p>\n")
            if entry is not None:
                description = entry.description_de if self.lang == "de" else entry.description
                self.write(f"<p>{html_text(description)}</p>\n")
                fix = entry.fix_de if self.lang == "de" else entry.fix
                if fix:
                    self.write(f'<p class="fix"><strong>{html_text(w["fix"])}:</strong> {html_text(fix)}</p>\n')
            headers = (w["file"], w["record"], w["path"], w["location"], w["message"])
            table = '<div class="scroll"><table>' if located else '<div class="scroll"><table class="no-location">'
            self.write(table + "<thead><tr>" + "".join(f"<th>{html_text(heading(h))}</th>" for h in headers))
            self.write("</tr></thead>")
            self.write("\n<tbody>\n")
            spool.seek(0)
            for row in spool:
                self.write(row)
            spool.close()
            self.write("</tbody></table></div>\n</section>\n")
        self.write("</section>\n")
