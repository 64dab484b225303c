"""Files from Python: read_files and read_stream, the walk the command line uses too."""

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import willkommen

from .conftest import example


def write(path: Path, data: object) -> Path:
    """Write *data* as JSON (bytes as they are) to *path*, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def _line(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode() + b"\n"


def test_a_folder_gives_each_record_with_where_it_came_from(tmp_path: Path) -> None:
    """Whole files have no line; JSON Lines records have theirs; each carries its Reading."""
    write(tmp_path / "a.json", example("bautzen"))
    write(tmp_path / "b.jsonl", _line(example("helmstedt")) + b"\n" + _line({"schema_version": 2}))
    found = [(Path(r.file).name, r.line, r.reading.ok) for r in willkommen.read_files([tmp_path])]
    assert found == [("a.json", None, True), ("b.jsonl", 1, True), ("b.jsonl", 3, False)]


def test_the_objects_are_there(tmp_path: Path) -> None:
    """A record's reading holds the object, of the class asked for (the shipped NRW extension included)."""
    write(tmp_path / "leverkusen.json", example("leverkusen"))
    (record,) = willkommen.read_files([tmp_path / "leverkusen.json"])
    assert type(record.reading.value).__name__ == "NrwAlliance"
    assert record.size == (tmp_path / "leverkusen.json").stat().st_size


def test_what_cannot_be_read_is_a_record_with_a_problem(tmp_path: Path) -> None:
    """A path that does not exist is unreadable_file, not an exception; the next path is still read."""
    write(tmp_path / "a.json", example("bautzen"))
    records = list(willkommen.read_files([tmp_path / "nowhere.json", tmp_path / "a.json"]))
    assert [(r.line, [p.code for p in r.reading.problems]) for r in records] == [
        (None, ["unreadable_file"]),
        (None, []),
    ]


def test_folders_are_walked_as_on_the_command_line(tmp_path: Path) -> None:
    """Hidden entries and node_modules are skipped, exclude globs leave out more, .ndjson is JSON Lines."""
    write(tmp_path / "keep.ndjson", _line(example("bautzen")))
    write(tmp_path / ".git" / "x.json", {})
    write(tmp_path / "node_modules" / "package.json", {})
    write(tmp_path / "drafts" / "d.json", {})
    found = [(Path(r.file).name, r.line) for r in willkommen.read_files([tmp_path, tmp_path], exclude=["drafts"])]
    assert found == [("keep.ndjson", 1)]


def test_a_stream_of_json_lines(tmp_path: Path) -> None:
    """read_stream reads one document per line, or the whole stream as one."""
    data = _line(example("bautzen")) + _line(example("helmstedt"))
    records = list(willkommen.read_stream(io.BytesIO(data), name="export"))
    assert [(r.file, r.line, r.reading.ok) for r in records] == [("export", 1, True), ("export", 2, True)]
    (whole,) = willkommen.read_stream(io.BytesIO(data), lines=False)
    assert (whole.file, whole.line, [p.code for p in whole.reading.problems]) == ("<stream>", None, ["invalid_json"])


@pytest.fixture
def raising_rule() -> Iterator[None]:
    """A rule that raises for every alliance, in a scope of its own."""
    with willkommen.registry_scope():

        @willkommen.rules.rule(
            willkommen.Alliance,
            "test.raises",
            willkommen.Severity.ERROR,
            reads=(),
            description="Raises.",
            description_de="Scheitert.",
            message="never",
            message_de="nie",
            source="this test",
        )
        def raises(
            alliance: willkommen.Alliance, context: willkommen.rules.Context
        ) -> Iterator[willkommen.rules.Finding]:
            raise KeyError(alliance.id)

        yield


def test_a_rule_that_raises_goes_on_up_naming_rule_file_and_line(raising_rule: None, tmp_path: Path) -> None:
    """In Python a bug is an exception, never a problem of the data; its notes say where."""
    path = write(tmp_path / "x.jsonl", _line(example("bautzen")))
    with pytest.raises(KeyError) as caught:
        list(willkommen.read_files([path]))
    notes = caught.value.__notes__
    assert any("'test.raises'" in note for note in notes)
    assert f"while reading {path}, line 1" in notes


def test_the_working_folder_as_a_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``.`` is walked like any folder named: only the entries below it are judged hidden."""
    write(tmp_path / "a.json", example("bautzen"))
    write(tmp_path / ".venv" / "x.json", {})
    monkeypatch.chdir(tmp_path)
    assert [(r.file, r.reading.ok) for r in willkommen.read_files(["."])] == [("a.json", True)]


def test_one_path_is_one_path_not_its_characters(tmp_path: Path) -> None:
    """read_files("data/") reads the folder, as read_files(["data/"]) does."""
    write(tmp_path / "a.json", example("bautzen"))
    assert [r.reading.ok for r in willkommen.read_files(str(tmp_path))] == [True]
    assert [r.reading.ok for r in willkommen.read_files(tmp_path)] == [True]


def test_a_text_stream_reads_as_a_binary_one() -> None:
    """Lines from open(path) without "b" are str: read the same, blank lines skipped."""
    text = json.dumps(example("bautzen")) + "\n \n" + json.dumps(example("helmstedt")) + "\n"
    records = list(willkommen.read_stream(io.StringIO(text)))
    assert [(r.line, r.reading.ok) for r in records] == [(1, True), (3, True)]
    (whole,) = willkommen.read_stream(io.StringIO(json.dumps(example("bautzen"))), lines=False)
    assert whole.reading.ok
