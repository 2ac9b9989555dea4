"""Scoring re-entry predictions against the objects that left a series of catalogue snapshots.

Truth: an object whose newest element set (over all snapshots) has a perigee under ``max_perigee_km`` and that
is absent from every snapshot after the last one holding it re-entered between the set's epoch and the first such
snapshot (the "bracket"; the catalogue drops an object once its decay is reported, often a day or more after the
fact, so the bracket's end is an upper bound, never an estimate). Objects still present in the newest snapshot and
objects that left with a higher perigee (dropped from the list for another reason) are not counted; an object that
left and came back counts by its last departure.

A prediction's window counts as **inside** when it overlaps the bracket (the re-entry may lie in the window; with
daily snapshots the bracket is one to two days); the old **point** test (the predicted epoch inside the bracket) is
reported beside it. (Whether the window covers the whole bracket is not a useful test: the bracket starts at the
element set's epoch, where no window starts.) A prediction without a
re-entry within its horizon counts as outside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kompas.space.elements import ElementSet
from kompas.space.reentry import ReentryPrediction

DAY = np.timedelta64(86400, "s")


@dataclass(frozen=True)
class Departure:
    """An object that left the snapshots: its newest element set and the time of the first snapshot after it
    without the object (UTC)."""

    last: ElementSet
    absent_utc: np.datetime64


def departures(snapshots: Sequence[tuple[np.datetime64, set[int]]], histories: Mapping[int, Sequence[ElementSet]],
               max_perigee_km: float = 250.0) -> list[Departure]:
    """The objects of ``histories`` that re-entered by the rule of the module docstring; ``snapshots`` are
    (time taken, NORAD ids held), in any order."""
    ordered = sorted(snapshots, key=lambda s: s[0])
    found = []
    for norad_id, history in histories.items():
        if not history:
            continue
        last = max(history, key=lambda e: e.epoch_utc)
        held = [k for k, (_, ids) in enumerate(ordered) if norad_id in ids]
        gone = held[-1] + 1 if held else 0
        if (last.perigee_altitude_km < max_perigee_km and gone < len(ordered)
                and ordered[gone][0] > last.epoch_utc):
            found.append(Departure(last, ordered[gone][0]))
    return sorted(found, key=lambda d: d.last.norad_id)


@dataclass(frozen=True)
class Score:
    """Shares of departures whose window is inside (overlaps) the bracket and whose point prediction lies in it,
    and the window widths (days; median and 90th percentile over predictions with a window)."""

    objects: int
    inside: float
    point: float
    width_median_days: float
    width_p90_days: float

    def text(self) -> str:
        return (f"{self.objects} objects: window overlaps the bracket {self.inside:.0%}, "
                f"point inside {self.point:.0%}; window width median {self.width_median_days:.2f} d, "
                f"90th percentile {self.width_p90_days:.2f} d")


def score(cases: Sequence[Departure], predictions: Sequence[ReentryPrediction]) -> Score:
    """Score ``predictions`` (one per case, same order) against the brackets of ``cases``."""
    if len(cases) != len(predictions) or not cases:
        raise ValueError(f"need one prediction per case, got {len(predictions)} for {len(cases)} cases")
    inside, point, widths = [], [], []
    for case, p in zip(cases, predictions, strict=True):
        if p.norad_id != case.last.norad_id:
            raise ValueError(f"prediction for {p.norad_id} given for case {case.last.norad_id}")
        lo, hi = case.last.epoch_utc, case.absent_utc
        if p.window_utc is None or p.reentry_utc is None:
            inside.append(False)
            point.append(False)
            continue
        w0, w1 = p.window_utc
        inside.append(bool(w0 <= hi and w1 >= lo))
        point.append(bool(lo <= p.reentry_utc <= hi))
        widths.append(float((w1 - w0) / DAY))
    w = np.array(widths) if widths else np.array([np.nan])
    return Score(len(cases), float(np.mean(inside)), float(np.mean(point)),
                 float(np.median(w)), float(np.percentile(w, 90)))
