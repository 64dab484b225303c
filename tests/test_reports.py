"""Reports for program offices: rows by alliance, state, office, offering and partner; totals that add up."""

import csv
import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
from willkommen import OfferingType, PartnerKind, State, reports
from willkommen._reports import AGGREGATIONS, markdown_cell
from willkommen.reports import AllianceRow, OfferingRow, OfficeRow, PartnerRow, StateRow
from willkommen.testing import alliances

from .conftest import example
from .test_cli import line, run, write

ROOT = Path(__file__).parent.parent
EXAMPLES = str(ROOT / "examples")


def report_json(capsys: pytest.CaptureFixture[str], kind: str, *argv: str) -> dict[str, Any]:
    """``willkommen report KIND --format json``, parsed; the exit code must be 0."""
    code, out, err = run(capsys, "report", kind, "--format", "json", *argv)
    assert (code, err) == (0, ""), err
    document: dict[str, Any] = json.loads(out)
    return document


# --- the shipped examples, kind by kind -----------------------------------------------------------


def test_alliances_of_the_shipped_examples() -> None:
    """One row each, with the figures derived from the data (Bautzen: Magdeburg's region, 100 hours budgeted).

    Bautzen counts its planned training (format version 2: planned, no date
    yet); Helmstedt gives no hours budget, so its budget and hours left are
    unknown (None), not the program's cap of 100 and not 0.
    """
    report = reports.from_files("alliances", [EXAMPLES])
    bautzen, helmstedt, leverkusen = report.rows
    assert bautzen == AllianceRow(
        id="bautzen",
        name=None,
        program="willkommen-bei-freunden",
        local_authorities=("Landkreis Bautzen", "Stadt Bautzen"),
        states=(State.SN,),
        office="magdeburg",  # Sachsen lies in Magdeburg's region
        partners=8,
        goals=3,
        measures=3,
        offerings=1,
        hours_budget=Decimal(100),
        hours_used=Decimal(0),
        hours_left=Decimal(100),
    )
    assert (helmstedt.id, helmstedt.states, helmstedt.office) == ("helmstedt", (State.NI,), None)  # NI: no office known
    assert (helmstedt.hours_budget, helmstedt.hours_used, helmstedt.hours_left) == (None, Decimal(0), None)
    assert (leverkusen.id, leverkusen.program, leverkusen.hours_used) == ("leverkusen", "gemeinsam-klappts", None)
    assert report.footer == reports.Footer(records=3, included=3, left_out=0)


def test_states_of_the_shipped_examples() -> None:
    """Sachsen, Niedersachsen, Nordrhein-Westfalen: one alliance each, in the order of the code list."""
    assert reports.from_files("states", [EXAMPLES]).rows == (
        StateRow(state=State.NI, alliances=1, local_authorities=1),
        StateRow(state=State.NW, alliances=1, local_authorities=1),
        StateRow(state=State.SN, alliances=1, local_authorities=2),
    )


def test_offices_of_the_shipped_examples() -> None:
    """Magdeburg has Bautzen; Helmstedt's state has no known office: an explicit "not assigned" row, no guess.

    Helmstedt's budget is unknown: its office's budget and hours left are unknown too, and so are their totals.
    """
    report = reports.from_files("offices", [EXAMPLES])
    rows = report.rows
    zero = Decimal(0)
    assert rows == (
        OfficeRow(
            program="gemeinsam-klappts", office=None, city=None, alliances=1, coached=0, budget_unknown=0,
            hours_budget=zero, hours_used=zero, hours_left=zero, sessions=0,
        ),
        OfficeRow(
            program="willkommen-bei-freunden", office="magdeburg", city="Magdeburg", alliances=1, coached=1,
            budget_unknown=0, hours_budget=Decimal(100), hours_used=zero, hours_left=Decimal(100), sessions=0,
        ),
        OfficeRow(
            program="willkommen-bei-freunden", office=None, city=None, alliances=1, coached=1, budget_unknown=1,
            hours_budget=None, hours_used=zero, hours_left=None, sessions=0,
        ),
    )  # fmt: skip
    sums = report.totals()
    unknown = {name: sums[name] for name in ("budget_unknown", "hours_budget", "hours_used", "hours_left")}
    assert unknown == {"budget_unknown": 1, "hours_budget": None, "hours_used": zero, "hours_left": None}


def test_offerings_of_the_shipped_examples() -> None:
    """Leverkusen's starter workshop (2019, no participant count) and Bautzen's planned training (no date yet)."""
    assert reports.from_files("offerings", [EXAMPLES]).rows == (
        OfferingRow(
            offering_type=OfferingType.ANALYSIS_WORKSHOP,
            year=2019,
            offerings=1,
            planned=0,
            participants=0,
            without_participants=1,
        ),
        OfferingRow(
            offering_type=OfferingType.TRAINING,
            year=None,
            offerings=1,
            planned=1,
            participants=0,
            without_participants=1,
        ),
    )


def test_partners_of_the_shipped_examples() -> None:
    """Per kind: partners counted, and the alliances that have one."""
    rows = {row.kind: row for row in reports.from_files("partners", [EXAMPLES]).rows}
    assert rows[PartnerKind.ADMINISTRATION_LEAD] == PartnerRow(
        kind=PartnerKind.ADMINISTRATION_LEAD, partners=3, alliances=2
    )
    assert rows[PartnerKind.JOB_CENTER] == PartnerRow(kind=PartnerKind.JOB_CENTER, partners=3, alliances=3)
    assert sum(row.partners for row in rows.values()) == 8 + 6 + 11
    assert list(rows) == [kind for kind in PartnerKind if kind in rows]


@pytest.mark.parametrize("kind", reports.KINDS)
def test_every_format_has_the_same_rows(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """CSV, Markdown, JSON and HTML show the rows of the Python report, in order, with the footer."""
    expected = reports.from_files(kind, [EXAMPLES])
    document = report_json(capsys, kind, EXAMPLES)
    assert len(document["rows"]) == len(expected.rows)
    first_column = attrs.fields(type(expected.rows[0]))[0].name
    assert [row[first_column] for row in document["rows"]] == [
        getattr(r, first_column).value if hasattr(getattr(r, first_column), "value") else getattr(r, first_column)
        for r in expected.rows
    ]
    assert document["footer"] == {"records": 3, "included": 3, "left_out": 0, "include_invalid": False}

    _, out, _ = run(capsys, "report", kind, "--format", "csv", EXAMPLES)
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 1 + len(expected.rows) + 1 + 3  # header, rows, totals, footer

    _, out, _ = run(capsys, "report", kind, "--format", "md", EXAMPLES)
    table = [text for text in out.splitlines() if text.startswith("| ")]
    assert len(table) == 2 + len(expected.rows) + 1  # header, alignment, rows, totals

    _, page, _ = run(capsys, "report", kind, "--format", "html", EXAMPLES)
    cells = _Rows()
    cells.feed(page)
    assert len(cells.rows) == 1 + len(expected.rows) + 1  # header, rows, totals


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - the parser's signature
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])

    def handle_data(self, data: str) -> None:
        if self.rows and data.strip():
            self.rows[-1].append(data)


def test_decimals_are_exact_and_german_csv_uses_commas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """33.3 + 33.3 + 33.4 hours are exactly 100; German CSV: byte-order mark, ``;``, decimal comma."""
    data = example("bautzen")
    data["coaching"]["sessions"] = [
        {"date": "2017-10-0" + str(day), "hours": hours} for day, hours in ((2, 33.3), (3, 33.3), (4, 33.4))
    ]
    path = write(tmp_path / "b.json", data)
    (row,) = reports.from_files("offices", [path]).rows
    assert (row.hours_used, row.hours_left, row.sessions) == (Decimal(100), Decimal(0), 3)
    assert str(row.hours_used) == "100.0"
    _, out, _ = run(capsys, "report", "alliances", "--format", "csv", "--lang", "de", str(path))
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows[0][:2] == ["ID", "Name"]
    assert rows[1][-4:-1] == ["100", "100,0", "0,0"]  # budget, used, left


def test_sums_are_exact_whatever_the_digits(tmp_path: Path) -> None:
    """99 hours and 1e-300 hours are 99.000…0001 hours, not 99: no sum is rounded."""
    data = example("bautzen")
    data["coaching"]["sessions"] = [{"date": "2017-10-02", "hours": 99}, {"date": "2017-10-03", "hours": 1e-300}]
    path = write(tmp_path / "b.json", data)
    (row,) = reports.from_files("offices", [path]).rows
    assert row.hours_used == Decimal("99." + "0" * 299 + "1")
    assert row.hours_left == Decimal("0." + "9" * 300)


def test_a_negative_number_stays_a_number_in_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hours over budget are negative hours left: a number we computed, not a formula to neutralise."""
    data = example("bautzen")
    data["coaching"]["sessions"] = [{"date": "2017-10-02", "hours": 120}]
    path = write(tmp_path / "b.json", data)
    _, out, _ = run(capsys, "report", "alliances", "--format", "csv", "--include-invalid", str(path))
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[1][-2:] == ["-20", "no"]


# --- invalid records ------------------------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Valid Bautzen, an invalid Helmstedt (no goals: readable, rule error), a line that is not JSON."""
    helmstedt = {**example("helmstedt"), "goals": []}
    text = "\n".join([line(example("bautzen")), line(helmstedt), "{not json"]) + "\n"
    return write(tmp_path / "all.jsonl", text.encode())


def test_invalid_records_are_left_out_and_counted(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the valid record counts; the footer says how many were left out."""
    document = report_json(capsys, "states", str(mixed))
    assert [(r["state"], r["alliances"]) for r in document["rows"]] == [("DE-SN", 1)]
    assert document["footer"] == {"records": 3, "included": 1, "left_out": 2, "include_invalid": False}


def test_include_invalid_keeps_what_could_be_read(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--include-invalid``: the invalid alliance counts, marked invalid; text that is not JSON cannot."""
    document = report_json(capsys, "alliances", "--include-invalid", str(mixed))
    assert [(r["id"], r["valid"]) for r in document["rows"]] == [("bautzen", True), ("helmstedt", False)]
    assert document["footer"]["left_out"] == 1
    _, out, _ = run(capsys, "report", "alliances", "--include-invalid", str(mixed))
    assert "Left out (could not be read): 1" in out


def test_a_repeated_id_is_invalid_in_reports_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Two records of one alliance would count it twice: both are left out, as validate calls both invalid."""
    path = write(tmp_path / "twice.jsonl", f"{line(example('bautzen'))}\n{line(example('bautzen'))}\n".encode())
    document = report_json(capsys, "states", str(path))
    assert (document["rows"], document["footer"]["left_out"]) == ([], 2)


def test_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``-`` with ``--jsonl`` reads JSON Lines from standard input."""
    import sys

    text = f"{line(example('bautzen'))}\n{line(example('helmstedt'))}\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    document = report_json(capsys, "states", "--jsonl", "-")
    assert [r["state"] for r in document["rows"]] == ["DE-NI", "DE-SN"]


def test_an_empty_folder_gives_an_empty_report_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No files: a report with no rows and zero counts, exit 0, a note on standard error."""
    code, out, err = run(capsys, "report", "offices", "--format", "json", str(tmp_path))
    assert code == 0
    assert json.loads(out)["footer"] == {"records": 0, "included": 0, "left_out": 0, "include_invalid": False}
    assert "no *.json, *.jsonl or *.ndjson files" in err


@pytest.mark.parametrize(
    "argv",
    [["report", "counties", EXAMPLES], ["report", "states"], ["report", "states", "--format", "xml", EXAMPLES]],
)
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown kind or format, no path: exit 2."""
    assert run(capsys, *argv)[0] == 2


def test_python_refuses_unknown_kinds_and_missing_files(tmp_path: Path) -> None:
    """ValueError for a kind, FileNotFoundError for a path."""
    with pytest.raises(ValueError, match="unknown kind"):
        reports.summarise("counties", [])
    with pytest.raises(FileNotFoundError):
        reports.from_files("states", [tmp_path / "nope.json"])


# --- totals add up, memory holds groups -----------------------------------------------------------


@given(st.lists(alliances(), max_size=4))
def test_totals_add_up(items: list[willkommen.Alliance]) -> None:
    """Each report counts every alliance, Kommune, session, hour, offering and partner exactly once.

    (One test for all kinds, as generating alliances is the slow part.)
    """
    states = reports.summarise("states", items)
    assert sum(row.alliances for row in states) == len(items)
    assert sum(row.local_authorities for row in states) == sum(len(a.local_authorities) for a in items)

    offices = reports.summarise("offices", items)
    used = sum((s.hours for a in items if a.coaching for s in a.coaching.sessions), Decimal(0))
    assert sum((row.hours_used for row in offices), Decimal(0)) == used
    assert sum(row.alliances for row in offices) == len(items)
    assert sum(row.sessions for row in offices) == sum(len(a.coaching.sessions) for a in items if a.coaching)
    for row in offices:  # an unknown budget is unknown for the office, never a partial sum
        budgets = [a.coaching.hours_budget for a in items if a.coaching and _office_key(a) == (row.program, row.office)]
        assert row.budget_unknown == budgets.count(None)
        if row.budget_unknown:
            assert (row.hours_budget, row.hours_left) == (None, None)
        else:
            assert row.hours_budget == sum((b for b in budgets if b is not None), Decimal(0))
            assert row.hours_left == row.hours_budget - row.hours_used

    by_alliance = reports.summarise("alliances", items)
    assert [r.id for r in by_alliance] == [a.id for a in items]
    assert sum((r.hours_used or Decimal(0) for r in by_alliance), Decimal(0)) == used

    offerings = reports.summarise("offerings", items)
    assert sum(row.offerings for row in offerings) == sum(len(a.offerings) for a in items)
    assert sum(row.participants for row in offerings) == sum(o.participants or 0 for a in items for o in a.offerings)
    assert sum(row.without_participants for row in offerings) == sum(
        o.participants is None for a in items for o in a.offerings
    )

    partners = reports.summarise("partners", items)
    assert sum(row.partners for row in partners) == sum(len(a.partners) for a in items)


def _office_key(alliance: willkommen.Alliance) -> tuple[str, str | None]:
    (row,) = reports.summarise("alliances", [alliance])
    return row.program, row.office


def test_aggregations_hold_one_entry_per_group() -> None:
    """A thousand copies of Bautzen make as many entries as one: memory grows with the groups, not the records."""
    bautzen = willkommen.load(example("bautzen"))
    kinds = {partner.kind for partner in bautzen.partners}
    expected = {"alliances": 0, "states": 1, "offices": 1, "offerings": 1, "partners": len(kinds)}
    for kind, aggregation_type in AGGREGATIONS.items():
        aggregation = aggregation_type()
        for _ in range(1000):
            list(aggregation.add(bautzen))
        assert (kind, aggregation.groups()) == (kind, expected[kind])


# --- nothing from the data forges the output ------------------------------------------------------

HOSTILE = "| <img src=x onerror=alert(1)> [link](javascript:x) `code`\n# heading\r=SUM(A1)"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Bautzen under a name and Kommune that try every format's syntax."""
    data = example("bautzen")
    data["name"] = HOSTILE
    data["local_authorities"][0]["name"] = '=HYPERLINK("http://x")'
    return write(tmp_path / "b.json", data)


def test_markdown_cells_cannot_break_the_table(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One table row per alliance, as many cells as columns; no HTML, link or code span from the data."""
    _, out, _ = run(capsys, "report", "alliances", "--format", "md", str(hostile))
    table = [text for text in out.splitlines() if text.startswith("| ")]
    assert len(table) == 4
    header_cells = table[0].count(" | ")
    unescaped_bars = table[2].replace("\\|", "").count(" | ")
    assert unescaped_bars == header_cells
    assert "<img" not in out
    assert "[link](" not in out
    assert "\\[link\\](javascript" in out
    assert "\\`code\\`" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a\\|b"),
        ("`x`", "\\`x\\`"),
        ("<b>", "&lt;b&gt;"),
        ("a\nb", "a<br>b"),
        ("# h", "\\# h"),
        ("- item", "\\- item"),
        ("=1", "\\=1"),
        ("[a](b)", "\\[a\\](b)"),
        ("back\\slash", "back\\\\slash"),
        ("&lt;", "&amp;lt;"),
    ],
)
def test_markdown_cell(text: str, expected: str) -> None:
    """What each character of Markdown syntax becomes in a cell."""
    assert markdown_cell(text) == expected


def test_csv_and_html_reports_escape_the_data(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Kommune named like a formula is text in CSV; markup is text in HTML."""
    _, out, _ = run(capsys, "report", "alliances", "--format", "csv", str(hostile))
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[1][3].startswith("'=HYPERLINK")
    assert rows[1][1].startswith("| <img")
    _, page, _ = run(capsys, "report", "alliances", "--format", "html", str(hostile))
    parsed = _Rows()
    parsed.feed(page)
    assert "img" not in parsed.tags
    assert "script" not in parsed.tags
