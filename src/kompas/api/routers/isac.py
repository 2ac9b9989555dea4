"""The Space ISAC (issue 29): ``/api/v1/isac/reports`` (report incidents as Kompas ISAC JSON or in the Space ISAC
notional format, under TLP, PAP and Kompas markings, anonymously, under the platform's pseudonym or named; list
them with filters), ``/api/v1/isac/reports/{id}`` (one, enriched from the element sets you may see), its ``/seen``
("seen it too"), ``/controls`` (ENISA's resilience practices for its threats), ``/stix`` (a STIX 2.1 bundle as the
OASIS SATIS work maps it) and ``/misp`` (a MISP event), and ``/api/v1/isac/clusters`` ("me too" surges). The reports
are also a TAXII 2.1 collection (``/taxii2/kompas/collections/``, "Space ISAC reports") and a map layer
(``isac-reports``). Service: :mod:`kompas.services.isac`; the same as ``kompas isac``."""

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import NO_NUL, NORAD, TIME, Caller, Limit, StoreDep, found, note
from kompas.api.errors import ERRORS, NOT_FOUND, WRITE_ERRORS, Problem
from kompas.api.routers.conjunctions import SortedAfter
from kompas.api.schemas import MarkingIn, MarkingOut
from kompas.services import isac as service

router = APIRouter(tags=["isac"])
STIX_MEDIA = "application/stix+json;version=2.1"
REPORT_ID = Annotated[str, Path(pattern=r"^[0-9a-fA-F-]{36}$", description="A report's platform id")]
#: :data:`kompas.isac.model.INTERFERENCE_TYPES` (a test keeps the two equal).
Interference = Literal["jamming", "spoofing", "unknown-emi", "laser", "kinetic", "cyber-intrusion", "physical", "rpo",
                       "space-weather"]
#: IEEE Std 521 letter bands (:data:`kompas.isac.model.IEEE_BANDS`).
Letter = Literal["HF", "VHF", "UHF", "L", "S", "C", "X", "Ku", "K", "Ka", "V", "W", "mm"]
Time = Annotated[str | None, Query(pattern=TIME, description="UTC time, e.g. 2026-05-05T00:00:00Z")]
MHZ = Annotated[float | None, Query(gt=0, le=3_000_000, description="MHz")]
#: Longest ``content`` (characters): under the 256 KiB body limit with room for the rest of the body, so that a text
#: one character too long is refused as invalid (422), not as too large (413).
MAX_CONTENT = 200_000
NOT_FOUND_WRITE: dict[int | str, dict[str, Any]] = {**WRITE_ERRORS, 404: {"model": Problem, "description":
                                                                         "No report you may see has this id"}}


class ReportIn(BaseModel):
    """Reports to share: ``content`` (Kompas ISAC JSON text, or one report in the Space ISAC notional reporting
    format) or ``reports`` (Kompas ISAC JSON objects), and the terms of those that state none."""

    model_config = ConfigDict(extra="forbid")
    content: str | None = Field(None, max_length=MAX_CONTENT, pattern=NO_NUL, description=(
        "Kompas ISAC JSON text (a report, a list, or {\"reports\": [...]}) or one report in the Space ISAC notional "
        "reporting format (TITLE:, SUMMARY:, ANOMALY DETAILS:, SATELLITE/SENSOR DETAILS:)"))
    reports: list[dict[str, Any]] | None = Field(None, min_length=1, max_length=service.MAX_REPORTS, description=(
        "Kompas ISAC JSON reports (kompas.isac.model.IsacReport.as_dict form: title, start_utc and interference "
        "required)"))
    format: Literal["json", "notional"] | None = Field(None, description="Of content (default: recognised)")
    marking: MarkingIn | None = Field(None, description="For reports stating none (default UNCLASSIFIED // "
                                                        "TLP:AMBER); your organisation is the originator")
    pap: Literal["CLEAR", "GREEN", "AMBER", "RED"] = Field("AMBER", description="PAP of reports stating none")
    disclosure: Literal["anonymous", "pseudonymous", "named"] = Field(
        "anonymous", description="How other members see who reported (of reports stating none): anonymous, under "
                                 "the platform's pseudonym of your organisation, or named")


class ReportedOut(BaseModel):
    source: str
    format: str
    added: list[str] = Field(description="Platform ids of the reports shared (also their events' ids)")
    replaced: list[str] = Field(description="Reports your organisation shared before under the same id, now updated")
    rejected: list[dict[str, Any]] = Field(description="Each record refused: source, item, field, reason, value")
    warnings: list[dict[str, Any]] = Field(description="Reports shared with a value left out or a caution")
    notes: list[str]
    pseudonym: str = Field(description="Your organisation's pseudonym (pseudonymous reports)")


@router.post("/api/v1/isac/reports", status_code=201, response_model=ReportedOut, responses=WRITE_ERRORS)
def report(body: ReportIn, who: Caller, store: StoreDep) -> dict:
    """Share incident reports with the Space ISAC. Each becomes a platform event (domain isac). The platform records
    who reported (and the audit log does); other members see the reporter only when it is named. Records that
    cannot be read or marked are listed in ``rejected`` with their item, field and reason; the others are shared.
    403 for a default marking you may not give; 422 for both or neither of content and reports, or over the
    bounds."""
    if (body.content is None) == (body.reports is None):
        raise HTTPException(422, "give content or reports (one of them)")
    text = body.content if body.content is not None else json.dumps({"reports": body.reports})
    fmt = body.format if body.content is not None else "json"
    done = service.report(store, who, text, "api", fmt, body.marking.of(who.org) if body.marking else None,
                          body.pap, body.disclosure)
    return done.as_dict()


class ReportsOut(BaseModel):
    items: list[dict[str, Any]] = Field(description="Reports as you may see them: contributor anonymous or a "
                                                    "pseudonym unless named, marking as shared, 'seen it too' notes")
    next: str | None = Field(description="The next page: pass as after")
    total: int | None = Field(description="Reports you may see matching the filters")
    marking: MarkingOut = Field(description="Combination of everything on the page")


@router.get("/api/v1/isac/reports", response_model=ReportsOut, responses=ERRORS)
def reports(who: Caller, store: StoreDep, after: SortedAfter = None, limit: Limit = 100,
            sort: Annotated[Literal["-start", "start"], Query(description="-start: newest first; start: oldest")
                            ] = "-start",
            since: Time = None, until: Time = None,
            interference: Annotated[list[Interference] | None, Query(max_length=9, description="Only these types")
                                    ] = None,
            band: Annotated[Letter | None, Query(description="Only bands overlapping this IEEE 521 letter band")
                            ] = None,
            band_low_mhz: MHZ = None, band_high_mhz: MHZ = None, norad_id: NORAD | None = None,
            cluster: Annotated[str | None, Query(pattern=r"^[0-9a-f-]{36}$", description=(
                "Only the members of this cluster (an id from /api/v1/isac/clusters over the same since and until)"))
                               ] = None) -> dict:
    """The Space ISAC reports you may see, newest start first, with the total: started in [since, until), of these
    interference types, with a band overlapping a letter band or [band_low_mhz, band_high_mhz] (MHz), naming an
    object, in a cluster. 422 for a band given both ways or a cursor of other filters."""
    found_page = service.listing(store, who.viewer, since=since, until=until, interference=interference or (),
                                 band=band, band_low_mhz=band_low_mhz, band_high_mhz=band_high_mhz,
                                 norad_id=norad_id, cluster=cluster, after=after, limit=limit, sort=sort)
    note(store, who, "read", "isac/reports", detail=f"{len(found_page['items'])} reports")
    return found_page


@router.get("/api/v1/isac/reports/{report_id}", responses=NOT_FOUND)
def one(report_id: REPORT_ID, who: Caller, store: StoreDep,
        enrich: Annotated[bool, Query(description="Add the space-segment enrichment (element sets before and "
                                                  "after, orbit, neighbours, events), from what you may see")] = True
        ) -> dict:
    """One report as you may see it, enriched (404 when it does not exist or you may not see it):
    ``answer_marking`` is the combination of everything in the answer."""
    return found(store, service.one(store, who.viewer, report_id, enrich), who, f"isac/reports/{report_id}")


class SeenIn(BaseModel):
    """Your organisation saw this report's incident too."""

    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=service.MAX_NOTE, pattern=NO_NUL, description="What you saw (optional)")
    marking: MarkingIn | None = Field(None, description="Your note's marking (combined with the report's; default: "
                                                        "the report's classification and TLP)")


@router.post("/api/v1/isac/reports/{report_id}/seen", status_code=201, responses=NOT_FOUND_WRITE)
def seen(report_id: REPORT_ID, body: SeenIn, who: Caller, store: StoreDep) -> dict:
    """"Seen it too" on another member's report: recorded and audited, shown to other members under your
    organisation's pseudonym, marked with your marking combined with the report's. 404 when you may not see the
    report; 403 for a marking you may not give (or whose combination with the report's you could not see); 422
    for your own organisation's report. Seeing it again replaces your note."""
    done = service.seen(store, who, report_id, body.note, body.marking.of(who.org) if body.marking else None)
    if done is None:
        note(store, who, "isac-seen", f"isac/reports/{report_id}", "denied", "not found or not visible")
        raise HTTPException(404, "not found")
    return done


@router.get("/api/v1/isac/clusters", responses=ERRORS)
def clusters(who: Caller, store: StoreDep, since: Time = None, until: Time = None,
             window_h: Annotated[float, Query(ge=0, le=168, description="Hours between reports that link")] = 6.0,
             radius_km: Annotated[float, Query(gt=0, le=5000, description="Kilometres between places that link")
                                  ] = 500.0,
             surge_reports: Annotated[int, Query(ge=1, le=100, description="Reports that make a surge")] = 3,
             surge_reporters: Annotated[int, Query(ge=1, le=100, description="Members among them")] = 2,
             singletons: Annotated[bool, Query(description="List single reports too")] = False) -> dict:
    """Clusters of similar reports you may see ("me too"): same interference family, near in time, overlapping
    bands, near in place; surges flagged. [since, until) at most 31 days (default: the 31 days to now), the newest
    5,000 reports (the answer says when it reached that). 422 beyond."""
    answer = service.clusters(store, who.viewer, since, until, window_h, radius_km, surge_reports, surge_reporters,
                              singletons)
    note(store, who, "read", "isac/clusters", detail=f"{len(answer['clusters'])} clusters, {answer['surges']} surges")
    return answer


@router.get("/api/v1/isac/reports/{report_id}/controls", responses=NOT_FOUND)
def controls(report_id: REPORT_ID, who: Caller, store: StoreDep) -> dict:
    """ENISA's resilience practices (Space Threat Landscape 2025, control framework, CC BY 4.0) for the threats of
    the report's interference type (404 when you may not see the report)."""
    return found(store, service.controls(store, who.viewer, report_id), who, f"isac/reports/{report_id}/controls")


def _export(report_id: str, who: Any, store: Any, fmt: str, media: str) -> JSONResponse:  # noqa: ANN401
    done = service.export(store, who.viewer, report_id, fmt)
    if done is None:
        note(store, who, "export", f"isac/reports/{report_id}", "denied", "not found or not visible")
        raise HTTPException(404, "not found")
    data, marking = done
    note(store, who, "export", f"isac/reports/{report_id}", detail=f"{fmt}, {marking.banner()}")
    return JSONResponse(data, media_type=media, headers={"X-Kompas-Marking": marking.banner()})


@router.get("/api/v1/isac/reports/{report_id}/stix", response_class=JSONResponse, responses={
    **NOT_FOUND, 200: {"description": "A STIX 2.1 bundle (application/stix+json;version=2.1)", "content": {
        STIX_MEDIA: {"schema": {"type": "object", "required": ["type", "id", "objects"],
                                "properties": {"type": {"const": "bundle"}, "id": {"type": "string"},
                                               "objects": {"type": "array", "items": {"type": "object"}}}}}}}})
def stix(report_id: REPORT_ID, who: Caller, store: StoreDep) -> JSONResponse:
    """The report as a STIX 2.1 bundle (media type ``application/stix+json;version=2.1``) as the OASIS SATIS work
    maps it: report, incidents, satellites, places, SPARTA and ATT&CK attack patterns, ENISA controls as courses
    of action; TLP, PAP (OASIS extension) and the Kompas marking as marking definitions. The contributor is the
    organisation only when named. 404 when you may not see the report."""
    return _export(report_id, who, store, "stix", STIX_MEDIA)


@router.get("/api/v1/isac/reports/{report_id}/misp", response_class=JSONResponse, responses={
    **NOT_FOUND, 200: {"description": "A MISP event (MISP core format)", "content": {
        "application/json": {"schema": {"type": "object", "required": ["Event"]}}}}})
def misp(report_id: REPORT_ID, who: Caller, store: StoreDep) -> JSONResponse:
    """The report as a MISP event (TLP and PAP tags, the Kompas marking tag, SPARTA galaxy clusters, geolocation
    objects, the Kompas record). 404 when you may not see the report."""
    return _export(report_id, who, store, "misp", "application/json")
