"""Border lead times: how long each country takes to grant a military movement permission (pure: YAML text in).

Each member state decides how much notice a foreign military movement across its border needs (diplomatic
clearance, route and escort planning, dangerous goods, customs: EU Form 302). No open table of these lead times
exists (the shared PROVENANCE.md says so): they are **contributed** by the member states, under their markings, in a
YAML table :func:`parse_lead_times` reads; ``kompas/data/mobility/borders.yaml`` (bundled, the report's defaults)
is ILLUSTRATIVE.

**The targets.** The Strategic Compass (seed ``000_e18c6be3a889c87f.txt`` l.1625-1627, Dutch): "Uiterlijk 2025
zullen wij de grensoverschrijdende procedures verbeterd en geharmoniseerd hebben" (by 2025 we will have improved
and harmonised cross-border procedures); it states no number of days, so :attr:`LeadTimes.target_days` is ``None``
unless a table sets one (with its source). The EDA's Cat A programme "Optimising cross-border movement permission
procedures in Europe" (CBMP, since 2018, 26 participating states) harmonises procedures "to shorten lead times" and
provides for annual pre-authorisation of routine movements (eda.europa.eu, activity
cbmp-optimising-cross-border-movement-permission-procedures-in-europe); no public page found in this session states
the often-quoted target of 5 working days (3 for rapid-reaction units), so Kompas does not present it as sourced.

Units: days (working or calendar, as the table says); :meth:`LeadTimes.hours` converts to hours of calendar time
(a working week of 5 days in 7). The country whose border is entered grants the permission: crossing A -> B waits for
B's lead time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from kompas.rejections import Rejection
from kompas.texts import NoAliases

COMPASS_TARGET_YEAR = 2025  #: the Compass: cross-border procedures improved and harmonised by 2025
COMPASS_TARGET = ("Strategic Compass (2022): 'Uiterlijk 2025 zullen wij de grensoverschrijdende procedures verbeterd "
                  "en geharmoniseerd hebben' (by 2025, cross-border procedures improved and harmonised); no number "
                  "of days stated")
EDA_CBMP = ("EDA Cat A programme 'Optimising cross-border movement permission procedures in Europe' (CBMP), since "
            "2018: harmonise procedures to shorten lead times; annual pre-authorisation of routine movements "
            "<https://eda.europa.eu/what-we-do/all-activities/activities-search/"
            "cbmp-optimising-cross-border-movement-permission-procedures-in-europe>")
WORKING_TO_CALENDAR = 7 / 5  #: calendar days per working day (a five-day working week)


@dataclass(frozen=True)
class LeadTimes:
    """Days of notice per country (ISO 3166-1 alpha-2), a default for countries not listed, and the target."""

    days: Mapping[str, float] = field(default_factory=dict)
    default_days: float | None = None  #: for a country not listed (None: unknown, reported as such)
    unit: str = "working"  #: "working" or "calendar" days
    emergency_days: Mapping[str, float] = field(default_factory=dict)  #: in a declared crisis, where stated
    target_days: float | None = None  #: the harmonised target (None: no number stated)
    target_year: int = COMPASS_TARGET_YEAR
    target_source: str = COMPASS_TARGET
    sources: Mapping[str, str] = field(default_factory=dict)  #: country -> where its figure comes from
    illustrative: bool = False
    source: str = ""

    def of(self, country: str, emergency: bool = False) -> float | None:
        """Days of notice ``country`` needs (its emergency figure when asked and given), else the default."""
        code = country.upper()
        if emergency and code in self.emergency_days:
            return self.emergency_days[code]
        return self.days.get(code, self.default_days)

    def crossing(self, frm: str, to: str, emergency: bool = False) -> float | None:
        """Days of notice to cross from ``frm`` into ``to``: ``to``'s (0 within one country)."""
        return 0.0 if frm.upper() == to.upper() else self.of(to, emergency)

    def hours(self, days: float | None) -> float | None:
        """Calendar hours of ``days`` in this table's unit (working days x 7/5)."""
        if days is None:
            return None
        return days * 24.0 * (WORKING_TO_CALENDAR if self.unit == "working" else 1.0)

    def at_target(self) -> LeadTimes:
        """The same table with every lead time capped at the target (the "what if the target were met" case);
        unchanged when no target number is set."""
        if self.target_days is None:
            return self
        cap = self.target_days
        default = None if self.default_days is None else min(self.default_days, cap)
        return replace(self, days={c: min(d, cap) for c, d in self.days.items()}, default_days=default)

    def gaps(self) -> dict[str, float]:
        """Days each listed country is above the target (only those above it; empty without a target)."""
        if self.target_days is None:
            return {}
        return {c: d - self.target_days for c, d in sorted(self.days.items()) if d > self.target_days}


def _days(value: Any) -> float | None:  # noqa: ANN401 (YAML value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def parse_lead_times(text: str, source: str) -> tuple[LeadTimes | None, list[Rejection]]:
    """A lead-time table from YAML::

        unit: working            # or calendar
        default_days: 5          # for countries not listed (optional)
        illustrative: true       # say so when the figures are made up
        target: {days: 5, year: 2025, source: "..."}   # optional; days null = no number
        countries:
          LT: {days: 5, emergency_days: 1, source: "..."}
          PL: 5                  # a bare number is allowed (no source recorded)

    Returns ``(None, rejections)`` when the document is not such a table; otherwise the table of the good rows and
    one :class:`Rejection` per bad row or field (unit ``item``: the country's 1-based place under ``countries``, 0
    for the top-level fields; the reason names the country and the value)."""
    try:
        document = yaml.load(text, Loader=NoAliases)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        return None, [Rejection(source, 0, "", f"not YAML: {error}", unit="item")]
    if not isinstance(document, Mapping) or not isinstance(document.get("countries"), Mapping):
        return None, [Rejection(source, 0, "countries", "a mapping of countries (ISO-2) to days is expected",
                                unit="item")]
    rejections: list[Rejection] = []
    unit = str(document.get("unit", "working"))
    if unit not in ("working", "calendar"):
        rejections.append(Rejection(source, 0, "unit", f"must be 'working' or 'calendar', got {unit!r} "
                                                       "('working' used)", unit="item"))
        unit = "working"
    default = None
    if document.get("default_days") is not None:
        default = _days(document["default_days"])
        if default is None:
            rejections.append(Rejection(source, 0, "default_days", f"must be a number of days >= 0, got "
                                        f"{document['default_days']!r} (no default used)", unit="item"))
    target = document.get("target") or {}
    target_days, target_year, target_source = None, COMPASS_TARGET_YEAR, COMPASS_TARGET
    if not isinstance(target, Mapping):
        rejections.append(Rejection(source, 0, "target", "must be a mapping {days, year, source}", unit="item"))
    else:
        if target.get("days") is not None:
            target_days = _days(target["days"])
            if target_days is None:
                rejections.append(Rejection(source, 0, "target.days", f"must be a number of days >= 0, got "
                                            f"{target['days']!r}", unit="item"))
            elif not target.get("source"):
                rejections.append(Rejection(source, 0, "target.source", "a target number needs its source "
                                                                        "(the target is ignored)", unit="item"))
                target_days = None
        year = target.get("year", COMPASS_TARGET_YEAR)
        if isinstance(year, bool) or not isinstance(year, int):
            rejections.append(Rejection(source, 0, "target.year", f"must be a year, got {year!r}", unit="item"))
        else:
            target_year = year
        if target.get("source"):
            target_source = " ".join(str(target["source"]).split())
    days: dict[str, float] = {}
    emergency: dict[str, float] = {}
    sources: dict[str, str] = {}
    for number, (code, entry) in enumerate(document["countries"].items(), start=1):
        country = str(code).strip().upper()
        if len(country) != 2 or not country.isalpha():
            rejections.append(Rejection(source, number, "country", f"{code!r} is not an ISO 3166-1 alpha-2 code",
                                        unit="item"))
            continue
        row = entry if isinstance(entry, Mapping) else {"days": entry}
        value = _days(row.get("days"))
        if value is None:
            rejections.append(Rejection(source, number, "days", f"{country}: days must be a number >= 0, got "
                                                                f"{row.get('days')!r}", unit="item"))
            continue
        if country in days:
            rejections.append(Rejection(source, number, "country", f"{country}: listed twice (the first is kept)",
                                        unit="item"))
            continue
        days[country] = value
        if row.get("emergency_days") is not None:
            urgent = _days(row["emergency_days"])
            if urgent is None:
                rejections.append(Rejection(source, number, "emergency_days", f"{country}: must be a number >= 0, "
                                            f"got {row['emergency_days']!r}", unit="item"))
            else:
                emergency[country] = urgent
        if row.get("source"):
            sources[country] = " ".join(str(row["source"]).split())
    illustrative = document.get("illustrative", False)
    if not isinstance(illustrative, bool):
        rejections.append(Rejection(source, 0, "illustrative", f"must be true or false, got {illustrative!r} "
                                                               "(true used)", unit="item"))
        illustrative = True
    return LeadTimes(days=days, default_days=default, unit=unit, emergency_days=emergency, target_days=target_days,
                     target_year=target_year, target_source=target_source, sources=sources,
                     illustrative=illustrative, source=source), rejections
