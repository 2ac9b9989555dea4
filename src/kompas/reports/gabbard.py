"""Gabbard diagram of a debris cloud: apogee and perigee altitude against orbital period."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kompas.reports.document import pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure
from kompas.space.elements import ElementSet


def gabbard_figure(period_min: Sequence[float], apogee_km: Sequence[float], perigee_km: Sequence[float],
                   title: str, parent: tuple[float, float, float, str] | None = None,
                   size: tuple[float, float] = (8, 5.5)) -> Figure:
    """The diagram as a matplotlib figure: apogee (upper branch) and perigee (lower branch) altitude, km, of
    every object against its period, min; ``parent`` = (period, apogee, perigee, label) is starred."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=size, constrained_layout=True)
    ax.scatter(period_min, apogee_km, s=6, color="#d62728", label="apogee")
    ax.scatter(period_min, perigee_km, s=6, color="#1f77b4", label="perigee")
    if parent is not None:
        period, apogee, perigee, label = parent
        ax.scatter([period] * 2, [apogee, perigee], s=60, marker="*", color="black", label=f"parent {label}",
                   zorder=3)
    ax.set_xlabel("orbital period (min)")
    ax.set_ylabel("altitude (km)")
    ax.set_title(f"{title}: {len(period_min)} objects")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return fig


def plot_gabbard(elsets: Sequence[ElementSet], path: Path, title: str, parent_id: int | None = None) -> Path:
    """The Gabbard diagram of ``elsets`` as a PNG file (see :func:`gabbard_figure`)."""
    parent = next(((e.period_min, e.apogee_altitude_km, e.perigee_altitude_km, e.name or str(e.norad_id))
                   for e in elsets if e.norad_id == parent_id), None)
    fig = gabbard_figure([e.period_min for e in elsets], [e.apogee_altitude_km for e in elsets],
                         [e.perigee_altitude_km for e in elsets], title, parent)
    fig.savefig(path, dpi=120)
    pyplot().close(fig)
    return path
