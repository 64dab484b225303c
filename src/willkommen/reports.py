"""Reports for program offices: summaries of many alliances as typed rows.

The same five kinds as ``willkommen report KIND PATH...``::

    from willkommen import reports

    report = reports.from_files("offices", ["examples/"])
    for row in report.rows:             # OfficeRow(program=..., office='magdeburg', ...)
        print(row.office, row.hours_used)
    report.footer.left_out              # invalid records, not counted

    reports.summarise("states", alliances)   # alliances already in memory

``alliances`` gives one :class:`AllianceRow` per alliance; ``states``,
``offices``, ``offerings`` and ``partners`` one row per group, whatever the
number of alliances. Hours are exact :class:`~decimal.Decimal` sums. An
office of None is the explicit "not assigned" row: the program's office map
does not say which office is responsible (or the alliance spans several
states); a state of None counts alliances across several states (or none); a year of
None counts offerings without a date.
"""

import os
from collections.abc import Iterable, Sequence
from typing import Any, Generic, Literal, TypeVar, overload

import attrs

from willkommen._model import Alliance
from willkommen._reports import (
    AGGREGATIONS,
    Aggregation,
    AllianceRow,
    Footer,
    OfferingRow,
    OfficeRow,
    PartnerRow,
    Row,
    StateRow,
    run_report,
    totals,
)

#: The kinds of report, in the order the documentation shows them.
KINDS: tuple[str, ...] = tuple(AGGREGATIONS)


RowT = TypeVar("RowT", AllianceRow, StateRow, OfficeRow, OfferingRow, PartnerRow)
Paths = Sequence[str | os.PathLike[str]]


@attrs.frozen
class Report(Generic[RowT]):
    """The rows of one kind of report, and what they rest on (records read, included, left out)."""

    kind: str
    rows: tuple[RowT, ...]
    footer: Footer

    def totals(self) -> dict[str, object]:
        """The sum of each column that adds up; None where it adds an unknown hours budget (or hours left)."""
        return dict(totals(self.rows, AGGREGATIONS[self.kind].row_type))


def _aggregation(kind: str) -> type[Aggregation]:
    try:
        return AGGREGATIONS[kind]
    except KeyError:
        msg = f"unknown kind of report {kind!r}: choose from {', '.join(map(repr, KINDS))}"
        raise ValueError(msg) from None


@overload
def summarise(kind: Literal["alliances"], alliances: Iterable[Alliance]) -> tuple[AllianceRow, ...]: ...
@overload
def summarise(kind: Literal["states"], alliances: Iterable[Alliance]) -> tuple[StateRow, ...]: ...
@overload
def summarise(kind: Literal["offices"], alliances: Iterable[Alliance]) -> tuple[OfficeRow, ...]: ...
@overload
def summarise(kind: Literal["offerings"], alliances: Iterable[Alliance]) -> tuple[OfferingRow, ...]: ...
@overload
def summarise(kind: Literal["partners"], alliances: Iterable[Alliance]) -> tuple[PartnerRow, ...]: ...
@overload
def summarise(kind: str, alliances: Iterable[Alliance]) -> tuple[Row, ...]: ...
def summarise(kind: str, alliances: Iterable[Alliance]) -> tuple[Any, ...]:
    """The rows of the report *kind* over *alliances* (model objects, taken one at a time)."""
    aggregation = _aggregation(kind)()
    rows, _ = run_report(aggregation, ((a, True) for a in alliances), None, include_invalid=False)
    return tuple(rows)


@overload
def from_files(kind: Literal["alliances"], paths: Paths, *, include_invalid: bool = False) -> Report[AllianceRow]: ...
@overload
def from_files(kind: Literal["states"], paths: Paths, *, include_invalid: bool = False) -> Report[StateRow]: ...
@overload
def from_files(kind: Literal["offices"], paths: Paths, *, include_invalid: bool = False) -> Report[OfficeRow]: ...
@overload
def from_files(kind: Literal["offerings"], paths: Paths, *, include_invalid: bool = False) -> Report[OfferingRow]: ...
@overload
def from_files(kind: Literal["partners"], paths: Paths, *, include_invalid: bool = False) -> Report[PartnerRow]: ...
@overload
def from_files(kind: str, paths: Paths, *, include_invalid: bool = False) -> Report[Any]: ...
def from_files(kind: str, paths: Paths, *, include_invalid: bool = False) -> Report[Any]:
    """The report *kind* over the files and folders *paths* (``*.json``, ``*.jsonl``), read as ``validate`` reads them.

    Like the command line, it imports the shipped extensions (``willkommen.nrw``) first.

    Invalid records (by ``willkommen validate``'s verdict, repeated ids
    included) are left out and counted in the footer; *include_invalid*
    keeps those that could be read into an alliance. Raises
    :class:`FileNotFoundError` for a path that does not exist.
    """
    # Imported here: the command line's reading is only needed for files.
    from willkommen._cli import Policy, _checked, _import_extensions  # noqa: PLC0415
    from willkommen._files import Failure, sources  # noqa: PLC0415
    from willkommen._run import Run  # noqa: PLC0415

    _import_extensions(())  # the shipped extensions, as the command line reads them
    aggregation = _aggregation(kind)()
    for path in paths:
        if not os.path.lexists(path):
            raise FileNotFoundError(os.fspath(path))
    inputs = sources(paths)

    def no_stdin() -> object:  # pragma: no cover - no source here is standard input
        raise AssertionError

    def read() -> Iterable[tuple[Alliance | None, bool]]:
        with Run(inputs, no_stdin) as run:  # type: ignore[arg-type]
            for source in inputs:
                for found, outcome in _checked(run, source, Policy()):
                    if isinstance(found, Failure):
                        # As read_files does: a rule that raises is a bug to see, not a record to count.
                        raise found.error
                    yield found.reading.value, outcome.valid

    rows, footer = run_report(aggregation, read(), None, include_invalid=include_invalid)
    return Report(kind, tuple(rows), footer)


__all__ = [
    "KINDS",
    "AllianceRow",
    "Footer",
    "OfferingRow",
    "OfficeRow",
    "PartnerRow",
    "Report",
    "StateRow",
    "from_files",
    "summarise",
]
