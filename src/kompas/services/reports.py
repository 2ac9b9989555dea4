"""Reports over what a viewer may see: one function per report, called by the CLI and by the API's report jobs.

Each function gathers what the viewer may see (``None``: the system's view of everything, for administrators on
the command line), computes the banner as the combined marking of everything the report used
(:func:`kompas.core.markings.combine`), and renders the page as HTML or PDF. It returns a :class:`Rendered`:
``(content, media_type, filename, marking)``. A banner given by hand is checked by :func:`banner_for`: it may add
restrictions, never remove one.

:data:`RUNNERS` adapts the functions to :mod:`kompas.core.jobqueue` (a job runs as its owner).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import suppress
from datetime import date, timedelta
from typing import Any, NamedTuple

from kompas.core.jobqueue import JobError, Runner
from kompas.core.markings import TLP, Classification, Marking, Viewer, combine
from kompas.core.store import Account, Store

FORMATS = ("html", "pdf")
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
#: Classification levels as banners print them, most restrictive first (EU and plain names).
_LEVEL_WORDS = ((Classification.TOP_SECRET, ("TRES SECRET", "TOP SECRET", "TOP_SECRET")),
                (Classification.SECRET, ("SECRET",)),
                (Classification.CONFIDENTIAL, ("CONFIDENTIAL", "CONFIDENTIEL")),
                (Classification.RESTRICTED, ("RESTRICTED", "RESTREINT")),
                (Classification.UNCLASSIFIED, ("UNCLASSIFIED",)))


class Rendered(NamedTuple):
    """A rendered report: its bytes, media type, file name and the combined marking of everything it used."""

    content: bytes
    media_type: str
    filename: str
    marking: Marking


class NothingToReport(ValueError):
    """A report asked not to be empty found nothing the viewer may see in its period."""


class BannerError(ValueError):
    """A banner given by hand that is lower than the combined marking of what the report read."""


# --- banners -----------------------------------------------------------------------------------------------------


def _level(banner: str) -> Classification | None:
    upper = banner.upper()
    return next((level for level, words in _LEVEL_WORDS if any(w in upper for w in words)), None)


def _tlp(banner: str) -> TLP | None:
    upper = banner.upper().replace(" ", "")
    found = [t for t in TLP if t.label.replace(" ", "") in upper]
    return max(found) if found else None


def banner_for(marking: Marking | None, given: str | None = None) -> str:
    """The banner to print on a report that used items of combined marking ``marking`` (None: nothing marked,
    files only): ``marking.banner()`` when no banner is ``given``. A ``given`` banner may add restrictions, never
    remove one: it is refused (:class:`BannerError`) when it names a classification or a TLP lower than
    ``marking``'s, and raised when it leaves out a part of ``marking``'s banner: the classification (put first),
    the releasability, need-to-know and caveats, and a TLP above CLEAR (each added at the end)."""
    if marking is None:
        return given.strip() if given and given.strip() else "UNCLASSIFIED"
    required = marking.banner()
    if given is None or not given.strip():
        return required
    given = given.strip()
    level, light = _level(given), _tlp(given)
    lower = []
    if level is not None and level < marking.classification:
        lower.append(f"classification {level.name} is below {marking.classification.name}")
    if light is not None and light < marking.tlp:
        lower.append(f"{light.label} is below {marking.tlp.label}")
    if lower:
        raise BannerError(f"banner {given!r} is lower than the combined marking of what the report read "
                          f"({required}): {'; '.join(lower)}. Leave the banner out to print the combined marking, "
                          f"or give one at least as restrictive")
    parts = required.split(" // ")
    missing = [p for p in parts[1:-1] if p.upper() not in given.upper()]
    if light is None and marking.tlp > TLP.CLEAR:
        missing.append(marking.tlp.label)
    return " // ".join(([parts[0]] if level is None else []) + [given] + missing)


# --- rendering ---------------------------------------------------------------------------------------------------


def render(page: str, fmt: str, name: str, marking: Marking) -> Rendered:
    """An HTML page as ``fmt`` (``html`` as is, ``pdf`` by WeasyPrint), named ``name.fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "html":
        return Rendered(page.encode("utf-8"), MEDIA_TYPES["html"], f"{name}.html", marking)
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint loads Pango; a machine without it cannot render PDF
        raise RuntimeError(f"PDF needs the Pango library (Debian: apt-get install libpango-1.0-0 "
                           f"libpangoft2-1.0-0): {error}") from None
    return Rendered(HTML(string=page).write_pdf(), MEDIA_TYPES["pdf"], f"{name}.pdf", marking)


# --- the reports -------------------------------------------------------------------------------------------------


def threat_landscape(store: Store, viewer: Viewer | None, first: date, last: date, fmt: str = "pdf",
                     banner: str | None = None, handling: str = "") -> Rendered:
    """The space threat landscape report over the events ``viewer`` may see from day ``first`` to day ``last``
    (UTC, both included, in either order); the period before, as long, is the comparison. Marked with the
    combined marking of every event read (both periods; UNCLASSIFIED TLP:CLEAR when there is none)."""
    from kompas.core.picture import collect
    from kompas.reports import threat_landscape as report
    from kompas.space.events import check

    since, until = sorted((first, last))
    end_day = until + timedelta(days=1)
    start, end = f"{since.isoformat()}T00:00:00.000Z", f"{end_day.isoformat()}T00:00:00.000Z"
    previous = f"{(since - (end_day - since)).isoformat()}T00:00:00.000000000Z"
    window = {"since_utc": previous, "until_utc": f"{end_day.isoformat()}T00:00:00.000000000Z", "domain": "space"}
    rows = collect(lambda after, limit: store.events(viewer, after, limit, **window), 200_000)  # type: ignore[arg-type]
    items, _ = check([{"id": r["id"], "type": r["kind"], "norad_ids": r["norad_ids"], "summary": r["title"],
                       **r["detail"]} for r in rows], "platform")
    marking = combine(Marking.from_dict(r["marking"]) for r in rows) if rows else Marking.build(tlp="CLEAR")
    page = report.build(items, start, end, banner_for(marking, banner), handling)
    return render(page, fmt, f"threat-landscape_{since}_{until}", marking)


def commitments_progress(store: Store | None, viewer: Viewer | None, as_of: date, fmt: str = "pdf",
                         annex: bool = False, public_evidence: bool = True, register: Sequence | None = None,
                         banner: str | None = None, handling: str = "") -> Rendered:
    """The commitments progress report as of ``as_of`` from the status notes ``viewer`` may see (none when
    ``store`` is None) and, when ``public_evidence``, the public evidence shipped with Kompas. Marked with the
    combined marking of the notes used (UNCLASSIFIED TLP:CLEAR at least: the register and the public evidence)."""
    from kompas.compass.register import load
    from kompas.reports import progress
    from kompas.services.commitments import notes_and_marking

    notes, marking = notes_and_marking(store, viewer, public_evidence)
    page = progress.build(list(register) if register is not None else load(), notes, as_of,
                          banner_for(marking, banner), handling, annex=annex)
    return render(page, fmt, f"commitments_{as_of}", marking)


def fimi(store: Store, viewer: Viewer | None, since: str, until: str, fmt: str = "html", framework: Any = None,
         method: str = "auto", clusters: int | None = None, banner: str | None = None,
         handling: str = "", allow_empty: bool = True) -> Rendered:
    """The FIMI threat report for [``since``, ``until``) (UTC days ``YYYY-MM-DD``, in either order: the one rule
    of :func:`kompas.services.fimi.period`) from the incidents ``viewer`` may see, with their history for the
    trends; ``framework``: DISARM (:func:`default_framework`). Marked with the combined marking of every incident
    read. Nothing is stored. Raises :class:`NothingToReport` when no incident falls in the period, unless
    ``allow_empty``."""
    from kompas.core import incidents
    from kompas.reports.fimi import build
    from kompas.services.fimi import period

    first, last = period(since, until)  # the one FIMI period rule; ValueError for an empty or impossible one
    result, _, marking = incidents.run_analysis(store, viewer, first, last, framework, clusters, method,
                                                store_run=False)
    if not allow_empty and not result.incidents:
        raise NothingToReport(f"no incidents first seen in [{first}, {last}) that you may see")
    page = build(result, banner_for(marking, banner), handling)
    return render(page, fmt, f"fimi_{first}_{last}", marking)


def supply_documents(store: Store, viewer: Viewer | None) -> tuple[list[tuple[str, str]], Marking | None]:
    """The supply-chain CSV documents ``viewer`` may see (``(source name, text)``, for
    :func:`kompas.files.load_supply`) and their combined marking (None when there is none)."""
    documents = store.documents_of_format(viewer, "supply-csv")
    marking = combine(m for _, _, m in documents) if documents else None
    return [(f"platform document {i}", text) for i, text, _ in documents], marking


def observatory(chain: Any, settings: Any, marking: Marking | None, fmt: str = "pdf", banner: str | None = None,
                handling: str = "", year: int | None = None, scenarios: Sequence[Sequence[str]] | None = None,
                rejected: int = 0) -> Rendered:
    """The Observatory's report on critical technologies and strategic dependencies over a supply chain read from
    files and the platform documents of combined marking ``marking`` (:func:`supply_documents`; None: files
    only, which carry no marking). The banner: :func:`banner_for`."""
    from kompas.reports.observatory import build

    used = marking if marking is not None else Marking.build(tlp="CLEAR")
    page = build(chain, settings, banner_for(marking, banner), handling, year, scenarios, rejected)
    return render(page, fmt, "observatory", used)


_FRAMEWORK: list[Any] = []


def default_framework() -> Any:
    """The DISARM framework from the shared data (None without it), read once per process."""
    if not _FRAMEWORK:
        from kompas.files import shared_data
        from kompas.fimi.disarm import load_framework

        folder = shared_data("fimi/disarm")
        _FRAMEWORK.append(load_framework(folder) if folder else None)
    return _FRAMEWORK[0]


# --- as jobs -----------------------------------------------------------------------------------------------------


def _day(params: dict[str, Any], key: str) -> date:
    try:
        return date.fromisoformat(str(params[key]))
    except (KeyError, ValueError):
        raise JobError(f"{key}: {params.get(key)!r} is not a date YYYY-MM-DD") from None


def _threat_landscape_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    return threat_landscape(store, owner.viewer, _day(params, "from"), _day(params, "to"), params.get("format", "pdf"))


def _commitments_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    return commitments_progress(store, owner.viewer, _day(params, "as_of"), params.get("format", "pdf"))


def _fimi_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    return fimi(store, owner.viewer, str(params.get("since")), str(params.get("until")), params.get("format", "html"),
                default_framework())


#: Job kinds of :mod:`kompas.core.jobqueue` -> the function running them as the job's owner.
RUNNERS: dict[str, Runner] = {"threat-landscape": _threat_landscape_job, "commitments": _commitments_job,
                              "fimi": _fimi_job}


def main() -> None:
    """The report worker process (``python -m kompas.services.reports``, database ``$KOMPAS_DB``): runs queued
    report jobs until it is stopped, at a lower CPU priority than the API that starts it."""
    import logging

    from kompas.core import jobqueue
    from kompas.core.db import make_engine

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    with suppress(AttributeError, OSError):  # no nice on this platform, or not allowed: the same priority
        os.nice(10)
    with suppress(KeyboardInterrupt):  # Ctrl-C in the terminal of `kompas serve`: a job left running is requeued
        jobqueue.serve(Store(make_engine()), RUNNERS)


if __name__ == "__main__":
    main()
