"""The JSON Schema (Draft 2020-12) of the data format, generated from the model.

The schema is derived from the attrs classes and their type hints, so it
follows the model without a hand-written copy: one ``$defs`` entry per model
class and code list, ``additionalProperties: false`` everywhere, required keys
for fields without a default, ``"format": "date"`` for dates, and the tagged
subclasses registered when :func:`json_schema` runs (import your extension
modules first).

It describes the *shape* of a document only. What it cannot say, the reader
and the rules still check: program logic (too few partners, dates outside the
runtime, ...), repeated keys in one object (JSON Schema sees parsed data),
hours that a float cannot hold exactly (more than 15 significant digits:
they would not come back the same), integers longer than Python's int/str
limit of 4,300 digits (they could never be written as JSON text Python reads),
strings with a lone surrogate (UTF-8 cannot encode them), and that an integer
field refuses ``1.0`` (JSON Schema counts ``1.0`` as an integer; the reader
does not). ``tests/test_schema_differential.py`` holds the two to that list.
The ``program`` of an alliance is one of the programs registered when
:func:`json_schema` runs, as the reader's registry is (register yours first).
"""

import datetime as dt
import enum
import itertools
import re
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from willkommen._enums import LabelledEnum
from willkommen._migrate import SCHEMA_VERSION
from willkommen._model import Alliance, Offering, offering_dates_error
from willkommen._programs import programs
from willkommen._tags import TAG_KEY, tag_of, tagged_classes

JSONSchema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The JSON type of each scalar annotation: Decimal hours are JSON numbers.
_SCALARS: dict[Any, JSONSchema] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    float: {"type": "number"},
    Decimal: {"type": "number"},
    # The reader takes calendar dates YYYY-MM-DD only (see _converter._CALENDAR_DATE);
    # "format" alone is an annotation that many validators do not assert.
    dt.date: {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    type(None): {"type": "null"},
}

# $defs names become part of a JSON Pointer in "$ref": keep them to plain characters.
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _summary(cls: type) -> str:
    """The first line of a class's docstring, the description of its schema."""
    doc = cls.__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else cls.__name__


def _labels_de(cls: type[enum.Enum]) -> str:
    # LabelledEnum members carry a German label; a plain Enum of a user's has none.
    labels = [f"{member.value} = {member.label_de}" for member in cls if isinstance(member, LabelledEnum)]
    return f" German labels: {'; '.join(labels)}." if labels else ""


def _offering_dates(*, planned: bool) -> list[JSONSchema]:
    """The allowed combinations of ``date``, ``start`` and ``end``, from the model's own check."""
    variants = []
    for has_date, has_start, has_end in itertools.product((True, False), repeat=3):
        if offering_dates_error(has_date=has_date, has_start=has_start, has_end=has_end, planned=planned) is not None:
            continue
        shown = {"date": has_date, "start": has_start, "end": has_end}
        variant: JSONSchema = {"properties": {}, "required": []}
        for name, present in shown.items():
            # The reader treats null like an absent key (data.get(name) is not None).
            if present:
                variant["required"].append(name)
                variant["properties"][name] = {"not": {"type": "null"}}
            else:
                variant["properties"][name] = {"type": "null"}
        variants.append(variant)
    return variants


class _Builder:
    """Walks the model from one class, collecting a ``$defs`` entry per class reached."""

    def __init__(self) -> None:
        self.defs: JSONSchema = {}
        self._names: dict[type, str] = {}

    def name(self, cls: type) -> str:
        """The ``$defs`` key of *cls*: its name, or its full path if another class took the name."""
        if cls not in self._names:
            name = cls.__name__
            if name in self._names.values():
                name = _UNSAFE.sub("_", f"{cls.__module__}.{cls.__qualname__}")
            self._names[cls] = name
        return self._names[cls]

    def ref(self, cls: type) -> JSONSchema:
        """A reference to the definition of *cls*, made on first use."""
        name = self.name(cls)
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder, so that a class that contains itself ends
            self.defs[name] = self.enum_schema(cls) if issubclass(cls, enum.Enum) else self.object_schema(cls)
        return {"$ref": f"#/$defs/{name}"}

    def expected(self, cls: type) -> JSONSchema:
        """What may stand where *cls* is declared: *cls*, or a tagged subclass that says its tag."""
        others = [sub for sub in tagged_classes(cls).values() if sub is not cls]
        if not others:
            return self.ref(cls)
        # Without "$type" an object is the declared class (whose schema allows
        # "$type" only if it is tagged itself); a subclass must name its tag.
        return {"anyOf": [self.ref(cls), *({**self.ref(sub), "required": [TAG_KEY]} for sub in others)]}

    def annotation(self, tp: Any) -> JSONSchema:
        """The schema of one type annotation."""
        if tp in _SCALARS:
            return dict(_SCALARS[tp])
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self.ref(tp)
        if isinstance(tp, type) and attrs.has(tp):
            return self.expected(tp)
        origin = typing.get_origin(tp)
        arguments = typing.get_args(tp)
        if origin in (types.UnionType, typing.Union):
            return {"anyOf": [self.annotation(argument) for argument in arguments]}
        return self.collection(origin, arguments) or {"$comment": f"not described by willkommen: {tp!r}"}

    def collection(self, origin: Any, arguments: tuple[Any, ...]) -> JSONSchema | None:
        """An array schema for ``tuple[X, ...]``, ``list[X]`` or ``frozenset[X]``; None for anything else.

        Anything else has no strict hook in the reader either; the caller says so and accepts anything.
        """
        if origin is list or (origin is tuple and arguments[1:] == (Ellipsis,)):
            return {"type": "array", "items": self.annotation(arguments[0])}
        if origin is frozenset:
            # The reader refuses repeats rather than drop them.
            return {"type": "array", "items": self.annotation(arguments[0]), "uniqueItems": True}
        return None

    def enum_schema(self, cls: type[enum.Enum]) -> JSONSchema:
        """A code list: its values, with the German labels in the description."""
        return {
            "type": "string",
            "description": _summary(cls) + _labels_de(cls),
            "enum": [member.value for member in cls],
        }

    def object_schema(self, cls: type, extra: JSONSchema | None = None) -> JSONSchema:
        """A model class as a closed JSON object; *extra* adds properties in front (``schema_version``)."""
        hints = typing.get_type_hints(cls)
        properties: JSONSchema = dict(extra or {})
        required = list(properties)
        tag = tag_of(cls)
        if tag is not None:
            properties[TAG_KEY] = {"const": tag}
        for field in attrs.fields(cls):
            properties[field.name] = self.annotation(hints.get(field.name, field.type))
            if issubclass(cls, Alliance) and field.name == "program" and properties[field.name] == {"type": "string"}:
                # The reader refuses a program that is not registered (invalid_value).
                properties[field.name]["enum"] = [program.id for program in programs()]
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema: JSONSchema = {
            "type": "object",
            "description": _summary(cls),
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if issubclass(cls, Offering):
            # A held offering has a date, or a start and an end; a planned one may have none (see ``Offering``).
            schema["if"] = {"properties": {"status": {"const": "planned"}}, "required": ["status"]}
            schema["then"] = {"oneOf": _offering_dates(planned=True)}
            schema["else"] = {"oneOf": _offering_dates(planned=False)}
        return schema


def json_schema(cls: type = Alliance) -> JSONSchema:
    """The JSON Schema (Draft 2020-12) of a document holding a *cls* (an alliance by default).

    Generated from the model and the tags registered now: import extension
    modules first so that their subclasses are in it. Where a class is
    expected, a tagged subclass may stand if it names its tag under ``"$type"``.
    The document's top object also carries ``"schema_version": 2``.
    """
    builder = _Builder()
    version = {"schema_version": {"const": SCHEMA_VERSION, "type": "integer"}}
    variants = [cls, *(sub for sub in tagged_classes(cls).values() if sub is not cls)]
    documents = []
    for variant in variants:
        document = builder.object_schema(variant, extra=version)
        if variant is not cls:
            document["required"].append(TAG_KEY)
        documents.append(document)
    top: JSONSchema = {
        "$schema": DIALECT,
        "title": f"willkommen {cls.__name__} document, schema_version {SCHEMA_VERSION}",
        "description": f"{_summary(cls)} Generated by willkommen from its model; do not edit.",
    }
    if len(documents) == 1:
        (document,) = documents
        top.update({key: value for key, value in document.items() if key != "description"})
    else:
        top["anyOf"] = documents
    if builder.defs:
        top["$defs"] = builder.defs
    return top
