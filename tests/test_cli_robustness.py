"""The command line under hostile and broken input: an answer for every file and line, never a traceback.

``test_robustness.py`` holds the library to its promise; this file holds the
command line to the same one, where files, folders and terminals add their own
ways to fail: JSON Lines with CRLF, byte-order marks, blank and broken lines
among good ones; huge, deep and undecodable lines; pipes, loops and folders
named like data files; keys and file names that a terminal would act on. The
last tests run the real process over a folder holding all of it.
"""

import io
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from willkommen._cli import main
from willkommen._example import example_document
from willkommen._text import printable

from .conftest import example
from .test_cli import found, line, report, run, write

GOOD = line(example("bautzen")).encode()
# The same alliance under other ids: one id twice in a run is a problem of its own (collection.duplicate_id).
GOOD2 = line({**example("bautzen"), "id": "bautzen-2"}).encode()
GOOD3 = line({**example("bautzen"), "id": "bautzen-3"}).encode()
GOOD4 = line({**example("bautzen"), "id": "bautzen-4"}).encode()
MB = 1024 * 1024


def _records(document: dict[str, Any]) -> list[tuple[int | None, bool]]:
    return [(record["line"], record["valid"]) for file in document["files"] for record in file["records"]]


# --- JSON Lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize("end", [b"\r\n", b"\n"], ids=["CRLF", "LF"])
def test_json_lines_with_either_line_end(end: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Windows line ends are whitespace to JSON: every record valid, numbered from 1, no trailing end needed."""
    path = write(tmp_path / "export.jsonl", end.join([GOOD, GOOD2, GOOD3]))
    code, document = report(capsys, str(path))
    assert (code, _records(document)) == (0, [(1, True), (2, True), (3, True)])


# One broken line, and the code it must get; the good lines around it stay valid.
BROKEN_LINES: dict[str, tuple[bytes, str]] = {
    "truncated": (GOOD[: len(GOOD) // 2], "invalid_json"),
    "not UTF-8": (GOOD.replace(b"Bautzen", b"B\xe4utzen", 1), "invalid_json"),
    "UTF-16": ("{}".encode("utf-16"), "invalid_json"),
    "NaN": (GOOD[:-1] + b', "x": NaN}', "unknown_key"),
    "a repeated key": (GOOD[:-1] + b', "id": "again"}', "duplicate_key"),
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
    "a 10,000-digit integer": (b'{"schema_version": ' + b"9" * 10_000 + b"}", "invalid_json"),
    "a 10 MB unknown partner kind": (GOOD.replace(b'"kind": "', b'"kind": "' + b"x" * (10 * MB), 1), "invalid_value"),
    "a JSON array": (b"[]", "type"),
    "a byte-order mark inside": (b"{\xef\xbb\xbf" + GOOD[1:], "invalid_json"),
}


@pytest.mark.parametrize(("broken", "code"), BROKEN_LINES.values(), ids=BROKEN_LINES.keys())
def test_one_broken_line_among_good_ones(
    broken: bytes, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The broken line gets its code at its line number; the good lines before and after are valid."""
    path = write(tmp_path / "export.jsonl", b"\n".join([GOOD2, broken, GOOD3]) + b"\n")
    exit_code, document = report(capsys, str(path))
    assert exit_code == 1
    assert _records(document) == [(1, True), (2, False), (3, True)]
    assert (2, code) in [(number, found_code) for _, number, found_code, _ in found(document)]


def test_a_10_mb_name_in_a_line_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A long value where a long value is allowed is no problem: the record is valid."""
    data = example("bautzen")
    data["name"] = "B" * (10 * MB)
    path = write(tmp_path / "long.jsonl", line(data).encode() + b"\n" + GOOD2)
    code, document = report(capsys, str(path))
    assert (code, _records(document)) == (0, [(1, True), (2, True)])


def test_byte_order_marks_blank_lines_and_a_missing_last_line_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A BOM before a line is ignored; blank lines are skipped but counted; the last line needs no end."""
    text = b"\xef\xbb\xbf" + GOOD + b"\r\n\r\n \t \n\xef\xbb\xbf" + GOOD2 + b"\n\n" + GOOD3
    path = write(tmp_path / "export.jsonl", text)
    code, document = report(capsys, str(path))
    assert (code, _records(document)) == (0, [(1, True), (4, True), (6, True)])


def test_a_line_of_other_control_characters_is_not_blank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only JSON's whitespace makes a line blank: a form feed or NUL alone is a record, and invalid."""
    path = write(tmp_path / "export.jsonl", GOOD + b"\n\x0c\n\x00\n" + GOOD2)
    code, document = report(capsys, str(path))
    assert (code, _records(document)) == (1, [(1, True), (2, False), (3, False), (4, True)])


def test_a_file_of_only_blank_lines_holds_no_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Like an empty JSON Lines file: zero records, and the file is listed."""
    path = write(tmp_path / "blank.jsonl", b"\n\r\n   \n")
    code, document = report(capsys, str(path))
    assert (code, [f["path"] for f in document["files"]], _records(document)) == (0, [str(path)], [])


def test_an_empty_json_file_is_invalid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unlike JSON Lines, a .json file must hold one document: empty is a problem."""
    path = write(tmp_path / "empty.json", b"")
    code, document = report(capsys, str(path))
    assert (code, found(document)) == (1, [("empty.json", None, "invalid_json", "")])


# --- files that are not files ---------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_like_a_data_file_in_a_folder_does_not_hang(tmp_path: Path) -> None:
    """A FIFO has no writer and would block a reader forever: found in a folder, it is unreadable_file.

    Run as a separate process, so that a regression fails on the timeout instead of hanging the suite.
    """
    os.mkfifo(tmp_path / "pipe.json")
    os.mkfifo(tmp_path / "pipe.jsonl")
    write(tmp_path / "valid.json", example("bautzen"))
    result = _willkommen("validate", "--format", "json", str(tmp_path), timeout=60)
    document = json.loads(result.stdout)
    assert found(document) == [("pipe.json", None, "unreadable_file", ""), ("pipe.jsonl", None, "unreadable_file", "")]
    assert document["summary"]["valid"] == 1


def test_a_file_that_cannot_be_examined_is_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error from fstat() on a file found in a folder: unreadable_file, and the file is closed again."""
    write(tmp_path / "a.json", example("bautzen"))
    closed: list[int] = []
    close = os.close

    def fail(descriptor: int) -> os.stat_result:
        raise OSError(5, "Input/output error")

    def record_close(descriptor: int) -> None:
        closed.append(descriptor)
        close(descriptor)

    with monkeypatch.context() as patched:  # undone before pytest's own capture uses fstat
        patched.setattr(os, "fstat", fail)
        patched.setattr(os, "close", record_close)
        code = main(["validate", "--format", "json", str(tmp_path)])
    assert (code, found(json.loads(capsys.readouterr().out))) == (1, [("a.json", None, "unreadable_file", "")])
    assert len(closed) == 1


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_a_link_to_a_device_in_a_folder_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link named like a data file that leads to a device (/dev/null, or /dev/zero that never ends)."""
    (tmp_path / "device.json").symlink_to("/dev/null")
    code, document = report(capsys, str(tmp_path))
    assert (code, found(document)) == (1, [("device.json", None, "unreadable_file", "")])
    assert "not a regular file" in document["files"][0]["records"][0]["problems"][0]["message"]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_a_socket_named_like_a_data_file_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A socket cannot be opened like a file: found in a folder, it is refused before anyone tries."""
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.json"))
        code, document = report(capsys, str(tmp_path))
    assert (code, found(document)) == (1, [("s.json", None, "unreadable_file", "")])
    assert "not a regular file" in document["files"][0]["records"][0]["problems"][0]["message"]


def test_a_file_that_turns_into_a_pipe_when_opened_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the look and the open the name may change hands: what was opened is looked at again, and closed."""
    write(tmp_path / "a.json", example("bautzen"))
    closed: list[int] = []
    close, fstat = os.close, os.fstat

    def as_a_pipe(descriptor: int) -> os.stat_result:
        real = fstat(descriptor)
        return os.stat_result((stat.S_IFIFO | 0o600, *tuple(real)[1:]))

    def record_close(descriptor: int) -> None:
        closed.append(descriptor)
        close(descriptor)

    with monkeypatch.context() as patched:  # undone before pytest's own capture uses fstat
        patched.setattr(os, "fstat", as_a_pipe)
        patched.setattr(os, "close", record_close)
        code = main(["validate", "--format", "json", str(tmp_path)])
    document = json.loads(capsys.readouterr().out)
    assert (code, found(document)) == (1, [("a.json", None, "unreadable_file", "")])
    assert len(closed) == 1


def test_a_link_to_itself_is_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A loop of links: unreadable_file, named or found in a folder."""
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "loop.json").symlink_to(tmp_path / "folder" / "loop.json")
    code, document = report(capsys, str(loop), str(tmp_path / "folder"))
    assert code == 1
    assert found(document) == [("loop.json", None, "unreadable_file", "")] * 2


def test_a_folder_named_like_a_data_file_is_searched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder called export.json is a folder: its files are checked, it is not read as a file."""
    write(tmp_path / "export.json" / "inner.json", example("bautzen"))
    code, document = report(capsys, str(tmp_path))
    assert (code, [Path(f["path"]).name for f in document["files"]]) == (0, ["inner.json"])


def test_a_file_named_on_the_command_line_may_be_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``willkommen validate <(zcat export.json.gz)`` names a pipe: named, it is read like a file."""
    reader, writer = os.pipe()
    with os.fdopen(writer, "wb") as stream:
        stream.write(GOOD)
    try:
        code, document = report(capsys, f"/dev/fd/{reader}")
    finally:
        os.close(reader)
    assert (code, _records(document)) == (0, [(None, True)])


# --- what the report prints -----------------------------------------------------------------------

# Keys a terminal would act on, or that would break the one-line-per-problem format.
HOSTILE_KEYS = ["line\nbreak", "carriage\rreturn", "\x1b[31mred", "bell\x07", "\u202eevil", "\ud800lone", "nul\x00"]


def _hostile_document() -> bytes:
    text = json.dumps(example("bautzen"))
    extra = ", ".join(f"{json.dumps(key)}: 1" for key in HOSTILE_KEYS)
    return (text[:-1] + ", " + extra + "}").encode()


def test_the_text_report_escapes_what_a_terminal_would_act_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line per problem, whatever the keys hold: no control characters, no lone surrogates."""
    path = write(tmp_path / "keys.json", _hostile_document())
    code, out, _ = run(capsys, "validate", str(path))
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == len(HOSTILE_KEYS) + 1  # a line per key, then the summary
    assert all(text.isprintable() for text in lines)
    assert f"{path}: /line\\nbreak: error unknown_key: " in out


def test_the_json_report_gives_back_every_key_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON report is the lossless one: each path names its key as it is in the data."""
    path = write(tmp_path / "keys.json", _hostile_document())
    code, document = report(capsys, str(path))
    assert code == 1
    assert sorted(p for _, _, _, p in found(document)) == sorted(f"/{key}" for key in HOSTILE_KEYS)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain Straße", "plain Straße"),
        ("a\nb", "a\\nb"),
        ("\x1b[0m", "\\x1b[0m"),
        ("\u202e", "\\u202e"),
        ("\ud800", "\\ud800"),
        ("\u00a0", "\\xa0"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    """Printable characters stay, in any script; the others are written as Python escapes."""
    assert printable(text) == shown


def test_json_output_to_a_stream_of_unknown_encoding_is_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    """An output stream that names no encoding Python knows gets ASCII-escaped JSON, valid whatever it is."""

    class Unknown(io.StringIO):
        encoding = "no-such-encoding"

    stream = Unknown()
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["example"]) == 0
    assert stream.getvalue().isascii()
    assert json.loads(stream.getvalue()) == example_document()


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes: Linux file systems")
def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """A name the file system holds but UTF-8 cannot: shown escaped in text, and as JSON in the report."""
    name = tmp_path / os.fsdecode(b"b\xe4d.json")
    name.write_bytes(b"{")
    text = _willkommen("validate", str(tmp_path))
    assert text.returncode == 1
    assert "b\\udce4d.json: (document): error invalid_json: " in text.stdout
    document = json.loads(_willkommen("validate", "--format", "json", str(tmp_path)).stdout)
    assert document["files"][0]["path"] == str(name)


# --- the whole process: no traceback, whatever it meets -------------------------------------------


def _willkommen(*argv: str, timeout: float = 120, encoding: str = "utf-8") -> subprocess.CompletedProcess[str]:
    """Run ``python -m willkommen`` as users do; the timeout guards against a hang, it measures nothing."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "willkommen", *argv],
        capture_output=True,
        text=True,
        encoding=encoding,
        errors="surrogateescape",
        timeout=timeout,
        env=env,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    """A folder of everything hostile the command line may meet, with one good file among it."""
    write(tmp_path / "good.json", {**example("bautzen"), "id": "good"})
    write(tmp_path / "empty.json", b"")
    write(tmp_path / "bom.json", b"\xef\xbb\xbf" + GOOD2)
    write(tmp_path / "latin1.json", GOOD.replace(b"Bautzen", b"B\xe4utzen"))
    write(tmp_path / "deep.json", b"[" * 100_000)
    write(tmp_path / "digits.json", b'{"schema_version": ' + b"1" * 10_000 + b"}")
    write(tmp_path / "nan.json", b"NaN")
    write(tmp_path / "keys.json", _hostile_document())
    write(tmp_path / "export.jsonl", b"\r\n".join([GOOD3, b"{broken", b"", b"\xff", GOOD4]))
    write(tmp_path / "long.jsonl", GOOD.replace(b'"kind": "', b'"kind": "' + b"k" * (10 * MB), 1))
    (tmp_path / "gone.json").symlink_to(tmp_path / "nowhere.json")
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    (tmp_path / "folder.json").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
    return tmp_path


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_the_process_answers_every_file_of_the_zoo(zoo: Path, encoding: str) -> None:
    """Exit 1, nothing on standard error, every file reported; the JSON report is JSON in any output encoding."""
    text = _willkommen("validate", str(zoo), encoding=encoding)
    assert (text.returncode, text.stderr) == (1, "")
    assert all(line.isprintable() for line in text.stdout.splitlines())
    count = 13 if hasattr(os, "mkfifo") else 12  # the pipe, where there are pipes
    assert text.stdout.splitlines()[-1].startswith(f"{count} files")

    result = _willkommen("validate", "--format", "json", "--lang", "de", str(zoo), encoding=encoding)
    assert (result.returncode, result.stderr) == (1, "")
    document = json.loads(result.stdout)
    files = {Path(f["path"]).name: [(r["line"], r["valid"]) for r in f["records"]] for f in document["files"]}
    assert files["good.json"] == files["bom.json"] == [(None, True)]
    assert files["export.jsonl"] == [(1, True), (2, False), (4, False), (5, True)]
    invalid = {name for name, records in files.items() if not all(valid for _, valid in records)}
    assert invalid == set(files) - {"good.json", "bom.json"}
    assert "folder.json" not in files


def test_every_command_writes_json_that_reads_back_in_any_encoding() -> None:
    """schema, rules and example print JSON that stays JSON on an ASCII terminal, and means the same."""
    for argv in (["schema"], ["rules", "--format", "json", "--lang", "de"], ["example"]):
        utf8 = _willkommen(*argv)
        ascii_only = _willkommen(*argv, encoding="ascii")
        assert utf8.returncode == ascii_only.returncode == 0
        assert ascii_only.stdout.isascii()
        assert json.loads(utf8.stdout) == json.loads(ascii_only.stdout)
