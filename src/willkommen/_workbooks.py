"""Spreadsheet files: XLSX, ODS and CSV (a folder or a ZIP) to rows of cells and back.

A workbook is untrusted input. Before any part is parsed, the ZIP directory
is checked (how many parts, how large unpacked, how much larger than packed:
a compression bomb stops there; Python's zipfile never unpacks more than a
part's declared size). XML is parsed by defusedxml, which refuses entity
declarations and external references. Rows are read one at a time and the
reading stops at the limits, so a sheet of a million blank rows costs no more
than the limit allows; an XLSX file's ``dimension`` (what it claims to hold)
is never trusted.

Writing puts data in cells, never something an application would run: text
goes in text cells (XLSX, ODS) or, in CSV, with a leading ``'`` where it
would start a formula. Sheet and file names come from the layout, never from
the data.

openpyxl (with defusedxml) reads and writes XLSX; ODS is plain XML in a ZIP,
written and read here (streamed) with the standard library and defusedxml;
CSV is the standard library's.
"""

import csv
import datetime as dt
import enum
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import attrs

from willkommen._errors import MissingExtraError
from willkommen._layout import Column, Lang, Layout, code_label
from willkommen._problems import SHEET_TOO_LARGE, SHEET_UNREADABLE, SHEET_UNSAFE, Location, Problem
from willkommen._sheets import Cell, CellStyle, Limits, RawSheet, escape_text, is_blank

_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_CSV_SUFFIX = ".csv"
_CSV_SEPARATORS = {"de": ";", "en": ","}
# How many rows of a written sheet get the drop-down lists.
_VALIDATED_ROWS = 5_000


class Refused(Exception):  # noqa: N818 - a problem that ends the reading of a file
    """The file cannot be read at all; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def unreadable(reason: str, reason_de: str, sheet: str | None = None) -> Refused:
    """The refusal of a file that is not a spreadsheet (or is damaged)."""
    problem = SHEET_UNREADABLE.problem("", reason=reason, reason_de=reason_de)
    return Refused(attrs.evolve(problem, location=Location(sheet=sheet)) if sheet else problem)


def unsafe(reason: str, reason_de: str) -> Refused:
    """The refusal of a file built to harm its reader."""
    return Refused(SHEET_UNSAFE.problem("", reason=reason, reason_de=reason_de))


def too_large(what: str, what_de: str, limit: int) -> Refused:
    """The refusal of a file beyond a limit."""
    return Refused(SHEET_TOO_LARGE.problem("", what=what, what_de=what_de, limit=f"{limit:,}"))


# --- Excel's escapes of characters XML cannot carry ------------------------------------------------

# XML 1.0 has no control characters but tab and newline, and parsers turn CR into LF: Excel writes
# them as _xHHHH_, and a text that looks like such an escape gets its "_" escaped (_x005F_).
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_xml_text(text: str) -> str:
    """*text* with what XML cannot carry written as Excel's ``_xHHHH_``."""
    return _UNSAFE_CHARACTERS.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape_xml_text(text: str) -> str:
    """The text an ``_xHHHH_``-escaped cell holds."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


# --- ZIP containers ---------------------------------------------------------------------------------


def open_zip(data: bytes, limits: Limits, kind: str) -> zipfile.ZipFile:
    """Open a ZIP container after checking its directory against *limits*."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - BadZipFile, NotImplementedError (an unknown ZIP version), …
        raise unreadable(f"not a {kind} file ({exc})", f"keine {kind}-Datei ({exc})") from None
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise too_large("the number of parts of the file", "die Zahl der Teile der Datei", limits.parts)
    if sum(info.file_size for info in infos) > limits.unpacked_size:
        raise too_large("the unpacked size", "die entpackte Größe", limits.unpacked_size)
    for info in infos:
        if info.flag_bits & 0x1:
            raise unreadable("the file is encrypted", "die Datei ist verschlüsselt")
        if info.file_size > limits.ratio_above and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise unsafe(
                f"the part {info.filename!r} unpacks to {info.file_size // max(info.compress_size, 1):,} times its"
                " packed size (a compression bomb)",
                f"der Teil {info.filename!r} entpackt auf das {info.file_size // max(info.compress_size, 1):,}-Fache"
                " seiner gepackten Größe (eine Kompressionsbombe)",
            )
    return archive


# --- XLSX ----------------------------------------------------------------------------------------------


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - an optional extra, loaded only for spreadsheets
    except ImportError:
        raise MissingExtraError("openpyxl") from None
    try:
        import defusedxml  # noqa: F401, PLC0415 - openpyxl parses with it when it is installed
    except ImportError:
        raise MissingExtraError("defusedxml") from None
    return openpyxl


def read_xlsx(data: bytes, limits: Limits) -> Iterator[RawSheet]:
    """The sheets of an XLSX workbook, their rows read lazily."""
    openpyxl = _openpyxl()
    if not openpyxl.DEFUSEDXML:
        # OPENPYXL_DEFUSEDXML=False turns the protection off: never read untrusted XML that way.
        raise unsafe(
            "openpyxl is set not to use defusedxml (OPENPYXL_DEFUSEDXML)",
            "openpyxl ist so eingestellt, dass es defusedxml nicht nutzt (OPENPYXL_DEFUSEDXML)",
        )
    open_zip(data, limits, "XLSX").close()
    try:
        # read_only streams rows; data_only takes the values a formula last gave, never runs it;
        # keep_links=False drops links to other workbooks.
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False, keep_vba=False
        )
    except Exception as exc:  # noqa: BLE001 - any failure to open is the file's problem
        raise _classified(exc) from None
    try:
        for sheet in book.worksheets:
            # The dimension is what the file claims; padding rows to it could cost any memory.
            sheet.reset_dimensions()
            yield RawSheet(sheet.title, _xlsx_rows(sheet))
    finally:
        book.close()


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, Sequence[Cell]]]:
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [unescape_xml_text(v) if isinstance(v, str) else v for v in values]
    except Exception as exc:  # noqa: BLE001 - rows are parsed as they are read: a failure is the file's problem
        raise _classified(exc) from None


def _classified(exc: Exception) -> Refused:
    """The refusal for what a parser raised: unsafe if defusedxml refused it (openpyxl wraps that), else unreadable."""
    cause: BaseException | None = exc
    while cause is not None:
        if type(cause).__module__.startswith("defusedxml"):
            return unsafe(
                f"the file's XML declares entities or a document type ({type(cause).__name__})",
                f"das XML der Datei deklariert Entitäten oder einen Dokumenttyp ({type(cause).__name__})",
            )
        cause = cause.__cause__ or cause.__context__
    reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return unreadable(reason, reason)


def write_xlsx(sheets: "Sequence[WrittenSheet]", target: IO[bytes], lang: Lang, lists_title: str) -> None:  # noqa: C901
    """Write an XLSX workbook: frozen headings, typed cells, drop-downs for the code lists."""
    openpyxl = _openpyxl()
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    book = openpyxl.Workbook()
    book.remove(book.active)
    lists: dict[type, str] = {}
    list_sheet = None
    for written in sheets:
        sheet = book.create_sheet(written.title)
        for number, row in enumerate(written.all_rows, start=1):
            for index, value in enumerate(row):
                column = written.columns[index] if number > 1 and written.columns else None
                _xlsx_cell(sheet.cell(number, index + 1), value, column, lang)
        if written.columns:
            sheet.freeze_panes = "A2"
            for index, column in enumerate(written.columns):
                letter = get_column_letter(index + 1)
                sheet.column_dimensions[letter].width = max(10, min(40, len(written.headings[index]) + 2))
                if column.codes is None or column.joined:
                    if column.kind in ("text", "json") or column.joined:
                        # New entries stay text: an AGS keeps its leading zero.
                        for cells in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                            cells[0].number_format = "@"
                    continue
                if list_sheet is None:
                    list_sheet = book.create_sheet(lists_title)
                if column.codes not in lists:
                    position = len(lists) + 1
                    labels = [code_label(member, lang) for member in column.codes]
                    list_letter = get_column_letter(position)
                    _xlsx_cell(list_sheet.cell(1, position), column.codes.__name__, None, lang)
                    for row_number, text in enumerate(labels, start=2):
                        _xlsx_cell(list_sheet.cell(row_number, position), text, None, lang)
                    lists[column.codes] = f"'{lists_title}'!${list_letter}$2:${list_letter}${len(labels) + 1}"
                validation = DataValidation(type="list", formula1=lists[column.codes], allow_blank=True)
                validation.add(f"{letter}2:{letter}{_VALIDATED_ROWS}")
                sheet.add_data_validation(validation)
    book.save(target)


def _xlsx_cell(cell: Any, value: Cell, column: Column | None, lang: Lang) -> None:
    if value is None:
        return
    if isinstance(value, str):
        cell.value = escape_xml_text(value)
        # A text cell, even for "=1+1": openpyxl would otherwise write a formula.
        cell.data_type = "s"
        return
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = "DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD"
    del column


# --- ODS -------------------------------------------------------------------------------------------------

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "of": "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_TABLE = _q("table", "table")
_ROW = _q("table", "table-row")
_CELL = _q("table", "table-cell")
_COVERED = _q("table", "covered-table-cell")
_P = _q("text", "p")
_S = _q("text", "s")
_TAB = _q("text", "tab")
_BREAK = _q("text", "line-break")


def _defused() -> Any:
    try:
        import defusedxml.ElementTree  # noqa: PLC0415 - an optional extra
    except ImportError:
        raise MissingExtraError("defusedxml") from None
    return defusedxml.ElementTree


def read_ods(data: bytes, limits: Limits) -> Iterator[RawSheet]:
    """The sheets of an ODS workbook, streamed from its ``content.xml``."""
    etree = _defused()
    archive = open_zip(data, limits, "ODS")
    try:
        _check_ods(archive)
        with archive.open("content.xml") as stream:
            yield from _OdsStream(etree.iterparse(stream, events=("start", "end")), limits).sheets()
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to parse is the file's problem
        raise _classified(exc) from None
    finally:
        archive.close()


def _check_ods(archive: zipfile.ZipFile) -> None:
    names = archive.namelist()
    mimetype = archive.read("mimetype") if "mimetype" in names else b""
    if mimetype.strip() != _ODS_MIME.encode():
        raise unreadable(
            "not an ODS spreadsheet (no spreadsheet mimetype)", "keine ODS-Tabelle (kein Tabellen-Mimetype)"
        )
    if "content.xml" not in names:
        raise unreadable("no content.xml in the file", "keine content.xml in der Datei")


class _OdsStream:
    """Walks content.xml once; each sheet's rows are read when asked for, in order."""

    def __init__(self, events: Iterator[tuple[str, Any]], limits: Limits) -> None:
        self.events = events
        self.limits = limits
        self.table: str | None = None

    def sheets(self) -> Iterator[RawSheet]:
        for event, element in self.events:
            if event == "start" and element.tag == _TABLE:
                name = element.get(_q("table", "name"), "")
                rows = self.rows()
                yield RawSheet(name, rows)
                # Whatever the reader did not take of this sheet is passed over.
                for _ in rows:
                    pass

    def rows(self) -> Iterator[tuple[int, Sequence[Cell]]]:
        try:
            yield from self._rows()
        except Refused:
            raise
        except Exception as exc:  # noqa: BLE001 - rows are parsed as they are read: a failure is the file's problem
            raise _classified(exc) from None

    def _rows(self) -> Iterator[tuple[int, Sequence[Cell]]]:
        number = 0
        for event, element in self.events:
            if event == "end" and element.tag == _TABLE:
                element.clear()
                return
            if event != "end" or element.tag != _ROW:
                continue
            repeat = _repeat(element.get(_q("table", "number-rows-repeated")))
            values = self.cells(element)
            element.clear()
            if not any(not is_blank(v) for v in values):
                number += repeat
                continue
            # A repeated row that holds values is that many rows; the reader stops at its limit.
            for _ in range(min(repeat, self.limits.rows + 1)):
                number += 1
                yield number, values

    def cells(self, row: Any) -> list[Cell]:
        values: list[Cell] = []
        pending = 0
        for cell in row:
            if cell.tag not in (_CELL, _COVERED):
                continue
            repeat = _repeat(cell.get(_q("table", "number-columns-repeated")))
            value = _ods_value(cell) if cell.tag == _CELL else None
            if is_blank(value):
                pending += repeat
                continue
            values.extend([None] * min(pending, self.limits.columns + 1))
            pending = 0
            values.extend([value] * min(repeat, self.limits.columns + 1))
            if len(values) > self.limits.columns:
                break
        return values


def _repeat(text: str | None) -> int:
    if text is None:
        return 1
    try:
        return max(1, int(text))
    except ValueError:
        return 1


def _ods_value(cell: Any) -> Cell:  # noqa: PLR0911 - one branch per value type
    kind = cell.get(_q("office", "value-type"))
    if kind is None:
        return None
    if kind in ("float", "percentage", "currency"):
        text = cell.get(_q("office", "value"), "")
        try:
            number = Decimal(text)
        except ArithmeticError:
            return _ods_text(cell)
        if number.is_finite() and number == number.to_integral_value() and "." not in text and "E" not in text.upper():
            return int(number)
        return number
    if kind == "date":
        text = cell.get(_q("office", "date-value"), "")
        try:
            if "T" in text:
                return dt.datetime.fromisoformat(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            return str(text)
    if kind == "boolean":
        return str(cell.get(_q("office", "boolean-value"), "")) == "true"
    return _ods_text(cell)


def _ods_text(cell: Any) -> str:
    paragraphs = [_paragraph(p) for p in cell if p.tag == _P]
    return unescape_xml_text("\n".join(paragraphs))


def _paragraph(element: Any) -> str:
    """The text of a paragraph, under ODF's rules: runs of blanks count once, text:s stands for spaces."""
    parts: list[str] = []

    def collapse(text: str | None) -> None:
        if text:
            text = re.sub(r"[ \t\r\n]+", " ", text)
            if parts and parts[-1].endswith(" ") and text.startswith(" "):
                text = text[1:]
            parts.append(text)

    def walk(node: Any) -> None:
        collapse(node.text)
        for child in node:
            if child.tag == _S:
                parts.append(" " * _repeat(child.get(_q("text", "c"))))
            elif child.tag == _TAB:
                parts.append("\t")
            elif child.tag == _BREAK:
                parts.append("\n")
            else:
                walk(child)
            collapse(child.tail)

    walk(element)
    return "".join(parts)


def _ods_paragraph(text: str) -> str:
    """XML for one text:p holding *text* exactly (ODF collapses blanks; text:s, text:tab keep them)."""
    out: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            out.append("<text:line-break/>")
        for chunk in re.split(r"( {2,}|^ | $|\t)", line):
            if not chunk:
                continue
            if chunk == "\t":
                out.append("<text:tab/>")
            elif chunk.strip(" ") == "":
                out.append(f'<text:s text:c="{len(chunk)}"/>')
            else:
                out.append(xml_escape(chunk))
    return "<text:p>" + "".join(out) + "</text:p>"


def write_ods(sheets: "Sequence[WrittenSheet]", target: IO[bytes], lang: Lang) -> None:
    """Write an ODS workbook: typed cells (text, numbers, dates) and drop-downs for the code lists."""
    date_parts = (
        '<number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/>'
        '<number:text>.</number:text><number:year number:style="long"/>'
        if lang == "de"
        else '<number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/>'
        '<number:text>-</number:text><number:day number:style="long"/>'
    )
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _NS.items())
    body: list[str] = [
        (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
            f'<office:automatic-styles><number:date-style style:name="N1">{date_parts}</number:date-style>'
            '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default"'
            ' style:data-style-name="N1"/></office:automatic-styles><office:body><office:spreadsheet>'
        )
    ]
    lists = _ods_lists(sheets)
    if lists:
        body.append("<table:content-validations>")
        for codes, name in lists.items():
            items = ";".join('"' + code_label(member, lang).replace('"', '""') + '"' for member in codes)
            body.append(
                f'<table:content-validation table:name="{name}" table:allow-empty-cell="true"'
                f' table:display-list="unsorted" table:condition={quoteattr(f"of:cell-content-is-in-list({items})")}/>'
            )
        body.append("</table:content-validations>")
    for written in sheets:
        # The drop-down of each code-list column, for the rows written and the rows to come.
        names = [lists.get(c.codes) if c.codes is not None and not c.joined else None for c in written.columns]
        body.append(f"<table:table table:name={quoteattr(written.title)}>")
        for number, row in enumerate(written.all_rows):
            body.append("<table:table-row>")
            body.extend(
                _ods_cell(value, names[i] if number and i < len(names) else None) for i, value in enumerate(row)
            )
            body.append("</table:table-row>")
        if any(names):
            empty = "".join(_ods_cell(None, name) for name in names)
            body.append(
                f'<table:table-row table:number-rows-repeated="{_VALIDATED_ROWS - len(written.rows)}">{empty}'
                "</table:table-row>"
            )
        body.append("</table:table>")
    body.append("</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}" manifest:version="1.2"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype comes first and unpacked, so that tools know the file by its first bytes.
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", "".join(body))


def _ods_lists(sheets: "Sequence[WrittenSheet]") -> dict[type[enum.Enum], str]:
    """A validation name for each code list a column of a sheet takes from."""
    lists: dict[type[enum.Enum], str] = {}
    for written in sheets:
        for column in written.columns:
            if column.codes is not None and not column.joined and column.codes not in lists:
                lists[column.codes] = f"codes{len(lists) + 1}"
    return lists


def _ods_cell(value: Cell, validation: str | None = None) -> str:
    if validation is not None:
        # The drop-down: the same cell with its validation's name.
        return _ods_cell(value).replace(
            "<table:table-cell", f'<table:table-cell table:content-validation-name="{validation}"', 1
        )
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        text = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{text}">'
            f"<text:p>{text}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float | Decimal):
        number = value if isinstance(value, int) else Decimal(repr(value)) if isinstance(value, float) else value
        text = format(number, "f") if isinstance(number, Decimal) else str(number)
        return (
            f'<table:table-cell office:value-type="float" office:value="{text}">'
            f"<text:p>{text}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        text = value.isoformat()
        return (
            f'<table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="{text}">'
            f"<text:p>{text}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string">{_ods_paragraph(escape_xml_text(value))}</table:table-cell>'


# --- CSV -------------------------------------------------------------------------------------------------


def read_csv_files(files: Sequence[tuple[str, Callable[[], bytes]]], limits: Limits) -> Iterator[RawSheet]:
    """The sheets of CSV files (name without ``.csv``, and a way to get the bytes)."""
    for name, content in files:
        try:
            data = content()
        except (Refused, OSError):
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged ZIP fails in many ways, all the file's problem
            raise _classified(exc) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise unreadable(
                f"{name}.csv is not UTF-8 (byte {exc.start}): save it as 'CSV UTF-8'",
                f"{name}.csv ist kein UTF-8 (Byte {exc.start}): als 'CSV UTF-8' speichern",
                sheet=name,
            ) from None
        separator = _separator(text)
        yield RawSheet(name, _csv_rows(name, text, separator), CellStyle(typed=False, decimal_comma=separator == ";"))
    del limits


def _separator(text: str) -> str:
    """The separator of a CSV text: the one that splits its first line into the most fields."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: len(next(csv.reader([first], delimiter=sep), [])) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ";"))


def _csv_rows(name: str, text: str, separator: str) -> Iterator[tuple[int, Sequence[Cell]]]:
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=separator), start=1)
    except csv.Error as exc:
        raise unreadable(f"{name}.csv: {exc}", f"{name}.csv: {exc}", sheet=name) from None


def csv_text(written: "WrittenSheet", lang: Lang) -> str:
    """One sheet as CSV text (with its byte-order mark): ``;`` and decimal commas in German."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=_CSV_SEPARATORS[lang], lineterminator="\r\n")
    for row in written.all_rows:
        writer.writerow([_csv_cell(value, lang) for value in row])
    return "\ufeff" + out.getvalue()


def _csv_cell(value: Cell, lang: Lang) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        text = format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
        return text.replace(".", ",") if lang == "de" else text
    return str(value)


@attrs.frozen
class WrittenSheet:
    """A sheet to write: its title, headings, rows, and the columns behind them (none for the info sheet)."""

    title: str
    headings: list[str]
    rows: list[list[Cell]]
    columns: tuple[Column, ...] = ()

    @property
    def all_rows(self) -> list[Sequence[Cell]]:
        """The heading row, then the rows."""
        return [self.headings, *self.rows]


def written_sheets(
    layout: Layout, rows: list[list[list[Cell]]], info: list[list[Cell]], lang: Lang
) -> list[WrittenSheet]:
    """The sheets of a workbook: the layout's sheets with their rows, then the info sheet."""
    sheets = [
        WrittenSheet(sheet.title(lang), [c.heading(lang) for c in sheet.columns], rows[index], sheet.columns)
        for index, sheet in enumerate(layout.sheets)
    ]
    sheets.append(WrittenSheet(layout.info(lang), [str(v) for v in info[0]], info[1:]))
    return sheets


def csv_name(title: str) -> str:
    """The file name of a sheet in a CSV folder or ZIP."""
    return f"{title}{_CSV_SUFFIX}"


def is_xlsx(path: Path) -> bool:
    """Whether *path* names an XLSX file by its suffix."""
    return path.suffix.lower() in _XLSX_SUFFIXES
