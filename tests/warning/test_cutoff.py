"""No model may read anything dated after its window's cut-off (31 October of the year before).

The filter is structural: :func:`kompas.warning.features.restrict` is the one way data reaches a model, and a
:class:`~kompas.warning.features.Restricted` refuses anything later. The proof on the real data: every value after
the cut-off is poisoned (huge numbers, NaN, records known later saying the opposite) and the forecasts of every
model stay bit-identical. And the dates themselves: every record the real context readers give
(:func:`kompas.warning.load.context_data`: UCDP/PRIO, ND-GAIN, IPC from ../shared) is dated by its source's release
(:mod:`kompas.context.releases`: ND-GAIN year y on 1 January y+2, UCDP year y on 1 July y+1, IPC on its analysis
date), so a window's model reads ND-GAIN up to Y-3 and UCDP up to Y-2 and nothing released after the cut-off.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from kompas.context.releases import latest_year, released
from kompas.warning import evaluate, load
from kompas.warning import model as kompas_model
from kompas.warning.features import (
    Dated,
    Panel,
    Restricted,
    context_features,
    cutoff_date,
    cutoff_month,
    history_features,
    restrict,
)
from tests.warning.conftest import need_views

FAST = kompas_model.ModelConfig(max_iter=25)  # the property is structural: a small model shows it as well


def poisoned(panel: Panel, after: int) -> Panel:
    """``panel`` with every month after ``after`` replaced by huge numbers and NaN."""
    values = panel.values.copy()
    tail = values[:, after - panel.first_month + 1:]
    tail[:] = 1e12
    tail[::3] = np.nan
    return Panel(panel.countries, panel.first_month, values, panel.source)


def records_for(panel: Panel, window: int) -> list[Dated]:
    """A context record per country known before the cut-off, and its poisoned twin known the day after."""
    early = [Dated(int(c), "ucdp_active", date(window - 2, 12, 31), 0.0, window - 2) for c in panel.countries]
    late = [Dated(int(c), "ucdp_active", cutoff_date(window).replace(day=31, month=12), 1e9, window - 1)
            for c in panel.countries]
    return early + late


@pytest.mark.parametrize("window", [2020, 2023])
def test_forecasts_are_bit_identical_when_everything_after_the_cutoff_is_poisoned(panel, window: int) -> None:
    records = records_for(panel, window)
    honest = restrict(panel, records[: len(panel.countries)], cutoff_date(window))
    bad = restrict(poisoned(panel, cutoff_month(window)), records, cutoff_date(window))
    assert bad.dropped["ucdp_active"] == len(panel.countries) and bad.dropped["months"] > 0
    clean = kompas_model.forecast(honest, window, FAST)
    dirty = kompas_model.forecast(bad, window, FAST)
    assert clean.samples.shape == (2292, 1000)
    assert np.array_equal(clean.samples, dirty.samples) and np.array_equal(clean.country_id, dirty.country_id)
    for name in ("conflictology", "poisson", "bootstrap", "zero"):
        a = evaluate.build(name, window, panel)
        b = evaluate.build(name, window, poisoned(panel, cutoff_month(window)))
        assert np.array_equal(a.samples, b.samples), name


def test_a_source_dated_after_the_cutoff_is_refused_or_dropped(panel) -> None:
    cutoff = cutoff_date(2021)
    late = Dated(int(panel.countries[0]), "ipc_phase3_share", date(2020, 11, 1), 0.4, 2020)
    with pytest.raises(ValueError, match="known after the cut-off 2020-10-31"):
        Restricted(cutoff, panel.until(cutoff_month(2021)), (late,))
    with pytest.raises(ValueError, match="reaches 2020-11, after the cut-off"):
        Restricted(cutoff, panel.until(cutoff_month(2021) + 1))
    kept = restrict(panel, [late, replace(late, known=cutoff)], cutoff)
    assert kept.records == (replace(late, known=cutoff),) and kept.dropped["ipc_phase3_share"] == 1
    assert kept.panel.last_month == cutoff_month(2021)


def test_training_features_at_an_origin_never_read_later_months(panel) -> None:
    origin = cutoff_month(2021) - 7
    honest = history_features(panel, origin, {})
    dirty = history_features(poisoned(panel, origin), origin, {})
    assert np.array_equal(honest, dirty, equal_nan=True)
    assert np.isfinite(honest[:, 0]).all()  # the origin month itself is used


def test_context_values_are_the_latest_known_on_the_day() -> None:
    countries = np.array([1, 2])
    records = [Dated(1, "x", date(2019, 12, 31), 1.0, 2019), Dated(1, "x", date(2020, 12, 31), 2.0, 2020),
               Dated(2, "x", date(2021, 1, 1), 5.0, 2020)]
    assert np.array_equal(context_features(countries, records, ["x"], date(2020, 6, 30)), [[1.0], [np.nan]],
                          equal_nan=True)
    assert context_features(countries, records, ["x"], date(2021, 1, 1)).tolist() == [[2.0], [5.0]]


def test_the_release_rule_per_source() -> None:
    assert released("ndgain", 2023) == date(2025, 1, 1)  # the 2025 release is the first with 2023
    assert released("ucdp", 2023) == date(2024, 7, 1)  # v24.1 (2023) was published in June 2024
    assert released("ipc", date(2022, 10, 1)) == date(2022, 10, 1)
    assert latest_year("ndgain", date(2022, 10, 31)) == 2020 and latest_year("ucdp", date(2022, 10, 31)) == 2021
    assert latest_year("ucdp", date(2023, 7, 1)) == 2022 and latest_year("ucdp", date(2023, 6, 30)) == 2021
    with pytest.raises(ValueError, match="analysis date"):
        released("ipc", 2022)
    with pytest.raises(ValueError, match="by its year"):
        released("ucdp", date(2022, 1, 1))
    with pytest.raises(ValueError, match="unknown source"):
        released("views", 2022)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def context() -> load.ContextData:
    """The real readers' records (UCDP/PRIO v24.1, ND-GAIN 2025, IPC 2017-2023 from ../shared), read once."""
    need_views()
    found = load.context_data()
    if found.notes:
        pytest.skip(f"context sources unavailable: {'; '.join(found.notes)}")
    return found


def test_every_real_record_is_dated_by_its_release(context: load.ContextData) -> None:
    from kompas.context import load as context_load

    sources = {r.source for r in context.records}
    assert sources == {"UCDP/PRIO", "ND-GAIN", "IPC"}, sources
    analyses = {(context.iso3.get(r.country_id), r.known) for r in context.records if r.source == "IPC"}
    published = {(a.iso3, a.analysis_date) for a in context_load.read_ipc()[0]}
    # the rule written out here, not read from kompas.context.releases: a change of the rule must fail this test
    expected = {"UCDP/PRIO": lambda p: date(p + 1, 7, 1), "ND-GAIN": lambda p: date(p + 2, 1, 1)}
    for record in context.records:
        if record.source == "IPC":
            assert record.period == record.known.year, record
        else:
            assert record.known == expected[record.source](record.period), record
    assert analyses <= published and len(analyses) > 100, "IPC records are dated by the reader's analysis dates"


@pytest.mark.parametrize("window", [2020, 2021, 2022, 2023])
def test_a_window_reads_only_what_was_released_by_its_cutoff(panel, context: load.ContextData, window: int) -> None:
    cutoff = cutoff_date(window)
    data = restrict(panel, context.records, cutoff, context.neighbours)
    latest: dict[str, int] = {}
    for record in data.records:
        assert record.known <= cutoff, record
        latest[record.source] = max(latest.get(record.source, 0), record.period)
    ipc_last = max(r.known for r in data.records if r.source == "IPC")
    assert latest["ND-GAIN"] == window - 3 and latest["UCDP/PRIO"] == window - 2, latest
    assert ipc_last <= cutoff and latest["IPC"] == window - 1, (ipc_last, latest)
    # the data hold later years (ND-GAIN and UCDP to 2023): the rule, not the data's end, keeps them out
    held = {(r.source, r.period) for r in context.records}
    assert ("ND-GAIN", window - 2) in held and ("UCDP/PRIO", window - 1) in held
    assert data.dropped["ndgain_vulnerability"] > 0 and data.dropped["ucdp_active"] > 0
