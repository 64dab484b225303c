"""Benchmark willkommen against pydantic v2 and msgspec, side by side in one run.

    .venv/bin/python benchmarks/run.py            # full run, about 3-5 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats and records, under a minute
    .venv/bin/python benchmarks/run.py --only load --only dump
    .venv/bin/python benchmarks/run.py --write    # also refresh docs/performance.md

Sections: load (JSON bytes to a checked object), dump (object to JSON bytes), check
(the rules on an object in memory), startup (the command line on one small file, as a
whole process), jsonl (100,000 alliances through ``willkommen validate``), growth
(load time against the number of coaching sessions).

Ratios follow the targets: *rival time / willkommen time*, so 1.0 or more means
willkommen is at least as fast; a start-up ratio is *willkommen time / baseline time*.
In-process times are the fastest of many blocks of calls (``time.perf_counter``), the
candidates interleaved so that drift of the machine hits all of them alike: on a shared
machine other work only ever adds time, so the fastest block is the closest to what
the code costs (``--median`` takes the median of the blocks instead).
"""

import argparse
import contextlib
import datetime as dt
import gc
import importlib
import importlib.metadata
import importlib.util
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

import corpus
import rivals

import willkommen
import willkommen.nrw  # registers the tag of the tagged NRW document, in every section alike

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- benchmark results: begin (written by benchmarks/run.py --write) -->"
END = "<!-- benchmark results: end -->"
SECTIONS = ("load", "dump", "check", "startup", "jsonl", "growth")
RUN = ".venv/bin/python benchmarks/run.py"


@dataclass(frozen=True)
class Settings:
    """How hard to measure: --quick trades precision for time."""

    quick: bool
    block_seconds: float  # one timed block of calls lasts about this long
    repeats: int  # blocks per candidate; the fastest counts (the median with --median)
    process_runs: int  # runs of each command in the start-up section
    jsonl_records: int
    median: bool = False

    @classmethod
    def make(cls, *, quick: bool, jsonl_records: int | None, median: bool = False) -> "Settings":
        if quick:
            return cls(
                quick=True,
                block_seconds=0.02,
                repeats=3,
                process_runs=10,
                jsonl_records=jsonl_records or 10_000,
                median=median,
            )
        return cls(
            quick=False,
            block_seconds=0.05,
            repeats=15,
            process_runs=40,
            jsonl_records=jsonl_records or 100_000,
            median=median,
        )


@dataclass(frozen=True)
class Target:
    """One performance target, as measured."""

    name: str
    goal: str
    measured: str
    met: bool | None  # None: could not be measured
    command: str


@dataclass
class Report:
    """The Markdown of every section that ran, and the targets they measured."""

    blocks: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # The ratios the targets name: [what, vs pydantic, vs msgspec, command]
    issue_ratios: list[list[str]] = field(default_factory=list)

    def add(self, title: str, intro: str, table: list[list[str]], notes: str = "") -> None:
        lines = [f"### {title}", "", intro, "", *_table(table)]
        if notes:
            lines += ["", notes]
        self.blocks.append("\n".join(lines))
        print("\n".join(lines), end="\n\n", flush=True)


# --- formatting ------------------------------------------------------------------------


def _table(rows: list[list[str]], *, numbers: bool = True) -> list[str]:
    # Numbers align right; the first column and tables of text align left.
    head, *body = rows
    aligns = ["--:" if numbers and i > 0 else "---" for i in range(len(head))]
    return ["| " + " | ".join(row) + " |" for row in (head, aligns, *body)]


def _time(seconds: float) -> str:
    micro = seconds * 1e6
    if micro >= 10_000:
        return f"{micro / 1000:,.1f} ms"
    return f"{micro:,.0f} µs" if micro >= 100 else f"{micro:.1f} µs"


def _ratio(value: float) -> str:
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


# --- with and without the accelerator (willkommen[fast]) -----------------------------------

FAST = "willkommen[fast]"
# The environment variable that switches the accelerator off in a process (see willkommen._accelerator).
OFF_SWITCH = {"WILLKOMMEN_ACCELERATOR": "off"}


def _accelerator() -> Any:
    """willkommen's accelerator switch if this willkommen has one and msgspec is installed, else None."""
    if importlib.util.find_spec("willkommen._accelerator") is None:
        return None
    module = importlib.import_module("willkommen._accelerator")
    return module if module.installed() else None


ACCELERATOR = _accelerator()


def ours(call: Callable[[], object]) -> dict[str, Callable[[], object]]:
    """willkommen's candidates: the pure install, and with the accelerator where it exists.

    Each call sets the switch first (one assignment), so blocks of the two can interleave.
    """
    if ACCELERATOR is None:
        return {"willkommen": call}
    switch = ACCELERATOR.set_active

    def pure() -> object:
        switch(active=False)
        return call()

    def fast() -> object:
        switch(active=True)
        return call()

    return {"willkommen": pure, FAST: fast}


def _ratios(times: dict[str, float], rival: str) -> str:
    """rival / willkommen, and rival / willkommen[fast] where measured."""
    text = _ratio(times[rival] / times["willkommen"])
    if FAST in times:
        text += f" ({FAST}: {_ratio(times[rival] / times[FAST])})"
    return text


# --- in-process timing -------------------------------------------------------------------


def _loops(call: Callable[[], object], block_seconds: float) -> int:
    """How many calls fill one block; the first calls warm caches (and cattrs' hooks)."""
    call()
    loops, elapsed = 1, 0.0
    while elapsed < block_seconds / 10:
        start = perf_counter()
        for _ in range(loops):
            call()
        elapsed = perf_counter() - start
        if elapsed < block_seconds / 10:
            loops *= 4
    return max(1, math.ceil(loops * block_seconds / max(elapsed, 1e-9)))


def measure(candidates: dict[str, Callable[[], object]], settings: Settings) -> dict[str, float]:
    """Median seconds per call of each candidate; blocks of the candidates interleave."""
    loops = {name: _loops(call, settings.block_seconds) for name, call in candidates.items()}
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    gc.collect()
    for _ in range(settings.repeats):
        for name, call in candidates.items():
            count = loops[name]
            start = perf_counter()
            for _ in range(count):
                call()
            samples[name].append((perf_counter() - start) / count)
    pick = statistics.median if settings.median else min
    return {name: pick(values) for name, values in samples.items()}


def _swallowing(
    loads: Callable[[bytes], object], errors: tuple[type[Exception], ...], data: bytes
) -> Callable[[], object]:
    """A call of *loads* on *data* that takes the refusal of invalid data as a result."""

    def call() -> object:
        try:
            return loads(data)
        except errors as exc:
            return exc

    return call


def _loaders(data: bytes, *, tagged: bool = False) -> dict[str, Callable[[], object]]:
    pd, ms = rivals.rival("pydantic"), rivals.rival("msgspec")
    # The rivals are handed the NRW class; willkommen finds it from "$type" among the registered tags.
    pd_loads, ms_loads = (pd.loads_nrw, ms.loads_nrw) if tagged else (pd.loads, ms.loads)
    return {
        **ours(_swallowing(willkommen.loads, (willkommen.ValidationError,), data)),
        "pydantic": _swallowing(pd_loads, (pd.ValidationError,), data),
        "msgspec": _swallowing(ms_loads, (ms.ValidationError,), data),
    }


TYPICAL = "typical"
TAGGED = "typical, tagged NRW (`$type`, a user subclass)"
INVALID = "typical, invalid (7 rule errors)"
INVALID_SHAPE = "typical, invalid shape (3 structural + rule errors)"


def section_load(report: Report, settings: Settings) -> None:
    cases = {size: corpus.by_size(size) for size in corpus.SIZES}
    cases[TAGGED] = corpus.tagged_nrw()
    cases[INVALID] = corpus.invalid()
    cases[INVALID_SHAPE] = corpus.invalid_shape()
    names = list(ours(lambda: None))
    rows = [["document", "bytes", *names, "pydantic", "msgspec", "pydantic / willkommen", "msgspec / willkommen"]]
    measured: dict[str, dict[str, float]] = {}
    for label, doc in cases.items():
        data = corpus.encode(doc)
        times = measure(_loaders(data, tagged=label == TAGGED), settings)
        measured[label] = times
        rows.append(
            [
                label,
                f"{len(data):,}",
                *(_time(times[name]) for name in names),
                _time(times["pydantic"]),
                _time(times["msgspec"]),
                _ratios(times, "pydantic"),
                _ratios(times, "msgspec"),
            ]
        )
    report.add(
        "Load: JSON bytes to a checked object",
        "`willkommen.loads(data)` against `Alliance.model_validate_json(data)` (pydantic, strict, rules in a"
        " model validator) and `msgspec.json.Decoder(Alliance).decode(data)` (rules in `__post_init__`)."
        " Invalid documents count as loaded when the library has raised its validation error. The tagged"
        " document is read by willkommen through its `$type`; the rivals are given its class (`NrwAlliance`).",
        rows,
        "willkommen runs all its rules (23, and the NRW extension's on the tagged document) and reports every"
        " problem with two messages; the rivals run the 10 rules chosen for the comparison, and msgspec stops at the"
        f" first structural error. Ratios in brackets are those of {FAST}, where it is installed.",
    )
    command = f"{RUN} --only load"
    report.issue_ratios.append(
        ["load, typical", _ratios(measured[TYPICAL], "pydantic"), _ratios(measured[TYPICAL], "msgspec"), command]
    )
    report.issue_ratios.append(
        ["load, tagged NRW", _ratios(measured[TAGGED], "pydantic"), _ratios(measured[TAGGED], "msgspec"), command]
    )
    for label in (INVALID, INVALID_SHAPE):
        report.issue_ratios.append(
            [
                f"load, {label.removeprefix('typical, ')}",
                _ratios(measured[label], "pydantic"),
                _ratios(measured[label], "msgspec"),
                command,
            ]
        )
    for label in (TYPICAL, TAGGED):
        times = measured[label]
        pd, ms, pure = times["pydantic"], times["msgspec"], times["willkommen"]
        report.targets.append(
            Target(
                f"Load, {label}, pure install",
                "pydantic / willkommen ≥ 0.6",
                _ratio(pd / pure),
                pd / pure >= 0.6,
                command,
            )
        )
        if FAST in times:
            fast = times[FAST]
            report.targets.append(
                Target(
                    f"Load, {label}, with {FAST}",
                    "pydantic / willkommen ≥ 1.5 and msgspec / willkommen ≥ 0.7",
                    f"{_ratio(pd / fast)} and {_ratio(ms / fast)}",
                    pd / fast >= 1.5 and ms / fast >= 0.7,
                    command,
                )
            )
        else:
            report.targets.append(
                Target(
                    f"Load, {label}, with {FAST}",
                    "pydantic / willkommen ≥ 1.5 and msgspec / willkommen ≥ 0.7",
                    f"{FAST} not available here",
                    None,
                    command,
                )
            )


def _every_problem_reported() -> tuple[bool, str]:
    """Whether willkommen reports every planted problem of the invalid documents."""
    expected = {
        "invalid": set(corpus.INVALID_FINDINGS),
        "invalid_shape": set(corpus.SHAPE_FINDINGS),
    }
    documents = {"invalid": corpus.invalid(), "invalid_shape": corpus.invalid_shape()}
    missing = 0
    for name, doc in documents.items():
        try:
            willkommen.loads(corpus.encode(doc))
        except willkommen.ValidationError as exc:
            found = {(p.code, p.path) for p in exc.problems}
            missing += len(expected[name] - found)
        else:
            missing += len(expected[name])
    total = sum(len(e) for e in expected.values())
    return missing == 0, f"{total - missing} of {total} planted problems reported"


def section_dump(report: Report, settings: Settings) -> None:
    pd, ms = rivals.rival("pydantic"), rivals.rival("msgspec")
    indented_names = list(ours(lambda: None))
    rows = [
        [
            "document",
            *indented_names,
            "willkommen, compact",
            "pydantic",
            "msgspec",
            "pydantic / willkommen",
            "pydantic / w. compact",
            "msgspec / w. compact",
        ]
    ]
    typical: dict[str, float] = {}
    for size in corpus.SIZES:
        data = corpus.encode(corpus.by_size(size))
        mine, theirs, fastest = willkommen.loads(data), pd.loads(data), ms.loads(data)
        times = measure(
            {
                **ours(lambda o=mine: willkommen.dumps(o).encode()),
                "compact": lambda o=mine: willkommen.dumps(o, indent=None).encode(),
                "pydantic": lambda o=theirs: pd.dumps(o),
                "msgspec": lambda o=fastest: ms.dumps(o),
            },
            settings,
        )
        if size == TYPICAL:
            typical = times
        c, p, m = times["compact"], times["pydantic"], times["msgspec"]
        rows.append(
            [
                size,
                *(_time(times[name]) for name in indented_names),
                _time(c),
                _time(p),
                _time(m),
                _ratios(times, "pydantic"),
                _ratio(p / c),
                _ratio(m / c),
            ]
        )
    report.add(
        "Dump: object to JSON bytes",
        "`willkommen.dumps(obj).encode()` (its default, indented by 2) and `willkommen.dumps(obj, indent=None)"
        ".encode()` against `obj.model_dump_json(exclude_none=True)` (pydantic) and `msgspec.json.encode(obj)`"
        " (Structs with `omit_defaults`). All write compact JSON but willkommen's default.",
        rows,
    )
    command = f"{RUN} --only dump"
    p = typical["pydantic"]
    report.issue_ratios.append(["dump, typical, indented (the default)", _ratios(typical, "pydantic"), "", command])
    report.issue_ratios.append(
        [
            "dump, typical, compact",
            _ratio(p / typical["compact"]),
            _ratio(typical["msgspec"] / typical["compact"]),
            command,
        ]
    )
    pure = typical["willkommen"]
    report.targets.append(
        Target(
            "Dump, typical document, indented, pure install",
            "pydantic / willkommen ≥ 0.5",
            _ratio(p / pure),
            p / pure >= 0.5,
            command,
        )
    )
    if FAST in typical:
        report.targets.append(
            Target(
                f"Dump, typical document, indented, with {FAST}",
                "pydantic / willkommen ≥ 1.0",
                _ratio(p / typical[FAST]),
                p / typical[FAST] >= 1.0,
                command,
            )
        )
    else:
        report.targets.append(
            Target(
                f"Dump, typical document, indented, with {FAST}",
                "pydantic / willkommen ≥ 1.0",
                f"{FAST} not available here",
                None,
                command,
            )
        )


def section_check(report: Report, settings: Settings) -> None:
    pd, ms = rivals.rival("pydantic"), rivals.rival("msgspec")
    import rival_rules  # noqa: PLC0415 - imported by the rivals already

    rows = [
        [
            "document",
            "willkommen",
            "rules on pydantic",
            "rules on msgspec",
            "pydantic / willkommen",
            "msgspec / willkommen",
        ]
    ]
    for size in corpus.SIZES:
        data = corpus.encode(corpus.by_size(size))
        ours, theirs, fastest = willkommen.loads(data), pd.loads(data), ms.loads(data)
        times = measure(
            {
                "willkommen": lambda o=ours: willkommen.check(o),
                "pydantic": lambda o=theirs: rival_rules.rules(o),
                "msgspec": lambda o=fastest: rival_rules.rules(o),
            },
            settings,
        )
        w, p, m = times["willkommen"], times["pydantic"], times["msgspec"]
        rows.append([size, _time(w), _time(p), _time(m), _ratio(p / w), _ratio(m / w)])
    report.add(
        "Check: the rules on an object in memory",
        "`willkommen.check(alliance)` (all 23 rules over every object) against the rivals' 10-rule subset"
        " as a plain function on their objects (neither rival re-validates an existing instance).",
        rows,
    )


# --- whole processes --------------------------------------------------------------------


@dataclass(frozen=True)
class Process:
    """One finished child process."""

    seconds: float
    returncode: int
    max_rss_kib: int  # peak resident memory of the child, from wait4


# A small process that starts the measured one and reports its time and peak memory.
# Started from this big process directly, a child would inherit our peak: Linux folds
# the peak RSS of the address space a process had before exec into its own.
_LAUNCHER = """
import os, sys, time
output, *argv = sys.argv[1:]
fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
actions = [(os.POSIX_SPAWN_DUP2, fd, 1), (os.POSIX_SPAWN_DUP2, fd, 2)]
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_process(argv: list[str], output: Path | None = None, env: dict[str, str] | None = None) -> Process:
    """Run *argv* to its end (output to *output*, *env* added to the environment); its wall time and peak memory."""
    launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(output or os.devnull), *argv]
    environment = {**os.environ, **(env or {})}
    report = subprocess.run(launcher, capture_output=True, text=True, check=True, cwd=ROOT, env=environment)  # noqa: S603 - our own commands
    seconds, returncode, max_rss_kib = report.stdout.split()
    return Process(float(seconds), int(returncode), int(max_rss_kib))


def _willkommen_command() -> list[str]:
    script = Path(sys.executable).with_name("willkommen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "willkommen"]


def _rival_command(name: str) -> list[str]:
    return [sys.executable, str(HERE / "rivals.py"), "validate", name]


def _compile_bytecode() -> None:
    """Write willkommen's bytecode, as installing a wheel does.

    attrs and cattrs were installed with their bytecode; an editable install of
    willkommen has none, and with PYTHONDONTWRITEBYTECODE set (as on our
    machines) every start would compile its modules again: an unfair start.
    """
    import compileall  # noqa: PLC0415
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("willkommen")
    assert spec is not None
    assert spec.origin is not None
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)


VALIDATE = "willkommen validate small.json"
BASELINE = 'python -c "import attrs, cattrs"'
NO_BYTECODE = "willkommen validate small.json, no bytecode of willkommen"


def section_startup(report: Report, settings: Settings, tmp: Path) -> None:
    _compile_bytecode()
    small = tmp / "small.json"
    small.write_bytes(corpus.encode(corpus.small()))
    python = sys.executable
    validate = [*_willkommen_command(), "validate", str(small)]
    # (argv, environment added)
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        VALIDATE: (validate, OFF_SWITCH),
        'python -c "import willkommen"': ([python, "-c", "import willkommen"], OFF_SWITCH),
        BASELINE: ([python, "-c", "import attrs, cattrs"], {}),
        "python -c pass": ([python, "-c", "pass"], {}),
        "rivals.py validate pydantic small.json": ([*_rival_command("pydantic"), str(small)], {}),
        "rivals.py validate msgspec small.json": ([*_rival_command("msgspec"), str(small)], {}),
        # How a measurement of an editable install gets 2×: where PYTHONDONTWRITEBYTECODE is
        # set (as on our machines) and nothing compiled willkommen, every start compiles it.
        NO_BYTECODE: (
            validate,
            {**OFF_SWITCH, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(tmp / "no-bytecode")},
        ),
    }
    if ACCELERATOR is not None:
        commands[f"{VALIDATE}, with {FAST}"] = (validate, {})
    for label, (argv, env) in commands.items():
        # One run each first: it fills the page cache and shows the command works.
        first = run_process(argv, tmp / "startup.out", env)
        if first.returncode != 0:
            msg = f"{label} failed ({first.returncode}): {(tmp / 'startup.out').read_text()[-2000:]}"
            raise RuntimeError(msg)
    samples: dict[str, list[Process]] = {label: [] for label in commands}
    for _ in range(settings.process_runs):
        for label, (argv, env) in commands.items():
            samples[label].append(run_process(argv, env=env))
    times = {label: statistics.median(p.seconds for p in runs) for label, runs in samples.items()}
    fastest = {label: min(p.seconds for p in runs) for label, runs in samples.items()}
    rss = {label: max(p.max_rss_kib for p in runs) for label, runs in samples.items()}
    bare = times["python -c pass"]
    base, base_min = times[BASELINE], fastest[BASELINE]
    rows = [["command", "median", "min", "minus `python -c pass`", "÷ `import attrs, cattrs` (median; min)", "peak"]]
    rows += [
        [
            f"`{label}`",
            _time(t),
            _time(fastest[label]),
            _time(t - bare),
            f"{_ratio(t / base)}; {_ratio(fastest[label] / base_min)}",
            f"{rss[label] / 1024:.0f} MB",
        ]
        for label, t in times.items()
    ]
    report.add(
        "Start-up: the command line on one small file",
        f"Whole processes, {settings.process_runs} runs of each command interleaved, median and fastest wall"
        " time, each started directly (no shell); `python` is the venv's interpreter with willkommen's bytecode"
        " written first, as installing a wheel does; `rivals.py validate` does what `willkommen validate` does"
        f" with a rival (argparse included). Without {FAST}: `WILLKOMMEN_ACCELERATOR=off`.",
        rows,
    )
    ours_t, ours_min = times[VALIDATE], fastest[VALIDATE]
    command = f"{RUN} --only startup"
    report.issue_ratios.append(
        [
            "start-up, `willkommen validate` ÷ `import attrs, cattrs` (median; min)",
            f"{_ratio(ours_t / base)}; {_ratio(ours_min / base_min)}",
            f"without bytecode: {_ratio(times[NO_BYTECODE] / base)}",
            command,
        ]
    )
    report.targets.append(
        Target(
            "Start-up, `willkommen validate` on one small file",
            'willkommen ÷ `python -c "import attrs, cattrs"` ≤ 1.5',
            f"{_ratio(ours_t / base)} (min: {_ratio(ours_min / base_min)};"
            f" pydantic CLI ÷ willkommen: {_ratio(times['rivals.py validate pydantic small.json'] / ours_t)},"
            f" msgspec CLI ÷ willkommen: {_ratio(times['rivals.py validate msgspec small.json'] / ours_t)})",
            ours_t / base <= 1.5,
            command,
        )
    )
    if ACCELERATOR is not None:
        fast = times[f"{VALIDATE}, with {FAST}"]
        report.targets.append(
            Target(
                f"Start-up, `willkommen validate` on one small file, with {FAST}",
                'willkommen ÷ `python -c "import attrs, cattrs"` ≤ 1.5',
                _ratio(fast / base),
                fast / base <= 1.5,
                command,
            )
        )


def _write_jsonl(path: Path, count: int) -> None:
    with path.open("wb") as out:
        out.writelines(corpus.jsonl_lines(count))


def jsonl_support(tmp: Path) -> tuple[bool, str]:
    """Whether ``willkommen validate`` reads JSON Lines: a valid file passes, a bad line fails."""
    good, bad, output = tmp / "probe.jsonl", tmp / "probe-bad.jsonl", tmp / "probe.out"
    _write_jsonl(good, 3)
    lines = list(corpus.jsonl_lines(3))
    lines[1] = corpus.encode(corpus.invalid()) + b"\n"
    bad.write_bytes(b"".join(lines))
    accepted = run_process([*_willkommen_command(), "validate", str(good)], output)
    said = output.read_text(errors="replace").replace(str(tmp) + "/", "").strip().splitlines()
    if accepted.returncode != 0:
        return False, f"a valid 3-line file fails (exit {accepted.returncode}): {' / '.join(said[-2:])}"
    refused = run_process([*_willkommen_command(), "validate", str(bad)], output)
    if refused.returncode != 1:
        return False, f"an invalid line is not reported (exit {refused.returncode})"
    return True, said[-1] if said else ""


def section_jsonl(report: Report, settings: Settings, tmp: Path) -> None:
    supported, why = jsonl_support(tmp)
    counts = (settings.jsonl_records // 10, settings.jsonl_records)
    rows = [["command", "records", "file", "time", "records/s", "peak memory"]]
    peaks: dict[int, float] = {}
    rates: dict[str, float] = {}
    for count in counts:
        path = tmp / f"alliances-{count}.jsonl"
        _write_jsonl(path, count)
        size = f"{path.stat().st_size / 1e6:,.1f} MB"
        commands = {
            "rivals.py validate pydantic": _rival_command("pydantic"),
            "rivals.py validate msgspec": _rival_command("msgspec"),
        }
        if supported:
            commands = {"willkommen validate": [*_willkommen_command(), "validate"], **commands}
        for label, argv in commands.items():
            done = run_process([*argv, str(path)], tmp / "jsonl.out")
            if done.returncode != 0:
                tail = (tmp / "jsonl.out").read_text(errors="replace")[-500:]
                msg = f"{label} on {count} valid records exited with {done.returncode}: {tail}"
                raise RuntimeError(msg)
            rows.append(
                [
                    f"`{label}`",
                    f"{count:,}",
                    size,
                    f"{done.seconds:.1f} s",
                    f"{count / done.seconds:,.0f}",
                    f"{done.max_rss_kib / 1024:.0f} MB",
                ]
            )
            if label == "willkommen validate":
                peaks[count] = done.max_rss_kib / 1024
            rates[f"{label} {count}"] = count / done.seconds
        path.unlink()
    status = "reads JSON Lines" if supported else f"**not available**: {why}"
    report.add(
        "JSON Lines: many alliances through the command line",
        f"Small valid alliances, one a line, {counts[0]:,} and {counts[1]:,} of them; whole processes, peak"
        f" memory from `wait4`. `willkommen validate`: {status}.",
        rows,
    )
    command = f"{RUN} --only jsonl"
    if not supported:
        report.targets.append(
            Target("JSON Lines, peak memory", "≤ 150 MB, independent of the count", "not available", None, command)
        )
        return
    low, high = peaks[counts[0]], peaks[counts[1]]
    n = counts[1]
    ours = rates[f"willkommen validate {n}"]
    # Rates are records per second, so a rival's time ratio is our rate over theirs.
    versus = ", ".join(
        f"{name} / willkommen {ours / rates[f'rivals.py validate {name} {n}']:.2f}" for name in rivals.RIVALS
    )
    report.targets.append(
        Target(
            f"JSON Lines, peak memory for {n:,} records",
            f"≤ 150 MB, and ≤ 1.1 × the peak for {counts[0]:,}",
            f"{high:.0f} MB ({high / low:.2f} × the peak for {counts[0]:,}); {ours:,.0f} records/s ({versus})",
            high <= 150 and high <= 1.1 * low,
            command,
        )
    )


def section_growth(report: Report, settings: Settings) -> None:
    counts = corpus.GROWTH_SESSIONS
    times: dict[int, dict[str, float]] = {}
    for count in counts:
        times[count] = measure(_loaders(corpus.encode(corpus.with_sessions(count))), settings)
    libs = tuple(times[counts[0]])
    rows = [["sessions", *(f"{lib}: per document" for lib in libs), *(f"{lib}: per added session" for lib in libs)]]
    slopes: dict[str, list[float]] = {lib: [] for lib in libs}
    for before, count in zip((None, *counts), counts, strict=False):
        cells = [f"{count:,}", *(_time(times[count][lib]) for lib in libs)]
        for lib in libs:
            if before is None:
                cells.append("")
                continue
            slope = (times[count][lib] - times[before][lib]) / (count - before)
            slopes[lib].append(slope)
            cells.append(_time(slope))
        rows.append(cells)
    report.add(
        "Growth: load time against the number of coaching sessions",
        "The typical document with 10 to 10,000 sessions, loaded from JSON bytes with full validation."
        " *Per added session* is the slope from the row above: constant when growth is linear.",
        rows,
    )

    # Per session at 1,000 and at 10,000, where the fixed cost of the rest of the
    # document is small: a quadratic step (a duplicate check by pairs, say) makes this ~10.
    def per_session(lib: str, count: int) -> float:
        return times[count][lib] / count

    growth = {lib: per_session(lib, counts[-1]) / per_session(lib, counts[-2]) for lib in libs}
    report.targets.append(
        Target(
            "Linear growth, 10 to 10,000 sessions",
            "time per session at 10,000 ÷ at 1,000 ≤ 1.25",
            f"{_ratio(growth['willkommen'])} ({FAST} {_ratio(growth.get(FAST, math.nan))},"
            f" pydantic {_ratio(growth['pydantic'])},"
            f" msgspec {_ratio(growth['msgspec'])}; slopes {', '.join(_time(s) for s in slopes['willkommen'])})",
            growth["willkommen"] <= 1.25 and growth.get(FAST, 0) <= 1.25,
            f"{RUN} --only growth",
        )
    )


# --- the report ---------------------------------------------------------------------------


def _first_line(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT).stdout.strip()  # noqa: S603
    except OSError:
        return ""


def _load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


_LOAD_AT_START = _load()


def environment(settings: Settings) -> list[str]:
    """The machine, Python and library versions this run measured on."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            cpu,
        )
    commit = _first_line(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    if _first_line(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += " with uncommitted changes"
    libraries = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("willkommen", "attrs", "cattrs", "pydantic", "pydantic-core", "msgspec")
    )
    accelerated = f"{FAST} measured beside the pure install" if ACCELERATOR else f"{FAST} not available"
    mode = "quick (`--quick`: few repeats, fewer records; rough numbers)" if settings.quick else "full"
    return [
        f"- Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, mode {mode}, commit {commit}",
        (
            f"- Machine: {cpu}, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {platform.platform()};"
            f" load average {_LOAD_AT_START} at the start, {_load()} at the end (1-minute / 5 / 15)"
        ),
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- Libraries: {libraries}; {accelerated}",
        (
            f"- Timing: {'median' if settings.median else 'fastest'} of {settings.repeats} blocks of about"
            f" {settings.block_seconds * 1000:.0f} ms each, candidates interleaved;"
            f" start-up: median of {settings.process_runs} runs"
        ),
    ]


def issue_table(report: Report) -> list[str]:
    rows = [["measure", "pydantic / willkommen", "msgspec / willkommen", "reproduce"]]
    rows += [[what, pd, ms, f"`{command}`"] for what, pd, ms, command in report.issue_ratios]
    return _table(rows, numbers=False)


def targets_table(report: Report) -> list[str]:
    rows = [["target", "goal", "measured", "verdict", "reproduce"]]
    rows += [[t.name, t.goal, t.measured, _verdict(t.met), f"`{t.command}`"] for t in report.targets]
    return _table(rows, numbers=False)


def render(report: Report, settings: Settings) -> str:
    return "\n".join(
        [
            BEGIN,
            "",
            "## Results",
            "",
            *environment(settings),
            "",
            "### Targets",
            "",
            *targets_table(report),
            "",
            "### The targeted ratios, in one table",
            "",
            f"Ratios are rival time ÷ willkommen time (start-up: willkommen ÷ baseline); in brackets: {FAST}.",
            "",
            *issue_table(report),
            "",
            "\n\n".join(report.blocks),
            "",
            END,
        ]
    )


def write_doc(results: str) -> None:
    """Put the results between the markers of docs/performance.md; keep the prose around them."""
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        msg = f"{DOC} has no result markers; add {BEGIN!r} and {END!r} where the results go"
        raise SystemExit(msg)
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(before + results + after)
    print(f"wrote {DOC.relative_to(ROOT)}")


def sanity() -> None:
    """Refuse to measure anything unless the corpus and the rivals are what they claim."""
    failures = corpus.sanity_check() + rivals.sanity_check()
    ok, summary = _every_problem_reported()
    if not ok:
        failures.append(f"willkommen: {summary}")
    if failures:
        raise SystemExit("sanity check failed:\n" + "\n".join(failures))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and records: under a minute")
    parser.add_argument("--median", action="store_true", help="the median of the timed blocks, not the fastest")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only this section (repeatable)")
    parser.add_argument("--jsonl-records", type=int, help="records in the big JSON Lines file (default 100,000)")
    parser.add_argument("--write", action="store_true", help=f"refresh the results in {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if args.write and args.only:
        parser.error("--write needs every section: leave out --only")
    settings = Settings.make(quick=args.quick, jsonl_records=args.jsonl_records, median=args.median)
    chosen = args.only or SECTIONS
    started = perf_counter()
    sanity()
    report = Report()
    ok, summary = _every_problem_reported()
    report.targets.append(
        Target(
            "Invalid documents report every problem",
            "every planted problem reported",
            summary,
            ok,
            ".venv/bin/python benchmarks/corpus.py",
        )
    )
    with tempfile.TemporaryDirectory(prefix="willkommen-bench-") as name:
        tmp = Path(name)
        for section in chosen:
            run_section(section, report, settings, tmp)
    print("\n".join(["### Targets", "", *targets_table(report), "", "### Ratios", "", *issue_table(report)]))
    print(f"\n{perf_counter() - started:.0f} s in all")
    if args.write:
        write_doc(render(report, settings))
    return 0


def run_section(section: str, report: Report, settings: Settings, tmp: Path) -> None:
    runners: dict[str, Callable[[], None]] = {
        "load": lambda: section_load(report, settings),
        "dump": lambda: section_dump(report, settings),
        "check": lambda: section_check(report, settings),
        "startup": lambda: section_startup(report, settings, tmp),
        "jsonl": lambda: section_jsonl(report, settings, tmp),
        "growth": lambda: section_growth(report, settings),
    }
    runners[section]()


if __name__ == "__main__":
    sys.exit(main())
