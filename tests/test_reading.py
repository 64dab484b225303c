"""Reading data strictly: every structural problem has a code and a path, nothing is coerced."""

import datetime as dt
import enum
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest

import willkommen
from tests.helpers import set_at
from willkommen import ValidationError, WillkommenError


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Flags:
    """A small model class with the scalar types the alliance model lacks."""

    active: bool
    ratio: float
    count: int = 0


def _codes(data: object) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in willkommen.check(data)]


# path in the Bautzen document, a wrong value, the code it gets. One row a case.
WRONG_VALUES: list[tuple[str, object, str]] = [
    # A number is not a string, however it looks (cattrs would call str()).
    ("/local_authorities/0/ags", 14625, "type"),
    ("/partners/0/name", None, "type"),
    ("/partners/0/name", ["Landrat"], "type"),
    # True is not a number (cattrs would read 1).
    ("/coaching/hours_budget", True, "type"),
    ("/coaching/hours_budget", "100", "type"),
    # A string is not a list (cattrs would split it into letters).
    ("/goals/0/themes", "school_to_work", "type"),
    ("/partners", {"0": {}}, "type"),
    ("/partners/0", "landrat", "type"),
    ("/partners/0/kind", "amt", "invalid_value"),
    ("/partners/0/kind", "Youth_Office", "invalid_value"),
    ("/partners/0/kind", 1, "type"),
    ("/origin", "neu", "invalid_value"),
    ("/local_authorities/0/state", "SN", "invalid_value"),
    # Calendar dates YYYY-MM-DD only: fromisoformat would take the others.
    ("/agreement/signed_on", "20170926", "invalid_date"),
    ("/agreement/signed_on", "2017-W39-2", "invalid_date"),
    ("/agreement/signed_on", "2017-02-30", "invalid_date"),
    ("/agreement/signed_on", "26.09.2017", "invalid_date"),
    ("/agreement/signed_on", "2017-09-26T10:00:00", "invalid_date"),
    ("/agreement/signed_on", "٢٠١٧-٠٩-٢٦", "invalid_date"),
    ("/agreement/signed_on", 20170926, "type"),
    ("/coaching", [], "type"),
    ("/agreement/signatories/0", {"name": "Harig", "rank": "Landrat"}, "unknown_key"),
]


@pytest.mark.parametrize(("path", "value", "code"), WRONG_VALUES, ids=[f"{p}={v!r}" for p, v, _ in WRONG_VALUES])
def test_a_wrong_value_is_reported_at_its_path(bautzen: dict[str, Any], path: str, value: object, code: str) -> None:
    """No coercion: the wrong value is a problem with its code, never read as something else."""
    set_at(path, value)(bautzen)
    expected_path = path + "/rank" if code == "unknown_key" else path
    assert (code, expected_path) in _codes(bautzen)


def test_an_int_field_takes_no_float_and_no_bool() -> None:
    """7.9 and 7.0 are not ints, True is not an int; a bool field takes no "false"."""
    document = {"schema_version": 2, "active": "false", "ratio": True, "count": 7.9}
    assert _codes_of(document) == [("type", "/active"), ("type", "/ratio"), ("type", "/count")]
    assert _codes_of({"schema_version": 2, "active": False, "ratio": 1, "count": 7.0}) == [("type", "/count")]
    flags = willkommen.load({"schema_version": 2, "active": True, "ratio": 0.5, "count": 3}, Flags)
    assert Flags(active=True, ratio=0.5, count=3) == flags


def _codes_of(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in willkommen.check(document, Flags)]


def test_unknown_keys_are_problems_everywhere(bautzen: dict[str, Any]) -> None:
    """An unknown key is never ignored, at the top or deep inside; the key is escaped in the path."""
    bautzen["Partner"] = []
    bautzen["coaching"]["coach"]["e/mail~"] = "x"
    assert set(_codes(bautzen)) == {("unknown_key", "/Partner"), ("unknown_key", "/coaching/coach/e~1mail~0")}


def test_missing_keys_are_problems(bautzen: dict[str, Any]) -> None:
    """Required keys, and only those, must be there."""
    del bautzen["partners"]
    del bautzen["goals"][0]["title"]
    del bautzen["coaching"]["hours_budget"]  # has a default
    del bautzen["measures"]  # may be omitted
    assert _codes(bautzen) == [("missing", "/partners"), ("missing", "/goals/0/title")]


def test_a_required_list_may_not_be_omitted_but_may_be_empty(bautzen: dict[str, Any]) -> None:
    """Partners and local_authorities are required keys; how many they need is the rules' business."""
    bautzen["local_authorities"] = []
    assert _codes(bautzen) == [("alliance.no_local_authority", "/local_authorities")]


def test_null_means_absent_for_optional_keys(bautzen: dict[str, Any]) -> None:
    """An optional value may be null; it reads as absent and is written as absent."""
    bautzen["name"] = None
    alliance = willkommen.load(bautzen)
    assert alliance.name is None
    assert "name" not in willkommen.dump(alliance)


@pytest.mark.parametrize(
    ("offering", "code", "path"),
    [
        ({"type": "training"}, "missing", "/offerings/0/date"),
        ({"type": "training", "start": "2017-01-01"}, "missing", "/offerings/0/end"),
        ({"type": "training", "end": "2017-01-01"}, "missing", "/offerings/0/start"),
        ({"type": "training", "date": "2017-01-01", "start": "2017-01-01"}, "invalid_value", "/offerings/0/start"),
        ({"type": "training", "date": "2017-01-01", "end": "2017-01-01"}, "invalid_value", "/offerings/0/end"),
    ],
)
def test_an_offering_has_a_date_or_a_start_and_an_end(
    bautzen: dict[str, Any], offering: dict[str, Any], code: str, path: str
) -> None:
    """The shape of an offering's dates is checked while reading, with the field's path."""
    bautzen["offerings"] = [offering]
    assert [(code, path)] == _codes(bautzen)


def test_offering_shape_and_field_problems_come_together(bautzen: dict[str, Any]) -> None:
    """A bad type beside a missing date: both are reported."""
    bautzen["offerings"] = [{"type": "party", "participants": "10"}]
    assert {
        ("invalid_value", "/offerings/0/type"),
        ("type", "/offerings/0/participants"),
        ("missing", "/offerings/0/date"),
    } == set(_codes(bautzen))


@pytest.mark.parametrize(
    ("version", "code"),
    [
        (True, "type"),
        ("1", "type"),
        (Decimal("1.0"), "type"),
        (None, "type"),
        (3, "invalid_value"),
        (-1, "invalid_value"),
        (0, "invalid_value"),
    ],
)
def test_an_unknown_schema_version_is_never_guessed(bautzen: dict[str, Any], version: object, code: str) -> None:
    """A version the library does not read is the only problem reported: the rest cannot be read."""
    bautzen["schema_version"] = version
    bautzen["partners"] = "nonsense"
    assert [(code, "/schema_version")] == _codes(bautzen)


def test_a_missing_schema_version_is_reported(bautzen: dict[str, Any]) -> None:
    """Every document carries its version."""
    del bautzen["schema_version"]
    assert _codes(bautzen) == [("missing", "/schema_version")]


@pytest.mark.parametrize("junk", [None, "", [], 0, 1.5, True, "alliance", object(), {1, 2}, b"{}"])
def test_a_document_that_is_not_an_object(junk: object) -> None:
    """Anything but a mapping is one type problem at the root, never an exception."""
    assert _codes(junk) == [("type", "")]


def test_non_string_keys_are_unknown_keys(bautzen: dict[str, Any]) -> None:
    """A Python caller's dict may hold keys JSON cannot; they are unknown, not a crash."""
    document: dict[object, object] = dict(bautzen.items())
    document[1] = "x"
    document[None] = "y"
    assert {("unknown_key", "/1"), ("unknown_key", "/None")} == set(_codes(document))


def test_hours_keep_their_digits(bautzen: dict[str, Any]) -> None:
    """Hours read from floats, ints or Decimals are exact decimals."""
    bautzen["coaching"]["sessions"] = [
        {"date": "2017-10-10", "hours": 33.3},
        {"date": "2017-10-11", "hours": Decimal("33.3")},
        {"date": "2017-10-12", "hours": 33},
    ]
    alliance = willkommen.load(bautzen)
    assert alliance.coaching is not None
    assert [Decimal("33.3"), Decimal("33.3"), Decimal(33)] == [s.hours for s in alliance.coaching.sessions]


def test_hours_a_json_number_cannot_carry_are_refused(bautzen: dict[str, Any]) -> None:
    """More digits than a float holds would come back changed after a dump: refused."""
    bautzen["coaching"]["hours_budget"] = Decimal("99.12345678901234567")
    assert _codes(bautzen) == [("invalid_value", "/coaching/hours_budget")]


def test_load_raises_with_every_problem(bautzen: dict[str, Any]) -> None:
    """load() raises one ValidationError holding all problems; it is a WillkommenError and a ValueError."""
    bautzen["lead"] = "nobody"
    bautzen["origin"] = "neu"
    with pytest.raises(ValidationError) as caught:
        willkommen.load(bautzen)
    assert isinstance(caught.value, WillkommenError)
    assert isinstance(caught.value, ValueError)
    assert {("alliance.unknown_lead", "/lead"), ("invalid_value", "/origin")} == {
        (p.code, p.path) for p in caught.value.problems
    }
    assert "/lead: alliance.unknown_lead" in str(caught.value)


def test_validate_raises_only_for_errors(bautzen: dict[str, Any]) -> None:
    """validate() is check() that raises; warnings pass."""
    willkommen.validate(bautzen)
    bautzen["offerings"] = [{"type": "analysis_workshop", "date": "2017-01-01", "participants": 3}]
    willkommen.validate(bautzen)
    bautzen["lead"] = "nobody"
    with pytest.raises(ValidationError):
        willkommen.validate(bautzen)


def test_a_long_error_list_is_shortened_in_the_message(bautzen: dict[str, Any]) -> None:
    """The exception's text shows ten errors and counts the rest; .problems has all."""
    for index in range(12):
        bautzen[f"extra{index}"] = index
    with pytest.raises(ValidationError) as caught:
        willkommen.load(bautzen)
    assert len(caught.value.problems) == 12
    assert "and 2 more" in str(caught.value)


# --- JSON text ----------------------------------------------------------------


def _text_codes(text: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        willkommen.loads(text)
    return [(p.code, p.path) for p in caught.value.problems]


def test_loads_reads_text_and_bytes(bautzen: dict[str, Any]) -> None:
    """The same document from str, UTF-8 bytes and bytes with a byte-order mark."""
    text = json.dumps(bautzen, ensure_ascii=False)
    expected = willkommen.load(bautzen)
    assert expected == willkommen.loads(text)
    assert expected == willkommen.loads(text.encode())
    assert expected == willkommen.loads(b"\xef\xbb\xbf" + text.encode())
    assert expected == willkommen.loads("\ufeff" + text)


def test_repeated_keys_are_reported_where_they_are(bautzen: dict[str, Any]) -> None:
    """Json keeps the last of repeated keys silently; loads reports each with its path."""
    text = json.dumps(bautzen).replace('"kind": "youth_office"', '"kind": "youth_office", "kind": "school"')
    text = text.replace('"origin": "new"', '"origin": "new", "origin": "new", "origin": "new"')
    problems = _text_codes(text)
    assert ("duplicate_key", "/partners/3/kind") in problems
    assert ("duplicate_key", "/origin") in problems


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(bautzen: dict[str, Any], constant: str) -> None:
    """They are not JSON; where they stand, a type problem says so."""
    text = json.dumps(bautzen).replace('"hours_budget": 100', f'"hours_budget": {constant}')
    assert _text_codes(text) == [("type", "/coaching/hours_budget")]


@pytest.mark.parametrize(
    "text",
    [b"", b"   ", b"{", b"\xff\xfe{}", "{'id': 1}", "[1,]", "{} {}", b"\xc3\x28"],
)
def test_text_that_is_not_json(text: str | bytes) -> None:
    """Unreadable text is one invalid_json problem at the root."""
    assert _text_codes(text) == [("invalid_json", "")]


def test_deep_nesting_and_huge_integers_are_answered() -> None:
    """The json module's limits (recursion, int digits) become problems, not exceptions."""
    assert _text_codes("[" * 100_000 + "]" * 100_000) == [("invalid_json", "")]
    assert _text_codes('{"schema_version": ' + "9" * 10_000 + "}") == [("invalid_json", "")]


def test_numbers_with_fractions_read_as_decimals(bautzen: dict[str, Any]) -> None:
    """0.1 in the file is exactly Decimal("0.1") in the object."""
    bautzen["coaching"]["sessions"] = [{"date": "2017-10-10", "hours": 0.1}]
    alliance = willkommen.loads(json.dumps(bautzen))
    assert alliance.coaching is not None
    assert Decimal("0.1") == alliance.coaching.sessions[0].hours


class Level(enum.IntEnum):
    """An enumeration of integers, in a user's class."""

    LOW = 1
    HIGH = 2


class Colour(str, enum.Enum):  # noqa: UP042 - the case under test: not a StrEnum
    """A str-mixin enumeration that is not a StrEnum."""

    RED = "red"


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Reading:
    """A user's class with the field types the built-in model lacks."""

    level: Level | None = None
    colour: Colour | None = None
    when: dt.datetime | None = None


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"level": 2}, Reading(level=Level.HIGH)),
        ({"colour": "red"}, Reading(colour=Colour.RED)),
        ({"when": "2017-09-26T10:30:00+02:00"}, Reading(when=dt.datetime.fromisoformat("2017-09-26T10:30:00+02:00"))),
        ({"when": "2017-09-26T08:30:00Z"}, Reading(when=dt.datetime(2017, 9, 26, 8, 30, tzinfo=dt.UTC))),
    ],
)
def test_user_fields_of_other_types_read_exactly(document: dict[str, Any], expected: Reading) -> None:
    """IntEnum, str-mixin enums and datetimes read as themselves and round-trip."""
    loaded = willkommen.load({"schema_version": 2, **document}, Reading)
    assert expected == loaded
    assert loaded == willkommen.load(willkommen.dump(loaded), Reading)


@pytest.mark.parametrize(
    ("document", "code", "path"),
    [
        ({"level": 3}, "invalid_value", "/level"),
        ({"level": "1"}, "type", "/level"),
        ({"level": True}, "type", "/level"),
        ({"colour": "blue"}, "invalid_value", "/colour"),
        ({"colour": 1}, "type", "/colour"),
        # A date is not a datetime: it would silently lose its time of day.
        ({"when": "2017-09-26"}, "invalid_value", "/when"),
        ({"when": "2017-09-26T10:30:00"}, "invalid_value", "/when"),
        ({"when": 1506414600}, "type", "/when"),
    ],
)
def test_user_fields_of_other_types_are_strict(document: dict[str, Any], code: str, path: str) -> None:
    """No coercion for these types either: each wrong value has its code and path."""
    assert [(code, path)] == [(p.code, p.path) for p in willkommen.check({"schema_version": 2, **document}, Reading)]


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class RatioOnly:
    """A class with one float field."""

    ratio: float


@pytest.mark.parametrize(
    ("ratio", "code"),
    [
        (10**400, "invalid_value"),
        (Decimal("1E+400"), "invalid_value"),
        (-(10**400), "invalid_value"),
        (float("inf"), "type"),
        (Decimal("NaN"), "type"),
        (Decimal("sNaN"), "type"),
    ],
    ids=["int beyond float range", "Decimal beyond float range", "negative int", "inf", "NaN", "sNaN"],
)
def test_a_float_field_refuses_what_a_float_cannot_be(ratio: object, code: str) -> None:
    """Beyond float range is invalid_value (it is a number, just too large); NaN and infinity are no JSON number."""
    problems = willkommen.check({"schema_version": 2, "ratio": ratio}, RatioOnly)
    assert [(p.code, p.path) for p in problems] == [(code, "/ratio")]


# --- Reading: everything kept ---------------------------------------------------------------------


def test_a_saved_draft_reopens(bautzen: dict[str, Any]) -> None:
    """A draft with rule errors is saved by dumps and reopened by reads, object and problems both; loads raises."""
    alliance = willkommen.load(bautzen)
    draft = attrs.evolve(alliance, partners=alliance.partners[:1], lead=None)
    text = willkommen.dumps(draft)
    reading: willkommen.Reading[willkommen.Alliance] = willkommen.reads(text)
    assert reading.value == draft
    assert reading.value is not None
    assert reading.value.partners == draft.partners  # typed: the value is an Alliance (or None)
    assert [p.code for p in reading.problems] == ["alliance.too_few_partners"]
    assert not reading.ok
    with pytest.raises(willkommen.ValidationError):
        willkommen.loads(text)
    assert willkommen.read(willkommen.dump(draft)).value == draft


def test_warnings_come_with_the_object(rich: dict[str, Any]) -> None:
    """A valid document with a warning: ok, the object, and the warning, in one call."""
    rich["offerings"][0]["participants"] = 3
    reading = willkommen.read(rich)
    assert reading.ok
    assert isinstance(reading.value, willkommen.Alliance)
    assert [(p.code, p.is_error) for p in reading.problems] == [("offering.participants", False)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[]", "type"),  # not an object
        ('{"schema_version": 2}', "missing"),  # the shape cannot be read
        ("{", "invalid_json"),  # not JSON
        (b"\xff", "invalid_json"),  # not UTF-8
    ],
)
def test_no_object_when_the_shape_cannot_be_read(text: str | bytes, code: str) -> None:
    """The value is None only when the document's shape could not be read."""
    reading = willkommen.reads(text)
    assert (reading.value, reading.ok) == (None, False)
    assert code in {p.code for p in reading.problems}


def test_a_reading_is_frozen_and_its_problems_a_tuple(bautzen: dict[str, Any]) -> None:
    """A Reading cannot change under its reader."""
    reading = willkommen.read(bautzen)
    assert reading.problems == ()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        reading.value = None  # type: ignore[misc]


def test_rules_that_could_not_run_are_named(bautzen: dict[str, Any]) -> None:
    """A partner that fails to read: the rules that read the partners are listed as skipped, with the part."""
    bautzen["partners"][0]["kind"] = "mayor"
    reading = willkommen.read(bautzen)
    assert reading.unread == ("partners",)
    assert set(reading.skipped) == {"alliance.too_few_partners", "alliance.unknown_lead", "alliance.duplicate_partner"}
    # Fixed, and one partner short: a skipped rule now speaks.
    bautzen["partners"] = bautzen["partners"][1:2]
    bautzen["lead"] = None
    fixed = willkommen.read(bautzen)
    assert (fixed.skipped, [p.code for p in fixed.problems]) == ((), ["alliance.too_few_partners"])


def test_an_unknown_program_skips_the_rules_that_need_one(bautzen: dict[str, Any]) -> None:
    """The object is read, the program is not known: its rules are skipped and say so."""
    bautzen["program"] = "no-such-program"
    reading = willkommen.read(bautzen)
    assert reading.value is not None
    assert reading.unread == ("program",)
    assert "alliance.too_few_partners" in reading.skipped
