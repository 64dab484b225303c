"""Fuzz willkommen's readers for a fixed time: any input must get an answer.

Run it outside CI, from the repository root::

    .venv/bin/pip install atheris                        # once; coverage-guided (libFuzzer)
    .venv/bin/python fuzz/fuzz_loads.py --seconds 60
    .venv/bin/python fuzz/fuzz_loads.py --seconds 60 --engine random   # without atheris
    .venv/bin/python fuzz/fuzz_loads.py --seconds 60 --target cli      # the command line

Every input is one of two things, chosen by its first byte:

* **bytes**: given to ``willkommen.loads`` as they are (seeded with valid
  documents and a dictionary of JSON tokens, field names and enum words);
* **a mutated document**: a valid document (shipped example or generated)
  with one value replaced, or one key added, by a value built from the input
  (any JSON type, huge integers, NaN, lone surrogates, deep nesting), given
  to ``check`` and ``load`` as data and to ``loads`` as JSON text.

With ``--target cli`` every input becomes a folder of two files, ``a.json``
and ``b.jsonl`` (the input's bytes, or JSON Lines of seed documents with one
line mutated or raw, LF or CRLF), checked by ``willkommen validate`` in
process, as text and as JSON, with an ASCII or UTF-8 standard output, in
English or German, strict or not. Its oracle: exit code 0 or 1 as the records
call for, nothing on standard error, a JSON report that parses and says of
every record (one per non-blank line) what ``loads`` says, and a text report
of one printable line per problem (and per note of rules that could not run)
and a summary.

The library's oracle: ``check`` never raises; ``load``/``loads`` raise nothing but
``ValidationError`` (with at least one error, ``load`` with exactly the
problems ``check`` finds); what they return has no errors and comes back
equal from ``loads(dumps(x).encode("utf-8"))``. Anything else is a crash: it
is counted by signature (exception type and the innermost willkommen line),
its input saved in the crash folder, and fuzzing goes on (``--stop-on-crash``
stops at the first). The summary line at the end gives inputs tried and
crashes found; ``docs/robustness.md`` records the last run.

Replay saved inputs with ``--replay FILE...``.
"""

# A script, not a module: it prints, and it imports willkommen late, because
# atheris must instrument the package as it is first imported.
# ruff: noqa: PLC0415, S311

from __future__ import annotations

import argparse
import atexit
import contextlib
import copy
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent

# --- the oracle -------------------------------------------------------------------------


class OracleError(AssertionError):
    """An answer that breaks a promise without raising: a wrong refusal or a changed round trip."""


def _valid_and_writable(willkommen: Any, value: object) -> None:
    if any(p.is_error for p in willkommen.check(value)):
        raise OracleError("returned an object that has errors")
    text = willkommen.dumps(value).encode("utf-8")
    if willkommen.loads(text) != value:
        raise OracleError("loads(dumps(x)) != x")


def check_text(willkommen: Any, text: bytes | str) -> None:
    """loads() raises only ValidationError, or returns a valid, writable object."""
    try:
        value = willkommen.loads(text)
    except willkommen.ValidationError as exc:
        if not any(p.is_error for p in exc.problems):
            raise OracleError("ValidationError without an error") from None
        return
    _valid_and_writable(willkommen, value)


def check_data(willkommen: Any, data: object) -> None:
    """check() never raises; load() raises ValidationError exactly when check() finds an error."""
    problems = willkommen.check(data)
    try:
        value = willkommen.load(data)
    except willkommen.ValidationError as exc:
        if exc.problems != tuple(problems) or not any(p.is_error for p in problems):
            raise OracleError("load() refused with other problems than check() found") from None
        return
    if any(p.is_error for p in problems):
        raise OracleError("load() accepted data check() finds errors in")
    _valid_and_writable(willkommen, value)


# --- building inputs ------------------------------------------------------------------------


class Source:
    """What an input offers to build from: small numbers, text, bytes (atheris or Hypothesis behind it)."""

    def __init__(self, data: bytes) -> None:
        """Read from *data*, from its start."""
        self.data = data
        self.at = 0
        #: What was built from the input, for the crash report (a replay needs the same seeds).
        self.note = "the input's bytes (after the first) given to loads()"

    def byte(self) -> int:
        """The next byte, 0 once the input is used up."""
        if self.at >= len(self.data):
            return 0
        self.at += 1
        return self.data[self.at - 1]

    def below(self, n: int) -> int:
        """A number from 0 to n - 1."""
        value = 0
        for _ in range(min(4, max(1, (n.bit_length() + 7) // 8))):
            value = value * 256 + self.byte()
        return value % n if n > 0 else 0

    def chunk(self, limit: int) -> bytes:
        """Up to *limit* bytes."""
        size = self.below(limit + 1)
        piece = self.data[self.at : self.at + size]
        self.at += len(piece)
        return piece

    def text(self, limit: int = 24) -> str:
        """Any text, lone surrogates included (the decoder allows them)."""
        units = self.chunk(limit * 2)
        units = units[: len(units) // 2 * 2]
        return units.decode("utf-16-le", "surrogatepass" if self.byte() % 4 == 0 else "ignore")

    def rest(self) -> bytes:
        """Whatever is left."""
        piece = self.data[self.at :]
        self.at = len(self.data)
        return piece


def _vocabulary(willkommen: Any, nrw: Any) -> list[str]:
    import attrs

    words: set[str] = {"nrw-alliance", "$type", "schema_version", "2017-09-26", "2017-02-30", "20170926"}
    for name in dir(willkommen):
        cls = getattr(willkommen, name)
        if isinstance(cls, type) and attrs.has(cls):
            words.update(f.name for f in attrs.fields(cls))
    words.update(f.name for f in attrs.fields(nrw.NrwAlliance))
    words.update(f.name for f in attrs.fields(nrw.TargetGroup))
    for enum_class in (
        willkommen.AllianceOrigin,
        willkommen.CoachingTask,
        willkommen.Horizon,
        willkommen.MeasureStatus,
        willkommen.LocalAuthorityKind,
        willkommen.OfferingType,
        willkommen.PartnerKind,
        willkommen.State,
        willkommen.Theme,
        nrw.ResidenceStatus,
    ):
        words.update(str(m.value) for m in enum_class)
    for program in willkommen.programs.registered():
        words.add(program.id)
        words.update(o.id for o in program.service_offices)
    return sorted(words)


def build_value(source: Source, words: list[str], depth: int = 0) -> object:
    """A value of any JSON type, and some that JSON text cannot carry."""
    choice = source.below(14 if depth < 4 else 9)
    simple: list[Callable[[], object]] = [
        lambda: None,
        lambda: bool(source.byte() % 2),
        lambda: int.from_bytes(source.chunk(12), "big", signed=True),
        lambda: [float("nan"), float("inf"), -float("inf"), 0.1, 1e308, -0.0, 33.3][source.below(7)],
        source.text,
        lambda: words[source.below(len(words))],
        # Integers too long for JSON text, and Decimals JSON has no word for.
        lambda: (-1) ** source.byte() * 10 ** (4000 + source.below(7000)),
        lambda: Decimal(["NaN", "sNaN", "-Infinity", "1E+400", "0.1"][source.below(5)]),
        lambda: "x" * (source.below(2) * 1_000_000),
    ]
    if choice < len(simple):
        return simple[choice]()
    if choice in (9, 10):
        return [build_value(source, words, depth + 1) for _ in range(source.below(4))]
    if choice in (11, 12):
        return {words[source.below(len(words))]: build_value(source, words, depth + 1) for _ in range(source.below(4))}
    # Deep nesting, built without recursion.
    value: object = build_value(source, words, depth + 1)
    for _ in range(source.below(3000)):
        value = [value] if source.byte() % 2 else {"coach": value}
    return value


# Numbers near every limit the arithmetic has, as JSON text: decimal's exponent range (10**18), float's
# range and its subnormals, 15 to 17 significant digits, the int/str limit (4,300 digits) and the
# digits any limit allows (600).
_EXPONENTS = [18, 19, 20, 308, 309, 323, 324, 325, 400, 999999, 999999999999999999, 1000000000000000000]
_DIGITS = [15, 16, 17, 599, 600, 601, 4299, 4300, 4301, 5000]


def hostile_number(source: Source) -> str:
    """The text of a JSON number near one of the limits."""
    sign = "-" if source.byte() % 2 else ""
    kind = source.below(4)
    if kind == 0:
        exponent = _EXPONENTS[source.below(len(_EXPONENTS))] + source.below(3) - 1
        return f"{sign}{1 + source.below(9)}e{'-' if source.byte() % 2 else '+'}{exponent}"
    digits = "".join(str(source.below(10)) for _ in range(_DIGITS[source.below(len(_DIGITS))]))
    digits = "1" + digits[1:]
    if kind == 1:
        return sign + digits  # an integer of that many digits
    if kind == 2:
        return f"{sign}{digits[:1]}.{digits[1:] or '0'}"  # that many significant digits
    return f"{sign}0.{'0' * source.below(400)}{digits[: 1 + source.below(20)]}"  # far below 1


_NUMBER_MARK = "\u0000number\u0000"


def document_with_number(source: Source, seeds: list[dict[str, Any]], words: list[str]) -> str:
    """JSON text of a seed document with one value replaced by a number near a limit, as text."""
    number = hostile_number(source)
    document: Any = copy.deepcopy(seeds[source.below(len(seeds))])
    places = [place for place in _places(document) if place]
    path = places[source.below(len(places))]
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = "\x00number\x00"
    source.note = f"the number {number[:60]!r} at /{'/'.join(map(str, path))}"
    return json.dumps(document).replace(json.dumps("\x00number\x00"), number)


def _places(node: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield path
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _places(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _places(child, (*path, index))


def mutate_document(source: Source, seeds: list[dict[str, Any]], words: list[str]) -> object:
    """A seed document with one value replaced, or one key added, by a built value."""
    index = source.below(len(seeds))
    document: Any = copy.deepcopy(seeds[index])
    places = list(_places(document))
    path = places[source.below(len(places))]
    value = build_value(source, words)
    pointer = "".join(f"/{part}" for part in path)
    source.note = f"seed {index} (id {document.get('id')!r}) with {_describe(value)} at {pointer or 'the top'}"
    if not path:
        return value
    node = document
    for part in path[:-1]:
        node = node[part]
    target = node[path[-1]]
    if isinstance(target, dict) and source.byte() % 2:
        key = words[source.below(len(words))] if source.byte() % 2 else source.text()
        target[key] = value
        source.note = source.note.replace(" at ", f" added as key {key!r} in ")
    else:
        node[path[-1]] = value
    return document


def _describe(value: object) -> str:
    """A short description of a built value (some cannot be printed: 10,000-digit integers)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"an int of {len(str(abs(value))) if value.bit_length() < 14000 else 'over 4300'} digits"
    if isinstance(value, str):
        return f"a str of {len(value)} characters {value[:40]!r}"
    if isinstance(value, list | dict):
        depth, inner = 0, value
        while isinstance(inner, list | dict) and inner:
            inner = next(iter(inner.values())) if isinstance(inner, dict) else inner[0]
            depth += 1
        return f"a {type(value).__name__} of {len(value)} item(s), {depth} deep"
    return repr(value)


# --- the run -------------------------------------------------------------------------------


class Run:
    """Counts inputs and crashes; saves one input per crash signature."""

    def __init__(self, crash_dir: Path, *, stop_on_crash: bool) -> None:
        """Save crashing inputs in *crash_dir*; re-raise the first crash if *stop_on_crash*."""
        self.crash_dir = crash_dir
        self.stop_on_crash = stop_on_crash
        self.inputs = 0
        self.crashes = 0
        self.signatures: dict[str, Path] = {}
        self.started = time.monotonic()

    def crash(self, data: bytes, exc: BaseException, note: str) -> None:
        """Count a crash; keep the first input of each signature, with its traceback."""
        self.crashes += 1
        signature = _signature(exc)
        if signature in self.signatures:
            return
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()[:12]
        path = self.crash_dir / f"crash-{digest}.bin"
        path.write_bytes(data)
        trace = "".join(traceback.format_exception(exc))
        report = f"{signature}\n\ninput: {note}\n\n{trace[-6000:]}"
        path.with_suffix(".txt").write_text(report, encoding="utf-8", errors="replace")
        self.signatures[signature] = path
        print(f"\nNEW CRASH {signature}\n  input: {path}", file=sys.stderr, flush=True)

    def summary(self) -> str:
        """The line docs/robustness.md quotes."""
        seconds = time.monotonic() - self.started
        lines = [
            f"inputs tried: {self.inputs} in {seconds:.0f} s; crashes: {self.crashes} ({len(self.signatures)} distinct)"
        ]
        lines.extend(f"  {sig}\n    {path}" for sig, path in self.signatures.items())
        return "\n".join(lines)


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "/willkommen/" in f.filename.replace(os.sep, "/")]
    where = inside[-1] if inside else (frames[-1] if frames else None)
    place = f"{Path(where.filename).name}:{where.lineno} in {where.name}" if where else "?"
    message = str(exc).split("\n", 1)[0][:80] if isinstance(exc, OracleError) else ""
    return f"{type(exc).__name__} at {place} {message}".rstrip()


@contextlib.contextmanager
def changed_state(source: Source) -> Iterator[str]:
    """The caller's process state, changed as an application might: the answers must not change."""
    import decimal

    kind = source.below(5)
    limits = (sys.get_int_max_str_digits(), sys.getrecursionlimit())
    try:
        with decimal.localcontext() as context, warnings.catch_warnings():
            if kind == 0:
                context.prec = 1 + source.below(5)
                context.rounding = [decimal.ROUND_FLOOR, decimal.ROUND_UP, decimal.ROUND_HALF_DOWN][source.below(3)]
                context.traps[decimal.Inexact] = context.traps[decimal.Rounded] = bool(source.byte() % 2)
                context.traps[decimal.InvalidOperation] = bool(source.byte() % 2)
            elif kind == 1:
                sys.set_int_max_str_digits([640, 0, 100_000][source.below(3)])
            elif kind == 2:
                # As low as the caller's own stack allows, or high.
                low = len(traceback.extract_stack()) + 40
                sys.setrecursionlimit([low, 100_000][source.below(2)])
            elif kind == 3:
                warnings.simplefilter("error")
            yield ["decimal context", "int/str limit", "recursion limit", "warnings as errors", "none"][kind]
    finally:
        sys.set_int_max_str_digits(limits[0])
        sys.setrecursionlimit(limits[1])


def _answer(willkommen: Any, text: str) -> object:
    from willkommen import reads

    return sorted((p.code, p.path, p.message) for p in reads(text).problems)


def check_state(willkommen: Any, source: Source, text: str) -> None:
    """The same answers for JSON text whatever the caller's process state."""
    expected = _answer(willkommen, text)
    with changed_state(source) as what:
        got = _answer(willkommen, text)
    if got != expected:
        raise OracleError(f"answers changed under a changed {what}")


def make_target(run: Run, willkommen: Any, seeds: list[dict[str, Any]], words: list[str]) -> Callable[[bytes], None]:
    """The function each input goes to."""

    def one_input(data: bytes) -> None:
        run.inputs += 1
        source = Source(data)
        try:
            kind = source.byte() % 4
            if kind == 3:
                text = document_with_number(source, seeds, words)
                check_text(willkommen, text)
                check_state(willkommen, source, text)
            elif kind % 2 == 0:
                raw = source.rest()
                check_text(willkommen, raw)
                with contextlib.suppress(UnicodeDecodeError):
                    check_text(willkommen, raw.decode("utf-8"))
            else:
                document = mutate_document(source, seeds, words)
                check_data(willkommen, document)
                try:
                    text = json.dumps(document)
                except (ValueError, TypeError, RecursionError):
                    return  # not writable as JSON text: checked as data above
                check_text(willkommen, text)
                if source.byte() % 4 == 0:
                    check_state(willkommen, source, text)
        except Exception as exc:  # every failure is a finding
            run.crash(data, exc, source.note)
            if run.stop_on_crash:
                raise

    return one_input


# --- the command line -------------------------------------------------------------------------

# JSON's whitespace (RFC 8259, section 2): a line of nothing else holds no record.
_JSON_BLANKS = b" \t\r\n"


def _expected_records(name: str, content: bytes, *, strict: bool) -> tuple[list[tuple[int | None, bool, int]], int]:
    """What ``reads`` says of each record of one file: (line, valid, number of problems); and the notes."""
    from willkommen import reads

    chunks = content.split(b"\n") if name.endswith(".jsonl") else [content]
    records = []
    notes = 0
    for number, chunk in enumerate(chunks, start=1):
        if name.endswith(".jsonl") and not chunk.strip(_JSON_BLANKS):
            continue
        reading = reads(chunk)
        problems = reading.problems
        notes += bool(reading.skipped)
        failing = [p for p in problems if p.is_error or strict]
        records.append((number if name.endswith(".jsonl") else None, not failing, len(problems)))
    return records, notes


def check_cli(folder: Path, documents: dict[str, bytes], options: dict[str, Any]) -> None:
    """``willkommen validate`` over a folder of these files, as text and as JSON, agrees with the library.

    Exit code 0 or 1, never a traceback; the JSON report is JSON in the output
    encoding and says of every record what ``loads`` says of it (JSON Lines:
    one record per line that is not blank, numbered); the text report has a
    printable line per problem, a note per record where rules could not run,
    and a summary.
    """
    from willkommen import _cli

    for stale in folder.iterdir():
        stale.unlink()
    expected: dict[str, list[tuple[int | None, bool, int]]] = {}
    notes = 0
    for name, content in documents.items():
        (folder / name).write_bytes(content)
        expected[name], file_notes = _expected_records(name, content, strict=options["strict"])
        notes += file_notes
    argv = ["validate", "--lang", options["lang"], *(["--strict"] if options["strict"] else []), str(folder)]
    invalid = any(not valid for records in expected.values() for _, valid, _ in records)

    if options["streams"] == "stdout full":
        # A full disk under the report: exit code 4 and one line on standard error, whatever the data.
        code, _ = _run_cli(_cli, [*argv, "--format", "json"], options["encoding"], stdout_full=True)
        if code != 4:
            raise OracleError(f"exit code {code} with a full standard output, expected 4")
        return
    broken_stderr = options["streams"] == "stderr broken"
    code, out = _run_cli(_cli, [*argv, "--format", "json"], options["encoding"], broken_stderr=broken_stderr)
    if code != (1 if invalid else 0):
        raise OracleError(f"exit code {code}, expected {1 if invalid else 0}")
    report = json.loads(out)
    got = {
        Path(file["path"]).name: [(r["line"], r["valid"], len(r["problems"])) for r in file["records"]]
        for file in report["files"]
    }
    if got != expected:
        raise OracleError(f"the JSON report disagrees with loads(): {got} != {expected}")

    code, out = _run_cli(_cli, argv, options["encoding"], broken_stderr=broken_stderr)
    if code != (1 if invalid else 0):
        raise OracleError(f"exit code {code} of the text report, expected {1 if invalid else 0}")
    lines = out.splitlines()
    problems = sum(count for records in expected.values() for _, _, count in records)
    if len(lines) != problems + notes + 1 or not all(text.isprintable() for text in lines):
        raise OracleError("the text report is not one printable line per problem and note, and a summary")


class _Full(io.TextIOWrapper):
    """A stream on a full disk: every write fails."""

    def write(self, text: str) -> int:
        del text
        raise OSError(28, "No space left on device")


class _BrokenStream(io.StringIO):
    """A standard error whose reader is gone: every write fails."""

    def write(self, text: str) -> int:
        del text
        raise BrokenPipeError(32, "Broken pipe")


def _run_cli(
    cli: Any, argv: list[str], encoding: str, *, broken_stderr: bool = False, stdout_full: bool = False
) -> tuple[int, str]:
    """Run the command line in-process with standard output in *encoding*; its exit code and output."""
    buffer = io.BytesIO()
    stdout = (_Full if stdout_full else io.TextIOWrapper)(buffer, encoding=encoding, write_through=True)
    stderr = _BrokenStream() if broken_stderr else io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(argv)
    said = "" if broken_stderr else stderr.getvalue()
    if stdout_full:
        if said.count("\n") != 1:
            raise OracleError(f"not one line on standard error for a full output: {said[:200]!r}")
    elif said:
        raise OracleError(f"wrote to standard error: {said[:200]!r}")
    return code, buffer.getvalue().decode(encoding)


# Folders to remove at the end: at exit, and before atheris' os._exit, which skips atexit.
_SCRATCH: list[Path] = []


@atexit.register
def _remove_scratch() -> None:
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def make_cli_target(
    run: Run, willkommen: Any, seeds: list[dict[str, Any]], words: list[str]
) -> Callable[[bytes], None]:
    """The function each input goes to with ``--target cli``: a folder of two files for the command line."""
    folder = Path(tempfile.mkdtemp(prefix="willkommen-fuzz-cli-"))
    _SCRATCH.append(folder)
    seed_lines = [json.dumps(seed, ensure_ascii=False).encode() for seed in seeds]

    def one_input(data: bytes) -> None:
        run.inputs += 1
        source = Source(data)
        try:
            options = {
                "encoding": "ascii" if source.byte() % 2 else "utf-8",
                "lang": "de" if source.byte() % 2 else "en",
                "strict": source.byte() % 4 == 0,
                "streams": ["as usual", "as usual", "stderr broken", "stdout full"][source.below(4)],
            }
            if source.byte() % 2:
                # Seed documents as JSON Lines, one line a mutated document or raw bytes.
                lines = [seed_lines[source.below(len(seed_lines))] for _ in range(1 + source.below(4))]
                document = mutate_document(source, seeds, words)
                try:
                    broken = json.dumps(document, ensure_ascii=source.byte() % 2 == 0).encode("utf-8")
                except (ValueError, TypeError, RecursionError, UnicodeEncodeError):
                    broken = source.chunk(256)
                lines.insert(source.below(len(lines) + 1), broken)
                end = b"\r\n" if source.byte() % 2 else b"\n"
                documents = {"a.json": broken, "b.jsonl": end.join(lines)}
            else:
                source.note = "the input's bytes (after the first four) as a.json and as b.jsonl"
                raw = source.rest()
                documents = {"a.json": raw, "b.jsonl": raw}
            source.note += f"; options {options}"
            check_cli(folder, documents, options)
        except Exception as exc:  # every failure is a finding
            run.crash(data, exc, source.note)
            if run.stop_on_crash:
                raise

    return one_input


def _targets(args: argparse.Namespace) -> Callable[..., Callable[[bytes], None]]:
    return make_cli_target if args.target == "cli" else make_target


def _seeds(willkommen: Any, nrw: Any, count: int) -> list[dict[str, Any]]:
    from willkommen._example import example_document

    seeds = [example_document(), nrw.example_document()]
    seeds.extend(json.loads(p.read_text(encoding="utf-8")) for p in sorted((_ROOT / "examples").glob("*.json")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from hypothesis import HealthCheck, given, settings

        from willkommen.testing import alliances

        # Derandomized: a replay builds the same seeds as the run that saved the input.
        @settings(
            max_examples=max(count, 1),
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            deadline=None,
        )
        @given(alliances())
        def collect(alliance: Any) -> None:
            seeds.append(willkommen.dump(alliance))

        if count:
            collect()
    return seeds


def _write_seed_corpus(directory: Path, seeds: list[dict[str, Any]], words: list[str]) -> None:
    for index, seed in enumerate(seeds):
        # First byte even: read as bytes. Odd: a mutated document.
        (directory / f"seed-{index}.json").write_bytes(b" " + json.dumps(seed, ensure_ascii=False).encode())
        (directory / f"seed-{index}.mut").write_bytes(bytes([1, index % 256]) + os.urandom(64))
    # libFuzzer's dictionary: one quoted token a line, bytes other than printable ASCII as \xNN.
    tokens = [json.dumps(w, ensure_ascii=False) for w in words]
    tokens += [t + ":" for t in tokens]
    tokens += ["NaN", "Infinity", "-Infinity", '"\\ud800"', '"\\u0000"', "\ufeff", "1e400", "9" * 30, "{}", "[]"]
    # Line ends and the control characters around them, for JSON Lines (--target cli).
    tokens += ["\n", "\r\n", "\n\x0c\n", "\n\x0b\n", "\n\x00\n", "\n \t\n"]
    lines = [f'token{i}="{_dictionary_escape(t.encode())}"' for i, t in enumerate(tokens)]
    (directory.parent / "json.dict").write_text("\n".join(lines) + "\n", encoding="ascii")


def _dictionary_escape(token: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 and b not in b'"\\' else f"\\x{b:02x}" for b in token)


def _with_atheris(args: argparse.Namespace, run: Run, crash_dir: Path) -> None:
    import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

    with atheris.instrument_imports(include=["willkommen", "cattrs"]):
        import willkommen
        import willkommen.nrw

    words = _vocabulary(willkommen, willkommen.nrw)
    seeds = _seeds(willkommen, willkommen.nrw, args.generated)
    corpus = Path(args.corpus) if args.corpus else Path(tempfile.mkdtemp(prefix="willkommen-corpus-")) / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    _write_seed_corpus(corpus, seeds, words)
    target = _targets(args)(run, willkommen, seeds, words)
    deadline = run.started + args.seconds

    def timed(data: bytes) -> None:
        if time.monotonic() >= deadline:
            print("\n" + run.summary(), flush=True)
            _remove_scratch()
            os._exit(0)
        target(data)

    libfuzzer = [
        sys.argv[0],
        str(corpus),
        f"-dict={corpus.parent / 'json.dict'}",
        f"-max_total_time={int(args.seconds) + 30}",
        "-max_len=65536",
        f"-artifact_prefix={crash_dir}/",
        "-print_final_stats=1",
    ]
    if args.seed is not None:
        libfuzzer.append(f"-seed={args.seed}")
    print(f"atheris: corpus {corpus}, crashes to {crash_dir}", flush=True)
    atheris.Setup(libfuzzer, timed)
    atheris.Fuzz()


def _with_random(args: argparse.Namespace, run: Run) -> None:
    import random

    import willkommen
    import willkommen.nrw

    words = _vocabulary(willkommen, willkommen.nrw)
    seeds = _seeds(willkommen, willkommen.nrw, args.generated)
    seed_texts = [json.dumps(s, ensure_ascii=False).encode() for s in seeds]
    target = _targets(args)(run, willkommen, seeds, words)
    rng = random.Random(args.seed)
    deadline = run.started + args.seconds
    # Random inputs, a quarter of them a seed document with a few bytes damaged.
    while time.monotonic() < deadline:
        if rng.random() < 0.25:
            text = bytearray(b"\x00" + rng.choice(seed_texts))
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(1, len(text))
                text[at : at + rng.randint(0, 3)] = rng.randbytes(rng.randint(0, 3))
            target(bytes(text))
        else:
            target(rng.randbytes(rng.randint(1, 512)))
    print("\n" + run.summary(), flush=True)


def _replay(files: list[str], args: argparse.Namespace) -> None:
    import willkommen
    import willkommen.nrw

    words = _vocabulary(willkommen, willkommen.nrw)
    seeds = _seeds(willkommen, willkommen.nrw, args.generated)
    run = Run(Path(tempfile.mkdtemp(prefix="willkommen-replay-")), stop_on_crash=True)
    target = _targets(args)(run, willkommen, seeds, words)
    for name in files:
        print(f"replaying {name}", flush=True)
        target(Path(name).read_bytes())
    print("no crash", flush=True)


def main() -> None:
    """Parse the options and fuzz until the time is up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long to fuzz (default 60)")
    parser.add_argument(
        "--engine",
        choices=["atheris", "random"],
        default="atheris",
        help="atheris: coverage-guided (default); random: plain random inputs, where atheris is not available",
    )
    parser.add_argument(
        "--target",
        choices=["library", "cli"],
        default="library",
        help="library: loads, load and check (default); cli: `willkommen validate` on a folder of two files",
    )
    parser.add_argument("--corpus", help="a folder for libFuzzer's corpus (default: a new temporary folder)")
    parser.add_argument("--crash-dir", help="where crashing inputs go (default: a new temporary folder)")
    parser.add_argument("--generated", type=int, default=20, help="generated valid documents to seed with")
    parser.add_argument("--seed", type=int, help="random seed, to repeat a run")
    parser.add_argument("--stop-on-crash", action="store_true", help="stop at the first crash")
    parser.add_argument("--replay", nargs="+", metavar="FILE", help="run saved inputs once and stop")
    args = parser.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    if args.replay:
        _replay(args.replay, args)
        return
    crash_dir = Path(args.crash_dir) if args.crash_dir else Path(tempfile.mkdtemp(prefix="willkommen-crashes-"))
    crash_dir.mkdir(parents=True, exist_ok=True)
    run = Run(crash_dir, stop_on_crash=args.stop_on_crash)
    if args.engine == "atheris":
        _with_atheris(args, run, crash_dir)
    else:
        _with_random(args, run)


if __name__ == "__main__":
    main()
