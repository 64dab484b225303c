"""Registries fit for apps and tests: reloads accepted, conflicts named, scopes undone, threads safe."""

import copy
import importlib
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import willkommen
import willkommen.nrw

from .conftest import example

EXTENSION = textwrap.dedent(
    '''
    """A user's extension, as a notebook cell or a reloaded module runs it again."""
    import attrs
    import willkommen

    @willkommen.tagged("test-reload-partner")
    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class ReloadPartner(willkommen.Partner):
        """A partner with a register number."""

        register_no: str

    @willkommen.rules.rule(
        ReloadPartner,
        "reload.register_no",
        willkommen.Severity.WARNING,
        reads=(),
        description="An empty register number.",
        description_de="Eine leere Registernummer.",
        message="empty register number",
        message_de="leere Registernummer",
        source="this test",
    )
    def register_no_is_given(partner, context):
        """Warn of an empty register number."""
        if not partner.register_no:
            yield willkommen.rules.finding("register_no")

    PROGRAM = willkommen.programs.register_program(
        willkommen.programs.Program(
            id="test-reload",
            name="A reloaded program",
            carriers=("Land",),
            start=willkommen.programs.WILLKOMMEN_BEI_FREUNDEN.start,
            min_partners=3,
            offering_types=frozenset(willkommen.OfferingType),
        )
    )
    '''
)


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The user's extension, imported inside a registry scope that the test leaves behind."""
    (tmp_path / "wk_test_reload.py").write_text(EXTENSION, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with willkommen.registry_scope():
        yield importlib.import_module("wk_test_reload")
    sys.modules.pop("wk_test_reload", None)


def _with_registered_partner(register_no: str) -> dict[str, Any]:
    data = example("bautzen")
    data["partners"][0] = {**data["partners"][0], "$type": "test-reload-partner", "register_no": register_no}
    return data


def test_a_reloaded_extension_registers_again(module: Any) -> None:
    """Reloading makes new classes and functions of the same names: accepted, and the new ones answer."""
    old_class = module.ReloadPartner
    reloaded = importlib.reload(module)
    assert reloaded.ReloadPartner is not old_class
    alliance = willkommen.load(_with_registered_partner("VR 1"))
    assert type(alliance.partners[0]) is reloaded.ReloadPartner
    assert [(p.code, p.path) for p in willkommen.check(_with_registered_partner(""))] == [
        ("reload.register_no", "/partners/0/register_no")
    ]
    # An object of the class before the reload still writes its tag.
    assert willkommen.dump(attrs.evolve(alliance, partners=(old_class(**_fields(alliance.partners[0])),)))


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj))}


def test_the_shipped_extension_can_be_reloaded() -> None:
    """willkommen.nrw run again (as a notebook might) changes nothing a user sees."""
    saved = dict(vars(willkommen.nrw))
    try:
        with willkommen.registry_scope():
            importlib.reload(willkommen.nrw)
            assert willkommen.nrw.NrwAlliance is not saved["NrwAlliance"]
            assert type(willkommen.loads(Path("examples/leverkusen.json").read_bytes())) is willkommen.nrw.NrwAlliance
            assert {r.code for r in willkommen.rules.catalogue()} >= {"nrw.outside_nrw", "nrw.age_range"}
    finally:
        # The module's names back to the classes the registry holds again, for the other tests.
        vars(willkommen.nrw).update(saved)


def test_a_conflicting_tag_names_both_classes(module: Any) -> None:
    """Another class under a taken tag: TagError naming the owner and the newcomer."""

    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class Intruder(willkommen.Partner):
        """Another class."""

    with pytest.raises(willkommen.TagError) as caught:
        willkommen.tagged("test-reload-partner")(Intruder)
    assert "wk_test_reload.ReloadPartner" in str(caught.value)
    assert "Intruder" in str(caught.value)


def test_a_conflicting_rule_names_both_functions(module: Any) -> None:
    """Another function under a taken code: an error naming both."""
    (entry,) = [r for r in willkommen.rules.catalogue() if r.code == "reload.register_no"]
    with pytest.raises(willkommen.WillkommenError) as caught:
        willkommen.rules.register_rule(attrs.evolve(entry, check=lambda *_: ()))
    assert "wk_test_reload.register_no_is_given" in str(caught.value)
    assert "<lambda>" in str(caught.value)


def test_a_conflicting_program_names_both(module: Any) -> None:
    """A different program under a taken id: an error naming both and what differs."""
    with pytest.raises(willkommen.ProgramError) as caught:
        willkommen.programs.register_program(attrs.evolve(module.PROGRAM, name="Another", min_partners=5))
    assert "'A reloaded program'" in str(caught.value)
    assert "'Another'" in str(caught.value)
    assert "name, min_partners" in str(caught.value)


def test_a_scope_undoes_what_was_registered_inside() -> None:
    """Tags, rules and programs registered in a scope are gone after it; the state before is back."""
    before = (willkommen.rules.catalogue(), willkommen.programs.registered())
    with willkommen.registry_scope():
        with willkommen.registry_scope():
            module = _scoped_extension()
            assert getattr(willkommen.load(_with_registered_partner("VR 1")).partners[0], "register_no", None) == "VR 1"
            assert willkommen.programs.get_program("test-scoped").name == "Scoped"
        del module
        with pytest.raises(willkommen.ProgramError):
            willkommen.programs.get_program("test-scoped")
    assert (willkommen.rules.catalogue(), willkommen.programs.registered()) == before
    problems = willkommen.check(_with_registered_partner("VR 1"))
    assert [(p.code, p.path) for p in problems] == [("invalid_value", "/partners/0/$type")]


def _scoped_extension() -> object:
    @willkommen.tagged("test-reload-partner")
    @attrs.frozen(kw_only=True, field_transformer=willkommen.typed_fields)
    class ScopedPartner(willkommen.Partner):
        """A partner of one scope."""

        register_no: str

    willkommen.programs.register_program(
        attrs.evolve(willkommen.programs.WILLKOMMEN_BEI_FREUNDEN, id="test-scoped", name="Scoped")
    )
    return ScopedPartner


def test_registering_while_other_threads_check_is_safe() -> None:
    """Checks in other threads see the old registry or the new one, never one changing under them.

    Every registration empties the caches, so each check rebuilds them while the
    next registration comes; threads switch as often as Python lets them. (With
    the tables changed in place, as before, this fails with "dictionary changed
    size during iteration".)
    """
    document = example("bautzen")
    expected = willkommen.check(copy.deepcopy(document))
    errors: list[BaseException] = []
    checks = [0, 0, 0]
    stop = threading.Event()

    def checker(index: int) -> None:
        try:
            while not stop.is_set():
                # The rules registered below report nothing for Bautzen: the answer never changes.
                assert willkommen.check(document) == expected
                assert len({entry.code for entry in willkommen.rules.catalogue()}) > 30  # the catalogue, listed whole
                checks[index] += 1
        except BaseException as exc:  # noqa: BLE001 - any failure in a thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=checker, args=(index,)) for index in range(len(checks))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with willkommen.registry_scope():
            for thread in threads:
                thread.start()
            count = 0
            # Until every thread has checked a number of times (or errors came), bounded in time.
            deadline = time.monotonic() + 10
            while min(checks) < 25 and not errors and time.monotonic() < deadline:
                _register_quiet_rule(f"test.thread{count}")
                count += 1
                if count % 200 == 0:
                    program = attrs.evolve(willkommen.programs.WILLKOMMEN_BEI_FREUNDEN, id=f"test-thread-{count}")
                    willkommen.programs.register_program(program)
    finally:
        stop.set()
        sys.setswitchinterval(interval)
        for thread in threads:
            thread.join()
    assert errors == []
    # Every thread checked while the registrations went on (how often depends on the machine).
    assert min(checks) > 0


def _register_quiet_rule(code: str) -> None:
    def quiet(obj: object, context: willkommen.rules.Context) -> Iterator[willkommen.rules.Finding]:
        yield from ()

    quiet.__qualname__ = f"quiet_{code}"
    willkommen.rules.register_rule(
        willkommen.rules.Rule(
            code=code,
            severity=willkommen.Severity.ERROR,
            description="Never fires.",
            description_de="Schlägt nie an.",
            message="never",
            message_de="nie",
            applies_to=willkommen.Partner,
            reads=frozenset(),
            check=quiet,
        )
    )


def test_a_registration_never_changes_a_table_in_use() -> None:
    """Copy on write, the reason threads are safe: what a check holds stays as it was while others register."""
    from willkommen import _engine, _programs, _tags

    catalogue, tags, programs = _engine.current(), _tags.current(), _programs.registered()
    before = (dict(catalogue.rules), dict(tags.class_of), dict(tags.tag_of), dict(programs))
    with willkommen.registry_scope():
        _register_quiet_rule("test.copy_on_write")
        _scoped_extension()
        assert (dict(catalogue.rules), dict(tags.class_of), dict(tags.tag_of), dict(programs)) == before
        assert _engine.current() is not catalogue
        assert "test.copy_on_write" in {entry.code for entry in willkommen.rules.catalogue()}
