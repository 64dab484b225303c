"""The one decorator for model classes, and the check that refuses a model class declared another way.

A model class is a frozen, slotted, keyword-only attrs class whose fields check
their annotated types (:func:`~willkommen.typed_fields`). :func:`model` makes
one; the older form, ``@tagged`` above ``@attrs.frozen(kw_only=True,
field_transformer=typed_fields)``, still does. Any other form used to be
accepted and to misbehave later (a tag registered for a class that attrs then
replaced; wrong values passing ``check`` and breaking ``dump``), so it is
refused where it shows: when :func:`model` or ``@tagged`` is applied, and when
attrs makes a subclass of a model class (attrs calls the base class's
``__attrs_init_subclass__`` once the subclass is built).
"""

import enum
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

import attrs

from willkommen._errors import ModelError, WillkommenError
from willkommen._tags import register_tag
from willkommen._typecheck import typed_fields

_T = TypeVar("_T")

#: What to write instead, in every refusal.
_INSTEAD = "write @willkommen.model (or @willkommen.model(tag=...)) alone, in place of the attrs decorator"


@overload
def model(cls: type[_T], /) -> type[_T]: ...
@overload
def model(*, tag: str | None = None) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(attrs.field,))
def model(cls: type[_T] | None = None, /, *, tag: str | None = None) -> Any:
    """Make the decorated class a model class, and with *tag* declare its name in data.

    A model class is a frozen, slotted, keyword-only attrs class whose fields
    check their annotated types (:func:`typed_fields`)::

        @willkommen.model(tag="registered-partner")
        class RegisteredPartner(willkommen.Partner):
            register_no: str

    Without a tag (``@willkommen.model``), a subclass is read only where its
    own class is asked for; with one, a document says ``"$type":
    "registered-partner"`` to hold one wherever a Partner is expected. Fields
    take :func:`attrs.field` for defaults and validators, as in any attrs
    class. A class that is an attrs class already (``@attrs.frozen`` below
    ``@willkommen.model``) raises :class:`ModelError`.
    """

    def make(cls: type[_T]) -> type[_T]:
        if not isinstance(cls, type) or issubclass(cls, enum.Enum):
            what = "an enumeration" if isinstance(cls, type) else f"not a class but of type {type(cls).__name__}"
            msg = f"{_name(cls)} is {what}: a model class is a plain class with annotated fields"
            raise ModelError(msg)
        if "__attrs_attrs__" in cls.__dict__:
            msg = f"{_name(cls)} is an attrs class already (an attrs decorator below @willkommen.model): {_INSTEAD}"
            raise ModelError(msg)
        refuse_incomplete_subclasses(cls)
        try:
            made = attrs.frozen(cls, kw_only=True, field_transformer=typed_fields)
        except WillkommenError:
            raise
        except (AttributeError, TypeError) as exc:
            # A class attrs cannot remake as a slotted class (a subclass of a built-in type, of a class with slots).
            msg = (
                f"{_name(cls)} cannot be made a model class ({exc}):"
                " a model class is a plain class with annotated fields"
            )
            raise ModelError(msg) from None
        if tag is not None:
            register_tag(made, tag)
        return made

    return make if cls is None else make(cls)


def tagged(tag: str) -> Callable[[type[_T]], type[_T]]:
    """Declare *tag* as the name of the decorated model class in data (the older form of ``model(tag=...)``).

    It stands above the attrs decorator, which must make a complete model
    class::

        @willkommen.tagged("registered-partner")
        @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
        class RegisteredPartner(willkommen.Partner):
            register_no: str

    Below the attrs decorator, it would tag a class that attrs then replaces:
    that raises :class:`ModelError`, as does a class that is not frozen,
    not keyword-only, or made without :func:`typed_fields`.
    """

    def register(cls: type[_T]) -> type[_T]:
        check_model_class(cls, tag=tag)
        register_tag(cls, tag)
        return cls

    return register


def refuse_incomplete_subclasses(cls: type) -> None:
    """Have attrs refuse, as it makes it, any subclass of *cls* that is not a complete model class."""
    if "__attrs_init_subclass__" not in cls.__dict__:
        cls.__attrs_init_subclass__ = classmethod(_check_subclass)  # type: ignore[attr-defined]


def _check_subclass(cls: type) -> None:
    check_model_class(cls)


def check_model_class(cls: type, *, tag: str | None = None) -> None:
    """Raise :class:`ModelError` unless *cls* is a model class of its own, frozen, keyword-only and checked.

    *tag* is the tag being declared, for the advice of a message.
    """
    if not isinstance(cls, type) or "__attrs_attrs__" not in cls.__dict__:
        decorator = "@willkommen.model" if tag is None else f"@willkommen.model(tag={tag!r})"
        what = "a class" if isinstance(cls, type) else "a class, not a " + type(cls).__name__
        msg = (
            f"{_name(cls)} is not an attrs class of its own (expected {what} made by attrs):"
            " @willkommen.tagged must stand above the attrs decorator, not below it;"
            f" simpler, write {decorator} alone"
        )
        raise ModelError(msg)
    reasons = incomplete(cls)
    if reasons:
        msg = f"{_name(cls)} is not a complete model class: {'; '.join(reasons)}; {_INSTEAD}"
        raise ModelError(msg)


def incomplete(cls: type) -> list[str]:
    """What keeps *cls*, an attrs class, from being a complete model class (nothing if it is one)."""
    reasons = []
    if not attrs.inspect(cls).is_frozen:
        reasons.append("it is not frozen")
    own = [field for field in attrs.fields(cls) if not field.inherited]
    positional = [field.name for field in own if field.init and not field.kw_only]
    if positional:
        reasons.append(f"{_listed(positional)} can be given by position (a model class is keyword-only)")
    # What typed_fields would still add is what the class was made without.
    again = typed_fields(cls, own)
    unchecked = [field.name for field, typed in zip(own, again, strict=True) if typed.validator is not field.validator]
    if unchecked:
        reasons.append(f"no type check on {_listed(unchecked)} (the class was made without typed_fields)")
    return reasons


def _listed(names: list[str]) -> str:
    fields = ", ".join(repr(name) for name in names)
    return f"field {fields}" if len(names) == 1 else f"fields {fields}"


def _name(cls: object) -> str:
    return getattr(cls, "__qualname__", None) or repr(cls)
