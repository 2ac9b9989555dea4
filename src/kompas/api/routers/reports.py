"""Reports: the space threat landscape, the commitments progress, the FIMI threat report and the Observatory's report
on critical technologies, each over what the caller may see and marked with the combined marking of everything it
used (:mod:`kompas.services.reports`).

Reports run as jobs (``POST /api/v1/reports/...`` answers 202 with the job; ``/api/v1/jobs/{id}/file`` has the
document when done), so no request renders a PDF. The older ``GET`` forms remain: ``format=html`` answers the page
at once, ``format=pdf`` queues a job and answers 202 as the ``POST`` does.
"""

from contextlib import nullcontext
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from pydantic.json_schema import JsonDict

from kompas.api.deps import MODERN_DAY, Caller, StoreDep, day, note
from kompas.api.errors import ERRORS
from kompas.api.routers.jobs import JobAccepted, enqueue
from kompas.core.jobqueue import JobError
from kompas.core.store import Account, Store
from kompas.services import reports
from kompas.services.fimi import period as fimi_period

router = APIRouter(tags=["reports"])


DATE: JsonDict = {"format": "date"}
#: A day a threat landscape report may cover (:data:`kompas.services.reports.FIRST_DAY`..``LAST_DAY``: 1957..2100).
REPORT_DAY = r"^(195[7-9]|19[6-9]\d|20\d{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
PERIOD_NOTE = (f"The period is at most {reports.MAX_REPORT_DAYS} days (both ends included), within "
               f"{reports.FIRST_DAY.year}..{reports.LAST_DAY.year}; a longer one is refused with 422.")
QUEUED: dict[int | str, dict[str, Any]] = {
    202: {"model": JobAccepted, "description": "Queued as a job (PDF): follow `href`"}}


def period(since: str, until: str) -> tuple[str, str]:
    """A FIMI period [since, until) by the one rule of :func:`kompas.services.fimi.period`; 422 when broken."""
    try:
        return fimi_period(since, until)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


def landscape_period(first: str, last: str) -> tuple[str, str]:
    """The days of a threat landscape report as ``YYYY-MM-DD`` (:func:`kompas.services.reports.report_period`);
    422 naming the limit when the period is too long or outside the days reports cover."""
    try:
        since, until = reports.report_period(day(first), day(last))
    except reports.PeriodError as error:
        raise HTTPException(422, str(error)) from None
    return since.isoformat(), until.isoformat()


def _page(done: reports.Rendered) -> Response:
    return Response(done.content, media_type=done.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{done.filename}"'})


def _html_or_job(request: Request, response: Response, store: Store, who: Account, kind: str,
                 params: dict[str, Any]) -> Response:
    """The older GET forms: HTML at once (rendered as the caller), PDF queued as a job (202)."""
    if params["format"] == "html":
        try:
            content, media_type, filename, marking = reports.RUNNERS[kind](store, who, params)
        except JobError as error:  # what a job would fail with (too much to read, nothing to report): 422
            raise HTTPException(422, str(error)) from None
        note(store, who, "report", kind, detail=marking.banner())
        return _page(reports.Rendered(content, media_type, filename, marking))
    queued = enqueue(request, response, store, who, kind, params)
    return JSONResponse(queued, status_code=202, headers={"Location": queued["href"]})


# --- as jobs -----------------------------------------------------------------------------------------------------


class ThreatLandscapeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"description": PERIOD_NOTE})
    first: str = Field(alias="from", pattern=REPORT_DAY, json_schema_extra=DATE,
                       description="First day (UTC, 1957..2100)")
    last: str = Field(alias="to", pattern=REPORT_DAY, json_schema_extra=DATE,
                      description=f"Last day (UTC, 1957..2100, at most {reports.MAX_REPORT_DAYS} days from the first)")
    format: Literal["pdf", "html"] = "pdf"


class CommitmentsReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: str = Field(pattern=MODERN_DAY, json_schema_extra=DATE, description="Report date")
    format: Literal["pdf", "html"] = "pdf"


class FimiReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: str = Field(pattern=MODERN_DAY, json_schema_extra=DATE, description="First day (UTC, included)")
    until: str = Field(pattern=MODERN_DAY, json_schema_extra=DATE, description="Last day (UTC, excluded)")
    format: Literal["html", "pdf"] = "html"


class CyberReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: str = Field(pattern=MODERN_DAY, json_schema_extra=DATE, description="First day (UTC, included)")
    until: str = Field(pattern=MODERN_DAY, json_schema_extra=DATE, description="Last day (UTC, included)")
    format: Literal["html", "pdf"] = "pdf"


class ObservatoryReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["pdf", "html"] = "pdf"
    year: int | None = Field(None, ge=1900, le=2100, description="Assess with the shares of this year or the "
                                                                "latest before it (default: the latest)")


class InfraScenarioIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"description": (
        "A stress test of the infrastructure report: elements to remove (names, ids or kind:id), every element of "
        "the suppliers or owners named, and/or every element in an area (a GeoJSON polygon, or a line with "
        "buffer_km: an anchor track's corridor); alternative paths never transit the countries to avoid.")})
    title: str = Field("", max_length=200, description="Heading of the stress test in the report")
    remove: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field([], max_length=50)
    suppliers: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field([], max_length=50)
    owners: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field([], max_length=50)
    avoid: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field(
        [], max_length=50, description="ISO 3166 alpha-2 codes alternative paths never transit")
    area: dict[str, Any] | None = Field(None, description="GeoJSON Polygon, MultiPolygon, LineString, Feature or "
                                                          "FeatureCollection (lon/lat degrees), at most 50,000 "
                                                          "characters")
    buffer_km: float | None = Field(None, gt=0, le=500, description="Corridor half-width around a line (km)")


INFRA_BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "Infrastructure assessments, area stress tests or rankings (yours, or as many as the server "
                         "allows) are being computed: the scenarios' areas are checked when a place frees; retry after "
                         "Retry-After seconds"}}


class InfraReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    countries: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field(
        [], max_length=60, description="ISO 3166 alpha-2 codes of the countries covered (default: the EU27)")
    scenarios: list[InfraScenarioIn] | None = Field(
        None, max_length=8, description="Stress tests (default: the Baltic cases of November and December 2024; "
                                        "an empty list: none)")
    format: Literal["pdf", "html"] = "pdf"


@router.post("/api/v1/reports/threat-landscape", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_threat_landscape_report(body: ThreatLandscapeIn, who: Caller, store: StoreDep, request: Request,
                                   response: Response) -> dict:
    """Queue the space threat landscape report over the events you may see between the two days (in either
    order, both included), marked with their combined marking; the period before, as long, is the comparison.
    The period is at most 366 days (`MAX_REPORT_DAYS`), within 1957..2100; a longer one is refused (422)."""
    first, last = landscape_period(body.first, body.last)
    return enqueue(request, response, store, who, "threat-landscape",
                   {"from": first, "to": last, "format": body.format})


@router.post("/api/v1/reports/commitments", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_commitments_report(body: CommitmentsReportIn, who: Caller, store: StoreDep, request: Request,
                              response: Response) -> dict:
    """Queue the commitments progress report as of a date, from the status notes you may see and the public
    evidence, marked with the combined marking of the notes used."""
    return enqueue(request, response, store, who, "commitments",
                   {"as_of": day(body.as_of).isoformat(), "format": body.format})


@router.post("/api/v1/reports/fimi", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_fimi_report(body: FimiReportIn, who: Caller, store: StoreDep, request: Request,
                       response: Response) -> dict:
    """Queue the FIMI threat report for [since, until) (days in either order) from the incidents you may see,
    banner-marked with their combined marking."""
    since, until = period(body.since, body.until)
    return enqueue(request, response, store, who, "fimi", {"since": since, "until": until, "format": body.format})


@router.post("/api/v1/reports/cyber", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_cyber_report(body: CyberReportIn, who: Caller, store: StoreDep, request: Request,
                        response: Response) -> dict:
    """Queue the cyber threat report for [since, until] (both included) from the incidents, sightings and
    declarations you may see, banner-marked with their combined marking."""
    first, last = sorted((day(body.since), day(body.until)))
    return enqueue(request, response, store, who, "cyber",
                   {"since": first.isoformat(), "until": last.isoformat(), "format": body.format})


@router.post("/api/v1/reports/infra", status_code=202, response_model=JobAccepted, responses={**ERRORS, **INFRA_BUSY})
def submit_infra_report(body: InfraReportIn, who: Caller, store: StoreDep, request: Request,
                        response: Response) -> dict:
    """Queue the critical-infrastructure dependency report (submarine cables, landing stations, internet exchanges,
    power interconnection) over the countries (default the EU27) with the stress tests asked for (default the
    Baltic cases of 2024), on the public data and the contributed elements you may see, banner-marked with their
    combined marking; every page carries the data sources' attribution and licence. A country or scenario that
    cannot be used is refused (422) naming it; an element name the map does not know is reported in the report.
    Scenarios with areas are checked behind the infrastructure gate (a corridor's buffer costs up to a second per
    area: 503 with Retry-After when it is busy, one place per user)."""
    from kompas.api.routers.infra import HEAVY
    from kompas.core.gate import Busy
    from kompas.reports.infra import case_from, report_countries

    params: dict[str, Any] = {"countries": [c.upper() for c in body.countries], "format": body.format}
    try:
        report_countries(params["countries"], frozenset())
        if body.scenarios is not None:
            params["scenarios"] = [s.model_dump(exclude_defaults=True) for s in body.scenarios]
            areas = any(spec.get("area") is not None for spec in params["scenarios"])
            with HEAVY.enter(holder=who.user_id) if areas else nullcontext():
                for number, spec in enumerate(params["scenarios"], 1):
                    case_from(spec, number)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None
    return enqueue(request, response, store, who, "infra", params)


class MaritimeReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"description": (
        "A maritime report over an area and a window: the vessel positions you may see, screened for behaviour and "
        "against the undersea infrastructure. Give a bbox or a named area (or neither: every area); the window is "
        "at most 31 days, either end may be left open.")})
    start_utc: str | None = Field(None, max_length=40, description="Start of the window (ISO 8601 UTC)")
    end_utc: str | None = Field(None, max_length=40, description="End of the window (ISO 8601 UTC, after the start, "
                                                                 "at most 31 days later)")
    bbox: list[float] | None = Field(None, min_length=4, max_length=4,
                                     description="lon_min, lat_min, lon_max, lat_max (degrees)")
    area: Literal["baltic"] | None = Field(None, description="A named area instead of a bbox (baltic: lon 10-31°E, "
                                                             "lat 53.5-66.5°N)")
    area_name: str = Field("", max_length=200, description="The area's name in the title (default the named "
                                                           "area's, else the box)")
    assets: Literal["baltic", "all", "none"] = Field("baltic", description="Undersea assets watched: the Baltic "
                                                                           "seabed index, every cable and HVDC "
                                                                           "link, or none")
    format: Literal["pdf", "html"] = "pdf"


@router.post("/api/v1/reports/maritime", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_maritime_report(body: MaritimeReportIn, who: Caller, store: StoreDep, request: Request,
                           response: Response) -> dict:
    """Queue the maritime report for an area and a window: the vessel positions you may see there (every batch
    contributed that you may see, fused), their tracks, the behaviour detected (going dark, loitering, drift,
    anchor drags, encounters, stops, identity anomalies) with its evidence, the alerts near undersea
    infrastructure first, data quality (data errors, coverage holes) and the method; banner-marked with the
    combined marking of the batches read, every page carrying the data sets' attribution and licence (the cable
    map is CC BY-NC-SA, non-commercial). A box outside the globe, a window that ends before it starts or is longer
    than 31 days, or a bbox and an area both given is refused (422)."""
    from kompas.reports.maritime import request as checked

    if body.bbox is not None and body.area is not None:
        raise HTTPException(422, "give a bbox or an area, not both")
    try:
        window = checked(body.start_utc, body.end_utc, body.bbox if body.bbox is not None else body.area,
                         body.area_name)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    params: dict[str, Any] = {"start_utc": window.start_utc, "end_utc": window.end_utc,
                              "bbox": list(window.box) if window.box is not None else None,
                              "area_name": window.area_name, "assets": body.assets, "format": body.format}
    return enqueue(request, response, store, who, "maritime", params)


@router.post("/api/v1/reports/observatory", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_observatory_report(body: ObservatoryReportIn, who: Caller, store: StoreDep, request: Request,
                              response: Response) -> dict:
    """Queue the Observatory's report on critical technologies and strategic dependencies over the supply data
    Kompas reads by default (the folders of ``shared/data/observatory``, else the sample shipped with Kompas) and
    the supply-chain documents you may see on the platform, marked with the combined marking of those documents
    (UNCLASSIFIED TLP:CLEAR when only the public files were used)."""
    params: dict[str, Any] = {"format": body.format}
    if body.year is not None:
        params["year"] = body.year
    return enqueue(request, response, store, who, "observatory", params)


# --- the older GET forms -----------------------------------------------------------------------------------------


@router.get("/api/v1/reports/threat-landscape", response_class=Response, deprecated=True, responses={
    **ERRORS, **QUEUED, 200: {"content": {"text/html": {}}, "description": "The report (HTML)"}})
def threat_landscape_report(who: Caller, store: StoreDep, request: Request, response: Response,
                            first: Annotated[str, Query(alias="from", pattern=REPORT_DAY, json_schema_extra=DATE,
                                                        description="First day (UTC, 1957..2100)")],
                            last: Annotated[str, Query(alias="to", pattern=REPORT_DAY, json_schema_extra=DATE,
                                                       description="Last day (UTC, 1957..2100, at most "
                                                                   f"{reports.MAX_REPORT_DAYS} days from the "
                                                                   "first)")],
                            fmt: Annotated[Literal["pdf", "html"], Query(alias="format")] = "pdf") -> Response:
    """The space threat landscape report over the events you may see between the two days (in either order),
    marked with their combined marking; the period before, as long, is the comparison. HTML at once; PDF is
    queued as a job (202, as `POST`, which is the form to use). The period is at most 366 days
    (`MAX_REPORT_DAYS`), within 1957..2100; a longer one is refused (422)."""
    since, until = landscape_period(first, last)
    params = {"from": since, "to": until, "format": fmt}
    return _html_or_job(request, response, store, who, "threat-landscape", params)


@router.get("/api/v1/reports/commitments", response_class=Response, deprecated=True, responses={
    **ERRORS, **QUEUED, 200: {"content": {"text/html": {}}, "description": "The report (HTML)"}})
def commitments_report(who: Caller, store: StoreDep, request: Request, response: Response,
                       as_of: Annotated[str, Query(pattern=MODERN_DAY, json_schema_extra=DATE,
                                                   description="Report date")],
                       fmt: Annotated[Literal["pdf", "html"], Query(alias="format")] = "pdf") -> Response:
    """The commitments progress report as of a date, from the status notes you may see and the public
    evidence, marked with the combined marking of the notes used. HTML at once; PDF is queued as a job (202, as
    `POST`, which is the form to use)."""
    params = {"as_of": day(as_of).isoformat(), "format": fmt}
    return _html_or_job(request, response, store, who, "commitments", params)


@router.get("/api/v1/reports/fimi", response_class=Response, deprecated=True, responses={
    **ERRORS, **QUEUED, 200: {"description": "The FIMI threat report (HTML)", "content": {
        "text/html": {"schema": {"type": "string"}}}}})
def fimi_report(who: Caller, store: StoreDep, request: Request, response: Response,
                since: Annotated[str, Query(pattern=MODERN_DAY, json_schema_extra=DATE)],
                until: Annotated[str, Query(pattern=MODERN_DAY, json_schema_extra=DATE)],
                fmt: Annotated[Literal["html", "pdf"], Query(alias="format")] = "html") -> Response:
    """The FIMI threat report for [since, until) (days in either order) from the incidents you may see,
    banner-marked with their combined marking. HTML at once; PDF is queued as a job (202, as `POST`, which is
    the form to use)."""
    first, last = period(since, until)
    return _html_or_job(request, response, store, who, "fimi", {"since": first, "until": last, "format": fmt})


class ThreatAnalysisIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: str | None = Field(None, pattern=MODERN_DAY, json_schema_extra=DATE,
                              description="The edition's date (default: today; not in the future)")
    since: str | None = Field(None, pattern=MODERN_DAY, json_schema_extra=DATE,
                              description="First day of the platform period (default: a year before as_of)")
    product_line: str | None = Field(None, min_length=1, max_length=120, pattern=r"^[^\x00-\x1f\x7f]+$",
                                     description="Key judgements of this product line's assessments only "
                                                 "(default: all)")
    banner: str | None = Field(None, min_length=1, max_length=300, pattern=r"^[^\x00-\x1f\x7f]+$",
                               description="A banner to print: it may add restrictions, never remove one (a lower "
                                           "one fails the job)")
    early_warning: StrictBool = Field(True, description="Include the conflict forecasts and their evaluation (a "
                                                        "minute or two)")
    record_cadence: StrictBool = Field(False, description="Record this edition as done on SC-001 and SC-051 as of "
                                                          "as_of, under the report's marking")
    format: Literal["pdf", "html"] = "pdf"


@router.post("/api/v1/reports/threat-analysis", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_threat_analysis(body: ThreatAnalysisIn, who: Caller, store: StoreDep, request: Request,
                           response: Response) -> dict:
    """Queue the integrated EU threat analysis as of a date: armed conflicts and wars per year (UCDP), military
    expenditure (SIPRI), climate-security exposure, early warning of armed conflict, the fused picture, the domains'
    threat landscapes and the key judgements you may see, with when the next edition is due; banner-marked with the
    combination of everything read from the platform, every page carrying the data's attribution."""
    from datetime import date, timedelta

    as_of = day(body.as_of) if body.as_of else date.today()
    if as_of > date.today() + timedelta(days=1):
        raise HTTPException(422, f"as_of {as_of.isoformat()} is in the future")
    params: dict[str, Any] = {"as_of": as_of.isoformat(), "format": body.format,
                              "early_warning": body.early_warning, "record_cadence": body.record_cadence}
    if body.since:
        since = day(body.since)
        if since > as_of:
            raise HTTPException(422, "since must not be after as_of")
        params["since"] = since.isoformat()
    if body.product_line:
        params["product_line"] = body.product_line
    if body.banner:
        params["banner"] = body.banner
    return enqueue(request, response, store, who, "threat-analysis", params)


class MobilityReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    package: str | None = Field(None, min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$",
                                description="A package shipped with Kompas, ILLUSTRATIVE (mech-battalion, "
                                            "light-company; default mech-battalion); another is refused with 422")
    banner: str | None = Field(None, min_length=1, max_length=300, pattern=r"^[^\x00-\x1f\x7f]+$",
                               description="A banner to print: it may add restrictions, never remove one (a lower "
                                           "one fails the job)")
    format: Literal["pdf", "html"] = "pdf"


@router.post("/api/v1/reports/mobility", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_mobility_report(body: MobilityReportIn, who: Caller, store: StoreDep, request: Request,
                           response: Response) -> dict:
    """Queue the military mobility report (the Strategic Compass's 2022 analysis): per corridor of the German rail
    network and the ILLUSTRATIVE gauge-break test network, whether the package can move, how long it takes, the
    narrowest element and every obstacle with its cost; the elements the corridors cannot lose; airfields per
    aircraft; the coverage of the open data; the dual-use project candidates. Over the networks and the mobility
    contributions you may see, banner-marked with their combined marking; every page carries the sources'
    attribution (OpenStreetMap ODbL, RINF, OurAirports, airportsdata, Natural Earth)."""
    from kompas.services.mobility import packages

    if body.package is not None and body.package not in packages():
        raise HTTPException(422, f"no package named {body.package!r} (one of {', '.join(packages())})")
    params: dict[str, Any] = {"format": body.format}
    if body.package:
        params["package"] = body.package
    if body.banner:
        params["banner"] = body.banner
    return enqueue(request, response, store, who, "mobility", params)


from kompas.api.schemas import MarkingIn  # noqa: E402 (the forces report's within marking)


class ForcesReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case: str | None = Field(None, min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$",
                             description="A planning case shipped with Kompas, ILLUSTRATIVE (default "
                                         "rdc-stabilisation-and-civilian-mission), or one shipped scenario's name; "
                                         "another is refused with 422")
    example: StrictBool = Field(False, description="Review the shipped ILLUSTRATIVE example set instead of the "
                                                   "contributions")
    editions: list[Annotated[str, Field(pattern=r"^\d{4}(-(H1|H2|Q[1-4]|\d{2}))?$")]] | None = Field(
        None, min_length=1, max_length=20, description="The editions to review (default: every edition you may see)")
    within: MarkingIn | None = Field(None, description="Produce the report at this releasability: only the "
                                                       "documents whose markings it covers are read")
    banner: str | None = Field(None, min_length=1, max_length=300, pattern=r"^[^\x00-\x1f\x7f]+$",
                               description="A banner to print: it may add restrictions, never remove one (a lower "
                                           "one fails the job)")
    format: Literal["pdf", "html"] = "pdf"


@router.post("/api/v1/reports/forces", status_code=202, response_model=JobAccepted, responses=ERRORS)
def submit_forces_report(body: ForcesReportIn, who: Caller, store: StoreDep, request: Request,
                         response: Response) -> dict:
    """Queue the forces report for the annual meeting of EU defence ministers (Strategic Compass, "Invest"): the
    headline figures of a planning case's capability review, the Rapid Deployment Capacity overview, the gaps
    (severity coloured) and their trends between editions, force generation for the case's military scenarios, every
    assumption and source. Over the register documents you may see (or the ILLUSTRATIVE example set), banner-marked
    with the combined marking of every document read."""
    from kompas.core.markings import Marking
    from kompas.services import forces

    if body.case is not None:
        try:
            forces.case_named(body.case)
        except forces.ForcesError as error:
            raise HTTPException(422, str(error)) from None
    params: dict[str, Any] = {"format": body.format, "example": body.example}
    if body.case:
        params["case"] = body.case
    if body.editions:
        params["editions"] = sorted(set(body.editions))
    if body.within is not None:
        w = body.within
        params["within"] = dict(Marking.build(w.classification, w.tlp, w.releasable_to, w.communities,
                                              None, w.caveats).as_dict())
    if body.banner:
        params["banner"] = body.banner
    return enqueue(request, response, store, who, "forces", params)
