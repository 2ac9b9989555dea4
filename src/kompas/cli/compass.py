"""`kompas compass ...`: the commitments register (kompas.compass), status notes and the progress report."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

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
    output_file,
    report_errors,
    text_file,
)
from kompas.private import write_private

app = typer.Typer(help="The commitments register of the Strategic Compass, the critical technologies roadmap and "
                       "the space strategy conclusions: deadlines, status, progress report.", no_args_is_help=True)

CSV_HEADER = ("id", "source", "line_start", "line_end", "deadline", "actor", "summary")
REGISTER_OPTION = Annotated[Path | None, typer.Option("--register", help="Register YAML (default: the one shipped "
                                                                          "in kompas/data).", callback=text_file)]
USER_OPTION = Annotated[str | None, typer.Option("--user", help="Read status notes as this user (what their "
                                                                "clearance and need-to-know allow); default: the "
                                                                "administrator's view of every note.")]
PUBLIC_OPTION = Annotated[bool, typer.Option("--public-evidence/--no-public-evidence",
                                             help="Also use the public evidence shipped with Kompas "
                                                  "(kompas/data/commitments_evidence.yaml: dated notes from public "
                                                  "EU documents, UNCLASSIFIED, TLP:CLEAR).")]


def platform_user(store, user: str):  # noqa: ANN001,ANN201 (Store, Account)
    """The platform account named by --user; exit 2 with a clear message when there is none."""
    account = store.account(user) if user else None
    if account is None:
        err_console.print(f"error: --user must name a platform user (`kompas admin add-user`); got {user!r}",
                          highlight=False)
        raise typer.Exit(2)
    if store.exercise is None:
        return account
    from kompas.core.store import StoreError

    try:  # KOMPAS_EXERCISE (kompas.cli.admin._store): the user works in that exercise, if they take part in it
        return store.in_exercise(account, store.exercise)
    except StoreError as error:
        err_console.print(f"error: KOMPAS_EXERCISE: {error}", highlight=False)
        raise typer.Exit(2) from None


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from None


def _register(path: Path | None) -> list:
    from kompas.compass.load import REGISTER, load_register

    try:
        return load_register(path or REGISTER)
    except ValueError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None


def _notes(db: str | None, user: str | None, public: bool = True) -> dict:
    """Status notes by commitment id (:func:`kompas.services.commitments.notes`): the platform's that ``user`` may
    see (every note without --user: the command line is the platform's own console), with the shipped public
    evidence when ``public``."""
    from kompas.services.commitments import notes

    store = _store(db)
    viewer = None
    if user is not None:
        account = store.account(user)
        if account is None:
            err_console.print(f"error: no user {user!r}", highlight=False)
            raise typer.Exit(2)
        viewer = account.viewer
    return notes(store, viewer, public)[0]


@app.command("list")
def list_(
    due_before: Annotated[str | None, typer.Option(help="Only commitments with a due date before this date "
                                                        "(YYYY-MM-DD; recurring: the next one after --as-of).")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status as of --as-of: not started, in progress, "
                                                    "done, overdue, unknown.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or csv.")] = "table",
    as_of: Annotated[str | None, typer.Option(help="Status date, YYYY-MM-DD (default: today).")] = None,
    register: REGISTER_OPTION = None,
    user: USER_OPTION = None,
    public_evidence: PUBLIC_OPTION = True,
    db: DB = None,
) -> None:
    """List the register's commitments. CSV columns: id,source,line_start,line_end,deadline,actor,summary
    (actors joined by '; '); the table adds the due date and the status as of --as-of."""
    from kompas.compass.status import assess_all, parse_status

    if fmt not in ("table", "csv"):
        raise typer.BadParameter("table or csv", param_hint="--format")
    day = _date(as_of, "--as-of") if as_of else date.today()
    limit = _date(due_before, "--due-before") if due_before else None
    try:
        wanted = parse_status(status) if status else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--status") from None
    entries = _register(register)
    assessed = assess_all(entries, _notes(db, user, public_evidence) if (status or fmt == "table") else {}, day)
    rows = []
    for a in assessed:
        due = a.commitment.deadline.due if a.commitment.deadline.kind != "recurring" else (a.next_due or a.due)
        if limit is not None and (due is None or due >= limit):
            continue
        if wanted is not None and a.status != wanted:
            continue
        rows.append((a, due))
    if fmt == "csv":
        writer = csvsafe.writer(sys.stdout, lineterminator="\n")  # spreadsheet-safe cells
        writer.writerow(CSV_HEADER)
        for a, _ in rows:
            c = a.commitment
            writer.writerow((c.id, c.source, c.place.first, c.place.last, c.deadline.text, "; ".join(c.actors),
                             c.summary))
        return
    from rich.table import Table

    table = Table("id", "due", "deadline", "status", "actors", "summary", title=f"{len(rows)} commitments, status "
                  f"as of {day}")
    for a, due in rows:
        c = a.commitment
        table.add_row(c.id, str(due or "-"), c.deadline.text, a.status.replace("_", " "), ", ".join(c.actors),
                      c.summary)
    console.print(table)


@app.command("set-status")
def set_status(
    commitment_id: Annotated[str, typer.Argument(help="Register id, e.g. SC-104.")],
    status: Annotated[str, typer.Argument(help="not started, in progress, done, overdue or unknown.")],
    evidence: Annotated[str, typer.Option(help="What shows it: document, date, link.")],
    as_of: Annotated[str | None, typer.Option(help="The date the evidence speaks for (default: today).")] = None,
    user: Annotated[str, typer.Option("--user", help="Recorded on behalf of this platform user.")] = "",
    classification: CLASSIFICATION_OPTION = "UNCLASSIFIED",
    tlp: TLP_OPTION = "GREEN",
    releasable_to: RELEASABLE_OPTION = None,
    community: COMMUNITY_OPTION = None,
    register: REGISTER_OPTION = None,
    db: DB = None,
) -> None:
    """Record a commitment's status with its evidence, under a marking, through the platform (audited). Prints
    `ID: STATUS as of DATE (BANNER)`; exit 2 for an unknown id, status, user or marking."""
    from kompas.compass.status import parse_status
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.services.commitments import record_status

    ids = {c.id for c in _register(register)}
    if commitment_id not in ids:
        err_console.print(f"error: no commitment {commitment_id!r} in the register", highlight=False)
        raise typer.Exit(2)
    try:
        key = parse_status(status)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="STATUS") from None
    day = _date(as_of, "--as-of") if as_of else date.today()
    store = _store(db)
    account = platform_user(store, user)
    try:
        marking = Marking.build(classification, tlp, releasable_to, community or [], account.org)
        record_status(store, account, commitment_id, key, evidence, day, marking, "cli", _register(register))
    except (MarkingError, StoreError) as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"{commitment_id}: {key.replace('_', ' ')} as of {day} ({marking.banner()})", highlight=False)


@app.command("import-evidence")
def import_evidence(
    path: Annotated[Path, typer.Argument(help="Evidence YAML (format: kompas.compass.evidence; the public one "
                                              "shipped is kompas/data/commitments_evidence.yaml).",
                                         callback=text_file)],
    user: Annotated[str, typer.Option("--user", help="Recorded on behalf of this platform user.")] = "",
    register: REGISTER_OPTION = None,
    db: DB = None,
) -> None:
    """Store an evidence file's dated status notes through the platform, each under its marking (a note's own
    `marking`, else the file's, else UNCLASSIFIED TLP:CLEAR). Notes already stored are skipped, so importing twice
    changes nothing. Malformed notes are listed as `FILE: item N: field: reason` and the good ones still stored
    (exit 1)."""
    from kompas.compass.load import load_evidence
    from kompas.core import audit
    from kompas.core.markings import Marking, MarkingError
    from kompas.core.store import StoreError
    from kompas.rejections import Rejection

    notes, problems = load_evidence(path, {c.id for c in _register(register)})
    store = _store(db)
    account = platform_user(store, user)
    stored = {(r["commitment_id"], r["as_of"], r["status"], r["evidence"]) for r in store.commitment_statuses(None)}
    added = skipped = 0
    for note in notes:
        if (note.commitment_id, note.as_of.isoformat(), note.status, note.text) in stored:
            skipped += 1
            continue
        m = note.marking
        try:
            marking = Marking.build(m["classification"], m["tlp"], m.get("releasable_to"), m.get("communities") or [],
                                    account.org)
            store.set_commitment_status(account, note.commitment_id, note.status, note.text, note.as_of.isoformat(),
                                        marking, source=str(path))
        except (MarkingError, StoreError) as error:
            problems.append(Rejection(str(path), 0, "marking", f"{note.commitment_id} as of {note.as_of}: {error}"))
            continue
        added += 1
    audit.append(store.engine, account.name, "commitment-evidence", str(path), "ok" if not problems else "rejected",
                 f"{added} stored, {skipped} already stored, {len(problems)} rejected")
    for problem in problems:
        print(problem)
    err_console.print(f"{path}: {added} notes stored, {skipped} already stored, {len(problems)} rejected",
                      highlight=False)
    raise typer.Exit(1 if problems else 0)


@app.command("check")
def check_register(
    seeds: Annotated[Path | None, typer.Option(help="Folder of the three seed texts (default: ../shared/seeds, "
                                                    "found like the data: $KOMPAS_SHARED, beside the current "
                                                    "folder, the checkout or the installation).", exists=True,
                                               file_okay=False)] = None,
    register: REGISTER_OPTION = None,
) -> None:
    """Check the register and the public evidence against the seed texts (quotes within their lines, strands,
    ids) and print the completeness list: seed lines naming a year 2022-2030 or a recurrence that no entry covers
    and no reviewed exclusion explains. Exit status 1 when anything is found."""
    from kompas.compass.load import EXCLUDED, PUBLIC_EVIDENCE, load_evidence, load_excluded, read_seeds
    from kompas.compass.register import check, quote_problem, uncovered
    from kompas.locate import shared, where_looked_shared
    from kompas.rejections import Rejection

    seeds = seeds or shared("seeds")
    if seeds is None:
        looked = ", ".join(map(str, where_looked_shared("seeds")))
        err_console.print(f"error: no ../shared/seeds (looked in: {looked}): give --seeds", highlight=False)
        raise typer.Exit(2)
    entries = _register(register)
    texts = read_seeds(seeds)
    if not texts:
        err_console.print(f"error: --seeds {seeds}: no seed texts (*.txt) in it", highlight=False)
        raise typer.Exit(2)
    problems: list[str | Rejection] = list(check(entries, texts))
    notes, note_problems = load_evidence(PUBLIC_EVIDENCE, {c.id for c in entries})
    problems += note_problems + [f"{PUBLIC_EVIDENCE.name}: {n.commitment_id} as of {n.as_of}: seed {problem}"
                                 for n in notes if n.seed and (problem := quote_problem(n.seed, texts.get(
                                     n.seed.source, [])))]
    excluded = [(x["source"], x["line"]) for x in load_excluded(EXCLUDED)]
    missing = uncovered(entries, texts, excluded)
    for item in problems:
        print(item)
    for source, line, text in missing:
        print(f"{source}:{line}: not in the register nor excluded: {text}")
    err_console.print(f"{len(entries)} commitments, {len(excluded)} reviewed exclusions; {len(problems)} problems, "
                      f"{len(missing)} uncovered lines", highlight=False)
    raise typer.Exit(1 if problems or missing else 0)


@app.command("report")
def report(
    as_of: Annotated[str, typer.Option(help="Report date, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option(help="Report file: .html or .pdf.", callback=output_file)] = Path(
        "progress.html"),
    banner: Annotated[str | None, typer.Option(help="Classification banner printed on every page (default: the "
                                                    "combined marking of the status notes read). A banner below "
                                                    "that marking is refused; parts of it left out are added.")]
    = None,
    handling: Annotated[str, typer.Option(help="Handling line printed with the banner.")] = "",
    annex: Annotated[bool, typer.Option("--annex/--no-annex", help="End with an annex listing every commitment "
                                                                   "and its status.")] = True,
    register: REGISTER_OPTION = None,
    user: USER_OPTION = None,
    public_evidence: PUBLIC_OPTION = True,
    db: DB = None,
) -> None:
    """The annual progress report as of a date: per strand and document what fell due, what was done, what is
    overdue, what comes next; the deadline timeline; the cadence of recurring commitments; changes since the
    report a year before. HTML or PDF, with the classification banner on every page: the combined marking of the
    notes read, never lower. Statuses come from the notes that --user may see, recorded with `kompas compass
    set-status` or `import-evidence`, and from the public evidence shipped with Kompas (--no-public-evidence leaves
    it out). The same report as `POST /api/v1/reports/commitments` (kompas.services.reports)."""
    from kompas.reports.document import FORMATS
    from kompas.services.reports import commitments_progress

    if out.suffix.lower() not in FORMATS:
        err_console.print(f"error: {out}: the report is written as .html or .pdf", highlight=False)
        raise typer.Exit(2)
    day = _date(as_of, "--as-of")
    entries = _register(register)
    store, viewer = _platform(db, user)
    with report_errors():
        done = commitments_progress(store, viewer, day, out.suffix.lower()[1:], annex, public_evidence, entries,
                                    banner, handling)
    write_private(out, done.content)
    err_console.print(f"written: {out} ({len(entries)} commitments; marking {done.marking.banner()})",
                      highlight=False)


def _platform(db: str | None, user: str | None):  # noqa: ANN202 (Store | None, Viewer | None)
    """The store and the viewer whose status notes a report reads: ``user``'s (exit 2 when there is no such
    user), else the administrator's view of every note; no store when the database has no schema yet."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError, ProgrammingError

    store = _store(db)
    try:
        ready = inspect(store.engine).has_table("commitment_status")
    except (OperationalError, ProgrammingError):
        ready = False
    if user is not None:
        account = store.account(user) if ready else None
        if account is None:
            err_console.print(f"error: no user {user!r}", highlight=False)
            raise typer.Exit(2)
        return store, account.viewer
    return (store if ready else None), None
