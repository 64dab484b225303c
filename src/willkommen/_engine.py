"""The rule registry and the walk that runs rules over a document.

A rule is a plain function registered with :func:`rule` for a model class;
it runs on every object of that class (or a subclass) in the document and
yields findings, which become problems with the rule's code and messages.
"""

import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from willkommen._enums import Severity
from willkommen._errors import WillkommenError
from willkommen._problems import STRUCTURAL_CODES, Finding, Problem, Rule
from willkommen._programs import Program
from willkommen._tags import generation
from willkommen._text import pointer

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


_RULES: dict[str, Rule] = {}
_BY_CLASS: dict[type, tuple[Rule, ...]] = {}


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
) -> Callable[[Check[_T]], Check[_T]]:
    """Register the decorated function as the check behind *code*.

    The function takes an object of *applies_to* and a :class:`Context`, and
    yields :func:`~willkommen.finding` values. *reads* names the top-level
    fields of the document the rule needs (``"program"`` for the program);
    None means it needs the whole document to have been read.
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
                applies_to=applies_to,
                reads=None if reads is None else frozenset(reads),
                check=check,
            )
        )
        return check

    return register


def register_rule(new: Rule) -> Rule:
    """Add a rule to the catalogue; its code must be new."""
    if new.applies_to is None or new.check is None:
        msg = f"rule {new.code!r} needs applies_to and check"
        raise RuleError(msg)
    if new.code in _RULES or any(s.code == new.code for s in STRUCTURAL_CODES):
        msg = f"a rule with the code {new.code!r} exists already"
        raise RuleError(msg)
    _RULES[new.code] = new
    # What applies to which class, and which fields are worth a visit, changed.
    _BY_CLASS.clear()
    _PLANS.clear()
    return new


class RuleError(WillkommenError):
    """A rule that cannot be registered."""


def rules() -> tuple[Rule, ...]:
    """The whole catalogue: the structural codes, then every registered rule."""
    return (*STRUCTURAL_CODES, *_RULES.values())


def rules_for(cls: type) -> tuple[Rule, ...]:
    """The rules that check objects of *cls*, inherited ones first, less the replaced ones."""
    found = _BY_CLASS.get(cls)
    if found is None:
        applicable = [r for r in _RULES.values() if r.applies_to is not None and issubclass(cls, r.applies_to)]
        replaced = {r.replaces for r in applicable}
        found = _BY_CLASS[cls] = tuple(r for r in applicable if r.code not in replaced)
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
        base = _RULES[code]
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


def _model_type(annotation: Any) -> tuple[type, bool] | None:
    """The model class an annotation can hold, and whether it holds a sequence of them."""
    if isinstance(annotation, type) and attrs.has(annotation):
        return annotation, False
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        found = [m for m in map(_model_type, arguments) if m is not None]
        return found[0] if len(found) == 1 else None
    if origin in (tuple, list, frozenset) and arguments:
        inner = _model_type(arguments[0])
        return (inner[0], True) if inner is not None and not inner[1] else None
    return None


def _subtree_has_rules(cls: type, seen: frozenset[type] = frozenset()) -> bool:
    """Whether an object declared as *cls* can hold, or be, something a rule checks.

    Subclasses count: a tagged subclass with rules may stand where *cls* is declared.
    """
    if cls in seen:
        return False
    seen = seen | {cls}
    classes = [cls, *_all_subclasses(cls)]
    return any(rules_for(c) for c in classes) or any(
        _subtree_has_rules(child, seen) for c in classes for _, child, _ in _children(c)
    )


def _all_subclasses(cls: type) -> list[type]:
    found: list[type] = []
    direct: list[type] = cls.__subclasses__()
    for sub in direct:
        found.extend([sub, *_all_subclasses(sub)])
    return found


def _children(cls: type) -> list[tuple[str, type, bool]]:
    """The fields of *cls* that hold model objects: name, declared class, is a sequence."""
    hints = typing.get_type_hints(cls)
    children = []
    for field in attrs.fields(cls):
        found = _model_type(hints.get(field.name, field.type))
        if found is not None:
            children.append((field.name, *found))
    return children


# Per class and "is there a program": the rules that run on a whole document,
# and the fields worth a visit. Rebuilt when rules or tags change.
_Plan = tuple[tuple[Rule, ...], tuple[tuple[str, bool], ...]]
_PLANS: dict[tuple[type, bool], _Plan] = {}
_PLANS_GENERATION = -1


def _runs(entry: Rule, has_program: bool, failed: frozenset[str]) -> bool:
    """Whether a rule can run: every field it reads was read, and the program is there if it needs it."""
    reads = entry.reads
    if reads is None:
        return not failed and has_program
    return not failed.intersection(reads) and (has_program or "program" not in reads)


def _forget_stale_plans() -> None:
    global _PLANS_GENERATION  # noqa: PLW0603 - the plans are stale once a new subclass is tagged
    if generation() != _PLANS_GENERATION:
        _PLANS.clear()
        _PLANS_GENERATION = generation()


def _plan(cls: type, has_program: bool) -> _Plan:
    plan = _PLANS.get((cls, has_program))
    if plan is None:
        plan = _PLANS[cls, has_program] = (
            tuple(r for r in rules_for(cls) if _runs(r, has_program, frozenset())),
            tuple((name, is_sequence) for name, child, is_sequence in _children(cls) if _subtree_has_rules(child)),
        )
    return plan


def _visit(obj: Any, path: str, context: Context, problems: list[Problem], *, top: bool) -> None:
    """Run the rules on *obj*, then visit the objects in it that rules may check."""
    failed = context.failed
    runnable, fields = _plan(type(obj), context.program is not None)
    if failed:
        runnable = tuple(r for r in rules_for(type(obj)) if _runs(r, context.program is not None, failed))
    for entry in runnable:
        assert entry.check is not None  # register_rule made sure
        for parts, values in entry.check(obj, context):
            problems.append(entry.problem(path + pointer(*parts), **values))
    for name, is_sequence in fields:
        if top and name in failed:
            continue
        value = getattr(obj, name)
        if value is None:
            continue
        if is_sequence:
            prefix = f"{path}/{name}/"
            for index, item in enumerate(value):
                _visit(item, f"{prefix}{index}", context, problems, top=False)
        else:
            _visit(value, f"{path}/{name}", context, problems, top=False)


def run_rules(document: Any, program: Program | None, failed: frozenset[str] = frozenset()) -> list[Problem]:
    """Run every rule that applies to the document and the objects inside it.

    A rule is skipped when a field it reads could not be read, or when it
    needs the program and there is none: what it would say is already said.
    """
    problems: list[Problem] = []
    _forget_stale_plans()
    _visit(document, "", Context(document=document, program=program, failed=failed), problems, top=True)
    return problems
