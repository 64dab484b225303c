"""Spreadsheets as untrusted input: limits, bombs, entities, formulas, and names that could be paths."""

import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import willkommen
from willkommen import spreadsheets
from willkommen._layout import layout
from willkommen.spreadsheets import Limits


def _xlsx_with_sheet_xml(sheet_xml: str) -> bytes:
    """A one-sheet XLSX whose sheet XML is *sheet_xml* (everything else as openpyxl writes it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bündnisse"
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(info.filename, data)
    return out.getvalue()


_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row>{rows}</sheetData></worksheet>'
)


def _codes(reading: spreadsheets.WorkbookReading) -> list[str]:
    return [p.code for p in reading.all_problems()]


def test_million_blank_rows_stop_at_the_row_limit() -> None:
    """A value in row 1,048,576 after blank rows is refused at the row limit, in bounded memory."""
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = _xlsx_with_sheet_xml(_SHEET.format(dimension="", rows=far))
    assert len(data) < 10_000  # a tiny file: no compression limit could stop it
    tracemalloc.start()
    try:
        reading = spreadsheets.read(data, format="xlsx", limits=Limits(rows=10_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (problem,) = reading.all_problems()
    assert problem.code == "sheet.too_large"
    assert problem.location is not None
    assert problem.location.row == 10_001
    assert peak < 20_000_000


def test_a_lying_dimension_is_not_trusted() -> None:
    """A sheet that claims to span A1:XFD1048576 is read by what it holds."""
    data = _xlsx_with_sheet_xml(_SHEET.format(dimension='<dimension ref="A1:XFD1048576"/>', rows=""))
    tracemalloc.start()
    try:
        reading = spreadsheets.read(data, format="xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "sheet.too_large" not in _codes(reading)
    assert peak < 20_000_000


def test_too_many_columns() -> None:
    """A row with a value beyond the column limit is refused there."""
    wide = '<row r="2"><c r="ZZ2" t="inlineStr"><is><t>x</t></is></c></row>'
    reading = spreadsheets.read(_xlsx_with_sheet_xml(_SHEET.format(dimension="", rows=wide)), format="xlsx")
    assert _codes(reading) == ["sheet.too_large"]


def test_too_many_cells() -> None:
    """The cells of the whole workbook are counted against their limit."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(2, 50))
    reading = spreadsheets.read(
        _xlsx_with_sheet_xml(_SHEET.format(dimension="", rows=rows)), format="xlsx", limits=Limits(cells=20)
    )
    assert _codes(reading) == ["sheet.too_large"]


def test_file_size_limit(tmp_path: Path) -> None:
    """A file larger than the limit is refused before it is parsed."""
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"\0" * 2_000)
    assert _codes(spreadsheets.read(path, limits=Limits(file_size=1_000))) == ["sheet.too_large"]


def test_zip_bomb_is_refused_from_the_directory() -> None:
    """A part that unpacks to a thousand times its size is refused before it is unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    assert _codes(spreadsheets.read(out.getvalue(), format="xlsx")) == ["sheet.unsafe"]


def test_unpacked_size_limit() -> None:
    """The unpacked size of all parts is bounded."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.csv", b"x" * 2_000)
    assert _codes(spreadsheets.read(out.getvalue(), format="zip", limits=Limits(unpacked_size=1_000))) == [
        "sheet.too_large"
    ]


_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)


def test_xml_entities_are_refused_in_xlsx() -> None:
    """An XLSX whose XML declares entities (billion laughs) is refused as unsafe."""
    assert _codes(spreadsheets.read(_xlsx_with_sheet_xml(_LAUGHS), format="xlsx")) == ["sheet.unsafe"]


def _ods_with_content(content: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return out.getvalue()


_ODS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
    '<table:table table:name="Bündnisse">{rows}</table:table></office:spreadsheet></office:body>'
    "</office:document-content>"
)
_VALUE = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


def test_xml_entities_are_refused_in_ods() -> None:
    """An ODS whose content declares entities is refused as unsafe."""
    content = _LAUGHS.split("<worksheet", maxsplit=1)[0] + _ODS.split("?>", 1)[1].format(rows="")
    assert _codes(spreadsheets.read(_ods_with_content(content), format="ods")) == ["sheet.unsafe"]


def test_ods_repeated_blank_rows_stop_at_the_limit() -> None:
    """A million blank rows written as one repeated row cost nothing: the next value is past the limit."""
    rows = (
        f'<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
        f"<table:table-row>{_VALUE}</table:table-row>"
    )
    reading = spreadsheets.read(_ods_with_content(_ODS.format(rows=rows)), format="ods")
    assert _codes(reading) == ["sheet.too_large"]


def test_ods_repeated_values_stop_at_the_limit() -> None:
    """A value repeated over a million rows or columns is refused at the limit, not unrolled."""
    heading = '<table:table-row><table:table-cell office:value-type="string"><text:p>ID</text:p></table:table-cell>'
    rows = (
        f'{heading}</table:table-row><table:table-row table:number-rows-repeated="1000000">{_VALUE}</table:table-row>'
    )
    assert _codes(spreadsheets.read(_ods_with_content(_ODS.format(rows=rows)), format="ods")) == ["sheet.too_large"]
    wide = _VALUE.replace("<table:table-cell", '<table:table-cell table:number-columns-repeated="16384"')
    rows = f"<table:table-row>{wide}</table:table-row>"
    assert _codes(spreadsheets.read(_ods_with_content(_ODS.format(rows=rows)), format="ods")) == ["sheet.too_large"]


def test_ods_without_mimetype_is_not_a_spreadsheet() -> None:
    """A ZIP that says it is no spreadsheet is not read as one."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    assert _codes(spreadsheets.read(out.getvalue(), format="ods")) == ["sheet.unreadable"]


def test_openpyxl_without_defusedxml_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """If openpyxl is told not to use defusedxml, no XLSX is read."""
    buffer = io.BytesIO()
    spreadsheets.write_template(buffer, format="xlsx")
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    assert _codes(spreadsheets.read(buffer.getvalue(), format="xlsx")) == ["sheet.unsafe"]


def _hostile_alliance() -> willkommen.Alliance:
    alliance = spreadsheets.template_alliances()[0]
    partner = alliance.partners[0]
    return willkommen.Alliance(
        **{
            **{f: getattr(alliance, f) for f in ("program", "local_authorities", "origin", "goals", "lead")},
            "id": "../../etc/passwd",
            "name": '=HYPERLINK("http://example.invalid","klick")',
            "partners": (
                partner.__class__(id=partner.id, name="+1 (555) 0100", kind=partner.kind, organisation="@SUM(A1)"),
                *alliance.partners[1:],
            ),
        }
    )


def test_formulas_are_written_as_text(tmp_path: Path) -> None:
    """Text that starts like a formula is a text cell in XLSX and escaped in CSV, and reads back the same."""
    alliance = _hostile_alliance()
    spreadsheets.write([alliance], tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    cells = [cell for row in book["Bündnisse"].iter_rows() for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in cells)
    spreadsheets.write([alliance], tmp_path / "csv")
    text = (tmp_path / "csv" / "Bündnisse.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ";=" not in text
    for target in ("a.xlsx", "csv"):
        assert [alliance] == spreadsheets.load(tmp_path / target)


def test_names_from_data_never_become_paths(tmp_path: Path) -> None:
    """An id like ../../etc/passwd stays in its cell: the folder holds exactly the sheets' files."""
    spreadsheets.write([_hostile_alliance()], tmp_path / "csv", lang="en")
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    sheets = [s.title_en for s in layout(willkommen.Alliance).sheets]
    assert sorted(["csv", *(f"csv/{name}.csv" for name in [*sheets, "Info"])]) == written


def test_control_characters_round_trip() -> None:
    """Characters XML cannot carry, and text that looks like Excel's escapes, come back unchanged."""
    alliance = spreadsheets.template_alliances()[0]
    tricky = willkommen.Alliance(
        **{f: getattr(alliance, f) for f in ("id", "program", "local_authorities", "origin", "goals", "partners")},
        name="a\x01b\rc_x0041_  d\te\n",
    )
    for fmt in ("xlsx", "ods", "zip"):
        buffer = io.BytesIO()
        spreadsheets.write([tricky], buffer, format=fmt)
        assert [tricky] == spreadsheets.load(buffer.getvalue(), format=fmt), fmt


def _written(fmt: str) -> bytes:
    buffer = io.BytesIO()
    spreadsheets.write_template(buffer, format=fmt)  # type: ignore[arg-type]
    return buffer.getvalue()


_WRITTEN = {fmt: _written(fmt) for fmt in ("xlsx", "ods", "zip")}


@settings(max_examples=40)
@given(
    fmt=st.sampled_from(sorted(_WRITTEN)),
    cut=st.integers(0, 100),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), max_size=8),
)
def test_damaged_workbooks_give_problems_never_a_traceback(fmt: str, cut: int, flips: list[tuple[int, int]]) -> None:
    """A written workbook, cut short or with bytes changed, reads as problems (or as data), never raises."""
    data = bytearray(_WRITTEN[fmt])
    for position, mask in flips:
        data[position % len(data)] ^= mask
    data = data[: len(data) * (100 - cut) // 100] if cut > 90 else data
    reading = spreadsheets.read(bytes(data), format=fmt)  # type: ignore[arg-type]
    for problem in reading.all_problems():
        assert problem.code
        assert problem.message
