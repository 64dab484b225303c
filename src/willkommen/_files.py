"""Reading files, folders and streams of documents: the walk the command line and scripts share.

:func:`read_files` takes files and folders, :func:`read_stream` a stream such
as standard input; both yield one :class:`Record` per document, with its
:class:`~willkommen.Reading` and where it came from. A ``.json`` file holds
one document; a ``.jsonl`` or ``.ndjson`` file (JSON Lines) holds one per
line and is read a line at a time, so memory stays flat for any size. A
file that cannot be read is a record with the problem ``unreadable_file``,
never an exception, and the other files are still read.

In a folder, every ``*.json``, ``*.jsonl`` and ``*.ndjson`` below it is read,
and every workbook (``*.xlsx``, ``*.ods``; see ``willkommen.spreadsheets``),
sorted by name, except:

- hidden entries (a name starting with ``.``: ``.git``, ``.venv``,
  ``.vscode/settings.json``), which hold tools' settings, not data;
- ``node_modules``, where JavaScript tools keep the packages they install
  (full of ``package.json`` files);
- what an ``exclude`` glob matches, against an entry's name or its path
  below the folder (``drafts``, ``*.bak.json``, ``old/*``).

A file named directly is always read, hidden or excluded or not. Each file is
read once, however often it is named or found (by its real path, so a link
to a file already read is not read again).
"""

import fnmatch
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from willkommen._api import Reading, reads
from willkommen._german import os_error_de
from willkommen._limits import MAX_FILE_SIZE
from willkommen._model import Alliance
from willkommen._problems import FILE_TOO_LARGE, UNREADABLE_FILE, Problem

#: Suffixes of the files a folder is searched for, and those read as JSON Lines.
SUFFIXES = (".json", ".jsonl", ".ndjson")
LINES_SUFFIXES = (".jsonl", ".ndjson")
#: Folders skipped in a walk besides hidden ones (see the module docstring).
SKIPPED_FOLDERS = frozenset({"node_modules"})
#: Workbooks a folder is searched for; a ZIP or a folder of CSV files counts only when named.
WORKBOOK_SUFFIXES = (".xlsx", ".ods")
_NAMED_WORKBOOK_SUFFIXES = (*WORKBOOK_SUFFIXES, ".xlsm", ".zip")
# The lock file Excel keeps beside a workbook it has open (~$name.xlsx): never a workbook.
_EXCEL_LOCK = "~$"


@attrs.frozen(kw_only=True)
class Record:
    """One document read from a file or stream, and where it came from.

    ``file`` is the file's name as given or found (the stream's name for a
    stream); ``line`` its line in a JSON Lines file, None for a whole file
    (and for a problem of the whole file, such as ``unreadable_file``);
    ``size`` the bytes it took; ``text`` the document as given (for
    ``--valid-out`` and the ids compared across records).
    """

    file: str
    line: int | None
    reading: Reading[Any]
    size: int = 0
    text: bytes | str = attrs.field(default=b"", repr=False)


@attrs.frozen(kw_only=True)
class Failure:
    """A document whose check raised (a bug in a rule, not a problem of the data); only when asked to catch."""

    file: str
    line: int | None
    error: Exception | SystemExit
    size: int = 0
    text: bytes | str = attrs.field(default=b"", repr=False)


@attrs.frozen
class Source:
    """One input: a file, a stream (``path`` None), or a folder that could not be listed.

    ``found`` is true for a file found in a folder, false for one named
    directly: only a named file may be a pipe or a device (``<(zcat x.gz)``).
    """

    name: str
    path: Path | None
    lines: bool
    error: OSError | None = None
    found: bool = False
    #: A spreadsheet: an XLSX, ODS or ZIP file, or a folder of CSV files (``willkommen.spreadsheets``).
    workbook: bool = False


def is_lines(name: str) -> bool:
    """Whether a file of this name holds JSON Lines."""
    return name.lower().endswith(LINES_SUFFIXES)


def _excluded(name: str, relative: str, exclude: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, glob) or fnmatch.fnmatchcase(relative, glob) for glob in exclude)


def _skipped(name: str, relative: str, exclude: Sequence[str], *, folder: bool) -> bool:
    return name.startswith(".") or (folder and name in SKIPPED_FOLDERS) or _excluded(name, relative, exclude)


def walk(folder: Path, exclude: Sequence[str] = ()) -> list[Source]:
    """The data files below *folder*, sorted; unlistable folders as errors (see the module docstring)."""
    found: list[Source] = []

    def unlistable(exc: OSError) -> None:
        name = str(exc.filename) if exc.filename is not None else str(folder)
        found.append(Source(name, Path(name), lines=False, error=exc))

    # os.walk, not Path.rglob: rglob skips a folder it cannot list without a word.
    # Links to folders are not followed (followlinks=False), so no loop is possible.
    for root, folders, files in os.walk(folder, onerror=unlistable):
        below = Path(root).relative_to(folder)
        folders[:] = [f for f in folders if not _skipped(f, (below / f).as_posix(), exclude, folder=True)]
        for file in files:
            if _skipped(file, (below / file).as_posix(), exclude, folder=False):
                continue
            path = Path(root, file)
            if file.lower().endswith(SUFFIXES):
                found.append(Source(str(path), path, lines=is_lines(file), found=True))
            elif file.lower().endswith(WORKBOOK_SUFFIXES) and not file.startswith(_EXCEL_LOCK):
                found.append(Source(str(path), path, lines=False, found=True, workbook=True))
    return sorted(found, key=lambda source: source.name)


def sources(
    paths: Iterable[str | os.PathLike[str]], exclude: Sequence[str] = (), seen: set[str] | None = None
) -> list[Source]:
    """Every file named or found in a folder named, in the order given, each once.

    *seen* holds the real paths of files taken already (it grows); a file among them is left out.
    """
    result: list[Source] = []
    seen = set() if seen is None else seen
    for given in paths:
        path = Path(given)
        # A broken link is not a folder: reading it fails, and that is a problem of the data.
        if _is_workbook(path):
            expanded = [Source(os.fspath(given), path, lines=False, workbook=True)]
        elif path.is_dir():
            expanded = walk(path, exclude)
        else:
            expanded = [Source(os.fspath(given), path, lines=is_lines(path.name))]
        for source in expanded:
            assert source.path is not None
            key = os.path.realpath(source.path)
            if source.error is None and key in seen:
                continue
            seen.add(key)
            result.append(source)
    return result


def _is_workbook(path: Path) -> bool:
    """Whether a named path is a workbook: ``.xlsx``, ``.ods``, ``.zip``, or a folder with an info CSV file."""
    if not path.is_dir():
        return path.suffix.lower() in _NAMED_WORKBOOK_SUFFIXES
    from willkommen.spreadsheets import is_workbook  # noqa: PLC0415 - only for a folder that may hold CSV sheets

    try:
        return is_workbook(path)
    except OSError:
        return False  # an unlistable folder: walking it reports the problem


# --- reading ------------------------------------------------------------------------------------


def unreadable_problem(exc: OSError) -> Problem:
    """The ``unreadable_file`` problem of an error of the operating system, in English and German."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return UNREADABLE_FILE.problem("", reason=reason, reason_de=os_error_de(exc, reason))


def _unreadable(name: str, exc: OSError) -> Record:
    return Record(file=name, line=None, reading=Reading(value=None, problems=(unreadable_problem(exc),)))


# Opening a FIFO for reading waits for a writer; non-blocking, it returns at once.
_NOT_REGULAR = "not a regular file but a pipe, socket or device"
_OPEN_FOUND = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_source(source: Source) -> IO[bytes]:
    """Open a file; one found in a folder must be a regular file, so a FIFO there cannot hang the run."""
    assert source.path is not None
    if not source.found:
        return source.path.open("rb")
    # Look before opening: opening a device can act (a tape rewinds), a socket cannot be opened at all.
    if not stat.S_ISREG(source.path.stat().st_mode):
        raise OSError(_NOT_REGULAR)
    descriptor = os.open(source.path, _OPEN_FOUND)
    try:
        # Again on what was opened: the name may have changed hands in between.
        regular = stat.S_ISREG(os.fstat(descriptor).st_mode)
    except OSError:
        os.close(descriptor)
        raise
    if not regular:
        os.close(descriptor)
        raise OSError(_NOT_REGULAR)
    # O_NONBLOCK changes nothing for reading a regular file, so it can stay.
    return os.fdopen(descriptor, "rb")


# JSON's whitespace: a line of only these is blank. Not bytes.strip()'s set,
# which would also skip a line holding nothing but a form feed, unreported.
_JSON_BLANKS = b" \t\r\n"
_JSON_TEXT_BLANKS = _JSON_BLANKS.decode()


def _too_large(name: str, line: int | None, limit: int, size: int) -> Record:
    if line is None:
        problem = FILE_TOO_LARGE.problem("", what="the file", what_de="die Datei", limit=limit, rest="", rest_de="")
    else:
        problem = FILE_TOO_LARGE.problem(
            "",
            what="this line",
            what_de="diese Zeile",
            limit=limit,
            rest="; the rest of the file is not read either",
            rest_de="; auch der Rest der Datei wird nicht gelesen",
        )
    return Record(file=name, line=line, reading=Reading(value=None, problems=(problem,)), size=size)


# Pieces to read a whole document in: read(limit + 1) would set all of the bound aside at once.
_PIECE = 1024 * 1024


def _read_at_most(stream: IO[bytes] | IO[str], size: int) -> bytes | str:
    """Up to *size* bytes (characters, for a text stream), in pieces."""
    pieces: list[Any] = []
    left = size
    while left > 0 and (piece := stream.read(min(left, _PIECE))):
        pieces.append(piece)
        left -= len(piece)
    if not pieces:
        return b"" if not isinstance(stream, io.TextIOBase) else ""
    whole: bytes | str = pieces[0][:0].join(pieces)
    return whole


def _lines_of(stream: Iterable[bytes | str], limit: int) -> Iterator[bytes | str]:
    """The lines of a stream, none read past *limit* + 1 (a longer one comes cut, and says so by its length)."""
    readline = getattr(stream, "readline", None)
    if readline is None:
        yield from stream  # a plain iterable of lines: they are in memory already
        return
    while line := readline(limit + 1):
        yield line


def _opened(stdin: Callable[[], IO[bytes] | None]) -> IO[bytes]:
    stream = stdin()
    if stream is None:
        # Started with standard input closed (`<&-`): Python sets sys.stdin to None.
        raise OSError("standard input is closed")
    return stream


class _Reader:
    """Reads documents into *cls*; a check that raises is a :class:`Failure` when *catch*, else raises with a note.

    No document is read past *limit* bytes (``file_too_large``): a file, a
    stream, or a JSON Lines line, whose file then ends there, since the next
    line break may never come (``/dev/zero``).
    """

    def __init__(self, cls: type, *, catch: bool, limit: int = MAX_FILE_SIZE) -> None:
        self.cls = cls
        self.catch = catch
        self.limit = limit

    def whole(self, name: str, stream: IO[bytes] | IO[str]) -> Record | Failure:
        data = _read_at_most(stream, self.limit + 1)
        if len(data) > self.limit:
            return _too_large(name, None, self.limit, len(data))
        return self.document(name, None, data)

    def document(self, name: str, line: int | None, data: bytes | str) -> Record | Failure:
        try:
            return Record(file=name, line=line, reading=reads(data, self.cls), size=len(data), text=data)
        except (Exception, SystemExit) as exc:
            if self.catch:
                return Failure(file=name, line=line, error=exc, size=len(data), text=data)
            exc.add_note(f"while reading {name}" + ("" if line is None else f", line {line}"))
            raise

    def lines(self, name: str, stream: Iterable[bytes | str]) -> Iterator[Record | Failure]:
        # One line in memory at a time, however long the file. Blank lines separate
        # nothing in JSON Lines and are skipped; "\r\n" is whitespace to the parser.
        for number, raw in enumerate(_lines_of(stream, self.limit), start=1):
            if len(raw) > self.limit:
                yield _too_large(name, number, self.limit, len(raw))
                return
            # A text stream (open(path) without "b") gives str lines: read them as they are.
            blank = not (raw.strip(_JSON_BLANKS) if isinstance(raw, bytes) else raw.strip(_JSON_TEXT_BLANKS))
            if not blank:
                yield self.document(name, number, raw)

    def workbook(self, source: Source) -> Iterator[Record]:
        """A record per alliance of a workbook; its own problems go with the first (or alone, if it has none)."""
        from willkommen import spreadsheets  # noqa: PLC0415 - only for spreadsheets

        assert source.path is not None
        if source.found:
            # Found in a folder: opened as a regular file only, never a pipe that could hang the run.
            with open_source(source) as stream:
                data = spreadsheets.read_at_most(stream, spreadsheets.Limits().file_size)
            fmt = spreadsheets.format_of(source.path)
            reading = spreadsheets.read(data, format=fmt, cls=self.cls)
        else:
            reading = spreadsheets.read(source.path, cls=self.cls)
        if not reading.records and reading.problems:
            yield Record(file=source.name, line=None, reading=Reading(value=None, problems=tuple(reading.problems)))
        for index, found in enumerate(reading.records):
            problems = (*reading.problems, *found.problems) if index == 0 else tuple(found.problems)
            yield Record(file=source.name, line=None, reading=Reading(value=found.value, problems=problems))

    def source(self, source: Source, stdin: Callable[[], IO[bytes] | None]) -> Iterator[Record | Failure]:
        """The records of one input; a failure to read is a record with ``unreadable_file``."""
        if source.error is not None:
            yield _unreadable(source.name, source.error)
            return
        try:
            if source.workbook:
                yield from self.workbook(source)
            elif source.path is None:
                stream = _opened(stdin)
                if source.lines:
                    yield from self.lines(source.name, stream)
                else:
                    yield self.whole(source.name, stream)
            elif source.lines:
                with open_source(source) as stream:
                    yield from self.lines(source.name, stream)
            else:
                with open_source(source) as stream:
                    found = self.whole(source.name, stream)
                yield found
        except OSError as exc:
            # Permission denied, a broken link, a folder named like a file: the
            # file's problem, and the other files are still read.
            yield _unreadable(source.name, exc)


def records(
    source: Source,
    stdin: Callable[[], IO[bytes] | None],
    *,
    cls: type = Alliance,
    catch: bool = False,
    limit: int = MAX_FILE_SIZE,
) -> Iterator[Record | Failure]:
    """The records of one input, as :func:`read_files` and the command line read them."""
    return _Reader(cls, catch=catch, limit=limit).source(source, stdin)


def _only_records(found: Iterator[Record | Failure]) -> Iterator[Record]:
    for record in found:
        assert isinstance(record, Record)  # catch=False: a failure raised instead
        yield record


def read_files(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    cls: type[Any] = Alliance,
    exclude: Iterable[str] = (),
    max_size: int = MAX_FILE_SIZE,
) -> Iterator[Record]:
    """Read files and folders (or one path): one :class:`Record` per document, each file once.

    Folders are searched as ``willkommen validate`` searches them (hidden
    entries and ``node_modules`` skipped, *exclude* globs left out). A path
    that does not exist or cannot be read is a record with ``unreadable_file``;
    one larger than *max_size* bytes (a JSON Lines line longer) is a record
    with ``file_too_large``, found while reading.
    An exception raised by a rule goes on up, with notes naming the rule, the
    file and the line::

        for record in willkommen.read_files(["data/"]):
            if not record.reading.ok:
                print(record.file, record.line, [p.code for p in record.reading.problems])
    """
    if isinstance(paths, str | os.PathLike):
        # One path, not the characters of one: read_files("data/") means the folder.
        paths = [paths]
    reader = _Reader(cls, catch=False, limit=max_size)
    for source in sources(paths, tuple(exclude)):
        yield from _only_records(reader.source(source, _no_stdin))


def read_stream(
    stream: IO[bytes] | IO[str] | Iterable[bytes | str],
    *,
    cls: type[Any] = Alliance,
    lines: bool = True,
    name: str = "<stream>",
    max_size: int = MAX_FILE_SIZE,
) -> Iterator[Record]:
    """Read documents from a stream: JSON Lines (one per line), or one document if *lines* is false.

    The stream may be binary (UTF-8 is read strictly) or text; without
    *lines*, it needs a ``read()``.

    Records are named *name*; an I/O error on the way is a last record with
    ``unreadable_file``, and a document (a line) over *max_size* one with
    ``file_too_large``.
    """
    reader = _Reader(cls, catch=False, limit=max_size)

    def opened() -> IO[bytes]:
        return stream  # type: ignore[return-value]  # only read or iterated

    yield from _only_records(reader.source(Source(name, None, lines=lines), opened))


def _no_stdin() -> IO[bytes]:
    raise AssertionError  # read_files never names standard input


def total_size(found: Sequence[Source]) -> int:
    """The bytes of every file that can be measured, for a progress bar."""
    total = 0
    for source in found:
        if source.path is not None and source.error is None:
            try:
                total += source.path.stat().st_size
            except OSError:
                continue  # reading it will report the problem
    return total
