"""The rules of "Willkommen bei Freunden" and programs like it.

Each rule is a plain function named after what it checks, registered with
its code, severity, messages and the source it rests on, by the ids of
``docs/sources.md``. Limits come from the alliance's program
(``context.program``), never from constants here.
"""

import datetime as dt
import functools
from collections.abc import Iterator
from decimal import Decimal

from willkommen._engine import Context, rule
from willkommen._enums import LocalAuthorityKind, OfferingType, Severity
from willkommen._german import count_de, count_en, number_de
from willkommen._model import Alliance, CoachingSession, CooperationAgreement, LocalAuthority, Measure, Offering
from willkommen._numbers import exact_sum
from willkommen._problems import Finding, finding
from willkommen._programs import Program, responsible_office
from willkommen._text import quote

ERROR = Severity.ERROR
WARNING = Severity.WARNING


def _program(context: Context) -> Program:
    # run_rules only calls a rule that reads "program" when there is one.
    assert context.program is not None
    return context.program


@functools.lru_cache(maxsize=64)
def _runtime(start: dt.date, end: dt.date | None) -> tuple[str, str]:
    """A program's runtime as the messages write it, in English and German.

    Kept per runtime: strftime takes microseconds, and every date outside the
    runtime names it twice.
    """
    german_end = end.strftime("%d.%m.%Y") if end else "offenes Ende"
    return (
        f"{start.isoformat()} to {end.isoformat() if end else 'open end'}",
        f"{start.strftime('%d.%m.%Y')} bis {german_end}",
    )


def _outside(program: Program, day: dt.date, *path: str | int) -> Finding:
    runtime, runtime_de = _runtime(program.start, program.end)
    return finding(*path, value=quote(day.isoformat()), runtime=runtime, runtime_de=runtime_de)


_ZERO = Decimal(0)


def _hours_are_valid(hours: Decimal) -> bool:
    # The reader and check() report NaN before rules run; should one still come, Decimal NaN refuses < and >.
    # (Against a Decimal zero: a comparison with the int 0 converts it first, at every call.)
    return hours.is_finite() and hours > _ZERO


# --- the alliance -----------------------------------------------------------


@rule(
    Alliance,
    "alliance.too_few_partners",
    ERROR,
    fix="Add the missing partners; a partner listed twice counts once.",
    fix_de="Ergänzen Sie die fehlenden Partner; ein zweimal genannter Partner zählt einmal.",
    reads=("partners", "program"),
    description="The alliance has fewer distinct partners than its program asks for (WbF: 3).",
    description_de="Das Bündnis hat weniger verschiedene Bündnispartner, als sein Programm verlangt (WbF: 3).",
    message="the alliance has {partners}; the program asks for at least {minimum}",
    message_de="das Bündnis hat {partners_de}; das Programm verlangt mindestens {minimum}",
    source='wbf-goals: "mindestens drei lokalen Akteuren"',
)
def alliance_has_enough_partners(alliance: Alliance, context: Context) -> Iterator[Finding]:
    minimum = _program(context).min_partners
    distinct = {(p.name, p.organisation) for p in alliance.partners}
    if len(distinct) < minimum:
        count = len(distinct)
        yield finding(
            "partners",
            partners=count_en(count, "partner", "distinct partners", none="no partner"),
            partners_de=count_de(
                count,
                "Bündnispartner",
                "verschiedene Bündnispartner",
                none="keinen Bündnispartner",
                single="nur einen Bündnispartner",
            ),
            minimum=minimum,
        )


@rule(
    Alliance,
    "alliance.no_local_authority",
    ERROR,
    fix="Add the Kommune or Kommunen that carry the alliance.",
    fix_de="Ergänzen Sie die Kommune oder Kommunen, die das Bündnis tragen.",
    reads=("local_authorities",),
    description="The alliance names no local authority.",
    description_de="Das Bündnis nennt keine Kommune.",
    message="the alliance names no local authority",
    message_de="das Bündnis nennt keine Kommune",
    source='wbf-goals: the program supports "Landkreise, Städte und Gemeinden"',
)
def alliance_has_a_local_authority(alliance: Alliance, context: Context) -> Iterator[Finding]:
    if not alliance.local_authorities:
        yield finding("local_authorities")


@rule(
    Alliance,
    "alliance.no_goals",
    ERROR,
    fix="Add the goals fixed in the cooperation agreement or joint declaration.",
    fix_de="Ergänzen Sie die Ziele aus der Kooperationsvereinbarung oder gemeinsamen Erklärung.",
    reads=("goals",),
    description="The alliance has set itself no goal.",
    description_de="Das Bündnis hat sich kein Ziel gesetzt.",
    message="the alliance has no goal",
    message_de="das Bündnis hat kein Ziel",
    source="bautzen-news, bautzen-agreement: the goals are fixed in the cooperation agreement",
)
def alliance_has_goals(alliance: Alliance, context: Context) -> Iterator[Finding]:
    if not alliance.goals:
        yield finding("goals")


@rule(
    Alliance,
    "alliance.unknown_lead",
    ERROR,
    fix="Set lead to the id of one of the alliance's partners, or remove it.",
    fix_de="Setzen Sie lead auf die ID eines Partners des Bündnisses, oder entfernen Sie es.",
    reads=("lead", "partners"),
    description="The lead (Federführung) names no partner of the alliance.",
    description_de="Die Federführung nennt keinen Bündnispartner des Bündnisses.",
    message="lead {value} is not the id of a partner",
    message_de="Federführung {value} ist nicht die ID eines Bündnispartners",
    source='helmstedt-news: "unter der Federführung der Stabstelle Integration"',
)
def alliance_lead_is_a_partner(alliance: Alliance, context: Context) -> Iterator[Finding]:
    if alliance.lead is not None and alliance.lead not in {p.id for p in alliance.partners}:
        yield finding("lead", value=quote(alliance.lead))


@rule(
    Alliance,
    "alliance.duplicate_id",
    ERROR,
    fix="Give each partner, goal and measure an id of its own within the alliance.",
    fix_de="Geben Sie jedem Partner, jedem Ziel und jeder Maßnahme eine eigene ID im Bündnis.",
    reads=(),
    description="Two partners, two goals or two measures share an id.",
    description_de="Zwei Bündnispartner, zwei Ziele oder zwei Maßnahmen haben dieselbe ID.",
    message="id {value} is used already at index {first}",
    message_de="ID {value} ist schon an Position {first} vergeben",
    source="willkommen: ids are unique in their alliance, so that references are unambiguous",
)
def alliance_ids_are_unique(alliance: Alliance, context: Context) -> Iterator[Finding]:
    # Each list is checked on its own, so one unreadable list hides nothing else.
    for field in ("partners", "goals", "measures"):
        if not context.readable(field):
            continue
        items = getattr(alliance, field)
        if len({item.id for item in items}) == len(items):
            continue  # no id twice: the common case, decided by one set
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            first = seen.setdefault(item.id, index)
            if first != index:
                yield finding(field, index, "id", value=quote(item.id), first=first)


@rule(
    Alliance,
    "alliance.duplicate_partner",
    ERROR,
    fix="Remove the second entry, or tell the two apart by their organisation.",
    fix_de="Entfernen Sie den zweiten Eintrag, oder unterscheiden Sie beide durch ihre Organisation.",
    reads=("partners",),
    description="The same partner (name and organisation) appears twice.",
    description_de="Derselbe Bündnispartner (Name und Organisation) kommt zweimal vor.",
    message="partner {value} appears already at index {first}",
    message_de="Bündnispartner {value} kommt schon an Position {first} vor",
    source='wbf-goals: an alliance of "mindestens drei lokalen Akteuren" counts each actor once',
)
def alliance_partners_are_distinct(alliance: Alliance, context: Context) -> Iterator[Finding]:
    if len({(p.name, p.organisation) for p in alliance.partners}) == len(alliance.partners):
        return  # no partner twice: the common case, decided by one set
    seen: dict[tuple[str, str | None], int] = {}
    for index, partner in enumerate(alliance.partners):
        first = seen.setdefault((partner.name, partner.organisation), index)
        if first != index:
            yield finding("partners", index, value=quote(partner.name), first=first)


@rule(
    Alliance,
    "alliance.state_not_in_program",
    ERROR,
    fix="Check the Kommune's state, and the program the alliance names.",
    fix_de="Prüfen Sie das Bundesland der Kommune und das Programm, das das Bündnis nennt.",
    reads=("local_authorities", "program"),
    description="A local authority lies in a state outside the program's states.",
    description_de="Eine Kommune liegt in einem Bundesland außerhalb der Bundesländer des Programms.",
    message="state {value} is not one of the program's states ({states})",
    message_de="Bundesland {value} gehört nicht zu den Bundesländern des Programms ({states})",
    source="willkommen: a program names its Länder (none: nationwide)",
)
def alliance_states_are_in_program(alliance: Alliance, context: Context) -> Iterator[Finding]:
    program = _program(context)
    if not program.states:
        return
    states = ", ".join(sorted(program.states))
    for index, local_authority in enumerate(alliance.local_authorities):
        if local_authority.state not in program.states:
            yield finding("local_authorities", index, "state", value=quote(local_authority.state.value), states=states)


# --- measures ---------------------------------------------------------------


@rule(
    Alliance,
    "measure.unknown_goal",
    ERROR,
    fix="Use the id of one of the alliance's goals, or add the goal.",
    fix_de="Verwenden Sie die ID eines Ziels des Bündnisses, oder ergänzen Sie das Ziel.",
    reads=("measures", "goals"),
    description="A measure names a goal the alliance does not have.",
    description_de="Eine Maßnahme nennt ein Ziel, das das Bündnis nicht hat.",
    message="goal {value} is not the id of a goal of the alliance",
    message_de="Ziel {value} ist nicht die ID eines Ziels des Bündnisses",
    source='bautzen-news: "Um die Vorgaben zu erfüllen, hat das Bündnis bereits konkrete Maßnahmen vereinbart"',
)
def measures_serve_known_goals(alliance: Alliance, context: Context) -> Iterator[Finding]:
    goal_ids = {goal.id for goal in alliance.goals}
    if all(goal_ids.issuperset(measure.goals) for measure in alliance.measures):
        return  # every goal named is known: the common case, decided by set operations
    for index, measure in enumerate(alliance.measures):
        for position, goal_id in enumerate(measure.goals):
            if goal_id not in goal_ids:
                yield finding("measures", index, "goals", position, value=quote(goal_id))


@rule(
    Measure,
    "measure.no_goal",
    ERROR,
    fix="Name at least one goal the measure serves.",
    fix_de="Nennen Sie mindestens ein Ziel, dem die Maßnahme dient.",
    reads=(),
    description="A measure serves no goal.",
    description_de="Eine Maßnahme dient keinem Ziel.",
    message="measure {value} serves no goal",
    message_de="Maßnahme {value} dient keinem Ziel",
    source="bautzen-news: measures are agreed to reach the goals",
)
def measure_serves_a_goal(measure: Measure, context: Context) -> Iterator[Finding]:
    if not measure.goals:
        yield finding("goals", value=quote(measure.id))


# --- local_authorities ---------------------------------------------------------

# Destatis, Gemeindeverzeichnis: the Kreisschlüssel has 5 digits (LL R KK), the
# Amtlicher Gemeindeschlüssel 8 (LL R KK GGG).
_AGS_LENGTH = {LocalAuthorityKind.DISTRICT: 5}


def _key_name(local_authority: LocalAuthority) -> tuple[str, str]:
    """What the key of this kind of Kommune is called, in English and German."""
    if local_authority.kind is LocalAuthorityKind.DISTRICT:
        return "district key", "Kreisschlüssel"
    return "AGS", "Gemeindeschlüssel"


def _ags_is_well_formed(local_authority: LocalAuthority) -> bool:
    ags = local_authority.ags
    return ags is not None and ags.isascii() and ags.isdigit() and len(ags) == _AGS_LENGTH.get(local_authority.kind, 8)


@rule(
    LocalAuthority,
    "local_authority.ags_format",
    ERROR,
    fix=(
        "Give a Landkreis its 5-digit Kreisschlüssel and every other kind its 8-digit AGS (Destatis, "
        "Gemeindeverzeichnis)."
    ),
    fix_de=(
        "Geben Sie für einen Landkreis den 5-stelligen Kreisschlüssel an, für jede andere Art den 8-stelligen "
        "AGS (Destatis, Gemeindeverzeichnis)."
    ),
    reads=(),
    description="The key is not 5 digits for a district (Kreisschlüssel), or not 8 digits for any other kind (AGS).",
    description_de=(
        "Der Kreisschlüssel eines Landkreises hat nicht 5 Ziffern oder der Gemeindeschlüssel"
        " einer anderen Kommune nicht 8 Ziffern."
    ),
    message="{key} {value} does not have {digits} digits (kind: {kind})",
    message_de="{key_de} {value} hat nicht {digits} Ziffern (Art der Kommune: {kind_de})",
    source="destatis-ags: Kreisschlüssel LLRKK, Amtlicher Gemeindeschlüssel LLRKKGGG",
)
def key_is_well_formed(local_authority: LocalAuthority, context: Context) -> Iterator[Finding]:
    if local_authority.ags is not None and not _ags_is_well_formed(local_authority):
        yield finding(
            "ags",
            value=quote(local_authority.ags),
            digits=_AGS_LENGTH.get(local_authority.kind, 8),
            key=_key_name(local_authority)[0],
            key_de=_key_name(local_authority)[1],
            kind=local_authority.kind.value,
            kind_de=local_authority.kind.label_de,
        )


@rule(
    LocalAuthority,
    "local_authority.ags_state_mismatch",
    ERROR,
    fix="Check the key and the state: the key begins with the state's Land key (Sachsen 14, Niedersachsen 03).",
    fix_de=(
        "Prüfen Sie Schlüssel und Land: Der Schlüssel beginnt mit dem Landesschlüssel (Sachsen 14, Niedersachsen 03)."
    ),
    reads=(),
    description="The key's first two digits are not the Land key of the local authority's state.",
    description_de=(
        "Die ersten zwei Ziffern des Kreis- oder Gemeindeschlüssels sind nicht der Landesschlüssel"
        " des Bundeslandes der Kommune."
    ),
    message="{key} {value} starts with {prefix}, but {state} has the Land key {land_key}",
    message_de="{key_de} {value} beginnt mit {prefix}, aber {state_de} hat den Landesschlüssel {land_key}",
    source="destatis-ags: the key opens with the Land key (01 SH … 16 TH)",
)
def key_matches_state(local_authority: LocalAuthority, context: Context) -> Iterator[Finding]:
    if _ags_is_well_formed(local_authority):
        assert local_authority.ags is not None
        if local_authority.ags[:2] != local_authority.state.land_key:
            yield finding(
                "ags",
                value=quote(local_authority.ags),
                prefix=local_authority.ags[:2],
                key=_key_name(local_authority)[0],
                key_de=_key_name(local_authority)[1],
                state=local_authority.state.value,
                state_de=local_authority.state.label_de,
                land_key=local_authority.state.land_key,
            )


@rule(
    LocalAuthority,
    "local_authority.ags_free_city",
    ERROR,
    fix="Check the key or the kind: the AGS of a kreisfreie Stadt ends in 000.",
    fix_de="Prüfen Sie den Schlüssel oder die Art: Der AGS einer kreisfreien Stadt endet auf 000.",
    reads=(),
    description="A district-free city's key does not end in 000.",
    description_de="Der Gemeindeschlüssel einer kreisfreien Stadt endet nicht auf 000.",
    message="AGS {value} of a district-free city does not end in 000",
    message_de="Gemeindeschlüssel {value} einer kreisfreien Stadt endet nicht auf 000",
    source="destatis-ags: a kreisfreie Stadt is its own Kreis, Gemeinde 000",
)
def free_city_key_ends_in_000(local_authority: LocalAuthority, context: Context) -> Iterator[Finding]:
    if (
        local_authority.kind is LocalAuthorityKind.DISTRICT_FREE_CITY
        and _ags_is_well_formed(local_authority)
        and local_authority.ags is not None
        and not local_authority.ags.endswith("000")
    ):
        yield finding("ags", value=quote(local_authority.ags))


# --- offerings --------------------------------------------------------------


@rule(
    Alliance,
    "offering.not_in_program",
    ERROR,
    fix="Use one of the program's offering types.",
    fix_de="Verwenden Sie eine der Angebotsarten des Programms.",
    reads=("offerings", "program"),
    description="The offering type is not one of the program's offering types.",
    description_de="Die Angebotsart gehört nicht zu den Angeboten des Programms.",
    message="offering type {value} is not offered by the program",
    message_de="Angebotsart {value} bietet das Programm nicht an",
    source='helmstedt-news, wbf-goals: "fünf Arten von Angeboten"',
)
def offerings_are_in_program(alliance: Alliance, context: Context) -> Iterator[Finding]:
    offered = _program(context).offering_types
    for index, offering in enumerate(alliance.offerings):
        if offering.type not in offered:
            yield finding("offerings", index, "type", value=quote(offering.type.value))


@rule(
    Alliance,
    "offering.outside_runtime",
    ERROR,
    fix="Check the date: the program's offerings lie within its runtime.",
    fix_de="Prüfen Sie das Datum: Die Angebote des Programms liegen in seiner Laufzeit.",
    reads=("offerings", "program"),
    description="An offering is dated outside the program's runtime.",
    description_de="Ein Angebot liegt außerhalb der Programmlaufzeit.",
    message="{value} lies outside the program's runtime {runtime}",
    message_de="{value} liegt außerhalb der Programmlaufzeit {runtime_de}",
    source='bmfsfj-launch, bautzen-agreement: launched 2015-05-28, "Programmlaufzeit (bis Ende 2018)"',
)
def offerings_within_runtime(alliance: Alliance, context: Context) -> Iterator[Finding]:
    program = _program(context)
    for index, offering in enumerate(alliance.offerings):
        for field in ("date", "start", "end"):
            day = getattr(offering, field)
            if day is not None and not program.covers(day):
                yield _outside(program, day, "offerings", index, field)


@rule(
    Offering,
    "offering.participants",
    WARNING,
    fix="Check the number of participants; this is a warning, the record stays valid.",
    fix_de="Prüfen Sie die Zahl der Teilnehmenden; dies ist eine Warnung, der Datensatz bleibt gültig.",
    reads=("offerings", "program"),
    description=(
        "An analysis workshop with fewer or more participants than the program's usual workshop size"
        " (WbF: 8 to 20; checked only where the program names one)."
    ),
    description_de=(
        "Ein Analyseworkshop mit weniger oder mehr Teilnehmenden, als im Programm üblich"
        " (WbF: 8 bis 20; nur geprüft, wo das Programm eine Größe nennt)."
    ),
    message="{value} participants; an analysis workshop of the program typically has {fewest} to {most}",
    message_de="{value_de} Teilnehmende; ein Analyseworkshop des Programms hat üblicherweise {fewest} bis {most}",
    source="wbf-workshop: analysis workshops with typically 8 to 20 local actors",
)
def workshop_has_usual_size(offering: Offering, context: Context) -> Iterator[Finding]:
    size = _program(context).workshop_size
    if (
        size is not None
        and offering.type is OfferingType.ANALYSIS_WORKSHOP
        and offering.participants is not None
        and not size[0] <= offering.participants <= size[1]
    ):
        yield finding(
            "participants",
            value=quote(offering.participants),
            value_de=number_de(offering.participants),
            fewest=size[0],
            most=size[1],
        )


# --- process coaching -------------------------------------------------------


@rule(
    Alliance,
    "coaching.budget_over_cap",
    ERROR,
    fix="Give a positive budget no larger than the program's cap.",
    fix_de="Geben Sie ein positives Budget an, das die Obergrenze des Programms nicht übersteigt.",
    reads=("coaching", "program"),
    description=(
        "The coaching's hours budget exceeds the program's cap (WbF: 100, assumed from the Bautzen agreement)"
        " or is not positive."
    ),
    description_de=(
        "Das Stundenbudget der Prozessbegleitung übersteigt die Obergrenze des Programms"
        " (WbF: 100, angenommen nach der Bautzener Kooperationsvereinbarung)"
        " oder ist nicht positiv."
    ),
    message="hours budget {value} {fault}",
    message_de="Stundenbudget {value_de} {fault_de}",
    source='bautzen-news, bautzen-agreement: "im Umfang von bis zu 100 Stunden" (documented for Bautzen only)',
)
def coaching_budget_within_cap(alliance: Alliance, context: Context) -> Iterator[Finding]:
    coaching = alliance.coaching
    if coaching is None or coaching.hours_budget is None:
        return
    budget = coaching.hours_budget
    cap = _program(context).coaching_hours_cap
    if not _hours_are_valid(budget):
        yield finding(
            "coaching",
            "hours_budget",
            value=quote(budget),
            value_de=number_de(budget),
            fault="is not positive",
            fault_de="ist nicht positiv",
        )
    elif cap is not None and budget > cap:
        yield finding(
            "coaching",
            "hours_budget",
            value=quote(budget),
            value_de=number_de(budget),
            fault=f"exceeds the cap of {cap} hours",
            fault_de=f"übersteigt die Obergrenze von {number_de(cap)} Stunden",
        )


@rule(
    Alliance,
    "coaching.over_budget",
    ERROR,
    fix="Check the sessions' hours and the budget.",
    fix_de="Prüfen Sie die Stunden der Termine und das Budget.",
    reads=("coaching", "program"),
    description=(
        "The coaching sessions' hours add up to more than the budget, or, where the budget is not known,"
        " more than the program's cap."
    ),
    description_de=(
        "Die Stunden der Sitzungen übersteigen zusammen das Stundenbudget oder, wo dieses nicht bekannt ist,"
        " die Obergrenze des Programms."
    ),
    message="sessions use {used} hours, more than {limit}",
    message_de="die Sitzungen umfassen {used_de} Stunden, mehr als {limit_de}",
    source='bautzen-news, bautzen-agreement: "im Umfang von bis zu 100 Stunden" (documented for Bautzen only)',
)
def coaching_within_budget(alliance: Alliance, context: Context) -> Iterator[Finding]:
    coaching = alliance.coaching
    if coaching is None:
        return
    budget = coaching.hours_budget
    # An unknown budget is at most the cap: hours beyond the cap are beyond any budget.
    limit = budget if budget is not None else _program(context).coaching_hours_cap
    if limit is None or not _hours_are_valid(limit):
        return
    hours = [s.hours for s in coaching.sessions]
    # A session with unusable hours is coaching.session_hours' to report.
    if all(map(_hours_are_valid, hours)) and (used := exact_sum(hours)) > limit:
        if budget is not None:
            phrases = (f"the budget of {limit} hours", f"das Stundenbudget von {number_de(limit)} Stunden")
        else:
            phrases = (
                f"the program's cap of {limit} hours",
                f"die Obergrenze des Programms von {number_de(limit)} Stunden",
            )
        yield finding("coaching", "sessions", used=used, used_de=number_de(used), limit=phrases[0], limit_de=phrases[1])


@rule(
    CoachingSession,
    "coaching.session_hours",
    ERROR,
    fix="Give the session's hours as a positive number, for example 2.5.",
    fix_de="Geben Sie die Stunden des Termins als positive Zahl an, etwa 2.5.",
    reads=(),
    description="A session's hours are not a positive, finite number.",
    description_de="Die Stundenzahl einer Sitzung ist keine positive, endliche Zahl.",
    message="hours {value} are not a positive, finite number",
    message_de="Stundenzahl {value_de} ist keine positive, endliche Zahl",
    source="willkommen: hours are exact positive decimals",
)
def session_hours_are_positive(session: CoachingSession, context: Context) -> Iterator[Finding]:
    if not _hours_are_valid(session.hours):
        yield finding("hours", value=quote(session.hours), value_de=number_de(quote(session.hours)))


@rule(
    Alliance,
    "coaching.session_outside_runtime",
    ERROR,
    fix="Check the session's date: coaching lies within the program's runtime.",
    fix_de="Prüfen Sie das Datum des Termins: Die Prozessbegleitung liegt in der Laufzeit des Programms.",
    reads=("coaching", "program"),
    description="A coaching session is dated outside the program's runtime.",
    description_de="Eine Sitzung der Prozessbegleitung liegt außerhalb der Programmlaufzeit.",
    message="{value} lies outside the program's runtime {runtime}",
    message_de="{value} liegt außerhalb der Programmlaufzeit {runtime_de}",
    source='bmfsfj-launch, bautzen-agreement: launched 2015-05-28, "Programmlaufzeit (bis Ende 2018)"',
)
def sessions_within_runtime(alliance: Alliance, context: Context) -> Iterator[Finding]:
    if alliance.coaching is None:
        return
    program = _program(context)
    for index, session in enumerate(alliance.coaching.sessions):
        if not program.covers(session.date):
            yield _outside(program, session.date, "coaching", "sessions", index, "date")


# --- agreement --------------------------------------------------------------


@rule(
    Alliance,
    "agreement.outside_runtime",
    ERROR,
    fix="Check the date of signing.",
    fix_de="Prüfen Sie das Datum der Unterzeichnung.",
    reads=("agreement", "program"),
    description="The cooperation agreement is signed outside the program's runtime.",
    description_de="Die Kooperationsvereinbarung ist außerhalb der Programmlaufzeit unterzeichnet.",
    message="{value} lies outside the program's runtime {runtime}",
    message_de="{value} liegt außerhalb der Programmlaufzeit {runtime_de}",
    source="bautzen-agreement: the agreement is signed within the program (Bautzen, 2017-09-26)",
)
def agreement_within_runtime(alliance: Alliance, context: Context) -> Iterator[Finding]:
    program = _program(context)
    if alliance.agreement is not None and not program.covers(alliance.agreement.signed_on):
        yield _outside(program, alliance.agreement.signed_on, "agreement", "signed_on")


@rule(
    CooperationAgreement,
    "agreement.too_few_signatories",
    ERROR,
    fix="List everyone who signed: the Kommunen and the program's carrier.",
    fix_de="Nennen Sie alle, die unterzeichnet haben: die Kommunen und den Programmträger.",
    reads=(),
    description="The cooperation agreement has fewer than two signatories.",
    description_de="Die Kooperationsvereinbarung hat weniger als zwei unterzeichnende Personen.",
    message="the agreement has {signatories}; it needs at least 2",
    message_de="die Kooperationsvereinbarung nennt {signatories_de}; nötig sind mindestens 2",
    source="bautzen-news, bautzen-agreement: signed by the Kommunen and the DKJS",
)
def agreement_has_two_signatories(agreement: CooperationAgreement, context: Context) -> Iterator[Finding]:
    if len(agreement.signatories) < 2:
        count = len(agreement.signatories)
        yield finding(
            "signatories",
            signatories=count_en(count, "signatory", "signatories", none="no signatory"),
            signatories_de=count_de(
                count,
                "unterzeichnende Person",
                "unterzeichnende Personen",
                none="keine unterzeichnende Person",
                single="nur eine unterzeichnende Person",
            ),
        )


# --- consultations ----------------------------------------------------------


def _unknown_office_severity(program: Program | None) -> Severity:
    # An office the data does not list may still be one of the program's, if the list is incomplete.
    return WARNING if program is not None and not program.offices_complete else ERROR


@rule(
    Alliance,
    "consultation.unknown_office",
    ERROR,
    fix="Use the id of one of the program's service offices.",
    fix_de="Verwenden Sie die ID eines Servicebüros des Programms.",
    reads=("consultations", "program"),
    severity_for=_unknown_office_severity,
    description=(
        "A consultation names an office that is not one of the program's service offices"
        " (a warning where the program's list of offices is incomplete, as WbF's)."
    ),
    description_de=(
        "Ein Erstgespräch nennt ein Servicebüro, das nicht zu den Servicebüros des Programms gehört"
        " (eine Warnung, wo die Liste der Servicebüros des Programms unvollständig ist, wie bei WbF)."
    ),
    message="office {value} is not a service office of the program (known: {offices})",
    message_de="{value} ist kein Servicebüro des Programms (bekannt: {offices_de})",
    source='wbf-goals, servicebueros: "sechs Servicebüros"; four are known by name',
)
def consultations_name_known_offices(alliance: Alliance, context: Context) -> Iterator[Finding]:
    program = _program(context)
    for index, consultation in enumerate(alliance.consultations):
        if program.office(consultation.office) is None:
            offices = ", ".join(o.id for o in program.service_offices)
            yield finding(
                "consultations",
                index,
                "office",
                value=quote(consultation.office),
                offices=offices or "none",
                offices_de=offices or "keine",
            )


@rule(
    Alliance,
    "consultation.wrong_office",
    WARNING,
    fix="Check the office: the one responsible for the alliance's state is expected.",
    fix_de="Prüfen Sie das Servicebüro: Erwartet wird das für das Bundesland des Bündnisses zuständige.",
    reads=("consultations", "local_authorities", "program"),
    description=(
        "The consultation's office is not the one responsible for the alliance's state"
        " (checked only where that is known)."
    ),
    description_de=(
        "Das Servicebüro des Erstgesprächs ist nicht das für das Bundesland des Bündnisses zuständige"
        " (nur geprüft, wo das bekannt ist)."
    ),
    message="office {value} is not responsible for this alliance; {responsible} is",
    message_de="Servicebüro {value} ist für dieses Bündnis nicht zuständig, sondern {responsible}",
    source='wbf-goals: "Jedes Büro ist für eine bestimmte Region im Bundesgebiet zuständig"',
)
def consultations_with_responsible_office(alliance: Alliance, context: Context) -> Iterator[Finding]:
    program = _program(context)
    responsible = responsible_office(alliance, program)
    if responsible is None:
        return
    for index, consultation in enumerate(alliance.consultations):
        if program.office(consultation.office) is not None and consultation.office != responsible.id:
            yield finding(
                "consultations", index, "office", value=quote(consultation.office), responsible=responsible.id
            )


# --- dates ------------------------------------------------------------------


@rule(
    Alliance,
    "dates.order",
    ERROR,
    fix="Check the dates: an end comes after its start, and sessions after the founding.",
    fix_de="Prüfen Sie die Daten: Ein Ende liegt nach seinem Beginn, Termine liegen nach der Gründung.",
    reads=(),
    description="An end before its start, or a coaching session before the alliance was founded.",
    description_de=(
        "Ein Ende vor seinem Beginn oder eine Sitzung der Prozessbegleitung vor der Gründung des Bündnisses."
    ),
    message="{value} comes before {before}",
    message_de="{value} liegt vor {before_de}",
    source="willkommen: dates in order",
)
def dates_in_order(alliance: Alliance, context: Context) -> Iterator[Finding]:
    if context.readable("offerings"):
        for index, offering in enumerate(alliance.offerings):
            if offering.start is not None and offering.end is not None and offering.end < offering.start:
                yield finding(
                    "offerings",
                    index,
                    "end",
                    value=quote(offering.end.isoformat()),
                    before=f"the start {offering.start}",
                    before_de=f"dem Beginn {offering.start}",
                )
    if context.readable("coaching", "founded_on") and alliance.coaching and alliance.founded_on:
        for index, session in enumerate(alliance.coaching.sessions):
            if session.date < alliance.founded_on:
                yield finding(
                    "coaching",
                    "sessions",
                    index,
                    "date",
                    value=quote(session.date.isoformat()),
                    before=f"the founding {alliance.founded_on}",
                    before_de=f"der Gründung {alliance.founded_on}",
                )
