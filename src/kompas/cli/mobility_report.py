"""`kompas mobility report`: the military mobility report (the Strategic Compass's 2022 analysis) as HTML or PDF
(:mod:`kompas.services.mobility_report`, the same workflow as ``POST /api/v1/reports/mobility``). :func:`register`
adds the command to the ``kompas mobility`` group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import console, err_console, output_file, progress_bar
from kompas.cli.mobility import PACKAGE_NAME, USER_READ

OUT = Annotated[Path, typer.Option("--out", help="The report: .pdf or .html.", dir_okay=False,
                                   callback=output_file)]
BANNER = Annotated[str | None, typer.Option("--banner", help="A banner to print instead of the combined marking: it "
                                                             "may add restrictions, never remove one.")]
HANDLING = Annotated[str, typer.Option("--handling", help="A handling line printed after the banner.")]


def report(out: OUT = Path("mobility.pdf"), user: USER_READ = None, package_name: PACKAGE_NAME = None,
           banner: BANNER = None, handling: HANDLING = "", db: DB = None) -> None:
    """Write the mobility report: per corridor of the German rail network (RINF) and the ILLUSTRATIVE gauge-break
    test network, whether the package can move, how long (hours, days), the narrowest element and every obstacle with
    its cost; what the corridors cannot lose; airfields per aircraft; how much the open data states; the dual-use
    project candidates. Banner-marked with the combined marking of what was read; the sources' attribution on every
    page. Exit 2 for a file, package or banner that cannot be used (a banner lower than the marking is refused)."""
    from kompas.core.markings import MarkingError
    from kompas.private import write_private
    from kompas.services.mobility_report import STEPS
    from kompas.services.mobility_report import report as build

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("the report is written as .pdf or .html", param_hint="--out")
    from kompas.cli.compass import platform_user

    store = _store(db)
    viewer = platform_user(store, user).viewer if user else None
    try:
        with progress_bar("building the mobility report", STEPS) as advance:
            done = build(store, viewer, fmt, banner, handling, package_name, progress=advance)
    except (ValueError, MarkingError, RuntimeError) as error:  # BannerError, an unknown package, no PDF renderer
        err_console.print(f"error: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    write_private(out, done.content)
    console.print(f"written: {out} ({done.marking.banner()})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app`` (the ``kompas mobility`` group)."""
    app.command("report")(report)
