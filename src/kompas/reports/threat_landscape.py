"""The space threat landscape report (HTML): what happened in a period, against the period before it.

Built from the events JSON of `kompas space events`: counts by type and by owner country, this period against
the previous period of the same length, the notable events (high severity first) with their evidence, and a
timeline of events per day. The classification banner and handling line are printed at the top and bottom of
the page and, when printed, on every page (CSS paged media).
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kompas.space.events import TYPES

NOTABLE_FIRST = ("proximity", "fragmentation", "geo_relocation", "geo_drift", "reentry", "manoeuvre")


def _in(events: Sequence[dict], start: str, end: str) -> list[dict]:
    return [e for e in events if start <= e["epoch_utc"] < end]


def _timeline_png(events: Sequence[dict], start: np.datetime64, end: np.datetime64) -> str:
    """Events per day by type, as a base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = np.arange(start.astype("datetime64[D]"), end.astype("datetime64[D]") + 1)
    fig, ax = plt.subplots(figsize=(9, 3.2), constrained_layout=True)
    bottom = np.zeros(days.size)
    for kind in TYPES:
        counts = Counter(np.datetime64(e["epoch_utc"][:10]) for e in events if e["type"] == kind)
        values = np.array([counts.get(d, 0) for d in days])
        if values.any():
            ax.bar(days.astype("datetime64[D]").astype(object), values, bottom=bottom, label=kind, width=0.8)
            bottom += values
    ax.set_ylabel("events per day")
    ax.set_yscale("symlog")
    ax.legend(fontsize=8, ncols=3)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def build(events: Sequence[dict], start_utc: str, end_utc: str, banner: str, handling: str = "") -> str:
    """The report as one self-contained HTML page (plot embedded)."""
    start, end = np.datetime64(start_utc.rstrip("Z"), "s"), np.datetime64(end_utc.rstrip("Z"), "s")
    previous = (str(start - (end - start)) + "Z", str(start) + "Z")
    now = _in(events, str(start) + "Z", str(end) + "Z")
    before = _in(events, *previous)
    this_types, last_types = Counter(e["type"] for e in now), Counter(e["type"] for e in before)
    owners = Counter(code for e in now for code in (e.get("owners") or {"-": "unknown"}).values())
    order = {"high": 0, "medium": 1, "low": 2}
    rank = {kind: k for k, kind in enumerate(NOTABLE_FIRST)}  # rare, security-relevant types before manoeuvres
    notable = sorted(now, key=lambda e: (rank.get(e["type"], 9), order[e["severity"]], -e["confidence"],
                                         e["epoch_utc"]))[:25]
    esc = html.escape
    rows_types = "".join(f"<tr><td>{t}</td><td>{this_types.get(t, 0)}</td><td>{last_types.get(t, 0)}</td>"
                         f"<td>{this_types.get(t, 0) - last_types.get(t, 0):+d}</td></tr>" for t in TYPES)
    rows_owners = "".join(f"<tr><td>{esc(o)}</td><td>{n}</td></tr>" for o, n in owners.most_common(15))
    rows_notable = "".join(
        f"<tr><td>{esc(e['epoch_utc'][:16])}</td><td>{esc(e['type'])}</td><td>{esc(e['severity'])}</td>"
        f"<td>{e['confidence']:.2f}</td><td>{esc(e.get('summary', ''))}</td>"
        f"<td>{', '.join(map(str, e['norad_ids'][:4]))}{' ...' if len(e['norad_ids']) > 4 else ''}</td></tr>"
        for e in notable)
    line = esc(banner) + (f" &mdash; {esc(handling)}" if handling else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Space threat landscape {esc(start_utc)} to {esc(end_utc)}</title>
<style>
@page {{ size: A4; margin: 18mm 14mm; @top-center {{ content: "{esc(banner)}"; font: bold 9pt sans-serif; }}
         @bottom-center {{ content: "{esc(banner)}"; font: bold 9pt sans-serif; }} }}
body {{ font: 10.5pt/1.4 sans-serif; max-width: 60em; margin: auto; color: #111; }}
.banner {{ text-align: center; font-weight: bold; background: #b00; color: white; padding: 4px; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.2em; }} td, th {{ border: 1px solid #bbb; padding: 2px 6px; }}
th {{ background: #eee; }} h1 {{ font-size: 17pt; }} h2 {{ font-size: 13pt; margin-top: 1.4em; }}
</style></head><body>
<div class="banner">{line}</div>
<h1>Space threat landscape, {esc(start_utc[:10])} to {esc(end_utc[:10])}</h1>
<p>{len(now)} events in the period ({len(before)} in the previous period of the same length,
{esc(previous[0][:10])} to {esc(previous[1][:10])}). Source: Kompas event detection on the element-set history.</p>
<h2>Events by type</h2>
<table><tr><th>type</th><th>this period</th><th>previous</th><th>change</th></tr>{rows_types}</table>
<h2>Events by owner</h2>
<table><tr><th>owner / country</th><th>events</th></tr>{rows_owners}</table>
<h2>Timeline</h2>
<img alt="events per day by type" src="data:image/png;base64,{_timeline_png(now, start, end)}" style="width:100%">
<h2>Notable events</h2>
<table><tr><th>time (UTC)</th><th>type</th><th>severity</th><th>confidence</th><th>what</th><th>objects</th></tr>
{rows_notable}</table>
<div class="banner">{line}</div>
</body></html>
"""


def write(events: Sequence[dict], start_utc: str, end_utc: str, banner: str, path: Path, handling: str = "") -> Path:
    """Write the HTML report to ``path``."""
    path.write_text(build(events, start_utc, end_utc, banner, handling))
    return path
