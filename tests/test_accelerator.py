"""willkommen[fast] changes how long reading takes, never what it finds.

With msgspec installed, a valid document of the current version is decoded by
msgspec into mirror structs and built into objects (``willkommen._mirror``,
whose own refusals ``test_mirror.py`` shows one by one); other JSON text is
parsed by msgspec where the accelerator (``willkommen._accelerator``) is sure
to get exactly what ``_json.parse`` gets, and by ``_json.parse`` everywhere
else. These tests read the same
inputs with the accelerator on and off and require the same problems (codes,
paths, severities and messages, in order) and equal objects of the same types:
the mutation corpus (``tests/test_mutations.py``), invalid documents of every
kind, and a fixed sample of the fuzzer's inputs (``fuzz/fuzz_loads.py``).
CI also runs the whole suite once with ``WILLKOMMEN_ACCELERATOR=off``.
"""

import copy
import importlib.util
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from tests.test_mutations import MUTATIONS
from willkommen import Alliance, Reading
from willkommen import _accelerator as accelerator
from willkommen._example import example_document
from willkommen._json import parse
from willkommen.testing import Mutation, alliances

pytestmark = pytest.mark.skipif(
    not accelerator.installed(), reason="msgspec is not installed: pip install -e '.[fast]' to test the accelerator"
)

ROOT = Path(__file__).resolve().parent.parent
_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _as_the_environment_says() -> Iterator[None]:
    """Each test leaves the switch as the environment set it."""
    yield
    accelerator.set_active(active=None)


def _typed(value: Any) -> Any:
    """*value* with the type of every part spelled out: 1, 1.0, True and Decimal(1) compare equal, these do not."""
    if type(value) is dict:
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if type(value) is list:
        return ("list", [_typed(item) for item in value])
    if type(value) is Decimal:
        return ("Decimal", str(value))
    return (type(value).__name__, repr(value))


def both_ways(text: str | bytes, cls: type[Any] = Alliance) -> tuple[Reading[Any], Reading[Any]]:
    """*text* read with the accelerator off, then on."""
    accelerator.set_active(active=False)
    pure = willkommen.reads(text, cls)
    accelerator.set_active(active=True)
    assert accelerator.active()
    fast = willkommen.reads(text, cls)
    return pure, fast


def assert_same(text: str | bytes, cls: type[Any] = Alliance) -> Reading[Any]:
    """Both readings hold the same problems in the same order, and equal objects of the same class."""
    pure, fast = both_ways(text, cls)
    assert [(p.code, p.path, p.severity) for p in fast.problems] == [
        (p.code, p.path, p.severity) for p in pure.problems
    ]
    assert fast.problems == pure.problems
    assert type(fast.value) is type(pure.value)
    assert fast.value == pure.value
    if pure.value is not None:
        assert willkommen.dumps(fast.value) == willkommen.dumps(pure.value)
    assert (fast.skipped, fast.unread) == (pure.skipped, pure.unread)
    return pure


# --- the parser alone --------------------------------------------------------------------------

_TEXT = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(['"', "\\", ":", "\x00", "\u2028", "é", "𝄞"])),
    max_size=8,
)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=False, allow_infinity=False),
    _TEXT,
)
# Nested lists and objects of those (st.deferred: a value refers to itself).
_JSON: st.SearchStrategy[Any] = st.deferred(
    lambda: _SCALAR | st.lists(_JSON, max_size=4) | st.dictionaries(_TEXT, _JSON, max_size=4)
)


def _write(value: Any, indent: int | None, ensure_ascii: bool) -> str:
    # Decimals as the number they are, written by their own digits.
    marks: list[str] = []

    def mark(item: object) -> object:
        if isinstance(item, Decimal):
            marks.append(str(item))
            return f"\x00{len(marks) - 1}\x00"
        raise TypeError(item)

    text = json.dumps(value, default=mark, indent=indent, ensure_ascii=ensure_ascii)
    for index, digits in enumerate(marks):
        text = text.replace(json.dumps(f"\x00{index}\x00", ensure_ascii=ensure_ascii), digits, 1)
    return text


def assert_parses_alike(text: str | bytes) -> None:
    """What the accelerator parses, _json parses into the same values, without a problem."""
    fast = accelerator.parse(text)
    value, problems = parse(text)
    if fast is not None:
        assert problems == []
        assert _typed(fast) == _typed(value)


@_SETTINGS
@given(st.dictionaries(_TEXT, _JSON, max_size=5), st.sampled_from([None, 0, 2]), st.booleans(), st.booleans())
def test_any_object_is_parsed_as_json_parses_it(
    value: dict[str, Any], indent: int | None, ensure_ascii: bool, as_bytes: bool
) -> None:
    """Any JSON object, in any layout, escaped or not, as text or bytes: the accelerator gives what _json gives."""
    text = _write(value, indent, ensure_ascii)
    assert_parses_alike(text.encode() if as_bytes else text)
    if not ensure_ascii and "\\u003a" not in text.lower():
        # Plain text without escaped colons: the accelerator takes it on.
        assert accelerator.parse(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": 1, "a": 1}',
        b'{"a": {"b": [{"c": 1, "c": 2}]}}',
        b'{"a" : 1, "b": {"a": 2, "a" : 2}}',
        b'{"a": "x\\":", "a": 2}',
        b'{"a": "\\u003a", "b": 1, "b": 1}',
        b'{"a": "\\u003A", "b": 1, "b": 1}',
        b'{"a": NaN}',
        b'{"a": -Infinity}',
        b"\xef\xbb\xbf{}",
        b'{"a": "\\ud800"}',
        b'{"a": "\xed\xa0\x80"}',
        b'{"a": 1}\n{"a": 2}',
        b'{"a": 1,}',
        b"",
        b"[]",
        b"null",
        b'{"a": ' + b"9" * 4301 + b"}",
        b'{"a": ' + b"[" * 300 + b"]" * 300 + b"}",
        b'{"a": 1e999999999999999999}',
        b'{"a": 0.1000000000000000055511151231257827}',
        b'{"a": "\x01"}',
    ],
)
def test_what_only_the_full_parser_reports_goes_to_it(text: bytes) -> None:
    """Repeated keys, NaN, BOM, lone surrogates, long integers, deep nesting, bad UTF-8: never parsed differently."""
    assert_parses_alike(text)
    assert_parses_alike(text.decode("utf-8", "surrogatepass"))
    assert_same(text)


def test_repeated_keys_are_never_missed() -> None:
    """A document with a repeated key is never taken by the accelerator, and its problem stays where it is."""
    text = json.dumps(example_document(), ensure_ascii=False)
    repeated = text.replace('"name": ', '"name": "Doppelt", "name": ', 1)
    assert accelerator.parse(repeated) is None
    pure = assert_same(repeated)
    assert [(p.code, p.path) for p in pure.problems if p.is_error] == [("duplicate_key", "/local_authorities/0/name")]


# --- whole readings, both ways ---------------------------------------------------------------


def test_valid_documents_are_read_by_the_accelerator() -> None:
    """The shipped examples and the tagged NRW example take the accelerated path and read the same."""
    texts = [path.read_bytes() for path in sorted((ROOT / "examples").glob("*.json"))]
    texts.append(json.dumps(willkommen.nrw.example_document(), ensure_ascii=False).encode())
    for text in texts:
        assert accelerator.parse(text) is not None
        # The mirror structs read the whole document (see test_mirror.py).
        assert accelerator.read_objects(text, Alliance) is not None
        assert_same(text)
    tagged = both_ways(texts[-1])[1].value
    assert type(tagged) is willkommen.nrw.NrwAlliance


@pytest.mark.parametrize("mutate", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
@_SETTINGS
@given(alliance=alliances(), data=st.data())
def test_the_mutation_corpus_reads_the_same(
    mutate: Callable[[dict[str, Any]], st.SearchStrategy[Mutation]], alliance: Alliance, data: st.DataObject
) -> None:
    """Every kind of mutation of a generated document: the same problems and objects with and without the extra."""
    document = willkommen.dump(alliance)
    document.setdefault("founded_on", "2017-01-15")
    mutation = data.draw(mutate(document), label="mutation")
    broken = mutation.applied(document)
    for text in (json.dumps(broken, ensure_ascii=False), json.dumps(broken, indent=2)):
        assert_same(text)
        assert_same(text.encode())


@_SETTINGS
@given(alliances())
def test_generated_alliances_read_the_same(alliance: Alliance) -> None:
    """A valid generated alliance is written to the same bytes, and read into the same object, either way."""
    accelerator.set_active(active=False)
    written = willkommen.dumps(alliance)
    accelerator.set_active(active=True)
    assert willkommen.dumps(alliance) == written
    reading = assert_same(written.encode())
    assert reading.value == alliance
    # The mirror structs read it to the same object, or hand it to the path compared above.
    mirrored = accelerator.read_objects(written.encode(), Alliance)
    assert mirrored is None or mirrored == alliance


def _invalid_documents() -> Iterator[tuple[str, str]]:
    """Documents wrong in one way each: in structure, in a rule, in the text itself."""
    document = example_document()
    text = json.dumps(document, ensure_ascii=False)
    yield "valid", text

    def changed(old: str, new: str) -> str:
        assert old in text, old  # each document is changed, or it would test nothing
        return text.replace(old, new, 1)

    yield "an unknown key", changed('"name": ', '"homepage": "x", "name": ')
    yield "hours as a string", changed('"hours": 33.3', '"hours": "2"')
    yield "a float hours cannot hold", changed('"hours": 33.3', '"hours": 0.1000000000000000055511151231257827')
    yield "hours of 2**53 + 1", changed('"hours": 33.3', f'"hours": {2**53 + 1}')
    yield "an integer of 4,301 digits", changed('"hours": 33.3', '"hours": ' + "1" * 4301)
    yield "a compact date", changed('"founded_on": "2017-01-15"', '"founded_on": "20170115"')
    yield "schema version 1", changed('"schema_version": 2', '"schema_version": 1')
    yield "schema version 3", changed('"schema_version": 2', '"schema_version": 3')
    yield "no schema version", changed('"schema_version": 2,', "")
    yield "an unknown tag", changed("{", '{"$type": "no-such-type", ')
    yield "a lone surrogate escape", changed('"name": "', '"name": "\\udc00')
    yield "a control character", changed('"name": "', '"name": "\\u0007')
    yield "true for a number", changed('"hours": 33.3', '"hours": true')
    yield "NaN hours", changed('"hours": 33.3', '"hours": NaN')
    yield "a top-level list", f"[{text}]"
    yield "two documents", f"{text}\n{text}"
    broken = copy.deepcopy(document)
    broken["partners"] = broken["partners"][:1]
    broken["lead"] = "nobody"
    yield "rule errors", json.dumps(broken, ensure_ascii=False)


@pytest.mark.parametrize(
    ("label", "text"), list(_invalid_documents()), ids=[label for label, _ in _invalid_documents()]
)
def test_the_invalid_corpus_reads_the_same(label: str, text: str) -> None:
    """Each kind of invalid document gets the same problems with and without the extra, as text and as bytes."""
    assert_same(text)
    assert_same(text.encode("utf-8", "surrogatepass"))


def _fuzzer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_loads", ROOT / "fuzz" / "fuzz_loads.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_fuzz_sample_reads_the_same() -> None:
    """A fixed sample of the fuzzer's inputs: damaged seed texts, hostile numbers and mutated documents."""
    fuzz = _fuzzer()
    words = fuzz._vocabulary(willkommen, willkommen.nrw)
    seeds = fuzz._seeds(willkommen, willkommen.nrw, 3)
    seed_texts = [json.dumps(seed, ensure_ascii=False).encode() for seed in seeds]
    rng = random.Random(20150528)  # noqa: S311 - a fixed sample, not a secret
    accepted = mirrored = 0
    for _ in range(150):
        text = bytearray(rng.choice(seed_texts))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            text[at : at + rng.randint(0, 3)] = rng.randbytes(rng.randint(0, 3))
        assert_same(bytes(text))
        source = fuzz.Source(rng.randbytes(64))
        assert_same(fuzz.document_with_number(source, seeds, words))
        mutated = fuzz.mutate_document(fuzz.Source(rng.randbytes(96)), seeds, words)
        try:
            mutated_text = json.dumps(mutated, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):
            continue  # NaN, Decimals, too deep: no JSON text to read
        accepted += accelerator.parse(mutated_text) is not None
        mirrored += accelerator.read_objects(mutated_text, Alliance) is not None
        assert_same(mutated_text)
    # The sample reaches the accelerated paths, not only the full parser.
    assert accepted > 0
    assert mirrored > 0


# --- the switch ------------------------------------------------------------------------------


def test_msgspec_is_imported_only_once_it_pays() -> None:
    """Not by ``import willkommen``, nor for one small file: once the documents read add up to a megabyte."""
    script = (
        "import sys, willkommen\n"
        "from willkommen._api import ACCELERATE_AFTER\n"
        "assert 'msgspec' not in sys.modules, 'imported by import willkommen'\n"
        "text = open('examples/bautzen.json', 'rb').read()\n"
        "willkommen.loads(text)\n"
        "assert 'msgspec' not in sys.modules, 'imported for one small file'\n"
        "willkommen.loads(text + b' ' * ACCELERATE_AFTER)\n"
        "print('msgspec' in sys.modules)\n"
    )
    # As installed: the switch as its default (CI also runs the suite with it off).
    environment = {k: v for k, v in os.environ.items() if k != accelerator.ENVIRONMENT_VARIABLE}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, env=environment
    )
    assert done.stdout.strip() == "True"


def test_a_process_parses_its_first_megabyte_without_loading_msgspec(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without msgspec loaded, the text read counts up to ACCELERATE_AFTER before the accelerator parses."""
    from willkommen import _api

    parsed: list[str | bytes] = []
    mirrored: list[str | bytes] = []

    def parse_and_hand_over(text: str | bytes) -> None:
        parsed.append(text)  # None: the full parser reads it, as for anything the accelerator hands over

    def read_and_hand_over(text: str | bytes, cls: type) -> None:
        assert cls is Alliance
        mirrored.append(text)  # None: the mirror structs hand over too

    accelerator.set_active(active=True)
    monkeypatch.setattr(accelerator, "parse", parse_and_hand_over)
    monkeypatch.setattr(accelerator, "read_objects", read_and_hand_over)
    monkeypatch.delitem(sys.modules, "msgspec")
    monkeypatch.setattr(_api, "_text_read", 0)
    text = (ROOT / "examples" / "bautzen.json").read_bytes()
    assert willkommen.loads(text).id == "bautzen"
    assert (mirrored, parsed) == ([], [])
    monkeypatch.setattr(_api, "_text_read", _api.ACCELERATE_AFTER - len(text))
    assert willkommen.loads(text).id == "bautzen"
    assert (mirrored, parsed) == ([text], [text])


def test_the_environment_switches_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """WILLKOMMEN_ACCELERATOR=off reads without msgspec, although it is installed."""
    monkeypatch.setenv(accelerator.ENVIRONMENT_VARIABLE, "off")
    accelerator.set_active(active=None)
    assert not accelerator.active()
    monkeypatch.setenv(accelerator.ENVIRONMENT_VARIABLE, "on")
    accelerator.set_active(active=None)
    assert accelerator.active()


def test_without_msgspec_it_stays_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where msgspec is not installed, switching the accelerator on leaves it off, and reading works as before."""
    monkeypatch.setattr(accelerator, "installed", lambda: False)
    accelerator.set_active(active=True)
    assert not accelerator.active()
    assert willkommen.loads((ROOT / "examples" / "bautzen.json").read_bytes()).id == "bautzen"


def test_a_caller_int_limit_goes_to_the_full_parser() -> None:
    """Under a caller's int-to-text limit, integers are read by the library's own digits: not by msgspec."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(1000)
    try:
        assert accelerator.parse(b'{"a": 1}') is None
    finally:
        sys.set_int_max_str_digits(old)
