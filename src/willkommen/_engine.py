"""The rule registry and the walk that runs rules over a document.

A rule is a plain function registered with :func:`rule` for a model class;
it runs on every object of that class (or a subclass) in the document and
yields findings, which become problems with the rule's code and messages.
"""

import linecache
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
        return not self.failed or not self.failed.intersection(fields)


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
    plans: "dict[tuple[type, bool], _Plan]" = attrs.field(factory=dict, eq=False)
    visitors: "dict[tuple[type, bool], Callable[[Any, _Run], None]]" = attrs.field(factory=dict, eq=False)


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


def _subtree_has_rules(cls: type, catalogue: Catalogue, seen: frozenset[type] = frozenset()) -> bool:
    """Whether an object declared as *cls* can hold, or be, something a rule checks.

    Subclasses count: a tagged subclass with rules may stand where *cls* is declared.
    """
    if cls in seen:
        return False
    seen = seen | {cls}
    classes = [cls, *_all_subclasses(cls)]
    return any(rules_for(c, catalogue) for c in classes) or any(
        _subtree_has_rules(child, catalogue, seen) for c in classes for _, _, held in _children(c) for child in held
    )


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


def _plan(cls: type, has_program: bool, catalogue: Catalogue) -> _Plan:
    plan = catalogue.plans.get((cls, has_program))
    if plan is None:
        plan = catalogue.plans[cls, has_program] = (
            tuple(r for r in rules_for(cls, catalogue) if _runs(r, has_program, frozenset())),
            tuple(
                (name, node)
                for name, node, held in _children(cls)
                if any(_subtree_has_rules(child, catalogue) for child in held)
            ),
        )
    return plan


# --- the compiled walk: what to visit and which rules to run, decided once per class ---------------


class _Writer:
    """Writes the visiting function for documents of one class: the walk of :func:`_visit`, unrolled.

    For each class the type plan can reach from the document's, in the order
    the walk takes: its rules, called straight on the object, and its fields
    worth a visit, with a loop for a sequence. An object of another class than
    the one declared (a subclass), a class that holds itself and any shape but
    a model, an optional one or a sequence of them go to the walk itself, from
    that object on, with the same set of objects seen. A path is joined only
    where a rule finds something, or raises.
    """

    def __init__(self, catalogue: Catalogue, has_program: bool) -> None:
        self.catalogue = catalogue
        self.has_program = has_program
        self.namespace: dict[str, Any] = {"_report": _report, "_mark": _mark, "_first_visit": _first_visit}
        self.functions: dict[type, str] = {}
        self.chunks: list[str] = []

    def bind(self, value: object, prefix: str) -> str:
        name = f"{prefix}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def plan(self, cls: type) -> _Plan:
        return _plan(cls, self.has_program, self.catalogue)

    def function(self, cls: type, above: frozenset[type] = frozenset()) -> str:
        """The name of the function that visits an object of *cls* exactly, written on first use."""
        name = self.functions.get(cls)
        if name is not None:
            return name
        # A class made at run time may have any name: only an identifier goes into the source.
        readable = cls.__name__ if cls.__name__.isidentifier() else "class"
        name = self.functions[cls] = f"visit_{len(self.functions)}_{readable}"
        body = [
            "    context = run.context",
            "    problems = run.problems",
            "    seen = run.seen",
            *self.rules(cls, "obj", "path", "    "),
        ]
        for field, node in self.plan(cls)[1]:
            body.extend(self.field(field, node, above | {cls}))
        self.chunks.append("\n".join([f"def {name}(obj, path, run):", *body, "    return None", ""]))
        return name

    def rules(self, cls: type, obj: str, path: str, indent: str, *, claim: bool = False) -> list[str]:
        """Lines that run the rules of *cls* on *obj*, as _apply does, with *path* joined only when needed.

        With *claim*, the object is marked seen only once a rule finds something
        in it, and a finding in an object seen before is dropped: what the walk
        gives for rules that always find the same in the same object (the
        shipped ones), without a set operation per object.
        """
        lines = [f"{indent}fresh = None"] if claim else []
        for entry in self.plan(cls)[0]:
            rule_name = self.bind(entry, "rule")
            check = self.bind(entry.check, "check")
            severity = "None"
            if entry.severity_for is not None:
                # Asked at every object, as the walk asks: outside the rule's guard, as there.
                severity = f"severity_{len(self.namespace)}"
                lines.append(f"{indent}{severity} = {self.bind(entry.severity_for, 'severity_for')}(context.program)")
            report = [f"{indent}        _report({rule_name}, {severity}, {path}, found, problems)"]
            if claim:
                report = [
                    f"{indent}        if fresh is None:",
                    f"{indent}            fresh = _first_visit({obj}, seen)",
                    f"{indent}        if fresh:",
                    f"    {report[0]}",
                ]
            lines += [
                f"{indent}try:",
                f"{indent}    for found in {check}({obj}, context):",
                *report,
                f"{indent}except (Exception, SystemExit) as exc:",
                f"{indent}    _mark(exc, {rule_name}, {path})",
                f"{indent}    raise",
            ]
        return lines

    def visit(self, cls: type, value: str, path: str, indent: str, above: frozenset[type]) -> list[str]:
        """Lines that visit *value*, known to be of *cls* exactly, at *path*, once."""
        rules, fields = self.plan(cls)
        if not rules and not fields:
            return []  # nothing to run, here or below: a visit would change nothing
        if cls in above:
            return [f"{indent}run.walk({value}, {path})"]  # a class that holds itself: the walk has no end to unroll
        if not fields and all(map(_shipped, rules)):
            return self.rules(cls, value, path, indent, claim=True)
        lines = [
            f"{indent}key = id({value})",
            f"{indent}if key not in seen:",
            f"{indent}    seen.add(key)",
        ]
        if fields:
            return [*lines, f"{indent}    {self.function(cls, above)}({value}, {path}, run)"]
        return lines + self.rules(cls, value, path, indent + "    ")

    def field(self, name: str, node: Node, above: frozenset[type]) -> list[str]:
        """Lines that visit what the field *name* of ``obj`` holds, as _objects_in finds it."""
        path = f'path + "/{name}"'
        lines = [f"    value = obj.{name}"]
        optional = isinstance(node, OptionalNode)
        inner = node.inner if isinstance(node, OptionalNode) else node
        if isinstance(inner, ModelNode):
            cls = self.bind(inner.cls, "cls")
            visit = self.visit(inner.cls, "value", path, "        ", above)
            return [
                *lines,
                f"    if type(value) is {cls}:",
                *(visit or ["        pass"]),
                f"    elif {'value is not None' if optional else 'True'}:",
                f"        run.walk(value, {path})",
            ]
        if isinstance(inner, SequenceNode) and isinstance(inner.item, ModelNode):
            cls = self.bind(inner.item.cls, "cls")
            item_path = f'f"{{path}}/{name}/{{index}}"'
            visit = self.visit(inner.item.cls, "item", item_path, "                ", above)
            return [
                *lines,
                # What _elements takes for a sequence; anything else holds nothing to route to.
                "    if type(value) is tuple or isinstance(value, tuple | list | frozenset):",
                "        for index, item in enumerate(value):",
                f"            if type(item) is not {cls}:",
                f"                run.walk(item, {item_path})",
                *(["            else:", *visit] if visit else []),
            ]
        # A mapping, a fixed tuple, a sequence of optional objects: found as the walk finds them.
        return [
            *lines,
            "    found = []",
            f"    {self.bind(_objects_in, 'objects_in')}(value, {self.bind(node, 'node')}, {path}, found)",
            "    for item, item_path in found:",
            "        run.walk(item, item_path)",
        ]

    def compile(self, cls: type) -> "Callable[[Any, _Run], None]":
        root = self.function(cls)
        self.chunks.append(
            "\n".join(
                ["def walk(document, run):", "    run.seen.add(id(document))", f'    {root}(document, "", run)', ""]
            )
        )
        source = "\n".join(self.chunks)
        # Like attrs and cattrs: tracebacks and debuggers show the generated lines.
        filename = f"<willkommen rules walk {cls.__module__}.{cls.__qualname__}, program {self.has_program}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102 - built from the type plan, never from data
        function: Callable[[Any, _Run], None] = self.namespace["walk"]
        return function


def _visitor(cls: type, has_program: bool, catalogue: Catalogue) -> "Callable[[Any, _Run], None]":
    """The compiled walk for documents of *cls* exactly, with or without a program; written once per catalogue.

    It does what :func:`_visit` does for a document that was read whole (the
    tests hold the two to the same problems, in the same order).
    """
    key = (cls, has_program)
    found = catalogue.visitors.get(key)
    if found is None:
        found = catalogue.visitors[key] = _Writer(catalogue, has_program).compile(cls)
    return found


def _first_visit(obj: object, seen: set[int]) -> bool:
    """Whether *obj* is seen for the first time; it is seen from now on."""
    key = id(obj)
    if key in seen:
        return False
    seen.add(key)
    return True


def _shipped(entry: Rule) -> bool:
    """Whether *entry* is one of the shipped rules: pure functions of the object and the context.

    A user's rule may count its calls or keep state, so the walk calls it exactly
    as often as the generic one does; a shipped rule finds the same every time.
    """
    return getattr(entry.check, "__module__", None) == _SHIPPED_MODULE


# The module that defines the shipped rules (willkommen._rules imports this one: named, not imported).
_SHIPPED_MODULE = "willkommen._rules"


def _report(entry: Rule, severity: Severity | None, path: str, found: Finding, problems: list[Problem]) -> None:
    """Add the problem of one finding of *entry* on the object at *path*, with the program's *severity*, if any."""
    parts, values = found
    problem = entry.problem(path + pointer(*parts), **values)
    problems.append(problem if severity in (None, problem.severity) else attrs.evolve(problem, severity=severity))


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
    #: The objects visited so far, by identity: each is visited once, at the first place it is found.
    seen: set[int] = attrs.Factory(set)

    def walk(self, obj: Any, path: str) -> None:
        """Visit *obj* at *path* and everything in it, by the walk, with the objects seen so far."""
        _visit(obj, self, path)


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
    runnable, fields = _plan(type(obj), has_program, run.catalogue)
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
            for found in check(obj, context):
                _report(entry, severity, path, found, problems)
        except (Exception, SystemExit) as exc:
            # It goes on up, saying which rule it was (sys.exit too: it must not end a run as if all were checked).
            _mark(exc, entry, path)
            raise
    return fields


def _visit(document: Any, run: _Run, at: str = "") -> None:
    """Run the rules on *document* and every object in it that rules may check, in document order.

    A stack, not recursion, so that no depth ends the interpreter; and each
    object once, at the first place it is found: an object that contains
    itself (reported by the writable scan) ends there, and a part shared by
    many places costs one visit, so the walk is linear in the objects.
    """
    failed = run.context.failed
    stack: list[tuple[Any, str]] = [(document, at)]
    seen = run.seen
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
    if failed:
        # Rules skipped for what could not be read: the walk decides object by object.
        _visit(document, run)
        return Checked(run.problems, tuple(run.skipped), failed)
    _visitor(type(document), program is not None, catalogue)(document, run)
    return Checked(run.problems)
