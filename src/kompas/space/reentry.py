"""Re-entry prediction for low-perigee objects from their newest element set.

Each set is propagated with SGP4 from its own epoch in steps of :data:`STEP_S` until the object is below
:data:`~kompas.space.screening.REENTRY_ALTITUDE_KM` or SGP4 fails (the same test screening uses); that time is
the predicted re-entry. SGP4's drag model (B*) is fitted to recent decay, and solar activity changes what
follows, so the window is the prediction +- :data:`WINDOW_FRACTION` of the remaining lifetime, the usual rule
for re-entry predictions made from orbital elements alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kompas.constants import NS_PER_SECOND, SECONDS_PER_DAY
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.propagation import Propagator
from kompas.space.screening import max_radius_km, reentered

STEP_S = 600.0
WINDOW_FRACTION = 0.2


@dataclass
class ReentryPrediction:
    """Predicted re-entry (None: not within the horizon) and its window, UTC."""

    norad_id: int
    name: str
    epoch_utc: np.datetime64
    perigee_km: float
    reentry_utc: np.datetime64 | None
    window_utc: tuple[np.datetime64, np.datetime64] | None


def predict(elsets: Sequence[ElementSet], horizon_days: float = 90.0) -> list[ReentryPrediction]:
    """Re-entry of each object within ``horizon_days`` of its set's epoch (vectorised over objects)."""
    if not elsets:
        return []
    prop = Propagator.from_elements(elsets)
    epochs = np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]")
    offsets = np.arange(0.0, horizon_days * SECONDS_PER_DAY + STEP_S, STEP_S)
    first = np.full(len(elsets), np.inf)
    bound = max_radius_km(elsets)
    for k, offset in enumerate(offsets):
        jd, fr = split_julian_date(epochs + np.timedelta64(int(offset * NS_PER_SECOND), "ns"))
        states, codes = prop.each(jd, fr)
        gone = reentered(states[None], codes[None], bound)[0]
        first = np.where(gone & ~np.isfinite(first), offsets[k], first)
        if np.isfinite(first).all():
            break
    out = []
    for e, epoch, t in zip(elsets, epochs, first, strict=True):
        when = None if not np.isfinite(t) else epoch + np.timedelta64(int(t * NS_PER_SECOND), "ns")
        half = None if when is None else np.timedelta64(int(WINDOW_FRACTION * t * NS_PER_SECOND), "ns")
        out.append(ReentryPrediction(e.norad_id, e.name, epoch, e.perigee_altitude_km, when,
                                     None if when is None else (when - half, when + half)))
    return out
