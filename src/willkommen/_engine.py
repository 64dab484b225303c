"""The rule registry and the walk that runs rules over a document.

A rule is a plain function registered with :func:`rule` for a model class;
it runs on every object of that class (or a subclass) in the document and
yields findings, which become problems with the rule's code and messages.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import attrs

from willkommen._enums import Severity
from willkommen._errors import WillkommenError
from willkommen._problems import STRUCTURAL_CODES, Finding, Problem, Rule
from willkommen._programs import Program
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
    _BY_CLASS.clear()
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


def _walk(document: Any, failed: frozenset[str]) -> Iterator[tuple[Any, str]]:
    """Every model object in the document with its path, the document first."""
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        obj, path = stack.pop()
        yield obj, path
        children = []
        for field in attrs.fields(type(obj)):
            if obj is document and field.name in failed:
                continue
            value = getattr(obj, field.name)
            if attrs.has(type(value)):
                children.append((value, f"{path}/{field.name}"))
            elif isinstance(value, tuple):
                children.extend(
                    (item, f"{path}/{field.name}/{index}") for index, item in enumerate(value) if attrs.has(type(item))
                )
        stack.extend(reversed(children))


def run_rules(document: Any, program: Program | None, failed: frozenset[str] = frozenset()) -> list[Problem]:
    """Run every rule that applies to the document and the objects inside it.

    A rule is skipped when a field it reads could not be read, or when it
    needs the program and there is none: what it would say is already said.
    """
    context = Context(document=document, program=program, failed=failed)
    problems: list[Problem] = []
    for obj, path in _walk(document, failed):
        for entry in rules_for(type(obj)):
            reads = entry.reads
            if reads is None:
                if failed:
                    continue
            elif failed.intersection(reads):
                continue
            if program is None and (reads is None or "program" in reads):
                continue
            assert entry.check is not None  # register_rule made sure
            for parts, values in entry.check(obj, context):
                problems.append(entry.problem(path + pointer(*parts), **values))
    return problems
