"""Declared type tags, so a document can say which subclass it holds.

A tag is a name a class declares (``@model(tag="nrw-alliance")``), written
under the key ``$type``. Reading looks tags up in this registry only: no
class is ever imported or named because data says so.

The registry is copied on write: a registration builds new tables under a
lock and publishes them at once, so a thread reading while another registers
sees the old tables or the new ones, never a table changing under it.
"""

import threading
from typing import Any

import attrs

from willkommen._errors import WillkommenError

#: The key under which a document or nested object names its class's tag.
TAG_KEY = "$type"


@attrs.frozen
class Tags:
    """One published state of the registry: never changed, only replaced."""

    class_of: dict[str, type] = attrs.field(factory=dict)
    tag_of: dict[type, str] = attrs.field(factory=dict)


_LOCK = threading.RLock()
_tags = Tags()
# Bumped on every change, so that a converter or reader built before knows it is stale.
_generation = 0


class TagError(WillkommenError):
    """A tag that is not a usable name, or taken by another class."""


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def same_definition(old: object, new: object) -> bool:
    """Whether *new* is *old* or its definition run again (a reloaded module): same module and name."""
    return old is new or (
        getattr(old, "__module__", None) == getattr(new, "__module__", None)
        and getattr(old, "__qualname__", None) == getattr(new, "__qualname__", None)
    )


def register_tag(cls: type, tag: str) -> None:
    """Declare *tag* as the name of model class *cls* in data.

    The same class again, or its definition run again (a reloaded module, a
    notebook cell: a new class of the same module and name), is accepted; the
    newest class answers for the tag from then on.
    """
    if not attrs.has(cls):
        msg = f"{cls.__qualname__} is not a model class"
        raise TagError(msg)
    if not isinstance(tag, str) or not tag or tag != tag.strip():
        msg = f"a tag is a non-empty name without surrounding blanks, not {tag!r}"
        raise TagError(msg)
    with _LOCK:
        current = _tags
        owner = current.class_of.get(tag)
        if owner is not None and not same_definition(owner, cls):
            msg = f"the tag {tag!r} belongs to {_name(owner)} already; {_name(cls)} cannot declare it too"
            raise TagError(msg)
        known = current.tag_of.get(cls)
        if known is not None and known != tag:
            msg = f"{_name(cls)} has the tag {known!r} already; it cannot declare {tag!r} too"
            raise TagError(msg)
        if owner is cls:
            return
        # An older definition keeps its tag, so that its objects still write it.
        publish(Tags({**current.class_of, tag: cls}, {**current.tag_of, cls: tag}))


def publish(tags: Tags) -> None:
    """Make *tags* the registry's state (under the lock), and tell every cache."""
    global _tags, _generation  # noqa: PLW0603 - the registry's one published state
    with _LOCK:
        _tags = tags
        _generation += 1


def current() -> Tags:
    """The registry's state now (for :func:`willkommen.registry_scope`)."""
    return _tags


def tag_of(cls: type) -> str | None:
    """The tag *cls* declared, or None."""
    return _tags.tag_of.get(cls)


def tagged_classes(base: type) -> dict[str, type]:
    """Every tagged class that may stand where *base* is expected, by tag."""
    return {tag: cls for tag, cls in _tags.class_of.items() if issubclass(cls, base)}


def generation() -> int:
    """How many registrations there have been; a converter rebuilds when it changes."""
    return _generation


def class_for(data: Any, base: type) -> type | None:
    """The class *data* (a dict) asks for with its tag, *base* without one; None if unknown."""
    if TAG_KEY not in data:
        return base
    tag = data[TAG_KEY]
    return tagged_classes(base).get(tag) if isinstance(tag, str) else None
