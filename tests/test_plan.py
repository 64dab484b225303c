"""The type plan: one interpretation of every annotation, refusals that name what is wrong."""

import collections.abc
import datetime as dt
import enum
import typing
from decimal import Decimal
from typing import Any, Literal, NewType, Optional

import attrs
import pytest

import willkommen
import willkommen.nrw
from willkommen import _plan
from willkommen._plan import (
    SUPPORTED,
    ChoiceNode,
    FieldPlan,
    FixedTupleNode,
    MappingNode,
    ModelNode,
    OptionalNode,
    ScalarKind,
    ScalarNode,
    SequenceNode,
    ShapeCheck,
    UnsupportedType,
    class_plan,
    model_classes,
    plan_of,
)
from willkommen._programs import Program, ServiceOffice


class Colour(enum.Enum):
    """A plain enumeration of strings."""

    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    """An enumeration of integers."""

    LOW = 1
    HIGH = 2


@attrs.frozen
class Leaf:
    """A model class to hold."""

    name: str


Code = NewType("Code", str)

# Each supported annotation, with the node it means.
_NODES: list[tuple[object, _plan.Node]] = [
    (str, ScalarNode(ScalarKind.STR)),
    (int, ScalarNode(ScalarKind.INT)),
    (float, ScalarNode(ScalarKind.FLOAT)),
    (bool, ScalarNode(ScalarKind.BOOL)),
    (Decimal, ScalarNode(ScalarKind.DECIMAL)),
    (dt.date, ScalarNode(ScalarKind.DATE)),
    (dt.datetime, ScalarNode(ScalarKind.DATETIME)),
    (Code, ScalarNode(ScalarKind.STR)),  # a NewType is its supertype
    (Colour, ChoiceNode(("red", "blue"), Colour)),
    (Level, ChoiceNode((1, 2), Level)),
    (willkommen.State, ChoiceNode(tuple(s.value for s in willkommen.State), willkommen.State)),
    (Literal["a", 1], ChoiceNode(("a", 1))),
    (int | None, OptionalNode(ScalarNode(ScalarKind.INT))),
    (Optional[int], OptionalNode(ScalarNode(ScalarKind.INT))),  # noqa: UP045 - the spelling under test
    (tuple[str, ...], SequenceNode(ScalarNode(ScalarKind.STR), unique=False)),
    (frozenset[Level], SequenceNode(ChoiceNode((1, 2), Level), unique=True)),
    (tuple[int, str], FixedTupleNode((ScalarNode(ScalarKind.INT), ScalarNode(ScalarKind.STR)))),
    (tuple[()], FixedTupleNode(())),
    (dict[str, int], MappingNode(ScalarNode(ScalarKind.INT))),
    (collections.abc.Mapping[str, Leaf], MappingNode(ModelNode(Leaf))),
    (typing.Mapping[str, bool], MappingNode(ScalarNode(ScalarKind.BOOL))),
    (Leaf, ModelNode(Leaf)),
    (
        tuple[Leaf, ...] | None,
        OptionalNode(SequenceNode(ModelNode(Leaf), unique=False)),
    ),
]


@pytest.mark.parametrize(("annotation", "node"), _NODES)
def test_every_supported_annotation_has_its_node(annotation: object, node: _plan.Node) -> None:
    """Each supported annotation gives the node that says what it means."""
    assert node == plan_of(annotation)


@pytest.mark.parametrize(("annotation", "_node"), _NODES)
def test_the_same_annotation_gives_the_same_node(annotation: object, _node: _plan.Node) -> None:
    """Nodes are kept: planning an annotation again gives the very same object, which hashes."""
    assert plan_of(annotation) is plan_of(annotation)
    assert hash(plan_of(annotation)) == hash(_node)


def test_enumerations_with_the_same_values_are_different_choices() -> None:
    """Two enumerations with equal values are not one node: each reads into its own members."""
    other = enum.Enum("other", {"RED": "red", "BLUE": "blue"})
    assert plan_of(Colour) != plan_of(other)


def test_a_choice_knows_its_json_types_and_members() -> None:
    """An IntEnum is an integer, a StrEnum text; a Literal's values stand for themselves."""
    assert plan_of(Level).json_types == frozenset({int})  # type: ignore[union-attr]
    assert plan_of(willkommen.State).json_types == frozenset({str})  # type: ignore[union-attr]
    assert plan_of(Literal["a", 1]).json_types == frozenset({str, int})  # type: ignore[union-attr]
    assert plan_of(Level).members() == {1: Level.LOW, 2: Level.HIGH}  # type: ignore[union-attr]
    assert plan_of(Literal["a", 1]).members() == {"a": "a", 1: 1}  # type: ignore[union-attr]


# Annotations the plan refuses, each with a word its reason must hold.
_REFUSED: list[tuple[object, str]] = [
    (Any, "says nothing"),
    (object, "says nothing"),
    (tuple, "name the type of the items"),
    (list, "tuple[X, ...]"),
    (dict, "name the type of the items"),
    (frozenset, "name the type of the items"),
    (typing.Tuple, "name the type of the items"),  # noqa: UP006 - the spelling under test
    (list[int], "use tuple[X, ...]"),
    (collections.abc.Sequence[int], "use tuple[X, ...]"),
    (set[str], "use frozenset[X]"),
    (collections.abc.Set[str], "use frozenset[X]"),
    (int | str, "X | None"),
    (int | str | None, "X | None"),
    (typing.Union[int, str], "X | None"),  # noqa: UP007 - the spelling under test
    (dict[int, str], "keys of a JSON object are text"),
    (collections.abc.Mapping[Colour, str], "keys of a JSON object are text"),
    (collections.abc.MutableMapping[str, str], "dict[str, X]"),
    (Literal["a", True], "must be str or int"),
    (Literal[1.5], "must be str or int"),
    (Literal["a", None], "must be str or int"),  # noqa: PYI061 - the spelling under test
    (Literal[Colour.RED], "must be str or int"),
    (enum.Enum("Truth", {"YES": True, "NO": False}), "all str or all int"),
    (enum.Enum("Mixed", {"A": "a", "B": 1}), "all str or all int"),
    (enum.Enum("Floats", {"A": 1.5}), "all str or all int"),
    (enum.Enum("Empty", {}), "without members"),
    (enum.Flag("Perm", ["R", "W"]), "Flag"),
    (type(None), "only be None"),
    (complex, "neither a model class"),
    (bytes, "neither a model class"),
    (typing.TypeVar("T"), "type variable"),
    (typing.Callable[[int], int], "none of the types"),
    (tuple[int, list[int]], "use tuple[X, ...]"),  # a refusal deep inside
    (dict[str, Any], "says nothing"),
    ("Leaf", "not resolved"),  # plan_of takes resolved annotations only
]


@pytest.mark.parametrize(("annotation", "reason"), _REFUSED)
def test_unsupported_annotations_are_refused_with_a_reason(annotation: object, reason: str) -> None:
    """An annotation that could not be read back unchanged is refused, saying why and what is supported."""
    with pytest.raises(UnsupportedType) as raised:
        plan_of(annotation, owner=Leaf, field="name")
    assert reason in raised.value.reason
    text = str(raised.value)
    assert "'name' of Leaf" in text
    assert SUPPORTED in text
    assert raised.value.owner is Leaf
    assert raised.value.field == "name"
    assert raised.value.annotation == annotation


def test_the_refusal_is_a_type_error_and_a_willkommen_error() -> None:
    """Callers catching TypeError (a wrong annotation) or WillkommenError (anything of ours) both see it."""
    with pytest.raises(TypeError):
        plan_of(Any)
    with pytest.raises(willkommen.WillkommenError):
        plan_of(Any)


def test_the_refusal_spells_the_annotation_as_written() -> None:
    """The message shows the annotation the way its author wrote it."""
    with pytest.raises(UnsupportedType, match=r"is annotated int \| str,"):
        plan_of(int | str, owner=Leaf, field="name")
    with pytest.raises(UnsupportedType, match=r"is annotated Any,"):
        plan_of(Any, field="name")


def test_a_class_plan_lists_fields_in_attrs_order() -> None:
    """A class's plan has one FieldPlan per attrs field: name, node, whether required, default."""
    plan = class_plan(willkommen.Person)
    assert [field.name for field in plan.fields] == [field.name for field in attrs.fields(willkommen.Person)]
    name = plan.field("name")
    assert name == FieldPlan(name="name", node=ScalarNode(ScalarKind.STR), required=True, default=attrs.NOTHING)
    role = plan.field("role")
    assert role.node == OptionalNode(ScalarNode(ScalarKind.STR))
    assert not role.required
    assert role.default_value() is None
    with pytest.raises(KeyError):
        plan.field("nope")
    assert class_plan(willkommen.Person) is plan


def test_defaults_are_fresh_from_a_factory() -> None:
    """A factory default is called for each value asked for, with the instance where it takes self."""

    @attrs.frozen
    class WithFactories:
        items: tuple[int, ...] = attrs.field(factory=tuple)
        names: dict[str, int] = attrs.field(factory=dict)
        twice: int = attrs.field(default=attrs.Factory(lambda self: len(self.names) * 2, takes_self=True))

    plan = class_plan(WithFactories)
    assert plan.field("items").default_value() == ()
    first, second = plan.field("names").default_value(), plan.field("names").default_value()
    assert first == {}
    assert first is not second
    assert plan.field("twice").default_value(WithFactories(names={"a": 1}, twice=0)) == 2
    with pytest.raises(LookupError, match="'items'"):
        FieldPlan(name="items", node=ScalarNode(ScalarKind.INT), required=True, default=attrs.NOTHING).default_value()


def test_every_built_in_and_nrw_class_has_a_plan() -> None:
    """The model, the programs and the NRW extension use only what the plan supports."""
    classes = [
        willkommen.Person,
        willkommen.LocalAuthority,
        willkommen.Partner,
        willkommen.Goal,
        willkommen.Measure,
        willkommen.Offering,
        willkommen.CoachingSession,
        willkommen.ProcessCoaching,
        willkommen.CooperationAgreement,
        willkommen.Consultation,
        willkommen.Alliance,
        Program,
        ServiceOffice,
        willkommen.nrw.TargetGroup,
        willkommen.nrw.NrwAlliance,
    ]
    for cls in classes:
        plan = class_plan(cls)
        assert plan.cls is cls
        assert len(plan.fields) == len(attrs.fields(cls))


def test_model_classes_lists_the_classes_a_node_holds() -> None:
    """Rule routing and the layout find the classes a field holds, at any depth of its annotation."""
    alliance = class_plan(willkommen.Alliance)
    assert list(model_classes(alliance.field("partners").node)) == [willkommen.Partner]
    assert list(model_classes(alliance.field("coaching").node)) == [willkommen.ProcessCoaching]
    assert list(model_classes(alliance.field("id").node)) == []
    assert list(model_classes(plan_of(tuple[Leaf, dict[str, willkommen.Person | None]]))) == [
        Leaf,
        willkommen.Person,
    ]


def test_offering_declares_its_shape_and_its_subclasses_inherit_it() -> None:
    """The dates' shape is a declaration of the class that the plan carries: no consumer asks for Offering."""
    shape = class_plan(willkommen.Offering).shape_check
    assert isinstance(shape, ShapeCheck)
    assert class_plan(willkommen.Person).shape_check is None

    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class Workshop(willkommen.Offering):
        room: str | None = None

    assert class_plan(Workshop).shape_check is shape


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"date": "2016-03-01"}, None),
        ({"start": "2016-03-01", "end": "2016-03-02"}, None),
        ({}, ("date", "missing")),
        ({"status": "planned"}, None),
        ({"status": "held"}, ("date", "missing")),
        ({"start": "2016-03-01"}, ("end", "missing")),
        ({"end": "2016-03-01"}, ("start", "missing")),
        ({"date": "2016-03-01", "end": "2016-03-02"}, ("end", "conflict")),
        ({"date": "2016-03-01", "start": "2016-03-01", "end": "2016-03-02"}, ("start", "conflict")),
        ({"date": None}, ("date", "missing")),  # null is no date
        ({"status": ["planned"]}, ("date", "missing")),  # not the code, though equal to nothing
    ],
)
def test_the_shape_check_judges_data(data: dict[str, object], error: tuple[str, str] | None) -> None:
    """The shape check names the field that is missing or in conflict, from the data as read."""
    shape = class_plan(willkommen.Offering).shape_check
    assert shape is not None
    assert error == shape.error_in_data(data)


def test_the_shape_check_judges_objects() -> None:
    """A planned offering may have no date; a held one may not (the model refuses it when built)."""
    planned = willkommen.Offering(type=willkommen.OfferingType.TRAINING, status=willkommen.OfferingStatus.PLANNED)
    shape = class_plan(willkommen.Offering).shape_check
    assert shape is not None
    assert shape.error_in_object(planned) is None
    with pytest.raises(ValueError, match="'date' is missing"):
        willkommen.Offering(type=willkommen.OfferingType.TRAINING)
    with pytest.raises(ValueError, match="'end' is conflict"):
        willkommen.Offering(type=willkommen.OfferingType.TRAINING, date=dt.date(2016, 3, 1), end=dt.date(2016, 3, 2))


def test_a_shape_declaration_must_be_a_shape_check() -> None:
    """Anything else under the declaration's name is refused, so a misspelt declaration is not ignored."""

    @attrs.frozen
    class Odd:
        __willkommen_shape__: typing.ClassVar[object] = "date or span"
        name: str

    with pytest.raises(UnsupportedType, match="ShapeCheck"):
        class_plan(Odd)


@attrs.frozen
class Tree:
    """A class that holds itself: the plan is lazy, so it ends."""

    label: str
    children: "tuple[Tree, ...]" = ()
    parent: "Tree | None" = None
    index: "dict[str, Tree]" = attrs.field(factory=dict)


def test_recursive_classes_are_planned() -> None:
    """A class holding itself, in a tuple, an optional and a mapping, has a plan that refers to itself."""
    plan = class_plan(Tree)
    assert plan.field("children").node == SequenceNode(ModelNode(Tree), unique=False)
    assert plan.field("parent").node == OptionalNode(ModelNode(Tree))
    assert plan.field("index").node == MappingNode(ModelNode(Tree))
    (held,) = set(model_classes(plan.field("index").node))
    assert class_plan(held) is plan


@attrs.frozen
class _A:
    """One of two classes that hold each other."""

    b: "_B | None" = None


@attrs.frozen
class _B:
    """The other."""

    a: "_A | None" = None


def test_classes_holding_each_other_are_planned() -> None:
    """Mutual recursion: each plan names the other class, and neither is planned twice."""
    assert class_plan(_A).field("b").node == OptionalNode(ModelNode(_B))
    assert class_plan(_B).field("a").node == OptionalNode(ModelNode(_A))


def test_a_class_with_an_unsupported_field_is_refused_naming_the_field() -> None:
    """class_plan names the class and the field; nothing is kept, so asking again refuses again."""

    @attrs.frozen
    class Tagged:
        labels: set[str]

    for _ in range(2):
        with pytest.raises(UnsupportedType, match=r"'labels' of .*Tagged is annotated set\[str\].*frozenset"):
            class_plan(Tagged)


def test_reserved_field_names_are_refused() -> None:
    """``schema_version`` and ``$``-keys are the document's own keys: no field may take them."""

    @attrs.frozen
    class Versioned:
        schema_version: int

    with pytest.raises(UnsupportedType, match="'schema_version'"):
        class_plan(Versioned)
    # attrs cannot make such a field today; the check stands should it ever.
    with pytest.raises(UnsupportedType, match=r"'\$type'"):
        _plan.check_field_name(Leaf, "$type")


@pytest.mark.parametrize("not_a_model", [int, Colour, "Alliance", None])
def test_only_model_classes_have_a_class_plan(not_a_model: Any) -> None:
    """class_plan of anything but an attrs class is refused by name."""
    with pytest.raises(UnsupportedType, match="not a model class"):
        class_plan(not_a_model)


def test_a_non_model_class_cannot_be_a_field() -> None:
    """A plain class, however simple, has no JSON form: refused, with the supported types named."""

    class Plain:
        pass

    with pytest.raises(UnsupportedType, match="neither a model class"):
        plan_of(Plain, owner=Leaf, field="name")


def test_an_unresolvable_annotation_is_refused_at_first_use_naming_the_field_and_name() -> None:
    """A name that exists only for type checkers: the class is defined, and refused when first planned."""

    @attrs.frozen
    class Later:
        partner: "MissingPartner | None" = None  # type: ignore[name-defined]  # noqa: F821 - under test

    with pytest.raises(UnsupportedType) as raised:
        class_plan(Later)
    assert raised.value.field == "partner"
    assert "'MissingPartner' is not defined" in str(raised.value)
    assert "cannot be resolved" in str(raised.value)


def test_an_annotation_resolved_later_is_planned_then() -> None:
    """Nothing is kept for a refused class: once the name exists, the same class is planned."""

    @attrs.frozen
    class Forward:
        item: "SoonDefined"  # type: ignore[name-defined]  # noqa: F821 - under test

    with pytest.raises(UnsupportedType):
        class_plan(Forward)
    globals()["SoonDefined"] = Leaf
    try:
        assert class_plan(Forward).field("item").node == ModelNode(Leaf)
    finally:
        del globals()["SoonDefined"]


def test_an_annotation_that_does_not_evaluate_is_refused() -> None:
    """A syntax error in a string annotation names the field too."""

    @attrs.frozen
    class Broken:
        value: "int +"  # type: ignore[valid-type]  # noqa: F722 - under test

    with pytest.raises(UnsupportedType, match=r"'value' of .*Broken.*cannot be resolved.*SyntaxError"):
        class_plan(Broken)


def test_a_class_whose_annotations_fail_together_is_refused_by_class() -> None:
    """Annotations that resolve one by one but not together (a class body shadowing): refused by class."""
    sabotaged = attrs.make_class("Sabotaged", {"value": attrs.field(type=int)})
    sabotaged.__annotations__ = {"value": "int"}
    real = typing.get_type_hints

    def failing(obj: Any, *args: Any, **kwargs: Any) -> Any:
        if obj is sabotaged:
            raise RuntimeError("together")
        return real(obj, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typing, "get_type_hints", failing)
        with pytest.raises(UnsupportedType, match=r"cannot be resolved \(together\)"):
            class_plan(sabotaged)


def test_unhashable_annotations_are_planned_each_time() -> None:
    """An annotation that cannot be a dict key (Annotated with unhashable data) is still planned."""
    unhashable = typing.Annotated[int, {"unit": "hours"}]
    with pytest.raises(TypeError):
        hash(unhashable)
    assert plan_of(unhashable) == ScalarNode(ScalarKind.INT)
    assert plan_of(typing.Annotated[tuple[int, ...], "meta"]) == SequenceNode(ScalarNode(ScalarKind.INT), unique=False)


def test_a_subclass_that_changes_an_inherited_field_is_refused() -> None:
    """A field typed otherwise than in its attrs base is refused, naming the class, field and both types."""

    # Untagged: a tag would make every document's plan meet this class.
    @willkommen.model
    class Numbered(willkommen.Partner):
        name: int  # type: ignore[assignment]

    with pytest.raises(UnsupportedType) as raised:
        class_plan(Numbered)
    assert raised.value.owner is not None
    assert raised.value.owner.__name__ == "Numbered"
    assert raised.value.field == "name"
    assert raised.value.annotation is int
    assert "str" in raised.value.reason
    assert "Partner" in raised.value.reason


def test_a_subclass_may_add_fields_and_change_defaults() -> None:
    """A subclass that keeps the inherited types, with a new default or a new field, plans."""

    @willkommen.model
    class Named(willkommen.Partner):
        name: str = "unnamed"
        extra: int = 0

    plan = class_plan(Named)
    assert plan.field("name").node == class_plan(willkommen.Partner).field("name").node
    assert plan.field("extra").node == plan_of(int)
