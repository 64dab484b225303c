"""Time and peak memory of the reports over many JSON Lines records, as whole processes.

    .venv/bin/python benchmarks/reports.py                   # 10,000 and 100,000 records
    .venv/bin/python benchmarks/reports.py --records 20000   # 2,000 and 20,000

For each size: ``willkommen validate`` with and without the check across records
(``--ignore collection``: what reading the ids first costs), ``validate --format
html`` and ``--valid-out``, and ``willkommen report`` of each kind. Flat memory
means: ten times the records, about the same peak (the ids of the check across
records are the one thing that grows, a few dozen bytes a record).
"""

import argparse
import sys
import tempfile
from pathlib import Path

import corpus
from run import _willkommen_command, run_process


def _commands(path: Path, tmp: Path) -> dict[str, list[str]]:
    base = _willkommen_command()
    return {
        "validate": [*base, "validate", str(path)],
        "validate --ignore collection": [*base, "validate", "--ignore", "collection", str(path)],
        "validate --format html": [*base, "validate", "--format", "html", str(path)],
        "validate --valid-out": [*base, "validate", str(path), "--valid-out", str(tmp / "valid.jsonl")],
        **{
            f"report {kind}": [*base, "report", kind, "--format", "csv", str(path)]
            for kind in ("alliances", "states", "offices", "offerings", "partners")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="records in the larger file (default 100,000)")
    args = parser.parse_args()
    sizes = (args.records // 10, args.records)
    rows: list[list[str]] = [["command", "records", "time", "records/s", "peak memory"]]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for count in sizes:
            path = tmp / f"alliances-{count}.jsonl"
            with path.open("wb") as out:
                out.writelines(corpus.jsonl_lines(count))
            for label, argv in _commands(path, tmp).items():
                done = run_process(argv, tmp / "out")
                if done.returncode != 0:
                    tail = (tmp / "out").read_text(errors="replace")[-400:]
                    sys.exit(f"{label} on {count} records exited with {done.returncode}: {tail}")
                rows.append(
                    [
                        f"`willkommen {label}`",
                        f"{count:,}",
                        f"{done.seconds:.1f} s",
                        f"{count / done.seconds:,.0f}",
                        f"{done.max_rss_kib / 1024:.0f} MB",
                    ]
                )
                print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
            path.unlink()
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
