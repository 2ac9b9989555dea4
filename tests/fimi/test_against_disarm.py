"""Reference tests on the DISARM framework and incident data (DISARM Foundation, CC BY-SA 4.0, in
../shared/data/fimi/disarm; skipped when absent)."""

from __future__ import annotations

from collections import Counter

from kompas.fimi import disarm
from kompas.fimi.load import load_toolbox, read_incidents
from tests.fimi.conftest import DISARM, need


def test_framework_has_the_published_shape(framework) -> None:
    assert len(framework.tactics) == 16 and list(framework.tactics)[:2] == ["TA01", "TA02"]
    assert len(framework.techniques) == 391 and len(framework.countermeasures) == 140
    assert framework.name_of("T0022") == "Leverage Conspiracy Theory Narratives"
    assert framework.tactic_of("T0022.001") == "TA14"  # a sub-technique falls back to its parent's tactic
    assert set(framework.metatechniques) == set(load_toolbox().metatechniques)  # every one has a category


def test_stix_bundle_and_spreadsheets_agree(framework) -> None:
    tactics, techniques = disarm.techniques_from_stix((need(DISARM) / "DISARM_stix21_bundle.json").read_text())
    assert len(tactics) == 16 and set(techniques) == set(framework.techniques)
    assert all(techniques[t].name == framework.techniques[t].name for t in techniques)


def test_incidents_are_read_with_their_techniques_and_bad_rows_reported() -> None:
    incidents, rejections = read_incidents(need(DISARM))
    assert len(incidents) == 128
    assert sorted((r.line, r.field, r.value) for r in rejections) == [
        (85, "technique_ids", "T00145.006"), (141, "year_started", "I00120")]
    by_ref = {i.ref: i for i in incidents}
    assert by_ref["DISARM I00001"].actors[0].state == "RUS" and by_ref["DISARM I00001"].first_seen == "2016-01-01"
    assert sum(bool(i.techniques) for i in incidents) >= 55
    top = Counter(t for i in incidents for t in i.techniques).most_common(2)
    assert {t for t, _ in top} == {"T0143.002", "T0143.003"}
