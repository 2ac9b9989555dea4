"""The maritime service: decode AIS, build tracks, detect behaviour and watch undersea infrastructure, for the CLI
(``kompas maritime``) and the API alike.

:func:`screen` is the whole screening of decoded AIS: tracks (flags from the MID table), the detectors of
:mod:`kompas.maritime.detect`, and the infrastructure watch over the assets chosen (``baltic``: the Baltic seabed
index; ``all``: every cable and HVDC link of the infrastructure data; ``none``; or assets given). The answer carries
the attribution of every data set it used (the cable map is CC BY-NC-SA: shown wherever the alerts are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kompas.maritime.detect import DEFAULT, DETECTORS, Rules, detect
from kompas.maritime.events import Event
from kompas.maritime.model import Ingest
from kompas.maritime.tracks import Built, build_tracks
from kompas.maritime.watch import Asset, Watch, network_assets
from kompas.rejections import Rejection

ASSET_CHOICES = ("baltic", "all", "none")


@dataclass
class Screening:
    """What :func:`screen` found."""

    ingest: Ingest
    built: Built
    events: list[Event]
    alerts: list[Event]
    assets: list[Asset] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)  #: of the assets and tables used
    attribution: list[str] = field(default_factory=list)
    rules: Rules = DEFAULT

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for event in self.events:
            counts[event.type] = counts.get(event.type, 0) + 1
        return {"counts": {**self.ingest.counts, **self.built.counts}, "events": counts,
                "alerts": len(self.alerts), "assets_watched": len(self.assets),
                "rejections": len(self.ingest.rejections) + len(self.built.rejections) + len(self.rejections),
                "rules": self.rules.as_dict(), "attribution": self.attribution}


def choose_assets(choice: str, extra: list[Asset] | None = None) -> tuple[list[Asset], list[Rejection], list[str]]:
    """The assets of ``choice`` (:data:`ASSET_CHOICES`) plus ``extra``, their rejections and attributions."""
    if choice not in ASSET_CHOICES:
        raise ValueError(f"assets {choice!r}: one of {', '.join(ASSET_CHOICES)}")
    assets: list[Asset] = list(extra or [])
    rejections: list[Rejection] = []
    attribution: list[str] = []
    if choice != "none":
        from kompas.infra.load import public_network
        from kompas.maritime.load import baltic_assets

        network = public_network()
        if choice == "baltic":
            found, rejections, attribution = baltic_assets(network)
        else:
            found = network_assets(network)
            attribution = [s["attribution"] for s in network.sources if s.get("key") in ("cables", "hvdc", "grid")]
        assets.extend(found)
    return assets, rejections, attribution


def screen(ingest: Ingest, rules: Rules = DEFAULT, only: tuple[str, ...] = DETECTORS, assets: str = "baltic",
           extra_assets: list[Asset] | None = None, buffer_km: float = 1.0,
           registry: dict[int, str] | None = None) -> Screening:
    """Tracks, events and infrastructure alerts of ``ingest`` (see the module docstring)."""
    from kompas.maritime.load import ATTRIBUTION, mid_flags

    flags, flag_rejections = mid_flags()
    built = build_tracks(ingest, flags)
    events = detect(built, rules, only, registry)
    chosen, rejections, attribution = choose_assets(assets, extra_assets)
    alerts = Watch(chosen, buffer_km).alerts(events) if chosen else []
    return Screening(ingest, built, events, alerts, chosen, [*flag_rejections, *rejections],
                     [ATTRIBUTION["mid"], *attribution], rules)
