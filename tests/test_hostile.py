# ruff: noqa: D102, D105, D107 - the hostile classes' methods are their docstrings' subject
"""Hostile input, second round: numbers, memory, depth, the caller's settings, odd Python values, misuse.

Each section is one kind of attack on the checker, with cases of its own
beyond the first example found: the promise is an answer (problems with a
code and a path, or a clear TypeError for a mistake in the call), within the
bounds of ``willkommen._limits``, the same in every process.
"""

import contextlib
import decimal
import io
import json
import subprocess
import sys
import threading
import tracemalloc
import warnings
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from os import close as os_close
from os import pipe as os_pipe
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import willkommen
from willkommen import ValidationError, check, dump, dumps, load, loads
from willkommen import reads as read_text
from willkommen._cli import Progress, main
from willkommen._json import parse
from willkommen._limits import MAX_DEPTH, MAX_LIST_PROBLEMS, MAX_MESSAGE, MAX_QUOTE
from willkommen._numbers import exact_sum
from willkommen._run import SpooledInput
from willkommen._text import _REPR, bounded, printable, quote

from .conftest import example
from .test_cli import report


def _problems(text: str | bytes, cls: type = willkommen.Alliance) -> list[tuple[str, str]]:
    """(code, path) of every problem of JSON text, read as users read it."""
    return [(p.code, p.path) for p in read_text(text, cls).problems]


def _text_with(name: str, number: str) -> str:
    """The shipped example *name* as JSON text, with the hours budget written as *number*."""
    document = example(name)
    document["coaching"]["hours_budget"] = "@@"
    return json.dumps(document).replace('"@@"', number)


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Measured:
    """A user's class with a number of each kind."""

    count: int
    ratio: float
    hours: Decimal


@attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
class Node:
    """A user's class that holds itself: documents of any depth."""

    label: str
    children: "tuple[Node, ...]" = ()


def _measured(count: str = "1", ratio: str = "0.5", hours: str = "1.5") -> str:
    return f'{{"schema_version": 2, "count": {count}, "ratio": {ratio}, "hours": {hours}}}'


# --- numbers the arithmetic cannot hold -----------------------------------------------------------

# Numbers decimal cannot hold at all (an exponent of 19 digits or more), numbers it holds but no float
# does, and numbers whose text alone is huge. Each comment says why the case differs.
BEYOND = [
    "1e9999999999999999999",  # the first example: decimal.InvalidOperation
    "-1e9999999999999999999",  # the same, negative
    "1e-9999999999999999999",  # tiny beyond decimal
    "1E+999999999999999999",  # the largest exponent decimal takes
    "1e-999999999999999999",  # the smallest
    "1e400",  # beyond float range
    "1e-400",  # below it: a float would be 0
    "1." + "0" * 5000 + "1",  # a mantissa of 5,002 digits
    "0." + "0" * 100_000 + "1e5",  # a long text for a small number
]


@pytest.mark.parametrize("number", BEYOND, ids=lambda n: n[:24])
def test_hours_beyond_any_arithmetic_are_invalid_values(number: str) -> None:
    """Decimal hours: invalid_value at the field's path, never decimal.InvalidOperation."""
    assert _problems(_text_with("bautzen", number)) == [("invalid_value", "/coaching/hours_budget")]


@pytest.mark.parametrize("number", BEYOND, ids=lambda n: n[:24])
def test_numbers_beyond_any_arithmetic_in_each_number_field(number: str) -> None:
    """An int field, a float field and a Decimal field of a user's class each report it where it stands."""
    assert _problems(_measured(count=number), Measured) == [("type", "/count")]
    assert _problems(_measured(hours=number), Measured) == [("invalid_value", "/hours")]
    # A float field refuses a number a float cannot hold exactly, as a Decimal field does: beyond
    # float range, below it, or with more digits than a float carries.
    assert _problems(_measured(ratio=number), Measured) == [("invalid_value", "/ratio")]


@pytest.mark.parametrize("number", ["1e9999999999999999999", "9" * 5000, "1." + "0" * 5000 + "1"], ids=str.__len__)
def test_numbers_are_quoted_short(number: str) -> None:
    """Every message stays short, however long the number's text."""
    for problem in read_text(_measured(hours=number), Measured).problems:
        assert len(problem.message) <= 300, problem.message


def test_a_float_field_takes_the_smallest_floats() -> None:
    """Below float range is a problem, the subnormal floats above it are not: 5E-324 is a float."""
    assert _problems(_measured(ratio="5e-324"), Measured) == []
    assert _problems(_measured(ratio="0.0"), Measured) == []
    assert _problems(_measured(ratio="2e-324"), Measured) == [("invalid_value", "/ratio")]


def test_huge_exponents_at_the_top_and_in_unknown_places() -> None:
    """Anywhere in a document, not only in number fields: the usual code at the usual place."""
    assert _problems("1e9999999999999999999") == [("type", "")]
    document = example("bautzen")
    text = json.dumps(document)[:-1] + ', "extra": [1e9999999999999999999]}'
    assert _problems(text) == [("unknown_key", "/extra")]


def test_an_integer_of_too_many_digits_is_invalid_json_under_any_setting() -> None:
    """JSON text with an integer over 4,300 digits is refused before int() spends quadratic time on it."""
    text = '{"schema_version": ' + "9" * 1_000_000 + "}"
    assert _problems(text) == [("invalid_json", "")]


def test_the_command_line_checks_the_records_after_a_huge_exponent(tmp_path: Any) -> None:
    """JSON Lines: the record with the number is invalid, the records after it are still checked."""
    good = json.dumps(example("bautzen"))
    # Other ids for the other records: one id twice is a problem of its own (collection.duplicate_id).
    other = json.dumps({**example("bautzen"), "id": "bautzen-again"})
    huge = _text_with("bautzen", "1e9999999999999999999").replace('"id": "bautzen"', '"id": "bautzen-huge"', 1)
    path = tmp_path / "export.jsonl"
    path.write_text(f"{good}\n{huge}\n{other}\n")
    result = _willkommen("validate", "--format", "json", str(path))
    records = json.loads(result.stdout)["files"][0]["records"]
    assert [(r["line"], r["valid"]) for r in records] == [(1, True), (2, False), (3, True)]
    assert result.returncode == 1


# --- memory in proportion -------------------------------------------------------------------------


def _peak(read: Callable[[str], object], text: str) -> int:
    tracemalloc.start()
    try:
        result = read(text)
        del result
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _wide_then_deep() -> str:
    # The shape that cost most before: every node's path was built, and paths grow with depth.
    return "[" * 200 + ",".join(['{"a": [1, 2, 3]}'] * 20_000) + ',{"k": 1, "k": 2}' + "]" * 200


MEMORY_SHAPES = {
    "wide objects, one repeat at the end": json.dumps([{"a": i, "b": "x"} for i in range(20_000)])[:-1]
    + ', {"k": 1, "k": 2}]',
    "a flat list, one repeat at the end": "[" + ",".join(["1"] * 100_000) + ',{"k": 1, "k": 1}]',
    "deep, then wide, one repeat": _wide_then_deep(),
    "a document with a large unknown part holding a repeat": json.dumps(
        {**example("bautzen"), "extra": [{"a": [i, "y"]} for i in range(20_000)]}
    )[:-2]
    + ', {"k": 1, "k": 2}]}',
}


@pytest.mark.parametrize("text", MEMORY_SHAPES.values(), ids=MEMORY_SHAPES.keys())
def test_reading_a_document_with_a_repeated_key_takes_memory_in_proportion(text: str) -> None:
    """Peak memory of reading stays within about 3x of what json.loads takes for the same text."""
    baseline = _peak(json.loads, text)
    assert _peak(read_text, text) <= 3 * baseline + 1_000_000
    assert ("duplicate_key", "") not in _problems(text)


def test_the_repeated_key_is_found_where_it_is() -> None:
    """Locating without a path per node still gives the exact path, in document order."""
    text = '{"a": [{"b": 1}, {"c": {"d": 1, "d": 2}}], "e": {"f": 1, "f": 1, "f": 1}}'
    value, problems = parse(text)
    assert [(p.code, p.path) for p in problems] == [("duplicate_key", "/a/1/c/d"), ("duplicate_key", "/e/f")]
    assert value == {"a": [{"b": 1}, {"c": {"d": 2}}], "e": {"f": 1}}


# --- depth, the same in every process -------------------------------------------------------------


def _node_text(levels: int) -> str:
    """A Node document nesting *levels* deep in JSON (a Node and its list are two levels)."""
    inner = '{"label": "leaf"}'
    for _ in range((levels - 1) // 2):
        inner = f'{{"label": "x", "children": [{inner}]}}'
    return '{"schema_version": 2, ' + inner[1:]


_DEEP_SCRIPT = """
import sys
import willkommen
from tests.test_hostile import Node, _node_text
limit = int(sys.argv[1])
if limit:
    sys.setrecursionlimit(limit)
if sys.argv[2] == "after":
    willkommen.dumps(willkommen.loads(_node_text(9), Node))
legal = willkommen.loads(_node_text({depth}), Node)
assert willkommen.check(legal) == []
text = willkommen.dumps(legal)
# Compared as text: attrs' own __eq__ recurses, and the low limit is the caller's.
assert willkommen.dumps(willkommen.loads(text, Node)) == text
assert willkommen.dumps(willkommen.loads(willkommen.dumps(legal, indent=None), Node)) == text
assert willkommen.dumps(willkommen.load(willkommen.dump(legal), Node)) == text
too_deep = [(p.code, p.path) for p in willkommen.reads(_node_text({depth} + 2), Node).problems]
assert too_deep == [("invalid_json", "")], too_deep
print("ok")
"""


@pytest.mark.parametrize("limit", [0, 120, 100_000], ids=["default limit", "low limit", "high limit"])
@pytest.mark.parametrize("history", ["fresh", "after"])
def test_depth_is_bounded_the_same_in_every_process(limit: int, history: str) -> None:
    """A document at the bound reads, checks and writes; one beyond is invalid_json: fresh, after dumps(), any limit."""
    script = _DEEP_SCRIPT.replace("{depth}", str(MAX_DEPTH - 1))
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script, str(limit), history],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr[-2000:]


def test_python_data_beyond_the_depth_bound_is_a_type_problem_where_it_stands() -> None:
    """As Python data, a document nested beyond the bound is refused at the place where it gets too deep."""
    tree: dict[str, Any] = {"label": "leaf"}
    for _ in range(MAX_DEPTH):
        tree = {"label": "x", "children": [tree]}
    problems = check({"schema_version": 2, **tree}, Node)
    assert [p.code for p in problems] == ["type"]
    # The node at depth MAX_DEPTH (a node and its list are two levels) stands for the rest.
    assert problems[0].path.count("/children") == MAX_DEPTH // 2


def test_a_deep_invalid_document_takes_linear_time() -> None:
    """An error at the bottom of a nested document: read once per level, not twice (that was 2**depth)."""
    tree: dict[str, Any] = {"label": 1}
    for _ in range(200):
        tree = {"label": "x", "children": [tree]}
    problems = check({"schema_version": 2, **tree}, Node)
    assert [p.code for p in problems] == ["type"]


# --- messages bounded and escaped -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [10**4999, -(10**4999), Decimal("1" * 5000), Decimal("1e-999999"), "x" * 10**6, ["x" * 10**6] * 3, b"y" * 10**6],
    ids=["int", "negative int", "Decimal", "tiny Decimal", "str", "list", "bytes"],
)
def test_quote_is_short_for_anything(value: object) -> None:
    """quote() of a 5,000-digit number or a megabyte of text is at most MAX_QUOTE characters."""
    assert len(quote(value)) <= MAX_QUOTE


HOSTILE_KEYS = ["a\nb", "fake: line\n  /x: forged: entry", "\x1b[31mred", "\u202eevil", "\x00", "\ud800", "\x85next"]


@pytest.mark.parametrize("key", HOSTILE_KEYS, ids=repr)
def test_validation_error_text_escapes_keys(key: str) -> None:
    """str(ValidationError) is one line per problem: no key can add a line or act on a terminal."""
    document = example("bautzen")
    document[key] = 1
    document["partners"][0][key] = 2
    with pytest.raises(ValidationError) as caught:
        load(document)
    text = str(caught.value)
    assert all(line.isprintable() for line in text.split("\n"))
    assert len(text.splitlines()) == 1 + len([p for p in caught.value.problems if p.is_error])
    for problem in caught.value.problems:
        assert problem.message.isprintable()


def test_every_message_is_bounded() -> None:
    """The total bound of docs/robustness.md holds for every message, whatever the values."""
    document = example("bautzen")
    document["partners"][0]["kind"] = "x" * 10**6
    document["x" * 10**5] = 1
    document["goals"][0]["themes"] = ["\u202e" * 10**5]
    for problem in check(document):
        assert len(problem.message) <= MAX_MESSAGE
        assert len(problem.message_de) <= MAX_MESSAGE
        assert problem.message.isprintable()


def test_an_exception_text_in_a_message_is_bounded() -> None:
    """A user's validator raising with a megabyte of text, and line breaks: the message is short and one line."""

    def refuse(instance: object, attribute: object, value: object) -> None:
        raise ValueError("no\n" * 10**6)

    @attrs.frozen(kw_only=True)
    class Strict:
        name: str = attrs.field(validator=refuse)  # type: ignore[assignment]

    problems = check({"schema_version": 2, "name": "x"}, Strict)
    assert [p.code for p in problems] == ["invalid_value"]
    assert len(problems[0].message) <= MAX_MESSAGE
    assert "\n" not in problems[0].message


# --- Python values whose own methods fail ----------------------------------------------------------


class Boom(Exception):  # noqa: N818 - the name is the point
    """What the hostile methods raise."""


def _boom(*args: object, **kwargs: object) -> Any:
    raise Boom("x" * 10**5)


class RaisingItems(dict[str, Any]):
    """A dict subclass whose Python-level methods all fail."""

    __getitem__ = items = keys = values = get = __iter__ = __len__ = __contains__ = _boom


class HostileMapping(Mapping[str, Any]):
    """A Mapping that is no dict, with a choice of failing methods."""

    def __init__(self, data: dict[str, Any], fail: str) -> None:
        self.data = data
        self.fail = fail

    def __getitem__(self, key: str) -> Any:
        if self.fail == "getitem":
            raise Boom
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        if self.fail == "iter":
            raise Boom
        return iter(self.data)

    def __len__(self) -> int:
        return 10**30 if self.fail == "len" else len(self.data)

    def items(self) -> Any:
        if self.fail == "items":
            raise Boom
        return super().items()


class HostileKey(str):
    """A key that is text, but whose own methods fail or lie."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash("schema_version")

    def __eq__(self, other: object) -> bool:
        raise Boom

    __repr__ = __str__ = _boom


class Junk:
    """A value whose comparison, repr and str fail."""

    __hash__ = object.__hash__
    __eq__ = __repr__ = __str__ = _boom


class LongRepr:
    """A value whose repr is a megabyte with line breaks."""

    def __repr__(self) -> str:
        return "line\n" * 200_000


def _hostile_values() -> dict[str, object]:
    base = example("bautzen")
    junk_key: dict[object, object] = {}
    junk_key.update(base)
    junk_key[Junk()] = 1
    return {
        "a dict subclass whose methods fail": RaisingItems(base),
        **{f"a Mapping whose {m} fails": HostileMapping(base, m) for m in ("getitem", "iter", "items", "len")},
        # Put first, so that building the dict compares nothing; looking up "schema_version" does.
        "a key whose __eq__ and __repr__ fail": {
            HostileKey("schema_version"): 1,
            **{key: item for key, item in base.items() if key != "schema_version"},
        },
        "junk as a value": {**base, "id": Junk()},
        "junk as a key": junk_key,
        "a long repr as a value": {**base, "id": LongRepr()},
        "a hostile Mapping as a partner": {**base, "partners": [HostileMapping(base["partners"][0], "items")]},
        "a list subclass whose methods fail": {
            **base,
            "goals": type("L", (list,), {"__iter__": _boom, "__len__": _boom, "__getitem__": _boom})(base["goals"]),
        },
        "a str subclass whose methods fail": {
            **base,
            "id": type("S", (str,), {"__eq__": _boom, "__hash__": _boom, "isascii": _boom, "__str__": _boom})("x"),
        },
        "an int subclass whose methods fail": {
            **base,
            "coaching": {
                **base["coaching"],
                "hours_budget": type("I", (int,), {"bit_length": _boom, "__index__": _boom, "__int__": _boom})(5),
            },
        },
    }


@pytest.mark.parametrize(("value"), _hostile_values().values(), ids=_hostile_values().keys())
def test_values_whose_methods_fail_get_problems(value: object) -> None:
    """check() returns problems, each with a code and a short message; load() raises only ValidationError."""
    problems = check(value)
    for problem in problems:
        assert len(problem.message) <= MAX_MESSAGE
        assert problem.message.isprintable()
    if any(p.is_error for p in problems):
        with pytest.raises(ValidationError) as caught:
            load(value)
        assert list(caught.value.problems) == problems
        assert len(str(caught.value)) < 20_000
    else:
        load(value)


def test_a_plain_copy_reads_the_same_as_the_original() -> None:
    """A Mapping that works reads exactly as the dict it holds: nothing is lost by the copy."""
    base = example("bautzen")
    assert load(HostileMapping(base, "none")) == load(base)
    assert check(HostileMapping({**base, "x": 1}, "none")) == check({**base, "x": 1})


# --- misuse: a clear TypeError, naming the argument ------------------------------------------------


MISUSE: dict[str, tuple[Callable[[], object], str]] = {
    "check cls=int": (lambda: check({}, cls=int), "'cls'"),
    "check cls=None": (lambda: check({}, cls=None), "'cls'"),  # type: ignore[arg-type]
    "check cls=a non-model class": (lambda: check({}, cls=Junk), "'cls'"),
    "check cls=an instance": (lambda: check({}, cls=example("bautzen")), "'cls'"),  # type: ignore[arg-type]
    "load cls='x'": (lambda: load({}, cls="x"), "'cls'"),  # type: ignore[call-overload]
    "loads None": (lambda: loads(None), "'text'"),  # type: ignore[call-overload]
    "loads 42": (lambda: loads(42), "'text'"),  # type: ignore[call-overload]
    "loads a dict": (lambda: loads({}), "'text'"),  # type: ignore[call-overload]
    "loads cls=int": (lambda: loads("{}", cls=int), "'cls'"),
    "dump None": (lambda: dump(None), "'obj'"),
    "dumps a dict": (lambda: dumps({}), "'obj'"),
    "validate cls=str": (lambda: willkommen.validate({}, cls=str), "'cls'"),
}


@pytest.mark.parametrize("call", MISUSE.values(), ids=MISUSE.keys())
def test_misuse_is_a_type_error_naming_the_argument(call: tuple[Callable[[], object], str]) -> None:
    """A mistake in the call is the caller's: TypeError, with the argument's name, never an internal error."""
    function, argument = call
    with pytest.raises(TypeError, match=argument):
        function()


# --- the caller's process state --------------------------------------------------------------------


def _answers() -> list[object]:
    """What the library says of a set of documents, to compare under changed settings."""
    session = {"date": "2017-03-01", "hours": None}
    answers: list[object] = []
    for hours in ["33.3", "33.3", "33.4"], ["0.1"] * 10, ["99.999999999999", "0.000000000001"], ["1e-300", "100"]:
        document = example("bautzen")
        document["coaching"]["sessions"] = [{**session, "hours": "@"} for _ in hours]
        text = json.dumps(document)
        for value in hours:
            text = text.replace('"@"', value, 1)
        answers.append(sorted((p.code, p.path, p.message) for p in read_text(text).problems))
        reading = read_text(text)
        if reading.value is not None and reading.value.coaching is not None:
            answers.append(reading.value.coaching.hours_used)
            answers.append(willkommen.programs.coaching_hours_left(reading.value))
    answers.extend(
        sorted((p.code, p.path, p.message) for p in read_text(text, Measured).problems)
        for text in [_text_with("helmstedt", "1e9999999999999999999"), _measured(count="9" * 1000)]
    )
    answers.append(_problems(_measured(count="9" * 4300), Measured))
    answers.append(_problems(_measured(count="9" * 4301), Measured))
    answers.append(check({"schema_version": 2, "count": 10**5000, "ratio": 1.0, "hours": 1}, Measured))
    return answers


@pytest.fixture
def default_answers() -> list[object]:
    """The answers under Python's default settings."""
    return _answers()


@pytest.mark.parametrize(
    "context",
    [
        decimal.Context(prec=3),
        decimal.Context(prec=1, rounding=decimal.ROUND_FLOOR),
        decimal.Context(traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Clamped]),
        decimal.Context(traps=[], capitals=0, Emax=10, Emin=-10),
    ],
    ids=["precision 3", "precision 1 rounding down", "every trap", "no traps, tiny exponents"],
)
def test_the_decimal_context_changes_nothing(context: decimal.Context, default_answers: list[object]) -> None:
    """Sums of hours are exact and answers the same, whatever decimal context the caller set."""
    with decimal.localcontext(context):
        assert _answers() == default_answers
    assert exact_sum([Decimal("33.3"), Decimal("33.3"), Decimal("33.4")]) == 100


def test_a_sum_of_hours_leaves_the_callers_context_as_it_was() -> None:
    """exact_sum works under the library's context and gives the caller's back, also when it refuses a sum."""
    mine = decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR)
    with decimal.localcontext(mine) as callers:
        assert exact_sum([Decimal("33.333"), Decimal("0.001")]) == Decimal("33.334")
        assert decimal.getcontext() is callers
        with pytest.raises(decimal.Inexact):
            exact_sum([Decimal("1e-999999"), Decimal("1e999999")])  # 2,000 digits cannot hold it
        assert decimal.getcontext() is callers
        assert callers.prec == 3


@given(st.text(max_size=120) | st.text(alphabet=st.characters(codec="ascii"), max_size=90))
def test_quote_of_text_is_what_reprlib_gives(text: str) -> None:
    """quote() of a string, short or long, printable or not: the bounded, escaped reprlib form."""
    assert quote(text) == bounded(printable(bounded(_REPR.repr(text), MAX_QUOTE)), MAX_QUOTE)


@pytest.mark.parametrize("limit", [640, 100_000, 0], ids=["low", "high", "none"])
def test_the_int_digit_limit_changes_nothing(limit: int, default_answers: list[object]) -> None:
    """sys.set_int_max_str_digits: reading, checking and messages are the same under any limit."""
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        assert _answers() == default_answers
    finally:
        sys.set_int_max_str_digits(before)


def test_warnings_as_errors_change_nothing(default_answers: list[object]) -> None:
    """An application that turns every warning into an error gets the same answers."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _answers() == default_answers


def test_the_recursion_limit_is_given_back() -> None:
    """The room made for a deep document is the caller's limit again afterwards."""
    before = sys.getrecursionlimit()
    loads(_node_text(MAX_DEPTH - 1), Node)
    assert sys.getrecursionlimit() == before


# --- helpers for the process tests -----------------------------------------------------------------


def _willkommen(*argv: str, stdin: Any = subprocess.DEVNULL, **streams: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "willkommen", *argv],
        capture_output=not streams,
        stdin=stdin,
        text=True,
        timeout=300,
        check=False,
        **streams,
    )
    assert "Traceback" not in (result.stderr or ""), result.stderr
    return result


# --- files without a bound ------------------------------------------------------------------------


def test_dev_zero_named_on_the_command_line_ends(tmp_path: Any) -> None:
    """/dev/zero, as a .json and as a .jsonl (one endless line): file_too_large, then the next file is checked."""
    lines = tmp_path / "zero.jsonl"
    lines.symlink_to("/dev/zero")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(example("bautzen")))
    # Two runs: a file is read once by its real path, and the link's is /dev/zero.
    for zero in ("/dev/zero", str(lines)):
        result = _willkommen("validate", "--format", "json", "--max-size", "1M", zero, str(good))
        files = json.loads(result.stdout)["files"]
        codes = [[p["code"] for r in f["records"] for p in r["problems"]] for f in files]
        assert codes == [["file_too_large"], []]
        assert result.returncode == 1


class _Zeros(io.RawIOBase):
    """An endless input, like /dev/zero, that counts the bytes taken from it."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = bytes(len(buffer))
        self.taken += len(buffer)
        return len(buffer)


@pytest.mark.parametrize("lines", [False, True], ids=["document", "JSON Lines"])
def test_the_copy_of_an_endless_input_read_twice_stops_at_the_bound(lines: bool) -> None:
    """An input read once (a pipe) is copied for the id pass: never past the first document or line over the bound."""
    zeros = _Zeros()
    spool = SpooledInput(lambda: contextlib.nullcontext(io.BufferedReader(zeros)), limit=1000, lines=lines)
    try:
        copy = spool()
        assert len(copy.read()) == 1001
        assert zeros.taken < 1 << 20  # a buffer's worth, not the whole input
    finally:
        spool.close()


def test_a_large_sparse_file_in_a_folder_is_refused_while_reading(tmp_path: Any) -> None:
    """A 2 GiB file found in a folder is not read whole: file_too_large at the default bound, the next file checked."""
    with (tmp_path / "a-huge.json").open("wb") as huge:
        huge.truncate(2 * 1024**3)
    (tmp_path / "b-good.json").write_text(json.dumps(example("bautzen")))
    result = _willkommen("validate", "--format", "json", str(tmp_path))
    files = json.loads(result.stdout)["files"]
    assert [[p["code"] for r in f["records"] for p in r["problems"]] for f in files] == [["file_too_large"], []]


@pytest.mark.parametrize(("size", "valid"), [(None, True), ("-1", False)], ids=["at the bound", "one byte below"])
def test_the_bound_is_exact(size: str | None, valid: bool, tmp_path: Any) -> None:
    """A file of exactly --max-size bytes is read; one byte more is not."""
    path = tmp_path / "bautzen.json"
    path.write_text(json.dumps(example("bautzen")))
    limit = path.stat().st_size + (int(size) if size else 0)
    result = _willkommen("validate", "--max-size", str(limit), str(path))
    assert result.returncode == (0 if valid else 1)


def test_standard_input_and_json_lines_have_the_bound_too(tmp_path: Any) -> None:
    """Standard input beyond the bound, and a line beyond it: file_too_large; the lines before it are checked."""
    good = json.dumps(example("bautzen"))
    path = tmp_path / "in.json"
    path.write_text(good)
    with path.open() as stream:
        result = _willkommen("validate", "--format", "json", "--max-size", "1K", "-", stdin=stream)
    assert [p["code"] for p in json.loads(result.stdout)["files"][0]["records"][0]["problems"]] == ["file_too_large"]
    lines = tmp_path / "export.jsonl"
    small = '{"schema_version": 2}'
    lines.write_text(f"{small}\n{good}\n{small}\n")
    result = _willkommen("validate", "--format", "json", "--max-size", "1K", str(lines))
    records = json.loads(result.stdout)["files"][0]["records"]
    assert [(r["line"], [p["code"] for p in r["problems"]][-1:]) for r in records] == [
        (1, ["missing"]),
        (2, ["file_too_large"]),
    ]


@pytest.mark.parametrize(("given", "size"), [("100", 100), ("1k", 1024), ("64M", 64 * 1024**2), ("2GiB", 2 * 1024**3)])
def test_max_size_takes_units(given: str, size: int) -> None:
    """--max-size reads bytes, K, M and G (binary units)."""
    from willkommen._cli import _size

    assert _size(given) == size


@pytest.mark.parametrize("given", ["0", "-1", "1.5M", "lots", "1T", ""])
def test_a_bad_max_size_is_a_usage_error(given: str) -> None:
    """A size that is none is a mistake in the command: exit code 2, never a traceback."""
    assert _willkommen("validate", "--max-size", given, "examples").returncode == 2


# --- streams --------------------------------------------------------------------------------------


def test_a_closed_standard_error_does_not_change_a_valid_run() -> None:
    """Valid data exits 0 with standard error closed, as with it open."""
    result = subprocess.run(  # noqa: S603 - our own interpreter
        ["/bin/sh", "-c", f'"{sys.executable}" -m willkommen validate examples 2>&-'],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0
    assert "3 valid" in result.stdout


def test_a_broken_standard_error_does_not_change_a_valid_run() -> None:
    """Standard error a pipe nobody reads: still exit 0."""
    read, write = os_pipe()
    os_close(read)
    result = _willkommen("validate", "examples", stderr=write, stdout=subprocess.PIPE)
    os_close(write)
    assert result.returncode == 0


def test_a_closed_standard_input_is_an_unreadable_file() -> None:
    """Standard input closed: unreadable_file for <stdin>, exit 1, no traceback."""
    result = subprocess.run(  # noqa: S603 - our own interpreter
        ["/bin/sh", "-c", f'"{sys.executable}" -m willkommen validate --format json - <&-'],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = json.loads(result.stdout)["files"][0]["records"][0]["problems"]
    assert [p["code"] for p in problems] == ["unreadable_file"]


@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"], ids=["full disk", "closed"])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_4(redirect: str) -> None:
    """A full disk or a closed standard output: one line on standard error, exit code 4, no traceback."""
    result = subprocess.run(  # noqa: S603 - our own interpreter
        ["/bin/sh", "-c", f'"{sys.executable}" -m willkommen validate examples {redirect}'],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 4
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "cannot write the output" in result.stderr


def test_a_reader_that_goes_away_is_one_line_and_exit_4(tmp_path: Any) -> None:
    """A broken pipe in the middle of a long report: one line, exit code 4, no traceback."""
    lines = tmp_path / "many.jsonl"
    lines.write_text('{"schema_version": 2}\n' * 20_000)
    result = subprocess.run(  # noqa: S603 - our own interpreter
        ["/bin/sh", "-c", f'"{sys.executable}" -m willkommen validate {lines} | head -c 1 >/dev/null; exit 0'],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") <= 1


@attrs.define(kw_only=True)
class Loose:
    """A user's class without type checks: built in code, it may hold anything."""

    anything: object = None


@pytest.mark.parametrize(
    "value",
    [
        RaisingItems({"a": "\ud800"}),
        type("L", (list,), {"__iter__": _boom, "__len__": _boom})(["\ud800"]),
        type("T", (tuple,), {"__iter__": _boom})(("\ud800",)),
        type("F", (frozenset,), {"__iter__": _boom})({"\ud800"}),
    ],
    ids=["dict", "list", "tuple", "frozenset"],
)
def test_an_object_built_in_code_holding_values_whose_methods_fail(value: object) -> None:
    """check(obj) looks into containers through the built-in types' own methods: the lone surrogate is found."""
    problems = check(Loose(anything=value))
    assert [p.code for p in problems] == ["invalid_value"]
    with pytest.raises(ValidationError):
        dump(Loose(anything=value))


@pytest.mark.parametrize("limit", [640, 4300, 0], ids=["low", "default", "none"])
def test_dumps_writes_long_integers_under_any_limit(limit: int) -> None:
    """An integer of 1,000 to 4,300 digits is written whatever int/str limit the caller set."""
    obj = Measured(count=-(10**4299) + 7, ratio=0.5, hours=Decimal("1.5"))
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        text = dumps(obj)
        again = dumps(obj, indent=None)
    finally:
        sys.set_int_max_str_digits(before)
    assert loads(text, Measured) == obj
    assert loads(again, Measured) == obj


def test_an_exception_whose_text_fails_still_gives_a_problem() -> None:
    """A user's validator raising an exception whose str() raises: invalid_value naming its type."""

    class SilentError(ValueError):
        __str__ = _boom

    def refuse(instance: object, attribute: object, value: object) -> None:
        raise SilentError

    @attrs.frozen(kw_only=True)
    class Strict:
        name: str = attrs.field(validator=refuse)  # type: ignore[assignment]

    problems = check({"schema_version": 2, "name": "x"}, Strict)
    assert [p.code for p in problems] == ["invalid_value"]
    assert "SilentError" in problems[0].message


@pytest.mark.parametrize(
    "partners", [[1] * 100_000, [{"id": "x"}] * 5_000, [[]] * 600 + [1] * 600], ids=["ints", "objects", "mixed"]
)
def test_a_list_of_many_failing_items_takes_bounded_memory(partners: list[object]) -> None:
    """The first MAX_LIST_PROBLEMS failures are reported, then too_many_problems where reading stopped."""
    text = json.dumps({**example("bautzen"), "partners": partners})
    problems = read_text(text).problems
    items = [p for p in problems if p.path.startswith("/partners/")]
    assert {p.path.split("/")[2] for p in items} == {str(i) for i in range(MAX_LIST_PROBLEMS)}
    assert ("too_many_problems", "/partners") in [(p.code, p.path) for p in problems]
    assert _peak(read_text, text) < 3 * _peak(json.loads, text) + 20_000_000


def test_the_count_of_failures_is_per_document() -> None:
    """Two documents of 600 failing items each: each is reported whole, the count starts again."""
    text = json.dumps({**example("bautzen"), "partners": [1] * 600})
    for _ in range(2):
        assert "too_many_problems" not in [p.code for p in read_text(text).problems]


def _deep_node(levels: int) -> Node:
    node = Node(label="leaf")
    for _ in range(levels):
        node = Node(label="x", children=(node,))
    return node


def test_an_object_built_in_code_deeper_than_a_document_may_be() -> None:
    """check() reports it where it gets too deep, dump() refuses it: no RecursionError, nothing unreadable written."""
    deep = _deep_node(MAX_DEPTH)
    problems = check(deep)
    assert [p.code for p in problems] == ["invalid_value"]
    assert problems[0].path.count("/children") == MAX_DEPTH // 2
    with pytest.raises(ValidationError):
        dumps(deep)
    legal = _deep_node((MAX_DEPTH - 1) // 2)
    assert check(legal) == []
    assert loads(dumps(legal), Node) == legal


def test_a_shared_part_is_measured_at_its_deepest_place() -> None:
    """A part reached twice, the second time deeper: its height counts there too."""
    shared = _deep_node(MAX_DEPTH // 2 - 3)
    pair = Node(label="top", children=(shared, Node(label="a", children=(Node(label="b", children=(shared,)),))))
    assert [p.code for p in check(pair)] == ["invalid_value"]


@attrs.define(kw_only=True)
class Mutable:
    """A user's mutable class, which can be made to hold itself."""

    parts: list[object] = attrs.field(factory=list)


def test_an_object_that_contains_itself_is_a_problem() -> None:
    """A cycle: ``cycle`` where it closes; dump() refuses it instead of a RecursionError."""
    outer = Mutable()
    inner = Mutable(parts=[1, outer])
    outer.parts.append(inner)
    assert [(p.code, p.path) for p in check(outer)] == [("cycle", "/parts/0/parts/1")]
    with pytest.raises(ValidationError):
        dump(outer)


@pytest.mark.parametrize("key", ["\u202eevil", "a\u2028b", "\ud800", "x\U000e0001y", "Café"], ids=repr)
def test_the_json_report_escapes_what_a_terminal_would_act_on(key: str, tmp_path: Any) -> None:
    """On UTF-8 the JSON report writes non-printable characters as JSON escapes: the same data, safe to show."""
    document = example("bautzen")
    document[key] = 1
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    result = _willkommen("validate", "--format", "json", str(path))
    out = result.stdout
    assert all(line.isprintable() for line in out.splitlines())
    problems = json.loads(out)["files"][0]["records"][0]["problems"]
    assert [p["path"] for p in problems] == ["/" + key]
    assert ("Café" in out) == (key == "Café")


def test_a_huge_max_size_sets_nothing_aside() -> None:
    """--max-size 1000G reads small files as usual: nothing of the size is allocated before it is read."""
    assert _willkommen("validate", "--max-size", "1000G", "examples").returncode == 0


# --- the same, in process (what coverage sees) ---------------------------------------------------


def test_in_process_a_long_line_ends_its_file(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON Lines line over the bound: file_too_large at its line, the lines before it checked."""
    small = '{"schema_version": 2}'
    path = tmp_path / "export.jsonl"
    path.write_text(f"{small}\n{'x' * 2000}\n{small}\n")
    code, document = report(capsys, "--max-size", "1K", str(path))
    assert code == 1
    assert [(r["line"], r["problems"][-1]["code"]) for r in document["files"][0]["records"]] == [
        (1, "missing"),
        (2, "file_too_large"),
    ]


def test_in_process_standard_input_closed(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """sys.stdin is None when the process started with it closed: unreadable_file."""
    monkeypatch.setattr(sys, "stdin", None)
    code, document = report(capsys, "-")
    assert code == 1
    assert [p["code"] for p in document["files"][0]["records"][0]["problems"]] == ["unreadable_file"]


class _FullDisk(io.StringIO):
    """Standard output on a full disk."""

    def write(self, text: str) -> int:
        del text
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("stdout", [None, _FullDisk()], ids=["closed", "full disk"])
def test_in_process_an_output_that_cannot_be_written(
    stdout: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit code 4 and one line on standard error saying why."""
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(["validate", "examples"])
    assert code == 4
    assert capsys.readouterr().err.count("cannot write the output") == 1


@pytest.mark.parametrize("stderr", [None, _FullDisk()], ids=["closed", "broken"])
def test_in_process_standard_error_changes_nothing(
    stderr: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A closed or broken standard error: the run and its messages to it change no exit code."""
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["validate", "examples"]) == 0
    assert main(["validate", "--select", "nonsense", "examples"]) == 2
    assert "3 valid" in capsys.readouterr().out


def test_a_progress_bar_on_a_broken_terminal_goes_away() -> None:
    """A terminal that fails mid-run: the bar stops drawing, the run goes on."""

    class BrokenTerminal(_FullDisk):
        def isatty(self) -> bool:
            return True

    progress = Progress(BrokenTerminal(), lambda: 100, clock=lambda: 10.0, delay=0)
    progress.update(10)
    assert not progress.enabled
    assert not Progress(None, lambda: 100).enabled


def test_threads_reading_deep_documents_give_the_limit_back() -> None:
    """Threads making room at once: every one reads, and the caller's limit is back at the end."""
    text = _node_text(MAX_DEPTH - 1)
    before = sys.getrecursionlimit()
    results: list[object] = []

    def read() -> None:
        results.extend(dumps(loads(text, Node)) == dumps(loads(text, Node)) for _ in range(5))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 20
    assert sys.getrecursionlimit() == before


def test_reading_files_and_streams_from_python_has_the_bound_too(tmp_path: Any) -> None:
    """read_files and read_stream take max_size: a document or line over it is file_too_large."""
    path = tmp_path / "bautzen.json"
    path.write_text(json.dumps(example("bautzen")))
    found = list(willkommen.read_files(path, max_size=100))
    assert [[p.code for p in r.reading.problems] for r in found] == [["file_too_large"]]
    stream = io.BytesIO(b'{"schema_version": 2}\n' + b"x" * 1000 + b"\n{}\n")
    lines = list(willkommen.read_stream(stream, max_size=100))
    assert [(r.line, r.reading.problems[-1].code) for r in lines] == [(1, "missing"), (2, "file_too_large")]
    whole = list(willkommen.read_stream(io.StringIO("[" * 50 + "]" * 50), lines=False, max_size=10))
    assert [p.code for p in whole[0].reading.problems] == ["file_too_large"]
