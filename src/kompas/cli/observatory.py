"""`kompas observatory ...`: supply-chain dependencies, stress tests and the biennial report (kompas.observatory)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kompas import csvsafe
from kompas.cli.admin import DB, _store
from kompas.cli.common import (
    CLASSIFICATION_OPTION,
    COMMUNITY_OPTION,
    RELEASABLE_OPTION,
    TLP_OPTION,
    console,
    err_console,
    fallback,
    input_sets,
    output_file,
    report_errors,
    text_file,
)
from kompas.files import packaged
from kompas.private import open_private, write_private

if TYPE_CHECKING:
    from kompas.core.markings import Marking

app = typer.Typer(help="The Observatory of Critical Technologies: supply-chain dependencies, stress tests, "
                       "mitigations and the biennial report.", no_args_is_help=True)

SAMPLE = packaged("observatory")  #: The 8-input USGS sample shipped with Kompas.
STRESS_HEADER = ("input_id", "input_name", "supply_lost_pct", "technologies_affected", "year", "lost_from",
                 "technologies")
DATA_OPTION = Annotated[list[Path] | None, typer.Option(
    "--data", help="Supply data: a folder, file or glob pattern (repeatable). Formats: the CSET chipexplorer "
                   "folder, USGS world production tables, USGS production by year, the Kompas supply CSV (README). "
                   "Default: the folders in ../shared/data/observatory ($KOMPAS_SHARED, beside the current folder, "
                   "the checkout or the installation), else the 8-input USGS sample shipped with Kompas (said on "
                   "stderr).", callback=input_sets)]
CONFIG_OPTION = Annotated[Path | None, typer.Option("--config", help="Country groups and criticality method "
                                                                     "(default: kompas/data/observatory.yaml).",
                                                    callback=text_file)]
YEAR_OPTION = Annotated[int | None, typer.Option("--year", help="Assess with the shares of this year or the "
                                                                "latest before it (default: the latest).")]
USER_OPTION = Annotated[str | None, typer.Option("--user", help="Also use the supply data contributed through the "
                                                                "platform that this user may see.")]


def _default_data() -> list[Path]:
    """The folders in ../shared/data/observatory (:mod:`kompas.locate`), else the bundled sample, saying so."""
    from kompas.locate import shared_data

    shared = shared_data("observatory")
    folders = [p for p in sorted(shared.iterdir()) if p.is_dir()] if shared is not None and shared.is_dir() else []
    if folders:
        return folders
    fallback("observatory", f"using the 8-input USGS sample shipped with Kompas ({SAMPLE})")
    return [SAMPLE]


def _inputs(data: list[Path] | None, config: Path | None, db: str | None, user: str | None):  # noqa: ANN202
    """(chain, config, marking or None): the supply chain from files and the user's platform documents; rejected
    rows and skipped files are listed on stderr."""
    from kompas.files import load_supply
    from kompas.observatory.config import ConfigError
    from kompas.observatory.load import load_config

    try:
        settings = load_config(config)
    except ConfigError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    paths = data or _default_data()
    extra: list[tuple[str, str]] = []
    marking: Marking | None = None
    if user is not None:
        from kompas.services.reports import supply_documents

        store = _store(db)
        account = store.account(user)
        if account is None:
            err_console.print(f"error: no user {user!r}", highlight=False)
            raise typer.Exit(2)
        extra, marking = supply_documents(store, account.viewer)
    try:
        chain, rejections, skipped = load_supply(paths, settings, extra)
    except FileNotFoundError as error:
        err_console.print(f"error: {error} does not exist", highlight=False)
        raise typer.Exit(2) from None
    for rejection in rejections:
        err_console.print(f"rejected: {rejection}", highlight=False)
    for path in skipped:
        err_console.print(f"skipped (not supply data): {path}", highlight=False)
    if not chain.shares:
        err_console.print("error: no supply data read", highlight=False)
        raise typer.Exit(2)
    err_console.print(f"read {len(chain.inputs)} inputs, {len(chain.providers)} providers, {len(chain.shares)} "
                      f"shares, {len(chain.links)} links from {len(paths)} paths"
                      + (f" and {len(extra)} platform documents" if user is not None else "")
                      + f"; {len(rejections)} rows rejected", highlight=False)
    return chain, settings, marking, rejections


@app.command("assess")
def assess(
    data: DATA_OPTION = None,
    config: CONFIG_OPTION = None,
    year: YEAR_OPTION = None,
    out: Annotated[Path, typer.Option(help="Assessment JSON file (generated_utc, marking, config, rejected_rows, "
                                           "dependencies, technologies, trends).",
                                      callback=output_file)] = Path("assessment.json"),
    user: USER_OPTION = None,
    db: DB = None,
) -> None:
    """Dependency metrics per input (HHI by country and company, EU share, share from outside the like-minded
    group, largest country, providers, single points of failure, criticality score), rolled up to each technology,
    the year-over-year trends and the candidate mitigations, as JSON. Prints the riskiest inputs. Exit 1 when rows
    were rejected."""
    from kompas.observatory.load import load_mitigations
    from kompas.observatory.metrics import assess as run_assess
    from kompas.observatory.metrics import roll_up, trends
    from kompas.observatory.mitigations import propose

    chain, settings, marking, rejections = _inputs(data, config, db, user)
    dependencies = run_assess(chain, settings, year)
    rules = load_mitigations()
    document = {
        "generated_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "marking": marking.as_dict() if marking else None,
        "config": {"weights": dict(settings.weights), "thresholds": dict(settings.thresholds),
                   "groups": {k: sorted(v) for k, v in settings.groups.items()}},
        "rejected_rows": len(rejections),
        "dependencies": [d.as_dict() | {"mitigations": [r.id for r in propose(d.flags, rules)]}
                         for d in dependencies],
        "technologies": [t.as_dict() for t in roll_up(chain, dependencies)],
        "trends": [t.as_dict() for t in trends(chain, settings)],
    }
    write_private(out, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    from rich.table import Table

    table = Table("input", "year", "score", "risk", "largest", "EU %", "outside %", "single point",
                  title="Riskiest inputs")
    for d in [d for d in dependencies if d.score is not None][:15]:
        table.add_row(f"{d.input_name} ({d.input_id})", str(d.year), f"{d.score:.2f}", d.risk,
                      f"{d.top_country} {d.top_share_pct:.0f}%", f"{d.eu_share_pct:.0f}",
                      f"{d.outside_share_pct:.0f}", d.single_point or "-")
    console.print(table)
    err_console.print(f"written: {out} ({len(dependencies)} inputs, "
                      f"{sum(d.risk == 'high' for d in dependencies)} high risk)", highlight=False)
    raise typer.Exit(1 if rejections else 0)


def resolve(chain, settings, names: list[str]) -> list[str]:  # noqa: ANN001
    """Provider ids for the names given (ISO 3166 codes or common country names, company names); exit 2 naming
    the unknown ones with close matches."""
    import difflib

    ids, unknown = [], []
    for name in names:
        code = settings.code(name)
        if code in chain.providers:
            ids.append(code)
            continue
        found = chain.find_providers([name])[name]
        if found:
            ids += found
        else:
            unknown.append(name)
    if unknown:
        names_known = sorted({p.name for p in chain.providers.values()})
        for name in unknown:
            close = difflib.get_close_matches(name, names_known, n=3)
            err_console.print(f"error: no provider {name!r} in the data" + (f" (did you mean {', '.join(close)}?)"
                                                                              if close else ""), highlight=False)
        raise typer.Exit(2)
    return ids


@app.command("stress")
def stress(
    remove: Annotated[list[str], typer.Option("--remove", help="Country (ISO 3166 alpha-3 code such as CHN, NLD, "
                                                               "TWN, or a common name) or company to cut out "
                                                               "(repeatable).")],
    data: DATA_OPTION = None,
    config: CONFIG_OPTION = None,
    cut: Annotated[float, typer.Option(help="Percent of the removed providers' supply that is lost (100: all; "
                                            "50: an export quota halving it).")] = 100.0,
    critical: Annotated[float, typer.Option(help="Supply lost (percent) from which a technology that needs the "
                                                 "input counts as affected.")] = 50.0,
    out: Annotated[Path | None, typer.Option(help="CSV file (default: standard output).",
                                             callback=output_file)] = None,
    user: USER_OPTION = None,
    db: DB = None,
) -> None:
    """Cut countries or companies out of supply (an export ban, a blockade, a bankruptcy): CSV of every input that
    loses supply, most first: input_id,input_name,supply_lost_pct,technologies_affected (the number of technologies
    needing an input that lost at least --critical percent), then year, lost_from, technologies. A summary (the
    technologies losing critical inputs) goes to standard error. Exit 1 when rows were rejected, 2 for an unknown
    country or company."""
    from kompas.observatory.stress import stress as run_stress
    from kompas.observatory.stress import technologies_hit

    chain, settings, _, rejections = _inputs(data, config, db, user)
    ids = resolve(chain, settings, remove)
    try:
        losses = run_stress(chain, ids, settings, cut, critical)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--cut") from None
    handle = open_private(out, "w", newline="") if out else sys.stdout
    writer = csvsafe.writer(handle, lineterminator="\n")  # spreadsheet-safe cells (formula injection)
    writer.writerow(STRESS_HEADER)
    for loss in losses:
        writer.writerow((loss.input_id, loss.input_name, f"{loss.supply_lost_pct:.2f}", len(loss.technologies),
                         loss.year, "; ".join(f"{k} {v:.2f}" for k, v in loss.lost_from.items()),
                         "; ".join(chain.inputs[t].name for t in loss.technologies)))
    if out:
        handle.close()
    hit = technologies_hit(losses)
    err_console.print(f"removed {', '.join(ids)}: {len(losses)} inputs lose supply, "
                      f"{sum(x.supply_lost_pct >= critical for x in losses)} lose at least {critical:g}%; "
                      f"technologies losing critical inputs: "
                      + ("; ".join(f"{chain.inputs[t].name} ({n})" for t, n in hit[:5]) or "none"),
                      highlight=False)
    raise typer.Exit(1 if rejections else 0)


@app.command("report")
def report(
    data: DATA_OPTION = None,
    config: CONFIG_OPTION = None,
    year: YEAR_OPTION = None,
    out: Annotated[Path, typer.Option(help="Report file: .html or .pdf.",
                                      callback=output_file)] = Path("observatory.html"),
    scenario: Annotated[list[str] | None, typer.Option("--stress", help="A stress scenario to include: a country "
                                                                        "or company cut out (repeatable; default: "
                                                                        "the three countries that lead the most "
                                                                        "inputs).")] = None,
    banner: Annotated[str | None, typer.Option(help="Classification banner on every page (default: UNCLASSIFIED, "
                                                    "or the combined marking of the platform data used). A banner "
                                                    "below that marking is refused; parts of it left out are "
                                                    "added.")] = None,
    handling: Annotated[str, typer.Option(help="Handling line printed with the banner.")] = "",
    user: USER_OPTION = None,
    db: DB = None,
) -> None:
    """The biennial report on critical technologies and strategic dependencies, HTML or PDF: key findings, ranked
    dependencies with share charts, the supply-chain graph coloured by risk, technologies by exposure, stress
    tests, trends, candidate mitigations with the roadmap lines that name them, and the method. With --user, the
    banner is the combined marking of the platform documents read, never lower (kompas.services.reports)."""
    from kompas.reports.document import FORMATS
    from kompas.services.reports import observatory

    if out.suffix.lower() not in FORMATS:
        err_console.print(f"error: {out}: the report is written as .html or .pdf", highlight=False)
        raise typer.Exit(2)
    chain, settings, marking, rejections = _inputs(data, config, db, user)
    scenarios = [resolve(chain, settings, [name]) for name in scenario] if scenario else None
    with report_errors():
        done = observatory(chain, settings, marking, out.suffix.lower()[1:], banner, handling, year, scenarios,
                           len(rejections))
    write_private(out, done.content)
    err_console.print(f"written: {out}", highlight=False)
    raise typer.Exit(1 if rejections else 0)


@app.command("contribute")
def contribute(
    path: Annotated[Path, typer.Argument(help="A Kompas supply CSV (columns input_id, input_name, provider, "
                                              "year required; README).", callback=text_file)],
    user: Annotated[str, typer.Option("--user", help="Contributed on behalf of this platform user.")],
    title: Annotated[str, typer.Option(help="Title (default: the file name).")] = "",
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Store a supply CSV through the platform under a marking, for the assessments of whoever may see it
    (`--user` on assess, stress and report). Rows that do not parse are listed (exit 1); the good ones count.
    Prints `stored PATH as document ID (BANNER)`."""
    from kompas.cli.compass import platform_user
    from kompas.core import audit
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text

    store = _store(db)
    account = platform_user(store, user)
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        done = store.contribute_document(account, read_text(path), "supply-csv", title or path.name, marking,
                                         str(path))
    except (MarkingError, StoreError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    audit.append(store.engine, account.name, "contribute", done.id, "ok", f"supply-csv, {len(done.rejected)} "
                 "rows rejected")
    for rejection in done.rejected:
        print(rejection)
    console.print(f"stored {path} as document {done.id} ({marking.banner()})", highlight=False)
    raise typer.Exit(1 if done.rejected else 0)
