"""Peak memory of reading hostile shapes of JSON text, against json.loads of the same text.

    .venv/bin/python benchmarks/memory.py

For each shape, the peak that tracemalloc sees while ``json.loads`` reads the
text, while willkommen's parser reads it (``_json.parse``: strict, with
repeated keys located), and while ``loads`` reads it whole (parse, structure,
rules), with the ratios to ``json.loads``. The promise (docs/robustness.md)
is about three times at most for a document with a repeated key; the tests
hold four shapes to it (tests/test_hostile.py). Numbers with a fraction are
the known exception: a Decimal takes 104 bytes where a float takes 24.
"""

import json
import tracemalloc
from collections.abc import Callable

from willkommen._api import read_text
from willkommen._json import parse


def _peak(read: Callable[[str], object], text: str) -> int:
    tracemalloc.start()
    try:
        result = read(text)
        del result
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def shapes() -> dict[str, str]:
    """The shapes measured, each about half a megabyte of text or less."""
    example = json.loads(open("examples/bautzen.json", encoding="utf-8").read())  # noqa: PTH123, SIM115
    return {
        "wide objects, one repeat": json.dumps([{"a": i, "b": "x"} for i in range(20_000)])[:-1]
        + ', {"k": 1, "k": 2}]',
        "flat integers, one repeat": "[" + ",".join(["1"] * 100_000) + ',{"k": 1, "k": 1}]',
        "200 deep, then wide, one repeat": "[" * 200
        + ",".join(['{"a": [1, 2, 3]}'] * 20_000)
        + ',{"k": 1, "k": 2}'
        + "]" * 200,
        "an unknown part with a repeat": json.dumps({**example, "extra": [{"a": [i, "y"]} for i in range(20_000)]})[:-2]
        + ', {"k": 1, "k": 2}]}',
        "every object with a repeat": "[" + ",".join(['{"k": 1, "k": 1}'] * 20_000) + "]",
        "numbers with a fraction": "[" + ",".join(f"{i}.5" for i in range(100_000)) + "]",
    }


def main() -> None:
    """Print one line per shape."""
    print(f"{'shape':34} {'text':>8} {'json.loads':>11} {'parse':>14} {'loads':>14}")
    for name, text in shapes().items():
        baseline = _peak(json.loads, text)
        parsed = _peak(parse, text)
        read = _peak(read_text, text)
        print(
            f"{name:34} {len(text) / 1e6:6.2f}MB {baseline / 1e6:9.2f}MB "
            f"{parsed / 1e6:7.2f}MB {parsed / baseline:4.1f}x {read / 1e6:7.2f}MB {read / baseline:4.1f}x"
        )


if __name__ == "__main__":
    main()
