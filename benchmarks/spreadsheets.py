"""Time and memory of spreadsheets: writing and reading workbooks, and the blank-row bomb.

    .venv/bin/python benchmarks/spreadsheets.py            # 100 alliances
    .venv/bin/python benchmarks/spreadsheets.py --count 500

Each format is written and read back with copies of the complete example alliance
(Bautzen: 2 municipalities, 8 partners, 3 goals and measures, 3 offerings and
sessions, 3 signatories); the bomb is an XLSX file of 2 KB whose one value sits in row
1,048,576, read with the default limits. Medians of three runs; peaks from a fourth, under tracemalloc.
"""

import argparse
import io
import statistics
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any

import attrs
import openpyxl

from willkommen import spreadsheets


def _alliances(count: int) -> list[Any]:
    """*count* copies of the complete example alliance (Bautzen), each with its own id."""
    (example,) = spreadsheets.template_alliances()
    return [attrs.evolve(example, id=f"{example.id}-{number}") for number in range(count)]


def _measure(action: Callable[[], object]) -> tuple[float, int]:
    """The median time of three runs, and the peak memory of a fourth (tracemalloc slows what it watches)."""
    times = []
    for _ in range(3):
        started = perf_counter()
        action()
        times.append(perf_counter() - started)
    tracemalloc.start()
    try:
        action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return statistics.median(times), peak


def _bomb() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Bündnisse"  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet.encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    objects = _alliances(args.count)
    print(f"{args.count} alliances; median of 3 runs; peak memory by tracemalloc")
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".xlsx", ".ods", ".zip", ""):
            path = Path(folder, f"book{suffix}")
            write_time, write_peak = _measure(lambda path=path: spreadsheets.write(objects, path, lang="de"))
            read_time, read_peak = _measure(lambda path=path: spreadsheets.read(path))
            assert spreadsheets.load(path) == objects
            size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size
            print(
                f"{suffix or 'csv folder':>10}: write {write_time * 1000:7.0f} ms ({write_peak / 1e6:5.1f} MB), "
                f"read {read_time * 1000:7.0f} ms ({read_peak / 1e6:5.1f} MB), {size / 1e3:7.0f} KB"
            )
    bomb = _bomb()
    bomb_time, bomb_peak = _measure(lambda: spreadsheets.read(bomb, format="xlsx"))
    codes = [p.code for p in spreadsheets.read(bomb, format="xlsx").all_problems()]
    print(f"blank-row bomb ({len(bomb):,} bytes): {bomb_time * 1000:.0f} ms, {bomb_peak / 1e6:.1f} MB, {codes}")


if __name__ == "__main__":
    main()
