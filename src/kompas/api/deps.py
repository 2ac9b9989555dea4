"""What every router of the API shares: the store, the caller, the audit, 404s, and the common parameter types.

Authentication is a bearer token (stored hashed) resolved by :func:`account`; an OIDC provider can replace it by
resolving the token to an :class:`~kompas.core.store.Account` the same way. The application keeps its store,
engine and rate limiter in ``app.state`` (:func:`kompas.api.app.create_app`); the dependencies here read them
from the request, so routers are plain module-level functions.
"""

from datetime import date
from typing import Annotated, TypeVar

from fastapi import Depends, Header, HTTPException, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field
from sqlalchemy import Engine

from kompas.api.middleware import MAX_BODY_BYTES, FailureLimiter, RateLimiter, client_address, retry_after
from kompas.core import audit
from kompas.core.models import now_utc
from kompas.core.store import Account, Store, StoreError
from kompas.core.store.accounts import TokenCheck

# --- request forms -----------------------------------------------------------------------------------------------

TIME = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$"
DAY = r"^\d{4}-\d{2}-\d{2}$"
#: Dates and times for computations (reports, tracks): the years 1900-2199, where the calendar arithmetic and
#: SGP4's time scales hold.
MODERN_DAY = r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
MODERN_TIME = r"^(19|20|21)\d{2}" + TIME[len(r"^\d{4}"):]
TIME_CURSOR = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z\|[0-9a-f-]{36}$"
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL characters; no Kompas format contains them
#: Text with no NUL and at least one visible character (the store's rule, stated in the schema). ``\s`` differs
#: between the schema's readers: JSON Schema (ECMA-262) counts U+FEFF as white space and not U+0085, the server's
#: validator (Rust's regex, in pydantic-core) the other way round, and Python's ``str.isspace`` adds U+001C..U+001F;
#: all of them are excluded by name, so that every reader draws the same line (schemathesis found a lone U+0085 valid
#: by the schema and refused by the server).
VISIBLE_TEXT = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85\uFEFF][^\x00]*$"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"

NORAD = Annotated[int, Field(ge=1, le=999_999_999)]
CONTENT = Annotated[str, Field(max_length=MAX_BODY_BYTES, pattern=NO_NUL)]
ITEM_ID = Annotated[str, Path(pattern=r"^[0-9a-fA-F-]{1,36}$", description="An id a listing returned")]
Limit = Annotated[int, Query(ge=1, le=1000)]
After = Annotated[str | None, Query(pattern=TIME_CURSOR, description="Cursor: the previous page's `next`")]
Time = Annotated[str | None, Query(pattern=TIME, description="UTC time, e.g. 2026-05-05T00:00:00Z")]
#: An optional UTC date of the years 1900-2199 (filters of the FIMI routes).
Day = Annotated[str | None, Query(pattern=MODERN_DAY, json_schema_extra={"format": "date"},
                                  description="UTC date YYYY-MM-DD")]

# --- dependencies ------------------------------------------------------------------------------------------------

bearer = HTTPBearer(auto_error=False, description="API token from `kompas admin add-user`")


def get_store(request: Request) -> Store:
    """The application's store (``app.state.store``)."""
    store: Store = request.app.state.store
    return store


def get_engine(request: Request) -> Engine:
    """The application's database engine (``app.state.engine``)."""
    engine: Engine = request.app.state.engine
    return engine


#: The application's store itself (authentication only: :func:`account`).
BaseStore = Annotated[Store, Depends(get_store)]


#: The exercise whose context a request works in (absent: the real world): its items become visible to the caller
#: and whatever the request writes or derives is marked as that exercise's (``EXERCISE <CODE>``).
EXERCISE_HEADER = "X-Kompas-Exercise"


def account(request: Request, store: BaseStore,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
            exercise: Annotated[str | None, Header(
                alias=EXERCISE_HEADER, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$",
                description="Work in the context of this exercise (you must take part in it): its items become "
                            "visible, and everything written or derived is marked EXERCISE with its code. Absent: "
                            "the real world, where no exercise item is ever seen or counted.")] = None) -> Account:
    """The caller, from the bearer token (known, unexpired, unrevoked); 401 and an audited denial otherwise.
    With the exercise header, the caller in that exercise's context (403 and an audited denial unless their
    organisation takes part in it).

    Audit rows of failed authentications are limited per client address (``app.state.failures``,
    :class:`~kompas.api.middleware.FailureLimiter`): over the limit a failure (still answered 401) is counted for a
    summary audit row instead of being audited on its own; the rate of requests from an address is bounded before
    this (:class:`~kompas.api.middleware.AddressLimit`, 429). An authenticated caller over
    its account's rate (``app.state.limiter``) gets 429 with ``Retry-After`` (the first refusal of each episode
    audited)."""
    failures: FailureLimiter = request.app.state.failures
    failures.tick()
    token = credentials.credentials if credentials else ""
    check = store.check_token(token) if token else TokenCheck(None, reason="missing token")
    if check.account is None:
        address = client_address(request.scope)
        if failures.failed(address, now_utc()) == 0:
            audit.append(store.engine, check.user or "anonymous", "authenticate", request.url.path, "denied",
                         f"{check.reason} from {address}")
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    found = check.account
    limiter: RateLimiter = request.app.state.limiter
    wait = limiter.wait_s(found.name)
    if wait > 0:
        if limiter.first_denial(found.name):
            audit.append(store.engine, found.name, "rate-limit", request.url.path, "denied",
                         f"retry after {wait:.2f} s (further refusals until a request is accepted are not audited)")
        raise HTTPException(429, "too many requests", headers={"Retry-After": retry_after(wait)})
    if exercise is not None:
        try:
            return store.in_exercise(found, exercise)
        except StoreError as error:
            audit.append(store.engine, found.name, "exercise", request.url.path, "denied", str(error))
            raise HTTPException(403, f"your organisation takes part in no exercise {exercise.upper()}") from None
    return found


Caller = Annotated[Account, Depends(account)]


def context_store(request: Request, who: Caller) -> Store:
    """The store in the caller's context (:meth:`~kompas.core.store.Store.in_context`): the real world, or the
    exercise the caller works in (checked by :func:`account`). Every route takes its store from here, so whatever a
    request in an exercise writes is that exercise's, whichever store method writes it."""
    return get_store(request).in_context(who.viewer.exercise)


#: The store a route works with: the caller's context (requires a caller; every route that reads or writes marked
#: data has one).
StoreDep = Annotated[Store, Depends(context_store)]

# --- audit and answers -------------------------------------------------------------------------------------------


def note(store: Store, who: Account, action: str, target: str, outcome: str = "ok", detail: str = "") -> None:
    """Append one entry to the audit log: ``who`` did ``action`` on ``target`` with ``outcome``."""
    audit.append(store.engine, who.name, action, target, outcome, detail)


T = TypeVar("T")


def found(store: Store, item: T | None, who: Account, target: str) -> T:
    """``item`` (audited as a read of ``target``), or 404 and an audited denial when it is None: an item that does
    not exist and one the caller may not see get the same answer."""
    if item is None:
        note(store, who, "read", target, "denied", "not found or not visible")
        raise HTTPException(404, "not found")
    note(store, who, "read", target)
    return item


def day(text: str) -> date:
    """A date from a request (its form already checked by :data:`DAY`); 422 for a day that does not exist."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(422, f"{text!r} is not a date") from None


def stored_time(text: str | None) -> str | None:
    """A query time (validated by :data:`TIME`) as stored: nanoseconds and ``Z``, so that text order is time
    order. Only the text is rewritten: a day that does not exist (30 February) still sorts where it reads."""
    if text is None:
        return None
    whole, _, fraction = text.removesuffix("Z").partition(".")
    return f"{whole}.{fraction:0<9}Z"
