"""What the store returns, declared once: the shape of each item a viewer is shown (``...View``), typed for the
engines and services that read them and used as the API's response models (``kompas.api.routers``), so that the
storage and the HTTP answer cannot drift apart.

``typing_extensions.TypedDict`` (pydantic reads it on Python 3.11); times are stored-form text (ISO 8601 UTC with
nanoseconds and ``Z``) unless named otherwise.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field
from typing_extensions import TypedDict

from kompas.space.pairs import FORMATION_V_REL_KM_S


class MarkingView(TypedDict):
    """A marking as shown (:meth:`kompas.core.markings.Marking.as_dict`)."""

    classification: str
    tlp: str
    releasable_to: list[str] | None
    communities: list[list[str]]
    originators: list[str]
    caveats: list[str]
    banner: str


class ObjectView(TypedDict):
    """An object with at least one element set the viewer may see."""

    norad_id: int
    newest_epoch_utc: str
    name: str
    element_sets: int
    age_days: Annotated[float, Field(description="Days between the newest epoch of the catalogue you see and this "
                                                 "object's newest epoch (0: as fresh as the newest)")]
    marking: Annotated[MarkingView, Field(description="Combined marking of the element sets of this object you may "
                                                      "see (its name, newest epoch and count come from them)")]


class ElementSetView(TypedDict):
    """One element set as contributed, with its OMM fields."""

    id: str
    norad_id: int
    epoch_utc: str
    name: str
    omm: dict[str, Any]
    contribution_id: str
    source: Annotated[str, Field(description="gp (GP catalogue), supgp (supplemental GP, operator-derived fits), oem "
                                             "(from an operator's ephemeris) or contributed (a member's own tracking)")]
    marking: MarkingView


class ConjunctionView(TypedDict):
    """A screened close approach; the secondary relative to the primary in the primary's RTN frame (km)."""

    id: str
    primary_id: int
    secondary_id: int
    tca_utc: str
    miss_km: float
    v_rel_km_s: float
    rtn_km: list[float]
    label: str
    pc: Annotated[float | None, Field(description="Collision probability to decide on, from the method pc_basis "
                                                   "names (covariance of the element sets' own history)")]
    pc_basis: Annotated[str | None, Field(description="pc2d (Foster's 2D Pc), nc3d (Hall's 3D Nc) or mc (two-body "
                                                      "Monte Carlo), chosen as NASA CARA's PcMultiStep; null for "
                                                      "conjunctions stored before the choice existed (Foster)")]
    pc_flags: Annotated[list[str], Field(description="Usage checks the 2D method failed (kompas.space.usage)")]
    pc_interval: Annotated[list[float] | None, Field(description="A Monte Carlo Pc's 95% Clopper-Pearson interval "
                                                                 "[low, high]: with no hit the Pc is 0 and high "
                                                                 "is the bound to act on")]
    has_cdm: Annotated[bool, Field(description="Whether /conjunctions/{id}/cdm has its CCSDS CDM")]
    primary_name: Annotated[str | None, Field(description="From the element sets you may see (null: none)")]
    secondary_name: str | None
    primary_owner: Annotated[str | None, Field(description="The known owner (protected assets), null if unknown")]
    secondary_owner: str | None
    relation: Annotated[Literal["formation", "same-owner"] | None, Field(
        description=f"formation: relative speed at TCA under {FORMATION_V_REL_KM_S} km/s (flying together); "
                    "same-owner: both objects have the same known owner; null: an encounter of unrelated objects "
                    "(kompas.space.pairs)")]
    primary_epoch_utc: Annotated[str | None, Field(description="Epoch of the primary's element set screened")]
    secondary_epoch_utc: str | None
    elset_age_days: Annotated[float | None, Field(description="TCA minus the older of the two epochs (days)")]
    marking: MarkingView


class EphemerisView(TypedDict):
    """A contributed CCSDS OEM: the object, the span its states cover (UTC) and its counts."""

    id: str
    norad_id: int
    object_name: str
    object_id: Annotated[str, Field(description="OBJECT_ID as written (international designator)")]
    originator: str
    message_id: str
    created_utc: Annotated[str, Field(description="The message's CREATION_DATE (UTC)")]
    start_utc: str
    stop_utc: str
    frame: Annotated[str, Field(description="REF_FRAME of the first segment")]
    segments: int
    states: int
    covariances: Annotated[int, Field(description="Covariance blocks (6x6) the OEM carries")]
    format: str
    marking: MarkingView
    content: Annotated[str | None, Field(description="The message text (single-message reads only)")]


class CDMView(TypedDict):
    """A contributed CCSDS conjunction data message (miss distance in m, as the CDM gives it)."""

    id: str
    message_id: str
    originator: str
    tca_utc: str
    object1_id: int
    object2_id: int
    miss_m: float | None
    pc: float | None
    format: str
    marking: MarkingView
    content: Annotated[str | None, Field(description="The message text (single-message reads only)")]


class DocumentView(TypedDict):
    """A contributed document."""

    id: str
    title: str
    media_type: str
    created_utc: str
    marking: MarkingView
    content: Annotated[str | None, Field(description="The text (single-document reads only)")]


class ActorView(TypedDict):
    """An object or actor of an event, in the event's order (primary first)."""

    role: Annotated[str, Field(description="primary, secondary, object, actor, target, channel, ...")]
    kind: Annotated[str, Field(description="space-object, threat-actor, outlet, country, ...")]
    id: str
    name: str


class EventView(TypedDict):
    """An event of any domain in the common envelope (:mod:`kompas.core.envelope`)."""

    id: str
    domain: Annotated[str, Field(description="space, fimi, ...")]
    type: Annotated[str, Field(description="What happened, in the domain's words (manoeuvre, proximity, incident, "
                                           "surge)")]
    kind: Annotated[str, Field(description="The same as type (older name)")]
    time_utc: Annotated[str, Field(description="Best estimate of when it happened (orders listings)")]
    start_utc: str
    end_utc: str
    norad_ids: Annotated[list[int], Field(description="The space objects among the actors, in their order")]
    title: str
    severity: Literal["low", "medium", "high"]
    confidence: Annotated[float | None, Field(description="0..1, or null when the domain states none")]
    place: Annotated[dict[str, Any], Field(description="lat/lon (degrees WGS-84) on Earth; norad_ids and orbit in "
                                                       "space; countries")]
    actors: list[ActorView]
    evidence: dict[str, Any]
    detail: Annotated[dict[str, Any], Field(description="The domain's payload")]
    source: str
    marking: MarkingView
