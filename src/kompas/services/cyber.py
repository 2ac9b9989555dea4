"""Cyber situational awareness on the platform (issue 23), one service for the command line, the API, the web page
and the report:

- :func:`actors`: ATT&CK groups and campaigns ranked by overlap with an incident's techniques and software
  (:mod:`kompas.cyber.actors`): an analyst's lead, never an attribution (member states record attributions:
  :mod:`kompas.services.response`);
- :func:`declare_inventory` / :func:`exposure_view`: members declare the products they run (CPE 2.3) under a
  marking; the exposure to CISA's Known Exploited Vulnerabilities is computed from the declarations the viewer may
  see and marked with their combination (:mod:`kompas.cyber.exposure`);
- :func:`record_sightings` / :func:`indicators`: members' "we saw it too" merged on the indicator key, the observer
  named only to those who may know it (:mod:`kompas.core.store.cyber`).

Reference data (ATT&CK, the ranking model, KEV) is read once per process, the first caller reading it while others
wait (:func:`reference`); without ``../shared`` the shipped KEV sample is used and ATT&CK is missing (the command
says so).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kompas.core import audit
from kompas.core.markings import Marking, Viewer, combine
from kompas.core.store import Account, StoreBase, StoreError
from kompas.core.store import cyber as stored
from kompas.rejections import Rejection

if TYPE_CHECKING:
    from kompas.cyber.actors import Model
    from kompas.cyber.attack import AttackIndex
    from kompas.cyber.exposure import KevIndex

MAX_TERMS = 200  #: Most techniques plus software one ranking reads.
MAX_INVENTORY_BYTES = 5_000_000  #: Largest inventory file or body.

_reading = threading.Lock()


@dataclass(frozen=True)
class Reference:
    """ATT&CK's index and the ranking model (None when ATT&CK is not at hand), the KEV index and notes on what is
    missing."""

    attack: AttackIndex | None
    model: Model | None
    kev: KevIndex
    kev_rejected: tuple[Rejection, ...]
    notes: tuple[str, ...]


def reference() -> Reference:
    """The reference data, read once per process (concurrent first callers wait for one reading)."""
    with _reading:
        return _reference()


@lru_cache(maxsize=1)
def _reference() -> Reference:
    from kompas.cyber.exposure import KevIndex
    from kompas.cyber.kev import read_kev

    notes = []
    attack = model = None
    try:
        from kompas.cyber.actors import build_model
        from kompas.cyber.attack import read_attack_index

        attack = read_attack_index()
        model = build_model(attack)
    except OSError as error:
        notes.append(f"ATT&CK not read ({error}): no actor ranking (ATT&CK is read from ../shared/data/cyber/attack)")
    kev, rejected = read_kev()
    if kev.source.endswith("kev_sample.json"):
        notes.append(f"KEV: the shipped sample ({len(kev.entries)} entries), not the whole catalogue "
                     "(../shared/data/cyber/kev is absent)")
    return Reference(attack, model, KevIndex(kev), tuple(rejected), tuple(notes))


def warm() -> None:
    """Read the reference data now (a failure is left for the first request to report)."""
    with contextlib.suppress(OSError, ValueError):
        reference()


# --- actors -------------------------------------------------------------------------------------------------------


def actors(techniques: Sequence[str], software: Sequence[str] = (), limit: int = 10,
           campaigns: bool = False) -> dict[str, Any]:
    """ATT&CK groups (``campaigns``: campaigns) ranked for the evidence, best first, at most ``limit``: each with
    ``group_id`` (``G0034``), ``name``, ``score``, ``shared_techniques``, ``shared_software`` and how much evidence
    it rests on; ``notes`` on what was not matched. StoreError when ATT&CK is not at hand or the evidence is
    empty or too large."""
    from kompas.cyber.actors import incident_evidence, rank_campaigns, rank_groups

    terms = [t.strip() for t in techniques if t.strip()], [s.strip() for s in software if s.strip()]
    if not terms[0] and not terms[1]:
        raise StoreError("give techniques (ATT&CK ids such as T1566) or software (names or S-ids)")
    if len(terms[0]) + len(terms[1]) > MAX_TERMS:
        raise StoreError(f"at most {MAX_TERMS} techniques and software together")
    ref = reference()
    if ref.attack is None or ref.model is None:
        raise StoreError("; ".join(ref.notes) or "ATT&CK is not at hand")
    evidence = incident_evidence(ref.attack, terms[0], terms[1])
    ranking = (rank_campaigns if campaigns else rank_groups)(ref.model, evidence, limit)
    return ranking.as_dict()


# --- inventories and exposure -------------------------------------------------------------------------------------


def declare_inventory(store: StoreBase, account: Account, text: str, source: str, marking: Marking
                      ) -> tuple[int, list[Rejection]]:
    """Declare ``account``'s organisation's inventory (the Kompas inventory CSV, :mod:`kompas.cyber.exposure`)
    under ``marking``, replacing what it declared before under that marking. Rows of another member are rejected
    (each member declares its own). Returns (rows stored, rejections); audited."""
    from kompas.cyber.exposure import parse_inventory

    if len(text.encode()) > MAX_INVENTORY_BYTES:
        raise StoreError(f"{source}: larger than {MAX_INVENTORY_BYTES} bytes")
    items, rejected = parse_inventory(text, source)
    own = []
    for item in items:
        if item.member != account.org:
            rejected.append(Rejection(source, item.line, "member", f"you declare {account.org}'s inventory, not "
                                                                   "another member's", item.member))
        else:
            own.append(item)
    rejected.sort(key=lambda r: r.line)
    count = stored.add_inventory(store, account, own, marking)
    audit.append(store.engine, account.name, "inventory", f"cyber/inventory/{account.org}", "ok",
                 f"{count} products, {len(rejected)} rejected, from {source[:80]}")
    return count, rejected


def exposure_view(store: StoreBase, viewer: Viewer | None, as_of: dt.date | None = None,
                  member: str | None = None) -> dict[str, Any]:
    """The exposure to KEV on ``as_of`` (default today, UTC) of the declarations ``viewer`` may see (of one
    ``member``): per member and in aggregate, with ``marking`` the combination of the declarations used and
    ``notes`` on the catalogue used."""
    from kompas.cyber.cpe import parse_cpe
    from kompas.cyber.exposure import InventoryItem, exposure

    day = as_of or dt.datetime.now(dt.UTC).date()
    rows = stored.inventory(store, viewer, member)
    items = [InventoryItem(f["member"], parse_cpe(f["cpe"]), dt.date.fromisoformat(f["declared"]), f["assets"],
                           f["criticality"], f["note"], f["source"]) for f, _ in rows]
    ref = reference()
    report = exposure(items, ref.kev, day).as_dict()
    marking = combine([m for _, m in rows]) if rows else Marking.build("UNCLASSIFIED", "CLEAR")
    return report | {"declarations": len(rows), "marking": marking.as_dict(),
                     "notes": [n for n in ref.notes if n.startswith("KEV")]}


# --- sightings ----------------------------------------------------------------------------------------------------


def record_sightings(store: StoreBase, account: Account, sightings: Sequence[Any], marking: Marking,
                     observer_marking: Marking | None = None, source: str = "") -> list[str]:
    """Store ``account``'s organisation's sightings (:class:`kompas.cyber.model.Sighting`) under ``marking``; its
    name as the observer under ``observer_marking`` (default: releasable to its own organisation only, so other
    readers count the sighting without learning who saw it). Returns the ids; audited."""
    hidden = observer_marking or Marking.build(marking.classification, marking.tlp, [account.org],
                                               sorted(marking.communities), account.org)
    ids = stored.add_sightings(store, account, sightings, marking, combine([marking, hidden]), source)
    audit.append(store.engine, account.name, "sighting", "cyber/sightings", "ok", f"{len(ids)} sightings")
    return ids


def indicators(store: StoreBase, viewer: Viewer | None, keys: Sequence[tuple[str, str]] | None = None,
               limit: int = stored.MAX_KEYS) -> list[dict[str, Any]]:
    """The sightings ``viewer`` may see merged per indicator key (:func:`kompas.core.store.cyber.merge`)."""
    return stored.merged_sightings(store, viewer, keys, limit)
