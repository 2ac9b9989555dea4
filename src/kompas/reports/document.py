"""What every Kompas report shares: the page with its classification banner, embedded figures, tables, and
writing the page as HTML or PDF.

A report is one self-contained HTML page (figures embedded as PNG data URIs, no external files). The banner and
handling line are printed at the top and bottom of the page and, through CSS paged media (``@page`` margin
boxes), at the top and bottom of every printed page; the PDF is rendered from the same page by WeasyPrint, so
the two never differ in content.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from kompas.private import write_private

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = (".html", ".pdf")

_CSS = """
@page {{ size: A4; margin: 20mm 14mm 18mm;
  @top-center {{ content: "{line}"; font: bold 8.5pt sans-serif; color: {colour}; }}
  @bottom-center {{ content: "{line}"; font: bold 8.5pt sans-serif; color: {colour}; }}
  @bottom-right {{ content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; }} }}
body {{ font: 10pt/1.4 "DejaVu Sans", sans-serif; max-width: 62em; margin: auto; color: #111; }}
.banner {{ text-align: center; font-weight: bold; background: {colour}; color: white; padding: 3px; }}
table {{ border-collapse: collapse; margin: 0.4em 0 1em; font-size: 9pt; }}
td, th {{ border: 1px solid #bbb; padding: 2px 5px; vertical-align: top; }}
th {{ background: #eee; text-align: left; }} td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
h1 {{ font-size: 17pt; margin-bottom: 0.2em; }} h2 {{ font-size: 13pt; margin-top: 1.3em; break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 0.8em 0 0.2em; break-after: avoid; }}
figure {{ margin: 0.4em 0 1em; break-inside: avoid; }} figure img {{ width: 100%; }}
figcaption {{ font-size: 8.5pt; color: #444; }} .muted {{ color: #555; font-size: 9pt; }}
.key {{ border-left: 4px solid {colour}; padding: 0.2em 0.8em; background: #f7f7f7; }}
tr, figure, .key {{ break-inside: avoid; }}
.wide table {{ width: 100%; }} .small table {{ font-size: 7.5pt; }} .small td, .small th {{ padding: 1px 3px; }}
"""

BANNER_COLOURS = (("TOP SECRET", "#e07000"), ("TRES SECRET", "#e07000"), ("SECRET", "#c8102e"),
                  ("CONFIDENTIAL", "#0033a0"), ("RESTRICTED", "#9a6a00"), ("RESTREINT", "#9a6a00"),
                  ("UNCLASSIFIED", "#007a33"))  #: Banner colour by the highest level named, highest first.


def esc(value: object) -> str:
    """HTML-escaped text of any value."""
    return html.escape(str(value))


def figure(fig: Figure, caption: str, alt: str | None = None, dpi: int = 130) -> str:
    """A matplotlib figure as an embedded PNG with its caption; closes the figure."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return (f'<figure><img alt="{esc(alt or caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def pyplot() -> ModuleType:
    """matplotlib.pyplot on the Agg backend (no screen needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def table(header: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    """An HTML table; cells are escaped, columns whose index is in ``numeric`` right-aligned."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="n">{esc(c)}</td>' if k in numeric else f"<td>{esc(c)}</td>"
                                    for k, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def banner_colour(banner: str) -> str:
    """The colour of the highest classification level named in ``banner`` (dark grey if none is)."""
    upper = banner.upper()
    return next((colour for level, colour in BANNER_COLOURS if level in upper), "#444")


def css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string that cannot end the string or the style element."""
    return "".join(f"\\{ord(c):x} " if c in '\\"<>&\n\r' else c for c in text)


def page(title: str, body: str, banner: str, handling: str = "") -> str:
    """The whole HTML page: banner and handling line at the top and bottom of the page and of every printed page."""
    line = banner + (f" \u2014 {handling}" if handling else "")
    css = _CSS.format(line=css_string(line), colour=banner_colour(banner))
    top = f'<div class="banner">{esc(line)}</div>'
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{css}</style></head><body>\n{top}\n{body}\n{top}\n</body></html>\n")


def write(text: str, path: Path) -> Path:
    """Write the page as HTML, or as PDF (WeasyPrint) when ``path`` ends in ``.pdf``; the file is ``0600``
    (:func:`kompas.private.write_private`: reports carry marked content)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: reports are written as {' or '.join(FORMATS)}, not {suffix or 'no suffix'}")
    if suffix == ".html":
        write_private(path, text)
    else:
        try:
            from weasyprint import HTML
        except OSError as error:  # WeasyPrint loads Pango; a machine without it cannot render PDF
            raise RuntimeError(f"PDF needs the Pango library (Debian: apt-get install libpango-1.0-0 "
                               f"libpangoft2-1.0-0): {error}") from None
        write_private(path, HTML(string=text).write_pdf())
    return path
