"""How long ``willkommen.migrate`` takes against the size of a version-1 document.

    .venv/bin/python benchmarks/migrate_growth.py   (run as a script, like run.py)

Builds version-1 documents with 1,000 to 100,000 offerings and coaching
sessions and prints the median time per migration and per element: a flat
time per element means the migration grows linearly with the document.
"""

import statistics
import time
from typing import Any

from corpus import with_sessions

import willkommen

SIZES = (1_000, 10_000, 100_000)
REPEATS = 5


def version_1(size: int) -> dict[str, Any]:
    """A typical alliance with *size* sessions and *size* offerings, written as version 1."""
    document = with_sessions(size)
    document["schema_version"] = 1
    document["municipalities"] = document.pop("local_authorities")
    offering = {"type": "training", "date": "2017-10-01"}
    document["offerings"] = [dict(offering) for _ in range(size)]
    document["coaching"].pop("hours_budget", None)
    return document


def main() -> None:
    """Print one row per size: elements, median milliseconds, microseconds per element."""
    print(f"{'elements':>10}  {'median ms':>10}  {'µs/element':>10}")
    for size in SIZES:
        document = version_1(size)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            willkommen.migrate(document)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        elements = 2 * size
        print(f"{elements:>10,}  {median * 1000:>10.1f}  {median / elements * 1e6:>10.2f}")


if __name__ == "__main__":
    main()
