"""The exceptions willkommen raises; all derive from :class:`WillkommenError`."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from willkommen._limits import MAX_MESSAGE
from willkommen._text import shown, shown_path

if TYPE_CHECKING:
    from willkommen._problems import Problem


class WillkommenError(ValueError):
    """The root of every exception willkommen raises on purpose."""


class ValidationError(WillkommenError):
    """Data that has errors; ``problems`` holds every problem found, warnings too."""

    def __init__(self, problems: "Iterable[Problem]") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        errors = [p for p in self.problems if p.is_error]
        # Paths hold keys from the data: escaped, so that no key can forge a line of a log.
        lines = "\n".join(
            f"  {shown_path(p.path, whole='(document)')}: {shown(p.code)}: {shown(p.message, MAX_MESSAGE)}"
            for p in errors[:10]
        )
        more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
        super().__init__(f"{len(errors)} error(s) in the data:\n{lines}{more}")


class MissingExtraError(WillkommenError, ImportError):
    """An optional library is not installed; the message names the extra that brings it."""

    def __init__(self, module: str, extra: str = "spreadsheets") -> None:
        super().__init__(f"this needs {module!r}: install the extra with pip install 'willkommen[{extra}]'")


class LayoutError(WillkommenError, TypeError):
    """A workbook that cannot be laid out: a sheet name no application allows, two alike, an untagged subclass."""


class MigrationError(WillkommenError):
    """A migration step that cannot be registered (a step must go from one version to the next)."""


class ModelError(WillkommenError, TypeError):
    """A model class declared a way willkommen cannot use.

    Not frozen, not keyword-only, without the type checks, or with its
    decorators in the wrong order: the message says what to write instead.
    """


class UntaggedSubclassError(WillkommenError, TypeError):
    """A subclass without a tag where its base class is expected: it could not be read back."""

    def __init__(self, cls: type, base: type) -> None:
        super().__init__(
            f"{cls.__qualname__} stands where a {base.__qualname__} is expected but declares no tag,"
            f" so it would be read back as a {base.__qualname__}: declare one with @willkommen.model(tag=...)"
        )
