"""Declared type tags, so a document can say which subclass it holds.

A tag is a name a class declares (``@tagged("nrw-alliance")``), written
under the key ``$type``. Reading looks tags up in this registry only: no
class is ever imported or named because data says so.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from willkommen._errors import WillkommenError

_T = TypeVar("_T")

#: The key under which a document or nested object names its class's tag.
TAG_KEY = "$type"

_CLASS_OF: dict[str, type] = {}
_TAG_OF: dict[type, str] = {}
# Bumped on every registration, so that a converter built before knows it is stale.
_generation = 0


class TagError(WillkommenError):
    """A tag that is not a usable name, or taken by another class."""


def register_tag(cls: type, tag: str) -> None:
    """Declare *tag* as the name of model class *cls* in data."""
    global _generation  # noqa: PLW0603 - the registry's change counter
    if not attrs.has(cls):
        msg = f"{cls.__qualname__} is not a model class"
        raise TagError(msg)
    if not isinstance(tag, str) or not tag or tag != tag.strip():
        msg = f"a tag is a non-empty name without surrounding blanks, not {tag!r}"
        raise TagError(msg)
    owner = _CLASS_OF.get(tag)
    if owner is not None and owner is not cls:
        msg = f"the tag {tag!r} belongs to {owner.__module__}.{owner.__qualname__} already"
        raise TagError(msg)
    if cls in _TAG_OF and _TAG_OF[cls] != tag:
        msg = f"{cls.__qualname__} has the tag {_TAG_OF[cls]!r} already"
        raise TagError(msg)
    _CLASS_OF[tag] = cls
    _TAG_OF[cls] = tag
    _generation += 1


def tagged(tag: str) -> Callable[[type[_T]], type[_T]]:
    """Declare *tag* as the name of the decorated model class in data.

    Put it above the attrs decorator::

        @willkommen.tagged("registered-partner")
        @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
        class RegisteredPartner(willkommen.Partner):
            register_no: str

    A document or nested object then says ``"$type": "registered-partner"``
    to hold one, wherever a Partner is expected.
    """

    def register(cls: type[_T]) -> type[_T]:
        register_tag(cls, tag)
        return cls

    return register


def tag_of(cls: type) -> str | None:
    """The tag *cls* declared, or None."""
    return _TAG_OF.get(cls)


def tagged_classes(base: type) -> dict[str, type]:
    """Every tagged class that may stand where *base* is expected, by tag."""
    return {tag: cls for tag, cls in _CLASS_OF.items() if issubclass(cls, base)}


def generation() -> int:
    """How many registrations there have been; a converter rebuilds when it changes."""
    return _generation


def class_for(data: Any, base: type) -> type | None:
    """The class *data* (a dict) asks for with its tag, *base* without one; None if unknown."""
    if TAG_KEY not in data:
        return base
    tag = data[TAG_KEY]
    return tagged_classes(base).get(tag) if isinstance(tag, str) else None
