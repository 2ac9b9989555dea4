"""`kompas forces report`: the annual capability review for the meeting of EU defence ministers (the Strategic
Compass's "Invest"), as HTML or PDF, banner-marked (:mod:`kompas.services.forces_report`, the same workflow as
``POST /api/v1/reports/forces``). :func:`register` adds the command to the ``kompas forces`` group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import console, err_console, output_file, progress_bar
from kompas.cli.forces import EXAMPLE, USER_READ

OUT = Annotated[Path, typer.Option("--out", help="The report: .pdf or .html.", dir_okay=False,
                                   callback=output_file)]
FORMAT = Annotated[str | None, typer.Option("--format", help="pdf or html (default: from the --out suffix).")]
CASE = Annotated[str | None, typer.Option("--case", help="A planning case (kompas forces scenarios; default "
                                                         "rdc-stabilisation-and-civilian-mission) or one "
                                                         "scenario's name.")]
EDITIONS = Annotated[list[str] | None, typer.Option("--edition", help="An edition to review (repeatable; default: "
                                                                      "every edition you may see).")]
BANNER = Annotated[str | None, typer.Option("--banner", help="A banner to print instead of the combined marking: it "
                                                             "may add restrictions, never remove one.")]
HANDLING = Annotated[str, typer.Option("--handling", help="A handling line printed after the banner.")]
WITHIN_CLASSIFICATION = Annotated[str | None, typer.Option(
    "--within-classification", help="Produce the report at this releasability: read only the documents whose "
                                    "markings it covers (with the --within-* options; TLP default AMBER).")]
WITHIN_TLP = Annotated[str | None, typer.Option("--within-tlp", help="TLP of the --within marking.")]
WITHIN_RELEASABLE = Annotated[list[str] | None, typer.Option("--within-releasable-to", help="Releasability of the "
                                                                                           "--within marking "
                                                                                           "(repeatable).")]
WITHIN_COMMUNITY = Annotated[list[str] | None, typer.Option("--within-community", help="Need-to-know community of "
                                                                                      "the --within marking "
                                                                                      "(repeatable).")]


def report(out: OUT = Path("forces.pdf"), fmt: FORMAT = None, case: CASE = None, editions: EDITIONS = None,
           example: EXAMPLE = False, user: USER_READ = None,
           within_classification: WITHIN_CLASSIFICATION = None, within_tlp: WITHIN_TLP = None,
           within_releasable_to: WITHIN_RELEASABLE = None, within_community: WITHIN_COMMUNITY = None,
           banner: BANNER = None, handling: HANDLING = "", db: DB = None) -> None:
    """Write the capability review for the annual defence ministers' meeting: headline figures, the Rapid Deployment
    Capacity overview, the gaps of a planning case (severity coloured) and their trends between editions, force
    generation for the case's military scenarios, every assumption and source. Banner-marked with the combined
    marking of every register document read; ILLUSTRATIVE when the example set or illustrative scenarios are used.
    Exit 2 for a file, case, edition, marking or banner that cannot be used (a banner lower than the marking is
    refused), or when no register is visible."""
    from kompas.core.markings import Marking, MarkingError
    from kompas.private import write_private
    from kompas.services.forces_report import STEPS
    from kompas.services.forces_report import report as build

    suffix = out.suffix.lower().lstrip(".")
    chosen = (fmt or suffix).lower()
    if chosen not in ("pdf", "html"):
        raise typer.BadParameter("the report is written as pdf or html", param_hint="--format" if fmt else "--out")
    if fmt and suffix in ("pdf", "html") and suffix != chosen:
        raise typer.BadParameter(f"--format {fmt} but the file ends in .{suffix}", param_hint="--format")
    within = None
    try:
        if within_classification or within_tlp or within_releasable_to or within_community:
            within = Marking.build(within_classification or "UNCLASSIFIED", within_tlp or "AMBER",
                                   within_releasable_to, within_community or [])
    except MarkingError as error:
        err_console.print(f"error: --within: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    from kompas.cli.compass import platform_user

    store = None if example else _store(db)
    viewer = platform_user(store, user).viewer if user and store is not None else None
    try:
        with progress_bar("building the forces report", STEPS) as advance:
            done = build(store, viewer, chosen, banner, handling, case, example=example, editions=editions,
                         within=within, progress=advance)
    except (ValueError, MarkingError, RuntimeError) as error:  # BannerError, an unknown case, no PDF renderer
        err_console.print(f"error: {error}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    write_private(out, done.content)
    console.print(f"written: {out} ({done.marking.banner()})", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app`` (the ``kompas forces`` group)."""
    app.command("report")(report)
