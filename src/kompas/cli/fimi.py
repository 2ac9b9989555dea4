"""``kompas fimi``: the FIMI incident data space: ingest, analyse, respond, report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import (
    CLASSIFICATION_OPTION,
    COMMUNITY_OPTION,
    RELEASABLE_OPTION,
    TLP_OPTION,
    console,
    err_console,
    input_sets,
    output_file,
    report_errors,
)
from kompas.cli.deliver import deliver_pending
from kompas.private import write_private

app = typer.Typer(help="FIMI incident data space: ingest EUvsDisinfo, DISARM, STIX 2.1 and JSON incidents under "
                       "markings; cluster narratives, detect coordinated surges, propose responses, write the "
                       "threat report.", no_args_is_help=True)

FROM_OPTION = Annotated[str, typer.Option("--from", help="Start of the period, UTC date YYYY-MM-DD (inclusive).")]
TO_OPTION = Annotated[str, typer.Option("--to", help="End of the period, UTC date YYYY-MM-DD (exclusive).")]
USER_OPTION = Annotated[str | None, typer.Option("--user", help="Analyse what this platform user may see (default: "
                                                                "every incident on the platform).")]
DATA_OPTION = Annotated[list[Path] | None, typer.Option("--data", help="Analyse these files, folders or glob "
                                                                       "patterns directly instead of the platform "
                                                                       "(repeatable).", callback=input_sets)]
METHOD_OPTION = Annotated[str, typer.Option("--method", help="Text embedding: auto (MiniLM when installed, else "
                                                             "TF-IDF), minilm or tfidf.")]
CLUSTERS_OPTION = Annotated[int | None, typer.Option("--clusters", min=2, max=1000,
                                                     help="Number of narrative clusters (default: one per 60 "
                                                          "incidents, at most 200).")]
DISARM_OPTION = Annotated[Path | None, typer.Option("--disarm", help="DISARM folder (csv_export inside) for technique "
                                                                     "names and countermeasures (default: "
                                                                     "../shared/data/fimi/disarm when present).",
                                                    exists=True, file_okay=False)]


def _period(since: str, until: str) -> tuple[str, str]:
    """--from and --to by the one period rule of :func:`kompas.services.fimi.period` (exit 2 when broken)."""
    from kompas.services.fimi import period

    try:
        return period(since, until, either_order=False)
    except ValueError as error:
        err_console.print(f"error: --from/--to: {error}", highlight=False)
        raise typer.Exit(2) from None


def framework(folder: Path | None):  # noqa: ANN201 (Framework | None)
    """The DISARM framework from ``folder`` or the shared data; None (with a note) when there is none."""
    from kompas.files import shared_data
    from kompas.fimi.load import load_framework

    folder = folder or shared_data("fimi/disarm")
    if folder is None:
        from kompas.cli.common import fallback

        fallback("fimi/disarm", "no DISARM framework (give --disarm): technique names and countermeasures are "
                 "left out")
        return None
    try:
        return load_framework(folder)
    except (OSError, ValueError) as error:
        err_console.print(f"error: --disarm {folder}: {error}", highlight=False)
        raise typer.Exit(2) from None


@app.command("ingest")
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="EUvsDisinfo cases CSV (or its folder, with the publication "
                                                     "links), a DISARM folder, a STIX 2.1 bundle or a JSON list of "
                                                     "incidents; glob patterns are expanded.", callback=input_sets)],
    user: Annotated[str, typer.Option("--user", help="Contributed on behalf of this platform user.")],
    fmt: Annotated[str | None, typer.Option("--format", help="euvsdisinfo, disarm, stix or json (default: "
                                                             "recognised from the content).")] = None,
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Store incidents through the platform under a marking (STIX bundles keep their own markings). The same case
    arriving again (same reference or URL, or a near-identical title within 2 days) is merged into the earlier
    record under the same marking, and the merge recorded. Bad records are listed as `source:line: field: reason`
    and the good ones stored; the exit code is 1 when any was rejected. Subscribers to `fimi-incident` alerts
    are notified."""
    from kompas.cli.compass import platform_user
    from kompas.core.limits import check_json
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text
    from kompas.fimi import load as fimi_load
    from kompas.services import fimi as fimi_service

    store = _store(db)
    account = platform_user(store, user)
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
    except MarkingError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    rejected = 0
    for path in paths:
        try:
            fmt_used = fmt or fimi_load.detect(path)
            if fmt_used in ("stix", "json"):  # depth and text checked before any parsing (boundary)
                check_json(read_text(path))
            if fmt_used == "stix":
                results = fimi_service.import_stix(store, account, read_text(path), str(path))
            else:
                read = fimi_load.read(path, fmt_used)
                results = [fimi_service.contribute(store, account, read.incidents, read.rejections, fmt_used,
                                                   str(path), marking)]
        except (ValueError, OSError, MarkingError, StoreError) as error:
            err_console.print(f"error: {error}", highlight=False)
            raise typer.Exit(2) from None
        added = sum(r.added for r in results)
        merged = sum(len(r.merged) for r in results)
        bad = [x for r in results for x in r.rejected]
        rejected += len(bad)
        for rejection in bad[:200]:
            print(rejection)
        if len(bad) > 200:
            print(f"... and {len(bad) - 200} more rejections")
        console.print(f"{path}: {fmt_used}: {added} incidents added, {merged} merged into earlier records, "
                      f"{len(bad)} rejected", highlight=False)
    deliver_pending(store)  # the alerts queued for subscribers (kompas.core.outbox)
    raise typer.Exit(1 if rejected else 0)


def _analysis(since: str, until: str, user: str | None, data: list[Path] | None, method: str, clusters: int | None,
              disarm: Path | None, db: str | None, store_run: bool = True):  # noqa: ANN202
    """(analysis, marking banner, run id or None) from the platform or from files."""
    from kompas.fimi import analysis
    from kompas.fimi import load as fimi_load
    from kompas.fimi.narratives import METHODS

    if method not in METHODS:
        err_console.print(f"error: --method must be one of {', '.join(METHODS)}", highlight=False)
        raise typer.Exit(2)
    framework_ = framework(disarm)
    if data:
        items = []
        for path in data:
            try:
                read = fimi_load.read(path)
            except (ValueError, OSError) as error:
                err_console.print(f"error: {error}", highlight=False)
                raise typer.Exit(2) from None
            for rejection in read.rejections[:20]:
                err_console.print(str(rejection), highlight=False)
            items += read.incidents
        first = analysis.baseline_start(since, until)
        chosen = [i for i in items if first <= i.first_seen < until]
        result = analysis.analyse(chosen, [i.ref or str(n) for n, i in enumerate(chosen)], since, until, framework_,
                                  clusters, method)
        return result, "UNCLASSIFIED", None  # files on disk carry no marking: --banner gives one
    from kompas.cli.compass import platform_user
    from kompas.services import fimi as fimi_service

    store = _store(db)
    account = platform_user(store, user) if user else None
    done = fimi_service.analyse(store, account.viewer if account else None, account.name if account else "kompas",
                                since, until, framework_, clusters, method, store_run)
    deliver_pending(store)  # the alerts queued for subscribers (kompas.core.outbox)
    if not done.analysis.incidents:
        err_console.print(f"error: no incidents first seen in [{since}, {until}) on the platform"
                          f"{' for ' + user if user else ''}: ingest some with `kompas fimi ingest`",
                          highlight=False)
        raise typer.Exit(1)
    return done.analysis, done.marking.banner(), done.run_id if store_run else None


@app.command("analyse")
def analyse(
    since: FROM_OPTION,
    until: TO_OPTION,
    out: Annotated[Path | None, typer.Option("--out", help="Write the analysis as JSON (clusters, surges, "
                                                           "techniques, technique matrix, trends, marking, run_id; "
                                                           "default: only the summary printed).",
                                             callback=output_file)] = None,
    user: USER_OPTION = None,
    data: DATA_OPTION = None,
    method: METHOD_OPTION = "auto",
    clusters: CLUSTERS_OPTION = None,
    disarm: DISARM_OPTION = None,
    db: DB = None,
) -> None:
    """Cluster the period's incidents into narratives (sentence embeddings, labelled by top terms), detect
    coordinated surges (a narrative across many outlets or languages within 7 days, far above its usual rate),
    count DISARM techniques. On the platform the run is stored (clusters and surges marked with the combination
    of their incidents' markings) and subscribers to `fimi-surge` alerts are notified."""
    since, until = _period(since, until)
    result, banner, run_id = _analysis(since, until, user, data, method, clusters, disarm, db)
    payload = result.as_json() | {"marking": banner, "run_id": run_id}
    if out:
        write_private(out, json.dumps(payload, indent=1, ensure_ascii=False))
    console.print(f"{banner}\n{len(result.incidents)} incidents in [{since}, {until}): "
                  f"{result.clustering.k} narrative clusters ({result.clustering.method}), "
                  f"{len(result.surges)} surges, {len(payload['techniques'])} DISARM techniques"
                  + (f"; run {run_id}" if run_id else ""), highlight=False)
    for item in payload["clusters"][:10]:
        console.print(f"  cluster {item['id']:>3}  {item['size']:>5}  {item['label']}", highlight=False)
    for item in sorted(payload["surges"], key=lambda g: -g["score"])[:10]:
        console.print(f"  surge {item['start_utc'][:10]}..{item['end_utc'][:10]}  {item['cases']:>3} cases  "
                      f"{len(item['outlets']):>2} outlets  {len(item['languages'])} languages  {item['label']}",
                      highlight=False)
    if out:
        err_console.print(f"written: {out}", highlight=False)


@app.command("validate")
def validate(
    data: Annotated[list[Path] | None, typer.Option("--data", help="EUvsDisinfo cases: files, folders or glob "
                                                                   "patterns (default: "
                                                                   "../shared/data/fimi/euvsdisinfo).",
                                                    callback=input_sets)] = None,
    method: METHOD_OPTION = "auto",
    clusters: CLUSTERS_OPTION = None,
) -> None:
    """Check the narrative clustering against EUvsDisinfo's keyword tags as weak labels: adjusted mutual
    information, beside random clusterings of the same sizes (which score about 0). Prints the cases, clusters and
    weak-label classes used, the AMI and the baseline's mean ± standard deviation."""
    from kompas.files import shared_data
    from kompas.fimi import load as fimi_load
    from kompas.fimi import narratives

    shared_cases = shared_data("fimi/euvsdisinfo")
    paths = data or ([shared_cases] if shared_cases is not None else [])
    if not paths:
        from kompas.locate import fallback_note

        err_console.print(f"error: {fallback_note('fimi/euvsdisinfo', 'give --data')}", highlight=False)
        raise typer.Exit(2)
    try:
        items = [i for p in paths for i in fimi_load.read(p, "euvsdisinfo").incidents]
    except (ValueError, OSError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    clustering = narratives.narratives([i.title for i in items], clusters, method)
    found = narratives.validate(clustering.labels, narratives.weak_labels([i.narratives for i in items]))
    console.print(f"{len(items)} cases, {clustering.k} clusters ({clustering.method}); weak labels: the most "
                  f"specific keyword tag used 20+ times ({found.weak_classes} classes, {found.cases} cases)\n"
                  f"AMI {found.ami:.3f}; random clusterings of the same sizes {found.baseline_mean:.4f} "
                  f"± {found.baseline_sd:.4f}", highlight=False)


@app.command("respond")
def respond(
    techniques: Annotated[list[str], typer.Argument(help="DISARM technique ids seen (T0022 T0023.001 ...).")],
    limit: Annotated[int, typer.Option(help="Countermeasures per category.")] = 5,
    disarm: DISARM_OPTION = None,
) -> None:
    """Candidate responses for incidents using these techniques: DISARM blue-framework countermeasures per FIMI
    toolbox category (prevention, resilience, disruption, regulatory, diplomatic), and the EU instruments of each
    category with the Strategic Compass lines that name them. Printed as text, per category: the countermeasures
    (id, name, techniques countered), then `EU: instrument: action [citation]`."""
    from kompas.fimi.incident import TECHNIQUE_ID
    from kompas.fimi.response import respond as propose

    bad = [t for t in techniques if not TECHNIQUE_ID.match(t)]
    if bad:
        err_console.print(f"error: {bad[0]!r} is not a DISARM technique id (T0000 or T0000.000)", highlight=False)
        raise typer.Exit(2)
    found = propose(techniques, framework(disarm)).as_json(limit)
    for category, item in found["categories"].items():
        console.print(f"[bold]{category}[/bold]")
        for c in item["countermeasures"]:
            console.print(f"  {c['id']} {c['name']} (counters {', '.join(c['counters'])})", highlight=False)
        for i in item["instruments"]:
            console.print(f"  EU: {i['name']}: {i['action']} [{i['citation']}]", highlight=False)


@app.command("report")
def report(
    since: FROM_OPTION,
    until: TO_OPTION,
    out: Annotated[Path, typer.Option("--out", help="Report file: .html or .pdf.",
                                      callback=output_file)] = Path("fimi.html"),
    user: USER_OPTION = None,
    data: DATA_OPTION = None,
    method: METHOD_OPTION = "auto",
    clusters: CLUSTERS_OPTION = None,
    disarm: DISARM_OPTION = None,
    banner: Annotated[str | None, typer.Option(help="Classification banner on every page (default: the combined "
                                                    "marking of the incidents used). A banner below that marking "
                                                    "is refused; parts of it left out are added.")] = None,
    db: DB = None,
) -> None:
    """The FIMI threat report for a period, HTML or PDF: headline figures, the DISARM technique matrix, top
    narratives with examples, targets, channels by attribution category, coordinated surges with candidate
    responses, and trends against the previous period of the same length. From the platform (what --user may
    see), the banner is the combined marking of the incidents read, never lower: the same report as
    `POST /api/v1/reports/fimi` (kompas.services.reports)."""
    from kompas.reports.document import FORMATS
    from kompas.services.reports import NothingToReport, banner_for
    from kompas.services.reports import fimi as fimi_report

    if out.suffix.lower() not in FORMATS:
        err_console.print(f"error: {out}: the report is written as .html or .pdf", highlight=False)
        raise typer.Exit(2)
    since, until = _period(since, until)
    try:
        with report_errors():
            if data:  # files on disk carry no marking: the banner is --banner, else UNCLASSIFIED
                from kompas.reports.fimi import write

                result, _, _ = _analysis(since, until, user, data, method, clusters, disarm, db, store_run=False)
                write(result, out, banner_for(None, banner))
            else:
                from kompas.cli.compass import platform_user
                from kompas.fimi.narratives import METHODS

                if method not in METHODS:
                    err_console.print(f"error: --method must be one of {', '.join(METHODS)}", highlight=False)
                    raise typer.Exit(2)
                store = _store(db)
                viewer = platform_user(store, user).viewer if user else None
                done = fimi_report(store, viewer, since, until, out.suffix.lower()[1:], framework(disarm), method,
                                   clusters, banner, allow_empty=False)
                write_private(out, done.content)
    except NothingToReport as error:
        err_console.print(f"error: {error}: ingest some with `kompas fimi ingest`", highlight=False)
        raise typer.Exit(1) from None

    err_console.print(f"written: {out}", highlight=False)
