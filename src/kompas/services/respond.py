"""From an incident to response options, for the command line, the API, the web page and the options paper: one
workflow (:mod:`kompas.response.rank` over the toolboxes, the precedents and the frameworks' countermeasures), read
as the caller may see it.

- :func:`assess_envelope`: the ranking of an incident given as an event envelope (a file, or a request body), with
  an optional attribution state; nothing stored, nothing read from the platform.
- :func:`event_options`: the ranking of a stored event the viewer may see, with the analysts' findings they may see
  added to its payload (:func:`kompas.response.features.with_findings`) and the coordination state computed from
  the attributions they may see (:mod:`kompas.services.response`), marked with the combination of the event's and
  those records' markings; None when the viewer may not see the event.
- :func:`paper_context` / :func:`options_paper`: everything the options paper shows (the event and its evidence,
  what is known and unknown, the attribution state, options by category with legal basis, lead time, pros, cons and
  precedents, and the decision each open response awaits) and the rendered paper (:mod:`kompas.reports.options`).

Reference data is read once per process: the toolboxes and rules (shipped), the precedents and the frameworks'
catalogues (from ``../shared``; when absent, the ranking goes on without them and ``notes`` says what is missing).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kompas.core.envelope import Envelope, from_dict
from kompas.core.markings import Marking, combine
from kompas.response.attribution import Coordination
from kompas.response.rank import Ranking, assess, load_catalogues
from kompas.response.toolbox import load_toolboxes

if TYPE_CHECKING:
    from kompas.core.markings import Viewer
    from kompas.core.store import Store
    from kompas.services.reports import Rendered

FRAMEWORKS = ("sparta", "attack-enterprise", "attack-ics", "disarm")  #: Countermeasure catalogues read.
TOP = 12  #: Proposals shown by default.


class IncidentError(ValueError):
    """An incident that is not an event envelope: ``problems`` lists ``(field, reason)``."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{source}: {f or '(event)'}: {why}" for f, why in problems))
        self.problems = problems


_reading = threading.Lock()


def reference() -> tuple[tuple, dict, Any, tuple[str, ...]]:
    """The precedents (with ATT&CK's links when ATT&CK is at hand), the countermeasure catalogues, ATT&CK's
    Enterprise index (None when absent) and notes on what could not be read; read once per process (a request
    arriving while the server's warm-up reads them waits for that reading instead of doing it again)."""
    with _reading:
        return _reference()


@lru_cache(maxsize=1)
def _reference() -> tuple[tuple, dict, Any, tuple[str, ...]]:
    from kompas.response.precedents import read_precedents, with_attack
    from kompas.response.techniques import read_attack

    notes: list[str] = []
    try:
        attack = read_attack()
    except OSError as error:
        attack, notes = None, [f"ATT&CK not read ({error}): software named in an incident is not resolved"]
    try:
        precedents, rejected = read_precedents()
        notes += [f"precedent rejected: {r}" for r in rejected]
        if attack is not None:
            precedents = with_attack(precedents, attack)
    except OSError as error:
        precedents = []
        notes.append(f"precedents not read ({error}): no precedent is shown")
    catalogues, missing = load_catalogues(FRAMEWORKS)
    notes += [f"countermeasures not read: {m}" for m in missing]
    return tuple(precedents), catalogues, attack, tuple(notes)


def warm() -> None:
    """Read the reference data now (the server does it in a background thread at start): the toolboxes, the rules,
    the precedents and the catalogues; a failure is left for the first request to report."""
    from kompas.response.rank import load_rules

    try:
        load_toolboxes()
        load_rules()
        reference()
    except (OSError, ValueError):
        pass


def parse_incident(data: object, source: str) -> Envelope:
    """The event envelope of an incident in its JSON form (:func:`kompas.core.envelope.from_dict`); raises
    :class:`IncidentError` listing every problem."""
    envelope, problems = from_dict(data, source)
    if envelope is None or problems:
        raise IncidentError(source, problems)
    return envelope


def assess_envelope(envelope: Envelope, coordination: Coordination | None = None, top: int | None = TOP
                    ) -> tuple[Ranking, list[str]]:
    """The ranking of ``envelope`` (best first, at most ``top``) and the notes on reference data not at hand."""
    from kompas.response.features import features

    precedents, catalogues, attack, notes = reference()
    found = features(envelope, coordination, attack=attack)
    return assess(found, load_toolboxes(), coordination, precedents, top, catalogues=catalogues), list(notes)


def event_options(store: Store, viewer: Viewer | None, event_id: str, top: int | None = TOP) -> dict | None:
    """The options for a stored event as ``viewer`` may see it: ``{"event", "coordination", "attributions",
    "ranking", "notes", "marking"}``. The attribution records are read once, and the coordination state, the
    ranking and the marking (the event's combined with those records') all come from that one read. None when the
    viewer may not see the event (or it does not exist); :class:`IncidentError` when the stored event cannot be
    read as an envelope."""
    from kompas.core.store.response import attributions as stored_attributions
    from kompas.core.store.response import findings as stored_findings
    from kompas.response.attribution import Attribution, coordination
    from kompas.response.features import with_findings

    event: dict | None = dict(store.event(viewer, event_id) or {}) or None if viewer is not None else \
        _system_event(store, event_id)
    found = stored_attributions(store, viewer, event_id)
    noted = stored_findings(store, viewer, event_id)
    if event is None or found is None or noted is None:
        return None
    event_marking, items = found
    state = coordination([Attribution(i["event_id"], i["state"], i["actor"], i["confidence"], i["basis"], i["date"],
                                      i["public"]) for i in items])
    marking = combine([Marking.from_dict(dict(event["marking"])), event_marking,
                       *(Marking.from_dict(i["marking"]) for i in [*items, *noted[1]])])
    leading = state.leading
    view = {"event_id": event_id, "sentence": state.sentence(),
            "attributing": {a: list(v) for a, v in state.attributing.items()},
            "considering": {a: list(v) for a, v in state.considering.items()},
            "not_attributing": list(state.not_attributing), "withheld": list(state.withheld),
            "public": {a: list(v) for a, v in state.public.items()},
            "leading": None if leading is None else {"actor": leading[0], "states": leading[1]},
            "records": len(items), "states": len({i["state"] for i in items}), "marking": marking.as_dict()}
    envelope = parse_incident(with_findings(_envelope_form(event), noted[1]), f"event {event_id}")
    ranking, notes = assess_envelope(envelope, state, top)
    return {"event": event, "coordination": view, "attributions": items, "findings": noted[1],
            "ranking": ranking.as_dict(), "notes": notes, "marking": marking.as_dict()}


def _envelope_form(event: dict) -> dict:
    """A stored event as the API shows it, with its payload under ``payload`` (the API names it ``detail``)."""
    return event if "payload" in event else event | {"payload": event.get("detail") or {}}


def _system_event(store: Store, event_id: str) -> dict | None:
    """The platform's own view of one event (the command line without ``--user``)."""
    from kompas.core.store.events import one

    found = one(store, None, event_id)  # type: ignore[arg-type]
    return None if found is None else dict(found)


def paper_context(store: Store, viewer: Viewer | None, event_id: str, top: int | None = TOP) -> dict | None:
    """What the options paper shows (see the module docstring), with its combined marking; None when the viewer
    may not see the event."""
    from kompas.services import response as responses

    found = event_options(store, viewer, event_id, top)
    if found is None:
        return None
    open_responses = responses.responses(store, viewer, event_id)
    marking = combine([Marking.from_dict(found["marking"]), *(Marking.from_dict(r["marking"]) for r in
                                                              open_responses)])
    return found | {"responses": open_responses, "marking": marking.as_dict()}


def options_paper(store: Store, viewer: Viewer | None, event_id: str, fmt: str = "pdf", top: int | None = TOP,
                  banner: str | None = None, handling: str = "") -> Rendered | None:
    """The options paper of one event, rendered (HTML or PDF), marked with the combination of everything it used;
    None when the viewer may not see the event."""
    from kompas.reports.options import build
    from kompas.services.reports import banner_for, render

    context = paper_context(store, viewer, event_id, top)
    if context is None:
        return None
    marking = Marking.from_dict(context["marking"])
    page = build(context, banner_for(marking, banner), handling)
    return render(page, fmt, f"options_{event_id[:8]}", marking)
