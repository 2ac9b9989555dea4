"""Accounts: ``GET /api/v1/whoami``."""

from fastapi import APIRouter

from kompas.api.deps import Caller, StoreDep, note
from kompas.api.errors import ERRORS

router = APIRouter(tags=["accounts"])


@router.get("/api/v1/whoami", responses=ERRORS)
def whoami(who: Caller, store: StoreDep) -> dict:
    """Your name, organisation, clearance and communities."""
    note(store, who, "read", "whoami")
    return {"name": who.name, "org": who.org, "country": who.viewer.country,
            "clearance": who.viewer.clearance.name, "communities": sorted(who.viewer.communities)}
