"""Problems and the catalogue of the codes they carry.

Every code, structural or a rule's, is one :class:`Rule` entry with its
severity, its descriptions and one message template in English and German.
Problems are only ever made from an entry, so a code always has the same
severity and wording, and the catalogue a program lists is the one in force.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from willkommen._enums import Severity
from willkommen._text import message, shown


@attrs.frozen(kw_only=True)
class Location:
    """Where in a spreadsheet a problem is: sheet, cell (``"C4"``), row and column heading.

    Only the sheet is always known: a problem of a whole sheet has no row, one
    of a whole row no cell, and a value absent from a sheet with no column
    for it has a heading but no cell.
    """

    sheet: str
    cell: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        """``Partner!C4 (Art)``, the way a spreadsheet application names a cell."""
        # A sheet name with anything but letters, digits and _ is quoted, as Excel does ('Coaching sessions'!C4).
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else "'" + self.sheet.replace("'", "''") + "'"
        if self.cell is not None:
            place = f"{sheet}!{self.cell}"
        elif self.row is not None:
            place = f"{sheet}!{self.row}:{self.row}"
        else:
            place = sheet
        return place if self.column is None else f"{place} ({self.column})"


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with the data.

    ``path`` is an RFC 6901 JSON Pointer to the value concerned (``""`` is
    the whole document); ``message`` is English, ``message_de`` German.
    ``location`` says where in a spreadsheet the value stands (None for
    data that did not come from one).
    """

    code: str
    path: str
    severity: Severity
    message: str
    message_de: str
    location: Location | None = None

    @property
    def is_error(self) -> bool:
        """Whether the problem makes the data invalid (a warning does not)."""
        return self.severity is Severity.ERROR

    def message_in(self, lang: str) -> str:
        """The message in ``"en"`` or ``"de"``."""
        return self.message_de if lang == "de" else self.message


#: What a rule's check yields: the path below the checked object, and the
#: values its message templates name.
Finding = tuple[tuple[str | int, ...], Mapping[str, object]]


def finding(*path: str | int, **values: object) -> Finding:
    """A finding at *path* (keys and indexes below the checked object)."""
    return path, values


@attrs.frozen(kw_only=True)
class Rule:
    """An entry of the catalogue: a code, its meaning, and the check behind it.

    Structural codes (``type``, ``missing``, ...) have no ``applies_to`` and no
    ``check``: the reader reports them. A rule checks objects of
    ``applies_to`` (and its subclasses); ``reads`` names the fields of the
    document's top object it needs, so that it is skipped, not misled, when
    one of them could not be read (None: it needs them all). ``"program"``
    in ``reads`` means the rule needs the alliance's program. A rule that
    ``replaces`` another code runs instead of it for ``applies_to``.
    """

    code: str
    severity: Severity
    description: str
    description_de: str
    message: str
    message_de: str
    source: str = ""
    #: How to fix the data, in English and German, for reports to the people who fix it.
    fix: str = ""
    fix_de: str = ""
    applies_to: type | None = None
    reads: frozenset[str] | None = frozenset()
    replaces: str | None = None
    check: Callable[[Any, Any], Iterable[Finding]] | None = attrs.field(default=None, eq=False, repr=False)
    #: Where the program decides how much a finding matters: its severity for a
    #: program (or None), in place of ``severity``.
    severity_for: Callable[[Any], Severity] | None = attrs.field(default=None, eq=False, repr=False)

    def problem(self, path: str, **values: object) -> Problem:
        """A problem of this code at *path*, its messages filled from *values*.

        Each value is shown the one way every message shows values (text as
        it is, anything else quoted; escaped; bounded), and each message is
        cut to its bound: whatever the data, a message is one short line.
        """
        texts = {name: shown(value) for name, value in values.items()}
        return Problem(
            code=self.code,
            path=path,
            severity=self.severity,
            message=message(self.message.format_map(texts)),
            message_de=message(self.message_de.format_map(texts)),
        )


def _structural(  # noqa: PLR0913 - a catalogue entry has this many parts, all named
    code: str, description: str, description_de: str, message: str, message_de: str, *, fix: str, fix_de: str
) -> Rule:
    return Rule(
        code=code,
        severity=Severity.ERROR,
        description=description,
        description_de=description_de,
        message=message,
        message_de=message_de,
        fix=fix,
        fix_de=fix_de,
        source="willkommen: the data format",
    )


TYPE = _structural(
    "type",
    "A value has the wrong JSON type.",
    "Ein Wert hat den falschen JSON-Datentyp.",
    "expected {expected}, got {value}",
    "erwartet: {expected_de}, erhalten: {value}",
    fix="Write the value as the type the format expects: text in quotes, numbers without, lists in [ ].",
    fix_de="Schreiben Sie den Wert im erwarteten Typ: Text in Anführungszeichen, Zahlen ohne, Listen in [ ].",
)
MISSING = _structural(
    "missing",
    "A required key is absent.",
    "Eine Pflichtangabe fehlt.",
    "required key {key} is missing",
    "Pflichtangabe {key} fehlt",
    fix="Add the key with its value; `willkommen schema` shows what it holds.",
    fix_de="Ergänzen Sie den Schlüssel mit seinem Wert; `willkommen schema` zeigt, was er enthält.",
)
UNKNOWN_KEY = _structural(
    "unknown_key",
    "A key the model does not have; it is never ignored.",
    "Eine Angabe, die das Datenmodell nicht kennt; sie wird nie übergangen.",
    "unknown key {key}{hint}",
    "unbekannte Angabe {key}{hint_de}",
    fix="Check the key's spelling against the data format; remove it if the model has no such field.",
    fix_de=(
        "Prüfen Sie die Schreibweise am Datenformat; entfernen Sie die Angabe, wenn das Modell kein solches Feld hat."
    ),
)
INVALID_VALUE = _structural(
    "invalid_value",
    "A value that is not allowed here, such as a word not in an enumeration.",
    "Ein Wert, der hier nicht erlaubt ist, etwa ein Wort außerhalb einer Aufzählung.",
    "{value} is not valid: expected {expected}",
    "{value} ist ungültig: erwartet: {expected_de}",
    fix="Use one of the values the message lists: the codes, not their German labels.",
    fix_de="Verwenden Sie einen der Werte, die die Meldung nennt: die Codes, nicht die deutschen Bezeichnungen.",
)
INVALID_DATE = _structural(
    "invalid_date",
    "A date that is not a calendar date written YYYY-MM-DD.",
    "Ein Datum, das kein Kalenderdatum der Form JJJJ-MM-TT ist.",
    "{value} is not a calendar date YYYY-MM-DD",
    "{value} ist kein Kalenderdatum der Form JJJJ-MM-TT",
    fix="Write the date as YYYY-MM-DD, for example 2017-09-26 for 26.09.2017.",
    fix_de="Schreiben Sie das Datum als JJJJ-MM-TT, etwa 2017-09-26 für 26.09.2017.",
)
DUPLICATE_KEY = _structural(
    "duplicate_key",
    "The same key twice in one JSON object.",
    "Dieselbe Angabe zweimal in einem JSON-Objekt.",
    "key {key} appears {count} times in one object",
    "Angabe {key} kommt {count}-mal im selben Objekt vor",
    fix="Keep the key once, with the value that is meant.",
    fix_de="Behalten Sie die Angabe einmal, mit dem gemeinten Wert.",
)
INVALID_JSON = _structural(
    "invalid_json",
    "Text that is not a JSON document in UTF-8.",
    "Text, der kein JSON-Dokument in UTF-8 ist.",
    "not a JSON document: {reason}",
    "kein JSON-Dokument: {reason_de}",
    fix="Save the file as JSON in UTF-8; a JSON Lines file holds one complete document on each line.",
    fix_de=(
        "Speichern Sie die Datei als JSON in UTF-8; eine JSON-Lines-Datei enthält je Zeile ein vollständiges Dokument."
    ),
)

CYCLE = _structural(
    "cycle",
    "An object built in code that contains itself: no document can hold it, and it is not written.",
    "Ein im Code gebautes Objekt, das sich selbst enthält: kein Dokument kann es aufnehmen, es wird nicht geschrieben.",
    "{value} contains itself: a document holds each object at one place, with an end",
    "{value} enthält sich selbst: ein Dokument enthält jedes Objekt an einer Stelle, mit einem Ende",
    fix="Build the object as a tree: put a new object at each place, or refer to the other object by its id.",
    fix_de=(
        "Bauen Sie das Objekt als Baum: setzen Sie an jede Stelle ein neues Objekt, oder verweisen Sie auf das"
        " andere Objekt über seine ID."
    ),
)

TOO_MANY_PROBLEMS = _structural(
    "too_many_problems",
    "A document with so many failing list items that the rest is not read; the first ones are reported.",
    "Ein Dokument mit so vielen fehlerhaften Listeneinträgen, dass der Rest nicht gelesen wird; die ersten "
    "werden gemeldet.",
    "{limit} list items of this document fail; the items of this list after index {index} are not read",
    "{limit} Listeneinträge dieses Dokuments sind fehlerhaft; die Einträge dieser Liste nach Index {index} "
    "werden nicht gelesen",
    fix="Fix the problems reported first and check again: the rest of the list is read then.",
    fix_de="Beheben Sie die gemeldeten Probleme und prüfen Sie erneut: dann wird der Rest der Liste gelesen.",
)

UNREADABLE_FILE = Rule(
    code="unreadable_file",
    severity=Severity.ERROR,
    description="A file or folder that cannot be read: no permission, a broken link, another I/O error.",
    description_de=(
        "Eine Datei oder ein Ordner, die sich nicht lesen lassen: keine Berechtigung, "
        "ein defekter Link, ein anderer Ein-/Ausgabefehler."
    ),
    message="cannot read the file: {reason}",
    message_de="Datei nicht lesbar: {reason_de}",
    source="willkommen: the command line",
    fix="Check that the file exists, is a regular file and that you may read it.",
    fix_de="Prüfen Sie, ob die Datei existiert, eine gewöhnliche Datei ist und Sie sie lesen dürfen.",
)

# Checked across the records of one run (willkommen validate, willkommen report),
# not within one document: the same id twice means two records describe one alliance.
DUPLICATE_ALLIANCE_ID = Rule(
    code="collection.duplicate_id",
    severity=Severity.ERROR,
    description="Two records, in one file or in several, give an alliance the same id.",
    description_de="Zwei Datensätze, in einer Datei oder in mehreren, geben einem Bündnis dieselbe ID.",
    message="the alliance id {id} is used elsewhere too: {places}",
    message_de="die Bündnis-ID {id} kommt auch anderswo vor: {places_de}",
    source="willkommen: the command line, across all files of a run",
    fix="Give each alliance an id of its own, or keep one record of the alliance and merge the other into it.",
    fix_de=(
        "Geben Sie jedem Bündnis eine eigene ID, oder behalten Sie einen Datensatz des Bündnisses und führen "
        "Sie den anderen darin zusammen."
    ),
)

FILE_TOO_LARGE = Rule(
    code="file_too_large",
    severity=Severity.ERROR,
    description=(
        "A file, a JSON Lines line or standard input larger than the command line's limit "
        "(64 MiB unless --max-size says otherwise): it is not read."
    ),
    description_de=(
        "Eine Datei, eine JSON-Lines-Zeile oder die Standardeingabe, größer als die Grenze der "
        "Kommandozeile (64 MiB, sofern --max-size nichts anderes sagt): sie wird nicht gelesen."
    ),
    message="{what} holds more than {limit} bytes, the limit (--max-size): not checked{rest}",
    message_de="{what_de} enthält mehr als {limit} Bytes, die Grenze (--max-size): nicht geprüft{rest_de}",
    source="willkommen: the command line",
    fix="Split the data into smaller files (JSON Lines: one alliance a line), or raise the limit with --max-size.",
    fix_de=(
        "Teilen Sie die Daten in kleinere Dateien (JSON Lines: ein Bündnis je Zeile), oder heben Sie die "
        "Grenze mit --max-size an."
    ),
)
SCHEMA_OUTDATED = Rule(
    code="schema_version.outdated",
    severity=Severity.WARNING,
    description="A document of an older format version: read after upgrading it in memory.",
    description_de="Ein Dokument einer älteren Formatversion: gelesen, nachdem es im Speicher aktualisiert wurde.",
    message="schema version {value} is outdated: read as version {current}; 'willkommen migrate' rewrites the file",
    message_de=(
        "Schemaversion {value} ist veraltet: gelesen als Version {current}; 'willkommen migrate' schreibt die Datei neu"
    ),
    source="willkommen: the format versions (docs/howto/format-versions.md)",
    fix="Run 'willkommen migrate' on the file to write it as the current version.",
    fix_de="Führen Sie 'willkommen migrate' für die Datei aus, um sie in der aktuellen Version zu schreiben.",
)
MIGRATION_CONFLICT = Rule(
    code="migration.conflict",
    severity=Severity.ERROR,
    description="An older document holds a key that a newer version introduces; the migration drops it.",
    description_de=(
        "Ein älteres Dokument enthält eine Angabe, die eine neuere Version einführt; die Migration entfernt sie."
    ),
    message="key {key} is not part of the older version and means something else now: dropped, {instead}",
    message_de="Angabe {key} gehört nicht zur älteren Version und bedeutet jetzt etwas anderes: entfernt, {instead_de}",
    source="willkommen: the format versions (docs/howto/format-versions.md)",
    fix="Remove the key from the older file, or write the file in the current version by hand.",
    fix_de=(
        "Entfernen Sie die Angabe aus der älteren Datei, oder schreiben Sie die Datei von Hand"
        " in der aktuellen Version."
    ),
)
MIGRATION_ASSUMED = Rule(
    code="migration.assumed",
    severity=Severity.WARNING,
    description="The migration wrote out what the older version implied, which may not be a fact.",
    description_de=(
        "Die Migration hat ausgeschrieben, was die ältere Version stillschweigend annahm;"
        " das ist nicht unbedingt belegt."
    ),
    message=(
        "no hours budget: version 1 meant the program's cap, written as {cap} hours;"
        " remove it if the budget is not known"
    ),
    message_de=(
        "kein Stundenbudget: Version 1 meinte die Obergrenze des Programms, geschrieben als {cap_de} Stunden;"
        " entfernen, wenn das Stundenbudget nicht bekannt ist"
    ),
    source="willkommen: the format versions (docs/howto/format-versions.md)",
    fix="Keep the written budget if it is the alliance's; remove it if the budget is not known.",
    fix_de=(
        "Behalten Sie das Stundenbudget, wenn es das des Bündnisses ist; entfernen Sie es, wenn es nicht bekannt ist."
    ),
)


def _sheet(code: str, description: str, description_de: str, message: str, message_de: str) -> Rule:
    fix, fix_de = _SHEET_FIXES[code]
    return Rule(
        code=code,
        severity=Severity.ERROR,
        description=description,
        description_de=description_de,
        message=message,
        message_de=message_de,
        source="willkommen: spreadsheets (docs/howto/spreadsheets.md)",
        fix=fix,
        fix_de=fix_de,
    )


# How to fix each spreadsheet code, in English and German.
_SHEET_FIXES = {
    "sheet.unreadable": (
        "Save the file again as .xlsx, .ods or CSV UTF-8 (a folder with one file per sheet).",
        "Die Datei erneut als .xlsx, .ods oder CSV UTF-8 speichern (ein Ordner mit einer Datei je Blatt).",
    ),
    "sheet.unsafe": (
        "Save the data again from Excel or LibreOffice into a new file; do not use the file received.",
        "Die Daten aus Excel oder LibreOffice neu in eine neue Datei speichern; die erhaltene Datei nicht verwenden.",
    ),
    "sheet.too_large": (
        "Delete the empty rows and columns below and right of the data, or split the workbook.",
        "Leere Zeilen und Spalten unter und rechts der Daten löschen oder die Arbeitsmappe aufteilen.",
    ),
    "sheet.missing_sheet": (
        "Start from 'willkommen template' and keep its sheets and their names.",
        "Mit 'willkommen template' beginnen und dessen Blätter mit ihren Namen behalten.",
    ),
    "sheet.unknown_sheet": (
        "Rename the sheet to one the template has, or move its data there and delete it.",
        "Das Blatt wie eines der Vorlage benennen oder seine Daten dorthin verschieben und es löschen.",
    ),
    "sheet.unknown_column": (
        "Rename the heading to one the template has, or delete the column.",
        "Die Überschrift wie eine der Vorlage benennen oder die Spalte löschen.",
    ),
    "sheet.duplicate_column": (
        "Keep one of the two columns and delete the other.",
        "Eine der beiden Spalten behalten und die andere löschen.",
    ),
    "sheet.unknown_parent": (
        "Enter the id exactly as in the row it refers to (the alliance's or the partner's ID column).",
        (
            "Die ID genau wie in der Zeile eintragen, auf die sie verweist"
            " (ID-Spalte des Bündnisses oder Bündnispartners)."
        ),
    ),
    "sheet.duplicate_id": (
        "Give each alliance its own id, and change the rows of the other sheets to match.",
        "Jedem Bündnis eine eigene ID geben und die Zeilen der anderen Blätter entsprechend ändern.",
    ),
    "sheet.text_expected": (
        "Format the cell as text, then enter the value again (with its leading zeros).",
        "Die Zelle als Text formatieren und den Wert erneut eingeben (mit führenden Nullen).",
    ),
    "sheet.number_expected": (
        "Enter a number in a cell formatted as a number (in CSV: the file's decimal separator).",
        "Eine Zahl in eine als Zahl formatierte Zelle eingeben (in CSV: das Dezimalzeichen der Datei).",
    ),
    "sheet.whole_number_expected": (
        "Enter a whole number.",
        "Eine ganze Zahl eingeben.",
    ),
    "sheet.date_expected": (
        "Enter a date in a cell formatted as a date, or as YYYY-MM-DD.",
        "Ein Datum in eine als Datum formatierte Zelle eingeben oder als JJJJ-MM-TT.",
    ),
    "sheet.json_expected": (
        'Enter the value as JSON text, as the template\'s example shows (["a", "b"], {"key": 1}, "text").',
        'Den Wert als JSON-Text eingeben, wie im Beispiel der Vorlage (["a", "b"], {"key": 1}, "Text").',
    ),
}


SHEET_UNREADABLE = _sheet(
    "sheet.unreadable",
    "A file that is not a spreadsheet this library reads (XLSX, ODS, CSV), or is damaged.",
    "Eine Datei, die keine lesbare Tabelle (XLSX, ODS, CSV) oder beschädigt ist.",
    "not a readable spreadsheet: {reason}",
    "keine lesbare Tabelle: {reason_de}",
)
SHEET_UNSAFE = _sheet(
    "sheet.unsafe",
    "A spreadsheet built to harm its reader: a compression bomb, XML entities, links outside the file.",
    "Eine Tabelle, die dem Leser schaden soll: eine Kompressionsbombe, XML-Entitäten, Verweise nach außen.",
    "refused: {reason}",
    "abgelehnt: {reason_de}",
)
SHEET_TOO_LARGE = _sheet(
    "sheet.too_large",
    "A spreadsheet beyond the reading limits (file size, rows, columns, cells); reading stopped there.",
    "Eine Tabelle jenseits der Grenzen (Dateigröße, Zeilen, Spalten, Zellen); das Lesen endete dort.",
    "{what} exceeds the limit of {limit}; reading stopped here",
    "{what_de} überschreitet die Grenze von {limit}; das Lesen endete hier",
)
SHEET_MISSING = _sheet(
    "sheet.missing_sheet",
    "A sheet the data needs is not in the workbook.",
    "Ein Tabellenblatt, das die Daten brauchen, fehlt in der Arbeitsmappe.",
    "the workbook has no sheet {sheet}",
    "die Arbeitsmappe hat kein Tabellenblatt {sheet}",
)
SHEET_UNKNOWN = _sheet(
    "sheet.unknown_sheet",
    "A sheet the layout does not have; it is never ignored.",
    "Ein Tabellenblatt, das das Layout nicht kennt; es wird nie übergangen.",
    "unknown sheet {sheet}: expected one of {expected}",
    "unbekanntes Tabellenblatt {sheet}: erwartet: eines von {expected}",
)
SHEET_UNKNOWN_COLUMN = _sheet(
    "sheet.unknown_column",
    "A column heading the sheet does not have; its cells are never ignored.",
    "Eine Spaltenüberschrift, die das Blatt nicht kennt; ihre Zellen werden nie übergangen.",
    "unknown column {heading}: expected one of {expected}",
    "unbekannte Spalte {heading}: erwartet: eine von {expected}",
)
SHEET_DUPLICATE_COLUMN = _sheet(
    "sheet.duplicate_column",
    "Two columns of one sheet stand for the same field.",
    "Zwei Spalten eines Blatts stehen für dasselbe Feld.",
    "columns {first} and {second} both stand for {heading}",
    "die Spalten {first} und {second} stehen beide für {heading}",
)
SHEET_UNKNOWN_PARENT = _sheet(
    "sheet.unknown_parent",
    "A row names a parent (an alliance, a partner) that no row of its sheet has, or that two rows have.",
    "Eine Zeile nennt ein übergeordnetes Element (Bündnis, Bündnispartner),"
    " das in keiner oder in zwei Zeilen seines Blatts steht.",
    "{heading} {value} {reason} {sheet}",
    "{heading} {value} {reason_de} {sheet}",
)
SHEET_DUPLICATE_ID = _sheet(
    "sheet.duplicate_id",
    "Two rows of the main sheet have the same id: the rows of the other sheets cannot tell them apart.",
    "Zwei Zeilen des Hauptblatts haben dieselbe ID: die Zeilen der anderen Blätter können sie nicht unterscheiden.",
    "the id {value} is also in row {other}",
    "die ID {value} steht auch in Zeile {other}",
)
SHEET_TEXT_EXPECTED = _sheet(
    "sheet.text_expected",
    "A number or date where text is expected: a leading zero (as in an AGS) may be lost.",
    "Eine Zahl oder ein Datum, wo Text erwartet wird: eine führende Null (wie im AGS) geht dabei verloren.",
    "{value} is entered as a {got}, not as text: a leading zero is lost that way;"
    " format the cell as text and enter it again",
    "{value} ist als {got_de} eingegeben, nicht als Text: eine führende Null geht so verloren;"
    " Zelle als Text formatieren und neu eingeben",
)
SHEET_NUMBER_EXPECTED = _sheet(
    "sheet.number_expected",
    "Text or a date where a number is expected (33,3 typed as text).",
    "Text oder ein Datum, wo eine Zahl erwartet wird (33,3 als Text eingegeben).",
    "{value} is not a number{hint}",
    "{value} ist keine Zahl{hint_de}",
)
SHEET_WHOLE_NUMBER_EXPECTED = _sheet(
    "sheet.whole_number_expected",
    "A fraction where a whole number is expected (12.5 participants).",
    "Ein Bruch, wo eine ganze Zahl erwartet wird (12,5 Teilnehmende).",
    "{value} is not a whole number",
    "{value} ist keine ganze Zahl",
)
SHEET_DATE_EXPECTED = _sheet(
    "sheet.date_expected",
    "Text or a number where a date is expected (26.09.2017 typed as text).",
    "Text oder eine Zahl, wo ein Datum erwartet wird (26.09.2017 als Text eingegeben).",
    "{value} is not a date{hint}",
    "{value} ist kein Datum{hint_de}",
)
SHEET_JSON_EXPECTED = _sheet(
    "sheet.json_expected",
    "A cell that holds a whole value as JSON text (a mapping, a fixed-length list, a nested tree) is not JSON.",
    "Eine Zelle, die einen ganzen Wert als JSON-Text enthält (eine Zuordnung, eine feste Liste, einen Baum),"
    " ist kein JSON.",
    "{value} is not JSON text{hint}",
    "{value} ist kein JSON-Text{hint_de}",
)

SHEET_CODES: tuple[Rule, ...] = (
    SHEET_UNREADABLE,
    SHEET_UNSAFE,
    SHEET_TOO_LARGE,
    SHEET_MISSING,
    SHEET_UNKNOWN,
    SHEET_UNKNOWN_COLUMN,
    SHEET_DUPLICATE_COLUMN,
    SHEET_UNKNOWN_PARENT,
    SHEET_DUPLICATE_ID,
    SHEET_TEXT_EXPECTED,
    SHEET_NUMBER_EXPECTED,
    SHEET_WHOLE_NUMBER_EXPECTED,
    SHEET_DATE_EXPECTED,
    SHEET_JSON_EXPECTED,
)

STRUCTURAL_CODES: tuple[Rule, ...] = (
    TYPE,
    MISSING,
    UNKNOWN_KEY,
    INVALID_VALUE,
    INVALID_DATE,
    DUPLICATE_KEY,
    INVALID_JSON,
    TOO_MANY_PROBLEMS,
    CYCLE,
    UNREADABLE_FILE,
    FILE_TOO_LARGE,
    DUPLICATE_ALLIANCE_ID,
    *SHEET_CODES,
    SCHEMA_OUTDATED,
    MIGRATION_CONFLICT,
    MIGRATION_ASSUMED,
)
