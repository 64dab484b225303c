"""The report formats of ``willkommen validate``: HTML, CSV, GitHub annotations, JUnit XML.

Each format is checked on the shipped examples plus a broken copy of Bautzen
(``docs/data/broken.json``): it must name the same problems, by file, line,
code and path, as the JSON report. Then each is fed data that tries to forge
its structure.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

from willkommen._cli import DOCUMENT, Outcome, Summary
from willkommen._files import Source
from willkommen._formats import (
    CsvReport,
    GithubReport,
    HtmlReport,
    JunitReport,
    csv_cell,
    github_data,
    github_property,
    html_text,
    location_of,
    xml_text,
)
from willkommen._problems import INVALID_DATE, Location

from .conftest import example
from .test_cli import exploding_rule, line, run, write  # noqa: F401 - a fixture

ROOT = Path(__file__).parent.parent
SHIPPED = [str(ROOT / "examples"), str(ROOT / "docs" / "data" / "broken.json")]

Found = tuple[str, int | None, str, str, str]  # file, line, code, path, severity


def json_found(capsys: pytest.CaptureFixture[str], *argv: str) -> list[Found]:
    """The problems of the JSON report, as the other formats must name them."""
    _, out, _ = run(capsys, "validate", "--format", "json", *argv)
    document = json.loads(out)
    return [
        (f["path"], r["line"], p["code"], p["path"], p["severity"])
        for f in document["files"]
        for r in f["records"]
        for p in r["problems"]
    ]


def from_csv(out: str, delimiter: str) -> list[Found]:
    """The problems of a CSV report (header dropped)."""
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline=""), delimiter=delimiter))
    severities = {"error": "error", "warning": "warning", "Fehler": "error", "Warnung": "warning"}
    return [(f, int(n) if n else None, code, path, severities[sev]) for f, n, path, code, sev, _, _ in rows[1:]]


GITHUB = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def from_github(out: str) -> list[Found]:
    """The problems of GitHub annotations: file and line from the properties, path from the message."""
    found = []
    for text in out.splitlines():
        match = GITHUB.match(text)
        if match is None:
            assert text.startswith("::notice title=willkommen::")
            continue
        command, properties, message = match.groups()
        props = dict(p.split("=", 1) for p in properties.split(","))
        path = _unescape(message).split(": ", 1)[0]
        path = "" if path == DOCUMENT else path  # as in the text report: the whole document
        line_number = int(props["line"]) if "line" in props else None
        found.append((_unescape(props["file"]), line_number, _unescape(props["title"]), path, command))
    return found


def from_junit(out: str) -> tuple[ET.Element, list[Found]]:
    """The parsed document, and the problems of its failures and outputs."""
    root = ET.fromstring(out.encode())  # noqa: S314 - our own output, under test
    found = []
    for case in root.iter("testcase"):
        name = case.get("name", "")
        number = int(name.removeprefix("line ")) if name.startswith("line ") else None
        for child in case:
            for entry in (child.text or "").split("\n"):
                path, severity, code = re.match(r"^(.*?): (error|warning) (\S+):", entry).groups()  # type: ignore[union-attr]
                found.append((case.get("classname", ""), number, code, "" if path == DOCUMENT else path, severity))
    return root, found


class _Cells(HTMLParser):
    """The text of every table cell, by its label, row by row; and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.label: str | None = None
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append({})
        if tag == "td":
            self.label = dict(attrs).get("data-label") or ""
            self.rows[-1][self.label] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.label = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.label is not None:
            self.rows[-1][self.label] += data


def from_html(out: str) -> tuple[_Cells, list[Found]]:
    """The parsed page, and the problems of its tables (sorted: the page groups them by code)."""
    cells = _Cells()
    cells.feed(out)
    found = []
    for row in cells.rows:
        if "Path" in row:
            number = int(row["Record"].removeprefix("line ")) if row["Record"].startswith("line ") else None
            path = "" if row["Path"] == DOCUMENT else row["Path"]
            found.append((row["File"], number, "", path, ""))
    return cells, found


def _without_code(found: list[Found]) -> list[Found]:
    return sorted((f, n, "", "" if p == DOCUMENT else p, "") for f, n, _, p, _ in found)


# --- the same problems in every format ------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> list[str]:
    """The shipped examples, broken Bautzen, and a JSON Lines file with a warning, an error and a repeated id."""
    warned = example("helmstedt")
    warned["id"] = "helmstedt-2017"
    warned["offerings"] = [{"type": "analysis_workshop", "date": "2017-03-01", "participants": 3}]
    text = "\n".join([line(warned), "{broken", line(example("helmstedt"))]) + "\n"
    return [*SHIPPED, str(write(tmp_path / "more.jsonl", text.encode()))]


def test_the_shipped_examples_have_problems_to_show(capsys: pytest.CaptureFixture[str], mixed: list[str]) -> None:
    """The fixture exercises every kind of row: errors, a warning, lines, whole files, a repeated id."""
    found = json_found(capsys, *mixed)
    codes = {code for _, _, code, _, _ in found}
    assert {"invalid_value", "invalid_date", "collection.duplicate_id", "offering.participants"} <= codes
    assert {"invalid_json"} <= codes
    assert {n for _, n, *_ in found} == {None, 1, 2, 3}


@pytest.mark.parametrize(("lang", "delimiter"), [("en", ","), ("de", ";")])
def test_csv_names_the_same_problems(
    lang: str, delimiter: str, capsys: pytest.CaptureFixture[str], mixed: list[str]
) -> None:
    """One row per problem, in the order of the JSON report; German with a byte-order mark and ``;``."""
    expected = json_found(capsys, *mixed)
    code, out, _ = run(capsys, "validate", "--format", "csv", "--lang", lang, *mixed)
    assert code == 1
    assert out.startswith("\ufeff") == (lang == "de")
    assert out.splitlines()[0].lstrip("\ufeff").split(delimiter)[:4] == (
        ["file", "line", "path", "code"] if lang == "en" else ["Datei", "Zeile", "Pfad", "Code"]
    )
    assert from_csv(out, delimiter) == expected


def test_github_annotations_name_the_same_problems(capsys: pytest.CaptureFixture[str], mixed: list[str]) -> None:
    """``::error``/``::warning`` per problem with file, line where known, and the code as title; a summary notice."""
    expected = json_found(capsys, *mixed)
    code, out, _ = run(capsys, "validate", "--format", "github", *mixed)
    assert code == 1
    assert from_github(out) == expected
    assert out.splitlines()[-1].startswith("::notice title=willkommen::")


def test_junit_has_one_case_per_record_and_the_same_problems(
    capsys: pytest.CaptureFixture[str], mixed: list[str]
) -> None:
    """Suites per file with counts that add up; a failure for each invalid record; warnings as output."""
    expected = json_found(capsys, *mixed)
    _, out, _ = run(capsys, "validate", "--format", "json", *mixed)
    summary = json.loads(out)["summary"]
    code, out, _ = run(capsys, "validate", "--format", "junit", *mixed)
    assert code == 1
    root, found = from_junit(out)
    assert found == expected
    assert (root.get("tests"), root.get("failures")) == (str(summary["records"]), str(summary["invalid"]))
    suites = root.findall("testsuite")
    assert sum(int(s.get("tests", "")) for s in suites) == summary["records"]
    assert sum(len(s.findall("testcase")) for s in suites) == summary["records"]
    assert sum(len(s.findall("testcase/failure")) for s in suites) == summary["invalid"]
    (warned,) = [c for c in root.iter("testcase") if c.find("system-out") is not None]
    assert (warned.get("classname", "").endswith("more.jsonl"), warned.get("name")) == (True, "line 1")


def test_html_names_the_same_problems_grouped_by_code(capsys: pytest.CaptureFixture[str], mixed: list[str]) -> None:
    """A summary with every count, a section per code with its count, description and fix, and every occurrence."""
    expected = json_found(capsys, *mixed)
    _, out, _ = run(capsys, "validate", "--format", "json", *mixed)
    summary = json.loads(out)["summary"]
    code, page, _ = run(capsys, "validate", "--format", "html", *mixed)
    assert code == 1
    cells, found = from_html(page)
    assert sorted(found) == _without_code(expected)
    text = "".join(cells.text)
    for label in ("files", "records", "valid", "invalid", "errors", "warnings"):
        assert f"{label.capitalize()}{summary[label]}" in text
    counts: dict[str, int] = {}
    for _, _, problem_code, _, _ in expected:
        counts[problem_code] = counts.get(problem_code, 0) + 1
    for problem_code, count in counts.items():
        assert f"{problem_code} ({count})" in text
    assert "How to fix:" in text
    # Self-contained: no script, nothing fetched from anywhere.
    assert not {"script", "link", "img", "iframe", "object"} & set(cells.tags)
    assert "http://" not in page
    assert "https://" not in page


def test_html_lists_error_codes_before_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A warning code that sorts first (consultation.wrong_office) still comes after the errors (invalid_value)."""
    warned = {**example("bautzen"), "consultations": [{"date": "2017-01-10", "office": "koeln"}]}
    broken = {**example("helmstedt"), "origin": "reborn"}
    path = write(tmp_path / "two.jsonl", f"{line(warned)}\n{line(broken)}\n".encode())
    _, page, _ = run(capsys, "validate", "--format", "html", str(path))
    assert page.index("<code>invalid_value</code> <span") < page.index("<code>consultation.wrong_office</code> <span")


def test_html_speaks_german(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang de``: German words, German descriptions, ``lang="de"``."""
    code, page, _ = run(capsys, "validate", "--format", "html", "--lang", "de", *SHIPPED)
    assert code == 1
    assert '<html lang="de">' in page
    assert "Zusammenfassung" in page
    assert "Ein Datum, das kein Kalenderdatum der Form JJJJ-MM-TT ist." in page


def test_an_all_valid_run_says_so_in_html(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped examples alone: no problem section, a verdict that all is well."""
    code, page, _ = run(capsys, "validate", "--format", "html", str(ROOT / "examples"))
    assert code == 0
    assert "No problems found" in page
    assert "Problems by code" not in page


def test_a_spreadsheet_location_is_shown_where_a_problem_has_one() -> None:
    """Problems that carry a ``location`` (spreadsheet input) show it in every format."""
    plain = INVALID_DATE.problem("/agreement/signed_on", value="'x'")
    located = attrs.evolve(plain, location=Location(sheet="Tabelle1", cell="C7", row=7))
    assert (location_of(located), location_of(plain)) == ("Tabelle1!C7", "")
    source = Source("book.xlsx", Path("book.xlsx"), lines=False)
    outcome = Outcome(line=None, problems=[located], valid=False)
    for report_class in (CsvReport, GithubReport, HtmlReport, JunitReport):
        written: list[str] = []
        report = report_class(written.append, "en")
        report.begin()
        report.start_file(source)
        report.record(source, outcome)
        report.end_file()
        report.finish(Summary(files=1, records=1, valid=0, invalid=1, errors=1, warnings=0))
        assert "Tabelle1!C7" in "".join(written), report_class.__name__


# --- nothing from the data can forge structure ----------------------------------------------------

HOSTILE_KEY = '<script>alert("x")</script>\n::error file=evil::forged,=cmd|calc\r%0A\x00\x1b[31m\ud800'


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A file named like a formula and markup, holding a key full of markup, commands and control characters."""
    document = json.dumps(example("bautzen"))[:-1] + f", {json.dumps(HOSTILE_KEY)}: 1}}"
    name = '=HYPERLINK("x"),<b>&amp;.json'
    (tmp_path / name).write_text(document, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return [name]


def test_html_escapes_everything_from_the_data(hostile: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Keys and file names are text on the page: no element, no attribute can come from the data."""
    _, page, _ = run(capsys, "validate", "--format", "html", *hostile)
    cells, found = from_html(page)
    assert "script" not in cells.tags
    assert "b" not in cells.tags
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "&amp;amp;" in page
    (problem,) = found
    assert problem[0] == '=HYPERLINK("x"),<b>&amp;.json'  # the parser gives back the very text


def test_csv_cells_cannot_become_formulas(hostile: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A cell that starts like a formula starts with ``'``; separators and line breaks stay inside their cell."""
    _, out, _ = run(capsys, "validate", "--format", "csv", "--lang", "de", *hostile)
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert len(rows) == 2
    assert all(len(row) == 7 for row in rows)
    assert rows[1][0] == "'" + hostile[0]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_formula_is_made_text(value: str) -> None:
    """OWASP's list of characters that start a formula."""
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Bautzen", "/partners/0", "", "1=1", "a-b"])
def test_other_cells_stay_as_they_are(value: str) -> None:
    """Only the first character matters."""
    assert csv_cell(value) == value


def test_github_annotations_cannot_be_forged(hostile: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A line break in the data cannot start a new workflow command; ``,`` and ``:`` cannot add a property."""
    paths = hostile
    _, out, _ = run(capsys, "validate", "--format", "github", *paths)
    lines = out.splitlines()
    assert len(lines) == 2  # the one problem, and the summary
    assert all(text.startswith(("::error file=", "::notice title=willkommen::")) for text in lines)
    assert all(text.isprintable() for text in lines)
    (found,) = from_github(out)
    assert found[:3] == (paths[0], None, "unknown_key")


def test_github_escaping_follows_the_runner() -> None:
    """actions/toolkit: ``%``, CR, LF in data; also ``:`` and ``,`` in properties."""
    assert github_data("50% \r\n::x") == "50%25 %0D%0A::x"
    assert github_property("a,b:c%") == "a%2Cb%3Ac%25"


def test_junit_is_well_formed_whatever_the_data_holds(hostile: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Markup is escaped; NUL, ESC and lone surrogates, which XML 1.0 cannot hold, are written as escapes.

    A line break in the data is an escape too, so it cannot fake another problem's line in the failure text.
    """
    _, out, _ = run(capsys, "validate", "--format", "junit", *hostile)
    root, found = from_junit(out)
    (case,) = root.iter("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert "<script>" in (failure.text or "")  # text again once parsed, never an element
    assert "\\x00" in (failure.text or "")  # control characters shown as escapes, as on a terminal
    assert [code for _, _, code, _, _ in found] == ["unknown_key"]


def test_xml_and_html_escaping() -> None:
    """Quotes are escaped for attributes; illegal characters never reach XML."""
    assert html_text("<a href='x'>\"&") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;"
    assert xml_text("a\x00b\ud800c\n") == "a\\u0000b\\ud800c&#10;"
    ET.fromstring(f'<x a="{xml_text(chr(1) + chr(0xFFFE) + "<")}">{xml_text("]]>")}</x>')  # noqa: S314 - our own text


@pytest.mark.usefixtures("exploding_rule")
def test_a_check_that_failed_is_shown_in_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rule that raises (exit 3) is a bug, not a problem: a JUnit error, an annotation, a CSV row, an HTML group."""
    path = write(tmp_path / "all.jsonl", f"{line({**example('bautzen'), 'id': 'boom'})}\n".encode())
    outputs = {}
    for form in ("csv", "github", "junit", "html"):
        code, out, err = run(capsys, "validate", "--format", form, str(path))
        assert code == 3, form
        assert "ZeroDivisionError" in err
        outputs[form] = out
    rows = list(csv.reader(io.StringIO(outputs["csv"], newline="")))
    assert rows[1][:5] == [str(path), "1", "", "", "failure"]
    assert "test.explodes" in rows[1][5]
    assert outputs["github"].startswith(f"::error file={github_property(str(path))},line=1,title=willkommen::")
    root = ET.fromstring(outputs["junit"].encode())  # noqa: S314 - our own output, under test
    (error,) = root.iter("error")
    assert (error.get("type"), root.get("errors"), root.find("testsuite").get("errors")) == (  # type: ignore[union-attr]
        "ZeroDivisionError",
        "1",
        "1",
    )
    assert "<code>(failure)</code>" in outputs["html"]
    assert "test.explodes" in outputs["html"]
