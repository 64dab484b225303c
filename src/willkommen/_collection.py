"""Checks across the records of one run: one alliance, one id.

Reading a document cannot see its neighbours, so the command line reads the
ids of all records first (parsing only, no checking) and then reports a
repeated id at every place it occurs, naming the others. Memory holds a
fixed 24 bytes a record (see ``docs/decisions/0005-ids-across-records.md``).
"""

from array import array
from collections.abc import Mapping

import attrs

from willkommen._problems import DUPLICATE_ALLIANCE_ID, Problem
from willkommen._text import quote

#: How many other places a message names before it says "and N more".
NAMED_PLACES = 5


@attrs.frozen
class Place:
    """Where a record is: its file's name and, in a JSON Lines file, its line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


def alliance_id(data: object) -> str | None:
    """The ``id`` of a parsed document, if it has one that is text."""
    if isinstance(data, Mapping):
        value = data.get("id")
        if isinstance(value, str):
            return value
    return None


def _digest(key: str) -> tuple[int, int]:
    """128 bits of BLAKE2b of the id: two ids that differ never meet by chance, nor by design."""
    import hashlib  # noqa: PLC0415 - only runs of many records need it; it loads OpenSSL, costly at start-up

    raw = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(raw[:8]), int.from_bytes(raw[8:])


_LINE_BITS = 40  # a place packs the file's number and the line (0: a whole file) into 64 bits


class IdIndex:
    """The ids of every record seen, to report the ids used more than once.

    Memory holds 24 bytes a record, in arrays: the id's 128-bit digest and its
    place (file number and line), never a Python object per record. The
    repeated ids are found once, when first asked, a 256th of the digests at a time.
    """

    def __init__(self) -> None:
        self._digests = array("Q")
        self._places = array("Q")
        self._files: dict[str, int] = {}
        self._names: list[str] = []
        self._repeated: dict[tuple[int, int], list[Place]] | None = None

    def add(self, key: str | None, place: Place) -> None:
        """Note the alliance id *key* (None: the record has none) at *place*."""
        if key is None:
            return
        number = self._files.get(place.file)
        if number is None:
            number = self._files[place.file] = len(self._names)
            self._names.append(place.file)
        self._digests.extend(_digest(key))
        self._places.append(number << _LINE_BITS | (place.line or 0))
        self._repeated = None

    def __len__(self) -> int:
        """How many records with an id were seen."""
        return len(self._places)

    @property
    def repeated(self) -> Mapping[tuple[int, int], list[Place]]:
        """The places of each id (by digest) seen more than once, in the order seen."""
        if self._repeated is None:
            self._repeated = self._find_repeated()
        return self._repeated

    def _find_repeated(self) -> dict[tuple[int, int], list[Place]]:
        digests = self._digests
        buckets = [array("Q") for _ in range(256)]
        for index in range(0, len(digests), 2):
            buckets[digests[index] >> 56].extend(digests[index : index + 2])
        twice: set[tuple[int, int]] = set()
        for bucket in buckets:
            seen: set[tuple[int, int]] = set()
            for index in range(0, len(bucket), 2):
                pair = (bucket[index], bucket[index + 1])
                if pair in seen:
                    twice.add(pair)
                seen.add(pair)
        del buckets
        repeated: dict[tuple[int, int], list[Place]] = {}
        if twice:
            for index, packed in enumerate(self._places):
                pair = (digests[2 * index], digests[2 * index + 1])
                if pair in twice:
                    line = packed & ((1 << _LINE_BITS) - 1)
                    name = self._names[packed >> _LINE_BITS]
                    repeated.setdefault(pair, []).append(Place(name, line or None))
        return repeated

    def problem(self, key: str | None, place: Place) -> Problem | None:
        """``collection.duplicate_id`` if the id *key* occurs elsewhere too, naming the other places."""
        places = self.repeated.get(_digest(key)) if key is not None and self.repeated else None
        if not places:
            return None
        others = list(places)
        try:
            # Remove this place once: a file named twice on the command line is two places of one name.
            others.remove(place)
        except ValueError:
            # Not seen when the ids were read (the file changed in between): no repeat known here.
            return None
        shown = ", ".join(str(other) for other in others[:NAMED_PLACES])
        more = len(others) - NAMED_PLACES
        return DUPLICATE_ALLIANCE_ID.problem(
            "/id",
            id=quote(key),
            places=shown + (f" and {more} more" if more > 0 else ""),
            places_de=shown + (f" und {more} weitere" if more > 0 else ""),
        )
