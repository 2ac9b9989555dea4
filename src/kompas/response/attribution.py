"""National attributions as records, and the coordination state a reader may compute from the ones they may see.

Attribution of a malicious activity to a third state remains a sovereign political decision of each member state
(space security conclusions, ``../shared/seeds/004_a47d80d624d89186.txt`` l.455-466; the cyber diplomacy toolbox
likewise). Kompas therefore never computes an attribution: a member state *records* its own assessment (who it
attributes the incident to, with what confidence on a stated scale, on what basis, on which date) under its own
marking, and every reader sees only the records they may see and a coordination state derived from exactly those.
A record hidden from a reader changes nothing that reader sees (the storage layer's non-interference property).

Confidence scale: the words of ICD 203 / NATO AJP-2.1 estimative language, mapped to probability ranges, so that
records of different states compare. A state may also record ``none`` (it assessed and does not attribute) or
``withheld`` (it does not say).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: Confidence words, lowest first, with the probability range (percent) each stands for (ICD 203 estimative
#: language, as the MISP ``estimative-language`` taxonomy lists it).
CONFIDENCE = {
    "remote": (1, 5), "very-unlikely": (5, 20), "unlikely": (20, 45), "roughly-even": (45, 55),
    "likely": (55, 80), "very-likely": (80, 95), "almost-certain": (95, 99),
}
#: Positions that are not an attribution to an actor.
NO_ACTOR = ("none", "withheld")
#: The confidence from which a record counts as an attribution in the coordination state.
ATTRIBUTING = ("likely", "very-likely", "almost-certain")


@dataclass(frozen=True)
class Attribution:
    """One member state's recorded assessment of one incident (event id): the ``actor`` it attributes it to (a
    state code such as ``RU``, or a threat-actor name, or one of :data:`NO_ACTOR`), its ``confidence``
    (:data:`CONFIDENCE`; empty for :data:`NO_ACTOR`), the ``basis`` in its words, and the ``date`` (ISO day) of the
    assessment. ``public``: whether the state has said so publicly (a national statement)."""

    event_id: str
    state: str  #: ISO 3166 alpha-2 code of the member state recording it
    actor: str
    confidence: str
    basis: str
    date: str
    public: bool = False

    def problems(self) -> list[tuple[str, str]]:
        """``(field, reason)`` for everything wrong with the record (empty when it is valid)."""
        out = []
        if len(self.state) != 2 or not self.state.isalpha() or not self.state.isupper():
            out.append(("state", "an ISO 3166 alpha-2 code in capitals, e.g. NL"))
        if not self.actor.strip():
            out.append(("actor", f"required: the actor attributed to, or one of {', '.join(NO_ACTOR)}"))
        if self.actor in NO_ACTOR:
            if self.confidence:
                out.append(("confidence", f"none with actor {self.actor!r}"))
        elif self.confidence not in CONFIDENCE:
            out.append(("confidence", f"one of {', '.join(CONFIDENCE)}"))
        if len(self.date) != 10 or self.date[4] != "-" or self.date[7] != "-":
            out.append(("date", "an ISO day, YYYY-MM-DD"))
        return out


@dataclass(frozen=True)
class Coordination:
    """What the attributions a reader may see add up to: per actor, the states attributing the incident to it
    (confidence in :data:`ATTRIBUTING`) and those assessing it less surely; the states that recorded ``none``
    or ``withheld``; and a sentence saying so. Computed only from what it is given."""

    attributing: dict[str, tuple[str, ...]] = field(default_factory=dict)  #: actor -> states, sorted
    considering: dict[str, tuple[str, ...]] = field(default_factory=dict)  #: actor -> states below "likely"
    not_attributing: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()
    public: dict[str, tuple[str, ...]] = field(default_factory=dict)  #: actor -> states that said so publicly

    @property
    def leading(self) -> tuple[str, int] | None:
        """The actor most states attribute to, and how many (ties: alphabetical); None when none does."""
        if not self.attributing:
            return None
        actor = min(self.attributing, key=lambda a: (-len(self.attributing[a]), a))
        return actor, len(self.attributing[actor])

    def sentence(self) -> str:
        """E.g. ``2 states you may see attribute this to RU (DE, NL); 1 does not attribute``."""
        parts = [f"{len(states)} state{'s' if len(states) != 1 else ''} you may see "
                 f"attribute{'s' if len(states) == 1 else ''} this to {actor} ({', '.join(states)})"
                 for actor, states in sorted(self.attributing.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        parts += [f"{len(states)} consider{'s' if len(states) == 1 else ''} {actor} without attributing "
                  f"({', '.join(states)})" for actor, states in sorted(self.considering.items())]
        if self.not_attributing:
            parts.append(f"{len(self.not_attributing)} do{'es' if len(self.not_attributing) == 1 else ''} not "
                         f"attribute ({', '.join(self.not_attributing)})")
        if self.withheld:
            parts.append(f"{len(self.withheld)} withh{'olds its' if len(self.withheld) == 1 else 'old their'} "
                         f"assessment ({', '.join(self.withheld)})")
        return "; ".join(parts) if parts else "no attribution you may see has been recorded"


def coordination(records: Iterable[Attribution]) -> Coordination:
    """The coordination state of the given records (the ones a reader may see). Each state counts once: its newest
    record (by date, then the order given) stands."""
    newest: dict[str, Attribution] = {}
    for r in records:
        if r.state not in newest or r.date >= newest[r.state].date:
            newest[r.state] = r
    attributing: dict[str, list[str]] = {}
    considering: dict[str, list[str]] = {}
    public: dict[str, list[str]] = {}
    nots, held = [], []
    for state, r in sorted(newest.items()):
        if r.actor == "none":
            nots.append(state)
        elif r.actor == "withheld":
            held.append(state)
        elif r.confidence in ATTRIBUTING:
            attributing.setdefault(r.actor, []).append(state)
            if r.public:
                public.setdefault(r.actor, []).append(state)
        else:
            considering.setdefault(r.actor, []).append(state)
    return Coordination({a: tuple(s) for a, s in attributing.items()}, {a: tuple(s) for a, s in considering.items()},
                        tuple(nots), tuple(held), {a: tuple(s) for a, s in public.items()})

