"""Who operates an object, from what is known: a SATCAT, the protected assets' owners, operators' naming rules.

Proximity and conjunction ratings need to know when two objects belong to one operator: SES's satellites
co-located in one slot (ASTRA 3B and 3C at 23.5 deg E), a constellation's own satellites passing each other. The
operator (:func:`operator_of`) comes from, in this order (the basis is returned with it):

1. ``declared``: a protected asset's public owner (``kompas/data/assets.yaml``); for a hosted payload
   (``"EU (EGNOS payload, host SES)"``) the host, who flies the satellite;
2. ``satcat``: CelesTrak SATCAT's ``OWNER`` ("Source or Ownership", https://celestrak.org/satcat/sources.php)
   when it names an operator rather than a country (:data:`SATCAT_OPERATORS`): a country code such as ``US`` or
   ``PRC`` covers many operators and says nothing about coordination, so it is not used;
3. ``name``: the operator's own naming of its fleet (:data:`NAME_RULES`): each operator names its satellites
   with a prefix of its own (SES: ``ASTRA``, ``SES-``, ``O3B``; Intelsat: ``INTELSAT``, ``IS-``; Eutelsat:
   ``EUTELSAT``, ``HOT BIRD``; SpaceX: ``STARLINK``; OneWeb; Iridium; Globalstar; Orbcomm; Planet: ``FLOCK``;
   as in the operators' fleet lists and the CelesTrak group files of the same names). Debris and rocket bodies
   (``DEB``, ``R/B``) are no operator's satellites and get none.

Unknown stays unknown (""): two objects of unknown operator are never "same owner".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: SATCAT OWNER codes that name one operator (CelesTrak's sources list), and the operator they name.
SATCAT_OPERATORS = {"SES": "SES", "O3B": "SES", "ITSO": "INTELSAT", "EUTE": "EUTELSAT", "IRID": "IRIDIUM",
                    "GLOB": "GLOBALSTAR", "ORB": "ORBCOMM", "ESA": "ESA", "EUME": "EUMETSAT"}

#: Name prefixes of operators' fleets: (regular expression on the upper-case name, operator).
NAME_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), o) for p, o in (
    (r"^(ASTRA|SES-|SES |O3B|NSS-|AMC-|SIRIUS)", "SES"),
    (r"^(INTELSAT|IS-\d|GALAXY)", "INTELSAT"),
    (r"^(EUTELSAT|HOT ?BIRD|EUTE)", "EUTELSAT"),
    (r"^STARLINK", "SPACEX"),
    (r"^ONEWEB", "ONEWEB"),
    (r"^IRIDIUM", "IRIDIUM"),
    (r"^GLOBALSTAR", "GLOBALSTAR"),
    (r"^ORBCOMM", "ORBCOMM"),
    (r"^FLOCK", "PLANET"),
))
_NOT_A_SATELLITE = re.compile(r"\b(DEB|R/B|AKM|PKM)\b")
_HOST = re.compile(r"\bhost\s+([A-Za-z][A-Za-z0-9 -]*?)\s*\)?$", re.IGNORECASE)


def operator_of(name: str = "", satcat_owner: str = "", declared: str = "") -> tuple[str, str]:
    """``(operator, basis)``: basis ``declared``, ``satcat`` or ``name`` (see the module docstring); ``("", "")``
    when unknown. ``name``: the object's name; ``satcat_owner``: SATCAT OWNER; ``declared``: an asset's owner."""
    if declared:
        host = _HOST.search(declared)
        return (host[1].strip().upper() if host else declared), "declared"
    code = satcat_owner.strip().upper()
    if code in SATCAT_OPERATORS:
        return SATCAT_OPERATORS[code], "satcat"
    upper = name.strip().upper()
    if upper and not _NOT_A_SATELLITE.search(upper):
        for pattern, operator in NAME_RULES:
            if pattern.match(upper):
                return operator, "name"
    return "", ""


def operators(names: Mapping[int, str], satcat_owners: Mapping[int, str] | None = None,
              declared: Mapping[int, str] | None = None) -> dict[int, str]:
    """NORAD id -> operator for every object whose operator is known (:func:`operator_of`)."""
    satcat_owners, declared = satcat_owners or {}, declared or {}
    out = {}
    for norad_id in set(names) | set(satcat_owners) | set(declared):
        found, _ = operator_of(names.get(norad_id, ""), satcat_owners.get(norad_id, ""), declared.get(norad_id, ""))
        if found:
            out[norad_id] = found
    return out
