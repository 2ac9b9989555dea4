"""The historical Baltic cases, as stress-test scenarios (the report's defaults, the page's presets, reference tests).

- November 2024: the C-Lion1 (Finland-Germany) and BCS East-West Interlink (Lithuania-Sweden) cables cut on 17 and
  18 November 2024.
- Eagle S, 25 December 2024: the tanker dragged its anchor along the Gulf of Finland, damaging Estlink 2 and
  Finland-Estonia telecom cables. The vessel's AIS positions are not in the open data: :data:`EAGLE_S_TRACK` is an
  illustrative track along the shipping lane, drawn from press reports, from east of the Estlink 2 crossing
  westwards to off Helsinki, with a corridor of :data:`EAGLE_S_BUFFER_KM` km. It ends east of Estlink 1 (which was
  not damaged); because the drawn routes converge near Helsinki, a wider corridor or a track further west takes
  more than the ship damaged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kompas.infra.areas import parse_area
from kompas.infra.stress import Scenario

#: Illustrative anchor track of the Eagle S (lon, lat), not the vessel's AIS positions.
EAGLE_S_TRACK = {"type": "LineString", "coordinates": [[26.6, 59.95], [25.5, 59.85], [24.8, 59.78]]}
EAGLE_S_BUFFER_KM = 5.0
AVOID = ("RU", "BY")  #: Countries the cases' alternative paths never transit.


@dataclass(frozen=True)
class Case:
    """One stress test: its ``title``, the ``scenario``, the countries its rows start from (``focus``) and a
    ``note`` on what it stands for."""

    key: str
    title: str
    scenario: Scenario
    focus: tuple[str, ...] = ()
    note: str = ""


def baltic_cases() -> list[Case]:
    """The November 2024 cuts and the Eagle S anchor drag (module docstring)."""
    track = parse_area(json.dumps(EAGLE_S_TRACK), EAGLE_S_BUFFER_KM, "Eagle S track")
    return [
        Case("november-2024", "November 2024: C-Lion1 and BCS East-West Interlink",
             Scenario(remove=("C-Lion1", "BCS East-West Interlink"), avoid=AVOID), ("FI", "LT"),
             "On 17 and 18 November 2024 the C-Lion1 (Finland-Germany) and BCS East-West Interlink (Lithuania-Sweden) "
             "cables were cut in the Baltic Sea. Alternatives avoid Russia and Belarus."),
        Case("eagle-s-2024", "25 December 2024: Eagle S anchor track along the Gulf of Finland",
             Scenario(area=track, avoid=AVOID), ("FI",),
             "The Eagle S dragged its anchor along the Gulf of Finland, damaging Estlink 2 and Finland-Estonia "
             "telecom cables. The track is illustrative, drawn from press reports (not the vessel's AIS positions), "
             f"from east of the Estlink 2 crossing westwards to off Helsinki, with a {EAGLE_S_BUFFER_KM:g} km "
             "corridor; it ends east of Estlink 1, which was not damaged. Alternatives avoid Russia and Belarus."),
    ]
