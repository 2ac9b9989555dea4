"""Warnings recorded on the platform (issue 26: "thresholds that raise warnings into the event envelope"): the
conflictology forecast of 2022 warns for the countries at war in 2021, the warnings become the recording
organisation's events (domain intel, UNCLASSIFIED // TLP:CLEAR: public data), recording them again stores nothing
new, and the fused picture shows them."""

from __future__ import annotations

from kompas.core.markings import Classification, Viewer
from kompas.core.store import Store
from kompas.services import fusion
from kompas.services import warning as service
from tests.core.conftest import db_url, engine, store  # noqa: F401 (the platform fixtures)
from tests.warning.conftest import need_views


def test_recorded_warnings_are_events_in_the_fused_picture(store: Store) -> None:  # noqa: F811
    need_views()
    store.add_org("EU-INTCEN", "BE")
    store.add_user("analyst", "EU-INTCEN", "RESTRICTED")
    account = store.account("analyst")
    assert account is not None
    found, events = service.warnings(2022, "conflictology")
    countries = {w.iso3 for w in found}
    assert {"AFG", "SYR", "YEM", "MMR", "ETH"} <= countries, sorted(countries)  # at war through 2021 (UCDP GED)
    done = service.record(store, account, events)
    assert done["recorded"] == len(events) > 0 and done["banner"] == "UNCLASSIFIED // TLP:CLEAR"
    assert service.record(store, account, events)["recorded"] == 0, "recorded again: stored once"
    outsider = Viewer(Classification.UNCLASSIFIED, "NL-NSO", "NL", frozenset())
    picture = fusion.picture(store, outsider, domains=("intel",), limit=1000)
    shown = {e["id"] for e in picture["events"]}
    assert shown == {e.id for e in events}
    assert all(e["type"] == "conflict-warning" for e in picture["events"])
