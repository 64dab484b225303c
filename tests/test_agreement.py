"""The agreement property: every part of willkommen that reads a field's type says the same about a value.

For a user's class that uses every leaf and node the type plan supports, and
for the built-in model, each generated value (``willkommen.testing.objects``)
is judged by five parts that derive their answer from the plan on their own:

* construction (the attrs class with the plan's checks) builds it, and
  building it again from its own fields gives an equal object;
* ``check`` finds no error in the object, nor in its document;
* ``dump`` → ``load`` and ``dumps`` → ``loads`` give an equal object back;
* the JSON Schema, judged by the ``jsonschema`` library with a format
  checker, accepts the document;
* the fast reader and the full (cattrs) reader read it to equal objects.

The reverse, for one breaking change of such a document (``mutations``):
the reader reports the change's code at its path, with and without the fast
path alike, and the schema refuses the document too.

These tests take the place of pinning the fast reader's hooks by the digests
of their source: a leaf that one part reads differently shows here.
"""

import datetime as dt
import enum
import json
from decimal import Decimal
from typing import Any, Literal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import willkommen
import willkommen.nrw
from willkommen import _accelerator as accelerator
from willkommen import _fast
from willkommen._json import parse, surrogate_free_text
from willkommen._schema import json_schema
from willkommen.testing import Mutation, mutations, objects

_SETTINGS = settings(
    max_examples=max(20, settings().max_examples * 60 // 100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- a user's class with every leaf and node the plan supports -------------------------------------


class Mood(enum.StrEnum):
    """A code list of strings."""

    CALM = "calm"
    KEEN = "keen"


class Level(enum.IntEnum):
    """A code list of integers: its JSON type is integer."""

    LOW = 1
    HIGH = 2


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Part:
    """A nested class, with a tagged subclass below."""

    name: str
    size: int | None = None


@willkommen.tagged("test-agreement-special-part")
@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class SpecialPart(Part):
    """A tagged subclass: wherever a Part stands, it may, naming its tag."""

    grade: Level


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Tree:
    """A class that contains itself."""

    label: str
    children: "tuple[Tree, ...]" = ()
    parent_note: "Tree | None" = None


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Everything:
    """Every supported leaf and node, required and optional."""

    text: str
    number: int
    ratio: float
    flag: bool
    amount: Decimal
    day: dt.date
    moment: dt.datetime
    mood: Mood
    level: Level
    unit: Literal["cm", "m"]
    scale: Literal[1, 10, 100]
    pair: tuple[int, str]
    part: Part
    note: str | None = None
    when: dt.datetime | None = None
    words: tuple[str, ...] = ()
    labels: frozenset[str] = frozenset()
    levels: frozenset[Level] = frozenset()
    counts: dict[str, int] = attrs.field(factory=dict)
    parts: tuple[Part, ...] = ()
    parts_by_name: dict[str, Part] = attrs.field(factory=dict)
    tree: Tree | None = None


# The classes judged: the user's, and the built-in model's roots and parts.
CLASSES: list[type] = [
    Everything,
    Tree,
    willkommen.Alliance,
    willkommen.nrw.NrwAlliance,
    willkommen.Partner,
    willkommen.Offering,
    willkommen.ProcessCoaching,
]


_VALIDATORS: dict[type, Any] = {}


def _validator(cls: type) -> Any:
    """The validator of *cls*'s schema, built once (after every class above is registered)."""
    if cls not in _VALIDATORS:
        _VALIDATORS[cls] = Draft202012Validator(json_schema(cls), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return _VALIDATORS[cls]


def _errors(problems: list[willkommen.Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in problems if p.is_error]


def _cases() -> st.SearchStrategy[tuple[type, Any]]:
    return st.sampled_from(CLASSES).flatmap(lambda cls: st.tuples(st.just(cls), objects(cls)))


# --- valid values: every part accepts them ---------------------------------------------------------


@_SETTINGS
@given(_cases())
def test_every_part_accepts_a_generated_value(case: tuple[type, Any]) -> None:
    """Construction, check, the round trips, the schema and both readers agree that the value is valid."""
    cls, obj = case
    assert type(obj) is cls
    rebuilt = cls(**{field.alias: getattr(obj, field.name) for field in attrs.fields(cls)})
    assert rebuilt == obj
    assert _errors(willkommen.check(obj, cls)) == []
    document = willkommen.dump(obj)
    assert _errors(willkommen.check(document, cls)) == []
    assert willkommen.load(document, cls) == obj
    assert willkommen.loads(willkommen.dumps(obj), cls) == obj
    assert [error.message for error in _validator(cls).iter_errors(document)] == []
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(_fast, "ENABLED", False)
        assert willkommen.load(document, cls) == obj


def _tagged(value: object) -> bool:
    if isinstance(value, dict):
        return "$type" in value or any(_tagged(item) for item in value.values())
    return isinstance(value, list) and any(_tagged(item) for item in value)


@_SETTINGS
@given(objects(Everything))
def test_the_fast_reader_takes_every_node(obj: Everything) -> None:
    """The fast path reads every kind of node itself, to an equal object; only a tagged object it hands over."""
    body = {key: value for key, value in willkommen.dump(obj).items() if key != "schema_version"}
    fast = _fast.read_fast(body, Everything)
    if fast is None:
        assert _tagged(body)
    else:
        assert fast == obj
    # And as loads reads it: parsed from the text, by the reader for JSON text where the text allows it.
    text = willkommen.dumps(obj)
    parsed, problems = parse(text)
    assert problems == []
    body = {key: value for key, value in parsed.items() if key != "schema_version"}
    from_text = _fast.read_fast(body, Everything, from_text=surrogate_free_text(text))
    if from_text is None:
        assert _tagged(body)
    else:
        assert from_text == obj


# --- one breaking change: every part refuses it -----------------------------------------------------


@st.composite
def _broken(draw: st.DrawFn) -> tuple[type, dict[str, Any], Mutation]:
    cls, obj = draw(_cases())
    document = willkommen.dump(obj)
    return cls, document, draw(mutations(document, cls))


@_SETTINGS
@given(_broken())
def test_every_part_refuses_a_broken_value(case: tuple[type, dict[str, Any], Mutation]) -> None:
    """The reader reports the change where it is, with or without the fast path; the schema refuses it too."""
    cls, document, mutation = case
    broken = mutation.applied(document)
    errors = _errors(willkommen.check(broken, cls))
    assert (mutation.code, mutation.path) in errors, (mutation, errors)
    text = json.dumps(broken, ensure_ascii=False)
    with pytest.raises(willkommen.ValidationError) as info:
        willkommen.loads(text, cls)
    assert (mutation.code, mutation.path) in _errors(list(info.value.problems))
    # The pure install reads the text to the same problems, with the fast path and without.
    accelerator.set_active(active=False)
    try:
        pure: willkommen.Reading[Any] = willkommen.reads(text, cls)
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(_fast, "ENABLED", False)
            assert _errors(willkommen.check(broken, cls)) == errors
            detailed: willkommen.Reading[Any] = willkommen.reads(text, cls)
    finally:
        accelerator.set_active(active=None)
    assert [(p.code, p.path, p.message) for p in pure.problems] == [
        (p.code, p.path, p.message) for p in detailed.problems
    ]
    assert not _validator(cls).is_valid(broken), mutation
