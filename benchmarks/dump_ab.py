"""A/B timing of writing: the generated writers against the reference path (scan, cattrs, json).

    .venv/bin/python benchmarks/dump_ab.py [--quick]   # small, typical, large; fastest of interleaved blocks

Each measure is timed in many blocks of about 0.5 ms, the candidates interleaved, and
the fastest block kept (the machine is shared). ``reference`` is the path the
generated writers hand over to; ``[fast]`` switches the accelerator on.
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import corpus
import rivals

import willkommen
from willkommen import _accelerator, _api

# The reference path, which the generated writers hand over to.
reference_text = _api._scanned_text  # noqa: SLF001
reference_document = _api._scanned_document  # noqa: SLF001


def _per_call(work: Callable[[], object], seconds: float = 0.0005) -> float:
    runs = 1
    while True:
        start = time.perf_counter()
        for _ in range(runs):
            work()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / runs
        runs *= 2


def _with(work: Callable[[], object], *, active: bool) -> Callable[[], object]:
    def run() -> object:
        _accelerator.set_active(active=active)
        return work()

    return run


def main() -> None:
    """Print the fastest time per call of each way of writing, per document."""
    documents = {"small": corpus.small(), "typical": corpus.typical(), "large": corpus.large()}
    blocks = 200 if "--quick" not in sys.argv else 50
    pd, ms = rivals.rival("pydantic"), rivals.rival("msgspec")
    for name, data in documents.items():
        obj = willkommen.load(data)
        theirs, fastest = pd.loads(corpus.encode(data)), ms.loads(corpus.encode(data))
        candidates: dict[str, Callable[[], object]] = {
            "pydantic": lambda o=theirs: pd.dumps(o),
            "msgspec": lambda o=fastest: ms.dumps(o),
            "dumps, indented: reference": _with(lambda: reference_text(obj, 2).encode(), active=False),  # noqa: B023
            "dumps, indented: pure": _with(lambda: willkommen.dumps(obj).encode(), active=False),  # noqa: B023
            "dumps, indented: [fast]": _with(lambda: willkommen.dumps(obj).encode(), active=True),  # noqa: B023
            "dumps, compact: reference": _with(lambda: reference_text(obj, None).encode(), active=False),  # noqa: B023
            "dumps, compact: pure": _with(lambda: willkommen.dumps(obj, indent=None).encode(), active=False),  # noqa: B023
            "dumps, compact: [fast]": _with(lambda: willkommen.dumps(obj, indent=None).encode(), active=True),  # noqa: B023
            "dump: reference": lambda: reference_document(obj),  # noqa: B023
            "dump": lambda: willkommen.dump(obj),  # noqa: B023
        }
        if not _accelerator.installed():
            candidates = {key: work for key, work in candidates.items() if "[fast]" not in key}
        best = dict.fromkeys(candidates, float("inf"))
        for work in candidates.values():
            work()
        for _ in range(blocks):
            for key, work in candidates.items():
                best[key] = min(best[key], _per_call(work))
        for key, seconds in best.items():
            print(f"{name:8} {key:30} {seconds * 1e6:9.1f} µs   pydantic / this {best['pydantic'] / seconds:5.2f}")
    _accelerator.set_active(active=None)


if __name__ == "__main__":
    main()
