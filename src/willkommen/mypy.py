"""A mypy plugin that reads :func:`willkommen.model` as the attrs decorator it is.

mypy understands attrs classes through its own attrs plugin, which knows
attrs' decorators by name only. Without this plugin, mypy reads
``@willkommen.model`` by its ``dataclass_transform`` declaration, which is
enough for a class of its own but not for a subclass of a built-in model class
(mypy then misses the inherited fields) nor for ``attrs.evolve`` and
``attrs.fields``. Enable it in your mypy configuration::

    [tool.mypy]
    plugins = ["willkommen.mypy"]

mypy then reads a model class as ``@attrs.frozen(kw_only=True)``. Only mypy
imports this module: ``import willkommen`` never does.
"""

from collections.abc import Callable

from mypy.nodes import ARG_NAMED, CallExpr, NameExpr
from mypy.plugin import ClassDefContext, Plugin
from mypy.plugins.attrs import attr_class_maker_callback, attr_tag_callback

# The decorator under the names mypy may see it by: re-exported, and where it is defined.
_MODEL = frozenset({"willkommen.model", "willkommen._define.model"})


class WillkommenPlugin(Plugin):
    """Hands ``willkommen.model`` to mypy's attrs plugin, as ``attrs.frozen``."""

    def get_class_decorator_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        """Mark a model class as an attrs class early, so its subclasses know they are attrs classes too."""
        return attr_tag_callback if fullname in _MODEL else None

    def get_class_decorator_hook_2(self, fullname: str) -> Callable[[ClassDefContext], bool] | None:
        """Give a model class the fields, ``__init__`` and frozenness of an ``attrs.frozen(kw_only=True)`` class."""
        return _as_attrs_frozen if fullname in _MODEL else None


def _as_attrs_frozen(ctx: ClassDefContext) -> bool:
    # The attrs plugin reads its options from the decorator's call: show it the call
    # willkommen.model stands for, attrs.frozen(kw_only=True), at the decorator's place.
    frozen = ctx.api.lookup_fully_qualified_or_none("attr.frozen")
    if frozen is None:  # pragma: no cover - attrs is a dependency of willkommen
        return attr_class_maker_callback(ctx, auto_attribs_default=None, frozen_default=True)
    callee = NameExpr("frozen")
    callee.node = frozen.node
    callee.fullname = "attr.frozen"
    true = NameExpr("True")
    true.fullname = "builtins.True"
    call = CallExpr(callee, [true], [ARG_NAMED], ["kw_only"])
    call.set_line(ctx.reason)
    return attr_class_maker_callback(
        ClassDefContext(ctx.cls, call, ctx.api), auto_attribs_default=None, frozen_default=True
    )


def plugin(version: str) -> type[Plugin]:
    """The entry point mypy calls (for any version: the plugin uses only the attrs plugin's entry points)."""
    del version
    return WillkommenPlugin
