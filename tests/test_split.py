"""``--valid-out`` and ``--invalid-out``: every record in one of two JSON Lines files, no input ever overwritten."""

import json
import os
from pathlib import Path
from typing import Any

import pytest

from willkommen._split import json_line

from .conftest import example
from .test_cli import line, run, write

ROOT = Path(__file__).parent.parent


def read_lines(path: Path) -> list[dict[str, Any]]:
    """The JSON documents of a JSON Lines file."""
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A folder: the shipped examples as JSON Lines, one broken record, one line that is not JSON."""
    broken = {**example("helmstedt"), "id": "helmstedt-broken", "origin": "reborn"}
    records = [line(example(name)) for name in ("bautzen", "helmstedt", "leverkusen")]
    text = "\n".join([records[0], line(broken), records[1], "{not json", records[2]]) + "\n"
    write(tmp_path / "in" / "all.jsonl", text.encode())
    return tmp_path / "in"


def test_each_record_goes_to_one_of_the_two(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Valid records as they were; invalid ones with their problems and source; the counts add up."""
    valid, invalid = tmp_path / "valid.jsonl", tmp_path / "invalid.jsonl"
    code, out, _ = run(capsys, "validate", str(data), "--valid-out", str(valid), "--invalid-out", str(invalid))
    assert code == 1
    assert out.splitlines()[-1].startswith("1 file, 5 records: 3 valid, 2 invalid")
    good = read_lines(valid)
    assert [d["id"] for d in good] == ["bautzen", "helmstedt", "leverkusen"]
    assert good[0] == example("bautzen")
    bad = read_lines(invalid)
    assert [(d["source"]["line"], [p["code"] for p in d["problems"]]) for d in bad] == [
        (2, ["invalid_value"]),
        (4, ["invalid_json"]),
    ]
    assert bad[0]["record"]["id"] == "helmstedt-broken"
    assert bad[0]["problems"][0]["path"] == "/origin"
    assert bad[0]["source"]["file"] == str(data / "all.jsonl")
    assert (bad[1]["record"], bad[1]["text"]) == (None, "{not json\n")


def test_a_pretty_printed_file_becomes_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped examples (indented JSON) come out one record a line, meaning the same."""
    valid = tmp_path / "valid.jsonl"
    code, _, _ = run(capsys, "validate", str(ROOT / "examples"), "--valid-out", str(valid))
    assert code == 0
    assert sorted(d["id"] for d in read_lines(valid)) == ["bautzen", "helmstedt", "leverkusen"]
    for name in ("bautzen", "helmstedt"):
        assert example(name) in read_lines(valid)


def test_problems_are_in_the_chosen_language(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang de`` writes German messages."""
    invalid = tmp_path / "invalid.jsonl"
    run(capsys, "validate", "--lang", "de", str(data), "--invalid-out", str(invalid))
    assert "ist ungültig" in read_lines(invalid)[0]["problems"][0]["message"]


def test_an_output_that_is_a_named_input_is_refused(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Naming an input as an output is a usage error, before anything is read or written."""
    target = data / "all.jsonl"
    before = target.read_bytes()
    for option in ("--valid-out", "--invalid-out"):
        code, out, err = run(capsys, "validate", str(target), option, str(target))
        assert (code, out) == (2, "")
        assert "is also an input" in err
    assert target.read_bytes() == before


def test_an_output_that_is_an_input_under_another_name_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link or a hard link to an input is the input."""
    target = data / "all.jsonl"
    (tmp_path / "link.jsonl").symlink_to(target)
    os.link(target, tmp_path / "hard.jsonl")
    for other in ("link.jsonl", "hard.jsonl", "in/../in/all.jsonl"):
        code, _, _ = run(capsys, "validate", str(target), "--valid-out", str(tmp_path / other))
        assert code == 2, other


def test_an_output_found_in_a_checked_folder_is_not_read_back(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Last run's output inside the folder being checked is skipped, said so, and replaced."""
    valid = data / "valid.jsonl"
    first = run(capsys, "validate", str(data), "--valid-out", str(valid))
    second = run(capsys, "validate", str(data), "--valid-out", str(valid))
    assert first[1] == second[1]  # the same records checked: the output was not read
    assert "not reading" in second[2]
    assert len(read_lines(valid)) == 3


def test_the_two_outputs_must_differ(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One file for both would lose records."""
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "validate", str(data), "--valid-out", str(out), "--invalid-out", str(out))
    assert code == 2
    assert "the same file" in err


@pytest.mark.parametrize("where", ["no/such/x.jsonl", "."], ids=["in a folder that does not exist", "a folder"])
def test_an_output_that_cannot_be_written_is_a_usage_error(
    where: str, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 and a message, no traceback; nothing left behind."""
    code, _, err = run(capsys, "validate", str(data), "--valid-out", str(tmp_path / where))
    assert code == 2
    assert "cannot write" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_an_output_that_cannot_be_put_in_place_is_a_usage_error(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename at the end fails (the target turned into a folder meanwhile): exit 2, no debris."""

    def fail(self: Path, target: Path) -> Path:
        raise IsADirectoryError(21, "Is a directory", str(target))

    monkeypatch.setattr(Path, "replace", fail)
    code, _, err = run(capsys, "validate", str(data), "--valid-out", str(tmp_path / "valid.jsonl"))
    assert code == 2
    assert "cannot write" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_an_interrupted_run_leaves_the_old_output(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outputs appear whole at the end or not at all: an error midway leaves the previous file and no debris."""
    from willkommen import _cli

    valid = tmp_path / "valid.jsonl"
    valid.write_text("previous\n", encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli.TextReport, "finish", fail)
    assert _cli.main(["validate", str(data), "--valid-out", str(valid)]) == 130
    capsys.readouterr()
    assert valid.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "valid.jsonl"]


def test_a_new_output_gets_ordinary_permissions(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Written through a private temporary file, the output still ends up readable as a new file would be."""
    valid = tmp_path / "valid.jsonl"
    run(capsys, "validate", str(data), "--valid-out", str(valid))
    mask = os.umask(0o022)
    os.umask(mask)
    assert valid.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{\n  "a": [1,\r\n 2.50]\n}\n', '{  "a": [1, 2.50]}'),  # line breaks go, numbers stay as written
        (b'\xef\xbb\xbf{"a": "\xc3\xbc"}', '{"a": "ü"}'),  # a byte-order mark goes
        (b'{"a": NaN}', None),  # not JSON
        (b'{"a": "\xff"}', None),  # not UTF-8
        (b"[" * 100_000, None),  # nothing to parse
    ],
)
def test_json_line(text: bytes, expected: str | None) -> None:
    """A record as one line of standard JSON, or None."""
    assert json_line(text) == expected


def test_a_record_that_is_not_json_cannot_be_valid_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Even when every error is ignored, NaN is no JSON: the record goes to the invalid output, as text."""
    path = write(tmp_path / "x.jsonl", line(example("bautzen")).encode()[:-1] + b', "x": NaN}\n')
    valid, invalid = tmp_path / "valid.jsonl", tmp_path / "invalid.jsonl"
    argv = ["validate", str(path), "--ignore", "unknown_key", "--valid-out", str(valid), "--invalid-out", str(invalid)]
    code, _, _ = run(capsys, *argv)
    assert code == 0
    assert valid.read_text(encoding="utf-8") == ""
    (entry,) = read_lines(invalid)
    assert entry["record"] is None
    assert "NaN" in entry["text"]
