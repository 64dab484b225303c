"""What we write opens in a real spreadsheet application: LibreOffice reads it and gives the same values."""

import csv
import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import willkommen
import willkommen.nrw
from willkommen import spreadsheets
from willkommen._layout import Sheet, layout
from willkommen._sheets import Cell

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui"
)

# Comma-separated, UTF-8, every sheet to its own file (LibreOffice 7.2 and later), values not as shown.
_CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false,false,false,-1"


def _alliances() -> list[willkommen.Alliance]:
    """The Bautzen example and the Leverkusen NRW alliance, with a text that looks like a formula."""
    bautzen = spreadsheets.template_alliances()[0]
    leverkusen = willkommen.load(willkommen.nrw.example_document())
    import attrs

    return [attrs.evolve(bautzen, name="=1+1 is text"), leverkusen]


def _shown(value: Cell) -> str:
    """How LibreOffice writes a cell we wrote, in CSV: dates in the cell's format (YYYY-MM-DD in English)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value, "f")
    return str(value)


def _convert(path: Path, out: Path) -> None:
    assert SOFFICE is not None
    profile = (out / "profile").as_uri()
    subprocess.run(  # noqa: S603 - the installed LibreOffice, on our own file
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            _CSV_FILTER,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_reads_the_values_we_wrote(tmp_path: Path, fmt: str) -> None:
    """Every cell of every sheet, as LibreOffice converts the workbook to CSV, holds the value we wrote."""
    from willkommen._sheets import info_rows, rows_of

    alliances = _alliances()
    path = tmp_path / f"book.{fmt}"
    spreadsheets.write(alliances, path, lang="en")
    _convert(path, tmp_path)
    sheets = layout(willkommen.Alliance)
    rows, _ = rows_of([willkommen.dump(a) for a in alliances], sheets, "en")
    expected = {sheet.title_en: [sheet_headings(sheet), *rows[i]] for i, sheet in enumerate(sheets.sheets)}
    expected["Info"] = info_rows(willkommen.SCHEMA_VERSION, "en")
    for title, table in expected.items():
        with (tmp_path / f"book-{title}.csv").open(encoding="utf-8", newline="") as stream:
            shown = list(csv.reader(stream))
        width = max(len(row) for row in table)
        assert [[_shown(v) for v in row] + [""] * (width - len(row)) for row in table] == [
            row + [""] * (width - len(row)) for row in shown
        ], title


def sheet_headings(sheet: Sheet) -> list[Cell]:
    """The heading row of a sheet in English."""
    return [column.heading("en") for column in sheet.columns]


def test_libreoffice_sees_the_drop_downs_of_an_ods_file(tmp_path: Path) -> None:
    """The code-list drop-downs of a written ODS file are what LibreOffice offers (as it saves them to XLSX)."""
    import openpyxl

    path = tmp_path / "vorlage.ods"
    spreadsheets.write_template(path, lang="de")
    assert SOFFICE is not None
    subprocess.run(  # noqa: S603 - the installed LibreOffice, on our own file
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sheet = openpyxl.load_workbook(tmp_path / "out" / "vorlage.xlsx")["Kommunen"]
    (kinds,) = [v for v in sheet.data_validations.dataValidation if "C2" in v.sqref]
    assert kinds.type == "list"
    assert kinds.formula1 == '"' + ",".join(m.label_de for m in willkommen.LocalAuthorityKind) + '"'
