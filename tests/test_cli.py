"""The command line, end to end: exit codes, reports, folders, JSON Lines, standard input, broken files."""

import gc
import importlib
import io
import json
import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import willkommen
from willkommen import _cli, _files, reads
from willkommen._cli import Progress, main
from willkommen._example import example_document
from willkommen._files import Source

from .conftest import example

# --- helpers --------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; its exit code, standard output and standard error."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    """Run ``validate --format json``; the exit code and the parsed report."""
    code, out, _ = run(capsys, "validate", "--format", "json", *argv)
    document: dict[str, Any] = json.loads(out)
    return code, document


def found(document: dict[str, Any]) -> list[tuple[str, int | None, str, str]]:
    """Every problem of a JSON report as (file name, line, code, path)."""
    return [
        (Path(file["path"]).name, record["line"], problem["code"], problem["path"])
        for file in document["files"]
        for record in file["records"]
        for problem in record["problems"]
    ]


def write(path: Path, data: object) -> Path:
    """Write *data* as JSON (or bytes as they are) to *path*, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode())
    return path


def line(data: dict[str, Any]) -> str:
    """One JSON Lines line."""
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A function that puts bytes on standard input."""

    def give(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    return give


def without(data: dict[str, Any], key: str) -> dict[str, Any]:
    """*data* less one top-level key."""
    return {k: v for k, v in data.items() if k != key}


def with_warning() -> dict[str, Any]:
    """Bautzen with an analysis workshop of 3 people: one warning (offering.participants), no error."""
    data = example("bautzen")
    data["offerings"] = [{"type": "analysis_workshop", "date": "2017-03-01", "participants": 3}]
    return data


# --- exit codes and the text report ---------------------------------------------------------------


def test_a_valid_file_exits_0_with_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing to report but the summary line."""
    path = write(tmp_path / "bautzen.json", example("bautzen"))
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (0, "")
    assert out == "1 file, 1 record: 1 valid, 0 invalid (0 errors, 0 warnings)\n"


def test_the_text_report_has_one_line_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``file[:line]: path: severity code: message``; the whole document is "(document)"; then what did not run."""
    bad = example("bautzen")
    bad["partners"][0]["kind"] = "mayor"
    path = write(tmp_path / "bad.json", bad)
    lines = write(tmp_path / "many.jsonl", f"{line(example('helmstedt'))}\n[]\n".encode())
    code, out, _ = run(capsys, "validate", str(path), str(lines))
    assert code == 1
    message = reads(json.dumps(bad)).problems[0].message
    assert out.splitlines() == [
        f"{path}: /partners/0/kind: error invalid_value: {message}",
        (
            f"{path}: (document): note: 3 rules did not run because 'partners' could not be read"
            " (alliance.too_few_partners, alliance.unknown_lead, alliance.duplicate_partner);"
            " more problems may follow once that is fixed"
        ),
        f"{lines}:2: (document): error type: expected an object, got []",
        "2 files, 3 records: 1 valid, 2 invalid (2 errors, 0 warnings)",
    ]


def test_the_summary_counts_in_german(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang de`` gives German messages and a German summary."""
    path = write(tmp_path / "x.json", without(example("bautzen"), "goals"))
    code, out, _ = run(capsys, "validate", "--lang", "de", str(path))
    assert code == 1
    (problem,) = reads(path.read_bytes()).problems
    assert out.splitlines() == [
        f"{path}: /goals: Fehler missing: {problem.message_de}",
        (
            f"{path}: (Dokument): Hinweis: 2 Regeln liefen nicht, weil 'goals' nicht gelesen werden konnte"
            " (alliance.no_goals, measure.unknown_goal); nach der Korrektur können weitere Probleme folgen"
        ),
        "1 Datei, 1 Datensatz: 0 gültig, 1 ungültig (1 Fehler, 0 Warnungen)",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],  # no path
        ["validate", "--no-such-option", "x.json"],
        ["validate", "--format", "xml", "x.json"],
        ["validate", "--lang", "fr", "x.json"],
        ["frobnicate"],
        [],
    ],
)
def test_argparse_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown options and commands, missing arguments: exit code 2 and a usage message."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert "usage:" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` is not an error."""
    code, out, _ = run(capsys, "validate", "--help")
    assert code == 0
    assert "--strict" in out


def test_the_help_lists_every_command_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    """``willkommen --help`` names every command with its one-line help."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    shown = " ".join(out.split())
    for name, help_line, _, _ in _cli._COMMANDS:
        assert f"{name} {help_line}" in shown


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "x.json", "--strict", "--format", "junit", "--select", "coaching"],
        ["validate"],
        ["validate", "--nope", "x.json"],
        ["validate", "x.json", "--max-size", "0"],
        ["validate", "--help"],
        ["report", "states", "x.json"],
        ["report", "nope", "x.json"],
        ["rules", "--format", "xml"],
        ["rules", "coaching", "--lang", "de"],
        ["migrate", "-o", "out", "--in-place", "x.json"],
        ["schema", "--root"],
        ["example", "extra"],
        ["convert", "x.json"],
        ["template", "-o", "t.xlsx", "--force"],
    ],
)
def test_one_command_parses_as_the_whole_parser(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Building only the command that runs changes nothing: the same arguments, the same errors and help."""
    answers: list[tuple[Any, ...]] = []
    for parser in (_cli._parser(), _cli._parser(only=argv[0])):
        try:
            namespace = vars(parser.parse_args(argv))
        except SystemExit as exc:
            answers.append((exc.code, None, *capsys.readouterr()))
        else:
            del namespace["parser"]  # each names its own command's parser
            answers.append((0, namespace, *capsys.readouterr()))
    assert answers[0] == answers[1]


def test_only_the_command_s_own_process_freezes_what_start_up_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """``main()`` of the command freezes the collector's view of start-up; a caller's ``main([...])`` leaves it."""
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(sys, "argv", ["willkommen", "example"])
    assert _cli.main() == 0
    assert frozen == [True]
    assert _cli.main(["example"]) == 0
    assert frozen == [True]


def test_a_path_that_does_not_exist_exits_2_and_checks_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped path is the command's error, found before any file is read."""
    path = write(tmp_path / "ok.json", example("bautzen"))
    code, out, err = run(capsys, "validate", str(path), str(tmp_path / "nope.json"))
    assert (code, out) == (2, "")
    assert "nope.json" in err


def test_standard_input_can_be_named_once(capsys: pytest.CaptureFixture[str]) -> None:
    """``- -`` would read standard input twice."""
    assert run(capsys, "validate", "-", "-")[0] == 2


def test_an_empty_folder_is_valid_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No files: exit 0, a note on standard error."""
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 0
    assert out.startswith("0 files")
    assert "no *.json, *.jsonl or *.ndjson files" in err


# --- the JSON report ------------------------------------------------------------------------------


def test_the_json_report_lists_every_file_and_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Version, files in order, records with line, validity and problems, and the summary."""
    write(tmp_path / "a.json", example("bautzen"))
    write(tmp_path / "b.json", without(example("helmstedt"), "origin"))
    code, document = report(capsys, str(tmp_path))
    assert code == 1
    assert document["version"] == 1
    assert [Path(f["path"]).name for f in document["files"]] == ["a.json", "b.json"]
    first, second = (f["records"] for f in document["files"])
    assert first == [{"line": None, "valid": True, "problems": []}]
    (record,) = second
    assert (record["line"], record["valid"]) == (None, False)
    (problem,) = record["problems"]
    assert set(problem) == {"code", "path", "severity", "message"}
    assert (problem["code"], problem["path"], problem["severity"]) == ("missing", "/origin", "error")
    assert document["summary"] == {
        "files": 2,
        "records": 2,
        "valid": 1,
        "invalid": 1,
        "errors": 1,
        "warnings": 0,
        "failures": 0,
    }


def test_the_json_report_speaks_german(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang de`` puts the German message in the report."""
    path = write(tmp_path / "x.json", without(example("bautzen"), "origin"))
    _, document = report(capsys, "--lang", "de", str(path))
    (problem,) = reads(path.read_bytes()).problems
    assert document["files"][0]["records"][0]["problems"][0]["message"] == problem.message_de


def test_the_json_report_of_nothing_is_still_a_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No files: an empty list of files and a zero summary."""
    code, document = report(capsys, str(tmp_path))
    assert (code, document["files"]) == (0, [])
    assert document["summary"]["files"] == 0


# --- folders --------------------------------------------------------------------------------------


def test_folders_are_searched_recursively_in_sorted_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """*.json and *.jsonl at any depth, sorted; other files skipped; a folder named x.json is a folder."""
    valid = example("bautzen")
    write(tmp_path / "b.json", {**valid, "id": "b"})
    write(tmp_path / "a.jsonl", f"{line({**valid, 'id': 'a'})}\n".encode())
    write(tmp_path / "sub" / "deeper" / "c.JSON", {**valid, "id": "c"})
    write(tmp_path / "odd.json" / "inside.json", {**valid, "id": "inside"})
    write(tmp_path / "notes.txt", b"not data")
    write(tmp_path / "data.csv", b"a,b")
    code, document = report(capsys, str(tmp_path))
    assert code == 0
    names = [str(Path(f["path"]).relative_to(tmp_path)) for f in document["files"]]
    assert names == ["a.jsonl", "b.json", str(Path("odd.json/inside.json")), str(Path("sub/deeper/c.JSON"))]


def test_files_and_folders_keep_the_order_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each argument in turn; a file named on the command line is read whatever its suffix."""
    data = write(tmp_path / "data" / "x.json", example("bautzen"))
    other = write(tmp_path / "alliance.txt", example("helmstedt"))
    _, document = report(capsys, str(other), str(data.parent))
    assert [Path(f["path"]).name for f in document["files"]] == ["alliance.txt", "x.json"]


# --- JSON Lines -----------------------------------------------------------------------------------


def test_json_lines_report_each_record_by_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Valid and invalid records mixed; blank lines skipped but counted; CRLF line ends are fine."""
    valid = example("bautzen")
    extra = {**valid, "id": "bautzen-extra", "budget": 1}
    again = {**valid, "id": "bautzen-again"}
    text = "\r\n".join([line(valid), line(extra), "", "   ", "{not json", line(again), "[1]"]) + "\r\n"
    path = write(tmp_path / "many.jsonl", text.encode())
    code, document = report(capsys, str(path))
    assert code == 1
    records = document["files"][0]["records"]
    assert [(r["line"], r["valid"]) for r in records] == [(1, True), (2, False), (5, False), (6, True), (7, False)]
    assert found(document) == [
        ("many.jsonl", 2, "unknown_key", "/budget"),
        ("many.jsonl", 5, "invalid_json", ""),
        ("many.jsonl", 7, "type", ""),
    ]
    assert document["summary"] == {
        "files": 1,
        "records": 5,
        "valid": 2,
        "invalid": 3,
        "errors": 3,
        "warnings": 0,
        "failures": 0,
    }


def test_an_empty_json_lines_file_holds_no_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Zero lines are zero records, not an error."""
    path = write(tmp_path / "empty.jsonl", b"")
    code, document = report(capsys, str(path))
    assert (code, document["files"][0]["records"]) == (0, [])


def test_json_lines_are_read_one_line_at_a_time() -> None:
    """The first record is reported before the second line is read: memory stays flat."""
    valid = line(example("bautzen")).encode() + b"\n"

    def lines() -> Iterator[bytes]:
        yield valid
        pytest.fail("read a line too many")

    records = willkommen.read_stream(lines())
    first = next(records)
    assert (first.line, first.reading.problems) == (1, ())


def test_a_file_that_fails_halfway_keeps_its_records(capsys: pytest.CaptureFixture[str]) -> None:
    """An I/O error in the middle of a JSON Lines stream: the records so far, then unreadable_file."""
    valid = line(example("bautzen")).encode() + b"\n"

    class Failing(io.BytesIO):
        read_lines = 0

        def readline(self, size: int | None = -1, /) -> bytes:
            del size
            self.read_lines += 1
            if self.read_lines > 1:
                raise OSError(5, "Input/output error")
            return valid

    records = list(willkommen.read_stream(Failing(), name="<stdin>"))
    assert [(r.file, r.line, [p.code for p in r.reading.problems]) for r in records] == [
        ("<stdin>", 1, []),
        ("<stdin>", None, ["unreadable_file"]),
    ]


# --- standard input -------------------------------------------------------------------------------


def test_standard_input_holds_one_document(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """``-`` reads standard input as one .json document, named <stdin>."""
    stdin(json.dumps(without(example("bautzen"), "goals")).encode())
    code, document = report(capsys, "-")
    assert code == 1
    assert document["files"][0]["path"] == "<stdin>"
    assert found(document) == [("<stdin>", None, "missing", "/goals")]


def test_standard_input_as_json_lines(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """``--jsonl -`` reads standard input line by line."""
    stdin(f"{line(example('bautzen'))}\n{line(without(example('bautzen'), 'id'))}\n".encode())
    code, out, _ = run(capsys, "validate", "--jsonl", "-")
    assert code == 1
    assert out.startswith("<stdin>:2: /id: error missing: ")


def test_standard_input_that_is_not_utf8(stdin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes are read as bytes: a Latin-1 file is invalid_json, not a crash."""
    stdin('{"name": "Bündnis"}'.encode("latin-1"))
    code, document = report(capsys, "-")
    assert code == 1
    assert found(document) == [("<stdin>", None, "invalid_json", "")]


# --- broken files ---------------------------------------------------------------------------------

BROKEN = {
    "not JSON": (b"{'id': 'x'}", "invalid_json"),
    "not UTF-8": (b'{"id": "\xff"}', "invalid_json"),
    "empty": (b"", "invalid_json"),
    "only blanks": (b"  \n ", "invalid_json"),
    "a JSON array": (b"[]", "type"),
    "a JSON string": (b'"alliance"', "type"),
    "nested too deeply": (b"[" * 100_000, "invalid_json"),
}


@pytest.mark.parametrize(("content", "code"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_is_a_problem_of_that_file(
    content: bytes, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reported with a code at the whole document; the next file is still checked."""
    broken = write(tmp_path / "a-broken.json", content)
    write(tmp_path / "b-valid.json", example("bautzen"))
    exit_code, document = report(capsys, str(tmp_path))
    assert exit_code == 1
    assert found(document) == [(broken.name, None, code, "")]
    assert document["summary"]["valid"] == 1


def test_a_broken_link_is_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link to nothing, named or found in a folder: unreadable_file, the others still checked."""
    link = tmp_path / "gone.json"
    link.symlink_to(tmp_path / "nowhere.json")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "lost.json").symlink_to(tmp_path / "nowhere-else.json")
    write(tmp_path / "folder" / "valid.json", example("bautzen"))
    code, document = report(capsys, str(link), str(tmp_path / "folder"))
    assert code == 1
    assert found(document) == [("gone.json", None, "unreadable_file", ""), ("lost.json", None, "unreadable_file", "")]
    assert document["summary"]["valid"] == 1


def test_an_os_error_is_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission denied, as the operating system says it: a problem with a code, never a traceback."""
    locked = write(tmp_path / "locked.json", example("bautzen"))
    write(tmp_path / "open.json", example("bautzen"))
    os_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).name == "locked.json":
            raise PermissionError(13, "Permission denied", str(path))
        return os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert f"{locked}: (document): error unreadable_file: cannot read the file: Permission denied" in out.splitlines()
    assert "1 valid, 1 invalid" in out


@pytest.mark.skipif(getattr(os, "geteuid", lambda: 0)() == 0, reason="root reads files without permission")
def test_a_file_without_read_permission_is_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Chmod 000: unreadable_file."""
    path = write(tmp_path / "secret.json", example("bautzen"))
    path.chmod(0)
    try:
        _, document = report(capsys, str(path))
    finally:
        path.chmod(0o600)
    assert found(document) == [("secret.json", None, "unreadable_file", "")]


def test_a_folder_that_cannot_be_listed_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subfolder without permission is a problem of that folder; its siblings are still read."""
    write(tmp_path / "a.json", example("bautzen"))
    closed = tmp_path / "closed"
    write(closed / "hidden.json", example("bautzen"))
    scandir = os.scandir

    def refuse(path: Any = ".") -> Any:
        if Path(path) == closed:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    code, document = report(capsys, str(tmp_path))
    assert code == 1
    assert found(document) == [("closed", None, "unreadable_file", "")]
    assert document["summary"]["valid"] == 1


# --- select, ignore, strict -----------------------------------------------------------------------


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A warning is reported and the record stays valid; --strict makes it fail."""
    path = write(tmp_path / "w.json", with_warning())
    code, document = report(capsys, str(path))
    assert code == 0
    assert found(document) == [("w.json", None, "offering.participants", "/offerings/0/participants")]
    assert document["files"][0]["records"][0]["valid"] is True
    assert document["summary"]["warnings"] == 1
    code, document = report(capsys, "--strict", str(path))
    assert code == 1
    assert document["files"][0]["records"][0]["valid"] is False


@pytest.mark.parametrize(
    ("options", "codes"),
    [
        ([], ["offering.participants", "alliance.unknown_lead"]),
        (["--ignore", "offering.participants"], ["alliance.unknown_lead"]),
        (["--ignore", "offering"], ["alliance.unknown_lead"]),
        (["--ignore", "offering,alliance"], []),
        (["--ignore", "offering", "--ignore", "alliance.unknown_lead"], []),
        (["--select", "alliance"], ["alliance.unknown_lead"]),
        (
            ["--select", "offering.participants,alliance.unknown_lead"],
            ["offering.participants", "alliance.unknown_lead"],
        ),
        (["--select", "alliance", "--select", "offering"], ["offering.participants", "alliance.unknown_lead"]),
        (["--select", "alliance", "--ignore", "alliance.unknown_lead"], []),
    ],
)
def test_select_and_ignore_by_code_or_prefix(
    options: list[str], codes: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Codes and dotted prefixes, comma-separated or repeated; ignore wins over select."""
    data = with_warning()
    data["lead"] = "nobody"
    path = write(tmp_path / "x.json", data)
    code, document = report(capsys, *options, str(path))
    assert sorted(codes) == sorted(c for _, _, c, _ in found(document))
    assert code == (1 if "alliance.unknown_lead" in codes else 0)


@pytest.mark.parametrize("selector", ["offering.part", "alliance.", "no_such_code", "offerings"])
def test_a_selector_that_matches_no_code_is_a_usage_error(
    selector: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Prefixes match whole dotted segments; a typo is exit 2, not a silent no-op."""
    path = write(tmp_path / "x.json", example("bautzen"))
    for option in ("--select", "--ignore"):
        code, _, err = run(capsys, "validate", option, selector, str(path))
        assert code == 2
        assert repr(selector) in err


def test_unreadable_data_is_reported_whatever_is_selected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No selection makes a file that is not JSON look valid."""
    path = write(tmp_path / "x.json", b"{")
    code, document = report(capsys, "--select", "alliance", "--ignore", "invalid_json", str(path))
    assert code == 1
    assert found(document) == [("x.json", None, "invalid_json", "")]


# --- extensions -----------------------------------------------------------------------------------

EXTENSION = '''
"""A user's extension for the command-line tests."""

import attrs

import willkommen


@willkommen.tagged("test-cli-partner")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class FundedPartner(willkommen.Partner):
    """A partner with a grant number."""

    grant: str


@willkommen.rules.rule(
    FundedPartner,
    "clitest.grant",
    willkommen.Severity.ERROR,
    reads=(),
    description="An empty grant number.",
    description_de="Eine leere Fördernummer.",
    message="empty grant number",
    message_de="leere Fördernummer",
    source="this test",
)
def grant_is_not_empty(partner, context):
    if not partner.grant:
        yield willkommen.rules.finding("grant")
'''


@pytest.fixture
def extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's module in the working folder, found as `python -m` would find it."""
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / "wk_test_cli_extension.py").write_text(EXTENSION, encoding="utf-8")
    (folder / "wk_test_cli_broken.py").write_text("raise RuntimeError('broken on purpose')\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "path", list(sys.path))
    return folder


def test_import_registers_a_users_classes_and_rules(
    extension: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--import MODULE``: the user's tag is read and the user's rule runs."""
    data = example("bautzen")
    data["partners"].append({"$type": "test-cli-partner", "id": "x", "name": "X", "kind": "other", "grant": ""})
    path = write(tmp_path / "x.json", data)
    code, document = report(capsys, "--import", "wk_test_cli_extension", str(path))
    assert code == 1
    assert found(document) == [("x.json", None, "clitest.grant", "/partners/8/grant")]
    code, out, _ = run(capsys, "rules", "--import", "wk_test_cli_extension", "clitest.grant")
    assert code == 0
    assert "clitest.grant" in out


@pytest.mark.parametrize("module", ["wk_test_cli_no_such_module", "wk_test_cli_broken"])
def test_a_module_that_cannot_be_imported_exits_2(
    module: str, extension: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Missing or failing on import: exit code 2 and the module named, no traceback."""
    code, out, err = run(capsys, "validate", "--import", module, str(extension))
    assert (code, out) == (2, "")
    assert repr(module) in err
    assert "Traceback" not in err


def test_the_shipped_extension_is_known_to_the_command_line_and_the_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The NRW initiative's documents validate without --import, and read in Python without importing it."""
    path = write(tmp_path / "leverkusen.json", example("leverkusen"))
    assert run(capsys, "validate", str(path))[0] == 0
    assert willkommen.reads(path.read_bytes()).ok


def test_rules_lists_every_code_with_its_severity(capsys: pytest.CaptureFixture[str]) -> None:
    """One line per code: the library's catalogue and unreadable_file."""
    code, out, _ = run(capsys, "rules")
    assert code == 0
    listed = [row.split()[:2] for row in out.splitlines()]
    expected = [[r.code, r.severity.value] for r in willkommen.rules.catalogue()]
    assert expected == listed[: len(expected)]
    assert ["unreadable_file", "error"] in listed


def test_rules_in_german_and_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang de`` describes in German; ``--format json`` gives code, severity, description, message, source."""
    _, out, _ = run(capsys, "rules", "--lang", "de")
    participants = next(r for r in willkommen.rules.catalogue() if r.code == "offering.participants")
    row = next(row for row in out.splitlines() if row.startswith("offering.participants "))
    assert row.split(None, 2) == ["offering.participants", "Warnung", participants.description_de]
    code, out, _ = run(capsys, "rules", "--format", "json", "--lang", "de")
    assert code == 0
    document = json.loads(out)
    assert document["version"] == 1
    entry = next(r for r in document["rules"] if r["code"] == "offering.participants")
    assert entry == {
        "code": "offering.participants",
        "severity": "warning",
        "description": participants.description_de,
        "message": participants.message_de,
        "source": participants.source,
        "sources": [{"id": "wbf-workshop", "title": "DKJS, Programmwebsite, Seite „Analyseworkshop“"}],
        "applies_to": "Offering",
    }


def test_rules_code_explains_one(capsys: pytest.CaptureFixture[str]) -> None:
    """Description, severity, what it checks, source and message template."""
    code, out, _ = run(capsys, "rules", "coaching.over_budget")
    assert code == 0
    entry = next(r for r in willkommen.rules.catalogue() if r.code == "coaching.over_budget")
    assert out.splitlines()[0] == "coaching.over_budget (error)"
    assert entry.applies_to is not None
    for part in (entry.description, entry.source, entry.message, entry.applies_to.__qualname__):
        assert part in out
    code, out, _ = run(capsys, "rules", "--format", "json", "missing")
    assert [r["code"] for r in json.loads(out)["rules"]] == ["missing"]
    assert json.loads(out)["rules"][0]["applies_to"] is None
    _, out, _ = run(capsys, "rules", "--lang", "de", "missing")
    assert "Einlesen" in out


def test_rules_code_prints_the_titles_of_its_sources(capsys: pytest.CaptureFixture[str]) -> None:
    """``rules CODE`` names each cited source by id and public title, in the chosen language."""
    _, out, _ = run(capsys, "rules", "alliance.too_few_partners")
    assert "    wbf-goals: DKJS, program website, „Ziele des Bundesprogramms" in out
    _, out, _ = run(capsys, "rules", "--lang", "de", "coaching.budget_over_cap")
    lines = out.splitlines()
    assert "  Quelle: bautzen-news, bautzen-agreement" in lines
    assert any(line.startswith("    bautzen-news: Stadt Bautzen, Meldung") for line in lines)


def test_rules_with_an_unknown_code_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A code not in the catalogue is a usage error."""
    code, _, err = run(capsys, "rules", "alliance.nope")
    assert code == 2
    assert "'alliance.nope'" in err


def test_schema_prints_a_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """Draft 2020-12, valid against its meta-schema; --root picks a tagged alliance class."""
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    Draft202012Validator.check_schema(schema)
    assert Draft202012Validator(schema).is_valid(example("leverkusen"))
    code, out, _ = run(capsys, "schema", "--root", "nrw-alliance")
    assert code == 0
    assert "coordinating_office" in json.loads(out)["properties"]


def test_schema_with_an_unknown_root_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Only alliance and tags of alliance classes are roots."""
    code, _, err = run(capsys, "schema", "--root", "partner")
    assert code == 2
    assert "'partner'" in err


UNPLANNED = """
import attrs
import willkommen


@willkommen.tagged("test-cli-unplanned")
@attrs.frozen(kw_only=True)
class Unplanned(willkommen.Alliance):
    extra: list[str] = ()
"""


def test_schema_of_a_class_the_plan_refuses_exits_2(
    extension: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An --import module's class with a field of an unsupported type: its field named, exit 2, no traceback."""
    (extension / "wk_test_cli_unplanned.py").write_text(UNPLANNED, encoding="utf-8")
    monkeypatch.delitem(sys.modules, "wk_test_cli_unplanned", raising=False)
    with willkommen.registry_scope():
        code, out, err = run(capsys, "schema", "--import", "wk_test_cli_unplanned", "--root", "test-cli-unplanned")
    assert (code, out) == (2, "")
    assert "'extra'" in err
    assert "Traceback" not in err


def test_example_prints_a_valid_alliance_without_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    """A starting point that passes every rule and reads back to the same object."""
    code, out, _ = run(capsys, "example")
    assert code == 0
    document = json.loads(out)
    assert document["schema_version"] == 2
    assert willkommen.check(document) == []
    assert willkommen.loads(out) == willkommen.load(example_document())


# --- progress -------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        """A terminal."""
        return True


def test_progress_shows_only_on_a_terminal_and_only_after_a_while() -> None:
    """Nothing in the first second; then a bar by bytes, redrawn at most every tenth of a second."""
    now = [0.0]
    terminal = Terminal()
    progress = Progress(terminal, lambda: 1000, clock=lambda: now[0])
    progress.update(100)
    assert terminal.getvalue() == ""
    now[0] = 1.5
    progress.update(400)
    assert terminal.getvalue().endswith("]  50%  2 records")
    drawn = terminal.getvalue()
    now[0] = 1.55
    progress.update(100)
    assert terminal.getvalue() == drawn  # too soon to redraw
    progress.clear()
    assert terminal.getvalue().endswith("\r\x1b[K")
    progress.clear()  # once only
    assert terminal.getvalue().count("\x1b[K") == 1


def test_progress_without_a_known_size_counts_records() -> None:
    """Standard input has no size: the records alone."""
    terminal = Terminal()
    progress = Progress(terminal, lambda: 0, clock=lambda: 5.0, delay=0)
    progress.update(10)
    assert terminal.getvalue() == "\r1 records"


def test_progress_is_silent_when_standard_error_is_not_a_terminal() -> None:
    """Redirected to a file or a pipe: no bar, and no file is even measured."""
    stream = io.StringIO()
    progress = Progress(stream, lambda: pytest.fail("measured"), delay=0)
    progress.update(10)
    progress.clear()
    assert stream.getvalue() == ""


def test_the_total_size_counts_what_can_be_measured(tmp_path: Path) -> None:
    """A file that cannot be measured counts nothing; reading it reports it later."""
    path = write(tmp_path / "a.json", b"12345")
    link = tmp_path / "gone.json"
    link.symlink_to(tmp_path / "nowhere")
    sources = [
        Source(str(path), path, lines=False),
        Source(str(link), link, lines=False),
        Source("-", None, lines=False),
    ]
    assert _files.total_size(sources) == 5


def test_a_long_run_on_a_terminal_draws_and_clears_the_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar goes to standard error and is cleared before each report line and at the end."""
    path = write(tmp_path / "many.jsonl", ("\n".join(["[]"] * 3) + "\n").encode())
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    monkeypatch.setattr(Progress, "INTERVAL", 0.0)
    code = main(["validate", str(path)])
    assert code == 1
    assert terminal.getvalue().count("\r\x1b[K") == 3
    assert "records" in terminal.getvalue()
    assert "\r" not in capsys.readouterr().out


# --- robustness -----------------------------------------------------------------------------------


def test_a_closed_pipe_ends_with_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`willkommen validate ... | head`: exit 4 and one line saying why, no traceback."""

    def closed(args: Any) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(_cli, "_example", closed)
    assert run(capsys, "example") == (
        4,
        "",
        "willkommen: error: cannot write the output: the reader went away (broken pipe)\n",
    )


def test_an_interrupt_ends_with_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C: the shell's code for SIGINT, no traceback."""

    def interrupted(args: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli, "_example", interrupted)
    assert run(capsys, "example") == (130, "", "")


def test_output_to_a_plain_stream_works(monkeypatch: pytest.MonkeyPatch) -> None:
    """When standard output is not a text file (a StringIO), it is left as it is."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["example"]) == 0
    assert json.loads(out.getvalue())["id"] == "bautzen"


# --- as a program ---------------------------------------------------------------------------------


def test_python_m_willkommen_runs_the_command(tmp_path: Path) -> None:
    """A real process: exit code 1 and the problem on standard output, in German if asked."""
    path = write(tmp_path / "x.json", without(example("bautzen"), "goals"))
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "willkommen", "validate", "--lang", "de", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert f"{path}: /goals: Fehler missing: " in done.stdout


def test_python_m_willkommen_reads_standard_input(tmp_path: Path) -> None:
    """A real pipe into ``-``; a usage error exits 2."""
    done = subprocess.run(
        [sys.executable, "-m", "willkommen", "validate", "--format", "json", "-"],
        input=json.dumps(example("bautzen")).encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["summary"]["valid"] == 1
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "willkommen", "validate", str(tmp_path / "nope.json")], capture_output=True, check=False
    )
    assert done.returncode == 2


def test_the_main_module_runs_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m willkommen`` exits with main's code (run in-process, so coverage sees it)."""
    monkeypatch.setattr(sys, "argv", ["willkommen", "rules", "missing"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("willkommen", run_name="__main__")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("missing (error)")


def test_importing_the_main_module_runs_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """Tools that import ``willkommen.__main__`` (pydoc, coverage) do not start the command."""
    sys.modules.pop("willkommen.__main__", None)
    importlib.import_module("willkommen.__main__")
    assert capsys.readouterr() == ("", "")


# --- a rule that raises: exit 3, never "bad data" -------------------------------------------------


@pytest.fixture
def exploding_rule() -> Iterator[None]:
    """A rule, registered for this test only, that raises for the alliance with the id "boom"."""
    with willkommen.registry_scope():

        @willkommen.rules.rule(
            willkommen.Alliance,
            "test.explodes",
            willkommen.Severity.ERROR,
            reads=(),
            description="Raises for one alliance.",
            description_de="Scheitert an einem Bündnis.",
            message="never",
            message_de="nie",
            source="this test",
        )
        def explodes(
            alliance: willkommen.Alliance, context: willkommen.rules.Context
        ) -> Iterator[willkommen.rules.Finding]:
            if alliance.id == "boom":
                raise ZeroDivisionError("division by zero")
            if alliance.id == "quit":
                sys.exit(0)
            yield from ()

        yield


def test_a_rule_that_raises_is_a_failure_of_its_record_and_exit_3(
    exploding_rule: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The failing rule is named with file and record; every other file and line is checked; the JSON stays JSON."""
    boom = {**example("bautzen"), "id": "boom"}
    write(tmp_path / "a.json", example("bautzen"))
    write(tmp_path / "b.json", boom)
    write(tmp_path / "c.jsonl", f"{line(boom)}\n{line(example('helmstedt'))}\n".encode())
    code, out, err = run(capsys, "validate", "--format", "json", str(tmp_path))
    assert code == 3
    document = json.loads(out)
    records = {(Path(f["path"]).name, r["line"]): r for f in document["files"] for r in f["records"]}
    assert records["a.json", None]["valid"] is True
    assert records["c.jsonl", 2]["valid"] is True
    for key in (("b.json", None), ("c.jsonl", 1)):
        assert records[key]["valid"] is False
        assert records[key]["failure"] == {
            "rule": "test.explodes",
            "exception": "ZeroDivisionError",
            "message": "division by zero",
        }
    assert document["summary"]["failures"] == 2
    assert document["summary"]["invalid"] == 0
    assert err.count("Traceback") == 2
    assert "test.explodes" in err
    assert f"{tmp_path / 'c.jsonl'}:1" in err


def test_a_rule_that_raises_in_the_text_report(
    exploding_rule: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line names the file, the rule and the exception; the summary counts the failed check; exit 3 wins over 1."""
    path = write(tmp_path / "b.json", {**example("bautzen"), "id": "boom"})
    bad = write(tmp_path / "bad.json", without(example("bautzen"), "goals"))
    code, out, _ = run(capsys, "validate", str(path), str(bad))
    assert code == 3
    lines = out.splitlines()
    assert (
        f"{path}: (document): failure: the rule test.explodes failed: ZeroDivisionError: division by zero" in (lines[0])
    )
    assert lines[-1].endswith("; 1 check failed")
    code, out, _ = run(capsys, "validate", "--lang", "de", str(path))
    assert "die Regel test.explodes ist gescheitert" in out
    assert out.splitlines()[-1].endswith("; 1 Prüfung gescheitert")


def test_a_rule_that_exits_cannot_end_the_run_as_valid(
    exploding_rule: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``sys.exit(0)`` inside a rule is a failure of that rule (exit 3); the files after it are still checked."""
    write(tmp_path / "a.json", {**example("bautzen"), "id": "quit"})
    write(tmp_path / "b.json", without(example("bautzen"), "goals"))
    code, document = report(capsys, str(tmp_path))
    assert code == 3
    (first, second) = document["files"]
    assert first["records"][0]["failure"] == {"rule": "test.explodes", "exception": "SystemExit", "message": "0"}
    assert second["records"][0]["valid"] is False


def test_the_json_report_says_which_rules_wait_for_which_parts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A partner that fails to read: the record lists the rules that did not run, and the part they wait for."""
    bad = example("bautzen")
    bad["partners"][0]["kind"] = "mayor"
    code, document = report(capsys, str(write(tmp_path / "bad.json", bad)))
    (record,) = document["files"][0]["records"]
    assert code == 1
    assert record["unread"] == ["partners"]
    assert set(record["skipped_rules"]) == {
        "alliance.too_few_partners",
        "alliance.unknown_lead",
        "alliance.duplicate_partner",
    }
    # Rules not selected are not mentioned; a valid record has neither key.
    code, document = report(capsys, "--select", "invalid_value", str(tmp_path / "bad.json"))
    assert "skipped_rules" not in document["files"][0]["records"][0]
    code, document = report(capsys, str(write(tmp_path / "good.json", example("bautzen"))))
    assert document["files"][0]["records"][0].keys() == {"line", "valid", "problems"}


def test_in_python_the_exception_names_the_rule(exploding_rule: None) -> None:
    """check() lets a rule's exception go on up, with a note naming the rule; read_files adds the file."""
    boom = {**example("bautzen"), "id": "boom"}
    with pytest.raises(ZeroDivisionError) as caught:
        willkommen.check(boom)
    assert any("'test.explodes'" in note for note in caught.value.__notes__)


def test_an_extension_that_exits_while_imported_is_a_usage_error(
    extension: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``sys.exit(0)`` in an --import module cannot make the run look valid: exit 2, nothing checked."""
    (extension / "wk_test_cli_exits.py").write_text("import sys\nsys.exit(0)\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", "--import", "wk_test_cli_exits", str(extension))
    assert (code, out) == (2, "")
    assert "sys.exit(0)" in err


# --- ergonomics -------------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` prints the installed version and exits 0."""
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"willkommen {willkommen.__version__}\n")


def test_folders_skip_hidden_entries_and_node_modules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Tools' settings and installed packages are not data; a hidden file named directly is still read."""
    write(tmp_path / "data" / "a.json", example("bautzen"))
    write(tmp_path / "data" / ".vscode" / "settings.json", {"editor.tabSize": 2})
    write(tmp_path / "data" / ".hidden.json", {})
    write(tmp_path / "data" / "node_modules" / "x" / "package.json", {"name": "x"})
    code, document = report(capsys, str(tmp_path / "data"))
    assert (code, [Path(f["path"]).name for f in document["files"]]) == (0, ["a.json"])
    code, document = report(capsys, str(tmp_path / "data" / ".hidden.json"))
    assert (code, [Path(f["path"]).name for f in document["files"]]) == (1, [".hidden.json"])


def test_exclude_leaves_out_files_and_folders_by_glob(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--exclude`` matches a name or the path below the folder, and may be repeated."""
    write(tmp_path / "a.json", example("bautzen"))
    write(tmp_path / "drafts" / "d.json", {})
    write(tmp_path / "old" / "o.json", {})
    write(tmp_path / "x.bak.json", {})
    code, document = report(
        capsys, "--exclude", "drafts", "--exclude", "*.bak.json", "--exclude", "old/*", str(tmp_path)
    )
    assert (code, [Path(f["path"]).name for f in document["files"]]) == (0, ["a.json"])


def test_each_file_is_read_once_however_often_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same folder twice, a file inside it, and a link to it: each file once."""
    path = write(tmp_path / "data" / "a.json", example("bautzen"))
    (tmp_path / "link.json").symlink_to(path)
    code, document = report(capsys, str(tmp_path / "data"), str(tmp_path / "data"), str(path), str(tmp_path))
    assert (code, document["summary"]["files"]) == (0, 1)


def test_ndjson_is_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``.ndjson`` files are read line by line, named or found in a folder."""
    path = write(tmp_path / "export.NDJSON", f"{line(example('bautzen'))}\n{line(example('helmstedt'))}\n".encode())
    for argument in (path, tmp_path):
        code, document = report(capsys, str(argument))
        assert (code, [r["line"] for r in document["files"][0]["records"]]) == (0, [1, 2])


def test_rules_takes_a_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    """``rules coaching`` lists the coaching codes (dotted segments, as --select); a full code explains one."""
    code, out, _ = run(capsys, "rules", "coaching")
    assert code == 0
    listed = [row.split()[0] for row in out.splitlines()]
    assert listed == [r.code for r in willkommen.rules.catalogue() if r.code.startswith("coaching.")]
    code, out, _ = run(capsys, "rules", "coach")
    assert code == 2
    code, out, _ = run(capsys, "rules", "dates.order")
    assert (code, out.splitlines()[0]) == (0, "dates.order (error)")


def test_codes_renamed_by_format_version_2_still_work(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The old codes and prefix select, ignore and explain their new codes, with a note."""
    data = example_document()
    data["local_authorities"][0]["ags"] = "1462"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "validate", "--select", "municipality.ags_format", str(path))
    assert code == 1
    assert "local_authority.ags_format" in out
    assert "'municipality.ags_format' is 'local_authority.ags_format' since format version 2" in err
    code, out, err = run(capsys, "validate", "--ignore", "municipality", str(path))
    assert code == 0
    assert "'municipality' is 'local_authority'" in err
    code, out, err = run(capsys, "rules", "--lang", "de", "alliance.no_municipality")
    assert code == 0
    assert out.startswith("alliance.no_local_authority (Fehler)")
    assert "Hinweis" in err
