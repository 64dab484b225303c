"""The command line with spreadsheets: validate, convert, template, and a missing extra."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import willkommen
from willkommen import spreadsheets
from willkommen._cli import main

from .conftest import EXAMPLES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; its exit code, standard output and standard error."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _broken_workbook(path: Path) -> Path:
    """The German template with Landkreis Bautzen's key typed as a number."""
    spreadsheets.write_template(path, lang="de")
    book = openpyxl.load_workbook(path)
    book["Kommunen"]["E2"].value = 14625  # AGS: no tagged subclass adds a column to this sheet
    book.save(path)
    return path


def test_template_then_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``template --lang de -o vorlage.xlsx`` writes a workbook that validates."""
    path = tmp_path / "vorlage.xlsx"
    assert run(capsys, "template", "--lang", "de", "-o", str(path))[0] == 0
    assert "Bündnisse" in openpyxl.load_workbook(path).sheetnames
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert "1 valid" in out


def test_template_keeps_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The template never overwrites a file unless told to."""
    path = tmp_path / "vorlage.ods"
    path.write_bytes(b"mine")
    assert run(capsys, "template", "-o", str(path))[0] == 2
    assert path.read_bytes() == b"mine"
    assert run(capsys, "template", "--force", "-o", str(path))[0] == 0
    assert path.read_bytes() != b"mine"


def test_text_report_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The text report puts sheet, cell and heading before the pointer."""
    path = _broken_workbook(tmp_path / "b.xlsx")
    code, out, _ = run(capsys, "validate", "--lang", "de", str(path))
    assert code == 1
    assert f"{path}: Kommunen!E2 (AGS): /local_authorities/0/ags: Fehler sheet.text_expected: " in out


def test_json_report_has_the_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON report adds a location object to a problem found in a spreadsheet."""
    path = _broken_workbook(tmp_path / "b.xlsx")
    code, out, _ = run(capsys, "validate", "--format", "json", str(path))
    (problem,) = json.loads(out)["files"][0]["records"][0]["problems"]
    assert code == 1
    assert problem["location"] == {"sheet": "Kommunen", "cell": "E2", "row": 2, "column": "AGS"}


def test_folders_hold_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder's .xlsx and .ods files are checked; a CSV folder is known by its info file."""
    (tmp_path / "all").mkdir()
    spreadsheets.write_template(tmp_path / "all" / "a.xlsx")
    spreadsheets.write_template(tmp_path / "all" / "b.ods")
    spreadsheets.write_template(tmp_path / "csv")
    code, out, _ = run(capsys, "validate", str(tmp_path / "all"), str(tmp_path / "csv"))
    assert code == 0
    assert "3 files, 3 records: 3 valid" in out


@pytest.mark.parametrize("suffix", [".xlsx", ".ods", ".zip", ""])
def test_convert_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    """JSON files to a workbook and back to JSON Lines: the same alliances."""
    workbook = tmp_path / f"out{suffix}"
    assert run(capsys, "convert", str(EXAMPLES), "-o", str(workbook), "--lang", "de")[0] == 0
    lines = tmp_path / "back.jsonl"
    assert run(capsys, "convert", str(workbook), "-o", str(lines))[0] == 0
    back = [willkommen.loads(text) for text in lines.read_text(encoding="utf-8").splitlines()]
    originals = [willkommen.loads(p.read_bytes()) for p in sorted(EXAMPLES.glob("*.json"))]
    assert back == originals


def test_convert_refuses_errors_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A document with errors is not written; --force writes the draft, to be fixed in the spreadsheet."""
    source = _broken_workbook(tmp_path / "b.xlsx")
    target = tmp_path / "b.json"
    code, out, err = run(capsys, "convert", str(source), "-o", str(target))
    assert (code, target.exists()) == (1, False)
    assert "sheet.text_expected" in out
    assert "not written" in err
    assert run(capsys, "convert", "--force", str(source), "-o", str(target))[0] == 1
    assert "ags" not in json.loads(target.read_text(encoding="utf-8"))["local_authorities"][0]


def test_convert_to_json_needs_one_alliance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Several alliances go to JSON Lines or a workbook, not to one .json file."""
    assert run(capsys, "convert", str(EXAMPLES), "-o", str(tmp_path / "x.json"))[0] == 2


def test_convert_refuses_duplicate_ids_in_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two alliances with one id cannot share a workbook: their rows could not be told apart."""
    twin = tmp_path / "twin.json"
    twin.write_bytes((EXAMPLES / "bautzen.json").read_bytes())
    code, out, _ = run(capsys, "convert", str(EXAMPLES / "bautzen.json"), str(twin), "-o", str(tmp_path / "x.xlsx"))
    assert (code, (tmp_path / "x.xlsx").exists()) == (1, False)
    assert "/1/id: invalid_value" in out


def test_convert_unknown_output_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output whose suffix names no format is a usage error."""
    assert run(capsys, "convert", str(EXAMPLES), "-o", str(tmp_path / "x.txt"))[0] == 2


def test_unreadable_workbook_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file named .xlsx that is none is reported, never a traceback."""
    path = tmp_path / "x.xlsx"
    path.write_text("hello", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert "sheet.unreadable" in out


def test_missing_extra_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without openpyxl the command says which extra to install, with exit code 2."""
    path = tmp_path / "x.xlsx"
    spreadsheets.write_template(path)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "willkommen[spreadsheets]" in err


def test_import_loads_no_spreadsheet_library() -> None:
    """``import willkommen`` (and the command line's start) loads neither openpyxl nor defusedxml."""
    script = (
        "import sys, willkommen, willkommen._cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'openpyxl', 'defusedxml'}"
        " or m == 'willkommen.spreadsheets'))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)  # noqa: S603 - our own interpreter
    out = done.stdout
    assert out.strip() == "[]"


def test_excel_lock_files_are_passed_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The ~$ file Excel keeps beside an open workbook is not a workbook and is not checked."""
    spreadsheets.write_template(tmp_path / "vorlage.xlsx")
    (tmp_path / "~$vorlage.xlsx").write_bytes(b"\x0bowner")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 0
    assert "1 file, 1 record: 1 valid" in out


def test_force_writes_what_cells_held(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A time of day where a date belongs is a problem; --force still writes the draft as JSON."""
    import datetime as dt

    path = tmp_path / "b.xlsx"
    spreadsheets.write_template(path)
    book = openpyxl.load_workbook(path)
    book["Angebote"]["B2"].value = dt.time(12, 30)  # the type of an offering: a code, not a time
    book.save(path)
    target = tmp_path / "b.json"
    assert run(capsys, "convert", "--force", str(path), "-o", str(target))[0] == 1
    assert json.loads(target.read_text(encoding="utf-8"))["offerings"][0]["type"] == "12:30:00"


def test_read_files_reads_workbooks(tmp_path: Path) -> None:
    """willkommen.read_files reads the workbooks of a folder as validate does: a record per alliance, located."""
    (tmp_path / "data").mkdir()
    _broken_workbook(tmp_path / "data" / "b.xlsx")
    (record,) = willkommen.read_files(tmp_path / "data")
    (problem,) = record.reading.problems
    assert (problem.code, str(problem.location)) == ("sheet.text_expected", "Kommunen!E2 (AGS)")
