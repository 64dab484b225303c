"""The one decorator for model classes, and the refusal of every other way to declare one."""

import enum
import gc
import importlib.util
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

import willkommen
from willkommen import Partner, PartnerKind
from willkommen._tags import class_for, tag_of


@pytest.fixture(autouse=True)
def _scoped() -> Iterator[None]:
    # Each test declares its own classes and tags: none outlives it.
    with willkommen.registry_scope():
        yield


def test_the_bare_decorator_makes_a_frozen_slotted_keyword_only_checked_class() -> None:
    """@willkommen.model alone: the class checks its types, takes keywords only, and cannot change."""

    @willkommen.model
    class BudgetLine:
        """A line of a county's budget."""

        code: str
        amount: int = 0

    props = attrs.inspect(BudgetLine)
    assert props.is_frozen
    assert props.is_slotted
    line = BudgetLine(code="HH-0001", amount=3)
    with pytest.raises(TypeError, match="'amount' must be an int"):
        BudgetLine(code="HH-0001", amount="3")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        BudgetLine("HH-0001")  # type: ignore[call-arg]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        line.amount = 4  # type: ignore[misc]
    assert tag_of(BudgetLine) is None
    assert willkommen.load(willkommen.dump(line), BudgetLine) == line


def test_a_tag_is_declared_with_the_decorator() -> None:
    """@willkommen.model(tag=...) declares the name a document uses to hold the subclass where its base stands."""

    @willkommen.model(tag="test-define-registered")
    class Registered(Partner):
        """A partner with a register number."""

        register_no: str

    partner = Registered(id="p", name="P", kind=PartnerKind.ASSOCIATION, register_no="VR 123")
    assert tag_of(Registered) == "test-define-registered"
    assert class_for({"$type": "test-define-registered"}, Partner) is Registered
    assert willkommen.dump(partner)["$type"] == "test-define-registered"
    assert willkommen.load(willkommen.dump(partner), Partner) == partner


def test_the_older_two_decorator_form_keeps_working() -> None:
    """@tagged above @attrs.frozen(kw_only=True, field_transformer=typed_fields) makes the same class."""

    @willkommen.tagged("test-define-older")
    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class Older(Partner):
        register_no: str

    assert tag_of(Older) == "test-define-older"
    with pytest.raises(TypeError, match="'register_no' must be a str"):
        Older(id="p", name="P", kind=PartnerKind.ASSOCIATION, register_no=1)  # type: ignore[arg-type]


def test_a_subclass_that_adds_no_fields_needs_nothing_more() -> None:
    """Without fields of its own there is nothing to check: plain @attrs.frozen is a complete subclass."""

    @attrs.frozen
    class Renamed(Partner):
        """Only a new name."""

    assert Renamed(id="p", name="P", kind=PartnerKind.OTHER).id == "p"


# --- every other way to declare a model class, refused when it is declared ------------------------


def _tagged_below_attrs() -> type:
    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    @willkommen.tagged("test-define-misordered")
    class Misordered(Partner):
        register_no: str

    return Misordered


def _attrs_below_model() -> type:
    @willkommen.model(tag="test-define-twice")
    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class Twice(Partner):
        register_no: str

    return Twice


def _subclass_without_type_checks() -> type:
    @attrs.frozen(kw_only=True)
    class Unchecked(Partner):
        register_no: str

    return Unchecked


def _tagged_subclass_without_type_checks() -> type:
    @willkommen.tagged("test-define-unchecked")
    @attrs.frozen(kw_only=True)
    class Unchecked(Partner):
        register_no: str

    return Unchecked


def _subclass_with_positional_fields() -> type:
    @attrs.frozen(field_transformer=willkommen.typed_fields)
    class Positional(Partner):
        register_no: str

    return Positional


def _tagged_mutable_class() -> type:
    @willkommen.tagged("test-define-mutable")
    @attrs.define(kw_only=True, field_transformer=willkommen.typed_fields)
    class Mutable:
        number: int

    return Mutable


def _tagged_without_attrs() -> type:
    @willkommen.tagged("test-define-plain")
    class Plain(Partner):
        register_no: str

    return Plain


def _subclass_of_a_user_model_without_type_checks() -> type:
    @willkommen.model
    class Line:
        code: str

    @attrs.frozen(kw_only=True)
    class Sub(Line):
        amount: int

    return Sub


# Each way, what the refusal names, and the tag it must not leave behind.
MISUSES: list[tuple[Callable[[], type], str, str | None]] = [
    (_tagged_below_attrs, r"Misordered is not an attrs class of its own.*must stand above", "test-define-misordered"),
    (_attrs_below_model, r"Twice is an attrs class already", "test-define-twice"),
    (_subclass_without_type_checks, r"Unchecked .*no type check on field 'register_no'", None),
    (
        _tagged_subclass_without_type_checks,
        r"Unchecked .*no type check on field 'register_no'",
        "test-define-unchecked",
    ),
    (_subclass_with_positional_fields, r"Positional .*field 'register_no' can be given by position", None),
    (_tagged_mutable_class, r"Mutable .*it is not frozen", "test-define-mutable"),
    (_tagged_without_attrs, r"Plain is not an attrs class of its own", "test-define-plain"),
    (_subclass_of_a_user_model_without_type_checks, r"Sub .*no type check on field 'amount'", None),
]


@pytest.mark.parametrize(("declare", "named", "tag"), MISUSES, ids=[m[0].__name__.strip("_") for m in MISUSES])
def test_every_other_form_is_a_type_error_when_declared(
    declare: Callable[[], type], named: str, tag: str | None
) -> None:
    """A misordered or incomplete declaration raises ModelError (a TypeError) naming the class, and tags nothing."""
    with pytest.raises(willkommen.ModelError, match=named) as caught:
        declare()
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, willkommen.WillkommenError)
    # The refusal says what to write instead.
    assert "@willkommen.model" in str(caught.value)
    if tag is not None:
        assert class_for({"$type": tag}, object) is None


def test_a_refusal_for_a_tag_names_the_tag_to_write() -> None:
    """The misordered form's message spells out the decorator with its tag."""
    with pytest.raises(willkommen.ModelError, match=r"write @willkommen\.model\(tag='test-define-misordered'\)"):
        _tagged_below_attrs()


def test_tagging_what_is_not_a_class_is_refused() -> None:
    """A function or an instance is no model class."""
    with pytest.raises(willkommen.ModelError, match="not an attrs class"):
        willkommen.tagged("test-define-function")(len)  # type: ignore[arg-type]


def test_the_shipped_classes_pass_the_check() -> None:
    """Every built-in model class, and the NRW extension's, is complete by the same check that refuses others."""
    from willkommen import _define, _model, nrw

    built_in = [c for c in vars(_model).values() if isinstance(c, type) and c.__module__ == _model.__name__]
    assert len(built_in) >= 11
    for cls in [*built_in, nrw.NrwAlliance]:
        _define.check_model_class(cls)


# --- type checkers ------------------------------------------------------------------------------------


_USER_MODULE = """
import attrs
import willkommen


@willkommen.model(tag="registered")
class Registered(willkommen.Partner):
    register_no: str


@willkommen.model
class Line:
    note: str = ""
    amount: int  # no default after one with a default: fine, the fields are keyword-only


partner = Registered(id="p", name="P", kind=willkommen.PartnerKind.OTHER, register_no="1")
attrs.evolve(partner, name="Q")
attrs.fields(Line)
Line(amount="3")
Line("a note", amount=1)
partner.register_no = "2"
"""


def test_mypy_with_the_plugin_reads_a_model_class_as_attrs_does(tmp_path: Path) -> None:
    """With plugins = ["willkommen.mypy"], inherited fields, evolve, fields and keyword-only order type-check.

    The mistakes are found: a wrong type, a changed frozen field, a positional argument.
    """
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (the 'lint' extra)")
    from mypy import api

    (tmp_path / "user.py").write_text(textwrap.dedent(_USER_MODULE), encoding="utf-8")
    (tmp_path / "mypy.ini").write_text("[mypy]\nstrict = True\nplugins = willkommen.mypy\n", encoding="utf-8")
    # mypy in this process (so that the plugin's lines count for coverage) raises the recursion
    # limit and retunes the garbage collector for good: put both back for the tests after this one.
    limit, threshold = sys.getrecursionlimit(), gc.get_threshold()
    try:
        out, _, status = api.run(
            [
                "--config-file",
                str(tmp_path / "mypy.ini"),
                "--cache-dir",
                str(tmp_path / "cache"),
                str(tmp_path / "user.py"),
            ]
        )
    finally:
        sys.setrecursionlimit(limit)
        gc.set_threshold(*threshold)
        gc.enable()
    errors = sorted(line.split(": error: ")[1] for line in out.splitlines() if ": error: " in line)
    assert status == 1
    assert errors == [
        'Argument "amount" to "Line" has incompatible type "str"; expected "int"  [arg-type]',
        'Property "register_no" defined in "Registered" is read-only  [misc]',
        'Too many positional arguments for "Line"  [call-arg]',
    ]


def test_an_enumeration_is_no_model_class() -> None:
    """@willkommen.model on an enumeration raises ModelError naming the class, not attrs' AttributeError."""
    with pytest.raises(willkommen.ModelError, match="Colour"):

        @willkommen.model
        class Colour(enum.Enum):
            RED = "red"


def test_a_class_attrs_cannot_remake_is_no_model_class() -> None:
    """A subclass of a built-in type attrs cannot give slots raises ModelError naming the class."""
    with pytest.raises(willkommen.ModelError, match="Count"):

        @willkommen.model
        class Count(int):  # type: ignore[override]
            unit: str
