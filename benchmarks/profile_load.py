"""Where willkommen's time goes when it loads the typical document.

    .venv/bin/python benchmarks/profile_load.py              # loads, 300 times
    .venv/bin/python benchmarks/profile_load.py --what dumps --top 30
    WILLKOMMEN_ACCELERATOR=off .venv/bin/python benchmarks/profile_load.py   # the profile of the pure install

First times the phases of ``loads`` directly, without a profiler (JSON text, reading
into objects, rules), through willkommen's private functions where they exist. Then
prints the functions with the most time of their own (cProfile's tottime) as a share
of the whole, and the same time summed by area (JSON parsing, the fast reader,
cattrs' generated structuring code, willkommen's hooks, attrs' __init__ and the
type-check validators, the rules, problems). cProfile adds a cost to every call, so
many small calls look bigger than they are: trust the phase times, read the shares
as pointers, and confirm a gain with run.py.
"""

import argparse
import cProfile
import json
import pstats
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

import corpus
import run

import willkommen
from willkommen import _accelerator as willkommen_accelerator
from willkommen import _api as willkommen_api
from willkommen import _converter as willkommen_converter
from willkommen import _json as willkommen_json

# (area, test on "file:function") - first match wins; the order matters.
_AREAS: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("JSON text (json, _json.py)", lambda f, n: "json/" in f or "_json.py" in f or n == "<method 'decode' of"),
    ("fast reader (_fast.py and its generated code)", lambda f, _: "_fast.py" in f or "fast reader" in f),
    ("type checks in __init__ (_typecheck.py)", lambda f, _: "_typecheck.py" in f),
    ("attrs-generated __init__", lambda f, n: f.startswith("<attrs generated") or n == "__init__"),
    ("cattrs-generated structure/unstructure code", lambda f, _: f.startswith("<cattrs generated")),
    ("willkommen hooks (_converter.py)", lambda f, _: "_converter.py" in f),
    (
        "rules and their walk (_rules.py, _engine.py, _programs.py)",
        lambda f, _: any(m in f for m in ("_rules.py", "_engine.py", "_programs.py")),
    ),
    ("problems and text (_problems.py, _text.py)", lambda f, _: "_problems.py" in f or "_text.py" in f),
    ("reading (_api.py, _tags.py)", lambda f, _: "_api.py" in f or "_tags.py" in f),
    ("cattrs library", lambda f, _: "cattrs" in f),
    ("attrs library", lambda f, _: "/attr/" in f or "/attrs/" in f),
)


def _area(filename: str, name: str) -> str:
    return next((area for area, test in _AREAS if test(filename, name)), "builtins and other")


def _workload(what: str) -> Callable[[], object]:
    data = corpus.encode(corpus.typical())
    alliance = willkommen.loads(data)
    return {
        "loads": lambda: willkommen.loads(data),
        "dumps": lambda: willkommen.dumps(alliance).encode(),
        "check": lambda: willkommen.check(alliance),
    }[what]


def phases() -> None:
    """Time the phases of loading the typical document, each on its own."""
    data = corpus.encode(corpus.typical())
    parsed = json.loads(data, parse_float=Decimal)
    body = {key: value for key, value in parsed.items() if key != "schema_version"}
    alliance = willkommen.loads(data)
    candidates: dict[str, Callable[[], object]] = {
        "willkommen.loads, the whole": lambda: willkommen.loads(data),
        "JSON text: _json.parse (duplicate keys, Decimal)": lambda: willkommen_json.parse(data),
        "  the same without the pairs hook: json.loads(parse_float=Decimal)": lambda: json.loads(
            data, parse_float=Decimal
        ),
        "reading and rules: _api.read(parsed)": lambda: willkommen_api.read(parsed),
        "  detailed path: converter().structure(body, Alliance)": lambda: willkommen_converter.converter().structure(
            body, willkommen.Alliance
        ),
        # What loads() runs after reading: the rules alone (check() also scans what dump() could not write).
        "  rules, as loads runs them: _api._rule_problems(alliance)": lambda: willkommen_api._rule_problems(  # noqa: SLF001 - no public name
            alliance, frozenset()
        ),
        "  check(alliance): the rules and the writable scan": lambda: willkommen.check(alliance),
    }
    if run.ACCELERATOR is not None:
        accelerator = run.ACCELERATOR

        def fast_loads() -> object:
            accelerator.set_active(active=True)
            return willkommen.loads(data)

        def pure_loads() -> object:
            accelerator.set_active(active=False)
            return willkommen.loads(data)

        candidates["willkommen.loads, the whole"] = pure_loads
        candidates[f"willkommen.loads, the whole, with {run.FAST}"] = fast_loads
        candidates[f"JSON text with {run.FAST}: _accelerator.parse"] = lambda: accelerator.parse(data)
        if hasattr(accelerator, "read_objects"):
            # What loads() does with the accelerator on for a valid document: bytes to objects, before the rules.
            candidates[f"bytes to objects with {run.FAST}: _accelerator.read_objects (mirror structs)"] = lambda: (
                accelerator.read_objects(data, willkommen.Alliance)
            )
    if hasattr(willkommen_api, "read_fast"):
        read_fast = willkommen_api.read_fast
        candidates["  fast path: _fast.read_fast(body, Alliance)"] = lambda: read_fast(dict(body), willkommen.Alliance)
        # What loads uses for text that cannot carry a lone surrogate (nearly every text).
        candidates["  fast path for JSON text: read_fast(body, Alliance, from_text=True)"] = lambda: read_fast(
            dict(body), willkommen.Alliance, from_text=True
        )
    # Interleaved, as in run.py, so that load on the machine hits every phase alike.
    times = run.measure(candidates, run.Settings.make(quick=False, jsonl_records=None))
    whole = times["willkommen.loads, the whole"]
    print("phases of loads, typical document, timed directly (medians)")
    for label, seconds in times.items():
        print(f"{seconds * 1e6:8.1f} µs {seconds / whole:6.1%}  {label}")
    print()


def dump_phases() -> None:
    """Time the phases of dumps() on the typical document, each on its own."""
    from willkommen._indented import indented  # noqa: PLC0415 - this willkommen may predate it
    from willkommen._writable import unwritable  # noqa: PLC0415

    alliance = willkommen.loads(corpus.encode(corpus.typical()))
    document = willkommen.dump(alliance)
    unstructure = willkommen_converter.converter().unstructure
    candidates: dict[str, Callable[[], object]] = {
        "willkommen.dumps, the whole": lambda: willkommen.dumps(alliance).encode(),
        "  dump(): object to document": lambda: willkommen.dump(alliance),
        "    the writable scan: unwritable(obj)": lambda: unwritable(alliance),
        "    cattrs: converter().unstructure(obj)": lambda: unstructure(alliance, unstructure_as=type(alliance)),
        "  indented text: _indented.indented(document, 2)": lambda: indented(document, 2),
        "  (json.dumps(document, indent=2), as before)": lambda: json.dumps(
            document, ensure_ascii=False, indent=2, allow_nan=False
        ),
        "  (json.dumps(document), compact, the C encoder)": lambda: json.dumps(
            document, ensure_ascii=False, allow_nan=False
        ),
    }
    try:
        from willkommen import _writer  # noqa: PLC0415 - this willkommen may predate it
    except ImportError:
        pass
    else:
        # The writers generated per class, which dump() and dumps() use where they are sure.
        candidates |= {
            "  generated writer, text: _writer.text(obj, 2)": lambda: _writer.text(alliance, 2),
            "  generated writer, document: _writer.document(obj)": lambda: _writer.document(alliance),
        }
        if willkommen_accelerator.installed():
            candidates["  generated writer, [fast]: _writer.msgspec_text(obj, 2)"] = lambda: _writer.msgspec_text(
                alliance, 2
            )
    times = run.measure(candidates, run.Settings.make(quick=False, jsonl_records=None))
    whole = times["willkommen.dumps, the whole"]
    print("phases of dumps, typical document, timed directly (medians)")
    for label, seconds in times.items():
        print(f"{seconds * 1e6:8.1f} µs {seconds / whole:6.1%}  {label}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--what", choices=("loads", "dumps", "check"), default="loads")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if args.what == "loads":
        phases()
    elif args.what == "dumps":
        dump_phases()
    if run.ACCELERATOR is not None:
        run.ACCELERATOR.set_active(active=None)  # the profile: as the environment says (on unless switched off)
    work = _workload(args.what)
    work()  # the first call builds cattrs' hooks: not what a long-running program pays
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.runs):
        work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    # {(file, line, function): (primitive calls, calls, own time, cumulative time, callers)}
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in entries.values())
    per_run = total / args.runs * 1e6
    print(f"{args.what} of the typical document, {args.runs} runs: {per_run:,.0f} µs per run under cProfile\n")
    print(f"{'own %':>6} {'cum %':>6} {'calls/run':>10}  function")
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)
    for (filename, line, name), (_, calls, own, cumulative, _) in ranked[: args.top]:
        where = f"{filename.rsplit('/', 1)[-1]}:{line}" if line else filename
        print(f"{own / total:6.1%} {cumulative / total:6.1%} {calls / args.runs:10,.0f}  {name} ({where})")
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, own, _, _) in entries.items():
        by_area[_area(filename, name)] += own
    print("\nown time by area")
    for area, own in sorted(by_area.items(), key=lambda item: item[1], reverse=True):
        print(f"{own / total:6.1%}  {area}")


if __name__ == "__main__":
    main()
