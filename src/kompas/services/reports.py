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
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from kompas.core.envelope import stored_time
from kompas.core.jobqueue import JobError, Runner
from kompas.core.markings import EXERCISE_BANNER, TLP, Classification, Marking, Viewer, combine
from kompas.core.store import Account, Store
from kompas.times import utc_text_ns

FORMATS = ("html", "pdf")
MAX_REPORT_DAYS = 366  #: The longest period of a threat landscape report, days (both ends included).
FIRST_DAY = date(1957, 1, 1)  #: The earliest day a report covers (the space age; and the previous period fits).
LAST_DAY = date(2100, 12, 31)  #: The latest day a report covers.
#: The most space events one threat landscape report reads (its period and the one before); more is refused.
MAX_REPORT_EVENTS = 50_000
MAX_SERIES_POINTS = 1000  #: The most points of a proximity's distance series a report keeps (a figure's width).
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


class PeriodError(ValueError):
    """A report period that is too long, or outside the days reports cover (:func:`report_period`)."""


class ReportTooLarge(ValueError):
    """A report that would read more than :data:`MAX_REPORT_EVENTS` events."""


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
    lead = []
    if marking.exercise is not None:  # an exercise item's banner always begins EXERCISE EXERCISE EXERCISE
        lead, parts = [EXERCISE_BANNER], parts[1:]
        given = given.replace(EXERCISE_BANNER, "").strip(" /") or given
    missing = [p for p in parts[1:-1] if p.upper() not in given.upper()]
    if light is None and marking.tlp > TLP.CLEAR:
        missing.append(marking.tlp.label)
    return " // ".join(lead + ([parts[0]] if level is None else []) + [given] + missing)


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


def report_period(first: date, last: date) -> tuple[date, date]:
    """The period of a threat landscape report from two days in either order, checked: both within
    :data:`FIRST_DAY`..:data:`LAST_DAY` and at most :data:`MAX_REPORT_DAYS` days (both included). Raises
    :class:`PeriodError` (a ValueError) naming the limit; the API answers it with 422."""
    since, until = sorted((first, last))
    if since < FIRST_DAY or until > LAST_DAY:
        raise PeriodError(f"the period {since.isoformat()} to {until.isoformat()} is outside the dates a report "
                          f"covers ({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
    days = (until - since).days + 1
    if days > MAX_REPORT_DAYS:
        raise PeriodError(f"the period {since.isoformat()} to {until.isoformat()} is {days} days long; a report "
                          f"covers at most {MAX_REPORT_DAYS} days (ask for several reports)")
    return since, until


def _utc_day(text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise PeriodError(f"{text!r} is not a UTC time YYYY-MM-DDTHH:MM:SS.sssZ") from None


def threat_landscape(store: Store, viewer: Viewer | None, first: date | str, last: date | str, fmt: str = "pdf",
                     banner: str | None = None, handling: str = "", *, conjunctions: Sequence[dict] | None = None,
                     assets: Mapping[int, Any] | None = None, conjunction_window: tuple[str, str] | None = None,
                     used: Iterable[Marking] = ()) -> Rendered:
    """The space threat landscape report over the space events ``viewer`` may see (None: all) in a period, against
    the period before it, as long; the one workflow of the API's report jobs, ``GET`` form and the daily cycle.

    The period: from day ``first`` to day ``last`` (UTC, both included, in either order), or, given as UTC times
    ``YYYY-MM-DDTHH:MM:SS.sssZ`` (the daily cycle's last days up to its reference time), [``first``, ``last``).
    Bounded by :func:`report_period` (:class:`PeriodError`). ``conjunctions`` (rows as
    :func:`kompas.files.load_conjunctions` gives them), ``assets`` (protected assets by NORAD id) and
    ``conjunction_window`` (start, end: the screening's window, a forecast) fill the conjunction sections
    (:func:`kompas.reports.threat_landscape.build`). Marked with the combined marking of every event read (both
    periods) and of ``used`` (what else the caller put in: the conjunctions' markings); UNCLASSIFIED TLP:CLEAR when
    there is none. Raises :class:`ReportTooLarge` when the two periods hold more than :data:`MAX_REPORT_EVENTS`
    events the viewer may see."""
    from kompas.reports import threat_landscape as report

    if isinstance(first, str) and isinstance(last, str):
        start, end = sorted((first, last))
        report_period(_utc_day(start), _utc_day(end))
        name = f"threat-landscape_{start[:10]}_{end[:10]}"
        start_ns, end_ns = stored_time(start), stored_time(end)
        length = np.datetime64(end_ns.rstrip("Z"), "ns") - np.datetime64(start_ns.rstrip("Z"), "ns")
        previous = utc_text_ns(np.datetime64(start_ns.rstrip("Z"), "ns") - length)
    elif isinstance(first, date) and isinstance(last, date):
        since, until = report_period(first, last)
        end_day = until + timedelta(days=1)
        start, end = f"{since.isoformat()}T00:00:00.000Z", f"{end_day.isoformat()}T00:00:00.000Z"
        start_ns, end_ns = stored_time(start), stored_time(end)
        previous = f"{(since - (end_day - since)).isoformat()}T00:00:00.000000000Z"
        name = f"threat-landscape_{since}_{until}"
    else:
        raise PeriodError("give the period as two days or as two UTC times")
    items, markings = _space_events(store, viewer, previous, start_ns, end_ns)
    marking = combine([*markings, *used]) if markings or used else Marking.build(tlp="CLEAR")
    page = report.build(items, start, end, banner_for(marking, banner), handling, conjunctions, assets,
                        conjunction_window)
    return render(page, fmt, name, marking)


def _fewer_points(series: dict) -> dict:
    """A distance series (``start_utc``, ``step_s``, ``km``) of at most :data:`MAX_SERIES_POINTS` points: the
    smallest distance of each run of consecutive points (the closest approaches stay visible), the step
    lengthened to match. A series the report could not read is returned as it is (the report leaves it out)."""
    km, step = series.get("km"), series.get("step_s")
    if not isinstance(km, list) or len(km) <= MAX_SERIES_POINTS or not isinstance(step, int | float):
        return series
    run = -(-len(km) // MAX_SERIES_POINTS)
    smallest = []
    for k in range(0, len(km), run):
        values = [x for x in km[k:k + run] if isinstance(x, int | float) and not isinstance(x, bool)]
        smallest.append(min(values) if values else None)
    return series | {"step_s": step * run, "km": smallest}


#: What the report reads of an event of the previous period (counts by type, element-set cadence).
_PREVIOUS_KEEP = ("id", "type", "norad_ids", "start_utc", "end_utc", "epoch_utc", "severity", "confidence")


def _space_events(store: Store, viewer: Viewer | None, previous_ns: str, start_ns: str,
                  end_ns: str) -> tuple[list[dict], list[Marking]]:
    """The space events ``viewer`` may see from ``previous_ns`` to ``end_ns`` (stored-time text) that
    :func:`kompas.space.events.check` accepts, as events-file items, and the distinct markings of every event read.
    Read page by page; an event of the previous period keeps only what the comparison reads. At most
    :data:`MAX_REPORT_EVENTS` are read: more is :class:`ReportTooLarge`."""
    from kompas.space.events import check

    items: list[dict] = []
    markings: dict[str, Marking] = {}
    after = None
    while True:
        page = store.events(viewer, after, 1000, since_utc=previous_ns, until_utc=end_ns,  # type: ignore[arg-type]
                            domain="space")  # viewer None: the system's view (the store's session takes it)
        if len(items) + len(page.items) > MAX_REPORT_EVENTS:
            raise ReportTooLarge(f"more than {MAX_REPORT_EVENTS} space events in the period and the one before "
                                 f"it; ask for a shorter period")
        rows = [{"id": r["id"], "type": r["kind"], "norad_ids": r["norad_ids"], "summary": r["title"],
                 **r["detail"]} for r in page.items]
        good, _ = check(rows, "platform")
        for row in page.items:  # every event read marks the report, even one the report cannot show
            markings.setdefault(repr(sorted(row["marking"].items())), Marking.from_dict(dict(row["marking"])))
        for item in good:
            evidence = item["evidence"]
            if item["epoch_utc"] < start_ns[:23] + "Z":  # the previous period: counts and cadence only
                item = {k: item[k] for k in _PREVIOUS_KEEP} | {"evidence": {
                    k: evidence[k] for k in ("element_set_epochs_utc",) if k in evidence}}
            elif isinstance(evidence.get("distance_series"), dict):
                item["evidence"] = evidence | {"distance_series": _fewer_points(evidence["distance_series"])}
            items.append(item)
        after = page.next
        if after is None:
            break
    return items, list(markings.values())


def commitments_progress(store: Store | None, viewer: Viewer | None, as_of: date, fmt: str = "pdf",
                         annex: bool = False, public_evidence: bool = True, register: Sequence | None = None,
                         banner: str | None = None, handling: str = "") -> Rendered:
    """The commitments progress report as of ``as_of`` from the status notes ``viewer`` may see (none when
    ``store`` is None) and, when ``public_evidence``, the public evidence shipped with Kompas. Marked with the
    combined marking of the notes used (UNCLASSIFIED TLP:CLEAR at least: the register and the public evidence)."""
    from kompas.compass.load import load_register as load
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


def supply_paths() -> list[Path]:
    """The supply data an Observatory report reads by default: the folders in ``../shared/data/observatory``
    (:func:`kompas.locate.shared_data`), else the 8-input USGS sample shipped with Kompas (as ``kompas observatory``
    does)."""
    from kompas.files import packaged
    from kompas.locate import shared_data

    shared = shared_data("observatory")
    folders = [p for p in sorted(shared.iterdir()) if p.is_dir()] if shared is not None and shared.is_dir() else []
    return folders or [packaged("observatory")]


def observatory_from_platform(store: Store, viewer: Viewer | None, fmt: str = "pdf", year: int | None = None,
                              paths: Sequence[str | Path] | None = None) -> Rendered:
    """The Observatory's report over the supply data files (``paths``, default :func:`supply_paths`) and the
    supply-chain documents ``viewer`` may see on the platform (:func:`supply_documents`), marked with the combined
    marking of those documents (UNCLASSIFIED TLP:CLEAR for files alone, which are public). Raises
    :class:`NothingToReport` when no supply data could be read."""
    from kompas.files import load_supply
    from kompas.observatory.load import load_config

    settings = load_config(None)
    extra, marking = supply_documents(store, viewer)
    chain, rejections, _ = load_supply(list(paths) if paths is not None else supply_paths(), settings, extra)
    if not chain.shares:
        raise NothingToReport("no supply data read")
    public = Marking.build(tlp="CLEAR")  # the files are public; the banner says so, as the job's marking does
    return observatory(chain, settings, combine([marking, public]) if marking else public, fmt, year=year,
                       rejected=len(rejections))


_FRAMEWORK: list[Any] = []


def default_framework() -> Any:
    """The DISARM framework from the shared data (None without it), read once per process."""
    if not _FRAMEWORK:
        from kompas.files import shared_data
        from kompas.fimi.load import load_framework

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
    try:
        return threat_landscape(store, owner.viewer, _day(params, "from"), _day(params, "to"),
                                params.get("format", "pdf"))
    except (PeriodError, ReportTooLarge) as error:
        raise JobError(str(error)) from None


def _commitments_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    return commitments_progress(store, owner.viewer, _day(params, "as_of"), params.get("format", "pdf"))


def _fimi_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    return fimi(store, owner.viewer, str(params.get("since")), str(params.get("until")), params.get("format", "html"),
                default_framework())


def _observatory_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    year = params.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise JobError(f"year: {year!r} is not a year")
    try:
        return observatory_from_platform(store, owner.viewer, params.get("format", "pdf"), year)
    except NothingToReport as error:
        raise JobError(str(error)) from None


def _avoidance_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.services.avoidance import avoidance_job

    return Rendered(*avoidance_job(store, owner, params))


def _options_paper_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.services.respond import options_paper

    top = params.get("top", 12)
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 50:
        raise JobError(f"top: {top!r} is not a number of options in 1..50")
    done = options_paper(store, owner.viewer, str(params.get("event_id", "")), params.get("format", "pdf"), top)
    if done is None:
        raise JobError("no such event, or you may not see it")
    return done


def _cyber_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.core.store import StoreError
    from kompas.services.cyber import report

    try:
        return report(store, owner.viewer, _day(params, "since").isoformat(), _day(params, "until").isoformat(),
                      params.get("format", "pdf"))
    except StoreError as error:
        raise JobError(str(error)) from None


def _infra_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.reports.infra import report

    countries, scenarios = params.get("countries") or [], params.get("scenarios")
    if not isinstance(countries, list) or (scenarios is not None and not isinstance(scenarios, list)):
        raise JobError("countries and scenarios must be lists")
    try:
        return report(store, owner.viewer, [str(c) for c in countries], scenarios, params.get("format", "pdf"))
    except ValueError as error:  # a country or scenario that cannot be used (the API checks them first)
        raise JobError(str(error)) from None


def _maritime_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.core.store import StoreError
    from kompas.reports.maritime import report

    box = params.get("bbox")
    if box is not None and not isinstance(box, list):
        raise JobError("bbox must be a list of four numbers")
    try:
        return report(store, owner.viewer, params.get("start_utc"), params.get("end_utc"), box,
                      str(params.get("area_name") or ""), str(params.get("assets") or "baltic"),
                      params.get("format", "pdf"))
    except (ValueError, StoreError) as error:  # a window or box that cannot be used (the API checks them first),
        raise JobError(str(error)) from None  # or nothing the owner may see there


#: Job kinds of :mod:`kompas.core.jobqueue` -> the function running them as the job's owner.
RUNNERS: dict[str, Runner] = {"threat-landscape": _threat_landscape_job, "commitments": _commitments_job,
                              "fimi": _fimi_job, "observatory": _observatory_job, "avoidance": _avoidance_job,
                              "options-paper": _options_paper_job, "cyber": _cyber_job, "infra": _infra_job}
RUNNERS["maritime"] = _maritime_job


def _threat_analysis_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.core.markings import MarkingError
    from kompas.core.store import StoreError
    from kompas.services.threat_analysis import report

    try:
        return report(store, owner.viewer, _day(params, "as_of"), params.get("format", "pdf"),
                      params.get("banner") or None, params.get("product_line") or None,
                      bool(params.get("record_cadence", False)), owner,
                      since=_day(params, "since") if params.get("since") else None,
                      early=bool(params.get("early_warning", True)))
    except (ValueError, StoreError, MarkingError) as error:  # a lower banner (BannerError), a date out of range
        raise JobError(str(error)) from None


RUNNERS["threat-analysis"] = _threat_analysis_job


def _mobility_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.core.markings import MarkingError
    from kompas.services.mobility_report import report

    package = params.get("package")
    if package is not None and not isinstance(package, str):
        raise JobError(f"package: {package!r} is not a package name")
    try:
        return report(store, owner.viewer, params.get("format", "pdf"), params.get("banner") or None,
                      package_name=package)
    except (ValueError, MarkingError) as error:  # an unknown package, a lower banner (BannerError)
        raise JobError(str(error)) from None


RUNNERS["mobility"] = _mobility_job


def _forces_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    from kompas.core.markings import Marking, MarkingError
    from kompas.services.forces_report import report

    case, editions, within = params.get("case"), params.get("editions"), params.get("within")
    if case is not None and not isinstance(case, str):
        raise JobError(f"case: {case!r} is not a planning case name")
    if editions is not None and (not isinstance(editions, list) or not all(isinstance(e, str) for e in editions)):
        raise JobError("editions must be a list of editions")
    if within is not None and not isinstance(within, dict):
        raise JobError("within must be a marking")
    try:
        return report(store, owner.viewer, params.get("format", "pdf"), params.get("banner") or None,
                      case_name=case, example=bool(params.get("example", False)), editions=editions,
                      within=Marking.from_dict(within) if within is not None else None)
    except (ValueError, MarkingError) as error:  # an unknown case or edition, nothing visible, a lower banner
        raise JobError(str(error)) from None


RUNNERS["forces"] = _forces_job


def _exercise_build_job(store: Store, owner: Account, params: dict[str, Any]) -> Rendered:
    """An exercise's scenario built (:func:`kompas.services.exercise.build`); the result is its JSON."""
    import json

    from kompas.core.markings import Marking, MarkingError
    from kompas.services import exercise

    text, marking = params.get("scenario"), params.get("marking")
    if not isinstance(text, str) or not isinstance(marking, dict):
        raise JobError("an exercise build needs a scenario (text) and a marking")
    try:
        scenario = exercise.parse_scenario(text, "scenario")
        built = exercise.build(store, owner, scenario, Marking.from_dict(marking))
    except (exercise.ExerciseError, MarkingError) as error:
        raise JobError(str(error)) from None
    return Rendered(json.dumps(built.as_dict()).encode(), "application/json", f"exercise-{scenario.code}.json",
                    built.marking)


RUNNERS["exercise-build"] = _exercise_build_job


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
