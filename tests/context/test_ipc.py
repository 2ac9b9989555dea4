"""IPC acute food insecurity workbook: the country summaries of sheet IPC."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import pytest

from kompas.context import ipc

from .conftest import need_shared

MEASURES = [None] * 7 + ["Population Analysed", None, "", None, "Phase 1", None, "Phase 2", None, "Phase 3", None,
                         "Phase 4", None, "Phase 5", None, "Phase P3+", None]
HEADER = ["Country", "Level 1 Name", "Area", "Area ID", "Analysis Name", "Date of Analysis", "Country Population",
          "#", "% of total county Pop", "Area Phase", "Analysis Period", "#", "%", "#", "%", "#", "%", "#", "%", "#",
          "%", "#", "%"]


def sheet(*rows: Sequence[object]) -> list[Sequence[object]]:
    return [[None]] * 10 + [MEASURES, HEADER, *rows]


def summary(first: str, date_text: object = "Sep 2022", period: str = "Sep 2022 - Oct 2022",
            p3: object = 300, share: object = 0.3) -> list[object]:
    return [first, None, None, None, None, date_text, 1000, 1000, 1, "", period, 400, 0.4, 300, 0.3, 200, 0.2, 100,
            0.1, 0, 0, p3, share]


def test_synthetic_sheet() -> None:
    rows = sheet(summary("Somalia: Acute Food Insecurity September 2022"),
                 ["Somalia", "", "Bay", "1", "Acute Food Insecurity September 2022", "Sep 2022"],
                 summary("LAC Region (tri-National): Acute Food Insecurity", "Oct 2020", "Oct 2020 - Feb 2021"),
                 summary("Atlantis: Acute Food Insecurity", "Oct 2020"),
                 summary("Haiti: Acute Food Insecurity", "2022-09", "Oct 2022 - Sep 2022", "many", 1.7),
                 ["Disclaimer: figures may not add up", None], ["Source: IPC", None])
    analyses, rejections = ipc.parse_rows(rows, "ipc.xlsx")
    assert [(a.country, a.iso3, a.row) for a in analyses] == [("Somalia", "SOM", 13),
                                                             ("LAC Region (tri-National)", "", 15)]
    somalia = analyses[0]
    assert somalia.analysis_date == date(2022, 9, 1) and somalia.current is not None
    assert somalia.current.phase3plus == 300 and somalia.current.phase3plus_share == 0.3
    assert somalia.current.phases == (400, 300, 200, 100, 0) and somalia.projection is None
    assert [(r.line, r.field) for r in rejections] == [
        (16, "Country"), (17, "Date of Analysis"), (17, "current: Phase P3+ #"), (17, "current: Phase P3+ %"),
        (17, "current: Analysis Period")]
    assert rejections[4].value == "Oct 2022 - Sep 2022" and "in order" in rejections[4].reason
    assert ipc.footnotes(rows) == [(18, "Disclaimer: figures may not add up"), (19, "Source: IPC")]


def test_header_not_found_rejects_the_sheet() -> None:
    analyses, rejections = ipc.parse_rows([["IPC Analysis"], ["nothing"]], "ipc.xlsx")
    assert analyses == [] and rejections[0].line == 0 and rejections[0].field == "header"
    broken = [[None]] * 10 + [[None] * 7 + ["Population Analysed"], HEADER]
    analyses, rejections = ipc.parse_rows(broken, "ipc.xlsx")
    assert analyses == [] and rejections[0].line == 12


@pytest.fixture(scope="module")
def real() -> list[ipc.IpcAnalysis]:
    need_shared()
    from kompas.context import load

    analyses, rejections = load.read_ipc()
    assert rejections == [], [str(r) for r in rejections[:5]]
    return analyses


def test_reference_counts(real: list[ipc.IpcAnalysis]) -> None:
    # PROVENANCE: "215 analysis rows in 34 countries; 2017 27, 2018 28, 2019 33, 2020 43, 2021 40, 2022 41,
    # 2023 1, undated 2" (exact). Its 215 and 34 count the two foot notes ("Disclaimer:", "Source:"), which have the
    # summary form and no date: 213 analyses in 32 countries or regions, plus those 2 undated rows.
    years = Counter(a.year for a in real)
    assert dict(years) == {2017: 27, 2018: 28, 2019: 33, 2020: 43, 2021: 40, 2022: 41, 2023: 1}
    assert len(real) == 213 and len({a.country for a in real}) == 32
    from kompas.context import load

    notes = ipc.footnotes(load.read_ipc_rows())
    assert [text.split(":")[0] for _, text in notes] == ["Disclaimer", "Source"]
    assert len(real) + len(notes) == 215 and len({a.country for a in real}) + len(notes) == 34
    assert {a.country for a in real if not a.iso3} == {"LAC Region (tri-National)"}


def test_real_figures(real: list[ipc.IpcAnalysis]) -> None:
    somalia = ipc.latest(real, "SOM", date(2022, 12, 31))
    assert somalia is not None and somalia.name == "Acute Food Insecurity November 2022"
    assert somalia.current is not None and somalia.current.phase3plus == 5594290
    assert somalia.current.phase3plus_share == 0.33 and len(somalia.periods) == 3
    yemen = ipc.latest(real, "YEM", date(2022, 12, 31))  # a projection update: no current period
    assert yemen is not None and yemen.current is None and yemen.headline() is yemen.projection
    assert ipc.latest(real, "NOR", date(2022, 12, 31)) is None
    assert ipc.latest(real, "SOM", date(2016, 12, 31)) is None
