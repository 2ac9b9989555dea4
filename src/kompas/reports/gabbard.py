"""Gabbard diagram of a debris cloud: apogee and perigee altitude against orbital period."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kompas.space.elements import ElementSet


def plot_gabbard(elsets: Sequence[ElementSet], path: Path, title: str, parent_id: int | None = None) -> Path:
    """Apogee (upper branch) and perigee (lower branch) altitude, km, of every object vs period, min. PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    period = [e.period_min for e in elsets]
    fig, ax = plt.subplots(figsize=(8, 5.5), constrained_layout=True)
    ax.scatter(period, [e.apogee_altitude_km for e in elsets], s=6, color="#d62728", label="apogee")
    ax.scatter(period, [e.perigee_altitude_km for e in elsets], s=6, color="#1f77b4", label="perigee")
    parent = [e for e in elsets if e.norad_id == parent_id]
    if parent:
        p = parent[0]
        ax.scatter([p.period_min] * 2, [p.apogee_altitude_km, p.perigee_altitude_km], s=60, marker="*",
                   color="black", label=f"parent {p.name or p.norad_id}", zorder=3)
    ax.set_xlabel("orbital period (min)")
    ax.set_ylabel("altitude (km)")
    ax.set_title(f"{title}: {len(elsets)} objects")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
