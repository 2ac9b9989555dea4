"""The cyber picture (kompas.cyber.picture): counts by sector, member state, RSIT class and week; surges by the FIMI
surge method with the cyber thresholds; the sanctions listings linked to the incidents naming their groups."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from kompas.cyber.picture import SURGE_RULE, iso_week, picture, sanction_links, surges


def _incident(n: int, day: str, rsit: str = "fraud", reporter: str = "DE-BSI", states: tuple[str, ...] = ("DE",),
              sectors: tuple[str, ...] = ("energy",), actors: tuple[str, ...] = ()) -> dict:
    return {"id": f"00000000-0000-4000-8000-{n:012d}", "date": day, "rsit_class": rsit, "rsit_type": "phishing",
            "member_states": list(states), "nis2": {"sectors": list(sectors), "significant": n % 2 == 0},
            "shared_by": reporter, "techniques": ["T1566.002"], "malware": [], "tools": [], "actors": list(actors),
            "nis2_clocks": [{"report": "early-warning", "status": "met"}]}


def _background() -> list[dict]:
    """One fraud incident a month through 2025 and a malware one every second month: the classes' own rates."""
    out = [_incident(k, f"2025-{k:02d}-10") for k in range(1, 13)]
    out += [_incident(100 + k, f"2025-{k:02d}-20", rsit="malicious-code", reporter="FR-ANSSI", states=("FR",))
            for k in range(1, 13, 2)]
    return out


def test_a_week_of_phishing_reported_by_three_members_is_a_surge_and_the_background_is_not() -> None:
    burst = [_incident(200 + k, f"2025-06-{16 + k:02d}", reporter=r, states=(s,))
             for k, (r, s) in enumerate([("DE-BSI", "DE"), ("NL-NCSC", "NL"), ("AT-CERT", "AT"), ("DE-BSI", "DE"),
                                         ("NL-NCSC", "NL")])]
    found = surges(_background() + burst, "2025-01-01", "2025-12-31")
    assert len(found) == 1
    (surge,) = found
    assert (surge.rsit_class, surge.first_day, surge.last_day) == ("fraud", "2025-06-16", "2025-06-20")
    assert set(surge.incidents) == {i["id"] for i in burst}
    assert surge.reporters == ("AT-CERT", "DE-BSI", "NL-NCSC") and surge.member_states == ("AT", "DE", "NL")
    assert surge.score > 3  # p below the rule's 1e-3
    # the rate of one a month is no surge, nor are 5 incidents from one member about one state
    assert surges(_background(), "2025-01-01", "2025-12-31") == []
    lone = [_incident(300 + k, f"2025-06-{16 + k:02d}") for k in range(5)]
    assert surges(_background() + lone, "2025-01-01", "2025-12-31") == []
    assert SURGE_RULE.min_cases == 3 and SURGE_RULE.window_days == 7


def test_counts_weeks_clocks_and_the_period() -> None:
    items = _background() + [_incident(400, "2024-12-31")]  # outside the period: left out
    found = picture(items, "2025-01-01", "2025-12-31")
    assert found.incidents == 18
    assert dict(found.by_rsit_class) == {"fraud": 12, "malicious-code": 6}
    assert dict(found.by_member_state) == {"DE": 12, "FR": 6} and dict(found.by_sector) == {"energy": 18}
    assert found.by_week[0] == (iso_week("2025-01-10"), 1) and iso_week("2025-01-10") == "2025-W02"
    assert sum(n for _, n in found.by_week) == 18 and found.clocks == {"early-warning met": 18}
    assert found.significant == sum(1 for i in items[:18] if i["nis2"]["significant"])
    assert dict(found.by_reporter) == {"DE-BSI": 12, "FR-ANSSI": 6}
    assert dt.date.fromisoformat(found.until) > dt.date.fromisoformat(found.since)


def test_sanctions_link_to_the_incidents_naming_their_groups() -> None:
    row = SimpleNamespace(name="Main Centre for Special Technologies (GTsST)", listed_on="2020-07-30",
                          legal_act="(CFSP) 2020/1127", attack="NotPetya")
    resolution = SimpleNamespace(row=row, groups=[SimpleNamespace(group_id="G0034")], via="row",
                                 clues=[SimpleNamespace(kind="software named", text="NotPetya")])
    incidents = [_incident(1, "2025-03-01", actors=("Sandworm",)), _incident(2, "2025-03-02", actors=("APT28",))]
    (link,) = sanction_links([resolution], {"G0034": "Sandworm Team"}, incidents,
                             {"sandworm": ("G0034",), "apt28": ("G0007",)})
    assert link.groups == (("G0034", "Sandworm Team"),) and link.incidents == (incidents[0]["id"],)
    assert link.evidence == ("software named: NotPetya",)
