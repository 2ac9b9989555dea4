"""The Space ISAC on the platform (issue 29), one service for the command line, the API, the web page, TAXII and the
map: members report incidents (the Kompas ISAC JSON form or the Space ISAC's notional reporting format,
:mod:`kompas.isac.reader`) under TLP, PAP and Kompas markings, anonymously, under a pseudonym or named; members see
them as far as their markings allow, enriched from the element sets they may see, clustered into "me too" surges,
linked to ENISA's resilience practices, and exported as STIX 2.1 bundles and MISP events.

**Who reported.** The platform knows: the reporting organisation and user are stored with the report and the audit
log records each report with its author. Other members never learn it unless the report is ``named``: they get the
report as :meth:`kompas.isac.model.IsacReport.as_dict` gives it with ``hide_reporter`` (no reporter, the marking
without originators and without the reporter's code in its releasability list: :attr:`IsacReport.shared_marking`),
its ``source`` blank (a file name may name its sender), the contributor as "anonymous" or the organisation's
platform pseudonym (random, stable: :meth:`kompas.core.store.isac.IsacStore.isac_pseudonyms`), and the markings of
"seen it too" notes without the reporter's or the seer's codes (seers are shown by pseudonym). Platform ids of
reports are random (never derived from the reporter), and the report's event names no reporter. Members of the
reporter's own organisation (and the platform itself: ``viewer`` None) see everything.

**Enrichment** (:func:`enrichment`), at read time for the viewer, from the element sets *they* may see: for each
NORAD id the report names (unless the reporter says the ids are obfuscated), the element sets before and after the
report's start, the orbit, the sub-satellite point and the objects within :data:`NEIGHBOUR_KM` at the time
(:func:`kompas.isac.enrich.enrich`), among the objects with an element set within :data:`ENRICH_WINDOW_DAYS` of
it; and the platform events concerning those objects within the same window. Marked with the combination of the
element sets and events it shows.

**Bounds** (at the boundary): :data:`MAX_REPORTS` reports per upload, :data:`MAX_BODY_BYTES` per upload,
:data:`MAX_CLUSTER_DAYS` days and :data:`MAX_CLUSTER_REPORTS` reports per clustering (a clustering that reaches the
bound says so), :data:`MAX_CANDIDATE_SETS` element sets and :data:`MAX_ENRICHED` objects per enrichment.

**Sources.** OASIS SATIS TC, the Space ISAC's "RF EMI to STIX Notional Mapping" (2025): the reporting elements and
their STIX mapping (:mod:`kompas.isac.stix`); SPARTA (The Aerospace Corporation, sparta.aerospace.org), read from
``../shared`` only, for technique names; ENISA, *Space Threat Landscape* (2025), control framework, CC BY 4.0 (the
workbook from ``../shared``, else the shipped extract), for the resilience practices.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from kompas.constants import MU_WGS84_KM3_S2
from kompas.core import audit
from kompas.core.envelope import Actor, Envelope, Place
from kompas.core.limits import SMALL_BODY_BYTES
from kompas.core.markings import TLP, Marking, MarkingError, Viewer, combine
from kompas.core.store import Account, StoreError
from kompas.core.store.cyber import redact
from kompas.core.store.isac import StoredReport, StoredSeen, stored_report
from kompas.isac.model import (
    DISCLOSURES,
    INTERFERENCE_TYPES,
    PAP,
    Band,
    IsacError,
    IsacReport,
    report_from_dict,
    report_id,
)
from kompas.isac.reader import Contributor, ReadResult
from kompas.rejections import Rejection
from kompas.services.map import LayerError, collection, feature, map_layer
from kompas.times import now_text_ns, parse_time_utc, utc_text_ns

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kompas.core.store import Store
    from kompas.isac.controls import ControlLibrary
    from kompas.isac.sparta import Vocabulary

MAX_REPORTS = 200  #: Most reports one upload holds.
MAX_BODY_BYTES = SMALL_BODY_BYTES  #: Largest upload (bytes): the API's limit for a request body of this kind.
MAX_CLUSTER_DAYS = 31  #: Longest window one clustering reads (days).
MAX_CLUSTER_REPORTS = 5000  #: Most reports one clustering reads (the newest; the answer says when it reached it).
MAX_CANDIDATE_SETS = 100_000  #: Most element sets one enrichment reads to find neighbours.
MAX_ENRICHED = 20  #: Most of a report's objects enriched.
ENRICH_WINDOW_DAYS = 2.0  #: Element sets (neighbours) and events within this many days of the report's start.
NEIGHBOUR_KM = 50.0  #: Radius of the neighbours listed (km).
MAX_NOTE = 2000  #: Longest "seen it too" note (characters).
FORMATS = ("json", "notional")
EVENT_TYPE = "isac-report"
SEVERITY = {"destruction": "high", "denial": "high", "disruption": "medium", "degradation": "medium", "none": "low",
            "unknown": "medium"}  #: impact level -> event severity (an unrated report is neither low nor high)
PUBLIC = Marking(tlp=TLP.CLEAR)
SPARTA_ATTRIBUTION = ("SPARTA (Space Attack Research and Tactic Analysis), The Aerospace Corporation, "
                      "sparta.aerospace.org, via the MISP galaxy (read from ../shared; not redistributed)")
SATIS_ATTRIBUTION = ("OASIS Space Automated Threat Intelligence Sharing (SATIS) TC: the Space ISAC's contribution "
                     "'RF EMI to STIX Notional Mapping' (2025), the reporting elements and their STIX 2.1 mapping")
ATTRIBUTION = "; ".join([SATIS_ATTRIBUTION, SPARTA_ATTRIBUTION, "ENISA Space Threat Landscape (2025), CC BY 4.0"])

__all__ = ["ENRICH_WINDOW_DAYS", "FORMATS", "MAX_BODY_BYTES", "MAX_CLUSTER_DAYS", "MAX_CLUSTER_REPORTS", "MAX_NOTE",
           "MAX_REPORTS", "LayerParameters", "Reported", "clusters", "controls", "detect", "enrichment", "envelope",
           "export", "layer", "listing", "one", "reference", "report", "report_of", "seen", "shown_marking",
           "taxii_source", "view", "warm"]


# --- reference data: SPARTA names, ENISA's controls --------------------------------------------------------------

_reading = threading.Lock()


@dataclass(frozen=True)
class Reference:
    """SPARTA's vocabulary (None without ../shared), ENISA's control library (the workbook from ../shared, else the
    shipped extract) and notes on what is missing."""

    vocabulary: Vocabulary | None
    library: ControlLibrary
    notes: tuple[str, ...]


def reference() -> Reference:
    """The reference data, read once per process (concurrent first callers wait for one reading)."""
    with _reading:
        return _reference()


@lru_cache(maxsize=1)
def _reference() -> Reference:
    from kompas.isac.load import load_library, load_vocabulary
    from kompas.locate import shared_data

    notes = []
    vocabulary = None
    sparta = shared_data("space-threats/sparta")
    if sparta is not None and (sparta / "sparta-techniques.json").exists():
        try:
            vocabulary = load_vocabulary(sparta)
        except (OSError, ValueError) as error:
            notes.append(f"SPARTA not read ({error}): technique ids are checked on their form only")
    else:
        notes.append("SPARTA is read from ../shared/data/space-threats/sparta only (absent here): technique ids are "
                     "checked on their form only")
    library = None
    enisa = shared_data("space-threats/enisa")
    workbook = None if enisa is None else enisa / "enisa-space-threat-landscape-2025_control-framework.xlsx"
    if workbook is not None and workbook.exists():
        try:
            library = load_library(workbook)
        except (OSError, ValueError) as error:
            notes.append(f"ENISA's workbook not read ({error}): the shipped extract is used")
    if library is None:
        library = load_library()
        notes.append("ENISA controls: the shipped extract (jamming, spoofing, electromagnetic interference, seizure of "
                     "control), not the whole framework (../shared/data/space-threats/enisa is absent)")
    return Reference(vocabulary, library, tuple(notes))


def warm() -> None:
    """Read the reference data now (a failure is left for the first request to report)."""
    with contextlib.suppress(OSError, ValueError):
        reference()


# --- reporting ----------------------------------------------------------------------------------------------------


@dataclass
class Reported:
    """What one upload did: the platform ids of the reports added and replaced, the records rejected and the
    warnings on reports that went through (source, item or line, field, reason), and notes."""

    source: str
    format: str
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pseudonym: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "format": self.format, "added": self.added, "replaced": self.replaced,
                "rejected": [r.as_dict() for r in self.rejected], "warnings": [w.as_dict() for w in self.warnings],
                "notes": self.notes, "pseudonym": self.pseudonym}


def detect(text: str) -> str:
    """``json`` when the text is a JSON object or list, else ``notional``."""
    return "json" if text.lstrip()[:1] in ("{", "[") else "notional"


def _marking_dict(marking: Marking) -> dict[str, Any]:
    return {k: v for k, v in marking.as_dict().items() if k != "banner"}


def _records(data: Any) -> list[Any] | None:  # noqa: ANN401 (decoded JSON)
    if isinstance(data, Mapping) and isinstance(data.get("reports"), list):
        return list(data["reports"])
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        return [data]
    return None


def _json_reports(text: str, source: str, account: Account, default: Marking, pap: PAP, disclosure: str,
                  pseudonym: str) -> tuple[list[tuple[int, IsacReport]], ReadResult]:
    """The reports of Kompas ISAC JSON text (:mod:`kompas.isac.reader`), each with its item number. A record that
    states no marking gets ``default`` (with its own ``tlp`` when it gives one), no PAP ``pap``, no disclosure
    ``disclosure``; the reporter is always ``account``'s organisation (a record naming another is rejected), the
    pseudonym the platform's (given only to pseudonymous reports), the reported time now unless stated."""
    out = ReadResult()
    found: list[tuple[int, IsacReport]] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        out.rejections.append(Rejection(source, 0, "", f"not JSON: {error.msg} (line {error.lineno})", unit="item"))
        return found, out
    except RecursionError:
        out.rejections.append(Rejection(source, 0, "", "JSON nested too deeply", unit="item"))
        return found, out
    records = _records(data)
    if records is None:
        out.rejections.append(Rejection(source, 0, "", "not Kompas ISAC JSON (a report object, a list of them or "
                                        "{'reports': [...]})", unit="item"))
        return found, out
    if len(records) > MAX_REPORTS:
        raise StoreError(f"{source}: {len(records)} reports; at most {MAX_REPORTS} in one upload")
    now = now_text_ns()
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            out.rejections.append(Rejection(source, number, "", "not a JSON object", unit="item"))
            continue
        record = dict(record)
        named = str(record.get("reporter") or "").strip().upper()
        if named and named != account.org:
            out.rejections.append(Rejection(source, number, "reporter", f"you report as {account.org}, not as another "
                                            "organisation", named, unit="item"))
            continue
        if record.get("marking") is None:
            light = record.pop("tlp", None)
            own = default
            if light is not None:
                try:
                    own = replace(default, tlp=TLP.parse(str(light)))
                except MarkingError as error:
                    out.rejections.append(Rejection(source, number, "tlp", str(error), str(light), unit="item"))
                    continue
            record["marking"] = _marking_dict(own)
        record.setdefault("pap", pap.name)
        record.setdefault("disclosure", disclosure)
        given = str(record.get("pseudonym") or "").strip()
        record["reporter"] = account.org
        record["pseudonym"] = pseudonym if record.get("disclosure") == "pseudonymous" else ""
        if given and given != record["pseudonym"]:
            out.warnings.append(Rejection(source, number, "pseudonym", "the platform gives the pseudonym: "
                                          f"{record['pseudonym'] or 'none (not pseudonymous)'} is used", given,
                                          unit="item"))
        record.setdefault("reported_utc", now)
        fallback = "" if record.get("id") else report_id(source, str(number), str(record.get("title")),
                                                            str(record.get("start_utc")))
        try:
            report = report_from_dict(record, fallback)
        except IsacError as error:
            out.rejections.append(Rejection(source, number, error.field, error.reason, error.value, unit="item"))
            continue
        if not report.source:
            report = replace(report, source=f"{source}#{number}")
        found.append((number, report))
    return found, out


def _named_in_text(report: IsacReport, account: Account) -> list[str]:
    """The free-text fields of ``report`` that name ``account``'s organisation or user (what an anonymous or
    pseudonymous reporter may not mean to tell other members)."""
    import re

    words = [re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])", re.IGNORECASE) for w in (account.org, account.name)
             if len(w) >= 3]
    fields = {"title": report.title, "summary": report.summary, "payload_impact": report.payload_impact,
              "event_association": report.event_association, "constellation": report.constellation,
              "ground_station": report.ground_station, "references": " ".join(report.references),
              "locations": " ".join(f"{p.label} {p.region}" for p in report.locations),
              "satellites": " ".join(s.name for s in report.satellites)}
    return [name for name, text in fields.items() if any(w.search(text) for w in words)]


def report(store: Store, account: Account, text: str, source: str = "api", fmt: str | None = None,
           marking: Marking | None = None, pap: str | PAP = PAP.AMBER, disclosure: str = "anonymous") -> Reported:
    """Share ``account``'s organisation's reports: Kompas ISAC JSON (one report, a list, ``{"reports": [...]}``)
    or one report in the Space ISAC notional format (``fmt``; default: recognised from the text). A report stating
    no marking, PAP or disclosure takes ``marking`` (default UNCLASSIFIED // TLP:AMBER), ``pap`` and
    ``disclosure``; the account's organisation is its originator and reporter. A record that cannot be read, or
    whose marking the account may not give, is rejected (its item, field, reason); SPARTA ids the vocabulary does
    not hold are dropped with a warning, and free text naming the reporter of an anonymous or pseudonymous report is
    warned about. Each report is stored with its event (domain ``isac``) and audited with its author. StoreError for
    an upload over the bounds or an unknown format or disclosure; MarkingError for a default marking the account may
    not give."""
    from kompas.core.stix import contributed_marking
    from kompas.isac.reader import parse_notional
    from kompas.isac.sparta import check_ids

    if len(text.encode()) > MAX_BODY_BYTES:
        raise StoreError(f"{source}: larger than {MAX_BODY_BYTES} bytes")
    fmt = fmt or detect(text)
    if fmt not in FORMATS:
        raise StoreError(f"format must be one of {', '.join(FORMATS)}")
    if disclosure not in DISCLOSURES:
        raise StoreError(f"disclosure must be one of {', '.join(DISCLOSURES)}")
    level = pap if isinstance(pap, PAP) else _pap(pap)
    default = contributed_marking(marking or Marking.build(originator=account.org), account.org)
    store.check_marking(account, default)
    pseudonym = store.isac_pseudonyms([account.org])[account.org]
    ref = reference()
    done = Reported(source, fmt, pseudonym=pseudonym if disclosure == "pseudonymous" else "")
    if fmt == "json":
        found, read = _json_reports(text, source, account, default, level, disclosure, pseudonym)
    else:
        who = Contributor(account.org, pseudonym if disclosure == "pseudonymous" else "", disclosure, default, level,
                          now_text_ns())
        read = parse_notional(text, source, 1, who, ref.vocabulary)
        found = [(1, r) for r in read.reports]
    done.rejected += read.rejections
    done.warnings += read.warnings
    items: list[tuple[IsacReport, Marking]] = []
    for number, found_report in found:
        given = contributed_marking(found_report.marking, account.org)
        try:
            store.check_marking(account, given)
        except MarkingError as error:
            done.rejected.append(Rejection(source, number, "marking", str(error), given.banner(), unit="item"))
            continue
        kept = replace(found_report, marking=given, reporter=account.org)
        if fmt == "json" and kept.sparta_ids:
            checked = check_ids(kept.sparta_ids, ref.vocabulary, source, number)
            done.warnings += [replace(r, reason=r.reason + ": left out") for r in checked.rejections]
            kept = replace(kept, sparta_ids=checked.accepted)
        if kept.disclosure != "named":
            for name in _named_in_text(kept, account):
                done.warnings.append(Rejection(source, number, name, f"names your organisation or you: other "
                                               f"members read it as written (the report is {kept.disclosure})",
                                               unit="item"))
        items.append((kept, given))
    if any(kept.disclosure == "pseudonymous" for kept, _ in items):
        done.pseudonym = pseudonym
    if items:
        stored = store.add_isac_reports(account, items, _events)
        for (kept, given), (platform_id, again) in zip(items, stored, strict=True):
            (done.replaced if again else done.added).append(platform_id)
            audit.append(store.engine, account.name, "isac-report", f"isac/reports/{platform_id}", "ok",
                         f"{'replaced' if again else 'added'} by {account.org} ({kept.disclosure}), "
                         f"{given.banner()}, {kept.pap.label}, from {source[:80]}")
    done.rejected.sort(key=lambda r: r.line)
    done.warnings.sort(key=lambda r: r.line)
    if ref.vocabulary is None and fmt == "json":
        done.notes += [n for n in ref.notes if n.startswith("SPARTA")]
    return done


def _pap(text: str) -> PAP:
    try:
        return PAP.parse(text)
    except IsacError as error:
        raise StoreError(f"pap: {error.reason}") from None


def envelope(report: IsacReport) -> Envelope:
    """The event of a stored report (``report.id`` its platform id): domain ``isac``, type ``isac-report``, from its
    start to its stop, its affected satellites as targets (not when their ids are obfuscated: they name other, real
    objects), its first point as the place, severity from its impact level; the payload names the contributor as
    other members see it (never the reporter unless named), the SPARTA and ATT&CK techniques, and the segment."""
    norad = () if report.norad_ids_obfuscated else report.norad_ids
    names = {s.norad_id: s.name for s in report.satellites}
    actors = [Actor("target", "space-object", str(n), names.get(n) or "") for n in norad]
    point = next((p for p in report.locations if p.point and p.kind == "interference"),
                 next((p for p in report.locations if p.point), None))
    band = report.band
    evidence: dict[str, Any] = {"locations": len(report.locations), "satellites": len(report.satellites)}
    if band is not None and band.range_mhz is not None:
        evidence |= {"band_low_mhz": band.range_mhz[0], "band_high_mhz": band.range_mhz[1], "band": band.letter}
    payload = {"report_id": report.id, "interference": report.interference, "family": report.family,
               "segment": report.segment, "impact_level": report.impact_level, "pap": report.pap.label,
               "contributor": report.contributor, "disclosure": report.disclosure, "sectors": ["space"],
               "techniques": [*report.sparta_ids, *report.attack_ids], "link": report.link,
               "post_event_status": report.post_event_status}
    stop = report.stop_utc or report.start_utc
    return Envelope(id=report.id, domain="isac", type=EVENT_TYPE, time_utc=report.start_utc,
                    start_utc=report.start_utc, end_utc=stop, title=report.title[:300],
                    severity=SEVERITY[report.impact_level], confidence=None, actors=tuple(actors),
                    place=Place(None if point is None else point.lat_deg, None if point is None else point.lon_deg,
                                tuple(norad)),
                    evidence=evidence, payload=payload, source="isac")


def _events(report: IsacReport, stored: Marking) -> list[tuple[Envelope, Marking]]:
    """The event of a stored report, under the report's marking as shared (no reporter named in it)."""
    return [(envelope(report), replace(report, marking=stored).shared_marking)]


# --- views --------------------------------------------------------------------------------------------------------


def report_of(stored: StoredReport) -> IsacReport:
    """The :class:`IsacReport` of a stored one: its platform id, its stored marking, its reporter."""
    body = dict(stored.body)
    body.pop("marking", None)
    body.pop("tlp", None)
    return replace(report_from_dict(body), id=stored.id, marking=stored.marking, reporter=stored.org)


def _own(viewer: Viewer | None, org: str) -> bool:
    return viewer is None or viewer.org == org


def shown_marking(stored: StoredReport, viewer: Viewer | None) -> Marking:
    """The report's marking as ``viewer`` is shown it: whole to its own organisation (and the platform), else as
    shared (:attr:`IsacReport.shared_marking`: no originators, not the reporter's code, unless named)."""
    return stored.marking if _own(viewer, stored.org) else _shared(stored)


def _shared(stored: StoredReport) -> Marking:
    """:attr:`IsacReport.shared_marking` of a stored report (its reporter the stored organisation), without
    rebuilding the report."""
    m = stored.marking
    if stored.disclosure == "named":
        return m
    own = {stored.org} | set(m.originators)
    return Marking(m.classification, m.tlp, None if m.releasable_to is None else m.releasable_to - own, m.clauses,
                   frozenset(), m.caveats)


def _seen_view(item: StoredSeen, stored: StoredReport, viewer: Viewer | None, pseudonyms: Mapping[str, str]
               ) -> dict[str, Any]:
    mine = _own(viewer, item.org)
    marking = item.marking
    if not _own(viewer, stored.org) and stored.disclosure != "named":
        marking = redact(marking, stored.org)
    if not mine:
        marking = redact(marking, item.org)
    return {"by": item.org if mine else pseudonyms.get(item.org, "member"), "yours": mine and viewer is not None,
            "at_utc": item.at_utc, "note": item.note, "marking": marking.as_dict()}


def view(stored: StoredReport, viewer: Viewer | None, seen: Sequence[StoredSeen] = (),
         pseudonyms: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A report as ``viewer`` may be shown it (module docstring): the report's fields, ``contributor`` (the
    organisation when named, the pseudonym, or "anonymous"), ``yours`` (your organisation reported it), its marking
    as shown, and the "seen it too" notes ``seen`` the viewer may see (seers by pseudonym)."""
    own = _own(viewer, stored.org)
    report = report_of(stored)
    body = report.as_dict(hide_reporter=not own)
    if not own:
        body["source"] = ""
    marking = shown_marking(stored, viewer)
    names = pseudonyms or {}
    mine = [x for x in seen if x.report_id == stored.id]
    out = body | {"id": stored.id, "contributor": report.contributor, "yours": own and viewer is not None,
                  "family": report.family, "added_utc": stored.added_utc, "marking": marking.as_dict(),
                  "band_itu": report.band.itu if report.band else "",
                  "seen": [_seen_view(x, stored, viewer, names) for x in mine], "seen_count": len(mine)}
    if own:
        out["source_id"] = stored.source_id
    return out


def _views(store: Store, viewer: Viewer | None, rows: Sequence[StoredReport]) -> tuple[list[dict[str, Any]],
                                                                                       list[Marking]]:
    """The views of ``rows`` with their "seen it too" (one read), and every marking shown."""
    seen = store.isac_seen(viewer, [r.id for r in rows])
    pseudonyms = store.isac_pseudonyms({x.org for x in seen if not _own(viewer, x.org)})
    items = [view(r, viewer, seen, pseudonyms) for r in rows]
    markings = [Marking.from_dict(dict(i["marking"])) for i in items]
    markings += [Marking.from_dict(dict(s["marking"])) for i in items for s in i["seen"]]
    return items, markings


def _band(letter: str | None, low_mhz: float | None, high_mhz: float | None) -> tuple[float, float] | None:
    if letter:
        try:
            found = Band(letter=letter).range_mhz
        except IsacError as error:
            raise StoreError(f"band: {error.reason}") from None
        if found is None:
            raise StoreError("band: no range")
        low, high = found
        if low_mhz is not None or high_mhz is not None:
            raise StoreError("give a band letter or band_low_mhz/band_high_mhz, not both")
        return low, high
    if low_mhz is None and high_mhz is None:
        return None
    if low_mhz is None or high_mhz is None or not 0 < low_mhz <= high_mhz or not math.isfinite(high_mhz):
        raise StoreError("band_low_mhz and band_high_mhz go together, 0 < low <= high (MHz)")
    return low_mhz, high_mhz


def _utc(text: str | None, name: str) -> str | None:
    if text is None:
        return None
    try:
        return utc_text_ns(parse_time_utc(text))
    except ValueError as error:
        raise StoreError(f"{name}: {error}") from None


def listing(store: Store, viewer: Viewer | None, *, since: str | None = None, until: str | None = None,
            interference: Sequence[str] = (), band: str | None = None, band_low_mhz: float | None = None,
            band_high_mhz: float | None = None, norad_id: int | None = None, cluster: str | None = None,
            after: str | None = None, limit: int = 100, sort: str = "-start") -> dict[str, Any]:
    """The reports ``viewer`` may see (:func:`view`), newest start first (``sort`` ``start``: oldest first), with the
    true total: started in [since, until), of the ``interference`` types, with a band overlapping the letter
    ``band`` or [band_low_mhz, band_high_mhz], naming ``norad_id``, members of ``cluster`` (a cluster id of
    :func:`clusters` over the same window; default window: the last :data:`MAX_CLUSTER_DAYS` days); the page's
    ``next`` cursor and the combined marking of everything shown. ``viewer`` None: the platform's own view."""
    unknown = [k for k in interference if k not in INTERFERENCE_TYPES]
    if unknown:
        raise StoreError(f"interference {unknown[0]!r} is not one of {', '.join(INTERFERENCE_TYPES)}")
    first, last = _utc(since, "since"), _utc(until, "until")
    ids: list[str] | None = None
    if cluster is not None:
        found = clusters(store, viewer, since, until, singletons=True)
        ids = next((c["members_ids"] for c in found["clusters"] if c["id"] == cluster), [])
    page = store.isac_reports(viewer, after=after, limit=limit, sort=sort, since_utc=first,
                              until_utc=last, interference=tuple(interference),
                              band_mhz=_band(band, band_low_mhz, band_high_mhz), norad_id=norad_id, ids=ids)
    items, markings = _views(store, viewer, page.items)
    return {"items": items, "next": page.next, "total": page.total,
            "marking": (combine(markings) if markings else PUBLIC).as_dict()}


def one(store: Store, viewer: Viewer | None, report_id: str, enrich: bool = True) -> dict[str, Any] | None:
    """One report as ``viewer`` may see it (:func:`view`), with its enrichment (:func:`enrichment`) unless not
    ``enrich``; ``marking``: the report's as shown, and ``answer_marking`` the combination of everything in the
    answer. None when it does not exist or the viewer may not see it."""
    stored = store.isac_report(viewer, report_id)
    if stored is None:
        return None
    items, markings = _views(store, viewer, [stored])
    out = items[0]
    if enrich:
        out["enrichment"] = enrichment(store, viewer, report_of(stored))
        markings.append(Marking.from_dict(dict(out["enrichment"]["marking"])))
    out["answer_marking"] = combine(markings).as_dict()
    return out


# --- enrichment ---------------------------------------------------------------------------------------------------

_SHELL_MARGIN_KM = 50.0  #: slack on a candidate's mean-element perigee and apogee (short-period terms, drag)


def _shell_km(fields: Mapping[str, Any]) -> tuple[float, float] | None:
    """Perigee and apogee radius (km) of an element set's OMM fields (mean motion rev/day, eccentricity)."""
    try:
        n = float(fields.get("MEAN_MOTION") or fields.get("mean_motion") or 0.0)
        e = float(fields.get("ECCENTRICITY") or fields.get("eccentricity") or 0.0)
    except (TypeError, ValueError):
        return None
    if not (n > 0 and 0 <= e < 1 and math.isfinite(n)):
        return None
    a = (MU_WGS84_KM3_S2 / (n * 2 * math.pi / 86400.0) ** 2) ** (1 / 3)  # Kepler's third law
    return a * (1 - e), a * (1 + e)


def enrichment(store: Store, viewer: Viewer | None, report: IsacReport) -> dict[str, Any]:
    """The space-segment enrichment of ``report`` for ``viewer`` (module docstring): per object (at most
    :data:`MAX_ENRICHED`) the element sets before and after the report's start, orbit regime, perigee and apogee
    heights (km), inclination (degrees), the set's age (days), the sub-satellite point (degrees, km) and the
    objects within :data:`NEIGHBOUR_KM` (km, among those with an element set within :data:`ENRICH_WINDOW_DAYS`);
    the platform events concerning those objects within that window; ``notes``; ``marking``: the combination of
    the element sets and events it shows (UNCLASSIFIED // TLP:CLEAR when it shows none)."""
    from sqlalchemy import select

    from kompas.core.models import ElementSetRecord as _E
    from kompas.isac.enrich import enrich
    from kompas.space import omm

    out: dict[str, Any] = {"time_utc": report.start_utc, "window_days": ENRICH_WINDOW_DAYS,
                           "radius_km": NEIGHBOUR_KM, "objects": [], "events": [], "notes": []}
    if report.norad_ids_obfuscated:
        out["notes"].append("the reporter says its NORAD ids are obfuscated: they name other, real objects, so they "
                            "are not enriched")
        out["marking"] = PUBLIC.as_dict()
        return out
    norads = list(report.norad_ids[:MAX_ENRICHED])
    if len(report.norad_ids) > MAX_ENRICHED:
        out["notes"].append(f"only the first {MAX_ENRICHED} of {len(report.norad_ids)} objects are enriched")
    if not norads:
        out["notes"].append("the report names no NORAD id: nothing to enrich from the catalogue")
        out["marking"] = PUBLIC.as_dict()
        return out
    when = parse_time_utc(report.start_utc)
    span = np.timedelta64(int(ENRICH_WINDOW_DAYS * 86400), "s")
    first, last = utc_text_ns(when - span), utc_text_ns(when + span)
    stamp = utc_text_ns(when)
    used: list[Marking] = []
    own: list[tuple[Any, int, str]] = []  # (element set, marking id, record id)
    with store.session(viewer) as s:
        for norad in norads:
            for query in (select(_E).where(_E.norad_id == norad, _E.epoch_utc <= stamp)
                          .order_by(_E.epoch_utc.desc(), _E.id).limit(1),
                          select(_E).where(_E.norad_id == norad, _E.epoch_utc > stamp)
                          .order_by(_E.epoch_utc, _E.id).limit(1)):
                row = s.scalar(query)
                if row is not None:
                    elset, _ = omm.elements_from_fields(row.fields, f"element set {row.id}", 0)
                    if elset is not None:
                        own.append((replace(elset, name=elset.name or row.name), row.marking_id, row.id))
        rows = s.execute(select(_E.id, _E.norad_id, _E.epoch_utc, _E.name, _E.fields, _E.marking_id)
                         .where(_E.epoch_utc >= first, _E.epoch_utc <= last, _E.norad_id.not_in(norads))
                         .limit(MAX_CANDIDATE_SETS + 1)).all()
        markings = {mid: store.marking_of(s, mid) for mid in {m for _, m, _ in own} | {r.marking_id for r in rows}}
    if len(rows) > MAX_CANDIDATE_SETS:
        out["notes"].append(f"more than {MAX_CANDIDATE_SETS} element sets near the time: neighbours were looked for "
                            f"among the first {MAX_CANDIDATE_SETS} read")
        rows = rows[:MAX_CANDIDATE_SETS]
    shells = [sh for e, _, _ in own if (sh := _shell_km({"MEAN_MOTION": e.mean_motion_rev_day,
                                                        "ECCENTRICITY": e.eccentricity}))]
    low = min((sh[0] for sh in shells), default=0.0) - NEIGHBOUR_KM - _SHELL_MARGIN_KM
    high = max((sh[1] for sh in shells), default=0.0) + NEIGHBOUR_KM + _SHELL_MARGIN_KM
    nearest: dict[int, Any] = {}
    for candidate in rows:  # per object the set nearest the time, among those whose shell meets the objects' shells
        shell = _shell_km(candidate.fields or {})
        if shell is None or shell[1] < low or shell[0] > high:
            continue
        gap = abs(int((parse_time_utc(candidate.epoch_utc) - when) / np.timedelta64(1, "s")))
        if candidate.norad_id not in nearest or gap < nearest[candidate.norad_id][0]:
            nearest[candidate.norad_id] = (gap, candidate)
    candidates: dict[int, tuple[Any, int]] = {}
    for norad, (_, chosen) in nearest.items():
        elset, _ = omm.elements_from_fields(chosen.fields, f"element set {chosen.id}", 0)
        if elset is not None:
            candidates[norad] = (replace(elset, name=elset.name or chosen.name), chosen.marking_id)
    found = enrich(norads, when, [e for e, _, _ in own], [e for e, _ in candidates.values()], NEIGHBOUR_KM)
    by_epoch = {(e.norad_id, str(e.epoch_utc)): (mid, rid) for e, mid, rid in own}
    for item in found:
        entry: dict[str, Any] = item.as_dict()
        for key, elset in (("before", item.before), ("after", item.after)):
            if elset is not None:
                mid, rid = by_epoch[(elset.norad_id, str(elset.epoch_utc))]
                used.append(markings[mid])
                entry[f"{key}_element_set_id"] = rid
                entry[f"{key}_marking"] = markings[mid].as_dict()
        for neighbour in entry["neighbours"]:
            mark = markings[candidates[neighbour["norad_id"]][1]]
            neighbour["marking"] = mark.as_dict()
            used.append(mark)
        out["objects"].append(entry)
    if not candidates:
        out["notes"].append(f"no other object's element set you may see lies within {ENRICH_WINDOW_DAYS:g} days of "
                            "the time and near the reported objects' orbits: no neighbours to look for")
    seen_events: set[str] = set()
    for norad in norads:
        if viewer is None:
            break  # the platform's own view: the events listing serves users
        page = store.events(viewer, norad_id=norad, since_utc=first, until_utc=last, limit=50)
        for event in page.items:
            if event["id"] == report.id or event["id"] in seen_events:
                continue
            seen_events.add(event["id"])
            out["events"].append({k: event[k] for k in ("id", "domain", "type", "title", "time_utc", "severity",
                                                        "norad_ids", "marking")})
            used.append(Marking.from_dict(dict(event["marking"])))
    out["marking"] = (combine(used) if used else PUBLIC).as_dict()
    return out


# --- seen it too --------------------------------------------------------------------------------------------------


def seen(store: Store, account: Account, report_id: str, note: str = "", marking: Marking | None = None
         ) -> dict[str, Any] | None:
    """Record that ``account``'s organisation saw another member's report too (:meth:`IsacStore.add_isac_seen`),
    audited; the note as the account sees it, and the report's "seen it too" count now. None when the account may
    not see the report. StoreError for its own organisation's report or a note over :data:`MAX_NOTE` characters;
    MarkingError for a marking it may not give."""
    from kompas.core.stix import contributed_marking

    if len(note) > MAX_NOTE:
        raise StoreError(f"note: at most {MAX_NOTE} characters")
    given = None if marking is None else contributed_marking(marking, account.org)
    done = store.add_isac_seen(account, report_id, given, note)
    if done is None:
        return None
    audit.append(store.engine, account.name, "isac-seen", f"isac/reports/{report_id}", "ok",
                 f"seen too by {account.org}, {done.marking.banner()}")
    stored = store.isac_report(account.viewer, report_id)
    rows = store.isac_seen(account.viewer, [report_id])
    if stored is None:  # withdrawn in between: the note as stored
        return {"report_id": report_id, "seen": {}, "seen_count": len(rows), "marking": done.marking.as_dict()}
    shown = _seen_view(done, stored, account.viewer, {})
    return {"report_id": report_id, "seen": shown, "seen_count": len(rows), "marking": shown["marking"]}


# --- clusters -----------------------------------------------------------------------------------------------------


def _window(since: str | None, until: str | None) -> tuple[str, str]:
    """[since, until) as stored-form times (default: the :data:`MAX_CLUSTER_DAYS` days to now); StoreError beyond
    :data:`MAX_CLUSTER_DAYS` days or out of order."""
    last = parse_time_utc(until) if until else parse_time_utc(now_text_ns())
    first = parse_time_utc(since) if since else last - np.timedelta64(MAX_CLUSTER_DAYS, "D")
    if first >= last:
        raise StoreError("until must be after since")
    if last - first > np.timedelta64(MAX_CLUSTER_DAYS, "D"):
        raise StoreError(f"at most {MAX_CLUSTER_DAYS} days between since and until")
    return utc_text_ns(first), utc_text_ns(last)


def clusters(store: Store, viewer: Viewer | None, since: str | None = None, until: str | None = None,
             window_h: float = 6.0, radius_km: float = 500.0, surge_reports: int = 3, surge_reporters: int = 2,
             singletons: bool = False) -> dict[str, Any]:
    """Clusters of similar reports among those ``viewer`` may see started in [since, until) (at most
    :data:`MAX_CLUSTER_DAYS` days, the newest :data:`MAX_CLUSTER_REPORTS`): :func:`kompas.isac.cluster.
    cluster_reports` with these thresholds, each cluster with its members as the viewer may see them, the surge
    flag ("me too": at least ``surge_reports`` reports from ``surge_reporters`` members within ``window_h``) and
    the combination of its members' markings; single reports only with ``singletons``. Distinct reporters are
    counted on who reported (the platform knows), never named."""
    from kompas.isac.cluster import ClusterParams, cluster_reports

    try:
        first, last = _window(since, until)
    except ValueError as error:
        raise StoreError(str(error)) from None
    try:
        params = ClusterParams(window_h, radius_km, surge_reports, surge_reporters)
    except ValueError as error:
        raise StoreError(str(error)) from None
    rows, more = store.isac_window(viewer, first, last, MAX_CLUSTER_REPORTS)
    by_id = {r.id: r for r in rows}
    reports = [report_of(r) for r in rows]
    found = cluster_reports(reports, params)
    titles = {r.id: r for r in reports}
    out, used = [], []
    for c in found:
        if c.size < 2 and not singletons:
            continue
        marks = [shown_marking(by_id[m], viewer) for m in c.members]
        used += marks
        out.append(c.as_dict() | {
            "members": [{"id": m, "title": titles[m].title, "start_utc": titles[m].start_utc,
                         "interference": titles[m].interference, "contributor": titles[m].contributor,
                         "yours": viewer is not None and by_id[m].org == viewer.org,
                         "marking": marks[k].as_dict()} for k, m in enumerate(c.members)],
            "members_ids": list(c.members), "marking": combine(marks).as_dict()})
    notes = [f"only the newest {MAX_CLUSTER_REPORTS} reports of the window were read"] if more else []
    return {"since_utc": first, "until_utc": last, "reports": len(rows), "truncated": more,
            "params": {"window_h": window_h, "radius_km": radius_km, "surge_reports": surge_reports,
                       "surge_reporters": surge_reporters},
            "clusters": out, "surges": sum(1 for c in out if c["surge"]), "notes": notes,
            "marking": (combine(used) if used else PUBLIC).as_dict()}


# --- resilience practices and exports ---------------------------------------------------------------------------


def controls(store: Store, viewer: Viewer | None, report_id: str) -> dict[str, Any] | None:
    """ENISA's controls for the threats of a report's interference type (:meth:`kompas.isac.controls.
    ControlLibrary.for_interference`: Kompas's mapping of its types to ENISA's threats), with the attribution; marked
    as the report is shown (the controls are public, their link to the report is not). None when the report is not
    visible."""
    from kompas.isac.controls import ATTRIBUTION as ENISA
    from kompas.isac.controls import INTERFERENCE_THREATS

    stored = store.isac_report(viewer, report_id)
    if stored is None:
        return None
    report = report_of(stored)
    ref = reference()
    pairs = ref.library.for_interference(report.interference)
    return {"report_id": report_id, "interference": report.interference,
            "threats": list(INTERFERENCE_THREATS[report.interference]),
            "controls": [{"threat": threat} | c.as_dict() for threat, c in pairs],
            "mapping": "Kompas's mapping of its interference types to ENISA's threats (a judgement, not ENISA's: "
                       "kompas.isac.controls)",
            "attribution": ENISA, "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
            "library": "ENISA's whole control framework" if not any("extract" in n for n in ref.notes)
            else "the shipped extract of ENISA's control framework",
            "notes": [n for n in ref.notes if n.startswith("ENISA")],
            "marking": shown_marking(stored, viewer).as_dict()}


def export(store: Store, viewer: Viewer | None, report_id: str, fmt: str) -> tuple[dict[str, Any], Marking] | None:
    """A report as ``viewer`` may see it as a STIX 2.1 bundle (``fmt`` ``stix``: :func:`kompas.isac.stix.
    export_stix`, with SPARTA's names when at hand and ENISA's controls as courses of action) or a MISP event
    (``misp``), and the marking it carries: the report's as shared (never naming an anonymous or pseudonymous
    reporter, whoever exports it; without the name of the file or channel it was read from). None when the report
    is not visible."""
    from kompas.isac.misp import export_misp
    from kompas.isac.stix import export_stix

    if fmt not in ("stix", "misp"):
        raise StoreError("format must be stix or misp")
    stored = store.isac_report(viewer, report_id)
    if stored is None:
        return None
    report = replace(report_of(stored), source="")  # where it was read from may name its sender
    ref = reference()
    if fmt == "stix":
        return export_stix([report], ref.vocabulary, ref.library), report.shared_marking
    return export_misp(report, ref.vocabulary), report.shared_marking


# --- TAXII 2.1 and the map ----------------------------------------------------------------------------------------


def taxii_source(s: Session, store: Store, viewer: Viewer, after: tuple[str, str] | None, limit: int,
                 ids: frozenset[str] | None) -> list[Any]:
    """The Space ISAC reports as TAXII rows (:mod:`kompas.services.taxii`), by time added: each report's STIX 2.1
    objects as :func:`export` writes them (never naming an anonymous or pseudonymous reporter). ``ids`` is left to
    the page, which filters objects."""
    from sqlalchemy import and_, or_, select

    from kompas.core.models import IsacReportRecord as _R
    from kompas.isac.stix import export_stix
    from kompas.services.taxii import Row

    del ids
    query = select(_R).order_by(_R.added_utc, _R.id).limit(limit)
    if after is not None:
        query = query.where(or_(_R.added_utc > after[0], and_(_R.added_utc == after[0], _R.id > after[1])))
    ref = reference()
    return [Row(r.added_utc, r.id, export_stix([replace(report_of(stored_report(store, s, r)), source="")],
                                               ref.vocabulary, ref.library)["objects"]) for r in s.scalars(query)]


def _register_taxii() -> None:
    from kompas.services.taxii import Collection, collection_id, register

    register(Collection(collection_id("isac"), "Space ISAC reports",
                        "Space ISAC incident reports you may see, as the OASIS SATIS work maps them to STIX 2.1 "
                        "(report, incidents, satellites, places, SPARTA and ATT&CK techniques, ENISA controls as "
                        "courses of action), under their TLP, PAP and EU classification markings; contributors "
                        "anonymous or pseudonymous unless they asked to be named", taxii_source))


_register_taxii()


#: A UTC day or time of the years 1900-2199 (the layer's since and until).
LAYER_TIME = (r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
              r"(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?Z?)?$")


class LayerParameters(BaseModel):
    """The Space ISAC map layer: reports started in [since, until) (UTC; default the 30 days to now; at most 366
    days), at most ``limit`` (the newest)."""

    model_config = ConfigDict(extra="forbid")
    since: str | None = Field(None, pattern=LAYER_TIME, description="From (UTC; default 30 days before until)")
    until: str | None = Field(None, pattern=LAYER_TIME, description="To, excluded (UTC; default now)")
    limit: int = Field(2000, ge=1, le=MAX_CLUSTER_REPORTS, description="Most reports drawn (the newest)")


@map_layer("isac-reports", "Space ISAC reports", "points", ATTRIBUTION, parameters=LayerParameters,
           colour="#8e44ad", visible=False, order=60)
def layer(store: Store, viewer: Viewer, params: LayerParameters) -> dict:
    """Where Space ISAC interference reports you may see were located (their first place), over a period."""
    try:
        last = parse_time_utc(params.until or now_text_ns())
        first = parse_time_utc(params.since) if params.since else last - np.timedelta64(30, "D")
    except ValueError as error:
        raise LayerError(str(error)) from None
    if not first < last or last - first > np.timedelta64(366, "D"):
        raise LayerError("since must be before until, at most 366 days before")
    rows, more = store.isac_window(viewer, utc_text_ns(first), utc_text_ns(last), params.limit)
    features = []
    for r in rows:
        report = report_of(r)
        point = next((p for p in report.locations if p.point and p.kind == "interference"),
                     next((p for p in report.locations if p.point), None))
        if point is None:
            continue
        features.append(feature({"type": "Point", "coordinates": [point.lon_deg, point.lat_deg]},
                                shown_marking(r, viewer), name=report.title, href=f"#/isac?report={r.id}",
                                interference=report.interference, start_utc=report.start_utc,
                                contributor=report.contributor, kind=point.kind))
    return collection("isac-reports", features, attribution=ATTRIBUTION, truncated=more)
