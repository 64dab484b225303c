"""A deterministic corpus of alliance documents for the benchmarks.

Every document is a dict shaped as ``willkommen.dump`` writes it (``schema_version``
first, absent optional values left out, hours as JSON numbers) and is valid for
Willkommen bei Freunden: ``willkommen.check(doc) == []``, warnings included.
A seeded :class:`random.Random` builds them, so every run measures the same bytes;
no Hypothesis, whose examples change between versions.

``python benchmarks/corpus.py`` checks the corpus against willkommen and prints sizes.
"""

import copy
import datetime as dt
import json
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from rival_rules import VALUES

Document = dict[str, Any]

# The runtime of Willkommen bei Freunden (domain.md): every date must lie inside it.
RUNTIME_START = dt.date(2015, 5, 28)
RUNTIME_END = dt.date(2018, 12, 31)
FOUNDED_ON = dt.date(2015, 9, 1)
# Sessions are given hours whose sum stays well under the program cap of 100.
HOURS_BUDGET = 100
_HOURS_TARGET = Decimal(60)
_HOUR_STEPS = tuple(Decimal(s) for s in ("2.5", "1", "0.5", "0.25", "0.1", "0.05", "0.025", "0.01", "0.005", "0.0025"))

SEED = 20150528
SIZES = ("small", "typical", "large")
GROWTH_SESSIONS = (10, 100, 1_000, 10_000)

# (state, Land key, responsible service office or None where the map is unverified)
_STATES = (
    ("DE-SN", "14", "magdeburg"),
    ("DE-ST", "15", "magdeburg"),
    ("DE-TH", "16", "magdeburg"),
    ("DE-NW", "05", "koeln"),
    ("DE-NI", "03", None),
    ("DE-BY", "09", None),
    ("DE-HE", "06", None),
    ("DE-BW", "08", None),
)
# The code lists, from the rivals' copy (itself checked against willkommen's).
_PARTNER_KINDS = VALUES["PartnerKind"]
_THEMES = VALUES["Theme"]
_STATUSES = VALUES["MeasureStatus"]
_HORIZONS = VALUES["Horizon"]
_TASKS = VALUES["CoachingTask"]
_OFFERING_TYPES = VALUES["OfferingType"]
_NAMES = ("Anna", "Ben", "Cem", "Dana", "Emre", "Frieda", "Gül", "Hanna", "Ilias", "Jana", "Karim", "Lea")
_SURNAMES = ("Müller", "Schmidt", "Yılmaz", "Nowak", "Weber", "Haddad", "Becker", "Öztürk", "Krause")
_WORDS = (
    "Bildung",
    "Übergang",
    "Beteiligung",
    "Sprachförderung",
    "Ausbildung",
    "Begegnung",
    "Netzwerk",
    "Unterkunft",
    "Ehrenamt",
    "Beratung",
    "Schule",
    "Kita",
)


def _day(rng: random.Random, start: dt.date = FOUNDED_ON, end: dt.date = RUNTIME_END) -> str:
    return (start + dt.timedelta(days=rng.randrange((end - start).days + 1))).isoformat()


def _title(rng: random.Random, words: int = 4) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _person(rng: random.Random, *, role: bool = False, organisation: bool = False) -> Document:
    person: Document = {"name": f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}"}
    if role:
        person["role"] = rng.choice(("Landrätin", "Bürgermeister", "Koordinatorin", "Leiter"))
    if organisation:
        person["organisation"] = rng.choice(("Landratsamt", "Stadtverwaltung", "DKJS", "Jobcenter"))
    return person


def _local_authorities(rng: random.Random, land_key: str, state: str) -> list[Document]:
    # A district with its 5-digit Kreisschlüssel and a town in it with its 8-digit AGS.
    district = f"{land_key}{rng.randrange(1, 10)}{rng.randrange(10, 100)}"
    return [
        {"name": f"Landkreis {rng.choice(_WORDS)}", "kind": "district", "state": state, "ags": district},
        {
            "name": f"Stadt {rng.choice(_WORDS)}",
            "kind": "town",
            "state": state,
            "ags": f"{district}{rng.randrange(1, 1000):03d}",
        },
    ]


def _partner(rng: random.Random, index: int) -> Document:
    partner: Document = {
        "id": f"p{index:04d}",
        "name": f"Partner {index} {rng.choice(_WORDS)}",
        "kind": rng.choice(_PARTNER_KINDS),
    }
    if rng.random() < 0.6:
        partner["organisation"] = f"Organisation {index % 7}"
    partner["contacts"] = [_person(rng, role=rng.random() < 0.5) for _ in range(rng.randrange(3))]
    return partner


def _goal(rng: random.Random, index: int) -> Document:
    goal: Document = {"id": f"g{index:03d}", "title": _title(rng, 6)}
    if rng.random() < 0.5:
        goal["description"] = _title(rng, 12)
    goal["themes"] = rng.sample(_THEMES, rng.randrange(1, 3))
    if rng.random() < 0.5:
        goal["horizon"] = rng.choice(_HORIZONS)
    return goal


def _measure(rng: random.Random, index: int, goal_ids: list[str]) -> Document:
    measure: Document = {
        "id": f"m{index:03d}",
        "title": _title(rng),
        "goals": rng.sample(goal_ids, min(len(goal_ids), rng.randrange(1, 3))),
        "status": rng.choice(_STATUSES),
    }
    if rng.random() < 0.3:
        measure["horizon"] = rng.choice(_HORIZONS)
    return measure


def _offering(rng: random.Random, index: int) -> Document:
    kind = _OFFERING_TYPES[index % len(_OFFERING_TYPES)]
    offering: Document = {"type": kind, "status": "held", "title": _title(rng, 3)}
    if kind == "training":
        start = _day(rng, FOUNDED_ON, dt.date(2018, 6, 30))
        offering["start"] = start
        offering["end"] = (dt.date.fromisoformat(start) + dt.timedelta(days=rng.randrange(1, 60))).isoformat()
    else:
        offering["date"] = _day(rng)
    if kind == "analysis_workshop":
        offering["participants"] = rng.randrange(8, 21)  # outside 8..20 would be a warning
    return offering


def _json_number(value: Decimal) -> int | float:
    # What dump() writes for a Decimal: an int when integral, else a float.
    return int(value) if value == value.to_integral_value() else float(value)


def _sessions(rng: random.Random, count: int) -> list[Document]:
    # The largest step that keeps the sum under the target, and half of it now and then.
    step = next((s for s in _HOUR_STEPS if s * count <= _HOURS_TARGET), _HOUR_STEPS[-1])
    sessions = []
    for _ in range(count):
        session: Document = {"date": _day(rng), "hours": _json_number(step if rng.random() < 0.7 else step / 2)}
        if rng.random() < 0.7:
            session["task"] = rng.choice(_TASKS)
        if rng.random() < 0.2:
            session["note"] = _title(rng, 5)
        sessions.append(session)
    return sessions


def alliance(  # noqa: PLR0913 - the knobs of a corpus document, all named
    *,
    seed: int,
    partners: int,
    goals: int,
    measures: int,
    offerings: int,
    sessions: int,
    consultations: int = 1,
) -> Document:
    """One valid alliance document with the given numbers of things."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    state, land_key, office = rng.choice(_STATES)
    partner_docs = [_partner(rng, i) for i in range(partners)]
    goal_docs = [_goal(rng, i) for i in range(goals)]
    goal_ids = [g["id"] for g in goal_docs]
    doc: Document = {
        "schema_version": 2,
        "id": f"buendnis-{seed}",
        "name": f"Bündnis für {_title(rng, 2)}",
        "program": "willkommen-bei-freunden",
        "local_authorities": _local_authorities(rng, land_key, state),
        "origin": rng.choice(("new", "existing")),
        "founded_on": FOUNDED_ON.isoformat(),
        "partners": partner_docs,
        "lead": partner_docs[0]["id"],
        "goals": goal_docs,
        "measures": [_measure(rng, i, goal_ids) for i in range(measures)],
        "offerings": [_offering(rng, i) for i in range(offerings)],
        "coaching": {
            "coach": _person(rng, organisation=True),
            "hours_budget": HOURS_BUDGET,
            "tasks": list(_TASKS),
            "sessions": _sessions(rng, sessions),
        },
        "agreement": {
            "signed_on": _day(rng, dt.date(2016, 1, 1), dt.date(2018, 6, 30)),
            "signatories": [_person(rng, role=True, organisation=True) for _ in range(3)],
        },
        # Offices with a known region must be the responsible one, else a warning.
        "consultations": [
            {"date": _day(rng, RUNTIME_START, FOUNDED_ON), "office": office or "berlin"} for _ in range(consultations)
        ],
    }
    return doc


def small(seed: int = SEED) -> Document:
    """Three partners, the fewest an alliance may have."""
    return alliance(seed=seed, partners=3, goals=2, measures=2, offerings=1, sessions=3)


def typical(seed: int = SEED) -> Document:
    """About 10 partners, 5 goals, 10 measures and 20 coaching sessions."""
    return alliance(seed=seed, partners=10, goals=5, measures=10, offerings=5, sessions=20, consultations=2)


def large(seed: int = SEED) -> Document:
    """100 partners and 2,000 coaching sessions."""
    return alliance(seed=seed, partners=100, goals=20, measures=50, offerings=20, sessions=2_000, consultations=5)


def with_sessions(count: int, seed: int = SEED) -> Document:
    """The typical document with *count* coaching sessions, for the growth measurement."""
    return alliance(seed=seed, partners=10, goals=5, measures=10, offerings=5, sessions=count, consultations=2)


# The NRW initiative "Gemeinsam klappt's" (willkommen.nrw): its runtime starts on 2018-09-11.
NRW_SHIFT = dt.date(2018, 9, 11) - RUNTIME_START
_DATE_KEYS = frozenset({"date", "start", "end", "founded_on", "signed_on"})


def _shifted(value: Any) -> Any:
    # Every date moved by NRW_SHIFT: the WbF runtime mapped into the NRW one.
    if isinstance(value, dict):
        return {
            key: (dt.date.fromisoformat(item) + NRW_SHIFT).isoformat() if key in _DATE_KEYS else _shifted(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shifted(item) for item in value]
    return value


def tagged_nrw(seed: int = SEED) -> Document:
    """The typical document as a tagged NRW alliance (``"$type": "nrw-alliance"``, willkommen.nrw).

    The same partners, goals, measures and sessions, dated inside the NRW runtime, in
    Nordrhein-Westfalen, with the initiative's only offering type and its two extra
    fields; it reads into the user subclass ``NrwAlliance`` (import willkommen.nrw).
    """
    doc = _shifted(typical(seed))
    doc = {"schema_version": doc.pop("schema_version"), "$type": "nrw-alliance", **doc}
    doc["program"] = "gemeinsam-klappts"
    doc["local_authorities"] = [
        {**authority, "state": "DE-NW", "ags": "05" + authority["ags"][2:]} for authority in doc["local_authorities"]
    ]
    doc["offerings"] = [o for o in doc["offerings"] if o["type"] == "analysis_workshop"]
    # The initiative names no service offices (willkommen.nrw): no consultations.
    # The coordinating office is normally the Kommunales Integrationszentrum.
    doc["partners"][0]["kind"] = "integration_office"
    doc["coordinating_office"] = doc["lead"]
    doc["consultations"] = []
    doc["target_group"] = {"age_min": 18, "age_max_exclusive": 27, "focus_statuses": ["toleration"], "count": 1048}
    return doc


def by_size(size: str, seed: int = SEED) -> Document:
    """The document of one of :data:`SIZES`."""
    return {"small": small, "typical": typical, "large": large}[size](seed)


# What the rule-level plants in :func:`invalid` make willkommen (and the rivals) report.
INVALID_FINDINGS = (
    ("alliance.unknown_lead", "/lead"),
    ("alliance.duplicate_id", "/partners/3/id"),
    ("measure.unknown_goal", "/measures/2/goals/0"),
    ("coaching.session_outside_runtime", "/coaching/sessions/5/date"),
    ("offering.outside_runtime", "/offerings/0/date"),
    ("agreement.outside_runtime", "/agreement/signed_on"),
    ("local_authority.ags_state_mismatch", "/local_authorities/0/ags"),
)


def invalid(seed: int = SEED) -> Document:
    """The typical document with the rule errors of :data:`INVALID_FINDINGS` planted.

    The data still reads (every type and key is right), so every library
    reaches its rules: this measures the path that reports problems.
    """
    doc = copy.deepcopy(typical(seed))
    doc["lead"] = "nobody"
    doc["partners"][3]["id"] = doc["partners"][1]["id"]
    doc["measures"][2]["goals"][0] = "no-such-goal"
    doc["coaching"]["sessions"][5]["date"] = "2019-03-01"
    # Offering 0 is an analysis workshop, dated by "date" (see _offering).
    doc["offerings"][0]["date"] = "2015-01-15"
    doc["agreement"]["signed_on"] = "2014-12-24"
    ags = doc["local_authorities"][0]["ags"]
    doc["local_authorities"][0]["ags"] = ("01" if ags[:2] != "01" else "02") + ags[2:]
    return doc


# What willkommen reports for :func:`invalid_shape`: the three structural plants, and
# the rule errors of the plants whose fields still read (a rule that reads partners,
# goals or coaching is skipped once they fail: docs/decisions/0001-partial-documents.md).
SHAPE_FINDINGS = (
    ("unknown_key", "/partners/4/homepage"),
    ("invalid_value", "/goals/1/themes/0"),
    ("type", "/coaching/sessions/7/hours"),
    ("offering.outside_runtime", "/offerings/0/date"),
    ("agreement.outside_runtime", "/agreement/signed_on"),
    ("local_authority.ags_state_mismatch", "/local_authorities/0/ags"),
)


def invalid_shape(seed: int = SEED) -> Document:
    """:func:`invalid` plus an unknown key, a wrong enum value and a string for a number.

    willkommen still runs the rules on what it could read; the rivals stop at the shape.
    """
    doc = invalid(seed)
    doc["partners"][4]["homepage"] = "https://example.org"
    doc["goals"][1]["themes"][0] = "happiness"
    doc["coaching"]["sessions"][7]["hours"] = "2.5"
    return doc


def jsonl_lines(count: int, seed: int = SEED) -> Iterator[bytes]:
    """*count* small alliances as compact JSON Lines, each with its own id.

    A thousand distinct documents repeat with new ids: building 100,000 documents
    from scratch would take longer than validating them.
    """
    distinct = min(count, 1_000)
    lines = [encode(small(seed + index)) + b"\n" for index in range(distinct)]
    for index in range(count):
        base = seed + index % distinct
        yield lines[index % distinct].replace(b'"id":"buendnis-%d"' % base, b'"id":"buendnis-%d"' % (seed + index), 1)


def encode(doc: Document) -> bytes:
    """The document as compact UTF-8 JSON bytes, as a file or a request body holds it."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def sanity_check() -> list[str]:
    """Check the corpus against willkommen; return what is wrong (empty: all good)."""
    import willkommen  # noqa: PLC0415 - only the check needs the library under test
    import willkommen.nrw  # noqa: PLC0415 - registers the tag of tagged_nrw()

    failures = []
    valid = {size: by_size(size) for size in SIZES} | {f"sessions={n}": with_sessions(n) for n in GROWTH_SESSIONS}
    valid["tagged NRW"] = tagged_nrw()
    for name, doc in valid.items():
        problems = willkommen.check(doc)
        if problems:
            failures.append(f"{name}: {[(p.code, p.path) for p in problems]}")
        elif willkommen.dump(willkommen.load(doc)) != doc:
            failures.append(f"{name}: dump(load(doc)) differs from doc")
        elif name == "tagged NRW" and type(willkommen.load(doc)) is not willkommen.nrw.NrwAlliance:
            failures.append(f"{name}: not read as an NrwAlliance")
    for name, doc, expected in (
        ("invalid", invalid(), set(INVALID_FINDINGS)),
        ("invalid_shape", invalid_shape(), set(SHAPE_FINDINGS)),
    ):
        found = {(p.code, p.path) for p in willkommen.check(doc)}
        if found != expected:
            failures.append(f"{name}: missing {expected - found}, unexpected {found - expected}")
    return failures


if __name__ == "__main__":
    for size in SIZES:
        print(f"{size}: {len(encode(by_size(size))):,} bytes")
    print(f"invalid: {len(encode(invalid())):,} bytes")
    failed = sanity_check()
    print("\n".join(failed) if failed else "corpus: all documents as expected")
    raise SystemExit(1 if failed else 0)
