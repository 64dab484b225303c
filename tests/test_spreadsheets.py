"""Spreadsheets: alliances to XLSX, ODS and CSV and back, every problem located by sheet and cell."""

import io
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import willkommen
import willkommen.nrw
from willkommen import spreadsheets
from willkommen.nrw import GEMEINSAM_KLAPPTS, NrwAlliance, ResidenceStatus, TargetGroup
from willkommen.testing import alliances

FORMATS = ("xlsx", "ods", "zip", "csv")
LANGS = ("de", "en")


def _nrw(alliance: willkommen.Alliance, group: TargetGroup) -> NrwAlliance:
    """A valid NRW alliance: its first partner, an integration office, coordinates."""
    fields = {f.name: getattr(alliance, f.name) for f in attrs.fields(willkommen.Alliance)}
    office = attrs.evolve(alliance.partners[0], kind=willkommen.PartnerKind.INTEGRATION_OFFICE)
    fields["partners"] = (office, *alliance.partners[1:])
    return NrwAlliance(**fields, coordinating_office=office.id, target_group=group)


@st.composite
def _target_groups(draw: st.DrawFn) -> TargetGroup:
    age_min = draw(st.integers(18, 26))
    return TargetGroup(
        age_min=age_min,
        age_max_exclusive=draw(st.integers(age_min + 1, 27)),
        residence_statuses=tuple(draw(st.lists(st.sampled_from(ResidenceStatus), unique=True))),
        count=draw(st.none() | st.integers(0, 5000)),
    )


_TARGET_GROUPS = _target_groups()
_NRW_ALLIANCES = st.builds(_nrw, alliances(GEMEINSAM_KLAPPTS), _TARGET_GROUPS)
_ALLIANCE_LISTS = st.lists(alliances() | _NRW_ALLIANCES, min_size=1, max_size=3, unique_by=lambda a: a.id)


def round_trip(objects: list[Any], fmt: str, lang: str) -> spreadsheets.WorkbookReading:
    """Write *objects* in *fmt* and read them back."""
    if fmt == "csv":
        with tempfile.TemporaryDirectory() as folder:
            spreadsheets.write(objects, Path(folder, "out"), lang=lang)  # type: ignore[arg-type]
            return spreadsheets.read(Path(folder, "out"))
    buffer = io.BytesIO()
    spreadsheets.write(objects, buffer, lang=lang, format=fmt)  # type: ignore[arg-type]
    return spreadsheets.read(buffer.getvalue(), format=fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=15)
@given(objects=_ALLIANCE_LISTS)
def test_round_trip(fmt: str, lang: str, objects: list[willkommen.Alliance]) -> None:
    """Whatever alliances are written, in any format and language, the same alliances are read back."""
    reading = round_trip(objects, fmt, lang)
    assert reading.all_problems() == []
    assert objects == [record.value for record in reading.records]
