"""The public surface: sorted __all__ lists, the public namespaces, the old names, the exported errors."""

import importlib
import os
import pkgutil
import subprocess
import sys
import warnings
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest

import willkommen
import willkommen.testing
from willkommen import migrations, programs, rules, spreadsheets
from willkommen._limits import MAX_QUOTE

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_MODULES = (willkommen, migrations, programs, rules, spreadsheets, willkommen.testing)

# Where each name that left the top level lives now (the same name there).
MOVED = {
    "Context": rules,
    "Finding": rules,
    "Rule": rules,
    "finding": rules,
    "register_rule": rules,
    "rule": rules,
    "tighten": rules,
    "WILLKOMMEN_BEI_FREUNDEN": programs,
    "Program": programs,
    "ServiceOffice": programs,
    "coaching_budget": programs,
    "coaching_hours_left": programs,
    "get_program": programs,
    "register_program": programs,
    "responsible_office": programs,
    "StepResult": migrations,
    "register_migration": migrations,
}


def _isort_order(name: str) -> tuple[int, str]:
    # Constants, then classes, then functions, as ruff (RUF022) keeps them.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=lambda m: m.__name__)
def test_all_is_sorted_and_complete(module: ModuleType) -> None:
    """Each public module's __all__ is sorted and every name in it exists."""
    assert sorted(module.__all__, key=_isort_order) == module.__all__
    for name in module.__all__:
        assert hasattr(module, name), name


def test_dir_lists_the_names_loaded_at_first_use() -> None:
    """``dir(willkommen)`` shows every public name, those looked up only when first asked for too."""
    assert set(willkommen.__all__) - set(dir(willkommen)) == set()


def test_version_is_the_installed_metadata() -> None:
    """__version__ comes from the package metadata, never written twice."""
    assert version("willkommen") == willkommen.__version__


@pytest.mark.parametrize("module", PUBLIC_MODULES[:-2], ids=lambda m: m.__name__)
def test_every_public_name_is_documented(module: ModuleType) -> None:
    """Every class and function of the public surface has a docstring."""
    for name in module.__all__:
        value = getattr(module, name)
        if callable(value):
            assert value.__doc__, name


def test_the_top_level_is_small() -> None:
    """Authoring tools are not at the top: it keeps the model, the verbs, the problems, the errors."""
    assert not set(MOVED) & set(willkommen.__all__)
    assert {"rules", "programs", "migrations"} <= set(willkommen.__all__)
    assert {"check", "dumps", "loads", "read", "validate", "migrate", "Problem", "Alliance"} <= set(willkommen.__all__)


@pytest.mark.parametrize("name", sorted(MOVED))
def test_a_moved_name_still_works_with_a_warning_naming_its_new_place(name: str) -> None:
    """willkommen.<name> is the object of the new module, with a DeprecationWarning saying where it is now."""
    module = MOVED[name]
    assert name in module.__all__
    with pytest.warns(DeprecationWarning, match=rf"willkommen\.{name} is deprecated: use {module.__name__}\.{name}$"):
        old = getattr(willkommen, name)
    assert old is getattr(module, name)


def test_importing_a_moved_name_warns_once_at_the_import() -> None:
    """``from willkommen import Program`` gives one warning, pointing at the importing line."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec("from willkommen import Program", {})  # noqa: S102 - the statement under test, as users write it
    assert [str(w.message) for w in caught] == [
        "willkommen.Program is deprecated: use willkommen.programs.Program",
    ]
    assert caught[0].filename == "<string>"


def test_calling_the_old_catalogue_and_program_functions_still_works_with_a_warning() -> None:
    """willkommen.rules() and willkommen.programs(), functions before they were modules, still answer."""
    with pytest.warns(DeprecationWarning, match=r"use willkommen\.rules\.catalogue\(\)"):
        old_catalogue = willkommen.rules()  # type: ignore[operator]
    assert old_catalogue == rules.catalogue()
    with pytest.warns(DeprecationWarning, match=r"use willkommen\.programs\.registered\(\)"):
        old_programs = willkommen.programs()  # type: ignore[operator]
    assert old_programs == programs.registered()
    assert programs.WILLKOMMEN_BEI_FREUNDEN in old_programs


def test_the_names_of_format_version_1_still_work_with_a_warning() -> None:
    """Municipality and MunicipalityKind are the new classes under their old names, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match="use willkommen.LocalAuthority "):
        assert willkommen.Municipality is willkommen.LocalAuthority
    with pytest.warns(DeprecationWarning, match="use willkommen.LocalAuthorityKind"):
        assert willkommen.MunicipalityKind is willkommen.LocalAuthorityKind
    assert "Municipality" not in willkommen.__all__


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name that never existed is an AttributeError, not a warning."""
    with pytest.raises(AttributeError, match="no attribute 'Programm'"):
        _ = willkommen.Programm


def _subclasses(cls: type) -> set[type]:
    subclasses: list[type] = cls.__subclasses__()
    return {deeper for sub in subclasses for deeper in (sub, *_subclasses(sub))}


def test_every_error_willkommen_raises_is_exported_at_the_top() -> None:
    """Every WillkommenError subclass defined anywhere in willkommen can be caught as willkommen.<Name>."""
    # Not the command line's entry point, nor the mypy plugin (mypy's, and it raises nothing).
    for module in pkgutil.iter_modules(willkommen.__path__, "willkommen."):
        if module.name not in {"willkommen.__main__", "willkommen.mypy"}:
            importlib.import_module(module.name)
    errors = {cls for cls in _subclasses(willkommen.WillkommenError) if cls.__module__.startswith("willkommen.")}
    assert len(errors) >= 8
    for error in errors:
        assert error.__name__ in willkommen.__all__, error
        assert getattr(willkommen, error.__name__) is error


def test_authoring_modules_offer_their_own_errors() -> None:
    """A rule author finds RuleError in willkommen.rules, a program author ProgramError in willkommen.programs."""
    assert rules.RuleError is willkommen.RuleError
    assert programs.ProgramError is willkommen.ProgramError
    assert migrations.MigrationError is willkommen.MigrationError
    assert spreadsheets.MissingExtraError is willkommen.MissingExtraError
    assert rules.Severity is willkommen.Severity


@pytest.mark.parametrize(
    "value",
    [
        "x" * 1_000_000,  # a huge string
        10**5000,  # more digits than int->str allows
        "\x1b[31m\u202e\n",  # escapes a terminal acts on
        [[[[[[1]]]]]],  # deep nesting
    ],
    ids=["huge-string", "huge-int", "escapes", "nested"],
)
def test_quote_is_bounded_and_printable_for_rule_authors(value: object) -> None:
    """willkommen.rules.quote names any value in one short printable piece, whatever it is."""
    text = rules.quote(value)
    assert len(text) <= MAX_QUOTE
    assert text.isprintable()


def test_quote_survives_a_repr_that_fails() -> None:
    """A value whose repr raises is still named, by its type."""

    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError

    assert "Hostile" in rules.quote(Hostile())


#: What checking one small valid file does without: reading it never needs cattrs (only problems and
#: writing do), msgspec does not pay for one small file, and each of the rest serves another command.
_NOT_FOR_ONE_FILE = (
    "cattrs",
    "csv",
    "hashlib",
    "html",
    "hypothesis",
    "importlib.metadata",
    "msgspec",
    "openpyxl",
    "secrets",
    "shutil",
    "tempfile",
    "willkommen._converter",
    "willkommen._formats",
    "willkommen._migrate_cli",
    "willkommen._reports",
    "willkommen._schema",
    "willkommen._sources",
    "willkommen.spreadsheets",
    "willkommen.testing",
)


#: What ``import willkommen`` does without besides: the command line's parser, files and folders.
_NOT_AT_IMPORT = ("argparse", "pathlib", "willkommen._cli", "willkommen._files")


def test_importing_willkommen_and_checking_one_file_import_only_what_they_need() -> None:
    """Start-up stays light: ``import willkommen`` and ``willkommen validate`` of one small file load none of these."""
    script = (
        "import contextlib, io, sys, willkommen, willkommen.rules, willkommen.programs\n"
        f"print(sorted(set(sys.argv[1:] + {list(_NOT_AT_IMPORT)!r}) & set(sys.modules)))\n"
        "from willkommen._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['validate', 'examples/bautzen.json'])\n"
        "print(code, sorted(set(sys.argv[1:]) & set(sys.modules)))\n"
    )
    # As installed: the accelerator as its default (CI also runs the suite with it off).
    environment = {k: v for k, v in os.environ.items() if k != "WILLKOMMEN_ACCELERATOR"}
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script, *_NOT_FOR_ONE_FILE],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=environment,
    ).stdout
    assert out.splitlines() == ["[]", "0 []"]
