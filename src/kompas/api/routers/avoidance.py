"""Manoeuvre trade space of a conjunction (:mod:`kompas.services.avoidance`).

``GET /api/v1/conjunctions/{id}/avoidance`` answers at once (the default grid takes under a second on one core:
``benchmarks/avoidance.py``; one at a time per server process, the last 64 remembered: a busy server answers 503
with Retry-After): Pc and miss distance against radial and along-track burn size and burn time before
TCA, and the smallest burn per direction that brings Pc under the threshold. ``POST`` the same address to queue a
job that also screens those burns against the catalogue you may see (the secondary conjunctions: a screening of
the catalogue, too slow for a request); the job's file is JSON. Both: 404 when you may not see the conjunction, 422
for a conjunction without CDM covariance or parameters out of range, marked with the conjunction's marking (the job
combines the markings of the other objects' element sets too).
"""

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import ITEM_ID, Caller, StoreDep, found
from kompas.api.errors import ERRORS, NOT_FOUND, Problem
from kompas.api.routers.jobs import JobAccepted, enqueue
from kompas.api.schemas import MarkingOut
from kompas.core.gate import Busy
from kompas.services.avoidance import GATE
from kompas.space import avoidance as av

router = APIRouter(tags=["conjunctions"])

#: Most lead times one request may ask for: the default grid's 11, so that no request costs more than the default
#: (2 directions x 11 leads x 39 sizes, about a second of one core; a finer grid is a job away: the CLI or POST).
MAX_LEADS = 11


class BurnOut(BaseModel):
    label: str = Field(description="+radial, -radial, +along-track or -along-track")
    direction: str
    dv_m_s: float = Field(description="Signed burn size, m/s (+ outward / prograde)")
    lead_s: float = Field(description="Burn time before TCA, s")
    lead_orbits: float
    burn_utc: str
    pc: float | None = Field(description="Pc2D (Foster) after the burn")
    miss_m: float = Field(description="Miss distance after the burn, m")


class AvoidanceOut(BaseModel):
    conjunction_id: str
    primary_id: int
    secondary_id: int
    tca_utc: str
    threshold: float
    hbr_m: float
    period_s: float = Field(description="The primary's two-body period, s")
    pc0: float | None = Field(description="Pc2D without a burn")
    miss0_m: float
    directions: list[str]
    sizes_m_s: list[float]
    leads_orbits: list[float]
    leads_s: list[float]
    pc: list[list[list[float | None]]] = Field(description="[direction][lead][size]")
    miss_m: list[list[list[float]]] = Field(description="[direction][lead][size], m")
    minimum: list[BurnOut] = Field(description="Per signed direction, the smallest burn under the threshold (empty "
                                               "when Pc is already under it)")
    earliest_burn_utc: str | None = Field(description="No burn before this: the data time (the newer element-set "
                                                      "epoch), or now while TCA is ahead")
    leads_left_out_orbits: list[float] = Field(description="Lead times asked for that fall before the earliest burn")
    marking: MarkingOut


class AvoidanceJobIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    threshold: float = Field(av.RED_PC, gt=0, lt=1, description="Pc the smallest burns must bring Pc under")
    after_tca_s: float = Field(av.SECONDARY_AFTER_TCA_S, ge=0, le=7 * 86400,
                               description="Screen the manoeuvred primary from the burn to this long after TCA, s")


def sizes(max_dv_m_s: float) -> list[float]:
    """Zero and 19 sizes either way from min(1 mm/s, max / 10) to ``max_dv_m_s``, geometrically spaced."""
    up = np.geomspace(min(1e-3, max_dv_m_s / 10.0), max_dv_m_s, 19)
    return [float(x) for x in np.concatenate([-up[::-1], [0.0], up])]


@router.get("/api/v1/conjunctions/{conjunction_id}/avoidance", response_model=AvoidanceOut,
            responses={**NOT_FOUND, **ERRORS, 503: {"model": Problem, "description": "As many trade spaces as the "
                                                    "server computes at once are running: try again after "
                                                    "Retry-After (or POST for a job)"}})
def avoidance(conjunction_id: ITEM_ID, who: Caller, store: StoreDep,
              threshold: Annotated[float, Query(gt=0, lt=1, description="Pc threshold (CARA red: 1e-4)")] = av.RED_PC,
              max_dv_m_s: Annotated[float, Query(gt=0, le=10, description="Largest burn size, m/s")] = 1.0,
              min_lead_orbits: Annotated[float, Query(gt=0, le=20, description="Earliest burn, orbits before TCA")]
              = 0.5,
              max_lead_orbits: Annotated[float, Query(gt=0, le=20, description="Latest burn, orbits before TCA")]
              = 3.0,
              lead_step_orbits: Annotated[float, Query(ge=0.01, le=20, description="Lead-time step, orbits")] = 0.25
              ) -> dict[str, Any]:
    """Pc and miss distance of the conjunction against radial and along-track burns of the primary (sizes from 1 mm/s
    to ``max_dv_m_s`` either way, lead times from ``min_lead_orbits`` to ``max_lead_orbits`` before TCA), and the
    smallest burn per direction that brings Pc under ``threshold``; 404 when you may not see the conjunction, 422
    when it has no CDM covariance or the lead times are inconsistent (at most 11)."""
    from kompas.services.avoidance import conjunction_trade_space

    if min_lead_orbits > max_lead_orbits:
        raise HTTPException(422, "min_lead_orbits is after max_lead_orbits")
    count = int(np.floor((max_lead_orbits - min_lead_orbits) / lead_step_orbits + 1e-9)) + 1
    if count > MAX_LEADS:
        raise HTTPException(422, f"{count} lead times: at most {MAX_LEADS} (raise lead_step_orbits)")
    leads = [round(min_lead_orbits + k * lead_step_orbits, 9) for k in range(count)]
    try:
        answer = conjunction_trade_space(store, who.viewer, conjunction_id, sizes_m_s=sizes(max_dv_m_s),
                                         leads_orbits=leads, threshold=threshold, gate=GATE)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None
    return found(store, answer[0] if answer else None, who, f"conjunctions/{conjunction_id}/avoidance")


@router.post("/api/v1/conjunctions/{conjunction_id}/avoidance", status_code=202, response_model=JobAccepted,
             responses={**NOT_FOUND, **ERRORS})
def avoidance_job(conjunction_id: ITEM_ID, body: AvoidanceJobIn, request: Request, response: Response,
                  who: Caller, store: StoreDep) -> dict:
    """Queue the trade space with the secondary conjunctions of the smallest burns (screened against the newest
    element sets you may see) as a job; its file is the JSON of the GET form plus ``secondaries``. 404 when you may
    not see the conjunction."""
    found(store, store.conjunction(who.viewer, conjunction_id), who, f"conjunctions/{conjunction_id}")
    return enqueue(request, response, store, who, "avoidance",
                   {"conjunction_id": conjunction_id, "threshold": body.threshold, "after_tca_s": body.after_tca_s})
