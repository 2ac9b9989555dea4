"""Alert subscriptions: webhooks signed with HMAC-SHA256 (``/api/v1/subscriptions``)."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from kompas.api.deps import ITEM_ID, NO_NUL, Caller, StoreDep, note
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.core import alerts

router = APIRouter(tags=["alerts"])


def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


Count = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=1000)]


class AlertRules(BaseModel):
    """Which alerts a subscription wants beyond its kinds: watched targets (an incident or surge matches when it
    targets one of them, any case), for FIMI surges a least number of outlets or languages, and for
    ``tracked-event`` (an update of a tracked conjunction event) per-asset thresholds: all given must hold."""

    model_config = ConfigDict(extra="forbid")
    targets: list[Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]] | None = Field(
        None, min_length=1, max_length=100)
    min_outlets: Count | None = None
    min_languages: Count | None = None
    norad_ids: list[Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=999_999_999)]] | None = Field(
        None, min_length=1, max_length=1000, description="tracked-event: the event concerns one of these objects")
    red_pc: Annotated[float, Field(gt=0, le=1)] | None = Field(None, description="Red level: Pc at or above "
                                                                                   "(default 1e-4)")
    yellow_pc: Annotated[float, Field(gt=0, le=1)] | None = Field(None, description="Yellow level (default 1e-5)")
    min_level: Literal["yellow", "red"] | None = Field(None, description="The update's level at least this")
    min_pc: Annotated[float, Field(gt=0, le=1)] | None = None
    max_miss_km: Annotated[float, Field(gt=0, le=1e6)] | None = None
    within_hours: Annotated[float, Field(gt=0, le=1e6)] | None = Field(
        None, description="TCA at most this many hours after the screening that found the update")
    level_change: Literal["up", "any"] | None = Field(
        None, description="up: the level rose from the previous update you may see (or a new event starts above "
                          "green); any: it changed")


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(pattern=r"^https?://[^\s\x00]{1,490}$")
    kinds: list[Literal["conjunction", "event", "fimi-incident", "fimi-surge", "tracked-event"]] = Field(
        min_length=1, max_length=5)
    rules: AlertRules | None = None


class SubscriptionOut(BaseModel):
    id: str
    url: str
    kinds: list[str]
    rules: dict | None = None
    created_utc: str
    secret: str | None = Field(None, description="HMAC-SHA256 key for X-Kompas-Signature; returned once")
    exercise: str | None = Field(None, description="The exercise it was made in (its alerts are that exercise's)")


@router.post("/api/v1/subscriptions", status_code=201, response_model=SubscriptionOut, responses=ERRORS)
def subscribe(body: SubscriptionIn, who: Caller, store: StoreDep) -> dict:
    """Subscribe a webhook to alerts. Deliveries are POSTs signed ``X-Kompas-Signature: sha256=<HMAC>``
    with the returned secret, and carry only items you may see. They are queued and posted by a worker, retried
    with backoff; ``X-Kompas-Delivery`` is the same on every attempt of one delivery (drop repeats by it). A URL
    whose host is, or resolves to, a loopback, private, link-local or other internal address, or is written as a
    number (``0x7f000001``), is refused with 422 unless the server's administrator allowed the host."""
    rules = body.rules.model_dump(exclude_none=True) if body.rules else None
    created = alerts.subscribe(store, who, body.url, body.kinds, rules)
    note(store, who, "subscribe", created["id"], detail=body.url)
    return created


@router.get("/api/v1/subscriptions", response_model=list[SubscriptionOut], responses=ERRORS)
def list_subscriptions(who: Caller, store: StoreDep) -> list[dict]:
    """Your subscriptions (secrets are not shown again)."""
    note(store, who, "read", "subscriptions")
    return alerts.subscriptions(store, who)


@router.delete("/api/v1/subscriptions/{subscription_id}", status_code=204, responses=NOT_FOUND)
def unsubscribe(subscription_id: ITEM_ID, who: Caller, store: StoreDep) -> None:
    """Delete one of your subscriptions."""
    if not alerts.unsubscribe(store, who, subscription_id):
        note(store, who, "unsubscribe", subscription_id, "denied", "no such subscription of yours")
        raise HTTPException(404, "no such subscription")
    note(store, who, "unsubscribe", subscription_id)
