"""The mirror path of willkommen[fast] against the accelerated path before it, in one process.

    .venv/bin/python benchmarks/mirror_ab.py            # fastest of 200 interleaved blocks of 3 ms
    .venv/bin/python benchmarks/mirror_ab.py --repeats 50 --block 0.02

For each corpus document, times ``willkommen.loads`` three ways, blocks interleaved so
that load on a shared machine hits each alike: with the accelerator and its mirror
structs (``_mirror.py``, as installed), with the accelerator but without the mirror
(the accelerated parse and the generated fast reader, as before the mirror), and
without the accelerator. Then the part the mirror replaces, bytes to objects before
the rules, both ways, on the typical document. The fastest block counts.
"""

import argparse
from collections.abc import Callable

import corpus
import run

import willkommen
import willkommen.nrw
from willkommen import _accelerator as accelerator
from willkommen._fast import read_fast

_WITH_MIRROR = accelerator.read_objects


def _no_mirror(text: str | bytes, cls: type) -> None:
    del text, cls


def _loads(data: bytes, *, active: bool, mirror: bool) -> Callable[[], object]:
    def call() -> object:
        accelerator.set_active(active=active)
        accelerator.read_objects = _WITH_MIRROR if mirror else _no_mirror  # type: ignore[assignment]
        try:
            return willkommen.loads(data)
        except willkommen.ValidationError as exc:
            return exc

    return call


def _before(data: bytes) -> object:
    """Bytes to objects the way the accelerator read a valid document before the mirror."""
    parsed = accelerator.parse(data)
    assert parsed is not None
    body = {key: value for key, value in parsed.items() if key != "schema_version"}
    return read_fast(body, willkommen.Alliance)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Many short blocks: on a shared machine, the fastest of them is the one least disturbed.
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--block", type=float, default=0.003, help="seconds per block")
    args = parser.parse_args()
    settings = run.Settings(
        quick=False, block_seconds=args.block, repeats=args.repeats, process_runs=0, jsonl_records=0
    )
    documents = {
        "typical": corpus.typical(),
        "typical, tagged NRW": corpus.tagged_nrw(),
        "large": corpus.large(),
        "typical, invalid (rule errors)": corpus.invalid(),
    }
    print(f"willkommen.loads, fastest of {args.repeats} interleaved blocks")
    print(f"{'document':32s} {'mirror':>10s} {'no mirror':>10s} {'pure':>10s}  no mirror / mirror")
    for label, document in documents.items():
        data = corpus.encode(document)
        times = run.measure(
            {
                "mirror": _loads(data, active=True, mirror=True),
                "no mirror": _loads(data, active=True, mirror=False),
                "pure": _loads(data, active=False, mirror=False),
            },
            settings,
        )
        print(
            f"{label:32s} {times['mirror'] * 1e6:8.1f}µs {times['no mirror'] * 1e6:8.1f}µs "
            f"{times['pure'] * 1e6:8.1f}µs  {times['no mirror'] / times['mirror']:.2f}"
        )
    accelerator.read_objects = _WITH_MIRROR  # type: ignore[assignment]
    accelerator.set_active(active=True)
    data = corpus.encode(corpus.typical())
    assert accelerator.read_objects(data, willkommen.Alliance) == _before(data)
    times = run.measure(
        {
            "mirror": lambda: accelerator.read_objects(data, willkommen.Alliance),
            "before": lambda: _before(data),
        },
        settings,
    )
    print("\nbytes to objects, typical document, before the rules")
    print(f"  mirror structs (_accelerator.read_objects):     {times['mirror'] * 1e6:8.1f} µs")
    print(f"  accelerated parse + fast reader, as before:     {times['before'] * 1e6:8.1f} µs")
    accelerator.set_active(active=None)


if __name__ == "__main__":
    main()
