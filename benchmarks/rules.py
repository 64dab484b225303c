"""The rules alone: what running them costs on each corpus document, once it has been read.

    .venv/bin/python benchmarks/rules.py              # fastest of 15 interleaved blocks
    .venv/bin/python benchmarks/rules.py --quick      # rough numbers in seconds
    .venv/bin/python benchmarks/rules.py --walk       # also the engine's generic walk, for comparison

Each document is read once; then what ``loads`` does after reading is timed: the
program looked up and every rule run on the object (``_api._rule_problems``). The
documents are those of ``corpus.py``: typical, tagged NRW (``NrwAlliance`` with the
extension's rules), large and invalid (seven rule errors, each one a problem built
with its messages). ``--walk`` adds, in the same run, the generic walk that the
compiled one replaces for a document read whole (``_engine._visit``, the reference
the tests hold it to). To compare with another checkout, run this file with that
checkout's ``src`` first on ``PYTHONPATH``.
"""

import argparse
from collections.abc import Callable
from typing import Any

import corpus
import run

import willkommen
import willkommen.nrw  # registers the tag of the tagged NRW document
from willkommen import _api as willkommen_api
from willkommen import _engine as willkommen_engine
from willkommen.programs import get_program

DOCUMENTS: dict[str, Callable[[], dict[str, Any]]] = {
    "typical": corpus.typical,
    "tagged NRW": corpus.tagged_nrw,
    "large": corpus.large,
    "invalid (7 rule errors)": corpus.invalid,
}


def _rules(obj: object) -> Callable[[], object]:
    return lambda: willkommen_api._rule_problems(obj, frozenset())  # noqa: SLF001 - the phase itself


def _walked(obj: Any) -> Callable[[], object]:
    """What run_rules does for a document read whole, by the generic walk instead of the compiled one."""
    engine = willkommen_engine
    program = get_program(obj.program)

    def call() -> object:
        run = engine._Run(engine.Context(document=obj, program=program), engine.current())  # noqa: SLF001
        engine._visit(obj, run)  # noqa: SLF001
        return run.problems

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter blocks")
    parser.add_argument("--walk", action="store_true", help="also time the generic walk (the reference)")
    args = parser.parse_args()
    candidates: dict[str, Callable[[], object]] = {}
    for name, make in DOCUMENTS.items():
        reading = willkommen.read(make())
        assert reading.value is not None, name
        candidates[name] = _rules(reading.value)
        if args.walk and hasattr(willkommen_engine, "_visitor"):
            candidates[f"{name}, generic walk"] = _walked(reading.value)
    times = run.measure(candidates, run.Settings.make(quick=args.quick, jsonl_records=None))
    print(f"the rules on a document read whole (willkommen from {willkommen.__file__})")
    for label, seconds in times.items():
        print(f"{seconds * 1e6:10.1f} µs  {label}")


if __name__ == "__main__":
    main()
