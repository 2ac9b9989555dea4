"""The reliability diagram of scored judgements, as SVG bytes for pages and reports.

Observed frequency (y) against mean forecast probability (x) per calibration bin
(:func:`kompas.intel.scoring.decompose`), the diagonal of perfect calibration and, below, a bar per bin with the number
of judgements in it (written above the bar); the title states the Brier score and the number of judgements.
Points above the diagonal: the events happened more often than judged (under-confidence in them); below: less
often (over-confidence).

Drawn with matplotlib's object interface on the SVG canvas (no pyplot, no display, no global state; text kept as
text so the SVG is small and searchable), written to memory, never to a file. Same input, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from kompas.intel.scoring import ICD203_EDGES, Decomposition, Scored, decompose

__all__ = ["reliability_diagram"]

SIZE_IN = (6.0, 6.4)  #: figure size, inches


def reliability_diagram(data: Decomposition | Sequence[Scored], label: str = "",
                        bins: int | Sequence[float] = ICD203_EDGES) -> bytes:
    """The diagram (SVG document, UTF-8 bytes) of a decomposition, or of scored judgements binned by ``bins``.
    ``label`` names what is scored (a team, a product line) at the head of the title. With no judgements the
    diagram says so (axes and diagonal only)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    result = data if isinstance(data, Decomposition) else \
        (decompose([s.probability for s in data], [s.outcome for s in data], bins) if data else None)
    with matplotlib.rc_context({"svg.hashsalt": "kompas-intel", "svg.fonttype": "none"}):
        fig = Figure(figsize=SIZE_IN)
        FigureCanvasSVG(fig)
        grid = fig.add_gridspec(2, 1, height_ratios=(4, 1), hspace=0.08)
        ax = fig.add_subplot(grid[0])
        hist = fig.add_subplot(grid[1], sharex=ax)
        ax.plot([0, 1], [0, 1], linestyle="--", color="0.5", linewidth=1, label="perfect calibration")
        # a user's label is text, never mathtext: "$x^$" would otherwise be parsed (and fail)
        head = (label.replace("$", r"\$") + ": ") if label else ""
        if result is None or result.n == 0:
            ax.set_title(f"{head}no resolved judgements yet", fontsize=11)
        else:
            xs = [b.forecast for b in result.bins]
            ys = [b.observed for b in result.bins]
            ax.plot(xs, ys, marker="o", color="C0", linewidth=1.5, label="judgements")
            hist.bar([(b.low + b.high) / 2 for b in result.bins], [b.count for b in result.bins],
                     width=[(b.high - b.low) * 0.9 for b in result.bins], color="C0", alpha=0.6)
            for b in result.bins:
                hist.annotate(f"{b.count}", ((b.low + b.high) / 2, b.count), ha="center", va="bottom", fontsize=7)
            noun = "judgement" if result.n == 1 else "judgements"
            ax.set_title(f"{head}Brier score {result.brier:.3f} over {result.n} {noun}", fontsize=11)
            hist.set_ylim(0, max(b.count for b in result.bins) * 1.3)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_ylabel("observed frequency")
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        ax.tick_params(labelbottom=False)
        ax.grid(True, color="0.9", linewidth=0.6)
        hist.set_xlabel("forecast probability (mean per bin)")
        hist.set_ylabel("judgements", fontsize=8)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()
