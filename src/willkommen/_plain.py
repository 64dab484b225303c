"""Python data made plain before reading: JSON's types, bounded depth, nothing that can run code.

``load`` and ``check`` take any Python value, and a value's own methods
(``__hash__``, ``__eq__``, ``__getitem__``, ``items()``, ``__len__``,
``__iter__``) may fail, lie or never end. The reader must not call them at
all: this walk reads containers and text through the built-in types' own
C methods (``dict.items``, ``list.__iter__``, ``str.__str__``) and copies
what is not exactly a dict, list, str, int, float or Decimal into one that
is. A Mapping that is not a dict is read through its ``items()`` once,
guarded; if that fails, it stands as an :class:`Unreadable` marker, which
every hook reports as ``type`` at its path. Lists and objects nested deeper
than MAX_DEPTH stand as such a marker too, so that no later step recurses
into them.

Only what needs it is copied: exactly plain data comes back as it is.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from willkommen._limits import MAX_DEPTH, MAX_VALUE
from willkommen._text import bounded, exception_text, quote

_PLAIN_LEAVES = frozenset({str, int, float, Decimal, bool, type(None)})


class Unreadable:
    """A value the reader will not look into; its repr says why (the message quotes it)."""

    __slots__ = ("why",)

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"<{self.why}>"


def _failure(exc: BaseException) -> str:
    return bounded(f"{type(exc).__name__}: {exception_text(exc)}", MAX_VALUE // 3)


def plain(value: Any) -> Any:
    """*value* in JSON's own types, copied only where it was not; see the module docstring."""
    # Nearly all data is plain already: a quick look first, the copying walk only if it finds anything.
    if type(value) in _CONTAINERS and _is_plain(value, 0):
        return value
    return _plain(value, 0)


_CONTAINERS = frozenset({dict, list})


def _is_plain(value: dict[Any, Any] | list[Any], depth: int) -> bool:
    """Whether exactly plain *value* holds only exactly plain values, within the depth bound."""
    if depth >= MAX_DEPTH:
        return False
    if type(value) is dict:
        for key in value:
            if type(key) is not str:
                return False
        items: Any = value.values()
    else:
        items = value
    for item in items:
        kind = type(item)
        if kind is dict or kind is list:
            if not _is_plain(item, depth + 1):
                return False
        elif kind not in _PLAIN_LEAVES:
            return False
    return True


def _plain(value: Any, depth: int) -> Any:
    cls = type(value)
    if cls in _PLAIN_LEAVES:
        return value
    # issubclass on the type, never isinstance: that would ask the value for its __class__.
    if not issubclass(cls, dict | list | tuple | Mapping):
        return _plain_leaf(value, cls)
    if depth >= MAX_DEPTH:
        return Unreadable(f"a {cls.__name__} nested more than {MAX_DEPTH} levels deep")
    return _plain_container(value, cls, depth)


def _plain_container(value: Any, cls: type, depth: int) -> Any:
    if issubclass(cls, dict):
        return _plain_dict(value, dict.items(value), depth, changed=cls is not dict)
    if issubclass(cls, list):
        return _plain_list(value, list.__iter__(value), depth, changed=cls is not list)
    if issubclass(cls, tuple):
        return _plain_list(value, tuple.__iter__(value), depth, changed=True)
    return _plain_mapping(value, depth)


def _plain_dict(value: Any, items: Any, depth: int, *, changed: bool) -> Any:
    copy: dict[Any, Any] = {}
    for key, item in items:
        new_key = _plain_key(key)
        new_item = _plain(item, depth + 1)
        changed = changed or new_key is not key or new_item is not item
        try:
            copy[new_key] = new_item
        except Exception as exc:  # noqa: BLE001 - a key whose __hash__ or __eq__ fails
            copy[Unreadable(f"a key whose own methods fail ({_failure(exc)})")] = new_item
            changed = True
    return copy if changed else value


def _plain_key(key: Any) -> Any:
    if type(key) is str:
        return key
    if isinstance(key, str):
        return str.__str__(key)
    return ForeignKey(key)


class ForeignKey:
    """A key that is not text (never a key of the model): named as it was, compared by identity.

    Its own ``__eq__``, ``__hash__`` and ``__str__`` are never called again.
    """

    __slots__ = ("shown", "text")

    def __init__(self, key: object) -> None:
        self.shown = quote(key)
        try:
            text = str(key)
        except Exception:  # noqa: BLE001 - a key whose str() fails is named by its quote
            text = self.shown
        self.text = bounded(text, MAX_VALUE) if type(text) is str else self.shown

    def __repr__(self) -> str:
        return self.shown

    def __str__(self) -> str:
        return self.text


def _plain_list(value: Any, items: Any, depth: int, *, changed: bool) -> Any:
    copy = []
    for item in items:
        new_item = _plain(item, depth + 1)
        changed = changed or new_item is not item
        copy.append(new_item)
    return copy if changed else value


def _plain_mapping(value: Mapping[Any, Any], depth: int) -> Any:
    # Read once: a Mapping may answer differently each time it is asked.
    # A loop, not list(): list() would ask __len__ first, which may lie.
    pairs = []
    try:
        for pair in value.items():
            key, item = pair
            pairs.append((key, item))
    except Exception as exc:  # noqa: BLE001 - any failure of the caller's Mapping is reported
        return Unreadable(f"a {type(value).__name__} whose items cannot be read ({_failure(exc)})")
    return _plain_dict(value, pairs, depth, changed=True)


def _plain_leaf(value: Any, cls: type) -> Any:
    # Subclasses of the JSON types read as their built-in value, through the
    # built-in type's own method: an overridden method is never called.
    try:
        if issubclass(cls, str):
            return str.__str__(value)
        if issubclass(cls, int):
            return int.__int__(value)
        if issubclass(cls, float):
            return float.__float__(value)
        if issubclass(cls, Decimal):
            return Decimal(value)
    except Exception as exc:  # noqa: BLE001 - should a built-in method still fail, say so
        return Unreadable(f"a {type(value).__name__} that cannot be read ({_failure(exc)})")
    return value
