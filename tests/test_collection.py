"""Checks across records and files: the same alliance id twice is ``collection.duplicate_id`` at every place."""

import io
import os
import sys
from array import array
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
from willkommen._collection import NAMED_PLACES, IdIndex, Place, alliance_id

from .conftest import example
from .test_cli import found, line, report, run, write


def test_the_catalogue_lists_the_code_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    """``willkommen rules`` knows the code; it is an error with English and German text."""
    (entry,) = [r for r in willkommen.rules.catalogue() if r.code == "collection.duplicate_id"]
    assert entry.severity is willkommen.Severity.ERROR
    code, out, _ = run(capsys, "rules", "collection.duplicate_id", "--lang", "de")
    assert code == 0
    assert entry.description_de in out


def test_the_same_id_in_two_files_is_reported_in_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bautzen in two files: both records invalid, each naming the other file."""
    first = write(tmp_path / "a.json", example("bautzen"))
    second = write(tmp_path / "b.json", example("bautzen"))
    write(tmp_path / "c.json", example("helmstedt"))
    code, document = report(capsys, str(tmp_path))
    assert code == 1
    assert found(document) == [
        ("a.json", None, "collection.duplicate_id", "/id"),
        ("b.json", None, "collection.duplicate_id", "/id"),
    ]
    messages = [r["problems"][0]["message"] for f in document["files"][:2] for r in f["records"]]
    assert str(second) in messages[0]
    assert str(first) in messages[1]
    assert document["summary"]["invalid"] == 2


def test_every_occurrence_in_json_lines_names_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three records of one id among others: each is reported at its line, naming the two other lines."""
    bautzen, helmstedt = example("bautzen"), example("helmstedt")
    text = "\n".join(line(d) for d in (bautzen, helmstedt, bautzen, bautzen)) + "\n"
    path = write(tmp_path / "all.jsonl", text.encode())
    code, document = report(capsys, "--lang", "de", str(path))
    assert code == 1
    assert found(document) == [("all.jsonl", n, "collection.duplicate_id", "/id") for n in (1, 3, 4)]
    first = document["files"][0]["records"][0]["problems"][0]["message"]
    assert f"{path}:3, {path}:4" in first
    assert "Bündnis-ID" in first


def test_an_invalid_record_still_holds_its_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record with other errors still claims its id: two records describe one alliance either way."""
    broken = {**example("bautzen"), "origin": "reborn"}
    path = write(tmp_path / "all.jsonl", f"{line(example('bautzen'))}\n{line(broken)}\n".encode())
    _, document = report(capsys, str(path))
    assert ("all.jsonl", 1, "collection.duplicate_id", "/id") in found(document)
    assert ("all.jsonl", 2, "collection.duplicate_id", "/id") in found(document)


@pytest.mark.parametrize(
    "other",
    [
        [],  # no id: the reader reports it missing
        {"id": 7},  # not text: a type problem, no id to compare
        b"{broken",  # not JSON
    ],
    ids=["no id", "a number", "not JSON"],
)
def test_records_without_a_readable_id_repeat_nothing(
    other: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only text ids are compared; anything else is the reader's problem, never a repeat."""
    text = other if isinstance(other, bytes) else line(other).encode()  # type: ignore[arg-type]
    path = write(tmp_path / "all.jsonl", text + b"\n" + text + b"\n" + line(example("bautzen")).encode())
    _, document = report(capsys, str(path))
    assert "collection.duplicate_id" not in {code for *_, code, _ in found(document)}


def test_ignore_and_select_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--ignore collection`` turns the check off; ``--select collection`` shows only it."""
    write(tmp_path / "a.json", example("bautzen"))
    write(tmp_path / "b.json", {**example("bautzen"), "origin": "reborn"})
    code, document = report(capsys, "--ignore", "collection", str(tmp_path))
    assert (code, [c for *_, c, _ in found(document)]) == (1, ["invalid_value"])
    code, document = report(capsys, "--select", "collection.duplicate_id", str(tmp_path))
    assert [c for *_, c, _ in found(document)] == ["collection.duplicate_id"] * 2


def test_standard_input_is_compared_with_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standard input can be read once: it is kept aside, so its ids and its records are both checked."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line(example("bautzen")).encode() + b"\n")))
    path = write(tmp_path / "a.json", example("bautzen"))
    code, document = report(capsys, "--jsonl", "-", str(path))
    assert code == 1
    assert found(document) == [
        ("<stdin>", 1, "collection.duplicate_id", "/id"),
        ("a.json", None, "collection.duplicate_id", "/id"),
    ]


@pytest.mark.skipif(not hasattr(os, "pipe") or not Path("/dev/fd").exists(), reason="no /dev/fd here")
def test_a_named_pipe_is_read_once_and_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``<(zcat x.gz)`` can be read only once: its records are still all checked, and compared."""
    reader, writer = os.pipe()
    with os.fdopen(writer, "wb") as stream:
        stream.write(line(example("bautzen")).encode())
    path = write(tmp_path / "a.json", example("helmstedt"))
    try:
        code, document = report(capsys, f"/dev/fd/{reader}", str(path))
    finally:
        os.close(reader)
    assert code == 0
    assert [(r["line"], r["valid"]) for f in document["files"] for r in f["records"]] == [(None, True), (None, True)]


def test_many_places_are_named_up_to_a_limit() -> None:
    """A message names the first few other places and counts the rest."""
    index = IdIndex()
    places = [Place("x.jsonl", n) for n in range(1, NAMED_PLACES + 4)]
    for place in places:
        index.add("bautzen", place)
    problem = index.problem("bautzen", places[0])
    assert problem is not None
    assert problem.message.endswith(" and 2 more")
    assert problem.message_de.endswith(" und 2 weitere")
    assert "x.jsonl:1," not in problem.message


def test_a_place_not_seen_before_repeats_nothing() -> None:
    """A record that was not there when the ids were read (the file changed) is not called a repeat."""
    index = IdIndex()
    index.add("a", Place("x.json"))
    index.add("a", Place("y.json"))
    assert index.problem("a", Place("z.json")) is None
    assert index.problem("b", Place("x.json")) is None


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "\ud800", ""]), max_size=30), st.sampled_from([None, 1]))
def test_the_index_reports_exactly_the_repeats(ids: list[str], first_line: int | None) -> None:
    """A record is reported exactly when its id occurs elsewhere, naming every other place."""
    index = IdIndex()
    places = [Place(f"{n}.json") if first_line is None else Place("x.jsonl", n + 1) for n in range(len(ids))]
    for key, place in zip(ids, places, strict=True):
        index.add(key, place)
    assert len(index) == len(ids)
    for key, place in zip(ids, places, strict=True):
        problem = index.problem(key, place)
        assert (problem is not None) == (ids.count(key) > 1)
        if problem is not None and ids.count(key) <= NAMED_PLACES:
            others = [str(p) for k, p in zip(ids, places, strict=True) if k == key and p != place]
            assert problem.message.endswith(", ".join(others))


def test_the_index_holds_24_bytes_a_record() -> None:
    """Two 64-bit halves of a digest and a packed place per record, in arrays: no object per record."""
    index = IdIndex()
    for number in range(10_000):
        index.add(f"alliance-{number}", Place("big.jsonl", number + 1))
    assert len(index) == 10_000
    held = [value for value in vars(index).values() if isinstance(value, array)]
    assert sum(a.itemsize * len(a) for a in held) == 24 * 10_000
    assert index.repeated == {}


def test_an_id_is_text_in_an_object() -> None:
    """Only an object's text ``id`` counts."""
    assert alliance_id({"id": "bautzen"}) == "bautzen"
    assert alliance_id({"id": 1}) is None
    assert alliance_id(["bautzen"]) is None
