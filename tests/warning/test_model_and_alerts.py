"""The Kompas model on the real data, the early windows it refuses, and the warnings it raises into the event
envelope. Its settings were chosen on windows 2020 and 2021 only (kompas.warning.model): 2023 (whose benchmark files
are held out: benchmarks rebuilt) is out-of-sample, 2021 checks the figure the selection recorded."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.core.envelope import from_warning, problems
from kompas.warning import alerts, evaluate
from kompas.warning import model as kompas_model
from kompas.warning.features import Forecast, month_id
from tests.warning.conftest import need_views


@pytest.fixture(scope="module")
def scores_2023() -> dict[str, evaluate.ModelScore]:
    need_views()
    return {s.model: s for s in evaluate.evaluate(2023)}


def test_kompas_beats_conflictology_in_2023_out_of_sample(scores_2023: dict[str, evaluate.ModelScore]) -> None:
    assert 2023 not in kompas_model.TUNING_WINDOWS and max(kompas_model.TUNING_WINDOWS) < 2022
    kompas, conflictology = scores_2023["kompas"], scores_2023["conflictology"]
    assert kompas.cells == conflictology.cells == 2292
    ratio = evaluate.crps_ratio(list(scores_2023.values()))
    # out-of-sample (settings chosen on 2020-2021): measured 0.756 (seeded, deterministic); the bound leaves room
    # for library versions, not for a regression
    assert ratio is not None and ratio < 0.85, ratio
    assert kompas.ign is not None and conflictology.ign is not None and kompas.ign < conflictology.ign
    assert round(conflictology.crps or 0, 2) == 50.36  # a pure function of the actuals of 2021-11..2022-10
    assert any("trained on" in n for n in kompas.notes)
    assert {"kompas", "conflictology", "poisson", "bootstrap", "zero"} == set(scores_2023)


def test_the_defaults_give_the_figure_the_selection_recorded() -> None:
    need_views()
    chosen = kompas_model.ModelConfig()
    assert (chosen.max_iter, chosen.min_samples_leaf, chosen.max_leaf_nodes, chosen.history_share) == (75, 80, 15, 0.25)
    found = evaluate.evaluate(2021, ["kompas"])[0]
    # the docstring's table, step 4, history_share 0.25: 75.448 on 2021; 0.05 is about the draws' own noise (seeds
    # 0-4 give 75.43-75.48), so a change of the settings or of the features shows
    assert found.crps == pytest.approx(75.448, abs=0.05), found.crps


def test_early_windows_are_refused_naming_the_months() -> None:
    need_views()
    found = {s.model: s for s in evaluate.evaluate(2019, ["kompas", "zero"])}
    assert found["kompas"].crps is None and "kompas 2019 needs the monthly history 2017-11..2018-10" in \
        found["kompas"].error and "2017-11, 2017-12" in found["kompas"].error
    assert round(found["zero"].crps or 0, 2) == 23.02 and found["zero"].as_dict()["cells"] == 2292
    with pytest.raises(evaluate.MissingActuals, match="window 2024: no actuals for 2024-05.*windows that can be "
                                                      "evaluated: 2018-2023"):
        evaluate.evaluate(2024, ["zero"])
    with pytest.raises(ValueError, match="unknown model 'views'"):
        evaluate.evaluate(2022, ["views"])


def synthetic() -> Forecast:
    """Country 1: 40 deaths every month in all draws; country 2: 30 in 60% of the draws of January only."""
    months = np.repeat(np.arange(month_id(2023, 1), month_id(2023, 12) + 1), 2)
    countries = np.tile([1, 2], 12)
    samples = np.zeros((24, 100))
    samples[countries == 1] = 40.0
    samples[1, :60] = 30.0
    return Forecast("kompas", 2023, months, countries, samples)


def test_thresholds_raise_warnings() -> None:
    found = alerts.warnings(synthetic(), names={1: "Ruritania", 2: "Freedonia"}, iso3={1: "RUR", 2: "FRE"})
    by = {(w.iso3, w.threshold.span): w for w in found}
    assert set(by) == {("RUR", "month"), ("FRE", "month")}  # 12 x 40 = 480 < 1000: no year warning
    assert by[("RUR", "month")].probability == 1.0 and len(by[("RUR", "month")].months) == 12
    assert by[("RUR", "month")].severity == "high"
    fre = by[("FRE", "month")]
    assert fre.probability == pytest.approx(0.6) and fre.months == (month_id(2023, 1),) and fre.severity == "low"
    year = alerts.warnings(synthetic(), [alerts.Threshold(400, 0.5, "year")])
    assert [(w.country_id, w.probability, w.expected_fatalities) for w in year] == [(1, 1.0, 480.0)]
    with pytest.raises(ValueError, match="span"):
        alerts.Threshold(25, 0.5, "week")  # type: ignore[arg-type]


def test_warnings_become_valid_envelope_events() -> None:
    found = alerts.warnings(synthetic(), names={2: "Freedonia"}, iso3={2: "FRE"})
    event = from_warning(next(w for w in found if w.iso3 == "FRE").as_dict(), "test", "org|marking")
    assert problems(event) == []
    assert (event.domain, event.type, event.severity, event.place.countries) == ("intel", "conflict-warning", "low",
                                                                               ("FRE",))
    assert event.evidence["probability"] == pytest.approx(0.6) and event.evidence["threshold_fatalities"] == 25
    assert event.start_utc.startswith("2023-01-01T00:00:00") and event.end_utc.startswith("2023-01-31T23:59:59")
    assert event.actors[0].kind == "country" and event.payload["forecast"] is True
    again = from_warning(next(w for w in found if w.iso3 == "FRE").as_dict(), "test", "org|marking")
    assert again.id == event.id  # the same warning recorded twice is one event
    no_code = from_warning(next(w for w in found if w.country_id == 1).as_dict())
    assert problems(no_code) == [] and no_code.place.countries == () and no_code.actors[0].id == "1"
