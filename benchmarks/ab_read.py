"""The two steps of the pure install's ``loads`` before the rules, old against new, in one process.

    .venv/bin/python benchmarks/ab_read.py                 # main against the working tree
    .venv/bin/python benchmarks/ab_read.py --base HEAD~3 --rounds 300

Loads ``_json.py`` and ``_fast.py`` of the base revision (``git show``) beside those
of the working tree, and times each on the corpus documents, interleaved block by
block, the fastest block of each: JSON text to data (``_json.parse``) and data to
objects (the generated fast reader; the working tree's for JSON text, where it has
one). The rest of willkommen is the working tree's for both, so this compares these
two modules only; ``run.py --only load`` compares ``loads`` as a whole.
"""

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from types import ModuleType
from typing import Any

import corpus

import willkommen
import willkommen.nrw
from willkommen import _fast, _json
from willkommen._tags import TAG_KEY, class_for

ROOT = Path(__file__).resolve().parent.parent


def _module_at(revision: str, name: str, folder: Path) -> ModuleType:
    """``willkommen.<name>`` as it was at *revision*, loaded under a name of its own."""
    source = subprocess.run(  # noqa: S603 - the revision names a file to show, nothing to run
        ["git", "show", f"{revision}:src/willkommen/{name}.py"],  # noqa: S607 - git from PATH, as a developer runs it
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = folder / f"base{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"base{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _reader(fast: ModuleType, cls: type) -> Callable[[dict[str, Any]], object]:
    try:
        reader: Callable[[dict[str, Any]], object] = fast.fast_reader(cls, from_text=True)
    except TypeError:  # a revision before the reader for JSON text
        reader = fast.fast_reader(cls)
    return reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the revision to compare with (default: main)")
    parser.add_argument("--rounds", type=int, default=150, help="blocks of calls per candidate (default: 150)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base_json = _module_at(args.base, "_json", Path(folder))
        base_fast = _module_at(args.base, "_fast", Path(folder))
    documents = {
        "typical": corpus.typical(),
        "large": corpus.large(),
        "tagged NRW": corpus.tagged_nrw(),
        "invalid": corpus.invalid(),
    }
    pairs: dict[str, tuple[Callable[[], object], Callable[[], object], int]] = {}
    for name, document in documents.items():
        data = corpus.encode(document)
        parsed, _ = _json.parse(data)
        body = {key: value for key, value in parsed.items() if key != "schema_version"}
        cls = class_for(body, willkommen.Alliance) or willkommen.Alliance
        body.pop(TAG_KEY, None)
        old, new = _reader(base_fast, cls), _reader(_fast, cls)
        if old(body) != new(body) or new(body) is None:
            raise SystemExit(f"{name}: the readers disagree, or the new one hands over")
        calls = 2 if name == "large" else 10
        pairs[f"{name}: JSON text"] = (lambda d=data: base_json.parse(d), lambda d=data: _json.parse(d), calls)
        pairs[f"{name}: fast reader"] = (lambda b=body, r=old: r(b), lambda b=body, r=new: r(b), calls)
    best = {label: [float("inf"), float("inf")] for label in pairs}
    for _ in range(args.rounds):
        for label, (old_call, new_call, calls) in pairs.items():
            for index, call in enumerate((old_call, new_call)):
                start = perf_counter()
                for _ in range(calls):
                    call()
                best[label][index] = min(best[label][index], (perf_counter() - start) / calls)
    print(f"fastest of {args.rounds} blocks; base {args.base}, new: the working tree")
    for label, (old_time, new_time) in best.items():
        print(f"{label:28} {old_time * 1e6:9.1f} µs {new_time * 1e6:9.1f} µs   new/base {new_time / old_time:5.2f}")


if __name__ == "__main__":
    main()
