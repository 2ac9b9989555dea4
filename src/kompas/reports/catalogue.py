"""The catalogue picture: where the objects are and how fresh their element sets are."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kompas.space.elements import ElementSet
from kompas.space.summary import CatalogueSummary, orbit_regime

_COLOURS = {"LEO": "#1f77b4", "MEO": "#2ca02c", "GEO": "#d62728", "HEO": "#9467bd"}


def plot_catalogue(elsets: Sequence[ElementSet], summary: CatalogueSummary, altitude_range_km: np.ndarray,
                   path: Path, title: str) -> Path:
    """Three panels: inclination vs mean altitude by regime; element-set age; 24 h altitude range. PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 5.2), constrained_layout=True)
    regimes = np.array([orbit_regime(e) for e in elsets])
    mean_alt = np.array([(e.perigee_altitude_km + e.apogee_altitude_km) / 2 for e in elsets])
    incl = np.array([e.inclination_deg for e in elsets])
    ax = axes[0]
    for regime, colour in _COLOURS.items():
        sel = regimes == regime
        ax.scatter(incl[sel], mean_alt[sel], s=3, alpha=0.5, color=colour, label=f"{regime} ({sel.sum()})")
    ax.set_yscale("log")
    ax.set_xlabel("inclination (deg)")
    ax.set_ylabel("mean altitude (km, log)")
    ax.set_title("Objects by orbit")
    ax.legend(markerscale=4, loc="lower right")
    ax = axes[1]
    ages = np.asarray(summary.reference_utc - np.array([e.epoch_utc for e in elsets]),
                      dtype="timedelta64[ns]") / np.timedelta64(1, "D")
    ax.hist(np.clip(ages, 0, 30), bins=60, color="#555")
    ax.set_yscale("log")
    ax.set_xlabel("element-set age at reference time (days, clipped at 30)")
    ax.set_ylabel("objects")
    ax.set_title(f"Freshness: median age {abs(summary.epoch_age_days_median):.2f} d, "
                 f"{summary.stale_over_7_days} older than 7 d")
    ax = axes[2]
    ok = np.isfinite(altitude_range_km).all(axis=1)
    low, high = altitude_range_km[ok, 0], altitude_range_km[ok, 1]
    leo = high < 2000
    ax.hist(low[leo], bins=80, alpha=0.6, label="lowest altitude in 24 h")
    ax.hist(high[leo], bins=80, alpha=0.6, label="highest altitude in 24 h")
    ax.set_xlabel("geocentric altitude (km), LEO objects")
    ax.set_ylabel("objects")
    ax.set_title("Propagated altitude band over the next 24 h (LEO)")
    ax.legend()
    fig.suptitle(title)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
