"""The command line: ``willkommen validate PATH...``."""

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from willkommen._api import read_text
from willkommen._problems import Problem


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file())
        else:
            yield path


def _validate(paths: Sequence[Path]) -> int:
    invalid = 0
    checked = 0
    for path in _files(paths):
        checked += 1
        problems: list[Problem] = read_text(path.read_bytes()).problems
        for problem in problems:
            print(f"{path}: {problem.path or '/'}: {problem.severity.value} {problem.code}: {problem.message}")
        invalid += any(p.is_error for p in problems)
    print(f"{checked} file(s) checked, {invalid} invalid")
    return 1 if invalid else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = argparse.ArgumentParser(prog="willkommen", description="Check alliance data files.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check files and folders of alliance data")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    return _validate(args.paths)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
