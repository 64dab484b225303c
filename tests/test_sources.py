"""The register of sources: every rule cites it, and docs/sources.md lists every choice it names."""

from pathlib import Path

import pytest

import willkommen
import willkommen.nrw  # registers the NRW rules, which cite sources too
from willkommen._sources import SOURCES, cited_sources, find_source

_DOCS = Path(__file__).parent.parent / "docs"


def _shipped() -> list[willkommen.rules.Rule]:
    # Other test modules register rules of their own, citing their own rules.
    return [
        e
        for e in willkommen.rules.catalogue()
        if e.applies_to is None or e.applies_to.__module__.startswith("willkommen")
    ]


@pytest.mark.parametrize("rule", _shipped(), ids=lambda r: r.code)
def test_every_shipped_rule_cites_a_registered_source(rule: willkommen.rules.Rule) -> None:
    """A built-in rule's source opens with ids of the register, so ``rules CODE`` can name the texts."""
    assert cited_sources(rule.source), rule.source


def test_ids_are_unique_and_titled_in_both_languages() -> None:
    """One entry per id, each with an English and a German title."""
    ids = [source.id for source in SOURCES]
    assert len(ids) == len(set(ids))
    for source in SOURCES:
        assert source.title
        assert source.title_de


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ('wbf-goals: "mindestens drei lokalen Akteuren"', ("wbf-goals",)),
        ("bautzen-news, bautzen-agreement: signed", ("bautzen-news", "bautzen-agreement")),
        ("sgb8", ("sgb8",)),
        # A user's rule citing its own rules names nothing of the register.
        ("the county's budget rules", ()),
        ("unknown-id: detail", ()),
        ("", ()),
    ],
)
def test_cited_sources_reads_the_ids_a_citation_opens_with(citation: str, expected: tuple[str, ...]) -> None:
    """Ids before the colon, in order; text without them cites none."""
    assert expected == tuple(source.id for source in cited_sources(citation))


def test_find_source() -> None:
    """Lookup by id; None for an id not in the register."""
    found = find_source("sgb8")
    assert found is not None
    assert "SGB VIII" in found.title
    assert find_source("seed-003") is None


def test_sources_page_lists_the_choices_the_code_names() -> None:
    """The sources page includes the generated register and lists the choices the code rests on."""
    page = (_DOCS / "sources.md").read_text(encoding="utf-8")
    assert "_generated/sources.md" in page
    for choice in ("100-hour", "18 ≤ age < 27", "2022-12-31", "min_partners", "Erster Kreisrat", "Starter-Workshop"):
        assert choice in page, choice
