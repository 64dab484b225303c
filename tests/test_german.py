"""German as a German public administration writes it: no English, German numbers, one term per concept."""

import argparse
import errno
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import willkommen
import willkommen.nrw  # registers the NRW rules, whose messages are checked too
from willkommen._api import reads as read_text
from willkommen._cli import main
from willkommen._enums import LabelledEnum
from willkommen._german import count_de, json_reason_de, number_de, os_error_de, usage_error_de
from willkommen._sources import SOURCES
from willkommen._triggers import NRW_TRIGGERS, TRIGGERS

_DOCS = Path(__file__).parent.parent / "docs"

# English words that are no German words (so not "an", "in", "die", "will", "was", "man", "Name").
_ENGLISH = re.compile(
    r"\b(the|is|are|not|of|and|or|expected|expecting|got|missing|unknown|file|folder|cannot|read|error|"
    r"errors|warning|warnings|none|line|column|value|key|keys|must|should|with|without|than|more|less|from|"
    r"such|no|permission|denied|usage|arguments|required|invalid|choice|choose|extra|data|property|delimiter|"
    r"unterminated|hours|budget|sessions?|offering|alliance|goal|measure|office|state|district|"
    r"signatory|signatories|exceeds|cap|found|unrecognized|open|end|lies|outside|"
    r"runtime|starts|digits|program|records?|valid)\b",
    re.IGNORECASE,
)
# What a message quotes from the data ('nobody', "x"), and codes and paths, is the user's, not ours.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\b[a-z_]+(?:\.[a-z_]+)+\b|/[\w/~.-]*|\{[^}]*\}")


_CODES = {entry.code for entry in willkommen.rules.catalogue()}


def _shipped() -> list[willkommen.rules.Rule]:
    """The catalogue as shipped: the reader's codes and the rules of willkommen and willkommen.nrw.

    Other test modules register rules of their own; those are not the product's German.
    """
    return [
        e
        for e in willkommen.rules.catalogue()
        if e.applies_to is None or e.applies_to.__module__.startswith("willkommen")
    ]


def english_words(text: str) -> list[str]:
    """The English words in *text*, leaving out quoted values, codes, paths and placeholders."""
    words = _QUOTED.sub(" ", text).split()
    # Option names (--valid-out) and their placeholders (FILE) are the command's identifiers, not English.
    kept = (w for w in words if w.rstrip(":") not in _CODES and not w.startswith("-") and not w.isupper())
    return _ENGLISH.findall(" ".join(kept))


def test_the_detector_finds_english_and_passes_german() -> None:
    """The check below can fail: it finds the English of the old messages, and passes German."""
    assert english_words("Expecting value (Zeile 1, Spalte 2)") == ["Expecting", "value"]
    assert english_words("error invalid_json") == ["error"]
    assert english_words("Stundenbudget 150 übersteigt die Obergrenze von 100 Stunden") == []
    assert english_words("Federführung 'nobody' ist nicht die ID eines Bündnispartners") == []


@pytest.mark.parametrize("entry", _shipped(), ids=lambda r: r.code)
def test_every_german_text_of_the_catalogue_is_german(entry: willkommen.rules.Rule) -> None:
    """Description and message template in German hold no English word."""
    assert english_words(entry.description_de) == []
    assert english_words(entry.message_de) == []


@pytest.mark.parametrize("trigger", [*TRIGGERS, *NRW_TRIGGERS], ids=lambda t: t.code)
def test_every_message_filled_with_real_values_is_german(trigger: Any) -> None:
    """Every code of the catalogue, triggered on the example alliance: its German message is German."""
    problems = read_text(trigger.text).problems if trigger.text is not None else willkommen.check(trigger.document())
    found = [p for p in problems if p.code == trigger.code]
    assert found
    for problem in found:
        assert english_words(problem.message_de) == [], problem.message_de


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.id)
def test_source_titles_in_german_are_german(source: Any) -> None:
    """``rules CODE --lang de`` prints the German titles of the sources."""
    assert english_words(source.title_de) == []


@pytest.mark.parametrize(
    "text",
    [
        "{",
        "",
        '{"a" 1}',
        '{"a": 1,}',
        "[1 2]",
        '{"a": "\x01"}',
        '"\\x"',
        '"\\u12"',
        "{} {}",
        '{"a": "b',
        "{a: 1}",
        "1" * 5000,
        b"\xff\xfe",
    ],
)
def test_json_reading_reasons_are_german(text: str | bytes) -> None:
    """Whatever the parser says of broken JSON, the German message says it in German."""
    (problem,) = read_text(text).problems
    assert problem.code == "invalid_json"
    assert english_words(problem.message_de) == [], problem.message_de


def test_an_unknown_json_reason_is_a_neutral_german_phrase() -> None:
    """A reason the table does not know is never passed through in English."""
    assert json_reason_de("Something new") == "ungültige JSON-Syntax"


@pytest.mark.parametrize("number", [errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ELOOP, errno.EIO, 9999, None])
def test_os_errors_are_german(number: int | None) -> None:
    """Operating-system errors in German, by their number; an unknown number still in German."""
    exc = OSError(number, "Some English text") if number is not None else OSError("Some English text")
    assert english_words(os_error_de(exc, "Some English text")) == []


def test_usage_errors_of_argparse_are_german() -> None:
    """Argparse's own complaints, and one it may say some day, in German."""
    for message in (
        "the following arguments are required: PATH",
        "unrecognized arguments: --x",
        "argument --lang: invalid choice: 'fr' (choose from 'en', 'de')",
        "argument --select: expected one argument",
        "something new",
    ):
        assert english_words(usage_error_de(message)) == [], message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("110.5"), "110,5"),
        (Decimal("33.3"), "33,3"),
        (100, "100"),
        (1048, "1048"),
        (12345, "12.345"),
        (Decimal("-1234567.25"), "-1.234.567,25"),
        (Decimal("1.5E+400"), "1,5E+400"),
        ("NaN", "NaN"),
    ],
)
def test_numbers_are_written_the_german_way(value: Decimal | int | str, expected: str) -> None:
    """Decimal comma; thousands grouped with a point from five digits on (DIN 5008)."""
    assert expected == number_de(value)


def test_counts_agree_with_their_noun() -> None:
    """No "Partner(n)": the count chooses the words."""
    words = {"none": "keinen Bündnispartner", "single": "nur einen Bündnispartner"}
    assert count_de(0, "Bündnispartner", "verschiedene Bündnispartner", **words) == "keinen Bündnispartner"
    assert count_de(1, "Bündnispartner", "verschiedene Bündnispartner", **words) == "nur einen Bündnispartner"
    assert count_de(2, "Bündnispartner", "verschiedene Bündnispartner", **words) == "2 verschiedene Bündnispartner"


def test_hours_are_german_numbers_in_messages(rich: dict[str, Any]) -> None:
    """The sessions' sum and the budget read "110,5 Stunden" in German, "110.5 hours" in English."""
    rich["coaching"]["sessions"][2]["hours"] = Decimal("43.9")
    (problem,) = [p for p in willkommen.check(rich) if p.code == "coaching.over_budget"]
    assert problem.message_de == "die Sitzungen umfassen 110,5 Stunden, mehr als das Stundenbudget von 100 Stunden"
    assert problem.message == "sessions use 110.5 hours, more than the budget of 100 hours"


@pytest.mark.parametrize(
    ("keep", "german"),
    [
        (0, "das Bündnis hat keinen Bündnispartner; das Programm verlangt mindestens 3"),
        (1, "das Bündnis hat nur einen Bündnispartner; das Programm verlangt mindestens 3"),
        (2, "das Bündnis hat 2 verschiedene Bündnispartner; das Programm verlangt mindestens 3"),
    ],
)
def test_partner_counts_in_good_german(rich: dict[str, Any], keep: int, german: str) -> None:
    """Zero, one and two partners: each with its own words."""
    rich["partners"] = rich["partners"][:keep]
    rich["lead"] = None
    (problem,) = [p for p in willkommen.check(rich) if p.code == "alliance.too_few_partners"]
    assert german == problem.message_de


def test_a_key_of_a_kommune_is_named_by_its_kind(rich: dict[str, Any]) -> None:
    """Kreisschlüssel for a Landkreis, Gemeindeschlüssel otherwise; never a bare Schlüssel."""
    rich["local_authorities"][0]["ags"] = "1462"
    rich["local_authorities"][1]["ags"] = "1462502"
    messages = [p.message_de for p in willkommen.check(rich) if p.code == "local_authority.ags_format"]
    assert messages == [
        "Kreisschlüssel '1462' hat nicht 5 Ziffern (Art der Kommune: Landkreis / Kreis)",
        "Gemeindeschlüssel '1462502' hat nicht 8 Ziffern (Art der Kommune: kreisangehörige Stadt / Große Kreisstadt)",
    ]


def test_schluessel_never_means_a_json_key() -> None:
    """A JSON key is an "Angabe"; "Schlüssel" alone is never used, only in the names of the AGS."""
    for entry in _shipped():
        for text in (entry.description_de, entry.message_de):
            assert not re.search(r"(?<![A-Za-zäöü])Schlüssel", text), text


# One term per concept: the term the glossary gives, never its rivals.
_RIVALS = {
    "Bündnispartner": re.compile(r"(?<![A-Za-zäöüß])Partner(?!-)"),
    "Servicebüro": re.compile(r"(?<![A-Za-zäöüß])Büro\b"),
    "Bundesland": re.compile(r"(?<![A-Za-zäöüß])(Land|Länder|Ländern)\b"),
    "Stundenbudget": re.compile(r"(?<![A-Za-zäöüß])Budget\b"),
    "Art": re.compile(r"\bTyps?\b"),
    "Kooperationsvereinbarung": re.compile(r"(?<![A-Za-zäöüß])Vereinbarung\b"),
}


@pytest.mark.parametrize("entry", _shipped(), ids=lambda r: r.code)
def test_one_term_per_concept(entry: willkommen.rules.Rule) -> None:
    """Bündnispartner, Servicebüro, Bundesland, Stundenbudget, Art, Kooperationsvereinbarung: always these."""
    for text in (entry.description_de, entry.message_de):
        for term, rival in _RIVALS.items():
            assert not rival.search(text), (term, text)


def _labelled_enums() -> list[type[LabelledEnum]]:
    return [cls for cls in vars(willkommen).values() if isinstance(cls, type) and issubclass(cls, LabelledEnum)] + [
        willkommen.nrw.ResidenceStatus
    ]


def test_the_glossary_covers_every_label_and_term() -> None:
    """Every German label of every code list, and every term the messages use, is in the glossary."""
    glossary = (_DOCS / "glossary.md").read_text(encoding="utf-8")
    labels = {member.label_de for cls in _labelled_enums() if cls is not LabelledEnum for member in cls}
    terms = {
        *_RIVALS,
        "Angabe",
        "Pflichtangabe",
        "Gemeindeschlüssel",
        "Kreisschlüssel",
        "Landesschlüssel",
        "Programmlaufzeit",
        "Obergrenze",
        "Sitzung",
        "Teilnehmende",
        "Federführung",
        "geschäftsführende Stelle",
        "Erstgespräch",
        "Angebotsart",
    }
    for word in sorted(labels | terms):
        assert word in glossary, word


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_every_command_line_output_in_german_is_german(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rich: dict[str, Any]
) -> None:
    """Reports, file errors, usage errors and rule texts with ``--lang de``: no English word."""
    broken = dict(rich, lead="nobody")
    broken["partners"] = rich["partners"][:1]
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"a": ', encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('{"x": 1}\n[\n', encoding="utf-8")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "nowhere")
    outputs = [
        _run(capsys, "validate", "--lang", "de", str(tmp_path)),
        _run(capsys, "validate", "--lang", "de", "--strict", str(tmp_path / "broken.json")),
        _run(capsys, "validate", "--lang", "de", str(tmp_path / "missing.json")),
        _run(capsys, "validate", "--lang", "de", "--select", "nope", str(tmp_path)),
        _run(capsys, "validate", "--lang", "de", "--bogus", str(tmp_path)),
        _run(capsys, "validate", "--lang", "de"),
        _run(capsys, "validate", "--lang", "de", "--format", "xml", str(tmp_path)),
        _run(capsys, "validate", "--lang=de", str(tmp_path / "empty-folder-does-not-exist")),
        _run(capsys, "rules", "--lang", "de", "coaching.budget_over_cap"),
        _run(capsys, "rules", "--lang", "de", "missing"),
        _run(capsys, "rules", "--lang", "de", "no.such.code"),
        _run(capsys, "validate", "--lang", "de", "--import", "no_such_module_here", str(tmp_path)),
    ]
    (tmp_path / "empty").mkdir()
    outputs.append(_run(capsys, "validate", "--lang", "de", str(tmp_path / "empty")))
    for _, text in outputs:
        assert english_words(_without_usage(text)) == [], text
    # The list of rules, less those that other test modules register in this process.
    shipped = {entry.code for entry in _shipped()}
    _, listing = _run(capsys, "rules", "--lang", "de")
    lines = [line for line in listing.splitlines() if line.split()[0] in shipped]
    assert len(lines) == len(shipped)
    assert english_words("\n".join(lines)) == []


def _without_usage(text: str) -> str:
    """*text* less the usage lines: they repeat the options' own names (--lang, PATH, CODES)."""
    kept: list[str] = []
    in_usage = False
    for line in text.splitlines():
        in_usage = line.startswith("Aufruf:") or (in_usage and line.startswith(" "))
        if not in_usage:
            kept.append(line)
    return "\n".join(kept)


def test_json_report_messages_in_german_are_german(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """In the JSON report, the messages are German; codes and severities are identifiers."""
    (tmp_path / "bad.json").write_text("[1 2]", encoding="utf-8")
    _, out = _run(capsys, "validate", "--lang", "de", "--format", "json", str(tmp_path))
    document = json.loads(out)
    (problem,) = document["files"][0]["records"][0]["problems"]
    assert english_words(problem["message"]) == []


def test_the_usage_line_is_german(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` with ``--lang de`` opens with "Aufruf:", as every German usage line does."""
    assert main(["validate", "--lang", "de", "--help"]) == 0
    assert capsys.readouterr().out.startswith("Aufruf: willkommen validate")


@pytest.mark.parametrize("command", [[], ["validate"], ["schema"], ["rules"], ["migrate"], ["example"]])
def test_the_help_of_every_command_is_german(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """``--help`` with ``--lang de``: headings, options and descriptions in German."""
    assert main([*command, "--lang=de", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Aufruf:")
    assert english_words(_without_usage(out)) == [], out


def test_every_help_text_has_its_german() -> None:
    """A new option without a German help text fails here, before a user sees English."""
    from willkommen._cli import _parser
    from willkommen._german import HELP_DE

    parsers = [_parser()]
    texts: list[str] = []
    while parsers:
        parser = parsers.pop()
        texts.append(parser.description or "")
        for action in parser._actions:
            texts.append(action.help or "")
            texts.extend(choice.help or "" for choice in getattr(action, "_choices_actions", ()))
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    missing = sorted({text for text in texts if text and text not in HELP_DE})
    assert missing == []
