"""Migrations: version-1 files upgrade to version 2, chained, typed, total, and faithful to the user's paths."""

import copy
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from willkommen import _migrate
from willkommen._migrate import StepResult, copy_document, migrate, moved, register_migration
from willkommen._migrate_cli import document_text
from willkommen.testing import alliances

_V1 = Path(__file__).parent / "data" / "v1"
_EXAMPLES = Path(__file__).parent.parent / "examples"


def _v1(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_V1 / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _v2(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _codes(problems: Any) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in problems]


# --- the shipped files -------------------------------------------------------------------


def test_leverkusen_version_1_migrates_to_the_shipped_version_2() -> None:
    """Kommune renamed, the workshop held, the statuses a focus: exactly the shipped example."""
    result = migrate(_v1("leverkusen"))
    assert result.from_version == 1
    assert result.changed
    assert result.problems == ()
    assert _v2("leverkusen") == result.document


def test_bautzen_version_1_migrates_to_the_shipped_version_2_less_its_planned_trainings() -> None:
    """Bautzen's budget was written out already; the agreed trainings are new in version 2."""
    result = migrate(_v1("bautzen"))
    assert result.problems == ()
    expected = _v2("bautzen")
    del expected["offerings"]
    assert expected == result.document


def test_helmstedt_gets_the_cap_its_version_1_file_meant_with_a_warning() -> None:
    """Version 1 read an absent budget as the program's cap: the migration writes 100 and says so."""
    result = migrate(_v1("helmstedt"))
    assert _codes(result.problems) == [("migration.assumed", "/coaching")]
    assert not result.problems[0].is_error
    assert result.document["coaching"]["hours_budget"] == 100
    expected = _v2("helmstedt")
    expected["coaching"]["hours_budget"] = 100
    assert expected == result.document


@pytest.mark.parametrize("name", ["bautzen", "helmstedt", "leverkusen"])
def test_version_1_files_read_with_a_warning(name: str) -> None:
    """load, loads and check accept version 1, upgraded in memory, with ``schema_version.outdated``."""
    data = _v1(name)
    problems = willkommen.check(data)
    assert ("schema_version.outdated", "/schema_version") in _codes(problems)
    assert not any(p.is_error for p in problems)
    alliance = willkommen.load(data)
    assert willkommen.dump(alliance)["schema_version"] == willkommen.SCHEMA_VERSION == 2
    assert willkommen.loads((_V1 / f"{name}.json").read_bytes()) == alliance


def test_problems_of_a_version_1_file_point_at_its_own_paths() -> None:
    """A bad key in a version-1 file is reported at /municipalities/…, where the user's file has it."""
    data = _v1("bautzen")
    data["municipalities"][1]["ags"] = "05625020"
    found = _codes(willkommen.check(data))
    assert ("local_authority.ags_state_mismatch", "/municipalities/1/ags") in found
    leverkusen = _v1("leverkusen")
    leverkusen["target_group"]["residence_statuses"] = ["refugee"]
    assert ("invalid_value", "/target_group/residence_statuses/0") in _codes(willkommen.check(leverkusen))


def test_an_added_value_s_problem_points_at_the_object_that_holds_it() -> None:
    """The status the migration writes is not in the file: a problem there belongs to the offering."""
    data = _v1("bautzen")
    data["offerings"] = [{"type": "training", "start": "2017-10-01"}]
    found = _codes(willkommen.check(data))
    assert ("missing", "/offerings/0/end") in found
    assert all("/status" not in path for _, path in found)


def test_a_newer_version_is_never_guessed() -> None:
    """Version 3 is not known: invalid_value, as before, and nothing is read."""
    data = _v2("bautzen")
    data["schema_version"] = 3
    assert _codes(willkommen.check(data)) == [("invalid_value", "/schema_version")]
    result = migrate(data)
    assert _codes(result.problems) == [("invalid_value", "/schema_version")]
    assert result.from_version is None
    assert data == result.document


# --- what the migration promises ---------------------------------------------------------------


def test_a_current_document_is_not_changed() -> None:
    """Version 2 comes back equal, as a new object, without problems."""
    data = _v2("leverkusen")
    result = migrate(data)
    assert data == result.document
    assert result.document is not data
    assert result.problems == ()
    assert result.from_version == 2
    assert not result.changed


@pytest.mark.parametrize(
    ("document", "code", "path"),
    [
        (None, "type", ""),
        (3, "type", ""),
        ("schema_version", "type", ""),
        ([{"schema_version": 1}], "type", ""),
        ({}, "missing", "/schema_version"),
        ({"schema_version": True}, "type", "/schema_version"),
        ({"schema_version": "1"}, "type", "/schema_version"),
        ({"schema_version": Decimal(1)}, "type", "/schema_version"),
        ({"schema_version": 0}, "invalid_value", "/schema_version"),
        ({"schema_version": -1}, "invalid_value", "/schema_version"),
        ({"schema_version": 10**400}, "invalid_value", "/schema_version"),
    ],
)
def test_a_document_without_a_readable_version_gets_its_problem(document: object, code: str, path: str) -> None:
    """Never an exception: the problem of the version, and the document as given (a copy)."""
    result = migrate(document)
    assert [(code, path)] == _codes(result.problems)
    assert document == result.document
    assert result.from_version is None


@pytest.mark.parametrize(
    "odd",
    [
        {"municipalities": "Bautzen"},
        {"municipalities": None},
        {"offerings": {"type": "training"}},
        {"offerings": [None, 3, "x", [], {"type": 3}]},
        {"coaching": []},
        {"coaching": {"hours_budget": "viele"}},
        {"program": ["not", "an", "id"], "coaching": {}},
        {"program": "no-such-program", "coaching": {}},
        {"$type": "nrw-alliance", "target_group": "alle"},
        {"$type": 7, "target_group": {}},
        {1: "a key that is no text"},
    ],
)
def test_odd_shapes_migrate_without_an_exception(odd: dict[Any, Any]) -> None:
    """What a step does not understand it leaves for the reader, which reports it."""
    document = {"schema_version": 1, **odd}
    result = migrate(document)
    assert result.document["schema_version"] == 2
    willkommen.check(document)  # and the reader answers too, with problems, never an exception


def test_deep_nesting_and_size_do_not_break_the_copy() -> None:
    """A list nested 100,000 deep and 100,000 offerings: copied without recursion, every one held."""
    deep: list[Any] = []
    node = deep
    for _ in range(100_000):
        inner: list[Any] = []
        node.append(inner)
        node = inner
    result = migrate({"schema_version": 1, "goals": deep, "offerings": [{"type": "training"}] * 100_000})
    assert len(result.document["offerings"]) == 100_000
    assert all(o["status"] == "held" for o in result.document["offerings"])
    assert result.document["goals"] is not deep


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"local_authorities": []}, "/local_authorities"),
        ({"offerings": [{"type": "training", "date": "2017-10-01", "status": "planned"}]}, "/offerings/0/status"),
    ],
)
def test_a_key_of_version_2_in_a_version_1_file_is_dropped_with_an_error(extra: dict[str, Any], path: str) -> None:
    """Nothing is dropped without a problem: a version-1 file cannot say what a version-2 key means."""
    data = {**_v1("bautzen"), **extra}
    result = migrate(data)
    assert ("migration.conflict", path) in _codes(result.problems)
    assert any(p.is_error for p in result.problems)


def test_nrw_registers_its_own_step_for_its_type() -> None:
    """The NRW extension renames its own field; a conflict there is reported at the user's path."""
    data = _v1("leverkusen")
    data["target_group"]["focus_statuses"] = ["other"]
    result = migrate(data)
    assert _codes(result.problems) == [("migration.conflict", "/target_group/focus_statuses")]
    assert result.document["target_group"]["focus_statuses"] == ["permission_to_stay", "toleration"]
    plain = _v1("bautzen")
    plain["target_group"] = {"residence_statuses": []}
    # Only an nrw-alliance has its target group renamed; for others it stays (and the reader refuses it).
    assert "residence_statuses" in migrate(plain).document["target_group"]


def test_a_step_goes_from_one_version_to_the_next() -> None:
    """Steps are registered per version pair, one apart; another pair is a MigrationError (a ValueError)."""
    with pytest.raises(willkommen.MigrationError, match="from one version to the next") as caught:
        register_migration(1, 3)
    assert isinstance(caught.value, ValueError)


def test_steps_chain_and_map_their_problems_back_to_the_user_s_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """A version 3: a version-1 file runs both steps, and a problem of the second points into the file."""
    monkeypatch.setattr(_migrate, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(_migrate, "SCHEMA_VERSIONS", frozenset({1, 2, 3}))
    monkeypatch.setattr(_migrate, "_STEPS", {key: list(steps) for key, steps in _migrate._STEPS.items()})

    @register_migration(2, 3)
    def towns(document: Mapping[str, Any]) -> StepResult:
        places = document["local_authorities"]
        problem = willkommen.rules.catalogue()[1].problem("/local_authorities/0/name", key="'name'")
        renamed = {("places" if key == "local_authorities" else key): value for key, value in document.items()}
        return StepResult({**renamed, "places": places}, (problem,), moved("/local_authorities", "/places"))

    result = migrate(_v1("bautzen"))
    assert result.from_version == 1
    assert result.document["schema_version"] == 3
    assert "places" in result.document
    assert _codes(result.problems) == [("missing", "/municipalities/0/name")]
    assert result.original_path("/places/1/ags") == "/municipalities/1/ags"


# --- properties ----------------------------------------------------------------------------------


def _as_version_1(document: dict[str, Any]) -> dict[str, Any]:
    """A version-2 document as version 1 wrote it (planned offerings had no place there)."""
    v1: dict[str, Any] = {
        ("municipalities" if key == "local_authorities" else key): value for key, value in document.items()
    }
    v1["schema_version"] = 1
    if "offerings" in v1:
        v1["offerings"] = [
            {k: v for k, v in o.items() if k != "status"} for o in v1["offerings"] if o.get("status") != "planned"
        ]
    return v1


def _containers(value: Any) -> Iterator[int]:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield id(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            yield id(node)
            stack.extend(node)


@given(alliances())
def test_version_1_of_any_alliance_migrates_and_reads_as_the_alliance(alliance: willkommen.Alliance) -> None:
    """Any alliance written as version 1 migrates, untouched, sharing nothing, and reads as the same data."""
    current = willkommen.dump(alliance)
    old = _as_version_1(current)
    before = copy.deepcopy(old)
    result = migrate(old)
    assert before == old
    assert not set(_containers(old)) & set(_containers(result.document))
    assert not any(p.is_error for p in result.problems)
    assert result.document["schema_version"] == 2
    assert "municipalities" not in result.document
    reread = willkommen.load(old)
    assert reread.local_authorities == alliance.local_authorities
    assert reread.partners == alliance.partners


@given(alliances())
def test_migrating_a_current_document_changes_nothing(alliance: willkommen.Alliance) -> None:
    """Version 2 in, version 2 out, equal and without problems."""
    current = willkommen.dump(alliance)
    result = migrate(current)
    assert current == result.document
    assert result.problems == ()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.decimals(allow_nan=False, places=2),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    [
        *("schema_version", "municipalities", "local_authorities", "offerings", "coaching", "program", "$type"),
        *("target_group", "residence_statuses", "focus_statuses", "status", "hours_budget", "type"),
    ]
)
_HOSTILE = st.recursive(
    _JSON,
    lambda inner: st.dictionaries(_KEYS | st.text(max_size=4), inner, max_size=6) | st.lists(inner, max_size=4),
    max_leaves=30,
)


@given(st.one_of(_HOSTILE, st.dictionaries(_KEYS, _HOSTILE).map(lambda d: {**d, "schema_version": 1})))
def test_any_document_gets_a_result_never_an_exception(document: Any) -> None:
    """Hostile shapes: a result, its input untouched, and the reader still answers with problems."""
    before = copy.deepcopy(document)
    result = migrate(document)
    assert before == document
    assert isinstance(result, willkommen.MigrationResult)
    if isinstance(document, dict) and document.get("schema_version") == 1:
        assert result.document["schema_version"] == 2
    willkommen.check(document)


@given(_HOSTILE)
def test_the_copy_is_equal_and_shares_nothing(document: Any) -> None:
    """copy_document makes an equal value with no list or dict of the original in it."""
    copied = copy_document(document)
    assert document == copied
    assert not set(_containers(document)) & set(_containers(copied))


def test_document_text_keeps_decimals_exactly() -> None:
    """33.30 stays 33.30, and a marker-like text stays text."""
    text = document_text({"hours": Decimal("33.30"), "big": Decimal("1E+400"), "note": "\x00x:0\x00"}, indent=None)
    assert text == '{"hours": 33.30, "big": 1E+400, "note": "\\u0000x:0\\u0000"}'


# --- the command line ---------------------------------------------------------------------------


def _migrate_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    from willkommen._cli import main

    code = main(["migrate", *argv])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_migrate_writes_a_folder_into_another(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """-o DIR: every file written there, one JSON line each; the result reads without a warning."""
    code, lines, _ = _migrate_cli(capsys, str(_V1), "-o", str(tmp_path / "out"))
    assert code == 0
    assert [(Path(e["path"]).name, e["from_version"], e["to_version"], e["changed"]) for e in lines] == [
        ("bautzen.json", 1, 2, True),
        ("helmstedt.json", 1, 2, True),
        ("leverkusen.json", 1, 2, True),
    ]
    assert lines[1]["problems"][0]["code"] == "migration.assumed"
    written = tmp_path / "out" / "leverkusen.json"
    assert lines[2]["written"] == str(written)
    assert json.loads(written.read_text(encoding="utf-8")) == _v2("leverkusen")
    assert willkommen.check(json.loads(written.read_text(encoding="utf-8"))) == []


def test_migrate_in_place_rewrites_only_what_changes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--in-place: the old file is rewritten, a current one is left as it is, byte for byte."""
    old = tmp_path / "old.json"
    old.write_bytes((_V1 / "bautzen.json").read_bytes())
    current = tmp_path / "current.json"
    current.write_bytes((_EXAMPLES / "helmstedt.json").read_bytes())
    before = current.read_bytes()
    code, lines, _ = _migrate_cli(capsys, "--in-place", str(old), str(current))
    assert code == 0
    assert [e["written"] for e in lines] == [str(old), None]
    assert json.loads(old.read_text(encoding="utf-8"))["schema_version"] == 2
    assert current.read_bytes() == before


def test_migrate_check_writes_nothing_and_fails_if_a_file_would_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--check: exit 1 for a version-1 file, 0 for current ones, nothing written."""
    old = tmp_path / "old.json"
    old.write_bytes((_V1 / "leverkusen.json").read_bytes())
    before = old.read_bytes()
    code, lines, _ = _migrate_cli(capsys, "--check", str(old))
    assert code == 1
    assert lines[0]["changed"]
    assert lines[0]["written"] is None
    assert old.read_bytes() == before
    code, _, _ = _migrate_cli(capsys, "--check", str(_EXAMPLES))
    assert code == 0


def test_migrate_json_lines_record_by_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A .jsonl file: one output line per record, written as JSON Lines; a bad record stops the writing."""
    source = tmp_path / "many.jsonl"
    records = [_v1("bautzen"), _v2("helmstedt")]
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    code, lines, _ = _migrate_cli(capsys, str(source), "-o", str(tmp_path / "out"))
    assert code == 0
    assert [(e["line"], e["from_version"]) for e in lines] == [(1, 1), (2, 2)]
    written = (tmp_path / "out" / "many.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["schema_version"] for line in written] == [2, 2]
    source.write_text(json.dumps(records[0]) + "\n{\n", encoding="utf-8")
    code, lines, _ = _migrate_cli(capsys, str(source), "--in-place")
    assert code == 1
    assert lines[1]["problems"][0]["code"] == "invalid_json"
    assert json.loads(source.read_text(encoding="utf-8").splitlines()[0])["schema_version"] == 1


def test_migrate_never_writes_a_file_with_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A conflict drops data: the file is reported, not written; an unreadable file is reported too."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**_v1("bautzen"), "local_authorities": []}), encoding="utf-8")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "nowhere")
    code, lines, _ = _migrate_cli(capsys, str(tmp_path), "--lang", "de", "-o", str(tmp_path / "out"))
    assert code == 1
    by_name = {Path(e["path"]).name: e for e in lines}
    assert by_name["bad.json"]["written"] is None
    assert by_name["bad.json"]["problems"][0]["code"] == "migration.conflict"
    assert by_name["dangling.json"]["problems"][0]["code"] == "unreadable_file"
    assert by_name["dangling.json"]["problems"][0]["message"].startswith("Datei nicht lesbar")
    assert not (tmp_path / "out" / "bad.json").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["x.json"],
        ["-", "--in-place"],
        ["x.json", "-o", "out", "--in-place"],
    ],
)
def test_migrate_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]) -> None:
    """No target, standard input, or both targets: exit 2."""
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    from willkommen._cli import main

    arguments = [str(tmp_path / a) if a == "x.json" else a for a in argv]
    assert main(["migrate", *arguments]) == 2
    capsys.readouterr()


def test_a_file_that_changes_while_it_is_migrated_is_not_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first pass found every record writable, the second does not: nothing written, no temporary left."""
    from willkommen import _migrate_cli as module

    source = tmp_path / "many.jsonl"
    source.write_text(json.dumps(_v1("bautzen")) + "\n", encoding="utf-8")
    passes = iter([True, False])
    real = module._outcomes

    def changing(source: Any) -> Iterator[Any]:
        writable = next(passes)
        for outcome in real(source):
            yield outcome if writable else module.Outcome(outcome.line, 1, changed=True, problems=())

    monkeypatch.setattr(module, "_outcomes", changing)
    code, lines, _ = _migrate_cli(capsys, str(source), "-o", str(tmp_path / "out"))
    assert code == 1
    assert lines == []
    assert list((tmp_path / "out").iterdir()) == []


def test_migrate_reads_no_more_than_validate_would(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file or a JSON Lines line over the size limit is file_too_large and is not written."""
    from willkommen import _migrate_cli as module

    monkeypatch.setattr(module, "MAX_FILE_SIZE", 100)
    big = tmp_path / "big.json"
    big.write_bytes((_V1 / "bautzen.json").read_bytes())
    lines = tmp_path / "big.jsonl"
    lines.write_text('{"schema_version": 2}\n' + json.dumps(_v1("bautzen")) + "\n", encoding="utf-8")
    code, found, _ = _migrate_cli(capsys, str(big), str(lines), "--in-place")
    assert code == 1
    assert (Path(found[0]["path"]).name, [p["code"] for p in found[0]["problems"]]) == ("big.json", ["file_too_large"])
    assert (found[-1]["line"], [p["code"] for p in found[-1]["problems"]]) == (2, ["file_too_large"])
    assert json.loads(big.read_text(encoding="utf-8"))["schema_version"] == 1
