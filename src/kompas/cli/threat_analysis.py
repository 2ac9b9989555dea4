"""`kompas intel threat-analysis`: the integrated EU threat analysis as HTML or PDF, for one platform user
(:mod:`kompas.services.threat_analysis`, the same workflow as ``POST /api/v1/reports/threat-analysis``).
:func:`register` adds the command to the ``kompas intel`` group.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import console, err_console, output_file, progress_bar

USER = Annotated[str, typer.Option("--user", help="Platform user the report is for: it shows what they may see, "
                                                  "and records the cadence on their behalf.")]
OUT = Annotated[Path, typer.Option("--out", help="The report: .pdf or .html.", dir_okay=False,
                                   callback=output_file)]
AS_OF = Annotated[str | None, typer.Option("--as-of", help="The edition's date, YYYY-MM-DD (default: today).")]
SINCE = Annotated[str | None, typer.Option("--since", help="First day of the platform period (default: a year "
                                                           "before --as-of).")]
BANNER = Annotated[str | None, typer.Option("--banner", help="A banner to print instead of the combined marking: it "
                                                             "may add restrictions, never remove one.")]
PRODUCT_LINE = Annotated[str | None, typer.Option("--product-line", help="Key judgements of this product line's "
                                                                         "assessments only (default: all).")]
RECORD = Annotated[bool, typer.Option("--record-cadence", help="Record this edition as done on SC-001 and SC-051 "
                                                               "(commitments register), as of --as-of, under the "
                                                               "report's marking. Off: a dry run.")]
EARLY = Annotated[bool, typer.Option("--early-warning/--no-early-warning", help="Include the conflict forecasts "
                                                                               "and their evaluation (a minute or "
                                                                               "two to build).")]


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from None


def threat_analysis(user: USER, out: OUT = Path("threat_analysis.pdf"), as_of: AS_OF = None, since: SINCE = None,
                    banner: BANNER = None, product_line: PRODUCT_LINE = None, record_cadence: RECORD = False,
                    early_warning: EARLY = True, db: DB = None) -> None:
    """Write the integrated EU threat analysis: armed conflicts and wars per year (UCDP), military expenditure
    (SIPRI), climate-security exposure (the watchlist), early warning of armed conflict, the fused picture, the
    domains' threat landscapes and the key judgements you may see, and when the next edition is due; banner-marked
    with the combination of everything read from the platform, the data's attribution on every page. Exit 2 for a
    date, file or banner that cannot be used (a banner lower than the combined marking is refused)."""
    from kompas.cli.compass import platform_user
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.private import write_private
    from kompas.services.threat_analysis import STEPS, report

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("the report is written as .pdf or .html", param_hint="--out")
    day = _day(as_of, "--as-of") or date.today()
    first = _day(since, "--since")
    store = _store(db)
    account = platform_user(store, user)
    try:
        with progress_bar("building the threat analysis", STEPS) as advance:
            done = report(store, account.viewer, day, fmt, banner, product_line, record_cadence, account,
                          since=first, early=early_warning, progress=advance)
    except (ValueError, StoreError, MarkingError) as error:  # BannerError and a date out of range are ValueErrors
        err_console.print(f"error: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    write_private(out, done.content)
    recorded = " (recorded on SC-001 and SC-051)" if record_cadence else ""
    console.print(f"written: {out} ({done.marking.banner()}){recorded}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``threat-analysis`` to ``app`` (the ``kompas intel`` group)."""
    app.command("threat-analysis")(threat_analysis)
