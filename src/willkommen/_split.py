"""Valid and invalid records set apart: ``--valid-out`` and ``--invalid-out`` (JSON Lines).

A valid record is written as it was given, one line: its JSON text with the
line breaks of a pretty-printed file removed (outside strings JSON has none
that matter) and a leading byte-order mark dropped. An invalid record is
written with its problems and where it came from::

    {"record": {...} | null, "problems": [{"code", "path", "severity", "message"}],
     "source": {"file": "data/a.jsonl", "line": 3}}

``record`` is null when the text is not JSON; ``text`` then holds it, with
bytes that are not UTF-8 written as backslash escapes. Each file is written to a
temporary file beside it and renamed at the end, so a run that fails or is
interrupted leaves the previous file as it was, never half a file.
"""

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from willkommen._problems import Problem

_BOM = b"\xef\xbb\xbf"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse_constant(name: str) -> object:
    raise ValueError(name)


def _bytes(text: bytes | str) -> bytes:
    # A document read from a text stream: its UTF-8 form (a lone surrogate stays, and is then not UTF-8).
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def json_line(text: bytes | str) -> str | None:
    """*text* as one line of JSON, or None if it is not JSON (RFC 8259: no NaN, UTF-8)."""
    text = _bytes(text)
    try:
        compact = text.removeprefix(_BOM).decode("utf-8").replace("\r", "").replace("\n", "")
        # Checked with the standard parser: what goes out must read back anywhere.
        json.loads(compact, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return compact


def invalid_line(text: bytes | str, problems: Sequence[Problem], file: str, line: int | None, lang: str) -> str:
    """The ``--invalid-out`` line of a record."""
    found = json.dumps(
        [
            {"code": p.code, "path": p.path, "severity": p.severity.value, "message": p.message_in(lang)}
            for p in problems
        ],
        ensure_ascii=False,
    )
    source = json.dumps({"file": file, "line": line}, ensure_ascii=False)
    record = json_line(text)
    if record is None:
        shown = json.dumps(_bytes(text).decode("utf-8", "backslashreplace"), ensure_ascii=False)
        return f'{{"record": null, "text": {shown}, "problems": {found}, "source": {source}}}'
    return f'{{"record": {record}, "problems": {found}, "source": {source}}}'


class Output:
    """A JSON Lines file written beside its target and put in its place by :meth:`commit`."""

    def __init__(self, target: Path) -> None:
        import tempfile  # noqa: PLC0415 - only --valid-out and --invalid-out need it; costly at start-up

        if target.is_dir():
            raise IsADirectoryError(21, "is a folder", str(target))
        self.target = target
        folder = target.parent
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        self.temporary = Path(name)
        # surrogateescape is never needed (text is checked above), backslashreplace keeps a lone surrogate visible.
        self.stream: IO[str] = os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace", newline="\n")

    def write(self, line: str) -> None:
        """One line."""
        self.stream.write(line + "\n")

    def commit(self) -> None:
        """Replace the target with what was written, with the permissions a new file gets."""
        self.stream.close()
        self.temporary.chmod(0o666 & ~_umask())  # mkstemp makes it private to its owner
        self.temporary.replace(self.target)

    def abort(self) -> None:
        """Drop what was written; the target stays as it was."""
        self.stream.close()
        self.temporary.unlink(missing_ok=True)


class Split:
    """Each record to one of two outputs (either may be absent)."""

    def __init__(self, valid: Path | None, invalid: Path | None, lang: str) -> None:
        self.lang = lang
        self.valid: Output | None = None
        self.invalid: Output | None = None
        try:
            self.valid = Output(valid) if valid is not None else None
            self.invalid = Output(invalid) if invalid is not None else None
        except BaseException:
            self.abort()
            raise

    def record(
        self, text: bytes | str, problems: Sequence[Problem], file: str, line: int | None, *, valid: bool
    ) -> None:
        """Write the record to the output it belongs to."""
        if valid:
            as_json = json_line(text)
            if as_json is not None:
                if self.valid is not None:
                    self.valid.write(as_json)
                return
            # Only a policy that ignores the reader's errors lets such text be valid: it cannot go out as JSON.
        if self.invalid is not None:
            self.invalid.write(invalid_line(text, problems, file, line, self.lang))

    def commit(self) -> None:
        """Put both outputs in place."""
        for output in (self.valid, self.invalid):
            if output is not None:
                output.commit()

    def abort(self) -> None:
        """Leave both targets as they were."""
        for output in (self.valid, self.invalid):
            if output is not None:
                output.abort()
