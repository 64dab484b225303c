"""The register of sources: every text the library's facts and rules rest on.

A rule's ``source`` cites sources by their short id, then says what in them
it rests on: ``'wbf-goals: "mindestens drei lokalen Akteuren"'``. The id
``willkommen`` stands for a choice the library makes where the sources are
silent; ``docs/sources.md`` lists each such choice with its reason.
"""

import re

import attrs


@attrs.frozen
class Source:
    """A public text, by its short id and the title to cite it by (in English and German)."""

    id: str
    title: str
    title_de: str


SOURCES: tuple[Source, ...] = (
    Source(
        "bautzen-news",
        "Stadt Bautzen, news item „Integration durch Teilhabe: Landkreis und Stadt kooperieren enger“ (September 2017)",
        "Stadt Bautzen, Meldung „Integration durch Teilhabe: Landkreis und Stadt kooperieren enger“ (September 2017)",
    ),
    Source(
        "bautzen-agreement",
        "Landratsamt Bautzen, Jugendamt, „Landkreis Bautzen und Stadt Bautzen unterzeichnen"
        " Kooperationsvereinbarung mit der Deutschen Kinder- und Jugendstiftung“ (27.09.2017)",
        "Landratsamt Bautzen, Jugendamt, „Landkreis Bautzen und Stadt Bautzen unterzeichnen"
        " Kooperationsvereinbarung mit der Deutschen Kinder- und Jugendstiftung“ (27.09.2017)",
    ),
    Source(
        "helmstedt-news",
        "Landkreis Helmstedt, press report „Landkreis schließt ‚Bündnis für junge Flüchtlinge‘“",
        "Landkreis Helmstedt, Pressemitteilung „Landkreis schließt ‚Bündnis für junge Flüchtlinge‘“",
    ),
    Source(
        "wbf-goals",
        "DKJS, program website, „Ziele des Bundesprogramms – Lokale Bündnisse aufbauen und stärken“",
        "DKJS, Programmwebsite, „Ziele des Bundesprogramms – Lokale Bündnisse aufbauen und stärken“",
    ),
    Source(
        "leverkusen-news",
        "Local press, „Leverkusen Workshop: Wie kann Integration besser gelingen?“",
        "Lokalpresse, „Leverkusen Workshop: Wie kann Integration besser gelingen?“",
    ),
    Source(
        "wbf-workshop",
        "DKJS, program website, page „Analyseworkshop“",
        "DKJS, Programmwebsite, Seite „Analyseworkshop“",
    ),
    Source(
        "bmfsfj-launch",
        "BMFSFJ press release on the launch of the program, 28.05.2015",
        "Pressemitteilung des BMFSFJ zum Start des Programms, 28.05.2015",
    ),
    Source(
        "servicebueros",
        "Deutscher Bildungsserver, Innovationsportal, project page of the program"
        " („Sechs regionale Servicebüros … in Hamburg, Magdeburg, Berlin, Köln, …“)",
        "Deutscher Bildungsserver, Innovationsportal, Projektseite des Programms"
        " („Sechs regionale Servicebüros … in Hamburg, Magdeburg, Berlin, Köln, …“)",
    ),
    Source(
        "nrw-launch",
        "Land NRW press release, 11.09.2018, „Land und Kommunen setzen sich für junge volljährige Flüchtlinge ein“",
        "Pressemitteilung des Landes NRW, 11.09.2018,"
        " „Land und Kommunen setzen sich für junge volljährige Flüchtlinge ein“",
    ),
    Source(
        "steinfurt-ki",
        "Kreis Steinfurt, Kommunales Integrationszentrum, page on the Landesinitiative „Gemeinsam klappt’s“",
        "Kreis Steinfurt, Kommunales Integrationszentrum, Seite zur Landesinitiative „Gemeinsam klappt’s“",
    ),
    Source(
        "sgb8",
        "SGB VIII § 7 Abs. 1 Nr. 3 („junger Volljähriger, wer 18, aber noch nicht 27 Jahre alt ist“)",
        "SGB VIII § 7 Abs. 1 Nr. 3 („junger Volljähriger, wer 18, aber noch nicht 27 Jahre alt ist“)",
    ),
    Source(
        "destatis-ags",
        "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis: Amtlicher Gemeindeschlüssel and Kreisschlüssel",
        "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis: Amtlicher Gemeindeschlüssel und Kreisschlüssel",
    ),
    Source(
        "iso-3166-2",
        "ISO 3166-2:DE, codes of the German Länder (DE-BW … DE-TH)",
        "ISO 3166-2:DE, Codes der deutschen Länder (DE-BW … DE-TH)",
    ),
    Source(
        "willkommen",
        "the willkommen data format: a choice of this library where the sources are silent",
        "Datenformat von willkommen: eine Festlegung der Bibliothek, wo die Quellen schweigen",
    ),
)

_BY_ID = {source.id: source for source in SOURCES}

# The ids a citation opens with: "a-b, c-d: detail" or "a-b".
_CITATION = re.compile(r"^\s*([a-z0-9-]+(?:\s*[,;]\s*[a-z0-9-]+)*)\s*(?::|$)")


def find_source(source_id: str) -> Source | None:
    """The registered source with this id, or None."""
    return _BY_ID.get(source_id)


def cited_sources(citation: str) -> tuple[Source, ...]:
    """The registered sources a rule's ``source`` text opens with, in its order.

    Text that opens with no registered id (a user's own rule citing its own
    rules) cites none of the register.
    """
    match = _CITATION.match(citation)
    if match is None:
        return ()
    found = [_BY_ID.get(part.strip()) for part in re.split(r"[,;]", match.group(1))]
    return tuple(source for source in found if source is not None)
