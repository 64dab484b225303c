"""German wording that is not a message template: numbers, counts and foreign texts.

Messages are written in the catalogue in both languages; some parts are
filled in at run time. Numbers are written the German way (``110,5``), counts
agree with their noun, and the texts that come from elsewhere — the JSON
parser's reasons, the operating system's errors, argparse's complaints — are
put into German here, so that ``--lang de`` never shows an English word.
"""

import errno
import re
from decimal import Decimal

# Compiled when first matched (re caches it), as the patterns below: not every run writes German.
_NUMBER = r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$"


def number_de(value: Decimal | int | str) -> str:
    """A number as German text: decimal comma, ``.`` between thousands from 10 000 on.

    Anything that is not a plain number (``NaN``, a quoted string) is returned unchanged.
    """
    text = str(value)
    if not re.match(_NUMBER, text):
        return text
    if "e" in text.lower():
        return text.replace(".", ",")
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    if len(whole) > 4:
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ".".join([whole, *groups])
    return f"{sign}{whole}{',' + fraction if fraction else ''}"


def count_en(count: int, one: str, many: str, *, none: str | None = None) -> str:
    """``no partner``, ``1 partner``, ``2 partners``."""
    if count == 0 and none is not None:
        return none
    return f"{count} {one if count == 1 else many}"


def count_de(count: int, one: str, many: str, *, none: str | None = None, single: str | None = None) -> str:
    """``keinen Bündnispartner``, ``einen Bündnispartner``, ``2 Bündnispartner``."""
    if count == 0 and none is not None:
        return none
    if count == 1 and single is not None:
        return single
    return f"{number_de(count)} {one if count == 1 else many}"


# The classes of the model that rules check, by their German names.
CLASS_NAMES_DE = {
    "Alliance": "Bündnis",
    "LocalAuthority": "Kommune",
    "Offering": "Angebot",
    "Measure": "Maßnahme",
    "CoachingSession": "Sitzung der Prozessbegleitung",
    "CooperationAgreement": "Kooperationsvereinbarung",
    "NrwAlliance": "NRW-Bündnis",
}


# The messages of Python's json module (Modules/_json.c, Lib/json/decoder.py).
_JSON_REASONS = (
    ("Expecting value", "Wert erwartet"),
    ("Expecting property name enclosed in double quotes", "Name in doppelten Anführungszeichen erwartet"),
    ("Expecting ':' delimiter", "Doppelpunkt erwartet"),
    ("Expecting ',' delimiter", "Komma erwartet"),
    ("Unterminated string starting at", "nicht abgeschlossene Zeichenkette"),
    ("Invalid control character at", "ungültiges Steuerzeichen"),
    ("Invalid control character", "ungültiges Steuerzeichen"),
    ("Invalid \\uXXXX escape", "ungültige \\uXXXX-Escape-Sequenz"),
    ("Invalid \\escape", "ungültige Escape-Sequenz"),
    ("Extra data", "weitere Daten nach dem Ende des Dokuments"),
    ("Illegal trailing comma before end of object", "überzähliges Komma vor dem Ende des Objekts"),
    ("Illegal trailing comma before end of array", "überzähliges Komma vor dem Ende der Liste"),
)


def json_reason_de(reason: str) -> str:
    """The JSON parser's *reason* in German; an unknown one as a neutral phrase."""
    for english, german in _JSON_REASONS:
        if reason.startswith(english):
            return german
    return "ungültige JSON-Syntax"


_OS_ERRORS = {
    errno.ENOENT: ("no such file or folder", "Datei oder Ordner nicht vorhanden"),
    errno.EACCES: ("permission denied", "keine Berechtigung"),
    errno.EPERM: ("operation not permitted", "Vorgang nicht erlaubt"),
    errno.EISDIR: ("is a folder", "ist ein Ordner"),
    errno.ENOTDIR: ("not a folder", "ist kein Ordner"),
    errno.ELOOP: ("too many levels of symbolic links", "zu viele Ebenen symbolischer Links"),
    errno.ENAMETOOLONG: ("file name too long", "Dateiname zu lang"),
    errno.EIO: ("input/output error", "Ein-/Ausgabefehler"),
    errno.ENXIO: ("no such device or address", "Gerät oder Adresse nicht vorhanden"),
    errno.EMFILE: ("too many open files", "zu viele offene Dateien"),
    errno.EAGAIN: ("resource temporarily unavailable", "vorübergehend nicht verfügbar"),
}


def os_error_de(exc: OSError, english: str) -> str:
    """The operating system's error in German, from its number; *english* is the text shown in English."""
    known = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known[1]
    if exc.errno is not None:
        return f"Ein-/Ausgabefehler (Fehlernummer {exc.errno})"
    return _PHRASES_DE.get(english, "Ein-/Ausgabefehler")


# Fixed English phrases of the library that stand in for an OS error.
_PHRASES_DE = {
    "not a regular file but a pipe, socket or device": "keine gewöhnliche Datei, sondern eine Pipe, ein Socket"
    " oder ein Gerät",
}


# argparse's messages (Lib/argparse.py), as patterns with their German form.
_USAGE_ERRORS = (
    (r"^the following arguments are required: (.*)$", "folgende Argumente fehlen: {0}"),
    (r"^unrecognized arguments: (.*)$", "unbekannte Argumente: {0}"),
    (
        r"^argument (.*?): invalid choice: (.*?) \(choose from (.*)\)$",
        "Argument {0}: ungültige Auswahl {1} (möglich: {2})",
    ),
    (r"^argument (.*?): expected one argument$", "Argument {0}: ein Wert erwartet"),
    (r"^argument (.*?): expected at least one argument$", "Argument {0}: mindestens ein Wert erwartet"),
    (r"^argument (.*?): ignored explicit argument (.*)$", "Argument {0}: Wert {1} nicht erlaubt"),
    (r"^argument (.*?): not allowed with argument (.*)$", "Argument {0}: nicht zusammen mit {1} erlaubt"),
    (r"^ambiguous option: (.*?) could match (.*)$", "mehrdeutige Option {0}, möglich: {1}"),
    (r"^argument (.*?): (.*)$", "Argument {0}: {1}"),
)


def usage_error_de(message: str) -> str:
    """An argparse error message in German; one it does not know, as a neutral phrase."""
    for pattern, german in _USAGE_ERRORS:
        match = re.match(pattern, message)
        if match is not None:
            return german.format(*match.groups())
    return "ungültiger Aufruf"


# The help of the command line, by its English text (``willkommen … --lang de --help``).
HELP_DE = {
    # The spreadsheet commands (convert, template).
    "convert between JSON, JSON Lines, XLSX, ODS and CSV": "zwischen JSON, JSON Lines, XLSX, ODS und CSV umwandeln",
    (
        "Convert alliances; the output's format comes from its suffix (.json, .jsonl, .xlsx, .ods, .zip) "
        "or is a folder of CSV files. Exit code 0: written; 1: problems found; 2: usage error."
    ): (
        "Bündnisse umwandeln; das Format der Ausgabe folgt aus ihrer Endung (.json, .jsonl, .xlsx, .ods, .zip)"
        " oder ist ein Ordner mit CSV-Dateien. Rückgabewert 0: geschrieben; 1: Probleme gefunden;"
        " 2: Aufruf fehlerhaft."
    ),
    "a file or folder (JSON, JSON Lines, workbook)": "eine Datei oder ein Ordner (JSON, JSON Lines, Arbeitsmappe)",
    "the file or folder to write": "die Datei oder der Ordner, die geschrieben werden",
    "language of headings and messages (default: en)": "Sprache der Überschriften und Meldungen (Vorgabe: en)",
    "write even if the data has errors": "auch schreiben, wenn die Daten Fehler haben",
    "write a workbook to fill in: headings, drop-downs, an example alliance": (
        "eine Arbeitsmappe zum Ausfüllen schreiben: Überschriften, Auswahllisten, ein Beispielbündnis"
    ),
    ".xlsx, .ods, .zip or a folder": ".xlsx, .ods, .zip oder ein Ordner",
    "language of headings (default: en)": "Sprache der Überschriften (Vorgabe: en)",
    "overwrite an existing file": "eine vorhandene Datei überschreiben",
    "Check, describe and start data files of local alliances for young refugees.": (
        "Daten lokaler Bündnisse für junge Geflüchtete prüfen, beschreiben und anlegen."
    ),
    "import an extension module first, so that its classes, tags and rules are known (repeatable)": (
        "zuerst ein Erweiterungsmodul importieren, damit seine Klassen, Typnamen und Regeln bekannt sind (wiederholbar)"
    ),
    "language of messages (default: en)": "Sprache der Meldungen (Vorgabe: en)",
    "output format (default: text)": "Ausgabeformat (Vorgabe: text)",
    "check files, folders (*.json, *.jsonl) and standard input": (
        "Dateien, Ordner (*.json, *.jsonl) und die Standardeingabe prüfen"
    ),
    "Check alliance data. Exit code 0: all valid; 1: problems found; 2: usage error.": (
        "Bündnisdaten prüfen. Rückgabewert 0: alles gültig; 1: Probleme gefunden; 2: Aufruf fehlerhaft."
    ),
    "a .json or .jsonl file, a folder, or - for stdin": (
        "eine .json- oder .jsonl-Datei, ein Ordner oder - für die Standardeingabe"
    ),
    "warnings fail too": "auch Warnungen machen ungültig",
    "report only these codes or code prefixes (comma-separated)": (
        "nur diese Codes oder Code-Anfänge melden (durch Kommas getrennt)"
    ),
    "do not report these codes or code prefixes (comma-separated)": (
        "diese Codes oder Code-Anfänge nicht melden (durch Kommas getrennt)"
    ),
    "read standard input as JSON Lines": "die Standardeingabe als JSON Lines lesen",
    "print the JSON Schema (Draft 2020-12) of the data format": (
        "das JSON Schema (Draft 2020-12) des Datenformats ausgeben"
    ),
    "the document's class: alliance (default) or the tag of an alliance class": (
        "die Klasse des Dokuments: 'alliance' (Vorgabe) oder der Typname einer Bündnisklasse"
    ),
    "list the rule codes, or explain one": "die Codes der Regeln auflisten oder einen erklären",
    "the code to explain": "der zu erklärende Code",
    "print a valid example alliance as JSON": "ein gültiges Beispielbündnis als JSON ausgeben",
    "rewrite files of an older format version as the current one": (
        "Dateien einer älteren Formatversion in der aktuellen neu schreiben"
    ),
    "Upgrade data files to the current format version. One JSON line per document on standard output."
    " Exit code 0: done; 1: a file had an error, or would change under --check; 2: usage error.": (
        "Datendateien auf die aktuelle Formatversion bringen. Eine JSON-Zeile je Dokument auf der Standardausgabe."
        " Rückgabewert 0: erledigt; 1: eine Datei hatte einen Fehler oder würde sich bei --check ändern;"
        " 2: Aufruf fehlerhaft."
    ),
    "a .json or .jsonl file, or a folder": "eine .json- oder .jsonl-Datei oder ein Ordner",
    "write the migrated files into DIR": "die migrierten Dateien in den Ordner DIR schreiben",
    "rewrite the files that change": "die Dateien neu schreiben, die sich ändern",
    "write nothing; fail if a file would change": "nichts schreiben; Rückgabewert 1, wenn sich eine Datei ändern würde",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "Check alliance data. Exit code 0: all valid; 1: problems found; 2: usage error; 3: the checker failed"
    " (a rule raised an exception); 4: the report could not be written.": (
        "Bündnisdaten prüfen. Rückgabewert 0: alles gültig; 1: Probleme gefunden; 2: Aufruf fehlerhaft;"
        " 3: die Prüfung ist gescheitert (eine Regel hat eine Ausnahme ausgelöst);"
        " 4: der Bericht konnte nicht geschrieben werden."
    ),
    "the largest file, JSON Lines line or standard input to read, such as 64M (default: 64M);"
    " a larger one is reported as file_too_large": (
        "die größte Datei, JSON-Lines-Zeile oder Standardeingabe, die gelesen wird, etwa 64M (Vorgabe: 64M);"
        " eine größere wird als file_too_large gemeldet"
    ),
    "a .json, .jsonl or .ndjson file, a folder, or - for stdin": (
        "eine .json-, .jsonl- oder .ndjson-Datei, ein Ordner oder - für die Standardeingabe"
    ),
    "check files, folders (*.json, *.jsonl, *.ndjson) and standard input": (
        "Dateien, Ordner (*.json, *.jsonl, *.ndjson) und die Standardeingabe prüfen"
    ),
    "in folders, skip files and folders whose name or path below the folder matches (repeatable);"
    " hidden entries and node_modules are always skipped": (
        "in Ordnern Dateien und Ordner überspringen, deren Name oder Pfad unterhalb des Ordners passt"
        " (wiederholbar); versteckte Einträge und node_modules werden immer übersprungen"
    ),
    "print the version and exit": "die Version ausgeben und beenden",
    "Summarise the valid records (invalid ones are counted in the footer). Exit code 0: report written;"
    " 2: usage error.": (
        "Die gültigen Datensätze zusammenfassen (ungültige werden in der Fußzeile gezählt)."
        " Rückgabewert 0: Bericht geschrieben; 2: Aufruf fehlerhaft."
    ),
    "count invalid records too, where they could be read": (
        "auch ungültige Datensätze zählen, soweit sie gelesen werden konnten"
    ),
    "in folders, skip what matches (as validate)": "in Ordnern überspringen, was passt (wie bei validate)",
    "one of: alliances, states, offices, offerings, partners": (
        "eines von: alliances, states, offices, offerings, partners"
    ),
    "output format (default: md)": "Ausgabeformat (Vorgabe: md)",
    "output format: text, json, html (a page for people), csv (one problem a row), github (workflow annotations),"
    " junit (XML, one test case a record) (default: text)": (
        "Ausgabeformat: text, json, html (eine Seite für Menschen), csv (ein Problem je Zeile), github"
        " (Workflow-Anmerkungen), junit (XML, ein Testfall je Datensatz) (Vorgabe: text)"
    ),
    "summarise alliances: by alliance, state, service office, offering or partner kind": (
        "Bündnisse zusammenfassen: nach Bündnis, Bundesland, Servicebüro, Angebot oder Art des Bündnispartners"
    ),
    "the largest file, JSON Lines line or standard input to read (as validate; default: 64M)": (
        "die größte Datei, JSON-Lines-Zeile oder Standardeingabe, die gelesen wird (wie bei validate; Vorgabe: 64M)"
    ),
    "write the invalid records with their problems here (JSON Lines)": (
        "die ungültigen Datensätze mit ihren Problemen hierhin schreiben (JSON Lines)"
    ),
    "write the valid records here (JSON Lines)": "die gültigen Datensätze hierhin schreiben (JSON Lines)",
    "the code to explain, or a prefix (coaching) to list its codes": (
        "der zu erklärende Code oder ein Code-Anfang ('coaching'), dessen Codes aufgelistet werden"
    ),
}
