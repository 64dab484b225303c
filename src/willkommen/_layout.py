"""The layout of alliances in a workbook, derived from the model's classes.

The one place that knows which sheet and column a field goes to: writing,
reading, the template and the docs all take it from :func:`layout`.

- The alliance is one row of the main sheet.
- A single nested object (coaching, agreement, an NRW target group) is
  flattened into the row of its owner, under headings that name the path
  (``Prozessbegleitung: Coach: Name``): one row per alliance stays one row.
- Every list of objects has its own sheet, each row keyed by the alliance's
  id and, below the first level, by its parent's id (a partner's contacts)
  or, for a parent without an id, by the parent's number (``Nr.``).
- A list of plain values (themes, a measure's goals) is one cell, joined
  with ``; ``.
- Where tagged subclasses may stand (``willkommen.tagged``), a ``$type``
  column names them, and the sheet has the columns of all of them.
- A value with no cell form of its own is one cell of JSON text: a mapping
  (``dict[str, X]``), a fixed-length tuple, a list of lists or of optional
  values, a ``Literal`` mixing strings and integers, and a class inside
  itself (a tree), whose sheets would never end. Nothing is left out, and
  no class a user registers can make the workbook of another impossible.
- A date and time is text (ISO 8601 with its offset): a spreadsheet's own
  date-times have no time zone, so they could not say which moment is meant.

The layout comes from the type plan of each class (``_plan.py``) only, so a
subclass or an extension (``willkommen.nrw``) needs no code here; only its
headings fall back to field names unless the table below knows them.
"""

import enum
import functools
from typing import Any, Literal, assert_never

import attrs

from willkommen._errors import LayoutError
from willkommen._plan import (
    ChoiceNode,
    FixedTupleNode,
    MappingNode,
    ModelNode,
    Node,
    OptionalNode,
    ScalarKind,
    ScalarNode,
    SequenceNode,
    UnsupportedType,
    class_plan,
    model_classes,
)
from willkommen._tags import TAG_KEY, tag_of, tagged_classes

Kind = Literal["text", "integer", "number", "decimal", "date", "code", "boolean", "json"]
Lang = Literal["en", "de"]

#: Separator of a list of plain values in one cell.
LIST_SEPARATOR = "; "

# Headings (English, German) by field name: one name means one thing across the model.
_LABELS: dict[str, tuple[str, str]] = {
    "id": ("ID", "ID"),
    "name": ("Name", "Name"),
    "program": ("Program", "Programm"),
    "municipalities": ("Municipalities", "Kommunen"),
    "local_authorities": ("Local authorities", "Kommunen"),
    "origin": ("Origin", "Entstehung"),
    "founded_on": ("Founded on", "Gegründet am"),
    "partners": ("Partners", "Partner"),
    "lead": ("Lead partner", "Federführung"),
    "goals": ("Goals", "Ziele"),
    "measures": ("Measures", "Maßnahmen"),
    "offerings": ("Offerings", "Angebote"),
    "coaching": ("Coaching", "Prozessbegleitung"),
    "agreement": ("Agreement", "Kooperationsvereinbarung"),
    "consultations": ("Consultations", "Erstgespräche"),
    "kind": ("Kind", "Art"),
    "state": ("State", "Bundesland"),
    "ags": ("AGS", "AGS"),
    "organisation": ("Organisation", "Organisation"),
    "contacts": ("Contacts", "Kontakte"),
    "role": ("Role", "Funktion"),
    "title": ("Title", "Titel"),
    "description": ("Description", "Beschreibung"),
    "themes": ("Themes", "Themen"),
    "horizon": ("Horizon", "Zeithorizont"),
    "status": ("Status", "Status"),
    "type": ("Type", "Art"),
    "date": ("Date", "Datum"),
    "start": ("Start", "Beginn"),
    "end": ("End", "Ende"),
    "participants": ("Participants", "Teilnehmende"),
    "coach": ("Coach", "Coach"),
    "hours_budget": ("Hours budget", "Stundenbudget"),
    "tasks": ("Tasks", "Aufgaben"),
    "sessions": ("Coaching sessions", "Termine"),
    "hours": ("Hours", "Stunden"),
    "task": ("Task", "Aufgabe"),
    "note": ("Note", "Notiz"),
    "signed_on": ("Signed on", "Unterzeichnet am"),
    "signatories": ("Signatories", "Unterzeichnende"),
    "office": ("Service office", "Servicebüro"),
    "notes": ("Notes", "Notizen"),
    # The NRW initiative (willkommen.nrw).
    "coordinating_office": ("Coordinating office", "Geschäftsführende Stelle"),
    "target_group": ("Target group", "Zielgruppe"),
    "age_min": ("Age from", "Alter ab"),
    "age_max_exclusive": ("Age under", "Alter unter"),
    "residence_statuses": ("Residence statuses", "Aufenthaltsstatus"),
    "focus_statuses": ("Focus statuses", "Schwerpunkt Aufenthaltsstatus"),
    "count": ("Count", "Anzahl"),
}
# One row of a list's sheet, for the heading of the column that refers to it ("Partner-ID").
_SINGULAR: dict[str, tuple[str, str]] = {
    "partners": ("Partner", "Partner"),
    "goals": ("Goal", "Ziel"),
    "measures": ("Measure", "Maßnahme"),
    "offerings": ("Offering", "Angebot"),
    "municipalities": ("Municipality", "Kommune"),
    "local_authorities": ("Local authority", "Kommune"),
    "consultations": ("Consultation", "Erstgespräch"),
    "contacts": ("Contact", "Kontakt"),
    "sessions": ("Session", "Termin"),
    "signatories": ("Signatory", "Unterzeichnende"),
}
_ROOT_TITLE = ("Alliances", "Bündnisse")
_ROOT_SINGULAR = ("Alliance", "Bündnis")
_INFO_TITLE = ("Info", "Info")
_LISTS_TITLE = ("Code lists", "Auswahllisten")
_NUMBER = ("No.", "Nr.")
# Excel's rules for a sheet name: at most 31 characters, none of these.
_SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = frozenset("[]:*?/\\")


def label(name: str) -> tuple[str, str]:
    """The English and German heading of a field."""
    return _LABELS.get(name, (name, name))


def code_label(member: enum.Enum, lang: Lang) -> str:
    """How a code-list value is written: its German label, or the code itself in English."""
    if lang == "de":
        return str(getattr(member, "label_de", member.value))
    return str(member.value)


@functools.cache
def code_lookup(codes: type[enum.Enum]) -> dict[str, object]:
    """Every text a cell may hold for a member of *codes*, folded, with the member's code.

    The code, the German label and the English label (the code with spaces,
    ``youth office``) are all accepted; a text two members share is left out,
    so it is never guessed.
    """
    seen: dict[str, set[object]] = {}
    for member in codes:
        texts = {str(member.value), str(member.value).replace("_", " "), str(getattr(member, "label_de", ""))}
        for text in texts:
            if text:
                seen.setdefault(fold(text), set()).add(member.value)
    return {text: next(iter(values)) for text, values in seen.items() if len(values) == 1}


def fold(text: str) -> str:
    """*text* as compared for headings and labels: case and runs of blanks do not count."""
    return " ".join(text.split()).casefold()


@attrs.frozen
class Column:
    """One column of a sheet: a field (``path`` from the row's object) or a reference to a parent row.

    ``role`` is ``"field"`` for a value, ``"tag"`` for ``$type``, ``"key"``
    for a column that names the parent row (its id or number), ``"number"``
    for the row's own number below its parent (only where a child sheet
    needs to refer to rows without an id).
    """

    path: tuple[str, ...]
    kind: Kind
    heading_en: str
    heading_de: str
    role: Literal["field", "tag", "key", "number"] = "field"
    codes: type[enum.Enum] | None = None
    joined: bool = False
    optional: bool = True

    def heading(self, lang: Lang) -> str:
        """The heading in *lang*."""
        return self.heading_de if lang == "de" else self.heading_en

    @property
    def name(self) -> str:
        """The field path with dots (``coaching.coach.name``), which the reader also accepts as heading."""
        return ".".join(self.path)


@attrs.frozen
class Sheet:
    """One sheet: the rows of one list of objects (or the alliances), and its columns.

    ``path`` leads from the parent sheet's row object to the list (through
    single nested objects: ``("coaching", "sessions")``); ``parent`` is the
    index of the parent sheet in :attr:`Layout.sheets` (None for the main sheet).
    """

    key: str
    title_en: str
    title_de: str
    path: tuple[str, ...]
    parent: int | None
    columns: tuple[Column, ...]
    base: type
    required: bool = False

    def title(self, lang: Lang) -> str:
        """The sheet's name in *lang*."""
        return self.title_de if lang == "de" else self.title_en

    @property
    def keys(self) -> tuple[Column, ...]:
        """The columns that refer to the parent row, outermost first."""
        return tuple(c for c in self.columns if c.role == "key")

    @property
    def number(self) -> Column | None:
        """The column with the row's own number below its parent, if child sheets need it."""
        return next((c for c in self.columns if c.role == "number"), None)


@attrs.frozen
class Layout:
    """All sheets of a workbook of *root* objects; the main sheet comes first."""

    root: type
    sheets: tuple[Sheet, ...]
    info_en: str = _INFO_TITLE[0]
    info_de: str = _INFO_TITLE[1]
    lists_en: str = _LISTS_TITLE[0]
    lists_de: str = _LISTS_TITLE[1]

    def info(self, lang: Lang) -> str:
        """The name of the sheet that records ``schema_version``."""
        return self.info_de if lang == "de" else self.info_en

    def lists(self, lang: Lang) -> str:
        """The name of the sheet that holds the code lists for the drop-downs (written, never read)."""
        return self.lists_de if lang == "de" else self.lists_en

    def children(self, index: int) -> tuple[int, ...]:
        """The sheets whose rows belong to rows of sheet *index*."""
        return tuple(i for i, sheet in enumerate(self.sheets) if sheet.parent == index)


def _classes(base: type) -> list[type]:
    """*base* and every tagged class that may stand where it is expected, base first.

    A tagged class the type plan refuses (a field of an unsupported type, in
    it or in a class it holds) has no columns: the workbooks of everyone else
    stay readable, and a row that names its tag fails as its JSON document
    would, naming the field.
    """
    return [base, *(cls for cls in tagged_classes(base).values() if cls is not base and _planned(cls))]


def _planned(cls: type) -> bool:
    """Whether the type plan takes *cls* and every model class it can hold."""
    seen: set[type] = set()
    waiting = [cls]
    try:
        while waiting:
            current = waiting.pop()
            if current in seen:
                continue
            seen.add(current)
            for field in class_plan(current).fields:
                waiting.extend(model_classes(field.node))
    except UnsupportedType:
        return False
    return True


# The cell kind of each leaf of the plan. A date and time is text: see the module's docstring.
_LEAF_KINDS: dict[ScalarKind, Kind] = {
    ScalarKind.STR: "text",
    ScalarKind.INT: "integer",
    ScalarKind.FLOAT: "number",
    ScalarKind.DECIMAL: "decimal",
    ScalarKind.BOOL: "boolean",
    ScalarKind.DATE: "date",
    ScalarKind.DATETIME: "text",
}


def leaf_kind(node: Node) -> tuple[Kind, type[enum.Enum] | None] | None:
    """The cell kind of a plain value, and its code list if it has one; None if *node* is no plain value.

    A ``Literal`` of strings is text, of integers an integer: the reader
    refuses any other value. One mixing both has no kind a cell could tell
    apart ("1" or 1), so it is JSON text (None here).
    """
    match node:
        case ScalarNode(kind=kind):
            return _LEAF_KINDS[kind], None
        case ChoiceNode(enum=None, values=values):
            if all(isinstance(value, str) for value in values):
                return "text", None
            if all(isinstance(value, int) for value in values):
                return "integer", None
            return None
        case ChoiceNode(enum=codes):
            return "code", codes
        case _:
            return None


def _joined_headings(prefix: tuple[tuple[str, str], ...], name: str) -> tuple[str, str]:
    en, de = label(name)
    return ": ".join([*(p[0] for p in prefix), en]), ": ".join([*(p[1] for p in prefix), de])


class _Builder:
    def __init__(self, root: type) -> None:
        self.root = root
        self.sheets: list[dict[str, Any]] = []

    def sheet(  # noqa: PLR0913 - where the sheet stands and what it holds
        self,
        base: type,
        *,
        key: str,
        path: tuple[str, ...],
        parent: int | None,
        titles: tuple[str, str],
        within: frozenset[type] = frozenset(),
    ) -> int:
        index = len(self.sheets)
        entry: dict[str, Any] = {
            "key": key,
            "titles": titles,
            "path": path,
            "parent": parent,
            "base": base,
            "columns": [],
            "required": False,
        }
        self.sheets.append(entry)
        classes = _classes(base)
        if len(classes) > 1 or tag_of(base) is not None:
            entry["columns"].append(Column((TAG_KEY,), "text", TAG_KEY, TAG_KEY, role="tag"))
        self.fields(index, classes, (), (), within | set(classes))
        return index

    def fields(
        self,
        index: int,
        classes: list[type],
        prefix: tuple[str, ...],
        headings: tuple[tuple[str, str], ...],
        within: frozenset[type],
    ) -> None:
        seen: set[str] = set()
        for cls in classes:
            for field in class_plan(cls).fields:
                if field.name in seen:
                    continue
                seen.add(field.name)
                self.field(index, field.name, field.node, prefix, headings, optional=not field.required, within=within)

    def field(  # noqa: PLR0913 - where the field stands and what it is
        self,
        index: int,
        name: str,
        node: Node,
        prefix: tuple[str, ...],
        headings: tuple[tuple[str, str], ...],
        *,
        optional: bool,
        within: frozenset[type],
    ) -> None:
        """The columns (or the child sheet) of one field; *within* are the classes this row is already inside."""
        entry = self.sheets[index]
        path = (*prefix, name)
        if isinstance(node, OptionalNode):
            node, optional = node.inner, True
        en, de = _joined_headings(headings, name)
        leaf = leaf_kind(node)
        if leaf is not None:
            entry["columns"].append(Column(path, leaf[0], en, de, codes=leaf[1], optional=optional))
            return
        match node:
            case SequenceNode(item=item) if (item_leaf := leaf_kind(item)) is not None:
                entry["columns"].append(Column(path, item_leaf[0], en, de, codes=item_leaf[1], joined=True))
                return
            case SequenceNode(item=ModelNode(cls=item)) if item not in within:
                key = ".".join([entry["key"], *path] if entry["key"] else path)
                child = self.sheet(item, key=key, path=path, parent=index, titles=label(name), within=within)
                # A required list with no rows is an empty list, not a missing key.
                self.sheets[child]["required"] = not optional and not prefix
                return
            case ModelNode(cls=cls) if cls not in within:
                classes = _classes(cls)
                nested = (*headings, label(name))
                if len(classes) > 1 or tag_of(cls) is not None:
                    tag_en, tag_de = _joined_headings(nested, TAG_KEY)
                    entry["columns"].append(Column((*path, TAG_KEY), "text", tag_en, tag_de, role="tag"))
                self.fields(index, classes, path, nested, within | set(classes))
                return
            case (
                SequenceNode()
                | FixedTupleNode()
                | MappingNode()
                | ModelNode()
                | ChoiceNode()
                | ScalarNode()
                | OptionalNode()
            ):
                # No cell form of its own (or a class inside itself): the value as JSON text in one cell.
                entry["columns"].append(Column(path, "json", en, de, optional=optional))
            case _:  # pragma: no cover - every kind of node is above
                assert_never(node)


def _has_id(cls: type) -> bool:
    return any(field.name == "id" and field.node == ScalarNode(ScalarKind.STR) for field in class_plan(cls).fields)


def _key_columns(raw: list[dict[str, Any]], index: int) -> list[Column]:
    """The columns of sheet *index* that name its parent rows: the alliance id, then each level's id or number."""
    entry = raw[index]
    chain: list[int] = []
    parent = entry["parent"]
    while parent is not None:
        chain.insert(0, parent)
        parent = raw[parent]["parent"]
    columns: list[Column] = []
    for level in chain:
        ancestor = raw[level]
        if ancestor["parent"] is None:
            en, de = _ROOT_SINGULAR
            columns.append(Column((f"{ancestor['base'].__name__.lower()}_id",), "text", f"{en} ID", f"{de}-ID", "key"))
            continue
        name = ancestor["path"][-1]
        en, de = _SINGULAR.get(name, label(name))
        if _has_id(ancestor["base"]):
            columns.append(Column((f"{ancestor['key']}.id",), "text", f"{en} ID", f"{de}-ID", "key"))
        else:
            columns.append(
                Column((f"{ancestor['key']}.no",), "integer", f"{en} {_NUMBER[0]}", f"{de} {_NUMBER[1]}", "key")
            )
    return columns


def _check_names(sheets: list[Sheet]) -> None:
    for lang in ("en", "de"):
        titles = [sheet.title(lang) for sheet in sheets] + [_INFO_TITLE[lang == "de"], _LISTS_TITLE[lang == "de"]]
        for title in titles:
            if len(title) > _SHEET_NAME_LIMIT or _SHEET_NAME_FORBIDDEN.intersection(title):
                msg = f"the sheet name {title!r} is not one a spreadsheet application allows"
                raise LayoutError(msg)
        if len({fold(t) for t in titles}) != len(titles):
            msg = f"two sheets have the same name in {lang}: {titles}"
            raise LayoutError(msg)
        for sheet in sheets:
            headings = [fold(c.heading(lang)) for c in sheet.columns]
            if len(set(headings)) != len(headings):
                msg = f"two columns of the sheet {sheet.title(lang)!r} have the same heading in {lang}"
                raise LayoutError(msg)


@functools.cache
def _layout(root: type, generation: int) -> Layout:
    del generation  # part of the cache key only: a new tag may add columns
    builder = _Builder(root)
    builder.sheet(root, key="", path=(), parent=None, titles=_ROOT_TITLE)
    raw = builder.sheets
    parents = {entry["parent"] for entry in raw if entry["parent"] is not None}
    sheets: list[Sheet] = []
    for index, entry in enumerate(raw):
        columns = _key_columns(raw, index)
        if index in parents and entry["parent"] is not None and not _has_id(entry["base"]):
            columns.append(Column(("no",), "integer", _NUMBER[0], _NUMBER[1], "number"))
        titles = entry["titles"]
        if any((s.title_en, s.title_de) == titles for s in sheets):
            # The same list name at two places: name the sheet after its owner too.
            owner = raw[entry["parent"]]["titles"]
            titles = (f"{owner[0]} {titles[0]}", f"{owner[1]} {titles[1]}")
        sheets.append(
            Sheet(
                key=entry["key"] or "alliances",
                title_en=titles[0],
                title_de=titles[1],
                path=entry["path"],
                parent=entry["parent"],
                columns=(*columns, *entry["columns"]),
                base=entry["base"],
                required=entry["required"],
            )
        )
    _check_names(sheets)
    return Layout(root, tuple(sheets))


def layout(root: type) -> Layout:
    """The layout of a workbook of *root* objects (an alliance class), with every tagged subclass."""
    from willkommen._tags import generation  # noqa: PLC0415 - read at each call, the registry changes

    return _layout(root, generation())
