"""Shared fixtures: the seed alliances as data, and Hypothesis profiles."""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from willkommen._example import example_document

EXAMPLES = Path(__file__).parent.parent / "examples"

# CI runs a bounded number of examples; a developer may ask for more with
# HYPOTHESIS_PROFILE=thorough.
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def example(name: str) -> dict[str, Any]:
    """A shipped example document, parsed."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def bautzen() -> dict[str, Any]:
    """The Bautzen alliance (seeds 000, 001) as shipped."""
    return example("bautzen")


@pytest.fixture
def helmstedt() -> dict[str, Any]:
    """The Helmstedt alliance (seed 002) as shipped."""
    return example("helmstedt")


@pytest.fixture
def rich() -> dict[str, Any]:
    """The complete example alliance: Bautzen with every part filled in, so that every rule has work."""
    return example_document()
