"""For every code of the catalogue, a change to the example alliance that triggers it.

The documentation shows these beside each rule, and the tests check that each
really is reported with its code at its path: one table, two uses.
"""

import json
from collections.abc import Callable
from typing import Any

import attrs

from willkommen._example import example_document


@attrs.frozen
class Truncate:
    """Keep the first *keep* items of a list."""

    keep: int


@attrs.frozen
class Delete:
    """Remove the key."""


@attrs.frozen(kw_only=True)
class Trigger:
    """A change of the example document (or a text) and the problem it causes."""

    code: str
    path: str
    changes: tuple[tuple[str, object], ...] = ()
    #: The document the changes apply to.
    base: Callable[[], dict[str, Any]] = example_document
    base_name: str = "the example alliance (`willkommen example`)"
    #: JSON text to read instead of the example, for problems of the text itself.
    text: str | None = None
    note: str = ""

    def document(self) -> dict[str, Any]:
        """The example document with the changes made."""
        document = self.base()
        for pointer, value in self.changes:
            _change(document, pointer, value)
        return document

    def describe(self) -> str:
        """The trigger in words, for the documentation."""
        if self.text is not None:
            where = f"reading the text `{self.text}`"
        else:
            parts = []
            for pointer, value in self.changes:
                if isinstance(value, Delete):
                    parts.append(f"removing `{pointer}`")
                elif isinstance(value, Truncate):
                    parts.append(f"keeping the first {value.keep} of `{pointer}`")
                else:
                    parts.append(f"setting `{pointer}` to `{json.dumps(value, ensure_ascii=False)}`")
            where = " and ".join(parts) + f" in {self.base_name}"
        note = f" ({self.note})" if self.note else ""
        return f"{where} gives `{self.code}` at `{self.path or '/'}`{note}."


def _change(document: dict[str, Any], pointer: str, value: object) -> None:
    *parents, last = pointer.strip("/").split("/")
    node: Any = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if isinstance(value, Delete):
        del node[key]
    elif isinstance(value, Truncate):
        node[key] = node[key][: value.keep]
    else:
        node[key] = value


def _example_v1() -> dict[str, Any]:
    """The example alliance as format version 1 wrote it: municipalities, offerings without a status, all dated."""
    document = example_document()
    document["schema_version"] = 1
    v1: dict[str, Any] = {
        ("municipalities" if key == "local_authorities" else key): value for key, value in document.items()
    }
    v1["offerings"] = [
        {key: value for key, value in offering.items() if key != "status"}
        for offering in document["offerings"]
        if offering.get("status") != "planned"
    ]
    return v1


_V1 = "the example alliance as format version 1 wrote it"

_NARROW = "with `import willkommen.nrw`, whose program covers Nordrhein-Westfalen and analysis workshops only"

TRIGGERS: tuple[Trigger, ...] = (
    # Structural codes: the reader reports them.
    Trigger(code="type", path="/partners/0/name", changes=(("/partners/0/name", 3),)),
    Trigger(code="missing", path="/partners/0/kind", changes=(("/partners/0/kind", Delete()),)),
    Trigger(code="unknown_key", path="/partners/0/email", changes=(("/partners/0/email", "info@example.org"),)),
    Trigger(code="invalid_value", path="/origin", changes=(("/origin", "neu"),)),
    Trigger(code="invalid_date", path="/agreement/signed_on", changes=(("/agreement/signed_on", "26.09.2017"),)),
    Trigger(code="duplicate_key", path="/id", text='{"schema_version": 2, "id": "a", "id": "b"}'),
    Trigger(code="invalid_json", path="", text='{"schema_version": 2,}'),
    Trigger(code="schema_version.outdated", path="/schema_version", base=_example_v1, base_name=_V1),
    Trigger(
        code="migration.conflict",
        path="/offerings/0/status",
        changes=(("/offerings/0/status", "planned"),),
        base=_example_v1,
        base_name=_V1,
    ),
    Trigger(
        code="migration.assumed",
        path="/coaching",
        changes=(("/coaching/hours_budget", Delete()),),
        base=_example_v1,
        base_name=_V1,
    ),
    # The built-in rules.
    Trigger(
        code="alliance.too_few_partners",
        path="/partners",
        changes=(("/partners", Truncate(2)), ("/lead", None)),
    ),
    Trigger(code="alliance.no_local_authority", path="/local_authorities", changes=(("/local_authorities", []),)),
    Trigger(code="alliance.no_goals", path="/goals", changes=(("/goals", []), ("/measures", []))),
    Trigger(code="alliance.unknown_lead", path="/lead", changes=(("/lead", "nobody"),)),
    Trigger(code="alliance.duplicate_id", path="/goals/2/id", changes=(("/goals/2/id", "uebergang"),)),
    Trigger(
        code="alliance.duplicate_partner",
        path="/partners/7",
        changes=(("/partners/7/name", "Jobcenter"), ("/partners/7/organisation", "Landratsamt Bautzen")),
    ),
    Trigger(
        code="alliance.state_not_in_program",
        path="/local_authorities/0/state",
        changes=(("/program", "gemeinsam-klappts"),),
        note=_NARROW,
    ),
    Trigger(code="measure.unknown_goal", path="/measures/0/goals/0", changes=(("/measures/0/goals", ["nope"]),)),
    Trigger(code="measure.no_goal", path="/measures/0/goals", changes=(("/measures/0/goals", []),)),
    Trigger(
        code="local_authority.ags_format",
        path="/local_authorities/0/ags",
        changes=(("/local_authorities/0/ags", "1462"),),
    ),
    Trigger(
        code="local_authority.ags_state_mismatch",
        path="/local_authorities/1/ags",
        changes=(("/local_authorities/1/ags", "05625020"),),
    ),
    Trigger(
        code="local_authority.ags_free_city",
        path="/local_authorities/1/ags",
        changes=(("/local_authorities/1/kind", "district_free_city"),),
    ),
    Trigger(
        code="offering.not_in_program",
        path="/offerings/1/type",
        changes=(("/program", "gemeinsam-klappts"),),
        note=_NARROW,
    ),
    Trigger(code="offering.outside_runtime", path="/offerings/0/date", changes=(("/offerings/0/date", "2019-01-10"),)),
    Trigger(
        code="offering.participants", path="/offerings/0/participants", changes=(("/offerings/0/participants", 30),)
    ),
    Trigger(code="coaching.budget_over_cap", path="/coaching/hours_budget", changes=(("/coaching/hours_budget", 120),)),
    Trigger(code="coaching.over_budget", path="/coaching/sessions", changes=(("/coaching/sessions/2/hours", 40),)),
    Trigger(
        code="coaching.session_hours",
        path="/coaching/sessions/1/hours",
        changes=(("/coaching/sessions/1/hours", 0),),
    ),
    Trigger(
        code="coaching.session_outside_runtime",
        path="/coaching/sessions/2/date",
        changes=(("/coaching/sessions/2/date", "2019-01-10"),),
    ),
    Trigger(
        code="agreement.outside_runtime", path="/agreement/signed_on", changes=(("/agreement/signed_on", "2019-03-01"),)
    ),
    Trigger(
        code="agreement.too_few_signatories",
        path="/agreement/signatories",
        changes=(("/agreement/signatories", Truncate(1)),),
    ),
    Trigger(
        code="consultation.wrong_office",
        path="/consultations/0/office",
        changes=(("/consultations/0/office", "koeln"),),
    ),
    Trigger(
        code="consultation.unknown_office",
        path="/consultations/0/office",
        changes=(("/consultations/0/office", "bonn"),),
    ),
    Trigger(code="dates.order", path="/offerings/1/end", changes=(("/offerings/1/end", "2017-09-30"),)),
)


def _leverkusen() -> dict[str, Any]:
    from willkommen.nrw import example_document as leverkusen  # noqa: PLC0415 - the extension imports this module's users

    return leverkusen()


#: For each rule of the NRW initiative (``willkommen.nrw``), a change of Leverkusen that triggers it.
NRW_TRIGGERS = (
    Trigger(
        code="nrw.outside_nrw",
        path="/local_authorities/0/state",
        changes=(("/local_authorities/0/state", "DE-NI"),),
        base=_leverkusen,
        base_name="the Leverkusen alliance (`willkommen.nrw.example_document()`)",
    ),
    Trigger(
        code="nrw.unknown_coordinating_office",
        path="/coordinating_office",
        changes=(("/coordinating_office", "bezirksregierung"),),
        base=_leverkusen,
        base_name="the Leverkusen alliance (`willkommen.nrw.example_document()`)",
    ),
    Trigger(
        code="nrw.coordinating_office_kind",
        path="/coordinating_office",
        changes=(("/coordinating_office", "caritas"),),
        base=_leverkusen,
        base_name="the Leverkusen alliance (`willkommen.nrw.example_document()`)",
    ),
    Trigger(
        code="nrw.age_range",
        path="/target_group/age_max_exclusive",
        changes=(("/target_group/age_max_exclusive", 30),),
        base=_leverkusen,
        base_name="the Leverkusen alliance (`willkommen.nrw.example_document()`)",
    ),
)
