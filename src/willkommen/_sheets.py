"""Between sheets of cells and documents: the spreadsheet's side of reading and writing.

Reading turns the rows of a workbook into the same dict documents the JSON
reader takes, and remembers for every object and value the sheet, row and
column it came from (the *source map*). The existing reader then checks each
document, and every problem's JSON Pointer is mapped back to its cell.
Nothing here knows a file format: ``_workbooks.py`` turns files into rows of
cell values and back.

A cell's value is ``None`` (empty), ``str``, ``int``, ``float``, ``Decimal``,
``date``, ``datetime`` or ``bool``; a file without types (CSV) gives only
``str`` and ``None``.
"""

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from willkommen._json import parse
from willkommen._layout import LIST_SEPARATOR, Column, Lang, Layout, Sheet, code_label, code_lookup, fold
from willkommen._problems import (
    INVALID_VALUE,
    SHEET_DATE_EXPECTED,
    SHEET_DUPLICATE_COLUMN,
    SHEET_DUPLICATE_ID,
    SHEET_JSON_EXPECTED,
    SHEET_MISSING,
    SHEET_NUMBER_EXPECTED,
    SHEET_TEXT_EXPECTED,
    SHEET_TOO_LARGE,
    SHEET_UNKNOWN,
    SHEET_UNKNOWN_COLUMN,
    SHEET_UNKNOWN_PARENT,
    SHEET_WHOLE_NUMBER_EXPECTED,
    UNKNOWN_KEY,
    Location,
    Problem,
)
from willkommen._text import escape, quote

Cell = str | int | float | Decimal | dt.date | bool | None

VERSION_KEY = "schema_version"
_INFO_HEADINGS = (("Key", "Value"), ("Angabe", "Wert"))


@attrs.frozen(kw_only=True)
class Limits:
    """How much of a spreadsheet is read before it is refused (``sheet.too_large``).

    A row counts whether blank or not, so a million blank rows stop at
    ``rows``. The defaults hold some thousand alliances with room to spare.
    """

    #: Bytes of the file (a CSV folder: of all its files together).
    file_size: int = 20_000_000
    #: Rows of one sheet, blank ones included.
    rows: int = 100_000
    #: Columns of one sheet.
    columns: int = 200
    #: Non-empty cells of the whole workbook.
    cells: int = 2_000_000
    #: Bytes of all parts of an XLSX, ODS or ZIP when unpacked.
    unpacked_size: int = 200_000_000
    #: How many times larger than packed a part may unpack ...
    ratio: int = 100
    #: ... once it unpacks to more than this many bytes (small XML packs well, and harms no one).
    ratio_above: int = 1_000_000
    #: Parts of an XLSX, ODS or ZIP.
    parts: int = 1_000


@attrs.frozen(kw_only=True)
class CellStyle:
    """What a file format needs to know of the cells: none (CSV) or real types, and the decimal comma."""

    typed: bool
    decimal_comma: bool = False


@attrs.frozen
class RawSheet:
    """The rows of one sheet as a file holds them: ``(row number, cell values)``, numbers as shown.

    ``style`` overrides the workbook's for this sheet (a CSV file's own separator).
    """

    name: str
    rows: Iterable[tuple[int, Sequence[Cell]]]
    style: CellStyle | None = None


def column_letter(index: int) -> str:
    """``A`` for 0, ``Z`` for 25, ``AA`` for 26: the column's name in a cell reference."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def is_blank(value: Cell) -> bool:
    """Whether a cell is empty: no value, or an empty text (never blanks, which are text)."""
    return value is None or value == ""


# Excel's limit on the characters of one cell; openpyxl cuts a longer text without a word.
XLSX_CELL_TEXT = 32_767

# --- writing: documents to rows -------------------------------------------------------------------


class _Writer:
    """Lays documents (what ``dump`` gives, or parsed data with errors) out in rows.

    Values go in as they are where they do not fit their column (a code the
    list lacks, a date that is no date): a draft with errors can be written
    to be fixed in the spreadsheet.
    """

    def __init__(self, layout: Layout, lang: Lang, *, xlsx: bool = False) -> None:
        self.layout = layout
        self.lang = lang
        self.xlsx = xlsx
        self.rows: list[list[list[Cell]]] = [[] for _ in layout.sheets]
        self.problems: list[Problem] = []

    def object(self, index: int, obj: Any, keys: list[Cell], pointer: str, number: int) -> None:
        sheet = self.layout.sheets[index]
        row: list[Cell] = []
        for column in sheet.columns:
            if column.role == "key":
                row.append(keys[sheet.keys.index(column)])
            elif column.role == "number":
                row.append(number)
            else:
                row.append(self.cell(obj, column, pointer))
        self.rows[index].append(row)
        children = self.layout.children(index)
        own = [*keys, (self.plain(_get(obj, ("id",))) if sheet.number is None else number) if children else None]
        for child in children:
            path = self.layout.sheets[child].path
            items = _get(obj, path)
            for position, item in enumerate(items if isinstance(items, list) else ()):
                child_pointer = f"{pointer}/{'/'.join(escape(p) for p in path)}/{position}"
                self.object(child, item, own, child_pointer, position + 1)

    def cell(self, obj: Any, column: Column, pointer: str) -> Cell:
        where = f"{pointer}/{'/'.join(escape(p) for p in column.path)}"
        cell = self.laid_out(_get(obj, column.path), column, where)
        if self.xlsx:
            self.check_xlsx(cell, where)
        return cell

    def check_xlsx(self, cell: Cell, where: str) -> None:
        """A problem if XLSX would hold *cell* as another value: floats to 16 digits, text cut at 32,767."""
        if isinstance(cell, Decimal) and cell != cell.to_integral_value():
            cell = float(cell)
        if isinstance(cell, float) and math.isfinite(cell) and float(f"{cell:.16g}") != cell:
            expected = "a number of at most 16 significant digits, as XLSX stores; write ODS or CSV to keep it"
            expected_de = (
                "eine Zahl mit höchstens 16 gültigen Ziffern, wie XLSX sie speichert; für sie ODS oder CSV schreiben"
            )
        elif isinstance(cell, str) and len(cell) > XLSX_CELL_TEXT:
            expected = (
                f"text of at most {XLSX_CELL_TEXT:,} characters, as an XLSX cell holds; write ODS or CSV to keep it"
            )
            expected_de = (
                f"Text mit höchstens {XLSX_CELL_TEXT:,} Zeichen, wie eine XLSX-Zelle ihn fasst; "
                "für ihn ODS oder CSV schreiben"
            )
        else:
            return
        shown = cell if isinstance(cell, float) else f"{cell[:20]}… ({len(cell):,} characters)"
        self.problems.append(
            INVALID_VALUE.problem(where, value=quote(shown), expected=expected, expected_de=expected_de)
        )

    def laid_out(self, value: Any, column: Column, where: str) -> Cell:
        if value is None:
            return None
        if column.kind == "json":
            # The whole value, exactly as a document holds it (the reader checks it as any other).
            return json.dumps(value, ensure_ascii=False, default=str)
        if column.joined:
            if not isinstance(value, list):
                return self.plain(value)
            items = [self.value(item, column, f"{where}/{i}", joined=True) for i, item in enumerate(value)]
            return LIST_SEPARATOR.join(str(item) for item in items) or None
        return self.value(value, column, where, joined=False)

    def value(self, value: Any, column: Column, where: str, *, joined: bool) -> Cell:
        if column.codes is not None:
            member = next((m for m in column.codes if m.value == value), None)
            return self.plain(value) if member is None else code_label(member, self.lang)
        if column.kind == "date" and isinstance(value, str) and _ISO_DATE.fullmatch(value) and not joined:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        if column.kind == "decimal" and isinstance(value, float):
            # The shortest text that reads back as this float: 33.3, not 33.29999…
            return Decimal(repr(value))
        if isinstance(value, str) and (value == "" or (joined and (";" in value or value != value.strip()))):
            self.problems.append(
                INVALID_VALUE.problem(
                    where,
                    value=quote(value),
                    expected="text a spreadsheet cell can tell apart: not empty"
                    + ("; in a list, without ';' or surrounding blanks" if joined else ""),
                    expected_de="Text, den eine Tabellenzelle unterscheiden kann: nicht leer"
                    + ("; in einer Liste ohne ';' und umgebende Leerzeichen" if joined else ""),
                )
            )
        return self.plain(value)

    @staticmethod
    def plain(value: Any) -> Cell:
        if value is None or isinstance(value, str | int | float | Decimal | bool):
            return value
        # Anything else a broken document holds (an object, a list) is written as its JSON text.
        return json.dumps(value, ensure_ascii=False, default=str)


def _get(obj: Any, path: Sequence[str]) -> Any:
    for name in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(name)
    return obj


def rows_of(
    documents: Sequence[dict[str, Any]], layout: Layout, lang: Lang, *, xlsx: bool = False
) -> tuple[list[list[list[Cell]]], list[Problem]]:
    """The rows of every sheet for *documents* (without headings), and what could not be written.

    With *xlsx*, a value XLSX would store as another (a float of 17 digits, a text
    longer than a cell holds) is a problem too.
    """
    writer = _Writer(layout, lang, xlsx=xlsx)
    seen: set[object] = set()
    for position, document in enumerate(documents):
        prefix = f"/{position}" if len(documents) > 1 else ""
        own = _get(document, ("id",))
        if isinstance(own, str) and own in seen:
            # The other sheets name their alliance by its id: two alike could not be told apart.
            writer.problems.append(
                INVALID_VALUE.problem(
                    f"{prefix}/id",
                    value=quote(own),
                    expected="an id no other alliance of the workbook has",
                    expected_de="eine ID, die kein anderes Bündnis der Arbeitsmappe hat",
                )
            )
        seen.add(own)
        writer.object(0, document, [], prefix, position + 1)
    return writer.rows, writer.problems


def info_rows(version: int, lang: Lang) -> list[list[Cell]]:
    """The info sheet: its heading and the ``schema_version`` row."""
    return [list(_INFO_HEADINGS[lang == "de"]), [VERSION_KEY, version]]


# --- reading cells --------------------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?[0-9]+")
_WHOLE = re.compile(r"([+-]?[0-9]+)[.,]0+")
_DECIMAL_POINT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+(,[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GERMAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
# A text a spreadsheet application would read as a formula, and the CSV escape that keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_ESCAPE = "'"


class _CellProblem(Exception):  # noqa: N818 - a problem, raised to leave the conversion
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _number_hint(value: Cell, style: CellStyle) -> tuple[str, str]:
    if not isinstance(value, str) or not (
        _DECIMAL_COMMA.fullmatch(value.strip()) or _DECIMAL_POINT.fullmatch(value.strip())
    ):
        return "", ""
    if style.typed:
        return (
            ": it is entered as text; format the cell as a number and enter it again",
            ": sie ist als Text eingegeben; Zelle als Zahl formatieren und neu eingeben",
        )
    if style.decimal_comma:
        return (
            ": a file separated by ';' writes numbers with a decimal comma (33,3)",
            ": eine mit ';' getrennte Datei schreibt Zahlen mit Dezimalkomma (33,3)",
        )
    return (
        ": a file separated by ',' writes numbers with a decimal point (33.3)",
        ": eine mit ',' getrennte Datei schreibt Zahlen mit Dezimalpunkt (33.3)",
    )


def _got(value: Cell) -> tuple[str, str]:
    if isinstance(value, bool):
        return "truth value", "Wahrheitswert"
    if isinstance(value, dt.date):
        return "date", "Datum"
    return "number", "Zahl"


class CellReader:
    """Reads one cell as the JSON value of its column, or raises with a helpful problem."""

    def __init__(self, style: CellStyle) -> None:
        self.style = style

    def read(self, column: Column, value: Cell, where: str) -> Any:  # noqa: PLR0911, PLR0912, C901 - one branch per kind
        if column.kind == "json":
            return self.json(value, where)
        if column.joined:
            if not isinstance(value, str):
                value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
            if not isinstance(value, str):
                raise self.fail(SHEET_TEXT_EXPECTED, value, where)
            items = [item.strip() for item in value.split(";")]
            return [self.item(column, item, where) for item in items if item]
        if column.kind == "text" or column.role == "tag":
            if isinstance(value, str):
                return self.text(value)
            if column.role == "key" and isinstance(value, int) and not isinstance(value, bool):
                return str(value)
            raise self.fail(SHEET_TEXT_EXPECTED, value, where)
        if column.kind == "code":
            assert column.codes is not None
            return code_lookup(column.codes).get(fold(value), value) if isinstance(value, str) else value
        if isinstance(value, str) and not self.style.typed:
            return self.item(column, value, where)
        if column.kind == "integer":
            return self.integer(value, where)
        if column.kind in ("decimal", "number"):
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                raise self.fail(SHEET_NUMBER_EXPECTED, value, where)
            number = value if isinstance(value, Decimal) else Decimal(repr(value))
            return number if column.kind == "decimal" else float(number)
        if column.kind == "date":
            if isinstance(value, dt.datetime):
                if value.time() != dt.time():
                    raise self.fail(SHEET_DATE_EXPECTED, value, where)
                return value.date().isoformat()
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, str) and _ISO_DATE.fullmatch(value):
                return value
            raise self.fail(SHEET_DATE_EXPECTED, value, where)
        return value  # boolean: the reader checks it

    def integer(self, value: Cell, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self.fail(SHEET_NUMBER_EXPECTED, value, where)
        if isinstance(value, int):
            return value
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise self.fail(SHEET_NUMBER_EXPECTED, value, where)
        if value != int(value):
            raise self.fail(SHEET_WHOLE_NUMBER_EXPECTED, value, where)
        return int(value)

    def item(self, column: Column, text: str, where: str) -> Any:  # noqa: PLR0911, PLR0912, C901 - one branch per kind
        """A value written as text: an item of a joined list, or any cell of a CSV file."""
        if column.kind == "code":
            assert column.codes is not None
            return code_lookup(column.codes).get(fold(text), text)
        if column.kind == "text":
            return self.text(text)
        stripped = text.strip()
        if column.kind == "integer":
            if _INTEGER.fullmatch(stripped):
                return int(stripped)
            whole = _WHOLE.fullmatch(stripped)
            if whole:
                return int(whole.group(1))
            if _DECIMAL_POINT.fullmatch(stripped) or _DECIMAL_COMMA.fullmatch(stripped):
                raise self.fail(SHEET_WHOLE_NUMBER_EXPECTED, text, where)
            raise self.fail(SHEET_NUMBER_EXPECTED, text, where)
        if column.kind in ("decimal", "number"):
            pattern = _DECIMAL_COMMA if self.style.decimal_comma else _DECIMAL_POINT
            if not pattern.fullmatch(stripped):
                raise self.fail(SHEET_NUMBER_EXPECTED, text, where)
            try:
                number = Decimal(stripped.replace(",", "."))
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                raise self.fail(SHEET_NUMBER_EXPECTED, text, where) from None
            return number if column.kind == "decimal" else float(number)
        if column.kind == "date":
            if _ISO_DATE.fullmatch(stripped):
                return stripped
            german = _GERMAN_DATE.fullmatch(stripped)
            if german and not self.style.typed:
                day, month, year = german.groups()
                try:
                    return dt.date(int(year), int(month), int(day)).isoformat()
                except ValueError:
                    raise self.fail(SHEET_DATE_EXPECTED, text, where) from None
            raise self.fail(SHEET_DATE_EXPECTED, text, where)
        if column.kind == "boolean":
            return {"true": True, "wahr": True, "false": False, "falsch": False}.get(fold(text), text)
        return text  # pragma: no cover - every kind is above

    def json(self, value: Cell, where: str) -> Any:
        """A cell holding a whole value as JSON text (a typed number cell is that number)."""
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return value
        if not isinstance(value, str):
            raise self.fail(SHEET_JSON_EXPECTED, value, where)
        parsed, problems = parse(self.text(value))
        if problems:
            raise self.fail(SHEET_JSON_EXPECTED, value, where, reason=problems[0])
        return parsed

    def text(self, value: str) -> str:
        if not self.style.typed and value.startswith(TEXT_ESCAPE) and value[1:2] in (*_FORMULA_START, TEXT_ESCAPE):
            return value[1:]
        return value

    def fail(self, rule: Any, value: Cell, where: str, reason: Problem | None = None) -> _CellProblem:
        got, got_de = _got(value)
        hint, hint_de = ("", "")
        if reason is not None:
            # Why the JSON text is not JSON, as the JSON reader says it.
            hint, hint_de = f": {reason.message}", f": {reason.message_de}"
        elif rule is SHEET_NUMBER_EXPECTED:
            hint, hint_de = _number_hint(value, self.style)
        elif rule is SHEET_DATE_EXPECTED and isinstance(value, str) and _GERMAN_DATE.fullmatch(value.strip()):
            hint, hint_de = (
                ": it is entered as text; enter it as a date, or as YYYY-MM-DD",
                ": es ist als Text eingegeben; als Datum oder als JJJJ-MM-TT eingeben",
            )
        shown = value.isoformat() if isinstance(value, dt.date) else value
        return _CellProblem(rule.problem(where, value=quote(shown), got=got, got_de=got_de, hint=hint, hint_de=hint_de))


def escape_text(text: str) -> str:
    """A text for a CSV cell: one that a spreadsheet application would take as a formula gets a leading ``'``."""
    if text.startswith((*_FORMULA_START, TEXT_ESCAPE)):
        return TEXT_ESCAPE + text
    return text


# --- reading sheets into documents ----------------------------------------------------------------


@attrs.frozen
class _Row:
    sheet: int
    number: int
    values: dict[int, Cell]


@attrs.define
class _SheetInFile:
    name: str
    cells: "CellReader"
    columns: dict[int, Column] = attrs.Factory(dict)
    letters: dict[str, tuple[str, str]] = attrs.Factory(dict)  # column name -> (letter, heading)
    rows: list[_Row] = attrs.Factory(list)


@attrs.define
class _Place:
    """Where one object of a document stands: its sheet and row, and the path below it to that row's cells."""

    sheet: int
    row: int
    prefix: tuple[str, ...] = ()


@attrs.define
class SheetDocument:
    """A document read from a workbook, its source map, and the problems of its cells."""

    data: dict[str, Any]
    row: int
    places: dict[str, _Place] = attrs.Factory(dict)
    problems: list[Problem] = attrs.Factory(list)
    suppressed: set[str] = attrs.Factory(set)


@attrs.define
class WorkbookRows:
    """What :func:`documents` found: one document per row of the main sheet, and the workbook's own problems."""

    documents: list[SheetDocument]
    problems: list[Problem]
    lang: Lang
    sheets: list[_SheetInFile | None]
    info_sheet: str
    version_cell: tuple[str, int] | None


class _TooLarge(Exception):  # noqa: N818 - a signal, caught where reading stops
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


class Reader:
    """Turns the sheets of one workbook into documents with their source map."""

    def __init__(self, layout: Layout, style: CellStyle, limits: Limits) -> None:
        self.layout = layout
        self.cells = CellReader(style)
        self.limits = limits
        self.problems: list[Problem] = []
        self.found: list[_SheetInFile | None] = [None] * len(layout.sheets)
        self.info: _SheetInFile | None = None
        self.version: Any = None
        self.version_cell: tuple[str, int] | None = None
        self.lang_votes = {"en": 0, "de": 0}
        self.cell_count = 0

    def too_large(self, sheet: str, what: tuple[str, str], limit: int, row: int | None = None) -> _TooLarge:
        problem = SHEET_TOO_LARGE.problem("", what=what[0], what_de=what[1], limit=f"{limit:,}")
        return _TooLarge(_located(problem, Location(sheet=sheet, row=row)))

    def sheet_index(self, name: str) -> int | None:
        wanted = fold(name)
        for index, sheet in enumerate(self.layout.sheets):
            for lang, title in (("en", sheet.title_en), ("de", sheet.title_de), ("", sheet.key)):
                if fold(title) == wanted:
                    if lang:
                        self.lang_votes[lang] += 1
                    return index
        return None

    def add_sheet(self, raw: RawSheet) -> None:
        """Read one sheet's rows, within the limits."""
        if fold(raw.name) in (fold(self.layout.lists_en), fold(self.layout.lists_de)):
            return  # the drop-downs' code lists, written from the code lists themselves: nothing to read
        info = fold(raw.name) in (fold(self.layout.info_en), fold(self.layout.info_de))
        index = None if info else self.sheet_index(raw.name)
        if not info and index is None:
            expected = ", ".join(quote(s.title(self.lang())) for s in self.layout.sheets)
            self.problems.append(
                _located(
                    SHEET_UNKNOWN.problem(
                        "", sheet=quote(raw.name), expected=expected + f", {quote(self.layout.info(self.lang()))}"
                    ),
                    Location(sheet=raw.name),
                )
            )
            return
        found = _SheetInFile(raw.name, CellReader(raw.style) if raw.style else self.cells)
        if index is None:
            self.info = found
            sheet = None
        else:
            earlier = self.found[index]
            if earlier is not None:
                expected = f"one sheet for {quote(earlier.name)}"
                self.problems.append(
                    _located(
                        SHEET_UNKNOWN.problem("", sheet=quote(raw.name), expected=expected), Location(sheet=raw.name)
                    )
                )
                return
            self.found[index] = found
            sheet = self.layout.sheets[index]
        try:
            self.read_rows(raw, found, sheet)
        except _TooLarge as exc:
            self.problems.append(exc.problem)
            raise

    def read_rows(self, raw: RawSheet, found: _SheetInFile, sheet: Sheet | None) -> None:
        heading_seen = False
        for number, values in raw.rows:
            if number > self.limits.rows:
                raise self.too_large(raw.name, ("the number of rows", "die Zahl der Zeilen"), self.limits.rows, number)
            last = max((i for i, v in enumerate(values) if not is_blank(v)), default=-1)
            if last < 0:
                continue
            if last >= self.limits.columns:
                raise self.too_large(
                    raw.name, ("the number of columns", "die Zahl der Spalten"), self.limits.columns, number
                )
            present = {i: values[i] for i in range(last + 1) if not is_blank(values[i])}
            self.cell_count += len(present)
            if self.cell_count > self.limits.cells:
                raise self.too_large(
                    raw.name, ("the number of cells", "die Zahl der Zellen"), self.limits.cells, number
                )
            if not heading_seen:
                heading_seen = True
                if sheet is None:
                    if fold(str(present.get(0, ""))) in {fold(h[0]) for h in _INFO_HEADINGS}:
                        continue
                else:
                    self.headings(found, sheet, number, present)
                    continue
            if sheet is None:
                self.info_row(found, number, present)
            else:
                found.rows.append(_Row(0, number, present))

    def headings(self, found: _SheetInFile, sheet: Sheet, number: int, present: dict[int, Cell]) -> None:
        names: dict[str, tuple[Column, str]] = {}
        for column in sheet.columns:
            for lang, text in (("en", column.heading_en), ("de", column.heading_de), ("", column.name)):
                names.setdefault(fold(text), (column, lang))
        first: dict[str, int] = {}
        for index, value in sorted(present.items()):
            text = str(value)
            cell = f"{column_letter(index)}{number}"
            match = names.get(fold(text))
            if match is None:
                expected = ", ".join(quote(c.heading(self.lang())) for c in sheet.columns)
                self.problems.append(
                    _located(
                        SHEET_UNKNOWN_COLUMN.problem("", heading=quote(text), expected=expected),
                        Location(sheet=found.name, cell=cell, row=number, column=text),
                    )
                )
                # Its cells belong to no field: each of them is reported below as in an unknown column.
                found.columns[index] = Column(("",), "text", text, text, role="tag")
                continue
            column, lang = match
            if lang:
                self.lang_votes[lang] += 1
            if column.name in first:
                other = first[column.name]
                self.problems.append(
                    _located(
                        SHEET_DUPLICATE_COLUMN.problem(
                            "",
                            first=column_letter(other),
                            second=column_letter(index),
                            heading=quote(column.heading(self.lang())),
                        ),
                        Location(sheet=found.name, cell=cell, row=number, column=text),
                    )
                )
                continue
            first[column.name] = index
            found.columns[index] = column
            found.letters[column.name] = (column_letter(index), text)

    def info_row(self, found: _SheetInFile, number: int, present: dict[int, Cell]) -> None:
        key = str(present.get(0, ""))
        if fold(key) == VERSION_KEY and self.version_cell is None:
            value = present.get(1)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
                value = int(value.strip())
            self.version = value
            self.version_cell = (f"B{number}", number)
            return
        self.problems.append(
            _located(
                UNKNOWN_KEY.problem("", key=quote(key)),
                Location(sheet=found.name, cell=f"A{number}", row=number, column=key),
            )
        )

    def lang(self) -> Lang:
        """The language of the workbook: that of most of the headings and sheet names it matched."""
        return "de" if self.lang_votes["de"] > self.lang_votes["en"] else "en"

    def documents(self) -> WorkbookRows:
        """Build the documents from the rows read."""
        lang = self.lang()
        main = self.found[0]
        if main is None:
            self.problems.append(SHEET_MISSING.problem("", sheet=quote(self.layout.sheets[0].title(lang))))
            return WorkbookRows([], self.problems, lang, self.found, self.layout.info(lang), None)
        registry: list[dict[tuple[Any, ...], list[tuple[dict[str, Any], SheetDocument, str]]]] = [
            {} for _ in self.layout.sheets
        ]
        docs: list[SheetDocument] = []
        for row in main.rows:
            data: dict[str, Any] = {}
            if self.version_cell is not None:
                data[VERSION_KEY] = self.version
            doc = SheetDocument(data, row.number)
            doc.places[""] = _Place(0, row.number)
            self.fill(doc, data, "", 0, main, row)
            docs.append(doc)
            own = data.get("id")
            twins = registry[0].setdefault((own,), [])
            if twins and own is not None:
                letter = main.letters.get("id", ("A", ""))[0]
                doc.problems.append(
                    _located(
                        SHEET_DUPLICATE_ID.problem("/id", value=quote(own), other=twins[0][1].row),
                        Location(
                            sheet=main.name,
                            cell=f"{letter}{row.number}",
                            row=row.number,
                            column=main.letters.get("id", ("", "ID"))[1],
                        ),
                    )
                )
            twins.append((data, doc, ""))
        for index, sheet in enumerate(self.layout.sheets):
            found = self.found[index]
            if index == 0 or found is None:
                continue
            assert sheet.parent is not None
            for row in found.rows:
                self.child_row(index, sheet, found, row, registry)
        return WorkbookRows(
            docs,
            self.problems,
            lang,
            self.found,
            self.info.name if self.info else self.layout.info(lang),
            self.version_cell,
        )

    def child_row(
        self,
        index: int,
        sheet: Sheet,
        found: _SheetInFile,
        row: _Row,
        registry: list[dict[tuple[Any, ...], list[tuple[dict[str, Any], SheetDocument, str]]]],
    ) -> None:
        keys: list[Any] = []
        by_name = {column.name: i for i, column in found.columns.items()}
        for column in sheet.keys:
            position = by_name.get(column.name)
            value = row.values.get(position) if position is not None else None
            if value is not None and not isinstance(value, str):
                # A key typed as a number (12 for "12") still names its parent; 12.5 or a date does not.
                value = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            if isinstance(value, str):
                value = found.cells.text(value)
            if column.kind == "integer" and isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
                value = int(value.strip())
            keys.append(value)
        assert sheet.parent is not None
        parents = registry[sheet.parent].get(tuple(keys), [])
        if len(parents) != 1:
            column = sheet.keys[_first_unmatched(keys, registry[sheet.parent]) if not parents else -1]
            position = by_name.get(column.name)
            letter = column_letter(position) if position is not None else None
            reason = (
                ("names no row of the sheet", "nennt keine Zeile des Blatts")
                if not parents
                else ("names more than one row of the sheet", "nennt mehr als eine Zeile des Blatts")
            )
            parent_found = self.found[sheet.parent]
            parent_title = parent_found.name if parent_found else self.layout.sheets[sheet.parent].title(self.lang())
            self.problems.append(
                _located(
                    SHEET_UNKNOWN_PARENT.problem(
                        "",
                        heading=column.heading(self.lang()),
                        value=quote(keys[-1]),
                        reason=reason[0],
                        reason_de=reason[1],
                        sheet=quote(parent_title),
                    ),
                    Location(
                        sheet=found.name,
                        cell=f"{letter}{row.number}" if letter else None,
                        row=row.number,
                        column=column.heading(self.lang()),
                    ),
                )
            )
            return
        parent, doc, parent_pointer = parents[0]
        holder = parent
        for name in sheet.path[:-1]:
            holder = holder.setdefault(name, {})
        items = holder.setdefault(sheet.path[-1], [])
        pointer = f"{parent_pointer}/{'/'.join(escape(p) for p in sheet.path)}/{len(items)}"
        data: dict[str, Any] = {}
        items.append(data)
        doc.places[pointer] = _Place(index, row.number)
        self.fill(doc, data, pointer, index, found, row)
        own = data.get("id") if sheet.number is None else _number_of(row, found)
        registry[index].setdefault((*keys, own), []).append((data, doc, pointer))

    def fill(  # noqa: PLR0913, PLR0917 - the document, the object, and where it stands
        self, doc: SheetDocument, data: dict[str, Any], pointer: str, index: int, found: _SheetInFile, row: _Row
    ) -> None:
        sheet = self.layout.sheets[index]
        for child in self.layout.children(index):
            child_sheet = self.layout.sheets[child]
            if child_sheet.required:
                data[child_sheet.path[0]] = []
        for column in sheet.columns:
            if column.joined and not column.optional and column.role == "field":
                _set(data, column.path, [])
        for position, value in row.values.items():
            found_column = found.columns.get(position)
            letter = column_letter(position)
            if found_column is None:
                # Cells beyond the headings: a column without a heading.
                self.problems.append(
                    _located(
                        SHEET_UNKNOWN_COLUMN.problem("", heading=quote(""), expected="a heading above it"),
                        Location(sheet=found.name, cell=f"{letter}{row.number}", row=row.number),
                    )
                )
                continue
            column = found_column
            if column.role in ("key", "number"):
                continue
            if column.path == ("",):
                continue  # reported once, at its heading
            where = f"{pointer}/{'/'.join(escape(p) for p in column.path)}"
            try:
                _set(data, column.path, found.cells.read(column, value, where))
            except _CellProblem as exc:
                doc.problems.append(
                    _located(
                        exc.problem,
                        Location(
                            sheet=found.name,
                            cell=f"{letter}{row.number}",
                            row=row.number,
                            column=found.letters.get(column.name, ("", column.heading(self.lang())))[1],
                        ),
                    )
                )
                doc.suppressed.add(where)


def _first_unmatched(keys: list[Any], parents: dict[tuple[Any, ...], Any]) -> int:
    """The index of the first key (outermost first) that no parent row has: the cell to point at."""
    for length in range(1, len(keys) + 1):
        if not any(key[:length] == tuple(keys[:length]) for key in parents):
            return length - 1
    return len(keys) - 1


def _number_of(row: _Row, found: _SheetInFile) -> Any:
    for position, column in found.columns.items():
        if column.role == "number":
            value = row.values.get(position)
            if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
                return int(value.strip())
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return value
    return None


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        data = data.setdefault(name, {})
    data[path[-1]] = value


def _located(problem: Problem, location: Location) -> Problem:
    return attrs.evolve(problem, location=location)


def read_sheets(sheets: Iterator[RawSheet], layout: Layout, style: CellStyle, limits: Limits) -> WorkbookRows:
    """Read every sheet, within *limits*; one too large ends the reading with ``sheet.too_large``."""
    reader = Reader(layout, style, limits)
    try:
        for raw in sheets:
            reader.add_sheet(raw)
    except _TooLarge:
        lang = reader.lang()
        return WorkbookRows([], reader.problems, lang, reader.found, layout.info(lang), None)
    return reader.documents()


def locate(problem: Problem, doc: SheetDocument, rows: WorkbookRows, layout: Layout) -> Problem:
    """*problem* with the location of its JSON Pointer in the workbook."""
    if problem.location is not None:
        return problem
    path = problem.path
    if path == f"/{VERSION_KEY}":
        if rows.version_cell is None:
            return _located(problem, Location(sheet=rows.info_sheet))
        cell, row = rows.version_cell
        return _located(problem, Location(sheet=rows.info_sheet, cell=cell, row=row, column=VERSION_KEY))
    prefix = path
    while prefix not in doc.places:
        prefix = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
    place = doc.places[prefix]
    found = rows.sheets[place.sheet]
    assert found is not None
    rest = tuple(part.replace("~1", "/").replace("~0", "~") for part in path[len(prefix) :].split("/")[1:])
    best = _column_for(layout.sheets[place.sheet], rest)
    if best is None:
        return _located(problem, Location(sheet=found.name, row=place.row))
    letter_heading = found.letters.get(best.name)
    if letter_heading is None:
        # No such column in the file: name the one the value belongs in.
        return _located(problem, Location(sheet=found.name, row=place.row, column=best.heading(rows.lang)))
    letter, heading = letter_heading
    return _located(problem, Location(sheet=found.name, cell=f"{letter}{place.row}", row=place.row, column=heading))


def _column_for(sheet: Sheet, rest: tuple[str, ...]) -> Column | None:
    """The column of the value at *rest* below a row's object: the longest path above it, or the first below."""
    best: Column | None = None
    for column in sheet.columns:
        if column.role in ("key", "number"):
            continue
        if rest[: len(column.path)] == column.path and (best is None or len(column.path) > len(best.path)):
            best = column
    if best is None and rest:
        best = next((c for c in sheet.columns if c.path[: len(rest)] == rest and c.role != "key"), None)
    return best
