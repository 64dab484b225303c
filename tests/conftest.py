"""Shared fixtures: the seed alliances as data, and Hypothesis profiles."""

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

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
def rich(bautzen: dict[str, Any]) -> dict[str, Any]:
    """Bautzen with every part filled in, so that every rule has something to check.

    The added dates, sessions and offerings are made up for the tests: the
    seeds do not give them.
    """
    data = copy.deepcopy(bautzen)
    data["founded_on"] = "2017-01-15"
    data["lead"] = "landrat"
    data["offerings"] = [
        {"type": "analysis_workshop", "date": "2017-03-01", "participants": 12},
        {"type": "training", "start": "2017-10-01", "end": "2017-10-02"},
        {"type": "process_coaching", "start": "2017-09-26", "end": "2018-12-31"},
    ]
    data["coaching"]["sessions"] = [
        {"date": "2017-10-10", "hours": 33.3, "task": "goal_setting"},
        {"date": "2017-11-10", "hours": 33.3},
        {"date": "2018-01-10", "hours": 33.4, "note": "Abschluss"},
    ]
    data["consultations"] = [{"date": "2016-11-01", "office": "magdeburg"}]
    return data
