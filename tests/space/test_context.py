"""Owners and context (issue 21, item 7): operators from what is known, same-owner approaches rated routine, the
early-orbit phase kept out of the manoeuvres, on the shared CelesTrak snapshots.

- 2025-180C (NORAD 65261) was reported with radial "manoeuvres" of 80 to 170 m/s from its sets of 2026-04-26..29
  (eccentricity 0.0015 -> 0.0147 -> 0.0087 -> 0.0015): an unidentified object co-orbital with its launch siblings
  2025-180B and D. With the early-orbit rule it has none; the rule covers a small share of the catalogue.
- ASTRA 3B passing the protected asset ASTRA 5B (EGNOS payload hosted by SES) is an approach between two SES
  satellites: routine, not a threat.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from kompas.files import load_assets
from kompas.space.catalog import Catalog
from kompas.space.ingest import ingest, parse_text
from kompas.space.manoeuvres import (
    EARLY_ORBIT_DAYS,
    IDENTITY_JUMP_M_S,
    detect,
    early_orbit_until,
    launch_of,
    provisional,
)
from kompas.space.owners import operator_of, operators
from kompas.space.proximity import GEO_KM, group, rating
from kompas.space.screening import screen

OBJECT_C = 65261  # 2025-180C
LAUNCH = {65259, 65260, 65261, 65262, 65263}  # 2025-180A..E, every object of the launch in the snapshots


def _subset(path: Path, ids: set[int]) -> str:
    lines = path.read_text().splitlines()
    keep = []
    for k in range(0, len(lines) - 2, 3):
        if lines[k + 1].startswith("1 ") and int(lines[k + 1][2:7]) in ids:
            keep += lines[k:k + 3]
    return "\n".join(keep) + "\n"


def test_operators_from_declared_owner_satcat_and_names() -> None:
    assert operator_of(declared="EU (EGNOS payload, host SES)") == ("SES", "declared")
    assert operator_of(declared="FR (DGA, military)") == ("FR (DGA, military)", "declared")
    assert operator_of("SOMESAT", satcat_owner="ITSO") == ("INTELSAT", "satcat")
    assert operator_of("SOMESAT", satcat_owner="US") == ("", "")  # a country is not an operator
    assert operator_of("ASTRA 3B") == ("SES", "name")
    assert operator_of("STARLINK-1008") == ("SPACEX", "name")
    assert operator_of("STARLINK-1008 DEB") == ("", "")  # debris is nobody's satellite
    assert operators({1: "ASTRA 3B", 2: "ASTRA 3C", 3: "COSMOS 2576"}) == {1: "SES", 2: "SES"}


def test_launch_and_provisional_names() -> None:
    assert launch_of("2025-180C") == "2025-180"
    assert launch_of("25180C") == "2025-180"
    assert launch_of("98067A") == "1998-067"
    assert launch_of("") == ""


@pytest.fixture(scope="module")
def launch_history(shared_space: Path) -> Catalog:
    catalog = Catalog()
    for path in sorted(shared_space.glob("active_*.tle")):
        assert not ingest(catalog, parse_text(_subset(path, LAUNCH), str(path))).rejections
    assert set(o.info.norad_id for o in catalog) == LAUNCH
    return catalog


@pytest.mark.shared
def test_2025_180c_is_in_its_early_orbit_phase_not_manoeuvring(launch_history: Catalog) -> None:
    histories = [o.history for o in launch_history]
    before = [m for m in detect(histories) if m.norad_id == OBJECT_C]
    # what the issue reports: radial "manoeuvres" of 80 to 170 m/s around 2026-04-26..05-01
    radial = [m.delta_v_rtn_m_s[0] for m in before if m.direction == "radial"]
    print(f"\n2025-180C without the rule: radial manoeuvres of {', '.join(f'{r:.0f}' for r in radial)} m/s")
    assert sum(r > 80.0 for r in radial) >= 2 and max(radial) < 200.0
    assert provisional(launch_history[OBJECT_C].latest)
    unsettled: set[int] = set()
    phase = early_orbit_until(histories, unsettled=unsettled)
    assert phase[OBJECT_C] == launch_history[OBJECT_C].latest.epoch_utc  # unsettled: the whole history so far
    assert OBJECT_C in unsettled
    after = [m for m in detect(histories, early_orbit=phase, unsettled=unsettled) if m.norad_id == OBJECT_C]
    # the identity swaps (79-169 m/s) are gone; the small changes (10 and 13 m/s in April) are still assessed as
    # manoeuvres: an unsettled identity does not hide an object that keeps manoeuvring near its siblings
    assert [m.delta_v_m_s for m in after if m.delta_v_m_s > IDENTITY_JUMP_M_S] == []
    assert {m.end_utc for m in after} == {m.end_utc for m in before if m.delta_v_m_s <= IDENTITY_JUMP_M_S}
    assert len(after) < len(before) and any(m.delta_v_m_s > IDENTITY_JUMP_M_S for m in before)
    # E is not co-orbital with a sibling (mean motion 0.014 rev/day off): its phase does not apply
    assert 65263 not in phase


@pytest.mark.shared
def test_early_orbit_covers_few_objects_and_new_launches_for_14_days(shared_space: Path) -> None:
    paths = sorted(shared_space.glob("active_*.tle"))
    catalog = Catalog()
    for path in (paths[0], paths[-1]):
        ingest(catalog, parse_text(path.read_text(), str(path)))
    histories = [o.history for o in catalog]
    phase = early_orbit_until(histories)
    share = len(phase) / len(histories)
    unsettled = sum(phase[h[-1].norad_id] == h[-1].epoch_utc and provisional(h[-1]) for h in histories
                    if h[-1].norad_id in phase)
    print(f"\nearly-orbit phase: {len(phase)} of {len(histories)} objects ({share:.1%}), {unsettled} of them "
          f"unidentified and co-orbital with a sibling, the others launched during the history")
    assert OBJECT_C in phase
    assert 0 < unsettled < len(phase) and share < 0.10
    # a launch first seen after the history's start (the median first epoch + 1 day): its objects' phase ends
    # EARLY_ORBIT_DAYS after the launch's first set
    firsts = sorted(h[0].epoch_utc for h in histories)
    start = firsts[len(firsts) // 2] + np.timedelta64(1, "D")
    launch_first: dict[str, np.datetime64] = {}
    for h in histories:
        key = launch_of(h[-1].intl_designator)
        launch_first[key] = min(launch_first.get(key, h[0].epoch_utc), h[0].epoch_utc)
    new = [h for h in histories if launch_first[launch_of(h[-1].intl_designator)] > start
           and not (provisional(h[-1]) and phase.get(h[-1].norad_id) == h[-1].epoch_utc)]
    assert sum(h[-1].name.startswith("STARLINK") for h in new) > 100  # Starlink launches of March-May 2026
    for h in new:
        first = launch_first[launch_of(h[-1].intl_designator)]
        assert phase[h[-1].norad_id] == first + np.timedelta64(int(EARLY_ORBIT_DAYS * 86400), "s")
    # a SATCAT launch date decides where known: a 2019 launch is long past its phase
    old = histories[0][-1]
    assert old.norad_id not in early_orbit_until([histories[0]], {old.norad_id: date(2019, 1, 1)})


@pytest.mark.shared
def test_same_owner_geo_approach_is_routine(shared_space: Path) -> None:
    path = shared_space / "active_2026-05-05.tle"
    names = {"ASTRA 5B", "ASTRA 3B"}
    lines = path.read_text().splitlines()
    ids = {int(lines[k + 1][2:7]) for k in range(0, len(lines) - 2, 3) if lines[k].strip() in names}
    elsets = parse_text(_subset(path, ids), str(path)).elements
    assets = {n: a for n, a in load_assets().items() if a.name == "ASTRA 5B"}
    assert len(elsets) == 2 and len(assets) == 1
    start = max(e.epoch_utc for e in elsets)
    found = screen(elsets, start, 7 * 86400.0, GEO_KM, primaries=set(assets))
    threats = group(found.conjunctions, assets, {})
    assert threats and all(rating(p) in ("medium", "high") for p in threats)  # what was reported before
    known = operators({e.norad_id: e.name for e in elsets}, declared={n: a.owner for n, a in assets.items()})
    routine = group(found.conjunctions, assets, {}, operators=known)
    assert [p.other_id for p in routine] == [p.other_id for p in threats]
    assert all(rating(p) == "routine" and p.operator == "SES" for p in routine)


@pytest.mark.shared
def test_a_satcat_gives_launch_dates_and_owners_but_a_country_is_no_operator(shared_space: Path) -> None:
    from kompas.space.satcat import parse_satcat

    path = shared_space / "satcat-subset-india_2025-12-19.csv"
    infos, rejections = parse_satcat(path.read_text(), str(path))
    assert infos and not rejections
    assert all(i.launch_date is not None for i in infos if i.intl_designator)
    assert {i.owner for i in infos} >= {"IND"}
    assert operators({}, {i.norad_id: i.owner for i in infos}) == {}  # IND: a country, many operators


def test_element_set_age_shown_with_a_state() -> None:
    from kompas.core.picture import elset_age
    from kompas.space.elements import ElementSet

    elset = ElementSet(25544, np.datetime64("2026-05-04T12:00:00", "ns"), 15.5, 0.0005, 51.6, 10.0, 20.0, 30.0,
                       origin="supgp")
    shown = elset_age(elset, np.datetime64("2026-05-05T18:00:00", "ns"))
    assert shown == {"elset_epoch_utc": "2026-05-04T12:00:00.000Z", "elset_age_days": 1.25, "elset_source": "supgp"}
