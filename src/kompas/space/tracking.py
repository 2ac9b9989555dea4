"""Conjunction events tracked across screenings: the same encounter found again is an update, not a new conjunction.

Every daily screening finds the close approaches of the next days again from newer element sets. This module
links them: a conjunction of a pair of objects (in either order) whose TCA lies within :func:`tolerance_s` of the
newest update of a tracked event of that pair is a new update of that event; otherwise it starts a new event.

**Tolerance.** ``min(MAX_TOLERANCE_S, period / 4)`` with ``period`` the shorter two-body orbital period of the two
objects (:func:`orbital_period_s`), 600 s when unknown. Why: TCA estimates of one encounter from successive
element sets move by the along-track error over the relative speed: SGP4 predictions drift a few km per day in
along-track (:mod:`kompas.space.covariance` fits that growth), i.e. well under a second of TCA at LEO speeds and
tens of seconds for a decaying or manoeuvring object; the real snapshots of 2026-05-04 and 05-05 move TCAs of the
same encounters by seconds (``tests/space/test_tracking.py`` measures it). The same pair meets again at the
crossing points of the two orbits, at least about half an orbital period later (the two crossings lie on opposite
sides of the Earth), so the tolerance must stay well below half a period: a quarter period never reaches the next
crossing. For every Earth orbit (period >= 87 min, a quarter >= 21 min) the tolerance is the 10 minutes cap; the
period term only matters for bodies this module is not meant for. Pairs moving together (formations, relative
speed of m/s) have long, shallow encounters whose TCA may move by more: their updates may split into several
events (never merge two encounters).

**Trends** over the last :data:`TREND_WINDOW` updates (oldest to newest of the window): Pc on ``log10(max(Pc,
PC_FLOOR))``: ``rising`` when it grew by more than :data:`PC_DEAD_BAND_DECADES` (a factor of 2), ``falling``
when it fell by more, ``steady`` in between; miss distance: ``rising`` / ``falling`` when it changed by more than
:data:`MISS_DEAD_BAND` (10%) of the earlier value or :data:`MISS_DEAD_BAND_KM`, whichever is larger, else
``steady``; None with fewer than two updates carrying the quantity.

**Levels**: ``red`` for Pc >= :data:`RED_PC` (1e-4, the common manoeuvre threshold, NASA CARA's and ESA's),
``yellow`` for Pc >= :data:`YELLOW_PC` (1e-5), ``green`` below, ``unknown`` without a Pc (thresholds per
subscription: :func:`rule_matches`).

**Status**: ``closed`` by a decision (``mitigate``, ``accept``, ``monitor``) unless an update linked after it
reached a higher level than the one decided on (then the event is open again: a decision answers the risk then
known); else ``passed`` once the newest update's TCA is in the past; else ``open``.

Pure: no I/O, no clock (callers pass ``now``). Hand-written: linking and trends are a few comparisons; no library
does this.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from kompas.constants import MU_WGS84_KM3_S2

MAX_TOLERANCE_S = 600.0  #: Cap of the TCA tolerance (s) linking a conjunction to an event.
PERIOD_FRACTION = 0.25  #: The tolerance never exceeds this fraction of the shorter orbital period.
RED_PC = 1e-4  #: Default red level: Pc at or above (the usual manoeuvre threshold).
YELLOW_PC = 1e-5  #: Default yellow level: Pc at or above.
PC_FLOOR = 1e-12  #: Pc below this counts as this for trends (0 and 1e-20 are both negligible: steady).
PC_DEAD_BAND_DECADES = math.log10(2.0)  #: Pc changes within a factor of 2 are ``steady``.
MISS_DEAD_BAND = 0.10  #: Miss-distance changes within 10% of the earlier value are ``steady``...
MISS_DEAD_BAND_KM = 0.01  #: ... or within 10 m, whichever is larger.
TREND_WINDOW = 3  #: Trends compare the oldest and the newest of the last this many updates.
DECISIONS = ("mitigate", "accept", "monitor")
LEVELS = ("unknown", "green", "yellow", "red")  #: In rising order of concern.


def orbital_period_s(state: Sequence[float]) -> float | None:
    """Two-body orbital period (s) of a state ``(x, y, z, vx, vy, vz)`` in km and km/s (any inertial frame);
    None for a hyperbolic or degenerate state."""
    r = math.sqrt(sum(float(x) ** 2 for x in state[:3]))
    v2 = sum(float(x) ** 2 for x in state[3:6])
    if r <= 0.0:
        return None
    inverse_a = 2.0 / r - v2 / MU_WGS84_KM3_S2
    if inverse_a <= 0.0:
        return None
    return 2.0 * math.pi * math.sqrt((1.0 / inverse_a) ** 3 / MU_WGS84_KM3_S2)


def tolerance_s(period_s: float | None) -> float:
    """The TCA tolerance (s) linking a conjunction to an event: ``min(600 s, period / 4)`` (module docstring)."""
    if period_s is None or not math.isfinite(period_s) or period_s <= 0.0:
        return MAX_TOLERANCE_S
    return min(MAX_TOLERANCE_S, PERIOD_FRACTION * period_s)


def pair_of(a: int, b: int) -> tuple[int, int]:
    """The pair in a fixed order (lower NORAD id first): events are order-independent."""
    return (a, b) if a <= b else (b, a)


def _shorter(a: float | None, b: float | None) -> float | None:
    known = [p for p in (a, b) if p is not None]
    return min(known) if known else None


@dataclass(frozen=True)
class TrackedEvent:
    """An event as linking needs it: its pair, the TCA of its newest update and the shorter orbital period (s);
    ``updates``: its updates' TCAs with the tag of each one's marking, oldest first (needed only when linking with
    ``covers``)."""

    id: str
    pair: tuple[int, int]
    tca_utc: np.datetime64
    period_s: float | None = None
    updates: tuple[tuple[np.datetime64, Hashable], ...] = ()


@dataclass(frozen=True)
class Sighting:
    """A conjunction to link: its key (e.g. the stored conjunction's id), the two objects in either order, TCA and
    the shorter orbital period (s) of the two when known."""

    key: str
    primary_id: int
    secondary_id: int
    tca_utc: np.datetime64
    period_s: float | None = None
    tag: Hashable = None  #: The tag of its marking (used with ``covers``).


@dataclass(frozen=True)
class Link:
    """Sighting ``key`` is an update of event ``event_id`` (``new``: the sighting started that event)."""

    key: str
    event_id: str
    new: bool


def _reference_tca(event: TrackedEvent, tag: Hashable,
                   covers: Callable[[Hashable, Hashable], bool] | None) -> np.datetime64 | None:
    """The TCA a sighting tagged ``tag`` is compared with: the event's newest update's, or with ``covers`` the newest
    update whose marking the sighting's covers (None: no such update, the event is not a candidate)."""
    if covers is None:
        return event.tca_utc
    return next((tca for tca, old in reversed(event.updates) if covers(tag, old)), None)


def link(events: Sequence[TrackedEvent], sightings: Sequence[Sighting], new_id: Callable[[], str],
         covers: Callable[[Hashable, Hashable], bool] | None = None) -> tuple[list[Link], dict[str, TrackedEvent]]:
    """Link ``sightings`` (in the order given: the caller orders them by data time, oldest first) to ``events``:
    each to the event of its pair whose newest TCA is nearest its own, within :func:`tolerance_s` of the shorter
    period the two know (ties: the lower event id), else to a new event (id from ``new_id``). A linked sighting
    becomes its event's newest update, so later sightings compare with its TCA. Returns the links, one per sighting
    in order, and every event touched, as it is after linking.

    ``covers(new_tag, old_tag)`` (markings): a sighting is compared only with the updates whose marking its own
    covers, i.e. the newest such update of each event. Whoever may see the new update may then see the update that
    placed it in its event: an update they may not see never decides how the ones they see are grouped."""
    by_pair: dict[tuple[int, int], list[TrackedEvent]] = {}
    for event in events:
        by_pair.setdefault(event.pair, []).append(event)
    touched: dict[str, TrackedEvent] = {}
    links = []
    for s in sightings:
        pair = pair_of(s.primary_id, s.secondary_id)
        candidates = by_pair.setdefault(pair, [])
        best: tuple[float, str, int] | None = None
        for index, event in enumerate(candidates):
            reference = _reference_tca(event, s.tag, covers)
            if reference is None:
                continue
            gap = abs(float((s.tca_utc - reference) / np.timedelta64(1, "ns"))) / 1e9
            if gap <= tolerance_s(_shorter(event.period_s, s.period_s)) and (best is None or (gap, event.id)
                                                                              < best[:2]):
                best = (gap, event.id, index)
        if best is None:
            event = TrackedEvent(new_id(), pair, s.tca_utc, s.period_s, ((s.tca_utc, s.tag),))
            candidates.append(event)
            links.append(Link(s.key, event.id, True))
        else:
            old = candidates[best[2]]
            event = replace(old, tca_utc=s.tca_utc, period_s=_shorter(old.period_s, s.period_s),
                            updates=(*old.updates, (s.tca_utc, s.tag)))
            candidates[best[2]] = event
            links.append(Link(s.key, event.id, False))
        touched[event.id] = event
    return links, touched


def level(pc: float | None, red_pc: float = RED_PC, yellow_pc: float = YELLOW_PC) -> str:
    """``red`` (Pc >= ``red_pc``), ``yellow`` (>= ``yellow_pc``), ``green`` (below) or ``unknown`` (no Pc)."""
    if pc is None or not math.isfinite(pc):
        return "unknown"
    return "red" if pc >= red_pc else "yellow" if pc >= yellow_pc else "green"


def pc_trend(pcs: Sequence[float | None]) -> str | None:
    """Trend of the Pc over the last :data:`TREND_WINDOW` updates that carry one (oldest first): ``rising``,
    ``falling`` or ``steady`` on ``log10(max(Pc, PC_FLOOR))`` with a dead band of :data:`PC_DEAD_BAND_DECADES`;
    None with fewer than two."""
    known = [p for p in pcs if p is not None and math.isfinite(p)][-TREND_WINDOW:]
    if len(known) < 2:
        return None
    change = math.log10(max(known[-1], PC_FLOOR)) - math.log10(max(known[0], PC_FLOOR))
    return "rising" if change > PC_DEAD_BAND_DECADES else "falling" if change < -PC_DEAD_BAND_DECADES else "steady"


def miss_trend(misses_km: Sequence[float | None]) -> str | None:
    """Trend of the miss distance over the last :data:`TREND_WINDOW` updates (oldest first): ``rising`` /
    ``falling`` beyond the larger of :data:`MISS_DEAD_BAND` of the earlier value and :data:`MISS_DEAD_BAND_KM`,
    else ``steady``; None with fewer than two."""
    known = [m for m in misses_km if m is not None and math.isfinite(m)][-TREND_WINDOW:]
    if len(known) < 2:
        return None
    change = known[-1] - known[0]
    band = max(MISS_DEAD_BAND * abs(known[0]), MISS_DEAD_BAND_KM)
    return "rising" if change > band else "falling" if change < -band else "steady"


def status(latest_tca_utc: np.datetime64, now_utc: np.datetime64, decision_level: str | None,
           levels_after_decision: Sequence[str] = ()) -> str:
    """``closed``, ``passed`` or ``open`` (module docstring). ``decision_level``: the level of the newest update
    the decider saw (None: no decision); ``levels_after_decision``: levels of the updates linked after it."""
    if decision_level is not None:
        rank = LEVELS.index(decision_level)
        if not any(LEVELS.index(x) > rank for x in levels_after_decision):
            return "closed"
    return "passed" if latest_tca_utc < now_utc else "open"


# --- subscription rules (kind ``tracked-event``, :mod:`kompas.core.alerts`) --------------------------------

#: The rule keys of ``tracked-event`` subscriptions (all given must hold): ``norad_ids`` (the event concerns
#: one of these objects: per-asset rules), ``red_pc`` / ``yellow_pc`` (the levels' thresholds, default 1e-4 and
#: 1e-5), ``min_level`` (``yellow`` or ``red``: the update's level at least), ``min_pc``, ``max_miss_km``,
#: ``within_hours`` (TCA at most this many hours after the screening that found the update), ``level_change``
#: (``up``: the level rose from the previous update you may see, or a new event starts above green; ``any``: it
#: changed).
RULE_KEYS = ("norad_ids", "red_pc", "yellow_pc", "min_level", "min_pc", "max_miss_km", "within_hours",
             "level_change")


def check_rules(rules: Mapping[str, Any]) -> dict[str, Any]:
    """The ``tracked-event`` rules of ``rules`` (keys of :data:`RULE_KEYS`; others are left to the caller),
    validated; ValueError naming the bad key."""
    out: dict[str, Any] = {}
    for key, value in rules.items():
        if key not in RULE_KEYS:
            continue
        if key == "norad_ids":
            if not (isinstance(value, list) and 0 < len(value) <= 1000 and all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 < v < 10**9 for v in value)):
                raise ValueError("rules.norad_ids must be a list of 1 to 1000 NORAD ids")
        elif key in ("red_pc", "yellow_pc", "min_pc"):
            if not (_number(value) and 0.0 < value <= 1.0):
                raise ValueError(f"rules.{key} must be a number in (0, 1]")
        elif key in ("max_miss_km", "within_hours"):
            if not (_number(value) and 0.0 < value <= 1e6):
                raise ValueError(f"rules.{key} must be a positive number")
        elif key == "min_level":
            if value not in ("yellow", "red"):
                raise ValueError("rules.min_level must be yellow or red")
        elif value not in ("up", "any"):
            raise ValueError("rules.level_change must be up or any")
        out[key] = value
    if out.get("yellow_pc", YELLOW_PC) > out.get("red_pc", RED_PC):
        raise ValueError("rules.yellow_pc must not exceed rules.red_pc")
    return out


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def rule_matches(rules: Mapping[str, Any] | None, item: Mapping[str, Any]) -> bool:
    """True when a ``tracked-event`` alert ``item`` meets ``rules`` (:data:`RULE_KEYS`, all given must hold).
    ``item``: ``{"event": {"norad_ids": [...]}, "update": {"pc", "miss_km", "tca_utc", "linked_utc"},
    "previous": the previous update the subscriber may see or None}`` (times ISO 8601 UTC)."""
    if not rules:
        return True
    update, previous = item["update"], item.get("previous")
    if "norad_ids" in rules and not set(rules["norad_ids"]) & set(item["event"]["norad_ids"]):
        return False
    red, yellow = rules.get("red_pc", RED_PC), rules.get("yellow_pc", YELLOW_PC)
    now = level(update.get("pc"), red, yellow)
    if "min_level" in rules and LEVELS.index(now) < LEVELS.index(rules["min_level"]):
        return False
    if "min_pc" in rules and (update.get("pc") is None or update["pc"] < rules["min_pc"]):
        return False
    if "max_miss_km" in rules and update["miss_km"] > rules["max_miss_km"]:
        return False
    if "within_hours" in rules:
        lead = (np.datetime64(update["tca_utc"].rstrip("Z"), "ns") - np.datetime64(update["linked_utc"].rstrip("Z"),
                                                                                   "ns"))
        if not 0.0 <= lead / np.timedelta64(1, "s") <= rules["within_hours"] * 3600.0:  # a passed TCA is not near
            return False
    if "level_change" in rules:
        before = "green" if previous is None else level(previous.get("pc"), red, yellow)
        if rules["level_change"] == "up" and not LEVELS.index(now) > LEVELS.index(before):
            return False
        if rules["level_change"] == "any" and now == before:
            return False
    return True


# --- CDM 2.0 fields (CCSDS 508.0-B-2 relative metadata: CONJUNCTION_ID, PREVIOUS_MESSAGE_ID) ------------------


def message_id_for_update(message_id: str, epoch_utc: str) -> str:
    """A MESSAGE_ID unique per update: the screening CDM's (``PRIMARY_conj_SECONDARY_TCA``, the same for two updates
    whose TCAs fall in the same second) followed by the update's data time (the newer element-set epoch,
    ``_YYYYMMDD_HHMMSS``), as NASA CARA's ids carry the TCA and then the time of the data they come from."""
    digits = epoch_utc.replace("-", "").replace(":", "")
    stamp = f"{digits[:8]}_{digits[9:15]}"
    return message_id if message_id.endswith("_" + stamp) else f"{message_id}_{stamp}"


def cdm_with_event(text: str, conjunction_id: str, previous_message_id: str | None = None,
                   previous_message_epoch: str | None = None, message_id: str | None = None) -> str:
    """The KVN CDM ``text`` with the CDM 2.0 relative-metadata keywords that tie it to its tracked event:
    ``CONJUNCTION_ID`` (the event's id, stable across its updates; first in the relative metadata, before TCA, as
    the standard orders it) and, for a later update, ``PREVIOUS_MESSAGE_ID`` (the MESSAGE_ID of the previous
    update's CDM) and ``PREVIOUS_MESSAGE_EPOCH`` (its CREATION_DATE), after the collision probability.
    ``CCSDS_CDM_VERS`` becomes ``2.0`` (a 1.0 reader refuses these keywords). Applying it again replaces the values
    (idempotent). ``message_id``: a new MESSAGE_ID (:func:`message_id_for_update`)."""
    from kompas.space import cdm

    message = cdm.parse_kvn(text, "stored CDM")
    message.header.set("CCSDS_CDM_VERS", "2.0")
    if message_id:
        message.header.set("MESSAGE_ID", message_id)
    items = [i for i in message.relative.items
             if i[0] not in ("CONJUNCTION_ID", "PREVIOUS_MESSAGE_ID", "PREVIOUS_MESSAGE_EPOCH")]
    items.insert(0, ("CONJUNCTION_ID", conjunction_id, ""))
    if previous_message_id:
        items.append(("PREVIOUS_MESSAGE_ID", previous_message_id, ""))
        if previous_message_epoch:
            items.append(("PREVIOUS_MESSAGE_EPOCH", previous_message_epoch, ""))
    message.relative.items = items
    return cdm.write_kvn(message)
