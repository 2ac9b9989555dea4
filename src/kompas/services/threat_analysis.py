"""The integrated EU threat analysis (issue 26, deliverable 7): gathers what one reader may see and the public
context data, and renders the report (:mod:`kompas.reports.threat_analysis`). Called by ``kompas intel
threat-analysis`` and by the report job ``threat-analysis`` (``POST /api/v1/reports/threat-analysis``).

What an edition reads:

- the context data in ``../shared/data/early-warning`` (:mod:`kompas.context.load`): UCDP/PRIO conflicts, the SIPRI
  extract, the watchlist's inputs (ND-GAIN, IPC, UCDP); a section whose data is absent says so;
- the early warning through one function, :func:`early_warning` (W's :mod:`kompas.services.warning`: the forecast
  of the latest window the data allow, its warnings, and the models' evaluation on the latest window with
  outcomes); building the forecasts takes a minute or two, so it can be left out (``early_warning=False``);
- the platform, as ``viewer`` (None: the platform itself) may see it, every read under the access rule in the
  query: the events of the period counted by domain, type, severity and marking (:func:`domain_summaries`), the
  fused picture's situations (:func:`kompas.services.fusion.picture`), the key judgements of the assessments
  (:func:`judgements`), and the earlier editions' status notes on SC-001 and SC-051.

The banner is the combination of the markings of everything read from the platform (and UNCLASSIFIED // TLP:CLEAR
for the public data), raised by a banner given by hand only (:func:`kompas.services.reports.banner_for`: a lower
one is refused). With ``record_cadence`` the edition is recorded as a status note ``done`` on SC-001 and SC-051
(:func:`kompas.services.commitments.record_status`, as ``kompas compass set-status`` does) as of the report date,
under the report's marking, so the commitments progress report knows the last edition.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kompas.core.envelope import DOMAINS, SEVERITIES
from kompas.core.markings import TLP, Marking, Viewer, combine
from kompas.core.models import EventRecord
from kompas.reports.threat_analysis import (
    CADENCE_YEARS,
    COMMITMENTS,
    EVENTS_SHOWN,
    WARNINGS_SHOWN,
    Cadence,
    Inputs,
    routine,
)

if TYPE_CHECKING:
    from kompas.core.store import Store, StoreBase
    from kompas.core.store.base import Account
    from kompas.services.reports import Rendered

PUBLIC = Marking(tlp=TLP.CLEAR)  #: the marking of the public context data
PERIOD_DAYS = 365  #: the platform period by default: the year up to the report date
MAX_ASSESSMENTS = 30  #: assessments whose key judgements an edition shows (newest first)
MAX_JUDGEMENTS = 80  #: key judgements an edition shows
SCAN_BATCH = 500  #: rows read at a time when looking for the most severe notable events
PICTURE_LIMIT = 2000  #: newest events of the period the situations are linked from
EDITION = "Integrated EU threat analysis, edition"  #: how a status note names an edition (and is recognised)
FIRST_DAY = date(2000, 1, 1)  #: the earliest report date
STEPS = 9  #: progress steps of :func:`report`
Progress = Callable[[int], None]


def _day_start(day: date) -> str:
    """The stored-time text of 00:00 UTC on ``day``."""
    return f"{day.isoformat()}T00:00:00.000000000Z"


# --- the platform --------------------------------------------------------------------------------------------------


def _counts(store: StoreBase, viewer: Viewer | None, since: date, until: date
            ) -> tuple[dict[str, dict[str, Any]], list[Marking]]:
    """Events ``viewer`` may see with their time in [``since``, ``until``) counted in the database per domain (by
    type and severity), and the distinct markings of the events counted."""
    e = EventRecord
    query = (select(e.domain, e.kind, e.severity, e.marking_id, func.count())
             .where(e.time_utc >= _day_start(since), e.time_utc < _day_start(until))
             .group_by(e.domain, e.kind, e.severity, e.marking_id))
    out: dict[str, dict[str, Any]] = {}
    markings: dict[int, Marking] = {}
    with store.session(viewer) as s:
        for domain, kind, severity, marking_id, count in s.execute(query).all():
            entry = out.setdefault(domain, {"events": 0, "types": {}, "severity": dict.fromkeys(SEVERITIES, 0)})
            entry["events"] += int(count)
            entry["types"][kind] = entry["types"].get(kind, 0) + int(count)
            entry["severity"][severity] = entry["severity"].get(severity, 0) + int(count)
            if marking_id not in markings:
                markings[marking_id] = store.marking_of(s, marking_id)
    return out, list(markings.values())


def _routine(store: StoreBase, viewer: Viewer | None, since: date, until: date) -> list[dict[str, Any]]:
    """The routine manoeuvres (:func:`kompas.reports.threat_analysis.routine`) among the space events ``viewer``
    may see in [``since``, ``until``): per constellation (most events first) the events, the distinct objects and
    the count by severity."""
    e = EventRecord
    query = (select(e.severity, e.actors)
             .where(e.domain == "space", e.kind == "manoeuvre", e.time_utc >= _day_start(since),
                    e.time_utc < _day_start(until)))
    found: dict[str, dict[str, Any]] = {}
    with store.session(viewer) as s:
        for severity, actors in s.execute(query):
            label = routine("space", "manoeuvre", actors)
            if not label:
                continue
            entry = found.setdefault(label, {"label": label, "events": 0, "objects": set(),
                                             "severity": dict.fromkeys(SEVERITIES, 0)})
            entry["events"] += 1
            entry["objects"].add(str(actors[0].get("id", "")))
            entry["severity"][severity] = entry["severity"].get(severity, 0) + 1
    out = [{**v, "objects": len(v["objects"])} for v in found.values()]
    return sorted(out, key=lambda v: (-v["events"], v["label"]))


def _most_severe(store: StoreBase, viewer: Viewer | None, domain: str, since: date, until: date,
                 limit: int = EVENTS_SHOWN) -> tuple[list[dict[str, Any]], list[Marking]]:
    """The ``limit`` most severe notable events of ``domain`` in the period (newest first among equals; routine
    constellation manoeuvres left out: :func:`kompas.reports.threat_analysis.routine`) and their markings."""
    from kompas.core.store.events import SEVERITY_RANK

    e = EventRecord
    query = (select(e.id, e.time_utc, e.kind, e.severity, e.title, e.marking_id, e.actors)
             .where(e.domain == domain, e.time_utc >= _day_start(since), e.time_utc < _day_start(until))
             .order_by(SEVERITY_RANK.desc(), e.time_utc.desc(), e.id.desc()))
    rows: list[dict[str, Any]] = []
    markings: list[Marking] = []
    with store.session(viewer) as s:
        for ident, time_utc, kind, severity, title, marking_id, actors in s.execute(
                query.execution_options(yield_per=SCAN_BATCH)):
            if len(rows) >= limit:
                break
            if routine(domain, kind, actors):
                continue
            marking = store.marking_of(s, marking_id)
            markings.append(marking)
            rows.append({"id": ident, "time_utc": time_utc, "type": kind, "severity": severity, "title": title,
                         "banner": marking.banner()})
    return rows, markings


def domain_summaries(store: StoreBase, viewer: Viewer | None, since: date, as_of: date
                     ) -> tuple[list[dict[str, Any]], list[Marking]]:
    """Per domain (:data:`kompas.core.envelope.DOMAINS` order, then any other), the events ``viewer`` may see in
    [``since``, ``as_of``] (days, UTC): count, by severity, by type (most first), the count of the period of the
    same length before, the routine constellation manoeuvres (space: ``routine``, per constellation) and the most
    severe notable ones; with the markings of every event counted or shown."""
    until = as_of + timedelta(days=1)
    before = since - (until - since)
    now, markings = _counts(store, viewer, since, until)
    previous, earlier = _counts(store, viewer, before, since)
    markings += earlier
    order = list(DOMAINS) + sorted((set(now) | set(previous)) - set(DOMAINS))
    out = []
    for domain in order:
        entry = now.get(domain, {"events": 0, "types": {}, "severity": dict.fromkeys(SEVERITIES, 0)})
        top: list[dict[str, Any]] = []
        if entry["events"]:
            top, shown = _most_severe(store, viewer, domain, since, until)
            markings += shown
        out.append({"domain": domain, "events": entry["events"], "severity": entry["severity"],
                    "types": sorted(entry["types"].items(), key=lambda kv: (-kv[1], kv[0])),
                    "previous": previous.get(domain, {}).get("events", 0), "top": top,
                    "routine": _routine(store, viewer, since, until) if domain == "space" and entry["events"]
                    else []})
    return out, markings


def fused_picture(store: StoreBase, viewer: Viewer | None, since: date, as_of: date
                  ) -> tuple[dict[str, Any], list[Marking]]:
    """F's fused picture of the period (:func:`kompas.services.fusion.picture`, the newest
    :data:`PICTURE_LIMIT` events) without its event list, and the markings of its situations and events."""
    from kompas.services.fusion import picture

    answer = picture(store, viewer, _day_start(since), _day_start(as_of + timedelta(days=1)),
                     limit=PICTURE_LIMIT)
    markings = [Marking.from_dict(dict(m)) for m in answer.get("markings", [])]
    markings += [Marking.from_dict(dict(s["marking"])) for s in answer.get("situations", [])]
    answer = {k: v for k, v in answer.items() if k != "events"}
    return answer, markings


def recorded_warnings(store: StoreBase, viewer: Viewer | None, as_of: date, shown: int = WARNINGS_SHOWN
                      ) -> tuple[dict[str, Any], list[Marking]]:
    """The conflict warnings recorded on the platform (domain ``intel``, type ``conflict-warning``, stored by
    ``kompas warning warnings --record``) that ``viewer`` may see, whatever the platform period (they are dated
    in their forecast window): the window holding ``as_of`` when any is recorded for it, else the latest window
    recorded up to ``as_of``'s year (else the earliest later one). Returns the window, the count by severity, the
    distinct countries, the count per window, the ``shown`` most probable rows, and the markings of every
    warning counted."""
    e = EventRecord
    query = (select(e.id, e.title, e.severity, e.evidence, e.actors, e.start_utc, e.end_utc, e.marking_id)
             .where(e.domain == "intel", e.kind == "conflict-warning"))
    found: dict[int, list[tuple[Any, ...]]] = {}
    with store.session(viewer) as s:
        rows = s.execute(query).all()
        for row in rows:
            evidence = row[3] or {}
            window = evidence.get("window")
            year = int(window) if isinstance(window, int | str) and str(window).isdigit() else int(row[5][:4])
            found.setdefault(year, []).append(tuple(row))
        windows_found = {w: len(v) for w, v in found.items()}
        if not found:
            return {"window": None, "count": 0, "windows": {}, "severity": dict.fromkeys(SEVERITIES, 0),
                    "countries": 0, "rows": []}, []
        earlier = [w for w in found if w <= as_of.year]
        window = max(earlier) if earlier else min(found)
        chosen = found[window]
        markings = {m: store.marking_of(s, m) for m in {r[7] for r in rows}}  # every warning counted
    severity = dict.fromkeys(SEVERITIES, 0)
    for r in chosen:
        severity[r[2]] = severity.get(r[2], 0) + 1
    countries = {str((r[4] or [{}])[0].get("id", "")) for r in chosen}
    ranked = sorted(chosen, key=lambda r: (-float((r[3] or {}).get("probability", 0.0)), r[1], r[0]))
    listed = [{"id": r[0], "title": r[1], "severity": r[2],
               "country": str((r[4] or [{}])[0].get("name") or (r[4] or [{}])[0].get("id", "")),
               "span": f"{r[5][:7]} to {r[6][:7]}", "banner": markings[r[7]].banner()} for r in ranked[:shown]]
    return ({"window": window, "count": len(chosen), "windows": windows_found, "severity": severity,
             "countries": len(countries), "rows": listed}, list(markings.values()))


def judgements(store: StoreBase, viewer: Viewer | None, as_of: date, product_line: str | None = None
               ) -> tuple[list[dict[str, Any]], int, list[Marking]]:
    """The key judgements of the assessments ``viewer`` may see (of ``product_line``, else all) dated on or before
    ``as_of``, newest assessments first (at most :data:`MAX_ASSESSMENTS` assessments, :data:`MAX_JUDGEMENTS`
    judgements): each with its ICD 203 word, label and band, confidence, resolution date, and the outcome when it
    was resolved by ``as_of`` (a later resolution is not known then). Returns the rows, the number of assessments
    used and their markings."""
    from kompas.core.store import intel as intel_store
    from kompas.intel.language import ICD203
    from kompas.intel.model import Assessment

    found = intel_store.items(store, viewer, "assessment", product_line=product_line or None,  # type: ignore[arg-type]
                              full=True)
    dated: list[tuple[str, Any, Assessment]] = []
    for item in found:
        parsed, problems = Assessment.from_dict(item.body)
        if parsed is None or problems or not parsed.key_judgements:
            continue
        day = parsed.date or item.added_utc[:10]
        if day > as_of.isoformat():
            continue
        dated.append((day, item, parsed))
    dated.sort(key=lambda t: (t[0], t[1].updated_utc, t[1].id), reverse=True)
    rows: list[dict[str, Any]] = []
    used: list[Any] = []
    for day, item, parsed in dated[:MAX_ASSESSMENTS]:
        if len(rows) >= MAX_JUDGEMENTS:
            break
        used.append(item)
        for number, kj in enumerate(parsed.key_judgements):
            if len(rows) >= MAX_JUDGEMENTS:
                break
            band = ICD203.band(kj.likelihood)
            known = kj.outcome is not None and bool(kj.resolved_at) and kj.resolved_at <= as_of.isoformat()
            rows.append({"assessment_id": item.id, "title": item.title, "date": day, "team": item.team,
                         "product_line": item.product_line, "banner": item.marking.banner(), "index": number,
                         "text": kj.text, "likelihood": kj.likelihood,
                         "label": band.label if band is not None and band.label else kj.likelihood,
                         "band": (band.low, band.high) if band is not None else (0.0, 1.0),
                         "confidence": kj.confidence, "resolution_date": kj.resolution_date,
                         "criterion": kj.criterion, "outcome": kj.outcome if known else None,
                         "resolved_at": kj.resolved_at if known else ""})
    return rows, len(used), [i.marking for i in used]


def earlier_editions(store: StoreBase, viewer: Viewer | None, as_of: date
                     ) -> tuple[list[tuple[date, str]], list[Marking]]:
    """The editions recorded before (status notes on SC-001 or SC-051 naming an edition, dated on or before
    ``as_of``) that ``viewer`` may see: (as-of day, evidence) once per day, and the notes' markings."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    rows: list[dict[str, Any]] = []
    try:
        for cid in COMMITMENTS:
            rows += store.commitment_statuses(viewer, cid)  # type: ignore[attr-defined]
    except (OperationalError, ProgrammingError):  # a database without the schema holds no notes
        rows = []
    used = [r for r in rows if r["status"] == "done" and r["as_of"] <= as_of.isoformat()
            and EDITION.lower() in r["evidence"].lower()]
    by_day: dict[str, str] = {}
    for r in sorted(used, key=lambda r: (r["as_of"], r["created_utc"])):
        by_day.setdefault(r["as_of"], r["evidence"])
    return ([(date.fromisoformat(d), text) for d, text in sorted(by_day.items())],
            [Marking.from_dict(r["marking"]) for r in used])


def next_due(edition: date) -> date:
    """When the edition after ``edition`` is due at the latest: :data:`CADENCE_YEARS` years later (the same day;
    a month's last day stays the month's last day)."""
    from kompas.compass.deadlines import add_months

    return add_months(edition, 12 * CADENCE_YEARS)


@lru_cache(maxsize=1)
def _deadlines() -> tuple[tuple[str, Any], ...]:
    """(id, deadline) of :data:`COMMITMENTS` in the shipped register, read once per process."""
    from kompas.compass.load import load_register

    return tuple((c.id, c.deadline) for c in load_register() if c.id in COMMITMENTS)


def register_schedule(edition: date) -> dict[str, date | None]:
    """SC-001's and SC-051's next due date in the register's fixed schedule after the one ``edition`` meets: an
    edition on or before a due date meets it (one in mid-2025 meets 2025-12-31, so the register next asks for
    2028-12-31), the next edition is due by the following one."""
    out: dict[str, date | None] = {}
    for cid, deadline in _deadlines():
        met = deadline.next_due(edition - timedelta(days=1))  # the first due date on or after the edition
        out[cid] = deadline.next_due(met) if met is not None else None
    return out


def evidence_text(edition: date, name: str, cadence: Cadence | None = None) -> str:
    """The status note's evidence naming an edition (how :func:`earlier_editions` recognises it), with when the
    next is due (:attr:`Cadence.due`: the register's next due date, or 3 years on when earlier)."""
    c = cadence or Cadence(edition, next_due(edition), (), register_schedule(edition))
    rule = "the register's schedule" if c.due_rule == "register" else f"at least every {CADENCE_YEARS} years"
    return f"{EDITION} {edition.isoformat()} (Kompas report {name}); next edition due by {c.due.isoformat()} ({rule})."


# --- early warning -------------------------------------------------------------------------------------------------


def windows(as_of: date, last_month: int) -> tuple[int | None, int | None]:
    """The forecast window and the evaluation window of an edition as of ``as_of`` when the actuals end with VIEWS
    month ``last_month``: the forecast window is the latest whose cut-off (31 October of the year before) is on or
    before ``as_of`` and within the data; the evaluation window is the latest year whose 12 months are all in the
    data and over before ``as_of``. None when there is none (the VIEWS challenge's windows start in 2018)."""
    from kompas.warning.features import cutoff_month, month_id

    window = as_of.year + 1 if as_of >= date(as_of.year, 10, 31) else as_of.year
    while window >= 2018 and cutoff_month(window) > last_month:
        window -= 1
    evaluation = as_of.year - 1
    while evaluation >= 2018 and month_id(evaluation, 12) > last_month:
        evaluation -= 1
    return (window if window >= 2018 else None), (evaluation if evaluation >= 2018 else None)


def early_warning(as_of: date, model: str = "kompas", models: Sequence[str] | None = None,
                  top: int = 15) -> dict[str, Any]:
    """The early-warning section of an edition as of ``as_of``, from W's :mod:`kompas.services.warning`: the
    ``model``'s forecast of the latest window the data allow (:func:`windows`; the ``top`` countries by expected
    fatalities), the warnings it raises under the default thresholds, and every one of ``models`` (default all)
    scored on the latest window with outcomes. ``problems`` lists what could not be done; ``sources`` the
    citations. Raises (FileNotFoundError, ValueError) when the VIEWS data cannot be read at all."""
    from kompas.services import warning as service
    from kompas.warning import alerts, load
    from kompas.warning.features import month_label

    panel = load.views_data().panel
    forecast_window, evaluation_window = windows(as_of, panel.last_month)
    out: dict[str, Any] = {"data_end": month_label(panel.last_month), "problems": [], "forecast": None,
                           "warnings": None, "evaluation": None,
                           "thresholds": [t.describe() for t in alerts.DEFAULT_THRESHOLDS],
                           "sources": service.sources(model)}
    if forecast_window is None:
        out["problems"].append(f"no forecast window: the actuals end {out['data_end']}")
    else:
        try:
            out["forecast"] = service.forecast(forecast_window, model, top=top)
            found, _ = service.warnings(forecast_window, model)
            out["warnings"] = [w.as_dict() for w in found]
        except ValueError as error:
            out["problems"].append(f"forecast of {forecast_window}: {error}")
        wanted = as_of.year + 1 if as_of >= date(as_of.year, 10, 31) else as_of.year
        if forecast_window < wanted:
            out["window_note"] = (f"The actuals end {out['data_end']}, so the latest window that can be forecast is "
                                  f"{forecast_window}, not {wanted}.")
    if evaluation_window is None:
        out["problems"].append(f"no window with outcomes before {as_of.isoformat()}")
    else:
        try:
            out["evaluation"] = service.evaluate(evaluation_window, list(models) if models else service.MODELS)
        except ValueError as error:
            out["problems"].append(f"evaluation of {evaluation_window}: {error}")
    out["sources"] = list(dict.fromkeys([*out["sources"], *(out["evaluation"] or {}).get("sources", [])]))
    return out


# --- the edition ---------------------------------------------------------------------------------------------------


def _context(inputs: Inputs, key: str, read: Callable[[], Any]) -> Any:  # noqa: ANN401 (the section's data)
    """``read()``, or None with the reason in ``inputs.missing[key]`` when the context data cannot be read."""
    try:
        return read()
    except (FileNotFoundError, ValueError) as error:
        inputs.missing[key] = str(error)
        return None


def gather(store: StoreBase | None, viewer: Viewer | None, as_of: date, since: date | None = None,
           product_line: str | None = None, early: bool = True, progress: Progress | None = None
           ) -> tuple[Inputs, Marking]:
    """Everything the edition as of ``as_of`` shows for ``viewer`` (None: the platform itself; no ``store``: the
    public data only), the platform period from ``since`` (default :data:`PERIOD_DAYS` days before ``as_of``) to
    ``as_of``, and the combined marking of everything read from the platform (with the public data's)."""
    from kompas.context import load, watchlist

    step = progress or (lambda done: None)
    start = since or as_of - timedelta(days=PERIOD_DAYS)
    if start > as_of:
        raise ValueError(f"since {start.isoformat()} is after the report date {as_of.isoformat()}")
    inputs = Inputs(as_of=as_of, since=start, cadence=Cadence(as_of, next_due(as_of)),
                    product_line=product_line or "")
    used: list[Marking] = [PUBLIC]
    conflicts = _context(inputs, "conflicts", load.read_ucdp)
    inputs.conflicts = conflicts[0] if conflicts else None
    step(1)
    inputs.sipri = _context(inputs, "sipri", load.read_sipri)
    step(2)

    def edition() -> Any:  # noqa: ANN401 (a Watchlist)
        data = load.watchlist_inputs()
        year = min(as_of.year, watchlist.last_edition(data))
        previous = None
        with suppress(ValueError):  # no edition the year before: no changes shown
            previous = watchlist.build(data, year - 1)
        return watchlist.build(data, year, previous)

    inputs.watchlist = _context(inputs, "watchlist", edition)
    step(3)
    if early:
        inputs.warning = _context(inputs, "warning", lambda: early_warning(as_of))
    else:
        inputs.missing["warning"] = ("not asked for in this run (the forecasts take a minute or two to build: "
                                     "kompas intel threat-analysis --early-warning)")
    step(4)
    if store is not None:
        inputs.picture, shown = fused_picture(store, viewer, start, as_of)
        used += shown
        step(5)
        inputs.domains, counted = domain_summaries(store, viewer, start, as_of)
        inputs.events_read = sum(d["events"] for d in inputs.domains)
        used += counted
        step(6)
        inputs.recorded, warned = recorded_warnings(store, viewer, as_of)
        used += warned
        inputs.judgements, inputs.assessments, assessed = judgements(store, viewer, as_of, product_line)
        used += assessed
        previous, notes = earlier_editions(store, viewer, as_of)
        used += notes
        inputs.cadence = Cadence(as_of, next_due(as_of), tuple(previous), register_schedule(as_of))
    else:
        inputs.missing["picture"] = "no platform database"
        inputs.cadence = Cadence(as_of, next_due(as_of), (), register_schedule(as_of))
    step(7)
    return inputs, combine(used)


def report(store: Store | None, viewer: Viewer | None, as_of: date | None = None, fmt: str = "pdf",
           banner: str | None = None, product_line: str | None = None, record_cadence: bool = False,
           by: Account | None = None, *, since: date | None = None, early: bool = True, handling: str = "",
           progress: Progress | None = None) -> Rendered:
    """The integrated threat analysis as of ``as_of`` (default today) as ``viewer`` may see it, rendered as ``fmt``
    (``html`` or ``pdf``), banner-marked with the combination of everything read from the platform
    (:func:`kompas.services.reports.banner_for`: a ``banner`` given may raise it, a lower one is refused with
    BannerError). With ``record_cadence`` the edition is recorded as a status note ``done`` on SC-001 and SC-051
    on behalf of ``by`` (required then), as of ``as_of``, under the report's marking; off for a dry run.
    ``early``: include the early warning (:func:`early_warning`, a minute or two). ValueError for a date or
    format that cannot be used."""
    from kompas.reports.threat_analysis import build
    from kompas.services.commitments import record_status
    from kompas.services.reports import FORMATS, banner_for, render

    day = as_of or date.today()
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if not FIRST_DAY <= day <= date.today() + timedelta(days=1):
        raise ValueError(f"report date {day.isoformat()}: from {FIRST_DAY.isoformat()} to today")
    if record_cadence and (by is None or store is None):
        raise ValueError("recording the cadence needs the platform and the account recording it")
    inputs, marking = gather(store, viewer, day, since, product_line, early, progress)
    shown = banner_for(marking, banner)
    name = f"threat_analysis_{day.isoformat()}"
    evidence = evidence_text(day, f"{name}.{fmt}", inputs.cadence)
    inputs.cadence = Cadence(day, inputs.cadence.next_due, inputs.cadence.previous, inputs.cadence.schedule,
                             record_cadence, evidence)
    done = render(build(inputs, shown, handling), fmt, name, marking)
    if progress:
        progress(8)
    if record_cadence:
        assert store is not None and by is not None  # checked above
        for cid in COMMITMENTS:
            record_status(store, by, cid, "done", evidence, day, marking, "threat-analysis")
    if progress:
        progress(STEPS)
    return done
