"""Where the start-up of ``willkommen validate`` on one small file goes, phase by phase.

``benchmarks/run.py --only startup`` times whole processes; this script splits
one such start into its parts, each timed inside a fresh process (fastest and
median of ``--runs`` processes):

- ``import attrs``: the floor every attrs library pays (typing, inspect, ...);
- ``import willkommen``, and within it the attrs classes made (how many, the
  time attrs takes for them, and the part of that spent compiling the methods
  attrs generates; counted to the end of the run);
- importing the command line (``willkommen._cli``: argparse, the run, the report);
- ``main(["validate", small.json])``, and within it building the parser and
  generating the fast reader at the first document.

Run it with the accelerator as you want to measure it (``WILLKOMMEN_ACCELERATOR=off``
for the pure install)::

    .venv/bin/python benchmarks/startup_parts.py --runs 20
"""

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _timed(owner: Any, name: str, totals: dict[str, float], key: str, counts: dict[str, int] | None = None) -> None:
    """Replace ``owner.name`` by a wrapper adding its time to ``totals[key]``."""
    function: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - started
            if counts is not None:
                counts[key] = counts.get(key, 0) + 1

    setattr(owner, name, wrapper)


def child(document: str) -> dict[str, float]:
    """One start, split into phases (milliseconds; counts as they are)."""
    started = time.perf_counter()
    import attr._make  # noqa: PLC0415 - the phases are the imports
    import attr._next_gen  # noqa: PLC0415

    after_attrs = time.perf_counter()
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    _timed(attr._make, "_compile_and_eval", totals, "attrs: compiling generated methods")
    original = attr._make.attrs

    def counted_attrs(maybe_cls: Any = None, **kwargs: Any) -> Any:
        make = original(None, **kwargs)

        def wrap(cls: type) -> type:
            begun = time.perf_counter()
            try:
                return make(cls)
            finally:
                totals["attrs: making classes"] = totals.get("attrs: making classes", 0.0) + (
                    time.perf_counter() - begun
                )
                counts["attrs classes made"] = counts.get("attrs classes made", 0) + 1

        return wrap if maybe_cls is None else wrap(maybe_cls)

    attr._make.attrs = counted_attrs
    attr._next_gen.attrs = counted_attrs  # noqa: SLF001 - counting what attrs makes
    import willkommen  # noqa: PLC0415

    after_import = time.perf_counter()
    from willkommen import _cli, _fast  # noqa: PLC0415

    after_cli = time.perf_counter()
    _timed(_cli, "_parser", totals, "main: building the parser")
    _timed(_fast, "fast_reader", totals, "main: the fast reader (generated at the first document)")
    with contextlib.redirect_stdout(io.StringIO()):
        code = _cli.main(["validate", document])
    done = time.perf_counter()
    assert code == 0, code
    del willkommen
    phases = {
        "import attrs": after_attrs - started,
        "import willkommen": after_import - after_attrs,
        "import willkommen._cli": after_cli - after_import,
        "main(validate)": done - after_cli,
        **totals,
    }
    return {key: 1000 * value for key, value in phases.items()} | {key: float(n) for key, n in counts.items()}


def main() -> None:
    """Run the phases in fresh processes and print the fastest and the median of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="processes to time (default: 20)")
    parser.add_argument("--child", metavar="DOCUMENT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    sys.path.insert(0, str(HERE))
    import corpus  # noqa: PLC0415 - the benchmark's seeded documents

    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "small.json"
        small.write_bytes(corpus.encode(corpus.small()))
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(small)]
        runs = [
            json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ).stdout)  # noqa: S603 - our own script
            for _ in range(args.runs)
        ]
    accelerator = os.environ.get("WILLKOMMEN_ACCELERATOR", "(as installed)")
    print(f"{args.runs} processes, WILLKOMMEN_ACCELERATOR={accelerator}; milliseconds: fastest, median")
    for key in runs[0]:
        values = [run.get(key, 0.0) for run in runs]
        if key.endswith("made"):
            print(f"  {key:<60} {int(min(values))}")
        else:
            print(f"  {key:<60} {min(values):7.1f} {statistics.median(values):7.1f}")


if __name__ == "__main__":
    main()
