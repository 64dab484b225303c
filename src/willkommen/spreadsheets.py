"""Alliances in spreadsheets: XLSX, ODS and CSV, with German or English headings.

Needs the extra ``willkommen[spreadsheets]``::

    from willkommen import spreadsheets

    spreadsheets.write_template("vorlage.xlsx", lang="de")    # headings, drop-downs, an example
    reading = spreadsheets.read("vorlage.xlsx")               # every problem, with sheet and cell
    for record in reading.records:
        for problem in record.problems:
            print(problem.location, problem.code, problem.message_de)
    alliances = spreadsheets.load("vorlage.xlsx")             # ValidationError on errors
    spreadsheets.write(alliances, "buendnisse.ods", lang="de")

The layout (which sheet and column holds what) is derived from the model;
``docs/howto/spreadsheets.md`` shows it. A workbook is read into the same
documents a JSON file holds and checked by the same reader and rules; each
problem keeps its JSON Pointer and gains a :class:`~willkommen.Location`.
"""

import io
import os
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal

import attrs

from willkommen._api import dump
from willkommen._api import load as load_document
from willkommen._api import read as read_document
from willkommen._errors import LayoutError, MissingExtraError, ValidationError, WillkommenError
from willkommen._example import example_document
from willkommen._layout import Lang, fold, layout
from willkommen._migrate import SCHEMA_VERSION
from willkommen._model import Alliance
from willkommen._problems import Problem
from willkommen._sheets import (
    CellStyle,
    Limits,
    RawSheet,
    SheetDocument,
    WorkbookRows,
    info_rows,
    locate,
    read_sheets,
    rows_of,
)
from willkommen._tags import tag_of
from willkommen._workbooks import (
    Refused,
    csv_name,
    csv_text,
    read_csv_files,
    read_ods,
    read_xlsx,
    too_large,
    write_ods,
    write_xlsx,
    written_sheets,
)

__all__ = [
    "FORMATS",
    "Limits",
    "MissingExtraError",
    "SheetRecord",
    "WorkbookReading",
    "format_of",
    "is_workbook",
    "load",
    "read",
    "write",
    "write_documents",
    "write_template",
]

Format = Literal["xlsx", "ods", "csv", "zip"]
#: The formats: XLSX, ODS, a folder of CSV files, a ZIP of CSV files.
FORMATS: tuple[Format, ...] = ("xlsx", "ods", "csv", "zip")
_SUFFIXES: dict[str, Format] = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".zip": "zip"}


@attrs.frozen
class SheetRecord:
    """One alliance read from a workbook.

    ``row`` is its row on the main sheet, ``value`` the object (None if it
    has errors), ``document`` the data as read from the cells (what a JSON
    file would hold), ``problems`` everything wrong with it.
    """

    row: int
    value: Any
    problems: list[Problem]
    document: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.frozen
class WorkbookReading:
    """What reading a workbook gave: a record per alliance, and the problems of the workbook as a whole."""

    records: list[SheetRecord]
    problems: list[Problem]

    @property
    def valid(self) -> bool:
        """Whether no problem anywhere is an error."""
        return not any(p.is_error for p in self.all_problems())

    def all_problems(self) -> list[Problem]:
        """The workbook's problems, then each record's."""
        return [*self.problems, *(p for record in self.records for p in record.problems)]


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether *path* names a workbook: an XLSX, ODS or ZIP file, or a folder holding an info CSV file."""
    target = Path(path)
    if target.is_dir():
        info = {fold(name) for name in (layout(Alliance).info_en, layout(Alliance).info_de)}
        return any(p.suffix.lower() == ".csv" and fold(p.stem) in info for p in target.iterdir())
    return target.suffix.lower() in _SUFFIXES


def format_of(path: str | os.PathLike[str]) -> Format | None:
    """The format a path names: by its suffix, or ``csv`` for a folder (or a name without a suffix)."""
    target = Path(path)
    if target.suffix.lower() in _SUFFIXES:
        return _SUFFIXES[target.suffix.lower()]
    if target.is_dir() or not target.suffix:
        return "csv"
    return None


def read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """The bytes of *stream*; ``sheet.too_large`` past *limit* (read in chunks: never a buffer of the limit's size)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large("the file size", "die Dateigröße", limit)
        chunks.append(chunk)
    return b"".join(chunks)


_CHUNK = 1 << 20


def _read_bounded(path: Path, limit: int) -> bytes:
    with path.open("rb") as stream:
        return read_at_most(stream, limit)


def _csv_folder(folder: Path, limits: Limits) -> list[tuple[str, Any]]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if sum(p.stat().st_size for p in files) > limits.file_size:
        raise too_large("the size of the CSV files", "die Größe der CSV-Dateien", limits.file_size)
    return [(p.stem, lambda p=p: _read_bounded(p, limits.file_size)) for p in files]


def _csv_zip(data: bytes, limits: Limits) -> list[tuple[str, Any]]:
    from willkommen._workbooks import open_zip  # noqa: PLC0415 - beside its kin

    archive = open_zip(data, limits, "ZIP")
    # Only a name's last part counts, and only to find the sheet: it never becomes a path.
    members = [info for info in archive.infolist() if info.filename.lower().endswith(".csv") and not info.is_dir()]
    return [
        (info.filename.rsplit("/", 1)[-1][: -len(".csv")], lambda info=info: archive.read(info))
        for info in sorted(members, key=lambda i: i.filename)
    ]


def _sheets(
    source: str | os.PathLike[str] | bytes, fmt: Format | None, limits: Limits
) -> tuple[Iterator[RawSheet], CellStyle]:
    if isinstance(source, bytes | bytearray):
        if fmt is None or fmt == "csv":
            raise ValueError("reading bytes needs format='xlsx', 'ods' or 'zip'")
        if len(source) > limits.file_size:
            raise too_large("the file size", "die Dateigröße", limits.file_size)
        data = bytes(source)
    else:
        path = Path(source)
        fmt = fmt or format_of(path)
        if fmt == "csv":
            if not path.is_dir():
                raise Refused(_not_spreadsheet(path))
            return read_csv_files(_csv_folder(path, limits), limits), CellStyle(typed=False)
        if fmt is None:
            raise Refused(_not_spreadsheet(path))
        data = _read_bounded(path, limits.file_size)
    if fmt == "xlsx":
        return read_xlsx(data, limits), CellStyle(typed=True)
    if fmt == "ods":
        return read_ods(data, limits), CellStyle(typed=True)
    return read_csv_files(_csv_zip(data, limits), limits), CellStyle(typed=False)


def _not_spreadsheet(path: Path) -> Problem:
    from willkommen._problems import SHEET_UNREADABLE  # noqa: PLC0415

    return SHEET_UNREADABLE.problem(
        "",
        reason=f"{path.name!r} is not .xlsx, .ods, .zip or a folder of CSV files",
        reason_de=f"{path.name!r} ist weder .xlsx, .ods, .zip noch ein Ordner mit CSV-Dateien",
    )


def read(
    source: str | os.PathLike[str] | bytes,
    *,
    format: Format | None = None,  # noqa: A002 - the word users know
    cls: type = Alliance,
    limits: Limits = Limits(),  # noqa: B008 - frozen, shared safely
) -> WorkbookReading:
    """Read a workbook and check every alliance in it; report every problem, raise nothing for bad data.

    *source* is a path (``.xlsx``, ``.ods``, ``.zip`` of CSV files, or a
    folder of CSV files) or the bytes of a file with its *format*.
    """
    sheet_layout = layout(cls)
    try:
        sheets, style = _sheets(source, format, limits)
        try:
            rows = read_sheets(sheets, sheet_layout, style, limits)
        finally:
            close = getattr(sheets, "close", None)
            if close is not None:
                close()
    except Refused as exc:
        return WorkbookReading([], [exc.problem])
    return WorkbookReading([_record(doc, rows, cls) for doc in rows.documents], rows.problems)


def _record(doc: SheetDocument, rows: WorkbookRows, cls: type) -> SheetRecord:
    reading: Any = read_document(doc.data, cls)
    kept = [p for p in reading.problems if not any(p.path == s or p.path.startswith(s + "/") for s in doc.suppressed)]
    sheet_layout = layout(cls)
    problems = [*doc.problems, *(locate(p, doc, rows, sheet_layout) for p in kept)]
    value = None if any(p.is_error for p in problems) else reading.value
    return SheetRecord(doc.row, value, problems, doc.data)


def load(
    source: str | os.PathLike[str] | bytes,
    *,
    format: Format | None = None,  # noqa: A002 - the word users know
    cls: type = Alliance,
    limits: Limits = Limits(),  # noqa: B008 - frozen, shared safely
) -> list[Any]:
    """The alliances of a workbook; raises :class:`~willkommen.ValidationError` holding every problem on errors."""
    reading = read(source, format=format, cls=cls, limits=limits)
    if not reading.valid:
        raise ValidationError(reading.all_problems())
    return [record.value for record in reading.records]


def _documents(objects: Sequence[Any], cls: type) -> list[dict[str, Any]]:
    problems: list[Problem] = []
    documents = []
    for position, obj in enumerate(objects):
        if not isinstance(obj, cls):
            msg = f"write() takes {cls.__qualname__} objects, not {type(obj).__qualname__}"
            raise TypeError(msg)
        if type(obj) is not cls and tag_of(type(obj)) is None:
            msg = f"{type(obj).__qualname__} declares no tag, so a spreadsheet could not say what it is"
            raise LayoutError(msg)
        try:
            documents.append(dump(obj))
        except ValidationError as exc:
            prefix = f"/{position}" if len(objects) > 1 else ""
            problems.extend(attrs.evolve(p, path=prefix + p.path) for p in exc.problems)
    if problems:
        raise ValidationError(problems)
    return documents


def write(
    objects: Sequence[Any],
    target: str | os.PathLike[str] | io.BufferedIOBase,
    *,
    lang: Lang = "de",
    format: Format | None = None,  # noqa: A002 - the word users know
    cls: type = Alliance,
) -> None:
    """Write alliances to a workbook: ``.xlsx``, ``.ods``, ``.zip`` of CSV files, or a folder of CSV files.

    Raises :class:`~willkommen.ValidationError` if a value cannot be written
    so that it reads back the same (an empty text, a list item with ``;``;
    in XLSX, a float of 17 significant digits or a text beyond 32,767 characters,
    which ODS and CSV keep).
    Problems of the rules do not stop it: a draft can be saved.
    """
    write_documents(_documents(objects, cls), target, lang=lang, format=format, cls=cls)


def write_documents(
    documents: Sequence[dict[str, Any]],
    target: str | os.PathLike[str] | io.BufferedIOBase,
    *,
    lang: Lang = "de",
    format: Format | None = None,  # noqa: A002 - the word users know
    cls: type = Alliance,
) -> None:
    """Like :func:`write`, from documents: parsed data, even with errors, to be fixed in the spreadsheet."""
    fmt = (format or format_of(target)) if isinstance(target, str | os.PathLike) else format
    if fmt is None:
        msg = f"cannot tell the format of {target!r}: give format= one of {', '.join(FORMATS)}"
        raise WillkommenError(msg)
    sheet_layout = layout(cls)
    rows, problems = rows_of(documents, sheet_layout, lang, xlsx=fmt == "xlsx")
    if problems:
        raise ValidationError(problems)
    sheets = written_sheets(sheet_layout, rows, info_rows(SCHEMA_VERSION, lang), lang)
    if fmt == "csv":
        if not isinstance(target, str | os.PathLike):
            raise WillkommenError("a folder of CSV files needs a path")
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        for sheet in sheets:
            (folder / csv_name(sheet.title)).write_text(csv_text(sheet, lang), encoding="utf-8", newline="")
        return
    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx(sheets, buffer, lang, sheet_layout.lists(lang))
    elif fmt == "ods":
        write_ods(sheets, buffer, lang)
    else:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for sheet in sheets:
                archive.writestr(csv_name(sheet.title), csv_text(sheet, lang).encode("utf-8"))
    if isinstance(target, str | os.PathLike):
        Path(target).write_bytes(buffer.getvalue())
    else:
        target.write(buffer.getvalue())


def template_alliances() -> list[Alliance]:
    """What a template holds: the example alliance, to be replaced by one's own."""
    return [load_document(example_document())]


def write_template(
    target: str | os.PathLike[str] | io.BufferedIOBase,
    *,
    lang: Lang = "de",
    format: Format | None = None,  # noqa: A002 - the word users know
) -> None:
    """Write a workbook to fill in: every sheet with its headings and drop-downs, and the example alliance."""
    write(template_alliances(), target, lang=lang, format=format)
