"""Messages that help fix: did-you-mean for codes and keys, and hints for the usual mistakes."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

import willkommen
from willkommen import LocalAuthorityKind, PartnerKind, State, Theme
from willkommen._suggest import key_for, member_for

from .conftest import example

GLOSSARY = Path(__file__).parent.parent / "docs" / "glossary.md"


# value, the code list, the member meant. One row a kind of slip.
SLIPS = [
    ("Sachsen", State, State.SN),  # the German label
    ("sachsen-anhalt", State, State.ST),  # label, other case
    ("Thueringen", State, State.TH),  # umlaut spelled out
    ("de-sn", State, State.SN),  # code, other case
    ("SN", State, State.SN),  # the member's name
    ("Jugendamt", PartnerKind, PartnerKind.YOUTH_OFFICE),  # label
    ("Youth Office", PartnerKind, PartnerKind.YOUTH_OFFICE),  # code with spacing
    ("youth_ofice", PartnerKind, PartnerKind.YOUTH_OFFICE),  # a typo
    ("Ausländeramt", PartnerKind, PartnerKind.IMMIGRATION_OFFICE),  # glossary synonym
    ("Bildungsagentur", PartnerKind, PartnerKind.EDUCATION_AUTHORITY),  # one part of a label
    ("Kommunales Integrationszentrum", PartnerKind, PartnerKind.INTEGRATION_OFFICE),  # glossary synonym
    ("Landrat", PartnerKind, PartnerKind.ADMINISTRATION_LEAD),  # a part in parentheses
    ("Landkreis", LocalAuthorityKind, LocalAuthorityKind.DISTRICT),  # label part
    ("Berufsorientierung", Theme, Theme.SCHOOL_TO_WORK),  # glossary synonym
]


@pytest.mark.parametrize(("value", "cls", "member"), SLIPS, ids=[s[0] for s in SLIPS])
def test_a_slip_suggests_the_member_meant(value: str, cls: type, member: object) -> None:
    """Labels, codes in any case and spacing, typos and glossary terms find their member."""
    assert member_for(cls, value) is member


@pytest.mark.parametrize("value", ["mayor", "", "x" * 1000, "Sonstwas ganz anderes"])
def test_no_guess_where_nothing_is_close(value: str) -> None:
    """Unrelated or overlong words suggest nothing, rather than something misleading."""
    assert member_for(PartnerKind, value) is None
    assert member_for(State, 7) is None


def test_every_glossary_term_finds_its_code() -> None:
    """Each German term the glossary gives for a code of a code list is understood: one vocabulary, two uses."""
    members = {m.value: (cls, m) for cls in (PartnerKind, LocalAuthorityKind, Theme) for m in cls}
    rows = re.findall(r"^\| ([^|]+) \| `([a-z_]+)` \|", GLOSSARY.read_text(encoding="utf-8"), re.MULTILINE)
    checked = 0
    for german, code in rows:
        if code not in members:
            continue
        cls, member = members[code]
        for term in re.split(r" / |, ", german.strip()):
            assert member_for(cls, term) is member, (term, code)
            checked += 1
    assert checked > 20


def test_the_reader_suggests_in_both_languages(bautzen: dict[str, Any]) -> None:
    """The problem's message ends in the suggestion, English and German."""
    bautzen["local_authorities"][0]["state"] = "Sachsen"
    (problem,) = willkommen.check(bautzen)
    assert (problem.code, problem.path) == ("invalid_value", "/local_authorities/0/state")
    assert problem.message.endswith("did you mean 'DE-SN' (Sachsen)?")
    assert problem.message_de.endswith("gemeint ist wohl 'DE-SN' (Sachsen)?")


@pytest.mark.parametrize(
    ("key", "keys", "meant"),
    [
        ("bundesland", ("name", "state"), "state"),  # German word
        ("Partner", ("partners", "goals"), "partners"),  # German word, also the singular
        ("parnters", ("partners", "goals"), "partners"),  # typo
        ("Organization", ("organisation",), "organisation"),  # the other spelling
        ("bundesland", ("name",), None),  # the object has no such key
    ],
)
def test_an_unknown_key_suggests_a_key_of_the_object(key: str, keys: tuple[str, ...], meant: str | None) -> None:
    """Typos and German words map to the object's own keys only."""
    assert key_for(key, keys) == meant


def test_an_unknown_key_in_a_document(bautzen: dict[str, Any]) -> None:
    """'bundesland' in a local authority: unknown_key, with 'state' suggested."""
    bautzen["local_authorities"][0]["bundesland"] = "DE-SN"
    problems = [p for p in willkommen.check(bautzen) if p.code == "unknown_key"]
    assert [(p.path, p.message) for p in problems] == [
        ("/local_authorities/0/bundesland", "unknown key 'bundesland'; did you mean 'state'?")
    ]
    plain = {**example("bautzen"), "zzz": 1}
    assert [p.message for p in willkommen.check(plain)] == ["unknown key 'zzz'"]


def test_a_subclass_key_without_its_tag_asks_for_the_tag() -> None:
    """Leverkusen without "$type": its NRW keys are unknown to Alliance, and the message names the missing tag."""
    leverkusen = example("leverkusen")
    del leverkusen["$type"]
    messages = {p.path: p.message for p in willkommen.check(leverkusen) if p.code == "unknown_key"}
    assert messages["/coordinating_office"].endswith('did you forget "$type": "nrw-alliance"?')
    assert set(messages) == {"/coordinating_office", "/target_group"}


def test_an_unknown_type_says_to_import_the_extension(bautzen: dict[str, Any]) -> None:
    """An unknown tag: the message says where tags come from."""
    bautzen["$type"] = "no-such-tag-anywhere"
    (problem,) = willkommen.check(bautzen)
    assert (problem.code, problem.path) == ("invalid_value", "/$type")
    assert "--import MODULE" in problem.message


@pytest.mark.parametrize("text", ["", "   \n", b"\xef\xbb\xbf", "\t"])
def test_an_empty_text_says_it_is_empty(text: str | bytes) -> None:
    """Nothing (or only blanks, or a byte-order mark) is 'empty', not 'Expecting value at line 1'."""
    (problem,) = willkommen.reads(text).problems
    assert (problem.code, problem.path) == ("invalid_json", "")
    assert "empty" in problem.message


def test_json_lines_read_as_one_document_says_so() -> None:
    """Several documents, one per line, where one was expected: a hint at .jsonl and --jsonl."""
    text = json.dumps(example("bautzen")) + "\n" + json.dumps(example("helmstedt")) + "\n"
    (problem,) = willkommen.reads(text).problems
    assert problem.code == "invalid_json"
    assert "--jsonl" in problem.message
    assert "--jsonl" in problem.message_de
    # Two values on one line, or trailing junk, are no JSON Lines: no hint.
    assert "--jsonl" not in willkommen.reads("{} {}").problems[0].message
    assert "--jsonl" not in willkommen.reads('{}\n"unterminated').problems[0].message


def test_a_validation_error_names_the_whole_document() -> None:
    """The exception's text says (document) for a problem of the whole document, as the report does."""
    with pytest.raises(willkommen.ValidationError, match=r"\(document\): type"):
        willkommen.load([])


class Colour(willkommen.LabelledEnum):
    """A user's code list whose labels share a word."""

    RED = "red", "Rot / Grundfarbe"
    BLUE = "blue", "Blau / Grundfarbe"


def test_a_term_two_members_share_suggests_neither() -> None:
    """'Grundfarbe' could be either: no guess; each label of its own still finds its member."""
    assert member_for(Colour, "Grundfarbe") is None
    assert member_for(Colour, "Grundfarb") is None  # a typo of the shared word
    assert member_for(Colour, "bleu") is Colour.BLUE  # a typo of one member's word
    assert member_for(Colour, "rot") is Colour.RED
