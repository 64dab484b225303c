"""Summaries of many alliances for program offices: by alliance, state, service office, offering and partner.

Each kind of report is an aggregation that takes one alliance at a time and
holds one entry per group (a state, an office, a type and year), never the
alliances: memory stays flat for any number of records. Hours are added as
exact decimals. Where the program's office map does not say which office is
responsible, the alliance counts under an explicit "not assigned" row,
never under a guess.
An hours budget the data does not give is unknown (format version 2): it
makes the budget and hours left of its office and of the totals unknown
(None), counted under "budget unknown", never a partial sum.

The writers put the rows out as CSV, Markdown, JSON or HTML, escaping every
value from the data for its format (see ``_formats.py``).
"""

import datetime as dt
import decimal
import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from willkommen._enums import LabelledEnum, OfferingStatus, OfferingType, PartnerKind, State
from willkommen._formats import (
    Numeral,
    csv_dialect,
    csv_row,
    heading,
    html_page_end,
    html_page_start,
    html_row,
    html_summary,
    html_text,
)
from willkommen._model import Alliance
from willkommen._programs import Program, alliance_states, coaching_budget, find_program, responsible_office

Write = Callable[[str], None]

# Hours read from data have at most 15 significant digits within float range (1e-324 to 1e308):
# with this many digits no sum of them is ever rounded (the default context keeps 28).
_EXACT_DIGITS = 2_000

#: Marks a field whose values add up to a total line.
_TOTAL = {"total": True}


# --- the rows -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AllianceRow:
    """One alliance and its derived figures.

    ``states`` are the states of its Kommunen; ``office`` the id of the
    responsible service office, None where the program's map does not say;
    the hours are None without process coaching, ``hours_left`` also when
    the budget is unknown. ``valid`` is false only in a report that includes
    invalid records.
    """

    id: str
    name: str | None
    program: str
    local_authorities: tuple[str, ...]
    states: tuple[State, ...]
    office: str | None
    partners: int = attrs.field(metadata=_TOTAL)
    goals: int = attrs.field(metadata=_TOTAL)
    measures: int = attrs.field(metadata=_TOTAL)
    offerings: int = attrs.field(metadata=_TOTAL)
    hours_budget: Decimal | None = attrs.field(metadata=_TOTAL)
    hours_used: Decimal | None = attrs.field(metadata=_TOTAL)
    hours_left: Decimal | None = attrs.field(metadata=_TOTAL)
    valid: bool = True


@attrs.frozen(kw_only=True)
class StateRow:
    """The alliances of one state; ``state`` None for alliances whose Kommunen lie in several states (or none)."""

    state: State | None
    alliances: int = attrs.field(metadata=_TOTAL)
    local_authorities: int = attrs.field(metadata=_TOTAL)


@attrs.frozen(kw_only=True)
class OfficeRow:
    """The alliances one service office is responsible for; ``office`` None: the map does not say ("not assigned").

    ``coached`` alliances have process coaching; ``budget_unknown`` counts
    those of them that give no hours budget (format version 2: unknown, not
    the program's cap). The budget and the hours left are None (unknown)
    when any coached alliance's budget is unknown, never a partial sum: so
    hours left is always the budget minus the hours used.
    """

    program: str
    office: str | None
    city: str | None
    alliances: int = attrs.field(metadata=_TOTAL)
    coached: int = attrs.field(metadata=_TOTAL)
    budget_unknown: int = attrs.field(metadata=_TOTAL)
    hours_budget: Decimal | None = attrs.field(metadata=_TOTAL)
    hours_used: Decimal = attrs.field(metadata=_TOTAL)
    hours_left: Decimal | None = attrs.field(metadata=_TOTAL)
    sessions: int = attrs.field(metadata=_TOTAL)


@attrs.frozen(kw_only=True)
class OfferingRow:
    """The offerings of one type in one year (``year`` None: not dated).

    ``offerings`` counts held and planned ones, ``planned`` those of them
    still planned (format version 2: a planned offering may have no date);
    ``participants`` adds up the counts given; ``without_participants``
    counts the offerings that give none.
    """

    offering_type: OfferingType
    year: int | None
    offerings: int = attrs.field(metadata=_TOTAL)
    planned: int = attrs.field(metadata=_TOTAL)
    participants: int = attrs.field(metadata=_TOTAL)
    without_participants: int = attrs.field(metadata=_TOTAL)


@attrs.frozen(kw_only=True)
class PartnerRow:
    """The partners of one kind, and how many alliances have at least one."""

    kind: PartnerKind
    partners: int = attrs.field(metadata=_TOTAL)
    # An alliance with partners of several kinds counts under each: no total.
    alliances: int


Row = AllianceRow | StateRow | OfficeRow | OfferingRow | PartnerRow


@attrs.frozen(kw_only=True)
class Footer:
    """What a report rests on: the records read, those included, those left out."""

    records: int
    included: int
    left_out: int
    include_invalid: bool = False


# --- the aggregations -----------------------------------------------------------------------------


def _program(alliance: Alliance) -> Program | None:
    return find_program(alliance.program)


def _office(alliance: Alliance, program: Program | None) -> str | None:
    if program is None:
        return None
    office = responsible_office(alliance, program)
    return None if office is None else office.id


def _hours(alliance: Alliance, program: Program | None) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Budget, used, left: None without coaching; budget and left None where no budget is known."""
    if alliance.coaching is None:
        return None, None, None
    used = alliance.coaching.hours_used
    budget = coaching_budget(alliance, program)  # format version 2: absent is unknown, not the cap
    return budget, used, None if budget is None else budget - used


class Aggregation:
    """Rows from alliances, one at a time: ``add`` gives the rows ready now, ``finish`` the rest."""

    kind: ClassVar[str]
    row_type: ClassVar[type]

    def add(self, alliance: Alliance, *, valid: bool = True) -> Iterable[Row]:
        """Take one alliance into account."""
        raise NotImplementedError

    def finish(self) -> Iterable[Row]:
        """The rows held until the end."""
        return ()

    def groups(self) -> int:
        """How many groups are held in memory."""
        return 0


class Alliances(Aggregation):
    """One row per alliance, given at once: nothing is held."""

    kind = "alliances"
    row_type = AllianceRow

    def add(self, alliance: Alliance, *, valid: bool = True) -> Iterable[Row]:
        """The alliance's row."""
        program = _program(alliance)
        budget, used, left = _hours(alliance, program)
        yield AllianceRow(
            id=alliance.id,
            name=alliance.name,
            program=alliance.program,
            local_authorities=tuple(m.name for m in alliance.local_authorities),
            states=tuple(sorted(alliance_states(alliance), key=_STATE_ORDER.__getitem__)),
            office=_office(alliance, program),
            partners=len(alliance.partners),
            goals=len(alliance.goals),
            measures=len(alliance.measures),
            offerings=len(alliance.offerings),
            hours_budget=budget,
            hours_used=used,
            hours_left=left,
            valid=valid,
        )


_STATE_ORDER = {state: index for index, state in enumerate(State)}


class States(Aggregation):
    """Alliances per state; an alliance across several states counts once, under "several states"."""

    kind = "states"
    row_type = StateRow

    def __init__(self) -> None:
        self.counts: dict[State | None, list[int]] = {}

    def add(self, alliance: Alliance, *, valid: bool = True) -> Iterable[Row]:
        """Count the alliance under its state."""
        del valid
        states = alliance_states(alliance)
        key = next(iter(states)) if len(states) == 1 else None
        count = self.counts.setdefault(key, [0, 0])
        count[0] += 1
        count[1] += len(alliance.local_authorities)
        return ()

    def finish(self) -> Iterable[Row]:
        """A row per state seen, in the order of the code list, several states last."""
        keys = sorted(self.counts, key=lambda s: len(_STATE_ORDER) if s is None else _STATE_ORDER[s])
        return [StateRow(state=k, alliances=self.counts[k][0], local_authorities=self.counts[k][1]) for k in keys]

    def groups(self) -> int:
        """One per state seen."""
        return len(self.counts)


@attrs.define
class _OfficeTotals:
    alliances: int = 0
    coached: int = 0
    budget_unknown: int = 0
    hours_budget: Decimal | None = Decimal(0)
    hours_used: Decimal = Decimal(0)
    hours_left: Decimal | None = Decimal(0)
    sessions: int = 0


class Offices(Aggregation):
    """Per service office (of each program): alliances, coaching hours and sessions, added exactly."""

    kind = "offices"
    row_type = OfficeRow

    def __init__(self) -> None:
        self.totals: dict[tuple[str, str | None], _OfficeTotals] = {}

    def add(self, alliance: Alliance, *, valid: bool = True) -> Iterable[Row]:
        """Add the alliance to its office, or to "not assigned"."""
        del valid
        program = _program(alliance)
        totals = self.totals.setdefault((alliance.program, _office(alliance, program)), _OfficeTotals())
        totals.alliances += 1
        if alliance.coaching is not None:
            budget, used, left = _hours(alliance, program)
            totals.coached += 1
            totals.hours_used += used or Decimal(0)
            totals.sessions += len(alliance.coaching.sessions)
            if budget is None or left is None:
                # An unknown budget makes the office's budget unknown: no partial sum passes for the whole.
                totals.budget_unknown += 1
                totals.hours_budget = totals.hours_left = None
            elif totals.hours_budget is not None and totals.hours_left is not None:
                totals.hours_budget += budget
                totals.hours_left += left
        return ()

    def finish(self) -> Iterable[Row]:
        """A row per office that has alliances, in the program's order, "not assigned" last."""

        def order(key: tuple[str, str | None]) -> tuple[str, int]:
            program_id, office_id = key
            program = find_program(program_id)
            ids = [o.id for o in program.service_offices] if program is not None else []
            return program_id, ids.index(office_id) if office_id in ids else len(ids)

        rows = []
        for key in sorted(self.totals, key=order):
            program_id, office_id = key
            program = find_program(program_id)
            office = program.office(office_id) if program is not None and office_id is not None else None
            totals = self.totals[key]
            rows.append(
                OfficeRow(
                    program=program_id,
                    office=office_id,
                    city=None if office is None else office.city,
                    **attrs.asdict(totals),
                )
            )
        return rows

    def groups(self) -> int:
        """One per office seen."""
        return len(self.totals)


def _year(offering: Any) -> int | None:
    day: dt.date | None = getattr(offering, "date", None) or getattr(offering, "start", None)
    return None if day is None else day.year


class Offerings(Aggregation):
    """Per offering type and year: how many, how many participants, how many without a count."""

    kind = "offerings"
    row_type = OfferingRow

    def __init__(self) -> None:
        self.counts: dict[tuple[OfferingType, int | None], list[int]] = {}

    def add(self, alliance: Alliance, *, valid: bool = True) -> Iterable[Row]:
        """Count each offering of the alliance."""
        del valid
        for offering in alliance.offerings:
            count = self.counts.setdefault((offering.type, _year(offering)), [0, 0, 0, 0])
            count[0] += 1
            if offering.status is OfferingStatus.PLANNED:
                count[1] += 1
            if offering.participants is None:
                count[3] += 1
            else:
                count[2] += offering.participants
        return ()

    def finish(self) -> Iterable[Row]:
        """A row per type and year seen, in the order of the code list, years ascending, undated last."""
        types = {t: i for i, t in enumerate(OfferingType)}
        keys = sorted(self.counts, key=lambda k: (types[k[0]], k[1] is None, k[1] or 0))
        return [
            OfferingRow(
                offering_type=t, year=y, offerings=c[0], planned=c[1], participants=c[2], without_participants=c[3]
            )
            for (t, y), c in ((k, self.counts[k]) for k in keys)
        ]

    def groups(self) -> int:
        """One per type and year seen."""
        return len(self.counts)


class Partners(Aggregation):
    """Per partner kind: how many partners, in how many alliances."""

    kind = "partners"
    row_type = PartnerRow

    def __init__(self) -> None:
        self.counts: dict[PartnerKind, list[int]] = {}

    def add(self, alliance: Alliance, *, valid: bool = True) -> Iterable[Row]:
        """Count the alliance's partners by kind."""
        del valid
        for partner in alliance.partners:
            self.counts.setdefault(partner.kind, [0, 0])[0] += 1
        for kind in {partner.kind for partner in alliance.partners}:
            self.counts[kind][1] += 1
        return ()

    def finish(self) -> Iterable[Row]:
        """A row per kind seen, in the order of the code list."""
        return [
            PartnerRow(kind=k, partners=self.counts[k][0], alliances=self.counts[k][1])
            for k in PartnerKind
            if k in self.counts
        ]

    def groups(self) -> int:
        """One per kind seen."""
        return len(self.counts)


AGGREGATIONS: dict[str, type[Aggregation]] = {a.kind: a for a in (Alliances, States, Offices, Offerings, Partners)}


Sum = int | Decimal | None


def _unknown(row: Row, name: str) -> bool:
    """Whether the row's *name* is an unknown hours budget (or hours left), not just nothing.

    An alliance without coaching has no budget (None, counts as nothing); a
    coached alliance or an office with None has an unknown one.
    """
    return (
        name in {"hours_budget", "hours_left"}
        and getattr(row, name) is None
        and getattr(row, "hours_used", None) is not None
    )


def add_row(sums: dict[str, Sum], row: Row) -> None:
    """Add a row's numbers to *sums*: None counts as nothing, an unknown budget makes its total unknown (None)."""
    for name, total in sums.items():
        value = getattr(row, name)
        if _unknown(row, name):
            sums[name] = None
        elif value is not None and total is not None:
            sums[name] = total + value


def totals(rows: Iterable[Row], row_type: type) -> dict[str, Sum]:
    """The sum of each field that adds up; a total over an unknown hours budget is unknown (None)."""
    names = [f.name for f in attrs.fields(row_type) if f.metadata.get("total")]
    sums: dict[str, Sum] = dict.fromkeys(names, 0)
    with decimal.localcontext(prec=_EXACT_DIGITS):
        for row in rows:
            add_row(sums, row)
    return sums


# --- words and cells ------------------------------------------------------------------------------

_HEADINGS = {
    "en": {
        "id": "id",
        "name": "name",
        "program": "program",
        "local_authorities": "Kommunen",
        "states": "states",
        "state": "state",
        "office": "service office",
        "city": "city",
        "partners": "partners",
        "goals": "goals",
        "measures": "measures",
        "offerings": "offerings",
        "hours_budget": "hours budget",
        "hours_used": "hours used",
        "hours_left": "hours left",
        "valid": "valid",
        "alliances": "alliances",
        "coached": "with coaching",
        "budget_unknown": "budget unknown",
        "planned": "planned",
        "sessions": "sessions",
        "offering_type": "type",
        "year": "year",
        "participants": "participants",
        "without_participants": "without participant count",
        "kind": "kind",
    },
    "de": {
        "id": "ID",
        "name": "Name",
        "program": "Programm",
        "local_authorities": "Kommunen",
        "states": "Länder",
        "state": "Land",
        "office": "Servicebüro",
        "city": "Stadt",
        "partners": "Partner",
        "goals": "Ziele",
        "measures": "Maßnahmen",
        "offerings": "Angebote",
        "hours_budget": "Stundenbudget",
        "hours_used": "Stunden genutzt",
        "hours_left": "Stunden übrig",
        "valid": "gültig",
        "alliances": "Bündnisse",
        "coached": "mit Prozessbegleitung",
        "budget_unknown": "Stundenbudget unbekannt",
        "planned": "geplant",
        "sessions": "Termine",
        "offering_type": "Art",
        "year": "Jahr",
        "participants": "Teilnehmende",
        "without_participants": "ohne Teilnehmendenzahl",
        "kind": "Art",
    },
}

_WORDS = {
    "en": {
        "title": "Report: {kind}",
        "kinds": {
            "alliances": "alliances",
            "states": "alliances by state",
            "offices": "alliances by service office",
            "offerings": "offerings by type and year",
            "partners": "partners by kind",
        },
        "not_assigned": "not assigned",
        "several": "several states or none",
        "undated": "no date",
        "total": "total",
        "yes": "yes",
        "no": "no",
        "records": "records read",
        "included": "included",
        "left_out": "left out (invalid)",
        "left_out_unread": "left out (could not be read)",
        "footer": "Invalid records are left out unless asked for (--include-invalid). Hours are exact sums.",
        "made_by": "Made by willkommen {version}.",
    },
    "de": {
        "title": "Bericht: {kind}",
        "kinds": {
            "alliances": "Bündnisse",
            "states": "Bündnisse nach Land",
            "offices": "Bündnisse nach Servicebüro",
            "offerings": "Angebote nach Art und Jahr",
            "partners": "Partner nach Art",
        },
        "not_assigned": "nicht zugeordnet",
        "several": "mehrere oder keine Länder",
        "undated": "ohne Datum",
        "total": "Summe",
        "yes": "ja",
        "no": "nein",
        "records": "Datensätze gelesen",
        "included": "berücksichtigt",
        "left_out": "ausgelassen (ungültig)",
        "left_out_unread": "ausgelassen (nicht lesbar)",
        "footer": (
            "Ungültige Datensätze sind ausgelassen, außer auf Wunsch (--include-invalid). Stunden sind exakte Summen."
        ),
        "made_by": "Erstellt mit willkommen {version}.",
    },
}


def _words(lang: str) -> dict[str, Any]:
    return _WORDS["de" if lang == "de" else "en"]


def column_names(row_type: type) -> list[str]:
    """The fields of a row class, in order."""
    return [f.name for f in attrs.fields(row_type)]


def column_heading(name: str, lang: str) -> str:
    """The heading of a column in *lang*."""
    return heading(_HEADINGS["de" if lang == "de" else "en"][name])


def cell_text(name: str, value: object, lang: str) -> str:
    """A cell's value as people read it, in *lang*."""
    words = _words(lang)
    if value is None:
        empty: dict[str, str] = {"office": words["not_assigned"], "state": words["several"], "year": words["undated"]}
        return empty.get(name, "")
    if isinstance(value, bool):
        value = words["yes" if value else "no"]
    elif isinstance(value, State):
        value = f"{value.label_de} ({value.value})"
    elif isinstance(value, LabelledEnum):
        value = value.label_de if lang == "de" else value.value
    elif isinstance(value, Decimal) and lang == "de":
        value = str(value).replace(".", ",")
    elif isinstance(value, tuple):
        value = ", ".join(cell_text(name, v, lang) for v in value)
    return str(value)


def json_value(value: object) -> object:
    """A cell's value in JSON: codes for enumerations, exact decimals as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [json_value(v) for v in value]
    if isinstance(value, LabelledEnum):
        return value.value
    return value


def _is_number(name: str, row_type: type) -> bool:
    field = attrs.fields_dict(row_type)[name]
    return bool(field.metadata.get("total")) or name == "year"


# --- the writers ----------------------------------------------------------------------------------


class Writer:
    """Rows out as they come, then the totals and the footer."""

    def __init__(self, write: Write, lang: str, kind: str, row_type: type) -> None:
        self.write = write
        self.lang = lang
        self.kind = kind
        self.row_type = row_type
        self.columns = column_names(row_type)
        self.sums: dict[str, Sum] = totals((), row_type)

    def add_to_totals(self, row: Row) -> None:
        """Add a row's numbers to the totals."""
        add_row(self.sums, row)

    def begin(self) -> None:
        """Before the first row."""

    def row(self, row: Row) -> None:
        """One row."""
        raise NotImplementedError

    def finish(self, footer: Footer) -> None:
        """After the last row."""
        raise NotImplementedError

    def footer_lines(self, footer: Footer) -> list[tuple[str, int]]:
        """The footer's counts, labelled."""
        words = _words(self.lang)
        left_out = words["left_out_unread" if footer.include_invalid else "left_out"]
        counts = [(words["records"], footer.records), (words["included"], footer.included), (left_out, footer.left_out)]
        return [(heading(label), count) for label, count in counts]

    def total_cells(self) -> list[str]:
        """The totals line: the word in the first column, sums under the columns that add up."""
        words = _words(self.lang)
        cells = []
        for index, name in enumerate(self.columns):
            if name in self.sums:
                cells.append(cell_text(name, self.sums[name], self.lang))
            else:
                cells.append(words["total"] if index == 0 else "")
        return cells


class CsvWriter(Writer):
    """CSV as spreadsheet applications open it; German: byte-order mark, ``;`` and decimal commas."""

    def begin(self) -> None:
        """The header."""
        bom, self.delimiter = csv_dialect(self.lang)
        self.write(bom + csv_row([column_heading(c, self.lang) for c in self.columns], self.delimiter))

    def row(self, row: Row) -> None:
        """A row; text from the data is neutralised against formulas, numbers are not."""
        self.add_to_totals(row)
        cells: list[object] = []
        for name in self.columns:
            value = getattr(row, name)
            text = cell_text(name, value, self.lang)
            cells.append(Numeral(text) if isinstance(value, int | Decimal) and not isinstance(value, bool) else text)
        self.write(csv_row(cells, self.delimiter))

    def finish(self, footer: Footer) -> None:
        """The totals, then the footer's counts as rows of their own."""
        self.write(csv_row([Numeral(c) for c in self.total_cells()], self.delimiter))
        for label, count in self.footer_lines(footer):
            self.write(csv_row([label, Numeral(str(count))], self.delimiter))


def markdown_cell(text: str) -> str:
    """*text* for a Markdown table cell: nothing in it can end the cell, start markup, a link or HTML."""
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for character in "|`*_[]~":
        text = text.replace(character, "\\" + character)
    text = text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")
    if text.startswith(("#", "-", "=", "+")):
        text = "\\" + text
    return text


class MarkdownWriter(Writer):
    """A Markdown table (GitHub flavour), every cell escaped."""

    def begin(self) -> None:
        """Title and table header."""
        words = _words(self.lang)
        self.write(f"# {words['title'].format(kind=words['kinds'][self.kind])}\n\n")
        self.write(self._line([column_heading(c, self.lang) for c in self.columns]))
        aligned = ["---:" if _is_number(c, self.row_type) else "---" for c in self.columns]
        self.write("| " + " | ".join(aligned) + " |\n")

    @staticmethod
    def _line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(markdown_cell(c) for c in cells) + " |\n"

    def row(self, row: Row) -> None:
        """A row."""
        self.add_to_totals(row)
        self.write(self._line([cell_text(c, getattr(row, c), self.lang) for c in self.columns]))

    def finish(self, footer: Footer) -> None:
        """The totals line in bold, then the footer."""
        cells = [f"**{markdown_cell(c)}**" if c else "" for c in self.total_cells()]
        self.write("| " + " | ".join(cells) + " |\n\n")
        for label, count in self.footer_lines(footer):
            self.write(f"- {markdown_cell(label)}: {count}\n")


class JsonWriter(Writer):
    """One JSON document, streamed: ``{"version": 1, "kind", "rows": [...], "totals": {...}, "footer": {...}}``."""

    def begin(self) -> None:
        """Open the document."""
        self.write(f'{{"version": 1, "kind": {json.dumps(self.kind)}, "rows": [')
        self.first = True

    def row(self, row: Row) -> None:
        """A row as an object, keys as the row class's fields."""
        self.add_to_totals(row)
        entry = {name: json_value(getattr(row, name)) for name in self.columns}
        self.write(("\n" if self.first else ",\n") + json.dumps(entry, ensure_ascii=False))
        self.first = False

    def finish(self, footer: Footer) -> None:
        """Totals and footer."""
        sums = {name: json_value(value) for name, value in self.sums.items()}
        self.write(f'\n], "totals": {json.dumps(sums)}, "footer": {json.dumps(attrs.asdict(footer))}}}\n')


class HtmlWriter(Writer):
    """A self-contained page: the table, the totals and the footer's counts (the page style of ``_formats``)."""

    def begin(self) -> None:
        """The page, up to the table's rows."""
        words = _words(self.lang)
        self.write(html_page_start(words["title"].format(kind=words["kinds"][self.kind]), self.lang))
        self.numbers = frozenset(column_heading(c, self.lang) for c in self.columns if _is_number(c, self.row_type))
        headers = "".join(
            f"<th{' class=' + chr(34) + 'number' + chr(34) if column_heading(c, self.lang) in self.numbers else ''}>"
            f"{html_text(column_heading(c, self.lang))}</th>"
            for c in self.columns
        )
        self.write(f'<div class="scroll"><table id="report"><thead><tr>{headers}</tr></thead>\n<tbody>\n')

    def _cells(self, values: Sequence[str]) -> str:
        return html_row(
            [(column_heading(c, self.lang), v) for c, v in zip(self.columns, values, strict=True)], self.numbers
        )

    def row(self, row: Row) -> None:
        """A row."""
        self.add_to_totals(row)
        self.write(self._cells([cell_text(c, getattr(row, c), self.lang) for c in self.columns]))

    def finish(self, footer: Footer) -> None:
        """Totals, the footer's counts, the end of the page."""
        self.write("</tbody>\n<tfoot>\n" + self._cells(self.total_cells()) + "</tfoot></table></div>\n")
        self.write(html_summary(self.footer_lines(footer), "footer"))
        from willkommen._formats import _version  # noqa: PLC0415 - only pages name the version

        words = _words(self.lang)
        self.write(f"<p>{html_text(words['footer'])}</p>\n")
        self.write(html_page_end(words["made_by"].format(version=_version())))


WRITERS: dict[str, type[Writer]] = {"csv": CsvWriter, "md": MarkdownWriter, "json": JsonWriter, "html": HtmlWriter}


def run_report(
    aggregation: Aggregation,
    records: Iterable[tuple[Alliance | None, bool]],
    writer: Writer | None,
    *,
    include_invalid: bool,
) -> tuple[list[Row], Footer]:
    """Feed *records* (the alliance read, or None; valid or not) through the aggregation and the writer.

    Rows go to the writer as they come; the rows are also returned unless a
    writer takes them (a report of 100,000 alliances is not held).
    """
    kept: list[Row] = []
    read = included = 0

    def emit(rows: Iterable[Row]) -> None:
        for row in rows:
            if writer is None:
                kept.append(row)
            else:
                writer.row(row)

    if writer is not None:
        writer.begin()
    with decimal.localcontext(prec=_EXACT_DIGITS):  # every sum of hours exact
        for alliance, valid in records:
            read += 1
            if alliance is None or not (valid or include_invalid):
                continue
            included += 1
            emit(aggregation.add(alliance, valid=valid))
        emit(aggregation.finish())
    footer = Footer(records=read, included=included, left_out=read - included, include_invalid=include_invalid)
    if writer is not None:
        writer.finish(footer)
    return kept, footer
