"""The public surface: a sorted __all__ of names that exist, and the installed version."""

from importlib.metadata import version

import pytest

import willkommen
import willkommen.testing
from willkommen import spreadsheets


def _isort_order(name: str) -> tuple[int, str]:
    # Constants, then classes, then functions, as ruff (RUF022) keeps them.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted and every name in it exists."""
    assert sorted(willkommen.__all__, key=_isort_order) == willkommen.__all__
    for name in willkommen.__all__:
        assert hasattr(willkommen, name), name
    assert sorted(willkommen.testing.__all__, key=_isort_order) == willkommen.testing.__all__
    assert sorted(spreadsheets.__all__, key=_isort_order) == spreadsheets.__all__
    for name in spreadsheets.__all__:
        assert hasattr(spreadsheets, name), name


def test_version_is_the_installed_metadata() -> None:
    """__version__ comes from the package metadata, never written twice."""
    assert version("willkommen") == willkommen.__version__


def test_every_public_name_is_documented() -> None:
    """Every class and function of the public surface has a docstring."""
    for name in willkommen.__all__:
        value = getattr(willkommen, name)
        if callable(value):
            assert value.__doc__, name


def test_the_names_of_format_version_1_still_work_with_a_warning() -> None:
    """Municipality and MunicipalityKind are the new classes under their old names, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match="use willkommen.LocalAuthority "):
        assert willkommen.Municipality is willkommen.LocalAuthority
    with pytest.warns(DeprecationWarning, match="use willkommen.LocalAuthorityKind"):
        assert willkommen.MunicipalityKind is willkommen.LocalAuthorityKind
    assert "Municipality" not in willkommen.__all__
