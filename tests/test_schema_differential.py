"""Differential test: the JSON Schema and the reader agree on which documents are well-formed.

Two independent judges look at the same documents:

* the ``jsonschema`` library, with the schema ``willkommen.json_schema()``
  generates (dates checked as dates);
* willkommen's own reader: a document is well-formed when ``check`` finds no
  structural problem (``type``, ``missing``, ``unknown_key``,
  ``invalid_value``, ``invalid_date``). The program's rules (too few partners,
  dates outside the runtime, ...) are not the schema's business.

The documents: generated valid alliances (plain and NRW), each with one
mutation from ``test_mutations`` (a dropped key, an unknown key, a wrong
type, an unknown enumeration word, a broken date, a broken reference, a
repeated id), or with one value replaced, or one key added, by an arbitrary
JSON value. The judges must agree on every one.

Where they cannot agree, the cause is a limit of JSON Schema or of JSON text
that no schema can state; each such case is written out in ``EXPLAINED``
below and asserted to disagree exactly as described, so a change on either
side shows up here rather than silently.
"""

import functools
import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import willkommen
import willkommen.nrw
from tests.helpers import set_at
from tests.test_mutations import MUTATIONS, give_it_a_place
from tests.test_robustness import JSON_VALUES, _put
from willkommen import Alliance, Problem
from willkommen._example import example_document
from willkommen.testing import Mutation, alliances, nrw_alliances

_SETTINGS = settings(
    max_examples=max(20, settings().max_examples * 60 // 100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The codes of the reader (rules without a check function); duplicate_key,
# invalid_json and unreadable_file cannot arise from parsed data.
STRUCTURAL = frozenset(rule.code for rule in willkommen.rules.catalogue() if rule.check is None)


@functools.cache
def _validator(programs: tuple[str, ...]) -> Any:
    # Built anew when a test has registered another program: the schema lists the registered ones.
    del programs
    schema = willkommen.json_schema()
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(document: object) -> list[str]:
    """What the jsonschema library finds wrong with *document*, by the schema of now."""
    validator = _validator(tuple(p.id for p in willkommen.programs.registered()))
    return [f"{error.json_path}: {error.message[:120]}" for error in validator.iter_errors(document)]


def structural_problems(document: object) -> list[Problem]:
    """What the reader finds wrong with *document*'s shape."""
    return [p for p in willkommen.check(document) if p.code in STRUCTURAL]


def assert_agree(document: object) -> None:
    """Both judges accept *document*, or both refuse it, but for a value no schema can judge (see EXPLAINED)."""
    by_schema = schema_errors(document)
    problems = structural_problems(document)
    by_reader = [(p.code, p.path) for p in problems]
    if by_reader and not by_schema and all(_beyond_any_schema(_value_at(document, p.path)) for p in problems):
        return
    assert bool(by_schema) == bool(by_reader), {"schema": by_schema, "reader": by_reader}


def _value_at(document: object, pointer: str) -> object:
    node: Any = document
    for token in pointer.split("/")[1:]:
        node = node[int(token)] if isinstance(node, list) else node[_unescape(token)]
    return node


def _beyond_any_schema(value: object) -> bool:
    """Whether *value* is of a kind EXPLAINED lists: JSON Schema accepts it, the reader cannot keep it.

    Random values land on these now and then (an hours value of 2**53 + 1, say):
    the disagreement is the documented one, not a new one.
    """
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, float):
        return value.is_integer()  # 12.0 where an integer is expected
    if isinstance(value, int) and not isinstance(value, bool):
        # More digits than JSON text carries, or more than a float holds exactly (hours).
        try:
            return abs(value) >= 10**4300 or float(value) != value
        except OverflowError:  # beyond float range
            return True
    return False


# --- generated documents and their mutations ------------------------------------------------------

_DOCUMENTS = st.one_of(alliances(), alliances(willkommen.nrw.GEMEINSAM_KLAPPTS), nrw_alliances()).map(willkommen.dump)


@_SETTINGS
@given(_DOCUMENTS)
def test_both_accept_every_generated_document(document: dict[str, Any]) -> None:
    """Plain, NRW-program and NRW-subclass alliances, as dump writes them."""
    assert schema_errors(document) == []
    assert structural_problems(document) == []


@pytest.mark.parametrize("mutate", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
@_SETTINGS
@given(document=_DOCUMENTS, data=st.data())
def test_they_agree_on_every_single_mutation(
    mutate: Callable[[dict[str, Any]], st.SearchStrategy[Mutation]], document: dict[str, Any], data: st.DataObject
) -> None:
    """The mutations of test_mutations: structural ones both refuse, broken references and ids both pass."""
    give_it_a_place(mutate, document)
    mutation = data.draw(mutate(document), label="mutation")
    broken = mutation.applied(document)
    assert_agree(broken)
    # A mutation that the reader reports with a structural code must be refused by the schema too.
    if mutation.code in STRUCTURAL:
        assert schema_errors(broken), mutation


def _places(node: object, pointer: str = "") -> list[str]:
    """The JSON Pointer of every value in *node*, *node* itself first."""
    found = [pointer]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _places(child, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _places(child, f"{pointer}/{index}")
    return found


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


@st.composite
def _with_any_value(draw: st.DrawFn) -> dict[str, Any]:
    """A generated document with one value below the top replaced, or one key added, by any JSON value."""
    document = draw(_DOCUMENTS)
    pointer = draw(st.sampled_from(_places(document)[1:]))
    value = draw(JSON_VALUES)
    if draw(st.booleans()):
        return dict(_put(document, pointer, value))
    # Or add a key to the object at or above the chosen place.
    tokens = pointer.split("/")[1:]
    node: Any = document
    for token in tokens:
        child = node[int(token)] if isinstance(node, list) else node[_unescape(token)]
        if not isinstance(child, dict | list):
            break
        node = child
    if isinstance(node, dict):
        node[draw(st.text(max_size=8))] = value
    return document


@_SETTINGS
@given(_with_any_value())
def test_they_agree_on_any_value_in_any_place(document: dict[str, Any]) -> None:
    """Any JSON value (unicode, big numbers, nesting, objects with any keys) where a value is, or as a new key."""
    assert_agree(document)


# --- programs: the schema names the registered ones ------------------------------------------------


def test_an_unregistered_program_is_refused_by_both() -> None:
    """The reader refuses a program it does not know; the schema lists the programs registered."""
    document = example_document()
    document["program"] = "no-such-program"
    assert schema_errors(document)
    assert [(p.code, p.path) for p in structural_problems(document)] == [("invalid_value", "/program")]


def test_a_program_registered_later_is_in_the_schema_generated_later() -> None:
    """Register a program, then export the schema: documents of the new program pass both judges."""
    program = willkommen.programs.register_program(
        attrs.evolve(willkommen.programs.WILLKOMMEN_BEI_FREUNDEN, id="test-differential-program", name="Differential")
    )
    document = example_document()
    document["program"] = program.id
    schema = willkommen.json_schema()
    for document_schema in schema.get("anyOf", [schema]):  # one per tagged alliance class
        assert program.id in document_schema["properties"]["program"]["enum"]
    assert schema_errors(document) == []
    assert structural_problems(document) == []


# --- what no schema can say, written out --------------------------------------------------------


@attrs.frozen
class Explained:
    """A document on which the judges disagree by necessity: the schema accepts, the reader refuses."""

    path: str
    value: object
    code: str  # the reader's code at *path*
    reason: str


EXPLAINED: dict[str, Explained] = {
    "an integer written as 12.0": Explained(
        "/offerings/0/participants",
        12.0,
        "type",
        "JSON Schema's integer is a number without a fraction, so 12.0 is one; "
        "the reader keeps 7.0 and 7 apart as JSON text does, refusing to guess.",
    ),
    "an integer of 5,000 digits": Explained(
        "/offerings/0/participants",
        10**5000,
        "invalid_value",
        "JSON Schema numbers have no size limit; Python's json reads at most 4,300 digits, "
        "so such a value could never be written back as JSON text that Python reads.",
    ),
    "hours of 17 significant digits": Explained(
        "/coaching/sessions/0/hours",
        12345678901234567,
        "invalid_value",
        "hours are exact decimals written as JSON numbers, which Python reads as floats; "
        "a number no float holds exactly would come back changed.",
    ),
    "a lone surrogate in a name": Explained(
        "/name",
        "\ud800",
        "invalid_value",
        "JSON text may escape one (\\ud800) and a JSON Schema string accepts it, "
        "but UTF-8 cannot encode it: the value could never be saved.",
    ),
}


@pytest.mark.parametrize("case", EXPLAINED.values(), ids=EXPLAINED.keys())
def test_what_no_schema_can_say(case: Explained) -> None:
    """Each explained disagreement is exactly as written: schema yes, reader no, with the code given."""
    document = example_document()
    set_at(case.path, case.value)(document)
    assert schema_errors(document) == []
    assert [(p.code, p.path) for p in structural_problems(document)] == [(case.code, case.path)]


def test_the_explained_limits_are_in_the_schema_modules_docstring() -> None:
    """What the schema cannot say is documented where a reader of the schema code looks."""
    doc = willkommen._schema.__doc__ or ""
    assert "1.0" in doc
    assert "4,300" in doc
    assert "15 significant digits" in doc
    assert "surrogate" in doc


def test_json_text_of_the_explained_documents_is_refused_by_loads_too() -> None:
    """The same values, as JSON text where JSON text can carry them, are refused by loads as well."""
    texts = ("an integer written as 12.0", "hours of 17 significant digits", "a lone surrogate in a name")
    for case in (EXPLAINED[name] for name in texts):
        document = example_document()
        set_at(case.path, case.value)(document)
        with pytest.raises(willkommen.ValidationError) as info:
            willkommen.loads(json.dumps(document))
        assert (case.code, case.path) in [(p.code, p.path) for p in info.value.problems]


def test_alliance_is_the_default_root() -> None:
    """The schema judged here is the one for alliances, the command line's default."""
    assert willkommen.json_schema() == willkommen.json_schema(Alliance)
