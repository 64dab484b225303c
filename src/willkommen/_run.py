"""A run over many inputs: every record read and checked, and the ids compared across records.

When repeated ids are looked for and more than one record may be read, the
ids are read first (see ``docs/decisions/0005-ids-across-records.md``), then
the records; an input that can be read only once (standard input, a pipe named
on the command line) is copied to a temporary file for that.
"""

import contextlib
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import IO, Self

from willkommen._api import Reading
from willkommen._collection import IdIndex, Place, alliance_id
from willkommen._files import Failure, Record, Source, _opened, _Reader, records
from willkommen._json import parse
from willkommen._limits import MAX_FILE_SIZE
from willkommen._model import Alliance
from willkommen._problems import Problem


class SpooledInput:
    """An input that can be read only once, copied to a temporary file on first use so that it can be read twice.

    The copy holds no more than reading takes: a whole document up to *limit*
    bytes and one more, or, for JSON Lines (*lines*), every line up to the
    first longer than *limit*, where reading ends (``file_too_large``). So an
    endless input (``/dev/zero``) never fills the disk.
    """

    def __init__(self, opener: Callable[[], AbstractContextManager[IO[bytes]]], *, limit: int, lines: bool) -> None:
        self.opener = opener
        self.limit = limit
        self.lines = lines
        self.file: IO[bytes] | None = None

    def __call__(self) -> IO[bytes]:
        """The copy, from its start."""
        if self.file is None:
            import tempfile  # noqa: PLC0415 - only standard input and pipes need it; costly at start-up

            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            with self.opener() as stream:
                if self.lines:
                    while line := stream.readline(self.limit + 1):
                        self.file.write(line)
                        if len(line) > self.limit:
                            break
                else:
                    left = self.limit + 1
                    while left > 0 and (piece := stream.read(min(left, 1 << 20))):
                        self.file.write(piece)
                        left -= len(piece)
        self.file.seek(0)
        return self.file

    def close(self) -> None:
        """Remove the copy."""
        if self.file is not None:
            self.file.close()


def _readable_once(source: Source) -> bool:
    """Whether the input is standard input or a pipe named on the command line (``<(zcat x.gz)``)."""
    if source.path is None:
        return True
    if source.found or source.error is not None or source.workbook:
        return False  # a file found in a folder is only ever read if it is a regular file
    try:
        return not stat.S_ISREG(source.path.stat().st_mode)
    except OSError:
        return False  # reading it will report the problem


class _IdReader(_Reader):
    """Reads each document's text only: the ids are read first, checking comes after."""

    def document(self, name: str, line: int | None, data: bytes | str) -> Record | Failure:
        return Record(file=name, line=line, reading=Reading(value=None), size=len(data), text=data)


def _id_in_text(text: bytes | str) -> str | None:
    # Parsing is a small part of checking: the ids cost one parse more per record.
    data, _ = parse(text)
    return alliance_id(data)


def _id_of(found: Record | Failure) -> str | None:
    """The record's alliance id: from the object read, else from its text (as the ids were read first)."""
    if isinstance(found, Record) and found.reading.value is not None:
        key = getattr(found.reading.value, "id", None)
        return key if isinstance(key, str) else None
    return _id_in_text(found.text)


class Run:
    """The records of all sources, checked one by one and across each other (``collection.duplicate_id``).

    Use it as a context manager, which removes the copies of inputs read only once.
    """

    def __init__(
        self,
        sources: Sequence[Source],
        stdin: Callable[[], IO[bytes] | None],
        *,
        check_ids: bool = True,
        limit: int = MAX_FILE_SIZE,
    ) -> None:
        self.stdin = stdin
        self.limit = limit
        self.ids = IdIndex()
        self.spools: dict[Source, SpooledInput] = {}
        # One .json file holds one record: nothing to compare.
        if check_ids and (len(sources) > 1 or any(s.lines for s in sources)):
            for source in sources:
                if _readable_once(source):
                    spool = SpooledInput(_opener(source, stdin), limit=limit, lines=source.lines)
                    self.spools.setdefault(source, spool)
            reader = _IdReader(Alliance, catch=False, limit=limit)
            # A workbook's ids are checked within it (sheet.duplicate_id), not yet across files.
            for source in (s for s in sources if not s.workbook):
                for found in reader.source(self._readable(source), self._stdin(source)):
                    self.ids.add(_id_in_text(found.text), Place(source.name, found.line))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for spool in self.spools.values():
            spool.close()

    def _readable(self, source: Source) -> Source:
        """The source, or its copy (read as standard input is) if it can be read only once."""
        return source if source not in self.spools else Source(source.name, None, lines=source.lines)

    def _stdin(self, source: Source) -> Callable[[], IO[bytes] | None]:
        return self.spools.get(source, self.stdin)

    def records(self, source: Source) -> Iterator[tuple[Record | Failure, Problem | None]]:
        """The records of one source, each with ``collection.duplicate_id`` if its id occurs elsewhere too.

        A rule that raises makes a :class:`Failure` of its record; the other records are still read.
        """
        for found in records(self._readable(source), self._stdin(source), catch=True, limit=self.limit):
            repeated = self.ids.problem(_id_of(found), Place(source.name, found.line)) if self.ids.repeated else None
            yield found, repeated


def _opener(source: Source, stdin: Callable[[], IO[bytes] | None]) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    path = source.path
    if path is None:
        # Standard input stays open: it is not ours to close. Closed (<&-), it is an unreadable file.
        return lambda: contextlib.nullcontext(_opened(stdin))
    return lambda: path.open("rb")
