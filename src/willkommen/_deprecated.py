"""Names that moved: they keep working for one version, with a DeprecationWarning naming the new place."""

import sys
import types
import warnings
from collections.abc import Callable
from typing import Any


def warn_moved(old: str, new: str) -> None:
    """Warn the caller's caller that *old* is deprecated in favour of *new*."""
    # "from willkommen import Program" asks twice: importlib checks that the name is there, then
    # the import takes it. Warn once, for the taking, which points at the user's line.
    if sys._getframe(2).f_code.co_name == "_handle_fromlist":  # noqa: SLF001 - the one way to see the asker
        return
    warnings.warn(f"{old} is deprecated: use {new}", DeprecationWarning, stacklevel=3)


def make_callable(module: str, function: Callable[[], Any], new: str) -> None:
    """Let the public module *module* be called like the function of the same name it replaces.

    ``willkommen.rules()`` was a function before ``willkommen.rules`` became a
    module; importing the module replaces the function on the package, so
    only a module that can be called keeps the old call working.
    """

    def call(_module: types.ModuleType) -> Any:
        warnings.warn(f"calling {module}() is deprecated: use {new}()", DeprecationWarning, stacklevel=2)
        return function()

    name = f"Callable{module.rsplit('.', 1)[-1].title()}Module"
    sys.modules[module].__class__ = type(name, (types.ModuleType,), {"__call__": call, "__slots__": ()})
