"""FIMI workflows, shared by the CLI and the API: contribute incidents (files, JSON items, STIX 2.1 bundles) and
analyse a period, each audited and alerting the Rapid Alert System's subscribers; one rule for a period.

``kompas fimi ingest|analyse`` and ``POST /api/v1/fimi/incidents``, ``/fimi/incidents/stix``, ``/fimi/analyses``
call these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kompas.core import alerts, audit, incidents
from kompas.core.incidents import Ingested
from kompas.core.markings import Marking, Viewer
from kompas.core.stix import contributed_marking
from kompas.core.store import Account, Store
from kompas.fimi.incident import Incident
from kompas.space.elements import Rejection


def period(since: str, until: str, either_order: bool = True) -> tuple[str, str]:
    """The analysis period [since, until) as ``YYYY-MM-DD`` from two UTC dates (a time after the date is ignored).

    The one period rule of FIMI analyses and reports: both dates must exist. With ``either_order`` (the API's
    ``since``/``until``) two dates in reverse order are the same period and equal dates an empty one; without it
    (the command line's ``--from``/``--to``, where a reversal is a typing mistake) ``until`` must be after
    ``since``. Raises ValueError saying which."""
    days = []
    for name, text in (("since", since), ("until", until)):
        try:
            days.append(date.fromisoformat(text[:10]).isoformat())
        except ValueError:
            raise ValueError(f"{name} {text!r} is not a date YYYY-MM-DD") from None
    if days[1] <= days[0] and not either_order:
        raise ValueError(f"the period is empty: until {days[1]} is not after since {days[0]}")
    first, last = sorted(days)
    return first, last


def _done(store: Store, account: Account, results: Sequence[Ingested], what: str) -> None:
    """Audit each contribution of ``results`` and alert ``fimi-incident`` subscribers of the records touched."""
    for r in results:
        if r.contribution_id:
            audit.append(store.engine, account.name, "contribute", r.contribution_id,
                         "ok" if not r.rejected else "rejected",
                         f"fimi {what}: {r.added} added, {len(r.merged)} merged, {len(r.rejected)} rejected")
    alerts.deliver(store, "fimi-incident", [i for r in results for i in r.ids])


def contribute(store: Store, account: Account, items: Sequence[Incident], rejections: Sequence[Rejection],
               fmt: str, source: str, marking: Marking) -> Ingested:
    """Store incidents read from a file under ``marking`` (same cases merged, :func:`kompas.core.incidents
    .contribute`), the account's organisation the only originator (:func:`kompas.core.stix.contributed_marking`);
    audited; subscribers alerted."""
    done = incidents.contribute(store, account, items, rejections, fmt, source,
                                contributed_marking(marking, account.org))
    _done(store, account, [done], fmt)
    return done


def submit(store: Store, account: Account, items: Sequence[object], marking: Marking, source: str) -> Ingested:
    """Validate incidents in their JSON form (API submissions) and store the good ones; each bad item is a
    rejection with its index and field; the account's organisation the only originator; audited; subscribers
    alerted."""
    done = incidents.submit(store, account, items, contributed_marking(marking, account.org), source)
    _done(store, account, [done], "json")
    return done


def import_stix(store: Store, account: Account, text: str, source: str) -> list[Ingested]:
    """Store the incidents of a STIX 2.1 bundle under their own markings, the importer's organisation the only
    originator (originators the bundle names are replaced); audited; subscribers alerted."""
    results = incidents.import_stix(store, account, text, source)
    _done(store, account, results, "stix")
    return results


@dataclass
class Run:
    """An analysis run: the analysis, its run id, the combined marking of every incident read, and the record ids
    of its stored surges (empty when the run was not stored)."""

    analysis: Any
    run_id: str
    marking: Marking
    surge_ids: list[str]


def analyse(store: Store, viewer: Viewer | None, by: str, since: str, until: str, framework: Any = None,
            clusters: int | None = None, method: str = "auto", store_run: bool = True) -> Run:
    """Analyse the incidents ``viewer`` may see (all for None) in [since, until) (:func:`period`): narrative
    clusters and surges, stored as a run under the combination of every incident's marking; audited as ``by``;
    subscribers to ``fimi-surge`` alerts notified of every stored surge they may see."""
    since, until = period(since, until)
    result, run_id, marking = incidents.run_analysis(store, viewer, since, until, framework, clusters, method,
                                                     store_run=False)
    surge_ids: list[str] = []
    if store_run and result.incidents:
        surge_ids = incidents.save_run(store, run_id, since, until, result.cluster_items(), result.surge_items(),
                                       marking)
        audit.append(store.engine, by, "analyse", f"fimi/analyses/{run_id}", "ok",
                     f"{len(result.incidents)} incidents, {len(surge_ids)} surges")
        alerts.deliver(store, "fimi-surge", surge_ids)
    return Run(result, run_id, marking, surge_ids)
