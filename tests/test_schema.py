"""The JSON Schema is generated from the model and agrees with the reader."""

import datetime as dt
import enum
import functools
from collections.abc import Callable
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given
from jsonschema import Draft202012Validator

import willkommen
import willkommen.nrw
from tests.helpers import set_at
from willkommen import Alliance, Partner
from willkommen._example import example_document
from willkommen._schema import DIALECT, json_schema
from willkommen.nrw import NrwAlliance
from willkommen.testing import alliances

from .conftest import example

# --- a user's extension, as a user writes it ------------------------------------------------------


@willkommen.tagged("test-schema-partner")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class ListedPartner(Partner):
    """A partner listed in the county's register of providers."""

    listing_no: str


def _validator(schema: dict[str, Any]) -> Any:
    # Dates are checked as dates ("format" alone is only an annotation by default).
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def alliance_validator() -> Any:
    """The validator of the default schema, built once every test module has registered its tags."""
    return _validator(json_schema())


def accepts(document: object) -> bool:
    """Whether the default schema accepts *document*."""
    return bool(alliance_validator().is_valid(document))


def reader_accepts(document: object) -> bool:
    """Whether the reader reads *document* without a structural problem (rules aside)."""
    structural = {rule.code for rule in willkommen.rules.catalogue() if rule.check is None}
    return not any(p.code in structural for p in willkommen.check(document))


# --- the schema itself ----------------------------------------------------------------------------


def test_the_schema_passes_the_meta_schema() -> None:
    """Draft 2020-12, and valid against its meta-schema, for every root the command offers."""
    for root in (Alliance, NrwAlliance):
        schema = json_schema(root)
        assert schema["$schema"] == DIALECT
        Draft202012Validator.check_schema(schema)


def test_every_object_is_closed_and_described() -> None:
    """Each class has a $defs entry with additionalProperties false and its docstring's first line."""
    defs = json_schema()["$defs"]
    assert defs["Partner"]["description"] == "A member of an alliance (*Bündnispartner*)."
    objects = [d for d in defs.values() if d.get("type") == "object"]
    assert objects
    assert all(d["additionalProperties"] is False for d in objects)


def test_required_keys_are_the_fields_without_a_default() -> None:
    """Required: id, name, kind; optional: organisation, contacts."""
    partner = json_schema()["$defs"]["Partner"]
    assert partner["required"] == ["id", "name", "kind"]
    assert {"id", "name", "kind", "organisation", "contacts"} <= partner["properties"].keys()


def test_code_lists_are_enumerations_with_german_labels() -> None:
    """The values in order; the German labels in the description."""
    kind = json_schema()["$defs"]["LocalAuthorityKind"]
    assert [k.value for k in willkommen.LocalAuthorityKind] == kind["enum"]
    assert "district_free_city = kreisfreie Stadt" in kind["description"]


def test_the_root_requires_schema_version_2() -> None:
    """schema_version is required at the top only, as the constant 2."""
    schema = json_schema(NrwAlliance)
    assert schema["required"][0] == "schema_version"
    assert schema["properties"]["schema_version"]["const"] == 2
    assert "schema_version" not in json_schema()["$defs"]["Partner"]["properties"]


# --- it accepts what the library writes -----------------------------------------------------------


@given(alliances())
def test_the_schema_accepts_everything_dump_writes(alliance: Alliance) -> None:
    """Every generated alliance, dumped, is valid against the schema."""
    document = willkommen.dump(alliance)
    assert [e.message for e in alliance_validator().iter_errors(document)] == []


@pytest.mark.parametrize("name", ["bautzen", "helmstedt", "leverkusen"])
def test_the_schema_accepts_the_shipped_examples(name: str) -> None:
    """The seed alliances, including the tagged NRW one."""
    assert accepts(example(name))


def test_the_schema_accepts_the_command_lines_example() -> None:
    """What `willkommen example` prints."""
    assert accepts(example_document())


def test_a_tagged_root_class_needs_no_tag() -> None:
    """The schema of an NrwAlliance document, like load(data, NrwAlliance), takes it with or without $type."""
    validator = _validator(json_schema(NrwAlliance))
    document = example("leverkusen")
    assert validator.is_valid(document)
    del document["$type"]
    assert validator.is_valid(document)
    assert isinstance(willkommen.load(document, NrwAlliance), NrwAlliance)


# --- it refuses what the reader refuses -----------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return mutate


REFUSED: dict[str, Mutation] = {
    # unknown keys, at the top and nested
    "unknown key at the top": set_at("/budget", 100),
    "unknown key in a partner": set_at("/partners/0/email", "x@example.org"),
    "unknown key in a coach": set_at("/coaching/coach/phone", "0"),
    # wrong types
    "id is a number": set_at("/id", 7),
    "hours budget is a string": set_at("/coaching/hours_budget", "100"),
    "themes is a string": set_at("/goals/0/themes", "participation"),
    "a partner is a list": set_at("/partners/0", []),
    "a name is null": set_at("/partners/0/name", None),
    # unknown values of code lists
    "unknown partner kind": set_at("/partners/0/kind", "mayor"),
    "unknown state": set_at("/local_authorities/0/state", "SN"),
    "unknown theme": set_at("/goals/0/themes/0", "sports"),
    # dates are calendar dates YYYY-MM-DD
    "German date": set_at("/agreement/signed_on", "26.09.2017"),
    "date without zeros": set_at("/agreement/signed_on", "2017-9-26"),
    "no such day": set_at("/agreement/signed_on", "2017-02-30"),
    # required keys and the version
    "no schema_version": _delete("/schema_version"),
    "schema_version 3": set_at("/schema_version", 3),
    "schema_version as text": set_at("/schema_version", "1"),
    "no goals": _delete("/goals"),
    "no partner kind": _delete("/partners/0/kind"),
    # an offering has a date, or a start and an end
    "offering with date and start": set_at(
        "/offerings", [{"type": "training", "date": "2017-01-01", "start": "2017-01-01"}]
    ),
    "offering without dates": set_at("/offerings", [{"type": "training"}]),
    "offering with start only": set_at("/offerings", [{"type": "training", "start": "2017-01-01", "end": None}]),
    # tags name declared classes only
    "unknown tag on a partner": set_at("/partners/0/$type", "test-no-such-partner"),
    "a class name as tag": set_at("/$type", "Alliance"),
    "the NRW tag without its fields": set_at("/$type", "nrw-alliance"),
}


@pytest.mark.parametrize("mutation", REFUSED.values(), ids=REFUSED.keys())
def test_the_schema_refuses_what_the_reader_refuses(mutation: Mutation) -> None:
    """Unknown keys, wrong types, unknown values, bad dates, missing keys: both say no."""
    document = example("bautzen")
    mutation(document)
    assert not accepts(document)
    assert not reader_accepts(document)


ACCEPTED: dict[str, Mutation] = {
    "an optional value as null": set_at("/name", None),
    "an optional object as null": set_at("/agreement", None),
    "an offering on a date, start and end null": set_at(
        "/offerings", [{"type": "training", "date": "2017-01-01", "start": None, "end": None}]
    ),
    "an offering over a span": set_at("/offerings", [{"type": "training", "start": "2017-01-01", "end": "2017-01-02"}]),
    "a list left out": _delete("/measures"),
}


@pytest.mark.parametrize("mutation", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_the_schema_accepts_what_the_reader_accepts(mutation: Mutation) -> None:
    """Null for optional values, absent lists, either form of an offering's dates."""
    document = example("bautzen")
    mutation(document)
    assert accepts(document)
    assert reader_accepts(document)


# --- subclasses stand where their base is expected, by their tag ----------------------------------


@pytest.fixture
def listed() -> dict[str, Any]:
    """A partner of the user's subclass, with its tag and its extra field."""
    return {
        "$type": "test-schema-partner",
        "id": "traeger",
        "name": "Freier Träger",
        "kind": "welfare_provider",
        "listing_no": "A-17",
    }


def test_a_tagged_subclass_is_accepted_in_partners(listed: dict[str, Any]) -> None:
    """The user's partner, tagged, is a partner; the reader agrees."""
    document = example("bautzen")
    document["partners"].append(listed)
    assert accepts(document)
    assert isinstance(willkommen.load(document).partners[-1], ListedPartner)


@pytest.mark.parametrize(
    "change",
    [
        {"$type": "test-schema-partner-typo"},  # an unknown tag
        {"$type": None},  # no tag at all, so the extra field is unknown
        {"listing_no": None},  # the subclass's required field missing
    ],
)
def test_a_subclass_needs_its_tag_and_its_fields(listed: dict[str, Any], change: dict[str, Any]) -> None:
    """Without the right tag or without its own field, the user's partner is refused by both."""
    for key, value in change.items():
        if value is None:
            del listed[key]
        else:
            listed[key] = value
    document = example("bautzen")
    document["partners"].append(listed)
    assert not accepts(document)
    assert not reader_accepts(document)


# --- what the generator does with annotations the model does not use ------------------------------


class Colour(enum.Enum):
    """A plain enumeration: its members have no German label."""

    RED = "red"


class Priority(enum.IntEnum):
    """An enumeration of integers."""

    LOW = 1
    HIGH = 2


@attrs.frozen(kw_only=True)
class Node:  # noqa: D101 - without a docstring, the description falls back to the class name
    name: str
    children: "tuple[Node, ...]" = ()
    colours: frozenset[Colour] = frozenset()
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = attrs.field(factory=dict)


def test_a_class_that_contains_itself_refers_to_itself() -> None:
    """Recursion ends in a $ref; sets are arrays of unique items; plain enums have no labels."""
    schema = json_schema(Node)
    Draft202012Validator.check_schema(schema)
    assert "Node" in schema["description"]
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert schema["properties"]["colours"]["uniqueItems"] is True
    assert schema["$defs"]["Colour"]["description"] == "A plain enumeration: its members have no German label."
    assert _validator(schema).is_valid(
        {"schema_version": 2, "name": "a", "children": [{"name": "b"}], "colours": ["red"], "tags": ["x"]}
    )
    assert not _validator(schema).is_valid({"schema_version": 2, "name": "a", "colours": ["red", "red"]})


def test_a_mapping_is_an_object_of_its_values() -> None:
    """dict[str, int]: any keys, every value an integer."""
    extra = json_schema(Node)["properties"]["extra"]
    assert extra == {"type": "object", "additionalProperties": {"type": "integer"}}
    validator = _validator(json_schema(Node))
    assert validator.is_valid({"schema_version": 2, "name": "a", "extra": {"x": 1, "": 2}})
    assert not validator.is_valid({"schema_version": 2, "name": "a", "extra": {"x": "1"}})


@attrs.frozen(kw_only=True)
class Reading:
    """A measurement, with every leaf the plan knows that the model does not use."""

    at: dt.datetime
    priority: Priority
    unit: Literal["cm", "m"]
    scale: Literal[1, 10, 100]
    position: tuple[int, str]
    flags: dict[str, bool] = attrs.field(factory=dict)
    weight: float | None = None


def _reading_validator() -> Any:
    return _validator(json_schema(Reading))


READING = {
    "schema_version": 2,
    "at": "2017-09-26T10:00:00+02:00",
    "priority": 2,
    "unit": "cm",
    "scale": 10,
    "position": [3, "left"],
}


def test_an_int_enum_is_an_integer_code_list() -> None:
    """The JSON type follows the values: an IntEnum's codes are integers, and only its own."""
    priority = json_schema(Reading)["$defs"]["Priority"]
    assert priority["type"] == "integer"
    assert priority["enum"] == [1, 2]
    validator = _reading_validator()
    assert validator.is_valid(READING)
    for wrong in ("2", 3, True):
        assert not validator.is_valid(READING | {"priority": wrong}), wrong


def test_a_literal_is_its_exact_values() -> None:
    """Literal["cm", "m"] takes those strings, Literal[1, 10, 100] those integers; true is not 1."""
    properties = json_schema(Reading)["properties"]
    assert properties["unit"] == {"type": "string", "enum": ["cm", "m"]}
    assert properties["scale"] == {"type": "integer", "enum": [1, 10, 100]}
    validator = _reading_validator()
    assert not validator.is_valid(READING | {"unit": "km"})
    assert not validator.is_valid(READING | {"scale": "10"})
    assert not validator.is_valid(READING | {"scale": True})


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2017-09-26T10:00:00+02:00", True),  # an offset
        ("2017-09-26T08:00:00Z", True),  # UTC
        ("2017-09-26T08:00:00.250Z", True),  # a fraction of a second
        ("2017-09-26T10:00:00", False),  # naive: no offset, so no point in time
        ("2017-09-26", False),  # a date only
        ("2017-09-26 10:00:00+02:00", False),  # a blank for the T
        ("2017-09-26T25:00:00Z", False),  # no such hour
        ("2017-02-30T10:00:00Z", False),  # no such day
    ],
)
def test_a_date_and_time_needs_an_offset(text: str, valid: bool) -> None:
    """An aware datetime is RFC 3339 text with Z or an offset; a naive one is refused, as the reader refuses it."""
    assert _reading_validator().is_valid(READING | {"at": text}) is valid
    assert json_schema(Reading)["properties"]["at"]["format"] == "date-time"


def test_a_fixed_tuple_is_an_array_of_exactly_its_items() -> None:
    """tuple[int, str]: an integer, then a string, nothing more or less."""
    position = json_schema(Reading)["properties"]["position"]
    assert position["prefixItems"] == [{"type": "integer"}, {"type": "string"}]
    assert (position["minItems"], position["maxItems"]) == (2, 2)
    validator = _reading_validator()
    for wrong in ([3], [3, "left", "x"], ["left", 3], ["a", "b", "c"]):
        assert not validator.is_valid(READING | {"position": wrong}), wrong


def test_an_optional_value_may_be_null() -> None:
    """An optional float (float | None) is a number or null, and nothing else."""
    validator = _reading_validator()
    assert validator.is_valid(READING | {"weight": None})
    assert validator.is_valid(READING | {"weight": 1.5})
    assert not validator.is_valid(READING | {"weight": "1.5"})


@attrs.frozen(kw_only=True)
class Untyped:
    """A class with a field the plan does not support."""

    anything: list[str]


def test_an_annotation_outside_the_plan_is_refused_by_name() -> None:
    """No schema that accepts anything: the class is refused, naming the field."""
    with pytest.raises(TypeError, match="anything"):
        json_schema(Untyped)


def _other_node() -> type:
    """Another class called Node, as a second module would define it."""

    @attrs.frozen(kw_only=True)
    class Node:
        """Another class called Node."""

        label: str

    return Node


Pair = attrs.make_class(
    "Pair", {"left": attrs.field(type=Node), "right": attrs.field(type=_other_node())}, kw_only=True, frozen=True
)


def test_two_classes_of_one_name_get_two_definitions() -> None:
    """The second class of a name is named by its module and qualified name."""
    schema = json_schema(Pair)
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["left"] == {"$ref": "#/$defs/Node"}
    other = schema["properties"]["right"]["$ref"]
    assert other.startswith("#/$defs/tests.test_schema.")
    assert other.endswith(".Node")
    assert other.removeprefix("#/$defs/") in schema["$defs"]


@attrs.frozen(kw_only=True)
class Flat:
    """A class of scalars only."""

    name: str
    size: float = 1.0


def test_a_schema_without_definitions_has_no_defs() -> None:
    """Nothing to refer to, so no $defs."""
    schema = json_schema(Flat)
    assert "$defs" not in schema
    assert _validator(schema).is_valid({"schema_version": 2, "name": "x", "size": 2.5})
