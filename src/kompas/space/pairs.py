"""Pairs of space objects whose close approaches are expected: formations and objects of one owner.

An analyst scanning conjunctions wants to set aside the approaches that are the steady state of the two objects
rather than an encounter: satellites flying in formation or co-located in one geostationary slot, and satellites
of one operator, who coordinates them. :func:`relation` names the relation of a pair (or None); the store
expresses the same rule in SQL to hide such pairs (:meth:`kompas.core.store.space.SpaceStore.conjunctions`,
``hide_related``), from :data:`FORMATION_V_REL_KM_S` and :func:`owner_groups`.

**Formation**: relative speed at TCA under :data:`FORMATION_V_REL_KM_S` (0.01 km/s = 10 m/s). Objects flying
together move slowly relative to each other because their orbits nearly coincide: on the CelesTrak snapshot of
2026-05-05 TerraSAR-X and TanDEM-X (DLR's helix formation, 150 to 250 m apart) approach at 0.3 to 0.9 m/s and
the co-located Astra 1N and Astra 1P (SES, 19.2 deg E) at 2.7 m/s, while the slowest approaches that are passes
and not a steady state are co-orbital objects drifting by at 48 m/s and more (2024-174C past the DLR pair,
Astra 5B past Astra 3B at 75 m/s) and ordinary LEO encounters at 1 to 15 km/s. 10 m/s sits in that gap, above
the velocity error of SGP4 element sets for co-located objects (metres per second) and below any drift that
brings two unrelated objects through each other's slot within days.

**Same owner**: both objects have a known owner (the protected assets' public owners, ``kompas.files``) and the
two owners are the same text. An object of unknown owner is never same-owner.
"""

from __future__ import annotations

from collections.abc import Mapping

FORMATION_V_REL_KM_S = 0.01  #: below this relative speed at TCA (km/s) two objects fly in formation
FORMATION = "formation"
SAME_OWNER = "same-owner"


def is_formation(v_rel_km_s: float) -> bool:
    """Whether an approach at relative speed ``v_rel_km_s`` (km/s) is two objects flying together."""
    return v_rel_km_s < FORMATION_V_REL_KM_S


def same_owner(primary_owner: str | None, secondary_owner: str | None) -> bool:
    """Whether both owners are known (non-empty) and the same."""
    return bool(primary_owner) and primary_owner == secondary_owner


def relation(v_rel_km_s: float, primary_owner: str | None, secondary_owner: str | None) -> str | None:
    """``"formation"`` (checked first: the physical relation), ``"same-owner"``, or None for an encounter of
    two unrelated objects. ``v_rel_km_s``: relative speed at TCA (km/s); owners: None or "" when unknown."""
    if is_formation(v_rel_km_s):
        return FORMATION
    if same_owner(primary_owner, secondary_owner):
        return SAME_OWNER
    return None


def owner_groups(owners: Mapping[int, str]) -> list[list[int]]:
    """NORAD ids grouped by owner (``owners``: NORAD id -> owner; empty owners left out), groups of two or more,
    each sorted, in order of owner: the pairs inside one group are the same-owner pairs."""
    groups: dict[str, list[int]] = {}
    for norad_id, owner in owners.items():
        if owner:
            groups.setdefault(owner, []).append(int(norad_id))
    return [sorted(ids) for _, ids in sorted(groups.items()) if len(ids) > 1]


def owners_matching(owners: Mapping[int, str], text: str) -> list[int]:
    """NORAD ids whose owner contains ``text`` (any case), sorted."""
    wanted = text.casefold()
    return sorted(int(n) for n, owner in owners.items() if owner and wanted in owner.casefold())
