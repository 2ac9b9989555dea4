"""The API's routers, one module per domain; :data:`ROUTERS` in the order the application includes them (a
fixed path such as ``/events/stix`` before a parameter path such as ``/events/{event_id}`` is inside one module)."""

from fastapi import APIRouter

from kompas.api.routers import (
    accounts,
    alerts,
    avoidance,
    cdms,
    commitments,
    conjunctions,
    contributions,
    cyber,
    documents,
    ephemerides,
    events,
    exercises,
    fimi,
    forces,
    fusion,
    infra,
    intel,
    isac,
    jobs,
    map,
    maritime,
    markings,
    mobility,
    objects,
    picture,
    reports,
    respond,
    response,
    taxii,
    tracks,
    warning,
)

ROUTERS: list[APIRouter] = [contributions.router, objects.router, conjunctions.router, avoidance.router, tracks.router,
                            cdms.router, ephemerides.router, documents.router, events.router, alerts.router,
                            commitments.router, markings.router, picture.router, reports.router, jobs.router,
                            accounts.router, fimi.router, map.router, respond.router,
                            response.router, cyber.router, taxii.router, infra.router,
                            maritime.router, intel.router, warning.router, fusion.router,
                            mobility.router, forces.router, exercises.router,
                            isac.router]
