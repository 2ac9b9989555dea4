"""Derived results come from the least restrictive inputs (issue 17, item 5).

When several contributors hold the same object at the same epoch under different markings, a screening job uses
the copy that the most people may see (:func:`kompas.core.markings.restrictiveness`), records the choice in the
conjunction's provenance, and so never marks a conjunction higher than its inputs require. Regression: a
conjunction between two publicly known objects became SECRET (and invisible to everyone else) because the job
picked one copy by UUID order. Rerunning a screening stores nothing twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.core.jobs import screen_catalogue
from kompas.core.markings import Classification, Marking, Viewer, combine, least_restrictive, may_see
from kompas.core.store import Store
from kompas.space.ingest import parse_text
from tests.core.conftest import wipe
from tests.core.strategies import markings

PAIR = (Path(__file__).resolve().parents[1] / "data" / "iridium33_cosmos2251_2009-02-09.tle").read_text()
IRIDIUM, COSMOS = 24946, 22675


def _two_contributors(store: Store) -> tuple[int, int]:
    store.add_org("DE-GSSAC", "DE")
    store.add_org("FR-CNES", "FR")
    store.add_user("open-analyst", "DE-GSSAC", "UNCLASSIFIED")
    store.add_user("secret-analyst", "FR-CNES", "SECRET")
    return store.account("open-analyst").user_id, store.account("secret-analyst").user_id


def _store_pair(store: Store, user_id: int, marking: Marking, only: int | None = None) -> None:
    parsed = parse_text(PAIR, "pair.tle", "tle")
    sets = [e for e in parsed.elements if only is None or e.norad_id == only]
    assert sets, "the test file holds the two element sets"
    store.store_element_sets(user_id, "tle", "pair.tle", sets, [], marking)


@pytest.mark.parametrize("secret_first", [True, False])
def test_two_contributors_of_the_same_public_objects_give_a_public_conjunction(store: Store,
                                                                                secret_first: bool) -> None:
    open_id, secret_id = _two_contributors(store)
    public = Marking.build("UNCLASSIFIED", "CLEAR", originator="DE-GSSAC")
    secret = Marking.build("SECRET", "RED", ["FR"], ["sst"], originator="FR-CNES")
    order = [(secret_id, secret), (open_id, public)] if secret_first else [(open_id, public), (secret_id, secret)]
    for user_id, marking in order:
        _store_pair(store, user_id, marking)

    ids = screen_catalogue(store, days=1.0, threshold_km=5.0)
    assert len(ids) == 1, "Iridium 33 / Cosmos 2251 is found once"
    outsider = Viewer(Classification.UNCLASSIFIED, "IT-ASI", "IT", frozenset())
    found = store.conjunction(outsider, ids[0])
    assert found is not None, "an uncleared user of a third organisation sees the conjunction of public objects"
    assert found["marking"]["classification"] == "UNCLASSIFIED" and found["marking"]["releasable_to"] is None
    assert found["marking"]["communities"] == [] and found["marking"]["originators"] == ["DE-GSSAC"]
    assert 0.5 < found["miss_km"] < 0.9  # 698 m (tests/space/test_screening.py)

    from sqlalchemy import select

    from kompas.core.models import ConjunctionRecord

    with store.session(None) as s:
        provenance = s.scalar(select(ConjunctionRecord.provenance).where(ConjunctionRecord.id == ids[0]))
    for role in ("primary", "secondary"):
        assert provenance[role]["copies"] == 2 and "least restrictive" in provenance[role]["rule"]
    assert {provenance["primary"]["norad_id"], provenance["secondary"]["norad_id"]} == {IRIDIUM, COSMOS}

    assert screen_catalogue(store, days=1.0, threshold_km=5.0) == [], "a rerun stores nothing twice"
    assert len(store.conjunctions(Viewer(Classification.TOP_SECRET, "FR-CNES", "FR",
                                         frozenset({"sst"}))).items) == 1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(copies=st.tuples(st.lists(markings, min_size=1, max_size=3), st.lists(markings, min_size=1, max_size=3)))
def test_a_derived_conjunction_combines_the_least_restrictive_copy_of_each_input(
        engine, copies: tuple[list[Marking], list[Marking]]) -> None:
    wipe(engine)
    store = Store(engine)
    store.add_org("EU-SATCEN", "EU")
    store.add_user("system", "EU-SATCEN", "TOP_SECRET")
    user_id = store.account("system").user_id
    for norad_id, marks in zip((IRIDIUM, COSMOS), copies, strict=True):
        for marking in marks:
            _store_pair(store, user_id, marking, only=norad_id)

    real = [[m for m in marks if m.exercise is None] for marks in copies]
    found = screen_catalogue(store, days=1.0, threshold_km=5.0)
    if not all(real):  # exercise copies never feed the real screening: an object held only by an exercise is absent
        assert found == []
        return
    (conjunction_id,) = found
    expected = combine([least_restrictive(real[0]), least_restrictive(real[1])])
    with store.session(None) as s:
        from kompas.core.models import ConjunctionRecord

        row = s.get_one(ConjunctionRecord, conjunction_id)
        got = store.marking_of(s, row.marking_id)
    assert got == expected
    # never higher than needed: the classification is the lowest that some copy of each object allows
    assert got.classification == max(min(m.classification for m in marks) for marks in real)
    assert got.exercise is None
    # the access rule reads the stored marking: who may see the combination sees the conjunction
    for viewer in (Viewer(level, org, country, frozenset({"sst", "fimi", "geo-watch", "rpo"}))
                   for level in Classification for org, country in (("NL-NSO", "NL"), ("FR-CNES", "FR"))):
        assert (store.conjunction(viewer, conjunction_id) is not None) == may_see(viewer, expected)


def _history(days_back: tuple[float, ...]) -> list:
    """The pair's element sets moved back in time by ``days_back`` (mean anomaly advanced by the mean motion, so
    each older set predicts roughly the newer one): a history for the covariance fit."""
    import dataclasses

    import numpy as np

    sets = parse_text(PAIR, "pair.tle", "tle").elements
    out = []
    for back in days_back:
        for e in sets:
            out.append(dataclasses.replace(e, epoch_utc=e.epoch_utc - np.timedelta64(int(back * 86400e9), "ns"),
                                           mean_anomaly_deg=(e.mean_anomaly_deg - 360.0 * e.mean_motion_rev_day
                                                             * back) % 360.0))
    return out


def _cdm_covariance_methods(store: Store, conjunction_id: str) -> list[str | None]:
    from kompas.space import cdm

    text = store.conjunction_cdm(Viewer(Classification.TOP_SECRET, "FR-CNES", "FR", frozenset({"sst"})),
                                 conjunction_id)
    assert text is not None
    message = cdm.parse_kvn(text, "stored")
    return [message.objects[k].get("COVARIANCE_METHOD") for k in (0, 1)]


@pytest.mark.parametrize("newest_copy", ["secret", "public"])
def test_a_cdm_covariance_uses_only_history_under_its_inputs_marking(store: Store, newest_copy: str) -> None:
    """The element-set history the CDM covariance is fitted on (issue 19) comes only from sets under the marking of
    the input screened: SECRET history never shapes the covariance of a conjunction screened from a public copy
    (the control: the same history does when the screened copy is the SECRET one)."""
    open_id, secret_id = _two_contributors(store)
    public = Marking.build("UNCLASSIFIED", "CLEAR", originator="DE-GSSAC")
    secret = Marking.build("SECRET", "RED", ["FR"], ["sst"], originator="FR-CNES")
    store.store_element_sets(secret_id, "tle", "history.tle", _history((0.5, 1.0, 1.5, 2.0, 3.0)), [], secret)
    if newest_copy == "public":
        _store_pair(store, open_id, public)
    else:
        _store_pair(store, secret_id, secret)
    ids = screen_catalogue(store, days=1.0, threshold_km=5.0)
    assert len(ids) == 1
    expected = "CALCULATED" if newest_copy == "secret" else "DEFAULT"
    assert _cdm_covariance_methods(store, ids[0]) == [expected, expected]
