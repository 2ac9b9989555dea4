"""ND-GAIN Country Index 2025: parsing, the 2023 ranking and the index identity."""

from __future__ import annotations

import pytest

from kompas.context import ndgain

from .conftest import need_shared


@pytest.fixture(scope="module")
def data() -> ndgain.NdGain:
    need_shared()
    from kompas.context import load

    return load.read_ndgain()


def test_reference_2023_top_and_bottom(data: ndgain.NdGain) -> None:
    # ND-GAIN 2025 release (PROVENANCE): tolerance 0.05 index points (the published one-decimal figures).
    assert data.rejections == []
    ranked = data.ranking(2023)
    assert len(ranked) == 187
    assert [(r.iso3, r.rank) for r in ranked[:3]] == [("NOR", 1), ("FIN", 2), ("CHE", 3)]
    for row, value in zip(ranked[:3], (76.8, 74.8, 72.9), strict=True):
        assert row.value == pytest.approx(value, abs=0.05)
    bottom = ranked[-3:][::-1]
    assert [r.name for r in bottom] == ["Chad", "Central African Republic", "Eritrea"]
    for row, value in zip(bottom, (25.0, 26.9, 29.5), strict=True):
        assert row.value == pytest.approx(value, abs=0.05)


def test_gain_identity_every_country_year(data: ndgain.NdGain) -> None:
    # gain = (readiness - vulnerability + 1) x 50 for every country-year with the three scores (to 1e-9).
    worst, count = ndgain.gain_identity_error(data)
    assert count == len(data.indices["gain"]) == 5423, "every scored gain has both sub-indices"
    assert worst < 1e-9
    assert len(data.countries) == 192 and data.years() == list(range(1995, 2024))


def test_components_parsed(data: ndgain.NdGain) -> None:
    expected = {*ndgain.MAIN, *ndgain.VULNERABILITY_COMPONENTS, *ndgain.SECTORS, *ndgain.READINESS_COMPONENTS}
    assert set(data.indices) == expected
    assert all(0.0 <= v <= 1.0 for k, table in data.indices.items() if k != "gain" for v in table.values())
    assert data.vulnerability("TCD", 2023) is not None and data.value("food", "NOR", 2023) is not None
    assert data.gain("AND", 2023) is None, "empty cells are no score, not zero"


def test_bad_cells_reported_and_rest_kept() -> None:
    text = ('"ISO3","Name","2022","2023"\n"NOR","Norway",70,abc\n"XXX","Nowhere",1,2\n"FIN","Finland",150,74.8\n'
            '"NOR","Norway",1,2\n"SWE","Sweden",1\n')
    values, names, rejections = ndgain.parse_index(text, "gain.csv", "gain")
    assert values == {("NOR", 2022): 70.0, ("FIN", 2023): 74.8}
    assert [(r.line, r.field) for r in rejections] == [(2, "2023"), (3, "ISO3"), (4, "2022"), (5, "ISO3"), (6, "")]
    assert names == {"NOR": "Norway", "FIN": "Finland"}
    _, _, header = ndgain.parse_index('"Code","Name","2023"\n', "x.csv", "gain")
    assert header[0].line == 1 and header[0].field == "header"
