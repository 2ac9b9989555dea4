"""Jobs: ``GET /api/v1/jobs/{id}`` (status, marking, error) and ``GET /api/v1/jobs/{id}/file`` (the result). Only
a job's owner sees it; anyone else gets 404, as for a job that does not exist."""

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kompas.api.deps import ITEM_ID, Caller, StoreDep, found, note
from kompas.api.errors import NOT_FOUND
from kompas.api.schemas import MarkingOut
from kompas.core import jobqueue
from kompas.core.store import Account, Store

router = APIRouter(tags=["jobs"])


class JobAccepted(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    href: str = Field(description="Where to follow the job: GET it until its status is done or failed")


class JobOut(BaseModel):
    id: str
    kind: str
    params: dict
    status: Literal["queued", "running", "done", "failed"]
    created_utc: str
    started_utc: str | None
    finished_utc: str | None
    error: str | None = Field(description="Why the job failed (failed jobs only)")
    marking: MarkingOut | None = Field(description="The combined marking of everything the result used (done "
                                                   "jobs only)")
    media_type: str | None
    filename: str | None
    size: int | None = Field(description="Bytes of the result")
    href: str
    file: str | None = Field(description="Where to download the result (done jobs only)")


def href(job_id: str) -> str:
    """The address of a job."""
    return f"/api/v1/jobs/{job_id}"


AUDIT_DETAIL = 2000  #: characters of a job's parameters kept in its audit entry (an area may be 50 kB)


def _detail(kind: str, params: dict[str, Any]) -> str:
    """The audit detail of a submitted job: its kind and parameters, cut at :data:`AUDIT_DETAIL` characters (the
    job itself keeps them whole)."""
    text = f"{kind} {params}"
    if len(text) <= AUDIT_DETAIL:
        return text
    return f"{text[:AUDIT_DETAIL]}... ({len(text):,} characters; whole in the job)"


def enqueue(request: Request, response: Response, store: Store, who: Account, kind: str,
            params: dict[str, Any]) -> dict:
    """Queue a job of ``kind`` for the caller, wake this process's worker, and answer 202 with the job's address
    (also in ``Location``); 429 when the caller has too many jobs pending."""
    try:
        job = jobqueue.submit(store, kind, params, who.user_id, who.viewer.exercise)
    except jobqueue.QueueFull as error:
        note(store, who, "submit-job", kind, "denied", str(error))
        raise HTTPException(429, str(error), headers={"Retry-After": "30"}) from None
    note(store, who, "submit-job", href(job.id), detail=_detail(kind, params))
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        worker.wake()
    response.status_code = 202
    response.headers["Location"] = href(job.id)
    return {"id": job.id, "status": job.status, "href": href(job.id)}


@router.get("/api/v1/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND)
def one_job(job_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """One of your jobs: its status (queued, running, done, failed), the error of a failed one, and the marking,
    media type and size of a finished one's result; 404 for a job that is not yours."""
    job = found(store, jobqueue.job(store, job_id, who.user_id), who, href(job_id))
    return job.as_dict() | {"href": href(job.id), "file": href(job.id) + "/file" if job.status == "done" else None}


@router.get("/api/v1/jobs/{job_id}/file", response_class=Response, responses={
    **NOT_FOUND, 200: {"description": "The job's result (a report)", "content": {
        "text/html": {"schema": {"type": "string"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def job_file(job_id: ITEM_ID, who: Caller, store: StoreDep) -> Response:
    """The result of one of your finished jobs, as a download; 404 until the job is done, or when it is not
    yours. The marking is in ``X-Kompas-Marking`` (its banner) as well as in the document."""
    job, content = found(store, jobqueue.result(store, job_id, who.user_id), who, href(job_id) + "/file")
    banner = (job.marking or {}).get("banner", "")
    return Response(content, media_type=job.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{job.filename}"',
                             "X-Kompas-Marking": banner.encode("ascii", "replace").decode()})
