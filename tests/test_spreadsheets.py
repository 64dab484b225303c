"""Spreadsheets: alliances to XLSX, ODS and CSV and back, every problem located by sheet and cell."""

import datetime as dt
import enum
import io
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from willkommen import spreadsheets
from willkommen._example import example_document
from willkommen._layout import Column, layout
from willkommen._sheets import CellReader, CellStyle
from willkommen.nrw import GEMEINSAM_KLAPPTS, NrwAlliance, ResidenceStatus, TargetGroup
from willkommen.testing import alliances

FORMATS = ("xlsx", "ods", "zip", "csv")
LANGS = ("de", "en")


def _nrw(alliance: willkommen.Alliance, group: TargetGroup) -> NrwAlliance:
    """A valid NRW alliance: its first partner, an integration office, coordinates."""
    fields = {f.name: getattr(alliance, f.name) for f in attrs.fields(willkommen.Alliance)}
    office = attrs.evolve(alliance.partners[0], kind=willkommen.PartnerKind.INTEGRATION_OFFICE)
    fields["partners"] = (office, *alliance.partners[1:])
    return NrwAlliance(**fields, coordinating_office=office.id, target_group=group)


@st.composite
def _target_groups(draw: st.DrawFn) -> TargetGroup:
    age_min = draw(st.integers(18, 26))
    return TargetGroup(
        age_min=age_min,
        age_max_exclusive=draw(st.integers(age_min + 1, 27)),
        focus_statuses=tuple(draw(st.lists(st.sampled_from(ResidenceStatus), unique=True))),
        count=draw(st.none() | st.integers(0, 5000)),
    )


_TARGET_GROUPS = _target_groups()
_NRW_ALLIANCES = st.builds(_nrw, alliances(GEMEINSAM_KLAPPTS), _TARGET_GROUPS)
_ALLIANCE_LISTS = st.lists(alliances() | _NRW_ALLIANCES, min_size=1, max_size=3, unique_by=lambda a: a.id)


def round_trip(objects: list[Any], fmt: str, lang: str) -> spreadsheets.WorkbookReading:
    """Write *objects* in *fmt* and read them back."""
    if fmt == "csv":
        with tempfile.TemporaryDirectory() as folder:
            spreadsheets.write(objects, Path(folder, "out"), lang=lang)  # type: ignore[arg-type]
            return spreadsheets.read(Path(folder, "out"))
    buffer = io.BytesIO()
    spreadsheets.write(objects, buffer, lang=lang, format=fmt)  # type: ignore[arg-type]
    return spreadsheets.read(buffer.getvalue(), format=fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=15)
@given(objects=_ALLIANCE_LISTS)
def test_round_trip(fmt: str, lang: str, objects: list[willkommen.Alliance]) -> None:
    """Whatever alliances are written, in any format and language, the same alliances are read back."""
    reading = round_trip(objects, fmt, lang)
    assert reading.all_problems() == []
    assert objects == [record.value for record in reading.records]


# --- planted errors: each with its code, pointer, sheet and cell ----------------------------------------


def _template(lang: str = "de") -> Any:
    """The template workbook (the Bautzen example) opened for editing with openpyxl."""
    import openpyxl

    buffer = io.BytesIO()
    spreadsheets.write_template(buffer, lang=lang, format="xlsx")  # type: ignore[arg-type]
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def _read(book: Any) -> spreadsheets.WorkbookReading:
    buffer = io.BytesIO()
    book.save(buffer)
    return spreadsheets.read(buffer.getvalue(), format="xlsx")


def _found(reading: spreadsheets.WorkbookReading) -> list[tuple[str, str, str | None, str | None]]:
    """Each problem as (code, pointer, sheet, cell)."""
    return [
        (p.code, p.path, p.location.sheet if p.location else None, p.location.cell if p.location else None)
        for p in reading.all_problems()
    ]


def _set_text(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"


def test_template_reads_back_valid() -> None:
    """The template holds the example alliance and reads back without a problem."""
    reading = _read(_template())
    assert reading.all_problems() == []
    assert spreadsheets.template_alliances() == [record.value for record in reading.records]


def _cell(book: Any, sheet: str, heading: str | None, row: int) -> Any:
    """The cell of a sheet by its heading (None: the first column after the headings) and row.

    Found by heading, not by letter: tests elsewhere declare tagged subclasses, which add columns.
    """
    headings = [cell.value for cell in book[sheet][1]]
    column = len(headings) + 1 if heading is None else headings.index(heading) + 1
    return book[sheet].cell(row, column)


def _number(cell: Any, value: object) -> None:
    cell.value = value


# (name, sheet, heading, row, change of that cell, code, pointer)
PLANTED: list[tuple[str, str, str | None, int, Callable[[Any], None], str, str]] = [
    # Landkreis Bautzen's key 14625 typed as a number.
    (
        "ags_as_number",
        "Kommunen",
        "AGS",
        2,
        lambda c: _number(c, 14625),
        "sheet.text_expected",
        "/local_authorities/0/ags",
    ),
    # The agreement's date typed as German text.
    (
        "date_as_text",
        "Bündnisse",
        "Kooperationsvereinbarung: Unterzeichnet am",
        2,
        lambda c: _set_text(c, "26.09.2017"),
        "sheet.date_expected",
        "/agreement/signed_on",
    ),
    # Hours with a decimal comma, as text.
    (
        "hours_as_text",
        "Termine",
        "Stunden",
        2,
        lambda c: _set_text(c, "33,3"),
        "sheet.number_expected",
        "/coaching/sessions/0/hours",
    ),
    # Half a participant.
    (
        "fraction_of_participants",
        "Angebote",
        "Teilnehmende",
        2,
        lambda c: _number(c, 12.5),
        "sheet.whole_number_expected",
        "/offerings/0/participants",
    ),
    # A partner kind no code list has.
    ("unknown_kind", "Partner", "Art", 4, lambda c: _set_text(c, "Jugendamtt"), "invalid_value", "/partners/2/kind"),
    # A partner without a name: the empty cell is named.
    ("missing_name", "Partner", "Name", 3, lambda c: _number(c, None), "missing", "/partners/1/name"),
    # A heading the sheet does not have.
    ("unknown_column", "Partner", None, 1, lambda c: _set_text(c, "Telefon"), "sheet.unknown_column", ""),
    # The same heading twice, once in English.
    ("duplicate_column", "Partner", None, 1, lambda c: _set_text(c, "Kind"), "sheet.duplicate_column", ""),
    # A contact of an alliance that does not exist.
    ("unknown_alliance", "Kontakte", "Bündnis-ID", 2, lambda c: _set_text(c, "bautzn"), "sheet.unknown_parent", ""),
    # A contact of a partner that does not exist.
    ("unknown_partner", "Kontakte", "Partner-ID", 2, lambda c: _set_text(c, "landrad"), "sheet.unknown_parent", ""),
]


@pytest.mark.parametrize(
    ("sheet", "heading", "row", "change", "code", "pointer"), [p[1:] for p in PLANTED], ids=[p[0] for p in PLANTED]
)
def test_planted_error(  # noqa: PLR0917 - one parameter per column of the table
    sheet: str, heading: str | None, row: int, change: Callable[[Any], None], code: str, pointer: str
) -> None:
    """A planted error is reported with its exact code, pointer, sheet and cell."""
    book = _template()
    cell = _cell(book, sheet, heading, row)
    change(cell)
    assert (code, pointer, sheet, cell.coordinate) in _found(_read(book))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # A sheet nobody asked for.
        (lambda b: b.create_sheet("Telefonliste"), ("sheet.unknown_sheet", "", "Telefonliste", None)),
        # The main sheet is gone.
        (lambda b: b.remove(b["Bündnisse"]), ("sheet.missing_sheet", "", None, None)),
        # The info sheet lost its schema version.
        (lambda b: b["Info"].delete_rows(2), ("missing", "/schema_version", "Info", None)),
    ],
    ids=["unknown_sheet", "no_main_sheet", "no_version"],
)
def test_planted_sheet_error(change: Callable[[Any], None], expected: tuple[str, str, str | None, None]) -> None:
    """A sheet too many, the main sheet or the version missing: each is reported with its sheet."""
    book = _template()
    change(book)
    assert expected in _found(_read(book))


def test_every_sheet_code_is_planted() -> None:
    """Each sheet.* code of the catalogue is planted by a test here or in test_spreadsheets_hostile.py."""
    hostile = (Path(__file__).parent / "test_spreadsheets_hostile.py").read_text(encoding="utf-8")
    planted = (
        {p[5] for p in PLANTED if p[5].startswith("sheet.")}
        | {"sheet.unknown_sheet", "sheet.missing_sheet"}
        | {code for code in ("sheet.unsafe", "sheet.too_large") if code in hostile}
    )
    planted |= {"sheet.unreadable", "sheet.duplicate_id"}  # test_not_a_spreadsheet, test_duplicate_alliance_id_is_named
    planted |= {"sheet.json_expected"}  # test_a_json_cell_that_is_not_json_is_named
    shipped = {rule.code for rule in willkommen.rules.catalogue() if rule.code.startswith("sheet.")}
    assert shipped == planted


def test_text_expected_message_gives_the_hint() -> None:
    """An AGS typed as a number tells how to keep its leading zero, in both languages."""
    book = _template()
    _cell(book, "Kommunen", "AGS", 2).value = 14625
    (problem,) = [p for p in _read(book).all_problems() if p.code == "sheet.text_expected"]
    assert "as text" in problem.message
    assert "als Text" in problem.message_de
    assert str(problem.location) == "Kommunen!E2 (AGS)"


def test_leading_blank_rows_keep_row_numbers() -> None:
    """Blank rows above the headings never shift the rows that problems name."""
    book = _template()
    cell = _cell(book, "Partner", "Art", 4)
    book["Partner"].insert_rows(1, 3)
    _set_text(book["Partner"].cell(7, cell.column), "Jugendamtt")  # the third partner, three rows lower
    assert ("invalid_value", "/partners/2/kind", "Partner", f"{cell.column_letter}7") in _found(_read(book))


def test_whole_number_as_float_reads_as_integer() -> None:
    """12.0 in a whole-number column reads as 12."""
    book = _template()
    _cell(book, "Angebote", "Teilnehmende", 2).value = 12.0
    reading = _read(book)
    assert reading.all_problems() == []
    assert reading.records[0].value.offerings[0].participants == 12


def test_hours_read_exactly() -> None:
    """33.3 + 33.3 + 33.4 hours from number cells add up to exactly 100."""
    from decimal import Decimal

    alliance = _read(_template()).records[0].value
    assert Decimal(100) == alliance.coaching.hours_used


@pytest.mark.parametrize("text", ["youth_office", "youth office", "Jugendamt", "JUGENDAMT"])
def test_code_cells_take_code_or_label(text: str) -> None:
    """A code-list cell takes the code, the English or the German label, in any case."""
    book = _template()
    _set_text(_cell(book, "Partner", "Art", 4), text)
    reading = _read(book)
    assert reading.all_problems() == []
    assert reading.records[0].value.partners[2].kind == willkommen.PartnerKind.YOUTH_OFFICE


def test_headings_in_either_language_or_field_names() -> None:
    """English headings, German headings and field names may be mixed."""
    book = _template()
    _set_text(_cell(book, "Partner", "Name", 1), "name")
    _set_text(_cell(book, "Partner", "Art", 1), "Kind")
    reading = _read(book)
    assert reading.all_problems() == []


def test_duplicate_alliance_id_is_named() -> None:
    """Two alliances with one id: the second row's id cell says where the first is."""
    book = _template()
    sheet = book["Bündnisse"]
    for column in range(1, sheet.max_column + 1):
        sheet.cell(3, column).value = sheet.cell(2, column).value
    found = _found(_read(book))
    assert ("sheet.duplicate_id", "/id", "Bündnisse", _cell(book, "Bündnisse", "ID", 3).coordinate) in found


def test_not_a_spreadsheet() -> None:
    """Bytes that are no workbook are one problem, never a traceback."""
    reading = spreadsheets.read(b"this is no workbook", format="xlsx")
    assert [p.code for p in reading.all_problems()] == ["sheet.unreadable"]
    assert reading.records == []


def test_load_raises_with_every_problem() -> None:
    """load() gives the alliances, or raises ValidationError holding every located problem."""
    book = _template()
    _cell(book, "Kommunen", "AGS", 2).value = 14625
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(willkommen.ValidationError) as caught:
        spreadsheets.load(buffer.getvalue(), format="xlsx")
    assert [p.code for p in caught.value.problems] == ["sheet.text_expected"]


def test_csv_takes_german_numbers_and_dates(tmp_path: Path) -> None:
    """A German CSV folder (';') takes 33,3 and 26.09.2017 as Excel writes them; an English one does not guess."""
    spreadsheets.write_template(tmp_path / "de", lang="de")
    sessions = tmp_path / "de" / "Termine.csv"
    sessions.write_text(sessions.read_text(encoding="utf-8-sig").replace("2017-10-10", "10.10.2017"), encoding="utf-8")
    reading = spreadsheets.read(tmp_path / "de")
    assert reading.all_problems() == []
    spreadsheets.write_template(tmp_path / "en", lang="en")
    english = tmp_path / "en" / "Coaching sessions.csv"
    english.write_text(english.read_text(encoding="utf-8-sig").replace("33.3", '"33,3"', 1), encoding="utf-8")
    found = _found(spreadsheets.read(tmp_path / "en"))
    assert found == [("sheet.number_expected", "/coaching/sessions/0/hours", "Coaching sessions", "C2")]


# --- cells, one kind at a time ------------------------------------------------------------------------


def _column(kind: str, *, joined: bool = False, codes: Any = None) -> Column:
    return Column(("x",), kind, "X", "X", codes=codes, joined=joined)  # type: ignore[arg-type]


CELLS: list[tuple[bool, bool, Column, object, object]] = [
    # (typed file, decimal comma, column, cell, what the document gets)
    (True, False, _column("integer"), 12, 12),
    (True, False, _column("integer"), 12.0, 12),
    (True, False, _column("decimal"), 33.3, Decimal("33.3")),
    (True, False, _column("decimal"), 100, Decimal(100)),
    (True, False, _column("number"), 2.5, 2.5),
    (True, False, _column("date"), dt.datetime(2017, 9, 26), "2017-09-26"),  # noqa: DTZ001 - cells have no zone
    (True, False, _column("date"), dt.date(2017, 9, 26), "2017-09-26"),
    (True, False, _column("date"), "2017-09-26", "2017-09-26"),
    (True, False, _column("boolean"), True, True),
    (True, False, _column("text", joined=True), "a; b;", ["a", "b"]),
    (True, False, _column("text", joined=True), 12, ["12"]),
    (True, False, _column("code", codes=willkommen.Horizon), "kurzfristig", "short_term"),
    (True, False, _column("code", codes=willkommen.Horizon), 7, 7),
    (False, False, _column("integer"), "12", 12),
    (False, False, _column("integer"), "12,0", 12),
    (False, False, _column("decimal"), "33.3", Decimal("33.3")),
    (False, True, _column("decimal"), "33,3", Decimal("33.3")),
    (False, False, _column("number"), "2.5", 2.5),
    (False, False, _column("date"), "26.9.2017", "2017-09-26"),
    (False, False, _column("boolean"), "WAHR", True),
    (False, False, _column("boolean"), "maybe", "maybe"),
    (False, False, _column("text"), "'=1+1", "=1+1"),
    (False, False, _column("text"), "'a", "'a"),
]


@pytest.mark.parametrize(("typed", "comma", "column", "cell", "expected"), CELLS)
def test_cells_read_as_their_column_says(
    typed: bool, comma: bool, column: Column, cell: object, expected: object
) -> None:
    """Each kind of column reads what a file of its kind may hold."""
    reader = CellReader(CellStyle(typed=typed, decimal_comma=comma))
    assert reader.read(column, cell, "/x") == expected  # type: ignore[arg-type]


BAD_CELLS: list[tuple[bool, bool, Column, object, str]] = [
    (True, False, _column("text"), 14625, "sheet.text_expected"),
    (True, False, _column("text"), dt.date(2017, 1, 1), "sheet.text_expected"),
    (True, False, _column("text"), True, "sheet.text_expected"),
    (True, False, _column("text", joined=True), 1.5, "sheet.text_expected"),
    (True, False, _column("integer"), 12.5, "sheet.whole_number_expected"),
    (True, False, _column("integer"), "12", "sheet.number_expected"),
    (True, False, _column("integer"), True, "sheet.number_expected"),
    (True, False, _column("decimal"), "33,3", "sheet.number_expected"),
    (True, False, _column("decimal"), dt.date(2017, 1, 1), "sheet.number_expected"),
    (True, False, _column("date"), "26.09.2017", "sheet.date_expected"),
    (True, False, _column("date"), 42999, "sheet.date_expected"),
    (True, False, _column("date"), dt.datetime(2017, 9, 26, 12, 30), "sheet.date_expected"),  # noqa: DTZ001 - cells have no zone
    (False, False, _column("integer"), "12.5", "sheet.whole_number_expected"),
    (False, False, _column("integer"), "zwölf", "sheet.number_expected"),
    (False, False, _column("decimal"), "33,3", "sheet.number_expected"),
    (False, True, _column("decimal"), "33.3", "sheet.number_expected"),
    (False, False, _column("date"), "31.02.2017", "sheet.date_expected"),
    (False, False, _column("date"), "heute", "sheet.date_expected"),
]


@pytest.mark.parametrize(("typed", "comma", "column", "cell", "code"), BAD_CELLS)
def test_cells_that_do_not_fit_are_problems(typed: bool, comma: bool, column: Column, cell: object, code: str) -> None:
    """A cell that does not fit its column is a problem with its code at the value's pointer, never a guess."""
    reader = CellReader(CellStyle(typed=typed, decimal_comma=comma))
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the private signal; its problem is what counts
        reader.read(column, cell, "/x")  # type: ignore[arg-type]
    problem = caught.value.problem  # type: ignore[attr-defined]
    assert (problem.code, problem.path) == (code, "/x")
    assert problem.message
    assert problem.message_de


def test_hints_follow_the_file() -> None:
    """The hint for a number in text says what this kind of file expects."""
    hints = []
    for style in (CellStyle(typed=True), CellStyle(typed=False, decimal_comma=True), CellStyle(typed=False)):
        with pytest.raises(Exception) as caught:  # noqa: PT011 - the private signal
            CellReader(style).read(_column("decimal"), "33,3" if style.typed else "3x", "/x")
        hints.append(caught.value.problem.message)  # type: ignore[attr-defined]
    assert "format the cell as a number" in hints[0]
    assert hints[1:] == ["'3x' is not a number", "'3x' is not a number"]


# --- a subclass of one's own: lists without ids, floats and truth values ---------------------------


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Note:
    """A note on a step."""

    text: str


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Step:
    """A step of a plan: it has no id, so its notes refer to its number."""

    title: str
    notes: tuple[Note, ...] = ()


@willkommen.tagged("test-sheets-planned-alliance")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class PlannedAlliance(willkommen.Alliance):
    """An alliance with a plan, a share and a flag: kinds the shipped model does not use."""

    steps: tuple[Step, ...] = ()
    share: float | None = None
    public: bool | None = None


def _planned() -> PlannedAlliance:
    base = spreadsheets.template_alliances()[0]
    fields = {f.name: getattr(base, f.name) for f in attrs.fields(willkommen.Alliance)}
    steps = (Step(title="Analyse", notes=(Note(text="erst"), Note(text="dann"))), Step(title="Planung"))
    return PlannedAlliance(**fields, steps=steps, share=0.25, public=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_subclass_of_ones_own_round_trips(fmt: str) -> None:
    """Rows without an id get a number their children refer to; floats and truth values keep their type."""
    planned = _planned()
    reading = round_trip([planned], fmt, "de")
    assert reading.all_problems() == []
    assert [record.value for record in reading.records] == [planned]


def test_a_child_of_a_step_that_does_not_exist() -> None:
    """A note that names step 3 of an alliance with two steps names no row."""
    buffer = io.BytesIO()
    spreadsheets.write([_planned()], buffer, format="xlsx")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cell = _cell(book, "Notizen", "steps Nr.", 2)
    cell.value = 3
    assert ("sheet.unknown_parent", "", "Notizen", cell.coordinate) in _found(_read(book))


def test_a_draft_with_errors_is_written_as_it_is(tmp_path: Path) -> None:
    """Documents with errors (a date that is none, a code no list has, an object where text belongs) are written."""
    document = example_document()
    document["founded_on"] = "2017-02-30"
    document["origin"] = "uralt"
    document["name"] = {"nested": True}
    document["goals"][0]["themes"] = "school_to_work"
    spreadsheets.write_documents([document], tmp_path / "draft.xlsx")
    found = _found(spreadsheets.read(tmp_path / "draft.xlsx"))
    assert ("invalid_value", "/origin", "Bündnisse", None) not in found
    codes = {(code, path) for code, path, _, _ in found}
    assert {("invalid_date", "/founded_on"), ("invalid_value", "/origin")} <= codes


def test_unwritable_text_is_refused() -> None:
    """An empty text, or a list item with ';', could not be read back the same: writing refuses it."""
    alliance = spreadsheets.template_alliances()[0]
    measure = attrs.evolve(alliance.measures[0], goals=("a;b",))
    broken = attrs.evolve(alliance, name="", measures=(measure, *alliance.measures[1:]))
    with pytest.raises(willkommen.ValidationError) as caught:
        spreadsheets.write([broken], io.BytesIO(), format="xlsx")
    assert {p.path for p in caught.value.problems} == {"/name", "/measures/0/goals/0"}


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (willkommen.Location(sheet="Partner", cell="C4", row=4, column="Art"), "Partner!C4 (Art)"),
        (willkommen.Location(sheet="Coaching sessions", cell="B2", row=2), "'Coaching sessions'!B2"),
        (willkommen.Location(sheet="Partner", row=4, column="Name"), "Partner!4:4 (Name)"),
        (willkommen.Location(sheet="Info"), "Info"),
    ],
)
def test_a_location_reads_like_a_cell_reference(location: willkommen.Location, text: str) -> None:
    """A location prints as a spreadsheet application names a cell, a row or a sheet."""
    assert str(location) == text


@pytest.mark.parametrize("value", [float("inf"), float("nan"), Decimal("Infinity")])
def test_numbers_beyond_reason_are_problems(value: object) -> None:
    """An infinite or undefined number in a whole-number column is a problem, not a crash."""
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the private signal; its problem is what counts
        CellReader(CellStyle(typed=True)).read(_column("integer"), value, "/x")  # type: ignore[arg-type]
    assert caught.value.problem.code == "sheet.number_expected"  # type: ignore[attr-defined]


def test_infinite_numbers_in_an_ods_file() -> None:
    """An ODS cell holding INF as a number is read and reported, the rest of the file still checked."""
    import zipfile

    buffer = io.BytesIO()
    spreadsheets.write_template(buffer, format="ods")
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    content = source.read("content.xml").decode()
    content = content.replace('office:value="12"', 'office:value="INF"', 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == "content.xml" else source.read(info))
    found = _found(spreadsheets.read(out.getvalue(), format="ods"))
    assert [(code, path) for code, path, _, _ in found] == [("sheet.number_expected", "/offerings/0/participants")]


# --- every node of the type plan has a cell form ---------------------------------------------------


class Grade(enum.IntEnum):
    """A code list of integers."""

    LOW = 1
    HIGH = 2


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Branch:
    """A class that contains itself: its sheets would never end, so what lies below is JSON text."""

    label: str
    children: "tuple[Branch, ...]" = ()


@willkommen.tagged("test-sheets-measured-alliance")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class MeasuredAlliance(willkommen.Alliance):
    """An alliance with every kind of value the plan knows and the shipped model does not use."""

    checked_at: dt.datetime | None = None
    grade: Grade | None = None
    grades: frozenset[Grade] = frozenset()
    unit: Literal["cm", "m"] | None = None
    scale: Literal[1, 10] | None = None
    either: Literal["any", 0] | None = None
    position: tuple[int, str] | None = None
    tallies: dict[str, int] = attrs.field(factory=dict)
    branch: Branch | None = None


def _measured() -> MeasuredAlliance:
    base = spreadsheets.template_alliances()[0]
    fields = {f.name: getattr(base, f.name) for f in attrs.fields(willkommen.Alliance)}
    return MeasuredAlliance(
        **fields,
        checked_at=dt.datetime(2017, 9, 26, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        grade=Grade.HIGH,
        grades=frozenset({Grade.LOW, Grade.HIGH}),
        unit="cm",
        scale=10,
        either=0,
        position=(3, "links; oben"),
        tallies={"Schulen": 4, "Kitas; Horte": 2},
        branch=Branch(label="Wurzel", children=(Branch(label="Ast", children=(Branch(label="Blatt"),)),)),
    )


def _columns_of(cls: type) -> dict[str, Column]:
    return {column.name: column for column in layout(cls).sheets[0].columns}


def test_each_node_of_the_plan_has_its_cell_kind() -> None:
    """Leaves are cells of their kind; what has no cell form of its own is one cell of JSON text."""
    columns = _columns_of(MeasuredAlliance)
    kinds = {name: (columns[name].kind, columns[name].joined) for name in columns if name in _MEASURED_KINDS}
    assert kinds == _MEASURED_KINDS
    assert columns["grade"].codes is Grade


_MEASURED_KINDS = {
    "checked_at": ("text", False),  # ISO 8601 with its offset: a spreadsheet's date-time has no zone
    "grade": ("code", False),  # a code list of integers, with its drop-down
    "grades": ("code", True),  # a set of codes, joined with "; "
    "unit": ("text", False),  # a Literal of strings
    "scale": ("integer", False),  # a Literal of integers
    "either": ("json", False),  # a Literal of both: "0" or 0 only JSON can tell apart
    "position": ("json", False),  # a fixed-length tuple
    "tallies": ("json", False),  # a mapping
    "branch.label": ("text", False),  # a nested object is flattened into the row
    "branch.children": ("json", False),  # the same class below itself
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_node_of_the_plan_round_trips(fmt: str) -> None:
    """Date-times, integer codes, literals, fixed tuples, mappings and trees come back the same, in every format."""
    measured = _measured()
    reading = round_trip([measured], fmt, "de")
    assert reading.all_problems() == []
    assert [record.value for record in reading.records] == [measured]


def test_a_json_cell_that_is_not_json_is_named() -> None:
    """A mapping's cell with text that is no JSON: sheet.json_expected at its pointer and cell, both languages."""
    buffer = io.BytesIO()
    spreadsheets.write([_measured()], buffer, format="xlsx")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cell = _cell(book, "Bündnisse", "tallies", 2)
    _set_text(cell, "Schulen: 4")
    found = _read(book)
    assert ("sheet.json_expected", "/tallies", "Bündnisse", cell.coordinate) in _found(found)
    (problem,) = [p for p in found.all_problems() if p.code == "sheet.json_expected"]
    assert "'Schulen: 4'" in problem.message
    assert "'Schulen: 4'" in problem.message_de


def test_a_json_cell_with_a_wrong_value_is_checked_as_any_value() -> None:
    """JSON text of the wrong shape reaches the reader, which names the place inside the value."""
    buffer = io.BytesIO()
    spreadsheets.write([_measured()], buffer, format="xlsx")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    _set_text(_cell(book, "Bündnisse", "position", 2), '["3", "links"]')
    assert ("type", "/position/0") in [(code, path) for code, path, _, _ in _found(_read(book))]


def test_a_tagged_class_the_plan_refuses_leaves_other_workbooks_readable() -> None:
    """A user's tagged class the plan refuses at first use has no columns; everyone else's template round-trips."""
    with willkommen.registry_scope():

        @willkommen.model(tag="test-sheets-unplanned")
        class Unplanned(willkommen.Alliance):
            """A name that exists for type checkers only: the plan refuses the class when it is first used."""

            extra: "NotDefinedAtRunTime | None" = None  # type: ignore[name-defined]  # noqa: F821

        assert "extra" not in _columns_of(willkommen.Alliance)
        alliances_ = spreadsheets.template_alliances()
        reading = round_trip(alliances_, "xlsx", "de")
        assert reading.all_problems() == []
        assert [record.value for record in reading.records] == alliances_


@willkommen.model(tag="test-sheets-rated-partner")
class RatedPartner(willkommen.Partner):
    """A partner with a float a 16-digit writer would round."""

    ratio: float = 0.1 + 0.2


def _with_partner(make: Callable[[willkommen.Partner], willkommen.Partner]) -> willkommen.Alliance:
    base = spreadsheets.template_alliances()[0]
    return attrs.evolve(base, partners=(make(base.partners[0]), *base.partners[1:]))


def _rated(partner: willkommen.Partner) -> willkommen.Partner:
    fields = {f.name: getattr(partner, f.name) for f in attrs.fields(willkommen.Partner)}
    return RatedPartner(**fields)


def _long_name(partner: willkommen.Partner) -> willkommen.Partner:
    return attrs.evolve(partner, name="n" * 40_000)


@pytest.mark.parametrize(
    ("make", "path"), [(_rated, "/partners/0/ratio"), (_long_name, "/partners/0/name")], ids=["float", "text"]
)
def test_xlsx_refuses_a_value_it_would_change(
    make: Callable[[willkommen.Partner], willkommen.Partner], path: str
) -> None:
    """A float of 17 digits or a text beyond an XLSX cell is refused in XLSX at its path; ODS keeps it."""
    alliance = _with_partner(make)
    with pytest.raises(willkommen.ValidationError) as caught:
        spreadsheets.write([alliance], io.BytesIO(), format="xlsx")
    assert [(p.code, p.path) for p in caught.value.problems] == [("invalid_value", path)]
    reading = round_trip([alliance], "ods", "de")
    assert reading.all_problems() == []
    assert [record.value for record in reading.records] == [alliance]
