"""The everyday verbs: load, loads, dump, dumps, check, validate.

Reading runs in three layers that all report :class:`~willkommen.Problem`:
the JSON text (``_json.py``), the shape of the data (the converter), and
the rules. Rules run even when parts of the document failed to read: they
see the parts that did, and a rule is skipped only when a field it needs
is among the failed ones (see ``docs/decisions/0001-partial-documents.md``).
"""

import json
import sys
from collections.abc import Mapping
from typing import Any, Generic, TypeVar, overload

import attrs

from willkommen import _accelerator as accelerator
from willkommen import _writer as writer
from willkommen._engine import Checked, run_rules
from willkommen._errors import ValidationError
from willkommen._fast import read_fast
from willkommen._headroom import headroom
from willkommen._indented import indented
from willkommen._json import parse, surrogate_free_text
from willkommen._migrate import SCHEMA_VERSION, VERSION_KEY, migrate, version_problem
from willkommen._model import Alliance
from willkommen._numbers import fits_caller, int_text
from willkommen._plain import plain
from willkommen._plan import UnsupportedType, class_plan
from willkommen._problems import INVALID_VALUE, SCHEMA_OUTDATED, TYPE, Problem
from willkommen._programs import Program, find_program, programs
from willkommen._strict import unknown_tag
from willkommen._tags import TAG_KEY, class_for
from willkommen._text import escape, quote
from willkommen._writable import unwritable

_T = TypeVar("_T")

#: willkommen[fast] parses a process's documents with msgspec once they add up to this many bytes
#: (or msgspec is loaded already). Importing msgspec costs about 10 ms; parsing with it saves 5 to
#: 20 µs a kilobyte: checking one small file would pay for the import and never get it back.
ACCELERATE_AFTER = 1 << 20
_text_read = 0


def _accelerating(text: str | bytes) -> bool:
    """Whether to parse *text* with the accelerator (the result is the same either way, only the time differs)."""
    global _text_read  # noqa: PLW0603 - one count per process; a lost update only moves the switch a little
    if "msgspec" not in sys.modules:
        _text_read += len(text)
        if _text_read < ACCELERATE_AFTER:
            return False
    return accelerator.active()


@attrs.frozen(kw_only=True)
class Reading(Generic[_T]):
    """What reading a document gave: the object, every problem, and the rules that could not run.

    ``value`` is the object whenever the document's shape could be read, even
    if rules report errors (a saved draft reopens); it is None only when the
    shape could not be read (a wrong type, a missing key, text that is not
    JSON). ``problems`` holds every problem, warnings too. ``skipped`` names
    the rules that did not run because a part of the document they need could
    not be read (``unread``, its top-level keys): once that part is fixed, they
    run and may report more.
    """

    value: _T | None
    problems: tuple[Problem, ...] = ()
    skipped: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether there is an object and no problem is an error (warnings allowed)."""
        return self.value is not None and not any(p.is_error for p in self.problems)


def _salvage(body: dict[Any, Any], cls: type, failed: frozenset[str]) -> Any:
    """An unchecked object of *cls* holding the fields that could be read.

    Only rules see it, and only the rules whose fields are all here run;
    it never leaves this module.
    """
    from willkommen._converter import converter, structure_hook  # noqa: PLC0415 - cattrs only where needed

    conv = converter()
    partial: Any = object.__new__(cls)
    for field in class_plan(cls).fields:
        if field.name in failed:
            # Absent: a rule that reads it does not run (the engine's failed set).
            continue
        # Read alone, a field reads as it did in the full attempt: without error.
        # A required field that is absent is among the failed ones (missing).
        value = (
            structure_hook(conv, field.node)(body[field.name], None)
            if field.name in body
            else field.default_value(partial)
        )
        object.__setattr__(partial, field.name, value)
    return partial


def _rule_problems(document: Any, failed: frozenset[str]) -> Checked:
    program: Program | None = None
    problems: list[Problem] = []
    if isinstance(document, Alliance) and "program" not in failed:
        program = find_program(document.program)
        if program is None:
            known = ", ".join(repr(p.id) for p in programs())
            problems.append(
                INVALID_VALUE.problem(
                    "/program",
                    value=quote(document.program),
                    expected=f"the id of a registered program ({known})",
                    expected_de=f"die ID eines registrierten Programms ({known})",
                )
            )
            failed = failed | {"program"}
    checked = run_rules(document, program, failed)
    if problems:
        checked.problems[:0] = problems
    return checked


def _refused(problem: Problem) -> Reading[Any]:
    return Reading(value=None, problems=(problem,))


def _model_class(cls: object, verb: str) -> None:
    """Refuse, with a clear TypeError, a *cls* that is no model class (``cls=int``, ``cls=None``)."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        msg = f"{verb}() argument 'cls' must be a model class (an attrs class such as Alliance), not {quote(cls)}"
        raise TypeError(msg)


def _text_argument(text: object, verb: str) -> None:
    if not isinstance(text, str | bytes | bytearray):
        # Callers without type checks pass anything.
        msg = f"{verb}() argument 'text' must be JSON text (str) or UTF-8 bytes, not {quote(text)}"
        raise TypeError(msg)


@overload
def read(data: object) -> Reading[Alliance]: ...
@overload
def read(data: object, cls: type[_T]) -> Reading[_T]: ...
def read(data: object, cls: type[Any] = Alliance) -> Reading[Any]:
    """Read a parsed document (a dict as ``json.load`` gives) into *cls*; raise nothing for bad data.

    The :class:`Reading` holds the object whenever the shape could be read,
    rule errors or not, so a saved draft reopens; and every problem. An
    exception raised by a rule goes on up, with a note naming the rule.
    Raises :class:`TypeError` if *cls* is not a model class.

    A document of an older format version is upgraded in memory first
    (:func:`~willkommen.migrate`), with the warning ``schema_version.outdated``;
    every problem points at the path it has in the document as given.
    """
    _model_class(cls, "read")
    with headroom():
        return _read(plain(data), cls)


def _read(data: object, cls: type[Any], *, from_text: bool = False) -> Reading[Any]:
    """:func:`read` of data made plain (``_plain.py``), with room on the stack.

    *from_text*: *data* was parsed from JSON text that cannot carry a lone surrogate (see ``_fast.fast_reader``).
    """
    if not isinstance(data, Mapping):
        return _refused(TYPE.problem("", expected="an object", expected_de="ein Objekt", value=quote(data)))
    problem = version_problem(data)
    if problem is not None:
        return _refused(problem)
    if data[VERSION_KEY] != SCHEMA_VERSION:
        return _read_older(data, cls)
    return _read_current(data, cls, from_text=from_text)


def _read_older(data: Mapping[Any, Any], cls: type) -> Reading[Any]:
    migrated = migrate(data)
    outdated = SCHEMA_OUTDATED.problem(f"/{VERSION_KEY}", value=quote(data[VERSION_KEY]), current=SCHEMA_VERSION)
    reading = _read_current(migrated.document, cls)
    problems = (
        outdated,
        *migrated.problems,
        *(attrs.evolve(p, path=migrated.original_path(p.path)) for p in reading.problems),
    )
    # A key the migration had to drop is an error: the object holds less than the file.
    value = None if any(p.is_error for p in migrated.problems) else reading.value
    return attrs.evolve(reading, value=value, problems=problems)


def _read_current(data: Mapping[Any, Any], cls: type, *, from_text: bool = False) -> Reading[Any]:
    body = {key: value for key, value in data.items() if key != VERSION_KEY}
    target = class_for(body, cls)
    if target is None:
        bad_tag = unknown_tag(body, cls)
        return _refused(bad_tag.rule.problem(f"/{escape(TAG_KEY)}", **bad_tag.values))
    body.pop(TAG_KEY, None)
    # A valid document reads in a fraction of the time; anything else hands over (None).
    value: Any = read_fast(body, target, from_text=from_text)
    if value is None:
        # cattrs is loaded only here and for writing: valid data never needs it.
        from willkommen._converter import converter, count_failures, failed_fields, problems_from  # noqa: PLC0415

        try:
            with count_failures():
                value = converter().structure(body, target)
        except UnsupportedType:
            raise  # not the data's fault: a class that cannot be read at all, refused by name
        except Exception as exc:  # noqa: BLE001 - every failure to read becomes problems
            # First, since it raises the refusal of a class met deeper inside (UnsupportedType).
            found = tuple(problems_from(exc))
            failed = failed_fields(exc)
            checked = _rule_problems(_salvage(body, target, failed), failed)
            return Reading(
                value=None,
                problems=(*found, *checked.problems),
                skipped=checked.skipped,
                unread=tuple(sorted(checked.failed)),
            )
    return _checked(value)


def _checked(value: object) -> Reading[Any]:
    """The reading of an object read without a problem: the rules' findings."""
    checked = _rule_problems(value, frozenset())
    if not checked.problems and not checked.failed:
        return Reading(value=value)  # the common case, a valid document
    return Reading(
        value=value, problems=tuple(checked.problems), skipped=checked.skipped, unread=tuple(sorted(checked.failed))
    )


@overload
def reads(text: str | bytes) -> Reading[Alliance]: ...
@overload
def reads(text: str | bytes, cls: type[_T]) -> Reading[_T]: ...
def reads(text: str | bytes, cls: type[Any] = Alliance) -> Reading[Any]:
    """Like :func:`read`, from JSON text or UTF-8 bytes, strictly.

    Repeated keys, ``NaN`` and ``Infinity`` are problems, as in :func:`loads`.
    Raises :class:`TypeError` if *text* is neither text nor bytes, or *cls*
    is not a model class.
    """
    _text_argument(text, "reads")
    _model_class(cls, "reads")
    fast = None
    if _accelerating(text):
        # willkommen[fast]: a valid document of the current version is decoded by msgspec into
        # mirror structs, and built into objects; anything else goes the usual way (None).
        value = accelerator.read_objects(text, cls)
        if value is not None:
            with headroom():
                return _checked(value)
        # Then msgspec parses what it is sure about, exactly as parse() would.
        fast = accelerator.parse(text)
    data, problems = (fast, []) if fast is not None else parse(text)
    if data is None and problems:
        return Reading(value=None, problems=tuple(problems))
    with headroom():
        # The parser makes only plain data: nothing to make plain.
        reading = _read(data, cls, from_text=surrogate_free_text(text))
    if not problems:
        return reading
    return attrs.evolve(reading, problems=(*problems, *reading.problems))


@overload
def load(data: object) -> Alliance: ...
@overload
def load(data: object, cls: type[_T]) -> _T: ...
def load(data: object, cls: type[Any] = Alliance) -> Any:
    """Build a model object from parsed data (a dict as ``json.load`` gives).

    Raises :class:`~willkommen.ValidationError` holding every problem if the
    data has any error; warnings never raise. Raises :class:`TypeError` if
    *cls* is not a model class.
    """
    _model_class(cls, "load")
    reading = read(data, cls)
    if not reading.ok:
        raise ValidationError(reading.problems)
    return reading.value


@overload
def loads(text: str | bytes) -> Alliance: ...
@overload
def loads(text: str | bytes, cls: type[_T]) -> _T: ...
def loads(text: str | bytes, cls: type[Any] = Alliance) -> Any:
    """Build a model object from JSON text or UTF-8 bytes, strictly.

    Repeated keys, ``NaN`` and ``Infinity`` are problems; raises
    :class:`~willkommen.ValidationError` like :func:`load`, and
    :class:`TypeError` if *text* is neither text nor bytes or *cls* is not a
    model class.
    """
    _text_argument(text, "loads")
    _model_class(cls, "loads")
    reading = reads(text, cls)
    if not reading.ok:
        raise ValidationError(reading.problems)
    return reading.value


def dump(obj: object) -> dict[str, Any]:
    """The document for a model object: plain JSON types, ``schema_version`` first.

    Raises :class:`~willkommen.ValidationError` if the object holds a value
    that no document can carry exactly (text with a lone surrogate, an
    integer over Python's int-to-text limit, hours a float cannot hold,
    ``NaN`` or an infinity): writing something else would lose data. Other
    problems (the rules) do not stop it: a draft can be saved.
    """
    _model_object(obj)
    # The writer generated for the class; anything it is not sure about, the reference path.
    # (It needs no headroom: it nests MAX_LEVELS at most, and hands over if the stack runs out.)
    document = writer.document(obj) if writer.ENABLED else None
    if document is not None:
        return document
    with headroom():
        return _scanned_document(obj)


def _model_object(obj: object) -> None:
    if not attrs.has(type(obj)):
        msg = f"dump() argument 'obj' must be a model object, not {quote(obj)}"
        raise TypeError(msg)


def _scanned_document(obj: object) -> dict[str, Any]:
    """:func:`dump` the reference way: the writable scan, then cattrs (within headroom)."""
    problems = unwritable(obj)
    if problems:
        raise ValidationError(problems)
    from willkommen._converter import converter  # noqa: PLC0415 - cattrs only where needed

    body: dict[str, Any] = converter().unstructure(obj, unstructure_as=type(obj))
    return {VERSION_KEY: SCHEMA_VERSION, **body}


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """The document for a model object as JSON text (UTF-8 characters kept as they are).

    Raises :class:`~willkommen.ValidationError` as :func:`dump` does.
    """
    _model_object(obj)
    if writer.ENABLED and (indent is None or type(indent) is int):
        # The writer generated for the class (msgspec writing with willkommen[fast]);
        # anything it is not sure about, the reference path (see dump()).
        text = writer.msgspec_text(obj, indent) if accelerator.active() else None
        if text is None:
            text = writer.text(obj, indent)
        if text is not None:
            return text
    with headroom():
        return _scanned_text(obj, indent)


def _scanned_text(obj: object, indent: int | None) -> str:
    """:func:`dumps` the reference way: :func:`_scanned_document`, then json (within headroom)."""
    document = _scanned_document(obj)
    try:
        if type(indent) is int:
            # The default: json's indented writing is its slow pure-Python encoder.
            text = accelerator.indented(document, indent) if accelerator.active() else None
            return text if text is not None else indented(document, indent)
        return json.dumps(document, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:
        # Only the caller's int/str limit, set below ours, refuses here (the scan checked the rest).
        return _dumps_long_integers(document, indent)


def _dumps_long_integers(document: object, indent: int | None) -> str:
    """JSON text of *document* whose long integers are written by our digits, not the caller's limit.

    Each long integer stands in as a string holding a mark no data can hold
    (a fresh random token), which is then replaced by the number's digits.
    """
    import secrets  # noqa: PLC0415 - rare, and costly at start-up (hashlib, random)

    token = secrets.token_hex(16)
    numbers: list[str] = []

    def stand_in(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: stand_in(item) for key, item in value.items()}
        if isinstance(value, list):
            return [stand_in(item) for item in value]
        if type(value) is int and not fits_caller(value):
            numbers.append(int_text(value))
            return f"{token}:{len(numbers) - 1}"
        return value

    text = json.dumps(stand_in(document), ensure_ascii=False, indent=indent, allow_nan=False)
    for index, digits in enumerate(numbers):
        text = text.replace(f'"{token}:{index}"', digits, 1)
    return text


def check(data: object, cls: type[Any] = Alliance) -> list[Problem]:
    """Every problem of a model object or of parsed data; never raises for bad data.

    For a model object built in code, that includes the values the reader
    would refuse in data because no document could carry them (``invalid_value``).
    Raises :class:`TypeError` if *cls* is not a model class.
    """
    _model_class(cls, "check")
    if attrs.has(type(data)):
        with headroom():
            problems = unwritable(data)
            # As in reading: a rule that needs a field holding such a value does not run on it.
            # (A path's first token is a field's name, which never needs escaping.)
            failed = frozenset(p.path.split("/")[1] for p in problems)
            return problems + _rule_problems(data, failed).problems
    return list(read(data, cls).problems)


def validate(data: object, cls: type[Any] = Alliance) -> None:
    """Raise :class:`~willkommen.ValidationError` if :func:`check` finds an error (TypeError as it does)."""
    problems = check(data, cls)
    if any(p.is_error for p in problems):
        raise ValidationError(problems)
