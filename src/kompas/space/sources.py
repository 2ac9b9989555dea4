"""Where an element set or state comes from, and which source to trust for an object.

Every element set carries its **source** (:attr:`kompas.space.elements.ElementSet.origin`, stored in the
``element_sets.source`` column, migration 0014):

- ``gp``: the 18th/19th SDS general-perturbations catalogue as CelesTrak or Space-Track publish it (fitted to
  past observations of the Space Surveillance Network);
- ``supgp``: CelesTrak's Supplemental GP, SGP4 fits to operators' own ephemerides (SpaceX, OneWeb, Intelsat, SES,
  ...). CelesTrak: "SupGP data is fitted from the current epoch forward, as opposed to GP data where that is fit
  to past observations" (https://celestrak.org/NORAD/documentation/sup-gp-queries.php);
- ``oem``: an operator's CCSDS OEM ephemeris (screened by :mod:`kompas.space.ephemeris`);
- ``contributed``: element sets a member state or agency contributes from its own tracking.

**Why the sources are kept apart.** Two fits of one object by different processes differ by more than one
process's successive fits: a GP set followed by a SupGP set looks like an orbit change. On the shared history,
putting the one Starlink SupGP snapshot (2026-04-24) into the GP histories raised the manoeuvres detected in
2026-04-23..26 from 2,151 to 2,532 on all 10,243 Starlink histories of the 18 GP snapshots (154 to 219 on the
1,500 of tests/space/test_sources.py); with the sources kept apart the count stays at the GP-only figure. So the
catalogue keeps one history per (object, source) and every detector reads one source per object
(:func:`detection_source`).

**How the source is known** (:func:`source_of_file`, :func:`source_of_tle`): an explicit option or contribution
field first; else the file or feed name (``supgp``, ``sup-gp``, ``supplemental`` in it: SupGP; ``.oem``: OEM);
else the TLE classification character: CelesTrak publishes SupGP TLEs with classification ``C`` (the shared
``starlink-supgp_2026-04-24.tle`` holds 10,292 sets, all ``C``; the 18 GP ``active_*.tle`` snapshots only
``U``); else ``gp``.

**Precedence for screening** (:func:`best`): ``oem`` > ``supgp`` > ``contributed`` > ``gp``: an operator knows its
own planned manoeuvres and fits to its own tracking (GPS on board for Starlink), a national contribution is
tracked for the purpose, GP is the fallback every object has. Within a source the newest epoch; a source whose
newest epoch is more than :data:`MAX_AGE_DAYS` older than the object's newest epoch of any source is passed over
(a stale operator fit must not displace a fresh GP set that already shows a manoeuvre).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

GP, SUPGP, OEM, CONTRIBUTED = "gp", "supgp", "oem", "contributed"
SOURCES = (GP, SUPGP, OEM, CONTRIBUTED)  #: every source an element set or state may have
PRECEDENCE = (OEM, SUPGP, CONTRIBUTED, GP)  #: best first, for screening (see the module docstring)
MAX_AGE_DAYS = 3.0  #: a source this much older than the object's newest epoch is passed over in :func:`best`
SUPGP_CLASSIFICATION = "C"  #: the TLE classification character CelesTrak gives SupGP sets

_SUPGP_NAME = re.compile(r"sup[-_]?gp|supplemental", re.IGNORECASE)


class Dated(Protocol):
    """Anything with an epoch (an element set)."""

    @property
    def epoch_utc(self) -> np.datetime64: ...


def check(source: str) -> str:
    """``source`` lower-cased when it is one of :data:`SOURCES`; raises ``ValueError`` naming them otherwise."""
    value = source.strip().lower()
    if value not in SOURCES:
        raise ValueError(f"source {source!r} is not one of {', '.join(SOURCES)}")
    return value


def source_of_file(name: str) -> str | None:
    """The source a file or feed name says (``supgp`` or ``oem``), or None when the name says nothing."""
    base = re.split(r"[/\\]", name)[-1]
    if _SUPGP_NAME.search(base):
        return SUPGP
    if base.lower().endswith(".oem"):
        return OEM
    return None


def source_of_tle(classification: str) -> str:
    """The source a TLE's classification character shows: ``supgp`` for CelesTrak's ``C``, else ``gp``."""
    return SUPGP if classification == SUPGP_CLASSIFICATION else GP


def rank(source: str) -> int:
    """Position of ``source`` in :data:`PRECEDENCE` (0 is best; unknown sources after all known ones)."""
    return PRECEDENCE.index(source) if source in PRECEDENCE else len(PRECEDENCE)


def detection_source(histories: Mapping[str, Sequence[Dated]]) -> str | None:
    """The one source an object's detectors read (manoeuvres, GEO, fragmentation, re-entry, covariance from
    history): the source with the longest history (most element sets, the series whose own noise the detectors
    learn), ties to ``gp`` and then by :data:`PRECEDENCE`. None when the object has no element set."""
    filled = [(s, h) for s, h in histories.items() if h]
    if not filled:
        return None
    return min(filled, key=lambda item: (-len(item[1]), item[0] != GP, rank(item[0])))[0]


def best(newest: Mapping[str, np.datetime64], max_age_days: float = MAX_AGE_DAYS) -> str | None:
    """The source screening uses for one object, from the newest epoch of each of its sources (UTC): the first in
    :data:`PRECEDENCE` whose newest epoch is at most ``max_age_days`` older than the newest of all; None when
    ``newest`` is empty."""
    if not newest:
        return None
    epochs = {s: np.asarray(t, dtype="datetime64[ns]") for s, t in newest.items()}
    freshest = max(epochs.values())
    limit = freshest - np.timedelta64(round(max_age_days * 86400e9), "ns")
    fresh = [s for s, t in epochs.items() if t >= limit]
    return min(fresh, key=lambda s: (rank(s), s))
