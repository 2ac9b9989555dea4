"""`kompas isac`: the Space ISAC on the platform. Report incidents (Kompas ISAC JSON or the Space ISAC notional
reporting format) under TLP, PAP and Kompas markings, anonymously, under the platform's pseudonym or named; list and
show them as a member may see them (enriched from the element sets that member may see); say "seen it too"; find
clusters of similar reports ("me too" surges); export a report as a STIX 2.1 bundle or a MISP event. The same
service as ``/api/v1/isac/...`` (:mod:`kompas.services.isac`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from kompas.cli.admin import DB, _store
from kompas.cli.common import (
    CLASSIFICATION_OPTION,
    COMMUNITY_OPTION,
    RELEASABLE_OPTION,
    TLP_OPTION,
    console,
    err_console,
    text_file,
    utc_time,
)

app = typer.Typer(help="The Space ISAC: members' incident reports under TLP, PAP and markings, anonymous or "
                       "pseudonymous on request, enriched, clustered into 'me too' surges, exported as STIX 2.1 and "
                       "MISP.", no_args_is_help=True)

FMT = Annotated[str, typer.Option("--format", help="json or table.")]
AS_READ = Annotated[str | None, typer.Option("--as", help="Read as this platform user (default: the platform's own "
                                                          "view, which shows every report and its reporter).")]
AS_WRITE = Annotated[str, typer.Option("--as", help="Act as this platform user (their organisation reports).")]


def _account(store: Any, user: str) -> Any:  # noqa: ANN401 (Store, Account)
    from kompas.cli.compass import platform_user

    return platform_user(store, user)


def _viewer(store: Any, user: str | None) -> Any:  # noqa: ANN401
    return _account(store, user).viewer if user else None


def _fmt(fmt: str) -> str:
    if fmt not in ("json", "table"):
        raise typer.BadParameter("expected json or table", param_hint="--format")
    return fmt


def _fail(error: Exception) -> typer.Exit:
    err_console.print(f"error: {error}", highlight=False)
    return typer.Exit(2)


def _marking(org: str, classification: str, tlp: str, releasable_to: list[str] | None,
             community: list[str] | None) -> Any:  # noqa: ANN401 (Marking)
    from kompas.core.markings import Marking, MarkingError

    try:
        return Marking.build(classification, tlp, releasable_to, community or [], org)
    except MarkingError as error:
        raise _fail(error) from None


@app.command("report", epilog="Examples:  kompas isac report gotland.json --as ann --tlp AMBER --pap AMBER "
                              "--disclosure pseudonymous  |  kompas isac report smos.txt --format notional --as ann "
                              "--classification RESTRICTED --community sst")
def report(
    path: Annotated[Path, typer.Argument(help="Kompas ISAC JSON (a report, a list, or {\"reports\": [...]}) or one "
                                              "report in the Space ISAC notional format (TITLE:, SUMMARY:, ANOMALY "
                                              "DETAILS:, SATELLITE/SENSOR DETAILS:).", callback=text_file)],
    user: AS_WRITE,
    fmt: Annotated[str | None, typer.Option("--format", help="json or notional (default: recognised from the "
                                                             "content).")] = None,
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    pap: Annotated[str, typer.Option("--pap", help="PAP: CLEAR, GREEN, AMBER or RED (what recipients may do with "
                                                   "it).")] = "AMBER",
    disclosure: Annotated[str, typer.Option("--disclosure", help="anonymous, pseudonymous (the platform's pseudonym "
                                                                 "of your organisation) or named.")] = "anonymous",
    db: DB = None,
) -> None:
    """Share incident reports with the Space ISAC. The marking, PAP and disclosure options apply to reports that
    state none; your organisation is the originator and the reporter (the platform and its audit log know it;
    other members see it only when named). Each report is also a platform event (domain isac). Bad records are
    listed as `source: item N: field: reason` and the good ones shared; exit 1 when any was rejected."""
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.files import read_text
    from kompas.services import isac as service

    if fmt is not None and fmt not in service.FORMATS:
        raise typer.BadParameter("expected json or notional", param_hint="--format")
    store = _store(db)
    account = _account(store, user)
    marking = _marking(account.org, classification, tlp, releasable_to, community)
    try:
        done = service.report(store, account, read_text(path), path.name, fmt, marking, pap.upper(), disclosure)
    except (OSError, StoreError, MarkingError) as error:
        raise _fail(error) from None
    console.print(f"{path}: {done.format}: {len(done.added)} reports shared, {len(done.replaced)} updated, "
                  f"{len(done.rejected)} rejected" + (f"; your pseudonym: {done.pseudonym}" if done.pseudonym else ""),
                  highlight=False)
    for report_id in done.added + done.replaced:
        console.print(f"  {report_id}", highlight=False)
    for note in done.notes:
        console.print(f"  note: {note}", highlight=False)
    for warning in done.warnings:
        err_console.print(f"warning: {warning}", highlight=False, markup=False)
    for rejection in done.rejected:
        err_console.print(str(rejection), highlight=False, markup=False)
    raise typer.Exit(1 if done.rejected else 0)


def _row(item: dict) -> str:
    band = item.get("band") or {}
    where = next((f"{p['lat_deg']:.2f},{p['lon_deg']:.2f}" for p in item["locations"] if p.get("lat_deg") is not None),
                 next((p["region"] for p in item["locations"] if p.get("region")), "-"))
    return (f"{item['start_utc'][:19]}Z  {item['id']}  {item['interference']:<13} {item['segment']:<6} "
            f"{(band.get('letter') or '-'):<5} {where:<16} {item['title'][:60]}  [{item['contributor']}; seen "
            f"{item['seen_count']}]  {item['marking']['banner']}")


@app.command("list", epilog="Examples:  kompas isac list --as dora --since 2026-05-01T00:00:00Z --interference "
                            "jamming --band L  |  kompas isac list --norad 36036 --format json")
def listing(
    since: Annotated[str | None, typer.Option("--since", help="Started at or after (UTC, ISO 8601).",
                                              callback=utc_time)] = None,
    until: Annotated[str | None, typer.Option("--until", help="Started before (UTC, ISO 8601).",
                                              callback=utc_time)] = None,
    interference: Annotated[list[str] | None, typer.Option("--interference", help="Only this type (repeatable): "
                                                           "jamming, spoofing, unknown-emi, laser, kinetic, "
                                                           "cyber-intrusion, physical, rpo, space-weather.")] = None,
    band: Annotated[str | None, typer.Option("--band", help="Only bands overlapping this IEEE 521 letter band "
                                                            "(L, S, C, X, Ku, ...).")] = None,
    norad: Annotated[int | None, typer.Option("--norad", min=1, help="Only reports naming this object.")] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", help="Only the members of this cluster (an id from "
                                                                  "`kompas isac cluster` over the same window).")
                       ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Most reports listed.")] = 50,
    fmt: FMT = "table",
    user: AS_READ = None,
    db: DB = None,
) -> None:
    """The reports you may see, newest first: type, segment, band, place, title, contributor as others see it
    (anonymous, a pseudonym or the organisation when named), how many members saw it too, and the marking."""
    from kompas.core.store import StoreError
    from kompas.services import isac as service

    store = _store(db)
    try:
        found = service.listing(store, _viewer(store, user), since=since, until=until,
                                interference=interference or (), band=band, norad_id=norad, cluster=cluster,
                                limit=limit)
    except StoreError as error:
        raise _fail(error) from None
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    for item in found["items"]:
        console.print(_row(item), highlight=False, markup=False)
    err_console.print(f"{len(found['items'])} of {found['total']} reports; marking: {found['marking']['banner']}"
                      + ("" if user else " (the platform's own view: every report and its reporter; --as reads as a "
                                         "user)"), highlight=False)


@app.command("show", epilog="Examples:  kompas isac show 0b7c...e2 --as dora  |  kompas isac show 0b7c...e2 "
                            "--no-enrich --format json")
def show(
    report_id: Annotated[str, typer.Argument(help="The report's platform id.")],
    enrich: Annotated[bool, typer.Option("--enrich/--no-enrich", help="Add the enrichment from the element sets "
                                                                      "you may see.")] = True,
    fmt: FMT = "table",
    user: AS_READ = None,
    db: DB = None,
) -> None:
    """One report as you may see it, with its enrichment: the element sets before and after its start, the orbit
    and sub-satellite point, the objects within 50 km and the platform events of those objects at the time; exit 2
    when you may not see it."""
    from kompas.services import isac as service

    store = _store(db)
    found = service.one(store, _viewer(store, user), report_id, enrich)
    if found is None:
        raise _fail(ValueError("a report you may not see (or none with that id)"))
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    print_ = console.print
    print_(found["answer_marking"]["banner"], highlight=False, markup=False)
    print_(_row(found), highlight=False, markup=False)
    if found.get("summary"):
        print_(f"  summary: {found['summary']}", highlight=False, markup=False)
    print_(f"  satellites: {', '.join(s['name'] or str(s['norad_id']) for s in found['satellites']) or '-'}; "
           f"SPARTA: {', '.join(found['sparta_ids']) or '-'}; impact: {found['impact_level']}; PAP:{found['pap']}",
           highlight=False, markup=False)
    for x in found["seen"]:
        print_(f"  seen too by {x['by']} at {x['at_utc'][:19]}Z: {x['note']}  [{x['marking']['banner']}]",
               highlight=False, markup=False)
    for obj in (found.get("enrichment") or {}).get("objects", []):
        near = ", ".join(f"{n['norad_id']} {n['name']} {n['distance_km']:.1f} km" for n in obj["neighbours"]) or "none"
        print_(f"  NORAD {obj['norad_id']}: {obj['regime'] or '-'} {obj['perigee_km'] or '-'}x{obj['apogee_km'] or '-'}"
               f" km, i {obj['inclination_deg'] or '-'} deg; sets {obj['before_epoch_utc'] or '-'} / "
               f"{obj['after_epoch_utc'] or '-'}; sub-satellite {obj['subpoint_lat_deg']}, {obj['subpoint_lon_deg']};"
               f" within 50 km: {near} {obj['note']}", highlight=False, markup=False)
    for event in (found.get("enrichment") or {}).get("events", []):
        print_(f"  event {event['time_utc'][:19]}Z {event['domain']}/{event['type']}: {event['title']}",
               highlight=False, markup=False)
    for text in (found.get("enrichment") or {}).get("notes", []):
        print_(f"  note: {text}", highlight=False, markup=False)


@app.command("seen", epilog="Example:  kompas isac seen 0b7c...e2 --as dora --note 'GNSS lost near Visby, 06:10 "
                            "to 07:40 UTC'")
def seen(
    report_id: Annotated[str, typer.Argument(help="Another member's report's platform id.")],
    user: AS_WRITE,
    note: Annotated[str, typer.Option("--note", help="What you saw (optional).")] = "",
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "AMBER",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    db: DB = None,
) -> None:
    """Say your organisation saw this incident too. Other members see it under your organisation's pseudonym; your
    note is marked with the marking options combined with the report's. Exit 2 for a report you may not see or
    your own organisation's."""
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.services import isac as service

    store = _store(db)
    account = _account(store, user)
    marking = _marking(account.org, classification, tlp, releasable_to, community)
    try:
        done = service.seen(store, account, report_id, note, marking)
    except (StoreError, MarkingError) as error:
        raise _fail(error) from None
    if done is None:
        raise _fail(ValueError("a report you may not see (or none with that id)"))
    console.print(f"{report_id}: seen too by {account.org}; {done['seen_count']} members you may see saw it "
                  f"({done['marking']['banner']})", highlight=False)


@app.command("cluster", epilog="Examples:  kompas isac cluster --as dora --since 2026-05-01T00:00:00Z --until "
                               "2026-05-08T00:00:00Z  |  kompas isac cluster --window-h 12 --radius-km 300 --format "
                               "json")
def cluster(
    since: Annotated[str | None, typer.Option("--since", help="From (UTC, ISO 8601; default 31 days before --until).",
                                              callback=utc_time)] = None,
    until: Annotated[str | None, typer.Option("--until", help="To (UTC, excluded; default now).",
                                              callback=utc_time)] = None,
    window_h: Annotated[float, typer.Option("--window-h", min=0, max=168, help="Hours between reports that "
                                                                               "link.")] = 6.0,
    radius_km: Annotated[float, typer.Option("--radius-km", min=0.001, max=5000, help="Kilometres between places "
                                                                                       "that link.")] = 500.0,
    singletons: Annotated[bool, typer.Option("--all", help="List single reports too.")] = False,
    fmt: FMT = "table",
    user: AS_READ = None,
    db: DB = None,
) -> None:
    """Clusters of similar reports you may see: same interference family, near in time, overlapping bands, near in
    place; a surge is at least 3 reports from 2 members within the window. At most 31 days."""
    from kompas.core.store import StoreError
    from kompas.services import isac as service

    store = _store(db)
    try:
        found = service.clusters(store, _viewer(store, user), since, until, window_h, radius_km,
                                 singletons=singletons)
    except StoreError as error:
        raise _fail(error) from None
    if _fmt(fmt) == "json":
        console.print_json(json.dumps(found))
        return
    for c in found["clusters"]:
        band = c["band"] or {}
        where = "-" if c["centroid_lat_deg"] is None else f"{c['centroid_lat_deg']:.2f},{c['centroid_lon_deg']:.2f}"
        console.print(f"{'SURGE ' if c['surge'] else ''}{c['id']}  {c['family']}  {len(c['members'])} reports from "
                      f"{c['reporters']} members  {c['start_utc'][:19]}Z to {c['stop_utc'][:19]}Z  band "
                      f"{band.get('letter') or '-'}  near {where}  {c['marking']['banner']}", highlight=False,
                      markup=False)
        for m in c["members"]:
            console.print(f"    {m['start_utc'][:19]}Z  {m['id']}  {m['interference']}  {m['title'][:60]}  "
                          f"[{m['contributor']}]", highlight=False, markup=False)
    for text in found["notes"]:
        err_console.print(f"note: {text}", highlight=False)
    err_console.print(f"{len(found['clusters'])} clusters, {found['surges']} surges among {found['reports']} reports; "
                      f"marking: {found['marking']['banner']}", highlight=False)


@app.command("export", epilog="Examples:  kompas isac export 0b7c...e2 --stix --out smos.stix.json --as dora  |  "
                              "kompas isac export 0b7c...e2 --misp --out smos.misp.json --as dora")
def export(
    report_id: Annotated[str, typer.Argument(help="The report's platform id.")],
    stix: Annotated[bool, typer.Option("--stix", help="A STIX 2.1 bundle (as the OASIS SATIS work maps it).")
                    ] = False,
    misp: Annotated[bool, typer.Option("--misp", help="A MISP event.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="The file (default: standard output).",
                                             dir_okay=False)] = None,
    user: AS_READ = None,
    db: DB = None,
) -> None:
    """Export a report as you may see it as a STIX 2.1 bundle (TLP, PAP and the Kompas marking as marking
    definitions, ENISA's controls as courses of action) or a MISP event; the contributor is named only when the
    reporter asked to be. Exit 2 for a report you may not see."""
    from kompas.private import write_private
    from kompas.services import isac as service

    if stix == misp:
        raise typer.BadParameter("give --stix or --misp (one of them)")
    store = _store(db)
    found = service.export(store, _viewer(store, user), report_id, "stix" if stix else "misp")
    if found is None:
        raise _fail(ValueError("a report you may not see (or none with that id)"))
    data, marking = found
    text = json.dumps(data, indent=1, ensure_ascii=False)
    if out is None:
        console.print(text, highlight=False, markup=False, soft_wrap=True)
        err_console.print(f"marking: {marking.banner()}", highlight=False)
        return
    write_private(out, text.encode())
    console.print(f"written: {out} ({marking.banner()})", highlight=False)
