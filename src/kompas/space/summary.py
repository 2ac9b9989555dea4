"""Catalogue summaries: orbit regimes, element-set ages, constellations, altitude statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kompas.constants import EARTH_RADIUS_WGS72_KM
from kompas.space.elements import ElementSet
from kompas.times import as_ns, utc_text_ns

#: Radius of the spherical Earth above which SGP4 states' altitudes are counted, km: WGS-72's, as SGP4's own
#: (and :attr:`ElementSet.perigee_altitude_km`'s); geodetic heights use WGS-84 (:func:`kompas.space.frames.geodetic`).
EARTH_RADIUS_KM = EARTH_RADIUS_WGS72_KM
#: Name prefixes of the large constellations, for the summary's breakdown.
CONSTELLATIONS = {"STARLINK": "Starlink", "ONEWEB": "OneWeb", "KUIPER": "Kuiper", "QIANFAN": "Qianfan",
                  "IRIDIUM": "Iridium", "GLOBALSTAR": "Globalstar", "ORBCOMM": "Orbcomm", "FLOCK": "Planet Flock",
                  "LEMUR": "Spire Lemur", "GPS": "GPS", "NAVSTAR": "GPS", "GSAT0": "Galileo", "BEIDOU": "BeiDou",
                  "COSMOS 2": "Cosmos", "YAOGAN": "Yaogan"}


def orbit_regime(elset: ElementSet) -> str:
    """LEO (apogee < 2000 km), GEO (period 1436 min +-1%, e < 0.01), HEO (e >= 0.25), else MEO."""
    if elset.apogee_altitude_km < 2000.0:
        return "LEO"
    if abs(elset.period_min - 1436.1) < 14.4 and elset.eccentricity < 0.01:
        return "GEO"
    if elset.eccentricity >= 0.25:
        return "HEO"
    return "MEO"


def constellation(name: str) -> str:
    upper = name.upper()
    for prefix, label in CONSTELLATIONS.items():
        if upper.startswith(prefix):
            return label
    return "other"


@dataclass
class CatalogueSummary:
    """What the newest snapshot holds, as numbers a reader can check."""

    objects: int
    reference_utc: np.datetime64
    regimes: dict[str, int]
    constellations: dict[str, int]
    epoch_age_days_median: float
    epoch_age_days_p95: float
    epoch_age_days_max: float
    stale_over_7_days: int
    deep_space: int

    def as_dict(self) -> dict:
        return {"objects": self.objects, "reference_utc": utc_text_ns(self.reference_utc), "regimes": self.regimes,
                "constellations": self.constellations, "epoch_age_days": {
                    "median": round(self.epoch_age_days_median, 3), "p95": round(self.epoch_age_days_p95, 3),
                    "max": round(self.epoch_age_days_max, 3)},
                "stale_over_7_days": self.stale_over_7_days, "deep_space_sdp4": self.deep_space}


def summarise(elsets: Sequence[ElementSet], reference_utc: np.datetime64 | None = None) -> CatalogueSummary:
    """Summarise element sets; ages are measured back from ``reference_utc`` (default: newest epoch), days."""
    epochs = np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]")
    reference = as_ns(reference_utc) if reference_utc is not None else epochs.max()
    # Epochs after the reference have age 0.
    ages = np.maximum(np.asarray(reference - epochs, dtype="timedelta64[ns]") / np.timedelta64(1, "D"), 0.0)
    regimes = Counter(orbit_regime(e) for e in elsets)
    groups = Counter(constellation(e.name) for e in elsets)
    return CatalogueSummary(
        objects=len(elsets), reference_utc=reference,
        regimes={k: regimes.get(k, 0) for k in ("LEO", "MEO", "GEO", "HEO")},
        constellations=dict(groups.most_common()),
        epoch_age_days_median=float(np.median(ages)), epoch_age_days_p95=float(np.percentile(ages, 95)),
        epoch_age_days_max=float(ages.max()), stale_over_7_days=int((ages > 7).sum()),
        deep_space=sum(1 for e in elsets if e.period_min >= 225.0))
