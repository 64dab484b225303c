"""The rule registry and the walk that runs rules over a document.

A rule is a plain function registered with :func:`rule` for a model class;
it runs on every object of that class (or a subclass) in the document and
yields findings, which become problems with the rule's code and messages.
"""

import threading
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from willkommen._enums import Severity
from willkommen._errors import WillkommenError
from willkommen._plan import (
    ChoiceNode,
    FixedTupleNode,
    MappingNode,
    ModelNode,
    Node,
    OptionalNode,
    ScalarNode,
    SequenceNode,
    UnsupportedType,
    class_plan,
    model_classes,
)
from willkommen._problems import STRUCTURAL_CODES, Finding, Problem, Rule
from willkommen._programs import Program
from willkommen._tags import generation
from willkommen._text import escape, pointer

_T = TypeVar("_T")
Check = Callable[[_T, "Context"], Iterable[Finding]]


@attrs.frozen
class Context:
    """What a rule may know beyond the object it checks.

    ``document`` is the top object being checked (usually the alliance),
    ``program`` its program, and ``failed`` the top-level fields of the
    document that could not be read (already reported as problems).
    """

    document: Any
    program: Program | None
    failed: frozenset[str] = frozenset()

    def readable(self, *fields: str) -> bool:
        """Whether all these top-level fields of the document were read."""
        return not self.failed.intersection(fields)


@attrs.frozen
class Catalogue:
    """One published state of the rule registry, with the caches built from it.

    Registering builds a new catalogue under a lock and publishes it at once
    (copy on write): a check running in another thread keeps the catalogue it
    started with, so it never sees a table change under it. The caches belong
    to their catalogue, so a stale entry can never outlive a change.
    """

    rules: dict[str, Rule] = attrs.field(factory=dict)
    tag_generation: int = -1
    by_class: dict[type, tuple[Rule, ...]] = attrs.field(factory=dict, eq=False)
    plans: "dict[tuple[type, bool, bool], _Plan]" = attrs.field(factory=dict, eq=False)
    fused: "dict[type, tuple[_Fused | None, bool]]" = attrs.field(factory=dict, eq=False)


_LOCK = threading.RLock()
_catalogue = Catalogue()


def current() -> Catalogue:
    """The catalogue in force, with caches that know the tags declared so far."""
    catalogue = _catalogue
    if catalogue.tag_generation != generation():
        # A new tagged subclass may bring rules to fields that had none: new caches.
        with _LOCK:
            catalogue = publish(_catalogue.rules)
    return catalogue


def publish(rules: dict[str, Rule]) -> Catalogue:
    """Make *rules* the registry's state, with empty caches."""
    global _catalogue  # noqa: PLW0603 - the registry's one published state
    with _LOCK:
        _catalogue = Catalogue(rules, generation())
        return _catalogue


def rule(  # noqa: PLR0913 - a catalogue entry has this many parts, all named
    applies_to: type[_T],
    code: str,
    severity: Severity,
    *,
    description: str,
    description_de: str,
    message: str,
    message_de: str,
    source: str,
    reads: Iterable[str] | None = None,
    fix: str = "",
    fix_de: str = "",
    severity_for: Callable[[Program | None], Severity] | None = None,
) -> Callable[[Check[_T]], Check[_T]]:
    """Register the decorated function as the check behind *code*.

    The function takes an object of *applies_to* and a :class:`Context`, and
    yields :func:`~willkommen.rules.finding` values. *reads* names the top-level
    fields of the document the rule needs (``"program"`` for the program);
    None means it needs the whole document to have been read. *fix* and
    *fix_de* say how to correct the data (reports show them). *severity_for*,
    where the program decides how much a finding matters, gives the severity
    for the alliance's program; *severity* is then the one the catalogue lists.
    """

    def register(check: Check[_T]) -> Check[_T]:
        register_rule(
            Rule(
                code=code,
                severity=severity,
                description=description,
                description_de=description_de,
                message=message,
                message_de=message_de,
                source=source,
                fix=fix,
                fix_de=fix_de,
                applies_to=applies_to,
                reads=None if reads is None else frozenset(reads),
                check=check,
                severity_for=severity_for,
            )
        )
        return check

    return register


def _origin(entry: Rule) -> str:
    """Where a rule was defined: its function (and, for a tightened rule, what it tightens for which class)."""
    check = entry.check
    where = f"{getattr(check, '__module__', '?')}.{getattr(check, '__qualname__', '?')}"
    if entry.replaces is not None and entry.applies_to is not None:
        where += f" (tightening {entry.replaces!r} for {entry.applies_to.__module__}.{entry.applies_to.__qualname__})"
    return where


def register_rule(new: Rule) -> Rule:
    """Add a rule to the catalogue; its code must be new, or the same rule's.

    The same rule again (the same function, or its definition run again by a
    reloaded module: same module and name) replaces the one registered; a
    different rule under a code that is taken raises :class:`RuleError`
    naming both.
    """
    if new.applies_to is None or new.check is None:
        msg = f"rule {new.code!r} needs applies_to and check"
        raise RuleError(msg)
    if any(s.code == new.code for s in STRUCTURAL_CODES):
        msg = f"the code {new.code!r} is the reader's; a rule cannot take it"
        raise RuleError(msg)
    with _LOCK:
        known = _catalogue.rules.get(new.code)
        if known is not None and _origin(known) != _origin(new):
            msg = f"the code {new.code!r} belongs to {_origin(known)} already; {_origin(new)} cannot take it"
            raise RuleError(msg)
        # What applies to which class, and which fields are worth a visit, changed: new caches.
        publish({**_catalogue.rules, new.code: new})
    return new


class RuleError(WillkommenError):
    """A rule that cannot be registered."""


#: Codes renamed by format version 2, old to new; the old ones still work on
#: the command line (``--select``, ``--ignore``, ``rules``), with a note.
RENAMED_CODES = {
    "alliance.no_municipality": "alliance.no_local_authority",
    "municipality": "local_authority",
    "municipality.ags_format": "local_authority.ags_format",
    "municipality.ags_state_mismatch": "local_authority.ags_state_mismatch",
    "municipality.ags_free_city": "local_authority.ags_free_city",
}


def rules() -> tuple[Rule, ...]:
    """The whole catalogue: the structural codes, then every registered rule."""
    return (*STRUCTURAL_CODES, *_catalogue.rules.values())


def rules_for(cls: type, catalogue: Catalogue | None = None) -> tuple[Rule, ...]:
    """The rules that check objects of *cls*, inherited ones first, less the replaced ones."""
    catalogue = catalogue or current()
    found = catalogue.by_class.get(cls)
    if found is None:
        applicable = [r for r in catalogue.rules.values() if r.applies_to is not None and issubclass(cls, r.applies_to)]
        replaced = {r.replaces for r in applicable}
        found = catalogue.by_class[cls] = tuple(r for r in applicable if r.code not in replaced)
    return found


def tighten(  # noqa: PLR0913 - a catalogue entry has this many parts, all named
    code: str,
    applies_to: type,
    *,
    new_code: str,
    program: Callable[[Program], Program],
    description: str,
    description_de: str,
    source: str,
) -> Rule:
    """Register a stricter version of the rule *code* for *applies_to*, without copying it.

    The rule runs as it is, but sees the program as *program* turns it: a
    subclass that needs five partners passes
    ``lambda p: attrs.evolve(p, min_partners=max(p.min_partners, 5))``. For
    objects of *applies_to* the new code replaces the old one, so a problem
    is reported once, under the subclass's own code.
    """
    try:
        base = _catalogue.rules[code]
    except KeyError:
        raise RuleError(f"there is no rule {code!r} to tighten") from None
    base_check = base.check
    assert base_check is not None  # every registered rule has one
    adjusted: dict[Program, Program] = {}

    def check(obj: Any, context: Context) -> Iterable[Finding]:
        if context.program is not None and context.program not in adjusted:
            adjusted[context.program] = program(context.program)
        stricter = adjusted[context.program] if context.program is not None else None
        return base_check(obj, attrs.evolve(context, program=stricter))

    return register_rule(
        attrs.evolve(
            base,
            code=new_code,
            description=description,
            description_de=description_de,
            source=source,
            applies_to=applies_to,
            check=check,
            replaces=code,
        )
    )


def _subtree_has_rules(
    cls: type, catalogue: Catalogue, *, users_only: bool = False, seen: frozenset[type] = frozenset()
) -> bool:
    """Whether an object declared as *cls* can hold, or be, something a rule checks (a user's rule, if *users_only*).

    Subclasses count: a tagged subclass with rules may stand where *cls* is declared.
    """
    if cls in seen:
        return False
    seen = seen | {cls}
    classes = [cls, *_all_subclasses(cls)]
    return any(_rules_of(c, catalogue, users_only=users_only) for c in classes) or any(
        _subtree_has_rules(child, catalogue, users_only=users_only, seen=seen)
        for c in classes
        for _, _, held in _children(c)
        for child in held
    )


def _shipped(entry: Rule) -> bool:
    """Whether *entry* is one of the shipped rules: pure functions of the object and the context."""
    return getattr(entry.check, "__module__", None) == _SHIPPED_MODULE


# The module that defines the shipped rules (willkommen._rules imports this one: named, not imported).
_SHIPPED_MODULE = "willkommen._rules"


def _rules_of(cls: type, catalogue: Catalogue, *, users_only: bool) -> tuple[Rule, ...]:
    every = rules_for(cls, catalogue)
    return tuple(r for r in every if not _shipped(r)) if users_only else every


def _all_subclasses(cls: type) -> list[type]:
    found: list[type] = []
    direct: list[type] = cls.__subclasses__()
    for sub in direct:
        found.extend([sub, *_all_subclasses(sub)])
    return found


def _children(cls: type) -> list[tuple[str, Node, tuple[type, ...]]]:
    """The fields of *cls* that hold model objects, from its type plan: name, node, the model classes declared."""
    try:
        fields = class_plan(cls).fields
    except UnsupportedType:
        # No plan (a class without type checks, holding `object` say): no field routes to a rule.
        # The writable scan and the nesting check still walk such an object by its values.
        return []
    found = []
    for field in fields:
        held = tuple(dict.fromkeys(model_classes(field.node)))
        if held:
            found.append((field.name, field.node, held))
    return found


# Per class and "is there a program": the rules that run on a whole document,
# and the fields worth a visit with their nodes. Kept in the catalogue, so rebuilt when rules or tags change.
_Plan = tuple[tuple[Rule, ...], tuple[tuple[str, Node], ...]]


def _runs(entry: Rule, has_program: bool, failed: frozenset[str]) -> bool:
    """Whether a rule can run: every field it reads was read, and the program is there if it needs it."""
    reads = entry.reads
    if reads is None:
        return not failed and has_program
    return not failed.intersection(reads) and (has_program or "program" not in reads)


def _plan(cls: type, has_program: bool, catalogue: Catalogue, *, users_only: bool = False) -> _Plan:
    plan = catalogue.plans.get((cls, has_program, users_only))
    if plan is None:
        plan = catalogue.plans[cls, has_program, users_only] = (
            tuple(r for r in _rules_of(cls, catalogue, users_only=users_only) if _runs(r, has_program, frozenset())),
            tuple(
                (name, node)
                for name, node, held in _children(cls)
                if any(_subtree_has_rules(child, catalogue, users_only=users_only) for child in held)
            ),
        )
    return plan


# --- the fused pass: the shipped rules over a whole document, decided once per class ---------------

# For one declared class: the checks of the shipped rules that run on it, and its fields worth a
# visit, each with the same for the class it declares.
_Fused = tuple[type, tuple[Check[Any], ...], tuple[tuple[str, bool, "_Fused"], ...]]


def _fused(cls: type, catalogue: Catalogue) -> "tuple[_Fused | None, bool]":
    """The fused pass for documents of *cls*, and whether a user's rule may run on one.

    The pass is None where a class holds itself: such a walk has no end to plan.
    """
    found = catalogue.fused.get(cls)
    if found is None:
        found = catalogue.fused[cls] = (
            _fuse(cls, catalogue, frozenset()),
            # The document is of *cls* exactly; the objects inside may be of subclasses.
            bool(_rules_of(cls, catalogue, users_only=True))
            or any(
                _subtree_has_rules(child, catalogue, users_only=True) for _, _, held in _children(cls) for child in held
            ),
        )
    return found


def _fuse(cls: type, catalogue: Catalogue, above: frozenset[type]) -> "_Fused | None":
    if cls in above:
        return None
    runnable, fields = _plan(cls, has_program=True, catalogue=catalogue)
    checks = tuple(r.check for r in runnable if _shipped(r) and r.check is not None)
    parts = []
    for name, node in fields:
        match _one_or_many(node):
            case (child, is_sequence):
                part = _fuse(child, catalogue, above | {cls})
            case None:
                part = None  # a mapping or a fixed tuple of objects: the walk knows those
        if part is None:
            return None
        parts.append((name, is_sequence, part))
    return cls, checks, tuple(parts)


def _one_or_many(node: Node) -> tuple[type, bool] | None:
    """The model class of a field holding one object (or None) or a sequence of them, and which; None otherwise."""
    if isinstance(node, OptionalNode):
        node = node.inner
    if isinstance(node, ModelNode):
        return node.cls, False
    if isinstance(node, SequenceNode) and isinstance(node.item, ModelNode):
        return node.item.cls, True
    return None


def _clear(obj: Any, fused: _Fused, context: Context) -> bool:
    """Whether no shipped rule finds anything in *obj*; False also where unsure (an object of another class).

    One pass without paths, problems or a stack: the rules are called straight
    on the objects the plan names. Anything else is the engine's to answer.
    """
    cls, checks, parts = fused
    # A subclass may have rules and fields of its own.
    if type(obj) is not cls or _finds(checks, obj, context):
        return False
    for name, is_sequence, part in parts:
        value = getattr(obj, name)
        if value is not None and not (
            _all_clear(value, part, context) if is_sequence else _clear(value, part, context)
        ):
            return False
    return True


def _finds(checks: tuple[Check[Any], ...], obj: Any, context: Context) -> bool:
    """Whether one of the *checks* finds something in *obj*."""
    return any(True for check in checks for _ in check(obj, context))


def _all_clear(items: Iterable[Any], fused: _Fused, context: Context) -> bool:
    cls, checks, parts = fused
    if parts:
        return all(_clear(item, fused, context) for item in items)
    # Items with nothing inside to visit (sessions, local authorities): one loop, no call per item.
    return not any(type(item) is not cls or _finds(checks, item, context) for item in items)


@attrs.frozen
class Checked:
    """What running the rules gave: the problems, and the rules that could not run.

    ``skipped`` holds the codes of the rules that would have run on an object
    but did not, because a part of the document they read could not be read:
    once that part is fixed, they run and may report more.
    """

    problems: list[Problem]
    skipped: tuple[str, ...] = ()
    failed: frozenset[str] = frozenset()


@attrs.define
class _Run:
    context: Context
    catalogue: Catalogue
    problems: list[Problem] = attrs.Factory(list)
    skipped: dict[str, None] = attrs.Factory(dict)
    #: Only the users' rules: the fused pass found nothing for the shipped ones.
    users_only: bool = False


def rule_failure_note(entry: Rule, path: str) -> str:
    """The note a rule's exception carries out of :func:`willkommen.check`."""
    return f"raised by the rule {entry.code!r} ({_origin(entry)}) while checking {path or '(document)'}"


# Where an exception a rule raised keeps the rule's code (the note is for people).
_RULE_ATTRIBUTE = "willkommen_rule"


def failed_rule(exc: BaseException) -> str | None:
    """The code of the rule that raised *exc*, or None if no rule did."""
    code = getattr(exc, _RULE_ATTRIBUTE, None)
    return code if isinstance(code, str) else None


def _mark(exc: BaseException, entry: Rule, path: str) -> None:
    """Say on *exc* which rule raised it, where: a bug in a rule is not a problem of the data."""
    if failed_rule(exc) is None:
        exc.add_note(rule_failure_note(entry, path))
        setattr(exc, _RULE_ATTRIBUTE, entry.code)


def _apply(obj: Any, path: str, run: _Run) -> tuple[tuple[str, Node], ...]:
    """Run the rules on *obj*; the fields of it worth a visit."""
    context = run.context
    failed = context.failed
    has_program = context.program is not None
    runnable, fields = _plan(type(obj), has_program, run.catalogue, users_only=run.users_only)
    if failed:
        every = rules_for(type(obj), run.catalogue)
        runnable = tuple(r for r in every if _runs(r, has_program, failed))
        # Skipped for a part that failed to read (an unknown program counts), not for lack of a program.
        could_run = has_program or "program" in failed
        run.skipped.update((r.code, None) for r in every if r not in runnable and _runs(r, could_run, frozenset()))
    problems = run.problems
    for entry in runnable:
        check = entry.check
        assert check is not None  # register_rule made sure
        severity = entry.severity_for(context.program) if entry.severity_for is not None else None
        try:
            for parts, values in check(obj, context):
                problem = entry.problem(path + pointer(*parts), **values)
                problems.append(
                    problem if severity in (None, problem.severity) else attrs.evolve(problem, severity=severity)
                )
        except (Exception, SystemExit) as exc:
            # It goes on up, saying which rule it was (sys.exit too: it must not end a run as if all were checked).
            _mark(exc, entry, path)
            raise
    return fields


def _visit(document: Any, run: _Run) -> None:
    """Run the rules on *document* and every object in it that rules may check, in document order.

    A stack, not recursion, so that no depth ends the interpreter; and each
    object once, at the first place it is found: an object that contains
    itself (reported by the writable scan) ends there, and a part shared by
    many places costs one visit, so the walk is linear in the objects.
    """
    failed = run.context.failed
    stack: list[tuple[Any, str]] = [(document, "")]
    seen: set[int] = set()
    while stack:
        obj, path = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        top = not path  # the document itself: every other place has a path
        fields = _apply(obj, path, run)
        if not fields:
            continue
        parts: list[tuple[Any, str]] = []
        for name, node in fields:
            if not (top and name in failed):
                _objects_in(getattr(obj, name), node, f"{path}/{name}", parts)
        stack.extend(reversed(parts))


def _objects_in(value: Any, node: Node, path: str, found: list[tuple[Any, str]]) -> None:
    """Add the model objects *value* holds as *node* declares, each with its path, in document order."""
    match node:
        case ModelNode():
            found.append((value, path))
        case OptionalNode(inner=inner):
            if value is not None:
                _objects_in(value, inner, path, found)
        case SequenceNode() | FixedTupleNode() | MappingNode():
            for token, element, item in _elements(value, node):
                _objects_in(element, item, f"{path}/{token}", found)
        case ScalarNode() | ChoiceNode():
            pass
        case _:  # pragma: no cover - every kind is handled above
            typing.assert_never(node)


def _elements(value: Any, node: SequenceNode | FixedTupleNode | MappingNode) -> Iterable[tuple[str, Any, Node]]:
    """The path token, value and node of each element of a collection; none for a value of another shape."""
    match node:
        case SequenceNode(item=item) if isinstance(value, tuple | list | frozenset):
            return ((str(index), element, item) for index, element in enumerate(value))
        case FixedTupleNode(items=items) if isinstance(value, tuple | list):
            return ((str(index), *pair) for index, pair in enumerate(zip(value, items, strict=False)))
        case MappingNode(value=item) if isinstance(value, Mapping):
            return ((escape(str(key)), element, item) for key, element in value.items())
    # Put there past the checks: it holds nothing the rules can route to.
    return ()


def run_rules(document: Any, program: Program | None, failed: frozenset[str] = frozenset()) -> Checked:
    """Run every rule that applies to the document and the objects inside it.

    A rule is skipped when a field it reads could not be read, or when it
    needs the program and there is none: what it would say is already said.
    An exception raised by a rule goes on up with a note naming the rule.
    """
    context = Context(document=document, program=program, failed=failed)
    catalogue = current()
    run = _Run(context, catalogue)
    # The fused pass runs on a whole document with its program (so no rule is skipped).
    if not failed and program is not None:
        fused, users_rules = _fused(type(document), catalogue)
        if fused is not None and _shipped_rules_find_nothing(document, fused, context):
            if not users_rules:
                return Checked(run.problems)  # the common case: a valid document
            run.users_only = True
    _visit(document, run)
    return Checked(run.problems, tuple(run.skipped), failed)


def _shipped_rules_find_nothing(document: Any, fused: _Fused, context: Context) -> bool:
    """Whether the fused pass shows that no shipped rule finds anything; False where it cannot tell.

    What it cannot tell, or any exception a rule raises, is the engine's, which
    then runs every rule as usual and reports.
    """
    try:
        return _clear(document, fused, context)
    except Exception:  # noqa: BLE001 - the engine runs the rule again and reports what it raises
        return False
