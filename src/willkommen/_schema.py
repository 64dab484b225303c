"""The JSON Schema (Draft 2020-12) of the data format, generated from the model.

The schema is derived from the type plan of each class (``_plan.py``), the
one reading of the annotations that the reader, the writer and the
construction checks share, so it follows the model without a hand-written
copy: one ``$defs`` entry per model class and code list, ``additionalProperties:
false`` on every object, required keys for fields without a default,
``"format": "date"`` for dates and ``"format": "date-time"`` with a required
offset for date-times, exact values for code lists and ``Literal`` (their JSON
type follows the values: an ``IntEnum`` is an integer), ``prefixItems`` for
fixed-length tuples, ``uniqueItems`` for frozensets, ``additionalProperties``
for mappings, and the tagged subclasses registered when :func:`json_schema`
runs (import your extension modules first).

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

import enum
import itertools
import re
from collections.abc import Iterable
from typing import Any, assert_never

from willkommen._enums import LabelledEnum
from willkommen._migrate import SCHEMA_VERSION
from willkommen._model import Alliance
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
    ShapeCheck,
    class_plan,
)
from willkommen._programs import programs
from willkommen._strict import _DATE_TIME as DATE_TIME
from willkommen._tags import TAG_KEY, tag_of, tagged_classes

JSONSchema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The JSON type of each leaf of the plan: Decimal hours are JSON numbers.
_SCALARS: dict[ScalarKind, JSONSchema] = {
    ScalarKind.STR: {"type": "string"},
    ScalarKind.INT: {"type": "integer"},
    ScalarKind.BOOL: {"type": "boolean"},
    ScalarKind.FLOAT: {"type": "number"},
    ScalarKind.DECIMAL: {"type": "number"},
    # The reader takes calendar dates YYYY-MM-DD only (see _converter._CALENDAR_DATE);
    # "format" alone is an annotation that many validators do not assert.
    ScalarKind.DATE: {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    # RFC 3339 with a required offset or Z: a naive date and time is refused, as the reader refuses it.
    ScalarKind.DATETIME: {"type": "string", "format": "date-time", "pattern": f"^(?:{DATE_TIME.pattern})$"},
}
_NULL: JSONSchema = {"type": "null"}

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


def _shape_variants(shape: ShapeCheck, *, exempt: bool) -> list[JSONSchema]:
    """The combinations of present and absent fields a class's shape check allows, from the check itself."""
    names = [name for group in shape.groups for name in group]
    variants = []
    for presence in itertools.product((True, False), repeat=len(names)):
        present = dict(zip(names, presence, strict=True))
        if shape.error(present.__getitem__, exempt=exempt) is not None:
            continue
        variant: JSONSchema = {"properties": {}, "required": []}
        for name, there in present.items():
            # The reader treats null like an absent key (data.get(name) is not None).
            if there:
                variant["required"].append(name)
                variant["properties"][name] = {"not": {"type": "null"}}
            else:
                variant["properties"][name] = {"type": "null"}
        variants.append(variant)
    return variants


def _shape_schema(shape: ShapeCheck) -> JSONSchema:
    """What a class's shape check asks of an object: one allowed combination, or none where it is exempt."""
    if shape.unless is None:
        return {"oneOf": _shape_variants(shape, exempt=False)}
    name, value = shape.unless
    written = value.value if isinstance(value, enum.Enum) else value
    return {
        "if": {"properties": {name: {"const": written}}, "required": [name]},
        "then": {"oneOf": _shape_variants(shape, exempt=True)},
        "else": {"oneOf": _shape_variants(shape, exempt=False)},
    }


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

    def node(self, node: Node) -> JSONSchema:  # noqa: PLR0911 - one answer per kind of node
        """The schema of one node of a type plan."""
        match node:
            case ScalarNode(kind=kind):
                return dict(_SCALARS[kind])
            case ChoiceNode(enum=codes, values=values):
                # A code list is a definition of its own (with its labels); a Literal is its values in place.
                return {"type": _json_type(values), "enum": list(values)} if codes is None else self.ref(codes)
            case OptionalNode(inner=inner):
                return {"anyOf": [self.node(inner), dict(_NULL)]}
            case SequenceNode(item=item, unique=unique):
                array: JSONSchema = {"type": "array", "items": self.node(item)}
                if unique:
                    # The reader refuses repeats rather than drop them.
                    array["uniqueItems"] = True
                return array
            case FixedTupleNode(items=items):
                return {
                    "type": "array",
                    "prefixItems": [self.node(item) for item in items],
                    "minItems": len(items),
                    "maxItems": len(items),
                }
            case MappingNode(value=value):
                # JSON object keys are strings, as the plan's mapping keys are.
                return {"type": "object", "additionalProperties": self.node(value)}
            case ModelNode(cls=cls):
                return self.expected(cls)
            case _:  # pragma: no cover - every kind of node is above
                assert_never(node)

    def enum_schema(self, cls: type[enum.Enum]) -> JSONSchema:
        """A code list: its values, with the German labels in the description; the JSON type follows the values."""
        values = [member.value for member in cls]
        return {"type": _json_type(values), "description": _summary(cls) + _labels_de(cls), "enum": values}

    def object_schema(self, cls: type, extra: JSONSchema | None = None) -> JSONSchema:
        """A model class as a closed JSON object; *extra* adds properties in front (``schema_version``)."""
        properties: JSONSchema = dict(extra or {})
        required = list(properties)
        tag = tag_of(cls)
        if tag is not None:
            properties[TAG_KEY] = {"const": tag}
        for field in class_plan(cls).fields:
            if not field.init:
                continue
            properties[field.name] = self.node(field.node)
            if issubclass(cls, Alliance) and field.name == "program" and properties[field.name] == {"type": "string"}:
                # The reader refuses a program that is not registered (invalid_value).
                properties[field.name]["enum"] = [program.id for program in programs()]
            if field.required:
                required.append(field.name)
        schema: JSONSchema = {
            "type": "object",
            "description": _summary(cls),
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        plan = class_plan(cls)
        if plan.shape_check is not None:
            # A held offering has a date, or a start and an end; a planned one may have none (see ``Offering``).
            schema.update(_shape_schema(plan.shape_check))
        return schema


def _json_type(values: Iterable[object]) -> str | list[str]:
    """The JSON type of exact values (strings and integers only, as the plan allows): one name, or a list."""
    names = sorted({"integer" if isinstance(value, int) else "string" for value in values})
    return names[0] if len(names) == 1 else names


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
