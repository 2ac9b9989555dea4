"""`kompas intel`: the intelligence capacity. Member states contribute graded reports; analysts write assessments
with key judgements in ICD 203 words, ACH boards and key assumptions checks citing reports, events and each other;
requirements are tracked to their due dates; judgements are resolved and scored (Brier, calibration, the
reliability diagram). The same service as the API (:mod:`kompas.services.intel`).

Items are JSON or YAML files (``examples/intel/`` has one of each kind, illustrative); every item is stored under
the combination of the marking given and the markings of everything it cites, so an assessment citing a SECRET
report is SECRET whatever marking is asked for, and the answer says when it was raised. The fused picture
(``picture``, ``situations``) is :mod:`kompas.cli.fusion`.
"""

from __future__ import annotations

import json
from datetime import date
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
    output_file,
    text_file,
)

app = typer.Typer(help="Intelligence: graded reports, assessments with key judgements (ICD 203), ACH boards, key "
                       "assumptions checks, requirements, judgements scored, the fused picture and the integrated "
                       "threat analysis.", no_args_is_help=True)
USER = Annotated[str, typer.Option("--user", help="Platform user acting (need-to-know applies to everything "
                                                  "read and cited).")]
KIND = Annotated[str, typer.Argument(help="report, assessment, requirement, board (ACH) or assumptions (key "
                                          "assumptions check).")]
FILE = Annotated[Path, typer.Argument(help="The item as JSON or YAML (examples/intel/ has one of each kind); a "
                                           "list of items stores each.", callback=text_file)]
MAX_FILE_BYTES = 4 * 1024 * 1024  #: largest item file read


def _register_others() -> None:
    """The fused picture's commands (`picture`, `situations`) and the threat analysis, from their own modules."""
    from kompas.cli import fusion, threat_analysis

    fusion.register(app)
    threat_analysis.register(app)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, markup=False)
    return typer.Exit(2)


def _account(store: Any, user: str) -> Any:  # noqa: ANN401 (Store, Account)
    from kompas.cli.compass import platform_user

    return platform_user(store, user)


def _full_id(store: Any, viewer: Any, given: str) -> str:  # noqa: ANN401 (Store, Viewer)
    """An item id as typed: whole, or a unique beginning of one you may see (as git takes short hashes)."""
    from kompas.core.store import intel as intel_store

    if len(given) == 36:
        return given
    found = intel_store.complete(store, viewer, given)
    if len(found) == 1:
        return found[0]
    if found:
        raise _fail(f"{given!r} begins more than one item's id: type more of it")
    return given  # the service says it is not found


def _items(path: Path) -> list[Any]:
    """The items of a JSON or YAML file (one item or a list); exit 2 naming the file and line when it does not
    parse."""
    import yaml

    if path.stat().st_size > MAX_FILE_BYTES:
        raise _fail(f"{path}: {path.stat().st_size:,} bytes; an item file holds at most {MAX_FILE_BYTES:,}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise _fail(f"{path}{where}: not JSON or YAML ({getattr(error, 'problem', None) or error})") from None
    except UnicodeDecodeError:
        raise _fail(f"{path}: not UTF-8 text") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise _fail(f"{path}: no item in the file")
    return items


def _cites(values: list[str] | None) -> list[dict[str, str]]:
    out = []
    for value in values or []:
        kind, _, cited = value.partition(":")
        if not cited or kind not in ("report", "event", "assessment", "board"):
            raise typer.BadParameter(f"{value!r}: KIND:ID with KIND report, event, assessment or board",
                                     param_hint="--cite")
        out.append({"kind": kind, "id": cited.strip()})
    return out


def _write(kind: str, path: Path, user: str, item_id: str | None, marking_parts: tuple, db: Any,  # noqa: ANN401
           fmt: str, cite: list[str] | None = None) -> None:
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.services import intel as service

    items = _items(path)
    extra = _cites(cite)
    if extra:
        if kind != "assessment":
            raise typer.BadParameter("adds citations to assessments (board evidence and assumptions cite in the "
                                     "file)", param_hint="--cite")
        items = [dict(i, citations=[*(i.get("citations") or []), *extra]) if isinstance(i, dict) else i
                 for i in items]
    if item_id is not None and len(items) != 1:
        raise _fail(f"--id replaces one item; {path} holds {len(items)}")
    store = _store(db)
    account = _account(store, user)
    classification, tlp, releasable_to, community = marking_parts
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
    except MarkingError as error:
        raise _fail(str(error)) from None
    done, failed = [], 0
    for n, data in enumerate(items, 1):
        where = f"{path}" + (f" item {n}" if len(items) > 1 else "")
        try:
            done.append(service.write(store, account, kind, data, marking, item_id))
        except service.IntelProblems as error:
            failed += 1
            for field, reason in error.problems:
                err_console.print(f"rejected: {where}: {field or kind}: {reason}", highlight=False, markup=False)
        except (StoreError, MarkingError) as error:
            failed += 1
            err_console.print(f"rejected: {where}: {error}", highlight=False, markup=False)
    if fmt == "json":
        print(json.dumps({"stored": done, "rejected": failed}, indent=1))
    else:
        for row in done:
            raised = " (raised: it cites items marked higher)" if row["raised"] else ""
            console.print(f"stored {row['kind']} {row['id']} version {row['version']}: {row['banner']}{raised}",
                          highlight=False, markup=False)
            if row["propagated"]:
                console.print(f"  re-marked with it: {len(row['propagated'])} citing item(s)", highlight=False)
    if failed:
        err_console.print(f"{failed} of {len(items)} item(s) rejected, {len(done)} stored", highlight=False)
        raise typer.Exit(1)


@app.command()
def add(kind: KIND, path: FILE, user: USER,
        item_id: Annotated[str | None, typer.Option("--id", help="Store a new version of this item of your "
                                                                "organisation (never marked lower than before).")]
        = None,
        cite: Annotated[list[str] | None, typer.Option("--cite", help="KIND:ID of a report, event, assessment or "
                                                                     "board an assessment cites (repeatable).")]
        = None,
        classification: CLASSIFICATION_OPTION = "UNCLASSIFIED", tlp: TLP_OPTION = "AMBER",
        releasable_to: RELEASABLE_OPTION = None, community: COMMUNITY_OPTION = None,
        fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table", db: DB = None) -> None:
    """Store an item (or each item of a list) under the marking given, raised to the combination of everything it
    cites. Each problem is printed with its place (``key_judgements[1].likelihood``); the good items of a list
    are stored, the command exits 1 when any was rejected."""
    from kompas.services.intel import KINDS

    if kind not in KINDS:
        raise typer.BadParameter(f"one of {', '.join(KINDS)}", param_hint="KIND")
    _write(kind, path, user, item_id, (classification, tlp, releasable_to, community), db, fmt, cite)


@app.command()
def contribute(path: FILE, user: USER, classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
               tlp: TLP_OPTION = "AMBER", releasable_to: RELEASABLE_OPTION = None,
               community: COMMUNITY_OPTION = None,
               fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
               db: DB = None) -> None:
    """Contribute reports (a member state's intelligence, graded on the admiralty scale: source reliability A-F,
    information credibility 1-6) under your marking. The same as `kompas intel add report FILE`."""
    _write("report", path, user, None, (classification, tlp, releasable_to, community), db, fmt)


@app.command("list")
def list_items(user: USER,
               kind: Annotated[str | None, typer.Option("--kind", help="Only items of this kind.")] = None,
               team: Annotated[str | None, typer.Option("--team", help="Only assessments of this team.")] = None,
               product_line: Annotated[str | None, typer.Option("--product-line", help="Only this product line.")
                                       ] = None,
               limit: Annotated[int, typer.Option("--limit", min=1, max=5000, help="Items at most.")] = 200,
               offset: Annotated[int, typer.Option("--offset", min=0, help="Skip the newest N (the next page).")]
               = 0,
               query: Annotated[str | None, typer.Option("--q", help="Only items whose title holds this text.")] = None,
               fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
               db: DB = None) -> None:
    """The items you may see, newest first, each with its banner, how many there are in all, and the listing's
    combined banner first; `--offset` pages on, `--q` searches titles. Ids print whole (a unique beginning of one is
    enough for `show` and `resolve`)."""
    from kompas.services import intel as service

    if kind is not None and kind not in service.KINDS:
        raise typer.BadParameter(f"one of {', '.join(service.KINDS)}", param_hint="--kind")
    store = _store(db)
    found = service.listing(store, _account(store, user).viewer, kind, team=team, product_line=product_line,
                            limit=limit, q=query, offset=offset)
    if fmt == "json":
        print(json.dumps(found, indent=1))
        return
    from rich.table import Table

    err_console.print(found["banner"] or "(nothing you may see)", highlight=False, markup=False)
    shown = f"{offset + 1}-{offset + found['count']}" if found["count"] else "none"
    table = Table(title=f"{found['total']} intelligence items you may see ({shown} shown, newest first)")
    table.add_column("id", no_wrap=True, min_width=36)
    for name in ("kind", "org", "title", "updated", "banner"):
        table.add_column(name, overflow="ellipsis" if name == "title" else "fold")
    for row in found["items"]:
        table.add_row(row["id"], row["kind"], row["org"], row["title"], row["updated_utc"][:16], row["banner"])
    console.print(table)
    if found["more"]:
        console.print(f"more: --offset {offset + found['count']}", highlight=False)


@app.command()
def show(item_id: Annotated[str, typer.Argument(help="The item's id.")], user: USER,
         fmt: Annotated[str, typer.Option("--format", help="json, html or stix (a STIX 2.1 bundle).")] = "json",
         out: Annotated[Path | None, typer.Option("--out", help="Write there instead of standard output.",
                                                  callback=output_file)] = None,
         db: DB = None) -> None:
    """One item with what Kompas computes from it (an ACH board's scores, ranking, diagnosticity and
    sensitivity; an assessment's judgements with their ICD 203 bands; a report's grade in words), as JSON, a
    printable HTML page or a STIX 2.1 bundle, always with the item's stored banner."""
    from kompas.services import intel as service

    if fmt not in service.EXPORTS:
        raise typer.BadParameter(f"one of {', '.join(service.EXPORTS)}", param_hint="--format")
    store = _store(db)
    viewer = _account(store, user).viewer
    found = service.export(store, viewer, _full_id(store, viewer, item_id), fmt)
    if found is None:
        raise _fail(f"item {item_id[:40]!r}: not found (or not one you may see)")
    content, _, banner = found
    err_console.print(banner, highlight=False, markup=False)
    if out is None:
        print(content.decode("utf-8"))
    else:
        out.write_bytes(content)
        console.print(f"wrote {out} ({banner})", highlight=False, markup=False)


@app.command()
def requirements(user: USER,
                 today: Annotated[str | None, typer.Option("--today", help="Day to judge overdue by "
                                                                           "(YYYY-MM-DD; default today).")] = None,
                 fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
                 db: DB = None) -> None:
    """The intelligence requirements you may see, soonest due first: owner, due day, priority, status, overdue,
    and the assessments that answer each."""
    from kompas.services import intel as service

    day = _day(today, "--today") if today else None
    store = _store(db)
    found = service.requirements(store, _account(store, user).viewer, day)
    if fmt == "json":
        print(json.dumps(found, indent=1))
        return
    from rich.table import Table

    err_console.print(found["banner"] or "(nothing you may see)", highlight=False, markup=False)
    table = Table(title=f"{found['open']} open, {found['overdue']} overdue (as of {found['as_of']})")
    table.add_column("id", no_wrap=True, min_width=36)
    for name in ("question", "owner", "due", "priority", "status", "overdue", "answered by"):
        table.add_column(name, overflow="ellipsis" if name == "question" else "fold")
    for row in found["requirements"]:
        table.add_row(row["id"], row["question"], row["owner"], row["due"], row["priority"], row["status"],
                      "OVERDUE" if row["overdue"] else "", str(len(row["answered_by"])))
    console.print(table)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from None


@app.command()
def resolve(assessment_id: Annotated[str, typer.Argument(help="The assessment's id.")],
            judgement: Annotated[int, typer.Argument(min=0, help="The key judgement's number, from 0.")],
            user: USER,
            happened: Annotated[bool, typer.Option("--happened/--did-not-happen", help="Whether what the judgement "
                                                   "said would happen happened, by its criterion.")],
            on: Annotated[str | None, typer.Option("--on", help="Day resolved (YYYY-MM-DD; default today).")]
            = None,
            db: DB = None) -> None:
    """Record the outcome of a key judgement (of an assessment of your organisation) by its criterion: a new
    version of the assessment, under the same marking. The judgement then counts in `kompas intel scores`."""
    from kompas.core.store import StoreError
    from kompas.services import intel as service

    day = _day(on, "--on").isoformat() if on else None
    store = _store(db)
    account = _account(store, user)
    assessment_id = _full_id(store, account.viewer, assessment_id)
    try:
        done = service.resolve(store, account, assessment_id, judgement, happened, day)
    except service.IntelProblems as error:
        raise _fail(str(error)) from None
    except StoreError as error:
        raise _fail(str(error)) from None
    console.print(f"resolved judgement {judgement} of {assessment_id}: "
                  f"{'happened' if happened else 'did not happen'} (version {done['version']}, {done['banner']})",
                  highlight=False, markup=False)


@app.command()
def scores(user: USER,
           by: Annotated[str, typer.Option("--by", help="team or product_line.")] = "team",
           diagram: Annotated[Path | None, typer.Option("--diagram", help="Write the reliability diagram (SVG) "
                                                                          "there.", callback=output_file)] = None,
           fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
           db: DB = None) -> None:
    """Brier scores and calibration of the resolved key judgements you may see, per analyst team or product line
    and overall (Murphy's decomposition: reliability, resolution, uncertainty), marked with the combination of the
    assessments used."""
    from kompas.services import intel as service

    if by not in ("team", "product_line"):
        raise typer.BadParameter("team or product_line", param_hint="--by")
    store = _store(db)
    found = service.scores(store, _account(store, user).viewer, by)
    if diagram is not None:
        diagram.write_text(found["diagram_svg"], encoding="utf-8")
    if fmt == "json":
        print(json.dumps({k: v for k, v in found.items() if k != "diagram_svg"}, indent=1))
        return
    from rich.table import Table

    err_console.print(found["banner"] or "(nothing you may see)", highlight=False, markup=False)
    table = Table(by, "judgements", "Brier", "reliability", "resolution", "uncertainty",
                  title=f"{found['judgements']} resolved judgement(s) in {found['assessments']} assessment(s)")
    rows = list(found["groups"].items()) + ([("all", found["overall"])] if found["overall"] else [])
    for name, d in rows:
        table.add_row(name, str(d["n"]), f"{d['brier']:.3f}", f"{d['reliability']:.3f}", f"{d['resolution']:.3f}",
                      f"{d['uncertainty']:.3f}")
    console.print(table)
    console.print(found["rule"], highlight=False, markup=False)
    if diagram is not None:
        console.print(f"wrote {diagram}", highlight=False, markup=False)


_register_others()
