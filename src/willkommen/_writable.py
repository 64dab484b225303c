"""Values a model object can hold but no document can carry.

The reader refuses such values in data (``_strict.py``); an object built in
Python code never met the reader, so :func:`check` looks for them with this
walk, and :func:`dump` refuses to write them rather than write something else:
text with a lone surrogate (UTF-8 cannot encode it), an integer longer than
Python's int-to-text limit (json cannot write it), a Decimal that a float
cannot hold (JSON numbers read back as floats: it would come back changed),
and ``NaN`` and infinities (JSON has no word for them). Each gets the problem
the reader gives the same value in data.

Nearly every object has none of them, so a quick scan compiled per model class
looks first, and only an object it suspects is walked to find the paths. The
scan trusts a value's annotation only where the value's type matches it
exactly; anything else (a user's class without type checks, an object built
with validators disabled) it hands to the walk, which takes any value.
"""

import datetime as dt
import enum
import math
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs

from willkommen._fast import fitting_decimals
from willkommen._limits import MAX_DEPTH
from willkommen._numbers import fits_json
from willkommen._plan import (
    ChoiceNode,
    FixedTupleNode,
    MappingNode,
    ModelNode,
    Node,
    OptionalNode,
    ScalarKind,
    ScalarNode,
    SequenceNode,
    UnsupportedType,
    class_plan,
    model_classes,
)
from willkommen._problems import CYCLE, INVALID_VALUE, Problem
from willkommen._strict import (
    _STRING,
    StructureProblem,
    _wrong_type,
    fits_float,
    integer_problem,
    is_utf8,
    naive_problem,
    non_finite_problem,
    number_problem,
    text_problem,
)
from willkommen._tags import generation
from willkommen._text import escape, quote
from willkommen._typecheck import is_aware


def unwritable(obj: object) -> list[Problem]:
    """The values in *obj* that no document can carry, each with the reader's problem at its path.

    An object reached twice (shared, or in a cycle) is looked at once, at the
    first path it is found at. An object that contains itself is ``cycle``
    where it does, one that nests deeper than a document may (MAX_DEPTH)
    ``invalid_value`` where it gets too deep: no document could carry it, so
    it is not written either. Every walk here is a loop over a stack, linear
    in the objects, so no depth ends the interpreter.
    """
    suspect = _suspect(obj)
    problems = _walk(obj) if suspect else []
    # Annotations say whether a class can hold itself; a value they do not describe (put
    # there past the checks, with object.__setattr__ say) may hold anything, its holder too.
    if suspect or _may_nest_deeply(type(obj)):
        nesting = _nesting_problem(obj)
        if nesting is not None:
            problems.append(nesting)
    return problems


# --- nesting: deeper than a document may be, or without end -------------------------------


def _may_nest_deeply(cls: type) -> bool:
    """Whether objects of *cls* can nest without a bound: a class that holds itself, or anything."""
    key = (cls, generation())
    answer = _NESTS.get(key)
    if answer is None:
        answer = _NESTS[key] = _has_cycle_or_anything(cls)
    return answer


_NESTS: dict[tuple[type, int], bool] = {}


def _has_cycle_or_anything(root: type) -> bool:
    # Classes reachable through the type plans (and their subclasses, which may stand in their place);
    # a class without a plan (no type checks, a field of object) may hold anything.
    on_path: set[type] = set()
    done: set[type] = set()

    def visit(cls: type) -> bool:
        if cls in on_path:
            return True
        if cls in done:
            return False
        on_path.add(cls)
        try:
            fields = class_plan(cls).fields
        except UnsupportedType:
            return True
        for field in fields:
            for inner in model_classes(field.node):
                if any(visit(c) for c in (inner, *inner.__subclasses__())):
                    return True
        on_path.discard(cls)
        done.add(cls)
        return False

    return visit(root)


def _nesting_problem(obj: object) -> Problem | None:
    """The first place where *obj* contains itself or nests deeper than MAX_DEPTH; None if nowhere.

    Iterative, so that it answers for any depth; a part reached twice is
    walked once, with its height remembered.
    """
    children = _children(obj)
    if children is None:
        return None
    # Each frame: the object, its parts still to look at, the height of the tallest part so far.
    frames: list[list[Any]] = [[obj, children, 0]]
    on_path = {id(obj)}
    heights: dict[int, int] = {}
    tokens: list[str] = []
    while frames:
        frame = frames[-1]
        for token, child in frame[1]:
            parts = _children(child)
            if parts is None:
                continue
            if id(child) in on_path:
                return CYCLE.problem(_place((*tokens, token)), value=quote(child))
            height = heights.get(id(child))
            if (len(frames) + height if height is not None else len(frames) + 1) > MAX_DEPTH:
                return _nesting(
                    (*tokens, token),
                    child,
                    f"at most {MAX_DEPTH} levels of nesting, as in a document",
                    f"höchstens {MAX_DEPTH} Ebenen Verschachtelung, wie in einem Dokument",
                )
            if height is not None:
                frame[2] = max(frame[2], height)
                continue
            tokens.append(token)
            on_path.add(id(child))
            frames.append([child, parts, 0])
            break
        else:
            frames.pop()
            on_path.discard(id(frame[0]))
            heights[id(frame[0])] = frame[2] + 1
            if frames:
                frames[-1][2] = max(frames[-1][2], frame[2] + 1)
                tokens.pop()
    return None


def _place(tokens: tuple[str, ...]) -> str:
    # The tokens are escaped already (see _children).
    return "".join(f"/{token}" for token in tokens)


def _nesting(tokens: tuple[str, ...], value: object, expected: str, expected_de: str) -> Problem:
    return INVALID_VALUE.problem(_place(tokens), value=quote(value), expected=expected, expected_de=expected_de)


# --- the walk: any value, every path ------------------------------------------------------


def _problem(value: object) -> StructureProblem | None:  # noqa: PLR0911 - one answer per kind of leaf
    """The problem of one leaf value, or None."""
    if isinstance(value, enum.Enum):
        # A member is written as its value, which code defines: look at that.
        value = value.value
    if isinstance(value, str):
        return None if value.isascii() or is_utf8(value) else text_problem(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return None if fits_json(value) else integer_problem(value)
    if isinstance(value, Decimal):
        # Decimal's own test: float(Decimal("sNaN")) raises.
        if not value.is_finite():
            return non_finite_problem(value)
        return None if fits_float(value) else number_problem(value)
    if isinstance(value, float) and not math.isfinite(value):
        return non_finite_problem(value)
    if isinstance(value, dt.datetime) and not _aware(value):
        return naive_problem(value)
    return None


def _aware(value: dt.datetime) -> bool:
    """Whether *value* names a moment; a tzinfo whose ``utcoffset`` fails names none."""
    try:
        return is_aware(value)
    except Exception:  # noqa: BLE001 - a user's tzinfo may raise anything
        return False


def _children(value: object) -> Iterator[tuple[str, object]] | None:
    """The parts of a model object, list or dict, each with its path token; None for a leaf."""
    cls = type(value)
    if attrs.has(cls):
        return ((escape(field.name), getattr(value, field.name)) for field in attrs.fields(cls))
    # The built-in types' own iterators: a subclass's overridden __iter__ or items() may fail or lie.
    if isinstance(value, list | tuple):
        items = list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value)
        return ((str(index), item) for index, item in enumerate(items))
    if isinstance(value, frozenset | set):
        members = frozenset.__iter__(value) if isinstance(value, frozenset) else set.__iter__(value)
        return ((str(index), item) for index, item in enumerate(members))
    if isinstance(value, dict):
        # A key that is not text names its place by quote(), which never fails.
        return (
            (escape(str.__str__(key)) if isinstance(key, str) else quote(key), item) for key, item in dict.items(value)
        )
    return None


def _walk(obj: object) -> list[Problem]:
    """Every unwritable value with its path; a stack in document order, so depth never ends the interpreter."""
    problems: list[Problem] = []
    stack: list[tuple[str, object]] = [("", obj)]
    # Each object, list or dict once: that ends cycles (a mutable attrs class
    # can point back at itself) and keeps shared parts from multiplying the work.
    seen: set[int] = set()
    while stack:
        path, value = stack.pop()
        children = _children(value)
        if children is None:
            found = _problem(value)
            if found is not None:
                problems.append(found.rule.problem(path, **found.values))
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        parts = [(f"{path}/{token}", child) for token, child in children]
        if isinstance(value, dict):
            # Keys are written too: a key json cannot write is a problem at the key's place.
            for key, (place, _) in zip(dict.__iter__(value), parts, strict=True):
                # json would write 1 as "1" and None as "null": another key, or one written twice.
                found = _problem(key) if isinstance(key, str) else _wrong_type(_STRING, key)
                if found is not None:
                    problems.append(found.rule.problem(place, **found.values))
        stack.extend(reversed(parts))
    return problems


# --- the quick scan -----------------------------------------------------------------------


def _any_suspect(value: object) -> bool:
    """Whether a value its annotation does not describe may be unwritable.

    A leaf answers by its own test; a list, dict or object may hold anything,
    even what holds it: the whole object is walked then.
    """
    return _children(value) is not None or _problem(value) is not None


def _leaf_suspect(value: object) -> bool:
    """Whether one leaf value may be unwritable."""
    return _problem(value) is not None


_SCANS: dict[type, Callable[[Any, list[Any]], bool]] = {}


def _scanner(cls: type) -> Callable[[Any, list[Any]], bool]:
    """The scan of one object of *cls*: its own fields; objects inside go on the list *todo*."""
    scan = _SCANS.get(cls)
    if scan is None:
        scan = _SCANS[cls] = _compile_scan(cls) if attrs.has(cls) else _scan_any
    return scan


def _scan_any(value: object, todo: list[Any]) -> bool:
    del todo
    return _any_suspect(value)


def _suspect(obj: object) -> bool:
    """Whether anything in *obj* may be unwritable; False only if nothing is."""
    todo: list[Any] = [obj]
    seen: set[int] = set()  # see _walk: cycles end, shared objects are scanned once
    while todo:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if _scanner(type(value))(value, todo):
            return True
    return False


def _writable_enum(cls: type[enum.Enum]) -> bool:
    return all(_problem(member) is None for member in cls)


# For each kind of leaf, a test that is true if the value in ``{v}`` may be unwritable: the
# common case inline for a value of exactly that type, any other value to the walk. The int
# bound: 2,000 bits are 602 digits, under any int/str limit Python allows (640 or more).
_LEAF_TESTS: dict[ScalarKind, str] = {
    ScalarKind.STR: "((not {v}.isascii() and not _utf8({v})) if type({v}) is str else _any({v}))",
    ScalarKind.INT: "(({v}.bit_length() > 2000 and _leaf({v})) if type({v}) is int else _any({v}))",
    ScalarKind.DECIMAL: "(({v} not in _fitting and _leaf({v})) if type({v}) is Decimal else _any({v}))",
    ScalarKind.FLOAT: "_any({v})",
    ScalarKind.BOOL: "(type({v}) is not bool and _any({v}))",
    ScalarKind.DATE: "(type({v}) is not date and _any({v}))",
    ScalarKind.DATETIME: "((not _aware({v}) and _leaf({v})) if type({v}) is datetime else _any({v}))",
}

_SEQUENCES = (tuple, list, frozenset)


def _lines(node: Node, v: str, depth: int, names: dict[str, Any]) -> list[str]:
    """Statements that ``return True`` if the value in variable *v*, planned as *node*, may be unwritable."""
    match node:
        case ScalarNode(kind=kind):
            return [f"if {_LEAF_TESTS[kind].format(v=v)}: return True"]
        case ChoiceNode(enum=cls) if cls is not None and _writable_enum(cls):
            names[f"E{len(names)}"] = cls
            return [f"if type({v}) is not E{len(names) - 1} and _any({v}): return True"]
        case ModelNode():
            # Scanned by its own class (a subclass has fields of its own), after this object.
            return [f"todo.append({v})"]
        case OptionalNode(inner=inner):
            return [f"if {v} is not None:", *(f"    {line}" for line in _lines(inner, v, depth, names))]
        case SequenceNode(item=item):
            return _sequence_lines(item, v, depth, names)
        case ChoiceNode() | FixedTupleNode() | MappingNode():
            # Rare in models: the walk answers (a mapping's keys are written too).
            return [f"if _any({v}): return True"]
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)


def _sequence_lines(item: Node, v: str, depth: int, names: dict[str, Any]) -> list[str]:
    """Like :func:`_lines`, for a tuple, list or frozenset of *item*; any other value goes to the walk."""
    if isinstance(item, ModelNode):
        # Objects only: each is scanned by its own class, so hand them all over at once.
        body = [f"    todo.extend({v})"]
    else:
        name = f"i{depth}"
        body = [f"    for {name} in {v}:", *(f"        {line}" for line in _lines(item, name, depth + 1, names))]
    return [f"if type({v}) in _sequences:", *body, f"elif _any({v}): return True"]


def _nothing_to_scan(value: object, todo: list[Any]) -> bool:
    """The scan of a class without fields."""
    del value, todo
    return False


def _compile_scan(cls: type) -> Callable[[Any, list[Any]], bool]:
    try:
        fields = class_plan(cls).fields
    except UnsupportedType:  # no plan (a field of object, an unresolvable name): the walk needs none
        return _scan_any
    names: dict[str, Any] = {}
    body: list[str] = []
    for index, field in enumerate(fields):
        body += [f"v{index} = o.{field.name}", *_lines(field.node, f"v{index}", 0, names)]
    if not body:
        return _nothing_to_scan
    # Should a value still break a line above, the walk answers, which takes anything.
    lines = ["try:", *(f"    {line}" for line in body), "except Exception:", "    return _any(o)", "return False"]
    source = "def scan(o, todo):\n" + "".join(f"    {line}\n" for line in lines)
    names |= {
        "_leaf": _leaf_suspect,
        "_aware": _aware,
        "_utf8": is_utf8,
        "_any": _any_suspect,
        "_fitting": fitting_decimals(),
        "_sequences": _SEQUENCES,
        "Decimal": Decimal,
        "date": dt.date,
        "datetime": dt.datetime,
    }
    exec(source, names)  # noqa: S102 - built above from the type plan, never from data
    scan: Callable[[Any, list[Any]], bool] = names["scan"]
    return scan
