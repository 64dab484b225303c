"""Did-you-mean: the code or key a wrong value most likely meant.

People who keep the data write what they know: the German term (``Sachsen``,
``Jugendamt``), the code in another case or spacing (``Youth Office``), a
typo (``youth_ofice``). For an enumeration, a value is compared with every
member's code, its name, its German label (and each part of a label such as
``Schulbehörde / Bildungsagentur``) and the further German terms of the
glossary (``docs/glossary.md``) listed in :data:`TERMS_DE`; first exactly,
ignoring case, spacing, punctuation and umlaut spelling, then by the
similarity :func:`difflib.get_close_matches` uses (``SequenceMatcher.ratio``,
at least 0.75). A term that two members share, or a typo about as close to
two members, suggests neither: a guess must not mislead.
"""

import enum
import functools
from collections.abc import Iterable
from typing import TypeVar

from willkommen._enums import LocalAuthorityKind, PartnerKind, Theme

#: German terms of the glossary that are not already a member's label, by member.
TERMS_DE: dict[enum.Enum, tuple[str, ...]] = {
    LocalAuthorityKind.DISTRICT: ("Kreis", "Landkreis"),
    LocalAuthorityKind.TOWN: ("Stadt", "Große Kreisstadt"),
    LocalAuthorityKind.DISTRICT_FREE_CITY: ("Kreisfreie Stadt",),
    PartnerKind.IMMIGRATION_OFFICE: ("Ausländeramt",),
    PartnerKind.EDUCATION_OFFICE: ("Bildungsbüro",),
    PartnerKind.INTEGRATION_OFFICE: (
        "Stabsstelle Integration",
        "Kommunales Integrationszentrum",
        "Flüchtlingskoordination",
    ),
    PartnerKind.WELFARE_PROVIDER: ("freier Träger", "Wohlfahrtsverband"),
    PartnerKind.ADMINISTRATION_LEAD: ("Landrat", "Bürgermeister", "Dezernent", "Oberbürgermeister"),
    PartnerKind.EMPLOYER: ("Arbeitgeber", "Kammer"),
    PartnerKind.ASSOCIATION: ("Verein", "Initiative"),
    Theme.SCHOOL_TO_WORK: ("Berufsorientierung", "Ausbildung"),
}

#: German (and common English) words for the keys of the model, by key; a key is
#: suggested only where the object has it.
KEYS_DE: dict[str, tuple[str, ...]] = {
    "state": ("Bundesland", "Land"),
    "local_authorities": ("Kommunen", "Kommune", "Gemeinden", "municipalities"),
    "partners": ("Bündnispartner", "Partner"),
    "lead": ("Federführung",),
    "ags": ("Gemeindeschlüssel", "Amtlicher Gemeindeschlüssel", "Kreisschlüssel"),
    "goals": ("Ziele", "Ziel"),
    "measures": ("Maßnahmen", "Maßnahme"),
    "offerings": ("Angebote", "Angebot"),
    "coaching": ("Prozessbegleitung",),
    "agreement": ("Kooperationsvereinbarung",),
    "consultations": ("Erstgespräche", "Erstgespräch"),
    "coordinating_office": ("geschäftsführende Stelle",),
    "kind": ("Art", "Typ"),
    "name": ("Name",),
    "title": ("Titel",),
    "date": ("Datum",),
    "hours": ("Stunden",),
    "contacts": ("Kontakte", "Ansprechpersonen"),
    "organisation": ("organization", "Organisation"),
}

_M = TypeVar("_M")

# Close enough to be a typo, not so loose that unrelated words match.
_CUTOFF = 0.75


def normal(text: str) -> str:
    """*text* as compared: case, spacing, punctuation and umlaut spelling ignored (``Thüringen`` = ``thueringen``)."""
    folded = text.casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(umlaut, spelled)
    return "".join(c for c in folded if c.isalnum())


def _label_parts(label: str) -> list[str]:
    parts = [label]
    for separator in ("/", ",", "(", ")"):
        parts = [piece for part in parts for piece in part.split(separator)]
    return [label, *(part.strip() for part in parts if part.strip())]


def _terms(member: enum.Enum) -> list[str]:
    terms = [str(member.value), member.name]
    label = getattr(member, "label_de", None)
    if isinstance(label, str):
        terms += _label_parts(label)
    return terms + list(TERMS_DE.get(member, ()))


@functools.cache
def _index(cls: type[enum.Enum]) -> dict[str, enum.Enum | None]:
    """Every term of *cls*, compared form to member; None for a term two members share."""
    index: dict[str, enum.Enum | None] = {}
    for member in cls:
        for term in _terms(member):
            key = normal(term)
            if key and index.setdefault(key, member) is not member:
                index[key] = None
    return index


# No code, key or term is longer; a longer value is no typo of one (and comparing it would cost).
_LONGEST = 80
# Two close matches nearer than this to each other are a coin toss: no guess.
_MARGIN = 0.1


def _closest(word: str, index: "dict[str, _M | None]") -> "_M | None":
    """What *word* means in *index* (compared form to meaning): exact, else the one clearly closest."""
    if len(word) > _LONGEST:
        return None
    key = normal(word)
    if not key:
        return None
    if key in index:
        return index[key]
    import difflib  # noqa: PLC0415 - only a value that is no code needs it, never a valid file

    matcher = difflib.SequenceMatcher(b=key)
    scored = []
    for candidate, meaning in index.items():
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF:
            ratio = matcher.ratio()
            if ratio >= _CUTOFF:
                scored.append((ratio, meaning))
    if not scored:
        return None
    best, meaning = max(scored, key=lambda pair: pair[0])
    if meaning is None or any(other is not meaning and ratio > best - _MARGIN for ratio, other in scored):
        return None
    return meaning


def member_for(cls: type[enum.Enum], value: object) -> enum.Enum | None:
    """The member of *cls* that *value* most likely means, or None."""
    if not isinstance(value, str):
        return None
    return _closest(value, _index(cls))


def member_hint(cls: type[enum.Enum], value: object) -> tuple[str, str]:
    """``"; did you mean 'DE-SN' (Sachsen)?"`` in English and German, or two empty strings."""
    member = member_for(cls, value)
    if member is None:
        return "", ""
    label = getattr(member, "label_de", None)
    shown = f"{member.value!r}" + (f" ({label})" if isinstance(label, str) else "")
    return f"; did you mean {shown}?", f"; gemeint ist wohl {shown}?"


def key_for(key: str, keys: Iterable[str]) -> str | None:
    """The key of *keys* that *key* most likely means (a typo, a German word), or None."""
    known = list(keys)
    index: dict[str, str | None] = {normal(k): k for k in known}
    for meant, words in KEYS_DE.items():
        if meant in known:
            for word in words:
                index.setdefault(normal(word), meant)
    return _closest(key, index)
