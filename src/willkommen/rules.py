"""Writing rules, and the catalogue of every code a problem can carry.

A rule is a function registered for a model class with :func:`rule`; it
yields :func:`finding` values, which become problems with the rule's code,
severity and messages::

    from willkommen.rules import Context, Finding, Severity, finding, rule

    @rule(Alliance, "alliance.too_few_goals", Severity.WARNING, ...)
    def too_few_goals(alliance: Alliance, context: Context) -> Iterator[Finding]:
        if len(alliance.goals) < 2:
            yield finding("goals", count=len(alliance.goals))

:func:`tighten` makes a stricter version of a rule for a subclass,
:func:`catalogue` lists every code (the reader's and the rules'), and
:func:`quote` names any value in a message the way willkommen's own messages
do: short, printable, never raising.
"""

from willkommen._deprecated import make_callable
from willkommen._engine import RENAMED_CODES, Context, RuleError, register_rule, rule, tighten
from willkommen._engine import rules as _rules
from willkommen._enums import Severity
from willkommen._problems import Finding, Rule, finding
from willkommen._text import quote

__all__ = [
    "Context",
    "Finding",
    "Rule",
    "RuleError",
    "Severity",
    "catalogue",
    "finding",
    "get_rule",
    "quote",
    "register_rule",
    "rule",
    "tighten",
]


def catalogue() -> tuple[Rule, ...]:
    """The whole catalogue: the reader's structural codes, then every registered rule."""
    return _rules()


def get_rule(code: str) -> Rule:
    """The catalogue's entry for *code*; :class:`RuleError` if there is none."""
    for entry in _rules():
        if entry.code == code:
            return entry
    if code in RENAMED_CODES:
        msg = f"there is no rule {code!r}: format version 2 renamed it to {RENAMED_CODES[code]!r}"
    else:
        msg = f"there is no rule {code!r} (willkommen.rules.catalogue() lists every code)"
    raise RuleError(msg)


# Until the next version, willkommen.rules() still lists the catalogue, as the function of that name did.
make_callable(__name__, catalogue, "willkommen.rules.catalogue")
